//! Job plan reviews (the A 9.4 criteria) and pay progression cases with their steps (PP-3).

use crate::audit::{audit_reserve, audit_write};
use crate::versioned::versioned_update;
use crate::{now, on_pool, stored_date, stored_json, Result, Scope, Store, StoreError};
use chrono::NaiveDate;
use serde::{Deserialize, Serialize};
use tenpa_rules::job_planning::CaseStatus;
use tenpa_rules::plan::OutsideWork;

/// A job plan review.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Review {
    /// Id (0 before it is stored).
    #[serde(default)]
    pub id: i64,
    /// The consultant.
    pub consultant_id: String,
    /// `annual` or `interim`.
    pub kind: String,
    /// The anniversary that closes the year.
    pub year_ending: NaiveDate,
    /// Met the job plan's time and service commitments (A 9.4).
    pub met_time_and_service: bool,
    /// Met the personal objectives, or made every reasonable effort (A 9.4).
    pub met_objectives_or_reasonable_effort: bool,
    /// Took part in appraisal, job planning and objective setting (A 9.4).
    pub took_part_in_appraisal_and_job_planning: bool,
    /// Worked towards the service changes agreed at the last review (A 9.4).
    pub worked_towards_service_changes: bool,
    /// Remunerated clinical work outside the main NHS contract in the year (PP-4): `false` (none),
    /// `true` (of no named category) or a list of categories.
    #[serde(default)]
    pub outside_remunerated_work: OutsideWork,
    /// The categories of that work the employer exempts from PP-4 (F 6(e)).
    #[serde(default)]
    pub exempted_outside_work: Vec<String>,
    /// Whether the consultant first consulted the NHS employer before taking up that work (PP-4,
    /// F 6(c)); `None`: not recorded.
    #[serde(default)]
    pub outside_work_consulted: Option<bool>,
    /// A significant increase in the consultant's private practice in the year (PRV-1, F 6(f)).
    #[serde(default)]
    pub private_practice_increased: bool,
    /// Notes.
    #[serde(default)]
    pub notes: String,
    /// Who recorded it.
    #[serde(default)]
    pub created_by: String,
    /// When.
    #[serde(default)]
    pub created_at: String,
}

impl Review {
    /// Whether all four criteria are met.
    pub fn all_met(&self) -> bool {
        self.met_time_and_service
            && self.met_objectives_or_reasonable_effort
            && self.took_part_in_appraisal_and_job_planning
            && self.worked_towards_service_changes
    }
}

/// A pay progression case opened by an annual review.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Case {
    /// Id.
    pub id: i64,
    /// The consultant.
    pub consultant_id: String,
    /// The consultant's department.
    pub department_id: i64,
    /// The review behind it.
    pub review_id: i64,
    /// Where the case stands (PP-3).
    pub status: CaseStatus,
    /// The current outcome: `progress` or `defer`.
    pub outcome: Option<String>,
    /// Version.
    pub version: i64,
    /// Last change.
    pub updated_at: String,
}

/// A step to add to a case.
#[derive(Debug, Clone, Copy)]
pub struct NewStep<'a> {
    /// `recommend`, `decide`, `appeal`, `decide_appeal`, `close`.
    pub step: &'a str,
    /// State after it.
    pub status: CaseStatus,
    /// Outcome given, if any.
    pub outcome: Option<&'a str>,
    /// Reason given.
    pub reason: &'a str,
}

/// One step of a case.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Step {
    /// Version it made.
    pub version: i64,
    /// `report`, `recommend`, `decide`, `appeal`, `decide_appeal`, `close`.
    pub step: String,
    /// State after it.
    pub status: CaseStatus,
    /// Outcome given.
    pub outcome: Option<String>,
    /// Reason given.
    pub reason: String,
    /// Who.
    pub created_by: String,
    /// When.
    pub created_at: String,
}

/// A review as stored ([`REVIEW_COLS`]); the criteria are integers 0 and 1 on both databases.
#[derive(sqlx::FromRow)]
struct ReviewRow {
    id: i64,
    consultant_id: String,
    kind: String,
    year_ending: String,
    met_time_and_service: i64,
    met_objectives_or_reasonable_effort: i64,
    took_part_in_appraisal_and_job_planning: i64,
    worked_towards_service_changes: i64,
    notes: String,
    created_by: String,
    created_at: String,
    outside_remunerated_work: String,
    exempted_outside_work: String,
    outside_work_consulted: Option<i64>,
    private_practice_increased: i64,
}

/// A case's step as stored.
#[derive(sqlx::FromRow)]
struct StepRow {
    version: i64,
    step: String,
    status: String,
    outcome: Option<String>,
    reason: String,
    created_by: String,
    created_at: String,
}

/// A case as stored ([`CASE_SELECT`]'s columns).
#[derive(sqlx::FromRow)]
struct CaseRow {
    id: i64,
    consultant_id: String,
    department_id: i64,
    review_id: i64,
    status: String,
    outcome: Option<String>,
    version: i64,
    updated_at: String,
}

