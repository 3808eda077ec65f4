//! `tenpa progression` end to end: the example careers against snapshots, exit codes, `--until`,
//! and bad input.

mod common;

use common::{tenpa, toml_files};
use std::process::Output;

fn careers() -> Vec<String> {
    toml_files("examples/careers")
}

fn json(out: &Output) -> serde_json::Value {
    serde_json::from_slice(&out.stdout).unwrap_or_else(|e| {
        panic!(
            "not JSON ({e}): {}\n{}",
            String::from_utf8_lossy(&out.stdout),
            String::from_utf8_lossy(&out.stderr)
        )
    })
}

/// Source: issue "progression", Done when: each example career's timeline is checked by a
/// snapshot, as JSON and as text.
#[test]
fn every_example_career_matches_its_snapshots() {
    let names = careers();
    assert!(names.len() >= 5, "at least five careers, found {names:?}");
    for name in names {
        let path = format!("examples/careers/{name}");
        let out = tenpa(&["progression", &path, "--format", "json"]);
        assert_eq!(
            out.status.code(),
            Some(0),
            "{name}: {}",
            String::from_utf8_lossy(&out.stderr)
        );
        insta::assert_snapshot!(
            format!("{name}.json"),
            String::from_utf8(out.stdout).unwrap()
        );
        let text = tenpa(&["progression", &path, "--format", "text"]);
        assert_eq!(text.status.code(), Some(0), "{name}");
        insta::assert_snapshot!(
            format!("{name}.txt"),
            String::from_utf8(text.stdout).unwrap()
        );
    }
}

/// Source: issue "progression": the five careers it names are among the examples.
#[test]
fn the_examples_cover_the_careers_the_issue_names() {
    let mut seniorities = Vec::new();
    let (mut new_with_deferral, mut maximum_part_time) = (false, false);
    for name in careers() {
        let v = json(&tenpa(&[
            "progression",
            &format!("examples/careers/{name}"),
        ]));
        if let Some(t) = v.get("transition") {
            seniorities.push(t["seniority_at_transfer"].as_u64().unwrap());
            maximum_part_time |= t.get("maximum_part_time").is_some();
        } else {
            new_with_deferral |= v["events"]
                .as_array()
                .unwrap()
                .iter()
                .any(|e| e["kind"] == "deferred");
        }
    }
    for s in [3, 12, 25] {
        assert!(seniorities.contains(&s), "seniority {s}: {seniorities:?}");
    }
    assert!(new_with_deferral && maximum_part_time);
}

/// Source: docs/commands.md: the JSON has the consultant id and events with the named fields.
#[test]
fn the_json_has_the_interface_fields() {
    let v = json(&tenpa(&[
        "progression",
        "examples/careers/new-consultant-deferral.toml",
    ]));
    assert_eq!(v["consultant_id"], "c-new-001");
    let e = &v["events"][1];
    for field in [
        "date",
        "kind",
        "point_value_2002_03",
        "salary",
        "satisfactory_years_counted",
        "deferred_years",
    ] {
        assert!(e.get(field).is_some(), "{field} in {e}");
    }
    assert_eq!(e["date"], "2005-09-01");
    assert_eq!(e["kind"], "threshold");
    assert_eq!(e["point_value_2002_03"], "65000.00");
    assert_eq!(e["salary"], "71494.00");
    let kinds: Vec<&str> = v["events"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["kind"].as_str().unwrap())
        .collect();
    assert!(kinds
        .iter()
        .all(|k| ["start", "transfer", "threshold", "deferred"].contains(k)));
}

/// Source: issue "progression": `--until` stops the timeline on that date.
#[test]
fn until_stops_the_timeline() {
    let v = json(&tenpa(&[
        "progression",
        "examples/careers/existing-seniority-3-appeal.toml",
        "--until",
        "2006-12-31",
    ]));
    let events = v["events"].as_array().unwrap();
    assert_eq!(events.last().unwrap()["date"], "2006-11-01");
    assert_eq!(v["pay_years"].as_array().unwrap().len(), 4);
    assert_eq!(v["until"], "2006-12-31");
}

