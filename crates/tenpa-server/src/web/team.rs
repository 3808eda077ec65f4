//! The clinical director's team view (`/team`): the department's consultants with their PAs by
//! category, on-call band, workflow state, next review and pay; sorted and filtered by query
//! parameters (no JavaScript), with the department's capacity by activity and CSV/XLSX downloads
//! of the same rows.

use crate::policy::job_plan_scope;
use crate::web::chart::{bar_chart, Bar};
use crate::web::export::{self, Cell, Table};
use crate::web::home::next_review;
use crate::web::page::{layout, pounds, urlencode, PageResult, WebError, WebUser};
use crate::AppState;
use axum::body::Body;
use axum::extract::{RawQuery, State};
use axum::http::header;
use axum::response::{IntoResponse, Response};
use chrono::NaiveDate;
use maud::{html, Markup};
use rust_decimal::Decimal;
use serde_json::Value;
use std::cmp::Ordering;
use std::collections::HashMap;
use std::str::FromStr;
use tenpa_rules::job_planning::Role;
use tenpa_store::{JobPlanRecord, Review, Scope};

/// Workflow states in the order of the workflow.
pub const STATUSES: [&str; 8] = [
    "draft",
    "proposed",
    "agreed",
    "cd_signed_off",
    "signed_off",
    "not_agreed",
    "referred",
    "appeal",
];

/// On-call bands of the assessment (OC-4), highest first.
pub const BANDS: [&str; 4] = ["high", "medium", "low", "none"];

/// An on-call band in plain words.
pub fn band_label(band: &str) -> &'static str {
    match band {
        "high" => "High frequency",
        "medium" => "Medium frequency",
        "low" => "Low frequency",
        "none" => "Not on call",
        _ => "Unknown",
    }
}

pub use tenpa_rules::money::parse_pence as pence;

/// A number of the assessment at `pointer` as an exact decimal; 0 when absent.
pub fn number(v: &Value, pointer: &str) -> Decimal {
    match v.pointer(pointer) {
        Some(Value::Number(n)) => {
            let t = n.to_string();
            Decimal::from_str(&t)
                .or_else(|_| Decimal::from_scientific(&t))
                .unwrap_or_default()
        }
        Some(Value::String(t)) => Decimal::from_str(t).unwrap_or_default(),
        _ => Decimal::ZERO,
    }
}

/// Weekly PAs by category.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Pas {
    /// Direct clinical care.
    pub dcc: Decimal,
    /// Supporting professional activities.
    pub spa: Decimal,
    /// Additional NHS responsibilities.
    pub additional: Decimal,
    /// External duties.
    pub external: Decimal,
    /// On-call (predictable and unpredictable emergency work).
    pub on_call: Decimal,
    /// Extra PAs.
    pub extra: Decimal,
    /// All of them.
    pub total: Decimal,
}

impl Pas {
    /// The PAs of an assessment (`pas`).
    pub fn of(assessment: &Value) -> Pas {
        Pas {
            dcc: number(assessment, "/pas/dcc"),
            spa: number(assessment, "/pas/spa"),
            additional: number(assessment, "/pas/additional_responsibility"),
            external: number(assessment, "/pas/external_duty"),
            on_call: number(assessment, "/pas/on_call"),
            extra: number(assessment, "/pas/extra"),
            total: number(assessment, "/pas/total"),
        }
    }

    /// Additional responsibilities and external duties together.
    pub fn other(&self) -> Decimal {
        self.additional + self.external
    }

    fn add(&mut self, o: &Pas) {
        self.dcc += o.dcc;
        self.spa += o.spa;
        self.additional += o.additional;
        self.external += o.external;
        self.on_call += o.on_call;
        self.extra += o.extra;
        self.total += o.total;
    }
}

