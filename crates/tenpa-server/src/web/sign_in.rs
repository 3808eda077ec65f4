//! Signing in (a local account, or OpenID Connect when configured) and out.

use super::page::{
    bare_layout, constant_eq, see_other, sentence, Form, FormData, PageResult, WebError,
};

use crate::auth::{self, SignInRefused};
use crate::service::sessions::start_session;
use crate::web::components::error_summary;
use crate::AppState;
use axum::extract::{Query, State};
use axum::http::{header, HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use maud::{html, Markup};
use serde::Deserialize;

/// The cookie that carries the sign-in form's CSRF token before there is a session.
const FORM_COOKIE: &str = "tenpa_sign_in";

/// The sign-in page's query.
#[derive(Deserialize, Default)]
pub struct SignInQuery {
    /// Where to go after signing in.
    #[serde(default)]
    next: String,
    /// Set when a session has ended.
    #[serde(default)]
    ended: String,
    /// Set after signing out.
    #[serde(default)]
    signed_out: String,
}

/// Only a path on this site, never another host: it starts with one `/`, and holds only visible
/// ASCII without a backslash (browsers drop tabs and newlines and read `\\` as `/`, which would
/// turn `/\t/evil.example` into `//evil.example`). Anything else goes home.
fn safe_next(next: &str) -> String {
    let visible = next
        .bytes()
        .all(|b| (0x21..=0x7e).contains(&b) && b != b'\\');
    if visible && next.starts_with('/') && !next.starts_with("//") {
        next.to_string()
    } else {
        "/".into()
    }
}

fn form_token(headers: &HeaderMap) -> Option<String> {
    headers
        .get_all(header::COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(';'))
        .find_map(|c| {
            let (k, v) = c.trim().split_once('=')?;
            (k == FORM_COOKIE).then(|| v.to_string())
        })
}

struct View<'a> {
    token: &'a str,
    next: &'a str,
    username: &'a str,
    notice: Option<&'a str>,
    errors: Vec<(String, String)>,
    oidc: bool,
}

fn render(v: &View) -> Markup {
    let field_error = |id: &str| {
        v.errors
            .iter()
            .find(|(f, _)| f == id)
            .map(|(_, m)| m.clone())
    };
    let user_error = field_error("username");
    let password_error = field_error("password");
    bare_layout(
        "Sign in",
        html! {
            div class="nhsuk-grid-row" {
                div class="nhsuk-grid-column-two-thirds" {
                    (error_summary(&v.errors))
                    @if let Some(n) = v.notice {
                        div class="nhsuk-inset-text" { span class="nhsuk-u-visually-hidden" { "Information: " } p { (n) } }
                    }
                    h1 class="nhsuk-heading-l" { "Sign in" }
                    p class="nhsuk-body" { "Sign in to see and agree your job plan, your team's plans, and pay progression decisions." }
                    form method="post" action="/sign-in" novalidate {
                        input type="hidden" name="csrf" value=(v.token);
                        input type="hidden" name="next" value=(v.next);
                        div class=(if user_error.is_some() { "nhsuk-form-group nhsuk-form-group--error" } else { "nhsuk-form-group" }) {
                            label class="nhsuk-label" for="username" { "Username" }
                            @if let Some(e) = &user_error {
                                span class="nhsuk-error-message" id="username-error" { span class="nhsuk-u-visually-hidden" { "Error: " } (e) }
                            }
                            input class=(if user_error.is_some() { "nhsuk-input nhsuk-input--error nhsuk-u-width-two-thirds" } else { "nhsuk-input nhsuk-u-width-two-thirds" })
                                id="username" name="username" type="text" autocomplete="username" spellcheck="false" value=(v.username)
                                aria-describedby=[user_error.as_ref().map(|_| "username-error")];
                        }
                        div class=(if password_error.is_some() { "nhsuk-form-group nhsuk-form-group--error" } else { "nhsuk-form-group" }) {
                            label class="nhsuk-label" for="password" { "Password" }
                            @if let Some(e) = &password_error {
                                span class="nhsuk-error-message" id="password-error" { span class="nhsuk-u-visually-hidden" { "Error: " } (e) }
                            }
                            input class=(if password_error.is_some() { "nhsuk-input nhsuk-input--error nhsuk-u-width-two-thirds" } else { "nhsuk-input nhsuk-u-width-two-thirds" })
                                id="password" name="password" type="password" autocomplete="current-password"
                                aria-describedby=[password_error.as_ref().map(|_| "password-error")];
                        }
                        button class="nhsuk-button" data-module="nhsuk-button" type="submit" { "Sign in" }
                    }
                    @if v.oidc {
                        h2 class="nhsuk-heading-m" { "Or use your organisation's account" }
                        p class="nhsuk-body" {
                            a class="nhsuk-button nhsuk-button--secondary" href="/auth/oidc/login" { "Sign in with your organisation" }
                        }
                    }
                }
            }
        },
    )
}

