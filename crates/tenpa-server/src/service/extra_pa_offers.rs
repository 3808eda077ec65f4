//! Extra-PA offers (PP-4, PP-5): recorded with the fields of the career document's
//! `[[extra_pa_offer]]`, answered by the consultant (or recorded as answered), ended with notice,
//! and checked against PP-5 (notice, equal offer, manner, termination). An offer recorded without
//! `response` awaits the consultant's answer; only answered offers count for PP-4.

use crate::error::{ApiResult, AppError};
use crate::service::objectives::consultant_of;
use crate::AppState;
use serde::{Deserialize, Serialize};
use tenpa_rules::finding::{Finding, Findings};
use tenpa_rules::plan::{ExtraPaOffer, OfferResponse};
use tenpa_rules::progression::{check_termination, note_manner, offer_defect, PP_5};
use tenpa_rules::Parameters;
use tenpa_store::{OfferRecord, StoreError, User};
use utoipa::{IntoParams, ToSchema};

/// An offer to record.
#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct NewOffer {
    /// The consultant offered the extra PAs.
    pub consultant_id: String,
    /// The offer, as `[[extra_pa_offer]]` in the career document: `offered_on`, `starts_on`, `pas`,
    /// `basis`, `at_annual_review`, `reschedule_external_commitments`, `shorter_notice_agreed`,
    /// `offered_to_all_appropriate`, `response`, `responded_on`, `terminated_on`,
    /// `termination_notice_given_on`. Without `response` (and so without `responded_on` and a
    /// termination) the offer awaits the consultant's answer.
    #[schema(value_type = Object)]
    pub offer: serde_json::Value,
}

/// The consultant's answer to an offer.
#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct NewResponse {
    /// The offer's version this answer applies to.
    pub version: i64,
    /// `accepted` or `declined`.
    pub response: String,
    /// When the consultant answered (YYYY-MM-DD), on or after the offer.
    pub responded_on: String,
}

/// The end of accepted extra PAs (PP-5: 3 months' notice).
#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct NewTermination {
    /// The offer's version this termination applies to.
    pub version: i64,
    /// The last day of the extra PAs (YYYY-MM-DD).
    pub terminated_on: String,
    /// When notice of the termination was given (YYYY-MM-DD).
    pub termination_notice_given_on: String,
}

/// Reads a stored or posted offer through the career document's checks: the offer, and whether it
/// has been answered. An offer without `response` is read as if declined (it is not, and is never
/// counted as such), so that its notice and manner can be checked; it may not give `responded_on`
/// or a termination.
pub(crate) fn read_offer(v: &serde_json::Value) -> Result<(ExtraPaOffer, bool), String> {
    let answered = v.get("response").is_some_and(|r| !r.is_null());
    let mut v = v.clone();
    if !answered {
        let Some(map) = v.as_object_mut() else {
            return Err("expected an object with the offer's fields".into());
        };
        for field in [
            "responded_on",
            "terminated_on",
            "termination_notice_given_on",
        ] {
            if map.get(field).is_some_and(|x| !x.is_null()) {
                return Err(format!(
                    "`{field}`: given for an offer with no `response`; record the response first"
                ));
            }
        }
        map.remove("response");
        map.insert("response".into(), serde_json::json!("declined"));
    }
    let offer: ExtraPaOffer = serde_json::from_value(v).map_err(|e| e.to_string())?;
    Ok((offer, answered))
}

/// The field a career-document error names (its first `` `field` ``), if any.
fn field_of(message: &str) -> Option<String> {
    let rest = message.split_once('`')?.1;
    Some(rest.split_once('`')?.0.to_string())
}

/// An offer the rules will not read, as a 422 naming the field their message names first, with
/// the message that follows it.
fn offer_error(e: &str) -> AppError {
    match field_of(e) {
        Some(f) => {
            let message = e.strip_prefix(&format!("`{f}`: ")).unwrap_or(e);
            AppError::unprocessable_at(&f, message.replace('`', ""))
        }
        None => AppError::unprocessable_whole(e.replace('`', "")),
    }
}

