//! `[pay]`: the point on the scale, the clinical excellence award level, an existing award kept
//! from before the scheme (CEA-3) and a recruitment or retention premium (PAY-4).

use super::values::NonNegative;
use chrono::NaiveDate;
use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};

/// Where the consultant sits on the pay scale.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum PayPoint {
    /// Index into the scale, 0 = starting salary … 7 = top threshold.
    Point(u8),
    /// An explicit 2002/03 value (transitional points, TR-1).
    Value2002(Decimal),
}

/// Pay terms.
#[derive(Debug, Clone, PartialEq, Deserialize, Serialize)]
#[serde(deny_unknown_fields, try_from = "RawPay", into = "RawPay")]
pub struct Pay {
    /// Point on the scale.
    pub point: PayPoint,
    /// Clinical excellence award level, 0 (none) to 13.
    pub cea_level: u8,
    /// A recruitment or retention premium (PAY-4).
    pub recruitment_retention_premium: Option<Premium>,
    /// Discretionary points or a distinction award held from before the clinical excellence award
    /// scheme (CEA-3, E 4.4).
    pub existing_award: Option<ExistingAward>,
}

/// What an existing award is (E 4.4).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum ExistingAwardKind {
    /// Discretionary points.
    DiscretionaryPoints,
    /// A distinction award.
    DistinctionAward,
}

impl ExistingAwardKind {
    /// In words, as a finding or a page says it.
    pub fn label(self) -> &'static str {
        match self {
            ExistingAwardKind::DiscretionaryPoints => "discretionary points",
            ExistingAwardKind::DistinctionAward => "distinction award",
        }
    }
}

/// Discretionary points or a distinction award the consultant keeps (CEA-3, E 4.4).
#[derive(Debug, Clone, PartialEq, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct ExistingAward {
    /// Discretionary points or a distinction award.
    pub kind: ExistingAwardKind,
    /// Its full-time value a year in payment, in pounds (the framework gives no values for the
    /// schemes it replaces: the employer records the value it pays).
    pub amount: NonNegative,
}

#[derive(Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
struct RawPay {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    point: Option<i64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    salary_point: Option<NonNegative>,
    #[serde(default)]
    cea_level: i64,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    recruitment_retention_premium: Option<Premium>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    existing_award: Option<ExistingAward>,
}

impl From<Pay> for RawPay {
    fn from(p: Pay) -> RawPay {
        let (point, salary_point) = match p.point {
            PayPoint::Point(i) => (Some(i64::from(i)), None),
            PayPoint::Value2002(v) => (None, Some(NonNegative(v))),
        };
        RawPay {
            point,
            salary_point,
            cea_level: i64::from(p.cea_level),
            recruitment_retention_premium: p.recruitment_retention_premium,
            existing_award: p.existing_award,
        }
    }
}

/// Reads `point` or `salary_point` (at most one); `None` when neither is given.
pub(crate) fn read_point(
    point: Option<i64>,
    salary_point: Option<NonNegative>,
) -> Result<Option<PayPoint>, String> {
    Ok(Some(match (point, salary_point) {
        (Some(_), Some(_)) => {
            return Err("`salary_point`: given with `point`; give one of them".into())
        }
        (None, None) => return Ok(None),
        (Some(p), None) if (0..=7).contains(&p) => PayPoint::Point(p as u8),
        (Some(p), None) => {
            return Err(format!(
                "`point`: found {p}, expected 0 (£63,000) to 7 (£85,250)"
            ))
        }
        (None, Some(v)) if v.0 >= Decimal::from(1000) => PayPoint::Value2002(v.0),
        (None, Some(v)) => {
            return Err(format!(
                "`salary_point`: found {}, expected a 2002/03 salary in pounds such as 63500",
                v.0
            ))
        }
    }))
}

impl TryFrom<RawPay> for Pay {
    type Error = String;
    fn try_from(r: RawPay) -> Result<Self, String> {
        let point = read_point(r.point, r.salary_point)?
            .ok_or("`point`: missing; give `point` (0 to 7) or `salary_point` (a 2002/03 value)")?;
        if !(0..=13).contains(&r.cea_level) {
            return Err(format!(
                "`cea_level`: found {}, expected 0 (none) to 13",
                r.cea_level
            ));
        }
        Ok(Pay {
            point,
            cea_level: r.cea_level as u8,
            recruitment_retention_premium: r.recruitment_retention_premium,
            existing_award: r.existing_award,
        })
    }
}

/// Recruitment or retention.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, Serialize)]
#[serde(rename_all = "snake_case")]
#[allow(missing_docs)]
pub enum PremiumKind {
    Recruitment,
    Retention,
}

/// A recruitment or retention premium (PAY-4).
#[derive(Debug, Clone, PartialEq, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct Premium {
    /// Amount a year, in pounds.
    pub amount: NonNegative,
    /// Recruitment or retention.
    pub kind: PremiumKind,
    /// First day paid.
    pub start: NaiveDate,
    /// Years paid; absent for a one-off premium paid in the pay year of `start`.
    #[serde(default)]
    pub years: Option<NonNegative>,
    /// Evidence of recruitment or retention difficulty was shown (F 3(g)).
    #[serde(default)]
    pub evidence_of_difficulty: bool,
    /// Non-pay solutions were considered and tried (F 3(g)).
    #[serde(default)]
    pub non_pay_solutions_tried: bool,
    /// Other local employers were consulted (F 3(g)).
    #[serde(default)]
    pub local_employers_consulted: bool,
}
