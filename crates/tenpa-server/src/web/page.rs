//! What every page shares: the signed-in user, the NHS layout, forms with CSRF protection, and
//! error pages.

use crate::auth;
use crate::error::AppError;
use crate::AppState;
use axum::extract::{FromRequest, FromRequestParts, Request};
use axum::http::request::Parts;
use axum::http::{header, StatusCode};
use axum::response::{IntoResponse, Redirect, Response};
use maud::{html, Markup, PreEscaped, DOCTYPE};
use sha2::{Digest, Sha256};
use tenpa_rules::job_planning::Role;
use tenpa_store::{StoreError, User};

/// The signed-in user of a page, with the token their forms must carry.
#[derive(Debug, Clone)]
pub struct WebUser {
    /// The account.
    pub user: User,
    /// The CSRF token bound to the session.
    pub csrf: String,
    /// The request's path, for the navigation's current item.
    pub path: String,
    /// How many of their notifications are unread, for the header.
    pub unread: i64,
}

impl WebUser {
    /// Whether the user holds any of `roles`.
    pub fn any(&self, roles: &[Role]) -> bool {
        roles.iter().any(|r| self.user.has(*r))
    }
}

/// The CSRF token of a session: a hash of the session token, so it is bound to the session and
/// needs no storage.
pub fn csrf_for(session_token: &str) -> String {
    hex::encode(Sha256::digest(
        format!("tenpa-csrf:{session_token}").as_bytes(),
    ))
}

impl FromRequestParts<AppState> for WebUser {
    type Rejection = WebError;

    async fn from_request_parts(
        parts: &mut Parts,
        state: &AppState,
    ) -> Result<Self, Self::Rejection> {
        let path = parts
            .uri
            .path_and_query()
            .map(|p| p.as_str().to_string())
            .unwrap_or_else(|| "/".into());
        let Some(token) = auth::cookie_token(&parts.headers) else {
            return Err(WebError::SignIn {
                next: path,
                ended: false,
            });
        };
        match state.store.session_user(&auth::token_hash(&token)).await {
            Ok(Some(user)) => Ok(WebUser {
                unread: state.store.unread_notifications(&user.username).await?,
                user,
                csrf: csrf_for(&token),
                path: parts.uri.path().to_string(),
            }),
            Ok(None) => Err(WebError::SignIn {
                next: path,
                ended: true,
            }),
            Err(e) => Err(WebError::from(e)),
        }
    }
}

/// A failure shown as a page.
#[derive(Debug)]
pub enum WebError {
    /// Not signed in, or the session ended: go to the sign-in page and come back to `next`.
    SignIn {
        /// Where to return after signing in.
        next: String,
        /// Whether a session existed and has ended.
        ended: bool,
    },
    /// 400: a form that cannot be read.
    BadRequest(String),
    /// 403: the page is not one the user may open.
    Forbidden(String),
    /// 404.
    NotFound(String),
    /// 409: someone else changed the record, or the step does not apply now.
    Conflict(String),
    /// 500: logged, not shown.
    Internal(String),
}

impl From<StoreError> for WebError {
    fn from(e: StoreError) -> WebError {
        WebError::from(AppError::from(e))
    }
}

impl From<AppError> for WebError {
    fn from(e: AppError) -> WebError {
        match e {
            e @ (AppError::BadRequest { .. } | AppError::Unprocessable { .. }) => {
                WebError::BadRequest(e.client_detail().unwrap_or_default())
            }
            AppError::Unauthorized(_) => WebError::SignIn {
                next: "/".into(),
                ended: true,
            },
            AppError::Forbidden(d) => WebError::Forbidden(d),
            AppError::NotFound(d) => WebError::NotFound(d),
            AppError::Conflict { detail, .. } | AppError::Stale { detail, .. } => {
                WebError::Conflict(detail)
            }
            AppError::TooLarge(d)
            | AppError::TooManyRequests(d)
            | AppError::UnsupportedMediaType(d) => WebError::BadRequest(d),
            AppError::BadGateway(d) | AppError::Internal(d) => WebError::Internal(d),
        }
    }
}

