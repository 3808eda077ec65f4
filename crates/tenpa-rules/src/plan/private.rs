//! `[[private_session]]`: regular private and fee-paying work (PRV-3 to PRV-5).

use super::values::{ClockTime, Day};
use super::{check_length, check_times, read_weeks, span_minutes};
use serde::{Deserialize, Serialize};

/// What a private session is (PRV-3, PRV-4; D 3.8, B 6.1): written as `fee_paying` and `on_call`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum PrivateKind {
    /// Private practice: private patients, in private or NHS facilities (D 3.1).
    #[default]
    PrivatePractice,
    /// On call for the private sector (D 3.8).
    PrivateOnCall,
    /// Fee-paying work: category 2 work, work for government departments and additional work
    /// for NHS organisations (B 6.1, D 3.15).
    FeePaying,
}

impl PrivateKind {
    /// Words for findings: "private practice".
    pub fn words(self) -> &'static str {
        match self {
            PrivateKind::PrivatePractice => "private practice",
            PrivateKind::PrivateOnCall => "private on-call",
            PrivateKind::FeePaying => "fee-paying work",
        }
    }
}

/// What happens to the fee for fee-paying work (PRV-4; B 6.1-6.2, D 3.15).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, Serialize, Default)]
#[serde(rename_all = "snake_case")]
pub enum Fee {
    /// The consultant keeps the fee.
    #[default]
    Retained,
    /// The fee is remitted to the employer.
    Remitted,
}

/// A regular private or fee-paying commitment, recorded in the job plan so that the private
/// practice standards can be checked against the NHS timetable (PRV-3 to PRV-5; D 3.6-3.18, B 6).
/// Private sessions are not programmed activities: they add no PAs, hours or pay.
#[derive(Debug, Clone, PartialEq, Deserialize, Serialize)]
#[serde(
    deny_unknown_fields,
    try_from = "RawPrivateSession",
    into = "RawPrivateSession"
)]
pub struct PrivateSession {
    /// Private practice, private on-call (`on_call`) or fee-paying work (`fee_paying`).
    pub kind: PrivateKind,
    /// Day it starts.
    pub day: Day,
    /// Start time.
    pub start: ClockTime,
    /// End time; before `start` when it ends the next day.
    pub end: ClockTime,
    /// Weeks of the cycle, 1-based; empty = every week.
    pub weeks: Vec<u8>,
    /// What it is.
    pub title: String,
    /// Where.
    pub location: String,
    /// Uses the NHS employer's facilities (D 3.14-3.16).
    pub nhs_facilities: bool,
    /// Uses NHS staff (D 3.17-3.18).
    pub nhs_staff: bool,
    /// Falls while the consultant is on call for the NHS (D 3.8).
    pub during_nhs_on_call: bool,
    /// Fee-paying work for an NHS organisation (B 6.1, B 6.4).
    pub for_nhs: bool,
    /// Fee-paying work: what happens to the fee.
    pub fee: Fee,
    /// Fee-paying work: the employer agreed that it involves minimal disruption and may be done in
    /// NHS time without the fee being collected (B 6.2, D 3.15).
    pub minimal_disruption: bool,
    /// The NHS employer's agreement or prior approval for what this session records (its time, its
    /// fee, the use of facilities or staff, private practice on call), as recorded: who and when;
    /// empty when there is none.
    pub employer_approval: String,
}

impl PrivateSession {
    /// Length in minutes; an end at or before the start runs into the next day.
    pub fn minutes(&self) -> u32 {
        span_minutes(self.start, self.end)
    }

    /// A short label naming the session in findings: "Tue 13:00-17:00 Private clinic".
    pub fn label(&self) -> String {
        let t = if self.title.is_empty() {
            self.kind.words()
        } else {
            &self.title
        };
        format!("{} {}-{} {t}", self.day.title(), self.start, self.end)
    }
}

fn is_false(b: &bool) -> bool {
    !b
}

