//! Notifications in the application: after a workflow step, whoever it now waits for is told (the
//! consultant of a plan proposed to them or signed off, the clinical director of a plan waiting for
//! their sign-off, the medical director or the named alternate of a plan waiting for theirs or
//! referred to them); each reads their own, newest first, and marks them read. Telling someone
//! never stops the step: a failure is logged. Each notification to an account with an email
//! address is also emailed ([`crate::mail`]); each person sets their own address, an
//! administrator anyone's, and an administrator sees the outbox.

use crate::error::{ApiResult, AppError};
use crate::AppState;
use serde::{Deserialize, Serialize};
use tenpa_rules::job_planning::{Action, Role};
use tenpa_store::{
    JobPlanSummary, Notice, Notification, OutboxCounts, OutboxEmail, Store, User, MAX_EMAIL,
};
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

/// Who a step on `plan` now waits for, and what to tell them: (usernames, kind, subject,
/// message).
async fn recipients(
    store: &Store,
    plan: &JobPlanSummary,
    action: Action,
    alternate: Option<&str>,
) -> ApiResult<Option<(Vec<String>, &'static str, String, String)>> {
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
            "Your job plan is proposed to you".into(),
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
                format!("Job plan of {name}: waiting for your sign-off"),
                format!("The job plan of {name} is agreed and waits for your sign-off"),
            )
        }
        Action::CdSignOff => (
            md_or_alternate().await?,
            "sign_off",
            format!("Job plan of {name}: waiting for your sign-off"),
            format!("The job plan of {name} waits for your sign-off as medical director"),
        ),
        Action::Refer => (
            md_or_alternate().await?,
            "referred",
            format!("Job plan of {name}: referred to you"),
            format!("The job plan of {name} is referred to you to decide"),
        ),
        Action::MdSignOff => (
            consultant().await?,
            "signed_off",
            "Your job plan is signed off".into(),
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
        if let Some((mut to, kind, subject, message)) =
            recipients(&state.store, plan, action, alternate).await?
        {
            to.retain(|u| *u != actor.username);
            let notice = Notice {
                kind,
                subject,
                message,
                link: format!("/plans/{}/workflow", plan.id),
            };
            state.store.notify(&to, &notice).await?;
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

/// An address to email notifications to.
#[derive(Debug, Clone, Deserialize, ToSchema, Default)]
#[serde(deny_unknown_fields)]
pub struct EmailChange {
    /// The address; null, absent or empty for none (notifications then only in the application).
    #[serde(default)]
    pub email: Option<String>,
}

/// How someone is told of their notifications.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct Settings {
    /// The address notifications are emailed to, if any.
    pub email: Option<String>,
    /// Whether this server sends email (SMTP is configured); without it, notifications are only
    /// in the application.
    pub email_sending: bool,
}

/// An email address as given, trimmed; empty is none. 422 naming `email` unless it is one
/// address (`name@domain`) of at most 254 characters.
pub fn checked_email(given: Option<&str>) -> ApiResult<Option<String>> {
    let Some(e) = given.map(str::trim).filter(|e| !e.is_empty()) else {
        return Ok(None);
    };
    let shaped = e.len() <= MAX_EMAIL
        && e.parse::<lettre::Address>()
            .is_ok_and(|a| a.domain().contains('.') || a.domain() == "localhost");
    if !shaped {
        return Err(AppError::unprocessable_at(
            "email",
            format!("found {e:?}, expected one email address such as name@trust.nhs.uk, at most {MAX_EMAIL} characters"),
        ));
    }
    Ok(Some(e.to_string()))
}

/// How the caller is told of their notifications.
pub fn settings(state: &AppState, user: &User) -> Settings {
    Settings {
        email: user.email.clone(),
        email_sending: state.email_enabled,
    }
}

/// Sets the caller's own address (or clears it), audited. 422 naming `email`.
pub async fn set_own_email(
    state: &AppState,
    user: &User,
    body: &EmailChange,
) -> ApiResult<Settings> {
    let email = checked_email(body.email.as_deref())?;
    state
        .store
        .set_user_email(&user.username, &user.username, email.as_deref())
        .await?;
    Ok(Settings {
        email,
        email_sending: state.email_enabled,
    })
}

/// The outbox as an administrator sees it.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct Outbox {
    /// Whether this server sends email.
    pub email_sending: bool,
    /// How many are waiting, sent and given up.
    #[schema(value_type = Object)]
    pub counts: OutboxCounts,
    /// The latest 100, the newest first, each with its tries and the last failure's reason.
    #[schema(value_type = Vec<Object>)]
    pub emails: Vec<OutboxEmail>,
}

/// The most outbox emails listed.
const OUTBOX_LISTED: i64 = 100;

/// The outbox: an administrator. 403 for anyone else.
pub async fn outbox(state: &AppState, user: &User) -> ApiResult<Outbox> {
    if !crate::policy::may_administer(user) {
        return Err(AppError::Forbidden(
            "the email outbox is kept by an administrator".into(),
        ));
    }
    Ok(Outbox {
        email_sending: state.email_enabled,
        counts: state.store.outbox_counts().await?,
        emails: state.store.outbox(OUTBOX_LISTED).await?,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_email_address_is_checked_and_trimmed() {
        assert_eq!(
            checked_email(Some(" a.consultant@trust.nhs.uk "))
                .unwrap()
                .as_deref(),
            Some("a.consultant@trust.nhs.uk")
        );
        assert_eq!(checked_email(Some("  ")).unwrap(), None);
        assert_eq!(checked_email(None).unwrap(), None);
        for bad in ["no-at-sign", "a@b", "two@a.org,three@b.org", "a b@c.org"] {
            let e = checked_email(Some(bad)).unwrap_err();
            assert!(format!("{e:?}").contains("email"), "{bad}: {e:?}");
        }
        let long = format!("{}@trust.nhs.uk", "a".repeat(250));
        assert!(checked_email(Some(&long)).is_err());
    }
}
