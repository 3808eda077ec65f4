//! Job plans: the list a user may see, one plan with its week as a grid, and the assessment panel.
//! [`week_grid`] and [`assessment_panel`] are shared with the editor and the print pages.

use super::page::{layout, layout_back, pounds, pounds_str, status_tag, PageResult, WebUser};
use crate::api::job_plans::{load, view};
use crate::policy::job_plan_scope;
use crate::AppState;
use axum::extract::{Path, Query, State};
use chrono::NaiveDate;
use maud::{html, Markup};
use serde_json::Value;
use std::collections::HashMap;
use tenpa_rules::parameters::PlainTime;
use tenpa_rules::plan::{ClockTime, Day};
use tenpa_rules::working_week::split;
use tenpa_rules::Parameters;

/// Full day names, Monday first.
pub const DAY_NAMES: [&str; 7] = [
    "Monday",
    "Tuesday",
    "Wednesday",
    "Thursday",
    "Friday",
    "Saturday",
    "Sunday",
];

/// A document value as text: strings as they are, numbers as written, nothing for null.
pub fn value_text(v: Option<&Value>) -> String {
    match v {
        None | Some(Value::Null) => String::new(),
        Some(Value::String(s)) => s.clone(),
        Some(other) => other.to_string(),
    }
}
pub use super::labels::category_text_label as category_label;

/// The plain-time windows in force for a document (its `effective_from`), or the latest ones.
pub fn plain_time_for(doc: &Value, params: &Parameters) -> PlainTime {
    let date = doc
        .pointer("/job_plan/effective_from")
        .and_then(Value::as_str)
        .and_then(|d| NaiveDate::parse_from_str(d, "%Y-%m-%d").ok());
    let series = &params.plain_time;
    date.and_then(|d| series.value(d).ok())
        .or_else(|| series.entries.last().map(|e| &e.value))
        .copied()
        .unwrap_or_else(|| Parameters::embedded().plain_time.entries[0].value)
}

fn day_index(s: &str) -> Option<usize> {
    Day::ALL
        .iter()
        .position(|d| d.title().eq_ignore_ascii_case(s))
}

/// One activity of the grid, read from the document.
#[derive(Debug, Clone, PartialEq)]
pub struct GridActivity {
    /// `dcc`, `spa`, …
    pub category: String,
    /// Title.
    pub title: String,
    /// Location.
    pub location: String,
    /// An additional PA.
    pub extra: bool,
    /// "08:00".
    pub start: String,
    /// "12:00".
    pub end: String,
    /// The employer's name when the plan lists more than one employer (JP-5); empty otherwise.
    pub employer: String,
}

/// One employer listed in a job plan document (JP-5).
#[derive(Debug, Clone, PartialEq)]
pub struct PlanEmployer {
    /// The id activities name.
    pub id: String,
    /// The name (the id when none is given).
    pub name: String,
    /// A university (a clinical academic's), not an NHS employer.
    pub university: bool,
    /// The designated lead employer.
    pub lead: bool,
}

/// The employers a job plan document lists, in order (JP-5).
pub fn plan_employers(doc: &Value) -> Vec<PlanEmployer> {
    doc.get("employer")
        .and_then(Value::as_array)
        .map(|list| {
            list.iter()
                .map(|e| {
                    let id = value_text(e.get("id"));
                    let name = value_text(e.get("name"));
                    PlanEmployer {
                        name: if name.trim().is_empty() {
                            id.clone()
                        } else {
                            name
                        },
                        id,
                        university: value_text(e.get("kind")) == "university",
                        lead: e.get("lead").and_then(Value::as_bool).unwrap_or(false),
                    }
                })
                .collect()
        })
        .unwrap_or_default()
}

/// The employer of work that names none: the lead, or else the only NHS employer (as the rules
/// read it, `JobPlanDocument::default_employer`).
pub fn default_employer(list: &[PlanEmployer]) -> Option<&PlanEmployer> {
    list.iter().find(|e| e.lead).or_else(|| {
        let mut nhs = list.iter().filter(|e| !e.university);
        match (nhs.next(), nhs.next()) {
            (Some(e), None) => Some(e),
            _ => None,
        }
    })
}

/// The name of the employer an activity (or the on-call table) is for: the one it names, else the
/// default employer; "no employer named" when neither.
pub fn employer_name(list: &[PlanEmployer], item: &Value) -> String {
    let named = value_text(item.get("employer"));
    let e = if named.is_empty() {
        default_employer(list)
    } else {
        list.iter().find(|e| e.id == named)
    };
    e.map_or_else(|| "no employer named".into(), |e| e.name.clone())
}

/// JP-5: the plan's lead employer against the lead employer on the consultant's record, compared
/// by name ignoring case and surrounding spaces. A warning to show, or `None` when they agree, the
/// plan lists no employers, or the record names none.
pub fn lead_employer_mismatch(doc: &Value, record_lead: Option<&str>) -> Option<String> {
    let record = record_lead.map(str::trim).filter(|r| !r.is_empty())?;
    let list = plan_employers(doc);
    if list.is_empty() {
        return None;
    }
    let same = |a: &str, b: &str| a.trim().to_lowercase() == b.trim().to_lowercase();
    match list.iter().find(|e| e.lead) {
        Some(l) if same(&l.name, record) => None,
        Some(l) => Some(format!("The plan's lead employer is {}, but the consultant's record names {} as lead employer. The employers should agree one lead employer and one integrated job plan: correct the plan or the record.", l.name, record)),
        None if list.len() > 1 => Some(format!("The plan lists {} employers but marks none as lead; the consultant's record names {} as lead employer. Mark the lead employer in the plan.", list.len(), record)),
        None => None,
    }
}

