//! Job plans in bulk on a page (whoever may create the consultants' plans): choose job plan
//! documents (TOML or JSON), see the check file by file, then import them — on the path
//! `tenpa import plans` takes ([`crate::service::plan_import`]), limited to the consultants whose plans the
//! person may create, all or nothing. The checked files travel back with the import button
//! (base64 in the form), and are imported only if their hash is the one checked.

use super::import::UPLOAD_LIMIT;
use super::page::{constant_eq, csrf_field, layout, PageResult, WebError, WebUser};
use super::upload;
use crate::policy::may_edit;
use crate::service::plan_import::{self, Held, Outcome, PlanFile};
use crate::web::components::{error_summary, HtmlTable};
use crate::AppState;
use axum::extract::{Multipart, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use base64::Engine;
use maud::{html, Markup};

/// The most files one upload may hold.
pub const MAX_FILES: usize = 500;

fn form(u: &WebUser) -> Markup {
    html! {
        form method="post" action="/plans/import" enctype="multipart/form-data" novalidate id="upload" data-upload-progress="Sending the file" {
            (csrf_field(u))
            input type="hidden" name="action" value="check";
            div class="nhsuk-form-group" {
                label class="nhsuk-label" for="plans-files" { "Job plan documents (TOML or JSON)" }
                div class="nhsuk-hint" id="plans-files-hint" { "Choose one or more files, one plan each, at most " (MAX_FILES) " files and " (UPLOAD_LIMIT / 1024 / 1024) " MB in all. Each becomes a draft plan of its consultant from its date." }
                input class="nhsuk-file-upload" id="plans-files" name="files" type="file" multiple accept=".toml,.json" aria-describedby="plans-files-hint";
            }
            button class="nhsuk-button" type="submit" { "Check the files" }
        }
    }
}

/// `GET /plans/import`.
pub async fn show(u: WebUser) -> PageResult<Markup> {
    if !super::new_plan::may_create_any(&u) {
        return Err(WebError::Forbidden(
            "there is no consultant whose job plans you may create".into(),
        ));
    }
    let body = html! {
        h1 class="nhsuk-heading-l" { "Import job plans" }
        p class="nhsuk-body" { "Bring existing job plans in as drafts, one document a plan, as " code { "tenpa evaluate" } " reads them. Tenpa checks every file first — its consultant on record and yours to plan for, its fields, no second plan for the same consultant and date — and writes nothing until you import, then all of the plans or none." }
        (form(&u))
    };
    Ok(layout(&u, "Import job plans", body))
}

struct Upload {
    csrf: String,
    action: String,
    checked: String,
    files: Vec<PlanFile>,
}

fn too_large() -> WebError {
    WebError::BadRequest(format!(
        "the files are more than the {} MB this page takes: import them with tenpa import plans",
        UPLOAD_LIMIT / 1024 / 1024
    ))
}

async fn read_upload(m: Multipart) -> PageResult<Upload> {
    let too_many = || {
        WebError::BadRequest(format!(
            "more than {MAX_FILES} files: import them with tenpa import plans"
        ))
    };
    let limits = upload::Limits {
        file_bytes: UPLOAD_LIMIT,
        // Each checked file comes back as a name and its content, besides the form's own fields.
        parts: 2 * MAX_FILES + 8,
        too_large,
        too_many,
    };
    let mut up = Upload {
        csrf: String::new(),
        action: String::new(),
        checked: String::new(),
        files: vec![],
    };
    let mut names: Vec<String> = vec![];
    let mut encoded: Vec<String> = vec![];
    for part in upload::parts(m, &limits).await? {
        match part.name.as_str() {
            "csrf" => up.csrf = part.text(),
            "action" => up.action = part.text(),
            "checked" => up.checked = part.text(),
            "name" => names.push(part.text()),
            "content" => encoded.push(part.text()),
            "files" if !part.file_name.is_empty() => up.files.push(PlanFile {
                name: part.file_name,
                bytes: part.bytes,
            }),
            _ => {}
        }
        if up.files.len() + names.len() > MAX_FILES {
            return Err(too_many());
        }
    }
    let mut total: usize = up.files.iter().map(|f| f.bytes.len()).sum();
    if names.len() != encoded.len() {
        return Err(WebError::BadRequest(
            "the checked files cannot be read back: check them again".into(),
        ));
    }
    for (name, b64) in names.into_iter().zip(encoded) {
        let bytes = base64::engine::general_purpose::STANDARD
            .decode(b64.trim())
            .map_err(|_| {
                WebError::BadRequest(
                    "the checked files cannot be read back: check them again".into(),
                )
            })?;
        total += bytes.len();
        if total > UPLOAD_LIMIT {
            return Err(too_large());
        }
        up.files.push(PlanFile { name, bytes });
    }
    Ok(up)
}

fn outcome_tag(o: &Outcome) -> Markup {
    let (class, text) = match o {
        Outcome::Create => ("nhsuk-tag--green", "Create"),
        Outcome::Unchanged(_) => ("nhsuk-tag--grey", "Unchanged"),
        Outcome::Error(_) => ("nhsuk-tag--red", "Error"),
    };
    html! { strong class=(format!("nhsuk-tag {class}")) { (text) } }
}

/// `POST /plans/import`: checks the files (`action=check`) or imports the checked ones
/// (`action=apply`) when their hash is the one checked.
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
    if !super::new_plan::may_create_any(&u) {
        return Err(WebError::Forbidden(
            "there is no consultant whose job plans you may create".into(),
        ));
    }
    if !matches!(up.action.as_str(), "check" | "apply") {
        return Err(WebError::BadRequest(format!(
            "action: found {:?}, expected check or apply",
            up.action
        )));
    }
    if up.files.is_empty() {
        let errors = vec![(
            "plans-files".to_string(),
            "Choose one or more job plan documents.".to_string(),
        )];
        let body = html! { (error_summary(&errors)) h1 class="nhsuk-heading-l" { "Import job plans" } (form(&u)) };
        return Ok((
            StatusCode::UNPROCESSABLE_ENTITY,
            layout(&u, "Error: Import job plans", body),
        )
            .into_response());
    }
    let held = Held::read(&state.store).await?;
    let params = state.params.clone();
    let files = up.files;
    let user = u.user.clone();
    // Reading and assessing many documents is CPU work: off the request threads.
    let (report, files) = tokio::task::spawn_blocking(move || {
        let mut report = plan_import::read(&files, &held, &params, &mut |_| {});
        plan_import::only_for(&mut report, &held, |c, d| may_edit(&user, c, d));
        (report, files)
    })
    .await
    .map_err(|e| WebError::Internal(format!("the check stopped: {e}")))?;
    let same = up.action == "apply" && constant_eq(&report.sha256, up.checked.trim());
    let (create, unchanged) = report.counts();
    let errors = report.errors();
    let mut applied = 0;
    if same && errors == 0 && !report.plans.is_empty() {
        applied = state
            .store
            .import_job_plans(
                &u.user.username,
                &report.to_store(),
                files.len(),
                &report.sha256,
            )
            .await?
            .len();
    }
    let summary: Vec<(String, String)> = if errors > 0 {
        vec![(
            "plans-report".into(),
            format!(
                "{errors} file(s) have errors: nothing can be imported until they are corrected"
            ),
        )]
    } else {
        vec![]
    };
    let b64 = |b: &[u8]| base64::engine::general_purpose::STANDARD.encode(b);
    let body = html! {
        (error_summary(&summary))
        @if applied > 0 {
            div class="nhsuk-notification-banner nhsuk-notification-banner--success" role="alert" aria-labelledby="success-title" data-module="nhsuk-notification-banner" id="imported" {
                div class="nhsuk-notification-banner__header" { h2 class="nhsuk-notification-banner__title" id="success-title" { "Success" } }
                div class="nhsuk-notification-banner__content" {
                    p class="nhsuk-notification-banner__heading" { (applied) " draft plan(s) imported." }
                    p { a href="/plans" { "See the job plans" } }
                }
            }
        }
        @if up.action == "apply" && !same {
            div class="nhsuk-warning-callout" { h3 class="nhsuk-warning-callout__label" { "Important" } p { "The files are not the ones checked, so nothing was imported: here is the check of the files sent." } }
        }
        h1 class="nhsuk-heading-l" { @if applied > 0 { "Imported" } @else { "Check the import" } }
        p class="nhsuk-body" id="plans-counts" { (report.files.len()) " file(s): " (create) " to create, " (unchanged) " unchanged, " (errors) " with errors." }
        @if applied == 0 && errors == 0 && !report.plans.is_empty() {
            form method="post" action="/plans/import" enctype="multipart/form-data" novalidate id="apply" data-upload-progress="Sending the checked file" {
                (csrf_field(&u))
                input type="hidden" name="action" value="apply";
                input type="hidden" name="checked" value=(report.sha256);
                @for f in &files {
                    input type="hidden" name="name" value=(f.name);
                    input type="hidden" name="content" value=(b64(&f.bytes));
                }
                button class="nhsuk-button" type="submit" { "Import " (create) " plan(s)" }
            }
        }
        (HtmlTable::new("File by file")
            .id("plans-report")
            .columns(&["File", "Consultant and date", "Outcome", "Details"])
            .rows(report.files.iter().map(|f| vec![
                html! { (f.file) },
                html! { @if let Some((c, d)) = &f.plan { (c) " from " (d) } },
                html! { (outcome_tag(&f.outcome)) },
                html! {
                    @match &f.outcome {
                        Outcome::Error(errors) => ul class="nhsuk-list" { @for e in errors { li {
                            @if let Some((line, column)) = e.position { "Line " (line) ", column " (column) ", " }
                            code { (e.field) } ": " (e.message)
                        } } },
                        Outcome::Unchanged(id) => { "The same as job plan " (id) "." },
                        Outcome::Create => { "A new draft plan." },
                    }
                },
            ])))
        h2 class="nhsuk-heading-m" { "Check other files" }
        (form(&u))
    };
    let status = if errors > 0 {
        StatusCode::UNPROCESSABLE_ENTITY
    } else {
        StatusCode::OK
    };
    Ok((
        status,
        layout(
            &u,
            if applied > 0 {
                "Imported"
            } else {
                "Check the import"
            },
            body,
        ),
    )
        .into_response())
}
