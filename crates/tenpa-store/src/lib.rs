//! # tenpa-store
//!
//! Tenpa's records, kept safely. One [`Store`] over SQLite (a file, WAL, `synchronous=FULL`,
//! foreign keys on) or PostgreSQL, chosen by the URL; the same SQL and behaviour on both, with
//! migrations per backend embedded and run at start.
//!
//! - Job plans are **immutable versions**: every edit or workflow step adds a version holding the
//!   document and its assessment; an update names the version it edits and a stale one is a
//!   [`StoreError::Conflict`] naming the current version.
//! - Every change appends to an **audit log** in the same transaction, hash-chained
//!   (`hash = sha256(previous hash, entry)`), so an edited or deleted entry is found by
//!   [`Store::verify_audit`].
//! - Money is stored as whole pence.

mod accounts;
mod audit;
mod awards;
mod board;
mod compliance;
mod consultant_records;
mod current_pay;
mod disclosures;
mod email;
mod establishment;
mod notifications;
mod objectives;
mod offers;
mod oidc;
mod payroll;
mod plan_import;
mod progression;
mod records;
mod rotas;
mod rounds;
mod templates;
mod tokens;
mod versioned;

pub use accounts::{Account, RoleChange};
pub use audit::{AuditEntry, AuditReport, Checkpoint, VersionFigures, CHECKPOINT_FORMAT};
pub use awards::{AwardRecord, NewAward};
pub use board::{BoardAppraisal, Director, Organisation, StoredPec};
pub use compliance::{
    broken_links, snapshot_hash, PlanStep, Snapshot, SnapshotRecord, FIRST_PREVIOUS,
};
pub use consultant_records::RecordFields;
pub use current_pay::CurrentPay;
pub use disclosures::Disclosure;
pub use email::{Notice, OutboxCounts, OutboxEmail, MAX_EMAIL};
pub use establishment::{ImportCounts, StaffChange, StaffRecord};
pub use notifications::{Notification, NOTIFICATIONS_LISTED};
pub use objectives::{Objective, ObjectiveAgreement, ObjectiveNote, ObjectiveVersion};
pub use offers::OfferRecord;
pub use payroll::{NewPayrollExport, PaidLine, PayrollExport, PayrollFiles, SignedOffPlan};
pub use plan_import::ImportedPlan;
pub use progression::{Case, NewStep, Review, Step};
pub use records::*;
pub use rotas::{CategoryDecision, NewRota, Rota, RotaChange};
pub use rounds::{Round, RoundRecord, StateStep};
pub use templates::PlanTemplate;
pub use tokens::{ApiToken, NewApiToken, TokenCheck};

use sqlx::postgres::{PgPool, PgPoolOptions};
use sqlx::sqlite::{
    SqliteConnectOptions, SqliteJournalMode, SqlitePool, SqlitePoolOptions, SqliteSynchronous,
};
use std::str::FromStr;
use std::time::Duration;

/// What can go wrong with stored records.
#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    /// The database failed.
    #[error("database: {0}")]
    Db(#[from] sqlx::Error),
    /// A migration failed.
    #[error("migration: {0}")]
    Migrate(#[from] sqlx::migrate::MigrateError),
    /// An update named a version that is no longer current.
    #[error(
        "the record has changed: version {expected} was edited, the current version is {current}"
    )]
    Conflict {
        /// The version the update named.
        expected: i64,
        /// The current version.
        current: i64,
    },
    /// No such record.
    #[error("{0} not found")]
    NotFound(String),
    /// A value is not acceptable: the field at fault and what was found and expected.
    #[error("{field}: {message}")]
    Invalid {
        /// The field at fault.
        field: String,
        /// What was found and what was expected.
        message: String,
    },
    /// The operation is not allowed on this record.
    #[error("{0}")]
    Refused(String),
}

impl StoreError {
    /// A value of `field` that is not acceptable; `message` says what was found and expected.
    pub fn invalid(field: &str, message: impl Into<String>) -> StoreError {
        StoreError::Invalid {
            field: field.into(),
            message: message.into(),
        }
    }
}

/// Result of store operations.
pub type Result<T> = std::result::Result<T, StoreError>;

pub(crate) enum Db {
    Sqlite(SqlitePool),
    Postgres(PgPool),
}

/// Runs the same block against whichever pool the store holds.
macro_rules! on_pool {
    ($store:expr, $pool:ident => $body:block) => {
        match &$store.db {
            $crate::Db::Sqlite($pool) => $body,
            $crate::Db::Postgres($pool) => $body,
        }
    };
}
pub(crate) use on_pool;

/// The records of one trust (or several), on SQLite or PostgreSQL.
pub struct Store {
    pub(crate) db: Db,
}

impl std::fmt::Debug for Store {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "Store({})", self.backend())
    }
}

/// A database URL with any password replaced, for logs.
pub fn redact(url: &str) -> String {
    match (url.find("://"), url.rfind('@')) {
        (Some(s), Some(at)) if at > s => {
            let creds = &url[s + 3..at];
            match creds.split_once(':') {
                Some((user, _)) => format!("{}{}:***{}", &url[..s + 3], user, &url[at..]),
                None => url.to_string(),
            }
        }
        _ => url.to_string(),
    }
}

