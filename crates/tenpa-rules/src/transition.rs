//! Transitional arrangements for existing consultants (TR-1 … TR-5; F 9(b)-(h)): where a
//! consultant moving from the old contract starts, how fast they climb, the PAs of part-timers, the
//! phased pay of a maximum part-timer moving to full time, and the end of the transitional period.
//! The timeline that applies them year by year is [`crate::progression::timeline`].

use crate::finding::Findings;
use crate::money::{show, Figure, Money};
use crate::parameters::{SeniorityIntervals, SeniorityStart, Share, Step};
use crate::rule::Rule;
use chrono::NaiveDate;
use rust_decimal::{Decimal, RoundingStrategy};
use serde::Serialize;

/// TR-1: on transfer an existing full-time consultant moves to £71,000, except by seniority: 1 →
/// £63,000, 2 → £63,500, 3 → £64,000, 4 → £64,500, 5 → £69,000, 6 → £70,000, 30 or more → £75,750
/// (2002/03 values).
pub const TR_1: Rule = Rule {
    id: "TR-1",
    citation: "F 9(b)",
    title: "Starting point on transfer",
};

/// The 2002/03 value an existing consultant of `seniority` moves to: the row of the table with
/// the greatest seniority not above theirs.
pub fn starting_point(seniority: u32, rows: &[SeniorityStart]) -> Decimal {
    rows.iter()
        .rev()
        .find(|r| r.seniority <= seniority)
        .or(rows.first())
        .map_or(Decimal::ZERO, |r| r.point)
}

/// TR-2: later thresholds come after intervals set by seniority at transfer ("accelerated
/// eligibility"); each interval still needs that many satisfactory years (PP-2).
pub const TR_2: Rule = Rule {
    id: "TR-2",
    citation: "F 9(c)",
    title: "Thresholds after transfer by seniority",
};

/// The steps after transfer for `seniority`: the row with the greatest seniority not above theirs.
pub fn steps(seniority: u32, rows: &[SeniorityIntervals]) -> &[Step] {
    rows.iter()
        .rev()
        .find(|r| r.seniority <= seniority)
        .or(rows.first())
        .map_or(&[], |r| r.steps.as_slice())
}

/// TR-3: an existing part-time consultant chooses the PAs nearest their current notional hours,
/// or PAs equal to their notional half-days if they show a matching increase in work.
pub const TR_3: Rule = Rule {
    id: "TR-3",
    citation: "F 9(d)",
    title: "PAs of an existing part-time consultant",
};

/// The two choices TR-3 offers.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct PartTimeChoice {
    /// PAs nearest in equivalence to the notional hours: hours / PA length, to the nearest step of
    /// `transition/part_time_pa_step` (half a PA; halves up), so the exact equivalent where the
    /// hours give whole or half PAs.
    #[serde(
        serialize_with = "crate::money::number_opt",
        skip_serializing_if = "Option::is_none"
    )]
    pub nearest_to_notional_hours: Option<Decimal>,
    /// PAs equal to the notional half-days, open when a commensurate increase in work is shown.
    #[serde(
        serialize_with = "crate::money::number_opt",
        skip_serializing_if = "Option::is_none"
    )]
    pub notional_half_days: Option<Decimal>,
    /// The PAs of the first year on the contract.
    #[serde(serialize_with = "crate::money::number")]
    pub chosen: Decimal,
}

/// The PAs nearest in equivalence to `notional_hours`: hours / `pa_hours`, to the nearest
/// multiple of `step` (halves up). With a step of half a PA, 26 hours are exactly 6.5 PAs.
pub fn nearest_pas(notional_hours: Decimal, pa_hours: Decimal, step: Decimal) -> Decimal {
    let steps = (notional_hours / pa_hours / step)
        .round_dp_with_strategy(0, RoundingStrategy::MidpointAwayFromZero);
    (steps * step).normalize()
}

