//! Objectives and reviews: a consultant's objectives under the A 7.2 headings with their progress
//! notes (A 7.5-7.7), their job plan reviews with the four A 9.4 criteria, and the review form
//! (an annual review opens a pay progression case, PP-3).
//!
//! Each objective shows its state (JP-3: proposed until the consultant and their manager have both
//! agreed its current text), who agreed it and when, a button for the side still to agree, an edit
//! form (an edit is a new version both sides agree again), and its versions.
//!
//! Every write goes through the same functions as the JSON API ([`crate::api::objectives::record`],
//! [`crate::api::objectives::record_note`], [`crate::api::objectives::record_edit`],
//! [`crate::api::objectives::record_agreement`], [`crate::api::progression::record_review`]), so
//! the pages allow exactly what the API allows.

use super::page::{
    csrf_field, error_summary, layout, layout_back, see_other, sentence, urlencode, Form, FormData,
    PageResult, WebError, WebUser,
};
use crate::api::objectives::{self as api, sees, Heading};
use crate::api::progression::{record_review, NewReview, REVIEWERS};
use crate::error::AppError;
use crate::policy::job_plan_scope;
use crate::policy::may_review;
use crate::AppState;
use axum::extract::{Path, RawQuery, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use chrono::{Datelike, NaiveDate};
use maud::{html, Markup};
use tenpa_rules::job_planning::ObjectiveSide;

use tenpa_rules::plan::OutsideWork;
use tenpa_store::{ConsultantRecord, Objective, Review, Scope};

/// The four criteria of A 9.4: (field, short name, question, what it means in plain words).
pub const CRITERIA: [(&str, &str, &str, &str); 4] = [
    (
        "met_time_and_service",
        "Time and service commitments",
        "Did the consultant meet the time and service commitments of their job plan?",
        "They did the sessions and duties the job plan sets out, allowing for changes agreed during the year.",
    ),
    (
        "met_objectives_or_reasonable_effort",
        "Personal objectives",
        "Did the consultant meet their personal objectives, or make every reasonable effort to?",
        "Where something outside their control got in the way, such as a theatre closure, every reasonable effort counts as met (A 7.6).",
    ),
    (
        "took_part_in_appraisal_and_job_planning",
        "Appraisal and job planning",
        "Did the consultant take part in appraisal, job planning and setting objectives?",
        "They took part in their annual appraisal, the job plan review and agreeing their objectives.",
    ),
    (
        "worked_towards_service_changes",
        "Service changes",
        "Did the consultant work towards the service changes agreed at the last review?",
        "They worked towards the changes to services agreed at the last job plan review, as far as these were theirs to make.",
    ),
];

/// Whether the review met the criterion named `field`.
pub fn criterion(r: &Review, field: &str) -> bool {
    match field {
        "met_time_and_service" => r.met_time_and_service,
        "met_objectives_or_reasonable_effort" => r.met_objectives_or_reasonable_effort,
        "took_part_in_appraisal_and_job_planning" => r.took_part_in_appraisal_and_job_planning,
        "worked_towards_service_changes" => r.worked_towards_service_changes,
        _ => false,
    }
}

/// "Met" or "Not met" as a tag.
pub fn met_tag(met: bool) -> Markup {
    html! {
        @if met { strong class="nhsuk-tag nhsuk-tag--green" { "Met" } }
        @else { strong class="nhsuk-tag nhsuk-tag--red" { "Not met" } }
    }
}

/// A date stored as YYYY-MM-DD (or a timestamp starting with one) as "1 August 2025".
pub fn long_date(s: &str) -> String {
    s.get(..10)
        .and_then(|d| NaiveDate::parse_from_str(d, "%Y-%m-%d").ok())
        .map(|d| d.format("%-d %B %Y").to_string())
        .unwrap_or_else(|| s.to_string())
}

/// The query string as fields (an unreadable one reads as empty).
pub fn query(q: Option<String>) -> FormData {
    FormData::parse(q.unwrap_or_default().as_bytes()).unwrap_or_default()
}

/// The error message of `field`, if any.
pub fn error_of<'a>(errors: &'a [(String, String)], field: &str) -> Option<&'a str> {
    errors
        .iter()
        .find(|(f, _)| f == field)
        .map(|(_, m)| m.as_str())
}

/// The classes of a form group, marked when the field has an error.
pub fn group_class(error: Option<&str>) -> &'static str {
    if error.is_some() {
        "nhsuk-form-group nhsuk-form-group--error"
    } else {
        "nhsuk-form-group"
    }
}

/// An NHS error message for field `id`.
pub fn error_message(id: &str, error: Option<&str>) -> Markup {
    html! {
        @if let Some(e) = error {
            span class="nhsuk-error-message" id=(format!("{id}-error")) {
                span class="nhsuk-u-visually-hidden" { "Error: " } (e)
            }
        }
    }
}

/// A success banner.
pub fn success_banner(heading: &str, more: Markup) -> Markup {
    html! {
        div class="nhsuk-notification-banner nhsuk-notification-banner--success" role="alert" aria-labelledby="success-title" data-module="nhsuk-notification-banner" {
            div class="nhsuk-notification-banner__header" {
                h2 class="nhsuk-notification-banner__title" id="success-title" { "Success" }
            }
            div class="nhsuk-notification-banner__content" {
                p class="nhsuk-notification-banner__heading" { (heading) }
                (more)
            }
        }
    }
}

/// The consultants the user may see, (id, name, department), by name: from the job plans in
/// their scope.
pub async fn consultants_in_scope(
    state: &AppState,
    u: &WebUser,
) -> PageResult<Vec<(String, String, String)>> {
    let mut out: Vec<(String, String, String)> = state
        .store
        .job_plans(&job_plan_scope(&u.user))
        .await?
        .into_iter()
        .map(|p| (p.consultant_id, p.consultant_name, p.department))
        .collect();
    out.sort_by(|a, b| a.1.cmp(&b.1).then(a.0.cmp(&b.0)));
    out.dedup_by(|a, b| a.0 == b.0);
    Ok(out)
}

/// The consultant `id`, if the user may see their records (404, 403 otherwise).
pub async fn visible_consultant(
    state: &AppState,
    u: &WebUser,
    id: &str,
) -> PageResult<ConsultantRecord> {
    let c = state
        .store
        .consultant(id)
        .await?
        .ok_or_else(|| WebError::NotFound(format!("there is no consultant {id} on record")))?;
    if !sees(&u.user, &c.id, c.department_id) {
        return Err(WebError::Forbidden(format!(
            "the records of consultant {id} are not ones you may see"
        )));
    }
    Ok(c)
}

/// A form to choose a consultant, sent with GET to `action`.
pub(crate) fn chooser(
    action: &str,
    people: &[(String, String, String)],
    current: Option<&str>,
) -> Markup {
    html! {
        form class="tenpa-no-print" method="get" action=(action) novalidate {
            div class="nhsuk-form-group" {
                label class="nhsuk-label" for="consultant" { "Consultant" }
                select class="nhsuk-select" id="consultant" name="consultant" {
                    @for (id, name, dept) in people {
                        option value=(id) selected[current == Some(id.as_str())] { (name) " (" (dept) ", " (id) ")" }
                    }
                }
            }
            button class="nhsuk-button nhsuk-button--secondary" type="submit" { "Show this consultant" }
        }
    }
}

