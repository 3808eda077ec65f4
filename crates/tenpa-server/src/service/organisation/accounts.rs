//! Accounts: added (with a password, or for the identity provider only), disabled and enabled,
//! linked to a department and to the holder's own consultant record.

use super::{MAX_DISPLAY_NAME, MAX_PASSWORD, MIN_PASSWORD};
use crate::auth;
use crate::error::AppError;
use serde::{Deserialize, Serialize};
use tenpa_rules::job_planning::Role;
use tenpa_store::{NewUser, RoleChange, Store, StoreError};
use utoipa::ToSchema;

/// An account to add.
#[derive(Debug, Clone, Default, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct NewAccount {
    /// The sign-in name: letters, digits, `.`, `-`, `_`, `@`; at most 200 characters.
    pub username: String,
    /// The shown name (default: the username).
    #[serde(default)]
    pub display_name: Option<String>,
    /// At least one role: `consultant`, `clinical_director`, `medical_director`,
    /// `medical_staffing`, `chief_executive`, `board_chair`, `board_member`, `admin`.
    pub roles: Vec<String>,
    /// A password of 12 to 1,024 characters; left out, the account signs in only through the
    /// identity provider (OpenID Connect).
    #[serde(default)]
    pub password: Option<String>,
    /// The department (of a clinical director or consultant), by id.
    #[serde(default)]
    pub department_id: Option<i64>,
    /// The consultant record of the person who holds the account, by id.
    #[serde(default)]
    pub consultant_id: Option<String>,
    /// The address its notifications are emailed to.
    #[serde(default)]
    pub email: Option<String>,
}

/// An account, never its password.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct AccountView {
    /// Sign-in name.
    pub username: String,
    /// Shown name.
    pub display_name: String,
    /// Roles.
    pub roles: Vec<String>,
    /// Department, by id.
    pub department_id: Option<i64>,
    /// Consultant record, by id.
    pub consultant_id: Option<String>,
    /// The address its notifications are emailed to.
    pub email: Option<String>,
    /// Whether it signs in with a password (else only through the identity provider).
    pub password: bool,
    /// When it was disabled; absent while it is enabled.
    pub disabled_at: Option<String>,
}

fn view(a: tenpa_store::Account) -> AccountView {
    AccountView {
        password: !a.user.password_hash.is_empty(),
        username: a.user.username,
        display_name: a.user.display_name,
        roles: a
            .user
            .roles
            .iter()
            .map(|r| r.as_str().to_string())
            .collect(),
        department_id: a.user.department_id,
        consultant_id: a.user.consultant_id,
        email: a.user.email,
        disabled_at: a.disabled_at,
    }
}

/// Every account, by username.
pub async fn accounts(store: &Store) -> Result<Vec<AccountView>, AppError> {
    Ok(store.accounts().await?.into_iter().map(view).collect())
}

/// One account; 404 when there is none of that name.
pub async fn account(store: &Store, username: &str) -> Result<AccountView, AppError> {
    store
        .account(username)
        .await?
        .map(view)
        .ok_or_else(|| AppError::NotFound(format!("the account {username} does not exist")))
}

/// The roles named, each once; 422 naming `roles` for an unknown one or none.
pub fn checked_roles(given: &[String]) -> Result<Vec<Role>, AppError> {
    let mut roles = Vec::new();
    for name in given.iter().flat_map(|g| g.split(',')).map(str::trim) {
        if name.is_empty() {
            continue;
        }
        let Some(role) = Role::parse(name) else {
            let valid: Vec<&str> = Role::ALL.iter().map(|r| r.as_str()).collect();
            return Err(AppError::unprocessable_at(
                "roles",
                format!(
                    "found {name:?}, expected one or more of {}",
                    valid.join(", ")
                ),
            ));
        };
        if !roles.contains(&role) {
            roles.push(role);
        }
    }
    if roles.is_empty() {
        return Err(AppError::unprocessable_at(
            "roles",
            "expected at least one role".into(),
        ));
    }
    Ok(roles)
}

/// A display name (the username when none is given): 1 to [`MAX_DISPLAY_NAME`] characters
/// without control characters; 422 naming `display_name`.
pub fn checked_display_name(given: Option<&str>, username: &str) -> Result<String, AppError> {
    let name = given
        .map(str::trim)
        .filter(|g| !g.is_empty())
        .unwrap_or(username);
    let length = name.chars().count();
    if length == 0 || length > MAX_DISPLAY_NAME || name.chars().any(char::is_control) {
        return Err(AppError::unprocessable_at("display_name", format!("found {length} characters, expected 1 to {MAX_DISPLAY_NAME} without control characters")));
    }
    Ok(name.to_string())
}

