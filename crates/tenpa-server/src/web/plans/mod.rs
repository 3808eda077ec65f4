//! Job plans: the list a user may see, one plan with its week as a grid, and the assessment panel.
//! [`assessment_panel`] is shared with the editor and the print pages; the week grid is a component.
//!
//! One file per part: `employers` (the employers a plan lists), `grid` (the week as a grid),
//! `panel` (the assessment panel) and `private` (the private and fee-paying sessions); the list and
//! plan pages are here.

mod employers;
mod leave;
mod panel;
mod private;

pub use self::employers::lead_employer_mismatch;
pub use self::leave::leave_section;
pub use self::panel::assessment_panel;
pub use self::private::private_section;

pub use super::labels::{employer_name, DAY_NAMES};
use super::page::{layout, layout_back, pounds, PageResult, WebUser};
use crate::policy::job_plan_scope;
use crate::service::job_plans::{load, view};
use crate::web::components::{
    employer_key, grid_key, status_tag, summary_row, summary_rows, week_grid, HtmlTable,
};
use crate::AppState;
use axum::extract::{Path, Query, State};
use maud::{html, Markup};
use serde_json::Value;
use std::collections::HashMap;
use tenpa_rules::parameters::PlainTime;
use tenpa_rules::plan::{JobPlanDocument, PayPoint, PremiumKind, Recognition};
use tenpa_rules::Parameters;

/// A document value as text: strings as they are, numbers as written, nothing for null.
pub fn value_text(v: Option<&Value>) -> String {
    match v {
        None | Some(Value::Null) => String::new(),
        Some(Value::String(s)) => s.clone(),
        Some(other) => other.to_string(),
    }
}
pub use super::labels::category_text_label as category_label;

/// The plain-time windows in force for a document (its `effective_from`), or the latest ones.
pub fn plain_time_for(doc: &JobPlanDocument, params: &Parameters) -> PlainTime {
    let series = &params.plain_time;
    series
        .value(doc.job_plan.effective_from)
        .ok()
        .or_else(|| series.entries.last().map(|e| &e.value))
        .copied()
        .unwrap_or_else(|| Parameters::embedded().plain_time.entries[0].value)
}

/// The text, or a note that the plan does not set it out (JP-2).
fn or_not_set_out(text: &str) -> &str {
    if text.trim().is_empty() {
        "Not set out in the plan"
    } else {
        text
    }
}

/// `GET /plans`.
pub async fn list(State(state): State<AppState>, u: WebUser) -> PageResult<Markup> {
    let plans = state.store.job_plans(&job_plan_scope(&u.user)).await?;
    Ok(layout(
        &u,
        "Job plans",
        html! {
            h1 class="nhsuk-heading-l" { "Job plans" }
            @if super::new_plan::may_create_any(&u) {
                a class="nhsuk-button" href="/plans/new" id="new-plan" { "New job plan" }
                p class="nhsuk-body" { a href="/templates" { "Department templates" } " · " a href="/plans/import" { "Import job plans" } }
            }
            @if plans.is_empty() {
                p class="nhsuk-body" { "There are no job plans you can see." }
            } @else {
                (HtmlTable::new(html! { "Job plans you can see (" (plans.len()) ")" })
                    .columns(&["Consultant", "Department", "Status"])
                    .numeric("Version")
                    .numeric("PAs a week")
                    .numeric("Pay a year")
                    .rows(plans.iter().map(|p| vec![
                        html! { a href=(format!("/plans/{}", p.id)) { (p.consultant_name) } },
                        html! { (p.department) },
                        html! { (status_tag(p.status)) },
                        html! { (p.version) },
                        html! {
                            @match p.total_pas {
                                Some(v) => (v),
                                None => "–",
                            }
                        },
                        html! { (pounds(p.total_pay_pence)) },
                    ])))
            }
        },
    ))
}

