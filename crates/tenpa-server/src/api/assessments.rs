//! `POST /api/v1/assessments`: assess a job plan document without storing it.
//!
//! The handlers here read the request and shape the answer; the operations they call are
//! [`crate::service::assessments`]'s, which the pages share.

use crate::api::body_bytes;
use crate::error::ApiResult;
use crate::service::assessments::*;
use crate::AppState;
use axum::extract::{Request, State};
use axum::response::Response;

/// Assess a job plan document (JSON, as `tenpa evaluate`); nothing is stored.
#[utoipa::path(post, path = "/api/v1/assessments", request_body(content = crate::api::AnyJson, description = "a job plan document"),
    responses((status = 200, description = "the assessment", body = crate::api::AnyJson), (status = 400, description = "not JSON"), (status = 422, description = "not a job plan document; `field` names the field")))]
pub async fn create(State(state): State<AppState>, req: Request) -> ApiResult<Response> {
    let bytes = body_bytes(req, &state).await?;
    let doc = read_document(&bytes, &state.params, "")?;
    let assessment = if doc.activities.len() <= INLINE_ACTIVITIES {
        assess_now(&doc, &state.params)?
    } else {
        assess_owned(doc, &state.params).await?
    };
    Ok(crate::api::json_response(&assessment, ANSWER_CAPACITY))
}

/// Room reserved for an assessment's JSON: a typical plan's answer fits without growing.
const ANSWER_CAPACITY: usize = 4096;
