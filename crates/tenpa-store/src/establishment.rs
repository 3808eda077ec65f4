//! The establishment: consultant records as the trust's staff record holds them, keyed by
//! assignment number, and their import in one transaction (all or nothing), audited record by
//! record and as one import with its file's hash.

use crate::audit::{audit_reserve, audit_write};
use crate::records::{roles_text, Sex};
use crate::{date_text, now, on_pool, stored_date, stored_date_opt, NewUser, Result, Store};
use chrono::NaiveDate;
use serde::Serialize;
use std::collections::HashMap;

/// A consultant record's establishment fields, as the staff record gives them.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct StaffRecord {
    /// The assignment number: the key, and the consultant record's id.
    pub assignment_number: String,
    /// The name.
    pub name: String,
    /// The GMC reference number (seven digits), if given.
    pub gmc_number: Option<String>,
    /// The department, by id.
    pub department_id: i64,
    /// Contracted PAs a week, as a decimal text (`10`, `7.5`), if given.
    pub contracted_pas: Option<String>,
    /// Date of first appointment as a consultant.
    pub first_appointed: NaiveDate,
    /// Date the consultant started in the post, if given.
    pub start_date: Option<NaiveDate>,
    /// Sex, if given.
    pub sex: Option<Sex>,
}

/// One change an import makes.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum StaffChange {
    /// A new consultant record.
    Create(StaffRecord),
    /// A record whose fields change: before and after.
    Update(StaffRecord, StaffRecord),
}

/// What an applied import changed.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct ImportCounts {
    /// Records created.
    pub created: usize,
    /// Records updated.
    pub updated: usize,
    /// Accounts created, each linked to its record.
    pub accounts: usize,
}

/// A consultant record's establishment fields as stored.
#[derive(sqlx::FromRow)]
struct StaffRow {
    id: String,
    name: String,
    gmc_number: Option<String>,
    department_id: i64,
    contracted_pas: Option<String>,
    first_appointed: String,
    start_date: Option<String>,
    sex: Option<String>,
}

impl StaffRow {
    /// The record, its dates read as dates; one that does not read is an error naming it.
    fn record(self) -> Result<StaffRecord> {
        let what = |column: &str| format!("consultant {}'s {column}", self.id);
        Ok(StaffRecord {
            first_appointed: stored_date(&what("first_appointed"), &self.first_appointed)?,
            start_date: stored_date_opt(&what("start_date"), self.start_date.as_deref())?,
            sex: self.sex.as_deref().and_then(Sex::parse),
            assignment_number: self.id,
            name: self.name,
            gmc_number: self.gmc_number,
            department_id: self.department_id,
            contracted_pas: self.contracted_pas,
        })
    }
}

impl Store {
    /// Every consultant record's establishment fields, by assignment number.
    pub async fn staff_records(&self) -> Result<HashMap<String, StaffRecord>> {
        let rows: Vec<StaffRow> = on_pool!(self, pool => {
            sqlx::query_as("SELECT id, name, gmc_number, department_id, contracted_pas, first_appointed, start_date, sex FROM consultants").fetch_all(pool).await?
        });
        rows.into_iter()
            .map(|r| {
                let record = r.record()?;
                Ok((record.assignment_number.clone(), record))
            })
            .collect()
    }

    /// Applies an import's changes in one transaction: every record created or updated, each
    /// audited with its before and after, the accounts created (after the records they link to),
    /// then one `import` entry for the whole with the file's SHA-256 and the counts. A new record's
    /// lead employer is its department's employer. Nothing is written when there is nothing to
    /// change.
    pub async fn apply_establishment(
        &self,
        actor: &str,
        changes: &[StaffChange],
        accounts: &[NewUser],
        file_sha256: &str,
    ) -> Result<ImportCounts> {
        self.apply_establishment_skipping(actor, changes, accounts, file_sha256, 0)
            .await
    }

    /// As [`Store::apply_establishment`], for an import whose rows with errors were skipped at the
    /// user's choice: `skipped` rows of the file were left out, and the import's audit entry says
    /// so (`"skipped": n`, with `0` when none was).
    pub async fn apply_establishment_skipping(
        &self,
        actor: &str,
        changes: &[StaffChange],
        accounts: &[NewUser],
        file_sha256: &str,
        skipped: usize,
    ) -> Result<ImportCounts> {
        let mut counts = ImportCounts {
            created: 0,
            updated: 0,
            accounts: 0,
        };
        if changes.is_empty() && accounts.is_empty() {
            return Ok(counts);
        }
        on_pool!(self, pool => {
            let mut tx = pool.begin().await?;
            for change in changes {
                match change {
                    StaffChange::Create(r) => {
                        sqlx::query("INSERT INTO consultants (id, name, department_id, first_appointed, lead_employer_id, gmc_number, contracted_pas, start_date, sex) SELECT $1, $2, d.id, $3, d.employer_id, $4, $5, $6, $8 FROM departments d WHERE d.id = $7")
                            .bind(&r.assignment_number).bind(&r.name).bind(r.first_appointed.to_string()).bind(&r.gmc_number).bind(&r.contracted_pas).bind(date_text(r.start_date)).bind(r.department_id).bind(r.sex.map(Sex::as_str))
                            .execute(&mut *tx).await?;
                        let reserved = audit_reserve!(tx);
                        audit_write!(tx, reserved, actor, "import", "consultant", &r.assignment_number, None, Some(serde_json::to_string(r).unwrap_or_default()));
                        counts.created += 1;
                    }
                    StaffChange::Update(before, r) => {
                        sqlx::query("UPDATE consultants SET name = $1, gmc_number = $2, department_id = $3, contracted_pas = $4, first_appointed = $5, start_date = $6, sex = $8, version = version + 1 WHERE id = $7")
                            .bind(&r.name).bind(&r.gmc_number).bind(r.department_id).bind(&r.contracted_pas).bind(r.first_appointed.to_string()).bind(date_text(r.start_date)).bind(&r.assignment_number).bind(r.sex.map(Sex::as_str))
                            .execute(&mut *tx).await?;
                        let reserved = audit_reserve!(tx);
                        audit_write!(tx, reserved, actor, "import", "consultant", &r.assignment_number, Some(serde_json::to_string(before).unwrap_or_default()), Some(serde_json::to_string(r).unwrap_or_default()));
                        counts.updated += 1;
                    }
                }
            }
            for u in accounts {
                let id: i64 = sqlx::query_scalar("INSERT INTO users (username, display_name, password_hash, roles, department_id, consultant_id, created_at, email) VALUES ($1, $2, $3, $4, $5, $6, $7, $8) RETURNING id")
                    .bind(&u.username).bind(&u.display_name).bind(&u.password_hash).bind(roles_text(&u.roles)).bind(u.department_id).bind(&u.consultant_id).bind(now()).bind(&u.email)
                    .fetch_one(&mut *tx).await?;
                let reserved = audit_reserve!(tx);
                let after = serde_json::json!({ "username": u.username, "roles": roles_text(&u.roles), "department_id": u.department_id, "consultant_id": u.consultant_id, "via": "import" }).to_string();
                audit_write!(tx, reserved, actor, "create", "user", &id.to_string(), None, Some(after));
                counts.accounts += 1;
            }
            let reserved = audit_reserve!(tx);
            let after = serde_json::json!({ "sha256": file_sha256, "created": counts.created, "updated": counts.updated, "accounts": counts.accounts, "skipped": skipped }).to_string();
            audit_write!(tx, reserved, actor, "import", "establishment", file_sha256, None, Some(after));
            tx.commit().await?;
            Ok(counts)
        })
    }
}
