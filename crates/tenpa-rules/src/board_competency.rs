//! Board-level directors' competency framework (BC-1, BC-2; seed `001_927cb6a1be3eddf5.txt`).
//!
//! The framework is data: `data/board_competency/<version>.toml` holds its six domains, their
//! competency statements and the rating scale, each with its source. It is versioned because it
//! will be revised; an appraisal records the version it used and is read against that version.
//! This module is pure: it checks job descriptions (BC-2), an appraisal's completeness, and builds
//! the profile of a director or a board from their ratings.

use crate::finding::{Finding, Findings};
use crate::rule::Rule;
use chrono::NaiveDate;
use serde::{Deserialize, Serialize};
use std::collections::{BTreeMap, BTreeSet};

/// The framework versions embedded in the crate, oldest first.
const EMBEDDED: &[(&str, &str)] = &[(
    "2024-04",
    include_str!("../data/board_competency/2024-04.toml"),
)];

/// A version of the competency framework.
#[derive(Debug, Clone, PartialEq, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct Framework {
    /// The version (`2024-04`).
    pub version: String,
    /// Its title.
    pub title: String,
    /// When it applies from.
    pub effective_from: NaiveDate,
    /// Where it comes from.
    pub source: String,
    /// The kinds of organisation it applies to (`trust`, `icb`, `nhs_england`).
    pub applies_to: Vec<String>,
    /// The share of appraisals (percent) marking a statement "no chance to demonstrate" that the
    /// board view calls "many".
    pub many_percent: u32,
    /// Why `many_percent` has its value.
    pub many_why: String,
    /// The rating scale, best first.
    pub scale: Vec<ScalePoint>,
    /// The six domains (BC-1).
    #[serde(rename = "domain")]
    pub domains: Vec<Domain>,
}

/// A point on the sliding scale.
#[derive(Debug, Clone, PartialEq, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct ScalePoint {
    /// Key stored in ratings (`almost_always`).
    pub key: String,
    /// Label shown to people ("Almost always").
    pub label: String,
    /// Order for the board view, higher is better; none for "no chance to demonstrate".
    #[serde(default)]
    pub score: Option<u32>,
    /// Where it comes from.
    pub source: String,
}

/// A domain of the framework.
#[derive(Debug, Clone, PartialEq, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct Domain {
    /// Key used in job descriptions (`governance`).
    pub key: String,
    /// The name in the seed's words.
    pub name: String,
    /// The name as NHS England's published framework words it, where it differs.
    #[serde(default)]
    pub published_name: Option<String>,
    /// Where it comes from.
    pub source: String,
    /// Its competency statements.
    #[serde(rename = "statement")]
    pub statements: Vec<Statement>,
}

/// A competency statement.
#[derive(Debug, Clone, PartialEq, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct Statement {
    /// Id (`governance.2`).
    pub id: String,
    /// The statement.
    pub text: String,
    /// Where it comes from.
    pub source: String,
}

/// A framework file that cannot be read.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{file}: {message}")]
pub struct FrameworkError {
    /// The file.
    pub file: String,
    /// What is wrong.
    pub message: String,
}

impl Framework {
    /// Reads and checks a framework file; `file` names it in errors.
    pub fn parse(file: &str, text: &str) -> Result<Framework, FrameworkError> {
        let err = |message: String| FrameworkError {
            file: file.into(),
            message,
        };
        let fw: Framework = toml::from_str(text).map_err(|e| err(e.to_string()))?;
        if fw.domains.len() != 6 {
            return Err(err(format!(
                "BC-1 names six domains; the file has {}",
                fw.domains.len()
            )));
        }
        let mut ids = BTreeSet::new();
        let mut keys = BTreeSet::new();
        for d in &fw.domains {
            if !keys.insert(d.key.as_str()) {
                return Err(err(format!("domain key `{}` appears twice", d.key)));
            }
            if d.statements.is_empty() {
                return Err(err(format!("domain `{}` has no statements", d.key)));
            }
            for s in &d.statements {
                if !ids.insert(s.id.as_str()) {
                    return Err(err(format!("statement id `{}` appears twice", s.id)));
                }
                if s.source.trim().is_empty() {
                    return Err(err(format!("statement `{}` has no source", s.id)));
                }
            }
        }
        let mut scale_keys = BTreeSet::new();
        for p in &fw.scale {
            if !scale_keys.insert(p.key.as_str()) {
                return Err(err(format!("scale key `{}` appears twice", p.key)));
            }
        }
        if fw.scale.len() < 2 || fw.scale.last().is_some_and(|p| p.score.is_some()) {
            return Err(err(
                "the scale runs from \"almost always\" to \"no chance to demonstrate\", which has no score".into(),
            ));
        }
        if fw.many_percent == 0 || fw.many_percent > 100 {
            return Err(err("many_percent must be from 1 to 100".into()));
        }
        Ok(fw)
    }

