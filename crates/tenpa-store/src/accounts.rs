//! Accounts as an operator manages them: the first administrator, listing, disabling, enabling and
//! new passwords. A disabled account cannot sign in, by password, OpenID Connect or API token, and
//! its sessions end.

use crate::audit::{audit_reserve, audit_write};
use crate::records::{roles_text, user, NewUser, User, UserRow, USER_COLS};
use crate::{now, on_pool, Result, Store, StoreError};
use serde::Serialize;
use tenpa_rules::job_planning::Role;

/// An account with whether it is disabled.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Account {
    /// The account.
    #[serde(flatten)]
    pub user: User,
    /// When it was disabled; `None` while it is enabled.
    pub disabled_at: Option<String>,
}

/// What a change to an account checks first: its id, roles, links and when it was disabled.
#[derive(sqlx::FromRow)]
struct AccountState {
    id: i64,
    roles: String,
    department_id: Option<i64>,
    consultant_id: Option<String>,
    disabled_at: Option<String>,
}

const STATE_SELECT: &str =
    "SELECT id, roles, department_id, consultant_id, disabled_at FROM users WHERE username = $1";

/// An account as stored ([`USER_COLS`] and when it was disabled).
#[derive(sqlx::FromRow)]
struct AccountRow {
    #[sqlx(flatten)]
    user: UserRow,
    disabled_at: Option<String>,
}

fn account(r: AccountRow) -> Account {
    Account {
        user: user(r.user),
        disabled_at: r.disabled_at,
    }
}

fn is_admin(roles: &str) -> bool {
    roles.split(',').any(|r| r == Role::Admin.as_str())
}

/// Refuses (rolls back, answers [`StoreError::Refused`] with `$refusal`) unless an enabled account
/// other than `$id` holds the administrator role: the check before the last administrator is
/// disabled or loses the role, inside the caller's transaction.
macro_rules! refuse_unless_another_admin {
    ($tx:ident, $id:expr, $refusal:expr) => {{
        let others: Vec<String> =
            sqlx::query_scalar("SELECT roles FROM users WHERE disabled_at IS NULL AND id <> $1")
                .bind($id)
                .fetch_all(&mut *$tx)
                .await?;
        if !others.iter().any(|r| is_admin(r)) {
            $tx.rollback().await?;
            return Err(StoreError::Refused($refusal));
        }
    }};
}

/// Refuses (rolls back, answers [`StoreError::Invalid`] naming `department_id`) unless the
/// department `$d` exists, inside the caller's transaction.
macro_rules! require_department {
    ($tx:ident, $d:expr) => {{
        let d: i64 = $d;
        let found: Option<i64> = sqlx::query_scalar("SELECT id FROM departments WHERE id = $1")
            .bind(d)
            .fetch_optional(&mut *$tx)
            .await?;
        if found.is_none() {
            $tx.rollback().await?;
            return Err(StoreError::invalid(
                "department_id",
                format!("found {d}, expected the id of a department"),
            ));
        }
    }};
}

/// How an account's roles change: replaced by those given, or one role added to those it holds
/// (read inside the write, so two changes at once cannot lose either).
#[derive(Debug, Clone, Copy)]
pub enum RoleChange<'a> {
    /// These roles, in place of the account's.
    Replace(&'a [Role]),
    /// This role besides the account's; refused for a disabled account.
    Add(Role),
}

/// The roles after a change, each once, in [`Role::ALL`]'s order.
fn roles_after(before: &str, change: RoleChange<'_>) -> Vec<Role> {
    let mut roles: Vec<Role> = match change {
        RoleChange::Replace(r) => r.to_vec(),
        RoleChange::Add(r) => before
            .split(',')
            .filter_map(Role::parse)
            .chain(std::iter::once(r))
            .collect(),
    };
    roles.sort_by_key(|r| Role::ALL.iter().position(|a| a == r));
    roles.dedup();
    roles
}

impl Store {
    /// How many accounts there are, enabled or not.
    pub async fn count_users(&self) -> Result<i64> {
        on_pool!(self, pool => {
            Ok(sqlx::query_scalar("SELECT COUNT(*) FROM users").fetch_one(pool).await?)
        })
    }

