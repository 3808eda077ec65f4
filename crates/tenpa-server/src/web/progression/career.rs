//! A consultant's career document for the progression engine, built from their stored reviews
//! and cases.

use crate::service::criteria::YearCriteria;
use crate::web::components::long_date;
use chrono::NaiveDate;
use serde_json::{json, Value};
use std::collections::BTreeMap;
use tenpa_rules::job_planning::CaseStatus;
use tenpa_rules::progression::{anniversary, MAX_CAREER_YEARS};
use tenpa_rules::{parse_career, CareerDocument, Format, Parameters};
use tenpa_store::{Case, Review, Step};

/// A stored annual review and the progression case it opened, with the case's steps.
pub struct ReviewYear<'a> {
    /// The review.
    pub review: &'a Review,
    /// Its case, if any.
    pub case: Option<&'a (Case, Vec<Step>)>,
    /// The six criteria of PP-1 for its year, as the case shows them; without them the year has
    /// the review's four, spare capacity from PP-4 and the private practice standards unrecorded
    /// (met when the plan records no private practice).
    pub criteria: Option<&'a YearCriteria>,
}

/// A career document built from stored records, and how.
#[derive(Debug)]
pub struct Built {
    /// The document the progression engine reads.
    pub document: CareerDocument,
    /// What the reader should know about how the records became years.
    pub notes: Vec<String>,
    /// Anniversaries closing years with no review on record: their criteria are not recorded, so
    /// they are not satisfactory and do not count towards a threshold (PP-1).
    pub not_recorded: Vec<NaiveDate>,
}

fn date_of(s: &str) -> Option<NaiveDate> {
    s.get(..10)
        .and_then(|d| NaiveDate::parse_from_str(d, "%Y-%m-%d").ok())
}

/// One `[[year]]` of the career document from a review and its case: the six criteria as the
/// case judges them (the review's four, PP-4's spare capacity and PRV-2's disclosure); the
/// employer's discretion when a year that missed a criterion was decided to progress (PP-2); an
/// appeal with its outcome (C 7).
fn year_of(ending: NaiveDate, y: &ReviewYear, notes: &mut Vec<String>) -> Value {
    let r = y.review;
    let mut year = json!({
        "ending": ending.to_string(),
        "met_time_and_service": r.met_time_and_service,
        "met_objectives_or_reasonable_effort": r.met_objectives_or_reasonable_effort,
        "took_part_in_appraisal_and_job_planning": r.took_part_in_appraisal_and_job_planning,
        "worked_towards_service_changes": r.worked_towards_service_changes,
    });
    let all_met = match y.criteria {
        Some(c) => {
            year["offered_spare_capacity"] = json!(c.met("offered_spare_capacity"));
            year["met_private_practice_standards"] = json!(c.met("met_private_practice_standards"));
            c.failed.is_empty()
        }
        None => r.all_met(),
    };
    let Some((case, steps)) = y.case else {
        return year;
    };
    let decided = matches!(
        case.status,
        CaseStatus::Decided | CaseStatus::Appealed | CaseStatus::Closed
    );
    let appeal = steps.iter().find(|s| s.step == "appeal");
    let panel = steps.iter().find(|s| s.step == "decide_appeal");
    let mut upheld = false;
    if let Some(lodged) = appeal.and_then(|a| date_of(&a.created_at)) {
        let mut a = json!({ "lodged": lodged.to_string(), "outcome": "pending" });
        if let Some(p) = panel {
            upheld = p.outcome.as_deref() == Some("progress");
            a["outcome"] = json!(if upheld { "upheld" } else { "dismissed" });
            a["decided"] = json!(date_of(&p.created_at)
                .unwrap_or(lodged)
                .max(lodged)
                .to_string());
        }
        year["appeal"] = a;
    }
    if decided && !all_met && !upheld && case.outcome.as_deref() == Some("progress") {
        let reason = steps
            .iter()
            .rev()
            .find(|s| s.step == "decide" && !s.reason.is_empty())
            .map(|s| s.reason.clone())
            .unwrap_or_else(|| {
                format!(
                    "progression allowed by the chief executive's decision on case {}",
                    case.id
                )
            });
        year["employer_discretion"] = json!(reason);
    }
    if decided && all_met && case.outcome.as_deref() == Some("defer") && appeal.is_none() {
        notes.push(format!(
            "Case {} deferred progression for the year ending {} although all six criteria were met; the timeline follows the criteria.",
            case.id, ending
        ));
    }
    year
}

