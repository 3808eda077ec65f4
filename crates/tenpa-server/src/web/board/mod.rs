//! Board competency appraisal pages (BC-1, BC-2): the boards a user sits on, a director's
//! appraisal (self-assessment, the appraiser's discussion, sign-off), a director's profile across
//! years and the board-level report with its downloads.
//!
//! Who sees what follows the JSON API (`api::board`): a director sees their own appraisals, the
//! appraiser (the chair for the chief executive and non-executives, the chief executive for
//! executive directors) those they appraise, the chair the whole board.
//!
//! One file per part: `index` (the boards), `appraisal` (one appraisal and its forms),
//! `profile` (a director's profile) and `report` (the board report and its downloads); the
//! labels and pieces of markup they share are here.

mod appraisal;
mod index;
mod profile;
mod report;

pub use self::appraisal::{post_discussion, post_self_assessment, post_sign_off, show, Notice};
pub use self::index::{create, index};
pub use self::profile::{director, post_job_description, profile_rows, DirectorQuery};
pub use self::report::{
    default_year, domain_table, report, report_csv, report_pdf, report_pdf_document, report_xlsx,
    YearQuery,
};

use super::page::{sentence, FormData};
use crate::service::board::appraiser_position;
use maud::{html, Markup};
use std::collections::BTreeMap;
use tenpa_rules::board_competency::{Completeness, Framework, Rating, Ratings};
use tenpa_rules::Finding;
use tenpa_store::BoardAppraisal;

/// A position in words.
pub fn position_label(position: &str) -> &'static str {
    match position {
        "chair" => "Chair",
        "chief_executive" => "Chief executive",
        "executive" => "Executive director",
        "non_executive" => "Non-executive director",
        _ => "Director",
    }
}

/// Who appraises a director in this position, in words.
pub fn appraiser_label(position: &str) -> &'static str {
    match appraiser_position(position) {
        Some("chair") => "The chair",
        Some("chief_executive") => "The chief executive",
        _ => "Appraised outside the board",
    }
}

/// An appraisal year as "2024/25".
pub fn year_label(year: i64) -> String {
    format!("{year}/{:02}", (year + 1).rem_euclid(100))
}

/// A domain's short name for charts, from its key (`governance` → "Governance").
pub fn short_domain(key: &str) -> String {
    let mut c = key.chars();
    c.next()
        .map(|f| {
            f.to_uppercase()
                .chain(c.map(|c| if c == '_' { ' ' } else { c }))
                .collect()
        })
        .unwrap_or_default()
}

/// A mean score in hundredths as "3.25".
pub fn mean_text(hundredths: Option<u32>) -> String {
    match hundredths {
        Some(h) => format!("{}.{:02}", h / 100, h % 100),
        None => "No score".into(),
    }
}

/// The HTML id of a statement's rating radios (`governance.2` → `rating-governance-2`).
pub fn rating_id(statement: &str) -> String {
    format!(
        "rating-{}",
        statement.replace(|c: char| !c.is_ascii_alphanumeric(), "-")
    )
}

/// The HTML id of a statement's evidence box.
pub fn evidence_id(statement: &str) -> String {
    format!(
        "evidence-{}",
        statement.replace(|c: char| !c.is_ascii_alphanumeric(), "-")
    )
}

/// Reads a posted self-assessment: `rating.<statement>` and `evidence.<statement>` per statement of
/// the framework. Returns what was posted (a rating of "" where none was chosen, so that the
/// evidence is kept on screen) and the errors as (field id, message).
pub fn read_ratings(fw: &Framework, form: &FormData) -> (Ratings, Vec<(String, String)>) {
    let mut posted = Ratings::new();
    let mut errors = Vec::new();
    for d in &fw.domains {
        for s in &d.statements {
            let rating = form.get(&format!("rating.{}", s.id)).to_string();
            let evidence = form.get(&format!("evidence.{}", s.id)).to_string();
            if rating.is_empty() && evidence.is_empty() {
                continue;
            }
            if !rating.is_empty() && fw.scale_point(&rating).is_none() {
                errors.push((
                    rating_id(&s.id),
                    format!("Statement {}: choose a rating from the scale", s.id),
                ));
            } else if rating.is_empty() {
                errors.push((
                    rating_id(&s.id),
                    format!(
                        "Statement {}: choose a rating for the evidence you wrote, or clear the evidence",
                        s.id
                    ),
                ));
            }
            posted.insert(s.id.clone(), Rating { rating, evidence });
        }
    }
    (posted, errors)
}

/// The status of an appraisal in words.
pub fn appraisal_status(a: &BoardAppraisal, c: &Completeness) -> String {
    match (
        a.director_signed_at.is_some(),
        a.appraiser_signed_at.is_some(),
    ) {
        (true, true) => "Signed off by director and appraiser".into(),
        (true, false) => "Signed by the director; waiting for the appraiser".into(),
        (false, true) => "Signed by the appraiser; waiting for the director".into(),
        (false, false) if c.complete() => "Self-assessment complete; not signed".into(),
        (false, false) => format!(
            "Self-assessment in progress: {} of {} statements rated",
            c.rated, c.total
        ),
    }
}

