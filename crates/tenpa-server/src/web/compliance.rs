//! The job-plan sign-off measure (JP-1): the trust's (or a department's) share of consultants whose
//! plan was signed off by both sides within the review interval, by department and specialty, the
//! list of who is not signed off and why, the CSV of every consultant's standing, and the monthly
//! snapshots, each shown again exactly as stored with whether its hash still holds. On the path
//! the API and `tenpa snapshot` share ([`crate::service::compliance`]).

use super::objectives::query;
use super::page::FormData;
use super::page::{csrf_field, layout, see_other, Form, PageResult, WebError, WebUser};
use crate::download::{download, XLSX};
use crate::export::{csv, xlsx, Cell, Table};
use crate::service::compliance::{
    self, ComplianceReport, ConsultantStanding, GroupShare, SnapshotSummary,
};
use crate::web::chart::{step_chart, Point};
use crate::web::components::{day, success_banner, summary_row, summary_rows, when, HtmlTable};
use crate::AppState;
use axum::extract::{Path, RawQuery, State};
use axum::response::Response;
use chrono::NaiveDate;
use maud::{html, Markup, Render};
use rust_decimal::Decimal;
use std::str::FromStr;
use tenpa_rules::job_planning::Role;

/// Why a consultant is not signed off, in words.
fn why(c: &ConsultantStanding, interval: u32) -> String {
    match (c.standing.as_str(), c.last_signed_off) {
        ("never_signed", _) => "No job plan of theirs has been signed off".into(),
        ("expired", Some(d)) => format!(
            "Last signed off on {}, more than {interval} months ago",
            day(d)
        ),
        ("in_dispute", Some(d)) => format!(
            "Their job plan is in dispute (not agreed, referred or at appeal); last signed off on {}",
            day(d)
        ),
        ("in_dispute", None) => {
            "Their job plan is in dispute (not agreed, referred or at appeal)".into()
        }
        ("not_yet_counted", _) => "Started this month or later: not yet counted".into(),
        ("signed_off", Some(d)) => format!("Signed off on {}", day(d)),
        (s, _) => s.into(),
    }
}

fn share_table(caption: &str, id: &str, groups: &[GroupShare], link: bool) -> Markup {
    HtmlTable::new(caption)
        .id(id)
        .columns(&["Name"])
        .numeric("Consultants counted")
        .numeric("Signed off")
        .numeric("Share")
        .rows(groups.iter().map(|g| {
            vec![
                match (link, g.department_id) {
                    (true, Some(d)) => {
                        html! { a href=(format!("/compliance?department_id={d}")) { (g.name) } }
                    }
                    _ => html! { (g.name) },
                },
                html! { (g.share.counted) },
                html! { (g.share.signed_off) },
                html! { (g.share.percent) @if g.share.percent != "-" { "%" } },
            ]
        }))
        .render()
}

/// The figures and lists of a report; `link` makes department names links to their own report.
fn report_body(r: &ComplianceReport, link: bool) -> Markup {
    let missing: Vec<&ConsultantStanding> = r
        .consultants
        .iter()
        .filter(|c| c.counted() && !c.signed_off())
        .collect();
    let waiting: Vec<&ConsultantStanding> = r.consultants.iter().filter(|c| !c.counted()).collect();
    html! {
        div class="nhsuk-card" id="compliance-total" {
            div class="nhsuk-card__content" {
                p class="nhsuk-heading-xl nhsuk-u-margin-bottom-2" { (r.total.percent) @if r.total.percent != "-" { "%" } }
                p class="nhsuk-body" {
                    (r.total.signed_off) " of " (r.total.counted) " consultants had a job plan signed off by both sides within the "
                    (r.interval_months) " months to " (day(r.on)) "."
                }
            }
        }
        @if r.department_id.is_none() {
            (share_table("By department", "compliance-departments", &r.departments, link))
        }
        (share_table("By specialty", "compliance-specialties", &r.specialties, false))
        h2 class="nhsuk-heading-m" id="not-signed-off" { "Not signed off (" (missing.len()) ")" }
        @if missing.is_empty() {
            p class="nhsuk-body" { "Every consultant counted has a job plan signed off within the interval." }
        } @else {
            (HtmlTable::new(html! { "Consultants without a job plan signed off within " (r.interval_months) " months" })
                .id("compliance-missing")
                .columns(&["Consultant", "Department", "Why"])
                .numeric("Review due")
                .rows(missing.iter().map(|c| vec![
                    match c.plan_id {
                        Some(p) => html! { a href=(format!("/plans/{p}")) { (c.name) } },
                        None => html! { (c.name) },
                    },
                    html! { (c.department) },
                    html! { (why(c, r.interval_months)) },
                    html! { @if let Some(d) = c.review_due { (day(d)) } },
                ])))
        }
        @if !waiting.is_empty() {
            details class="nhsuk-details" {
                summary class="nhsuk-details__summary" { span class="nhsuk-details__summary-text" { "Not yet counted (" (waiting.len()) ")" } }
                div class="nhsuk-details__text" {
                    ul { @for c in &waiting { li { (c.name) ", " (c.department) ": " (why(c, r.interval_months)) } } }
                }
            }
        }
    }
}