    /// Adds the first account, audited: refused ([`StoreError::Refused`]) when any account exists.
    pub async fn create_first_user(&self, actor: &str, u: &NewUser) -> Result<i64> {
        if u.username.trim().is_empty() {
            return Err(StoreError::invalid("username", "empty"));
        }
        on_pool!(self, pool => {
            let mut tx = pool.begin().await?;
            let reserved = audit_reserve!(tx);
            let existing: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM users").fetch_one(&mut *tx).await?;
            if existing > 0 {
                tx.rollback().await?;
                return Err(StoreError::Refused(format!("the database already holds {existing} account(s)")));
            }
            let id: i64 = sqlx::query_scalar("INSERT INTO users (username, display_name, password_hash, roles, department_id, consultant_id, created_at, email) VALUES ($1, $2, $3, $4, $5, $6, $7, $8) RETURNING id")
                .bind(&u.username).bind(&u.display_name).bind(&u.password_hash).bind(roles_text(&u.roles)).bind(u.department_id).bind(&u.consultant_id).bind(now()).bind(&u.email)
                .fetch_one(&mut *tx).await?;
            let after = serde_json::json!({ "username": u.username, "roles": roles_text(&u.roles), "department_id": u.department_id, "consultant_id": u.consultant_id }).to_string();
            audit_write!(tx, reserved, actor, "create", "user", &id.to_string(), None, Some(after));
            tx.commit().await?;
            Ok(id)
        })
    }

    /// Every account, by username, with whether it is disabled.
    pub async fn accounts(&self) -> Result<Vec<Account>> {
        let rows: Vec<AccountRow> = on_pool!(self, pool => {
            sqlx::query_as(&format!("SELECT {USER_COLS}, u.disabled_at FROM users u ORDER BY u.username")).fetch_all(pool).await?
        });
        Ok(rows.into_iter().map(account).collect())
    }

    /// The account with this username, with whether it is disabled.
    pub async fn account(&self, username: &str) -> Result<Option<Account>> {
        let row: Option<AccountRow> = on_pool!(self, pool => {
            sqlx::query_as(&format!("SELECT {USER_COLS}, u.disabled_at FROM users u WHERE u.username = $1")).bind(username).fetch_optional(pool).await?
        });
        Ok(row.map(account))
    }

    /// The usernames of the disabled accounts.
    pub async fn disabled_usernames(&self) -> Result<Vec<String>> {
        on_pool!(self, pool => {
            Ok(sqlx::query_scalar("SELECT username FROM users WHERE disabled_at IS NOT NULL ORDER BY username").fetch_all(pool).await?)
        })
    }

    /// The enabled account with this username: the one a sign-in may use.
    pub async fn enabled_user_by_username(&self, username: &str) -> Result<Option<User>> {
        on_pool!(self, pool => {
            let r: Option<UserRow> = sqlx::query_as(&format!("SELECT {USER_COLS} FROM users u WHERE u.username = $1 AND u.disabled_at IS NULL")).bind(username).fetch_optional(pool).await?;
            Ok(r.map(user))
        })
    }