/// The cycle length of a document, at least 1.
pub fn cycle_weeks(doc: &Value) -> u32 {
    doc.pointer("/job_plan/cycle_weeks")
        .and_then(|v| {
            v.as_u64()
                .or_else(|| v.as_str().and_then(|s| s.parse().ok()))
        })
        .map(|n| n.clamp(1, 52) as u32)
        .unwrap_or(1)
}

/// Links to each week of a cycle (without JavaScript).
fn week_links(id: i64, week: u32, cycle: u32) -> Markup {
    html! {
        nav class="tenpa-weeks" aria-label="Weeks of the cycle" {
            ul class="nhsuk-list tenpa-inline" {
                @for w in 1..=cycle {
                    li {
                        @if w == week {
                            a href=(format!("/plans/{id}?week={w}")) aria-current="page" { strong { "Week " (w) } }
                        } @else {
                            a href=(format!("/plans/{id}?week={w}")) { "Week " (w) }
                        }
                    }
                }
            }
        }
    }
}

/// The on-call section of a document.
pub fn on_call_section(doc: &JobPlanDocument) -> Markup {
    html! {
        (summary_rows(html! {
            @match &doc.on_call {
                Some(oc) if oc.rota_size != 0 => {
                    (summary_row("Rota", html! { "1 in " (oc.rota_size) }))
                    (summary_row("Category", html! { (oc.category.map_or(String::new(), |c| c.as_str().to_uppercase())) }))
                    (summary_row("Emergency work, plain time", html! { (oc.emergency_hours_plain.normalize()) " hours a week on average" }))
                    (summary_row("Emergency work, premium time", html! { (oc.emergency_hours_premium.normalize()) " hours a week on average" }))
                    (summary_row("Contactable", html! { (super::labels::intervals_label(oc.short_intervals.as_ref())) }))
                    @if doc.employers.len() > 1 {
                        (summary_row("Employer", html! { (employer_name(doc.on_call_employer())) }))
                    }
                },
                _ => (summary_row("Rota", html! { "Not on an on-call rota" })),
            }
        }))
    }
}

/// Where the plan's on-call comes from: the rotas the consultant is on that the user may see, each
/// linked, the one the plan follows (the most demanding, OC-6), category decisions still to come
/// (OC-7), and a warning when the plan does not agree with the rotas (JP-2).
async fn rota_links(
    state: &AppState,
    u: &WebUser,
    doc: &Value,
    consultant: &str,
) -> PageResult<Markup> {
    use crate::service::rota_plans::{agrees, commitment, describe};
    let all = state.store.rotas(&tenpa_store::Scope::All).await?;
    let wanted = commitment(state, consultant, &all)?;
    let today = crate::uk_time::today();
    let mine: Vec<_> = all
        .iter()
        .filter(|r| r.members.iter().any(|m| m == consultant))
        .filter(|r| crate::policy::may_see_rota(&u.user, r))
        .collect();
    let agree = agrees(doc, wanted.as_ref());
    Ok(html! {
        @if !mine.is_empty() {
            ul class="nhsuk-list" id="plan-rotas" {
                @for r in &mine {
                    li {
                        "On the rota " a href=(format!("/rotas/{}", r.id)) { (r.name) }
                        " (1 in " (r.members.len()) ", category " (crate::service::rota_plans::category_on(r, today).unwrap_or_default().to_uppercase()) ")"
                        @if wanted.as_ref().is_some_and(|w| w.rota_id == r.id && w.rotas > 1) { ": the plan follows this one, the most demanding (OC-6)" }
                        @for d in r.decisions.iter().filter(|d| d.effective_from > today) {
                            ". Category " (d.category.to_uppercase()) " from " (d.effective_from) ", decided prospectively (OC-7): the plan changes when it takes effect"
                        }
                    }
                }
            }
        }
        @if !agree {
            div class="nhsuk-warning-callout" id="rota-mismatch" {
                h3 class="nhsuk-warning-callout__label" {
                    span role="text" { span class="nhsuk-u-visually-hidden" { "Important: " } "The on-call does not agree with the rotas" }
                }
                p {
                    "The rotas give " (wanted.as_ref().map_or("not on a rota".into(), |w| describe(w.rota_size, Some(w.category))))
                    "; this plan says " ({ let (n, c) = crate::service::rota_plans::plan_on_call(doc); describe(n, c) }) ". "
                    @if let Some(r) = mine.first() {
                        "The rota's page can bring it into line: " a href=(format!("/rotas/{}", r.id)) { (r.name) } "."
                    }
                }
            }
        }
    })
}