/// The report's lines as a table for CSV.
fn lines_table(r: &ComplianceReport) -> Table {
    Table {
        title: format!("Job plans signed off on {}", r.on),
        columns: [
            "Consultant id",
            "Consultant",
            "Department",
            "Specialty",
            "Standing",
            "Last signed off",
            "Review due",
        ]
        .map(String::from)
        .to_vec(),
        rows: r
            .consultants
            .iter()
            .map(|c| {
                vec![
                    Cell::Text(c.consultant_id.clone()),
                    Cell::Text(c.name.clone()),
                    Cell::Text(c.department.clone()),
                    Cell::Text(c.specialty.clone()),
                    Cell::Text(c.standing.clone()),
                    c.last_signed_off.map_or(Cell::Empty, Cell::Date),
                    c.review_due.map_or(Cell::Empty, Cell::Date),
                ]
            })
            .collect(),
    }
}

/// The department a user's report is of by default: a clinical director's own, unless they also
/// read the trust's.
fn scope(u: &WebUser, asked: Option<i64>) -> Option<i64> {
    asked.or_else(|| {
        (!crate::policy::may_read_compliance(&u.user, None) && u.user.has(Role::ClinicalDirector))
            .then_some(u.user.department_id)
            .flatten()
    })
}

fn department_asked(q: &FormData) -> PageResult<Option<i64>> {
    match q.get("department_id") {
        "" => Ok(None),
        d => d.parse().map(Some).map_err(|_| {
            WebError::BadRequest(format!(
                "department_id: found {d:?}, expected the id of a department"
            ))
        }),
    }
}

fn snapshots_table(list: &[SnapshotSummary]) -> Markup {
    HtmlTable::new("Snapshots, the latest first")
        .id("compliance-snapshots")
        .columns(&["Month", "Taken"])
        .numeric("Share")
        .columns(&["Hash"])
        .rows(list.iter().map(|s| {
            vec![
                html! { a href=(format!("/compliance/snapshots/{}", s.id)) { (s.month) } },
                html! { (when(&s.taken_at)) " by " (s.taken_by) },
                html! { @if let Some(t) = &s.total { (t.percent) "% (" (t.signed_off) " of " (t.counted) ")" } },
                html! {
                    @if s.intact { strong class="nhsuk-tag nhsuk-tag--green" { "Intact" } }
                    @else { strong class="nhsuk-tag nhsuk-tag--red" { "Changed since stored" } }
                },
            ]
        }))
        .render()
}

/// Today's measure of the department the query names (or the user's by default), with it.
async fn today_for(
    state: &AppState,
    u: &WebUser,
    q: &FormData,
) -> PageResult<(Option<i64>, ComplianceReport)> {
    let department = scope(u, department_asked(q)?);
    let r = compliance::report_for(
        &state.store,
        &state.params,
        &u.user,
        compliance::today(),
        department,
    )
    .await?;
    Ok((department, r))
}