/// One cell of the grid.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct GridCell {
    /// Any of the cell is premium time.
    pub premium: bool,
    /// The activities in the cell: (index into [`GridModel::activities`], whether it starts here).
    pub activities: Vec<(usize, bool)>,
}

/// The grid of one week: rows of `slot` minutes from `from` to `to`, days across.
#[derive(Debug, Clone, PartialEq)]
pub struct GridModel {
    /// Row length in minutes (30 or 60).
    pub slot: u32,
    /// First row's start, minutes after midnight.
    pub from: u32,
    /// Last row's end.
    pub to: u32,
    /// Rows: (start minute, the seven days' cells).
    pub rows: Vec<(u32, Vec<GridCell>)>,
    /// The activities shown.
    pub activities: Vec<GridActivity>,
}

fn minutes(s: &str) -> Option<u32> {
    s.parse::<ClockTime>().ok().map(|t| u32::from(t.minutes()))
}

/// Builds the grid of week `week` (1-based) of a job plan document: activities of other weeks of
/// the cycle are left out; each cell is premium when any of it falls outside plain time.
pub fn grid_model(doc: &Value, week: u32, plain: &PlainTime) -> GridModel {
    // (day, start, end within the day, activity, starts here)
    let mut pieces: Vec<(usize, u32, u32, usize, bool)> = Vec::new();
    let mut activities = Vec::new();
    let employers = plan_employers(doc);
    let empty = vec![];
    let list = doc
        .get("activity")
        .and_then(Value::as_array)
        .unwrap_or(&empty);
    for a in list {
        let text = |k: &str| value_text(a.get(k));
        let weeks: Vec<u64> = a
            .get("weeks")
            .and_then(Value::as_array)
            .map(|w| w.iter().filter_map(Value::as_u64).collect())
            .unwrap_or_default();
        if !weeks.is_empty() && !weeks.contains(&u64::from(week)) {
            continue;
        }
        let (Some(day), Some(s), Some(e)) = (
            day_index(&text("day")),
            minutes(&text("start")),
            minutes(&text("end")),
        ) else {
            continue;
        };
        if s >= 1440 || s == e {
            continue;
        }
        let e = if e > s { e } else { e + 1440 };
        let idx = activities.len();
        activities.push(GridActivity {
            category: text("category"),
            title: text("title"),
            location: text("location"),
            extra: a.get("extra").and_then(Value::as_bool).unwrap_or(false),
            start: text("start"),
            end: text("end"),
            employer: if employers.len() > 1 {
                employer_name(&employers, a)
            } else {
                String::new()
            },
        });
        let (mut t, end) = (day as u32 * 1440 + s, day as u32 * 1440 + e);
        let mut first = true;
        while t < end {
            let day_start = t - t % 1440;
            let piece_end = end.min(day_start + 1440);
            pieces.push((
                ((day_start / 1440) % 7) as usize,
                t - day_start,
                piece_end - day_start,
                idx,
                first,
            ));
            first = false;
            t = piece_end;
        }
    }
    let slot = if pieces.iter().all(|p| p.1 % 60 == 0 && p.2 % 60 == 0) {
        60
    } else {
        30
    };
    let from = pieces
        .iter()
        .map(|p| p.1 - p.1 % slot)
        .fold(7 * 60, u32::min);
    let to = pieces
        .iter()
        .map(|p| p.2.div_ceil(slot) * slot)
        .fold(22 * 60, u32::max);
    let mut rows = Vec::new();
    let mut m = from;
    while m < to {
        let cells = (0..7)
            .map(|d| {
                let (_, premium) = split(Day::ALL[d], m, slot, plain);
                let activities = pieces
                    .iter()
                    .filter(|p| p.0 == d && p.1 < m + slot && p.2 > m)
                    .map(|p| (p.3, p.1 >= m))
                    .collect();
                GridCell {
                    premium: premium > 0,
                    activities,
                }
            })
            .collect();
        rows.push((m, cells));
        m += slot;
    }
    GridModel {
        slot,
        from,
        to,
        rows,
        activities,
    }
}

fn hhmm(m: u32) -> String {
    format!("{:02}:{:02}", m / 60, m % 60)
}

/// The key to the grid's shading and colours.
pub fn grid_key(plain: &PlainTime) -> Markup {
    html! {
        ul class="nhsuk-list tenpa-grid-key" {
            li { span class="tenpa-key tenpa-key--plain" {} " Plain time: " (plain.weekday_start) " to " (plain.weekday_end) " Monday to Friday, " (plain.weekend_start) " to " (plain.weekend_end) " Saturday and Sunday" }
            li { span class="tenpa-key tenpa-key--premium" {} " Premium (out-of-hours) time: every other hour" }
            @for c in ["dcc", "spa", "additional_responsibility", "external_duty"] {
                li { span class=(format!("tenpa-key tenpa-key--{c}")) {} " " (category_label(c)) }
            }
            li { span class="tenpa-key tenpa-key--extra" {} " Dashed edge: an additional (extra) PA" }
        }
    }
}

