//! Pay progression (PP-3): the cases a user may see, one case with its steps and the step open to
//! the user (the medical director's recommendation, the chief executive's decision, the
//! consultant's appeal, the appeal's outcome or closing the case), and a consultant's pay
//! progression timeline drawn by the progression engine from their stored records.
//!
//! Steps go through [`crate::service::progression::take_step`], the function behind the JSON API, so
//! the pages allow exactly what the API allows.
//!
//! One file per part: `case` (the cases, one case and its steps), `career` (the career document
//! built from stored records) and `timeline` (the timeline page); the labels they share are here.

mod career;
mod case;
mod timeline;

pub use self::career::{career_document, Built, ReviewYear};
pub use self::case::{list, show, step};
pub use self::timeline::timeline_page;

use maud::{html, Markup};
use tenpa_rules::job_planning::CaseStatus;

/// A case's state in plain words.
pub fn case_status_label(status: CaseStatus) -> &'static str {
    match status {
        CaseStatus::Reported => "Waiting for the medical director's recommendation",
        CaseStatus::Recommended => "Waiting for the chief executive's decision",
        CaseStatus::Decided => "Decided",
        CaseStatus::Appealed => "Appealed by the consultant",
        CaseStatus::Closed => "Closed",
    }
}

/// An NHS tag for a case's state.
pub fn case_status_tag(status: CaseStatus) -> Markup {
    let colour = match status {
        CaseStatus::Reported => "nhsuk-tag--blue",
        CaseStatus::Recommended => "nhsuk-tag--purple",
        CaseStatus::Decided => "nhsuk-tag--aqua-green",
        CaseStatus::Appealed => "nhsuk-tag--red",
        CaseStatus::Closed => "nhsuk-tag--grey",
    };
    html! { strong class=(format!("nhsuk-tag {colour}")) { (case_status_label(status)) } }
}

/// An outcome in words.
pub fn outcome_label(outcome: Option<&str>) -> &'static str {
    match outcome {
        Some("progress") => "Progress to the next threshold",
        Some("defer") => "Defer progression",
        _ => "Not yet given",
    }
}

/// A step in words.
pub fn step_label(step: &str) -> &'static str {
    match step {
        "report" => "Manager's report (annual review)",
        "recommend" => "Medical director's recommendation",
        "decide" => "Chief executive's decision",
        "appeal" => "Consultant's appeal",
        "decide_appeal" => "Appeal panel's outcome",
        "close" => "Case closed",
        _ => "Step",
    }
}
