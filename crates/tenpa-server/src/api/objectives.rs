//! Objectives under the A 7.2 headings, per consultant and year, with progress notes appended over
//! time (JP-3, A 7.1-7.7).

use crate::api::JsonBody;
use crate::auth::{job_plan_scope, Caller};
use crate::error::{ApiResult, AppError};
use crate::AppState;
use axum::extract::rejection::QueryRejection;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::Json;
use serde::Deserialize;
use tenpa_rules::job_planning::Role;
use tenpa_store::{ConsultantRecord, Objective, Scope, User};
use utoipa::{IntoParams, ToSchema};

/// The headings of A 7.2.
#[derive(Debug, Clone, Copy, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum Heading {
    /// Activity and efficiency.
    ActivityAndEfficiency,
    /// Clinical outcomes.
    ClinicalOutcomes,
    /// Clinical standards.
    ClinicalStandards,
    /// Local service objectives.
    LocalServiceObjectives,
    /// Management of resources.
    ManagementOfResources,
}

impl Heading {
    /// Every heading, in the order of A 7.2.
    pub const ALL: [Heading; 5] = [
        Heading::ActivityAndEfficiency,
        Heading::ClinicalOutcomes,
        Heading::ClinicalStandards,
        Heading::LocalServiceObjectives,
        Heading::ManagementOfResources,
    ];

    /// The heading with this stored name.
    pub fn parse(s: &str) -> Option<Heading> {
        Heading::ALL.into_iter().find(|h| h.as_str() == s)
    }

    /// The heading in words.
    pub fn label(self) -> &'static str {
        match self {
            Heading::ActivityAndEfficiency => "Activity and efficiency",
            Heading::ClinicalOutcomes => "Clinical outcomes",
            Heading::ClinicalStandards => "Clinical standards",
            Heading::LocalServiceObjectives => "Local service objectives",
            Heading::ManagementOfResources => "Management of resources",
        }
    }

    /// The name as stored.
    pub fn as_str(self) -> &'static str {
        match self {
            Heading::ActivityAndEfficiency => "activity_and_efficiency",
            Heading::ClinicalOutcomes => "clinical_outcomes",
            Heading::ClinicalStandards => "clinical_standards",
            Heading::LocalServiceObjectives => "local_service_objectives",
            Heading::ManagementOfResources => "management_of_resources",
        }
    }
}

/// An objective to record.
#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct NewObjective {
    /// The consultant.
    pub consultant_id: String,
    /// The job plan year (the calendar year it starts in).
    pub year: i64,
    /// One of the A 7.2 headings.
    pub heading: Heading,
    /// The objective.
    pub text: String,
}

/// A progress note.
#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct NewNote {
    /// The note.
    pub note: String,
    /// Whether it records factors outside the consultant's control (A 7.6).
    #[serde(default)]
    pub outside_control: bool,
}

/// Filters for the list.
#[derive(Deserialize, IntoParams)]
#[serde(deny_unknown_fields)]
pub struct ObjectiveQuery {
    /// Only this consultant's.
    pub consultant_id: Option<String>,
    /// Only this year's.
    pub year: Option<i64>,
}

/// Whether `u` may see records of the consultant in the department (own; department; trust).
pub(crate) fn sees(u: &User, consultant_id: &str, department_id: i64) -> bool {
    match job_plan_scope(u) {
        Scope::All => true,
        Scope::Department(d) => {
            d == department_id || u.consultant_id.as_deref() == Some(consultant_id)
        }
        Scope::Consultant(c) => c == consultant_id,
        Scope::Nothing => false,
    }
}

/// Whether `u` may add an objective or note for the consultant: the consultant, their clinical
/// director, or the medical director.
pub(crate) fn may_add(u: &User, c: &ConsultantRecord) -> bool {
    u.has(Role::MedicalDirector)
        || (u.has(Role::ClinicalDirector) && u.department_id == Some(c.department_id))
        || (u.has(Role::Consultant) && u.consultant_id.as_deref() == Some(c.id.as_str()))
}

/// The consultant named in a body, or 422 naming the field.
pub(crate) async fn consultant_of(state: &AppState, id: &str) -> ApiResult<ConsultantRecord> {
    state
        .store
        .consultant(id)
        .await?
        .ok_or_else(|| AppError::Unprocessable {
            detail: format!("consultant_id: no consultant {id} on record"),
            field: Some("consultant_id".into()),
        })
}

pub(crate) async fn load(state: &AppState, user: &User, id: i64) -> ApiResult<Objective> {
    let o = state
        .store
        .objective(id)
        .await?
        .ok_or_else(|| AppError::NotFound(format!("objective {id}")))?;
    if !sees(user, &o.consultant_id, o.department_id) {
        return Err(AppError::Forbidden(format!(
            "objective {id} is not one you may see"
        )));
    }
    Ok(o)
}

