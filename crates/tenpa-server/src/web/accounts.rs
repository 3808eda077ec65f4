//! Accounts (an administrator): every account with its roles and links, a form to add one (with a
//! password, or to sign in through the identity provider), and each account's page to disable or
//! enable it and link it to its department and consultant record. The pages call the checked
//! operations the API and the command share ([`crate::service::organisation`]).

use super::fields::{entered, field_error, Field, Pairs};
use super::objectives::query;
use super::page::{
    csrf_field, layout, layout_back, see_other, urlencode, Form, PageResult, WebError, WebUser,
};
use crate::service::notifications::EmailChange;
use crate::service::organisation::{self as org, AccountView, Links, NewAccount, RolesChange};
use crate::web::components::{
    error_summary, success_banner, summary_row, summary_rows_id, HtmlTable,
};
use crate::AppState;
use axum::extract::{Path, RawQuery, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use maud::{html, Markup};
use tenpa_rules::job_planning::Role;

fn administrator(u: &WebUser) -> PageResult<()> {
    if crate::policy::may_administer(&u.user) {
        Ok(())
    } else {
        Err(WebError::Forbidden(
            "only an administrator keeps the accounts".into(),
        ))
    }
}

/// Words for a role.
pub fn role_label(role: &str) -> &'static str {
    match Role::parse(role) {
        Some(Role::Consultant) => "Consultant",
        Some(Role::ClinicalDirector) => "Clinical director",
        Some(Role::MedicalDirector) => "Medical director",
        Some(Role::MedicalStaffing) => "Medical staffing",
        Some(Role::ChiefExecutive) => "Chief executive",
        Some(Role::BoardChair) => "Board chair",
        Some(Role::BoardMember) => "Board member",
        Some(Role::Admin) => "Administrator",
        None => "Unknown role",
    }
}

/// Every role, as the checkboxes offer them.
fn role_options() -> Vec<(String, String)> {
    Role::ALL
        .iter()
        .map(|r| (r.as_str().to_string(), role_label(r.as_str()).to_string()))
        .collect()
}

async fn department_options(state: &AppState) -> PageResult<Vec<(String, String)>> {
    let mut options = vec![(String::new(), "None".to_string())];
    options.extend(
        org::departments(&state.store)
            .await?
            .into_iter()
            .map(|d| (d.id.to_string(), d.name)),
    );
    Ok(options)
}

fn department_name(options: &[(String, String)], id: Option<i64>) -> String {
    id.and_then(|id| options.iter().find(|(v, _)| *v == id.to_string()))
        .map_or(String::new(), |(_, name)| name.clone())
}

fn state_tag(a: &AccountView) -> Markup {
    html! {
        @if a.disabled_at.is_some() {
            strong class="nhsuk-tag nhsuk-tag--grey" { "Disabled" }
        } @else {
            strong class="nhsuk-tag nhsuk-tag--green" { "Enabled" }
        }
    }
}

async fn list_page(
    state: &AppState,
    u: &WebUser,
    banner: Option<Markup>,
    fields: &Pairs,
    errors: &Pairs,
) -> PageResult<Markup> {
    let accounts = org::accounts(&state.store).await?;
    let departments = department_options(state).await?;
    let roles = role_options();
    let ticked: Vec<&str> = fields
        .iter()
        .filter(|(k, _)| k == "account-roles")
        .map(|(_, v)| v.as_str())
        .collect();
    let title = if errors.is_empty() {
        "Accounts"
    } else {
        "Error: Accounts"
    };
    let body = html! {
        @if let Some(b) = banner { (b) }
        (error_summary(errors))
        h1 class="nhsuk-heading-l" { "Accounts" }
        p class="nhsuk-body" { "Each person signs in with their own account. Link a consultant's account to their consultant record: that is how Tenpa knows their own plan, on which they act only as the consultant, never for the employer. A consultant record has at most one enabled account." }
        (HtmlTable::new(html! { (accounts.len()) " account(s)" })
            .id("accounts")
            .columns(&["Username", "Name", "Roles", "Department", "Consultant record", "Signs in with", "State"])
            .rows_with_ids(accounts.iter().map(|a| {
                (format!("account-{}", a.username), vec![
                    html! { a href=(format!("/admin/accounts/{}", urlencode(&a.username))) { (a.username) } },
                    html! { (a.display_name) },
                    html! { (a.roles.iter().map(|r| role_label(r)).collect::<Vec<_>>().join(", ")) },
                    html! { (department_name(&departments, a.department_id)) },
                    html! { (a.consultant_id.as_deref().unwrap_or("")) },
                    html! { @if a.password { "Password" } @else { "Identity provider" } },
                    html! { (state_tag(a)) },
                ])
            })))
        h2 class="nhsuk-heading-m" id="add" { "Add an account" }
        form method="post" action="/admin/accounts" novalidate {
            (csrf_field(u))
            (Field::new("account-username", "Username", "Letters, digits, '.', '-', '_' and '@'; as the identity provider names the person, if the trust signs in through one.").input("text", entered(fields, "account-username"), errors))
            (Field::new("account-display_name", "Name", "As pages show it, for example Dr Sam Okafor.").input("text", entered(fields, "account-display_name"), errors))
            (Field::new("account-roles", "Roles", "What the person does in Tenpa; at least one.").checkboxes(&roles, &ticked, errors))
            (Field::new("account-department_id", "Department", "Of a consultant or clinical director.").select(&departments, entered(fields, "account-department_id"), errors))
            (Field::new("account-consultant_id", "Consultant record", "The assignment number of the person's own consultant record, if they are a consultant.").input("text", entered(fields, "account-consultant_id"), errors))
            (Field::new("account-email", "Email address", "Where the person's notifications are emailed, if the server sends email; they can change it themselves.").input("email", entered(fields, "account-email"), errors))
            (Field::new("account-password", "Password", "At least 12 characters. Leave empty for an account that signs in only through the identity provider.").input("password", "", errors))
            button class="nhsuk-button" type="submit" { "Add the account" }
        }
    };
    Ok(layout(u, title, body))
}

