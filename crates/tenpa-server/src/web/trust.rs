//! The trust dashboard (`/trust`): completion of job planning by department, overdue reviews,
//! high-frequency rotas with their reasons and action plans (OC-10), availability-supplement
//! spend against the funding target, and the pay bill by component; with CSV/XLSX downloads of
//! the pay bill by consultant.

use crate::export::{self, Cell, Table};
use crate::service::compliance;
use crate::service::rotas::{on_call_report, OnCallReport};
use crate::web::chart::{bar_chart, stacked_bar_chart, target_gauge, Bar, Stack};
use crate::web::components::HtmlTable;
use crate::web::labels::department_name;
use crate::web::page::{layout, pounds, PageResult, WebError, WebUser};
use crate::web::team::{self, download, latest_per_consultant, pas_text, Pas, XLSX};
use crate::AppState;
use axum::extract::State;
use chrono::NaiveDate;
use maud::{html, Markup};
use rust_decimal::Decimal;
use std::collections::HashMap;
use std::str::FromStr;
use tenpa_rules::job_planning::review::SignOff;
use tenpa_rules::job_planning::Status;
use tenpa_rules::Assessment;
use tenpa_store::{Department, JobPlanRecord, Scope};

/// The pay components of an assessment, in whole pence.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct PayComponents {
    /// Basic salary.
    pub basic_salary: i64,
    /// Extra PAs.
    pub extra_pas: i64,
    /// Availability supplement.
    pub availability_supplement: i64,
    /// Out-of-hours premium.
    pub out_of_hours_premium: i64,
    /// Clinical excellence award.
    pub clinical_excellence_award: i64,
    /// Existing discretionary points or distinction awards (E 4.4).
    pub existing_award: i64,
    /// Recruitment and retention premium.
    pub recruitment_retention_premium: i64,
}

/// The labels of [`PayComponents`], in the order of [`PayComponents::values`].
pub const COMPONENTS: [&str; 7] = [
    "Basic salary",
    "Pay for extra PAs",
    "Availability supplement",
    "Out-of-hours premium",
    "Clinical excellence awards",
    "Existing discretionary points and distinction awards",
    "Recruitment and retention premium",
];

impl PayComponents {
    /// The components of an assessment's pay, in pence.
    pub fn of(assessment: &Assessment) -> PayComponents {
        let p = &assessment.pay;
        PayComponents {
            basic_salary: p.basic_salary.pence(),
            extra_pas: p.extra_pas.pence(),
            availability_supplement: p.availability_supplement.pence(),
            out_of_hours_premium: p.out_of_hours_premium.pence(),
            clinical_excellence_award: p.clinical_excellence_award.pence(),
            existing_award: p.existing_award.pence(),
            recruitment_retention_premium: p.recruitment_retention_premium.pence(),
        }
    }

    /// The components in the order of [`COMPONENTS`].
    pub fn values(&self) -> [i64; 7] {
        [
            self.basic_salary,
            self.extra_pas,
            self.availability_supplement,
            self.out_of_hours_premium,
            self.clinical_excellence_award,
            self.existing_award,
            self.recruitment_retention_premium,
        ]
    }

    /// Their sum.
    pub fn total(&self) -> i64 {
        self.values().iter().sum()
    }

    fn add(&mut self, o: &PayComponents) {
        self.basic_salary += o.basic_salary;
        self.extra_pas += o.extra_pas;
        self.availability_supplement += o.availability_supplement;
        self.out_of_hours_premium += o.out_of_hours_premium;
        self.clinical_excellence_award += o.clinical_excellence_award;
        self.existing_award += o.existing_award;
        self.recruitment_retention_premium += o.recruitment_retention_premium;
    }
}

/// The summed components of many assessments.
pub fn pay_bill(parts: &[PayComponents]) -> PayComponents {
    let mut t = PayComponents::default();
    for p in parts {
        t.add(p);
    }
    t
}

/// One consultant on the dashboard.
#[derive(Debug, Clone, PartialEq)]
pub struct TrustRow {
    /// The team view's row.
    pub row: team::TeamRow,
    /// Department id.
    pub department_id: i64,
    /// Pay by component.
    pub pay: PayComponents,
}

