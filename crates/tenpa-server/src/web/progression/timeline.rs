//! A consultant's pay progression timeline page.

use super::career::{career_document, Built, ReviewYear};
use crate::service::criteria::Records;
use crate::web::chart::{step_chart, Point};
use crate::web::components::{long_date, summary_row, summary_rows, HtmlTable};
use crate::web::objectives::visible_consultant;
use crate::web::page::{layout_back, pounds, sentence, urlencode, PageResult, WebUser};
use crate::AppState;
use axum::extract::{Path, State};
use maud::{html, Markup};
use rust_decimal::prelude::ToPrimitive;
use rust_decimal::Decimal;
use tenpa_rules::progression::{Career, EventKind};
use tenpa_rules::{timeline, Money};
use tenpa_store::Scope;

/// Whole pounds for the chart's axis: "£75,000".
pub(super) fn axis_pounds(d: Decimal) -> String {
    let p = pounds((d * Decimal::from(100)).round().to_i64().unwrap_or(0));
    p.strip_suffix(".00").map_or(p.clone(), str::to_string)
}

fn money(m: Money) -> String {
    pounds(m.pence())
}

fn kind_label(k: EventKind) -> &'static str {
    match k {
        EventKind::Start => "Start",
        EventKind::Transfer => "Transfer to the contract",
        EventKind::Threshold => "Threshold reached",
        EventKind::Deferred => "Threshold deferred",
    }
}

/// `GET /consultants/{id}/timeline`.
pub async fn timeline_page(
    State(state): State<AppState>,
    Path(id): Path<String>,
    u: WebUser,
) -> PageResult<Markup> {
    let c = visible_consultant(&state, &u, &id).await?;
    let scope = Scope::Consultant(c.id.clone());
    let own = u.user.consultant_id.as_deref() == Some(c.id.as_str());
    let title = if own {
        "Your pay progression timeline".to_string()
    } else {
        format!("Pay progression timeline: {}", c.name)
    };
    let back = format!("/objectives?consultant={}", urlencode(&c.id));
    let plan = match state.store.job_plans(&scope).await?.first() {
        Some(p) => state.store.job_plan(p.id).await?,
        None => None,
    };
    let reviews = state.store.reviews(&scope).await?;
    let mut cases = vec![];
    for k in state.store.progression_cases(&scope).await? {
        if let Some(found) = state.store.progression_case(k.id).await? {
            cases.push(found);
        }
    }
    let records = Records::load(&state, &c.id).await?;
    let judged = reviews
        .iter()
        .map(|r| records.judge(r, &state.params))
        .collect::<Result<Vec<_>, _>>()?;
    let years: Vec<ReviewYear> = reviews
        .iter()
        .zip(&judged)
        .map(|(r, criteria)| ReviewYear {
            review: r,
            case: cases.iter().find(|(k, _)| k.review_id == r.id),
            criteria: Some(criteria),
        })
        .collect();
    let built = match &plan {
        Some(p) => career_document(&p.document, &years, &state.params),
        None => Err("there is no job plan on record for this consultant, so there is no [consultant] table to start from".into()),
    };
    let result = built.and_then(|b| {
        timeline(&b.document, &state.params, None)
            .map(|career| (b, career))
            .map_err(|e| e.to_string())
    });
    let body = html! {
        h1 class="nhsuk-heading-l" { (title) }
        @match &result {
            Err(why) => {
                div class="nhsuk-warning-callout" {
                    h2 class="nhsuk-warning-callout__label" { span role="text" { span class="nhsuk-u-visually-hidden" { "Important: " } "The timeline cannot be drawn" } }
                    p { (sentence(why)) }
                }
            }
            Ok((built, career)) => (timeline_body(built, career)),
        }
        p class="nhsuk-body" { a href=(format!("/consultants/{}/awards", urlencode(&c.id))) { "See the awards and premia" } }
        p class="nhsuk-body" { a href=(format!("/consultants/{}/private-practice", urlencode(&c.id))) { "See the private practice disclosures" } }
        p class="nhsuk-body" { a href=(back) { "See the objectives and reviews" } }
    };
    Ok(layout_back(
        &u,
        &title,
        (&back, "Back to objectives and reviews"),
        body,
    ))
}

