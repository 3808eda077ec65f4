//! Pay: the scale, general awards, basic salary and extra PAs, premia and superannuable pay
//! (PAY-1 … PAY-5; F 3, C 2, C 8, F 9(j), F 10).

use crate::finding::Findings;
use crate::money::{div, round_pound, Figure, Money};
use crate::parameters::{LookupError, Parameters};
use crate::plan::{PayPoint, Premium, PremiumKind};
use crate::rule::Rule;
use chrono::{Datelike, NaiveDate};
use rust_decimal::Decimal;
use std::borrow::Cow;

/// The pay year (1 April to 31 March) containing `on`: its first day and its label ("2005/06").
pub fn pay_year(on: NaiveDate) -> (NaiveDate, String) {
    let y = if on.month() >= 4 {
        on.year()
    } else {
        on.year() - 1
    };
    let start = NaiveDate::from_ymd_opt(y, 4, 1).expect("1 April exists");
    let next = (y + 1).rem_euclid(100) as u8;
    let mut label = String::with_capacity(8);
    if (1000..10_000).contains(&y) {
        // Years of four digits, written by hand: this is on every evaluation's path.
        for d in [y / 1000, y / 100 % 10, y / 10 % 10, y % 10] {
            label.push(char::from(b'0' + d as u8));
        }
    } else {
        label.push_str(&y.to_string());
    }
    label.push('/');
    label.push(char::from(b'0' + next / 10));
    label.push(char::from(b'0' + next % 10));
    (start, label)
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
/// from parameter files; with none, the last known scale holds. The awards assume RPI(X) between
/// 1.725% and 4.725% a year (F 9(k)); when the measured figure for a pay year is given outside
/// the band, a warning says the award is due to be renegotiated ([`inflation_findings`]).
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
    let s = scale_at(params, year_start)?;
    Ok(Scale {
        points: s.points.into_owned(),
        last_known_year: s.last_known_year.into_owned(),
        carried_forward: s.carried_forward,
    })
}

/// A year's scale as [`scale`] gives it, borrowed from the parameters' [`Scales`] where it can be.
pub(crate) struct ScaleAt<'a> {
    pub(crate) points: Cow<'a, [Decimal]>,
    pub(crate) last_known_year: Cow<'a, str>,
    pub(crate) carried_forward: bool,
}

/// The scale for the pay year beginning `year_start`: a look-up in the scales computed when the
/// parameters loaded, or, if the scale or award entries were changed since, computed afresh.
pub(crate) fn scale_at(
    params: &Parameters,
    year_start: NaiveDate,
) -> Result<ScaleAt<'_>, LookupError> {
    let scales = params.scales();
    if !scales.computed_from(params) {
        let (points, last) = compute_scale(params, year_start)?;
        let (last_start, last_known_year) = pay_year(last);
        return Ok(ScaleAt {
            points: Cow::Owned(points),
            last_known_year: Cow::Owned(last_known_year),
            carried_forward: last_start < year_start,
        });
    }
    // The first scale's date is the first a look-up may ask for, as `pay_scale.at` says.
    let i = scales.steps.partition_point(|s| s.from <= year_start);
    if i == 0 {
        params.pay_scale.at(year_start)?;
    }
    let s = &scales.steps[i.saturating_sub(1)];
    Ok(ScaleAt {
        points: Cow::Borrowed(&s.points),
        last_known_year: Cow::Borrowed(&s.last_known_year),
        carried_forward: s.last_start < year_start,
    })
}

/// PAY-1 and PAY-2 applied: the published scale in force on `year_start` uplifted by each later
/// award up to it, and the date of the last scale or award applied.
fn compute_scale(
    params: &Parameters,
    year_start: NaiveDate,
) -> Result<(Vec<Decimal>, NaiveDate), LookupError> {
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
    Ok((points, last))
}

/// Every scale the parameters define, computed once when they load (PAY-1, PAY-2): one for each
/// date a published scale or a general award takes effect, so a year's scale is a binary search
/// rather than every award applied again to every point.
#[derive(Debug, Clone, Default)]
pub(crate) struct Scales {
    steps: Vec<ScaleStep>,
    /// The scale and award entries the steps were computed from (their dates and the exact bits of
    /// their values), so that a change to `Parameters`' public fields is noticed.
    key: Vec<(NaiveDate, [u8; 16])>,
}

#[derive(Debug, Clone)]
struct ScaleStep {
    /// The first day this scale applies.
    from: NaiveDate,
    points: Vec<Decimal>,
    /// The pay year of the last scale or award applied: its first day and its label.
    last_start: NaiveDate,
    last_known_year: String,
}

