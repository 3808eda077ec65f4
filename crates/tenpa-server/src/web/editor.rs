//! The job plan editor: a form that works without JavaScript, with a live assessment panel
//! (`POST /plans/{id}/preview`) when JavaScript runs. Saving makes a new version exactly as
//! `PUT /api/v1/job-plans/{id}` does.

use super::page::{
    csrf_field, error_summary, layout_back, see_other, Form, FormData, PageResult, WebError,
    WebUser,
};
use super::plans::{
    assessment_panel, category_label, cycle_weeks, default_employer, grid_key, plain_time_for,
    plan_employers, value_text, week_grid,
};
use crate::api::assessments::{assess, read_document};
use crate::api::job_plans::{load, save_edit};
use crate::error::AppError;
use crate::policy::may_edit;
use crate::AppState;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use maud::{html, Markup};
use rust_decimal::Decimal;
use serde_json::{json, Map, Value};
use tenpa_rules::plan::ClockTime;
use tenpa_store::JobPlanRecord;

use super::labels::DAYS;
const CATEGORIES: [&str; 4] = ["dcc", "spa", "additional_responsibility", "external_duty"];

/// Errors as (field id, message).
pub type FieldErrors = Vec<(String, String)>;

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
    fn blank(&self) -> bool {
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
    /// Pay point 0-7, or `keep` for a stored transitional `salary_point`.
    pub point: String,
    /// CEA level 0-13.
    pub cea_level: String,
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
    /// A note for the version history.
    pub note: String,
}

impl EditorInput {
    /// The fields of a stored document.
    pub fn from_document(doc: &Value, version: i64) -> EditorInput {
        let t = |p: &str| value_text(doc.pointer(p));
        let b = |p: &str| doc.pointer(p).and_then(Value::as_bool).unwrap_or(false);
        let empty = vec![];
        let activities = doc
            .get("activity")
            .and_then(Value::as_array)
            .unwrap_or(&empty)
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
                weeks: a
                    .get("weeks")
                    .and_then(Value::as_array)
                    .map(|w| {
                        w.iter()
                            .map(|x| value_text(Some(x)))
                            .collect::<Vec<_>>()
                            .join(", ")
                    })
                    .unwrap_or_default(),
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
            point,
            cea_level: {
                let c = t("/pay/cea_level");
                if c.is_empty() {
                    "0".into()
                } else {
                    c
                }
            },
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
            point: g("pay_point"),
            cea_level: g("cea_level"),
            activities,
            on_call: f.get("on_call") == "yes",
            rota_size: g("rota_size"),
            on_call_category: g("on_call_category"),
            emergency_plain: g("emergency_hours_plain"),
            emergency_premium: g("emergency_hours_premium"),
            on_call_responsibilities: g("on_call_responsibilities"),
            note: g("note"),
        }
    }

    /// The document these fields make, starting from the stored one (so fields the editor does not
    /// show are kept), with the index of the form activity behind each document activity; or the
    /// errors as (field id, message).
    pub fn to_document(&self, stored: &Value) -> Result<(Value, Vec<usize>), FieldErrors> {
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

        let employer_ids: Vec<String> = plan_employers(stored).into_iter().map(|e| e.id).collect();
        let stored_activities: Vec<Value> = stored
            .get("activity")
            .and_then(Value::as_array)
            .cloned()
            .unwrap_or_default();
        let mut activities = Vec::new();
        let mut map = Vec::new();
        for (i, a) in self.activities.iter().enumerate() {
            if a.delete || a.blank() {
                continue;
            }
            let n = i + 1;
            let mut item = a
                .orig
                .parse::<usize>()
                .ok()
                .and_then(|o| stored_activities.get(o))
                .and_then(Value::as_object)
                .cloned()
                .unwrap_or_default();
            if !DAYS.iter().any(|(d, _)| *d == a.day) {
                errors.push((format!("a{i}-day"), format!("Activity {n}: choose the day")));
            }
            item.insert("day".into(), json!(a.day));
            for (k, v, word) in [("start", &a.start, "start"), ("end", &a.end, "end")] {
                if v.parse::<ClockTime>().is_err() {
                    errors.push((
                        format!("a{i}-{k}"),
                        format!("Activity {n}: enter the {word} time as hours and minutes, like 08:00 (found \"{v}\")"),
                    ));
                }
                item.insert(k.into(), json!(v));
            }
            if !CATEGORIES.contains(&a.category.as_str()) {
                errors.push((
                    format!("a{i}-category"),
                    format!("Activity {n}: choose the category"),
                ));
            }
            item.insert("category".into(), json!(a.category));
            item.insert("title".into(), json!(a.title));
            item.insert("location".into(), json!(a.location));
            item.insert("extra".into(), json!(a.extra));
            let mut weeks = Vec::new();
            for w in a.weeks.split([',', ' ']).filter(|w| !w.trim().is_empty()) {
                match w.trim().parse::<u32>() {
                    Ok(w) => weeks.push(json!(w)),
                    Err(_) => {
                        errors.push((
                            format!("a{i}-weeks"),
                            format!("Activity {n}: enter the weeks as numbers separated by commas, like 1, 3"),
                        ));
                        break;
                    }
                }
            }
            item.insert("weeks".into(), Value::Array(weeks));
            if a.employer.is_empty() {
                item.remove("employer");
            } else if employer_ids.contains(&a.employer) {
                item.insert("employer".into(), json!(a.employer));
            } else {
                errors.push((
                    format!("a{i}-employer"),
                    format!("Activity {n}: choose one of the plan's employers"),
                ));
            }
            activities.push(Value::Object(item));
            map.push(i);
        }
        obj.insert("activity".into(), Value::Array(activities));

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
            obj.insert("on_call".into(), Value::Object(oc));
        } else {
            match stored_on_call {
                // Not on a rota but with recalls recorded (OC-9): keep the record, off the rota.
                Some(mut oc) if oc.get("recalls_per_year").is_some_and(|v| !v.is_null()) => {
                    oc.insert("rota_size".into(), json!(0));
                    oc.remove("category");
                    obj.insert("on_call".into(), Value::Object(oc));
                }
                _ => {
                    obj.remove("on_call");
                }
            }
        }
        if errors.is_empty() {
            Ok((doc, map))
        } else {
            Err(errors)
        }
    }
}

