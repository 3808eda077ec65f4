//! A sign-off's checklist of the plan's findings (JP-1, [`tenpa_rules::job_planning::sign_off`]):
//! each warning and error of the version with a box to tick and a comment, and for the medical
//! director signing off a plan with an error, the reason for overriding it; read back from the form
//! into the acknowledgements the API takes.

use super::page::FormData;
use crate::service::job_plans::Acknowledgement;
use maud::{html, Markup};
use tenpa_rules::finding::{Finding, Severity};
use tenpa_rules::job_planning::sign_off::needs_acknowledging;
use tenpa_rules::job_planning::{Action, Role};
use tenpa_store::{JobPlanRecord, SignOffRecord, User};

/// What a sign-off form held: the findings ticked with their comments, and the override reason.
#[derive(Debug, Default)]
pub struct Ticked<'a> {
    /// The findings ticked, with their comments.
    pub acknowledgements: Vec<Acknowledgement>,
    /// The override reason typed.
    pub override_reason: &'a str,
}

/// Reads the checklist of a sign-off form: `ack-{i}` ticked, `ack-{i}-comment`, `override_reason`.
pub fn read<'a>(form: &'a FormData, findings: &[Finding]) -> Ticked<'a> {
    Ticked {
        acknowledgements: (0..findings.len())
            .filter(|i| !form.get(&format!("ack-{i}")).is_empty())
            .map(|i| Acknowledgement {
                finding: i,
                comment: form.get(&format!("ack-{i}-comment")).to_string(),
            })
            .collect(),
        override_reason: form.get("override_reason"),
    }
}

/// The id of the checkbox of finding `i` on the form of step `a`.
pub fn box_id(a: Action, i: usize) -> String {
    format!("ack-{}-{i}", a.as_str())
}

/// The id of the override reason on the form of step `a`.
pub fn override_id(a: Action) -> String {
    format!("override-{}", a.as_str())
}

/// Where the error summary sends the reader for a sign-off error on `field`.
pub fn error_target(a: Action, field: &str, findings: &[Finding]) -> String {
    if field == "override_reason" {
        override_id(a)
    } else {
        let first = findings.iter().position(needs_acknowledging).unwrap_or(0);
        box_id(a, first)
    }
}

/// Whether the form of step `a` asks for an override reason from `user`: the medical director's
/// sign-off of a plan with an error finding.
fn asks_override(a: Action, user: &User, findings: &[Finding]) -> bool {
    a == Action::MdSignOff
        && user.has(Role::MedicalDirector)
        && findings.iter().any(|f| f.severity == Severity::Error)
}

/// The checklist of a sign-off form (`cd_sign_off`, `md_sign_off`): nothing for other steps or a
/// plan without warnings or errors. `kept` is what was typed when the form is shown again, with the
/// error.
pub fn checklist(
    a: Action,
    plan: &JobPlanRecord,
    user: &User,
    kept: Option<&Ticked<'_>>,
    error: Option<(&str, &str)>,
) -> Markup {
    if !matches!(a, Action::CdSignOff | Action::MdSignOff) {
        return html! {};
    }
    let findings = &plan.assessment.findings;
    let listed: Vec<(usize, &Finding)> = findings
        .iter()
        .enumerate()
        .filter(|(_, f)| needs_acknowledging(f))
        .collect();
    if listed.is_empty() {
        return html! {};
    }
    let ack_error = error.filter(|(f, _)| *f != "override_reason").map(|e| e.1);
    let override_error = error.filter(|(f, _)| *f == "override_reason").map(|e| e.1);
    let ticked = |i: usize| kept.and_then(|k| k.acknowledgements.iter().find(|x| x.finding == i));
    let legend_id = format!("ack-{}-legend", a.as_str());
    html! {
        div class=(if ack_error.is_some() { "nhsuk-form-group nhsuk-form-group--error" } else { "nhsuk-form-group" }) {
            fieldset class="nhsuk-fieldset" aria-describedby=(format!("{legend_id}-hint")) {
                legend class="nhsuk-fieldset__legend nhsuk-fieldset__legend--s" id=(legend_id) {
                    "Findings to acknowledge before signing off"
                }
                div class="nhsuk-hint" id=(format!("{legend_id}-hint")) {
                    "Tick each one to confirm you have read it and sign off knowing it. A comment is kept with it in the plan's history."
                }
                @if let Some(message) = ack_error {
                    span class="nhsuk-error-message" {
                        span class="nhsuk-u-visually-hidden" { "Error: " } (message)
                    }
                }
                div class="nhsuk-checkboxes" {
                    @for (i, f) in &listed {
                        @let id = box_id(a, *i);
                        @let kept = ticked(*i);
                        div class="nhsuk-checkboxes__item" {
                            input class="nhsuk-checkboxes__input" id=(id) name=(format!("ack-{i}")) type="checkbox" value="yes" checked[kept.is_some()];
                            label class="nhsuk-label nhsuk-checkboxes__label" for=(id) {
                                strong { (if f.severity == Severity::Error { "Error" } else { "Warning" }) " " (f.rule) }
                                ": " (f.message)
                            }
                        }
                        div class="nhsuk-form-group nhsuk-u-margin-left-7" {
                            label class="nhsuk-label nhsuk-u-font-size-16" for=(format!("{id}-comment")) { "Comment on " (f.rule) " (optional)" }
                            input class="nhsuk-input" id=(format!("{id}-comment")) name=(format!("ack-{i}-comment")) type="text" maxlength="2000"
                                value=(kept.map(|k| k.comment.as_str()).unwrap_or(""));
                        }
                    }
                }
            }
        }
        @if asks_override(a, user, findings) {
            @let id = override_id(a);
            div class=(if override_error.is_some() { "nhsuk-form-group nhsuk-form-group--error" } else { "nhsuk-form-group" }) {
                label class="nhsuk-label" for=(id) { "Why you sign off the plan despite its error" }
                div class="nhsuk-hint" id=(format!("{id}-hint")) {
                    "Required: the plan has an error finding, and only the medical director may sign it off, overriding it with a reason. The reason is shown on the plan and kept in its history."
                }
                @if let Some(message) = override_error {
                    span class="nhsuk-error-message" {
                        span class="nhsuk-u-visually-hidden" { "Error: " } (message)
                    }
                }
                textarea class=(if override_error.is_some() { "nhsuk-textarea nhsuk-textarea--error" } else { "nhsuk-textarea" })
                    id=(id) name="override_reason" rows="3" aria-describedby=(format!("{id}-hint")) {
                    (kept.map(|k| k.override_reason).unwrap_or(""))
                }
            }
        } @else if a == Action::MdSignOff && findings.iter().any(|f| f.severity == Severity::Error) {
            p class="nhsuk-body" { "The plan has an error finding: only the medical director may sign it off, overriding it with a reason." }
        }
    }
}

/// What a sign-off said of the findings, for the history and the printed plan.
pub fn said(s: &SignOffRecord) -> Markup {
    html! {
        @if let Some(reason) = &s.override_reason {
            p class="nhsuk-body-s tenpa-override" { strong { "Signed off despite an error: " } (reason) }
        }
        @if !s.acknowledged.is_empty() {
            ul class="nhsuk-list nhsuk-body-s" {
                @for a in &s.acknowledged {
                    li {
                        "Acknowledged " (a.severity) " " (a.rule) ": " (a.message)
                        @if !a.comment.is_empty() { " — " em { (a.comment) } }
                    }
                }
            }
        }
    }
}
