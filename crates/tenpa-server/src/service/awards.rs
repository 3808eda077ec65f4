//! Awards and premia of consultants: clinical excellence awards (CEA-1 … CEA-4) with their value
//! from the parameters by level and start date, and recruitment and retention premia (PAY-4) with
//! their amount, evidence and PAY-4 findings. Money is taken and returned as a string of pounds
//! with two decimals and kept as whole pence.

use crate::error::{ApiResult, AppError};
use crate::service::objectives::consultant_of;
use crate::AppState;
use chrono::{Datelike, Days, Months, NaiveDate};
use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};
use tenpa_rules::excellence_awards::{scope_of, value_on};
use tenpa_rules::finding::{Finding, Findings};
use tenpa_rules::money::Money;
use tenpa_rules::plan::{NonNegative, Premium, PremiumKind};
use tenpa_rules::{pay, Parameters};
use tenpa_store::{AwardRecord, NewAward as StoreAward, StoreError, User};
use utoipa::{IntoParams, ToSchema};

/// What is recorded.
#[derive(Deserialize, Serialize, ToSchema, Clone, Copy, PartialEq, Eq, Debug)]
#[serde(rename_all = "snake_case")]
pub enum AwardKind {
    /// A clinical excellence award (CEA-1).
    Cea,
    /// A recruitment premium (PAY-4).
    Recruitment,
    /// A retention premium (PAY-4).
    Retention,
}

impl AwardKind {
    /// The kind as recorded.
    pub fn as_str(self) -> &'static str {
        match self {
            AwardKind::Cea => "cea",
            AwardKind::Recruitment => "recruitment",
            AwardKind::Retention => "retention",
        }
    }
}

/// The most years a premium may be given for: a bound on the input, far beyond PAY-4's typical
/// limit (which is warned of, not refused).
const MAX_PREMIUM_YEARS: u32 = 100;

/// An award or premium to record.
#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct NewAward {
    /// The consultant.
    pub consultant_id: String,
    /// `cea`, `recruitment` or `retention`.
    pub kind: AwardKind,
    /// A clinical excellence award's level, 1 to 13 (local 1-9, regional 10-11, national 12-13).
    pub level: Option<i64>,
    /// A premium's amount a year in pounds, e.g. `"5000.00"`; required for a premium, refused for
    /// an award (its value comes from the parameters).
    pub amount: Option<String>,
    /// First day (YYYY-MM-DD).
    pub start_date: String,
    /// Last day, after the first (YYYY-MM-DD).
    pub end_date: Option<String>,
    /// A time-limited premium's years, 1 to 100, instead of `end_date`.
    #[schema(minimum = 1, maximum = 100)]
    pub years: Option<u32>,
    /// The committee that made an award: `local`, `regional` or `national`; as the level implies
    /// when left out.
    pub body: Option<String>,
    /// A premium: clear evidence of recruitment or retention difficulty shown (F 3(g)).
    pub evidence_of_difficulty: Option<bool>,
    /// A premium: non-pay solutions considered and tried (F 3(g)).
    pub non_pay_solutions_tried: Option<bool>,
    /// A premium: other local employers and regional bodies consulted (F 3(g)).
    pub local_employers_consulted: Option<bool>,
    /// Notes.
    #[serde(default)]
    pub notes: String,
}

/// Ending an award or premium.
#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct EndAward {
    /// The version ended; a stale one is 409 with the current version.
    pub version: i64,
    /// The last day, after the start (YYYY-MM-DD).
    pub end_date: String,
}

/// Filters for the list.
#[derive(Deserialize, IntoParams)]
#[serde(deny_unknown_fields)]
pub struct AwardQuery {
    /// Only this consultant's.
    pub consultant_id: Option<String>,
}

