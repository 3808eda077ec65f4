//! The home page: what each role needs first — a consultant's own plan and tasks, a clinical or
//! medical director's queue, the chief executive's decisions, the board's appraisals. Objectives
//! waiting for the user's agreement (JP-3) are tasks of the consultant and of their manager.

use super::page::{layout, pounds, PageResult, WebUser};
use crate::policy::job_plan_scope;
use crate::service::compliance;
use crate::service::job_plans::actors;
use crate::web::components::{status_tag, summary_row, summary_row_id, summary_rows, HtmlTable};
use crate::AppState;
use axum::extract::State;
use maud::{html, Markup};
use tenpa_rules::job_planning::review::{review_due, SignOff};
use tenpa_rules::job_planning::CaseStatus;
use tenpa_rules::job_planning::{self, Action, Role, Status};
use tenpa_store::{JobPlanSummary, Objective, Review};

/// A plan's workflow actions open to the user, in words.
pub fn open_actions(u: &WebUser, plan: &JobPlanSummary) -> Vec<Action> {
    let status = plan.status;
    let alternate_named = plan.referral_alternate.is_some();
    let mut out: Vec<Action> = actors(&u.user, plan)
        .into_iter()
        .flat_map(|a| job_planning::available_with_referral(status, a, alternate_named))
        .filter(|a| *a != Action::Reopen)
        .collect();
    out.sort_by_key(|a| a.as_str());
    out.dedup();
    out
}

/// An action in words.
pub fn action_label(a: Action) -> &'static str {
    match a {
        Action::Propose => "Propose the plan",
        Action::Agree => "Agree the plan",
        Action::NotAgree => "Record that the plan is not agreed",
        Action::Refer => "Refer to the medical director",
        Action::Resolve => "Record the outcome of the referral",
        Action::Appeal => "Take to a local appeals panel",
        Action::DecideAppeal => "Record the appeals panel's outcome",
        Action::CdSignOff => "Sign off as clinical director",
        Action::MdSignOff => "Sign off as medical director",
        Action::Reopen => "Reopen for an interim review",
    }
}

/// The next review date (JP-1, [`tenpa_rules::job_planning::review::review_due`]): a review
/// interval after the later of the last sign-off that did not close an interim review and the last
/// annual review; without either, after the plan took effect.
pub fn next_review(
    reviews: &[Review],
    sign_offs: &[SignOff],
    effective_from: Option<&str>,
    interval_months: u32,
) -> Option<chrono::NaiveDate> {
    let annual: Vec<chrono::NaiveDate> = reviews
        .iter()
        .filter(|r| r.kind == "annual")
        .map(|r| r.year_ending)
        .collect();
    let took_effect =
        effective_from.and_then(|d| chrono::NaiveDate::parse_from_str(d, "%Y-%m-%d").ok());
    review_due(sign_offs, &annual, took_effect, interval_months)
}

fn plan_queue(u: &WebUser, plans: &[JobPlanSummary], caption: &str) -> Markup {
    let waiting: Vec<(&JobPlanSummary, Vec<Action>)> = plans
        .iter()
        .map(|p| (p, open_actions(u, p)))
        .filter(|(_, a)| !a.is_empty())
        .collect();
    html! {
        @if waiting.is_empty() {
            p class="nhsuk-body" { "No job plans are waiting for you." }
        } @else {
            (HtmlTable::new(html! { (caption) " (" (waiting.len()) ")" })
                .columns(&["Consultant", "Department", "Status", "Waiting for you to"])
                .rows(waiting.iter().map(|(p, actions)| vec![
                    html! { a href=(format!("/plans/{}", p.id)) { (p.consultant_name) } },
                    html! { (p.department) },
                    html! { (status_tag(p.status)) },
                    html! {
                        @for (i, a) in actions.iter().enumerate() {
                            @if i > 0 { ", " }
                            (action_label(*a).to_lowercase())
                        }
                    },
                ])))
        }
    }
}

