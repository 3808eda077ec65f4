//! Pay: the scale, general awards, basic salary and extra PAs, premia and superannuable pay
//! (PAY-1 … PAY-5; F 3, C 2, C 8, F 9(j), F 10).

use crate::finding::Findings;
use crate::money::{round_pound, show, Money};
use crate::parameters::{LookupError, Parameters};
use crate::plan::{PayPoint, Premium, PremiumKind};
use crate::rule::Rule;
use chrono::{Datelike, NaiveDate};
use rust_decimal::Decimal;

/// The pay year (1 April to 31 March) containing `on`: its first day and its label ("2005/06").
pub fn pay_year(on: NaiveDate) -> (NaiveDate, String) {
    let y = if on.month() >= 4 {
        on.year()
    } else {
        on.year() - 1
    };
    let start = NaiveDate::from_ymd_opt(y, 4, 1).expect("1 April exists");
    (start, format!("{y}/{:02}", (y + 1).rem_euclid(100)))
}

/// PAY-1: the scale at 2002/03 levels: £63,000, then thresholds of £65,000, £67,000, £69,000,
/// £71,000 a year apart, and £75,750, £80,500, £85,250 five years apart.
pub const PAY_1: Rule = Rule {
    id: "PAY-1",
    citation: "F 3(b), C 2.1",
    title: "The pay scale",
};

/// PAY-2: general awards of 3.225% on 1 April 2003, 2004 and 2005; each year's scale is the
/// previous year's published value uplifted and rounded to the nearest pound. Later years come
/// from parameter files; with none, the last known scale holds.
pub const PAY_2: Rule = Rule {
    id: "PAY-2",
    citation: "F 9(j)-(k)",
    title: "General pay awards",
};

/// A year's scale and how it was reached.
#[derive(Debug, Clone, PartialEq)]
pub struct Scale {
    /// The eight full-time values.
    pub points: Vec<Decimal>,
    /// The pay year whose award or published scale was the last applied ("2005/06").
    pub last_known_year: String,
    /// Whether no award or scale is known for the year asked for.
    pub carried_forward: bool,
}

/// The scale for the pay year beginning `year_start` (PAY-1, PAY-2).
pub fn scale(params: &Parameters, year_start: NaiveDate) -> Result<Scale, LookupError> {
    let base = params.pay_scale.at(year_start)?;
    let mut points = base.value.clone();
    let mut last = base.from;
    for award in params
        .general_award
        .entries
        .iter()
        .filter(|a| a.from > base.from && a.from <= year_start)
    {
        points = points
            .iter()
            .map(|&v| uplift_once(v, award.value))
            .collect();
        last = award.from;
    }
    let (last_start, last_known_year) = pay_year(last);
    Ok(Scale {
        points,
        last_known_year,
        carried_forward: last_start < year_start,
    })
}

/// One general award applied to one figure, rounded to the nearest pound (PAY-2).
pub(crate) fn uplift_once(v: Decimal, percent: Decimal) -> Decimal {
    round_pound(v * (Decimal::ONE_HUNDRED + percent) / Decimal::ONE_HUNDRED)
}

/// A 2002/03 value (a transitional point, TR-1) uplifted by every general award up to the pay year
/// beginning `year_start`, rounded to the pound at each step as the scale is.
pub fn uplift_2002(params: &Parameters, value: Decimal, year_start: NaiveDate) -> Decimal {
    let first = params.pay_scale.entries[0].from;
    params
        .general_award
        .entries
        .iter()
        .filter(|a| a.from > first && a.from <= year_start)
        .fold(value, |v, a| uplift_once(v, a.value))
}

/// The full-time salary of `point` in the pay year beginning `year_start`, noting a carried-forward
/// scale.
pub fn full_time_salary(
    params: &Parameters,
    point: PayPoint,
    year_start: NaiveDate,
    label: &str,
    f: &mut Findings,
) -> Result<Decimal, LookupError> {
    let s = scale(params, year_start)?;
    if s.carried_forward {
        f.info(PAY_2, format!("no general award is known for {label}: the {} scale holds; add the award to the parameters (pay/general_award.toml) when it is published", s.last_known_year));
    }
    Ok(match point {
        PayPoint::Point(i) => s.points[usize::from(i)],
        PayPoint::Value2002(v) => match params.pay_scale.entries[0]
            .value
            .iter()
            .position(|&p| p == v)
        {
            Some(i) => s.points[i],
            None => uplift_2002(params, v, year_start),
        },
    })
}

