//! The board-level report, as a page and as CSV, XLSX and PDF downloads.

use super::profile::domain_bars;
use super::{findings_list, mean_text, position_label, year_label};
use crate::download::{download, XLSX};
use crate::export::{self, Cell, PdfDocument, PdfSection, Table};
use crate::service::board::{board_report, framework, load_appraisal, BoardReport};
use crate::service::board_consistency::{self, AppraisalConsistency};
use crate::service::consistency::Spread;
use crate::web::chart::{bar_chart, Bar};
use crate::web::components::HtmlTable;
use crate::web::page::{layout_back, sentence, PageResult, WebError, WebUser};
use crate::AppState;
use axum::extract::{Path, Query, State};
use axum::response::Response;
use chrono::Datelike;
use maud::{html, Markup};
use rust_decimal::Decimal;
use serde::Deserialize;
use tenpa_rules::board_competency::Framework;
use tenpa_store::BoardAppraisal;

/// The report's year in the query.
#[derive(Deserialize)]
pub struct YearQuery {
    /// The appraisal year; the latest with appraisals when absent.
    #[serde(default)]
    pub year: Option<String>,
}

async fn report_for(
    state: &AppState,
    u: &WebUser,
    id: i64,
    q: &YearQuery,
) -> PageResult<BoardReport> {
    let year = match q.year.as_deref().map(str::trim).filter(|s| !s.is_empty()) {
        Some(y) => y.parse::<i64>().map_err(|_| {
            WebError::BadRequest(format!("year: found \"{y}\", expected a year such as 2024"))
        })?,
        None => default_year(
            &state.store.board_appraisals(id, None).await?,
            i64::from(crate::uk_time::today().year()),
        ),
    };
    Ok(board_report(state, &u.user, id, year).await?)
}

/// The year a board report opens on: the latest year with a signed self-assessment, else the
/// latest year with an appraisal, else `this_year`.
pub fn default_year(appraisals: &[BoardAppraisal], this_year: i64) -> i64 {
    appraisals
        .iter()
        .filter(|a| a.director_signed_at.is_some())
        .map(|a| a.year)
        .max()
        .or_else(|| appraisals.iter().map(|a| a.year).max())
        .unwrap_or(this_year)
}

fn domain_name(r: &BoardReport, key: &str) -> String {
    r.profile
        .domains
        .iter()
        .find(|d| d.key == key)
        .map_or_else(|| key.to_string(), |d| d.name.clone())
}

