//! Professional executive committee pages (PEC-1 … PEC-4): each PCT's committee with its check,
//! and the strategic health authorities' oversight report. Who may see them follows the JSON API
//! (`api::pecs`): admins, medical directors and the board roles.

use super::board::finding_line;
use super::page::{layout, PageResult, WebUser};
use crate::service::pecs::{all, may_read, oversight_report, PecView};
use crate::web::components::{summary_row, summary_rows, HtmlTable};
use crate::AppState;
use axum::extract::State;
use maud::{html, Markup};
use tenpa_rules::finding::Severity;
use tenpa_rules::pec::{PecCheck, PecDocument};
use tenpa_rules::Finding;

/// One line of a committee's checklist: what is checked, the rule, and whether it is met.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CheckLine {
    /// The check in words.
    pub label: String,
    /// The rule id.
    pub rule: &'static str,
    /// Whether the committee meets it.
    pub met: bool,
}

/// The checks the guidance asks of a committee, read from its document and check (PEC-1 … PEC-3):
/// a clinical majority, more than one clinical profession, no profession with a majority of the
/// clinical seats, every member appointed against named competencies and a job description, one
/// chair.
pub fn checklist(doc: &PecDocument, c: &PecCheck) -> Vec<CheckLine> {
    let largest = c
        .clinical_by_profession
        .values()
        .copied()
        .max()
        .unwrap_or(0);
    let appointed = doc.members.iter().all(|m| {
        m.competencies.iter().any(|x| !x.trim().is_empty()) && !m.job_description.trim().is_empty()
    });
    let chairs = doc.members.iter().filter(|m| m.chair).count();
    vec![
        CheckLine {
            label: format!(
                "Clinicians are in the majority ({} of {} seats)",
                c.clinical_members, c.members
            ),
            rule: "PEC-3",
            met: c.members > 0 && 2 * c.clinical_members > c.members,
        },
        CheckLine {
            label: format!(
                "The clinicians come from more than one profession ({})",
                c.clinical_by_profession.len()
            ),
            rule: "PEC-3",
            met: c.clinical_by_profession.len() >= 2,
        },
        CheckLine {
            label: format!(
                "No single profession holds a majority of the clinical seats (largest: {largest} of {})",
                c.clinical_members
            ),
            rule: "PEC-3",
            met: c.clinical_members > 0 && 2 * largest <= c.clinical_members,
        },
        CheckLine {
            label: "Every member was appointed against named competencies and a job description"
                .into(),
            rule: "PEC-2",
            met: appointed,
        },
        CheckLine {
            label: "The committee has one chair".into(),
            rule: "PEC-1",
            met: chairs == 1,
        },
        CheckLine {
            label: "The arrangements took effect by the implementation date".into(),
            rule: "PEC-4",
            met: c.implemented_in_time,
        },
    ]
}

fn yes_no_tag(met: bool, yes: &str, no: &str) -> Markup {
    html! {
        @if met { strong class="nhsuk-tag nhsuk-tag--green" { (yes) } }
        @else { strong class="nhsuk-tag nhsuk-tag--red" { (no) } }
    }
}

fn severity_label(f: &Finding) -> &'static str {
    match f.severity {
        Severity::Error => "Error",
        Severity::Warning => "Warning",
        Severity::Info => "Information",
    }
}

fn findings_table(caption: &str, findings: &[Finding]) -> Markup {
    html! {
        @if findings.is_empty() {
            p class="nhsuk-body" { "No findings." }
        } @else {
            (HtmlTable::new(html! { (caption) })
                .small_caption()
                .columns(&["Severity", "Finding"])
                .rows(findings.iter().map(|f| vec![
                    html! { (severity_label(f)) },
                    html! { (finding_line(f)) },
                ])))
        }
    }
}

