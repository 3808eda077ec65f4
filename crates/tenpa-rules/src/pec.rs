//! Professional executive committees of primary care trusts (PEC-1 … PEC-4; the PEC guidance of
//! 30 March 2007).
//!
//! A committee document (TOML or JSON) names the PCT, its strategic health authority and the date
//! the new arrangements took effect, then one `[[member]]` per member.

use crate::finding::{Finding, Findings};
use crate::parameters::Parameters;
use crate::plan::DocumentError;
use crate::rule::Rule;
use crate::source::{line_col, suggest_field};
use chrono::NaiveDate;
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

/// A PCT's professional executive committee.
#[derive(Debug, Clone, PartialEq, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct PecDocument {
    /// The trust.
    pub pct: Pct,
    /// The members.
    #[serde(rename = "member", default)]
    pub members: Vec<Member>,
}

/// The primary care trust.
#[derive(Debug, Clone, PartialEq, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct Pct {
    /// Name.
    pub name: String,
    /// The strategic health authority overseeing it (PEC-4).
    #[serde(default)]
    pub sha: String,
    /// When the new PEC arrangements took effect; absent = not yet.
    #[serde(default)]
    pub implemented_on: Option<NaiveDate>,
    /// The committee's role in driving forward practice-based commissioning, advising and
    /// contributing to its overall direction (PEC-4).
    #[serde(default)]
    pub commissioning_role: String,
}

/// A PEC member.
#[derive(Debug, Clone, PartialEq, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct Member {
    /// Name.
    pub name: String,
    /// Role on the committee (free text, e.g. "clinical lead for commissioning").
    #[serde(default)]
    pub role: String,
    /// Profession: a key of `parameters/pec/professions.toml` (gp, nurse, pharmacist, manager, lay, …).
    pub profession: String,
    /// Whether the member sits as a clinician; defaults to the profession's.
    #[serde(default)]
    pub clinical: Option<bool>,
    /// Whether the member chairs the PEC.
    #[serde(default)]
    pub chair: bool,
    /// Competencies the member was appointed against (PEC-2).
    #[serde(default)]
    pub competencies: Vec<String>,
    /// The job description the member was appointed against (PEC-2).
    #[serde(default)]
    pub job_description: String,
    /// Appointment date.
    #[serde(default)]
    pub appointed: Option<NaiveDate>,
    /// Term in years.
    #[serde(default)]
    pub term_years: Option<u32>,
    /// An extra member added for a specific challenge (PEC-1).
    #[serde(default)]
    pub extra: bool,
    /// The challenge an extra member was added for.
    #[serde(default)]
    pub challenge: String,
}

/// PEC-1: the PCT decides the PEC's size and structure; extra members may be added for specific
/// challenges. The committee needs a chair.
pub const PEC_1: Rule = Rule {
    id: "PEC-1",
    citation: "PEC",
    title: "Size, structure, chair and extra members",
};

/// PEC-2: members are appointed against competencies and clear job descriptions.
pub const PEC_2: Rule = Rule {
    id: "PEC-2",
    citation: "PEC",
    title: "Appointment against competencies and a job description",
};

/// PEC-3: clinicians are in the majority, from a multiprofessional background, and no one clinical
/// group dominates (no single clinical profession holds a majority of the clinical seats).
pub const PEC_3: Rule = Rule {
    id: "PEC-3",
    citation: "PEC",
    title: "A clinical, multiprofessional majority",
};

/// PEC-4: the PEC drives practice-based commissioning; the SHA oversees the arrangements, which
/// apply by 1 October 2007.
pub const PEC_4: Rule = Rule {
    id: "PEC-4",
    citation: "PEC",
    title: "SHA oversight and the implementation date",
};

/// PEC-4's commissioning role: the PEC has a key role in driving forward practice-based
/// commissioning, including advising and contributing to its overall direction.
pub const PEC_4_COMMISSIONING: Rule = Rule {
    id: "PEC-4",
    citation: "PEC",
    title: "Driving practice-based commissioning",
};

