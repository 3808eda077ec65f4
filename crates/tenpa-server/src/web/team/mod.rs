//! The clinical director's team view (`/team`): the department's consultants with their PAs by
//! category, on-call band, workflow state, next review and pay; sorted and filtered by query
//! parameters (no JavaScript), with the department's capacity by activity and CSV/XLSX downloads
//! of the same rows.
//!
//! One file per part: `query` (sorting and filtering by the query), `downloads` (the CSV and XLSX
//! files) and `page` (the page itself); the rows, their totals and loading a department's team are
//! here.

mod downloads;
mod page;
mod query;

pub use self::downloads::{csv, table, xlsx};
pub use self::page::show;
pub use self::query::{select, SortKey, TeamQuery};
pub use crate::download::{download, XLSX};

use crate::policy::job_plan_scope;
use crate::service::compliance;
use crate::web::home::next_review;
use crate::web::page::{PageResult, WebError, WebUser};
use crate::AppState;
use chrono::NaiveDate;
use rust_decimal::Decimal;
use serde_json::Value;
use std::collections::HashMap;
use tenpa_rules::job_planning::review::SignOff;
use tenpa_rules::job_planning::{Role, Status};
use tenpa_rules::Assessment;
use tenpa_store::{JobPlanRecord, Review, Scope};

/// On-call bands of the assessment (OC-4), highest first.
pub const BANDS: [&str; 4] = ["high", "medium", "low", "none"];

/// An on-call band in plain words.
pub fn band_label(band: &str) -> &'static str {
    match band {
        "high" => "High frequency",
        "medium" => "Medium frequency",
        "low" => "Low frequency",
        "none" => "Not on call",
        _ => "Unknown",
    }
}

pub use tenpa_rules::money::parse_pence as pence;

/// Weekly PAs by category.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Pas {
    /// Direct clinical care.
    pub dcc: Decimal,
    /// Supporting professional activities.
    pub spa: Decimal,
    /// Additional NHS responsibilities.
    pub additional: Decimal,
    /// External duties.
    pub external: Decimal,
    /// On-call (predictable and unpredictable emergency work).
    pub on_call: Decimal,
    /// Extra PAs.
    pub extra: Decimal,
    /// All of them.
    pub total: Decimal,
}

impl Pas {
    /// The PAs of an assessment.
    pub fn of(assessment: &Assessment) -> Pas {
        let p = &assessment.pas;
        Pas {
            dcc: p.dcc,
            spa: p.spa,
            additional: p.additional_responsibility,
            external: p.external_duty,
            on_call: p.on_call,
            extra: p.extra,
            total: p.total,
        }
    }

    /// Additional responsibilities and external duties together.
    pub fn other(&self) -> Decimal {
        self.additional + self.external
    }

    fn add(&mut self, o: &Pas) {
        self.dcc += o.dcc;
        self.spa += o.spa;
        self.additional += o.additional;
        self.external += o.external;
        self.on_call += o.on_call;
        self.extra += o.extra;
        self.total += o.total;
    }
}

/// One consultant's row: their latest plan's current version.
#[derive(Debug, Clone, PartialEq)]
pub struct TeamRow {
    /// The plan.
    pub plan_id: i64,
    /// The consultant.
    pub consultant_id: String,
    /// Their name.
    pub name: String,
    /// Department name.
    pub department: String,
    /// PAs.
    pub pas: Pas,
    /// On-call band (`high`, `medium`, `low`, `none`).
    pub band: String,
    /// Workflow state.
    pub status: Status,
    /// When the next review is due.
    pub review_due: Option<NaiveDate>,
    /// Total pay a year, pence.
    pub total_pay_pence: i64,
}

/// Each consultant's latest plan (the highest id), in the order given.
pub fn latest_per_consultant(plans: &[JobPlanRecord]) -> Vec<&JobPlanRecord> {
    let mut latest: HashMap<&str, i64> = HashMap::new();
    for p in plans {
        let e = latest
            .entry(p.summary.consultant_id.as_str())
            .or_insert(p.summary.id);
        *e = (*e).max(p.summary.id);
    }
    plans
        .iter()
        .filter(|p| latest.get(p.summary.consultant_id.as_str()) == Some(&p.summary.id))
        .collect()
}

