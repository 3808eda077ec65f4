//! Pay progression (PP-3): the cases a user may see, one case with its steps and the step open to
//! the user (the medical director's recommendation, the chief executive's decision, the
//! consultant's appeal, the appeal's outcome or closing the case), and a consultant's pay
//! progression timeline drawn by the progression engine from their stored records.
//!
//! Steps go through [`crate::api::progression::take_step`], the function behind the JSON API, so
//! the pages allow exactly what the API allows.

use super::chart::{step_chart, Point};
use super::objectives::{
    consultants_in_scope, criterion, error_message, error_of, group_class, long_date, met_tag,
    query, success_banner, visible_consultant, CRITERIA,
};
use super::page::{
    csrf_field, error_summary, layout, layout_back, pounds, see_other, sentence, urlencode, Form,
    PageResult, WebError, WebUser,
};
use crate::api::criteria::{Records, YearCriteria};
use crate::api::progression::{load, open_steps, take_step, CaseView, NewStep};
use crate::error::AppError;
use crate::policy::job_plan_scope;
use crate::AppState;
use axum::extract::{Path, RawQuery, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use chrono::NaiveDate;
use maud::{html, Markup};
use rust_decimal::prelude::ToPrimitive;
use rust_decimal::Decimal;
use serde_json::{json, Value};
use std::collections::BTreeMap;
use tenpa_rules::job_planning::{CaseStatus, CaseStep};
use tenpa_rules::progression::{anniversary, Career, EventKind, MAX_CAREER_YEARS};
use tenpa_rules::{parse_career, timeline, CareerDocument, Format, Money, Parameters};
use tenpa_store::{Case, Review, Scope, Step};

/// A case's state in plain words.
pub fn case_status_label(status: &str) -> &'static str {
    match status {
        "reported" => "Waiting for the medical director's recommendation",
        "recommended" => "Waiting for the chief executive's decision",
        "decided" => "Decided",
        "appealed" => "Appealed by the consultant",
        "closed" => "Closed",
        _ => "Unknown",
    }
}

/// An NHS tag for a case's state.
pub fn case_status_tag(status: &str) -> Markup {
    let colour = match status {
        "reported" => "nhsuk-tag--blue",
        "recommended" => "nhsuk-tag--purple",
        "decided" => "nhsuk-tag--aqua-green",
        "appealed" => "nhsuk-tag--red",
        "closed" => "nhsuk-tag--grey",
        _ => "nhsuk-tag--white",
    };
    html! { strong class=(format!("nhsuk-tag {colour}")) { (case_status_label(status)) } }
}

/// An outcome in words.
pub fn outcome_label(outcome: Option<&str>) -> &'static str {
    match outcome {
        Some("progress") => "Progress to the next threshold",
        Some("defer") => "Defer progression",
        _ => "Not yet given",
    }
}

/// A step in words.
pub fn step_label(step: &str) -> &'static str {
    match step {
        "report" => "Manager's report (annual review)",
        "recommend" => "Medical director's recommendation",
        "decide" => "Chief executive's decision",
        "appeal" => "Consultant's appeal",
        "decide_appeal" => "Appeal panel's outcome",
        "close" => "Case closed",
        _ => "Step",
    }
}

/// `GET /progression[?status=…]`.
pub async fn list(
    State(state): State<AppState>,
    u: WebUser,
    RawQuery(q): RawQuery,
) -> PageResult<Markup> {
    let q = query(q);
    let status = CaseStatus::parse(q.get("status"));
    let cases = state
        .store
        .progression_cases(&job_plan_scope(&u.user))
        .await?;
    let names: BTreeMap<String, String> = consultants_in_scope(&state, &u)
        .await?
        .into_iter()
        .map(|(id, name, _)| (id, name))
        .collect();
    let shown: Vec<&Case> = cases
        .iter()
        .filter(|c| status.is_none_or(|s| c.status == s.as_str()))
        .collect();
    let caption = match status {
        Some(s) => format!(
            "Cases: {} ({})",
            case_status_label(s.as_str()).to_lowercase(),
            shown.len()
        ),
        None => format!("All cases you may see ({})", shown.len()),
    };
    Ok(layout(
        &u,
        "Pay progression",
        html! {
            h1 class="nhsuk-heading-l" { "Pay progression" }
            p class="nhsuk-body" { "An annual job plan review opens a case. The medical director recommends, the chief executive decides, and a consultant may appeal a decision to defer (PP-3)." }
            form method="get" action="/progression" novalidate class="tenpa-no-print" {
                div class="nhsuk-form-group" {
                    label class="nhsuk-label" for="status" { "Show cases" }
                    select class="nhsuk-select" id="status" name="status" {
                        option value="" selected[status.is_none()] { "All cases" }
                        @for s in CaseStatus::ALL {
                            option value=(s.as_str()) selected[status == Some(s)] { (case_status_label(s.as_str())) }
                        }
                    }
                }
                button class="nhsuk-button nhsuk-button--secondary" type="submit" { "Show" }
            }
            @if shown.is_empty() {
                p class="nhsuk-body" { "There are no cases to show." }
            } @else {
                table class="nhsuk-table" {
                    caption class="nhsuk-table__caption" { (caption) }
                    thead class="nhsuk-table__head" { tr class="nhsuk-table__row" {
                        th class="nhsuk-table__header" scope="col" { "Case" }
                        th class="nhsuk-table__header" scope="col" { "Consultant" }
                        th class="nhsuk-table__header" scope="col" { "Status" }
                        th class="nhsuk-table__header" scope="col" { "Outcome" }
                        th class="nhsuk-table__header" scope="col" { "Last updated" }
                    } }
                    tbody class="nhsuk-table__body" {
                        @for c in &shown {
                            tr class="nhsuk-table__row" {
                                td class="nhsuk-table__cell" { a href=(format!("/progression/{}", c.id)) { "Case " (c.id) } }
                                td class="nhsuk-table__cell" { (names.get(&c.consultant_id).map_or(c.consultant_id.as_str(), String::as_str)) }
                                td class="nhsuk-table__cell" { (case_status_tag(&c.status)) }
                                td class="nhsuk-table__cell" { (outcome_label(c.outcome.as_deref())) }
                                td class="nhsuk-table__cell" { (long_date(&c.updated_at)) }
                            }
                        }
                    }
                }
            }
        },
    ))
}