/// The consultant a page about one consultant's records shows: `?consultant=ID`, else the user's
/// own record (403/404 as `visible_consultant`); with neither, `Err` holding the page that asks which
/// consultant, at `action` with `title`, saying `none` when the user may see nobody's and `choose`
/// otherwise.
pub(crate) async fn chosen_consultant(
    state: &AppState,
    u: &WebUser,
    q: &FormData,
    (action, title): (&str, &str),
    none: &str,
    choose: &str,
) -> PageResult<Result<ConsultantRecord, Markup>> {
    let wanted = match q.get("consultant") {
        "" => u.user.consultant_id.clone(),
        id => Some(id.to_string()),
    };
    let Some(id) = wanted else {
        let people = consultants_in_scope(state, u).await?;
        return Ok(Err(layout(
            u,
            title,
            html! {
                h1 class="nhsuk-heading-l" { (title) }
                @if people.is_empty() {
                    p class="nhsuk-body" { (none) }
                } @else {
                    p class="nhsuk-body" { (choose) }
                    (chooser(action, &people, None))
                }
            },
        )));
    };
    Ok(Ok(visible_consultant(state, u, &id).await?))
}

/// What the objectives page shows besides the stored records.
#[derive(Default)]
struct Entered {
    errors: Vec<(String, String)>,
    year: String,
    heading: String,
    text: String,
    note_for: Option<i64>,
    note: String,
    outside: bool,
    /// The objective whose edit form the user sent, with the heading, text and version sent.
    edit_for: Option<i64>,
    edit_heading: String,
    edit_text: String,
    edit_version: String,
    /// The objective someone else changed since the user opened the page, and what to say.
    conflict: Option<(i64, String)>,
}

/// `GET /objectives[?consultant=ID]`.
pub async fn show(
    State(state): State<AppState>,
    u: WebUser,
    RawQuery(q): RawQuery,
) -> PageResult<Markup> {
    let q = query(q);
    let c = match chosen_consultant(
        &state,
        &u,
        &q,
        ("/objectives", "Objectives and reviews"),
        "There are no consultants whose objectives you may see.",
        "Choose a consultant to see their objectives and reviews.",
    )
    .await?
    {
        Ok(c) => c,
        Err(choose) => return Ok(choose),
    };
    let banner = match q.get("done") {
        "objective" => Some(success_banner("The objective has been added.", html! {})),
        "note" => Some(success_banner(
            "The progress note has been added.",
            html! {},
        )),
        "agreed" => Some(success_banner(
            "Your agreement to the objective has been recorded.",
            html! {},
        )),
        "edited" => Some(success_banner(
            "The objective has been changed.",
            html! { p { "The new version is proposed: the consultant and their manager both agree it again." } },
        )),
        "review" => {
            let case = q.get("case").parse::<i64>().ok();
            Some(success_banner(
                "The review has been recorded.",
                html! {
                    @if let Some(k) = case {
                        p { "The annual review opened a pay progression case for the medical director's recommendation. "
                            a class="nhsuk-notification-banner__link" href=(format!("/progression/{k}")) { "Open pay progression case " (k) } }
                    }
                },
            ))
        }
        _ => None,
    };
    let entered = Entered {
        year: chrono::Utc::now().year().to_string(),
        ..Entered::default()
    };
    page(&state, &u, &c, banner, entered, StatusCode::OK)
        .await
        .map(|(_, m)| m)
}

async fn page(
    state: &AppState,
    u: &WebUser,
    c: &ConsultantRecord,
    banner: Option<Markup>,
    e: Entered,
    status: StatusCode,
) -> PageResult<(StatusCode, Markup)> {
    let scope = job_plan_scope(&u.user);
    let objectives = state.store.objectives(&scope, Some(&c.id), None).await?;
    let reviews: Vec<Review> = state
        .store
        .reviews(&scope)
        .await?
        .into_iter()
        .filter(|r| r.consultant_id == c.id)
        .collect();
    let cases = state.store.progression_cases(&scope).await?;
    let may_add = crate::policy::may_add_objectives(&u.user, c);
    let may_record = may_review(&u.user, c);
    let people = if matches!(scope, Scope::Consultant(_)) {
        vec![]
    } else {
        consultants_in_scope(state, u).await?
    };
    let own = u.user.consultant_id.as_deref() == Some(c.id.as_str());
    let title = if own {
        "Your objectives and reviews".to_string()
    } else {
        format!("Objectives and reviews: {}", c.name)
    };
    let groups: Vec<(String, Vec<&Objective>)> = Heading::ALL
        .iter()
        .map(|h| {
            (
                h.label().to_string(),
                objectives
                    .iter()
                    .filter(|o| o.heading == h.as_str())
                    .collect::<Vec<_>>(),
            )
        })
        .chain(std::iter::once((
            "Other headings".to_string(),
            objectives
                .iter()
                .filter(|o| Heading::parse(&o.heading).is_none())
                .collect(),
        )))
        .filter(|(label, list)| !(label == "Other headings" && list.is_empty()))
        .collect();
    let body = html! {
        @if let Some(b) = banner { (b) }
        (error_summary(&e.errors))
        h1 class="nhsuk-heading-l" { (title) }
        @if !people.is_empty() {
            (chooser("/objectives", &people, Some(&c.id)))
        }
        p class="nhsuk-body" {
            a href=(format!("/consultants/{}/timeline", urlencode(&c.id))) { "See " (if own { "your" } else { "the consultant's" }) " pay progression timeline" }
        }
        p class="nhsuk-body" {
            a href=(format!("/extra-pa-offers?consultant={}", urlencode(&c.id))) { "See the extra PAs offered to " (if own { "you" } else { "the consultant" }) }
        }
        p class="nhsuk-body" {
            a href=(format!("/consultants/{}/awards", urlencode(&c.id))) { "See " (if own { "your" } else { "the consultant's" }) " awards and premia" }
        }
        p class="nhsuk-body" {
            a href=(format!("/consultants/{}/private-practice", urlencode(&c.id))) { "See " (if own { "your" } else { "the consultant's" }) " private practice disclosures" }
        }
        h2 class="nhsuk-heading-m" { "Objectives" }
        p class="nhsuk-body" { "Objectives are agreed at the job plan review under the headings of A 7.2: an objective is proposed until the consultant and their manager (the clinical director or the medical director) have both agreed it, and a change to it is agreed again (JP-3). Progress notes record how each is going, including anything outside the consultant's control (A 7.6)." }
        @for (label, list) in &groups {
            h3 class="nhsuk-heading-s" { (label) }
            @if list.is_empty() {
                p class="nhsuk-body-s" { "No objectives under this heading." }
            }
            @for o in list {
                (objective_card(u, o, may_add, &e))
            }
        }
        @if may_add { (new_objective_form(u, c, &e)) }
        h2 class="nhsuk-heading-m" id="reviews" { "Reviews" }
        @if may_record {
            p class="nhsuk-body" { a class="nhsuk-button nhsuk-button--secondary" href=(format!("/reviews/new?consultant={}", urlencode(&c.id))) { "Record a review" } }
        }
        @if reviews.is_empty() {
            p class="nhsuk-body" { "No reviews are recorded." }
        } @else {
            (reviews_table(&reviews, &cases))
        }
    };
    Ok((status, layout(u, &title, body)))
}

