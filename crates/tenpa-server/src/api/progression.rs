//! Job plan reviews and pay progression decisions (PP-3): the manager's report (an annual review),
//! the Medical Director's recommendation, the Chief Executive's decision, and an appeal.
//!
//! The handlers here read the request and shape the answer; the operations they call are
//! [`crate::service::progression`]'s, which the pages share.

use crate::api::{AnyJson, JsonBody};
use crate::auth::Caller;
use crate::error::ApiResult;
use crate::policy::job_plan_scope;
use crate::service::progression::*;
use crate::AppState;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::Json;
use tenpa_store::{Case, Review};

/// Records a review (clinical director of the consultant's department, or medical director).
#[utoipa::path(post, path = "/api/v1/reviews", request_body = NewReview, responses((status = 201, body = AnyJson), (status = 403), (status = 422)))]
pub async fn create_review(
    State(state): State<AppState>,
    Caller(user): Caller,
    JsonBody(body): JsonBody<NewReview>,
) -> ApiResult<(StatusCode, Json<serde_json::Value>)> {
    let (id, case) = record_review(&state, &user, body).await?;
    Ok((
        StatusCode::CREATED,
        Json(serde_json::json!({ "id": id, "progression_case_id": case })),
    ))
}

/// Reviews the caller may see.
#[utoipa::path(get, path = "/api/v1/reviews", responses((status = 200, body = AnyJson), (status = 401)))]
pub async fn reviews(
    State(state): State<AppState>,
    Caller(user): Caller,
) -> ApiResult<Json<Vec<Review>>> {
    Ok(Json(state.store.reviews(&job_plan_scope(&user)).await?))
}

/// Progression cases the caller may see.
#[utoipa::path(get, path = "/api/v1/progression-cases", responses((status = 200, body = AnyJson), (status = 401)))]
pub async fn cases(
    State(state): State<AppState>,
    Caller(user): Caller,
) -> ApiResult<Json<Vec<Case>>> {
    Ok(Json(
        state
            .store
            .progression_cases(&job_plan_scope(&user))
            .await?,
    ))
}

/// One progression case with its steps.
#[utoipa::path(get, path = "/api/v1/progression-cases/{id}", params(("id" = i64, Path)), responses((status = 200, body = CaseView), (status = 403), (status = 404)))]
pub async fn case(
    State(state): State<AppState>,
    Caller(user): Caller,
    Path(id): Path<i64>,
) -> ApiResult<Json<CaseView>> {
    Ok(Json(load(&state, &user, id).await?))
}

/// Takes the next step of a progression case (PP-3).
#[utoipa::path(post, path = "/api/v1/progression-cases/{id}/steps", params(("id" = i64, Path)), request_body = NewStep, responses((status = 200, body = CaseView), (status = 403), (status = 409), (status = 422)))]
pub async fn step(
    State(state): State<AppState>,
    Caller(user): Caller,
    Path(id): Path<i64>,
    JsonBody(body): JsonBody<NewStep>,
) -> ApiResult<Json<CaseView>> {
    take_step(&state, &user, id, body).await?;
    Ok(Json(load(&state, &user, id).await?))
}