    /// The embedded framework of this version.
    pub fn embedded(version: &str) -> Option<Framework> {
        EMBEDDED.iter().find(|(v, _)| *v == version).map(|(v, t)| {
            Framework::parse(&format!("board_competency/{v}.toml"), t)
                .expect("embedded framework is valid")
        })
    }

    /// The embedded versions, oldest first.
    pub fn versions() -> Vec<&'static str> {
        EMBEDDED.iter().map(|(v, _)| *v).collect()
    }

    /// The latest embedded framework.
    pub fn latest() -> Framework {
        Framework::embedded(EMBEDDED[EMBEDDED.len() - 1].0).expect("an embedded framework")
    }

    /// Every statement id, in order.
    pub fn statement_ids(&self) -> impl Iterator<Item = &str> {
        self.domains
            .iter()
            .flat_map(|d| d.statements.iter().map(|s| s.id.as_str()))
    }

    /// The scale point with this key.
    pub fn scale_point(&self, key: &str) -> Option<&ScalePoint> {
        self.scale.iter().find(|p| p.key == key)
    }
}

/// BC-1: the framework has six domains, each holding competency statements; board-level directors
/// of trusts, ICBs and NHS England assess themselves against them.
pub const BC_1: Rule = Rule {
    id: "BC-1",
    citation: "BC",
    title: "Six domains of board-level competency",
};

/// BC-2: directors rate every statement on the sliding scale, discussed at the annual appraisal
/// with the chair or chief executive; every board-level job description includes the six domains.
pub const BC_2: Rule = Rule {
    id: "BC-2",
    citation: "BC",
    title: "Self-assessment, appraisal and job descriptions",
};

/// BC-2: a board-level job description must include all six domains. Gives an error naming the
/// missing domains (in the framework's words), and a warning for keys the framework does not know.
pub fn check_job_description(framework: &Framework, covered: &[String]) -> Vec<Finding> {
    let mut f = Findings::default();
    let missing: Vec<&str> = framework
        .domains
        .iter()
        .filter(|d| !covered.iter().any(|c| c == &d.key))
        .map(|d| d.name.as_str())
        .collect();
    if !missing.is_empty() {
        f.error(
            BC_2,
            format!(
                "the job description does not include {} of the six domains: {}",
                missing.len(),
                missing.join("; ")
            ),
        );
    }
    for c in covered
        .iter()
        .filter(|c| !framework.domains.iter().any(|d| &d.key == *c))
    {
        f.warning(
            BC_1,
            format!(
                "\"{c}\" is not a domain of the framework (version {})",
                framework.version
            ),
        );
    }
    f.0
}

/// One self-assessment rating: a scale key and the director's evidence.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct Rating {
    /// A scale key (`often`).
    pub rating: String,
    /// Evidence notes.
    #[serde(default)]
    pub evidence: String,
}

/// Ratings by statement id.
pub type Ratings = BTreeMap<String, Rating>;

/// How complete a self-assessment is.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Completeness {
    /// Statements rated with a scale key the framework knows.
    pub rated: usize,
    /// Statements in the framework.
    pub total: usize,
    /// Statement ids not yet rated.
    pub missing: Vec<String>,
    /// Statement ids the framework does not have.
    pub unknown_statements: Vec<String>,
    /// Statement ids rated with a key not on the scale.
    pub unknown_ratings: Vec<String>,
    /// Findings (BC-2), errors first.
    pub findings: Vec<Finding>,
}

impl Completeness {
    /// Whether every statement is rated on the scale and nothing else is: only then can the
    /// self-assessment be signed off.
    pub fn complete(&self) -> bool {
        self.missing.is_empty()
            && self.unknown_statements.is_empty()
            && self.unknown_ratings.is_empty()
    }
}

