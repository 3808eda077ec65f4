//! A job plan's agreement and sign-off (JP-1) and the dispute route (JP-4): `GET
//! /plans/{id}/workflow` shows the state, who did what and when, and a small form for each step
//! open to the user; `POST /plans/{id}/workflow` takes the step through the same code as the API.

use super::history::{display_names, history_table};
use super::home::action_label;
use super::page::{csrf_field, layout_back, Form, PageResult, WebError, WebUser};
use super::sign_off::{self, Ticked};
use crate::error::AppError;
use crate::service::job_plans::{
    available_actions, load, parties, take_step, Parties, SignOffInput, Step,
};
use crate::web::components::{
    error_summary, status_label, status_tag, summary_row, summary_row_id, summary_rows,
};
use crate::AppState;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use maud::{html, Markup};
use serde::Deserialize;
use tenpa_rules::job_planning::Action;
use tenpa_store::{JobPlanRecord, User};

/// A plan id from the path; anything but a number is a page that does not exist.
pub fn plan_id(raw: &str) -> Result<i64, WebError> {
    raw.parse::<i64>()
        .ok()
        .filter(|id| *id > 0)
        .ok_or_else(|| WebError::NotFound(format!("there is no job plan \"{raw}\"")))
}

/// The action named in a form or query, if it is one.
pub fn parse_action(s: &str) -> Option<Action> {
    Action::ALL.into_iter().find(|a| a.as_str() == s)
}

/// Whether the step needs a written note: the reasons for not agreeing, and every step of the
/// dispute route (JP-4).
pub fn note_required(a: Action) -> bool {
    matches!(
        a,
        Action::NotAgree | Action::Refer | Action::Resolve | Action::Appeal | Action::DecideAppeal
    )
}

/// The label of a step's comment box.
pub fn note_label(a: Action) -> &'static str {
    match a {
        Action::NotAgree => "Your reasons for not agreeing the plan",
        Action::Refer => "Why the plan is referred",
        Action::Resolve => "The outcome of the referral",
        Action::Appeal => "The grounds of the appeal",
        Action::DecideAppeal => "The appeals panel's outcome",
        _ => "Comment (optional)",
    }
}

/// What the user has just done, for the success banner: "You agreed the plan".
pub fn done_message(a: Action) -> &'static str {
    match a {
        Action::Propose => "You proposed the plan",
        Action::Agree => "You agreed the plan",
        Action::NotAgree => "You recorded that the plan is not agreed",
        Action::Refer => "You referred the plan to the medical director",
        Action::Resolve => "You recorded the outcome of the referral",
        Action::Appeal => "You took the plan to a local appeals panel",
        Action::DecideAppeal => "You recorded the appeals panel's outcome",
        Action::CdSignOff => "You signed off the plan as clinical director",
        Action::MdSignOff => "You signed off the plan as medical director",
        Action::Reopen => "You reopened the plan for an interim review",
    }
}

/// The query of the workflow page: the step just taken, for the banner.
#[derive(Debug, Deserialize, Default)]
pub struct WorkflowQuery {
    /// The action just taken.
    #[serde(default)]
    pub done: Option<String>,
}

/// The label of the refer form's choice of a named alternate (JP-4).
pub const ALTERNATE_LABEL: &str = "Named alternate (required when the medical director is a party)";

/// The label of the sign-off form's choice of a named alternate on the medical director's own plan
/// (JP-1, two sides).
pub const SIGN_OFF_ALTERNATE_LABEL: &str =
    "Named alternate to sign off for the medical director (required: it is their own plan)";

/// The id of a form's choice of a named alternate: `alternate-refer`, `alternate-cd_sign_off`.
fn alternate_id(a: Action) -> String {
    format!("alternate-{}", a.as_str())
}

/// Whether the form of step `a` on `plan` names an alternate: a referral (JP-4), or the clinical
/// director's sign-off of the medical director's own plan (JP-1, two sides).
fn names_alternate(a: Action, plan: &JobPlanRecord) -> bool {
    a == Action::Refer || (a == Action::CdSignOff && plan.summary.consultant_is_medical_director())
}