/// Plans counted by state for each department: (department, counts in [`Status::ALL`] order, the
/// workflow's).
pub fn completion(departments: &[Department], rows: &[TrustRow]) -> Vec<(String, [i64; 8])> {
    departments
        .iter()
        .map(|Department { id, name, .. }| {
            let mut counts = [0i64; 8];
            for r in rows.iter().filter(|r| r.department_id == *id) {
                if let Some(i) = Status::ALL.iter().position(|s| *s == r.row.status) {
                    counts[i] += 1;
                }
            }
            (name.clone(), counts)
        })
        .collect()
}

/// Rows whose next review is before `today`, earliest first.
pub fn overdue(rows: &[TrustRow], today: NaiveDate) -> Vec<&TrustRow> {
    let mut out: Vec<&TrustRow> = rows
        .iter()
        .filter(|r| r.row.review_due.is_some_and(|d| d < today))
        .collect();
    out.sort_by(|a, b| {
        a.row
            .review_due
            .cmp(&b.row.review_due)
            .then_with(|| a.row.name.cmp(&b.row.name))
    });
    out
}

fn trust_rows(
    plans: &[JobPlanRecord],
    reviews: &[tenpa_store::Review],
    sign_offs: &HashMap<String, Vec<SignOff>>,
    interval_months: u32,
) -> PageResult<Vec<TrustRow>> {
    let latest: Vec<JobPlanRecord> = latest_per_consultant(plans).into_iter().cloned().collect();
    let rows = team::rows(&latest, reviews, sign_offs, interval_months);
    latest
        .iter()
        .zip(rows)
        .map(|(p, row)| {
            Ok(TrustRow {
                row,
                department_id: p.summary.department_id,
                pay: PayComponents::of(&p.assessment),
            })
        })
        .collect()
}

fn check(u: &WebUser) -> Result<(), WebError> {
    if crate::policy::may_read_trust_reports(&u.user) {
        Ok(())
    } else {
        Err(WebError::Forbidden(
            "the trust dashboard is for the medical director, medical staffing and the chief executive".into(),
        ))
    }
}

async fn load_rows(state: &AppState) -> PageResult<Vec<TrustRow>> {
    let plans = state.store.job_plans_with_assessments(&Scope::All).await?;
    let reviews = state.store.reviews(&Scope::All).await?;
    trust_rows(
        &plans,
        &reviews,
        &compliance::sign_offs_by_consultant(&state.store).await?,
        compliance::review_interval(&state.params, crate::uk_time::today())?,
    )
}

/// The export table: one row per consultant, by department then name.
pub fn table(rows: &[TrustRow]) -> Table {
    let mut sorted: Vec<&TrustRow> = rows.iter().collect();
    sorted.sort_by(|a, b| {
        a.row
            .department
            .cmp(&b.row.department)
            .then_with(|| a.row.name.cmp(&b.row.name))
    });
    let mut columns: Vec<String> = [
        "Department",
        "Consultant",
        "Consultant id",
        "Status",
        "Total PAs",
        "DCC PAs",
        "SPA PAs",
        "Additional responsibility PAs",
        "External duty PAs",
        "On-call PAs",
        "Extra PAs",
    ]
    .iter()
    .map(|c| c.to_string())
    .collect();
    columns.extend(COMPONENTS.iter().map(|l| l.to_string()));
    columns.push("Total pay".into());
    Table {
        title: "Pay bill by consultant".into(),
        columns,
        rows: sorted
            .into_iter()
            .map(|r| {
                let p: &Pas = &r.row.pas;
                let mut cells = vec![
                    Cell::Text(r.row.department.clone()),
                    Cell::Text(r.row.name.clone()),
                    Cell::Text(r.row.consultant_id.clone()),
                    Cell::Text(crate::web::components::status_label(r.row.status).to_string()),
                ];
                cells.extend(
                    [
                        p.total,
                        p.dcc,
                        p.spa,
                        p.additional,
                        p.external,
                        p.on_call,
                        p.extra,
                    ]
                    .iter()
                    .map(|d| Cell::Decimal(d.normalize())),
                );
                cells.extend(r.pay.values().iter().map(|v| Cell::Pence(*v)));
                cells.push(Cell::Pence(r.pay.total()));
                cells
            })
            .collect(),
    }
}

