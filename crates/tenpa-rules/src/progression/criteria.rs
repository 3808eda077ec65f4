//! PP-1: a satisfactory year, criterion by criterion; PP-2: satisfactory years before each
//! threshold, and the employer's discretion.

use crate::parameters::Step;
use crate::plan::Year;
use crate::rule::Rule;
use rust_decimal::Decimal;

/// PP-1: a year is satisfactory when the consultant met the job plan's time and service
/// commitments; met its personal objectives or made every reasonable effort; took part in
/// appraisal, job planning and objective setting; worked towards the service changes agreed; offered
/// the NHS the first portion of spare capacity (PP-4); and met the private practice standards.
pub const PP_1: Rule = Rule {
    id: "PP-1",
    citation: "F 3(c), C 3.1, A 9.4",
    title: "A satisfactory year",
};

/// The six criteria: (field name in the document, what failing it means).
pub const CRITERIA: [(&str, &str); 6] = [
    (
        "met_time_and_service",
        "did not meet the time and service commitments of the job plan",
    ),
    (
        "met_objectives_or_reasonable_effort",
        "did not meet the personal objectives nor make every reasonable effort to",
    ),
    (
        "took_part_in_appraisal_and_job_planning",
        "did not take part satisfactorily in appraisal, job planning and objective setting",
    ),
    (
        "worked_towards_service_changes",
        "did not work towards the service changes agreed at the last review",
    ),
    (
        "offered_spare_capacity",
        "did not offer the NHS the first portion of spare capacity",
    ),
    (
        "met_private_practice_standards",
        "did not meet the standards for private practice",
    ),
];

/// The criteria `y` records as failed, by name; `spare` is PP-4's decision on spare capacity and
/// `private_practice` the private practice standards as [`private_practice_standards`] reads them.
pub fn failed_criteria(y: &Year, spare: bool, private_practice: Option<bool>) -> Vec<&'static str> {
    by_criterion(y, spare, private_practice, |m| m == Some(false))
}

/// The criteria `y` does not record, by name. Progression is not automatic: the Chief Executive
/// must be satisfied each criterion was met, so a year with one not recorded is not satisfactory.
pub fn unrecorded_criteria(
    y: &Year,
    spare: bool,
    private_practice: Option<bool>,
) -> Vec<&'static str> {
    by_criterion(y, spare, private_practice, |m| m.is_none())
}

fn by_criterion(
    y: &Year,
    spare: bool,
    private_practice: Option<bool>,
    pick: impl Fn(Option<bool>) -> bool,
) -> Vec<&'static str> {
    let met = [
        y.met_time_and_service,
        y.met_objectives_or_reasonable_effort,
        y.took_part_in_appraisal_and_job_planning,
        y.worked_towards_service_changes,
        Some(spare),
        private_practice,
    ];
    CRITERIA
        .iter()
        .zip(met)
        .filter(|(_, m)| pick(*m))
        .map(|((name, _), _)| *name)
        .collect()
}

/// PP-1's private practice criterion for a consultant with no private practice: the standards
/// begin with informing the employer of private commitments, and with none there is nothing to
/// disclose, so the criterion is met without a record (a nil return is not required).
pub const PP_1_NO_PRIVATE_PRACTICE: Rule = Rule {
    id: "PP-1",
    citation: "D 3.6",
    title: "No private practice, nothing to disclose",
};

/// The private practice criterion of `y`: as recorded; unrecorded, met for a consultant with no
/// private practice ([`PP_1_NO_PRIVATE_PRACTICE`]), else unknown.
pub fn private_practice_standards(y: &Year, has_private_practice: bool) -> Option<bool> {
    y.met_private_practice_standards
        .or_else(|| nothing_to_disclose(has_private_practice))
}

/// [`PP_1_NO_PRIVATE_PRACTICE`]: met when the consultant has no private practice.
pub fn nothing_to_disclose(has_private_practice: bool) -> Option<bool> {
    (!has_private_practice).then_some(true)
}

/// PP-2: a threshold needs satisfactory years since the previous one, 1 for each of the first four
/// and 5 for each of the last three; an unsatisfactory year delays progression by that year only,
/// because satisfactory years are counted, not consecutive ones.
pub const PP_2: Rule = Rule {
    id: "PP-2",
    citation: "F 3(b), F 3(d), C 4.3",
    title: "Satisfactory years before a threshold",
};

/// The thresholds of the scale above `start` (2002/03 values), each with the satisfactory years
/// it needs.
pub fn scale_schedule(start: Decimal, scale: &[Decimal], intervals: &[u32]) -> Vec<Step> {
    scale
        .iter()
        .enumerate()
        .skip(1)
        .filter(|(_, v)| **v > start)
        .map(|(i, v)| Step {
            years: intervals[(i - 1).min(intervals.len() - 1)],
            value: *v,
        })
        .collect()
}

/// PP-2 (F 3(e), C 4.4): the employer may allow progression despite an unsatisfactory year, for
/// example because of illness, with the reason recorded.
pub const PP_2_DISCRETION: Rule = Rule {
    id: "PP-2",
    citation: "F 3(e), C 4.4",
    title: "Discretion to allow progression",
};

/// The employer's recorded reason for letting an unsatisfactory year count, if any.
pub fn discretion(y: &Year) -> Option<&str> {
    (!y.employer_discretion.is_empty()).then_some(y.employer_discretion.as_str())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::parameters::Parameters;
    use crate::progression::d;

    /// Source: F 3(b), C 4.3: from the start of the scale, seven thresholds 1, 1, 1, 1, 5, 5, 5
    /// years apart; from a point between two, the next one up.
    #[test]
    fn the_scale_schedule_starts_above_the_starting_point() {
        let p = Parameters::embedded();
        let base = &p.pay_scale.entries[0].value;
        let iv = p.threshold_intervals.value(d(2004, 1, 1)).unwrap();
        let years: Vec<u32> = scale_schedule(base[0], base, iv)
            .iter()
            .map(|s| s.years)
            .collect();
        assert_eq!(years, [1, 1, 1, 1, 5, 5, 5]);
        let from_64k = scale_schedule(Decimal::from(64000), base, iv);
        assert_eq!(from_64k[0].value, Decimal::from(65000));
        assert_eq!(from_64k.len(), 7);
        assert!(scale_schedule(base[7], base, iv).is_empty());
    }
}