fn status_tag(a: &BoardAppraisal, c: &Completeness) -> Markup {
    let colour = match (
        a.director_signed_at.is_some(),
        a.appraiser_signed_at.is_some(),
    ) {
        (true, true) => "nhsuk-tag--green",
        (true, false) | (false, true) => "nhsuk-tag--blue",
        _ if c.complete() => "nhsuk-tag--aqua-green",
        _ => "nhsuk-tag--grey",
    };
    html! { strong class=(format!("nhsuk-tag {colour}")) { (appraisal_status(a, c)) } }
}

/// A finding with its rule linked.
pub fn finding_line(f: &Finding) -> Markup {
    html! {
        a href=(format!("/rules/{}", f.rule)) { (f.rule) } ": " (sentence(&f.message))
    }
}

fn findings_list(findings: &[Finding], none: &str) -> Markup {
    html! {
        @if findings.is_empty() {
            (none)
        } @else {
            ul class="nhsuk-list" {
                @for f in findings {
                    li { (crate::web::components::severity_tag(f.severity)) " " (finding_line(f)) }
                }
            }
        }
    }
}

fn date_of(at: &Option<String>) -> String {
    at.as_deref()
        .map(|s| s.get(..10).unwrap_or(s).to_string())
        .unwrap_or_else(|| "Not signed".into())
}

/// Counts of ratings per scale key in one map, for tests and summaries.
pub fn rating_counts(fw: &Framework, ratings: &Ratings) -> BTreeMap<String, usize> {
    let mut out: BTreeMap<String, usize> = fw.scale.iter().map(|p| (p.key.clone(), 0)).collect();
    for r in ratings.values() {
        if let Some(n) = out.get_mut(&r.rating) {
            *n += 1;
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use tenpa_rules::board_competency::completeness;
    #[test]
    fn labels_and_ids() {
        assert_eq!(year_label(2024), "2024/25");
        assert_eq!(year_label(2099), "2099/00");
        assert_eq!(mean_text(Some(325)), "3.25");
        assert_eq!(mean_text(Some(300)), "3.00");
        assert_eq!(mean_text(None), "No score");
        assert_eq!(rating_id("governance.2"), "rating-governance-2");
        assert_eq!(evidence_id("governance.2"), "evidence-governance-2");
        assert_eq!(appraiser_label("executive"), "The chief executive");
        assert_eq!(appraiser_label("non_executive"), "The chair");
        assert_eq!(appraiser_label("chair"), "Appraised outside the board");
        assert_eq!(position_label("chief_executive"), "Chief executive");
    }

    /// Source: BC-2, ratings on the sliding scale with evidence.
    #[test]
    fn posted_ratings_are_read_and_checked() {
        let fw = Framework::latest();
        let f = FormData(vec![
            ("rating.outcomes.1".into(), "often".into()),
            ("evidence.outcomes.1".into(), " Board minutes ".into()),
            ("rating.outcomes.2".into(), "brilliantly".into()),
            (
                "evidence.outcomes.3".into(),
                "Notes without a rating".into(),
            ),
            ("rating.not.a.statement".into(), "often".into()),
        ]);
        let (r, errors) = read_ratings(&fw, &f);
        assert_eq!(r["outcomes.1"].rating, "often");
        assert_eq!(r["outcomes.1"].evidence, "Board minutes");
        assert_eq!(r["outcomes.3"].rating, "");
        assert!(!r.contains_key("not.a.statement"));
        assert_eq!(errors.len(), 2);
        assert_eq!(errors[0].0, "rating-outcomes-2");
        assert_eq!(errors[1].0, "rating-outcomes-3");
        assert!(errors[1].1.contains("clear the evidence"));
        let counts = rating_counts(&fw, &r);
        assert_eq!(counts["often"], 1);
        assert_eq!(counts["no_chance"], 0);
    }

    #[test]
    fn statuses_in_words() {
        let fw = Framework::latest();
        let mut a = BoardAppraisal {
            id: 1,
            director_id: 1,
            year: 2024,
            framework_version: fw.version.clone(),
            ratings: Ratings::new(),
            discussion: String::new(),
            objectives: String::new(),
            director_signed_at: None,
            appraiser_signed_at: None,
            version: 1,
            updated_at: String::new(),
        };
        let c = completeness(&fw, &a.ratings);
        assert_eq!(
            appraisal_status(&a, &c),
            "Self-assessment in progress: 0 of 24 statements rated"
        );
        assert_eq!(default_year(&[], 2026), 2026);
        let mut next = a.clone();
        next.year = 2025;
        assert_eq!(default_year(&[a.clone(), next.clone()], 2026), 2025);
        a.director_signed_at = Some("2024-06-30T10:00:00Z".into());
        assert_eq!(default_year(&[a.clone(), next], 2026), 2024);
        assert_eq!(short_domain("governance"), "Governance");
        assert_eq!(
            appraisal_status(&a, &c),
            "Signed by the director; waiting for the appraiser"
        );
        assert_eq!(date_of(&a.director_signed_at), "2024-06-30");
        assert_eq!(date_of(&None), "Not signed");
    }
}
