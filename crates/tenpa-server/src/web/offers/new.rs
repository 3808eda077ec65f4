//! The form to offer extra PAs to a consultant, and its post.

use crate::error::AppError;
use crate::policy::may_offer_extra_pas as may_manage;
use crate::service::extra_pa_offers::{create_offer, NewOffer};
use crate::web::components::error_summary;
use crate::web::fields::{entered, field_error, Field, Pairs};
use crate::web::objectives::query;
use crate::web::page::{
    csrf_field, layout_back, see_other, sentence, urlencode, Form, FormData, PageResult, WebError,
    WebUser,
};
use crate::AppState;
use axum::extract::{RawQuery, State};
use axum::http::StatusCode;
use axum::response::IntoResponse;
use axum::response::Response;
use chrono::NaiveDate;
use maud::{html, Markup};

/// The consultants whose extra PAs `u` may offer, by name: never `u`'s own record.
async fn offerable(state: &AppState, u: &WebUser) -> PageResult<Vec<(String, String)>> {
    let mut records: Vec<_> = state
        .store
        .staff_records()
        .await?
        .into_values()
        .filter(|r| may_manage(&u.user, &r.assignment_number, r.department_id))
        .map(|r| (r.assignment_number, r.name))
        .collect();
    records.sort_by(|a, b| a.1.cmp(&b.1).then(a.0.cmp(&b.0)));
    Ok(records
        .into_iter()
        .map(|(id, name)| (id.clone(), format!("{name} ({id})")))
        .collect())
}

/// The boxes of the offer's terms, as the career document's fields.
const TERMS: [(&str, &str); 4] = [
    ("at_annual_review", "Offered at the annual job plan review"),
    (
        "offered_to_all_appropriate",
        "Offered equally to all clinically appropriate consultants",
    ),
    (
        "reschedule_external_commitments",
        "The work means rescheduling external commitments (6 months' notice)",
    ),
    (
        "shorter_notice_agreed",
        "The consultant agreed a shorter notice",
    ),
];

async fn new_offer_page(
    state: &AppState,
    u: &WebUser,
    fields: &Pairs,
    errors: &Pairs,
) -> PageResult<Markup> {
    let people = offerable(state, u).await?;
    if people.is_empty() {
        return Err(WebError::Forbidden(
            "extra-PA offers are recorded by the consultant's clinical director, the medical director or medical staffing, never by the consultant offered them".into(),
        ));
    }
    let terms: Vec<(String, String)> = TERMS
        .iter()
        .map(|(v, t)| (v.to_string(), t.to_string()))
        .collect();
    let ticked: Vec<&str> = fields
        .iter()
        .filter(|(k, _)| k == "offer-terms")
        .map(|(_, v)| v.as_str())
        .collect();
    let bases = [
        ("annualised".to_string(), "Annualised".to_string()),
        ("fixed".to_string(), "Fixed sessions".to_string()),
    ];
    let responses = [
        (
            String::new(),
            "Not yet: awaiting the consultant's answer".to_string(),
        ),
        ("accepted".to_string(), "Accepted".to_string()),
        ("declined".to_string(), "Declined".to_string()),
    ];
    let answered = ["offer-response", "offer-terminated_on"]
        .iter()
        .any(|k| !entered(fields, k).is_empty());
    let consultant = entered(fields, "offer-consultant_id");
    let back = if consultant.is_empty() {
        "/extra-pa-offers".to_string()
    } else {
        format!("/extra-pa-offers?consultant={}", urlencode(consultant))
    };
    let title = if errors.is_empty() {
        "Offer extra PAs"
    } else {
        "Error: Offer extra PAs"
    };
    let body = html! {
        (error_summary(errors))
        h1 class="nhsuk-heading-l" { "Offer extra PAs" }
        p class="nhsuk-body" { "Extra PAs are offered at the annual job plan review where possible, at least 3 months before the work starts (6 where external commitments must be rescheduled), and equally to all clinically appropriate consultants (PP-5, F 6(c)). An offer recorded without an answer awaits the consultant's, which they give on their extra PAs page." }
        form method="post" action="/extra-pa-offers" novalidate {
            (csrf_field(u))
            (Field::new("offer-consultant_id", "Consultant", "").select(&people, consultant, errors))
            (Field::new("offer-pas", "Extra PAs a week", "On average, above 0 and at most 20, for example 1 or 1.5.").input("text", entered(fields, "offer-pas"), errors))
            (Field::new("offer-basis", "Basis", "Annualised is preferred where possible.").select(&bases, entered(fields, "offer-basis"), errors))
            (Field::new("offer-offered_on", "Offered on", "For example, 2027-01-04.").input("date", entered(fields, "offer-offered_on"), errors))
            (Field::new("offer-starts_on", "The extra work starts on", "On or after the offer, for example 2027-04-01.").input("date", entered(fields, "offer-starts_on"), errors))
            (Field::new("offer-terms", "How the offer was made", "Tick each that applies.").checkboxes(&terms, &ticked, errors))
            details class="nhsuk-details" open[answered] {
                summary class="nhsuk-details__summary" { span class="nhsuk-details__summary-text" { "Recording an offer already answered or ended" } }
                div class="nhsuk-details__text" {
                    (Field::new("offer-response", "The consultant's answer", "").select(&responses, entered(fields, "offer-response"), errors))
                    (Field::new("offer-responded_on", "Answered on", "With an answer; the day of the offer when empty.").input("date", entered(fields, "offer-responded_on"), errors))
                    (Field::new("offer-terminated_on", "Accepted extra PAs ended on", "Only for accepted extra PAs that have ended.").input("date", entered(fields, "offer-terminated_on"), errors))
                    (Field::new("offer-termination_notice_given_on", "Notice of the end given on", "With an end: 3 months' notice (PP-5).").input("date", entered(fields, "offer-termination_notice_given_on"), errors))
                }
            }
            button class="nhsuk-button" type="submit" { "Record the offer" }
        }
    };
    Ok(layout_back(
        u,
        title,
        (&back, "Back to extra PAs offered"),
        body,
    ))
}