/// An award or premium as answered.
#[derive(Serialize, ToSchema)]
pub struct AwardView {
    /// Id.
    pub id: i64,
    /// Consultant.
    pub consultant_id: String,
    /// The consultant's department.
    pub department_id: i64,
    /// `cea`, `recruitment` or `retention`.
    pub kind: String,
    /// A clinical excellence award's level.
    pub level: Option<i64>,
    /// The committee that made an award (`local`, `regional`, `national`).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub body: Option<String>,
    /// A premium's amount a year as recorded, pounds with two decimals.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub amount: Option<String>,
    /// The full-time value a year on the start date, pounds with two decimals: an award's from
    /// the parameters (CEA-1), a premium's as recorded; `null` when there is none.
    pub annual_value: Option<String>,
    /// Why there is no annual value, when there is none.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub annual_value_note: Option<String>,
    /// First day.
    #[schema(value_type = String)]
    pub start_date: NaiveDate,
    /// Last day.
    #[schema(value_type = Option<String>)]
    pub end_date: Option<NaiveDate>,
    /// A premium's evidence flags.
    #[serde(skip_serializing_if = "Option::is_none")]
    #[schema(value_type = Option<Object>)]
    pub evidence: Option<serde_json::Value>,
    /// Notes.
    pub notes: String,
    /// PAY-4 findings of a premium: a warning for missing evidence or above the typical limits.
    #[schema(value_type = Vec<Object>)]
    pub findings: Vec<Finding>,
    /// Who recorded it.
    pub created_by: String,
    /// When.
    pub created_at: String,
    /// Version, for ending it.
    pub version: i64,
    /// Last change.
    pub updated_at: String,
}

/// Pounds written with at most two decimals (`"5000"`, `"5000.5"`, `"5000.00"`) as whole pence;
/// `None` for anything else (signs, exponents, more decimals, too large).
pub fn parse_pence(s: &str) -> Option<i64> {
    let (whole, frac) = s.split_once('.').unwrap_or((s, ""));
    let digits = |t: &str| t.bytes().all(|b| b.is_ascii_digit());
    if whole.is_empty() || whole.len() > 15 || !digits(whole) || frac.len() > 2 || !digits(frac) {
        return None;
    }
    if s.contains('.') && frac.is_empty() {
        return None;
    }
    let pounds: i64 = whole.parse().ok()?;
    let pence: i64 = match frac.len() {
        0 => 0,
        1 => frac.parse::<i64>().ok()? * 10,
        _ => frac.parse().ok()?,
    };
    pounds.checked_mul(100)?.checked_add(pence)
}

/// Whole pence as pounds with two decimals.
pub fn show_pence(p: i64) -> String {
    Money::round(Decimal::new(p, 2)).to_string()
}

/// [`super::read_date`], written out in full: ten characters, so `2027-4-1` is refused too.
pub(crate) fn date(field: &str, s: &str) -> ApiResult<NaiveDate> {
    let d = super::read_date(field, s)?;
    if s.len() == 10 {
        Ok(d)
    } else {
        Err(AppError::unprocessable_at(
            field,
            format!("found {s:?}, expected a date as YYYY-MM-DD"),
        ))
    }
}

fn end_after(start: NaiveDate, end: &str) -> ApiResult<NaiveDate> {
    let e = date("end_date", end)?;
    if e <= start {
        return Err(AppError::unprocessable_at(
            "end_date",
            format!("{e} is not after the start date {start}"),
        ));
    }
    Ok(e)
}

/// Whole years paid from `start` to the last day `end`, as a figure for PAY-4's typical limit.
fn years_between(start: NaiveDate, end: NaiveDate) -> Decimal {
    let after = end.checked_add_days(Days::new(1)).unwrap_or(end);
    let mut months =
        (after.year() - start.year()) * 12 + after.month() as i32 - start.month() as i32;
    if after.day() < start.day() {
        months -= 1;
    }
    Decimal::from(months.max(0)) / Decimal::from(12)
}

fn flag(evidence: &serde_json::Value, name: &str) -> bool {
    evidence
        .get(name)
        .and_then(|v| v.as_bool())
        .unwrap_or(false)
}