/// The career document of a consultant from stored records: `[consultant]` and the premium of
/// `[pay]` from their current job plan document, then one `[[year]]` per annual review, each
/// counted for the anniversary on or after the year end it records (the latest review of an
/// anniversary wins). Years before the last reviewed one with no review on record have no criteria
/// recorded, so they do not count (progression is not automatic), and are listed in
/// [`Built::not_recorded`]. The starting point is left to PP-2 (the start
/// of the scale) or, after a transfer, TR-1: the job plan's point is the current one, not the
/// starting one. Errors are the career document's own, in words.
pub fn career_document(
    plan: &Value,
    reviews: &[ReviewYear],
    params: &Parameters,
) -> Result<Built, String> {
    let consultant = plan
        .get("consultant")
        .cloned()
        .ok_or("the current job plan has no [consultant] table")?;
    let mut doc = json!({ "consultant": consultant });
    for key in ["recruitment_retention_premium", "existing_award"] {
        if let Some(p) = plan
            .pointer(&format!("/pay/{key}"))
            .filter(|p| !p.is_null())
        {
            doc["pay"][key] = p.clone();
        }
    }
    let parse = |doc: &Value| -> Result<CareerDocument, String> {
        let bytes = serde_json::to_vec(doc).map_err(|e| e.to_string())?;
        parse_career("the consultant's records", &bytes, Format::Json, params)
            .map_err(|e| e.to_string())
    };
    let base = parse(&doc)?;
    let anchor = base.anchor();
    let leap = params
        .leap_day_anniversary
        .at(anchor)
        .map(|e| e.value)
        .unwrap_or(params.leap_day_anniversary.entries[0].value);
    let mut notes = vec![];
    let mut annual: Vec<&ReviewYear> = reviews
        .iter()
        .filter(|y| y.review.kind == "annual")
        .collect();
    annual.sort_by_key(|y| y.review.id);
    let mut years: BTreeMap<u32, Value> = BTreeMap::new();
    for y in annual {
        let d = y.review.year_ending;
        if d <= anchor {
            notes.push(format!("The review of the year ending {} is before the pay progression dates start ({anchor}) and is left out.", long_date(&d.to_string())));
            continue;
        }
        let Some((n, ending)) = (1..=MAX_CAREER_YEARS)
            .filter_map(|n| anniversary(anchor, n, leap).map(|a| (n, a)))
            .find(|(_, a)| *a >= d)
        else {
            notes.push(format!(
                "The review of the year ending {} is beyond the timeline's reach and is left out.",
                long_date(&d.to_string())
            ));
            continue;
        };
        if ending != d {
            notes.push(format!(
                "The review recorded as ending {} counts for the year closing on the anniversary {} (thresholds fall on anniversaries, C 4.6).",
                long_date(&d.to_string()),
                long_date(&ending.to_string())
            ));
        }
        if years.insert(n, year_of(ending, y, &mut notes)).is_some() {
            notes.push(format!(
                "More than one annual review counts for the year closing on {}; the latest recorded is used.",
                long_date(&ending.to_string())
            ));
        }
    }
    let mut not_recorded = vec![];
    let last = years.keys().next_back().copied().unwrap_or(0);
    let mut list = Vec::with_capacity(last as usize);
    for n in 1..=last {
        match years.remove(&n) {
            Some(y) => list.push(y),
            None => {
                let ending =
                    anniversary(anchor, n, leap).ok_or("an anniversary is out of range")?;
                not_recorded.push(ending);
                list.push(json!({ "ending": ending.to_string() }));
            }
        }
    }
    if !list.is_empty() {
        doc["year"] = Value::Array(list);
    }
    Ok(Built {
        document: parse(&doc)?,
        notes,
        not_recorded,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use tenpa_rules::progression::EventKind;
    use tenpa_rules::timeline;
    fn params() -> Parameters {
        Parameters::embedded().clone()
    }

    fn plan() -> Value {
        json!({
            "consultant": {
                "id": "c-1", "name": "Dr A", "first_appointed": "2004-09-01",
                "nation": "england", "private_practice": false, "opt_out_48h": false
            },
            "pay": { "point": 1, "cea_level": 0 }
        })
    }

    fn review(id: i64, ending: &str, met: bool) -> Review {
        Review {
            id,
            consultant_id: "c-1".into(),
            kind: "annual".into(),
            year_ending: ending.parse().unwrap(),
            met_time_and_service: true,
            met_objectives_or_reasonable_effort: met,
            took_part_in_appraisal_and_job_planning: true,
            worked_towards_service_changes: true,
            outside_remunerated_work: Default::default(),
            exempted_outside_work: vec![],
            outside_work_consulted: None,
            private_practice_increased: false,
            notes: String::new(),
            created_by: String::new(),
            created_at: String::new(),
        }
    }

    fn step(step: &str, outcome: Option<&str>, reason: &str, at: &str) -> Step {
        Step {
            version: 1,
            step: step.into(),
            status: CaseStatus::Reported,
            outcome: outcome.map(str::to_string),
            reason: reason.into(),
            created_by: String::new(),
            created_at: format!("{at}T10:00:00.000Z"),
        }
    }

    fn case(id: i64, status: &str, outcome: Option<&str>) -> Case {
        Case {
            id,
            consultant_id: "c-1".into(),
            department_id: 1,
            review_id: id,
            status: CaseStatus::parse(status).expect("a case state"),
            outcome: outcome.map(str::to_string),
            version: 1,
            updated_at: String::new(),
        }
    }

    #[test]
    fn no_reviews_make_a_career_of_projected_years() {
        let b = career_document(&plan(), &[], &params()).unwrap();
        assert!(b.document.years.is_empty());
        assert!(b.not_recorded.is_empty());
        assert!(
            b.document.pay.is_none(),
            "the current point is not the start"
        );
    }

    /// Source: F 3(c), C 4.3 (PP-1): progression is not automatic, so a year with no review on
    /// record is not recorded, not satisfactory.
    #[test]
    fn reviews_become_years_on_anniversaries_with_gaps_not_recorded() {
        let r2 = review(2, "2006-09-01", false);
        let r3 = review(3, "2007-06-30", true);
        let interim = Review {
            kind: "interim".into(),
            ..review(4, "2005-09-01", false)
        };
        let ys = [
            ReviewYear {
                review: &r2,
                case: None,
                criteria: None,
            },
            ReviewYear {
                review: &r3,
                case: None,
                criteria: None,
            },
            ReviewYear {
                review: &interim,
                case: None,
                criteria: None,
            },
        ];
        let b = career_document(&plan(), &ys, &params()).unwrap();
        let endings: Vec<String> = b
            .document
            .years
            .iter()
            .map(|y| y.ending.to_string())
            .collect();
        assert_eq!(endings, ["2005-09-01", "2006-09-01", "2007-09-01"]);
        assert_eq!(
            b.not_recorded,
            [NaiveDate::from_ymd_opt(2005, 9, 1).unwrap()]
        );
        assert_eq!(
            b.document.years[0].met_objectives_or_reasonable_effort, None,
            "an interim review is not a year: the year records nothing"
        );
        assert_eq!(
            b.document.years[1].met_objectives_or_reasonable_effort,
            Some(false)
        );
        assert!(b
            .notes
            .iter()
            .any(|n| n.contains("30 June 2007") && n.contains("1 September 2007")));
        let career = timeline(&b.document, &params(), None).unwrap();
        assert!(career.events.iter().any(|e| e.kind == EventKind::Deferred));
        // The year with no review does not count: the first threshold waits for a counted year.
        let first = &career.years[0];
        assert!(!first.satisfactory && !first.counted, "{first:?}");
        assert_eq!(first.not_recorded.len(), 4, "{first:?}");
        assert_eq!(career.events[1].kind, EventKind::Deferred);
        assert!(career
            .findings
            .iter()
            .any(|f| f.rule == "PP-1" && f.message.contains("2005-09-01")));
    }

    /// Source: F 3(c) (PP-1), D 3.6-3.7 (PRV-2), F 3(e) (PP-2): the timeline takes the six
    /// criteria as the case judges them, so a year with all four A 9.4 criteria met but no
    /// disclosure counts only by the decision's discretion.
    #[test]
    fn the_timeline_follows_the_cases_six_criteria() {
        let r = review(1, "2005-09-01", true);
        let decided = (
            case(1, "closed", Some("progress")),
            vec![step(
                "decide",
                Some("progress"),
                "Disclosure made late.",
                "2005-10-01",
            )],
        );
        let judged = crate::service::criteria::judge(
            &r,
            NaiveDate::from_ymd_opt(2005, 9, 1).unwrap(),
            None,
            &[],
            &[],
            true,
            &params(),
        );
        assert_eq!(judged.failed, ["met_private_practice_standards"]);
        let ys = [ReviewYear {
            review: &r,
            case: Some(&decided),
            criteria: Some(&judged),
        }];
        let b = career_document(&plan(), &ys, &params()).unwrap();
        let y = &b.document.years[0];
        assert_eq!(y.met_private_practice_standards, Some(false));
        assert_eq!(y.offered_spare_capacity, Some(true));
        assert_eq!(y.employer_discretion, "Disclosure made late.");
        let career = timeline(&b.document, &params(), None).unwrap();
        assert_eq!(career.years[0].failed, ["met_private_practice_standards"]);
        assert!(career.years[0].counted);
    }

    #[test]
    fn decisions_and_appeals_from_the_case() {
        let r1 = review(1, "2005-09-01", false);
        let r2 = review(2, "2006-09-01", false);
        let allowed = (
            case(1, "closed", Some("progress")),
            vec![step(
                "decide",
                Some("progress"),
                "Theatre closures outside their control.",
                "2005-10-01",
            )],
        );
        let appealed = (
            case(2, "closed", Some("progress")),
            vec![
                step("decide", Some("defer"), "Objectives not met.", "2006-10-01"),
                step("appeal", None, "Rota gaps.", "2006-10-10"),
                step("decide_appeal", Some("progress"), "Upheld.", "2006-11-20"),
            ],
        );
        let ys = [
            ReviewYear {
                review: &r1,
                case: Some(&allowed),
                criteria: None,
            },
            ReviewYear {
                review: &r2,
                case: Some(&appealed),
                criteria: None,
            },
        ];
        let b = career_document(&plan(), &ys, &params()).unwrap();
        assert_eq!(
            b.document.years[0].employer_discretion,
            "Theatre closures outside their control."
        );
        let a = b.document.years[1].appeal.as_ref().unwrap();
        assert_eq!(a.outcome, tenpa_rules::plan::AppealOutcome::Upheld);
        assert_eq!(a.lodged.to_string(), "2006-10-10");
        assert_eq!(
            a.decided.map(|d| d.to_string()).as_deref(),
            Some("2006-11-20")
        );
        assert!(b.document.years[1].employer_discretion.is_empty());
    }

    #[test]
    fn a_review_before_the_start_is_left_out_and_a_plan_without_consultant_refused() {
        let r = review(1, "2003-01-01", true);
        let b = career_document(
            &plan(),
            &[ReviewYear {
                review: &r,
                case: None,
                criteria: None,
            }],
            &params(),
        )
        .unwrap();
        assert!(b.document.years.is_empty());
        assert_eq!(b.notes.len(), 1);
        assert!(career_document(&json!({}), &[], &params()).is_err());
    }
}
