//! Payroll exports through the API, on the path `tenpa payroll export` and the payroll page share
//! ([`crate::service::payroll`]). Medical staffing.

use crate::api::JsonBody;
use crate::auth::Caller;
use crate::download::{download, XLSX};
use crate::error::{ApiResult, AppError};
use crate::service::payroll::{self, file, ExportView};
use crate::AppState;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::Response;
use axum::Json;
use serde::{Deserialize, Serialize};
use tenpa_store::User;
use utoipa::ToSchema;

/// The payroll exports, the latest month first. Medical staffing.
#[utoipa::path(get, path = "/api/v1/payroll-exports", responses((status = 200, body = [ExportView]), (status = 401), (status = 403)))]
pub async fn list(
    State(state): State<AppState>,
    Caller(user): Caller,
) -> ApiResult<Json<Vec<ExportView>>> {
    staffing(&user)?;
    Ok(Json(
        state
            .store
            .payroll_exports()
            .await?
            .iter()
            .map(ExportView::from)
            .collect(),
    ))
}

/// Exports a month: for every consultant with a signed-off plan in force, a line per pay element
/// with the month's amount and its change since the previous export, and the arrears (or
/// overpayment) of earlier exported months that a plan signed off since changes, each at the
/// figures in force in its month. Made, stored and audited the first time (201); the same export
/// after (200). Medical staffing. 422 naming `period` for a malformed month or one before the
/// latest exported (months go in order, each once).
#[utoipa::path(post, path = "/api/v1/payroll-exports", request_body = NewExport, responses((status = 201, body = ExportAnswer), (status = 200, body = ExportAnswer), (status = 401), (status = 403), (status = 422)))]
pub async fn create(
    State(state): State<AppState>,
    Caller(user): Caller,
    JsonBody(body): JsonBody<NewExport>,
) -> ApiResult<(StatusCode, Json<ExportAnswer>)> {
    staffing(&user)?;
    let e = payroll::export(&state.store, &state.params, &user.username, &body.period).await?;
    let status = if e.made {
        StatusCode::CREATED
    } else {
        StatusCode::OK
    };
    Ok((
        status,
        Json(ExportAnswer {
            made: e.made,
            export: ExportView::from(&e.export),
        }),
    ))
}

/// An export's CSV, as stored. Medical staffing. 404 when the month has not been exported.
#[utoipa::path(get, path = "/api/v1/payroll-exports/{period}/csv", params(("period" = String, Path)), responses((status = 200, content_type = "text/csv", body = String), (status = 401), (status = 403), (status = 404), (status = 422)))]
pub async fn csv(
    State(state): State<AppState>,
    Caller(user): Caller,
    Path(period): Path<String>,
) -> ApiResult<Response> {
    let (csv, _) = file(&state, &user, &period).await?;
    Ok(download(
        "text/csv; charset=utf-8",
        &format!("payroll-{period}.csv"),
        csv,
    ))
}

/// An export's workbook, as stored. Medical staffing. 404 when the month has not been exported.
#[utoipa::path(get, path = "/api/v1/payroll-exports/{period}/xlsx", params(("period" = String, Path)), responses((status = 200, content_type = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", body = Vec<u8>), (status = 401), (status = 403), (status = 404), (status = 422)))]
pub async fn xlsx(
    State(state): State<AppState>,
    Caller(user): Caller,
    Path(period): Path<String>,
) -> ApiResult<Response> {
    let (_, xlsx) = file(&state, &user, &period).await?;
    Ok(download(XLSX, &format!("payroll-{period}.xlsx"), xlsx))
}

pub(crate) fn staffing(u: &User) -> ApiResult<()> {
    if crate::policy::may_export_payroll(u) {
        Ok(())
    } else {
        Err(AppError::Forbidden(
            "payroll exports are made and read by medical staffing".into(),
        ))
    }
}

/// A month to export.
#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct NewExport {
    /// The month, `YYYY-MM`.
    pub period: String,
}

/// What an export request did.
#[derive(Serialize, ToSchema)]
pub struct ExportAnswer {
    /// Whether it was made now (201); else the month had been exported and this is that export.
    pub made: bool,
    /// The export.
    pub export: ExportView,
}