impl Store {
    /// Opens `url` (`sqlite://PATH`, a plain path, or `postgres://…`) and runs the migrations.
    pub async fn connect(url: &str) -> Result<Store> {
        let db = if url.starts_with("postgres://") || url.starts_with("postgresql://") {
            let pool = PgPoolOptions::new()
                .max_connections(16)
                .acquire_timeout(Duration::from_secs(10))
                .connect(url)
                .await?;
            sqlx::migrate!("./migrations/postgres").run(&pool).await?;
            Db::Postgres(pool)
        } else {
            let path = url
                .strip_prefix("sqlite://")
                .or_else(|| url.strip_prefix("sqlite:"))
                .unwrap_or(url);
            let opts = SqliteConnectOptions::from_str(&format!("sqlite://{path}"))?
                .create_if_missing(true)
                .journal_mode(SqliteJournalMode::Wal)
                .synchronous(SqliteSynchronous::Full)
                .foreign_keys(true)
                .busy_timeout(Duration::from_secs(10));
            let pool = SqlitePoolOptions::new()
                .max_connections(8)
                .connect_with(opts)
                .await?;
            sqlx::migrate!("./migrations/sqlite").run(&pool).await?;
            Db::Sqlite(pool)
        };
        Ok(Store { db })
    }

    /// `sqlite` or `postgres`.
    pub fn backend(&self) -> &'static str {
        match self.db {
            Db::Sqlite(_) => "sqlite",
            Db::Postgres(_) => "postgres",
        }
    }

    /// Whether the database answers.
    pub async fn ping(&self) -> Result<()> {
        on_pool!(self, pool => {
            sqlx::query("SELECT 1").execute(pool).await?;
        });
        Ok(())
    }

    /// A value from the `meta` table.
    pub async fn meta(&self, key: &str) -> Result<Option<String>> {
        on_pool!(self, pool => {
            Ok(sqlx::query_scalar::<_, String>("SELECT value FROM meta WHERE key = $1").bind(key).fetch_optional(pool).await?)
        })
    }

    /// Sets a value in the `meta` table.
    pub async fn set_meta(&self, key: &str, value: &str) -> Result<()> {
        on_pool!(self, pool => {
            sqlx::query("INSERT INTO meta (key, value) VALUES ($1, $2) ON CONFLICT (key) DO UPDATE SET value = excluded.value").bind(key).bind(value).execute(pool).await?;
        });
        Ok(())
    }

    /// Whether the database holds no records (no employers and no accounts).
    pub async fn is_empty(&self) -> Result<bool> {
        on_pool!(self, pool => {
            let n: i64 = sqlx::query_scalar("SELECT (SELECT COUNT(*) FROM users) + (SELECT COUNT(*) FROM employers)").fetch_one(pool).await?;
            Ok(n == 0)
        })
    }
}

/// The `WHERE` clause limiting a query of consultants' records (joined as `c`) to `scope`, with the
/// department or consultant to bind as `$1`; `None` when the scope holds nothing. `col` names the
/// record's consultant column. The clause always has a `WHERE`, so callers may add `AND …`.
pub(crate) fn consultant_scope(
    scope: &Scope,
    col: &str,
) -> Option<(String, Option<i64>, Option<String>)> {
    scope_clause(scope, "c.department_id", col)
}

/// The `WHERE` clause limiting a query to `scope`, given the columns holding the record's department
/// and consultant, with the value to bind as `$1`; `None` when the scope holds nothing.
pub(crate) fn scope_clause(
    scope: &Scope,
    department_col: &str,
    consultant_col: &str,
) -> Option<(String, Option<i64>, Option<String>)> {
    match scope {
        Scope::All => Some((" WHERE 1 = 1".into(), None, None)),
        Scope::Department(d) => Some((format!(" WHERE {department_col} = $1"), Some(*d), None)),
        Scope::Consultant(id) => Some((
            format!(" WHERE {consultant_col} = $1"),
            None,
            Some(id.clone()),
        )),
        Scope::Nothing => None,
    }
}

/// A state read back from the store (`parse` knowing every state); one the service does not
/// know is an error naming `what`, never taken for another.
pub(crate) fn stored_state<T>(
    what: &str,
    stored: &str,
    parse: impl Fn(&str) -> Option<T>,
) -> Result<T> {
    parse(stored).ok_or_else(|| {
        StoreError::Db(sqlx::Error::Decode(
            format!("{what}: status {stored:?} is not a state the service knows").into(),
        ))
    })
}

/// A stored JSON column read as its type; text that does not read is an error naming the record
/// and the column, never taken for an empty value.
pub(crate) fn stored_json<T: serde::de::DeserializeOwned>(what: &str, stored: &str) -> Result<T> {
    serde_json::from_str(stored).map_err(|e| {
        StoreError::Db(sqlx::Error::Decode(
            format!("{what} does not read as it was stored: {e}").into(),
        ))
    })
}

/// A stored civil date (YYYY-MM-DD) read as a date; text that does not read is an error naming
/// the record and the column, never taken for another day.
pub(crate) fn stored_date(what: &str, stored: &str) -> Result<chrono::NaiveDate> {
    chrono::NaiveDate::parse_from_str(stored, "%Y-%m-%d").map_err(|e| {
        StoreError::Db(sqlx::Error::Decode(
            format!("{what}: {stored:?} is not a date as YYYY-MM-DD: {e}").into(),
        ))
    })
}

/// [`stored_date`] for a column that may be empty.
pub(crate) fn stored_date_opt(
    what: &str,
    stored: Option<&str>,
) -> Result<Option<chrono::NaiveDate>> {
    stored.map(|s| stored_date(what, s)).transpose()
}

/// A date as stored: YYYY-MM-DD.
pub(crate) fn date_text(d: Option<chrono::NaiveDate>) -> Option<String> {
    d.map(|d| d.to_string())
}

/// Now, as stored: RFC 3339 UTC with milliseconds.
pub fn now() -> String {
    chrono::Utc::now().to_rfc3339_opts(chrono::SecondsFormat::Millis, true)
}
