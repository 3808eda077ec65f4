//! `[on_call]`: the rota, its category, emergency work and contactability (OC-1 to OC-7).

use super::values::NonNegative;
use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};

/// On-call rota category (OC-6): a = typically returns to site immediately.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, Serialize, PartialOrd, Ord)]
#[serde(rename_all = "snake_case")]
#[allow(missing_docs)]
pub enum OnCallCategory {
    A,
    B,
}

impl OnCallCategory {
    /// The name as written in documents.
    pub fn as_str(self) -> &'static str {
        match self {
            OnCallCategory::A => "a",
            OnCallCategory::B => "b",
        }
    }
}

/// On-call commitments.
#[derive(Debug, Clone, PartialEq, Deserialize, Serialize)]
#[serde(deny_unknown_fields, try_from = "RawOnCall")]
pub struct OnCall {
    /// "1 in N"; 0 = not on a rota.
    pub rota_size: u32,
    /// Category, required on a rota.
    pub category: Option<OnCallCategory>,
    /// Average weekly emergency work in plain time, hours.
    pub emergency_hours_plain: Decimal,
    /// Average weekly emergency work in premium time, hours.
    pub emergency_hours_premium: Decimal,
    /// Calls or recalls a year.
    pub recalls_per_year: Option<Decimal>,
    /// The id of the employer whose rota this is (JP-5); `None`: the default employer.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub employer: Option<String>,
    /// For a part-time consultant: whether their responsibilities when on call are the same as a
    /// full-time consultant's on the same rota (OC-6's proviso, F 4(g), B 7.9); `None`: not
    /// recorded, taken as the same.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub same_responsibilities_as_full_time: Option<bool>,
    /// Short intervals during the on-call period when the consultant cannot be contacted straight
    /// away (OC-7, F 4(l), B 7.14); `None`: contactable throughout.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub short_intervals: Option<ShortIntervals>,
}

/// Short intervals during on-call when the consultant cannot be contacted straight away: allowed
/// in the second category by mutual agreement, with messages taken (F 4(l), B 7.14).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct ShortIntervals {
    /// Arranged by mutual agreement with the employer.
    #[serde(default)]
    pub agreed_with_employer: bool,
    /// There are arrangements for messages to be taken and for the consultant to respond
    /// immediately after each interval.
    #[serde(default)]
    pub messages_taken: bool,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawOnCall {
    rota_size: i64,
    #[serde(default)]
    category: Option<OnCallCategory>,
    #[serde(default)]
    emergency_hours_plain: NonNegative,
    #[serde(default)]
    emergency_hours_premium: NonNegative,
    #[serde(default)]
    recalls_per_year: Option<NonNegative>,
    #[serde(default)]
    employer: Option<String>,
    #[serde(default)]
    same_responsibilities_as_full_time: Option<bool>,
    #[serde(default)]
    short_intervals: Option<ShortIntervals>,
}

impl TryFrom<RawOnCall> for OnCall {
    type Error = String;
    fn try_from(r: RawOnCall) -> Result<Self, String> {
        let rota_size = u32::try_from(r.rota_size).map_err(|_| {
            format!(
                "`rota_size`: found {}, expected 0 (not on a rota) or N of \"1 in N\"",
                r.rota_size
            )
        })?;
        match (rota_size, r.category) {
            (0, Some(c)) => {
                return Err(format!(
                    "`category`: found \"{}\" with rota_size = 0; rota_size 0 means not on a rota, which has no category: give the rota size, or remove `category`",
                    c.as_str()
                ))
            }
            (n, None) if n > 0 => return Err(format!("`category`: missing for a 1 in {n} rota, expected \"a\" or \"b\"")),
            _ => {}
        }
        if rota_size == 0 && r.short_intervals.is_some() {
            return Err("`short_intervals`: given with rota_size = 0; short intervals are within an on-call period, and rota_size 0 means not on a rota: give the rota size, or remove `short_intervals`".into());
        }
        let week = Decimal::from(168);
        for (name, v) in [
            ("emergency_hours_plain", r.emergency_hours_plain.0),
            ("emergency_hours_premium", r.emergency_hours_premium.0),
        ] {
            if v > week {
                return Err(format!(
                    "`{name}`: found {v}, expected average hours a week, at most 168"
                ));
            }
        }
        Ok(OnCall {
            rota_size,
            category: r.category,
            emergency_hours_plain: r.emergency_hours_plain.0,
            emergency_hours_premium: r.emergency_hours_premium.0,
            recalls_per_year: r.recalls_per_year.map(|n| n.0),
            employer: r.employer.map(|e| e.trim().to_string()),
            same_responsibilities_as_full_time: r.same_responsibilities_as_full_time,
            short_intervals: r.short_intervals,
        })
    }
}
