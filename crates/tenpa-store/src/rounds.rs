//! Job-planning rounds: opened once with a deadline for each department in them, their consultants
//! in scope fixed as the departments held them on opening; and each plan's states over time, from
//! which a round's progress and the time spent in each state are read.

use crate::audit::{audit_reserve, audit_write};
use crate::{now, on_pool, stored_date, Result, Store, StoreError};
use chrono::NaiveDate;
use serde::Serialize;

/// A round as stored.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct RoundRecord {
    /// Id.
    pub id: i64,
    /// Its title ("Job planning 2027/28").
    pub title: String,
    /// The day it opened (UK).
    pub opened_on: NaiveDate,
    /// When it was stored (RFC 3339, UTC).
    pub opened_at: String,
    /// Who opened it.
    pub opened_by: String,
}

/// A round with its departments' deadlines and its consultants.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Round {
    /// The round.
    pub record: RoundRecord,
    /// Each department in it and its deadline.
    pub deadlines: Vec<(i64, NaiveDate)>,
    /// Each consultant in scope and their department on opening.
    pub consultants: Vec<(String, i64)>,
}

/// A version's state and when it was made: one step of a plan's history.
#[derive(Debug, Clone, PartialEq, Eq, sqlx::FromRow)]
pub struct StateStep {
    /// The plan.
    pub job_plan_id: i64,
    /// The version.
    pub version: i64,
    /// The state after it.
    pub status: String,
    /// When (RFC 3339, UTC).
    pub created_at: String,
}

#[derive(sqlx::FromRow)]
struct RoundRow {
    id: i64,
    title: String,
    opened_on: String,
    opened_at: String,
    opened_by: String,
}

impl RoundRow {
    fn record(self) -> Result<RoundRecord> {
        Ok(RoundRecord {
            opened_on: stored_date(&format!("round {}'s opened_on", self.id), &self.opened_on)?,
            id: self.id,
            title: self.title,
            opened_at: self.opened_at,
            opened_by: self.opened_by,
        })
    }
}

#[derive(sqlx::FromRow)]
struct DeadlineRow {
    department_id: i64,
    deadline: String,
}

#[derive(sqlx::FromRow)]
struct MemberRow {
    consultant_id: String,
    department_id: i64,
}

const ROUND_COLS: &str = "id, title, opened_on, opened_at, opened_by";

impl Store {
    /// Opens a round on `opened_on` with a deadline for each of `deadlines`' departments, its
    /// consultants those the departments hold now; audited. [`StoreError::Invalid`] naming
    /// `title` when it is blank, `deadlines` when none is given, a department twice, or one that
    /// does not exist.
    pub async fn create_round(
        &self,
        actor: &str,
        title: &str,
        opened_on: NaiveDate,
        deadlines: &[(i64, NaiveDate)],
    ) -> Result<i64> {
        let title = title.trim();
        if title.is_empty() {
            return Err(StoreError::invalid("title", "a round needs a title"));
        }
        if deadlines.is_empty() {
            return Err(StoreError::invalid(
                "deadlines",
                "a round needs at least one department with its deadline",
            ));
        }
        let mut seen: Vec<i64> = deadlines.iter().map(|d| d.0).collect();
        seen.sort_unstable();
        if let Some(w) = seen.windows(2).find(|w| w[0] == w[1]) {
            return Err(StoreError::invalid(
                "deadlines",
                format!("department {} is given twice", w[0]),
            ));
        }
        let at = now();
        on_pool!(self, pool => {
            let mut tx = pool.begin().await?;
            for (d, _) in deadlines {
                let found: Option<i64> = sqlx::query_scalar("SELECT id FROM departments WHERE id = $1").bind(d).fetch_optional(&mut *tx).await?;
                if found.is_none() {
                    tx.rollback().await?;
                    return Err(StoreError::invalid("deadlines", format!("found department {d}, expected the id of a department")));
                }
            }
            let reserved = audit_reserve!(tx);
            let id: i64 = sqlx::query_scalar("INSERT INTO rounds (title, opened_on, opened_at, opened_by) VALUES ($1, $2, $3, $4) RETURNING id")
                .bind(title).bind(opened_on.to_string()).bind(&at).bind(actor)
                .fetch_one(&mut *tx).await?;
            let mut members = 0i64;
            for (d, deadline) in deadlines {
                sqlx::query("INSERT INTO round_departments (round_id, department_id, deadline) VALUES ($1, $2, $3)")
                    .bind(id).bind(d).bind(deadline.to_string()).execute(&mut *tx).await?;
                let r = sqlx::query("INSERT INTO round_consultants (round_id, consultant_id, department_id) SELECT $1, id, department_id FROM consultants WHERE department_id = $2")
                    .bind(id).bind(d).execute(&mut *tx).await?;
                members += i64::try_from(r.rows_affected()).unwrap_or(i64::MAX);
            }
            let after = serde_json::json!({
                "title": title,
                "opened_on": opened_on.to_string(),
                "deadlines": deadlines.iter().map(|(d, on)| serde_json::json!({ "department_id": d, "deadline": on.to_string() })).collect::<Vec<_>>(),
                "consultants": members,
            }).to_string();
            audit_write!(tx, reserved, actor, "open", "round", &id.to_string(), None, Some(after));
            tx.commit().await?;
            Ok(id)
        })
    }

