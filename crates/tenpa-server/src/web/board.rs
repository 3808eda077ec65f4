//! Board competency appraisal pages (BC-1, BC-2): the boards a user sits on, a director's
//! appraisal (self-assessment, the appraiser's discussion, sign-off), a director's profile across
//! years and the board-level report with its downloads.
//!
//! Who sees what follows the JSON API (`api::board`): a director sees their own appraisals, the
//! appraiser (the chair for the chief executive and non-executives, the chief executive for
//! executive directors) those they appraise, the chair the whole board.

use super::chart::{bar_chart, Bar};
use super::export::{self, Cell, PdfDocument, PdfSection, Table};
use super::page::{
    csrf_field, error_summary, layout, layout_back, see_other, sentence, Form, FormData,
    PageResult, WebError, WebUser,
};
use crate::api::board::{
    appraiser_position, board_report, framework, load_appraisal, load_director, open_appraisal,
    profile_years, record_job_description, relation, save_discussion, save_self_assessment, sign,
    visible_appraisals, visible_organisations, BoardReport, Discussion, Relation, YearProfile,
};
use crate::error::AppError;
use crate::AppState;
use axum::extract::{Path, Query, State};
use axum::http::{header, StatusCode};
use axum::response::{IntoResponse, Response};
use chrono::Datelike;
use maud::{html, Markup};
use rust_decimal::Decimal;
use serde::Deserialize;
use std::collections::BTreeMap;
use tenpa_rules::board_competency::{
    check_job_description, completeness, Completeness, Framework, Rating, Ratings,
};
use tenpa_rules::Finding;
use tenpa_store::{BoardAppraisal, Director};

/// A position in words.
pub fn position_label(position: &str) -> &'static str {
    match position {
        "chair" => "Chair",
        "chief_executive" => "Chief executive",
        "executive" => "Executive director",
        "non_executive" => "Non-executive director",
        _ => "Director",
    }
}

/// Who appraises a director in this position, in words.
pub fn appraiser_label(position: &str) -> &'static str {
    match appraiser_position(position) {
        Some("chair") => "The chair",
        Some("chief_executive") => "The chief executive",
        _ => "Appraised outside the board",
    }
}

/// An appraisal year as "2024/25".
pub fn year_label(year: i64) -> String {
    format!("{year}/{:02}", (year + 1).rem_euclid(100))
}

/// A domain's short name for charts, from its key (`governance` → "Governance").
pub fn short_domain(key: &str) -> String {
    let mut c = key.chars();
    c.next()
        .map(|f| {
            f.to_uppercase()
                .chain(c.map(|c| if c == '_' { ' ' } else { c }))
                .collect()
        })
        .unwrap_or_default()
}

/// A mean score in hundredths as "3.25".
pub fn mean_text(hundredths: Option<u32>) -> String {
    match hundredths {
        Some(h) => format!("{}.{:02}", h / 100, h % 100),
        None => "No score".into(),
    }
}

/// The HTML id of a statement's rating radios (`governance.2` → `rating-governance-2`).
pub fn rating_id(statement: &str) -> String {
    format!(
        "rating-{}",
        statement.replace(|c: char| !c.is_ascii_alphanumeric(), "-")
    )
}

/// The HTML id of a statement's evidence box.
pub fn evidence_id(statement: &str) -> String {
    format!(
        "evidence-{}",
        statement.replace(|c: char| !c.is_ascii_alphanumeric(), "-")
    )
}

/// Reads a posted self-assessment: `rating.<statement>` and `evidence.<statement>` per statement of
/// the framework. Returns what was posted (a rating of "" where none was chosen, so that the
/// evidence is kept on screen) and the errors as (field id, message).
pub fn read_ratings(fw: &Framework, form: &FormData) -> (Ratings, Vec<(String, String)>) {
    let mut posted = Ratings::new();
    let mut errors = Vec::new();
    for d in &fw.domains {
        for s in &d.statements {
            let rating = form.get(&format!("rating.{}", s.id)).to_string();
            let evidence = form.get(&format!("evidence.{}", s.id)).to_string();
            if rating.is_empty() && evidence.is_empty() {
                continue;
            }
            if !rating.is_empty() && fw.scale_point(&rating).is_none() {
                errors.push((
                    rating_id(&s.id),
                    format!("Statement {}: choose a rating from the scale", s.id),
                ));
            } else if rating.is_empty() {
                errors.push((
                    rating_id(&s.id),
                    format!(
                        "Statement {}: choose a rating for the evidence you wrote, or clear the evidence",
                        s.id
                    ),
                ));
            }
            posted.insert(s.id.clone(), Rating { rating, evidence });
        }
    }
    (posted, errors)
}

/// The status of an appraisal in words.
pub fn appraisal_status(a: &BoardAppraisal, c: &Completeness) -> String {
    match (
        a.director_signed_at.is_some(),
        a.appraiser_signed_at.is_some(),
    ) {
        (true, true) => "Signed off by director and appraiser".into(),
        (true, false) => "Signed by the director; waiting for the appraiser".into(),
        (false, true) => "Signed by the appraiser; waiting for the director".into(),
        (false, false) if c.complete() => "Self-assessment complete; not signed".into(),
        (false, false) => format!(
            "Self-assessment in progress: {} of {} statements rated",
            c.rated, c.total
        ),
    }
}

fn status_tag(a: &BoardAppraisal, c: &Completeness) -> Markup {
    let colour = match (
        a.director_signed_at.is_some(),
        a.appraiser_signed_at.is_some(),
    ) {
        (true, true) => "nhsuk-tag--green",
        (true, false) | (false, true) => "nhsuk-tag--blue",
        _ if c.complete() => "nhsuk-tag--aqua-green",
        _ => "nhsuk-tag--grey",
    };
    html! { strong class=(format!("nhsuk-tag {colour}")) { (appraisal_status(a, c)) } }
}

