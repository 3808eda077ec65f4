//! The six criteria of PP-1 for the year a progression case is about: the four of A 9.4 that the
//! manager's review records, spare capacity (PP-4, from the extra-PA offers answered in the year and
//! the outside work the review records) and the private practice standards (PRV-2, from the
//! disclosures). The rules are the rules library's (`progression::failed_criteria`,
//! `spare_capacity`, `non_exempt_work`, `offer_defect`, `expected_pas`) and PRV-2's check in
//! [`crate::service::disclosures::findings`]; this module only gathers the records they read.

use crate::error::ApiResult;
use crate::service::disclosures;
use crate::service::extra_pa_offers::read_offer;
use crate::AppState;
use chrono::{Months, NaiveDate};
use serde::Serialize;
use tenpa_rules::finding::{Finding, Findings};
use tenpa_rules::plan::{Consultant, ExtraPaOffer, OutsideWorkPolicy, Year};
use tenpa_rules::private_practice::PRV_2;
use tenpa_rules::progression::{
    anniversary, check_consulted, expectation_note, expected_pas, failed_criteria, non_exempt_work,
    nothing_to_disclose, offer_defect, spare_capacity, two_pa_rule_years, CRITERIA, PP_1,
    PP_1_NO_PRIVATE_PRACTICE, PP_4,
};
use tenpa_rules::rule::Rule;
use tenpa_rules::Parameters;
use tenpa_store::{ConsultantRecord, Disclosure, Review, Scope};
use utoipa::ToSchema;

/// One criterion of PP-1 and whether the year met it.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct Criterion {
    /// Its name, as in the career document's `[[year]]`.
    pub criterion: &'static str,
    /// In words.
    pub label: &'static str,
    /// The rule that decides it: `PP-1` (A 9.4, recorded by the review), `PP-4` or `PRV-2`.
    pub rule: &'static str,
    /// The rule's citation.
    pub citation: &'static str,
    /// Whether it was met.
    pub met: bool,
    /// Why not, when not; for PP-4 and PRV-2 also what it was judged from.
    pub reason: String,
}

/// The six criteria of PP-1 for one year under review.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct YearCriteria {
    /// The first day of the year (12 months before its end).
    pub year_starting: String,
    /// The end of the year, as the review records it.
    pub year_ending: String,
    /// The six criteria in PP-1's order.
    pub criteria: Vec<Criterion>,
    /// The names of the criteria not met: progress then needs the employer's discretion with a
    /// recorded reason (PP-2).
    pub failed: Vec<&'static str>,
    /// What else PP-4 and PP-5 found on the way (offers above the expectation, exempted work).
    #[schema(value_type = Vec<Object>)]
    pub findings: Vec<Finding>,
}

impl YearCriteria {
    /// Whether the criterion named `name` was met.
    pub fn met(&self, name: &str) -> bool {
        self.criteria
            .iter()
            .find(|c| c.criterion == name)
            .is_none_or(|c| c.met)
    }

    /// The failed criteria in words with their rule ids: "private practice standards (PRV-2)".
    pub fn failed_words(&self) -> String {
        self.criteria
            .iter()
            .filter(|c| !c.met)
            .map(|c| format!("{} ({})", c.label.to_lowercase(), c.rule))
            .collect::<Vec<_>>()
            .join(", ")
    }
}

const LABELS: [&str; 6] = [
    "Time and service commitments",
    "Personal objectives",
    "Appraisal and job planning",
    "Service changes",
    "Spare capacity offered to the NHS first",
    "Private practice standards",
];

/// The records of one consultant the criteria are judged from.
pub(crate) struct Records {
    consultant: Option<Consultant>,
    /// Whether the consultant's current job plan records private practice.
    private_practice: bool,
    /// The current job plan's contracted PAs, when it has any.
    contracted_pas: Option<rust_decimal::Decimal>,
    offers: Vec<ExtraPaOffer>,
    disclosures: Vec<Disclosure>,
}

/// The rules' consultant from the stored record (first appointment, transfer), for PP-6.
fn consultant(c: &ConsultantRecord) -> Option<Consultant> {
    serde_json::from_value(serde_json::json!({
        "id": c.id, "name": c.name, "first_appointed": c.first_appointed,
        "transferred": c.transferred, "seniority_at_transfer": c.seniority_at_transfer,
    }))
    .ok()
}

