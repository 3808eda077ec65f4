//! `/consistency`: consistency across the trust, for the trust's report readers
//! ([`crate::service::consistency`]): each measure's quartiles and median by department and by
//! specialty (a group of fewer than five shown without figures), the dispute rates, the medians
//! as bars, and the consultants outside the trust's usual range.

use super::page::{layout, PageResult, WebUser};
use crate::service::consistency::{self, GroupFigures, MEASURES};
use crate::web::chart::{bar_chart, Bar};
use crate::web::components::HtmlTable;
use crate::AppState;
use axum::extract::State;
use maud::{html, Markup, Render};

fn measure_table(caption: &str, id: &str, measure: &str, groups: &[&GroupFigures]) -> Markup {
    HtmlTable::new(caption)
        .id(id)
        .columns(&["Group"])
        .numeric("Consultants")
        .numeric("Lower quartile")
        .numeric("Median")
        .numeric("Upper quartile")
        .rows(
            groups
                .iter()
                .map(|g| match (g.suppressed, g.spreads.get(measure)) {
                    (false, Some(s)) => vec![
                        html! { (g.name) },
                        html! { (g.consultants) },
                        html! { (s.q1) },
                        html! { (s.median) },
                        html! { (s.q3) },
                    ],
                    (true, _) => vec![
                        html! { (g.name) },
                        html! { "Fewer than 5" },
                        html! {},
                        html! { "Not shown" },
                        html! {},
                    ],
                    (false, None) => vec![
                        html! { (g.name) },
                        html! { (g.consultants) },
                        html! {},
                        html! { "No values" },
                        html! {},
                    ],
                }),
        )
        .render()
}

/// `GET /consistency`.
pub async fn show(State(state): State<AppState>, u: WebUser) -> PageResult<Markup> {
    let r = consistency::report(&state.store, &state.params, &u.user).await?;
    let mut groups: Vec<&GroupFigures> = vec![&r.trust];
    groups.extend(r.departments.iter());
    let specialties: Vec<&GroupFigures> = r.specialties.iter().collect();
    let sexes: Vec<&GroupFigures> = r.sexes.iter().collect();
    let patterns: Vec<&GroupFigures> = r.working_patterns.iter().collect();
    let label = |m: &str| {
        MEASURES
            .iter()
            .find(|(k, _)| *k == m)
            .map_or(m.to_string(), |(_, l)| l.to_string())
    };
    let body = html! {
        h1 class="nhsuk-heading-l" { "Consistency across the trust" }
        p class="nhsuk-body" {
            "Each consultant's current job plan, compared across departments and specialties, by sex (where the consultant record holds it) and full- or part-time (fewer contracted PAs than a full-time consultant's 10): the middle half of the values lies between the lower and upper quartiles. "
            "A group of fewer than 5 consultants shows no figures, so that nobody in it can be identified. "
            "Consultants more than one and a half times the distance between the quartiles below the trust's lower quartile or above its upper are listed at the end."
        }
        @let dispute: Vec<Bar> = r.departments.iter().filter(|g| !g.suppressed).filter_map(|g| {
            let p = g.dispute_percent.as_deref()?;
            Some(Bar { label: g.name.clone(), value: p.parse().ok()?, shown: format!("{p}%") })
        }).collect();
        (bar_chart("consistency-disputes", "Plans that went into dispute, by department", "The share of each department's current plans that were not agreed, referred or taken to appeal at any time.", &dispute))
        (HtmlTable::new("Plans that went into dispute, by sex and full- or part-time")
            .id("consistency-disputes-groups")
            .columns(&["Group"])
            .numeric("Consultants")
            .numeric("Went into dispute")
            .rows(sexes.iter().chain(patterns.iter()).map(|g| vec![
                html! { (g.name) },
                html! { @if g.suppressed { "Fewer than 5" } @else { (g.consultants) } },
                html! { @match (&g.dispute_percent, g.suppressed) { (Some(p), false) => { (p) "%" }, _ => "Not shown" } },
            ])))
        @for (m, _) in MEASURES {
            h2 class="nhsuk-heading-m" id=(format!("measure-{m}")) { (label(m)) }
            @let bars: Vec<Bar> = r.departments.iter().filter(|g| !g.suppressed).filter_map(|g| {
                let s = g.spreads.get(m)?;
                Some(Bar { label: g.name.clone(), value: s.median, shown: s.median.to_string() })
            }).collect();
            (bar_chart(&format!("consistency-{m}"), &format!("Median {}, by department", label(m).to_lowercase()), "Each department's median; departments of fewer than 5 consultants are left out.", &bars))
            (measure_table(&format!("{} by department", label(m)), &format!("consistency-{m}-departments"), m, &groups))
            (measure_table(&format!("{} by specialty", label(m)), &format!("consistency-{m}-specialties"), m, &specialties))
            (measure_table(&format!("{} by sex", label(m)), &format!("consistency-{m}-sexes"), m, &sexes))
            (measure_table(&format!("{}, full- and part-time", label(m)), &format!("consistency-{m}-patterns"), m, &patterns))
        }
        h2 class="nhsuk-heading-m" id="outliers" { "Outside the usual range (" (r.outliers.len()) ")" }
        @if r.outliers.is_empty() {
            p class="nhsuk-body" { "Nobody is outside the trust's usual range on any measure." }
        } @else {
            (HtmlTable::new("Consultants outside the trust's usual range")
                .id("consistency-outliers")
                .columns(&["Measure", "Consultant", "Department"])
                .numeric("Value")
                .columns(&["Side"])
                .rows(r.outliers.iter().map(|o| vec![
                    html! { (label(&o.measure)) },
                    html! { (o.name) },
                    html! { (o.department) },
                    html! { (o.value) },
                    html! { @if o.side == "low" { "Below" } @else { "Above" } },
                ])))
        }
    };
    Ok(layout(&u, "Consistency across the trust", body))
}
