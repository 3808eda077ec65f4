//! Awards and premia of consultants: clinical excellence awards (CEA-1 … CEA-4) by level, and
//! recruitment and retention premia (PAY-4) in whole pence with their evidence. Every write is
//! audited in its transaction; ending an award names the version it ends.

use crate::audit::{audit_reserve, audit_write};
use crate::versioned::versioned_update;
use crate::{
    date_text, now, on_pool, stored_date, stored_date_opt, stored_json, Result, Scope, Store,
    StoreError,
};
use chrono::NaiveDate;
use serde::Serialize;

/// An award or premium on record.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct AwardRecord {
    /// Id.
    pub id: i64,
    /// Consultant.
    pub consultant_id: String,
    /// The consultant's department.
    pub department_id: i64,
    /// `cea`, `recruitment` or `retention`.
    pub kind: String,
    /// A clinical excellence award's level, 1 to 13; `None` for a premium.
    pub level: Option<i64>,
    /// A premium's amount a year, whole pence; `None` for a clinical excellence award (its value
    /// comes from the parameters by level and date).
    pub amount_pence: Option<i64>,
    /// First day.
    pub start_date: NaiveDate,
    /// Last day, when it has ended or is time-limited.
    pub end_date: Option<NaiveDate>,
    /// The committee that made an award (`local`, `regional`, `national`); empty for a premium.
    pub body: String,
    /// A premium's evidence (PAY-4): `evidence_of_difficulty`, `non_pay_solutions_tried`,
    /// `local_employers_consulted`; empty for an award.
    pub evidence: serde_json::Value,
    /// Notes.
    pub notes: String,
    /// Who recorded it.
    pub created_by: String,
    /// When.
    pub created_at: String,
    /// Version, for optimistic concurrency.
    pub version: i64,
    /// Last change.
    pub updated_at: String,
}

/// An award or premium to record.
#[derive(Debug, Clone)]
pub struct NewAward {
    /// Consultant.
    pub consultant_id: String,
    /// `cea`, `recruitment` or `retention`.
    pub kind: String,
    /// Level 1 to 13, for `cea` only.
    pub level: Option<i64>,
    /// Whole pence a year, above 0, for a premium only.
    pub amount_pence: Option<i64>,
    /// First day.
    pub start_date: NaiveDate,
    /// Last day, after the first.
    pub end_date: Option<NaiveDate>,
    /// The committee that made an award.
    pub body: String,
    /// A premium's evidence flags.
    pub evidence: serde_json::Value,
    /// Notes.
    pub notes: String,
}

/// An award or premium as stored ([`AWARD_SELECT`]'s columns).
#[derive(sqlx::FromRow)]
struct AwardRow {
    id: i64,
    consultant_id: String,
    department_id: i64,
    kind: String,
    level: Option<i64>,
    amount_pence: Option<i64>,
    start_date: String,
    end_date: Option<String>,
    body: String,
    evidence: String,
    notes: String,
    created_by: String,
    created_at: String,
    version: i64,
    updated_at: String,
}

const AWARD_SELECT: &str = "SELECT a.id, a.consultant_id, c.department_id, a.kind, a.level, a.amount_pence, a.start_date, a.end_date, a.body, a.evidence, a.notes, a.created_by, a.created_at, a.version, a.updated_at FROM awards a JOIN consultants c ON c.id = a.consultant_id";

/// The record, its dates and evidence read as stored; a column that does not read is an error
/// naming the award, never taken for an empty value.
fn record(r: AwardRow) -> Result<AwardRecord> {
    let what = |column: &str| format!("award {}'s {column}", r.id);
    Ok(AwardRecord {
        start_date: stored_date(&what("start_date"), &r.start_date)?,
        end_date: stored_date_opt(&what("end_date"), r.end_date.as_deref())?,
        evidence: stored_json(&what("evidence"), &r.evidence)?,
        id: r.id,
        consultant_id: r.consultant_id,
        department_id: r.department_id,
        kind: r.kind,
        level: r.level,
        amount_pence: r.amount_pence,
        body: r.body,
        notes: r.notes,
        created_by: r.created_by,
        created_at: r.created_at,
        version: r.version,
        updated_at: r.updated_at,
    })
}

fn json(a: &AwardRecord) -> Option<String> {
    Some(serde_json::to_string(a).unwrap_or_default())
}

