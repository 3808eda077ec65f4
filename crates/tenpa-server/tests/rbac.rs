//! The RBAC matrix: every operation of the OpenAPI document, asked by every demo account and by an
//! anonymous client, for the `consultant` account's own records (c-surg-01, Surgery) and for
//! another department's consultant's (c-med-10, Medicine), against the outcome the roles give.
//!
//! The roles, as the service's issue states them: a consultant sees and changes their own records;
//! a clinical director their department's; the medical director and medical staffing the trust's;
//! the chief executive sees the trust's records and decides progression; the board chair and board
//! members keep board records; the administrator keeps accounts, API tokens and the audit check.
//! Each expectation below is written from those roles and the handlers' checks (`policy::may_see`,
//! `may_edit`, `objectives::sees`, `may_add`, `progression::may_review`, `rotas::may_manage`, …),
//! never recorded from the server's answers.
//!
//! Each caller gets a fresh server on a fresh database (SQLite, or PostgreSQL when
//! `TENPA_TEST_DATABASE_URL` is set), so a write one caller may make cannot change what the next
//! one finds. Writes carry a body that passes the permission checks and then fails harmlessly
//! where the handler allows (a stale `version: 0`, an empty name, a date that is not a date); a
//! few succeed for a caller who may make them (a new draft job plan, a rota's plans brought into
//! line, a board organisation or director), which touches nothing a later row reads.
//!
//! A row's 404 is never an allowed outcome: every path names a record that exists, so a 404 could
//! only hide a record (no handler does) or mean the route is not served.

mod common;

use common::crawl::{serve, ACCOUNTS};
use reqwest::{Client, Method};
use serde_json::{json, Value};
use std::collections::BTreeSet;

/// The outcome of a request, as far as authorisation goes.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
enum Expect {
    /// Past the permission checks: any status but 401, 403, 404 and 5xx.
    Allow,
    /// 403.
    Deny,
    /// 401.
    Unauthenticated,
    /// 404: the route is not served (OpenID Connect is not configured in the demo trust).
    NotFound,
    /// A server error: never expected.
    Error,
}
use Expect::*;

fn outcome(status: u16) -> Expect {
    match status {
        401 => Unauthenticated,
        403 => Deny,
        404 => NotFound,
        s if s >= 500 => Error,
        _ => Allow,
    }
}

/// Whose record a request names.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
enum Side {
    /// The `consultant` account's (c-surg-01, Surgery).
    Own,
    /// Another department's consultant's (c-med-10, Medicine; the `consultant2` account).
    Other,
    /// No record.
    Neither,
}

/// One consultant's demo records, found through the API as the medical director.
struct Rec {
    consultant: &'static str,
    department: i64,
    plan: i64,
    /// The plan's status (JP-1).
    plan_status: String,
    document: Value,
    objective: i64,
    case: i64,
    /// The case's status (PP-3).
    case_status: String,
    offer: i64,
    offer_awaiting: bool,
    rota: i64,
    award: Option<i64>,
    /// A template of the consultant's department, made by the medical director for the matrix.
    template: i64,
    /// A board set up for the matrix: the `board.chair` account its chair, `board.member` a
    /// non-executive director (whose appraiser is the chair).
    board: Board,
}

/// The board the matrix sets up (the demo trust has none).
#[derive(Clone, Copy)]
struct Board {
    organisation: i64,
    member: i64,
    /// `board.member`'s appraisal, opened by them.
    appraisal: i64,
}

/// What an expectation is worked out from.
struct Ctx<'a> {
    user: Option<&'static str>,
    side: Side,
    rec: &'a Rec,
}

impl Ctx<'_> {
    fn is(&self, names: &[&str]) -> bool {
        self.user.is_some_and(|u| names.contains(&u))
    }
    /// The consultant whose record it is.
    fn owner(&self) -> bool {
        (self.user == Some("consultant") && self.side == Side::Own)
            || (self.user == Some("consultant2") && self.side == Side::Other)
    }
    /// The clinical director of the record's department (Surgery).
    fn department_cd(&self) -> bool {
        self.user == Some("clinical.director") && self.side == Side::Own
    }
    fn md(&self) -> bool {
        self.is(&["medical.director"])
    }
    fn ms(&self) -> bool {
        self.is(&["medical.staffing"])
    }
    /// Sees the consultant's records: own, department, trust (JP-1's job plans and all that hangs
    /// on them).
    fn sees(&self) -> bool {
        self.is(&["medical.director", "medical.staffing", "chief.executive"])
            || self.department_cd()
            || self.owner()
    }
    /// Manages the consultant's records: the department's clinical director, the medical director,
    /// medical staffing.
    fn manages(&self) -> bool {
        self.md() || self.ms() || self.department_cd()
    }
    /// Records objectives and notes: the consultant, their clinical director, the medical director.
    fn adds_objectives(&self) -> bool {
        self.md() || self.department_cd() || self.owner()
    }
    /// Signed in and `allowed`: Allow, else Deny; anonymous: Unauthenticated.
    fn gate(&self, allowed: bool) -> Expect {
        match (self.user, allowed) {
            (None, _) => Unauthenticated,
            (Some(_), true) => Allow,
            (Some(_), false) => Deny,
        }
    }
}