/// A review from its row: the date and the outside work as they were written by
/// [`Store::create_review`]; a column that does not read is an error naming the review, never
/// taken for none.
fn review(r: ReviewRow) -> Result<Review> {
    let what = |column: &str| format!("review {}'s {column}", r.id);
    Ok(Review {
        year_ending: stored_date(&what("year_ending"), &r.year_ending)?,
        outside_remunerated_work: stored_json(
            &what("outside_remunerated_work"),
            &r.outside_remunerated_work,
        )?,
        exempted_outside_work: stored_json(
            &what("exempted_outside_work"),
            &r.exempted_outside_work,
        )?,
        id: r.id,
        consultant_id: r.consultant_id,
        kind: r.kind,
        met_time_and_service: r.met_time_and_service != 0,
        met_objectives_or_reasonable_effort: r.met_objectives_or_reasonable_effort != 0,
        took_part_in_appraisal_and_job_planning: r.took_part_in_appraisal_and_job_planning != 0,
        worked_towards_service_changes: r.worked_towards_service_changes != 0,
        notes: r.notes,
        created_by: r.created_by,
        created_at: r.created_at,
        outside_work_consulted: r.outside_work_consulted.map(|v| v != 0),
        private_practice_increased: r.private_practice_increased != 0,
    })
}

/// A case from its row; a state the service does not know is an error, never taken for another.
fn case(r: CaseRow) -> Result<Case> {
    Ok(Case {
        status: case_status(&format!("progression case {}", r.id), &r.status)?,
        id: r.id,
        consultant_id: r.consultant_id,
        department_id: r.department_id,
        review_id: r.review_id,
        outcome: r.outcome,
        version: r.version,
        updated_at: r.updated_at,
    })
}

fn case_status(what: &str, stored: &str) -> Result<CaseStatus> {
    crate::stored_state(what, stored, CaseStatus::parse)
}

const REVIEW_COLS: &str = "r.id, r.consultant_id, r.kind, r.year_ending, r.met_time_and_service, r.met_objectives_or_reasonable_effort, r.took_part_in_appraisal_and_job_planning, r.worked_towards_service_changes, r.notes, r.created_by, r.created_at, r.outside_remunerated_work, r.exempted_outside_work, r.outside_work_consulted, r.private_practice_increased";
const CASE_SELECT: &str = "SELECT k.id, k.consultant_id, c.department_id, k.review_id, k.status, k.outcome, k.version, k.updated_at FROM progression_cases k JOIN consultants c ON c.id = k.consultant_id";

impl Store {
    /// Records a review; an annual review also opens a progression case with the manager's report.
    /// Returns (review id, case id).
    pub async fn create_review(&self, actor: &str, r: &Review) -> Result<(i64, Option<i64>)> {
        if !matches!(r.kind.as_str(), "annual" | "interim") {
            return Err(StoreError::invalid(
                "kind",
                format!("found \"{}\", expected \"annual\" or \"interim\"", r.kind),
            ));
        }
        let outside = serde_json::to_string(&r.outside_remunerated_work)
            .map_err(|e| StoreError::invalid("outside_remunerated_work", e.to_string()))?;
        let exempted = serde_json::to_string(&r.exempted_outside_work)
            .map_err(|e| StoreError::invalid("exempted_outside_work", e.to_string()))?;
        on_pool!(self, pool => {
            let mut tx = pool.begin().await?;
            let reserved = audit_reserve!(tx);
            let at = now();
            let id: i64 = sqlx::query_scalar("INSERT INTO reviews (consultant_id, kind, year_ending, met_time_and_service, met_objectives_or_reasonable_effort, took_part_in_appraisal_and_job_planning, worked_towards_service_changes, notes, created_by, created_at, outside_remunerated_work, exempted_outside_work, outside_work_consulted, private_practice_increased) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14) RETURNING id")
                .bind(&r.consultant_id).bind(&r.kind).bind(r.year_ending.to_string())
                .bind(i64::from(r.met_time_and_service)).bind(i64::from(r.met_objectives_or_reasonable_effort)).bind(i64::from(r.took_part_in_appraisal_and_job_planning)).bind(i64::from(r.worked_towards_service_changes))
                .bind(&r.notes).bind(actor).bind(&at).bind(&outside).bind(&exempted)
                .bind(r.outside_work_consulted.map(i64::from)).bind(i64::from(r.private_practice_increased))
                .fetch_one(&mut *tx).await?;
            let mut case_id = None;
            if r.kind == "annual" {
                let k: i64 = sqlx::query_scalar("INSERT INTO progression_cases (consultant_id, review_id, status, outcome, version, created_at, updated_at) VALUES ($1, $2, 'reported', NULL, 1, $3, $3) RETURNING id")
                    .bind(&r.consultant_id).bind(id).bind(&at).fetch_one(&mut *tx).await?;
                let reason = if r.all_met() { "all four A 9.4 criteria met".to_string() } else { "not all A 9.4 criteria met".to_string() };
                sqlx::query("INSERT INTO progression_steps (case_id, version, step, status, outcome, reason, created_by, created_at) VALUES ($1, 1, 'report', 'reported', NULL, $2, $3, $4)")
                    .bind(k).bind(&reason).bind(actor).bind(&at).execute(&mut *tx).await?;
                case_id = Some(k);
            }
            let mut stored = r.clone();
            stored.id = id;
            stored.created_by = actor.to_string();
            stored.created_at = at.clone();
            audit_write!(tx, reserved, actor, "create", "review", &id.to_string(), None, Some(serde_json::to_string(&stored).unwrap_or_default()));
            tx.commit().await?;
            Ok((id, case_id))
        })
    }

