//! Pages for requests the framework refuses before a page handler runs: an address whose id is
//! not a number (`/plans/abc`) is a page that is not there, and a form or query that cannot be
//! read is a form that could not be used — each the service's own page, never a line of plain text.

use super::page::WebError;
use axum::body::{to_bytes, Body};
use axum::http::{header, StatusCode};
use axum::response::{IntoResponse, Response};

/// The most of a refusal's text read to put it on the page (the framework's refusals are a line).
const TEXT_LIMIT: usize = 4096;

/// A plain-text 4xx answer (the framework's refusal of a path, query or form) as the service's
/// page: an unreadable path (or anything not found) as 404, anything else with its status and its
/// reason; other answers as they are.
pub async fn friendly(resp: Response) -> Response {
    let status = resp.status();
    let plain = resp
        .headers()
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.starts_with("text/plain"));
    if !plain || !status.is_client_error() || status == StatusCode::TOO_MANY_REQUESTS {
        return resp;
    }
    let (parts, body) = resp.into_parts();
    let Ok(bytes) = to_bytes(body, TEXT_LIMIT).await else {
        return Response::from_parts(parts, Body::empty());
    };
    let text = String::from_utf8_lossy(&bytes).trim().to_string();
    if text.starts_with("Invalid URL") || status == StatusCode::NOT_FOUND {
        return super::not_found().await.into_response();
    }
    let mut page = match status {
        StatusCode::PAYLOAD_TOO_LARGE => {
            WebError::BadRequest("what was sent is larger than this page takes".into())
        }
        _ => WebError::BadRequest(format!("what was sent could not be read: {text}")),
    }
    .into_response();
    *page.status_mut() = status;
    page
}