/// A finding with its rule linked.
pub fn finding_line(f: &Finding) -> Markup {
    html! {
        a href=(format!("/rules/{}", f.rule)) { (f.rule) } ": " (sentence(&f.message))
    }
}

fn severity_tag(f: &Finding) -> Markup {
    use tenpa_rules::finding::Severity;
    let (colour, label) = match f.severity {
        Severity::Error => ("nhsuk-tag--red", "Error"),
        Severity::Warning => ("nhsuk-tag--orange", "Warning"),
        Severity::Info => ("nhsuk-tag--grey", "Information"),
    };
    html! { strong class=(format!("nhsuk-tag {colour}")) { (label) } }
}

fn findings_list(findings: &[Finding], none: &str) -> Markup {
    html! {
        @if findings.is_empty() {
            (none)
        } @else {
            ul class="nhsuk-list" {
                @for f in findings {
                    li { (severity_tag(f)) " " (finding_line(f)) }
                }
            }
        }
    }
}

fn date_of(at: &Option<String>) -> String {
    at.as_deref()
        .map(|s| s.get(..10).unwrap_or(s).to_string())
        .unwrap_or_else(|| "Not signed".into())
}

// ---------------------------------------------------------------- /board

/// `GET /board`: the boards the user sits on (every organisation for an admin), each director with
/// their job description check (BC-2) and the appraisals the user may see.
pub async fn index(State(state): State<AppState>, u: WebUser) -> PageResult<Markup> {
    let orgs = visible_organisations(&state, &u.user).await?;
    let mine = state.store.directors_of_user(&u.user.username).await?;
    let seen = visible_appraisals(&state, &u.user).await?;
    let admin = u.user.has(tenpa_rules::job_planning::Role::Admin);
    let fw = Framework::latest();
    let this_year = i64::from(chrono::Utc::now().year());
    let mut sections = Vec::new();
    for o in &orgs {
        let chair = crate::api::board::chair_of(&mine, o.id);
        let mut rows: Vec<(Director, Relation)> = Vec::new();
        for d in state.store.directors(o.id).await? {
            let rel = relation(&state, &u.user, &d).await?;
            if admin || rel.own || rel.appraiser || rel.chair {
                rows.push((d, rel));
            }
        }
        let openable: Vec<&Director> = rows
            .iter()
            .filter(|(_, r)| r.own || r.appraiser)
            .map(|(d, _)| d)
            .collect();
        sections.push(html! {
            section {
                h2 class="nhsuk-heading-l" { (o.name) }
                @if chair || admin {
                    p class="nhsuk-body" {
                        a href=(format!("/board/organisations/{}/report", o.id)) { "Board report for " (o.name) }
                    }
                }
                table class="nhsuk-table" {
                    caption class="nhsuk-table__caption" { "Directors of " (o.name) " you may see" }
                    thead class="nhsuk-table__head" { tr class="nhsuk-table__row" {
                        th class="nhsuk-table__header" scope="col" { "Director" }
                        th class="nhsuk-table__header" scope="col" { "Role" }
                        th class="nhsuk-table__header" scope="col" { "Job description (BC-2)" }
                        th class="nhsuk-table__header" scope="col" { "Appraisals" }
                    } }
                    tbody class="nhsuk-table__body" {
                        @for (d, rel) in &rows {
                            @let findings = check_job_description(&fw, &d.job_domains);
                            @let theirs: Vec<&BoardAppraisal> = seen.iter().filter(|a| a.director_id == d.id).collect();
                            tr class="nhsuk-table__row" {
                                td class="nhsuk-table__cell" {
                                    @if rel.own || rel.appraiser || rel.chair {
                                        a href=(format!("/board/directors/{}", d.id)) { (d.name) }
                                    } @else {
                                        (d.name)
                                    }
                                    br; span class="nhsuk-body-s" { (d.title) }
                                }
                                td class="nhsuk-table__cell" { (position_label(&d.position)) }
                                td class="nhsuk-table__cell" {
                                    (findings_list(&findings, "Includes all six domains"))
                                }
                                td class="nhsuk-table__cell" {
                                    @if theirs.is_empty() {
                                        "None you may see"
                                    } @else {
                                        ul class="nhsuk-list" {
                                            @for a in &theirs {
                                                @let c = framework(&a.framework_version).map(|fw| completeness(&fw, &a.ratings));
                                                li {
                                                    a href=(format!("/board/appraisals/{}", a.id)) { "Appraisal " (year_label(a.year)) " for " (d.name) }
                                                    @if let Ok(c) = &c { br; (status_tag(a, c)) }
                                                }
                                            }
                                        }
                                    }
                                }
                            }
                        }
                    }
                }
                @if !openable.is_empty() {
                    form method="post" action="/board/appraisals" novalidate {
                        (csrf_field(&u))
                        h3 class="nhsuk-heading-s" { "Start an appraisal" }
                        div class="tenpa-inline" {
                            div class="nhsuk-form-group" {
                                label class="nhsuk-label" for=(format!("director-{}", o.id)) { "Director" }
                                select class="nhsuk-select" id=(format!("director-{}", o.id)) name="director_id" {
                                    @for d in &openable { option value=(d.id) { (d.name) } }
                                }
                            }
                            div class="nhsuk-form-group" {
                                label class="nhsuk-label" for=(format!("year-{}", o.id)) { "Year the appraisal starts" }
                                div class="nhsuk-hint" id=(format!("year-{}-hint", o.id)) { "For example, 2025 for 2025/26" }
                                input class="nhsuk-input nhsuk-input--width-4" id=(format!("year-{}", o.id)) name="year" inputmode="numeric" value=(this_year) aria-describedby=(format!("year-{}-hint", o.id));
                            }
                        }
                        button class="nhsuk-button nhsuk-button--secondary" type="submit" { "Start the appraisal" }
                    }
                }
            }
        });
    }
    Ok(layout(
        &u,
        "Board",
        html! {
            h1 class="nhsuk-heading-xl" { "Board competency appraisals" }
            p class="nhsuk-body" {
                "Board-level directors assess themselves each year against the six domains of the "
                a href="/rules/BC-1" { "competency framework (BC-1)" }
                " and discuss it with their appraiser ("
                a href="/rules/BC-2" { "BC-2" } ")."
            }
            @if sections.is_empty() {
                p class="nhsuk-body" { "You do not sit on a board recorded in Tenpa." }
            }
            @for s in sections { (s) }
        },
    ))
}

