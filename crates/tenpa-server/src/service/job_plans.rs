//! Job plans: list, read, create, edit (a new version) and move through the workflow.

use crate::error::{ApiResult, AppError};
use crate::policy::{may_edit, may_see};
use crate::service::assessments::CheckedPlan;
use crate::service::first_allowed;
use crate::AppState;
use serde::{Deserialize, Serialize};
use tenpa_rules::job_planning::{self, Action, Actor, Candidate, Involvement, Role, Status};
use tenpa_store::{
    AcknowledgedFinding, JobPlanRecord, JobPlanSummary, NewVersion, SignOffRecord, User,
};
use utoipa::ToSchema;

/// A new job plan.
#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct NewPlan {
    /// The job plan document (as `tenpa evaluate` reads).
    #[schema(value_type = Object)]
    pub document: serde_json::Value,
    /// A note for the version history.
    #[serde(default)]
    pub note: String,
}

/// An edit: a new version of the document.
#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct Edit {
    /// The version being edited; a stale one is refused with 409.
    pub version: i64,
    /// The new document.
    #[schema(value_type = Object)]
    pub document: serde_json::Value,
    /// A note for the version history.
    #[serde(default)]
    pub note: String,
}

/// A workflow step.
#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct Transition {
    /// The version the step applies to; a stale one is refused with 409.
    pub version: i64,
    /// `propose`, `agree`, `not_agree`, `refer`, `resolve`, `appeal`, `decide_appeal`,
    /// `cd_sign_off`, `md_sign_off` or `reopen`.
    #[schema(value_type = String)]
    pub action: Action,
    /// A note (the reason for not agreeing, the panel's outcome, …).
    #[serde(default)]
    pub note: String,
    /// With `refer`: the username of the named alternate the referral goes to instead of the
    /// medical director, required when the medical director is a party to the initial decision
    /// (JP-4). With `cd_sign_off` of the medical director's own plan, and only then: the username
    /// of the alternate who signs it off for the medical director (JP-1, two sides). The alternate
    /// holds the medical director or clinical director role and is not a party.
    #[serde(default)]
    pub alternate: Option<String>,
    /// With `cd_sign_off` and `md_sign_off`: every warning and error finding of the current
    /// version, acknowledged by its place in the assessment's `findings` (from 0), each with an
    /// optional comment (JP-1). A sign-off that leaves one out is refused (422 naming
    /// `acknowledgements`).
    #[serde(default)]
    pub acknowledgements: Vec<Acknowledgement>,
    /// With `md_sign_off` by the medical director of a plan with an error finding: why it is signed
    /// off despite the error (required then, refused otherwise; 422 naming `override_reason`).
    #[serde(default)]
    pub override_reason: Option<String>,
}

/// A finding acknowledged at a sign-off.
#[derive(Deserialize, ToSchema, Debug, Clone, Default)]
#[serde(deny_unknown_fields)]
pub struct Acknowledgement {
    /// The finding's place in the current version's assessment's `findings`, from 0.
    pub finding: usize,
    /// A comment kept with it (at most 2,000 characters).
    #[serde(default)]
    pub comment: String,
}

/// What a sign-off says of the plan's findings: the acknowledgements and the override reason.
#[derive(Debug, Clone, Copy, Default)]
pub struct SignOffInput<'a> {
    /// The findings acknowledged.
    pub acknowledgements: &'a [Acknowledgement],
    /// The medical director's reason for signing off despite an error.
    pub override_reason: Option<&'a str>,
}

/// A workflow step as asked for: the API's [`Transition`] or the workflow page's form.
#[derive(Debug, Clone, Copy)]
pub struct Step<'a> {
    /// The action.
    pub action: Action,
    /// The version it applies to.
    pub version: i64,
    /// The note.
    pub note: &'a str,
    /// The named alternate, with `refer` or the medical director's own `cd_sign_off`.
    pub alternate: Option<&'a str>,
    /// What a sign-off says of the findings.
    pub sign_off: SignOffInput<'a>,
}

