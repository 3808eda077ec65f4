//! A file sent as a download, as the pages and the API both send exports.

use axum::body::Body;
use axum::http::header;
use axum::response::{IntoResponse, Response};

/// A file download: its content type, the file name the browser saves it as, and no caching.
pub fn download(content_type: &str, filename: &str, body: impl Into<Body>) -> Response {
    (
        [
            (header::CONTENT_TYPE, content_type.to_string()),
            (
                header::CONTENT_DISPOSITION,
                format!("attachment; filename=\"{filename}\""),
            ),
            (header::CACHE_CONTROL, "no-store".to_string()),
        ],
        body.into(),
    )
        .into_response()
}

/// The content type of an XLSX workbook.
pub const XLSX: &str = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet";
