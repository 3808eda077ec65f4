//! The team's rows as CSV and XLSX downloads.

use super::query::{select, TeamQuery};
use super::{band_label, load, TeamRow};
use crate::download::{download, XLSX};
use crate::export::{self, Cell, Table};
use crate::web::page::{PageResult, WebError, WebUser};
use crate::AppState;
use axum::extract::{RawQuery, State};

/// The export table of team rows.
pub fn table(title: &str, rows: &[TeamRow]) -> Table {
    let columns = [
        "Consultant",
        "Consultant id",
        "Total PAs",
        "DCC PAs",
        "SPA PAs",
        "Additional responsibility PAs",
        "External duty PAs",
        "On-call PAs",
        "Extra PAs",
        "On-call band",
        "Status",
        "Review due",
        "Total pay",
    ];
    Table {
        title: title.to_string(),
        columns: columns.iter().map(|c| c.to_string()).collect(),
        rows: rows
            .iter()
            .map(|r| {
                vec![
                    Cell::Text(r.name.clone()),
                    Cell::Text(r.consultant_id.clone()),
                    Cell::Decimal(r.pas.total.normalize()),
                    Cell::Decimal(r.pas.dcc.normalize()),
                    Cell::Decimal(r.pas.spa.normalize()),
                    Cell::Decimal(r.pas.additional.normalize()),
                    Cell::Decimal(r.pas.external.normalize()),
                    Cell::Decimal(r.pas.on_call.normalize()),
                    Cell::Decimal(r.pas.extra.normalize()),
                    Cell::Text(band_label(&r.band).to_string()),
                    Cell::Text(crate::web::components::status_label(r.status).to_string()),
                    r.review_due.map_or(Cell::Empty, Cell::Date),
                    Cell::Pence(r.total_pay_pence),
                ]
            })
            .collect(),
    }
}

fn file_stem(department: &str) -> String {
    let s: String = department
        .chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() {
                c.to_ascii_lowercase()
            } else {
                '-'
            }
        })
        .collect();
    format!("team-{}", s.trim_matches('-'))
}

/// `GET /team.csv`: the rows of the page with the same query.
pub async fn csv(State(state): State<AppState>, u: WebUser, RawQuery(raw): RawQuery) -> PageResult {
    let q = TeamQuery::parse(raw.as_deref())?;
    let team = load(&state, &u, &q).await?;
    let rows = select(&team.rows, &q);
    let t = table(&format!("{} team", team.department), &rows);
    Ok(download(
        "text/csv; charset=utf-8",
        &format!("{}.csv", file_stem(&team.department)),
        export::csv(&t),
    ))
}

/// `GET /team.xlsx`: the rows of the page with the same query, as a workbook.
pub async fn xlsx(
    State(state): State<AppState>,
    u: WebUser,
    RawQuery(raw): RawQuery,
) -> PageResult {
    let q = TeamQuery::parse(raw.as_deref())?;
    let team = load(&state, &u, &q).await?;
    let rows = select(&team.rows, &q);
    let t = table(&format!("{} team", team.department), &rows);
    let bytes = export::xlsx(&t).map_err(|e| WebError::Internal(format!("team workbook: {e}")))?;
    Ok(download(
        XLSX,
        &format!("{}.xlsx", file_stem(&team.department)),
        bytes,
    ))
}