impl<'a> From<&'a Transition> for Step<'a> {
    fn from(t: &'a Transition) -> Step<'a> {
        Step {
            action: t.action,
            version: t.version,
            note: &t.note,
            alternate: t.alternate.as_deref(),
            sign_off: SignOffInput {
                acknowledgements: &t.acknowledgements,
                override_reason: t.override_reason.as_deref(),
            },
        }
    }
}

/// The most characters of a comment on an acknowledged finding, or of an override reason.
const MAX_SIGN_OFF_TEXT: usize = 2000;

/// Checks a sign-off's terms against the plan's current findings (JP-1,
/// [`job_planning::sign_off::check_sign_off`]) and answers what is kept with the version: `None`
/// for other steps and for a sign-off of a plan with nothing to acknowledge.
fn sign_off_record(
    user: &User,
    plan: &JobPlanRecord,
    action: Action,
    input: SignOffInput<'_>,
) -> ApiResult<Option<SignOffRecord>> {
    use job_planning::sign_off::{check_sign_off, SignOffError, SignOffTerms};
    let signing = matches!(action, Action::CdSignOff | Action::MdSignOff);
    let reason = input
        .override_reason
        .map(str::trim)
        .filter(|r| !r.is_empty());
    if !signing {
        if !input.acknowledgements.is_empty() {
            return Err(AppError::unprocessable_at(
                "acknowledgements",
                "findings are acknowledged only with cd_sign_off or md_sign_off".into(),
            ));
        }
        if reason.is_some() {
            return Err(AppError::unprocessable_at(
                "override_reason",
                "an override reason is given only with md_sign_off".into(),
            ));
        }
        return Ok(None);
    }
    for (i, a) in input.acknowledgements.iter().enumerate() {
        if a.comment.chars().count() > MAX_SIGN_OFF_TEXT {
            return Err(AppError::unprocessable_at(
                &format!("acknowledgements[{i}].comment"),
                format!("expected at most {MAX_SIGN_OFF_TEXT} characters"),
            ));
        }
    }
    if reason.is_some_and(|r| r.chars().count() > MAX_SIGN_OFF_TEXT) {
        return Err(AppError::unprocessable_at(
            "override_reason",
            format!("expected at most {MAX_SIGN_OFF_TEXT} characters"),
        ));
    }
    let findings = &plan.assessment.findings;
    let indices: Vec<usize> = input.acknowledgements.iter().map(|a| a.finding).collect();
    check_sign_off(
        action,
        findings,
        SignOffTerms {
            acknowledged: &indices,
            override_reason: reason,
            by_medical_director: user.has(job_planning::Role::MedicalDirector),
        },
    )
    .map_err(|e| {
        let field = match e {
            SignOffError::ErrorNeedsOverride { .. } | SignOffError::OverrideNotApplicable => {
                "override_reason"
            }
            _ => "acknowledgements",
        };
        AppError::unprocessable_at(field, e.to_string())
    })?;
    if indices.is_empty() && reason.is_none() {
        return Ok(None);
    }
    let mut acknowledged: Vec<AcknowledgedFinding> = input
        .acknowledgements
        .iter()
        .filter_map(|a| {
            findings.get(a.finding).map(|f| AcknowledgedFinding {
                finding: a.finding,
                rule: f.rule.into(),
                severity: f.severity.as_str().into(),
                message: f.message.clone(),
                comment: a.comment.trim().into(),
            })
        })
        .collect();
    acknowledged.sort_by_key(|a| a.finding);
    Ok(Some(SignOffRecord {
        acknowledged,
        override_reason: reason.map(str::to_string),
    }))
}

/// A job plan with what the caller may do next.
#[derive(Serialize, ToSchema)]
pub struct PlanView {
    /// The plan and its current document and assessment.
    #[serde(flatten)]
    #[schema(value_type = Object)]
    pub plan: JobPlanRecord,
    /// Workflow actions open to the caller.
    #[schema(value_type = Vec<String>)]
    pub actions: Vec<Action>,
    /// Whether the caller may edit the document now.
    pub editable: bool,
}