/// One consultant's row: their latest plan's current version.
#[derive(Debug, Clone, PartialEq)]
pub struct TeamRow {
    /// The plan.
    pub plan_id: i64,
    /// The consultant.
    pub consultant_id: String,
    /// Their name.
    pub name: String,
    /// Department name.
    pub department: String,
    /// PAs.
    pub pas: Pas,
    /// On-call band (`high`, `medium`, `low`, `none`).
    pub band: String,
    /// Workflow state.
    pub status: String,
    /// When the next review is due.
    pub review_due: Option<NaiveDate>,
    /// Total pay a year, pence.
    pub total_pay_pence: i64,
}

/// Each consultant's latest plan (the highest id), in the order given.
pub fn latest_per_consultant(plans: &[JobPlanRecord]) -> Vec<&JobPlanRecord> {
    let mut latest: HashMap<&str, i64> = HashMap::new();
    for p in plans {
        let e = latest
            .entry(p.summary.consultant_id.as_str())
            .or_insert(p.summary.id);
        *e = (*e).max(p.summary.id);
    }
    plans
        .iter()
        .filter(|p| latest.get(p.summary.consultant_id.as_str()) == Some(&p.summary.id))
        .collect()
}

/// The rows of `plans` (one per consultant), with next reviews from `reviews`.
pub fn rows(plans: &[JobPlanRecord], reviews: &[Review]) -> Vec<TeamRow> {
    let mut by_consultant: HashMap<&str, Vec<Review>> = HashMap::new();
    for r in reviews {
        by_consultant
            .entry(r.consultant_id.as_str())
            .or_default()
            .push(r.clone());
    }
    latest_per_consultant(plans)
        .into_iter()
        .map(|p| {
            let s = &p.summary;
            let effective = p
                .document
                .pointer("/job_plan/effective_from")
                .and_then(Value::as_str);
            let theirs = by_consultant
                .get(s.consultant_id.as_str())
                .map(Vec::as_slice)
                .unwrap_or(&[]);
            TeamRow {
                plan_id: s.id,
                consultant_id: s.consultant_id.clone(),
                name: s.consultant_name.clone(),
                department: s.department.clone(),
                pas: Pas::of(&p.assessment),
                band: p
                    .assessment
                    .pointer("/on_call/band")
                    .and_then(Value::as_str)
                    .unwrap_or("none")
                    .to_string(),
                status: s.status.to_string(),
                review_due: next_review(theirs, effective),
                total_pay_pence: s.total_pay_pence,
            }
        })
        .collect()
}

/// A column the table sorts by.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SortKey {
    /// Consultant's name.
    Name,
    /// Total PAs.
    Total,
    /// DCC PAs.
    Dcc,
    /// SPA PAs.
    Spa,
    /// Additional responsibilities and external duties.
    Other,
    /// Extra PAs.
    Extra,
    /// On-call band.
    Band,
    /// Workflow state.
    Status,
    /// Review due date.
    Review,
    /// Total pay.
    Pay,
}

impl SortKey {
    /// Every column, in table order.
    pub const ALL: [SortKey; 10] = [
        SortKey::Name,
        SortKey::Total,
        SortKey::Dcc,
        SortKey::Spa,
        SortKey::Other,
        SortKey::Extra,
        SortKey::Band,
        SortKey::Status,
        SortKey::Review,
        SortKey::Pay,
    ];

    /// The query value.
    pub fn as_str(self) -> &'static str {
        match self {
            SortKey::Name => "name",
            SortKey::Total => "total",
            SortKey::Dcc => "dcc",
            SortKey::Spa => "spa",
            SortKey::Other => "other",
            SortKey::Extra => "extra",
            SortKey::Band => "band",
            SortKey::Status => "status",
            SortKey::Review => "review",
            SortKey::Pay => "pay",
        }
    }

    /// The column's heading.
    pub fn heading(self) -> &'static str {
        match self {
            SortKey::Name => "Consultant",
            SortKey::Total => "Total PAs",
            SortKey::Dcc => "DCC PAs",
            SortKey::Spa => "SPA PAs",
            SortKey::Other => "Additional and external PAs",
            SortKey::Extra => "Extra PAs",
            SortKey::Band => "On-call band",
            SortKey::Status => "Status",
            SortKey::Review => "Review due",
            SortKey::Pay => "Total pay",
        }
    }

    fn parse(s: &str) -> Option<SortKey> {
        SortKey::ALL.into_iter().find(|k| k.as_str() == s)
    }

    fn numeric(self) -> bool {
        !matches!(self, SortKey::Name | SortKey::Band | SortKey::Status)
    }
}