fn objective_card(u: &WebUser, o: &Objective, may_add: bool, e: &Entered) -> Markup {
    let id = format!("note-{}", o.id);
    let outside_id = format!("outside-{}", o.id);
    let mine = e.note_for == Some(o.id);
    let err = if mine { error_of(&e.errors, &id) } else { None };
    html! {
        div class="nhsuk-card tenpa-objective" id=(format!("objective-{}", o.id)) {
            div class="nhsuk-card__content" {
                p class="nhsuk-body" { (state_tag(&o.state)) " " span class="nhsuk-body-s" { "Version " (o.version) } }
                p class="nhsuk-body nhsuk-u-font-weight-bold" { (o.text) }
                p class="nhsuk-body-s" { "Year " (o.year) ". Set by " (o.created_by) " on " (long_date(&o.created_at)) "."
                    @if o.version > 1 { @if let Some(v) = o.versions.last() { " Changed by " (v.created_by) " on " (long_date(&v.created_at)) "." } } }
                @if let Some((_, notice)) = e.conflict.as_ref().filter(|(id, _)| *id == o.id) {
                    div class="nhsuk-warning-callout" {
                        h4 class="nhsuk-warning-callout__label" { span role="text" { span class="nhsuk-u-visually-hidden" { "Important: " } (notice) } }
                        p { "It now reads (version " (o.version) "): " strong { (o.text) } }
                    }
                }
                (agreement_list(o))
                @let waiting = api::waiting_for(&u.user, o);
                @for side in &waiting {
                    form method="post" action=(format!("/objectives/{}/agreement", o.id)) novalidate {
                        (csrf_field(u))
                        input type="hidden" name="version" value=(o.version);
                        input type="hidden" name="side" value=(side_name(*side));
                        button class="nhsuk-button" type="submit" { "Agree this objective" span class="nhsuk-u-visually-hidden" { " " (side_words(*side)) } }
                    }
                }
                @if o.notes.is_empty() {
                    p class="nhsuk-body-s" { "No progress notes yet." }
                } @else {
                    h4 class="nhsuk-heading-xs" { "Progress notes" }
                    ul class="nhsuk-list tenpa-notes" {
                        @for n in &o.notes {
                            li {
                                (n.note)
                                @if n.outside_control { " " strong class="nhsuk-tag nhsuk-tag--yellow" { "Outside the consultant's control (A 7.6)" } }
                                br;
                                span class="nhsuk-body-s" { (n.created_by) ", " (long_date(&n.created_at)) }
                            }
                        }
                    }
                }
                @if may_add {
                    details class="nhsuk-details" open[mine] {
                        summary class="nhsuk-details__summary" {
                            span class="nhsuk-details__summary-text" { "Add a progress note" span class="nhsuk-u-visually-hidden" { " to this objective" } }
                        }
                        div class="nhsuk-details__text" {
                            form method="post" action=(format!("/objectives/{}/notes", o.id)) novalidate {
                                (csrf_field(u))
                                div class=(group_class(err)) {
                                    label class="nhsuk-label" for=(id) { "Progress note" }
                                    (error_message(&id, err))
                                    textarea class=(if err.is_some() { "nhsuk-textarea nhsuk-textarea--error" } else { "nhsuk-textarea" }) id=(id) name="note" rows="3" aria-describedby=[err.map(|_| format!("{id}-error"))] {
                                        @if mine { (e.note) }
                                    }
                                }
                                div class="nhsuk-form-group" {
                                    div class="nhsuk-checkboxes" data-module="nhsuk-checkboxes" {
                                        div class="nhsuk-checkboxes__item" {
                                            input class="nhsuk-checkboxes__input" id=(outside_id) name="outside_control" type="checkbox" value="yes" checked[mine && e.outside];
                                            label class="nhsuk-label nhsuk-checkboxes__label" for=(outside_id) { "This note records factors outside the consultant's control (A 7.6)" }
                                        }
                                    }
                                }
                                button class="nhsuk-button nhsuk-button--secondary" type="submit" { "Add the note" }
                            }
                        }
                    }
                    (edit_form(u, o, e))
                }
                p class="nhsuk-body-s" {
                    a href=(format!("/objectives/{}/versions", o.id)) {
                        @if o.versions.len() == 1 { "See the history of this objective" } @else { "See the " (o.versions.len()) " versions of this objective" }
                        span class="nhsuk-u-visually-hidden" { ": " (o.text) }
                    }
                }
            }
        }
    }
}

/// The NHS tag of an objective's state.
pub fn state_tag(state: &str) -> Markup {
    match state {
        "agreed" => html! { strong class="nhsuk-tag nhsuk-tag--green" { "Agreed" } },
        _ => html! { strong class="nhsuk-tag nhsuk-tag--blue" { "Proposed" } },
    }
}

/// A side as sent by the agreement form.
fn side_name(s: ObjectiveSide) -> &'static str {
    match s {
        ObjectiveSide::Consultant => "consultant",
        ObjectiveSide::Manager => "manager",
    }
}

/// A side in words, for a button's hidden text.
fn side_words(s: ObjectiveSide) -> &'static str {
    match s {
        ObjectiveSide::Consultant => "as the consultant",
        ObjectiveSide::Manager => "as the consultant's manager",
    }
}

/// Who agreed the current version for each side, and when.
fn agreement_list(o: &Objective) -> Markup {
    let row = |label: &str, by: &Option<String>, at: &Option<String>| {
        html! {
            div class="nhsuk-summary-list__row" {
                dt class="nhsuk-summary-list__key" { (label) }
                dd class="nhsuk-summary-list__value" {
                    @match (by, at) {
                        (Some(by), Some(at)) => { "Agreed by " (by) " on " (long_date(at)) }
                        _ => { "Not yet agreed" }
                    }
                }
            }
        }
    };
    html! {
        dl class="nhsuk-summary-list tenpa-agreement" {
            (row("Consultant", &o.agreement.agreed_by_consultant, &o.agreement.agreed_by_consultant_at))
            (row("Manager", &o.agreement.agreed_by_manager, &o.agreement.agreed_by_manager_at))
        }
    }
}

/// The form to change an objective's heading and text: prefilled with the current version, or
/// with what the user sent when it was refused.
fn edit_form(u: &WebUser, o: &Objective, e: &Entered) -> Markup {
    let mine = e.edit_for == Some(o.id);
    let text_id = format!("edit-text-{}", o.id);
    let heading_id = format!("edit-heading-{}", o.id);
    let text_err = if mine {
        error_of(&e.errors, &text_id)
    } else {
        None
    };
    let heading_err = if mine {
        error_of(&e.errors, &heading_id)
    } else {
        None
    };
    let (heading, text, version) = if mine {
        (
            e.edit_heading.as_str(),
            e.edit_text.as_str(),
            e.edit_version.clone(),
        )
    } else {
        (o.heading.as_str(), o.text.as_str(), o.version.to_string())
    };
    html! {
        details class="nhsuk-details" open[mine] {
            summary class="nhsuk-details__summary" {
                span class="nhsuk-details__summary-text" { "Edit" span class="nhsuk-u-visually-hidden" { " this objective" } }
            }
            div class="nhsuk-details__text" {
                p class="nhsuk-body-s" { "A change is a new version: the consultant and their manager both agree it again." }
                form method="post" action=(format!("/objectives/{}/edit", o.id)) novalidate {
                    (csrf_field(u))
                    input type="hidden" name="version" value=(version);
                    div class=(group_class(heading_err)) {
                        fieldset class="nhsuk-fieldset" aria-describedby=[heading_err.map(|_| format!("{heading_id}-error"))] {
                            legend class="nhsuk-fieldset__legend nhsuk-fieldset__legend--s" { "Heading (A 7.2)" }
                            (error_message(&heading_id, heading_err))
                            div class="nhsuk-radios nhsuk-radios--small" data-module="nhsuk-radios" {
                                @for (i, h) in Heading::ALL.iter().enumerate() {
                                    @let rid = if i == 0 { heading_id.clone() } else { format!("{heading_id}-{}", i + 1) };
                                    div class="nhsuk-radios__item" {
                                        input class="nhsuk-radios__input" id=(rid) name="heading" type="radio" value=(h.as_str()) checked[heading == h.as_str()];
                                        label class="nhsuk-label nhsuk-radios__label" for=(rid) { (h.label()) }
                                    }
                                }
                            }
                        }
                    }
                    div class=(group_class(text_err)) {
                        label class="nhsuk-label" for=(text_id) { "Objective" }
                        (error_message(&text_id, text_err))
                        textarea class=(if text_err.is_some() { "nhsuk-textarea nhsuk-textarea--error" } else { "nhsuk-textarea" }) id=(text_id) name="text" rows="3" aria-describedby=[text_err.map(|_| format!("{text_id}-error"))] { (text) }
                    }
                    button class="nhsuk-button nhsuk-button--secondary" type="submit" { "Save the new version" }
                }
            }
        }
    }
}