impl Records {
    /// Reads a consultant's record, answered extra-PA offers and disclosures.
    pub(crate) async fn load(state: &AppState, consultant_id: &str) -> ApiResult<Records> {
        let scope = Scope::Consultant(consultant_id.to_string());
        let record = state.store.consultant(consultant_id).await?;
        let offers = state
            .store
            .extra_pa_offers(&scope, None)
            .await?
            .iter()
            .filter_map(|r| read_offer(&r.offer).ok())
            .filter(|(_, answered)| *answered)
            .map(|(o, _)| o)
            .collect();
        let disclosures = state.store.disclosures(&scope, None).await?;
        let plan = crate::service::rota_plans::current_plan(state, consultant_id).await?;
        let private_practice = plan
            .as_ref()
            .and_then(|p| {
                p.document
                    .pointer("/consultant/private_practice")?
                    .as_bool()
            })
            .unwrap_or(false);
        let contracted_pas = plan.as_ref().and_then(|p| {
            let v = p.document.pointer("/job_plan/contracted_pas")?;
            serde_json::from_value::<tenpa_rules::plan::NonNegative>(v.clone())
                .ok()
                .map(|n| n.0)
        });
        Ok(Records {
            consultant: record.as_ref().and_then(consultant),
            private_practice,
            contracted_pas,
            offers,
            disclosures,
        })
    }

    /// The six criteria of the year `review` closes.
    pub(crate) fn judge(&self, review: &Review, params: &Parameters) -> ApiResult<YearCriteria> {
        let ending = review.year_ending;
        let mut judged = judge(
            review,
            ending,
            self.consultant.as_ref(),
            &self.offers,
            &self.disclosures,
            self.private_practice,
            params,
        );
        // PRV-1 (F 6(f)): private practice increased after transfer, on the current plan's PAs.
        if let (Some(c), Some(pas)) = (self.consultant.as_ref(), self.contracted_pas) {
            let full_time = params
                .full_time_pas
                .value(ending)
                .copied()
                .unwrap_or(rust_decimal::Decimal::TEN);
            let mut f = Findings(std::mem::take(&mut judged.findings));
            tenpa_rules::private_practice::check_increase_after_transfer(
                c.transferred.is_some(),
                review.private_practice_increased,
                pas,
                full_time,
                ending,
                &mut f,
            );
            judged.findings = f.0;
        }
        Ok(judged)
    }
}

/// PP-4 for the year `[starting, ending)`: (met, reason), with PP-4's and PP-5's notes in `f`.
fn spare(
    review: &Review,
    starting: NaiveDate,
    ending: NaiveDate,
    c: Option<&Consultant>,
    offers: &[ExtraPaOffer],
    params: &Parameters,
    f: &mut Findings,
) -> (bool, String) {
    let policy = OutsideWorkPolicy {
        exempted_categories: review.exempted_outside_work.clone(),
    };
    let outside = non_exempt_work(&review.outside_remunerated_work, Some(&policy), ending, f);
    check_consulted(outside.as_deref(), review.outside_work_consulted, ending, f);
    let anchor = c.map_or(ending, |c| c.transferred.unwrap_or(c.first_appointed));
    let Ok(share) = params
        .spare_capacity_pas
        .value(anchor)
        .or_else(|_| params.spare_capacity_pas.value(ending))
    else {
        return (
            true,
            format!("no spare-capacity parameter is in force on {ending}: PP-4 cannot apply"),
        );
    };
    // The year of the career the review's year falls in (the anniversary on or after its end).
    let leap = params
        .leap_day_anniversary
        .at(anchor)
        .map(|e| e.value)
        .unwrap_or(params.leap_day_anniversary.entries[0].value);
    let k = (1..=tenpa_rules::progression::MAX_CAREER_YEARS)
        .find(|n| anniversary(anchor, *n, leap).is_none_or(|a| a >= ending))
        .unwrap_or(1);
    let (expected, note): (_, Box<dyn Fn() -> String>) = match c {
        Some(c) => {
            let two = two_pa_rule_years(c, params);
            (
                expected_pas(k, two, share),
                Box::new(move || expectation_note(k, two, c, None)),
            )
        }
        None => (
            share.pas,
            Box::new(|| "no consultant record says whether the 2-PA rule applies, PP-6".into()),
        ),
    };
    let correct: Vec<bool> = offers
        .iter()
        .map(|o| {
            params
                .extra_pa_notice
                .value(o.offered_on.max(anchor))
                .is_ok_and(|n| offer_defect(o, n).is_none())
        })
        .collect();
    let v = spare_capacity(
        starting,
        ending,
        offers,
        &correct,
        expected,
        outside.as_deref(),
        &*note,
        f,
    );
    let reason = if !v.offered {
        v.reason
    } else {
        match outside {
            None => "no remunerated clinical work outside the NHS contract that is not exempt is recorded for the year".to_string(),
            Some(work) => format!("outside work ({work}) is recorded, but no extra PAs correctly offered within what the consultant is expected to accept were declined in the year"),
        }
    };
    (v.offered, reason)
}

