//! The plan's private and fee-paying sessions (PRV-3 to PRV-5), read as typed sessions.

use super::DAY_NAMES;
use crate::web::components::HtmlTable;
use maud::{html, Markup};
use tenpa_rules::plan::{Fee, JobPlanDocument, PrivateKind, PrivateSession};

fn kind_label(s: &PrivateSession) -> String {
    match s.kind {
        PrivateKind::PrivatePractice => "Private practice".into(),
        PrivateKind::PrivateOnCall => "Private on-call".into(),
        PrivateKind::FeePaying if s.for_nhs => "Fee-paying work for the NHS".into(),
        PrivateKind::FeePaying => match (s.fee, s.minimal_disruption) {
            (Fee::Remitted, _) => "Fee-paying work, fee remitted".into(),
            (Fee::Retained, true) => "Fee-paying work, minimal disruption agreed".into(),
            (Fee::Retained, false) => "Fee-paying work, fee retained".into(),
        },
    }
}

fn uses(s: &PrivateSession) -> String {
    let mut parts = Vec::new();
    if s.nhs_facilities {
        parts.push("NHS facilities");
    }
    if s.nhs_staff {
        parts.push("NHS staff");
    }
    if s.during_nhs_on_call {
        parts.push("during NHS on-call");
    }
    if parts.is_empty() {
        "–".into()
    } else {
        let mut t = parts.join(", ");
        t[..1].make_ascii_uppercase();
        t
    }
}

/// The private sessions section of a plan page: a table of the sessions, or a sentence saying
/// there are none when the consultant does private practice.
pub fn private_section(doc: &JobPlanDocument) -> Markup {
    let sessions = &doc.private_sessions;
    let practice = doc.consultant.private_practice;
    if sessions.is_empty() && !practice {
        return html! {};
    }
    let rows: Vec<Vec<Markup>> = sessions
        .iter()
        .map(|s| {
            vec![
                html! {
                    (DAY_NAMES[s.day.index()]) " " (s.start) "–" (s.end)
                    @if !s.weeks.is_empty() {
                        br; "weeks " (s.weeks.iter().map(u8::to_string).collect::<Vec<_>>().join(", "))
                    }
                },
                html! { (s.title) },
                html! { (s.location) },
                html! { (kind_label(s)) },
                html! { (uses(s)) },
                html! {
                    @if s.employer_approval.is_empty() { "None recorded" } @else { (s.employer_approval) }
                },
            ]
        })
        .collect();
    html! {
        h2 class="nhsuk-heading-m" id="private-sessions" { "Private and fee-paying sessions" }
        @if sessions.is_empty() {
            p class="nhsuk-body" { "The consultant does private practice; the plan records no private sessions, so they cannot be checked against the timetable (" a href="/rules/PRV-3" { "rule PRV-3" } ")." }
        } @else {
            p class="nhsuk-body" { "Not programmed activities: they add no PAs, hours or pay. The findings below check them against the timetable and the rota (" a href="/rules/PRV-3" { "PRV-3" } ", " a href="/rules/PRV-4" { "PRV-4" } ", " a href="/rules/PRV-5" { "PRV-5" } ")." }
            (HtmlTable::new("Private and fee-paying sessions")
                .hidden_caption()
                .scrolls("Private and fee-paying sessions")
                .columns(&["When", "What", "Where", "Kind", "Uses", "Employer's approval"])
                .rows(rows))
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::web::plans::test_document as doc_of;
    use serde_json::json;

    #[test]
    fn sessions_are_listed_with_their_kind_and_approval() {
        let doc = doc_of(json!({
            "consultant": {"private_practice": true},
            "private_session": [
                {"day": "wed", "start": "18:00", "end": "21:00", "title": "Private clinic", "location": "Private hospital"},
                {"day": "fri", "start": "14:00", "end": "16:00", "fee_paying": true, "fee": "remitted",
                 "nhs_facilities": true, "employer_approval": "Agreed by the Clinical Director"}
            ]
        }));
        let html = private_section(&doc).into_string();
        assert!(html.contains("Wednesday 18:00–21:00"), "{html}");
        assert!(html.contains("Private practice"));
        assert!(html.contains("Fee-paying work, fee remitted"));
        assert!(html.contains("NHS facilities"));
        assert!(html.contains("Agreed by the Clinical Director"));
        assert!(html.contains("None recorded"));
    }

    #[test]
    fn no_section_without_private_practice_and_a_note_with_it() {
        assert!(private_section(&doc_of(json!({"consultant": {}})))
            .into_string()
            .is_empty());
        let html = private_section(&doc_of(json!({"consultant": {"private_practice": true}})))
            .into_string();
        assert!(html.contains("records no private sessions"), "{html}");
    }
}