fn section<'a>(obj: &'a mut Map<String, Value>, key: &str) -> &'a mut Map<String, Value> {
    let v = obj.entry(key.to_string()).or_insert_with(|| json!({}));
    if !v.is_object() {
        *v = json!({});
    }
    v.as_object_mut().expect("made an object above")
}

/// A decimal as entered, as a JSON number (or None when it is not one).
fn decimal(s: &str) -> Option<Value> {
    let d: Decimal = s.trim().parse().ok()?;
    serde_json::from_str::<Value>(&d.normalize().to_string())
        .ok()
        .filter(Value::is_number)
}

/// Maps a document field path (`activity[2].end`) to the editor's field id and a label.
fn field_of(path: &str, map: &[usize]) -> (String, String) {
    let path = path.strip_prefix("document.").unwrap_or(path);
    if let Some(rest) = path.strip_prefix("activity[") {
        if let Some((k, field)) = rest.split_once(']') {
            let i = k
                .parse::<usize>()
                .ok()
                .and_then(|k| map.get(k).copied())
                .unwrap_or(0);
            let field = field.trim_start_matches('.');
            let f = match field {
                "day" | "start" | "end" | "category" | "title" | "location" | "extra" | "weeks"
                | "employer" => field,
                _ => "start",
            };
            return (format!("a{i}-{f}"), format!("Activity {}", i + 1));
        }
    }
    let (id, label) = match path {
        "job_plan.effective_from" => ("effective_from", "Effective from"),
        "job_plan.contracted_pas" => ("contracted_pas", "Contracted PAs"),
        "job_plan.cycle_weeks" => ("cycle_weeks", "Weeks in the cycle"),
        "job_plan.out_of_hours_recognition" => {
            ("out_of_hours_recognition", "Out-of-hours recognition")
        }
        "job_plan.premium_mutually_agreed" => ("premium_mutually_agreed", "Premium agreed"),
        "pay.point" | "pay.salary_point" | "pay" => ("pay_point", "Pay point"),
        "pay.cea_level" => ("cea_level", "Clinical excellence award level"),
        "on_call.rota_size" => ("rota_size", "On-call rota"),
        "on_call.category" => ("on_call_category", "On-call category"),
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
fn document_error(e: AppError, map: &[usize]) -> Result<(String, String), WebError> {
    match e {
        AppError::Unprocessable { detail, field } | AppError::BadRequest { detail, field } => {
            let (id, label) = field_of(field.as_deref().unwrap_or(""), map);
            let message = detail
                .split_once(": ")
                .map_or(detail.as_str(), |(_, m)| m)
                .replace('`', "");
            Ok((id, format!("{label}: {message}")))
        }
        other => Err(WebError::from(other)),
    }
}

/// What the edited fields come to: the document and its assessment, or the errors.
pub struct Checked {
    /// The document built from the fields.
    pub document: Option<Value>,
    /// Its assessment, as JSON.
    pub assessment: Option<Value>,
    /// Errors as (field id, message).
    pub errors: Vec<(String, String)>,
}

/// Builds and assesses the document of `input`, as the save would.
pub async fn check(
    state: &AppState,
    stored: &Value,
    input: &EditorInput,
) -> Result<Checked, WebError> {
    let (doc, map) = match input.to_document(stored) {
        Ok(x) => x,
        Err(errors) => {
            return Ok(Checked {
                document: None,
                assessment: None,
                errors,
            })
        }
    };
    let bytes = serde_json::to_vec(&doc).map_err(|e| WebError::Internal(e.to_string()))?;
    let parsed = match read_document(&bytes, &state.params, "") {
        Ok(d) => d,
        Err(e) => {
            return Ok(Checked {
                document: Some(doc),
                assessment: None,
                errors: vec![document_error(e, &map)?],
            })
        }
    };
    match assess(&parsed, &state.params).await {
        Ok(a) => Ok(Checked {
            document: Some(doc),
            assessment: Some(
                serde_json::to_value(&a).map_err(|e| WebError::Internal(e.to_string()))?,
            ),
            errors: vec![],
        }),
        Err(e) => Ok(Checked {
            document: Some(doc),
            assessment: None,
            errors: vec![document_error(e, &map)?],
        }),
    }
}

/// The live panel's content: the assessment and the week, or the problems found.
pub fn panel(state: &AppState, c: &Checked) -> Markup {
    html! {
        @if !c.errors.is_empty() {
            h2 class="nhsuk-heading-m" { "Assessment" }
            div class="nhsuk-warning-callout" {
                h3 class="nhsuk-warning-callout__label" { span role="text" { span class="nhsuk-u-visually-hidden" { "Important: " } "The plan cannot be assessed yet" } }
                ul class="nhsuk-list" {
                    @for (field, message) in &c.errors { li { a href=(format!("#{field}")) { (message) } } }
                }
            }
        }
        @if let (Some(doc), Some(a)) = (&c.document, &c.assessment) {
            (assessment_panel(a))
            @let plain = plain_time_for(doc, &state.params);
            @let cycle = cycle_weeks(doc).min(8);
            h2 class="nhsuk-heading-m" { "The week" }
            (grid_key(&plain))
            @for w in 1..=cycle { (week_grid(doc, w, &plain)) }
        }
    }
}

/// Why the user cannot edit the plan now, as a page.
fn not_editable(state_label: &str, id: i64) -> Response {
    let body = html! {
        h1 class="nhsuk-heading-l" { "This job plan cannot be edited now" }
        p class="nhsuk-body" { "The plan is " (state_label) ". A plan is edited while it is a draft, proposed or not agreed; after sign-off it is reopened for an interim review first." }
        p class="nhsuk-body" { a href=(format!("/plans/{id}")) { "Go back to the job plan" } }
    };
    (
        StatusCode::CONFLICT,
        super::page::bare_layout("This job plan cannot be edited now", body),
    )
        .into_response()
}

/// Loads a plan the user may edit now, or the page saying why not.
async fn editable_plan(
    state: &AppState,
    u: &WebUser,
    id: i64,
) -> Result<Result<JobPlanRecord, Response>, WebError> {
    let plan = load(state, &u.user, id).await?;
    let s = &plan.summary;
    if !may_edit(&u.user, &s.consultant_id, s.department_id) {
        return Err(WebError::Forbidden(format!(
            "you may see job plan {id} but not edit it: the consultant, their clinical director and the medical staffing team edit job plans"
        )));
    }
    let status = s.status;
    if !status.editable() {
        return Ok(Err(not_editable(
            &super::page::status_label(s.status).to_lowercase(),
            id,
        )));
    }
    Ok(Ok(plan))
}

fn text_field(
    id: &str,
    label: &str,
    hint: Option<&str>,
    value: &str,
    class: &str,
    errors: &[(String, String)],
    input_type: &str,
) -> Markup {
    let error = errors.iter().find(|(f, _)| f == id).map(|(_, m)| m);
    let hint_id = format!("{id}-hint");
    let error_id = format!("{id}-error");
    let mut described = Vec::new();
    if hint.is_some() {
        described.push(hint_id.clone());
    }
    if error.is_some() {
        described.push(error_id.clone());
    }
    let described = described.join(" ");
    html! {
        div class=(if error.is_some() { "nhsuk-form-group nhsuk-form-group--error" } else { "nhsuk-form-group" }) {
            label class="nhsuk-label" for=(id) { (label) }
            @if let Some(h) = hint { div class="nhsuk-hint" id=(hint_id) { (h) } }
            @if let Some(m) = error { span class="nhsuk-error-message" id=(error_id) { span class="nhsuk-u-visually-hidden" { "Error: " } (m) } }
            input class=(format!("nhsuk-input {class}{}", if error.is_some() { " nhsuk-input--error" } else { "" })) id=(id) name=(id) type=(input_type) value=(value) aria-describedby=[(!described.is_empty()).then_some(described.as_str())];
        }
    }
}

fn select_field(
    id: &str,
    label: &str,
    value: &str,
    options: &[(String, String)],
    errors: &[(String, String)],
) -> Markup {
    let error = errors.iter().find(|(f, _)| f == id).map(|(_, m)| m);
    html! {
        div class=(if error.is_some() { "nhsuk-form-group nhsuk-form-group--error" } else { "nhsuk-form-group" }) {
            label class="nhsuk-label" for=(id) { (label) }
            @if let Some(m) = error { span class="nhsuk-error-message" id=(format!("{id}-error")) { span class="nhsuk-u-visually-hidden" { "Error: " } (m) } }
            select class=(if error.is_some() { "nhsuk-select nhsuk-select--error" } else { "nhsuk-select" }) id=(id) name=(id) aria-describedby=[error.map(|_| format!("{id}-error"))] {
                @if !options.iter().any(|(v, _)| v == value) { option value="" selected { "Choose" } }
                @for (v, l) in options {
                    option value=(v) selected[v == value] { (l) }
                }
            }
        }
    }
}

fn checkbox(id: &str, label: &str, checked: bool) -> Markup {
    html! {
        div class="nhsuk-checkboxes__item" {
            input class="nhsuk-checkboxes__input" id=(id) name=(id) type="checkbox" value="yes" checked[checked];
            label class="nhsuk-label nhsuk-checkboxes__label" for=(id) { (label) }
        }
    }
}

fn radios(name: &str, legend: &str, value: &str, options: &[(&str, &str)]) -> Markup {
    html! {
        div class="nhsuk-form-group" {
            fieldset class="nhsuk-fieldset" {
                legend class="nhsuk-fieldset__legend nhsuk-fieldset__legend--s" { (legend) }
                div class="nhsuk-radios nhsuk-radios--inline" {
                    @for (i, (v, l)) in options.iter().enumerate() {
                        @let id = if i == 0 { name.to_string() } else { format!("{name}-{v}") };
                        div class="nhsuk-radios__item" {
                            input class="nhsuk-radios__input" id=(id) name=(name) type="radio" value=(v) checked[*v == value];
                            label class="nhsuk-label nhsuk-radios__label" for=(id) { (l) }
                        }
                    }
                }
            }
        }
    }
}

fn activity_fieldset(
    i: usize,
    a: &ActivityInput,
    cycle: bool,
    employers: &[(String, String)],
    errors: &[(String, String)],
) -> Markup {
    let n = i + 1;
    let f = |k: &str| format!("a{i}-{k}");
    let days: Vec<(String, String)> = DAYS
        .iter()
        .map(|(v, l)| (v.to_string(), l.to_string()))
        .collect();
    let cats: Vec<(String, String)> = CATEGORIES
        .iter()
        .map(|c| (c.to_string(), category_label(c).to_string()))
        .collect();
    let heading = if a.title.is_empty() {
        format!("Activity {n}")
    } else {
        format!("Activity {n}: {}", a.title)
    };
    html! {
        fieldset class="nhsuk-fieldset tenpa-activity" {
            legend class="nhsuk-fieldset__legend nhsuk-fieldset__legend--s" { (heading) }
            input type="hidden" name=(f("orig")) value=(a.orig);
            div class="tenpa-inline" {
                (select_field(&f("day"), "Day", &a.day, &days, errors))
                (text_field(&f("start"), "Start", None, &a.start, "nhsuk-input--width-5", errors, "time"))
                (text_field(&f("end"), "End", None, &a.end, "nhsuk-input--width-5", errors, "time"))
            }
            (select_field(&f("category"), "Category", &a.category, &cats, errors))
            (text_field(&f("title"), "Title", None, &a.title, "", errors, "text"))
            (text_field(&f("location"), "Location", None, &a.location, "", errors, "text"))
            @if !employers.is_empty() {
                (select_field(&f("employer"), "Employer", &a.employer, employers, errors))
            }
            @if cycle {
                (text_field(&f("weeks"), "Weeks of the cycle", Some("Week numbers separated by commas; leave empty for every week"), &a.weeks, "nhsuk-input--width-10", errors, "text"))
            }
            div class="nhsuk-form-group" {
                div class="nhsuk-checkboxes nhsuk-checkboxes--small" {
                    (checkbox(&f("extra"), "An additional (extra) PA, contracted separately", a.extra))
                    (checkbox(&f("delete"), &format!("Delete activity {n}"), a.delete))
                }
            }
        }
    }
}

/// The editor page.
fn editor_page(
    state: &AppState,
    u: &WebUser,
    plan: &JobPlanRecord,
    input: &EditorInput,
    errors: &[(String, String)],
    notice: Option<&str>,
    checked: &Checked,
) -> Markup {
    let id = plan.summary.id;
    let title = format!("Edit the job plan of {}", plan.summary.consultant_name);
    let points: Vec<(String, String)> = {
        let mut v: Vec<(String, String)> = (0..=7)
            .map(|p| (p.to_string(), format!("Point {p}")))
            .collect();
        if input.point == "keep" {
            v.insert(
                0,
                ("keep".into(), "Keep the transitional salary point".into()),
            );
        }
        v
    };
    let ceas: Vec<(String, String)> = (0..=13)
        .map(|c| {
            (
                c.to_string(),
                if c == 0 {
                    "None".to_string()
                } else {
                    format!("Level {c}")
                },
            )
        })
        .collect();
    let cycle = input.cycle_weeks.parse::<u32>().is_ok_and(|c| c > 1);
    // The plan's employers (JP-5): the choice appears only when the plan lists employers.
    let listed = plan_employers(&plan.document);
    let employers: Vec<(String, String)> = if !listed.is_empty() {
        let default = default_employer(&listed).map_or_else(
            || "None named".to_string(),
            |e| format!("{} (the plan's default)", e.name),
        );
        std::iter::once((String::new(), default))
            .chain(listed.iter().map(|e| {
                let mut label = e.name.clone();
                if e.lead {
                    label.push_str(", lead employer");
                }
                if e.university {
                    label.push_str(", university");
                }
                (e.id.clone(), label)
            }))
            .collect()
    } else {
        Vec::new()
    };
    layout_back(
        u,
        &title,
        (&format!("/plans/{id}"), "Back to the job plan"),
        html! {
            (error_summary(errors))
            @if let Some(n) = notice {
                div class="nhsuk-warning-callout" {
                    h2 class="nhsuk-warning-callout__label" { span role="text" { span class="nhsuk-u-visually-hidden" { "Important: " } "Your changes are not saved" } }
                    p { (n) }
                }
            }
            span class="nhsuk-caption-l" { (plan.summary.department) ", version " (plan.summary.version) }
            h1 class="nhsuk-heading-l" { (title) }
            div class="nhsuk-grid-row" {
                div class="nhsuk-grid-column-one-half" {
                    form method="post" action=(format!("/plans/{id}/edit")) novalidate data-live-panel=(format!("/plans/{id}/preview")) data-live-target="live-panel" {
                        (csrf_field(u))
                        input type="hidden" name="version" value=(input.version);
                        input type="hidden" name="activities" value=(input.activities.len());
                        h2 class="nhsuk-heading-m" { "The plan" }
                        (text_field("effective_from", "Effective from", Some("The first day the plan applies, for example 2005-04-01"), &input.effective_from, "nhsuk-input--width-10", errors, "date"))
                        (text_field("contracted_pas", "Contracted PAs a week", Some("Core PAs, above 0 and at most 10"), &input.contracted_pas, "nhsuk-input--width-4", errors, "text"))
                        (text_field("cycle_weeks", "Weeks in the timetable's cycle", Some("1 for the same timetable every week"), &input.cycle_weeks, "nhsuk-input--width-4", errors, "text"))
                        (radios("out_of_hours_recognition", "Out-of-hours recognition", &input.recognition, &[("time", "Reduced hours"), ("premium", "A premium")]))
                        div class="nhsuk-form-group" {
                            div class="nhsuk-checkboxes nhsuk-checkboxes--small" {
                                (checkbox("premium_mutually_agreed", "The consultant agrees to the premium form", input.premium_agreed))
                            }
                        }
                        h2 class="nhsuk-heading-m" { "Pay" }
                        (select_field("pay_point", "Pay point", &input.point, &points, errors))
                        (select_field("cea_level", "Clinical excellence award level", &input.cea_level, &ceas, errors))
                        h2 class="nhsuk-heading-m" { "Activities" }
                        @for (i, a) in input.activities.iter().enumerate() {
                            (activity_fieldset(i, a, cycle, &employers, errors))
                        }
                        button class="nhsuk-button nhsuk-button--secondary" type="submit" name="add" value="yes" { "Add an activity" }
                        h2 class="nhsuk-heading-m" { "On-call" }
                        (radios("on_call", "Is the consultant on an on-call rota?", if input.on_call { "yes" } else { "no" }, &[("yes", "Yes"), ("no", "No")]))
                        (text_field("rota_size", "Rota: 1 in", Some("For a 1 in 6 rota enter 6"), &input.rota_size, "nhsuk-input--width-4", errors, "text"))
                        (select_field("on_call_category", "On-call category", &input.on_call_category, &[("a".into(), "A: typically returns to site immediately".into()), ("b".into(), "B: typically gives advice by phone".into())], errors))
                        (text_field("emergency_hours_plain", "Emergency work in plain time, hours a week", None, &input.emergency_plain, "nhsuk-input--width-4", errors, "text"))
                        (text_field("emergency_hours_premium", "Emergency work in premium time, hours a week", None, &input.emergency_premium, "nhsuk-input--width-4", errors, "text"))
                        (select_field("on_call_responsibilities", "A part-time consultant's responsibilities when on call", &input.on_call_responsibilities, &[(String::new(), "Not recorded (taken as a full-time consultant's)".into()), ("same".into(), "The same as a full-time consultant's on the rota".into()), ("different".into(), "Different from a full-time consultant's on the rota".into())], errors))
                        h2 class="nhsuk-heading-m" { "Save" }
                        div class="nhsuk-form-group" {
                            label class="nhsuk-label" for="note" { "Note for the version history" }
                            div class="nhsuk-hint" id="note-hint" { "What changed and why (optional)" }
                            textarea class="nhsuk-textarea" id="note" name="note" rows="3" aria-describedby="note-hint" { (input.note) }
                        }
                        div class="tenpa-inline" {
                            button class="nhsuk-button" type="submit" name="save" value="yes" { "Save" }
                            button class="nhsuk-button nhsuk-button--secondary" type="submit" name="check" value="yes" { "Check the plan" }
                        }
                    }
                }
                div class="nhsuk-grid-column-one-half" {
                    div id="live-panel" class="tenpa-live" aria-live="polite" {
                        (panel(state, checked))
                    }
                }
            }
        },
    )
}

/// `GET /plans/{id}/edit`.
pub async fn show(State(state): State<AppState>, u: WebUser, Path(id): Path<i64>) -> PageResult {
    let plan = match editable_plan(&state, &u, id).await? {
        Ok(p) => p,
        Err(page) => return Ok(page),
    };
    let input = EditorInput::from_document(&plan.document, plan.summary.version);
    let checked = Checked {
        document: Some(plan.document.clone()),
        assessment: Some(plan.assessment.clone()),
        errors: vec![],
    };
    Ok(editor_page(&state, &u, &plan, &input, &[], None, &checked).into_response())
}

/// `POST /plans/{id}/edit`: add an activity, check the plan, or save a new version.
pub async fn submit(
    State(state): State<AppState>,
    Path(id): Path<i64>,
    Form(u, f): Form,
) -> PageResult {
    let plan = match editable_plan(&state, &u, id).await? {
        Ok(p) => p,
        Err(page) => return Ok(page),
    };
    let mut input = EditorInput::from_form(&f);
    if f.has("add") {
        input.activities.push(ActivityInput {
            day: "mon".into(),
            category: "dcc".into(),
            ..Default::default()
        });
        let checked = check(&state, &plan.document, &input).await?;
        return Ok(editor_page(&state, &u, &plan, &input, &[], None, &checked).into_response());
    }
    let checked = check(&state, &plan.document, &input).await?;
    if !checked.errors.is_empty() {
        let page = editor_page(&state, &u, &plan, &input, &checked.errors, None, &checked);
        return Ok((StatusCode::UNPROCESSABLE_ENTITY, page).into_response());
    }
    if !f.has("save") {
        return Ok(editor_page(&state, &u, &plan, &input, &[], None, &checked).into_response());
    }
    let Some(doc) = checked.document.as_ref() else {
        return Err(WebError::Internal("a checked document is missing".into()));
    };
    let version: i64 = input.version.parse().map_err(|_| {
        WebError::BadRequest("the form's version is missing: reload the editor".into())
    })?;
    match save_edit(&state, &u.user, id, version, doc, &input.note).await {
        Ok(()) => Ok(see_other(&format!("/plans/{id}"))),
        Err(AppError::Conflict {
            current_version, ..
        }) => {
            let now = current_version.unwrap_or(plan.summary.version);
            let notice = format!(
                "Someone else saved version {now} of this plan while you were editing version {version}. Your changes are kept below but not saved. Look at the version history, then save again to make your changes the next version."
            );
            input.version = now.to_string();
            let page = editor_page(&state, &u, &plan, &input, &[], Some(&notice), &checked);
            Ok((StatusCode::CONFLICT, page).into_response())
        }
        Err(e @ (AppError::Unprocessable { .. } | AppError::BadRequest { .. })) => {
            let (_, map) = input
                .to_document(&plan.document)
                .unwrap_or((Value::Null, vec![]));
            let errors = vec![document_error(e, &map)?];
            let page = editor_page(&state, &u, &plan, &input, &errors, None, &checked);
            Ok((StatusCode::UNPROCESSABLE_ENTITY, page).into_response())
        }
        Err(e) => Err(e.into()),
    }
}

/// `POST /plans/{id}/preview`: the live panel for the edited fields (an HTML fragment).
pub async fn preview(
    State(state): State<AppState>,
    Path(id): Path<i64>,
    Form(u, f): Form,
) -> PageResult {
    let plan = match editable_plan(&state, &u, id).await? {
        Ok(p) => p,
        Err(_) => {
            return Err(WebError::Conflict(format!(
                "job plan {id} cannot be edited in its state"
            )))
        }
    };
    let input = EditorInput::from_form(&f);
    let checked = check(&state, &plan.document, &input).await?;
    Ok((
        [(axum::http::header::CONTENT_TYPE, "text/html; charset=utf-8")],
        panel(&state, &checked).into_string(),
    )
        .into_response())
}

#[cfg(test)]
mod tests {
    use super::*;

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
        assert_eq!(map, vec![0, 1]);
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
        assert_eq!(map, vec![1]);
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
        assert_eq!(field_of("activity[1].end", &[0, 2]).0, "a2-end");
        assert_eq!(
            field_of("document.job_plan.contracted_pas", &[]).0,
            "contracted_pas"
        );
        assert_eq!(field_of("on_call.category", &[]).0, "on_call_category");
        let e = AppError::Unprocessable {
            detail: "job_plan.cycle_weeks: `cycle_weeks`: found 60".into(),
            field: Some("job_plan.cycle_weeks".into()),
        };
        let (f, m) = document_error(e, &[]).unwrap();
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
}