/// The view of a record: an award's value on its start date (CEA-1) or a premium's PAY-4 findings.
pub fn view(r: AwardRecord, params: &Parameters) -> AwardView {
    let start = r.start_date;
    let mut findings = Findings::default();
    let (annual_value, annual_value_note) = match (r.kind.as_str(), r.level, r.amount_pence) {
        ("cea", Some(level), _) => {
            let level_u8 = u8::try_from(level).unwrap_or(0);
            match value_on(level_u8, start, params) {
                Ok(Some(v)) => (Some(Money::round(v).to_string()), None),
                Ok(None) => (
                    None,
                    Some(format!(
                        "the award levels in force on {start} have no value for level {level} (CEA-1)"
                    )),
                ),
                Err(e) => (
                    None,
                    Some(format!("no award levels are in force on {start}: {e} (CEA-1)")),
                ),
            }
        }
        (_, _, Some(p)) => {
            premium_findings(&r, p, start, params, &mut findings);
            (Some(show_pence(p)), None)
        }
        _ => (
            None,
            Some("the record has neither a level nor an amount".into()),
        ),
    };
    let is_cea = r.kind == "cea";
    AwardView {
        id: r.id,
        consultant_id: r.consultant_id,
        department_id: r.department_id,
        kind: r.kind,
        level: r.level,
        body: (!r.body.is_empty()).then_some(r.body),
        amount: r.amount_pence.map(show_pence),
        annual_value,
        annual_value_note,
        start_date: r.start_date,
        end_date: r.end_date,
        evidence: (!is_cea).then_some(r.evidence),
        notes: r.notes,
        findings: findings.0,
        created_by: r.created_by,
        created_at: r.created_at,
        version: r.version,
        updated_at: r.updated_at,
    }
}

/// PAY-4 on a premium, through the rules library's check, with the limits in force on its start.
fn premium_findings(
    r: &AwardRecord,
    pence: i64,
    on: NaiveDate,
    params: &Parameters,
    f: &mut Findings,
) {
    let end = r.end_date;
    let premium = Premium {
        amount: NonNegative(Decimal::new(pence, 2)),
        kind: if r.kind == "recruitment" {
            PremiumKind::Recruitment
        } else {
            PremiumKind::Retention
        },
        start: on,
        years: end.map(|e| NonNegative(years_between(on, e))),
        evidence_of_difficulty: flag(&r.evidence, "evidence_of_difficulty"),
        non_pay_solutions_tried: flag(&r.evidence, "non_pay_solutions_tried"),
        local_employers_consulted: flag(&r.evidence, "local_employers_consulted"),
    };
    let (Ok(limits), Ok(scale)) = (
        params.premium_limits.value(on),
        pay::scale(params, pay::pay_year(on).0),
    ) else {
        return;
    };
    let Some(starting) = scale.points.first() else {
        return;
    };
    pay::premium(
        &premium,
        on,
        *starting,
        limits.max_percent_of_starting_salary,
        limits.max_years,
        f,
    );
}

/// Who records and ends awards and premia.
pub const WHO: &str =
    "awards and premia are recorded and ended by the medical director or medical staffing";

