//! A job plan's versions: `GET /plans/{id}/history` lists every version with a form to compare
//! any two, and `GET /plans/{id}/diff?from=A&to=B` shows what changed between them, with the
//! change in programmed activities and pay.

use super::page::{layout_back, pounds, PageResult, WebError, WebUser};
use super::workflow::{parse_action, plan_id};
use crate::service::job_plans::load;
use crate::web::components::{
    long_date, pa_figures, status_label, status_tag, summary_row, summary_rows, when, HtmlTable,
};
use crate::AppState;
use axum::extract::{Path, Query, State};
use maud::{html, Markup};
use rust_decimal::Decimal;
use serde::Deserialize;
use std::collections::HashMap;
use tenpa_rules::job_planning::Action;
use tenpa_rules::Assessment;
use tenpa_store::VersionRecord;

/// What made a version, in words: "Created", "Edited", "Agreed", ….
pub fn version_action_label(action: &str) -> &'static str {
    match action {
        "create" => "Created",
        "edit" => "Edited",
        crate::service::rota_plans::ON_CALL_ACTION => "On-call changed to follow its rota",
        other => match parse_action(other) {
            Some(Action::Propose) => "Proposed",
            Some(Action::Agree) => "Agreed by the consultant",
            Some(Action::NotAgree) => "Recorded as not agreed",
            Some(Action::Refer) => "Referred to the medical director",
            Some(Action::Resolve) => "Referral outcome recorded",
            Some(Action::Appeal) => "Taken to a local appeals panel",
            Some(Action::DecideAppeal) => "Appeals panel's outcome recorded",
            Some(Action::CdSignOff) => "Signed off by the clinical director",
            Some(Action::MdSignOff) => "Signed off by the medical director",
            Some(Action::Reopen) => "Reopened for an interim review",
            None => "Changed",
        },
    }
}

/// The display names of the people who made `versions`, by username (those without an account,
/// such as the demo loader, keep their username).
pub async fn display_names(
    state: &AppState,
    versions: &[VersionRecord],
) -> HashMap<String, String> {
    let mut names = HashMap::new();
    for v in versions {
        if names.contains_key(&v.created_by) {
            continue;
        }
        let name = match state.store.user_by_username(&v.created_by).await {
            Ok(Some(user)) if !user.display_name.is_empty() => user.display_name,
            _ => v.created_by.clone(),
        };
        names.insert(v.created_by.clone(), name);
    }
    names
}

/// Who made a version, by name.
pub fn who<'a>(names: &'a HashMap<String, String>, username: &'a str) -> &'a str {
    names.get(username).map(String::as_str).unwrap_or(username)
}

/// Every version as a table, newest first.
pub fn history_table(
    versions: &[VersionRecord],
    names: &HashMap<String, String>,
    caption: &str,
) -> Markup {
    html! {
        table class="nhsuk-table tenpa-history" {
            caption class="nhsuk-table__caption" { (caption) }
            thead class="nhsuk-table__head" { tr class="nhsuk-table__row" {
                th class="nhsuk-table__header" scope="col" { "Version" }
                th class="nhsuk-table__header" scope="col" { "When" }
                th class="nhsuk-table__header" scope="col" { "Who" }
                th class="nhsuk-table__header" scope="col" { "What" }
                th class="nhsuk-table__header" scope="col" { "Note" }
                th class="nhsuk-table__header" scope="col" { "Status after" }
                th class="nhsuk-table__header nhsuk-table__header--numeric" scope="col" { "Total pay" }
            } }
            tbody class="nhsuk-table__body" {
                @for v in versions.iter().rev() {
                    tr class="nhsuk-table__row" {
                        td class="nhsuk-table__cell" { (v.version) }
                        td class="nhsuk-table__cell" { (when(&v.created_at)) }
                        td class="nhsuk-table__cell" { (who(names, &v.created_by)) }
                        td class="nhsuk-table__cell" { (version_action_label(&v.action)) }
                        td class="nhsuk-table__cell" {
                            @if v.note.is_empty() && v.sign_off.is_none() { span class="nhsuk-u-visually-hidden" { "No note" } } @else { (v.note) }
                            @if let Some(s) = &v.sign_off { (super::sign_off::said(s)) }
                        }
                        td class="nhsuk-table__cell" { (status_tag(v.status)) }
                        td class="nhsuk-table__cell nhsuk-table__cell--numeric" { (pounds(v.total_pay_pence)) }
                    }
                }
            }
        }
    }
}

/// The versions compared by default: the one before the current and the current (or the only
/// one twice).
pub fn default_pair(versions: &[VersionRecord]) -> (i64, i64) {
    let last = versions.last().map(|v| v.version).unwrap_or(1);
    let before = versions
        .iter()
        .rev()
        .nth(1)
        .map(|v| v.version)
        .unwrap_or(last);
    (before, last)
}