/// What the query asks for: department, sorting and filters.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TeamQuery {
    /// A department chosen by the medical director or medical staffing.
    pub department: Option<i64>,
    /// The column sorted by.
    pub sort: SortKey,
    /// Largest first.
    pub descending: bool,
    /// Only this workflow state.
    pub status: Option<String>,
    /// Only this on-call band.
    pub band: Option<String>,
    /// Only names containing this (any case).
    pub name: String,
}

impl Default for TeamQuery {
    fn default() -> Self {
        TeamQuery {
            department: None,
            sort: SortKey::Name,
            descending: false,
            status: None,
            band: None,
            name: String::new(),
        }
    }
}

impl TeamQuery {
    /// Reads a query string; unknown values are a clear error naming the parameter.
    pub fn parse(raw: Option<&str>) -> Result<TeamQuery, WebError> {
        let pairs: Vec<(String, String)> = serde_urlencoded::from_str(raw.unwrap_or(""))
            .map_err(|e| WebError::BadRequest(format!("the address cannot be read: {e}")))?;
        let mut q = TeamQuery::default();
        for (k, v) in pairs {
            let v = v.trim();
            match k.as_str() {
                "department" if !v.is_empty() => {
                    q.department = Some(v.parse().map_err(|_| {
                        WebError::BadRequest(format!(
                            "department: found {v:?}, expected a department number"
                        ))
                    })?)
                }
                "sort" if !v.is_empty() => {
                    q.sort = SortKey::parse(v).ok_or_else(|| {
                        WebError::BadRequest(format!("sort: {v:?} is not a column of the table"))
                    })?
                }
                "dir" => match v {
                    "" | "asc" => q.descending = false,
                    "desc" => q.descending = true,
                    _ => {
                        return Err(WebError::BadRequest(format!(
                            "dir: found {v:?}, expected asc or desc"
                        )))
                    }
                },
                "status" if !v.is_empty() => {
                    if !STATUSES.contains(&v) {
                        return Err(WebError::BadRequest(format!(
                            "status: {v:?} is not a workflow state"
                        )));
                    }
                    q.status = Some(v.to_string());
                }
                "band" if !v.is_empty() => {
                    if !BANDS.contains(&v) {
                        return Err(WebError::BadRequest(format!(
                            "band: {v:?} is not an on-call band"
                        )));
                    }
                    q.band = Some(v.to_string());
                }
                "name" => q.name = v.to_string(),
                _ => {}
            }
        }
        Ok(q)
    }

    /// The query string of this query with `sort` and `descending` replaced (no leading `?`).
    pub fn to_query(&self, sort: SortKey, descending: bool) -> String {
        let mut parts = vec![];
        if let Some(d) = self.department {
            parts.push(format!("department={d}"));
        }
        if let Some(s) = &self.status {
            parts.push(format!("status={}", urlencode(s)));
        }
        if let Some(b) = &self.band {
            parts.push(format!("band={}", urlencode(b)));
        }
        if !self.name.is_empty() {
            parts.push(format!("name={}", urlencode(&self.name)));
        }
        parts.push(format!("sort={}", sort.as_str()));
        parts.push(format!("dir={}", if descending { "desc" } else { "asc" }));
        parts.join("&")
    }

    fn current(&self) -> String {
        self.to_query(self.sort, self.descending)
    }

    fn filtered(&self) -> bool {
        self.status.is_some() || self.band.is_some() || !self.name.is_empty()
    }
}

