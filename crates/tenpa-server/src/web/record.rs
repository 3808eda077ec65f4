//! A consultant record's page (an administrator or medical staffing): every field the trust keeps,
//! edited with the record's version so that a change someone else saved first is never lost, on
//! the operation the API shares ([`crate::service::organisation::edit_consultant_record`]).

use super::fields::{entered, field_error, Field, Pairs};
use super::objectives::query;
use super::page::{
    csrf_field, layout_back, see_other, urlencode, Form, PageResult, WebError, WebUser,
};
use crate::error::AppError;
use crate::service::organisation::{self as org, RecordEdit, RecordView};
use crate::web::components::{error_summary, success_banner};
use crate::AppState;
use axum::extract::{Path, RawQuery, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use maud::{html, Markup};

fn fields_of(r: &RecordView) -> Vec<(String, String)> {
    let date_text = |d: Option<chrono::NaiveDate>| d.map(|d| d.to_string()).unwrap_or_default();
    let pair = |k: &str, v: &str| (format!("record-{k}"), v.to_string());
    vec![
        pair("name", &r.name),
        pair("gmc_number", r.gmc_number.as_deref().unwrap_or("")),
        pair("department_id", &r.department_id.to_string()),
        pair("contracted_pas", r.contracted_pas.as_deref().unwrap_or("")),
        pair("first_appointed", &r.first_appointed.to_string()),
        pair("start_date", &date_text(r.start_date)),
        pair("transferred", &date_text(r.transferred)),
        pair("sex", r.sex.map_or("", |s| s.as_str())),
        pair(
            "lead_employer_id",
            &r.lead_employer_id
                .map(|e| e.to_string())
                .unwrap_or_default(),
        ),
        pair(
            "seniority_at_transfer",
            &r.seniority_at_transfer
                .map(|s| s.to_string())
                .unwrap_or_default(),
        ),
    ]
}

async fn page(
    state: &AppState,
    u: &WebUser,
    r: &RecordView,
    banner: Option<Markup>,
    fields: &Pairs,
    errors: &Pairs,
) -> PageResult<Markup> {
    let departments: Vec<(String, String)> = org::departments(&state.store)
        .await?
        .into_iter()
        .map(|d| (d.id.to_string(), d.name))
        .collect();
    let mut employers = vec![(String::new(), "The department's employer".to_string())];
    employers.extend(
        org::employers(&state.store)
            .await?
            .into_iter()
            .map(|e| (e.id.to_string(), e.name)),
    );
    let title = if errors.is_empty() {
        r.name.clone()
    } else {
        format!("Error: {}", r.name)
    };
    let body = html! {
        @if let Some(b) = banner { (b) }
        (error_summary(errors))
        span class="nhsuk-caption-l" { "Consultant record " (r.id) }
        h1 class="nhsuk-heading-l" { (r.name) }
        p class="nhsuk-body" {
            "Account: "
            @match &r.account {
                Some(a) => a href=(format!("/admin/accounts/{}", urlencode(a))) { (a) },
                None => "none",
            }
            @if crate::service::objectives::sees(&u.user, &r.id, r.department_id) {
                " · " a href=(format!("/consultants/{}/timeline", urlencode(&r.id))) { "Pay progression timeline" }
            }
        }
        form method="post" action=(format!("/admin/consultants/{}", urlencode(&r.id))) novalidate {
            (csrf_field(u))
            input type="hidden" name="version" value=(r.version);
            (Field::new("record-name", "Name", "").input("text", entered(fields, "record-name"), errors))
            (Field::new("record-gmc_number", "GMC reference number", "Seven digits.").input("text", entered(fields, "record-gmc_number"), errors))
            (Field::new("record-department_id", "Department", "").select(&departments, entered(fields, "record-department_id"), errors))
            @if employers.len() > 2 {
                (Field::new("record-lead_employer_id", "Lead employer", "Of a consultant employed by more than one NHS employer: its designated lead employer, with whom the one integrated job plan is agreed (JP-5).").select(&employers, entered(fields, "record-lead_employer_id"), errors))
            }
            (Field::new("record-contracted_pas", "Contracted PAs a week", "For example, 10 or 7.5.").input("text", entered(fields, "record-contracted_pas"), errors))
            (Field::new("record-first_appointed", "First appointment as a consultant", "It starts the first phase and the pay thresholds.").input("date", entered(fields, "record-first_appointed"), errors))
            (Field::new("record-start_date", "Start in the post (optional)", "").input("date", entered(fields, "record-start_date"), errors))
            (Field::new("record-transferred", "Transfer to the contract (optional)", "An existing consultant's move to the contract (TR-1).").input("date", entered(fields, "record-transferred"), errors))
            (Field::new("record-seniority_at_transfer", "Seniority at transfer (optional)", "Years on the old scale when they transferred.").input("text", entered(fields, "record-seniority_at_transfer"), errors))
            (Field::new("record-sex", "Sex (optional)", "As the staff record holds it. Used only to compare job plans across groups in the consistency report, where a group of fewer than five is never shown.").select(&sex_options(), entered(fields, "record-sex"), errors))
            button class="nhsuk-button" type="submit" { "Save the record" }
        }
    };
    Ok(layout_back(
        u,
        &title,
        ("/admin/consultants", "Consultant records"),
        body,
    ))
}

/// `GET /admin/consultants/{id}`.
pub async fn show(
    State(state): State<AppState>,
    u: WebUser,
    Path(id): Path<String>,
    RawQuery(q): RawQuery,
) -> PageResult<Markup> {
    if !crate::policy::may_keep_records(&u.user) {
        return Err(WebError::Forbidden(
            "only an administrator or medical staffing keeps the consultant records".into(),
        ));
    }
    let r = org::consultant_record(&state.store, &id).await?;
    let banner = (query(q).get("done") == "saved")
        .then(|| success_banner("The record has been saved.", html! {}));
    page(&state, &u, &r, banner, &fields_of(&r), &[]).await
}

fn sex_options() -> Vec<(String, String)> {
    [("", "Not recorded"), ("female", "Female"), ("male", "Male")]
        .iter()
        .map(|(v, l)| (v.to_string(), l.to_string()))
        .collect()
}

/// `POST /admin/consultants/{id}`: saves the record made on the form's version.
pub async fn save(
    State(state): State<AppState>,
    Path(id): Path<String>,
    Form(u, f): Form,
) -> PageResult<Response> {
    let optional = |k: &str| {
        let v = f.get(k);
        (!v.is_empty()).then(|| v.to_string())
    };
    let edit = RecordEdit {
        version: f.get("version").parse().unwrap_or(0),
        name: f.get("record-name").to_string(),
        gmc_number: optional("record-gmc_number"),
        department_id: f.get("record-department_id").parse().unwrap_or(0),
        contracted_pas: optional("record-contracted_pas"),
        first_appointed: f.get("record-first_appointed").to_string(),
        start_date: optional("record-start_date"),
        transferred: optional("record-transferred"),
        seniority_at_transfer: None,
        lead_employer_id: f.get("record-lead_employer_id").parse().ok(),
        sex: optional("record-sex"),
    };
    let seniority = f.get("record-seniority_at_transfer");
    let edit = match seniority.parse::<i64>() {
        Ok(s) => RecordEdit {
            seniority_at_transfer: Some(s),
            ..edit
        },
        Err(_) if seniority.is_empty() => edit,
        Err(_) => {
            let r = org::consultant_record(&state.store, &id).await?;
            let errors = vec![(
                "record-seniority_at_transfer".to_string(),
                "Enter the years as a whole number, like 12.".to_string(),
            )];
            let fields: Vec<(String, String)> = f.kept();
            let page = page(&state, &u, &r, None, &fields, &errors).await?;
            return Ok((StatusCode::UNPROCESSABLE_ENTITY, page).into_response());
        }
    };
    match org::edit_consultant_record(&state.store, &u.user, &id, &edit).await {
        Ok(r) => Ok(see_other(&format!(
            "/admin/consultants/{}?done=saved",
            urlencode(&r.id)
        ))),
        Err(AppError::Conflict { detail, .. }) => {
            // Someone saved first: the record as it now is, what was typed kept, the conflict said.
            let r = org::consultant_record(&state.store, &id).await?;
            let errors = vec![("record-name".to_string(), super::page::sentence(&detail))];
            let fields: Vec<(String, String)> = f.kept();
            let page = page(&state, &u, &r, None, &fields, &errors).await?;
            Ok((StatusCode::CONFLICT, page).into_response())
        }
        Err(e) => {
            let error = field_error(e, "record-", "name")?;
            let r = org::consultant_record(&state.store, &id).await?;
            let fields: Vec<(String, String)> = f.kept();
            let page = page(&state, &u, &r, None, &fields, &[error]).await?;
            Ok((StatusCode::UNPROCESSABLE_ENTITY, page).into_response())
        }
    }
}
