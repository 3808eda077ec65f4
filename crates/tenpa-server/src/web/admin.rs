//! Setting up and keeping the trust: the set-up page (what is there, what to do next), the
//! employers and departments, and the consultant records. The pages call the checked operations
//! the API and the command share ([`crate::service::organisation`]), so they allow what those allow.

use super::fields::{entered, field_error, Field, Pairs};
use super::objectives::query;
use super::page::{csrf_field, layout, see_other, Form, PageResult, WebError, WebUser};
use crate::error::AppError;
use crate::service::organisation::{
    self as org, DepartmentEdit, NewDepartment, NewEmployer, KINDS, NATIONS,
};
use crate::web::components::{
    error_summary, success_banner, summary_row_action, summary_rows_id, HtmlTable,
};
use crate::AppState;
use axum::extract::{Path, RawQuery, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use maud::{html, Markup};

fn administrator(u: &WebUser) -> PageResult<()> {
    if crate::policy::may_administer(&u.user) {
        Ok(())
    } else {
        Err(WebError::Forbidden(
            "only an administrator keeps the trust's employers, departments and accounts".into(),
        ))
    }
}

fn record_keeper(u: &WebUser) -> PageResult<()> {
    if crate::policy::may_keep_records(&u.user) {
        Ok(())
    } else {
        Err(WebError::Forbidden(
            "only an administrator or medical staffing keeps the consultant records".into(),
        ))
    }
}

/// Whether the set-up pages are open to `u`.
pub fn may_open(u: &WebUser) -> bool {
    crate::policy::may_administer(&u.user) || crate::policy::may_keep_records(&u.user)
}

/// Words for an employer's kind.
pub fn kind_label(kind: &str) -> &'static str {
    match kind {
        "trust" => "NHS trust",
        "health_board" => "Health board",
        "pct" => "Primary care trust",
        _ => "Employer",
    }
}

/// Words for a nation.
pub fn nation_label(nation: &str) -> &'static str {
    match nation {
        "england" => "England",
        "wales" => "Wales",
        "scotland" => "Scotland",
        "northern_ireland" => "Northern Ireland",
        _ => "Unknown",
    }
}

/// `GET /admin`: what the trust holds and the next step of setting it up.
pub async fn index(State(state): State<AppState>, u: WebUser) -> PageResult<Markup> {
    if !may_open(&u) {
        return Err(WebError::Forbidden(
            "the set-up pages are for an administrator or medical staffing".into(),
        ));
    }
    let store = &state.store;
    let employers = store.employers().await?.len();
    let departments = store.departments().await?.len();
    let records = store.staff_records().await?.len();
    let accounts = store.accounts().await?.len();
    let admin = crate::policy::may_administer(&u.user);
    let next = if employers == 0 {
        ("/admin/organisation", "Add the trust as an employer")
    } else if departments == 0 {
        ("/admin/organisation", "Add the trust's departments")
    } else if records == 0 {
        (
            "/admin/import",
            "Bring in the consultant records from the staff record",
        )
    } else {
        (
            "/admin/accounts",
            "Give people accounts, linked to their records",
        )
    };
    let row = |href: &str, label: &str, count: usize, what: &str, open: bool| {
        summary_row_action(
            label,
            html! { (count) " " (what) },
            html! { @if open { a href=(href) { "Open" span class="nhsuk-u-visually-hidden" { " " (label) } } } },
        )
    };
    let body = html! {
        h1 class="nhsuk-heading-l" { "Set up the trust" }
        p class="nhsuk-body" { "A trust starts with its employer and departments, brings in its consultants from the staff record, and gives people accounts linked to their records. Every change here is recorded in the audit log." }
        div class="nhsuk-inset-text" id="next-step" {
            span class="nhsuk-u-visually-hidden" { "Next step: " }
            @if admin || next.0 == "/admin/import" {
                p { "Next: " a href=(next.0) { (next.1) } "." }
            } @else {
                p { "Next: " (next.1) " — an administrator does this." }
            }
        }
        (summary_rows_id("holdings", html! {
            (row("/admin/organisation", "Employers", employers, "employer(s)", admin))
            (row("/admin/organisation", "Departments", departments, "department(s)", admin))
            (row("/admin/consultants", "Consultant records", records, "record(s)", true))
            (row("/admin/accounts", "Accounts", accounts, "account(s)", admin))
        }))
        p class="nhsuk-body" { a href="/admin/import" { "Import consultant records from the staff record" } }
        @if admin {
            p class="nhsuk-body" { a href="/admin/boards" { "Boards and their directors" } " (board competency appraisal)" }
            p class="nhsuk-body" { a href="/admin/email" { "Email: the outbox of notifications" } }
        }
    };
    Ok(layout(&u, "Set up the trust", body))
}