fn compare(a: &TeamRow, b: &TeamRow, key: SortKey) -> Ordering {
    let band_rank = |r: &TeamRow| {
        BANDS
            .iter()
            .position(|b| *b == r.band)
            .unwrap_or(BANDS.len())
    };
    let status_rank = |r: &TeamRow| {
        STATUSES
            .iter()
            .position(|s| *s == r.status)
            .unwrap_or(STATUSES.len())
    };
    match key {
        SortKey::Name => surname_key(&a.name).cmp(&surname_key(&b.name)),
        SortKey::Total => a.pas.total.cmp(&b.pas.total),
        SortKey::Dcc => a.pas.dcc.cmp(&b.pas.dcc),
        SortKey::Spa => a.pas.spa.cmp(&b.pas.spa),
        SortKey::Other => a.pas.other().cmp(&b.pas.other()),
        SortKey::Extra => a.pas.extra.cmp(&b.pas.extra),
        SortKey::Band => band_rank(a).cmp(&band_rank(b)),
        SortKey::Status => status_rank(a).cmp(&status_rank(b)),
        // No date sorts after every date.
        SortKey::Review => match (a.review_due, b.review_due) {
            (Some(x), Some(y)) => x.cmp(&y),
            (Some(_), None) => Ordering::Less,
            (None, Some(_)) => Ordering::Greater,
            (None, None) => Ordering::Equal,
        },
        SortKey::Pay => a.total_pay_pence.cmp(&b.total_pay_pence),
    }
}

/// Names sort by surname (the last word), then by the whole name, ignoring case.
fn surname_key(name: &str) -> (String, String) {
    let lower = name.to_lowercase();
    let surname = lower.split_whitespace().last().unwrap_or("").to_string();
    (surname, lower)
}

/// The rows the query keeps, in its order (ties by name, then plan).
pub fn select(rows: &[TeamRow], q: &TeamQuery) -> Vec<TeamRow> {
    let needle = q.name.to_lowercase();
    let mut out: Vec<TeamRow> = rows
        .iter()
        .filter(|r| q.status.as_deref().is_none_or(|s| r.status == s))
        .filter(|r| q.band.as_deref().is_none_or(|b| r.band == b))
        .filter(|r| needle.is_empty() || r.name.to_lowercase().contains(&needle))
        .cloned()
        .collect();
    out.sort_by(|a, b| {
        let o = compare(a, b, q.sort);
        let o = if q.descending { o.reverse() } else { o };
        o.then_with(|| compare(a, b, SortKey::Name))
            .then_with(|| a.plan_id.cmp(&b.plan_id))
    });
    out
}

/// The summed PAs of `rows`.
pub fn totals(rows: &[TeamRow]) -> Pas {
    let mut t = Pas::default();
    for r in rows {
        t.add(&r.pas);
    }
    t
}

/// PAs as text: "10", "7.5", "0.25".
pub fn pas_text(d: Decimal) -> String {
    d.normalize().to_string()
}

