//! The career document (`tenpa progression`): the job plan document's `[consultant]` and `[pay]`
//! tables, then one `[[year]]` per job-plan year, the extra-PA offers, the clinical excellence
//! awards, and for existing consultants the `[transition]` terms. The README documents it field by
//! field; `docs/documents.md` documents it, and the names it shares with the job plan document.
//!
//! As for job plans, every check that can be made on the document alone is made here, so the rules
//! see only well-formed careers: years in order, one per anniversary, none before the career
//! starts; offers that start after they are made; award levels in range. What the contract says of
//! a well-formed career (a deferral, an offer made at too short notice, an award refused) is a
//! finding of the rules, not an error here.

use super::locate;
use super::parse::{finish, parse_json, parse_toml, text_of};
use super::values::NonNegative;
use super::{read_point, Consultant, DocumentError, ExistingAward, Format, PayPoint, Premium};
use crate::parameters::Parameters;
use crate::progression::{anniversary, anniversary_number, MAX_CAREER_YEARS};
use crate::source::line_col;
use chrono::NaiveDate;
use rust_decimal::Decimal;
use serde::de::{self, Deserializer, SeqAccess, Visitor};
use serde::{Deserialize, Serialize, Serializer};
use std::fmt;

/// A consultant's career on the contract, as written in a TOML or JSON document.
#[derive(Debug, Clone, PartialEq, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct CareerDocument {
    /// Who the career is of; `first_appointed` or `transferred` fixes the anniversaries (PP-3).
    pub consultant: Consultant,
    /// The starting point and any recruitment or retention premium.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub pay: Option<CareerPay>,
    /// Terms of an existing consultant's transfer beyond seniority (TR-3, TR-4).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub transition: Option<Transition>,
    /// The employer's exemptions from the spare-capacity rule (PP-4, F 6(e)).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub outside_work: Option<OutsideWorkPolicy>,
    /// One entry per job-plan year, in order, from the first anniversary.
    #[serde(default, rename = "year", skip_serializing_if = "Vec::is_empty")]
    pub years: Vec<Year>,
    /// Offers of extra PAs (PP-4, PP-5).
    #[serde(
        default,
        rename = "extra_pa_offer",
        skip_serializing_if = "Vec::is_empty"
    )]
    pub extra_pa_offers: Vec<ExtraPaOffer>,
    /// Clinical excellence awards (CEA-2, CEA-3).
    #[serde(default, rename = "award", skip_serializing_if = "Vec::is_empty")]
    pub awards: Vec<Award>,
}

impl CareerDocument {
    /// The date whose anniversaries progression falls on (C 4.6): the transfer to this contract for
    /// an existing consultant, else the first consultant appointment.
    pub fn anchor(&self) -> NaiveDate {
        self.consultant
            .transferred
            .unwrap_or(self.consultant.first_appointed)
    }
}

/// `[pay]` in a career: the job plan's pay table, where the point is where the career starts.
#[derive(Debug, Clone, PartialEq, Deserialize, Serialize)]
#[serde(deny_unknown_fields, try_from = "RawCareerPay", into = "RawCareerPay")]
pub struct CareerPay {
    /// A new consultant's starting point (default the start of the scale); for an existing
    /// consultant it must agree with TR-1.
    pub start: Option<PayPoint>,
    /// A recruitment or retention premium (PAY-4).
    pub recruitment_retention_premium: Option<Premium>,
    /// Discretionary points or a distinction award kept from before the scheme (CEA-3, E 4.4),
    /// held throughout the career.
    pub existing_award: Option<ExistingAward>,
}

#[derive(Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
struct RawCareerPay {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    point: Option<i64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    salary_point: Option<NonNegative>,
    #[serde(default, skip_serializing_if = "is_zero")]
    cea_level: i64,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    recruitment_retention_premium: Option<Premium>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    existing_award: Option<ExistingAward>,
}

fn is_zero(n: &i64) -> bool {
    *n == 0
}

