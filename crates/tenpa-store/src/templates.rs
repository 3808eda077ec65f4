//! Job plan templates of a department: a named set of activities, on-call and plan settings a new
//! plan starts from. Each change is audited; retiring one names the version it was shown at.

use crate::audit::{audit_reserve, audit_write};
use crate::versioned::versioned_update;
use crate::{now, on_pool, stored_json, Result, Store, StoreError};
use serde::Serialize;
use serde_json::Value;

/// A template as stored.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct PlanTemplate {
    /// Id.
    pub id: i64,
    /// Its department.
    pub department_id: i64,
    /// Its name, unique within the department among templates in use.
    pub name: String,
    /// What it is for.
    pub description: String,
    /// The parts of a job plan document it gives: `job_plan` settings, `activity`, `on_call`.
    pub body: Value,
    /// Its version (1 when made).
    pub version: i64,
    /// When it was made.
    pub created_at: String,
    /// Who made it.
    pub created_by: String,
    /// When it was retired, if it has been.
    pub retired_at: Option<String>,
}

/// A template as stored ([`COLS`]).
#[derive(sqlx::FromRow)]
struct Row {
    id: i64,
    department_id: i64,
    name: String,
    description: String,
    body: String,
    version: i64,
    created_at: String,
    created_by: String,
    retired_at: Option<String>,
}
const COLS: &str =
    "id, department_id, name, description, body, version, created_at, created_by, retired_at";

/// The template; a body that does not read as it was stored is an error naming it, never taken
/// for an empty one.
fn template(r: Row) -> Result<PlanTemplate> {
    Ok(PlanTemplate {
        body: stored_json(&format!("template {}'s body", r.id), &r.body)?,
        id: r.id,
        department_id: r.department_id,
        name: r.name,
        description: r.description,
        version: r.version,
        created_at: r.created_at,
        created_by: r.created_by,
        retired_at: r.retired_at,
    })
}

impl Store {
    /// The templates in use, by department and name.
    pub async fn plan_templates(&self) -> Result<Vec<PlanTemplate>> {
        let rows: Vec<Row> = on_pool!(self, pool => {
            sqlx::query_as(&format!("SELECT {COLS} FROM plan_templates WHERE retired_at IS NULL ORDER BY department_id, name")).fetch_all(pool).await?
        });
        rows.into_iter().map(template).collect()
    }

    /// One template, in use or retired.
    pub async fn plan_template(&self, id: i64) -> Result<Option<PlanTemplate>> {
        let row: Option<Row> = on_pool!(self, pool => {
            sqlx::query_as(&format!("SELECT {COLS} FROM plan_templates WHERE id = $1")).bind(id).fetch_optional(pool).await?
        });
        row.map(template).transpose()
    }

    /// Makes a template, audited. [`StoreError::Invalid`] naming `name` when the department has a
    /// template in use of that name.
    pub async fn create_plan_template(
        &self,
        actor: &str,
        department_id: i64,
        name: &str,
        description: &str,
        body: &Value,
    ) -> Result<i64> {
        let at = now();
        let text = body.to_string();
        on_pool!(self, pool => {
            let mut tx = pool.begin().await?;
            // The write lock first: a check and its write are one, never racing another writer.
            let reserved = audit_reserve!(tx);
            let taken: Option<i64> = sqlx::query_scalar("SELECT id FROM plan_templates WHERE department_id = $1 AND name = $2 AND retired_at IS NULL")
                .bind(department_id).bind(name).fetch_optional(&mut *tx).await?;
            if taken.is_some() {
                tx.rollback().await?;
                return Err(StoreError::invalid("name", format!("the department has a template named {name:?} already")));
            }
            let id: i64 = sqlx::query_scalar("INSERT INTO plan_templates (department_id, name, description, body, version, created_at, created_by, updated_at) VALUES ($1, $2, $3, $4, 1, $5, $6, $5) RETURNING id")
                .bind(department_id).bind(name).bind(description).bind(&text).bind(&at).bind(actor)
                .fetch_one(&mut *tx).await?;
            let after = serde_json::json!({ "department_id": department_id, "name": name, "description": description, "body": body }).to_string();
            audit_write!(tx, reserved, actor, "create", "plan_template", &id.to_string(), None, Some(after));
            tx.commit().await?;
            Ok(id)
        })
    }

    /// Retires a template at `version`, audited: it is no longer offered, and its name is free.
    /// [`StoreError::Conflict`] when it has changed since; [`StoreError::NotFound`] when there is
    /// none in use of that id.
    pub async fn retire_plan_template(&self, actor: &str, id: i64, version: i64) -> Result<()> {
        let at = now();
        on_pool!(self, pool => {
            let mut tx = pool.begin().await?;
            let reserved = audit_reserve!(tx);
            versioned_update!(tx, sqlx::query("UPDATE plan_templates SET retired_at = $1, updated_at = $1, version = version + 1 WHERE id = $2 AND version = $3 AND retired_at IS NULL")
                .bind(&at).bind(id).bind(version), "plan_templates" where "retired_at IS NULL", "the template", id, version);
            let after = serde_json::json!({ "retired_at": at, "version": version + 1 }).to_string();
            audit_write!(tx, reserved, actor, "retire", "plan_template", &id.to_string(), Some(serde_json::json!({ "version": version }).to_string()), Some(after));
            tx.commit().await?;
            Ok(())
        })
    }
}