fn new_objective_form(u: &WebUser, c: &ConsultantRecord, e: &Entered) -> Markup {
    let year_err = error_of(&e.errors, "year");
    let heading_err = error_of(&e.errors, "heading");
    let text_err = error_of(&e.errors, "text");
    html! {
        h2 class="nhsuk-heading-m" id="add-objective" { "Add an objective" }
        form method="post" action="/objectives" novalidate {
            (csrf_field(u))
            input type="hidden" name="consultant" value=(c.id);
            div class=(group_class(year_err)) {
                label class="nhsuk-label" for="year" { "Job plan year" }
                div class="nhsuk-hint" id="year-hint" { "The calendar year the job plan year starts in, for example 2025." }
                (error_message("year", year_err))
                input class=(if year_err.is_some() { "nhsuk-input nhsuk-input--width-4 nhsuk-input--error" } else { "nhsuk-input nhsuk-input--width-4" }) id="year" name="year" type="text" inputmode="numeric" value=(e.year) aria-describedby=(if year_err.is_some() { "year-hint year-error" } else { "year-hint" });
            }
            div class=(group_class(heading_err)) {
                fieldset class="nhsuk-fieldset" aria-describedby=[heading_err.map(|_| "heading-error")] {
                    legend class="nhsuk-fieldset__legend nhsuk-fieldset__legend--s" { "Heading (A 7.2)" }
                    (error_message("heading", heading_err))
                    div class="nhsuk-radios" data-module="nhsuk-radios" {
                        @for (i, h) in Heading::ALL.iter().enumerate() {
                            @let rid = if i == 0 { "heading".to_string() } else { format!("heading-{}", i + 1) };
                            div class="nhsuk-radios__item" {
                                input class="nhsuk-radios__input" id=(rid) name="heading" type="radio" value=(h.as_str()) checked[e.heading == h.as_str()];
                                label class="nhsuk-label nhsuk-radios__label" for=(rid) { (h.label()) }
                            }
                        }
                    }
                }
            }
            div class=(group_class(text_err)) {
                label class="nhsuk-label" for="text" { "Objective" }
                div class="nhsuk-hint" id="text-hint" { "What is to be achieved, in a way that can be measured at the next review." }
                (error_message("text", text_err))
                textarea class=(if text_err.is_some() { "nhsuk-textarea nhsuk-textarea--error" } else { "nhsuk-textarea" }) id="text" name="text" rows="3" aria-describedby=(if text_err.is_some() { "text-hint text-error" } else { "text-hint" }) { (e.text) }
            }
            button class="nhsuk-button" type="submit" { "Add the objective" }
        }
    }
}

fn reviews_table(reviews: &[Review], cases: &[tenpa_store::Case]) -> Markup {
    html! {
        div class="nhsuk-table-container" {
        table class="nhsuk-table" {
            caption class="nhsuk-table__caption" { "Job plan reviews and the four criteria of A 9.4" }
            thead class="nhsuk-table__head" { tr class="nhsuk-table__row" {
                th class="nhsuk-table__header" scope="col" { "Review" }
                th class="nhsuk-table__header" scope="col" { "Year ending" }
                @for (_, short, _, _) in CRITERIA { th class="nhsuk-table__header" scope="col" { (short) } }
                th class="nhsuk-table__header" scope="col" { "Notes" }
                th class="nhsuk-table__header" scope="col" { "Pay progression" }
            } }
            tbody class="nhsuk-table__body" {
                @for r in reviews {
                    tr class="nhsuk-table__row" {
                        th class="nhsuk-table__cell" scope="row" { @if r.kind == "annual" { "Annual" } @else { "Interim" } }
                        td class="nhsuk-table__cell" { (long_date(&r.year_ending)) }
                        @for (field, _, _, _) in CRITERIA { td class="nhsuk-table__cell" { (met_tag(criterion(r, field))) } }
                        td class="nhsuk-table__cell" { (r.notes) }
                        td class="nhsuk-table__cell" {
                            @match cases.iter().find(|k| k.review_id == r.id) {
                                Some(k) => a href=(format!("/progression/{}", k.id)) { "Case " (k.id) span class="nhsuk-u-visually-hidden" { ", year ending " (long_date(&r.year_ending)) } },
                                None => "None",
                            }
                        }
                    }
                }
            }
        }
        }
    }
}

/// The field an API error names, and its message in plain words.
fn field_error(e: AppError, default_field: &str) -> Result<(String, String), WebError> {
    match e {
        AppError::Unprocessable { detail, field } | AppError::BadRequest { detail, field } => {
            let field = field.unwrap_or_else(|| {
                detail
                    .split_once(':')
                    .map(|(f, _)| f.trim().to_string())
                    .filter(|f| !f.contains(' '))
                    .unwrap_or_else(|| default_field.to_string())
            });
            let message = detail
                .split_once(": ")
                .filter(|(f, _)| *f == field)
                .map_or(detail.as_str(), |(_, m)| m)
                .to_string();
            Ok((field, sentence(&message)))
        }
        other => Err(WebError::from(other)),
    }
}

/// `POST /objectives`.
pub async fn create(State(state): State<AppState>, Form(u, f): Form) -> PageResult<Response> {
    let c = visible_consultant(&state, &u, f.get("consultant")).await?;
    let mut e = Entered {
        year: f.get("year").to_string(),
        heading: f.get("heading").to_string(),
        text: f.get("text").to_string(),
        ..Entered::default()
    };
    let year = e.year.parse::<i64>().ok();
    if year.is_none() {
        e.errors.push((
            "year".into(),
            "Enter the job plan year as 4 digits, for example 2025".into(),
        ));
    }
    let heading = Heading::parse(&e.heading);
    if heading.is_none() {
        e.errors.push((
            "heading".into(),
            "Select the heading of the objective".into(),
        ));
    }
    if e.text.is_empty() {
        e.errors.push(("text".into(), "Enter the objective".into()));
    }
    if let (Some(year), Some(heading), true) = (year, heading, e.errors.is_empty()) {
        match api::record(&state, &u.user, &c.id, year, heading, &e.text).await {
            Ok(_) => {
                return Ok(see_other(&format!(
                    "/objectives?consultant={}&done=objective",
                    urlencode(&c.id)
                )))
            }
            Err(err) => e.errors.push(field_error(err, "text")?),
        }
    }
    let (status, m) = page(&state, &u, &c, None, e, StatusCode::UNPROCESSABLE_ENTITY).await?;
    Ok((status, m).into_response())
}

