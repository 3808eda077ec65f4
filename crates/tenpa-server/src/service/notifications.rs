//! Notifications in the application: after a workflow step, whoever it now waits for is told (the
//! consultant of a plan proposed to them or signed off, the clinical director of a plan waiting for
//! their sign-off, the medical director or the named alternate of a plan waiting for theirs or
//! referred to them); each reads their own, newest first, and marks them read. Telling someone
//! never stops the step: a failure is logged.

use crate::error::{ApiResult, AppError};
use crate::AppState;
use serde::Deserialize;
use tenpa_rules::job_planning::{Action, Role};
use tenpa_store::{JobPlanSummary, Notification, Store, User};
use utoipa::ToSchema;

/// Which notifications to mark read.
#[derive(Debug, Deserialize, ToSchema, Default)]
#[serde(deny_unknown_fields)]
pub struct ReadNotifications {
    /// Their ids; all of the caller's when left out.
    #[serde(default)]
    pub ids: Option<Vec<i64>>,
}

/// The most ids marked read at once.
const MAX_IDS: usize = 200;

/// Who a step on `plan` now waits for, and what to tell them: (usernames, kind, message).
async fn recipients(
    store: &Store,
    plan: &JobPlanSummary,
    action: Action,
    alternate: Option<&str>,
) -> ApiResult<Option<(Vec<String>, &'static str, String)>> {
    let name = &plan.consultant_name;
    let consultant = || async {
        Ok::<_, AppError>(
            store
                .account_for_consultant(&plan.consultant_id)
                .await?
                .into_iter()
                .collect::<Vec<String>>(),
        )
    };
    let with_role = |role: Role, department: Option<i64>| async move {
        Ok::<_, AppError>(
            store
                .users_with_roles(&[role])
                .await?
                .into_iter()
                .filter(|u| department.is_none() || u.department_id == department)
                .filter(|u| u.consultant_id.as_deref() != Some(plan.consultant_id.as_str()))
                .map(|u| u.username)
                .collect::<Vec<String>>(),
        )
    };
    // The named alternate when there is one (JP-4, or the medical director's own plan), else the
    // medical directors.
    let md_or_alternate = || async {
        match alternate {
            Some(a) => Ok::<_, AppError>(vec![a.to_string()]),
            None => with_role(Role::MedicalDirector, None).await,
        }
    };
    Ok(Some(match action {
        Action::Propose => (
            consultant().await?,
            "proposed",
            "Your job plan has been proposed: agree it, or record that it is not agreed".into(),
        ),
        Action::Agree | Action::Resolve | Action::DecideAppeal => {
            let mut cds = with_role(Role::ClinicalDirector, Some(plan.department_id)).await?;
            if cds.is_empty() {
                cds = with_role(Role::MedicalDirector, None).await?;
            }
            (
                cds,
                "sign_off",
                format!("The job plan of {name} is agreed and waits for your sign-off"),
            )
        }
        Action::CdSignOff => (
            md_or_alternate().await?,
            "sign_off",
            format!("The job plan of {name} waits for your sign-off as medical director"),
        ),
        Action::Refer => (
            md_or_alternate().await?,
            "referred",
            format!("The job plan of {name} is referred to you to decide"),
        ),
        Action::MdSignOff => (
            consultant().await?,
            "signed_off",
            "Your job plan is signed off".into(),
        ),
        _ => return Ok(None),
    }))
}

/// Tells whoever `action` on `plan` now waits for, except `actor`; a failure is logged, never
/// answered.
pub async fn after_step(
    state: &AppState,
    actor: &User,
    plan: &JobPlanSummary,
    action: Action,
    alternate: Option<&str>,
) {
    let told = async {
        if let Some((mut to, kind, message)) =
            recipients(&state.store, plan, action, alternate).await?
        {
            to.retain(|u| *u != actor.username);
            let link = format!("/plans/{}/workflow", plan.id);
            state.store.notify(&to, kind, &message, &link).await?;
        }
        Ok::<_, AppError>(())
    };
    if let Err(e) = told.await {
        tracing::warn!(plan = plan.id, action = action.as_str(), error = ?e, "notifying failed");
    }
}

/// The caller's notifications, the newest first.
pub async fn list(store: &Store, user: &User) -> ApiResult<Vec<Notification>> {
    Ok(store.notifications(&user.username).await?)
}

/// Marks the caller's notifications read (all, or `ids`); answers how many were marked.
pub async fn read(store: &Store, user: &User, body: &ReadNotifications) -> ApiResult<u64> {
    if body.ids.as_ref().is_some_and(|i| i.len() > MAX_IDS) {
        return Err(AppError::unprocessable_at(
            "ids",
            format!("expected at most {MAX_IDS} ids"),
        ));
    }
    Ok(store
        .read_notifications(&user.username, body.ids.as_deref())
        .await?)
}