fn version_select(id: &str, label: &str, versions: &[VersionRecord], selected: i64) -> Markup {
    html! {
        div class="nhsuk-form-group tenpa-inline-group" {
            label class="nhsuk-label" for=(id) { (label) }
            select class="nhsuk-select" id=(id) name=(id) {
                @for v in versions.iter().rev() {
                    option value=(v.version) selected[v.version == selected] {
                        "Version " (v.version) ": " (version_action_label(&v.action)) ", " (long_date(&v.created_at))
                    }
                }
            }
        }
    }
}

/// The form that picks two versions to compare.
fn compare_form(id: i64, versions: &[VersionRecord], from: i64, to: i64) -> Markup {
    html! {
        form method="get" action=(format!("/plans/{id}/diff")) novalidate {
            fieldset class="nhsuk-fieldset" {
                legend class="nhsuk-fieldset__legend nhsuk-fieldset__legend--m" {
                    h2 class="nhsuk-fieldset__heading" { "Compare two versions" }
                }
                (version_select("from", "Earlier version", versions, from))
                (version_select("to", "Later version", versions, to))
            }
            button class="nhsuk-button" type="submit" { "Show the differences" }
        }
    }
}

/// `GET /plans/{id}/history`.
pub async fn show(
    State(state): State<AppState>,
    u: WebUser,
    Path(raw): Path<String>,
) -> PageResult<Markup> {
    let id = plan_id(&raw)?;
    let plan = load(&state, &u.user, id).await?;
    let versions = state.store.job_plan_versions(id).await?;
    let names = display_names(&state, &versions).await;
    let (from, to) = default_pair(&versions);
    let body = html! {
        span class="nhsuk-caption-l" { (plan.summary.consultant_name) ", " (plan.summary.department) }
        h1 class="nhsuk-heading-l" { "Version history" }
        p class="nhsuk-body" {
            "Every edit and every workflow step makes a new version. The plan is now "
            (status_label(plan.summary.status)) ", at version " (plan.summary.version) "."
        }
        @if versions.len() > 1 {
            (compare_form(id, &versions, from, to))
        }
        (history_table(&versions, &names, "Every version of this job plan, newest first"))
        p class="nhsuk-body" { a href=(format!("/plans/{id}/workflow")) { "Agreement and sign-off of this plan" } }
    };
    Ok(layout_back(
        &u,
        &format!("Version history: {}", plan.summary.consultant_name),
        (&format!("/plans/{id}"), "Back to the job plan"),
        body,
    ))
}

/// The query of the difference page.
#[derive(Debug, Deserialize, Default)]
pub struct DiffQuery {
    /// The earlier version.
    #[serde(default)]
    pub from: Option<String>,
    /// The later version.
    #[serde(default)]
    pub to: Option<String>,
}

/// A version number from the query.
fn version_number(name: &str, raw: Option<&str>) -> Result<i64, WebError> {
    let raw = raw.unwrap_or("").trim();
    if raw.is_empty() {
        return Err(WebError::BadRequest(format!(
            "choose the {name} version to compare"
        )));
    }
    raw.parse::<i64>().ok().filter(|v| *v > 0).ok_or_else(|| {
        WebError::BadRequest(format!(
            "the {name} version \"{raw}\" is not a version number: versions are numbered from 1"
        ))
    })
}

/// A signed change for people: "+0.5", "-1", "No change".
pub fn signed(d: Decimal) -> String {
    if d.is_zero() {
        "No change".into()
    } else if d.is_sign_positive() {
        format!("+{}", d.normalize())
    } else {
        d.normalize().to_string()
    }
}

/// A signed change of money: "+£1,234.00", "-£5.00", "No change".
pub fn signed_pounds(pence: i64) -> String {
    match pence {
        0 => "No change".into(),
        p if p > 0 => format!("+{}", pounds(p)),
        p => pounds(p),
    }
}

/// The PA figures and the pay of two versions, side by side with the change (the categories and
/// the total, not the core total nor premium time).
fn figures_table(from: (&VersionRecord, &Assessment), to: (&VersionRecord, &Assessment)) -> Markup {
    let figures = pa_figures(&from.1.pas)
        .into_iter()
        .zip(pa_figures(&to.1.pas))
        .filter(|(a, _)| !a.part);
    html! {
        (HtmlTable::new("Programmed activities a week and pay a year")
            .row_headers()
            .columns(&["Figure"])
            .numeric_column(html! { "Version " (from.0.version) })
            .numeric_column(html! { "Version " (to.0.version) })
            .numeric("Change")
            .rows(figures.map(|(a, b)| {
                vec![
                    html! { (a.label) },
                    html! { (a.value.normalize()) },
                    html! { (b.value.normalize()) },
                    html! { (signed(b.value - a.value)) },
                ]
            }))
            .rows([vec![
                html! { "Total pay" },
                html! { (pounds(from.0.total_pay_pence)) },
                html! { (pounds(to.0.total_pay_pence)) },
                html! { (signed_pounds(to.0.total_pay_pence - from.0.total_pay_pence)) },
            ]]))
    }
}

