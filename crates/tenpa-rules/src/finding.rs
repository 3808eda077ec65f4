//! Findings: the contract's verdict on a document it could read. Not errors: an error is input the
//! program cannot read.

use crate::rule::Rule;
use serde::{de, Deserialize, Deserializer, Serialize};

/// How serious a finding is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    /// The plan breaks a rule.
    Error,
    /// The plan departs from what the contract typically expects.
    Warning,
    /// Something the reader should know.
    Info,
}

impl Severity {
    /// "error", "warning", "info".
    pub fn as_str(self) -> &'static str {
        match self {
            Severity::Error => "error",
            Severity::Warning => "warning",
            Severity::Info => "info",
        }
    }
}

/// One finding, naming the rule and paragraph behind it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Finding {
    /// Rule id (`WW-4`).
    pub rule: &'static str,
    /// Severity.
    pub severity: Severity,
    /// Source paragraphs.
    pub citation: &'static str,
    /// What was found, in plain words.
    pub message: String,
}

impl Finding {
    /// A finding of `rule`.
    pub fn new(rule: Rule, severity: Severity, message: impl Into<String>) -> Finding {
        Finding {
            rule: rule.id,
            severity,
            citation: rule.citation,
            message: message.into(),
        }
    }
}

impl<'de> Deserialize<'de> for Finding {
    /// Reads a stored finding back: its rule must be one the rules crate knows (with the citation
    /// stored, or the rule's own when an exception's citation has since changed).
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Finding, D::Error> {
        #[derive(Deserialize)]
        struct Stored {
            rule: String,
            severity: Severity,
            citation: String,
            message: String,
        }
        let s = Stored::deserialize(d)?;
        let rule = crate::rule::by_id_and_citation(&s.rule, &s.citation)
            .ok_or_else(|| de::Error::custom(format!("`{}` is not a rule id", s.rule)))?;
        Ok(Finding {
            rule: rule.id,
            severity: s.severity,
            citation: rule.citation,
            message: s.message,
        })
    }
}

/// Findings gathered during one evaluation.
#[derive(Debug, Default)]
pub struct Findings(pub Vec<Finding>);

impl Findings {
    /// An error finding.
    pub fn error(&mut self, rule: Rule, message: impl Into<String>) {
        self.0.push(Finding::new(rule, Severity::Error, message));
    }
    /// A warning finding.
    pub fn warning(&mut self, rule: Rule, message: impl Into<String>) {
        self.0.push(Finding::new(rule, Severity::Warning, message));
    }
    /// An info finding.
    pub fn info(&mut self, rule: Rule, message: impl Into<String>) {
        self.0.push(Finding::new(rule, Severity::Info, message));
    }
}

/// A piece of a finding's text: a string, or a figure written as `show` writes it.
pub(crate) trait Piece {
    /// About how many bytes it takes.
    fn size(&self) -> usize;
    /// Appends it.
    fn push_to(&self, out: &mut String);
}

impl Piece for &str {
    fn size(&self) -> usize {
        self.len()
    }
    fn push_to(&self, out: &mut String) {
        out.push_str(self);
    }
}

impl Piece for crate::money::Figure {
    fn size(&self) -> usize {
        8
    }
    fn push_to(&self, out: &mut String) {
        crate::money::push_show(out, self.0);
    }
}

/// A finding's text from its pieces in order, sized once: what `format!` writes, without its
/// machinery, for the messages found on most evaluations.
macro_rules! text {
    ($($piece:expr),+ $(,)?) => {{
        use $crate::finding::Piece as _;
        let mut s = String::with_capacity(0 $(+ $piece.size())+);
        $($piece.push_to(&mut s);)+
        s
    }};
}
pub(crate) use text;

#[cfg(test)]
mod tests {
    use super::*;

    /// A stored finding reads back naming its rule; an exception keeps its own paragraphs.
    #[test]
    fn a_stored_finding_reads_back_with_its_rule() {
        let f: Finding = serde_json::from_str(
            r#"{"rule":"WW-8","severity":"warning","citation":"B 5.15","message":"leave"}"#,
        )
        .expect("a stored finding");
        assert_eq!(
            (f.rule, f.citation, f.severity),
            (
                crate::working_week::WW_8_LEAVE.id,
                crate::working_week::WW_8_LEAVE.citation,
                Severity::Warning
            )
        );
        let unknown = serde_json::from_str::<Finding>(
            r#"{"rule":"XX-1","severity":"error","citation":"Z 1","message":"m"}"#,
        )
        .expect_err("no such rule");
        assert!(
            unknown.to_string().contains("`XX-1` is not a rule id"),
            "{unknown}"
        );
    }
}
