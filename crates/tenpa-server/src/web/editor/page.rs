//! The editor page's markup: its fields, fieldsets and the page itself.

use super::form::{ActivityInput, EditorInput, CATEGORIES};
use super::leave::{self, LeaveInput};
use super::private::{self, PrivateInput, KINDS};
use super::{panel, Checked};
use crate::web::components::{editable_row, editable_rows_head, error_summary};
use crate::web::labels::DAYS;
use crate::web::page::{csrf_field, layout_back, PageResult, WebUser};
use crate::web::plans::category_label;
use crate::AppState;
use maud::{html, Markup};
use tenpa_rules::plan::EmployerKind;
use tenpa_store::JobPlanRecord;

fn text_field(
    id: &str,
    label: &str,
    hint: Option<&str>,
    value: &str,
    class: &str,
    errors: &[(String, String)],
    input_type: &str,
) -> Markup {
    let error = errors.iter().find(|(f, _)| f == id).map(|(_, m)| m);
    let hint_id = format!("{id}-hint");
    let error_id = format!("{id}-error");
    let mut described = Vec::new();
    if hint.is_some() {
        described.push(hint_id.clone());
    }
    if error.is_some() {
        described.push(error_id.clone());
    }
    let described = described.join(" ");
    html! {
        div class=(if error.is_some() { "nhsuk-form-group nhsuk-form-group--error" } else { "nhsuk-form-group" }) {
            label class="nhsuk-label" for=(id) { (label) }
            @if let Some(h) = hint { div class="nhsuk-hint" id=(hint_id) { (h) } }
            @if let Some(m) = error { span class="nhsuk-error-message" id=(error_id) { span class="nhsuk-u-visually-hidden" { "Error: " } (m) } }
            input class=(format!("nhsuk-input {class}{}", if error.is_some() { " nhsuk-input--error" } else { "" })) id=(id) name=(id) type=(input_type) value=(value) aria-describedby=[(!described.is_empty()).then_some(described.as_str())];
        }
    }
}

fn select_field(
    id: &str,
    label: &str,
    value: &str,
    options: &[(String, String)],
    errors: &[(String, String)],
) -> Markup {
    let error = errors.iter().find(|(f, _)| f == id).map(|(_, m)| m);
    html! {
        div class=(if error.is_some() { "nhsuk-form-group nhsuk-form-group--error" } else { "nhsuk-form-group" }) {
            label class="nhsuk-label" for=(id) { (label) }
            @if let Some(m) = error { span class="nhsuk-error-message" id=(format!("{id}-error")) { span class="nhsuk-u-visually-hidden" { "Error: " } (m) } }
            select class=(if error.is_some() { "nhsuk-select nhsuk-select--error" } else { "nhsuk-select" }) id=(id) name=(id) aria-describedby=[error.map(|_| format!("{id}-error"))] {
                @if !options.iter().any(|(v, _)| v == value) { option value="" selected { "Choose" } }
                @for (v, l) in options {
                    option value=(v) selected[v == value] { (l) }
                }
            }
        }
    }
}

fn checkbox(id: &str, label: &str, checked: bool) -> Markup {
    html! {
        div class="nhsuk-checkboxes__item" {
            input class="nhsuk-checkboxes__input" id=(id) name=(id) type="checkbox" value="yes" checked[checked];
            label class="nhsuk-label nhsuk-checkboxes__label" for=(id) { (label) }
        }
    }
}

fn radios(name: &str, legend: &str, value: &str, options: &[(&str, &str)]) -> Markup {
    html! {
        div class="nhsuk-form-group" {
            fieldset class="nhsuk-fieldset" {
                legend class="nhsuk-fieldset__legend nhsuk-fieldset__legend--s" { (legend) }
                div class="nhsuk-radios nhsuk-radios--inline" {
                    @for (i, (v, l)) in options.iter().enumerate() {
                        @let id = if i == 0 { name.to_string() } else { format!("{name}-{v}") };
                        div class="nhsuk-radios__item" {
                            input class="nhsuk-radios__input" id=(id) name=(name) type="radio" value=(v) checked[*v == value];
                            label class="nhsuk-label nhsuk-radios__label" for=(id) { (l) }
                        }
                    }
                }
            }
        }
    }
}

