//! The job-plan sign-off measure and its monthly snapshots through the API, on the path the
//! compliance page and `tenpa snapshot` share ([`crate::service::compliance`]).

use crate::auth::Caller;
use crate::error::ApiResult;
use crate::service::compliance::{self, ComplianceReport, SnapshotList, SnapshotView, Taken};
use crate::AppState;
use axum::extract::rejection::QueryRejection;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::Json;
use serde::Deserialize;
use utoipa::IntoParams;

/// Which part of the trust.
#[derive(Deserialize, IntoParams)]
#[serde(deny_unknown_fields)]
pub struct ComplianceQuery {
    /// Only this department's consultants (a clinical director may read only their own).
    pub department_id: Option<i64>,
}

/// The share of consultants in post whose job plan was signed off by both sides within the review
/// interval (JP-1, A 9.1), today: for the trust (or one department), by department and by
/// specialty, with every consultant's standing (`signed_off`, `never_signed`, `expired`,
/// `in_dispute`, `not_yet_counted`), last sign-off and review date. The medical director, medical
/// staffing and the chief executive; a clinical director for their own department.
#[utoipa::path(get, path = "/api/v1/compliance", params(ComplianceQuery), responses((status = 200, body = ComplianceReport), (status = 400), (status = 401), (status = 403), (status = 422)))]
pub async fn report(
    State(state): State<AppState>,
    Caller(user): Caller,
    q: Result<Query<ComplianceQuery>, QueryRejection>,
) -> ApiResult<Json<ComplianceReport>> {
    let Query(q) = q.map_err(crate::api::query_error)?;
    Ok(Json(
        compliance::report_for(
            &state.store,
            &state.params,
            &user,
            compliance::today(),
            q.department_id,
        )
        .await?,
    ))
}

/// The monthly snapshots, the latest first, each with whether its body still matches its hash and
/// links to the one before, and whether the whole chain holds. The trust's report readers.
#[utoipa::path(get, path = "/api/v1/compliance/snapshots", responses((status = 200, body = SnapshotList), (status = 401), (status = 403)))]
pub async fn snapshots(
    State(state): State<AppState>,
    Caller(user): Caller,
) -> ApiResult<Json<SnapshotList>> {
    Ok(Json(compliance::snapshots(&state.store, &user).await?))
}

/// One snapshot: the figures and the list as they were stored, and whether its link holds.
#[utoipa::path(get, path = "/api/v1/compliance/snapshots/{id}", params(("id" = i64, Path, description = "the snapshot")), responses((status = 200, body = SnapshotView), (status = 400), (status = 401), (status = 403), (status = 404)))]
pub async fn snapshot(
    State(state): State<AppState>,
    Caller(user): Caller,
    Path(id): Path<i64>,
) -> ApiResult<Json<SnapshotView>> {
    Ok(Json(compliance::snapshot(&state.store, &user, id).await?))
}

/// Takes this month's snapshot of the trust's measure: stored, chained and audited the first time
/// (201); the month's stored snapshot after (200). 409 when a later month has one. The medical
/// director and medical staffing.
#[utoipa::path(post, path = "/api/v1/compliance/snapshots", responses((status = 201, body = Taken), (status = 200, body = Taken), (status = 401), (status = 403), (status = 409)))]
pub async fn take(
    State(state): State<AppState>,
    Caller(user): Caller,
) -> ApiResult<(StatusCode, Json<Taken>)> {
    let t = compliance::take(&state.store, &state.params, &user, compliance::today()).await?;
    let status = if t.made {
        StatusCode::CREATED
    } else {
        StatusCode::OK
    };
    Ok((status, Json(t)))
}
