//! JP-1 (A 9.1-9.2, F 1(c)): what a sign-off of a plan must say about the plan's findings. The
//! framework has the plan "agreed between the employer and the individual consultant" after full
//! discussion; read here, a manager who signs off a plan the rules find fault with does so knowingly:
//!
//! - each warning of the version signed off is acknowledged, with an optional comment, at each
//!   sign-off (the clinical director's and the medical director's);
//! - an error finding is acknowledged like a warning at the clinical director's sign-off, and the
//!   plan reaches `signed_off` with an error only when the medical director overrides it with a
//!   reason; anyone else's final sign-off of such a plan is refused.

use super::Action;
use crate::finding::{Finding, Severity};

/// What a sign-off says of the findings: the findings acknowledged (by their place in the version's
/// assessment) and the medical director's reason for signing off despite an error.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct SignOffTerms<'a> {
    /// The findings acknowledged, by index into the assessment's findings.
    pub acknowledged: &'a [usize],
    /// The reason given for signing off despite an error, when one is given.
    pub override_reason: Option<&'a str>,
    /// Whether the one signing off is the medical director.
    pub by_medical_director: bool,
}

/// Why a sign-off is refused.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum SignOffError {
    /// An acknowledgement names no warning or error of the version.
    #[error("finding {index} is not a warning or error of this version (it has {count} findings; information findings need no acknowledgement)")]
    NotAcknowledgeable {
        /// The index given.
        index: usize,
        /// How many findings the version has.
        count: usize,
    },
    /// The same finding acknowledged twice.
    #[error("finding {index} is acknowledged twice")]
    Twice {
        /// The index given.
        index: usize,
    },
    /// A warning or error left unacknowledged.
    #[error(
        "finding {index} ({rule}: {message}) must be acknowledged before the plan is signed off"
    )]
    Unacknowledged {
        /// Its index.
        index: usize,
        /// Its rule.
        rule: &'static str,
        /// Its message.
        message: String,
    },
    /// An error finding at the final sign-off without the medical director's override.
    #[error("the plan has an error finding ({rule}: {message}); only the medical director may sign it off, overriding it with a reason")]
    ErrorNeedsOverride {
        /// Its rule.
        rule: &'static str,
        /// Its message.
        message: String,
    },
    /// An override reason where there is nothing to override, or not from the medical director at
    /// the final sign-off.
    #[error("an override reason is given only by the medical director signing off a plan with an error finding")]
    OverrideNotApplicable,
}

/// Whether a finding must be acknowledged at a sign-off.
pub fn needs_acknowledging(f: &Finding) -> bool {
    matches!(f.severity, Severity::Warning | Severity::Error)
}

