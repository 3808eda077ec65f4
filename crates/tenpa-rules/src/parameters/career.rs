//! Typed values of the parameters the career rules use (PP, TR, CEA-2), with the checks made when
//! they are loaded. Each file is described in its own `description`.

use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};

/// Extra PAs a consultant is expected to accept before doing outside remunerated clinical work
/// (PP-4, F 6(c)-(d)).
#[derive(Debug, Clone, Copy, PartialEq, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct SpareCapacity {
    /// Up to this many PAs a week on average (F 6(c)).
    pub pas: Decimal,
    /// While the 2-PA rule applies (F 6(d), phased by PP-6).
    pub first_phase_pas: Decimal,
}

/// Notice periods for extra PAs (PP-5, F 6(c)).
#[derive(Debug, Clone, Copy, PartialEq, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct ExtraPaNotice {
    /// Months between an offer and the start of the work.
    pub offer_months: u32,
    /// The same where the consultant must reschedule external commitments.
    pub rescheduling_months: u32,
    /// Months of notice of termination.
    pub termination_months: u32,
}

/// The anniversary of 29 February in a year without one (PP-3, C 4.6).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum LeapDayAnniversary {
    /// 1 March: the first day on which a full year has passed.
    #[serde(rename = "march_1")]
    March1,
    /// 28 February: the last day of February.
    #[serde(rename = "february_28")]
    February28,
}

/// One row of the TR-1 table: the point an existing consultant moves to, from this seniority up
/// to the next row's.
#[derive(Debug, Clone, Copy, PartialEq, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct SeniorityStart {
    /// Years on the old scale at transfer.
    pub seniority: u32,
    /// The 2002/03 value moved to.
    pub point: Decimal,
}

/// One step of a schedule of thresholds: years since the previous step, and the value reached.
#[derive(Debug, Clone, Copy, PartialEq, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct Step {
    /// Satisfactory years needed since the previous step.
    pub years: u32,
    /// The 2002/03 value reached.
    pub value: Decimal,
}

/// One row of the TR-2 table: the steps after transfer, from this seniority up to the next row's.
#[derive(Debug, Clone, PartialEq, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct SeniorityIntervals {
    /// Years on the old scale at transfer.
    pub seniority: u32,
    /// The thresholds in order.
    pub steps: Vec<Step>,
}

/// A share of a gap: `numerator / denominator` (TR-4's thirds).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct Share {
    /// Numerator.
    pub numerator: u32,
    /// Denominator, above 0.
    pub denominator: u32,
}

impl Share {
    /// The share as an exact decimal fraction of `x`: `x × numerator / denominator`.
    pub fn of(self, x: Decimal) -> Decimal {
        x * Decimal::from(self.numerator) / Decimal::from(self.denominator)
    }
}

impl std::fmt::Display for Share {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}/{}", self.numerator, self.denominator)
    }
}

/// Multiple local awards at once (CEA-1, E 4.2).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct MultipleAwards {
    /// The highest local level reached by several awards at once.
    pub up_to_level: u8,
}

/// Regional and national awards (CEA-2, E 3.2-3.3, E 4.1).
#[derive(Debug, Clone, Copy, PartialEq, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct HigherAwards {
    /// The first level awarded by a regional committee.
    pub first_regional_level: u8,
    /// The first level awarded nationally.
    pub first_national_level: u8,
    /// The local level a consultant must hold before a regional or national award.
    pub local_level_needed: u8,
    /// The most a local committee may award, in pounds a year.
    pub local_limit: Decimal,
}

pub(super) fn intervals(v: &[u32]) -> Result<(), String> {
    if v.len() != 7 || v.contains(&0) {
        return Err(format!(
            "found {} values, expected 7: one whole number of years above 0 for each threshold",
            v.len()
        ));
    }
    Ok(())
}

pub(super) fn starting_points(rows: &[SeniorityStart]) -> Result<(), String> {
    rows_from_zero(rows.iter().map(|r| r.seniority))?;
    match rows.iter().find(|r| r.point <= Decimal::ZERO) {
        Some(r) => Err(format!(
            "seniority {}: found point {}, expected a salary above 0",
            r.seniority, r.point
        )),
        None => Ok(()),
    }
}

pub(super) fn transfer_intervals(rows: &[SeniorityIntervals]) -> Result<(), String> {
    rows_from_zero(rows.iter().map(|r| r.seniority))?;
    for r in rows {
        if r.steps.is_empty() {
            return Err(format!(
                "seniority {}: no steps, expected at least one",
                r.seniority
            ));
        }
        if r.steps.iter().any(|s| s.years == 0) {
            return Err(format!(
                "seniority {}: a step of 0 years, expected 1 or more",
                r.seniority
            ));
        }
        if r.steps.windows(2).any(|w| w[1].value <= w[0].value) {
            return Err(format!(
                "seniority {}: expected the steps' values in increasing order",
                r.seniority
            ));
        }
    }
    Ok(())
}

fn rows_from_zero(mut seniority: impl Iterator<Item = u32>) -> Result<(), String> {
    let mut previous = match seniority.next() {
        Some(0) => 0,
        Some(s) => return Err(format!("the first row has seniority {s}, expected 0")),
        None => return Err("no rows, expected one from seniority 0".into()),
    };
    for s in seniority {
        if s <= previous {
            return Err(format!(
                "seniority {s} after {previous}: expected rows in increasing order of seniority"
            ));
        }
        previous = s;
    }
    Ok(())
}

pub(super) fn phasing(v: &[Share]) -> Result<(), String> {
    match v
        .iter()
        .find(|s| s.denominator == 0 || s.numerator > s.denominator)
    {
        Some(s) => Err(format!(
            "found {}/{}, expected a share from 0 to 1 with a denominator above 0",
            s.numerator, s.denominator
        )),
        None => Ok(()),
    }
}

pub(super) fn higher_awards(h: &HigherAwards) -> Result<(), String> {
    if !(h.local_level_needed < h.first_regional_level
        && h.first_regional_level < h.first_national_level
        && h.local_level_needed >= 1)
    {
        return Err(
            "expected 1 ≤ local_level_needed < first_regional_level < first_national_level".into(),
        );
    }
    Ok(())
}
