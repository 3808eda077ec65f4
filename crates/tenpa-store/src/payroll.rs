//! Payroll exports: one a month, stored as exported (CSV text and XLSX bytes) with their lines, so
//! that asking for a month's export again gives the same file, and later exports can work out
//! arrears against what each earlier one paid.

use crate::audit::{audit_reserve, audit_write};
use crate::{now, on_pool, stored_json, Result, Store, StoreError};
use serde::Serialize;

/// One line of an export as stored: what was paid for a consultant, element and month.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, sqlx::FromRow)]
pub struct PaidLine {
    /// The consultant record.
    pub consultant_id: String,
    /// The pay element (`basic_salary`, …).
    pub element: String,
    /// The month the amount is for (`YYYY-MM`).
    pub month: String,
    /// `pay`, `arrears` or `overpayment`.
    pub kind: String,
    /// The amount in pence (negative for an overpayment).
    pub amount_pence: i64,
}

/// An export as stored, without its files.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, sqlx::FromRow)]
pub struct PayrollExport {
    /// Id.
    pub id: i64,
    /// The month exported (`YYYY-MM`).
    pub period: String,
    /// When it was made.
    pub created_at: String,
    /// Who made it.
    pub created_by: String,
    /// The SHA-256 of its CSV.
    pub sha256: String,
    /// How many lines it has.
    pub line_count: i64,
    /// The sum of its lines in pence.
    pub total_pence: i64,
}

/// A new export to store.
pub struct NewPayrollExport<'a> {
    /// The month (`YYYY-MM`).
    pub period: &'a str,
    /// The CSV.
    pub csv: &'a str,
    /// The SHA-256 of the CSV (hex).
    pub sha256: &'a str,
    /// The XLSX.
    pub xlsx: &'a [u8],
    /// Its lines.
    pub lines: &'a [PaidLine],
}

/// An export with its files, as they were made.
#[derive(Debug, Clone, PartialEq, Eq, sqlx::FromRow)]
pub struct PayrollFiles {
    /// The export.
    #[sqlx(flatten)]
    pub export: PayrollExport,
    /// Its CSV.
    pub csv: String,
    /// Its XLSX.
    pub xlsx: Vec<u8>,
}

/// The latest signed-off version of a plan: what payroll pays from.
#[derive(Debug, Clone, PartialEq)]
pub struct SignedOffPlan {
    /// The plan.
    pub job_plan_id: i64,
    /// Its consultant.
    pub consultant_id: String,
    /// The consultant's name.
    pub consultant_name: String,
    /// The version signed off.
    pub version: i64,
    /// That version's document.
    pub document: serde_json::Value,
}

/// A signed-off version as stored.
#[derive(sqlx::FromRow)]
struct SignedOffRow {
    job_plan_id: i64,
    consultant_id: String,
    consultant_name: String,
    version: i64,
    document: String,
}

const EXPORT_COLS: &str = "id, period, created_at, created_by, sha256, line_count, total_pence";

impl Store {
    /// The latest signed-off version of every plan that has one, by consultant and plan. A plan
    /// reopened for an interim review keeps paying from its last signed-off version until it is
    /// signed off again.
    pub async fn signed_off_documents(&self) -> Result<Vec<SignedOffPlan>> {
        let rows: Vec<SignedOffRow> = on_pool!(self, pool => {
            sqlx::query_as("SELECT v.job_plan_id, p.consultant_id, c.name AS consultant_name, v.version, v.document FROM job_plan_versions v JOIN job_plans p ON p.id = v.job_plan_id JOIN consultants c ON c.id = p.consultant_id WHERE v.status = 'signed_off' AND v.version = (SELECT MAX(w.version) FROM job_plan_versions w WHERE w.job_plan_id = v.job_plan_id AND w.status = 'signed_off') ORDER BY p.consultant_id, v.job_plan_id")
                .fetch_all(pool).await?
        });
        rows.into_iter()
            .map(|r| {
                Ok(SignedOffPlan {
                    document: stored_json(
                        &format!(
                            "job plan {} version {}'s document",
                            r.job_plan_id, r.version
                        ),
                        &r.document,
                    )?,
                    job_plan_id: r.job_plan_id,
                    consultant_id: r.consultant_id,
                    consultant_name: r.consultant_name,
                    version: r.version,
                })
            })
            .collect()
    }

