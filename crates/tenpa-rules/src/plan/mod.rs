//! The job plan document: the one place where raw input becomes domain values.
//!
//! The structure is documented field by field in `docs/documents.md`; its names are stable.
//! Every check that can be made on one table is made here, so a value that reaches the rules is
//! already known to be well formed. Cross-table consistency (weeks outside the cycle) is a
//! finding, not an input error.

mod career;
mod locate;
mod parse;
mod values;

pub use career::{
    parse_career, Appeal, AppealOutcome, Award, AwardScope, CareerDocument, CareerPay,
    ExtraPaOffer, OfferBasis, OfferResponse, OutsideWork, OutsideWorkPolicy, PayYear, Transition,
    Year,
};
pub use parse::{parse_document, DocumentError, Format, MAX_ACTIVITIES};
pub use values::{ClockTime, Day, NonNegative};

/// The 1-based line and column of the value at `path` (such as `consultant.id`) in a document's
/// text, for errors found after the document was read; `None` when the text does not hold it.
pub fn field_position(text: &str, format: Format, path: &str) -> Option<(usize, usize)> {
    locate::offset(text, format, path).map(|o| crate::source::line_col(text, o))
}

use chrono::NaiveDate;
use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};

/// A consultant's job plan, as written in a TOML or JSON document.
#[derive(Debug, Clone, PartialEq, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct JobPlanDocument {
    /// Who the plan is for.
    pub consultant: Consultant,
    /// The plan's terms.
    pub job_plan: JobPlan,
    /// The pay point and awards.
    pub pay: Pay,
    /// The timetable.
    #[serde(default, rename = "activity")]
    pub activities: Vec<Activity>,
    /// The on-call rota; absent when not on a rota.
    #[serde(default)]
    pub on_call: Option<OnCall>,
    /// Travel (WW-7).
    #[serde(default)]
    pub travel: Vec<Travel>,
    /// Figures from the previous job plan review (OOH-5, OC-7).
    #[serde(default)]
    pub previous_review: Option<PreviousReview>,
    /// The consultant's employers when there is more than one (JP-5); empty: one employer.
    #[serde(default, rename = "employer", skip_serializing_if = "Vec::is_empty")]
    pub employers: Vec<Employer>,
    /// Regular private and fee-paying commitments (PRV-3 to PRV-5).
    #[serde(
        default,
        rename = "private_session",
        skip_serializing_if = "Vec::is_empty"
    )]
    pub private_sessions: Vec<PrivateSession>,
    /// Time out of the working week agreed with the employer: annual, study or professional leave
    /// (WW-8, B 5.15).
    #[serde(default, rename = "leave", skip_serializing_if = "Vec::is_empty")]
    pub leave: Vec<Leave>,
}

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

impl JobPlanDocument {
    /// The designated lead employer, if one is marked (JP-5).
    pub fn lead_employer(&self) -> Option<&Employer> {
        self.employers.iter().find(|e| e.lead)
    }

    /// The employer of work that names none: the lead, or else the only NHS employer listed.
    pub fn default_employer(&self) -> Option<&Employer> {
        self.lead_employer().or_else(|| {
            let mut nhs = self
                .employers
                .iter()
                .filter(|e| e.kind == EmployerKind::Nhs);
            match (nhs.next(), nhs.next()) {
                (Some(e), None) => Some(e),
                _ => None,
            }
        })
    }

    /// The employer of an activity: the one it names, or the default employer.
    pub fn employer_of(&self, a: &Activity) -> Option<&Employer> {
        match &a.employer {
            Some(id) => self.employers.iter().find(|e| &e.id == id),
            None => self.default_employer(),
        }
    }

    /// The employer of the on-call rota: the one `[on_call]` names, or the default employer.
    pub fn on_call_employer(&self) -> Option<&Employer> {
        match self.on_call.as_ref().and_then(|o| o.employer.as_ref()) {
            Some(id) => self.employers.iter().find(|e| &e.id == id),
            None => self.default_employer(),
        }
    }
}

/// What kind of organisation an employer is (JP-5).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, Serialize, Default)]
#[serde(rename_all = "snake_case")]
pub enum EmployerKind {
    /// An NHS organisation: a trust, health board or primary care trust.
    #[default]
    Nhs,
    /// A university holding a clinical academic's substantive contract (A 12.1).
    University,
}

impl EmployerKind {
    /// The name as written in documents.
    pub fn as_str(self) -> &'static str {
        match self {
            EmployerKind::Nhs => "nhs",
            EmployerKind::University => "university",
        }
    }
}

