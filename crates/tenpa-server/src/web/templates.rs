//! Department templates of job plans: the templates in use, a form to make one from a plan, and
//! retiring one. New plans start from them on the new-plan page. The pages call the operations
//! the API shares ([`crate::service::templates`]).

use super::fields::{entered, field_error, Field, Pairs};
use super::objectives::query;
use super::page::{
    csrf_field, layout, layout_back, see_other, Form, PageResult, WebError, WebUser,
};
use crate::service::templates::{self, NewTemplate};
use crate::web::components::{error_summary, success_banner, HtmlTable};
use crate::AppState;
use axum::extract::{Path, RawQuery, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use maud::{html, Markup};

/// `GET /templates`.
pub async fn list(
    State(state): State<AppState>,
    u: WebUser,
    RawQuery(q): RawQuery,
) -> PageResult<Markup> {
    let all = templates::visible(&state.store, &u.user).await?;
    let departments = crate::service::organisation::departments(&state.store).await?;
    let department = |id: i64| {
        departments
            .iter()
            .find(|d| d.id == id)
            .map_or(String::new(), |d| d.name.clone())
    };
    let banner = match query(q).get("done") {
        "made" => Some(success_banner(
            "The template has been made: new plans of the department can start from it.",
            html! {},
        )),
        "retired" => Some(success_banner("The template has been retired.", html! {})),
        _ => None,
    };
    let body = html! {
        @if let Some(b) = banner { (b) }
        h1 class="nhsuk-heading-l" { "Department templates" }
        p class="nhsuk-body" { "A template is a department's pattern of a job plan: its activities, on-call, cycle and out-of-hours form. A new plan of the department can start from it (" a href="/plans/new" { "New job plan" } "); what is personal — the consultant, the date, their contracted PAs and pay — comes from the consultant. To make a template, open a plan of the department and choose " strong { "Save as a department template" } "." }
        @if all.is_empty() {
            p class="nhsuk-body" id="no-templates" { "No templates yet." }
        } @else {
            (HtmlTable::new("Templates")
                .hidden_caption()
                .id("templates")
                .columns(&["Department", "Template"])
                .numeric("Activities")
                .columns(&["Made"])
                .hidden_column("Action")
                .rows_with_ids(all.iter().map(|t| {
                    (format!("template-{}", t.id), vec![
                        html! { (department(t.department_id)) },
                        html! { strong { (t.name) } @if !t.description.is_empty() { br; (t.description) } },
                        html! { (t.activities) },
                        html! { (crate::web::components::when(&t.created_at)) " by " (t.created_by) },
                        html! {
                        @if crate::policy::manages_department(&u.user, t.department_id) {
                            form method="post" action=(format!("/templates/{}/retire", t.id)) novalidate {
                                (csrf_field(&u))
                                input type="hidden" name="version" value=(t.version);
                                button class="nhsuk-button nhsuk-button--secondary nhsuk-u-margin-bottom-0" type="submit" { "Retire" span class="nhsuk-u-visually-hidden" { " " (t.name) } }
                            }
                        }
                    },
                    ])
                })))
        }
    };
    Ok(layout(&u, "Department templates", body))
}

async fn new_page(
    state: &AppState,
    u: &WebUser,
    plan_id: i64,
    fields: &Pairs,
    errors: &Pairs,
) -> PageResult<Markup> {
    let plan = state
        .store
        .job_plan(plan_id)
        .await?
        .ok_or_else(|| WebError::NotFound(format!("job plan {plan_id} does not exist")))?;
    if !crate::policy::may_see(&u.user, &plan.summary)
        || !crate::policy::manages_department(&u.user, plan.summary.department_id)
    {
        return Err(WebError::Forbidden(format!(
            "the templates of {} are kept by its clinical director, the medical director or medical staffing",
            plan.summary.department
        )));
    }
    let count = plan
        .document
        .get("activity")
        .and_then(|a| a.as_array())
        .map_or(0, Vec::len);
    let title = if errors.is_empty() {
        "New department template"
    } else {
        "Error: New department template"
    };
    let body = html! {
        (error_summary(errors))
        span class="nhsuk-caption-l" { (plan.summary.department) }
        h1 class="nhsuk-heading-l" { "New department template" }
        p class="nhsuk-body" { "From " (plan.summary.consultant_name) "'s plan: its " (count) " activities, on-call, cycle and out-of-hours form. Nothing personal to the consultant is kept." }
        form method="post" action="/templates" novalidate {
            (csrf_field(u))
            input type="hidden" name="template-plan_id" value=(plan_id);
            (Field::new("template-name", "Name", "For example, General surgeon, 1 in 6 on-call.").input("text", entered(fields, "template-name"), errors))
            (Field::new("template-description", "Description (optional)", "What the pattern is for.").input("text", entered(fields, "template-description"), errors))
            button class="nhsuk-button" type="submit" { "Make the template" }
        }
    };
    Ok(layout_back(
        u,
        title,
        (&format!("/plans/{plan_id}"), "Back to the plan"),
        body,
    ))
}

/// `GET /templates/new?plan=ID`.
pub async fn new(
    State(state): State<AppState>,
    u: WebUser,
    RawQuery(q): RawQuery,
) -> PageResult<Markup> {
    let q = query(q);
    let plan: i64 = q.get("plan").parse().map_err(|_| {
        WebError::BadRequest(
            "plan: expected the id of the job plan to make the template from".into(),
        )
    })?;
    new_page(&state, &u, plan, &[], &[]).await
}

/// `POST /templates`.
pub async fn create(State(state): State<AppState>, Form(u, f): Form) -> PageResult<Response> {
    let plan_id: i64 = f
        .get("template-plan_id")
        .parse()
        .map_err(|_| WebError::BadRequest("template-plan_id: expected a job plan's id".into()))?;
    let new = NewTemplate {
        plan_id,
        name: f.get("template-name").to_string(),
        description: f.get("template-description").to_string(),
    };
    match templates::create(&state.store, &u.user, &new).await {
        Ok(t) => Ok(see_other(&format!(
            "/templates?done=made#template-{}",
            t.id
        ))),
        Err(e) => {
            let error = field_error(e, "template-", "name")?;
            let fields: Vec<(String, String)> = f.kept();
            let page = new_page(&state, &u, plan_id, &fields, &[error]).await?;
            Ok((StatusCode::UNPROCESSABLE_ENTITY, page).into_response())
        }
    }
}

/// `POST /templates/{id}/retire`.
pub async fn retire(
    State(state): State<AppState>,
    Path(id): Path<i64>,
    Form(u, f): Form,
) -> PageResult<Response> {
    let version: i64 = f
        .get("version")
        .parse()
        .map_err(|_| WebError::BadRequest("version: expected the template's version".into()))?;
    templates::retire(&state.store, &u.user, id, version).await?;
    Ok(see_other("/templates?done=retired"))
}
