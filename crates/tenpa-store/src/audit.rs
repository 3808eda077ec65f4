//! The append-only, hash-chained audit log.

use crate::{on_pool, Result, Store};
use serde::Serialize;
use sha2::{Digest, Sha256};

/// The hash of the chain's start.
pub const GENESIS: &str = "0000000000000000000000000000000000000000000000000000000000000000";

/// One audit entry.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, sqlx::FromRow)]
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
    #[sqlx(rename = "before_state")]
    pub before: Option<String>,
    /// The record after, as JSON text.
    #[sqlx(rename = "after_state")]
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

/// An audit entry's columns.
const ENTRY_COLS: &str =
    "id, at, actor, action, entity, entity_id, before_state, after_state, prev_hash, hash";

impl Store {
    /// The latest `limit` audit entries for a record kind and id, newest first.
    pub async fn audit_for(
        &self,
        entity: &str,
        entity_id: &str,
        limit: i64,
    ) -> Result<Vec<AuditEntry>> {
        on_pool!(self, pool => {
            Ok(sqlx::query_as(&format!("SELECT {ENTRY_COLS} FROM audit_log WHERE entity = $1 AND entity_id = $2 ORDER BY id DESC LIMIT $3"))
                .bind(entity).bind(entity_id).bind(limit).fetch_all(pool).await?)
        })
    }