fn with_form_cookie(status: StatusCode, token: &str, secure: bool, page: Markup) -> Response {
    let secure = if secure { "; Secure" } else { "" };
    let cookie = format!(
        "{FORM_COOKIE}={token}; Path=/sign-in; HttpOnly; SameSite=Strict; Max-Age=3600{secure}"
    );
    (status, [(header::SET_COOKIE, cookie)], page).into_response()
}

/// `GET /sign-in`.
pub async fn show(
    State(state): State<AppState>,
    q: Result<Query<SignInQuery>, axum::extract::rejection::QueryRejection>,
) -> Response {
    let q = q.map(|Query(q)| q).unwrap_or_default();
    let (token, _) = auth::new_token();
    let notice = if !q.ended.is_empty() {
        Some("Your session has ended. Sign in again to carry on.")
    } else if !q.signed_out.is_empty() {
        Some("You have signed out.")
    } else {
        None
    };
    let next = safe_next(&q.next);
    let page = render(&View {
        token: &token,
        next: &next,
        username: "",
        notice,
        errors: vec![],
        oidc: state.oidc_enabled,
    });
    with_form_cookie(StatusCode::OK, &token, state.secure_cookies, page)
}

/// `POST /sign-in`.
pub async fn submit(
    State(state): State<AppState>,
    headers: HeaderMap,
    extensions: axum::http::Extensions,
    body: axum::body::Bytes,
) -> PageResult {
    let form = FormData::parse(&body)?;
    let expected = form_token(&headers).unwrap_or_default();
    if expected.is_empty() || !constant_eq(form.get("csrf"), &expected) {
        return Err(WebError::Forbidden(
            "the sign-in form has expired: go back to the sign-in page and try again".into(),
        ));
    }
    let username = form.get("username");
    let password = form
        .0
        .iter()
        .find(|(k, _)| k == "password")
        .map(|(_, v)| v.as_str())
        .unwrap_or("");
    let next = safe_next(form.get("next"));
    let retry = |errors: Vec<(String, String)>, status: StatusCode| {
        let (token, _) = auth::new_token();
        let page = render(&View {
            token: &token,
            next: &next,
            username,
            notice: None,
            errors,
            oidc: state.oidc_enabled,
        });
        Ok(with_form_cookie(status, &token, state.secure_cookies, page))
    };
    let mut errors = vec![];
    if username.is_empty() {
        errors.push(("username".into(), "Enter your username".into()));
    }
    if password.is_empty() {
        errors.push(("password".into(), "Enter your password".into()));
    }
    if !errors.is_empty() {
        return retry(errors, StatusCode::UNPROCESSABLE_ENTITY);
    }
    let client = auth::client_address(&state, &headers, &extensions);
    let user = match auth::sign_in(&state, &client, username, password).await {
        Ok(user) => user,
        Err(SignInRefused::Invalid(field, message)) => {
            return retry(
                vec![(field.into(), sentence(&message))],
                StatusCode::UNPROCESSABLE_ENTITY,
            )
        }
        Err(SignInRefused::TooMany(message)) => {
            return retry(
                vec![("username".into(), sentence(&message))],
                StatusCode::TOO_MANY_REQUESTS,
            )
        }
        Err(SignInRefused::Wrong) => {
            return retry(
                vec![(
                    "username".into(),
                    "The username or password is not right".into(),
                )],
                StatusCode::UNAUTHORIZED,
            )
        }
        Err(SignInRefused::Store(e)) => return Err(e.into()),
    };
    let cookie = start_session(&state.store, state.secure_cookies, &user).await?;
    let clear = format!("{FORM_COOKIE}=; Path=/sign-in; HttpOnly; SameSite=Strict; Max-Age=0");
    let mut resp = see_other(&next);
    let h = resp.headers_mut();
    for c in [cookie, clear] {
        if let Ok(v) = c.parse() {
            h.append(header::SET_COOKIE, v);
        }
    }
    Ok(resp)
}

/// `POST /sign-out`.
pub async fn sign_out(
    State(state): State<AppState>,
    headers: HeaderMap,
    Form(_, _): Form,
) -> PageResult {
    if let Some(t) = auth::cookie_token(&headers) {
        state.store.delete_session(&auth::token_hash(&t)).await?;
    }
    let cookie = format!(
        "{}=; Path=/; HttpOnly; SameSite=Lax; Max-Age=0",
        auth::COOKIE
    );
    let mut resp = see_other("/sign-in?signed_out=1");
    if let Ok(v) = cookie.parse() {
        resp.headers_mut().append(header::SET_COOKIE, v);
    }
    Ok(resp)
}

#[cfg(test)]
mod tests {
    use super::safe_next;

    #[test]
    fn next_never_leaves_the_site() {
        assert_eq!(safe_next("/plans/3"), "/plans/3");
        assert_eq!(safe_next("//evil.example/"), "/");
        assert_eq!(safe_next("https://evil.example/"), "/");
        assert_eq!(safe_next("/\\evil.example"), "/");
        assert_eq!(safe_next(""), "/");
    }
}
