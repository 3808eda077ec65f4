//! API tokens for system-to-system use: an administrator issues one for an account; it is shown once
//! and stored only as its hash. Each expires (90 days unless asked otherwise, at most 365) and can be
//! revoked. A token acting as an account other than the issuing administrator's needs `act_as`: its
//! issue and every use are audited.
//!
//! The handlers here read the request and shape the answer; the operations they call are
//! [`crate::service::tokens`]'s, which the pages share.

use crate::api::JsonBody;
use crate::auth::Caller;
use crate::error::ApiResult;
use crate::service::tokens::*;
use crate::AppState;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::Json;

/// Issues an API token (administrator). A token for another account needs `"act_as": true`.
#[utoipa::path(post, path = "/api/v1/api-tokens", request_body = NewToken, responses((status = 201, body = Issued), (status = 401), (status = 403), (status = 422, description = "a field is not acceptable, or the token would act for another account without `act_as`; `field` names it")))]
pub async fn create(
    State(state): State<AppState>,
    Caller(user): Caller,
    JsonBody(body): JsonBody<NewToken>,
) -> ApiResult<(StatusCode, Json<Issued>)> {
    let issued = issue(&state, &user, body).await?;
    Ok((StatusCode::CREATED, Json(issued)))
}

/// Lists the API tokens (administrator): never their secrets.
#[utoipa::path(get, path = "/api/v1/api-tokens", responses((status = 200, body = Vec<TokenView>), (status = 401), (status = 403)))]
pub async fn list(
    State(state): State<AppState>,
    Caller(user): Caller,
) -> ApiResult<Json<Vec<TokenView>>> {
    Ok(Json(all(&state, &user).await?))
}

/// Revokes an API token (administrator), audited; it answers 401 from then on.
#[utoipa::path(delete, path = "/api/v1/api-tokens/{id}", params(("id" = i64, Path)), responses((status = 204, description = "revoked (or already revoked)"), (status = 401), (status = 403), (status = 404)))]
pub async fn revoke(
    State(state): State<AppState>,
    Caller(user): Caller,
    Path(id): Path<i64>,
) -> ApiResult<StatusCode> {
    revoke_token(&state, &user, id).await?;
    Ok(StatusCode::NO_CONTENT)
}
