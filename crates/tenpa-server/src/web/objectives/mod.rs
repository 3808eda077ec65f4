//! Objectives and reviews: a consultant's objectives under the A 7.2 headings with their progress
//! notes (A 7.5-7.7), their job plan reviews with the four A 9.4 criteria, and the review form
//! (an annual review opens a pay progression case, PP-3).
//!
//! Each objective shows its state (JP-3: proposed until the consultant and their manager have both
//! agreed its current text), who agreed it and when, a button for the side still to agree, an edit
//! form (an edit is a new version both sides agree again), and its versions.
//!
//! Every write goes through the same functions as the JSON API ([`crate::service::objectives::record`],
//! [`crate::service::objectives::record_note`], [`crate::service::objectives::record_edit`],
//! [`crate::service::objectives::record_agreement`], [`crate::service::progression::record_review`]), so
//! the pages allow exactly what the API allows.
//!
//! One file per part: `list` (the objectives page and an objective's versions), `actions` (the
//! objective forms' posts) and `review` (the review form); the helpers that other pages also use
//! (criteria, dates, field errors, choosing a consultant) and what the objectives page shows
//! besides the stored records are here.

mod actions;
mod list;
mod review;

pub use self::actions::{add_note, agree, create, edit};
pub use self::list::{show, state_tag, versions};
pub use self::review::{create_review, new_review};

use super::page::{layout, FormData, PageResult, WebError, WebUser};
use crate::policy::job_plan_scope;
use crate::service::objectives::sees;
use crate::AppState;
use maud::{html, Markup};
use tenpa_store::{ConsultantRecord, Review};

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

/// The query string as fields (an unreadable one reads as empty).
pub fn query(q: Option<String>) -> FormData {
    FormData::parse(q.unwrap_or_default().as_bytes()).unwrap_or_default()
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
