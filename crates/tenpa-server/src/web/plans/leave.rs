//! The plan's leave (WW-8, B 5.15): time out of the working week and when it was agreed.

use crate::web::components::HtmlTable;
use maud::{html, Markup};
use tenpa_rules::plan::JobPlanDocument;

fn date(d: chrono::NaiveDate) -> String {
    d.format("%-d %B %Y").to_string()
}

/// The leave section of a plan page: a table of the periods with the day each was agreed; nothing
/// when the plan records none.
pub fn leave_section(doc: &JobPlanDocument) -> Markup {
    let leave = &doc.leave;
    if leave.is_empty() {
        return html! {};
    }
    let rows: Vec<Vec<Markup>> = leave
        .iter()
        .map(|l| {
            vec![
                html! { (l.kind.label()) },
                html! { (date(l.from)) },
                html! { (date(l.to)) },
                html! { (l.agreed_on.map_or("Not recorded".to_string(), date)) },
            ]
        })
        .collect();
    html! {
        h2 class="nhsuk-heading-m" id="leave" { "Leave" }
        p class="nhsuk-body" { "Time out of the working week is agreed with the employer, where possible at least a month in advance (" a href="/rules/WW-8" { "rule WW-8" } ")." }
        (HtmlTable::new("Leave").hidden_caption().scrolls("Leave").columns(&["Kind", "From", "To", "Agreed on"]).rows(rows))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::web::plans::test_document as doc_of;
    use serde_json::json;

    #[test]
    fn the_leave_section_lists_each_period_and_its_agreement() {
        let doc = doc_of(json!({ "leave": [
            { "kind": "study", "from": "2005-07-01", "agreed_on": "2005-06-01" },
            { "kind": "annual", "from": "2005-08-01", "to": "2005-08-12" },
        ] }));
        let html = leave_section(&doc).into_string();
        assert!(html.contains("study leave"), "{html}");
        assert!(html.contains("1 July 2005"), "{html}");
        assert!(html.contains("12 August 2005"), "{html}");
        assert!(html.contains("Not recorded"), "{html}");
        assert!(leave_section(&doc_of(json!({}))).into_string().is_empty());
    }
}