impl Scales {
    /// The scales of `params`' published scales and general awards.
    pub(crate) fn new(params: &Parameters) -> Scales {
        let first = params.pay_scale.entries[0].from;
        let mut dates: Vec<NaiveDate> = params
            .pay_scale
            .entries
            .iter()
            .map(|e| e.from)
            .chain(
                params
                    .general_award
                    .entries
                    .iter()
                    .map(|a| a.from)
                    .filter(|&d| d > first),
            )
            .collect();
        dates.sort_unstable();
        dates.dedup();
        // Between two of these dates the same base and the same awards apply, so the scale on
        // each date holds until the next.
        let steps = dates
            .into_iter()
            .filter_map(|from| {
                let (points, last) = compute_scale(params, from).ok()?;
                let (last_start, last_known_year) = pay_year(last);
                Some(ScaleStep {
                    from,
                    points,
                    last_start,
                    last_known_year,
                })
            })
            .collect();
        Scales {
            steps,
            key: Self::key(params).collect(),
        }
    }

    fn key(params: &Parameters) -> impl Iterator<Item = (NaiveDate, [u8; 16])> + '_ {
        let scale = params
            .pay_scale
            .entries
            .iter()
            .flat_map(|e| e.value.iter().map(move |v| (e.from, v.serialize())));
        let awards = params
            .general_award
            .entries
            .iter()
            .map(|a| (a.from, a.value.serialize()));
        scale.chain(awards)
    }

    /// Whether the steps were computed from `params`' scale and award entries as they are now.
    fn computed_from(&self, params: &Parameters) -> bool {
        let n = params
            .pay_scale
            .entries
            .iter()
            .map(|e| e.value.len())
            .sum::<usize>()
            + params.general_award.entries.len();
        n == self.key.len() && Self::key(params).eq(self.key.iter().copied())
    }
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
    let s = scale_at(params, year_start)?;
    inflation_findings(params, year_start, label, f);
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

