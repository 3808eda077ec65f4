//! PP-4, PP-5, PP-6: spare capacity offered to the NHS first, extra PAs offered and ended
//! correctly, and the years the 2-PA rule applies.

use crate::finding::Findings;
use crate::money::show;
use crate::parameters::{ExtraPaNotice, Parameters, SpareCapacity};
use crate::plan::{
    Consultant, ExtraPaOffer, OfferBasis, OfferResponse, OutsideWork, OutsideWorkPolicy,
};
use crate::rule::Rule;
use chrono::{Months, NaiveDate};
use rust_decimal::Decimal;

/// PP-4: a year is unsatisfactory when the consultant declines extra PAs offered correctly (PP-5),
/// up to 1 PA a week on average (2 while the 2-PA rule applies, PP-6), and then does remunerated
/// clinical work outside the main NHS contract.
pub const PP_4: Rule = Rule {
    id: "PP-4",
    citation: "F 6(c)-(d)",
    title: "Spare capacity offered to the NHS first",
};

/// PP-4's decision on one year.
#[derive(Debug, Clone, PartialEq)]
pub struct SpareVerdict {
    /// Whether the consultant offered the NHS the first portion of spare capacity.
    pub offered: bool,
    /// Why not, when not.
    pub reason: String,
}

/// PP-4 for the year `[starting, ending)`: `correct[i]` says whether offer `i` met PP-5;
/// `expected` is the PAs a week the consultant is expected to accept, and `expectation_note` says
/// why (written only into a message); `outside` describes the outside work that is not exempt
/// (PP-4's exemption), if any.
#[allow(clippy::too_many_arguments)]
pub fn spare_capacity(
    starting: NaiveDate,
    ending: NaiveDate,
    offers: &[ExtraPaOffer],
    correct: &[bool],
    expected: Decimal,
    outside: Option<&str>,
    expectation_note: &dyn Fn() -> String,
    f: &mut Findings,
) -> SpareVerdict {
    let declined = offers.iter().enumerate().filter(|(i, o)| {
        o.response == OfferResponse::Declined
            && correct[*i]
            && o.responded_on >= starting
            && o.responded_on < ending
    });
    for (_, o) in declined {
        let held: Decimal = offers
            .iter()
            .filter(|a| {
                a.response == OfferResponse::Accepted
                    && a.responded_on <= o.responded_on
                    && a.terminated_on.is_none_or(|t| t > o.responded_on)
            })
            .map(|a| a.pas)
            .sum();
        let Some(work) = outside else { continue };
        if held + o.pas > expected {
            f.info(PP_4, format!("declining {} a week offered on {} does not make the year ending {ending} unsatisfactory: with {} already accepted it is above the {} a week the consultant is expected to accept ({})", pas(o.pas), o.offered_on, pas(held), pas(expected), expectation_note()));
            continue;
        }
        return SpareVerdict {
            offered: false,
            reason: format!("declined {} a week of extra work correctly offered on {} and did remunerated clinical work outside the main NHS contract ({work}); up to {} a week is expected ({})", pas(o.pas), o.offered_on, pas(expected), expectation_note()),
        };
    }
    SpareVerdict {
        offered: true,
        reason: String::new(),
    }
}

pub(super) fn pas(d: Decimal) -> String {
    format!("{} PA{}", show(d), if d == Decimal::ONE { "" } else { "s" })
}

/// PP-4 (F 6(e)): the employer may exempt categories of outside work from the spare-capacity rule.
pub const PP_4_EXEMPTION: Rule = Rule {
    id: "PP-4",
    citation: "F 6(e)",
    title: "Exempted categories of outside work",
};

/// The outside work of a year that is not exempt, described; `None` when there is none.
pub fn non_exempt_work(
    work: &OutsideWork,
    policy: Option<&OutsideWorkPolicy>,
    ending: NaiveDate,
    f: &mut Findings,
) -> Option<String> {
    match work {
        OutsideWork::None => None,
        OutsideWork::Unspecified => Some("of no named category".into()),
        OutsideWork::Categories(c) => {
            let exempt = |x: &String| policy.is_some_and(|p| p.exempted_categories.contains(x));
            let left: Vec<&str> = c
                .iter()
                .filter(|x| !exempt(x))
                .map(String::as_str)
                .collect();
            if left.len() < c.len() {
                let gone: Vec<&str> = c.iter().filter(|x| exempt(x)).map(String::as_str).collect();
                f.info(PP_4_EXEMPTION, format!("outside work in the year ending {ending} of exempted categories ({}) does not count for spare capacity", gone.join(", ")));
            }
            (!left.is_empty()).then(|| left.join(", "))
        }
    }
}

/// PP-4 (F 6(c)): a consultant who wishes to do remunerated clinical work outside the main NHS
/// contract should first consult the NHS employer.
pub const PP_4_CONSULT: Rule = Rule {
    id: "PP-4",
    citation: "F 6(c)",
    title: "Consulting the employer before outside work",
};

/// A warning when outside work that is not exempt (`outside`) was taken up without first
/// consulting the NHS employer (`consulted` recorded as `false`).
pub fn check_consulted(
    outside: Option<&str>,
    consulted: Option<bool>,
    ending: NaiveDate,
    f: &mut Findings,
) {
    if let (Some(work), Some(false)) = (outside, consulted) {
        f.warning(PP_4_CONSULT, format!("remunerated clinical work outside the main NHS contract in the year ending {ending} ({work}) was taken up without first consulting the NHS employer, as consultants wishing to do such work should (F 6(c)), so that the employer may offer the work as extra PAs first"));
    }
}

