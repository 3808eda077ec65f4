//! Pay progression over a career (PP-1 … PP-6; F 3(c)-(f), C 3-7, F 6(c)-(e), F 9(g), F 9(i)),
//! and [`timeline`], which walks a career anniversary by anniversary applying them together with
//! the transitional rules ([`crate::transition`]), the general awards (PAY-2), basic salary (PAY-3),
//! premia (PAY-4) and clinical excellence awards over time (CEA-2, CEA-3).

use crate::excellence_awards as cea;
use crate::finding::{Finding, Findings, Severity};
use crate::money::{number, round_pound, show, Money};
use crate::parameters::{
    ExtraPaNotice, LeapDayAnniversary, LookupError, Parameters, Share, SpareCapacity, Step,
};
use crate::pay;
use crate::plan::{
    AppealOutcome, CareerDocument, Consultant, ExtraPaOffer, OfferBasis, OfferResponse,
    OutsideWork, OutsideWorkPolicy, PayPoint, Year,
};
use crate::rule::Rule;
use crate::transition::{self, PartTimeChoice, Phase, TR_1, TR_2, TR_4};
use chrono::{Datelike, Months, NaiveDate};
use rust_decimal::Decimal;
use serde::Serialize;

/// The longest career the timeline walks, in years from its start. An engine bound, not a
/// contract figure: it keeps `--until 9999-12-31` finite.
pub const MAX_CAREER_YEARS: u32 = 60;

// ---------------------------------------------------------------------------------------------
// PP-3: when progression falls, and appeals.

/// PP-3: progression falls on the anniversary of first appointment (new consultants) or of the
/// transfer to the contract (existing consultants), after the job plan review, the Medical
/// Director's recommendation and the Chief Executive's decision.
pub const PP_3: Rule = Rule {
    id: "PP-3",
    citation: "C 4.2-4.3, C 4.6",
    title: "Progression on the anniversary",
};

/// The `n`-th anniversary of `anchor` (the 0th is `anchor`). An anchor on 29 February falls, in a
/// year without one, on the day the `progression/leap_day_anniversary` parameter names (1 March
/// by default). `None` past the calendar's end.
pub fn anniversary(anchor: NaiveDate, n: u32, leap: LeapDayAnniversary) -> Option<NaiveDate> {
    let year = anchor.year().checked_add(i32::try_from(n).ok()?)?;
    NaiveDate::from_ymd_opt(year, anchor.month(), anchor.day()).or_else(|| match leap {
        LeapDayAnniversary::March1 => NaiveDate::from_ymd_opt(year, 3, 1),
        LeapDayAnniversary::February28 => NaiveDate::from_ymd_opt(year, 2, 28),
    })
}

/// Which anniversary of `anchor` `date` is, if it is one.
pub fn anniversary_number(
    anchor: NaiveDate,
    date: NaiveDate,
    leap: LeapDayAnniversary,
) -> Option<u32> {
    let n = u32::try_from(date.year() - anchor.year()).ok()?;
    (anniversary(anchor, n, leap) == Some(date)).then_some(n)
}

/// PP-3 (C 7): a consultant may appeal a refusal of progression to a local appeals panel, the onus
/// being on the employer to show why progression was withheld.
pub const PP_3_APPEAL: Rule = Rule {
    id: "PP-3",
    citation: "C 7.1-7.2",
    title: "Appeal against a refusal",
};

/// Whether an appeal upheld by the panel lets the year count despite a failed criterion.
pub fn appeal_upheld(y: &Year) -> bool {
    y.appeal
        .as_ref()
        .is_some_and(|a| a.outcome == AppealOutcome::Upheld)
}

// ---------------------------------------------------------------------------------------------
// PP-1: a satisfactory year.

/// PP-1: a year is satisfactory when the consultant met the job plan's time and service
/// commitments; met its personal objectives or made every reasonable effort; took part in
/// appraisal, job planning and objective setting; worked towards the service changes agreed; offered
/// the NHS the first portion of spare capacity (PP-4); and met the private practice standards.
pub const PP_1: Rule = Rule {
    id: "PP-1",
    citation: "F 3(c), C 3.1, A 9.4",
    title: "A satisfactory year",
};

/// The six criteria: (field name in the document, what failing it means).
pub const CRITERIA: [(&str, &str); 6] = [
    (
        "met_time_and_service",
        "did not meet the time and service commitments of the job plan",
    ),
    (
        "met_objectives_or_reasonable_effort",
        "did not meet the personal objectives nor make every reasonable effort to",
    ),
    (
        "took_part_in_appraisal_and_job_planning",
        "did not take part satisfactorily in appraisal, job planning and objective setting",
    ),
    (
        "worked_towards_service_changes",
        "did not work towards the service changes agreed at the last review",
    ),
    (
        "offered_spare_capacity",
        "did not offer the NHS the first portion of spare capacity",
    ),
    (
        "met_private_practice_standards",
        "did not meet the standards for private practice",
    ),
];

/// The criteria `y` records as failed, by name; `spare` is PP-4's decision on spare capacity and
/// `private_practice` the private practice standards as [`private_practice_standards`] reads them.
pub fn failed_criteria(y: &Year, spare: bool, private_practice: Option<bool>) -> Vec<&'static str> {
    by_criterion(y, spare, private_practice, |m| m == Some(false))
}

/// The criteria `y` does not record, by name. Progression is not automatic: the Chief Executive
/// must be satisfied each criterion was met, so a year with one not recorded is not satisfactory.
pub fn unrecorded_criteria(
    y: &Year,
    spare: bool,
    private_practice: Option<bool>,
) -> Vec<&'static str> {
    by_criterion(y, spare, private_practice, |m| m.is_none())
}

fn by_criterion(
    y: &Year,
    spare: bool,
    private_practice: Option<bool>,
    pick: impl Fn(Option<bool>) -> bool,
) -> Vec<&'static str> {
    let met = [
        y.met_time_and_service,
        y.met_objectives_or_reasonable_effort,
        y.took_part_in_appraisal_and_job_planning,
        y.worked_towards_service_changes,
        Some(spare),
        private_practice,
    ];
    CRITERIA
        .iter()
        .zip(met)
        .filter(|(_, m)| pick(*m))
        .map(|((name, _), _)| *name)
        .collect()
}

/// PP-1's private practice criterion for a consultant with no private practice: the standards
/// begin with informing the employer of private commitments, and with none there is nothing to
/// disclose, so the criterion is met without a record (a nil return is not required).
pub const PP_1_NO_PRIVATE_PRACTICE: Rule = Rule {
    id: "PP-1",
    citation: "D 3.6",
    title: "No private practice, nothing to disclose",
};

