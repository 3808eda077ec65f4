//! API tokens: stored only as their hash, with who issued them, an expiry, revocation and the time
//! of last use. A token acting as an account other than its issuer's is an `act_as` token: issuing
//! one is audited naming both accounts, and so is every use.

use crate::audit::{audit_reserve, audit_write};
use crate::records::{user, UserRow, USER_COLS};
use crate::{now, on_pool, Result, Store, User};
use serde::Serialize;

/// How often the time of last use is written for a token that is not audited on each use.
const LAST_USED_EVERY_SECONDS: i64 = 60;

/// An API token as listed: never its secret.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, sqlx::FromRow)]
pub struct ApiToken {
    /// Id.
    pub id: i64,
    /// What it is for.
    pub name: String,
    /// The account it acts as.
    pub username: String,
    /// The administrator who issued it (empty for tokens issued before this was kept).
    pub created_by: String,
    /// When it was issued, RFC 3339 UTC.
    pub created_at: String,
    /// When it stops working, RFC 3339 UTC.
    pub expires_at: String,
    /// Whether it acts as an account other than its issuer's (each use is audited).
    pub act_as: bool,
    /// When it was revoked, if it was.
    pub revoked_at: Option<String>,
    /// Who revoked it.
    pub revoked_by: Option<String>,
    /// When it was last used (to the minute, or exactly for `act_as` tokens).
    pub last_used_at: Option<String>,
}

impl ApiToken {
    /// `active`, `expired` or `revoked`, at `now` (RFC 3339 UTC).
    pub fn state_at(&self, now: &str) -> &'static str {
        if self.revoked_at.is_some() {
            "revoked"
        } else if !later(&self.expires_at, now) {
            "expired"
        } else {
            "active"
        }
    }
}

/// A token to store.
#[derive(Debug, Clone)]
pub struct NewApiToken<'a> {
    /// The SHA-256 of the secret.
    pub token_hash: &'a str,
    /// The account it acts as.
    pub user_id: i64,
    /// That account's username (for the audit entry).
    pub username: &'a str,
    /// What it is for.
    pub name: &'a str,
    /// The issuing administrator's username.
    pub created_by: &'a str,
    /// When it stops working, RFC 3339 UTC.
    pub expires_at: &'a str,
    /// Whether it acts as an account other than its issuer's.
    pub act_as: bool,
}

/// What a presented token is.
#[derive(Debug, Clone)]
pub enum TokenCheck {
    /// It works: the account, the token's id, whether it acts for someone else and who issued it.
    Valid {
        /// The account it acts as.
        user: Box<User>,
        /// The token's id.
        token_id: i64,
        /// Whether each use is audited.
        act_as: bool,
        /// Who issued it.
        created_by: String,
        /// When it was last used.
        last_used_at: Option<String>,
    },
    /// It expired at this time.
    Expired(String),
    /// It was revoked at this time.
    Revoked(String),
    /// Its account is disabled.
    Disabled,
    /// No such token.
    Unknown,
}

/// Whether RFC 3339 time `a` is after `b`.
fn later(a: &str, b: &str) -> bool {
    match (
        chrono::DateTime::parse_from_rfc3339(a),
        chrono::DateTime::parse_from_rfc3339(b),
    ) {
        (Ok(a), Ok(b)) => a > b,
        _ => a > b,
    }
}

const TOKEN_COLS: &str = "t.id, t.name, u.username, t.created_by, t.created_at, t.expires_at, t.act_as, t.revoked_at, t.revoked_by, t.last_used_at";

/// A token with its account as [`Store::check_api_token`] reads them.
#[derive(sqlx::FromRow)]
struct CheckRow {
    #[sqlx(flatten)]
    user: UserRow,
    token_id: i64,
    token_created_by: String,
    expires_at: String,
    act_as: bool,
    revoked_at: Option<String>,
    last_used_at: Option<String>,
    disabled_at: Option<String>,
}

impl Store {
    /// Stores an API token under its hash and audits its issue (naming the issuer and the account);
    /// answers its id.
    pub async fn create_api_token(&self, t: &NewApiToken<'_>) -> Result<i64> {
        on_pool!(self, pool => {
            let mut tx = pool.begin().await?;
            let reserved = audit_reserve!(tx);
            let created_at = now();
            let id: i64 = sqlx::query_scalar("INSERT INTO api_tokens (token_hash, user_id, name, created_at, created_by, expires_at, act_as) VALUES ($1, $2, $3, $4, $5, $6, $7) RETURNING id")
                .bind(t.token_hash).bind(t.user_id).bind(t.name).bind(&created_at).bind(t.created_by).bind(t.expires_at).bind(t.act_as)
                .fetch_one(&mut *tx).await?;
            let after = serde_json::json!({
                "id": id,
                "name": t.name,
                "user_id": t.user_id,
                "username": t.username,
                "issued_by": t.created_by,
                "expires_at": t.expires_at,
                "act_as": t.act_as,
            });
            let action = if t.act_as { "create_act_as" } else { "create" };
            audit_write!(tx, reserved, t.created_by, action, "api_token", &id.to_string(), None, Some(after.to_string()));
            tx.commit().await?;
            Ok(id)
        })
    }

