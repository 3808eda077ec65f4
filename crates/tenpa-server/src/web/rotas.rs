//! On-call rotas: the list, and one rota with its frequency (F 4(k)), category decisions (OC-7)
//! and each member's job plan against it, with "bring the plans into line" for those who may
//! change the rota (JP-2, OC-6); the forms to create a rota, change its name, members, reason and
//! action plan (with its version: a stale one is shown as a conflict keeping what was entered), and
//! record a category decision. The pages call the API's functions, so they allow what it allows.

use super::fields::{entered, field_error, Field, Pairs};
use super::objectives::{query, success_banner};
use super::page::{
    csrf_field, error_summary, layout, layout_back, see_other, Form, FormData, PageResult,
    WebError, WebUser,
};
use crate::api::rota_plans::{category_on, member_plans, today};
use crate::api::rotas::{
    align_plans, create_rota, load, record_category_decision, update_rota, view,
    CategoryDecisionBody, NewRotaBody, RotaChanged, RotaUpdate,
};
use crate::error::AppError;
use crate::policy::manages_department as may_manage;
use crate::policy::{job_plan_scope, may_see_rota};
use crate::AppState;
use axum::extract::{Path, Query, RawQuery, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use maud::{html, Markup};
use std::collections::HashMap;
use tenpa_rules::plan::OnCallCategory;
use tenpa_store::Rota;

fn department_name(departments: &[(i64, String, String)], id: i64) -> String {
    departments
        .iter()
        .find(|d| d.0 == id)
        .map_or_else(|| format!("department {id}"), |d| d.1.clone())
}

fn band_label(band: &str) -> &'static str {
    match band {
        "high" => "High frequency (1 in 1 to 1 in 4)",
        "medium" => "Medium frequency (1 in 5 to 1 in 8)",
        "low" => "Low frequency (1 in 9 or less frequent)",
        _ => "No members",
    }
}