impl TryFrom<RawCareerPay> for CareerPay {
    type Error = String;
    fn try_from(r: RawCareerPay) -> Result<Self, String> {
        if r.cea_level != 0 {
            return Err(format!("`cea_level`: found {}; in a career document each clinical excellence award is an [[award]] with the date it was made (CEA-3), so leave cea_level out", r.cea_level));
        }
        Ok(CareerPay {
            start: read_point(r.point, r.salary_point)?,
            recruitment_retention_premium: r.recruitment_retention_premium,
            existing_award: r.existing_award,
        })
    }
}

impl From<CareerPay> for RawCareerPay {
    fn from(p: CareerPay) -> RawCareerPay {
        let (point, salary_point) = match p.start {
            Some(PayPoint::Point(i)) => (Some(i64::from(i)), None),
            Some(PayPoint::Value2002(v)) => (None, Some(NonNegative(v))),
            None => (None, None),
        };
        RawCareerPay {
            point,
            salary_point,
            cea_level: 0,
            recruitment_retention_premium: p.recruitment_retention_premium,
            existing_award: p.existing_award,
        }
    }
}

/// A pay year, written "2003/04".
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub struct PayYear {
    /// The calendar year in which it starts on 1 April.
    pub first: i32,
}

impl PayYear {
    /// Its first day, 1 April.
    pub fn start(self) -> NaiveDate {
        NaiveDate::from_ymd_opt(self.first, 4, 1).unwrap_or(NaiveDate::MIN)
    }
}

impl fmt::Display for PayYear {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}/{:02}", self.first, (self.first + 1).rem_euclid(100))
    }
}

impl<'de> Deserialize<'de> for PayYear {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let s = String::deserialize(d)?;
        let bad = || {
            de::Error::custom(format!("found \"{s}\", expected a pay year such as \"2003/04\" (1 April 2003 to 31 March 2004)"))
        };
        let (a, b) = s.split_once('/').ok_or_else(bad)?;
        let first: i32 = a.parse().map_err(|_| bad())?;
        let second: i32 = b.parse().map_err(|_| bad())?;
        if a.len() != 4 || b.len() != 2 || (first + 1).rem_euclid(100) != second {
            return Err(bad());
        }
        Ok(PayYear { first })
    }
}

impl Serialize for PayYear {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_str(self)
    }
}

/// `[transition]`: an existing consultant's terms beyond seniority.
#[derive(Debug, Clone, PartialEq, Deserialize, Serialize)]
#[serde(
    deny_unknown_fields,
    try_from = "RawTransition",
    into = "RawTransition"
)]
pub struct Transition {
    /// Moving from a maximum part-time contract to full time (TR-4).
    pub maximum_part_time: bool,
    /// Basic pay on the maximum part-time contract, in pounds a year (TR-4).
    pub current_pay: Option<Decimal>,
    /// The pay year whose level `current_pay` is at; default the pay year of the transfer.
    pub current_pay_year: Option<PayYear>,
    /// Notional hours on the old part-time contract (TR-3).
    pub notional_hours: Option<Decimal>,
    /// Notional half-days on the old part-time contract (TR-3).
    pub notional_half_days: Option<Decimal>,
    /// The consultant showed a commensurate increase in work (TR-3).
    pub commensurate_increase_shown: bool,
}

#[derive(Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
struct RawTransition {
    #[serde(default)]
    maximum_part_time: bool,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    current_pay: Option<NonNegative>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    current_pay_year: Option<PayYear>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    notional_hours: Option<NonNegative>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    notional_half_days: Option<NonNegative>,
    #[serde(default)]
    commensurate_increase_shown: bool,
}