/// What the user entered in a step form.
#[derive(Default)]
struct Entered {
    step: Option<CaseStep>,
    outcome: String,
    reason: String,
    errors: Vec<(String, String)>,
}

/// `GET /progression/{id}`.
pub async fn show(
    State(state): State<AppState>,
    Path(id): Path<i64>,
    u: WebUser,
    RawQuery(q): RawQuery,
) -> PageResult<Markup> {
    let q = query(q);
    let banner = match q.get("done") {
        "" => None,
        step => Some(success_banner(
            &format!("{} recorded.", step_label(step)),
            html! {},
        )),
    };
    case_page(&state, &u, id, banner, Entered::default()).await
}

async fn case_page(
    state: &AppState,
    u: &WebUser,
    id: i64,
    banner: Option<Markup>,
    e: Entered,
) -> PageResult<Markup> {
    let CaseView {
        case,
        steps,
        criteria,
    } = load(state, &u.user, id).await?;
    let review = state.store.review(case.review_id).await?;
    let consultant = state.store.consultant(&case.consultant_id).await?;
    let name = consultant
        .as_ref()
        .map_or(case.consultant_id.clone(), |c| c.name.clone());
    let open = open_steps(&u.user, &case);
    let title = format!("Pay progression case {}", case.id);
    let c_id = urlencode(&case.consultant_id);
    let body = html! {
        @if let Some(b) = banner { (b) }
        (error_summary(&e.errors))
        h1 class="nhsuk-heading-l" { span class="nhsuk-caption-l" { (name) } (title) }
        dl class="nhsuk-summary-list" {
            div class="nhsuk-summary-list__row" { dt class="nhsuk-summary-list__key" { "Consultant" } dd class="nhsuk-summary-list__value" { a href=(format!("/objectives?consultant={c_id}")) { (name) } " (" (case.consultant_id) ")" } }
            div class="nhsuk-summary-list__row" { dt class="nhsuk-summary-list__key" { "Status" } dd class="nhsuk-summary-list__value" { (case_status_tag(&case.status)) } }
            div class="nhsuk-summary-list__row" { dt class="nhsuk-summary-list__key" { "Outcome so far" } dd class="nhsuk-summary-list__value" { (outcome_label(case.outcome.as_deref())) } }
            @if let Some(r) = &review {
                div class="nhsuk-summary-list__row" { dt class="nhsuk-summary-list__key" { "Year under review" } dd class="nhsuk-summary-list__value" { "Ending " (long_date(&r.year_ending)) } }
            }
            div class="nhsuk-summary-list__row" { dt class="nhsuk-summary-list__key" { "Last updated" } dd class="nhsuk-summary-list__value" { (long_date(&case.updated_at)) } }
        }
        p class="nhsuk-body" { a href=(format!("/consultants/{c_id}/timeline")) { "See the consultant's pay progression timeline" } }
        p class="nhsuk-body" { a href=(format!("/consultants/{c_id}/private-practice")) { "See the consultant's private practice disclosures (PRV-2)" } }
        p class="nhsuk-body" { a href=(format!("/consultants/{c_id}/awards")) { "See the consultant's awards and premia" } }
        @match (&criteria, &review) {
            (Some(c), Some(r)) => (criteria_table(c, r)),
            (None, Some(r)) => (review_table(r)),
            _ => {}
        }
        (steps_table(&steps))
        @if open.is_empty() {
            p class="nhsuk-body" { "There is no step for you to take on this case now." }
        }
        @for step in &open {
            (step_form(u, &case, *step, criteria.as_ref(), &e))
        }
    };
    Ok(layout_back(
        u,
        &if e.errors.is_empty() {
            title.clone()
        } else {
            format!("Error: {title}")
        },
        ("/progression", "Back to pay progression"),
        body,
    ))
}

/// The six criteria of PP-1 for the year, with why each not met was judged so, and the review's
/// notes.
fn criteria_table(c: &YearCriteria, r: &Review) -> Markup {
    html! {
        table class="nhsuk-table" {
            caption class="nhsuk-table__caption" { "The six criteria of PP-1 for the year " (long_date(&c.year_starting)) " to " (long_date(&c.year_ending)) }
            thead class="nhsuk-table__head" { tr class="nhsuk-table__row" {
                th class="nhsuk-table__header" scope="col" { "Criterion" }
                th class="nhsuk-table__header" scope="col" { "Rule" }
                th class="nhsuk-table__header" scope="col" { "Met" }
                th class="nhsuk-table__header" scope="col" { "Why" }
            } }
            tbody class="nhsuk-table__body" {
                @for k in &c.criteria {
                    tr class="nhsuk-table__row" {
                        th class="nhsuk-table__cell" scope="row" { (k.label) }
                        td class="nhsuk-table__cell" { a href=(format!("/rules/{}", k.rule)) { (k.rule) } " (" (k.citation) ")" }
                        td class="nhsuk-table__cell" { (met_tag(k.met)) }
                        td class="nhsuk-table__cell" { @if k.reason.is_empty() { "Recorded at the review (A 9.4)" } @else { (sentence(&k.reason)) } }
                    }
                }
            }
        }
        @for f in &c.findings {
            div class="nhsuk-inset-text" { span class="nhsuk-u-visually-hidden" { "Information: " } p { (f.rule) ": " (sentence(&f.message)) } }
        }
        @if !r.notes.is_empty() {
            div class="nhsuk-inset-text" { span class="nhsuk-u-visually-hidden" { "Information: " } p { "Review notes: " (r.notes) } }
        }
        @if !c.failed.is_empty() {
            div class="nhsuk-warning-callout" id="criteria-not-met" {
                h2 class="nhsuk-warning-callout__label" { span role="text" { span class="nhsuk-u-visually-hidden" { "Important: " } "Criteria not met" } }
                p { "In this year the consultant did not meet: " (c.failed_words()) ". Progress is possible only by the employer's discretion (PP-2, F 3(e), C 4.4), and the reason must be recorded with the step." }
            }
        }
    }
}