async fn organisation_page(
    state: &AppState,
    u: &WebUser,
    banner: Option<Markup>,
    fields: &Pairs,
    errors: &Pairs,
) -> PageResult<Markup> {
    let employers = org::employers(&state.store).await?;
    let departments = org::departments(&state.store).await?;
    let employer_name = |id: i64| {
        employers
            .iter()
            .find(|e| e.id == id)
            .map_or(String::new(), |e| e.name.clone())
    };
    let kinds: Vec<(String, String)> = KINDS
        .iter()
        .map(|k| (k.to_string(), kind_label(k).to_string()))
        .collect();
    let nations: Vec<(String, String)> = NATIONS
        .iter()
        .map(|n| (n.to_string(), nation_label(n).to_string()))
        .collect();
    let employer_options: Vec<(String, String)> = employers
        .iter()
        .map(|e| (e.id.to_string(), e.name.clone()))
        .collect();
    let title = if errors.is_empty() {
        "Employers and departments"
    } else {
        "Error: Employers and departments"
    };
    let body = html! {
        @if let Some(b) = banner { (b) }
        (error_summary(errors))
        h1 class="nhsuk-heading-l" { "Employers and departments" }
        h2 class="nhsuk-heading-m" { "Employers" }
        @if employers.is_empty() {
            p class="nhsuk-body" { "No employer yet: add the trust first." }
        } @else {
            (HtmlTable::new("Employers")
                .hidden_caption()
                .id("employers")
                .columns(&["Name", "Kind", "Nation"])
                .rows_with_ids(employers.iter().map(|e| {
                    (format!("employer-{}", e.id), vec![
                        html! { (e.name) },
                        html! { (kind_label(&e.kind)) },
                        html! { (nation_label(&e.nation)) },
                    ])
                })))
        }
        details class="nhsuk-details" open[employers.is_empty() || entered(fields, "form") == "employer"] {
            summary class="nhsuk-details__summary" { span class="nhsuk-details__summary-text" { "Add an employer" } }
            div class="nhsuk-details__text" {
                form method="post" action="/admin/organisation" novalidate {
                    (csrf_field(u))
                    input type="hidden" name="form" value="employer";
                    (Field::new("employer-name", "Name", "As the trust is known, for example Northshire NHS Trust.").input("text", entered(fields, "employer-name"), errors))
                    (Field::new("employer-kind", "Kind", "").select(&kinds, entered(fields, "employer-kind"), errors))
                    (Field::new("employer-nation", "Nation", "Clinical excellence awards apply in England and Wales.").select(&nations, entered(fields, "employer-nation"), errors))
                    button class="nhsuk-button" type="submit" { "Add the employer" }
                }
            }
        }
        h2 class="nhsuk-heading-m" { "Departments" }
        @if departments.is_empty() {
            p class="nhsuk-body" { "No department yet." }
        } @else {
            (HtmlTable::new("Departments")
                .hidden_caption()
                .id("departments")
                .columns(&["Name", "Specialty", "Employer", "Id"])
                .rows_with_ids(departments.iter().map(|d| {
                    (format!("department-{}", d.id), vec![
                        html! { a href=(format!("/admin/departments/{}", d.id)) { (d.name) } },
                        html! { (d.specialty) },
                        html! { (employer_name(d.employer_id)) },
                        html! { (d.id) },
                    ])
                })))
        }
        @if !employers.is_empty() {
            details class="nhsuk-details" open[departments.is_empty() || entered(fields, "form") == "department"] {
                summary class="nhsuk-details__summary" { span class="nhsuk-details__summary-text" { "Add a department" } }
                div class="nhsuk-details__text" {
                    form method="post" action="/admin/organisation" novalidate {
                        (csrf_field(u))
                        input type="hidden" name="form" value="department";
                        (Field::new("department-name", "Name", "As the staff record names it: imports match departments by name.").input("text", entered(fields, "department-name"), errors))
                        (Field::new("department-specialty", "Specialty", "For example, General surgery.").input("text", entered(fields, "department-specialty"), errors))
                        (Field::new("department-employer_id", "Employer", "").select(&employer_options, entered(fields, "department-employer_id"), errors))
                        button class="nhsuk-button" type="submit" { "Add the department" }
                    }
                }
            }
        }
    };
    Ok(layout(u, title, body))
}

