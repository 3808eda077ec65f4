//! Objectives under the A 7.2 headings, per consultant and year, with progress notes appended over
//! time (JP-3, A 7.1-7.7). An objective is `proposed` when written and `agreed` once the consultant
//! and their manager have both agreed its current text; an edit is a new version, kept, which both
//! sides agree again.

use crate::error::{ApiResult, AppError};
use crate::policy::job_plan_scope;
use crate::AppState;
use serde::Deserialize;
use tenpa_rules::job_planning::{objective_sides, ObjectiveSide};
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

/// A new version of an objective's heading and text.
#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ObjectiveEdit {
    /// The version being edited (the objective's current `version`); a stale one is 409.
    pub version: i64,
    /// One of the A 7.2 headings.
    pub heading: Heading,
    /// The objective.
    pub text: String,
}

/// The side of an agreement.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum Side {
    /// The consultant whose objective it is.
    Consultant,
    /// The consultant's manager: the clinical director of their department or the medical director.
    Manager,
}

impl From<Side> for ObjectiveSide {
    fn from(s: Side) -> ObjectiveSide {
        match s {
            Side::Consultant => ObjectiveSide::Consultant,
            Side::Manager => ObjectiveSide::Manager,
        }
    }
}

/// An agreement to the current version of an objective.
#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct NewAgreement {
    /// The version agreed (the objective's current `version`); a stale one is 409.
    pub version: i64,
    /// The side agreed for; by default the caller's side that has not yet agreed.
    #[serde(default)]
    pub side: Option<Side>,
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

