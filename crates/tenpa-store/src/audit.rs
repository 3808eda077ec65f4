//! The append-only, hash-chained audit log.

use crate::{on_pool, Result, Store};
use serde::Serialize;
use sha2::{Digest, Sha256};

/// The hash of the chain's start.
pub const GENESIS: &str = "0000000000000000000000000000000000000000000000000000000000000000";

/// One audit entry.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct AuditEntry {
    /// Position in the chain, from 1.
    pub id: i64,
    /// When, RFC 3339 UTC.
    pub at: String,
    /// Who (username, or `system`).
    pub actor: String,
    /// What was done (`create`, `edit`, `propose`, …).
    pub action: String,
    /// The kind of record (`job_plan`, `user`, …).
    pub entity: String,
    /// The record's id.
    pub entity_id: String,
    /// The record before, as JSON text.
    pub before: Option<String>,
    /// The record after, as JSON text.
    pub after: Option<String>,
    /// The previous entry's hash.
    pub prev_hash: String,
    /// This entry's hash.
    pub hash: String,
}

impl AuditEntry {
    /// The hash this entry should have: SHA-256 over the previous hash and every field, each
    /// length-prefixed so that no two entries share an encoding.
    pub fn expected_hash(&self) -> String {
        chain_hash(
            &self.prev_hash,
            self.id,
            &self.at,
            &self.actor,
            &self.action,
            &self.entity,
            &self.entity_id,
            self.before.as_deref(),
            self.after.as_deref(),
        )
    }
}

/// SHA-256 of the previous hash and an entry's fields.
#[allow(clippy::too_many_arguments)]
pub fn chain_hash(
    prev: &str,
    id: i64,
    at: &str,
    actor: &str,
    action: &str,
    entity: &str,
    entity_id: &str,
    before: Option<&str>,
    after: Option<&str>,
) -> String {
    let mut h = Sha256::new();
    let id = id.to_string();
    for part in [
        Some(prev),
        Some(id.as_str()),
        Some(at),
        Some(actor),
        Some(action),
        Some(entity),
        Some(entity_id),
        before,
        after,
    ] {
        match part {
            Some(p) => {
                h.update((p.len() as u64).to_be_bytes());
                h.update(p.as_bytes());
            }
            None => h.update(u64::MAX.to_be_bytes()),
        }
    }
    hex::encode(h.finalize())
}

/// The result of checking the chain.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct AuditReport {
    /// Entries checked.
    pub entries: i64,
    /// The first entry found broken, if any.
    pub first_broken: Option<i64>,
    /// Why it is broken.
    pub reason: Option<String>,
}

impl AuditReport {
    /// Whether the chain is intact.
    pub fn ok(&self) -> bool {
        self.first_broken.is_none()
    }
}

/// Reserves the next position in the chain: the first statement of every audited transaction, so
/// that audited writes are serialised (a row lock in PostgreSQL, the write lock in SQLite).
macro_rules! audit_reserve {
    ($tx:expr) => {{
        let row: (i64, String) =
            sqlx::query_as("UPDATE audit_head SET seq = seq + 1 WHERE id = 1 RETURNING seq, hash")
                .fetch_one(&mut *$tx)
                .await?;
        row
    }};
}
pub(crate) use audit_reserve;

/// Writes the entry reserved by `audit_reserve!` and moves the head.
macro_rules! audit_write {
    ($tx:expr, $reserved:expr, $actor:expr, $action:expr, $entity:expr, $entity_id:expr, $before:expr, $after:expr) => {{
        let (seq, prev): (i64, String) = $reserved;
        let at = $crate::now();
        let before: Option<String> = $before;
        let after: Option<String> = $after;
        let hash = $crate::audit::chain_hash(&prev, seq, &at, $actor, $action, $entity, $entity_id, before.as_deref(), after.as_deref());
        sqlx::query("INSERT INTO audit_log (id, at, actor, action, entity, entity_id, before_state, after_state, prev_hash, hash) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)")
            .bind(seq)
            .bind(&at)
            .bind($actor)
            .bind($action)
            .bind($entity)
            .bind($entity_id)
            .bind(&before)
            .bind(&after)
            .bind(&prev)
            .bind(&hash)
            .execute(&mut *$tx)
            .await?;
        sqlx::query("UPDATE audit_head SET hash = $1 WHERE id = 1").bind(&hash).execute(&mut *$tx).await?;
    }};
}
pub(crate) use audit_write;

type Row = (
    i64,
    String,
    String,
    String,
    String,
    String,
    Option<String>,
    Option<String>,
    String,
    String,
);

fn entry(r: Row) -> AuditEntry {
    AuditEntry {
        id: r.0,
        at: r.1,
        actor: r.2,
        action: r.3,
        entity: r.4,
        entity_id: r.5,
        before: r.6,
        after: r.7,
        prev_hash: r.8,
        hash: r.9,
    }
}

impl Store {
    /// The latest `limit` audit entries for a record kind and id, newest first.
    pub async fn audit_for(
        &self,
        entity: &str,
        entity_id: &str,
        limit: i64,
    ) -> Result<Vec<AuditEntry>> {
        on_pool!(self, pool => {
            let rows: Vec<Row> = sqlx::query_as("SELECT id, at, actor, action, entity, entity_id, before_state, after_state, prev_hash, hash FROM audit_log WHERE entity = $1 AND entity_id = $2 ORDER BY id DESC LIMIT $3")
                .bind(entity).bind(entity_id).bind(limit).fetch_all(pool).await?;
            Ok(rows.into_iter().map(entry).collect())
        })
    }

    /// Checks the whole chain: each entry's hash, its link to the previous one, no gaps, and the head.
    pub async fn verify_audit(&self) -> Result<AuditReport> {
        let (rows, head): (Vec<Row>, (i64, String)) = on_pool!(self, pool => {
            let rows = sqlx::query_as("SELECT id, at, actor, action, entity, entity_id, before_state, after_state, prev_hash, hash FROM audit_log ORDER BY id").fetch_all(pool).await?;
            let head = sqlx::query_as("SELECT seq, hash FROM audit_head WHERE id = 1").fetch_one(pool).await?;
            (rows, head)
        });
        let mut prev = GENESIS.to_string();
        let mut expected_id = 1;
        let n = rows.len() as i64;
        for r in rows {
            let e = entry(r);
            let broken = |reason: String| AuditReport {
                entries: n,
                first_broken: Some(e.id),
                reason: Some(reason),
            };
            if e.id != expected_id {
                return Ok(AuditReport {
                    entries: n,
                    first_broken: Some(expected_id),
                    reason: Some(format!(
                        "entry {expected_id} is missing (the next entry is {})",
                        e.id
                    )),
                });
            }
            if e.prev_hash != prev {
                return Ok(broken(
                    "its link to the previous entry does not match".into(),
                ));
            }
            if e.expected_hash() != e.hash {
                return Ok(broken(
                    "its content does not match its hash: it was edited".into(),
                ));
            }
            prev = e.hash;
            expected_id += 1;
        }
        if head.0 != expected_id - 1 || head.1 != prev {
            return Ok(AuditReport { entries: n, first_broken: Some(expected_id), reason: Some(format!("the chain ends at entry {} but {} were written: entries were removed from the end", expected_id - 1, head.0)) });
        }
        Ok(AuditReport {
            entries: n,
            first_broken: None,
            reason: None,
        })
    }
}
