//! Where figures come from: rules and parameters.
//!
//! The handlers here read the request and shape the answer; the operations they call are
//! [`crate::service::reference`]'s, which the pages share.

use crate::error::{ApiResult, AppError};
use crate::service::reference::rules_with_id;
use crate::AppState;
use axum::extract::{Path, State};
use axum::Json;
use tenpa_rules::parameters::Described;
use tenpa_rules::rule::{self, Rule};

/// Every rule implemented, with its citation.
#[utoipa::path(get, path = "/api/v1/rules", responses((status = 200, body = crate::api::AnyJson)))]
pub async fn rules() -> Json<Vec<Rule>> {
    Json(rule::all())
}

/// One rule by id (`OC-6`).
#[utoipa::path(get, path = "/api/v1/rules/{id}", params(("id" = String, Path, description = "rule id, e.g. OC-6")), responses((status = 200, body = crate::api::AnyJson), (status = 404)))]
pub async fn rule_by_id(Path(id): Path<String>) -> ApiResult<Json<Vec<Rule>>> {
    let found = rules_with_id(&id);
    if found.is_empty() {
        return Err(AppError::NotFound(format!("rule {id}")));
    }
    Ok(Json(found))
}

/// Every parameter with its dated values and citations.
#[utoipa::path(get, path = "/api/v1/parameters", responses((status = 200, body = crate::api::AnyJson)))]
pub async fn parameters(State(state): State<AppState>) -> Json<Vec<Described>> {
    Json(state.params.described().cloned().collect())
}

/// One parameter (`pay/scale`).
#[utoipa::path(get, path = "/api/v1/parameters/{path}", params(("path" = String, Path, description = "e.g. pay/scale")), responses((status = 200, body = crate::api::AnyJson), (status = 404)))]
pub async fn parameter(
    State(state): State<AppState>,
    Path(path): Path<String>,
) -> ApiResult<Json<Described>> {
    state
        .params
        .describe(&path)
        .cloned()
        .map(Json)
        .ok_or_else(|| AppError::NotFound(format!("parameter {path}")))
}
