//! Awards and premia of consultants: clinical excellence awards (CEA-1 … CEA-4) with their value
//! from the parameters by level and start date, and recruitment and retention premia (PAY-4) with
//! their amount, evidence and PAY-4 findings. Money is taken and returned as a string of pounds
//! with two decimals and kept as whole pence.
//!
//! The handlers here read the request and shape the answer; the operations they call are
//! [`crate::service::awards`]'s, which the pages share.

use crate::api::JsonBody;
use crate::auth::Caller;
use crate::error::ApiResult;
use crate::policy::job_plan_scope;
use crate::service::awards::*;
use crate::AppState;
use axum::extract::rejection::QueryRejection;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::Json;

/// Awards and premia the caller may see (the consultant their own, a clinical director their
/// department's, the medical director, medical staffing and chief executive all), by consultant
/// and start date; an award with its value on its start date, a premium with its PAY-4 findings.
#[utoipa::path(get, path = "/api/v1/awards", params(AwardQuery), responses((status = 200, body = Vec<AwardView>), (status = 400), (status = 401)))]
pub async fn list(
    State(state): State<AppState>,
    Caller(user): Caller,
    q: Result<Query<AwardQuery>, QueryRejection>,
) -> ApiResult<Json<Vec<AwardView>>> {
    let Query(q) = q.map_err(crate::api::query_error)?;
    let awards = state
        .store
        .awards(&job_plan_scope(&user), q.consultant_id.as_deref())
        .await?;
    Ok(Json(
        awards.into_iter().map(|r| view(r, &state.params)).collect(),
    ))
}

/// Records an award or premium (the medical director or medical staffing).
#[utoipa::path(post, path = "/api/v1/awards", request_body = NewAward, responses((status = 201, body = AwardView), (status = 400), (status = 401), (status = 403), (status = 422)))]
pub async fn create(
    State(state): State<AppState>,
    Caller(user): Caller,
    JsonBody(body): JsonBody<NewAward>,
) -> ApiResult<(StatusCode, Json<AwardView>)> {
    Ok((
        StatusCode::CREATED,
        Json(record(&state, &user, body).await?),
    ))
}

/// Ends an award or premium on its last day (the medical director or medical staffing); names the
/// version ended, and a stale version is 409 with the current one.
#[utoipa::path(post, path = "/api/v1/awards/{id}/end", params(("id" = i64, Path, description = "the award")), request_body = EndAward, responses((status = 200, body = AwardView), (status = 400), (status = 401), (status = 403), (status = 404), (status = 409), (status = 422)))]
pub async fn end(
    State(state): State<AppState>,
    Caller(user): Caller,
    Path(id): Path<i64>,
    JsonBody(body): JsonBody<EndAward>,
) -> ApiResult<Json<AwardView>> {
    Ok(Json(end_award(&state, &user, id, body).await?))
}
