//! Extra PAs offered to a consultant (PP-4, PP-5): the form to make an offer (their clinical
//! director, the medical director or medical staffing; never to themselves), each offer with its
//! PP-5 findings, the form to
//! answer it (the consultant while it awaits an answer; their clinical director, the medical
//! director or medical staffing to record or correct one) and the form to end accepted extra PAs
//! with the notice given.
//!
//! The forms go through [`crate::service::extra_pa_offers::create_offer`],
//! [`crate::service::extra_pa_offers::record_response`] and
//! [`crate::service::extra_pa_offers::record_termination`], the functions behind the JSON API, so the
//! pages allow exactly what the API allows.
//!
//! One file per part: `respond` (answering an offer or ending its extra PAs) and `new` (making an
//! offer); a consultant's offers page and its pieces of markup are here.

mod new;
mod respond;

pub use self::new::{create, new};
pub use self::respond::submit;

use super::objectives::{chosen_consultant, query};
use super::page::{csrf_field, layout_back, sentence, urlencode, PageResult, WebUser};
use crate::policy::{is_offered_to as is_own, may_offer_extra_pas as may_manage};
use crate::service::extra_pa_offers::{read_offer, view, OfferView};
use crate::web::components::{
    error_message, error_of, error_summary, group_class, long_date, success_banner, summary_row,
    summary_rows,
};
use crate::AppState;
use axum::extract::{RawQuery, State};
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
                (summary_rows(html! {
                    (summary_row("Offered on", html! { (long_date(&offer.offered_on.to_string())) @if !offer.at_annual_review { " (not at the annual review)" } }))
                    (summary_row("Basis", html! { @if offer.basis == OfferBasis::Fixed { "Fixed sessions" } @else { "Annualised" } }))
                    (summary_row("Answer", html! {
                        @if !answered { strong class="nhsuk-tag nhsuk-tag--yellow" { "Awaiting an answer" } }
                        @else if offer.response == OfferResponse::Accepted { "Accepted on " (long_date(&offer.responded_on.to_string())) }
                        @else { "Declined on " (long_date(&offer.responded_on.to_string())) }
                    }))
                    @if let (Some(end), Some(notice)) = (offer.terminated_on, offer.termination_notice_given_on) {
                        (summary_row("Terminated", html! { "On " (long_date(&end.to_string())) ", notice given on " (long_date(&notice.to_string())) }))
                    }
                    (summary_row("Recorded by", html! { (o.record.created_by) }))
                }))
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
