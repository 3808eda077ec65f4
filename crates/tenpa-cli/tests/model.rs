//! `tenpa model` end to end: golden totals of a small population worked by hand, scenarios,
//! per-record output, the chart, the generator, and bad input (issue "Costing a whole
//! workforce", "Tests that must exist").

use rust_decimal::Decimal;
use serde_json::Value;
mod common;

use common::{tempdir, tenpa};
use std::path::Path;
use std::process::Output;
use std::str::FromStr;
use tenpa_rules::money::round_pound;
use tenpa_rules::Money;

const FIXTURE: &str = "crates/tenpa-cli/tests/fixtures/population.csv";

fn json(out: &Output) -> Value {
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    serde_json::from_slice(&out.stdout).expect("JSON output")
}

/// Source: PAY-1/PAY-2 (2005/06 scale: points 0-7 are £69,294, £71,494, £73,693, £75,893,
/// £78,094, £83,318, £88,542, £93,766), PAY-3, OC-2 to OC-6, OOH-2, CEA-1/CEA-3, PAY-5.
///
/// The fixture's six rows on 2005-04-01, worked by hand (each component rounded to the penny):
///
/// | row | basic | extra PAs | availability | out-of-hours | award | on-call PAs |
/// |---|---|---|---|---|---|---|
/// | c1: point 3, 10 PAs, 1 extra, 1 in 6 A, time, 2 h + 1.5 h | 75,893.00 | 7,589.30 | 5% = 3,794.65 | 0 (time form) | 0 | 2/4 + 1.5/3 = 1 |
/// | "Smith, J": point 0, 7.5 PAs, no rota, 2 premium PAs, level 2 | 69,294 × 0.75 = 51,970.50 | 0 | 0 | 2 PA-eq: 6.6% × 51,970.50 = 3,430.053 → 3,430.05 | 5,000 × 0.75 = 3,750.00 | 0 |
/// | c3: point 7, 10 PAs, 0.5 extra, 1 in 3 B, 0.25 premium PAs, 0.25 h + 2.5 h, level 9 | 93,766.00 | 4,688.30 | 3% = 2,812.98 | 0.25 + 2.5/4 = 0.875 → 1: 3.3% = 3,094.278 → 3,094.28 | 30,000.00 | 0.25/4 + 2.5/4 = 0.6875 |
/// | c4: point 5, 6.25 PAs, 1 in 12 A, 0.25 h | 83,318 × 0.625 = 52,073.75 | 0 | 3% of full time = 2,499.54 | 0 | 0 | 0 (under 30 minutes, OC-4) |
/// | c5: point 4, 10 PAs, 1 in 2 A, 1 premium PA, 8 h + 3 h | 78,094.00 | 0 | 8% = 6,247.52 | 1 + 3/4 = 1.75 → 2: 6.6% = 5,154.204 → 5,154.20 | 0 | 8/4 + 3/4 = 2.75, capped at 2 |
/// | c6: point 1, 12 PAs (paid as 10), 0.3333 extra, 4 premium PAs, level 13 | 71,494.00 | 7,149.4 × 0.3333 = 2,382.895 → 2,382.90 | 0 | 4 → the last step: 10% = 7,149.40 | 65,000.00 | 0 |
///
/// Sums: basic 423,291.25; extra 14,660.50; availability 15,354.69; out-of-hours 18,827.93;
/// awards 98,750.00; total 570,884.37; superannuable (basic + awards + availability)
/// 537,395.94; on-call PAs 3.6875; availability share 15,354.69 / 570,884.37 = 2.6896%.
#[test]
fn golden_totals_of_a_small_population() {
    let v = json(&tenpa(&[
        "model",
        FIXTURE,
        "--on",
        "2005-04-01",
        "--format",
        "json",
    ]));
    assert_eq!(v["applied_on"], "2005-04-01");
    assert_eq!(v["consultants"], 6);
    let bill = &v["pay_bill"];
    assert_eq!(bill["basic_salary"], "423291.25");
    assert_eq!(bill["extra_pas"], "14660.50");
    assert_eq!(bill["availability_supplement"], "15354.69");
    assert_eq!(bill["out_of_hours_premium"], "18827.93");
    assert_eq!(bill["clinical_excellence_award"], "98750.00");
    assert_eq!(bill["total"], "570884.37");
    assert_eq!(bill["superannuable"], "537395.94");
    assert_eq!(v["on_call_pas"], 3.688);
    assert_eq!(v["availability_supplement_share_percent"], 2.69);
    assert_eq!(v["funding_target_percent"], 3.48);
    let bands = &v["rota_bands"];
    assert_eq!(
        (
            &bands["none"],
            &bands["high"],
            &bands["medium"],
            &bands["low"]
        ),
        (&2.into(), &2.into(), &1.into(), &1.into())
    );
    assert_eq!(v["rota_bands_by_category"]["high"]["b"], 1);
    assert_eq!(v["skipped"]["rows"], 0);
}

