//! One appraisal: the page, the self-assessment, the appraiser's discussion and sign-off.

use super::{
    appraiser_label, date_of, evidence_id, position_label, rating_id, read_ratings, status_tag,
    year_label,
};
use crate::error::AppError;
use crate::service::board::{
    framework, load_appraisal, save_discussion, save_self_assessment, sign, Discussion, Relation,
};
use crate::web::components::{error_summary, summary_row, summary_rows, HtmlTable};
use crate::web::page::{
    csrf_field, layout_back, see_other, sentence, Form, FormData, PageResult, WebError, WebUser,
};
use crate::AppState;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::IntoResponse;
use axum::response::Response;
use maud::{html, Markup};
use serde::Deserialize;
use tenpa_rules::board_competency::{completeness, Framework, Ratings};
use tenpa_store::{BoardAppraisal, Director};

/// What the user posted, shown again when it could not be saved.
#[derive(Default)]
struct Posted {
    ratings: Option<Ratings>,
    discussion: Option<(String, String)>,
    /// The version the forms carry.
    version: Option<i64>,
}

struct AppraisalPage<'a> {
    a: &'a BoardAppraisal,
    d: &'a Director,
    rel: Relation,
    fw: &'a Framework,
    errors: Vec<(String, String)>,
    notice: Option<&'a str>,
    conflict: Option<String>,
    posted: Posted,
}