/// The rows of `plans` (one per consultant), with next reviews from `reviews` and each
/// consultant's `sign_offs`, `interval_months` apart (JP-1).
pub fn rows(
    plans: &[JobPlanRecord],
    reviews: &[Review],
    sign_offs: &HashMap<String, Vec<SignOff>>,
    interval_months: u32,
) -> Vec<TeamRow> {
    let mut by_consultant: HashMap<&str, Vec<Review>> = HashMap::new();
    for r in reviews {
        by_consultant
            .entry(r.consultant_id.as_str())
            .or_default()
            .push(r.clone());
    }
    latest_per_consultant(plans)
        .into_iter()
        .map(|p| {
            let s = &p.summary;
            let effective = p
                .document
                .pointer("/job_plan/effective_from")
                .and_then(Value::as_str);
            let theirs = by_consultant
                .get(s.consultant_id.as_str())
                .map(Vec::as_slice)
                .unwrap_or(&[]);
            TeamRow {
                plan_id: s.id,
                consultant_id: s.consultant_id.clone(),
                name: s.consultant_name.clone(),
                department: s.department.clone(),
                pas: Pas::of(&p.assessment),
                band: p.assessment.on_call.band.to_string(),
                status: s.status,
                review_due: next_review(
                    theirs,
                    sign_offs
                        .get(s.consultant_id.as_str())
                        .map(Vec::as_slice)
                        .unwrap_or(&[]),
                    effective,
                    interval_months,
                ),
                total_pay_pence: s.total_pay_pence,
            }
        })
        .collect()
}

/// The summed PAs of `rows`.
pub fn totals(rows: &[TeamRow]) -> Pas {
    let mut t = Pas::default();
    for r in rows {
        t.add(&r.pas);
    }
    t
}

/// PAs as text: "10", "7.5", "0.25".
pub fn pas_text(d: Decimal) -> String {
    d.normalize().to_string()
}

