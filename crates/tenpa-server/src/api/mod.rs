//! The JSON API under `/api/v1`.

pub mod assessments;
pub mod audit;
pub mod awards;
pub mod board;
pub mod compliance;
pub mod consistency;
pub mod disclosures;
pub mod extra_pa_offers;
pub mod imports;
pub mod job_plans;
pub mod notifications;
pub mod objectives;
pub mod organisation;
pub mod payroll;
pub mod pecs;
pub mod progression;
pub mod reference;
pub mod rotas;
pub mod rounds;
pub mod sessions;
pub mod templates;
pub mod tokens;

pub use crate::request::{body_bytes, query_error, JsonBody, BODY_LIMIT};

use crate::error::AppError;
use utoipa::ToSchema;

/// A JSON answer written straight into a buffer of `capacity` bytes (it grows if need be): the
/// bytes and the `Content-Type` that [`axum::Json`] gives, without its small first buffer
/// growing several times on a larger answer.
pub fn json_response<T: serde::Serialize>(value: &T, capacity: usize) -> axum::response::Response {
    use axum::http::{header, HeaderValue};
    let mut buf = Vec::with_capacity(capacity);
    match serde_json::to_writer(&mut buf, value) {
        Ok(()) => {
            let mut resp = axum::response::Response::new(axum::body::Body::from(buf));
            resp.headers_mut().insert(
                header::CONTENT_TYPE,
                HeaderValue::from_static("application/json"),
            );
            resp
        }
        Err(e) => axum::response::IntoResponse::into_response(AppError::Internal(format!(
            "the answer cannot be written: {e}"
        ))),
    }
}

/// Any JSON value (an object, a list, …), in the OpenAPI document.
#[derive(ToSchema)]
#[schema(value_type = Value)]
pub struct AnyJson(pub serde_json::Value);