fn render_appraisal(u: &WebUser, p: AppraisalPage) -> Markup {
    let AppraisalPage {
        a,
        d,
        rel,
        fw,
        errors,
        notice,
        conflict,
        posted,
    } = p;
    let c = completeness(fw, &a.ratings);
    let version = posted.version.unwrap_or(a.version);
    let ratings = posted.ratings.as_ref().unwrap_or(&a.ratings);
    let may_rate = rel.own && a.director_signed_at.is_none();
    let may_discuss = rel.appraiser && a.appraiser_signed_at.is_none();
    let (discussion, objectives) = posted
        .discussion
        .clone()
        .unwrap_or_else(|| (a.discussion.clone(), a.objectives.clone()));
    let error_for = |id: &str| errors.iter().find(|(f, _)| f == id).map(|(_, m)| m.clone());
    let title = format!("Appraisal {} for {}", year_label(a.year), d.name);
    layout_back(
        u,
        &title,
        ("/board", "Back to board appraisals"),
        html! {
            (error_summary(&errors))
            @if let Some(detail) = &conflict {
                div class="nhsuk-warning-callout" {
                    h2 class="nhsuk-warning-callout__label" { "Important: " span class="nhsuk-u-visually-hidden" { "your changes were not saved" } "Someone else changed this appraisal" }
                    p { (sentence(detail)) }
                    p { "Your changes were not saved. They are shown below against the latest version: check them and save again." }
                }
            }
            @if let Some(n) = notice {
                div class="nhsuk-inset-text" role="status" { p { (n) } }
            }
            h1 class="nhsuk-heading-xl" { (title) }
            (summary_rows(html! {
                (summary_row("Director", html! { (d.name) ", " (d.title) " (" (position_label(&d.position)) ")" }))
                (summary_row("Appraiser", html! { (appraiser_label(&d.position)) }))
                (summary_row("Framework", html! { (fw.title) ", version " (fw.version) }))
                (summary_row("Self-assessment", html! { (c.rated) " of " (c.total) " statements rated" }))
                (summary_row("Status", html! { (status_tag(a, &c)) }))
                (summary_row("Signed by the director", html! { (date_of(&a.director_signed_at)) }))
                (summary_row("Signed by the appraiser", html! { (date_of(&a.appraiser_signed_at)) }))
            }))
            p class="nhsuk-body" { a href=(format!("/board/directors/{}", d.id)) { (d.name) "'s profile across domains and years" } }

            h2 class="nhsuk-heading-l" { "Self-assessment" }
            @if may_rate {
                p class="nhsuk-body" { "Rate how often you demonstrate each statement, and note your evidence. You can save part of it and come back. Every statement must be rated before you sign off (" a href="/rules/BC-2" { "BC-2" } ")." }
                form method="post" action=(format!("/board/appraisals/{}/self-assessment", a.id)) novalidate {
                    (csrf_field(u))
                    input type="hidden" name="version" value=(version);
                    @for dom in &fw.domains {
                        h3 class="nhsuk-heading-m" { (dom.name) }
                        @for s in &dom.statements {
                            @let r = ratings.get(&s.id);
                            @let chosen = r.map(|r| r.rating.as_str()).unwrap_or("");
                            @let rid = rating_id(&s.id);
                            @let err = error_for(&rid);
                            div class=(if err.is_some() { "nhsuk-form-group nhsuk-form-group--error" } else { "nhsuk-form-group" }) {
                                fieldset class="nhsuk-fieldset" {
                                    legend class="nhsuk-fieldset__legend nhsuk-fieldset__legend--s" { (s.id) ": " (s.text) }
                                    @if let Some(e) = &err {
                                        span class="nhsuk-error-message" { span class="nhsuk-u-visually-hidden" { "Error: " } (e) }
                                    }
                                    div class="nhsuk-radios nhsuk-radios--inline" data-module="nhsuk-radios" {
                                        @for (i, p) in fw.scale.iter().enumerate() {
                                            @let id = if i == 0 { rid.clone() } else { format!("{rid}-{}", i + 1) };
                                            div class="nhsuk-radios__item" {
                                                input class="nhsuk-radios__input" id=(id) name=(format!("rating.{}", s.id)) type="radio" value=(p.key) checked[chosen == p.key];
                                                label class="nhsuk-label nhsuk-radios__label" for=(id) { (p.label) }
                                            }
                                        }
                                    }
                                }
                                @let eid = evidence_id(&s.id);
                                div class="nhsuk-form-group" {
                                    label class="nhsuk-label" for=(eid) { "Evidence for " (s.id) " (optional)" }
                                    textarea class="nhsuk-textarea" id=(eid) name=(format!("evidence.{}", s.id)) rows="2" { (r.map(|r| r.evidence.as_str()).unwrap_or("")) }
                                }
                            }
                        }
                    }
                    button class="nhsuk-button" type="submit" { "Save self-assessment" }
                }
            } @else {
                @if a.director_signed_at.is_some() {
                    p class="nhsuk-body" { "The director has signed off the self-assessment: it can no longer change." }
                }
                @for dom in &fw.domains {
                    (HtmlTable::new(&dom.name)
                        .medium_caption()
                        .columns(&["Statement", "Rating", "Evidence"])
                        .rows(dom.statements.iter().map(|s| {
                            let r = a.ratings.get(&s.id);
                            vec![
                                html! { (s.id) ": " (s.text) },
                                html! { (r.and_then(|r| fw.scale_point(&r.rating)).map_or("Not rated", |p| p.label.as_str())) },
                                html! { (r.map_or("", |r| r.evidence.as_str())) },
                            ]
                        })))
                }
            }

            h2 class="nhsuk-heading-l" { "Appraisal discussion" }
            @if may_discuss {
                form method="post" action=(format!("/board/appraisals/{}/discussion", a.id)) novalidate {
                    (csrf_field(u))
                    input type="hidden" name="version" value=(version);
                    @let derr = error_for("discussion");
                    div class=(if derr.is_some() { "nhsuk-form-group nhsuk-form-group--error" } else { "nhsuk-form-group" }) {
                        label class="nhsuk-label nhsuk-label--s" for="discussion" { "Record of the discussion" }
                        @if let Some(e) = &derr {
                            span class="nhsuk-error-message" { span class="nhsuk-u-visually-hidden" { "Error: " } (e) }
                        }
                        textarea class="nhsuk-textarea" id="discussion" name="discussion" rows="5" { (discussion) }
                    }
                    @let oerr = error_for("objectives");
                    div class=(if oerr.is_some() { "nhsuk-form-group nhsuk-form-group--error" } else { "nhsuk-form-group" }) {
                        label class="nhsuk-label nhsuk-label--s" for="objectives" { "Agreed development objectives" }
                        @if let Some(e) = &oerr {
                            span class="nhsuk-error-message" { span class="nhsuk-u-visually-hidden" { "Error: " } (e) }
                        }
                        textarea class="nhsuk-textarea" id="objectives" name="objectives" rows="4" { (objectives) }
                    }
                    button class="nhsuk-button" type="submit" { "Save the discussion" }
                }
            } @else {
                h3 class="nhsuk-heading-s" { "Record of the discussion" }
                p class="nhsuk-body" { @if a.discussion.trim().is_empty() { "Not yet recorded." } @else { (a.discussion) } }
                h3 class="nhsuk-heading-s" { "Agreed development objectives" }
                p class="nhsuk-body" { @if a.objectives.trim().is_empty() { "Not yet recorded." } @else { (a.objectives) } }
                @if !rel.appraiser {
                    p class="nhsuk-body-s" { "Only the appraiser records the discussion and objectives." }
                }
            }

            h2 class="nhsuk-heading-l" { "Sign off" }
            @let can_sign_director = rel.own && a.director_signed_at.is_none();
            @let can_sign_appraiser = rel.appraiser && a.appraiser_signed_at.is_none();
            @if can_sign_director || can_sign_appraiser {
                form method="post" action=(format!("/board/appraisals/{}/sign-off", a.id)) novalidate {
                    (csrf_field(u))
                    input type="hidden" name="version" value=(version);
                    p class="nhsuk-body" { "An incomplete self-assessment cannot be signed off." }
                    button class="nhsuk-button nhsuk-button--secondary" type="submit" id="sign-off" {
                        @if can_sign_director { "Sign off as director" } @else { "Sign off as appraiser" }
                    }
                }
            } @else {
                p class="nhsuk-body" { "There is nothing for you to sign." }
            }
        },
    )
}

