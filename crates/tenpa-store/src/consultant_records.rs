//! A consultant record or a department edited on its own (its page, or the API): every field the
//! trust keeps, with its version for optimistic concurrency, audited with before and after.

use crate::audit::{audit_reserve, audit_write};
use crate::{on_pool, Result, Store, StoreError};
use serde::Serialize;

/// A consultant record's fields as an edit gives them, and as they are read with their version.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct RecordFields {
    /// Name.
    pub name: String,
    /// GMC reference number (seven digits).
    pub gmc_number: Option<String>,
    /// Department, by id.
    pub department_id: i64,
    /// Contracted PAs a week, as decimal text.
    pub contracted_pas: Option<String>,
    /// First appointment as a consultant (ISO date).
    pub first_appointed: String,
    /// Start in the post (ISO date).
    pub start_date: Option<String>,
    /// Transfer to the contract (ISO date), for existing consultants.
    pub transferred: Option<String>,
    /// Seniority at transfer (TR-1).
    pub seniority_at_transfer: Option<i64>,
    /// The lead employer (of a consultant employed by more than one), by id; `None` in an edit
    /// for the department's employer.
    pub lead_employer_id: Option<i64>,
}

type Row = (
    String,
    Option<String>,
    i64,
    Option<String>,
    String,
    Option<String>,
    Option<String>,
    Option<i64>,
    i64,
    Option<i64>,
);

impl Store {
    /// A consultant record's fields and version.
    pub async fn consultant_record(&self, id: &str) -> Result<Option<(RecordFields, i64)>> {
        let row: Option<Row> = on_pool!(self, pool => {
            sqlx::query_as("SELECT name, gmc_number, department_id, contracted_pas, first_appointed, start_date, transferred, seniority_at_transfer, version, lead_employer_id FROM consultants WHERE id = $1")
                .bind(id).fetch_optional(pool).await?
        });
        Ok(row.map(|r| {
            (
                RecordFields {
                    name: r.0,
                    gmc_number: r.1,
                    department_id: r.2,
                    contracted_pas: r.3,
                    first_appointed: r.4,
                    start_date: r.5,
                    transferred: r.6,
                    seniority_at_transfer: r.7,
                    lead_employer_id: r.9,
                },
                r.8,
            )
        }))
    }

    /// Replaces a consultant record's fields, made on `version`: audited with before and after,
    /// answering the new version. [`StoreError::Conflict`] when the record has moved on;
    /// [`StoreError::NotFound`] when there is no such record; [`StoreError::Invalid`] naming
    /// `department_id` or `lead_employer_id` for one that does not exist.
    pub async fn update_consultant_record(
        &self,
        actor: &str,
        id: &str,
        version: i64,
        f: &RecordFields,
    ) -> Result<i64> {
        on_pool!(self, pool => {
            let mut tx = pool.begin().await?;
            let row: Option<Row> = sqlx::query_as("SELECT name, gmc_number, department_id, contracted_pas, first_appointed, start_date, transferred, seniority_at_transfer, version, lead_employer_id FROM consultants WHERE id = $1")
                .bind(id).fetch_optional(&mut *tx).await?;
            let Some(r) = row else {
                tx.rollback().await?;
                return Err(StoreError::NotFound(format!("the consultant record {id}")));
            };
            if r.8 != version {
                tx.rollback().await?;
                return Err(StoreError::Conflict { expected: version, current: r.8 });
            }
            let department: Option<i64> = sqlx::query_scalar("SELECT employer_id FROM departments WHERE id = $1").bind(f.department_id).fetch_optional(&mut *tx).await?;
            let Some(department_employer) = department else {
                tx.rollback().await?;
                return Err(StoreError::Invalid(format!("department_id: found {}, expected the id of a department", f.department_id)));
            };
            let lead = f.lead_employer_id.unwrap_or(department_employer);
            let employer: Option<i64> = sqlx::query_scalar("SELECT id FROM employers WHERE id = $1").bind(lead).fetch_optional(&mut *tx).await?;
            if employer.is_none() {
                tx.rollback().await?;
                return Err(StoreError::Invalid(format!("lead_employer_id: found {lead}, expected the id of an employer")));
            }
            let f = &RecordFields { lead_employer_id: Some(lead), ..f.clone() };
            let before = RecordFields { name: r.0, gmc_number: r.1, department_id: r.2, contracted_pas: r.3, first_appointed: r.4, start_date: r.5, transferred: r.6, seniority_at_transfer: r.7, lead_employer_id: r.9 };
            let reserved = audit_reserve!(tx);
            sqlx::query("UPDATE consultants SET name = $1, gmc_number = $2, department_id = $3, contracted_pas = $4, first_appointed = $5, start_date = $6, transferred = $7, seniority_at_transfer = $8, lead_employer_id = $9, version = version + 1 WHERE id = $10")
                .bind(&f.name).bind(&f.gmc_number).bind(f.department_id).bind(&f.contracted_pas).bind(&f.first_appointed).bind(&f.start_date).bind(&f.transferred).bind(f.seniority_at_transfer).bind(lead).bind(id)
                .execute(&mut *tx).await?;
            audit_write!(tx, reserved, actor, "update", "consultant", id, Some(serde_json::to_string(&before).unwrap_or_default()), Some(serde_json::to_string(f).unwrap_or_default()));
            tx.commit().await?;
            Ok(version + 1)
        })
    }
}

