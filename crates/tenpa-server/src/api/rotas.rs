//! On-call rotas: members, category decisions over time (OC-7), and the trust report of
//! high-frequency rotas with the availability supplements' share of the pay bill (OC-10).
//!
//! The handlers here read the request and shape the answer; the operations they call are
//! [`crate::service::rotas`]'s, which the pages share.

use crate::api::JsonBody;
use crate::auth::Caller;
use crate::error::{ApiResult, AppError};
use crate::policy::job_plan_scope;
use crate::service::rota_plans::{self, PlanChanges};
use crate::service::rotas::*;
use crate::AppState;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::Json;

/// Rotas the caller may see (a consultant: the rotas they are on).
#[utoipa::path(get, path = "/api/v1/rotas", responses((status = 200, body = Vec<RotaView>), (status = 401)))]
pub async fn list(
    State(state): State<AppState>,
    Caller(user): Caller,
) -> ApiResult<Json<Vec<RotaView>>> {
    let rotas = state.store.rotas(&job_plan_scope(&user)).await?;
    Ok(Json(rotas.into_iter().map(view).collect()))
}

/// One rota with its members, category decisions, frequency and band, and whether each member's
/// job plan agrees with the rotas.
#[utoipa::path(get, path = "/api/v1/rotas/{id}", params(("id" = i64, Path)), responses((status = 200, body = RotaDetail), (status = 403), (status = 404)))]
pub async fn get(
    State(state): State<AppState>,
    Caller(user): Caller,
    Path(id): Path<i64>,
) -> ApiResult<Json<RotaDetail>> {
    let rota = load(&state, &user, id).await?;
    let member_plans = rota_plans::member_plans(&state, &user, &rota).await?;
    Ok(Json(RotaDetail {
        rota: view(rota),
        member_plans,
    }))
}

/// Brings the members' current job plans into line with the rotas: a new version for each plan
/// whose `[on_call]` disagrees (as after a rota change). Those who may change the rota.
#[utoipa::path(post, path = "/api/v1/rotas/{id}/plans", params(("id" = i64, Path)), responses((status = 200, body = PlanChanges), (status = 403), (status = 404)))]
pub async fn align(
    State(state): State<AppState>,
    Caller(user): Caller,
    Path(id): Path<i64>,
) -> ApiResult<Json<PlanChanges>> {
    Ok(Json(align_plans(&state, &user, id).await?))
}

/// Creates a rota (medical director, medical staffing, or the department's clinical director).
/// The members' job plans get a new version that agrees with the rota (`plans` in the answer).
#[utoipa::path(post, path = "/api/v1/rotas", request_body = NewRotaBody, responses((status = 201, body = RotaChanged), (status = 400), (status = 403), (status = 422)))]
pub async fn create(
    State(state): State<AppState>,
    Caller(user): Caller,
    JsonBody(body): JsonBody<NewRotaBody>,
) -> ApiResult<(StatusCode, Json<RotaChanged>)> {
    Ok((
        StatusCode::CREATED,
        Json(create_rota(&state, &user, body).await?),
    ))
}

/// Replaces a rota's name, members, reason and action plan, naming the version edited. The
/// current job plans of the members before and after get a new version that agrees with the
/// rotas (`plans` in the answer).
#[utoipa::path(put, path = "/api/v1/rotas/{id}", params(("id" = i64, Path)), request_body = RotaUpdate, responses((status = 200, body = RotaChanged), (status = 403), (status = 409), (status = 422)))]
pub async fn update(
    State(state): State<AppState>,
    Caller(user): Caller,
    Path(id): Path<i64>,
    JsonBody(body): JsonBody<RotaUpdate>,
) -> ApiResult<Json<RotaChanged>> {
    Ok(Json(update_rota(&state, &user, id, body).await?))
}

/// Records a category decision, effective today or later (OC-7: prospective; a reduction from A
/// to B has no protection). One effective today changes the members' job plans at once (`plans`
/// in the answer); one effective later changes them when it takes effect.
#[utoipa::path(post, path = "/api/v1/rotas/{id}/category-decisions", params(("id" = i64, Path)), request_body = CategoryDecisionBody, responses((status = 200, body = RotaChanged), (status = 403), (status = 409), (status = 422)))]
pub async fn decide_category(
    State(state): State<AppState>,
    Caller(user): Caller,
    Path(id): Path<i64>,
    JsonBody(body): JsonBody<CategoryDecisionBody>,
) -> ApiResult<Json<RotaChanged>> {
    Ok(Json(
        record_category_decision(&state, &user, id, body).await?,
    ))
}

/// The trust's on-call report: high-frequency rotas with their reasons and action plans, and the
/// availability supplements' share of the current plans' pay bill against the funding target
/// (OC-10). The medical director, medical staffing and the chief executive.
#[utoipa::path(get, path = "/api/v1/reports/on-call", responses((status = 200, body = OnCallReport), (status = 403)))]
pub async fn report(
    State(state): State<AppState>,
    Caller(user): Caller,
) -> ApiResult<Json<OnCallReport>> {
    if !crate::policy::may_read_trust_reports(&user) {
        return Err(AppError::Forbidden(
            "the on-call report is for the medical director, medical staffing and the chief executive".into(),
        ));
    }
    Ok(Json(on_call_report(&state).await?))
}
