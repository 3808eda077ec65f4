//! Job-planning rounds through the API, on the path the rounds pages share
//! ([`crate::service::rounds`]).

use crate::api::JsonBody;
use crate::auth::Caller;
use crate::error::ApiResult;
use crate::service::rounds::{self, NewRound, RoundView};
use crate::AppState;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::Json;

/// Opens a job-planning round (the medical director or medical staffing): a title and each
/// department's deadline; its consultants are those the departments hold now. 201 with its
/// progress; 422 naming `title`, `deadlines` (none, a department twice or unknown) or
/// `deadlines[i].deadline` (not a date, or before today).
#[utoipa::path(post, path = "/api/v1/rounds", request_body = NewRound, responses((status = 201, body = RoundView), (status = 400), (status = 401), (status = 403), (status = 422)))]
pub async fn open(
    State(state): State<AppState>,
    Caller(user): Caller,
    JsonBody(body): JsonBody<NewRound>,
) -> ApiResult<(StatusCode, Json<RoundView>)> {
    let v = rounds::open(&state.store, &user, body, rounds::today()).await?;
    Ok((StatusCode::CREATED, Json(v)))
}

/// The rounds the caller may see, the latest first, each with its progress today: the medical
/// director, medical staffing and the chief executive every round; a clinical director their
/// department's part of the rounds it is in.
#[utoipa::path(get, path = "/api/v1/rounds", responses((status = 200, body = [RoundView]), (status = 401), (status = 403)))]
pub async fn list(
    State(state): State<AppState>,
    Caller(user): Caller,
) -> ApiResult<Json<Vec<RoundView>>> {
    Ok(Json(
        rounds::list(&state.store, &user, rounds::today()).await?,
    ))
}

/// One round's progress today: each department's consultants done (a plan signed off since the
/// round opened) and overdue (not done after the department's deadline), and each consultant's
/// plan state with the days it has spent in each state and a dispute's age (JP-4).
#[utoipa::path(get, path = "/api/v1/rounds/{id}", params(("id" = i64, Path, description = "the round")), responses((status = 200, body = RoundView), (status = 400), (status = 401), (status = 403), (status = 404)))]
pub async fn show(
    State(state): State<AppState>,
    Caller(user): Caller,
    Path(id): Path<i64>,
) -> ApiResult<Json<RoundView>> {
    Ok(Json(
        rounds::view(&state.store, &user, id, rounds::today()).await?,
    ))
}
