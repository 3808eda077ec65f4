//! The `tenpa` command end to end: examples against snapshots, exit codes, and bad input.

mod common;

use common::{tempdir, tenpa, toml_files};
use std::path::Path;

fn examples() -> Vec<String> {
    toml_files("examples")
}

/// Source: issue "rules engine", Examples: each example's assessment is checked by a snapshot.
#[test]
fn every_example_matches_its_snapshots() {
    let names = examples();
    assert!(names.len() >= 6, "at least six examples, found {names:?}");
    for name in names {
        let path = format!("examples/{name}");
        let json = tenpa(&["evaluate", &path, "--format", "json"]);
        assert_eq!(
            json.status.code(),
            Some(0),
            "{name}: {}",
            String::from_utf8_lossy(&json.stderr)
        );
        insta::assert_snapshot!(
            format!("{name}.json"),
            String::from_utf8(json.stdout).unwrap()
        );
        let text = tenpa(&["evaluate", &path, "--format", "text"]);
        assert_eq!(text.status.code(), Some(0), "{name}");
        insta::assert_snapshot!(
            format!("{name}.txt"),
            String::from_utf8(text.stdout).unwrap()
        );
    }
}

/// Source: docs/commands.md: several files give a JSON array, one assessment per file.
#[test]
fn several_files_give_an_array() {
    let names = examples();
    let paths: Vec<String> = names.iter().map(|n| format!("examples/{n}")).collect();
    let mut args = vec!["evaluate"];
    args.extend(paths.iter().map(String::as_str));
    let out = tenpa(&args);
    assert_eq!(out.status.code(), Some(0));
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(v.as_array().map(Vec::len), Some(names.len()));
}

/// Source: docs/commands.md: `--on` changes the date the rules are applied at.
#[test]
fn on_changes_the_rules_in_force() {
    let out = tenpa(&[
        "evaluate",
        "examples/surgeon-1-in-4.toml",
        "--on",
        "2005-03-31",
    ]);
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(v["pay_year"], "2004/05");
    assert_eq!(v["on_call"]["cap_pas"], 1.0);
    assert_eq!(v["applied_on"], "2005-03-31");
}

/// Source: `tenpa evaluate` hung on a plan of 800 overlapping activities: a plan past the limit of
/// 500 activities is unreadable input (exit 2, naming the field), and one at the limit is assessed
/// with its overlaps reported as one finding.
#[test]
fn a_crowded_plan_is_refused_past_the_limit_and_assessed_at_it() {
    let dir = tempdir("crowded");
    let one =
        "[[activity]]\nday = \"wed\"\nstart = \"08:00\"\nend = \"12:00\"\ncategory = \"dcc\"\n";
    let too_many = write(&dir, "too-many.toml", &plan_with(&one.repeat(501)));
    let out = tenpa(&["evaluate", &too_many]);
    assert_eq!(out.status.code(), Some(2));
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        stderr.contains("activity[500]") && stderr.contains("at most 500"),
        "{stderr}"
    );
    let at_limit = write(&dir, "at-limit.toml", &plan_with(&one.repeat(490)));
    let out = tenpa(&["evaluate", &at_limit, "--format", "json"]);
    assert_eq!(out.status.code(), Some(1));
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let overlaps: Vec<&str> = v["findings"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|f| f["rule"] == "WW-9" && f["severity"] == "error")
        .filter_map(|f| f["message"].as_str())
        .collect();
    assert_eq!(overlaps.len(), 1, "{overlaps:?}");
    assert!(
        overlaps[0].contains("more overlapping pairs"),
        "{}",
        overlaps[0]
    );
}