/// The employers of a plan that lists more than one (JP-5): each named, the lead marked, so the
/// grid's "Employer:" lines read without colour.
pub fn employer_key(doc: &Value) -> Markup {
    let list = plan_employers(doc);
    html! {
        @if list.len() > 1 {
            h3 class="nhsuk-heading-s" { "Employers" }
            p class="nhsuk-body" { "One integrated job plan covers the work with every employer; each activity in the week names its employer." }
            ul class="nhsuk-list nhsuk-list--bullet" id="employers" {
                @for e in &list {
                    li {
                        (e.name)
                        @if e.lead { " " strong class="nhsuk-tag nhsuk-tag--blue" { "Lead employer" } }
                        @if e.university { " (university: sessions agreed with the university)" }
                    }
                }
            }
        }
    }
}

/// The week of a job plan document as a table: days across, times down; each activity in its
/// cells with its category, title and location; premium time shaded (see [`grid_key`]).
pub fn week_grid(doc: &Value, week: u32, plain: &PlainTime) -> Markup {
    let g = grid_model(doc, week, plain);
    let spans = row_spans(&g);
    let cycle = doc
        .pointer("/job_plan/cycle_weeks")
        .and_then(|v| {
            v.as_u64()
                .or_else(|| v.as_str().and_then(|s| s.parse().ok()))
        })
        .unwrap_or(1);
    html! {
        div class="tenpa-week-scroll" {
            table class="tenpa-week" {
                caption class="nhsuk-table__caption" {
                    "Timetable"
                    @if cycle > 1 { ", week " (week) " of " (cycle) }
                    span class="nhsuk-u-visually-hidden" { " (" (g.slot) "-minute rows; shaded cells are premium time)" }
                }
                thead {
                    tr {
                        th scope="col" { "Time" }
                        @for d in DAY_NAMES { th scope="col" { (d) } }
                    }
                }
                tbody {
                    @for (r, (m, _)) in g.rows.iter().enumerate() {
                        tr {
                            th scope="row" { (hhmm(*m)) }
                            @for d in 0..7 {
                                @if let Some(span) = spans[r][d] {
                                    (grid_cell(&g, r, d, span))
                                }
                            }
                        }
                    }
                }
            }
        }
    }
}

/// How many rows each cell spans: `None` where a cell above covers it. An activity's cells merge
/// while nothing else is in them and the premium shading stays the same.
fn row_spans(g: &GridModel) -> Vec<[Option<usize>; 7]> {
    let n = g.rows.len();
    let mut spans = vec![[Some(1); 7]; n];
    for d in 0..7 {
        let mut r = 0;
        while r < n {
            let cell = &g.rows[r].1[d];
            let mut k = 1;
            if let [(i, _)] = cell.activities.as_slice() {
                while r + k < n {
                    let next = &g.rows[r + k].1[d];
                    if next.premium == cell.premium && next.activities == [(*i, false)] {
                        k += 1;
                    } else {
                        break;
                    }
                }
            }
            spans[r][d] = Some(k);
            for row in spans.iter_mut().skip(r + 1).take(k - 1) {
                row[d] = None;
            }
            r += k;
        }
    }
    spans
}

fn grid_cell(g: &GridModel, r: usize, d: usize, span: usize) -> Markup {
    let (m, cells) = &g.rows[r];
    let cell = &cells[d];
    let mut classes = Vec::new();
    if cell.premium {
        classes.push("tenpa-premium");
    }
    if !cell.activities.is_empty() {
        classes.push("tenpa-busy");
    }
    let class = (!classes.is_empty()).then(|| classes.join(" "));
    html! {
        td class=[class] rowspan=[(span > 1).then_some(span)] {
            @for (i, starts) in &cell.activities {
                @let a = &g.activities[*i];
                @let class = format!("tenpa-slot tenpa-slot--{}{}", a.category, if a.extra { " tenpa-slot--extra" } else { "" });
                @let name = if a.title.is_empty() { category_label(&a.category) } else { a.title.as_str() };
                @if *starts || *m == g.from {
                    span class=(class) {
                        strong { (name) }
                        br;
                        span class="tenpa-slot__meta" {
                            (a.start) "–" (a.end) ", " (category_label(&a.category))
                            @if a.extra { ", extra PA" }
                            @if !a.location.is_empty() { ", " (a.location) }
                            @if !a.employer.is_empty() { br; "Employer: " (a.employer) }
                            @if cell.premium { span class="nhsuk-u-visually-hidden" { " (premium time)" } }
                        }
                    }
                } @else {
                    span class=(format!("{class} tenpa-slot--continued")) {
                        span class="tenpa-slot__meta" { (name) " continues" }
                        @if cell.premium { span class="nhsuk-u-visually-hidden" { " (premium time)" } }
                    }
                }
            }
            @if cell.premium && cell.activities.is_empty() {
                span class="nhsuk-u-visually-hidden" { "Premium time" }
            }
        }
    }
}

fn num(v: Option<&Value>) -> String {
    let t = value_text(v);
    if t.is_empty() {
        "0".into()
    } else {
        t
    }
}

fn money(v: Option<&Value>) -> String {
    let t = value_text(v);
    if t.is_empty() {
        "£0.00".into()
    } else {
        pounds_str(&t)
    }
}