impl TryFrom<RawTransition> for Transition {
    type Error = String;
    fn try_from(r: RawTransition) -> Result<Self, String> {
        match (r.maximum_part_time, &r.current_pay) {
            (true, None) => return Err("`current_pay`: missing; a consultant moving from a maximum part-time contract to full time is paid on the way from their current pay to target pay (TR-4), so give the basic pay on the maximum part-time contract, e.g. 52000".into()),
            (false, Some(_)) => return Err("`current_pay`: given without maximum_part_time = true; it is used only for TR-4's phasing".into()),
            (true, Some(p)) if p.0 < Decimal::from(1000) => return Err(format!("`current_pay`: found {}, expected pounds a year such as 52000", p.0)),
            _ => {}
        }
        if r.current_pay_year.is_some() && !r.maximum_part_time {
            return Err("`current_pay_year`: given without maximum_part_time = true".into());
        }
        if r.notional_half_days
            .is_some_and(|h| h.0 > Decimal::from(20))
        {
            return Err("`notional_half_days`: expected at most 20".into());
        }
        if r.notional_hours.is_some_and(|h| h.0 > Decimal::from(100)) {
            return Err("`notional_hours`: expected at most 100 hours a week".into());
        }
        Ok(Transition {
            maximum_part_time: r.maximum_part_time,
            current_pay: r.current_pay.map(|p| p.0),
            current_pay_year: r.current_pay_year,
            notional_hours: r.notional_hours.map(|n| n.0),
            notional_half_days: r.notional_half_days.map(|n| n.0),
            commensurate_increase_shown: r.commensurate_increase_shown,
        })
    }
}

impl From<Transition> for RawTransition {
    fn from(t: Transition) -> RawTransition {
        RawTransition {
            maximum_part_time: t.maximum_part_time,
            current_pay: t.current_pay.map(NonNegative),
            current_pay_year: t.current_pay_year,
            notional_hours: t.notional_hours.map(NonNegative),
            notional_half_days: t.notional_half_days.map(NonNegative),
            commensurate_increase_shown: t.commensurate_increase_shown,
        }
    }
}

/// `[outside_work]`: the employer's policy on outside work.
#[derive(Debug, Clone, PartialEq, Default, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct OutsideWorkPolicy {
    /// Categories of outside work the employer exempts from the spare-capacity rule (F 6(e)),
    /// named as in each year's `outside_remunerated_work`.
    #[serde(default)]
    pub exempted_categories: Vec<String>,
}

/// Remunerated clinical work outside the main NHS contract in a year (PP-4).
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub enum OutsideWork {
    /// None (`false`, `[]` or left out).
    #[default]
    None,
    /// Some, of no named category (`true`): never exempt.
    Unspecified,
    /// Work of these categories, e.g. `["independent_sector", "medico_legal"]`.
    Categories(Vec<String>),
}

impl OutsideWork {
    /// Whether none was done.
    pub fn is_none(&self) -> bool {
        matches!(self, OutsideWork::None)
    }
}

impl<'de> Deserialize<'de> for OutsideWork {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct V;
        impl<'de> Visitor<'de> for V {
            type Value = OutsideWork;
            fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
                f.write_str(
                    "true, false, or a list of categories of work such as [\"independent_sector\"]",
                )
            }
            fn visit_bool<E: de::Error>(self, v: bool) -> Result<OutsideWork, E> {
                Ok(if v {
                    OutsideWork::Unspecified
                } else {
                    OutsideWork::None
                })
            }
            fn visit_seq<A: SeqAccess<'de>>(self, mut a: A) -> Result<OutsideWork, A::Error> {
                let mut v: Vec<String> = Vec::new();
                while let Some(c) = a.next_element::<String>()? {
                    if c.trim().is_empty() {
                        return Err(de::Error::custom("found an empty category, expected a name such as \"independent_sector\""));
                    }
                    v.push(c);
                }
                Ok(if v.is_empty() {
                    OutsideWork::None
                } else {
                    OutsideWork::Categories(v)
                })
            }
        }
        d.deserialize_any(V)
    }
}

impl Serialize for OutsideWork {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        match self {
            OutsideWork::None => s.serialize_bool(false),
            OutsideWork::Unspecified => s.serialize_bool(true),
            OutsideWork::Categories(c) => c.serialize(s),
        }
    }
}