/// Checks a new record and turns it into the store's.
fn checked(body: NewAward, params: &Parameters) -> ApiResult<StoreAward> {
    let start = date("start_date", &body.start_date)?;
    let mut end = match &body.end_date {
        Some(e) => Some(end_after(start, e)?),
        None => None,
    };
    let (level, amount_pence, scope, evidence) = match body.kind {
        AwardKind::Cea => {
            let level = match body.level {
                Some(l @ 1..=13) => l,
                Some(l) => {
                    return Err(AppError::unprocessable_at(
                        "level",
                        format!("found {l}, expected 1 to 13 (local 1-9, regional 10-11, national 12-13; CEA-1)"),
                    ))
                }
                None => {
                    return Err(AppError::unprocessable_at(
                        "level",
                        "a clinical excellence award needs its level, 1 to 13".into(),
                    ))
                }
            };
            for (given, field) in [
                (body.amount.is_some(), "amount"),
                (body.years.is_some(), "years"),
                (
                    body.evidence_of_difficulty.is_some(),
                    "evidence_of_difficulty",
                ),
                (
                    body.non_pay_solutions_tried.is_some(),
                    "non_pay_solutions_tried",
                ),
                (
                    body.local_employers_consulted.is_some(),
                    "local_employers_consulted",
                ),
            ] {
                if given {
                    return Err(AppError::unprocessable_at(
                        field,
                        "given for a clinical excellence award, whose value comes from the parameters by level and date; it is for premia".into(),
                    ));
                }
            }
            let h = params.higher_awards.value(start).map_err(|e| {
                AppError::unprocessable_at(
                    "start_date",
                    format!("no clinical excellence award scheme is in force on {start}: {e}"),
                )
            })?;
            let scope = scope_of(level as u8, h).as_str();
            if let Some(b) = body.body.as_deref().filter(|b| *b != scope) {
                return Err(AppError::unprocessable_at(
                    "body",
                    format!("found {b:?}, but level {level} is a {scope} award (E 4.1); give {scope:?} or leave it out"),
                ));
            }
            (Some(level), None, scope.to_string(), serde_json::json!({}))
        }
        AwardKind::Recruitment | AwardKind::Retention => {
            if body.level.is_some() {
                return Err(AppError::unprocessable_at(
                    "level",
                    "given for a premium; levels are for clinical excellence awards".into(),
                ));
            }
            if body.body.is_some() {
                return Err(AppError::unprocessable_at(
                    "body",
                    "given for a premium; the awarding committee is for clinical excellence awards"
                        .into(),
                ));
            }
            let pence = match body.amount.as_deref() {
                None => {
                    return Err(AppError::unprocessable_at(
                        "amount",
                        "a premium needs its amount a year in pounds, e.g. \"5000.00\"".into(),
                    ))
                }
                Some(a) => match parse_pence(a) {
                    Some(p) if p > 0 => p,
                    _ => {
                        return Err(AppError::unprocessable_at(
                            "amount",
                            format!("found {a:?}, expected pounds above 0 with at most two decimals, e.g. \"5000.00\""),
                        ))
                    }
                },
            };
            if let Some(y) = body.years {
                if end.is_some() {
                    return Err(AppError::unprocessable_at(
                        "years",
                        "give either years or end_date, not both".into(),
                    ));
                }
                let last = (1..=MAX_PREMIUM_YEARS)
                    .contains(&y)
                    .then(|| start.checked_add_months(Months::new(y * 12)))
                    .flatten()
                    .and_then(|d| d.checked_sub_days(Days::new(1)))
                    .filter(super::four_digit_year);
                match last {
                    Some(d) => end = Some(d),
                    None => {
                        return Err(AppError::unprocessable_at(
                            "years",
                            format!(
                            "found {y}, expected a number of years from 1 to {MAX_PREMIUM_YEARS} \
                                 ending by 9999"
                        ),
                        ))
                    }
                }
            }
            let evidence = serde_json::json!({
                "evidence_of_difficulty": body.evidence_of_difficulty.unwrap_or(false),
                "non_pay_solutions_tried": body.non_pay_solutions_tried.unwrap_or(false),
                "local_employers_consulted": body.local_employers_consulted.unwrap_or(false),
            });
            (None, Some(pence), String::new(), evidence)
        }
    };
    Ok(StoreAward {
        consultant_id: body.consultant_id,
        kind: body.kind.as_str().into(),
        level,
        amount_pence,
        start_date: start,
        end_date: end,
        body: scope,
        evidence,
        notes: body.notes.trim().to_string(),
    })
}

