//! The demo trust's registers: on-call rotas of several frequencies (two of them high-frequency,
//! one with a reduction from category A to B), objectives with progress notes in a mix of states
//! (agreed, proposed and awaiting the consultant, proposed to both, and one edited after it was
//! agreed, with two versions), and private practice
//! disclosures (one stale, and consultants with none), two extra-PA offers, and awards and premia
//! (two local clinical excellence awards, one national that replaced a local one, and a
//! recruitment premium).

use chrono::{Days, NaiveDate};
use tenpa_rules::job_planning::ObjectiveSide;
use tenpa_rules::plan::OnCallCategory;
use tenpa_store::{NewAward, NewRota, Store, StoreError};

/// Department, name, category, members, reason, action plan.
type DemoRota<'a> = (i64, &'a str, &'a str, Vec<String>, &'a str, &'a str);
/// Consultant, heading, objective, progress notes (note, outside the consultant's control), and
/// how far it is agreed.
type DemoObjective = (
    &'static str,
    &'static str,
    &'static str,
    &'static [(&'static str, bool)],
    Agreement,
);

/// How far a demo objective is agreed (JP-3).
#[derive(Clone, Copy)]
enum Agreement {
    /// Agreed by both sides.
    Both,
    /// Agreed by the manager, waiting for the consultant.
    Manager,
    /// Proposed to both.
    Neither,
    /// Agreed by both, then edited by the manager to this text: version 2, proposed to both.
    EditedTo(&'static str),
}

/// A demo date: `y`-`m`-`d`, evaluated where it is a constant.
const fn ymd(y: i32, m: u32, d: u32) -> NaiveDate {
    match NaiveDate::from_ymd_opt(y, m, d) {
        Some(day) => day,
        None => panic!("not a date"),
    }
}

/// When the demo rotas' categories were agreed: the transfer to the contract.
const TRANSFER: NaiveDate = ymd(2004, 4, 1);
/// The demo's local and national award rounds, and the local award the national one replaced.
const ROUND_2024: NaiveDate = ymd(2024, 4, 1);
const ROUND_2019: NaiveDate = ymd(2019, 4, 1);
const REPLACED_TO: NaiveDate = ymd(2024, 3, 31);
/// The demo recruitment premium's two years.
const PREMIUM_FROM: NaiveDate = ymd(2024, 9, 1);
const PREMIUM_TO: NaiveDate = ymd(2026, 8, 31);

/// The demo rotas; `departments` is (surgery, medicine, anaesthetics).
fn rotas(departments: [i64; 3]) -> [DemoRota<'static>; 5] {
    let [surgery, medicine, anaesthetics] = departments;
    let ids = |prefix: &str, range: std::ops::RangeInclusive<usize>| -> Vec<String> {
        range.map(|n| format!("c-{prefix}-{n:02}")).collect()
    };
    let mut transfer = ids("med", 10..=17);
    transfer.extend(ids("anaes", 18..=19));
    [
    (
        surgery,
        "General surgery emergency on-call",
        "a",
        ids("surg", 1..=4),
        "Four surgeons cover emergency general surgery; two posts were vacant through the year.",
        "Recruit to the two vacant posts by April; join the vascular surgeons' rota for nights from the autumn.",
    ),
    (
        surgery,
        "Vascular surgery on-call",
        "a",
        ids("surg", 5..=9),
        "",
        "",
    ),
    (
        medicine,
        "Respiratory and general medicine on-call",
        "a",
        ids("med", 10..=17),
        "",
        "",
    ),
    (
        medicine,
        "Trust-wide transfer advice line",
        "b",
        transfer,
        "",
        "",
    ),
    (
        anaesthetics,
        "Obstetric anaesthesia on-call",
        "a",
        ids("anaes", 18..=20),
        "Three anaesthetists hold the obstetric competencies needed for the labour ward.",
        "Train two more anaesthetists in obstetric anaesthesia this year; review the rota at the next job plan round.",
    ),
    ]
}

/// The vascular rota's reduction from category A to B (OC-7).
const VASCULAR_TO_B: NaiveDate = ymd(2025, 4, 1);

/// The rota commitment the demo plan of `consultant` holds, as the rotas loaded by [`load`] give it
/// on `today`: the most demanding of the consultant's rotas (OC-6), so that the demo plans agree
/// with the demo rotas.
pub(crate) fn commitment(
    consultant: &str,
    today: chrono::NaiveDate,
    table: &tenpa_rules::parameters::AvailabilitySupplement,
) -> Option<(u32, OnCallCategory)> {
    let mine: Vec<(u32, OnCallCategory)> = rotas([1, 2, 3])
        .into_iter()
        .filter(|r| r.3.iter().any(|m| m == consultant))
        .map(|(_, name, category, members, _, _)| {
            let reduced = name.starts_with("Vascular") && today >= VASCULAR_TO_B;
            let c = if category == "b" || reduced {
                OnCallCategory::B
            } else {
                OnCallCategory::A
            };
            (members.len() as u32, c)
        })
        .collect();
    tenpa_rules::on_call::most_demanding(&mine, table).map(|i| mine[i])
}

/// Loads the registers; `departments` is (surgery, medicine, anaesthetics).
pub(crate) async fn load(store: &Store, departments: [i64; 3]) -> Result<(), StoreError> {
    let rotas = rotas(departments);
    for (department_id, name, category, members, reason, action_plan) in rotas {
        let (id, _) = store
            .create_rota(
                "medical.staffing",
                &NewRota {
                    department_id,
                    name: name.into(),
                    reason: reason.into(),
                    action_plan: action_plan.into(),
                    members,
                    category: (
                        category.into(),
                        TRANSFER,
                        "Category as agreed on transfer to the contract.".into(),
                    ),
                },
                &[],
            )
            .await?;
        if name.starts_with("Vascular") {
            store
                .add_rota_category_decision(
                    "medical.director",
                    id,
                    1,
                    "b",
                    VASCULAR_TO_B,
                    "Returns to site are now rare; advice is given by phone (F 4(h)).",
                    &[],
                )
                .await?;
        }
    }

    let objectives: [DemoObjective; 6] = [
        (
            "c-surg-01",
            "activity_and_efficiency",
            "Deliver 420 elective procedures in the year within the agreed sessions.",
            &[
                ("Mid-year: 205 procedures done, on track.", false),
                (
                    "Two lists lost in February to theatre closures for ventilation works.",
                    true,
                ),
            ],
            Agreement::Both,
        ),
        (
            "c-surg-01",
            "clinical_standards",
            "Keep the surgical site infection rate below 3% in the department audit.",
            &[("Audit at six months: 1.6%.", false)],
            Agreement::EditedTo(
                "Keep the surgical site infection rate below 2% in the department audit.",
            ),
        ),
        (
            "c-surg-01",
            "management_of_resources",
            "Reduce day-case cancellations on the day of surgery by a quarter.",
            &[],
            Agreement::Manager,
        ),
        (
            "c-med-10",
            "clinical_outcomes",
            "Lower 30-day readmissions after COPD exacerbation to the regional average.",
            &[(
                "Readmissions 14% against a 12% regional average; community team vacancy unfilled.",
                true,
            )],
            Agreement::Both,
        ),
        (
            "c-med-10",
            "local_service_objectives",
            "Open a weekly pulmonary rehabilitation clinic.",
            &[("Clinic opened in June.", false)],
            Agreement::Both,
        ),
        (
            "c-anaes-18",
            "clinical_standards",
            "Lead the department's adoption of the national obstetric anaesthesia standards.",
            &[],
            Agreement::Neither,
        ),
    ];
    let year = 2025;
    for (consultant, heading, text, notes, agreement) in objectives {
        let author = if consultant == "c-surg-01" {
            "clinical.director"
        } else {
            "medical.director"
        };
        // The consultant's own account, where the demo has one; others agree through an officer.
        let own = match consultant {
            "c-surg-01" => "consultant",
            "c-med-10" => "consultant2",
            _ => author,
        };
        let id = store
            .create_objective(author, consultant, year, heading, text)
            .await?;
        match agreement {
            Agreement::Both | Agreement::EditedTo(_) => {
                store
                    .agree_objective(author, id, 1, ObjectiveSide::Manager)
                    .await?;
                store
                    .agree_objective(own, id, 1, ObjectiveSide::Consultant)
                    .await?;
            }
            Agreement::Manager => {
                store
                    .agree_objective(author, id, 1, ObjectiveSide::Manager)
                    .await?;
            }
            Agreement::Neither => {}
        }
        for (note, outside) in notes {
            store.add_objective_note(author, id, note, *outside).await?;
        }
        if let Agreement::EditedTo(new_text) = agreement {
            store
                .edit_objective(author, id, 1, heading, new_text)
                .await?;
        }
    }

    let today = crate::uk_time::today();
    let ago = |days: u64| today.checked_sub_days(Days::new(days)).unwrap_or(today);
    let disclosures = [
        (
            "c-surg-01",
            ago(60),
            "Private outpatient clinic, Thursday evenings, 18:00-20:00.",
        ),
        ("c-surg-02", ago(120), "None."),
        (
            "c-med-10",
            ago(400),
            "Medico-legal reports, about four a month, written outside NHS sessions.",
        ),
        ("c-anaes-18", ago(30), "Private lists, alternate Saturdays."),
    ];
    for (consultant, on, commitments) in disclosures {
        store
            .create_disclosure("medical.staffing", consultant, on, commitments)
            .await?;
    }

    // Extra-PA offers (PP-5): two made correctly and declined (the first in the year of
    // `c-surg-02`'s review, which records outside work: PP-4); one accepted at short notice.
    let offers = [
        (
            "c-surg-02",
            serde_json::json!({ "offered_on": "2004-06-01", "starts_on": "2004-10-04", "pas": 1, "response": "declined", "responded_on": "2004-06-15" }),
        ),
        (
            "c-surg-02",
            serde_json::json!({ "offered_on": "2025-03-03", "starts_on": "2025-07-07", "pas": 1, "response": "declined", "responded_on": "2025-03-17" }),
        ),
        (
            "c-med-12",
            serde_json::json!({ "offered_on": "2025-09-01", "starts_on": "2025-10-06", "pas": 2, "basis": "fixed", "at_annual_review": false, "response": "accepted" }),
        ),
    ];
    for (consultant, offer) in offers {
        let parsed: tenpa_rules::plan::ExtraPaOffer = serde_json::from_value(offer)
            .map_err(|e| StoreError::invalid("offer", format!("the demo offer: {e}")))?;
        let stored = serde_json::to_value(&parsed)
            .map_err(|e| StoreError::invalid("offer", e.to_string()))?;
        store
            .create_extra_pa_offer(
                "medical.staffing",
                consultant,
                &parsed.offered_on.to_string(),
                &stored,
            )
            .await?;
    }

    // Awards and premia, all later than the demo plans' effective dates (whose `cea_level` is 0):
    // local levels 2 and 6, national level 12 replacing the local 6 (CEA-2: local level 4 or above
    // held first; CEA-3), and a two-year recruitment premium with its evidence (PAY-4).
    let cea = |consultant: &str, level: i64, body: &str, start: NaiveDate, notes: &str| NewAward {
        consultant_id: consultant.into(),
        kind: "cea".into(),
        level: Some(level),
        amount_pence: None,
        start_date: start,
        end_date: None,
        body: body.into(),
        evidence: serde_json::json!({}),
        notes: notes.into(),
    };
    store
        .create_award(
            "medical.staffing",
            &cea(
                "c-surg-01",
                2,
                "local",
                ROUND_2024,
                "Local award round 2023/24: service development in day surgery.",
            ),
        )
        .await?;
    let replaced = store
        .create_award(
            "medical.staffing",
            &cea(
                "c-anaes-18",
                6,
                "local",
                ROUND_2019,
                "Local award round 2018/19.",
            ),
        )
        .await?;
    store
        .end_award("medical.staffing", replaced, 1, REPLACED_TO)
        .await?;
    store
        .create_award(
            "medical.director",
            &cea(
                "c-anaes-18",
                12,
                "national",
                ROUND_2024,
                "National award; replaces the local level 6 award (CEA-3).",
            ),
        )
        .await?;
    store
        .create_award(
            "medical.staffing",
            &NewAward {
                consultant_id: "c-surg-03".into(),
                kind: "recruitment".into(),
                level: None,
                amount_pence: Some(500_000),
                start_date: PREMIUM_FROM,
                end_date: Some(PREMIUM_TO),
                body: String::new(),
                evidence: serde_json::json!({
                    "evidence_of_difficulty": true,
                    "non_pay_solutions_tried": true,
                    "local_employers_consulted": true,
                }),
                notes: "Two advertisements without an appointable candidate.".into(),
            },
        )
        .await?;
    Ok(())
}
