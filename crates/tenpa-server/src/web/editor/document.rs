//! Merging the editor's fields into the plan document, and naming the field behind an error.

use super::form::{
    stored_item, stored_list, write_weeks, write_when, EditorInput, FieldErrors, When, CATEGORIES,
};
use crate::error::AppError;
use crate::web::labels::{EXISTING_AWARD_KINDS, ON_CALL_INTERVALS};
use crate::web::page::WebError;
use crate::web::plans::plan_employers;
use rust_decimal::Decimal;
use serde_json::{json, Map, Value};

impl EditorInput {
    /// The document these fields make, starting from the stored one (so fields the editor does not
    /// show are kept), with the form activity and private session behind each document one; or
    /// the errors as (field id, message).
    pub fn to_document(&self, stored: &Value) -> Result<(Value, FieldMap), FieldErrors> {
        let mut errors: Vec<(String, String)> = Vec::new();
        let mut doc = stored.clone();
        if !doc.is_object() {
            doc = json!({});
        }
        let obj = doc.as_object_mut().expect("made an object above");
        let job_plan = section(obj, "job_plan");
        if chrono::NaiveDate::parse_from_str(&self.effective_from, "%Y-%m-%d").is_err() {
            errors.push((
                "effective_from".into(),
                "Enter the date the plan takes effect, like 2005-04-01".into(),
            ));
        }
        job_plan.insert("effective_from".into(), json!(self.effective_from));
        match decimal(&self.contracted_pas) {
            Some(d) => {
                job_plan.insert("contracted_pas".into(), d);
            }
            None => errors.push((
                "contracted_pas".into(),
                "Enter the contracted PAs as a number, like 10 or 7.5".into(),
            )),
        }
        match self.cycle_weeks.parse::<u32>() {
            Ok(n) => {
                job_plan.insert("cycle_weeks".into(), json!(n));
            }
            Err(_) => errors.push((
                "cycle_weeks".into(),
                "Enter the weeks in the cycle as a whole number from 1 to 52".into(),
            )),
        }
        let recognition = if self.recognition == "premium" {
            "premium"
        } else {
            "time"
        };
        job_plan.insert("out_of_hours_recognition".into(), json!(recognition));
        job_plan.insert("premium_mutually_agreed".into(), json!(self.premium_agreed));
        for (k, v) in [
            ("accountable_to", &self.accountable_to),
            ("supporting_resources", &self.supporting_resources),
            ("service_provided", &self.service_provided),
        ] {
            let Some(v) = v else { continue };
            if v.trim().is_empty() {
                job_plan.remove(k);
            } else {
                job_plan.insert(k.into(), json!(v.trim()));
            }
        }

        let pay = section(obj, "pay");
        if self.point != "keep" {
            match self.point.parse::<u32>() {
                Ok(p) => {
                    pay.remove("salary_point");
                    pay.insert("point".into(), json!(p));
                }
                Err(_) => errors.push(("pay_point".into(), "Choose the pay point".into())),
            }
        }
        match self.cea_level.parse::<u32>() {
            Ok(c) => {
                pay.insert("cea_level".into(), json!(c));
            }
            Err(_) => errors.push((
                "cea_level".into(),
                "Choose the clinical excellence award level".into(),
            )),
        }
        match self.existing_award_kind.as_deref() {
            None => {}
            Some("") => {
                pay.remove("existing_award");
            }
            Some(kind) if EXISTING_AWARD_KINDS.iter().any(|(k, _)| *k == kind) => {
                match decimal(&self.existing_award_amount) {
                    Some(amount) => {
                        pay.insert(
                            "existing_award".into(),
                            json!({ "kind": kind, "amount": amount }),
                        );
                    }
                    None => errors.push((
                        "existing_award_amount".into(),
                        "Enter the existing award's full-time value a year in pounds, such as 9000 or 9000.50".into(),
                    )),
                }
            }
            Some(_) => errors.push((
                "existing_award_kind".into(),
                "Choose discretionary points, a distinction award or none".into(),
            )),
        }

        let employer_ids: Vec<String> = plan_employers(stored).into_iter().map(|e| e.id).collect();
        let stored_activities = stored_list(stored, "activity");
        let mut activities = Vec::new();
        let mut map = Vec::new();
        for (i, a) in self.activities.iter().enumerate() {
            if a.delete || a.blank() {
                continue;
            }
            let (field, label) = (format!("a{i}"), format!("Activity {}", i + 1));
            let mut item = stored_item(&a.orig, stored_activities);
            let when = When {
                field: &field,
                label: &label,
                example: "08:00",
                day: &a.day,
                start: &a.start,
                end: &a.end,
            };
            write_when(&when, &mut item, &mut errors);
            if !CATEGORIES.contains(&a.category.as_str()) {
                errors.push((
                    format!("{field}-category"),
                    format!("{label}: choose the category"),
                ));
            }
            item.insert("category".into(), json!(a.category));
            // The day a revised programme was agreed belongs to an external duty only (B 5.11).
            if a.category != "external_duty" {
                item.remove("agreed_on");
            }
            item.insert("title".into(), json!(a.title));
            item.insert("location".into(), json!(a.location));
            item.insert("extra".into(), json!(a.extra));
            write_weeks(&a.weeks, &field, &label, &mut item, &mut errors);
            if a.employer.is_empty() {
                item.remove("employer");
            } else if employer_ids.contains(&a.employer) {
                item.insert("employer".into(), json!(a.employer));
            } else {
                errors.push((
                    format!("{field}-employer"),
                    format!("{label}: choose one of the plan's employers"),
                ));
            }
            activities.push(Value::Object(item));
            map.push(i);
        }
        obj.insert("activity".into(), Value::Array(activities));
        let private = match &self.private_sessions {
            Some(sessions) => super::private::merge(sessions, stored, obj, &mut errors),
            None => (0..stored_list(stored, "private_session").len()).collect(),
        };

        let leave = match &self.leave {
            Some(periods) => super::leave::merge(periods, stored, obj, &mut errors),
            None => (0..stored_list(stored, "leave").len()).collect(),
        };

        let stored_on_call = stored.get("on_call").and_then(Value::as_object).cloned();
        if self.on_call {
            let mut oc = stored_on_call.unwrap_or_default();
            match self.rota_size.parse::<u32>() {
                Ok(n) if n > 0 => {
                    oc.insert("rota_size".into(), json!(n));
                }
                _ => errors.push((
                    "rota_size".into(),
                    "Enter the rota as N of \"1 in N\", a whole number of 1 or more".into(),
                )),
            }
            if self.on_call_category == "a" || self.on_call_category == "b" {
                oc.insert("category".into(), json!(self.on_call_category));
            } else {
                errors.push((
                    "on_call_category".into(),
                    "Choose the on-call category, A or B".into(),
                ));
            }
            for (k, v, word) in [
                ("emergency_hours_plain", &self.emergency_plain, "plain"),
                (
                    "emergency_hours_premium",
                    &self.emergency_premium,
                    "premium",
                ),
            ] {
                match decimal(if v.is_empty() { "0" } else { v }) {
                    Some(d) => {
                        oc.insert(k.into(), d);
                    }
                    None => errors.push((
                        k.into(),
                        format!("Enter the emergency hours in {word} time as a number, like 2.5"),
                    )),
                }
            }
            match self.on_call_responsibilities.as_str() {
                "same" => {
                    oc.insert("same_responsibilities_as_full_time".into(), json!(true));
                }
                "different" => {
                    oc.insert("same_responsibilities_as_full_time".into(), json!(false));
                }
                _ => {
                    oc.remove("same_responsibilities_as_full_time");
                }
            }
            if let Some(v) = self.on_call_intervals.as_deref() {
                match short_intervals(v) {
                    Some(Some(si)) => {
                        oc.insert("short_intervals".into(), si);
                    }
                    Some(None) => {
                        oc.remove("short_intervals");
                    }
                    None => errors.push((
                        "on_call_intervals".into(),
                        "Choose whether the consultant is contactable throughout the on-call period"
                            .into(),
                    )),
                }
            }
            obj.insert("on_call".into(), Value::Object(oc));
        } else {
            match stored_on_call {
                // Not on a rota but with recalls recorded (OC-9): keep the record, off the rota.
                Some(mut oc) if oc.get("recalls_per_year").is_some_and(|v| !v.is_null()) => {
                    oc.insert("rota_size".into(), json!(0));
                    oc.remove("category");
                    oc.remove("short_intervals");
                    obj.insert("on_call".into(), Value::Object(oc));
                }
                _ => {
                    obj.remove("on_call");
                }
            }
        }
        if errors.is_empty() {
            Ok((
                doc,
                FieldMap {
                    activities: map,
                    private,
                    leave,
                },
            ))
        } else {
            Err(errors)
        }
    }
}

