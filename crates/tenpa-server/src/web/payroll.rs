//! Pay to payroll (medical staffing): the exports made, each to download as CSV or XLSX exactly as
//! made, and the month to export next, on the path `tenpa payroll export` and the API share
//! ([`crate::service::payroll`]).

use super::fields::{entered, field_error, Field, Pairs};
use super::objectives::query;
use super::page::{csrf_field, layout, pounds, see_other, Form, PageResult, WebError, WebUser};
use super::team::{download, XLSX};
use crate::service::payroll::{self, Month};
use crate::web::components::{error_summary, success_banner, HtmlTable};
use crate::AppState;
use axum::extract::{Path, RawQuery, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use maud::{html, Markup};

fn staffing(u: &WebUser) -> PageResult<()> {
    if crate::policy::may_export_payroll(&u.user) {
        Ok(())
    } else {
        Err(WebError::Forbidden(
            "payroll exports are made by medical staffing".into(),
        ))
    }
}

async fn page(
    state: &AppState,
    u: &WebUser,
    banner: Option<Markup>,
    fields: &Pairs,
    errors: &Pairs,
) -> PageResult<Markup> {
    let exports = state.store.payroll_exports().await?;
    let next = match exports.first() {
        Some(latest) => Month::parse("period", &latest.period)
            .map(|m| m.next().to_string())
            .unwrap_or_default(),
        None => Month::of(crate::uk_time::today()).to_string(),
    };
    let period = match entered(fields, "payroll-period") {
        "" => next.as_str(),
        p => p,
    };
    let title = if errors.is_empty() {
        "Payroll"
    } else {
        "Error: Payroll"
    };
    let body = html! {
        @if let Some(b) = banner { (b) }
        (error_summary(errors))
        h1 class="nhsuk-heading-l" { "Payroll" }
        p class="nhsuk-body" { "Each month's export lists, for every consultant with a signed-off job plan in force, the month's amount of each pay element, whether it is superannuable, and its change since the previous export. A plan signed off after the date it takes effect brings the arrears (or overpayment) of each month already exported, at the figures in force in that month. Months are exported in order, once each; an export downloaded again is the same file." }
        form method="post" action="/payroll" novalidate {
            (csrf_field(u))
            (Field::new("payroll-period", "Month to export", "As YYYY-MM, for example 2027-04.").input("text", period, errors))
            button class="nhsuk-button" type="submit" { "Export the month" }
        }
        @if exports.is_empty() {
            p class="nhsuk-body" id="no-exports" { "No month has been exported yet." }
        } @else {
            (HtmlTable::new("Exports")
                .id("payroll-exports")
                .columns(&["Month", "Made"])
                .numeric("Lines")
                .numeric("Total")
                .columns(&["Files"])
                .rows_with_ids(exports.iter().map(|e| {
                    (format!("export-{}", e.period), vec![
                        html! { (e.period) },
                        html! { (crate::web::components::when(&e.created_at)) " by " (e.created_by) },
                        html! { (e.line_count) },
                        html! { (pounds(e.total_pence)) },
                        html! {
                        a href=(format!("/payroll/{}/csv", e.period)) { "CSV" span class="nhsuk-u-visually-hidden" { " for " (e.period) } }
                        " · "
                        a href=(format!("/payroll/{}/xlsx", e.period)) { "XLSX" span class="nhsuk-u-visually-hidden" { " for " (e.period) } }
                    },
                    ])
                })))
        }
    };
    Ok(layout(u, title, body))
}

/// `GET /payroll`.
pub async fn show(
    State(state): State<AppState>,
    u: WebUser,
    RawQuery(q): RawQuery,
) -> PageResult<Markup> {
    staffing(&u)?;
    let q = query(q);
    let banner = match (q.get("done"), q.get("period")) {
        ("made", p) => Some(success_banner(
            &format!("The payroll of {p} has been exported."),
            html! {
                p { a href=(format!("/payroll/{p}/csv")) { "Download the CSV" } " or " a href=(format!("/payroll/{p}/xlsx")) { "the workbook" } "." }
            },
        )),
        ("stored", p) => Some(success_banner(
            &format!("{p} had been exported already: here is that export."),
            html! {
                p { a href=(format!("/payroll/{p}/csv")) { "Download the CSV" } " or " a href=(format!("/payroll/{p}/xlsx")) { "the workbook" } "." }
            },
        )),
        _ => None,
    };
    page(&state, &u, banner, &[], &[]).await
}

/// `POST /payroll`: exports the month.
pub async fn submit(State(state): State<AppState>, Form(u, f): Form) -> PageResult<Response> {
    staffing(&u)?;
    match payroll::export(
        &state.store,
        &state.params,
        &u.user.username,
        f.get("payroll-period"),
    )
    .await
    {
        Ok(e) => {
            let done = if e.made { "made" } else { "stored" };
            Ok(see_other(&format!(
                "/payroll?done={done}&period={}",
                e.export.period
            )))
        }
        Err(e) => {
            let error = field_error(e, "payroll-", "period")?;
            let fields: Vec<(String, String)> = f.kept();
            let page = page(&state, &u, None, &fields, &[error]).await?;
            Ok((StatusCode::UNPROCESSABLE_ENTITY, page).into_response())
        }
    }
}

/// `GET /payroll/{period}/{format}`: an export's file as stored, `csv` or `xlsx`.
pub async fn file(
    State(state): State<AppState>,
    u: WebUser,
    Path((period, format)): Path<(String, String)>,
) -> PageResult<Response> {
    staffing(&u)?;
    let month = Month::parse("period", &period).map_err(WebError::from)?;
    let Some(tenpa_store::PayrollFiles { csv, xlsx, .. }) =
        state.store.payroll_export(&month.to_string()).await?
    else {
        return Err(WebError::NotFound(format!("{month} has not been exported")));
    };
    match format.as_str() {
        "csv" => Ok(download(
            "text/csv; charset=utf-8",
            &format!("payroll-{month}.csv"),
            csv,
        )),
        "xlsx" => Ok(download(XLSX, &format!("payroll-{month}.xlsx"), xlsx)),
        _ => Err(WebError::NotFound("the files are csv and xlsx".into())),
    }
}