/// `POST /objectives/{id}/notes`.
pub async fn add_note(
    State(state): State<AppState>,
    Path(id): Path<i64>,
    Form(u, f): Form,
) -> PageResult<Response> {
    let o = api::load(&state, &u.user, id).await?;
    let c = visible_consultant(&state, &u, &o.consultant_id).await?;
    let field = format!("note-{id}");
    let mut e = Entered {
        year: chrono::Utc::now().year().to_string(),
        note_for: Some(id),
        note: f.get("note").to_string(),
        outside: f.has("outside_control"),
        ..Entered::default()
    };
    if e.note.is_empty() {
        e.errors
            .push((field.clone(), "Enter the progress note".into()));
    } else {
        match api::record_note(&state, &u.user, id, &e.note, e.outside).await {
            Ok(()) => {
                return Ok(see_other(&format!(
                    "/objectives?consultant={}&done=note#objective-{id}",
                    urlencode(&c.id)
                )))
            }
            Err(err) => {
                let (_, m) = field_error(err, "note")?;
                e.errors.push((field, m));
            }
        }
    }
    let (status, m) = page(&state, &u, &c, None, e, StatusCode::UNPROCESSABLE_ENTITY).await?;
    Ok((status, m).into_response())
}

/// The page again after a refused edit or agreement of objective `o`: 409 with a notice on its
/// card when someone changed it since the user opened the page (what the user typed is kept, with
/// the form now naming the current version), 422 with the error summary for bad input.
async fn refused(
    state: &AppState,
    u: &WebUser,
    o: &Objective,
    err: AppError,
    mut e: Entered,
    default_field: &str,
) -> PageResult<Response> {
    let c = visible_consultant(state, u, &o.consultant_id).await?;
    let status = match err {
        AppError::Stale { .. } => {
            let now = api::load(state, &u.user, o.id).await?;
            let by = now
                .versions
                .last()
                .map(|v| v.created_by.clone())
                .unwrap_or_default();
            let notice = if e.edit_for.is_some() {
                format!("This objective was changed by {by} since you opened it. Your text is kept in the form below but not saved: save it again to make it the next version.")
            } else if e.edit_version == now.version.to_string() {
                "This objective was already agreed for your side since you opened it.".to_string()
            } else {
                format!("This objective was changed by {by} since you opened it. Your agreement was not recorded: read it again and agree it if you do.")
            };
            e.edit_version = now.version.to_string();
            e.conflict = Some((o.id, notice));
            StatusCode::CONFLICT
        }
        other => {
            let (field, m) = field_error(other, default_field)?;
            let field = match e.edit_for {
                Some(id) if field == "heading" => format!("edit-heading-{id}"),
                Some(id) => format!("edit-text-{id}"),
                None => field,
            };
            e.errors.push((field, m));
            StatusCode::UNPROCESSABLE_ENTITY
        }
    };
    let (status, m) = page(state, u, &c, None, e, status).await?;
    Ok((status, m).into_response())
}

/// `POST /objectives/{id}/edit`.
pub async fn edit(
    State(state): State<AppState>,
    Path(id): Path<i64>,
    Form(u, f): Form,
) -> PageResult<Response> {
    let o = api::load(&state, &u.user, id).await?;
    let mut e = Entered {
        year: chrono::Utc::now().year().to_string(),
        edit_for: Some(id),
        edit_heading: f.get("heading").to_string(),
        edit_text: f.get("text").to_string(),
        edit_version: f.get("version").to_string(),
        ..Entered::default()
    };
    let version: i64 = e.edit_version.parse().map_err(|_| {
        WebError::BadRequest("the form's version is missing: reload the page".into())
    })?;
    let heading = Heading::parse(&e.edit_heading);
    if heading.is_none() {
        e.errors.push((
            format!("edit-heading-{id}"),
            "Select the heading of the objective".into(),
        ));
    }
    if e.edit_text.trim().is_empty() {
        e.errors
            .push((format!("edit-text-{id}"), "Enter the objective".into()));
    }
    let Some(heading) = heading.filter(|_| e.errors.is_empty()) else {
        let c = visible_consultant(&state, &u, &o.consultant_id).await?;
        let (status, m) = page(&state, &u, &c, None, e, StatusCode::UNPROCESSABLE_ENTITY).await?;
        return Ok((status, m).into_response());
    };
    match api::record_edit(&state, &u.user, id, version, heading, &e.edit_text).await {
        Ok(_) => Ok(see_other(&format!(
            "/objectives?consultant={}&done=edited#objective-{id}",
            urlencode(&o.consultant_id)
        ))),
        Err(err) => refused(&state, &u, &o, err, e, "text").await,
    }
}

/// `POST /objectives/{id}/agreement`.
pub async fn agree(
    State(state): State<AppState>,
    Path(id): Path<i64>,
    Form(u, f): Form,
) -> PageResult<Response> {
    let o = api::load(&state, &u.user, id).await?;
    let version: i64 = f.get("version").parse().map_err(|_| {
        WebError::BadRequest("the form's version is missing: reload the page".into())
    })?;
    let side = match f.get("side") {
        "consultant" => Some(ObjectiveSide::Consultant),
        "manager" => Some(ObjectiveSide::Manager),
        _ => None,
    };
    match api::record_agreement(&state, &u.user, id, version, side).await {
        Ok(()) => Ok(see_other(&format!(
            "/objectives?consultant={}&done=agreed#objective-{id}",
            urlencode(&o.consultant_id)
        ))),
        Err(err) => {
            let e = Entered {
                year: chrono::Utc::now().year().to_string(),
                edit_version: version.to_string(),
                ..Entered::default()
            };
            refused(&state, &u, &o, err, e, "version").await
        }
    }
}

