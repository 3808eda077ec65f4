//! Private practice and contract type in one job plan (PRV-1; F 7, F 6(f), D 2.1).

use crate::finding::Findings;
use crate::money::Figure;
use crate::parameters::PartTimeLimits;
use crate::plan::JobPlanDocument;
use crate::rule::Rule;
use chrono::NaiveDate;
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
