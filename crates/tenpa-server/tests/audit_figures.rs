//! `GET /api/v1/audit/verify` works each stored job plan version's pay out again from its document
//! and names the versions whose stored figures differ. On a fresh SQLite file, and on a fresh
//! PostgreSQL database when `TENPA_TEST_DATABASE_URL` is set.

mod common;

use common::crawl::serve_demo;
use common::fresh_db_url;
use reqwest::{Client, StatusCode};
use serde_json::{json, Value};
use sqlx::Connection;

async fn sql(db_url: &str, statement: &str) {
    if db_url.starts_with("postgres") {
        let mut c = sqlx::PgConnection::connect(db_url).await.unwrap();
        sqlx::query(statement).execute(&mut c).await.unwrap();
    } else {
        let mut c = sqlx::SqliteConnection::connect(db_url).await.unwrap();
        sqlx::query(statement).execute(&mut c).await.unwrap();
    }
}

#[tokio::test]
async fn a_tampered_stored_total_is_reported_by_plan_and_version() {
    let db_url = fresh_db_url().await;
    let base = serve_demo(&db_url).await;
    let md = Client::builder().cookie_store(true).build().unwrap();
    let r = md
        .post(format!("{base}/api/v1/sessions"))
        .json(&json!({ "username": "medical.director", "password": "tenpa-demo" }))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::OK);
    let verify = || async {
        let r = md
            .get(format!("{base}/api/v1/audit/verify"))
            .send()
            .await
            .unwrap();
        assert_eq!(r.status(), StatusCode::OK);
        r.json::<Value>().await.unwrap()
    };
    let intact = verify().await;
    assert!(intact["first_broken"].is_null(), "{intact}");
    assert!(
        intact["figures"]["versions"].as_i64().unwrap() > 25,
        "{intact}"
    );
    assert_eq!(intact["figures"]["mismatches"], json!([]), "{intact}");

    sql(
        &db_url,
        "UPDATE job_plan_versions SET total_pay_pence = total_pay_pence + 100000 WHERE job_plan_id = 3 AND version = 1",
    )
    .await;
    let tampered = verify().await;
    let mismatches = tampered["figures"]["mismatches"].as_array().unwrap();
    assert_eq!(mismatches.len(), 1, "{tampered}");
    assert_eq!(mismatches[0]["job_plan_id"], 3);
    assert_eq!(mismatches[0]["version"], 1);
    assert!(
        mismatches[0]["problem"]
            .as_str()
            .unwrap()
            .contains("total pay"),
        "{tampered}"
    );
}