/// One job-plan year, closed by an anniversary (PP-1, PP-3). Each criterion is `None` when the
/// document does not record it: progression is not automatic, so an unrecorded criterion is not a
/// pass (PP-1).
#[derive(Debug, Clone, PartialEq, Deserialize, Serialize)]
#[serde(deny_unknown_fields, try_from = "RawYear", into = "RawYear")]
pub struct Year {
    /// The anniversary that closes the year.
    pub ending: NaiveDate,
    /// Met the time and service commitments of the job plan.
    pub met_time_and_service: Option<bool>,
    /// Met the personal objectives, or made every reasonable effort where prevented.
    pub met_objectives_or_reasonable_effort: Option<bool>,
    /// Took part in appraisal, job planning and objective setting.
    pub took_part_in_appraisal_and_job_planning: Option<bool>,
    /// Worked towards the service changes agreed at the last review.
    pub worked_towards_service_changes: Option<bool>,
    /// Offered the NHS the first portion of spare capacity; `None` lets PP-4 decide from the offers.
    pub offered_spare_capacity: Option<bool>,
    /// Met the private practice standards; `None` for a consultant with no private practice is
    /// met, there being nothing to disclose (PP-1).
    pub met_private_practice_standards: Option<bool>,
    /// The employer's reason for allowing progression despite a failed criterion (PP-2).
    pub employer_discretion: String,
    /// Remunerated clinical work outside the main NHS contract (PP-4).
    pub outside_remunerated_work: OutsideWork,
    /// Whether the consultant first consulted the NHS employer before taking up that work (PP-4,
    /// F 6(c)); `None`: not recorded.
    pub consulted_employer_on_outside_work: Option<bool>,
    /// A significant increase in the consultant's private practice in the year (PRV-1, F 6(f)).
    pub private_practice_increased: bool,
    /// Core weekly PAs in the year; `None` = the previous year's (10 for the first).
    pub contracted_pas: Option<Decimal>,
    /// An appeal against a refusal of progression (C 7).
    pub appeal: Option<Appeal>,
}

fn yes() -> bool {
    true
}

#[derive(Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
struct RawYear {
    ending: NaiveDate,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    met_time_and_service: Option<bool>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    met_objectives_or_reasonable_effort: Option<bool>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    took_part_in_appraisal_and_job_planning: Option<bool>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    worked_towards_service_changes: Option<bool>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    offered_spare_capacity: Option<bool>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    met_private_practice_standards: Option<bool>,
    #[serde(default, skip_serializing_if = "String::is_empty")]
    employer_discretion: String,
    #[serde(default, skip_serializing_if = "OutsideWork::is_none")]
    outside_remunerated_work: OutsideWork,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    consulted_employer_on_outside_work: Option<bool>,
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    private_practice_increased: bool,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    contracted_pas: Option<NonNegative>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    appeal: Option<Appeal>,
}

impl TryFrom<RawYear> for Year {
    type Error = String;
    fn try_from(r: RawYear) -> Result<Self, String> {
        if let Some(p) = r.contracted_pas {
            if p.0.is_zero() || p.0 > Decimal::TEN {
                return Err(format!(
                    "`contracted_pas`: found {}, expected core weekly PAs above 0 and at most 10 (F 2(b))",
                    p.0
                ));
            }
        }
        Ok(Year {
            ending: r.ending,
            met_time_and_service: r.met_time_and_service,
            met_objectives_or_reasonable_effort: r.met_objectives_or_reasonable_effort,
            took_part_in_appraisal_and_job_planning: r.took_part_in_appraisal_and_job_planning,
            worked_towards_service_changes: r.worked_towards_service_changes,
            offered_spare_capacity: r.offered_spare_capacity,
            met_private_practice_standards: r.met_private_practice_standards,
            employer_discretion: r.employer_discretion.trim().to_string(),
            outside_remunerated_work: r.outside_remunerated_work,
            consulted_employer_on_outside_work: r.consulted_employer_on_outside_work,
            private_practice_increased: r.private_practice_increased,
            contracted_pas: r.contracted_pas.map(|p| p.0),
            appeal: r.appeal,
        })
    }
}

impl From<Year> for RawYear {
    fn from(y: Year) -> RawYear {
        RawYear {
            ending: y.ending,
            met_time_and_service: y.met_time_and_service,
            met_objectives_or_reasonable_effort: y.met_objectives_or_reasonable_effort,
            took_part_in_appraisal_and_job_planning: y.took_part_in_appraisal_and_job_planning,
            worked_towards_service_changes: y.worked_towards_service_changes,
            offered_spare_capacity: y.offered_spare_capacity,
            met_private_practice_standards: y.met_private_practice_standards,
            employer_discretion: y.employer_discretion,
            outside_remunerated_work: y.outside_remunerated_work,
            consulted_employer_on_outside_work: y.consulted_employer_on_outside_work,
            private_practice_increased: y.private_practice_increased,
            contracted_pas: y.contracted_pas.map(NonNegative),
            appeal: y.appeal,
        }
    }
}