/// `GET /compliance[?department_id=]`.
pub async fn show(
    State(state): State<AppState>,
    u: WebUser,
    RawQuery(q): RawQuery,
) -> PageResult<Markup> {
    let q = query(q);
    let (department, r) = today_for(&state, &u, &q).await?;
    let trust = crate::policy::may_read_compliance(&u.user, None);
    let snapshots = if trust && department.is_none() {
        Some(compliance::snapshots(&state.store, &u.user).await?)
    } else {
        None
    };
    let title = match (department, r.departments.first()) {
        (Some(_), Some(d)) => format!("Job plans signed off: {}", d.name),
        _ => "Job plans signed off".to_string(),
    };
    let banner = match (q.get("done"), q.get("month")) {
        ("made", m) => Some(success_banner(
            &format!("The snapshot of {m} has been stored."),
            html! {},
        )),
        ("stored", m) => Some(success_banner(
            &format!("{m} had a snapshot already: nothing was stored."),
            html! {},
        )),
        _ => None,
    };
    let csv_link = match department {
        Some(d) => format!("/compliance.csv?department_id={d}"),
        None => "/compliance.csv".into(),
    };
    let body = html! {
        @if let Some(b) = banner { (b) }
        h1 class="nhsuk-heading-l" { (title) }
        p class="nhsuk-body" {
            "A consultant counts as signed off when a job plan of theirs was signed off by both sides (agreed by the consultant and signed off by their clinical director and the medical director) within the last "
            (r.interval_months) " months, and their current plan is not in dispute. Consultants who start in the month are counted from the next. The next review falls due "
            (r.interval_months) " months after the last sign-off or annual review, whichever is later; an interim review does not move it (A 9.1)."
        }
        @if department.is_some() && trust {
            p class="nhsuk-body" { a href="/compliance" { "See the whole trust" } }
        }
        (report_body(&r, trust))
        p class="nhsuk-body" {
            "Download every consultant's standing: "
            a href=(csv_link) { "CSV" } " or " a href=(csv_link.replacen(".csv", ".xlsx", 1)) { "a workbook" }
        }
        @if let Some(list) = &snapshots {
            h2 class="nhsuk-heading-m" id="snapshots" { "Monthly snapshots" }
            p class="nhsuk-body" { "A snapshot keeps the month's figures and the list behind them exactly as they were, so a figure given to the board can be shown again later. Each is chained to the one before by its hash: a snapshot changed after it was stored shows as changed." }
            @if !list.chain_intact {
                div class="nhsuk-error-summary" role="alert" {
                    h2 class="nhsuk-error-summary__title" { "A stored snapshot has been changed" }
                    div class="nhsuk-error-summary__body" { p { "Its figures can no longer be relied on; the snapshots marked below do not match their hashes." } }
                }
            }
            @if list.snapshots.is_empty() {
                p class="nhsuk-body" id="no-snapshots" { "No snapshot has been taken yet." }
            } @else {
                (trend_chart(&list.snapshots))
                (snapshots_table(&list.snapshots))
                p class="nhsuk-body" { a href="/compliance/snapshots.csv" { "Download the monthly figures (CSV)" } }
            }
            @if crate::policy::may_take_snapshots(&u.user) {
                form method="post" action="/compliance/snapshots" novalidate {
                    (csrf_field(&u))
                    button class="nhsuk-button nhsuk-button--secondary" type="submit" { "Take this month's snapshot" }
                }
            }
        }
    };
    Ok(layout(&u, &title, body))
}

/// `GET /compliance.csv[?department_id=]`: every consultant's standing.
pub async fn download_csv(
    State(state): State<AppState>,
    u: WebUser,
    RawQuery(q): RawQuery,
) -> PageResult<Response> {
    let (_, r) = today_for(&state, &u, &query(q)).await?;
    Ok(download(
        "text/csv; charset=utf-8",
        &format!("job-plans-signed-off-{}.csv", r.on),
        csv(&lines_table(&r)),
    ))
}

/// `GET /compliance.xlsx[?department_id=]`: every consultant's standing, as a workbook.
pub async fn download_xlsx(
    State(state): State<AppState>,
    u: WebUser,
    RawQuery(q): RawQuery,
) -> PageResult<Response> {
    let (_, r) = today_for(&state, &u, &query(q)).await?;
    let bytes = xlsx(&lines_table(&r))
        .map_err(|e| WebError::Internal(format!("compliance workbook: {e}")))?;
    Ok(download(
        XLSX,
        &format!("job-plans-signed-off-{}.xlsx", r.on),
        bytes,
    ))
}