/// `GET /plans/{id}`.
pub async fn show(
    State(state): State<AppState>,
    u: WebUser,
    Path(id): Path<i64>,
    Query(q): Query<HashMap<String, String>>,
) -> PageResult<Markup> {
    let plan = load(&state, &u.user, id).await?;
    let v = view(&u.user, plan);
    let plan = &v.plan;
    let doc = &plan.plan()?;
    let s = &plan.summary;
    let cycle = u32::from(doc.job_plan.cycle_weeks.max(1));
    let week = q
        .get("week")
        .and_then(|w| w.parse::<u32>().ok())
        .unwrap_or(1)
        .clamp(1, cycle);
    let plain = plain_time_for(doc, &state.params);
    let title = format!("Job plan of {}", s.consultant_name);
    let pay = &doc.pay;
    let rota_links = rota_links(&state, &u, &plan.document, &s.consultant_id).await?;

    let record_lead = state
        .store
        .consultant_lead_employer(&s.consultant_id)
        .await?;
    let mismatch = lead_employer_mismatch(doc, record_lead.as_deref());
    let on_call_pattern = Some(plan.assessment.on_call.allocation_pattern.as_str());
    // The medical director's override of an error at the sign-off in force (JP-1), shown on the
    // plan for as long as that sign-off stands.
    let overridden = if s.status == tenpa_rules::job_planning::Status::SignedOff {
        state
            .store
            .job_plan_versions(id)
            .await?
            .into_iter()
            .rev()
            .find(|v| v.action == "md_sign_off")
            .and_then(|v| v.sign_off.and_then(|so| so.override_reason))
    } else {
        None
    };
    Ok(layout_back(
        &u,
        &title,
        ("/plans", "Back to job plans"),
        html! {
            span class="nhsuk-caption-l" { (s.department) }
            h1 class="nhsuk-heading-l" { (title) }
            @if let Some(m) = &mismatch {
                div class="nhsuk-warning-callout" id="lead-employer-warning" {
                    h2 class="nhsuk-warning-callout__label" { span role="text" { span class="nhsuk-u-visually-hidden" { "Important: " } "Lead employer" } }
                    p { (m) " " a href="/rules/JP-5" { "Rule JP-5" } }
                }
            }
            @if let Some(reason) = &overridden {
                div class="nhsuk-warning-callout" id="sign-off-override" {
                    h2 class="nhsuk-warning-callout__label" { span role="text" { span class="nhsuk-u-visually-hidden" { "Important: " } "Signed off despite an error" } }
                    p { "The medical director signed off this plan despite an error finding: " (reason) " " a href="/rules/JP-1" { "Rule JP-1" } }
                }
            }
            (summary_rows(html! {
                (summary_row("Consultant", html! { (s.consultant_name) " (" (s.consultant_id) ")" }))
                @if let Some(l) = &record_lead {
                    (summary_row("Lead employer (consultant's record)", html! { (l) }))
                }
                (summary_row("Status", status_tag(s.status)))
                (summary_row("Version", html! { (s.version) ", last changed " (crate::web::components::when(&s.updated_at)) }))
                (summary_row("Effective from", html! { (doc.job_plan.effective_from.format("%Y-%m-%d")) }))
                (summary_row("Contracted PAs", html! { (doc.job_plan.contracted_pas.normalize()) " a week" }))
                (summary_row("Service provided", html! { (or_not_set_out(&doc.job_plan.service_provided)) }))
                (summary_row("Accountable to", html! { (or_not_set_out(&doc.job_plan.accountable_to)) }))
                (summary_row("Supporting resources", html! { (or_not_set_out(&doc.job_plan.supporting_resources)) }))
                (summary_row("Out-of-hours recognition", html! {
                    @match doc.job_plan.out_of_hours_recognition {
                        Recognition::Premium => "A premium on basic salary",
                        Recognition::Time => "Reduced timetabled hours",
                    }
                }))
            }))
            div class="nhsuk-action-link tenpa-no-print" {
                ul class="nhsuk-list tenpa-inline" {
                    @if v.editable {
                        li { a class="nhsuk-button" href=(format!("/plans/{id}/edit")) { "Edit the plan" } }
                    }
                    li { a class="nhsuk-button nhsuk-button--secondary" href=(format!("/plans/{id}/workflow")) { "Workflow and sign-off" } }
                }
                ul class="nhsuk-list" {
                    li { a href=(format!("/plans/{id}/history")) { "Version history" } }
                    li { a href=(format!("/plans/{id}/print")) { "Print the job plan" } }
                    li { a href=(format!("/plans/{id}/job-plan.pdf")) { "Download the job plan (PDF)" } }
                    li { a href=(format!("/plans/{id}/timetable.ics")) { "Download the timetable (calendar file)" } }
                    @if crate::policy::manages_department(&u.user, s.department_id) {
                        li { a href=(format!("/templates/new?plan={id}")) { "Save as a department template" } }
                    }
                }
            }
            h2 class="nhsuk-heading-m" { "The week" }
            @if cycle > 1 {
                p class="nhsuk-body" { "The timetable runs over a cycle of " (cycle) " weeks. Choose a week:" }
                (week_links(id, week, cycle))
            }
            (grid_key(&plain))
            (employer_key(doc))
            (week_grid(doc, week, &plain))
            h2 class="nhsuk-heading-m" { "On-call" }
            (on_call_section(doc))
            (rota_links)
            @if let Some(p) = on_call_pattern.filter(|p| !p.is_empty()) {
                p class="nhsuk-body" { "Allocation pattern: " (p) "." }
            }
            (private_section(doc))
            (leave_section(doc))
            h2 class="nhsuk-heading-m" { "Pay point and awards" }
            (summary_rows(html! {
                @match pay.point {
                    PayPoint::Point(pt) => (summary_row("Pay point", html! { "Point " (pt) " of the scale (0 to 7)" })),
                    PayPoint::Value2002(v) => (summary_row("Pay point", html! { "Transitional point: £" (v.normalize()) " at 2002/03 levels" })),
                }
                (summary_row("Clinical excellence award level", html! { (pay.cea_level) }))
                @if let Some(e) = &pay.existing_award {
                    (summary_row("Existing award", html! { (super::labels::existing_award_label(e.kind)) ", £" (e.amount.0.normalize()) " a year full-time (kept from before the clinical excellence award scheme)" }))
                }
                @if let Some(r) = &pay.recruitment_retention_premium {
                    (summary_row("Recruitment or retention premium", html! { "£" (r.amount.0.normalize()) " a year (" (match r.kind { PremiumKind::Recruitment => "recruitment", PremiumKind::Retention => "retention" }) ") from " (r.start.format("%Y-%m-%d")) }))
                }
            }))
            (assessment_panel(&plan.assessment))
        },
    ))
}

/// A job plan document for tests: `over` merged into a minimal valid document (tables merge,
/// other values replace).
#[cfg(test)]
pub(crate) fn test_document(over: serde_json::Value) -> JobPlanDocument {
    fn merge(base: &mut Value, over: Value) {
        match (base, over) {
            (Value::Object(b), Value::Object(o)) => {
                for (k, v) in o {
                    merge(b.entry(k).or_insert(Value::Null), v);
                }
            }
            (b, o) => *b = o,
        }
    }
    let mut doc = serde_json::json!({
        "consultant": {"id": "c-1", "name": "Dr A", "first_appointed": "2003-09-01"},
        "job_plan": {"effective_from": "2005-04-01", "contracted_pas": "10"},
        "pay": {"point": 3},
    });
    merge(&mut doc, over);
    serde::Deserialize::deserialize(&doc).expect("a job plan document")
}