    /// Every export, the latest month first.
    pub async fn payroll_exports(&self) -> Result<Vec<PayrollExport>> {
        on_pool!(self, pool => {
            Ok(sqlx::query_as(&format!("SELECT {EXPORT_COLS} FROM payroll_exports ORDER BY period DESC")).fetch_all(pool).await?)
        })
    }

    /// The export of month `period`, with its CSV and XLSX, if it has been made.
    pub async fn payroll_export(&self, period: &str) -> Result<Option<PayrollFiles>> {
        on_pool!(self, pool => {
            Ok(sqlx::query_as(&format!("SELECT {EXPORT_COLS}, csv, xlsx FROM payroll_exports WHERE period = $1")).bind(period).fetch_optional(pool).await?)
        })
    }

    /// Every line of every export, by consultant and month: what has been paid.
    pub async fn payroll_paid(&self) -> Result<Vec<PaidLine>> {
        on_pool!(self, pool => {
            Ok(sqlx::query_as("SELECT l.consultant_id, l.element, l.month, l.kind, l.amount_pence FROM payroll_lines l JOIN payroll_exports e ON e.id = l.export_id ORDER BY l.consultant_id, l.month, e.period").fetch_all(pool).await?)
        })
    }

    /// Stores an export with its lines in one transaction, audited with its month, hash, line
    /// count and total. Refused ([`StoreError::Refused`]) when the month has an export already,
    /// or a later month has one: months are exported in order, each once.
    pub async fn create_payroll_export(
        &self,
        actor: &str,
        e: &NewPayrollExport<'_>,
    ) -> Result<PayrollExport> {
        let total: i64 = e.lines.iter().map(|l| l.amount_pence).sum();
        let count = i64::try_from(e.lines.len()).unwrap_or(i64::MAX);
        let at = now();
        on_pool!(self, pool => {
            let mut tx = pool.begin().await?;
            let latest: Option<String> = sqlx::query_scalar("SELECT MAX(period) FROM payroll_exports").fetch_one(&mut *tx).await?;
            if let Some(latest) = latest.filter(|l| l.as_str() >= e.period) {
                tx.rollback().await?;
                return Err(StoreError::Refused(format!("months are exported in order, each once: {latest} has been exported, so the next is a later month")));
            }
            let reserved = audit_reserve!(tx);
            let id: i64 = sqlx::query_scalar("INSERT INTO payroll_exports (period, created_at, created_by, sha256, csv, xlsx, line_count, total_pence) VALUES ($1, $2, $3, $4, $5, $6, $7, $8) RETURNING id")
                .bind(e.period).bind(&at).bind(actor).bind(e.sha256).bind(e.csv).bind(e.xlsx).bind(count).bind(total)
                .fetch_one(&mut *tx).await?;
            for l in e.lines {
                sqlx::query("INSERT INTO payroll_lines (export_id, consultant_id, element, month, kind, amount_pence) VALUES ($1, $2, $3, $4, $5, $6)")
                    .bind(id).bind(&l.consultant_id).bind(&l.element).bind(&l.month).bind(&l.kind).bind(l.amount_pence)
                    .execute(&mut *tx).await?;
            }
            let after = serde_json::json!({ "period": e.period, "sha256": e.sha256, "lines": count, "total_pence": total }).to_string();
            audit_write!(tx, reserved, actor, "export", "payroll", e.period, None, Some(after));
            tx.commit().await?;
            Ok(PayrollExport { id, period: e.period.to_string(), created_at: at, created_by: actor.to_string(), sha256: e.sha256.to_string(), line_count: count, total_pence: total })
        })
    }
}
