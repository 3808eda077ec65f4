//! Job plans: list, read, create, edit (a new version) and move through the workflow.
//!
//! The handlers here read the request and shape the answer; the operations they call are
//! [`crate::service::job_plans`]'s, which the pages share.

use crate::api::{AnyJson, JsonBody};
use crate::auth::Caller;
use crate::error::{ApiResult, AppError};
use crate::policy::job_plan_scope;
use crate::service::assessments::CheckedPlan;
use crate::service::job_plans::*;
use crate::AppState;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::Json;
use tenpa_store::{JobPlanSummary, VersionRecord};

/// The job plans the caller may see.
#[utoipa::path(get, path = "/api/v1/job-plans", responses((status = 200, body = AnyJson), (status = 401)))]
pub async fn list(
    State(state): State<AppState>,
    Caller(user): Caller,
) -> ApiResult<Json<Vec<JobPlanSummary>>> {
    Ok(Json(state.store.job_plans(&job_plan_scope(&user)).await?))
}

/// One job plan with its current document and assessment.
#[utoipa::path(get, path = "/api/v1/job-plans/{id}", params(("id" = i64, Path)), responses((status = 200, body = PlanView), (status = 403), (status = 404)))]
pub async fn get(
    State(state): State<AppState>,
    Caller(user): Caller,
    Path(id): Path<i64>,
) -> ApiResult<Json<PlanView>> {
    let plan = load(&state, &user, id).await?;
    Ok(Json(view(&user, plan)))
}

/// Every version of a job plan.
#[utoipa::path(get, path = "/api/v1/job-plans/{id}/versions", params(("id" = i64, Path)), responses((status = 200, body = AnyJson), (status = 403), (status = 404)))]
pub async fn versions(
    State(state): State<AppState>,
    Caller(user): Caller,
    Path(id): Path<i64>,
) -> ApiResult<Json<Vec<VersionRecord>>> {
    load(&state, &user, id).await?;
    Ok(Json(state.store.job_plan_versions(id).await?))
}

/// Creates a job plan (a draft) for a consultant on record.
#[utoipa::path(post, path = "/api/v1/job-plans", request_body = NewPlan, responses((status = 201, body = PlanView), (status = 403), (status = 422)))]
pub async fn create(
    State(state): State<AppState>,
    Caller(user): Caller,
    JsonBody(body): JsonBody<NewPlan>,
) -> ApiResult<(StatusCode, Json<PlanView>)> {
    let plan = CheckedPlan::check(body.document, &state.params, "document.").await?;
    let id = create_plan(&state, &user, &plan, &body.note).await?;
    let plan = load(&state, &user, id).await?;
    Ok((StatusCode::CREATED, Json(view(&user, plan))))
}

/// Edits a job plan: a new version of its document.
#[utoipa::path(put, path = "/api/v1/job-plans/{id}", params(("id" = i64, Path)), request_body = Edit, responses((status = 200, body = PlanView), (status = 403), (status = 404), (status = 409, description = "stale version, or the plan is not editable in its state"), (status = 422)))]
pub async fn update(
    State(state): State<AppState>,
    Caller(user): Caller,
    Path(id): Path<i64>,
    JsonBody(body): JsonBody<Edit>,
) -> ApiResult<Json<PlanView>> {
    let plan = load(&state, &user, id).await?;
    check_editable(&user, &plan.summary)?;
    let edited = CheckedPlan::check(body.document, &state.params, "document.").await?;
    save_edit(
        &state,
        &user,
        &plan.summary,
        body.version,
        &edited,
        &body.note,
    )
    .await?;
    let plan = load(&state, &user, id).await?;
    Ok(Json(view(&user, plan)))
}

/// Moves a job plan through the workflow (JP-1, JP-4). `refer` names an `alternate` when the
/// medical director is a party; only the named alternate may then `resolve`.
#[utoipa::path(post, path = "/api/v1/job-plans/{id}/transitions", params(("id" = i64, Path)), request_body = Transition, responses((status = 200, body = PlanView), (status = 403), (status = 404), (status = 409), (status = 422, description = "`alternate`: required and missing, unknown, or not one who may be named")))]
pub async fn transition(
    State(state): State<AppState>,
    Caller(user): Caller,
    Path(id): Path<i64>,
    JsonBody(body): JsonBody<Transition>,
) -> ApiResult<Json<PlanView>> {
    let plan = load(&state, &user, id).await?;
    take_step(&state, &user, &plan, Step::from(&body)).await?;
    // The caller was allowed to take the step, so sees its result even when the plan is no longer
    // theirs to see (a named alternate's resolution ends the referral to them).
    let plan = state
        .store
        .job_plan(id)
        .await?
        .ok_or_else(|| AppError::NotFound(format!("job plan {id}")))?;
    Ok(Json(view(&user, plan)))
}
