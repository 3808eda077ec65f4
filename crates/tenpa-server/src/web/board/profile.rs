//! A director's profile across years, and their job description.

use super::{findings_list, mean_text, position_label, short_domain, year_label};
use crate::error::AppError;
use crate::service::board::{
    load_director, profile_years, record_job_description, relation, YearProfile,
};
use crate::web::chart::{bar_chart, Bar};
use crate::web::components::{error_summary, summary_row, summary_rows, HtmlTable};
use crate::web::page::{csrf_field, layout_back, see_other, sentence, Form, PageResult, WebUser};
use crate::AppState;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::IntoResponse;
use maud::{html, Markup};
use rust_decimal::Decimal;
use serde::Deserialize;
use tenpa_rules::board_competency::{check_job_description, Framework};

/// The years × domains table of a director's profile: one row per domain (name, then per year the
/// mean score and the count of "no chance to demonstrate").
pub fn profile_rows(fw: &Framework, years: &[YearProfile]) -> Vec<(String, Vec<String>)> {
    fw.domains
        .iter()
        .map(|dom| {
            let cells = years
                .iter()
                .map(|y| {
                    y.profile
                        .domains
                        .iter()
                        .find(|p| p.key == dom.key)
                        .map_or_else(
                            || "Not in this version".to_string(),
                            |p| {
                                let none = p
                                    .distribution
                                    .iter()
                                    .filter(|(k, _)| {
                                        fw.scale_point(k).is_some_and(|s| s.score.is_none())
                                    })
                                    .map(|(_, n)| n)
                                    .sum::<usize>();
                                if none > 0 {
                                    format!(
                                        "{} ({} no chance to demonstrate)",
                                        mean_text(p.mean_hundredths),
                                        none
                                    )
                                } else {
                                    mean_text(p.mean_hundredths)
                                }
                            },
                        )
                })
                .collect();
            (dom.name.clone(), cells)
        })
        .collect()
}

pub(super) fn domain_bars(profile: &tenpa_rules::board_competency::Profile) -> Vec<Bar> {
    profile
        .domains
        .iter()
        .map(|d| Bar {
            label: short_domain(&d.key),
            value: Decimal::new(i64::from(d.mean_hundredths.unwrap_or(0)), 2),
            shown: match d.mean_hundredths {
                Some(_) => format!("{} of 4", mean_text(d.mean_hundredths)),
                None => "No score".into(),
            },
        })
        .collect()
}

/// The director page's query: a notice after the job description was saved.
#[derive(Deserialize, Default)]
pub struct DirectorQuery {
    /// Set after a save.
    #[serde(default)]
    pub saved: Option<String>,
}

/// `GET /board/directors/{id}`.
pub async fn director(
    State(state): State<AppState>,
    u: WebUser,
    Path(id): Path<i64>,
    q: Result<Query<DirectorQuery>, axum::extract::rejection::QueryRejection>,
) -> PageResult<Markup> {
    let saved = q.map(|Query(q)| q.saved.is_some()).unwrap_or(false);
    director_page(&state, &u, id, saved, None).await
}

/// `POST /board/directors/{id}/job-description`: the domains the job description covers (BC-2).
pub async fn post_job_description(
    State(state): State<AppState>,
    Path(id): Path<i64>,
    Form(u, form): Form,
) -> PageResult {
    let domains: Vec<String> = form.all("domain").into_iter().map(str::to_string).collect();
    match record_job_description(&state, &u.user, id, &domains).await {
        Ok(()) => Ok(see_other(&format!("/board/directors/{id}?saved=1"))),
        Err(AppError::Unprocessable { message, .. }) => {
            let page = director_page(&state, &u, id, false, Some(sentence(&message))).await?;
            Ok((StatusCode::UNPROCESSABLE_ENTITY, page).into_response())
        }
        Err(e) => Err(e.into()),
    }
}

