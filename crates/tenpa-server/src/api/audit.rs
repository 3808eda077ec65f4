//! The audit log's integrity, and the stored figures against the rules: each job plan version's
//! total and superannuable pay worked out again from its stored document.
//!
//! The handlers here read the request and shape the answer; the operations they call are
//! [`crate::service::audit`]'s, which the pages share.

use crate::auth::Caller;
use crate::error::{ApiResult, AppError};
use crate::service::audit::*;
use crate::AppState;
use axum::extract::State;
use axum::Json;

/// Checks the hash chain of the audit log, and each stored job plan version's total and
/// superannuable pay against its document (administrator or medical director).
#[utoipa::path(get, path = "/api/v1/audit/verify", responses((status = 200, body = crate::api::AnyJson, description = "`first_broken` and `reason` name the first broken entry (null when intact); `figures.mismatches` the versions whose stored pay differs from their document's assessment"), (status = 401), (status = 403)))]
pub async fn verify(
    State(state): State<AppState>,
    Caller(user): Caller,
) -> ApiResult<Json<Verification>> {
    if !crate::policy::may_verify_audit(&user) {
        return Err(AppError::Forbidden(
            "only an administrator or the medical director may check the audit log".into(),
        ));
    }
    let chain = state.store.verify_audit().await?;
    let figures = check_figures(&state.store, state.params.clone()).await?;
    Ok(Json(Verification { chain, figures }))
}
