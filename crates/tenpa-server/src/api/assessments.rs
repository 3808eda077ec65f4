//! `POST /api/v1/assessments`: assess a job plan document without storing it.

use crate::api::body_bytes;
use crate::error::{ApiResult, AppError};
use crate::AppState;
use axum::extract::{Request, State};
use axum::Json;
use std::sync::{Arc, LazyLock};
use tenpa_rules::{evaluate, parse_document, Assessment, Format, JobPlanDocument, Parameters};
use tokio::sync::Semaphore;

/// Reads a document from JSON bytes: 400 when it is not JSON, 422 naming the field when it is not a
/// job plan. `prefix` is prepended to field paths (`document.`).
///
/// The body is parsed once, straight into the document; only when that fails is it looked at again
/// to tell a body that is not JSON (400) from a JSON value that is not a job plan (422).
pub fn read_document(
    bytes: &[u8],
    params: &Parameters,
    prefix: &str,
) -> ApiResult<JobPlanDocument> {
    match parse_document("request body", bytes, Format::Json, params) {
        Ok(doc) => {
            crate::api::refuse_nul(bytes, prefix)?;
            Ok(doc)
        }
        Err(e) => {
            if let Err(syntax) = serde_json::from_slice::<serde::de::IgnoredAny>(bytes) {
                return Err(AppError::BadRequest {
                    detail: format!("the body is not JSON: {syntax}"),
                    field: None,
                });
            }
            crate::api::refuse_nul(bytes, prefix)?;
            Err(AppError::Unprocessable {
                detail: format!("{}: {}", e.field, e.message),
                field: Some(format!("{prefix}{}", e.field)),
            })
        }
    }
}

/// Assessments running at once: one per processor. An assessment is CPU work; it runs on the
/// blocking pool, and no more than this many at a time, so the async workers keep answering
/// `/healthz` and everyone else while one client sends many documents.
static ASSESSMENTS: LazyLock<Semaphore> =
    LazyLock::new(|| Semaphore::new(std::thread::available_parallelism().map_or(2, |n| n.get())));

/// Evaluates a document here and now, mapping a date the rules cannot apply to into 422: for work
/// already off the async workers.
pub fn assess_now(doc: &JobPlanDocument, params: &Parameters) -> ApiResult<Assessment> {
    evaluate(doc, params, None).map_err(|e| AppError::Unprocessable {
        detail: e.to_string(),
        field: Some("job_plan.effective_from".into()),
    })
}

/// Evaluates a document off the async workers (see [`ASSESSMENTS`]), as [`assess_now`].
pub async fn assess(doc: &JobPlanDocument, params: &Arc<Parameters>) -> ApiResult<Assessment> {
    let _slot = ASSESSMENTS
        .acquire()
        .await
        .map_err(|e| AppError::Internal(e.to_string()))?;
    let (doc, params) = (doc.clone(), Arc::clone(params));
    tokio::task::spawn_blocking(move || assess_now(&doc, &params))
        .await
        .map_err(|e| AppError::Internal(format!("the assessment stopped: {e}")))?
}

/// Assess a job plan document (JSON, as `tenpa evaluate`); nothing is stored.
#[utoipa::path(post, path = "/api/v1/assessments", request_body(content = crate::api::AnyJson, description = "a job plan document"),
    responses((status = 200, description = "the assessment", body = crate::api::AnyJson), (status = 400, description = "not JSON"), (status = 422, description = "not a job plan document; `field` names the field")))]
pub async fn create(State(state): State<AppState>, req: Request) -> ApiResult<Json<Assessment>> {
    let bytes = body_bytes(req, &state).await?;
    let doc = read_document(&bytes, &state.params, "")?;
    Ok(Json(assess(&doc, &state.params).await?))
}