/// A finding's severity as an NHS tag.
pub fn severity_tag(s: &str) -> Markup {
    let (class, label) = match s {
        "error" => ("nhsuk-tag nhsuk-tag--red", "Error"),
        "warning" => ("nhsuk-tag nhsuk-tag--orange", "Warning"),
        _ => ("nhsuk-tag nhsuk-tag--blue", "Information"),
    };
    html! { strong class=(class) { (label) } }
}

fn row(key: &str, value: Markup) -> Markup {
    html! {
        div class="nhsuk-summary-list__row" {
            dt class="nhsuk-summary-list__key" { (key) }
            dd class="nhsuk-summary-list__value" { (value) }
        }
    }
}

/// The assessment of a job plan (the stored assessment JSON): PAs by category, hours, on-call,
/// the pay breakdown and the findings, each linking to its rule.
pub fn assessment_panel(a: &Value) -> Markup {
    let p = |k: &str| a.pointer(&format!("/pas/{k}"));
    let pay = |k: &str| a.pointer(&format!("/pay/{k}"));
    let empty = vec![];
    let findings = a
        .get("findings")
        .and_then(Value::as_array)
        .unwrap_or(&empty);
    let count = |s: &str| {
        findings
            .iter()
            .filter(|f| f.get("severity").and_then(Value::as_str) == Some(s))
            .count()
    };
    let on_call = a.get("on_call").filter(|v| !v.is_null());
    html! {
        div class="tenpa-assessment" {
            h2 class="nhsuk-heading-m" { "Assessment" }
            p class="nhsuk-body-s" {
                "Rules applied on " (value_text(a.get("applied_on"))) ", pay year " (value_text(a.get("pay_year"))) "."
            }
            p class="nhsuk-body" id="pa-total" {
                strong { (num(p("total"))) " PAs a week" } " in total: "
                (num(p("core_total"))) " core and " (num(p("extra"))) " extra. "
                (count("error")) " errors, " (count("warning")) " warnings."
            }
            table class="nhsuk-table" {
                caption class="nhsuk-table__caption nhsuk-table__caption--s" { "Programmed activities (PAs) a week" }
                thead class="nhsuk-table__head" { tr class="nhsuk-table__row" {
                    th class="nhsuk-table__header" scope="col" { "Category" }
                    th class="nhsuk-table__header tenpa-number" scope="col" { "PAs" }
                } }
                tbody class="nhsuk-table__body" {
                    @for (k, label) in [("dcc", "Direct clinical care"), ("spa", "Supporting professional activities"), ("additional_responsibility", "Additional NHS responsibilities"), ("external_duty", "External duties"), ("on_call", "On-call emergency work"), ("core_total", "Core total"), ("extra", "Additional (extra) PAs"), ("total", "Total"), ("premium_time", "Of which in premium time")] {
                        tr class="nhsuk-table__row" {
                            th class="nhsuk-table__header" scope="row" { (label) }
                            td class="nhsuk-table__cell tenpa-number" { (num(p(k))) }
                        }
                    }
                }
            }
            @if let Some(list) = a.get("employers").and_then(Value::as_array).filter(|l| !l.is_empty()) {
                table class="nhsuk-table" id="employer-totals" {
                    caption class="nhsuk-table__caption nhsuk-table__caption--s" { "PAs and hours a week by employer" }
                    thead class="nhsuk-table__head" { tr class="nhsuk-table__row" {
                        th class="nhsuk-table__header" scope="col" { "Employer" }
                        th class="nhsuk-table__header tenpa-number" scope="col" { "PAs" }
                        th class="nhsuk-table__header tenpa-number" scope="col" { "Hours" }
                    } }
                    tbody class="nhsuk-table__body" {
                        @for e in list {
                            tr class="nhsuk-table__row" {
                                th class="nhsuk-table__header" scope="row" {
                                    (value_text(e.get("name")))
                                    @if e.get("lead").and_then(Value::as_bool) == Some(true) { " (lead)" }
                                    @if value_text(e.get("kind")) == "university" { " (university)" }
                                }
                                td class="nhsuk-table__cell tenpa-number" { (num(e.get("pas"))) }
                                td class="nhsuk-table__cell tenpa-number" { (num(e.get("hours"))) }
                            }
                        }
                    }
                }
            }
            h3 class="nhsuk-heading-s" { "Hours and on-call" }
            dl class="nhsuk-summary-list" {
                (row("Timetabled hours a week", html! { (num(a.pointer("/hours/timetabled_weekly"))) }))
                (row("Out-of-hours reduction", html! { (num(a.pointer("/hours/out_of_hours_reduction"))) " hours" }))
                (row("Average weekly hours (Working Time Regulations)", html! { (num(a.pointer("/hours/average_weekly_for_wtr"))) }))
                @match on_call {
                    Some(oc) => {
                        (row("On-call band", html! { (value_text(oc.get("band"))) }))
                        (row("On-call category", html! { (value_text(oc.get("category")).to_uppercase()) }))
                        (row("Allocation pattern", html! { (value_text(oc.get("allocation_pattern"))) }))
                    },
                    None => (row("On-call", html! { "Not on a rota" })),
                }
            }
            table class="nhsuk-table" {
                caption class="nhsuk-table__caption nhsuk-table__caption--s" { "Pay a year" }
                thead class="nhsuk-table__head" { tr class="nhsuk-table__row" {
                    th class="nhsuk-table__header" scope="col" { "Component" }
                    th class="nhsuk-table__header tenpa-number" scope="col" { "Amount" }
                } }
                tbody class="nhsuk-table__body" {
                    @for (k, label) in [("full_time_salary", "Full-time salary"), ("basic_salary", "Basic salary"), ("extra_pas", "Additional PAs")] {
                        tr class="nhsuk-table__row" {
                            th class="nhsuk-table__header" scope="row" { (label) }
                            td class="nhsuk-table__cell tenpa-number" { (money(pay(k))) }
                        }
                    }
                    tr class="nhsuk-table__row" {
                        th class="nhsuk-table__header" scope="row" { "Availability supplement (" (num(pay("availability_supplement_percent"))) "%)" }
                        td class="nhsuk-table__cell tenpa-number" { (money(pay("availability_supplement"))) }
                    }
                    tr class="nhsuk-table__row" {
                        th class="nhsuk-table__header" scope="row" { "Out-of-hours premium (" (num(pay("out_of_hours_premium_percent"))) "%)" }
                        td class="nhsuk-table__cell tenpa-number" { (money(pay("out_of_hours_premium"))) }
                    }
                    @for (k, label) in [("clinical_excellence_award", "Clinical excellence award"), ("recruitment_retention_premium", "Recruitment or retention premium"), ("total", "Total"), ("superannuable", "Superannuable")] {
                        tr class="nhsuk-table__row" {
                            th class="nhsuk-table__header" scope="row" { (label) }
                            td class="nhsuk-table__cell tenpa-number" { (money(pay(k))) }
                        }
                    }
                }
            }
            h3 class="nhsuk-heading-s" { "Findings" }
            @if findings.is_empty() {
                p class="nhsuk-body" { "No findings: the plan meets every rule checked." }
            } @else {
                ul class="nhsuk-list tenpa-findings" {
                    @for f in findings {
                        @let rule = value_text(f.get("rule"));
                        li {
                            (severity_tag(&value_text(f.get("severity")))) " "
                            a href=(format!("/rules/{}", super::page::urlencode(&rule))) { "Rule " (rule) " (" (value_text(f.get("citation"))) ")" }
                            ": " (value_text(f.get("message")))
                        }
                    }
                }
            }
        }
    }
}