/// How an appeal ended (C 7).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum AppealOutcome {
    /// The panel allowed progression: the year counts.
    Upheld,
    /// The refusal stands.
    Dismissed,
    /// Not yet decided: the refusal stands for now.
    Pending,
}

impl AppealOutcome {
    /// The name as written in documents.
    pub fn as_str(self) -> &'static str {
        match self {
            AppealOutcome::Upheld => "upheld",
            AppealOutcome::Dismissed => "dismissed",
            AppealOutcome::Pending => "pending",
        }
    }
}

/// An appeal to the local appeals panel against a refusal of progression (PP-3, C 7).
#[derive(Debug, Clone, PartialEq, Deserialize, Serialize)]
#[serde(deny_unknown_fields, try_from = "RawAppeal", into = "RawAppeal")]
pub struct Appeal {
    /// When it was lodged.
    pub lodged: NaiveDate,
    /// The outcome.
    pub outcome: AppealOutcome,
    /// When it was decided; `None` while pending.
    pub decided: Option<NaiveDate>,
}

#[derive(Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
struct RawAppeal {
    lodged: NaiveDate,
    outcome: AppealOutcome,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    decided: Option<NaiveDate>,
}

impl TryFrom<RawAppeal> for Appeal {
    type Error = String;
    fn try_from(r: RawAppeal) -> Result<Self, String> {
        match (r.outcome, r.decided) {
            (AppealOutcome::Pending, Some(d)) => return Err(format!("`decided`: found {d} for a pending appeal; give the outcome (upheld or dismissed), or leave `decided` out")),
            (AppealOutcome::Upheld | AppealOutcome::Dismissed, None) => return Err(format!("`decided`: missing for an appeal {}; give the date the panel decided", r.outcome.as_str())),
            (_, Some(d)) if d < r.lodged => return Err(format!("`decided`: found {d}, before the appeal was lodged on {}", r.lodged)),
            _ => {}
        }
        Ok(Appeal {
            lodged: r.lodged,
            outcome: r.outcome,
            decided: r.decided,
        })
    }
}

impl From<Appeal> for RawAppeal {
    fn from(a: Appeal) -> RawAppeal {
        RawAppeal {
            lodged: a.lodged,
            outcome: a.outcome,
            decided: a.decided,
        }
    }
}

/// Extra PAs offered on an agreed annualised basis or a fixed one (F 6(c)).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, Serialize, Default)]
#[serde(rename_all = "snake_case")]
pub enum OfferBasis {
    /// Annualised: preferred where possible.
    #[default]
    Annualised,
    /// Fixed sessions.
    Fixed,
}

/// The consultant's answer to an offer.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum OfferResponse {
    /// Declined.
    Declined,
    /// Accepted.
    Accepted,
}

/// An offer of extra PAs (PP-4, PP-5).
#[derive(Debug, Clone, PartialEq, Deserialize, Serialize)]
#[serde(deny_unknown_fields, try_from = "RawOffer", into = "RawOffer")]
pub struct ExtraPaOffer {
    /// When the offer was made.
    pub offered_on: NaiveDate,
    /// When the extra work would start.
    pub starts_on: NaiveDate,
    /// PAs a week on average.
    pub pas: Decimal,
    /// Annualised or fixed.
    pub basis: OfferBasis,
    /// Made at the annual job plan review.
    pub at_annual_review: bool,
    /// The work would mean rescheduling external commitments (6 months' notice).
    pub reschedule_external_commitments: bool,
    /// Employer and consultant agreed a shorter notice.
    pub shorter_notice_agreed: bool,
    /// Offered equally to all clinically appropriate consultants.
    pub offered_to_all_appropriate: bool,
    /// Declined or accepted.
    pub response: OfferResponse,
    /// When the consultant answered; default `offered_on`.
    pub responded_on: NaiveDate,
    /// Accepted extra PAs ended on this date.
    pub terminated_on: Option<NaiveDate>,
    /// When notice of the termination was given.
    pub termination_notice_given_on: Option<NaiveDate>,
}

