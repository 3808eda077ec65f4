//! Saving job plan versions through the API, one after another, against a running server
//! (`TENPA_BENCH_URL`, set by `scripts/bench-api`): prints the p50 and p99 of 500 saves.
//! Without the URL it says it was skipped.

use reqwest::Client;
use serde_json::{json, Value};
use std::time::Instant;

#[tokio::main(flavor = "current_thread")]
async fn main() {
    let Ok(base) = std::env::var("TENPA_BENCH_URL") else {
        println!("save_version: TENPA_BENCH_URL not set: skipped (run scripts/bench-api)");
        return;
    };
    let c = Client::builder().cookie_store(true).build().unwrap();
    let r = c
        .post(format!("{base}/api/v1/sessions"))
        .json(&json!({ "username": "medical.staffing", "password": "tenpa-demo" }))
        .send()
        .await
        .unwrap();
    assert!(r.status().is_success(), "sign in");
    let list: Vec<Value> = c
        .get(format!("{base}/api/v1/job-plans"))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    let mut plan = None;
    for p in &list {
        let full: Value = c
            .get(format!("{base}/api/v1/job-plans/{}", p["id"]))
            .send()
            .await
            .unwrap()
            .json()
            .await
            .unwrap();
        if full["editable"] == true {
            plan = Some(full);
            break;
        }
    }
    let plan = plan.expect("an editable demo plan");
    let id = plan["id"].as_i64().unwrap();
    let first = plan["version"].as_i64().unwrap();
    let mut doc = plan["document"].clone();
    let mut times = Vec::with_capacity(500);
    for (i, version) in (first..first + 500).enumerate() {
        doc["job_plan"]["local_variation"] = json!(format!("benchmark edit {i}"));
        let t = Instant::now();
        let r = c
            .put(format!("{base}/api/v1/job-plans/{id}"))
            .json(&json!({ "version": version, "document": doc }))
            .send()
            .await
            .unwrap();
        let ok = r.status().is_success();
        let _ = r.bytes().await;
        times.push(t.elapsed());
        assert!(ok, "save {i}");
    }
    times.sort();
    let pct = |p: f64| {
        times[((times.len() as f64 * p) as usize).min(times.len() - 1)].as_secs_f64() * 1000.0
    };
    println!(
        "save_version: {} saves, p50 {:.2} ms, p99 {:.2} ms",
        times.len(),
        pct(0.50),
        pct(0.99)
    );
}