/// The consultant named in a body, or 422 naming the field.
pub(crate) async fn consultant_of(state: &AppState, id: &str) -> ApiResult<ConsultantRecord> {
    state.store.consultant(id).await?.ok_or_else(|| {
        AppError::unprocessable_at("consultant_id", format!("no consultant {id} on record"))
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

/// The sides of objectives of the consultant (in the department) that `u` may agree (JP-3).
pub(crate) fn sides(u: &User, consultant_id: &str, department_id: i64) -> Vec<ObjectiveSide> {
    objective_sides(
        &u.roles,
        u.consultant_id.as_deref() == Some(consultant_id),
        u.department_id == Some(department_id),
    )
}

/// Whether the side has agreed the objective's current version.
pub(crate) fn agreed(o: &Objective, side: ObjectiveSide) -> bool {
    match side {
        ObjectiveSide::Consultant => o.agreement.agreed_by_consultant.is_some(),
        ObjectiveSide::Manager => o.agreement.agreed_by_manager.is_some(),
    }
}

/// The sides whose agreement to objective `o` waits for `u`: those `u` may give that have not been
/// given to the current version.
pub(crate) fn waiting_for(u: &User, o: &Objective) -> Vec<ObjectiveSide> {
    sides(u, &o.consultant_id, o.department_id)
        .into_iter()
        .filter(|s| !agreed(o, *s))
        .collect()
}

/// 409 for a stale version of objective `o` (as it now is), with the objective in the answer.
pub(crate) fn stale(o: &Objective, named: i64) -> AppError {
    let by = o
        .versions
        .last()
        .map(|v| v.created_by.as_str())
        .unwrap_or(o.created_by.as_str());
    AppError::Stale {
        detail: format!(
            "version {named} of objective {} is no longer current: {by} changed it to version {}; reload it and apply your change again",
            o.id, o.version
        ),
        current_version: o.version,
        current: serde_json::to_value(o).unwrap_or_default(),
    }
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
    if !crate::policy::may_add_objectives(user, &c) {
        return Err(AppError::Forbidden(
            "objectives are recorded by the consultant, their clinical director or the medical director".into(),
        ));
    }
    if !(1990..=2200).contains(&year) {
        return Err(AppError::unprocessable_at(
            "year",
            format!("found {year}, expected a year such as 2026"),
        ));
    }
    let text = checked_text(text)?;
    Ok(state
        .store
        .create_objective(&user.username, &c.id, year, heading.as_str(), text)
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
    if !crate::policy::may_add_objectives(user, &c) {
        return Err(AppError::Forbidden(
            "progress notes are added by the consultant, their clinical director or the medical director".into(),
        ));
    }
    if note.trim().is_empty() {
        return Err(AppError::unprocessable_at("note", "empty".into()));
    }
    state
        .store
        .add_objective_note(&user.username, id, note.trim(), outside_control)
        .await?;
    Ok(())
}

/// Checks an objective's text: 422 naming the field when empty.
fn checked_text(text: &str) -> ApiResult<&str> {
    let t = text.trim();
    if t.is_empty() {
        return Err(AppError::unprocessable_at("text", "empty".into()));
    }
    Ok(t)
}

/// Edits objective `id` as `user` may (the API's and the pages' one way in): 404/403 as for
/// reading it, 403 unless the consultant, their clinical director or the medical director, 409
/// (with the objective as it now is) when `version` is not current, 422 naming the field for an
/// empty text or no change. Returns the new version.
pub(crate) async fn record_edit(
    state: &AppState,
    user: &User,
    id: i64,
    version: i64,
    heading: Heading,
    text: &str,
) -> ApiResult<i64> {
    let o = load(state, user, id).await?;
    let c = consultant_of(state, &o.consultant_id).await?;
    if !crate::policy::may_add_objectives(user, &c) {
        return Err(AppError::Forbidden(
            "objectives are edited by the consultant, their clinical director or the medical director".into(),
        ));
    }
    if version != o.version {
        return Err(stale(&o, version));
    }
    let text = checked_text(text)?;
    if text == o.text && heading.as_str() == o.heading {
        return Err(AppError::unprocessable_at(
            "text",
            format!(
                "the same heading and text as version {}; change one of them",
                o.version
            ),
        ));
    }
    match state
        .store
        .edit_objective(&user.username, id, version, heading.as_str(), text)
        .await
    {
        Ok(v) => Ok(v),
        Err(tenpa_store::StoreError::Conflict { .. }) => {
            Err(stale(&load(state, user, id).await?, version))
        }
        Err(e) => Err(e.into()),
    }
}

/// Records `user`'s agreement to version `version` of objective `id` for `side` (by default the
/// side `user` may give that has not yet agreed): 404/403 as for reading it, 403 for a side `user`
/// may not give, 409 (with the objective as it now is) for a stale version or a side that has
/// already agreed it.
pub(crate) async fn record_agreement(
    state: &AppState,
    user: &User,
    id: i64,
    version: i64,
    side: Option<ObjectiveSide>,
) -> ApiResult<()> {
    let o = load(state, user, id).await?;
    let mine = sides(user, &o.consultant_id, o.department_id);
    let side = match side {
        Some(s) if mine.contains(&s) => s,
        Some(ObjectiveSide::Manager) => {
            return Err(AppError::Forbidden(
                "the manager's side of an objective is agreed by the clinical director of the consultant's department or the medical director, and never by the consultant themselves".into(),
            ))
        }
        Some(ObjectiveSide::Consultant) => {
            return Err(AppError::Forbidden(
                "the consultant's side of an objective is agreed by the consultant themselves"
                    .into(),
            ))
        }
        None => match mine
            .iter()
            .copied()
            .find(|s| !agreed(&o, *s))
            .or(mine.first().copied())
        {
            Some(s) => s,
            None => {
                return Err(AppError::Forbidden(
                    "an objective is agreed by the consultant and by their clinical director or the medical director".into(),
                ))
            }
        },
    };
    if version != o.version {
        return Err(stale(&o, version));
    }
    if agreed(&o, side) {
        let (who, when) = match side {
            ObjectiveSide::Consultant => (
                &o.agreement.agreed_by_consultant,
                &o.agreement.agreed_by_consultant_at,
            ),
            ObjectiveSide::Manager => (
                &o.agreement.agreed_by_manager,
                &o.agreement.agreed_by_manager_at,
            ),
        };
        return Err(AppError::Stale {
            detail: format!(
                "version {} of objective {id} was already agreed for the {} by {} at {}",
                o.version,
                match side {
                    ObjectiveSide::Consultant => "consultant",
                    ObjectiveSide::Manager => "manager",
                },
                who.as_deref().unwrap_or(""),
                when.as_deref().unwrap_or("")
            ),
            current_version: o.version,
            current: serde_json::to_value(&o).unwrap_or_default(),
        });
    }
    match state
        .store
        .agree_objective(&user.username, id, version, side)
        .await
    {
        Ok(_) => Ok(()),
        Err(tenpa_store::StoreError::Conflict { .. }) => {
            Err(stale(&load(state, user, id).await?, version))
        }
        Err(e) => Err(e.into()),
    }
}