/// The private practice criterion of `y`: as recorded; unrecorded, met for a consultant with no
/// private practice ([`PP_1_NO_PRIVATE_PRACTICE`]), else unknown.
pub fn private_practice_standards(y: &Year, has_private_practice: bool) -> Option<bool> {
    y.met_private_practice_standards
        .or_else(|| nothing_to_disclose(has_private_practice))
}

/// [`PP_1_NO_PRIVATE_PRACTICE`]: met when the consultant has no private practice.
pub fn nothing_to_disclose(has_private_practice: bool) -> Option<bool> {
    (!has_private_practice).then_some(true)
}

// ---------------------------------------------------------------------------------------------
// PP-2: satisfactory years before each threshold.

/// PP-2: a threshold needs satisfactory years since the previous one, 1 for each of the first four
/// and 5 for each of the last three; an unsatisfactory year delays progression by that year only,
/// because satisfactory years are counted, not consecutive ones.
pub const PP_2: Rule = Rule {
    id: "PP-2",
    citation: "F 3(b), F 3(d), C 4.3",
    title: "Satisfactory years before a threshold",
};

/// The thresholds of the scale above `start` (2002/03 values), each with the satisfactory years
/// it needs.
pub fn scale_schedule(start: Decimal, scale: &[Decimal], intervals: &[u32]) -> Vec<Step> {
    scale
        .iter()
        .enumerate()
        .skip(1)
        .filter(|(_, v)| **v > start)
        .map(|(i, v)| Step {
            years: intervals[(i - 1).min(intervals.len() - 1)],
            value: *v,
        })
        .collect()
}

/// PP-2 (F 3(e), C 4.4): the employer may allow progression despite an unsatisfactory year, for
/// example because of illness, with the reason recorded.
pub const PP_2_DISCRETION: Rule = Rule {
    id: "PP-2",
    citation: "F 3(e), C 4.4",
    title: "Discretion to allow progression",
};

/// The employer's recorded reason for letting an unsatisfactory year count, if any.
pub fn discretion(y: &Year) -> Option<&str> {
    (!y.employer_discretion.is_empty()).then_some(y.employer_discretion.as_str())
}

// ---------------------------------------------------------------------------------------------
// PP-4, PP-5, PP-6: spare capacity and extra PAs.

/// PP-4: a year is unsatisfactory when the consultant declines extra PAs offered correctly (PP-5),
/// up to 1 PA a week on average (2 while the 2-PA rule applies, PP-6), and then does remunerated
/// clinical work outside the main NHS contract.
pub const PP_4: Rule = Rule {
    id: "PP-4",
    citation: "F 6(c)-(d)",
    title: "Spare capacity offered to the NHS first",
};

/// PP-4's decision on one year.
#[derive(Debug, Clone, PartialEq)]
pub struct SpareVerdict {
    /// Whether the consultant offered the NHS the first portion of spare capacity.
    pub offered: bool,
    /// Why not, when not.
    pub reason: String,
}

/// PP-4 for the year `[starting, ending)`: `correct[i]` says whether offer `i` met PP-5;
/// `expected` is the PAs a week the consultant is expected to accept, and `expectation_note` says
/// why (written only into a message); `outside` describes the outside work that is not exempt
/// (PP-4's exemption), if any.
#[allow(clippy::too_many_arguments)]
pub fn spare_capacity(
    starting: NaiveDate,
    ending: NaiveDate,
    offers: &[ExtraPaOffer],
    correct: &[bool],
    expected: Decimal,
    outside: Option<&str>,
    expectation_note: &dyn Fn() -> String,
    f: &mut Findings,
) -> SpareVerdict {
    let declined = offers.iter().enumerate().filter(|(i, o)| {
        o.response == OfferResponse::Declined
            && correct[*i]
            && o.responded_on >= starting
            && o.responded_on < ending
    });
    for (_, o) in declined {
        let held: Decimal = offers
            .iter()
            .filter(|a| {
                a.response == OfferResponse::Accepted
                    && a.responded_on <= o.responded_on
                    && a.terminated_on.is_none_or(|t| t > o.responded_on)
            })
            .map(|a| a.pas)
            .sum();
        let Some(work) = outside else { continue };
        if held + o.pas > expected {
            f.info(PP_4, format!("declining {} a week offered on {} does not make the year ending {ending} unsatisfactory: with {} already accepted it is above the {} a week the consultant is expected to accept ({})", pas(o.pas), o.offered_on, pas(held), pas(expected), expectation_note()));
            continue;
        }
        return SpareVerdict {
            offered: false,
            reason: format!("declined {} a week of extra work correctly offered on {} and did remunerated clinical work outside the main NHS contract ({work}); up to {} a week is expected ({})", pas(o.pas), o.offered_on, pas(expected), expectation_note()),
        };
    }
    SpareVerdict {
        offered: true,
        reason: String::new(),
    }
}

fn pas(d: Decimal) -> String {
    format!("{} PA{}", show(d), if d == Decimal::ONE { "" } else { "s" })
}

/// PP-4 (F 6(e)): the employer may exempt categories of outside work from the spare-capacity rule.
pub const PP_4_EXEMPTION: Rule = Rule {
    id: "PP-4",
    citation: "F 6(e)",
    title: "Exempted categories of outside work",
};

/// The outside work of a year that is not exempt, described; `None` when there is none.
pub fn non_exempt_work(
    work: &OutsideWork,
    policy: Option<&OutsideWorkPolicy>,
    ending: NaiveDate,
    f: &mut Findings,
) -> Option<String> {
    match work {
        OutsideWork::None => None,
        OutsideWork::Unspecified => Some("of no named category".into()),
        OutsideWork::Categories(c) => {
            let exempt = |x: &String| policy.is_some_and(|p| p.exempted_categories.contains(x));
            let left: Vec<&str> = c
                .iter()
                .filter(|x| !exempt(x))
                .map(String::as_str)
                .collect();
            if left.len() < c.len() {
                let gone: Vec<&str> = c.iter().filter(|x| exempt(x)).map(String::as_str).collect();
                f.info(PP_4_EXEMPTION, format!("outside work in the year ending {ending} of exempted categories ({}) does not count for spare capacity", gone.join(", ")));
            }
            (!left.is_empty()).then(|| left.join(", "))
        }
    }
}

/// PP-5: an extra-PA offer is correct when made at annual review where possible and, unless
/// otherwise agreed, at least 3 months before the work starts (6 where the consultant must
/// reschedule external commitments), and offered equally to all clinically appropriate
/// consultants, on an annualised basis where possible; ending extra PAs needs 3 months' notice.
pub const PP_5: Rule = Rule {
    id: "PP-5",
    citation: "F 6(c)",
    title: "Offering and ending extra PAs",
};

