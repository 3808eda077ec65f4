//! The job-planning workflow: a job plan's states, the actions that move it and who may take them
//! (JP-1, JP-4; F 1, A 9-10).
//!
//! ```text
//! draft ──propose──▶ proposed ──agree──▶ agreed ──cd_sign_off──▶ cd_signed_off ──md_sign_off──▶ signed_off
//!                       │                  │                                                     │
//!                       └──not_agree──▶ not_agreed ◀──not_agree──┘                       reopen (interim review)
//!                                          │                                                     ▼
//!                                        refer ──▶ referred ──resolve──▶ agreed               draft
//!                                                     │
//!                                                   appeal ──▶ appeal ──decide_appeal──▶ agreed
//! ```

use crate::rule::Rule;
use serde::{Deserialize, Serialize};
use std::fmt;

/// Roles of people using the system.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
#[allow(missing_docs)]
pub enum Role {
    Consultant,
    ClinicalDirector,
    MedicalDirector,
    MedicalStaffing,
    ChiefExecutive,
    BoardChair,
    BoardMember,
    Admin,
}

impl Role {
    /// Every role.
    pub const ALL: [Role; 8] = [
        Role::Consultant,
        Role::ClinicalDirector,
        Role::MedicalDirector,
        Role::MedicalStaffing,
        Role::ChiefExecutive,
        Role::BoardChair,
        Role::BoardMember,
        Role::Admin,
    ];

    /// The name as stored and shown.
    pub fn as_str(self) -> &'static str {
        match self {
            Role::Consultant => "consultant",
            Role::ClinicalDirector => "clinical_director",
            Role::MedicalDirector => "medical_director",
            Role::MedicalStaffing => "medical_staffing",
            Role::ChiefExecutive => "chief_executive",
            Role::BoardChair => "board_chair",
            Role::BoardMember => "board_member",
            Role::Admin => "admin",
        }
    }

    /// The role with this name.
    pub fn parse(s: &str) -> Option<Role> {
        Role::ALL.into_iter().find(|r| r.as_str() == s)
    }
}

/// A job plan's state.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
#[allow(missing_docs)]
pub enum Status {
    Draft,
    Proposed,
    Agreed,
    CdSignedOff,
    SignedOff,
    NotAgreed,
    Referred,
    Appeal,
}

impl Status {
    /// Every state.
    pub const ALL: [Status; 8] = [
        Status::Draft,
        Status::Proposed,
        Status::Agreed,
        Status::CdSignedOff,
        Status::SignedOff,
        Status::NotAgreed,
        Status::Referred,
        Status::Appeal,
    ];

    /// The name as stored and shown.
    pub fn as_str(self) -> &'static str {
        match self {
            Status::Draft => "draft",
            Status::Proposed => "proposed",
            Status::Agreed => "agreed",
            Status::CdSignedOff => "cd_signed_off",
            Status::SignedOff => "signed_off",
            Status::NotAgreed => "not_agreed",
            Status::Referred => "referred",
            Status::Appeal => "appeal",
        }
    }

    /// The state with this name.
    pub fn parse(s: &str) -> Option<Status> {
        Status::ALL.into_iter().find(|x| x.as_str() == s)
    }

    /// Whether the document may be edited in this state (a new version); otherwise the plan is
    /// under agreement or agreed, and changes need an interim review (`reopen`).
    pub fn editable(self) -> bool {
        matches!(self, Status::Draft | Status::Proposed | Status::NotAgreed)
    }
}

impl fmt::Display for Status {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// Actions that move a job plan between states.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
#[allow(missing_docs)]
pub enum Action {
    Propose,
    Agree,
    NotAgree,
    Refer,
    Resolve,
    Appeal,
    DecideAppeal,
    CdSignOff,
    MdSignOff,
    Reopen,
}

impl Action {
    /// Every action.
    pub const ALL: [Action; 10] = [
        Action::Propose,
        Action::Agree,
        Action::NotAgree,
        Action::Refer,
        Action::Resolve,
        Action::Appeal,
        Action::DecideAppeal,
        Action::CdSignOff,
        Action::MdSignOff,
        Action::Reopen,
    ];

    /// The name as sent and stored.
    pub fn as_str(self) -> &'static str {
        match self {
            Action::Propose => "propose",
            Action::Agree => "agree",
            Action::NotAgree => "not_agree",
            Action::Refer => "refer",
            Action::Resolve => "resolve",
            Action::Appeal => "appeal",
            Action::DecideAppeal => "decide_appeal",
            Action::CdSignOff => "cd_sign_off",
            Action::MdSignOff => "md_sign_off",
            Action::Reopen => "reopen",
        }
    }
}