fn category_label(c: Option<&str>) -> String {
    match c {
        Some("a") => "A: typically returns to site immediately".into(),
        Some("b") => "B: typically advice by phone or returns later".into(),
        _ => "None".into(),
    }
}

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
                table class="nhsuk-table" id="rotas-list" {
                    caption class="nhsuk-table__caption" { "Rotas" }
                    thead class="nhsuk-table__head" { tr {
                        th scope="col" { "Rota" } th scope="col" { "Department" } th scope="col" { "Frequency" } th scope="col" { "Category today" }
                    } }
                    tbody class="nhsuk-table__body" {
                        @for r in rotas {
                            @let v = view(r);
                            tr {
                                td { a href=(format!("/rotas/{}", v.rota.id)) { (v.rota.name) } }
                                td { (department_name(&departments, v.rota.department_id)) }
                                td { (v.frequency) }
                                td { (v.category.as_deref().unwrap_or("").to_uppercase()) }
                            }
                        }
                    }
                }
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
    let today = today();
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
            dl class="nhsuk-summary-list" {
                div class="nhsuk-summary-list__row" {
                    dt class="nhsuk-summary-list__key" { "Frequency" }
                    dd class="nhsuk-summary-list__value" { (v.frequency) ", " (band_label(&v.band)) }
                }
                div class="nhsuk-summary-list__row" {
                    dt class="nhsuk-summary-list__key" { "Category today" }
                    dd class="nhsuk-summary-list__value" { (category_label(v.category.as_deref())) }
                }
                @if !v.rota.reason.is_empty() {
                    div class="nhsuk-summary-list__row" {
                        dt class="nhsuk-summary-list__key" { "Why this frequency" }
                        dd class="nhsuk-summary-list__value" { (v.rota.reason) }
                    }
                }
                @if !v.rota.action_plan.is_empty() {
                    div class="nhsuk-summary-list__row" {
                        dt class="nhsuk-summary-list__key" { "Action plan" }
                        dd class="nhsuk-summary-list__value" { (v.rota.action_plan) }
                    }
                }
            }
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
            table class="nhsuk-table" id="rota-members" {
                caption class="nhsuk-table__caption" { "Each member's job plan against the rotas (the most demanding rota of a consultant on several)" }
                thead class="nhsuk-table__head" { tr {
                    th scope="col" { "Consultant" } th scope="col" { "Job plan" } th scope="col" { "The plan says" } th scope="col" { "The rotas say" } th scope="col" { "Agrees" }
                } }
                tbody class="nhsuk-table__body" {
                    @for m in &members {
                        tr {
                            td { (names.get(&m.consultant_id).cloned().unwrap_or_default()) " (" (m.consultant_id) ")" }
                            td {
                                @match (m.job_plan_id, &m.status) {
                                    (Some(pid), Some(s)) => { a href=(format!("/plans/{pid}")) { "Plan " (pid) } " " (super::page::status_text_tag(s)) },
                                    _ => "Not shown to you",
                                }
                            }
                            td { (m.plan_says.as_deref().unwrap_or("")) }
                            td {
                                (m.rotas_say)
                                @if let Some(r) = m.from_rota_id.filter(|r| *r != id) {
                                    @if other_rotas.get(&r) == Some(&true) {
                                        " (from " a href=(format!("/rotas/{r}")) { "another rota" } ")"
                                    } @else {
                                        " (from another rota)"
                                    }
                                }
                            }
                            td {
                                @match m.agrees {
                                    Some(true) => strong class="nhsuk-tag nhsuk-tag--green" { "Agrees" },
                                    Some(false) => strong class="nhsuk-tag nhsuk-tag--red" { "Does not agree" },
                                    None => "",
                                }
                            }
                        }
                    }
                }
            }
            h2 class="nhsuk-heading-m" { "Category decisions" }
            table class="nhsuk-table" id="rota-decisions" {
                caption class="nhsuk-table__caption nhsuk-u-visually-hidden" { "Category decisions, oldest first" }
                thead class="nhsuk-table__head" { tr {
                    th scope="col" { "From" } th scope="col" { "Category" } th scope="col" { "Why" } th scope="col" { "Decided by" }
                } }
                tbody class="nhsuk-table__body" {
                    @for d in &v.rota.decisions {
                        tr {
                            td { (d.effective_from) @if d.effective_from > today { " (to come)" } }
                            td { (d.category.to_uppercase()) }
                            td { (d.reason) }
                            td { (d.decided_by) }
                        }
                    }
                }
            }
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

/// The departments whose rotas `u` keeps, as (id, name).
async fn managed_departments(state: &AppState, u: &WebUser) -> PageResult<Vec<(i64, String)>> {
    Ok(state
        .store
        .departments()
        .await?
        .into_iter()
        .filter(|d| may_manage(&u.user, d.0))
        .map(|d| (d.0, d.1))
        .collect())
}

/// Whether `u` keeps any department's rotas: the "New rota" link.
async fn may_create_any(state: &AppState, u: &WebUser) -> PageResult<bool> {
    Ok(!managed_departments(state, u).await?.is_empty())
}

fn not_keeper() -> WebError {
    WebError::Forbidden(
        "a rota is kept by the medical director, medical staffing or the department's clinical director".into(),
    )
}

/// The consultants a rota of `department_id` may take, by name: the department's consultant
/// records, and any of `members` from elsewhere (so that a change keeps them).
async fn member_options(
    state: &AppState,
    department_id: i64,
    members: &[&str],
) -> PageResult<Vec<(String, String)>> {
    let mut records: Vec<_> = state
        .store
        .staff_records()
        .await?
        .into_values()
        .filter(|r| r.department_id == department_id)
        .map(|r| (r.assignment_number, r.name))
        .collect();
    for m in members {
        if !records.iter().any(|(id, _)| id == m) {
            if let Some(c) = state.store.consultant(m).await? {
                records.push((c.id, c.name));
            }
        }
    }
    records.sort_by(|a, b| a.1.cmp(&b.1).then(a.0.cmp(&b.0)));
    Ok(records
        .into_iter()
        .map(|(id, name)| (id.clone(), format!("{name} ({id})")))
        .collect())
}

