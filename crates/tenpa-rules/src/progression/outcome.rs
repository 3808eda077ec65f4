//! What the timeline gives: its errors, events, years, pay years and the career as a whole.

use crate::excellence_awards as cea;
use crate::finding::{Finding, Severity};
use crate::money::{number, Money};
use crate::parameters::LookupError;
use crate::transition::{PartTimeChoice, Phase};
use chrono::NaiveDate;
use rust_decimal::Decimal;
use serde::Serialize;

/// A career that cannot be walked.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ProgressionError {
    /// The career starts before the contract came into force.
    #[error("{}", not_on_contract(*date, *first, *transferred))]
    NotOnContract {
        /// The first appointment or transfer.
        date: NaiveDate,
        /// The first day of the contract.
        first: NaiveDate,
        /// Whether `date` is a transfer.
        transferred: bool,
    },
    /// `--until` is before the career starts.
    #[error("--until {until} is before the career starts on {start}")]
    UntilBeforeStart {
        /// The date asked for.
        until: NaiveDate,
        /// The first appointment or transfer.
        start: NaiveDate,
    },
    /// A parameter has no value for a date the career needs.
    #[error(transparent)]
    Parameter(#[from] LookupError),
}

fn not_on_contract(date: NaiveDate, first: NaiveDate, transferred: bool) -> String {
    if transferred {
        format!("the transfer on {date} is before the contract came into force on {first}")
    } else {
        format!("first appointed on {date}, before the contract came into force on {first}: an existing consultant joins it by transfer, so give consultant.transferred and seniority_at_transfer")
    }
}

/// What happened on a date.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum EventKind {
    /// First appointment of a new consultant.
    Start,
    /// An existing consultant's move to this contract (TR-1).
    Transfer,
    /// A threshold reached.
    Threshold,
    /// A threshold due by the calendar but deferred for want of satisfactory years.
    Deferred,
}

/// One event of the timeline (`docs/commands.md`, `tenpa progression`).
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Event {
    /// When.
    pub date: NaiveDate,
    /// What.
    pub kind: EventKind,
    /// The point held from this date, at 2002/03 levels.
    pub point_value_2002_03: Money,
    /// The full-time salary of that point in this date's pay year (PAY-2).
    pub salary: Money,
    /// Satisfactory years counted towards this threshold (a year allowed by an upheld appeal counts).
    pub satisfactory_years_counted: u32,
    /// Years this threshold is (or was) delayed by years that did not count.
    pub deferred_years: u32,
    /// Satisfactory years the threshold needs (0 for start and transfer).
    pub years_required: u32,
    /// The pay year of `date` ("2004/05").
    pub pay_year: String,
    /// The rule behind it.
    pub rule: &'static str,
    /// Why a threshold was deferred, or came late.
    #[serde(skip_serializing_if = "String::is_empty")]
    pub reason: String,
    /// Years counted by the employer's discretion (PP-2), each with its reason.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub discretion: Vec<String>,
    /// Whether it lies after the last recorded year: satisfactory years assumed.
    pub projected: bool,
}

/// PP-4's decision on a year, and what decided it.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct SpareCapacityDecision {
    /// Whether spare capacity was offered.
    pub value: bool,
    /// `document` (an explicit `offered_spare_capacity`), `extra_pa_offers` (PP-4 from the offers and
    /// outside work) or `default` (nothing recorded).
    pub decided_by: &'static str,
}

/// How an appeal went, for the output.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct AppealRecord {
    /// `upheld`, `dismissed` or `pending`.
    pub outcome: &'static str,
    /// When lodged.
    pub lodged: NaiveDate,
    /// When decided.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub decided: Option<NaiveDate>,
}

/// One job-plan year as judged.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct YearOutcome {
    /// 1 for the year closing on the first anniversary.
    pub number: u32,
    /// The anniversary opening it.
    pub starting: NaiveDate,
    /// The anniversary closing it.
    pub ending: NaiveDate,
    /// All six PP-1 criteria met.
    pub satisfactory: bool,
    /// Counts towards a threshold: satisfactory, allowed by discretion, or by an upheld appeal.
    pub counted: bool,
    /// Criteria failed, by name.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub failed: Vec<&'static str>,
    /// Criteria the year does not record, by name: not satisfactory until they are (PP-1).
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub not_recorded: Vec<&'static str>,
    /// Why it was not satisfactory.
    #[serde(skip_serializing_if = "String::is_empty")]
    pub reason: String,
    /// PP-4's decision.
    pub offered_spare_capacity: SpareCapacityDecision,
    /// The employer's discretion, as recorded.
    #[serde(skip_serializing_if = "String::is_empty")]
    pub employer_discretion: String,
    /// An appeal against a refusal.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub appeal: Option<AppealRecord>,
    /// Core weekly PAs.
    #[serde(serialize_with = "number")]
    pub contracted_pas: Decimal,
    /// Years counted towards the next threshold at its end (0 just after a threshold).
    pub satisfactory_years_counted: u32,
    /// After the last recorded year: assumed satisfactory.
    pub projected: bool,
}