/// `GET /board/organisations/{id}/report`.
pub async fn report(
    State(state): State<AppState>,
    u: WebUser,
    Path(id): Path<i64>,
    Query(q): Query<YearQuery>,
) -> PageResult<Markup> {
    let r = report_for(&state, &u, id, &q).await?;
    // The board report checked who may read it and read the directors: the years' figures follow.
    let directors = r.directors.iter().map(|d| (d.id, d.position.clone()));
    let across = board_consistency::of_board(&state.store, id, directors).await?;
    // A director's appraisal is linked only for who may open it (the director, their appraiser,
    // the chair).
    let mut may_open = std::collections::HashSet::new();
    for aid in r.directors.iter().filter_map(|d| d.appraisal_id) {
        if load_appraisal(&state, &u.user, aid).await.is_ok() {
            may_open.insert(aid);
        }
    }
    let fw = framework(&r.profile.version)?;
    let title = format!(
        "Board report {}: {}",
        year_label(r.year),
        r.organisation.name
    );
    let base = format!("/board/organisations/{id}/report");
    Ok(layout_back(
        &u,
        &title,
        ("/board", "Back to board appraisals"),
        html! {
            h1 class="nhsuk-heading-xl" { (title) }
            p class="nhsuk-body" {
                "From the " (r.profile.appraisals) " complete self-assessments of " (year_label(r.year))
                " (framework version " (r.profile.version) ")."
            }
            form method="get" action=(base) class="tenpa-no-print" novalidate {
                div class="tenpa-inline" {
                    div class="nhsuk-form-group" {
                        label class="nhsuk-label" for="year" { "Year the appraisals start" }
                        input class="nhsuk-input nhsuk-input--width-4" id="year" name="year" inputmode="numeric" value=(r.year);
                    }
                }
                button class="nhsuk-button nhsuk-button--secondary" type="submit" { "Show the year" }
            }
            h2 class="nhsuk-heading-l" { "Where the board is weakest" }
            @if r.profile.weakest.is_empty() {
                p class="nhsuk-body" { "No complete self-assessments to compare yet." }
            } @else {
                ul class="nhsuk-list nhsuk-list--bullet" {
                    @for k in &r.profile.weakest { li { (domain_name(&r, k)) } }
                }
            }
            div class="nhsuk-table-container" tabindex="0" role="region" aria-label="Mean score and ratings by domain (scrolls sideways)" {
            (fw.scale.iter().fold(
                HtmlTable::new("Mean score and ratings by domain")
                    .row_headers()
                    .columns(&["Domain"])
                    .numeric("Mean score (of 4)"),
                |t, p| t.numeric(&p.label),
            )
            .rows(r.profile.domains.iter().map(|dp| {
                let mut row = vec![html! { (dp.name) }, html! { (mean_text(dp.mean_hundredths)) }];
                row.extend(dp.distribution.iter().map(|(_, n)| html! { (n) }));
                row
            })))
            }
            div class="tenpa-chart" {
                (bar_chart(
                    "board-profile",
                    &format!("Board mean score by domain, {}", year_label(r.year)),
                    "The board's mean self-assessment score in each domain, out of 4; the table above gives the same figures.",
                    &domain_bars(&r.profile),
                ))
            }
            h2 class="nhsuk-heading-l" { "Statements many could not demonstrate" }
            p class="nhsuk-body" { "Statements marked \"no chance to demonstrate\" in at least " (fw.many_percent) "% of the complete self-assessments." }
            @if r.profile.not_demonstrated.is_empty() {
                p class="nhsuk-body" { "None." }
            } @else {
                (HtmlTable::new(html! { "Statements marked \"no chance to demonstrate\" by many" })
                    .columns(&["Statement"])
                    .numeric("Self-assessments")
                    .rows(r.profile.not_demonstrated.iter().map(|s| vec![
                        html! { (s.id) ": " (s.text) },
                        html! { (s.count) " of " (s.of) },
                    ])))
            }
            h2 class="nhsuk-heading-l" { "Directors" }
            (HtmlTable::new(html! { "Each director's appraisal for " (year_label(r.year)) })
                .columns(&["Director", "Role", "Job description (BC-2)", "Statements rated", "Signed by director", "Signed by appraiser"])
                .rows(r.directors.iter().map(|d| vec![
                    html! {
                        @if let Some(aid) = d.appraisal_id.filter(|a| may_open.contains(a)) {
                            a href=(format!("/board/appraisals/{aid}")) { (d.name) }
                        } @else { (d.name) }
                    },
                    html! { (position_label(&d.position)) },
                    html! { (findings_list(&d.job_description_findings, "Includes all six domains")) },
                    html! { @if d.appraisal_id.is_some() { (d.rated) " of " (fw.statement_ids().count()) } @else { "No appraisal" } },
                    html! { (if d.director_signed { "Yes" } else { "No" }) },
                    html! { (if d.appraiser_signed { "Yes" } else { "No" }) },
                ])))
            (across_years(&across))
            (downloads(id, r.year))
        },
    ))
}

fn days_cells(d: Option<&Spread>) -> [Markup; 3] {
    match d {
        Some(s) => [html! { (s.q1) }, html! { (s.median) }, html! { (s.q3) }],
        None => [html! {}, html! { "Fewer than 5" }, html! {}],
    }
}

/// Completion and time to sign-off across the years and by position.
fn across_years(c: &AppraisalConsistency) -> Markup {
    let bars: Vec<Bar> = c
        .years
        .iter()
        .filter_map(|y| {
            Some(Bar {
                label: year_label(y.year),
                value: y.percent.parse().ok()?,
                shown: format!("{}%", y.percent),
            })
        })
        .collect();
    html! {
        h2 class="nhsuk-heading-l" id="across-years" { "Appraisals across the years" }
        p class="nhsuk-body" { "How many of the board's directors were appraised and signed off by both the director and the appraiser each year, and the days from opening an appraisal to its last signature (the middle half lies between the quartiles). Days are shown for five or more sign-offs, and a position with fewer than five appraisals is not shown, so that no one is identifiable." }
        div class="tenpa-chart" {
            (bar_chart("board-completion", "Appraisals signed off by both, by year", "The share of the board's directors whose appraisal for the year was signed off by the director and the appraiser.", &bars))
        }
        (HtmlTable::new("Appraisals by year")
            .id("board-consistency-years")
            .columns(&["Year"])
            .numeric("Opened")
            .numeric("Signed off by both")
            .numeric("Of the directors")
            .numeric("Days, lower quartile")
            .numeric("Days, median")
            .numeric("Days, upper quartile")
            .rows(c.years.iter().map(|y| {
                let mut row = vec![
                    html! { (year_label(y.year)) },
                    html! { (y.opened) },
                    html! { (y.signed_off) },
                    html! { (y.percent) "%" },
                ];
                row.extend(days_cells(y.days_to_sign_off.as_ref()));
                row
            })))
        (HtmlTable::new("Appraisals by position, all years")
            .id("board-consistency-positions")
            .columns(&["Position"])
            .numeric("Opened")
            .numeric("Signed off by both")
            .numeric("Days, median")
            .rows(c.positions.iter().map(|p| vec![
                html! { (position_label(&p.position)) },
                html! { @if p.suppressed { "Fewer than 5" } @else { (p.opened) } },
                html! { @match (&p.signed_off, &p.percent) { (Some(n), Some(pc)) => { (n) " (" (pc) "%)" }, _ => "Not shown" } },
                html! { @match &p.days_to_sign_off { Some(s) => { (s.median) }, None => "Not shown" } },
            ])))
    }
}

