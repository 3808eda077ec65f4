//! A job plan's week as a grid of half-hour cells, with its keys.

use crate::web::labels::{category_text_label as category_label, employer_name, DAY_NAMES};
use maud::{html, Markup};
use tenpa_rules::parameters::PlainTime;
use tenpa_rules::plan::{ClockTime, Day, EmployerKind, JobPlanDocument};
use tenpa_rules::working_week::split;

/// One activity of the grid, read from the document.
#[derive(Debug, Clone, PartialEq)]
pub struct GridActivity {
    /// The day it starts, 0 for Monday.
    pub day: usize,
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
pub fn grid_model(doc: &JobPlanDocument, week: u32, plain: &PlainTime) -> GridModel {
    // (day, start, end within the day, activity, starts here)
    let mut pieces: Vec<(usize, u32, u32, usize, bool)> = Vec::new();
    let mut activities = Vec::new();
    for a in &doc.activities {
        if !a.weeks.is_empty() && !a.weeks.iter().any(|w| u32::from(*w) == week) {
            continue;
        }
        let (day, s, e) = (
            a.day.index(),
            u32::from(a.start.minutes()),
            u32::from(a.end.minutes()),
        );
        if s >= 1440 || s == e {
            continue;
        }
        let e = if e > s { e } else { e + 1440 };
        let idx = activities.len();
        activities.push(GridActivity {
            day,
            category: a.category.as_str().to_string(),
            title: a.title.clone(),
            location: a.location.clone(),
            extra: a.extra,
            start: a.start.to_string(),
            end: a.end.to_string(),
            employer: if doc.employers.len() > 1 {
                employer_name(doc.employer_of(a))
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
pub fn employer_key(doc: &JobPlanDocument) -> Markup {
    let list = &doc.employers;
    html! {
        @if list.len() > 1 {
            h3 class="nhsuk-heading-s" { "Employers" }
            p class="nhsuk-body" { "One integrated job plan covers the work with every employer; each activity in the week names its employer." }
            ul class="nhsuk-list nhsuk-list--bullet" id="employers" {
                @for e in list {
                    li {
                        (e.name)
                        @if e.lead { " " strong class="nhsuk-tag nhsuk-tag--blue" { "Lead employer" } }
                        @if e.kind == EmployerKind::University { " (university: sessions agreed with the university)" }
                    }
                }
            }
        }
    }
}

/// The week of a job plan document as a table: days across, times down; each activity in its
/// cells with its category, title and location; premium time shaded (see [`grid_key`]).
pub fn week_grid(doc: &JobPlanDocument, week: u32, plain: &PlainTime) -> Markup {
    let g = grid_model(doc, week, plain);
    let spans = row_spans(&g);
    let cycle = doc.job_plan.cycle_weeks;
    let label = if cycle > 1 {
        format!("Timetable, week {week} of {cycle}")
    } else {
        "Timetable".to_string()
    };
    // The grid scrolls sideways on a narrow screen: the keyboard reaches it as a labelled region.
    html! {
        div class="tenpa-week-scroll" tabindex="0" role="region" aria-label=(label) {
            table class="tenpa-week" {
                caption class="nhsuk-table__caption" {
                    (label)
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
        (week_list(&g, &label))
    }
}

/// The same week as a list by day, each day's activities in order of their start: what a narrow
/// screen shows instead of the grid's seven columns (the stylesheet shows one or the other).
fn week_list(g: &GridModel, label: &str) -> Markup {
    let mut order: Vec<&GridActivity> = g.activities.iter().collect();
    order.sort_by_key(|a| (a.day, minutes(&a.start)));
    html! {
        div class="tenpa-week-list" {
            p class="nhsuk-body-s nhsuk-u-margin-bottom-2" { (label) ", by day" }
            @if order.is_empty() { p { "No activities this week." } }
            @for (d, name) in DAY_NAMES.iter().enumerate() {
                @let of_day: Vec<&&GridActivity> = order.iter().filter(|a| a.day == d).collect();
                @if !of_day.is_empty() {
                    h3 class="nhsuk-heading-xs nhsuk-u-margin-bottom-1" { (name) }
                    ul class="nhsuk-list nhsuk-u-margin-bottom-3" {
                        @for a in of_day {
                            li {
                                strong { (a.start) " to " (a.end) } " " (a.title) " ("
                                (category_label(&a.category))
                                @if a.extra { ", an additional PA" }
                                ")"
                                @if !a.location.is_empty() { ", " (a.location) }
                                @if !a.employer.is_empty() { ", " (a.employer) }
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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::web::plans::{plain_time_for, test_document};
    use serde_json::json;
    use tenpa_rules::Parameters;

    fn plain() -> PlainTime {
        plain_time_for(&test_document(json!({})), Parameters::embedded())
    }

    #[test]
    fn an_evening_activity_on_tuesday_covers_the_premium_cells() {
        let doc = test_document(json!({"activity": [
            {"day": "tue", "start": "18:00", "end": "23:00", "category": "dcc", "title": "Evening list"}
        ]}));
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
        let doc = test_document(json!({"job_plan": {"cycle_weeks": 2}, "activity": [
            {"day": "sun", "start": "22:30", "end": "01:00", "category": "spa", "weeks": [2]},
            {"day": "mon", "start": "09:00", "end": "13:00", "category": "dcc", "weeks": [1]}
        ]}));
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

    /// Source: JP-5: each activity in the week names its employer when there is more than one;
    /// work naming none is the lead's.
    #[test]
    fn the_grid_names_each_activitys_employer() {
        let doc = test_document(json!({
            "employer": [
                {"id": "n", "name": "North Trust", "lead": true},
                {"id": "s", "name": "South Trust"}
            ],
            "activity": [
                {"day": "mon", "start": "09:00", "end": "13:00", "category": "dcc"},
                {"day": "tue", "start": "09:00", "end": "13:00", "category": "dcc", "employer": "s"}
            ]
        }));
        let g = grid_model(&doc, 1, &plain());
        assert_eq!(g.activities[0].employer, "North Trust");
        assert_eq!(g.activities[1].employer, "South Trust");
        let html = week_grid(&doc, 1, &plain()).into_string();
        assert!(html.contains("Employer: South Trust"), "{html}");
        let one = test_document(
            json!({"activity": [{"day": "mon", "start": "09:00", "end": "13:00", "category": "dcc"}]}),
        );
        assert_eq!(grid_model(&one, 1, &plain()).activities[0].employer, "");
        assert!(employer_key(&doc).into_string().contains("Lead employer"));
        assert_eq!(employer_key(&one).into_string(), "");
    }
}