/// The objectives waiting for the user's agreement (JP-3), as a table of tasks.
fn objective_tasks(u: &WebUser, objectives: &[Objective], with_consultant: bool) -> Markup {
    let waiting: Vec<&Objective> = objectives
        .iter()
        .filter(|o| !crate::service::objectives::waiting_for(&u.user, o).is_empty())
        .collect();
    let heading = |h: &str| {
        crate::service::objectives::Heading::parse(h)
            .map_or(h.to_string(), |h| h.label().to_string())
    };
    html! {
        @if waiting.is_empty() {
            p class="nhsuk-body" { "No objectives are waiting for your agreement." }
        } @else {
            (HtmlTable::new(html! { "Objectives waiting for your agreement (" (waiting.len()) ")" })
                .column_if(with_consultant, "Consultant")
                .columns(&["Heading", "Objective", "Version"])
                .rows(waiting.iter().map(|o| {
                    let mut row = Vec::new();
                    if with_consultant { row.push(html! { (o.consultant_id) }); }
                    row.push(html! { (heading(&o.heading)) });
                    row.push(html! { a href=(format!("/objectives?consultant={}#objective-{}", super::page::urlencode(&o.consultant_id), o.id)) { (o.text) } });
                    row.push(html! { (o.version) });
                    row
                })))
        }
    }
}

fn role_heading(u: &WebUser) -> &'static str {
    let r = |role| u.user.has(role);
    if r(Role::MedicalDirector) || r(Role::MedicalStaffing) {
        "Trust job planning"
    } else if r(Role::ClinicalDirector) {
        "Your department"
    } else if r(Role::ChiefExecutive) {
        "Pay progression decisions"
    } else if r(Role::Consultant) {
        "Your job plan"
    } else if r(Role::BoardChair) || r(Role::BoardMember) {
        "Board appraisals"
    } else {
        "Administration"
    }
}

/// `GET /`.
pub async fn show(State(state): State<AppState>, u: WebUser) -> PageResult<Markup> {
    let heading = role_heading(&u);
    let notes = super::notifications::unread_list(&state, &u).await?;
    let body = match heading {
        "Your job plan" => consultant(&state, &u).await?,
        "Your department" | "Trust job planning" => queue(&state, &u).await?,
        "Pay progression decisions" => chief_executive(&state, &u).await?,
        "Board appraisals" => board(&state, &u).await?,
        _ => admin(&state).await?,
    };
    Ok(layout(
        &u,
        heading,
        html! {
            h1 class="nhsuk-heading-l" { (heading) }
            (notes)
            (body)
        },
    ))
}

async fn consultant(state: &AppState, u: &WebUser) -> PageResult<Markup> {
    let scope = job_plan_scope(&u.user);
    let plans = state.store.job_plans(&scope).await?;
    let reviews = state.store.reviews(&scope).await?;
    let mine: Vec<&JobPlanSummary> = plans
        .iter()
        .filter(|p| u.user.consultant_id.as_deref() == Some(p.consultant_id.as_str()))
        .collect();
    let current = match mine.first() {
        Some(p) => state.store.job_plan(p.id).await?,
        None => None,
    };
    let effective = current
        .as_ref()
        .and_then(|p| p.document.pointer("/job_plan/effective_from"))
        .and_then(|v| v.as_str());
    let interval = compliance::review_interval(&state.params, crate::uk_time::today())?;
    let sign_offs = match &u.user.consultant_id {
        Some(c) => compliance::sign_offs_of(&state.store, c).await?,
        None => vec![],
    };
    let next = next_review(&reviews, &sign_offs, effective, interval);
    let round = match &u.user.consultant_id {
        Some(c) => {
            crate::service::rounds::latest_for_consultant(&state.store, c, crate::uk_time::today())
                .await?
        }
        None => None,
    };
    let objectives = match &u.user.consultant_id {
        Some(c) => state
            .store
            .objectives(&tenpa_store::Scope::Consultant(c.clone()), None, None)
            .await
            .unwrap_or_default(),
        None => vec![],
    };
    Ok(html! {
        @match mine.first() {
            None => p class="nhsuk-body" { "You have no job plan on record yet. Your clinical director or medical staffing team starts one." },
            Some(p) => {
                @let pas = current.as_ref().map(|c| tenpa_rules::money::number_text(c.assessment.pas.total)).unwrap_or_default();
                div class="nhsuk-card" {
                    div class="nhsuk-card__content" {
                        h2 class="nhsuk-card__heading nhsuk-heading-m" { "Job plan, version " (p.version) }
                        (summary_rows(html! {
                            (summary_row("Status", html! { (status_tag(p.status)) }))
                            (summary_row("Programmed activities", html! { (pas) " a week" }))
                            (summary_row("Pay", html! { (pounds(p.total_pay_pence)) " a year" }))
                            (summary_row("Next review", html! { @match next { Some(d) => (d.format("%-d %B %Y")), None => "Not set" } }))
                            @if let Some((title, c)) = &round {
                                (summary_row_id("Job-planning round", "home-round", html! { (title) ": " (super::rounds::progress_tag(c)) }))
                            }
                        }))
                        a class="nhsuk-button" href=(format!("/plans/{}", p.id)) { "Open your job plan" }
                    }
                }
            }
        }
        h2 class="nhsuk-heading-m" { "Waiting for you" }
        (plan_queue(u, &plans, "Job plans waiting for you"))
        h2 class="nhsuk-heading-m" { "Your objectives" }
        (objective_tasks(u, &objectives, false))
        @if objectives.is_empty() {
            p class="nhsuk-body" { "No objectives are recorded for this year." }
        } @else {
            p class="nhsuk-body" { (objectives.len()) " objectives are recorded. " a href="/objectives" { "See your objectives and reviews" } }
        }
    })
}

