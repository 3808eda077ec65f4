//! Job plan reviews and pay progression decisions (PP-3): the manager's report (an annual review),
//! the Medical Director's recommendation, the Chief Executive's decision, and an appeal.

use crate::api::{first_allowed, AnyJson, JsonBody};
use crate::auth::{job_plan_scope, Caller};
use crate::error::{ApiResult, AppError};
use crate::AppState;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::Json;
use serde::{Deserialize, Serialize};
use tenpa_rules::job_planning::{case_step, Actor, CaseStatus, CaseStep, Role};
use tenpa_store::{Case, Review, Scope, Step, User};
use utoipa::ToSchema;

/// A review as recorded by the manager.
#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct NewReview {
    /// The consultant.
    pub consultant_id: String,
    /// `annual` (opens a progression case) or `interim` (after a significant change, JP-1).
    pub kind: String,
    /// The anniversary closing the year (YYYY-MM-DD).
    pub year_ending: String,
    /// A 9.4: met the time and service commitments.
    pub met_time_and_service: bool,
    /// A 9.4: met the objectives, or made every reasonable effort.
    pub met_objectives_or_reasonable_effort: bool,
    /// A 9.4: took part in appraisal, job planning and objective setting.
    pub took_part_in_appraisal_and_job_planning: bool,
    /// A 9.4: worked towards the agreed service changes.
    pub worked_towards_service_changes: bool,
    /// Notes.
    #[serde(default)]
    pub notes: String,
}

/// A step of a progression case.
#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct NewStep {
    /// The case version the step applies to.
    pub version: i64,
    /// `recommend`, `decide`, `appeal`, `decide_appeal` or `close`.
    #[schema(value_type = String)]
    pub step: CaseStep,
    /// `progress` or `defer`: required to recommend, decide and decide an appeal.
    #[serde(default)]
    pub outcome: Option<String>,
    /// The reason: required when deferring, or progressing despite a criterion not met (discretion).
    #[serde(default)]
    pub reason: String,
}

/// A case with its steps.
#[derive(Serialize, ToSchema)]
pub struct CaseView {
    /// The case.
    #[serde(flatten)]
    #[schema(value_type = Object)]
    pub case: Case,
    /// Its steps, oldest first.
    #[schema(value_type = Vec<Object>)]
    pub steps: Vec<Step>,
}

fn sees(u: &User, consultant_id: &str, department_id: i64) -> bool {
    match job_plan_scope(u) {
        Scope::All => true,
        Scope::Department(d) => {
            d == department_id || u.consultant_id.as_deref() == Some(consultant_id)
        }
        Scope::Consultant(c) => c == consultant_id,
        Scope::Nothing => false,
    }
}

/// Records a review (clinical director of the consultant's department, or medical director).
#[utoipa::path(post, path = "/api/v1/reviews", request_body = NewReview, responses((status = 201, body = AnyJson), (status = 403), (status = 422)))]
pub async fn create_review(
    State(state): State<AppState>,
    Caller(user): Caller,
    JsonBody(body): JsonBody<NewReview>,
) -> ApiResult<(StatusCode, Json<serde_json::Value>)> {
    let consultant = state
        .store
        .consultant(&body.consultant_id)
        .await?
        .ok_or_else(|| AppError::Unprocessable {
            detail: format!("no consultant {} on record", body.consultant_id),
            field: Some("consultant_id".into()),
        })?;
    let allowed = user.has(Role::MedicalDirector)
        || (user.has(Role::ClinicalDirector)
            && user.department_id == Some(consultant.department_id));
    if !allowed {
        return Err(AppError::Forbidden(
            "a review is recorded by the consultant's clinical director or the medical director"
                .into(),
        ));
    }
    let review = Review {
        id: 0,
        consultant_id: body.consultant_id,
        kind: body.kind,
        year_ending: body.year_ending,
        met_time_and_service: body.met_time_and_service,
        met_objectives_or_reasonable_effort: body.met_objectives_or_reasonable_effort,
        took_part_in_appraisal_and_job_planning: body.took_part_in_appraisal_and_job_planning,
        worked_towards_service_changes: body.worked_towards_service_changes,
        notes: body.notes,
        created_by: String::new(),
        created_at: String::new(),
    };
    let (id, case) = state.store.create_review(&user.username, &review).await?;
    Ok((
        StatusCode::CREATED,
        Json(serde_json::json!({ "id": id, "progression_case_id": case })),
    ))
}

