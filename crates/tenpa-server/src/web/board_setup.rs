//! Boards (an administrator): the organisations whose boards Tenpa appraises, each with its
//! directors, and forms to record an organisation and a director — on the path the API takes
//! ([`crate::service::board::record_organisation`], [`crate::service::board::record_director`]). The
//! directors then appraise on the board pages.

use super::fields::{entered, field_error, Field, Pairs};
use super::objectives::query;
use super::page::{csrf_field, layout, see_other, Form, PageResult, WebError, WebUser};
use crate::service::board::{record_director, record_organisation, NewDirector, NewOrganisation};
use crate::web::components::{error_summary, success_banner, HtmlTable};
use crate::AppState;
use axum::extract::{RawQuery, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use maud::{html, Markup};
use tenpa_rules::job_planning::Role;

const KINDS: [(&str, &str); 3] = [
    ("trust", "NHS trust"),
    ("icb", "Integrated care board"),
    ("nhs_england", "NHS England"),
];
const POSITIONS: [(&str, &str); 4] = [
    ("chair", "Chair"),
    ("chief_executive", "Chief executive"),
    ("executive", "Executive director"),
    ("non_executive", "Non-executive director"),
];

fn administrator(u: &WebUser) -> PageResult<()> {
    if u.user.has(Role::Admin) {
        Ok(())
    } else {
        Err(WebError::Forbidden(
            "only an administrator records boards and their directors".into(),
        ))
    }
}

fn options(list: &[(&str, &str)]) -> Vec<(String, String)> {
    list.iter()
        .map(|(v, t)| (v.to_string(), t.to_string()))
        .collect()
}

async fn page(
    state: &AppState,
    u: &WebUser,
    banner: Option<Markup>,
    fields: &Pairs,
    errors: &Pairs,
) -> PageResult<Markup> {
    let organisations = state.store.organisations().await?;
    let mut boards = Vec::with_capacity(organisations.len());
    for o in &organisations {
        boards.push((o, state.store.directors(o.id).await?));
    }
    let organisation_options: Vec<(String, String)> = organisations
        .iter()
        .map(|o| (o.id.to_string(), o.name.clone()))
        .collect();
    let position_label = |p: &str| {
        POSITIONS
            .iter()
            .find(|(v, _)| *v == p)
            .map_or(p.to_string(), |(_, t)| t.to_string())
    };
    let title = if errors.is_empty() {
        "Boards"
    } else {
        "Error: Boards"
    };
    let body = html! {
        @if let Some(b) = banner { (b) }
        (error_summary(errors))
        h1 class="nhsuk-heading-l" { "Boards" }
        p class="nhsuk-body" { "The organisations whose board-level directors are appraised against the competency framework, and their directors. Link each director to the account they sign in with: they then open their appraisal on the " a href="/board" { "board pages" } ", where the chair records each job description's domains." }
        @if boards.is_empty() {
            p class="nhsuk-body" id="no-boards" { "No organisation yet." }
        }
        @for (o, directors) in &boards {
            h2 class="nhsuk-heading-m" id=(format!("organisation-{}", o.id)) { (o.name) }
            @if directors.is_empty() {
                p class="nhsuk-body" { "No directors yet." }
            } @else {
                (HtmlTable::new(html! { "Directors of " (o.name) })
                    .hidden_caption()
                    .columns(&["Director", "Position", "Title", "Account"])
                    .rows(directors.iter().map(|d| vec![
                        html! { (d.name) },
                        html! { (position_label(&d.position)) },
                        html! { (d.title) },
                        html! { (d.username.as_deref().unwrap_or("None")) },
                    ])))
            }
        }
        h2 class="nhsuk-heading-m" { "Record an organisation" }
        form method="post" action="/admin/boards" novalidate {
            (csrf_field(u))
            input type="hidden" name="form" value="organisation";
            (Field::new("organisation-name", "Name", "").input("text", entered(fields, "organisation-name"), errors))
            (Field::new("organisation-kind", "Kind", "").select(&options(&KINDS), entered(fields, "organisation-kind"), errors))
            button class="nhsuk-button" type="submit" { "Record the organisation" }
        }
        @if !organisations.is_empty() {
            h2 class="nhsuk-heading-m" { "Record a director" }
            form method="post" action="/admin/boards" novalidate {
                (csrf_field(u))
                input type="hidden" name="form" value="director";
                (Field::new("director-organisation_id", "Organisation", "").select(&organisation_options, entered(fields, "director-organisation_id"), errors))
                (Field::new("director-name", "Name", "").input("text", entered(fields, "director-name"), errors))
                (Field::new("director-position", "Position", "It decides the director's appraiser: the chair appraises the chief executive and non-executives, the chief executive the executive directors.").select(&options(&POSITIONS), entered(fields, "director-position"), errors))
                (Field::new("director-title", "Job title (optional)", "For example, Director of Finance.").input("text", entered(fields, "director-title"), errors))
                (Field::new("director-username", "Account (optional)", "The username the director signs in with.").input("text", entered(fields, "director-username"), errors))
                button class="nhsuk-button" type="submit" { "Record the director" }
            }
        }
    };
    Ok(layout(u, title, body))
}

/// `GET /admin/boards`.
pub async fn show(
    State(state): State<AppState>,
    u: WebUser,
    RawQuery(q): RawQuery,
) -> PageResult<Markup> {
    administrator(&u)?;
    let banner = match query(q).get("done") {
        "organisation" => Some(success_banner(
            "The organisation has been recorded.",
            html! {},
        )),
        "director" => Some(success_banner("The director has been recorded.", html! {})),
        _ => None,
    };
    page(&state, &u, banner, &[], &[]).await
}

/// `POST /admin/boards`: records an organisation or a director.
pub async fn submit(State(state): State<AppState>, Form(u, f): Form) -> PageResult<Response> {
    administrator(&u)?;
    let result = match f.get("form") {
        "organisation" => record_organisation(
            &state,
            &u.user,
            &NewOrganisation {
                name: f.get("organisation-name").to_string(),
                kind: f.get("organisation-kind").to_string(),
            },
        )
        .await
        .map(|id| format!("/admin/boards?done=organisation#organisation-{id}")),
        "director" => {
            let organisation_id: i64 = f.get("director-organisation_id").parse().unwrap_or(0);
            let username = f.get("director-username");
            record_director(
                &state,
                &u.user,
                NewDirector {
                    organisation_id,
                    name: f.get("director-name").to_string(),
                    username: (!username.is_empty()).then(|| username.to_string()),
                    position: f.get("director-position").to_string(),
                    title: f.get("director-title").to_string(),
                    job_domains: vec![],
                },
            )
            .await
            .map(|_| format!("/admin/boards?done=director#organisation-{organisation_id}"))
        }
        other => {
            return Err(WebError::BadRequest(format!(
                "form: found {other:?}, expected organisation or director"
            )))
        }
    };
    match result {
        Ok(to) => Ok(see_other(&to)),
        Err(e) => {
            let error = match e {
                crate::error::AppError::NotFound(detail) => (
                    format!("{}-name", f.get("form")),
                    super::page::sentence(&detail),
                ),
                e => field_error(e, &format!("{}-", f.get("form")), "name")?,
            };
            let fields: Vec<(String, String)> = f.kept();
            let page = page(&state, &u, None, &fields, &[error]).await?;
            Ok((StatusCode::UNPROCESSABLE_ENTITY, page).into_response())
        }
    }
}