    /// Every API token, newest first.
    pub async fn api_tokens(&self) -> Result<Vec<ApiToken>> {
        on_pool!(self, pool => {
            Ok(sqlx::query_as(&format!("SELECT {TOKEN_COLS} FROM api_tokens t JOIN users u ON u.id = t.user_id ORDER BY t.id DESC")).fetch_all(pool).await?)
        })
    }

    /// One API token.
    pub async fn api_token(&self, id: i64) -> Result<Option<ApiToken>> {
        on_pool!(self, pool => {
            Ok(sqlx::query_as(&format!("SELECT {TOKEN_COLS} FROM api_tokens t JOIN users u ON u.id = t.user_id WHERE t.id = $1")).bind(id).fetch_optional(pool).await?)
        })
    }

    /// Revokes an API token, audited; `None` when there is no such token. Revoking a revoked token
    /// changes nothing and writes nothing.
    pub async fn revoke_api_token(&self, actor: &str, id: i64) -> Result<Option<ApiToken>> {
        on_pool!(self, pool => {
            let mut tx = pool.begin().await?;
            let reserved = audit_reserve!(tx);
            let row: Option<ApiToken> = sqlx::query_as(&format!("SELECT {TOKEN_COLS} FROM api_tokens t JOIN users u ON u.id = t.user_id WHERE t.id = $1")).bind(id).fetch_optional(&mut *tx).await?;
            let Some(before) = row else {
                return Ok(None);
            };
            if before.revoked_at.is_some() {
                return Ok(Some(before));
            }
            let at = now();
            sqlx::query("UPDATE api_tokens SET revoked_at = $1, revoked_by = $2 WHERE id = $3").bind(&at).bind(actor).bind(id).execute(&mut *tx).await?;
            let mut after = before.clone();
            after.revoked_at = Some(at);
            after.revoked_by = Some(actor.to_string());
            let json = |t: &ApiToken| serde_json::to_string(t).ok();
            audit_write!(tx, reserved, actor, "revoke", "api_token", &id.to_string(), json(&before), json(&after));
            tx.commit().await?;
            Ok(Some(after))
        })
    }

    /// What the token with this hash is: valid (with its account), expired, revoked, of a disabled
    /// account, or unknown.
    pub async fn check_api_token(&self, token_hash: &str) -> Result<TokenCheck> {
        let row: Option<CheckRow> = on_pool!(self, pool => {
            sqlx::query_as(&format!("SELECT {USER_COLS}, t.id AS token_id, t.created_by AS token_created_by, t.expires_at, t.act_as, t.revoked_at, t.last_used_at, u.disabled_at FROM api_tokens t JOIN users u ON u.id = t.user_id WHERE t.token_hash = $1")).bind(token_hash).fetch_optional(pool).await?
        });
        let Some(r) = row else {
            return Ok(TokenCheck::Unknown);
        };
        if let Some(at) = r.revoked_at {
            return Ok(TokenCheck::Revoked(at));
        }
        if !later(&r.expires_at, &now()) {
            return Ok(TokenCheck::Expired(r.expires_at));
        }
        if r.disabled_at.is_some() {
            return Ok(TokenCheck::Disabled);
        }
        Ok(TokenCheck::Valid {
            user: Box::new(user(r.user)),
            token_id: r.token_id,
            act_as: r.act_as,
            created_by: r.token_created_by,
            last_used_at: r.last_used_at,
        })
    }

    /// Records a use of a valid token: for an `act_as` token one audit entry ("acted as X via token
    /// N", naming the request) and the time; for any other, the time at most once a minute.
    pub async fn record_api_token_use(&self, check: &TokenCheck, request: &str) -> Result<()> {
        let TokenCheck::Valid {
            user,
            token_id,
            act_as,
            created_by,
            last_used_at,
        } = check
        else {
            return Ok(());
        };
        let at = now();
        if *act_as {
            let after = serde_json::json!({
                "summary": format!("acted as {} via token {token_id}", user.username),
                "token": token_id,
                "account": user.username,
                "issued_by": created_by,
                "request": request,
            });
            on_pool!(self, pool => {
                let mut tx = pool.begin().await?;
                let reserved = audit_reserve!(tx);
                audit_write!(tx, reserved, &user.username, "act_as", "api_token", &token_id.to_string(), None, Some(after.to_string()));
                sqlx::query("UPDATE api_tokens SET last_used_at = $1 WHERE id = $2").bind(&at).bind(token_id).execute(&mut *tx).await?;
                tx.commit().await?;
            });
            return Ok(());
        }
        let stale = match last_used_at {
            None => true,
            Some(last) => match (
                chrono::DateTime::parse_from_rfc3339(last),
                chrono::DateTime::parse_from_rfc3339(&at),
            ) {
                (Ok(last), Ok(now)) => (now - last).num_seconds() >= LAST_USED_EVERY_SECONDS,
                _ => true,
            },
        };
        if stale {
            on_pool!(self, pool => {
                sqlx::query("UPDATE api_tokens SET last_used_at = $1 WHERE id = $2").bind(&at).bind(token_id).execute(pool).await?;
            });
        }
        Ok(())
    }
}