/// Source: docs/commands.md: `--per-record` writes `id,total_pay_pence,superannuable_pence,on_call_pas`
/// in file order; the rows are those of the golden test above.
#[test]
fn per_record_lines_follow_the_file() {
    let dir = tempdir("per-record");
    let out = dir.join("per-record.csv");
    let o = tenpa(&[
        "model",
        FIXTURE,
        "--on",
        "2005-04-01",
        "--per-record",
        out.to_str().unwrap(),
        "--threads",
        "2",
    ]);
    assert_eq!(
        o.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&o.stderr)
    );
    let text = std::fs::read_to_string(&out).unwrap();
    assert_eq!(
        text,
        "id,total_pay_pence,superannuable_pence,on_call_pas\n\
         c1,8727695,7968765,1\n\
         \"Smith, J\",5915055,5572050,0\n\
         c3,13436156,12657898,0.688\n\
         c4,5457329,5457329,0\n\
         c5,8949572,8434152,2\n\
         c6,14602630,13649400,0\n"
    );
}

/// Source: PAY-2 (each point × 1.01 rounded to the pound) and PAY-3: a scenario raising the scale
/// by 1% changes basic salary by exactly the sum of each row's rounded difference.
#[test]
fn a_one_percent_award_changes_basic_salary_by_the_rounded_amounts() {
    let dir = tempdir("award");
    let pop = dir.join("pop.csv");
    let g = tenpa(&[
        "model",
        "--generate",
        "3000",
        "--seed",
        "7",
        pop.to_str().unwrap(),
    ]);
    assert_eq!(g.status.code(), Some(0));
    let v = json(&tenpa(&[
        "model",
        pop.to_str().unwrap(),
        "--on",
        "2006-04-01",
        "--scenario",
        "crates/tenpa-cli/tests/fixtures/award-1pc.toml",
        "--format",
        "json",
    ]));
    // By hand from the file: the 2005/06 scale holds in 2006/07 without the award.
    let scale = [69294, 71494, 73693, 75893, 78094, 83318, 88542, 93766].map(Decimal::from);
    let raised = scale.map(|p| round_pound(p * Decimal::from_str("1.01").unwrap()));
    let ten = Decimal::TEN;
    let mut expected = Decimal::ZERO;
    let mut rows = 0;
    for line in std::fs::read_to_string(&pop).unwrap().lines().skip(1) {
        let f: Vec<&str> = line.split(',').collect();
        let point: usize = f[1].parse().unwrap();
        let pas = Decimal::from_str(f[2]).unwrap().min(ten);
        let basic = |ft: Decimal| Money::round(ft / ten * pas).pounds();
        expected += basic(raised[point]) - basic(scale[point]);
        rows += 1;
    }
    assert_eq!(rows, 3000);
    let s = &v["scenarios"][0];
    assert_eq!(s["name"], "1% award in 2006/07");
    let diff = Decimal::from_str(
        s["difference"]["pay_bill"]["basic_salary"]
            .as_str()
            .unwrap(),
    )
    .unwrap();
    assert_eq!(diff, expected);
    assert!(diff > Decimal::ZERO);
    let base = Decimal::from_str(v["pay_bill"]["basic_salary"].as_str().unwrap()).unwrap();
    let new = Decimal::from_str(s["pay_bill"]["basic_salary"].as_str().unwrap()).unwrap();
    assert_eq!(new - base, diff);
}