/// `GET /extra-pa-offers/new[?consultant=ID]`.
pub async fn new(
    State(state): State<AppState>,
    u: WebUser,
    RawQuery(q): RawQuery,
) -> PageResult<Markup> {
    let q = query(q);
    let mut fields = vec![
        (
            "offer-consultant_id".to_string(),
            q.get("consultant").to_string(),
        ),
        (
            "offer-offered_on".to_string(),
            crate::uk_time::today().to_string(),
        ),
    ];
    for t in ["at_annual_review", "offered_to_all_appropriate"] {
        fields.push(("offer-terms".to_string(), t.to_string()));
    }
    new_offer_page(&state, &u, &fields, &[]).await
}

/// A date field of the new-offer form: `None` when empty and optional, else the date or the error.
fn offer_date(
    f: &FormData,
    name: &str,
    what: &str,
    required: bool,
    errors: &mut Vec<(String, String)>,
) -> Option<String> {
    let id = format!("offer-{name}");
    let v = f.get(&id).trim();
    if v.is_empty() {
        if required {
            errors.push((
                id,
                format!("Enter {what} as YYYY-MM-DD, for example 2027-04-01."),
            ));
        }
        return None;
    }
    match NaiveDate::parse_from_str(v, "%Y-%m-%d") {
        Ok(d) => Some(d.to_string()),
        Err(_) => {
            errors.push((
                id,
                format!("Found {v:?}: enter {what} as YYYY-MM-DD, for example 2027-04-01."),
            ));
            None
        }
    }
}

