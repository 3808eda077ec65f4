//! Boards and the annual competency appraisal of board-level directors (BC-1, BC-2).
//!
//! Who may do what:
//! - organisations and directors are recorded by an `admin`; a job description's domains by an
//!   `admin` or the board's chair;
//! - a director sees and fills in their own appraisal; the appraiser (the chair for the chief
//!   executive and non-executive directors, the chief executive for executive directors) sees the
//!   appraisals of those they appraise and records the discussion and development objectives; the
//!   chair sees the whole board and its report. Everyone else is refused, whatever their role.
//! - an appraisal is signed off by the director and by the appraiser; neither can sign off an
//!   incomplete self-assessment (422), and a signed self-assessment can no longer be changed (409).
//!
//! The handlers here read the request and shape the answer; the operations they call are
//! [`crate::service::board`]'s, which the pages share.

use crate::api::{AnyJson, JsonBody};
use crate::auth::Caller;
use crate::error::{ApiResult, AppError};
use crate::service::board::*;
use crate::service::board_consistency::AppraisalConsistency;
use crate::AppState;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::Json;
use tenpa_rules::board_competency::Framework;
use tenpa_store::{BoardAppraisal, Organisation};

/// The embedded competency framework (latest version): domains, statements and the scale.
#[utoipa::path(get, path = "/api/v1/board/framework", responses((status = 200, body = AnyJson), (status = 401)))]
pub async fn get_framework(_caller: Caller) -> Json<Framework> {
    Json(Framework::latest())
}

/// Records an organisation (admin).
#[utoipa::path(post, path = "/api/v1/board/organisations", request_body = NewOrganisation, responses((status = 201, body = AnyJson), (status = 403), (status = 422)))]
pub async fn create_organisation(
    State(state): State<AppState>,
    Caller(user): Caller,
    JsonBody(body): JsonBody<NewOrganisation>,
) -> ApiResult<(StatusCode, Json<serde_json::Value>)> {
    let id = record_organisation(&state, &user, &body).await?;
    Ok((StatusCode::CREATED, Json(serde_json::json!({ "id": id }))))
}

/// Organisations: every one for an admin, otherwise those on whose board the caller sits.
#[utoipa::path(get, path = "/api/v1/board/organisations", responses((status = 200, body = AnyJson), (status = 401)))]
pub async fn organisations(
    State(state): State<AppState>,
    Caller(user): Caller,
) -> ApiResult<Json<Vec<Organisation>>> {
    Ok(Json(visible_organisations(&state, &user).await?))
}

/// Records a director (admin).
#[utoipa::path(post, path = "/api/v1/board/directors", request_body = NewDirector, responses((status = 201, body = AnyJson), (status = 403), (status = 404), (status = 422)))]
pub async fn create_director(
    State(state): State<AppState>,
    Caller(user): Caller,
    JsonBody(body): JsonBody<NewDirector>,
) -> ApiResult<(StatusCode, Json<serde_json::Value>)> {
    let (id, findings) = record_director(&state, &user, body).await?;
    Ok((
        StatusCode::CREATED,
        Json(serde_json::json!({ "id": id, "job_description_findings": findings })),
    ))
}

/// An organisation's board with each job description checked (BC-2): its chair, or an admin.
#[utoipa::path(get, path = "/api/v1/board/organisations/{id}/directors", params(("id" = i64, Path)), responses((status = 200, body = Vec<DirectorView>), (status = 403)))]
pub async fn directors(
    State(state): State<AppState>,
    Caller(user): Caller,
    Path(id): Path<i64>,
) -> ApiResult<Json<Vec<DirectorView>>> {
    let mine = state.store.directors_of_user(&user.username).await?;
    if !crate::policy::may_keep_board(&user, chair_of(&mine, id)) {
        return Err(AppError::Forbidden(
            "the board's directors are listed for its chair".into(),
        ));
    }
    let list = state.store.directors(id).await?;
    Ok(Json(list.into_iter().map(director_view).collect()))
}

/// Records the domains a director's job description covers and checks them (BC-2): an admin or
/// the board's chair.
#[utoipa::path(put, path = "/api/v1/board/directors/{id}/job-description", params(("id" = i64, Path)), request_body = JobDescription, responses((status = 200, body = DirectorView), (status = 403), (status = 404)))]
pub async fn put_job_description(
    State(state): State<AppState>,
    Caller(user): Caller,
    Path(id): Path<i64>,
    JsonBody(body): JsonBody<JobDescription>,
) -> ApiResult<Json<DirectorView>> {
    record_job_description(&state, &user, id, &body.domains).await?;
    Ok(Json(director_view(load_director(&state, id).await?)))
}

/// Opens a director's appraisal for a year against the latest framework: the director or their
/// appraiser.
#[utoipa::path(post, path = "/api/v1/board/appraisals", request_body = NewAppraisal, responses((status = 201, body = AnyJson), (status = 403), (status = 422)))]
pub async fn create_appraisal(
    State(state): State<AppState>,
    Caller(user): Caller,
    JsonBody(body): JsonBody<NewAppraisal>,
) -> ApiResult<(StatusCode, Json<serde_json::Value>)> {
    let (id, version) = open_appraisal(&state, &user, body.director_id, body.year).await?;
    Ok((
        StatusCode::CREATED,
        Json(serde_json::json!({ "id": id, "framework_version": version })),
    ))
}