/// The form entry behind each document activity and private session, by index.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct FieldMap {
    /// For `activity[k]`, the form's activity index.
    pub activities: Vec<usize>,
    /// For `private_session[k]`, the form's session index.
    pub private: Vec<usize>,
    /// For `leave[k]`, the form's period index.
    pub leave: Vec<usize>,
}

fn section<'a>(obj: &'a mut Map<String, Value>, key: &str) -> &'a mut Map<String, Value> {
    let v = obj.entry(key.to_string()).or_insert_with(|| json!({}));
    if !v.is_object() {
        *v = json!({});
    }
    v.as_object_mut().expect("made an object above")
}

/// The `short_intervals` table of an editor choice: `Some(None)` for contactable throughout,
/// `None` for a value that is not a choice.
fn short_intervals(choice: &str) -> Option<Option<Value>> {
    let (_, _, t) = ON_CALL_INTERVALS.iter().find(|(v, _, _)| *v == choice)?;
    Some(t.map(
        |(agreed, messages)| json!({ "agreed_with_employer": agreed, "messages_taken": messages }),
    ))
}

/// A decimal as entered, as a JSON number (or None when it is not one).
fn decimal(s: &str) -> Option<Value> {
    let d: Decimal = s.trim().parse().ok()?;
    serde_json::from_str::<Value>(&d.normalize().to_string())
        .ok()
        .filter(Value::is_number)
}

