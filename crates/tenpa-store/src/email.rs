//! Email: an account's address, and the outbox a notification is emailed from. A notification
//! to an account with an address puts an email in the outbox in the same transaction, so that
//! nothing told is lost; the sender takes the emails due, a few at a time, marks each sent, or
//! puts it off with the reason and tries again later, or gives up on it with the reason. A
//! reminder is given once: its key is kept with the notifications it made.

use crate::audit::{audit_reserve, audit_write};
use crate::{now, on_pool, Result, Store, StoreError};
use serde::Serialize;

/// What a notification says, in the application and by email.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Notice {
    /// What it is about: `proposed`, `sign_off`, `referred`, `signed_off`, `round_deadline`,
    /// `review_due`.
    pub kind: &'static str,
    /// An email's subject.
    pub subject: String,
    /// What happened, or what is asked, in words.
    pub message: String,
    /// The page it is about (a path on the server).
    pub link: String,
}

/// An email in the outbox.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, sqlx::FromRow)]
pub struct OutboxEmail {
    /// Id.
    pub id: i64,
    /// The address.
    pub to_address: String,
    /// Subject.
    pub subject: String,
    /// The message, in plain text.
    pub body: String,
    /// The page it is about (a path on the server).
    pub link: String,
    /// When it was put in the outbox (RFC 3339, UTC).
    pub created_at: String,
    /// How many times sending it has been tried.
    pub attempts: i64,
    /// When it is next tried.
    pub next_attempt_at: String,
    /// When it was sent.
    pub sent_at: Option<String>,
    /// When it was given up on.
    pub failed_at: Option<String>,
    /// Why the last try failed.
    pub last_error: Option<String>,
}

/// How many emails of the outbox are in each state.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize)]
pub struct OutboxCounts {
    /// Waiting to be sent or tried again.
    pub waiting: i64,
    /// Sent.
    pub sent: i64,
    /// Given up on.
    pub failed: i64,
}

/// The longest address kept (RFC 5321's limit on a path).
pub const MAX_EMAIL: usize = 254;

const OUTBOX_COLS: &str = "id, to_address, subject, body, link, created_at, attempts, next_attempt_at, sent_at, failed_at, last_error";

/// Inserts the notifications of `notice` for `to` (sorted, each once) and an email for each of
/// them with an address, inside the caller's transaction.
macro_rules! notify_in {
    ($tx:ident, $to:expr, $notice:expr, $at:expr) => {{
        for u in $to {
            sqlx::query("INSERT INTO notifications (username, kind, message, link, created_at) VALUES ($1, $2, $3, $4, $5)")
                .bind(u).bind($notice.kind).bind(&$notice.message).bind(&$notice.link).bind($at)
                .execute(&mut *$tx).await?;
            let email: Option<Option<String>> = sqlx::query_scalar("SELECT email FROM users WHERE username = $1 AND disabled_at IS NULL")
                .bind(u).fetch_optional(&mut *$tx).await?;
            if let Some(address) = email.flatten().filter(|e| !e.is_empty()) {
                sqlx::query("INSERT INTO email_outbox (to_address, subject, body, link, created_at, next_attempt_at) VALUES ($1, $2, $3, $4, $5, $5)")
                    .bind(address).bind(&$notice.subject).bind(&$notice.message).bind(&$notice.link).bind($at)
                    .execute(&mut *$tx).await?;
            }
        }
    }};
}
pub(crate) use notify_in;

/// The usernames once each, sorted.
pub(crate) fn recipients(usernames: &[String]) -> Vec<&String> {
    let mut to: Vec<&String> = usernames.iter().collect();
    to.sort();
    to.dedup();
    to
}

impl Store {
    /// Sets (or, with `None`, clears) the address an account's notifications are emailed to,
    /// audited with before and after. Unknown username: [`StoreError::NotFound`]. Returns
    /// whether anything changed. The caller checks the address's form.
    pub async fn set_user_email(
        &self,
        actor: &str,
        username: &str,
        email: Option<&str>,
    ) -> Result<bool> {
        if email.is_some_and(|e| e.len() > MAX_EMAIL) {
            return Err(StoreError::invalid(
                "email",
                format!("expected at most {MAX_EMAIL} characters"),
            ));
        }
        on_pool!(self, pool => {
            let mut tx = pool.begin().await?;
            let reserved = audit_reserve!(tx);
            let row: Option<(i64, Option<String>)> = sqlx::query_as("SELECT id, email FROM users WHERE username = $1")
                .bind(username).fetch_optional(&mut *tx).await?;
            let Some((id, before)) = row else {
                tx.rollback().await?;
                return Err(StoreError::NotFound(format!("the account {username}")));
            };
            if before.as_deref() == email {
                tx.rollback().await?;
                return Ok(false);
            }
            sqlx::query("UPDATE users SET email = $1 WHERE id = $2").bind(email).bind(id).execute(&mut *tx).await?;
            let before = serde_json::json!({ "username": username, "email": before }).to_string();
            let after = serde_json::json!({ "username": username, "email": email }).to_string();
            audit_write!(tx, reserved, actor, "email", "user", &id.to_string(), Some(before), Some(after));
            tx.commit().await?;
            Ok(true)
        })
    }

