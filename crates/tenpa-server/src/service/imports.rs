//! `POST /api/v1/imports`: the establishment import through the API, on the same path as
//! `tenpa import establishment` ([`crate::service::establishment`]): a report row by row, and the changes
//! applied in one transaction only when no row has an error and it is not a dry run — or, when
//! `skip_invalid` is asked, the valid rows applied and the rows with errors skipped and listed.
//!
//! Who may: an administrator or medical staffing, who keep the trust's records of its consultants.

use crate::error::{ApiResult, AppError};
use crate::service::establishment::{self, Applied, Mapping, Outcome, Report};
use crate::AppState;
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
    /// Skip the rows with errors and write the valid rows (default false: a row with an error
    /// means nothing is written). The skipped rows are the report's rows with outcome `error`,
    /// each with its errors; a skipped row's account is not created. An assignment number or
    /// username given on more than one row is an error on each of those rows, so all are skipped.
    #[serde(default)]
    pub skip_invalid: bool,
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
    /// Whether the rows with errors were to be skipped (`skip_invalid`).
    pub skip_invalid: bool,
    /// Whether the changes were written: not on a dry run, not when a row has an error unless
    /// `skip_invalid` was asked (then the valid rows' changes are written), and not when there
    /// was nothing to change.
    pub applied: bool,
    /// The rows with errors skipped (left out of what was written, or of what a dry run with
    /// `skip_invalid` would write): the rows with outcome `error`. 0 without `skip_invalid`.
    pub skipped: usize,
    /// Rows that create a record (created, when `applied`).
    pub create: usize,
    /// Rows that update one (updated, when `applied`).
    pub update: usize,
    /// Rows as the records already are.
    pub unchanged: usize,
    /// Rows with errors.
    pub errors: usize,
    /// Accounts to create, each linked to its record (created, when `applied`).
    pub accounts: usize,
    /// Row by row, in the file's order.
    pub rows: Vec<ImportRow>,
}

/// Runs an import for `user` (the API and the upload page): checks who may, reads the file off
/// the request threads, and applies it ([`establishment::apply`]) when asked and no row has an
/// error, or the rows with errors are to be skipped.
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
        return Err(AppError::unprocessable_at(
            "kind",
            format!("found {:?}, expected \"establishment\"", body.kind),
        ));
    }
    let mapping = match body.mapping.as_deref() {
        None => Mapping::default(),
        Some(text) => Mapping::parse(text)
            .map_err(|e| AppError::unprocessable_at("mapping", e.to_string()))?,
    };
    let held = establishment::Held::read(&state.store).await?;
    let today = crate::uk_time::today();
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
    .map_err(|e| AppError::unprocessable_at("csv", e.to_string()))?;
    let how = establishment::Apply {
        dry_run: body.dry_run,
        skip_invalid: body.skip_invalid,
    };
    let applied = establishment::apply(&state.store, &user.username, &report, how).await?;
    Ok(answer(&report, how, &applied))
}

fn answer(report: &Report, how: establishment::Apply, applied: &Applied) -> ImportReport {
    let (create, update, unchanged) = report.counts();
    ImportReport {
        kind: "establishment".into(),
        sha256: report.sha256.clone(),
        dry_run: how.dry_run,
        skip_invalid: how.skip_invalid,
        applied: matches!(applied, Applied::Written(..)),
        skipped: if how.skip_invalid { report.errors() } else { 0 },
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
