//! Private practice and contract type in one job plan (PRV-1; F 7, F 6(f), D 2.1).

use crate::finding::{Finding, Findings, Severity};
use crate::money::Figure;
use crate::parameters::{LookupError, Parameters, PartTimeLimits};
use crate::plan::JobPlanDocument;
use crate::rule::Rule;
use chrono::{Months, NaiveDate};
use rust_decimal::Decimal;

/// PRV-1: contract type depends only on NHS PAs. A consultant appointed after implementation who
/// works part-time to do private practice normally has at most 6 PAs; part-time with no private
/// practice, up to 9.
pub const PRV_1: Rule = Rule {
    id: "PRV-1",
    citation: "F 7(a), F 6(f), D 2.1",
    title: "Part-time contracts and private practice",
};

/// PRV-1's exception: the employer's exceptional agreement to more PAs, recorded in the plan.
pub const PRV_1_EXCEPTION: Rule = Rule {
    id: "PRV-1",
    citation: "F 6(f)",
    title: "Exceptional agreement to more PAs",
};

/// Whether the consultant was "appointed after the date of implementation" (F 6(f)) for the
/// post this plan is for: by the plan's `appointed_to_post` when recorded, so a consultant first
/// appointed before `implemented` who takes a new post after it is bound, and one who transferred
/// in a post held before it is not; without it, by the first consultant appointment, for a
/// consultant who did not transfer.
pub fn appointed_after_implementation(doc: &JobPlanDocument, implemented: NaiveDate) -> bool {
    let c = &doc.consultant;
    match doc.job_plan.appointed_to_post {
        Some(appointed) => appointed >= implemented,
        None => c.transferred.is_none() && c.first_appointed >= implemented,
    }
}

/// Checks a part-time contract against the limits, for consultants appointed to the post on or
/// after `implemented` ([`appointed_after_implementation`]).
pub fn check_part_time(
    doc: &JobPlanDocument,
    full_time_pas: Decimal,
    limits: &PartTimeLimits,
    implemented: NaiveDate,
    f: &mut Findings,
) {
    let c = &doc.consultant;
    let pas = doc.job_plan.contracted_pas;
    if pas >= full_time_pas || !appointed_after_implementation(doc, implemented) {
        return;
    }
    if c.private_practice && pas > limits.with_private_practice {
        if doc.job_plan.private_practice_exception.trim().is_empty() {
            f.error(PRV_1, format!("a part-time contract of {} PAs for a consultant doing private practice is above the normal {}; record the employer's exceptional agreement in private_practice_exception", Figure(pas), Figure(limits.with_private_practice)));
        } else {
            exceptional_agreement(doc, pas, f);
        }
    } else if !c.private_practice && pas > limits.without_private_practice {
        f.warning(PRV_1, format!("a part-time contract of {} PAs without private practice is above the {} PAs offered for part-time work", Figure(pas), Figure(limits.without_private_practice)));
    }
}

/// PRV-1 exception: the recorded exceptional agreement makes the contract acceptable.
pub fn exceptional_agreement(doc: &JobPlanDocument, pas: Decimal, f: &mut Findings) {
    f.info(
        PRV_1_EXCEPTION,
        format!(
            "{} PAs with private practice under the employer's exceptional agreement: \"{}\"",
            Figure(pas),
            doc.job_plan.private_practice_exception.trim()
        ),
    );
}

/// PRV-2: a consultant discloses their private commitments to the employer at least annually
/// (D 3.6-3.7). A plan carries no disclosure date, so the service checks the disclosures it holds.
pub const PRV_2: Rule = Rule {
    id: "PRV-2",
    citation: "D 3.6-3.7",
    title: "Private practice disclosed at least annually",
};

/// PRV-2 on `today`, given the date of the latest disclosure on record: a warning when there is
/// none, or when it is older than the disclosure interval (12 months); nothing otherwise. The
/// disclosure is also needed before pay progression (PP-1).
pub fn disclosure_findings(
    params: &Parameters,
    latest: Option<NaiveDate>,
    today: NaiveDate,
) -> Result<Vec<Finding>, LookupError> {
    let interval = params.disclosure_interval.value(today)?;
    let message = match latest {
        None => "no private practice disclosure is on record: disclosure is due at least annually (D 3.6-3.7); it is needed before pay progression (PP-1)".to_string(),
        Some(on) => match on.checked_add_months(Months::new(interval.months)) {
            Some(due) if due >= today => return Ok(vec![]),
            _ => format!(
                "the latest private practice disclosure, on {on}, is more than {} months old: disclosure is due at least annually (D 3.6-3.7); it is needed before pay progression (PP-1)",
                interval.months
            ),
        },
    };
    Ok(vec![Finding::new(PRV_2, Severity::Warning, message)])
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Source: D 3.7 ("at least annually"): due again 12 months after the last disclosure.
    #[test]
    fn a_disclosure_is_due_again_after_the_interval() {
        let p = Parameters::embedded();
        let d = |y, m, day| NaiveDate::from_ymd_opt(y, m, day).unwrap();
        let today = d(2026, 11, 23);
        let none = disclosure_findings(p, None, today).unwrap();
        assert_eq!((none.len(), none[0].rule), (1, "PRV-2"));
        assert!(disclosure_findings(p, Some(d(2025, 11, 23)), today)
            .unwrap()
            .is_empty());
        let stale = disclosure_findings(p, Some(d(2025, 11, 22)), today).unwrap();
        assert_eq!(stale[0].severity, Severity::Warning);
        assert!(stale[0]
            .message
            .contains("on 2025-11-22, is more than 12 months old"));
    }
}
