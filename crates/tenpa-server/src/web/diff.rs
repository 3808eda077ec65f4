//! What changed between two versions of a job plan, in plain English.
//!
//! Fields of the known tables are named by a friendly label ("Contracted PAs: 10 → 9"); fields
//! nobody has named yet fall back to their dotted path ("job_plan.review.panel"). Activities are
//! matched across the versions by title, then by day and start, so moving a clinic from Monday to
//! Tuesday is one change, not a removal and an addition.

use maud::{html, Markup};
use rust_decimal::Decimal;
use serde_json::{Map, Value};
use std::str::FromStr;

/// One difference between two versions.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Change {
    /// Something new in the later version, described ("Tuesday 13:00–17:00 SPA: Audit").
    Added(String),
    /// Something in the earlier version that is gone, described.
    Removed(String),
    /// A value that differs.
    Changed {
        /// What it is ("Contracted PAs").
        what: String,
        /// The earlier value, as text.
        before: String,
        /// The later value, as text.
        after: String,
    },
}

impl std::fmt::Display for Change {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Change::Added(what) => write!(f, "Added: {what}"),
            Change::Removed(what) => write!(f, "Removed: {what}"),
            Change::Changed {
                what,
                before,
                after,
            } => write!(f, "{what}: {before} → {after}"),
        }
    }
}

/// The sections in report order; others follow alphabetically.
const SECTIONS: [&str; 5] = ["consultant", "job_plan", "pay", "activity", "on_call"];

/// The friendly name of a top-level section.
fn section_label(section: &str) -> Option<&'static str> {
    Some(match section {
        "consultant" => "Consultant",
        "job_plan" => "Job plan",
        "pay" => "Pay",
        "activity" => "Timetable",
        "on_call" => "On-call",
        "travel" => "Travel",
        "previous_review" => "Previous review",
        "transition" => "Transition",
        "employer" => "Employers",
        _ => return None,
    })
}

/// Known fields of each table in report order, with friendly labels.
fn fields(section: &str) -> &'static [(&'static str, &'static str)] {
    match section {
        "consultant" => &[
            ("id", "Consultant ID"),
            ("name", "Consultant's name"),
            ("first_appointed", "First appointed as a consultant"),
            ("post_offered", "Post offered"),
            ("transferred", "Transferred to this contract"),
            ("seniority_at_transfer", "Years of seniority at transfer"),
            ("nation", "Nation"),
            ("private_practice", "Private practice"),
            ("opt_out_48h", "48-hour opt-out signed"),
        ],
        "job_plan" => &[
            ("effective_from", "Job plan effective from"),
            ("contracted_pas", "Contracted PAs"),
            ("cycle_weeks", "Timetable cycle (weeks)"),
            ("out_of_hours_recognition", "Out-of-hours recognition"),
            ("premium_mutually_agreed", "Premium mutually agreed"),
            ("local_variation", "Local variation"),
            ("private_practice_exception", "Private practice exception"),
            ("appointed_to_post", "Appointed to the post"),
            ("study_leave_days_in_3_years", "Study leave days in 3 years"),
            (
                "employer_arrangement",
                "Arrangement agreed across employers",
            ),
        ],
        "pay" => &[
            ("point", "Pay point"),
            ("salary_point", "Salary point (2002/03 value)"),
            ("cea_level", "Clinical excellence award level"),
            (
                "recruitment_retention_premium",
                "Recruitment or retention premium",
            ),
        ],
        "recruitment_retention_premium" => &[
            ("kind", "kind"),
            ("amount", "amount a year"),
            ("start", "start"),
            ("years", "years paid"),
            ("evidence_of_difficulty", "evidence of difficulty shown"),
            ("non_pay_solutions_tried", "non-pay solutions tried"),
            ("local_employers_consulted", "local employers consulted"),
        ],
        "on_call" => &[
            ("rota_size", "On-call rota"),
            ("category", "On-call category"),
            (
                "emergency_hours_plain",
                "Emergency work in plain time (hours a week)",
            ),
            (
                "emergency_hours_premium",
                "Emergency work in premium time (hours a week)",
            ),
            ("recalls_per_year", "Calls or recalls a year"),
            ("employer", "On-call rota's employer"),
        ],
        "employer" => &[
            ("id", "id"),
            ("name", "name"),
            ("kind", "kind"),
            ("lead", "lead employer"),
        ],
        "previous_review" => &[
            ("out_of_hours_pas", "Previous out-of-hours PAs"),
            ("on_call_pas", "Previous on-call PAs"),
            ("on_call_category", "Previous on-call category"),
        ],
        "travel" => &[
            ("kind", "kind"),
            ("hours", "hours a week"),
            ("normal_hours", "normal home-to-base hours"),
            ("description", "description"),
        ],
        _ => &[],
    }
}