/// The result of a page handler.
pub type PageResult<T = Response> = Result<T, WebError>;

impl IntoResponse for WebError {
    fn into_response(self) -> Response {
        let (status, title, detail) = match self {
            WebError::SignIn { next, ended } => {
                let mut to = format!("/sign-in?next={}", urlencode(&next));
                if ended {
                    to.push_str("&ended=1");
                }
                return Redirect::to(&to).into_response();
            }
            WebError::BadRequest(d) => (StatusCode::BAD_REQUEST, "The form could not be used", d),
            WebError::Forbidden(d) => (StatusCode::FORBIDDEN, "You cannot open this page", d),
            WebError::NotFound(d) => (StatusCode::NOT_FOUND, "Page not found", d),
            WebError::Conflict(d) => (
                StatusCode::CONFLICT,
                "Someone else has changed this record",
                d,
            ),
            WebError::Internal(d) => {
                tracing::error!(error = %d, "internal error on a page");
                (
                    StatusCode::INTERNAL_SERVER_ERROR,
                    "Sorry, there is a problem with the service",
                    "The error has been logged. Try again later.".to_string(),
                )
            }
        };
        let body = html! {
            h1 class="nhsuk-heading-l" { (title) }
            p class="nhsuk-body" { (sentence(&detail)) }
            @if status == StatusCode::FORBIDDEN {
                p class="nhsuk-body" { "Your role decides which records you can see. If you need this page, ask your medical staffing team." }
            }
            @if status == StatusCode::CONFLICT {
                p class="nhsuk-body" { "Nothing you entered was saved over their change. Go back, reload the page and make your change again." }
            }
            p class="nhsuk-body" { a href="/" { "Go to your home page" } }
        };
        (status, bare_layout(title, body)).into_response()
    }
}

/// `s` with a capital first letter and a full stop.
pub fn sentence(s: &str) -> String {
    let mut out: String = s.trim().to_string();
    if let Some(first) = out.chars().next() {
        let upper: String = first.to_uppercase().collect();
        out.replace_range(..first.len_utf8(), &upper);
    }
    if !out.ends_with(['.', '!', '?']) {
        out.push('.');
    }
    out
}

/// Percent-encodes a query value.
pub fn urlencode(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for b in s.bytes() {
        match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' | b'~' | b'/' => {
                out.push(b as char)
            }
            _ => out.push_str(&format!("%{b:02X}")),
        }
    }
    out
}

/// A posted form, its CSRF token checked against the session's.
#[derive(Debug, Clone, Default)]
pub struct FormData(pub Vec<(String, String)>);

impl FormData {
    /// Parses an `application/x-www-form-urlencoded` body.
    pub fn parse(body: &[u8]) -> Result<FormData, WebError> {
        let pairs = serde_urlencoded::from_bytes::<Vec<(String, String)>>(body)
            .map_err(|e| WebError::BadRequest(format!("the form cannot be read: {e}")))?;
        if let Some((name, _)) = pairs
            .iter()
            .find(|(k, v)| k.contains('\0') || v.contains('\0'))
        {
            return Err(WebError::BadRequest(format!(
                "the field `{}` holds a NUL character (%00), which no text may hold",
                name.replace('\0', "%00")
            )));
        }
        Ok(FormData(pairs))
    }

    /// The first value of `name`, trimmed; empty when absent.
    pub fn get(&self, name: &str) -> &str {
        self.0
            .iter()
            .find(|(k, _)| k == name)
            .map(|(_, v)| v.trim())
            .unwrap_or("")
    }

    /// Every value of `name`, in order.
    pub fn all(&self, name: &str) -> Vec<&str> {
        self.0
            .iter()
            .filter(|(k, _)| k == name)
            .map(|(_, v)| v.as_str())
            .collect()
    }

