//! The job-planning workflow: a job plan's states, the actions that move it and who may take them
//! (JP-1, JP-4; F 1, A 9-10); and one integrated job plan across employers (JP-5; F 1(f), A 11-12).
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

mod cases;
mod employers;
pub mod review;
pub mod sign_off;

pub use cases::*;
pub use employers::*;

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

/// JP-2: the job plan sets out the service to be provided for which the consultant is accountable
/// (A 4.1), the consultant's accountability arrangements, professional and managerial, usually to
/// the Clinical or Medical Director (A 6.1), and the facilities, training, development and support
/// the employer provides to deliver it (A 8.2).
pub const JP_2: Rule = Rule {
    id: "JP-2",
    citation: "A 2.3, A 4.1, A 6.1, A 8.2",
    title: "What the job plan sets out",
};

/// JP-2: an info finding naming what the plan does not set out of its service, accountability and
/// supporting resources; nothing when all are recorded.
pub fn check_contents(doc: &crate::plan::JobPlanDocument, f: &mut crate::finding::Findings) {
    let jp = &doc.job_plan;
    let missing: Vec<&str> = [
        (jp.service_provided.is_empty(), "the service to be provided for which the consultant is accountable (A 4.1; job_plan.service_provided)"),
        (jp.accountable_to.is_empty(), "the consultant's accountability arrangements, professional and managerial, usually to the Clinical or Medical Director (A 6.1; job_plan.accountable_to)"),
        (jp.supporting_resources.is_empty(), "the facilities, training, development and support the employer provides to deliver it (A 8.2; job_plan.supporting_resources)"),
    ]
    .iter()
    .filter(|(m, _)| *m)
    .map(|(_, what)| *what)
    .collect();
    if !missing.is_empty() {
        f.info(
            JP_2,
            format!("the job plan does not set out {}", missing.join(", nor ")),
        );
    }
}

/// JP-3: objectives are "appropriate, identified and agreed" (A 7.3) under the A 7.2 headings: a
/// mutual understanding of what the consultant and the employer seek to achieve (A 7.1). An
/// objective is agreed when both sides have agreed the same text: the consultant, and the
/// consultant's manager, who reviews the job plan (A 9.2: "in most cases the Clinical Director or
/// Medical Director"). A changed text is a new proposal both sides agree again. Objectives are not
/// contractually binding; progress and factors outside the consultant's control are recorded and
/// considered at the review (A 7.5-7.7).
pub const JP_3: Rule = Rule {
    id: "JP-3",
    citation: "A 7.1-7.3, A 7.5-7.7",
    title: "Objectives, agreed",
};

/// A side of an objective's agreement (JP-3).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ObjectiveSide {
    /// The consultant whose objective it is.
    Consultant,
    /// The consultant's manager: the clinical director of their department, or the medical
    /// director.
    Manager,
}

/// JP-3: the sides of an objective's agreement a person may give, from their roles and how they
/// stand to the consultant: the consultant agrees for themselves; a clinical director of the
/// consultant's department, or a medical director, for the manager. Nobody agrees both sides of
/// their own objective: a consultant who is also a clinical or medical director agrees their own
/// objectives as the consultant only, so that two people have agreed each one.
pub fn objective_sides(roles: &[Role], own: bool, in_department: bool) -> Vec<ObjectiveSide> {
    let mut out = Vec::new();
    if own && roles.contains(&Role::Consultant) {
        out.push(ObjectiveSide::Consultant);
    }
    let manages = roles.contains(&Role::MedicalDirector)
        || (roles.contains(&Role::ClinicalDirector) && in_department);
    if manages && !own {
        out.push(ObjectiveSide::Manager);
    }
    out
}

/// JP-3: an objective is agreed when both sides have agreed its current text.
pub fn objective_agreed(by_consultant: bool, by_manager: bool) -> bool {
    by_consultant && by_manager
}

/// An objective's state (JP-3): proposed until both sides have agreed its current version.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ObjectiveState {
    /// A side has still to agree the current version.
    Proposed,
    /// Both sides have agreed the current version.
    Agreed,
}

