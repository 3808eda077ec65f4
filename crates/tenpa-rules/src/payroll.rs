//! Pay to payroll: the framework states pay as yearly figures for a pay year that starts on
//! 1 April (PAY-1 to PAY-5; the general awards of F 9(j) take effect on 1 April), and payroll pays
//! it month by month. This module is the arithmetic of that step, the project's reading where the
//! framework is silent (docs/readings.md, "Pay to payroll"):
//!
//! - a yearly figure is paid in twelve monthly shares of whole pence, the remainder of the
//!   division going one penny each to the first months of the pay year, so that the twelve shares
//!   add up to the yearly figure exactly ([`monthly_share`]);
//! - a month in which a new plan takes effect is paid in parts, each the month's share in force
//!   for its days over the days of the month, rounded once, half up, to the penny
//!   ([`month_amount`]);
//! - each element keeps PAY-5's superannuable flag ([`Element::superannuable`]).

use crate::assessment::PayBreakdown;
use crate::money::Money;
use serde::Serialize;

/// One element of pay as payroll receives it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Element {
    /// Basic salary (PAY-3).
    BasicSalary,
    /// Extra programmed activities (F 6).
    ExtraPas,
    /// The availability supplement (OC-6).
    AvailabilitySupplement,
    /// The out-of-hours premium (OOH-2).
    OutOfHoursPremium,
    /// A clinical excellence award (CEA-1).
    ClinicalExcellenceAward,
    /// Discretionary points or a distinction award kept from before the scheme (CEA-3, E 4.4).
    ExistingAward,
    /// A recruitment or retention premium (PAY-4).
    RecruitmentRetentionPremium,
}

impl Element {
    /// Every element, in the order a payslip lists them.
    pub const ALL: [Element; 7] = [
        Element::BasicSalary,
        Element::ExtraPas,
        Element::AvailabilitySupplement,
        Element::OutOfHoursPremium,
        Element::ClinicalExcellenceAward,
        Element::ExistingAward,
        Element::RecruitmentRetentionPremium,
    ];

    /// The name in exports.
    pub fn as_str(self) -> &'static str {
        match self {
            Element::BasicSalary => "basic_salary",
            Element::ExtraPas => "extra_pas",
            Element::AvailabilitySupplement => "availability_supplement",
            Element::OutOfHoursPremium => "out_of_hours_premium",
            Element::ClinicalExcellenceAward => "clinical_excellence_award",
            Element::ExistingAward => "existing_award",
            Element::RecruitmentRetentionPremium => "recruitment_retention_premium",
        }
    }

    /// The element of this name.
    pub fn parse(s: &str) -> Option<Element> {
        Element::ALL.into_iter().find(|e| e.as_str() == s)
    }

    /// Whether it is superannuable: basic salary, a clinical excellence award (or an existing award
    /// in its place) and the availability supplement are; extra PAs, the out-of-hours premium and recruitment or retention premia are
    /// not (PAY-5, [`crate::pay::PAY_5`]).
    pub fn superannuable(self) -> bool {
        matches!(
            self,
            Element::BasicSalary
                | Element::ClinicalExcellenceAward
                | Element::ExistingAward
                | Element::AvailabilitySupplement
        )
    }

    /// The element's yearly figure in an assessment's pay.
    pub fn yearly(self, pay: &PayBreakdown) -> Money {
        match self {
            Element::BasicSalary => pay.basic_salary,
            Element::ExtraPas => pay.extra_pas,
            Element::AvailabilitySupplement => pay.availability_supplement,
            Element::OutOfHoursPremium => pay.out_of_hours_premium,
            Element::ClinicalExcellenceAward => pay.clinical_excellence_award,
            Element::ExistingAward => pay.existing_award,
            Element::RecruitmentRetentionPremium => pay.recruitment_retention_premium,
        }
    }
}

/// The month of the pay year (1 = April … 12 = March) of calendar month `month` (1-12).
pub fn month_of_pay_year(month: u32) -> u32 {
    (month + 8) % 12 + 1
}

/// The share of a yearly figure of `yearly_pence` paid in month `month_of_pay_year` (1 = April):
/// a twelfth in whole pence, plus one penny in each of the first `yearly_pence mod 12` months, so
/// that the twelve shares add up to the yearly figure. A negative figure (a correction) is shared
/// the same way with its sign.
pub fn monthly_share(yearly_pence: i64, month_of_pay_year: u32) -> i64 {
    let sign = yearly_pence.signum();
    let abs = yearly_pence.unsigned_abs();
    let base = abs / 12;
    let extra = u64::from(u64::from(month_of_pay_year.clamp(1, 12)) <= abs % 12);
    sign * i64::try_from(base + extra).unwrap_or(i64::MAX)
}