/// How a path's parameter is filled.
#[derive(Clone, Copy)]
enum Param {
    None,
    Fixed(&'static str),
    Plan,
    Rota,
    Objective,
    Offer,
    Case,
    Award,
    Department,
    Template,
    Consultant,
    Organisation,
    /// The organisation, and `?year=2025` after the path.
    OrganisationYear,
    BoardMember,
    Appraisal,
}

/// A request body for a caller and record.
type Body = fn(&Ctx) -> Value;

/// One operation of the matrix.
struct Row {
    method: &'static str,
    path: &'static str,
    param: Param,
    /// Asked for the own and the other record (else once, with no record).
    sided: bool,
    body: Option<Body>,
    expect: fn(&Ctx) -> Expect,
}

fn row(
    method: &'static str,
    path: &'static str,
    param: Param,
    sided: bool,
    body: Option<Body>,
    expect: fn(&Ctx) -> Expect,
) -> Row {
    Row {
        method,
        path,
        param,
        sided,
        body,
        expect,
    }
}

fn anyone(_: &Ctx) -> Expect {
    Allow
}

fn signed_in(c: &Ctx) -> Expect {
    c.gate(true)
}

fn sees(c: &Ctx) -> Expect {
    c.gate(c.sees())
}

/// The workflow step open from a plan's status, and who may take it (JP-1, JP-4: the consultant
/// agrees and appeals; the consultant, their clinical director or medical staffing disagree and
/// refer; the clinical director signs off first, the medical director second and resolves a
/// referral; medical staffing records an appeal's outcome; the clinical or medical director
/// reopens).
fn step_for(status: &str) -> (&'static str, fn(&Ctx) -> bool) {
    match status {
        "draft" => ("propose", |c| {
            c.owner() || c.department_cd() || c.md() || c.ms()
        }),
        "proposed" => ("not_agree", |c| c.owner() || c.department_cd() || c.ms()),
        "not_agreed" => ("refer", |c| c.owner() || c.department_cd() || c.ms()),
        "agreed" => ("cd_sign_off", |c| c.department_cd()),
        "cd_signed_off" => ("md_sign_off", |c| c.md()),
        "signed_off" => ("reopen", |c| c.department_cd() || c.md()),
        "referred" => ("resolve", |c| c.md()),
        "appeal" => ("decide_appeal", |c| c.ms()),
        other => panic!("a plan status the matrix does not know: {other}"),
    }
}

/// The progression step open from a case's status, and who may take it (PP-3: the medical
/// director recommends, the chief executive decides, medical staffing or the chief executive
/// closes, medical staffing records an appeal's outcome). A closed case has no step open: any step
/// is refused for its state (409) to whoever sees it.
fn case_step_for(status: &str) -> (&'static str, fn(&Ctx) -> bool) {
    match status {
        "reported" => ("recommend", |c| c.md()),
        "recommended" => ("decide", |c| c.is(&["chief.executive"])),
        "decided" => ("close", |c| c.ms() || c.is(&["chief.executive"])),
        "appealed" => ("decide_appeal", |c| c.ms()),
        "closed" => ("close", |_| true),
        other => panic!("a case status the matrix does not know: {other}"),
    }
}

fn pec_reader(c: &Ctx) -> Expect {
    c.gate(c.is(&[
        "admin",
        "medical.director",
        "board.chair",
        "board.member",
        "chief.executive",
    ]))
}

/// Operations the matrix does not yet cover, each with why (none now; a new one goes in the matrix,
/// or here with its reason).
const NOT_YET: [(&str, &str); 0] = [];

/// The matrix. `DELETE /api/v1/sessions` comes last: it signs the caller out.
fn rows() -> Vec<Row> {
    use Param as P;
    vec![
        // Open to anyone.
        row("GET", "/healthz", P::None, false, None, anyone),
        row(
            "POST",
            "/api/v1/assessments",
            P::None,
            false,
            Some(|_| json!({})),
            anyone,
        ),
        // Signing in needs no session: everyone may. Each account signs in as itself again (the
        // anonymous client, which keeps no cookies, as `consultant`).
        row(
            "POST",
            "/api/v1/sessions",
            P::None,
            false,
            Some(|c| json!({"username": c.user.unwrap_or("consultant"), "password": "tenpa-demo"})),
            anyone,
        ),
        row("GET", "/api/v1/me", P::None, false, None, signed_in),
        row("GET", "/api/v1/rules", P::None, false, None, anyone),
        row(
            "GET",
            "/api/v1/rules/{id}",
            P::Fixed("OC-6"),
            false,
            None,
            anyone,
        ),
        row("GET", "/api/v1/parameters", P::None, false, None, anyone),
        row(
            "GET",
            "/api/v1/parameters/{path}",
            P::Fixed("pay/scale"),
            false,
            None,
            anyone,
        ),
        // OpenID Connect is not configured in the demo trust: its routes are not served.
        row("GET", "/auth/oidc/login", P::None, false, None, |_| {
            NotFound
        }),
        row("GET", "/auth/oidc/callback", P::None, false, None, |_| {
            NotFound
        }),
        // Job plans (JP-1): seen own, department, trust; edited as `policy::may_edit`.
        row("GET", "/api/v1/job-plans", P::None, false, None, signed_in),
        row(
            "POST",
            "/api/v1/job-plans",
            P::None,
            true,
            Some(|c| json!({"document": c.rec.document, "note": "rbac matrix"})),
            |c| c.gate(c.manages() || c.owner()),
        ),
        row("GET", "/api/v1/job-plans/{id}", P::Plan, true, None, sees),
        row(
            "PUT",
            "/api/v1/job-plans/{id}",
            P::Plan,
            true,
            Some(|c| json!({"version": 0, "document": c.rec.document})),
            |c| c.gate(c.sees() && (c.manages() || c.owner())),
        ),
        // A workflow step (JP-1): the step the plan's status allows, by those `allowed` lets
        // take it; a stale `version` then refuses it (409).
        row(
            "POST",
            "/api/v1/job-plans/{id}/transitions",
            P::Plan,
            true,
            Some(|c| json!({"version": 0, "action": step_for(&c.rec.plan_status).0})),
            |c| c.gate(c.sees() && (step_for(&c.rec.plan_status).1)(c)),
        ),
        row(
            "GET",
            "/api/v1/job-plans/{id}/versions",
            P::Plan,
            true,
            None,
            sees,
        ),
        // Rotas (OC-6, OC-7, OC-10): seen as job plans (a consultant: the rotas they are on);
        // kept by the medical director, medical staffing and the department's clinical director.
        row("GET", "/api/v1/rotas", P::None, false, None, signed_in),
        row(
            "POST",
            "/api/v1/rotas",
            P::None,
            true,
            Some(|c| {
                json!({"department_id": c.rec.department, "name": " ", "category": "a",
                       "effective_from": "2026-01-01", "members": []})
            }),
            |c| c.gate(c.manages()),
        ),
        row("GET", "/api/v1/rotas/{id}", P::Rota, true, None, sees),
        row(
            "PUT",
            "/api/v1/rotas/{id}",
            P::Rota,
            true,
            Some(|_| json!({"version": 0, "name": " ", "members": []})),
            |c| c.gate(c.sees() && c.manages()),
        ),
        row(
            "POST",
            "/api/v1/rotas/{id}/category-decisions",
            P::Rota,
            true,
            Some(|_| {
                json!({"version": 0, "category": "a", "effective_from": "not a date",
                       "reason": ""})
            }),
            |c| c.gate(c.sees() && c.manages()),
        ),
        row(
            "POST",
            "/api/v1/rotas/{id}/plans",
            P::Rota,
            true,
            None,
            |c| c.gate(c.sees() && c.manages()),
        ),
        row(
            "GET",
            "/api/v1/reports/on-call",
            P::None,
            false,
            None,
            |c| c.gate(c.is(&["medical.director", "medical.staffing", "chief.executive"])),
        ),
        // Objectives (JP-3): seen as job plans; recorded, noted, edited and agreed by the
        // consultant, their clinical director or the medical director.
        row("GET", "/api/v1/objectives", P::None, false, None, signed_in),
        row(
            "POST",
            "/api/v1/objectives",
            P::None,
            true,
            Some(|c| {
                json!({"consultant_id": c.rec.consultant, "year": 0,
                       "heading": "clinical_outcomes", "text": "rbac matrix"})
            }),
            |c| c.gate(c.adds_objectives()),
        ),
        row(
            "GET",
            "/api/v1/objectives/{id}",
            P::Objective,
            true,
            None,
            sees,
        ),
        row(
            "PUT",
            "/api/v1/objectives/{id}",
            P::Objective,
            true,
            Some(|_| json!({"version": 0, "heading": "clinical_outcomes", "text": "rbac"})),
            |c| c.gate(c.sees() && c.adds_objectives()),
        ),
        row(
            "POST",
            "/api/v1/objectives/{id}/notes",
            P::Objective,
            true,
            Some(|_| json!({"note": " "})),
            |c| c.gate(c.sees() && c.adds_objectives()),
        ),
        row(
            "POST",
            "/api/v1/objectives/{id}/agreement",
            P::Objective,
            true,
            Some(|_| json!({"version": 0})),
            |c| c.gate(c.sees() && c.adds_objectives()),
        ),
        // Private practice disclosures (PRV-2).
        row(
            "GET",
            "/api/v1/private-practice-disclosures",
            P::None,
            false,
            None,
            signed_in,
        ),
        row(
            "POST",
            "/api/v1/private-practice-disclosures",
            P::None,
            true,
            Some(|c| {
                json!({"consultant_id": c.rec.consultant, "disclosed_on": "not a date",
                       "commitments": ""})
            }),
            |c| c.gate(c.manages() || c.owner()),
        ),
        row(
            "GET",
            "/api/v1/consultants/{id}/private-practice",
            P::Consultant,
            true,
            None,
            sees,
        ),
        // Extra-PA offers (PP-5): recorded and terminated by those who manage the consultant; the
        // consultant answers their own while it awaits an answer.
        row(
            "GET",
            "/api/v1/extra-pa-offers",
            P::None,
            false,
            None,
            signed_in,
        ),
        row(
            "POST",
            "/api/v1/extra-pa-offers",
            P::None,
            true,
            Some(|c| json!({"consultant_id": c.rec.consultant, "offer": {}})),
            |c| c.gate(c.manages()),
        ),
        row(
            "GET",
            "/api/v1/extra-pa-offers/{id}",
            P::Offer,
            true,
            None,
            sees,
        ),
        row(
            "POST",
            "/api/v1/extra-pa-offers/{id}/response",
            P::Offer,
            true,
            Some(|_| json!({"version": 0, "response": "maybe", "responded_on": "not a date"})),
            |c| c.gate(c.sees() && (c.manages() || (c.owner() && c.rec.offer_awaiting))),
        ),
        row(
            "POST",
            "/api/v1/extra-pa-offers/{id}/termination",
            P::Offer,
            true,
            Some(|_| {
                json!({"version": 0, "terminated_on": "not a date",
                       "termination_notice_given_on": "not a date"})
            }),
            |c| c.gate(c.sees() && c.manages()),
        ),
        // Reviews and progression cases (PP-1, PP-3): reviews are recorded by the department's
        // clinical director or the medical director.
        row("GET", "/api/v1/reviews", P::None, false, None, signed_in),
        row(
            "POST",
            "/api/v1/reviews",
            P::None,
            true,
            Some(|c| {
                json!({"consultant_id": c.rec.consultant, "kind": "annual",
                       "year_ending": "2026-03-31", "met_time_and_service": true,
                       "met_objectives_or_reasonable_effort": true,
                       "took_part_in_appraisal_and_job_planning": true,
                       "worked_towards_service_changes": true,
                       "exempted_outside_work": ["not recorded"]})
            }),
            |c| c.gate(c.md() || c.department_cd()),
        ),
        row(
            "GET",
            "/api/v1/progression-cases",
            P::None,
            false,
            None,
            signed_in,
        ),
        row(
            "GET",
            "/api/v1/progression-cases/{id}",
            P::Case,
            true,
            None,
            sees,
        ),
        // A progression step (PP-3): the step the case's status allows, by who may take it; a
        // stale `version` then refuses it (409).
        row(
            "POST",
            "/api/v1/progression-cases/{id}/steps",
            P::Case,
            true,
            Some(|c| {
                let step = case_step_for(&c.rec.case_status).0;
                if matches!(step, "recommend" | "decide" | "decide_appeal") {
                    json!({"version": 0, "step": step, "outcome": "defer", "reason": "rbac"})
                } else {
                    json!({"version": 0, "step": step})
                }
            }),
            |c| c.gate(c.sees() && (case_step_for(&c.rec.case_status).1)(c)),
        ),
        // Awards and premia (CEA-1, PAY-4): recorded and ended by the medical director or
        // medical staffing.
        // The establishment import: an administrator or medical staffing (an empty file is then
        // refused as unreadable, 422).
        row(
            "POST",
            "/api/v1/imports",
            P::None,
            false,
            Some(|_| json!({"kind": "establishment", "csv": "", "dry_run": true})),
            |c| c.gate(c.is(&["admin", "medical.staffing"])),
        ),
        // The organisation: anyone signed in reads the employers and departments; an
        // administrator adds them and keeps the accounts; an administrator or medical staffing
        // reads the consultant records. Writes carry an empty name (422); the account operations
        // name the administrator's own account, which cannot be disabled as the last one (409).
        row("GET", "/api/v1/employers", P::None, false, None, signed_in),
        row(
            "POST",
            "/api/v1/employers",
            P::None,
            false,
            Some(|_| json!({"name": ""})),
            |c| c.gate(c.is(&["admin"])),
        ),
        row(
            "GET",
            "/api/v1/departments",
            P::None,
            false,
            None,
            signed_in,
        ),
        row(
            "POST",
            "/api/v1/departments",
            P::None,
            false,
            Some(|_| json!({"name": ""})),
            |c| c.gate(c.is(&["admin"])),
        ),
        row("GET", "/api/v1/consultants", P::None, false, None, |c| {
            c.gate(c.is(&["admin", "medical.staffing"]))
        }),
        row(
            "GET",
            "/api/v1/departments/{id}",
            P::Department,
            true,
            None,
            signed_in,
        ),
        row(
            "PUT",
            "/api/v1/departments/{id}",
            P::Department,
            true,
            Some(|_| json!({"version": 0, "name": ""})),
            |c| c.gate(c.is(&["admin"])),
        ),
        row(
            "GET",
            "/api/v1/consultants/{id}",
            P::Consultant,
            true,
            None,
            |c| c.gate(c.is(&["admin", "medical.staffing"])),
        ),
        row(
            "PUT",
            "/api/v1/consultants/{id}",
            P::Consultant,
            true,
            Some(|_| json!({"version": 0, "name": "", "department_id": 0, "first_appointed": "x"})),
            |c| c.gate(c.is(&["admin", "medical.staffing"])),
        ),
        row("GET", "/api/v1/users", P::None, false, None, |c| {
            c.gate(c.is(&["admin"]))
        }),
        row(
            "POST",
            "/api/v1/users",
            P::None,
            false,
            Some(|_| json!({"username": "", "roles": []})),
            |c| c.gate(c.is(&["admin"])),
        ),
        row(
            "GET",
            "/api/v1/users/{username}",
            P::Fixed("admin"),
            false,
            None,
            |c| c.gate(c.is(&["admin"])),
        ),
        row(
            "POST",
            "/api/v1/users/{username}/disable",
            P::Fixed("admin"),
            false,
            Some(|_| json!({})),
            |c| c.gate(c.is(&["admin"])),
        ),
        row(
            "POST",
            "/api/v1/users/{username}/enable",
            P::Fixed("admin"),
            false,
            Some(|_| json!({})),
            |c| c.gate(c.is(&["admin"])),
        ),
        row(
            "PUT",
            "/api/v1/users/{username}/links",
            P::Fixed("admin"),
            false,
            Some(|_| json!({"consultant_id": "no-such-record"})),
            |c| c.gate(c.is(&["admin"])),
        ),
        row(
            "PUT",
            "/api/v1/users/{username}/email",
            P::Fixed("admin"),
            false,
            Some(|_| json!({"email": "not an address"})),
            |c| c.gate(c.is(&["admin"])),
        ),
        row(
            "PUT",
            "/api/v1/users/{username}/roles",
            P::Fixed("nobody.here"),
            false,
            Some(|_| json!({"roles": ["no_such_role"]})),
            |c| c.gate(c.is(&["admin"])),
        ),
        row(
            "POST",
            "/api/v1/users/{username}/password",
            P::Fixed("nobody.here"),
            false,
            Some(|_| json!({"password": "short"})),
            |c| c.gate(c.is(&["admin"])),
        ),
        // Payroll exports: medical staffing. A malformed month is then refused (422).
        row(
            "GET",
            "/api/v1/payroll-exports",
            P::None,
            false,
            None,
            |c| c.gate(c.is(&["medical.staffing"])),
        ),
        row(
            "POST",
            "/api/v1/payroll-exports",
            P::None,
            false,
            Some(|_| json!({"period": "not a month"})),
            |c| c.gate(c.is(&["medical.staffing"])),
        ),
        row(
            "GET",
            "/api/v1/payroll-exports/{period}/csv",
            P::Fixed("not-a-month"),
            false,
            None,
            |c| c.gate(c.is(&["medical.staffing"])),
        ),
        row(
            "GET",
            "/api/v1/payroll-exports/{period}/xlsx",
            P::Fixed("not-a-month"),
            false,
            None,
            |c| c.gate(c.is(&["medical.staffing"])),
        ),
        // Notifications: everyone signed in reads and marks their own.
        row(
            "GET",
            "/api/v1/notifications",
            P::None,
            false,
            None,
            signed_in,
        ),
        row(
            "POST",
            "/api/v1/notifications/read",
            P::None,
            false,
            Some(|_| json!({})),
            signed_in,
        ),
        // How each is told: their own address; the outbox for an administrator.
        row(
            "GET",
            "/api/v1/notifications/settings",
            P::None,
            false,
            None,
            signed_in,
        ),
        row(
            "PUT",
            "/api/v1/notifications/settings",
            P::None,
            false,
            Some(|_| json!({"email": "not an address"})),
            signed_in,
        ),
        row("GET", "/api/v1/email/outbox", P::None, false, None, |c| {
            c.gate(c.is(&["admin"]))
        }),
        // Consistency across the trust: the trust's report readers.
        row(
            "GET",
            "/api/v1/reports/consistency",
            P::None,
            false,
            None,
            |c| c.gate(c.is(&["medical.director", "medical.staffing", "chief.executive"])),
        ),
        // Job-planning rounds (the demo opens one as it loads): opened by the medical director and
        // medical staffing (no department given is then refused, 422); seen by the trust's report
        // readers, and by a clinical director for their department's part.
        row(
            "POST",
            "/api/v1/rounds",
            P::None,
            false,
            Some(|_| json!({"title": "Job planning", "deadlines": []})),
            |c| c.gate(c.is(&["medical.director", "medical.staffing"])),
        ),
        row("GET", "/api/v1/rounds", P::None, false, None, |c| {
            c.gate(c.is(&[
                "medical.director",
                "medical.staffing",
                "chief.executive",
                "clinical.director",
            ]))
        }),
        row(
            "GET",
            "/api/v1/rounds/{id}",
            P::Fixed("1"),
            false,
            None,
            |c| {
                c.gate(c.is(&[
                    "medical.director",
                    "medical.staffing",
                    "chief.executive",
                    "clinical.director",
                ]))
            },
        ),
        // The sign-off measure and its snapshots (the demo takes the month's as it loads): the
        // trust's report readers; snapshots are taken by the medical director and medical staffing
        // (again in the month: the stored one, 200). A clinical director reads only their own
        // department's measure, which these requests do not name.
        row("GET", "/api/v1/compliance", P::None, false, None, |c| {
            c.gate(c.is(&["medical.director", "medical.staffing", "chief.executive"]))
        }),
        row(
            "GET",
            "/api/v1/compliance/snapshots",
            P::None,
            false,
            None,
            |c| c.gate(c.is(&["medical.director", "medical.staffing", "chief.executive"])),
        ),
        row(
            "POST",
            "/api/v1/compliance/snapshots",
            P::None,
            false,
            None,
            |c| c.gate(c.is(&["medical.director", "medical.staffing"])),
        ),
        row(
            "GET",
            "/api/v1/compliance/snapshots/{id}",
            P::Fixed("1"),
            false,
            None,
            |c| c.gate(c.is(&["medical.director", "medical.staffing", "chief.executive"])),
        ),
        // Department templates: anyone signed in lists those they may use; made from a plan they
        // see by its department's clinical director, the medical director or medical staffing (an
        // empty name is then refused, 422); retired likewise (a stale version, 409).
        row(
            "GET",
            "/api/v1/plan-templates",
            P::None,
            false,
            None,
            signed_in,
        ),
        row(
            "POST",
            "/api/v1/plan-templates",
            P::None,
            true,
            Some(|c| json!({"plan_id": c.rec.plan, "name": ""})),
            |c| c.gate(c.manages()),
        ),
        row(
            "POST",
            "/api/v1/plan-templates/{id}/retire",
            P::Template,
            true,
            Some(|_| json!({"version": 0})),
            |c| c.gate(c.manages()),
        ),
        row("GET", "/api/v1/awards", P::None, false, None, signed_in),
        row(
            "POST",
            "/api/v1/awards",
            P::None,
            true,
            Some(|c| {
                json!({"consultant_id": c.rec.consultant, "kind": "cea", "level": 99,
                       "start_date": "2026-01-01"})
            }),
            |c| c.gate(c.md() || c.ms()),
        ),
        row(
            "POST",
            "/api/v1/awards/{id}/end",
            P::Award,
            true,
            Some(|_| json!({"version": 0, "end_date": "not a date"})),
            |c| c.gate(c.md() || c.ms()),
        ),
        // The audit log's check: the administrator or the medical director.
        row("GET", "/api/v1/audit/verify", P::None, false, None, |c| {
            c.gate(c.is(&["admin", "medical.director"]))
        }),
        // API tokens: the administrator.
        row(
            "POST",
            "/api/v1/api-tokens",
            P::None,
            false,
            Some(|_| json!({"username": "consultant", "name": " "})),
            |c| c.gate(c.is(&["admin"])),
        ),
        row("GET", "/api/v1/api-tokens", P::None, false, None, |c| {
            c.gate(c.is(&["admin"]))
        }),
        // The demo trust holds no tokens: the administrator passes the check and finds none.
        row(
            "DELETE",
            "/api/v1/api-tokens/{id}",
            P::Fixed("999999"),
            false,
            None,
            |c| match c.user {
                Some("admin") => NotFound,
                _ => c.gate(false),
            },
        ),
        // PECs (PEC-4): read by admins, the medical director, the board and the chief executive.
        row("GET", "/api/v1/pecs", P::None, false, None, pec_reader),
        // A PEC is recorded by an admin or the medical director (an unnamed PCT: 422 after that).
        row(
            "POST",
            "/api/v1/pecs",
            P::None,
            false,
            Some(|_| {
                let member = |name: &str, profession: &str| {
                    json!({"name": name, "profession": profession, "competencies": ["x"],
                           "job_description": "jd"})
                };
                json!({
                    "pct": {"name": " ", "sha": "South Central Strategic Health Authority",
                            "implemented_on": "2007-10-01"},
                    "member": [member("A", "gp"), member("B", "nurse"), member("C", "manager")]
                })
            }),
            |c| c.gate(c.is(&["admin", "medical.director"])),
        ),
        row(
            "GET",
            "/api/v1/pecs/oversight",
            P::None,
            false,
            None,
            pec_reader,
        ),
        // Board records: the framework and the lists, to anyone signed in (filtered to them).
        row(
            "GET",
            "/api/v1/board/framework",
            P::None,
            false,
            None,
            signed_in,
        ),
        row(
            "GET",
            "/api/v1/board/organisations",
            P::None,
            false,
            None,
            signed_in,
        ),
        row(
            "GET",
            "/api/v1/board/appraisals",
            P::None,
            false,
            None,
            signed_in,
        ),
        // Organisations and directors are recorded by an admin (BC-2).
        row(
            "POST",
            "/api/v1/board/organisations",
            P::None,
            false,
            Some(|_| json!({"name": "RBAC matrix trust", "kind": "trust"})),
            |c| c.gate(c.is(&["admin"])),
        ),
        row(
            "POST",
            "/api/v1/board/directors",
            P::None,
            false,
            Some(|c| {
                json!({"organisation_id": c.rec.board.organisation, "name": "RBAC director",
                       "position": "executive"})
            }),
            |c| c.gate(c.is(&["admin"])),
        ),
        // The board's directors, and a job description: its chair or an admin.
        row(
            "GET",
            "/api/v1/board/organisations/{id}/directors",
            P::Organisation,
            false,
            None,
            |c| c.gate(c.is(&["admin", "board.chair"])),
        ),
        row(
            "PUT",
            "/api/v1/board/directors/{id}/job-description",
            P::BoardMember,
            false,
            Some(|_| json!({"domains": ["not a domain"]})),
            |c| c.gate(c.is(&["admin", "board.chair"])),
        ),
        // A director's profile and appraisal: the director, their appraiser (the chair for a
        // non-executive) or the chair; an appraisal is opened by the director or the appraiser.
        row(
            "GET",
            "/api/v1/board/directors/{id}/profile",
            P::BoardMember,
            false,
            None,
            |c| c.gate(c.is(&["board.member", "board.chair"])),
        ),
        row(
            "POST",
            "/api/v1/board/appraisals",
            P::None,
            false,
            Some(|c| json!({"director_id": c.rec.board.member, "year": 0})),
            |c| c.gate(c.is(&["board.member", "board.chair"])),
        ),
        // An appraisal: seen by the director, their appraiser and the chair; the self-assessment
        // is the director's, the discussion the appraiser's, the sign-off both's.
        row(
            "GET",
            "/api/v1/board/appraisals/{id}",
            P::Appraisal,
            false,
            None,
            |c| c.gate(c.is(&["board.member", "board.chair"])),
        ),
        row(
            "PUT",
            "/api/v1/board/appraisals/{id}/self-assessment",
            P::Appraisal,
            false,
            Some(|_| json!({"version": 0, "ratings": {}})),
            |c| c.gate(c.is(&["board.member"])),
        ),
        row(
            "PUT",
            "/api/v1/board/appraisals/{id}/discussion",
            P::Appraisal,
            false,
            Some(|_| json!({"version": 0, "discussion": "", "objectives": ""})),
            |c| c.gate(c.is(&["board.chair"])),
        ),
        row(
            "POST",
            "/api/v1/board/appraisals/{id}/sign-off",
            P::Appraisal,
            false,
            Some(|_| json!({"version": 0})),
            |c| c.gate(c.is(&["board.member", "board.chair"])),
        ),
        // The board report: its chair or an admin.
        row(
            "GET",
            "/api/v1/board/organisations/{id}/report",
            P::OrganisationYear,
            false,
            None,
            |c| c.gate(c.is(&["admin", "board.chair"])),
        ),
        row(
            "GET",
            "/api/v1/board/organisations/{id}/appraisal-consistency",
            P::Organisation,
            false,
            None,
            |c| c.gate(c.is(&["admin", "board.chair"])),
        ),
        // Signing out needs no session: last, as it ends the caller's.
        row("DELETE", "/api/v1/sessions", P::None, false, None, anyone),
    ]
}

async fn get_json(c: &Client, url: &str) -> Value {
    let r = c.get(url).send().await.expect("request");
    assert!(r.status().is_success(), "GET {url}: {}", r.status());
    r.json().await.expect("JSON")
}

async fn sign_in(base: &str, username: &str) -> Client {
    let c = Client::builder().cookie_store(true).build().unwrap();
    let r = c
        .post(format!("{base}/api/v1/sessions"))
        .json(&json!({"username": username, "password": "tenpa-demo"}))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status().as_u16(), 200, "sign in as {username}");
    c
}