/// The next threshold as seen from a pay year.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct NextThreshold {
    /// When it falls in the timeline.
    pub date: NaiveDate,
    /// Its 2002/03 value.
    pub value_2002_03: Money,
    /// Whether that date is projected.
    pub projected: bool,
}

/// One pay year (1 April to 31 March), with the figures on `as_at`.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct PayYearRow {
    /// "2005/06".
    pub pay_year: String,
    /// 1 April, or the start of the career in its first pay year.
    pub as_at: NaiveDate,
    /// The point held, at 2002/03 levels.
    pub point_value_2002_03: Money,
    /// Its full-time value at this pay year's scale (PAY-2).
    pub full_time_salary: Money,
    /// Core weekly PAs.
    #[serde(serialize_with = "number")]
    pub contracted_pas: Decimal,
    /// Basic salary: pro rata to PAs (PAY-3), or TR-4's phased pay.
    pub basic_salary: Money,
    /// The TR-4 share of the gap paid ("1/3", "2/3"), when phased.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub transitional_share: Option<String>,
    /// The clinical excellence award level in payment, 0 for none.
    pub cea_level: u8,
    /// Its value, pro rata (CEA-3).
    pub clinical_excellence_award: Money,
    /// Existing discretionary points or a distinction award paid, pro rata (CEA-3, E 4.4).
    pub existing_award: Money,
    /// A recruitment or retention premium being paid (PAY-4).
    pub recruitment_retention_premium: Money,
    /// Basic salary + awards + premium.
    pub total: Money,
    /// Satisfactory years counted towards the next threshold.
    pub satisfactory_years_counted: u32,
    /// The next threshold, when the timeline reaches it.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub next_threshold: Option<NextThreshold>,
    /// Whether `as_at` is after the last recorded year.
    pub projected: bool,
}

/// An existing consultant's transfer.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct TransitionSummary {
    /// The date of transfer.
    pub transferred: NaiveDate,
    /// Years on the old scale.
    pub seniority_at_transfer: u32,
    /// The point moved to (TR-1).
    pub starting_point_2002_03: Money,
    /// The steps after transfer (TR-2).
    pub steps: Vec<StepSummary>,
    /// Whether the transfer fell in the transitional period (TR-5).
    pub within_transitional_period: bool,
    /// TR-4's phased pay, for a maximum part-timer moving to full time.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub maximum_part_time: Option<MaximumPartTime>,
    /// TR-3's choice of PAs, for a part-timer.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub part_time: Option<PartTimeChoice>,
}

/// A step of a schedule, for the output.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct StepSummary {
    /// Satisfactory years needed since the previous step.
    pub years: u32,
    /// The 2002/03 value reached.
    pub value_2002_03: Money,
}

/// TR-4's figures.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct MaximumPartTime {
    /// Basic pay on the maximum part-time contract, as given.
    pub current_pay: Money,
    /// The pay year it is at.
    pub current_pay_year: String,
    /// Year 1, year 2, then target pay.
    pub phases: Vec<Phase>,
}

/// Where the timeline goes beyond the record.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Projection {
    /// The last recorded year, if any; later years are assumed satisfactory.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub last_recorded_year_ending: Option<NaiveDate>,
    /// The top of the scale, at 2002/03 levels.
    pub top_value_2002_03: Money,
    /// When it is reached in the timeline.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub top_reached_on: Option<NaiveDate>,
    /// Whether that date is projected.
    pub top_reached_by_projection: bool,
}

/// How the career starts.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Start {
    /// `first_appointment` or `transfer`: the date whose anniversaries progression falls on.
    pub basis: &'static str,
    /// That date.
    pub date: NaiveDate,
}

/// A career's timeline: what `tenpa progression` prints.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Career {
    /// The consultant.
    pub consultant_id: String,
    /// Their name, when given.
    #[serde(skip_serializing_if = "String::is_empty")]
    pub name: String,
    /// The anniversaries' date.
    pub starts: Start,
    /// The last date shown, when asked for.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub until: Option<NaiveDate>,
    /// Start or transfer, thresholds and deferrals, in date order.
    pub events: Vec<Event>,
    /// Each job-plan year, recorded then projected.
    pub years: Vec<YearOutcome>,
    /// Each pay year.
    pub pay_years: Vec<PayYearRow>,
    /// Clinical excellence awards.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub awards: Vec<cea::AwardOutcome>,
    /// An existing consultant's transfer.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub transition: Option<TransitionSummary>,
    /// The projection to the top of the scale.
    pub projection: Projection,
    /// Findings, errors first.
    pub findings: Vec<Finding>,
}

impl Career {
    /// Whether any finding is an error.
    pub fn has_errors(&self) -> bool {
        self.findings.iter().any(|f| f.severity == Severity::Error)
    }
}
