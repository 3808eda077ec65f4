//! The job-plan sign-off measure for a trust of 2,000 consultants (generated on SQLite: 20
//! departments over 5 specialties; three plans in four signed off, one in eight in dispute, the rest
//! drafts): the server time of the compliance page and of `GET /api/v1/compliance` as the medical
//! director (median and 95th percentile), and the time to take a monthly snapshot (the measure
//! computed and stored, chained), over successive months; then the page again with the 20
//! snapshots taken, each read and its hash checked on every view.
//!
//! `cargo bench -p tenpa-server --bench compliance`. Set `TENPA_BENCH_ROUNDS` to change the
//! requests per page (default 40).

#[path = "../tests/common/crawl.rs"]
#[allow(dead_code)]
mod crawl;

use chrono::{Months, NaiveDate};
use std::time::{Duration, Instant};
use tenpa_rules::job_planning::{Role, Status};
use tenpa_rules::{evaluate, parse_document, Format, Parameters};
use tenpa_server::service::compliance;
use tenpa_store::{ConsultantRecord, NewUser, NewVersion, PlanVersions, Store};

const CONSULTANTS: usize = 2_000;
const DEPARTMENTS: usize = 20;

fn percentile(sorted: &[Duration], p: f64) -> Duration {
    let i = ((sorted.len() as f64 - 1.0) * p).round() as usize;
    sorted[i.min(sorted.len() - 1)]
}

fn ms(d: Duration) -> String {
    format!("{:.2} ms", d.as_secs_f64() * 1000.0)
}

fn report(what: &str, mut times: Vec<Duration>) {
    times.sort();
    println!(
        "{what:<60} {:>4} runs  median {:>10}  p95 {:>10}",
        times.len(),
        ms(percentile(&times, 0.5)),
        ms(percentile(&times, 0.95))
    );
}

/// A trust of `CONSULTANTS` consultants with their plans at every stage.
async fn trust(store: &Store, params: &Parameters) {
    let path = concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../../examples/surgeon-1-in-4.toml"
    );
    let text = std::fs::read(path).unwrap();
    let plan = parse_document(path, &text, Format::Toml, params).unwrap();
    let assessment = evaluate(&plan, params, None).unwrap();
    let document = serde_json::to_value(&plan).unwrap();
    let trust = store
        .create_employer("bench", "Trust", "trust", "england")
        .await
        .unwrap();
    let mut departments = Vec::new();
    for d in 0..DEPARTMENTS {
        let id = store
            .create_department(
                "bench",
                trust,
                &format!("Department {d:02}"),
                &format!("Specialty {}", d % 5),
            )
            .await
            .unwrap();
        departments.push(id);
    }
    let version = |status, action| NewVersion {
        status,
        action,
        note: "",
        document: &document,
        assessment: &assessment,
        referral_alternate: None,
        sign_off: None,
    };
    let signed = [
        version(Status::Proposed, "propose"),
        version(Status::Agreed, "agree"),
        version(Status::CdSignedOff, "cd_sign_off"),
        version(Status::SignedOff, "md_sign_off"),
    ];
    let disputed = [
        version(Status::Proposed, "propose"),
        version(Status::NotAgreed, "not_agree"),
    ];
    let mut steps = Vec::new();
    for i in 0..CONSULTANTS {
        let id = format!("c-{i:05}");
        let department = departments[i % DEPARTMENTS];
        store
            .create_consultant(
                "bench",
                &ConsultantRecord {
                    id: id.clone(),
                    name: format!("Consultant {i}"),
                    department_id: department,
                    first_appointed: NaiveDate::from_ymd_opt(1995 + (i % 25) as i32, 4, 1).unwrap(),
                    transferred: None,
                    seniority_at_transfer: None,
                    lead_employer_id: None,
                },
            )
            .await
            .unwrap();
        let plan = store
            .create_job_plan("bench", &id, department, &version(Status::Draft, "create"))
            .await
            .unwrap();
        let versions = match i % 8 {
            0..=5 => signed.to_vec(),
            6 => disputed.to_vec(),
            _ => vec![],
        };
        if !versions.is_empty() {
            steps.push(PlanVersions {
                job_plan_id: plan,
                expected: 1,
                versions,
            });
        }
    }
    store.add_plan_versions("bench", &steps).await.unwrap();
    store
        .create_user(
            "bench",
            &NewUser {
                username: "md".into(),
                display_name: "Medical Director".into(),
                password_hash: tenpa_server::auth::hash_password("bench-password"),
                roles: vec![Role::MedicalDirector],
                department_id: None,
                consultant_id: None,
                email: None,
            },
        )
        .await
        .unwrap();
}

#[tokio::main]
async fn main() {
    let rounds: usize = std::env::var("TENPA_BENCH_ROUNDS")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(40);
    let dir = std::env::temp_dir().join(format!("tenpa-bench-compliance-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let url = format!("sqlite://{}", dir.join("tenpa.db").display());
    let params = Parameters::embedded().clone();
    let store = Store::connect(&url).await.unwrap();
    let t = Instant::now();
    trust(&store, &params).await;
    println!(
        "a trust of {CONSULTANTS} consultants in {DEPARTMENTS} departments generated in {:.1} s",
        t.elapsed().as_secs_f64()
    );

    let base = crawl::serve(&url, false).await;
    let c = crawl::sign_in_with(&base, "md", "bench-password").await;
    let today = tenpa_server::uk_time::today();
    for (what, path) in [
        ("the compliance page (/compliance)", "/compliance"),
        (
            "the measure through the API (GET /api/v1/compliance)",
            "/api/v1/compliance",
        ),
    ] {
        let mut times = Vec::with_capacity(rounds);
        for _ in 0..rounds {
            let t = Instant::now();
            let r = c.get(format!("{base}{path}")).send().await.unwrap();
            assert!(r.status().is_success(), "{path}: {}", r.status());
            let _ = r.bytes().await.unwrap();
            times.push(t.elapsed());
        }
        report(what, times);
    }
    // A snapshot a month: the measure computed, its body written and chained, audited.
    let mut times = Vec::new();
    for k in 1..=20u32 {
        let on = today.checked_add_months(Months::new(k)).unwrap();
        let t = Instant::now();
        let taken = compliance::take_as(&store, &params, "bench", on)
            .await
            .unwrap();
        times.push(t.elapsed());
        assert!(taken.made && taken.snapshot.summary.intact);
        assert_eq!(
            taken.snapshot.report.as_ref().unwrap().total.counted as usize,
            CONSULTANTS
        );
    }
    report("a monthly snapshot (tenpa snapshot's work)", times);
    // The page again, now listing 20 snapshots, each read and its hash checked on every view.
    let mut times = Vec::with_capacity(rounds);
    for _ in 0..rounds {
        let t = Instant::now();
        let r = c.get(format!("{base}/compliance")).send().await.unwrap();
        assert!(r.status().is_success());
        let _ = r.bytes().await.unwrap();
        times.push(t.elapsed());
    }
    report("the compliance page with 20 monthly snapshots", times);
    let _ = std::fs::remove_dir_all(&dir);
}
