//! The job plan document: the one place where raw input becomes domain values.
//!
//! The structure is documented field by field in `docs/documents.md`; its names are stable.
//! Every check that can be made on one table is made here, so a value that reaches the rules is
//! already known to be well formed. Cross-table consistency (weeks outside the cycle) is a
//! finding, not an input error.

mod career;
mod leave;
mod locate;
mod on_call;
mod parse;
mod pay;
mod private;
mod values;

pub use career::{
    parse_career, Appeal, AppealOutcome, Award, AwardScope, CareerDocument, CareerPay,
    ExtraPaOffer, OfferBasis, OfferResponse, OutsideWork, OutsideWorkPolicy, PayYear, Transition,
    Year,
};
pub use leave::{Leave, LeaveKind};
pub use on_call::{OnCall, OnCallCategory, ShortIntervals};
pub use parse::{parse_document, DocumentError, Format, MAX_ACTIVITIES};
pub(crate) use pay::read_point;
pub use pay::{ExistingAward, ExistingAwardKind, Pay, PayPoint, Premium, PremiumKind};
pub use private::{Fee, PrivateKind, PrivateSession};
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
pub(super) fn check_times(start: ClockTime, end: ClockTime) -> Result<(), String> {
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
pub(super) fn read_weeks(weeks: &[i64]) -> Result<Vec<u8>, String> {
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
pub(super) fn check_length(start: ClockTime, end: ClockTime, minutes: u32) -> Result<(), String> {
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
pub(super) fn span_minutes(start: ClockTime, end: ClockTime) -> u32 {
    let (s, e) = (u32::from(start.minutes()), u32::from(end.minutes()));
    if e > s {
        e - s
    } else {
        e + 1440 - s
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