/// A password's length: [`MIN_PASSWORD`] to [`MAX_PASSWORD`] characters; 422 naming `password`.
pub fn checked_password(password: &str) -> Result<(), AppError> {
    let length = password.chars().count();
    if !(MIN_PASSWORD..=MAX_PASSWORD).contains(&length) {
        return Err(AppError::unprocessable_at(
            "password",
            format!("found {length} characters, expected {MIN_PASSWORD} to {MAX_PASSWORD}"),
        ));
    }
    Ok(())
}

/// A store refusal about the link to a consultant record (a second enabled account) as a 422
/// naming `consultant_id`; other errors as they are.
fn link_refusal(e: StoreError) -> AppError {
    match e {
        StoreError::Refused(d) => AppError::unprocessable_at("consultant_id", d),
        e => e.into(),
    }
}

/// Adds an account, audited; its password (if any) hashed with argon2id off the request threads.
/// 422 naming `username` (shape, or taken), `display_name`, `roles`, `password`, `department_id`
/// or `consultant_id` (unknown, or a record with another enabled account).
pub async fn add_account(
    store: &Store,
    actor: &str,
    a: &NewAccount,
) -> Result<AccountView, AppError> {
    let username = a.username.trim();
    if !auth::is_username(username) {
        return Err(AppError::unprocessable_at(
            "username",
            format!(
                "found {username:?}, expected 1 to {} letters, digits, '.', '-', '_' or '@'",
                auth::MAX_USERNAME
            ),
        ));
    }
    let display_name = checked_display_name(a.display_name.as_deref(), username)?;
    let roles = checked_roles(&a.roles)?;
    let email = crate::service::notifications::checked_email(a.email.as_deref())?;
    if let Some(p) = &a.password {
        checked_password(p)?;
    }
    if store.account(username).await?.is_some() {
        return Err(AppError::unprocessable_at(
            "username",
            format!("the account {username} exists already"),
        ));
    }
    if let Some(d) = a.department_id {
        if !store.departments().await?.iter().any(|x| x.id == d) {
            return Err(AppError::unprocessable_at(
                "department_id",
                format!("found {d}, expected the id of a department"),
            ));
        }
    }
    let consultant_id = a
        .consultant_id
        .as_deref()
        .map(str::trim)
        .filter(|c| !c.is_empty());
    if let Some(c) = consultant_id {
        if store.consultant(c).await?.is_none() {
            return Err(AppError::unprocessable_at(
                "consultant_id",
                format!("found {c:?}, expected the id of a consultant record"),
            ));
        }
    }
    let password_hash = match a.password.clone() {
        None => String::new(),
        Some(p) => tokio::task::spawn_blocking(move || auth::hash_password(&p))
            .await
            .map_err(|e| AppError::Internal(format!("hashing the password stopped: {e}")))?,
    };
    let new = NewUser {
        username: username.to_string(),
        display_name,
        password_hash,
        roles,
        department_id: a.department_id,
        consultant_id: consultant_id.map(str::to_string),
        email,
    };
    store.create_user(actor, &new).await.map_err(link_refusal)?;
    account(store, username).await
}

/// Disables (`enabled` false) or enables an account, audited; disabling ends its sessions.
/// 404 for an unknown account; 409 for the last enabled administrator, or enabling an account
/// whose consultant record has another enabled account. Returns whether anything changed.
pub async fn set_enabled(
    store: &Store,
    actor: &str,
    username: &str,
    enabled: bool,
) -> Result<bool, AppError> {
    store
        .set_user_disabled(actor, username, !enabled)
        .await
        .map_err(|e| match e {
            StoreError::Refused(d) => AppError::Conflict {
                detail: d,
                current_version: None,
            },
            e => e.into(),
        })
}

/// An account's links: its department and the consultant record of the person who holds it.
#[derive(Debug, Clone, Default, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct Links {
    /// The department, by id; absent or null for none.
    #[serde(default)]
    pub department_id: Option<i64>,
    /// The consultant record, by id; absent or null for none.
    #[serde(default)]
    pub consultant_id: Option<String>,
}

