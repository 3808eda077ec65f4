//! Private practice disclosures (PRV-2, D 3.6-3.7): dated, per consultant, with a status that
//! reports a missing or stale (more than 12 months old) disclosure as a warning finding.
//!
//! The handlers here read the request and shape the answer; the operations they call are
//! [`crate::service::disclosures`]'s, which the pages share.

use crate::api::JsonBody;
use crate::auth::Caller;
use crate::error::{ApiResult, AppError};
use crate::policy::job_plan_scope;
use crate::service::disclosures::*;
use crate::service::objectives::sees;
use crate::AppState;
use axum::extract::rejection::QueryRejection;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::Json;
use tenpa_store::Disclosure;

/// Filters for the list.
#[derive(serde::Deserialize, utoipa::IntoParams)]
#[serde(deny_unknown_fields)]
pub struct DisclosureQuery {
    /// Only this consultant's.
    pub consultant_id: Option<String>,
}

/// Disclosures the caller may see, newest first.
#[utoipa::path(get, path = "/api/v1/private-practice-disclosures", params(DisclosureQuery), responses((status = 200, body = crate::api::AnyJson), (status = 401)))]
pub async fn list(
    State(state): State<AppState>,
    Caller(user): Caller,
    q: Result<Query<DisclosureQuery>, QueryRejection>,
) -> ApiResult<Json<Vec<Disclosure>>> {
    let Query(q) = q.map_err(crate::api::query_error)?;
    Ok(Json(
        state
            .store
            .disclosures(&job_plan_scope(&user), q.consultant_id.as_deref())
            .await?,
    ))
}

/// Records a disclosure (the consultant, their clinical director, the medical director or medical
/// staffing).
#[utoipa::path(post, path = "/api/v1/private-practice-disclosures", request_body = NewDisclosure, responses((status = 201, body = DisclosureStatus), (status = 400), (status = 403), (status = 422)))]
pub async fn create(
    State(state): State<AppState>,
    Caller(user): Caller,
    JsonBody(body): JsonBody<NewDisclosure>,
) -> ApiResult<(StatusCode, Json<DisclosureStatus>)> {
    Ok((
        StatusCode::CREATED,
        Json(record(&state, &user, body).await?),
    ))
}

/// A consultant's disclosure status: the latest disclosure and the PRV-2 finding when it is missing
/// or stale.
#[utoipa::path(get, path = "/api/v1/consultants/{id}/private-practice", params(("id" = String, Path)), responses((status = 200, body = DisclosureStatus), (status = 403), (status = 404)))]
pub async fn status(
    State(state): State<AppState>,
    Caller(user): Caller,
    Path(id): Path<String>,
) -> ApiResult<Json<DisclosureStatus>> {
    let c = state
        .store
        .consultant(&id)
        .await?
        .ok_or_else(|| AppError::NotFound(format!("consultant {id}")))?;
    if !sees(&user, &c.id, c.department_id) {
        return Err(AppError::Forbidden(format!(
            "consultant {id}'s records are not ones you may see"
        )));
    }
    Ok(Json(
        status_of(&state, &c.id, crate::uk_time::today()).await?,
    ))
}