/// `GET /trust.csv`: the pay bill by consultant.
pub async fn csv(State(state): State<AppState>, u: WebUser) -> PageResult {
    check(&u)?;
    let rows = load_rows(&state).await?;
    Ok(download(
        "text/csv; charset=utf-8",
        "trust-pay-bill-by-consultant.csv",
        export::csv(&table(&rows)),
    ))
}

/// `GET /trust.xlsx`: the pay bill by consultant, as a workbook.
pub async fn xlsx(State(state): State<AppState>, u: WebUser) -> PageResult {
    check(&u)?;
    let rows = load_rows(&state).await?;
    let bytes = export::xlsx(&table(&rows))
        .map_err(|e| WebError::Internal(format!("trust workbook: {e}")))?;
    Ok(download(XLSX, "trust-pay-bill-by-consultant.xlsx", bytes))
}

/// A workflow state in a word or two, for the chart's legend.
fn short_label(status: Status) -> &'static str {
    match status {
        Status::Agreed => "Agreed",
        Status::CdSignedOff => "CD signed off",
        Status::Referred => "Referred",
        Status::Appeal => "Appeal",
        other => crate::web::components::status_label(other),
    }
}

fn completion_section(departments: &[Department], rows: &[TrustRow]) -> Markup {
    let by_dept = completion(departments, rows);
    let mut trust = [0i64; 8];
    for (_, c) in &by_dept {
        for (t, n) in trust.iter_mut().zip(c) {
            *t += n;
        }
    }
    // Only the states some plan is in.
    let used: Vec<usize> = (0..Status::ALL.len()).filter(|i| trust[*i] > 0).collect();
    let stacks: Vec<Stack> = by_dept
        .iter()
        .map(|(name, c)| Stack {
            label: name.clone(),
            segments: used
                .iter()
                .filter(|i| c[**i] > 0)
                .map(|i| (short_label(Status::ALL[*i]).to_string(), c[*i]))
                .collect(),
        })
        .collect();
    let signed: i64 = trust[4];
    let all: i64 = trust.iter().sum();
    html! {
        h2 class="nhsuk-heading-m" id="completion" { "Completion of job planning by department" }
        p class="nhsuk-body" { (signed) " of " (all) " current job plans are signed off." }
        div class="tenpa-chart" {
            (stacked_bar_chart("trust-completion", "Job plans by status in each department",
                "Each department's current job plans by workflow status; the table below gives the same counts.", &stacks))
        }
        (by_dept.iter().fold(
            HtmlTable::new("Current job plans by status and department")
                .id("completion-table")
                .row_headers()
                .columns(&["Status"]),
            |t, (name, _)| t.numeric(name),
        )
        .numeric("Trust")
        .rows((0..Status::ALL.len()).map(|i| {
            let mut row = vec![html! { (crate::web::components::status_label(Status::ALL[i])) }];
            row.extend(by_dept.iter().map(|(_, c)| html! { (c[i]) }));
            row.push(html! { (trust[i]) });
            row
        }))
        .rows([{
            let mut row = vec![html! { "All" }];
            row.extend(by_dept.iter().map(|(_, c)| html! { strong { (c.iter().sum::<i64>()) } }));
            row.push(html! { strong { (all) } });
            row
        }]))
    }
}

fn overdue_section(rows: &[TrustRow], today: NaiveDate) -> Markup {
    let late = overdue(rows, today);
    html! {
        h2 class="nhsuk-heading-m" id="overdue" { "Overdue reviews" }
        p class="nhsuk-body" {
            (late.len()) " consultant" @if late.len() != 1 { "s" } " had a job plan review due before today, "
            (today.format("%-d %B %Y")) ". A review is due a year after the last annual review, or a year after the plan took effect."
        }
        @if !late.is_empty() {
            (HtmlTable::new(html! { "Consultants with an overdue review (" (late.len()) ")" })
                .id("overdue-table")
                .row_headers()
                .columns(&["Consultant", "Department"])
                .numeric("Review due")
                .rows(late.iter().map(|r| vec![
                    html! { a href=(format!("/plans/{}", r.row.plan_id)) { (r.row.name) } },
                    html! { (r.row.department) },
                    html! { @if let Some(d) = r.row.review_due { (d.format("%-d %B %Y")) } },
                ])))
        }
    }
}