/// PAY-3: basic salary is the full-time value × contracted PAs / 10 (at most 10); extra PAs are
/// paid at the full-time value / 10 for each weekly PA.
pub const PAY_3: Rule = Rule {
    id: "PAY-3",
    citation: "F 2(k), F 6(a), C 2.1",
    title: "Basic salary and extra PAs",
};

/// (basic salary, pay for extra PAs), unrounded.
pub fn basic_and_extra(
    full_time: Decimal,
    contracted: Decimal,
    extra_pas: Decimal,
    full_time_pas: Decimal,
) -> (Decimal, Decimal) {
    let sessional = full_time / full_time_pas;
    (
        sessional * contracted.min(full_time_pas),
        sessional * extra_pas,
    )
}

/// PAY-4: a recruitment or retention premium needs evidence (difficulty shown, non-pay solutions
/// tried, other local employers consulted); typically at most 30% of starting salary and, when
/// time-limited, at most 4 years.
pub const PAY_4: Rule = Rule {
    id: "PAY-4",
    citation: "F 3(g)-(h), C 8",
    title: "Recruitment and retention premia",
};

/// The premium payable in the pay year containing `on`, with its checks.
pub fn premium(
    p: &Premium,
    on: NaiveDate,
    starting_salary: Decimal,
    max_percent: Decimal,
    max_years: Decimal,
    f: &mut Findings,
) -> Decimal {
    let kind = match p.kind {
        PremiumKind::Recruitment => "recruitment",
        PremiumKind::Retention => "retention",
    };
    let mut missing = Vec::new();
    if !p.evidence_of_difficulty {
        missing.push(format!("clear evidence of {kind} difficulty"));
    }
    if !p.non_pay_solutions_tried {
        missing.push("non-pay solutions considered and tried".to_string());
    }
    if !p.local_employers_consulted {
        missing.push("other local employers consulted".to_string());
    }
    if !missing.is_empty() {
        f.warning(
            PAY_4,
            format!(
                "the {kind} premium is recorded without: {}",
                missing.join("; ")
            ),
        );
    }
    let limit = starting_salary * max_percent / Decimal::ONE_HUNDRED;
    if p.amount.0 > limit {
        f.warning(
            PAY_4,
            format!(
                "a {kind} premium of £{} a year is above the typical {}% of starting salary (£{})",
                show(p.amount.0),
                show(max_percent),
                Money::round(limit)
            ),
        );
    }
    if let Some(y) = p.years {
        if y.0 > max_years {
            f.warning(
                PAY_4,
                format!(
                    "a time-limited {kind} premium for {} years is longer than the typical {}",
                    show(y.0),
                    show(max_years)
                ),
            );
        }
    }
    let (start_year, _) = pay_year(p.start);
    let (this_year, _) = pay_year(on);
    let paid = match p.years {
        None => this_year == start_year && on >= p.start,
        Some(y) => {
            let months = (y.0 * Decimal::from(12)).trunc().try_into().unwrap_or(0u32);
            on >= p.start
                && p.start
                    .checked_add_months(chrono::Months::new(months))
                    .is_some_and(|end| on < end)
        }
    };
    if paid {
        p.amount.0
    } else {
        Decimal::ZERO
    }
}

/// PAY-5: superannuable pay is basic salary + clinical excellence award + availability
/// supplement; out-of-hours premium, extra PAs and recruitment or retention premia are not.
pub const PAY_5: Rule = Rule {
    id: "PAY-5",
    citation: "F 10(a)",
    title: "Superannuable pay",
};

/// The superannuable sum of rounded components.
pub fn superannuable(basic: Money, award: Money, availability: Money) -> Money {
    basic + award + availability
}
