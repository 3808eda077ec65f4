//! The job plan editor: a form that works without JavaScript, with a live assessment panel
//! (`POST /plans/{id}/preview`) when JavaScript runs. Saving makes a new version exactly as
//! `PUT /api/v1/job-plans/{id}` does.
//!
//! One file per job: `form` (the editor's fields and reading a posted form), `document` (merging
//! the fields into the plan document), `private` (the private and fee-paying sessions), `page`
//! (the markup); the handlers and the assessment panel are here.

use axum::response::IntoResponse;
mod document;
mod form;
mod leave;
mod page;
mod private;

pub use self::form::{ActivityInput, EditorInput, FieldErrors};

use self::document::{document_error, rejected_error, FieldMap};
use self::page::editor_page;
use super::page::{see_other, Form, PageResult, WebError, WebUser};
use super::plans::{assessment_panel, plain_time_for};
use crate::error::AppError;
use crate::policy::may_edit;
use crate::service::assessments::CheckedPlan;
use crate::service::job_plans::{load, save_edit};
use crate::web::components::{grid_key, week_grid};
use crate::AppState;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::Response;
use maud::{html, Markup};
use serde_json::Value;
use tenpa_store::JobPlanRecord;

/// What the edited fields come to: the document read and assessed, or the errors.
pub struct Checked {
    /// The document read and assessed, ready to save: what the panel shows and a save stores, so
    /// a save reads and assesses nothing again.
    pub plan: Option<CheckedPlan>,
    /// Errors as (field id, message).
    pub errors: Vec<(String, String)>,
}

/// Builds the document of `input` and reads and assesses it once, as the save stores it.
pub async fn check(
    state: &AppState,
    stored: &Value,
    input: &EditorInput,
) -> Result<Checked, WebError> {
    let (doc, map) = match input.to_document(stored) {
        Ok(x) => x,
        Err(errors) => return Ok(Checked { plan: None, errors }),
    };
    match CheckedPlan::check(doc, &state.params, "").await {
        Ok(plan) => Ok(Checked {
            plan: Some(plan),
            errors: vec![],
        }),
        Err(e) => Ok(Checked {
            plan: None,
            errors: vec![rejected_error(e, &map)?],
        }),
    }
}

/// The live panel's content: the assessment and the week, or the problems found.
pub fn panel(state: &AppState, c: &Checked) -> Markup {
    html! {
        @if !c.errors.is_empty() {
            h2 class="nhsuk-heading-m" { "Assessment" }
            div class="nhsuk-warning-callout" {
                h3 class="nhsuk-warning-callout__label" { span role="text" { span class="nhsuk-u-visually-hidden" { "Important: " } "The plan cannot be assessed yet" } }
                ul class="nhsuk-list" {
                    @for (field, message) in &c.errors { li { a href=(format!("#{field}")) { (message) } } }
                }
            }
        }
        @if let Some(CheckedPlan { plan: doc, assessment, .. }) = &c.plan {
            (assessment_panel(assessment))
            @let plain = plain_time_for(doc, &state.params);
            @let cycle = u32::from(doc.job_plan.cycle_weeks.clamp(1, 8));
            h2 class="nhsuk-heading-m" { "The week" }
            (grid_key(&plain))
            @for w in 1..=cycle { (week_grid(doc, w, &plain)) }
        }
    }
}

/// Why the user cannot edit the plan now, as a page.
fn not_editable(state_label: &str, id: i64) -> Response {
    let body = html! {
        h1 class="nhsuk-heading-l" { "This job plan cannot be edited now" }
        p class="nhsuk-body" { "The plan is " (state_label) ". A plan is edited while it is a draft, proposed or not agreed; after sign-off it is reopened for an interim review first." }
        p class="nhsuk-body" { a href=(format!("/plans/{id}")) { "Go back to the job plan" } }
    };
    (
        StatusCode::CONFLICT,
        super::page::bare_layout("This job plan cannot be edited now", body),
    )
        .into_response()
}

/// Loads a plan the user may edit now, or the page saying why not.
async fn editable_plan(
    state: &AppState,
    u: &WebUser,
    id: i64,
) -> Result<Result<JobPlanRecord, Response>, WebError> {
    let plan = load(state, &u.user, id).await?;
    let s = &plan.summary;
    if !may_edit(&u.user, &s.consultant_id, s.department_id) {
        return Err(WebError::Forbidden(format!(
            "you may see job plan {id} but not edit it: the consultant, their clinical director and the medical staffing team edit job plans"
        )));
    }
    let status = s.status;
    if !status.editable() {
        return Ok(Err(not_editable(
            &crate::web::components::status_label(s.status).to_lowercase(),
            id,
        )));
    }
    Ok(Ok(plan))
}