#[derive(Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
struct RawOffer {
    offered_on: NaiveDate,
    starts_on: NaiveDate,
    pas: NonNegative,
    #[serde(default)]
    basis: OfferBasis,
    #[serde(default = "yes")]
    at_annual_review: bool,
    #[serde(default)]
    reschedule_external_commitments: bool,
    #[serde(default)]
    shorter_notice_agreed: bool,
    #[serde(default = "yes")]
    offered_to_all_appropriate: bool,
    response: OfferResponse,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    responded_on: Option<NaiveDate>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    terminated_on: Option<NaiveDate>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    termination_notice_given_on: Option<NaiveDate>,
}

impl TryFrom<RawOffer> for ExtraPaOffer {
    type Error = String;
    fn try_from(r: RawOffer) -> Result<Self, String> {
        if r.pas.0.is_zero() || r.pas.0 > Decimal::from(20) {
            return Err(format!(
                "`pas`: found {}, expected extra PAs a week on average, above 0 and at most 20",
                r.pas.0
            ));
        }
        if r.starts_on < r.offered_on {
            return Err(format!(
                "`starts_on`: found {}, before the offer was made on {}; expected the date the extra work would start",
                r.starts_on, r.offered_on
            ));
        }
        let responded_on = r.responded_on.unwrap_or(r.offered_on);
        if responded_on < r.offered_on {
            return Err(format!(
                "`responded_on`: found {responded_on}, before the offer was made on {}",
                r.offered_on
            ));
        }
        match (r.response, r.terminated_on, r.termination_notice_given_on) {
            (OfferResponse::Declined, Some(t), _) => return Err(format!("`terminated_on`: found {t} for a declined offer; only accepted extra PAs can be terminated")),
            (_, None, Some(_)) => return Err("`termination_notice_given_on`: given without `terminated_on`".into()),
            (_, Some(t), None) => return Err(format!("`termination_notice_given_on`: missing; extra PAs terminated on {t} need the date notice was given (PP-5: 3 months)")),
            (_, Some(t), Some(n)) if n > t => return Err(format!("`termination_notice_given_on`: found {n}, after the termination on {t}")),
            (_, Some(t), _) if t < r.starts_on => return Err(format!("`terminated_on`: found {t}, before the extra PAs started on {}", r.starts_on)),
            _ => {}
        }
        Ok(ExtraPaOffer {
            offered_on: r.offered_on,
            starts_on: r.starts_on,
            pas: r.pas.0,
            basis: r.basis,
            at_annual_review: r.at_annual_review,
            reschedule_external_commitments: r.reschedule_external_commitments,
            shorter_notice_agreed: r.shorter_notice_agreed,
            offered_to_all_appropriate: r.offered_to_all_appropriate,
            response: r.response,
            responded_on,
            terminated_on: r.terminated_on,
            termination_notice_given_on: r.termination_notice_given_on,
        })
    }
}

impl From<ExtraPaOffer> for RawOffer {
    fn from(o: ExtraPaOffer) -> RawOffer {
        RawOffer {
            offered_on: o.offered_on,
            starts_on: o.starts_on,
            pas: NonNegative(o.pas),
            basis: o.basis,
            at_annual_review: o.at_annual_review,
            reschedule_external_commitments: o.reschedule_external_commitments,
            shorter_notice_agreed: o.shorter_notice_agreed,
            offered_to_all_appropriate: o.offered_to_all_appropriate,
            response: o.response,
            responded_on: Some(o.responded_on),
            terminated_on: o.terminated_on,
            termination_notice_given_on: o.termination_notice_given_on,
        }
    }
}

/// Which committee makes an award (E 3.1-3.2).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum AwardScope {
    /// The employer's committee: levels 1-9.
    Local,
    /// A regional sub-committee of the CEAC: levels 10-11.
    Regional,
    /// The national CEAC: levels 12-13.
    National,
}

impl AwardScope {
    /// The name as written in documents.
    pub fn as_str(self) -> &'static str {
        match self {
            AwardScope::Local => "local",
            AwardScope::Regional => "regional",
            AwardScope::National => "national",
        }
    }
}

