//! Golden board-competency cases as data (`tests/board_competency/*.toml`): a fixture board with
//! its directors' ratings and job descriptions, and the board profile figures computed by hand.

use std::collections::BTreeMap;
use tenpa_rules::board_competency::{
    check_job_description, completeness, profile, Framework, Rating, Ratings,
};
use toml::Value;

fn ratings(fw: &Framework, director: &Value) -> Ratings {
    let default = director["default"].as_str().unwrap();
    let overrides = director["overrides"].as_table().unwrap();
    fw.statement_ids()
        .map(|id| {
            let rating = overrides
                .get(id)
                .map_or(default, |v| v.as_str().unwrap())
                .to_string();
            (
                id.to_string(),
                Rating {
                    rating,
                    evidence: String::new(),
                },
            )
        })
        .collect()
}

/// Source: seed 001 (BC-1, BC-2); figures in `tests/board_competency/fixture_board.toml`.
#[test]
fn fixture_board_profile_and_job_descriptions() {
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/board_competency");
    let mut count = 0;
    for entry in std::fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        let case: Value = toml::from_str(&std::fs::read_to_string(&path).unwrap()).unwrap();
        let name = case["name"].as_str().unwrap();
        assert!(case.get("source").is_some(), "{name}: no source");
        let fw = Framework::embedded(case["version"].as_str().unwrap()).unwrap();
        let expect = &case["expect"];
        let directors = case["director"].as_array().unwrap();
        let all: Vec<(String, Ratings)> = directors
            .iter()
            .map(|d| (d["name"].as_str().unwrap().to_string(), ratings(&fw, d)))
            .collect();
        for (who, r) in &all {
            assert!(completeness(&fw, r).complete(), "{name}: {who} incomplete");
        }
        let refs: Vec<&Ratings> = all.iter().map(|(_, r)| r).collect();
        let p = profile(&fw, &refs);
        assert_eq!(
            p.appraisals as i64,
            expect["appraisals"].as_integer().unwrap()
        );
        let means: BTreeMap<&str, Option<u32>> = p
            .domains
            .iter()
            .map(|d| (d.key.as_str(), d.mean_hundredths))
            .collect();
        for (k, v) in expect["mean_hundredths"].as_table().unwrap() {
            assert_eq!(
                means[k.as_str()],
                Some(v.as_integer().unwrap() as u32),
                "{name}: mean of {k}"
            );
        }
        for (k, v) in expect["distribution"].as_table().unwrap() {
            let d = p.domains.iter().find(|d| &d.key == k).unwrap();
            let got: Vec<i64> = d.distribution.iter().map(|(_, n)| *n as i64).collect();
            let want: Vec<i64> = v
                .as_array()
                .unwrap()
                .iter()
                .map(|x| x.as_integer().unwrap())
                .collect();
            assert_eq!(got, want, "{name}: distribution of {k}");
        }
        let weakest: Vec<&str> = expect["weakest"]
            .as_array()
            .unwrap()
            .iter()
            .map(|v| v.as_str().unwrap())
            .collect();
        assert_eq!(p.weakest, weakest, "{name}: weakest");
        let nd: Vec<(String, i64)> = p
            .not_demonstrated
            .iter()
            .map(|s| (s.id.clone(), s.count as i64))
            .collect();
        let want: Vec<(String, i64)> = expect["not_demonstrated"]
            .as_array()
            .unwrap()
            .iter()
            .map(|v| {
                let a = v.as_array().unwrap();
                (a[0].as_str().unwrap().into(), a[1].as_integer().unwrap())
            })
            .collect();
        assert_eq!(nd, want, "{name}: not demonstrated by many");

        let jd = expect["job_description_findings"].as_table().unwrap();
        for d in directors {
            let who = d["name"].as_str().unwrap();
            let domains: Vec<String> = d["domains"]
                .as_array()
                .unwrap()
                .iter()
                .map(|v| v.as_str().unwrap().to_string())
                .collect();
            let findings = check_job_description(&fw, &domains);
            match jd.get(who) {
                Some(msg) => {
                    assert_eq!(findings.len(), 1, "{name}: {who}");
                    assert_eq!(findings[0].rule, "BC-2");
                    assert_eq!(findings[0].message, msg.as_str().unwrap(), "{name}: {who}");
                }
                None => assert!(findings.is_empty(), "{name}: {who}: {findings:?}"),
            }
        }

        let ce = &all.iter().find(|(w, _)| w == "Chief executive").unwrap().1;
        let p = profile(&fw, &[ce]);
        let w: Vec<&str> = expect["chief_executive_weakest"]
            .as_array()
            .unwrap()
            .iter()
            .map(|v| v.as_str().unwrap())
            .collect();
        assert_eq!(p.weakest, w);
        let part = p.domains.iter().find(|d| d.key == "partnership").unwrap();
        assert_eq!(
            part.mean_hundredths,
            Some(expect["chief_executive_partnership"].as_integer().unwrap() as u32)
        );
        count += 1;
    }
    assert!(count >= 1);
}
