//! API tokens for system-to-system use: an administrator issues one for an account; it is shown once
//! and stored only as its hash. Each expires (90 days unless asked otherwise, at most 365) and can be
//! revoked. A token acting as an account other than the issuing administrator's needs `act_as`: its
//! issue and every use are audited.

use crate::auth::new_token;
use crate::error::{ApiResult, AppError};
use crate::AppState;
use serde::{Deserialize, Serialize};
use tenpa_store::{ApiToken, NewApiToken, User};
use utoipa::ToSchema;

/// Days a token lasts when the request does not say.
pub const DEFAULT_EXPIRY_DAYS: i64 = 90;

/// The longest a token may last, days.
pub const MAX_EXPIRY_DAYS: i64 = 365;

/// A token request.
#[derive(Deserialize, ToSchema, Default)]
#[serde(deny_unknown_fields)]
pub struct NewToken {
    /// The account the token acts as.
    pub username: String,
    /// What it is for, e.g. "e-rostering feed".
    pub name: String,
    /// Days until it expires: 1 to 365, 90 when absent.
    #[serde(default)]
    pub expires_in_days: Option<i64>,
    /// Must be `true` to issue a token acting as an account other than your own; its issue and
    /// every use are then audited.
    #[serde(default)]
    pub act_as: bool,
}

/// The issued token, shown once.
#[derive(Serialize, ToSchema)]
pub struct Issued {
    /// The token's id (for listing and revoking).
    pub id: i64,
    /// Send as `Authorization: Bearer <token>`.
    pub token: String,
    /// The account it acts as.
    pub username: String,
    /// Its name.
    pub name: String,
    /// When it stops working, RFC 3339 UTC.
    pub expires_at: String,
    /// Whether it acts as an account other than the issuer's (each use audited).
    pub act_as: bool,
}

/// A token as listed: never its secret.
#[derive(Serialize, ToSchema)]
pub struct TokenView {
    /// Id.
    pub id: i64,
    /// What it is for.
    pub name: String,
    /// The account it acts as.
    pub username: String,
    /// The administrator who issued it (empty when not known).
    pub created_by: String,
    /// When it was issued.
    pub created_at: String,
    /// When it stops working.
    pub expires_at: String,
    /// Whether it acts as an account other than its issuer's.
    pub act_as: bool,
    /// When it was revoked, if it was.
    pub revoked_at: Option<String>,
    /// Who revoked it.
    pub revoked_by: Option<String>,
    /// When it was last used (to the minute; exactly for `act_as` tokens).
    pub last_used_at: Option<String>,
    /// `active`, `expired` or `revoked`.
    pub state: String,
}

impl From<ApiToken> for TokenView {
    fn from(t: ApiToken) -> TokenView {
        let state = t.state_at(&tenpa_store::now()).to_string();
        TokenView {
            id: t.id,
            name: t.name,
            username: t.username,
            created_by: t.created_by,
            created_at: t.created_at,
            expires_at: t.expires_at,
            act_as: t.act_as,
            revoked_at: t.revoked_at,
            revoked_by: t.revoked_by,
            last_used_at: t.last_used_at,
            state,
        }
    }
}

fn admin_only(user: &User, what: &str) -> ApiResult<()> {
    if crate::policy::may_administer(user) {
        Ok(())
    } else {
        Err(AppError::Forbidden(format!(
            "only an administrator {what} API tokens"
        )))
    }
}

/// Issues a token as `user` (an administrator): the policy behind the API and the page.
pub async fn issue(state: &AppState, user: &User, body: NewToken) -> ApiResult<Issued> {
    admin_only(user, "issues")?;
    let name = body.name.trim();
    if name.is_empty() {
        return Err(AppError::unprocessable_at(
            "name",
            "empty; say what the token is for".into(),
        ));
    }
    if name.chars().count() > 200 {
        return Err(AppError::unprocessable_at(
            "name",
            "longer than 200 characters".into(),
        ));
    }
    let days = body.expires_in_days.unwrap_or(DEFAULT_EXPIRY_DAYS);
    if !(1..=MAX_EXPIRY_DAYS).contains(&days) {
        return Err(AppError::unprocessable_at(
            "expires_in_days",
            format!("{days} is not allowed; a token lasts from 1 to {MAX_EXPIRY_DAYS} days"),
        ));
    }
    let username = body.username.trim();
    let target = state
        .store
        .user_by_username(username)
        .await?
        .ok_or_else(|| AppError::unprocessable_at("username", format!("no account {username}")))?;
    if let Some(at) = state
        .store
        .account(username)
        .await?
        .and_then(|a| a.disabled_at)
    {
        return Err(AppError::unprocessable_at(
            "username",
            format!(
                "the account {username} is disabled (since {at}): a token for it would not work"
            ),
        ));
    }
    let act_as = target.id != user.id;
    if act_as && !body.act_as {
        return Err(AppError::unprocessable_at("act_as", format!(
                "the token would act as {}, not as you ({}); to issue a token that acts for another account send \"act_as\": true (its issue and every use are audited)",
                target.username, user.username
            )));
    }
    let expires_at = (chrono::Utc::now() + chrono::Duration::days(days))
        .to_rfc3339_opts(chrono::SecondsFormat::Millis, true);
    let (token, hash) = new_token();
    let id = state
        .store
        .create_api_token(&NewApiToken {
            token_hash: &hash,
            user_id: target.id,
            username: &target.username,
            name,
            created_by: &user.username,
            expires_at: &expires_at,
            act_as,
        })
        .await?;
    Ok(Issued {
        id,
        token,
        username: target.username,
        name: name.to_string(),
        expires_at,
        act_as,
    })
}

/// Revokes token `id` as `user` (an administrator): 404 when there is none.
pub async fn revoke_token(state: &AppState, user: &User, id: i64) -> ApiResult<ApiToken> {
    admin_only(user, "revokes")?;
    state
        .store
        .revoke_api_token(&user.username, id)
        .await?
        .ok_or_else(|| AppError::NotFound(format!("API token {id}")))
}

/// Every token (administrator): never the secret.
pub async fn all(state: &AppState, user: &User) -> ApiResult<Vec<TokenView>> {
    admin_only(user, "lists")?;
    Ok(state
        .store
        .api_tokens()
        .await?
        .into_iter()
        .map(TokenView::from)
        .collect())
}
