//! Rule identities: every rule implemented in this crate has one constant, defined just above the
//! function that implements it, naming its id (listed in `docs/rules.md`) and the source paragraphs.

use serde::Serialize;

/// A rule of the contract as this project reads it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct Rule {
    /// The id, as `docs/rules.md` lists it (`OC-6`).
    pub id: &'static str,
    /// The source paragraphs (`F 4(f)-(k), B 7.8-7.13`).
    pub citation: &'static str,
    /// A short title.
    pub title: &'static str,
}

/// Every rule constant, in the order of `docs/rules.md`. Exceptions share their base rule's id.
pub fn all() -> Vec<Rule> {
    use crate::{
        excellence_awards as cea, on_call as oc, out_of_hours as ooh, pay, private_practice as prv,
        working_week as ww,
    };
    use crate::{progression as pp, transition as tr};
    vec![
        ww::WW_1,
        ww::WW_2,
        ww::WW_3,
        ww::WW_3_PUBLIC_HOLIDAYS,
        ww::WW_4,
        ww::WW_4_LOCAL_VARIATION,
        ww::WW_5,
        ww::WW_6,
        ww::WW_7,
        ww::WW_8,
        ww::WW_9,
        ooh::OOH_1,
        ooh::OOH_2,
        ooh::OOH_3,
        ooh::OOH_4,
        ooh::OOH_5,
        oc::OC_1,
        oc::OC_2,
        oc::OC_3,
        oc::OC_4,
        oc::OC_5,
        oc::OC_6,
        oc::OC_7,
        oc::OC_8,
        oc::OC_9,
        crate::population::OC_10,
        pay::PAY_1,
        pay::PAY_2,
        pay::PAY_3,
        pay::PAY_4,
        pay::PAY_5,
        // Pay progression and transition.
        pp::PP_1,
        pp::PP_1_NO_PRIVATE_PRACTICE,
        pp::PP_2,
        pp::PP_2_DISCRETION,
        pp::PP_3,
        pp::PP_3_APPEAL,
        pp::PP_4,
        pp::PP_4_EXEMPTION,
        pp::PP_5,
        pp::PP_6,
        tr::TR_1,
        tr::TR_2,
        tr::TR_3,
        tr::TR_4,
        tr::TR_4_EXTRA_PAS,
        tr::TR_5,
        cea::CEA_1,
        cea::CEA_1_MULTIPLE_AWARDS,
        cea::CEA_2,
        cea::CEA_3,
        cea::CEA_4,
        prv::PRV_1,
        prv::PRV_1_EXCEPTION,
        prv::PRV_2,
        prv::PRV_3,
        prv::PRV_4,
        prv::PRV_5,
        crate::job_planning::JP_1,
        crate::job_planning::JP_1_TWO_SIDES,
        crate::job_planning::JP_2,
        crate::job_planning::JP_3,
        crate::job_planning::JP_4,
        crate::job_planning::JP_5,
        crate::job_planning::JP_5_OTHER_ARRANGEMENT,
        crate::job_planning::JP_5_CLINICAL_ACADEMIC,
        crate::job_planning::PP_3_DECISIONS,
        crate::board_competency::BC_1,
        crate::board_competency::BC_2,
        crate::pec::PEC_1,
        crate::pec::PEC_2,
        crate::pec::PEC_3,
        crate::pec::PEC_4,
    ]
}

/// The rule with this id (the base rule where an exception shares it).
pub fn by_id(id: &str) -> Option<Rule> {
    all().into_iter().find(|r| r.id == id)
}

/// The rules that share an id with one of [`all`] but cite their own paragraphs: a finding may
/// name one.
fn exceptions() -> [Rule; 9] {
    use crate::{excellence_awards as cea, on_call as oc, private_practice as prv};
    [
        cea::CEA_3_EXISTING,
        cea::CEA_3_UPDATED,
        oc::OC_7_CONTACTABLE,
        crate::pec::PEC_4_COMMISSIONING,
        crate::progression::PP_4_CONSULT,
        prv::PRV_1_REVIEW,
        crate::transition::TR_5_OTHER_DUTIES,
        crate::working_week::WW_8_EXTERNAL,
        crate::working_week::WW_8_LEAVE,
    ]
}

/// The rule with this id and citation, or the rule with this id when none has both (a finding's
/// rule read back from a stored assessment).
pub fn by_id_and_citation(id: &str, citation: &str) -> Option<Rule> {
    let rules: Vec<Rule> = all().into_iter().chain(exceptions()).collect();
    let exact = rules.iter().find(|r| r.id == id && r.citation == citation);
    exact.or_else(|| rules.iter().find(|r| r.id == id)).copied()
}

