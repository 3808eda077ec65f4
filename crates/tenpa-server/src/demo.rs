//! The demo trust: `tenpa serve --demo` fills an empty database with it.
//!
//! One trust, three departments, 25 consultants with job plans at every workflow stage, rotas of
//! different frequencies, a year of reviews and progression decisions, and one account per role
//! (password `tenpa-demo`).

mod board;

use crate::auth::hash_password;
use chrono::{Months, NaiveDate};
use rust_decimal::Decimal;
use tenpa_rules::job_planning::{Action, CaseStatus, Role, Status};
use tenpa_rules::plan::{Employer, EmployerKind, OnCall, OutsideWork};
use tenpa_rules::{evaluate, parse_document, Format, JobPlanDocument, Parameters};
use tenpa_store::{ConsultantRecord, NewStep, NewUser, NewVersion, Review, Store, StoreError};

/// The demo password of every demo account.
pub const PASSWORD: &str = "tenpa-demo";

/// The demo plan (by consultant, from 0) referred to a named alternate because the medical director
/// proposed it (JP-4): Dr Daniel Harris, anaesthetics, `c-anaes-23`.
const MD_PARTY_PLAN: usize = 22;

/// The demo plan (by consultant, from 0) of a consultant with two NHS employers (JP-5): Dr Mei
/// Lin, medicine, `c-med-17`, a draft; the demo trust is the lead employer and the outpatient
/// clinics are with a community trust.
const MULTI_EMPLOYER_PLAN: usize = 16;

/// The demo trust's name, also the lead employer in the multi-employer plan.
const TRUST: &str = "Tenpa Demo NHS Foundation Trust";

/// The second employer of the multi-employer plan.
const COMMUNITY_TRUST: &str = "Tenpa Demo Community Health NHS Trust";

const TEMPLATES: [(&str, &str); 6] = [
    (
        "surgeon",
        include_str!("../../../examples/surgeon-1-in-4.toml"),
    ),
    (
        "physician",
        include_str!("../../../examples/physician-part-time-private.toml"),
    ),
    (
        "anaesthetist",
        include_str!("../../../examples/anaesthetist-weekend-evening.toml"),
    ),
    (
        "psychiatrist",
        include_str!("../../../examples/psychiatrist-1-in-10-b.toml"),
    ),
    (
        "new",
        include_str!("../../../examples/new-consultant-first-phase.toml"),
    ),
    (
        "director",
        include_str!("../../../examples/clinical-director.toml"),
    ),
];

const NAMES: [&str; 25] = [
    "Mr Samuel Okafor",
    "Ms Hannah Price",
    "Mr Tomasz Nowak",
    "Miss Aisha Rahman",
    "Mr David Lloyd",
    "Ms Chloe Evans",
    "Mr Rajesh Patel",
    "Ms Fiona Murray",
    "Mr Owen Hughes",
    "Dr Eleanor Walsh",
    "Dr Kwame Mensah",
    "Dr Sarah Bennett",
    "Dr Imran Qureshi",
    "Dr Lucy Armstrong",
    "Dr Peter Kowalski",
    "Dr Grace Thompson",
    "Dr Mei Lin",
    "Dr Priya Raman",
    "Dr James Fletcher",
    "Dr Amara Nwosu",
    "Dr Rhys Morgan",
    "Dr Sophie Clarke",
    "Dr Daniel Harris",
    "Dr Zara Ahmed",
    "Dr Michael O'Brien",
];

/// The consultant record of the clinical director, Ms Hannah Price, linked to her account: she acts
/// only as the consultant on her own plan and case (JP-1, two sides); the medical director is her
/// manager.
const CD_OWN_RECORD: &str = "c-surg-02";

/// A demo account: username, name, roles, department, consultant record.
type Account = (
    &'static str,
    &'static str,
    &'static [Role],
    Option<i64>,
    Option<&'static str>,
);