/// `GET /plans`.
pub async fn list(State(state): State<AppState>, u: WebUser) -> PageResult<Markup> {
    let plans = state.store.job_plans(&job_plan_scope(&u.user)).await?;
    Ok(layout(
        &u,
        "Job plans",
        html! {
            h1 class="nhsuk-heading-l" { "Job plans" }
            @if super::new_plan::may_create_any(&u) {
                a class="nhsuk-button" href="/plans/new" id="new-plan" { "New job plan" }
                p class="nhsuk-body" { a href="/templates" { "Department templates" } " · " a href="/plans/import" { "Import job plans" } }
            }
            @if plans.is_empty() {
                p class="nhsuk-body" { "There are no job plans you can see." }
            } @else {
                table class="nhsuk-table" {
                    caption class="nhsuk-table__caption" { "Job plans you can see (" (plans.len()) ")" }
                    thead class="nhsuk-table__head" { tr class="nhsuk-table__row" {
                        th class="nhsuk-table__header" scope="col" { "Consultant" }
                        th class="nhsuk-table__header" scope="col" { "Department" }
                        th class="nhsuk-table__header" scope="col" { "Status" }
                        th class="nhsuk-table__header tenpa-number" scope="col" { "Version" }
                        th class="nhsuk-table__header tenpa-number" scope="col" { "PAs a week" }
                        th class="nhsuk-table__header tenpa-number" scope="col" { "Pay a year" }
                    } }
                    tbody class="nhsuk-table__body" {
                        @for p in &plans {
                            tr class="nhsuk-table__row" {
                                td class="nhsuk-table__cell" { a href=(format!("/plans/{}", p.id)) { (p.consultant_name) } }
                                td class="nhsuk-table__cell" { (p.department) }
                                td class="nhsuk-table__cell" { (status_tag(p.status)) }
                                td class="nhsuk-table__cell tenpa-number" { (p.version) }
                                td class="nhsuk-table__cell tenpa-number" {
                                    @match p.total_pas {
                                        Some(v) => (v),
                                        None => "–",
                                    }
                                }
                                td class="nhsuk-table__cell tenpa-number" { (pounds(p.total_pay_pence)) }
                            }
                        }
                    }
                }
            }
        },
    ))
}

/// The cycle length of a document, at least 1.
pub fn cycle_weeks(doc: &Value) -> u32 {
    doc.pointer("/job_plan/cycle_weeks")
        .and_then(|v| {
            v.as_u64()
                .or_else(|| v.as_str().and_then(|s| s.parse().ok()))
        })
        .map(|n| n.clamp(1, 52) as u32)
        .unwrap_or(1)
}

/// Links to each week of a cycle (without JavaScript).
fn week_links(id: i64, week: u32, cycle: u32) -> Markup {
    html! {
        nav class="tenpa-weeks" aria-label="Weeks of the cycle" {
            ul class="nhsuk-list tenpa-inline" {
                @for w in 1..=cycle {
                    li {
                        @if w == week {
                            a href=(format!("/plans/{id}?week={w}")) aria-current="page" { strong { "Week " (w) } }
                        } @else {
                            a href=(format!("/plans/{id}?week={w}")) { "Week " (w) }
                        }
                    }
                }
            }
        }
    }
}

