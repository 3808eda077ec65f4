//! Reading a page's file upload (a `multipart/form-data` form): every part with its name, the
//! file's name and its bytes, the files' total held under the page's limit. One reader for the
//! upload pages; each page then takes the fields it knows.

use super::page::{PageResult, WebError};
use axum::extract::Multipart;
use axum::http::StatusCode;

/// One part of the form.
pub struct Part {
    /// The form field's name.
    pub name: String,
    /// The chosen file's name (empty for a plain field).
    pub file_name: String,
    /// Its content.
    pub bytes: Vec<u8>,
}

impl Part {
    /// The content as text (invalid UTF-8 replaced: plain fields are the page's own).
    pub fn text(&self) -> String {
        String::from_utf8_lossy(&self.bytes).into_owned()
    }
}

/// What a page takes: the most bytes of files in all (a body over the server's limit is refused
/// the same way), and the most parts.
pub struct Limits {
    /// The files' bytes in all.
    pub file_bytes: usize,
    /// Parts of any kind.
    pub parts: usize,
    /// The answer when the files are too large, naming what to use instead.
    pub too_large: fn() -> WebError,
    /// The answer when there are too many parts.
    pub too_many: fn() -> WebError,
}

/// Every part of the form, in order; 400 when the body cannot be read, the files are over
/// `limits.file_bytes` in all, or there are more than `limits.parts` parts.
pub async fn parts(mut m: Multipart, limits: &Limits) -> PageResult<Vec<Part>> {
    let mut parts = Vec::new();
    let mut file_bytes = 0usize;
    loop {
        let field = match m.next_field().await {
            Ok(Some(f)) => f,
            Ok(None) => return Ok(parts),
            Err(e) if e.status() == StatusCode::PAYLOAD_TOO_LARGE => {
                return Err((limits.too_large)())
            }
            Err(e) => {
                return Err(WebError::BadRequest(format!(
                    "the upload cannot be read: {e}"
                )))
            }
        };
        if parts.len() == limits.parts {
            return Err((limits.too_many)());
        }
        let name = field.name().unwrap_or("").to_string();
        let file_name = field.file_name().unwrap_or("").to_string();
        let bytes = field.bytes().await.map_err(|e| {
            WebError::BadRequest(format!("the upload's field {name} cannot be read: {e}"))
        })?;
        if !file_name.is_empty() {
            file_bytes += bytes.len();
            if file_bytes > limits.file_bytes {
                return Err((limits.too_large)());
            }
        }
        parts.push(Part {
            name,
            file_name,
            bytes: bytes.to_vec(),
        });
    }
}
