//! Registers kept beside the job plans: on-call rotas with their members and category decisions
//! over time (OC-7, OC-10), objectives under the A 7.2 headings with progress notes (JP-3), and
//! private practice disclosures (PRV-2). Every write is audited in its transaction.

use crate::audit::{audit_reserve, audit_write};
use crate::records::plan_versions_in_tx;
use crate::{now, on_pool, Result, Scope, Store, StoreError};
use crate::{PlanOutcome, PlanVersions};
use serde::Serialize;
use tenpa_rules::job_planning::{objective_agreed, ObjectiveSide};

/// A category decision for a rota, effective from a date (OC-7: decided prospectively by the
/// employer; a reduction has no protection).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct CategoryDecision {
    /// Id.
    pub id: i64,
    /// `a` or `b`.
    pub category: String,
    /// From when (YYYY-MM-DD).
    pub effective_from: String,
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
    pub category: (String, String, String),
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

/// An objective under one of the A 7.2 headings, with its progress notes and every version of its
/// text (JP-3: "appropriate, identified and agreed", A 7.3).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Objective {
    /// Id.
    pub id: i64,
    /// Consultant.
    pub consultant_id: String,
    /// The consultant's department.
    pub department_id: i64,
    /// The job plan year it belongs to.
    pub year: i64,
    /// One of the A 7.2 headings (the current version's).
    pub heading: String,
    /// The objective (the current version's text).
    pub text: String,
    /// Who set it (wrote version 1).
    pub created_by: String,
    /// When.
    pub created_at: String,
    /// Progress notes, oldest first.
    pub notes: Vec<ObjectiveNote>,
    /// `proposed` until both sides have agreed the current version, then `agreed`.
    pub state: String,
    /// The current version's number, for optimistic concurrency: an edit or an agreement names it.
    pub version: i64,
    /// Who agreed the current version, and when.
    #[serde(flatten)]
    pub agreement: ObjectiveAgreement,
    /// Every version, oldest first; the last is the current one.
    pub versions: Vec<ObjectiveVersion>,
}

/// One version of an objective's heading and text, with who agreed it (JP-3, A 7.3).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ObjectiveVersion {
    /// From 1.
    pub version: i64,
    /// One of the A 7.2 headings.
    pub heading: String,
    /// The objective.
    pub text: String,
    /// Who wrote this version.
    pub created_by: String,
    /// When.
    pub created_at: String,
    /// Who agreed this version, and when.
    #[serde(flatten)]
    pub agreement: ObjectiveAgreement,
}

/// Who agreed a version of an objective for each side, and when (JP-3).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct ObjectiveAgreement {
    /// Who agreed for the consultant.
    pub agreed_by_consultant: Option<String>,
    /// When.
    pub agreed_by_consultant_at: Option<String>,
    /// Who agreed for the manager (clinical director or medical director).
    pub agreed_by_manager: Option<String>,
    /// When.
    pub agreed_by_manager_at: Option<String>,
}

/// A progress note on an objective (A 7.5-7.7).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ObjectiveNote {
    /// Id.
    pub id: i64,
    /// The note.
    pub note: String,
    /// Whether it records factors outside the consultant's control (A 7.6).
    pub outside_control: bool,
    /// Who.
    pub created_by: String,
    /// When.
    pub created_at: String,
}

/// A private practice disclosure (PRV-2, D 3.6-3.7).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Disclosure {
    /// Id.
    pub id: i64,
    /// Consultant.
    pub consultant_id: String,
    /// The consultant's department.
    pub department_id: i64,
    /// Date of the disclosure (YYYY-MM-DD).
    pub disclosed_on: String,
    /// The private commitments disclosed.
    pub commitments: String,
    /// Who recorded it.
    pub created_by: String,
    /// When.
    pub created_at: String,
}

/// The current plan of a consultant, for a pay bill: total pay in pence and the assessment.
#[derive(Debug, Clone)]
pub struct CurrentPay {
    /// Consultant.
    pub consultant_id: String,
    /// Total pay of the plan's current version, pence.
    pub total_pay_pence: i64,
    /// The version's assessment, as JSON text.
    pub assessment: String,
}