fn activity_fieldset(
    i: usize,
    a: &ActivityInput,
    cycle: bool,
    employers: &[(String, String)],
    errors: &[(String, String)],
) -> Markup {
    let n = i + 1;
    let f = |k: &str| format!("a{i}-{k}");
    let days: Vec<(String, String)> = DAYS
        .iter()
        .map(|(v, l)| (v.to_string(), l.to_string()))
        .collect();
    let cats: Vec<(String, String)> = CATEGORIES
        .iter()
        .map(|c| (c.to_string(), category_label(c).to_string()))
        .collect();
    let heading = if a.title.is_empty() {
        format!("Activity {n}")
    } else {
        format!("Activity {n}: {}", a.title)
    };
    // One line a row (day and times, category, title), opening in place to a compact block:
    // day, times and category on one line, title and location on the next, then the employer
    // and weeks where they apply, and the two choices.
    let fields = html! {
        fieldset class="nhsuk-fieldset tenpa-activity" {
            legend class="nhsuk-fieldset__legend tenpa-activity__legend" { (heading) }
            input type="hidden" name=(f("orig")) value=(a.orig);
            div class="tenpa-activity__fields" {
                div { (select_field(&f("day"), "Day", &a.day, &days, errors)) }
                div { (text_field(&f("start"), "Start", None, &a.start, "tenpa-time", errors, "text")) }
                div { (text_field(&f("end"), "End", None, &a.end, "tenpa-time", errors, "text")) }
                div { (select_field(&f("category"), "Category", &a.category, &cats, errors)) }
                div class="tenpa-activity__wide" { (text_field(&f("title"), "Title", None, &a.title, "", errors, "text")) }
                div class="tenpa-activity__wide" { (text_field(&f("location"), "Location", None, &a.location, "", errors, "text")) }
                @if !employers.is_empty() {
                    div class="tenpa-activity__wide" { (select_field(&f("employer"), "Employer", &a.employer, employers, errors)) }
                }
                @if cycle {
                    div class="tenpa-activity__wide" { (text_field(&f("weeks"), "Weeks of the cycle", Some("Week numbers separated by commas; leave empty for every week"), &a.weeks, "", errors, "text")) }
                }
                div class="nhsuk-checkboxes nhsuk-checkboxes--small tenpa-activity__choices" {
                    (checkbox(&f("extra"), "An additional (extra) PA, contracted separately", a.extra))
                    (checkbox(&f("delete"), &format!("Delete activity {n}"), a.delete))
                }
            }
        }
    };
    let cells = [
        html! { (day_short(&a.day)) " " (a.start) "–" (a.end) },
        html! { (category_label(&a.category)) },
        html! { (or_untitled(&a.title)) @if a.delete { " (to be deleted)" } },
    ];
    let open = a.orig.is_empty() || has_error(errors, &f(""));
    editable_row(&cells, &format!("activity {n}"), open, fields)
}

