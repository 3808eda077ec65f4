//! Job-planning rounds: `/rounds` lists them with their progress and (for the medical director and
//! medical staffing) opens one, a deadline for each department taking part; `/rounds/{id}` shows a
//! round's progress by department and consultant, with each plan's state, how long it has been in
//! it and a dispute's age. On the path the API shares ([`crate::service::rounds`]).

use super::fields::{entered, field_error, Field, Pairs};
use super::page::{csrf_field, layout, see_other, Form, PageResult, WebUser};
use crate::service::rounds::{self, ConsultantProgress, NewDeadline, NewRound, RoundView};
use crate::web::components::{day, error_summary, status_tag, HtmlTable};
use crate::AppState;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use maud::{html, Markup, Render};
use tenpa_rules::job_planning::Role;

/// A consultant's standing in a round, as a tag.
pub fn progress_tag(c: &ConsultantProgress) -> Markup {
    html! {
        @if c.done {
            strong class="nhsuk-tag nhsuk-tag--green" { "Signed off" }
        } @else if c.overdue {
            strong class="nhsuk-tag nhsuk-tag--red" { "Overdue" }
        } @else {
            strong class="nhsuk-tag nhsuk-tag--grey" { "Due by " (day(c.deadline)) }
        }
    }
}

fn summary_table(list: &[RoundView]) -> Markup {
    HtmlTable::new("Rounds, the latest first")
        .id("rounds")
        .columns(&["Round", "Opened"])
        .numeric("Consultants")
        .numeric("Signed off")
        .numeric("Overdue")
        .rows(list.iter().map(|r| {
            let (n, done, late) = r.departments.iter().fold((0, 0, 0), |(n, d, l), x| {
                (n + x.consultants, d + x.done, l + x.overdue)
            });
            vec![
                html! { a href=(format!("/rounds/{}", r.id)) { (r.title) } },
                html! { (day(r.opened_on)) " by " (r.opened_by) },
                html! { (n) },
                html! { (done) },
                html! { (late) },
            ]
        }))
        .render()
}

async fn page(state: &AppState, u: &WebUser, fields: &Pairs, errors: &Pairs) -> PageResult<Markup> {
    let list = rounds::list(&state.store, &u.user, rounds::today()).await?;
    let may_open = u.any(&[Role::MedicalDirector, Role::MedicalStaffing]);
    let departments = if may_open {
        state.store.departments().await?
    } else {
        vec![]
    };
    let title = if errors.is_empty() {
        "Job-planning rounds"
    } else {
        "Error: Job-planning rounds"
    };
    let body = html! {
        (error_summary(errors))
        h1 class="nhsuk-heading-l" { "Job-planning rounds" }
        p class="nhsuk-body" { "A round is the year's job plan reviews: each department taking part has a deadline, and a consultant is done once a job plan of theirs is signed off by both sides after the round opened. Those not done after their department's deadline are overdue." }
        @if list.is_empty() {
            p class="nhsuk-body" id="no-rounds" { "No round has been opened yet." }
        } @else {
            (summary_table(&list))
        }
        @if may_open {
            h2 class="nhsuk-heading-m" id="open" { "Open a round" }
            form method="post" action="/rounds" novalidate {
                (csrf_field(u))
                (Field::new("round-title", "Title", "For example, Job planning 2027/28.").input("text", entered(fields, "round-title"), errors))
                fieldset class="nhsuk-fieldset" {
                    legend class="nhsuk-fieldset__legend nhsuk-fieldset__legend--s" { "Each department's deadline" }
                    div class="nhsuk-hint" { "The last day for its job plans to be signed off, as YYYY-MM-DD. Leave a department blank to leave it out of the round; its consultants as they are today are in scope." }
                    @for d in &departments {
                        @let id = format!("round-deadline-{}", d.id);
                        (Field::new(&id, &d.name, "").input("date", entered(fields, &id), errors))
                    }
                }
                button class="nhsuk-button" type="submit" { "Open the round" }
            }
        }
    };
    Ok(layout(u, title, body))
}