/// Source: docs/commands.md: exit 1 when any error finding.
#[test]
fn an_error_finding_exits_1() {
    let p = write(
        "refused-award.toml",
        "[consultant]\nid = \"c\"\nfirst_appointed = \"2004-09-01\"\n\n[[award]]\nlevel = 10\nawarded_on = \"2006-04-01\"\n",
    );
    let out = tenpa(&["progression", &p, "--until", "2007-01-01"]);
    assert_eq!(out.status.code(), Some(1));
    let v = json(&out);
    assert_eq!(v["findings"][0]["rule"], "CEA-2");
    assert_eq!(v["findings"][0]["severity"], "error");
}

fn write(name: &str, content: &str) -> String {
    let d = std::env::temp_dir().join(format!("tenpa-progression-{}", std::process::id()));
    std::fs::create_dir_all(&d).unwrap();
    let p = d.join(name);
    std::fs::write(&p, content).unwrap();
    p.to_string_lossy().into_owned()
}

/// Runs a bad career; asserts exit 2, no panic, nothing on stdout, and that stderr names the
/// file and each of `needles`.
fn refused(name: &str, content: &[u8], extra: &[&str], needles: &[&str]) {
    let d = std::env::temp_dir().join(format!("tenpa-progression-{}", std::process::id()));
    std::fs::create_dir_all(&d).unwrap();
    let p = d.join(name);
    std::fs::write(&p, content).unwrap();
    let mut args = vec!["progression", p.to_str().unwrap()];
    args.extend(extra);
    let out = tenpa(&args);
    let err = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(2), "{name}: {err}");
    assert!(!err.contains("panicked"), "{name}: {err}");
    assert!(out.stdout.is_empty(), "{name}: nothing on stdout");
    assert!(err.contains(name), "{name}: the file is named: {err}");
    for n in needles {
        assert!(err.contains(n), "{name}: expected `{n}` in: {err}");
    }
}

const NEW: &str = "[consultant]\nid = \"c\"\nfirst_appointed = \"2004-09-01\"\n";

#[test]
fn years_out_of_order_name_the_line_and_field() {
    refused(
        "order.toml",
        format!("{NEW}\n[[year]]\nending = \"2006-09-01\"\n\n[[year]]\nending = \"2005-09-01\"\n")
            .as_bytes(),
        &[],
        &[
            "order.toml:9:",
            "year[1].ending",
            "2005-09-01",
            "date order",
        ],
    );
}

#[test]
fn overlapping_years_are_refused() {
    refused(
        "twice.toml",
        format!("{NEW}\n[[year]]\nending = \"2005-09-01\"\n\n[[year]]\nending = \"2005-09-01\"\n")
            .as_bytes(),
        &[],
        &["twice.toml:9:", "year[1].ending", "again"],
    );
}

#[test]
fn a_year_before_appointment_is_refused() {
    refused(
        "early.toml",
        format!("{NEW}\n[[year]]\nending = \"2004-09-01\"\n").as_bytes(),
        &[],
        &[
            "early.toml:6:",
            "year[0].ending",
            "on or before first appointment",
        ],
    );
}

#[test]
fn seniority_for_a_new_consultant_is_refused() {
    refused(
        "seniority.toml",
        format!("{NEW}seniority_at_transfer = 12\n").as_bytes(),
        &[],
        &["consultant.seniority_at_transfer", "transferred"],
    );
}

#[test]
fn an_award_level_out_of_range_is_refused() {
    refused(
        "level.toml",
        format!("{NEW}\n[[award]]\nlevel = 14\nawarded_on = \"2006-04-01\"\n").as_bytes(),
        &[],
        &["level.toml:6:9", "award[0].level", "14", "1 to 13"],
    );
}

#[test]
fn a_typo_suggests_the_nearest_field() {
    refused(
        "typo.toml",
        format!("{NEW}\n[[year]]\nending = \"2005-09-01\"\nmet_time_and_servce = true\n")
            .as_bytes(),
        &[],
        &[
            "typo.toml:7:23",
            "met_time_and_servce",
            "did you mean `met_time_and_service`",
        ],
    );
}

#[test]
fn a_bad_date_names_the_field() {
    refused(
        "date.toml",
        format!("{NEW}\n[[year]]\nending = \"2005-13-01\"\n").as_bytes(),
        &[],
        &["date.toml:6:", "year[0].ending"],
    );
}

