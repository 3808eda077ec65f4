//! Objectives under the A 7.2 headings, per consultant and year, with progress notes appended over
//! time (JP-3, A 7.1-7.7). An objective is `proposed` when written and `agreed` once the consultant
//! and their manager have both agreed its current text; an edit is a new version, kept, which both
//! sides agree again.
//!
//! The handlers here read the request and shape the answer; the operations they call are
//! [`crate::service::objectives`]'s, which the pages share.

use crate::api::JsonBody;
use crate::auth::Caller;
use crate::error::ApiResult;
use crate::policy::job_plan_scope;
use crate::service::objectives::*;
use crate::AppState;
use axum::extract::rejection::QueryRejection;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::Json;
use tenpa_store::Objective;

/// Objectives the caller may see, optionally of one consultant and year.
#[utoipa::path(get, path = "/api/v1/objectives", params(ObjectiveQuery), responses((status = 200, body = crate::api::AnyJson), (status = 400), (status = 401)))]
pub async fn list(
    State(state): State<AppState>,
    Caller(user): Caller,
    q: Result<Query<ObjectiveQuery>, QueryRejection>,
) -> ApiResult<Json<Vec<Objective>>> {
    let Query(q) = q.map_err(crate::api::query_error)?;
    Ok(Json(
        state
            .store
            .objectives(&job_plan_scope(&user), q.consultant_id.as_deref(), q.year)
            .await?,
    ))
}

/// One objective with its progress notes.
#[utoipa::path(get, path = "/api/v1/objectives/{id}", params(("id" = i64, Path)), responses((status = 200, body = crate::api::AnyJson), (status = 403), (status = 404)))]
pub async fn get(
    State(state): State<AppState>,
    Caller(user): Caller,
    Path(id): Path<i64>,
) -> ApiResult<Json<Objective>> {
    Ok(Json(load(&state, &user, id).await?))
}

/// Records an objective (the consultant, their clinical director or the medical director).
#[utoipa::path(post, path = "/api/v1/objectives", request_body = NewObjective, responses((status = 201, body = crate::api::AnyJson), (status = 400), (status = 403), (status = 422)))]
pub async fn create(
    State(state): State<AppState>,
    Caller(user): Caller,
    JsonBody(body): JsonBody<NewObjective>,
) -> ApiResult<(StatusCode, Json<Objective>)> {
    let id = record(
        &state,
        &user,
        &body.consultant_id,
        body.year,
        body.heading,
        &body.text,
    )
    .await?;
    Ok((StatusCode::CREATED, Json(load(&state, &user, id).await?)))
}

/// Appends a progress note to an objective (the consultant, their clinical director or the
/// medical director). Notes are never edited.
#[utoipa::path(post, path = "/api/v1/objectives/{id}/notes", params(("id" = i64, Path)), request_body = NewNote, responses((status = 201, body = crate::api::AnyJson), (status = 403), (status = 404), (status = 422)))]
pub async fn add_note(
    State(state): State<AppState>,
    Caller(user): Caller,
    Path(id): Path<i64>,
    JsonBody(body): JsonBody<NewNote>,
) -> ApiResult<(StatusCode, Json<Objective>)> {
    record_note(&state, &user, id, &body.note, body.outside_control).await?;
    Ok((StatusCode::CREATED, Json(load(&state, &user, id).await?)))
}

/// Edits an objective: a new version of its heading and text, `proposed` until both sides agree it
/// (the consultant, their clinical director or the medical director). Earlier versions are kept.
#[utoipa::path(put, path = "/api/v1/objectives/{id}", params(("id" = i64, Path)), request_body = ObjectiveEdit, responses((status = 200, body = crate::api::AnyJson), (status = 400), (status = 403), (status = 404), (status = 409, description = "a stale version: the problem's `current` holds the objective as it now is"), (status = 422)))]
pub async fn edit(
    State(state): State<AppState>,
    Caller(user): Caller,
    Path(id): Path<i64>,
    JsonBody(body): JsonBody<ObjectiveEdit>,
) -> ApiResult<Json<Objective>> {
    record_edit(&state, &user, id, body.version, body.heading, &body.text).await?;
    Ok(Json(load(&state, &user, id).await?))
}

/// Agrees the current version of an objective for one side: the consultant for themselves, the
/// clinical director of their department or the medical director for the manager. Once both
/// sides have agreed the same version the objective is `agreed` (JP-3).
#[utoipa::path(post, path = "/api/v1/objectives/{id}/agreement", params(("id" = i64, Path)), request_body = NewAgreement, responses((status = 200, body = crate::api::AnyJson), (status = 400), (status = 403), (status = 404), (status = 409, description = "a stale version, or the side has already agreed it: the problem's `current` holds the objective as it now is")))]
pub async fn agree(
    State(state): State<AppState>,
    Caller(user): Caller,
    Path(id): Path<i64>,
    JsonBody(body): JsonBody<NewAgreement>,
) -> ApiResult<Json<Objective>> {
    record_agreement(&state, &user, id, body.version, body.side.map(Into::into)).await?;
    Ok(Json(load(&state, &user, id).await?))
}
