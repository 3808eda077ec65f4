//! Recording a primary care trust's professional executive committee (an admin or a medical
//! director): its committee document — the one `tenpa pec check` reads, in TOML or JSON — entered
//! on a page, read with the errors by line, column and field, stored on the path the API uses
//! ([`crate::service::pecs::store_pec`]) and checked (PEC-1 … PEC-4).

use super::fields::Pairs;
use super::objectives::query;
use super::page::{csrf_field, layout_back, see_other, Form, PageResult, WebError, WebUser};
use crate::policy::may_record_pecs as may_record;
use crate::service::pecs::{all, store_pec};
use crate::web::components::{error_message, error_of, error_summary, group_class};
use crate::AppState;
use axum::extract::{RawQuery, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use maud::{html, Markup};
use tenpa_rules::pec::parse_pec;

/// The start of a committee document, shown as the field's hint.
const EXAMPLE: &str = "[pct]\nname = \"Northshire Primary Care Trust\"\nsha = \"North East Strategic Health Authority\"\nimplemented_on = \"2007-09-03\"\ncommissioning_role = \"Leads the practice-based commissioning group\"\n\n[[member]]\nname = \"Dr Helen Carter\"\nrole = \"PEC chair\"\nprofession = \"gp\"\nchair = true\ncompetencies = [\"clinical leadership\", \"chairing\"]\njob_description = \"PEC chair, 2007\"\nappointed = \"2007-07-01\"\nterm_years = 3\n";

fn recorder(u: &WebUser) -> PageResult<()> {
    if may_record(&u.user) {
        Ok(())
    } else {
        Err(WebError::Forbidden(
            "a committee is recorded by an admin or a medical director".into(),
        ))
    }
}

fn page(u: &WebUser, text: &str, errors: &Pairs) -> Markup {
    let error = error_of(errors, "pec-document");
    let title = if errors.is_empty() {
        "Record a committee"
    } else {
        "Error: Record a committee"
    };
    let body = html! {
        (error_summary(errors))
        h1 class="nhsuk-heading-l" { "Record a committee" }
        p class="nhsuk-body" { "A primary care trust's professional executive committee as a committee document: the trust (" code { "[pct]" } ") and each member (" code { "[[member]]" } ": role, profession, whether they sit as a clinician, the competencies and job description they were appointed against, when and for how long). Storing it replaces the trust's previous committee; it is then checked against " a href="/rules/PEC-1" { "PEC-1" } " to " a href="/rules/PEC-4" { "PEC-4" } "." }
        form method="post" action="/pecs/new" novalidate {
            (csrf_field(u))
            div class=(group_class(error)) {
                label class="nhsuk-label" for="pec-document" { "The committee document (TOML or JSON)" }
                div class="nhsuk-hint" id="pec-document-hint" { "It begins like this:" pre { (EXAMPLE) } }
                (error_message("pec-document", error))
                textarea class=(if error.is_some() { "nhsuk-textarea nhsuk-textarea--error" } else { "nhsuk-textarea" }) id="pec-document" name="pec-document" rows="24" spellcheck="false" aria-describedby="pec-document-hint" { (text) }
            }
            button class="nhsuk-button" type="submit" { "Check and store the committee" }
        }
    };
    layout_back(u, title, ("/pecs", "Committees"), body)
}

/// `GET /pecs/new`; `?pct=` starts from that trust's stored committee.
pub async fn show(
    State(state): State<AppState>,
    u: WebUser,
    RawQuery(q): RawQuery,
) -> PageResult<Markup> {
    recorder(&u)?;
    let q = query(q);
    let pct = q.get("pct");
    let text = if pct.is_empty() {
        String::new()
    } else {
        all(&state)
            .await?
            .into_iter()
            .find(|p| p.document.pct.name == pct)
            .and_then(|p| toml::to_string(&p.document).ok())
            .unwrap_or_default()
    };
    Ok(page(&u, &text, &[]))
}

/// `POST /pecs/new`: reads, stores and checks the committee.
pub async fn submit(State(state): State<AppState>, Form(u, f): Form) -> PageResult<Response> {
    recorder(&u)?;
    let text =
        f.0.iter()
            .find(|(k, _)| k == "pec-document")
            .map_or("", |(_, v)| v.as_str());
    let refuse = |message: String| {
        let errors = vec![("pec-document".to_string(), message)];
        (StatusCode::UNPROCESSABLE_ENTITY, page(&u, text, &errors)).into_response()
    };
    if text.trim().is_empty() {
        return Ok(refuse("Enter the committee document.".into()));
    }
    let toml = !text.trim_start().starts_with('{');
    let doc = match parse_pec("the committee document", text.as_bytes(), toml) {
        Ok(doc) => doc,
        Err(e) => {
            return Ok(refuse(format!(
                "Line {}, column {}, {}: {}",
                e.line, e.column, e.field, e.message
            )))
        }
    };
    match store_pec(&state, &u.user, doc).await {
        Ok(p) => Ok(see_other(&format!("/pecs#pec-{}", p.id))),
        Err(e @ crate::error::AppError::Unprocessable { .. }) => Ok(refuse(super::page::sentence(
            &e.client_detail().unwrap_or_default(),
        ))),
        Err(e) => Err(e.into()),
    }
}
