//! Records come back typed (PostgreSQL when `TENPA_TEST_DATABASE_URL` is set): a version's
//! assessment reads back as the assessment that was stored, its document as the plan the rules
//! read, and a stored value that does not read is an error naming the record, never taken for an
//! empty one.

mod common;

use common::{execute, fresh_at};
use tenpa_rules::job_planning::Status;
use tenpa_rules::{evaluate, parse_document, Format, Parameters};
use tenpa_store::{ConsultantRecord, NewVersion};

#[tokio::test]
async fn a_stored_assessment_reads_back_and_a_damaged_one_is_an_error_naming_the_plan() {
    let (store, surgery, url) = fresh_at("typed").await;
    let params = Parameters::embedded();
    let path = concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../../examples/surgeon-1-in-4.toml"
    );
    let text = std::fs::read(path).unwrap();
    let plan = parse_document(path, &text, Format::Toml, params).unwrap();
    let assessment = evaluate(&plan, params, None).unwrap();
    store
        .create_consultant(
            "test",
            &ConsultantRecord {
                id: plan.consultant.id.clone(),
                name: plan.consultant.name.clone(),
                department_id: surgery,
                first_appointed: plan.consultant.first_appointed,
                transferred: None,
                seniority_at_transfer: None,
                lead_employer_id: None,
            },
        )
        .await
        .unwrap();
    let document = serde_json::to_value(&plan).unwrap();
    let id = store
        .create_job_plan(
            "test",
            &plan.consultant.id,
            surgery,
            &NewVersion {
                status: Status::Draft,
                action: "create",
                note: "",
                document: &document,
                assessment: &assessment,
                referral_alternate: None,
                sign_off: None,
            },
        )
        .await
        .unwrap();

    let stored = store.job_plan(id).await.unwrap().unwrap();
    assert_eq!(stored.assessment, assessment);
    assert_eq!(stored.plan().unwrap(), plan);
    assert_eq!(
        stored.summary.total_pay_pence,
        assessment.pay.total.pence(),
        "the version's pay is its assessment's"
    );

    execute(
        &url,
        &format!(
            "UPDATE job_plan_versions SET assessment = '{{\"pas\": 1}}' WHERE job_plan_id = {id}"
        ),
    )
    .await;
    let e = store.job_plan(id).await.expect_err("a damaged assessment");
    assert!(
        e.to_string()
            .contains(&format!("job plan {id}'s assessment")),
        "{e}"
    );
    let e = store
        .job_plans_with_assessments(&tenpa_store::Scope::All)
        .await
        .expect_err("the list reads it too");
    assert!(
        e.to_string().contains("does not read as it was stored"),
        "{e}"
    );
}

/// A consultant record, an award, a disclosure, a rota's decision and a review come back with
/// their civil dates as dates; a stored date that does not read, or an award's evidence that does
/// not read, is an error naming the record and the column.
#[tokio::test]
async fn civil_dates_read_back_as_dates_and_a_damaged_one_is_an_error_naming_the_record() {
    use chrono::NaiveDate;
    use tenpa_store::{NewAward, NewRota, Review, Scope};
    let (store, surgery, url) = fresh_at("dates").await;
    let day = |s: &str| s.parse::<NaiveDate>().unwrap();
    store
        .create_consultant(
            "test",
            &ConsultantRecord {
                id: "c-1".into(),
                name: "Dr One".into(),
                department_id: surgery,
                first_appointed: day("2001-09-01"),
                transferred: Some(day("2004-04-01")),
                seniority_at_transfer: Some(3),
                lead_employer_id: None,
            },
        )
        .await
        .unwrap();
    let award = store
        .create_award(
            "test",
            &NewAward {
                consultant_id: "c-1".into(),
                kind: "retention".into(),
                level: None,
                amount_pence: Some(250_000),
                start_date: day("2024-09-01"),
                end_date: Some(day("2026-08-31")),
                body: String::new(),
                evidence: serde_json::json!({ "evidence_of_difficulty": true }),
                notes: String::new(),
            },
        )
        .await
        .unwrap();
    store
        .create_disclosure("test", "c-1", day("2026-02-28"), "none")
        .await
        .unwrap();
    let (rota, _) = store
        .create_rota(
            "test",
            &NewRota {
                department_id: surgery,
                name: "General".into(),
                reason: String::new(),
                action_plan: String::new(),
                members: vec!["c-1".into()],
                category: ("a".into(), day("2004-04-01"), "agreed".into()),
            },
            &[],
        )
        .await
        .unwrap();
    let review = Review {
        id: 0,
        consultant_id: "c-1".into(),
        kind: "interim".into(),
        year_ending: day("2025-09-01"),
        met_time_and_service: true,
        met_objectives_or_reasonable_effort: true,
        took_part_in_appraisal_and_job_planning: true,
        worked_towards_service_changes: true,
        outside_remunerated_work: Default::default(),
        exempted_outside_work: vec![],
        outside_work_consulted: None,
        private_practice_increased: false,
        notes: String::new(),
        created_by: String::new(),
        created_at: String::new(),
    };
    let (review_id, _) = store.create_review("test", &review).await.unwrap();

    let c = store.consultant("c-1").await.unwrap().unwrap();
    assert_eq!(
        (c.first_appointed, c.transferred),
        (day("2001-09-01"), Some(day("2004-04-01")))
    );
    let (fields, _) = store.consultant_record("c-1").await.unwrap().unwrap();
    assert_eq!(fields.first_appointed, day("2001-09-01"));
    let a = store.award(award).await.unwrap().unwrap();
    assert_eq!(
        (a.start_date, a.end_date),
        (day("2024-09-01"), Some(day("2026-08-31")))
    );
    let d = store.disclosures(&Scope::All, None).await.unwrap();
    assert_eq!(d[0].disclosed_on, day("2026-02-28"));
    let r = store.rota(rota).await.unwrap().unwrap();
    assert_eq!(r.decisions[0].effective_from, day("2004-04-01"));
    let stored = store.review(review_id).await.unwrap().unwrap();
    assert_eq!(stored.year_ending, day("2025-09-01"));

    execute(
        &url,
        "UPDATE consultants SET first_appointed = '1 Sept 2001' WHERE id = 'c-1'",
    )
    .await;
    let e = store.consultant("c-1").await.expect_err("a damaged date");
    assert!(
        e.to_string()
            .contains("consultant c-1's first_appointed: \"1 Sept 2001\""),
        "{e}"
    );
    let e = store.staff_records().await.expect_err("the list reads it");
    assert!(
        e.to_string().contains("consultant c-1's first_appointed"),
        "{e}"
    );

    execute(
        &url,
        &format!("UPDATE awards SET evidence = 'not json' WHERE id = {award}"),
    )
    .await;
    let e = store.award(award).await.expect_err("damaged evidence");
    assert!(
        e.to_string().contains(&format!("award {award}'s evidence")),
        "{e}"
    );
    execute(
        &url,
        &format!("UPDATE reviews SET year_ending = '2025-13-01' WHERE id = {review_id}"),
    )
    .await;
    let e = store
        .reviews(&Scope::All)
        .await
        .expect_err("a damaged year end");
    assert!(
        e.to_string()
            .contains(&format!("review {review_id}'s year_ending")),
        "{e}"
    );
}
