//! Boards and their directors' competency appraisals (BC-1, BC-2), and PCTs' professional
//! executive committee documents (PEC-1 … PEC-4). The store keeps records; who may change what,
//! and the completeness of a self-assessment, are decided by the server with the rules crate.

use crate::audit::{audit_reserve, audit_write};
use crate::versioned::versioned_update;
use crate::{now, on_pool, stored_json, Result, Store, StoreError};
use serde::{Deserialize, Serialize};
use tenpa_rules::board_competency::Ratings;

/// An organisation with a board: a trust, an ICB or NHS England.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, sqlx::FromRow)]
pub struct Organisation {
    /// Id.
    pub id: i64,
    /// Name.
    pub name: String,
    /// `trust`, `icb` or `nhs_england`.
    pub kind: String,
}

/// A board-level director.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Director {
    /// Id (0 before it is stored).
    pub id: i64,
    /// The organisation whose board they sit on.
    pub organisation_id: i64,
    /// Name.
    pub name: String,
    /// The user account, if any.
    pub username: Option<String>,
    /// `chair`, `chief_executive`, `executive` or `non_executive`.
    pub position: String,
    /// Job title ("Medical Director").
    pub title: String,
    /// The framework domains (keys) their job description covers (BC-2).
    pub job_domains: Vec<String>,
}

/// A director's appraisal for one year.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct BoardAppraisal {
    /// Id.
    pub id: i64,
    /// The director.
    pub director_id: i64,
    /// The appraisal year (the year it starts, 2024 = 2024/25).
    pub year: i64,
    /// The framework version used.
    pub framework_version: String,
    /// The self-assessment: a rating and evidence per statement.
    pub ratings: Ratings,
    /// The appraiser's record of the discussion.
    pub discussion: String,
    /// The agreed development objectives.
    pub objectives: String,
    /// When the director signed off.
    pub director_signed_at: Option<String>,
    /// When the appraiser signed off.
    pub appraiser_signed_at: Option<String>,
    /// Version, for updates.
    pub version: i64,
    /// Last change.
    pub updated_at: String,
}

/// A stored PEC document.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, sqlx::FromRow)]
pub struct StoredPec {
    /// Id.
    pub id: i64,
    /// The PCT.
    pub pct: String,
    /// Its strategic health authority.
    pub sha: String,
    /// The committee document as JSON.
    pub document: String,
    /// Who stored it.
    pub updated_by: String,
    /// When.
    pub updated_at: String,
}

/// A director as stored ([`DIRECTOR_COLS`]).
#[derive(sqlx::FromRow)]
struct DirectorRow {
    id: i64,
    organisation_id: i64,
    name: String,
    username: Option<String>,
    position: String,
    title: String,
    job_domains: String,
}

/// An appraisal as stored ([`APPRAISAL_COLS`]).
#[derive(sqlx::FromRow)]
struct AppraisalRow {
    id: i64,
    director_id: i64,
    year: i64,
    framework_version: String,
    ratings: String,
    discussion: String,
    objectives: String,
    director_signed_at: Option<String>,
    appraiser_signed_at: Option<String>,
    version: i64,
    updated_at: String,
}

const DIRECTOR_COLS: &str =
    "SELECT id, organisation_id, name, username, position, title, job_domains FROM directors";
const APPRAISAL_COLS: &str = "SELECT a.id, a.director_id, a.year, a.framework_version, a.ratings, a.discussion, a.objectives, a.director_signed_at, a.appraiser_signed_at, a.version, a.updated_at FROM board_appraisals a";

/// The director; job domains that do not read as they were stored are an error naming the
/// director, never taken for none.
fn director(r: DirectorRow) -> Result<Director> {
    Ok(Director {
        job_domains: stored_json(&format!("director {}'s job_domains", r.id), &r.job_domains)?,
        id: r.id,
        organisation_id: r.organisation_id,
        name: r.name,
        username: r.username,
        position: r.position,
        title: r.title,
    })
}

/// The appraisal; ratings that do not read as they were stored are an error naming it, never
/// taken for none.
fn appraisal(r: AppraisalRow) -> Result<BoardAppraisal> {
    Ok(BoardAppraisal {
        ratings: stored_json(&format!("appraisal {}'s ratings", r.id), &r.ratings)?,
        id: r.id,
        director_id: r.director_id,
        year: r.year,
        framework_version: r.framework_version,
        discussion: r.discussion,
        objectives: r.objectives,
        director_signed_at: r.director_signed_at,
        appraiser_signed_at: r.appraiser_signed_at,
        version: r.version,
        updated_at: r.updated_at,
    })
}