fn committee(p: &PecView, may_record: bool) -> Markup {
    let doc = &p.document;
    let c = &p.check;
    let lines = checklist(doc, c);
    html! {
        section class="nhsuk-card" id=(format!("pec-{}", p.id)) {
            div class="nhsuk-card__content" {
                h2 class="nhsuk-card__heading nhsuk-heading-m" { (doc.pct.name) }
                @if may_record {
                    p class="nhsuk-body tenpa-no-print" { a href=(format!("/pecs/new?pct={}", super::page::urlencode(&doc.pct.name))) { "Replace its committee document" span class="nhsuk-u-visually-hidden" { " (" (doc.pct.name) ")" } } }
                }
                p class="nhsuk-body" { (yes_no_tag(!c.has_errors(), "Compliant", "Not compliant")) }
                (summary_rows(html! {
                    (summary_row("Strategic health authority", html! { (doc.pct.sha) }))
                    (summary_row("Arrangements took effect", html! { (doc.pct.implemented_on.map_or("Not recorded".to_string(), |d| d.format("%-d %B %Y").to_string())) }))
                    (summary_row("Role in practice-based commissioning", html! { @if doc.pct.commissioning_role.trim().is_empty() { "Not recorded" } @else { (doc.pct.commissioning_role) } }))
                    (summary_row("Members", html! { (c.members) ", of whom " (c.clinical_members) " sit as clinicians" }))
                    (summary_row("Clinical seats by profession", html! { @for (i, (prof, n)) in c.clinical_by_profession.iter().enumerate() {
                            @if i > 0 { ", " }
                            (prof.replace('_', " ")) ": " (n)
                        } }))
                }))
                (HtmlTable::new(html! { "Checks for " (doc.pct.name) })
                    .small_caption()
                    .columns(&["Check", "Rule", "Result"])
                    .rows(lines.iter().map(|l| vec![
                        html! { (l.label) },
                        html! { a href=(format!("/rules/{}", l.rule)) { (l.rule) } },
                        html! { (yes_no_tag(l.met, "Met", "Not met")) },
                    ])))
                (findings_table(&format!("Findings for {}", doc.pct.name), &c.findings))
                details class="nhsuk-details" {
                    summary class="nhsuk-details__summary" {
                        span class="nhsuk-details__summary-text" { "Members of " (doc.pct.name) "'s committee" }
                    }
                    div class="nhsuk-details__text" {
                        (HtmlTable::new("Members")
                            .small_caption()
                            .columns(&["Name", "Profession", "Competencies", "Job description"])
                            .rows(doc.members.iter().map(|m| vec![
                                html! {
                                    (m.name)
                                    @if m.chair { " (chair)" }
                                    @if !m.role.is_empty() { br; span class="nhsuk-body-s" { (m.role) } }
                                },
                                html! { (m.profession.replace('_', " ")) },
                                html! { @if m.competencies.is_empty() { "None named" } @else { (m.competencies.join(", ")) } },
                                html! { @if m.job_description.trim().is_empty() { "None" } @else { (m.job_description) } },
                            ])))
                    }
                }
            }
        }
    }
}

/// `GET /pecs`: every PCT's committee with its check.
pub async fn index(State(state): State<AppState>, u: WebUser) -> PageResult<Markup> {
    may_read(&u.user)?;
    let pecs = all(&state).await?;
    Ok(layout(
        &u,
        "Professional executive committees",
        html! {
            h1 class="nhsuk-heading-xl" { "Professional executive committees" }
            p class="nhsuk-body" {
                "Each primary care trust's professional executive committee (PEC), checked against the guidance: "
                a href="/rules/PEC-1" { "PEC-1" } ", " a href="/rules/PEC-2" { "PEC-2" } ", "
                a href="/rules/PEC-3" { "PEC-3" } " and " a href="/rules/PEC-4" { "PEC-4" } "."
            }
            p class="nhsuk-body" { a href="/pecs/oversight" { "The strategic health authorities' oversight report" } }
            @if crate::policy::may_record_pecs(&u.user) {
                a class="nhsuk-button" href="/pecs/new" id="record-pec" { "Record a committee" }
            }

            @if pecs.is_empty() {
                p class="nhsuk-body" { "No committees are recorded." }
            }
            @for p in &pecs { (committee(p, crate::policy::may_record_pecs(&u.user))) }
        },
    ))
}

