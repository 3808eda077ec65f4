//! The employers a job plan document lists (JP-5), and the name of an activity's employer.

use super::value_text;
use serde_json::Value;

/// One employer listed in a job plan document (JP-5).
#[derive(Debug, Clone, PartialEq)]
pub struct PlanEmployer {
    /// The id activities name.
    pub id: String,
    /// The name (the id when none is given).
    pub name: String,
    /// A university (a clinical academic's), not an NHS employer.
    pub university: bool,
    /// The designated lead employer.
    pub lead: bool,
}

/// The employers a job plan document lists, in order (JP-5).
pub fn plan_employers(doc: &Value) -> Vec<PlanEmployer> {
    doc.get("employer")
        .and_then(Value::as_array)
        .map(|list| {
            list.iter()
                .map(|e| {
                    let id = value_text(e.get("id"));
                    let name = value_text(e.get("name"));
                    PlanEmployer {
                        name: if name.trim().is_empty() {
                            id.clone()
                        } else {
                            name
                        },
                        id,
                        university: value_text(e.get("kind")) == "university",
                        lead: e.get("lead").and_then(Value::as_bool).unwrap_or(false),
                    }
                })
                .collect()
        })
        .unwrap_or_default()
}

/// The employer of work that names none: the lead, or else the only NHS employer (as the rules
/// read it, `JobPlanDocument::default_employer`).
pub fn default_employer(list: &[PlanEmployer]) -> Option<&PlanEmployer> {
    list.iter().find(|e| e.lead).or_else(|| {
        let mut nhs = list.iter().filter(|e| !e.university);
        match (nhs.next(), nhs.next()) {
            (Some(e), None) => Some(e),
            _ => None,
        }
    })
}

/// The name of the employer an activity (or the on-call table) is for: the one it names, else the
/// default employer; "no employer named" when neither.
pub fn employer_name(list: &[PlanEmployer], item: &Value) -> String {
    let named = value_text(item.get("employer"));
    let e = if named.is_empty() {
        default_employer(list)
    } else {
        list.iter().find(|e| e.id == named)
    };
    e.map_or_else(|| "no employer named".into(), |e| e.name.clone())
}

/// JP-5: the plan's lead employer against the lead employer on the consultant's record, compared
/// by name ignoring case and surrounding spaces. A warning to show, or `None` when they agree, the
/// plan lists no employers, or the record names none.
pub fn lead_employer_mismatch(doc: &Value, record_lead: Option<&str>) -> Option<String> {
    let record = record_lead.map(str::trim).filter(|r| !r.is_empty())?;
    let list = plan_employers(doc);
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
    use serde_json::json;

    /// Source: F 1(f), A 11.1 (JP-5): the plan's lead employer and the record's should agree.
    #[test]
    fn a_lead_employer_unlike_the_records_is_a_warning() {
        let doc = json!({"employer": [
            {"id": "n", "name": "North Trust", "lead": true},
            {"id": "s", "name": "South Trust"}
        ]});
        assert_eq!(lead_employer_mismatch(&doc, Some(" north trust ")), None);
        let w = lead_employer_mismatch(&doc, Some("South Trust")).expect("a warning");
        assert!(
            w.contains("North Trust") && w.contains("South Trust"),
            "{w}"
        );
        assert_eq!(lead_employer_mismatch(&doc, None), None);
        assert_eq!(
            lead_employer_mismatch(&json!({}), Some("South Trust")),
            None
        );
        let no_lead = json!({"employer": [{"id": "n"}, {"id": "s"}]});
        assert!(lead_employer_mismatch(&no_lead, Some("North Trust"))
            .expect("a warning")
            .contains("marks none as lead"));
    }
}