fn private_fieldset(
    i: usize,
    s: &PrivateInput,
    cycle: bool,
    errors: &[(String, String)],
) -> Markup {
    let n = i + 1;
    let f = |k: &str| format!("p{i}-{k}");
    let days: Vec<(String, String)> = DAYS
        .iter()
        .map(|(v, l)| (v.to_string(), l.to_string()))
        .collect();
    let kinds: Vec<(String, String)> = KINDS
        .iter()
        .map(|(v, l)| (v.to_string(), l.to_string()))
        .collect();
    let fees: Vec<(String, String)> = vec![
        ("retained".into(), "Kept by the consultant".into()),
        ("remitted".into(), "Remitted to the employer".into()),
    ];
    let heading = if s.title.is_empty() {
        format!("Private session {n}")
    } else {
        format!("Private session {n}: {}", s.title)
    };
    let fields = html! {
        fieldset class="nhsuk-fieldset tenpa-activity" {
            legend class="nhsuk-fieldset__legend tenpa-activity__legend" { (heading) }
            input type="hidden" name=(f("orig")) value=(s.orig);
            div class="tenpa-activity__fields" {
                div { (select_field(&f("day"), "Day", &s.day, &days, errors)) }
                div { (text_field(&f("start"), "Start", None, &s.start, "tenpa-time", errors, "text")) }
                div { (text_field(&f("end"), "End", None, &s.end, "tenpa-time", errors, "text")) }
                div { (select_field(&f("kind"), "Kind", &s.kind, &kinds, errors)) }
                div class="tenpa-activity__wide" { (text_field(&f("title"), "Title", None, &s.title, "", errors, "text")) }
                div class="tenpa-activity__wide" { (text_field(&f("location"), "Location", None, &s.location, "", errors, "text")) }
                @if cycle {
                    div class="tenpa-activity__wide" { (text_field(&f("weeks"), "Weeks of the cycle", Some("Week numbers separated by commas; leave empty for every week"), &s.weeks, "", errors, "text")) }
                }
                div class="tenpa-activity__wide" { (select_field(&f("fee"), "Fee-paying work: the fee is", &s.fee, &fees, errors)) }
                div class="tenpa-activity__wide" { (text_field(&f("employer_approval"), "The employer's agreement or approval", Some("Who agreed and when; leave empty when there is none"), &s.employer_approval, "", errors, "text")) }
                div class="nhsuk-checkboxes nhsuk-checkboxes--small tenpa-activity__choices" {
                    (checkbox(&f("nhs_facilities"), "Uses NHS facilities", s.nhs_facilities))
                    (checkbox(&f("nhs_staff"), "Uses NHS staff", s.nhs_staff))
                    (checkbox(&f("during_nhs_on_call"), "While on call for the NHS (private practice or private on-call)", s.during_nhs_on_call))
                    (checkbox(&f("minimal_disruption"), "Fee-paying work agreed as minimal disruption, fee not collected", s.minimal_disruption))
                    (checkbox(&f("for_nhs"), "Fee-paying work for an NHS organisation", s.for_nhs))
                    (checkbox(&f("delete"), &format!("Delete private session {n}"), s.delete))
                }
            }
        }
    };
    let kind = KINDS
        .iter()
        .find(|(v, _)| *v == s.kind)
        .map_or("", |(_, l)| *l);
    let cells = [
        html! { (day_short(&s.day)) " " (s.start) "–" (s.end) },
        html! { (kind) },
        html! { (or_untitled(&s.title)) @if s.delete { " (to be deleted)" } },
    ];
    let open = s.orig.is_empty() || has_error(errors, &f(""));
    editable_row(&cells, &format!("private session {n}"), open, fields)
}

fn leave_fieldset(i: usize, l: &LeaveInput, errors: &[(String, String)]) -> Markup {
    let n = i + 1;
    let f = |k: &str| format!("l{i}-{k}");
    let kinds: Vec<(String, String)> = leave::KINDS
        .iter()
        .map(|(v, l)| (v.to_string(), l.to_string()))
        .collect();
    let fields = html! {
        fieldset class="nhsuk-fieldset tenpa-activity" {
            legend class="nhsuk-fieldset__legend tenpa-activity__legend" { "Leave " (n) }
            input type="hidden" name=(f("orig")) value=(l.orig);
            div class="tenpa-activity__fields" {
                div { (select_field(&f("kind"), "Kind", &l.kind, &kinds, errors)) }
                div { (text_field(&f("from"), "From", None, &l.from, "nhsuk-input--width-10", errors, "date")) }
                div { (text_field(&f("to"), "To", Some("Empty for one day"), &l.to, "nhsuk-input--width-10", errors, "date")) }
                div { (text_field(&f("agreed_on"), "Agreed with the employer on", Some("A month ahead where possible (B 5.15)"), &l.agreed_on, "nhsuk-input--width-10", errors, "date")) }
                div class="nhsuk-checkboxes nhsuk-checkboxes--small tenpa-activity__choices" {
                    (checkbox(&f("delete"), &format!("Delete leave {n}"), l.delete))
                }
            }
        }
    };
    let kind = leave::KINDS
        .iter()
        .find(|(v, _)| *v == l.kind)
        .map_or("", |(_, k)| *k);
    let cells = [
        html! { (l.from) @if !l.to.is_empty() && l.to != l.from { " to " (l.to) } },
        html! { (kind) },
        html! { @if l.agreed_on.is_empty() { "Agreement not recorded" } @else { "Agreed " (l.agreed_on) } @if l.delete { " (to be deleted)" } },
    ];
    let open = l.orig.is_empty() || has_error(errors, &f(""));
    editable_row(&cells, &format!("leave {n}"), open, fields)
}

