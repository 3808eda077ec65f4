//! The job plan review form (A 9.4) and its post.

use super::actions::field_error;
use super::list::state_tag;
use super::{query, visible_consultant, CRITERIA};
use crate::policy::{job_plan_scope, may_review};
use crate::service::progression::{record_review, NewReview, REVIEWERS};
use crate::web::components::{error_message, error_of, error_summary, group_class};
use crate::web::page::{
    csrf_field, layout_back, see_other, urlencode, Form, PageResult, WebError, WebUser,
};
use crate::AppState;
use axum::extract::{RawQuery, State};
use axum::http::StatusCode;
use axum::response::IntoResponse;
use axum::response::Response;
use chrono::NaiveDate;
use maud::{html, Markup};
use tenpa_rules::job_planning::ObjectiveState;
use tenpa_rules::plan::OutsideWork;
use tenpa_store::{ConsultantRecord, Objective};

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
    /// `yes`, `no`, or empty for not recorded.
    consulted: String,
    pp_increased: bool,
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
    let consulted_err = error_of(errors, "outside_work_consulted");
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
            div class=(group_class(consulted_err)) {
                fieldset class="nhsuk-fieldset" aria-describedby="outside_work_consulted-hint" {
                    legend class="nhsuk-fieldset__legend nhsuk-fieldset__legend--s" { "Did the consultant first consult the employer before taking up that work?" }
                    div class="nhsuk-hint" id="outside_work_consulted-hint" { "Consultants who wish to do remunerated clinical work outside the NHS contract should first consult their NHS employer (F 6(c)). Leave as not recorded if there was no such work." }
                    (error_message("outside_work_consulted", consulted_err))
                    div class="nhsuk-radios nhsuk-radios--inline" data-module="nhsuk-radios" {
                        @for (i, (value, label)) in [("yes", "Yes"), ("no", "No"), ("", "Not recorded")].into_iter().enumerate() {
                            @let id = if i == 0 { "outside_work_consulted".to_string() } else { format!("outside_work_consulted-{}", i + 1) };
                            div class="nhsuk-radios__item" {
                                input class="nhsuk-radios__input" id=(id) name="outside_work_consulted" type="radio" value=(value) checked[r.consulted == value];
                                label class="nhsuk-label nhsuk-radios__label" for=(id) { (label) }
                            }
                        }
                    }
                }
            }
            div class="nhsuk-form-group" {
                div class="nhsuk-checkboxes nhsuk-checkboxes--small" {
                    div class="nhsuk-checkboxes__item" {
                        input class="nhsuk-checkboxes__input" id="private_practice_increased" name="private_practice_increased" type="checkbox" value="yes" checked[r.pp_increased] aria-describedby="private_practice_increased-hint";
                        label class="nhsuk-label nhsuk-checkboxes__label" for="private_practice_increased" { "The consultant's private practice increased significantly in the year" }
                        div class="nhsuk-hint nhsuk-checkboxes__hint" id="private_practice_increased-hint" { "For a part-time consultant who transferred to the contract, the employer and consultant then review the PAs for the NHS (F 6(f))." }
                    }
                }
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
    let unagreed = y
        .objectives
        .iter()
        .filter(|o| o.state != ObjectiveState::Agreed)
        .count();
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
                    li { (state_tag(o.state)) " " (o.text) " (version " (o.version) ")" }
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
    let consulted = match r.consulted.as_str() {
        "yes" => Some(true),
        "no" => Some(false),
        "" => None,
        _ => {
            errors.push((
                "outside_work_consulted".to_string(),
                "Select yes, no or not recorded for consulting the employer".to_string(),
            ));
            None
        }
    };
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
            outside_work_consulted: consulted,
            private_practice_increased: r.pp_increased,
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
        consulted: f.get("outside_work_consulted").to_string(),
        pp_increased: f.has("private_practice_increased"),
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
            first_appointed: "2004-09-01".parse().unwrap(),
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
            consulted: String::new(),
            pp_increased: false,
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

    /// Source: F 6(c) (PP-4) and F 6(f) (PRV-1): consulting the employer is yes, no or not
    /// recorded; an increase in private practice is a tick.
    #[test]
    fn consulting_the_employer_and_increased_private_practice_are_read() {
        let mut e = entry("annual", "1", "9", "2005", "yes");
        let r = read_review(&consultant(), &e).unwrap();
        assert_eq!(r.outside_work_consulted, None);
        assert!(!r.private_practice_increased);
        e.consulted = "no".into();
        e.pp_increased = true;
        let r = read_review(&consultant(), &e).unwrap();
        assert_eq!(r.outside_work_consulted, Some(false));
        assert!(r.private_practice_increased);
        e.consulted = "maybe".into();
        let errors = read_review(&consultant(), &e).unwrap_err();
        assert_eq!(errors[0].0, "outside_work_consulted");
    }
}
