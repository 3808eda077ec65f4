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
                first_appointed: plan.consultant.first_appointed.to_string(),
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