/// The review's four criteria alone, when the criteria of the year cannot be judged.
fn review_table(r: &Review) -> Markup {
    html! {
        table class="nhsuk-table" {
            caption class="nhsuk-table__caption" { "The manager's report: the four criteria of A 9.4" }
            thead class="nhsuk-table__head" { tr class="nhsuk-table__row" {
                th class="nhsuk-table__header" scope="col" { "Criterion" }
                th class="nhsuk-table__header" scope="col" { "Met" }
            } }
            tbody class="nhsuk-table__body" {
                @for (field, _, question, _) in CRITERIA {
                    tr class="nhsuk-table__row" {
                        th class="nhsuk-table__cell" scope="row" { (question) }
                        td class="nhsuk-table__cell" { (met_tag(criterion(r, field))) }
                    }
                }
            }
        }
        @if !r.notes.is_empty() {
            div class="nhsuk-inset-text" { span class="nhsuk-u-visually-hidden" { "Information: " } p { "Review notes: " (r.notes) } }
        }
    }
}

fn steps_table(steps: &[Step]) -> Markup {
    html! {
        table class="nhsuk-table" {
            caption class="nhsuk-table__caption" { "Steps so far" }
            thead class="nhsuk-table__head" { tr class="nhsuk-table__row" {
                th class="nhsuk-table__header" scope="col" { "Step" }
                th class="nhsuk-table__header" scope="col" { "By" }
                th class="nhsuk-table__header" scope="col" { "When" }
                th class="nhsuk-table__header" scope="col" { "Outcome" }
                th class="nhsuk-table__header" scope="col" { "Reason" }
            } }
            tbody class="nhsuk-table__body" {
                @for s in steps {
                    tr class="nhsuk-table__row" {
                        th class="nhsuk-table__cell" scope="row" { (step_label(&s.step)) }
                        td class="nhsuk-table__cell" { (s.created_by) }
                        td class="nhsuk-table__cell" { (long_date(&s.created_at)) }
                        td class="nhsuk-table__cell" { @if s.outcome.is_some() { (outcome_label(s.outcome.as_deref())) } @else { "None" } }
                        td class="nhsuk-table__cell" { @if s.reason.is_empty() { "None given" } @else { (s.reason) } }
                    }
                }
            }
        }
    }
}

/// (heading, outcome legend, labels of progress and defer, reason label, reason hint, button).
fn step_words(
    step: CaseStep,
) -> (
    &'static str,
    &'static str,
    (&'static str, &'static str),
    &'static str,
    &'static str,
    &'static str,
) {
    match step {
        CaseStep::Recommend => (
            "Your recommendation as medical director",
            "What do you recommend?",
            ("Progress to the next threshold", "Defer progression"),
            "Reasons",
            "Required when you recommend deferral (C 4.3). Where a criterion was not met and you recommend progress, say why the employer should use its discretion (PP-2).",
            "Send the recommendation",
        ),
        CaseStep::Decide => (
            "Your decision as chief executive",
            "What is your decision?",
            ("Progress to the next threshold", "Defer progression"),
            "Reasons",
            "Required when you defer progression (C 4.3), or decide progress where a criterion was not met (the employer's discretion, PP-2). The consultant may appeal a deferral (C 7).",
            "Record the decision",
        ),
        CaseStep::Appeal => (
            "Appeal against the decision",
            "",
            ("", ""),
            "Your grounds for appeal",
            "Why progression should not have been deferred. The appeal goes to a local appeals panel; the employer must show why progression was withheld (C 7).",
            "Lodge the appeal",
        ),
        CaseStep::DecideAppeal => (
            "The appeal panel's outcome",
            "What did the panel decide?",
            ("Appeal upheld: progress to the next threshold", "Appeal dismissed: progression stays deferred"),
            "Reasons",
            "Required when the appeal is dismissed, or upheld where a criterion was not met (the employer's discretion, PP-2). Record the panel's reasons.",
            "Record the outcome and close the case",
        ),
        CaseStep::Close => (
            "Close the case",
            "",
            ("", ""),
            "Note (optional)",
            "Close the case once the decision has been carried out and no appeal is to be made.",
            "Close the case",
        ),
    }
}

fn step_form(
    u: &WebUser,
    case: &Case,
    step: CaseStep,
    criteria: Option<&YearCriteria>,
    e: &Entered,
) -> Markup {
    let failed = criteria.filter(|c| !c.failed.is_empty());
    let (heading, legend, (progress, defer), reason_label, hint, button) = step_words(step);
    let name = step.as_str();
    let mine = e.step == Some(step);
    let outcome_id = format!("{name}-outcome");
    let reason_id = format!("{name}-reason");
    let hint_id = format!("{name}-reason-hint");
    let outcome_err = if mine {
        error_of(&e.errors, &outcome_id)
    } else {
        None
    };
    let reason_err = if mine {
        error_of(&e.errors, &reason_id)
    } else {
        None
    };
    let needs_outcome = !legend.is_empty();
    html! {
        div class="nhsuk-card" id=(format!("step-{name}")) {
            div class="nhsuk-card__content" {
                h2 class="nhsuk-card__heading nhsuk-heading-m" { (heading) }
                @if let Some(c) = failed.filter(|_| matches!(step, CaseStep::Recommend | CaseStep::Decide | CaseStep::DecideAppeal)) {
                    p class="nhsuk-body" { "Not all six criteria of PP-1 were met in this year (" (c.failed_words()) "). Progress is possible only by the employer's discretion (PP-2): give the reason." }
                }
                form method="post" action=(format!("/progression/{}", case.id)) novalidate {
                    (csrf_field(u))
                    input type="hidden" name="step" value=(name);
                    input type="hidden" name="version" value=(case.version);
                    @if needs_outcome {
                        div class=(group_class(outcome_err)) {
                            fieldset class="nhsuk-fieldset" aria-describedby=[outcome_err.map(|_| format!("{outcome_id}-error"))] {
                                legend class="nhsuk-fieldset__legend nhsuk-fieldset__legend--s" { (legend) }
                                (error_message(&outcome_id, outcome_err))
                                div class="nhsuk-radios" data-module="nhsuk-radios" {
                                    div class="nhsuk-radios__item" {
                                        input class="nhsuk-radios__input" id=(outcome_id) name="outcome" type="radio" value="progress" checked[mine && e.outcome == "progress"];
                                        label class="nhsuk-label nhsuk-radios__label" for=(outcome_id) { (progress) }
                                    }
                                    div class="nhsuk-radios__item" {
                                        input class="nhsuk-radios__input" id=(format!("{outcome_id}-2")) name="outcome" type="radio" value="defer" checked[mine && e.outcome == "defer"];
                                        label class="nhsuk-label nhsuk-radios__label" for=(format!("{outcome_id}-2")) { (defer) }
                                    }
                                }
                            }
                        }
                    }
                    div class=(group_class(reason_err)) {
                        label class="nhsuk-label" for=(reason_id) { (reason_label) }
                        div class="nhsuk-hint" id=(hint_id) { (hint) }
                        (error_message(&reason_id, reason_err))
                        textarea class=(if reason_err.is_some() { "nhsuk-textarea nhsuk-textarea--error" } else { "nhsuk-textarea" }) id=(reason_id) name="reason" rows="3" aria-describedby=(if reason_err.is_some() { format!("{hint_id} {reason_id}-error") } else { hint_id.clone() }) {
                            @if mine { (e.reason) }
                        }
                    }
                    button class=(if step == CaseStep::Close { "nhsuk-button nhsuk-button--secondary" } else { "nhsuk-button" }) type="submit" { (button) }
                }
            }
        }
    }
}