/// PP-5: an extra-PA offer is correct when made at annual review where possible and, unless
/// otherwise agreed, at least 3 months before the work starts (6 where the consultant must
/// reschedule external commitments), and offered equally to all clinically appropriate
/// consultants, on an annualised basis where possible; ending extra PAs needs 3 months' notice.
pub const PP_5: Rule = Rule {
    id: "PP-5",
    citation: "F 6(c)",
    title: "Offering and ending extra PAs",
};

/// Why an offer was not made correctly, or `None` when it was.
pub fn offer_defect(o: &ExtraPaOffer, notice: &ExtraPaNotice) -> Option<String> {
    if !o.offered_to_all_appropriate {
        return Some(
            "was not offered equally to all clinically appropriate consultants".to_string(),
        );
    }
    if o.shorter_notice_agreed {
        return None;
    }
    let months = if o.reschedule_external_commitments {
        notice.rescheduling_months
    } else {
        notice.offer_months
    };
    let enough = o
        .offered_on
        .checked_add_months(Months::new(months))
        .is_some_and(|d| d <= o.starts_on);
    (!enough).then(|| {
        format!(
            "to start on {} gave {} of notice; {months} months are needed{} unless a shorter notice is agreed",
            o.starts_on,
            notice_given(o.offered_on, o.starts_on),
            if o.reschedule_external_commitments {
                " where external commitments must be rescheduled"
            } else {
                ""
            }
        )
    })
}

/// "2 months", "2 months and 10 days", "25 days".
fn notice_given(from: NaiveDate, to: NaiveDate) -> String {
    let mut m = 0u32;
    while from
        .checked_add_months(Months::new(m + 1))
        .is_some_and(|d| d <= to)
    {
        m += 1;
    }
    let rest = from
        .checked_add_months(Months::new(m))
        .map_or(0, |d| (to - d).num_days());
    let unit = |n: i64, one: &str| format!("{n} {one}{}", if n == 1 { "" } else { "s" });
    match (m, rest) {
        (0, d) => unit(d, "day"),
        (m, 0) => unit(i64::from(m), "month"),
        (m, d) => format!("{} and {}", unit(i64::from(m), "month"), unit(d, "day")),
    }
}

/// Info findings for the parts of PP-5 that apply "where possible": at annual review, annualised.
pub fn note_manner(o: &ExtraPaOffer, f: &mut Findings) {
    if !o.at_annual_review {
        f.info(PP_5, format!("the offer of {} made on {} was not made at the annual job plan review, where extra PAs are offered where possible", pas(o.pas), o.offered_on));
    }
    if o.basis == OfferBasis::Fixed {
        f.info(PP_5, format!("the offer of {} made on {} is on a fixed basis; where possible extra PAs are offered on an agreed annualised basis", pas(o.pas), o.offered_on));
    }
}

/// A warning when accepted extra PAs were ended with less than the notice required.
pub fn check_termination(o: &ExtraPaOffer, notice: &ExtraPaNotice, f: &mut Findings) {
    let (Some(end), Some(given)) = (o.terminated_on, o.termination_notice_given_on) else {
        return;
    };
    let enough = given
        .checked_add_months(Months::new(notice.termination_months))
        .is_some_and(|d| d <= end);
    if !enough {
        f.warning(PP_5, format!("the extra {} a week accepted on {} were terminated on {end} with {} of notice; at least {} months are needed", pas(o.pas), o.responded_on, notice_given(given, end), notice.termination_months));
    }
}

/// PP-6: the 2-PA rule of F 6(d) is phased by the date the post was offered: before 1 April 2003
/// never; 2003/04 for the first contract year; 2004/05 the first 3; 2005/06 the first 5; from
/// 1 April 2006 the first 7. It never applies to existing consultants who transfer.
pub const PP_6: Rule = Rule {
    id: "PP-6",
    citation: "F 6(d), F 9(g), F 9(i)",
    title: "Phasing of the 2-PA rule",
};

/// The years from first appointment during which the 2-PA rule applies to `c`: none for an
/// existing consultant who transferred, or for a post offered before the phasing began.
pub fn two_pa_rule_years(c: &Consultant, params: &Parameters) -> u32 {
    if c.transferred.is_some() {
        return 0;
    }
    params
        .two_pa_rule_years
        .value(c.post_offered)
        .copied()
        .unwrap_or(0)
}

/// The extra PAs a week a consultant is expected to accept in year `k` of their career.
pub fn expected_pas(k: u32, two_pa_years: u32, spare: &SpareCapacity) -> Decimal {
    if k <= two_pa_years {
        spare.first_phase_pas
    } else {
        spare.pas
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::progression::d;

    /// Source: PP-5 (F 6(c)): notice is counted in calendar months, then days.
    #[test]
    fn notice_is_described_in_months_and_days() {
        assert_eq!(
            notice_given(d(2005, 5, 2), d(2005, 7, 4)),
            "2 months and 2 days"
        );
        // A month from the 31st ends on the last day of a shorter month (docs/readings.md).
        assert_eq!(notice_given(d(2005, 1, 31), d(2005, 4, 30)), "3 months");
        assert_eq!(
            notice_given(d(2005, 1, 31), d(2005, 4, 29)),
            "2 months and 29 days"
        );
        assert_eq!(notice_given(d(2005, 10, 31), d(2006, 1, 31)), "3 months");
        assert_eq!(notice_given(d(2005, 10, 1), d(2005, 10, 2)), "1 day");
    }
}
