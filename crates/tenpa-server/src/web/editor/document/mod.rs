//! Merging the editor's fields into the plan document, and naming the field behind an error.

use super::form::{
    stored_item, stored_list, write_weeks, write_when, EditorInput, FieldErrors, When, CATEGORIES,
};
use crate::error::AppError;
use crate::service::assessments::Rejected;
use crate::web::labels::{EXISTING_AWARD_KINDS, ON_CALL_INTERVALS};
use crate::web::page::WebError;
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

        let employer_ids: Vec<&str> = stored_list(stored, "employer")
            .iter()
            .filter_map(|e| e.get("id").and_then(Value::as_str))
            .collect();
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
            } else if employer_ids.contains(&a.employer.as_str()) {
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

/// A document the rules would not take, as an editor error (field id, message): the rules' field
/// and message as they gave them.
pub(super) fn rejected_error(r: Rejected, map: &FieldMap) -> Result<(String, String), WebError> {
    match r {
        Rejected::Document { field, message, .. } => {
            let (id, label) = field_of(&field, map);
            Ok((id, format!("{label}: {}", message.replace('`', ""))))
        }
        Rejected::Other(e) => document_error(e, map),
    }
}

/// An API error about a document as an editor error (field id, message).
pub(super) fn document_error(e: AppError, map: &FieldMap) -> Result<(String, String), WebError> {
    match e {
        AppError::Unprocessable { field, message }
        | AppError::BadRequest {
            detail: message,
            field,
        } => {
            let (id, label) = field_of(field.as_deref().unwrap_or(""), map);
            Ok((id, format!("{label}: {}", message.replace('`', ""))))
        }
        other => Err(WebError::from(other)),
    }
}

#[cfg(test)]
mod tests;
