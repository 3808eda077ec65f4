//! Private practice disclosures (PRV-2, D 3.6-3.7), audited when recorded.

use crate::audit::{audit_reserve, audit_write};
use crate::{now, on_pool, stored_date, Result, Scope, Store};
use chrono::NaiveDate;
use serde::Serialize;

/// A private practice disclosure (PRV-2, D 3.6-3.7).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Disclosure {
    /// Id.
    pub id: i64,
    /// Consultant.
    pub consultant_id: String,
    /// The consultant's department.
    pub department_id: i64,
    /// Date of the disclosure.
    pub disclosed_on: NaiveDate,
    /// The private commitments disclosed.
    pub commitments: String,
    /// Who recorded it.
    pub created_by: String,
    /// When.
    pub created_at: String,
}

/// A disclosure as stored ([`DISCLOSURE_SELECT`]'s columns).
#[derive(sqlx::FromRow)]
struct DisclosureRow {
    id: i64,
    consultant_id: String,
    department_id: i64,
    disclosed_on: String,
    commitments: String,
    created_by: String,
    created_at: String,
}

impl DisclosureRow {
    /// The disclosure, its date read as a date; one that does not read is an error naming it.
    fn record(self) -> Result<Disclosure> {
        Ok(Disclosure {
            disclosed_on: stored_date(
                &format!("disclosure {}'s disclosed_on", self.id),
                &self.disclosed_on,
            )?,
            id: self.id,
            consultant_id: self.consultant_id,
            department_id: self.department_id,
            commitments: self.commitments,
            created_by: self.created_by,
            created_at: self.created_at,
        })
    }
}

const DISCLOSURE_SELECT: &str = "SELECT d.id, d.consultant_id, c.department_id, d.disclosed_on, d.commitments, d.created_by, d.created_at FROM private_practice_disclosures d JOIN consultants c ON c.id = d.consultant_id";

impl Store {
    /// Records a private practice disclosure. Returns its id.
    pub async fn create_disclosure(
        &self,
        actor: &str,
        consultant_id: &str,
        disclosed_on: NaiveDate,
        commitments: &str,
    ) -> Result<i64> {
        on_pool!(self, pool => {
            let mut tx = pool.begin().await?;
            let reserved = audit_reserve!(tx);
            let at = now();
            let id: i64 = sqlx::query_scalar("INSERT INTO private_practice_disclosures (consultant_id, disclosed_on, commitments, created_by, created_at) VALUES ($1, $2, $3, $4, $5) RETURNING id")
                .bind(consultant_id).bind(disclosed_on.to_string()).bind(commitments).bind(actor).bind(&at).fetch_one(&mut *tx).await?;
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
        rows.into_iter().map(DisclosureRow::record).collect()
    }
}