/// The differences between two job plan documents, in report order: consultant, job plan, pay,
/// activities (by day, then start), on-call, then any other tables. Identical documents give none.
pub fn diff(before: &Value, after: &Value) -> Vec<Change> {
    let empty = Map::new();
    let b = before.as_object().unwrap_or(&empty);
    let a = after.as_object().unwrap_or(&empty);
    let mut out = Vec::new();
    let mut others: Vec<&String> = b
        .keys()
        .chain(a.keys())
        .filter(|k| !SECTIONS.contains(&k.as_str()))
        .collect();
    others.sort();
    others.dedup();
    let order = SECTIONS
        .iter()
        .copied()
        .chain(others.iter().map(|k| k.as_str()));
    for section in order {
        let (bv, av) = (b.get(section), a.get(section));
        if section == "activity" {
            activities(bv, av, &mut out);
        } else {
            let label = section_label(section).map(str::to_string);
            let path = label.clone().unwrap_or_else(|| section.to_string());
            value(section, &path, label.is_some(), bv, av, &mut out);
        }
    }
    out
}

/// Compares two values at `path`; `friendly` when `path` is a label rather than a dotted path.
/// `table` names the table whose field labels apply.
fn value(
    table: &str,
    path: &str,
    friendly: bool,
    b: Option<&Value>,
    a: Option<&Value>,
    out: &mut Vec<Change>,
) {
    let (b, a) = (b.filter(|v| !v.is_null()), a.filter(|v| !v.is_null()));
    match (b, a) {
        (None, None) => {}
        (Some(b), Some(a)) if same(b, a) => {}
        (Some(Value::Object(b)), Some(Value::Object(a))) => {
            object(table, path, friendly, b, a, out)
        }
        (Some(Value::Array(b)), Some(Value::Array(a)))
            if b.iter().chain(a).any(Value::is_object) =>
        {
            list(table, path, friendly, b, a, out)
        }
        (None, Some(a)) if a.is_object() || a.is_array() => {
            out.push(Change::Added(described(table, path, a)))
        }
        (Some(b), None) if b.is_object() || b.is_array() => {
            out.push(Change::Removed(described(table, path, b)))
        }
        (b, a) => out.push(Change::Changed {
            what: path.to_string(),
            before: b.map_or("not given".into(), |v| show(table, v)),
            after: a.map_or("not given".into(), |v| show(table, v)),
        }),
    }
}

/// "On-call: 1 in 6, category A": a table or list described in one line.
fn described(table: &str, path: &str, v: &Value) -> String {
    format!("{path}: {}", summary(table, v))
}

/// A table's or list's values in one line, known fields first with their labels.
fn summary(table: &str, v: &Value) -> String {
    match v {
        Value::Object(m) => {
            let known = fields(table);
            let label = |k: &str| {
                known
                    .iter()
                    .find(|(f, _)| *f == k)
                    .map_or(k.to_string(), |(_, l)| {
                        // Within "On-call: …" the prefix of "On-call category" says nothing.
                        l.strip_prefix("On-call ").unwrap_or(l).to_string()
                    })
            };
            ordered_keys(table, m, m)
                .into_iter()
                .filter_map(|k| m.get(k).filter(|v| !v.is_null()).map(|v| (k, v)))
                .map(|(k, v)| match k {
                    "rota_size" => show(k, v),
                    _ => format!("{} {}", label(k), show(k, v)),
                })
                .collect::<Vec<_>>()
                .join(", ")
        }
        Value::Array(items) => items
            .iter()
            .map(|i| summary(table, i))
            .collect::<Vec<_>>()
            .join("; "),
        v => show(table, v),
    }
}

