//! Signing in and out.
//!
//! The handlers here read the request and shape the answer; the operations they call are
//! [`crate::service::sessions`]'s, which the pages share.

use crate::api::JsonBody;
use crate::auth::{self, Caller, SignInRefused};
use crate::error::{ApiResult, AppError};
use crate::service::sessions::*;
use crate::AppState;
use axum::extract::State;
use axum::http::{header, Extensions, HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::Json;

/// Sign in: sets the session cookie.
#[utoipa::path(post, path = "/api/v1/sessions", request_body = SignIn, responses((status = 200, body = Me), (status = 401), (status = 422, description = "the username is empty or too long"), (status = 429, description = "too many failed sign-ins for the account or from the address")))]
pub async fn create(
    State(state): State<AppState>,
    headers: HeaderMap,
    extensions: Extensions,
    JsonBody(body): JsonBody<SignIn>,
) -> ApiResult<Response> {
    let client = auth::client_address(&state, &headers, &extensions);
    let user = match auth::sign_in(&state, &client, &body.username, &body.password).await {
        Ok(user) => user,
        Err(SignInRefused::Invalid(field, detail)) => {
            return Err(AppError::unprocessable_at(field, detail.to_string()))
        }
        Err(SignInRefused::TooMany(detail)) => return Err(AppError::TooManyRequests(detail)),
        Err(SignInRefused::Wrong) => {
            return Err(AppError::Unauthorized(
                "unknown username or wrong password".into(),
            ))
        }
        Err(SignInRefused::Store(e)) => return Err(e),
    };
    let cookie = start_session(&state.store, state.secure_cookies, &user).await?;
    Ok(([(header::SET_COOKIE, cookie)], Json(me(&user))).into_response())
}

/// Sign out: ends the session and clears the cookie.
#[utoipa::path(delete, path = "/api/v1/sessions", responses((status = 204)))]
pub async fn delete(State(state): State<AppState>, headers: HeaderMap) -> ApiResult<Response> {
    let token = auth::cookie_token(&headers);
    if let Some(t) = token {
        state.store.delete_session(&auth::token_hash(&t)).await?;
    }
    let cookie = format!(
        "{}=; Path=/; HttpOnly; SameSite=Lax; Max-Age=0",
        auth::COOKIE
    );
    Ok((StatusCode::NO_CONTENT, [(header::SET_COOKIE, cookie)]).into_response())
}

/// The signed-in account.
#[utoipa::path(get, path = "/api/v1/me", responses((status = 200, body = Me), (status = 401)))]
pub async fn current(Caller(user): Caller) -> Json<Me> {
    Json(me(&user))
}