    /// Disables (`disabled` true) or enables an account, audited; disabling ends its sessions.
    /// Returns whether anything changed (`false` when it already was so). Unknown username:
    /// [`StoreError::NotFound`]; disabling the last enabled administrator: [`StoreError::Refused`].
    pub async fn set_user_disabled(
        &self,
        actor: &str,
        username: &str,
        disabled: bool,
    ) -> Result<bool> {
        on_pool!(self, pool => {
            let mut tx = pool.begin().await?;
            let reserved = audit_reserve!(tx);
            let row: Option<AccountState> = sqlx::query_as(STATE_SELECT).bind(username).fetch_optional(&mut *tx).await?;
            let Some(AccountState { id, roles, disabled_at, consultant_id, .. }) = row else {
                tx.rollback().await?;
                return Err(StoreError::NotFound(format!("the account {username}")));
            };
            if disabled_at.is_some() == disabled {
                tx.rollback().await?;
                return Ok(false);
            }
            if let (false, Some(c)) = (disabled, &consultant_id) {
                let linked: Option<String> = sqlx::query_scalar("SELECT username FROM users WHERE consultant_id = $1 AND disabled_at IS NULL AND id <> $2 ORDER BY id LIMIT 1")
                    .bind(c).bind(id).fetch_optional(&mut *tx).await?;
                if let Some(other) = linked {
                    tx.rollback().await?;
                    return Err(crate::records::second_account_refused(c, &other));
                }
            }
            if disabled && is_admin(&roles) {
                refuse_unless_another_admin!(tx, id, format!("{username} is the last enabled administrator: enable or add another administrator first"));
            }
            let at = disabled.then(now);
            sqlx::query("UPDATE users SET disabled_at = $1 WHERE id = $2").bind(&at).bind(id).execute(&mut *tx).await?;
            if disabled {
                sqlx::query("DELETE FROM sessions WHERE user_id = $1").bind(id).execute(&mut *tx).await?;
            }
            let before = serde_json::json!({ "username": username, "disabled_at": disabled_at }).to_string();
            let after = serde_json::json!({ "username": username, "disabled_at": at }).to_string();
            let action = if disabled { "disable" } else { "enable" };
            audit_write!(tx, reserved, actor, action, "user", &id.to_string(), Some(before), Some(after));
            tx.commit().await?;
            Ok(true)
        })
    }

    /// Sets an account's password hash, audited (the hash is not written to the log), and ends its
    /// sessions. Unknown username: [`StoreError::NotFound`].
    pub async fn set_user_password(
        &self,
        actor: &str,
        username: &str,
        password_hash: &str,
    ) -> Result<()> {
        on_pool!(self, pool => {
            let mut tx = pool.begin().await?;
            let reserved = audit_reserve!(tx);
            let id: Option<i64> = sqlx::query_scalar("SELECT id FROM users WHERE username = $1")
                .bind(username).fetch_optional(&mut *tx).await?;
            let Some(id) = id else {
                tx.rollback().await?;
                return Err(StoreError::NotFound(format!("the account {username}")));
            };
            sqlx::query("UPDATE users SET password_hash = $1 WHERE id = $2").bind(password_hash).bind(id).execute(&mut *tx).await?;
            let ended = sqlx::query("DELETE FROM sessions WHERE user_id = $1").bind(id).execute(&mut *tx).await?.rows_affected();
            let after = serde_json::json!({ "username": username, "password": "reset", "sessions_ended": ended }).to_string();
            audit_write!(tx, reserved, actor, "reset_password", "user", &id.to_string(), None, Some(after));
            tx.commit().await?;
            Ok(())
        })
    }
    /// Changes an account's roles (replaced, or one added), and its department when
    /// `department_id` is given (naming a department's clinical director does both), audited with
    /// before and after. Returns whether anything changed. Unknown username:
    /// [`StoreError::NotFound`]; no role, or a department that does not exist:
    /// [`StoreError::Invalid`]; taking the administrator role from the last enabled administrator,
    /// or adding a role to a disabled account: [`StoreError::Refused`].
    pub async fn set_user_roles(
        &self,
        actor: &str,
        username: &str,
        change: RoleChange<'_>,
        department_id: Option<i64>,
    ) -> Result<bool> {
        if matches!(change, RoleChange::Replace([])) {
            return Err(StoreError::invalid("roles", "expected at least one role"));
        }
        on_pool!(self, pool => {
            let mut tx = pool.begin().await?;
            // The write lock first: a check and its write are one, never racing another writer.
            let reserved = audit_reserve!(tx);
            let row: Option<AccountState> = sqlx::query_as(STATE_SELECT).bind(username).fetch_optional(&mut *tx).await?;
            let Some(AccountState { id, roles: roles_before, department_id: department_before, disabled_at, .. }) = row else {
                tx.rollback().await?;
                return Err(StoreError::NotFound(format!("the account {username}")));
            };
            if let (RoleChange::Add(_), Some(_)) = (change, &disabled_at) {
                tx.rollback().await?;
                return Err(StoreError::Refused(format!("the account {username} is disabled: enable it first")));
            }
            let roles_after = roles_text(&roles_after(&roles_before, change));
            let department_after = department_id.or(department_before);
            if roles_before == roles_after && department_after == department_before {
                tx.rollback().await?;
                return Ok(false);
            }
            if let Some(d) = department_id {
                require_department!(tx, d);
            }
            if disabled_at.is_none() && is_admin(&roles_before) && !is_admin(&roles_after) {
                refuse_unless_another_admin!(tx, id, format!("{username} is the last enabled administrator: give another account the administrator role first"));
            }
            sqlx::query("UPDATE users SET roles = $1, department_id = $2 WHERE id = $3")
                .bind(&roles_after).bind(department_after).bind(id).execute(&mut *tx).await?;
            let before = serde_json::json!({ "username": username, "roles": roles_before, "department_id": department_before }).to_string();
            let after = serde_json::json!({ "username": username, "roles": roles_after, "department_id": department_after }).to_string();
            audit_write!(tx, reserved, actor, "roles", "user", &id.to_string(), Some(before), Some(after));
            tx.commit().await?;
            Ok(true)
        })
    }

