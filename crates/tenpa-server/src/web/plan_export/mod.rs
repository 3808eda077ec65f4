//! A job plan to print, download and put in a calendar: `GET /plans/{id}/print` (a printable
//! page with signature lines), `GET /plans/{id}/job-plan.pdf` (the same as a PDF) and `GET
//! /plans/{id}/timetable.ics` (the weekly activities as an iCalendar file).
//!
//! One pure [`PrintPlan`] is built from the stored plan, its assessment and its versions; the page
//! and the PDF are two renderings of it.
//!
//! One file per job: `model` (the print plan, its sign-offs and its calendar events) and `render`
//! (the page and the PDF); the handlers are here.

mod model;
mod render;

pub use self::model::{print_plan, sign_offs, timetable_events, weeks_label, PrintPlan, SignOff};
pub use self::render::{print_markup, print_pdf};

pub use super::labels::{category_label, day_label};

use super::history::display_names;
use super::page::{layout_back, PageResult, WebUser};
use super::workflow::plan_id;
use crate::download::download;
use crate::export;
use crate::service::assessments::read_document;
use crate::service::job_plans::load;
use crate::AppState;
use axum::extract::{Path, State};
use axum::response::Response;
use maud::Markup;
use tenpa_rules::plan::JobPlanDocument;
use tenpa_store::JobPlanRecord;

/// The plan's document, read as `tenpa evaluate` reads it.
async fn plan_document(state: &AppState, plan: &JobPlanRecord) -> PageResult<JobPlanDocument> {
    let bytes = serde_json::to_vec(&plan.document)
        .map_err(|e| super::page::WebError::Internal(e.to_string()))?;
    Ok(read_document(&bytes, &state.params, "document.")?)
}

async fn build(
    state: &AppState,
    u: &WebUser,
    raw: &str,
) -> PageResult<(i64, PrintPlan, JobPlanDocument)> {
    let id = plan_id(raw)?;
    let plan = load(state, &u.user, id).await?;
    let doc = plan_document(state, &plan).await?;
    let versions = state.store.job_plan_versions(id).await?;
    let names = display_names(state, &versions).await;
    Ok((id, print_plan(&plan, &doc, &versions, &names), doc))
}

/// `GET /plans/{id}/print`.
pub async fn print(
    State(state): State<AppState>,
    u: WebUser,
    Path(raw): Path<String>,
) -> PageResult<Markup> {
    let (id, p, _) = build(&state, &u, &raw).await?;
    Ok(layout_back(
        &u,
        &format!("Job plan: {}", p.name),
        (&format!("/plans/{id}"), "Back to the job plan"),
        print_markup(id, &p),
    ))
}

/// A consultant id made safe for a file name.
pub fn file_part(s: &str) -> String {
    s.chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() || c == '-' || c == '_' {
                c
            } else {
                '-'
            }
        })
        .collect()
}

/// `GET /plans/{id}/job-plan.pdf`.
pub async fn pdf(
    State(state): State<AppState>,
    u: WebUser,
    Path(raw): Path<String>,
) -> PageResult<Response> {
    let (_, p, _) = build(&state, &u, &raw).await?;
    let bytes = export::pdf(&print_pdf(&p));
    Ok(download(
        "application/pdf",
        &format!(
            "job-plan-{}-v{}.pdf",
            file_part(&p.consultant_id),
            p.version
        ),
        bytes,
    ))
}

/// `GET /plans/{id}/timetable.ics`.
pub async fn ics(
    State(state): State<AppState>,
    u: WebUser,
    Path(raw): Path<String>,
) -> PageResult<Response> {
    let (id, p, doc) = build(&state, &u, &raw).await?;
    let text = export::ics(
        &format!("Job plan timetable: {}", p.name),
        &format!("jp{id}-"),
        doc.job_plan.effective_from,
        &timetable_events(&doc),
        chrono::Utc::now().naive_utc(),
    );
    Ok(download(
        "text/calendar; charset=utf-8",
        &format!("timetable-{}.ics", file_part(&p.consultant_id)),
        text.into_bytes(),
    ))
}
