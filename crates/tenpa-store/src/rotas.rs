//! On-call rotas with their members and category decisions over time (OC-7, OC-10). Every write
//! is audited in its transaction, with the members' plans' versions that follow it.

use crate::audit::{audit_reserve, audit_write};
use crate::records::plan_versions_in_tx;
use crate::versioned::versioned_update;
use crate::{now, on_pool, stored_date, Result, Scope, Store, StoreError};
use crate::{PlanOutcome, PlanVersions};
use chrono::NaiveDate;
use serde::Serialize;

/// A category decision for a rota, effective from a date (OC-7: decided prospectively by the
/// employer; a reduction has no protection).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct CategoryDecision {
    /// Id.
    pub id: i64,
    /// `a` or `b`.
    pub category: String,
    /// From when.
    pub effective_from: NaiveDate,
    /// Why.
    pub reason: String,
    /// Who decided.
    pub decided_by: String,
    /// When it was recorded.
    pub decided_at: String,
}

/// An on-call rota.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Rota {
    /// Id.
    pub id: i64,
    /// Department.
    pub department_id: i64,
    /// Name.
    pub name: String,
    /// Why the rota is as frequent as it is (OC-10, needed when 1 in 1 to 1 in 4).
    pub reason: String,
    /// The plan to make it less frequent (OC-10).
    pub action_plan: String,
    /// Version, for optimistic concurrency.
    pub version: i64,
    /// Consultant ids on the rota.
    pub members: Vec<String>,
    /// Category decisions, oldest effective date first.
    pub decisions: Vec<CategoryDecision>,
    /// Last change.
    pub updated_at: String,
}

/// A rota to create.
#[derive(Debug, Clone)]
pub struct NewRota {
    /// Department.
    pub department_id: i64,
    /// Name.
    pub name: String,
    /// Reason for a high frequency.
    pub reason: String,
    /// Action plan for a high frequency.
    pub action_plan: String,
    /// Consultant ids.
    pub members: Vec<String>,
    /// The first category decision: category, effective from, reason.
    pub category: (String, NaiveDate, String),
}

/// A change to a rota: the whole of its name, reason, action plan and members.
#[derive(Debug, Clone, Copy)]
pub struct RotaChange<'a> {
    /// Name.
    pub name: &'a str,
    /// Reason for a high frequency.
    pub reason: &'a str,
    /// Action plan for a high frequency.
    pub action_plan: &'a str,
    /// Consultant ids.
    pub members: &'a [String],
}

/// A rota as stored ([`ROTA_SELECT`]'s columns).
#[derive(sqlx::FromRow)]
struct RotaRow {
    id: i64,
    department_id: i64,
    name: String,
    reason: String,
    action_plan: String,
    version: i64,
    updated_at: String,
}

/// A category decision as stored.
#[derive(sqlx::FromRow)]
struct DecisionRow {
    id: i64,
    category: String,
    effective_from: String,
    reason: String,
    decided_by: String,
    decided_at: String,
}

impl DecisionRow {
    /// The decision, its date read as a date; one that does not read is an error naming it.
    fn decision(self, rota: i64) -> Result<CategoryDecision> {
        Ok(CategoryDecision {
            effective_from: stored_date(
                &format!("rota {rota}'s category decision {}", self.id),
                &self.effective_from,
            )?,
            id: self.id,
            category: self.category,
            reason: self.reason,
            decided_by: self.decided_by,
            decided_at: self.decided_at,
        })
    }
}

const ROTA_SELECT: &str = "SELECT r.id, r.department_id, r.name, r.reason, r.action_plan, r.version, r.updated_at FROM rotas r";

/// The rota as the audit log keeps it.
fn rota_json(r: &Rota) -> Option<String> {
    Some(serde_json::to_string(r).unwrap_or_default())
}