/// One of the organisations the consultant works for (JP-5, F 1(f), A 11.1, A 12.1).
#[derive(Debug, Clone, PartialEq, Deserialize, Serialize)]
#[serde(deny_unknown_fields, try_from = "RawEmployer")]
pub struct Employer {
    /// Identifier that activities name in their `employer`.
    pub id: String,
    /// Name; defaults to the id.
    pub name: String,
    /// NHS organisation or university.
    pub kind: EmployerKind,
    /// The designated lead employer (at most one, an NHS employer).
    pub lead: bool,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawEmployer {
    id: String,
    #[serde(default)]
    name: String,
    #[serde(default)]
    kind: EmployerKind,
    #[serde(default)]
    lead: bool,
}

impl TryFrom<RawEmployer> for Employer {
    type Error = String;
    fn try_from(r: RawEmployer) -> Result<Self, String> {
        let id = r.id.trim();
        if id.is_empty() {
            return Err("`id`: found an empty text, expected an identifier such as \"north-trust\" that activities name in `employer`".into());
        }
        if r.lead && r.kind == EmployerKind::University {
            return Err(format!("`lead`: found true for the university \"{id}\", expected the lead to be one of the NHS employers (F 1(f), A 11.1); a clinical academic's NHS commitments are agreed with the university (A 12.1) but led by an NHS employer"));
        }
        let name = if r.name.trim().is_empty() {
            id.to_string()
        } else {
            r.name.trim().to_string()
        };
        Ok(Employer {
            id: id.to_string(),
            name,
            kind: r.kind,
            lead: r.lead,
        })
    }
}

/// Nations of the UK.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, Serialize, Default)]
#[serde(rename_all = "snake_case")]
#[allow(missing_docs)]
pub enum Nation {
    #[default]
    England,
    Wales,
    Scotland,
    NorthernIreland,
}

impl Nation {
    /// The name as written in documents.
    pub fn as_str(self) -> &'static str {
        match self {
            Nation::England => "england",
            Nation::Wales => "wales",
            Nation::Scotland => "scotland",
            Nation::NorthernIreland => "northern_ireland",
        }
    }
}

