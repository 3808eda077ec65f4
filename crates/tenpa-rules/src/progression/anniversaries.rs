//! PP-3: when progression falls (the anniversaries of appointment or transfer), and appeals.

use crate::parameters::LeapDayAnniversary;
use crate::plan::{AppealOutcome, Year};
use crate::rule::Rule;
use chrono::{Datelike, NaiveDate};

/// PP-3: progression falls on the anniversary of first appointment (new consultants) or of the
/// transfer to the contract (existing consultants), after the job plan review, the Medical
/// Director's recommendation and the Chief Executive's decision.
pub const PP_3: Rule = Rule {
    id: "PP-3",
    citation: "C 4.2-4.3, C 4.6",
    title: "Progression on the anniversary",
};

/// The `n`-th anniversary of `anchor` (the 0th is `anchor`). An anchor on 29 February falls, in a
/// year without one, on the day the `progression/leap_day_anniversary` parameter names (1 March
/// by default). `None` past the calendar's end.
pub fn anniversary(anchor: NaiveDate, n: u32, leap: LeapDayAnniversary) -> Option<NaiveDate> {
    let year = anchor.year().checked_add(i32::try_from(n).ok()?)?;
    NaiveDate::from_ymd_opt(year, anchor.month(), anchor.day()).or_else(|| match leap {
        LeapDayAnniversary::March1 => NaiveDate::from_ymd_opt(year, 3, 1),
        LeapDayAnniversary::February28 => NaiveDate::from_ymd_opt(year, 2, 28),
    })
}

/// Which anniversary of `anchor` `date` is, if it is one.
pub fn anniversary_number(
    anchor: NaiveDate,
    date: NaiveDate,
    leap: LeapDayAnniversary,
) -> Option<u32> {
    let n = u32::try_from(date.year() - anchor.year()).ok()?;
    (anniversary(anchor, n, leap) == Some(date)).then_some(n)
}

/// PP-3 (C 7): a consultant may appeal a refusal of progression to a local appeals panel, the onus
/// being on the employer to show why progression was withheld.
pub const PP_3_APPEAL: Rule = Rule {
    id: "PP-3",
    citation: "C 7.1-7.2",
    title: "Appeal against a refusal",
};

/// Whether an appeal upheld by the panel lets the year count despite a failed criterion.
pub fn appeal_upheld(y: &Year) -> bool {
    y.appeal
        .as_ref()
        .is_some_and(|a| a.outcome == AppealOutcome::Upheld)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::progression::d;

    /// Source: C 4.6, and this project's reading for 29 February (docs/readings.md).
    #[test]
    fn a_leap_day_anniversary_falls_on_the_parameter_s_day() {
        let a = d(2004, 2, 29);
        let march = LeapDayAnniversary::March1;
        let feb = LeapDayAnniversary::February28;
        assert_eq!(anniversary(a, 1, march), Some(d(2005, 3, 1)));
        assert_eq!(anniversary(a, 1, feb), Some(d(2005, 2, 28)));
        assert_eq!(anniversary(a, 4, march), Some(d(2008, 2, 29)));
        assert_eq!(anniversary(a, 4, feb), Some(d(2008, 2, 29)));
        assert_eq!(anniversary_number(a, d(2005, 3, 1), march), Some(1));
        assert_eq!(anniversary_number(a, d(2005, 3, 1), feb), None);
        assert_eq!(anniversary_number(a, d(2005, 2, 28), feb), Some(1));
        assert_eq!(anniversary_number(a, d(2003, 2, 28), march), None);
        assert_eq!(anniversary(NaiveDate::MAX, 1, march), None);
    }
}