/// The committee's make-up and findings.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct PecCheck {
    /// The PCT.
    pub pct: String,
    /// The SHA.
    pub sha: String,
    /// Members.
    pub members: usize,
    /// Members sitting as clinicians.
    pub clinical_members: usize,
    /// Clinical seats by profession.
    pub clinical_by_profession: BTreeMap<String, usize>,
    /// Whether the arrangements took effect by the implementation date.
    pub implemented_in_time: bool,
    /// Findings, errors first.
    pub findings: Vec<Finding>,
}

impl PecCheck {
    /// Whether any finding is an error.
    pub fn has_errors(&self) -> bool {
        self.findings
            .iter()
            .any(|f| f.severity == crate::finding::Severity::Error)
    }
}

/// Reads a committee document; `file` names it in errors.
pub fn parse_pec(
    file: &str,
    bytes: &[u8],
    toml_format: bool,
) -> Result<PecDocument, DocumentError> {
    let text = std::str::from_utf8(bytes).map_err(|e| DocumentError {
        file: file.into(),
        line: 1,
        column: 1,
        field: "(document)".into(),
        message: format!(
            "found bytes that are not UTF-8 text at byte {}",
            e.valid_up_to()
        ),
    })?;
    let fail = |line, column, field: String, mut message: String| {
        if let Some(s) = suggest_field(&message) {
            message.push_str(&format!("; did you mean `{s}`?"));
        }
        DocumentError {
            file: file.into(),
            line,
            column,
            field: if field == "." {
                "(document)".into()
            } else {
                field
            },
            message,
        }
    };
    if toml_format {
        serde_path_to_error::deserialize(toml::Deserializer::new(text)).map_err(|e| {
            let path = e.path().to_string();
            let inner = e.into_inner();
            let (l, c) = line_col(text, inner.span().map_or(0, |s| s.start));
            fail(l, c, path, inner.message().to_string())
        })
    } else {
        let mut de = serde_json::Deserializer::from_str(text);
        serde_path_to_error::deserialize(&mut de).map_err(|e| {
            let path = e.path().to_string();
            let inner = e.into_inner();
            let msg = inner.to_string();
            let msg = msg
                .rfind(" at line ")
                .map_or(msg.clone(), |i| msg[..i].to_string());
            fail(inner.line().max(1), inner.column().max(1), path, msg)
        })
    }
}

/// Checks a committee against PEC-1 … PEC-4.
pub fn check(doc: &PecDocument, params: &Parameters) -> PecCheck {
    let mut f = Findings::default();
    let professions = params
        .pec_professions
        .entries
        .last()
        .map(|e| e.value.clone())
        .unwrap_or_default();
    let deadline = params
        .pec_implementation_date
        .entries
        .last()
        .map(|e| e.value)
        .unwrap_or(NaiveDate::MIN);
    let is_clinical = |m: &Member| {
        m.clinical
            .unwrap_or_else(|| professions.get(&m.profession).copied().unwrap_or(false))
    };

    for m in doc
        .members
        .iter()
        .filter(|m| !professions.contains_key(&m.profession))
    {
        f.warning(PEC_3, format!("{}: profession \"{}\" is not in the list (parameter pec/professions.toml); its clinical status is taken from `clinical`", m.name, m.profession));
    }
    structure(doc, &mut f);
    appointments(doc, &mut f);
    let (clinical, by_profession) = composition(doc, &is_clinical, &mut f);
    let in_time = oversight(doc, deadline, &mut f);
    check_commissioning(doc, &mut f);

    let mut findings = f.0;
    findings.sort_by_key(|x| x.severity);
    PecCheck {
        pct: doc.pct.name.clone(),
        sha: doc.pct.sha.clone(),
        members: doc.members.len(),
        clinical_members: clinical,
        clinical_by_profession: by_profession,
        implemented_in_time: in_time,
        findings,
    }
}

