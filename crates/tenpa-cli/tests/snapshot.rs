//! `tenpa snapshot`: stores this month's snapshot of the sign-off measure once, chained, and a
//! second run in the month stores nothing (the demo trust takes its own as it loads, so a trust
//! set up from nothing is used). On a SQLite file, and on a fresh PostgreSQL database when
//! `TENPA_TEST_DATABASE_URL` is set.

mod common;

use std::process::Command;
use tenpa_store::Store;

fn snapshot(url: &str) -> std::process::Output {
    Command::new(env!("CARGO_BIN_EXE_tenpa"))
        .args(["snapshot", "--db", url])
        .env_remove("TENPA_PARAMETERS")
        .env_remove("TENPA_DB")
        .output()
        .expect("run tenpa")
}

#[test]
fn snapshot_stores_the_month_once() {
    let url = common::database("snapshot", "month");
    let rt = tokio::runtime::Runtime::new().unwrap();
    // A trust just set up: one consultant, in post since 2010, whose plan is not yet signed off.
    let store = rt.block_on(async {
        let store = Store::connect(&url).await.unwrap();
        common::trust_of_one(&store).await;
        store
    });
    let month = tenpa_server::uk_time::today().format("%Y-%m").to_string();

    let first = snapshot(&url);
    let out = String::from_utf8_lossy(&first.stdout);
    assert!(
        first.status.success(),
        "{out}{}",
        String::from_utf8_lossy(&first.stderr)
    );
    assert!(
        out.starts_with(&format!("compliance snapshot {month} (id ")),
        "{out}"
    );
    assert!(
        out.contains("signed off (") && out.contains("stored now"),
        "{out}"
    );

    let second = snapshot(&url);
    let again = String::from_utf8_lossy(&second.stdout);
    assert!(second.status.success(), "{again}");
    assert!(
        again.contains("stored earlier this month; nothing changed"),
        "{again}"
    );

    let stored = rt.block_on(store.compliance_chain()).unwrap();
    assert_eq!(stored.len(), 1);
    assert_eq!(stored[0].record.month, month);
    assert!(tenpa_store::broken_links(&stored).is_empty());
    // The body is the measure itself: the consultant, never signed off.
    let body: serde_json::Value = serde_json::from_str(&stored[0].body).unwrap();
    assert_eq!(body["consultants"][0]["standing"], "never_signed", "{body}");
}
