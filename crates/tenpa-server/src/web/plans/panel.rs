//! The assessment panel: PAs, hours, pay and the findings with their rules.

use crate::web::components::{
    pa_figures, pay_components, severity_tag, summary_row, summary_rows, weekday_date, HtmlTable,
};
use crate::web::page::pounds;
use maud::{html, Markup};
use rust_decimal::Decimal;
use tenpa_rules::assessment::PayBreakdown;
use tenpa_rules::money::number_text;
use tenpa_rules::{Assessment, Money, Severity};

/// A PA or hour figure as the assessment writes it ("10.0", "9.5").
fn num(d: Decimal) -> String {
    number_text(d)
}

fn money(m: Money) -> Markup {
    html! { (pounds(m.pence())) }
}

/// The pay table's rows: each component a year, the supplement and premium with their
/// percentages, then the total and the superannuable pay.
fn pay_rows(p: &PayBreakdown) -> Vec<Vec<Markup>> {
    let mut rows = vec![vec![
        html! { "Full-time salary" },
        money(p.full_time_salary),
    ]];
    for (label, amount) in pay_components(p) {
        let label = match label {
            "Availability supplement" => {
                html! { (label) " (" (num(p.availability_supplement_percent)) "%)" }
            }
            "Out-of-hours premium" => {
                html! { (label) " (" (num(p.out_of_hours_premium_percent)) "%)" }
            }
            _ => html! { (label) },
        };
        rows.push(vec![label, money(amount)]);
    }
    rows.push(vec![html! { "Total" }, money(p.total)]);
    rows.push(vec![html! { "Superannuable" }, money(p.superannuable)]);
    rows
}