/// `GET /admin/organisation`.
pub async fn organisation(
    State(state): State<AppState>,
    u: WebUser,
    RawQuery(q): RawQuery,
) -> PageResult<Markup> {
    administrator(&u)?;
    let q = query(q);
    let banner = match q.get("added") {
        "employer" => Some(success_banner("The employer has been added.", html! {})),
        "department" => Some(success_banner("The department has been added.", html! {})),
        _ => None,
    };
    // The form just used stays open for the next one (a trust adds several departments).
    let fields = vec![("form".to_string(), q.get("added").to_string())];
    organisation_page(&state, &u, banner, &fields, &[]).await
}

/// `POST /admin/organisation`: adds an employer or a department.
pub async fn add_to_organisation(
    State(state): State<AppState>,
    Form(u, f): Form,
) -> PageResult<Response> {
    administrator(&u)?;
    let actor = &u.user.username;
    let result = match f.get("form") {
        "employer" => org::add_employer(
            &state.store,
            actor,
            &NewEmployer {
                name: f.get("employer-name").to_string(),
                kind: f.get("employer-kind").to_string(),
                nation: f.get("employer-nation").to_string(),
            },
        )
        .await
        .map(|e| format!("/admin/organisation?added=employer#employer-{}", e.id)),
        "department" => org::add_department(
            &state.store,
            actor,
            &NewDepartment {
                name: f.get("department-name").to_string(),
                employer_id: f.get("department-employer_id").parse().ok(),
                specialty: f.get("department-specialty").to_string(),
            },
        )
        .await
        .map(|d| format!("/admin/organisation?added=department#department-{}", d.id)),
        other => {
            return Err(WebError::BadRequest(format!(
                "form: found {other:?}, expected employer or department"
            )))
        }
    };
    match result {
        Ok(to) => Ok(see_other(&to)),
        Err(e) => {
            let error = field_error(e, &format!("{}-", f.get("form")), "name")?;
            let fields: Vec<(String, String)> = f.kept();
            let page = organisation_page(&state, &u, None, &fields, &[error]).await?;
            Ok((StatusCode::UNPROCESSABLE_ENTITY, page).into_response())
        }
    }
}

