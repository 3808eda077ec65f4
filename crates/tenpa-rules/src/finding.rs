//! Findings: the contract's verdict on a document it could read. Not errors: an error is input the
//! program cannot read.

use crate::rule::Rule;
use serde::Serialize;

/// How serious a finding is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
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
