//! PP-3: a progression case's decision flow — report, recommendation, decision, appeal (C 4.2-4.3,
//! C 7) — and who may take each step, nobody on their own case.

use super::{Actor, Role, WorkflowError};
use crate::rule::Rule;
use serde::{Deserialize, Serialize};

/// PP-3: pay progression is decided after the job plan review: the manager reports the four A 9.4
/// criteria, the Medical Director recommends, the Chief Executive decides; the consultant may appeal
/// a refusal to a local panel, where the onus is on the employer.
pub const PP_3_DECISIONS: Rule = Rule {
    id: "PP-3",
    citation: "C 4.2-4.3, C 7",
    title: "The decision flow: report, recommendation, decision, appeal",
};

/// A progression case's state.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
#[allow(missing_docs)]
pub enum CaseStatus {
    Reported,
    Recommended,
    Decided,
    Appealed,
    Closed,
}

impl CaseStatus {
    /// Every state.
    pub const ALL: [CaseStatus; 5] = [
        CaseStatus::Reported,
        CaseStatus::Recommended,
        CaseStatus::Decided,
        CaseStatus::Appealed,
        CaseStatus::Closed,
    ];

    /// The name as stored and shown.
    pub fn as_str(self) -> &'static str {
        match self {
            CaseStatus::Reported => "reported",
            CaseStatus::Recommended => "recommended",
            CaseStatus::Decided => "decided",
            CaseStatus::Appealed => "appealed",
            CaseStatus::Closed => "closed",
        }
    }

    /// The state with this name.
    pub fn parse(s: &str) -> Option<CaseStatus> {
        CaseStatus::ALL.into_iter().find(|x| x.as_str() == s)
    }
}

/// Steps of a progression case.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
#[allow(missing_docs)]
pub enum CaseStep {
    /// The Medical Director's recommendation (`progress` or `defer`).
    Recommend,
    /// The Chief Executive's decision.
    Decide,
    /// The consultant appeals a refusal.
    Appeal,
    /// The appeals panel's outcome, recorded by medical staffing.
    DecideAppeal,
    /// Closes a case without appeal.
    Close,
}

impl CaseStep {
    /// Every step, in the order a case takes them.
    pub const ALL: [CaseStep; 5] = [
        CaseStep::Recommend,
        CaseStep::Decide,
        CaseStep::Appeal,
        CaseStep::DecideAppeal,
        CaseStep::Close,
    ];

    /// The step with this name.
    pub fn parse(s: &str) -> Option<CaseStep> {
        CaseStep::ALL.into_iter().find(|c| c.as_str() == s)
    }

    /// The name as sent and stored.
    pub fn as_str(self) -> &'static str {
        match self {
            CaseStep::Recommend => "recommend",
            CaseStep::Decide => "decide",
            CaseStep::Appeal => "appeal",
            CaseStep::DecideAppeal => "decide_appeal",
            CaseStep::Close => "close",
        }
    }
}