/// The snapshots as a table: one month a row, the oldest first.
fn trend_table(list: &[SnapshotSummary]) -> Table {
    Table {
        title: "Job plans signed off, month by month".into(),
        columns: [
            "Month",
            "Figures of",
            "Consultants counted",
            "Signed off",
            "Share (%)",
            "Intact",
            "SHA-256",
        ]
        .map(String::from)
        .to_vec(),
        rows: list
            .iter()
            .rev()
            .map(|s| {
                let t = s.total.as_ref();
                vec![
                    Cell::Text(s.month.clone()),
                    Cell::Text(s.taken_on.clone()),
                    t.map_or(Cell::Empty, |t| Cell::Integer(i64::from(t.counted))),
                    t.map_or(Cell::Empty, |t| Cell::Integer(i64::from(t.signed_off))),
                    t.map_or(Cell::Empty, |t| Cell::Text(t.percent.clone())),
                    Cell::Text(if s.intact { "yes" } else { "no" }.into()),
                    Cell::Text(s.sha256.clone()),
                ]
            })
            .collect(),
    }
}

/// `GET /compliance/snapshots.csv`: the monthly figures as stored, the oldest first.
pub async fn snapshots_csv(State(state): State<AppState>, u: WebUser) -> PageResult<Response> {
    let list = compliance::snapshots(&state.store, &u.user).await?;
    Ok(download(
        "text/csv; charset=utf-8",
        "job-plans-signed-off-by-month.csv",
        csv(&trend_table(&list.snapshots)),
    ))
}

/// The monthly figures as a line over time, drawn by the server.
fn trend_chart(list: &[SnapshotSummary]) -> Markup {
    let points: Vec<Point> = list
        .iter()
        .filter_map(|s| {
            let t = s.total.as_ref()?;
            let value = Decimal::from_str(&t.percent).ok()?;
            let date = NaiveDate::parse_from_str(&s.taken_on, "%Y-%m-%d").ok()?;
            Some(Point {
                date,
                value,
                label: format!("{}%", t.percent),
            })
        })
        .collect();
    step_chart(
        "compliance-trend",
        "Job plans signed off within 12 months, month by month",
        "The trust's share of consultants with a job plan signed off by both sides within 12 months, as each monthly snapshot stored it.",
        &points,
        |d| format!("{d}%"),
    )
}

/// `POST /compliance/snapshots`: takes this month's snapshot.
pub async fn take(State(state): State<AppState>, Form(u, _): Form) -> PageResult<Response> {
    let t = compliance::take(&state.store, &state.params, &u.user, compliance::today()).await?;
    let done = if t.made { "made" } else { "stored" };
    Ok(see_other(&format!(
        "/compliance?done={done}&month={}#snapshots",
        t.snapshot.summary.month
    )))
}

/// `GET /compliance/snapshots/{id}`: a snapshot exactly as stored.
pub async fn snapshot(
    State(state): State<AppState>,
    u: WebUser,
    Path(id): Path<i64>,
) -> PageResult<Markup> {
    let s = compliance::snapshot(&state.store, &u.user, id).await?;
    let m = &s.summary;
    let title = format!("Snapshot of {}", m.month);
    let body = html! {
        h1 class="nhsuk-heading-l" { (title) }
        @if m.intact {
            p class="nhsuk-body" id="snapshot-intact" {
                strong class="nhsuk-tag nhsuk-tag--green" { "Intact" }
                " The figures below are as stored on " (when(&m.taken_at)) " by " (m.taken_by) ", of " (m.taken_on) "."
            }
        } @else {
            div class="nhsuk-error-summary" role="alert" id="snapshot-changed" {
                h2 class="nhsuk-error-summary__title" { "This snapshot has been changed since it was stored" }
                div class="nhsuk-error-summary__body" { p { "Its stored body no longer matches its hash, or its link to the snapshot before is broken: its figures cannot be relied on." } }
            }
        }
        (summary_rows(html! {
            (summary_row("SHA-256", html! { code { (m.sha256) } }))
            (summary_row("Previous snapshot's SHA-256", html! { code { (m.previous_sha256) } }))
        }))
        @if let Some(r) = &s.report { (report_body(r, false)) }
        p class="nhsuk-body" { a href="/compliance#snapshots" { "Back to the measure" } }
    };
    Ok(layout(&u, &title, body))
}