fn json<T: Serialize>(v: &T) -> String {
    serde_json::to_string(v).unwrap_or_default()
}

impl Store {
    /// Adds an organisation.
    pub async fn create_organisation(&self, actor: &str, name: &str, kind: &str) -> Result<i64> {
        if !matches!(kind, "trust" | "icb" | "nhs_england") {
            return Err(StoreError::invalid(
                "kind",
                format!("found \"{kind}\", expected \"trust\", \"icb\" or \"nhs_england\""),
            ));
        }
        on_pool!(self, pool => {
            let mut tx = pool.begin().await?;
            let reserved = audit_reserve!(tx);
            let exists: Option<i64> = sqlx::query_scalar("SELECT id FROM organisations WHERE name = $1").bind(name).fetch_optional(&mut *tx).await?;
            if exists.is_some() {
                return Err(StoreError::invalid("name", format!("an organisation \"{name}\" already exists")));
            }
            let id: i64 = sqlx::query_scalar("INSERT INTO organisations (name, kind, created_at) VALUES ($1, $2, $3) RETURNING id")
                .bind(name).bind(kind).bind(now()).fetch_one(&mut *tx).await?;
            let after = json(&Organisation { id, name: name.into(), kind: kind.into() });
            audit_write!(tx, reserved, actor, "create", "organisation", &id.to_string(), None, Some(after));
            tx.commit().await?;
            Ok(id)
        })
    }

    /// Every organisation, by name.
    pub async fn organisations(&self) -> Result<Vec<Organisation>> {
        on_pool!(self, pool => {
            Ok(sqlx::query_as("SELECT id, name, kind FROM organisations ORDER BY name").fetch_all(pool).await?)
        })
    }

    /// Adds a director to an organisation's board.
    pub async fn create_director(&self, actor: &str, d: &Director) -> Result<i64> {
        if !matches!(
            d.position.as_str(),
            "chair" | "chief_executive" | "executive" | "non_executive"
        ) {
            return Err(StoreError::invalid("position", format!(
                "found \"{}\", expected \"chair\", \"chief_executive\", \"executive\" or \"non_executive\"",
                d.position
            )));
        }
        on_pool!(self, pool => {
            let mut tx = pool.begin().await?;
            let reserved = audit_reserve!(tx);
            let org: Option<i64> = sqlx::query_scalar("SELECT id FROM organisations WHERE id = $1").bind(d.organisation_id).fetch_optional(&mut *tx).await?;
            if org.is_none() {
                return Err(StoreError::NotFound(format!("organisation {}", d.organisation_id)));
            }
            if matches!(d.position.as_str(), "chair" | "chief_executive") {
                let taken: Option<i64> = sqlx::query_scalar("SELECT id FROM directors WHERE organisation_id = $1 AND position = $2")
                    .bind(d.organisation_id).bind(&d.position).fetch_optional(&mut *tx).await?;
                if taken.is_some() {
                    return Err(StoreError::invalid("position", format!("the board already has a {}", d.position.replace('_', " "))));
                }
            }
            let id: i64 = sqlx::query_scalar("INSERT INTO directors (organisation_id, name, username, position, title, job_domains, created_at) VALUES ($1, $2, $3, $4, $5, $6, $7) RETURNING id")
                .bind(d.organisation_id).bind(&d.name).bind(&d.username).bind(&d.position).bind(&d.title).bind(json(&d.job_domains)).bind(now())
                .fetch_one(&mut *tx).await?;
            let mut stored = d.clone();
            stored.id = id;
            audit_write!(tx, reserved, actor, "create", "director", &id.to_string(), None, Some(json(&stored)));
            tx.commit().await?;
            Ok(id)
        })
    }

    /// One director.
    pub async fn director(&self, id: i64) -> Result<Option<Director>> {
        on_pool!(self, pool => {
            let r: Option<DirectorRow> = sqlx::query_as(&format!("{DIRECTOR_COLS} WHERE id = $1")).bind(id).fetch_optional(pool).await?;
            r.map(director).transpose()
        })
    }