fn rota_section(report: &OnCallReport, departments: &[Department]) -> Markup {
    let dept = |id: i64| department_name(departments, id);
    html! {
        h2 class="nhsuk-heading-m" id="rotas" { "High-frequency rotas" }
        p class="nhsuk-body" {
            "Rotas of 1 in 1 to 1 in 4 are reported with why they are needed and the plan to reduce their frequency ("
            (report.rule) ", " (report.citation) "). "
            (report.high_frequency_rotas.len()) " rota" @if report.high_frequency_rotas.len() != 1 { "s are" } @else { " is" } " high-frequency."
        }
        @if !report.high_frequency_rotas.is_empty() {
            (HtmlTable::new("High-frequency rotas with their reasons and action plans")
                .id("rotas-table")
                .row_headers()
                .columns(&["Rota", "Department", "Frequency", "Category", "Reason", "Action plan"])
                .rows(report.high_frequency_rotas.iter().map(|r| vec![
                    html! { (r.name) },
                    html! { (dept(r.department_id)) },
                    html! { (r.frequency) },
                    html! { (r.category.as_deref().map(str::to_uppercase).unwrap_or_else(|| "Not decided".into())) },
                    html! { @if r.reason.is_empty() { "Not recorded" } @else { (r.reason) } },
                    html! { @if r.action_plan.is_empty() { "Not recorded" } @else { (r.action_plan) } },
                ])))
        }
    }
}

fn supplement_section(report: &OnCallReport) -> Markup {
    let target = Decimal::from_str(&report.target_percent).unwrap_or_default();
    let share = report
        .share_percent
        .as_deref()
        .and_then(|s| Decimal::from_str(s).ok());
    html! {
        h2 class="nhsuk-heading-m" id="supplements" { "Availability supplements against the funding target" }
        @match share {
            None => p class="nhsuk-body" { "There is no pay bill yet: no current job plan is costed." },
            Some(share) => {
                p class="nhsuk-body" {
                    "Availability supplements come to " (pounds(report.availability_supplements_pence))
                    " of a consolidated pay bill of " (pounds(report.pay_bill_pence)) " for "
                    (report.plans) " current job plans: " strong { (report.share_percent.as_deref().unwrap_or("")) "%" }
                    ". The initial funding target is " (report.target_percent) "% of the pay bill ("
                    (report.target_citation) ")."
                }
                div class="tenpa-chart" {
                    (target_gauge("trust-supplements", "Availability supplements as a share of the pay bill", share, target))
                }
            }
        }
    }
}

fn pay_section(rows: &[TrustRow]) -> Markup {
    let parts: Vec<PayComponents> = rows.iter().map(|r| r.pay).collect();
    let bill = pay_bill(&parts);
    let bars: Vec<Bar> = COMPONENTS
        .iter()
        .zip(bill.values())
        .map(|(label, p)| Bar {
            label: label.to_string(),
            value: Decimal::new(p, 2),
            shown: pounds(p),
        })
        .collect();
    html! {
        h2 class="nhsuk-heading-m" id="pay-bill" { "Pay bill by component" }
        p class="nhsuk-body" { "The yearly pay of " (rows.len()) " current job plans, summed to the penny from each plan's assessment: " (pounds(bill.total())) "." }
        div class="tenpa-chart" {
            (bar_chart("trust-pay-bill", "Pay bill by component", "The trust's yearly consultant pay bill by pay component; the table below gives the same figures.", &bars))
        }
        (HtmlTable::new("Yearly pay bill by component")
            .id("pay-table")
            .row_headers()
            .columns(&["Component"])
            .numeric("Amount")
            .rows(COMPONENTS.iter().zip(bill.values()).map(|(label, p)| vec![html! { (label) }, html! { (pounds(p)) }]))
            .rows([vec![html! { "Total" }, html! { strong { (pounds(bill.total())) } }]]))
    }
}