    /// Checks the whole chain: each entry's hash, its link to the previous one, no gaps, and the head.
    pub async fn verify_audit(&self) -> Result<AuditReport> {
        let (rows, head): (Vec<AuditEntry>, (i64, String)) = on_pool!(self, pool => {
            let rows = sqlx::query_as(&format!("SELECT {ENTRY_COLS} FROM audit_log ORDER BY id")).fetch_all(pool).await?;
            let head = sqlx::query_as("SELECT seq, hash FROM audit_head WHERE id = 1").fetch_one(pool).await?;
            (rows, head)
        });
        let mut prev = GENESIS.to_string();
        let mut expected_id = 1;
        let n = rows.len() as i64;
        for e in rows {
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

/// A stored job plan version's document, as stored, and the figures stored beside it: what the
/// figures' check works out again.
#[derive(Debug, Clone, PartialEq, Eq, sqlx::FromRow)]
pub struct VersionFigures {
    /// The plan.
    pub job_plan_id: i64,
    /// The version.
    pub version: i64,
    /// Its document as stored (JSON text).
    pub document: String,
    /// Its total pay, pence.
    pub total_pay_pence: i64,
    /// Its superannuable pay, pence.
    pub superannuable_pence: i64,
}

/// The format tag of a checkpoint file.
pub const CHECKPOINT_FORMAT: &str = "tenpa-audit-checkpoint/1";

/// The audit log's head at a moment, keyed with an HMAC-SHA256 secret so that it cannot be made
/// without the key: kept away from the database, it proves later that the chain still holds the
/// entry with the same hash (nothing up to it was removed or rewritten).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, serde::Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Checkpoint {
    /// Always [`CHECKPOINT_FORMAT`].
    pub format: String,
    /// The head's position in the chain (0 for an empty log).
    pub seq: i64,
    /// The head entry's hash.
    pub hash: String,
    /// When the head entry was written (empty for an empty log).
    pub at: String,
    /// When the checkpoint was taken.
    pub taken_at: String,
    /// HMAC-SHA256 (hex) over the fields above.
    pub hmac_sha256: String,
}

type HmacSha256 = hmac::Hmac<Sha256>;

/// The HMAC over a checkpoint's fields, each length-prefixed.
fn checkpoint_mac(
    key: &[u8],
    format: &str,
    seq: i64,
    hash: &str,
    at: &str,
    taken_at: &str,
) -> HmacSha256 {
    use hmac::Mac;
    let mut mac = <HmacSha256 as Mac>::new_from_slice(key).expect("HMAC takes a key of any length");
    let seq = seq.to_string();
    for part in [format, seq.as_str(), hash, at, taken_at] {
        mac.update(&(part.len() as u64).to_be_bytes());
        mac.update(part.as_bytes());
    }
    mac
}

impl Checkpoint {
    /// A checkpoint of the head `(seq, hash, at)`, keyed with `key`.
    pub fn new(key: &[u8], seq: i64, hash: &str, at: &str) -> Checkpoint {
        use hmac::Mac;
        let taken_at = crate::now();
        let mac = checkpoint_mac(key, CHECKPOINT_FORMAT, seq, hash, at, &taken_at);
        Checkpoint {
            format: CHECKPOINT_FORMAT.into(),
            seq,
            hash: hash.into(),
            at: at.into(),
            hmac_sha256: hex::encode(mac.finalize().into_bytes()),
            taken_at,
        }
    }

    /// Whether the checkpoint was made with `key` and not altered since (compared in constant
    /// time).
    pub fn mac_ok(&self, key: &[u8]) -> bool {
        use hmac::Mac;
        let Ok(given) = hex::decode(&self.hmac_sha256) else {
            return false;
        };
        checkpoint_mac(
            key,
            &self.format,
            self.seq,
            &self.hash,
            &self.at,
            &self.taken_at,
        )
        .verify_slice(&given)
        .is_ok()
    }
}

impl Store {
    /// A checkpoint of the audit log's head now, keyed with `key`.
    pub async fn audit_checkpoint(&self, key: &[u8]) -> Result<Checkpoint> {
        let (seq, hash, at): (i64, String, Option<String>) = on_pool!(self, pool => {
            let (seq, hash): (i64, String) = sqlx::query_as("SELECT seq, hash FROM audit_head WHERE id = 1").fetch_one(pool).await?;
            let at: Option<String> = sqlx::query_scalar("SELECT at FROM audit_log WHERE id = $1").bind(seq).fetch_optional(pool).await?;
            (seq, hash, at)
        });
        Ok(Checkpoint::new(
            key,
            seq,
            &hash,
            at.as_deref().unwrap_or(""),
        ))
    }

    /// Whether the chain still holds the checkpoint's entry with the same hash and time: `None`
    /// when it does, else what is wrong. The checkpoint's HMAC is checked by the caller.
    pub async fn verify_checkpoint(&self, cp: &Checkpoint) -> Result<Option<String>> {
        if cp.seq == 0 {
            return Ok(None);
        }
        let row: Option<(String, String)> = on_pool!(self, pool => {
            sqlx::query_as("SELECT hash, at FROM audit_log WHERE id = $1").bind(cp.seq).fetch_optional(pool).await?
        });
        Ok(match row {
            None => Some(format!(
                "entry {} named by the checkpoint of {} is missing: entries were removed from the end of the log",
                cp.seq, cp.taken_at
            )),
            Some((hash, at)) if hash != cp.hash || at != cp.at => Some(format!(
                "entry {} does not have the hash the checkpoint of {} recorded: the log up to it was rewritten",
                cp.seq, cp.taken_at
            )),
            Some(_) => None,
        })
    }

    /// Every stored job plan version's document and stored figures, in order.
    pub async fn job_plan_version_figures(&self) -> Result<Vec<VersionFigures>> {
        on_pool!(self, pool => {
            Ok(sqlx::query_as("SELECT job_plan_id, version, document, total_pay_pence, superannuable_pence FROM job_plan_versions ORDER BY job_plan_id, version").fetch_all(pool).await?)
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_checkpoint_verifies_only_with_its_key_and_unaltered() {
        let key = b"0123456789abcdef0123456789abcdef";
        let cp = Checkpoint::new(key, 7, "ab", "2026-01-01T00:00:00.000Z");
        assert!(cp.mac_ok(key));
        assert!(!cp.mac_ok(b"0123456789abcdef0123456789abcdeX"));
        let mut moved = cp.clone();
        moved.seq = 6;
        assert!(!moved.mac_ok(key));
        let mut garbled = cp.clone();
        garbled.hmac_sha256 = "not hex".into();
        assert!(!garbled.mac_ok(key));
    }
}
