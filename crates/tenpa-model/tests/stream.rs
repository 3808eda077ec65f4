//! Chunked, multi-threaded reading gives the same totals as reading line by line, and names the
//! right line, whatever the number of threads (files of several chunks, lines across chunk
//! boundaries).

use std::path::PathBuf;
use tenpa_model::csv::Schema;
use tenpa_model::generate::generate;
use tenpa_model::stream::CHUNK;
use tenpa_model::{run, Job, StreamError};
use tenpa_rules::population::{Costing, Totals};
use tenpa_rules::Parameters;

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
        expected.add(&c[0].cost(&schema.parse(l.as_bytes()).unwrap().row));
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
