//! An assessment's figures as every page names them: PAs a week by category and pay a year by
//! component, each with its label, so the plan page, the version comparison and the printed plan
//! list the same rows in the same words.

use rust_decimal::Decimal;
use tenpa_rules::assessment::{Pas, PayBreakdown};
use tenpa_rules::Money;

/// One PA figure: its label, whether it is a part total and its value.
pub struct PaFigure {
    /// What it is.
    pub label: &'static str,
    /// A part total (the core total, the PAs in premium time): the panel shows it, a comparison
    /// of versions and the printed plan list the categories and the total only.
    pub part: bool,
    /// PAs a week.
    pub value: Decimal,
}

/// The PAs a week of an assessment: the categories, on-call, extra PAs and the totals.
pub fn pa_figures(p: &Pas) -> [PaFigure; 9] {
    let f = |label, part, value| PaFigure { label, part, value };
    [
        f("Direct clinical care", false, p.dcc),
        f("Supporting professional activities", false, p.spa),
        f(
            "Additional NHS responsibilities",
            false,
            p.additional_responsibility,
        ),
        f("External duties", false, p.external_duty),
        f("On-call emergency work", false, p.on_call),
        f("Core total", true, p.core_total),
        f("Additional (extra) PAs", false, p.extra),
        f("Total programmed activities", false, p.total),
        f("Of which in premium time", true, p.premium_time),
    ]
}

/// The pay components of an assessment, each a year, before the total: an existing award only
/// when one is paid.
pub fn pay_components(p: &PayBreakdown) -> Vec<(&'static str, Money)> {
    let mut rows = vec![
        ("Basic salary", p.basic_salary),
        ("Additional PAs", p.extra_pas),
        ("Availability supplement", p.availability_supplement),
        ("Out-of-hours premium", p.out_of_hours_premium),
        ("Clinical excellence award", p.clinical_excellence_award),
    ];
    if p.existing_award != Money::ZERO {
        rows.push((
            "Existing award (discretionary points or distinction award)",
            p.existing_award,
        ));
    }
    rows.push((
        "Recruitment or retention premium",
        p.recruitment_retention_premium,
    ));
    rows
}
