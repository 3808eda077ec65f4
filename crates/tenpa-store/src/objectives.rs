//! Objectives under the A 7.2 headings, every version of their text with who agreed it, and
//! progress notes (JP-3). Every write is audited in its transaction.

use crate::audit::{audit_reserve, audit_write};
use crate::versioned::versioned_update;
use crate::{now, on_pool, Result, Scope, Store, StoreError};
use serde::Serialize;
use tenpa_rules::job_planning::{ObjectiveSide, ObjectiveState};

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
    /// Proposed until both sides have agreed the current version, then agreed.
    pub state: ObjectiveState,
    /// The current version's number, for optimistic concurrency: an edit or an agreement names it.
    pub version: i64,
    /// Who agreed the current version, and when.
    #[serde(flatten)]
    pub agreement: ObjectiveAgreement,
    /// Every version, oldest first; the last is the current one.
    pub versions: Vec<ObjectiveVersion>,
}

/// One version of an objective's heading and text, with who agreed it (JP-3, A 7.3).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, sqlx::FromRow)]
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
    #[sqlx(flatten)]
    pub agreement: ObjectiveAgreement,
}

/// Who agreed a version of an objective for each side, and when (JP-3).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, sqlx::FromRow)]
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

/// An objective as stored ([`OBJECTIVE_SELECT`]'s columns).
#[derive(sqlx::FromRow)]
struct ObjectiveRow {
    id: i64,
    consultant_id: String,
    department_id: i64,
    year: i64,
    heading: String,
    text: String,
    created_by: String,
    created_at: String,
    state: String,
    version: i64,
}

/// A progress note as stored: whether it records factors outside the consultant's control is
/// an integer 0 or 1 on both databases.
#[derive(sqlx::FromRow)]
struct NoteRow {
    id: i64,
    note: String,
    outside_control: i64,
    created_by: String,
    created_at: String,
}

const OBJECTIVE_SELECT: &str = "SELECT o.id, o.consultant_id, c.department_id, o.year, o.heading, o.text, o.created_by, o.created_at, o.state, o.version FROM objectives o JOIN consultants c ON c.id = o.consultant_id";

impl Store {
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
            versioned_update!(tx, sqlx::query("UPDATE objectives SET version = version + 1, heading = $1, text = $2, state = 'proposed' WHERE id = $3 AND version = $4")
                .bind(heading).bind(text).bind(id).bind(expected), "objectives", "objective", id, expected);
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
    ) -> Result<ObjectiveState> {
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
            versioned_update!(tx, sqlx::query(&sql).bind(actor).bind(&at).bind(id).bind(expected), "objectives", "objective", id, expected);
            let both: Option<(Option<String>, Option<String>)> = sqlx::query_as("SELECT agreed_by_consultant, agreed_by_manager FROM objective_versions WHERE objective_id = $1 AND version = $2")
                .bind(id).bind(expected).fetch_optional(&mut *tx).await?;
            let state = both.map_or(ObjectiveState::Proposed, |(c, m)| ObjectiveState::of(c.is_some(), m.is_some()));
            sqlx::query("UPDATE objectives SET state = $1 WHERE id = $2").bind(state.as_str()).bind(id).execute(&mut *tx).await?;
            let after = serde_json::json!({ "version": expected, "side": side_name, "state": state }).to_string();
            audit_write!(tx, reserved, actor, "agree", "objective", &id.to_string(), None, Some(after));
            tx.commit().await?;
            Ok(state)
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
        let (notes, versions): (Vec<NoteRow>, Vec<ObjectiveVersion>) = on_pool!(self, pool => {
            let n = sqlx::query_as("SELECT id, note, outside_control, created_by, created_at FROM objective_notes WHERE objective_id = $1 ORDER BY id").bind(r.id).fetch_all(pool).await?;
            let v = sqlx::query_as("SELECT version, heading, text, created_by, created_at, agreed_by_consultant, agreed_by_consultant_at, agreed_by_manager, agreed_by_manager_at FROM objective_versions WHERE objective_id = $1 ORDER BY version").bind(r.id).fetch_all(pool).await?;
            (n, v)
        });
        let current = versions.iter().find(|v| v.version == r.version).cloned();
        Ok(Objective {
            state: crate::stored_state(
                &format!("objective {}", r.id),
                &r.state,
                ObjectiveState::parse,
            )?,
            version: r.version,
            agreement: current.map(|v| v.agreement).unwrap_or_default(),
            versions,
            id: r.id,
            consultant_id: r.consultant_id,
            department_id: r.department_id,
            year: r.year,
            heading: r.heading,
            text: r.text,
            created_by: r.created_by,
            created_at: r.created_at,
            notes: notes
                .into_iter()
                .map(|n| ObjectiveNote {
                    id: n.id,
                    note: n.note,
                    outside_control: n.outside_control != 0,
                    created_by: n.created_by,
                    created_at: n.created_at,
                })
                .collect(),
        })
    }
}
