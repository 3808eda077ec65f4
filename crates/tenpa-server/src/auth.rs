//! Accounts: argon2id passwords, session cookies kept in the database, API tokens, sign-in rate
//! limiting, and who may see which record.

use crate::error::AppError;
use crate::AppState;
use argon2::password_hash::{
    rand_core::OsRng, PasswordHash, PasswordHasher, PasswordVerifier, SaltString,
};
use argon2::Argon2;
use axum::extract::FromRequestParts;
use axum::http::header;
use axum::http::request::Parts;
pub use axum::http::HeaderName;
use rand::RngCore;
use sha2::{Digest, Sha256};
use std::sync::LazyLock;
use tenpa_store::{TokenCheck, User};

/// The session cookie's name.
pub const COOKIE: &str = "tenpa_session";
/// Failed sign-ins allowed for one account from one client address in the window before refusing.
pub const MAX_FAILURES: i64 = 5;
/// Failed sign-ins allowed for one account from all addresses together in the window: guessing
/// spread over many addresses stops here, and no one address can lock an account out for others.
pub const MAX_ACCOUNT_FAILURES: i64 = 50;
/// Failed sign-ins allowed from one client address, whatever the username, in the window.
pub const MAX_ADDRESS_FAILURES: i64 = 20;
/// The longest username accepted, in characters; a longer one is refused before anything is stored.
pub const MAX_USERNAME: usize = 200;
/// The rate-limiting window, minutes.
pub const WINDOW_MINUTES: i64 = 15;
/// Session lifetime, hours.
pub const SESSION_HOURS: i64 = 12;

/// An argon2id hash of `password` in PHC form.
pub fn hash_password(password: &str) -> String {
    let salt = SaltString::generate(&mut OsRng);
    Argon2::default()
        .hash_password(password.as_bytes(), &salt)
        .map(|h| h.to_string())
        .unwrap_or_default()
}

/// Whether `password` matches the PHC hash.
pub fn verify_password(password: &str, phc: &str) -> bool {
    PasswordHash::new(phc).is_ok_and(|h| {
        Argon2::default()
            .verify_password(password.as_bytes(), &h)
            .is_ok()
    })
}

/// A hash of no one's password, verified against when the username is unknown, so a sign-in takes
/// as long whether or not the account exists.
static NO_ONE: LazyLock<String> = LazyLock::new(|| hash_password(&new_token().0));

