//! The objectives page: a consultant's objectives with their forms, their reviews, and an
//! objective's versions.

use super::{
    chooser, chosen_consultant, consultants_in_scope, criterion, query, visible_consultant,
    Entered, CRITERIA,
};
use crate::policy::{job_plan_scope, may_review};
use crate::service::objectives::{self as api, Heading};
use crate::web::components::{
    day, error_message, error_of, error_summary, group_class, long_date, met_tag, success_banner,
    summary_row, summary_rows, HtmlTable,
};
use crate::web::page::{csrf_field, layout, layout_back, urlencode, PageResult, WebUser};
use crate::AppState;
use axum::extract::{Path, RawQuery, State};
use axum::http::StatusCode;
use chrono::Datelike;
use maud::{html, Markup};
use tenpa_rules::job_planning::{ObjectiveSide, ObjectiveState};
use tenpa_store::{ConsultantRecord, Objective, Review, Scope};

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
        year: crate::uk_time::today().year().to_string(),
        ..Entered::default()
    };
    page(&state, &u, &c, banner, entered, StatusCode::OK)
        .await
        .map(|(_, m)| m)
}

pub(super) async fn page(
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
                p class="nhsuk-body" { (state_tag(o.state)) " " span class="nhsuk-body-s" { "Version " (o.version) } }
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
pub fn state_tag(state: ObjectiveState) -> Markup {
    match state {
        ObjectiveState::Agreed => html! { strong class="nhsuk-tag nhsuk-tag--green" { "Agreed" } },
        ObjectiveState::Proposed => {
            html! { strong class="nhsuk-tag nhsuk-tag--blue" { "Proposed" } }
        }
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
            (summary_row(html! { (label) }, html! { @match (by, at) {
                    (Some(by), Some(at)) => { "Agreed by " (by) " on " (long_date(at)) }
                    _ => { "Not yet agreed" }
                } }))
        }
    };
    summary_rows(html! {
        (row("Consultant", &o.agreement.agreed_by_consultant, &o.agreement.agreed_by_consultant_at))
        (row("Manager", &o.agreement.agreed_by_manager, &o.agreement.agreed_by_manager_at))
    })
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
        (HtmlTable::new("Job plan reviews and the four criteria of A 9.4")
            .row_headers()
            .columns(&["Review", "Year ending"])
            .columns(&CRITERIA.map(|(_, short, _, _)| short))
            .columns(&["Notes", "Pay progression"])
            .rows(reviews.iter().map(|r| {
                let mut row = vec![
                    html! { @if r.kind == "annual" { "Annual" } @else { "Interim" } },
                    html! { (day(r.year_ending)) },
                ];
                row.extend(CRITERIA.iter().map(|(field, _, _, _)| met_tag(criterion(r, field))));
                row.push(html! { (r.notes) });
                row.push(html! {
                    @match cases.iter().find(|k| k.review_id == r.id) {
                        Some(k) => a href=(format!("/progression/{}", k.id)) { "Case " (k.id) span class="nhsuk-u-visually-hidden" { ", year ending " (day(r.year_ending)) } },
                        None => "None",
                    }
                });
                row
            })))
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
        p class="nhsuk-body" { (state_tag(o.state)) " The current version is " (o.version) ". Each change is a new version that the consultant and their manager agree again (JP-3)." }
        @for (i, v) in o.versions.iter().enumerate().rev() {
            div class="nhsuk-card" id=(format!("version-{}", v.version)) {
                div class="nhsuk-card__content" {
                    h2 class="nhsuk-card__heading nhsuk-heading-m" {
                        "Version " (v.version)
                        @if v.version == o.version { " (current)" }
                    }
                    (summary_rows(html! {
                        (summary_row("Heading", html! { (label(&v.heading)) }))
                        (summary_row("Objective", html! { (v.text) }))
                        (summary_row("Written by", html! { (v.created_by) " on " (long_date(&v.created_at)) }))
                        (summary_row("Consultant", html! { @match (&v.agreement.agreed_by_consultant, &v.agreement.agreed_by_consultant_at) { (Some(b), Some(a)) => { "Agreed by " (b) " on " (long_date(a)) }, _ => { "Not agreed" } } }))
                        (summary_row("Manager", html! { @match (&v.agreement.agreed_by_manager, &v.agreement.agreed_by_manager_at) { (Some(b), Some(a)) => { "Agreed by " (b) " on " (long_date(a)) }, _ => { "Not agreed" } } }))
                    }))
                    @if i > 0 {
                        @let before = &o.versions[i - 1];
                        h3 class="nhsuk-heading-s" { "Changes from version " (before.version) }
                        (crate::web::diff::render(&version_changes(before, v)))
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
) -> Vec<crate::web::diff::Change> {
    let label = |h: &str| Heading::parse(h).map_or(h.to_string(), |h| h.label().to_string());
    let mut out = vec![];
    if before.heading != after.heading {
        out.push(crate::web::diff::Change::Changed {
            what: "Heading".into(),
            before: label(&before.heading),
            after: label(&after.heading),
        });
    }
    if before.text != after.text {
        out.push(crate::web::diff::Change::Changed {
            what: "Objective".into(),
            before: before.text.clone(),
            after: after.text.clone(),
        });
    }
    out
}
