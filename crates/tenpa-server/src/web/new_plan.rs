//! A new job plan (whoever may edit the consultant's plans): choose the consultant and the date the
//! plan takes effect, and start from the consultant's current plan (next year's plan: the same
//! timetable, on-call and pay, from the new date) or from a blank plan filled in from their record.
//! The plan is created as a draft on the path the API uses and opens in the editor.

use super::fields::{entered, field_error, Field, Pairs};
use super::page::{csrf_field, layout_back, see_other, Form, PageResult, WebError, WebUser};
use crate::policy::may_edit;
use crate::service::assessments::CheckedPlan;
use crate::service::job_plans::create_plan;
use crate::uk_time;
use crate::web::components::error_summary;
use crate::AppState;
use axum::extract::{RawQuery, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use maud::{html, Markup};
use serde_json::{json, Value};
use tenpa_store::{Scope, StaffRecord};

/// The consultant records `u` may create plans for, by name.
async fn records_for(state: &AppState, u: &WebUser) -> PageResult<Vec<StaffRecord>> {
    let mut records: Vec<StaffRecord> = state
        .store
        .staff_records()
        .await?
        .into_values()
        .filter(|r| may_edit(&u.user, &r.assignment_number, r.department_id))
        .collect();
    records.sort_by(|a, b| {
        a.name
            .cmp(&b.name)
            .then(a.assignment_number.cmp(&b.assignment_number))
    });
    Ok(records)
}

/// Whether `u` may create a plan for anyone: the new-plan link on the plans page.
pub fn may_create_any(u: &WebUser) -> bool {
    crate::policy::may_create_plans(&u.user)
}

async fn page(state: &AppState, u: &WebUser, fields: &Pairs, errors: &Pairs) -> PageResult<Markup> {
    let records = records_for(state, u).await?;
    if records.is_empty() {
        return Err(WebError::Forbidden(
            "there is no consultant whose job plan you may create".into(),
        ));
    }
    let options: Vec<(String, String)> = records
        .iter()
        .map(|r| {
            (
                r.assignment_number.clone(),
                format!("{} ({})", r.name, r.assignment_number),
            )
        })
        .collect();
    let mut starts = vec![
        (
            "current".to_string(),
            "The consultant's current plan, from the new date (next year's plan)".to_string(),
        ),
        (
            "blank".to_string(),
            "A blank plan, filled in from the consultant's record".to_string(),
        ),
    ];
    let departments = crate::service::organisation::departments(&state.store).await?;
    for t in crate::service::templates::visible(&state.store, &u.user).await? {
        let department = departments
            .iter()
            .find(|d| d.id == t.department_id)
            .map_or("", |d| d.name.as_str());
        starts.push((
            format!("template:{}", t.id),
            format!("The {department} template {:?}", t.name),
        ));
    }
    let today = uk_time::today().to_string();
    let date = match entered(fields, "plan-effective_from") {
        "" => today.as_str(),
        d => d,
    };
    let start = match entered(fields, "plan-start") {
        "" => "current",
        s => s,
    };
    let title = if errors.is_empty() {
        "New job plan"
    } else {
        "Error: New job plan"
    };
    let body = html! {
        (error_summary(errors))
        h1 class="nhsuk-heading-l" { "New job plan" }
        p class="nhsuk-body" { "The plan starts as a draft: fill it in in the editor, then take it through its workflow." }
        form method="post" action="/plans/new" novalidate {
            (csrf_field(u))
            (Field::new("plan-consultant_id", "Consultant", "").select(&options, entered(fields, "plan-consultant_id"), errors))
            (Field::new("plan-effective_from", "Takes effect on", "For example, 2027-04-01.").input("date", date, errors))
            (Field::new("plan-start", "Start from", "A consultant without a plan starts from a blank one.").select(&starts, start, errors))
            (Field::new("plan-point", "Point on the salary scale", "Where the consultant is on the scale on the date the plan takes effect; the editor changes it too.").select(&point_options(), entered(fields, "plan-point"), errors))
            (Field::new("plan-note", "Note for the history (optional)", "For example, annual review 2027.").input("text", entered(fields, "plan-note"), errors))
            button class="nhsuk-button" type="submit" { "Create the plan" }
        }
    };
    Ok(layout_back(u, title, ("/plans", "Job plans"), body))
}

/// `GET /plans/new`; `?consultant=` chooses the consultant.
pub async fn show(
    State(state): State<AppState>,
    u: WebUser,
    RawQuery(q): RawQuery,
) -> PageResult<Markup> {
    let q = super::objectives::query(q);
    let fields = vec![(
        "plan-consultant_id".to_string(),
        q.get("consultant").to_string(),
    )];
    page(&state, &u, &fields, &[]).await
}

/// The pay points a new plan may start at, after "as on the latest plan".
fn point_options() -> Vec<(String, String)> {
    let mut options = vec![(
        String::new(),
        "As on the consultant's latest plan (point 0 when they have none)".to_string(),
    )];
    options.extend((0..=MAX_POINT).map(|p| (p.to_string(), format!("Point {p}"))));
    options
}

/// The highest point of the salary scale (points 0 to 7).
const MAX_POINT: u32 = 7;

/// Sets the plan's pay point, in place of a transitional salary point.
fn set_point(doc: &mut Value, point: Value) {
    if let Some(pay) = doc.get_mut("pay").and_then(Value::as_object_mut) {
        pay.remove("salary_point");
        pay.insert("point".into(), point);
    } else {
        doc["pay"] = json!({ "point": point });
    }
}

fn invalid(field: &str, message: &str) -> (String, String) {
    (field.to_string(), message.to_string())
}

/// A blank plan from the consultant's record: who they are, their contracted PAs (10 when the
/// record has none), the employer's nation, the lowest pay point, no activities.
async fn blank(state: &AppState, r: &StaffRecord, effective_from: &str) -> PageResult<Value> {
    let record = state.store.consultant(&r.assignment_number).await?;
    let employer = state
        .store
        .department(r.department_id)
        .await?
        .map(|d| d.employer_id);
    let nation = match employer {
        Some(employer) => state
            .store
            .employers()
            .await?
            .into_iter()
            .find(|e| e.id == employer)
            .map_or("england".to_string(), |e| e.nation),
        None => "england".into(),
    };
    let mut consultant = json!({
        "id": r.assignment_number,
        "name": r.name,
        "first_appointed": r.first_appointed,
        "nation": nation,
    });
    if let Some(c) = record {
        if let Some(t) = c.transferred {
            consultant["transferred"] = json!(t);
        }
        if let Some(s) = c.seniority_at_transfer {
            consultant["seniority_at_transfer"] = json!(s);
        }
    }
    // The record's decimal text as a JSON number, exactly as written (10, 7.5).
    let pas: Value = r
        .contracted_pas
        .as_deref()
        .and_then(|p| p.parse::<rust_decimal::Decimal>().ok())
        .and_then(|p| serde_json::from_str(&p.normalize().to_string()).ok())
        .unwrap_or(json!(10));
    Ok(json!({
        "consultant": consultant,
        "job_plan": { "effective_from": effective_from, "contracted_pas": pas },
        "pay": { "point": 0 },
    }))
}

/// The consultant's most recently created plan — its id, version and document — if they have one.
async fn current(state: &AppState, consultant_id: &str) -> PageResult<Option<(i64, i64, Value)>> {
    let latest = state
        .store
        .job_plans(&Scope::Consultant(consultant_id.to_string()))
        .await?
        .into_iter()
        .map(|p| p.id)
        .max();
    Ok(match latest {
        Some(id) => state
            .store
            .job_plan(id)
            .await?
            .map(|p| (id, p.summary.version, p.document)),
        None => None,
    })
}

/// `POST /plans/new`: creates the draft and opens it in the editor.
pub async fn create(State(state): State<AppState>, Form(u, f): Form) -> PageResult<Response> {
    let records = records_for(&state, &u).await?;
    let fields: Vec<(String, String)> = f.kept();
    let refuse = |errors: Vec<(String, String)>| {
        let state = state.clone();
        let u = u.clone();
        let fields = fields.clone();
        async move {
            let page = page(&state, &u, &fields, &errors).await?;
            Ok::<Response, WebError>((StatusCode::UNPROCESSABLE_ENTITY, page).into_response())
        }
    };
    let Some(record) = records
        .iter()
        .find(|r| r.assignment_number == f.get("plan-consultant_id"))
    else {
        return refuse(vec![invalid(
            "plan-consultant_id",
            "Choose a consultant whose job plan you may create.",
        )])
        .await;
    };
    let date = f.get("plan-effective_from");
    if chrono::NaiveDate::parse_from_str(date, "%Y-%m-%d").is_err() {
        return refuse(vec![invalid(
            "plan-effective_from",
            "Enter the date the plan takes effect as YYYY-MM-DD, for example 2027-04-01.",
        )])
        .await;
    }
    let point = match f.get("plan-point") {
        "" => None,
        p => match p.parse::<u32>() {
            Ok(p) if p <= MAX_POINT => Some(p),
            _ => {
                return refuse(vec![invalid(
                    "plan-point",
                    &format!("Choose a point from 0 to {MAX_POINT}, or the latest plan's."),
                )])
                .await
            }
        },
    };
    let mut from: Option<String> = None;
    let mut document = match f.get("plan-start") {
        "current" => match current(&state, &record.assignment_number).await? {
            Some((id, version, mut doc)) => {
                doc["job_plan"]["effective_from"] = json!(date);
                from = Some(format!("job plan {id} (version {version})"));
                doc
            }
            None => {
                return refuse(vec![invalid(
                    "plan-start",
                    &format!("{} has no plan yet: start from a blank plan.", record.name),
                )])
                .await
            }
        },
        "blank" => blank(&state, record, date).await?,
        start if start.starts_with("template:") => {
            let template = match start["template:".len()..].parse::<i64>() {
                Ok(id) => state.store.plan_template(id).await?,
                Err(_) => None,
            };
            let Some(t) = template.filter(|t| t.retired_at.is_none()) else {
                return refuse(vec![invalid(
                    "plan-start",
                    "That template is no longer in use: choose another start.",
                )])
                .await;
            };
            if t.department_id != record.department_id {
                return refuse(vec![invalid(
                    "plan-start",
                    &format!(
                        "The template {:?} is another department's: choose one of {}'s department.",
                        t.name, record.name
                    ),
                )])
                .await;
            }
            crate::service::templates::apply(&t.body, &blank(&state, record, date).await?)
        }
        other => {
            return Err(WebError::BadRequest(format!(
                "plan-start: found {other:?}, expected current, blank or template:ID"
            )))
        }
    };
    match point {
        Some(p) => set_point(&mut document, json!(p)),
        // A plan not started from the current one takes the latest plan's point, if any.
        None if f.get("plan-start") != "current" => {
            if let Some((_, _, latest)) = current(&state, &record.assignment_number).await? {
                let held = latest.pointer("/pay/point").filter(|v| !v.is_null());
                match (held, latest.pointer("/pay/salary_point")) {
                    (Some(p), _) => set_point(&mut document, p.clone()),
                    (None, Some(s)) => document["pay"] = json!({ "salary_point": s }),
                    (None, None) => {}
                }
            }
        }
        None => {}
    }
    let note = match f.get("plan-note") {
        "" => match f.get("plan-start") {
            "current" => format!(
                "next plan, started from {}",
                from.as_deref().unwrap_or("the current plan")
            ),
            "blank" => "started blank".to_string(),
            _ => "started from a department template".to_string(),
        },
        n => match &from {
            Some(f) => format!("{n} (started from {f})"),
            None => n.to_string(),
        },
    };
    let created = match CheckedPlan::check(document, &state.params, "document.").await {
        Ok(plan) => create_plan(&state, &u.user, &plan, &note).await,
        Err(e) => Err(e.into()),
    };
    match created {
        Ok(id) => Ok(see_other(&format!("/plans/{id}/edit"))),
        Err(e) => {
            let error = field_error(e, "plan-", "consultant_id")?;
            refuse(vec![error]).await
        }
    }
}