/// The store's own checks of an award: the kinds, level and amount the table holds, and dates.
fn check(new: &NewAward) -> Result<()> {
    match new.kind.as_str() {
        "cea" => {
            if !matches!(new.level, Some(1..=13)) || new.amount_pence.is_some() {
                return Err(StoreError::invalid(
                    "level",
                    "a clinical excellence award has a level from 1 to 13 and no amount",
                ));
            }
        }
        "recruitment" | "retention" => {
            if new.level.is_some() || new.amount_pence.is_none_or(|p| p <= 0) {
                return Err(StoreError::invalid(
                    "amount",
                    "a premium has an amount above 0 and no level",
                ));
            }
        }
        other => {
            return Err(StoreError::invalid(
                "kind",
                format!("found {other:?}, expected cea, recruitment or retention"),
            ))
        }
    }
    if let Some(end) = new.end_date {
        check_end(new.start_date, end)?;
    }
    Ok(())
}

fn check_end(start: NaiveDate, end: NaiveDate) -> Result<()> {
    if end <= start {
        return Err(StoreError::invalid(
            "end_date",
            format!("{end} is not after the start date {start}"),
        ));
    }
    Ok(())
}

impl Store {
    /// Records an award or premium. Returns its id.
    pub async fn create_award(&self, actor: &str, new: &NewAward) -> Result<i64> {
        check(new)?;
        let evidence = new.evidence.to_string();
        on_pool!(self, pool => {
            let mut tx = pool.begin().await?;
            let reserved = audit_reserve!(tx);
            let at = now();
            let id: i64 = sqlx::query_scalar("INSERT INTO awards (consultant_id, kind, level, amount_pence, start_date, end_date, body, evidence, notes, created_by, created_at, version, updated_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, 1, $11) RETURNING id")
                .bind(&new.consultant_id).bind(&new.kind).bind(new.level).bind(new.amount_pence)
                .bind(new.start_date.to_string()).bind(date_text(new.end_date)).bind(&new.body).bind(&evidence).bind(&new.notes)
                .bind(actor).bind(&at)
                .fetch_one(&mut *tx).await?;
            let after = serde_json::json!({
                "consultant_id": new.consultant_id, "kind": new.kind, "level": new.level,
                "amount_pence": new.amount_pence, "start_date": new.start_date, "end_date": new.end_date,
                "body": new.body, "evidence": new.evidence, "notes": new.notes, "version": 1,
            }).to_string();
            audit_write!(tx, reserved, actor, "create", "award", &id.to_string(), None, Some(after));
            tx.commit().await?;
            Ok(id)
        })
    }

    /// Awards and premia in scope, optionally of one consultant, by consultant and start date.
    pub async fn awards(
        &self,
        scope: &Scope,
        consultant_id: Option<&str>,
    ) -> Result<Vec<AwardRecord>> {
        let Some((clause, dept, consultant)) = crate::consultant_scope(scope, "a.consultant_id")
        else {
            return Ok(vec![]);
        };
        let n = 1 + usize::from(dept.is_some() || consultant.is_some());
        let mut sql = format!("{AWARD_SELECT}{clause}");
        if consultant_id.is_some() {
            sql.push_str(&format!(" AND a.consultant_id = ${n}"));
        }
        sql.push_str(" ORDER BY a.consultant_id, a.start_date, a.id");
        let rows: Vec<AwardRow> = on_pool!(self, pool => {
            let mut q = sqlx::query_as::<_, AwardRow>(&sql);
            if let Some(d) = dept { q = q.bind(d); }
            if let Some(c) = &consultant { q = q.bind(c.clone()); }
            if let Some(c) = consultant_id { q = q.bind(c.to_string()); }
            q.fetch_all(pool).await?
        });
        rows.into_iter().map(record).collect()
    }

    /// One award or premium.
    pub async fn award(&self, id: i64) -> Result<Option<AwardRecord>> {
        let row: Option<AwardRow> = on_pool!(self, pool => {
            sqlx::query_as(&format!("{AWARD_SELECT} WHERE a.id = $1")).bind(id).fetch_optional(pool).await?
        });
        row.map(record).transpose()
    }