/// `GET /objectives/{id}/versions`: every version of an objective, who wrote it and who agreed it,
/// with what changed from the one before.
pub async fn versions(
    State(state): State<AppState>,
    Path(id): Path<i64>,
    u: WebUser,
) -> PageResult<Markup> {
    let o = api::load(&state, &u.user, id).await?;
    let c = visible_consultant(&state, &u, &o.consultant_id).await?;
    let back = format!("/objectives?consultant={}#objective-{id}", urlencode(&c.id));
    let label = |h: &str| Heading::parse(h).map_or(h.to_string(), |h| h.label().to_string());
    let body = html! {
        h1 class="nhsuk-heading-l" { span class="nhsuk-caption-l" { (c.name) ", year " (o.year) } "Versions of an objective" }
        p class="nhsuk-body" { (state_tag(&o.state)) " The current version is " (o.version) ". Each change is a new version that the consultant and their manager agree again (JP-3)." }
        @for (i, v) in o.versions.iter().enumerate().rev() {
            div class="nhsuk-card" id=(format!("version-{}", v.version)) {
                div class="nhsuk-card__content" {
                    h2 class="nhsuk-card__heading nhsuk-heading-m" {
                        "Version " (v.version)
                        @if v.version == o.version { " (current)" }
                    }
                    dl class="nhsuk-summary-list" {
                        div class="nhsuk-summary-list__row" { dt class="nhsuk-summary-list__key" { "Heading" } dd class="nhsuk-summary-list__value" { (label(&v.heading)) } }
                        div class="nhsuk-summary-list__row" { dt class="nhsuk-summary-list__key" { "Objective" } dd class="nhsuk-summary-list__value" { (v.text) } }
                        div class="nhsuk-summary-list__row" { dt class="nhsuk-summary-list__key" { "Written by" } dd class="nhsuk-summary-list__value" { (v.created_by) " on " (long_date(&v.created_at)) } }
                        div class="nhsuk-summary-list__row" { dt class="nhsuk-summary-list__key" { "Consultant" } dd class="nhsuk-summary-list__value" {
                            @match (&v.agreement.agreed_by_consultant, &v.agreement.agreed_by_consultant_at) { (Some(b), Some(a)) => { "Agreed by " (b) " on " (long_date(a)) }, _ => { "Not agreed" } }
                        } }
                        div class="nhsuk-summary-list__row" { dt class="nhsuk-summary-list__key" { "Manager" } dd class="nhsuk-summary-list__value" {
                            @match (&v.agreement.agreed_by_manager, &v.agreement.agreed_by_manager_at) { (Some(b), Some(a)) => { "Agreed by " (b) " on " (long_date(a)) }, _ => { "Not agreed" } }
                        } }
                    }
                    @if i > 0 {
                        @let before = &o.versions[i - 1];
                        h3 class="nhsuk-heading-s" { "Changes from version " (before.version) }
                        (super::diff::render(&version_changes(before, v)))
                    }
                }
            }
        }
    };
    Ok(layout_back(
        &u,
        "Versions of an objective",
        (&back, "Back to objectives and reviews"),
        body,
    ))
}

/// What changed between two versions of an objective, for the diff table.
fn version_changes(
    before: &tenpa_store::ObjectiveVersion,
    after: &tenpa_store::ObjectiveVersion,
) -> Vec<super::diff::Change> {
    let label = |h: &str| Heading::parse(h).map_or(h.to_string(), |h| h.label().to_string());
    let mut out = vec![];
    if before.heading != after.heading {
        out.push(super::diff::Change::Changed {
            what: "Heading".into(),
            before: label(&before.heading),
            after: label(&after.heading),
        });
    }
    if before.text != after.text {
        out.push(super::diff::Change::Changed {
            what: "Objective".into(),
            before: before.text.clone(),
            after: after.text.clone(),
        });
    }
    out
}

/// What the review form holds.
#[derive(Default)]
struct ReviewEntry {
    kind: String,
    day: String,
    month: String,
    year: String,
    answers: Vec<(String, String)>,
    outside: String,
    exempted: String,
    notes: String,
}

/// Categories typed as a comma-separated list, trimmed, blanks dropped.
fn categories(s: &str) -> Vec<String> {
    s.split(',')
        .map(str::trim)
        .filter(|c| !c.is_empty())
        .map(str::to_string)
        .collect()
}

fn review_form(
    u: &WebUser,
    c: &ConsultantRecord,
    r: &ReviewEntry,
    errors: &[(String, String)],
    year: &YearObjectives,
) -> Markup {
    let kind_err = error_of(errors, "kind");
    let date_err = error_of(errors, "year_ending-day");
    let notes_err = error_of(errors, "notes");
    let outside_err = error_of(errors, "outside_remunerated_work");
    let exempted_err = error_of(errors, "exempted_outside_work");
    let input_class = |err: Option<&str>| {
        if err.is_some() {
            "nhsuk-input nhsuk-input--error"
        } else {
            "nhsuk-input"
        }
    };
    let answer = |f: &str| {
        r.answers
            .iter()
            .find(|(k, _)| k == f)
            .map(|(_, v)| v.as_str())
            .unwrap_or("")
    };
    let date_class = |w: &str| {
        if date_err.is_some() {
            format!("nhsuk-input nhsuk-input--width-{w} nhsuk-date-input__input nhsuk-input--error")
        } else {
            format!("nhsuk-input nhsuk-input--width-{w} nhsuk-date-input__input")
        }
    };
    html! {
        (error_summary(errors))
        h1 class="nhsuk-heading-l" { span class="nhsuk-caption-l" { (c.name) } "Record a job plan review" }
        p class="nhsuk-body" { "Record whether the consultant met each of the four criteria of A 9.4 in the year under review. An annual review opens a pay progression case: the medical director recommends and the chief executive decides (PP-3). The case also judges PP-1's other two criteria from the records: spare capacity offered to the NHS first (PP-4, from the extra PAs offered and the outside work recorded below) and the private practice disclosure (PRV-2)." }
        form method="post" action="/reviews" novalidate {
            (csrf_field(u))
            input type="hidden" name="consultant" value=(c.id);
            div class=(group_class(kind_err)) {
                fieldset class="nhsuk-fieldset" aria-describedby=(if kind_err.is_some() { "kind-hint kind-error" } else { "kind-hint" }) {
                    legend class="nhsuk-fieldset__legend nhsuk-fieldset__legend--m" { "Which review is this?" }
                    div class="nhsuk-hint" id="kind-hint" { "An interim review follows a significant change during the year, such as new duties or a change of service (JP-1). Only an annual review counts towards pay progression." }
                    (error_message("kind", kind_err))
                    div class="nhsuk-radios" data-module="nhsuk-radios" {
                        div class="nhsuk-radios__item" {
                            input class="nhsuk-radios__input" id="kind" name="kind" type="radio" value="annual" checked[r.kind == "annual"];
                            label class="nhsuk-label nhsuk-radios__label" for="kind" { "Annual review" }
                        }
                        div class="nhsuk-radios__item" {
                            input class="nhsuk-radios__input" id="kind-2" name="kind" type="radio" value="interim" checked[r.kind == "interim"];
                            label class="nhsuk-label nhsuk-radios__label" for="kind-2" { "Interim review after a significant change" }
                        }
                    }
                }
            }
            div class=(group_class(date_err)) {
                fieldset class="nhsuk-fieldset" role="group" aria-describedby=(if date_err.is_some() { "year_ending-hint year_ending-error" } else { "year_ending-hint" }) {
                    legend class="nhsuk-fieldset__legend nhsuk-fieldset__legend--m" { "When does the year under review end?" }
                    div class="nhsuk-hint" id="year_ending-hint" { "Usually the anniversary of the consultant's appointment, for example 1 11 2025." }
                    (error_message("year_ending", date_err))
                    div class="nhsuk-date-input" id="year_ending" {
                        div class="nhsuk-date-input__item" { div class="nhsuk-form-group" {
                            label class="nhsuk-label nhsuk-date-input__label" for="year_ending-day" { "Day" }
                            input class=(date_class("2")) id="year_ending-day" name="year_ending-day" type="text" inputmode="numeric" value=(r.day);
                        } }
                        div class="nhsuk-date-input__item" { div class="nhsuk-form-group" {
                            label class="nhsuk-label nhsuk-date-input__label" for="year_ending-month" { "Month" }
                            input class=(date_class("2")) id="year_ending-month" name="year_ending-month" type="text" inputmode="numeric" value=(r.month);
                        } }
                        div class="nhsuk-date-input__item" { div class="nhsuk-form-group" {
                            label class="nhsuk-label nhsuk-date-input__label" for="year_ending-year" { "Year" }
                            input class=(date_class("4")) id="year_ending-year" name="year_ending-year" type="text" inputmode="numeric" value=(r.year);
                        } }
                    }
                }
            }
            (year_objectives(year))
            h2 class="nhsuk-heading-m" { "The four criteria (A 9.4)" }
            @for (field, _, question, hint) in CRITERIA {
                @let err = error_of(errors, field);
                @let hint_id = format!("{field}-hint");
                div class=(group_class(err)) {
                    fieldset class="nhsuk-fieldset" aria-describedby=(if err.is_some() { format!("{hint_id} {field}-error") } else { hint_id.clone() }) {
                        legend class="nhsuk-fieldset__legend nhsuk-fieldset__legend--s" { (question) }
                        div class="nhsuk-hint" id=(hint_id) { (hint) }
                        (error_message(field, err))
                        div class="nhsuk-radios nhsuk-radios--inline" data-module="nhsuk-radios" {
                            div class="nhsuk-radios__item" {
                                input class="nhsuk-radios__input" id=(field) name=(field) type="radio" value="yes" checked[answer(field) == "yes"];
                                label class="nhsuk-label nhsuk-radios__label" for=(field) { "Yes" }
                            }
                            div class="nhsuk-radios__item" {
                                input class="nhsuk-radios__input" id=(format!("{field}-2")) name=(field) type="radio" value="no" checked[answer(field) == "no"];
                                label class="nhsuk-label nhsuk-radios__label" for=(format!("{field}-2")) { "No" }
                            }
                        }
                    }
                }
            }
            h2 class="nhsuk-heading-m" { "Work outside the NHS contract (PP-4)" }
            div class=(group_class(outside_err)) {
                label class="nhsuk-label nhsuk-label--s" for="outside_remunerated_work" { "Remunerated clinical work outside the NHS contract in the year (optional)" }
                div class="nhsuk-hint" id="outside_remunerated_work-hint" { "Leave blank if there was none. Otherwise name its categories, separated by commas, for example independent_sector, medico_legal. With extra PAs correctly offered and declined in the year, such work makes the year unsatisfactory (F 6(c)-(d))." }
                (error_message("outside_remunerated_work", outside_err))
                input class=(input_class(outside_err)) id="outside_remunerated_work" name="outside_remunerated_work" type="text" value=(r.outside) aria-describedby="outside_remunerated_work-hint";
            }
            div class=(group_class(exempted_err)) {
                label class="nhsuk-label nhsuk-label--s" for="exempted_outside_work" { "Categories of that work the employer exempts (optional)" }
                div class="nhsuk-hint" id="exempted_outside_work-hint" { "The employer may exempt categories of outside work from the spare-capacity rule (F 6(e)). Name them as above, separated by commas." }
                (error_message("exempted_outside_work", exempted_err))
                input class=(input_class(exempted_err)) id="exempted_outside_work" name="exempted_outside_work" type="text" value=(r.exempted) aria-describedby="exempted_outside_work-hint";
            }
            div class=(group_class(notes_err)) {
                label class="nhsuk-label nhsuk-label--s" for="notes" { "Notes (optional)" }
                div class="nhsuk-hint" id="notes-hint" { "For example, which objectives were not met and why, or what was outside the consultant's control." }
                (error_message("notes", notes_err))
                textarea class="nhsuk-textarea" id="notes" name="notes" rows="4" aria-describedby="notes-hint" { (r.notes) }
            }
            button class="nhsuk-button" type="submit" { "Record the review" }
        }
    }
}