/// The keys of two tables: known fields in order, then the rest alphabetically.
fn ordered_keys<'a>(
    table: &str,
    b: &'a Map<String, Value>,
    a: &'a Map<String, Value>,
) -> Vec<&'a str> {
    let known = fields(table);
    let mut keys: Vec<&str> = b.keys().chain(a.keys()).map(String::as_str).collect();
    keys.sort_by_key(|k| {
        (
            known.iter().position(|(f, _)| f == k).unwrap_or(usize::MAX),
            *k,
        )
    });
    keys.dedup();
    keys
}

/// Field by field.
fn object(
    table: &str,
    path: &str,
    friendly: bool,
    b: &Map<String, Value>,
    a: &Map<String, Value>,
    out: &mut Vec<Change>,
) {
    let known = fields(table);
    for k in ordered_keys(table, b, a) {
        let label = known.iter().find(|(f, _)| *f == k).map(|(_, l)| *l);
        let (sub_table, sub_path, sub_friendly) = match label {
            // Labels of top-level tables stand alone; nested ones follow their table's name.
            Some(l) if friendly && SECTIONS.contains(&table) || table == "previous_review" => {
                (k, l.to_string(), true)
            }
            Some(l) if friendly => (k, format!("{path}: {l}"), true),
            _ if friendly => (k, format!("{}.{k}", dotted(table, path)), false),
            _ => (k, format!("{path}.{k}"), false),
        };
        value(sub_table, &sub_path, sub_friendly, b.get(k), a.get(k), out);
    }
}

/// The dotted path of a table named by a friendly label: its own key.
fn dotted(table: &str, path: &str) -> String {
    if section_label(table).is_some() || !fields(table).is_empty() {
        table.to_string()
    } else {
        path.to_string()
    }
}

/// A list of tables other than the timetable: identical items are set aside, the rest are paired
/// in order and compared field by field; leftovers are added or removed. Items count from 1.
fn list(table: &str, path: &str, friendly: bool, b: &[Value], a: &[Value], out: &mut Vec<Change>) {
    let mut b_left: Vec<(usize, &Value)> = b.iter().enumerate().collect();
    let mut a_left: Vec<(usize, &Value)> = Vec::new();
    for (j, av) in a.iter().enumerate() {
        if let Some(pos) = b_left.iter().position(|(_, bv)| same(bv, av)) {
            b_left.remove(pos);
        } else {
            a_left.push((j, av));
        }
    }
    // Each remaining later item is paired with the earlier one sharing most fields (at least one).
    let mut pairs = Vec::new();
    let mut added = Vec::new();
    for (j, av) in a_left {
        let best = b_left
            .iter()
            .enumerate()
            .map(|(pos, (_, bv))| (shared_fields(bv, av), pos))
            .filter(|(n, _)| *n > 0)
            .max_by_key(|(n, pos)| (*n, std::cmp::Reverse(*pos)));
        match best {
            Some((_, pos)) => pairs.push((b_left.remove(pos).1, j, av)),
            None => added.push(av),
        }
    }
    for (bv, j, av) in pairs {
        let item = if friendly {
            format!("{path} {}", j + 1)
        } else {
            format!("{path}.{}", j + 1)
        };
        value(table, &item, friendly, Some(bv), Some(av), out);
    }
    for (_, bv) in b_left {
        out.push(Change::Removed(described(table, path, bv)));
    }
    for av in added {
        out.push(Change::Added(described(table, path, av)));
    }
}

/// How many fields two tables have in common with equal values.
fn shared_fields(b: &Value, a: &Value) -> usize {
    match (b, a) {
        (Value::Object(b), Value::Object(a)) => b
            .iter()
            .filter(|(k, v)| a.get(*k).is_some_and(|w| same(v, w)))
            .count(),
        _ => 0,
    }
}

/// Equal as values, numbers compared as decimals ("10", 10 and 10.0 are the same).
fn same(b: &Value, a: &Value) -> bool {
    match (b, a) {
        (Value::Object(b), Value::Object(a)) => {
            let get = |m: &Map<String, Value>, k: &str| m.get(k).filter(|v| !v.is_null()).cloned();
            b.keys()
                .chain(a.keys())
                .all(|k| match (get(b, k), get(a, k)) {
                    (Some(x), Some(y)) => same(&x, &y),
                    (None, None) => true,
                    _ => false,
                })
        }
        (Value::Array(b), Value::Array(a)) => {
            b.len() == a.len() && b.iter().zip(a).all(|(x, y)| same(x, y))
        }
        _ => match (decimal(b), decimal(a)) {
            (Some(x), Some(y)) => x == y,
            _ => b == a,
        },
    }
}