fn parse_step(s: &str) -> Option<CaseStep> {
    [
        CaseStep::Recommend,
        CaseStep::Decide,
        CaseStep::Appeal,
        CaseStep::DecideAppeal,
        CaseStep::Close,
    ]
    .into_iter()
    .find(|c| c.as_str() == s)
}

/// Checks a step form before it is sent: the errors, each naming its field.
fn check_step(step: CaseStep, outcome: &str, reason: &str) -> Vec<(String, String)> {
    let name = step.as_str();
    let mut errors = vec![];
    let needs_outcome = matches!(
        step,
        CaseStep::Recommend | CaseStep::Decide | CaseStep::DecideAppeal
    );
    if needs_outcome && !matches!(outcome, "progress" | "defer") {
        errors.push((
            format!("{name}-outcome"),
            match step {
                CaseStep::DecideAppeal => "Select whether the appeal was upheld or dismissed",
                _ => "Select progress or defer",
            }
            .to_string(),
        ));
    }
    if outcome == "defer" && reason.is_empty() {
        errors.push((
            format!("{name}-reason"),
            "Give the reasons for deferring progression (C 4.3)".to_string(),
        ));
    }
    if step == CaseStep::Appeal && reason.is_empty() {
        errors.push((
            format!("{name}-reason"),
            "Give your grounds for appeal".to_string(),
        ));
    }
    errors
}

/// `POST /progression/{id}`.
pub async fn step(
    State(state): State<AppState>,
    Path(id): Path<i64>,
    Form(u, f): Form,
) -> PageResult<Response> {
    let step = parse_step(f.get("step")).ok_or_else(|| {
        WebError::BadRequest("the form does not say which step to take: reload the page".into())
    })?;
    let version: i64 = f.get("version").parse().map_err(|_| {
        WebError::BadRequest(
            "the form does not say which version of the case it is for: reload the page".into(),
        )
    })?;
    let mut e = Entered {
        step: Some(step),
        outcome: f.get("outcome").to_string(),
        reason: f.get("reason").to_string(),
        errors: vec![],
    };
    e.errors = check_step(step, &e.outcome, &e.reason);
    if e.errors.is_empty() {
        let needs_outcome = matches!(
            step,
            CaseStep::Recommend | CaseStep::Decide | CaseStep::DecideAppeal
        );
        let new = NewStep {
            version,
            step,
            outcome: needs_outcome.then(|| e.outcome.clone()),
            reason: e.reason.clone(),
        };
        match take_step(&state, &u.user, id, new).await {
            Ok(()) => {
                return Ok(see_other(&format!(
                    "/progression/{id}?done={}",
                    step.as_str()
                )))
            }
            Err(AppError::Unprocessable { detail, field }) => {
                let field = field.unwrap_or_else(|| "reason".into());
                let message = detail
                    .split_once(": ")
                    .map_or(detail.as_str(), |(_, m)| m)
                    .to_string();
                e.errors
                    .push((format!("{}-{field}", step.as_str()), sentence(&message)));
            }
            Err(other) => return Err(WebError::from(other)),
        }
    }
    let page = case_page(&state, &u, id, None, e).await?;
    Ok((StatusCode::UNPROCESSABLE_ENTITY, page).into_response())
}

// ---------------------------------------------------------------------------------------------
// The timeline.

/// A stored annual review and the progression case it opened, with the case's steps.
pub struct ReviewYear<'a> {
    /// The review.
    pub review: &'a Review,
    /// Its case, if any.
    pub case: Option<&'a (Case, Vec<Step>)>,
    /// The six criteria of PP-1 for its year, as the case shows them; without them the year has
    /// the review's four, spare capacity from PP-4 and the private practice standards unrecorded
    /// (met when the plan records no private practice).
    pub criteria: Option<&'a YearCriteria>,
}

/// A career document built from stored records, and how.
#[derive(Debug)]
pub struct Built {
    /// The document the progression engine reads.
    pub document: CareerDocument,
    /// What the reader should know about how the records became years.
    pub notes: Vec<String>,
    /// Anniversaries closing years with no review on record: their criteria are not recorded, so
    /// they are not satisfactory and do not count towards a threshold (PP-1).
    pub not_recorded: Vec<NaiveDate>,
}

fn date_of(s: &str) -> Option<NaiveDate> {
    s.get(..10)
        .and_then(|d| NaiveDate::parse_from_str(d, "%Y-%m-%d").ok())
}