/// The parameter files (paths relative to the parameter directory, as in
/// [`crate::parameters::EMBEDDED`]) whose dated values a rule applies. A rule that applies no
/// parameter has none.
pub fn parameters_of(id: &str) -> &'static [&'static str] {
    match id {
        "WW-1" => &[
            "working_week/full_time_pas.toml",
            "working_week/pa_hours.toml",
            "working_week/max_activity_hours.toml",
        ],
        "WW-3" => &[
            "working_week/plain_time.toml",
            "working_week/public_holidays.toml",
        ],
        "WW-4" => &[
            "working_week/minimums.toml",
            "progression/leap_day_anniversary.toml",
        ],
        "WW-6" => &["working_week/wtr_max_weekly_hours.toml"],
        "WW-8" => &["working_week/study_leave.toml"],
        "WW-9" => &["working_week/contracted_pas_tolerance.toml"],
        "OOH-1" => &["out_of_hours/recognition_in_force.toml"],
        "OOH-2" => &[
            "out_of_hours/time_form.toml",
            "out_of_hours/premium_steps.toml",
            "working_week/pa_hours.toml",
        ],
        "OOH-3" => &["out_of_hours/premium_needs_mutual_agreement.toml"],
        "OOH-4" => &[
            "out_of_hours/premium_steps.toml",
            "out_of_hours/rest_hours.toml",
        ],
        "OC-2" => &["out_of_hours/time_form.toml", "working_week/pa_hours.toml"],
        "OC-3" => &[
            "on_call/emergency_cap_pas.toml",
            "on_call/excess_warning_pas.toml",
        ],
        "OC-4" => &["on_call/minimum_weekly_hours.toml"],
        "OC-5" => &["on_call/allocation_cycle_weeks.toml"],
        "OC-6" => &[
            "on_call/availability_supplement.toml",
            "on_call/part_time_supplement_pro_rata.toml",
        ],
        "OC-9" => &["on_call/recall_review.toml", "on_call/rare_calls.toml"],
        "OC-10" => &["on_call/funding_target.toml"],
        "PAY-1" => &["pay/scale.toml"],
        "PAY-2" => &[
            "pay/scale.toml",
            "pay/general_award.toml",
            "pay/inflation_assumption.toml",
        ],
        "PAY-3" => &["working_week/full_time_pas.toml"],
        "PAY-4" => &["pay/recruitment_retention_premium.toml"],
        "PP-2" => &["progression/threshold_intervals.toml"],
        "PP-3" => &["progression/leap_day_anniversary.toml"],
        "PP-4" => &["progression/spare_capacity_pas.toml"],
        "PP-5" => &["progression/extra_pa_notice.toml"],
        "PP-6" => &["progression/two_pa_rule_years.toml"],
        "JP-1" => &["job_planning/review_interval_months.toml"],
        "TR-1" => &["transition/starting_points.toml"],
        "TR-2" => &["transition/intervals.toml"],
        "TR-3" => &[
            "transition/part_time_pa_step.toml",
            "working_week/pa_hours.toml",
        ],
        "TR-4" => &["transition/maximum_part_time_phasing.toml"],
        "TR-5" => &["transition/in_transitional_period.toml"],
        "CEA-1" => &[
            "excellence_awards/levels.toml",
            "excellence_awards/multiple_awards.toml",
        ],
        "CEA-2" => &["excellence_awards/higher_awards.toml"],
        "CEA-3" => &[
            "excellence_awards/levels.toml",
            "excellence_awards/higher_awards.toml",
        ],
        "CEA-4" => &["excellence_awards/nations.toml"],
        "PRV-1" => &[
            "private_practice/part_time_limits.toml",
            "contract/in_force.toml",
        ],
        "PRV-2" => &["private_practice/disclosure_interval.toml"],
        "PRV-3" => &[
            "private_practice/changeover_minutes.toml",
            "on_call/availability_supplement.toml",
        ],
        "PEC-1" => &["pec/implementation_date.toml", "pec/professions.toml"],
        _ => &[],
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::parameters::EMBEDDED;

    #[test]
    fn every_rule_parameter_is_an_embedded_parameter_file() {
        let ids: Vec<&str> = all().iter().map(|r| r.id).collect();
        let mut mapped = 0;
        for id in &ids {
            for path in parameters_of(id) {
                assert!(
                    EMBEDDED.iter().any(|(p, _)| p == path),
                    "{id}: {path} is not a parameter file"
                );
                mapped += 1;
            }
        }
        assert!(mapped >= 30, "only {mapped} rule parameters mapped");
        assert_eq!(parameters_of("WW-3")[0], "working_week/plain_time.toml");
        assert_eq!(
            parameters_of("JP-1"),
            ["job_planning/review_interval_months.toml"]
        );
        assert!(parameters_of("JP-4").is_empty());
        assert!(parameters_of("no-such-rule").is_empty());
    }
}
