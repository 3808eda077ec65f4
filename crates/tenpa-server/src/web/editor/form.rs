//! The editor's fields: read from a stored plan document or from a posted form.

use super::leave::{self, LeaveInput};
use super::private::{self, PrivateInput};
use crate::web::page::FormData;
use crate::web::plans::value_text;
use serde_json::{json, Map, Value};
use tenpa_rules::plan::ClockTime;

pub(super) const CATEGORIES: [&str; 4] =
    ["dcc", "spa", "additional_responsibility", "external_duty"];

/// Errors as (field id, message).
pub type FieldErrors = Vec<(String, String)>;

/// A stored list entry's `weeks` as the form shows them: "1, 3".
pub(super) fn weeks_text(entry: &Value) -> String {
    entry
        .get("weeks")
        .and_then(Value::as_array)
        .map(|w| {
            w.iter()
                .map(|x| value_text(Some(x)))
                .collect::<Vec<_>>()
                .join(", ")
        })
        .unwrap_or_default()
}

/// The stored document's list `key` (`activity`, `private_session`, `leave`); empty when it has
/// none.
pub(super) fn stored_list<'a>(stored: &'a Value, key: &str) -> &'a [Value] {
    stored
        .get(key)
        .and_then(Value::as_array)
        .map_or(&[], Vec::as_slice)
}

/// The stored entry a form entry edits (its `orig` index into `stored`), or an empty one for a
/// new entry, so that fields the form does not show are kept.
pub(super) fn stored_item(orig: &str, stored: &[Value]) -> Map<String, Value> {
    orig.parse::<usize>()
        .ok()
        .and_then(|o| stored.get(o))
        .and_then(Value::as_object)
        .cloned()
        .unwrap_or_default()
}

/// One timetabled entry's when, as entered, for [`write_when`].
pub(super) struct When<'a> {
    /// The form field prefix, `a0` or `p0`.
    pub field: &'a str,
    /// The entry in messages, `Activity 1`.
    pub label: &'a str,
    /// A time to show in messages, `08:00`.
    pub example: &'a str,
    /// `mon` … `sun`, as entered.
    pub day: &'a str,
    /// The start, as entered.
    pub start: &'a str,
    /// The end, as entered.
    pub end: &'a str,
}

/// Writes an entry's day, start and end into `item`, with an error naming the field for each that
/// does not read.
pub(super) fn write_when(w: &When, item: &mut Map<String, Value>, errors: &mut FieldErrors) {
    let (field, label) = (w.field, w.label);
    if !crate::web::labels::DAYS.iter().any(|(d, _)| *d == w.day) {
        errors.push((format!("{field}-day"), format!("{label}: choose the day")));
    }
    item.insert("day".into(), json!(w.day));
    for (k, v) in [("start", w.start), ("end", w.end)] {
        if v.parse::<ClockTime>().is_err() {
            errors.push((
                format!("{field}-{k}"),
                format!(
                    "{label}: enter the {k} time as hours and minutes, like {} (found \"{v}\")",
                    w.example
                ),
            ));
        }
        item.insert(k.into(), json!(v));
    }
}

/// Writes the weeks entered ("1, 3") into `item`, with an error naming `{field}-weeks` when one is
/// not a number.
pub(super) fn write_weeks(
    text: &str,
    field: &str,
    label: &str,
    item: &mut Map<String, Value>,
    errors: &mut FieldErrors,
) {
    let mut weeks = Vec::new();
    for w in text.split([',', ' ']).filter(|w| !w.trim().is_empty()) {
        match w.trim().parse::<u32>() {
            Ok(w) => weeks.push(json!(w)),
            Err(_) => {
                errors.push((
                    format!("{field}-weeks"),
                    format!("{label}: enter the weeks as numbers separated by commas, like 1, 3"),
                ));
                break;
            }
        }
    }
    item.insert("weeks".into(), Value::Array(weeks));
}

/// One activity as entered.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct ActivityInput {
    /// Index of the stored activity it edits; empty for a new one.
    pub orig: String,
    /// `mon` … `sun`.
    pub day: String,
    /// "08:00".
    pub start: String,
    /// "12:00".
    pub end: String,
    /// `dcc`, …
    pub category: String,
    /// Title.
    pub title: String,
    /// Location.
    pub location: String,
    /// An additional PA.
    pub extra: bool,
    /// Weeks of the cycle, "1, 3".
    pub weeks: String,
    /// The id of the employer it is for (JP-5); empty: the plan's default employer.
    pub employer: String,
    /// Ticked for deletion.
    pub delete: bool,
}