/// The consultant.
#[derive(Debug, Clone, PartialEq, Deserialize, Serialize)]
#[serde(deny_unknown_fields, try_from = "RawConsultant")]
pub struct Consultant {
    /// Identifier, any non-empty text.
    pub id: String,
    /// Name.
    pub name: String,
    /// First consultant appointment.
    pub first_appointed: NaiveDate,
    /// When the post was offered (PP-6); defaults to `first_appointed`.
    pub post_offered: NaiveDate,
    /// Date of transfer to this contract, for existing consultants.
    pub transferred: Option<NaiveDate>,
    /// Years on the old scale at transfer (TR-1).
    pub seniority_at_transfer: Option<u32>,
    /// Nation of the employer.
    pub nation: Nation,
    /// Whether the consultant does private practice.
    pub private_practice: bool,
    /// Whether the consultant has signed a written 48-hour opt-out.
    pub opt_out_48h: bool,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawConsultant {
    id: String,
    #[serde(default)]
    name: String,
    first_appointed: NaiveDate,
    #[serde(default)]
    post_offered: Option<NaiveDate>,
    #[serde(default)]
    transferred: Option<NaiveDate>,
    #[serde(default)]
    seniority_at_transfer: Option<u32>,
    #[serde(default)]
    nation: Nation,
    #[serde(default)]
    private_practice: bool,
    #[serde(default)]
    opt_out_48h: bool,
}

impl TryFrom<RawConsultant> for Consultant {
    type Error = String;
    fn try_from(r: RawConsultant) -> Result<Self, String> {
        if r.id.trim().is_empty() {
            return Err(
                "`id`: found an empty text, expected an identifier such as \"c-001\"".into(),
            );
        }
        if r.seniority_at_transfer.is_some() && r.transferred.is_none() {
            return Err("`seniority_at_transfer`: given without `transferred`; seniority applies only to an existing consultant who transferred, so give the transfer date or remove it".into());
        }
        if let Some(s) = r.seniority_at_transfer {
            if s > 60 {
                return Err(format!(
                    "`seniority_at_transfer`: found {s}, expected years on the old scale, 0 to 60"
                ));
            }
        }
        Ok(Consultant {
            id: r.id,
            name: r.name,
            first_appointed: r.first_appointed,
            post_offered: r.post_offered.unwrap_or(r.first_appointed),
            transferred: r.transferred,
            seniority_at_transfer: r.seniority_at_transfer,
            nation: r.nation,
            private_practice: r.private_practice,
            opt_out_48h: r.opt_out_48h,
        })
    }
}

/// The two forms of out-of-hours recognition (OOH-2).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, Serialize, Default)]
#[serde(rename_all = "snake_case")]
pub enum Recognition {
    /// Reduced timetabled hours, emergency work at 3 hours = 1 PA.
    #[default]
    Time,
    /// A premium of 3.3%, 6.6% or 10% of basic salary.
    Premium,
}

/// The job plan's terms.
#[derive(Debug, Clone, PartialEq, Deserialize, Serialize)]
#[serde(deny_unknown_fields, try_from = "RawJobPlan")]
pub struct JobPlan {
    /// The first day the plan applies.
    pub effective_from: NaiveDate,
    /// Core weekly PAs, above 0 and at most 10.
    pub contracted_pas: Decimal,
    /// Weeks in the timetable's cycle, 1 to 52.
    pub cycle_weeks: u8,
    /// Form of out-of-hours recognition.
    pub out_of_hours_recognition: Recognition,
    /// Whether the consultant agreed to the premium form (OOH-3).
    pub premium_mutually_agreed: bool,
    /// Documented local variation of the typical minimums (WW-4, B 5.5).
    pub local_variation: String,
    /// The employer's exceptional agreement to more than the part-time limit (PRV-1).
    pub private_practice_exception: String,
    /// Study and professional leave with pay in the current 3-year period (WW-8).
    pub study_leave_days_in_3_years: Option<Decimal>,
    /// Another arrangement agreed across employers instead of a lead employer (JP-5, A 11.1).
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub employer_arrangement: String,
    /// When the consultant was appointed to the post this plan is for (PRV-1, F 6(f)); `None`
    /// when not recorded.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub appointed_to_post: Option<NaiveDate>,
    /// The consultant's accountability arrangements, professional and managerial (JP-2, A 6.1).
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub accountable_to: String,
    /// The facilities, training, development and support the employer provides (JP-2, A 8.2).
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub supporting_resources: String,
    /// The service to be provided for which the consultant is accountable (JP-2, A 4.1).
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub service_provided: String,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawJobPlan {
    effective_from: NaiveDate,
    contracted_pas: NonNegative,
    #[serde(default = "one")]
    cycle_weeks: i64,
    #[serde(default)]
    out_of_hours_recognition: Recognition,
    #[serde(default)]
    premium_mutually_agreed: bool,
    #[serde(default)]
    local_variation: String,
    #[serde(default)]
    private_practice_exception: String,
    #[serde(default)]
    study_leave_days_in_3_years: Option<NonNegative>,
    #[serde(default)]
    employer_arrangement: String,
    #[serde(default)]
    appointed_to_post: Option<NaiveDate>,
    #[serde(default)]
    accountable_to: String,
    #[serde(default)]
    supporting_resources: String,
    #[serde(default)]
    service_provided: String,
}

fn one() -> i64 {
    1
}

impl TryFrom<RawJobPlan> for JobPlan {
    type Error = String;
    fn try_from(r: RawJobPlan) -> Result<Self, String> {
        let pas = r.contracted_pas.0;
        if pas.is_zero() || pas > Decimal::TEN {
            return Err(format!(
                "`contracted_pas`: found {pas}, expected core weekly PAs above 0 and at most 10 (F 2(b)); additional PAs are activities with extra = true"
            ));
        }
        if !(1..=52).contains(&r.cycle_weeks) {
            return Err(format!(
                "`cycle_weeks`: found {}, expected a whole number of weeks from 1 to 52",
                r.cycle_weeks
            ));
        }
        Ok(JobPlan {
            effective_from: r.effective_from,
            contracted_pas: pas,
            cycle_weeks: r.cycle_weeks as u8,
            out_of_hours_recognition: r.out_of_hours_recognition,
            premium_mutually_agreed: r.premium_mutually_agreed,
            local_variation: r.local_variation,
            private_practice_exception: r.private_practice_exception,
            study_leave_days_in_3_years: r.study_leave_days_in_3_years.map(|n| n.0),
            employer_arrangement: r.employer_arrangement,
            appointed_to_post: r.appointed_to_post,
            accountable_to: r.accountable_to.trim().to_string(),
            supporting_resources: r.supporting_resources.trim().to_string(),
            service_provided: r.service_provided.trim().to_string(),
        })
    }
}

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

/// Categories of programmed activity (WW-2).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, Serialize, PartialOrd, Ord, Hash)]
#[serde(rename_all = "snake_case")]
pub enum Category {
    /// Direct clinical care.
    Dcc,
    /// Supporting professional activities.
    Spa,
    /// Additional NHS responsibilities.
    AdditionalResponsibility,
    /// Other external duties.
    ExternalDuty,
}

impl Category {
    /// All categories in report order.
    pub const ALL: [Category; 4] = [
        Category::Dcc,
        Category::Spa,
        Category::AdditionalResponsibility,
        Category::ExternalDuty,
    ];