/// A form re-shown: the action it was for, what was typed, and the messages.
struct Rejected<'a> {
    action: Action,
    note: &'a str,
    alternate: &'a str,
    ticked: Ticked<'a>,
    note_error: Option<String>,
    alternate_error: Option<String>,
    /// A sign-off's refusal: the field (`acknowledgements`, `override_reason`) and the message.
    sign_off_error: Option<(String, String)>,
}

impl Rejected<'_> {
    fn any(&self) -> bool {
        self.note_error.is_some() || self.alternate_error.is_some() || self.sign_off_error.is_some()
    }
}

fn note_id(a: Action) -> String {
    format!("note-{}", a.as_str())
}

/// A person in words: "Ms Hannah Price (clinical director)".
fn person(u: &User) -> String {
    let roles: Vec<&str> = u
        .roles
        .iter()
        .map(|r| match r.as_str() {
            "medical_director" => "medical director",
            "clinical_director" => "clinical director",
            other => other,
        })
        .collect();
    format!("{} ({})", u.display_name, roles.join(", "))
}

/// A form's choice of a named alternate: the referral's (JP-4), or the one who signs off the
/// medical director's own plan for the medical director (JP-1, two sides).
fn alternate_field(a: Action, parties: &Parties, rejected: Option<&Rejected>) -> Markup {
    let error = rejected.and_then(|r| r.alternate_error.as_deref());
    let chosen = rejected.map(|r| r.alternate).unwrap_or("");
    let id = alternate_id(a);
    let hint_id = format!("{id}-hint");
    let error_id = format!("{id}-error");
    let described = if error.is_some() {
        format!("{hint_id} {error_id}")
    } else {
        hint_id.clone()
    };
    let sign_off = a == Action::CdSignOff;
    let required = sign_off || parties.md_is_party;
    html! {
        div class=(if error.is_some() { "nhsuk-form-group nhsuk-form-group--error" } else { "nhsuk-form-group" }) {
            label class="nhsuk-label" for=(id) {
                (if sign_off { SIGN_OFF_ALTERNATE_LABEL } else { ALTERNATE_LABEL })
            }
            div class="nhsuk-hint" id=(hint_id) {
                @if sign_off {
                    "Required: this is the medical director's own plan, and nobody signs off their own plan. Choose who signs it off for the medical director: a deputy medical director or a clinical director of another department."
                } @else if parties.md_is_party {
                    "Required: the medical director is a party to this plan's initial decision (it is their own plan, or they drew up, edited, proposed or disputed it in this review). Choose who decides the referral instead."
                } @else {
                    "The referral goes to the medical director. Choose an alternate only if the medical director is a party to the disagreement."
                }
            }
            @if let Some(message) = error {
                span class="nhsuk-error-message" id=(error_id) {
                    span class="nhsuk-u-visually-hidden" { "Error: " } (message)
                }
            }
            select class=(if error.is_some() { "nhsuk-select nhsuk-select--error" } else { "nhsuk-select" })
                id=(id) name="alternate" aria-describedby=(described) {
                option value="" selected[chosen.is_empty()] {
                    @if required { "Choose a named alternate" } @else { "None: the medical director" }
                }
                @for u in &parties.eligible {
                    option value=(u.username) selected[chosen == u.username] { (person(u)) }
                }
            }
        }
    }
}