/// Source: docs/commands.md: exit 1 when any error finding.
#[test]
fn an_error_finding_exits_1() {
    let dir = tempdir("exit1");
    let p = write(
        &dir,
        "overlap.toml",
        &plan_with(
            "[[activity]]\nday = \"mon\"\nstart = \"11:00\"\nend = \"15:00\"\ncategory = \"dcc\"\n",
        ),
    );
    let out = tenpa(&["evaluate", &p]);
    assert_eq!(
        out.status.code(),
        Some(1),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert!(v["findings"]
        .as_array()
        .unwrap()
        .iter()
        .any(|f| f["rule"] == "WW-9" && f["severity"] == "error"));
}

fn write(dir: &Path, name: &str, content: &str) -> String {
    let p = dir.join(name);
    std::fs::write(&p, content).unwrap();
    p.to_string_lossy().into_owned()
}

const BASE: &str = r#"[consultant]
id = "c-1"
first_appointed = "2000-01-01"

[job_plan]
effective_from = "2005-04-01"
contracted_pas = 10

[pay]
point = 3

[[activity]]
day = "mon"
start = "09:00"
end = "13:00"
category = "dcc"
"#;

fn plan_with(extra: &str) -> String {
    format!("{BASE}{extra}")
}

/// Runs a bad document; asserts exit 2, no panic, and that stderr names each of `needles`.
fn refused(name: &str, content: &[u8], needles: &[&str]) {
    let dir = tempdir(name);
    let p = dir.join(name);
    std::fs::write(&p, content).unwrap();
    let out = tenpa(&["evaluate", p.to_str().unwrap()]);
    let err = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(2), "{name}: {err}");
    assert!(!err.contains("panicked"), "{name}: {err}");
    assert!(out.stdout.is_empty(), "{name}: nothing on stdout");
    assert!(err.contains(name), "{name}: the file is named: {err}");
    for n in needles {
        assert!(err.contains(n), "{name}: expected `{n}` in: {err}");
    }
}

#[test]
fn empty_file() {
    refused("empty.toml", b"", &["empty"]);
}

#[test]
fn wrong_types() {
    refused(
        "types.toml",
        plan_with("")
            .replace("contracted_pas = 10", "contracted_pas = \"ten\"")
            .as_bytes(),
        &["job_plan.contracted_pas", "\"ten\"", "number"],
    );
}

#[test]
fn end_before_start_with_no_midnight_crossing() {
    refused(
        "backwards.toml",
        plan_with(
            "[[activity]]\nday = \"tue\"\nstart = \"17:00\"\nend = \"09:00\"\ncategory = \"dcc\"\n",
        )
        .as_bytes(),
        &["activity[1].end", "09:00", "before the start"],
    );
}

#[test]
fn hour_25() {
    refused(
        "late.toml",
        plan_with(
            "[[activity]]\nday = \"tue\"\nstart = \"21:00\"\nend = \"25:00\"\ncategory = \"dcc\"\n",
        )
        .as_bytes(),
        &["activity[1].end", "25:00", "HH:MM"],
    );
}

#[test]
fn unknown_day() {
    refused("day.toml", plan_with("[[activity]]\nday = \"funday\"\nstart = \"09:00\"\nend = \"13:00\"\ncategory = \"dcc\"\n").as_bytes(), &["activity[1].day", "funday", "mon"]);
}

#[test]
fn negative_hours() {
    refused(
        "negative.toml",
        plan_with("[on_call]\nrota_size = 4\ncategory = \"a\"\nemergency_hours_plain = -2.0\n")
            .as_bytes(),
        &["on_call.emergency_hours_plain", "-2", "0 or more"],
    );
}

#[test]
fn rota_of_size_zero_with_a_category() {
    refused(
        "rota.toml",
        plan_with("[on_call]\nrota_size = 0\ncategory = \"a\"\n").as_bytes(),
        &["on_call.category", "rota_size = 0"],
    );
}

#[test]
fn more_than_ten_core_pas() {
    refused(
        "eleven.toml",
        plan_with("")
            .replace("contracted_pas = 10", "contracted_pas = 11")
            .as_bytes(),
        &["job_plan.contracted_pas", "11", "at most 10"],
    );
}

#[test]
fn unknown_field_suggests_the_nearest() {
    refused(
        "typo.toml",
        plan_with("[on_call]\nrota_sise = 4\ncategory = \"a\"\n").as_bytes(),
        &["on_call", "rota_sise", "did you mean `rota_size`"],
    );
}

#[test]
fn unknown_field_in_json_names_line_and_column() {
    let json = r#"{"consultant": {"id": "c", "first_appointed": "2000-01-01"},
 "job_plan": {"effective_from": "2005-04-01", "contracted_pas": 10, "cyle_weeks": 2},
 "pay": {"point": 3}}"#;
    refused(
        "typo.json",
        json.as_bytes(),
        &[
            "typo.json:2:",
            "job_plan",
            "cyle_weeks",
            "did you mean `cycle_weeks`",
        ],
    );
}

