//! API tokens for system-to-system use: an administrator issues one for an account; it is shown once
//! and stored only as its hash.

use crate::api::JsonBody;
use crate::auth::{new_token, Caller};
use crate::error::{ApiResult, AppError};
use crate::AppState;
use axum::extract::State;
use axum::http::StatusCode;
use axum::Json;
use serde::{Deserialize, Serialize};
use tenpa_rules::job_planning::Role;
use utoipa::ToSchema;

/// A token request.
#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct NewToken {
    /// The account the token acts as.
    pub username: String,
    /// What it is for, e.g. "e-rostering feed".
    pub name: String,
}

/// The issued token, shown once.
#[derive(Serialize, ToSchema)]
pub struct Issued {
    /// Send as `Authorization: Bearer <token>`.
    pub token: String,
    /// The account it acts as.
    pub username: String,
    /// Its name.
    pub name: String,
}

/// Issues an API token (administrator).
#[utoipa::path(post, path = "/api/v1/api-tokens", request_body = NewToken, responses((status = 201, body = Issued), (status = 403), (status = 422)))]
pub async fn create(
    State(state): State<AppState>,
    Caller(user): Caller,
    JsonBody(body): JsonBody<NewToken>,
) -> ApiResult<(StatusCode, Json<Issued>)> {
    if !user.has(Role::Admin) {
        return Err(AppError::Forbidden(
            "only an administrator issues API tokens".into(),
        ));
    }
    if body.name.trim().is_empty() {
        return Err(AppError::Unprocessable {
            detail: "name: empty; say what the token is for".into(),
            field: Some("name".into()),
        });
    }
    let target = state
        .store
        .user_by_username(&body.username)
        .await?
        .ok_or_else(|| AppError::Unprocessable {
            detail: format!("no account {}", body.username),
            field: Some("username".into()),
        })?;
    let (token, hash) = new_token();
    state
        .store
        .create_api_token(&user.username, &hash, target.id, body.name.trim())
        .await?;
    Ok((
        StatusCode::CREATED,
        Json(Issued {
            token,
            username: target.username,
            name: body.name.trim().to_string(),
        }),
    ))
}