/// PRV-2 at the year end: (met, reason, rule) from the latest disclosure on or before it; for a
/// consultant whose job plan records no private practice, met with nothing to disclose (PP-1's
/// `nothing_to_disclose`), whatever the disclosures.
fn private_practice(
    disclosures: &[Disclosure],
    ending: NaiveDate,
    has_private_practice: bool,
    params: &Parameters,
) -> (bool, String, Rule) {
    // Newest first, so the first on or before the year end is the latest then.
    let latest = disclosures.iter().find(|d| d.disclosed_on <= ending);
    if let Some(met) = nothing_to_disclose(has_private_practice) {
        let reason = match latest {
            None => "the consultant's job plan records no private practice: there is nothing to disclose, so no disclosure is needed".to_string(),
            Some(d) => format!("the consultant's job plan records no private practice: there is nothing to disclose (latest disclosure {})", d.disclosed_on),
        };
        return (met, reason, PP_1_NO_PRIVATE_PRACTICE);
    }
    // A stored date that cannot be read, or no interval in force, cannot count as disclosed.
    let met = disclosures::findings(params, latest, ending).is_ok_and(|f| f.is_empty());
    let months = params
        .disclosure_interval
        .value(ending)
        .map_or(12, |i| i.months);
    let reason = match (latest, met) {
        (None, _) => format!("no private practice disclosure was made on or before the year ending ({ending}); disclosure is due at least annually, including that there is none (D 3.6-3.7)"),
        (Some(d), false) => format!("the latest disclosure on or before the year ending ({ending}) was made on {}, more than {months} months before it (D 3.7: at least annually)", d.disclosed_on),
        (Some(d), true) => format!("disclosed on {}, within the {months} months before the year end", d.disclosed_on),
    };
    (met, reason, PRV_2)
}

