//! The rules: every rule the service applies, and one rule with its plain-language summary and the
//! dated parameter values behind it.

use super::page::{layout, layout_back, PageResult, WebError, WebUser};
use crate::service::reference::rules_with_id;
use crate::web::components::{summary_row, summary_rows, HtmlTable};
use crate::AppState;
use axum::extract::{Path, State};
use maud::{html, Markup};
use serde_json::Value;
use tenpa_rules::register::{self, Source, Status};
use tenpa_rules::rule;

/// The project's table of rules (`docs/rules.md`): its last column says what each rule does.
const RULES_MD: &str = include_str!("../../../../docs/rules.md");

/// What a rule does, in the project's own words (the "what" column of `docs/rules.md`).
pub fn summary(id: &str) -> Option<&'static str> {
    let key = format!("| `{id}` |");
    RULES_MD
        .lines()
        .find(|l| l.starts_with(&key))
        .and_then(|l| l.trim_end().trim_end_matches('|').rsplit('|').next())
        .map(str::trim)
        .filter(|s| !s.is_empty())
}

/// `GET /rules`.
pub async fn list(u: WebUser) -> PageResult<Markup> {
    let rules = rule::all();
    // Exceptions share their base rule's id: link the first of each.
    let rows: Vec<(rule::Rule, bool)> = rules
        .iter()
        .enumerate()
        .map(|(i, r)| (*r, !rules[..i].iter().any(|o| o.id == r.id)))
        .collect();
    Ok(layout(
        &u,
        "Rules",
        html! {
            h1 class="nhsuk-heading-l" { "Rules" }
            p class="nhsuk-body" { "Every rule Tenpa applies, with the paragraphs of the national terms and conditions it comes from. Each finding on a job plan names one of these rules." }
            p class="nhsuk-body" { a href="/rules/coverage" { "Coverage of the sources" } ": every paragraph of the sources, with the rules that implement it or why none does yet." }
            (HtmlTable::new(html! { "Rules (" (rules.len()) ")" })
                .columns(&["Rule", "Title", "Source paragraphs"])
                .rows(rows.iter().map(|(r, first)| vec![
                    html! { @if *first { a href=(format!("/rules/{}", r.id)) { (r.id) } } @else { (r.id) } },
                    html! { (r.title) },
                    html! { (r.citation) },
                ])))
        },
    ))
}

/// The tag colour of a register status.
fn status_tag(s: Status) -> &'static str {
    match s {
        Status::Implemented => "nhsuk-tag nhsuk-tag--green",
        Status::Partial => "nhsuk-tag nhsuk-tag--yellow",
        Status::Missing => "nhsuk-tag nhsuk-tag--red",
        Status::NotARule => "nhsuk-tag nhsuk-tag--grey",
        Status::OutOfScope => "nhsuk-tag nhsuk-tag--blue",
    }
}

/// `GET /rules/coverage`: the traceability register, every paragraph of the sources with how far
/// Tenpa implements it.
pub async fn coverage(u: WebUser) -> PageResult<Markup> {
    let reg = register::register();
    let counts = reg.counts();
    Ok(layout_back(
        &u,
        "Coverage of the sources",
        ("/rules", "Back to all rules"),
        html! {
            h1 class="nhsuk-heading-l" { "Coverage of the sources" }
            p class="nhsuk-body" { "Every numbered paragraph and lettered bullet of the sources, and how far Tenpa implements it. A number in brackets after a paragraph is one of its bullets: F 6(c)(2) is the second bullet of F 6(c). BC and PEC paragraphs are numbered in order." }
            (HtmlTable::new(html! { "Paragraphs by status (" (reg.entry.len()) ")" })
                .columns(&["Status"])
                .numeric("Paragraphs")
                .rows(counts.iter().map(|(s, n)| vec![
                    html! { strong class=(status_tag(*s)) { (s.label()) } },
                    html! { (n) },
                ]))
                .rows([vec![html! { "Total" }, html! { (reg.entry.len()) }]]))
            @for source in Source::ALL {
                h2 class="nhsuk-heading-m" { (source.title()) }
                (HtmlTable::new(html! { (source.title()) ": paragraphs" })
                    .small_caption()
                    .columns(&["Paragraph", "Provides", "Status", "Rules", "Why"])
                    .rows(reg.entry.iter().filter(|e| e.source() == source).map(|e| vec![
                        html! { (e.cite) },
                        html! { (e.summary) },
                        html! { strong class=(status_tag(e.status)) { (e.status.label()) } },
                        html! {
                            @for (i, r) in e.rules.iter().enumerate() {
                                @if i > 0 { ", " }
                                a href=(format!("/rules/{r}")) { (r) }
                            }
                        },
                        html! { (e.why.as_deref().unwrap_or("")) },
                    ])))
            }
        },
    ))
}