/// The stored form of an offer: the career document's, without `response` while unanswered.
fn stored(o: &ExtraPaOffer, answered: bool) -> ApiResult<serde_json::Value> {
    let mut v = serde_json::to_value(o).map_err(|e| AppError::Internal(e.to_string()))?;
    if !answered {
        if let Some(m) = v.as_object_mut() {
            m.remove("response");
            m.remove("responded_on");
        }
    }
    Ok(v)
}

/// Filters for the list.
#[derive(Deserialize, IntoParams)]
#[serde(deny_unknown_fields)]
pub struct OfferQuery {
    /// Only this consultant's.
    pub consultant_id: Option<String>,
}

/// An offer with its PP-5 findings.
#[derive(Serialize, ToSchema)]
pub struct OfferView {
    /// The record.
    #[serde(flatten)]
    #[schema(value_type = Object)]
    pub record: OfferRecord,
    /// Whether the consultant's answer is still to be recorded.
    pub awaiting_response: bool,
    /// PP-5 findings: a warning for an offer not made correctly or extra PAs ended with too little
    /// notice; info where an offer was not made at annual review or not annualised.
    #[schema(value_type = Vec<Object>)]
    pub findings: Vec<Finding>,
}

/// The PP-5 findings of an offer under the parameters in force when it was made (`answered`:
/// whether the consultant's response is recorded; a termination is checked only then).
pub fn findings(o: &ExtraPaOffer, answered: bool, params: &Parameters) -> Vec<Finding> {
    let mut f = Findings::default();
    let Ok(notice) = params.extra_pa_notice.value(o.offered_on) else {
        return f.0;
    };
    if let Some(defect) = offer_defect(o, notice) {
        f.warning(
            PP_5,
            format!(
                "the offer made on {} {defect}: it was not made correctly",
                o.offered_on
            ),
        );
    }
    note_manner(o, &mut f);
    if answered {
        check_termination(o, notice, &mut f);
    }
    f.0
}

pub(crate) fn view(record: OfferRecord, params: &Parameters) -> OfferView {
    let (findings, awaiting_response) = match read_offer(&record.offer) {
        Ok((o, answered)) => (findings(&o, answered, params), !answered),
        Err(_) => (vec![], false),
    };
    OfferView {
        record,
        awaiting_response,
        findings,
    }
}

/// `POST /api/v1/extra-pa-offers` for the API and the new-offer page: 403 for one who may not
/// record the consultant's offers (never their own), 400 naming the field (`offer.FIELD`) for an
/// offer that fails the career document's checks.
pub async fn create_offer(state: &AppState, user: &User, body: NewOffer) -> ApiResult<OfferView> {
    let c = consultant_of(state, &body.consultant_id).await?;
    if !crate::policy::may_offer_extra_pas(user, &c.id, c.department_id) {
        return Err(AppError::Forbidden(
            "extra-PA offers are recorded by the consultant's clinical director, the medical director or medical staffing".into(),
        ));
    }
    let (offer, answered) = read_offer(&body.offer).map_err(|e| AppError::BadRequest {
        field: field_of(&e).map(|f| format!("offer.{f}")),
        detail: format!("offer: {e}"),
    })?;
    let json = stored(&offer, answered)?;
    let id = state
        .store
        .create_extra_pa_offer(&user.username, &c.id, &offer.offered_on.to_string(), &json)
        .await?;
    let record = state
        .store
        .extra_pa_offer(id)
        .await?
        .ok_or_else(|| AppError::Internal(format!("offer {id} not read back")))?;
    Ok(view(record, &state.params))
}

/// An offer `user` may see (404, 403 otherwise).
pub(crate) async fn load(state: &AppState, user: &User, id: i64) -> ApiResult<OfferRecord> {
    let record = state
        .store
        .extra_pa_offer(id)
        .await?
        .ok_or_else(|| AppError::NotFound(format!("extra-PA offer {id}")))?;
    if !crate::service::objectives::sees(user, &record.consultant_id, record.department_id) {
        return Err(AppError::Forbidden(format!(
            "extra-PA offer {id} is not one you may see"
        )));
    }
    Ok(record)
}

