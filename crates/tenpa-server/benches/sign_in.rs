//! Sign-in time for a real account with a wrong password against an unknown username: the two
//! should take about as long (an unknown username is checked against a dummy hash), so timing does
//! not tell which usernames exist. Reports each median and their ratio. Between attempts the
//! sign-in limits are cleared in the database, so every attempt reaches the password check.
//!
//! `cargo bench -p tenpa-server --bench sign_in` (SQLite in a temporary directory). Set
//! `TENPA_BENCH_ROUNDS` to change the attempts per case (default 40).

#[path = "../tests/common/crawl.rs"]
#[allow(dead_code)]
mod crawl;

use sqlx::Connection;
use std::time::{Duration, Instant};

#[tokio::main]
async fn main() {
    let rounds: usize = std::env::var("TENPA_BENCH_ROUNDS")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(40);
    let dir = std::env::temp_dir().join(format!("tenpa-bench-sign-in-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let url = format!("sqlite://{}", dir.join("tenpa.db").display());
    let base = crawl::serve(&url, true).await;
    let mut db = sqlx::SqliteConnection::connect(&url).await.unwrap();
    let c = reqwest::Client::new();
    let mut medians = vec![];
    for (case, username) in [
        ("a real account, wrong password", "medical.director"),
        ("an unknown username", "no.such.person"),
    ] {
        let mut times: Vec<Duration> = Vec::with_capacity(rounds);
        for _ in 0..rounds {
            sqlx::query("DELETE FROM sign_in_limits")
                .execute(&mut db)
                .await
                .unwrap();
            let body = serde_json::json!({ "username": username, "password": "wrong" });
            let t = Instant::now();
            let r = c
                .post(format!("{base}/api/v1/sessions"))
                .json(&body)
                .send()
                .await
                .unwrap();
            times.push(t.elapsed());
            assert_eq!(r.status(), reqwest::StatusCode::UNAUTHORIZED);
        }
        times.sort();
        let median = times[times.len() / 2];
        println!(
            "{case:<32} median {:>8.2} ms",
            median.as_secs_f64() * 1000.0
        );
        medians.push(median);
    }
    println!(
        "ratio (real / unknown): {:.2}",
        medians[0].as_secs_f64() / medians[1].as_secs_f64()
    );
    let _ = std::fs::remove_dir_all(&dir);
}
