//! Extra-PA offers (PP-4, PP-5): recorded with the fields of the career document's
//! `[[extra_pa_offer]]`, answered by the consultant (or recorded as answered), ended with notice,
//! and checked against PP-5 (notice, equal offer, manner, termination). An offer recorded without
//! `response` awaits the consultant's answer; only answered offers count for PP-4.
//!
//! The handlers here read the request and shape the answer; the operations they call are
//! [`crate::service::extra_pa_offers`]'s, which the pages share.

use crate::api::JsonBody;
use crate::auth::Caller;
use crate::error::ApiResult;
use crate::policy::job_plan_scope;
use crate::service::extra_pa_offers::*;
use crate::AppState;
use axum::extract::rejection::QueryRejection;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::Json;

/// Extra-PA offers the caller may see, newest first, with their PP-5 findings.
#[utoipa::path(get, path = "/api/v1/extra-pa-offers", params(OfferQuery), responses((status = 200, body = Vec<OfferView>), (status = 400), (status = 401)))]
pub async fn list(
    State(state): State<AppState>,
    Caller(user): Caller,
    q: Result<Query<OfferQuery>, QueryRejection>,
) -> ApiResult<Json<Vec<OfferView>>> {
    let Query(q) = q.map_err(crate::api::query_error)?;
    let offers = state
        .store
        .extra_pa_offers(&job_plan_scope(&user), q.consultant_id.as_deref())
        .await?;
    Ok(Json(
        offers.into_iter().map(|r| view(r, &state.params)).collect(),
    ))
}

/// Records an extra-PA offer and the consultant's response (the clinical director of the
/// consultant's department, the medical director or medical staffing).
#[utoipa::path(post, path = "/api/v1/extra-pa-offers", request_body = NewOffer, responses((status = 201, body = OfferView), (status = 400), (status = 403), (status = 422)))]
pub async fn create(
    State(state): State<AppState>,
    Caller(user): Caller,
    JsonBody(body): JsonBody<NewOffer>,
) -> ApiResult<(StatusCode, Json<OfferView>)> {
    Ok((
        StatusCode::CREATED,
        Json(create_offer(&state, &user, body).await?),
    ))
}

/// One extra-PA offer with its PP-5 findings.
#[utoipa::path(get, path = "/api/v1/extra-pa-offers/{id}", params(("id" = i64, Path)), responses((status = 200, body = OfferView), (status = 403), (status = 404)))]
pub async fn get(
    State(state): State<AppState>,
    Caller(user): Caller,
    Path(id): Path<i64>,
) -> ApiResult<Json<OfferView>> {
    Ok(Json(view(load(&state, &user, id).await?, &state.params)))
}

/// Records the consultant's answer to an offer (the consultant while it awaits one; their clinical
/// director, the medical director or medical staffing at any time before a termination).
#[utoipa::path(post, path = "/api/v1/extra-pa-offers/{id}/response", params(("id" = i64, Path)), request_body = NewResponse, responses((status = 200, body = OfferView), (status = 403), (status = 404), (status = 409), (status = 422)))]
pub async fn respond(
    State(state): State<AppState>,
    Caller(user): Caller,
    Path(id): Path<i64>,
    JsonBody(body): JsonBody<NewResponse>,
) -> ApiResult<Json<OfferView>> {
    Ok(Json(record_response(&state, &user, id, body).await?))
}

/// Records the termination of accepted extra PAs, with the date notice was given (PP-5).
#[utoipa::path(post, path = "/api/v1/extra-pa-offers/{id}/termination", params(("id" = i64, Path)), request_body = NewTermination, responses((status = 200, body = OfferView), (status = 403), (status = 404), (status = 409), (status = 422)))]
pub async fn terminate(
    State(state): State<AppState>,
    Caller(user): Caller,
    Path(id): Path<i64>,
    JsonBody(body): JsonBody<NewTermination>,
) -> ApiResult<Json<OfferView>> {
    Ok(Json(record_termination(&state, &user, id, body).await?))
}