    /// The name as written in documents.
    pub fn as_str(self) -> &'static str {
        match self {
            Category::Dcc => "dcc",
            Category::Spa => "spa",
            Category::AdditionalResponsibility => "additional_responsibility",
            Category::ExternalDuty => "external_duty",
        }
    }
}

/// One timetabled activity.
#[derive(Debug, Clone, PartialEq, Deserialize, Serialize)]
#[serde(deny_unknown_fields, try_from = "RawActivity")]
pub struct Activity {
    /// Day it starts.
    pub day: Day,
    /// Start time.
    pub start: ClockTime,
    /// End time; before `start` when it ends the next day.
    pub end: ClockTime,
    /// Category.
    pub category: Category,
    /// An additional PA contracted separately (F 6).
    pub extra: bool,
    /// Weeks of the cycle, 1-based; empty = every week.
    pub weeks: Vec<u8>,
    /// What it is.
    pub title: String,
    /// Where.
    pub location: String,
    /// Worked off-site by agreement recorded in this plan (WW-8).
    pub off_site: bool,
    /// Emergency work at regular, predictable times (OC-1).
    pub predictable_emergency: bool,
    /// The id of the employer this activity is for (JP-5); `None`: the default employer.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub employer: Option<String>,
    /// For an external duty: the day the revised programme of activities with it was agreed with
    /// the employer (WW-8, B 5.11).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub agreed_on: Option<NaiveDate>,
}

impl Activity {
    /// Length in minutes; an end at or before the start runs into the next day.
    pub fn minutes(&self) -> u32 {
        span_minutes(self.start, self.end)
    }

    /// A short label naming the activity in findings: "Mon 08:00-12:00 Ward round".
    pub fn label(&self) -> String {
        let mut s = String::with_capacity(16 + self.title.len());
        self.push_label(&mut s);
        s
    }