/// Reviews the caller may see.
#[utoipa::path(get, path = "/api/v1/reviews", responses((status = 200, body = AnyJson), (status = 401)))]
pub async fn reviews(
    State(state): State<AppState>,
    Caller(user): Caller,
) -> ApiResult<Json<Vec<Review>>> {
    Ok(Json(state.store.reviews(&job_plan_scope(&user)).await?))
}

/// Progression cases the caller may see.
#[utoipa::path(get, path = "/api/v1/progression-cases", responses((status = 200, body = AnyJson), (status = 401)))]
pub async fn cases(
    State(state): State<AppState>,
    Caller(user): Caller,
) -> ApiResult<Json<Vec<Case>>> {
    Ok(Json(
        state
            .store
            .progression_cases(&job_plan_scope(&user))
            .await?,
    ))
}

async fn load(state: &AppState, user: &User, id: i64) -> ApiResult<CaseView> {
    let (case, steps) = state
        .store
        .progression_case(id)
        .await?
        .ok_or_else(|| AppError::NotFound(format!("progression case {id}")))?;
    if !sees(user, &case.consultant_id, case.department_id) {
        return Err(AppError::Forbidden(format!(
            "progression case {id} is not one you may see"
        )));
    }
    Ok(CaseView { case, steps })
}

/// One progression case with its steps.
#[utoipa::path(get, path = "/api/v1/progression-cases/{id}", params(("id" = i64, Path)), responses((status = 200, body = CaseView), (status = 403), (status = 404)))]
pub async fn case(
    State(state): State<AppState>,
    Caller(user): Caller,
    Path(id): Path<i64>,
) -> ApiResult<Json<CaseView>> {
    Ok(Json(load(&state, &user, id).await?))
}

/// Takes the next step of a progression case (PP-3).
#[utoipa::path(post, path = "/api/v1/progression-cases/{id}/steps", params(("id" = i64, Path)), request_body = NewStep, responses((status = 200, body = CaseView), (status = 403), (status = 409), (status = 422)))]
pub async fn step(
    State(state): State<AppState>,
    Caller(user): Caller,
    Path(id): Path<i64>,
    JsonBody(body): JsonBody<NewStep>,
) -> ApiResult<Json<CaseView>> {
    let view = load(&state, &user, id).await?;
    let needs_outcome = matches!(
        body.step,
        CaseStep::Recommend | CaseStep::Decide | CaseStep::DecideAppeal
    );
    match (needs_outcome, body.outcome.as_deref()) {
        (true, Some("progress" | "defer")) | (false, None) => {}
        (true, other) => {
            return Err(AppError::Unprocessable {
                detail: format!("outcome: found {other:?}, expected \"progress\" or \"defer\""),
                field: Some("outcome".into()),
            })
        }
        (false, Some(_)) => {
            return Err(AppError::Unprocessable {
                detail: format!("outcome: not given with {}", body.step.as_str()),
                field: Some("outcome".into()),
            })
        }
    }
    if body.outcome.as_deref() == Some("defer") && body.reason.trim().is_empty() {
        return Err(AppError::Unprocessable {
            detail: "reason: a deferral records why (C 4.3)".into(),
            field: Some("reason".into()),
        });
    }
    let from = CaseStatus::parse(&view.case.status).unwrap_or(CaseStatus::Reported);
    let refused = view.case.outcome.as_deref() == Some("defer");
    let own = user.consultant_id.as_deref() == Some(view.case.consultant_id.as_str());
    let in_department = user.department_id == Some(view.case.department_id);
    let actors = user.roles.iter().map(|&role| Actor {
        role,
        own,
        in_department,
        named_alternate: false,
    });
    let to = first_allowed(actors, view.case.version, |a| {
        case_step(from, body.step, a, refused)
    })?;
    let new = tenpa_store::NewStep {
        step: body.step.as_str(),
        status: to.as_str(),
        outcome: body.outcome.as_deref(),
        reason: body.reason.trim(),
    };
    state
        .store
        .add_case_step(&user.username, id, body.version, new)
        .await?;
    Ok(Json(load(&state, &user, id).await?))
}