/// One `[[year]]` of the career document from a review and its case: the six criteria as the
/// case judges them (the review's four, PP-4's spare capacity and PRV-2's disclosure); the
/// employer's discretion when a year that missed a criterion was decided to progress (PP-2); an
/// appeal with its outcome (C 7).
fn year_of(ending: NaiveDate, y: &ReviewYear, notes: &mut Vec<String>) -> Value {
    let r = y.review;
    let mut year = json!({
        "ending": ending.to_string(),
        "met_time_and_service": r.met_time_and_service,
        "met_objectives_or_reasonable_effort": r.met_objectives_or_reasonable_effort,
        "took_part_in_appraisal_and_job_planning": r.took_part_in_appraisal_and_job_planning,
        "worked_towards_service_changes": r.worked_towards_service_changes,
    });
    let all_met = match y.criteria {
        Some(c) => {
            year["offered_spare_capacity"] = json!(c.met("offered_spare_capacity"));
            year["met_private_practice_standards"] = json!(c.met("met_private_practice_standards"));
            c.failed.is_empty()
        }
        None => r.all_met(),
    };
    let Some((case, steps)) = y.case else {
        return year;
    };
    let decided = matches!(case.status.as_str(), "decided" | "appealed" | "closed");
    let appeal = steps.iter().find(|s| s.step == "appeal");
    let panel = steps.iter().find(|s| s.step == "decide_appeal");
    let mut upheld = false;
    if let Some(lodged) = appeal.and_then(|a| date_of(&a.created_at)) {
        let mut a = json!({ "lodged": lodged.to_string(), "outcome": "pending" });
        if let Some(p) = panel {
            upheld = p.outcome.as_deref() == Some("progress");
            a["outcome"] = json!(if upheld { "upheld" } else { "dismissed" });
            a["decided"] = json!(date_of(&p.created_at)
                .unwrap_or(lodged)
                .max(lodged)
                .to_string());
        }
        year["appeal"] = a;
    }
    if decided && !all_met && !upheld && case.outcome.as_deref() == Some("progress") {
        let reason = steps
            .iter()
            .rev()
            .find(|s| s.step == "decide" && !s.reason.is_empty())
            .map(|s| s.reason.clone())
            .unwrap_or_else(|| {
                format!(
                    "progression allowed by the chief executive's decision on case {}",
                    case.id
                )
            });
        year["employer_discretion"] = json!(reason);
    }
    if decided && all_met && case.outcome.as_deref() == Some("defer") && appeal.is_none() {
        notes.push(format!(
            "Case {} deferred progression for the year ending {} although all six criteria were met; the timeline follows the criteria.",
            case.id, ending
        ));
    }
    year
}

/// The career document of a consultant from stored records: `[consultant]` and the premium of
/// `[pay]` from their current job plan document, then one `[[year]]` per annual review, each
/// counted for the anniversary on or after the year end it records (the latest review of an
/// anniversary wins). Years before the last reviewed one with no review on record have no criteria
/// recorded, so they do not count (progression is not automatic), and are listed in
/// [`Built::not_recorded`]. The starting point is left to PP-2 (the start
/// of the scale) or, after a transfer, TR-1: the job plan's point is the current one, not the
/// starting one. Errors are the career document's own, in words.
pub fn career_document(
    plan: &Value,
    reviews: &[ReviewYear],
    params: &Parameters,
) -> Result<Built, String> {
    let consultant = plan
        .get("consultant")
        .cloned()
        .ok_or("the current job plan has no [consultant] table")?;
    let mut doc = json!({ "consultant": consultant });
    if let Some(p) = plan
        .pointer("/pay/recruitment_retention_premium")
        .filter(|p| !p.is_null())
    {
        doc["pay"] = json!({ "recruitment_retention_premium": p });
    }
    let parse = |doc: &Value| -> Result<CareerDocument, String> {
        let bytes = serde_json::to_vec(doc).map_err(|e| e.to_string())?;
        parse_career("the consultant's records", &bytes, Format::Json, params)
            .map_err(|e| e.to_string())
    };
    let base = parse(&doc)?;
    let anchor = base.anchor();
    let leap = params
        .leap_day_anniversary
        .at(anchor)
        .map(|e| e.value)
        .unwrap_or(params.leap_day_anniversary.entries[0].value);
    let mut notes = vec![];
    let mut annual: Vec<&ReviewYear> = reviews
        .iter()
        .filter(|y| y.review.kind == "annual")
        .collect();
    annual.sort_by_key(|y| y.review.id);
    let mut years: BTreeMap<u32, Value> = BTreeMap::new();
    for y in annual {
        let Some(d) = date_of(&y.review.year_ending) else {
            notes.push(format!(
                "The review recorded as ending \"{}\" has no readable date and is left out.",
                y.review.year_ending
            ));
            continue;
        };
        if d <= anchor {
            notes.push(format!("The review of the year ending {} is before the pay progression dates start ({anchor}) and is left out.", long_date(&d.to_string())));
            continue;
        }
        let Some((n, ending)) = (1..=MAX_CAREER_YEARS)
            .filter_map(|n| anniversary(anchor, n, leap).map(|a| (n, a)))
            .find(|(_, a)| *a >= d)
        else {
            notes.push(format!(
                "The review of the year ending {} is beyond the timeline's reach and is left out.",
                long_date(&d.to_string())
            ));
            continue;
        };
        if ending != d {
            notes.push(format!(
                "The review recorded as ending {} counts for the year closing on the anniversary {} (thresholds fall on anniversaries, C 4.6).",
                long_date(&d.to_string()),
                long_date(&ending.to_string())
            ));
        }
        if years.insert(n, year_of(ending, y, &mut notes)).is_some() {
            notes.push(format!(
                "More than one annual review counts for the year closing on {}; the latest recorded is used.",
                long_date(&ending.to_string())
            ));
        }
    }
    let mut not_recorded = vec![];
    let last = years.keys().next_back().copied().unwrap_or(0);
    let mut list = Vec::with_capacity(last as usize);
    for n in 1..=last {
        match years.remove(&n) {
            Some(y) => list.push(y),
            None => {
                let ending =
                    anniversary(anchor, n, leap).ok_or("an anniversary is out of range")?;
                not_recorded.push(ending);
                list.push(json!({ "ending": ending.to_string() }));
            }
        }
    }
    if !list.is_empty() {
        doc["year"] = Value::Array(list);
    }
    Ok(Built {
        document: parse(&doc)?,
        notes,
        not_recorded,
    })
}

