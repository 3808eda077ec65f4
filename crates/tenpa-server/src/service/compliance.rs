//! The job-plan sign-off measure (JP-1, read in [`tenpa_rules::job_planning::review`]): for the
//! trust, each department and each specialty, the share of consultants in post whose job plan was
//! signed off by both sides within the review interval, with the list behind every figure (who is
//! not signed off and why); and its monthly snapshots, stored once and never changed, each chained
//! to the one before by its hash so that a figure given to the board can be shown again exactly and
//! a changed snapshot is detected. Shared by the API, the compliance page and `tenpa snapshot`.

use crate::error::{ApiResult, AppError};
use crate::uk_time;
use chrono::NaiveDate;
use serde::{Deserialize, Serialize};
use std::collections::{BTreeMap, HashMap};
use tenpa_rules::job_planning::review::{self, Share, SignOff, Standing};
use tenpa_rules::job_planning::{Action, Status};
use tenpa_rules::Parameters;
use tenpa_store::{broken_links, JobPlanSummary, Scope, Snapshot, SnapshotRecord, Store, User};
use utoipa::ToSchema;

/// A share of consultants signed off.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
pub struct ShareView {
    /// Consultants counted (in post before the month).
    pub counted: u32,
    /// Of them, signed off within the interval.
    pub signed_off: u32,
    /// The share as a percentage with one decimal, rounded down (`"72.7"`); `"-"` when nobody is
    /// counted.
    pub percent: String,
}

impl From<Share> for ShareView {
    fn from(s: Share) -> ShareView {
        ShareView {
            counted: s.counted,
            signed_off: s.signed_off,
            percent: s.percent(),
        }
    }
}

/// The share of a department or a specialty.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
pub struct GroupShare {
    /// The department's id (none for a specialty).
    pub department_id: Option<i64>,
    /// The department's or specialty's name.
    pub name: String,
    /// Its share.
    #[serde(flatten)]
    pub share: ShareView,
}

/// A consultant's line on the measure: the list behind each figure.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
pub struct ConsultantStanding {
    /// The consultant record.
    pub consultant_id: String,
    /// Their name.
    pub name: String,
    /// Their department.
    pub department_id: i64,
    /// Its name.
    pub department: String,
    /// Its specialty.
    pub specialty: String,
    /// `signed_off`, `never_signed`, `expired`, `in_dispute` or `not_yet_counted`.
    pub standing: String,
    /// The last day any plan of theirs was signed off.
    #[schema(value_type = Option<String>, format = Date)]
    pub last_signed_off: Option<NaiveDate>,
    /// When their next review falls due (JP-1).
    #[schema(value_type = Option<String>, format = Date)]
    pub review_due: Option<NaiveDate>,
    /// Their current plan, if they have one.
    pub plan_id: Option<i64>,
}

impl ConsultantStanding {
    /// Whether they count towards the figures.
    pub fn counted(&self) -> bool {
        self.standing != "not_yet_counted"
    }

    /// Whether they count as signed off.
    pub fn signed_off(&self) -> bool {
        self.standing == "signed_off"
    }
}

/// The measure on a day: figures for the trust (or one department), its departments and its
/// specialties, and every consultant's line.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
pub struct ComplianceReport {
    /// The day the figures are of (UK).
    #[schema(value_type = String, format = Date)]
    pub on: NaiveDate,
    /// The review interval in months (JP-1, A 9.1).
    pub interval_months: u32,
    /// The one department the report is of, when it is of one.
    pub department_id: Option<i64>,
    /// The whole share (the trust's, or the department's).
    pub total: ShareView,
    /// By department, by name.
    pub departments: Vec<GroupShare>,
    /// By specialty, by name.
    pub specialties: Vec<GroupShare>,
    /// Every consultant, by department and name.
    pub consultants: Vec<ConsultantStanding>,
}

/// Whether `u` may read the measure of `department` (the trust's when none): the trust's report
/// readers for any, a clinical director for their own department.
pub fn may_read(u: &User, department: Option<i64>) -> bool {
    crate::policy::may_read_compliance(u, department)
}