fn step_form(
    u: &WebUser,
    plan: &JobPlanRecord,
    a: Action,
    rejected: Option<&Rejected>,
    parties: Option<&Parties>,
) -> Markup {
    let id = note_id(a);
    let hint_id = format!("{id}-hint");
    let rejected = rejected.filter(|r| r.action == a);
    let error = rejected.and_then(|r| r.note_error.as_deref());
    let error_id = format!("{id}-error");
    let described = if error.is_some() {
        format!("{hint_id} {error_id}")
    } else {
        hint_id.clone()
    };
    let required = note_required(a);
    html! {
        form class="nhsuk-card tenpa-step" method="post" action=(format!("/plans/{}/workflow", plan.summary.id)) novalidate {
            div class="nhsuk-card__content" {
                h3 class="nhsuk-card__heading nhsuk-heading-s" { (action_label(a)) }
                (csrf_field(u))
                input type="hidden" name="action" value=(a.as_str());
                input type="hidden" name="version" value=(plan.summary.version);
                div class=(if error.is_some() { "nhsuk-form-group nhsuk-form-group--error" } else { "nhsuk-form-group" }) {
                    label class="nhsuk-label" for=(id) { (note_label(a)) }
                    div class="nhsuk-hint" id=(hint_id) {
                        @if required { "Required. It is kept in the plan's history." }
                        @else { "Kept in the plan's history." }
                    }
                    @if let Some(message) = error {
                        span class="nhsuk-error-message" id=(error_id) {
                            span class="nhsuk-u-visually-hidden" { "Error: " } (message)
                        }
                    }
                    textarea class=(if error.is_some() { "nhsuk-textarea nhsuk-textarea--error" } else { "nhsuk-textarea" })
                        id=(id) name="note" rows="3" aria-describedby=(described) {
                        @if let Some(r) = rejected { (r.note) }
                    }
                }
                @if let (true, Some(parties)) = (names_alternate(a, plan), parties) {
                    (alternate_field(a, parties, rejected))
                }
                (sign_off::checklist(
                    a,
                    plan,
                    &u.user,
                    rejected.map(|r| &r.ticked),
                    rejected.and_then(|r| r.sign_off_error.as_ref()).map(|(f, m)| (f.as_str(), m.as_str())),
                ))
                button class=(if matches!(a, Action::NotAgree | Action::Refer | Action::Appeal | Action::Reopen) { "nhsuk-button nhsuk-button--secondary" } else { "nhsuk-button" }) type="submit" {
                    (action_label(a))
                }
            }
        }
    }
}

/// The dispute route (JP-4) in one paragraph.
pub fn dispute_route() -> Markup {
    html! {
        div class="nhsuk-inset-text" {
            span class="nhsuk-u-visually-hidden" { "Information: " }
            p {
                "If the consultant and the clinical director cannot agree the plan, either records that it is not agreed, with reasons. "
                "The plan is then referred to the medical director, or to a named alternate when the medical director is a party to the disagreement, who decides. "
                "If that does not settle it, the consultant can take it to a local appeals panel, whose outcome is recorded and ends the dispute "
                "(rule JP-4, Schedule F 1(g) and Annex A 10.1)."
            }
        }
    }
}

