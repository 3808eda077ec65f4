//! The traceability register: every numbered paragraph and lettered bullet of the three sources
//! (`data/paragraphs.txt`, in the sources' order), each with what it provides and how far Tenpa
//! implements it (`data/register.toml`). The paragraph index is the completeness check's yardstick;
//! `tests/register.rs` checks the register against it, against `docs/rules.md`, the rule constants
//! and the golden cases, and writes the book's coverage page from it.

use serde::{Deserialize, Serialize};
use std::sync::OnceLock;

/// The register as data.
pub const REGISTER_TOML: &str = include_str!("../data/register.toml");

/// The paragraph index: one citation a line, in the sources' order.
pub const PARAGRAPHS_TXT: &str = include_str!("../data/paragraphs.txt");

/// How far Tenpa implements a paragraph.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Status {
    /// Implemented by the rules named, each with a golden case.
    Implemented,
    /// Implemented in part: `why` says what is missing.
    Partial,
    /// A requirement software could check that Tenpa does not yet.
    Missing,
    /// Nothing to check: a statement of intent, a heading or a summary (`why` says which).
    NotARule,
    /// A requirement outside what Tenpa manages (`why` says whose it is).
    OutOfScope,
}

impl Status {
    /// Every status, in report order.
    pub const ALL: [Status; 5] = [
        Status::Implemented,
        Status::Partial,
        Status::Missing,
        Status::NotARule,
        Status::OutOfScope,
    ];

    /// The status as the register writes it (`not_a_rule`).
    pub fn as_str(self) -> &'static str {
        match self {
            Status::Implemented => "implemented",
            Status::Partial => "partial",
            Status::Missing => "missing",
            Status::NotARule => "not_a_rule",
            Status::OutOfScope => "out_of_scope",
        }
    }

    /// The status in words, for pages.
    pub fn label(self) -> &'static str {
        match self {
            Status::Implemented => "Implemented",
            Status::Partial => "Partial",
            Status::Missing => "Missing",
            Status::NotARule => "Not a rule",
            Status::OutOfScope => "Out of scope",
        }
    }

    /// Whether an entry of this status must say why.
    pub fn needs_why(self) -> bool {
        self != Status::Implemented
    }

    /// Whether an entry of this status names the rules that implement it.
    pub fn has_rules(self) -> bool {
        matches!(self, Status::Implemented | Status::Partial)
    }
}

/// One paragraph of a source and how far Tenpa implements it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Entry {
    /// The citation (`B 4.3`, `F 6(c)(2)` for the second bullet of F 6(c), `PEC 9(1)`).
    pub cite: String,
    /// What the paragraph provides, in a few words.
    pub summary: String,
    /// How far Tenpa implements it.
    pub status: Status,
    /// The rule ids that implement it (implemented and partial entries).
    #[serde(default)]
    pub rules: Vec<String>,
    /// Parameter files (relative to the parameter directory) that hold its figures.
    #[serde(default)]
    pub parameters: Vec<String>,
    /// What is missing, or why there is nothing to check.
    #[serde(default)]
    pub why: Option<String>,
}

/// The sources, in the order the register lists them.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
pub enum Source {
    /// The consultant contract framework (Parts 1-12, `F`, and Annexes A-E).
    Framework,
    /// The board competency news item (`BC`).
    BoardCompetency,
    /// The PEC guidance (`PEC`).
    Pec,
}

impl Source {
    /// Every source, in order.
    pub const ALL: [Source; 3] = [Source::Framework, Source::BoardCompetency, Source::Pec];

    /// The source a citation belongs to.
    pub fn of(cite: &str) -> Source {
        if cite.starts_with("BC ") {
            Source::BoardCompetency
        } else if cite.starts_with("PEC ") {
            Source::Pec
        } else {
            Source::Framework
        }
    }

    /// The source's name, in the project's words.
    pub fn title(self) -> &'static str {
        match self {
            Source::Framework => "The consultant contract framework",
            Source::BoardCompetency => "The board competency news item",
            Source::Pec => "The PEC guidance",
        }
    }
}

impl Entry {
    /// The source the entry's paragraph belongs to.
    pub fn source(&self) -> Source {
        Source::of(&self.cite)
    }
}

/// The register: one entry per paragraph of the index.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Register {
    /// The entries, in the sources' order.
    pub entry: Vec<Entry>,
}

impl Register {
    /// Reads a register from its TOML text.
    pub fn parse(text: &str) -> Result<Register, toml::de::Error> {
        toml::from_str(text)
    }

