//! Consistency across the trust: for each department and specialty, the distribution (quartiles and
//! median) of each consultant's current plan's SPA, DCC, on-call and extra PAs and pay per PA, of
//! the days their plan took from proposal to sign-off, and the share of plans that went into
//! dispute; with the consultants outside the trust's usual range marked. The same by sex, where the
//! consultant record holds it (optional; "not recorded" otherwise), and by full- or part-time: a
//! plan of fewer PAs than a full-time consultant's contracted 10 (the parameter in force) is
//! part-time, read from the plan itself. A group of fewer than five consultants shows no figures,
//! so that nobody in it can be identified. Read by the trust's report readers.

use crate::error::{ApiResult, AppError};
use crate::service::rounds::History;
use rust_decimal::prelude::ToPrimitive;
use rust_decimal::Decimal;
use serde::Serialize;
use std::collections::{BTreeMap, HashMap};
use tenpa_rules::job_planning::review::in_dispute;
use tenpa_rules::job_planning::Status;
use tenpa_store::{Scope, Store, User};
use utoipa::ToSchema;

/// The fewest consultants a group needs for its figures to be shown.
pub const MIN_GROUP: usize = 5;

/// The measures, with their names and how they are shown.
pub const MEASURES: [(&str, &str); 6] = [
    ("spa", "SPA PAs a week"),
    ("dcc", "DCC PAs a week"),
    ("on_call", "On-call PAs a week"),
    ("extra", "Extra PAs a week"),
    ("pay_per_pa", "Pay per PA (£ a year)"),
    ("days_to_sign_off", "Days from proposal to sign-off"),
];

/// The quartiles of a group's values.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, ToSchema)]
pub struct Spread {
    /// How many values.
    pub n: usize,
    /// The lower quartile.
    #[schema(value_type = String)]
    pub q1: Decimal,
    /// The median.
    #[schema(value_type = String)]
    pub median: Decimal,
    /// The upper quartile.
    #[schema(value_type = String)]
    pub q3: Decimal,
}

/// One group's figures: each measure's spread, and its dispute rate; none when suppressed.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, ToSchema)]
pub struct GroupFigures {
    /// The department or specialty.
    pub name: String,
    /// Its consultants with a plan.
    pub consultants: usize,
    /// Whether its figures are left out: fewer than five consultants.
    pub suppressed: bool,
    /// Each measure's spread, by measure name (only the measures with values).
    pub spreads: BTreeMap<String, Spread>,
    /// The share of its plans that went into dispute at any time, per cent with one decimal.
    pub dispute_percent: Option<String>,
}

/// A consultant outside the trust's usual range of a measure: below the lower quartile, or above
/// the upper, by more than one and a half times the distance between them.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, ToSchema)]
pub struct Outlier {
    /// The measure.
    pub measure: String,
    /// The consultant.
    pub consultant_id: String,
    /// Their name.
    pub name: String,
    /// Their department.
    pub department: String,
    /// Their value.
    #[schema(value_type = String)]
    pub value: Decimal,
    /// `low` or `high`.
    pub side: String,
}

/// The report.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, ToSchema)]
pub struct ConsistencyReport {
    /// The trust as a whole.
    pub trust: GroupFigures,
    /// By department, by name.
    pub departments: Vec<GroupFigures>,
    /// By specialty, by name.
    pub specialties: Vec<GroupFigures>,
    /// By sex: female, male and not recorded (those with a plan).
    pub sexes: Vec<GroupFigures>,
    /// Full-time and part-time.
    pub working_patterns: Vec<GroupFigures>,
    /// The consultants outside the usual range, by measure and value.
    pub outliers: Vec<Outlier>,
}

/// One consultant's values.
struct Line {
    consultant_id: String,
    name: String,
    department: String,
    specialty: String,
    sex: &'static str,
    pattern: &'static str,
    values: HashMap<&'static str, Decimal>,
    disputed: bool,
}

/// The name of the group of a consultant's sex.
fn sex_group(sex: Option<tenpa_store::Sex>) -> &'static str {
    match sex {
        Some(tenpa_store::Sex::Female) => "Female",
        Some(tenpa_store::Sex::Male) => "Male",
        None => "Not recorded",
    }
}