/// JP-1: every consultant has a job plan, agreed and reviewed annually; an interim review follows a
/// significant change (reopening a signed-off plan).
pub const JP_1: Rule = Rule {
    id: "JP-1",
    citation: "F 1(a)-(b), A 1.1, A 9.1",
    title: "Annual and interim review",
};

/// JP-4: a disagreement is referred to the Medical Director (or another person when the Medical
/// Director is a party), then to a local appeals panel.
pub const JP_4: Rule = Rule {
    id: "JP-4",
    citation: "F 1(g), A 10.1",
    title: "Disagreement, referral and appeal",
};

/// Who is acting, relative to the plan.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Actor {
    /// The role acted in.
    pub role: Role,
    /// The plan is the actor's own (a consultant's own plan).
    pub own: bool,
    /// The plan is in the actor's department (a clinical director's).
    pub in_department: bool,
    /// The actor is the named alternate for a referral where the Medical Director is a party.
    pub named_alternate: bool,
}

/// Why a transition is refused.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum WorkflowError {
    /// The action does not apply in the current state.
    #[error("cannot {action} a job plan that is {status}; from {status} the possible actions are: {possible}")]
    NotFromHere {
        /// The action.
        action: &'static str,
        /// The current state.
        status: &'static str,
        /// Actions possible from it.
        possible: String,
    },
    /// The actor may not take this action.
    #[error("a {role} may not {action} this job plan{why}")]
    NotAllowed {
        /// The role.
        role: &'static str,
        /// The action.
        action: &'static str,
        /// A reason, starting with ": " or empty.
        why: String,
    },
}

fn edge(action: Action) -> (&'static [Status], Status) {
    use Status::*;
    match action {
        Action::Propose => (&[Draft], Proposed),
        Action::Agree => (&[Proposed], Agreed),
        Action::NotAgree => (&[Proposed, Agreed], NotAgreed),
        Action::Refer => (&[NotAgreed], Referred),
        Action::Resolve => (&[Referred], Agreed),
        Action::Appeal => (&[Referred], Appeal),
        Action::DecideAppeal => (&[Appeal], Agreed),
        Action::CdSignOff => (&[Agreed], CdSignedOff),
        Action::MdSignOff => (&[CdSignedOff], SignedOff),
        Action::Reopen => (&[SignedOff], Draft),
    }
}

/// Whether `actor` may take `action` (regardless of state).
fn allowed(action: Action, a: Actor) -> Result<(), String> {
    use Role::*;
    let ok = match action {
        // A plan is drawn up by the manager or proposed by the consultant (F 1(c)).
        Action::Propose => {
            (a.role == Consultant && a.own)
                || (a.role == ClinicalDirector && a.in_department)
                || matches!(a.role, MedicalDirector | MedicalStaffing)
        }
        // Agreement is the consultant's.
        Action::Agree | Action::Appeal => a.role == Consultant && a.own,
        Action::NotAgree | Action::Refer => {
            (a.role == Consultant && a.own)
                || (a.role == ClinicalDirector && a.in_department)
                || a.role == MedicalStaffing
        }
        // Referral goes to the Medical Director, or a named alternate when the MD is a party (JP-4).
        Action::Resolve => a.role == MedicalDirector || a.named_alternate,
        // The appeals panel's outcome is recorded by medical staffing.
        Action::DecideAppeal => a.role == MedicalStaffing,
        Action::CdSignOff => a.role == ClinicalDirector && a.in_department,
        Action::MdSignOff => a.role == MedicalDirector,
        Action::Reopen => {
            (a.role == ClinicalDirector && a.in_department) || a.role == MedicalDirector
        }
    };
    if ok {
        Ok(())
    } else if matches!(action, Action::Agree | Action::Appeal) && a.role == Consultant {
        Err(": only the consultant whose plan it is".into())
    } else if a.role == ClinicalDirector && !a.in_department {
        Err(": the plan is in another department".into())
    } else {
        Err(String::new())
    }
}

/// The state after `action` by `actor` from `from` (JP-1, JP-4).
pub fn transition(from: Status, action: Action, actor: Actor) -> Result<Status, WorkflowError> {
    let (sources, to) = edge(action);
    if !sources.contains(&from) {
        let possible: Vec<&str> = Action::ALL
            .iter()
            .filter(|a| edge(**a).0.contains(&from))
            .map(|a| a.as_str())
            .collect();
        return Err(WorkflowError::NotFromHere {
            action: action.as_str(),
            status: from.as_str(),
            possible: if possible.is_empty() {
                "none".into()
            } else {
                possible.join(", ")
            },
        });
    }
    allowed(action, actor).map_err(|why| WorkflowError::NotAllowed {
        role: actor.role.as_str(),
        action: action.as_str(),
        why,
    })?;
    Ok(to)
}

