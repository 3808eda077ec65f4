//! Golden PEC cases as data (`tests/pec/*.toml`): each `[[case]]` is a committee with the findings
//! it must and must not give, and the figures it must report. Every PEC rule has a case.

use tenpa_rules::pec::{check, parse_pec, PecDocument};
use tenpa_rules::Parameters;

#[test]
fn golden_pec_cases() {
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/pec");
    let mut paths: Vec<_> = std::fs::read_dir(&dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .collect();
    paths.sort();
    let params = Parameters::embedded();
    let mut covered = Vec::new();
    let mut failures = Vec::new();
    let mut count = 0;
    for path in paths {
        let file: toml::Value = toml::from_str(&std::fs::read_to_string(&path).unwrap()).unwrap();
        for case in file["case"].as_array().unwrap() {
            count += 1;
            let name = case["name"].as_str().unwrap();
            covered.push(case["rule"].as_str().unwrap().to_string());
            assert!(case.get("source").is_some(), "{name}: no source");
            let committee = toml::to_string(&case["committee"]).unwrap();
            let doc: PecDocument = parse_pec("case.toml", committee.as_bytes(), true)
                .unwrap_or_else(|e| panic!("{name}: {e}"));
            let result = check(&doc, params);
            let has = |spec: &str| {
                let (rule, sev) = spec
                    .split_once(':')
                    .map_or((spec, None), |(r, s)| (r, Some(s)));
                result
                    .findings
                    .iter()
                    .any(|f| f.rule == rule && sev.is_none_or(|s| f.severity.as_str() == s))
            };
            for spec in case
                .get("include")
                .and_then(|v| v.as_array())
                .into_iter()
                .flatten()
            {
                if !has(spec.as_str().unwrap()) {
                    failures.push(format!(
                        "{name}: expected {spec}, got {:?}",
                        result.findings
                    ));
                }
            }
            for spec in case
                .get("exclude")
                .and_then(|v| v.as_array())
                .into_iter()
                .flatten()
            {
                if has(spec.as_str().unwrap()) {
                    failures.push(format!(
                        "{name}: expected no {spec}, got {:?}",
                        result.findings
                    ));
                }
            }
            if let Some(n) = case.get("clinical_members") {
                if result.clinical_members as i64 != n.as_integer().unwrap() {
                    failures.push(format!(
                        "{name}: clinical members {} != {n}",
                        result.clinical_members
                    ));
                }
            }
            if let Some(errors) = case.get("errors") {
                let got = result
                    .findings
                    .iter()
                    .filter(|f| f.severity.as_str() == "error")
                    .count() as i64;
                if got != errors.as_integer().unwrap() {
                    failures.push(format!(
                        "{name}: {got} errors, expected {errors}: {:?}",
                        result.findings
                    ));
                }
            }
        }
    }
    assert!(count >= 5, "at least the five cases of the issue");
    for id in ["PEC-1", "PEC-2", "PEC-3", "PEC-4"] {
        assert!(covered.iter().any(|c| c == id), "{id} has no golden case");
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

/// The examples: one compliant, one not.
#[test]
fn the_examples_give_their_documented_results() {
    let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../../examples/pec");
    let params = Parameters::embedded();
    let read = |n: &str| parse_pec(n, &std::fs::read(root.join(n)).unwrap(), true).unwrap();
    let good = check(&read("northshire-compliant.toml"), params);
    assert!(!good.has_errors(), "{:?}", good.findings);
    assert!(good.implemented_in_time);
    assert_eq!((good.members, good.clinical_members), (9, 6));
    let bad = check(&read("southvale-non-compliant.toml"), params);
    let rules: Vec<&str> = bad
        .findings
        .iter()
        .filter(|f| f.severity.as_str() == "error")
        .map(|f| f.rule)
        .collect();
    assert_eq!(rules, ["PEC-2", "PEC-3", "PEC-3"], "{:?}", bad.findings);
    assert!(!bad.implemented_in_time);
}

#[test]
fn unknown_fields_are_refused_with_a_suggestion() {
    let e = parse_pec(
        "p.toml",
        b"[pct]\nname = \"x\"\n[[member]]\nname = \"a\"\nprofesion = \"gp\"\n",
        true,
    )
    .unwrap_err();
    assert!(e.message.contains("did you mean `profession`"), "{e}");
    assert_eq!(e.line, 5);
}