/// Whole pounds for the chart's axis: "£75,000".
fn axis_pounds(d: Decimal) -> String {
    let p = pounds((d * Decimal::from(100)).round().to_i64().unwrap_or(0));
    p.strip_suffix(".00").map_or(p.clone(), str::to_string)
}

fn money(m: Money) -> String {
    pounds(m.pence())
}

fn kind_label(k: EventKind) -> &'static str {
    match k {
        EventKind::Start => "Start",
        EventKind::Transfer => "Transfer to the contract",
        EventKind::Threshold => "Threshold reached",
        EventKind::Deferred => "Threshold deferred",
    }
}

/// `GET /consultants/{id}/timeline`.
pub async fn timeline_page(
    State(state): State<AppState>,
    Path(id): Path<String>,
    u: WebUser,
) -> PageResult<Markup> {
    let c = visible_consultant(&state, &u, &id).await?;
    let scope = Scope::Consultant(c.id.clone());
    let own = u.user.consultant_id.as_deref() == Some(c.id.as_str());
    let title = if own {
        "Your pay progression timeline".to_string()
    } else {
        format!("Pay progression timeline: {}", c.name)
    };
    let back = format!("/objectives?consultant={}", urlencode(&c.id));
    let plan = match state.store.job_plans(&scope).await?.first() {
        Some(p) => state.store.job_plan(p.id).await?,
        None => None,
    };
    let reviews = state.store.reviews(&scope).await?;
    let mut cases = vec![];
    for k in state.store.progression_cases(&scope).await? {
        if let Some(found) = state.store.progression_case(k.id).await? {
            cases.push(found);
        }
    }
    let records = Records::load(&state, &c.id).await?;
    let judged = reviews
        .iter()
        .map(|r| records.judge(r, &state.params))
        .collect::<Result<Vec<_>, _>>()?;
    let years: Vec<ReviewYear> = reviews
        .iter()
        .zip(&judged)
        .map(|(r, criteria)| ReviewYear {
            review: r,
            case: cases.iter().find(|(k, _)| k.review_id == r.id),
            criteria: Some(criteria),
        })
        .collect();
    let built = match &plan {
        Some(p) => career_document(&p.document, &years, &state.params),
        None => Err("there is no job plan on record for this consultant, so there is no [consultant] table to start from".into()),
    };
    let result = built.and_then(|b| {
        timeline(&b.document, &state.params, None)
            .map(|career| (b, career))
            .map_err(|e| e.to_string())
    });
    let body = html! {
        h1 class="nhsuk-heading-l" { (title) }
        @match &result {
            Err(why) => {
                div class="nhsuk-warning-callout" {
                    h2 class="nhsuk-warning-callout__label" { span role="text" { span class="nhsuk-u-visually-hidden" { "Important: " } "The timeline cannot be drawn" } }
                    p { (sentence(why)) }
                }
            }
            Ok((built, career)) => (timeline_body(built, career)),
        }
        p class="nhsuk-body" { a href=(format!("/consultants/{}/awards", urlencode(&c.id))) { "See the awards and premia" } }
        p class="nhsuk-body" { a href=(format!("/consultants/{}/private-practice", urlencode(&c.id))) { "See the private practice disclosures" } }
        p class="nhsuk-body" { a href=(back) { "See the objectives and reviews" } }
    };
    Ok(layout_back(
        &u,
        &title,
        (&back, "Back to objectives and reviews"),
        body,
    ))
}