/// The TR-3 choices, and a warning when the first year's PAs are neither of them. The PAs equal to
/// the notional half-days are the second choice only with a commensurate increase in work shown;
/// where they are also the PAs nearest the notional hours, no increase is needed.
pub fn part_time_choice(
    notional_hours: Option<Decimal>,
    notional_half_days: Option<Decimal>,
    increase_shown: bool,
    chosen: Decimal,
    pa_hours: Decimal,
    step: Decimal,
    f: &mut Findings,
) -> PartTimeChoice {
    let nearest = notional_hours.map(|h| nearest_pas(h, pa_hours, step));
    let choice = PartTimeChoice {
        nearest_to_notional_hours: nearest,
        notional_half_days,
        chosen,
    };
    let by_hours = nearest == Some(chosen);
    let by_half_days = notional_half_days == Some(chosen);
    if by_half_days && !by_hours && !increase_shown {
        f.warning(TR_3, format!("{} PAs equal the notional half-days, which needs a commensurate increase in the work done; record commensurate_increase_shown = true, or contract for {} PAs (nearest to the notional hours)", show(chosen), nearest.map_or_else(|| "the".into(), show)));
    } else if !by_hours && !by_half_days && (nearest.is_some() || notional_half_days.is_some()) {
        let mut options = Vec::new();
        if let Some(n) = nearest {
            options.push(format!("{} (nearest to the notional hours)", show(n)));
        }
        if let Some(h) = notional_half_days {
            options.push(format!(
                "{} (the notional half-days, with a commensurate increase in work)",
                show(h)
            ));
        }
        f.warning(
            TR_3,
            format!(
                "the first year's {} PAs are not a TR-3 choice: {}",
                show(chosen),
                options.join(" or ")
            ),
        );
    }
    choice
}

/// TR-4: a consultant on a maximum part-time contract who moves to full time is paid, in year 1,
/// current pay (with the annual award) + 1/3 of the gap to target pay; in year 2, + 2/3; then
/// target pay.
pub const TR_4: Rule = Rule {
    id: "TR-4",
    citation: "F 9(e)",
    title: "Maximum part-time to full time: phased pay",
};

/// Pay in a phased year: `current + share × (target − current)`, exact; target pay once the
/// phasing is over (`share` = `None`).
pub fn phased_pay(current: Decimal, target: Decimal, share: Option<Share>) -> Decimal {
    match share {
        Some(s) => current + s.of(target - current),
        None => target,
    }
}

/// TR-4 (F 9(f)): the extra PAs a former maximum part-timer is expected to accept (PP-4) are
/// phased the same way.
pub const TR_4_EXTRA_PAS: Rule = Rule {
    id: "TR-4",
    citation: "F 9(f)",
    title: "Maximum part-time to full time: phased extra PAs",
};

/// The PAs expected in a phased year: `share × pas`; all of them once the phasing is over.
pub fn phased_expectation(pas: Decimal, share: Option<Share>) -> Decimal {
    share.map_or(pas, |s| s.of(pas))
}

/// One year of TR-4's phasing, with its figures on the day it starts.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Phase {
    /// 1, 2, … from the transfer.
    pub year: u32,
    /// The first day.
    pub from: NaiveDate,
    /// The day after the last; `None` for target pay onwards.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub to: Option<NaiveDate>,
    /// Share of the gap paid: "1/3", "2/3", or "1" for target pay.
    pub share: String,
    /// Current pay with the general awards to `from`'s pay year.
    pub current_pay: Money,
    /// Target pay: the full-time salary of the consultant's point on `from`.
    pub target_pay: Money,
    /// What is paid (full time, a year).
    pub amount: Money,
}

/// TR-5: the transitional period ends on 31 March 2006.
pub const TR_5: Rule = Rule {
    id: "TR-5",
    citation: "F 9(h)",
    title: "End of the transitional period",
};

/// TR-5's on-call safeguard: during the transitional period the new recognition of on-call work
/// does not reduce the time available for other duties, if necessary by contracting additional PAs
/// (F 9(i)).
pub const TR_5_OTHER_DUTIES: Rule = Rule {
    id: "TR-5",
    citation: "F 9(i)",
    title: "On-call recognition not at the cost of other duties",
};

/// A warning when, within the transitional period, on-call PAs are recognised and the PAs left for
/// other duties (core and extra, `other_now`) are fewer than at the previous review (`before`).
pub fn check_other_duties(
    before: Decimal,
    other_now: Decimal,
    on_call: Decimal,
    in_period: bool,
    f: &mut Findings,
) {
    if in_period && on_call > Decimal::ZERO && other_now < before {
        f.warning(TR_5_OTHER_DUTIES, format!("on-call recognition of {} PAs a week leaves {} PAs for other duties, fewer than the {} at the previous review: during the transitional period the new recognition of on-call work must not reduce the time for other duties, if necessary by contracting additional PAs (F 9(i))", Figure(on_call), Figure(other_now), Figure(before)));
    }
}