/// A number, or a string holding one, as a decimal.
fn decimal(v: &Value) -> Option<Decimal> {
    match v {
        Value::Number(n) => Decimal::from_str(&n.to_string())
            .or_else(|_| Decimal::from_scientific(&n.to_string()))
            .ok(),
        Value::String(s) => Decimal::from_str(s.trim()).ok(),
        _ => None,
    }
}

/// A value as text for a reader, formatted by what the field holds.
fn show(field: &str, v: &Value) -> String {
    match (field, v) {
        ("rota_size", v) => match decimal(v) {
            Some(n) if n.is_zero() => "not on a rota".into(),
            Some(n) => format!("1 in {}", n.normalize()),
            None => plain(v),
        },
        ("salary_point" | "amount", v) => decimal(v).map_or_else(|| plain(v), pounds),
        ("category" | "on_call_category", Value::String(s)) if s.len() == 1 => s.to_uppercase(),
        _ => plain(v),
    }
}

/// A value as text, with no knowledge of its field.
fn plain(v: &Value) -> String {
    match v {
        Value::Null => "not given".into(),
        Value::Bool(true) => "yes".into(),
        Value::Bool(false) => "no".into(),
        Value::Number(n) => n.to_string(),
        Value::String(s) if s.is_empty() => "none".into(),
        Value::String(s) => {
            if let Ok(d) = chrono::NaiveDate::parse_from_str(s, "%Y-%m-%d") {
                d.format("%-d %B %Y").to_string()
            } else if s.chars().all(|c| c.is_ascii_lowercase() || c == '_') {
                // An enumerated value such as "northern_ireland" or "premium".
                let s = s.replace('_', " ");
                let mut c = s.chars();
                c.next()
                    .map(|f| f.to_uppercase().chain(c).collect())
                    .unwrap_or_default()
            } else {
                s.clone()
            }
        }
        Value::Array(items) if items.is_empty() => "none".into(),
        Value::Array(items) => items.iter().map(plain).collect::<Vec<_>>().join(", "),
        Value::Object(_) => v.to_string(),
    }
}

/// "£63,500" or "£1,234.50": whole pounds without pence.
fn pounds(d: Decimal) -> String {
    let pence = rust_decimal::prelude::ToPrimitive::to_i64(&(d.round_dp(2) * Decimal::ONE_HUNDRED))
        .unwrap_or(0);
    let text = tenpa_rules::money::pounds_text(pence);
    text.strip_suffix(".00")
        .map_or(text.clone(), str::to_string)
}

// ---- The timetable ----

use super::labels::DAYS;

/// One activity read loosely from its table.
struct Activity<'a> {
    map: &'a Map<String, Value>,
}

impl<'a> Activity<'a> {
    fn text(&self, key: &str) -> String {
        match self.map.get(key) {
            Some(Value::String(s)) => s.clone(),
            Some(Value::Null) | None => String::new(),
            Some(v) => v.to_string(),
        }
    }

    fn day_index(&self) -> usize {
        let d = self.text("day").to_lowercase();
        DAYS.iter()
            .position(|(k, name)| d == *k || d == name.to_lowercase())
            .unwrap_or(DAYS.len())
    }

    fn day(&self) -> String {
        DAYS.get(self.day_index())
            .map_or_else(|| self.text("day"), |(_, name)| name.to_string())
    }

    /// Minutes past midnight of the start, for ordering.
    fn start_minutes(&self) -> u32 {
        let s = self.text("start");
        let mut parts = s.split(':').map(|p| p.trim().parse::<u32>().unwrap_or(0));
        parts.next().unwrap_or(0) * 60 + parts.next().unwrap_or(0)
    }

    fn order(&self) -> (usize, u32) {
        (self.day_index(), self.start_minutes())
    }

    /// "Monday 08:00–12:00".
    fn when(&self) -> String {
        format!("{} {}–{}", self.day(), self.text("start"), self.text("end"))
    }

