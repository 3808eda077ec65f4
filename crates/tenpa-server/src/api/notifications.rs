//! The caller's notifications through the API ([`crate::service::notifications`]).

use crate::api::JsonBody;
use crate::auth::Caller;
use crate::error::ApiResult;
use crate::service::notifications::{self, EmailChange, Outbox, ReadNotifications, Settings};
use crate::AppState;
use axum::extract::State;
use axum::Json;
use serde::Serialize;
use tenpa_store::Notification;
use utoipa::ToSchema;

/// The caller's notifications, the newest first (at most 50): a job plan proposed to them,
/// waiting for their sign-off, referred to them or signed off; each with its `link` and
/// `read_at`.
#[utoipa::path(get, path = "/api/v1/notifications", responses((status = 200, body = [Object]), (status = 401)))]
pub async fn list(
    State(state): State<AppState>,
    Caller(user): Caller,
) -> ApiResult<Json<Vec<Notification>>> {
    Ok(Json(notifications::list(&state.store, &user).await?))
}

/// How many were marked read.
#[derive(Serialize, ToSchema)]
pub struct Marked {
    /// The count.
    pub marked: u64,
}

/// Marks the caller's notifications read: those of `ids`, or all when left out (another's ids are
/// left alone). 422 naming `ids` for more than 200.
#[utoipa::path(post, path = "/api/v1/notifications/read", request_body = ReadNotifications, responses((status = 200, body = Marked), (status = 400), (status = 401), (status = 422)))]
pub async fn read(
    State(state): State<AppState>,
    Caller(user): Caller,
    JsonBody(body): JsonBody<ReadNotifications>,
) -> ApiResult<Json<Marked>> {
    Ok(Json(Marked {
        marked: notifications::read(&state.store, &user, &body).await?,
    }))
}

/// How the caller is told of their notifications: the address they are emailed to, if any, and
/// whether this server sends email.
#[utoipa::path(get, path = "/api/v1/notifications/settings", responses((status = 200, body = Settings), (status = 401)))]
pub async fn settings(State(state): State<AppState>, Caller(user): Caller) -> Json<Settings> {
    Json(notifications::settings(&state, &user))
}

/// Sets (or, with null or an empty string, clears) the address the caller's own notifications are
/// emailed to, audited. 422 naming `email`.
#[utoipa::path(put, path = "/api/v1/notifications/settings", request_body = EmailChange, responses((status = 200, body = Settings), (status = 400), (status = 401), (status = 422)))]
pub async fn put_settings(
    State(state): State<AppState>,
    Caller(user): Caller,
    JsonBody(body): JsonBody<EmailChange>,
) -> ApiResult<Json<Settings>> {
    Ok(Json(
        notifications::set_own_email(&state, &user, &body).await?,
    ))
}

/// The email outbox: how many emails wait, were sent or were given up, and the latest 100 with
/// their tries and the last failure's reason. An administrator.
#[utoipa::path(get, path = "/api/v1/email/outbox", responses((status = 200, body = Outbox), (status = 401), (status = 403)))]
pub async fn outbox(
    State(state): State<AppState>,
    Caller(user): Caller,
) -> ApiResult<Json<Outbox>> {
    Ok(Json(notifications::outbox(&state, &user).await?))
}