#[test]
fn ten_megabytes_of_random_bytes() {
    let mut x: u64 = 0x9E37_79B9_7F4A_7C15;
    let bytes: Vec<u8> = (0..10 * 1024 * 1024)
        .map(|_| {
            x ^= x << 13;
            x ^= x >> 7;
            x ^= x << 17;
            (x >> 24) as u8
        })
        .collect();
    refused("random.toml", &bytes, &["UTF-8"]);
}

#[test]
fn line_and_column_are_named() {
    refused(
        "where.toml",
        plan_with("")
            .replace("day = \"mon\"", "day = \"mnd\"")
            .as_bytes(),
        &["where.toml:13:"],
    );
}

#[test]
fn unknown_extension() {
    refused("plan.yaml", BASE.as_bytes(), &[".toml or .json"]);
}

#[test]
fn missing_file() {
    let out = tenpa(&["evaluate", "does-not-exist.toml"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("does-not-exist.toml"));
}

#[test]
fn a_date_before_the_contract_is_refused() {
    let out = tenpa(&[
        "evaluate",
        "examples/surgeon-1-in-4.toml",
        "--on",
        "2003-03-31",
    ]);
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("not in force"));
}

#[test]
fn bad_parameter_directory_is_refused_with_the_file_named() {
    let dir = tempdir("params-bad");
    std::fs::create_dir_all(dir.join("pay")).unwrap();
    std::fs::write(dir.join("pay/general_award.toml"), "description = \"x\"\nunit = \"percent\"\nkind = \"events\"\n[[values]]\nfrom = \"2006-04-01\"\nvalue = 2.5\ncite = \"x\"\n").unwrap();
    let out = tenpa(&[
        "evaluate",
        "examples/surgeon-1-in-4.toml",
        "--parameters",
        dir.to_str().unwrap(),
    ]);
    assert_eq!(out.status.code(), Some(2));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        err.contains("pay/general_award.toml") && err.contains("values[0].value"),
        "{err}"
    );
}

/// Source: PAY-2: a trust adds a later year's award without recompiling.
#[test]
fn a_parameter_directory_adds_a_later_award() {
    let dir = tempdir("params-ok");
    std::fs::create_dir_all(dir.join("pay")).unwrap();
    std::fs::write(dir.join("pay/general_award.toml"), "description = \"x\"\nunit = \"percent\"\nkind = \"events\"\n[[values]]\nfrom = \"2006-04-01\"\nvalue = \"2.5\"\ncite = \"Local: DDRB 2006 award\"\n").unwrap();
    let out = tenpa(&[
        "evaluate",
        "examples/surgeon-1-in-4.toml",
        "--on",
        "2006-04-01",
        "--parameters",
        dir.to_str().unwrap(),
    ]);
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    // Point 4: £78,094 in 2005/06 × 1.025 = £80,046.35 → £80,046.
    assert_eq!(v["pay"]["full_time_salary"], "80046.00");
    assert!(!v["findings"]
        .as_array()
        .unwrap()
        .iter()
        .any(|f| f["rule"] == "PAY-2"));
}

/// Source: PEC guidance (PEC-1 … PEC-4): `tenpa pec check` on the examples.
#[test]
fn pec_check_reports_the_examples() {
    let good = tenpa(&[
        "pec",
        "check",
        "examples/pec/northshire-compliant.toml",
        "--format",
        "json",
    ]);
    assert_eq!(
        good.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&good.stderr)
    );
    let v: serde_json::Value = serde_json::from_slice(&good.stdout).unwrap();
    assert_eq!(v["clinical_members"], 6);
    let bad = tenpa(&["pec", "check", "examples/pec/southvale-non-compliant.toml"]);
    assert_eq!(bad.status.code(), Some(1));
    let text = String::from_utf8(bad.stdout).unwrap();
    assert!(
        text.contains("PEC-3") && text.contains("PEC-2") && text.contains("PEC-4"),
        "{text}"
    );
    let dir = tempdir("pec");
    let p = write(
        &dir,
        "typo.toml",
        "[pct]\nname = \"x\"\n[[member]]\nname = \"a\"\nprofesion = \"gp\"\n",
    );
    let out = tenpa(&["pec", "check", &p]);
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("did you mean `profession`"));
}