/// The on-call section of a document.
pub fn on_call_section(doc: &Value) -> Markup {
    let oc = doc.get("on_call").filter(|v| !v.is_null());
    html! {
        dl class="nhsuk-summary-list" {
            @match oc {
                Some(oc) if value_text(oc.get("rota_size")) != "0" => {
                    (row("Rota", html! { "1 in " (value_text(oc.get("rota_size"))) }))
                    (row("Category", html! { (value_text(oc.get("category")).to_uppercase()) }))
                    (row("Emergency work, plain time", html! { (num(oc.get("emergency_hours_plain"))) " hours a week on average" }))
                    (row("Emergency work, premium time", html! { (num(oc.get("emergency_hours_premium"))) " hours a week on average" }))
                    @let employers = plan_employers(doc);
                    @if employers.len() > 1 {
                        (row("Employer", html! { (employer_name(&employers, oc)) }))
                    }
                },
                _ => (row("Rota", html! { "Not on an on-call rota" })),
            }
        }
    }
}

/// Where the plan's on-call comes from: the rotas the consultant is on that the user may see, each
/// linked, the one the plan follows (the most demanding, OC-6), category decisions still to come
/// (OC-7), and a warning when the plan does not agree with the rotas (JP-2).
async fn rota_links(
    state: &AppState,
    u: &WebUser,
    doc: &Value,
    consultant: &str,
) -> PageResult<Markup> {
    use crate::api::rota_plans::{agrees, commitment, describe, today};
    let all = state.store.rotas(&tenpa_store::Scope::All).await?;
    let wanted = commitment(state, consultant, &all)?;
    let today = today();
    let mine: Vec<_> = all
        .iter()
        .filter(|r| r.members.iter().any(|m| m == consultant))
        .filter(|r| crate::policy::may_see_rota(&u.user, r))
        .collect();
    let agree = agrees(doc, wanted.as_ref());
    Ok(html! {
        @if !mine.is_empty() {
            ul class="nhsuk-list" id="plan-rotas" {
                @for r in &mine {
                    li {
                        "On the rota " a href=(format!("/rotas/{}", r.id)) { (r.name) }
                        " (1 in " (r.members.len()) ", category " (crate::api::rota_plans::category_on(r, &today).unwrap_or_default().to_uppercase()) ")"
                        @if wanted.as_ref().is_some_and(|w| w.rota_id == r.id && w.rotas > 1) { ": the plan follows this one, the most demanding (OC-6)" }
                        @for d in r.decisions.iter().filter(|d| d.effective_from > today) {
                            ". Category " (d.category.to_uppercase()) " from " (d.effective_from) ", decided prospectively (OC-7): the plan changes when it takes effect"
                        }
                    }
                }
            }
        }
        @if !agree {
            div class="nhsuk-warning-callout" id="rota-mismatch" {
                h3 class="nhsuk-warning-callout__label" {
                    span role="text" { span class="nhsuk-u-visually-hidden" { "Important: " } "The on-call does not agree with the rotas" }
                }
                p {
                    "The rotas give " (wanted.as_ref().map_or("not on a rota".into(), |w| describe(w.rota_size, Some(w.category))))
                    "; this plan says " ({ let (n, c) = crate::api::rota_plans::plan_on_call(doc); describe(n, c) }) ". "
                    @if let Some(r) = mine.first() {
                        "The rota's page can bring it into line: " a href=(format!("/rotas/{}", r.id)) { (r.name) } "."
                    }
                }
            }
        }
    })
}

