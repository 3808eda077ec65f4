//! Job plan reviews and pay progression decisions (PP-3): the manager's report (an annual review),
//! the Medical Director's recommendation, the Chief Executive's decision, and an appeal.

use crate::error::{ApiResult, AppError};
use crate::service::criteria::{Records, YearCriteria};
use crate::service::first_allowed;
use crate::service::objectives::sees;
use crate::AppState;
use serde::{Deserialize, Serialize};
use tenpa_rules::job_planning::{case_step, Actor, CaseStep};
use tenpa_rules::plan::OutsideWork;
use tenpa_rules::progression::PP_2_DISCRETION;
use tenpa_store::{Case, Review, Step, User};
use utoipa::ToSchema;

/// A review as recorded by the manager.
#[derive(Debug, Deserialize, ToSchema)]
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
    /// PP-4: remunerated clinical work outside the main NHS contract in the year: `false` (none,
    /// the default), `true` (of no named category) or a list of categories such as
    /// `["independent_sector", "medico_legal"]`.
    #[serde(default)]
    #[schema(value_type = Object)]
    pub outside_remunerated_work: OutsideWork,
    /// PP-4 (F 6(e)): the categories of that work the employer exempts; each must be one of
    /// `outside_remunerated_work`'s.
    #[serde(default)]
    pub exempted_outside_work: Vec<String>,
    /// PP-4 (F 6(c)): whether the consultant first consulted the NHS employer before taking up
    /// that work; absent when not recorded. `false` with outside work that is not exempt is a
    /// warning among the year's findings.
    #[serde(default)]
    pub outside_work_consulted: Option<bool>,
    /// PRV-1 (F 6(f)): a significant increase in the consultant's private practice in the year;
    /// for a part-time consultant who transferred to the contract, a warning to review their PAs.
    #[serde(default)]
    pub private_practice_increased: bool,
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
    /// The reason: required when deferring, or progressing despite a criterion of PP-1 not met
    /// (the employer's discretion, PP-2).
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
    /// The six criteria of PP-1 for the year under review: the review's four (A 9.4), spare
    /// capacity (PP-4) and the private practice disclosure (PRV-2). Absent only when the review
    /// behind the case is not on record.
    pub criteria: Option<YearCriteria>,
}

/// Who records a review, for refusals.
pub(crate) const REVIEWERS: &str = "a review is recorded by the consultant's clinical director or the medical director, and never by the consultant themselves (JP-1: nobody acts for the employer on their own record)";

/// A case with its steps, if `user` may see it (404, 403 otherwise).
pub(crate) async fn load(state: &AppState, user: &User, id: i64) -> ApiResult<CaseView> {
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
    let criteria = match state.store.review(case.review_id).await? {
        Some(r) => Some(
            Records::load(state, &case.consultant_id)
                .await?
                .judge(&r, &state.params)?,
        ),
        None => None,
    };
    Ok(CaseView {
        case,
        steps,
        criteria,
    })
}

/// Records a review as `user` may (the API's and the pages' one way in): 422 naming the field for
/// an unknown consultant, a kind other than annual or interim, or a date that is not YYYY-MM-DD;
/// 403 unless the consultant's clinical director or the medical director. Returns (review id,
/// the progression case an annual review opens).
pub(crate) async fn record_review(
    state: &AppState,
    user: &User,
    body: NewReview,
) -> ApiResult<(i64, Option<i64>)> {
    let consultant = state
        .store
        .consultant(&body.consultant_id)
        .await?
        .ok_or_else(|| {
            AppError::unprocessable_at(
                "consultant_id",
                format!("no consultant {} on record", body.consultant_id),
            )
        })?;
    if !crate::policy::may_review(user, &consultant) {
        return Err(AppError::Forbidden(REVIEWERS.into()));
    }
    let done: &[String] = match &body.outside_remunerated_work {
        OutsideWork::Categories(c) => c,
        _ => &[],
    };
    if let Some(x) = body
        .exempted_outside_work
        .iter()
        .find(|x| !done.contains(x))
    {
        return Err(AppError::unprocessable_at("exempted_outside_work", format!("{x:?} is not one of the categories of outside work recorded for the year ({}); an exemption names a recorded category", if done.is_empty() { "none".to_string() } else { done.join(", ") })));
    }
    let year_ending = super::read_date("year_ending", &body.year_ending)?;
    let review = Review {
        id: 0,
        consultant_id: body.consultant_id,
        kind: body.kind,
        year_ending,
        met_time_and_service: body.met_time_and_service,
        met_objectives_or_reasonable_effort: body.met_objectives_or_reasonable_effort,
        took_part_in_appraisal_and_job_planning: body.took_part_in_appraisal_and_job_planning,
        worked_towards_service_changes: body.worked_towards_service_changes,
        outside_remunerated_work: body.outside_remunerated_work,
        exempted_outside_work: body.exempted_outside_work,
        outside_work_consulted: body.outside_work_consulted,
        private_practice_increased: body.private_practice_increased,
        notes: body.notes,
        created_by: String::new(),
        created_at: String::new(),
    };
    Ok(state.store.create_review(&user.username, &review).await?)
}

