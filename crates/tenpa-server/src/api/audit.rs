//! The audit log's integrity.

use crate::auth::Caller;
use crate::error::{ApiResult, AppError};
use crate::AppState;
use axum::extract::State;
use axum::Json;
use tenpa_rules::job_planning::Role;
use tenpa_store::AuditReport;

/// Checks the hash chain of the audit log (administrator or medical director).
#[utoipa::path(get, path = "/api/v1/audit/verify", responses((status = 200, body = crate::api::AnyJson), (status = 403)))]
pub async fn verify(
    State(state): State<AppState>,
    Caller(user): Caller,
) -> ApiResult<Json<AuditReport>> {
    if !(user.has(Role::Admin) || user.has(Role::MedicalDirector)) {
        return Err(AppError::Forbidden(
            "only an administrator or the medical director may check the audit log".into(),
        ));
    }
    Ok(Json(state.store.verify_audit().await?))
}