/// The value at quantile `p` (0 to 1) of sorted `v`, interpolating between the two nearest ranks.
pub fn quantile(v: &[Decimal], p: Decimal) -> Decimal {
    if v.is_empty() {
        return Decimal::ZERO;
    }
    let h = Decimal::from(v.len() - 1) * p;
    let lo = h.floor();
    let i = lo.to_usize().unwrap_or(0).min(v.len() - 1);
    let next = v.get(i + 1).copied().unwrap_or(v[i]);
    v[i] + (h - lo) * (next - v[i])
}

/// The spread of `values`.
pub fn spread(mut values: Vec<Decimal>) -> Option<Spread> {
    if values.is_empty() {
        return None;
    }
    values.sort();
    let q = |p: Decimal| quantile(&values, p).round_dp(2).normalize();
    Some(Spread {
        n: values.len(),
        q1: q(Decimal::new(25, 2)),
        median: q(Decimal::new(5, 1)),
        q3: q(Decimal::new(75, 2)),
    })
}

fn figures(name: &str, lines: &[&Line]) -> GroupFigures {
    let suppressed = lines.len() < MIN_GROUP;
    let mut spreads = BTreeMap::new();
    let mut dispute_percent = None;
    if !suppressed {
        for (m, _) in MEASURES {
            let values: Vec<Decimal> = lines
                .iter()
                .filter_map(|l| l.values.get(m).copied())
                .collect();
            if values.len() >= MIN_GROUP {
                if let Some(s) = spread(values) {
                    spreads.insert(m.to_string(), s);
                }
            }
        }
        let disputed = lines.iter().filter(|l| l.disputed).count();
        let per_mille = disputed * 1000 / lines.len();
        dispute_percent = Some(format!("{}.{}", per_mille / 10, per_mille % 10));
    }
    GroupFigures {
        name: name.into(),
        consultants: lines.len(),
        suppressed,
        spreads,
        dispute_percent,
    }
}