    /// "DCC", "SPA", …
    fn category(&self) -> String {
        match self.text("category").as_str() {
            "dcc" => "DCC".into(),
            "spa" => "SPA".into(),
            "additional_responsibility" => "additional NHS responsibility".into(),
            "external_duty" => "external duty".into(),
            "" => "activity".into(),
            other => other.into(),
        }
    }

    fn title(&self) -> String {
        self.text("title")
    }

    /// The title, or the category when it has none.
    fn name(&self) -> String {
        let t = self.title();
        if t.is_empty() {
            self.category()
        } else {
            t
        }
    }

    fn weeks(&self) -> String {
        match self.map.get("weeks") {
            Some(Value::Array(w)) if !w.is_empty() => {
                let w: Vec<String> = w.iter().map(plain).collect();
                format!("weeks {}", w.join(", "))
            }
            _ => "every week".into(),
        }
    }

    fn flag(&self, key: &str) -> bool {
        matches!(self.map.get(key), Some(Value::Bool(true)))
    }

    /// The parts compared between versions, each as (key, text); the text is what a reader sees.
    fn parts(&self) -> Vec<(String, String)> {
        let mut parts = vec![
            ("when".to_string(), self.when()),
            ("title".to_string(), self.title()),
            ("category".to_string(), self.category()),
            ("weeks".to_string(), self.weeks()),
            (
                "extra".to_string(),
                if self.flag("extra") {
                    "extra PA"
                } else {
                    "not an extra PA"
                }
                .to_string(),
            ),
            (
                "location".to_string(),
                match self.text("location") {
                    l if l.is_empty() => "no location".to_string(),
                    l => format!("at {l}"),
                },
            ),
            (
                "off_site".to_string(),
                if self.flag("off_site") {
                    "off site"
                } else {
                    "on site"
                }
                .to_string(),
            ),
            (
                "predictable_emergency".to_string(),
                if self.flag("predictable_emergency") {
                    "predictable emergency work"
                } else {
                    "not predictable emergency work"
                }
                .to_string(),
            ),
        ];
        const KNOWN: [&str; 10] = [
            "day",
            "start",
            "end",
            "title",
            "category",
            "weeks",
            "extra",
            "location",
            "off_site",
            "predictable_emergency",
        ];
        for (k, v) in self.map {
            if !KNOWN.contains(&k.as_str()) && !v.is_null() {
                parts.push((k.clone(), format!("{k} {}", plain(v))));
            }
        }
        parts
    }

    /// "Tuesday 13:00–17:00 SPA: Audit, weeks 1, 2, at Main site".
    fn describe(&self) -> String {
        let mut s = format!("{} {}", self.when(), self.category());
        if !self.title().is_empty() {
            s.push_str(&format!(": {}", self.title()));
        }
        for (k, text) in self.parts() {
            let shown = match k.as_str() {
                "when" | "title" | "category" => false,
                "weeks" => self
                    .map
                    .get("weeks")
                    .is_some_and(|w| w.as_array().is_some_and(|w| !w.is_empty())),
                "extra" | "off_site" | "predictable_emergency" => self.flag(&k),
                "location" => !self.text("location").is_empty(),
                _ => true,
            };
            if shown {
                s.push_str(", ");
                s.push_str(&text);
            }
        }
        s
    }
}

/// A way of pairing two activities: `Some(rank)` when they may pair, the lowest rank best.
type Pass = dyn Fn(&Activity<'_>, &Activity<'_>) -> Option<u8>;

/// The activities of a version; items that are not tables are skipped.
fn read_activities(v: Option<&Value>) -> Vec<Activity<'_>> {
    v.and_then(Value::as_array)
        .map(|items| {
            items
                .iter()
                .filter_map(Value::as_object)
                .map(|map| Activity { map })
                .collect()
        })
        .unwrap_or_default()
}