    /// Gives the reminder `key` once: the first call notifies `usernames` of `notice` (and
    /// emails those with an address) and answers true; later calls with the same key do
    /// nothing and answer false.
    pub async fn remind(&self, key: &str, usernames: &[String], notice: &Notice) -> Result<bool> {
        let to = recipients(usernames);
        let at = now();
        on_pool!(self, pool => {
            let mut tx = pool.begin().await?;
            let new = sqlx::query("INSERT INTO reminders (key, created_at) VALUES ($1, $2) ON CONFLICT (key) DO NOTHING")
                .bind(key).bind(&at).execute(&mut *tx).await?.rows_affected() == 1;
            if !new {
                tx.rollback().await?;
                return Ok(false);
            }
            notify_in!(tx, to, notice, &at);
            tx.commit().await?;
            Ok(true)
        })
    }

    /// The keys of every reminder given so far.
    pub async fn reminders_given(&self) -> Result<std::collections::HashSet<String>> {
        let keys: Vec<String> = on_pool!(self, pool => {
            sqlx::query_scalar("SELECT key FROM reminders").fetch_all(pool).await?
        });
        Ok(keys.into_iter().collect())
    }

    /// Takes up to `limit` emails due at `at` (RFC 3339, UTC), oldest first, and puts each off
    /// until `lease_until`, so that another sender does not take it meanwhile; the sender then
    /// marks each sent, put off or given up.
    pub async fn take_due_emails(
        &self,
        at: &str,
        lease_until: &str,
        limit: i64,
    ) -> Result<Vec<OutboxEmail>> {
        on_pool!(self, pool => {
            let mut tx = pool.begin().await?;
            let due: Vec<OutboxEmail> = sqlx::query_as(&format!("SELECT {OUTBOX_COLS} FROM email_outbox WHERE sent_at IS NULL AND failed_at IS NULL AND next_attempt_at <= $1 ORDER BY next_attempt_at, id LIMIT $2"))
                .bind(at).bind(limit).fetch_all(&mut *tx).await?;
            let mut taken = Vec::with_capacity(due.len());
            for e in due {
                let n = sqlx::query("UPDATE email_outbox SET next_attempt_at = $1 WHERE id = $2 AND next_attempt_at = $3 AND sent_at IS NULL AND failed_at IS NULL")
                    .bind(lease_until).bind(e.id).bind(&e.next_attempt_at).execute(&mut *tx).await?.rows_affected();
                if n == 1 {
                    taken.push(e);
                }
            }
            tx.commit().await?;
            Ok(taken)
        })
    }

    /// Marks an email sent at `at`.
    pub async fn email_sent(&self, id: i64, at: &str) -> Result<()> {
        on_pool!(self, pool => {
            sqlx::query("UPDATE email_outbox SET sent_at = $1, attempts = attempts + 1, last_error = NULL WHERE id = $2")
                .bind(at).bind(id).execute(pool).await?;
            Ok(())
        })
    }

    /// Records a failed try of an email at `at` with its reason: tried again at `retry_at`, or,
    /// with `None`, given up on.
    pub async fn email_failed(
        &self,
        id: i64,
        at: &str,
        error: &str,
        retry_at: Option<&str>,
    ) -> Result<()> {
        let error: String = error.chars().take(1000).collect();
        on_pool!(self, pool => {
            match retry_at {
                Some(next) => sqlx::query("UPDATE email_outbox SET attempts = attempts + 1, last_error = $1, next_attempt_at = $2 WHERE id = $3")
                    .bind(&error).bind(next).bind(id).execute(pool).await?,
                None => sqlx::query("UPDATE email_outbox SET attempts = attempts + 1, last_error = $1, failed_at = $2 WHERE id = $3")
                    .bind(&error).bind(at).bind(id).execute(pool).await?,
            };
            Ok(())
        })
    }

    /// The latest emails of the outbox, the newest first.
    pub async fn outbox(&self, limit: i64) -> Result<Vec<OutboxEmail>> {
        on_pool!(self, pool => {
            Ok(sqlx::query_as(&format!("SELECT {OUTBOX_COLS} FROM email_outbox ORDER BY id DESC LIMIT $1"))
                .bind(limit).fetch_all(pool).await?)
        })
    }

    /// How many emails of the outbox are waiting, sent and given up on.
    pub async fn outbox_counts(&self) -> Result<OutboxCounts> {
        on_pool!(self, pool => {
            let (waiting, sent, failed): (i64, i64, i64) = sqlx::query_as("SELECT COALESCE(SUM(CASE WHEN sent_at IS NULL AND failed_at IS NULL THEN 1 ELSE 0 END), 0), COALESCE(SUM(CASE WHEN sent_at IS NOT NULL THEN 1 ELSE 0 END), 0), COALESCE(SUM(CASE WHEN failed_at IS NOT NULL THEN 1 ELSE 0 END), 0) FROM email_outbox")
                .fetch_one(pool).await?;
            Ok(OutboxCounts { waiting, sent, failed })
        })
    }
}