/// The capacity categories of [`Pas`] in order, with their labels.
pub fn categories(p: &Pas) -> [(&'static str, Decimal); 6] {
    [
        ("Direct clinical care", p.dcc),
        ("Supporting professional activities", p.spa),
        ("Additional responsibilities", p.additional),
        ("External duties", p.external),
        ("On-call", p.on_call),
        ("Extra PAs", p.extra),
    ]
}

/// The department a user's team view shows, and whether they may choose another.
fn department_of(
    u: &WebUser,
    asked: Option<i64>,
    first: Option<i64>,
) -> Result<(i64, bool), WebError> {
    let trust_wide = u.any(&[Role::MedicalDirector, Role::MedicalStaffing]);
    if trust_wide {
        return match asked.or(u.user.department_id).or(first) {
            Some(d) => Ok((d, true)),
            None => Err(WebError::NotFound(
                "the trust has no departments yet".into(),
            )),
        };
    }
    if !u.user.has(Role::ClinicalDirector) {
        return Err(WebError::Forbidden(
            "the team view is for clinical directors, the medical director and medical staffing"
                .into(),
        ));
    }
    let Some(own) = u.user.department_id else {
        return Err(WebError::Forbidden(
            "no department is recorded for your account".into(),
        ));
    };
    match asked {
        Some(d) if d != own => Err(WebError::Forbidden(format!(
            "department {d} is not your department; you may see your own department's team"
        ))),
        _ => Ok((own, false)),
    }
}

/// The loaded team of a department.
struct Team {
    department_id: i64,
    department: String,
    departments: Vec<(i64, String, String)>,
    may_choose: bool,
    rows: Vec<TeamRow>,
}

async fn load(state: &AppState, u: &WebUser, q: &TeamQuery) -> PageResult<Team> {
    let departments = state.store.departments().await?;
    let (department_id, may_choose) =
        department_of(u, q.department, departments.first().map(|d| d.0))?;
    let Some(department) = departments.iter().find(|d| d.0 == department_id) else {
        return Err(WebError::NotFound(format!("no department {department_id}")));
    };
    // The same scope as the API: the department must be within what the user may see.
    let within = match job_plan_scope(&u.user) {
        Scope::All => true,
        Scope::Department(d) => d == department_id,
        _ => false,
    };
    if !within {
        return Err(WebError::Forbidden(format!(
            "the job plans of {} are not ones you may see",
            department.1
        )));
    }
    let scope = Scope::Department(department_id);
    let plans = state.store.job_plans_with_assessments(&scope).await?;
    let reviews = state.store.reviews(&scope).await?;
    Ok(Team {
        department_id,
        department: department.1.clone(),
        may_choose,
        rows: rows(&plans, &reviews),
        departments,
    })
}

/// The export table of team rows.
pub fn table(title: &str, rows: &[TeamRow]) -> Table {
    let columns = [
        "Consultant",
        "Consultant id",
        "Total PAs",
        "DCC PAs",
        "SPA PAs",
        "Additional responsibility PAs",
        "External duty PAs",
        "On-call PAs",
        "Extra PAs",
        "On-call band",
        "Status",
        "Review due",
        "Total pay",
    ];
    Table {
        title: title.to_string(),
        columns: columns.iter().map(|c| c.to_string()).collect(),
        rows: rows
            .iter()
            .map(|r| {
                vec![
                    Cell::Text(r.name.clone()),
                    Cell::Text(r.consultant_id.clone()),
                    Cell::Decimal(r.pas.total.normalize()),
                    Cell::Decimal(r.pas.dcc.normalize()),
                    Cell::Decimal(r.pas.spa.normalize()),
                    Cell::Decimal(r.pas.additional.normalize()),
                    Cell::Decimal(r.pas.external.normalize()),
                    Cell::Decimal(r.pas.on_call.normalize()),
                    Cell::Decimal(r.pas.extra.normalize()),
                    Cell::Text(band_label(&r.band).to_string()),
                    Cell::Text(super::page::status_text_label(&r.status).to_string()),
                    r.review_due.map_or(Cell::Empty, Cell::Date),
                    Cell::Pence(r.total_pay_pence),
                ]
            })
            .collect(),
    }
}

/// A file download.
pub fn download(content_type: &str, filename: &str, body: impl Into<Body>) -> Response {
    (
        [
            (header::CONTENT_TYPE, content_type.to_string()),
            (
                header::CONTENT_DISPOSITION,
                format!("attachment; filename=\"{filename}\""),
            ),
            (header::CACHE_CONTROL, "no-store".to_string()),
        ],
        body.into(),
    )
        .into_response()
}

/// The content type of an XLSX workbook.
pub const XLSX: &str = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet";

fn file_stem(department: &str) -> String {
    let s: String = department
        .chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() {
                c.to_ascii_lowercase()
            } else {
                '-'
            }
        })
        .collect();
    format!("team-{}", s.trim_matches('-'))
}