/// PEC-1: a chair, and extra members with the challenge they were added for.
fn structure(doc: &PecDocument, f: &mut Findings) {
    match doc.members.iter().filter(|m| m.chair).count() {
        0 => f.error(
            PEC_1,
            "the PEC has no chair: mark one member with chair = true",
        ),
        1 => {}
        n => f.error(
            PEC_1,
            format!("{n} members are marked as chair; a PEC has one chair"),
        ),
    }
    for m in doc.members.iter().filter(|m| m.extra) {
        if m.challenge.trim().is_empty() {
            f.warning(PEC_1, format!("{} is an extra member with no challenge recorded: extra members are added for specific challenges", m.name));
        } else {
            f.info(
                PEC_1,
                format!("{} is an extra member for: {}", m.name, m.challenge.trim()),
            );
        }
    }
}

/// PEC-2: every member appointed against named competencies and a job description.
fn appointments(doc: &PecDocument, f: &mut Findings) {
    for m in &doc.members {
        let mut missing = Vec::new();
        if m.competencies.iter().all(|c| c.trim().is_empty()) {
            missing.push("named competencies");
        }
        if m.job_description.trim().is_empty() {
            missing.push("a job description");
        }
        if !missing.is_empty() {
            f.error(
                PEC_2,
                format!(
                    "{} was not appointed against {}",
                    m.name,
                    missing.join(" or ")
                ),
            );
        }
    }
}

/// PEC-3: a clinical majority from several professions, none holding a majority of clinical seats.
fn composition(
    doc: &PecDocument,
    is_clinical: &dyn Fn(&Member) -> bool,
    f: &mut Findings,
) -> (usize, BTreeMap<String, usize>) {
    let total = doc.members.len();
    let mut by_profession: BTreeMap<String, usize> = BTreeMap::new();
    for m in doc.members.iter().filter(|m| is_clinical(m)) {
        *by_profession.entry(m.profession.clone()).or_default() += 1;
    }
    let clinical: usize = by_profession.values().sum();
    if total == 0 {
        f.error(PEC_3, "the PEC has no members");
        return (0, by_profession);
    }
    if 2 * clinical <= total {
        f.error(PEC_3, format!("clinicians hold {clinical} of {total} seats: they must be in the majority (more than half)"));
    }
    if clinical > 0 && by_profession.len() < 2 {
        f.error(PEC_3, format!("every clinician is a {}: the clinicians must come from a multiprofessional background", by_profession.keys().next().map_or("", String::as_str)));
    }
    if let Some((p, n)) = by_profession.iter().max_by_key(|(_, n)| **n) {
        if by_profession.len() >= 2 && 2 * n > clinical {
            f.error(PEC_3, format!("{p}s hold {n} of {clinical} clinical seats: no one clinical group may dominate (a majority of the clinical seats)"));
        }
    }
    (clinical, by_profession)
}

/// PEC-4: a warning when the committee's role in practice-based commissioning is not recorded.
fn check_commissioning(doc: &PecDocument, f: &mut Findings) {
    if doc.pct.commissioning_role.trim().is_empty() {
        f.warning(PEC_4_COMMISSIONING, "the committee's role in practice-based commissioning is not recorded: PECs have a key role in driving it forward, advising and contributing to its overall direction; set it out in [pct] commissioning_role");
    }
}

/// PEC-4: the arrangements in place by the implementation date, for the SHA's oversight.
fn oversight(doc: &PecDocument, deadline: NaiveDate, f: &mut Findings) -> bool {
    match doc.pct.implemented_on {
        Some(d) if d <= deadline => true,
        Some(d) => {
            f.warning(PEC_4, format!("the new arrangements took effect on {d}, after the {deadline} implementation date"));
            false
        }
        None => {
            f.warning(
                PEC_4,
                format!("no implementation date is recorded: the guidance applies by {deadline}"),
            );
            false
        }
    }
}