/// `GET /admin/accounts`; `?consultant_id=` fills in the record to link.
pub async fn list(
    State(state): State<AppState>,
    u: WebUser,
    RawQuery(q): RawQuery,
) -> PageResult<Markup> {
    administrator(&u)?;
    let q = query(q);
    let fields = vec![(
        "account-consultant_id".to_string(),
        q.get("consultant_id").to_string(),
    )];
    list_page(&state, &u, None, &fields, &[]).await
}

/// `POST /admin/accounts`: adds an account.
pub async fn add(State(state): State<AppState>, Form(u, f): Form) -> PageResult<Response> {
    administrator(&u)?;
    let password =
        f.0.iter()
            .find(|(k, _)| k == "account-password")
            .map(|(_, v)| v.clone())
            .filter(|p| !p.is_empty());
    let new = NewAccount {
        username: f.get("account-username").to_string(),
        display_name: Some(f.get("account-display_name").to_string()),
        roles: f
            .all("account-roles")
            .iter()
            .map(|r| r.to_string())
            .collect(),
        password,
        department_id: f.get("account-department_id").parse().ok(),
        consultant_id: Some(f.get("account-consultant_id").to_string()),
        email: Some(f.get("account-email").to_string()),
    };
    match org::add_account(&state.store, &u.user.username, &new).await {
        Ok(a) => Ok(see_other(&format!(
            "/admin/accounts/{}?done=added",
            urlencode(&a.username)
        ))),
        Err(e) => {
            let error = field_error(e, "account-", "username")?;
            let fields: Vec<(String, String)> = f
                .kept()
                .into_iter()
                .filter(|(k, _)| k != "account-password")
                .collect();
            let page = list_page(&state, &u, None, &fields, &[error]).await?;
            Ok((StatusCode::UNPROCESSABLE_ENTITY, page).into_response())
        }
    }
}