fn timeline_body(built: &Built, career: &Career) -> Markup {
    let points: Vec<Point> = career
        .events
        .iter()
        .map(|e| Point {
            date: e.date,
            value: e.salary.pounds(),
            label: axis_pounds(e.salary.pounds()),
        })
        .collect();
    let basis = if career.starts.basis == "transfer" {
        "The transfer to the contract"
    } else {
        "First appointment"
    };
    let recorded: Vec<_> = career.years.iter().filter(|y| !y.projected).collect();
    html! {
        (summary_rows(html! {
            (summary_row("Thresholds fall on anniversaries of", html! { (basis) ", " (long_date(&career.starts.date.to_string())) " (C 4.6)" }))
            (summary_row("Years recorded to", html! { @match career.projection.last_recorded_year_ending { Some(d) => { (long_date(&d.to_string())) ", later years are projected as satisfactory" } None => { "No year recorded: every year is projected as satisfactory" } } }))
            (summary_row("Top of the scale", html! { (money(career.projection.top_value_2002_03)) " at 2002/03 levels; "
                @match career.projection.top_reached_on {
                    Some(d) => { "reached on " (long_date(&d.to_string())) @if career.projection.top_reached_by_projection { " (projected)" } }
                    None => "not reached in the timeline",
                } }))
        }))
        @if !built.notes.is_empty() || !built.not_recorded.is_empty() {
            div class="nhsuk-inset-text" {
                span class="nhsuk-u-visually-hidden" { "Information: " }
                p { "How the records became this timeline:" }
                ul {
                    @if !built.not_recorded.is_empty() {
                        li { (built.not_recorded.len()) " earlier year" @if built.not_recorded.len() != 1 { "s have" } @else { " has" } " no annual review on record: " @if built.not_recorded.len() != 1 { "their criteria are" } @else { "its criteria are" } " not recorded, so " @if built.not_recorded.len() != 1 { "they do" } @else { "it does" } " not count towards a threshold (progression is not automatic)." }
                    }
                    @for n in &built.notes { li { (n) } }
                    li { "The starting point is the start of the scale (PP-2) or, after a transfer, the point TR-1 gives." }
                }
            }
        }
        div class="tenpa-chart" {
            (step_chart("timeline-chart", "Full-time salary over time", "The full-time basic salary of the pay point held from each event: start or transfer, then each threshold; the table below gives the same figures.", &points, axis_pounds))
        }
        (HtmlTable::new("Events of the timeline")
            .row_headers()
            .columns(&["Date", "Event"])
            .numeric("Point (2002/03 value)")
            .numeric("Full-time salary")
            .columns(&["Satisfactory years", "Rule"])
            .rows(career.events.iter().map(|e| vec![
                html! { (long_date(&e.date.to_string())) },
                html! {
                    (kind_label(e.kind))
                    @if e.projected { " (projected)" }
                    @if !e.reason.is_empty() { br; span class="nhsuk-body-s" { (e.reason) } }
                    @for d in &e.discretion { br; span class="nhsuk-body-s" { "Allowed by the employer's discretion (PP-2): " (d) } }
                },
                html! { (money(e.point_value_2002_03)) },
                html! { (money(e.salary)) " in " (e.pay_year) },
                html! {
                    @match e.kind {
                        EventKind::Threshold => { (e.satisfactory_years_counted) " of " (e.years_required) }
                        EventKind::Deferred => { "Deferred " (e.deferred_years) " year" @if e.deferred_years != 1 { "s" } }
                        _ => "None needed",
                    }
                },
                html! { (e.rule) },
            ])))
        h2 class="nhsuk-heading-m" { "Years recorded" }
        @if recorded.is_empty() {
            p class="nhsuk-body" { "No job plan year is recorded yet." }
        } @else {
            (HtmlTable::new("Job plan years and whether each counted (PP-1)")
                .row_headers()
                .columns(&["Year ending", "Satisfactory", "Counted", "Why"])
                .rows(recorded.iter().map(|y| vec![
                    html! { (long_date(&y.ending.to_string())) },
                    html! { @if y.satisfactory { "Yes" } @else { "No" } },
                    html! { @if y.counted { "Yes" } @else { "No" } },
                    html! {
                        @if built.not_recorded.contains(&y.ending) { "No review on record: criteria not recorded. " }
                        (y.reason)
                        @if !y.employer_discretion.is_empty() { " Counted by the employer's discretion: " (y.employer_discretion) }
                        @if let Some(a) = &y.appeal { " Appeal lodged " (long_date(&a.lodged.to_string())) ": " (a.outcome) "." }
                    },
                ])))
        }
        @if !career.findings.is_empty() {
            h2 class="nhsuk-heading-m" { "Findings" }
            ul class="nhsuk-list nhsuk-list--bullet" {
                @for f in &career.findings {
                    li { strong { (f.rule) } " (" (f.citation) "): " (f.message) }
                }
            }
        }
    }
}