/// Maps a document field path (`activity[2].end`) to the editor's field id and a label.
fn field_of(path: &str, map: &FieldMap) -> (String, String) {
    let path = path.strip_prefix("document.").unwrap_or(path);
    let lists: [(&str, &[usize], &str, &str); 3] = [
        ("activity[", &map.activities, "a", "Activity"),
        ("private_session[", &map.private, "p", "Private session"),
        ("leave[", &map.leave, "l", "Leave"),
    ];
    for (prefix, indices, id, label) in lists {
        let Some((k, field)) = path.strip_prefix(prefix).and_then(|r| r.split_once(']')) else {
            continue;
        };
        let i = k
            .parse::<usize>()
            .ok()
            .and_then(|k| indices.get(k).copied())
            .unwrap_or(0);
        let f = match (id, field.trim_start_matches('.')) {
            (
                "a",
                f @ ("day" | "start" | "end" | "category" | "title" | "location" | "extra"
                | "weeks" | "employer"),
            ) => f,
            ("a", _) => "start",
            (
                "p",
                f @ ("day" | "start" | "end" | "title" | "location" | "weeks" | "fee"
                | "employer_approval" | "nhs_facilities" | "nhs_staff" | "during_nhs_on_call"
                | "for_nhs" | "minimal_disruption"),
            ) => f,
            ("p", "fee_paying" | "on_call") => "kind",
            ("p", _) => "start",
            (_, f @ ("kind" | "from" | "to" | "agreed_on")) => f,
            _ => "from",
        };
        return (format!("{id}{i}-{f}"), format!("{label} {}", i + 1));
    }
    let (id, label) = match path {
        "job_plan.effective_from" => ("effective_from", "Effective from"),
        "job_plan.contracted_pas" => ("contracted_pas", "Contracted PAs"),
        "job_plan.cycle_weeks" => ("cycle_weeks", "Weeks in the cycle"),
        "job_plan.out_of_hours_recognition" => {
            ("out_of_hours_recognition", "Out-of-hours recognition")
        }
        "job_plan.premium_mutually_agreed" => ("premium_mutually_agreed", "Premium agreed"),
        "job_plan.accountable_to" => ("accountable_to", "Accountable to"),
        "job_plan.supporting_resources" => ("supporting_resources", "Supporting resources"),
        "job_plan.service_provided" => ("service_provided", "Service provided"),
        "pay.point" | "pay.salary_point" | "pay" => ("pay_point", "Pay point"),
        "pay.cea_level" => ("cea_level", "Clinical excellence award level"),
        "pay.existing_award.kind" => ("existing_award_kind", "Existing award"),
        "pay.existing_award.amount" | "pay.existing_award" => {
            ("existing_award_amount", "Existing award's value a year")
        }
        "on_call.rota_size" => ("rota_size", "On-call rota"),
        "on_call.category" => ("on_call_category", "On-call category"),
        p if p.starts_with("on_call.short_intervals") => {
            ("on_call_intervals", "Contactable during on-call")
        }
        "on_call.emergency_hours_plain" => {
            ("emergency_hours_plain", "Emergency hours in plain time")
        }
        "on_call.emergency_hours_premium" => {
            ("emergency_hours_premium", "Emergency hours in premium time")
        }
        p if p.starts_with("on_call") => ("on_call", "On-call"),
        p if p.starts_with("pay") => ("pay_point", "Pay"),
        _ => ("effective_from", "The plan"),
    };
    (id.into(), label.into())
}