pub(crate) fn actors(u: &User, plan: &JobPlanSummary) -> Vec<Actor> {
    u.roles
        .iter()
        .map(|&role| {
            let own = crate::policy::is_own_plan(u, plan);
            Actor {
                role,
                own,
                in_department: u.department_id == Some(plan.department_id),
                named_alternate: is_named_alternate(u, plan),
                manages_the_manager: role == Role::MedicalDirector
                    && !own
                    && plan.consultant_is_clinical_director(),
            }
        })
        .collect()
}

/// Whether `u` is the named alternate the plan is with: its referral (JP-4), or the sign-off of
/// the medical director's own plan (JP-1, two sides).
pub(crate) fn is_named_alternate(u: &User, plan: &JobPlanSummary) -> bool {
    plan.is_with_alternate(&u.username)
}

/// How the parties stand to a plan's initial decision (JP-4): who took its decision steps in the
/// current review, and the accounts that may be named as the referral's alternate.
pub(crate) struct Parties {
    takers: Vec<String>,
    /// Whether an account holding the medical director role is a party.
    pub md_is_party: bool,
    /// Accounts holding an alternate's role ([`job_planning::ALTERNATE_ROLES`]) who are not
    /// parties, by shown name.
    pub eligible: Vec<User>,
}

/// How `u` stands to `plan` (JP-4), given the plan's decision takers.
fn involvement(u: &User, plan: &JobPlanSummary, takers: &[String]) -> Involvement {
    Involvement {
        own_plan: crate::policy::is_own_plan(u, plan),
        manager: (u.has(Role::ClinicalDirector) && u.department_id == Some(plan.department_id))
            || (u.has(Role::MedicalDirector) && plan.consultant_is_clinical_director()),
        took_decision_step: takers.contains(&u.username),
    }
}

/// The parties to the plan's initial decision (JP-4), from its versions and the accounts.
pub(crate) async fn parties(state: &AppState, plan: &JobPlanSummary) -> ApiResult<Parties> {
    let versions = state.store.job_plan_versions(plan.id).await?;
    let history: Vec<(&str, &str)> = versions
        .iter()
        .map(|v| (v.action.as_str(), v.created_by.as_str()))
        .collect();
    let takers: Vec<String> = job_planning::decision_takers(&history)
        .into_iter()
        .map(str::to_string)
        .collect();
    let mut roles = job_planning::ALTERNATE_ROLES.to_vec();
    roles.push(Role::MedicalDirector);
    let managers = state.store.users_with_roles(&roles).await?;
    let md_is_party = managers
        .iter()
        .filter(|u| u.has(Role::MedicalDirector))
        .any(|u| job_planning::is_party(involvement(u, plan, &takers)));
    // A disabled account cannot act, so it cannot be named.
    let disabled = state.store.disabled_usernames().await?;
    let eligible = managers
        .into_iter()
        .filter(|u| !disabled.contains(&u.username))
        .filter(|u| {
            job_planning::check_alternate(
                false,
                Some(Candidate {
                    roles: &u.roles,
                    involvement: involvement(u, plan, &takers),
                }),
            )
            .is_ok()
        })
        .collect();
    Ok(Parties {
        takers,
        md_is_party,
        eligible,
    })
}