/// A day's first three letters ("Mon"), or the value as it is.
fn day_short(day: &str) -> String {
    DAYS.iter()
        .find(|(v, _)| *v == day)
        .map_or_else(|| day.to_string(), |(_, l)| l[..3].to_string())
}

/// A title, or a word saying there is none yet.
fn or_untitled(title: &str) -> &str {
    if title.trim().is_empty() {
        "No title yet"
    } else {
        title
    }
}

/// Whether any error is on a field whose id starts with `prefix` (one row's fields).
fn has_error(errors: &[(String, String)], prefix: &str) -> bool {
    errors.iter().any(|(field, _)| field.starts_with(prefix))
}

/// The text entered, or else the stored plan's `job_plan.{key}`.
fn text_or_stored(entered: &Option<String>, stored: &serde_json::Value, pointer: &str) -> String {
    entered
        .clone()
        .unwrap_or_else(|| crate::web::plans::value_text(stored.pointer(pointer)))
}

/// The editor page.
pub(super) fn editor_page(
    state: &AppState,
    u: &WebUser,
    plan: &JobPlanRecord,
    input: &EditorInput,
    errors: &[(String, String)],
    notice: Option<&str>,
    checked: &Checked,
) -> PageResult<Markup> {
    let id = plan.summary.id;
    let title = format!("Edit the job plan of {}", plan.summary.consultant_name);
    let points: Vec<(String, String)> = {
        let mut v: Vec<(String, String)> = (0..=7)
            .map(|p| (p.to_string(), format!("Point {p}")))
            .collect();
        if input.point == "keep" {
            v.insert(
                0,
                ("keep".into(), "Keep the transitional salary point".into()),
            );
        }
        v
    };
    let ceas: Vec<(String, String)> = (0..=13)
        .map(|c| {
            (
                c.to_string(),
                if c == 0 {
                    "None".to_string()
                } else {
                    format!("Level {c}")
                },
            )
        })
        .collect();
    let existing_kinds: Vec<(String, String)> = std::iter::once(("", "None"))
        .chain(crate::web::labels::EXISTING_AWARD_KINDS)
        .map(|(k, l)| (k.to_string(), l.to_string()))
        .collect();
    let intervals: Vec<(String, String)> = crate::web::labels::ON_CALL_INTERVALS
        .iter()
        .map(|(v, l, _)| (v.to_string(), l.to_string()))
        .collect();
    let cycle = input.cycle_weeks.parse::<u32>().is_ok_and(|c| c > 1);
    let stored_sessions;
    let sessions = match &input.private_sessions {
        Some(s) => s,
        None => {
            stored_sessions = private::from_document(&plan.document);
            &stored_sessions
        }
    };
    let stored_leave;
    let leave_periods = match &input.leave {
        Some(l) => l,
        None => {
            stored_leave = leave::from_document(&plan.document);
            &stored_leave
        }
    };
    // The plan's employers (JP-5): the choice appears only when the plan lists employers.
    let stored = plan.plan()?;
    let employers: Vec<(String, String)> = if !stored.employers.is_empty() {
        let default = stored.default_employer().map_or_else(
            || "None named".to_string(),
            |e| format!("{} (the plan's default)", e.name),
        );
        std::iter::once((String::new(), default))
            .chain(stored.employers.iter().map(|e| {
                let mut label = e.name.clone();
                if e.lead {
                    label.push_str(", lead employer");
                }
                if e.kind == EmployerKind::University {
                    label.push_str(", university");
                }
                (e.id.clone(), label)
            }))
            .collect()
    } else {
        Vec::new()
    };
    Ok(layout_back(
        u,
        &title,
        (&format!("/plans/{id}"), "Back to the job plan"),
        html! {
            (error_summary(errors))
            @if let Some(n) = notice {
                div class="nhsuk-warning-callout" {
                    h2 class="nhsuk-warning-callout__label" { span role="text" { span class="nhsuk-u-visually-hidden" { "Important: " } "Your changes are not saved" } }
                    p { (n) }
                }
            }
            span class="nhsuk-caption-l" { (plan.summary.department) ", version " (plan.summary.version) }
            h1 class="nhsuk-heading-l" { (title) }
            div class="nhsuk-grid-row" {
                div class="nhsuk-grid-column-one-half" {
                    form method="post" action=(format!("/plans/{id}/edit")) novalidate data-live-panel=(format!("/plans/{id}/preview")) data-live-target="live-panel" {
                        (csrf_field(u))
                        input type="hidden" name="version" value=(input.version);
                        input type="hidden" name="activities" value=(input.activities.len());
                        input type="hidden" name="private_sessions" value=(sessions.len());
                        input type="hidden" name="leave_periods" value=(leave_periods.len());
                        h2 class="nhsuk-heading-m" { "The plan" }
                        (text_field("effective_from", "Effective from", Some("The first day the plan applies, for example 2005-04-01"), &input.effective_from, "nhsuk-input--width-10", errors, "date"))
                        (text_field("contracted_pas", "Contracted PAs a week", Some("Core PAs, above 0 and at most 10"), &input.contracted_pas, "nhsuk-input--width-4", errors, "text"))
                        (text_field("cycle_weeks", "Weeks in the timetable's cycle", Some("1 for the same timetable every week"), &input.cycle_weeks, "nhsuk-input--width-4", errors, "text"))
                        (radios("out_of_hours_recognition", "Out-of-hours recognition", &input.recognition, &[("time", "Reduced hours"), ("premium", "A premium")]))
                        div class="nhsuk-form-group" {
                            div class="nhsuk-checkboxes nhsuk-checkboxes--small" {
                                (checkbox("premium_mutually_agreed", "The consultant agrees to the premium form", input.premium_agreed))
                            }
                        }
                        (text_field("service_provided", "Service provided", Some("The main duties and the service the consultant is accountable for (A 4.1)"), &text_or_stored(&input.service_provided, &plan.document, "/job_plan/service_provided"), "", errors, "text"))
                        (text_field("accountable_to", "Accountable to", Some("Professional and managerial accountability, usually to the Clinical or Medical Director (A 6.1)"), &text_or_stored(&input.accountable_to, &plan.document, "/job_plan/accountable_to"), "", errors, "text"))
                        (text_field("supporting_resources", "Supporting resources", Some("The facilities, training, development and support the employer provides (A 8.2)"), &text_or_stored(&input.supporting_resources, &plan.document, "/job_plan/supporting_resources"), "", errors, "text"))
                        h2 class="nhsuk-heading-m" { "Pay" }
                        (select_field("pay_point", "Pay point", &input.point, &points, errors))
                        (select_field("cea_level", "Clinical excellence award level", &input.cea_level, &ceas, errors))
                        (select_field("existing_award_kind", "Existing award kept from before the scheme", &text_or_stored(&input.existing_award_kind, &plan.document, "/pay/existing_award/kind"), &existing_kinds, errors))
                        (text_field("existing_award_amount", "Existing award's full-time value a year, pounds", Some("Discretionary points and distinction awards are kept (E 4.4); the higher of this and a clinical excellence award is paid"), &text_or_stored(&input.existing_award_kind.as_ref().map(|_| input.existing_award_amount.clone()), &plan.document, "/pay/existing_award/amount"), "nhsuk-input--width-10", errors, "text"))
                        h2 class="nhsuk-heading-m" { "Activities" }
                        p class="nhsuk-body-s" id="times-hint" { "Times are on the 24-hour clock, such as 08:00 or 17:30; an end before the start is the next day (20:00 to 01:00)." }
                        (editable_rows_head(&["Day and time", "Category", "Title"]))
                        @for (i, a) in input.activities.iter().enumerate() {
                            (activity_fieldset(i, a, cycle, &employers, errors))
                        }
                        button class="nhsuk-button nhsuk-button--secondary" type="submit" name="add" value="yes" { "Add an activity" }
                        h2 class="nhsuk-heading-m" { "On-call" }
                        (radios("on_call", "Is the consultant on an on-call rota?", if input.on_call { "yes" } else { "no" }, &[("yes", "Yes"), ("no", "No")]))
                        (text_field("rota_size", "Rota: 1 in", Some("For a 1 in 6 rota enter 6"), &input.rota_size, "nhsuk-input--width-4", errors, "text"))
                        (select_field("on_call_category", "On-call category", &input.on_call_category, &[("a".into(), "A: typically returns to site immediately".into()), ("b".into(), "B: typically gives advice by phone".into())], errors))
                        (text_field("emergency_hours_plain", "Emergency work in plain time, hours a week", None, &input.emergency_plain, "nhsuk-input--width-4", errors, "text"))
                        (text_field("emergency_hours_premium", "Emergency work in premium time, hours a week", None, &input.emergency_premium, "nhsuk-input--width-4", errors, "text"))
                        (select_field("on_call_responsibilities", "A part-time consultant's responsibilities when on call", &input.on_call_responsibilities, &[(String::new(), "Not recorded (taken as a full-time consultant's)".into()), ("same".into(), "The same as a full-time consultant's on the rota".into()), ("different".into(), "Different from a full-time consultant's on the rota".into())], errors))
                        (select_field("on_call_intervals", "Contactable during on-call (category B may agree short intervals)", &input.on_call_intervals.clone().unwrap_or_else(|| crate::web::labels::intervals_choice(plan.document.pointer("/on_call/short_intervals"))), &intervals, errors))
                        h2 class="nhsuk-heading-m" { "Private and fee-paying sessions" }
                        p class="nhsuk-body-s" { "Regular private practice, private on-call and fee-paying work: not programmed activities, they add no PAs or pay, but are checked against the timetable and the rota (rules PRV-3 to PRV-5)." }
                        @if !sessions.is_empty() { (editable_rows_head(&["Day and time", "Kind", "Title"])) }
                        @for (i, s) in sessions.iter().enumerate() {
                            (private_fieldset(i, s, cycle, errors))
                        }
                        button class="nhsuk-button nhsuk-button--secondary" type="submit" name="add_private" value="yes" { "Add a private session" }
                        h2 class="nhsuk-heading-m" { "Leave" }
                        p class="nhsuk-body-s" { "Annual, study and professional leave, with the day each was agreed with the employer: time out of the working week is agreed at least a month ahead where possible (rule WW-8)." }
                        @if !leave_periods.is_empty() { (editable_rows_head(&["Dates", "Kind", "Agreement"])) }
                        @for (i, l) in leave_periods.iter().enumerate() {
                            (leave_fieldset(i, l, errors))
                        }
                        button class="nhsuk-button nhsuk-button--secondary" type="submit" name="add_leave" value="yes" { "Add leave" }
                        h2 class="nhsuk-heading-m" { "Save" }
                        div class="nhsuk-form-group" {
                            label class="nhsuk-label" for="note" { "Note for the version history" }
                            div class="nhsuk-hint" id="note-hint" { "What changed and why (optional)" }
                            textarea class="nhsuk-textarea" id="note" name="note" rows="3" aria-describedby="note-hint" { (input.note) }
                        }
                        div class="tenpa-inline" {
                            button class="nhsuk-button" type="submit" name="save" value="yes" { "Save" }
                            button class="nhsuk-button nhsuk-button--secondary" type="submit" name="check" value="yes" { "Check the plan" }
                        }
                    }
                }
                div class="nhsuk-grid-column-one-half tenpa-live-column" {
                    div id="live-panel" class="tenpa-live" aria-live="polite" {
                        (panel(state, checked))
                    }
                }
            }
        },
    ))
}