async fn render(
    state: &AppState,
    u: &WebUser,
    plan: &JobPlanRecord,
    done: Option<Action>,
    rejected: Option<&Rejected<'_>>,
) -> PageResult<Markup> {
    let id = plan.summary.id;
    let versions = state.store.job_plan_versions(id).await?;
    let names = display_names(state, &versions).await;
    let actions = available_actions(&u.user, &plan.summary);
    let title = format!("Agreement and sign-off: {}", plan.summary.consultant_name);
    let mut errors: Vec<(String, String)> = Vec::new();
    if let Some(r) = rejected {
        if let Some(m) = &r.note_error {
            errors.push((note_id(r.action), m.clone()));
        }
        if let Some(m) = &r.alternate_error {
            errors.push((alternate_id(r.action), m.clone()));
        }
        if let Some((field, m)) = &r.sign_off_error {
            errors.push((
                sign_off::error_target(r.action, field, &plan.assessment.findings),
                m.clone(),
            ));
        }
    }
    let parties = if actions.iter().any(|a| names_alternate(*a, plan)) {
        Some(parties(state, &plan.summary).await?)
    } else {
        None
    };
    let alternate = match &plan.summary.referral_alternate {
        Some(name) => Some(
            state
                .store
                .user_by_username(name)
                .await?
                .map(|a| person(&a))
                .unwrap_or_else(|| name.clone()),
        ),
        None => None,
    };
    let referred = plan.summary.status == tenpa_rules::job_planning::Status::Referred;
    let body = html! {
        @if let Some(a) = done {
            div class="nhsuk-notification-banner nhsuk-notification-banner--success" data-module="nhsuk-notification-banner" role="alert" aria-labelledby="banner-title" {
                div class="nhsuk-notification-banner__header" {
                    h2 class="nhsuk-notification-banner__title" id="banner-title" { "Success" }
                }
                div class="nhsuk-notification-banner__content" {
                    p class="nhsuk-notification-banner__heading" {
                        @match (a, &alternate) {
                            (Action::Refer, Some(who)) => { "You referred the plan to the named alternate, " (who) }
                            (Action::CdSignOff, Some(who)) => { "You signed off the plan; the named alternate, " (who) ", signs it off for the medical director" }
                            _ => { (done_message(a)) }
                        }
                    }
                    p class="nhsuk-body" { "The plan is now: " (status_label(plan.summary.status)) "." }
                }
            }
        }
        (error_summary(&errors))
        span class="nhsuk-caption-l" { (plan.summary.consultant_name) ", " (plan.summary.department) }
        h1 class="nhsuk-heading-l" { "Agreement and sign-off" }
        (summary_rows(html! {
            (summary_row_id("Status", "plan-status", status_tag(plan.summary.status)))
            (summary_row("Consultant", html! { (plan.summary.consultant_name) " (" (plan.summary.consultant_id) ")" }))
            @if let (true, Some(who)) = (plan.summary.status == tenpa_rules::job_planning::Status::CdSignedOff, &alternate) {
                (summary_row_id("Sign-off with", "sign-off-with", html! {
                    "The named alternate, " (who) ", because it is the medical director's own plan (JP-1)"
                }))
            }
            @if referred {
                (summary_row_id("Referral with", "referral-with", html! {
                    @if let Some(who) = &alternate {
                        "The named alternate, " (who) ", because the medical director is a party to the initial decision (JP-4)"
                    } @else {
                        "The medical director"
                    }
                }))
            }
            (summary_row("Current version", html! { (plan.summary.version) }))
        }))
        h2 class="nhsuk-heading-m" { "What you can do now" }
        @if actions.is_empty() {
            p class="nhsuk-body" { "Nothing is waiting for you on this plan." }
        } @else {
            @for a in &actions {
                (step_form(u, plan, *a, rejected, parties.as_ref()))
            }
        }
        h2 class="nhsuk-heading-m" { "If the plan is not agreed" }
        (dispute_route())
        h2 class="nhsuk-heading-m" { "Who did what, and when" }
        (history_table(&versions, &names, "Every step and edit of this job plan"))
        ul class="nhsuk-list" {
            li { a href=(format!("/plans/{id}/history")) { "Compare versions of this plan" } }
            li { a href=(format!("/plans/{id}/print")) { "Print this job plan" } }
        }
    };
    Ok(layout_back(
        u,
        &title,
        (&format!("/plans/{id}"), "Back to the job plan"),
        body,
    ))
}

/// `GET /plans/{id}/workflow`.
pub async fn show(
    State(state): State<AppState>,
    u: WebUser,
    Path(raw): Path<String>,
    q: Result<Query<WorkflowQuery>, axum::extract::rejection::QueryRejection>,
) -> PageResult<Markup> {
    let id = plan_id(&raw)?;
    let plan = load(&state, &u.user, id).await?;
    let done = q
        .ok()
        .and_then(|Query(q)| q.done)
        .and_then(|d| parse_action(&d));
    render(&state, &u, &plan, done, None).await
}