/// BC-2: the director rates every statement. An incomplete self-assessment cannot be signed off.
pub fn completeness(framework: &Framework, ratings: &Ratings) -> Completeness {
    let mut f = Findings::default();
    let ids: BTreeSet<&str> = framework.statement_ids().collect();
    let missing: Vec<String> = framework
        .statement_ids()
        .filter(|id| !ratings.contains_key(*id))
        .map(String::from)
        .collect();
    let unknown_statements: Vec<String> = ratings
        .keys()
        .filter(|k| !ids.contains(k.as_str()))
        .cloned()
        .collect();
    let unknown_ratings: Vec<String> = ratings
        .iter()
        .filter(|(k, r)| ids.contains(k.as_str()) && framework.scale_point(&r.rating).is_none())
        .map(|(k, _)| k.clone())
        .collect();
    if !missing.is_empty() {
        f.error(
            BC_2,
            format!(
                "{} of {} statements are not rated: {}",
                missing.len(),
                ids.len(),
                missing.join(", ")
            ),
        );
    }
    if !unknown_statements.is_empty() {
        f.error(
            BC_2,
            format!(
                "statements not in framework version {}: {}",
                framework.version,
                unknown_statements.join(", ")
            ),
        );
    }
    if !unknown_ratings.is_empty() {
        let keys: Vec<&str> = framework.scale.iter().map(|p| p.key.as_str()).collect();
        f.error(
            BC_2,
            format!(
                "ratings not on the scale ({}) for: {}",
                keys.join(", "),
                unknown_ratings.join(", ")
            ),
        );
    }
    let rated = ids.len() - missing.len() - unknown_ratings.len();
    Completeness {
        rated,
        total: ids.len(),
        missing,
        unknown_statements,
        unknown_ratings,
        findings: f.0,
    }
}

/// One domain in a profile.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct DomainProfile {
    /// The domain key.
    pub key: String,
    /// The domain name.
    pub name: String,
    /// How many ratings of each scale key, in scale order (every key present).
    pub distribution: Vec<(String, usize)>,
    /// Ratings with a score (every rating but "no chance to demonstrate").
    pub scored: usize,
    /// The mean score in hundredths (325 = 3.25), rounded half up; none when nothing is scored.
    pub mean_hundredths: Option<u32>,
}

/// A statement marked "no chance to demonstrate" by many.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct NotDemonstrated {
    /// Statement id.
    pub id: String,
    /// The statement.
    pub text: String,
    /// Appraisals marking it so.
    pub count: usize,
    /// Appraisals in the profile.
    pub of: usize,
}

/// The profile of one director's appraisal or of a board's appraisals.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Profile {
    /// The framework version read.
    pub version: String,
    /// Appraisals in the profile.
    pub appraisals: usize,
    /// Per domain, in framework order.
    pub domains: Vec<DomainProfile>,
    /// The domains with the lowest mean score (all of them when tied).
    pub weakest: Vec<String>,
    /// Statements marked "no chance to demonstrate" in at least `many_percent` of the appraisals,
    /// most often first.
    pub not_demonstrated: Vec<NotDemonstrated>,
}