/// The measure on `on`, of the trust or of one department, for `user`.
pub async fn report_for(
    store: &Store,
    params: &Parameters,
    user: &User,
    on: NaiveDate,
    department: Option<i64>,
) -> ApiResult<ComplianceReport> {
    if !may_read(user, department) {
        return Err(AppError::Forbidden(
            "the sign-off measure is read by the medical director, medical staffing and the chief executive, and by a clinical director for their department".into(),
        ));
    }
    if let Some(d) = department {
        if store.department(d).await?.is_none() {
            return Err(AppError::unprocessable_at(
                "department_id",
                format!("found {d}, expected the id of a department"),
            ));
        }
    }
    report(store, params, on, department).await
}

/// The measure on `on`, of the trust or of one department, unchecked: callers check who may read.
pub async fn report(
    store: &Store,
    params: &Parameters,
    on: NaiveDate,
    department: Option<i64>,
) -> ApiResult<ComplianceReport> {
    let interval_months = review_interval(params, on)?;
    let staff = store.staff_records().await?;
    let departments: HashMap<i64, tenpa_store::Department> = store
        .departments()
        .await?
        .into_iter()
        .map(|d| (d.id, d))
        .collect();
    let plans = store.job_plans(&Scope::All).await?;
    let current = current_plans(&plans);
    let sign_offs = sign_offs_by_consultant(store).await?;
    let mut annual: HashMap<String, Vec<NaiveDate>> = HashMap::new();
    for r in store.reviews(&Scope::All).await? {
        if r.kind == "annual" {
            annual
                .entry(r.consultant_id)
                .or_default()
                .push(r.year_ending);
        }
    }

    let mut lines = Vec::new();
    for (id, s) in &staff {
        if department.is_some_and(|d| d != s.department_id) {
            continue;
        }
        let theirs = sign_offs.get(id.as_str()).map(Vec::as_slice).unwrap_or(&[]);
        let last = theirs.iter().map(|s| s.on).max();
        let plan = current.get(id.as_str()).copied();
        let started = s.start_date.unwrap_or(s.first_appointed);
        let standing = review::standing(on, started, last, plan.map(|p| p.1), interval_months);
        let dept = departments.get(&s.department_id);
        let line = ConsultantStanding {
            consultant_id: id.clone(),
            name: s.name.clone(),
            department_id: s.department_id,
            department: dept.map(|d| d.name.clone()).unwrap_or_default(),
            specialty: dept.map(|d| d.specialty.clone()).unwrap_or_default(),
            standing: standing.as_str().into(),
            last_signed_off: standing.last_signed_off().or(last),
            review_due: review::review_due(
                theirs,
                annual.get(id).map(Vec::as_slice).unwrap_or(&[]),
                None,
                interval_months,
            ),
            plan_id: plan.map(|p| p.0),
        };
        lines.push((line, standing));
    }
    lines.sort_by(|(a, _), (b, _)| {
        (&a.department, &a.name, &a.consultant_id).cmp(&(&b.department, &b.name, &b.consultant_id))
    });
    Ok(figures(on, interval_months, department, lines))
}

/// The figures of `lines`.
fn figures(
    on: NaiveDate,
    interval_months: u32,
    department: Option<i64>,
    lines: Vec<(ConsultantStanding, Standing)>,
) -> ComplianceReport {
    let mut total = Share::default();
    let mut by_department: BTreeMap<(String, i64), Share> = BTreeMap::new();
    let mut by_specialty: BTreeMap<String, Share> = BTreeMap::new();
    for (c, s) in &lines {
        let s = *s;
        total.add(s);
        by_department
            .entry((c.department.clone(), c.department_id))
            .or_default()
            .add(s);
        by_specialty.entry(c.specialty.clone()).or_default().add(s);
    }
    ComplianceReport {
        on,
        interval_months,
        department_id: department,
        total: total.into(),
        departments: by_department
            .into_iter()
            .map(|((name, id), s)| GroupShare {
                department_id: Some(id),
                name,
                share: s.into(),
            })
            .collect(),
        specialties: by_specialty
            .into_iter()
            .map(|(name, s)| GroupShare {
                department_id: None,
                name,
                share: s.into(),
            })
            .collect(),
        consultants: lines.into_iter().map(|(c, _)| c).collect(),
    }
}

/// Each consultant's current plan (their latest, the highest id) with its state.
pub fn current_plans(plans: &[JobPlanSummary]) -> HashMap<&str, (i64, Status)> {
    let mut current: HashMap<&str, (i64, Status)> = HashMap::new();
    for p in plans {
        let e = current
            .entry(p.consultant_id.as_str())
            .or_insert((p.id, p.status));
        if p.id > e.0 {
            *e = (p.id, p.status);
        }
    }
    current
}

