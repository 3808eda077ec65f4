//! What the job-plan sign-off measure reads (each plan's sign-offs and reopenings, in order), and its
//! monthly snapshots: stored once a month, never changed, each hash covering its body and the
//! previous snapshot's hash so that a changed or removed snapshot is detected.

use crate::audit::{audit_reserve, audit_write};
use crate::{now, on_pool, Result, Store, StoreError};
use serde::Serialize;
use sha2::{Digest, Sha256};

/// A sign-off or reopening of a plan, as stored.
#[derive(Debug, Clone, PartialEq, Eq, sqlx::FromRow)]
pub struct PlanStep {
    /// The consultant whose plan it is.
    pub consultant_id: String,
    /// The plan.
    pub job_plan_id: i64,
    /// The version the step made.
    pub version: i64,
    /// `md_sign_off` or `reopen`.
    pub action: String,
    /// When (RFC 3339, UTC).
    pub created_at: String,
}

/// A snapshot as stored, without its body.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, sqlx::FromRow)]
pub struct SnapshotRecord {
    /// Id.
    pub id: i64,
    /// The month it is of (`YYYY-MM`).
    pub month: String,
    /// The day the figures are of (`YYYY-MM-DD`, UK).
    pub taken_on: String,
    /// When it was stored (RFC 3339, UTC).
    pub taken_at: String,
    /// Who stored it.
    pub taken_by: String,
    /// The previous snapshot's hash (64 zeros for the first).
    pub previous_sha256: String,
    /// SHA-256 of the previous hash, a newline and the body.
    pub sha256: String,
}

/// A snapshot with its body (the figures and the list, JSON).
#[derive(Debug, Clone, PartialEq, Eq, sqlx::FromRow)]
pub struct Snapshot {
    /// The record.
    #[sqlx(flatten)]
    pub record: SnapshotRecord,
    /// The body as stored.
    pub body: String,
}

/// The hash before the first snapshot.
pub const FIRST_PREVIOUS: &str = "0000000000000000000000000000000000000000000000000000000000000000";

/// A snapshot's hash: SHA-256 of the previous snapshot's hash, a newline and its body.
pub fn snapshot_hash(previous: &str, body: &str) -> String {
    let mut h = Sha256::new();
    h.update(previous.as_bytes());
    h.update(b"\n");
    h.update(body.as_bytes());
    hex::encode(h.finalize())
}

/// The ids of the snapshots whose stored hash or link does not match, walking the chain in order:
/// each one's body against its hash, and its previous hash against the one before it.
pub fn broken_links(chain: &[Snapshot]) -> Vec<i64> {
    let mut previous = FIRST_PREVIOUS.to_string();
    let mut broken = Vec::new();
    for s in chain {
        let r = &s.record;
        if r.previous_sha256 != previous || snapshot_hash(&r.previous_sha256, &s.body) != r.sha256 {
            broken.push(r.id);
        }
        previous = r.sha256.clone();
    }
    broken
}

const SNAPSHOT_COLS: &str = "id, month, taken_on, taken_at, taken_by, previous_sha256, sha256";

impl Store {
    /// Every sign-off (`md_sign_off`) and reopening of every plan, by plan in version order.
    pub async fn plan_sign_off_steps(&self) -> Result<Vec<PlanStep>> {
        on_pool!(self, pool => {
            Ok(sqlx::query_as("SELECT p.consultant_id, v.job_plan_id, v.version, v.action, v.created_at FROM job_plan_versions v JOIN job_plans p ON p.id = v.job_plan_id WHERE v.action IN ('md_sign_off', 'reopen') ORDER BY v.job_plan_id, v.version")
                .fetch_all(pool).await?)
        })
    }

    /// As [`Store::plan_sign_off_steps`], of one consultant's plans only.
    pub async fn plan_sign_off_steps_of(&self, consultant_id: &str) -> Result<Vec<PlanStep>> {
        on_pool!(self, pool => {
            Ok(sqlx::query_as("SELECT p.consultant_id, v.job_plan_id, v.version, v.action, v.created_at FROM job_plan_versions v JOIN job_plans p ON p.id = v.job_plan_id WHERE v.action IN ('md_sign_off', 'reopen') AND p.consultant_id = $1 ORDER BY v.job_plan_id, v.version")
                .bind(consultant_id).fetch_all(pool).await?)
        })
    }

    /// Every snapshot without its body, the latest month first.
    pub async fn compliance_snapshots(&self) -> Result<Vec<SnapshotRecord>> {
        on_pool!(self, pool => {
            Ok(sqlx::query_as(&format!("SELECT {SNAPSHOT_COLS} FROM compliance_snapshots ORDER BY id DESC")).fetch_all(pool).await?)
        })
    }

    /// Every snapshot with its body, in the order stored: the chain to verify.
    pub async fn compliance_chain(&self) -> Result<Vec<Snapshot>> {
        on_pool!(self, pool => {
            Ok(sqlx::query_as(&format!("SELECT {SNAPSHOT_COLS}, body FROM compliance_snapshots ORDER BY id")).fetch_all(pool).await?)
        })
    }

    /// One snapshot with its body.
    pub async fn compliance_snapshot(&self, id: i64) -> Result<Option<Snapshot>> {
        on_pool!(self, pool => {
            Ok(sqlx::query_as(&format!("SELECT {SNAPSHOT_COLS}, body FROM compliance_snapshots WHERE id = $1")).bind(id).fetch_optional(pool).await?)
        })
    }

    /// Stores the snapshot of `month`, taken on `taken_on`, chained to the latest, and audits it.
    /// Refused ([`StoreError::Refused`]) when the month has one already or a later month has one:
    /// one a month, in order.
    pub async fn create_compliance_snapshot(
        &self,
        actor: &str,
        month: &str,
        taken_on: &str,
        body: &str,
    ) -> Result<SnapshotRecord> {
        let at = now();
        on_pool!(self, pool => {
            let mut tx = pool.begin().await?;
            let latest: Option<(String, String)> = sqlx::query_as("SELECT month, sha256 FROM compliance_snapshots ORDER BY id DESC LIMIT 1").fetch_optional(&mut *tx).await?;
            if let Some((m, _)) = latest.as_ref().filter(|(m, _)| m.as_str() >= month) {
                tx.rollback().await?;
                return Err(StoreError::Refused(format!("one snapshot a month, in order: {m} has one already")));
            }
            let previous = latest.map_or_else(|| FIRST_PREVIOUS.to_string(), |(_, h)| h);
            let sha256 = snapshot_hash(&previous, body);
            let reserved = audit_reserve!(tx);
            let id: i64 = sqlx::query_scalar("INSERT INTO compliance_snapshots (month, taken_on, taken_at, taken_by, body, previous_sha256, sha256) VALUES ($1, $2, $3, $4, $5, $6, $7) RETURNING id")
                .bind(month).bind(taken_on).bind(&at).bind(actor).bind(body).bind(&previous).bind(&sha256)
                .fetch_one(&mut *tx).await?;
            let after = serde_json::json!({ "month": month, "taken_on": taken_on, "sha256": sha256 }).to_string();
            audit_write!(tx, reserved, actor, "snapshot", "compliance", month, None, Some(after));
            tx.commit().await?;
            Ok(SnapshotRecord { id, month: month.to_string(), taken_on: taken_on.to_string(), taken_at: at, taken_by: actor.to_string(), previous_sha256: previous, sha256 })
        })
    }
}
