//! Where figures come from: the rules and their citations.

use tenpa_rules::rule::{self, Rule};

/// The rules whose id is `id`, compared without regard to case (`oc-6` finds OC-6): empty when
/// there is none.
pub fn rules_with_id(id: &str) -> Vec<Rule> {
    rule::all()
        .into_iter()
        .filter(|r| r.id.eq_ignore_ascii_case(id))
        .collect()
}