/// JP-1: checks a sign-off (`cd_sign_off` or `md_sign_off`) of a version with `findings` against
/// what it says of them. Other actions need nothing and pass.
pub fn check_sign_off(
    action: Action,
    findings: &[Finding],
    terms: SignOffTerms<'_>,
) -> Result<(), SignOffError> {
    if !matches!(action, Action::CdSignOff | Action::MdSignOff) {
        return Ok(());
    }
    let mut seen = vec![false; findings.len()];
    for &index in terms.acknowledged {
        match findings.get(index) {
            Some(f) if needs_acknowledging(f) => {
                if std::mem::replace(&mut seen[index], true) {
                    return Err(SignOffError::Twice { index });
                }
            }
            _ => {
                return Err(SignOffError::NotAcknowledgeable {
                    index,
                    count: findings.len(),
                })
            }
        }
    }
    if let Some((index, f)) = findings
        .iter()
        .enumerate()
        .find(|(i, f)| needs_acknowledging(f) && !seen[*i])
    {
        return Err(SignOffError::Unacknowledged {
            index,
            rule: f.rule,
            message: f.message.clone(),
        });
    }
    let error = findings.iter().find(|f| f.severity == Severity::Error);
    let reason = terms
        .override_reason
        .map(str::trim)
        .filter(|r| !r.is_empty());
    match (action, error, reason) {
        (Action::MdSignOff, Some(_), Some(_)) if terms.by_medical_director => Ok(()),
        (Action::MdSignOff, Some(f), _) => Err(SignOffError::ErrorNeedsOverride {
            rule: f.rule,
            message: f.message.clone(),
        }),
        (_, _, Some(_)) => Err(SignOffError::OverrideNotApplicable),
        _ => Ok(()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::rule::Rule;

    const R: Rule = Rule {
        id: "WW-4",
        citation: "B 4.1",
        title: "test",
    };

    fn findings() -> Vec<Finding> {
        vec![
            Finding::new(R, Severity::Info, "a note"),
            Finding::new(R, Severity::Warning, "11.3 PAs against 10 contracted"),
            Finding::new(R, Severity::Warning, "no SPA"),
        ]
    }

    fn terms<'a>(ack: &'a [usize], reason: Option<&'a str>, md: bool) -> SignOffTerms<'a> {
        SignOffTerms {
            acknowledged: ack,
            override_reason: reason,
            by_medical_director: md,
        }
    }

    /// Source: A 9.1-9.2, F 1(c) (JP-1), as read in the project: each warning is acknowledged at
    /// each sign-off; information needs none; nothing else is acknowledged, nor twice.
    #[test]
    fn every_warning_is_acknowledged_at_each_sign_off() {
        let f = findings();
        for action in [Action::CdSignOff, Action::MdSignOff] {
            assert_eq!(
                check_sign_off(action, &f, terms(&[1, 2], None, false)),
                Ok(())
            );
            assert!(matches!(
                check_sign_off(action, &f, terms(&[1], None, true)),
                Err(SignOffError::Unacknowledged {
                    index: 2,
                    rule: "WW-4",
                    ..
                })
            ));
            assert_eq!(
                check_sign_off(action, &f, terms(&[0, 1, 2], None, false)),
                Err(SignOffError::NotAcknowledgeable { index: 0, count: 3 })
            );
            assert_eq!(
                check_sign_off(action, &f, terms(&[1, 2, 9], None, false)),
                Err(SignOffError::NotAcknowledgeable { index: 9, count: 3 })
            );
            assert_eq!(
                check_sign_off(action, &f, terms(&[1, 2, 1], None, false)),
                Err(SignOffError::Twice { index: 1 })
            );
            // Nothing to override.
            assert_eq!(
                check_sign_off(action, &f, terms(&[1, 2], Some("because"), true)),
                Err(SignOffError::OverrideNotApplicable)
            );
        }
        // Other steps need nothing.
        assert_eq!(
            check_sign_off(Action::Agree, &f, terms(&[], None, false)),
            Ok(())
        );
        // A plan with information only.
        assert_eq!(
            check_sign_off(Action::MdSignOff, &f[..1], terms(&[], None, false)),
            Ok(())
        );
    }

    /// Source: as above: an error is acknowledged at the clinical director's sign-off, and the
    /// final sign-off needs the medical director's override with a reason.
    #[test]
    fn an_error_needs_the_medical_directors_override() {
        let mut f = findings();
        f.push(Finding::new(R, Severity::Error, "over 48 hours"));
        assert_eq!(
            check_sign_off(Action::CdSignOff, &f, terms(&[1, 2, 3], None, false)),
            Ok(())
        );
        assert_eq!(
            check_sign_off(Action::CdSignOff, &f, terms(&[1, 2, 3], Some("x"), true)),
            Err(SignOffError::OverrideNotApplicable)
        );
        for (reason, md) in [
            (None, true),
            (Some("  "), true),
            (Some("agreed locally"), false),
        ] {
            assert!(matches!(
                check_sign_off(Action::MdSignOff, &f, terms(&[1, 2, 3], reason, md)),
                Err(SignOffError::ErrorNeedsOverride { rule: "WW-4", .. })
            ));
        }
        assert_eq!(
            check_sign_off(
                Action::MdSignOff,
                &f,
                terms(&[1, 2, 3], Some("Rota redesign agreed for April"), true)
            ),
            Ok(())
        );
        // The error is acknowledged too.
        assert!(matches!(
            check_sign_off(Action::MdSignOff, &f, terms(&[1, 2], Some("r"), true)),
            Err(SignOffError::Unacknowledged { index: 3, .. })
        ));
    }
}