    /// Reviews in scope, newest first.
    pub async fn reviews(&self, scope: &Scope) -> Result<Vec<Review>> {
        let Some((clause, dept, consultant)) = crate::consultant_scope(scope, "r.consultant_id")
        else {
            return Ok(vec![]);
        };
        let sql = format!("SELECT {REVIEW_COLS} FROM reviews r JOIN consultants c ON c.id = r.consultant_id{clause} ORDER BY r.id DESC");
        on_pool!(self, pool => {
            let mut q = sqlx::query_as::<_, ReviewRow>(&sql);
            if let Some(d) = dept { q = q.bind(d); }
            if let Some(c) = consultant { q = q.bind(c); }
            q.fetch_all(pool).await?.into_iter().map(review).collect()
        })
    }

    /// One review.
    pub async fn review(&self, id: i64) -> Result<Option<Review>> {
        on_pool!(self, pool => {
            let r: Option<ReviewRow> = sqlx::query_as(&format!("SELECT {REVIEW_COLS} FROM reviews r WHERE r.id = $1")).bind(id).fetch_optional(pool).await?;
            r.map(review).transpose()
        })
    }

    /// Progression cases in scope, newest first.
    pub async fn progression_cases(&self, scope: &Scope) -> Result<Vec<Case>> {
        let Some((clause, dept, consultant)) = crate::consultant_scope(scope, "k.consultant_id")
        else {
            return Ok(vec![]);
        };
        let sql = format!("{CASE_SELECT}{clause} ORDER BY k.id DESC");
        on_pool!(self, pool => {
            let mut q = sqlx::query_as::<_, CaseRow>(&sql);
            if let Some(d) = dept { q = q.bind(d); }
            if let Some(c) = consultant { q = q.bind(c); }
            q.fetch_all(pool).await?.into_iter().map(case).collect()
        })
    }

    /// One case with its steps.
    pub async fn progression_case(&self, id: i64) -> Result<Option<(Case, Vec<Step>)>> {
        on_pool!(self, pool => {
            let r: Option<CaseRow> = sqlx::query_as(&format!("{CASE_SELECT} WHERE k.id = $1")).bind(id).fetch_optional(pool).await?;
            let Some(r) = r else { return Ok(None) };
            let steps: Vec<StepRow> = sqlx::query_as("SELECT version, step, status, outcome, reason, created_by, created_at FROM progression_steps WHERE case_id = $1 ORDER BY version").bind(id).fetch_all(pool).await?;
            let steps = steps
                .into_iter()
                .map(|s| {
                    Ok(Step {
                        status: case_status(&format!("progression case {id} version {}", s.version), &s.status)?,
                        version: s.version,
                        step: s.step,
                        outcome: s.outcome,
                        reason: s.reason,
                        created_by: s.created_by,
                        created_at: s.created_at,
                    })
                })
                .collect::<Result<Vec<_>>>()?;
            Ok(Some((case(r)?, steps)))
        })
    }

    /// Adds a step to a case if `expected` is still its version.
    pub async fn add_case_step(
        &self,
        actor: &str,
        id: i64,
        expected: i64,
        new: NewStep<'_>,
    ) -> Result<i64> {
        let NewStep {
            step,
            status,
            outcome,
            reason,
        } = new;
        on_pool!(self, pool => {
            let mut tx = pool.begin().await?;
            let reserved = audit_reserve!(tx);
            let at = now();
            versioned_update!(tx, sqlx::query("UPDATE progression_cases SET version = version + 1, status = $1, outcome = COALESCE($2, outcome), updated_at = $3 WHERE id = $4 AND version = $5")
                .bind(status.as_str()).bind(outcome).bind(&at).bind(id).bind(expected), "progression_cases", "progression case", id, expected);
            let version = expected + 1;
            sqlx::query("INSERT INTO progression_steps (case_id, version, step, status, outcome, reason, created_by, created_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8)")
                .bind(id).bind(version).bind(step).bind(status.as_str()).bind(outcome).bind(reason).bind(actor).bind(&at).execute(&mut *tx).await?;
            let after = serde_json::json!({ "version": version, "step": step, "status": status, "outcome": outcome, "reason": reason }).to_string();
            audit_write!(tx, reserved, actor, step, "progression_case", &id.to_string(), None, Some(after));
            tx.commit().await?;
            Ok(version)
        })
    }
}
