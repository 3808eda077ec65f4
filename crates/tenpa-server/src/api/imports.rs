//! `POST /api/v1/imports`: the establishment import through the API, on the same path as
//! `tenpa import establishment` ([`crate::establishment`]): a report row by row, and the changes
//! applied in one transaction only when no row has an error and it is not a dry run.
//!
//! Who may: an administrator or medical staffing, who keep the trust's records of its consultants.

use crate::api::JsonBody;
use crate::auth::Caller;
use crate::error::{ApiResult, AppError};
use crate::establishment::{self, Mapping, Outcome, Report};
use crate::AppState;
use axum::extract::State;
use axum::Json;
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

/// An import: the file's text, and what to do with it.
#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct NewImport {
    /// What the file holds: `establishment` (consultant records from the staff record).
    pub kind: String,
    /// The CSV file's text (UTF-8), heading line first.
    pub csv: String,
    /// A mapping file's text (TOML, `[columns]`), naming the extract's own headings.
    #[serde(default)]
    pub mapping: Option<String>,
    /// Report only and write nothing.
    #[serde(default)]
    pub dry_run: bool,
}

/// A row's error.
#[derive(Serialize, ToSchema)]
pub struct ImportError {
    /// The line of the file (the heading is line 1).
    pub line: usize,
    /// The column, by the file's heading.
    pub column: String,
    /// The value found.
    pub value: String,
    /// What was expected.
    pub expected: String,
}

/// One row of the report.
#[derive(Serialize, ToSchema)]
pub struct ImportRow {
    /// The line of the file.
    pub line: usize,
    /// The row's assignment number as given.
    pub assignment_number: String,
    /// `create`, `update`, `unchanged` or `error`.
    pub outcome: String,
    /// With `update`: the fields that change.
    pub fields: Vec<String>,
    /// With `error`: the row's errors.
    pub errors: Vec<ImportError>,
    /// The account the row creates for the consultant (its `username` column), if any.
    pub account: Option<String>,
}

/// The report of an import.
#[derive(Serialize, ToSchema)]
pub struct ImportReport {
    /// What the file held.
    pub kind: String,
    /// The file's SHA-256 (hex), as the audit log names the import.
    pub sha256: String,
    /// Whether it was a dry run.
    pub dry_run: bool,
    /// Whether the changes were written: not on a dry run, not when a row has an error (all or
    /// nothing), and not when there was nothing to change.
    pub applied: bool,
    /// Rows that create a record.
    pub create: usize,
    /// Rows that update one.
    pub update: usize,
    /// Rows as the records already are.
    pub unchanged: usize,
    /// Rows with errors.
    pub errors: usize,
    /// Accounts to create, each linked to its record.
    pub accounts: usize,
    /// Row by row, in the file's order.
    pub rows: Vec<ImportRow>,
}

fn unprocessable(field: &str, detail: String) -> AppError {
    AppError::Unprocessable {
        detail,
        field: Some(field.into()),
    }
}

/// Imports consultant records from an extract of the staff record (`kind` `establishment`): the
/// report row by row (create, update and the fields that change, unchanged, or the row's errors
/// with line, column, value and expectation). Unless `dry_run`, and only when no row has an
/// error, every change is written in one transaction, each record audited and the import as one
/// entry with the file's SHA-256; importing the same file again writes nothing. An administrator
/// or medical staffing. 422 naming `kind`, `csv` or `mapping` when the file or the mapping
/// cannot be read.
#[utoipa::path(post, path = "/api/v1/imports", request_body = NewImport, responses((status = 200, body = ImportReport), (status = 400), (status = 401), (status = 403), (status = 422)))]
pub async fn create(
    State(state): State<AppState>,
    Caller(user): Caller,
    JsonBody(body): JsonBody<NewImport>,
) -> ApiResult<Json<ImportReport>> {
    Ok(Json(run(&state, &user, body).await?))
}

/// Runs an import for `user` (the API and the upload page): checks who may, reads the file off
/// the request threads, and applies it when asked and no row has an error.
pub async fn run(
    state: &AppState,
    user: &tenpa_store::User,
    body: NewImport,
) -> ApiResult<ImportReport> {
    if !crate::policy::may_keep_records(user) {
        return Err(AppError::Forbidden(
            "imports are made by an administrator or medical staffing".into(),
        ));
    }
    if body.kind != "establishment" {
        return Err(unprocessable(
            "kind",
            format!("kind: found {:?}, expected \"establishment\"", body.kind),
        ));
    }
    let mapping = match body.mapping.as_deref() {
        None => Mapping::default(),
        Some(text) => {
            Mapping::parse(text).map_err(|e| unprocessable("mapping", format!("mapping: {e}")))?
        }
    };
    let held = establishment::Held::read(&state.store).await?;
    let today = establishment::uk_date(chrono::Utc::now());
    let full_time_pas = *state
        .params
        .full_time_pas
        .value(today)
        .map_err(|e| AppError::Internal(format!("working_week/full_time_pas.toml: {e}")))?;
    // Reading a large file is CPU work: off the request threads.
    let csv = body.csv;
    let report = tokio::task::spawn_blocking(move || {
        let cx = held.context(today, full_time_pas);
        establishment::read(csv.as_bytes(), &mapping, &cx, &mut |_| {})
    })
    .await
    .map_err(|e| AppError::Internal(format!("the import stopped: {e}")))?
    .map_err(|e| unprocessable("csv", format!("csv: {e}")))?;
    let applied = !body.dry_run
        && report.errors() == 0
        && !(report.changes.is_empty() && report.accounts.is_empty());
    if applied {
        state
            .store
            .apply_establishment(
                &user.username,
                &report.changes,
                &report.accounts,
                &report.sha256,
            )
            .await?;
    }
    Ok(answer(&report, body.dry_run, applied))
}

fn answer(report: &Report, dry_run: bool, applied: bool) -> ImportReport {
    let (create, update, unchanged) = report.counts();
    ImportReport {
        kind: "establishment".into(),
        sha256: report.sha256.clone(),
        dry_run,
        applied,
        create,
        update,
        unchanged,
        errors: report.errors(),
        accounts: report.accounts.len(),
        rows: report
            .rows
            .iter()
            .map(|r| {
                let (outcome, fields, errors) = match &r.outcome {
                    Outcome::Create => ("create", vec![], vec![]),
                    Outcome::Update(f) => {
                        ("update", f.iter().map(|s| s.to_string()).collect(), vec![])
                    }
                    Outcome::Unchanged => ("unchanged", vec![], vec![]),
                    Outcome::Error(e) => (
                        "error",
                        vec![],
                        e.iter()
                            .map(|e| ImportError {
                                line: e.line,
                                column: e.column.clone(),
                                value: e.value.clone(),
                                expected: e.expected.clone(),
                            })
                            .collect(),
                    ),
                };
                ImportRow {
                    line: r.line,
                    assignment_number: r.key.clone(),
                    outcome: outcome.into(),
                    fields,
                    errors,
                    account: r.account.clone(),
                }
            })
            .collect(),
    }
}