    /// Links an account to a department and to a consultant record (either may be none), audited
    /// with the links before and after. The consultant record must exist and have no other enabled
    /// account ([`StoreError::Refused`]): the link is how the service knows a person's own plan
    /// (JP-1, two sides). Unknown username: [`StoreError::NotFound`]; a department or consultant
    /// record that does not exist: [`StoreError::Invalid`]. Returns whether anything changed.
    pub async fn set_user_links(
        &self,
        actor: &str,
        username: &str,
        department_id: Option<i64>,
        consultant_id: Option<&str>,
    ) -> Result<bool> {
        on_pool!(self, pool => {
            let mut tx = pool.begin().await?;
            // The write lock first: a check and its write are one, never racing another writer.
            let reserved = audit_reserve!(tx);
            let row: Option<AccountState> = sqlx::query_as(STATE_SELECT).bind(username).fetch_optional(&mut *tx).await?;
            let Some(AccountState { id, department_id: department_before, consultant_id: consultant_before, disabled_at, .. }) = row else {
                tx.rollback().await?;
                return Err(StoreError::NotFound(format!("the account {username}")));
            };
            if department_before == department_id && consultant_before.as_deref() == consultant_id {
                tx.rollback().await?;
                return Ok(false);
            }
            if let Some(d) = department_id {
                require_department!(tx, d);
            }
            if let Some(c) = consultant_id {
                let found: Option<String> = sqlx::query_scalar("SELECT id FROM consultants WHERE id = $1").bind(c).fetch_optional(&mut *tx).await?;
                if found.is_none() {
                    tx.rollback().await?;
                    return Err(StoreError::invalid("consultant_id", format!("found {c:?}, expected the id of a consultant record")));
                }
                if disabled_at.is_none() {
                    let linked: Option<String> = sqlx::query_scalar("SELECT username FROM users WHERE consultant_id = $1 AND disabled_at IS NULL AND id <> $2 ORDER BY id LIMIT 1")
                        .bind(c).bind(id).fetch_optional(&mut *tx).await?;
                    if let Some(other) = linked {
                        tx.rollback().await?;
                        return Err(crate::records::second_account_refused(c, &other));
                    }
                }
            }
            sqlx::query("UPDATE users SET department_id = $1, consultant_id = $2 WHERE id = $3")
                .bind(department_id).bind(consultant_id).bind(id).execute(&mut *tx).await?;
            let before = serde_json::json!({ "username": username, "department_id": department_before, "consultant_id": consultant_before }).to_string();
            let after = serde_json::json!({ "username": username, "department_id": department_id, "consultant_id": consultant_id }).to_string();
            audit_write!(tx, reserved, actor, "link", "user", &id.to_string(), Some(before), Some(after));
            tx.commit().await?;
            Ok(true)
        })
    }
}