impl Store {
    /// A department: (employer id, name, specialty, version).
    pub async fn department(&self, id: i64) -> Result<Option<(i64, String, String, i64)>> {
        on_pool!(self, pool => {
            Ok(sqlx::query_as("SELECT employer_id, name, specialty, version FROM departments WHERE id = $1").bind(id).fetch_optional(pool).await?)
        })
    }

    /// Renames a department or changes its specialty, made on `version`, audited with before and
    /// after; answers the new version. [`StoreError::Conflict`] when it has moved on;
    /// [`StoreError::NotFound`] when there is none; [`StoreError::Invalid`] naming `name` when
    /// another department of its employer has the name (whatever its case).
    pub async fn update_department(
        &self,
        actor: &str,
        id: i64,
        version: i64,
        name: &str,
        specialty: &str,
    ) -> Result<i64> {
        on_pool!(self, pool => {
            let mut tx = pool.begin().await?;
            let row: Option<(i64, String, String, i64)> = sqlx::query_as("SELECT employer_id, name, specialty, version FROM departments WHERE id = $1")
                .bind(id).fetch_optional(&mut *tx).await?;
            let Some((employer, before_name, before_specialty, current)) = row else {
                tx.rollback().await?;
                return Err(StoreError::NotFound(format!("the department {id}")));
            };
            if current != version {
                tx.rollback().await?;
                return Err(StoreError::Conflict { expected: version, current });
            }
            let others: Vec<String> = sqlx::query_scalar("SELECT name FROM departments WHERE employer_id = $1 AND id <> $2")
                .bind(employer).bind(id).fetch_all(&mut *tx).await?;
            if others.iter().any(|o| o.to_lowercase() == name.to_lowercase()) {
                tx.rollback().await?;
                return Err(StoreError::Invalid(format!("name: the employer has a department named {name:?} already")));
            }
            let reserved = audit_reserve!(tx);
            sqlx::query("UPDATE departments SET name = $1, specialty = $2, version = version + 1 WHERE id = $3")
                .bind(name).bind(specialty).bind(id).execute(&mut *tx).await?;
            let before = serde_json::json!({ "name": before_name, "specialty": before_specialty, "version": version }).to_string();
            let after = serde_json::json!({ "name": name, "specialty": specialty, "version": version + 1 }).to_string();
            audit_write!(tx, reserved, actor, "update", "department", &id.to_string(), Some(before), Some(after));
            tx.commit().await?;
            Ok(version + 1)
        })
    }
}