/// The objectives of the year under review, for the review form (A 9.4: "met the objectives or
/// made every reasonable effort"): the job plan year that starts in the calendar year before the
/// one the review's year ends in, or, before a date is entered, the latest year with objectives.
struct YearObjectives {
    year: Option<i64>,
    objectives: Vec<Objective>,
}

/// The job plan year a review ending on the entered date looks back on, if the date reads.
fn reviewed_year(r: &ReviewEntry) -> Option<i64> {
    let y: i64 = r.year.trim().parse().ok()?;
    (1991..=2200).contains(&y).then_some(y - 1)
}

async fn objectives_of_year(
    state: &AppState,
    u: &WebUser,
    c: &ConsultantRecord,
    r: &ReviewEntry,
) -> PageResult<YearObjectives> {
    let all = state
        .store
        .objectives(&job_plan_scope(&u.user), Some(&c.id), None)
        .await?;
    let year = reviewed_year(r).or_else(|| all.iter().map(|o| o.year).max());
    Ok(YearObjectives {
        year,
        objectives: all.into_iter().filter(|o| Some(o.year) == year).collect(),
    })
}

/// The year's objectives and whether each was agreed, with a note when any was not (JP-3): the
/// review goes ahead, but an objective nobody agreed is weak evidence either way.
fn year_objectives(y: &YearObjectives) -> Markup {
    let unagreed = y.objectives.iter().filter(|o| o.state != "agreed").count();
    html! {
        h2 class="nhsuk-heading-m" id="year-objectives" {
            "Objectives of the year"
            @if let Some(year) = y.year { " starting in " (year) }
        }
        @if y.objectives.is_empty() {
            p class="nhsuk-body" { "No objectives are recorded for this year." }
        } @else {
            @if unagreed > 0 {
                div class="nhsuk-inset-text tenpa-unagreed" {
                    span class="nhsuk-u-visually-hidden" { "Information: " }
                    p { (unagreed) " of the year's " (y.objectives.len()) " objectives " (if unagreed == 1 { "was" } else { "were" }) " not agreed by both the consultant and their manager (JP-3, A 7.3). You can still record the review; say in the notes how this was taken into account." }
                }
            }
            ul class="nhsuk-list nhsuk-list--bullet" {
                @for o in &y.objectives {
                    li { (state_tag(&o.state)) " " (o.text) " (version " (o.version) ")" }
                }
            }
        }
    }
}

/// The consultant a review form is for, if the user may record one (403 otherwise).
async fn reviewable(state: &AppState, u: &WebUser, id: &str) -> PageResult<ConsultantRecord> {
    if id.is_empty() {
        return Err(WebError::BadRequest(
            "choose a consultant first: open their objectives and reviews and select \"Record a review\"".into(),
        ));
    }
    let c = visible_consultant(state, u, id).await?;
    if !may_review(&u.user, &c) {
        return Err(WebError::Forbidden(REVIEWERS.into()));
    }
    Ok(c)
}

fn back_to(c: &ConsultantRecord) -> String {
    format!("/objectives?consultant={}#reviews", urlencode(&c.id))
}

/// `GET /reviews/new?consultant=ID`.
pub async fn new_review(
    State(state): State<AppState>,
    u: WebUser,
    RawQuery(q): RawQuery,
) -> PageResult<Markup> {
    let q = query(q);
    let c = reviewable(&state, &u, q.get("consultant")).await?;
    let back = back_to(&c);
    let entry = ReviewEntry::default();
    let year = objectives_of_year(&state, &u, &c, &entry).await?;
    Ok(layout_back(
        &u,
        "Record a job plan review",
        (&back, "Back to objectives and reviews"),
        review_form(&u, &c, &entry, &[], &year),
    ))
}