/// Source: F 9(k) (PAY-2): a scenario giving RPI(X) above the band the awards assume notes that the
/// award is due to be renegotiated, changing no figure; the baseline, with none given, notes nothing.
#[test]
fn rpix_outside_the_band_is_noted_in_the_scenario_only() {
    let v = json(&tenpa(&[
        "model",
        FIXTURE,
        "--on",
        "2005-06-01",
        "--scenario",
        "crates/tenpa-cli/tests/fixtures/rpix-high.toml",
        "--format",
        "json",
    ]));
    let mentions = |notes: &Value| {
        notes
            .as_array()
            .unwrap()
            .iter()
            .filter(|n| n.as_str().unwrap().contains("RPI(X)"))
            .count()
    };
    assert_eq!(mentions(&v["notes"]), 0, "{}", v["notes"]);
    let s = &v["scenarios"][0];
    assert_eq!(mentions(&s["notes"]), 1, "{}", s["notes"]);
    assert!(s["notes"]
        .to_string()
        .contains("5.2%, lies outside the 1.725% to 4.725%"));
    assert_eq!(s["pay_bill"], v["pay_bill"], "no figure changes");
}

/// Source: issue "Costing a whole workforce": several scenarios in one pass, each with its
/// difference; text report and chart.
#[test]
fn several_scenarios_in_one_pass_with_text_and_chart() {
    let dir = tempdir("scenarios");
    let chart = dir.join("chart.svg");
    let args = [
        "model",
        FIXTURE,
        "--on",
        "2006-04-01",
        "--scenario",
        "crates/tenpa-cli/tests/fixtures/award-1pc.toml",
        "--scenario",
        "crates/tenpa-cli/tests/fixtures/supplement.toml",
    ];
    let mut with_json = args.to_vec();
    with_json.extend(["--format", "json"]);
    let v = json(&tenpa(&with_json));
    let s = v["scenarios"].as_array().unwrap();
    assert_eq!(s.len(), 2);
    // The supplement scenario: category A 1 in 6 (c1) 6% instead of 5%, 1 in 12 (c4) 4% not 3%,
    // 1 in 2 (c5) 9% not 8%: 1% of £75,893 + £83,318 + £78,094 = £2,373.05; the cap of 1.5
    // takes 0.5 PA off c5.
    assert_eq!(
        s[1]["difference"]["pay_bill"]["availability_supplement"],
        "2373.05"
    );
    assert_eq!(s[1]["difference"]["pay_bill"]["basic_salary"], "0.00");
    assert_eq!(s[1]["difference"]["on_call_pas"], -0.5);
    assert_eq!(
        s[0]["difference"]["pay_bill"]["availability_supplement"]
            .as_str()
            .map(|x| x.starts_with('-')),
        Some(false)
    );
    let mut with_chart = args.to_vec();
    with_chart.extend(["--chart", chart.to_str().unwrap()]);
    let text = tenpa(&with_chart);
    assert_eq!(text.status.code(), Some(0));
    let text = String::from_utf8(text.stdout).unwrap();
    assert!(text.contains("Richer category A"), "{text}");
    assert!(text.contains("funding target is 3.48%"), "{text}");
    assert!(
        text.contains("Consultants by rota band and category"),
        "{text}"
    );
    let svg = std::fs::read_to_string(&chart).unwrap();
    assert!(svg.starts_with("<svg") && svg.contains("Richer category A"));
    assert_eq!(svg.matches("<rect x=").count(), 5 * 3 + 3);
}

/// Source: issue "Costing a whole workforce": the generator is deterministic for a seed.
#[test]
fn the_generator_is_deterministic() {
    let dir = tempdir("generate");
    let a = dir.join("a.csv");
    let b = dir.join("b.csv");
    for p in [&a, &b] {
        let o = tenpa(&[
            "model",
            "--generate",
            "500",
            "--seed",
            "3",
            p.to_str().unwrap(),
        ]);
        assert_eq!(o.status.code(), Some(0));
    }
    assert_eq!(std::fs::read(&a).unwrap(), std::fs::read(&b).unwrap());
    let v = json(&tenpa(&["model", a.to_str().unwrap(), "--format", "json"]));
    assert_eq!(v["consultants"], 500);
}

const HEADER: &str = "id,pay_threshold_index,contracted_pas,extra_pas,rota_size,on_call_category,ooh_pas_per_week,ooh_recognition,emergency_hours_in_hours,emergency_hours_ooh,cea_level\n";
const GOOD: &str = "ok1,3,10,1,6,A,0,time,2,1.5,0\n";

fn write(dir: &Path, name: &str, text: &str) -> String {
    let p = dir.join(name);
    std::fs::write(&p, text).unwrap();
    p.to_string_lossy().into_owned()
}