/// A clinical excellence award (CEA-1 … CEA-3).
#[derive(Debug, Clone, PartialEq, Deserialize, Serialize)]
#[serde(deny_unknown_fields, try_from = "RawAward", into = "RawAward")]
pub struct Award {
    /// Level, 1 to 13.
    pub level: u8,
    /// When it was awarded; paid from this date.
    pub awarded_on: NaiveDate,
    /// Local, regional or national, as recorded; `None` = as the level implies.
    pub scope: Option<AwardScope>,
    /// When it was withdrawn after an early review of concerns about performance (CEA-4,
    /// E 1.1); not paid from this date.
    pub withdrawn_on: Option<NaiveDate>,
}

#[derive(Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
struct RawAward {
    level: i64,
    awarded_on: NaiveDate,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    scope: Option<AwardScope>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    withdrawn_on: Option<NaiveDate>,
}

impl TryFrom<RawAward> for Award {
    type Error = String;
    fn try_from(r: RawAward) -> Result<Self, String> {
        if !(1..=13).contains(&r.level) {
            return Err(format!(
                "`level`: found {}, expected an award level from 1 to 13 (local 1-9, regional 10-11, national 12-13)",
                r.level
            ));
        }
        if let Some(w) = r.withdrawn_on.filter(|w| *w <= r.awarded_on) {
            return Err(format!(
                "`withdrawn_on`: found {w}, expected a date after the award was made ({})",
                r.awarded_on
            ));
        }
        Ok(Award {
            level: r.level as u8,
            awarded_on: r.awarded_on,
            scope: r.scope,
            withdrawn_on: r.withdrawn_on,
        })
    }
}

impl From<Award> for RawAward {
    fn from(a: Award) -> RawAward {
        RawAward {
            level: i64::from(a.level),
            awarded_on: a.awarded_on,
            scope: a.scope,
            withdrawn_on: a.withdrawn_on,
        }
    }
}

/// Reads a career document. `file` is used only in error messages.
pub fn parse_career(
    file: &str,
    bytes: &[u8],
    format: Format,
    params: &Parameters,
) -> Result<CareerDocument, DocumentError> {
    let text = text_of(
        file,
        bytes,
        format,
        "a career document with [consultant] and one [[year]] per job-plan year",
    )?;
    let doc: CareerDocument = match format {
        Format::Toml => parse_toml(file, text).map_err(|e| sharpen(e, text)),
        Format::Json => parse_json(file, text),
    }?;
    check(&doc, params).map_err(|(path, message)| {
        let (line, column) =
            locate::offset(text, format, &path).map_or((1, 1), |o| line_col(text, o));
        finish(file, line, column, path, message)
    })?;
    Ok(doc)
}

/// The TOML reader places an error in a table of an array of tables at the array's start; the
/// field path says which table, so point at it when that is further in.
fn sharpen(mut e: DocumentError, text: &str) -> DocumentError {
    if let Some(o) = locate::offset(text, Format::Toml, &e.field) {
        let (line, column) = line_col(text, o);
        if (line, column) > (e.line, e.column) {
            (e.line, e.column) = (line, column);
        }
    }
    e
}

