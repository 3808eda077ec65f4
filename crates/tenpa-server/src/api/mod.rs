//! The JSON API under `/api/v1`.

pub mod assessments;
pub mod audit;
pub mod awards;
pub mod board;
pub mod criteria;
pub mod disclosures;
pub mod extra_pa_offers;
pub mod job_plans;
pub mod objectives;
pub mod pecs;
pub mod progression;
pub mod reference;
pub mod rota_plans;
pub mod rotas;
pub mod sessions;
pub mod tokens;

use crate::error::{ApiResult, AppError};
use axum::body::Bytes;
use axum::extract::{FromRequest, Request};
use serde::de::DeserializeOwned;
use tenpa_rules::job_planning::{Actor, WorkflowError};
use utoipa::ToSchema;

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

/// Any JSON value, in the OpenAPI document.
#[derive(ToSchema)]
#[schema(value_type = Object)]
pub struct AnyJson(pub serde_json::Value);

/// Tries a workflow step as each of the caller's roles in turn; the first allowed wins. A step that
/// does not apply in the current state is 409 (with the current version); one the caller may not
/// take is 403.
pub fn first_allowed<S>(
    actors: impl IntoIterator<Item = Actor>,
    version: i64,
    step: impl Fn(Actor) -> Result<S, WorkflowError>,
) -> ApiResult<S> {
    let mut last = None;
    for actor in actors {
        match step(actor) {
            Ok(s) => return Ok(s),
            Err(e) => last = Some(e),
        }
    }
    Err(match last {
        Some(e @ WorkflowError::NotFromHere { .. }) => AppError::Conflict {
            detail: e.to_string(),
            current_version: Some(version),
        },
        Some(e) => AppError::Forbidden(e.to_string()),
        None => AppError::Forbidden("your account has no role".into()),
    })
}