/// Pairs the activities of two versions and reports what changed, ordered by day then start.
fn activities(b: Option<&Value>, a: Option<&Value>, out: &mut Vec<Change>) {
    let (before, after) = (read_activities(b), read_activities(a));
    let mut b_used = vec![false; before.len()];
    let mut a_used = vec![false; after.len()];
    let mut pairs: Vec<(usize, usize)> = Vec::new();
    // Identical activities first, then the same title (preferring the same day and start, then
    // the same day), then the same day and start.
    let passes: [&Pass; 3] = [
        &|x, y| same(&Value::Object(x.map.clone()), &Value::Object(y.map.clone())).then_some(0),
        &|x, y| {
            (!x.title().is_empty() && x.title() == y.title()).then(|| {
                if x.order() == y.order() {
                    0
                } else if x.day_index() == y.day_index() {
                    1
                } else {
                    2
                }
            })
        },
        &|x, y| (x.order() == y.order()).then_some(0),
    ];
    for pass in passes {
        for (i, x) in before.iter().enumerate() {
            if b_used[i] {
                continue;
            }
            let best = after
                .iter()
                .enumerate()
                .filter(|(j, _)| !a_used[*j])
                .filter_map(|(j, y)| pass(x, y).map(|rank| (rank, j)))
                .min();
            if let Some((_, j)) = best {
                b_used[i] = true;
                a_used[j] = true;
                pairs.push((i, j));
            }
        }
    }
    let mut found: Vec<((usize, u32), u8, Change)> = Vec::new();
    for (i, j) in pairs {
        let (x, y) = (&before[i], &after[j]);
        let (px, py) = (x.parts(), y.parts());
        let get = |parts: &[(String, String)], k: &str| {
            parts
                .iter()
                .find(|(key, _)| key == k)
                .map(|(_, t)| t.clone())
        };
        let mut keys: Vec<&String> = px.iter().chain(&py).map(|(k, _)| k).collect();
        keys.dedup();
        let mut seen = Vec::new();
        let (mut was, mut is) = (Vec::new(), Vec::new());
        for k in keys {
            if seen.contains(&k) {
                continue;
            }
            seen.push(k);
            let (bx, ay) = (get(&px, k), get(&py, k));
            if bx != ay {
                was.push(bx.unwrap_or_else(|| format!("no {k}")));
                is.push(ay.unwrap_or_else(|| format!("no {k}")));
            }
        }
        if was.is_empty() {
            continue;
        }
        let what = if x.title() == y.title() {
            if x.when() == y.when() {
                format!("{} ({})", y.name(), y.when())
            } else {
                y.name()
            }
        } else if x.when() == y.when() {
            format!("{} activity", y.when())
        } else {
            "Activity".to_string()
        };
        found.push((
            y.order(),
            1,
            Change::Changed {
                what,
                before: was.join(", "),
                after: is.join(", "),
            },
        ));
    }
    for (x, _) in before.iter().zip(&b_used).filter(|(_, used)| !**used) {
        found.push((x.order(), 0, Change::Removed(x.describe())));
    }
    for (y, _) in after.iter().zip(&a_used).filter(|(_, used)| !**used) {
        found.push((y.order(), 2, Change::Added(y.describe())));
    }
    found.sort_by_key(|(order, kind, _)| (*order, *kind));
    out.extend(found.into_iter().map(|(_, _, c)| c));
}