/// `GET /admin/consultants`: the consultant records, with their departments and accounts.
pub async fn consultants(State(state): State<AppState>, u: WebUser) -> PageResult<Markup> {
    record_keeper(&u)?;
    let records = org::consultant_records(&state.store).await?;
    let departments = org::departments(&state.store).await?;
    let department = |id: i64| {
        departments
            .iter()
            .find(|d| d.id == id)
            .map_or(String::new(), |d| d.name.clone())
    };
    let admin = crate::policy::may_administer(&u.user);
    let body = html! {
        h1 class="nhsuk-heading-l" { "Consultant records" }
        p class="nhsuk-body" { "The trust's consultants as its staff record holds them, keyed by assignment number. " a href="/admin/import" { "Import or update them from the staff record" } "." }
        @if records.is_empty() {
            p class="nhsuk-body" id="no-records" { "No consultant records yet." }
        } @else {
            (HtmlTable::new(html! { (records.len()) " consultant record(s)" })
                .id("consultant-records")
                .columns(&["Assignment number", "Name", "Department", "GMC number", "Contracted PAs", "First appointed", "Account"])
                .rows_with_ids(records.iter().map(|r| {
                    (format!("record-{}", r.id), vec![
                        html! { a href=(format!("/admin/consultants/{}", super::page::urlencode(&r.id))) { (r.id) span class="nhsuk-u-visually-hidden" { ": edit " (r.name) "'s record" } } },
                        html! {
                        @if crate::service::objectives::sees(&u.user, &r.id, r.department_id) {
                            a href=(format!("/consultants/{}/timeline", r.id)) { (r.name) }
                        } @else { (r.name) }
                    },
                        html! { (department(r.department_id)) },
                        html! { (r.gmc_number.as_deref().unwrap_or("")) },
                        html! { (r.contracted_pas.as_deref().unwrap_or("")) },
                        html! { (r.first_appointed) },
                        html! {
                        @match (&r.account, admin) {
                            (Some(a), true) => a href=(format!("/admin/accounts/{a}")) { (a) },
                            (Some(a), false) => (a),
                            (None, true) => a href=(format!("/admin/accounts?consultant_id={}", r.id)) { "Give an account" span class="nhsuk-u-visually-hidden" { " to " (r.name) } },
                            (None, false) => "None",
                        }
                    },
                    ])
                })))
        }
    };
    Ok(layout(&u, "Consultant records", body))
}

async fn department_page(
    state: &AppState,
    u: &WebUser,
    id: i64,
    banner: Option<Markup>,
    fields: Option<&Pairs>,
    errors: &Pairs,
) -> PageResult<Markup> {
    let d = org::department(&state.store, id).await?;
    let mut candidates = vec![(String::new(), "Choose an account".to_string())];
    candidates.extend(
        org::accounts(&state.store)
            .await?
            .into_iter()
            .filter(|a| a.disabled_at.is_none() && !d.clinical_directors.contains(&a.username))
            .map(|a| {
                let text = format!("{} ({})", a.display_name, a.username);
                (a.username, text)
            }),
    );
    let (name, specialty) = match fields {
        Some(f) if f.iter().any(|(k, _)| k == "department-name") => (
            entered(f, "department-name").to_string(),
            entered(f, "department-specialty").to_string(),
        ),
        _ => (d.name.clone(), d.specialty.clone()),
    };
    let title = if errors.is_empty() {
        d.name.clone()
    } else {
        format!("Error: {}", d.name)
    };
    let body = html! {
        @if let Some(b) = banner { (b) }
        (error_summary(errors))
        span class="nhsuk-caption-l" { "Department" }
        h1 class="nhsuk-heading-l" { (d.name) }
        p class="nhsuk-body" id="clinical-directors" {
            "Clinical director: "
            @if d.clinical_directors.is_empty() {
                "none yet."
            } @else {
                @for (i, cd) in d.clinical_directors.iter().enumerate() {
                    @if i > 0 { ", " }
                    a href=(format!("/admin/accounts/{}", super::page::urlencode(cd))) { (cd) }
                }
                " (to stand one down, untick the role on their account's page)."
            }
        }
        @if candidates.len() > 1 {
            form method="post" action=(format!("/admin/departments/{id}/clinical-director")) novalidate {
                (csrf_field(u))
                (Field::new("director-username", "Name a clinical director", "An enabled account: it is given the clinical director role and this department, keeping its other roles. A clinical director manages the department's consultants' plans, never their own.").select(&candidates, entered(fields.unwrap_or(&[]), "director-username"), errors))
                button class="nhsuk-button nhsuk-button--secondary" type="submit" { "Name the clinical director" }
            }
        }
        form method="post" action=(format!("/admin/departments/{id}")) novalidate {
            (csrf_field(u))
            input type="hidden" name="version" value=(d.version);
            (Field::new("department-name", "Name", "As the staff record names it: imports match departments by name.").input("text", &name, errors))
            (Field::new("department-specialty", "Specialty", "").input("text", &specialty, errors))
            button class="nhsuk-button" type="submit" { "Save the department" }
        }
    };
    Ok(super::page::layout_back(
        u,
        &title,
        ("/admin/organisation", "Employers and departments"),
        body,
    ))
}