/// Every consultant's sign-offs, across their plans, with the UK day of each.
pub async fn sign_offs_by_consultant(store: &Store) -> ApiResult<HashMap<String, Vec<SignOff>>> {
    by_consultant(store.plan_sign_off_steps().await?)
}

/// One consultant's sign-offs, across their plans, with the UK day of each.
pub async fn sign_offs_of(store: &Store, consultant_id: &str) -> ApiResult<Vec<SignOff>> {
    Ok(
        by_consultant(store.plan_sign_off_steps_of(consultant_id).await?)?
            .remove(consultant_id)
            .unwrap_or_default(),
    )
}

/// The sign-offs of `steps`, by consultant.
fn by_consultant(steps: Vec<tenpa_store::PlanStep>) -> ApiResult<HashMap<String, Vec<SignOff>>> {
    let mut by_plan: BTreeMap<i64, (String, Vec<(Action, NaiveDate)>)> = BTreeMap::new();
    for s in steps {
        let action = match s.action.as_str() {
            "md_sign_off" => Action::MdSignOff,
            _ => Action::Reopen,
        };
        let day = uk_time::stored_local(&s.created_at)
            .map(|t| t.date())
            .ok_or_else(|| {
                AppError::Internal(format!(
                    "job plan {} version {}'s created_at {:?} is not a time",
                    s.job_plan_id, s.version, s.created_at
                ))
            })?;
        by_plan
            .entry(s.job_plan_id)
            .or_insert_with(|| (s.consultant_id.clone(), Vec::new()))
            .1
            .push((action, day));
    }
    let mut out: HashMap<String, Vec<SignOff>> = HashMap::new();
    for (_, (consultant, history)) in by_plan {
        out.entry(consultant)
            .or_default()
            .extend(review::sign_offs(history));
    }
    Ok(out)
}

// ---- Snapshots ----

/// A snapshot as listed: its record, its total and whether its link in the chain holds.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct SnapshotSummary {
    /// Id.
    pub id: i64,
    /// The month (`YYYY-MM`).
    pub month: String,
    /// The day the figures are of.
    pub taken_on: String,
    /// When it was stored (RFC 3339, UTC).
    pub taken_at: String,
    /// Who stored it.
    pub taken_by: String,
    /// Its hash (SHA-256 of the previous hash, a newline and its body).
    pub sha256: String,
    /// The previous snapshot's hash.
    pub previous_sha256: String,
    /// Whether its body matches its hash and its previous hash the snapshot before it.
    pub intact: bool,
    /// The trust's share as it was, when the body reads.
    pub total: Option<ShareView>,
}

/// A snapshot with its figures and list, as stored.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct SnapshotView {
    /// The record.
    #[serde(flatten)]
    pub summary: SnapshotSummary,
    /// The figures and the list, as they were (none when the stored body no longer reads).
    pub report: Option<ComplianceReport>,
}

/// The snapshots, the latest first, and whether the whole chain holds.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct SnapshotList {
    /// Whether every snapshot's body matches its hash and each links to the one before.
    pub chain_intact: bool,
    /// The snapshots, the latest month first.
    pub snapshots: Vec<SnapshotSummary>,
}

/// What taking a snapshot did.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct Taken {
    /// Whether it was stored now; else the month had one and this is it.
    pub made: bool,
    /// The snapshot.
    pub snapshot: SnapshotView,
}

fn may_snapshot(u: &User) -> ApiResult<()> {
    if crate::policy::may_take_snapshots(u) {
        Ok(())
    } else {
        Err(AppError::Forbidden(
            "snapshots of the sign-off measure are taken by the medical director and medical staffing".into(),
        ))
    }
}

fn may_read_snapshots(u: &User) -> ApiResult<()> {
    if crate::policy::may_read_compliance(u, None) {
        Ok(())
    } else {
        Err(AppError::Forbidden(
            "snapshots of the trust's sign-off measure are read by the medical director, medical staffing and the chief executive".into(),
        ))
    }
}

fn summary(s: &Snapshot, broken: &[i64]) -> (SnapshotSummary, Option<ComplianceReport>) {
    let report: Option<ComplianceReport> = serde_json::from_str(&s.body).ok();
    let total = report.as_ref().map(|x| x.total.clone());
    (listed(s, broken, total), report)
}

/// A snapshot's body as a list reads it: its total alone (the rest is skipped, not built).
#[derive(Deserialize)]
struct TotalOnly {
    total: ShareView,
}