/// The actors `user` may be on `case`: one per role, with whether the case is their own or in
/// their department.
pub(crate) fn actors<'a>(user: &'a User, case: &Case) -> impl Iterator<Item = Actor> + 'a {
    let own = user.consultant_id.as_deref() == Some(case.consultant_id.as_str());
    let in_department = user.department_id == Some(case.department_id);
    user.roles.iter().map(move |&role| Actor {
        role,
        own,
        in_department,
        named_alternate: false,
        manages_the_manager: false,
    })
}

/// The steps of PP-3 open to `user` on `case` now.
pub(crate) fn open_steps(user: &User, case: &Case) -> Vec<CaseStep> {
    let from = case.status;
    let refused = case.outcome.as_deref() == Some("defer");
    CaseStep::ALL
        .into_iter()
        .filter(|&step| actors(user, case).any(|a| case_step(from, step, a, refused).is_ok()))
        .collect()
}

/// Takes a step of case `id` as `user` (PP-3): 404/403 as for reading it; 422 naming `outcome`
/// or `reason` when missing — a reason is needed to defer, and to progress (recommend, decide, or
/// uphold an appeal) when a criterion of PP-1 was not met, which is the employer's discretion
/// (PP-2); 409 when the step does not apply now or the case changed since `version`; 403 when the
/// user may not take it.
pub(crate) async fn take_step(
    state: &AppState,
    user: &User,
    id: i64,
    body: NewStep,
) -> ApiResult<()> {
    let view = load(state, user, id).await?;
    // Who may take the step, before what the body says (403 before 422).
    let from = view.case.status;
    let refused = view.case.outcome.as_deref() == Some("defer");
    let to = first_allowed(actors(user, &view.case), view.case.version, |a| {
        case_step(from, body.step, a, refused)
    })?;
    let needs_outcome = matches!(
        body.step,
        CaseStep::Recommend | CaseStep::Decide | CaseStep::DecideAppeal
    );
    match (needs_outcome, body.outcome.as_deref()) {
        (true, Some("progress" | "defer")) | (false, None) => {}
        (true, other) => {
            return Err(AppError::unprocessable_at(
                "outcome",
                format!("found {other:?}, expected \"progress\" or \"defer\""),
            ))
        }
        (false, Some(_)) => {
            return Err(AppError::unprocessable_at(
                "outcome",
                format!("not given with {}", body.step.as_str()),
            ))
        }
    }
    if body.outcome.as_deref() == Some("defer") && body.reason.trim().is_empty() {
        return Err(AppError::unprocessable_at(
            "reason",
            "a deferral records why (C 4.3)".into(),
        ));
    }
    if let Some(c) = view.criteria.as_ref().filter(|c| !c.failed.is_empty()) {
        if needs_outcome
            && body.outcome.as_deref() == Some("progress")
            && body.reason.trim().is_empty()
        {
            return Err(AppError::unprocessable_at("reason", format!(
                    "progress despite criteria of PP-1 not met in the year ending {} is the employer's discretion and needs a recorded reason ({}, {}); not met: {}",
                    c.year_ending,
                    PP_2_DISCRETION.id,
                    PP_2_DISCRETION.citation,
                    c.failed_words()
                )));
        }
    }
    let new = tenpa_store::NewStep {
        step: body.step.as_str(),
        status: to,
        outcome: body.outcome.as_deref(),
        reason: body.reason.trim(),
    };
    state
        .store
        .add_case_step(&user.username, id, body.version, new)
        .await?;
    Ok(())
}
