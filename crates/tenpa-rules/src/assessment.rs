//! The assessment: what `evaluate` prints and the API returns (`docs/documents.md`, "The assessment").

use crate::finding::Finding;
use crate::money::read_number;
use crate::money::{number, Money};
use crate::plan::{EmployerKind, OnCallCategory};
use chrono::NaiveDate;
use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};

/// PAs by category, weekly averages.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, Default)]
#[allow(missing_docs)]
pub struct Pas {
    #[serde(serialize_with = "number", deserialize_with = "read_number")]
    pub dcc: Decimal,
    #[serde(serialize_with = "number", deserialize_with = "read_number")]
    pub spa: Decimal,
    #[serde(serialize_with = "number", deserialize_with = "read_number")]
    pub additional_responsibility: Decimal,
    #[serde(serialize_with = "number", deserialize_with = "read_number")]
    pub external_duty: Decimal,
    /// PAs allocated for unpredictable emergency work (OC-2).
    #[serde(serialize_with = "number", deserialize_with = "read_number")]
    pub on_call: Decimal,
    /// The four categories and on-call, without extra PAs.
    #[serde(serialize_with = "number", deserialize_with = "read_number")]
    pub core_total: Decimal,
    /// Additional PAs contracted separately.
    #[serde(serialize_with = "number", deserialize_with = "read_number")]
    pub extra: Decimal,
    #[serde(serialize_with = "number", deserialize_with = "read_number")]
    pub total: Decimal,
    /// PAs scheduled in premium time.
    #[serde(serialize_with = "number", deserialize_with = "read_number")]
    pub premium_time: Decimal,
}

/// Weekly hours.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, Default)]
pub struct Hours {
    /// Clock hours of the timetabled activities, core and extra, weekly average.
    #[serde(serialize_with = "number", deserialize_with = "read_number")]
    pub timetabled_weekly: Decimal,
    /// Hours the timetabled week is reduced by for premium-time PAs (OOH-2, `time`).
    #[serde(serialize_with = "number", deserialize_with = "read_number")]
    pub out_of_hours_reduction: Decimal,
    /// Timetabled hours + on-call emergency work + travel counted as work, a week on average over
    /// the reference period: a cycle longer than it is taken at its heaviest run of that many
    /// weeks (WW-6).
    #[serde(serialize_with = "number", deserialize_with = "read_number")]
    pub average_weekly_for_wtr: Decimal,
    /// Of which: travel counted as working time (WW-7).
    #[serde(serialize_with = "number", deserialize_with = "read_number")]
    pub travel_counted: Decimal,
    /// Hours in premium time, weekly average.
    #[serde(serialize_with = "number", deserialize_with = "read_number")]
    pub premium_weekly: Decimal,
}

/// A band's name as [`crate::on_call::supplement`] gives it (named so that reading a stored
/// assessment does not borrow it from the input).
pub type BandName = &'static str;

/// On-call summary.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct OnCallSummary {
    /// `high`, `medium`, `low`, or `none` when not on a rota.
    #[serde(deserialize_with = "crate::on_call::read_band")]
    pub band: BandName,
    /// Rota category.
    pub category: Option<OnCallCategory>,
    /// Suggested allocation pattern (OC-5), or `none`.
    pub allocation_pattern: String,
    /// "1 in N", 0 when not on a rota.
    pub rota_size: u32,
    /// PA-equivalents of emergency work before the cap (OC-2).
    #[serde(serialize_with = "number", deserialize_with = "read_number")]
    pub emergency_pa_equivalents: Decimal,
    /// The cap in force (OC-3).
    #[serde(serialize_with = "number", deserialize_with = "read_number")]
    pub cap_pas: Decimal,
}

/// Pay for the pay year, each component rounded to the penny.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[allow(missing_docs)]
pub struct PayBreakdown {
    pub full_time_salary: Money,
    pub basic_salary: Money,
    pub extra_pas: Money,
    #[serde(serialize_with = "number", deserialize_with = "read_number")]
    pub availability_supplement_percent: Decimal,
    pub availability_supplement: Money,
    #[serde(serialize_with = "number", deserialize_with = "read_number")]
    pub out_of_hours_premium_percent: Decimal,
    pub out_of_hours_premium: Money,
    pub clinical_excellence_award: Money,
    /// Discretionary points or a distinction award kept from before the scheme (CEA-3, E 4.4).
    #[serde(default)]
    pub existing_award: Money,
    pub recruitment_retention_premium: Money,
    /// Sum of the rounded components.
    pub total: Money,
    /// basic + awards + availability supplement (PAY-5).
    pub superannuable: Money,
}

/// One employer's part of an integrated job plan (JP-5).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct EmployerTotal {
    /// The employer's id in the document; empty for work that names no employer when the plan
    /// has no default employer.
    pub id: String,
    /// The employer's name.
    pub name: String,
    /// `nhs` or `university`.
    pub kind: EmployerKind,
    /// Whether this is the designated lead employer.
    pub lead: bool,
    /// Weekly PAs with this employer: its activities (core and extra, as recognised under OOH-2)
    /// and the on-call PAs of its rota (OC-2).
    #[serde(serialize_with = "number", deserialize_with = "read_number")]
    pub pas: Decimal,
    /// Weekly clock hours with this employer: its activities and its rota's emergency work
    /// (travel is not divided between employers).
    #[serde(serialize_with = "number", deserialize_with = "read_number")]
    pub hours: Decimal,
}

/// The assessment of one job plan on one date.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Assessment {
    /// The consultant.
    pub consultant_id: String,
    /// The date the rules were applied at.
    pub applied_on: NaiveDate,
    /// "2005/06".
    pub pay_year: String,
    /// PAs.
    pub pas: Pas,
    /// Hours.
    pub hours: Hours,
    /// On-call.
    pub on_call: OnCallSummary,
    /// Pay.
    pub pay: PayBreakdown,
    /// Findings, errors first.
    pub findings: Vec<Finding>,
    /// The integrated plan's PAs and hours by employer (JP-5); omitted when the plan's work is
    /// with one employer.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub employers: Vec<EmployerTotal>,
    /// Timetabled work on public holidays in the year from `applied_on`, for which equivalent
    /// time off is due (WW-3, F 5(a), B 8.1).
    #[serde(default)]
    pub public_holidays: PublicHolidayWork,
}

/// The public holidays of the plan's year on which the timetable has work (WW-3, F 5(a), B 8.1).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, Default)]
pub struct PublicHolidayWork {
    /// The year's first day (the date the rules are applied at).
    pub from: Option<NaiveDate>,
    /// The day after the year's last.
    pub to: Option<NaiveDate>,
    /// Public holidays in the year, in the consultant's nation.
    pub holidays: usize,
    /// Those with timetabled work, in date order.
    pub worked: Vec<HolidayWorked>,
    /// Hours of equivalent time off due, the hours worked on them.
    #[serde(serialize_with = "number", deserialize_with = "read_number")]
    pub time_off_hours: Decimal,
}

/// One public holiday with timetabled work.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct HolidayWorked {
    /// The day.
    pub date: NaiveDate,
    /// The holiday.
    pub name: std::borrow::Cow<'static, str>,
    /// Clock hours of the activities timetabled on it.
    #[serde(serialize_with = "number", deserialize_with = "read_number")]
    pub hours: Decimal,
}

impl Assessment {
    /// Whether any finding is an error.
    pub fn has_errors(&self) -> bool {
        self.findings
            .iter()
            .any(|f| f.severity == crate::finding::Severity::Error)
    }
}