/// A snapshot as listed, from its record, whether its link holds, and its total.
fn listed(s: &Snapshot, broken: &[i64], total: Option<ShareView>) -> SnapshotSummary {
    let r: &SnapshotRecord = &s.record;
    SnapshotSummary {
        id: r.id,
        month: r.month.clone(),
        taken_on: r.taken_on.clone(),
        taken_at: r.taken_at.clone(),
        taken_by: r.taken_by.clone(),
        sha256: r.sha256.clone(),
        previous_sha256: r.previous_sha256.clone(),
        intact: !broken.contains(&r.id) && total.is_some(),
        total,
    }
}

/// The snapshots with the chain checked.
pub async fn snapshots(store: &Store, user: &User) -> ApiResult<SnapshotList> {
    may_read_snapshots(user)?;
    let chain = store.compliance_chain().await?;
    let broken = broken_links(&chain);
    let mut snapshots: Vec<SnapshotSummary> = chain
        .iter()
        .map(|s| {
            let total = serde_json::from_str::<TotalOnly>(&s.body).ok();
            listed(s, &broken, total.map(|t| t.total))
        })
        .collect();
    snapshots.reverse();
    Ok(SnapshotList {
        chain_intact: broken.is_empty() && snapshots.iter().all(|s| s.intact),
        snapshots,
    })
}

/// One snapshot with its figures, its link in the chain checked. 404 when there is none.
pub async fn snapshot(store: &Store, user: &User, id: i64) -> ApiResult<SnapshotView> {
    may_read_snapshots(user)?;
    let chain = store.compliance_chain().await?;
    let broken = broken_links(&chain);
    let s = chain
        .iter()
        .find(|s| s.record.id == id)
        .ok_or_else(|| AppError::NotFound(format!("no compliance snapshot {id}")))?;
    let (summary, report) = summary(s, &broken);
    Ok(SnapshotView { summary, report })
}

/// Takes the trust's snapshot of the month of `on` as `user`: stored the first time (made), the
/// month's stored snapshot after.
pub async fn take(
    store: &Store,
    params: &Parameters,
    user: &User,
    on: NaiveDate,
) -> ApiResult<Taken> {
    may_snapshot(user)?;
    take_as(store, params, &user.username, on).await
}

/// [`take`] for an actor already allowed (`tenpa snapshot`, run by whoever runs the server).
pub async fn take_as(
    store: &Store,
    params: &Parameters,
    actor: &str,
    on: NaiveDate,
) -> ApiResult<Taken> {
    let month = on.format("%Y-%m").to_string();
    let existing = store
        .compliance_snapshots()
        .await?
        .into_iter()
        .find(|s| s.month == month);
    let Some(existing) = existing else {
        let r = report(store, params, on, None).await?;
        let body = serde_json::to_string(&r)
            .map_err(|e| AppError::Internal(format!("the snapshot's body: {e}")))?;
        let stored = store
            .create_compliance_snapshot(actor, &month, &on.to_string(), &body)
            .await
            .map_err(|e| match e {
                tenpa_store::StoreError::Refused(detail) => AppError::Conflict {
                    detail,
                    current_version: None,
                },
                other => other.into(),
            })?;
        // Stored just now, chained to the latest in the same transaction: its link holds, and
        // its body is the report in hand (the chain is not read again).
        let (summary, _) = summary(
            &Snapshot {
                record: stored,
                body,
            },
            &[],
        );
        return Ok(Taken {
            made: true,
            snapshot: SnapshotView {
                summary,
                report: Some(r),
            },
        });
    };
    let chain = store.compliance_chain().await?;
    let broken = broken_links(&chain);
    let s = chain
        .iter()
        .find(|s| s.record.id == existing.id)
        .ok_or_else(|| {
            AppError::Internal(format!("compliance snapshot {} went missing", existing.id))
        })?;
    let (summary, report) = summary(s, &broken);
    Ok(Taken {
        made: false,
        snapshot: SnapshotView { summary, report },
    })
}

/// JP-1's review interval in months in force on `on`.
pub fn review_interval(params: &Parameters, on: NaiveDate) -> ApiResult<u32> {
    params
        .review_interval_months
        .value(on)
        .copied()
        .map_err(|e| AppError::Internal(format!("the review interval on {on}: {e}")))
}

/// Today, UK time: the day of the measure by default.
pub fn today() -> NaiveDate {
    uk_time::today()
}