/// A warning for a transfer after the transitional period: the assimilation terms were written for
/// it, and are applied as written.
pub fn check_transfer_date(transferred: NaiveDate, in_period: bool, f: &mut Findings) {
    if !in_period {
        f.warning(TR_5, format!("the transfer on {transferred} is after the transitional period of F 9 ended: the assimilation of TR-1 and TR-2 (and TR-4's phasing) is applied as the framework wrote it; confirm the terms agreed locally"));
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::parameters::Parameters;

    fn at(s: u32) -> (Decimal, Vec<(u32, Decimal)>) {
        let p = Parameters::embedded();
        let d = NaiveDate::from_ymd_opt(2003, 11, 1).unwrap();
        (
            starting_point(s, p.transfer_starting_points.value(d).unwrap()),
            steps(s, p.transfer_intervals.value(d).unwrap())
                .iter()
                .map(|s| (s.years, s.value))
                .collect(),
        )
    }

    /// Source: F 9(b)-(c): the table's ranges ("seven or eight", "21-29", "thirty") read by row.
    #[test]
    fn rows_cover_ranges() {
        assert_eq!(at(8), at(7));
        assert_eq!(at(29), at(21));
        assert_eq!(at(45), at(30));
        assert_eq!(at(8).0, Decimal::from(71000));
        assert_eq!(at(45).0, Decimal::from(75750));
        assert_eq!(at(45).1.len(), 2);
    }

    /// Source: F 9(b)-(c): every step of every row is above the point the row starts from.
    #[test]
    fn every_step_climbs_from_its_start() {
        for s in 0..=31 {
            let (start, steps) = at(s);
            assert!(steps[0].1 > start, "seniority {s}");
            assert_eq!(
                steps.last().unwrap().1,
                Decimal::from(85250),
                "seniority {s}"
            );
        }
    }

    /// Source: F 9(d), B 3.1: the PAs nearest the notional hours, in half PAs; the exact
    /// equivalent where the hours give one.
    #[test]
    fn nearest_pas_are_in_half_pas() {
        let p = Parameters::embedded();
        let d = NaiveDate::from_ymd_opt(2003, 11, 1).unwrap();
        let (hours, step) = (
            *p.pa_hours.value(d).unwrap(),
            *p.part_time_pa_step.value(d).unwrap(),
        );
        let near = |h: i64, tenths: u32| nearest_pas(Decimal::new(h, tenths), hours, step);
        assert_eq!(near(26, 0), Decimal::new(65, 1));
        assert_eq!(near(245, 1), Decimal::from(6));
        assert_eq!(near(25, 0), Decimal::new(65, 1)); // 6.25: halves up
        assert_eq!(near(27, 0), Decimal::from(7)); // 6.75: halves up
        assert_eq!(near(28, 0), Decimal::from(7));
    }

    /// Source: F 9(d): PAs equal to the notional half-days need a commensurate increase in work
    /// unless they are also the PAs nearest the notional hours.
    #[test]
    fn half_days_need_the_increase_unless_they_are_the_nearest() {
        let (four, half) = (Decimal::from(4), Decimal::new(5, 1));
        let warned = |hours: i64, increase: bool| {
            let mut f = Findings::default();
            part_time_choice(
                Some(Decimal::from(hours)),
                Some(Decimal::from(7)),
                increase,
                Decimal::from(7),
                four,
                half,
                &mut f,
            );
            f.0.iter().any(|x| x.rule == "TR-3")
        };
        assert!(warned(26, false));
        assert!(!warned(26, true));
        assert!(!warned(28, false));
    }

    /// Source: F 9(e): a third, then two thirds of the gap, then target pay.
    #[test]
    fn phased_pay_closes_the_gap_in_thirds() {
        let third = Share {
            numerator: 1,
            denominator: 3,
        };
        let two = Share {
            numerator: 2,
            denominator: 3,
        };
        let (c, t) = (Decimal::from(60000), Decimal::from(72000));
        assert_eq!(phased_pay(c, t, Some(third)), Decimal::from(64000));
        assert_eq!(phased_pay(c, t, Some(two)), Decimal::from(68000));
        assert_eq!(phased_pay(c, t, None), t);
    }
}
