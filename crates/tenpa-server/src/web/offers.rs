//! Extra PAs offered to a consultant (PP-4, PP-5): the form to make an offer (their clinical
//! director, the medical director or medical staffing; never to themselves), each offer with its
//! PP-5 findings, the form to
//! answer it (the consultant while it awaits an answer; their clinical director, the medical
//! director or medical staffing to record or correct one) and the form to end accepted extra PAs
//! with the notice given.
//!
//! The forms go through [`crate::api::extra_pa_offers::create_offer`],
//! [`crate::api::extra_pa_offers::record_response`] and
//! [`crate::api::extra_pa_offers::record_termination`], the functions behind the JSON API, so the
//! pages allow exactly what the API allows.

use super::fields::{entered, field_error, Field, Pairs};
use super::objectives::{
    chosen_consultant, error_message, error_of, group_class, long_date, query, success_banner,
    visible_consultant,
};
use super::page::FormData;
use super::page::{
    csrf_field, error_summary, layout_back, see_other, sentence, urlencode, Form, PageResult,
    WebError, WebUser,
};
use crate::api::extra_pa_offers::{
    create_offer, load, read_offer, record_response, record_termination, view, NewOffer,
    NewResponse, NewTermination, OfferView,
};
use crate::error::AppError;
use crate::policy::{is_offered_to as is_own, may_offer_extra_pas as may_manage};
use crate::AppState;
use axum::extract::{Path, RawQuery, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use chrono::NaiveDate;
use maud::{html, Markup};
use tenpa_rules::finding::Severity;
use tenpa_rules::plan::{OfferBasis, OfferResponse};
use tenpa_store::{ConsultantRecord, Scope};

/// What was entered in one offer's form, with its errors.
#[derive(Default)]
struct Entered {
    offer: Option<i64>,
    fields: Vec<(String, String)>,
    errors: Vec<(String, String)>,
}

impl Entered {
    fn get(&self, offer: i64, name: &str) -> &str {
        if self.offer != Some(offer) {
            return "";
        }
        self.fields
            .iter()
            .find(|(k, _)| k == name)
            .map_or("", |(_, v)| v.as_str())
    }
}

/// `GET /extra-pa-offers[?consultant=ID]`.
pub async fn show(
    State(state): State<AppState>,
    u: WebUser,
    RawQuery(q): RawQuery,
) -> PageResult<Markup> {
    let q = query(q);
    let c = match chosen_consultant(
        &state,
        &u,
        &q,
        ("/extra-pa-offers", "Extra PAs offered"),
        "There are no consultants whose offers you may see.",
        "Choose a consultant to see the extra PAs offered to them.",
    )
    .await?
    {
        Ok(c) => c,
        Err(choose) => return Ok(choose),
    };
    let banner = match q.get("done") {
        "response" => Some(success_banner("The answer has been recorded.", html! {})),
        "termination" => Some(success_banner(
            "The termination has been recorded.",
            html! {},
        )),
        "offered" => Some(success_banner("The offer has been recorded.", html! {})),
        _ => None,
    };
    page(&state, &u, &c, banner, &Entered::default()).await
}

async fn page(
    state: &AppState,
    u: &WebUser,
    c: &ConsultantRecord,
    banner: Option<Markup>,
    e: &Entered,
) -> PageResult<Markup> {
    let offers: Vec<OfferView> = state
        .store
        .extra_pa_offers(&Scope::Consultant(c.id.clone()), None)
        .await?
        .into_iter()
        .map(|r| view(r, &state.params))
        .collect();
    let own = u.user.consultant_id.as_deref() == Some(c.id.as_str());
    let title = if own {
        "Extra PAs offered to you".to_string()
    } else {
        format!("Extra PAs offered: {}", c.name)
    };
    let back = format!("/objectives?consultant={}", urlencode(&c.id));
    let body = html! {
        @if let Some(b) = banner { (b) }
        (error_summary(&e.errors))
        h1 class="nhsuk-heading-l" { (title) }
        p class="nhsuk-body" { "Extra PAs are offered at the annual job plan review where possible, at least 3 months before the work starts (6 where external commitments must be rescheduled), and equally to all clinically appropriate consultants; ending them needs 3 months' notice (PP-5, F 6(c)). Declining a correct offer and then doing remunerated clinical work outside the NHS contract makes the year unsatisfactory for pay progression (PP-4, F 6(c)-(d))." }
        @if may_manage(&u.user, &c.id, c.department_id) {
            a class="nhsuk-button" href=(format!("/extra-pa-offers/new?consultant={}", urlencode(&c.id))) id="new-offer" { "Offer extra PAs" }
        }
        @if offers.is_empty() {
            p class="nhsuk-body" { "No extra PAs have been offered." }
        }
        @for o in &offers {
            (offer_card(u, c, o, e))
        }
        p class="nhsuk-body" { a href=(back) { "See the objectives and reviews" } }
    };
    Ok(layout_back(
        u,
        &if e.errors.is_empty() {
            title.clone()
        } else {
            format!("Error: {title}")
        },
        (&back, "Back to objectives and reviews"),
        body,
    ))
}

fn row(key: &str, value: Markup) -> Markup {
    html! {
        div class="nhsuk-summary-list__row" {
            dt class="nhsuk-summary-list__key" { (key) }
            dd class="nhsuk-summary-list__value" { (value) }
        }
    }
}

/// A date as three NHS date inputs named `{name}-day`, `-month`, `-year`, ids prefixed `prefix`.
fn date_input(
    prefix: &str,
    name: &str,
    legend: &str,
    hint: &str,
    e: &Entered,
    offer: i64,
) -> Markup {
    let id = format!("{prefix}-{name}");
    let err = if e.offer == Some(offer) {
        error_of(&e.errors, &format!("{id}-day"))
    } else {
        None
    };
    let class = |w: &str| {
        if err.is_some() {
            format!("nhsuk-input nhsuk-input--width-{w} nhsuk-date-input__input nhsuk-input--error")
        } else {
            format!("nhsuk-input nhsuk-input--width-{w} nhsuk-date-input__input")
        }
    };
    html! {
        div class=(group_class(err)) {
            fieldset class="nhsuk-fieldset" role="group" aria-describedby=(if err.is_some() { format!("{id}-hint {id}-error") } else { format!("{id}-hint") }) {
                legend class="nhsuk-fieldset__legend nhsuk-fieldset__legend--s" { (legend) }
                div class="nhsuk-hint" id=(format!("{id}-hint")) { (hint) }
                (error_message(&id, err))
                div class="nhsuk-date-input" id=(id) {
                    @for (part, label, w) in [("day", "Day", "2"), ("month", "Month", "2"), ("year", "Year", "4")] {
                        div class="nhsuk-date-input__item" { div class="nhsuk-form-group" {
                            label class="nhsuk-label nhsuk-date-input__label" for=(format!("{id}-{part}")) { (label) }
                            input class=(class(w)) id=(format!("{id}-{part}")) name=(format!("{name}-{part}")) type="text" inputmode="numeric" value=(e.get(offer, &format!("{name}-{part}")));
                        } }
                    }
                }
            }
        }
    }
}

fn offer_card(u: &WebUser, c: &ConsultantRecord, o: &OfferView, e: &Entered) -> Markup {
    let id = o.record.id;
    let Ok((offer, answered)) = read_offer(&o.record.offer) else {
        return html! { p class="nhsuk-body" { "Offer " (id) " cannot be read." } };
    };
    let manager = may_manage(&u.user, &c.id, c.department_id);
    let may_answer =
        offer.terminated_on.is_none() && (manager || (is_own(&u.user, &c.id) && !answered));
    let may_end = manager
        && answered
        && offer.response == OfferResponse::Accepted
        && offer.terminated_on.is_none();
    let prefix = format!("offer-{id}");
    let response_err = if e.offer == Some(id) {
        error_of(&e.errors, &format!("{prefix}-response"))
    } else {
        None
    };
    let chosen = e.get(id, "response");
    html! {
        div class="nhsuk-card" id=(prefix) {
            div class="nhsuk-card__content" {
                h2 class="nhsuk-card__heading nhsuk-heading-m" { (offer.pas) " extra PA" @if offer.pas != rust_decimal::Decimal::ONE { "s" } " a week from " (long_date(&offer.starts_on.to_string())) }
                dl class="nhsuk-summary-list" {
                    (row("Offered on", html! { (long_date(&offer.offered_on.to_string())) @if !offer.at_annual_review { " (not at the annual review)" } }))
                    (row("Basis", html! { @if offer.basis == OfferBasis::Fixed { "Fixed sessions" } @else { "Annualised" } }))
                    (row("Answer", html! {
                        @if !answered { strong class="nhsuk-tag nhsuk-tag--yellow" { "Awaiting an answer" } }
                        @else if offer.response == OfferResponse::Accepted { "Accepted on " (long_date(&offer.responded_on.to_string())) }
                        @else { "Declined on " (long_date(&offer.responded_on.to_string())) }
                    }))
                    @if let (Some(end), Some(notice)) = (offer.terminated_on, offer.termination_notice_given_on) {
                        (row("Terminated", html! { "On " (long_date(&end.to_string())) ", notice given on " (long_date(&notice.to_string())) }))
                    }
                    (row("Recorded by", html! { (o.record.created_by) }))
                }
                @for f in &o.findings {
                    @if f.severity == Severity::Warning {
                        div class="nhsuk-warning-callout" {
                            h3 class="nhsuk-warning-callout__label" { span role="text" { span class="nhsuk-u-visually-hidden" { "Important: " } (f.rule) " warning" } }
                            p { (sentence(&f.message)) }
                        }
                    } @else {
                        div class="nhsuk-inset-text" { span class="nhsuk-u-visually-hidden" { "Information: " } p { (f.rule) ": " (sentence(&f.message)) } }
                    }
                }
                @if may_answer {
                    form method="post" action=(format!("/extra-pa-offers/{id}")) novalidate {
                        (csrf_field(u))
                        input type="hidden" name="action" value="response";
                        input type="hidden" name="version" value=(o.record.version);
                        div class=(group_class(response_err)) {
                            fieldset class="nhsuk-fieldset" {
                                legend class="nhsuk-fieldset__legend nhsuk-fieldset__legend--s" { @if answered { "Correct the answer" } @else { "Answer the offer" } }
                                (error_message(&format!("{prefix}-response"), response_err))
                                div class="nhsuk-radios nhsuk-radios--inline" data-module="nhsuk-radios" {
                                    div class="nhsuk-radios__item" {
                                        input class="nhsuk-radios__input" id=(format!("{prefix}-response")) name="response" type="radio" value="accepted" checked[chosen == "accepted"];
                                        label class="nhsuk-label nhsuk-radios__label" for=(format!("{prefix}-response")) { "Accept" }
                                    }
                                    div class="nhsuk-radios__item" {
                                        input class="nhsuk-radios__input" id=(format!("{prefix}-response-2")) name="response" type="radio" value="declined" checked[chosen == "declined"];
                                        label class="nhsuk-label nhsuk-radios__label" for=(format!("{prefix}-response-2")) { "Decline" }
                                    }
                                }
                            }
                        }
                        (date_input(&prefix, "responded_on", "When was the offer answered?", "For example 17 3 2025. Not before the offer was made.", e, id))
                        button class="nhsuk-button" type="submit" { "Record the answer" }
                    }
                }
                @if may_end {
                    form method="post" action=(format!("/extra-pa-offers/{id}")) novalidate {
                        (csrf_field(u))
                        input type="hidden" name="action" value="termination";
                        input type="hidden" name="version" value=(o.record.version);
                        (date_input(&prefix, "terminated_on", "When do the extra PAs end?", "The last day of the extra PAs, on or after they started.", e, id))
                        (date_input(&prefix, "termination_notice_given_on", "When was notice given?", "Ending extra PAs needs 3 months' notice (PP-5); less is recorded with a warning.", e, id))
                        button class="nhsuk-button nhsuk-button--secondary" type="submit" { "Record the termination" }
                    }
                }
            }
        }
    }
}

/// A date from the form's `{name}-day`, `-month`, `-year`, as YYYY-MM-DD, or the error.
fn read_date(f: &super::page::FormData, name: &str, what: &str) -> Result<String, String> {
    let (d, m, y) = (
        f.get(&format!("{name}-day")),
        f.get(&format!("{name}-month")),
        f.get(&format!("{name}-year")),
    );
    if d.is_empty() && m.is_empty() && y.is_empty() {
        return Err(format!("Enter {what}"));
    }
    match (d.parse::<u32>(), m.parse::<u32>(), y.parse::<i32>()) {
        (Ok(d), Ok(m), Ok(y)) if (1990..=2200).contains(&y) => NaiveDate::from_ymd_opt(y, m, d)
            .map(|d| d.to_string())
            .ok_or_else(|| format!("{} must be a real date", sentence_start(what))),
        _ => Err(format!(
            "{} must be a real date, for example 17 3 2025",
            sentence_start(what)
        )),
    }
}

fn sentence_start(s: &str) -> String {
    let mut out = s.to_string();
    if let Some(first) = out.chars().next() {
        out.replace_range(..first.len_utf8(), &first.to_uppercase().to_string());
    }
    out
}

/// `POST /extra-pa-offers/{id}`: an answer or a termination.
pub async fn submit(
    State(state): State<AppState>,
    Path(id): Path<i64>,
    Form(u, f): Form,
) -> PageResult<Response> {
    let record = load(&state, &u.user, id).await?;
    let c = visible_consultant(&state, &u, &record.consultant_id).await?;
    let version: i64 = f.get("version").parse().map_err(|_| {
        WebError::BadRequest(
            "the form does not say which version of the offer it is for: reload the page".into(),
        )
    })?;
    let action = f.get("action").to_string();
    let prefix = format!("offer-{id}");
    let mut e = Entered {
        offer: Some(id),
        fields: f.0.clone(),
        errors: vec![],
    };
    let result = match action.as_str() {
        "response" => {
            let response = f.get("response");
            if !matches!(response, "accepted" | "declined") {
                e.errors.push((
                    format!("{prefix}-response"),
                    "Select accept or decline".into(),
                ));
            }
            let on = read_date(&f, "responded_on", "the date the offer was answered");
            if let Err(m) = &on {
                e.errors
                    .push((format!("{prefix}-responded_on-day"), m.clone()));
            }
            match on {
                Ok(on) if e.errors.is_empty() => Some(
                    record_response(
                        &state,
                        &u.user,
                        id,
                        NewResponse {
                            version,
                            response: response.to_string(),
                            responded_on: on,
                        },
                    )
                    .await,
                ),
                _ => None,
            }
        }
        "termination" => {
            let end = read_date(&f, "terminated_on", "the date the extra PAs end");
            let notice = read_date(
                &f,
                "termination_notice_given_on",
                "the date notice was given",
            );
            for (name, r) in [
                ("terminated_on", &end),
                ("termination_notice_given_on", &notice),
            ] {
                if let Err(m) = r {
                    e.errors.push((format!("{prefix}-{name}-day"), m.clone()));
                }
            }
            match (end, notice) {
                (Ok(end), Ok(notice)) => Some(
                    record_termination(
                        &state,
                        &u.user,
                        id,
                        NewTermination {
                            version,
                            terminated_on: end,
                            termination_notice_given_on: notice,
                        },
                    )
                    .await,
                ),
                _ => None,
            }
        }
        _ => {
            return Err(WebError::BadRequest(
                "the form does not say what to record: reload the page".into(),
            ))
        }
    };
    match result {
        Some(Ok(_)) => {
            return Ok(see_other(&format!(
                "/extra-pa-offers?consultant={}&done={action}#{prefix}",
                urlencode(&c.id)
            )))
        }
        Some(Err(AppError::Unprocessable { detail, field })) => {
            let field = match field.as_deref() {
                Some("response") => format!("{prefix}-response"),
                Some(name) => format!("{prefix}-{name}-day"),
                None => format!(
                    "{prefix}-{}",
                    if action == "response" {
                        "response"
                    } else {
                        "terminated_on-day"
                    }
                ),
            };
            let message = detail
                .split_once(": ")
                .map_or(detail.as_str(), |(_, m)| m)
                .to_string();
            e.errors.push((field, sentence(&message)));
        }
        Some(Err(other)) => return Err(WebError::from(other)),
        None => {}
    }
    let page = page(&state, &u, &c, None, &e).await?;
    Ok((StatusCode::UNPROCESSABLE_ENTITY, page).into_response())
}

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
            crate::api::rota_plans::today(),
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
