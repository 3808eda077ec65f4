//! `POST /api/v1/imports` on the demo trust (SQLite, or PostgreSQL when
//! `TENPA_TEST_DATABASE_URL` is set): the establishment import through the API, on the path the
//! command uses.

mod common;

use common::crawl::{serve, sign_in};
use reqwest::Client;
use serde_json::{json, Value};

async fn import(c: &Client, base: &str, body: Value) -> (u16, Value) {
    let r = c
        .post(format!("{base}/api/v1/imports"))
        .json(&body)
        .send()
        .await
        .expect("request");
    (r.status().as_u16(), r.json().await.unwrap_or(Value::Null))
}

/// Source: issue brief — the API shares the command's path: a dry run reports row by row and
/// writes nothing; applying writes all; the same file again changes nothing; a bad row writes
/// nothing and is named by line, column, value and expectation; only an administrator or medical
/// staffing imports; an unknown kind or an unreadable file is 422 naming the field.
#[tokio::test]
async fn the_establishment_is_imported_through_the_api() {
    let db = common::fresh_db_url().await;
    let base = serve(&db, true).await;
    let ms = sign_in(&base, "medical.staffing").await;
    let md = sign_in(&base, "medical.director").await;
    let csv = "assignment_number,name,department,first_appointed,gmc_number,fte\n\
               90000001,\"Rue, Cy\",Surgery,2014-09-01,7000123,1\n\
               90000002,Dr Di Ode,medicine,01/10/2016,,0.6\n";
    let body = |dry_run: bool| json!({"kind": "establishment", "csv": csv, "dry_run": dry_run});

    let (status, report) = import(&ms, &base, body(true)).await;
    assert_eq!(status, 200, "{report}");
    assert_eq!(
        (report["create"].as_u64(), report["applied"].as_bool()),
        (Some(2), Some(false))
    );
    assert_eq!(report["rows"][0]["outcome"], "create");
    let seen = |id: &'static str| {
        let md = md.clone();
        let base = base.clone();
        async move {
            md.get(format!("{base}/api/v1/consultants/{id}/private-practice"))
                .send()
                .await
                .expect("request")
                .status()
                .as_u16()
        }
    };
    assert_eq!(seen("90000001").await, 404, "a dry run writes nothing");

    let (status, report) = import(&ms, &base, body(false)).await;
    assert_eq!(status, 200, "{report}");
    assert_eq!(report["applied"], true);
    assert_ne!(seen("90000001").await, 404, "the record exists");
    let (_, again) = import(&ms, &base, body(false)).await;
    assert_eq!(
        (again["unchanged"].as_u64(), again["applied"].as_bool()),
        (Some(2), Some(false))
    );
    assert_eq!(again["sha256"], report["sha256"]);

    // A bad row: nothing written, named.
    let bad = "assignment_number,name,department,first_appointed,gmc_number\n\
               90000003,Dr Ed,Surgery,2010-01-01,\n90000004,Dr Fy,Surgery,2010-01-01,12X\n";
    let (status, report) = import(&ms, &base, json!({"kind": "establishment", "csv": bad})).await;
    assert_eq!(status, 200, "{report}");
    assert_eq!(
        (report["errors"].as_u64(), report["applied"].as_bool()),
        (Some(1), Some(false))
    );
    let e = &report["rows"][1]["errors"][0];
    assert_eq!(
        (
            e["line"].as_u64(),
            e["column"].as_str(),
            e["value"].as_str()
        ),
        (Some(3), Some("gmc_number"), Some("12X"))
    );
    assert_eq!(seen("90000003").await, 404, "all or nothing");

    // Who, and what cannot be read.
    let (status, _) = import(&md, &base, body(true)).await;
    assert_eq!(status, 403);
    let (status, problem) = import(&ms, &base, json!({"kind": "plans", "csv": csv})).await;
    assert_eq!((status, problem["field"].as_str()), (422, Some("kind")));
    let (status, problem) = import(
        &ms,
        &base,
        json!({"kind": "establishment", "csv": "name\nDr X\n"}),
    )
    .await;
    assert_eq!(
        (status, problem["field"].as_str()),
        (422, Some("csv")),
        "{problem}"
    );
    let (status, problem) = import(
        &ms,
        &base,
        json!({"kind": "establishment", "csv": csv, "mapping": "[columns]\ngrade = \"Grade\"\n"}),
    )
    .await;
    assert_eq!(
        (status, problem["field"].as_str()),
        (422, Some("mapping")),
        "{problem}"
    );
}