fn category_options() -> Vec<(String, String)> {
    vec![
        (String::new(), "Choose a category".to_string()),
        ("a".to_string(), category_label(Some("a"))),
        ("b".to_string(), category_label(Some("b"))),
    ]
}

/// The category chosen in field `field`, or the error to show on it.
fn chosen_category(value: &str, field: &str) -> Result<OnCallCategory, (String, String)> {
    match value {
        "a" => Ok(OnCallCategory::A),
        "b" => Ok(OnCallCategory::B),
        "" => Err((field.to_string(), "Choose category A or B.".to_string())),
        other => Err((
            field.to_string(),
            format!("Found category {other:?}: choose category A or B."),
        )),
    }
}

fn ticked(fields: &Pairs, name: &str) -> Vec<String> {
    fields
        .iter()
        .filter(|(k, _)| k == name)
        .map(|(_, v)| v.clone())
        .collect()
}

/// Where a change goes on to: the rota's page saying what was done and to how many plans.
fn after(id: i64, done: &str, changed: &RotaChanged) -> Response {
    see_other(&format!(
        "/rotas/{id}?done={done}&aligned={}&refused={}",
        changed.plans.reversioned.len(),
        changed.plans.refused.len()
    ))
}

/// A version the form no longer matches, as the notice the page shows.
fn conflict_notice(now: &Rota, edited: &str) -> String {
    format!(
        "Someone else changed this rota while you were working on version {edited}: it is now at version {}. What you entered is kept below but was not saved. Check the rota as it is now, then save again to make your change the next version.",
        now.version
    )
}

/// `GET /rotas/new[?department=ID]`: the new-rota form for one department, or the choice of
/// department for one who keeps several departments' rotas.
pub async fn new(
    State(state): State<AppState>,
    u: WebUser,
    RawQuery(q): RawQuery,
) -> PageResult<Markup> {
    let managed = managed_departments(&state, &u).await?;
    let q = query(q);
    let department = match (q.get("department"), managed.as_slice()) {
        (_, []) => return Err(not_keeper()),
        ("", [only]) => only.0,
        ("", _) => {
            let options: Vec<(String, String)> = managed
                .iter()
                .map(|d| (d.0.to_string(), d.1.clone()))
                .collect();
            let body = html! {
                h1 class="nhsuk-heading-l" { "New rota" }
                form method="get" action="/rotas/new" novalidate {
                    (Field::new("department", "Department", "The department running the rota; its consultants are those who may be on it.").select(&options, "", &[]))
                    button class="nhsuk-button" type="submit" { "Continue" }
                }
            };
            return Ok(layout_back(
                &u,
                "New rota",
                ("/rotas", "Back to on-call rotas"),
                body,
            ));
        }
        (d, _) => d.parse().map_err(|_| {
            WebError::BadRequest(format!(
                "department: found {d:?}, expected the id of a department"
            ))
        })?,
    };
    new_page(&state, &u, department, &[], &[]).await
}