/// Why a sign-in was refused.
#[derive(Debug)]
pub enum SignInRefused {
    /// The username is empty or longer than [`MAX_USERNAME`]: (field, message).
    Invalid(&'static str, String),
    /// Too many failed attempts: the message says whose and for how long.
    TooMany(String),
    /// Unknown username or wrong password (the two are not told apart).
    Wrong,
    /// The database failed.
    Store(AppError),
}

impl From<tenpa_store::StoreError> for SignInRefused {
    fn from(e: tenpa_store::StoreError) -> Self {
        SignInRefused::Store(e.into())
    }
}

/// Checks a username and password under the sign-in limits: the one policy for the API and the
/// sign-in page. Each attempt is counted, against the account from this address, the account and
/// the address, before the password is checked, so a parallel burst gets no more attempts than
/// the limits allow; an attempt that succeeds is taken back. The password is verified on the
/// blocking pool, and against [`NO_ONE`] when the account does not exist or is disabled.
pub async fn sign_in(
    state: &AppState,
    client: &str,
    username: &str,
    password: &str,
) -> Result<User, SignInRefused> {
    let length = username.chars().count();
    if length == 0 || length > MAX_USERNAME {
        return Err(SignInRefused::Invalid(
            "username",
            format!("found a username of {length} characters, expected 1 to {MAX_USERNAME}"),
        ));
    }
    let since = (chrono::Utc::now() - chrono::Duration::minutes(WINDOW_MINUTES))
        .to_rfc3339_opts(chrono::SecondsFormat::Millis, true);
    let pair = format!("account-address:{username}\n{client}");
    let account = format!("account:{username}");
    let address = format!("address:{client}");
    let keys = [pair.as_str(), account.as_str(), address.as_str()];
    let counts = state.store.sign_in_attempt(&keys, &since).await?;
    let limits = [
        (MAX_FAILURES, "for this account"),
        (MAX_ACCOUNT_FAILURES, "for this account"),
        (MAX_ADDRESS_FAILURES, "from this address"),
    ];
    if let Some((_, whose)) = counts
        .iter()
        .zip(limits)
        .find(|(n, (max, _))| **n > *max)
        .map(|(_, l)| l)
    {
        return Err(SignInRefused::TooMany(format!(
            "too many failed sign-ins {whose}: try again in {WINDOW_MINUTES} minutes"
        )));
    }
    // A disabled account is refused as an unknown one is: the answer does not tell them apart.
    let user = state.store.enabled_user_by_username(username).await?;
    let phc = user
        .as_ref()
        .map_or_else(|| NO_ONE.clone(), |u| u.password_hash.clone());
    let password = password.to_string();
    let ok = tokio::task::spawn_blocking(move || verify_password(&password, &phc))
        .await
        .map_err(|e| SignInRefused::Store(AppError::Internal(e.to_string())))?;
    match user.filter(|_| ok) {
        Some(user) => {
            state.store.sign_in_succeeded(&keys[1..], &pair).await?;
            Ok(user)
        }
        None => Err(SignInRefused::Wrong),
    }
}

/// The client's address: the connection's peer, or the last entry of the header named by
/// `--client-ip-header` when Tenpa runs behind a proxy that sets it.
pub fn client_address(
    state: &AppState,
    parts: &axum::http::HeaderMap,
    ext: &axum::http::Extensions,
) -> String {
    if let Some(name) = &state.client_ip_header {
        if let Some(last) = parts
            .get_all(name)
            .iter()
            .rev()
            .filter_map(|v| v.to_str().ok())
            .flat_map(|v| v.rsplit(','))
            .map(str::trim)
            .find(|v| !v.is_empty())
        {
            return last.chars().take(64).collect();
        }
    }
    ext.get::<axum::extract::ConnectInfo<std::net::SocketAddr>>()
        .map_or_else(|| "unknown".into(), |c| c.0.ip().to_string())
}

/// A new random token (hex) and its stored hash.
pub fn new_token() -> (String, String) {
    let mut bytes = [0u8; 32];
    rand::thread_rng().fill_bytes(&mut bytes);
    let token = hex::encode(bytes);
    let hash = token_hash(&token);
    (token, hash)
}

/// The stored form of a token: its SHA-256.
pub fn token_hash(token: &str) -> String {
    hex::encode(Sha256::digest(token.as_bytes()))
}

/// The signed-in caller.
#[derive(Debug, Clone)]
pub struct Caller(pub User);

/// The session token in the request's cookies, if any.
pub fn cookie_token(headers: &axum::http::HeaderMap) -> Option<String> {
    headers
        .get_all(header::COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(';'))
        .find_map(|c| {
            let (k, v) = c.trim().split_once('=')?;
            (k == COOKIE).then(|| v.to_string())
        })
}

impl FromRequestParts<AppState> for Caller {
    type Rejection = AppError;

    async fn from_request_parts(
        parts: &mut Parts,
        state: &AppState,
    ) -> Result<Self, Self::Rejection> {
        if let Some(auth) = parts
            .headers
            .get(header::AUTHORIZATION)
            .and_then(|v| v.to_str().ok())
        {
            let token = auth.strip_prefix("Bearer ").ok_or_else(|| {
                AppError::Unauthorized("the Authorization header must be `Bearer <token>`".into())
            })?;
            let check = state
                .store
                .check_api_token(&token_hash(token.trim()))
                .await?;
            return match &check {
                TokenCheck::Valid { user, .. } => {
                    let path = parts
                        .extensions
                        .get::<axum::extract::OriginalUri>()
                        .map_or_else(|| parts.uri.path(), |u| u.0.path());
                    let request = format!("{} {path}", parts.method);
                    state.store.record_api_token_use(&check, &request).await?;
                    Ok(Caller(User::clone(user)))
                }
                TokenCheck::Expired(at) => Err(AppError::Unauthorized(format!(
                    "the API token expired at {at}: ask an administrator for a new one"
                ))),
                TokenCheck::Revoked(at) => Err(AppError::Unauthorized(format!(
                    "the API token was revoked at {at}: ask an administrator for a new one"
                ))),
                TokenCheck::Disabled => Err(AppError::Unauthorized(
                    "the API token's account is disabled".into(),
                )),
                TokenCheck::Unknown => {
                    Err(AppError::Unauthorized("the API token is not known".into()))
                }
            };
        }
        let Some(token) = cookie_token(&parts.headers) else {
            return Err(AppError::Unauthorized(
                "sign in first: POST /api/v1/sessions".into(),
            ));
        };
        match state.store.session_user(&token_hash(&token)).await? {
            Some(u) => Ok(Caller(u)),
            None => Err(AppError::Unauthorized(
                "the session has ended: sign in again".into(),
            )),
        }
    }
}

/// Whether `name` has a username's shape: 1 to [`MAX_USERNAME`] characters, each a letter, a
/// digit, `.`, `-`, `_` or `@`.
pub fn is_username(name: &str) -> bool {
    let length = name.chars().count();
    (1..=MAX_USERNAME).contains(&length)
        && name
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, '.' | '-' | '_' | '@'))
}