/// The changes as an NHS design system table: what changed, the kind of change in words, and the
/// earlier and later values marked with `<del>` and `<ins>`. No changes give a sentence saying so.
pub fn render(changes: &[Change]) -> Markup {
    if changes.is_empty() {
        return html! { p class="nhsuk-body" { "No changes between these versions." } };
    }
    let none = html! {
        span aria-hidden="true" { "–" }
        span class="nhsuk-u-visually-hidden" { "nothing" }
    };
    html! {
        div class="nhsuk-table-container" {
            table class="nhsuk-table" {
                caption class="nhsuk-table__caption" { "Changes between versions" }
                thead class="nhsuk-table__head" {
                    tr class="nhsuk-table__row" {
                        th scope="col" class="nhsuk-table__header" { "What" }
                        th scope="col" class="nhsuk-table__header" { "Change" }
                        th scope="col" class="nhsuk-table__header" { "Before" }
                        th scope="col" class="nhsuk-table__header" { "After" }
                    }
                }
                tbody class="nhsuk-table__body" {
                    @for c in changes {
                        tr class="nhsuk-table__row" {
                            @match c {
                                Change::Added(what) => {
                                    th scope="row" class="nhsuk-table__header" { (what) }
                                    td class="nhsuk-table__cell" { "Added" }
                                    td class="nhsuk-table__cell" { (none) }
                                    td class="nhsuk-table__cell" { ins { (what) } }
                                }
                                Change::Removed(what) => {
                                    th scope="row" class="nhsuk-table__header" { (what) }
                                    td class="nhsuk-table__cell" { "Removed" }
                                    td class="nhsuk-table__cell" { del { (what) } }
                                    td class="nhsuk-table__cell" { (none) }
                                }
                                Change::Changed { what, before, after } => {
                                    th scope="row" class="nhsuk-table__header" { (what) }
                                    td class="nhsuk-table__cell" { "Changed" }
                                    td class="nhsuk-table__cell" { del { (before) } }
                                    td class="nhsuk-table__cell" { ins { (after) } }
                                }
                            }
                        }
                    }
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn plan() -> Value {
        json!({
            "consultant": {"id": "c-001", "name": "Dr A Jones", "first_appointed": "2015-04-01", "nation": "england"},
            "job_plan": {"effective_from": "2024-04-01", "contracted_pas": 10, "cycle_weeks": 1},
            "pay": {"point": 3, "cea_level": 0},
            "activity": [
                {"day": "mon", "start": "08:00", "end": "12:00", "category": "dcc", "title": "Outpatient clinic", "location": "Main site"},
                {"day": "mon", "start": "13:00", "end": "17:00", "category": "dcc", "title": "Theatre"},
                {"day": "wed", "start": "09:00", "end": "13:00", "category": "spa", "title": "Teaching"},
            ],
            "on_call": {"rota_size": 6, "category": "a", "emergency_hours_plain": 2, "emergency_hours_premium": 1}
        })
    }

    fn changed(what: &str, before: &str, after: &str) -> Change {
        Change::Changed {
            what: what.into(),
            before: before.into(),
            after: after.into(),
        }
    }

    #[test]
    fn identical_documents_have_no_changes() {
        assert_eq!(diff(&plan(), &plan()), []);
        // The same numbers written differently are the same.
        let mut p = plan();
        p["job_plan"]["contracted_pas"] = json!("10.0");
        assert_eq!(diff(&plan(), &p), []);
        assert_eq!(diff(&json!({}), &json!({})), []);
    }

    #[test]
    fn moved_activity_is_one_change() {
        let mut p = plan();
        p["activity"][0]["day"] = json!("tue");
        assert_eq!(
            diff(&plan(), &p),
            [changed(
                "Outpatient clinic",
                "Monday 08:00–12:00",
                "Tuesday 08:00–12:00"
            )]
        );
        assert_eq!(
            diff(&plan(), &p)[0].to_string(),
            "Outpatient clinic: Monday 08:00–12:00 → Tuesday 08:00–12:00"
        );
    }

    #[test]
    fn retitled_activity_in_the_same_slot_is_one_change() {
        let mut p = plan();
        p["activity"][1]["title"] = json!("Day surgery");
        p["activity"][1]["location"] = json!("Day unit");
        assert_eq!(
            diff(&plan(), &p),
            [changed(
                "Monday 13:00–17:00 activity",
                "Theatre, no location",
                "Day surgery, at Day unit"
            )]
        );
    }

    #[test]
    fn added_and_removed_activities() {
        let mut p = plan();
        let acts = p["activity"].as_array_mut().unwrap();
        acts.remove(2);
        acts.push(json!({"day": "tue", "start": "13:00", "end": "17:00", "category": "spa", "title": "Audit"}));
        acts.push(json!({"day": "fri", "start": "08:00", "end": "12:00", "category": "dcc", "title": "Ward round", "extra": true, "weeks": [1, 2]}));
        assert_eq!(
            diff(&plan(), &p),
            [
                Change::Added("Tuesday 13:00–17:00 SPA: Audit".into()),
                Change::Removed("Wednesday 09:00–13:00 SPA: Teaching".into()),
                Change::Added("Friday 08:00–12:00 DCC: Ward round, weeks 1, 2, extra PA".into()),
            ]
        );
    }

    #[test]
    fn changed_contracted_pas_and_order_of_sections() {
        let mut p = plan();
        p["job_plan"]["contracted_pas"] = json!(9);
        p["consultant"]["name"] = json!("Dr A Smith");
        p["on_call"]["rota_size"] = json!(4);
        p["pay"]["point"] = json!(4);
        p["activity"][2]["end"] = json!("12:00");
        assert_eq!(
            diff(&plan(), &p),
            [
                changed("Consultant's name", "Dr A Jones", "Dr A Smith"),
                changed("Contracted PAs", "10", "9"),
                changed("Pay point", "3", "4"),
                changed("Teaching", "Wednesday 09:00–13:00", "Wednesday 09:00–12:00"),
                changed("On-call rota", "1 in 6", "1 in 4"),
            ]
        );
    }

    #[test]
    fn on_call_added_removed_and_changed() {
        let mut without = plan();
        without.as_object_mut().unwrap().remove("on_call");
        let removed = diff(&plan(), &without);
        assert_eq!(removed.len(), 1);
        assert!(
            matches!(&removed[0], Change::Removed(s) if s == "On-call: 1 in 6, category A, Emergency work in plain time (hours a week) 2, Emergency work in premium time (hours a week) 1"),
            "{removed:?}"
        );
        let added = diff(&without, &plan());
        assert!(
            matches!(&added[..], [Change::Added(s)] if s.starts_with("On-call: ")),
            "{added:?}"
        );
        let mut p = plan();
        p["on_call"]["category"] = json!("b");
        p["on_call"]["rota_size"] = json!(0);
        assert_eq!(
            diff(&plan(), &p),
            [
                changed("On-call rota", "1 in 6", "not on a rota"),
                changed("On-call category", "A", "B"),
            ]
        );
    }

    #[test]
    fn unknown_fields_use_dotted_paths() {
        let mut p = plan();
        p["job_plan"]["review"] = json!({"panel": {"chair": "Dr B"}});
        let mut q = p.clone();
        q["job_plan"]["review"]["panel"]["chair"] = json!("Dr C");
        q["mentoring"] = json!({"hours": 2});
        q["pay"]["recruitment_retention_premium"] =
            json!({"kind": "retention", "amount": 5000, "start": "2024-04-01"});
        assert_eq!(
            diff(&p, &q),
            [
                changed("job_plan.review.panel.chair", "Dr B", "Dr C"),
                Change::Added("Recruitment or retention premium: kind Retention, amount a year £5,000, start 1 April 2024".into()),
                Change::Added("mentoring: hours 2".into()),
            ]
        );
        let mut r = q.clone();
        r["pay"]["recruitment_retention_premium"]["amount"] = json!(7500.5);
        r["mentoring"]["hours"] = json!(3);
        assert_eq!(
            diff(&q, &r),
            [
                changed(
                    "Recruitment or retention premium: amount a year",
                    "£5,000",
                    "£7,500.50"
                ),
                changed("mentoring.hours", "2", "3"),
            ]
        );
    }

    #[test]
    fn travel_items_are_paired() {
        let mut p = plan();
        p["travel"] =
            json!([{"kind": "between_sites", "hours": 2}, {"kind": "emergency", "hours": 1}]);
        let mut q = p.clone();
        q["travel"][1]["hours"] = json!(1.5);
        assert_eq!(
            diff(&p, &q),
            [changed("Travel 2: hours a week", "1", "1.5")]
        );
        q["travel"].as_array_mut().unwrap().remove(0);
        assert_eq!(
            diff(&p, &q),
            [
                changed("Travel 1: hours a week", "1", "1.5"),
                Change::Removed("Travel: kind Between sites, hours a week 2".into())
            ]
        );
    }

    #[test]
    fn render_escapes_and_names_each_change() {
        let html = render(&[
            Change::Added("Monday 08:00–12:00 DCC: <script>alert(1)</script> & co".into()),
            changed("Contracted PAs", "10", "9"),
            Change::Removed("On-call: 1 in 6".into()),
        ])
        .into_string();
        assert!(!html.contains("<script>"));
        assert!(html.contains("&lt;script&gt;alert(1)&lt;/script&gt; &amp; co"));
        assert!(html.contains("class=\"nhsuk-table\""));
        for word in [
            "Added",
            "Changed",
            "Removed",
            "<del>10</del>",
            "<ins>9</ins>",
        ] {
            assert!(html.contains(word), "{word} in {html}");
        }
        assert!(render(&[]).into_string().contains("No changes"));
    }
}