async fn new_page(
    state: &AppState,
    u: &WebUser,
    department_id: i64,
    fields: &Pairs,
    errors: &Pairs,
) -> PageResult<Markup> {
    let managed = managed_departments(state, u).await?;
    let Some(department) = managed.iter().find(|d| d.0 == department_id) else {
        return Err(not_keeper());
    };
    let chosen = ticked(fields, "rota-members");
    let chosen: Vec<&str> = chosen.iter().map(String::as_str).collect();
    let members = member_options(state, department_id, &chosen).await?;
    let from = match entered(fields, "rota-effective_from") {
        "" if errors.is_empty() => today(),
        d => d.to_string(),
    };
    let title = if errors.is_empty() {
        "New rota"
    } else {
        "Error: New rota"
    };
    let body = html! {
        (error_summary(errors))
        span class="nhsuk-caption-l" { (department.1) }
        h1 class="nhsuk-heading-l" { "New rota" }
        p class="nhsuk-body" { "The members' job plans are given a new version that holds the rota (JP-2, OC-6): an agreed or signed-off plan changes when it is next opened." }
        @if managed.len() > 1 {
            p class="nhsuk-body" { a href="/rotas/new" { "Choose another department" } }
        }
        form method="post" action="/rotas" novalidate {
            (csrf_field(u))
            input type="hidden" name="rota-department_id" value=(department_id);
            (Field::new("rota-name", "Name", "For example, General surgery on-call. A department's rotas have different names.").input("text", entered(fields, "rota-name"), errors))
            (Field::new("rota-members", "Members", "The consultants on the rota: their number is its frequency, 1 in N (F 4(k)).").checkboxes(&members, &chosen, errors))
            (Field::new("rota-category", "Category", "A: the consultant typically returns to site immediately; B: typically gives advice by phone or returns later (F 4(h), B 7.10).").select(&category_options(), entered(fields, "rota-category"), errors))
            (Field::new("rota-effective_from", "The category applies from", "For example, 2027-04-01.").input("date", &from, errors))
            (Field::new("rota-category_reason", "Why this category (optional)", "For example, returns to theatre for emergencies.").input("text", entered(fields, "rota-category_reason"), errors))
            (Field::new("rota-reason", "Why the rota is this frequent", "Needed for a rota of 1 in 1 to 1 in 4 (4 members or fewer), which the trust reports (OC-10, F 4(n)-(o)).").input("text", entered(fields, "rota-reason"), errors))
            (Field::new("rota-action_plan", "The plan to make it less frequent", "Needed for a rota of 1 in 1 to 1 in 4.").input("text", entered(fields, "rota-action_plan"), errors))
            button class="nhsuk-button" type="submit" { "Create the rota" }
        }
    };
    Ok(layout_back(
        u,
        title,
        ("/rotas", "Back to on-call rotas"),
        body,
    ))
}

/// `POST /rotas`: creates a rota, as the API's `POST /api/v1/rotas`.
pub async fn create(State(state): State<AppState>, Form(u, f): Form) -> PageResult<Response> {
    let department = f.get("rota-department_id");
    let department_id: i64 = department.parse().map_err(|_| {
        WebError::BadRequest(format!(
            "rota-department_id: found {department:?}, expected the id of a department"
        ))
    })?;
    if !managed_departments(&state, &u)
        .await?
        .iter()
        .any(|d| d.0 == department_id)
    {
        return Err(not_keeper());
    }
    let fields = f.kept();
    let error = match chosen_category(f.get("rota-category"), "rota-category") {
        Err(error) => error,
        Ok(category) => {
            let body = NewRotaBody {
                department_id,
                name: f.get("rota-name").to_string(),
                category,
                effective_from: f.get("rota-effective_from").to_string(),
                category_reason: f.get("rota-category_reason").to_string(),
                members: ticked(&fields, "rota-members"),
                reason: f.get("rota-reason").to_string(),
                action_plan: f.get("rota-action_plan").to_string(),
            };
            match create_rota(&state, &u.user, body).await {
                Ok(changed) => return Ok(after(changed.rota.rota.id, "created", &changed)),
                Err(e) => field_error(e, "rota-", "name")?,
            }
        }
    };
    let page = new_page(&state, &u, department_id, &fields, &[error]).await?;
    Ok((StatusCode::UNPROCESSABLE_ENTITY, page).into_response())
}