/// Sets an account's links, audited with before and after. 404 for an unknown account; 422
/// naming `department_id` or `consultant_id` (unknown, or a record with another enabled
/// account). Returns whether anything changed.
pub async fn set_links(
    store: &Store,
    actor: &str,
    username: &str,
    links: &Links,
) -> Result<bool, AppError> {
    let consultant_id = links
        .consultant_id
        .as_deref()
        .map(str::trim)
        .filter(|c| !c.is_empty());
    store
        .set_user_links(actor, username, links.department_id, consultant_id)
        .await
        .map_err(link_refusal)
}

/// Sets (or clears) the address an account's notifications are emailed to, audited. 404 for an
/// unknown account; 422 naming `email`. Returns whether anything changed.
pub async fn set_email(
    store: &Store,
    actor: &str,
    username: &str,
    change: &crate::service::notifications::EmailChange,
) -> Result<bool, AppError> {
    let email = crate::service::notifications::checked_email(change.email.as_deref())?;
    Ok(store
        .set_user_email(actor, username, email.as_deref())
        .await?)
}

/// An account's roles, and optionally its department.
#[derive(Debug, Clone, Default, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct RolesChange {
    /// At least one role, as [`NewAccount::roles`].
    pub roles: Vec<String>,
    /// The department to give the account with them, by id (a clinical director's); absent to
    /// keep its department.
    #[serde(default)]
    pub department_id: Option<i64>,
}

/// The refusal to change one's own account's roles or password on the service: another
/// administrator does that (or `tenpa users reset-password` on the server, for a password).
fn not_own(actor: &str, username: &str, what: &str) -> Result<(), AppError> {
    if actor == username {
        return Err(AppError::Conflict {
            detail: format!(
                "you cannot change your own account's {what}: another administrator does that"
            ),
            current_version: None,
        });
    }
    Ok(())
}

/// Sets an account's roles (and its department when one is named), audited with before and
/// after; never one's own. 404 for an unknown account; 422 naming `roles` or `department_id`;
/// 409 for one's own account, or taking the role from the last enabled administrator. Returns
/// whether anything changed.
pub async fn set_roles(
    store: &Store,
    actor: &str,
    username: &str,
    change: &RolesChange,
) -> Result<bool, AppError> {
    let roles = checked_roles(&change.roles)?;
    not_own(actor, username, "roles")?;
    write_roles(
        store,
        actor,
        username,
        RoleChange::Replace(&roles),
        change.department_id,
    )
    .await
}

/// Names an enabled account a clinical director of a department: gives it the role and the
/// department in one audited change, keeping its other roles (read inside the change, so a
/// change to its roles at the same moment is not lost). As [`set_roles`]; 409 for a disabled
/// account.
pub async fn name_clinical_director(
    store: &Store,
    actor: &str,
    department_id: i64,
    username: &str,
) -> Result<bool, AppError> {
    write_roles(
        store,
        actor,
        username,
        RoleChange::Add(Role::ClinicalDirector),
        Some(department_id),
    )
    .await
}

/// The store's change of roles, its refusals answered as 409.
async fn write_roles(
    store: &Store,
    actor: &str,
    username: &str,
    change: RoleChange<'_>,
    department_id: Option<i64>,
) -> Result<bool, AppError> {
    store
        .set_user_roles(actor, username, change, department_id)
        .await
        .map_err(|e| match e {
            StoreError::Refused(d) => AppError::Conflict {
                detail: d,
                current_version: None,
            },
            e => link_refusal(e),
        })
}

/// A new password for an account.
#[derive(Debug, Clone, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct NewPassword {
    /// 12 to 1,024 characters.
    pub password: String,
}

/// Sets a new password on another's account (hashed with argon2id off the request threads),
/// audited without the hash; its sessions end. 404 for an unknown account; 422 naming `password`;
/// 409 for one's own account.
pub async fn reset_password(
    store: &Store,
    actor: &str,
    username: &str,
    password: &str,
) -> Result<(), AppError> {
    checked_password(password)?;
    not_own(actor, username, "password")?;
    account(store, username).await?;
    let p = password.to_string();
    let hash = tokio::task::spawn_blocking(move || auth::hash_password(&p))
        .await
        .map_err(|e| AppError::Internal(format!("hashing the password stopped: {e}")))?;
    Ok(store.set_user_password(actor, username, &hash).await?)
}
