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
use rand::RngCore;
use sha2::{Digest, Sha256};
use tenpa_rules::job_planning::Role;
use tenpa_store::{JobPlanSummary, Scope, TokenCheck, User};

/// The session cookie's name.
pub const COOKIE: &str = "tenpa_session";
/// Failed sign-ins allowed per account in the window before refusing.
pub const MAX_FAILURES: i64 = 5;
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
                    Ok(Caller(user.clone()))
                }
                TokenCheck::Expired(at) => Err(AppError::Unauthorized(format!(
                    "the API token expired at {at}: ask an administrator for a new one"
                ))),
                TokenCheck::Revoked(at) => Err(AppError::Unauthorized(format!(
                    "the API token was revoked at {at}: ask an administrator for a new one"
                ))),
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

/// The job plans a user may see: the widest of their roles' scopes.
pub fn job_plan_scope(u: &User) -> Scope {
    if u.roles.iter().any(|r| {
        matches!(
            r,
            Role::MedicalDirector | Role::MedicalStaffing | Role::ChiefExecutive
        )
    }) {
        return Scope::All;
    }
    if u.has(Role::ClinicalDirector) {
        if let Some(d) = u.department_id {
            return Scope::Department(d);
        }
    }
    if u.has(Role::Consultant) {
        if let Some(c) = &u.consultant_id {
            return Scope::Consultant(c.clone());
        }
    }
    Scope::Nothing
}

/// Whether `u` may see the plan: in their scope, or referred to them as the named alternate while
/// it is referred (JP-4).
pub fn may_see(u: &User, plan: &JobPlanSummary) -> bool {
    if plan.status == "referred" && plan.referral_alternate.as_deref() == Some(u.username.as_str())
    {
        return true;
    }
    match job_plan_scope(u) {
        Scope::All => true,
        Scope::Department(d) => {
            plan.department_id == d || u.consultant_id.as_deref() == Some(&plan.consultant_id)
        }
        Scope::Consultant(c) => c == plan.consultant_id,
        Scope::Nothing => false,
    }
}

/// Whether `u` may create or edit a plan of `consultant_id` in `department_id`.
pub fn may_edit(u: &User, consultant_id: &str, department_id: i64) -> bool {
    u.roles.iter().any(|r| match r {
        Role::MedicalDirector | Role::MedicalStaffing => true,
        Role::ClinicalDirector => u.department_id == Some(department_id),
        Role::Consultant => u.consultant_id.as_deref() == Some(consultant_id),
        _ => false,
    })
}