    /// How many entries have each status, in [`Status::ALL`] order.
    pub fn counts(&self) -> Vec<(Status, usize)> {
        Status::ALL
            .iter()
            .map(|s| (*s, self.entry.iter().filter(|e| e.status == *s).count()))
            .collect()
    }

    /// The entries a rule implements, wholly or in part.
    pub fn for_rule<'a>(&'a self, id: &'a str) -> impl Iterator<Item = &'a Entry> + 'a {
        self.entry
            .iter()
            .filter(move |e| e.rules.iter().any(|r| r == id))
    }

    /// The entry for a citation.
    pub fn get(&self, cite: &str) -> Option<&Entry> {
        self.entry.iter().find(|e| e.cite == cite)
    }

    /// What is wrong with the register's shape, each problem naming its entry: a paragraph of the
    /// index with no entry or with more than one, an entry outside the index, a `why` missing where
    /// the status needs one, rules missing on an implemented or partial entry or given on another,
    /// an empty summary. Rule ids are checked by the register's test.
    pub fn problems(&self, paragraphs: &[&str]) -> Vec<String> {
        let mut out = Vec::new();
        for p in paragraphs {
            match self.entry.iter().filter(|e| e.cite == *p).count() {
                0 => out.push(format!("{p}: no register entry")),
                1 => {}
                n => out.push(format!("{p}: {n} register entries, expected one")),
            }
        }
        for e in &self.entry {
            let c = &e.cite;
            if !paragraphs.contains(&c.as_str()) {
                out.push(format!("{c}: not a paragraph of the index"));
            }
            if e.summary.trim().is_empty() {
                out.push(format!("{c}: no summary"));
            }
            let why = e.why.as_deref().is_some_and(|w| !w.trim().is_empty());
            if e.status.needs_why() && !why {
                out.push(format!("{c}: status {} needs a why", e.status.as_str()));
            }
            if e.status.has_rules() && e.rules.is_empty() {
                out.push(format!("{c}: status {} names no rule", e.status.as_str()));
            }
            if !e.status.has_rules() && !e.rules.is_empty() {
                out.push(format!(
                    "{c}: status {} names rules {:?}: only implemented and partial entries do",
                    e.status.as_str(),
                    e.rules
                ));
            }
        }
        let order: Vec<&str> = self.entry.iter().map(|e| e.cite.as_str()).collect();
        let expected: Vec<&str> = paragraphs
            .iter()
            .copied()
            .filter(|p| order.contains(p))
            .collect();
        if out.is_empty() && order != expected {
            if let Some((got, want)) = order.iter().zip(&expected).find(|(a, b)| a != b) {
                out.push(format!(
                    "{got}: out of order, expected {want} here (the index's order)"
                ));
            }
        }
        out
    }
}

/// The paragraph index: every citation of the three sources, in order.
pub fn paragraphs() -> Vec<&'static str> {
    PARAGRAPHS_TXT
        .lines()
        .map(str::trim)
        .filter(|l| !l.is_empty() && !l.starts_with('#'))
        .collect()
}

/// The embedded register, read once.
///
/// # Panics
/// If `data/register.toml` does not read as a register (its test fails first).
pub fn register() -> &'static Register {
    static REGISTER: OnceLock<Register> = OnceLock::new();
    REGISTER.get_or_init(|| {
        Register::parse(REGISTER_TOML).unwrap_or_else(|e| panic!("data/register.toml: {e}"))
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_register_needs_one_entry_per_paragraph_and_a_why() {
        let r = Register::parse(
            r#"
[[entry]]
cite = "F 1(a)"
summary = "x"
status = "missing"

[[entry]]
cite = "F 9(z)"
summary = "y"
status = "implemented"
"#,
        )
        .unwrap();
        let p = r.problems(&["F 1(a)", "F 1(b)"]);
        assert!(
            p.contains(&"F 1(b): no register entry".to_string()),
            "{p:?}"
        );
        assert!(
            p.contains(&"F 9(z): not a paragraph of the index".to_string()),
            "{p:?}"
        );
        assert!(
            p.contains(&"F 1(a): status missing needs a why".to_string()),
            "{p:?}"
        );
        assert!(
            p.contains(&"F 9(z): status implemented names no rule".to_string()),
            "{p:?}"
        );
        assert!(Register::parse(
            "[[entry]]\ncite = \"F 1(a)\"\nsummary = \"x\"\nstatus = \"done\"\n"
        )
        .is_err());
    }

    #[test]
    fn sources_by_citation() {
        assert_eq!(Source::of("BC 3"), Source::BoardCompetency);
        assert_eq!(Source::of("PEC 9(1)"), Source::Pec);
        assert_eq!(Source::of("B 7.3"), Source::Framework);
    }
}