fn timeline_body(built: &Built, career: &Career) -> Markup {
    let points: Vec<Point> = career
        .events
        .iter()
        .map(|e| Point {
            date: e.date,
            value: e.salary.pounds(),
            label: axis_pounds(e.salary.pounds()),
        })
        .collect();
    let basis = if career.starts.basis == "transfer" {
        "The transfer to the contract"
    } else {
        "First appointment"
    };
    let recorded: Vec<_> = career.years.iter().filter(|y| !y.projected).collect();
    html! {
        dl class="nhsuk-summary-list" {
            div class="nhsuk-summary-list__row" { dt class="nhsuk-summary-list__key" { "Thresholds fall on anniversaries of" } dd class="nhsuk-summary-list__value" { (basis) ", " (long_date(&career.starts.date.to_string())) " (C 4.6)" } }
            div class="nhsuk-summary-list__row" { dt class="nhsuk-summary-list__key" { "Years recorded to" } dd class="nhsuk-summary-list__value" {
                @match career.projection.last_recorded_year_ending { Some(d) => { (long_date(&d.to_string())) ", later years are projected as satisfactory" } None => { "No year recorded: every year is projected as satisfactory" } }
            } }
            div class="nhsuk-summary-list__row" { dt class="nhsuk-summary-list__key" { "Top of the scale" } dd class="nhsuk-summary-list__value" {
                (money(career.projection.top_value_2002_03)) " at 2002/03 levels; "
                @match career.projection.top_reached_on {
                    Some(d) => { "reached on " (long_date(&d.to_string())) @if career.projection.top_reached_by_projection { " (projected)" } }
                    None => "not reached in the timeline",
                }
            } }
        }
        @if !built.notes.is_empty() || !built.not_recorded.is_empty() {
            div class="nhsuk-inset-text" {
                span class="nhsuk-u-visually-hidden" { "Information: " }
                p { "How the records became this timeline:" }
                ul {
                    @if !built.not_recorded.is_empty() {
                        li { (built.not_recorded.len()) " earlier year" @if built.not_recorded.len() != 1 { "s have" } @else { " has" } " no annual review on record: " @if built.not_recorded.len() != 1 { "their criteria are" } @else { "its criteria are" } " not recorded, so " @if built.not_recorded.len() != 1 { "they do" } @else { "it does" } " not count towards a threshold (progression is not automatic)." }
                    }
                    @for n in &built.notes { li { (n) } }
                    li { "The starting point is the start of the scale (PP-2) or, after a transfer, the point TR-1 gives." }
                }
            }
        }
        div class="tenpa-chart" {
            (step_chart("timeline-chart", "Full-time salary over time", "The full-time basic salary of the pay point held from each event: start or transfer, then each threshold; the table below gives the same figures.", &points, axis_pounds))
        }
        table class="nhsuk-table" {
            caption class="nhsuk-table__caption" { "Events of the timeline" }
            thead class="nhsuk-table__head" { tr class="nhsuk-table__row" {
                th class="nhsuk-table__header" scope="col" { "Date" }
                th class="nhsuk-table__header" scope="col" { "Event" }
                th class="nhsuk-table__header tenpa-number" scope="col" { "Point (2002/03 value)" }
                th class="nhsuk-table__header tenpa-number" scope="col" { "Full-time salary" }
                th class="nhsuk-table__header" scope="col" { "Satisfactory years" }
                th class="nhsuk-table__header" scope="col" { "Rule" }
            } }
            tbody class="nhsuk-table__body" {
                @for e in &career.events {
                    tr class="nhsuk-table__row" {
                        th class="nhsuk-table__cell" scope="row" { (long_date(&e.date.to_string())) }
                        td class="nhsuk-table__cell" {
                            (kind_label(e.kind))
                            @if e.projected { " (projected)" }
                            @if !e.reason.is_empty() { br; span class="nhsuk-body-s" { (e.reason) } }
                            @for d in &e.discretion { br; span class="nhsuk-body-s" { "Allowed by the employer's discretion (PP-2): " (d) } }
                        }
                        td class="nhsuk-table__cell tenpa-number" { (money(e.point_value_2002_03)) }
                        td class="nhsuk-table__cell tenpa-number" { (money(e.salary)) " in " (e.pay_year) }
                        td class="nhsuk-table__cell" {
                            @match e.kind {
                                EventKind::Threshold => { (e.satisfactory_years_counted) " of " (e.years_required) }
                                EventKind::Deferred => { "Deferred " (e.deferred_years) " year" @if e.deferred_years != 1 { "s" } }
                                _ => "None needed",
                            }
                        }
                        td class="nhsuk-table__cell" { (e.rule) }
                    }
                }
            }
        }
        h2 class="nhsuk-heading-m" { "Years recorded" }
        @if recorded.is_empty() {
            p class="nhsuk-body" { "No job plan year is recorded yet." }
        } @else {
            table class="nhsuk-table" {
                caption class="nhsuk-table__caption" { "Job plan years and whether each counted (PP-1)" }
                thead class="nhsuk-table__head" { tr class="nhsuk-table__row" {
                    th class="nhsuk-table__header" scope="col" { "Year ending" }
                    th class="nhsuk-table__header" scope="col" { "Satisfactory" }
                    th class="nhsuk-table__header" scope="col" { "Counted" }
                    th class="nhsuk-table__header" scope="col" { "Why" }
                } }
                tbody class="nhsuk-table__body" {
                    @for y in &recorded {
                        tr class="nhsuk-table__row" {
                            th class="nhsuk-table__cell" scope="row" { (long_date(&y.ending.to_string())) }
                            td class="nhsuk-table__cell" { @if y.satisfactory { "Yes" } @else { "No" } }
                            td class="nhsuk-table__cell" { @if y.counted { "Yes" } @else { "No" } }
                            td class="nhsuk-table__cell" {
                                @if built.not_recorded.contains(&y.ending) { "No review on record: criteria not recorded. " }
                                (y.reason)
                                @if !y.employer_discretion.is_empty() { " Counted by the employer's discretion: " (y.employer_discretion) }
                                @if let Some(a) = &y.appeal { " Appeal lodged " (long_date(&a.lodged.to_string())) ": " (a.outcome) "." }
                            }
                        }
                    }
                }
            }
        }
        @if !career.findings.is_empty() {
            h2 class="nhsuk-heading-m" { "Findings" }
            ul class="nhsuk-list nhsuk-list--bullet" {
                @for f in &career.findings {
                    li { strong { (f.rule) } " (" (f.citation) "): " (f.message) }
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn params() -> Parameters {
        Parameters::embedded().clone()
    }

    fn plan() -> Value {
        json!({
            "consultant": {
                "id": "c-1", "name": "Dr A", "first_appointed": "2004-09-01",
                "nation": "england", "private_practice": false, "opt_out_48h": false
            },
            "pay": { "point": 1, "cea_level": 0 }
        })
    }

    fn review(id: i64, ending: &str, met: bool) -> Review {
        Review {
            id,
            consultant_id: "c-1".into(),
            kind: "annual".into(),
            year_ending: ending.into(),
            met_time_and_service: true,
            met_objectives_or_reasonable_effort: met,
            took_part_in_appraisal_and_job_planning: true,
            worked_towards_service_changes: true,
            outside_remunerated_work: Default::default(),
            exempted_outside_work: vec![],
            notes: String::new(),
            created_by: String::new(),
            created_at: String::new(),
        }
    }

    fn step(step: &str, outcome: Option<&str>, reason: &str, at: &str) -> Step {
        Step {
            version: 1,
            step: step.into(),
            status: String::new(),
            outcome: outcome.map(str::to_string),
            reason: reason.into(),
            created_by: String::new(),
            created_at: format!("{at}T10:00:00.000Z"),
        }
    }

    fn case(id: i64, status: &str, outcome: Option<&str>) -> Case {
        Case {
            id,
            consultant_id: "c-1".into(),
            department_id: 1,
            review_id: id,
            status: status.into(),
            outcome: outcome.map(str::to_string),
            version: 1,
            updated_at: String::new(),
        }
    }

    #[test]
    fn no_reviews_make_a_career_of_projected_years() {
        let b = career_document(&plan(), &[], &params()).unwrap();
        assert!(b.document.years.is_empty());
        assert!(b.not_recorded.is_empty());
        assert!(
            b.document.pay.is_none(),
            "the current point is not the start"
        );
    }

    /// Source: F 3(c), C 4.3 (PP-1): progression is not automatic, so a year with no review on
    /// record is not recorded, not satisfactory.
    #[test]
    fn reviews_become_years_on_anniversaries_with_gaps_not_recorded() {
        let r2 = review(2, "2006-09-01", false);
        let r3 = review(3, "2007-06-30", true);
        let interim = Review {
            kind: "interim".into(),
            ..review(4, "2005-09-01", false)
        };
        let ys = [
            ReviewYear {
                review: &r2,
                case: None,
                criteria: None,
            },
            ReviewYear {
                review: &r3,
                case: None,
                criteria: None,
            },
            ReviewYear {
                review: &interim,
                case: None,
                criteria: None,
            },
        ];
        let b = career_document(&plan(), &ys, &params()).unwrap();
        let endings: Vec<String> = b
            .document
            .years
            .iter()
            .map(|y| y.ending.to_string())
            .collect();
        assert_eq!(endings, ["2005-09-01", "2006-09-01", "2007-09-01"]);
        assert_eq!(
            b.not_recorded,
            [NaiveDate::from_ymd_opt(2005, 9, 1).unwrap()]
        );
        assert_eq!(
            b.document.years[0].met_objectives_or_reasonable_effort, None,
            "an interim review is not a year: the year records nothing"
        );
        assert_eq!(
            b.document.years[1].met_objectives_or_reasonable_effort,
            Some(false)
        );
        assert!(b
            .notes
            .iter()
            .any(|n| n.contains("30 June 2007") && n.contains("1 September 2007")));
        let career = timeline(&b.document, &params(), None).unwrap();
        assert!(career.events.iter().any(|e| e.kind == EventKind::Deferred));
        // The year with no review does not count: the first threshold waits for a counted year.
        let first = &career.years[0];
        assert!(!first.satisfactory && !first.counted, "{first:?}");
        assert_eq!(first.not_recorded.len(), 4, "{first:?}");
        assert_eq!(career.events[1].kind, EventKind::Deferred);
        assert!(career
            .findings
            .iter()
            .any(|f| f.rule == "PP-1" && f.message.contains("2005-09-01")));
    }

    /// Source: F 3(c) (PP-1), D 3.6-3.7 (PRV-2), F 3(e) (PP-2): the timeline takes the six
    /// criteria as the case judges them, so a year with all four A 9.4 criteria met but no
    /// disclosure counts only by the decision's discretion.
    #[test]
    fn the_timeline_follows_the_cases_six_criteria() {
        let r = review(1, "2005-09-01", true);
        let decided = (
            case(1, "closed", Some("progress")),
            vec![step(
                "decide",
                Some("progress"),
                "Disclosure made late.",
                "2005-10-01",
            )],
        );
        let judged = crate::api::criteria::judge(
            &r,
            NaiveDate::from_ymd_opt(2005, 9, 1).unwrap(),
            None,
            &[],
            &[],
            true,
            &params(),
        );
        assert_eq!(judged.failed, ["met_private_practice_standards"]);
        let ys = [ReviewYear {
            review: &r,
            case: Some(&decided),
            criteria: Some(&judged),
        }];
        let b = career_document(&plan(), &ys, &params()).unwrap();
        let y = &b.document.years[0];
        assert_eq!(y.met_private_practice_standards, Some(false));
        assert_eq!(y.offered_spare_capacity, Some(true));
        assert_eq!(y.employer_discretion, "Disclosure made late.");
        let career = timeline(&b.document, &params(), None).unwrap();
        assert_eq!(career.years[0].failed, ["met_private_practice_standards"]);
        assert!(career.years[0].counted);
    }

    #[test]
    fn decisions_and_appeals_from_the_case() {
        let r1 = review(1, "2005-09-01", false);
        let r2 = review(2, "2006-09-01", false);
        let allowed = (
            case(1, "closed", Some("progress")),
            vec![step(
                "decide",
                Some("progress"),
                "Theatre closures outside their control.",
                "2005-10-01",
            )],
        );
        let appealed = (
            case(2, "closed", Some("progress")),
            vec![
                step("decide", Some("defer"), "Objectives not met.", "2006-10-01"),
                step("appeal", None, "Rota gaps.", "2006-10-10"),
                step("decide_appeal", Some("progress"), "Upheld.", "2006-11-20"),
            ],
        );
        let ys = [
            ReviewYear {
                review: &r1,
                case: Some(&allowed),
                criteria: None,
            },
            ReviewYear {
                review: &r2,
                case: Some(&appealed),
                criteria: None,
            },
        ];
        let b = career_document(&plan(), &ys, &params()).unwrap();
        assert_eq!(
            b.document.years[0].employer_discretion,
            "Theatre closures outside their control."
        );
        let a = b.document.years[1].appeal.as_ref().unwrap();
        assert_eq!(a.outcome, tenpa_rules::plan::AppealOutcome::Upheld);
        assert_eq!(a.lodged.to_string(), "2006-10-10");
        assert_eq!(
            a.decided.map(|d| d.to_string()).as_deref(),
            Some("2006-11-20")
        );
        assert!(b.document.years[1].employer_discretion.is_empty());
    }

    #[test]
    fn a_review_before_the_start_is_left_out_and_a_plan_without_consultant_refused() {
        let r = review(1, "2003-01-01", true);
        let b = career_document(
            &plan(),
            &[ReviewYear {
                review: &r,
                case: None,
                criteria: None,
            }],
            &params(),
        )
        .unwrap();
        assert!(b.document.years.is_empty());
        assert_eq!(b.notes.len(), 1);
        assert!(career_document(&json!({}), &[], &params()).is_err());
    }

    #[test]
    fn step_forms_name_their_fields() {
        let e = check_step(CaseStep::Recommend, "", "");
        assert_eq!(e[0].0, "recommend-outcome");
        let e = check_step(CaseStep::Decide, "defer", "");
        assert_eq!(e[0].0, "decide-reason");
        assert_eq!(check_step(CaseStep::Appeal, "", "").len(), 1);
        assert!(check_step(CaseStep::Close, "", "").is_empty());
        assert!(check_step(CaseStep::DecideAppeal, "progress", "").is_empty());
        assert_eq!(axis_pounds(Decimal::from(75750)), "£75,750");
    }
}