    /// The fields as posted, without the CSRF token: what a page shows again when the form is
    /// refused.
    pub fn kept(&self) -> Vec<(String, String)> {
        self.0
            .iter()
            .filter(|(k, _)| k != "csrf")
            .cloned()
            .collect()
    }

    /// Whether the form holds `name` (a pressed button, a ticked box).
    pub fn has(&self, name: &str) -> bool {
        self.0.iter().any(|(k, _)| k == name)
    }
}

/// A signed-in user's posted form, refused unless it carries the session's CSRF token.
pub struct Form(pub WebUser, pub FormData);

impl FromRequest<AppState> for Form {
    type Rejection = WebError;

    async fn from_request(req: Request, state: &AppState) -> Result<Self, Self::Rejection> {
        let (mut parts, body) = req.into_parts();
        let user = WebUser::from_request_parts(&mut parts, state).await?;
        let req = Request::from_parts(parts, body);
        let bytes = crate::request::body_bytes(req, state)
            .await
            .map_err(WebError::from)?;
        let form = FormData::parse(&bytes)?;
        if !constant_eq(form.get("csrf"), &user.csrf) {
            return Err(WebError::Forbidden(
                "the form has expired or did not come from this service: go back, reload the page and try again".into(),
            ));
        }
        Ok(Form(user, form))
    }
}

/// Compares two strings in time independent of where they differ.
pub fn constant_eq(a: &str, b: &str) -> bool {
    a.len() == b.len()
        && a.bytes()
            .zip(b.bytes())
            .fold(0u8, |acc, (x, y)| acc | (x ^ y))
            == 0
}

/// The hidden CSRF field every form carries.
pub fn csrf_field(u: &WebUser) -> Markup {
    html! { input type="hidden" name="csrf" value=(u.csrf); }
}

/// A 303 redirect after a successful post.
pub fn see_other(to: &str) -> Response {
    (StatusCode::SEE_OTHER, [(header::LOCATION, to.to_string())]).into_response()
}

/// The navigation a user's roles open.
fn navigation(u: &WebUser) -> Vec<(&'static str, &'static str)> {
    let mut items = vec![("/", "Home")];
    let staff = u.any(&[
        Role::Consultant,
        Role::ClinicalDirector,
        Role::MedicalDirector,
        Role::MedicalStaffing,
        Role::ChiefExecutive,
    ]);
    if staff {
        items.push(("/plans", "Job plans"));
        items.push(("/objectives", "Objectives and reviews"));
        items.push(("/progression", "Pay progression"));
        items.push(("/rotas", "On-call rotas"));
    }
    if u.user.has(Role::ClinicalDirector) {
        items.push(("/team", "Team"));
    }
    if u.any(&[
        Role::MedicalDirector,
        Role::MedicalStaffing,
        Role::ChiefExecutive,
    ]) {
        items.push(("/trust", "Trust dashboard"));
    }
    if u.any(&[
        Role::MedicalDirector,
        Role::MedicalStaffing,
        Role::ChiefExecutive,
        Role::ClinicalDirector,
    ]) {
        items.push(("/rounds", "Rounds"));
        items.push(("/compliance", "Signed off"));
    }
    if u.any(&[
        Role::BoardChair,
        Role::BoardMember,
        Role::ChiefExecutive,
        Role::MedicalDirector,
    ]) {
        items.push(("/board", "Board"));
    }
    if u.any(&[
        Role::Admin,
        Role::MedicalDirector,
        Role::BoardChair,
        Role::BoardMember,
        Role::ChiefExecutive,
    ]) {
        items.push(("/pecs", "PECs"));
    }
    if u.user.has(Role::MedicalStaffing) {
        items.push(("/payroll", "Payroll"));
    }
    if u.any(&[Role::Admin, Role::MedicalStaffing]) {
        items.push(("/admin", "Set-up"));
    }
    if u.user.has(Role::Admin) {
        items.push(("/api-tokens", "API tokens"));
    }
    items.push(("/rules", "Rules"));
    items
}

