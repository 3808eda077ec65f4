//! # tenpa-server
//!
//! The HTTP API and the web application over [`tenpa_store::Store`] and the rules.
//! A tour: [`app`] builds the router; [`service`] holds the operations (one module per area), each
//! asking the one [`policy`] whether the user may act on the record; [`api`] (JSON, one module per
//! resource) and [`web`] (the pages) are thin adapters over them; [`export`] writes CSV, XLSX,
//! iCalendar and PDF; [`auth`] the accounts and sessions; [`error`] turns every failure into
//! problem details; [`hygiene`] checks every request before a handler sees it and adds the
//! transport headers; [`net`] serves connections with time-outs, a limit and graceful shutdown;
//! [`demo`] fills an empty database with a demo trust. The layers depend one way (`api`, `web` →
//! `service` → store → rules), which `tests/layers.rs` checks.

pub mod api;
pub mod auth;
pub mod demo;
mod demo_records;
pub mod download;
pub mod error;
pub mod export;
pub mod hygiene;
pub mod mail;
pub mod net;
pub mod oidc;
pub mod policy;
pub mod request;
pub mod service;
pub mod uk_time;
pub mod web;

use axum::extract::{DefaultBodyLimit, State};
use axum::http::StatusCode;
use axum::response::IntoResponse;
use axum::routing::{get, post, put};
use axum::{Json, Router};
use hygiene::EdgeResponses;
pub use net::ServeOptions;
use std::sync::Arc;
use tenpa_rules::Parameters;
use tenpa_store::Store;
use utoipa::OpenApi;

/// What every handler shares.
#[derive(Clone)]
pub struct AppState {
    /// The records.
    pub store: Arc<Store>,
    /// The parameters in force.
    pub params: Arc<Parameters>,
    /// Whether cookies are marked Secure (served over TLS, directly or behind a proxy).
    pub secure_cookies: bool,
    /// Whether OpenID Connect sign-in is configured (the sign-in page then offers it).
    pub oidc_enabled: bool,
    /// The header a proxy in front sets to the client's address (`X-Forwarded-For`), when there is
    /// one: sign-in limits per address then count the address it names.
    pub client_ip_header: Option<axum::http::HeaderName>,
    /// Whether notifications are sent by email (SMTP is configured).
    pub email_enabled: bool,
}

/// The OpenAPI document of the whole API.
#[derive(OpenApi)]
#[openapi(
    info(
        title = "Tenpa API",
        description = "NHS consultant job planning and pay from the contract's rules. Every figure names its rule and paragraph."
    ),
    paths(
        healthz,
        api::assessments::create,
        api::sessions::create,
        api::sessions::delete,
        api::sessions::current,
        api::tokens::create,
        api::tokens::list,
        api::tokens::revoke,
        api::job_plans::list,
        api::job_plans::get,
        api::job_plans::versions,
        api::job_plans::create,
        api::job_plans::update,
        api::job_plans::transition,
        api::progression::create_review,
        api::progression::reviews,
        api::progression::cases,
        api::progression::case,
        api::progression::step,
        api::reference::rules,
        api::reference::rule_by_id,
        api::reference::parameters,
        api::reference::parameter,
        api::audit::verify,
        api::rotas::list,
        api::rotas::get,
        api::rotas::create,
        api::rotas::update,
        api::rotas::decide_category,
        api::rotas::align,
        api::rotas::report,
        api::objectives::list,
        api::objectives::get,
        api::objectives::create,
        api::objectives::add_note,
        api::objectives::edit,
        api::objectives::agree,
        api::disclosures::list,
        api::disclosures::create,
        api::disclosures::status,
        api::extra_pa_offers::list,
        api::extra_pa_offers::create,
        api::extra_pa_offers::get,
        api::extra_pa_offers::respond,
        api::extra_pa_offers::terminate,
        api::awards::list,
        api::awards::create,
        api::awards::end,
        api::board::get_framework,
        api::board::create_organisation,
        api::board::organisations,
        api::board::create_director,
        api::board::directors,
        api::board::put_job_description,
        api::board::director_profile,
        api::board::appraisal_consistency,
        api::board::create_appraisal,
        api::board::appraisals,
        api::board::appraisal,
        api::board::put_self_assessment,
        api::board::put_discussion,
        api::board::sign_off,
        api::board::report,
        api::pecs::create,
        api::pecs::list,
        api::pecs::oversight,
        api::imports::create,
        api::organisation::employers,
        api::organisation::create_employer,
        api::organisation::departments,
        api::organisation::create_department,
        api::organisation::department,
        api::organisation::put_department,
        api::organisation::consultants,
        api::organisation::consultant,
        api::organisation::put_consultant,
        api::organisation::users,
        api::organisation::user,
        api::organisation::create_user,
        api::organisation::disable,
        api::organisation::enable,
        api::organisation::put_links,
        api::organisation::put_email,
        api::organisation::put_roles,
        api::organisation::reset_password,
        api::consistency::report,
        api::notifications::list,
        api::notifications::read,
        api::notifications::settings,
        api::notifications::put_settings,
        api::notifications::outbox,
        api::rounds::open,
        api::rounds::list,
        api::rounds::show,
        api::compliance::report,
        api::compliance::snapshots,
        api::compliance::snapshot,
        api::compliance::take,
        api::payroll::list,
        api::payroll::create,
        api::payroll::csv,
        api::payroll::xlsx,
        api::templates::list,
        api::templates::create,
        api::templates::retire,
        oidc::login,
        oidc::callback,
    ),
    modifiers(&EdgeResponses)
)]
pub struct ApiDoc;

