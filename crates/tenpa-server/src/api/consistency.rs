//! The consistency report through the API ([`crate::service::consistency`]).

use crate::auth::Caller;
use crate::error::ApiResult;
use crate::service::consistency::{self, ConsistencyReport};
use crate::AppState;
use axum::extract::State;
use axum::Json;

/// Consistency across the trust (the medical director, medical staffing, the chief executive): for
/// the trust, each department and each specialty, the quartiles and median of each consultant's
/// current plan's SPA, DCC, on-call and extra PAs, pay per PA and days from proposal to sign-off,
/// and the share of plans that went into dispute; a group of fewer than five consultants shows no
/// figures (`suppressed`). `outliers`: consultants beyond one and a half times the interquartile
/// range below the trust's lower quartile or above its upper.
#[utoipa::path(get, path = "/api/v1/reports/consistency", responses((status = 200, body = ConsistencyReport), (status = 401), (status = 403)))]
pub async fn report(
    State(state): State<AppState>,
    Caller(user): Caller,
) -> ApiResult<Json<ConsistencyReport>> {
    Ok(Json(
        consistency::report(&state.store, &state.params, &user).await?,
    ))
}