    /// Ends an award or premium on `end_date` (its last day, after its start) if `expected` is
    /// still its version. Returns the new version.
    pub async fn end_award(
        &self,
        actor: &str,
        id: i64,
        expected: i64,
        end_date: NaiveDate,
    ) -> Result<i64> {
        let before = self
            .award(id)
            .await?
            .ok_or_else(|| StoreError::NotFound(format!("award {id}")))?;
        check_end(before.start_date, end_date)?;
        on_pool!(self, pool => {
            let mut tx = pool.begin().await?;
            let reserved = audit_reserve!(tx);
            let at = now();
            versioned_update!(tx, sqlx::query("UPDATE awards SET version = version + 1, end_date = $1, updated_at = $2 WHERE id = $3 AND version = $4")
                .bind(end_date.to_string()).bind(&at).bind(id).bind(expected), "awards", "award", id, expected);
            let mut after = before.clone();
            after.version = expected + 1;
            after.end_date = Some(end_date);
            after.updated_at = at;
            audit_write!(tx, reserved, actor, "end", "award", &id.to_string(), json(&before), json(&after));
            tx.commit().await?;
            Ok(expected + 1)
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ConsultantRecord;

    fn day(s: &str) -> NaiveDate {
        s.parse().unwrap()
    }

    async fn store() -> (Store, std::path::PathBuf) {
        let path = std::env::temp_dir().join(format!(
            "tenpa-awards-{}-{}.db",
            std::process::id(),
            chrono::Utc::now().timestamp_nanos_opt().unwrap_or_default()
        ));
        let store = Store::connect(path.to_str().unwrap()).await.unwrap();
        let trust = store
            .create_employer("t", "Trust", "trust", "england")
            .await
            .unwrap();
        let dept = store
            .create_department("t", trust, "Surgery", "")
            .await
            .unwrap();
        for id in ["c-1", "c-2"] {
            store
                .create_consultant(
                    "t",
                    &ConsultantRecord {
                        id: id.into(),
                        name: id.into(),
                        department_id: dept,
                        first_appointed: day("2004-04-01"),
                        transferred: None,
                        seniority_at_transfer: None,
                        lead_employer_id: Some(trust),
                    },
                )
                .await
                .unwrap();
        }
        (store, path)
    }

    fn cea(consultant: &str, level: i64) -> NewAward {
        NewAward {
            consultant_id: consultant.into(),
            kind: "cea".into(),
            level: Some(level),
            amount_pence: None,
            start_date: day("2005-04-01"),
            end_date: None,
            body: "local".into(),
            evidence: serde_json::json!({}),
            notes: String::new(),
        }
    }

    #[tokio::test]
    async fn awards_are_recorded_scoped_ended_once_per_version_and_audited() {
        let (store, path) = store().await;
        let id = store.create_award("md", &cea("c-1", 3)).await.unwrap();
        let premium = NewAward {
            kind: "retention".into(),
            level: None,
            amount_pence: Some(500_000),
            body: String::new(),
            evidence: serde_json::json!({ "evidence_of_difficulty": true }),
            end_date: Some(day("2007-03-31")),
            ..cea("c-2", 1)
        };
        store.create_award("ms", &premium).await.unwrap();
        assert_eq!(store.awards(&Scope::All, None).await.unwrap().len(), 2);
        let own = store
            .awards(&Scope::Consultant("c-2".into()), None)
            .await
            .unwrap();
        assert_eq!(own.len(), 1);
        assert_eq!(own[0].amount_pence, Some(500_000));
        assert_eq!(own[0].evidence["evidence_of_difficulty"], true);
        assert!(store
            .awards(&Scope::All, Some("c-3"))
            .await
            .unwrap()
            .is_empty());
        assert!(store
            .awards(&Scope::Nothing, None)
            .await
            .unwrap()
            .is_empty());

        assert!(matches!(
            store.create_award("md", &cea("c-1", 14)).await,
            Err(StoreError::Invalid { field, .. }) if field == "level"
        ));
        assert!(matches!(
            store.end_award("md", id, 1, day("2005-04-01")).await,
            Err(StoreError::Invalid { field, .. }) if field == "end_date"
        ));
        assert_eq!(
            store
                .end_award("md", id, 1, day("2008-03-31"))
                .await
                .unwrap(),
            2
        );
        assert!(matches!(
            store.end_award("md", id, 1, day("2009-03-31")).await,
            Err(StoreError::Conflict {
                expected: 1,
                current: 2
            })
        ));
        let a = store.award(id).await.unwrap().unwrap();
        assert_eq!((a.end_date, a.version), (Some(day("2008-03-31")), 2));
        assert!(matches!(
            store.end_award("md", 999, 1, day("2009-03-31")).await,
            Err(StoreError::NotFound(_))
        ));
        assert!(store.verify_audit().await.unwrap().first_broken.is_none());
        drop(store);
        let _ = std::fs::remove_file(path);
    }
}