/// Objectives the caller may see, optionally of one consultant and year.
#[utoipa::path(get, path = "/api/v1/objectives", params(ObjectiveQuery), responses((status = 200, body = crate::api::AnyJson), (status = 400), (status = 401)))]
pub async fn list(
    State(state): State<AppState>,
    Caller(user): Caller,
    q: Result<Query<ObjectiveQuery>, QueryRejection>,
) -> ApiResult<Json<Vec<Objective>>> {
    let Query(q) = q.map_err(crate::api::query_error)?;
    Ok(Json(
        state
            .store
            .objectives(&job_plan_scope(&user), q.consultant_id.as_deref(), q.year)
            .await?,
    ))
}

/// One objective with its progress notes.
#[utoipa::path(get, path = "/api/v1/objectives/{id}", params(("id" = i64, Path)), responses((status = 200, body = crate::api::AnyJson), (status = 403), (status = 404)))]
pub async fn get(
    State(state): State<AppState>,
    Caller(user): Caller,
    Path(id): Path<i64>,
) -> ApiResult<Json<Objective>> {
    Ok(Json(load(&state, &user, id).await?))
}

/// Records an objective (the consultant, their clinical director or the medical director).
#[utoipa::path(post, path = "/api/v1/objectives", request_body = NewObjective, responses((status = 201, body = crate::api::AnyJson), (status = 400), (status = 403), (status = 422)))]
pub async fn create(
    State(state): State<AppState>,
    Caller(user): Caller,
    JsonBody(body): JsonBody<NewObjective>,
) -> ApiResult<(StatusCode, Json<Objective>)> {
    let id = record(
        &state,
        &user,
        &body.consultant_id,
        body.year,
        body.heading,
        &body.text,
    )
    .await?;
    Ok((StatusCode::CREATED, Json(load(&state, &user, id).await?)))
}

/// Appends a progress note to an objective (the consultant, their clinical director or the
/// medical director). Notes are never edited.
#[utoipa::path(post, path = "/api/v1/objectives/{id}/notes", params(("id" = i64, Path)), request_body = NewNote, responses((status = 201, body = crate::api::AnyJson), (status = 403), (status = 404), (status = 422)))]
pub async fn add_note(
    State(state): State<AppState>,
    Caller(user): Caller,
    Path(id): Path<i64>,
    JsonBody(body): JsonBody<NewNote>,
) -> ApiResult<(StatusCode, Json<Objective>)> {
    record_note(&state, &user, id, &body.note, body.outside_control).await?;
    Ok((StatusCode::CREATED, Json(load(&state, &user, id).await?)))
}

/// Records an objective for the consultant as `user` may (the API's and the pages' one way in):
/// 403 unless the consultant, their clinical director or the medical director; 422 naming the
/// field for a year out of range or empty text. Returns the new objective's id.
pub(crate) async fn record(
    state: &AppState,
    user: &User,
    consultant_id: &str,
    year: i64,
    heading: Heading,
    text: &str,
) -> ApiResult<i64> {
    let c = consultant_of(state, consultant_id).await?;
    if !may_add(user, &c) {
        return Err(AppError::Forbidden(
            "objectives are recorded by the consultant, their clinical director or the medical director".into(),
        ));
    }
    if !(1990..=2200).contains(&year) {
        return Err(AppError::Unprocessable {
            detail: format!("year: found {year}, expected a year such as 2026"),
            field: Some("year".into()),
        });
    }
    if text.trim().is_empty() {
        return Err(AppError::Unprocessable {
            detail: "text: empty".into(),
            field: Some("text".into()),
        });
    }
    Ok(state
        .store
        .create_objective(&user.username, &c.id, year, heading.as_str(), text.trim())
        .await?)
}

/// Appends a progress note to objective `id` as `user` may: 404/403 as for reading it, 403 unless
/// the consultant, their clinical director or the medical director, 422 for an empty note.
pub(crate) async fn record_note(
    state: &AppState,
    user: &User,
    id: i64,
    note: &str,
    outside_control: bool,
) -> ApiResult<()> {
    let o = load(state, user, id).await?;
    let c = consultant_of(state, &o.consultant_id).await?;
    if !may_add(user, &c) {
        return Err(AppError::Forbidden(
            "progress notes are added by the consultant, their clinical director or the medical director".into(),
        ));
    }
    if note.trim().is_empty() {
        return Err(AppError::Unprocessable {
            detail: "note: empty".into(),
            field: Some("note".into()),
        });
    }
    state
        .store
        .add_objective_note(&user.username, id, note.trim(), outside_control)
        .await?;
    Ok(())
}