impl Store {
    /// Creates a rota with its members and first category decision, and in the same transaction
    /// adds the members' plans' versions that follow it (see [`Store::add_plan_versions`]).
    pub async fn create_rota(
        &self,
        actor: &str,
        new: &NewRota,
        plans: &[PlanVersions<'_>],
    ) -> Result<(i64, Vec<PlanOutcome>)> {
        let id = on_pool!(self, pool => {
            let mut tx = pool.begin().await?;
            let reserved = audit_reserve!(tx);
            let at = now();
            let id: i64 = sqlx::query_scalar("INSERT INTO rotas (department_id, name, reason, action_plan, version, created_by, created_at, updated_at) VALUES ($1, $2, $3, $4, 1, $5, $6, $6) RETURNING id")
                .bind(new.department_id).bind(&new.name).bind(&new.reason).bind(&new.action_plan).bind(actor).bind(&at)
                .fetch_one(&mut *tx).await?;
            for m in &new.members {
                sqlx::query("INSERT INTO rota_members (rota_id, consultant_id) VALUES ($1, $2)").bind(id).bind(m).execute(&mut *tx).await?;
            }
            let (category, from, reason) = &new.category;
            sqlx::query("INSERT INTO rota_category_decisions (rota_id, category, effective_from, reason, decided_by, decided_at) VALUES ($1, $2, $3, $4, $5, $6)")
                .bind(id).bind(category).bind(from.to_string()).bind(reason).bind(actor).bind(&at).execute(&mut *tx).await?;
            let after = serde_json::json!({
                "department_id": new.department_id, "name": new.name, "reason": new.reason,
                "action_plan": new.action_plan, "members": new.members,
                "category": category, "effective_from": from, "category_reason": reason,
            }).to_string();
            audit_write!(tx, reserved, actor, "create", "rota", &id.to_string(), None, Some(after));
            let outcomes = plan_versions_in_tx!(tx, actor, plans);
            tx.commit().await?;
            (id, outcomes)
        });
        Ok(id)
    }

    /// Rotas in scope (a consultant sees the rotas they are on), by department and name.
    pub async fn rotas(&self, scope: &Scope) -> Result<Vec<Rota>> {
        let (clause, dept, consultant) = match scope {
            Scope::All => ("", None, None),
            Scope::Department(d) => (" WHERE r.department_id = $1", Some(*d), None),
            Scope::Consultant(c) => (
                " WHERE EXISTS (SELECT 1 FROM rota_members m WHERE m.rota_id = r.id AND m.consultant_id = $1)",
                None,
                Some(c.clone()),
            ),
            Scope::Nothing => return Ok(vec![]),
        };
        let sql = format!("{ROTA_SELECT}{clause} ORDER BY r.department_id, r.name");
        let rows: Vec<RotaRow> = on_pool!(self, pool => {
            let mut q = sqlx::query_as::<_, RotaRow>(&sql);
            if let Some(d) = dept { q = q.bind(d); }
            if let Some(c) = consultant { q = q.bind(c); }
            q.fetch_all(pool).await?
        });
        let mut out = Vec::with_capacity(rows.len());
        for r in rows {
            out.push(self.rota_parts(r).await?);
        }
        Ok(out)
    }

    /// One rota.
    pub async fn rota(&self, id: i64) -> Result<Option<Rota>> {
        let row: Option<RotaRow> = on_pool!(self, pool => {
            sqlx::query_as(&format!("{ROTA_SELECT} WHERE r.id = $1")).bind(id).fetch_optional(pool).await?
        });
        match row {
            Some(r) => Ok(Some(self.rota_parts(r).await?)),
            None => Ok(None),
        }
    }

    async fn rota_parts(&self, r: RotaRow) -> Result<Rota> {
        let (members, decisions): (Vec<String>, Vec<DecisionRow>) = on_pool!(self, pool => {
            let m = sqlx::query_scalar("SELECT consultant_id FROM rota_members WHERE rota_id = $1 ORDER BY consultant_id").bind(r.id).fetch_all(pool).await?;
            let d = sqlx::query_as("SELECT id, category, effective_from, reason, decided_by, decided_at FROM rota_category_decisions WHERE rota_id = $1 ORDER BY effective_from, id").bind(r.id).fetch_all(pool).await?;
            (m, d)
        });
        Ok(Rota {
            decisions: decisions
                .into_iter()
                .map(|d| d.decision(r.id))
                .collect::<Result<_>>()?,
            id: r.id,
            department_id: r.department_id,
            name: r.name,
            reason: r.reason,
            action_plan: r.action_plan,
            version: r.version,
            members,
            updated_at: r.updated_at,
        })
    }

    /// Replaces a rota's name, reason, action plan and members if `expected` is still its version,
    /// and in the same transaction adds the plans' versions that follow it (see
    /// [`Store::add_plan_versions`]). Returns the new version and the plans' outcomes.
    pub async fn update_rota(
        &self,
        actor: &str,
        id: i64,
        expected: i64,
        change: RotaChange<'_>,
        plans: &[PlanVersions<'_>],
    ) -> Result<(i64, Vec<PlanOutcome>)> {
        let RotaChange {
            name,
            reason,
            action_plan,
            members,
        } = change;
        let before = self
            .rota(id)
            .await?
            .ok_or_else(|| StoreError::NotFound(format!("rota {id}")))?;
        on_pool!(self, pool => {
            let mut tx = pool.begin().await?;
            let reserved = audit_reserve!(tx);
            let at = now();
            versioned_update!(tx, sqlx::query("UPDATE rotas SET version = version + 1, name = $1, reason = $2, action_plan = $3, updated_at = $4 WHERE id = $5 AND version = $6")
                .bind(name).bind(reason).bind(action_plan).bind(&at).bind(id).bind(expected), "rotas", "rota", id, expected);
            sqlx::query("DELETE FROM rota_members WHERE rota_id = $1").bind(id).execute(&mut *tx).await?;
            for m in members {
                sqlx::query("INSERT INTO rota_members (rota_id, consultant_id) VALUES ($1, $2)").bind(id).bind(m).execute(&mut *tx).await?;
            }
            let mut after = before.clone();
            after.version = expected + 1;
            after.name = name.to_string();
            after.reason = reason.to_string();
            after.action_plan = action_plan.to_string();
            after.members = members.to_vec();
            after.members.sort();
            after.updated_at = at;
            audit_write!(tx, reserved, actor, "edit", "rota", &id.to_string(), rota_json(&before), rota_json(&after));
            let outcomes = plan_versions_in_tx!(tx, actor, plans);
            tx.commit().await?;
            Ok((expected + 1, outcomes))
        })
    }

    /// Records a category decision for a rota if `expected` is still its version, and in the same
    /// transaction adds the plans' versions that follow it (see [`Store::add_plan_versions`]).
    /// Returns the new version and the plans' outcomes.
    #[allow(clippy::too_many_arguments)]
    pub async fn add_rota_category_decision(
        &self,
        actor: &str,
        id: i64,
        expected: i64,
        category: &str,
        effective_from: NaiveDate,
        reason: &str,
        plans: &[PlanVersions<'_>],
    ) -> Result<(i64, Vec<PlanOutcome>)> {
        on_pool!(self, pool => {
            let mut tx = pool.begin().await?;
            let reserved = audit_reserve!(tx);
            let at = now();
            versioned_update!(tx, sqlx::query("UPDATE rotas SET version = version + 1, updated_at = $1 WHERE id = $2 AND version = $3")
                .bind(&at).bind(id).bind(expected), "rotas", "rota", id, expected);
            let did: i64 = sqlx::query_scalar("INSERT INTO rota_category_decisions (rota_id, category, effective_from, reason, decided_by, decided_at) VALUES ($1, $2, $3, $4, $5, $6) RETURNING id")
                .bind(id).bind(category).bind(effective_from.to_string()).bind(reason).bind(actor).bind(&at).fetch_one(&mut *tx).await?;
            let after = serde_json::json!({ "version": expected + 1, "decision": did, "category": category, "effective_from": effective_from, "reason": reason }).to_string();
            audit_write!(tx, reserved, actor, "category_decision", "rota", &id.to_string(), None, Some(after));
            let outcomes = plan_versions_in_tx!(tx, actor, plans);
            tx.commit().await?;
            Ok((expected + 1, outcomes))
        })
    }
}