/// 200 when the database answers.
#[utoipa::path(get, path = "/healthz", responses((status = 200, description = "the database answers"), (status = 503)))]
async fn healthz(State(state): State<AppState>) -> impl IntoResponse {
    match state.store.ping().await {
        Ok(()) => (
            StatusCode::OK,
            Json(serde_json::json!({ "status": "ok", "database": state.store.backend() })),
        ),
        Err(e) => {
            tracing::error!(error = %e, "health check failed");
            (
                StatusCode::SERVICE_UNAVAILABLE,
                Json(serde_json::json!({ "status": "unavailable" })),
            )
        }
    }
}

async fn openapi() -> impl IntoResponse {
    Json(ApiDoc::openapi())
}

async fn not_found() -> error::AppError {
    error::AppError::NotFound("no such endpoint; the API is described at /api/openapi.json".into())
}

/// The router.
pub fn app(state: AppState) -> Router {
    use api::*;
    let v1 = Router::new()
        .route("/assessments", post(assessments::create))
        .route("/sessions", post(sessions::create).delete(sessions::delete))
        .route("/me", get(sessions::current))
        .route("/api-tokens", get(tokens::list).post(tokens::create))
        .route("/api-tokens/{id}", axum::routing::delete(tokens::revoke))
        .route("/job-plans", get(job_plans::list).post(job_plans::create))
        .route(
            "/job-plans/{id}",
            get(job_plans::get).put(job_plans::update),
        )
        .route("/job-plans/{id}/versions", get(job_plans::versions))
        .route("/job-plans/{id}/transitions", post(job_plans::transition))
        .route(
            "/reviews",
            get(progression::reviews).post(progression::create_review),
        )
        .route("/progression-cases", get(progression::cases))
        .route("/progression-cases/{id}", get(progression::case))
        .route("/progression-cases/{id}/steps", post(progression::step))
        .route("/rules", get(reference::rules))
        .route("/rules/{id}", get(reference::rule_by_id))
        .route("/parameters", get(reference::parameters))
        .route("/parameters/{*path}", get(reference::parameter))
        .route("/audit/verify", get(audit::verify))
        .route("/rotas", get(rotas::list).post(rotas::create))
        .route("/rotas/{id}", get(rotas::get).put(rotas::update))
        .route(
            "/rotas/{id}/category-decisions",
            post(rotas::decide_category),
        )
        .route("/rotas/{id}/plans", post(rotas::align))
        .route("/reports/on-call", get(rotas::report))
        .route(
            "/objectives",
            get(objectives::list).post(objectives::create),
        )
        .route(
            "/objectives/{id}",
            get(objectives::get).put(objectives::edit),
        )
        .route("/objectives/{id}/notes", post(objectives::add_note))
        .route("/objectives/{id}/agreement", post(objectives::agree))
        .route(
            "/private-practice-disclosures",
            get(disclosures::list).post(disclosures::create),
        )
        .route(
            "/consultants/{id}/private-practice",
            get(disclosures::status),
        )
        .route(
            "/extra-pa-offers",
            get(extra_pa_offers::list).post(extra_pa_offers::create),
        )
        .route("/extra-pa-offers/{id}", get(extra_pa_offers::get))
        .route(
            "/extra-pa-offers/{id}/response",
            post(extra_pa_offers::respond),
        )
        .route(
            "/extra-pa-offers/{id}/termination",
            post(extra_pa_offers::terminate),
        )
        .route("/awards", get(awards::list).post(awards::create))
        .route("/awards/{id}/end", post(awards::end))
        .route("/board/framework", get(board::get_framework))
        .route(
            "/board/organisations",
            get(board::organisations).post(board::create_organisation),
        )
        .route("/board/organisations/{id}/directors", get(board::directors))
        .route("/board/organisations/{id}/report", get(board::report))
        .route(
            "/board/organisations/{id}/appraisal-consistency",
            get(board::appraisal_consistency),
        )
        .route("/board/directors", post(board::create_director))
        .route(
            "/board/directors/{id}/profile",
            get(board::director_profile),
        )
        .route(
            "/board/directors/{id}/job-description",
            put(board::put_job_description),
        )
        .route(
            "/board/appraisals",
            get(board::appraisals).post(board::create_appraisal),
        )
        .route("/board/appraisals/{id}", get(board::appraisal))
        .route(
            "/board/appraisals/{id}/self-assessment",
            put(board::put_self_assessment),
        )
        .route(
            "/board/appraisals/{id}/discussion",
            put(board::put_discussion),
        )
        .route("/board/appraisals/{id}/sign-off", post(board::sign_off))
        .route("/pecs", get(pecs::list).post(pecs::create))
        .route("/pecs/oversight", get(pecs::oversight))
        .route("/imports", post(imports::create))
        .route(
            "/employers",
            get(organisation::employers).post(organisation::create_employer),
        )
        .route(
            "/departments",
            get(organisation::departments).post(organisation::create_department),
        )
        .route(
            "/departments/{id}",
            get(organisation::department).put(organisation::put_department),
        )
        .route("/consultants", get(organisation::consultants))
        .route(
            "/consultants/{id}",
            get(organisation::consultant).put(organisation::put_consultant),
        )
        .route(
            "/users",
            get(organisation::users).post(organisation::create_user),
        )
        .route("/users/{username}", get(organisation::user))
        .route("/users/{username}/disable", post(organisation::disable))
        .route("/users/{username}/enable", post(organisation::enable))
        .route("/users/{username}/links", put(organisation::put_links))
        .route("/users/{username}/email", put(organisation::put_email))
        .route("/users/{username}/roles", put(organisation::put_roles))
        .route(
            "/users/{username}/password",
            post(organisation::reset_password),
        )
        .route("/reports/consistency", get(consistency::report))
        .route("/notifications", get(notifications::list))
        .route("/notifications/read", post(notifications::read))
        .route(
            "/notifications/settings",
            get(notifications::settings).put(notifications::put_settings),
        )
        .route("/email/outbox", get(notifications::outbox))
        .route("/rounds", get(rounds::list).post(rounds::open))
        .route("/rounds/{id}", get(rounds::show))
        .route("/compliance", get(compliance::report))
        .route(
            "/compliance/snapshots",
            get(compliance::snapshots).post(compliance::take),
        )
        .route("/compliance/snapshots/{id}", get(compliance::snapshot))
        .route("/payroll-exports", get(payroll::list).post(payroll::create))
        .route("/payroll-exports/{period}/csv", get(payroll::csv))
        .route("/payroll-exports/{period}/xlsx", get(payroll::xlsx))
        .route(
            "/plan-templates",
            get(templates::list).post(templates::create),
        )
        .route("/plan-templates/{id}/retire", post(templates::retire))
        .fallback(not_found);
    Router::new()
        .route("/healthz", get(healthz))
        .route("/api/openapi.json", get(openapi))
        .nest("/api/v1", v1)
        .merge(web::router())
        .fallback(web::not_found)
        .layer(DefaultBodyLimit::max(api::BODY_LIMIT))
        .layer(axum::middleware::from_fn_with_state(
            state.clone(),
            hygiene::guard,
        ))
        .with_state(state)
}

/// Serves until Ctrl-C or SIGTERM, with OpenID Connect sign-in when `oidc` is given, with the
/// default [`ServeOptions`].
pub async fn serve(
    state: AppState,
    oidc: Option<oidc::OidcConfig>,
    addr: &str,
) -> std::io::Result<()> {
    serve_with(state, oidc, addr, ServeOptions::default()).await
}

/// Serves until Ctrl-C or SIGTERM, with OpenID Connect sign-in when `oidc` is given, connections
/// served as `options` say.
pub async fn serve_with(
    state: AppState,
    oidc: Option<oidc::OidcConfig>,
    addr: &str,
    options: ServeOptions,
) -> std::io::Result<()> {
    let listener = tokio::net::TcpListener::bind(addr).await?;
    tracing::info!(
        address = %listener.local_addr()?,
        max_connections = options.max_connections,
        header_timeout_secs = options.header_timeout.as_secs_f64(),
        "serving"
    );
    let mut state = state;
    state.oidc_enabled = oidc.is_some();
    let router = match oidc {
        Some(config) => app(state.clone()).merge(oidc::router(&state, config)),
        None => app(state),
    };
    net::serve_listener(listener, router, options, net::shutdown_signal()).await
}