fn head(title: &str) -> Markup {
    html! {
        head {
            meta charset="utf-8";
            title { (title) " – Tenpa" }
            meta name="viewport" content="width=device-width, initial-scale=1, viewport-fit=cover";
            meta name="theme-color" content="#005eb8";
            link rel="icon" href="/assets/images/favicon.svg" type="image/svg+xml";
            link rel="stylesheet" href="/assets/nhsuk.css";
            link rel="stylesheet" href="/assets/tenpa.css";
            script type="module" src="/assets/tenpa.js" {}
        }
    }
}

const LOGO: &str = r#"<svg class="nhsuk-header__logo" xmlns="http://www.w3.org/2000/svg" viewBox="0 0 200 80" height="40" width="100" focusable="false" role="img" aria-label="NHS"><title>NHS</title><path fill="currentcolor" d="M200 0v80H0V0h200Zm-27.5 5.5c-14.5 0-29 5-29 22 0 10.2 7.7 13.5 14.7 16.3l.7.3c5.4 2 10.1 3.9 10.1 8.4 0 6.5-8.5 7.5-14 7.5s-12.5-1.5-16-3.5L135 70c5.5 2 13.5 3.5 20 3.5 15.5 0 32-4.5 32-22.5 0-19.5-25.5-16.5-25.5-25.5 0-5.5 5.5-6.5 12.5-6.5a35 35 0 0 1 14.5 3l4-13.5c-4.5-2-12-3-20-3Zm-131 2h-22l-14 65H22l9-45h.5l13.5 45h21.5l14-65H64l-9 45h-.5l-13-45Zm63 0h-18l-13 65h17l6-28H117l-5.5 28H129l13.5-65H125L119.5 32h-20l5-24.5Z"/></svg>"#;

fn header(user: Option<&WebUser>) -> Markup {
    html! {
        header class="nhsuk-header" data-module="nhsuk-header" role="banner" {
            div class="nhsuk-header__container nhsuk-width-container" {
                div class="nhsuk-header__service" {
                    a class="nhsuk-header__service-logo" href="/" aria-label="Tenpa job planning home page" {
                        (PreEscaped(LOGO))
                        span class="nhsuk-header__service-name" { "Tenpa job planning" }
                    }
                }
                @if let Some(u) = user {
                    nav class="nhsuk-header__account" aria-label="Account" {
                        ul class="nhsuk-header__account-list" {
                            li class="nhsuk-header__account-item" { (u.user.display_name) }
                            li class="nhsuk-header__account-item" {
                                a class="nhsuk-header__account-link" href="/notifications" id="header-notifications" {
                                    "Notifications"
                                    @if u.unread > 0 { " (" (u.unread) " unread)" }
                                }
                            }
                            li class="nhsuk-header__account-item" {
                                form class="nhsuk-header__account-form" action="/sign-out" method="post" novalidate {
                                    (csrf_field(u))
                                    button class="nhsuk-header__account-button" { "Sign out" }
                                }
                            }
                        }
                    }
                }
            }
            @if let Some(u) = user {
                nav class="nhsuk-header__navigation" aria-label="Menu" {
                    div class="nhsuk-header__navigation-container nhsuk-width-container" {
                        ul class="nhsuk-header__navigation-list" {
                            @for (href, label) in navigation(u) {
                                @let current = if href == "/" { u.path == "/" } else { u.path.starts_with(href) };
                                li class="nhsuk-header__navigation-item" {
                                    @if current {
                                        a class="nhsuk-header__navigation-link" href=(href) aria-current="page" { (label) }
                                    } @else {
                                        a class="nhsuk-header__navigation-link" href=(href) { (label) }
                                    }
                                }
                            }
                            li class="nhsuk-header__menu" hidden {
                                button class="nhsuk-header__menu-toggle nhsuk-header__navigation-link" id="toggle-menu" aria-expanded="false" {
                                    span class="nhsuk-u-visually-hidden" { "Browse " } "More"
                                }
                            }
                        }
                    }
                }
            }
        }
    }
}

