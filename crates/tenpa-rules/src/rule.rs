//! Rule identities: every rule implemented in this crate has one constant, defined just above the
//! function that implements it, naming its id in `contract-rules.md` and the source paragraphs.

use serde::Serialize;

/// A rule of the contract as this project reads it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct Rule {
    /// The id in `contract-rules.md` (`OC-6`).
    pub id: &'static str,
    /// The source paragraphs (`F 4(f)-(k), B 7.8-7.13`).
    pub citation: &'static str,
    /// A short title.
    pub title: &'static str,
}

/// Every rule constant, in the order of `contract-rules.md`. Exceptions share their base rule's id.
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
        cea::CEA_2,
        cea::CEA_3,
        cea::CEA_4,
        prv::PRV_1,
        prv::PRV_1_EXCEPTION,
        crate::job_planning::JP_1,
        crate::job_planning::JP_4,
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