    /// Every round, the latest first.
    pub async fn rounds(&self) -> Result<Vec<RoundRecord>> {
        let rows: Vec<RoundRow> = on_pool!(self, pool => {
            sqlx::query_as(&format!("SELECT {ROUND_COLS} FROM rounds ORDER BY id DESC")).fetch_all(pool).await?
        });
        rows.into_iter().map(RoundRow::record).collect()
    }

    /// One round with its deadlines and consultants.
    pub async fn round(&self, id: i64) -> Result<Option<Round>> {
        let (row, deadlines, members): (Option<RoundRow>, Vec<DeadlineRow>, Vec<MemberRow>) = on_pool!(self, pool => {
            let row = sqlx::query_as(&format!("SELECT {ROUND_COLS} FROM rounds WHERE id = $1")).bind(id).fetch_optional(pool).await?;
            let deadlines = sqlx::query_as("SELECT department_id, deadline FROM round_departments WHERE round_id = $1 ORDER BY department_id").bind(id).fetch_all(pool).await?;
            let members = sqlx::query_as("SELECT consultant_id, department_id FROM round_consultants WHERE round_id = $1 ORDER BY consultant_id").bind(id).fetch_all(pool).await?;
            (row, deadlines, members)
        });
        let Some(row) = row else { return Ok(None) };
        let record = row.record()?;
        let deadlines = deadlines
            .into_iter()
            .map(|d| {
                Ok((
                    d.department_id,
                    stored_date(&format!("round {id}'s deadline"), &d.deadline)?,
                ))
            })
            .collect::<Result<Vec<_>>>()?;
        Ok(Some(Round {
            record,
            deadlines,
            consultants: members
                .into_iter()
                .map(|m| (m.consultant_id, m.department_id))
                .collect(),
        }))
    }

    /// The rounds a consultant is in, with their department's deadline, the latest first.
    pub async fn rounds_of_consultant(
        &self,
        consultant_id: &str,
    ) -> Result<Vec<(RoundRecord, NaiveDate)>> {
        #[derive(sqlx::FromRow)]
        struct Row {
            id: i64,
            title: String,
            opened_on: String,
            opened_at: String,
            opened_by: String,
            deadline: String,
        }
        let rows: Vec<Row> = on_pool!(self, pool => {
            sqlx::query_as("SELECT r.id, r.title, r.opened_on, r.opened_at, r.opened_by, d.deadline FROM rounds r JOIN round_consultants c ON c.round_id = r.id JOIN round_departments d ON d.round_id = r.id AND d.department_id = c.department_id WHERE c.consultant_id = $1 ORDER BY r.id DESC")
                .bind(consultant_id).fetch_all(pool).await?
        });
        rows.into_iter()
            .map(|r| {
                let deadline = stored_date(&format!("round {}'s deadline", r.id), &r.deadline)?;
                let record = RoundRow {
                    id: r.id,
                    title: r.title,
                    opened_on: r.opened_on,
                    opened_at: r.opened_at,
                    opened_by: r.opened_by,
                }
                .record()?;
                Ok((record, deadline))
            })
            .collect()
    }

    /// Every version's state and time, of every plan, by plan in version order.
    pub async fn plan_state_steps(&self) -> Result<Vec<StateStep>> {
        on_pool!(self, pool => {
            Ok(sqlx::query_as("SELECT job_plan_id, version, status, created_at FROM job_plan_versions ORDER BY job_plan_id, version").fetch_all(pool).await?)
        })
    }

    /// As [`Store::plan_state_steps`], of one consultant's plans only.
    pub async fn plan_state_steps_of(&self, consultant_id: &str) -> Result<Vec<StateStep>> {
        on_pool!(self, pool => {
            Ok(sqlx::query_as("SELECT v.job_plan_id, v.version, v.status, v.created_at FROM job_plan_versions v JOIN job_plans p ON p.id = v.job_plan_id WHERE p.consultant_id = $1 ORDER BY v.job_plan_id, v.version")
                .bind(consultant_id).fetch_all(pool).await?)
        })
    }
}