/// Source: issue "Costing a whole workforce": bad rows give clear errors naming the line, the
/// column and the value, and exit code 2; with `--skip-invalid` they are skipped and counted.
#[test]
fn bad_rows_are_errors_or_skipped() {
    let dir = tempdir("bad");
    let cases = [
        (
            "missing column",
            "bad,3,10,1,6,A,0,time,2,1.5\n",
            "the row has 10 field(s) but the header has 11: column cea_level (field 11) is missing",
        ),
        (
            "rota -1",
            "bad,3,10,1,-1,A,0,time,2,1.5,0\n",
            "column rota_size (field 5): found \"-1\", expected 0 (not on a rota)",
        ),
        (
            "cea 14",
            "bad,3,10,1,6,A,0,time,2,1.5,14\n",
            "column cea_level (field 11): found \"14\", expected a whole number from 0 (no award) to 13",
        ),
        (
            "category C",
            "bad,3,10,1,6,C,0,time,2,1.5,0\n",
            "column on_call_category (field 6): found \"C\", expected A or B",
        ),
        (
            "non-numeric PAs",
            "bad,3,ten,1,6,A,0,time,2,1.5,0\n",
            "column contracted_pas (field 3): found \"ten\", expected core weekly PAs",
        ),
    ];
    for (name, bad, message) in cases {
        let text = format!("{HEADER}{GOOD}{bad}{GOOD}");
        let path = write(&dir, &format!("{}.csv", name.replace(' ', "-")), &text);
        let out = tenpa(&["model", &path, "--format", "json"]);
        let err = String::from_utf8_lossy(&out.stderr);
        assert_eq!(out.status.code(), Some(2), "{name}: {err}");
        assert!(out.stdout.is_empty(), "{name}");
        let expected = format!("{path}:3: {message}");
        assert!(
            err.contains(&expected),
            "{name}: expected `{expected}` in `{err}`"
        );
        let skipped = tenpa(&["model", &path, "--format", "json", "--skip-invalid"]);
        let v = json(&skipped);
        assert_eq!(v["consultants"], 2, "{name}");
        assert_eq!(v["skipped"]["rows"], 1, "{name}");
        let reason = v["skipped"]["reasons"][0].as_str().unwrap();
        assert!(
            reason.starts_with(&format!("line 3: {message}")),
            "{name}: {reason}"
        );
    }
}

/// Source: issue "Costing a whole workforce": an empty file, a header only, or a header without a
/// needed column cannot be costed (exit 2), with or without `--skip-invalid`.
#[test]
fn empty_files_and_bad_headers_exit_2() {
    let dir = tempdir("empty");
    let cases = [
        ("empty.csv", String::new(), "the file is empty"),
        (
            "header.csv",
            HEADER.to_string(),
            "no consultants: the file has a header but no rows",
        ),
        (
            "no-cea.csv",
            format!("{}\n", HEADER.trim_end().replace(",cea_level", "")),
            "the header has no column cea_level",
        ),
        (
            "all-bad.csv",
            format!("{HEADER}bad,9,10,0,0,,0,time,0,0,0\n"),
            "",
        ),
    ];
    for (name, text, message) in cases {
        let path = write(&dir, name, &text);
        for skip in [false, true] {
            let mut args = vec!["model", path.as_str()];
            if skip {
                args.push("--skip-invalid");
            }
            let out = tenpa(&args);
            let err = String::from_utf8_lossy(&out.stderr);
            assert_eq!(out.status.code(), Some(2), "{name}: {err}");
            assert!(
                err.contains(message),
                "{name}: expected `{message}` in `{err}`"
            );
        }
    }
    let out = tenpa(&[
        "model",
        &dir.join("all-bad.csv").to_string_lossy(),
        "--skip-invalid",
    ]);
    assert!(String::from_utf8_lossy(&out.stderr).contains("all 1 rows were skipped"));
}

/// Source: docs/commands.md: a scenario file with a bad parameter is an error naming the file.
#[test]
fn a_bad_scenario_names_its_file() {
    let dir = tempdir("bad-scenario");
    let s = write(
        &dir,
        "bad.toml",
        "[[parameter]]\npath = \"pay/general_awards.toml\"\ndescription = \"d\"\nunit = \"percent\"\n[[parameter.values]]\nfrom = \"2006-04-01\"\nvalue = \"1\"\ncite = \"x\"\n",
    );
    let out = tenpa(&["model", FIXTURE, "--scenario", &s]);
    let err = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(2), "{err}");
    assert!(
        err.contains("bad.toml") && err.contains("did you mean pay/general_award.toml"),
        "{err}"
    );
}