/// `GET /trust`.
pub async fn show(State(state): State<AppState>, u: WebUser) -> PageResult<Markup> {
    check(&u)?;
    let departments = state.store.departments().await?;
    let rows = load_rows(&state).await?;
    let report = on_call_report(&state).await?;
    let today = crate::uk_time::today();
    let pas: Decimal = rows.iter().map(|r| r.row.pas.total).sum();
    Ok(layout(
        &u,
        "Trust dashboard",
        html! {
            h1 class="nhsuk-heading-l" { "Trust dashboard" }
            p class="nhsuk-body-l" {
                (rows.len()) " consultants' current job plans in " (departments.len()) " departments: "
                (pas_text(pas)) " programmed activities a week."
            }
            ul class="nhsuk-list" {
                li { a href="#completion" { "Completion of job planning" } }
                li { a href="#overdue" { "Overdue reviews" } }
                li { a href="#rotas" { "High-frequency rotas" } }
                li { a href="#supplements" { "Availability supplements" } }
                li { a href="#pay-bill" { "Pay bill by component" } }
                li { a href="/compliance" { "Job plans signed off within 12 months, with monthly snapshots" } }
                li { a href="/rounds" { "Job-planning rounds" } }
                li { a href="/consistency" { "Consistency across departments and specialties" } }
            }
            (completion_section(&departments, &rows))
            (overdue_section(&rows, today))
            (rota_section(&report, &departments))
            (supplement_section(&report))
            (pay_section(&rows))
            h2 class="nhsuk-heading-m" id="downloads" { "Downloads" }
            ul class="nhsuk-list" {
                li { a href="/trust.csv" download { "Download the pay bill by consultant (department, status, PAs and pay components) as a CSV file" } }
                li { a href="/trust.xlsx" download { "Download the pay bill by consultant (department, status, PAs and pay components) as an Excel spreadsheet (XLSX)" } }
            }
        },
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pay_components_are_summed_in_pence() {
        let p = PayComponents {
            basic_salary: 7_589_300,
            extra_pas: 758_930,
            availability_supplement: 379_465,
            ..PayComponents::default()
        };
        assert_eq!(p.total(), 8_727_695);
        let q = PayComponents {
            basic_salary: 10,
            extra_pas: 20,
            ..PayComponents::default()
        };
        assert_eq!(q.total(), 30);
        let bill = pay_bill(&[p, q]);
        assert_eq!(bill.total(), 8_727_725);
        assert_eq!(bill.basic_salary, 7_589_310);
        assert_eq!(bill.values()[1], 758_950);
    }

    fn row(name: &str, dept: i64, status: &str, due: Option<&str>) -> TrustRow {
        TrustRow {
            row: team::TeamRow {
                plan_id: 1,
                consultant_id: name.into(),
                name: name.into(),
                department: format!("D{dept}"),
                pas: Pas::default(),
                band: "none".into(),
                status: Status::parse(status).expect("a workflow state"),
                review_due: due.map(|d| NaiveDate::parse_from_str(d, "%Y-%m-%d").unwrap()),
                total_pay_pence: 0,
            },
            department_id: dept,
            pay: PayComponents::default(),
        }
    }

    #[test]
    fn completion_counts_by_department_and_overdue_is_before_today() {
        let dept = |id: i64, name: &str| Department {
            id,
            employer_id: 1,
            name: name.into(),
            specialty: String::new(),
            version: 1,
        };
        let depts = vec![dept(1, "D1"), dept(2, "D2")];
        let rows = vec![
            row("a", 1, "signed_off", Some("2006-01-01")),
            row("b", 1, "draft", Some("2007-01-01")),
            row("c", 2, "signed_off", None),
            row("d", 2, "signed_off", Some("2005-06-01")),
        ];
        let c = completion(&depts, &rows);
        assert_eq!(c[0].1[0], 1);
        assert_eq!(c[0].1[4], 1);
        assert_eq!(c[1].1[4], 2);
        let today = NaiveDate::from_ymd_opt(2007, 1, 1).unwrap();
        let late: Vec<&str> = overdue(&rows, today)
            .iter()
            .map(|r| r.row.name.as_str())
            .collect();
        assert_eq!(late, ["d", "a"]);
    }
}
