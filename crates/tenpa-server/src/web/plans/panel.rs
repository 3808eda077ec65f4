//! The assessment panel: PAs, hours, pay and the findings with their rules.

use super::value_text;
use crate::web::components::{severity_text_tag, summary_row, weekday_date, HtmlTable};
use crate::web::page::pounds_str;
use maud::{html, Markup};
use serde_json::Value;

pub(super) fn num(v: Option<&Value>) -> String {
    let t = value_text(v);
    if t.is_empty() {
        "0".into()
    } else {
        t
    }
}

fn money(v: Option<&Value>) -> String {
    let t = value_text(v);
    if t.is_empty() {
        "£0.00".into()
    } else {
        pounds_str(&t)
    }
}

/// The PA categories the panel lists, by the assessment's key.
const PA_ROWS: [(&str, &str); 9] = [
    ("dcc", "Direct clinical care"),
    ("spa", "Supporting professional activities"),
    (
        "additional_responsibility",
        "Additional NHS responsibilities",
    ),
    ("external_duty", "External duties"),
    ("on_call", "On-call emergency work"),
    ("core_total", "Core total"),
    ("extra", "Additional (extra) PAs"),
    ("total", "Total"),
    ("premium_time", "Of which in premium time"),
];

/// The pay table's rows: each component a year, the supplement and premium with their
/// percentages, an existing award only when one is paid.
fn pay_rows(a: &Value) -> Vec<Vec<Markup>> {
    let pay = |k: &str| a.pointer(&format!("/pay/{k}"));
    let line = |label: Markup, k: &str| vec![label, html! { (money(pay(k))) }];
    let mut rows: Vec<Vec<Markup>> = [
        ("full_time_salary", "Full-time salary"),
        ("basic_salary", "Basic salary"),
        ("extra_pas", "Additional PAs"),
    ]
    .iter()
    .map(|&(k, label)| line(html! { (label) }, k))
    .collect();
    rows.push(line(
        html! { "Availability supplement (" (num(pay("availability_supplement_percent"))) "%)" },
        "availability_supplement",
    ));
    rows.push(line(
        html! { "Out-of-hours premium (" (num(pay("out_of_hours_premium_percent"))) "%)" },
        "out_of_hours_premium",
    ));
    for (k, label) in [
        ("clinical_excellence_award", "Clinical excellence award"),
        (
            "existing_award",
            "Existing award (discretionary points or distinction award)",
        ),
        (
            "recruitment_retention_premium",
            "Recruitment or retention premium",
        ),
        ("total", "Total"),
        ("superannuable", "Superannuable"),
    ] {
        let paid = pay(k).and_then(Value::as_str).is_some_and(|v| v != "0.00");
        if k != "existing_award" || paid {
            rows.push(line(html! { (label) }, k));
        }
    }
    rows
}