/// Checks the alternate named with a step: a referral's (JP-4), or the one named with the
/// clinical director's sign-off of the medical director's own plan (JP-1, two sides): 422 naming
/// `alternate` when one is required and missing, or not allowed, unknown, disabled, without an
/// alternate's role, or a party.
async fn check_alternate(
    state: &AppState,
    plan: &JobPlanSummary,
    action: Action,
    alternate: Option<&str>,
) -> ApiResult<()> {
    let unprocessable = |message: String| AppError::unprocessable_at("alternate", message);
    let parties = parties(state, plan).await?;
    let named = match alternate {
        Some(name) => Some(
            state
                .store
                .user_by_username(name)
                .await?
                .ok_or_else(|| unprocessable(format!("there is no account \"{name}\"")))?,
        ),
        None => None,
    };
    if let Some(name) = alternate {
        if state
            .store
            .account(name)
            .await?
            .is_some_and(|a| a.disabled_at.is_some())
        {
            return Err(unprocessable(format!(
                "the account \"{name}\" is disabled: name an alternate who can act"
            )));
        }
    }
    let candidate = named.as_ref().map(|u| Candidate {
        roles: &u.roles,
        involvement: involvement(u, plan, &parties.takers),
    });
    if action == Action::Refer {
        job_planning::check_alternate(parties.md_is_party, candidate)
    } else {
        job_planning::check_sign_off_alternate(plan.consultant_is_medical_director(), candidate)
    }
    .map_err(|e| unprocessable(e.to_string()))
}

/// The workflow actions open to `u` on `plan` in its current state, in the state machine's order,
/// each once.
pub(crate) fn available_actions(u: &User, plan: &JobPlanSummary) -> Vec<Action> {
    let status = plan.status;
    let alternate_named = plan.referral_alternate.is_some();
    let open: Vec<Action> = actors(u, plan)
        .into_iter()
        .flat_map(|a| job_planning::available_with_referral(status, a, alternate_named))
        .collect();
    Action::ALL
        .into_iter()
        .filter(|a| open.contains(a))
        .collect()
}

pub(crate) fn view(u: &User, plan: JobPlanRecord) -> PlanView {
    let status = plan.summary.status;
    let actions = available_actions(u, &plan.summary);
    let editable =
        status.editable() && may_edit(u, &plan.summary.consultant_id, plan.summary.department_id);
    PlanView {
        plan,
        actions,
        editable,
    }
}

/// A job plan the user may see: 404 when there is none, 403 when it is not theirs to see.
pub(crate) async fn load(state: &AppState, u: &User, id: i64) -> ApiResult<JobPlanRecord> {
    let plan = state
        .store
        .job_plan(id)
        .await?
        .ok_or_else(|| AppError::NotFound(format!("job plan {id}")))?;
    if !may_see(u, &plan.summary) {
        return Err(AppError::Forbidden(format!(
            "job plan {id} is not one you may see"
        )));
    }
    Ok(plan)
}

/// Creates a draft job plan from a checked document for `user` (the API and the new-plan page):
/// its consultant on record (422 naming `document.consultant.id` otherwise) and theirs to edit
/// (403), stored as version 1 with its assessment.
pub async fn create_plan(
    state: &AppState,
    user: &User,
    plan: &CheckedPlan,
    note: &str,
) -> ApiResult<i64> {
    let consultant = state
        .store
        .consultant(&plan.consultant_id)
        .await?
        .ok_or_else(|| {
            AppError::unprocessable_at(
                "document.consultant.id",
                format!("no consultant {} on record", plan.consultant_id),
            )
        })?;
    if !may_edit(user, &consultant.id, consultant.department_id) {
        return Err(AppError::Forbidden(format!(
            "you may not create a job plan for {}",
            consultant.id
        )));
    }
    Ok(state
        .store
        .create_job_plan(
            &user.username,
            &consultant.id,
            consultant.department_id,
            &NewVersion {
                status: Status::Draft,
                action: "create",
                note,
                document: &plan.document,
                assessment: &plan.assessment,
                referral_alternate: None,
                sign_off: None,
            },
        )
        .await?)
}