/// Why an offer was not made correctly, or `None` when it was.
pub fn offer_defect(o: &ExtraPaOffer, notice: &ExtraPaNotice) -> Option<String> {
    if !o.offered_to_all_appropriate {
        return Some(
            "was not offered equally to all clinically appropriate consultants".to_string(),
        );
    }
    if o.shorter_notice_agreed {
        return None;
    }
    let months = if o.reschedule_external_commitments {
        notice.rescheduling_months
    } else {
        notice.offer_months
    };
    let enough = o
        .offered_on
        .checked_add_months(Months::new(months))
        .is_some_and(|d| d <= o.starts_on);
    (!enough).then(|| {
        format!(
            "to start on {} gave {} of notice; {months} months are needed{} unless a shorter notice is agreed",
            o.starts_on,
            notice_given(o.offered_on, o.starts_on),
            if o.reschedule_external_commitments {
                " where external commitments must be rescheduled"
            } else {
                ""
            }
        )
    })
}

/// "2 months", "2 months and 10 days", "25 days".
fn notice_given(from: NaiveDate, to: NaiveDate) -> String {
    let mut m = 0u32;
    while from
        .checked_add_months(Months::new(m + 1))
        .is_some_and(|d| d <= to)
    {
        m += 1;
    }
    let rest = from
        .checked_add_months(Months::new(m))
        .map_or(0, |d| (to - d).num_days());
    let unit = |n: i64, one: &str| format!("{n} {one}{}", if n == 1 { "" } else { "s" });
    match (m, rest) {
        (0, d) => unit(d, "day"),
        (m, 0) => unit(i64::from(m), "month"),
        (m, d) => format!("{} and {}", unit(i64::from(m), "month"), unit(d, "day")),
    }
}

/// Info findings for the parts of PP-5 that apply "where possible": at annual review, annualised.
pub fn note_manner(o: &ExtraPaOffer, f: &mut Findings) {
    if !o.at_annual_review {
        f.info(PP_5, format!("the offer of {} made on {} was not made at the annual job plan review, where extra PAs are offered where possible", pas(o.pas), o.offered_on));
    }
    if o.basis == OfferBasis::Fixed {
        f.info(PP_5, format!("the offer of {} made on {} is on a fixed basis; where possible extra PAs are offered on an agreed annualised basis", pas(o.pas), o.offered_on));
    }
}

/// A warning when accepted extra PAs were ended with less than the notice required.
pub fn check_termination(o: &ExtraPaOffer, notice: &ExtraPaNotice, f: &mut Findings) {
    let (Some(end), Some(given)) = (o.terminated_on, o.termination_notice_given_on) else {
        return;
    };
    let enough = given
        .checked_add_months(Months::new(notice.termination_months))
        .is_some_and(|d| d <= end);
    if !enough {
        f.warning(PP_5, format!("the extra {} a week accepted on {} were terminated on {end} with {} of notice; at least {} months are needed", pas(o.pas), o.responded_on, notice_given(given, end), notice.termination_months));
    }
}

/// PP-6: the 2-PA rule of F 6(d) is phased by the date the post was offered: before 1 April 2003
/// never; 2003/04 for the first contract year; 2004/05 the first 3; 2005/06 the first 5; from
/// 1 April 2006 the first 7. It never applies to existing consultants who transfer.
pub const PP_6: Rule = Rule {
    id: "PP-6",
    citation: "F 6(d), F 9(g), F 9(i)",
    title: "Phasing of the 2-PA rule",
};

/// The years from first appointment during which the 2-PA rule applies to `c`: none for an
/// existing consultant who transferred, or for a post offered before the phasing began.
pub fn two_pa_rule_years(c: &Consultant, params: &Parameters) -> u32 {
    if c.transferred.is_some() {
        return 0;
    }
    params
        .two_pa_rule_years
        .value(c.post_offered)
        .copied()
        .unwrap_or(0)
}

/// The extra PAs a week a consultant is expected to accept in year `k` of their career.
pub fn expected_pas(k: u32, two_pa_years: u32, spare: &SpareCapacity) -> Decimal {
    if k <= two_pa_years {
        spare.first_phase_pas
    } else {
        spare.pas
    }
}

// ---------------------------------------------------------------------------------------------
// The timeline.

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

/// PAY-2 year by year: each scale in force, computed once, and the uplift of figures off the scale
/// (transitional points, TR-4's current pay). Gives the same figures as [`pay::scale`] and
/// [`pay::uplift_2002`] (a test checks), without recomputing every award for every year.
struct Uplifts<'p> {
    params: &'p Parameters,
    /// (first day in force, the eight points, the pay year of the last award or scale applied).
    scales: Vec<(NaiveDate, Vec<Decimal>)>,
}