/// `GET /rounds`.
pub async fn show_list(State(state): State<AppState>, u: WebUser) -> PageResult<Markup> {
    page(&state, &u, &[], &[]).await
}

/// `POST /rounds`: opens a round.
pub async fn open(State(state): State<AppState>, Form(u, f): Form) -> PageResult<Response> {
    let departments = state.store.departments().await?;
    let deadlines: Vec<NewDeadline> = departments
        .iter()
        .filter_map(|d| {
            let v = f.get(&format!("round-deadline-{}", d.id));
            (!v.is_empty()).then(|| NewDeadline {
                department_id: d.id,
                deadline: v.to_string(),
            })
        })
        .collect();
    let ids: Vec<i64> = deadlines.iter().map(|d| d.department_id).collect();
    let body = NewRound {
        title: f.get("round-title").to_string(),
        deadlines,
    };
    match rounds::open(&state.store, &u.user, body, rounds::today()).await {
        Ok(v) => Ok(see_other(&format!("/rounds/{}", v.id))),
        Err(e) => {
            let (mut field, message) = field_error(e, "round-", "title")?;
            // deadlines[i].deadline names the i-th department given; the form names it by its id.
            if let Some(i) = field
                .strip_prefix("round-deadlines[")
                .and_then(|r| r.split(']').next())
                .and_then(|i| i.parse::<usize>().ok())
            {
                if let Some(d) = ids.get(i) {
                    field = format!("round-deadline-{d}");
                }
            } else if field == "round-deadlines" {
                field = departments
                    .first()
                    .map_or("round-title".into(), |d| format!("round-deadline-{}", d.id));
            }
            let kept = f.kept();
            let page = page(&state, &u, &kept, &[(field, message)]).await?;
            Ok((StatusCode::UNPROCESSABLE_ENTITY, page).into_response())
        }
    }
}

/// `GET /rounds/{id}`.
pub async fn show(
    State(state): State<AppState>,
    u: WebUser,
    Path(id): Path<i64>,
) -> PageResult<Markup> {
    let r = rounds::view(&state.store, &u.user, id, rounds::today()).await?;
    let body = html! {
        span class="nhsuk-caption-l" { "Opened " (day(r.opened_on)) " by " (r.opened_by) }
        h1 class="nhsuk-heading-l" { (r.title) }
        (HtmlTable::new(html! { "Progress on " (day(r.on)) })
            .id("round-departments")
            .columns(&["Department", "Deadline"])
            .numeric("Consultants")
            .numeric("Signed off")
            .numeric("Overdue")
            .rows(r.departments.iter().map(|d| vec![
                html! { (d.name) },
                html! { (day(d.deadline)) },
                html! { (d.consultants) },
                html! { (d.done) },
                html! { (d.overdue) },
            ])))
        (HtmlTable::new("Each consultant")
            .id("round-consultants")
            .columns(&["Consultant", "Department", "In the round", "Plan's state"])
            .numeric("Days in that state")
            .columns(&["Time in each state"])
            .rows(r.consultants.iter().map(|c| vec![
                match c.plan_id {
                    Some(p) => html! { a href=(format!("/plans/{p}/workflow")) { (c.name) } },
                    None => html! { (c.name) },
                },
                html! { (c.department) },
                html! {
                    (progress_tag(c))
                    @if let Some(on) = c.signed_off_on { " " (day(on)) }
                },
                html! {
                    @match c.status { Some(s) => (status_tag(s)), None => "No plan" }
                    @if let Some(d) = c.dispute_days { " " span class="tenpa-dispute-age" { "in dispute for " (d) " days" } }
                },
                html! { @if let Some(d) = c.days_in_status { (d) } },
                html! {
                    @for (i, t) in c.time_in_states.iter().enumerate() {
                        @if i > 0 { ", " }
                        (crate::web::components::status_label(t.status)) " " (t.days) "d"
                    }
                },
            ])))
        p class="nhsuk-body" { a href="/rounds" { "All rounds" } " · " a href="/compliance" { "Job plans signed off within 12 months" } }
    };
    Ok(layout(&u, &r.title, body))
}
