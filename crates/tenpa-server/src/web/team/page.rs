//! The team page: the table with sortable headings, the filters and the department's capacity.

use super::query::{select, SortKey, TeamQuery};
use super::{band_label, categories, load, pas_text, totals, Team, TeamRow, BANDS};
use crate::web::chart::{bar_chart, Bar};
use crate::web::components::HtmlTable;
use crate::web::page::{layout, pounds, PageResult, WebUser};
use crate::AppState;
use axum::extract::{RawQuery, State};
use chrono::NaiveDate;
use maud::{html, Markup};

fn header_cell(q: &TeamQuery, key: SortKey) -> Markup {
    let sorted = q.sort == key;
    // A first click sorts names A to Z and numbers largest first.
    let next_desc = if sorted { !q.descending } else { key.numeric() };
    let href = format!("/team?{}", q.to_query(key, next_desc));
    let class = if key.numeric() {
        "nhsuk-table__header tenpa-number"
    } else {
        "nhsuk-table__header"
    };
    let hint = match (key, next_desc) {
        (SortKey::Name, false) => "A to Z",
        (SortKey::Name, true) => "Z to A",
        (SortKey::Band | SortKey::Status, false) => "in order",
        (SortKey::Band | SortKey::Status, true) => "in reverse order",
        (SortKey::Review, false) => "earliest first",
        (SortKey::Review, true) => "latest first",
        (_, false) => "smallest first",
        (_, true) => "largest first",
    };
    html! {
        @if sorted {
            th class=(class) scope="col" aria-sort=(if q.descending { "descending" } else { "ascending" }) {
                a href=(href) { (key.heading()) span class="nhsuk-u-visually-hidden" { ", sort " (hint) } }
                " " span aria-hidden="true" { (if q.descending { "▼" } else { "▲" }) }
            }
        } @else {
            th class=(class) scope="col" {
                a href=(href) { (key.heading()) span class="nhsuk-u-visually-hidden" { ", sort " (hint) } }
            }
        }
    }
}

fn filters(team: &Team, q: &TeamQuery) -> Markup {
    html! {
        form class="tenpa-filters" method="get" action="/team" novalidate {
            @if team.may_choose {
                div class="nhsuk-form-group" {
                    label class="nhsuk-label" for="department" { "Department" }
                    select class="nhsuk-select" id="department" name="department" {
                        @for d in &team.departments {
                            option value=(d.id) selected[d.id == team.department_id] { (d.name) }
                        }
                    }
                }
            }
            div class="tenpa-inline" {
                div class="nhsuk-form-group" {
                    label class="nhsuk-label" for="status" { "Status" }
                    select class="nhsuk-select" id="status" name="status" {
                        option value="" selected[q.status.is_none()] { "Any status" }
                        @for s in tenpa_rules::job_planning::Status::ALL {
                            option value=(s.as_str()) selected[q.status == Some(s)] { (crate::web::components::status_label(s)) }
                        }
                    }
                }
                div class="nhsuk-form-group" {
                    label class="nhsuk-label" for="band" { "On-call band" }
                    select class="nhsuk-select" id="band" name="band" {
                        option value="" selected[q.band.is_none()] { "Any band" }
                        @for b in BANDS {
                            option value=(b) selected[q.band.as_deref() == Some(b)] { (band_label(b)) }
                        }
                    }
                }
                div class="nhsuk-form-group" {
                    label class="nhsuk-label" for="name" { "Name contains" }
                    input class="nhsuk-input nhsuk-input--width-20" id="name" name="name" type="text" value=(q.name) autocomplete="off";
                }
            }
            input type="hidden" name="sort" value=(q.sort.as_str());
            input type="hidden" name="dir" value=(if q.descending { "desc" } else { "asc" });
            button class="nhsuk-button nhsuk-button--secondary" type="submit" { "Apply filters" }
            @if q.filtered() {
                " "
                a class="nhsuk-link" href=(format!("/team?{}", TeamQuery { status: None, band: None, name: String::new(), ..q.clone() }.current())) { "Clear filters" }
            }
        }
    }
}

