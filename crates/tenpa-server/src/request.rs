//! Reading a request, as the API and the pages both do: the most a body may hold, its bytes, a
//! strict JSON body and a query string that cannot be read.

use crate::error::AppError;
use axum::body::Bytes;
use axum::extract::{FromRequest, Request};
use serde::de::DeserializeOwned;

/// The most a request body may hold.
pub const BODY_LIMIT: usize = 1024 * 1024;

/// A JSON body read strictly: size-limited, unknown fields refused (by the types), errors as
/// problem details naming the field.
pub struct JsonBody<T>(pub T);

/// Reads a request body's bytes, mapping an oversized body to 413.
pub async fn body_bytes<S: Send + Sync>(req: Request, state: &S) -> Result<Bytes, AppError> {
    Bytes::from_request(req, state).await.map_err(|e| {
        if e.status() == axum::http::StatusCode::PAYLOAD_TOO_LARGE {
            AppError::TooLarge(format!(
                "the request body is larger than the {} KiB allowed",
                BODY_LIMIT / 1024
            ))
        } else {
            AppError::BadRequest {
                detail: format!("the request body cannot be read: {e}"),
                field: None,
            }
        }
    })
}

impl<T: DeserializeOwned, S: Send + Sync> FromRequest<S> for JsonBody<T> {
    type Rejection = AppError;

    async fn from_request(req: Request, state: &S) -> Result<Self, Self::Rejection> {
        let bytes = body_bytes(req, state).await?;
        crate::service::refuse_nul(&bytes, "")?;
        let mut de = serde_json::Deserializer::from_slice(&bytes);
        let value: T = serde_path_to_error::deserialize(&mut de).map_err(|e| {
            let field = e.path().to_string();
            let inner = e.into_inner();
            AppError::BadRequest {
                detail: format!("the request body is not acceptable JSON: {inner}"),
                field: (field != ".").then_some(field),
            }
        })?;
        Ok(JsonBody(value))
    }
}

/// A query string that cannot be read, as problem details.
pub fn query_error(e: axum::extract::rejection::QueryRejection) -> AppError {
    AppError::BadRequest {
        detail: format!("the query string is not acceptable: {}", e.body_text()),
        field: None,
    }
}