/// `GET /plans/{id}/edit`.
pub async fn show(State(state): State<AppState>, u: WebUser, Path(id): Path<i64>) -> PageResult {
    let plan = match editable_plan(&state, &u, id).await? {
        Ok(p) => p,
        Err(page) => return Ok(page),
    };
    let input = EditorInput::from_document(&plan.document, plan.summary.version);
    let checked = Checked {
        plan: Some(CheckedPlan::stored(&plan)?),
        errors: vec![],
    };
    Ok(editor_page(&state, &u, &plan, &input, &[], None, &checked)?.into_response())
}

/// `POST /plans/{id}/edit`: add an activity or a private session, check the plan, or save a new
/// version.
pub async fn submit(
    State(state): State<AppState>,
    Path(id): Path<i64>,
    Form(u, f): Form,
) -> PageResult {
    let plan = match editable_plan(&state, &u, id).await? {
        Ok(p) => p,
        Err(page) => return Ok(page),
    };
    let mut input = EditorInput::from_form(&f);
    if f.has("add") {
        input.activities.push(ActivityInput {
            day: "mon".into(),
            category: "dcc".into(),
            ..Default::default()
        });
        let checked = check(&state, &plan.document, &input).await?;
        return Ok(editor_page(&state, &u, &plan, &input, &[], None, &checked)?.into_response());
    }
    if f.has("add_leave") {
        input
            .leave
            .get_or_insert_with(|| leave::from_document(&plan.document))
            .push(leave::LeaveInput::new_period());
        let checked = check(&state, &plan.document, &input).await?;
        return Ok(editor_page(&state, &u, &plan, &input, &[], None, &checked)?.into_response());
    }
    if f.has("add_private") {
        input
            .private_sessions
            .get_or_insert_with(Vec::new)
            .push(private::PrivateInput::new_session());
        let checked = check(&state, &plan.document, &input).await?;
        return Ok(editor_page(&state, &u, &plan, &input, &[], None, &checked)?.into_response());
    }
    let checked = check(&state, &plan.document, &input).await?;
    if !checked.errors.is_empty() {
        let page = editor_page(&state, &u, &plan, &input, &checked.errors, None, &checked)?;
        return Ok((StatusCode::UNPROCESSABLE_ENTITY, page).into_response());
    }
    if !f.has("save") {
        return Ok(editor_page(&state, &u, &plan, &input, &[], None, &checked)?.into_response());
    }
    let Some(edited) = checked.plan.as_ref() else {
        return Err(WebError::Internal("a checked document is missing".into()));
    };
    let version: i64 = input.version.parse().map_err(|_| {
        WebError::BadRequest("the form's version is missing: reload the editor".into())
    })?;
    match save_edit(&state, &u.user, &plan.summary, version, edited, &input.note).await {
        Ok(()) => Ok(see_other(&format!("/plans/{id}"))),
        Err(AppError::Conflict {
            current_version, ..
        }) => {
            let now = current_version.unwrap_or(plan.summary.version);
            let notice = format!(
                "Someone else saved version {now} of this plan while you were editing version {version}. Your changes are kept below but not saved. Look at the version history, then save again to make your changes the next version."
            );
            input.version = now.to_string();
            let page = editor_page(&state, &u, &plan, &input, &[], Some(&notice), &checked)?;
            Ok((StatusCode::CONFLICT, page).into_response())
        }
        Err(e @ (AppError::Unprocessable { .. } | AppError::BadRequest { .. })) => {
            let (_, map) = input
                .to_document(&plan.document)
                .unwrap_or((Value::Null, FieldMap::default()));
            let errors = vec![document_error(e, &map)?];
            let page = editor_page(&state, &u, &plan, &input, &errors, None, &checked)?;
            Ok((StatusCode::UNPROCESSABLE_ENTITY, page).into_response())
        }
        Err(e) => Err(e.into()),
    }
}

/// `POST /plans/{id}/preview`: the live panel for the edited fields (an HTML fragment).
pub async fn preview(
    State(state): State<AppState>,
    Path(id): Path<i64>,
    Form(u, f): Form,
) -> PageResult {
    let plan = match editable_plan(&state, &u, id).await? {
        Ok(p) => p,
        Err(_) => {
            return Err(WebError::Conflict(format!(
                "job plan {id} cannot be edited in its state"
            )))
        }
    };
    let input = EditorInput::from_form(&f);
    let checked = check(&state, &plan.document, &input).await?;
    Ok((
        [(axum::http::header::CONTENT_TYPE, "text/html; charset=utf-8")],
        panel(&state, &checked).into_string(),
    )
        .into_response())
}
