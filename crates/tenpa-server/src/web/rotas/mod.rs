//! On-call rotas: the list, and one rota with its frequency (F 4(k)), category decisions (OC-7)
//! and each member's job plan against it, with "bring the plans into line" for those who may
//! change the rota (JP-2, OC-6); the forms to create a rota, change its name, members, reason and
//! action plan (with its version: a stale one is shown as a conflict keeping what was entered), and
//! record a category decision. The pages call the API's functions, so they allow what it allows.
//!
//! One file per part: `view` (the list and one rota), `forms` (creating and changing a rota) and
//! `decision` (recording a category decision); the labels and checks they share are here.

mod decision;
mod forms;
mod view;

pub use self::decision::{decide, new_decision};
pub use self::forms::{create, edit, new, update};
pub use self::view::{align, list, show};

use super::fields::Pairs;
use super::page::{see_other, PageResult, WebError, WebUser};
use crate::policy::manages_department as may_manage;
use crate::service::rotas::RotaChanged;
use crate::AppState;
use axum::response::Response;
use tenpa_rules::plan::OnCallCategory;
use tenpa_store::Rota;

fn band_label(band: &str) -> &'static str {
    match band {
        "high" => "High frequency (1 in 1 to 1 in 4)",
        "medium" => "Medium frequency (1 in 5 to 1 in 8)",
        "low" => "Low frequency (1 in 9 or less frequent)",
        _ => "No members",
    }
}

fn category_label(c: Option<&str>) -> String {
    match c {
        Some("a") => "A: typically returns to site immediately".into(),
        Some("b") => "B: typically advice by phone or returns later".into(),
        _ => "None".into(),
    }
}

/// The departments whose rotas `u` keeps, as (id, name).
async fn managed_departments(state: &AppState, u: &WebUser) -> PageResult<Vec<(i64, String)>> {
    Ok(state
        .store
        .departments()
        .await?
        .into_iter()
        .filter(|d| may_manage(&u.user, d.id))
        .map(|d| (d.id, d.name))
        .collect())
}

/// Whether `u` keeps any department's rotas: the "New rota" link.
async fn may_create_any(state: &AppState, u: &WebUser) -> PageResult<bool> {
    Ok(!managed_departments(state, u).await?.is_empty())
}

fn not_keeper() -> WebError {
    WebError::Forbidden(
        "a rota is kept by the medical director, medical staffing or the department's clinical director".into(),
    )
}

/// The consultants a rota of `department_id` may take, by name: the department's consultant
/// records, and any of `members` from elsewhere (so that a change keeps them).
async fn member_options(
    state: &AppState,
    department_id: i64,
    members: &[&str],
) -> PageResult<Vec<(String, String)>> {
    let mut records: Vec<_> = state
        .store
        .staff_records()
        .await?
        .into_values()
        .filter(|r| r.department_id == department_id)
        .map(|r| (r.assignment_number, r.name))
        .collect();
    for m in members {
        if !records.iter().any(|(id, _)| id == m) {
            if let Some(c) = state.store.consultant(m).await? {
                records.push((c.id, c.name));
            }
        }
    }
    records.sort_by(|a, b| a.1.cmp(&b.1).then(a.0.cmp(&b.0)));
    Ok(records
        .into_iter()
        .map(|(id, name)| (id.clone(), format!("{name} ({id})")))
        .collect())
}

fn category_options() -> Vec<(String, String)> {
    vec![
        (String::new(), "Choose a category".to_string()),
        ("a".to_string(), category_label(Some("a"))),
        ("b".to_string(), category_label(Some("b"))),
    ]
}

/// The category chosen in field `field`, or the error to show on it.
fn chosen_category(value: &str, field: &str) -> Result<OnCallCategory, (String, String)> {
    match value {
        "a" => Ok(OnCallCategory::A),
        "b" => Ok(OnCallCategory::B),
        "" => Err((field.to_string(), "Choose category A or B.".to_string())),
        other => Err((
            field.to_string(),
            format!("Found category {other:?}: choose category A or B."),
        )),
    }
}

fn ticked(fields: &Pairs, name: &str) -> Vec<String> {
    fields
        .iter()
        .filter(|(k, _)| k == name)
        .map(|(_, v)| v.clone())
        .collect()
}

/// Where a change goes on to: the rota's page saying what was done and to how many plans.
fn after(id: i64, done: &str, changed: &RotaChanged) -> Response {
    see_other(&format!(
        "/rotas/{id}?done={done}&aligned={}&refused={}",
        changed.plans.reversioned.len(),
        changed.plans.refused.len()
    ))
}

/// A version the form no longer matches, as the notice the page shows.
fn conflict_notice(now: &Rota, edited: &str) -> String {
    format!(
        "Someone else changed this rota while you were working on version {edited}: it is now at version {}. What you entered is kept below but was not saved. Check the rota as it is now, then save again to make your change the next version.",
        now.version
    )
}
