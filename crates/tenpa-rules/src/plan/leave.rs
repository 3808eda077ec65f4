//! `[[leave]]`: time out of the working week and the day it was agreed (WW-8, B 5.15).

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

/// What kind of time out of the working week (B 5.15).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum LeaveKind {
    /// Annual leave.
    Annual,
    /// Study leave.
    Study,
    /// Professional leave.
    Professional,
}

impl LeaveKind {
    /// In words.
    pub fn label(self) -> &'static str {
        match self {
            LeaveKind::Annual => "annual leave",
            LeaveKind::Study => "study leave",
            LeaveKind::Professional => "professional leave",
        }
    }
}

/// A period of leave, with the day it was agreed with the employer (WW-8, B 5.15).
#[derive(Debug, Clone, PartialEq, Deserialize, Serialize)]
#[serde(deny_unknown_fields, try_from = "RawLeave", into = "RawLeave")]
pub struct Leave {
    /// Annual, study or professional leave.
    pub kind: LeaveKind,
    /// The first day.
    pub from: NaiveDate,
    /// The last day (the same as `from` for one day).
    pub to: NaiveDate,
    /// The day it was agreed with the employer; `None`: not recorded as agreed.
    pub agreed_on: Option<NaiveDate>,
}

#[derive(Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
struct RawLeave {
    kind: LeaveKind,
    from: NaiveDate,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    to: Option<NaiveDate>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    agreed_on: Option<NaiveDate>,
}

impl TryFrom<RawLeave> for Leave {
    type Error = String;
    fn try_from(r: RawLeave) -> Result<Self, String> {
        let to = r.to.unwrap_or(r.from);
        if to < r.from {
            return Err(format!(
                "`to`: found {to}, before `from` ({}); expected the last day of the leave, on or after its first",
                r.from
            ));
        }
        Ok(Leave {
            kind: r.kind,
            from: r.from,
            to,
            agreed_on: r.agreed_on,
        })
    }
}

impl From<Leave> for RawLeave {
    fn from(l: Leave) -> RawLeave {
        RawLeave {
            kind: l.kind,
            from: l.from,
            to: (l.to != l.from).then_some(l.to),
            agreed_on: l.agreed_on,
        }
    }
}