/// A parameter value in words: a table's entries joined, objects as `name = value`.
pub fn value_words(v: &Value) -> String {
    match v {
        Value::String(s) => s.clone(),
        Value::Array(a) => a.iter().map(value_words).collect::<Vec<_>>().join(", "),
        Value::Object(o) => o
            .iter()
            .map(|(k, v)| format!("{} = {}", k.replace('_', " "), value_words(v)))
            .collect::<Vec<_>>()
            .join("; "),
        Value::Bool(true) => "yes".into(),
        Value::Bool(false) => "no".into(),
        Value::Null => String::new(),
        Value::Number(n) => n.to_string(),
    }
}

/// `GET /rules/{id}`.
pub async fn show(
    State(state): State<AppState>,
    u: WebUser,
    Path(id): Path<String>,
) -> PageResult<Markup> {
    let found = rules_with_id(&id);
    let Some(&first) = found.first() else {
        return Err(WebError::NotFound(format!(
            "there is no rule {id}: see the list of rules at /rules"
        )));
    };
    let params: Vec<_> = rule::parameters_of(first.id)
        .iter()
        .filter_map(|p| state.params.describe(p))
        .collect();
    let title = format!("{}: {}", first.id, first.title);
    Ok(layout_back(
        &u,
        &title,
        ("/rules", "Back to all rules"),
        html! {
            span class="nhsuk-caption-l" { "Rule " (first.id) }
            h1 class="nhsuk-heading-l" { (first.title) }
            (summary_rows(html! {
                (summary_row("Source paragraphs", html! { @for (i, r) in found.iter().enumerate() {
                        @if i > 0 { br; }
                        (r.citation)
                        @if found.len() > 1 { " (" (r.title) ")" }
                    } }))
                (summary_row("In short", html! { @match summary(first.id) {
                        Some(s) => { (super::page::sentence(s)) },
                        None => { (first.title) ". Read the source paragraphs for the detail." },
                    } }))
            }))
            @let paragraphs: Vec<_> = register::register().for_rule(first.id).collect();
            h2 class="nhsuk-heading-m" { "Paragraphs this rule implements" }
            @if paragraphs.is_empty() {
                p class="nhsuk-body" { "The register of the sources names no paragraph for this rule." }
            } @else {
                ul class="nhsuk-list nhsuk-list--bullet" {
                    @for e in &paragraphs {
                        li { (e.cite) ": " (e.summary) " " strong class=(status_tag(e.status)) { (e.status.label()) } }
                    }
                }
                p class="nhsuk-body-s" { a href="/rules/coverage" { "Coverage of all the sources' paragraphs" } }
            }
            p class="nhsuk-body-s" { "Letters name the source documents: A, B, C, E and F are schedules and parts of the consultant contract's terms and conditions; PEC is the professional executive committee guidance." }
            h2 class="nhsuk-heading-m" { "Parameters behind this rule" }
            @if params.is_empty() {
                p class="nhsuk-body" { "This rule uses no dated parameter: its figures are fixed in the rule itself." }
            }
            @for p in &params {
                (HtmlTable::new(html! { (p.description)
                        span class="nhsuk-body-s tenpa-caption-path" { " (" (p.path) ", " (p.unit) ")" } })
                    .small_caption()
                    .columns(&["From", "Value", "Source"])
                    .rows(p.values.iter().map(|e| vec![
                        html! { (e.from.format("%-d %B %Y")) },
                        html! {
                            (value_words(&e.value))
                            @if let Some(w) = &e.why { br; span class="nhsuk-body-s" { "Why this value: " (w) } }
                        },
                        html! { (e.cite) },
                    ])))
            }
        },
    ))
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn summaries_come_from_the_projects_table_of_rules() {
        let ww3 = summary("WW-3").unwrap();
        assert!(
            ww3.starts_with("plain time 08:00-22:00 weekdays, 09:00-13:00 weekends;")
                && ww3.contains("public holidays"),
            "{ww3}"
        );
        assert!(summary("OC-6").is_some());
        assert_eq!(summary("NO-1"), None);
    }

    #[test]
    fn values_read_as_words() {
        assert_eq!(
            value_words(&json!({"weekday_start": "08:00", "ok": true})),
            "ok = yes; weekday start = 08:00"
        );
        assert_eq!(value_words(&json!([1, 2.5])), "1, 2.5");
    }
}