async fn account_page(
    state: &AppState,
    u: &WebUser,
    username: &str,
    banner: Option<Markup>,
    fields: Option<&Pairs>,
    errors: &Pairs,
) -> PageResult<Markup> {
    let a = org::account(&state.store, username).await?;
    let departments = department_options(state).await?;
    let department = a.department_id.map(|d| d.to_string()).unwrap_or_default();
    let consultant = a.consultant_id.clone().unwrap_or_default();
    // A refused form comes back with what was entered in it; the other forms show the account.
    let kept = |name: &str, current: String| match fields {
        Some(f) if f.iter().any(|(k, _)| k == name) => entered(f, name).to_string(),
        _ => current,
    };
    let department = kept("links-department_id", department);
    let consultant = kept("links-consultant_id", consultant);
    let email = kept("email-email", a.email.clone().unwrap_or_default());
    let ticked: Vec<String> = match fields {
        Some(f) if f.iter().any(|(k, _)| k == "roles-form") => f
            .iter()
            .filter(|(k, _)| k == "roles-roles")
            .map(|(_, v)| v.clone())
            .collect(),
        _ => a.roles.clone(),
    };
    let ticked: Vec<&str> = ticked.iter().map(String::as_str).collect();
    let path = format!("/admin/accounts/{}", urlencode(&a.username));
    let own = a.username == u.user.username;
    let title = if errors.is_empty() {
        a.username.clone()
    } else {
        format!("Error: {}", a.username)
    };
    let body = html! {
        @if let Some(b) = banner { (b) }
        (error_summary(errors))
        span class="nhsuk-caption-l" { "Account" }
        h1 class="nhsuk-heading-l" { (a.username) }
        (summary_rows_id("account", html! {
            (summary_row("Name", html! { (a.display_name) }))
            (summary_row("Roles", html! { (a.roles.iter().map(|r| role_label(r)).collect::<Vec<_>>().join(", ")) }))
            (summary_row("Department", html! { (department_name(&departments, a.department_id)) }))
            (summary_row("Consultant record", html! { (a.consultant_id.as_deref().unwrap_or("None")) }))
            (summary_row("Email address", html! { (a.email.as_deref().unwrap_or("None")) }))
            (summary_row("Signs in with", html! { @if a.password { "A password" } @else { "The identity provider only" } }))
            (summary_row("State", html! { (state_tag(&a)) @if let Some(at) = &a.disabled_at { " since " (crate::web::components::when(at)) } }))
        }))
        h2 class="nhsuk-heading-m" { "Links" }
        form method="post" action=(format!("{path}/links")) novalidate {
            (csrf_field(u))
            (Field::new("links-department_id", "Department", "Of a consultant or clinical director.").select(&departments, &department, errors))
            (Field::new("links-consultant_id", "Consultant record", "The assignment number of the person's own record; empty for none.").input("text", &consultant, errors))
            button class="nhsuk-button nhsuk-button--secondary" type="submit" { "Save the links" }
        }
        h2 class="nhsuk-heading-m" { "Email address" }
        form method="post" action=(format!("{path}/email")) novalidate {
            (csrf_field(u))
            (Field::new("email-email", "Email address", "Where the person's notifications are emailed; empty for none.").input("email", &email, errors))
            button class="nhsuk-button nhsuk-button--secondary" type="submit" { "Save the email address" }
        }
        h2 class="nhsuk-heading-m" { "Roles" }
        @if own {
            p class="nhsuk-body" { "These are your own roles: another administrator changes them." }
        } @else {
            form method="post" action=(format!("{path}/roles")) novalidate {
                (csrf_field(u))
                input type="hidden" name="roles-form" value="1";
                (Field::new("roles-roles", "Roles", "What the person does in Tenpa; at least one. A clinical director leads the department above; name one from the department's page too.").checkboxes(&role_options(), &ticked, errors))
                button class="nhsuk-button nhsuk-button--secondary" type="submit" { "Save the roles" }
            }
        }
        @if !own {
            h2 class="nhsuk-heading-m" { "Password" }
            p class="nhsuk-body" { "A new password ends the account's sessions. Give it to the person by a safe route; it is never shown again." }
            form method="post" action=(format!("{path}/password")) novalidate {
                (csrf_field(u))
                (Field::new("password-password", "New password", "At least 12 characters.").input("password", "", errors))
                button class="nhsuk-button nhsuk-button--secondary" type="submit" { "Set the password" }
            }
        }
        h2 class="nhsuk-heading-m" { "Sign-in" }
        @if a.disabled_at.is_some() {
            form method="post" action=(format!("{path}/enable")) novalidate {
                (csrf_field(u))
                button class="nhsuk-button nhsuk-button--secondary" type="submit" { "Enable the account" }
            }
        } @else if own {
            p class="nhsuk-body" { "This is your own account: another administrator disables it." }
        } @else {
            p class="nhsuk-body" { "A disabled account can no longer sign in by any means, and its sessions end. Its history stays." }
            form method="post" action=(format!("{path}/disable")) novalidate {
                (csrf_field(u))
                button class="nhsuk-button nhsuk-button--warning" type="submit" { "Disable the account" }
            }
        }
    };
    Ok(layout_back(
        u,
        &title,
        ("/admin/accounts", "All accounts"),
        body,
    ))
}

/// `GET /admin/accounts/{username}`.
pub async fn show(
    State(state): State<AppState>,
    u: WebUser,
    Path(username): Path<String>,
    RawQuery(q): RawQuery,
) -> PageResult<Markup> {
    administrator(&u)?;
    let banner = match query(q).get("done") {
        "added" => Some(success_banner("The account has been added.", html! {})),
        "links" => Some(success_banner("The links have been saved.", html! {})),
        "email" => Some(success_banner(
            "The email address has been saved.",
            html! {},
        )),
        "disabled" => Some(success_banner("The account has been disabled.", html! {})),
        "enabled" => Some(success_banner("The account has been enabled.", html! {})),
        "roles" => Some(success_banner("The roles have been saved.", html! {})),
        "password" => Some(success_banner(
            "The password has been set and the account's sessions have ended.",
            html! {},
        )),
        _ => None,
    };
    account_page(&state, &u, &username, banner, None, &[]).await
}

