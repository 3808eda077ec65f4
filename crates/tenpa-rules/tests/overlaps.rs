//! WW-9 (A 8.3, B 3.1): overlapping activities are reported once per group of activities that
//! overlap one another, so the assessment of a crowded timetable stays small and cheap.

use tenpa_rules::plan::{Activity, ClockTime, Day};
use tenpa_rules::{evaluate, parse_document, Format, JobPlanDocument, Parameters};

const PLAN: &str = include_str!("../../../examples/surgeon-1-in-4.toml");

fn plan(activities: Vec<Activity>) -> JobPlanDocument {
    let params = Parameters::embedded();
    let mut doc = parse_document("surgeon.toml", PLAN.as_bytes(), Format::Toml, params).unwrap();
    doc.activities = activities;
    doc
}

fn at(template: &Activity, day: Day, start: u16, end: u16, title: &str) -> Activity {
    let mut a = template.clone();
    a.day = day;
    a.start = ClockTime::from_minutes(start).unwrap();
    a.end = ClockTime::from_minutes(end).unwrap();
    a.title = title.into();
    a.weeks = vec![];
    a
}

fn template() -> Activity {
    let params = Parameters::embedded();
    parse_document("surgeon.toml", PLAN.as_bytes(), Format::Toml, params)
        .unwrap()
        .activities[0]
        .clone()
}

fn overlap_messages(doc: &JobPlanDocument) -> Vec<String> {
    evaluate(doc, Parameters::embedded(), None)
        .unwrap()
        .findings
        .into_iter()
        .filter(|f| f.rule == "WW-9" && f.message.contains("overlaps"))
        .map(|f| f.message)
        .collect()
}

/// Source: the reproduction behind the limit: 40 copies of one session are one group of 780
/// overlapping pairs, reported as one finding naming five pairs and counting the other 775.
#[test]
fn identical_activities_are_one_finding_with_a_count() {
    let t = template();
    let doc = plan(vec![at(&t, Day::Wed, 8 * 60, 12 * 60, "Clinic"); 40]);
    let messages = overlap_messages(&doc);
    assert_eq!(messages.len(), 1, "{messages:?}");
    assert_eq!(
        messages[0].matches(" overlaps ").count(),
        5,
        "{}",
        messages[0]
    );
    assert!(
        messages[0].ends_with("; and 775 more overlapping pairs"),
        "{}",
        messages[0]
    );
}

/// Source: A 8.3: two activities at the same time are named as a pair, as before; separate
/// stretches of the week are separate findings; a chain names only the pairs that overlap.
#[test]
fn groups_name_only_the_pairs_that_overlap() {
    let t = template();
    let doc = plan(vec![
        at(&t, Day::Mon, 8 * 60, 12 * 60, "A"),
        at(&t, Day::Mon, 9 * 60, 13 * 60, "B"),
        at(&t, Day::Tue, 8 * 60, 10 * 60, "C"),
        at(&t, Day::Tue, 9 * 60, 11 * 60, "D"),
        at(&t, Day::Tue, 10 * 60 + 30, 12 * 60, "E"),
        at(&t, Day::Wed, 8 * 60, 12 * 60, "F"),
    ]);
    let messages = overlap_messages(&doc);
    assert_eq!(
        messages,
        vec![
            "\"Mon 08:00-12:00 A\" overlaps \"Mon 09:00-13:00 B\"".to_string(),
            "\"Tue 08:00-10:00 C\" overlaps \"Tue 09:00-11:00 D\"; \"Tue 09:00-11:00 D\" overlaps \"Tue 10:30-12:00 E\"".to_string(),
        ]
    );
}

/// Source: the limit on a document's activities: one past it is refused naming the first activity
/// beyond it, before any assessment.
#[test]
fn a_document_past_the_activity_limit_is_refused() {
    let mut text = PLAN.to_string();
    let one =
        "\n[[activity]]\nday = \"wed\"\nstart = \"08:00\"\nend = \"12:00\"\ncategory = \"dcc\"\n";
    for _ in 0..tenpa_rules::plan::MAX_ACTIVITIES {
        text.push_str(one);
    }
    let e = parse_document(
        "big.toml",
        text.as_bytes(),
        Format::Toml,
        Parameters::embedded(),
    )
    .unwrap_err();
    assert_eq!(
        e.field,
        format!("activity[{}]", tenpa_rules::plan::MAX_ACTIVITIES)
    );
    assert!(e.message.contains("expected at most 500"), "{}", e.message);
}