/// One appraisal: the director, their appraiser or the chair.
#[utoipa::path(get, path = "/api/v1/board/appraisals/{id}", params(("id" = i64, Path)), responses((status = 200, body = AppraisalView), (status = 403), (status = 404)))]
pub async fn appraisal(
    State(state): State<AppState>,
    Caller(user): Caller,
    Path(id): Path<i64>,
) -> ApiResult<Json<AppraisalView>> {
    let (a, d, _) = load_appraisal(&state, &user, id).await?;
    Ok(Json(view(a, d)?))
}

/// The appraisals the caller may see: their own, those they appraise, and the whole board for a
/// chair.
#[utoipa::path(get, path = "/api/v1/board/appraisals", responses((status = 200, body = AnyJson), (status = 401)))]
pub async fn appraisals(
    State(state): State<AppState>,
    Caller(user): Caller,
) -> ApiResult<Json<Vec<BoardAppraisal>>> {
    Ok(Json(visible_appraisals(&state, &user).await?))
}

/// Records the director's self-assessment (the director only, before they sign off). Ratings of
/// statements the framework does not have, or off the scale, are refused (422).
#[utoipa::path(put, path = "/api/v1/board/appraisals/{id}/self-assessment", params(("id" = i64, Path)), request_body = SelfAssessment, responses((status = 200, body = AppraisalView), (status = 403), (status = 409), (status = 422)))]
pub async fn put_self_assessment(
    State(state): State<AppState>,
    Caller(user): Caller,
    Path(id): Path<i64>,
    JsonBody(body): JsonBody<SelfAssessment>,
) -> ApiResult<Json<AppraisalView>> {
    save_self_assessment(&state, &user, id, body.version, body.ratings).await?;
    let (a, d, _) = load_appraisal(&state, &user, id).await?;
    Ok(Json(view(a, d)?))
}

/// Records the discussion and development objectives (the appraiser only, before they sign off).
#[utoipa::path(put, path = "/api/v1/board/appraisals/{id}/discussion", params(("id" = i64, Path)), request_body = Discussion, responses((status = 200, body = AppraisalView), (status = 403), (status = 409)))]
pub async fn put_discussion(
    State(state): State<AppState>,
    Caller(user): Caller,
    Path(id): Path<i64>,
    JsonBody(body): JsonBody<Discussion>,
) -> ApiResult<Json<AppraisalView>> {
    save_discussion(&state, &user, id, body).await?;
    let (a, d, _) = load_appraisal(&state, &user, id).await?;
    Ok(Json(view(a, d)?))
}

/// Signs off the appraisal as the director or as the appraiser. An incomplete self-assessment
/// cannot be signed off (422, naming the statements not rated); the appraiser signs off after
/// recording the discussion and objectives.
#[utoipa::path(post, path = "/api/v1/board/appraisals/{id}/sign-off", params(("id" = i64, Path)), request_body = SignOff, responses((status = 200, body = AppraisalView), (status = 403), (status = 409), (status = 422)))]
pub async fn sign_off(
    State(state): State<AppState>,
    Caller(user): Caller,
    Path(id): Path<i64>,
    JsonBody(body): JsonBody<SignOff>,
) -> ApiResult<Json<AppraisalView>> {
    sign(&state, &user, id, body.version).await?;
    let (a, d, _) = load_appraisal(&state, &user, id).await?;
    Ok(Json(view(a, d)?))
}

/// The board report for a year: the chair (or an admin).
#[utoipa::path(get, path = "/api/v1/board/organisations/{id}/report", params(("id" = i64, Path), ReportQuery), responses((status = 200, body = BoardReport), (status = 403), (status = 404)))]
pub async fn report(
    State(state): State<AppState>,
    Caller(user): Caller,
    Path(id): Path<i64>,
    Query(q): Query<ReportQuery>,
) -> ApiResult<Json<BoardReport>> {
    Ok(Json(board_report(&state, &user, id, q.year).await?))
}

/// Consistency of the board's appraisals: per year, the appraisals opened and signed off by both
/// (of the directors) and the days from opening to the last signature; the same by position over
/// all years; groups under five not shown. The chair (or an admin).
#[utoipa::path(get, path = "/api/v1/board/organisations/{id}/appraisal-consistency", params(("id" = i64, Path)), responses((status = 200, body = AppraisalConsistency), (status = 401), (status = 403), (status = 404)))]
pub async fn appraisal_consistency(
    State(state): State<AppState>,
    Caller(user): Caller,
    Path(id): Path<i64>,
) -> ApiResult<Json<AppraisalConsistency>> {
    Ok(Json(
        crate::service::board_consistency::report(&state.store, &user, id).await?,
    ))
}

/// A director's profile across domains and years: the director, their appraiser or the chair.
#[utoipa::path(get, path = "/api/v1/board/directors/{id}/profile", params(("id" = i64, Path)), responses((status = 200, body = Vec<YearProfile>), (status = 403), (status = 404)))]
pub async fn director_profile(
    State(state): State<AppState>,
    Caller(user): Caller,
    Path(id): Path<i64>,
) -> ApiResult<Json<Vec<YearProfile>>> {
    Ok(Json(profile_years(&state, &user, id).await?.1))
}