/// `POST /board/appraisals`: opens an appraisal for a director and year.
pub async fn create(State(state): State<AppState>, Form(u, f): Form) -> PageResult<Response> {
    let director_id: i64 = f
        .get("director_id")
        .parse()
        .map_err(|_| WebError::BadRequest("choose a director".into()))?;
    let Ok(year) = f.get("year").parse::<i64>() else {
        return Err(WebError::BadRequest(
            "year: enter the year the appraisal starts, such as 2025".into(),
        ));
    };
    let (id, _) = open_appraisal(&state, &u.user, director_id, year).await?;
    Ok(see_other(&format!("/board/appraisals/{id}")))
}

// ---------------------------------------------------------------- one appraisal

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
            dl class="nhsuk-summary-list" {
                div class="nhsuk-summary-list__row" {
                    dt class="nhsuk-summary-list__key" { "Director" }
                    dd class="nhsuk-summary-list__value" { (d.name) ", " (d.title) " (" (position_label(&d.position)) ")" }
                }
                div class="nhsuk-summary-list__row" {
                    dt class="nhsuk-summary-list__key" { "Appraiser" }
                    dd class="nhsuk-summary-list__value" { (appraiser_label(&d.position)) }
                }
                div class="nhsuk-summary-list__row" {
                    dt class="nhsuk-summary-list__key" { "Framework" }
                    dd class="nhsuk-summary-list__value" { (fw.title) ", version " (fw.version) }
                }
                div class="nhsuk-summary-list__row" {
                    dt class="nhsuk-summary-list__key" { "Self-assessment" }
                    dd class="nhsuk-summary-list__value" { (c.rated) " of " (c.total) " statements rated" }
                }
                div class="nhsuk-summary-list__row" {
                    dt class="nhsuk-summary-list__key" { "Status" }
                    dd class="nhsuk-summary-list__value" { (status_tag(a, &c)) }
                }
                div class="nhsuk-summary-list__row" {
                    dt class="nhsuk-summary-list__key" { "Signed by the director" }
                    dd class="nhsuk-summary-list__value" { (date_of(&a.director_signed_at)) }
                }
                div class="nhsuk-summary-list__row" {
                    dt class="nhsuk-summary-list__key" { "Signed by the appraiser" }
                    dd class="nhsuk-summary-list__value" { (date_of(&a.appraiser_signed_at)) }
                }
            }
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
                    table class="nhsuk-table" {
                        caption class="nhsuk-table__caption nhsuk-table__caption--m" { (dom.name) }
                        thead class="nhsuk-table__head" { tr class="nhsuk-table__row" {
                            th class="nhsuk-table__header" scope="col" { "Statement" }
                            th class="nhsuk-table__header" scope="col" { "Rating" }
                            th class="nhsuk-table__header" scope="col" { "Evidence" }
                        } }
                        tbody class="nhsuk-table__body" {
                            @for s in &dom.statements {
                                @let r = a.ratings.get(&s.id);
                                tr class="nhsuk-table__row" {
                                    td class="nhsuk-table__cell" { (s.id) ": " (s.text) }
                                    td class="nhsuk-table__cell" {
                                        (r.and_then(|r| fw.scale_point(&r.rating)).map_or("Not rated", |p| p.label.as_str()))
                                    }
                                    td class="nhsuk-table__cell" { (r.map_or("", |r| r.evidence.as_str())) }
                                }
                            }
                        }
                    }
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
        AppError::Unprocessable { detail, .. } => (
            StatusCode::UNPROCESSABLE_ENTITY,
            vec![(field.to_string(), sentence(&detail))],
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
                        detail: format!(
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

// ---------------------------------------------------------------- a director's profile

/// The years × domains table of a director's profile: one row per domain (name, then per year the
/// mean score and the count of "no chance to demonstrate").
pub fn profile_rows(fw: &Framework, years: &[YearProfile]) -> Vec<(String, Vec<String>)> {
    fw.domains
        .iter()
        .map(|dom| {
            let cells = years
                .iter()
                .map(|y| {
                    y.profile
                        .domains
                        .iter()
                        .find(|p| p.key == dom.key)
                        .map_or_else(
                            || "Not in this version".to_string(),
                            |p| {
                                let none = p
                                    .distribution
                                    .iter()
                                    .filter(|(k, _)| {
                                        fw.scale_point(k).is_some_and(|s| s.score.is_none())
                                    })
                                    .map(|(_, n)| n)
                                    .sum::<usize>();
                                if none > 0 {
                                    format!(
                                        "{} ({} no chance to demonstrate)",
                                        mean_text(p.mean_hundredths),
                                        none
                                    )
                                } else {
                                    mean_text(p.mean_hundredths)
                                }
                            },
                        )
                })
                .collect();
            (dom.name.clone(), cells)
        })
        .collect()
}

fn domain_bars(profile: &tenpa_rules::board_competency::Profile) -> Vec<Bar> {
    profile
        .domains
        .iter()
        .map(|d| Bar {
            label: short_domain(&d.key),
            value: Decimal::new(i64::from(d.mean_hundredths.unwrap_or(0)), 2),
            shown: match d.mean_hundredths {
                Some(_) => format!("{} of 4", mean_text(d.mean_hundredths)),
                None => "No score".into(),
            },
        })
        .collect()
}

/// The director page's query: a notice after the job description was saved.
#[derive(Deserialize, Default)]
pub struct DirectorQuery {
    /// Set after a save.
    #[serde(default)]
    pub saved: Option<String>,
}

/// `GET /board/directors/{id}`.
pub async fn director(
    State(state): State<AppState>,
    u: WebUser,
    Path(id): Path<i64>,
    q: Result<Query<DirectorQuery>, axum::extract::rejection::QueryRejection>,
) -> PageResult<Markup> {
    let saved = q.map(|Query(q)| q.saved.is_some()).unwrap_or(false);
    director_page(&state, &u, id, saved, None).await
}

/// `POST /board/directors/{id}/job-description`: the domains the job description covers (BC-2).
pub async fn post_job_description(
    State(state): State<AppState>,
    Path(id): Path<i64>,
    Form(u, form): Form,
) -> PageResult {
    let domains: Vec<String> = form.all("domain").into_iter().map(str::to_string).collect();
    match record_job_description(&state, &u.user, id, &domains).await {
        Ok(()) => Ok(see_other(&format!("/board/directors/{id}?saved=1"))),
        Err(AppError::Unprocessable { detail, .. }) => {
            let page = director_page(&state, &u, id, false, Some(sentence(&detail))).await?;
            Ok((StatusCode::UNPROCESSABLE_ENTITY, page).into_response())
        }
        Err(e) => Err(e.into()),
    }
}

async fn director_page(
    state: &AppState,
    u: &WebUser,
    id: i64,
    saved: bool,
    error: Option<String>,
) -> PageResult<Markup> {
    let (d, years) = profile_years(state, &u.user, id).await?;
    let record = load_director(state, id).await?;
    let may_record = u.user.has(tenpa_rules::job_planning::Role::Admin)
        || relation(state, &u.user, &record).await?.chair;
    let fw = Framework::latest();
    let rows = profile_rows(&fw, &years);
    let latest = years.iter().rev().find(|y| y.complete).or(years.last());
    let findings = check_job_description(&fw, &d.job_domains);
    let title = format!("{}: competency profile", d.name);
    let errors: Vec<(String, String)> = error
        .iter()
        .map(|e| ("domain-0".to_string(), e.clone()))
        .collect();
    Ok(layout_back(
        u,
        &title,
        ("/board", "Back to board appraisals"),
        html! {
            (error_summary(&errors))
            @if saved {
                div class="nhsuk-inset-text" { span class="nhsuk-u-visually-hidden" { "Information: " } p { "The job description's domains are saved." } }
            }
            h1 class="nhsuk-heading-xl" { (title) }
            dl class="nhsuk-summary-list" {
                div class="nhsuk-summary-list__row" {
                    dt class="nhsuk-summary-list__key" { "Role" }
                    dd class="nhsuk-summary-list__value" { (d.title) " (" (position_label(&d.position)) ")" }
                }
                div class="nhsuk-summary-list__row" {
                    dt class="nhsuk-summary-list__key" { "Job description" }
                    dd class="nhsuk-summary-list__value" { (findings_list(&findings, "Includes all six domains")) }
                }
            }
            @if may_record {
                form method="post" action=(format!("/board/directors/{id}/job-description")) novalidate {
                    (csrf_field(u))
                    div class="nhsuk-form-group" {
                        fieldset class="nhsuk-fieldset" aria-describedby="domains-hint" {
                            legend class="nhsuk-fieldset__legend nhsuk-fieldset__legend--m" {
                                h2 class="nhsuk-fieldset__heading" { "Domains the job description covers" }
                            }
                            div class="nhsuk-hint" id="domains-hint" {
                                "A director's job description should include all six domains of the framework (" a href="/rules/BC-2" { "BC-2" } ")."
                            }
                            div class="nhsuk-checkboxes" data-module="nhsuk-checkboxes" {
                                @for (i, dom) in fw.domains.iter().enumerate() {
                                    div class="nhsuk-checkboxes__item" {
                                        input class="nhsuk-checkboxes__input" id=(format!("domain-{i}")) name="domain" type="checkbox" value=(dom.key) checked[record.job_domains.contains(&dom.key)];
                                        label class="nhsuk-label nhsuk-checkboxes__label" for=(format!("domain-{i}")) { (dom.name) }
                                    }
                                }
                            }
                        }
                    }
                    button class="nhsuk-button" data-module="nhsuk-button" type="submit" { "Save the job description" }
                }
            }
            @if years.is_empty() {
                p class="nhsuk-body" { "No appraisals are recorded yet." }
            } @else {
                p class="nhsuk-body" { "Mean score per domain: 4 is \"almost always\", 1 is \"rarely\". \"No chance to demonstrate\" has no score and is counted beside it." }
                div class="nhsuk-table-container" tabindex="0" role="region" aria-label="Mean score by domain and year (scrolls sideways)" {
                    table class="nhsuk-table" {
                        caption class="nhsuk-table__caption" { "Mean score by domain and year" }
                        thead class="nhsuk-table__head" { tr class="nhsuk-table__row" {
                            th class="nhsuk-table__header" scope="col" { "Domain" }
                            @for y in &years {
                                th class="nhsuk-table__header" scope="col" {
                                    a href=(format!("/board/appraisals/{}", y.appraisal_id)) { (year_label(y.year)) }
                                    @if !y.complete { " (incomplete)" }
                                }
                            }
                        } }
                        tbody class="nhsuk-table__body" {
                            @for (name, cells) in &rows {
                                tr class="nhsuk-table__row" {
                                    th class="nhsuk-table__header" scope="row" { (name) }
                                    @for c in cells { td class="nhsuk-table__cell" { (c) } }
                                }
                            }
                        }
                    }
                }
                @if let Some(y) = latest {
                    div class="tenpa-chart" {
                        (bar_chart(
                            "director-profile",
                            &format!("Mean score by domain, {}", year_label(y.year)),
                            "The mean self-assessment score in each of the six domains, out of 4; the table above gives the same figures.",
                            &domain_bars(&y.profile),
                        ))
                    }
                }
            }
        },
    ))
}

// ---------------------------------------------------------------- the board report

/// The report's year in the query.
#[derive(Deserialize)]
pub struct YearQuery {
    /// The appraisal year; the latest with appraisals when absent.
    #[serde(default)]
    pub year: Option<String>,
}

async fn report_for(
    state: &AppState,
    u: &WebUser,
    id: i64,
    q: &YearQuery,
) -> PageResult<BoardReport> {
    let year = match q.year.as_deref().map(str::trim).filter(|s| !s.is_empty()) {
        Some(y) => y.parse::<i64>().map_err(|_| {
            WebError::BadRequest(format!("year: found \"{y}\", expected a year such as 2024"))
        })?,
        None => default_year(
            &state.store.board_appraisals(id, None).await?,
            i64::from(chrono::Utc::now().year()),
        ),
    };
    Ok(board_report(state, &u.user, id, year).await?)
}

/// The year a board report opens on: the latest year with a signed self-assessment, else the
/// latest year with an appraisal, else `this_year`.
pub fn default_year(appraisals: &[BoardAppraisal], this_year: i64) -> i64 {
    appraisals
        .iter()
        .filter(|a| a.director_signed_at.is_some())
        .map(|a| a.year)
        .max()
        .or_else(|| appraisals.iter().map(|a| a.year).max())
        .unwrap_or(this_year)
}

fn domain_name(r: &BoardReport, key: &str) -> String {
    r.profile
        .domains
        .iter()
        .find(|d| d.key == key)
        .map_or_else(|| key.to_string(), |d| d.name.clone())
}

/// `GET /board/organisations/{id}/report`.
pub async fn report(
    State(state): State<AppState>,
    u: WebUser,
    Path(id): Path<i64>,
    Query(q): Query<YearQuery>,
) -> PageResult<Markup> {
    let r = report_for(&state, &u, id, &q).await?;
    let fw = framework(&r.profile.version)?;
    let title = format!(
        "Board report {}: {}",
        year_label(r.year),
        r.organisation.name
    );
    let base = format!("/board/organisations/{id}/report");
    Ok(layout_back(
        &u,
        &title,
        ("/board", "Back to board appraisals"),
        html! {
            h1 class="nhsuk-heading-xl" { (title) }
            p class="nhsuk-body" {
                "From the " (r.profile.appraisals) " complete self-assessments of " (year_label(r.year))
                " (framework version " (r.profile.version) ")."
            }
            form method="get" action=(base) class="tenpa-no-print" novalidate {
                div class="tenpa-inline" {
                    div class="nhsuk-form-group" {
                        label class="nhsuk-label" for="year" { "Year the appraisals start" }
                        input class="nhsuk-input nhsuk-input--width-4" id="year" name="year" inputmode="numeric" value=(r.year);
                    }
                }
                button class="nhsuk-button nhsuk-button--secondary" type="submit" { "Show the year" }
            }
            h2 class="nhsuk-heading-l" { "Where the board is weakest" }
            @if r.profile.weakest.is_empty() {
                p class="nhsuk-body" { "No complete self-assessments to compare yet." }
            } @else {
                ul class="nhsuk-list nhsuk-list--bullet" {
                    @for k in &r.profile.weakest { li { (domain_name(&r, k)) } }
                }
            }
            div class="nhsuk-table-container" tabindex="0" role="region" aria-label="Mean score and ratings by domain (scrolls sideways)" {
            table class="nhsuk-table" {
                caption class="nhsuk-table__caption" { "Mean score and ratings by domain" }
                thead class="nhsuk-table__head" { tr class="nhsuk-table__row" {
                    th class="nhsuk-table__header" scope="col" { "Domain" }
                    th class="nhsuk-table__header tenpa-number" scope="col" { "Mean score (of 4)" }
                    @for p in &fw.scale { th class="nhsuk-table__header tenpa-number" scope="col" { (p.label) } }
                } }
                tbody class="nhsuk-table__body" {
                    @for dp in &r.profile.domains {
                        tr class="nhsuk-table__row" {
                            th class="nhsuk-table__header" scope="row" { (dp.name) }
                            td class="nhsuk-table__cell tenpa-number" { (mean_text(dp.mean_hundredths)) }
                            @for (_, n) in &dp.distribution { td class="nhsuk-table__cell tenpa-number" { (n) } }
                        }
                    }
                }
            }
            }
            div class="tenpa-chart" {
                (bar_chart(
                    "board-profile",
                    &format!("Board mean score by domain, {}", year_label(r.year)),
                    "The board's mean self-assessment score in each domain, out of 4; the table above gives the same figures.",
                    &domain_bars(&r.profile),
                ))
            }
            h2 class="nhsuk-heading-l" { "Statements many could not demonstrate" }
            p class="nhsuk-body" { "Statements marked \"no chance to demonstrate\" in at least " (fw.many_percent) "% of the complete self-assessments." }
            @if r.profile.not_demonstrated.is_empty() {
                p class="nhsuk-body" { "None." }
            } @else {
                table class="nhsuk-table" {
                    caption class="nhsuk-table__caption" { "Statements marked \"no chance to demonstrate\" by many" }
                    thead class="nhsuk-table__head" { tr class="nhsuk-table__row" {
                        th class="nhsuk-table__header" scope="col" { "Statement" }
                        th class="nhsuk-table__header tenpa-number" scope="col" { "Self-assessments" }
                    } }
                    tbody class="nhsuk-table__body" {
                        @for s in &r.profile.not_demonstrated {
                            tr class="nhsuk-table__row" {
                                td class="nhsuk-table__cell" { (s.id) ": " (s.text) }
                                td class="nhsuk-table__cell tenpa-number" { (s.count) " of " (s.of) }
                            }
                        }
                    }
                }
            }
            h2 class="nhsuk-heading-l" { "Directors" }
            table class="nhsuk-table" {
                caption class="nhsuk-table__caption" { "Each director's appraisal for " (year_label(r.year)) }
                thead class="nhsuk-table__head" { tr class="nhsuk-table__row" {
                    th class="nhsuk-table__header" scope="col" { "Director" }
                    th class="nhsuk-table__header" scope="col" { "Role" }
                    th class="nhsuk-table__header" scope="col" { "Job description (BC-2)" }
                    th class="nhsuk-table__header" scope="col" { "Statements rated" }
                    th class="nhsuk-table__header" scope="col" { "Signed by director" }
                    th class="nhsuk-table__header" scope="col" { "Signed by appraiser" }
                } }
                tbody class="nhsuk-table__body" {
                    @for d in &r.directors {
                        tr class="nhsuk-table__row" {
                            td class="nhsuk-table__cell" {
                                @if let Some(aid) = d.appraisal_id {
                                    a href=(format!("/board/appraisals/{aid}")) { (d.name) }
                                } @else { (d.name) }
                            }
                            td class="nhsuk-table__cell" { (position_label(&d.position)) }
                            td class="nhsuk-table__cell" { (findings_list(&d.job_description_findings, "Includes all six domains")) }
                            td class="nhsuk-table__cell" {
                                @if d.appraisal_id.is_some() { (d.rated) " of " (fw.statement_ids().count()) } @else { "No appraisal" }
                            }
                            td class="nhsuk-table__cell" { (if d.director_signed { "Yes" } else { "No" }) }
                            td class="nhsuk-table__cell" { (if d.appraiser_signed { "Yes" } else { "No" }) }
                        }
                    }
                }
            }
            (downloads(id, r.year))
        },
    ))
}

fn downloads(id: i64, year: i64) -> Markup {
    html! {
        h2 class="nhsuk-heading-m" { "Download the report" }
        ul class="nhsuk-list" {
            li { a href=(format!("/board/organisations/{id}/report.csv?year={year}")) download { "Board report as CSV" } }
            li { a href=(format!("/board/organisations/{id}/report.xlsx?year={year}")) download { "Board report as a spreadsheet (XLSX)" } }
            li { a href=(format!("/board/organisations/{id}/report.pdf?year={year}")) download { "Board report as PDF" } }
        }
    }
}

/// The board profile by domain as a table for downloads: each domain's mean score, the count of
/// each point of the scale, and whether it is among the weakest.
pub fn domain_table(r: &BoardReport, fw: &Framework) -> Table {
    let mut columns = vec!["Domain".to_string(), "Mean score (of 4)".to_string()];
    columns.extend(fw.scale.iter().map(|p| p.label.clone()));
    columns.push("Weakest".into());
    let rows = r
        .profile
        .domains
        .iter()
        .map(|d| {
            let mut row = vec![
                Cell::Text(d.name.clone()),
                d.mean_hundredths.map_or(Cell::Empty, |h| {
                    Cell::Decimal(Decimal::new(i64::from(h), 2))
                }),
            ];
            row.extend(
                d.distribution
                    .iter()
                    .map(|(_, n)| Cell::Integer(i64::try_from(*n).unwrap_or(i64::MAX))),
            );
            row.push(Cell::Text(
                if r.profile.weakest.contains(&d.key) {
                    "Yes"
                } else {
                    "No"
                }
                .into(),
            ));
            row
        })
        .collect();
    Table {
        title: format!(
            "Board report {} {}",
            year_label(r.year),
            r.organisation.name
        ),
        columns,
        rows,
    }
}

fn count(n: usize) -> Cell {
    Cell::Integer(i64::try_from(n).unwrap_or(i64::MAX))
}

/// The whole board report as a PDF document.
pub fn report_pdf_document(r: &BoardReport, fw: &Framework) -> PdfDocument {
    let weakest: Vec<String> = r
        .profile
        .weakest
        .iter()
        .map(|k| domain_name(r, k))
        .collect();
    let not_demonstrated = Table {
        title: "Statements marked \"no chance to demonstrate\" by many".into(),
        columns: vec!["Statement".into(), "Self-assessments".into(), "Of".into()],
        rows: r
            .profile
            .not_demonstrated
            .iter()
            .map(|s| {
                vec![
                    Cell::Text(format!("{}: {}", s.id, s.text)),
                    count(s.count),
                    count(s.of),
                ]
            })
            .collect(),
    };
    let total = fw.statement_ids().count();
    let directors = Table {
        title: format!("Each director's appraisal for {}", year_label(r.year)),
        columns: vec![
            "Director".into(),
            "Role".into(),
            "Job description (BC-2)".into(),
            "Statements rated".into(),
            "Signed by director".into(),
            "Signed by appraiser".into(),
        ],
        rows: r
            .directors
            .iter()
            .map(|d| {
                let jd = if d.job_description_findings.is_empty() {
                    "Includes all six domains".to_string()
                } else {
                    d.job_description_findings
                        .iter()
                        .map(|f| format!("{}: {}", f.rule, sentence(&f.message)))
                        .collect::<Vec<_>>()
                        .join(" ")
                };
                let yes = |b: bool| Cell::Text(if b { "Yes" } else { "No" }.into());
                vec![
                    Cell::Text(d.name.clone()),
                    Cell::Text(position_label(&d.position).into()),
                    Cell::Text(jd),
                    if d.appraisal_id.is_some() {
                        Cell::Text(format!("{} of {total}", d.rated))
                    } else {
                        Cell::Text("No appraisal".into())
                    },
                    yes(d.director_signed),
                    yes(d.appraiser_signed),
                ]
            })
            .collect(),
    };
    PdfDocument {
        title: format!("Board report {}", year_label(r.year)),
        subtitle: r.organisation.name.clone(),
        sections: vec![
            PdfSection::KeyValues(vec![
                ("Organisation".into(), r.organisation.name.clone()),
                ("Year".into(), year_label(r.year)),
                (
                    "Complete self-assessments".into(),
                    r.profile.appraisals.to_string(),
                ),
                ("Framework version".into(), r.profile.version.clone()),
                (
                    "Weakest domains".into(),
                    if weakest.is_empty() {
                        "None yet".into()
                    } else {
                        weakest.join("; ")
                    },
                ),
            ]),
            PdfSection::Heading("Mean score and ratings by domain".into()),
            PdfSection::Table(domain_table(r, fw)),
            PdfSection::Heading("Statements many could not demonstrate".into()),
            if not_demonstrated.rows.is_empty() {
                PdfSection::Paragraph("None.".into())
            } else {
                PdfSection::Table(not_demonstrated)
            },
            PdfSection::Heading("Directors".into()),
            PdfSection::Table(directors),
        ],
    }
}

fn download(content_type: &'static str, filename: String, body: Vec<u8>) -> Response {
    (
        [
            (header::CONTENT_TYPE, content_type.to_string()),
            (
                header::CONTENT_DISPOSITION,
                format!("attachment; filename=\"{filename}\""),
            ),
        ],
        body,
    )
        .into_response()
}

fn file_stem(r: &BoardReport) -> String {
    format!("board-report-{}-{}", r.organisation.id, r.year)
}

/// `GET /board/organisations/{id}/report.csv`.
pub async fn report_csv(
    State(state): State<AppState>,
    u: WebUser,
    Path(id): Path<i64>,
    Query(q): Query<YearQuery>,
) -> PageResult<Response> {
    let r = report_for(&state, &u, id, &q).await?;
    let fw = framework(&r.profile.version)?;
    Ok(download(
        "text/csv; charset=utf-8",
        format!("{}.csv", file_stem(&r)),
        export::csv(&domain_table(&r, &fw)).into_bytes(),
    ))
}

/// `GET /board/organisations/{id}/report.xlsx`.
pub async fn report_xlsx(
    State(state): State<AppState>,
    u: WebUser,
    Path(id): Path<i64>,
    Query(q): Query<YearQuery>,
) -> PageResult<Response> {
    let r = report_for(&state, &u, id, &q).await?;
    let fw = framework(&r.profile.version)?;
    let bytes = export::xlsx(&domain_table(&r, &fw))
        .map_err(|e| WebError::Internal(format!("board report spreadsheet: {e}")))?;
    Ok(download(
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        format!("{}.xlsx", file_stem(&r)),
        bytes,
    ))
}

/// `GET /board/organisations/{id}/report.pdf`.
pub async fn report_pdf(
    State(state): State<AppState>,
    u: WebUser,
    Path(id): Path<i64>,
    Query(q): Query<YearQuery>,
) -> PageResult<Response> {
    let r = report_for(&state, &u, id, &q).await?;
    let fw = framework(&r.profile.version)?;
    Ok(download(
        "application/pdf",
        format!("{}.pdf", file_stem(&r)),
        export::pdf(&report_pdf_document(&r, &fw)),
    ))
}

/// Counts of ratings per scale key in one map, for tests and summaries.
pub fn rating_counts(fw: &Framework, ratings: &Ratings) -> BTreeMap<String, usize> {
    let mut out: BTreeMap<String, usize> = fw.scale.iter().map(|p| (p.key.clone(), 0)).collect();
    for r in ratings.values() {
        if let Some(n) = out.get_mut(&r.rating) {
            *n += 1;
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn labels_and_ids() {
        assert_eq!(year_label(2024), "2024/25");
        assert_eq!(year_label(2099), "2099/00");
        assert_eq!(mean_text(Some(325)), "3.25");
        assert_eq!(mean_text(Some(300)), "3.00");
        assert_eq!(mean_text(None), "No score");
        assert_eq!(rating_id("governance.2"), "rating-governance-2");
        assert_eq!(evidence_id("governance.2"), "evidence-governance-2");
        assert_eq!(appraiser_label("executive"), "The chief executive");
        assert_eq!(appraiser_label("non_executive"), "The chair");
        assert_eq!(appraiser_label("chair"), "Appraised outside the board");
        assert_eq!(position_label("chief_executive"), "Chief executive");
    }

    /// Source: BC-2, ratings on the sliding scale with evidence.
    #[test]
    fn posted_ratings_are_read_and_checked() {
        let fw = Framework::latest();
        let f = FormData(vec![
            ("rating.outcomes.1".into(), "often".into()),
            ("evidence.outcomes.1".into(), " Board minutes ".into()),
            ("rating.outcomes.2".into(), "brilliantly".into()),
            (
                "evidence.outcomes.3".into(),
                "Notes without a rating".into(),
            ),
            ("rating.not.a.statement".into(), "often".into()),
        ]);
        let (r, errors) = read_ratings(&fw, &f);
        assert_eq!(r["outcomes.1"].rating, "often");
        assert_eq!(r["outcomes.1"].evidence, "Board minutes");
        assert_eq!(r["outcomes.3"].rating, "");
        assert!(!r.contains_key("not.a.statement"));
        assert_eq!(errors.len(), 2);
        assert_eq!(errors[0].0, "rating-outcomes-2");
        assert_eq!(errors[1].0, "rating-outcomes-3");
        assert!(errors[1].1.contains("clear the evidence"));
        let counts = rating_counts(&fw, &r);
        assert_eq!(counts["often"], 1);
        assert_eq!(counts["no_chance"], 0);
    }

    #[test]
    fn statuses_in_words() {
        let fw = Framework::latest();
        let mut a = BoardAppraisal {
            id: 1,
            director_id: 1,
            year: 2024,
            framework_version: fw.version.clone(),
            ratings: Ratings::new(),
            discussion: String::new(),
            objectives: String::new(),
            director_signed_at: None,
            appraiser_signed_at: None,
            version: 1,
            updated_at: String::new(),
        };
        let c = completeness(&fw, &a.ratings);
        assert_eq!(
            appraisal_status(&a, &c),
            "Self-assessment in progress: 0 of 24 statements rated"
        );
        assert_eq!(default_year(&[], 2026), 2026);
        let mut next = a.clone();
        next.year = 2025;
        assert_eq!(default_year(&[a.clone(), next.clone()], 2026), 2025);
        a.director_signed_at = Some("2024-06-30T10:00:00Z".into());
        assert_eq!(default_year(&[a.clone(), next], 2026), 2024);
        assert_eq!(short_domain("governance"), "Governance");
        assert_eq!(
            appraisal_status(&a, &c),
            "Signed by the director; waiting for the appraiser"
        );
        assert_eq!(date_of(&a.director_signed_at), "2024-06-30");
        assert_eq!(date_of(&None), "Not signed");
    }

    /// Source: BC-2, the board view by domain.
    #[test]
    fn profile_rows_give_means_and_no_chance_counts() {
        let fw = Framework::latest();
        let mut r: Ratings = fw
            .statement_ids()
            .map(|id| {
                (
                    id.to_string(),
                    Rating {
                        rating: "often".into(),
                        evidence: String::new(),
                    },
                )
            })
            .collect();
        r.get_mut("governance.1").unwrap().rating = "no_chance".into();
        let years = vec![YearProfile {
            year: 2024,
            appraisal_id: 7,
            complete: true,
            profile: tenpa_rules::board_competency::profile(&fw, &[&r]),
        }];
        let rows = profile_rows(&fw, &years);
        assert_eq!(rows.len(), 6);
        let g = rows
            .iter()
            .find(|(n, _)| n == "Providing robust governance and assurance")
            .unwrap();
        assert_eq!(g.1, ["3.00 (1 no chance to demonstrate)"]);
        assert_eq!(rows[0].1, ["3.00"]);
        let bars = domain_bars(&years[0].profile);
        assert_eq!(bars[0].value, Decimal::new(300, 2));
        assert_eq!(bars[0].shown, "3.00 of 4");
    }

    /// Source: BC-2, the board-level view as downloads.
    #[test]
    fn the_report_becomes_a_table_and_a_pdf() {
        let fw = Framework::latest();
        let mut r: Ratings = fw
            .statement_ids()
            .map(|id| {
                (
                    id.to_string(),
                    Rating {
                        rating: "almost_always".into(),
                        evidence: String::new(),
                    },
                )
            })
            .collect();
        r.get_mut("equality.3").unwrap().rating = "no_chance".into();
        r.get_mut("equality.1").unwrap().rating = "rarely".into();
        let report = BoardReport {
            organisation: tenpa_store::Organisation {
                id: 3,
                name: "A Trust".into(),
                kind: "trust".into(),
            },
            year: 2024,
            directors: vec![crate::api::board::ReportDirector {
                id: 1,
                name: "Dr A".into(),
                position: "executive".into(),
                job_description_findings: check_job_description(&fw, &[]),
                appraisal_id: Some(9),
                rated: 24,
                director_signed: true,
                appraiser_signed: false,
            }],
            profile: tenpa_rules::board_competency::profile(&fw, &[&r]),
        };
        let t = domain_table(&report, &fw);
        assert_eq!(t.columns.len(), 2 + fw.scale.len() + 1);
        assert_eq!(t.rows.len(), 6);
        let equality = &t.rows[2];
        assert_eq!(equality[1], Cell::Decimal(Decimal::new(300, 2)));
        assert_eq!(equality.last(), Some(&Cell::Text("Yes".into())));
        let csv = export::csv(&t);
        assert!(csv.starts_with("Domain,Mean score (of 4),Almost always"));
        let pdf = export::pdf(&report_pdf_document(&report, &fw));
        assert!(pdf.starts_with(b"%PDF-"));
        assert_eq!(file_stem(&report), "board-report-3-2024");
    }
}
