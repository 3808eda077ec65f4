//! The web application at `/`: server-rendered pages in the NHS design system (`nhsuk-frontend`),
//! working without JavaScript except for the live assessment panel. A tour: [`page`] holds the
//! layout, the signed-in user, forms with CSRF protection and error pages; [`assets`] serves the
//! design system's files; each other module is one area of pages, its markup beside its handlers.

pub mod assets;
pub mod chart;
pub mod diff;
pub mod export;
pub mod home;
pub mod page;
pub mod sign_in;
pub mod team;
pub mod trust;

use crate::AppState;
use axum::http::{header, HeaderValue};
use axum::response::Response;
use axum::routing::{get, post};
use axum::Router;

/// The Content-Security-Policy of every page: nothing but this server, no inline script or style.
pub const CONTENT_SECURITY_POLICY: &str = "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; font-src 'self'; connect-src 'self'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'; object-src 'none'";

/// The pages' routes.
pub fn router() -> Router<AppState> {
    Router::new()
        .route("/", get(home::show))
        .route("/sign-in", get(sign_in::show).post(sign_in::submit))
        .route("/sign-out", post(sign_in::sign_out))
        .route("/team", get(team::show))
        .route("/team.csv", get(team::csv))
        .route("/team.xlsx", get(team::xlsx))
        .route("/trust", get(trust::show))
        .route("/trust.csv", get(trust::csv))
        .route("/trust.xlsx", get(trust::xlsx))
        .route("/assets/nhsuk.css", get(assets::nhsuk_css))
        .route("/assets/nhsuk.js", get(assets::nhsuk_js))
        .route("/assets/tenpa.css", get(assets::tenpa_css))
        .route("/assets/tenpa.js", get(assets::tenpa_js))
        .route("/assets/images/{file}", get(assets::image))
}

/// Security headers on every response.
pub async fn security_headers(mut resp: Response) -> Response {
    let h = resp.headers_mut();
    let is_html = h
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.starts_with("text/html"));
    if is_html {
        h.insert(
            header::CONTENT_SECURITY_POLICY,
            HeaderValue::from_static(CONTENT_SECURITY_POLICY),
        );
        h.entry(header::CACHE_CONTROL)
            .or_insert(HeaderValue::from_static("no-store"));
    }
    h.insert(
        header::X_CONTENT_TYPE_OPTIONS,
        HeaderValue::from_static("nosniff"),
    );
    h.insert(header::X_FRAME_OPTIONS, HeaderValue::from_static("DENY"));
    h.insert(
        header::REFERRER_POLICY,
        HeaderValue::from_static("same-origin"),
    );
    resp
}