/// The rota as it is now, to compare with what was entered after a conflict.
fn as_it_is(now: &Rota, names: &[(String, String)]) -> Markup {
    let name_of = |id: &String| {
        names
            .iter()
            .find(|(v, _)| v == id)
            .map_or_else(|| id.clone(), |(_, t)| t.clone())
    };
    html! {
        h2 class="nhsuk-heading-m" { "The rota as it is now (version " (now.version) ")" }
        dl class="nhsuk-summary-list" id="rota-now" {
            div class="nhsuk-summary-list__row" { dt class="nhsuk-summary-list__key" { "Name" } dd class="nhsuk-summary-list__value" { (now.name) } }
            div class="nhsuk-summary-list__row" { dt class="nhsuk-summary-list__key" { "Members" } dd class="nhsuk-summary-list__value" { (now.members.iter().map(name_of).collect::<Vec<_>>().join("; ")) } }
            div class="nhsuk-summary-list__row" { dt class="nhsuk-summary-list__key" { "Category today" } dd class="nhsuk-summary-list__value" { (category_label(category_on(now, &today()).as_deref())) } }
            div class="nhsuk-summary-list__row" { dt class="nhsuk-summary-list__key" { "Why this frequency" } dd class="nhsuk-summary-list__value" { (now.reason) } }
            div class="nhsuk-summary-list__row" { dt class="nhsuk-summary-list__key" { "Action plan" } dd class="nhsuk-summary-list__value" { (now.action_plan) } }
        }
    }
}

fn conflict_callout(notice: &str) -> Markup {
    html! {
        div class="nhsuk-warning-callout" id="conflict" {
            h3 class="nhsuk-warning-callout__label" {
                span role="text" { span class="nhsuk-u-visually-hidden" { "Important: " } "Not saved: the rota has changed" }
            }
            p { (notice) }
        }
    }
}

/// The rota `id` for a form that changes it: 403 unless `u` may change it.
async fn changeable(state: &AppState, u: &WebUser, id: i64) -> PageResult<Rota> {
    let rota = load(state, &u.user, id).await?;
    if !may_manage(&u.user, rota.department_id) {
        return Err(WebError::Forbidden(format!(
            "rota {} is kept by the medical director, medical staffing or its department's clinical director",
            rota.name
        )));
    }
    Ok(rota)
}

/// The change form: `fields` entered (the rota's own values when `None`), `notice` after a
/// conflict.
async fn edit_page(
    state: &AppState,
    u: &WebUser,
    rota: &Rota,
    fields: Option<&Pairs>,
    errors: &Pairs,
    notice: Option<&str>,
) -> PageResult<Markup> {
    let id = rota.id;
    let own: Vec<(String, String)>;
    let fields: &Pairs = match fields {
        Some(f) => f,
        None => {
            let mut v = vec![
                ("version".to_string(), rota.version.to_string()),
                ("rota-name".to_string(), rota.name.clone()),
                ("rota-reason".to_string(), rota.reason.clone()),
                ("rota-action_plan".to_string(), rota.action_plan.clone()),
            ];
            v.extend(
                rota.members
                    .iter()
                    .map(|m| ("rota-members".to_string(), m.clone())),
            );
            own = v;
            &own
        }
    };
    let chosen = ticked(fields, "rota-members");
    let mut wanted: Vec<&str> = chosen.iter().map(String::as_str).collect();
    wanted.extend(rota.members.iter().map(String::as_str));
    let members = member_options(state, rota.department_id, &wanted).await?;
    let chosen: Vec<&str> = chosen.iter().map(String::as_str).collect();
    let title = if !errors.is_empty() {
        format!("Error: Change the rota {}", rota.name)
    } else if notice.is_some() {
        format!("Not saved: Change the rota {}", rota.name)
    } else {
        format!("Change the rota {}", rota.name)
    };
    let back = format!("/rotas/{id}");
    let body = html! {
        (error_summary(errors))
        @if let Some(n) = notice { (conflict_callout(n)) }
        span class="nhsuk-caption-l" { (rota.name) }
        h1 class="nhsuk-heading-l" { "Change the rota" }
        p class="nhsuk-body" { "The job plans of those who join or leave the rota are given a new version that holds the rotas (JP-2, OC-6). The category is changed by " a href=(format!("/rotas/{id}/category-decisions/new")) { "recording a category decision" } "." }
        form method="post" action=(format!("/rotas/{id}/edit")) novalidate {
            (csrf_field(u))
            input type="hidden" name="version" value=(entered(fields, "version"));
            (Field::new("rota-name", "Name", "A department's rotas have different names.").input("text", entered(fields, "rota-name"), errors))
            (Field::new("rota-members", "Members", "The consultants on the rota: their number is its frequency, 1 in N (F 4(k)).").checkboxes(&members, &chosen, errors))
            (Field::new("rota-reason", "Why the rota is this frequent", "Needed for a rota of 1 in 1 to 1 in 4 (4 members or fewer), which the trust reports (OC-10, F 4(n)-(o)).").input("text", entered(fields, "rota-reason"), errors))
            (Field::new("rota-action_plan", "The plan to make it less frequent", "Needed for a rota of 1 in 1 to 1 in 4.").input("text", entered(fields, "rota-action_plan"), errors))
            button class="nhsuk-button" type="submit" { "Save the rota" }
        }
        @if notice.is_some() { (as_it_is(rota, &members)) }
    };
    Ok(layout_back(u, &title, (&back, "Back to the rota"), body))
}

