//! Career timeline speed: a 30-year career walked anniversary by anniversary.
//!
//! `cargo bench -p tenpa-rules --bench progression`

use criterion::{black_box, criterion_group, criterion_main, Criterion};
use std::fmt::Write;
use tenpa_rules::{parse_career, timeline, Format, Parameters};

/// A new consultant first appointed on 1 September 2004 with 30 recorded years: one year
/// unsatisfactory through PP-4 (a declined offer, then outside work), one allowed by discretion,
/// an accepted offer, two awards and a recruitment premium. Thresholds to the top, then pay years
/// to 2034/35.
fn career() -> String {
    let mut s = String::from(
        "[consultant]\nid = \"bench\"\nfirst_appointed = \"2004-09-01\"\npost_offered = \"2004-06-15\"\nprivate_practice = true\n\n[pay]\npoint = 0\n\n[pay.recruitment_retention_premium]\namount = 5000\nkind = \"recruitment\"\nstart = \"2004-09-01\"\nyears = 2\nevidence_of_difficulty = true\nnon_pay_solutions_tried = true\nlocal_employers_consulted = true\n",
    );
    for k in 1..=30 {
        let _ = write!(s, "\n[[year]]\nending = \"{}-09-01\"\nmet_time_and_service = true\ntook_part_in_appraisal_and_job_planning = true\nworked_towards_service_changes = true\nmet_private_practice_standards = true\n", 2004 + k);
        match k {
            2 => s.push_str("outside_remunerated_work = [\"independent_sector\"]\n"),
            9 => s.push_str(
                "met_objectives_or_reasonable_effort = false\nemployer_discretion = \"illness\"\n",
            ),
            _ => {}
        }
        if k != 9 {
            s.push_str("met_objectives_or_reasonable_effort = true\n");
        }
    }
    s.push_str("\n[[extra_pa_offer]]\noffered_on = \"2005-10-03\"\nstarts_on = \"2006-01-09\"\npas = 2\nresponse = \"declined\"\n");
    s.push_str("\n[[extra_pa_offer]]\noffered_on = \"2008-10-01\"\nstarts_on = \"2009-01-05\"\npas = 1\nresponse = \"accepted\"\n");
    s.push_str("\n[[award]]\nlevel = 2\nawarded_on = \"2008-04-01\"\n\n[[award]]\nlevel = 5\nawarded_on = \"2012-04-01\"\n");
    s
}

fn bench(c: &mut Criterion) {
    let params = Parameters::embedded();
    let text = career();
    let doc = parse_career("bench.toml", text.as_bytes(), Format::Toml, params).unwrap();
    assert_eq!(
        doc.years.len(),
        30,
        "the benchmark career has 30 recorded years"
    );
    let walked = timeline(&doc, params, None).unwrap();
    assert_eq!(walked.years.len(), 30);
    assert_eq!(walked.pay_years.len(), 31);
    c.bench_function("timeline of a 30-year career", |b| {
        b.iter(|| timeline(black_box(&doc), params, None).unwrap())
    });
    c.bench_function("parse and walk a 30-year career (TOML)", |b| {
        b.iter(|| {
            let d = parse_career(
                "bench.toml",
                black_box(text.as_bytes()),
                Format::Toml,
                params,
            )
            .unwrap();
            timeline(&d, params, None).unwrap()
        })
    });
}

#[allow(missing_docs)]
mod group {
    use super::*;
    criterion_group!(benches, bench);
}
use group::benches;
criterion_main!(benches);
