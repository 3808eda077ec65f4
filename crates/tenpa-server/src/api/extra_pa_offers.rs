//! Extra-PA offers (PP-4, PP-5): recorded with the fields of the career document's
//! `[[extra_pa_offer]]`, and checked against PP-5 (notice, equal offer, manner, termination).

use crate::api::objectives::consultant_of;
use crate::api::JsonBody;
use crate::auth::{job_plan_scope, Caller};
use crate::error::{ApiResult, AppError};
use crate::AppState;
use axum::extract::rejection::QueryRejection;
use axum::extract::{Query, State};
use axum::http::StatusCode;
use axum::Json;
use serde::{Deserialize, Serialize};
use tenpa_rules::finding::{Finding, Findings};
use tenpa_rules::job_planning::Role;
use tenpa_rules::plan::ExtraPaOffer;
use tenpa_rules::progression::{check_termination, note_manner, offer_defect, PP_5};
use tenpa_rules::Parameters;
use tenpa_store::OfferRecord;
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
    /// `termination_notice_given_on`.
    #[schema(value_type = Object)]
    pub offer: ExtraPaOffer,
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
    /// PP-5 findings: a warning for an offer not made correctly or extra PAs ended with too little
    /// notice; info where an offer was not made at annual review or not annualised.
    #[schema(value_type = Vec<Object>)]
    pub findings: Vec<Finding>,
}

/// The PP-5 findings of an offer under the parameters in force when it was made.
pub fn findings(o: &ExtraPaOffer, params: &Parameters) -> Vec<Finding> {
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
    check_termination(o, notice, &mut f);
    f.0
}

fn view(record: OfferRecord, params: &Parameters) -> OfferView {
    let findings = serde_json::from_value::<ExtraPaOffer>(record.offer.clone())
        .map(|o| findings(&o, params))
        .unwrap_or_default();
    OfferView { record, findings }
}

/// Extra-PA offers the caller may see, newest first, with their PP-5 findings.
#[utoipa::path(get, path = "/api/v1/extra-pa-offers", params(OfferQuery), responses((status = 200, body = Vec<OfferView>), (status = 400), (status = 401)))]
pub async fn list(
    State(state): State<AppState>,
    Caller(user): Caller,
    q: Result<Query<OfferQuery>, QueryRejection>,
) -> ApiResult<Json<Vec<OfferView>>> {
    let Query(q) = q.map_err(crate::api::query_error)?;
    let offers = state
        .store
        .extra_pa_offers(&job_plan_scope(&user), q.consultant_id.as_deref())
        .await?;
    Ok(Json(
        offers.into_iter().map(|r| view(r, &state.params)).collect(),
    ))
}

/// Records an extra-PA offer and the consultant's response (the clinical director of the
/// consultant's department, the medical director or medical staffing).
#[utoipa::path(post, path = "/api/v1/extra-pa-offers", request_body = NewOffer, responses((status = 201, body = OfferView), (status = 400), (status = 403), (status = 422)))]
pub async fn create(
    State(state): State<AppState>,
    Caller(user): Caller,
    JsonBody(body): JsonBody<NewOffer>,
) -> ApiResult<(StatusCode, Json<OfferView>)> {
    let c = consultant_of(&state, &body.consultant_id).await?;
    let allowed = user.has(Role::MedicalDirector)
        || user.has(Role::MedicalStaffing)
        || (user.has(Role::ClinicalDirector) && user.department_id == Some(c.department_id));
    if !allowed {
        return Err(AppError::Forbidden(
            "extra-PA offers are recorded by the consultant's clinical director, the medical director or medical staffing".into(),
        ));
    }
    let json = serde_json::to_value(&body.offer).map_err(|e| AppError::Internal(e.to_string()))?;
    let id = state
        .store
        .create_extra_pa_offer(
            &user.username,
            &c.id,
            &body.offer.offered_on.to_string(),
            &json,
        )
        .await?;
    let record = state
        .store
        .extra_pa_offers(&tenpa_store::Scope::Consultant(c.id.clone()), None)
        .await?
        .into_iter()
        .find(|r| r.id == id)
        .ok_or_else(|| AppError::Internal(format!("offer {id} not read back")))?;
    Ok((StatusCode::CREATED, Json(view(record, &state.params))))
}