/// `GET /team.csv`: the rows of the page with the same query.
pub async fn csv(State(state): State<AppState>, u: WebUser, RawQuery(raw): RawQuery) -> PageResult {
    let q = TeamQuery::parse(raw.as_deref())?;
    let team = load(&state, &u, &q).await?;
    let rows = select(&team.rows, &q);
    let t = table(&format!("{} team", team.department), &rows);
    Ok(download(
        "text/csv; charset=utf-8",
        &format!("{}.csv", file_stem(&team.department)),
        export::csv(&t),
    ))
}

/// `GET /team.xlsx`: the rows of the page with the same query, as a workbook.
pub async fn xlsx(
    State(state): State<AppState>,
    u: WebUser,
    RawQuery(raw): RawQuery,
) -> PageResult {
    let q = TeamQuery::parse(raw.as_deref())?;
    let team = load(&state, &u, &q).await?;
    let rows = select(&team.rows, &q);
    let t = table(&format!("{} team", team.department), &rows);
    let bytes = export::xlsx(&t).map_err(|e| WebError::Internal(format!("team workbook: {e}")))?;
    Ok(download(
        XLSX,
        &format!("{}.xlsx", file_stem(&team.department)),
        bytes,
    ))
}

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
                            option value=(d.0) selected[d.0 == team.department_id] { (d.1) }
                        }
                    }
                }
            }
            div class="tenpa-inline" {
                div class="nhsuk-form-group" {
                    label class="nhsuk-label" for="status" { "Status" }
                    select class="nhsuk-select" id="status" name="status" {
                        option value="" selected[q.status.is_none()] { "Any status" }
                        @for s in STATUSES {
                            option value=(s) selected[q.status.as_deref() == Some(s)] { (super::page::status_text_label(s)) }
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
                        td class="nhsuk-table__cell" { (super::page::status_text_tag(&r.status)) }
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
        table class="nhsuk-table" id="capacity-table" {
            caption class="nhsuk-table__caption" { "PAs a week by activity" }
            thead class="nhsuk-table__head" { tr class="nhsuk-table__row" {
                th class="nhsuk-table__header" scope="col" { "Activity" }
                th class="nhsuk-table__header tenpa-number" scope="col" { "PAs a week" }
            } }
            tbody class="nhsuk-table__body" {
                @for (label, v) in cats {
                    tr class="nhsuk-table__row" {
                        th class="nhsuk-table__header" scope="row" { (label) }
                        td class="nhsuk-table__cell tenpa-number" { (pas_text(v)) }
                    }
                }
                tr class="nhsuk-table__row" {
                    th class="nhsuk-table__header" scope="row" { "All activities" }
                    td class="nhsuk-table__cell tenpa-number" { strong { (pas_text(t.total)) } }
                }
            }
        }
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
            (team_table(&q, &shown, team.rows.len(), chrono::Utc::now().date_naive()))
            ul class="nhsuk-list" {
                li { a href=(format!("/team.csv?{current}")) download { "Download these consultants as a CSV file" } }
                li { a href=(format!("/team.xlsx?{current}")) download { "Download these consultants as an Excel spreadsheet (XLSX)" } }
            }
            (capacity(&team.department, &team.rows))
        },
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn row(
        name: &str,
        total: i64,
        status: &str,
        band: &str,
        due: Option<&str>,
        pay: i64,
    ) -> TeamRow {
        TeamRow {
            plan_id: total,
            consultant_id: name.to_lowercase(),
            name: name.into(),
            department: "Surgery".into(),
            pas: Pas {
                dcc: Decimal::from(total - 2),
                spa: Decimal::from(2),
                total: Decimal::from(total),
                ..Pas::default()
            },
            band: band.into(),
            status: status.into(),
            review_due: due.map(|d| NaiveDate::parse_from_str(d, "%Y-%m-%d").unwrap()),
            total_pay_pence: pay,
        }
    }

    #[test]
    fn money_strings_become_exact_pence() {
        assert_eq!(pence("1234.56"), Some(123_456));
        assert_eq!(pence("0.05"), Some(5));
        assert_eq!(pence("-0.05"), Some(-5));
        assert_eq!(pence("12.5"), Some(1250));
        assert_eq!(pence("7"), Some(700));
        assert_eq!(pence("87276.95"), Some(8_727_695));
        assert_eq!(pence("1.005"), None);
        assert_eq!(pence("1."), None);
        assert_eq!(pence(".5"), None);
        assert_eq!(pence("12a.00"), None);
        assert_eq!(pence(""), None);
        assert_eq!(pence("-"), None);
        assert_eq!(pence("99999999999999999999.00"), None);
    }

    #[test]
    fn numbers_are_read_exactly() {
        let v = serde_json::json!({ "pas": { "dcc": 7.5, "spa": 2, "on_call": 0.25 } });
        assert_eq!(number(&v, "/pas/dcc"), Decimal::new(75, 1));
        assert_eq!(number(&v, "/pas/spa"), Decimal::from(2));
        assert_eq!(number(&v, "/pas/on_call"), Decimal::new(25, 2));
        assert_eq!(number(&v, "/pas/missing"), Decimal::ZERO);
    }

    #[test]
    fn queries_parse_and_refuse_unknown_values() {
        let q = TeamQuery::parse(Some(
            "sort=total&dir=desc&status=signed_off&band=&name=+Ann",
        ))
        .unwrap();
        assert_eq!(q.sort, SortKey::Total);
        assert!(q.descending);
        assert_eq!(q.status.as_deref(), Some("signed_off"));
        assert_eq!(q.band, None);
        assert_eq!(q.name, "Ann");
        assert_eq!(
            q.to_query(SortKey::Pay, false),
            "status=signed_off&name=Ann&sort=pay&dir=asc"
        );
        assert!(TeamQuery::parse(Some("sort=salary")).is_err());
        assert!(TeamQuery::parse(Some("status=done")).is_err());
        assert!(TeamQuery::parse(Some("department=x")).is_err());
        assert_eq!(TeamQuery::parse(None).unwrap(), TeamQuery::default());
    }

    #[test]
    fn rows_sort_and_filter() {
        let rows = vec![
            row(
                "Cole",
                12,
                "signed_off",
                "high",
                Some("2006-05-01"),
                9_000_000,
            ),
            row("abbot", 10, "draft", "none", None, 8_000_000),
            row(
                "Baker",
                11,
                "signed_off",
                "medium",
                Some("2006-01-01"),
                8_500_000,
            ),
        ];
        let names = |rs: Vec<TeamRow>| rs.into_iter().map(|r| r.name).collect::<Vec<_>>();
        let mut q = TeamQuery::default();
        assert_eq!(names(select(&rows, &q)), ["abbot", "Baker", "Cole"]);
        q.sort = SortKey::Total;
        q.descending = true;
        assert_eq!(names(select(&rows, &q)), ["Cole", "Baker", "abbot"]);
        q.sort = SortKey::Review;
        q.descending = false;
        assert_eq!(names(select(&rows, &q)), ["Baker", "Cole", "abbot"]);
        q.sort = SortKey::Band;
        assert_eq!(names(select(&rows, &q)), ["Cole", "Baker", "abbot"]);
        q.status = Some("signed_off".into());
        q.sort = SortKey::Pay;
        assert_eq!(names(select(&rows, &q)), ["Baker", "Cole"]);
        q.name = "OL".into();
        assert_eq!(names(select(&rows, &q)), ["Cole"]);
        q.band = Some("none".into());
        assert!(select(&rows, &q).is_empty());
    }

    #[test]
    fn totals_sum_every_category() {
        let rows = vec![
            row("A", 12, "draft", "high", None, 1),
            row("B", 10, "draft", "none", None, 1),
        ];
        let t = totals(&rows);
        assert_eq!(t.total, Decimal::from(22));
        assert_eq!(t.dcc, Decimal::from(18));
        assert_eq!(t.spa, Decimal::from(4));
        assert_eq!(pas_text(Decimal::new(750, 2)), "7.5");
    }
}