#[derive(Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
struct RawPrivateSession {
    day: Day,
    start: ClockTime,
    end: ClockTime,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    weeks: Vec<i64>,
    #[serde(default, skip_serializing_if = "String::is_empty")]
    title: String,
    #[serde(default, skip_serializing_if = "String::is_empty")]
    location: String,
    #[serde(default)]
    fee_paying: bool,
    #[serde(default, skip_serializing_if = "is_false")]
    on_call: bool,
    #[serde(default)]
    nhs_facilities: bool,
    #[serde(default, skip_serializing_if = "is_false")]
    nhs_staff: bool,
    #[serde(default, skip_serializing_if = "is_false")]
    during_nhs_on_call: bool,
    #[serde(default, skip_serializing_if = "is_false")]
    for_nhs: bool,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    fee: Option<Fee>,
    #[serde(default, skip_serializing_if = "is_false")]
    minimal_disruption: bool,
    #[serde(default)]
    employer_approval: String,
}

impl From<PrivateSession> for RawPrivateSession {
    fn from(s: PrivateSession) -> Self {
        RawPrivateSession {
            day: s.day,
            start: s.start,
            end: s.end,
            weeks: s.weeks.into_iter().map(i64::from).collect(),
            title: s.title,
            location: s.location,
            fee_paying: s.kind == PrivateKind::FeePaying,
            on_call: s.kind == PrivateKind::PrivateOnCall,
            nhs_facilities: s.nhs_facilities,
            nhs_staff: s.nhs_staff,
            during_nhs_on_call: s.during_nhs_on_call,
            for_nhs: s.for_nhs,
            fee: (s.kind == PrivateKind::FeePaying).then_some(s.fee),
            minimal_disruption: s.minimal_disruption,
            employer_approval: s.employer_approval,
        }
    }
}

impl TryFrom<RawPrivateSession> for PrivateSession {
    type Error = String;
    fn try_from(r: RawPrivateSession) -> Result<Self, String> {
        check_times(r.start, r.end)?;
        let weeks = read_weeks(&r.weeks)?;
        let kind = match (r.fee_paying, r.on_call) {
            (true, true) => return Err("`on_call`: given with fee_paying = true; a session is private practice, private on-call (on_call = true) or fee-paying work (fee_paying = true): record them as separate sessions".into()),
            (true, false) => PrivateKind::FeePaying,
            (false, true) => PrivateKind::PrivateOnCall,
            (false, false) => PrivateKind::PrivatePractice,
        };
        let fee_paying = kind == PrivateKind::FeePaying;
        let only_fee_paying = [
            ("fee", r.fee.is_some()),
            ("for_nhs", r.for_nhs),
            ("minimal_disruption", r.minimal_disruption),
        ];
        if let Some((name, _)) = only_fee_paying
            .iter()
            .find(|(_, given)| *given && !fee_paying)
        {
            return Err(format!(
                "`{name}`: given for {}, expected only with fee_paying = true (B 6.1-6.2, D 3.15)",
                kind.words()
            ));
        }
        if r.during_nhs_on_call && fee_paying {
            return Err("`during_nhs_on_call`: given for fee-paying work, expected only for private practice or private on-call (D 3.8)".into());
        }
        if r.minimal_disruption && r.fee == Some(Fee::Remitted) {
            return Err("`minimal_disruption`: given with fee = \"remitted\"; the minimal-disruption agreement is for work in NHS time whose fee is not collected (B 6.2, D 3.15): remove one of them".into());
        }
        let s = PrivateSession {
            kind,
            day: r.day,
            start: r.start,
            end: r.end,
            weeks,
            title: r.title,
            location: r.location,
            nhs_facilities: r.nhs_facilities,
            nhs_staff: r.nhs_staff,
            during_nhs_on_call: r.during_nhs_on_call,
            for_nhs: r.for_nhs,
            fee: r.fee.unwrap_or_default(),
            minimal_disruption: r.minimal_disruption,
            employer_approval: r.employer_approval.trim().to_string(),
        };
        check_length(s.start, s.end, s.minutes())?;
        Ok(s)
    }
}
