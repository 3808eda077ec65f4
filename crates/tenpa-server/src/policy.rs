//! Who may do what: every check of a role against a record that the API, the pages and the
//! command make, in one place. Each answers a yes or no; the callers say why when it is no.
//!
//! Two principles run through it. A person sees and acts on the records their roles reach: the
//! medical director, medical staffing and the chief executive the whole trust, a clinical director
//! their department, a consultant their own record. And nobody acts for the employer on their own
//! record (JP-1: a job plan and all that hangs on it is agreed between the employer and the
//! consultant): the record linked to one's account is one's own.

use tenpa_rules::job_planning::Role;
use tenpa_store::{ConsultantRecord, JobPlanSummary, Rota, Scope, User};

/// Why an employer's step on one's own record is refused.
pub const OWN_RECORD: &str = "this is your own consultant record, and nobody acts for the employer on their own record (JP-1: a job plan and all that hangs on it is agreed between the employer and the consultant)";

// ---- Reach ----

/// The job plans and records `u` may see: the trust for the medical director, medical staffing and
/// the chief executive; their department for a clinical director; their own for a consultant.
pub fn job_plan_scope(u: &User) -> Scope {
    if u.roles.iter().any(|r| {
        matches!(
            r,
            Role::MedicalDirector | Role::MedicalStaffing | Role::ChiefExecutive
        )
    }) {
        return Scope::All;
    }
    if u.has(Role::ClinicalDirector) {
        if let Some(d) = u.department_id {
            return Scope::Department(d);
        }
    }
    if u.has(Role::Consultant) {
        if let Some(c) = &u.consultant_id {
            return Scope::Consultant(c.clone());
        }
    }
    Scope::Nothing
}

/// Whether `consultant_id` is the consultant record linked to `u`'s account: their own record, on
/// which they act only as the consultant, never for the employer (JP-1, two sides).
pub fn is_own_record(u: &User, consultant_id: &str) -> bool {
    u.consultant_id.as_deref() == Some(consultant_id)
}

/// Whether `plan` is the plan of the consultant record linked to `u`'s account.
pub fn is_own_plan(u: &User, plan: &JobPlanSummary) -> bool {
    is_own_record(u, &plan.consultant_id)
}

/// Whether `u` may see the plan: in their scope, or with them as the named alternate (JP-4's
/// referral, or the sign-off of the medical director's own plan).
pub fn may_see(u: &User, plan: &JobPlanSummary) -> bool {
    if plan.is_with_alternate(&u.username) {
        return true;
    }
    match job_plan_scope(u) {
        Scope::All => true,
        Scope::Department(d) => {
            plan.department_id == d || u.consultant_id.as_deref() == Some(&plan.consultant_id)
        }
        Scope::Consultant(c) => c == plan.consultant_id,
        Scope::Nothing => false,
    }
}

/// Whether `u` manages department `department_id`'s job planning (its rotas and templates): the
/// medical director and medical staffing for every department, a clinical director for theirs.
pub fn manages_department(u: &User, department_id: i64) -> bool {
    u.has(Role::MedicalDirector)
        || u.has(Role::MedicalStaffing)
        || (u.has(Role::ClinicalDirector) && u.department_id == Some(department_id))
}

// ---- Plans and what hangs on them ----

/// Whether `u` may create or edit a plan of `consultant_id` in `department_id`: its department's
/// managers, and the consultant themselves. Private-practice disclosures are recorded by the same.
pub fn may_edit(u: &User, consultant_id: &str, department_id: i64) -> bool {
    u.roles.iter().any(|r| match r {
        Role::MedicalDirector | Role::MedicalStaffing => true,
        Role::ClinicalDirector => u.department_id == Some(department_id),
        Role::Consultant => u.consultant_id.as_deref() == Some(consultant_id),
        _ => false,
    })
}

/// Whether `u` may offer consultant `consultant_id` extra PAs and record the offer's end: the
/// department's managers, never on their own record.
pub fn may_offer_extra_pas(u: &User, consultant_id: &str, department_id: i64) -> bool {
    !is_own_record(u, consultant_id) && manages_department(u, department_id)
}

/// Whether `u` is the consultant an extra-PA offer is made to.
pub fn is_offered_to(u: &User, consultant_id: &str) -> bool {
    u.has(Role::Consultant) && is_own_record(u, consultant_id)
}

