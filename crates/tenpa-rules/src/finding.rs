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
