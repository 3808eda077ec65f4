//! The rotas a user may see, one rota with its members' plans, and bringing the plans into line.

use super::{band_label, category_label, may_create_any};
use crate::policy::{job_plan_scope, manages_department as may_manage, may_see_rota};
use crate::service::rota_plans::member_plans;
use crate::service::rotas::{align_plans, load, view};
use crate::web::components::{success_banner, summary_row, summary_rows, HtmlTable};
use crate::web::labels::department_name;
use crate::web::page::{csrf_field, layout, layout_back, see_other, Form, PageResult, WebUser};
use crate::AppState;
use axum::extract::{Path, Query, State};
use maud::{html, Markup};
use std::collections::HashMap;

/// `GET /rotas`: the rotas the user may see (a consultant: the rotas they are on).
pub async fn list(State(state): State<AppState>, u: WebUser) -> PageResult<Markup> {
    let rotas = state.store.rotas(&job_plan_scope(&u.user)).await?;
    let departments = state.store.departments().await?;
    let creates = may_create_any(&state, &u).await?;
    Ok(layout(
        &u,
        "On-call rotas",
        html! {
            h1 class="nhsuk-heading-l" { "On-call rotas" }
            p class="nhsuk-body" {
                "A rota's frequency is the number of consultants on it, 1 in N (F 4(k)); its members' job plans hold it (JP-2)."
            }
            @if creates {
                a class="nhsuk-button" href="/rotas/new" id="new-rota" { "New rota" }
            }
            @if rotas.is_empty() {
                p class="nhsuk-body" { "There are no rotas for you to see." }
            } @else {
                (HtmlTable::new("Rotas")
                    .id("rotas-list")
                    .columns(&["Rota", "Department", "Frequency", "Category today"])
                    .rows(rotas.into_iter().map(|r| {
                        let v = view(r);
                        vec![
                            html! { a href=(format!("/rotas/{}", v.rota.id)) { (v.rota.name) } },
                            html! { (department_name(&departments, v.rota.department_id)) },
                            html! { (v.frequency) },
                            html! { (v.category.as_deref().unwrap_or("").to_uppercase()) },
                        ]
                    })))
            }
        },
    ))
}

