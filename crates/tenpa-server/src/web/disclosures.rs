//! A consultant's private practice disclosures (PRV-2, D 3.6-3.7): the status (a warning when the
//! latest disclosure is missing or more than 12 months old), the disclosures on record, and a form
//! to record one (the consultant, their clinical director, the medical director or medical
//! staffing). The page calls the function behind the JSON API
//! ([`crate::service::disclosures::record`]), so it allows exactly what the API allows.

use super::awards::lower_first;
use super::fields::{entered, field_error, Field, Pairs};
use super::objectives::{query, visible_consultant};
use super::page::{
    csrf_field, layout_back, see_other, sentence, urlencode, Form, PageResult, WebUser,
};
use crate::policy::job_plan_scope;
use crate::service::disclosures::{record, status_of, NewDisclosure};
use crate::web::components::{
    day, error_message, error_of, error_summary, group_class, long_date, success_banner, HtmlTable,
};
use crate::AppState;
use axum::extract::{Path, RawQuery, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use maud::{html, Markup};
use tenpa_store::ConsultantRecord;

async fn page(
    state: &AppState,
    u: &WebUser,
    c: &ConsultantRecord,
    banner: Option<Markup>,
    fields: &Pairs,
    errors: &Pairs,
) -> PageResult<Markup> {
    let status = status_of(state, &c.id, crate::uk_time::today()).await?;
    let all = state
        .store
        .disclosures(&job_plan_scope(&u.user), Some(&c.id))
        .await?;
    let own = u.user.consultant_id.as_deref() == Some(c.id.as_str());
    let id = urlencode(&c.id);
    let title = if own {
        "Your private practice disclosures".to_string()
    } else {
        format!("Private practice disclosures: {}", c.name)
    };
    let back = format!("/objectives?consultant={id}");
    let today = crate::uk_time::today().to_string();
    let date = match entered(fields, "disclosure-disclosed_on") {
        "" if errors.is_empty() => today.as_str(),
        d => d,
    };
    let commitments_error = error_of(errors, "disclosure-commitments");
    let body = html! {
        @if let Some(b) = banner { (b) }
        (error_summary(errors))
        h1 class="nhsuk-heading-l" { (title) }
        p class="nhsuk-body" { "A consultant discloses their private practice, or that they have none, at least once a year (PRV-2, D 3.6-3.7). A disclosure within the last 12 months is one of the criteria for pay progression (PP-1)." }
        div id="status" {
            @if status.findings.is_empty() {
                @if let Some(latest) = &status.latest {
                    div class="nhsuk-inset-text" {
                        span class="nhsuk-u-visually-hidden" { "Information: " }
                        p { "The latest disclosure, on " (day(latest.disclosed_on)) ", is within the last 12 months (PRV-2)." }
                    }
                }
            } @else {
                div class="nhsuk-warning-callout" {
                    h2 class="nhsuk-warning-callout__label" { span role="text" { span class="nhsuk-u-visually-hidden" { "Important: " } "Disclosure due" } }
                    @for f in &status.findings {
                        p { (sentence(&f.message)) " (" (f.rule) ", " (f.citation) ")" }
                    }
                }
            }
        }
        @if all.is_empty() {
            p class="nhsuk-body" id="no-disclosures" { "No disclosures are on record." }
        } @else {
            (HtmlTable::new("Disclosures, newest first")
                .id("disclosures")
                .columns(&["Disclosed on", "Private commitments", "Recorded"])
                .rows_with_ids(all.iter().map(|d| {
                    (format!("disclosure-{}", d.id), vec![
                        html! { (day(d.disclosed_on)) },
                        html! { (d.commitments) },
                        html! { (long_date(&d.created_at)) " by " (d.created_by) },
                    ])
                })))
        }
        @if crate::policy::may_edit(&u.user, &c.id, c.department_id) {
            h2 class="nhsuk-heading-m" id="record" { "Record a disclosure" }
            form method="post" action=(format!("/consultants/{id}/private-practice")) novalidate {
                (csrf_field(u))
                (Field::new("disclosure-disclosed_on", "Disclosed on", "The date of the disclosure, not in the future. For example, 2027-04-01.").input("date", date, errors))
                div class=(group_class(commitments_error)) {
                    label class="nhsuk-label" for="disclosure-commitments" { "Private commitments" }
                    div class="nhsuk-hint" id="disclosure-commitments-hint" { "The private practice and other commitments disclosed: what, when and where. Write \"None\" when there are none." }
                    (error_message("disclosure-commitments", commitments_error))
                    textarea class=(if commitments_error.is_some() { "nhsuk-textarea nhsuk-textarea--error" } else { "nhsuk-textarea" }) id="disclosure-commitments" name="disclosure-commitments" rows="3"
                        aria-describedby=(if commitments_error.is_some() { "disclosure-commitments-hint disclosure-commitments-error" } else { "disclosure-commitments-hint" }) {
                        (entered(fields, "disclosure-commitments"))
                    }
                }
                button class="nhsuk-button" type="submit" { "Record the disclosure" }
            }
        }
        p class="nhsuk-body" { a href=(back) { "See the objectives and reviews" } }
    };
    Ok(layout_back(
        u,
        &if errors.is_empty() {
            title.clone()
        } else {
            format!("Error: {title}")
        },
        (&back, "Back to objectives and reviews"),
        body,
    ))
}

/// `GET /consultants/{id}/private-practice`.
pub async fn show(
    State(state): State<AppState>,
    Path(id): Path<String>,
    u: WebUser,
    RawQuery(q): RawQuery,
) -> PageResult<Markup> {
    let c = visible_consultant(&state, &u, &id).await?;
    let banner = match query(q).get("done") {
        "recorded" => Some(success_banner(
            "The disclosure has been recorded.",
            html! {},
        )),
        _ => None,
    };
    page(&state, &u, &c, banner, &[], &[]).await
}

/// `POST /consultants/{id}/private-practice`: records the disclosure.
pub async fn create(
    State(state): State<AppState>,
    Path(id): Path<String>,
    Form(u, f): Form,
) -> PageResult<Response> {
    let c = visible_consultant(&state, &u, &id).await?;
    let body = NewDisclosure {
        consultant_id: c.id.clone(),
        disclosed_on: f.get("disclosure-disclosed_on").to_string(),
        commitments: f.get("disclosure-commitments").to_string(),
    };
    match record(&state, &u.user, body).await {
        Ok(_) => Ok(see_other(&format!(
            "/consultants/{}/private-practice?done=recorded#status",
            urlencode(&c.id)
        ))),
        Err(e) => {
            let (field, message) = field_error(e, "disclosure-", "commitments")?;
            let label = if field == "disclosure-disclosed_on" {
                "Disclosed on"
            } else {
                "Private commitments"
            };
            let error = (
                field,
                sentence(&format!("{label}: {}", lower_first(&message))),
            );
            let fields: Vec<(String, String)> = f.kept();
            let page = page(&state, &u, &c, None, &fields, &[error]).await?;
            Ok((StatusCode::UNPROCESSABLE_ENTITY, page).into_response())
        }
    }
}
