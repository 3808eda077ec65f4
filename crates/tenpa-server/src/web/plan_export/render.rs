//! The two renderings of a plan to print: the page with signature lines and the PDF document.

use super::model::PrintPlan;
use crate::export::{Cell, PdfDocument, PdfSection, Table};
use crate::web::components::{summary_list, HtmlTable};
use maud::{html, Markup};

/// The signatories of a job plan.
const SIGNATORIES: [&str; 3] = ["Consultant", "Clinical director", "Medical director"];

/// The printed plan as page content.
pub fn print_markup(id: i64, p: &PrintPlan) -> Markup {
    html! {
        span class="nhsuk-caption-l" { (p.department) }
        h1 class="nhsuk-heading-l" { "Job plan: " (p.name) }
        div class="tenpa-no-print" {
            button class="nhsuk-button nhsuk-button--secondary" type="button" data-print { "Print this page" }
            ul class="nhsuk-list" {
                li { a href=(format!("/plans/{id}/job-plan.pdf")) { "Download this job plan as a PDF" } }
                li { a href=(format!("/plans/{id}/timetable.ics")) { "Download the timetable for your calendar (iCalendar)" } }
            }
        }
        (summary_list(&p.facts))
        h2 class="nhsuk-heading-m" { "Agreement and sign-off" }
        @if p.sign_offs.is_empty() {
            p class="nhsuk-body" { "Nobody has agreed or signed off this version yet." }
        } @else {
            (HtmlTable::new("Who agreed and signed off the plan")
                .columns(&["Step", "By", "Date", "Findings acknowledged"])
                .rows(p.sign_offs.iter().map(|row| row.iter().map(|cell| html! { (cell) }).collect())))
        }
        h2 class="nhsuk-heading-m" { "Timetable" }
        @if p.activities.is_empty() {
            p class="nhsuk-body" { "No activities are timetabled." }
        } @else {
            (HtmlTable::new("Timetabled activities")
                .columns(&["Weeks", "Day", "Time", "Category", "Activity", "Location"])
                .rows(p.activities.iter().map(|row| row.iter().map(|cell| html! { (cell) }).collect())))
        }
        h2 class="nhsuk-heading-m" { "On-call" }
        @if p.on_call.is_empty() {
            p class="nhsuk-body" { "Not on an on-call rota." }
        } @else {
            (summary_list(&p.on_call))
        }
        h2 class="nhsuk-heading-m" { "Programmed activities and pay" }
        (HtmlTable::new("Programmed activities a week")
            .row_headers()
            .columns(&["Category"])
            .numeric("PAs")
            .rows(p.pas.iter().map(|(k, v)| vec![
                html! { (k) },
                html! { (v) },
            ])))
        (HtmlTable::new("Pay a year")
            .row_headers()
            .columns(&["Component"])
            .numeric("Amount")
            .rows(p.pay.iter().map(|(k, v)| vec![
                html! { (k) },
                html! { (v) },
            ])))
        h2 class="nhsuk-heading-m" { "Findings" }
        @if p.findings.is_empty() {
            p class="nhsuk-body" { "The plan meets every rule checked." }
        } @else {
            ul class="nhsuk-list nhsuk-list--bullet" {
                @for (rule, severity, message) in &p.findings {
                    li { strong { (rule) } " (" (severity) "): " (message) }
                }
            }
        }
        div class="tenpa-signatures" {
            h2 class="nhsuk-heading-m" { "Signatures" }
            @for who in SIGNATORIES {
                p class="nhsuk-body" { (who) ": signed ______________________________ date ______________" }
            }
        }
    }
}

/// The printed plan as a PDF document.
pub fn print_pdf(p: &PrintPlan) -> PdfDocument {
    let text_table = |title: &str, columns: &[&str], rows: Vec<Vec<String>>| Table {
        title: title.to_string(),
        columns: columns.iter().map(|c| c.to_string()).collect(),
        rows: rows
            .into_iter()
            .map(|r| r.into_iter().map(Cell::Text).collect())
            .collect(),
    };
    let mut sections = vec![
        PdfSection::KeyValues(p.facts.clone()),
        PdfSection::Heading("Agreement and sign-off".into()),
    ];
    if p.sign_offs.is_empty() {
        sections.push(PdfSection::Paragraph(
            "Nobody has agreed or signed off this version yet.".into(),
        ));
    } else {
        sections.push(PdfSection::Table(text_table(
            "Who agreed and signed off the plan",
            &["Step", "By", "Date", "Findings acknowledged"],
            p.sign_offs.iter().map(|r| r.to_vec()).collect(),
        )));
    }
    sections.push(PdfSection::Heading("Timetable".into()));
    sections.push(PdfSection::Table(text_table(
        "Timetabled activities",
        &["Weeks", "Day", "Time", "Category", "Activity", "Location"],
        p.activities.iter().map(|r| r.to_vec()).collect(),
    )));
    sections.push(PdfSection::Heading("On-call".into()));
    if p.on_call.is_empty() {
        sections.push(PdfSection::Paragraph("Not on an on-call rota.".into()));
    } else {
        sections.push(PdfSection::KeyValues(p.on_call.clone()));
    }
    sections.push(PdfSection::Heading("Programmed activities a week".into()));
    sections.push(PdfSection::KeyValues(p.pas.clone()));
    sections.push(PdfSection::Heading("Pay a year".into()));
    sections.push(PdfSection::KeyValues(p.pay.clone()));
    sections.push(PdfSection::Heading("Findings".into()));
    sections.push(PdfSection::Paragraph(if p.findings.is_empty() {
        "The plan meets every rule checked.".into()
    } else {
        p.findings
            .iter()
            .map(|(r, s, m)| format!("{r} ({s}): {m}"))
            .collect::<Vec<_>>()
            .join("\n")
    }));
    sections.push(PdfSection::Heading("Signatures".into()));
    sections.push(PdfSection::Paragraph(
        SIGNATORIES
            .iter()
            .map(|w| format!("{w}: signed ______________________________ date ______________"))
            .collect::<Vec<_>>()
            .join("\n\n"),
    ));
    PdfDocument {
        title: format!("Job plan: {}", p.name),
        subtitle: format!(
            "{} ({}), {}, version {}, {}",
            p.name,
            p.consultant_id,
            p.department,
            p.version,
            crate::web::components::status_label(p.status)
        ),
        sections,
    }
}