/// The demo records of `consultant` (on a rota without `not`), found as the medical director.
async fn records(
    md: &Client,
    base: &str,
    consultant: &'static str,
    not: &str,
    board: Board,
) -> Rec {
    let missing = |what: &str| format!("the demo trust has no {what} of {consultant}");
    let plans = get_json(md, &format!("{base}/api/v1/job-plans")).await;
    let plan = plans
        .as_array()
        .and_then(|l| l.iter().find(|p| p["consultant_id"] == consultant))
        .unwrap_or_else(|| panic!("{}", missing("job plan")));
    let plan_id = plan["id"].as_i64().expect("a plan's id");
    let department = plan["department_id"].as_i64().expect("a plan's department");
    let view = get_json(md, &format!("{base}/api/v1/job-plans/{plan_id}")).await;
    let document = view
        .get("document")
        .or_else(|| view["plan"].get("document"))
        .cloned()
        .expect("a job plan's document");
    let first = |list: &Value, what: &str| {
        list.as_array()
            .and_then(|l| l.iter().find(|v| v["consultant_id"] == consultant))
            .cloned()
            .unwrap_or_else(|| panic!("{}", missing(what)))
    };
    let objective = first(
        &get_json(md, &format!("{base}/api/v1/objectives")).await,
        "objective",
    );
    // A case still open when there is one, so that some step is open.
    let cases = get_json(md, &format!("{base}/api/v1/progression-cases")).await;
    let theirs: Vec<&Value> = cases
        .as_array()
        .map(|l| {
            l.iter()
                .filter(|c| c["consultant_id"] == consultant)
                .collect()
        })
        .unwrap_or_default();
    let case = theirs
        .iter()
        .find(|c| c["status"] != "closed")
        .or(theirs.first())
        .copied()
        .cloned()
        .unwrap_or_else(|| panic!("{}", missing("progression case")));
    // The demo trust's offers are to other consultants: one is made here, awaiting an answer.
    let r = md
        .post(format!("{base}/api/v1/extra-pa-offers"))
        .json(&json!({"consultant_id": consultant,
                      "offer": {"offered_on": "2026-01-05", "starts_on": "2026-06-01", "pas": 1}}))
        .send()
        .await
        .expect("request");
    assert_eq!(r.status().as_u16(), 201, "an offer to {consultant}");
    let offer: Value = r.json().await.expect("JSON");
    let rotas = get_json(md, &format!("{base}/api/v1/rotas")).await;
    let on = |r: &Value, c: &str| {
        r["members"]
            .as_array()
            .is_some_and(|m| m.iter().any(|x| x == c))
    };
    let rota = rotas
        .as_array()
        .and_then(|l| {
            l.iter()
                .find(|r| r["department_id"] == department && on(r, consultant) && !on(r, not))
        })
        .unwrap_or_else(|| panic!("{}", missing("departmental rota")));
    let r = md
        .post(format!("{base}/api/v1/plan-templates"))
        .json(&json!({"plan_id": plan_id, "name": format!("rbac {consultant}")}))
        .send()
        .await
        .expect("request");
    assert_eq!(
        r.status().as_u16(),
        201,
        "a template of {consultant}'s department"
    );
    let template: Value = r.json().await.expect("JSON");
    let awards = get_json(md, &format!("{base}/api/v1/awards")).await;
    let award = awards.as_array().and_then(|l| {
        l.iter()
            .find(|a| a["consultant_id"] == consultant)
            .and_then(|a| a["id"].as_i64())
    });
    Rec {
        consultant,
        department,
        plan: plan_id,
        plan_status: plan["status"]
            .as_str()
            .expect("a plan's status")
            .to_string(),
        document,
        objective: objective["id"].as_i64().expect("an objective's id"),
        case: case["id"].as_i64().expect("a case's id"),
        case_status: case["status"]
            .as_str()
            .expect("a case's status")
            .to_string(),
        offer: offer["id"].as_i64().expect("an offer's id"),
        offer_awaiting: offer["awaiting_response"]
            .as_bool()
            .expect("an offer's awaiting_response"),
        rota: rota["id"].as_i64().expect("a rota's id"),
        award,
        template: template["id"].as_i64().expect("a template's id"),
        board,
    }
}

