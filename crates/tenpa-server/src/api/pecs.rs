//! Primary care trusts' professional executive committees (PEC-1 … PEC-4): committee documents
//! stored and checked, and the strategic health authority's oversight report.
//!
//! Who may do what: an `admin` or a `medical_director` stores a PCT's committee document; they and
//! the board roles (`board_chair`, `board_member`, `chief_executive`) read the committees and the
//! oversight report. Others are refused.
//!
//! The handlers here read the request and shape the answer; the operations they call are
//! [`crate::service::pecs`]'s, which the pages share.

use crate::api::{AnyJson, JsonBody};
use crate::auth::Caller;
use crate::error::ApiResult;
use crate::service::pecs::*;
use crate::AppState;
use axum::extract::{Query, State};
use axum::http::StatusCode;
use axum::Json;
use tenpa_rules::pec::PecDocument;

/// Which SHA's oversight report.
#[derive(serde::Deserialize, utoipa::IntoParams)]
pub struct OversightQuery {
    /// The strategic health authority; every SHA when absent.
    #[serde(default)]
    pub sha: Option<String>,
}

/// Stores a PCT's committee document (the JSON form of `tenpa pec check`'s document), replacing
/// the PCT's previous one, and returns its check: an admin or a medical director.
#[utoipa::path(post, path = "/api/v1/pecs", request_body = AnyJson, responses((status = 201, body = PecView), (status = 400), (status = 403), (status = 422)))]
pub async fn create(
    State(state): State<AppState>,
    Caller(user): Caller,
    JsonBody(doc): JsonBody<PecDocument>,
) -> ApiResult<(StatusCode, Json<PecView>)> {
    Ok((
        StatusCode::CREATED,
        Json(store_pec(&state, &user, doc).await?),
    ))
}

/// Every stored committee with its check, by SHA then PCT.
#[utoipa::path(get, path = "/api/v1/pecs", responses((status = 200, body = Vec<PecView>), (status = 403)))]
pub async fn list(
    State(state): State<AppState>,
    Caller(user): Caller,
) -> ApiResult<Json<Vec<PecView>>> {
    may_read(&user)?;
    Ok(Json(all(&state).await?))
}

/// The strategic health authorities' oversight report (PEC-4): every PCT in each SHA's area with its
/// PEC's findings and whether it met the 1 October 2007 implementation date.
#[utoipa::path(get, path = "/api/v1/pecs/oversight", params(OversightQuery), responses((status = 200, body = Vec<Oversight>), (status = 403)))]
pub async fn oversight(
    State(state): State<AppState>,
    Caller(user): Caller,
    Query(q): Query<OversightQuery>,
) -> ApiResult<Json<Vec<Oversight>>> {
    may_read(&user)?;
    Ok(Json(oversight_report(&state, q.sha.as_deref()).await?))
}
