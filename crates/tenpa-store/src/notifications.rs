//! Notifications in the application: what a workflow step asks of someone, kept for them to read.

use crate::email::{notify_in, recipients, Notice};
use crate::{now, on_pool, Result, Store};
use serde::Serialize;

/// A notification as stored.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, sqlx::FromRow)]
pub struct Notification {
    /// Id.
    pub id: i64,
    /// What it is about (see [`Notice::kind`]).
    pub kind: String,
    /// What happened, in words.
    pub message: String,
    /// The page it is about.
    pub link: String,
    /// When (RFC 3339, UTC).
    pub created_at: String,
    /// When it was read, if it was.
    pub read_at: Option<String>,
}

/// The most notifications listed at once.
pub const NOTIFICATIONS_LISTED: i64 = 50;

impl Store {
    /// Notifies each of `usernames` (once each) of `notice`, and puts an email in the outbox for
    /// each of them with an address, in one transaction.
    pub async fn notify(&self, usernames: &[String], notice: &Notice) -> Result<()> {
        let to = recipients(usernames);
        if to.is_empty() {
            return Ok(());
        }
        let at = now();
        on_pool!(self, pool => {
            let mut tx = pool.begin().await?;
            notify_in!(tx, to, notice, &at);
            tx.commit().await?;
            Ok(())
        })
    }

    /// A user's latest notifications, the newest first.
    pub async fn notifications(&self, username: &str) -> Result<Vec<Notification>> {
        on_pool!(self, pool => {
            Ok(sqlx::query_as("SELECT id, kind, message, link, created_at, read_at FROM notifications WHERE username = $1 ORDER BY id DESC LIMIT $2")
                .bind(username).bind(NOTIFICATIONS_LISTED).fetch_all(pool).await?)
        })
    }

    /// How many of a user's notifications are unread.
    pub async fn unread_notifications(&self, username: &str) -> Result<i64> {
        on_pool!(self, pool => {
            Ok(sqlx::query_scalar("SELECT COUNT(*) FROM notifications WHERE username = $1 AND read_at IS NULL")
                .bind(username).fetch_one(pool).await?)
        })
    }

    /// Marks a user's notifications read: all of them, or those of `ids` (others' ids are left
    /// alone). Answers how many were marked.
    pub async fn read_notifications(&self, username: &str, ids: Option<&[i64]>) -> Result<u64> {
        let at = now();
        on_pool!(self, pool => {
            let done = match ids {
                None => sqlx::query("UPDATE notifications SET read_at = $1 WHERE username = $2 AND read_at IS NULL")
                    .bind(&at).bind(username).execute(pool).await?.rows_affected(),
                Some(ids) => {
                    let mut n = 0;
                    let mut tx = pool.begin().await?;
                    for id in ids {
                        n += sqlx::query("UPDATE notifications SET read_at = $1 WHERE username = $2 AND id = $3 AND read_at IS NULL")
                            .bind(&at).bind(username).bind(id).execute(&mut *tx).await?.rows_affected();
                    }
                    tx.commit().await?;
                    n
                }
            };
            Ok(done)
        })
    }
}