async fn created(c: &Client, url: String, body: Value) -> i64 {
    let r = c.post(&url).json(&body).send().await.expect("request");
    assert_eq!(r.status().as_u16(), 201, "POST {url} {body}");
    let v: Value = r.json().await.expect("JSON");
    v["id"].as_i64().expect("an id")
}

/// A board, recorded by the admin: `board.chair` its chair, `board.member` a non-executive.
async fn set_up_board(base: &str) -> Board {
    let admin = sign_in(base, "admin").await;
    let organisation = created(
        &admin,
        format!("{base}/api/v1/board/organisations"),
        json!({"name": "Board of the matrix", "kind": "trust"}),
    )
    .await;
    let director = |username: &str, position: &str| {
        json!({"organisation_id": organisation, "name": username, "username": username,
               "position": position})
    };
    let url = format!("{base}/api/v1/board/directors");
    created(&admin, url.clone(), director("board.chair", "chair")).await;
    let member = created(&admin, url, director("board.member", "non_executive")).await;
    let appraisal = created(
        &sign_in(base, "board.member").await,
        format!("{base}/api/v1/board/appraisals"),
        json!({"director_id": member, "year": 2025}),
    )
    .await;
    Board {
        organisation,
        member,
        appraisal,
    }
}

fn path_of(row: &Row, rec: &Rec, other: &Rec) -> String {
    let value = match row.param {
        Param::None => return row.path.to_string(),
        Param::Fixed(v) => v.to_string(),
        Param::Plan => rec.plan.to_string(),
        Param::Rota => rec.rota.to_string(),
        Param::Objective => rec.objective.to_string(),
        Param::Offer => rec.offer.to_string(),
        Param::Case => rec.case.to_string(),
        // Awards are ended by role alone, whoever holds them.
        Param::Award => rec
            .award
            .or(other.award)
            .expect("the demo trust has an award")
            .to_string(),
        Param::Template => rec.template.to_string(),
        Param::Department => rec.department.to_string(),
        Param::Consultant => rec.consultant.to_string(),
        Param::Organisation => rec.board.organisation.to_string(),
        Param::OrganisationYear => {
            let id = rec.board.organisation.to_string();
            return format!("{}?year=2025", row.path.replace("{id}", &id));
        }
        Param::Appraisal => rec.board.appraisal.to_string(),
        Param::BoardMember => rec.board.member.to_string(),
    };
    row.path
        .replace("{id}", &value)
        .replace("{path}", &value)
        .replace("{username}", &value)
        .replace("{period}", &value)
}