/// The capacity categories of [`Pas`] in order, with their labels.
pub fn categories(p: &Pas) -> [(&'static str, Decimal); 6] {
    [
        ("Direct clinical care", p.dcc),
        ("Supporting professional activities", p.spa),
        ("Additional responsibilities", p.additional),
        ("External duties", p.external),
        ("On-call", p.on_call),
        ("Extra PAs", p.extra),
    ]
}

/// The department a user's team view shows, and whether they may choose another.
fn department_of(
    u: &WebUser,
    asked: Option<i64>,
    first: Option<i64>,
) -> Result<(i64, bool), WebError> {
    let trust_wide = u.any(&[Role::MedicalDirector, Role::MedicalStaffing]);
    if trust_wide {
        return match asked.or(u.user.department_id).or(first) {
            Some(d) => Ok((d, true)),
            None => Err(WebError::NotFound(
                "the trust has no departments yet".into(),
            )),
        };
    }
    if !u.user.has(Role::ClinicalDirector) {
        return Err(WebError::Forbidden(
            "the team view is for clinical directors, the medical director and medical staffing"
                .into(),
        ));
    }
    let Some(own) = u.user.department_id else {
        return Err(WebError::Forbidden(
            "no department is recorded for your account".into(),
        ));
    };
    match asked {
        Some(d) if d != own => Err(WebError::Forbidden(format!(
            "department {d} is not your department; you may see your own department's team"
        ))),
        _ => Ok((own, false)),
    }
}

/// The loaded team of a department.
struct Team {
    department_id: i64,
    department: String,
    departments: Vec<tenpa_store::Department>,
    may_choose: bool,
    rows: Vec<TeamRow>,
}

async fn load(state: &AppState, u: &WebUser, q: &TeamQuery) -> PageResult<Team> {
    let departments = state.store.departments().await?;
    let (department_id, may_choose) =
        department_of(u, q.department, departments.first().map(|d| d.id))?;
    let Some(department) = departments.iter().find(|d| d.id == department_id) else {
        return Err(WebError::NotFound(format!("no department {department_id}")));
    };
    // The same scope as the API: the department must be within what the user may see.
    let within = match job_plan_scope(&u.user) {
        Scope::All => true,
        Scope::Department(d) => d == department_id,
        _ => false,
    };
    if !within {
        return Err(WebError::Forbidden(format!(
            "the job plans of {} are not ones you may see",
            department.name
        )));
    }
    let scope = Scope::Department(department_id);
    let plans = state.store.job_plans_with_assessments(&scope).await?;
    let reviews = state.store.reviews(&scope).await?;
    Ok(Team {
        department_id,
        department: department.name.clone(),
        may_choose,
        rows: rows(
            &plans,
            &reviews,
            &compliance::sign_offs_by_consultant(&state.store).await?,
            compliance::review_interval(&state.params, crate::uk_time::today())?,
        ),
        departments,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    fn row(
        name: &str,
        total: i64,
        status: &str,
        band: &str,
        due: Option<&str>,
        pay: i64,
    ) -> TeamRow {
        TeamRow {
            plan_id: total,
            consultant_id: name.to_lowercase(),
            name: name.into(),
            department: "Surgery".into(),
            pas: Pas {
                dcc: Decimal::from(total - 2),
                spa: Decimal::from(2),
                total: Decimal::from(total),
                ..Pas::default()
            },
            band: band.into(),
            status: Status::parse(status).expect("a workflow state"),
            review_due: due.map(|d| NaiveDate::parse_from_str(d, "%Y-%m-%d").unwrap()),
            total_pay_pence: pay,
        }
    }

    #[test]
    fn money_strings_become_exact_pence() {
        assert_eq!(pence("1234.56"), Some(123_456));
        assert_eq!(pence("0.05"), Some(5));
        assert_eq!(pence("-0.05"), Some(-5));
        assert_eq!(pence("12.5"), Some(1250));
        assert_eq!(pence("7"), Some(700));
        assert_eq!(pence("87276.95"), Some(8_727_695));
        assert_eq!(pence("1.005"), None);
        assert_eq!(pence("1."), None);
        assert_eq!(pence(".5"), None);
        assert_eq!(pence("12a.00"), None);
        assert_eq!(pence(""), None);
        assert_eq!(pence("-"), None);
        assert_eq!(pence("99999999999999999999.00"), None);
    }

    #[test]
    fn queries_parse_and_refuse_unknown_values() {
        let q = TeamQuery::parse(Some(
            "sort=total&dir=desc&status=signed_off&band=&name=+Ann",
        ))
        .unwrap();
        assert_eq!(q.sort, SortKey::Total);
        assert!(q.descending);
        assert_eq!(q.status, Some(Status::SignedOff));
        assert_eq!(q.band, None);
        assert_eq!(q.name, "Ann");
        assert_eq!(
            q.to_query(SortKey::Pay, false),
            "status=signed_off&name=Ann&sort=pay&dir=asc"
        );
        assert!(TeamQuery::parse(Some("sort=salary")).is_err());
        assert!(TeamQuery::parse(Some("status=done")).is_err());
        assert!(TeamQuery::parse(Some("department=x")).is_err());
        assert_eq!(TeamQuery::parse(None).unwrap(), TeamQuery::default());
    }

    #[test]
    fn rows_sort_and_filter() {
        let rows = vec![
            row(
                "Cole",
                12,
                "signed_off",
                "high",
                Some("2006-05-01"),
                9_000_000,
            ),
            row("abbot", 10, "draft", "none", None, 8_000_000),
            row(
                "Baker",
                11,
                "signed_off",
                "medium",
                Some("2006-01-01"),
                8_500_000,
            ),
        ];
        let names = |rs: Vec<TeamRow>| rs.into_iter().map(|r| r.name).collect::<Vec<_>>();
        let mut q = TeamQuery::default();
        assert_eq!(names(select(&rows, &q)), ["abbot", "Baker", "Cole"]);
        q.sort = SortKey::Total;
        q.descending = true;
        assert_eq!(names(select(&rows, &q)), ["Cole", "Baker", "abbot"]);
        q.sort = SortKey::Review;
        q.descending = false;
        assert_eq!(names(select(&rows, &q)), ["Baker", "Cole", "abbot"]);
        q.sort = SortKey::Band;
        assert_eq!(names(select(&rows, &q)), ["Cole", "Baker", "abbot"]);
        q.status = Some(Status::SignedOff);
        q.sort = SortKey::Pay;
        assert_eq!(names(select(&rows, &q)), ["Baker", "Cole"]);
        q.name = "OL".into();
        assert_eq!(names(select(&rows, &q)), ["Cole"]);
        q.band = Some("none".into());
        assert!(select(&rows, &q).is_empty());
    }

    #[test]
    fn totals_sum_every_category() {
        let rows = vec![
            row("A", 12, "draft", "high", None, 1),
            row("B", 10, "draft", "none", None, 1),
        ];
        let t = totals(&rows);
        assert_eq!(t.total, Decimal::from(22));
        assert_eq!(t.dcc, Decimal::from(18));
        assert_eq!(t.spa, Decimal::from(4));
        assert_eq!(pas_text(Decimal::new(750, 2)), "7.5");
    }
}
