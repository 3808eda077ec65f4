//! Chunked, multi-threaded reading gives the same totals as reading line by line, and names the
//! right line, whatever the number of threads (files of several chunks, lines across chunk
//! boundaries).

use std::path::PathBuf;
use tenpa_model::csv::{Costable, Schema};
use tenpa_model::generate::generate;
use tenpa_model::stream::CHUNK;
use tenpa_model::{run, Job, StreamError};
use tenpa_rules::population::Row;
use tenpa_rules::population::{Costing, Totals};
use tenpa_rules::Parameters;

fn units(schema: &Schema, line: &str) -> Row {
    match schema.parse(line.as_bytes()).unwrap().row {
        Costable::Units(r) => r,
        Costable::Exact(_) => panic!("a row in units"),
    }
}

fn costings() -> Vec<Costing> {
    let on = chrono::NaiveDate::from_ymd_opt(2005, 4, 1).unwrap();
    vec![Costing::compile(Parameters::embedded(), on).unwrap()]
}

fn file(name: &str, text: &[u8]) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("tenpa-stream-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let p = dir.join(name);
    std::fs::write(&p, text).unwrap();
    p
}

fn job<'a>(path: &'a std::path::Path, c: &'a [Costing], threads: usize, skip: bool) -> Job<'a> {
    Job {
        path,
        costings: c,
        threads,
        per_record: None,
        skip_invalid: skip,
        progress: false,
    }
}

/// Source: `stream` module: a line belongs to the chunk holding its first byte.
#[test]
fn threads_and_chunks_do_not_change_the_totals() {
    let mut text = Vec::new();
    generate(120_000, 11, &mut text).unwrap();
    assert!(text.len() > 4 * CHUNK, "the file spans several chunks");
    // CRLF line ends and blank lines on the way.
    let text: Vec<u8> = String::from_utf8(text)
        .unwrap()
        .replace("\nc0050000,", "\n\nc0050000,")
        .replace('\n', "\r\n")
        .into_bytes();
    let path = file("many.csv", &text);
    let c = costings();
    // Line by line, by hand.
    let s = String::from_utf8(text).unwrap();
    let mut lines = s.split('\n');
    let schema = Schema::from_header(lines.next().unwrap().as_bytes()).unwrap();
    let mut expected = Totals::default();
    for l in lines.filter(|l| !l.trim().is_empty()) {
        expected.add(&c[0].cost(&units(&schema, l)));
    }
    assert_eq!(expected.consultants, 120_000);
    for threads in [1, 2, 3, 8] {
        let got = run(&job(&path, &c, threads, false)).unwrap();
        assert_eq!(got.totals[0], expected, "{threads} threads");
    }
}

/// Source: issue "Costing a whole workforce": a malformed row is named by its line, far into the
/// file; with `--skip-invalid` the first reasons come in file order.
#[test]
fn errors_name_the_line_far_into_the_file() {
    let mut text = Vec::new();
    generate(100_000, 5, &mut text).unwrap();
    let s = String::from_utf8(text).unwrap();
    let mut lines: Vec<String> = s.lines().map(str::to_string).collect();
    // Line numbers are 1-based with the header as line 1: row i is line i + 1.
    for bad in [99_001usize, 60_001, 70_001] {
        lines[bad - 1] =
            lines[bad - 1]
                .replacen(",time,", ",tiem,", 1)
                .replacen(",premium,", ",tiem,", 1);
    }
    let path = file("bad.csv", (lines.join("\n") + "\n").as_bytes());
    let c = costings();
    for threads in [1, 2, 4] {
        match run(&job(&path, &c, threads, false)) {
            Err(StreamError::Row { line, message, .. }) => {
                assert_eq!(line, 60_001, "{threads} threads");
                assert!(
                    message.contains("ooh_recognition") && message.contains("tiem"),
                    "{message}"
                );
            }
            other => panic!("expected a row error, got {other:?}"),
        }
        let skipped = run(&job(&path, &c, threads, true)).unwrap();
        assert_eq!(skipped.skipped, 3);
        assert_eq!(skipped.totals[0].consultants, 99_997);
        assert!(
            skipped.reasons[0].starts_with("line 60001:"),
            "{:?}",
            skipped.reasons
        );
        assert!(skipped.reasons[1].starts_with("line 70001:"));
        assert!(skipped.reasons[2].starts_with("line 99001:"));
    }
}

/// Source: `stream` module: a line longer than several chunks is read whole by the chunk it starts
/// in and skipped by the chunks it runs through.
#[test]
fn a_line_longer_than_several_chunks() {
    let header = "id,pay_threshold_index,contracted_pas,extra_pas,rota_size,on_call_category,ooh_pas_per_week,ooh_recognition,emergency_hours_in_hours,emergency_hours_ooh,cea_level,notes\n";
    let row = |id: usize, notes: &str| format!("c{id},3,10,1,6,A,0.25,premium,2,1.5,4,{notes}\n");
    let mut text = String::from(header);
    for i in 0..1000 {
        text.push_str(&row(i, "short"));
    }
    text.push_str(&row(1000, &"x".repeat(3 * CHUNK + 17)));
    for i in 1001..2000 {
        text.push_str(&row(i, "\"quoted, with comma\""));
    }
    let path = file("long.csv", text.as_bytes());
    let c = costings();
    let schema = Schema::from_header(header.trim_end().as_bytes()).unwrap();
    let one = c[0].cost(&units(&schema, row(0, "").trim_end()));
    for threads in [1, 2, 3] {
        let got = run(&job(&path, &c, threads, false)).unwrap();
        let t = &got.totals[0];
        assert_eq!(t.consultants, 2000, "{threads} threads");
        assert_eq!(t.basic_salary, 2000 * one.basic_salary);
        assert_eq!(t.out_of_hours_premium, 2000 * one.out_of_hours_premium);
    }
}

/// Source: docs/commands.md `--per-record`: one line per row, in file order, however many threads.
#[test]
fn per_record_lines_keep_the_file_order_across_chunks_and_threads() {
    let mut text = Vec::new();
    generate(150_000, 3, &mut text).unwrap();
    let path = file("order.csv", &text);
    let c = costings();
    for threads in [1, 3] {
        let out = path.with_extension(format!("{threads}.out.csv"));
        let mut j = job(&path, &c, threads, false);
        j.per_record = Some(&out);
        let got = run(&j).unwrap();
        let written = std::fs::read_to_string(&out).unwrap();
        let mut lines = written.lines();
        assert_eq!(
            lines.next(),
            Some("id,total_pay_pence,superannuable_pence,on_call_pas")
        );
        let mut total = 0u64;
        let mut n = 0;
        for (i, l) in lines.enumerate() {
            let f: Vec<&str> = l.split(',').collect();
            assert_eq!(f[0], format!("c{:07}", i + 1), "{threads} threads");
            total += f[1].parse::<u64>().unwrap();
            n += 1;
        }
        assert_eq!(n, 150_000);
        assert_eq!(
            total,
            got.totals[0].total(),
            "the lines add up to the total"
        );
    }
}