/// The OpenAPI document's operations that have no row, and the rows (and `NOT_YET` entries) for
/// no operation.
fn unmatched(openapi: &Value, rows: &[Row]) -> Vec<String> {
    let mut ops = BTreeSet::new();
    for (path, item) in openapi["paths"].as_object().expect("paths") {
        for method in item.as_object().expect("a path item").keys() {
            if ["get", "post", "put", "delete", "patch"].contains(&method.as_str()) {
                ops.insert((method.to_uppercase(), path.clone()));
            }
        }
    }
    let mut covered = BTreeSet::new();
    let mut problems = vec![];
    let listed = rows
        .iter()
        .map(|r| (r.method, r.path))
        .chain(NOT_YET.iter().copied());
    for (m, p) in listed {
        if !covered.insert((m.to_string(), p.to_string())) {
            problems.push(format!("{m} {p} has two rows"));
        }
    }
    for (m, p) in ops.difference(&covered) {
        problems.push(format!("{m} {p} is in the OpenAPI document but has no row"));
    }
    for (m, p) in covered.difference(&ops) {
        problems.push(format!(
            "{m} {p} has a row but is not in the OpenAPI document"
        ));
    }
    problems
}

/// Source: the roles of the service's issue (consultant: own records; clinical director: their
/// department; medical director and medical staffing: the trust; chief executive: progression
/// decisions; board chair and member: board records; administrator: accounts and parameters), as
/// the handlers check them.
#[tokio::test]
async fn every_role_against_every_operation() {
    let rows = rows();
    let mut mismatches = vec![];
    let mut callers: Vec<Option<&'static str>> = ACCOUNTS.iter().copied().map(Some).collect();
    callers.push(None);
    for (n, user) in callers.into_iter().enumerate() {
        let db = common::fresh_db_url().await;
        let base = serve(&db, true).await;
        if n == 0 {
            let openapi = get_json(&Client::new(), &format!("{base}/api/openapi.json")).await;
            let problems = unmatched(&openapi, &rows);
            assert!(
                problems.is_empty(),
                "every operation needs one row:\n{}",
                problems.join("\n")
            );
        }
        let board = set_up_board(&base).await;
        let md = sign_in(&base, "medical.director").await;
        let own = records(&md, &base, "c-surg-01", "c-med-10", board).await;
        let other = records(&md, &base, "c-med-10", "c-surg-01", board).await;
        assert_ne!(own.department, other.department, "two departments");
        let client = match user {
            Some(u) => sign_in(&base, u).await,
            None => Client::new(),
        };
        for r in &rows {
            let sides: &[Side] = if r.sided {
                &[Side::Own, Side::Other]
            } else {
                &[Side::Neither]
            };
            for &side in sides {
                let (rec, alt) = match side {
                    Side::Other => (&other, &own),
                    _ => (&own, &other),
                };
                let path = path_of(r, rec, alt);
                let method = Method::from_bytes(r.method.as_bytes()).expect("a method");
                let mut req = client.request(method, format!("{base}{path}"));
                let ctx = Ctx { user, side, rec };
                if let Some(body) = r.body {
                    req = req.json(&body(&ctx));
                }
                let status = req.send().await.expect("request").status().as_u16();
                let expected = (r.expect)(&ctx);
                if outcome(status) != expected {
                    let which = match side {
                        Side::Own => " (own)",
                        Side::Other => " (other)",
                        Side::Neither => "",
                    };
                    mismatches.push(format!(
                        "{} {} {path}{which}: expected {expected:?}, got status {status}",
                        user.unwrap_or("anonymous"),
                        r.method,
                    ));
                }
            }
        }
    }
    assert!(
        mismatches.is_empty(),
        "{} requests were not answered as the roles give:\n{}",
        mismatches.len(),
        mismatches.join("\n")
    );
}

