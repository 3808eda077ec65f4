//! Evaluation speed: one realistic 10-activity plan, and a batch of 100,000 varied plans.
//!
//! `cargo bench -p tenpa-rules --bench evaluate`

use criterion::{black_box, criterion_group, criterion_main, BatchSize, Criterion, Throughput};
use tenpa_rules::{evaluate, parse_document, Format, JobPlanDocument, Parameters};

const PLAN: &str = include_str!("../../../examples/surgeon-1-in-4.toml");

fn plans(n: usize, base: &JobPlanDocument) -> Vec<JobPlanDocument> {
    let mut x: u64 = 0x2545_F491_4F6C_DD1D;
    let mut next = move |m: u64| {
        x ^= x << 13;
        x ^= x >> 7;
        x ^= x << 17;
        x % m
    };
    (0..n)
        .map(|_| {
            let mut d = base.clone();
            d.job_plan.effective_from =
                chrono::NaiveDate::from_ymd_opt(2003 + next(5) as i32, 4, 1).unwrap();
            d.pay.cea_level = next(14) as u8;
            d.pay.point = tenpa_rules::plan::PayPoint::Point(next(8) as u8);
            if next(2) == 0 {
                d.job_plan.out_of_hours_recognition = tenpa_rules::plan::Recognition::Premium;
                d.job_plan.premium_mutually_agreed = true;
            }
            if let Some(oc) = d.on_call.as_mut() {
                oc.rota_size = 1 + next(12) as u32;
                oc.emergency_hours_plain =
                    rust_decimal::Decimal::from(next(10)) / rust_decimal::Decimal::TWO;
                oc.emergency_hours_premium =
                    rust_decimal::Decimal::from(next(10)) / rust_decimal::Decimal::TWO;
            }
            let shift = next(3) as usize;
            d.activities.rotate_left(shift);
            d
        })
        .collect()
}

fn bench(c: &mut Criterion) {
    let params = Parameters::embedded();
    let mut doc = parse_document("surgeon.toml", PLAN.as_bytes(), Format::Toml, params).unwrap();
    while doc.activities.len() < 10 {
        let mut a = doc.activities[0].clone();
        a.day = tenpa_rules::plan::Day::Sat;
        doc.activities.push(a);
    }
    assert_eq!(
        doc.activities.len(),
        10,
        "the benchmark plan has 10 activities"
    );
    c.bench_function("evaluate one 10-activity plan", |b| {
        b.iter(|| evaluate(black_box(&doc), params, None).unwrap())
    });
    c.bench_function("parse and evaluate one 10-activity plan (TOML)", |b| {
        b.iter(|| {
            let d = parse_document(
                "surgeon.toml",
                black_box(PLAN.as_bytes()),
                Format::Toml,
                params,
            )
            .unwrap();
            evaluate(&d, params, None).unwrap()
        })
    });
    // Many activities in one slot: each pair overlaps. The cost grows with the pairs, not with
    // their square (one sweep, one finding per group): 8 times the activities costs about 64
    // times the pair checks and no more.
    let mut g = c.benchmark_group("overlapping activities");
    g.sample_size(10);
    for n in [100usize, 800] {
        let mut many = doc.clone();
        let first = many.activities[0].clone();
        many.activities = vec![first; n];
        g.throughput(Throughput::Elements(n as u64));
        g.bench_function(
            format!("evaluate a plan of {n} identical activities"),
            |b| b.iter(|| evaluate(black_box(&many), params, None).unwrap()),
        );
    }
    g.finish();
    let batch = plans(100_000, &doc);
    let mut g = c.benchmark_group("batch");
    g.sample_size(10);
    g.throughput(Throughput::Elements(batch.len() as u64));
    g.bench_function("evaluate 100,000 varied plans", |b| {
        b.iter_batched(
            || (),
            |_| {
                let mut errors = 0usize;
                for d in &batch {
                    errors += evaluate(d, params, None).unwrap().findings.len();
                }
                errors
            },
            BatchSize::PerIteration,
        )
    });
    g.finish();
}

#[allow(missing_docs)]
mod group {
    use super::*;
    criterion_group!(benches, bench);
}
use group::benches;
criterion_main!(benches);