/// Whether `u` may add an objective or note for consultant `c`: the consultant, their clinical
/// director, or the medical director.
pub fn may_add_objectives(u: &User, c: &ConsultantRecord) -> bool {
    u.has(Role::MedicalDirector)
        || (u.has(Role::ClinicalDirector) && u.department_id == Some(c.department_id))
        || (u.has(Role::Consultant) && is_own_record(u, &c.id))
}

/// Whether `u` may record a review of consultant `c`: their clinical director or the medical
/// director, never of their own record (JP-1, two sides: the review is the manager's, A 9.2, A 9.4).
pub fn may_review(u: &User, c: &ConsultantRecord) -> bool {
    !is_own_record(u, &c.id)
        && (u.has(Role::MedicalDirector)
            || (u.has(Role::ClinicalDirector) && u.department_id == Some(c.department_id)))
}

/// Whether `u` may record and end awards and premia (of others' records only: callers check
/// [`is_own_record`]).
pub fn may_record_awards(u: &User) -> bool {
    u.has(Role::MedicalDirector) || u.has(Role::MedicalStaffing)
}

// ---- The trust ----

/// Whether `u` administers the trust's employers, departments, accounts and boards.
pub fn may_administer(u: &User) -> bool {
    u.has(Role::Admin)
}

/// Whether `u` may read and import the trust's consultant records.
pub fn may_keep_records(u: &User) -> bool {
    u.has(Role::Admin) || u.has(Role::MedicalStaffing)
}

/// Whether `u` may list a board's directors, record their job descriptions and read the board's
/// report: an administrator, or the board's chair (`chairs`, a relation of the director records
/// linked to `u`'s account, not a role).
pub fn may_keep_board(u: &User, chairs: bool) -> bool {
    may_administer(u) || chairs
}

/// Whether `u` may read the trust-wide reports: the trust dashboard and the on-call report of
/// high-frequency rotas, "reported trust-wide" (OC-10): the medical director, medical staffing
/// and the chief executive.
pub fn may_read_trust_reports(u: &User) -> bool {
    u.has(Role::MedicalDirector) || u.has(Role::MedicalStaffing) || u.has(Role::ChiefExecutive)
}

/// Whether `u` may read the job-plan sign-off measure (JP-1) of `department`, or of the trust when
/// none: the trust's report readers for any, a clinical director for their own department.
pub fn may_read_compliance(u: &User, department: Option<i64>) -> bool {
    may_read_trust_reports(u)
        || (u.has(Role::ClinicalDirector) && department.is_some() && u.department_id == department)
}

/// Whether `u` may take the month's snapshot of the sign-off measure: the medical director or
/// medical staffing.
pub fn may_take_snapshots(u: &User) -> bool {
    u.has(Role::MedicalDirector) || u.has(Role::MedicalStaffing)
}

/// Whether `u` may check the audit log's chain and the stored figures: an administrator or the
/// medical director.
pub fn may_verify_audit(u: &User) -> bool {
    u.has(Role::Admin) || u.has(Role::MedicalDirector)
}

/// Whether `u` may make and read payroll exports: medical staffing, who keep pay.
pub fn may_export_payroll(u: &User) -> bool {
    u.has(Role::MedicalStaffing)
}

/// Whether `u` may create a job plan for someone: the medical director and medical staffing for
/// anyone, a clinical director for their department, a consultant for themselves (each plan is
/// then checked with [`may_edit`]).
pub fn may_create_plans(u: &User) -> bool {
    u.has(Role::MedicalDirector)
        || u.has(Role::MedicalStaffing)
        || (u.has(Role::ClinicalDirector) && u.department_id.is_some())
        || (u.has(Role::Consultant) && u.consultant_id.is_some())
}

/// Whether `u` records professional executive committees: an administrator or a medical director.
pub fn may_record_pecs(u: &User) -> bool {
    u.has(Role::Admin) || u.has(Role::MedicalDirector)
}

/// Whether `u` may read the committees' records: who records them, the chief executive and the
/// board.
pub fn may_read_pecs(u: &User) -> bool {
    may_record_pecs(u)
        || u.has(Role::BoardChair)
        || u.has(Role::BoardMember)
        || u.has(Role::ChiefExecutive)
}

/// Whether `u` may see an on-call rota: those who see the whole trust, its department's managers,
/// and its members.
pub fn may_see_rota(u: &User, rota: &Rota) -> bool {
    let member = u
        .consultant_id
        .as_deref()
        .is_some_and(|c| rota.members.iter().any(|m| m == c));
    match job_plan_scope(u) {
        Scope::All => true,
        Scope::Department(d) => d == rota.department_id || member,
        Scope::Consultant(_) => member,
        Scope::Nothing => false,
    }
}