/// `GET /pecs/oversight`: every PCT in each SHA's area with its findings and whether it met the
/// implementation date (PEC-4).
pub async fn oversight(State(state): State<AppState>, u: WebUser) -> PageResult<Markup> {
    may_read(&u.user)?;
    let report = oversight_report(&state, None).await?;
    Ok(layout(
        &u,
        "PEC oversight report",
        html! {
            h1 class="nhsuk-heading-xl" { "PEC oversight report" }
            p class="nhsuk-body" {
                "Strategic health authorities oversee their primary care trusts' committees; the arrangements apply by the implementation date ("
                a href="/rules/PEC-4" { "PEC-4" } ")."
            }
            p class="nhsuk-body" { a href="/pecs" { "Every committee in detail" } }
            @if report.is_empty() {
                p class="nhsuk-body" { "No committees are recorded." }
            }
            @for o in &report {
                section {
                    h2 class="nhsuk-heading-l" { (o.sha) }
                    p class="nhsuk-body" {
                        "Implementation date: " (o.implementation_date) ". "
                        (o.met) " of " (o.pcts.len()) " PCTs met it; "
                        (o.compliant) " of " (o.pcts.len()) " have no error findings."
                    }
                    (HtmlTable::new(html! { "PCTs overseen by " (o.sha) })
                        .row_headers()
                        .columns(&["PCT", "Took effect", "Met the implementation date", "Compliant", "Findings"])
                        .rows(o.pcts.iter().map(|p| vec![
                            html! { (p.pct) },
                            html! { (p.implemented_on.as_deref().unwrap_or("Not recorded")) },
                            html! { (yes_no_tag(p.met_implementation_date, "Yes", "No")) },
                            html! { (yes_no_tag(!p.has_errors, "Compliant", "Not compliant")) },
                            html! {
                                @if p.findings.is_empty() { "None" } @else {
                                    ul class="nhsuk-list" {
                                        @for f in &p.findings { li { (severity_label(f)) ": " (finding_line(f)) } }
                                    }
                                }
                            },
                        ])))
                }
            }
        },
    ))
}

#[cfg(test)]
mod tests {
    use super::*;
    use tenpa_rules::pec::{check, parse_pec};
    use tenpa_rules::Parameters;

    fn doc(text: &str) -> PecDocument {
        parse_pec("x.toml", text.as_bytes(), true).unwrap()
    }

    /// Source: PEC-1 … PEC-4; the checklist agrees with the rules' check on both examples.
    #[test]
    fn the_checklist_agrees_with_the_check() {
        let params = Parameters::embedded();
        let good = doc(include_str!(
            "../../../../examples/pec/northshire-compliant.toml"
        ));
        let c = check(&good, params);
        let lines = checklist(&good, &c);
        assert!(lines.iter().all(|l| l.met), "{lines:?}");
        assert!(!c.has_errors());

        let bad = doc(include_str!(
            "../../../../examples/pec/southvale-non-compliant.toml"
        ));
        let c = check(&bad, params);
        let lines = checklist(&bad, &c);
        let unmet: Vec<&str> = lines
            .iter()
            .filter(|l| !l.met)
            .map(|l| l.label.as_str())
            .collect();
        assert_eq!(unmet.len(), 4, "{unmet:?}");
        assert!(unmet[0].starts_with("Clinicians are in the majority (4 of 8"));
        assert!(unmet[1].starts_with("No single profession"));
        assert!(unmet[2].starts_with("Every member"));
        assert!(unmet[3].starts_with("The arrangements"));
        // Each unmet PEC-1..3 line has an error finding of the same rule.
        for l in lines.iter().filter(|l| !l.met && l.rule != "PEC-4") {
            assert!(c
                .findings
                .iter()
                .any(|f| f.rule == l.rule && f.severity == Severity::Error));
        }
    }
}