/// Takes a workflow step on plan `id` at its current version; the status code and the answer.
async fn step(
    c: &Client,
    base: &str,
    id: i64,
    action: &str,
    alternate: Option<&str>,
) -> (u16, Value) {
    let plan = get_json(c, &format!("{base}/api/v1/job-plans/{id}")).await;
    let mut body = json!({"version": plan["version"], "action": action, "note": "two sides"});
    if let Some(a) = alternate {
        body["alternate"] = json!(a);
    }
    let r = c
        .post(format!("{base}/api/v1/job-plans/{id}/transitions"))
        .json(&body)
        .send()
        .await
        .expect("request");
    let status = r.status().as_u16();
    (status, r.json().await.unwrap_or(Value::Null))
}

/// The id of `consultant`'s job plan, found as `c`.
async fn plan_of(c: &Client, base: &str, consultant: &str) -> i64 {
    let plans = get_json(c, &format!("{base}/api/v1/job-plans")).await;
    plans
        .as_array()
        .and_then(|l| l.iter().find(|p| p["consultant_id"] == consultant))
        .and_then(|p| p["id"].as_i64())
        .unwrap_or_else(|| panic!("a job plan of {consultant}"))
}

/// Source: A 9.1-9.2, A 9.4, F 1(g), A 10.1 (JP-1, two sides), C 4.2-4.3 (PP-3): nobody acts for
/// the employer on the plan or case of the consultant record linked to their own account. The
/// demo's clinical director, Ms Hannah Price, is linked to her own record (c-surg-02): on her plan
/// she acts only as the consultant, and the medical director, her manager, takes the clinical
/// director's steps. A medical director linked to their own record (added here: `md.own`, for
/// c-surg-03) cannot sign off their own plan: the clinical director's sign-off names an alternate
/// who signs off for them, and nobody else may. Nobody records the review of their own record,
/// recommends on their own progression case, offers themselves extra PAs or records their own
/// award.
#[tokio::test]
async fn nobody_acts_for_the_employer_on_their_own_records() {
    let db = common::fresh_db_url().await;
    let base = serve(&db, true).await;
    let store = common::add_own_md_account(&db).await;
    // A second enabled account for one consultant record is refused.
    let second = store
        .create_user(
            "test",
            &tenpa_store::NewUser {
                username: "md.twice".into(),
                display_name: "Dr Twice".into(),
                password_hash: String::new(),
                roles: vec![tenpa_rules::job_planning::Role::Consultant],
                department_id: None,
                consultant_id: Some("c-surg-03".into()),
                email: None,
            },
        )
        .await
        .expect_err("a second account for c-surg-03");
    assert!(second.to_string().contains("md.own"), "{second}");

    let cd = sign_in(&base, "clinical.director").await;
    let md = sign_in(&base, "medical.director").await;
    let md_own = sign_in(&base, "md.own").await;

    // The clinical director's own plan: she agrees it as the consultant ...
    let hers = plan_of(&md, &base, "c-surg-02").await;
    let plan = get_json(&cd, &format!("{base}/api/v1/job-plans/{hers}")).await;
    assert_eq!(
        plan["status"], "proposed",
        "the demo leaves her plan proposed"
    );
    assert_eq!(
        plan["actions"],
        json!(["agree", "not_agree"]),
        "only the consultant's steps"
    );
    assert_eq!(step(&cd, &base, hers, "agree", None).await.0, 200);
    // ... but does not sign it off; the medical director, her manager, does, then signs off as
    // medical director.
    let (status, refusal) = step(&cd, &base, hers, "cd_sign_off", None).await;
    assert_eq!(status, 403, "{refusal}");
    assert!(
        refusal.to_string().contains("their own plan"),
        "the refusal says why: {refusal}"
    );
    let plan = get_json(&md, &format!("{base}/api/v1/job-plans/{hers}")).await;
    let open = plan["actions"].as_array().expect("actions");
    assert!(open.contains(&json!("cd_sign_off")), "{open:?}");
    assert_eq!(step(&md, &base, hers, "cd_sign_off", None).await.0, 200);
    assert_eq!(step(&cd, &base, hers, "md_sign_off", None).await.0, 403);
    assert_eq!(step(&md, &base, hers, "md_sign_off", None).await.0, 200);
    // Reopening is the employer's: not hers.
    assert_eq!(step(&cd, &base, hers, "reopen", None).await.0, 403);
    assert_eq!(step(&md, &base, hers, "reopen", None).await.0, 200);

    // The medical director's own plan (c-surg-03): proposed and agreed as the consultant, then
    // signed off by the clinical director, who must name an alternate for the medical director.
    let theirs = plan_of(&md, &base, "c-surg-03").await;
    let plan_status = |id: i64| {
        let md = &md;
        let base = &base;
        async move { get_json(md, &format!("{base}/api/v1/job-plans/{id}")).await["status"].clone() }
    };
    if plan_status(theirs).await == "draft" {
        assert_eq!(step(&md_own, &base, theirs, "propose", None).await.0, 200);
    }
    if plan_status(theirs).await == "proposed" {
        assert_eq!(step(&md_own, &base, theirs, "agree", None).await.0, 200);
    }
    assert_eq!(plan_status(theirs).await, "agreed");
    let (status, missing) = step(&cd, &base, theirs, "cd_sign_off", None).await;
    assert_eq!(status, 422, "{missing}");
    assert!(
        missing.to_string().contains("medical director's own plan"),
        "{missing}"
    );
    assert_eq!(
        step(&cd, &base, theirs, "cd_sign_off", Some("md.own"))
            .await
            .0,
        422,
        "the medical director is a party to their own plan"
    );
    assert_eq!(
        step(&cd, &base, theirs, "cd_sign_off", Some("medical.director"))
            .await
            .0,
        200
    );
    // The alternate alone signs off: not the medical director whose plan it is.
    assert_eq!(
        step(&md_own, &base, theirs, "md_sign_off", None).await.0,
        403
    );
    let plan = get_json(&md, &format!("{base}/api/v1/job-plans/{theirs}")).await;
    assert_eq!(plan["referral_alternate"], "medical.director");
    assert_eq!(plan["actions"], json!(["md_sign_off"]));
    assert_eq!(step(&md, &base, theirs, "md_sign_off", None).await.0, 200);
    // Reviews and progression: nobody records their own review or recommends on their own case.
    let review = |consultant: &str| {
        json!({"consultant_id": consultant, "kind": "annual", "year_ending": "2026-01-01",
               "met_time_and_service": true, "met_objectives_or_reasonable_effort": true,
               "took_part_in_appraisal_and_job_planning": true,
               "worked_towards_service_changes": true})
    };
    let post =
        |c: &Client, body: Value| c.post(format!("{base}/api/v1/reviews")).json(&body).send();
    assert_eq!(
        post(&cd, review("c-surg-02"))
            .await
            .expect("request")
            .status()
            .as_u16(),
        403
    );
    assert_eq!(
        post(&md_own, review("c-surg-03"))
            .await
            .expect("request")
            .status()
            .as_u16(),
        403
    );
    let r = post(&cd, review("c-surg-03")).await.expect("request");
    assert_eq!(r.status().as_u16(), 201);
    let case = r.json::<Value>().await.expect("JSON")["progression_case_id"]
        .as_i64()
        .expect("a case");
    let recommend = |c: &Client| {
        c.post(format!("{base}/api/v1/progression-cases/{case}/steps"))
            .json(
                &json!({"version": 1, "step": "recommend", "outcome": "progress",
                          "reason": "two sides"}),
            )
            .send()
    };
    // Nor offers themselves extra PAs, or records their own award: past the permission check
    // another manager's harmless body fails as bad input (400 or 422) instead.
    let send =
        |c: &Client, path: &str, body: Value| c.post(format!("{base}{path}")).json(&body).send();
    let offer = |consultant: &str| json!({"consultant_id": consultant, "offer": {}});
    let award = |consultant: &str| json!({"consultant_id": consultant, "kind": "cea", "level": 99, "start_date": "2026-01-01"});
    for (who, path, body, refused) in [
        (&cd, "/api/v1/extra-pa-offers", offer("c-surg-02"), true),
        (&md, "/api/v1/extra-pa-offers", offer("c-surg-02"), false),
        (&md_own, "/api/v1/awards", award("c-surg-03"), true),
        (&md, "/api/v1/awards", award("c-surg-03"), false),
    ] {
        let status = send(who, path, body.clone())
            .await
            .expect("request")
            .status();
        assert_eq!(status == 403, refused, "{path} {body}: {status}");
        assert!(status.is_client_error(), "{path} {body}: {status}");
    }
    assert_eq!(
        recommend(&md_own).await.expect("request").status().as_u16(),
        403
    );
    assert_eq!(
        recommend(&md).await.expect("request").status().as_u16(),
        200
    );
}