/// Why the demo cannot be loaded.
#[derive(Debug, thiserror::Error)]
pub enum DemoError {
    /// The database holds records not made by `--demo`.
    #[error("the database is not empty and was not made by --demo: the demo refuses to load into it (use a new database file)")]
    NotDemo,
    /// The store failed.
    #[error(transparent)]
    Store(#[from] StoreError),
    /// A template did not evaluate.
    #[error("demo data: {0}")]
    Data(String),
}

/// Loads the demo into an empty database; does nothing when the database was made by `--demo`.
/// Returns whether it loaded.
pub async fn load(store: &Store, params: &Parameters) -> Result<bool, DemoError> {
    if !store.is_empty().await? {
        return match store.meta("demo").await?.as_deref() {
            Some("true") => Ok(false),
            _ => Err(DemoError::NotDemo),
        };
    }
    store.set_meta("demo", "true").await?;
    let actor = "demo";
    let trust = store
        .create_employer(actor, TRUST, "trust", "england")
        .await?;
    let surgery = store
        .create_department(actor, trust, "Surgery", "General surgery")
        .await?;
    let medicine = store
        .create_department(actor, trust, "Medicine", "Respiratory and general medicine")
        .await?;
    let anaesthetics = store
        .create_department(
            actor,
            trust,
            "Anaesthetics",
            "Anaesthesia and critical care",
        )
        .await?;
    let hash = hash_password(PASSWORD);

    let stages: [&[Action]; 8] = [
        &[],
        &[Action::Propose],
        &[Action::Propose, Action::Agree],
        &[Action::Propose, Action::Agree, Action::CdSignOff],
        &[
            Action::Propose,
            Action::Agree,
            Action::CdSignOff,
            Action::MdSignOff,
        ],
        &[Action::Propose, Action::NotAgree],
        &[Action::Propose, Action::NotAgree, Action::Refer],
        &[
            Action::Propose,
            Action::NotAgree,
            Action::Refer,
            Action::Appeal,
        ],
    ];
    let today = crate::uk_time::today();
    let supplement_table = params
        .availability_supplement
        .value(today)
        .map_err(|e| DemoError::Data(format!("on_call/availability_supplement.toml: {e}")))?;
    for (i, name) in NAMES.iter().enumerate() {
        let (dept, dept_code, template) = match i {
            0..=8 => (surgery, "surg", if i % 3 == 2 { "new" } else { "surgeon" }),
            9..=16 => (
                medicine,
                "med",
                if i % 4 == 1 {
                    "physician"
                } else if i % 4 == 3 {
                    "psychiatrist"
                } else {
                    "new"
                },
            ),
            _ => (
                anaesthetics,
                "anaes",
                if i == 17 { "director" } else { "anaesthetist" },
            ),
        };
        let n = i + 1;
        let id = format!("c-{dept_code}-{n:02}");
        let mut doc = document(template, params)?;
        doc.consultant.id = id.clone();
        doc.consultant.name = name.to_string();
        let year = 1994 + (i as i32 * 7) % 11;
        if doc.consultant.transferred.is_some() {
            doc.consultant.first_appointed = NaiveDate::from_ymd_opt(year, 1 + (i as u32 % 12), 1)
                .unwrap_or(doc.consultant.first_appointed);
            doc.consultant.post_offered = doc.consultant.first_appointed;
        }
        // The plan's on-call agrees with the demo rotas (JP-2, OC-6): joined with no agreed
        // emergency work when the template has none, removed when the consultant is on no rota.
        match crate::demo_records::commitment(&id, today, supplement_table) {
            Some((n, c)) => match doc.on_call.as_mut() {
                Some(oc) => {
                    oc.rota_size = n;
                    oc.category = Some(c);
                }
                None => {
                    doc.on_call = Some(OnCall {
                        rota_size: n,
                        category: Some(c),
                        emergency_hours_plain: Decimal::ZERO,
                        emergency_hours_premium: Decimal::ZERO,
                        recalls_per_year: None,
                        employer: None,
                        same_responsibilities_as_full_time: None,
                        short_intervals: None,
                    });
                }
            },
            None => doc.on_call = None,
        }
        if i == MULTI_EMPLOYER_PLAN {
            // One integrated job plan across two NHS employers, the demo trust leading (JP-5).
            doc.employers = vec![
                Employer {
                    id: "demo-trust".into(),
                    name: TRUST.into(),
                    kind: EmployerKind::Nhs,
                    lead: true,
                },
                Employer {
                    id: "community".into(),
                    name: COMMUNITY_TRUST.into(),
                    kind: EmployerKind::Nhs,
                    lead: false,
                },
            ];
            for a in doc
                .activities
                .iter_mut()
                .filter(|a| a.title.to_lowercase().contains("clinic"))
            {
                a.employer = Some("community".into());
                a.location = "Riverside Community Hospital, Outpatients".into();
            }
        }
        store
            .create_consultant(
                actor,
                &ConsultantRecord {
                    id: id.clone(),
                    name: name.to_string(),
                    department_id: dept,
                    first_appointed: doc.consultant.first_appointed,
                    transferred: doc.consultant.transferred,
                    seniority_at_transfer: doc.consultant.seniority_at_transfer.map(i64::from),
                    lead_employer_id: Some(trust),
                },
            )
            .await?;
        let assessment =
            evaluate(&doc, params, None).map_err(|e| DemoError::Data(format!("{id}: {e}")))?;
        let document = serde_json::to_value(&doc).map_err(|e| DemoError::Data(e.to_string()))?;
        let mut v = NewVersion {
            status: Status::Draft,
            action: "create",
            note: "",
            document: &document,
            assessment: &assessment,
            referral_alternate: None,
            sign_off: None,
        };
        let plan = store.create_job_plan(actor, &id, dept, &v).await?;
        let mut status = Status::Draft;
        // Most plans are signed off; the rest spread over every other stage.
        let stage = if i % 3 == 0 { 4 } else { i % 8 };
        // One referral where the medical director proposed the plan, so is a party, and the
        // referral is with a named alternate: a clinical director of another department (JP-4).
        let md_party = i == MD_PARTY_PLAN;
        for (k, action) in stages[stage].iter().enumerate() {
            status = next(status, *action);
            v.status = status;
            v.action = action.as_str();
            v.note = match action {
                Action::NotAgree => "The consultant does not agree the number of SPA PAs.",
                Action::Refer if md_party => {
                    "Referred to a named alternate: the Medical Director proposed the plan."
                }
                Action::Refer => "Referred to the Medical Director.",
                Action::Appeal => "Appeal to the local appeals panel.",
                _ => "",
            };
            v.referral_alternate =
                (md_party && *action == Action::Refer).then_some("clinical.director");
            let who = if md_party && *action == Action::Propose {
                "medical.director"
            } else {
                actor
            };
            store
                .add_job_plan_version(who, plan, k as i64 + 1, &v)
                .await?;
        }
    }

    // A year of reviews and progression decisions (PP-3), at every stage.
    for i in 0..12usize {
        let n = i + 1;
        let dept_code = match i {
            0..=8 => "surg",
            9..=16 => "med",
            _ => "anaes",
        };
        let id = format!("c-{dept_code}-{n:02}");
        let met = i % 5 != 3;
        let ending = NaiveDate::from_ymd_opt(2005, 1 + (i % 12) as u32, 1)
            .ok_or_else(|| StoreError::invalid("year_ending", "not a date in the demo"))?;
        // PRV-2: a disclosure two months before the year end, so that the year's disclosure is
        // current, except for Mr Samuel Okafor (`c-surg-01`, the consultant account), whose
        // reported case shows progress refused without the employer's discretion, and
        // `c-med-11`, whose case was decided before any disclosure was on record.
        if !matches!(i, 0 | 10) {
            let on = ending.checked_sub_months(Months::new(2)).unwrap_or(ending);
            store
                .create_disclosure("medical.staffing", &id, on, "None.")
                .await?;
        }
        // PP-4: `c-surg-02` declined an extra PA offered correctly in the year (in
        // `demo_records`) and did private work in the independent sector.
        let outside = if i == 1 {
            OutsideWork::Categories(vec!["independent_sector".into()])
        } else {
            OutsideWork::None
        };
        let review = Review {
            id: 0,
            consultant_id: id.clone(),
            kind: "annual".into(),
            year_ending: ending,
            met_time_and_service: true,
            met_objectives_or_reasonable_effort: met,
            took_part_in_appraisal_and_job_planning: true,
            worked_towards_service_changes: true,
            outside_remunerated_work: outside,
            exempted_outside_work: vec![],
            outside_work_consulted: None,
            private_practice_increased: false,
            notes: if met {
                "Objectives met; activity above plan.".into()
            } else {
                "Two of five objectives not met; no factors outside the consultant's control recorded.".into()
            },
            created_by: String::new(),
            created_at: String::new(),
        };
        // The clinical director's own record is reviewed by her manager (JP-1, two sides).
        let reviewer = if id == CD_OWN_RECORD {
            "medical.director"
        } else {
            "clinical.director"
        };
        let (_, case) = store.create_review(reviewer, &review).await?;
        let Some(case) = case else { continue };
        let outcome = if met { "progress" } else { "defer" };
        let reason = if met {
            ""
        } else {
            "Objectives not met (A 9.4)."
        };
        let steps: &[(&str, CaseStatus, Option<&str>, &str)] = match i % 4 {
            0 => &[],
            1 => &[(
                "recommend",
                CaseStatus::Recommended,
                Some(outcome),
                "medical.director",
            )],
            _ if met => &[
                (
                    "recommend",
                    CaseStatus::Recommended,
                    Some(outcome),
                    "medical.director",
                ),
                (
                    "decide",
                    CaseStatus::Decided,
                    Some(outcome),
                    "chief.executive",
                ),
                ("close", CaseStatus::Closed, None, "medical.staffing"),
            ],
            _ => &[
                (
                    "recommend",
                    CaseStatus::Recommended,
                    Some(outcome),
                    "medical.director",
                ),
                (
                    "decide",
                    CaseStatus::Decided,
                    Some(outcome),
                    "chief.executive",
                ),
                ("appeal", CaseStatus::Appealed, None, "consultant"),
            ],
        };
        for (k, (step, status, outcome, who)) in steps.iter().enumerate() {
            let new = NewStep {
                step,
                status: *status,
                outcome: *outcome,
                reason: if outcome.is_some() { reason } else { "" },
            };
            store.add_case_step(who, case, k as i64 + 1, new).await?;
        }
    }

    crate::demo_records::load(store, [surgery, medicine, anaesthetics]).await?;

    let accounts: [Account; 9] = [
        (
            "consultant",
            "Mr Samuel Okafor",
            &[Role::Consultant],
            Some(surgery),
            Some("c-surg-01"),
        ),
        (
            "consultant2",
            "Dr Eleanor Walsh",
            &[Role::Consultant],
            Some(medicine),
            Some("c-med-10"),
        ),
        (
            "clinical.director",
            "Ms Hannah Price",
            &[Role::ClinicalDirector, Role::Consultant],
            Some(surgery),
            Some(CD_OWN_RECORD),
        ),
        (
            "medical.director",
            "Dr Ruth Adeyemi",
            &[Role::MedicalDirector],
            None,
            None,
        ),
        (
            "chief.executive",
            "Mr Jonathan Reid",
            &[Role::ChiefExecutive],
            None,
            None,
        ),
        (
            "medical.staffing",
            "Ms Karen Doyle",
            &[Role::MedicalStaffing],
            None,
            None,
        ),
        (
            "board.chair",
            "Dame Alison Ford",
            &[Role::BoardChair],
            None,
            None,
        ),
        (
            "board.member",
            "Mr Victor Osei",
            &[Role::BoardMember],
            None,
            None,
        ),
        ("admin", "System Administrator", &[Role::Admin], None, None),
    ];
    for (username, display, roles, department, consultant) in accounts {
        store
            .create_user(
                actor,
                &NewUser {
                    username: username.into(),
                    display_name: display.into(),
                    password_hash: hash.clone(),
                    roles: roles.to_vec(),
                    department_id: department,
                    consultant_id: consultant.map(str::to_string),
                    email: None,
                },
            )
            .await?;
    }
    board::load(store, actor).await?;
    // This year's job-planning round, opened as the demo loads, every department's plans due in
    // three months.
    let today = crate::uk_time::today();
    let deadline = today
        .checked_add_months(Months::new(3))
        .ok_or_else(|| StoreError::invalid("deadline", "not a date in the demo"))?;
    store
        .create_round(
            "medical.director",
            "Job planning this year",
            today,
            &[
                (surgery, deadline),
                (medicine, deadline),
                (anaesthetics, deadline),
            ],
        )
        .await?;
    // This month's snapshot of the sign-off measure, taken by medical staffing as the demo loads,
    // so that the compliance page has one to show again.
    crate::service::compliance::take_as(store, params, "medical.staffing", crate::uk_time::today())
        .await
        .map_err(|e| DemoError::Data(format!("the month's compliance snapshot: {e:?}")))?;
    Ok(true)
}

fn document(template: &str, params: &Parameters) -> Result<JobPlanDocument, DemoError> {
    let (_, text) = TEMPLATES
        .iter()
        .find(|(n, _)| *n == template)
        .ok_or_else(|| DemoError::Data(format!("no template {template}")))?;
    parse_document(template, text.as_bytes(), Format::Toml, params)
        .map_err(|e| DemoError::Data(e.to_string()))
}

fn next(s: Status, a: Action) -> Status {
    use tenpa_rules::job_planning::{transition, Actor};
    Role::ALL
        .into_iter()
        .find_map(|role| {
            transition(
                s,
                a,
                Actor {
                    role,
                    own: role == Role::Consultant,
                    in_department: true,
                    named_alternate: false,
                    manages_the_manager: false,
                },
            )
            .ok()
        })
        .unwrap_or(s)
}