/// `GET /admin/departments/{id}`.
pub async fn department(
    State(state): State<AppState>,
    u: WebUser,
    Path(id): Path<i64>,
    RawQuery(q): RawQuery,
) -> PageResult<Markup> {
    administrator(&u)?;
    let banner = match query(q).get("done") {
        "saved" => Some(success_banner("The department has been saved.", html! {})),
        "director" => Some(success_banner(
            "The clinical director has been named.",
            html! {},
        )),
        _ => None,
    };
    department_page(&state, &u, id, banner, None, &[]).await
}

/// `POST /admin/departments/{id}`: saves the name and specialty made on the form's version.
pub async fn save_department(
    State(state): State<AppState>,
    Path(id): Path<i64>,
    Form(u, f): Form,
) -> PageResult<Response> {
    administrator(&u)?;
    let edit = DepartmentEdit {
        version: f.get("version").parse().unwrap_or(0),
        name: f.get("department-name").to_string(),
        specialty: f.get("department-specialty").to_string(),
    };
    let fields: Vec<(String, String)> = f.kept();
    match org::edit_department(&state.store, &u.user, id, &edit).await {
        Ok(_) => Ok(see_other(&format!("/admin/departments/{id}?done=saved"))),
        Err(AppError::Conflict { detail, .. }) => {
            let errors = vec![(
                "department-name".to_string(),
                super::page::sentence(&detail),
            )];
            let page = department_page(&state, &u, id, None, Some(&fields), &errors).await?;
            Ok((StatusCode::CONFLICT, page).into_response())
        }
        Err(e) => {
            let error = field_error(e, "department-", "name")?;
            let page = department_page(&state, &u, id, None, Some(&fields), &[error]).await?;
            Ok((StatusCode::UNPROCESSABLE_ENTITY, page).into_response())
        }
    }
}

/// `POST /admin/departments/{id}/clinical-director`: names an enabled account a clinical
/// director of the department.
pub async fn name_clinical_director(
    State(state): State<AppState>,
    Path(id): Path<i64>,
    Form(u, f): Form,
) -> PageResult<Response> {
    administrator(&u)?;
    org::department(&state.store, id).await?;
    let username = f.get("director-username");
    let result = if username.is_empty() {
        Err(AppError::unprocessable_at(
            "username",
            "expected an account to name".into(),
        ))
    } else {
        org::name_clinical_director(&state.store, &u.user.username, id, username).await
    };
    match result {
        Ok(_) => Ok(see_other(&format!("/admin/departments/{id}?done=director"))),
        Err(AppError::NotFound(detail)) | Err(AppError::Conflict { detail, .. }) => {
            let errors = vec![(
                "director-username".to_string(),
                super::page::sentence(&detail),
            )];
            let page = department_page(&state, &u, id, None, Some(&f.kept()), &errors).await?;
            Ok((StatusCode::UNPROCESSABLE_ENTITY, page).into_response())
        }
        Err(e) => {
            let error = field_error(e, "director-", "username")?;
            let error = ("director-username".to_string(), error.1);
            let page = department_page(&state, &u, id, None, Some(&f.kept()), &[error]).await?;
            Ok((StatusCode::UNPROCESSABLE_ENTITY, page).into_response())
        }
    }
}
