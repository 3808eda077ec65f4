//! Tags: a job plan's workflow state, a finding's severity, and whether a criterion is met.

use maud::{html, Markup};
use tenpa_rules::finding::Severity;
use tenpa_rules::job_planning::Status;

/// A workflow state in plain words.
pub fn status_label(status: Status) -> &'static str {
    match status {
        Status::Draft => "Draft",
        Status::Proposed => "Proposed",
        Status::Agreed => "Agreed by consultant",
        Status::CdSignedOff => "Signed off by clinical director",
        Status::SignedOff => "Signed off",
        Status::NotAgreed => "Not agreed",
        Status::Referred => "Referred to medical director",
        Status::Appeal => "At appeal",
    }
}

/// An NHS tag for a workflow state.
pub fn status_tag(status: Status) -> Markup {
    let colour = match status {
        Status::Draft => "nhsuk-tag--grey",
        Status::Proposed => "nhsuk-tag--blue",
        Status::Agreed | Status::CdSignedOff => "nhsuk-tag--aqua-green",
        Status::SignedOff => "nhsuk-tag--green",
        Status::NotAgreed | Status::Referred | Status::Appeal => "nhsuk-tag--red",
    };
    html! { strong class=(format!("nhsuk-tag {colour}")) { (status_label(status)) } }
}

/// A finding's severity as a tag: an error red, a warning orange, information blue.
pub fn severity_tag(severity: Severity) -> Markup {
    let (colour, label) = match severity {
        Severity::Error => ("nhsuk-tag--red", "Error"),
        Severity::Warning => ("nhsuk-tag--orange", "Warning"),
        Severity::Info => ("nhsuk-tag--blue", "Information"),
    };
    html! { strong class=(format!("nhsuk-tag {colour}")) { (label) } }
}

/// "Met" or "Not met" as a tag.
pub fn met_tag(met: bool) -> Markup {
    html! {
        @if met { strong class="nhsuk-tag nhsuk-tag--green" { "Met" } }
        @else { strong class="nhsuk-tag nhsuk-tag--red" { "Not met" } }
    }
}
