//! A population file to totals, parse included (issue "Costing a whole workforce": a
//! 1,000,000-row file in at most 50 ms median with two threads).
//!
//! `cargo bench -p tenpa-model --bench csv`

use criterion::{criterion_group, criterion_main, Criterion, Throughput};
use std::path::PathBuf;
use tenpa_model::{generate::generate, run, Job};
use tenpa_rules::population::Costing;
use tenpa_rules::Parameters;

fn bench(c: &mut Criterion) {
    let dir = std::env::temp_dir().join(format!("tenpa-model-bench-{}", std::process::id()));
    std::fs::create_dir_all(&dir).expect("temp dir");
    let path: PathBuf = dir.join("population-1000000.csv");
    let mut f = std::io::BufWriter::new(std::fs::File::create(&path).expect("create"));
    generate(1_000_000, 1, &mut f).expect("generate");
    drop(f);
    let bytes = std::fs::metadata(&path).expect("file").len();
    let costing = Costing::compile(
        Parameters::embedded(),
        chrono::NaiveDate::from_ymd_opt(2006, 4, 1).unwrap(),
    )
    .expect("compile");
    let costings = [costing];
    let mut g = c.benchmark_group("csv");
    g.sample_size(30);
    g.throughput(Throughput::Elements(1_000_000));
    for threads in [2, 1] {
        let job = Job {
            path: &path,
            costings: &costings,
            threads,
            per_record: None,
            skip_invalid: false,
            progress: false,
        };
        g.bench_function(
            format!(
                "1,000,000-row file ({} MB) to totals, {threads} thread(s)",
                bytes / 1_000_000
            ),
            |b| b.iter(|| run(&job).expect("costed")),
        );
    }
    g.finish();
    let _ = std::fs::remove_dir_all(&dir);
}

#[allow(missing_docs)]
mod group {
    use super::*;
    criterion_group!(benches, bench);
}
use group::benches;
criterion_main!(benches);
