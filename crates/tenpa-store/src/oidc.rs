//! OpenID Connect sign-in: the state and nonce of authorization requests under way, and the local
//! account of a person signed in by the issuer.

use crate::audit::{audit_reserve, audit_write};
use crate::records::{roles_text, user, User, UserRow, USER_COLS};
use crate::{now, on_pool, Result, Store, StoreError};
use tenpa_rules::job_planning::Role;

impl Store {
    /// Keeps the nonce of an authorization request under the hash of its state until `expires_at`;
    /// forgets expired requests.
    pub async fn create_oidc_login(
        &self,
        state_hash: &str,
        nonce: &str,
        expires_at: &str,
    ) -> Result<()> {
        on_pool!(self, pool => {
            let at = now();
            sqlx::query("DELETE FROM oidc_logins WHERE expires_at <= $1").bind(&at).execute(pool).await?;
            sqlx::query("INSERT INTO oidc_logins (state_hash, nonce, created_at, expires_at) VALUES ($1, $2, $3, $4)")
                .bind(state_hash).bind(nonce).bind(&at).bind(expires_at).execute(pool).await?;
        });
        Ok(())
    }

    /// Takes (and forgets) the nonce of the unexpired authorization request with this state: a state
    /// is good for one callback only.
    pub async fn take_oidc_login(&self, state_hash: &str) -> Result<Option<String>> {
        on_pool!(self, pool => {
            Ok(sqlx::query_scalar("DELETE FROM oidc_logins WHERE state_hash = $1 AND expires_at > $2 RETURNING nonce")
                .bind(state_hash).bind(now()).fetch_optional(pool).await?)
        })
    }

    /// The local account of someone the issuer signed in: created on first sign-in, its shown name
    /// and roles updated from the issuer's claims on later ones (department and consultant record are
    /// kept). Both are audited; an account made this way has no password. An existing account with a
    /// password is refused ([`StoreError::Refused`]): the issuer cannot take over a local account;
    /// so is a disabled account.
    pub async fn upsert_oidc_user(
        &self,
        actor: &str,
        username: &str,
        display_name: &str,
        roles: &[Role],
    ) -> Result<User> {
        if username.trim().is_empty() {
            return Err(StoreError::invalid("username", "empty"));
        }
        let roles = roles_text(roles);
        on_pool!(self, pool => {
            let mut tx = pool.begin().await?;
            let reserved = audit_reserve!(tx);
            let existing: Option<UserRow> = sqlx::query_as(&format!("SELECT {USER_COLS} FROM users u WHERE u.username = $1"))
                .bind(username).fetch_optional(&mut *tx).await?;
            let disabled: Option<Option<String>> = sqlx::query_scalar("SELECT disabled_at FROM users WHERE username = $1")
                .bind(username).fetch_optional(&mut *tx).await?;
            // A disabled account stays disabled, whatever the issuer says.
            if matches!(disabled, Some(Some(_))) {
                tx.rollback().await?;
                return Err(StoreError::Refused(format!("the account {username} is disabled")));
            }
            let id = match existing {
                // A local account (one with a password) is never taken over by an identity provider.
                Some(r) if !r.password_hash.is_empty() => {
                    tx.rollback().await?;
                    return Err(StoreError::Refused(format!("a local account named {username} exists: the identity provider cannot sign in as it; an administrator must rename one of them")));
                }
                Some(r) if r.display_name == display_name && r.roles == roles => {
                    tx.rollback().await?;
                    return Ok(user(r));
                }
                Some(r) => {
                    sqlx::query("UPDATE users SET display_name = $1, roles = $2 WHERE id = $3")
                        .bind(display_name).bind(&roles).bind(r.id).execute(&mut *tx).await?;
                    let before = serde_json::json!({ "username": r.username, "display_name": r.display_name, "roles": r.roles }).to_string();
                    let after = serde_json::json!({ "username": username, "display_name": display_name, "roles": roles, "via": "oidc" }).to_string();
                    audit_write!(tx, reserved, actor, "update", "user", &r.id.to_string(), Some(before), Some(after));
                    r.id
                }
                None => {
                    let id: i64 = sqlx::query_scalar("INSERT INTO users (username, display_name, password_hash, roles, department_id, consultant_id, created_at) VALUES ($1, $2, '', $3, NULL, NULL, $4) RETURNING id")
                        .bind(username).bind(display_name).bind(&roles).bind(now()).fetch_one(&mut *tx).await?;
                    let after = serde_json::json!({ "username": username, "display_name": display_name, "roles": roles, "department_id": null, "consultant_id": null, "via": "oidc" }).to_string();
                    audit_write!(tx, reserved, actor, "create", "user", &id.to_string(), None, Some(after));
                    id
                }
            };
            let r: UserRow = sqlx::query_as(&format!("SELECT {USER_COLS} FROM users u WHERE u.id = $1")).bind(id).fetch_one(&mut *tx).await?;
            tx.commit().await?;
            Ok(user(r))
        })
    }
}