fn page_response(status: StatusCode, m: Markup) -> Response {
    (status, m).into_response()
}

/// Query of the appraisal page: a notice after a save.
#[derive(Deserialize)]
pub struct Notice {
    /// What was saved.
    #[serde(default)]
    pub saved: Option<String>,
}

fn notice_text(saved: Option<&str>) -> Option<&'static str> {
    match saved? {
        "self" => Some("Your self-assessment has been saved."),
        "discussion" => Some("The discussion and objectives have been saved."),
        "signed" => Some("The appraisal has been signed off."),
        _ => None,
    }
}

/// `GET /board/appraisals/{id}`.
pub async fn show(
    State(state): State<AppState>,
    u: WebUser,
    Path(id): Path<i64>,
    Query(q): Query<Notice>,
) -> PageResult<Markup> {
    let (a, d, rel) = load_appraisal(&state, &u.user, id).await?;
    let fw = framework(&a.framework_version)?;
    Ok(render_appraisal(
        &u,
        AppraisalPage {
            a: &a,
            d: &d,
            rel,
            fw: &fw,
            errors: Vec::new(),
            notice: notice_text(q.saved.as_deref()),
            conflict: None,
            posted: Posted::default(),
        },
    ))
}

fn version_of(f: &FormData) -> Result<i64, WebError> {
    f.get("version")
        .parse()
        .map_err(|_| WebError::BadRequest("the form has no version: reload the page".into()))
}

/// Re-renders the appraisal with the user's posted values after a refusal: 409 on a stale
/// version (the user's text kept, the forms carrying the latest version), 422 with an error summary
/// otherwise. Other failures become their error pages.
async fn refused(
    state: &AppState,
    u: &WebUser,
    id: i64,
    e: AppError,
    field: &str,
    mut posted: Posted,
) -> PageResult<Response> {
    let (a, d, rel) = load_appraisal(state, &u.user, id).await?;
    let fw = framework(&a.framework_version)?;
    let (status, errors, conflict) = match e {
        AppError::Conflict { detail, .. } => {
            posted.version = Some(a.version);
            (StatusCode::CONFLICT, Vec::new(), Some(detail))
        }
        AppError::Unprocessable { message, .. } => (
            StatusCode::UNPROCESSABLE_ENTITY,
            vec![(field.to_string(), sentence(&message))],
            None,
        ),
        other => return Err(other.into()),
    };
    Ok(page_response(
        status,
        render_appraisal(
            u,
            AppraisalPage {
                a: &a,
                d: &d,
                rel,
                fw: &fw,
                errors,
                notice: None,
                conflict,
                posted,
            },
        ),
    ))
}

