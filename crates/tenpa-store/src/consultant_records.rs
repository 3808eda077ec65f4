//! A consultant record or a department edited on its own (its page, or the API): every field the
//! trust keeps, with its version for optimistic concurrency, audited with before and after.

use crate::audit::{audit_reserve, audit_write};
use crate::{
    date_text, on_pool, stored_date, stored_date_opt, Department, Result, Sex, Store, StoreError,
};
use chrono::NaiveDate;
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
    /// First appointment as a consultant.
    pub first_appointed: NaiveDate,
    /// Start in the post.
    pub start_date: Option<NaiveDate>,
    /// Transfer to the contract, for existing consultants.
    pub transferred: Option<NaiveDate>,
    /// Seniority at transfer (TR-1).
    pub seniority_at_transfer: Option<i64>,
    /// The lead employer (of a consultant employed by more than one), by id; `None` in an edit
    /// for the department's employer.
    pub lead_employer_id: Option<i64>,
    /// Sex, if recorded (for the consistency report's groups only).
    pub sex: Option<Sex>,
}

/// A consultant record's fields and version as stored.
#[derive(sqlx::FromRow)]
struct Row {
    name: String,
    gmc_number: Option<String>,
    department_id: i64,
    contracted_pas: Option<String>,
    first_appointed: String,
    start_date: Option<String>,
    transferred: Option<String>,
    seniority_at_transfer: Option<i64>,
    version: i64,
    lead_employer_id: Option<i64>,
    sex: Option<String>,
}

const ROW_SELECT: &str = "SELECT name, gmc_number, department_id, contracted_pas, first_appointed, start_date, transferred, seniority_at_transfer, version, lead_employer_id, sex FROM consultants WHERE id = $1";

impl Row {
    /// The fields, their dates read as dates; one that does not read is an error naming the
    /// record `id`.
    fn fields(self, id: &str) -> Result<RecordFields> {
        let date = |column: &str, stored: &str| {
            stored_date(&format!("consultant {id}'s {column}"), stored)
        };
        let date_opt = |column: &str, stored: Option<&str>| {
            stored_date_opt(&format!("consultant {id}'s {column}"), stored)
        };
        Ok(RecordFields {
            first_appointed: date("first_appointed", &self.first_appointed)?,
            start_date: date_opt("start_date", self.start_date.as_deref())?,
            transferred: date_opt("transferred", self.transferred.as_deref())?,
            name: self.name,
            gmc_number: self.gmc_number,
            department_id: self.department_id,
            contracted_pas: self.contracted_pas,
            seniority_at_transfer: self.seniority_at_transfer,
            lead_employer_id: self.lead_employer_id,
            sex: self.sex.as_deref().and_then(Sex::parse),
        })
    }
}

impl Store {
    /// A consultant record's fields and version.
    pub async fn consultant_record(&self, id: &str) -> Result<Option<(RecordFields, i64)>> {
        let row: Option<Row> = on_pool!(self, pool => {
            sqlx::query_as(ROW_SELECT).bind(id).fetch_optional(pool).await?
        });
        row.map(|r| {
            let version = r.version;
            Ok((r.fields(id)?, version))
        })
        .transpose()
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
            let row: Option<Row> = sqlx::query_as(ROW_SELECT).bind(id).fetch_optional(&mut *tx).await?;
            let Some(r) = row else {
                tx.rollback().await?;
                return Err(StoreError::NotFound(format!("the consultant record {id}")));
            };
            if r.version != version {
                tx.rollback().await?;
                return Err(StoreError::Conflict { expected: version, current: r.version });
            }
            let department: Option<i64> = sqlx::query_scalar("SELECT employer_id FROM departments WHERE id = $1").bind(f.department_id).fetch_optional(&mut *tx).await?;
            let Some(department_employer) = department else {
                tx.rollback().await?;
                return Err(StoreError::invalid("department_id", format!("found {}, expected the id of a department", f.department_id)));
            };
            let lead = f.lead_employer_id.unwrap_or(department_employer);
            let employer: Option<i64> = sqlx::query_scalar("SELECT id FROM employers WHERE id = $1").bind(lead).fetch_optional(&mut *tx).await?;
            if employer.is_none() {
                tx.rollback().await?;
                return Err(StoreError::invalid("lead_employer_id", format!("found {lead}, expected the id of an employer")));
            }
            let f = &RecordFields { lead_employer_id: Some(lead), ..f.clone() };
            let before = r.fields(id)?;
            let reserved = audit_reserve!(tx);
            sqlx::query("UPDATE consultants SET name = $1, gmc_number = $2, department_id = $3, contracted_pas = $4, first_appointed = $5, start_date = $6, transferred = $7, seniority_at_transfer = $8, lead_employer_id = $9, sex = $11, version = version + 1 WHERE id = $10")
                .bind(&f.name).bind(&f.gmc_number).bind(f.department_id).bind(&f.contracted_pas).bind(f.first_appointed.to_string()).bind(date_text(f.start_date)).bind(date_text(f.transferred)).bind(f.seniority_at_transfer).bind(lead).bind(id).bind(f.sex.map(Sex::as_str))
                .execute(&mut *tx).await?;
            audit_write!(tx, reserved, actor, "update", "consultant", id, Some(serde_json::to_string(&before).unwrap_or_default()), Some(serde_json::to_string(f).unwrap_or_default()));
            tx.commit().await?;
            Ok(version + 1)
        })
    }
}

impl Store {
    /// A department.
    pub async fn department(&self, id: i64) -> Result<Option<Department>> {
        on_pool!(self, pool => {
            Ok(sqlx::query_as("SELECT id, employer_id, name, specialty, version FROM departments WHERE id = $1").bind(id).fetch_optional(pool).await?)
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
            let row: Option<Department> = sqlx::query_as("SELECT id, employer_id, name, specialty, version FROM departments WHERE id = $1")
                .bind(id).fetch_optional(&mut *tx).await?;
            let Some(Department { employer_id: employer, name: before_name, specialty: before_specialty, version: current, .. }) = row else {
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
                return Err(StoreError::invalid("name", format!("the employer has a department named {name:?} already")));
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