/// The profile of a set of appraisals read against one framework version: one director's (one
/// appraisal) or a board's (one appraisal per director). Ratings of unknown statements or off the
/// scale are left out; check [`completeness`] first.
pub fn profile(framework: &Framework, appraisals: &[&Ratings]) -> Profile {
    let no_chance: Vec<&str> = framework
        .scale
        .iter()
        .filter(|p| p.score.is_none())
        .map(|p| p.key.as_str())
        .collect();
    let mut domains = Vec::new();
    for d in &framework.domains {
        let mut counts: BTreeMap<&str, usize> = BTreeMap::new();
        let (mut sum, mut scored) = (0u64, 0usize);
        for a in appraisals {
            for s in &d.statements {
                let Some(r) = a.get(&s.id) else { continue };
                let Some(p) = framework.scale_point(&r.rating) else {
                    continue;
                };
                *counts.entry(p.key.as_str()).or_default() += 1;
                if let Some(score) = p.score {
                    sum += u64::from(score);
                    scored += 1;
                }
            }
        }
        let mean_hundredths = (scored > 0).then(|| {
            let n = scored as u64;
            ((sum * 200 + n) / (2 * n)) as u32
        });
        domains.push(DomainProfile {
            key: d.key.clone(),
            name: d.name.clone(),
            distribution: framework
                .scale
                .iter()
                .map(|p| {
                    (
                        p.key.clone(),
                        counts.get(p.key.as_str()).copied().unwrap_or(0),
                    )
                })
                .collect(),
            scored,
            mean_hundredths,
        });
    }
    let lowest = domains.iter().filter_map(|d| d.mean_hundredths).min();
    let weakest = domains
        .iter()
        .filter(|d| lowest.is_some() && d.mean_hundredths == lowest)
        .map(|d| d.key.clone())
        .collect();
    let n = appraisals.len();
    let mut not_demonstrated: Vec<NotDemonstrated> = framework
        .domains
        .iter()
        .flat_map(|d| d.statements.iter())
        .filter_map(|s| {
            let count = appraisals
                .iter()
                .filter(|a| {
                    a.get(&s.id)
                        .is_some_and(|r| no_chance.contains(&r.rating.as_str()))
                })
                .count();
            (count > 0 && count * 100 >= n * framework.many_percent as usize).then(|| {
                NotDemonstrated {
                    id: s.id.clone(),
                    text: s.text.clone(),
                    count,
                    of: n,
                }
            })
        })
        .collect();
    not_demonstrated.sort_by_key(|s| std::cmp::Reverse(s.count));
    Profile {
        version: framework.version.clone(),
        appraisals: n,
        domains,
        weakest,
        not_demonstrated,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn all_rated(fw: &Framework, key: &str) -> Ratings {
        fw.statement_ids()
            .map(|id| {
                (
                    id.to_string(),
                    Rating {
                        rating: key.into(),
                        evidence: String::new(),
                    },
                )
            })
            .collect()
    }

    /// Source: BC-1, the six domains in the seed's words.
    #[test]
    fn the_embedded_framework_has_the_six_domains_in_the_seeds_words() {
        let fw = Framework::latest();
        let names: Vec<&str> = fw.domains.iter().map(|d| d.name.as_str()).collect();
        assert_eq!(
            names,
            [
                "Driving high-quality and sustainable outcomes",
                "Setting strategy and delivering long-term transformation",
                "Promoting equality and inclusion, and reducing health and workforce inequalities",
                "Providing robust governance and assurance",
                "Delivering a compassionate, just and positive culture",
                "Building a trust relationship with partners and communities",
            ]
        );
        assert_eq!(fw.scale.first().unwrap().label, "Almost always");
        assert_eq!(fw.scale.last().unwrap().label, "No chance to demonstrate");
        assert!(fw
            .domains
            .iter()
            .flat_map(|d| &d.statements)
            .all(|s| s.source.starts_with("this project, from BC")));
        assert_eq!(Framework::versions(), ["2024-04"]);
    }

    /// Source: BC-2, job descriptions include the six domains.
    #[test]
    fn a_job_description_missing_domains_is_an_error_naming_them() {
        let fw = Framework::latest();
        let all: Vec<String> = fw.domains.iter().map(|d| d.key.clone()).collect();
        assert!(check_job_description(&fw, &all).is_empty());
        let some = vec![
            "outcomes".to_string(),
            "strategy".into(),
            "governance".into(),
            "finance".into(),
        ];
        let f = check_job_description(&fw, &some);
        assert_eq!(f[0].rule, "BC-2");
        assert_eq!(
            f[0].message,
            "the job description does not include 3 of the six domains: Promoting equality and inclusion, and reducing health and workforce inequalities; Delivering a compassionate, just and positive culture; Building a trust relationship with partners and communities"
        );
        assert_eq!(f[1].rule, "BC-1");
        assert!(f[1].message.contains("\"finance\""));
    }

    /// Source: BC-2, every statement rated; an incomplete assessment cannot be signed off.
    #[test]
    fn completeness_needs_every_statement_rated_on_the_scale() {
        let fw = Framework::latest();
        let mut r = all_rated(&fw, "often");
        assert!(completeness(&fw, &r).complete());
        assert_eq!(completeness(&fw, &r).rated, 24);
        r.remove("culture.2");
        r.get_mut("outcomes.1").unwrap().rating = "brilliantly".into();
        let c = completeness(&fw, &r);
        assert!(!c.complete());
        assert_eq!(c.missing, ["culture.2"]);
        assert_eq!(c.unknown_ratings, ["outcomes.1"]);
        assert_eq!(c.rated, 22);
        assert_eq!(c.findings.len(), 2);
    }

    /// Source: BC-1, the framework file is strict.
    #[test]
    fn a_framework_file_with_five_domains_or_unknown_keys_is_refused() {
        let text = include_str!("../data/board_competency/2024-04.toml");
        let extra = format!("colour = \"blue\"\n{text}");
        assert!(Framework::parse("x.toml", &extra).is_err());
        let cut = text.rsplit_once("[[domain]]").unwrap().0;
        let e = Framework::parse("x.toml", cut).unwrap_err();
        assert!(e.message.contains("six domains"), "{e}");
    }

    /// Source: BC-2, one director's profile; "no chance to demonstrate" has no score.
    #[test]
    fn a_single_directors_profile() {
        let fw = Framework::latest();
        let mut r = all_rated(&fw, "almost_always");
        // governance: 4, 3, 2, no chance → mean of 4, 3, 2 = 3.00
        r.get_mut("governance.2").unwrap().rating = "often".into();
        r.get_mut("governance.3").unwrap().rating = "sometimes".into();
        r.get_mut("governance.4").unwrap().rating = "no_chance".into();
        let p = profile(&fw, &[&r]);
        let g = p.domains.iter().find(|d| d.key == "governance").unwrap();
        assert_eq!(g.mean_hundredths, Some(300));
        assert_eq!(g.scored, 3);
        assert_eq!(p.weakest, ["governance"]);
        // One appraisal of one: 100% ≥ 50%.
        assert_eq!(p.not_demonstrated.len(), 1);
        assert_eq!(p.not_demonstrated[0].id, "governance.4");
    }
}