/// The state after `step` by `actor` on a case in `from`; `progress` is the decision being
/// appealed, when appealing (only a refusal can be appealed).
pub fn case_step(
    from: CaseStatus,
    step: CaseStep,
    actor: Actor,
    refused: bool,
) -> Result<CaseStatus, WorkflowError> {
    use CaseStatus::*;
    let (sources, to): (&[CaseStatus], CaseStatus) = match step {
        CaseStep::Recommend => (&[Reported], Recommended),
        CaseStep::Decide => (&[Recommended], Decided),
        CaseStep::Appeal => (&[Decided], Appealed),
        CaseStep::DecideAppeal => (&[Appealed], Closed),
        CaseStep::Close => (&[Decided], Closed),
    };
    if !sources.contains(&from) {
        return Err(WorkflowError::NotFromHere {
            action: step.as_str(),
            status: from.as_str(),
            possible: sources
                .iter()
                .map(|s| s.as_str())
                .collect::<Vec<_>>()
                .join(", ")
                + " (the states it applies to)",
        });
    }
    // PP-3 with JP-1's two sides: nobody recommends, decides or records an outcome for the
    // employer on their own case.
    if actor.own && actor.role != Role::Consultant {
        return Err(WorkflowError::NotAllowed {
            role: actor.role.as_str(),
            action: step.as_str(),
            why: ": it is their own case, and nobody acts for the employer on their own case (PP-3, C 4.2-4.3; JP-1, A 9.1)".into(),
        });
    }
    let ok = match step {
        CaseStep::Recommend => actor.role == Role::MedicalDirector,
        CaseStep::Decide => actor.role == Role::ChiefExecutive,
        CaseStep::Appeal => actor.role == Role::Consultant && actor.own,
        CaseStep::DecideAppeal => actor.role == Role::MedicalStaffing,
        CaseStep::Close => matches!(actor.role, Role::MedicalStaffing | Role::ChiefExecutive),
    };
    if !ok {
        return Err(WorkflowError::NotAllowed {
            role: actor.role.as_str(),
            action: step.as_str(),
            why: String::new(),
        });
    }
    if step == CaseStep::Appeal && !refused {
        return Err(WorkflowError::NotAllowed {
            role: actor.role.as_str(),
            action: step.as_str(),
            why: ": only a refusal to progress can be appealed (C 7)".into(),
        });
    }
    Ok(to)
}

#[cfg(test)]
mod case_tests {
    use super::*;

    fn actor(role: Role) -> Actor {
        Actor {
            role,
            own: role == Role::Consultant,
            in_department: false,
            named_alternate: false,
            manages_the_manager: false,
        }
    }

    /// Source: C 4.2-4.3 (PP-3), A 9.1 (JP-1, two sides): nobody recommends, decides or records
    /// an outcome on their own case; the consultant still appeals.
    #[test]
    fn nobody_acts_for_the_employer_on_their_own_case() {
        for (from, step, role) in [
            (
                CaseStatus::Reported,
                CaseStep::Recommend,
                Role::MedicalDirector,
            ),
            (
                CaseStatus::Recommended,
                CaseStep::Decide,
                Role::ChiefExecutive,
            ),
            (CaseStatus::Decided, CaseStep::Close, Role::MedicalStaffing),
            (
                CaseStatus::Appealed,
                CaseStep::DecideAppeal,
                Role::MedicalStaffing,
            ),
        ] {
            let own = Actor {
                own: true,
                ..actor(role)
            };
            let e = case_step(from, step, own, false).unwrap_err();
            assert!(e.to_string().contains("their own case"), "{e}");
            assert!(
                case_step(from, step, actor(role), false).is_ok(),
                "{role:?}"
            );
        }
        assert!(case_step(
            CaseStatus::Decided,
            CaseStep::Appeal,
            actor(Role::Consultant),
            true
        )
        .is_ok());
    }

    /// Source: C 4.2-4.3, C 7 (PP-3).
    #[test]
    fn report_recommend_decide_appeal() {
        let s = case_step(
            CaseStatus::Reported,
            CaseStep::Recommend,
            actor(Role::MedicalDirector),
            false,
        )
        .unwrap();
        let s = case_step(s, CaseStep::Decide, actor(Role::ChiefExecutive), false).unwrap();
        assert!(
            case_step(s, CaseStep::Appeal, actor(Role::Consultant), false).is_err(),
            "a decision to progress cannot be appealed"
        );
        let s = case_step(s, CaseStep::Appeal, actor(Role::Consultant), true).unwrap();
        assert_eq!(
            case_step(
                s,
                CaseStep::DecideAppeal,
                actor(Role::MedicalStaffing),
                true
            )
            .unwrap(),
            CaseStatus::Closed
        );
    }

    #[test]
    fn only_the_chief_executive_decides() {
        for r in Role::ALL.into_iter().filter(|r| *r != Role::ChiefExecutive) {
            assert!(
                case_step(CaseStatus::Recommended, CaseStep::Decide, actor(r), false).is_err(),
                "{r:?}"
            );
        }
    }
}
