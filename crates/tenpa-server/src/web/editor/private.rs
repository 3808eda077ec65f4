//! The editor's private and fee-paying sessions (PRV-3 to PRV-5): read from the stored document or
//! a posted form, and merged back into the document's `private_session` list.

use super::form::{
    stored_item, stored_list, weeks_text, write_weeks, write_when, FieldErrors, When,
};
use crate::web::page::FormData;
use crate::web::plans::value_text;
use serde_json::{json, Map, Value};

/// The kinds of session as the form offers them.
pub(super) const KINDS: [(&str, &str); 3] = [
    ("private_practice", "Private practice"),
    ("private_on_call", "Private on-call"),
    ("fee_paying", "Fee-paying (category 2) work"),
];

/// One private session as entered.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct PrivateInput {
    /// Index of the stored session it edits; empty for a new one.
    pub orig: String,
    /// `mon` … `sun`.
    pub day: String,
    /// "18:00".
    pub start: String,
    /// "21:00".
    pub end: String,
    /// One of [`KINDS`].
    pub kind: String,
    /// Title.
    pub title: String,
    /// Location.
    pub location: String,
    /// Weeks of the cycle, "1, 3".
    pub weeks: String,
    /// Fee-paying work: `retained` or `remitted`.
    pub fee: String,
    /// Uses NHS facilities.
    pub nhs_facilities: bool,
    /// Uses NHS staff.
    pub nhs_staff: bool,
    /// Falls during NHS on-call.
    pub during_nhs_on_call: bool,
    /// Fee-paying work for an NHS organisation.
    pub for_nhs: bool,
    /// Fee-paying work agreed as minimal disruption.
    pub minimal_disruption: bool,
    /// The employer's agreement or prior approval.
    pub employer_approval: String,
    /// Ticked for deletion.
    pub delete: bool,
}

impl PrivateInput {
    /// A new session's starting values.
    pub(super) fn new_session() -> PrivateInput {
        PrivateInput {
            day: "mon".into(),
            kind: "private_practice".into(),
            fee: "retained".into(),
            ..Default::default()
        }
    }

    fn blank(&self) -> bool {
        self.orig.is_empty()
            && self.start.is_empty()
            && self.end.is_empty()
            && self.title.is_empty()
    }
}

/// The stored document's sessions as form fields.
pub(super) fn from_document(doc: &Value) -> Vec<PrivateInput> {
    stored_list(doc, "private_session")
        .iter()
        .enumerate()
        .map(|(i, s)| {
            let b = |k: &str| s.get(k).and_then(Value::as_bool).unwrap_or(false);
            PrivateInput {
                orig: i.to_string(),
                day: value_text(s.get("day")),
                start: value_text(s.get("start")),
                end: value_text(s.get("end")),
                kind: if b("fee_paying") {
                    "fee_paying"
                } else if b("on_call") {
                    "private_on_call"
                } else {
                    "private_practice"
                }
                .into(),
                title: value_text(s.get("title")),
                location: value_text(s.get("location")),
                weeks: weeks_text(s),
                fee: match value_text(s.get("fee")).as_str() {
                    "remitted" => "remitted",
                    _ => "retained",
                }
                .into(),
                nhs_facilities: b("nhs_facilities"),
                nhs_staff: b("nhs_staff"),
                during_nhs_on_call: b("during_nhs_on_call"),
                for_nhs: b("for_nhs"),
                minimal_disruption: b("minimal_disruption"),
                employer_approval: value_text(s.get("employer_approval")),
                delete: false,
            }
        })
        .collect()
}

/// The posted form's sessions; `None` when the form carries no `private_sessions` count, so a
/// form that does not show them leaves the stored ones as they are.
pub(super) fn from_form(f: &FormData) -> Option<Vec<PrivateInput>> {
    if !f.has("private_sessions") {
        return None;
    }
    let n: usize = f
        .get("private_sessions")
        .parse()
        .unwrap_or(0)
        .min(tenpa_rules::private_practice::MAX_PRIVATE_SESSIONS + 1);
    Some(
        (0..n)
            .map(|i| {
                let g = |k: &str| f.get(&format!("p{i}-{k}")).to_string();
                let has = |k: &str| f.has(&format!("p{i}-{k}"));
                PrivateInput {
                    orig: g("orig"),
                    day: g("day"),
                    start: g("start"),
                    end: g("end"),
                    kind: g("kind"),
                    title: g("title"),
                    location: g("location"),
                    weeks: g("weeks"),
                    fee: g("fee"),
                    nhs_facilities: has("nhs_facilities"),
                    nhs_staff: has("nhs_staff"),
                    during_nhs_on_call: has("during_nhs_on_call"),
                    for_nhs: has("for_nhs"),
                    minimal_disruption: has("minimal_disruption"),
                    employer_approval: g("employer_approval"),
                    delete: has("delete"),
                }
            })
            .collect(),
    )
}

/// Writes the sessions into `obj` (starting from the stored ones, so fields the form does not show
/// are kept), pushing field errors; returns the index of the form session behind each document
/// session. No sessions remove the list.
pub(super) fn merge(
    sessions: &[PrivateInput],
    stored: &Value,
    obj: &mut Map<String, Value>,
    errors: &mut FieldErrors,
) -> Vec<usize> {
    let stored = stored_list(stored, "private_session");
    let mut out = Vec::new();
    let mut map = Vec::new();
    for (i, s) in sessions.iter().enumerate() {
        if s.delete || s.blank() {
            continue;
        }
        let (field, label) = (format!("p{i}"), format!("Private session {}", i + 1));
        let mut item = stored_item(&s.orig, stored);
        let when = When {
            field: &field,
            label: &label,
            example: "18:00",
            day: &s.day,
            start: &s.start,
            end: &s.end,
        };
        write_when(&when, &mut item, errors);
        let fee_paying = s.kind == "fee_paying";
        if !KINDS.iter().any(|(k, _)| *k == s.kind) {
            errors.push((
                format!("{field}-kind"),
                format!("{label}: choose the kind of work"),
            ));
        }
        let flags = [
            ("fee_paying", fee_paying),
            ("on_call", s.kind == "private_on_call"),
            ("nhs_facilities", s.nhs_facilities),
            ("nhs_staff", s.nhs_staff),
            ("during_nhs_on_call", s.during_nhs_on_call && !fee_paying),
            ("for_nhs", s.for_nhs && fee_paying),
            ("minimal_disruption", s.minimal_disruption && fee_paying),
        ];
        for (k, on) in flags {
            if on {
                item.insert(k.into(), json!(true));
            } else {
                item.remove(k);
            }
        }
        if fee_paying {
            item.insert(
                "fee".into(),
                json!(if s.fee == "remitted" {
                    "remitted"
                } else {
                    "retained"
                }),
            );
        } else {
            item.remove("fee");
        }
        for (k, v) in [
            ("title", &s.title),
            ("location", &s.location),
            ("employer_approval", &s.employer_approval),
        ] {
            item.insert(k.into(), json!(v.trim()));
        }
        write_weeks(&s.weeks, &field, &label, &mut item, errors);
        out.push(Value::Object(item));
        map.push(i);
    }
    if out.is_empty() {
        obj.remove("private_session");
    } else {
        obj.insert("private_session".into(), Value::Array(out));
    }
    map
}