/// Whether `user` may edit the loaded plan now: 403 when it is not theirs to edit, 409 (with the
/// current version) when its state is not one a plan is edited in.
pub fn check_editable(user: &User, plan: &JobPlanSummary) -> ApiResult<()> {
    if !may_edit(user, &plan.consultant_id, plan.department_id) {
        return Err(AppError::Forbidden(format!(
            "you may not edit job plan {}",
            plan.id
        )));
    }
    let status = plan.status;
    if !status.editable() {
        return Err(AppError::Conflict {
            detail: format!(
                "job plan {} is {status}: reopen it for an interim review before editing",
                plan.id
            ),
            current_version: Some(plan.version),
        });
    }
    Ok(())
}

/// Saves an edit of the loaded plan as a new version, as `PUT /api/v1/job-plans/{id}` and the
/// editor do: the caller must be allowed to edit it now ([`check_editable`]), the checked document
/// must be a job plan of the same consultant (422 naming `document.consultant.id`), and `version`
/// must still be the current one (else 409).
pub async fn save_edit(
    state: &AppState,
    user: &User,
    plan: &JobPlanSummary,
    version: i64,
    edited: &CheckedPlan,
    note: &str,
) -> ApiResult<()> {
    check_editable(user, plan)?;
    if edited.consultant_id != plan.consultant_id {
        return Err(AppError::unprocessable_at(
            "document.consultant.id",
            format!(
                "this plan is {}'s; the document names {}",
                plan.consultant_id, edited.consultant_id
            ),
        ));
    }
    state
        .store
        .add_job_plan_version(
            &user.username,
            plan.id,
            version,
            &NewVersion {
                status: plan.status,
                action: "edit",
                note,
                document: &edited.document,
                assessment: &edited.assessment,
                referral_alternate: None,
                sign_off: None,
            },
        )
        .await?;
    Ok(())
}

/// Takes a workflow step on a loaded plan (JP-1, JP-4): the state machine decides whether any of
/// the user's roles may take `action` from the plan's state (403 when not allowed, 409 when the
/// step does not apply now), and a new version records it, if `version` is still the current one
/// (409 otherwise). A `refer` step may name an `alternate` and must when the medical director is a
/// party (JP-4; 422 naming `alternate` otherwise); a `cd_sign_off` of the medical director's own
/// plan must name the alternate who signs it off for the medical director, and no other sign-off
/// may (JP-1, two sides); every other step clears it. A sign-off acknowledges the plan's findings
/// ([`sign_off_record`]). Returns the new state.
pub(crate) async fn take_step(
    state: &AppState,
    user: &User,
    plan: &JobPlanRecord,
    step: Step<'_>,
) -> ApiResult<Status> {
    let Step {
        action,
        version,
        note,
        alternate,
        sign_off,
    } = step;
    let from = plan.summary.status;
    let alternate_named = plan.summary.referral_alternate.is_some();
    let to = first_allowed(actors(user, &plan.summary), plan.summary.version, |a| {
        job_planning::transition_with_referral(from, action, a, alternate_named)
    })?;
    let alternate = alternate.map(str::trim).filter(|a| !a.is_empty());
    let sign_off_alternate = action == Action::CdSignOff
        && (alternate.is_some() || plan.summary.consultant_is_medical_director());
    if action == Action::Refer || sign_off_alternate {
        check_alternate(state, &plan.summary, action, alternate).await?;
    } else if alternate.is_some() {
        return Err(AppError::unprocessable_at("alternate", "an alternate is named only with refer (JP-4), or with cd_sign_off of the medical director's own plan (JP-1)".into()));
    }
    let sign_off = sign_off_record(user, plan, action, sign_off)?;
    state
        .store
        .add_job_plan_version(
            &user.username,
            plan.summary.id,
            version,
            &NewVersion {
                status: to,
                action: action.as_str(),
                note,
                document: &plan.document,
                assessment: &plan.assessment,
                referral_alternate: alternate
                    .filter(|_| matches!(action, Action::Refer | Action::CdSignOff)),
                sign_off: sign_off.as_ref(),
            },
        )
        .await?;
    crate::service::notifications::after_step(state, user, &plan.summary, action, alternate).await;
    Ok(to)
}
