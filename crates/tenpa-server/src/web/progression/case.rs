//! The pay progression cases: the list, one case with its steps, and taking a step.

use super::{case_status_label, case_status_tag, outcome_label, step_label};
use crate::error::AppError;
use crate::policy::job_plan_scope;
use crate::service::criteria::YearCriteria;
use crate::service::progression::{load, open_steps, take_step, CaseView, NewStep};
use crate::web::components::{
    day, error_message, error_of, error_summary, group_class, long_date, met_tag, success_banner,
    summary_row, summary_rows, HtmlTable,
};
use crate::web::objectives::{consultants_in_scope, criterion, query, CRITERIA};
use crate::web::page::{
    csrf_field, layout, layout_back, see_other, sentence, urlencode, Form, PageResult, WebError,
    WebUser,
};
use crate::AppState;
use axum::extract::{Path, RawQuery, State};
use axum::http::StatusCode;
use axum::response::IntoResponse;
use axum::response::Response;
use maud::{html, Markup};
use std::collections::BTreeMap;
use tenpa_rules::job_planning::{CaseStatus, CaseStep};
use tenpa_store::{Case, Review, Step};

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
        .filter(|c| status.is_none_or(|s| c.status == s))
        .collect();
    let caption = match status {
        Some(s) => format!(
            "Cases: {} ({})",
            case_status_label(s).to_lowercase(),
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
                            option value=(s.as_str()) selected[status == Some(s)] { (case_status_label(s)) }
                        }
                    }
                }
                button class="nhsuk-button nhsuk-button--secondary" type="submit" { "Show" }
            }
            @if shown.is_empty() {
                p class="nhsuk-body" { "There are no cases to show." }
            } @else {
                (HtmlTable::new(html! { (caption) })
                    .columns(&["Case", "Consultant", "Status", "Outcome", "Last updated"])
                    .rows(shown.iter().map(|c| vec![
                        html! { a href=(format!("/progression/{}", c.id)) { "Case " (c.id) } },
                        html! { (names.get(&c.consultant_id).map_or(c.consultant_id.as_str(), String::as_str)) },
                        html! { (case_status_tag(c.status)) },
                        html! { (outcome_label(c.outcome.as_deref())) },
                        html! { (long_date(&c.updated_at)) },
                    ])))
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
        (summary_rows(html! {
            (summary_row("Consultant", html! { a href=(format!("/objectives?consultant={c_id}")) { (name) } " (" (case.consultant_id) ")" }))
            (summary_row("Status", html! { (case_status_tag(case.status)) }))
            (summary_row("Outcome so far", html! { (outcome_label(case.outcome.as_deref())) }))
            @if let Some(r) = &review {
                (summary_row("Year under review", html! { "Ending " (day(r.year_ending)) }))
            }
            (summary_row("Last updated", html! { (long_date(&case.updated_at)) }))
        }))
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
        (HtmlTable::new(html! { "The six criteria of PP-1 for the year " (long_date(&c.year_starting)) " to " (long_date(&c.year_ending)) })
            .row_headers()
            .columns(&["Criterion", "Rule", "Met", "Why"])
            .rows(c.criteria.iter().map(|k| vec![
                html! { (k.label) },
                html! { a href=(format!("/rules/{}", k.rule)) { (k.rule) } " (" (k.citation) ")" },
                html! { (met_tag(k.met)) },
                html! { @if k.reason.is_empty() { "Recorded at the review (A 9.4)" } @else { (sentence(&k.reason)) } },
            ])))
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
        (HtmlTable::new("The manager's report: the four criteria of A 9.4")
            .row_headers()
            .columns(&["Criterion", "Met"])
            .rows(CRITERIA.into_iter().map(|(field, _, question, _)| vec![
                html! { (question) },
                html! { (met_tag(criterion(r, field))) },
            ])))
        @if !r.notes.is_empty() {
            div class="nhsuk-inset-text" { span class="nhsuk-u-visually-hidden" { "Information: " } p { "Review notes: " (r.notes) } }
        }
    }
}

fn steps_table(steps: &[Step]) -> Markup {
    html! {
        (HtmlTable::new("Steps so far")
            .row_headers()
            .columns(&["Step", "By", "When", "Outcome", "Reason"])
            .rows(steps.iter().map(|s| vec![
                html! { (step_label(&s.step)) },
                html! { (s.created_by) },
                html! { (long_date(&s.created_at)) },
                html! { @if s.outcome.is_some() { (outcome_label(s.outcome.as_deref())) } @else { "None" } },
                html! { @if s.reason.is_empty() { "None given" } @else { (s.reason) } },
            ])))
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
    let step = CaseStep::parse(f.get("step")).ok_or_else(|| {
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
            Err(AppError::Unprocessable { field, message }) => {
                let field = field.unwrap_or_else(|| "reason".into());
                e.errors
                    .push((format!("{}-{field}", step.as_str()), sentence(&message)));
            }
            Err(other) => return Err(WebError::from(other)),
        }
    }
    let page = case_page(&state, &u, id, None, e).await?;
    Ok((StatusCode::UNPROCESSABLE_ENTITY, page).into_response())
}

#[cfg(test)]
mod tests {
    use super::super::timeline::axis_pounds;
    use super::*;
    use rust_decimal::Decimal;
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
