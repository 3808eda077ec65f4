//! Signing in and out.

use crate::auth::{self};
use crate::error::ApiResult;
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

/// Credentials.
#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct SignIn {
    /// Username.
    pub username: String,
    /// Password.
    pub password: String,
}

/// The signed-in account.
#[derive(Serialize, ToSchema)]
pub struct Me {
    /// Username.
    pub username: String,
    /// Shown name.
    pub display_name: String,
    /// Roles.
    pub roles: Vec<String>,
    /// Consultant record, for a consultant.
    pub consultant_id: Option<String>,
    /// Department, for a clinical director or consultant.
    pub department_id: Option<i64>,
}

pub(crate) fn me(u: &tenpa_store::User) -> Me {
    Me {
        username: u.username.clone(),
        display_name: u.display_name.clone(),
        roles: u.roles.iter().map(|r| r.as_str().to_string()).collect(),
        consultant_id: u.consultant_id.clone(),
        department_id: u.department_id,
    }
}

/// Starts a database session for `user` and returns its `Set-Cookie` value (password and OpenID
/// Connect sign-in alike).
pub(crate) async fn start_session(
    store: &tenpa_store::Store,
    secure_cookies: bool,
    user: &tenpa_store::User,
) -> ApiResult<String> {
    let (token, hash) = auth::new_token();
    let expires = (chrono::Utc::now() + chrono::Duration::hours(auth::SESSION_HOURS))
        .to_rfc3339_opts(chrono::SecondsFormat::Millis, true);
    store.create_session(&hash, user.id, &expires).await?;
    let secure = if secure_cookies { "; Secure" } else { "" };
    Ok(format!(
        "{}={token}; Path=/; HttpOnly; SameSite=Lax; Max-Age={}{secure}",
        auth::COOKIE,
        auth::SESSION_HOURS * 3600
    ))
}