/// Checks across tables: (field path, message) of the first problem.
fn check(doc: &CareerDocument, params: &Parameters) -> Result<(), (String, String)> {
    let c = &doc.consultant;
    let anchor = doc.anchor();
    let what = if c.transferred.is_some() {
        "the transfer to this contract"
    } else {
        "first appointment"
    };
    if let Some(t) = c.transferred {
        if t < c.first_appointed {
            return Err(("consultant.transferred".into(), format!("found {t}, before first_appointed ({}); expected the date the consultant moved to this contract, on or after their first consultant appointment", c.first_appointed)));
        }
        if c.seniority_at_transfer.is_none() {
            return Err(("consultant.seniority_at_transfer".into(), "missing: an existing consultant who transferred needs their years of seniority on the old scale (TR-1, TR-2); give 0 for less than a year".into()));
        }
    }
    if let Some(t) = &doc.transition {
        if c.transferred.is_none()
            && (t.maximum_part_time || t.notional_hours.is_some() || t.notional_half_days.is_some())
        {
            return Err(("transition".into(), "given for a consultant who did not transfer: [transition] holds an existing consultant's terms (TR-3, TR-4); give consultant.transferred and seniority_at_transfer, or remove it".into()));
        }
    }
    // A career starting before the parameter's first date is refused by the timeline (the contract
    // is not in force); its years are checked here with the earliest reading.
    let leap = params
        .leap_day_anniversary
        .at(anchor)
        .unwrap_or(&params.leap_day_anniversary.entries[0])
        .value;
    // Each year closes on an anniversary; then the years are in order, once each, with none
    // missing: reported in that order, so a shuffled list is called out of order, not incomplete.
    let mut numbers = Vec::with_capacity(doc.years.len());
    for (i, y) in doc.years.iter().enumerate() {
        let path = format!("year[{i}].ending");
        let first = anniversary(anchor, 1, leap);
        if y.ending <= anchor {
            return Err((path, format!("found {}, on or before {what} on {anchor}: a year closes on an anniversary after it, the first on {}", y.ending, show_date(first))));
        }
        let Some(k) = anniversary_number(anchor, y.ending, leap) else {
            let near = (1..=MAX_CAREER_YEARS + 1)
                .filter_map(|n| anniversary(anchor, n, leap))
                .min_by_key(|d| (*d - y.ending).num_days().abs());
            return Err((path, format!("found {}, expected an anniversary of {what} on {anchor} (progression falls on anniversaries, C 4.6){}", y.ending, near.map(|d| format!(", such as {d}")).unwrap_or_default())));
        };
        if k > MAX_CAREER_YEARS {
            return Err((
                path,
                format!(
                    "found {}, more than {MAX_CAREER_YEARS} years after {what} on {anchor}",
                    y.ending
                ),
            ));
        }
        numbers.push(k);
    }
    for i in 1..numbers.len() {
        let (y, before) = (&doc.years[i], &doc.years[i - 1]);
        if numbers[i] < numbers[i - 1] {
            return Err((
                format!("year[{i}].ending"),
                format!(
                    "found {} after {} (year[{}]): years must be in date order",
                    y.ending,
                    before.ending,
                    i - 1
                ),
            ));
        }
        if numbers[i] == numbers[i - 1] {
            return Err((format!("year[{i}].ending"), format!("found {} again: year[{}] already closes on it; each job-plan year is recorded once", y.ending, i - 1)));
        }
    }
    for (i, k) in numbers.iter().enumerate() {
        let previous = if i == 0 { 0 } else { numbers[i - 1] };
        if *k > previous + 1 {
            let missing = show_date(anniversary(anchor, previous + 1, leap));
            return Err((
                format!("year[{i}].ending"),
                if previous == 0 {
                    format!("found {}, but the first year closes on the first anniversary of {what}, {missing}; record every job-plan year from the first", doc.years[i].ending)
                } else {
                    format!("found {} after {}: the year closing on {missing} is missing; record every job-plan year", doc.years[i].ending, doc.years[i - 1].ending)
                },
            ));
        }
    }
    for (i, o) in doc.extra_pa_offers.iter().enumerate() {
        if o.responded_on < anchor {
            return Err((format!("extra_pa_offer[{i}].responded_on"), format!("found {}, before {what} on {anchor}; offers are recorded from the start of the career", o.responded_on)));
        }
    }
    for (i, a) in doc.awards.iter().enumerate() {
        if a.awarded_on < anchor {
            return Err((format!("award[{i}].awarded_on"), format!("found {}, before {what} on {anchor}; clinical excellence awards are recorded from the start of the career on this contract", a.awarded_on)));
        }
        if let Some(j) = doc.awards[..i]
            .iter()
            .position(|b| b.awarded_on == a.awarded_on)
        {
            return Err((format!("award[{i}].awarded_on"), format!("found {} again: award[{j}] was made on the same day; a higher award replaces the lower (CEA-3), so record the one awarded", a.awarded_on)));
        }
    }
    Ok(())
}

fn show_date(d: Option<NaiveDate>) -> String {
    d.map_or_else(|| "(out of range)".into(), |d| d.to_string())
}
