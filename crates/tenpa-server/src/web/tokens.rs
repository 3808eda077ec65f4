//! API tokens (administrators only): the tokens issued, never their secrets, each with a button to
//! revoke it, and a form to issue one, whose secret is shown once. The page calls the API's
//! functions, so it allows what the API allows.

use super::objectives::query;
use super::page::{csrf_field, layout, see_other, Form, PageResult, WebError, WebUser};
use crate::error::AppError;
use crate::service::tokens::{
    all, issue, revoke_token, Issued, NewToken, DEFAULT_EXPIRY_DAYS, MAX_EXPIRY_DAYS,
};
use crate::web::components::{
    error_message, error_of, error_summary, group_class, success_banner, HtmlTable,
};
use crate::AppState;
use axum::extract::{Path, RawQuery, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use maud::{html, Markup};
use tenpa_rules::job_planning::Role;

fn admin(u: &WebUser) -> PageResult<()> {
    if u.user.has(Role::Admin) {
        Ok(())
    } else {
        Err(WebError::Forbidden(
            "only an administrator manages API tokens".into(),
        ))
    }
}

/// What was entered in the issue form, with its errors.
#[derive(Default)]
struct Entered {
    fields: Vec<(String, String)>,
    errors: Vec<(String, String)>,
}

impl Entered {
    fn get(&self, name: &str) -> &str {
        self.fields
            .iter()
            .find(|(k, _)| k == name)
            .map_or("", |(_, v)| v.as_str())
    }
}

fn tag(state: &str) -> Markup {
    let colour = match state {
        "active" => "nhsuk-tag--green",
        "expired" => "nhsuk-tag--grey",
        _ => "nhsuk-tag--red",
    };
    html! { strong class=(format!("nhsuk-tag {colour}")) { (state) } }
}

async fn page(
    state: &AppState,
    u: &WebUser,
    banner: Option<Markup>,
    e: &Entered,
) -> PageResult<Markup> {
    let tokens = all(state, &u.user).await?;
    let title = if e.errors.is_empty() {
        "API tokens"
    } else {
        "Error: API tokens"
    };
    let field = |name: &str, id: &str, label: &str, hint: &str, value: &str| {
        let err = error_of(&e.errors, id);
        html! {
            div class=(group_class(err)) {
                label class="nhsuk-label" for=(id) { (label) }
                div class="nhsuk-hint" id=(format!("{id}-hint")) { (hint) }
                (error_message(id, err))
                input class=(if err.is_some() { "nhsuk-input nhsuk-input--error" } else { "nhsuk-input" }) id=(id) name=(name) type="text" value=(value) aria-describedby=(format!("{id}-hint"));
            }
        }
    };
    let days = if e.get("expires_in_days").is_empty() {
        DEFAULT_EXPIRY_DAYS.to_string()
    } else {
        e.get("expires_in_days").to_string()
    };
    let act_as_err = error_of(&e.errors, "token-act_as");
    let body = html! {
        @if let Some(b) = banner { (b) }
        (error_summary(&e.errors))
        h1 class="nhsuk-heading-l" { "API tokens" }
        p class="nhsuk-body" { "A token lets another system use the API as one account. It is shown once when issued, expires, and can be revoked here; an expired or revoked token is refused. A token that acts as an account other than your own needs that permission given explicitly, and every use of it is recorded in the audit log." }
        @if tokens.is_empty() {
            p class="nhsuk-body" { "No API tokens have been issued." }
        } @else {
            (HtmlTable::new("Tokens issued")
                .id("api-tokens")
                .columns(&["Token", "Account", "Issued", "Expires", "Last used", "State"])
                .hidden_column("Action")
                .rows_with_ids(tokens.iter().map(|t| {
                    (format!("token-{}", t.id), vec![
                        html! { (t.id) ": " (t.name) },
                        html! { (t.username) @if t.act_as { " (acts for another account; each use audited)" } },
                        html! { (crate::web::components::when(&t.created_at)) @if !t.created_by.is_empty() { " by " (t.created_by) } },
                        html! { (crate::web::components::when(&t.expires_at)) },
                        html! { (t.last_used_at.as_deref().map_or_else(|| "never".to_string(), crate::web::components::when)) },
                        html! { (tag(&t.state)) @if let (Some(at), Some(by)) = (&t.revoked_at, &t.revoked_by) { " " (crate::web::components::when(at)) " by " (by) } },
                        html! {
                        @if t.revoked_at.is_none() {
                            form method="post" action=(format!("/api-tokens/{}/revoke", t.id)) novalidate {
                                (csrf_field(u))
                                button class="nhsuk-button nhsuk-button--warning nhsuk-u-margin-bottom-0" type="submit" { "Revoke" span class="nhsuk-u-visually-hidden" { " token " (t.id) } }
                            }
                        }
                    },
                    ])
                })))
        }
        h2 class="nhsuk-heading-m" { "Issue a token" }
        form method="post" action="/api-tokens" novalidate {
            (csrf_field(u))
            (field("username", "token-username", "Account the token acts as", "Its username.", e.get("username")))
            (field("name", "token-name", "What it is for", "For example, e-rostering feed.", e.get("name")))
            (field("expires_in_days", "token-expires_in_days", "Days until it expires", &format!("From 1 to {MAX_EXPIRY_DAYS}."), &days))
            div class=(group_class(act_as_err)) {
                (error_message("token-act_as", act_as_err))
                div class="nhsuk-checkboxes" {
                    div class="nhsuk-checkboxes__item" {
                        input class="nhsuk-checkboxes__input" id="token-act_as" name="act_as" type="checkbox" value="true" checked[e.get("act_as") == "true"];
                        label class="nhsuk-label nhsuk-checkboxes__label" for="token-act_as" { "It may act as an account other than mine (each use is audited)" }
                    }
                }
            }
            button class="nhsuk-button" type="submit" { "Issue the token" }
        }
    };
    Ok(layout(u, title, body))
}

/// `GET /api-tokens`.
pub async fn show(
    State(state): State<AppState>,
    u: WebUser,
    RawQuery(q): RawQuery,
) -> PageResult<Markup> {
    admin(&u)?;
    let q = query(q);
    let banner = (q.get("done") == "revoked")
        .then(|| success_banner("The token has been revoked.", html! {}));
    page(&state, &u, banner, &Entered::default()).await
}

fn shown_once(issued: &Issued) -> Markup {
    success_banner(
        &format!(
            "Token {} has been issued for {}.",
            issued.id, issued.username
        ),
        html! {
            p { "Copy it now: it is not shown again. Send it as " code { "Authorization: Bearer <token>" } "." }
            p { code id="issued-token" { (issued.token) } }
            p { "It expires at " (crate::web::components::when(&issued.expires_at)) "." }
        },
    )
}

/// `POST /api-tokens`: issue a token; the page shows its secret once.
pub async fn create(State(state): State<AppState>, Form(u, f): Form) -> PageResult<Response> {
    admin(&u)?;
    let mut e = Entered {
        fields: f.kept(),
        errors: vec![],
    };
    let days = match f.get("expires_in_days") {
        "" => None,
        d => match d.parse::<i64>() {
            Ok(d) => Some(d),
            Err(_) => {
                e.errors.push((
                    "token-expires_in_days".into(),
                    format!("Enter the number of days, from 1 to {MAX_EXPIRY_DAYS}"),
                ));
                None
            }
        },
    };
    if e.errors.is_empty() {
        let body = NewToken {
            username: f.get("username").to_string(),
            name: f.get("name").to_string(),
            expires_in_days: days,
            act_as: f.get("act_as") == "true",
        };
        match issue(&state, &u.user, body).await {
            Ok(issued) => {
                let page = page(&state, &u, Some(shown_once(&issued)), &Entered::default()).await?;
                return Ok(page.into_response());
            }
            Err(AppError::Unprocessable { field, message }) => {
                let field = format!("token-{}", field.as_deref().unwrap_or("name"));
                e.errors.push((field, super::page::sentence(&message)));
            }
            Err(other) => return Err(WebError::from(other)),
        }
    }
    let page = page(&state, &u, None, &e).await?;
    Ok((StatusCode::UNPROCESSABLE_ENTITY, page).into_response())
}

/// `POST /api-tokens/{id}/revoke`.
pub async fn revoke(
    State(state): State<AppState>,
    Path(id): Path<i64>,
    Form(u, _): Form,
) -> PageResult<Response> {
    admin(&u)?;
    revoke_token(&state, &u.user, id).await?;
    Ok(see_other(&format!("/api-tokens?done=revoked#token-{id}")))
}