/// Source: docs/documents.md "The population file" (decimal PAs and hours): figures with more decimal
/// places than the integer costing holds are costed exactly, as `evaluate` would.
///
/// On 2005-04-01, point 3 is £75,893: x1's extra PAs of 0.333333333333333 pay £7,589.30 ×
/// 0.333333333333333 = £2,529.7666… → £2,529.77, so £78,422.77 in all (superannuable £75,893.00);
/// x2 on a 1 in 6 rota, category A, gets 5% = £3,794.65, and 1.00000001 premium-time hours of
/// emergency work under the reduced-hours form are 1.00000001 / 3 = 0.3333… PA (OC-2).
#[test]
fn many_decimal_places_are_costed_exactly() {
    let dir = tempdir("exact");
    let csv = write(
        &dir,
        "exact.csv",
        &format!(
            "{HEADER}x1,3,10,0.333333333333333,0,,0,time,0,0,0\nx2,3,10,0,6,A,0,time,0,1.00000001,0\n"
        ),
    );
    let per = dir.join("per.csv");
    let v = json(&tenpa(&[
        "model",
        &csv,
        "--on",
        "2005-04-01",
        "--format",
        "json",
        "--per-record",
        per.to_str().unwrap(),
    ]));
    assert_eq!(v["pay_bill"]["extra_pas"], "2529.77");
    assert_eq!(v["pay_bill"]["total"], "158110.42");
    assert_eq!(v["on_call_pas"], 0.333);
    assert_eq!(
        std::fs::read_to_string(&per).unwrap(),
        "id,total_pay_pence,superannuable_pence,on_call_pas\nx1,7842277,7589300,0\nx2,7968765,7968765,0.333\n"
    );
}

/// Source: OOH-3 (F 9(i), B 8.4): from 1 April 2006 the premium form needs the consultant's
/// agreement. The fixture's premium rows on 2006-04-01: without a `premium_agreed` column none is
/// agreed, so no premium is paid (the reduced-hours form applies); with the column, only the rows
/// marked `true` are paid; on 2006-03-31 the employer's choice stands and the column changes
/// nothing.
#[test]
fn the_premium_form_is_paid_from_april_2006_only_when_agreed() {
    let dir = tempdir("agreed");
    let fixture = std::fs::read_to_string(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/tests/fixtures/population.csv"
    ))
    .unwrap();
    let mut lines = fixture.lines();
    let mut with = format!("{},premium_agreed\n", lines.next().unwrap());
    for (i, line) in lines.enumerate() {
        // "Smith, J" (the second row) is agreed; c3, c5 and c6 are not.
        with.push_str(&format!(
            "{line},{}\n",
            if i == 1 { "true" } else { "false" }
        ));
    }
    let agreed = write(&dir, "agreed.csv", &with);
    let premium = |file: &str, on: &str| {
        let v = json(&tenpa(&["model", file, "--on", on, "--format", "json"]));
        v["pay_bill"]["out_of_hours_premium"]
            .as_str()
            .unwrap()
            .to_string()
    };
    assert_eq!(premium(FIXTURE, "2006-04-01"), "0.00");
    assert_ne!(premium(FIXTURE, "2006-03-31"), "0.00");
    assert_eq!(
        premium(&agreed, "2006-03-31"),
        premium(FIXTURE, "2006-03-31")
    );
    // "Smith, J" alone: 2 PA-equivalents, 6.6% of 7.5 PAs of point 0 in 2006/07.
    let smith = premium(&agreed, "2006-04-01");
    assert_ne!(smith, "0.00");
    let alone = write(
        &dir,
        "smith.csv",
        &format!("{HEADER_AGREED}\"Smith, J\",0,7.5,0,0,,2,premium,0,0,2,true\n"),
    );
    assert_eq!(premium(&alone, "2006-04-01"), smith);
}

const HEADER_AGREED: &str = "id,pay_threshold_index,contracted_pas,extra_pas,rota_size,on_call_category,ooh_pas_per_week,ooh_recognition,emergency_hours_in_hours,emergency_hours_ooh,cea_level,premium_agreed\n";