    /// An organisation's board, chair and chief executive first.
    pub async fn directors(&self, organisation_id: i64) -> Result<Vec<Director>> {
        on_pool!(self, pool => {
            let rows: Vec<DirectorRow> = sqlx::query_as(&format!("{DIRECTOR_COLS} WHERE organisation_id = $1 ORDER BY CASE position WHEN 'chair' THEN 0 WHEN 'chief_executive' THEN 1 WHEN 'executive' THEN 2 ELSE 3 END, name")).bind(organisation_id).fetch_all(pool).await?;
            rows.into_iter().map(director).collect()
        })
    }

    /// The director records linked to a user account.
    pub async fn directors_of_user(&self, username: &str) -> Result<Vec<Director>> {
        on_pool!(self, pool => {
            let rows: Vec<DirectorRow> = sqlx::query_as(&format!("{DIRECTOR_COLS} WHERE username = $1 ORDER BY id")).bind(username).fetch_all(pool).await?;
            rows.into_iter().map(director).collect()
        })
    }

    /// Records the domains a director's job description covers.
    pub async fn set_job_domains(&self, actor: &str, id: i64, domains: &[String]) -> Result<()> {
        let before = self
            .director(id)
            .await?
            .ok_or_else(|| StoreError::NotFound(format!("director {id}")))?;
        on_pool!(self, pool => {
            let mut tx = pool.begin().await?;
            let reserved = audit_reserve!(tx);
            sqlx::query("UPDATE directors SET job_domains = $1 WHERE id = $2").bind(json(&domains)).bind(id).execute(&mut *tx).await?;
            audit_write!(tx, reserved, actor, "update", "director_job_description", &id.to_string(), Some(json(&before.job_domains)), Some(json(&domains)));
            tx.commit().await?;
            Ok(())
        })
    }

    /// Opens a director's appraisal for a year, against a framework version.
    pub async fn create_board_appraisal(
        &self,
        actor: &str,
        director_id: i64,
        year: i64,
        framework_version: &str,
    ) -> Result<i64> {
        on_pool!(self, pool => {
            let mut tx = pool.begin().await?;
            let reserved = audit_reserve!(tx);
            let existing: Option<i64> = sqlx::query_scalar("SELECT id FROM board_appraisals WHERE director_id = $1 AND year = $2")
                .bind(director_id).bind(year).fetch_optional(&mut *tx).await?;
            if let Some(e) = existing {
                return Err(StoreError::invalid("year", format!("the director already has appraisal {e} for {year}")));
            }
            let id: i64 = sqlx::query_scalar("INSERT INTO board_appraisals (director_id, year, framework_version, ratings, discussion, objectives, director_signed_at, appraiser_signed_at, version, updated_at) VALUES ($1, $2, $3, '{}', '', '', NULL, NULL, 1, $4) RETURNING id")
                .bind(director_id).bind(year).bind(framework_version).bind(now()).fetch_one(&mut *tx).await?;
            let after = serde_json::json!({ "director_id": director_id, "year": year, "framework_version": framework_version }).to_string();
            audit_write!(tx, reserved, actor, "create", "board_appraisal", &id.to_string(), None, Some(after));
            tx.commit().await?;
            Ok(id)
        })
    }

    /// One appraisal.
    pub async fn board_appraisal(&self, id: i64) -> Result<Option<BoardAppraisal>> {
        on_pool!(self, pool => {
            let r: Option<AppraisalRow> = sqlx::query_as(&format!("{APPRAISAL_COLS} WHERE a.id = $1")).bind(id).fetch_optional(pool).await?;
            r.map(appraisal).transpose()
        })
    }

    /// The appraisals of an organisation's directors, optionally for one year; by director, then year.
    pub async fn board_appraisals(
        &self,
        organisation_id: i64,
        year: Option<i64>,
    ) -> Result<Vec<BoardAppraisal>> {
        on_pool!(self, pool => {
            let rows: Vec<AppraisalRow> = sqlx::query_as(&format!("{APPRAISAL_COLS} JOIN directors d ON d.id = a.director_id WHERE d.organisation_id = $1 ORDER BY a.director_id, a.year"))
                .bind(organisation_id).fetch_all(pool).await?;
            let all = rows.into_iter().map(appraisal).collect::<Result<Vec<_>>>()?;
            Ok(all.into_iter().filter(|a| year.is_none_or(|y| a.year == y)).collect())
        })
    }

