//! Department templates of job plans through the API, on the operations the pages share
//! ([`crate::service::templates`]).

use crate::api::JsonBody;
use crate::auth::Caller;
use crate::error::ApiResult;
use crate::service::templates::{self, NewTemplate, TemplateView};
use crate::AppState;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::Json;
use serde::Deserialize;
use utoipa::ToSchema;

/// The templates in use the caller may start a plan from: every department's for those who see
/// the trust's plans, else their own department's.
#[utoipa::path(get, path = "/api/v1/plan-templates", responses((status = 200, body = [TemplateView]), (status = 401)))]
pub async fn list(
    State(state): State<AppState>,
    Caller(user): Caller,
) -> ApiResult<Json<Vec<TemplateView>>> {
    Ok(Json(templates::visible(&state.store, &user).await?))
}

/// Makes a template of a plan's department from the plan: its activities, on-call, cycle and
/// out-of-hours form, never what is personal to the consultant. The department's clinical
/// director, the medical director or medical staffing (403 otherwise, or for a plan the caller
/// may not see). 404 for no such plan; 422
/// naming `name` (in use in the department) or `description`.
#[utoipa::path(post, path = "/api/v1/plan-templates", request_body = NewTemplate, responses((status = 201, body = TemplateView), (status = 401), (status = 403), (status = 404), (status = 422)))]
pub async fn create(
    State(state): State<AppState>,
    Caller(user): Caller,
    JsonBody(body): JsonBody<NewTemplate>,
) -> ApiResult<(StatusCode, Json<TemplateView>)> {
    let t = templates::create(&state.store, &user, &body).await?;
    Ok((StatusCode::CREATED, Json(t)))
}

/// Retires a template: no longer offered, its name free again, its history kept. Who keeps the
/// department's templates. 409 when it has changed since `version`.
#[utoipa::path(post, path = "/api/v1/plan-templates/{id}/retire", params(("id" = i64, Path)), request_body = Retire, responses((status = 204), (status = 401), (status = 403), (status = 404), (status = 409)))]
pub async fn retire(
    State(state): State<AppState>,
    Caller(user): Caller,
    Path(id): Path<i64>,
    JsonBody(body): JsonBody<Retire>,
) -> ApiResult<StatusCode> {
    templates::retire(&state.store, &user, id, body.version).await?;
    Ok(StatusCode::NO_CONTENT)
}

/// The template's version when it was read.
#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct Retire {
    /// The version read; 409 when it has changed since.
    pub version: i64,
}