impl ObjectiveState {
    /// The state of an objective whose current version the consultant and the manager have (or
    /// have not) agreed ([`objective_agreed`]).
    pub fn of(by_consultant: bool, by_manager: bool) -> ObjectiveState {
        if objective_agreed(by_consultant, by_manager) {
            ObjectiveState::Agreed
        } else {
            ObjectiveState::Proposed
        }
    }

    /// `proposed` or `agreed`, as stored and as the API gives it.
    pub fn as_str(self) -> &'static str {
        match self {
            ObjectiveState::Proposed => "proposed",
            ObjectiveState::Agreed => "agreed",
        }
    }

    /// The state named `s`, if it is one.
    pub fn parse(s: &str) -> Option<ObjectiveState> {
        [ObjectiveState::Proposed, ObjectiveState::Agreed]
            .into_iter()
            .find(|x| x.as_str() == s)
    }
}

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
    /// The actor is the named alternate for a referral, or for the medical director's sign-off,
    /// where the Medical Director is a party.
    pub named_alternate: bool,
    /// The actor is the medical director and the plan's consultant is the clinical director of
    /// its department: the medical director is then the consultant's manager and takes the
    /// manager's steps ([`JP_1_TWO_SIDES`], A 9.2).
    pub manages_the_manager: bool,
}

/// JP-1, two sides (A 9.1-9.2, A 9.4, F 1(g), A 10.1): a job plan is "agreed between the employer
/// and the individual consultant" and reviewed by "the consultant's manager, ... in most cases the
/// Clinical Director or Medical Director". The consultant cannot be the employer's side of their
/// own plan: nobody takes a step for the employer (drawing it up as manager, disputing, referring,
/// resolving, signing off, reopening, recording an appeal's outcome) on the plan of the consultant
/// record linked to their own account. Their own manager stands in: for a clinical director's own
/// plan the medical director, their manager, takes the clinical director's steps; the medical
/// director's own plan is signed off for the medical director by a named alternate, as a
/// referral is (JP-4's mechanism).
pub const JP_1_TWO_SIDES: Rule = Rule {
    id: "JP-1",
    citation: "A 9.1-9.2, A 9.4, F 1(g), A 10.1",
    title: "Two sides: nobody acts for the employer on their own plan",
};

/// JP-4: the workflow steps by which a person takes part in the initial decision on a job plan:
/// drawing up or editing the document, proposing it, or recording that it is not agreed (F 1(c),
/// F 1(g)). Signing off, resolving and appeals are later decisions, not the initial one.
pub const DECISION_STEPS: [&str; 4] = ["create", "edit", "propose", "not_agree"];

/// JP-4: the roles an alternate to the Medical Director may hold. The "appropriate other person"
/// (F 1(g), A 10.1) stands in for the Medical Director, so it is another medical manager: a Medical
/// Director (a deputy or associate holding the role) or a Clinical Director, the managers who review
/// job plans (A 9.2). Medical staffing supports the process and records the appeals panel's outcome;
/// it does not decide a referral.
pub const ALTERNATE_ROLES: [Role; 2] = [Role::MedicalDirector, Role::ClinicalDirector];

/// Who took part in the initial decision now in dispute (JP-4): the people who took one of the
/// [`DECISION_STEPS`] since the plan was last reopened for a review (each once, in order).
/// `history` is the plan's versions, oldest first, as (action, who).
pub fn decision_takers<'a>(history: &[(&'a str, &'a str)]) -> Vec<&'a str> {
    let start = history
        .iter()
        .rposition(|(action, _)| *action == Action::Reopen.as_str())
        .map_or(0, |i| i + 1);
    let mut out: Vec<&str> = Vec::new();
    for (action, who) in &history[start..] {
        if DECISION_STEPS.contains(action) && !out.contains(who) {
            out.push(who);
        }
    }
    out
}

/// How a person stands to a job plan, for JP-4.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Involvement {
    /// The plan is the person's own (their consultant record).
    pub own_plan: bool,
    /// The person is the clinical director of the plan's department: the consultant's manager, who
    /// reviews the plan (A 9.2).
    pub manager: bool,
    /// The person took one of the [`DECISION_STEPS`] in the current review ([`decision_takers`]).
    pub took_decision_step: bool,
}

