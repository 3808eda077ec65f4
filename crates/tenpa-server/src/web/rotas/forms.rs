//! The forms to create a rota and to change its name, members, reason and action plan.

use super::{
    after, category_label, category_options, chosen_category, conflict_notice, managed_departments,
    member_options, not_keeper, ticked,
};
use crate::error::AppError;
use crate::policy::manages_department as may_manage;
use crate::service::rota_plans::category_on;
use crate::service::rotas::{create_rota, load, update_rota, NewRotaBody, RotaUpdate};
use crate::uk_time::today;
use crate::web::components::{error_summary, summary_row, summary_rows_id};
use crate::web::fields::{entered, field_error, Field, Pairs};
use crate::web::objectives::query;
use crate::web::page::{csrf_field, layout_back, Form, FormData, PageResult, WebError, WebUser};
use crate::AppState;
use axum::extract::{Path, RawQuery, State};
use axum::http::StatusCode;
use axum::response::IntoResponse;
use axum::response::Response;
use maud::{html, Markup};
use tenpa_store::Rota;

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
        "" if errors.is_empty() => today().to_string(),
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
        (summary_rows_id("rota-now", html! {
            (summary_row("Name", html! { (now.name) }))
            (summary_row("Members", html! { (now.members.iter().map(name_of).collect::<Vec<_>>().join("; ")) }))
            (summary_row("Category today", html! { (category_label(category_on(now, today()).as_deref())) }))
            (summary_row("Why this frequency", html! { (now.reason) }))
            (summary_row("Action plan", html! { (now.action_plan) }))
        }))
    }
}

pub(super) fn conflict_callout(notice: &str) -> Markup {
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
pub(super) async fn changeable(state: &AppState, u: &WebUser, id: i64) -> PageResult<Rota> {
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

pub(super) fn version_of(f: &FormData) -> PageResult<i64> {
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