/// Records an award or premium as `user`, checked: the path the API and the pages share. Nobody
/// records their own.
pub async fn record(state: &AppState, user: &User, body: NewAward) -> ApiResult<AwardView> {
    if !crate::policy::may_record_awards(user) {
        return Err(AppError::Forbidden(WHO.into()));
    }
    let c = consultant_of(state, &body.consultant_id).await?;
    if crate::policy::is_own_record(user, &c.id) {
        return Err(AppError::Forbidden(crate::policy::OWN_RECORD.into()));
    }
    let mut new = checked(body, &state.params)?;
    new.consultant_id = c.id;
    let id = state.store.create_award(&user.username, &new).await?;
    let record = state
        .store
        .award(id)
        .await?
        .ok_or_else(|| AppError::Internal(format!("award {id} not read back")))?;
    Ok(view(record, &state.params))
}

/// Ends award `id` as `user`, checked: the path the API and the pages share; a stale version is
/// a conflict naming the current one.
pub async fn end_award(
    state: &AppState,
    user: &User,
    id: i64,
    body: EndAward,
) -> ApiResult<AwardView> {
    if !crate::policy::may_record_awards(user) {
        return Err(AppError::Forbidden(WHO.into()));
    }
    let award = state
        .store
        .award(id)
        .await?
        .ok_or_else(|| AppError::NotFound(format!("award {id}")))?;
    if crate::policy::is_own_record(user, &award.consultant_id) {
        return Err(AppError::Forbidden(crate::policy::OWN_RECORD.into()));
    }
    let end = end_after(award.start_date, &body.end_date)?;
    match state
        .store
        .end_award(&user.username, id, body.version, end)
        .await
    {
        Ok(_) => {}
        Err(StoreError::Conflict { expected, current }) => {
            return Err(AppError::Conflict {
                detail: format!("version {expected} is no longer current: the award is at version {current}; reload it and end it again"),
                current_version: Some(current),
            })
        }
        Err(e) => return Err(e.into()),
    }
    let record = state
        .store
        .award(id)
        .await?
        .ok_or_else(|| AppError::Internal(format!("award {id} not read back")))?;
    Ok(view(record, &state.params))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn money_is_read_as_whole_pence() {
        assert_eq!(parse_pence("5000.00"), Some(500_000));
        assert_eq!(parse_pence("5000"), Some(500_000));
        assert_eq!(parse_pence("5000.5"), Some(500_050));
        assert_eq!(parse_pence("0.01"), Some(1));
        for bad in [
            "", "-5", "5.", ".5", "5.001", "1e3", "5,000", " 5", "5000.0x",
        ] {
            assert_eq!(parse_pence(bad), None, "{bad:?}");
        }
        assert_eq!(show_pence(500_050), "5000.50");
        assert_eq!(show_pence(1), "0.01");
    }

    #[test]
    fn an_award_with_no_value_on_its_date_says_so() {
        let params = Parameters::embedded();
        let record = AwardRecord {
            id: 1,
            consultant_id: "c".into(),
            department_id: 1,
            kind: "cea".into(),
            level: Some(3),
            amount_pence: None,
            start_date: "2001-04-01".parse().unwrap(),
            end_date: None,
            body: "local".into(),
            evidence: serde_json::json!({}),
            notes: String::new(),
            created_by: String::new(),
            created_at: String::new(),
            version: 1,
            updated_at: String::new(),
        };
        let v = view(record.clone(), params);
        assert_eq!(v.annual_value, None);
        assert!(v.annual_value_note.unwrap().contains("2001-04-01"));
        let v = view(
            AwardRecord {
                start_date: "2005-04-01".parse().unwrap(),
                ..record
            },
            params,
        );
        assert_eq!(v.annual_value.as_deref(), Some("7500.00"));
    }

    #[test]
    fn years_paid_are_whole_months() {
        let d = |s| NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap();
        assert_eq!(
            years_between(d("2004-09-01"), d("2006-08-31")),
            Decimal::from(2)
        );
        assert_eq!(
            years_between(d("2004-09-01"), d("2005-02-28")),
            Decimal::new(5, 1)
        );
        assert_eq!(
            years_between(d("2004-09-15"), d("2005-02-28")),
            Decimal::from(5) / Decimal::from(12)
        );
    }
}