/// JP-4 (F 1(g), A 10.1): whether a person is "one of the parties to the initial decision": the
/// consultant whose plan it is, the consultant's manager, or anyone who drew up, edited, proposed or
/// disputed the plan in the current review.
pub fn is_party(i: Involvement) -> bool {
    i.own_plan || i.manager || i.took_decision_step
}

/// Why a referral's named alternate is refused (JP-4).
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum AlternateError {
    /// The Medical Director is a party and no alternate was named.
    #[error("the medical director is a party to the initial decision on this plan, so the referral must name an alternate (JP-4, F 1(g), A 10.1)")]
    Required,
    /// The person named holds none of the [`ALTERNATE_ROLES`].
    #[error("an alternate must hold the medical director or clinical director role (JP-4, F 1(g), A 10.1)")]
    Role,
    /// The person named is a party themselves.
    #[error("the alternate must not be a party to the initial decision on this plan (JP-4, F 1(g), A 10.1)")]
    Party,
    /// The medical director's own plan was signed off by the clinical director without naming
    /// who signs it off for the medical director.
    #[error("this is the medical director's own plan, so the clinical director's sign-off must name an alternate to sign it off for the medical director (JP-1, A 9.1-9.2)")]
    SignOffRequired,
    /// An alternate was named with the sign-off of a plan that is not the medical director's own.
    #[error("an alternate is named with the clinical director's sign-off only when the plan is the medical director's own; the medical director signs off this plan (JP-1, A 9.1-9.2)")]
    SignOffNotNeeded,
}

/// A person named as the alternate for a referral.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Candidate<'a> {
    /// Their roles.
    pub roles: &'a [Role],
    /// How they stand to the plan.
    pub involvement: Involvement,
}

/// JP-4 (F 1(g), A 10.1): checks a referral's named alternate, if any. One must be named when the
/// Medical Director is a party; one may be named otherwise (naming one records that the Medical
/// Director is a party in a way the records do not show). The alternate holds one of
/// [`ALTERNATE_ROLES`] and is not a party themselves.
pub fn check_alternate(
    md_is_party: bool,
    alternate: Option<Candidate<'_>>,
) -> Result<(), AlternateError> {
    let Some(c) = alternate else {
        return if md_is_party {
            Err(AlternateError::Required)
        } else {
            Ok(())
        };
    };
    if !c.roles.iter().any(|r| ALTERNATE_ROLES.contains(r)) {
        return Err(AlternateError::Role);
    }
    if is_party(c.involvement) {
        return Err(AlternateError::Party);
    }
    Ok(())
}

/// [`JP_1_TWO_SIDES`]: checks the alternate named with the clinical director's sign-off, who then
/// signs off for the medical director. One must be named when the plan is the medical director's
/// own (`md_own_plan`), and only then; the alternate is checked as a referral's is
/// ([`check_alternate`]).
pub fn check_sign_off_alternate(
    md_own_plan: bool,
    alternate: Option<Candidate<'_>>,
) -> Result<(), AlternateError> {
    if !md_own_plan && alternate.is_some() {
        return Err(AlternateError::SignOffNotNeeded);
    }
    match check_alternate(md_own_plan, alternate) {
        Err(AlternateError::Required) => Err(AlternateError::SignOffRequired),
        other => other,
    }
}

/// The state after `action` by `actor` from `from` (as [`transition`]) for a plan whose referral
/// or medical director's sign-off may be with a named alternate (JP-4, F 1(g), A 10.1;
/// [`JP_1_TWO_SIDES`]): when `alternate_named`, the referral, or the sign-off of the medical
/// director's own plan, is the alternate's alone, so anyone else is refused `resolve` and
/// `md_sign_off`.
pub fn transition_with_referral(
    from: Status,
    action: Action,
    actor: Actor,
    alternate_named: bool,
) -> Result<Status, WorkflowError> {
    let to = transition(from, action, actor)?;
    if action == Action::Resolve && alternate_named && !actor.named_alternate {
        return Err(WorkflowError::NotAllowed {
            role: actor.role.as_str(),
            action: action.as_str(),
            why: ": the medical director is a party to the initial decision, so the referral is with the named alternate (JP-4, F 1(g), A 10.1)".into(),
        });
    }
    if action == Action::MdSignOff && alternate_named && !actor.named_alternate {
        return Err(WorkflowError::NotAllowed {
            role: actor.role.as_str(),
            action: action.as_str(),
            why: ": it is the medical director's own plan, so the sign-off is with the named alternate (JP-1, A 9.1-9.2)".into(),
        });
    }
    Ok(to)
}

