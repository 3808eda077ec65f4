//! Private practice disclosures (PRV-2, D 3.6-3.7), audited when recorded.

use crate::audit::{audit_reserve, audit_write};
use crate::{now, on_pool, Result, Scope, Store};
use serde::Serialize;

/// A private practice disclosure (PRV-2, D 3.6-3.7).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, sqlx::FromRow)]
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

const DISCLOSURE_SELECT: &str = "SELECT d.id, d.consultant_id, c.department_id, d.disclosed_on, d.commitments, d.created_by, d.created_at FROM private_practice_disclosures d JOIN consultants c ON c.id = d.consultant_id";

impl Store {
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
        let rows: Vec<Disclosure> = on_pool!(self, pool => {
            let mut q = sqlx::query_as::<_, Disclosure>(&sql);
            if let Some(d) = dept { q = q.bind(d); }
            if let Some(c) = &consultant { q = q.bind(c.clone()); }
            if let Some(c) = consultant_id { q = q.bind(c.to_string()); }
            q.fetch_all(pool).await?
        });
        Ok(rows)
    }
}
