//! `/board`: the boards the user sits on, and starting an appraisal.

use super::{findings_list, position_label, status_tag, year_label};
use crate::service::board::{
    framework, open_appraisal, relation, visible_appraisals, visible_organisations, Relation,
};
use crate::web::components::HtmlTable;
use crate::web::page::{csrf_field, layout, see_other, Form, PageResult, WebError, WebUser};
use crate::AppState;
use axum::extract::State;
use axum::response::Response;
use chrono::Datelike;
use maud::{html, Markup};
use tenpa_rules::board_competency::{check_job_description, completeness, Framework};
use tenpa_store::{BoardAppraisal, Director};

/// `GET /board`: the boards the user sits on (every organisation for an admin), each director with
/// their job description check (BC-2) and the appraisals the user may see.
pub async fn index(State(state): State<AppState>, u: WebUser) -> PageResult<Markup> {
    let orgs = visible_organisations(&state, &u.user).await?;
    let mine = state.store.directors_of_user(&u.user.username).await?;
    let seen = visible_appraisals(&state, &u.user).await?;
    let admin = u.user.has(tenpa_rules::job_planning::Role::Admin);
    let fw = Framework::latest();
    let this_year = i64::from(crate::uk_time::today().year());
    let mut sections = Vec::new();
    for o in &orgs {
        let chair = crate::service::board::chair_of(&mine, o.id);
        let mut rows: Vec<(Director, Relation)> = Vec::new();
        for d in state.store.directors(o.id).await? {
            let rel = relation(&state, &u.user, &d).await?;
            if admin || rel.own || rel.appraiser || rel.chair {
                rows.push((d, rel));
            }
        }
        let openable: Vec<&Director> = rows
            .iter()
            .filter(|(_, r)| r.own || r.appraiser)
            .map(|(d, _)| d)
            .collect();
        sections.push(html! {
            section {
                h2 class="nhsuk-heading-l" { (o.name) }
                @if chair || admin {
                    p class="nhsuk-body" {
                        a href=(format!("/board/organisations/{}/report", o.id)) { "Board report for " (o.name) }
                    }
                }
                (HtmlTable::new(html! { "Directors of " (o.name) " you may see" })
                    .columns(&["Director", "Role", "Job description (BC-2)", "Appraisals"])
                    .rows(rows.iter().map(|(d, rel)| {
                        let findings = check_job_description(&fw, &d.job_domains);
                        let theirs: Vec<&BoardAppraisal> = seen.iter().filter(|a| a.director_id == d.id).collect();
                        vec![
                            html! {
                            @if rel.own || rel.appraiser || rel.chair {
                                a href=(format!("/board/directors/{}", d.id)) { (d.name) }
                            } @else {
                                (d.name)
                            }
                            br; span class="nhsuk-body-s" { (d.title) }
                        },
                            html! { (position_label(&d.position)) },
                            html! { (findings_list(&findings, "Includes all six domains")) },
                            html! {
                            @if theirs.is_empty() {
                                "None you may see"
                            } @else {
                                ul class="nhsuk-list" {
                                    @for a in &theirs {
                                        @let c = framework(&a.framework_version).map(|fw| completeness(&fw, &a.ratings));
                                        li {
                                            a href=(format!("/board/appraisals/{}", a.id)) { "Appraisal " (year_label(a.year)) " for " (d.name) }
                                            @if let Ok(c) = &c { br; (status_tag(a, c)) }
                                        }
                                    }
                                }
                            }
                        },
                        ]
                    })))
                @if !openable.is_empty() {
                    form method="post" action="/board/appraisals" novalidate {
                        (csrf_field(&u))
                        h3 class="nhsuk-heading-s" { "Start an appraisal" }
                        div class="tenpa-inline" {
                            div class="nhsuk-form-group" {
                                label class="nhsuk-label" for=(format!("director-{}", o.id)) { "Director" }
                                select class="nhsuk-select" id=(format!("director-{}", o.id)) name="director_id" {
                                    @for d in &openable { option value=(d.id) { (d.name) } }
                                }
                            }
                            div class="nhsuk-form-group" {
                                label class="nhsuk-label" for=(format!("year-{}", o.id)) { "Year the appraisal starts" }
                                div class="nhsuk-hint" id=(format!("year-{}-hint", o.id)) { "For example, 2025 for 2025/26" }
                                input class="nhsuk-input nhsuk-input--width-4" id=(format!("year-{}", o.id)) name="year" inputmode="numeric" value=(this_year) aria-describedby=(format!("year-{}-hint", o.id));
                            }
                        }
                        button class="nhsuk-button nhsuk-button--secondary" type="submit" { "Start the appraisal" }
                    }
                }
            }
        });
    }
    Ok(layout(
        &u,
        "Board",
        html! {
            h1 class="nhsuk-heading-xl" { "Board competency appraisals" }
            p class="nhsuk-body" {
                "Board-level directors assess themselves each year against the six domains of the "
                a href="/rules/BC-1" { "competency framework (BC-1)" }
                " and discuss it with their appraiser ("
                a href="/rules/BC-2" { "BC-2" } ")."
            }
            @if sections.is_empty() {
                p class="nhsuk-body" { "You do not sit on a board recorded in Tenpa." }
            }
            @for s in sections { (s) }
        },
    ))
}

/// `POST /board/appraisals`: opens an appraisal for a director and year.
pub async fn create(State(state): State<AppState>, Form(u, f): Form) -> PageResult<Response> {
    let director_id: i64 = f
        .get("director_id")
        .parse()
        .map_err(|_| WebError::BadRequest("choose a director".into()))?;
    let Ok(year) = f.get("year").parse::<i64>() else {
        return Err(WebError::BadRequest(
            "year: enter the year the appraisal starts, such as 2025".into(),
        ));
    };
    let (id, _) = open_appraisal(&state, &u.user, director_id, year).await?;
    Ok(see_other(&format!("/board/appraisals/{id}")))
}