fn team_table(q: &TeamQuery, shown: &[TeamRow], all: usize, today: NaiveDate) -> Markup {
    html! {
        div class="tenpa-table-scroll" role="region" aria-labelledby="team-table-caption" tabindex="0" {
        table class="nhsuk-table tenpa-compact" id="team-table" {
            caption class="nhsuk-table__caption" id="team-table-caption" {
                "Consultants (" (shown.len()) @if shown.len() != all { " of " (all) } ")"
            }
            thead class="nhsuk-table__head" { tr class="nhsuk-table__row" {
                @for k in SortKey::ALL { (header_cell(q, k)) }
            } }
            tbody class="nhsuk-table__body" {
                @for r in shown {
                    tr class="nhsuk-table__row" {
                        th class="nhsuk-table__header" scope="row" { a href=(format!("/plans/{}", r.plan_id)) { (r.name) } }
                        td class="nhsuk-table__cell tenpa-number" data-total-pas=(pas_text(r.pas.total)) { (pas_text(r.pas.total)) }
                        td class="nhsuk-table__cell tenpa-number" { (pas_text(r.pas.dcc)) }
                        td class="nhsuk-table__cell tenpa-number" { (pas_text(r.pas.spa)) }
                        td class="nhsuk-table__cell tenpa-number" { (pas_text(r.pas.other())) }
                        td class="nhsuk-table__cell tenpa-number" { (pas_text(r.pas.extra)) }
                        td class="nhsuk-table__cell" { (band_label(&r.band)) }
                        td class="nhsuk-table__cell" { (crate::web::components::status_tag(r.status)) }
                        td class="nhsuk-table__cell tenpa-number" {
                            @match r.review_due {
                                Some(d) => {
                                    (d.format("%-d %b %Y"))
                                    @if d < today { br; strong class="nhsuk-tag nhsuk-tag--red" { "Overdue" } }
                                }
                                None => "Not set",
                            }
                        }
                        td class="nhsuk-table__cell tenpa-number" { (pounds(r.total_pay_pence)) }
                    }
                }
            }
        }
        }
    }
}

fn capacity(department: &str, rows: &[TeamRow]) -> Markup {
    let t = totals(rows);
    let cats = categories(&t);
    let bars: Vec<Bar> = cats
        .iter()
        .map(|(label, v)| Bar {
            label: label.to_string(),
            value: *v,
            shown: format!("{} PAs", pas_text(*v)),
        })
        .collect();
    let pay: i64 = rows.iter().map(|r| r.total_pay_pence).sum();
    html! {
        h2 class="nhsuk-heading-m" id="capacity" { "Department capacity by activity" }
        p class="nhsuk-body" {
            "Weekly programmed activities (PAs) of all " (rows.len()) " consultants in " (department)
            ", from each current job plan's assessment: " (pas_text(t.total)) " PAs a week in all."
        }
        div class="tenpa-chart" {
            (bar_chart("team-capacity", &format!("{department}: PAs a week by activity"),
                &format!("Summed weekly PAs of {} consultants by activity; the table below gives the same figures.", rows.len()), &bars))
        }
        (HtmlTable::new("PAs a week by activity")
            .id("capacity-table")
            .row_headers()
            .columns(&["Activity"])
            .numeric("PAs a week")
            .rows(cats.into_iter().map(|(label, v)| vec![html! { (label) }, html! { (pas_text(v)) }]))
            .rows([vec![html! { "All activities" }, html! { strong { (pas_text(t.total)) } }]]))
        p class="nhsuk-body" { "Their pay comes to " (pounds(pay)) " a year." }
    }
}

/// `GET /team`.
pub async fn show(
    State(state): State<AppState>,
    u: WebUser,
    RawQuery(raw): RawQuery,
) -> PageResult<Markup> {
    let q = TeamQuery::parse(raw.as_deref())?;
    let team = load(&state, &u, &q).await?;
    let shown = select(&team.rows, &q);
    let title = format!("{} team", team.department);
    let current = q.current();
    Ok(layout(
        &u,
        &title,
        html! {
            h1 class="nhsuk-heading-l" { (title) }
            p class="nhsuk-body-l" { "The job plans of the consultants in " (team.department) ": their programmed activities, on-call, status, next review and pay." }
            h2 class="nhsuk-heading-m" { "Find consultants" }
            (filters(&team, &q))
            @if shown.is_empty() {
                p class="nhsuk-body" id="team-empty" { "No consultants match these filters." }
            }
            (team_table(&q, &shown, team.rows.len(), crate::uk_time::today()))
            ul class="nhsuk-list" {
                li { a href=(format!("/team.csv?{current}")) download { "Download these consultants as a CSV file" } }
                li { a href=(format!("/team.xlsx?{current}")) download { "Download these consultants as an Excel spreadsheet (XLSX)" } }
            }
            (capacity(&team.department, &team.rows))
        },
    ))
}