/// The assessment of a job plan (the stored assessment JSON): PAs by category, hours, on-call,
/// the pay breakdown and the findings, each linking to its rule.
pub fn assessment_panel(a: &Value) -> Markup {
    let p = |k: &str| a.pointer(&format!("/pas/{k}"));
    let empty = vec![];
    let findings = a
        .get("findings")
        .and_then(Value::as_array)
        .unwrap_or(&empty);
    let count = |s: &str| {
        findings
            .iter()
            .filter(|f| f.get("severity").and_then(Value::as_str) == Some(s))
            .count()
    };
    let on_call = a.get("on_call").filter(|v| !v.is_null());
    html! {
        div class="tenpa-assessment" {
            h2 class="nhsuk-heading-m" { "Assessment" }
            p class="nhsuk-body-s" {
                "Rules applied on " (value_text(a.get("applied_on"))) ", pay year " (value_text(a.get("pay_year"))) "."
            }
            p class="nhsuk-body" id="pa-total" {
                strong { (num(p("total"))) " PAs a week" } " in total: "
                (num(p("core_total"))) " core and " (num(p("extra"))) " extra. "
                (count("error")) " errors, " (count("warning")) " warnings."
            }
            (HtmlTable::new("Programmed activities (PAs) a week")
                .small_caption()
                .row_headers()
                .columns(&["Category"])
                .numeric("PAs")
                .rows(PA_ROWS.iter().map(|&(k, label)| vec![html! { (label) }, html! { (num(p(k))) }])))
            @if let Some(list) = a.get("employers").and_then(Value::as_array).filter(|l| !l.is_empty()) {
                (HtmlTable::new("PAs and hours a week by employer")
                    .small_caption()
                    .id("employer-totals")
                    .row_headers()
                    .columns(&["Employer"])
                    .numeric("PAs")
                    .numeric("Hours")
                    .rows(list.iter().map(|e| vec![
                        html! {
                            (value_text(e.get("name")))
                            @if e.get("lead").and_then(Value::as_bool) == Some(true) { " (lead)" }
                            @if value_text(e.get("kind")) == "university" { " (university)" }
                        },
                        html! { (num(e.get("pas"))) },
                        html! { (num(e.get("hours"))) },
                    ])))
            }
            @if let Some(days) = a.pointer("/public_holidays/worked").and_then(Value::as_array).filter(|l| !l.is_empty()) {
                (HtmlTable::new(html! { "Public holidays worked: " (num(a.pointer("/public_holidays/time_off_hours"))) " hours of time off due" })
                    .small_caption()
                    .id("public-holidays")
                    .columns(&["Day", "Holiday"])
                    .numeric("Hours")
                    .rows(days.iter().map(|d| vec![
                        html! { (weekday_date(&value_text(d.get("date")))) },
                        html! { (value_text(d.get("name"))) },
                        html! { (num(d.get("hours"))) },
                    ])))
            }
            h3 class="nhsuk-heading-s" { "Hours and on-call" }
            dl class="nhsuk-summary-list" {
                (summary_row("Timetabled hours a week", html! { (num(a.pointer("/hours/timetabled_weekly"))) }))
                (summary_row("Out-of-hours reduction", html! { (num(a.pointer("/hours/out_of_hours_reduction"))) " hours" }))
                (summary_row("Average weekly hours (Working Time Regulations)", html! { (num(a.pointer("/hours/average_weekly_for_wtr"))) }))
                @match on_call {
                    Some(oc) => {
                        (summary_row("On-call band", html! { (value_text(oc.get("band"))) }))
                        (summary_row("On-call category", html! { (value_text(oc.get("category")).to_uppercase()) }))
                        (summary_row("Allocation pattern", html! { (value_text(oc.get("allocation_pattern"))) }))
                    },
                    None => (summary_row("On-call", html! { "Not on a rota" })),
                }
            }
            (HtmlTable::new("Pay a year")
                .small_caption()
                .row_headers()
                .columns(&["Component"])
                .numeric("Amount")
                .rows(pay_rows(a)))
            h3 class="nhsuk-heading-s" { "Findings" }
            @if findings.is_empty() {
                p class="nhsuk-body" { "No findings: the plan meets every rule checked." }
            } @else {
                ul class="nhsuk-list tenpa-findings" {
                    @for f in findings {
                        @let rule = value_text(f.get("rule"));
                        li {
                            (severity_text_tag(&value_text(f.get("severity")))) " "
                            a href=(format!("/rules/{}", crate::web::page::urlencode(&rule))) { "Rule " (rule) " (" (value_text(f.get("citation"))) ")" }
                            ": " (value_text(f.get("message")))
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
    use serde_json::json;

    /// Source: WW-3 (F 5(a), B 8.1): the days behind the time off are shown with their hours.
    #[test]
    fn the_panel_lists_the_public_holidays_worked() {
        let a = json!({
            "public_holidays": {"holidays": 8, "time_off_hours": 16.0, "worked": [
                {"date": "2005-12-26", "name": "Boxing Day", "hours": 8.0},
                {"date": "2005-12-27", "name": "Christmas Day (substitute day)", "hours": 8.0}]}
        });
        let html = assessment_panel(&a).into_string();
        assert!(html.contains("16.0 hours of time off due"), "{html}");
        assert!(html.contains("Monday 26 December 2005"));
        assert!(html.contains("Christmas Day (substitute day)"));
        assert!(!assessment_panel(&json!({}))
            .into_string()
            .contains("public-holidays"));
    }

    #[test]
    fn the_panel_links_findings_to_their_rules_and_shows_money() {
        let a = json!({
            "applied_on": "2005-04-01", "pay_year": "2005/06",
            "pas": {"dcc": 7.0, "spa": 2.5, "total": 11.0, "core_total": 10.0, "extra": 1.0},
            "pay": {"total": "87276.95", "availability_supplement_percent": 5},
            "findings": [{"rule": "WW-4", "severity": "warning", "citation": "F 2(e)", "message": "too few SPAs"}]
        });
        let html = assessment_panel(&a).into_string();
        assert!(html.contains("href=\"/rules/WW-4\""));
        assert!(html.contains("£87,276.95"));
        assert!(html.contains("11.0 PAs a week"));
        assert!(html.contains("too few SPAs"));
    }
    /// Source: JP-5: the assessment's per-employer totals appear in the panel.
    #[test]
    fn the_panel_shows_pas_and_hours_by_employer() {
        let a = json!({"pas": {}, "employers": [
            {"id": "n", "name": "North Trust", "kind": "nhs", "lead": true, "pas": 7.5, "hours": 30},
            {"id": "u", "name": "University of the North", "kind": "university", "lead": false, "pas": 2.5, "hours": 10}
        ]});
        let html = assessment_panel(&a).into_string();
        assert!(html.contains("PAs and hours a week by employer"), "{html}");
        assert!(html.contains("North Trust (lead)"), "{html}");
        assert!(
            html.contains("University of the North (university)"),
            "{html}"
        );
        assert!(!assessment_panel(&json!({"pas": {}}))
            .into_string()
            .contains("by employer"));
    }
}
