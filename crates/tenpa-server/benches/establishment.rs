//! The establishment import on SQLite: a 10,000-row staff-record file read against the records
//! held (the dry run: the departments and records read, every row checked and compared), and read
//! then applied to an empty trust in one transaction (every record created and audited).
//!
//! `cargo bench -p tenpa-server --bench establishment`

use chrono::NaiveDate;
use criterion::{criterion_group, criterion_main, BatchSize, Criterion, Throughput};
use std::sync::atomic::{AtomicUsize, Ordering};
use tenpa_server::service::establishment::{self, Mapping};
use tenpa_store::Store;

const ROWS: usize = 10_000;

/// A staff-record file of `ROWS` consultants over three departments.
fn file() -> Vec<u8> {
    let mut s = String::from(
        "assignment_number,name,department,first_appointed,gmc_number,contracted_pas,start_date\n",
    );
    let departments = ["Surgery", "Medicine", "Anaesthetics"];
    for i in 0..ROWS {
        s.push_str(&format!(
            "{},\"Consultant, Number {i}\",{},{:02}/{:02}/{},{},{},{}-04-01\n",
            10_000_000 + i,
            departments[i % 3],
            1 + i % 28,
            1 + i % 12,
            1990 + i % 30,
            7_000_000 + i,
            ["10", "7.5", "12", "6"][i % 4],
            2000 + i % 20,
        ));
    }
    s.into_bytes()
}

static N: AtomicUsize = AtomicUsize::new(0);

/// The directory of the benchmark's databases, removed at the end.
fn dir() -> std::path::PathBuf {
    std::env::temp_dir().join(format!("tenpa-bench-establishment-{}", std::process::id()))
}

/// A fresh SQLite trust with the three departments.
async fn trust() -> Store {
    let dir = dir();
    std::fs::create_dir_all(&dir).unwrap();
    let path = dir.join(format!("t{}.db", N.fetch_add(1, Ordering::Relaxed)));
    let _ = std::fs::remove_file(&path);
    let store = Store::connect(&format!("sqlite://{}", path.display()))
        .await
        .unwrap();
    let trust = store
        .create_employer("bench", "Trust", "trust", "england")
        .await
        .unwrap();
    for d in ["Surgery", "Medicine", "Anaesthetics"] {
        store
            .create_department("bench", trust, d, "")
            .await
            .unwrap();
    }
    store
}

/// The dry run: departments and records read, the file checked against them.
async fn dry_run(store: &Store, bytes: &[u8]) -> establishment::Report {
    let held = establishment::Held::read(store).await.unwrap();
    let cx = held.context(
        NaiveDate::from_ymd_opt(2026, 12, 3).unwrap(),
        rust_decimal::Decimal::TEN,
    );
    let report = establishment::read(bytes, &Mapping::default(), &cx, &mut |_| {}).unwrap();
    assert_eq!(report.errors(), 0);
    report
}

fn bench(c: &mut Criterion) {
    let rt = tokio::runtime::Runtime::new().unwrap();
    let bytes = file();
    let mut g = c.benchmark_group("establishment");
    g.sample_size(10);
    g.throughput(Throughput::Elements(ROWS as u64));
    // Against a trust holding all 10,000 records already: every row compared, all unchanged.
    let full = rt.block_on(async {
        let store = trust().await;
        let report = dry_run(&store, &bytes).await;
        store
            .apply_establishment("bench", &report.changes, &report.accounts, &report.sha256)
            .await
            .unwrap();
        store
    });
    g.bench_function(
        "10,000-row file, dry run against 10,000 records (SQLite)",
        |b| b.iter(|| rt.block_on(dry_run(&full, &bytes))),
    );
    g.bench_function(
        "10,000-row file, read and applied to an empty trust (SQLite)",
        |b| {
            b.iter_batched(
                || rt.block_on(trust()),
                |store| {
                    rt.block_on(async {
                        let report = dry_run(&store, &bytes).await;
                        store
                            .apply_establishment(
                                "bench",
                                &report.changes,
                                &report.accounts,
                                &report.sha256,
                            )
                            .await
                            .unwrap()
                    })
                },
                BatchSize::PerIteration,
            )
        },
    );
    g.finish();
    drop(full);
    let _ = std::fs::remove_dir_all(dir());
}

#[allow(missing_docs)]
mod group {
    use super::*;
    criterion_group!(benches, bench);
}
use group::benches;
criterion_main!(benches);