/// `GET /rotas/{id}`: the rota, its decisions and each member's plan against it.
pub async fn show(
    State(state): State<AppState>,
    u: WebUser,
    Path(id): Path<i64>,
    Query(q): Query<HashMap<String, String>>,
) -> PageResult<Markup> {
    let rota = load(&state, &u.user, id).await?;
    let members = member_plans(&state, &u.user, &rota).await?;
    let departments = state.store.departments().await?;
    let manage = may_manage(&u.user, rota.department_id);
    let mut names = HashMap::new();
    for m in &rota.members {
        if let Some(c) = state.store.consultant(m).await? {
            names.insert(m.clone(), c.name);
        }
    }
    // Another rota a member's figure comes from is linked only where the viewer may open it.
    let mut other_rotas: HashMap<i64, bool> = HashMap::new();
    for r in members
        .iter()
        .filter_map(|m| m.from_rota_id)
        .filter(|r| *r != id)
    {
        if let std::collections::hash_map::Entry::Vacant(e) = other_rotas.entry(r) {
            let seen = state.store.rota(r).await?;
            e.insert(seen.is_some_and(|o| may_see_rota(&u.user, &o)));
        }
    }
    let v = view(rota);
    let today = crate::uk_time::today();
    let disagree = members.iter().filter(|m| m.agrees == Some(false)).count();
    let done = q.get("aligned").and_then(|n| n.parse::<usize>().ok());
    let refused = q.get("refused").and_then(|n| n.parse::<usize>().ok());
    let banner = match q.get("done").map(String::as_str) {
        Some("created") => Some("The rota has been created."),
        Some("changed") => Some("The rota has been changed."),
        Some("decided") => Some("The category decision has been recorded."),
        _ => None,
    };
    Ok(layout_back(
        &u,
        &v.rota.name,
        ("/rotas", "Back to on-call rotas"),
        html! {
            @if let Some(b) = banner { (success_banner(b, html! {})) }
            @if let Some(n) = done {
                div class="nhsuk-inset-text" id="aligned" {
                    span class="nhsuk-u-visually-hidden" { "Information: " }
                    p {
                        (n) " job plan" @if n != 1 { "s" } " brought into line with the rotas."
                        @if let Some(r) = refused.filter(|r| *r > 0) {
                            " " (r) " could not be changed now: an agreed plan changes once it is signed off and reopened for an interim review (JP-1), a plan in dispute once the dispute is decided, and a signed-off plan needs its department's clinical director or the medical director to reopen it."
                        }
                    }
                }
            }
            span class="nhsuk-caption-l" { (department_name(&departments, v.rota.department_id)) }
            h1 class="nhsuk-heading-l" { (v.rota.name) }
            (summary_rows(html! {
                (summary_row("Frequency", html! { (v.frequency) ", " (band_label(&v.band)) }))
                (summary_row("Category today", html! { (category_label(v.category.as_deref())) }))
                @if !v.rota.reason.is_empty() {
                    (summary_row("Why this frequency", html! { (v.rota.reason) }))
                }
                @if !v.rota.action_plan.is_empty() {
                    (summary_row("Action plan", html! { (v.rota.action_plan) }))
                }
            }))
            @for n in &v.notes {
                div class="nhsuk-inset-text" { span class="nhsuk-u-visually-hidden" { "Information: " } p { (n) } }
            }
            @if manage {
                ul class="nhsuk-list" id="rota-actions" {
                    li { a href=(format!("/rotas/{id}/edit")) { "Change the rota" } }
                    li { a href=(format!("/rotas/{id}/category-decisions/new")) { "Record a category decision" } }
                }
            }
            h2 class="nhsuk-heading-m" id="members" { "Members and their job plans" }
            @if disagree > 0 {
                div class="nhsuk-warning-callout" id="mismatch" {
                    h3 class="nhsuk-warning-callout__label" {
                        span role="text" { span class="nhsuk-u-visually-hidden" { "Important: " } "Job plans that do not agree with the rota" }
                    }
                    p {
                        (disagree) " member" @if disagree != 1 { "s'" } @else { "'s" } " job plan"
                        @if disagree != 1 { "s do" } @else { " does" }
                        " not hold the on-call commitment the rotas give, so the availability supplement (OC-6) would be wrong."
                    }
                    @if manage {
                        form method="post" action=(format!("/rotas/{id}/plans")) novalidate {
                            (csrf_field(&u))
                            button class="nhsuk-button" type="submit" data-module="nhsuk-button" id="align" { "Bring the plans into line" }
                        }
                    }
                }
            }
            (HtmlTable::new("Each member's job plan against the rotas (the most demanding rota of a consultant on several)")
                .id("rota-members")
                .columns(&["Consultant", "Job plan", "The plan says", "The rotas say", "Agrees"])
                .rows(members.iter().map(|m| vec![
                    html! { (names.get(&m.consultant_id).cloned().unwrap_or_default()) " (" (m.consultant_id) ")" },
                    html! {
                        @match (m.job_plan_id, &m.status) {
                            (Some(pid), Some(s)) => { a href=(format!("/plans/{pid}")) { "Plan " (pid) } " " (crate::web::components::status_tag(*s)) },
                            _ => "Not shown to you",
                        }
                    },
                    html! { (m.plan_says.as_deref().unwrap_or("")) },
                    html! {
                        (m.rotas_say)
                        @if let Some(r) = m.from_rota_id.filter(|r| *r != id) {
                            @if other_rotas.get(&r) == Some(&true) {
                                " (from " a href=(format!("/rotas/{r}")) { "another rota" } ")"
                            } @else {
                                " (from another rota)"
                            }
                        }
                    },
                    html! {
                        @match m.agrees {
                            Some(true) => strong class="nhsuk-tag nhsuk-tag--green" { "Agrees" },
                            Some(false) => strong class="nhsuk-tag nhsuk-tag--red" { "Does not agree" },
                            None => "",
                        }
                    },
                ])))
            h2 class="nhsuk-heading-m" { "Category decisions" }
            (HtmlTable::new("Category decisions, oldest first")
                .hidden_caption()
                .id("rota-decisions")
                .columns(&["From", "Category", "Why", "Decided by"])
                .rows(v.rota.decisions.iter().map(|d| vec![
                    html! { (d.effective_from) @if d.effective_from > today { " (to come)" } },
                    html! { (d.category.to_uppercase()) },
                    html! { (d.reason) },
                    html! { (d.decided_by) },
                ])))
        },
    ))
}

/// `POST /rotas/{id}/plans`: brings the members' plans into line, as the API's
/// `POST /api/v1/rotas/{id}/plans`.
pub async fn align(
    State(state): State<AppState>,
    Path(id): Path<i64>,
    Form(u, _form): Form,
) -> PageResult {
    let changes = align_plans(&state, &u.user, id).await?;
    Ok(see_other(&format!(
        "/rotas/{id}?aligned={}&refused={}",
        changes.reversioned.len(),
        changes.refused.len()
    )))
}