/// The assessment of a job plan: PAs by category, hours, on-call, the pay breakdown and the
/// findings, each linking to its rule.
pub fn assessment_panel(a: &Assessment) -> Markup {
    let count = |s: Severity| a.findings.iter().filter(|f| f.severity == s).count();
    html! {
        div class="tenpa-assessment" {
            h2 class="nhsuk-heading-m" { "Assessment" }
            p class="nhsuk-body-s" {
                "Rules applied on " (a.applied_on.format("%Y-%m-%d")) ", pay year " (a.pay_year) "."
            }
            p class="nhsuk-body" id="pa-total" {
                strong { (num(a.pas.total)) " PAs a week" } " in total: "
                (num(a.pas.core_total)) " core and " (num(a.pas.extra)) " extra. "
                (count(Severity::Error)) " errors, " (count(Severity::Warning)) " warnings."
            }
            (HtmlTable::new("Programmed activities (PAs) a week")
                .small_caption()
                .row_headers()
                .columns(&["Category"])
                .numeric("PAs")
                .rows(pa_figures(&a.pas).iter().map(|f| vec![html! { (f.label) }, html! { (num(f.value)) }])))
            @if !a.employers.is_empty() {
                (HtmlTable::new("PAs and hours a week by employer")
                    .small_caption()
                    .id("employer-totals")
                    .row_headers()
                    .columns(&["Employer"])
                    .numeric("PAs")
                    .numeric("Hours")
                    .rows(a.employers.iter().map(|e| vec![
                        html! {
                            (e.name)
                            @if e.lead { " (lead)" }
                            @if e.kind == tenpa_rules::plan::EmployerKind::University { " (university)" }
                        },
                        html! { (num(e.pas)) },
                        html! { (num(e.hours)) },
                    ])))
            }
            @if !a.public_holidays.worked.is_empty() {
                (HtmlTable::new(html! { "Public holidays worked: " (num(a.public_holidays.time_off_hours)) " hours of time off due" })
                    .small_caption()
                    .id("public-holidays")
                    .columns(&["Day", "Holiday"])
                    .numeric("Hours")
                    .rows(a.public_holidays.worked.iter().map(|d| vec![
                        html! { (weekday_date(&d.date.to_string())) },
                        html! { (d.name) },
                        html! { (num(d.hours)) },
                    ])))
            }
            h3 class="nhsuk-heading-s" { "Hours and on-call" }
            (summary_rows(html! {
                (summary_row("Timetabled hours a week", html! { (num(a.hours.timetabled_weekly)) }))
                (summary_row("Out-of-hours reduction", html! { (num(a.hours.out_of_hours_reduction)) " hours" }))
                (summary_row("Average weekly hours (Working Time Regulations)", html! { (num(a.hours.average_weekly_for_wtr)) }))
                @match a.on_call.category {
                    Some(category) => {
                        (summary_row("On-call band", html! { (a.on_call.band) }))
                        (summary_row("On-call category", html! { (category.as_str().to_uppercase()) }))
                        (summary_row("Allocation pattern", html! { (a.on_call.allocation_pattern) }))
                    },
                    None => (summary_row("On-call", html! { "Not on a rota" })),
                }
            }))
            (HtmlTable::new("Pay a year")
                .small_caption()
                .row_headers()
                .columns(&["Component"])
                .numeric("Amount")
                .rows(pay_rows(&a.pay)))
            h3 class="nhsuk-heading-s" { "Findings" }
            @if a.findings.is_empty() {
                p class="nhsuk-body" { "No findings: the plan meets every rule checked." }
            } @else {
                ul class="nhsuk-list tenpa-findings" {
                    @for f in &a.findings {
                        li {
                            (severity_tag(f.severity)) " "
                            a href=(format!("/rules/{}", crate::web::page::urlencode(f.rule))) { "Rule " (f.rule) " (" (f.citation) ")" }
                            ": " (f.message)
                        }
                    }
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use tenpa_rules::assessment::{HolidayWorked, PublicHolidayWork};
    use tenpa_rules::{evaluate, parse_document, Format, Parameters};

    fn assessed(example: &str) -> Assessment {
        let params = Parameters::embedded();
        let path = format!("{}/../../examples/{example}", env!("CARGO_MANIFEST_DIR"));
        let text = std::fs::read(&path).expect("the example");
        let doc = parse_document(&path, &text, Format::Toml, params).expect("a job plan");
        evaluate(&doc, params, None).expect("an assessment")
    }

    /// Source: WW-3 (F 5(a), B 8.1): the days behind the time off are shown with their hours.
    #[test]
    fn the_panel_lists_the_public_holidays_worked() {
        let mut a = assessed("surgeon-1-in-4.toml");
        a.public_holidays = PublicHolidayWork {
            holidays: 8,
            time_off_hours: Decimal::from(16),
            worked: vec![
                HolidayWorked {
                    date: chrono::NaiveDate::from_ymd_opt(2005, 12, 26).unwrap(),
                    name: "Boxing Day".into(),
                    hours: Decimal::from(8),
                },
                HolidayWorked {
                    date: chrono::NaiveDate::from_ymd_opt(2005, 12, 27).unwrap(),
                    name: "Christmas Day (substitute day)".into(),
                    hours: Decimal::from(8),
                },
            ],
            ..PublicHolidayWork::default()
        };
        let html = assessment_panel(&a).into_string();
        assert!(html.contains("16.0 hours of time off due"), "{html}");
        assert!(html.contains("Monday 26 December 2005"));
        assert!(html.contains("Christmas Day (substitute day)"));
        a.public_holidays.worked.clear();
        assert!(!assessment_panel(&a)
            .into_string()
            .contains("public-holidays"));
    }

    #[test]
    fn the_panel_links_findings_to_their_rules_and_shows_money() {
        let a = assessed("surgeon-1-in-4.toml");
        let html = assessment_panel(&a).into_string();
        assert!(!a.findings.is_empty());
        for f in &a.findings {
            assert!(
                html.contains(&format!("href=\"/rules/{}\"", f.rule)),
                "{}",
                f.rule
            );
        }
        assert!(html.contains(&pounds(a.pay.total.pence())));
        assert!(html.contains(&format!("{} PAs a week", number_text(a.pas.total))));
        assert!(html.contains("On-call band</dt>"), "{html}");
    }

    /// Source: JP-5: the assessment's per-employer totals appear in the panel.
    #[test]
    fn the_panel_shows_pas_and_hours_by_employer() {
        let a = assessed("clinical-academic-two-employers.toml");
        let html = assessment_panel(&a).into_string();
        assert!(html.contains("PAs and hours a week by employer"), "{html}");
        assert!(
            html.contains("City Teaching Hospitals NHS Trust (lead)"),
            "{html}"
        );
        assert!(
            html.contains("University of the City, School of Medicine (university)"),
            "{html}"
        );
        assert!(!assessment_panel(&assessed("surgeon-1-in-4.toml"))
            .into_string()
            .contains("by employer"));
    }
}
