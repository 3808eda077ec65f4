//! The editor's leave (WW-8, B 5.15): periods of annual, study or professional leave with the day
//! each was agreed, read from the stored document or a posted form and merged back into the
//! document's `leave` list.

use super::form::{stored_item, stored_list, FieldErrors};
use crate::web::page::FormData;
use crate::web::plans::value_text;
use chrono::NaiveDate;
use serde_json::{json, Map, Value};

/// The kinds of leave as the form offers them.
pub(super) const KINDS: [(&str, &str); 3] = [
    ("annual", "Annual leave"),
    ("study", "Study leave"),
    ("professional", "Professional leave"),
];

/// One period of leave as entered.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct LeaveInput {
    /// Index of the stored period it edits; empty for a new one.
    pub orig: String,
    /// One of [`KINDS`].
    pub kind: String,
    /// The first day, YYYY-MM-DD.
    pub from: String,
    /// The last day; empty for one day.
    pub to: String,
    /// The day it was agreed with the employer; empty when not recorded.
    pub agreed_on: String,
    /// Ticked for deletion.
    pub delete: bool,
}

impl LeaveInput {
    /// A new period's starting values.
    pub(super) fn new_period() -> LeaveInput {
        LeaveInput {
            kind: "annual".into(),
            ..Default::default()
        }
    }

    fn blank(&self) -> bool {
        self.orig.is_empty() && self.from.is_empty() && self.to.is_empty()
    }
}

/// The stored document's leave as form fields.
pub(super) fn from_document(doc: &Value) -> Vec<LeaveInput> {
    stored_list(doc, "leave")
        .iter()
        .enumerate()
        .map(|(i, l)| LeaveInput {
            orig: i.to_string(),
            kind: value_text(l.get("kind")),
            from: value_text(l.get("from")),
            to: value_text(l.get("to")),
            agreed_on: value_text(l.get("agreed_on")),
            delete: false,
        })
        .collect()
}

/// The posted form's leave; `None` when the form carries no `leave_periods` count, so a form that
/// does not show leave leaves the stored periods as they are.
pub(super) fn from_form(f: &FormData) -> Option<Vec<LeaveInput>> {
    if !f.has("leave_periods") {
        return None;
    }
    let n: usize = f
        .get("leave_periods")
        .parse()
        .unwrap_or(0)
        .min(tenpa_rules::working_week::MAX_LEAVE + 1);
    Some(
        (0..n)
            .map(|i| {
                let g = |k: &str| f.get(&format!("l{i}-{k}")).trim().to_string();
                LeaveInput {
                    orig: g("orig"),
                    kind: g("kind"),
                    from: g("from"),
                    to: g("to"),
                    agreed_on: g("agreed_on"),
                    delete: f.has(&format!("l{i}-delete")),
                }
            })
            .collect(),
    )
}

/// Writes the periods into `obj` (starting from the stored ones), pushing field errors; returns the
/// index of the form period behind each document period. No periods remove the list.
pub(super) fn merge(
    periods: &[LeaveInput],
    stored: &Value,
    obj: &mut Map<String, Value>,
    errors: &mut FieldErrors,
) -> Vec<usize> {
    let stored = stored_list(stored, "leave");
    let mut out = Vec::new();
    let mut map = Vec::new();
    for (i, l) in periods.iter().enumerate() {
        if l.delete || l.blank() {
            continue;
        }
        let label = format!("Leave {}", i + 1);
        let mut item = stored_item(&l.orig, stored);
        if KINDS.iter().any(|(k, _)| *k == l.kind) {
            item.insert("kind".into(), json!(l.kind));
        } else {
            errors.push((
                format!("l{i}-kind"),
                format!("{label}: choose the kind of leave"),
            ));
        }
        for (key, value, required, what) in [
            ("from", &l.from, true, "the first day"),
            ("to", &l.to, false, "the last day"),
            ("agreed_on", &l.agreed_on, false, "the day it was agreed"),
        ] {
            match (
                value.is_empty(),
                NaiveDate::parse_from_str(value, "%Y-%m-%d"),
            ) {
                (true, _) if !required => {
                    item.remove(key);
                }
                (false, Ok(d)) => {
                    item.insert(key.into(), json!(d.to_string()));
                }
                _ => errors.push((
                    format!("l{i}-{key}"),
                    format!("{label}: enter {what} as a date, for example 2005-08-01"),
                )),
            }
        }
        out.push(Value::Object(item));
        map.push(i);
    }
    if out.is_empty() {
        obj.remove("leave");
    } else {
        obj.insert("leave".into(), Value::Array(out));
    }
    map
}