async fn director_page(
    state: &AppState,
    u: &WebUser,
    id: i64,
    saved: bool,
    error: Option<String>,
) -> PageResult<Markup> {
    let (d, years) = profile_years(state, &u.user, id).await?;
    let record = load_director(state, id).await?;
    let rel = relation(state, &u.user, &record).await?;
    let may_record = u.user.has(tenpa_rules::job_planning::Role::Admin) || rel.chair;
    // The appraisals themselves are the director's, their appraiser's and the chair's.
    let may_open = rel.own || rel.appraiser || rel.chair;
    let fw = Framework::latest();
    let rows = profile_rows(&fw, &years);
    let latest = years.iter().rev().find(|y| y.complete).or(years.last());
    let findings = check_job_description(&fw, &d.job_domains);
    let title = format!("{}: competency profile", d.name);
    let errors: Vec<(String, String)> = error
        .iter()
        .map(|e| ("domain-0".to_string(), e.clone()))
        .collect();
    Ok(layout_back(
        u,
        &title,
        ("/board", "Back to board appraisals"),
        html! {
            (error_summary(&errors))
            @if saved {
                div class="nhsuk-inset-text" { span class="nhsuk-u-visually-hidden" { "Information: " } p { "The job description's domains are saved." } }
            }
            h1 class="nhsuk-heading-xl" { (title) }
            (summary_rows(html! {
                (summary_row("Role", html! { (d.title) " (" (position_label(&d.position)) ")" }))
                (summary_row("Job description", html! { (findings_list(&findings, "Includes all six domains")) }))
            }))
            @if may_record {
                form method="post" action=(format!("/board/directors/{id}/job-description")) novalidate {
                    (csrf_field(u))
                    div class="nhsuk-form-group" {
                        fieldset class="nhsuk-fieldset" aria-describedby="domains-hint" {
                            legend class="nhsuk-fieldset__legend nhsuk-fieldset__legend--m" {
                                h2 class="nhsuk-fieldset__heading" { "Domains the job description covers" }
                            }
                            div class="nhsuk-hint" id="domains-hint" {
                                "A director's job description should include all six domains of the framework (" a href="/rules/BC-2" { "BC-2" } ")."
                            }
                            div class="nhsuk-checkboxes" data-module="nhsuk-checkboxes" {
                                @for (i, dom) in fw.domains.iter().enumerate() {
                                    div class="nhsuk-checkboxes__item" {
                                        input class="nhsuk-checkboxes__input" id=(format!("domain-{i}")) name="domain" type="checkbox" value=(dom.key) checked[record.job_domains.contains(&dom.key)];
                                        label class="nhsuk-label nhsuk-checkboxes__label" for=(format!("domain-{i}")) { (dom.name) }
                                    }
                                }
                            }
                        }
                    }
                    button class="nhsuk-button" data-module="nhsuk-button" type="submit" { "Save the job description" }
                }
            }
            @if years.is_empty() {
                p class="nhsuk-body" { "No appraisals are recorded yet." }
            } @else {
                p class="nhsuk-body" { "Mean score per domain: 4 is \"almost always\", 1 is \"rarely\". \"No chance to demonstrate\" has no score and is counted beside it." }
                div class="nhsuk-table-container" tabindex="0" role="region" aria-label="Mean score by domain and year (scrolls sideways)" {
                    (years.iter().fold(
                        HtmlTable::new("Mean score by domain and year")
                            .row_headers()
                            .columns(&["Domain"]),
                        |t, y| t.column(html! {
                            @if may_open {
                                a href=(format!("/board/appraisals/{}", y.appraisal_id)) { (year_label(y.year)) }
                            } @else { (year_label(y.year)) }
                            @if !y.complete { " (incomplete)" }
                        }),
                    )
                    .rows(rows.iter().map(|(name, cells)| {
                        let mut row = vec![html! { (name) }];
                        row.extend(cells.iter().map(|c| html! { (c) }));
                        row
                    })))
                }
                @if let Some(y) = latest {
                    div class="tenpa-chart" {
                        (bar_chart(
                            "director-profile",
                            &format!("Mean score by domain, {}", year_label(y.year)),
                            "The mean self-assessment score in each of the six domains, out of 4; the table above gives the same figures.",
                            &domain_bars(&y.profile),
                        ))
                    }
                }
            }
        },
    ))
}

#[cfg(test)]
mod tests {
    use super::*;
    use tenpa_rules::board_competency::{Rating, Ratings};
    /// Source: BC-2, the board view by domain.
    #[test]
    fn profile_rows_give_means_and_no_chance_counts() {
        let fw = Framework::latest();
        let mut r: Ratings = fw
            .statement_ids()
            .map(|id| {
                (
                    id.to_string(),
                    Rating {
                        rating: "often".into(),
                        evidence: String::new(),
                    },
                )
            })
            .collect();
        r.get_mut("governance.1").unwrap().rating = "no_chance".into();
        let years = vec![YearProfile {
            year: 2024,
            appraisal_id: 7,
            complete: true,
            profile: tenpa_rules::board_competency::profile(&fw, &[&r]),
        }];
        let rows = profile_rows(&fw, &years);
        assert_eq!(rows.len(), 6);
        let g = rows
            .iter()
            .find(|(n, _)| n == "Providing robust governance and assurance")
            .unwrap();
        assert_eq!(g.1, ["3.00 (1 no chance to demonstrate)"]);
        assert_eq!(rows[0].1, ["3.00"]);
        let bars = domain_bars(&years[0].profile);
        assert_eq!(bars[0].value, Decimal::new(300, 2));
        assert_eq!(bars[0].shown, "3.00 of 4");
    }
}