    /// Appends the [`label`](Activity::label) to `out`.
    pub fn push_label(&self, out: &mut String) {
        let t = if self.title.is_empty() {
            self.category.as_str()
        } else {
            &self.title
        };
        out.push_str(self.day.title());
        out.push(' ');
        self.start.push_to(out);
        out.push('-');
        self.end.push_to(out);
        out.push(' ');
        out.push_str(t);
    }
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawActivity {
    day: Day,
    start: ClockTime,
    end: ClockTime,
    category: Category,
    #[serde(default)]
    extra: bool,
    #[serde(default)]
    weeks: Vec<i64>,
    #[serde(default)]
    title: String,
    #[serde(default)]
    location: String,
    #[serde(default)]
    off_site: bool,
    #[serde(default)]
    predictable_emergency: bool,
    #[serde(default)]
    employer: Option<String>,
    #[serde(default)]
    agreed_on: Option<NaiveDate>,
}

impl TryFrom<RawActivity> for Activity {
    type Error = String;
    fn try_from(r: RawActivity) -> Result<Self, String> {
        check_times(r.start, r.end)?;
        if r.agreed_on.is_some() && r.category != Category::ExternalDuty {
            return Err(format!("`agreed_on`: given for a \"{}\" activity; it is the day a revised programme with an external duty was agreed (B 5.11), so give it only with category = \"external_duty\"", r.category.as_str()));
        }
        let weeks = read_weeks(&r.weeks)?;
        let a = Activity {
            day: r.day,
            start: r.start,
            end: r.end,
            category: r.category,
            extra: r.extra,
            weeks,
            title: r.title,
            location: r.location,
            off_site: r.off_site,
            predictable_emergency: r.predictable_emergency,
            employer: r.employer.map(|e| e.trim().to_string()),
            agreed_on: r.agreed_on,
        };
        check_length(a.start, a.end, a.minutes())?;
        Ok(a)
    }
}

/// Refuses a start outside the day and an end equal to the start (an end at or before the start
/// runs into the next day).
fn check_times(start: ClockTime, end: ClockTime) -> Result<(), String> {
    if start.minutes() >= 1440 {
        return Err(format!(
            "`start`: found \"{start}\", expected a time from 00:00 to 23:59"
        ));
    }
    if start == end || (end.minutes() == 1440 && start.minutes() == 0) {
        return Err(format!("`end`: found \"{end}\", the same as the start: expected a later time (or an earlier one when the session ends the next day)"));
    }
    Ok(())
}

/// Week numbers of a cycle, 1 to 52.
fn read_weeks(weeks: &[i64]) -> Result<Vec<u8>, String> {
    weeks
        .iter()
        .map(|&w| {
            u8::try_from(w)
                .ok()
                .filter(|w| (1..=52).contains(w))
                .ok_or_else(|| format!("`weeks`: found {w}, expected week numbers from 1 to 52"))
        })
        .collect()
}

/// Refuses a session longer than the parameter working_week/max_activity_hours allows.
fn check_length(start: ClockTime, end: ClockTime, minutes: u32) -> Result<(), String> {
    let max = values::max_activity_minutes();
    if minutes <= max {
        return Ok(());
    }
    let h = |m: u32| format!("{}h{:02}", m / 60, m % 60);
    Err(if end < start {
        format!(
            "`end`: found \"{end}\", before the start \"{start}\"; read as ending the next day the session would last {}, longer than the {} allowed for one session (parameter working_week/max_activity_hours.toml); expected an end after the start, or an overnight session of at most {}",
            h(minutes), h(max), h(max)
        )
    } else {
        format!("`end`: found \"{end}\", making a session of {}, expected at most {} (parameter working_week/max_activity_hours.toml): split it into several sessions", h(minutes), h(max))
    })
}

/// Minutes from `start` to `end`; an end at or before the start runs into the next day.
fn span_minutes(start: ClockTime, end: ClockTime) -> u32 {
    let (s, e) = (u32::from(start.minutes()), u32::from(end.minutes()));
    if e > s {
        e - s
    } else {
        e + 1440 - s
    }
}

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

/// Kinds of travel (WW-7).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum TravelKind {
    /// Main base to and from other NHS sites: working time.
    BetweenSites,
    /// To and from work for NHS emergencies: working time.
    Emergency,
    /// Home to a site other than the main base, less the normal home-to-main-base time: working time.
    Excess,
    /// Home to main base (or to private premises): not working time.
    HomeToMainBase,
}

/// Average weekly travel.
#[derive(Debug, Clone, PartialEq, Deserialize, Serialize)]
#[serde(deny_unknown_fields, try_from = "RawTravel", into = "RawTravel")]
pub struct Travel {
    /// Kind.
    pub kind: TravelKind,
    /// Average hours a week.
    pub hours: Decimal,
    /// For `excess`: the normal home-to-main-base time of the same journeys, deducted.
    pub normal_hours: Decimal,
    /// What it is.
    pub description: String,
}

#[derive(Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
struct RawTravel {
    kind: TravelKind,
    hours: NonNegative,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    normal_hours: Option<NonNegative>,
    #[serde(default)]
    description: String,
}

impl From<Travel> for RawTravel {
    fn from(t: Travel) -> RawTravel {
        RawTravel {
            kind: t.kind,
            hours: NonNegative(t.hours),
            normal_hours: (t.kind == TravelKind::Excess).then_some(NonNegative(t.normal_hours)),
            description: t.description,
        }
    }
}

impl TryFrom<RawTravel> for Travel {
    type Error = String;
    fn try_from(r: RawTravel) -> Result<Self, String> {
        let normal_hours = match (r.kind, r.normal_hours) {
            (TravelKind::Excess, None) => return Err("`normal_hours`: missing for excess travel, expected the normal home-to-main-base time of the same journeys (B 9.2)".into()),
            (TravelKind::Excess, Some(n)) => n.0,
            (_, Some(_)) => return Err("`normal_hours`: given for travel that is not `excess`; it is only deducted from excess travel (B 9.2)".into()),
            (_, None) => Decimal::ZERO,
        };
        Ok(Travel {
            kind: r.kind,
            hours: r.hours.0,
            normal_hours,
            description: r.description,
        })
    }
}

/// Figures from the previous job plan review, to show reductions (OOH-5, OC-7).
#[derive(Debug, Clone, PartialEq, Deserialize, Serialize, Default)]
#[serde(deny_unknown_fields)]
pub struct PreviousReview {
    /// Out-of-hours PA-equivalents recognised.
    #[serde(default)]
    pub out_of_hours_pas: Option<NonNegative>,
    /// On-call PAs allocated.
    #[serde(default)]
    pub on_call_pas: Option<NonNegative>,
    /// On-call category.
    #[serde(default)]
    pub on_call_category: Option<OnCallCategory>,
    /// PAs a week for duties other than on-call (TR-5, F 9(i)): for a consultant transferring,
    /// the time the old contract's programme gave them.
    #[serde(default)]
    pub other_duties_pas: Option<NonNegative>,
}