/// `POST /admin/accounts/{username}/links`.
pub async fn links(
    State(state): State<AppState>,
    Path(username): Path<String>,
    Form(u, f): Form,
) -> PageResult<Response> {
    administrator(&u)?;
    let links = Links {
        department_id: f.get("links-department_id").parse().ok(),
        consultant_id: Some(f.get("links-consultant_id").to_string()),
    };
    match org::set_links(&state.store, &u.user.username, &username, &links).await {
        Ok(_) => Ok(see_other(&format!(
            "/admin/accounts/{}?done=links",
            urlencode(&username)
        ))),
        Err(e) => {
            let error = field_error(e, "links-", "consultant_id")?;
            let page = account_page(&state, &u, &username, None, Some(&f.0), &[error]).await?;
            Ok((StatusCode::UNPROCESSABLE_ENTITY, page).into_response())
        }
    }
}

/// `POST /admin/accounts/{username}/email`.
pub async fn email(
    State(state): State<AppState>,
    Path(username): Path<String>,
    Form(u, f): Form,
) -> PageResult<Response> {
    administrator(&u)?;
    let change = EmailChange {
        email: Some(f.get("email-email").to_string()),
    };
    match org::set_email(&state.store, &u.user.username, &username, &change).await {
        Ok(_) => Ok(see_other(&format!(
            "/admin/accounts/{}?done=email",
            urlencode(&username)
        ))),
        Err(e) => {
            let error = field_error(e, "email-", "email")?;
            let page = account_page(&state, &u, &username, None, Some(&f.0), &[error]).await?;
            Ok((StatusCode::UNPROCESSABLE_ENTITY, page).into_response())
        }
    }
}

async fn set_enabled(
    state: AppState,
    u: WebUser,
    username: String,
    enable: bool,
) -> PageResult<Response> {
    administrator(&u)?;
    if !enable && username == u.user.username {
        return Err(WebError::Conflict(
            "you cannot disable your own account: another administrator does that".into(),
        ));
    }
    org::set_enabled(&state.store, &u.user.username, &username, enable).await?;
    let done = if enable { "enabled" } else { "disabled" };
    Ok(see_other(&format!(
        "/admin/accounts/{}?done={done}",
        urlencode(&username)
    )))
}

/// `POST /admin/accounts/{username}/disable`.
pub async fn disable(
    State(state): State<AppState>,
    Path(username): Path<String>,
    Form(u, _): Form,
) -> PageResult<Response> {
    set_enabled(state, u, username, false).await
}

/// `POST /admin/accounts/{username}/enable`.
pub async fn enable(
    State(state): State<AppState>,
    Path(username): Path<String>,
    Form(u, _): Form,
) -> PageResult<Response> {
    set_enabled(state, u, username, true).await
}

/// `POST /admin/accounts/{username}/roles`.
pub async fn roles(
    State(state): State<AppState>,
    Path(username): Path<String>,
    Form(u, f): Form,
) -> PageResult<Response> {
    administrator(&u)?;
    let change = RolesChange {
        roles: f.all("roles-roles").iter().map(|r| r.to_string()).collect(),
        department_id: None,
    };
    match org::set_roles(&state.store, &u.user.username, &username, &change).await {
        Ok(_) => Ok(see_other(&format!(
            "/admin/accounts/{}?done=roles",
            urlencode(&username)
        ))),
        Err(e) => {
            let error = field_error(e, "roles-", "roles")?;
            let page = account_page(&state, &u, &username, None, Some(&f.kept()), &[error]).await?;
            Ok((StatusCode::UNPROCESSABLE_ENTITY, page).into_response())
        }
    }
}

/// `POST /admin/accounts/{username}/password`.
pub async fn password(
    State(state): State<AppState>,
    Path(username): Path<String>,
    Form(u, f): Form,
) -> PageResult<Response> {
    administrator(&u)?;
    let password =
        f.0.iter()
            .find(|(k, _)| k == "password-password")
            .map_or("", |(_, v)| v.as_str());
    match org::reset_password(&state.store, &u.user.username, &username, password).await {
        Ok(()) => Ok(see_other(&format!(
            "/admin/accounts/{}?done=password",
            urlencode(&username)
        ))),
        Err(e) => {
            let error = field_error(e, "password-", "password")?;
            let page = account_page(&state, &u, &username, None, None, &[error]).await?;
            Ok((StatusCode::UNPROCESSABLE_ENTITY, page).into_response())
        }
    }
}