/// The offer the form describes, as the career document's `[[extra_pa_offer]]`, or the errors.
fn offer_of(f: &FormData) -> Result<serde_json::Value, Vec<(String, String)>> {
    let mut errors = vec![];
    let offered_on = offer_date(
        f,
        "offered_on",
        "the date the offer was made",
        true,
        &mut errors,
    );
    let starts_on = offer_date(
        f,
        "starts_on",
        "the date the extra work starts",
        true,
        &mut errors,
    );
    let responded_on = offer_date(
        f,
        "responded_on",
        "the date of the answer",
        false,
        &mut errors,
    );
    let terminated_on = offer_date(
        f,
        "terminated_on",
        "the date the extra PAs ended",
        false,
        &mut errors,
    );
    let notice = offer_date(
        f,
        "termination_notice_given_on",
        "the date notice was given",
        false,
        &mut errors,
    );
    let text = f.get("offer-pas").trim();
    let pas = match text.parse::<rust_decimal::Decimal>() {
        _ if text.is_empty() => {
            errors.push((
                "offer-pas".to_string(),
                "Enter the extra PAs a week, for example 1 or 1.5.".to_string(),
            ));
            None
        }
        Ok(d) if d.is_sign_negative() => {
            errors.push((
                "offer-pas".to_string(),
                format!("Found {text}: enter the extra PAs a week, above 0 and at most 20."),
            ));
            None
        }
        Ok(d) => serde_json::from_str::<serde_json::Value>(&d.normalize().to_string()).ok(),
        Err(_) => {
            errors.push((
                "offer-pas".to_string(),
                format!(
                    "Found {text:?}: enter the extra PAs a week as a number, for example 1 or 1.5."
                ),
            ));
            None
        }
    };
    let basis = f.get("offer-basis");
    if !matches!(basis, "annualised" | "fixed") {
        errors.push((
            "offer-basis".to_string(),
            format!("Found basis {basis:?}: choose annualised or fixed sessions."),
        ));
    }
    let response = f.get("offer-response");
    if !matches!(response, "" | "accepted" | "declined") {
        errors.push((
            "offer-response".to_string(),
            format!("Found answer {response:?}: choose accepted, declined or not yet."),
        ));
    }
    let terms = f.all("offer-terms");
    if let Some(t) = terms.iter().find(|t| !TERMS.iter().any(|(v, _)| v == *t)) {
        errors.push((
            "offer-terms".to_string(),
            format!("Found {t:?}: tick only the ways the offer was made that are listed."),
        ));
    }
    if !errors.is_empty() {
        return Err(errors);
    }
    let mut offer = serde_json::json!({
        "offered_on": offered_on,
        "starts_on": starts_on,
        "pas": pas,
        "basis": basis,
    });
    for (t, _) in TERMS {
        offer[t] = serde_json::json!(terms.contains(&t));
    }
    for (k, v) in [
        (
            "response",
            (!response.is_empty()).then(|| response.to_string()),
        ),
        ("responded_on", responded_on),
        ("terminated_on", terminated_on),
        ("termination_notice_given_on", notice),
    ] {
        if let Some(v) = v {
            offer[k] = serde_json::json!(v);
        }
    }
    Ok(offer)
}

/// `POST /extra-pa-offers`: records an offer, as the API's `POST /api/v1/extra-pa-offers`.
pub async fn create(State(state): State<AppState>, Form(u, f): Form) -> PageResult<Response> {
    let fields: Vec<(String, String)> = f.kept();
    let errors = match offer_of(&f) {
        Err(errors) => errors,
        Ok(offer) => {
            let body = NewOffer {
                consultant_id: f.get("offer-consultant_id").to_string(),
                offer,
            };
            match create_offer(&state, &u.user, body).await {
                Ok(v) => {
                    return Ok(see_other(&format!(
                        "/extra-pa-offers?consultant={}&done=offered#offer-{}",
                        urlencode(&v.record.consultant_id),
                        v.record.id
                    )))
                }
                Err(AppError::BadRequest {
                    detail,
                    field: Some(field),
                }) => {
                    let name = field.trim_start_matches("offer.");
                    let message = detail.trim_start_matches("offer: ");
                    let message = message
                        .split_once("`: ")
                        .map_or(message, |(_, m)| m)
                        .replace('`', "");
                    vec![(format!("offer-{name}"), sentence(&message))]
                }
                Err(e) => vec![field_error(e, "offer-", "consultant_id")?],
            }
        }
    };
    let page = new_offer_page(&state, &u, &fields, &errors).await?;
    Ok((StatusCode::UNPROCESSABLE_ENTITY, page).into_response())
}
