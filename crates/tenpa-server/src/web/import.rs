//! The establishment import's upload page (an administrator or medical staffing): choose the
//! staff record's extract (and a mapping file naming its headings), see the report row by row,
//! then import it — on the path the API and `tenpa import establishment` share, all or nothing;
//! or, when some rows have errors and the user chooses, import the valid rows and skip those,
//! which the result then lists.
//!
//! The checked file travels back with the import button (base64 in the form), so what is
//! imported is exactly what was checked: its SHA-256 is compared before anything is written.

use super::page::{constant_eq, csrf_field, layout, PageResult, WebError, WebUser};
use super::upload;
use crate::service::establishment::COLUMNS;
use crate::service::imports::{run, ImportReport, ImportRow, NewImport};
use crate::web::components::{error_summary, summary_row, summary_rows_id, HtmlTable};
use crate::AppState;
use axum::extract::{Multipart, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use base64::Engine;
use maud::{html, Markup};
use sha2::{Digest, Sha256};

/// The largest file the page takes; larger extracts go through `tenpa import establishment`.
pub const UPLOAD_LIMIT: usize = 4 * 1024 * 1024;
/// The largest body the page's form may send: the checked file travels back base64-encoded (4
/// bytes for every 3) with its mapping file, so the import of a file at the limit fits.
pub const BODY_LIMIT: usize = UPLOAD_LIMIT / 3 * 4 + 256 * 1024;

/// The largest column mapping file the import page takes.
const MAPPING_LIMIT: usize = 64 * 1024;
/// The rows the report shows besides those with errors, which it always shows.
const SHOWN_ROWS: usize = 500;

fn record_keeper(u: &WebUser) -> PageResult<()> {
    if crate::policy::may_keep_records(&u.user) {
        Ok(())
    } else {
        Err(WebError::Forbidden(
            "only an administrator or medical staffing imports consultant records".into(),
        ))
    }
}

fn upload_form(u: &WebUser) -> Markup {
    html! {
        form method="post" action="/admin/import" enctype="multipart/form-data" novalidate id="upload" data-upload-progress="Sending the file" {
            (csrf_field(u))
            input type="hidden" name="action" value="check";
            div class="nhsuk-form-group" {
                label class="nhsuk-label" for="import-file" { "The staff record's extract (CSV)" }
                div class="nhsuk-hint" id="import-file-hint" { "UTF-8, heading line first, at most " (UPLOAD_LIMIT / 1024 / 1024) " MB. Larger files: " code { "tenpa import establishment" } "." }
                input class="nhsuk-file-upload" id="import-file" name="file" type="file" accept=".csv,text/csv" aria-describedby="import-file-hint";
            }
            div class="nhsuk-form-group" {
                label class="nhsuk-label" for="import-mapping" { "Mapping file (optional)" }
                div class="nhsuk-hint" id="import-mapping-hint" { "A TOML file whose " code { "[columns]" } " table names the extract's own heading for each column, for example " code { "assignment_number = \"Assignment Number\"" } "." }
                input class="nhsuk-file-upload" id="import-mapping" name="mapping" type="file" accept=".toml,text/plain" aria-describedby="import-mapping-hint";
            }
            button class="nhsuk-button" type="submit" { "Check the file" }
        }
    }
}

fn columns_help() -> Markup {
    html! {
        details class="nhsuk-details" {
            summary class="nhsuk-details__summary" { span class="nhsuk-details__summary-text" { "The columns" } }
            div class="nhsuk-details__text" {
                p { "Required: " code { (COLUMNS[..4].join(", ")) } ". Optional: " code { (COLUMNS[4..].join(", ")) } "." }
                p { "The assignment number is the key: importing a record that exists updates it, and importing the same file again changes nothing. Departments are named as on the set-up page. Dates are YYYY-MM-DD or DD/MM/YYYY. A " code { "username" } " creates the consultant's account, linked to the record, to sign in through the identity provider." }
            }
        }
    }
}

/// `GET /admin/import`.
pub async fn show(u: WebUser) -> PageResult<Markup> {
    record_keeper(&u)?;
    let body = html! {
        h1 class="nhsuk-heading-l" { "Import consultant records" }
        p class="nhsuk-body" { "Bring the trust's consultants in from its staff record. Tenpa checks the file first and shows, row by row, what it would create, update or leave unchanged, and every error by line and column. Nothing is written until you import, and then all of it or nothing — unless you choose to import the valid rows and skip the rows with errors." }
        (columns_help())
        (upload_form(&u))
    };
    Ok(layout(&u, "Import consultant records", body))
}

fn outcome_tag(outcome: &str) -> Markup {
    let (class, text) = match outcome {
        "create" => ("nhsuk-tag--green", "Create"),
        "update" => ("nhsuk-tag--blue", "Update"),
        "unchanged" => ("nhsuk-tag--grey", "Unchanged"),
        _ => ("nhsuk-tag--red", "Error"),
    };
    html! { strong class=(format!("nhsuk-tag {class}")) { (text) } }
}

fn detail(r: &ImportRow) -> Markup {
    html! {
        @if !r.errors.is_empty() {
            ul class="nhsuk-list" {
                @for e in &r.errors {
                    li class="nhsuk-error-message" { span class="nhsuk-u-visually-hidden" { "Error: " } "Column " (e.column) ": found " q { (e.value) } ", expected " (e.expected) }
                }
            }
        } @else if !r.fields.is_empty() {
            "Changes " (r.fields.join(", "))
        }
        @if let Some(a) = &r.account { " Account " code { (a) } }
    }
}

fn report_page(
    u: &WebUser,
    report: &ImportReport,
    upload: Option<(&str, &str)>,
    notice: Option<&str>,
) -> Markup {
    let shown: Vec<&ImportRow> = {
        let mut others = 0;
        report
            .rows
            .iter()
            .filter(|r| {
                r.outcome == "error" || {
                    others += 1;
                    others <= SHOWN_ROWS
                }
            })
            .collect()
    };
    let changes = report.create + report.update + report.accounts > 0;
    let first_error = report.rows.iter().find(|r| r.outcome == "error");
    let errors: Vec<(String, String)> = match first_error {
        Some(r) if !report.applied => vec![(
            format!("line-{}", r.line),
            if changes {
                format!(
                    "{} row(s) have errors: nothing is written unless the file is corrected, or the valid records are imported and these rows skipped",
                    report.errors
                )
            } else {
                format!(
                    "{} row(s) have errors: nothing can be imported until the file is corrected",
                    report.errors
                )
            },
        )],
        _ => vec![],
    };
    let skipped: Vec<&ImportRow> = if report.applied && report.skipped > 0 {
        report
            .rows
            .iter()
            .filter(|r| r.outcome == "error")
            .collect()
    } else {
        vec![]
    };
    html! {
        (error_summary(&errors))
        @if report.applied {
            div class="nhsuk-notification-banner nhsuk-notification-banner--success" role="alert" aria-labelledby="success-title" data-module="nhsuk-notification-banner" id="imported" {
                div class="nhsuk-notification-banner__header" { h2 class="nhsuk-notification-banner__title" id="success-title" { "Success" } }
                div class="nhsuk-notification-banner__content" {
                    p class="nhsuk-notification-banner__heading" {
                        "The file has been imported: " (report.create) " record(s) created, " (report.update) " updated, " (report.accounts) " account(s) added."
                        @if report.skipped > 0 { " " (report.skipped) " row(s) with errors were skipped." }
                    }
                    p { a href="/admin/consultants" { "See the consultant records" } }
                }
            }
        }
        @if let Some(n) = notice { div class="nhsuk-warning-callout" { h3 class="nhsuk-warning-callout__label" { "Important" } p { (n) } } }
        h1 class="nhsuk-heading-l" { @if report.applied { "Imported" } @else { "Check the import" } }
        (summary_rows_id("import-counts", html! {
            (summary_row("Create", html! { (report.create) }))
            (summary_row("Update", html! { (report.update) }))
            (summary_row("Unchanged", html! { (report.unchanged) }))
            (summary_row("Errors", html! { (report.errors) }))
            (summary_row("Accounts to add", html! { (report.accounts) }))
            (summary_row("File (SHA-256)", html! { code { (report.sha256) } }))
        }))
        @if !skipped.is_empty() {
            h2 class="nhsuk-heading-m" { "Rows skipped" }
            p class="nhsuk-body" { "These rows had errors and were not imported; nor were their accounts. Correct them in the staff record's extract and import it again: the rows imported already will be unchanged." }
            (HtmlTable::new("Rows skipped")
                .hidden_caption()
                .id("skipped")
                .columns(&["Line", "Assignment number", "Errors"])
                .rows(skipped.iter().map(|r| vec![
                    html! { (r.line) },
                    html! { (r.assignment_number) },
                    html! { (detail(r)) },
                ])))
        }
        @if let Some((csv, mapping)) = upload {
            @if changes {
                @if report.errors > 0 {
                    p class="nhsuk-body" id="nothing-written" { "Nothing will be written while the file has rows with errors, unless you choose to import its valid records and skip those rows." }
                }
                form method="post" action="/admin/import" enctype="multipart/form-data" novalidate id=(if report.errors == 0 { "apply" } else { "apply-skipping" }) data-upload-progress="Sending the checked file" {
                    (csrf_field(u))
                    input type="hidden" name="action" value="apply";
                    input type="hidden" name="checked" value=(report.sha256);
                    input type="hidden" name="csv" value=(csv);
                    input type="hidden" name="mapping_text" value=(mapping);
                    @if report.errors == 0 {
                        button class="nhsuk-button" type="submit" { "Import " (report.create + report.update) " record(s)" }
                    } @else {
                        input type="hidden" name="skip_invalid" value="true";
                        button class="nhsuk-button nhsuk-button--secondary" type="submit" { "Import the " (report.create + report.update) " valid record(s), skipping " (report.errors) " row(s) with errors" }
                    }
                }
            } @else if report.errors == 0 {
                p class="nhsuk-body" id="nothing-to-do" { "The records are as the file gives them already: there is nothing to import." }
            }
        }
        (HtmlTable::new(html! { "Row by row"
                @if shown.len() < report.rows.len() { " (every error, and the first " (SHOWN_ROWS) " other rows of " (report.rows.len()) ")" } })
            .id("import-rows")
            .columns(&["Line", "Assignment number", "Outcome", "Details"])
            .rows_with_ids(shown.iter().map(|r| {
                (format!("line-{}", r.line), vec![
                    html! { (r.line) },
                    html! { (r.assignment_number) },
                    html! { (outcome_tag(&r.outcome)) },
                    html! { (detail(r)) },
                ])
            })))
        h2 class="nhsuk-heading-m" { "Check another file" }
        (upload_form(u))
    }
}

fn bad_upload(detail: String) -> WebError {
    WebError::BadRequest(detail)
}

/// What the upload form posted.
#[derive(Default)]
struct Upload {
    csrf: String,
    action: String,
    checked: String,
    skip_invalid: bool,
    file: Option<Vec<u8>>,
    mapping: Option<Vec<u8>>,
    csv_b64: String,
    mapping_b64: String,
}

fn too_large() -> WebError {
    bad_upload(format!(
        "the file is larger than the {} MB this page takes: import it with tenpa import establishment",
        UPLOAD_LIMIT / 1024 / 1024
    ))
}

async fn read_upload(m: Multipart) -> PageResult<Upload> {
    let limits = upload::Limits {
        file_bytes: UPLOAD_LIMIT + MAPPING_LIMIT,
        parts: 16,
        too_large,
        too_many: || bad_upload("the form has more fields than this page takes".into()),
    };
    let mut up = Upload::default();
    for part in upload::parts(m, &limits).await? {
        match part.name.as_str() {
            "csrf" => up.csrf = part.text(),
            "action" => up.action = part.text(),
            "checked" => up.checked = part.text(),
            "skip_invalid" => up.skip_invalid = part.text() == "true",
            "csv" => up.csv_b64 = part.text(),
            "mapping_text" => up.mapping_b64 = part.text(),
            "file" if part.bytes.len() > UPLOAD_LIMIT => return Err(too_large()),
            "file" => up.file = Some(part.bytes),
            "mapping" if part.bytes.len() > MAPPING_LIMIT => return Err(too_large()),
            "mapping" => up.mapping = (!part.bytes.is_empty()).then_some(part.bytes),
            _ => {}
        }
    }
    Ok(up)
}

fn utf8(what: &str, bytes: Vec<u8>) -> Result<String, String> {
    String::from_utf8(bytes).map_err(|e| {
        format!(
            "{what}: byte {} is not UTF-8; save the file as UTF-8 (CSV UTF-8) and choose it again",
            e.utf8_error().valid_up_to() + 1
        )
    })
}

fn decoded(what: &str, b64: &str) -> PageResult<Vec<u8>> {
    base64::engine::general_purpose::STANDARD
        .decode(b64.trim())
        .map_err(|e| {
            bad_upload(format!(
                "{what}: the checked file cannot be read back ({e}); check it again"
            ))
        })
}

fn problem_page(u: &WebUser, message: &str) -> Response {
    let errors = vec![("import-file".to_string(), message.to_string())];
    let body = html! {
        (error_summary(&errors))
        h1 class="nhsuk-heading-l" { "Import consultant records" }
        (columns_help())
        (upload_form(u))
    };
    (
        StatusCode::UNPROCESSABLE_ENTITY,
        layout(u, "Error: Import consultant records", body),
    )
        .into_response()
}

/// `POST /admin/import`: checks a file (`action=check`), or imports the checked file
/// (`action=apply`) when its hash is the one checked — with `skip_invalid=true`, its valid rows,
/// the rows with errors skipped.
pub async fn submit(
    State(state): State<AppState>,
    u: WebUser,
    multipart: Multipart,
) -> PageResult<Response> {
    let up = read_upload(multipart).await?;
    if !constant_eq(&up.csrf, &u.csrf) {
        return Err(WebError::Forbidden(
            "the form has expired or did not come from this service: go back, reload the page and try again".into(),
        ));
    }
    record_keeper(&u)?;
    let (csv, mapping, apply) = match up.action.as_str() {
        "check" => {
            let Some(file) = up.file.filter(|f| !f.is_empty()) else {
                return Ok(problem_page(
                    &u,
                    "Choose the staff record's extract to check.",
                ));
            };
            (file, up.mapping.unwrap_or_default(), false)
        }
        "apply" => (
            decoded("csv", &up.csv_b64)?,
            decoded("mapping", &up.mapping_b64)?,
            true,
        ),
        other => {
            return Err(bad_upload(format!(
                "action: found {other:?}, expected check or apply"
            )))
        }
    };
    if csv.len() > UPLOAD_LIMIT {
        return Err(too_large());
    }
    let csv_b64 = base64::engine::general_purpose::STANDARD.encode(&csv);
    let mapping_b64 = base64::engine::general_purpose::STANDARD.encode(&mapping);
    let csv = match utf8("The extract", csv) {
        Ok(t) => t,
        Err(m) => return Ok(problem_page(&u, &m)),
    };
    let mapping = match utf8("The mapping file", mapping) {
        Ok(t) => (!t.trim().is_empty()).then_some(t),
        Err(m) => return Ok(problem_page(&u, &m)),
    };
    let sha = hex::encode(Sha256::digest(csv.as_bytes()));
    let same_file = apply && constant_eq(&sha, up.checked.trim());
    let body = NewImport {
        kind: "establishment".into(),
        csv,
        mapping,
        dry_run: !same_file,
        skip_invalid: same_file && up.skip_invalid,
    };
    let report = match run(&state, &u.user, body).await {
        Ok(r) => r,
        Err(e @ crate::error::AppError::Unprocessable { .. }) => {
            let detail = e.client_detail().unwrap_or_default();
            return Ok(problem_page(&u, &super::page::sentence(&detail)));
        }
        Err(e) => return Err(e.into()),
    };
    let notice = (apply && !same_file)
        .then_some("The file is not the one checked, so nothing was imported: here is the check of the file sent.");
    let upload = (!report.applied).then_some((csv_b64.as_str(), mapping_b64.as_str()));
    let title = if report.applied {
        "Imported"
    } else {
        "Check the import"
    };
    let status = if report.errors > 0 && !report.applied {
        StatusCode::UNPROCESSABLE_ENTITY
    } else {
        StatusCode::OK
    };
    Ok((
        status,
        layout(&u, title, report_page(&u, &report, upload, notice)),
    )
        .into_response())
}