impl ActivityInput {
    pub(super) fn blank(&self) -> bool {
        self.orig.is_empty()
            && self.start.is_empty()
            && self.end.is_empty()
            && self.title.is_empty()
    }
}

/// The editor's fields as entered (or as stored).
#[derive(Debug, Clone, Default, PartialEq)]
pub struct EditorInput {
    /// The version being edited.
    pub version: String,
    /// YYYY-MM-DD.
    pub effective_from: String,
    /// Core weekly PAs.
    pub contracted_pas: String,
    /// Weeks in the cycle.
    pub cycle_weeks: String,
    /// `time` or `premium`.
    pub recognition: String,
    /// Premium form mutually agreed.
    pub premium_agreed: bool,
    /// Accountability arrangements (JP-2, A 6.1); `None` when a posted form does not show them
    /// (the stored text is kept).
    pub accountable_to: Option<String>,
    /// Supporting resources the employer provides (JP-2, A 8.2); `None` as above.
    pub supporting_resources: Option<String>,
    /// The service to be provided for which the consultant is accountable (JP-2, A 4.1); `None`
    /// as above.
    pub service_provided: Option<String>,
    /// Pay point 0-7, or `keep` for a stored transitional `salary_point`.
    pub point: String,
    /// CEA level 0-13.
    pub cea_level: String,
    /// An existing award's kind (CEA-3, E 4.4): `discretionary_points`, `distinction_award`, or
    /// empty for none; `None` when a posted form does not show it (the stored award is kept).
    pub existing_award_kind: Option<String>,
    /// Its full-time value a year in pounds.
    pub existing_award_amount: String,
    /// Activities.
    pub activities: Vec<ActivityInput>,
    /// On a rota.
    pub on_call: bool,
    /// "1 in N".
    pub rota_size: String,
    /// `a` or `b`.
    pub on_call_category: String,
    /// Emergency hours, plain time.
    pub emergency_plain: String,
    /// Emergency hours, premium time.
    pub emergency_premium: String,
    /// A part-timer's on-call responsibilities against a full-timer's on the same rota (OC-6's
    /// proviso): `same`, `different`, or empty for not recorded.
    pub on_call_responsibilities: String,
    /// Contactability during on-call (OC-7): a value of `document::ON_CALL_INTERVALS`; `None`
    /// when a posted form does not show it (the stored record is kept).
    pub on_call_intervals: Option<String>,
    /// Private and fee-paying sessions; `None` when a posted form does not show them (the stored
    /// ones are kept).
    pub private_sessions: Option<Vec<PrivateInput>>,
    /// Leave (WW-8); `None` when a posted form does not show it (the stored periods are kept).
    pub leave: Option<Vec<LeaveInput>>,
    /// A note for the version history.
    pub note: String,
}

