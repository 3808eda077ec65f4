//! Private practice disclosures (PRV-2, D 3.6-3.7): dated, per consultant, with a status that
//! reports a missing or stale (more than 12 months old) disclosure as a warning finding.

use crate::error::{ApiResult, AppError};
use crate::service::objectives::consultant_of;
use crate::AppState;
use chrono::NaiveDate;
use serde::{Deserialize, Serialize};
use tenpa_rules::finding::Finding;
use tenpa_rules::private_practice::disclosure_findings;
use tenpa_rules::Parameters;
use tenpa_store::{Disclosure, User};
use utoipa::ToSchema;

/// A disclosure to record.
#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct NewDisclosure {
    /// The consultant.
    pub consultant_id: String,
    /// The date of the disclosure (YYYY-MM-DD), not in the future.
    pub disclosed_on: String,
    /// The private commitments disclosed (or that there are none).
    pub commitments: String,
}

/// A consultant's disclosure status.
#[derive(Serialize, ToSchema)]
pub struct DisclosureStatus {
    /// The consultant.
    pub consultant_id: String,
    /// The latest disclosure, if any.
    #[schema(value_type = Option<Object>)]
    pub latest: Option<Disclosure>,
    /// PRV-2 findings: a warning when the disclosure is missing or more than 12 months old.
    #[schema(value_type = Vec<Object>)]
    pub findings: Vec<Finding>,
}

/// PRV-2's findings (`tenpa_rules::private_practice::disclosure_findings`) for the latest
/// disclosure on record on `today`: a warning when it is missing or older than the disclosure
/// interval.
pub fn findings(
    params: &Parameters,
    latest: Option<&Disclosure>,
    today: NaiveDate,
) -> ApiResult<Vec<Finding>> {
    let on = latest.map(|d| d.disclosed_on);
    disclosure_findings(params, on, today).map_err(|e| AppError::unprocessable_whole(e.to_string()))
}

/// Records a disclosure as `user`, checked: the path the API and the pages share; answers the
/// consultant's status after it.
pub async fn record(
    state: &AppState,
    user: &User,
    body: NewDisclosure,
) -> ApiResult<DisclosureStatus> {
    let c = consultant_of(state, &body.consultant_id).await?;
    if !crate::policy::may_edit(user, &c.id, c.department_id) {
        return Err(AppError::Forbidden(
            "a disclosure is recorded by the consultant, their clinical director, the medical director or medical staffing".into(),
        ));
    }
    let today = crate::uk_time::today();
    let on = super::read_date("disclosed_on", &body.disclosed_on)?;
    if on > today {
        return Err(AppError::unprocessable_at(
            "disclosed_on",
            format!("{on} is in the future"),
        ));
    }
    if body.commitments.trim().is_empty() {
        return Err(AppError::unprocessable_at(
            "commitments",
            "empty; write \"none\" when there are none".into(),
        ));
    }
    state
        .store
        .create_disclosure(&user.username, &c.id, on, body.commitments.trim())
        .await?;
    status_of(state, &c.id, today).await
}

/// A consultant's disclosure status on `today`: the latest disclosure and its PRV-2 findings.
pub async fn status_of(
    state: &AppState,
    id: &str,
    today: NaiveDate,
) -> ApiResult<DisclosureStatus> {
    let latest = state
        .store
        .disclosures(&tenpa_store::Scope::Consultant(id.to_string()), None)
        .await?
        .into_iter()
        .next();
    Ok(DisclosureStatus {
        consultant_id: id.to_string(),
        findings: findings(&state.params, latest.as_ref(), today)?,
        latest,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(on: &str) -> Disclosure {
        Disclosure {
            id: 1,
            consultant_id: "c".into(),
            department_id: 1,
            disclosed_on: on.parse().unwrap(),
            commitments: "none".into(),
            created_by: "x".into(),
            created_at: "x".into(),
        }
    }

    #[test]
    fn missing_and_stale_disclosures_are_warnings() {
        let p = Parameters::embedded();
        let today = NaiveDate::from_ymd_opt(2026, 11, 23).unwrap();
        let f = findings(p, None, today).unwrap();
        assert_eq!(f.len(), 1);
        assert_eq!(
            (f[0].rule, f[0].severity),
            ("PRV-2", tenpa_rules::finding::Severity::Warning)
        );
        assert!(findings(p, Some(&d("2025-11-23")), today)
            .unwrap()
            .is_empty());
        let stale = findings(p, Some(&d("2025-11-22")), today).unwrap();
        assert!(
            stale[0].message.contains("more than 12 months old"),
            "{stale:?}"
        );
    }
}
