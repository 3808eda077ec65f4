//! The plan's lead employer against the consultant's record (JP-5).

use tenpa_rules::plan::JobPlanDocument;

/// JP-5: the plan's lead employer against the lead employer on the consultant's record, compared
/// by name ignoring case and surrounding spaces. A warning to show, or `None` when they agree, the
/// plan lists no employers, or the record names none.
pub fn lead_employer_mismatch(doc: &JobPlanDocument, record_lead: Option<&str>) -> Option<String> {
    let record = record_lead.map(str::trim).filter(|r| !r.is_empty())?;
    let list = &doc.employers;
    if list.is_empty() {
        return None;
    }
    let same = |a: &str, b: &str| a.trim().to_lowercase() == b.trim().to_lowercase();
    match list.iter().find(|e| e.lead) {
        Some(l) if same(&l.name, record) => None,
        Some(l) => Some(format!("The plan's lead employer is {}, but the consultant's record names {} as lead employer. The employers should agree one lead employer and one integrated job plan: correct the plan or the record.", l.name, record)),
        None if list.len() > 1 => Some(format!("The plan lists {} employers but marks none as lead; the consultant's record names {} as lead employer. Mark the lead employer in the plan.", list.len(), record)),
        None => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::web::plans::test_document as doc_of;
    use serde_json::json;

    /// Source: F 1(f), A 11.1 (JP-5): the plan's lead employer and the record's should agree.
    #[test]
    fn a_lead_employer_unlike_the_records_is_a_warning() {
        let doc = doc_of(json!({"employer": [
            {"id": "n", "name": "North Trust", "lead": true},
            {"id": "s", "name": "South Trust"}
        ]}));
        assert_eq!(lead_employer_mismatch(&doc, Some(" north trust ")), None);
        let w = lead_employer_mismatch(&doc, Some("South Trust")).expect("a warning");
        assert!(
            w.contains("North Trust") && w.contains("South Trust"),
            "{w}"
        );
        assert_eq!(lead_employer_mismatch(&doc, None), None);
        assert_eq!(
            lead_employer_mismatch(&doc_of(json!({})), Some("South Trust")),
            None
        );
        let no_lead = doc_of(json!({"employer": [{"id": "n"}, {"id": "s"}]}));
        assert!(lead_employer_mismatch(&no_lead, Some("North Trust"))
            .expect("a warning")
            .contains("marks none as lead"));
    }
}