fn version_of(f: &FormData) -> PageResult<i64> {
    let v = f.get("version");
    v.parse().map_err(|_| {
        WebError::BadRequest(format!(
            "version: found {v:?}, expected the version of the rota the form was opened on: reload the page"
        ))
    })
}

/// `GET /rotas/{id}/edit`.
pub async fn edit(
    State(state): State<AppState>,
    u: WebUser,
    Path(id): Path<i64>,
) -> PageResult<Markup> {
    let rota = changeable(&state, &u, id).await?;
    edit_page(&state, &u, &rota, None, &[], None).await
}

/// `POST /rotas/{id}/edit`: changes the rota, as the API's `PUT /api/v1/rotas/{id}`; a version
/// no longer current shows the form again (409) with what was entered and the rota as it now is.
pub async fn update(
    State(state): State<AppState>,
    Path(id): Path<i64>,
    Form(u, f): Form,
) -> PageResult<Response> {
    let rota = changeable(&state, &u, id).await?;
    let version = version_of(&f)?;
    let mut fields = f.kept();
    let body = RotaUpdate {
        version,
        name: f.get("rota-name").to_string(),
        members: ticked(&fields, "rota-members"),
        reason: f.get("rota-reason").to_string(),
        action_plan: f.get("rota-action_plan").to_string(),
    };
    match update_rota(&state, &u.user, id, body).await {
        Ok(changed) => Ok(after(id, "changed", &changed)),
        Err(AppError::Conflict { .. } | AppError::Stale { .. }) => {
            let now = changeable(&state, &u, id).await?;
            let notice = conflict_notice(&now, &version.to_string());
            fields.retain(|(k, _)| k != "version");
            fields.push(("version".to_string(), now.version.to_string()));
            let page = edit_page(&state, &u, &now, Some(&fields), &[], Some(&notice)).await?;
            Ok((StatusCode::CONFLICT, page).into_response())
        }
        Err(e) => {
            let error = field_error(e, "rota-", "name")?;
            let page = edit_page(&state, &u, &rota, Some(&fields), &[error], None).await?;
            Ok((StatusCode::UNPROCESSABLE_ENTITY, page).into_response())
        }
    }
}