/// `GET /plans/{id}/diff?from=A&to=B`.
pub async fn diff(
    State(state): State<AppState>,
    u: WebUser,
    Path(raw): Path<String>,
    q: Result<Query<DiffQuery>, axum::extract::rejection::QueryRejection>,
) -> PageResult<Markup> {
    let id = plan_id(&raw)?;
    let plan = load(&state, &u.user, id).await?;
    let q = q.map(|Query(q)| q).unwrap_or_default();
    let from_n = version_number("earlier", q.from.as_deref())?;
    let to_n = version_number("later", q.to.as_deref())?;
    let versions = state.store.job_plan_versions(id).await?;
    let record = |n: i64| {
        versions.iter().find(|v| v.version == n).ok_or_else(|| {
            WebError::NotFound(format!(
                "job plan {id} has no version {n}: its versions are 1 to {}",
                plan.summary.version
            ))
        })
    };
    let (from_v, to_v) = (record(from_n)?, record(to_n)?);
    let stored = |n: i64| {
        let state = &state;
        async move {
            state
                .store
                .job_plan_version(id, n)
                .await?
                .ok_or_else(|| WebError::NotFound(format!("job plan {id} has no version {n}")))
        }
    };
    let (from_doc, from_assessment) = stored(from_n).await?;
    let (to_doc, to_assessment) = stored(to_n).await?;
    let names = display_names(&state, &versions).await;
    let changes = super::diff::diff(&from_doc, &to_doc);
    let body = html! {
        span class="nhsuk-caption-l" { (plan.summary.consultant_name) ", " (plan.summary.department) }
        h1 class="nhsuk-heading-l" { "Changes from version " (from_n) " to version " (to_n) }
        (summary_rows(html! {
            @for v in [from_v, to_v] {
                (summary_row(html! { "Version " (v.version) }, html! { (version_action_label(&v.action)) " by " (who(&names, &v.created_by)) ", " (when(&v.created_at))
                    " (" (status_label(v.status)) ")" }))
            }
        }))
        @if from_n > to_n {
            div class="nhsuk-inset-text" {
                span class="nhsuk-u-visually-hidden" { "Information: " }
                p { "The earlier version you chose is newer than the later one, so the changes read backwards in time." }
            }
        }
        h2 class="nhsuk-heading-m" { "What changed in the plan" }
        (super::diff::render(&changes))
        h2 class="nhsuk-heading-m" { "Effect on programmed activities and pay" }
        (figures_table((from_v, &from_assessment), (to_v, &to_assessment)))
        p class="nhsuk-body" { a href=(format!("/plans/{id}/history")) { "Choose other versions to compare" } }
    };
    Ok(layout_back(
        &u,
        &format!(
            "Changes from version {from_n} to {to_n}: {}",
            plan.summary.consultant_name
        ),
        (
            &format!("/plans/{id}/history"),
            "Back to the version history",
        ),
        body,
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn v(version: i64, action: &str) -> VersionRecord {
        VersionRecord {
            version,
            status: tenpa_rules::job_planning::Status::Draft,
            action: action.into(),
            note: String::new(),
            created_by: "x".into(),
            created_at: "2026-11-29T21:50:24.000Z".into(),
            total_pay_pence: 0,
            sign_off: None,
        }
    }

    #[test]
    fn the_default_comparison_is_the_previous_and_current_versions() {
        assert_eq!(default_pair(&[v(1, "create")]), (1, 1));
        assert_eq!(
            default_pair(&[v(1, "create"), v(2, "propose"), v(3, "agree")]),
            (2, 3)
        );
        assert_eq!(default_pair(&[]), (1, 1));
    }

    #[test]
    fn versions_read_in_words() {
        assert_eq!(version_action_label("create"), "Created");
        assert_eq!(
            version_action_label("md_sign_off"),
            "Signed off by the medical director"
        );
        assert_eq!(version_action_label("???"), "Changed");
    }

    #[test]
    fn changes_are_exact_and_signed() {
        assert_eq!(signed(Decimal::new(5, 1)), "+0.5");
        assert_eq!(signed(Decimal::new(-10, 1)), "-1");
        assert_eq!(signed(Decimal::ZERO), "No change");
        assert_eq!(signed_pounds(123_400), "+£1,234.00");
        assert_eq!(signed_pounds(-500), "-£5.00");
        assert!(matches!(
            version_number("earlier", Some("abc")),
            Err(WebError::BadRequest(_))
        ));
        assert!(matches!(
            version_number("earlier", None),
            Err(WebError::BadRequest(_))
        ));
        assert_eq!(version_number("later", Some(" 3 ")).ok(), Some(3));
    }
}