/// `POST /plans/{id}/workflow`: takes the step, then back to the page with a success banner; a
/// missing reason re-shows the page with the error; a stale version or a step that no longer
/// applies is a 409 page, a step the user may not take a 403 page.
pub async fn submit(
    State(state): State<AppState>,
    Path(raw): Path<String>,
    Form(u, form): Form,
) -> PageResult<Response> {
    let id = plan_id(&raw)?;
    let plan = load(&state, &u.user, id).await?;
    let action = parse_action(form.get("action")).ok_or_else(|| {
        WebError::BadRequest(format!(
            "\"{}\" is not a workflow step: go back and choose one of the buttons",
            form.get("action")
        ))
    })?;
    let version: i64 = form.get("version").parse().map_err(|_| {
        WebError::BadRequest(
            "the form does not say which version of the plan it is for: go back, reload the page and try again".into(),
        )
    })?;
    let note = form.get("note");
    let alternate = form.get("alternate");
    let mut rejected = Rejected {
        action,
        note,
        alternate,
        ticked: sign_off::read(&form, &plan.assessment.findings),
        note_error: None,
        alternate_error: None,
        sign_off_error: None,
    };
    if available_actions(&u.user, &plan.summary).contains(&action) {
        if note_required(action) && note.is_empty() {
            rejected.note_error = Some(format!("Enter {}", note_label(action).to_lowercase()));
        }
        if action == Action::Refer
            && alternate.is_empty()
            && parties(&state, &plan.summary).await?.md_is_party
        {
            rejected.alternate_error = Some(
                "Choose a named alternate: the medical director is a party to this plan's initial decision".into(),
            );
        }
    }
    if !rejected.any() {
        let alternate =
            (names_alternate(action, &plan) && !alternate.is_empty()).then_some(alternate);
        let step = Step {
            action,
            version,
            note,
            alternate,
            sign_off: SignOffInput {
                acknowledgements: &rejected.ticked.acknowledgements,
                override_reason: Some(rejected.ticked.override_reason),
            },
        };
        match take_step(&state, &u.user, &plan, step).await {
            Ok(_) => {}
            Err(AppError::Unprocessable {
                field: Some(field),
                message,
            }) if field == "alternate" => rejected.alternate_error = Some(message),
            Err(AppError::Unprocessable {
                field: Some(field),
                message,
            }) if field == "acknowledgements" || field == "override_reason" => {
                rejected.sign_off_error = Some((field, message));
            }
            Err(e) => return Err(e.into()),
        }
    }
    if rejected.any() {
        let page = render(&state, &u, &plan, None, Some(&rejected)).await?;
        return Ok((StatusCode::UNPROCESSABLE_ENTITY, page).into_response());
    }
    // A named alternate's resolution ends the referral to them, and with it their sight of the
    // plan (JP-4): back to the home page then.
    let visible = match state.store.job_plan(id).await? {
        Some(p) => crate::policy::may_see(&u.user, &p.summary),
        None => false,
    };
    if !visible {
        return Ok(super::page::see_other("/"));
    }
    Ok(super::page::see_other(&format!(
        "/plans/{id}/workflow?done={}",
        action.as_str()
    )))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reasons_are_required_for_the_dispute_route_only() {
        let required: Vec<&str> = Action::ALL
            .into_iter()
            .filter(|a| note_required(*a))
            .map(|a| a.as_str())
            .collect();
        assert_eq!(
            required,
            ["not_agree", "refer", "resolve", "appeal", "decide_appeal"]
        );
        assert_eq!(note_label(Action::Agree), "Comment (optional)");
    }

    #[test]
    fn actions_and_ids_are_read_strictly() {
        assert_eq!(parse_action("cd_sign_off"), Some(Action::CdSignOff));
        assert_eq!(parse_action("sign_off"), None);
        assert_eq!(done_message(Action::Agree), "You agreed the plan");
        assert_eq!(plan_id("12").ok(), Some(12));
        assert!(matches!(plan_id("x"), Err(WebError::NotFound(_))));
        assert!(matches!(plan_id("0"), Err(WebError::NotFound(_))));
    }
}