fn downloads(id: i64, year: i64) -> Markup {
    html! {
        h2 class="nhsuk-heading-m" { "Download the report" }
        ul class="nhsuk-list" {
            li { a href=(format!("/board/organisations/{id}/report.csv?year={year}")) download { "Board report as CSV" } }
            li { a href=(format!("/board/organisations/{id}/report.xlsx?year={year}")) download { "Board report as a spreadsheet (XLSX)" } }
            li { a href=(format!("/board/organisations/{id}/report.pdf?year={year}")) download { "Board report as PDF" } }
        }
    }
}

/// The board profile by domain as a table for downloads: each domain's mean score, the count of
/// each point of the scale, and whether it is among the weakest.
pub fn domain_table(r: &BoardReport, fw: &Framework) -> Table {
    let mut columns = vec!["Domain".to_string(), "Mean score (of 4)".to_string()];
    columns.extend(fw.scale.iter().map(|p| p.label.clone()));
    columns.push("Weakest".into());
    let rows = r
        .profile
        .domains
        .iter()
        .map(|d| {
            let mut row = vec![
                Cell::Text(d.name.clone()),
                d.mean_hundredths.map_or(Cell::Empty, |h| {
                    Cell::Decimal(Decimal::new(i64::from(h), 2))
                }),
            ];
            row.extend(
                d.distribution
                    .iter()
                    .map(|(_, n)| Cell::Integer(i64::try_from(*n).unwrap_or(i64::MAX))),
            );
            row.push(Cell::Text(
                if r.profile.weakest.contains(&d.key) {
                    "Yes"
                } else {
                    "No"
                }
                .into(),
            ));
            row
        })
        .collect();
    Table {
        title: format!(
            "Board report {} {}",
            year_label(r.year),
            r.organisation.name
        ),
        columns,
        rows,
    }
}

fn count(n: usize) -> Cell {
    Cell::Integer(i64::try_from(n).unwrap_or(i64::MAX))
}

/// The whole board report as a PDF document.
pub fn report_pdf_document(r: &BoardReport, fw: &Framework) -> PdfDocument {
    let weakest: Vec<String> = r
        .profile
        .weakest
        .iter()
        .map(|k| domain_name(r, k))
        .collect();
    let not_demonstrated = Table {
        title: "Statements marked \"no chance to demonstrate\" by many".into(),
        columns: vec!["Statement".into(), "Self-assessments".into(), "Of".into()],
        rows: r
            .profile
            .not_demonstrated
            .iter()
            .map(|s| {
                vec![
                    Cell::Text(format!("{}: {}", s.id, s.text)),
                    count(s.count),
                    count(s.of),
                ]
            })
            .collect(),
    };
    let total = fw.statement_ids().count();
    let directors = Table {
        title: format!("Each director's appraisal for {}", year_label(r.year)),
        columns: vec![
            "Director".into(),
            "Role".into(),
            "Job description (BC-2)".into(),
            "Statements rated".into(),
            "Signed by director".into(),
            "Signed by appraiser".into(),
        ],
        rows: r
            .directors
            .iter()
            .map(|d| {
                let jd = if d.job_description_findings.is_empty() {
                    "Includes all six domains".to_string()
                } else {
                    d.job_description_findings
                        .iter()
                        .map(|f| format!("{}: {}", f.rule, sentence(&f.message)))
                        .collect::<Vec<_>>()
                        .join(" ")
                };
                let yes = |b: bool| Cell::Text(if b { "Yes" } else { "No" }.into());
                vec![
                    Cell::Text(d.name.clone()),
                    Cell::Text(position_label(&d.position).into()),
                    Cell::Text(jd),
                    if d.appraisal_id.is_some() {
                        Cell::Text(format!("{} of {total}", d.rated))
                    } else {
                        Cell::Text("No appraisal".into())
                    },
                    yes(d.director_signed),
                    yes(d.appraiser_signed),
                ]
            })
            .collect(),
    };
    PdfDocument {
        title: format!("Board report {}", year_label(r.year)),
        subtitle: r.organisation.name.clone(),
        sections: vec![
            PdfSection::KeyValues(vec![
                ("Organisation".into(), r.organisation.name.clone()),
                ("Year".into(), year_label(r.year)),
                (
                    "Complete self-assessments".into(),
                    r.profile.appraisals.to_string(),
                ),
                ("Framework version".into(), r.profile.version.clone()),
                (
                    "Weakest domains".into(),
                    if weakest.is_empty() {
                        "None yet".into()
                    } else {
                        weakest.join("; ")
                    },
                ),
            ]),
            PdfSection::Heading("Mean score and ratings by domain".into()),
            PdfSection::Table(domain_table(r, fw)),
            PdfSection::Heading("Statements many could not demonstrate".into()),
            if not_demonstrated.rows.is_empty() {
                PdfSection::Paragraph("None.".into())
            } else {
                PdfSection::Table(not_demonstrated)
            },
            PdfSection::Heading("Directors".into()),
            PdfSection::Table(directors),
        ],
    }
}