/// An API error about a document as an editor error (field id, message).
pub(super) fn document_error(e: AppError, map: &FieldMap) -> Result<(String, String), WebError> {
    match e {
        AppError::Unprocessable { detail, field } | AppError::BadRequest { detail, field } => {
            let (id, label) = field_of(field.as_deref().unwrap_or(""), map);
            let message = crate::error::without_field(&detail).replace('`', "");
            Ok((id, format!("{label}: {message}")))
        }
        other => Err(WebError::from(other)),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::service::assessments::read_document;
    use crate::web::editor::ActivityInput;
    use crate::web::page::FormData;
    fn stored() -> Value {
        json!({
            "consultant": {"id": "c-1", "name": "Dr A", "first_appointed": "2003-09-01"},
            "job_plan": {"effective_from": "2005-04-01", "contracted_pas": "10", "cycle_weeks": 1, "out_of_hours_recognition": "time"},
            "pay": {"point": 3, "cea_level": 0},
            "activity": [
                {"day": "mon", "start": "08:00", "end": "12:00", "category": "dcc", "title": "Clinic", "location": "Main", "extra": false, "weeks": [], "off_site": false, "predictable_emergency": true},
                {"day": "tue", "start": "09:00", "end": "13:00", "category": "spa", "title": "Audit", "location": "", "extra": false, "weeks": []}
            ],
            "travel": [{"kind": "between_sites", "hours": "1"}],
            "previous_review": {"on_call_pas": "1"}
        })
    }

    fn form(pairs: &[(&str, &str)]) -> FormData {
        FormData(
            pairs
                .iter()
                .map(|(k, v)| (k.to_string(), v.to_string()))
                .collect(),
        )
    }

    fn base() -> Vec<(&'static str, &'static str)> {
        vec![
            ("version", "4"),
            ("effective_from", "2006-04-01"),
            ("contracted_pas", "7.5"),
            ("cycle_weeks", "1"),
            ("out_of_hours_recognition", "premium"),
            ("premium_mutually_agreed", "yes"),
            ("pay_point", "5"),
            ("cea_level", "2"),
            ("activities", "2"),
            ("a0-orig", "0"),
            ("a0-day", "wed"),
            ("a0-start", "13:00"),
            ("a0-end", "17:00"),
            ("a0-category", "dcc"),
            ("a0-title", "Theatre"),
            ("a0-location", "Theatre 3"),
            ("a1-orig", "1"),
            ("a1-day", "tue"),
            ("a1-start", "09:00"),
            ("a1-end", "13:00"),
            ("a1-category", "spa"),
            ("a1-title", "Audit"),
            ("a1-location", ""),
            ("on_call", "yes"),
            ("rota_size", "6"),
            ("on_call_category", "b"),
            ("emergency_hours_plain", "2"),
            ("emergency_hours_premium", "1.5"),
            ("note", "moved theatre"),
        ]
    }

    #[test]
    fn the_form_makes_the_document_keeping_what_it_does_not_show() {
        let input = EditorInput::from_form(&form(&base()));
        assert_eq!(input.note, "moved theatre");
        let (doc, map) = input.to_document(&stored()).unwrap();
        assert_eq!(map.activities, vec![0, 1]);
        assert_eq!(doc["job_plan"]["effective_from"], "2006-04-01");
        assert_eq!(doc["job_plan"]["contracted_pas"], json!(7.5));
        assert_eq!(doc["job_plan"]["out_of_hours_recognition"], "premium");
        assert_eq!(doc["job_plan"]["premium_mutually_agreed"], true);
        assert_eq!(doc["pay"]["point"], 5);
        assert_eq!(doc["pay"]["cea_level"], 2);
        assert_eq!(doc["activity"][0]["day"], "wed");
        assert_eq!(doc["activity"][0]["title"], "Theatre");
        // Fields the editor does not show are kept: the activity's own and the document's.
        assert_eq!(doc["activity"][0]["predictable_emergency"], true);
        assert_eq!(doc["consultant"]["id"], "c-1");
        assert_eq!(doc["travel"][0]["kind"], "between_sites");
        assert_eq!(doc["previous_review"]["on_call_pas"], "1");
        assert_eq!(
            doc["on_call"],
            json!({"rota_size": 6, "category": "b", "emergency_hours_plain": 2, "emergency_hours_premium": 1.5})
        );
        // The document is one the rules read.
        let bytes = serde_json::to_vec(&doc).unwrap();
        let parsed = read_document(&bytes, tenpa_rules::Parameters::embedded(), "").unwrap();
        assert_eq!(parsed.activities.len(), 2);
        assert!(parsed.activities[0].predictable_emergency);
    }

    #[test]
    fn an_existing_award_is_recorded_kept_when_not_shown_removed_and_checked() {
        let mut fields = base();
        fields.extend([
            ("existing_award_kind", "distinction_award"),
            ("existing_award_amount", "20000.50"),
        ]);
        let (doc, _) = EditorInput::from_form(&form(&fields))
            .to_document(&stored())
            .unwrap();
        assert_eq!(
            doc["pay"]["existing_award"],
            json!({"kind": "distinction_award", "amount": 20000.5})
        );
        let back = EditorInput::from_document(&doc, 1);
        assert_eq!(
            back.existing_award_kind.as_deref(),
            Some("distinction_award")
        );
        assert_eq!(back.existing_award_amount, "20000.5");
        let bytes = serde_json::to_vec(&doc).unwrap();
        let parsed = read_document(&bytes, tenpa_rules::Parameters::embedded(), "").unwrap();
        assert_eq!(
            parsed.pay.existing_award.map(|e| e.amount.0.to_string()),
            Some("20000.5".into())
        );
        // A form that does not show it keeps it; "None" removes it.
        let (kept, _) = EditorInput::from_form(&form(&base()))
            .to_document(&doc)
            .unwrap();
        assert_eq!(kept["pay"]["existing_award"], doc["pay"]["existing_award"]);
        let mut none = base();
        none.push(("existing_award_kind", ""));
        let (removed, _) = EditorInput::from_form(&form(&none))
            .to_document(&doc)
            .unwrap();
        assert!(removed["pay"].get("existing_award").is_none());
        // An amount that is not a number, and a kind that is not one, land on their fields.
        for (kind, amount, field) in [
            ("discretionary_points", "lots", "existing_award_amount"),
            ("merit_award", "9000", "existing_award_kind"),
        ] {
            let mut bad = base();
            bad.extend([
                ("existing_award_kind", kind),
                ("existing_award_amount", amount),
            ]);
            let errors = EditorInput::from_form(&form(&bad))
                .to_document(&stored())
                .unwrap_err();
            assert!(
                errors.iter().any(|(f, _)| f == field),
                "{kind} {amount}: {errors:?}"
            );
        }
    }

    #[test]
    fn short_intervals_during_on_call_are_recorded_read_back_kept_and_removed() {
        let mut fields = base();
        fields.push(("on_call_intervals", "agreed"));
        let (doc, _) = EditorInput::from_form(&form(&fields))
            .to_document(&stored())
            .unwrap();
        assert_eq!(
            doc["on_call"]["short_intervals"],
            json!({"agreed_with_employer": true, "messages_taken": false})
        );
        assert_eq!(
            EditorInput::from_document(&doc, 1)
                .on_call_intervals
                .as_deref(),
            Some("agreed")
        );
        let bytes = serde_json::to_vec(&doc).unwrap();
        let parsed = read_document(&bytes, tenpa_rules::Parameters::embedded(), "").unwrap();
        assert!(parsed
            .on_call
            .and_then(|o| o.short_intervals)
            .is_some_and(|s| s.agreed_with_employer && !s.messages_taken));
        // Not shown: kept; contactable throughout: removed; not a choice: an error on the field.
        let (kept, _) = EditorInput::from_form(&form(&base()))
            .to_document(&doc)
            .unwrap();
        assert_eq!(
            kept["on_call"]["short_intervals"],
            doc["on_call"]["short_intervals"]
        );
        let mut throughout = base();
        throughout.push(("on_call_intervals", ""));
        let (removed, _) = EditorInput::from_form(&form(&throughout))
            .to_document(&doc)
            .unwrap();
        assert!(removed["on_call"].get("short_intervals").is_none());
        let mut bad = base();
        bad.push(("on_call_intervals", "sometimes"));
        let errors = EditorInput::from_form(&form(&bad))
            .to_document(&stored())
            .unwrap_err();
        assert!(errors.iter().any(|(f, _)| f == "on_call_intervals"));
        // Off the rota with recalls recorded, the intervals go with the rota.
        let mut off = base();
        off.retain(|(k, _)| *k != "on_call");
        let mut with_recalls = doc.clone();
        with_recalls["on_call"]["recalls_per_year"] = json!(8);
        let (off_rota, _) = EditorInput::from_form(&form(&off))
            .to_document(&with_recalls)
            .unwrap();
        assert_eq!(off_rota["on_call"]["rota_size"], 0);
        assert!(off_rota["on_call"].get("short_intervals").is_none());
    }

    #[test]
    fn an_external_dutys_day_of_agreement_is_kept_with_the_duty_and_dropped_with_its_category() {
        let mut stored = stored();
        stored["activity"][1]["category"] = json!("external_duty");
        stored["activity"][1]["agreed_on"] = json!("2005-03-01");
        let mut fields = base();
        fields.retain(|(k, _)| *k != "a1-category");
        fields.push(("a1-category", "external_duty"));
        let (kept, _) = EditorInput::from_form(&form(&fields))
            .to_document(&stored)
            .unwrap();
        assert_eq!(kept["activity"][1]["agreed_on"], "2005-03-01");
        let (dropped, _) = EditorInput::from_form(&form(&base()))
            .to_document(&stored)
            .unwrap();
        assert_eq!(dropped["activity"][1]["category"], "spa");
        assert!(dropped["activity"][1].get("agreed_on").is_none());
        let bytes = serde_json::to_vec(&dropped).unwrap();
        assert!(read_document(&bytes, tenpa_rules::Parameters::embedded(), "").is_ok());
    }

    #[test]
    fn leave_is_edited_kept_when_not_shown_removed_and_checked() {
        let mut fields = base();
        fields.extend([
            ("leave_periods", "2"),
            ("l0-orig", ""),
            ("l0-kind", "study"),
            ("l0-from", "2006-07-03"),
            ("l0-to", ""),
            ("l0-agreed_on", "2006-05-01"),
            ("l1-orig", ""),
            ("l1-kind", "annual"),
            ("l1-from", ""),
            ("l1-to", ""),
            ("l1-agreed_on", ""),
        ]);
        let (doc, map) = EditorInput::from_form(&form(&fields))
            .to_document(&stored())
            .unwrap();
        // The blank second period is dropped; the first is written as the rules read it.
        assert_eq!(map.leave, vec![0]);
        assert_eq!(
            doc["leave"],
            json!([{ "kind": "study", "from": "2006-07-03", "agreed_on": "2006-05-01" }])
        );
        let bytes = serde_json::to_vec(&doc).unwrap();
        let parsed = read_document(&bytes, tenpa_rules::Parameters::embedded(), "").unwrap();
        assert_eq!(parsed.leave.len(), 1);
        let back = EditorInput::from_document(&doc, 1).leave.unwrap();
        assert_eq!(
            (back[0].kind.as_str(), back[0].from.as_str()),
            ("study", "2006-07-03")
        );
        // A form without the leave count keeps it; a deleted period removes the list.
        let (kept, _) = EditorInput::from_form(&form(&base()))
            .to_document(&doc)
            .unwrap();
        assert_eq!(kept["leave"], doc["leave"]);
        let mut delete = base();
        delete.extend([
            ("leave_periods", "1"),
            ("l0-orig", "0"),
            ("l0-kind", "study"),
            ("l0-from", "2006-07-03"),
            ("l0-delete", "yes"),
        ]);
        let (removed, _) = EditorInput::from_form(&form(&delete))
            .to_document(&doc)
            .unwrap();
        assert!(removed.get("leave").is_none());
        // A date that is not one, and a kind that is not one, land on their fields.
        let mut bad = base();
        bad.extend([
            ("leave_periods", "1"),
            ("l0-kind", "sabbatical"),
            ("l0-from", "3 July"),
        ]);
        let errors = EditorInput::from_form(&form(&bad))
            .to_document(&stored())
            .unwrap_err();
        let fields: Vec<&str> = errors.iter().map(|(f, _)| f.as_str()).collect();
        assert_eq!(fields, ["l0-kind", "l0-from"]);
    }

    #[test]
    fn a_part_timers_on_call_responsibilities_are_recorded_and_read_back() {
        let mut fields = base();
        fields.push(("on_call_responsibilities", "different"));
        let (doc, _) = EditorInput::from_form(&form(&fields))
            .to_document(&stored())
            .unwrap();
        assert_eq!(doc["on_call"]["same_responsibilities_as_full_time"], false);
        assert_eq!(
            EditorInput::from_document(&doc, 1).on_call_responsibilities,
            "different"
        );
        let bytes = serde_json::to_vec(&doc).unwrap();
        let parsed = read_document(&bytes, tenpa_rules::Parameters::embedded(), "").unwrap();
        assert_eq!(
            parsed
                .on_call
                .and_then(|o| o.same_responsibilities_as_full_time),
            Some(false)
        );
        // Not recorded: the field is removed, not kept from before.
        let (again, _) = EditorInput::from_form(&form(&base()))
            .to_document(&doc)
            .unwrap();
        assert!(again["on_call"]
            .get("same_responsibilities_as_full_time")
            .is_none());
    }

    #[test]
    fn a_deleted_activity_leaves_the_document_and_off_rota_removes_on_call() {
        let mut pairs = base();
        pairs.push(("a0-delete", "yes"));
        pairs.retain(|(k, _)| *k != "on_call");
        pairs.push(("on_call", "no"));
        let (doc, map) = EditorInput::from_form(&form(&pairs))
            .to_document(&stored())
            .unwrap();
        assert_eq!(map.activities, vec![1]);
        assert_eq!(doc["activity"].as_array().unwrap().len(), 1);
        assert_eq!(doc["activity"][0]["title"], "Audit");
        assert!(doc.get("on_call").is_none());
    }

    #[test]
    fn a_bad_time_is_an_error_naming_the_field() {
        let mut pairs = base();
        pairs.retain(|(k, _)| *k != "a1-end");
        pairs.push(("a1-end", "25:00"));
        pairs.retain(|(k, _)| *k != "contracted_pas");
        pairs.push(("contracted_pas", "ten"));
        let errors = EditorInput::from_form(&form(&pairs))
            .to_document(&stored())
            .unwrap_err();
        assert!(errors
            .iter()
            .any(|(f, m)| f == "a1-end" && m.contains("Activity 2") && m.contains("end time")));
        assert!(errors.iter().any(|(f, _)| f == "contracted_pas"));
    }

    #[test]
    fn document_errors_map_to_the_form_fields() {
        let map = FieldMap {
            activities: vec![0, 2],
            private: vec![1],
            leave: vec![3],
        };
        assert_eq!(field_of("activity[1].end", &map).0, "a2-end");
        assert_eq!(field_of("activity[1].agreed_on", &map).0, "a2-start");
        assert_eq!(field_of("private_session[0].fee", &map).0, "p1-fee");
        assert_eq!(field_of("private_session[0].on_call", &map).0, "p1-kind");
        assert_eq!(
            field_of("leave[0].to", &map),
            ("l3-to".to_string(), "Leave 4".to_string())
        );
        let none = FieldMap::default();
        assert_eq!(
            field_of("document.job_plan.contracted_pas", &none).0,
            "contracted_pas"
        );
        assert_eq!(field_of("on_call.category", &none).0, "on_call_category");
        let e = AppError::Unprocessable {
            detail: "job_plan.cycle_weeks: `cycle_weeks`: found 60".into(),
            field: Some("job_plan.cycle_weeks".into()),
        };
        let (f, m) = document_error(e, &FieldMap::default()).unwrap();
        assert_eq!(f, "cycle_weeks");
        assert!(m.starts_with("Weeks in the cycle: "), "{m}");
    }

    #[test]
    fn a_blank_new_activity_is_ignored_and_the_stored_document_round_trips() {
        let mut input = EditorInput::from_document(&stored(), 3);
        assert_eq!(input.version, "3");
        assert_eq!(input.activities.len(), 2);
        input.activities.push(ActivityInput {
            day: "mon".into(),
            category: "dcc".into(),
            ..Default::default()
        });
        let (doc, _) = input.to_document(&stored()).unwrap();
        assert_eq!(doc["activity"].as_array().unwrap().len(), 2);
        assert_eq!(doc["job_plan"]["contracted_pas"], json!(10));
    }

    /// Source: JP-5 (F 1(f), A 11.1): an activity's employer is chosen from the plan's employers;
    /// an empty choice is the default employer; another id is refused on the field.
    #[test]
    fn an_activitys_employer_is_one_of_the_plans() {
        let mut stored = stored();
        stored["employer"] =
            json!([{"id": "n", "name": "North", "lead": true}, {"id": "s", "name": "South"}]);
        stored["activity"][1]["employer"] = json!("s");
        let input = EditorInput::from_document(&stored, 4);
        assert_eq!(input.activities[1].employer, "s");
        let mut pairs = base();
        pairs.push(("a0-employer", "s"));
        pairs.push(("a1-employer", ""));
        let (doc, _) = EditorInput::from_form(&form(&pairs))
            .to_document(&stored)
            .unwrap();
        assert_eq!(doc["activity"][0]["employer"], "s");
        assert!(doc["activity"][1].get("employer").is_none());
        assert_eq!(doc["employer"][1]["id"], "s", "the list is kept");
        let mut pairs = base();
        pairs.push(("a0-employer", "west"));
        let errors = EditorInput::from_form(&form(&pairs))
            .to_document(&stored)
            .unwrap_err();
        assert!(errors.iter().any(|(f, _)| f == "a0-employer"), "{errors:?}");
    }

    /// Source: PRV-3 to PRV-5 (D 3.8-3.18): the editor records private and fee-paying sessions;
    /// a form that does not show them keeps the stored ones, and a fee is kept only for fee-paying
    /// work.
    #[test]
    fn private_sessions_are_edited_kept_and_removed() {
        let mut stored = stored();
        stored["private_session"] =
            json!([{"day": "wed", "start": "18:00", "end": "21:00", "title": "Private clinic"}]);
        let input = EditorInput::from_document(&stored, 2);
        let sessions = input.private_sessions.as_ref().unwrap();
        assert_eq!(
            (sessions.len(), sessions[0].kind.as_str()),
            (1, "private_practice")
        );

        let (doc, _) = EditorInput::from_form(&form(&base()))
            .to_document(&stored)
            .unwrap();
        assert_eq!(
            doc["private_session"][0]["title"], "Private clinic",
            "kept when not shown"
        );

        let mut pairs = base();
        pairs.extend([
            ("private_sessions", "2"),
            ("p0-orig", "0"),
            ("p0-day", "fri"),
            ("p0-start", "14:00"),
            ("p0-end", "16:00"),
            ("p0-kind", "fee_paying"),
            ("p0-fee", "remitted"),
            ("p0-nhs_facilities", "yes"),
            ("p0-during_nhs_on_call", "yes"),
            ("p0-employer_approval", " Agreed by the clinical director "),
            ("p1-day", "mon"),
            ("p1-kind", "private_practice"),
            ("p1-fee", "retained"),
        ]);
        let (doc, map) = EditorInput::from_form(&form(&pairs))
            .to_document(&stored)
            .unwrap();
        let s = &doc["private_session"];
        assert_eq!(
            s.as_array().unwrap().len(),
            1,
            "the blank new session is ignored"
        );
        assert_eq!(
            (s[0]["fee_paying"].clone(), s[0]["fee"].clone()),
            (json!(true), json!("remitted"))
        );
        assert!(
            s[0].get("during_nhs_on_call").is_none(),
            "not for fee-paying work"
        );
        assert_eq!(s[0]["employer_approval"], "Agreed by the clinical director");
        assert_eq!(map.private, vec![0]);
        let bytes = serde_json::to_vec(&doc).unwrap();
        let parsed = read_document(&bytes, tenpa_rules::Parameters::embedded(), "").unwrap();
        assert_eq!(
            parsed.private_sessions[0].fee,
            tenpa_rules::plan::Fee::Remitted
        );

        let mut pairs = base();
        pairs.extend([
            ("private_sessions", "1"),
            ("p0-orig", "0"),
            ("p0-delete", "yes"),
            ("p0-day", "wed"),
            ("p0-start", "18:00"),
            ("p0-end", "21:00"),
            ("p0-kind", "private_practice"),
        ]);
        let (doc, _) = EditorInput::from_form(&form(&pairs))
            .to_document(&stored)
            .unwrap();
        assert!(doc.get("private_session").is_none());

        let mut pairs = base();
        pairs.extend([
            ("private_sessions", "1"),
            ("p0-day", "wed"),
            ("p0-start", "6pm"),
            ("p0-end", "21:00"),
            ("p0-kind", "private_practice"),
        ]);
        let errors = EditorInput::from_form(&form(&pairs))
            .to_document(&stored)
            .unwrap_err();
        assert!(
            errors
                .iter()
                .any(|(f, m)| f == "p0-start" && m.starts_with("Private session 1")),
            "{errors:?}"
        );
    }

    /// Source: JP-2 (A 6.1, A 8.2): accountability and supporting resources are edited, kept when
    /// a form does not show them, and removed when emptied.
    #[test]
    fn accountability_and_resources_are_edited_and_kept() {
        let mut stored = stored();
        stored["job_plan"]["accountable_to"] = json!("Medical Director");
        let (doc, _) = EditorInput::from_form(&form(&base()))
            .to_document(&stored)
            .unwrap();
        assert_eq!(
            doc["job_plan"]["accountable_to"], "Medical Director",
            "kept when not shown"
        );
        let mut pairs = base();
        pairs.extend([
            ("accountable_to", ""),
            ("supporting_resources", " Office and secretary "),
        ]);
        let (doc, _) = EditorInput::from_form(&form(&pairs))
            .to_document(&stored)
            .unwrap();
        assert!(doc["job_plan"].get("accountable_to").is_none());
        assert_eq!(
            doc["job_plan"]["supporting_resources"],
            "Office and secretary"
        );
    }
}