/// The actions `actor` may take from `from`.
pub fn available(from: Status, actor: Actor) -> Vec<Action> {
    Action::ALL
        .into_iter()
        .filter(|a| transition(from, *a, actor).is_ok())
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn actor(role: Role) -> Actor {
        Actor {
            role,
            own: role == Role::Consultant,
            in_department: role == Role::ClinicalDirector,
            named_alternate: false,
        }
    }

    /// Source: A 9-10: the whole path to sign-off.
    #[test]
    fn the_agreed_path_ends_signed_off() {
        let mut s = Status::Draft;
        for (a, r) in [
            (Action::Propose, Role::ClinicalDirector),
            (Action::Agree, Role::Consultant),
            (Action::CdSignOff, Role::ClinicalDirector),
            (Action::MdSignOff, Role::MedicalDirector),
        ] {
            s = transition(s, a, actor(r)).unwrap();
        }
        assert_eq!(s, Status::SignedOff);
    }

    /// Source: F 1(g), A 10.1 (JP-4): dispute, referral, appeal, outcome.
    #[test]
    fn the_dispute_path_goes_through_referral_and_appeal() {
        let mut s = transition(
            Status::Draft,
            Action::Propose,
            actor(Role::ClinicalDirector),
        )
        .unwrap();
        s = transition(s, Action::NotAgree, actor(Role::Consultant)).unwrap();
        s = transition(s, Action::Refer, actor(Role::Consultant)).unwrap();
        assert_eq!(s, Status::Referred);
        s = transition(s, Action::Appeal, actor(Role::Consultant)).unwrap();
        s = transition(s, Action::DecideAppeal, actor(Role::MedicalStaffing)).unwrap();
        assert_eq!(s, Status::Agreed);
    }

    /// Source: JP-4: a named alternate resolves a referral when the MD is a party.
    #[test]
    fn a_named_alternate_may_resolve_a_referral() {
        let mut alt = actor(Role::ClinicalDirector);
        alt.in_department = false;
        assert!(transition(Status::Referred, Action::Resolve, alt).is_err());
        alt.named_alternate = true;
        assert_eq!(
            transition(Status::Referred, Action::Resolve, alt).unwrap(),
            Status::Agreed
        );
    }

    #[test]
    fn only_the_consultant_agrees_their_own_plan() {
        let mut other = actor(Role::Consultant);
        other.own = false;
        assert!(matches!(
            transition(Status::Proposed, Action::Agree, other),
            Err(WorkflowError::NotAllowed { .. })
        ));
        for r in Role::ALL.into_iter().filter(|r| *r != Role::Consultant) {
            assert!(
                transition(Status::Proposed, Action::Agree, actor(r)).is_err(),
                "{r:?}"
            );
        }
    }

    #[test]
    fn a_clinical_director_signs_off_only_their_department() {
        let mut cd = actor(Role::ClinicalDirector);
        assert!(transition(Status::Agreed, Action::CdSignOff, cd).is_ok());
        cd.in_department = false;
        let e = transition(Status::Agreed, Action::CdSignOff, cd).unwrap_err();
        assert!(e.to_string().contains("another department"), "{e}");
    }

    #[test]
    fn actions_from_the_wrong_state_name_the_possible_ones() {
        let e = transition(
            Status::Draft,
            Action::MdSignOff,
            actor(Role::MedicalDirector),
        )
        .unwrap_err();
        assert_eq!(e.to_string(), "cannot md_sign_off a job plan that is draft; from draft the possible actions are: propose");
    }

    /// Every state is reachable from draft and every state but signed_off can make progress.
    #[test]
    fn the_machine_has_no_dead_ends() {
        for s in Status::ALL {
            let any = Role::ALL.into_iter().any(|r| {
                !available(s, actor(r)).is_empty()
                    || !available(
                        s,
                        Actor {
                            named_alternate: true,
                            ..actor(r)
                        },
                    )
                    .is_empty()
            });
            assert!(any, "{s} is a dead end");
        }
    }

    #[test]
    fn board_roles_and_admin_take_no_job_plan_action() {
        for r in [
            Role::BoardChair,
            Role::BoardMember,
            Role::Admin,
            Role::ChiefExecutive,
        ] {
            for s in Status::ALL {
                assert!(available(s, actor(r)).is_empty(), "{r:?} in {s}");
            }
        }
    }
}

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
        }
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