/// A month paid under several shares in turn (a new plan taking effect within it): each share
/// for its days, `parts` as (share in pence, days), over the days of the month, rounded once, half
/// up (away from zero), to the penny. A month under one share is that share, whatever the days'
/// split, so an element a new plan leaves alone is paid as before.
pub fn month_amount(parts: &[(i64, u32)], days_in_month: u32) -> i64 {
    let days: u32 = parts.iter().map(|p| p.1).sum();
    if days_in_month == 0 || days == 0 {
        return 0;
    }
    let n: i128 = parts
        .iter()
        .map(|(share, d)| i128::from(*share) * i128::from(*d))
        .sum();
    let d = i128::from(days_in_month);
    let rounded = (2 * n.abs() + d) / (2 * d);
    let signed = if n < 0 { -rounded } else { rounded };
    i64::try_from(signed).unwrap_or(i64::MAX)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Source: the reading "Pay to payroll" — the twelve shares add up to the yearly figure, the
    /// remainder going to the first months of the pay year.
    #[test]
    fn twelve_shares_add_up_to_the_yearly_figure() {
        for yearly in [
            0, 1, 11, 12, 7_589_330, 7_809_400, 8_727_695, 624_752, -1_307,
        ] {
            let shares: Vec<i64> = (1..=12).map(|m| monthly_share(yearly, m)).collect();
            assert_eq!(shares.iter().sum::<i64>(), yearly, "{yearly}: {shares:?}");
            let max = shares.iter().map(|s| s.abs()).max().unwrap();
            let min = shares.iter().map(|s| s.abs()).min().unwrap();
            assert!(max - min <= 1, "{yearly}: {shares:?}");
        }
        // £78,094.00 a year: 7,809,400p / 12 = 650,783 remainder 4, so April to July carry
        // the extra penny: £6,507.84 four times, then £6,507.83 eight times.
        assert_eq!(monthly_share(7_809_400, 1), 650_784);
        assert_eq!(monthly_share(7_809_400, 4), 650_784);
        assert_eq!(monthly_share(7_809_400, 5), 650_783);
        assert_eq!(monthly_share(7_809_400, 12), 650_783);
    }

    #[test]
    fn the_pay_year_starts_in_april() {
        let months: Vec<u32> = (1..=12).map(month_of_pay_year).collect();
        assert_eq!(months, vec![10, 11, 12, 1, 2, 3, 4, 5, 6, 7, 8, 9]);
    }

    /// Source: the reading "Pay to payroll" — a month under two shares is each share for its
    /// days over the days of the month, rounded once, half up.
    #[test]
    fn a_month_under_two_shares_is_rounded_once() {
        // May 2026, extra PAs of £7,589.30 a year (63,245p in May) from the 16th: 16 of 31 days,
        // 1,011,920 / 31 = 32,642.58 → 32,643p; nothing for the 15 days before.
        assert_eq!(month_amount(&[(0, 15), (63_245, 16)], 31), 32_643);
        // The same share on both sides of the change is the share, not two roundings
        // (306,020.32 + 326,421.68 would round to 632,442 here, but not in general).
        assert_eq!(month_amount(&[(632_442, 15), (632_442, 16)], 31), 632_442);
        assert_eq!(month_amount(&[(3, 1), (3, 1)], 2), 3);
        assert_eq!(month_amount(&[(0, 1), (3, 1)], 2), 2);
        assert_eq!(month_amount(&[(0, 1), (-3, 1)], 2), -2);
        assert_eq!(month_amount(&[(650_783, 30)], 30), 650_783);
        // Days before a first plan are not paid: 16 of 30 days of £6,507.83.
        assert_eq!(month_amount(&[(650_783, 16)], 30), 347_084);
    }

    #[test]
    fn superannuable_elements_follow_pay_5() {
        let flagged: Vec<&str> = Element::ALL
            .iter()
            .filter(|e| e.superannuable())
            .map(|e| e.as_str())
            .collect();
        assert_eq!(
            flagged,
            [
                "basic_salary",
                "availability_supplement",
                "clinical_excellence_award",
                "existing_award"
            ]
        );
        for e in Element::ALL {
            assert_eq!(Element::parse(e.as_str()), Some(e));
        }
    }
}