fn file_stem(r: &BoardReport) -> String {
    format!("board-report-{}-{}", r.organisation.id, r.year)
}

/// `GET /board/organisations/{id}/report.csv`.
pub async fn report_csv(
    State(state): State<AppState>,
    u: WebUser,
    Path(id): Path<i64>,
    Query(q): Query<YearQuery>,
) -> PageResult<Response> {
    let r = report_for(&state, &u, id, &q).await?;
    let fw = framework(&r.profile.version)?;
    Ok(download(
        "text/csv; charset=utf-8",
        &format!("{}.csv", file_stem(&r)),
        export::csv(&domain_table(&r, &fw)).into_bytes(),
    ))
}

/// `GET /board/organisations/{id}/report.xlsx`.
pub async fn report_xlsx(
    State(state): State<AppState>,
    u: WebUser,
    Path(id): Path<i64>,
    Query(q): Query<YearQuery>,
) -> PageResult<Response> {
    let r = report_for(&state, &u, id, &q).await?;
    let fw = framework(&r.profile.version)?;
    let bytes = export::xlsx(&domain_table(&r, &fw))
        .map_err(|e| WebError::Internal(format!("board report spreadsheet: {e}")))?;
    Ok(download(XLSX, &format!("{}.xlsx", file_stem(&r)), bytes))
}

/// `GET /board/organisations/{id}/report.pdf`.
pub async fn report_pdf(
    State(state): State<AppState>,
    u: WebUser,
    Path(id): Path<i64>,
    Query(q): Query<YearQuery>,
) -> PageResult<Response> {
    let r = report_for(&state, &u, id, &q).await?;
    let fw = framework(&r.profile.version)?;
    Ok(download(
        "application/pdf",
        &format!("{}.pdf", file_stem(&r)),
        export::pdf(&report_pdf_document(&r, &fw)),
    ))
}

#[cfg(test)]
mod tests {
    use super::*;
    use tenpa_rules::board_competency::check_job_description;
    use tenpa_rules::board_competency::{Rating, Ratings};
    /// Source: BC-2, the board-level view as downloads.
    #[test]
    fn the_report_becomes_a_table_and_a_pdf() {
        let fw = Framework::latest();
        let mut r: Ratings = fw
            .statement_ids()
            .map(|id| {
                (
                    id.to_string(),
                    Rating {
                        rating: "almost_always".into(),
                        evidence: String::new(),
                    },
                )
            })
            .collect();
        r.get_mut("equality.3").unwrap().rating = "no_chance".into();
        r.get_mut("equality.1").unwrap().rating = "rarely".into();
        let report = BoardReport {
            organisation: tenpa_store::Organisation {
                id: 3,
                name: "A Trust".into(),
                kind: "trust".into(),
            },
            year: 2024,
            directors: vec![crate::service::board::ReportDirector {
                id: 1,
                name: "Dr A".into(),
                position: "executive".into(),
                job_description_findings: check_job_description(&fw, &[]),
                appraisal_id: Some(9),
                rated: 24,
                director_signed: true,
                appraiser_signed: false,
            }],
            profile: tenpa_rules::board_competency::profile(&fw, &[&r]),
        };
        let t = domain_table(&report, &fw);
        assert_eq!(t.columns.len(), 2 + fw.scale.len() + 1);
        assert_eq!(t.rows.len(), 6);
        let equality = &t.rows[2];
        assert_eq!(equality[1], Cell::Decimal(Decimal::new(300, 2)));
        assert_eq!(equality.last(), Some(&Cell::Text("Yes".into())));
        let csv = export::csv(&t);
        assert!(csv.starts_with("Domain,Mean score (of 4),Almost always"));
        let pdf = export::pdf(&report_pdf_document(&report, &fw));
        assert!(pdf.starts_with(b"%PDF-"));
        assert_eq!(file_stem(&report), "board-report-3-2024");
    }
}