/// Reads the review form: the review to record, or the errors naming each field.
fn read_review(c: &ConsultantRecord, r: &ReviewEntry) -> Result<NewReview, Vec<(String, String)>> {
    let mut errors = vec![];
    if !matches!(r.kind.as_str(), "annual" | "interim") {
        errors.push((
            "kind".to_string(),
            "Select whether this is an annual or an interim review".to_string(),
        ));
    }
    let date = match (r.day.is_empty(), r.month.is_empty(), r.year.is_empty()) {
        (true, true, true) => Err("Enter the date the year under review ends"),
        (false, false, false) => match (
            r.day.parse::<u32>(),
            r.month.parse::<u32>(),
            r.year.parse::<i32>(),
        ) {
            (Ok(d), Ok(m), Ok(y)) if (1990..=2200).contains(&y) => {
                NaiveDate::from_ymd_opt(y, m, d).ok_or("The date the year ends must be a real date")
            }
            _ => Err("The date the year ends must be a real date, for example 1 11 2025"),
        },
        _ => Err("The date the year ends must include a day, a month and a year"),
    };
    if let Err(m) = date {
        errors.push(("year_ending-day".to_string(), m.to_string()));
    }
    let mut met = [false; 4];
    for (i, (field, short, _, _)) in CRITERIA.iter().enumerate() {
        match r
            .answers
            .iter()
            .find(|(k, _)| k == field)
            .map(|(_, v)| v.as_str())
        {
            Some("yes") => met[i] = true,
            Some("no") => {}
            _ => errors.push((
                field.to_string(),
                format!("Select yes or no for {}", short.to_lowercase()),
            )),
        }
    }
    let outside = categories(&r.outside);
    let exempted = categories(&r.exempted);
    if let Some(x) = exempted.iter().find(|x| !outside.contains(x)) {
        errors.push((
            "exempted_outside_work".to_string(),
            format!("{x} is not one of the categories of outside work entered above"),
        ));
    }
    match date {
        Ok(d) if errors.is_empty() => Ok(NewReview {
            consultant_id: c.id.clone(),
            kind: r.kind.clone(),
            year_ending: d.to_string(),
            met_time_and_service: met[0],
            met_objectives_or_reasonable_effort: met[1],
            took_part_in_appraisal_and_job_planning: met[2],
            worked_towards_service_changes: met[3],
            outside_remunerated_work: if outside.is_empty() {
                OutsideWork::None
            } else {
                OutsideWork::Categories(outside)
            },
            exempted_outside_work: exempted,
            notes: r.notes.clone(),
        }),
        _ => Err(errors),
    }
}

/// `POST /reviews`.
pub async fn create_review(
    State(state): State<AppState>,
    Form(u, f): Form,
) -> PageResult<Response> {
    let c = reviewable(&state, &u, f.get("consultant")).await?;
    let entry = ReviewEntry {
        kind: f.get("kind").to_string(),
        day: f.get("year_ending-day").to_string(),
        month: f.get("year_ending-month").to_string(),
        year: f.get("year_ending-year").to_string(),
        answers: CRITERIA
            .iter()
            .map(|(field, _, _, _)| (field.to_string(), f.get(field).to_string()))
            .collect(),
        outside: f.get("outside_remunerated_work").to_string(),
        exempted: f.get("exempted_outside_work").to_string(),
        notes: f.get("notes").to_string(),
    };
    let errors = match read_review(&c, &entry) {
        Ok(new) => match record_review(&state, &u.user, new).await {
            Ok((_, case)) => {
                let mut to = format!("/objectives?consultant={}&done=review", urlencode(&c.id));
                if let Some(k) = case {
                    to.push_str(&format!("&case={k}"));
                }
                return Ok(see_other(&to));
            }
            Err(err) => {
                let (field, m) = field_error(err, "kind")?;
                let field = if field == "year_ending" {
                    "year_ending-day".to_string()
                } else {
                    field
                };
                vec![(field, m)]
            }
        },
        Err(errors) => errors,
    };
    let back = back_to(&c);
    let year = objectives_of_year(&state, &u, &c, &entry).await?;
    Ok((
        StatusCode::UNPROCESSABLE_ENTITY,
        layout_back(
            &u,
            "Error: Record a job plan review",
            (&back, "Back to objectives and reviews"),
            review_form(&u, &c, &entry, &errors, &year),
        ),
    )
        .into_response())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn consultant() -> ConsultantRecord {
        ConsultantRecord {
            id: "c-1".into(),
            name: "Dr A".into(),
            department_id: 1,
            first_appointed: "2004-09-01".into(),
            transferred: None,
            seniority_at_transfer: None,
            lead_employer_id: None,
        }
    }

    fn entry(kind: &str, d: &str, m: &str, y: &str, answer: &str) -> ReviewEntry {
        ReviewEntry {
            kind: kind.into(),
            day: d.into(),
            month: m.into(),
            year: y.into(),
            answers: CRITERIA
                .iter()
                .map(|(f, _, _, _)| (f.to_string(), answer.to_string()))
                .collect(),
            outside: String::new(),
            exempted: String::new(),
            notes: String::new(),
        }
    }

    #[test]
    fn an_empty_review_form_names_every_field() {
        let errors = read_review(&consultant(), &ReviewEntry::default()).unwrap_err();
        let fields: Vec<&str> = errors.iter().map(|(f, _)| f.as_str()).collect();
        assert_eq!(
            fields,
            [
                "kind",
                "year_ending-day",
                "met_time_and_service",
                "met_objectives_or_reasonable_effort",
                "took_part_in_appraisal_and_job_planning",
                "worked_towards_service_changes"
            ]
        );
    }

    #[test]
    fn a_complete_review_form_reads_as_a_review() {
        let r = read_review(&consultant(), &entry("annual", "1", "9", "2005", "yes")).unwrap();
        assert_eq!(r.year_ending, "2005-09-01");
        assert!(r.met_time_and_service && r.worked_towards_service_changes);
        let r = read_review(&consultant(), &entry("interim", "01", "09", "2005", "no")).unwrap();
        assert!(!r.met_objectives_or_reasonable_effort);
        let e = read_review(&consultant(), &entry("annual", "31", "2", "2005", "yes")).unwrap_err();
        assert_eq!(e[0].0, "year_ending-day");
        let e = read_review(&consultant(), &entry("annual", "1", "", "2005", "yes")).unwrap_err();
        assert!(e[0].1.contains("day, a month and a year"));
        assert_eq!(r.outside_remunerated_work, OutsideWork::None);
    }

    /// Source: F 6(c)-(e) (PP-4): outside work by category, and exemptions only of those.
    #[test]
    fn outside_work_and_exemptions_read_as_categories() {
        let mut e = entry("annual", "1", "9", "2005", "yes");
        e.outside = " independent_sector, ,medico_legal ".into();
        e.exempted = "medico_legal".into();
        let r = read_review(&consultant(), &e).unwrap();
        assert_eq!(
            r.outside_remunerated_work,
            OutsideWork::Categories(vec!["independent_sector".into(), "medico_legal".into()])
        );
        assert_eq!(r.exempted_outside_work, ["medico_legal"]);
        e.exempted = "teaching".into();
        let errors = read_review(&consultant(), &e).unwrap_err();
        assert_eq!(errors[0].0, "exempted_outside_work");
    }

    #[test]
    fn api_errors_name_their_field() {
        let (f, m) = field_error(
            AppError::Unprocessable {
                detail: "year_ending: found \"x\", expected a date as YYYY-MM-DD".into(),
                field: None,
            },
            "kind",
        )
        .unwrap();
        assert_eq!(f, "year_ending");
        assert!(m.starts_with("Found"));
        assert!(field_error(AppError::Forbidden("no".into()), "kind").is_err());
    }
}