impl<'p> Uplifts<'p> {
    fn new(params: &'p Parameters) -> Uplifts<'p> {
        let mut scales: Vec<(NaiveDate, Vec<Decimal>)> = Vec::with_capacity(8);
        let (mut s, mut a) = (0, 0);
        let (scale, awards) = (&params.pay_scale.entries, &params.general_award.entries);
        while s < scale.len() || a < awards.len() {
            let next_scale = scale.get(s).map(|e| e.from);
            let next_award = awards.get(a).map(|e| e.from);
            if next_scale.is_some() && next_award.is_none_or(|w| Some(w) >= next_scale) {
                let e = &scale[s];
                scales.push((e.from, e.value.clone()));
                // Awards on the day a scale is published are part of it (pay::scale).
                while awards.get(a).is_some_and(|w| w.from <= e.from) {
                    a += 1;
                }
                s += 1;
            } else {
                let w = &awards[a];
                if let Some((_, last)) = scales.last() {
                    // v × (100 + p) / 100 = v × ((100 + p) / 100) exactly: one division per award.
                    let factor = (Decimal::ONE_HUNDRED + w.value) / Decimal::ONE_HUNDRED;
                    let points = last.iter().map(|&v| round_pound(v * factor)).collect();
                    scales.push((w.from, points));
                }
                a += 1;
            }
        }
        Uplifts { params, scales }
    }

    /// The scale for the pay year starting `year_start`, and the date of the last change applied.
    fn scale(&self, year_start: NaiveDate) -> (&[Decimal], NaiveDate) {
        let i = self.scales.partition_point(|(from, _)| *from <= year_start);
        let (from, points) = &self.scales[i.saturating_sub(1)];
        (points, *from)
    }

    /// A figure at the level of the pay year starting `since`, uplifted by each later award up to
    /// the pay year starting `year_start`.
    fn uplift(&self, value: Decimal, since: NaiveDate, year_start: NaiveDate) -> Decimal {
        self.params
            .general_award
            .entries
            .iter()
            .filter(|a| a.from > since && a.from <= year_start)
            .fold(value, |v, a| pay::uplift_once(v, a.value))
    }

    /// The full-time salary of a 2002/03 value in the pay year starting `year_start`, as
    /// [`pay::full_time_salary`] reads a `salary_point`.
    fn full_time(&self, value_2002: Decimal, year_start: NaiveDate) -> Decimal {
        let base = &self.params.pay_scale.entries[0];
        match base.value.iter().position(|&p| p == value_2002) {
            Some(i) => self.scale(year_start).0[i],
            None => self.uplift(value_2002, base.from, year_start),
        }
    }
}

fn value_2002(p: PayPoint, base: &[Decimal]) -> Decimal {
    match p {
        PayPoint::Point(i) => base[usize::from(i)],
        PayPoint::Value2002(v) => v,
    }
}

/// An event before its salary is known.
struct Pending {
    date: NaiveDate,
    kind: EventKind,
    value: Decimal,
    satisfactory: u32,
    deferred: u32,
    required: u32,
    rule: Rule,
    reason: String,
    discretion: Vec<String>,
    projected: bool,
}

/// Walks a career from its start (first appointment, or transfer) anniversary by anniversary to
/// `until`, or without it to the top of the scale, judging each recorded year (PP-1, PP-4 … PP-6),
/// counting satisfactory years towards each threshold (PP-2, TR-2) on the anniversaries (PP-3),
/// assuming satisfactory years after the last recorded one, and giving each pay year's figures
/// (PAY-2 … PAY-4, TR-4, CEA-2, CEA-3).
pub fn timeline(
    doc: &CareerDocument,
    params: &Parameters,
    until: Option<NaiveDate>,
) -> Result<Career, ProgressionError> {
    let c = &doc.consultant;
    let anchor = doc.anchor();
    let first = params.contract_in_force.entries[0].from;
    if !params.contract_in_force.at(anchor).is_ok_and(|e| e.value) {
        return Err(ProgressionError::NotOnContract {
            date: anchor,
            first,
            transferred: c.transferred.is_some(),
        });
    }
    if let Some(u) = until.filter(|u| *u < anchor) {
        return Err(ProgressionError::UntilBeforeStart {
            until: u,
            start: anchor,
        });
    }
    let mut f = Findings::default();
    let leap = *params.leap_day_anniversary.value(anchor)?;
    let full_time_pas = *params.full_time_pas.value(anchor)?;
    let base = &params.pay_scale.entries[0].value;
    let uplifts = Uplifts::new(params);

    // Where the career starts, and the thresholds ahead: PP-2 for a new consultant, TR-1 and TR-2
    // for an existing one.
    let given_start = doc.pay.as_ref().and_then(|p| p.start);
    let (start, steps, step_rule, mut transition) = match c.transferred {
        Some(t) => {
            let seniority = c.seniority_at_transfer.unwrap_or(0);
            let start =
                transition::starting_point(seniority, params.transfer_starting_points.value(t)?);
            let steps = transition::steps(seniority, params.transfer_intervals.value(t)?).to_vec();
            if let Some(given) = given_start.map(|p| value_2002(p, base)) {
                if given != start {
                    f.error(TR_1, format!("[pay] gives a starting point of £{} but an existing consultant with {seniority} years' seniority moves to £{} on transfer; the timeline uses £{}", Money::round(given), Money::round(start), Money::round(start)));
                }
            }
            let in_period = *params.in_transitional_period.value(t)?;
            transition::check_transfer_date(t, in_period, &mut f);
            let summary = TransitionSummary {
                transferred: t,
                seniority_at_transfer: seniority,
                starting_point_2002_03: Money::round(start),
                steps: steps
                    .iter()
                    .map(|s| StepSummary {
                        years: s.years,
                        value_2002_03: Money::round(s.value),
                    })
                    .collect(),
                within_transitional_period: in_period,
                maximum_part_time: None,
                part_time: None,
            };
            (start, steps, TR_2, Some(summary))
        }
        None => {
            let start = given_start.map_or(base[0], |p| value_2002(p, base));
            let steps = scale_schedule(start, base, params.threshold_intervals.value(anchor)?);
            (start, steps, PP_2, None)
        }
    };
    let top = steps.last().map_or(start, |s| s.value);

    // PP-5 on each offer, once.
    let mut correct = Vec::with_capacity(doc.extra_pa_offers.len());
    for o in &doc.extra_pa_offers {
        // An offer made before the career starts is judged by the rules in force when it starts.
        let notice = params.extra_pa_notice.value(o.offered_on.max(anchor))?;
        let defect = offer_defect(o, notice);
        if let Some(d) = &defect {
            let what = format!(
                "the offer of {} a week made on {} {d}",
                pas(o.pas),
                o.offered_on
            );
            match o.response {
                OfferResponse::Declined => f.warning(
                    PP_5,
                    format!("{what}: declining it does not defer progression"),
                ),
                OfferResponse::Accepted => f.info(PP_5, format!("{what}; it was accepted")),
            }
        }
        note_manner(o, &mut f);
        check_termination(o, notice, &mut f);
        correct.push(defect.is_none());
    }

    // PP-6 and TR-4 (F 9(f)): the extra PAs expected each year.
    let two_pa_years = two_pa_rule_years(c, params);
    let maximum_part_time = doc
        .transition
        .as_ref()
        .filter(|t| t.maximum_part_time)
        .and_then(|t| c.transferred.map(|d| (t, d)));
    let phasing: &[Share] = match maximum_part_time {
        Some((_, t)) => params.maximum_part_time_phasing.value(t)?,
        None => &[],
    };
    let spare = params.spare_capacity_pas.value(anchor)?;
    let has_offers = !doc.extra_pa_offers.is_empty();

    let recorded: &[Year] = match until {
        Some(u) => &doc.years[..doc.years.partition_point(|y| y.ending <= u)],
        None => &doc.years,
    };
    if recorded.len() < doc.years.len() {
        let n = doc.years.len() - recorded.len();
        f.info(
            PP_3,
            format!(
                "{n} recorded year{} after {} not shown",
                if n == 1 { " is" } else { "s are" },
                until.unwrap_or(anchor)
            ),
        );
    }

    let mut events: Vec<Pending> = vec![Pending {
        date: anchor,
        kind: if c.transferred.is_some() {
            EventKind::Transfer
        } else {
            EventKind::Start
        },
        value: start,
        satisfactory: 0,
        deferred: 0,
        required: 0,
        rule: if c.transferred.is_some() { TR_1 } else { PP_3 },
        reason: String::new(),
        discretion: Vec::new(),
        projected: false,
    }];
    let mut years: Vec<YearOutcome> = Vec::with_capacity(recorded.len().max(steps.len() * 2));
    let (mut step, mut counted, mut satisfactory, mut elapsed) = (0usize, 0u32, 0u32, 0u32);
    let mut uncounted: Vec<usize> = Vec::new();
    let mut discretions: Vec<String> = Vec::new();
    // Each recorded year's PAs, the previous year's when not given (the first: full time).
    let resolved_pas: Vec<Decimal> = doc
        .years
        .iter()
        .scan(full_time_pas, |p, y| {
            *p = y.contracted_pas.unwrap_or(*p);
            Some(*p)
        })
        .collect();
    let mut pas_now = full_time_pas;
    let mut value = start;
    for k in 1..=MAX_CAREER_YEARS {
        let Some(ending) = anniversary(anchor, k, leap) else {
            break;
        };
        if until.is_some_and(|u| ending > u) {
            break;
        }
        let rec = recorded.get(k as usize - 1);
        if rec.is_none() && step >= steps.len() {
            break;
        }
        let starting = anniversary(anchor, k - 1, leap).unwrap_or(anchor);
        let mut outcome = match rec {
            Some(y) => {
                pas_now = resolved_pas[k as usize - 1];
                let expected = transition::phased_expectation(
                    expected_pas(k, two_pa_years, spare),
                    phasing.get(k as usize - 1).copied(),
                );
                let note = || expectation_note(k, two_pa_years, c, phasing.get(k as usize - 1));
                judge(
                    k, starting, y, pas_now, has_offers, &correct, expected, &note, doc, &mut f,
                )
            }
            None => YearOutcome {
                number: k,
                starting,
                ending,
                satisfactory: true,
                counted: true,
                failed: Vec::new(),
                not_recorded: Vec::new(),
                reason: String::new(),
                offered_spare_capacity: SpareCapacityDecision {
                    value: true,
                    decided_by: "default",
                },
                employer_discretion: String::new(),
                appeal: None,
                contracted_pas: pas_now,
                satisfactory_years_counted: 0,
                projected: true,
            },
        };
        if step < steps.len() {
            elapsed += 1;
            if outcome.counted {
                counted += 1;
                if outcome.satisfactory || rec.is_some_and(appeal_upheld) {
                    satisfactory += 1;
                } else if let Some(why) = rec.and_then(discretion) {
                    discretions.push(format!("year ending {ending}: {why}"));
                }
            } else {
                uncounted.push(years.len());
            }
            let need = steps[step].years;
            let deferred = elapsed - counted;
            if counted >= need {
                value = steps[step].value;
                let reason = if deferred > 0 {
                    format!(
                        "{} late: {}",
                        plural(deferred, "year"),
                        not_counted(&years, &uncounted, &outcome)
                    )
                } else {
                    String::new()
                };
                events.push(Pending {
                    date: ending,
                    kind: EventKind::Threshold,
                    value,
                    satisfactory,
                    deferred,
                    required: need,
                    rule: step_rule,
                    reason,
                    discretion: std::mem::take(&mut discretions),
                    projected: rec.is_none(),
                });
                step += 1;
                (counted, satisfactory, elapsed) = (0, 0, 0);
                uncounted.clear();
            } else if elapsed >= need {
                let since = last_step_date(&events, anchor);
                events.push(Pending {
                    date: ending,
                    kind: EventKind::Deferred,
                    value,
                    satisfactory,
                    deferred,
                    required: need,
                    rule: PP_2,
                    reason: format!(
                        "{counted} of {need} satisfactory year{} since {}: {}",
                        if need == 1 { "" } else { "s" },
                        since,
                        not_counted(&years, &uncounted, &outcome)
                    ),
                    discretion: Vec::new(),
                    projected: rec.is_none(),
                });
            }
        }
        outcome.satisfactory_years_counted = counted;
        years.push(outcome);
    }
    let last_recorded = recorded.last().map(|y| y.ending);
    // Without --until: to the top of the scale, the last recorded year or the last award; never
    // beyond the engine's horizon.
    let end = until.unwrap_or_else(|| {
        let last_award = doc.awards.iter().map(|a| a.awarded_on).max();
        years
            .last()
            .map_or(anchor, |y| y.ending)
            .max(last_award.unwrap_or(anchor))
    });
    let horizon = anniversary(anchor, MAX_CAREER_YEARS, leap).unwrap_or(anchor);
    let end = if end > horizon {
        f.info(
            PP_3,
            format!(
                "the timeline stops on {horizon}, {MAX_CAREER_YEARS} years after the career starts"
            ),
        );
        horizon
    } else {
        end
    };

    // Salaries of the events (PAY-2), noting once a scale carried forward.
    let mut carried: Option<(String, String)> = None;
    let mut note_carried = |year_start: NaiveDate, label: &str| {
        if carried.is_none() {
            let (_, last) = uplifts.scale(year_start);
            if pay::pay_year(last).0 < year_start {
                carried = Some((label.to_string(), pay::pay_year(last).1));
            }
        }
    };
    let events: Vec<Event> = events
        .into_iter()
        .map(|e| {
            let (ys, label) = pay::pay_year(e.date);
            note_carried(ys, &label);
            Event {
                date: e.date,
                kind: e.kind,
                point_value_2002_03: Money::round(e.value),
                salary: Money::round(uplifts.full_time(e.value, ys)),
                satisfactory_years_counted: e.satisfactory,
                deferred_years: e.deferred,
                years_required: e.required,
                pay_year: label,
                rule: e.rule.id,
                reason: e.reason,
                discretion: e.discretion,
                projected: e.projected,
            }
        })
        .collect();

    // Awards over time (CEA-2, CEA-3, CEA-4).
    let awards = cea::over_time(&doc.awards, c.nation, params, &mut f)?;
    for a in awards.iter().filter(|a| a.status == "paid") {
        if let Some(y) = recorded.iter().rev().find(|y| y.ending <= a.awarded_on) {
            if y.took_part_in_appraisal_and_job_planning == Some(false) {
                cea::check_appraisal(a, y.ending, &mut f);
            }
        }
    }

    // A recruitment or retention premium (PAY-4): checked once, on its start.
    let premium = doc
        .pay
        .as_ref()
        .and_then(|p| p.recruitment_retention_premium.as_ref());
    if let Some(p) = premium {
        let on = p.start.max(anchor);
        let limits = params.premium_limits.value(on)?;
        let (ys, _) = pay::pay_year(on);
        pay::premium(
            p,
            on,
            uplifts.scale(ys).0[0],
            limits.max_percent_of_starting_salary,
            limits.max_years,
            &mut f,
        );
    }

    // TR-3 and TR-4.
    if let (Some(summary), Some(t)) = (transition.as_mut(), doc.transition.as_ref()) {
        if t.notional_hours.is_some() || t.notional_half_days.is_some() {
            let chosen = doc
                .years
                .first()
                .and_then(|y| y.contracted_pas)
                .unwrap_or(full_time_pas);
            summary.part_time = Some(transition::part_time_choice(
                t.notional_hours,
                t.notional_half_days,
                t.commensurate_increase_shown,
                chosen,
                *params.pa_hours.value(summary.transferred)?,
                *params.part_time_pa_step.value(summary.transferred)?,
                &mut f,
            ));
        }
    }
    let current_pay = maximum_part_time.and_then(|(t, d)| {
        t.current_pay.map(|p| {
            let since = t
                .current_pay_year
                .map_or_else(|| pay::pay_year(d).0, |y| y.start());
            (p, since)
        })
    });
    if let (Some(summary), Some((current, since)), Some((_, t))) =
        (transition.as_mut(), current_pay, maximum_part_time)
    {
        let mut phases = Vec::with_capacity(phasing.len() + 1);
        for j in 0..=phasing.len() as u32 {
            let Some(from) = anniversary(t, j, leap) else {
                break;
            };
            let share = phasing.get(j as usize).copied();
            let (ys, _) = pay::pay_year(from);
            let cur = uplifts.uplift(current, since, ys);
            let target = uplifts.full_time(value_at(&events, from, start), ys);
            phases.push(Phase {
                year: j + 1,
                from,
                to: share.and_then(|_| anniversary(t, j + 1, leap)),
                share: share.map_or_else(|| "1".to_string(), |s| s.to_string()),
                current_pay: Money::round(cur),
                target_pay: Money::round(target),
                amount: Money::round(transition::phased_pay(cur, target, share)),
            });
            if cur > target {
                f.info(TR_4, format!("current pay (£{}) is above target pay (£{}) on {from}: the phased pay of F 9(e) is below current pay", Money::round(cur), Money::round(target)));
            }
        }
        summary.maximum_part_time = Some(MaximumPartTime {
            current_pay: Money::round(current),
            current_pay_year: pay::pay_year(since).1,
            phases,
        });
    }

    let existing = doc.pay.as_ref().and_then(|p| p.existing_award.as_ref());

    // Each pay year.
    let mut rows = Vec::new();
    let (mut ys, _) = pay::pay_year(anchor);
    let (last_ys, _) = pay::pay_year(end);
    let mut scratch = Findings::default();
    let (mut yi, mut di) = (0, 0);
    while ys <= last_ys {
        let as_at = ys.max(anchor);
        let label = pay::pay_year(ys).1;
        note_carried(ys, &label);
        let held = value_at(&events, as_at, start);
        let ft = uplifts.full_time(held, ys);
        // The years running on `as_at` (`as_at` only grows, so the cursors only move on).
        while yi < years.len() && years[yi].ending <= as_at {
            yi += 1;
        }
        while di < doc.years.len() && doc.years[di].ending <= as_at {
            di += 1;
        }
        // PAs on `as_at`: the recorded year running then, even past --until, else the latest.
        let pas_then = match resolved_pas.get(di) {
            Some(p) => *p,
            None => years.get(yi).map_or(pas_now, |y| y.contracted_pas),
        };
        let phase = current_pay.and_then(|(cur, since)| {
            let t = maximum_part_time?.1;
            let j = (0..=phasing.len() as u32)
                .take_while(|j| anniversary(t, *j, leap).is_some_and(|d| d <= as_at))
                .count();
            let share = *phasing.get(j.checked_sub(1)?)?;
            Some((uplifts.uplift(cur, since, ys), share))
        });
        let (basic, share) = match phase {
            Some((cur, share)) => (transition::phased_pay(cur, ft, Some(share)), Some(share)),
            None if pas_then >= full_time_pas => (ft, None),
            None => (
                pay::basic_and_extra(ft, pas_then, Decimal::ZERO, full_time_pas).0,
                None,
            ),
        };
        let award = cea::in_payment(&awards, as_at);
        let award_value = match award {
            Some(a) => cea::pro_rata(
                params.cea_levels.value(as_at)?[usize::from(a.level) - 1],
                pas_then,
                full_time_pas,
            ),
            None => Decimal::ZERO,
        };
        // An existing award beside the award in payment, and award values not updated (CEA-3,
        // E 4.3-4.4): each finding once.
        let paid = cea::with_existing(
            award.map_or(0, |a| a.level),
            award_value,
            existing,
            pas_then,
            full_time_pas,
            &mut scratch,
        );
        cea::check_values_updated(
            award.map_or(0, |a| a.level),
            params.cea_levels.at(as_at)?.from,
            ys,
            &mut scratch,
        );
        for x in scratch.0.drain(..) {
            if !f.0.iter().any(|y| y.message == x.message) {
                f.0.push(x);
            }
        }
        let award_value = paid.clinical_excellence_award;
        let rrp = match premium {
            Some(p) => {
                let limits = params.premium_limits.value(as_at)?;
                let v = pay::premium(
                    p,
                    as_at,
                    uplifts.scale(ys).0[0],
                    limits.max_percent_of_starting_salary,
                    limits.max_years,
                    &mut scratch,
                );
                scratch.0.clear();
                v
            }
            None => Decimal::ZERO,
        };
        let next = events
            .iter()
            .find(|e| e.kind == EventKind::Threshold && e.date > as_at)
            .map(|e| NextThreshold {
                date: e.date,
                value_2002_03: e.point_value_2002_03,
                projected: e.projected,
            });
        let counted_then = yi
            .checked_sub(1)
            .map_or(0, |i| years[i].satisfactory_years_counted);
        let projected = as_at > last_recorded.unwrap_or(anchor)
            && (next.is_some() || held_by_projection(&events, as_at));
        let (basic, award_value, existing_value, rrp) = (
            Money::round(basic),
            Money::round(award_value),
            Money::round(paid.existing_award),
            Money::round(rrp),
        );
        rows.push(PayYearRow {
            pay_year: label,
            as_at,
            point_value_2002_03: Money::round(held),
            full_time_salary: Money::round(ft),
            contracted_pas: pas_then,
            basic_salary: basic,
            transitional_share: share.map(|s| s.to_string()),
            cea_level: award.map_or(0, |a| a.level),
            clinical_excellence_award: award_value,
            existing_award: existing_value,
            recruitment_retention_premium: rrp,
            total: basic + award_value + existing_value + rrp,
            satisfactory_years_counted: counted_then,
            next_threshold: next,
            projected,
        });
        let Some(next_ys) = ys.checked_add_months(Months::new(12)) else {
            break;
        };
        ys = next_ys;
    }
    if let Some((from, last)) = carried {
        f.info(pay::PAY_2, format!("no general award is known for {from} or later: the {last} scale is used from then on; add later awards to the parameters (pay/general_award.toml) when they are published"));
    }

    let top_event = events
        .iter()
        .rev()
        .find(|e| e.kind == EventKind::Threshold && e.point_value_2002_03 == Money::round(top));
    let projection = Projection {
        last_recorded_year_ending: last_recorded,
        top_value_2002_03: Money::round(top),
        top_reached_on: if steps.is_empty() {
            Some(anchor)
        } else {
            top_event.map(|e| e.date)
        },
        top_reached_by_projection: top_event.is_some_and(|e| e.projected),
    };
    let mut findings = f.0;
    findings.sort_by_key(|x| x.severity);
    Ok(Career {
        consultant_id: c.id.clone(),
        name: c.name.clone(),
        starts: Start {
            basis: if c.transferred.is_some() {
                "transfer"
            } else {
                "first_appointment"
            },
            date: anchor,
        },
        until,
        events,
        years,
        pay_years: rows,
        awards,
        transition,
        projection,
        findings,
    })
}

/// The date of the last threshold, or of the start.
fn last_step_date(events: &[Pending], anchor: NaiveDate) -> NaiveDate {
    events
        .iter()
        .rev()
        .find(|e| e.kind != EventKind::Deferred)
        .map_or(anchor, |e| e.date)
}

/// Whether the point held on `date` was reached by a projected threshold.
fn held_by_projection(events: &[Event], date: NaiveDate) -> bool {
    events
        .iter()
        .rev()
        .find(|e| e.kind != EventKind::Deferred && e.date <= date)
        .is_some_and(|e| e.projected)
}

/// The 2002/03 value held on `date`.
fn value_at(events: &[Event], date: NaiveDate, start: Decimal) -> Decimal {
    events
        .iter()
        .rev()
        .find(|e| e.kind != EventKind::Deferred && e.date <= date)
        .map_or(start, |e| e.point_value_2002_03.pounds())
}

fn plural(n: u32, what: &str) -> String {
    format!("{n} {what}{}", if n == 1 { "" } else { "s" })
}

/// "year ending 2006-09-01 (reason); …" for the years not counted.
fn not_counted(years: &[YearOutcome], idx: &[usize], this: &YearOutcome) -> String {
    idx.iter()
        .map(|&i| years.get(i).unwrap_or(this))
        .map(|y| format!("year ending {} not satisfactory ({})", y.ending, y.reason))
        .collect::<Vec<_>>()
        .join("; ")
}

/// Why the extra PAs returned by [`expected_pas`] are expected of `c` in year `k` of their career
/// (`phase`: TR-4's share of them after a maximum part-time contract, if any), in words.
pub fn expectation_note(
    k: u32,
    two_pa_years: u32,
    c: &Consultant,
    phase: Option<&Share>,
) -> String {
    let mut s = if c.transferred.is_some() {
        "the 2-PA rule never applies to a consultant who transferred, PP-6".to_string()
    } else if two_pa_years == 0 {
        format!(
            "the 2-PA rule does not apply to a post offered on {}, PP-6",
            c.post_offered
        )
    } else if k <= two_pa_years {
        format!(
            "year {k}: the 2-PA rule applies for the first {} of a post offered on {}, PP-6",
            plural(two_pa_years, "year"),
            c.post_offered
        )
    } else {
        format!(
            "year {k}: the 2-PA rule applied only for the first {} of a post offered on {}, PP-6",
            plural(two_pa_years, "year"),
            c.post_offered
        )
    };
    if let Some(p) = phase {
        s.push_str(&format!(
            "; {p} of it in year {k} after leaving a maximum part-time contract, TR-4"
        ));
    }
    s
}

/// Judges one recorded year: PP-4 decides spare capacity unless the document does, PP-1 the
/// criteria, PP-2's discretion and PP-3's appeal whether it counts anyway.
#[allow(clippy::too_many_arguments)]
fn judge(
    k: u32,
    starting: NaiveDate,
    y: &Year,
    pas_now: Decimal,
    has_offers: bool,
    correct: &[bool],
    expected: Decimal,
    note: &dyn Fn() -> String,
    doc: &CareerDocument,
    f: &mut Findings,
) -> YearOutcome {
    let ending = y.ending;
    let verdict = if has_offers || !y.outside_remunerated_work.is_none() {
        let outside = non_exempt_work(
            &y.outside_remunerated_work,
            doc.outside_work.as_ref(),
            ending,
            f,
        );
        Some(spare_capacity(
            starting,
            ending,
            &doc.extra_pa_offers,
            correct,
            expected,
            outside.as_deref(),
            note,
            f,
        ))
    } else {
        None
    };
    let (offered, decided_by) = match (y.offered_spare_capacity, &verdict) {
        (Some(v), Some(from_offers)) => {
            if v != from_offers.offered {
                f.info(PP_4, format!("the document's offered_spare_capacity = {v} for the year ending {ending} overrides PP-4's verdict from the offers and outside work ({})", from_offers.offered));
            }
            (v, "document")
        }
        (Some(v), None) => (v, "document"),
        (None, Some(from_offers)) => (from_offers.offered, "extra_pa_offers"),
        (None, None) => (true, "default"),
    };
    let private_practice = private_practice_standards(y, doc.consultant.private_practice);
    let failed = failed_criteria(y, offered, private_practice);
    let not_recorded = unrecorded_criteria(y, offered, private_practice);
    let satisfactory = failed.is_empty() && not_recorded.is_empty();
    if !not_recorded.is_empty() {
        f.warning(PP_1, format!("the year ending {ending} does not record {}: it is not satisfactory, and does not count towards a threshold, until {} recorded (progression is not automatic)", not_recorded.join(", "), if not_recorded.len() == 1 { "it is" } else { "they are" }));
    }
    let mut reason = failed
        .iter()
        .map(|name| match (*name, &verdict) {
            ("offered_spare_capacity", Some(v)) if !v.offered && decided_by != "document" => {
                v.reason.clone()
            }
            (name, _) => CRITERIA
                .iter()
                .find(|(n, _)| *n == name)
                .map_or(String::new(), |(_, t)| t.to_string()),
        })
        .collect::<Vec<_>>()
        .join("; ");
    if !not_recorded.is_empty() {
        if !reason.is_empty() {
            reason.push_str("; ");
        }
        reason.push_str("not recorded: ");
        reason.push_str(&not_recorded.join(", "));
    }
    let by_discretion = discretion(y).is_some();
    let upheld = appeal_upheld(y);
    if satisfactory && by_discretion {
        f.info(PP_2_DISCRETION, format!("employer's discretion is recorded for the year ending {ending}, which was satisfactory: it is not needed"));
    }
    if let Some(a) = &y.appeal {
        if satisfactory {
            f.info(PP_3_APPEAL, format!("an appeal is recorded for the year ending {ending}, which was satisfactory: there was no refusal to appeal"));
        } else {
            match a.outcome {
                AppealOutcome::Upheld => f.info(PP_3_APPEAL, format!("the appeal lodged on {} against the refusal for the year ending {ending} was upheld on {}: the year counts", a.lodged, a.decided.map_or_else(String::new, |d| d.to_string()))),
                AppealOutcome::Pending => f.info(PP_3_APPEAL, format!("the appeal lodged on {} against the refusal for the year ending {ending} is pending: the refusal stands until it is decided", a.lodged)),
                AppealOutcome::Dismissed => {}
            }
        }
    }
    YearOutcome {
        number: k,
        starting,
        ending,
        satisfactory,
        counted: satisfactory || by_discretion || upheld,
        failed,
        not_recorded,
        reason,
        offered_spare_capacity: SpareCapacityDecision {
            value: offered,
            decided_by,
        },
        employer_discretion: y.employer_discretion.clone(),
        appeal: y.appeal.as_ref().map(|a| AppealRecord {
            outcome: a.outcome.as_str(),
            lodged: a.lodged,
            decided: a.decided,
        }),
        contracted_pas: pas_now,
        satisfactory_years_counted: 0,
        projected: false,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::plan::PayPoint;

    fn d(y: i32, m: u32, day: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, day).unwrap()
    }

    /// Source: C 4.6, and this project's reading for 29 February (docs/readings.md).
    #[test]
    fn a_leap_day_anniversary_falls_on_the_parameter_s_day() {
        let a = d(2004, 2, 29);
        let march = LeapDayAnniversary::March1;
        let feb = LeapDayAnniversary::February28;
        assert_eq!(anniversary(a, 1, march), Some(d(2005, 3, 1)));
        assert_eq!(anniversary(a, 1, feb), Some(d(2005, 2, 28)));
        assert_eq!(anniversary(a, 4, march), Some(d(2008, 2, 29)));
        assert_eq!(anniversary(a, 4, feb), Some(d(2008, 2, 29)));
        assert_eq!(anniversary_number(a, d(2005, 3, 1), march), Some(1));
        assert_eq!(anniversary_number(a, d(2005, 3, 1), feb), None);
        assert_eq!(anniversary_number(a, d(2005, 2, 28), feb), Some(1));
        assert_eq!(anniversary_number(a, d(2003, 2, 28), march), None);
        assert_eq!(anniversary(NaiveDate::MAX, 1, march), None);
    }

    /// Source: PAY-2: the timeline's year-by-year scales are those of `pay::scale`, with the
    /// embedded parameters and with a later award and a later published scale added.
    #[test]
    fn year_by_year_uplifts_agree_with_pay_scale() {
        let later = Parameters::with_overrides(&[
            ("pay/general_award.toml".into(), "description = \"d\"\nunit = \"percent\"\nkind = \"events\"\n[[values]]\nfrom = \"2006-04-01\"\nvalue = \"2.5\"\ncite = \"x\"\n[[values]]\nfrom = \"2008-04-01\"\nvalue = \"1.5\"\ncite = \"x\"\n[[values]]\nfrom = \"2009-07-01\"\nvalue = \"1\"\ncite = \"x\"\n".into()),
            ("pay/scale.toml".into(), "description = \"d\"\nunit = \"GBP\"\n[[values]]\nfrom = \"2008-04-01\"\nvalue = [\"74000\", \"76000\", \"78000\", \"80000\", \"82000\", \"88000\", \"94000\", \"100000\"]\ncite = \"x\"\n".into()),
        ])
        .unwrap();
        for params in [Parameters::embedded(), &later] {
            let u = Uplifts::new(params);
            for y in 2002..2040 {
                let ys = d(y, 4, 1);
                let s = pay::scale(params, ys).unwrap();
                assert_eq!(u.scale(ys).0, s.points.as_slice(), "{y}");
                let (_, last) = u.scale(ys);
                assert_eq!(pay::pay_year(last).0 < ys, s.carried_forward, "{y}");
                for v in [63500, 64000, 64500, 66000, 70000, 71000, 85250] {
                    let v = Decimal::from(v);
                    let mut f = Findings::default();
                    let want =
                        pay::full_time_salary(params, PayPoint::Value2002(v), ys, "x", &mut f)
                            .unwrap();
                    assert_eq!(u.full_time(v, ys), want, "{v} in {y}");
                }
            }
        }
    }

    /// Source: PP-5 (F 6(c)): notice is counted in calendar months, then days.
    #[test]
    fn notice_is_described_in_months_and_days() {
        assert_eq!(
            notice_given(d(2005, 5, 2), d(2005, 7, 4)),
            "2 months and 2 days"
        );
        // A month from the 31st ends on the last day of a shorter month (docs/readings.md).
        assert_eq!(notice_given(d(2005, 1, 31), d(2005, 4, 30)), "3 months");
        assert_eq!(
            notice_given(d(2005, 1, 31), d(2005, 4, 29)),
            "2 months and 29 days"
        );
        assert_eq!(notice_given(d(2005, 10, 31), d(2006, 1, 31)), "3 months");
        assert_eq!(notice_given(d(2005, 10, 1), d(2005, 10, 2)), "1 day");
    }

    /// Source: F 3(b), C 4.3: from the start of the scale, seven thresholds 1, 1, 1, 1, 5, 5, 5
    /// years apart; from a point between two, the next one up.
    #[test]
    fn the_scale_schedule_starts_above_the_starting_point() {
        let p = Parameters::embedded();
        let base = &p.pay_scale.entries[0].value;
        let iv = p.threshold_intervals.value(d(2004, 1, 1)).unwrap();
        let years: Vec<u32> = scale_schedule(base[0], base, iv)
            .iter()
            .map(|s| s.years)
            .collect();
        assert_eq!(years, [1, 1, 1, 1, 5, 5, 5]);
        let from_64k = scale_schedule(Decimal::from(64000), base, iv);
        assert_eq!(from_64k[0].value, Decimal::from(65000));
        assert_eq!(from_64k.len(), 7);
        assert!(scale_schedule(base[7], base, iv).is_empty());
    }
}