async fn queue(state: &AppState, u: &WebUser) -> PageResult<Markup> {
    let scope = job_plan_scope(&u.user);
    let plans = state.store.job_plans(&scope).await?;
    let cases = state.store.progression_cases(&scope).await?;
    let awaiting_recommendation = if u.user.has(Role::MedicalDirector) {
        cases
            .iter()
            .filter(|c| c.status == CaseStatus::Reported)
            .count()
    } else {
        0
    };
    let signed_off = plans
        .iter()
        .filter(|p| p.status == Status::SignedOff)
        .count();
    // Plans referred to the user as the named alternate (JP-4), wherever they are.
    let mut waiting = plans.clone();
    for p in state.store.job_plans_referred_to(&u.user.username).await? {
        if !waiting.iter().any(|w| w.id == p.id) {
            waiting.push(p);
        }
    }
    let objectives = state.store.objectives(&scope, None, None).await?;
    // The latest round the user may see, with who is overdue in it (their department's part for a
    // clinical director).
    let round = match crate::service::rounds::latest(&state.store, &u.user, crate::uk_time::today())
        .await
    {
        Ok(l) => l,
        Err(crate::error::AppError::Forbidden(_)) => None,
        Err(e) => return Err(e.into()),
    };
    Ok(html! {
        p class="nhsuk-body-l" { (signed_off) " of " (plans.len()) " job plans are signed off." }
        @if let Some(r) = &round {
            @let late: Vec<_> = r.consultants.iter().filter(|c| c.overdue).collect();
            @let done = r.consultants.iter().filter(|c| c.done).count();
            div class=(if late.is_empty() { "nhsuk-inset-text" } else { "nhsuk-warning-callout" }) id="home-round" {
                @if late.is_empty() {
                    p { a href=(format!("/rounds/{}", r.id)) { (r.title) } ": " (done) " of " (r.consultants.len()) " signed off, none overdue." }
                } @else {
                    h2 class="nhsuk-warning-callout__label" { span role="text" { span class="nhsuk-u-visually-hidden" { "Important: " } "Overdue in " (r.title) } }
                    p { (done) " of " (r.consultants.len()) " signed off; " (late.len()) " overdue: "
                        @for (i, c) in late.iter().enumerate() { @if i > 0 { ", " } (c.name) }
                        ". " a href=(format!("/rounds/{}", r.id)) { "See the round" }
                    }
                }
            }
        }
        (plan_queue(u, &waiting, "Job plans waiting for you"))
        h2 class="nhsuk-heading-m" { "Objectives to agree" }
        (objective_tasks(u, &objectives, true))
        @if awaiting_recommendation > 0 {
            div class="nhsuk-inset-text" {
                span class="nhsuk-u-visually-hidden" { "Information: " }
                p { (awaiting_recommendation) " pay progression cases wait for your recommendation. " a href="/progression" { "Open pay progression" } }
            }
        }
        ul class="nhsuk-list" {
            @if u.user.has(Role::ClinicalDirector) { li { a href="/team" { "See your team's job plans" } } }
            @if u.any(&[Role::MedicalDirector, Role::MedicalStaffing]) { li { a href="/trust" { "See the trust dashboard" } } }
            li { a href="/plans" { "All job plans you can see" } }
        }
    })
}