/// `POST /board/appraisals/{id}/self-assessment`.
pub async fn post_self_assessment(
    State(state): State<AppState>,
    Path(id): Path<i64>,
    Form(u, f): Form,
) -> PageResult<Response> {
    let (a, d, rel) = load_appraisal(&state, &u.user, id).await?;
    let fw = framework(&a.framework_version)?;
    let version = version_of(&f)?;
    let (posted, errors) = read_ratings(&fw, &f);
    if !errors.is_empty() {
        return Ok(page_response(
            StatusCode::UNPROCESSABLE_ENTITY,
            render_appraisal(
                &u,
                AppraisalPage {
                    a: &a,
                    d: &d,
                    rel,
                    fw: &fw,
                    errors,
                    notice: None,
                    conflict: None,
                    posted: Posted {
                        ratings: Some(posted),
                        discussion: None,
                        version: Some(version),
                    },
                },
            ),
        ));
    }
    match save_self_assessment(&state, &u.user, id, version, posted.clone()).await {
        Ok(()) => Ok(see_other(&format!("/board/appraisals/{id}?saved=self"))),
        Err(e) => {
            let field = fw.statement_ids().next().map(rating_id).unwrap_or_default();
            refused(
                &state,
                &u,
                id,
                e,
                &field,
                Posted {
                    ratings: Some(posted),
                    ..Posted::default()
                },
            )
            .await
        }
    }
}

/// `POST /board/appraisals/{id}/discussion`.
pub async fn post_discussion(
    State(state): State<AppState>,
    Path(id): Path<i64>,
    Form(u, f): Form,
) -> PageResult<Response> {
    let version = version_of(&f)?;
    let discussion = f.get("discussion").to_string();
    let objectives = f.get("objectives").to_string();
    let body = Discussion {
        version,
        discussion: discussion.clone(),
        objectives: objectives.clone(),
    };
    match save_discussion(&state, &u.user, id, body).await {
        Ok(()) => Ok(see_other(&format!(
            "/board/appraisals/{id}?saved=discussion"
        ))),
        Err(e) => {
            refused(
                &state,
                &u,
                id,
                e,
                "discussion",
                Posted {
                    discussion: Some((discussion, objectives)),
                    ..Posted::default()
                },
            )
            .await
        }
    }
}

/// `POST /board/appraisals/{id}/sign-off`: refused with an error summary while the
/// self-assessment is incomplete, linking to the first statement not rated.
pub async fn post_sign_off(
    State(state): State<AppState>,
    Path(id): Path<i64>,
    Form(u, f): Form,
) -> PageResult<Response> {
    let version = version_of(&f)?;
    match sign(&state, &u.user, id, version).await {
        Ok(()) => Ok(see_other(&format!("/board/appraisals/{id}?saved=signed"))),
        Err(e) => {
            let (a, _, rel) = load_appraisal(&state, &u.user, id).await?;
            let fw = framework(&a.framework_version)?;
            let c = completeness(&fw, &a.ratings);
            let field = match c.missing.first() {
                Some(first) if !c.complete() && rel.own => rating_id(first),
                _ if !c.complete() => "sign-off".to_string(),
                _ => "discussion".to_string(),
            };
            let e = match e {
                AppError::Unprocessable { field: fd, .. } if !c.complete() => {
                    AppError::Unprocessable {
                        message: format!(
                            "the self-assessment is incomplete and cannot be signed off: {} of {} statements are not rated yet",
                            c.missing.len(),
                            c.total,
                        ),
                        field: fd,
                    }
                }
                other => other,
            };
            refused(&state, &u, id, e, &field, Posted::default()).await
        }
    }
}