/// Stores a changed offer if `version` is still current: 409 with the offer as it now is
/// otherwise; 422 naming the field when the changed offer fails the career document's checks.
async fn save(
    state: &AppState,
    user: &User,
    record: &OfferRecord,
    version: i64,
    action: &str,
    changed: serde_json::Value,
) -> ApiResult<OfferView> {
    let (offer, answered) = read_offer(&changed).map_err(|e| offer_error(&e))?;
    let json = stored(&offer, answered)?;
    match state
        .store
        .update_extra_pa_offer(&user.username, record.id, version, action, &json)
        .await
    {
        Ok(_) => {}
        Err(StoreError::Conflict { expected, current }) => {
            let now = load(state, user, record.id).await?;
            return Err(AppError::Stale {
                detail: format!("version {expected} is no longer current: the offer is at version {current}; reload it and apply your change again"),
                current_version: current,
                current: serde_json::to_value(view(now, &state.params)).map_err(|e| AppError::Internal(e.to_string()))?,
            });
        }
        Err(e) => return Err(e.into()),
    }
    let now = load(state, user, record.id).await?;
    Ok(view(now, &state.params))
}

/// Records the consultant's answer to offer `id` as `user` may (the API's and the pages' one way
/// in): the consultant answers an offer awaiting their answer; their clinical director, the
/// medical director or medical staffing record or correct an answer until the extra PAs are
/// terminated. 403 for anyone else, 409 for a stale version or a terminated offer, 422 naming
/// the field for a bad answer or date.
pub(crate) async fn record_response(
    state: &AppState,
    user: &User,
    id: i64,
    body: NewResponse,
) -> ApiResult<OfferView> {
    let record = load(state, user, id).await?;
    let (current, answered) =
        read_offer(&record.offer).map_err(|e| AppError::Internal(format!("offer {id}: {e}")))?;
    let manager =
        crate::policy::may_offer_extra_pas(user, &record.consultant_id, record.department_id);
    let answering_own = crate::policy::is_offered_to(user, &record.consultant_id) && !answered;
    if !(manager || answering_own) {
        return Err(AppError::Forbidden(
            if crate::policy::is_offered_to(user, &record.consultant_id) {
                "your answer to this offer is already recorded: ask your clinical director or medical staffing to correct it".into()
            } else {
                "an answer is recorded by the consultant offered the extra PAs, their clinical director, the medical director or medical staffing".into()
            },
        ));
    }
    if current.terminated_on.is_some() {
        return Err(AppError::Conflict {
            detail: format!(
                "extra-PA offer {id} has been terminated: its answer can no longer change"
            ),
            current_version: Some(record.version),
        });
    }
    let response = match body.response.as_str() {
        "accepted" => OfferResponse::Accepted,
        "declined" => OfferResponse::Declined,
        other => {
            return Err(AppError::unprocessable_at(
                "response",
                format!("found {other:?}, expected \"accepted\" or \"declined\""),
            ))
        }
    };
    let on = super::read_date("responded_on", &body.responded_on)?;
    let mut changed = record.offer.clone();
    changed["response"] =
        serde_json::to_value(response).map_err(|e| AppError::Internal(e.to_string()))?;
    changed["responded_on"] = serde_json::json!(on.to_string());
    let action = if answered {
        "correct_response"
    } else {
        "respond"
    };
    save(state, user, &record, body.version, action, changed).await
}

/// Records the end of accepted extra PAs as `user` may (the clinical director of the consultant's
/// department, the medical director or medical staffing): 403 for anyone else, 409 for a stale
/// version, 422 naming the field for a declined or unanswered offer or bad dates. Less notice than
/// PP-5 asks is recorded, with a warning finding.
pub(crate) async fn record_termination(
    state: &AppState,
    user: &User,
    id: i64,
    body: NewTermination,
) -> ApiResult<OfferView> {
    let record = load(state, user, id).await?;
    if !crate::policy::may_offer_extra_pas(user, &record.consultant_id, record.department_id) {
        return Err(AppError::Forbidden(
            "extra PAs are terminated by the consultant's clinical director, the medical director or medical staffing".into(),
        ));
    }
    let end = super::read_date("terminated_on", &body.terminated_on)?;
    let notice = super::read_date(
        "termination_notice_given_on",
        &body.termination_notice_given_on,
    )?;
    let mut changed = record.offer.clone();
    changed["terminated_on"] = serde_json::json!(end.to_string());
    changed["termination_notice_given_on"] = serde_json::json!(notice.to_string());
    save(state, user, &record, body.version, "terminate", changed).await
}