type RotaRow = (i64, i64, String, String, String, i64, String);
type DecisionRow = (i64, String, String, String, String, String);
type ObjectiveRow = (
    i64,
    String,
    i64,
    i64,
    String,
    String,
    String,
    String,
    String,
    i64,
);
type ObjectiveVersionRow = (
    i64,
    String,
    String,
    String,
    String,
    Option<String>,
    Option<String>,
    Option<String>,
    Option<String>,
);
type NoteRow = (i64, String, i64, String, String);
type DisclosureRow = (i64, String, i64, String, String, String, String);

const ROTA_SELECT: &str = "SELECT r.id, r.department_id, r.name, r.reason, r.action_plan, r.version, r.updated_at FROM rotas r";
const OBJECTIVE_SELECT: &str = "SELECT o.id, o.consultant_id, c.department_id, o.year, o.heading, o.text, o.created_by, o.created_at, o.state, o.version FROM objectives o JOIN consultants c ON c.id = o.consultant_id";
const DISCLOSURE_SELECT: &str = "SELECT d.id, d.consultant_id, c.department_id, d.disclosed_on, d.commitments, d.created_by, d.created_at FROM private_practice_disclosures d JOIN consultants c ON c.id = d.consultant_id";

/// A WHERE clause for a scope over records of consultants (`c` the consultants table), with its
/// one parameter; `None` when the scope sees nothing.
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
                .bind(id).bind(category).bind(from).bind(reason).bind(actor).bind(&at).execute(&mut *tx).await?;
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
            let m = sqlx::query_scalar("SELECT consultant_id FROM rota_members WHERE rota_id = $1 ORDER BY consultant_id").bind(r.0).fetch_all(pool).await?;
            let d = sqlx::query_as("SELECT id, category, effective_from, reason, decided_by, decided_at FROM rota_category_decisions WHERE rota_id = $1 ORDER BY effective_from, id").bind(r.0).fetch_all(pool).await?;
            (m, d)
        });
        Ok(Rota {
            id: r.0,
            department_id: r.1,
            name: r.2,
            reason: r.3,
            action_plan: r.4,
            version: r.5,
            members,
            decisions: decisions
                .into_iter()
                .map(|d| CategoryDecision {
                    id: d.0,
                    category: d.1,
                    effective_from: d.2,
                    reason: d.3,
                    decided_by: d.4,
                    decided_at: d.5,
                })
                .collect(),
            updated_at: r.6,
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
            let updated = sqlx::query("UPDATE rotas SET version = version + 1, name = $1, reason = $2, action_plan = $3, updated_at = $4 WHERE id = $5 AND version = $6")
                .bind(name).bind(reason).bind(action_plan).bind(&at).bind(id).bind(expected).execute(&mut *tx).await?;
            if updated.rows_affected() == 0 {
                let current: Option<i64> = sqlx::query_scalar("SELECT version FROM rotas WHERE id = $1").bind(id).fetch_optional(&mut *tx).await?;
                tx.rollback().await?;
                return Err(match current {
                    Some(current) => StoreError::Conflict { expected, current },
                    None => StoreError::NotFound(format!("rota {id}")),
                });
            }
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
        effective_from: &str,
        reason: &str,
        plans: &[PlanVersions<'_>],
    ) -> Result<(i64, Vec<PlanOutcome>)> {
        on_pool!(self, pool => {
            let mut tx = pool.begin().await?;
            let reserved = audit_reserve!(tx);
            let at = now();
            let updated = sqlx::query("UPDATE rotas SET version = version + 1, updated_at = $1 WHERE id = $2 AND version = $3")
                .bind(&at).bind(id).bind(expected).execute(&mut *tx).await?;
            if updated.rows_affected() == 0 {
                let current: Option<i64> = sqlx::query_scalar("SELECT version FROM rotas WHERE id = $1").bind(id).fetch_optional(&mut *tx).await?;
                tx.rollback().await?;
                return Err(match current {
                    Some(current) => StoreError::Conflict { expected, current },
                    None => StoreError::NotFound(format!("rota {id}")),
                });
            }
            let did: i64 = sqlx::query_scalar("INSERT INTO rota_category_decisions (rota_id, category, effective_from, reason, decided_by, decided_at) VALUES ($1, $2, $3, $4, $5, $6) RETURNING id")
                .bind(id).bind(category).bind(effective_from).bind(reason).bind(actor).bind(&at).fetch_one(&mut *tx).await?;
            let after = serde_json::json!({ "version": expected + 1, "decision": did, "category": category, "effective_from": effective_from, "reason": reason }).to_string();
            audit_write!(tx, reserved, actor, "category_decision", "rota", &id.to_string(), None, Some(after));
            let outcomes = plan_versions_in_tx!(tx, actor, plans);
            tx.commit().await?;
            Ok((expected + 1, outcomes))
        })
    }

    /// The current version of each consultant's latest job plan: its total pay and assessment.
    pub async fn current_pay(&self) -> Result<Vec<CurrentPay>> {
        let rows: Vec<(String, i64, String)> = on_pool!(self, pool => {
            sqlx::query_as("SELECT p.consultant_id, v.total_pay_pence, v.assessment FROM job_plans p JOIN job_plan_versions v ON v.job_plan_id = p.id AND v.version = p.version WHERE p.id = (SELECT MAX(q.id) FROM job_plans q WHERE q.consultant_id = p.consultant_id) ORDER BY p.consultant_id")
                .fetch_all(pool).await?
        });
        Ok(rows
            .into_iter()
            .map(|r| CurrentPay {
                consultant_id: r.0,
                total_pay_pence: r.1,
                assessment: r.2,
            })
            .collect())
    }

    /// Records an objective. Returns its id.
    pub async fn create_objective(
        &self,
        actor: &str,
        consultant_id: &str,
        year: i64,
        heading: &str,
        text: &str,
    ) -> Result<i64> {
        on_pool!(self, pool => {
            let mut tx = pool.begin().await?;
            let reserved = audit_reserve!(tx);
            let at = now();
            let id: i64 = sqlx::query_scalar("INSERT INTO objectives (consultant_id, year, heading, text, created_by, created_at) VALUES ($1, $2, $3, $4, $5, $6) RETURNING id")
                .bind(consultant_id).bind(year).bind(heading).bind(text).bind(actor).bind(&at).fetch_one(&mut *tx).await?;
            sqlx::query("INSERT INTO objective_versions (objective_id, version, heading, text, created_by, created_at) VALUES ($1, 1, $2, $3, $4, $5)")
                .bind(id).bind(heading).bind(text).bind(actor).bind(&at).execute(&mut *tx).await?;
            let after = serde_json::json!({ "consultant_id": consultant_id, "year": year, "heading": heading, "text": text, "version": 1, "state": "proposed" }).to_string();
            audit_write!(tx, reserved, actor, "create", "objective", &id.to_string(), None, Some(after));
            tx.commit().await?;
            Ok(id)
        })
    }

    /// Replaces an objective's heading and text with a new version if `expected` is still its
    /// version; the new version is `proposed` until both sides agree it (JP-3). Earlier versions are
    /// kept. Returns the new version.
    pub async fn edit_objective(
        &self,
        actor: &str,
        id: i64,
        expected: i64,
        heading: &str,
        text: &str,
    ) -> Result<i64> {
        let before = self
            .objective(id)
            .await?
            .ok_or_else(|| StoreError::NotFound(format!("objective {id}")))?;
        on_pool!(self, pool => {
            let mut tx = pool.begin().await?;
            let reserved = audit_reserve!(tx);
            let at = now();
            let updated = sqlx::query("UPDATE objectives SET version = version + 1, heading = $1, text = $2, state = 'proposed' WHERE id = $3 AND version = $4")
                .bind(heading).bind(text).bind(id).bind(expected).execute(&mut *tx).await?;
            if updated.rows_affected() == 0 {
                let current: Option<i64> = sqlx::query_scalar("SELECT version FROM objectives WHERE id = $1").bind(id).fetch_optional(&mut *tx).await?;
                tx.rollback().await?;
                return Err(match current {
                    Some(current) => StoreError::Conflict { expected, current },
                    None => StoreError::NotFound(format!("objective {id}")),
                });
            }
            sqlx::query("INSERT INTO objective_versions (objective_id, version, heading, text, created_by, created_at) VALUES ($1, $2, $3, $4, $5, $6)")
                .bind(id).bind(expected + 1).bind(heading).bind(text).bind(actor).bind(&at).execute(&mut *tx).await?;
            let before_json = serde_json::json!({ "version": before.version, "state": before.state, "heading": before.heading, "text": before.text }).to_string();
            let after = serde_json::json!({ "version": expected + 1, "state": "proposed", "heading": heading, "text": text }).to_string();
            audit_write!(tx, reserved, actor, "edit", "objective", &id.to_string(), Some(before_json), Some(after));
            tx.commit().await?;
            Ok(expected + 1)
        })
    }

    /// Records `actor`'s agreement to version `expected` of an objective for `side`, if it is still
    /// the current version and that side has not agreed it yet (otherwise a conflict naming the
    /// current version). When both sides have agreed, the objective is `agreed`. Returns its state.
    pub async fn agree_objective(
        &self,
        actor: &str,
        id: i64,
        expected: i64,
        side: ObjectiveSide,
    ) -> Result<String> {
        let (by, at_col) = match side {
            ObjectiveSide::Consultant => ("agreed_by_consultant", "agreed_by_consultant_at"),
            ObjectiveSide::Manager => ("agreed_by_manager", "agreed_by_manager_at"),
        };
        let side_name = match side {
            ObjectiveSide::Consultant => "consultant",
            ObjectiveSide::Manager => "manager",
        };
        let sql = format!("UPDATE objective_versions SET {by} = $1, {at_col} = $2 WHERE objective_id = $3 AND version = $4 AND {by} IS NULL AND version = (SELECT o.version FROM objectives o WHERE o.id = $3)");
        on_pool!(self, pool => {
            let mut tx = pool.begin().await?;
            let reserved = audit_reserve!(tx);
            let at = now();
            let updated = sqlx::query(&sql).bind(actor).bind(&at).bind(id).bind(expected).execute(&mut *tx).await?;
            if updated.rows_affected() == 0 {
                let current: Option<i64> = sqlx::query_scalar("SELECT version FROM objectives WHERE id = $1").bind(id).fetch_optional(&mut *tx).await?;
                tx.rollback().await?;
                return Err(match current {
                    Some(current) => StoreError::Conflict { expected, current },
                    None => StoreError::NotFound(format!("objective {id}")),
                });
            }
            let both: Option<(Option<String>, Option<String>)> = sqlx::query_as("SELECT agreed_by_consultant, agreed_by_manager FROM objective_versions WHERE objective_id = $1 AND version = $2")
                .bind(id).bind(expected).fetch_optional(&mut *tx).await?;
            let state = match both {
                Some((c, m)) if objective_agreed(c.is_some(), m.is_some()) => "agreed",
                _ => "proposed",
            };
            sqlx::query("UPDATE objectives SET state = $1 WHERE id = $2").bind(state).bind(id).execute(&mut *tx).await?;
            let after = serde_json::json!({ "version": expected, "side": side_name, "state": state }).to_string();
            audit_write!(tx, reserved, actor, "agree", "objective", &id.to_string(), None, Some(after));
            tx.commit().await?;
            Ok(state.to_string())
        })
    }

    /// Appends a progress note to an objective. Returns the note's id.
    pub async fn add_objective_note(
        &self,
        actor: &str,
        objective_id: i64,
        note: &str,
        outside_control: bool,
    ) -> Result<i64> {
        on_pool!(self, pool => {
            let mut tx = pool.begin().await?;
            let reserved = audit_reserve!(tx);
            let at = now();
            let id: i64 = sqlx::query_scalar("INSERT INTO objective_notes (objective_id, note, outside_control, created_by, created_at) VALUES ($1, $2, $3, $4, $5) RETURNING id")
                .bind(objective_id).bind(note).bind(i64::from(outside_control)).bind(actor).bind(&at).fetch_one(&mut *tx).await?;
            let after = serde_json::json!({ "note_id": id, "note": note, "outside_control": outside_control }).to_string();
            audit_write!(tx, reserved, actor, "add_note", "objective", &objective_id.to_string(), None, Some(after));
            tx.commit().await?;
            Ok(id)
        })
    }

    /// Objectives in scope, optionally of one consultant and year, with their notes.
    pub async fn objectives(
        &self,
        scope: &Scope,
        consultant_id: Option<&str>,
        year: Option<i64>,
    ) -> Result<Vec<Objective>> {
        let Some((clause, dept, consultant)) = crate::consultant_scope(scope, "o.consultant_id")
        else {
            return Ok(vec![]);
        };
        let n = 1 + usize::from(dept.is_some() || consultant.is_some());
        let mut sql = format!("{OBJECTIVE_SELECT}{clause}");
        if consultant_id.is_some() {
            sql.push_str(&format!(" AND o.consultant_id = ${n}"));
        }
        if year.is_some() {
            let k = n + usize::from(consultant_id.is_some());
            sql.push_str(&format!(" AND o.year = ${k}"));
        }
        sql.push_str(" ORDER BY o.consultant_id, o.year, o.heading, o.id");
        let rows: Vec<ObjectiveRow> = on_pool!(self, pool => {
            let mut q = sqlx::query_as::<_, ObjectiveRow>(&sql);
            if let Some(d) = dept { q = q.bind(d); }
            if let Some(c) = &consultant { q = q.bind(c.clone()); }
            if let Some(c) = consultant_id { q = q.bind(c.to_string()); }
            if let Some(y) = year { q = q.bind(y); }
            q.fetch_all(pool).await?
        });
        let mut out = Vec::with_capacity(rows.len());
        for r in rows {
            out.push(self.objective_parts(r).await?);
        }
        Ok(out)
    }

    /// One objective with its notes.
    pub async fn objective(&self, id: i64) -> Result<Option<Objective>> {
        let row: Option<ObjectiveRow> = on_pool!(self, pool => {
            sqlx::query_as(&format!("{OBJECTIVE_SELECT} WHERE o.id = $1")).bind(id).fetch_optional(pool).await?
        });
        match row {
            Some(r) => Ok(Some(self.objective_parts(r).await?)),
            None => Ok(None),
        }
    }

    async fn objective_parts(&self, r: ObjectiveRow) -> Result<Objective> {
        let (notes, versions): (Vec<NoteRow>, Vec<ObjectiveVersionRow>) = on_pool!(self, pool => {
            let n = sqlx::query_as("SELECT id, note, outside_control, created_by, created_at FROM objective_notes WHERE objective_id = $1 ORDER BY id").bind(r.0).fetch_all(pool).await?;
            let v = sqlx::query_as("SELECT version, heading, text, created_by, created_at, agreed_by_consultant, agreed_by_consultant_at, agreed_by_manager, agreed_by_manager_at FROM objective_versions WHERE objective_id = $1 ORDER BY version").bind(r.0).fetch_all(pool).await?;
            (n, v)
        });
        let versions: Vec<ObjectiveVersion> = versions
            .into_iter()
            .map(|v| ObjectiveVersion {
                version: v.0,
                heading: v.1,
                text: v.2,
                created_by: v.3,
                created_at: v.4,
                agreement: ObjectiveAgreement {
                    agreed_by_consultant: v.5,
                    agreed_by_consultant_at: v.6,
                    agreed_by_manager: v.7,
                    agreed_by_manager_at: v.8,
                },
            })
            .collect();
        let current = versions.iter().find(|v| v.version == r.9).cloned();
        Ok(Objective {
            state: r.8,
            version: r.9,
            agreement: current.map(|v| v.agreement).unwrap_or_default(),
            versions,
            id: r.0,
            consultant_id: r.1,
            department_id: r.2,
            year: r.3,
            heading: r.4,
            text: r.5,
            created_by: r.6,
            created_at: r.7,
            notes: notes
                .into_iter()
                .map(|n| ObjectiveNote {
                    id: n.0,
                    note: n.1,
                    outside_control: n.2 != 0,
                    created_by: n.3,
                    created_at: n.4,
                })
                .collect(),
        })
    }

    /// Records a private practice disclosure. Returns its id.
    pub async fn create_disclosure(
        &self,
        actor: &str,
        consultant_id: &str,
        disclosed_on: &str,
        commitments: &str,
    ) -> Result<i64> {
        on_pool!(self, pool => {
            let mut tx = pool.begin().await?;
            let reserved = audit_reserve!(tx);
            let at = now();
            let id: i64 = sqlx::query_scalar("INSERT INTO private_practice_disclosures (consultant_id, disclosed_on, commitments, created_by, created_at) VALUES ($1, $2, $3, $4, $5) RETURNING id")
                .bind(consultant_id).bind(disclosed_on).bind(commitments).bind(actor).bind(&at).fetch_one(&mut *tx).await?;
            let after = serde_json::json!({ "consultant_id": consultant_id, "disclosed_on": disclosed_on, "commitments": commitments }).to_string();
            audit_write!(tx, reserved, actor, "create", "private_practice_disclosure", &id.to_string(), None, Some(after));
            tx.commit().await?;
            Ok(id)
        })
    }

    /// Disclosures in scope, optionally of one consultant, newest first.
    pub async fn disclosures(
        &self,
        scope: &Scope,
        consultant_id: Option<&str>,
    ) -> Result<Vec<Disclosure>> {
        let Some((clause, dept, consultant)) = crate::consultant_scope(scope, "d.consultant_id")
        else {
            return Ok(vec![]);
        };
        let n = 1 + usize::from(dept.is_some() || consultant.is_some());
        let mut sql = format!("{DISCLOSURE_SELECT}{clause}");
        if consultant_id.is_some() {
            sql.push_str(&format!(" AND d.consultant_id = ${n}"));
        }
        sql.push_str(" ORDER BY d.disclosed_on DESC, d.id DESC");
        let rows: Vec<DisclosureRow> = on_pool!(self, pool => {
            let mut q = sqlx::query_as::<_, DisclosureRow>(&sql);
            if let Some(d) = dept { q = q.bind(d); }
            if let Some(c) = &consultant { q = q.bind(c.clone()); }
            if let Some(c) = consultant_id { q = q.bind(c.to_string()); }
            q.fetch_all(pool).await?
        });
        Ok(rows
            .into_iter()
            .map(|r| Disclosure {
                id: r.0,
                consultant_id: r.1,
                department_id: r.2,
                disclosed_on: r.3,
                commitments: r.4,
                created_by: r.5,
                created_at: r.6,
            })
            .collect())
    }
}

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

type OfferRow = (i64, String, i64, String, i64, String, String, String);
const OFFER_SELECT: &str = "SELECT x.id, x.consultant_id, c.department_id, x.offer, x.version, x.created_by, x.created_at, x.updated_at FROM extra_pa_offers x JOIN consultants c ON c.id = x.consultant_id";

fn offer_record(r: OfferRow) -> OfferRecord {
    OfferRecord {
        id: r.0,
        consultant_id: r.1,
        department_id: r.2,
        offer: serde_json::from_str(&r.3).unwrap_or(serde_json::Value::Null),
        version: r.4,
        created_by: r.5,
        created_at: r.6,
        updated_at: r.7,
    }
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
        Ok(rows.into_iter().map(offer_record).collect())
    }

    /// One extra-PA offer.
    pub async fn extra_pa_offer(&self, id: i64) -> Result<Option<OfferRecord>> {
        let row: Option<OfferRow> = on_pool!(self, pool => {
            sqlx::query_as(&format!("{OFFER_SELECT} WHERE x.id = $1")).bind(id).fetch_optional(pool).await?
        });
        Ok(row.map(offer_record))
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
            let updated = sqlx::query("UPDATE extra_pa_offers SET version = version + 1, offer = $1, updated_at = $2 WHERE id = $3 AND version = $4")
                .bind(&text).bind(&at).bind(id).bind(expected).execute(&mut *tx).await?;
            if updated.rows_affected() == 0 {
                let current: Option<i64> = sqlx::query_scalar("SELECT version FROM extra_pa_offers WHERE id = $1").bind(id).fetch_optional(&mut *tx).await?;
                tx.rollback().await?;
                return Err(match current {
                    Some(current) => StoreError::Conflict { expected, current },
                    None => StoreError::NotFound(format!("extra-PA offer {id}")),
                });
            }
            let before_json = serde_json::json!({ "version": before.version, "offer": before.offer }).to_string();
            let after_json = serde_json::json!({ "version": expected + 1, "offer": offer }).to_string();
            audit_write!(tx, reserved, actor, action, "extra_pa_offer", &id.to_string(), Some(before_json), Some(after_json));
            tx.commit().await?;
            Ok(expected + 1)
        })
    }
}
