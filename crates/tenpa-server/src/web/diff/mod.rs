//! What changed between two versions of a job plan, in plain English.
//!
//! Fields of the known tables are named by a friendly label ("Contracted PAs: 10 → 9"); fields
//! nobody has named yet fall back to their dotted path ("job_plan.review.panel"). Activities are
//! matched across the versions by title, then by day and start, so moving a clinic from Monday to
//! Tuesday is one change, not a removal and an addition.
//!
//! One file per part: `fields` (the sections' and fields' names), `values` (comparing values
//! and lists, and showing them) and `timetable` (pairing activities across versions); the change,
//! the comparison's entry point and its table are here.

mod fields;
mod timetable;
mod values;

use self::fields::{section_label, SECTIONS};
use self::timetable::activities;
use self::values::value;
use crate::web::components::HtmlTable;
use maud::{html, Markup};
use serde_json::{Map, Value};

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
            (HtmlTable::new("Changes between versions")
                .row_headers()
                .columns(&["What", "Change", "Before", "After"])
                .rows(changes.iter().map(|c| match c {
                    Change::Added(what) => vec![
                        html! { (what) },
                        html! { "Added" },
                        html! { (none) },
                        html! { ins { (what) } },
                    ],
                    Change::Removed(what) => vec![
                        html! { (what) },
                        html! { "Removed" },
                        html! { del { (what) } },
                        html! { (none) },
                    ],
                    Change::Changed { what, before, after } => vec![
                        html! { (what) },
                        html! { "Changed" },
                        html! { del { (before) } },
                        html! { ins { (after) } },
                    ],
                })))
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
