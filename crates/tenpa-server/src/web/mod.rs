//! The web application at `/`: server-rendered pages in the NHS design system (`nhsuk-frontend`),
//! working without JavaScript except for the live assessment panel. A tour: [`page`] holds the
//! layout, the signed-in user, forms with CSRF protection and error pages; [`assets`] serves the
//! design system's files; each other module is one area of pages, its markup beside its handlers.

pub mod accounts;
pub mod admin;
pub mod assets;
pub mod awards;
pub mod board;
pub mod board_setup;
pub mod chart;
pub mod compliance;
pub mod components;
pub mod consistency;
pub mod diff;
pub mod disclosures;
pub mod editor;
pub mod fields;
pub mod history;
pub mod home;
pub mod import;
pub mod labels;
pub mod new_plan;
pub mod notifications;
pub mod objectives;
pub mod offers;
pub mod page;
pub mod payroll;
pub mod pec;
pub mod pec_record;
pub mod plan_export;
pub mod plan_upload;
pub mod plans;
pub mod progression;
pub mod record;
pub mod rejections;
pub mod rotas;
pub mod rounds;
pub mod rules;
pub mod sign_in;
pub mod sign_off;

pub mod team;
pub mod templates;
pub mod tokens;
pub mod trust;
pub mod upload;
pub mod workflow;

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
        .route(
            "/objectives",
            get(objectives::show).post(objectives::create),
        )
        .route("/objectives/{id}/notes", post(objectives::add_note))
        .route("/objectives/{id}/edit", post(objectives::edit))
        .route("/objectives/{id}/agreement", post(objectives::agree))
        .route("/objectives/{id}/versions", get(objectives::versions))
        .route("/reviews/new", get(objectives::new_review))
        .route("/reviews", post(objectives::create_review))
        .route("/progression", get(progression::list))
        .route(
            "/progression/{id}",
            get(progression::show).post(progression::step),
        )
        .route(
            "/consultants/{id}/timeline",
            get(progression::timeline_page),
        )
        .route(
            "/consultants/{id}/awards",
            get(awards::list).post(awards::create),
        )
        .route("/consultants/{id}/awards/new", get(awards::new))
        .route("/awards/{id}/end", post(awards::end))
        .route(
            "/consultants/{id}/private-practice",
            get(disclosures::show).post(disclosures::create),
        )
        .route(
            "/plans/{id}/workflow",
            get(workflow::show).post(workflow::submit),
        )
        .route("/plans/{id}/history", get(history::show))
        .route("/plans/{id}/diff", get(history::diff))
        .route("/plans/{id}/print", get(plan_export::print))
        .route("/plans/{id}/job-plan.pdf", get(plan_export::pdf))
        .route("/plans/{id}/timetable.ics", get(plan_export::ics))
        .route("/board", get(board::index))
        .route("/board/appraisals", post(board::create))
        .route("/board/appraisals/{id}", get(board::show))
        .route(
            "/board/appraisals/{id}/self-assessment",
            post(board::post_self_assessment),
        )
        .route(
            "/board/appraisals/{id}/discussion",
            post(board::post_discussion),
        )
        .route(
            "/board/appraisals/{id}/sign-off",
            post(board::post_sign_off),
        )
        .route("/board/directors/{id}", get(board::director))
        .route(
            "/board/directors/{id}/job-description",
            post(board::post_job_description),
        )
        .route("/board/organisations/{id}/report", get(board::report))
        .route(
            "/board/organisations/{id}/report.csv",
            get(board::report_csv),
        )
        .route(
            "/board/organisations/{id}/report.xlsx",
            get(board::report_xlsx),
        )
        .route(
            "/board/organisations/{id}/report.pdf",
            get(board::report_pdf),
        )
        .route("/extra-pa-offers", get(offers::show).post(offers::create))
        .route("/extra-pa-offers/new", get(offers::new))
        .route("/extra-pa-offers/{id}", post(offers::submit))
        .route("/templates", get(templates::list).post(templates::create))
        .route("/templates/new", get(templates::new))
        .route("/templates/{id}/retire", post(templates::retire))
        .route("/consistency", get(consistency::show))
        .route(
            "/notifications",
            get(notifications::show).post(notifications::read_all),
        )
        .route("/notifications/email", post(notifications::set_email))
        .route("/admin/email", get(notifications::outbox))
        .route("/rounds", get(rounds::show_list).post(rounds::open))
        .route("/rounds/{id}", get(rounds::show))
        .route("/compliance", get(compliance::show))
        .route("/compliance.csv", get(compliance::download_csv))
        .route("/compliance.xlsx", get(compliance::download_xlsx))
        .route("/compliance/snapshots.csv", get(compliance::snapshots_csv))
        .route("/compliance/snapshots", post(compliance::take))
        .route("/compliance/snapshots/{id}", get(compliance::snapshot))
        .route("/payroll", get(payroll::show).post(payroll::submit))
        .route("/payroll/{period}/{format}", get(payroll::file))
        .route("/pecs", get(pec::index))
        .route("/pecs/oversight", get(pec::oversight))
        .route("/pecs/new", get(pec_record::show).post(pec_record::submit))
        .route("/plans", get(plans::list))
        .route("/plans/new", get(new_plan::show).post(new_plan::create))
        .route(
            "/plans/import",
            get(plan_upload::show)
                .post(plan_upload::submit)
                .layer(axum::extract::DefaultBodyLimit::max(import::BODY_LIMIT)),
        )
        .route("/plans/{id}", get(plans::show))
        .route("/plans/{id}/edit", get(editor::show).post(editor::submit))
        .route("/plans/{id}/preview", post(editor::preview))
        .route("/rotas", get(rotas::list).post(rotas::create))
        .route("/rotas/new", get(rotas::new))
        .route("/rotas/{id}", get(rotas::show))
        .route("/rotas/{id}/edit", get(rotas::edit).post(rotas::update))
        .route("/rotas/{id}/category-decisions", post(rotas::decide))
        .route(
            "/rotas/{id}/category-decisions/new",
            get(rotas::new_decision),
        )
        .route("/rotas/{id}/plans", post(rotas::align))
        .route("/rules", get(rules::list))
        .route("/rules/coverage", get(rules::coverage))
        .route("/rules/{id}", get(rules::show))
        .route("/admin", get(admin::index))
        .route(
            "/admin/boards",
            get(board_setup::show).post(board_setup::submit),
        )
        .route(
            "/admin/organisation",
            get(admin::organisation).post(admin::add_to_organisation),
        )
        .route(
            "/admin/departments/{id}",
            get(admin::department).post(admin::save_department),
        )
        .route(
            "/admin/departments/{id}/clinical-director",
            post(admin::name_clinical_director),
        )
        .route("/admin/consultants", get(admin::consultants))
        .route(
            "/admin/consultants/{id}",
            get(record::show).post(record::save),
        )
        .route("/admin/accounts", get(accounts::list).post(accounts::add))
        .route("/admin/accounts/{username}", get(accounts::show))
        .route("/admin/accounts/{username}/links", post(accounts::links))
        .route("/admin/accounts/{username}/email", post(accounts::email))
        .route("/admin/accounts/{username}/roles", post(accounts::roles))
        .route(
            "/admin/accounts/{username}/password",
            post(accounts::password),
        )
        .route(
            "/admin/accounts/{username}/disable",
            post(accounts::disable),
        )
        .route("/admin/accounts/{username}/enable", post(accounts::enable))
        .route(
            "/admin/import",
            get(import::show)
                .post(import::submit)
                .layer(axum::extract::DefaultBodyLimit::max(import::BODY_LIMIT)),
        )
        .route("/api-tokens", get(tokens::show).post(tokens::create))
        .route("/api-tokens/{id}/revoke", post(tokens::revoke))
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
        .layer(axum::middleware::map_response(rejections::friendly))
}

/// Any other address: a page that says so.
pub async fn not_found() -> page::WebError {
    page::WebError::NotFound(
        "there is no page at this address: check it, or start from your home page".into(),
    )
}

/// Security headers on every response.
pub async fn security_headers(mut resp: Response) -> Response {
    add_security_headers(resp.headers_mut());
    resp
}

/// Adds the security headers to a response's headers: what [`security_headers`] does, for
/// middleware that already holds the response.
pub fn add_security_headers(h: &mut axum::http::HeaderMap) {
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
}