fn decision_page(
    u: &WebUser,
    rota: &Rota,
    fields: Option<&Pairs>,
    errors: &Pairs,
    notice: Option<&str>,
) -> Markup {
    let id = rota.id;
    let today = today();
    let own = [
        ("version".to_string(), rota.version.to_string()),
        ("decision-effective_from".to_string(), today.clone()),
    ];
    let fields: &Pairs = fields.unwrap_or(&own);
    let title = if !errors.is_empty() {
        format!("Error: Category decision for {}", rota.name)
    } else if notice.is_some() {
        format!("Not saved: Category decision for {}", rota.name)
    } else {
        format!("Category decision for {}", rota.name)
    };
    let back = format!("/rotas/{id}");
    let body = html! {
        (error_summary(errors))
        @if let Some(n) = notice { (conflict_callout(n)) }
        span class="nhsuk-caption-l" { (rota.name) }
        h1 class="nhsuk-heading-l" { "Record a category decision" }
        p class="nhsuk-body" { "The category today is " (category_label(category_on(rota, &today).as_deref())) ". The employer decides the category prospectively, from today or a later date (OC-7, F 4(i)); a reduction from A to B has no protection (B 7.11). A decision from today changes the members' job plans at once; a later one when it takes effect." }
        form method="post" action=(format!("/rotas/{id}/category-decisions")) novalidate {
            (csrf_field(u))
            input type="hidden" name="version" value=(entered(fields, "version"));
            (Field::new("decision-category", "Category", "A: the consultant typically returns to site immediately; B: typically gives advice by phone or returns later (F 4(h), B 7.10).").select(&category_options(), entered(fields, "decision-category"), errors))
            (Field::new("decision-effective_from", "From", "Today or later, for example 2027-04-01.").input("date", entered(fields, "decision-effective_from"), errors))
            (Field::new("decision-reason", "Why", "For example, a review of the calls over the last six months.").input("text", entered(fields, "decision-reason"), errors))
            button class="nhsuk-button" type="submit" { "Record the decision" }
        }
    };
    layout_back(u, &title, (&back, "Back to the rota"), body)
}

/// `GET /rotas/{id}/category-decisions/new`.
pub async fn new_decision(
    State(state): State<AppState>,
    u: WebUser,
    Path(id): Path<i64>,
) -> PageResult<Markup> {
    let rota = changeable(&state, &u, id).await?;
    Ok(decision_page(&u, &rota, None, &[], None))
}

/// `POST /rotas/{id}/category-decisions`: records a category decision, as the API's
/// `POST /api/v1/rotas/{id}/category-decisions`.
pub async fn decide(
    State(state): State<AppState>,
    Path(id): Path<i64>,
    Form(u, f): Form,
) -> PageResult<Response> {
    let rota = changeable(&state, &u, id).await?;
    let version = version_of(&f)?;
    let mut fields = f.kept();
    let category = match chosen_category(f.get("decision-category"), "decision-category") {
        Ok(c) => c,
        Err(error) => {
            let page = decision_page(&u, &rota, Some(&fields), &[error], None);
            return Ok((StatusCode::UNPROCESSABLE_ENTITY, page).into_response());
        }
    };
    let body = CategoryDecisionBody {
        version,
        category,
        effective_from: f.get("decision-effective_from").to_string(),
        reason: f.get("decision-reason").to_string(),
    };
    match record_category_decision(&state, &u.user, id, body).await {
        Ok(changed) => Ok(after(id, "decided", &changed)),
        Err(AppError::Conflict { .. } | AppError::Stale { .. }) => {
            let now = changeable(&state, &u, id).await?;
            let notice = conflict_notice(&now, &version.to_string());
            fields.retain(|(k, _)| k != "version");
            fields.push(("version".to_string(), now.version.to_string()));
            let page = decision_page(&u, &now, Some(&fields), &[], Some(&notice));
            Ok((StatusCode::CONFLICT, page).into_response())
        }
        Err(e) => {
            let error = field_error(e, "decision-", "reason")?;
            let page = decision_page(&u, &rota, Some(&fields), &[error], None);
            Ok((StatusCode::UNPROCESSABLE_ENTITY, page).into_response())
        }
    }
}