/// `GET /plans/{id}`.
pub async fn show(
    State(state): State<AppState>,
    u: WebUser,
    Path(id): Path<i64>,
    Query(q): Query<HashMap<String, String>>,
) -> PageResult<Markup> {
    let plan = load(&state, &u.user, id).await?;
    let v = view(&u.user, plan);
    let plan = &v.plan;
    let doc = &plan.document;
    let s = &plan.summary;
    let cycle = cycle_weeks(doc);
    let week = q
        .get("week")
        .and_then(|w| w.parse::<u32>().ok())
        .unwrap_or(1)
        .clamp(1, cycle);
    let plain = plain_time_for(doc, &state.params);
    let title = format!("Job plan of {}", s.consultant_name);
    let pay = doc.get("pay");
    let rota_links = rota_links(&state, &u, doc, &s.consultant_id).await?;

    let record_lead = state
        .store
        .consultant_lead_employer(&s.consultant_id)
        .await?;
    let mismatch = lead_employer_mismatch(doc, record_lead.as_deref());
    let on_call_pattern = plan
        .assessment
        .pointer("/on_call/allocation_pattern")
        .map(|v| value_text(Some(v)));
    Ok(layout_back(
        &u,
        &title,
        ("/plans", "Back to job plans"),
        html! {
            span class="nhsuk-caption-l" { (s.department) }
            h1 class="nhsuk-heading-l" { (title) }
            @if let Some(m) = &mismatch {
                div class="nhsuk-warning-callout" id="lead-employer-warning" {
                    h2 class="nhsuk-warning-callout__label" { span role="text" { span class="nhsuk-u-visually-hidden" { "Important: " } "Lead employer" } }
                    p { (m) " " a href="/rules/JP-5" { "Rule JP-5" } }
                }
            }
            dl class="nhsuk-summary-list" {
                (row("Consultant", html! { (s.consultant_name) " (" (s.consultant_id) ")" }))
                @if let Some(l) = &record_lead {
                    (row("Lead employer (consultant's record)", html! { (l) }))
                }
                (row("Status", status_tag(s.status)))
                (row("Version", html! { (s.version) ", last changed " (s.updated_at) }))
                (row("Effective from", html! { (value_text(doc.pointer("/job_plan/effective_from"))) }))
                (row("Contracted PAs", html! { (value_text(doc.pointer("/job_plan/contracted_pas"))) " a week" }))
                (row("Out-of-hours recognition", html! {
                    @match value_text(doc.pointer("/job_plan/out_of_hours_recognition")).as_str() {
                        "premium" => "A premium on basic salary",
                        _ => "Reduced timetabled hours",
                    }
                }))
            }
            div class="nhsuk-action-link tenpa-no-print" {
                ul class="nhsuk-list tenpa-inline" {
                    @if v.editable {
                        li { a class="nhsuk-button" href=(format!("/plans/{id}/edit")) { "Edit the plan" } }
                    }
                    li { a class="nhsuk-button nhsuk-button--secondary" href=(format!("/plans/{id}/workflow")) { "Workflow and sign-off" } }
                }
                ul class="nhsuk-list" {
                    li { a href=(format!("/plans/{id}/history")) { "Version history" } }
                    li { a href=(format!("/plans/{id}/print")) { "Print the job plan" } }
                    li { a href=(format!("/plans/{id}/job-plan.pdf")) { "Download the job plan (PDF)" } }
                    li { a href=(format!("/plans/{id}/timetable.ics")) { "Download the timetable (calendar file)" } }
                    @if crate::policy::manages_department(&u.user, s.department_id) {
                        li { a href=(format!("/templates/new?plan={id}")) { "Save as a department template" } }
                    }
                }
            }
            h2 class="nhsuk-heading-m" { "The week" }
            @if cycle > 1 {
                p class="nhsuk-body" { "The timetable runs over a cycle of " (cycle) " weeks. Choose a week:" }
                (week_links(id, week, cycle))
            }
            (grid_key(&plain))
            (employer_key(doc))
            (week_grid(doc, week, &plain))
            h2 class="nhsuk-heading-m" { "On-call" }
            (on_call_section(doc))
            (rota_links)
            @if let Some(p) = on_call_pattern.filter(|p| !p.is_empty()) {
                p class="nhsuk-body" { "Allocation pattern: " (p) "." }
            }
            h2 class="nhsuk-heading-m" { "Pay point and awards" }
            dl class="nhsuk-summary-list" {
                @match pay.and_then(|p| p.get("point")).filter(|v| !v.is_null()) {
                    Some(pt) => (row("Pay point", html! { "Point " (value_text(Some(pt))) " of the scale (0 to 7)" })),
                    None => (row("Pay point", html! { "Transitional point: £" (value_text(pay.and_then(|p| p.get("salary_point")))) " at 2002/03 levels" })),
                }
                (row("Clinical excellence award level", html! { (num(pay.and_then(|p| p.get("cea_level")))) }))
                @if let Some(r) = pay.and_then(|p| p.get("recruitment_retention_premium")).filter(|v| !v.is_null()) {
                    (row("Recruitment or retention premium", html! { "£" (value_text(r.get("amount"))) " a year (" (value_text(r.get("kind"))) ") from " (value_text(r.get("start"))) }))
                }
            }
            (assessment_panel(&plan.assessment))
        },
    ))
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn plain() -> PlainTime {
        plain_time_for(&json!({}), Parameters::embedded())
    }

    #[test]
    fn an_evening_activity_on_tuesday_covers_the_premium_cells() {
        let doc = json!({"activity": [
            {"day": "tue", "start": "18:00", "end": "23:00", "category": "dcc", "title": "Evening list"}
        ]});
        let g = grid_model(&doc, 1, &plain());
        assert_eq!(g.slot, 60);
        assert_eq!((g.from, g.to), (7 * 60, 23 * 60));
        let cell = |h: u32, d: usize| &g.rows.iter().find(|r| r.0 == h * 60).unwrap().1[d];
        for h in 18..23 {
            assert_eq!(cell(h, 1).activities.len(), 1, "{h}:00 Tuesday is busy");
        }
        assert_eq!(cell(18, 1).activities, vec![(0, true)]);
        assert_eq!(cell(19, 1).activities, vec![(0, false)]);
        // Plain time ends at 22:00 on weekdays (WW-3): the last hour is premium and busy.
        assert!(cell(22, 1).premium);
        assert!(!cell(21, 1).premium);
        assert!(!cell(18, 1).premium);
        assert!(cell(7, 1).premium);
        assert!(cell(17, 0).activities.is_empty());
        assert!(cell(22, 0).premium && cell(22, 0).activities.is_empty());
        // Weekends are premium outside 09:00-13:00.
        assert!(cell(14, 5).premium && !cell(10, 5).premium);
        // In the table the plain hours merge into one cell and the premium hour is its own.
        let spans = row_spans(&g);
        let r = |h: u32| g.rows.iter().position(|x| x.0 == h * 60).unwrap();
        assert_eq!(spans[r(18)][1], Some(4));
        assert_eq!(spans[r(19)][1], None);
        assert_eq!(spans[r(22)][1], Some(1));
        let html = week_grid(&doc, 1, &plain()).into_string();
        assert!(html.contains("Evening list"));
        assert!(html.contains("Evening list continues"));
        assert!(html.contains("tenpa-premium"));
    }

    #[test]
    fn the_grid_crosses_midnight_keeps_half_hours_and_filters_weeks() {
        let doc = json!({"job_plan": {"cycle_weeks": 2}, "activity": [
            {"day": "sun", "start": "22:30", "end": "01:00", "category": "spa", "weeks": [2]},
            {"day": "mon", "start": "09:00", "end": "13:00", "category": "dcc", "weeks": [1]}
        ]});
        let g1 = grid_model(&doc, 1, &plain());
        assert_eq!(g1.activities.len(), 1);
        assert_eq!(g1.slot, 60);
        let g2 = grid_model(&doc, 2, &plain());
        assert_eq!(g2.slot, 30);
        assert_eq!((g2.from, g2.to), (0, 24 * 60));
        let at = |m: u32, d: usize| &g2.rows.iter().find(|r| r.0 == m).unwrap().1[d];
        assert_eq!(at(22 * 60 + 30, 6).activities, vec![(0, true)]);
        assert_eq!(at(0, 0).activities, vec![(0, true)]);
        assert!(at(60, 0).activities.is_empty());
    }

    #[test]
    fn the_panel_links_findings_to_their_rules_and_shows_money() {
        let a = json!({
            "applied_on": "2005-04-01", "pay_year": "2005/06",
            "pas": {"dcc": 7.0, "spa": 2.5, "total": 11.0, "core_total": 10.0, "extra": 1.0},
            "pay": {"total": "87276.95", "availability_supplement_percent": 5},
            "findings": [{"rule": "WW-4", "severity": "warning", "citation": "F 2(e)", "message": "too few SPAs"}]
        });
        let html = assessment_panel(&a).into_string();
        assert!(html.contains("href=\"/rules/WW-4\""));
        assert!(html.contains("£87,276.95"));
        assert!(html.contains("11.0 PAs a week"));
        assert!(html.contains("too few SPAs"));
    }

    /// Source: F 1(f), A 11.1 (JP-5): the plan's lead employer and the record's should agree.
    #[test]
    fn a_lead_employer_unlike_the_records_is_a_warning() {
        let doc = json!({"employer": [
            {"id": "n", "name": "North Trust", "lead": true},
            {"id": "s", "name": "South Trust"}
        ]});
        assert_eq!(lead_employer_mismatch(&doc, Some(" north trust ")), None);
        let w = lead_employer_mismatch(&doc, Some("South Trust")).expect("a warning");
        assert!(
            w.contains("North Trust") && w.contains("South Trust"),
            "{w}"
        );
        assert_eq!(lead_employer_mismatch(&doc, None), None);
        assert_eq!(
            lead_employer_mismatch(&json!({}), Some("South Trust")),
            None
        );
        let no_lead = json!({"employer": [{"id": "n"}, {"id": "s"}]});
        assert!(lead_employer_mismatch(&no_lead, Some("North Trust"))
            .expect("a warning")
            .contains("marks none as lead"));
    }

    /// Source: JP-5: each activity in the week names its employer when there is more than one;
    /// work naming none is the lead's.
    #[test]
    fn the_grid_names_each_activitys_employer() {
        let doc = json!({
            "employer": [
                {"id": "n", "name": "North Trust", "lead": true},
                {"id": "s", "name": "South Trust"}
            ],
            "activity": [
                {"day": "mon", "start": "09:00", "end": "13:00", "category": "dcc"},
                {"day": "tue", "start": "09:00", "end": "13:00", "category": "dcc", "employer": "s"}
            ]
        });
        let g = grid_model(&doc, 1, &plain());
        assert_eq!(g.activities[0].employer, "North Trust");
        assert_eq!(g.activities[1].employer, "South Trust");
        let html = week_grid(&doc, 1, &plain()).into_string();
        assert!(html.contains("Employer: South Trust"), "{html}");
        let one = json!({"activity": [{"day": "mon", "start": "09:00", "end": "13:00", "category": "dcc"}]});
        assert_eq!(grid_model(&one, 1, &plain()).activities[0].employer, "");
        assert!(employer_key(&doc).into_string().contains("Lead employer"));
        assert_eq!(employer_key(&one).into_string(), "");
    }

    /// Source: JP-5: the assessment's per-employer totals appear in the panel.
    #[test]
    fn the_panel_shows_pas_and_hours_by_employer() {
        let a = json!({"pas": {}, "employers": [
            {"id": "n", "name": "North Trust", "kind": "nhs", "lead": true, "pas": 7.5, "hours": 30},
            {"id": "u", "name": "University of the North", "kind": "university", "lead": false, "pas": 2.5, "hours": 10}
        ]});
        let html = assessment_panel(&a).into_string();
        assert!(html.contains("PAs and hours a week by employer"), "{html}");
        assert!(html.contains("North Trust (lead)"), "{html}");
        assert!(
            html.contains("University of the North (university)"),
            "{html}"
        );
        assert!(!assessment_panel(&json!({"pas": {}}))
            .into_string()
            .contains("by employer"));
    }
}