    /// When each appraisal was opened (the time of its `create` entry in the audit log, RFC 3339
    /// UTC), by appraisal id.
    pub async fn board_appraisals_opened(&self) -> Result<std::collections::HashMap<i64, String>> {
        let rows: Vec<(String, String)> = on_pool!(self, pool => {
            sqlx::query_as("SELECT entity_id, MIN(at) FROM audit_log WHERE entity = 'board_appraisal' AND action = 'create' GROUP BY entity_id")
                .fetch_all(pool).await?
        });
        Ok(rows
            .into_iter()
            .filter_map(|(id, at)| Some((id.parse().ok()?, at)))
            .collect())
    }

    /// Saves an appraisal's ratings, discussion, objectives and sign-offs. `a.version` is the
    /// version edited: a stale one is a [`StoreError::Conflict`]. Returns the new version.
    pub async fn save_board_appraisal(
        &self,
        actor: &str,
        action: &str,
        a: &BoardAppraisal,
    ) -> Result<i64> {
        on_pool!(self, pool => {
            let mut tx = pool.begin().await?;
            let reserved = audit_reserve!(tx);
            let current: Option<AppraisalRow> = sqlx::query_as(&format!("{APPRAISAL_COLS} WHERE a.id = $1")).bind(a.id).fetch_optional(&mut *tx).await?;
            let Some(current) = current.map(appraisal).transpose()? else {
                return Err(StoreError::NotFound(format!("appraisal {}", a.id)));
            };
            let at = now();
            versioned_update!(tx, sqlx::query("UPDATE board_appraisals SET ratings = $1, discussion = $2, objectives = $3, director_signed_at = $4, appraiser_signed_at = $5, version = version + 1, updated_at = $6 WHERE id = $7 AND version = $8")
                .bind(json(&a.ratings)).bind(&a.discussion).bind(&a.objectives).bind(&a.director_signed_at).bind(&a.appraiser_signed_at)
                .bind(&at).bind(a.id).bind(a.version), "board_appraisals", "appraisal", a.id, a.version);
            let mut after = a.clone();
            after.version += 1;
            after.updated_at = at;
            audit_write!(tx, reserved, actor, action, "board_appraisal", &a.id.to_string(), Some(json(&current)), Some(json(&after)));
            tx.commit().await?;
            Ok(a.version + 1)
        })
    }

    /// Stores a PCT's PEC document (JSON), replacing the PCT's previous one.
    pub async fn put_pec(&self, actor: &str, pct: &str, sha: &str, document: &str) -> Result<i64> {
        on_pool!(self, pool => {
            let mut tx = pool.begin().await?;
            let reserved = audit_reserve!(tx);
            let at = now();
            let before: Option<(i64, String)> = sqlx::query_as("SELECT id, document FROM pecs WHERE pct = $1").bind(pct).fetch_optional(&mut *tx).await?;
            let id = match &before {
                Some((id, _)) => {
                    sqlx::query("UPDATE pecs SET sha = $1, document = $2, updated_by = $3, updated_at = $4 WHERE id = $5")
                        .bind(sha).bind(document).bind(actor).bind(&at).bind(id).execute(&mut *tx).await?;
                    *id
                }
                None => sqlx::query_scalar("INSERT INTO pecs (pct, sha, document, updated_by, updated_at) VALUES ($1, $2, $3, $4, $5) RETURNING id")
                    .bind(pct).bind(sha).bind(document).bind(actor).bind(&at).fetch_one(&mut *tx).await?,
            };
            let action = if before.is_some() { "update" } else { "create" };
            audit_write!(tx, reserved, actor, action, "pec", &id.to_string(), before.map(|b| b.1), Some(document.to_string()));
            tx.commit().await?;
            Ok(id)
        })
    }

    /// Every stored PEC, by SHA then PCT.
    pub async fn pecs(&self) -> Result<Vec<StoredPec>> {
        on_pool!(self, pool => {
            Ok(sqlx::query_as("SELECT id, pct, sha, document, updated_by, updated_at FROM pecs ORDER BY sha, pct").fetch_all(pool).await?)
        })
    }
}
