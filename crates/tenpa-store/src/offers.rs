//! Extra-PA offers (PP-4, PP-5): the offer, the consultant's answer and any ending, each an
//! audited version.

use crate::audit::{audit_reserve, audit_write};
use crate::versioned::versioned_update;
use crate::{now, on_pool, stored_json, Result, Scope, Store, StoreError};
use serde::Serialize;

/// A recorded extra-PA offer (PP-4, PP-5): the offer as in the career document, as JSON.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct OfferRecord {
    /// Id.
    pub id: i64,
    /// Consultant.
    pub consultant_id: String,
    /// The consultant's department.
    pub department_id: i64,
    /// The offer's fields (`offered_on`, `starts_on`, `pas`, `basis`, …, `response`); without
    /// `response` the offer awaits the consultant's answer.
    pub offer: serde_json::Value,
    /// Version, for optimistic concurrency: 1 when recorded, one more for each change.
    pub version: i64,
    /// Who recorded it.
    pub created_by: String,
    /// When.
    pub created_at: String,
    /// When it last changed (empty before any change).
    pub updated_at: String,
}

/// An offer as stored ([`OFFER_SELECT`]'s columns).
#[derive(sqlx::FromRow)]
struct OfferRow {
    id: i64,
    consultant_id: String,
    department_id: i64,
    offer: String,
    version: i64,
    created_by: String,
    created_at: String,
    updated_at: String,
}

const OFFER_SELECT: &str = "SELECT x.id, x.consultant_id, c.department_id, x.offer, x.version, x.created_by, x.created_at, x.updated_at FROM extra_pa_offers x JOIN consultants c ON c.id = x.consultant_id";

/// The record; an offer that does not read as it was stored is an error naming it, never taken
/// for an empty one.
fn offer_record(r: OfferRow) -> Result<OfferRecord> {
    Ok(OfferRecord {
        offer: stored_json(&format!("extra-PA offer {}'s offer", r.id), &r.offer)?,
        id: r.id,
        consultant_id: r.consultant_id,
        department_id: r.department_id,
        version: r.version,
        created_by: r.created_by,
        created_at: r.created_at,
        updated_at: r.updated_at,
    })
}

impl Store {
    /// Records an extra-PA offer (its fields as JSON). Returns its id.
    pub async fn create_extra_pa_offer(
        &self,
        actor: &str,
        consultant_id: &str,
        offered_on: &str,
        offer: &serde_json::Value,
    ) -> Result<i64> {
        let text = offer.to_string();
        on_pool!(self, pool => {
            let mut tx = pool.begin().await?;
            let reserved = audit_reserve!(tx);
            let at = now();
            let id: i64 = sqlx::query_scalar("INSERT INTO extra_pa_offers (consultant_id, offered_on, offer, created_by, created_at) VALUES ($1, $2, $3, $4, $5) RETURNING id")
                .bind(consultant_id).bind(offered_on).bind(&text).bind(actor).bind(&at).fetch_one(&mut *tx).await?;
            let after = serde_json::json!({ "consultant_id": consultant_id, "offer": offer }).to_string();
            audit_write!(tx, reserved, actor, "create", "extra_pa_offer", &id.to_string(), None, Some(after));
            tx.commit().await?;
            Ok(id)
        })
    }

    /// Extra-PA offers in scope, optionally of one consultant, newest offer first.
    pub async fn extra_pa_offers(
        &self,
        scope: &Scope,
        consultant_id: Option<&str>,
    ) -> Result<Vec<OfferRecord>> {
        let Some((clause, dept, consultant)) = crate::consultant_scope(scope, "x.consultant_id")
        else {
            return Ok(vec![]);
        };
        let n = 1 + usize::from(dept.is_some() || consultant.is_some());
        let mut sql = format!("{OFFER_SELECT}{clause}");
        if consultant_id.is_some() {
            sql.push_str(&format!(" AND x.consultant_id = ${n}"));
        }
        sql.push_str(" ORDER BY x.offered_on DESC, x.id DESC");
        let rows: Vec<OfferRow> = on_pool!(self, pool => {
            let mut q = sqlx::query_as::<_, OfferRow>(&sql);
            if let Some(d) = dept { q = q.bind(d); }
            if let Some(c) = &consultant { q = q.bind(c.clone()); }
            if let Some(c) = consultant_id { q = q.bind(c.to_string()); }
            q.fetch_all(pool).await?
        });
        rows.into_iter().map(offer_record).collect()
    }

    /// One extra-PA offer.
    pub async fn extra_pa_offer(&self, id: i64) -> Result<Option<OfferRecord>> {
        let row: Option<OfferRow> = on_pool!(self, pool => {
            sqlx::query_as(&format!("{OFFER_SELECT} WHERE x.id = $1")).bind(id).fetch_optional(pool).await?
        });
        row.map(offer_record).transpose()
    }

    /// Replaces an offer's fields (a response or a termination, named by `action` in the audit
    /// log) if `expected` is still its version. Returns the new version.
    pub async fn update_extra_pa_offer(
        &self,
        actor: &str,
        id: i64,
        expected: i64,
        action: &str,
        offer: &serde_json::Value,
    ) -> Result<i64> {
        let before = self
            .extra_pa_offer(id)
            .await?
            .ok_or_else(|| StoreError::NotFound(format!("extra-PA offer {id}")))?;
        if before.version != expected {
            return Err(StoreError::Conflict {
                expected,
                current: before.version,
            });
        }
        let text = offer.to_string();
        on_pool!(self, pool => {
            let mut tx = pool.begin().await?;
            let reserved = audit_reserve!(tx);
            let at = now();
            versioned_update!(tx, sqlx::query("UPDATE extra_pa_offers SET version = version + 1, offer = $1, updated_at = $2 WHERE id = $3 AND version = $4")
                .bind(&text).bind(&at).bind(id).bind(expected), "extra_pa_offers", "extra-PA offer", id, expected);
            let before_json = serde_json::json!({ "version": before.version, "offer": before.offer }).to_string();
            let after_json = serde_json::json!({ "version": expected + 1, "offer": offer }).to_string();
            audit_write!(tx, reserved, actor, action, "extra_pa_offer", &id.to_string(), Some(before_json), Some(after_json));
            tx.commit().await?;
            Ok(expected + 1)
        })
    }
}
