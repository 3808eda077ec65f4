//! Words for the contract's values on pages and in exports: the days of the week and the
//! categories of activity, each said one way.

use serde_json::Value;
use tenpa_rules::plan::{Category, Day, Employer, ExistingAwardKind, ShortIntervals};

/// The days as documents write them and as people read them, Monday first.
pub const DAYS: [(&str, &str); 7] = [
    ("mon", "Monday"),
    ("tue", "Tuesday"),
    ("wed", "Wednesday"),
    ("thu", "Thursday"),
    ("fri", "Friday"),
    ("sat", "Saturday"),
    ("sun", "Sunday"),
];

/// A day in words.
pub fn day_label(d: Day) -> &'static str {
    DAYS[d.index()].1
}

/// An activity's category in words.
pub fn category_label(c: Category) -> &'static str {
    match c {
        Category::Dcc => "Direct clinical care",
        Category::Spa => "Supporting professional activities",
        Category::AdditionalResponsibility => "Additional NHS responsibilities",
        Category::ExternalDuty => "External duties",
    }
}

/// A category as documents write it (`dcc`, `spa`, …) in words; "Other" for none of them.
pub fn category_text_label(c: &str) -> &'static str {
    Category::ALL
        .into_iter()
        .find(|k| k.as_str() == c)
        .map_or("Other", category_label)
}

/// The kinds of existing award kept from before the clinical excellence award scheme (E 4.4), as
/// documents write them and in words.
pub const EXISTING_AWARD_KINDS: [(&str, &str); 2] = [
    ("discretionary_points", "Discretionary points"),
    ("distinction_award", "A distinction award"),
];

/// An existing award's kind in words, as the editor offers it.
pub fn existing_award_label(kind: ExistingAwardKind) -> &'static str {
    match kind {
        ExistingAwardKind::DiscretionaryPoints => EXISTING_AWARD_KINDS[0].1,
        ExistingAwardKind::DistinctionAward => EXISTING_AWARD_KINDS[1].1,
    }
}

/// A `short_intervals` table's flags: (agreed with the employer, messages taken).
pub type IntervalFlags = (bool, bool);

/// Contactability during on-call (OC-7, F 4(l)) as the editor offers it: the choice, its words,
/// and the `short_intervals` flags it records (agreed with the employer, messages taken; none:
/// contactable throughout).
pub const ON_CALL_INTERVALS: [(&str, &str, Option<IntervalFlags>); 4] = [
    ("", "Contactable throughout the on-call period", None),
    (
        "agreed_messages",
        "Short intervals agreed with the employer, messages taken",
        Some((true, true)),
    ),
    (
        "agreed",
        "Short intervals agreed, no arrangements for messages",
        Some((true, false)),
    ),
    (
        "not_agreed",
        "Short intervals not agreed with the employer",
        Some((false, true)),
    ),
];

/// The choice of [`ON_CALL_INTERVALS`] for a stored `short_intervals` table.
pub fn intervals_choice(stored: Option<&Value>) -> String {
    let Some(t) = stored.filter(|v| v.is_object()) else {
        return String::new();
    };
    let flag = |k: &str| t.get(k).and_then(Value::as_bool).unwrap_or(false);
    let key = (flag("agreed_with_employer"), flag("messages_taken"));
    ON_CALL_INTERVALS
        .iter()
        .find(|(_, _, v)| *v == Some(key))
        .map_or("not_agreed", |(v, _, _)| v)
        .to_string()
}

/// Contactability during on-call in words: throughout, or the short intervals agreed (OC-7).
/// Flags the editor does not offer (not agreed, no messages) read as "not agreed", as
/// [`intervals_choice`] reads them.
pub fn intervals_label(intervals: Option<&ShortIntervals>) -> &'static str {
    let flags = intervals.map(|s| (s.agreed_with_employer, s.messages_taken));
    ON_CALL_INTERVALS
        .iter()
        .find(|(_, _, f)| *f == flags)
        .map_or(ON_CALL_INTERVALS[3].1, |(_, l, _)| l)
}

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

/// The name of the employer an activity (or the on-call rota) is for, as
/// `JobPlanDocument::employer_of` finds it; "no employer named" when there is none (JP-5).
pub fn department_name(departments: &[tenpa_store::Department], id: i64) -> String {
    departments
        .iter()
        .find(|d| d.id == id)
        .map_or_else(|| format!("Department {id}"), |d| d.name.clone())
}

/// An employer's name, as the plan gives it; the plan's own employer when it names none.
pub fn employer_name(employer: Option<&Employer>) -> String {
    employer.map_or_else(|| "no employer named".into(), |e| e.name.clone())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn days_and_categories_are_said_one_way() {
        for d in Day::ALL {
            assert_eq!(DAYS[d.index()].0, d.title().to_lowercase());
        }
        assert_eq!(day_label(Day::Sun), "Sunday");
        assert_eq!(
            category_text_label("spa"),
            "Supporting professional activities"
        );
        assert_eq!(category_text_label("private"), "Other");
    }
}
