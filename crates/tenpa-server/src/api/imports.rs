//! `POST /api/v1/imports`: the establishment import through the API, on the same path as
//! `tenpa import establishment` ([`crate::service::establishment`]): a report row by row, and the changes
//! applied in one transaction only when no row has an error and it is not a dry run — or, when
//! `skip_invalid` is asked, the valid rows applied and the rows with errors skipped and listed.
//!
//! Who may: an administrator or medical staffing, who keep the trust's records of its consultants.

use crate::api::JsonBody;
use crate::auth::Caller;
use crate::error::ApiResult;
use crate::service::imports::*;
use crate::AppState;
use axum::extract::State;
use axum::Json;

/// Imports consultant records from an extract of the staff record (`kind` `establishment`): the
/// report row by row (create, update and the fields that change, unchanged, or the row's errors
/// with line, column, value and expectation). Unless `dry_run`, and only when no row has an
/// error, every change is written in one transaction, each record audited and the import as one
/// entry with the file's SHA-256; importing the same file again writes nothing. With
/// `skip_invalid`, the valid rows are written and the rows with errors skipped (listed with their
/// errors, counted in `skipped` and in the import's audit entry). An administrator or medical
/// staffing. 422 naming `kind`, `csv` or `mapping` when the file or the mapping
/// cannot be read.
#[utoipa::path(post, path = "/api/v1/imports", request_body = NewImport, responses((status = 200, body = ImportReport), (status = 400), (status = 401), (status = 403), (status = 422)))]
pub async fn create(
    State(state): State<AppState>,
    Caller(user): Caller,
    JsonBody(body): JsonBody<NewImport>,
) -> ApiResult<Json<ImportReport>> {
    Ok(Json(run(&state, &user, body).await?))
}