#[test]
fn json_careers_are_read_and_checked_with_positions() {
    let ok = write(
        "career.json",
        r#"{"consultant": {"id": "c", "first_appointed": "2004-09-01"},
 "year": [{"ending": "2005-09-01", "met_time_and_service": true,
   "met_objectives_or_reasonable_effort": true, "took_part_in_appraisal_and_job_planning": true,
   "worked_towards_service_changes": true}]}"#,
    );
    let out = tenpa(&["progression", &ok, "--until", "2006-01-01"]);
    assert_eq!(out.status.code(), Some(0));
    assert_eq!(json(&out)["events"][1]["kind"], "threshold");
    refused(
        "order.json",
        br#"{"consultant": {"id": "c", "first_appointed": "2004-09-01"},
 "year": [{"ending": "2006-09-01"},
          {"ending": "2005-09-01"}]}"#,
        &[],
        &["order.json:3:22", "year[1].ending", "date order"],
    );
}

#[test]
fn an_offer_with_short_notice_is_a_finding_not_an_error() {
    let p = write(
        "short-notice.toml",
        &format!("{NEW}\n[[year]]\nending = \"2005-09-01\"\nmet_time_and_service = true\nmet_objectives_or_reasonable_effort = true\ntook_part_in_appraisal_and_job_planning = true\nworked_towards_service_changes = true\noutside_remunerated_work = true\n\n[[extra_pa_offer]]\noffered_on = \"2004-10-01\"\nstarts_on = \"2004-11-15\"\npas = 1\nresponse = \"declined\"\n"),
    );
    let out = tenpa(&["progression", &p, "--until", "2005-09-01"]);
    assert_eq!(out.status.code(), Some(0));
    let v = json(&out);
    assert!(v["findings"]
        .as_array()
        .unwrap()
        .iter()
        .any(|f| f["rule"] == "PP-5" && f["severity"] == "warning"));
    assert_eq!(v["years"][0]["satisfactory"], true);
}

#[test]
fn until_before_the_start_is_refused() {
    refused(
        "until.toml",
        NEW.as_bytes(),
        &["--until", "2004-01-01"],
        &["--until 2004-01-01"],
    );
}

#[test]
fn a_bad_until_is_refused_by_the_command_line() {
    let out = tenpa(&[
        "progression",
        "examples/careers/new-consultant-deferral.toml",
        "--until",
        "2005-02-30",
    ]);
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("YYYY-MM-DD"));
}

#[test]
fn random_bytes_are_refused() {
    let mut x: u64 = 0x9E37_79B9_7F4A_7C15;
    let bytes: Vec<u8> = (0..64 * 1024)
        .map(|_| {
            x ^= x << 13;
            x ^= x >> 7;
            x ^= x << 17;
            (x >> 24) as u8
        })
        .collect();
    refused("random.toml", &bytes, &[], &["UTF-8"]);
}

#[test]
fn an_empty_file_is_refused() {
    refused("empty.toml", b"", &[], &["empty", "career document"]);
}

#[test]
fn a_missing_file_is_refused() {
    let out = tenpa(&["progression", "no-such-career.toml"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("no-such-career.toml"));
}

#[test]
fn a_far_until_stops_at_the_engine_s_horizon() {
    let out = tenpa(&[
        "progression",
        "examples/careers/new-consultant-deferral.toml",
        "--until",
        "9999-12-31",
    ]);
    assert_eq!(out.status.code(), Some(0));
    let v = json(&out);
    assert_eq!(v["pay_years"].as_array().unwrap().len(), 61);
    assert!(v["findings"]
        .as_array()
        .unwrap()
        .iter()
        .any(|f| f["rule"] == "PP-3" && f["message"].as_str().unwrap().contains("60 years")));
}

#[test]
fn an_unquoted_toml_date_says_to_quote_it() {
    refused(
        "unquoted.toml",
        b"[consultant]\nid = \"c\"\nfirst_appointed = 2004-09-01\n",
        &[],
        &[
            "unquoted.toml:3:",
            "consultant.first_appointed",
            "in quotes",
        ],
    );
}