/// The report, for the trust's report readers.
pub async fn report(
    store: &Store,
    params: &tenpa_rules::Parameters,
    user: &User,
) -> ApiResult<ConsistencyReport> {
    if !crate::policy::may_read_trust_reports(user) {
        return Err(AppError::Forbidden(
            "the consistency report is for the medical director, medical staffing and the chief executive".into(),
        ));
    }
    let full_time_pas = *params
        .full_time_pas
        .value(crate::uk_time::today())
        .map_err(|e| AppError::Internal(format!("working_week/full_time_pas.toml: {e}")))?;
    let plans = store.job_plans_with_assessments(&Scope::All).await?;
    let staff = store.staff_records().await?;
    let specialty: HashMap<i64, String> = store
        .departments()
        .await?
        .into_iter()
        .map(|d| (d.id, d.specialty))
        .collect();
    // Each plan's history: when first proposed, when last signed off, whether ever disputed.
    let history = crate::service::rounds::state_history(store).await?;
    let first_at = |h: &History, status: Status| h.iter().find(|(s, _)| *s == status).map(|x| x.1);
    let last_at =
        |h: &History, status: Status| h.iter().rev().find(|(s, _)| *s == status).map(|x| x.1);
    let mut latest: HashMap<&str, &tenpa_store::JobPlanRecord> = HashMap::new();
    for p in &plans {
        let e = latest.entry(p.summary.consultant_id.as_str()).or_insert(p);
        if p.summary.id > e.summary.id {
            *e = p;
        }
    }
    let mut lines: Vec<Line> = latest
        .into_values()
        .map(|p| {
            let s = &p.summary;
            let a = &p.assessment;
            let mut values: HashMap<&'static str, Decimal> = HashMap::new();
            values.insert("spa", a.pas.spa);
            values.insert("dcc", a.pas.dcc);
            values.insert("on_call", a.pas.on_call);
            values.insert("extra", a.pas.extra);
            if !a.pas.total.is_zero() {
                values.insert(
                    "pay_per_pa",
                    (Decimal::new(s.total_pay_pence, 2) / a.pas.total).round_dp(2),
                );
            }
            let h = history.get(&s.id);
            let proposed = h.and_then(|h| first_at(h, Status::Proposed));
            let signed = h.and_then(|h| last_at(h, Status::SignedOff));
            if let (Some(from), Some(to)) = (proposed, signed) {
                if to >= from {
                    values.insert("days_to_sign_off", Decimal::from((to - from).num_days()));
                }
            }
            Line {
                consultant_id: s.consultant_id.clone(),
                name: s.consultant_name.clone(),
                department: s.department.clone(),
                specialty: specialty.get(&s.department_id).cloned().unwrap_or_default(),
                sex: sex_group(staff.get(&s.consultant_id).and_then(|r| r.sex)),
                pattern: if a.pas.core_total < full_time_pas {
                    "Part-time"
                } else {
                    "Full-time"
                },
                values,
                disputed: h.is_some_and(|h| h.iter().any(|(st, _)| in_dispute(*st))),
            }
        })
        .collect();
    lines.sort_by(|a, b| (&a.department, &a.name).cmp(&(&b.department, &b.name)));

    let all: Vec<&Line> = lines.iter().collect();
    let group = |key: fn(&Line) -> &str| {
        let mut by: BTreeMap<&str, Vec<&Line>> = BTreeMap::new();
        for l in &lines {
            by.entry(key(l)).or_default().push(l);
        }
        by.into_iter()
            .map(|(name, ls)| figures(name, &ls))
            .collect::<Vec<_>>()
    };
    let trust = figures("The trust", &all);
    let mut outliers = Vec::new();
    for (m, _) in MEASURES {
        let Some(s) = trust.spreads.get(m) else {
            continue;
        };
        let fence = (s.q3 - s.q1) * Decimal::new(15, 1);
        let (low, high) = (s.q1 - fence, s.q3 + fence);
        for l in &lines {
            let Some(v) = l.values.get(m).copied() else {
                continue;
            };
            let side = if v < low {
                "low"
            } else if v > high {
                "high"
            } else {
                continue;
            };
            outliers.push(Outlier {
                measure: m.into(),
                consultant_id: l.consultant_id.clone(),
                name: l.name.clone(),
                department: l.department.clone(),
                value: v.normalize(),
                side: side.into(),
            });
        }
    }
    Ok(ConsistencyReport {
        departments: group(|l| l.department.as_str()),
        specialties: group(|l| l.specialty.as_str()),
        sexes: group(|l| l.sex),
        working_patterns: group(|l| l.pattern),
        trust,
        outliers,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use rust_decimal_macros::dec;

    /// Quartiles by interpolation between the nearest ranks: of 1, 2, 3, 4 the median is 2.5, the
    /// quartiles 1.75 and 3.25; one value is its own quartiles.
    #[test]
    fn quartiles() {
        let s = spread(vec![dec!(4), dec!(1), dec!(3), dec!(2)]).unwrap();
        assert_eq!((s.q1, s.median, s.q3), (dec!(1.75), dec!(2.5), dec!(3.25)));
        let one = spread(vec![dec!(7.5)]).unwrap();
        assert_eq!(
            (one.q1, one.median, one.q3, one.n),
            (dec!(7.5), dec!(7.5), dec!(7.5), 1)
        );
        assert_eq!(spread(vec![]), None);
        let odd = spread(vec![dec!(1), dec!(2), dec!(10)]).unwrap();
        assert_eq!(odd.median, dec!(2));
    }

    fn line(dept: &str, spa: Decimal, disputed: bool) -> Line {
        Line {
            consultant_id: format!("c-{spa}"),
            name: format!("Dr {spa}"),
            department: dept.into(),
            specialty: String::new(),
            sex: "Not recorded",
            pattern: "Full-time",
            values: HashMap::from([("spa", spa)]),
            disputed,
        }
    }

    /// A group of fewer than five shows no figures; five or more show spreads and the dispute rate.
    #[test]
    fn small_groups_are_suppressed() {
        let four: Vec<Line> = (1..=4)
            .map(|i| line("A", Decimal::from(i), i == 1))
            .collect();
        let f = figures("A", &four.iter().collect::<Vec<_>>());
        assert!(f.suppressed && f.spreads.is_empty() && f.dispute_percent.is_none());
        let five: Vec<Line> = (1..=5)
            .map(|i| line("A", Decimal::from(i), i == 1))
            .collect();
        let f = figures("A", &five.iter().collect::<Vec<_>>());
        assert!(!f.suppressed);
        assert_eq!(f.spreads["spa"].median, dec!(3));
        assert_eq!(f.dispute_percent.as_deref(), Some("20.0"));
    }
}