/// The actions `actor` may take from `from` on a plan whose referral may be with a named alternate
/// ([`transition_with_referral`]).
pub fn available_with_referral(from: Status, actor: Actor, alternate_named: bool) -> Vec<Action> {
    Action::ALL
        .into_iter()
        .filter(|a| transition_with_referral(from, *a, actor, alternate_named).is_ok())
        .collect()
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
    // JP-1, two sides: on their own plan a person acts only as the consultant.
    if a.own && a.role != Consultant {
        return Err(": it is their own plan, and nobody acts for the employer on their own plan (JP-1, A 9.1-9.2)".into());
    }
    // The consultant's manager: the clinical director of the department, or the medical director
    // when the consultant is that clinical director (A 9.2).
    let manager = (a.role == ClinicalDirector && a.in_department) || a.manages_the_manager;
    let ok = match action {
        // A plan is drawn up by the manager or proposed by the consultant (F 1(c)).
        Action::Propose => {
            (a.role == Consultant && a.own)
                || manager
                || matches!(a.role, MedicalDirector | MedicalStaffing)
        }
        // Agreement is the consultant's.
        Action::Agree | Action::Appeal => a.role == Consultant && a.own,
        Action::NotAgree | Action::Refer => {
            (a.role == Consultant && a.own) || manager || a.role == MedicalStaffing
        }
        // Referral goes to the Medical Director, or a named alternate when the MD is a party (JP-4).
        Action::Resolve => a.role == MedicalDirector || a.named_alternate,
        // The appeals panel's outcome is recorded by medical staffing.
        Action::DecideAppeal => a.role == MedicalStaffing,
        Action::CdSignOff => manager,
        // The medical director's own plan is signed off by a named alternate (JP-1, two sides).
        Action::MdSignOff => a.role == MedicalDirector || a.named_alternate,
        Action::Reopen => manager || a.role == MedicalDirector,
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
            manages_the_manager: false,
        }
    }

    /// Source: A 7.3 (JP-3): an objective is agreed only when both sides have agreed its current
    /// version; the state reads back from its stored name.
    #[test]
    fn an_objective_is_agreed_by_both_sides() {
        assert_eq!(ObjectiveState::of(true, true), ObjectiveState::Agreed);
        for (c, m) in [(true, false), (false, true), (false, false)] {
            assert_eq!(
                ObjectiveState::of(c, m),
                ObjectiveState::Proposed,
                "{c} {m}"
            );
        }
        for s in [ObjectiveState::Proposed, ObjectiveState::Agreed] {
            assert_eq!(ObjectiveState::parse(s.as_str()), Some(s));
            assert_eq!(serde_json::to_value(s).unwrap(), s.as_str());
        }
        assert_eq!(ObjectiveState::parse("signed"), None);
    }

    /// Source: A 7.3, A 9.2 (JP-3): the consultant agrees for themselves, the clinical director of
    /// their department or the medical director for the manager; nobody agrees both sides.
    #[test]
    fn objective_sides_follow_role_and_relation() {
        use ObjectiveSide::*;
        let c = [Role::Consultant];
        assert_eq!(objective_sides(&c, true, true), [Consultant]);
        assert!(objective_sides(&c, false, true).is_empty());
        let cd = [Role::ClinicalDirector];
        assert_eq!(objective_sides(&cd, false, true), [Manager]);
        assert!(objective_sides(&cd, false, false).is_empty());
        assert_eq!(
            objective_sides(&[Role::MedicalDirector], false, false),
            [Manager]
        );
        let both = [Role::Consultant, Role::ClinicalDirector];
        assert_eq!(objective_sides(&both, true, true), [Consultant]);
        assert_eq!(objective_sides(&both, false, true), [Manager]);
        for r in [Role::ChiefExecutive, Role::MedicalStaffing, Role::Admin] {
            assert!(objective_sides(&[r], false, true).is_empty(), "{r:?}");
        }
        assert!(objective_agreed(true, true));
        assert!(!objective_agreed(true, false) && !objective_agreed(false, true));
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

    /// Source: F 1(g), A 10.1 (JP-4): the parties are those who took part in the initial decision
    /// of the current review; last year's steps, before the reopening, do not count.
    #[test]
    fn decision_takers_are_those_of_the_current_review() {
        let history = [
            ("create", "md"),
            ("propose", "md"),
            ("agree", "consultant"),
            ("md_sign_off", "md"),
            ("reopen", "cd"),
            ("edit", "cd"),
            ("propose", "cd"),
            ("not_agree", "consultant"),
            ("edit", "cd"),
        ];
        assert_eq!(decision_takers(&history), ["cd", "consultant"]);
        assert_eq!(
            decision_takers(&history[..4]),
            ["md"],
            "before the reopening the medical director drew up and proposed the plan"
        );
        assert!(decision_takers(&[]).is_empty());
    }

    /// Source: F 1(g), A 10.1 (JP-4): who is a party.
    #[test]
    fn parties_are_the_consultant_the_manager_and_the_decision_takers() {
        assert!(!is_party(Involvement::default()));
        for i in [
            Involvement {
                own_plan: true,
                ..Default::default()
            },
            Involvement {
                manager: true,
                ..Default::default()
            },
            Involvement {
                took_decision_step: true,
                ..Default::default()
            },
        ] {
            assert!(is_party(i), "{i:?}");
        }
    }

    /// Source: F 1(g), A 10.1 (JP-4): an alternate is required when the medical director is a
    /// party, and must be a medical manager who is not a party.
    #[test]
    fn an_alternate_is_required_when_the_md_is_a_party() {
        let cd = [Role::ClinicalDirector];
        let free = Candidate {
            roles: &cd,
            involvement: Involvement::default(),
        };
        assert_eq!(check_alternate(true, None), Err(AlternateError::Required));
        assert_eq!(check_alternate(false, None), Ok(()));
        assert_eq!(check_alternate(true, Some(free)), Ok(()));
        assert_eq!(check_alternate(false, Some(free)), Ok(()));
        let md = [Role::MedicalDirector];
        assert_eq!(
            check_alternate(true, Some(Candidate { roles: &md, ..free })),
            Ok(()),
            "a deputy medical director"
        );
        for roles in [
            &[Role::MedicalStaffing][..],
            &[Role::Consultant],
            &[Role::ChiefExecutive],
            &[],
        ] {
            assert_eq!(
                check_alternate(true, Some(Candidate { roles, ..free })),
                Err(AlternateError::Role),
                "{roles:?}"
            );
        }
        let manager = Candidate {
            involvement: Involvement {
                manager: true,
                ..Default::default()
            },
            ..free
        };
        assert_eq!(
            check_alternate(true, Some(manager)),
            Err(AlternateError::Party)
        );
        assert!(AlternateError::Required.to_string().contains("JP-4"));
    }

    /// Source: F 1(g), A 10.1 (JP-4): with an alternate named, the medical director (a party) may
    /// not resolve the referral; the alternate may.
    #[test]
    fn the_md_may_not_resolve_a_referral_with_a_named_alternate() {
        let md = actor(Role::MedicalDirector);
        assert_eq!(
            transition_with_referral(Status::Referred, Action::Resolve, md, false),
            Ok(Status::Agreed)
        );
        let e = transition_with_referral(Status::Referred, Action::Resolve, md, true).unwrap_err();
        assert!(matches!(e, WorkflowError::NotAllowed { .. }), "{e}");
        assert!(e.to_string().contains("named alternate"), "{e}");
        assert!(available_with_referral(Status::Referred, md, true).is_empty());
        let alt = Actor {
            named_alternate: true,
            in_department: false,
            ..actor(Role::ClinicalDirector)
        };
        assert_eq!(
            available_with_referral(Status::Referred, alt, true),
            [Action::Resolve]
        );
        // A deputy medical director named as the alternate resolves as the alternate.
        let deputy = Actor {
            named_alternate: true,
            ..md
        };
        assert!(transition_with_referral(Status::Referred, Action::Resolve, deputy, true).is_ok());
        // The consultant's appeal is not affected.
        assert_eq!(
            transition_with_referral(
                Status::Referred,
                Action::Appeal,
                actor(Role::Consultant),
                true
            ),
            Ok(Status::Appeal)
        );
        // Other states are as the plain machine says.
        for s in Status::ALL {
            for r in Role::ALL {
                assert_eq!(
                    available_with_referral(s, actor(r), false),
                    available(s, actor(r))
                );
            }
        }
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

    /// Source: A 9.1-9.2, F 1(g), A 10.1 (JP-1, two sides): on their own plan a clinical or
    /// medical director acts only as the consultant; the medical director takes a clinical
    /// director's steps on the clinical director's own plan.
    #[test]
    fn nobody_acts_for_the_employer_on_their_own_plan() {
        let own = |role| Actor {
            own: true,
            ..actor(role)
        };
        for (from, action) in [
            (Status::Draft, Action::Propose),
            (Status::Proposed, Action::NotAgree),
            (Status::NotAgreed, Action::Refer),
            (Status::Agreed, Action::CdSignOff),
            (Status::SignedOff, Action::Reopen),
        ] {
            let e = transition(from, action, own(Role::ClinicalDirector)).unwrap_err();
            assert!(e.to_string().contains("their own plan"), "{action:?}: {e}");
            // As the consultant, the same person still proposes, disputes and refers.
            if matches!(action, Action::Propose | Action::NotAgree | Action::Refer) {
                assert!(transition(from, action, own(Role::Consultant)).is_ok());
            }
        }
        for (from, action) in [
            (Status::CdSignedOff, Action::MdSignOff),
            (Status::Referred, Action::Resolve),
            (Status::SignedOff, Action::Reopen),
            (Status::Draft, Action::Propose),
        ] {
            assert!(
                transition(from, action, own(Role::MedicalDirector)).is_err(),
                "{action:?}"
            );
        }
        assert!(transition(
            Status::Appeal,
            Action::DecideAppeal,
            own(Role::MedicalStaffing)
        )
        .is_err());
        // The medical director stands in as the clinical director's manager.
        let md = Actor {
            manages_the_manager: true,
            ..actor(Role::MedicalDirector)
        };
        assert_eq!(
            available(Status::Agreed, md),
            [Action::NotAgree, Action::CdSignOff]
        );
        assert!(transition(
            Status::Agreed,
            Action::CdSignOff,
            actor(Role::MedicalDirector)
        )
        .is_err());
        assert_eq!(
            transition(Status::NotAgreed, Action::Refer, md),
            Ok(Status::Referred)
        );
        // With an alternate named at the clinical director's sign-off, the alternate alone signs
        // off for the medical director.
        let e = transition_with_referral(
            Status::CdSignedOff,
            Action::MdSignOff,
            actor(Role::MedicalDirector),
            true,
        )
        .unwrap_err();
        assert!(e.to_string().contains("named alternate"), "{e}");
        let alternate = Actor {
            named_alternate: true,
            in_department: false,
            ..actor(Role::ClinicalDirector)
        };
        assert_eq!(
            available_with_referral(Status::CdSignedOff, alternate, true),
            [Action::MdSignOff]
        );
    }

    /// Source: A 9.1-9.2 (JP-1, two sides): the clinical director's sign-off of the medical
    /// director's own plan names the alternate who signs off for the medical director; no other
    /// sign-off names one.
    #[test]
    fn the_md_own_plan_names_a_sign_off_alternate() {
        let cd = [Role::ClinicalDirector];
        let free = Candidate {
            roles: &cd,
            involvement: Involvement::default(),
        };
        assert_eq!(
            check_sign_off_alternate(true, None),
            Err(AlternateError::SignOffRequired)
        );
        assert_eq!(check_sign_off_alternate(true, Some(free)), Ok(()));
        assert_eq!(check_sign_off_alternate(false, None), Ok(()));
        assert_eq!(
            check_sign_off_alternate(false, Some(free)),
            Err(AlternateError::SignOffNotNeeded)
        );
        let own = Candidate {
            involvement: Involvement {
                own_plan: true,
                ..Default::default()
            },
            roles: &[Role::MedicalDirector],
        };
        assert_eq!(
            check_sign_off_alternate(true, Some(own)),
            Err(AlternateError::Party)
        );
        assert!(AlternateError::SignOffRequired.to_string().contains("JP-1"));
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
