//! Words for the contract's values on pages and in exports: the days of the week and the
//! categories of activity, each said one way.

use tenpa_rules::plan::{Category, Day};

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

/// An existing award's kind in words; the text itself when it is none of them.
pub fn existing_award_label(kind: &str) -> &str {
    EXISTING_AWARD_KINDS
        .iter()
        .find(|(k, _)| *k == kind)
        .map_or(kind, |(_, l)| l)
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