/// The six criteria of PP-1 for the year `review` closes on `ending`.
pub fn judge(
    review: &Review,
    ending: NaiveDate,
    c: Option<&Consultant>,
    offers: &[ExtraPaOffer],
    disclosures: &[Disclosure],
    has_private_practice: bool,
    params: &Parameters,
) -> YearCriteria {
    let starting = ending.checked_sub_months(Months::new(12)).unwrap_or(ending);
    let mut f = Findings::default();
    let (spare_met, spare_reason) = spare(review, starting, ending, c, offers, params, &mut f);
    let (prv_met, prv_reason, prv_rule) =
        private_practice(disclosures, ending, has_private_practice, params);
    let year = Year {
        ending,
        met_time_and_service: Some(review.met_time_and_service),
        met_objectives_or_reasonable_effort: Some(review.met_objectives_or_reasonable_effort),
        took_part_in_appraisal_and_job_planning: Some(
            review.took_part_in_appraisal_and_job_planning,
        ),
        worked_towards_service_changes: Some(review.worked_towards_service_changes),
        offered_spare_capacity: Some(spare_met),
        met_private_practice_standards: Some(prv_met),
        employer_discretion: String::new(),
        outside_remunerated_work: review.outside_remunerated_work.clone(),
        consulted_employer_on_outside_work: review.outside_work_consulted,
        private_practice_increased: review.private_practice_increased,
        contracted_pas: None,
        appeal: None,
    };
    let failed = failed_criteria(&year, spare_met, Some(prv_met));
    let criteria = CRITERIA
        .iter()
        .zip(LABELS)
        .enumerate()
        .map(|(i, ((name, failing), label))| {
            let met = !failed.contains(name);
            let (rule, reason) = match i {
                4 => (PP_4, spare_reason.clone()),
                5 => (prv_rule, prv_reason.clone()),
                _ => (
                    PP_1,
                    if met {
                        String::new()
                    } else {
                        failing.to_string()
                    },
                ),
            };
            Criterion {
                criterion: name,
                label,
                rule: rule.id,
                citation: rule.citation,
                met,
                reason,
            }
        })
        .collect();
    YearCriteria {
        year_starting: starting.to_string(),
        year_ending: ending.to_string(),
        criteria,
        failed,
        findings: f.0,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use tenpa_rules::plan::OutsideWork;

    fn params() -> Parameters {
        Parameters::embedded().clone()
    }

    fn review(outside: OutsideWork, exempted: &[&str]) -> Review {
        Review {
            id: 1,
            consultant_id: "c-1".into(),
            kind: "annual".into(),
            year_ending: "2025-09-01".parse().unwrap(),
            met_time_and_service: true,
            met_objectives_or_reasonable_effort: true,
            took_part_in_appraisal_and_job_planning: true,
            worked_towards_service_changes: true,
            outside_remunerated_work: outside,
            exempted_outside_work: exempted.iter().map(|s| s.to_string()).collect(),
            outside_work_consulted: None,
            private_practice_increased: false,
            notes: String::new(),
            created_by: String::new(),
            created_at: String::new(),
        }
    }

    fn disclosure(on: &str) -> Disclosure {
        Disclosure {
            id: 1,
            consultant_id: "c-1".into(),
            department_id: 1,
            disclosed_on: on.parse().unwrap(),
            commitments: "None.".into(),
            created_by: "x".into(),
            created_at: "x".into(),
        }
    }

    fn offer(json: serde_json::Value) -> ExtraPaOffer {
        serde_json::from_value(json).unwrap()
    }

    fn new_consultant(first: &str) -> Consultant {
        serde_json::from_value(serde_json::json!({ "id": "c-1", "first_appointed": first }))
            .unwrap()
    }

    fn ending() -> NaiveDate {
        NaiveDate::from_ymd_opt(2025, 9, 1).unwrap()
    }

    /// Source: D 3.6-3.7 (PRV-2), F 3(c) (PP-1): the disclosure must be within the 12 months
    /// before the year end; a later one does not count for the year.
    #[test]
    fn the_disclosure_is_judged_at_the_year_end() {
        let r = review(OutsideWork::None, &[]);
        let p = params();
        let at = |d: &[Disclosure]| judge(&r, ending(), None, &[], d, true, &p);
        assert_eq!(at(&[]).failed, ["met_private_practice_standards"]);
        assert!(at(&[disclosure("2024-09-01")]).failed.is_empty());
        assert_eq!(
            at(&[disclosure("2024-08-31")]).failed,
            ["met_private_practice_standards"]
        );
        // Newest first: one after the year end is passed over for the one before it.
        let y = at(&[disclosure("2025-10-01"), disclosure("2024-06-01")]);
        assert!(!y.met("met_private_practice_standards"));
        assert!(y.criteria[5].reason.contains("2024-06-01"), "{y:?}");
        assert_eq!((y.criteria[5].rule, y.criteria[4].rule), ("PRV-2", "PP-4"));
    }

    /// Source: F 6(c)-(e) (PP-4): a correctly offered PA declined in the year, then outside work
    /// that is not exempt, fails the year; exempted work, or an offer outside the year, does not.
    #[test]
    fn spare_capacity_from_offers_and_outside_work() {
        let p = params();
        let d = [disclosure("2025-01-01")];
        let declined = offer(
            serde_json::json!({ "offered_on": "2025-01-06", "starts_on": "2025-04-07",
            "pas": 1, "response": "declined", "responded_on": "2025-01-20" }),
        );
        // Transferred: 1 PA expected, and 1 PA declined.
        let c: Consultant = serde_json::from_value(serde_json::json!({ "id": "c-1",
            "first_appointed": "1995-09-01", "transferred": "2004-09-01", "seniority_at_transfer": 9 }))
        .unwrap();
        let work = OutsideWork::Categories(vec!["independent_sector".into()]);
        let y = judge(
            &review(work.clone(), &[]),
            ending(),
            Some(&c),
            std::slice::from_ref(&declined),
            &d,
            true,
            &p,
        );
        assert_eq!(y.failed, ["offered_spare_capacity"]);
        assert!(y.criteria[4].reason.contains("independent_sector"), "{y:?}");
        assert_eq!(
            y.failed_words(),
            "spare capacity offered to the nhs first (PP-4)"
        );
        let exempt = judge(
            &review(work.clone(), &["independent_sector"]),
            ending(),
            Some(&c),
            std::slice::from_ref(&declined),
            &d,
            true,
            &p,
        );
        assert!(exempt.failed.is_empty());
        assert_eq!(exempt.findings[0].rule, "PP-4");
        let no_work = judge(
            &review(OutsideWork::None, &[]),
            ending(),
            Some(&c),
            std::slice::from_ref(&declined),
            &d,
            true,
            &p,
        );
        assert!(no_work.failed.is_empty());
        let later = judge(
            &review(work, &[]),
            NaiveDate::from_ymd_opt(2026, 9, 1).unwrap(),
            Some(&c),
            &[declined],
            &[disclosure("2026-01-01")],
            true,
            &p,
        );
        assert!(later.failed.is_empty(), "{later:?}");
    }

    /// Source: F 6(c) (PP-5), F 6(d) (PP-6): an offer at short notice does not count, and a
    /// 2-PA offer declined counts only while the 2-PA rule applies.
    #[test]
    fn only_correct_offers_within_the_expectation_count() {
        let p = params();
        let d = [disclosure("2025-01-01")];
        let work = OutsideWork::Unspecified;
        let short = offer(
            serde_json::json!({ "offered_on": "2025-01-06", "starts_on": "2025-02-03",
            "pas": 1, "response": "declined" }),
        );
        let y = judge(
            &review(work.clone(), &[]),
            ending(),
            Some(&new_consultant("2020-09-01")),
            &[short],
            &d,
            true,
            &p,
        );
        assert!(y.failed.is_empty(), "{y:?}");
        let two = offer(
            serde_json::json!({ "offered_on": "2025-01-06", "starts_on": "2025-04-07",
            "pas": 2, "response": "declined" }),
        );
        // Year 5 of a post offered in 2020: the 2-PA rule applies (first 7 years).
        let first_phase = judge(
            &review(work.clone(), &[]),
            ending(),
            Some(&new_consultant("2020-09-01")),
            std::slice::from_ref(&two),
            &d,
            true,
            &p,
        );
        assert_eq!(first_phase.failed, ["offered_spare_capacity"]);
        // Year 16: only 1 PA is expected, so declining 2 does not fail the year.
        let later = judge(
            &review(work, &[]),
            ending(),
            Some(&new_consultant("2009-09-01")),
            &[two],
            &d,
            true,
            &p,
        );
        assert!(later.failed.is_empty(), "{later:?}");
        assert_eq!(later.findings[0].rule, "PP-4");
    }

    /// Source: A 9.4 (PP-1): the review's four criteria are the first four of the six.
    #[test]
    fn the_reviews_criteria_come_first() {
        let mut r = review(OutsideWork::None, &[]);
        r.worked_towards_service_changes = false;
        let y = judge(
            &r,
            ending(),
            None,
            &[],
            &[disclosure("2025-01-01")],
            true,
            &params(),
        );
        assert_eq!(y.failed, ["worked_towards_service_changes"]);
        assert_eq!(y.criteria[3].rule, "PP-1");
        assert!(!y.criteria[3].reason.is_empty());
        assert_eq!(y.year_starting, "2024-09-01");
    }

    /// Source: D 3.6 (PP-1): a consultant whose job plan records no private practice has nothing
    /// to disclose, so no disclosure (no nil return) does not fail the criterion; one with private
    /// practice and no disclosure does.
    /// Source: F 6(c) (PP-4): outside work taken up without first consulting the employer is a
    /// warning among the year's findings; consulted, or exempt, it is not.
    #[test]
    fn outside_work_without_consulting_the_employer_is_a_warning() {
        let p = params();
        let work = OutsideWork::Categories(vec!["independent_sector".into()]);
        let warned = |r: &Review| {
            judge(r, ending(), None, &[], &[], true, &p)
                .findings
                .iter()
                .any(|f| {
                    f.rule == "PP-4"
                        && f.citation == "F 6(c)"
                        && f.message.contains("without first consulting")
                })
        };
        let mut r = review(work.clone(), &[]);
        assert!(!warned(&r), "not recorded: no warning");
        r.outside_work_consulted = Some(false);
        assert!(warned(&r));
        r.outside_work_consulted = Some(true);
        assert!(!warned(&r));
        let mut exempt = review(work, &["independent_sector"]);
        exempt.outside_work_consulted = Some(false);
        assert!(
            !warned(&exempt),
            "exempted work is outside these arrangements (F 6(e))"
        );
    }

    #[test]
    fn without_private_practice_there_is_nothing_to_disclose() {
        let r = review(OutsideWork::None, &[]);
        let p = params();
        let none = judge(&r, ending(), None, &[], &[], false, &p);
        assert!(none.failed.is_empty(), "{none:?}");
        assert_eq!(
            (none.criteria[5].rule, none.criteria[5].citation),
            ("PP-1", "D 3.6")
        );
        assert!(none.criteria[5].reason.contains("nothing to disclose"));
        let with = judge(&r, ending(), None, &[], &[], true, &p);
        assert_eq!(with.failed, ["met_private_practice_standards"]);
        assert_eq!(with.criteria[5].rule, "PRV-2");
    }
}
