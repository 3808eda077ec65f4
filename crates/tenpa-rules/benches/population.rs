//! Costing speed from in-memory columns: one thread, 1,000,000 varied rows, the embedded
//! parameters on 1 April 2006 (the goal: at least 300 million rows a second on one core).
//!
//! `cargo bench -p tenpa-rules --bench population`

use criterion::{black_box, criterion_group, criterion_main, Criterion, Throughput};
use tenpa_rules::plan::{OnCallCategory, Recognition};
use tenpa_rules::population::{Columns, Costing, Row, RowInput, Totals, UNITS};
use tenpa_rules::Parameters;

fn columns(n: usize) -> Columns {
    let mut x: u64 = 0x2545_F491_4F6C_DD1D;
    let mut next = move |m: u64| {
        x ^= x << 13;
        x ^= x >> 7;
        x ^= x << 17;
        x % m
    };
    let mut c = Columns::default();
    while c.len() < n {
        let rota_size = [0, 0, 0, 2, 4, 5, 6, 8, 9, 12][next(10) as usize];
        let row = Row::new(RowInput {
            point: next(8),
            contracted: if next(5) == 0 {
                1 + next(10 * UNITS)
            } else {
                10 * UNITS
            },
            extra: next(9) * UNITS / 4,
            rota_size,
            category: Some(if next(3) == 0 {
                OnCallCategory::B
            } else {
                OnCallCategory::A
            }),
            ooh_pas: next(13) * UNITS / 4,
            recognition: if next(4) == 0 {
                Recognition::Premium
            } else {
                Recognition::Time
            },
            premium_agreed: next(2) == 0,
            emergency_plain: next(6 * UNITS),
            emergency_ooh: next(8 * UNITS),
            cea_level: if next(2) == 0 { 0 } else { next(14) },
        })
        .expect("a valid row");
        c.push(&row);
    }
    c
}

fn bench(c: &mut Criterion) {
    let params = Parameters::embedded();
    let costing =
        Costing::compile(params, chrono::NaiveDate::from_ymd_opt(2006, 4, 1).unwrap()).unwrap();
    let cols = columns(1_000_000);
    let mut g = c.benchmark_group("population");
    g.throughput(Throughput::Elements(cols.len() as u64));
    g.bench_function("cost 1,000,000 rows from columns (one thread)", |b| {
        b.iter(|| {
            let mut t = Totals::default();
            costing.cost_columns(black_box(&cols), &mut t);
            t
        })
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