/// PAY-2 (F 9(k)): a warning when the RPI(X) given for the pay year beginning `year_start` lies
/// outside the band the general awards assume.
pub fn inflation_findings(
    params: &Parameters,
    year_start: NaiveDate,
    label: &str,
    f: &mut Findings,
) {
    let Ok(a) = params.inflation_assumption.value(year_start) else {
        return;
    };
    if let (Some(lowest), Some(highest), Some(rpix)) = (a.lowest, a.highest, a.rpix) {
        if rpix < lowest || rpix > highest {
            f.warning(PAY_2, format!("RPI(X) for {label}, {}%, lies outside the {}% to {}% a year the general awards assume: the parties to the talks are to renegotiate the award or put fresh recommendations to the Review Body", rpix.normalize(), lowest.normalize(), highest.normalize()));
        }
    }
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
    let sessional = div(full_time, full_time_pas);
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
                Figure(p.amount.0),
                Figure(max_percent),
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
                    Figure(y.0),
                    Figure(max_years)
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
/// supplement; out-of-hours premium, extra PAs and recruitment or retention premia are not. An
/// existing award kept under E 4.4 stands in the place of a clinical excellence award and counts
/// as one (the project's reading: F 10(a) names the new scheme's awards, which replace the old
/// schemes' (E 2.1)).
pub const PAY_5: Rule = Rule {
    id: "PAY-5",
    citation: "F 10(a)",
    title: "Superannuable pay",
};

/// The superannuable sum of rounded components; `awards` is the clinical excellence award and any
/// existing award paid.
pub fn superannuable(basic: Money, awards: Money, availability: Money) -> Money {
    basic + awards + availability
}

#[cfg(test)]
mod tests {
    use super::*;

    fn day(y: i32, m: u32, d: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, d).unwrap()
    }

    /// Parameters with awards on and off 1 April, one on the day a new scale is published, and a
    /// second published scale.
    fn varied() -> Parameters {
        let awards = "description = \"d\"\nunit = \"percent\"\nkind = \"events\"\n[[values]]\nfrom = \"2006-04-01\"\nvalue = \"2.5\"\ncite = \"x\"\n[[values]]\nfrom = \"2008-04-01\"\nvalue = \"1.5\"\ncite = \"x\"\n[[values]]\nfrom = \"2009-07-01\"\nvalue = \"1\"\ncite = \"x\"\n[[values]]\nfrom = \"2012-04-01\"\nvalue = \"3\"\ncite = \"x\"\n[[values]]\nfrom = \"2013-04-01\"\nvalue = \"1\"\ncite = \"x\"\n";
        let scale = "description = \"d\"\nunit = \"pounds\"\n[[values]]\nfrom = \"2012-04-01\"\nvalue = [\"70000\", \"72000\", \"74000\", \"76000\", \"78000\", \"83000\", \"88000\", \"93000\"]\ncite = \"x\"\n";
        Parameters::with_overrides(&[
            ("pay/general_award.toml".into(), awards.into()),
            ("pay/scale.toml".into(), scale.into()),
        ])
        .unwrap()
    }

    fn computed(params: &Parameters, year_start: NaiveDate) -> Result<Scale, LookupError> {
        let (points, last) = compute_scale(params, year_start)?;
        let (last_start, last_known_year) = pay_year(last);
        Ok(Scale {
            points,
            last_known_year,
            carried_forward: last_start < year_start,
        })
    }

    /// Source: PAY-1, PAY-2: the scales computed when the parameters load are those computed
    /// afresh, for every pay year and for days other than 1 April, down to the exact decimals.
    #[test]
    fn loaded_scales_are_the_computed_scales() {
        for params in [Parameters::embedded().clone(), varied()] {
            let mut d = day(2002, 1, 1);
            while d < day(2016, 1, 1) {
                let (a, b) = (scale(&params, d), computed(&params, d));
                assert_eq!(a, b, "{d}");
                if let (Ok(a), Ok(b)) = (a, b) {
                    let bits =
                        |s: &Scale| s.points.iter().map(|p| p.serialize()).collect::<Vec<_>>();
                    assert_eq!(bits(&a), bits(&b), "{d}");
                }
                d += chrono::TimeDelta::days(17);
            }
        }
    }

    /// Source: the pay year's label is "2005/06", as `format!("{y}/{:02}")` writes it.
    #[test]
    fn pay_year_labels() {
        for y in [1, 99, 999, 1999, 2003, 2099, 9999] {
            let (_, label) = pay_year(day(y, 4, 1));
            assert_eq!(label, format!("{y}/{:02}", (y + 1).rem_euclid(100)));
        }
        assert_eq!(pay_year(day(2006, 3, 31)).1, "2005/06");
    }

    /// Source: F 9(k) (PAY-2): the awards assume RPI(X) between 1.725% and 4.725%; a figure given
    /// outside the band is a warning for that pay year only; inside it, or with none given, or
    /// after the agreement's three years, nothing.
    #[test]
    fn rpix_outside_the_band_warns_that_the_award_is_due_for_renegotiation() {
        let text = "description = \"d\"\nunit = \"percent a year\"\n\
            [[values]]\nfrom = \"2004-04-01\"\nvalue = { lowest = \"1.725\", highest = \"4.725\", rpix = \"5.1\" }\ncite = \"a measured figure\"\n\
            [[values]]\nfrom = \"2005-04-01\"\nvalue = { lowest = \"1.725\", highest = \"4.725\", rpix = \"4.725\" }\ncite = \"a measured figure\"\n";
        let params =
            Parameters::with_overrides(&[("pay/inflation_assumption.toml".into(), text.into())])
                .unwrap();
        let warned = |p: &Parameters, y: i32| {
            let mut f = Findings::default();
            full_time_salary(p, PayPoint::Point(0), day(y, 4, 1), &format!("{y}"), &mut f).unwrap();
            f.0.iter()
                .filter(|x| x.rule == PAY_2.id && x.message.contains("RPI(X)"))
                .map(|x| (x.severity, x.message.clone()))
                .collect::<Vec<_>>()
        };
        let w = warned(&params, 2004);
        assert_eq!(w.len(), 1, "{w:?}");
        assert_eq!(w[0].0, crate::Severity::Warning);
        assert!(
            w[0].1.contains("5.1%, lies outside the 1.725% to 4.725%"),
            "{}",
            w[0].1
        );
        assert!(
            warned(&params, 2005).is_empty(),
            "the band's edge is inside it"
        );
        assert!(
            warned(&params, 2003).is_empty(),
            "no figure given for 2003/04"
        );
        assert!(
            warned(Parameters::embedded(), 2004).is_empty(),
            "none given"
        );
        // A band cannot be half given.
        let half = "description = \"d\"\nunit = \"p\"\n[[values]]\nfrom = \"2004-04-01\"\nvalue = { lowest = \"1.725\" }\ncite = \"x\"\n";
        let e =
            Parameters::with_overrides(&[("pay/inflation_assumption.toml".into(), half.into())])
                .unwrap_err();
        assert!(e.message.contains("both"), "{e:?}");
    }

    /// Source: PAY-2: a scale asked for before the first published scale is an error, as before.
    #[test]
    fn scale_before_the_first_is_an_error() {
        let e = scale(Parameters::embedded(), day(2002, 3, 31)).unwrap_err();
        assert_eq!(e.path, "pay/scale.toml");
    }

    /// Source: PAY-2: an award added to the public fields after loading is applied, not hidden by
    /// the scales computed at load.
    #[test]
    fn changed_awards_are_noticed() {
        let mut params = Parameters::embedded().clone();
        let before = scale(&params, day(2006, 4, 1)).unwrap();
        assert!(before.carried_forward);
        let mut award = params.general_award.entries[0].clone();
        award.from = day(2006, 4, 1);
        award.value = Decimal::new(25, 1);
        params.general_award.entries.push(award);
        let after = scale(&params, day(2006, 4, 1)).unwrap();
        assert!(!after.carried_forward);
        assert_eq!(after, computed(&params, day(2006, 4, 1)).unwrap());
        assert_ne!(after.points, before.points);
    }
}