fn footer() -> Markup {
    html! {
        footer class="nhsuk-footer" role="contentinfo" {
            div class="nhsuk-width-container" {
                div class="nhsuk-footer__meta" {
                    h2 class="nhsuk-u-visually-hidden" { "Support links" }
                    ul class="nhsuk-footer__list" {
                        li class="nhsuk-footer__list-item" { a class="nhsuk-footer__list-item-link" href="/rules" { "Rules and parameters" } }
                        li class="nhsuk-footer__list-item" { a class="nhsuk-footer__list-item-link" href="/api/openapi.json" { "API description" } }
                    }
                    p class="nhsuk-body-s" { "Tenpa: every figure names the rule and paragraph behind it." }
                }
            }
        }
    }
}

fn document(
    title: &str,
    user: Option<&WebUser>,
    breadcrumb: Option<(&str, &str)>,
    body: Markup,
) -> Markup {
    html! {
        (DOCTYPE)
        html lang="en" {
            (head(title))
            body {
                a class="nhsuk-skip-link" data-module="nhsuk-skip-link" href="#maincontent" { "Skip to main content" }
                (header(user))
                div class="nhsuk-width-container" {
                    @if let Some((href, label)) = breadcrumb {
                        div class="nhsuk-back-link" {
                            a class="nhsuk-back-link__link" href=(href) { (label) }
                        }
                    }
                    main class="nhsuk-main-wrapper" id="maincontent" {
                        (body)
                    }
                }
                (footer())
            }
        }
    }
}

/// A signed-in page.
pub fn layout(u: &WebUser, title: &str, body: Markup) -> Markup {
    document(title, Some(u), None, body)
}

/// A signed-in page with a back link.
pub fn layout_back(u: &WebUser, title: &str, back: (&str, &str), body: Markup) -> Markup {
    document(title, Some(u), Some(back), body)
}

/// A page outside the signed-in service (sign-in, errors).
pub fn bare_layout(title: &str, body: Markup) -> Markup {
    document(title, None, None, body)
}

pub use tenpa_rules::money::pounds_text as pounds;

/// Money from the assessment's two-decimal string ("87276.95"), as £87,276.95; the string as it
/// is when it is not such a figure.
pub fn pounds_str(s: &str) -> String {
    tenpa_rules::money::parse_pence(s).map_or_else(|| s.to_string(), pounds)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pounds_group_thousands_and_keep_pence() {
        assert_eq!(pounds(8_727_695), "£87,276.95");
        assert_eq!(pounds(-5), "-£0.05");
        assert_eq!(pounds(100_000_000), "£1,000,000.00");
        assert_eq!(pounds_str("87276.95"), "£87,276.95");
        assert_eq!(pounds_str("-1234.50"), "-£1,234.50");
    }

    #[test]
    fn csrf_tokens_are_bound_to_the_session() {
        assert_ne!(csrf_for("a"), csrf_for("b"));
        assert!(constant_eq(&csrf_for("a"), &csrf_for("a")));
        assert!(!constant_eq("abc", "abd"));
        assert!(!constant_eq("abc", "ab"));
    }

    #[test]
    fn forms_read_repeated_fields() {
        let f = FormData::parse(b"a=1&b=x+y&a=2&csrf=t").unwrap();
        assert_eq!(f.all("a"), vec!["1", "2"]);
        assert_eq!(f.get("b"), "x y");
        assert!(f.has("csrf"));
        assert_eq!(f.get("missing"), "");
    }

    #[test]
    fn forms_with_a_nul_character_are_refused_naming_the_field() {
        match FormData::parse(b"csrf=t&username=admin%00&password=x") {
            Err(WebError::BadRequest(d)) => assert!(d.contains("`username`"), "{d}"),
            other => panic!("{other:?}"),
        }
    }

    #[test]
    fn sentences_are_capitalised_and_stopped() {
        assert_eq!(
            sentence("job plan 3 is not one you may see"),
            "Job plan 3 is not one you may see."
        );
        assert_eq!(sentence("Done."), "Done.");
    }
}