impl EditorInput {
    /// The fields of a stored document.
    pub fn from_document(doc: &Value, version: i64) -> EditorInput {
        let t = |p: &str| value_text(doc.pointer(p));
        let b = |p: &str| doc.pointer(p).and_then(Value::as_bool).unwrap_or(false);
        let activities = stored_list(doc, "activity")
            .iter()
            .enumerate()
            .map(|(i, a)| ActivityInput {
                orig: i.to_string(),
                day: value_text(a.get("day")),
                start: value_text(a.get("start")),
                end: value_text(a.get("end")),
                category: value_text(a.get("category")),
                title: value_text(a.get("title")),
                location: value_text(a.get("location")),
                extra: a.get("extra").and_then(Value::as_bool).unwrap_or(false),
                weeks: weeks_text(a),
                employer: value_text(a.get("employer")),
                delete: false,
            })
            .collect();
        let on_call = doc.get("on_call").filter(|v| !v.is_null());
        let rota = on_call
            .map(|o| value_text(o.get("rota_size")))
            .unwrap_or_default();
        let point = match doc.pointer("/pay/point").filter(|v| !v.is_null()) {
            Some(p) => value_text(Some(p)),
            None if doc
                .pointer("/pay/salary_point")
                .is_some_and(|v| !v.is_null()) =>
            {
                "keep".into()
            }
            None => String::new(),
        };
        EditorInput {
            version: version.to_string(),
            effective_from: t("/job_plan/effective_from"),
            contracted_pas: t("/job_plan/contracted_pas"),
            cycle_weeks: {
                let c = t("/job_plan/cycle_weeks");
                if c.is_empty() {
                    "1".into()
                } else {
                    c
                }
            },
            recognition: {
                let r = t("/job_plan/out_of_hours_recognition");
                if r.is_empty() {
                    "time".into()
                } else {
                    r
                }
            },
            premium_agreed: b("/job_plan/premium_mutually_agreed"),
            accountable_to: Some(t("/job_plan/accountable_to")),
            supporting_resources: Some(t("/job_plan/supporting_resources")),
            service_provided: Some(t("/job_plan/service_provided")),
            point,
            cea_level: {
                let c = t("/pay/cea_level");
                if c.is_empty() {
                    "0".into()
                } else {
                    c
                }
            },
            existing_award_kind: Some(t("/pay/existing_award/kind")),
            existing_award_amount: t("/pay/existing_award/amount"),
            activities,
            on_call: !rota.is_empty() && rota != "0",
            rota_size: if rota == "0" { String::new() } else { rota },
            on_call_category: on_call
                .map(|o| value_text(o.get("category")))
                .unwrap_or_default(),
            emergency_plain: on_call
                .map(|o| value_text(o.get("emergency_hours_plain")))
                .unwrap_or_default(),
            on_call_responsibilities: match on_call
                .and_then(|o| o.get("same_responsibilities_as_full_time"))
                .and_then(Value::as_bool)
            {
                Some(true) => "same".into(),
                Some(false) => "different".into(),
                None => String::new(),
            },
            emergency_premium: on_call
                .map(|o| value_text(o.get("emergency_hours_premium")))
                .unwrap_or_default(),
            on_call_intervals: Some(crate::web::labels::intervals_choice(
                on_call.and_then(|o| o.get("short_intervals")),
            )),
            private_sessions: Some(private::from_document(doc)),
            leave: Some(leave::from_document(doc)),
            note: String::new(),
        }
    }

    /// The fields of a posted form.
    pub fn from_form(f: &FormData) -> EditorInput {
        let n: usize = f.get("activities").parse().unwrap_or(0).min(200);
        let activities = (0..n)
            .map(|i| {
                let g = |k: &str| f.get(&format!("a{i}-{k}")).to_string();
                ActivityInput {
                    orig: g("orig"),
                    day: g("day"),
                    start: g("start"),
                    end: g("end"),
                    category: g("category"),
                    title: g("title"),
                    location: g("location"),
                    extra: f.has(&format!("a{i}-extra")),
                    weeks: g("weeks"),
                    employer: g("employer"),
                    delete: f.has(&format!("a{i}-delete")),
                }
            })
            .collect();
        let g = |k: &str| f.get(k).to_string();
        EditorInput {
            version: g("version"),
            effective_from: g("effective_from"),
            contracted_pas: g("contracted_pas"),
            cycle_weeks: g("cycle_weeks"),
            recognition: g("out_of_hours_recognition"),
            premium_agreed: f.has("premium_mutually_agreed"),
            accountable_to: f.has("accountable_to").then(|| g("accountable_to")),
            supporting_resources: f
                .has("supporting_resources")
                .then(|| g("supporting_resources")),
            service_provided: f.has("service_provided").then(|| g("service_provided")),
            point: g("pay_point"),
            cea_level: g("cea_level"),
            existing_award_kind: f
                .has("existing_award_kind")
                .then(|| g("existing_award_kind")),
            existing_award_amount: g("existing_award_amount"),
            activities,
            on_call: f.get("on_call") == "yes",
            rota_size: g("rota_size"),
            on_call_category: g("on_call_category"),
            emergency_plain: g("emergency_hours_plain"),
            emergency_premium: g("emergency_hours_premium"),
            on_call_responsibilities: g("on_call_responsibilities"),
            on_call_intervals: f.has("on_call_intervals").then(|| g("on_call_intervals")),
            private_sessions: private::from_form(f),
            leave: leave::from_form(f),
            note: g("note"),
        }
    }
}