async fn chief_executive(state: &AppState, u: &WebUser) -> PageResult<Markup> {
    let cases = state
        .store
        .progression_cases(&job_plan_scope(&u.user))
        .await?;
    let waiting: Vec<_> = cases
        .iter()
        .filter(|c| c.status == CaseStatus::Recommended)
        .collect();
    Ok(html! {
        @if waiting.is_empty() {
            p class="nhsuk-body" { "No pay progression decisions are waiting for you." }
        } @else {
            (HtmlTable::new(html! { "Decisions waiting for you (" (waiting.len()) ")" })
                .columns(&["Consultant", "Recommendation", "Case"])
                .rows(waiting.iter().map(|c| vec![
                    html! { (c.consultant_id) },
                    html! { (c.outcome.as_deref().unwrap_or("none")) },
                    html! { a href=(format!("/progression/{}", c.id)) { "Open case " (c.id) } },
                ])))
        }
        p class="nhsuk-body" { a href="/trust" { "See the trust dashboard" } }
    })
}

async fn board(state: &AppState, u: &WebUser) -> PageResult<Markup> {
    let mine = state.store.directors_of_user(&u.user.username).await?;
    Ok(html! {
        @if mine.is_empty() {
            p class="nhsuk-body" { "You are not recorded as a director of a board." }
        } @else {
            p class="nhsuk-body" { "You are recorded as a director of " (mine.len()) " board" @if mine.len() != 1 { "s" } "." }
        }
        p class="nhsuk-body" { a href="/board" { "Open board appraisals" } }
    })
}

async fn admin(state: &AppState) -> PageResult<Markup> {
    let report = state.store.verify_audit().await?;
    Ok(html! {
        h2 class="nhsuk-heading-m" { "Audit log" }
        @if report.ok() {
            p class="nhsuk-body" { "The audit log's chain is whole: no past entry has been changed or removed." }
        } @else {
            div class="nhsuk-warning-callout" {
                h3 class="nhsuk-warning-callout__label" { span role="text" { span class="nhsuk-u-visually-hidden" { "Important: " } "The audit log has been tampered with" } }
                p { "Run " code { "tenpa audit verify" } " for the first broken entry." }
            }
        }
        h2 class="nhsuk-heading-m" { "Rules and parameters" }
        p class="nhsuk-body" { a href="/rules" { "See every rule and the dated parameters in force" } }
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn review(kind: &str, ending: &str) -> Review {
        Review {
            id: 0,
            consultant_id: "c".into(),
            kind: kind.into(),
            year_ending: ending.parse().unwrap(),
            met_time_and_service: true,
            met_objectives_or_reasonable_effort: true,
            took_part_in_appraisal_and_job_planning: true,
            worked_towards_service_changes: true,
            outside_remunerated_work: Default::default(),
            exempted_outside_work: vec![],
            outside_work_consulted: None,
            private_practice_increased: false,
            notes: String::new(),
            created_by: String::new(),
            created_at: String::new(),
        }
    }

    #[test]
    fn next_review_is_a_year_after_the_last_annual_one() {
        let d = |s| chrono::NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap();
        let reviews = [
            review("annual", "2005-08-31"),
            review("interim", "2006-01-10"),
            review("annual", "2006-08-31"),
        ];
        assert_eq!(
            next_review(&reviews, &[], Some("2004-04-01"), 12),
            Some(d("2007-08-31"))
        );
        assert_eq!(
            next_review(&[], &[], Some("2006-04-01"), 12),
            Some(d("2007-04-01"))
        );
        assert_eq!(
            next_review(&[review("interim", "2006-01-10")], &[], None, 12),
            None
        );
        // A plan signed off after the last annual review is due a year after the sign-off; an
        // interim review's sign-off does not move it.
        let signed = [
            SignOff {
                on: d("2026-12-05"),
                interim: false,
            },
            SignOff {
                on: d("2027-03-01"),
                interim: true,
            },
        ];
        assert_eq!(
            next_review(&reviews, &signed, Some("2005-01-01"), 12),
            Some(d("2027-12-05"))
        );
    }
}
