//! `Store::job_plans_with_assessments` returns what `job_plans` and `job_plan` return one by one,
//! on SQLite and (with `TENPA_TEST_DATABASE_URL`) on PostgreSQL.

mod common;

use tenpa_rules::Parameters;
use tenpa_store::{Scope, Store};

#[tokio::test]
async fn plans_with_assessments_match_the_records_one_by_one() {
    let store = Store::connect(&common::fresh_db_url().await)
        .await
        .expect("store");
    tenpa_server::demo::load(&store, Parameters::embedded())
        .await
        .expect("demo");
    let departments = store.departments().await.unwrap();
    let mut scopes = vec![Scope::All, Scope::Nothing];
    scopes.extend(departments.iter().map(|d| Scope::Department(d.id)));
    scopes.push(Scope::Consultant("c-surg-01".into()));
    for scope in scopes {
        let summaries = store.job_plans(&scope).await.unwrap();
        let records = store.job_plans_with_assessments(&scope).await.unwrap();
        assert_eq!(records.len(), summaries.len(), "{scope:?}");
        for (r, s) in records.iter().zip(&summaries) {
            assert_eq!(&r.summary, s);
            let one = store.job_plan(s.id).await.unwrap().unwrap();
            assert_eq!(r, &one);
            assert_eq!(r.assessment.pay.total.pence(), s.total_pay_pence);
        }
    }
    assert_eq!(
        store
            .job_plans_with_assessments(&Scope::All)
            .await
            .unwrap()
            .len(),
        25
    );
}
