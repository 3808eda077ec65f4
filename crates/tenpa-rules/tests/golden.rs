//! Golden cases as data: every `tests/cases/**/*.toml` file holds `[[case]]`s, each a named test.
//!
//! A case names its `rule` and `source` paragraph, the date `on` the rules are applied at, a
//! minimal `input` merged over `tests/cases/base.toml` (tables merge, arrays replace), and what it
//! expects: `expect` (dotted paths into the assessment JSON), `absent` (paths that must not
//! exist), `remove` (dotted paths deleted from the base), `findings.include` / `findings.exclude` (`"RULE"` or `"RULE:severity"`), `findings.message_contains` (`"RULE: text"`: a finding of the rule whose message contains the text), or
//! `input_error` (a text the input error must contain). Every assessment must read back from its
//! JSON as the same assessment. `[[scale]]` entries check the pay scale of
//! one pay year. `[[career]]` cases run a career document through `progression::timeline`: their
//! `input` is the whole document (no base), `until` is `--until`, `satisfactory_years = N` writes the
//! first N `[[year]]`s (each closing on an anniversary, recording the four criteria of the review
//! and the private practice standards as met) with `year_overrides`
//! (`"3" = { met_time_and_service = false }`) merged into year 3, `events` lists every event
//! expected in order (only the fields given are compared), and `timeline_error` a text the
//! timeline's error must contain. Paths in `expect` may index arrays (`events.2.date`). `[[review]]`
//! cases run JP-1's review date and standing on the day `on`: `sign_offs` (days, or
//! `{ on, interim = true }`), `annual_reviews`, `took_effect`, `started` and the `current` plan's
//! state, expecting `review_due` (a day, or `"none"`), `overdue` and `standing`. `[[workflow]]`
//! cases (JP-1, JP-4) take `steps` from `from` (default `draft`), each an `action` by a `role` with
//! its relation to the plan (`own`, `in_department`, `named_alternate`, `manages_the_manager`),
//! expecting the state after it (`to`) or the refusal's text (`refused`). A last test checks
//! that every rule listed in `docs/rules.md` has a constant and a case.

use chrono::Datelike;
use libtest_mimic::{Arguments, Failed, Trial};
use serde_json::Value as Json;
use std::path::{Path, PathBuf};
use tenpa_rules::{
    evaluate, parse_career, parse_document, pay, rule, timeline, Assessment, Format, Parameters,
};
use toml::Value;

mod support;

fn files(dir: &Path, out: &mut Vec<PathBuf>) {
    let mut entries: Vec<PathBuf> = std::fs::read_dir(dir)
        .expect("cases dir")
        .map(|e| e.expect("entry").path())
        .collect();
    entries.sort();
    for p in entries {
        if p.is_dir() {
            files(&p, out);
        } else if p.extension().is_some_and(|e| e == "toml")
            && p.file_name().is_some_and(|n| n != "base.toml")
        {
            out.push(p);
        }
    }
}

fn merge(base: &mut Value, over: &Value) {
    match (base, over) {
        (Value::Table(b), Value::Table(o)) => {
            for (k, v) in o {
                match b.get_mut(k) {
                    Some(existing) if existing.is_table() && v.is_table() => merge(existing, v),
                    _ => {
                        b.insert(k.clone(), v.clone());
                    }
                }
            }
        }
        (b, o) => *b = o.clone(),
    }
}

fn lookup<'a>(json: &'a Json, path: &str) -> Option<&'a Json> {
    path.split('.')
        .try_fold(json, |v, key| match (v, key.parse::<usize>()) {
            (Json::Array(a), Ok(i)) => a.get(i),
            _ => v.get(key),
        })
}

fn matches(expected: &Value, actual: &Json) -> bool {
    match expected {
        Value::Integer(i) => actual
            .as_f64()
            .is_some_and(|a| (a - *i as f64).abs() < 1e-9),
        Value::Float(x) => actual.as_f64().is_some_and(|a| (a - x).abs() < 1e-9),
        Value::String(s) => actual.as_str() == Some(s.as_str()),
        Value::Boolean(b) => actual.as_bool() == Some(*b),
        Value::Array(items) => actual.as_array().is_some_and(|a| {
            a.len() == items.len() && items.iter().zip(a).all(|(e, x)| matches(e, x))
        }),
        _ => false,
    }
}

fn finding_matches(spec: &str, f: &Json) -> bool {
    let (rule, severity) = spec
        .split_once(':')
        .map_or((spec, None), |(r, s)| (r, Some(s)));
    f["rule"] == rule && severity.is_none_or(|s| f["severity"] == s)
}

fn run_case(case: &Value, base: &Value, params: &Parameters) -> Result<(), Failed> {
    let mut doc = base.clone();
    if let Some(input) = case.get("input") {
        merge(&mut doc, input);
    }
    for path in case
        .get("remove")
        .and_then(Value::as_array)
        .into_iter()
        .flatten()
    {
        let path = path.as_str().expect("remove paths are strings");
        let (table, key) = path.rsplit_once('.').expect("remove paths are table.key");
        if let Some(Value::Table(t)) = table.split('.').try_fold(&mut doc, |v, k| v.get_mut(k)) {
            t.remove(key);
        }
    }
    let text = toml::to_string(&doc).map_err(|e| format!("case input does not serialise: {e}"))?;
    let on = case
        .get("on")
        .and_then(Value::as_str)
        .map(|s| chrono::NaiveDate::parse_from_str(s, "%Y-%m-%d").expect("case `on` is a date"));
    let parsed = parse_document("case.toml", text.as_bytes(), Format::Toml, params);
    if let Some(expected) = case.get("input_error").and_then(Value::as_str) {
        return match parsed {
            Err(e) if e.to_string().contains(expected) => Ok(()),
            Err(e) => Err(format!("input error `{e}` does not contain `{expected}`").into()),
            Ok(_) => Err(format!(
                "expected an input error containing `{expected}`, the document was read"
            )
            .into()),
        };
    }
    let doc = parsed.map_err(|e| format!("input error: {e}\n{text}"))?;
    let assessment = evaluate(&doc, params, on).map_err(|e| format!("cannot evaluate: {e}"))?;
    let json = serde_json::to_value(&assessment).expect("assessment serialises");
    // A stored assessment reads back as the same assessment: what the service stores and the
    // pages show.
    let stored: Assessment = serde_json::from_value(json.clone())
        .map_err(|e| format!("the assessment does not read back: {e}"))?;
    if serde_json::to_value(&stored).ok().as_ref() != Some(&json) {
        return Err(format!(
            "the assessment read back serialises differently:\n{json}\n{}",
            serde_json::to_value(&stored).unwrap_or_default()
        )
        .into());
    }
    check(case, &json, Vec::new())
}

/// Compares `expect`, `absent` and `findings` of a case with the output's JSON.
fn check(case: &Value, json: &Json, mut problems: Vec<String>) -> Result<(), Failed> {
    if let Some(Value::Table(expect)) = case.get("expect") {
        for (path, want) in expect {
            match lookup(json, path) {
                Some(got) if matches(want, got) => {}
                got => problems.push(format!(
                    "{path}: expected {want}, got {}",
                    got.map_or("nothing".into(), Json::to_string)
                )),
            }
        }
    }
    for path in case
        .get("absent")
        .and_then(Value::as_array)
        .into_iter()
        .flatten()
    {
        let path = path.as_str().expect("absent paths are strings");
        if lookup(json, path).is_some() {
            problems.push(format!("{path}: expected no such field"));
        }
    }
    let findings = json["findings"].as_array().cloned().unwrap_or_default();
    let specs = |key: &str| {
        case.get("findings")
            .and_then(|f| f.get(key))
            .and_then(Value::as_array)
            .cloned()
            .unwrap_or_default()
    };
    for spec in specs("include") {
        let spec = spec.as_str().expect("finding specs are strings");
        if !findings.iter().any(|f| finding_matches(spec, f)) {
            problems.push(format!("expected a {spec} finding"));
        }
    }
    for spec in specs("exclude") {
        let spec = spec.as_str().expect("finding specs are strings");
        if let Some(f) = findings.iter().find(|f| finding_matches(spec, f)) {
            problems.push(format!("expected no {spec} finding, got {f}"));
        }
    }
    for spec in specs("message_contains") {
        let spec = spec.as_str().expect("finding specs are strings");
        let (rule, text) = spec
            .split_once(": ")
            .expect("message_contains specs are \"RULE: text\"");
        if !findings
            .iter()
            .any(|f| f["rule"] == rule && f["message"].as_str().is_some_and(|m| m.contains(text)))
        {
            problems.push(format!("expected a {rule} finding saying \"{text}\""));
        }
    }
    if problems.is_empty() {
        Ok(())
    } else {
        Err(format!(
            "{}\nfindings: {}",
            problems.join("\n"),
            serde_json::to_string_pretty(&findings).unwrap_or_default()
        )
        .into())
    }
}

fn date(v: &Value, what: &str) -> chrono::NaiveDate {
    v.as_str()
        .and_then(|s| chrono::NaiveDate::parse_from_str(s, "%Y-%m-%d").ok())
        .unwrap_or_else(|| panic!("{what} is a date written \"YYYY-MM-DD\""))
}

/// The criteria a generated satisfactory year records as met (PP-1: unrecorded is not met).
const RECORDED_MET: [&str; 5] = [
    "met_time_and_service",
    "met_objectives_or_reasonable_effort",
    "took_part_in_appraisal_and_job_planning",
    "worked_towards_service_changes",
    "met_private_practice_standards",
];

fn run_career(case: &Value, params: &Parameters) -> Result<(), Failed> {
    let mut doc = case
        .get("input")
        .cloned()
        .unwrap_or(Value::Table(Default::default()));
    if let Some(n) = case.get("satisfactory_years").and_then(Value::as_integer) {
        let c = &doc["consultant"];
        let anchor = date(
            c.get("transferred").unwrap_or(&c["first_appointed"]),
            "the anchor",
        );
        let overrides = case.get("year_overrides").and_then(Value::as_table);
        let years: Vec<Value> = (1..=n)
            .map(|k| {
                let ending = anchor
                    .with_year(anchor.year() + k as i32)
                    .expect("generated years need an anchor other than 29 February");
                let mut year = Value::Table(Default::default());
                let t = year.as_table_mut().expect("table");
                t.insert("ending".into(), Value::String(ending.to_string()));
                for c in RECORDED_MET {
                    t.insert(c.into(), Value::Boolean(true));
                }
                if let Some(o) = overrides.and_then(|o| o.get(&k.to_string())) {
                    merge(&mut year, o);
                }
                year
            })
            .collect();
        doc.as_table_mut()
            .expect("input is a table")
            .insert("year".into(), Value::Array(years));
    }
    let text = toml::to_string(&doc).map_err(|e| format!("case input does not serialise: {e}"))?;
    let parsed = parse_career("case.toml", text.as_bytes(), Format::Toml, params);
    if let Some(expected) = case.get("input_error").and_then(Value::as_str) {
        return match parsed {
            Err(e) if e.to_string().contains(expected) => Ok(()),
            Err(e) => Err(format!("input error `{e}` does not contain `{expected}`").into()),
            Ok(_) => Err(format!(
                "expected an input error containing `{expected}`, the document was read"
            )
            .into()),
        };
    }
    let doc = parsed.map_err(|e| format!("input error: {e}\n{text}"))?;
    let until = case.get("until").map(|u| date(u, "until"));
    let career = timeline(&doc, params, until);
    if let Some(expected) = case.get("timeline_error").and_then(Value::as_str) {
        return match career {
            Err(e) if e.to_string().contains(expected) => Ok(()),
            Err(e) => Err(format!("timeline error `{e}` does not contain `{expected}`").into()),
            Ok(_) => Err(format!("expected a timeline error containing `{expected}`").into()),
        };
    }
    let career = career.map_err(|e| format!("cannot walk the career: {e}"))?;
    let json = serde_json::to_value(&career).expect("career serialises");
    let mut problems = Vec::new();
    if let Some(want) = case.get("events").and_then(Value::as_array) {
        let got = json["events"].as_array().cloned().unwrap_or_default();
        if got.len() != want.len() {
            problems.push(format!(
                "expected {} events, got {}: {}",
                want.len(),
                got.len(),
                got.iter()
                    .map(|e| format!("{} {} {}", e["date"], e["kind"], e["point_value_2002_03"]))
                    .collect::<Vec<_>>()
                    .join(", ")
            ));
        }
        for (i, (w, g)) in want.iter().zip(&got).enumerate() {
            for (field, value) in w.as_table().into_iter().flatten() {
                match g.get(field) {
                    Some(x) if matches(value, x) => {}
                    x => problems.push(format!(
                        "events.{i}.{field}: expected {value}, got {}",
                        x.map_or("nothing".into(), Json::to_string)
                    )),
                }
            }
        }
    }
    check(case, &json, problems)
}

fn run_scale(case: &Value, params: &Parameters) -> Result<(), Failed> {
    let start = chrono::NaiveDate::parse_from_str(
        case["year_start"].as_str().expect("year_start"),
        "%Y-%m-%d",
    )
    .expect("date");
    let want: Vec<i64> = case["points"]
        .as_array()
        .expect("points")
        .iter()
        .map(|v| v.as_integer().expect("whole pounds"))
        .collect();
    let got = pay::scale(params, start).map_err(|e| e.to_string())?;
    let got: Vec<i64> = got
        .points
        .iter()
        .map(|d| d.trunc().try_into().expect("pounds"))
        .collect();
    if got == want {
        Ok(())
    } else {
        Err(format!("expected {want:?}, got {got:?}").into())
    }
}

fn run_workflow(case: &Value) -> Result<(), Failed> {
    use tenpa_rules::job_planning::{transition, Action, Actor, Role, Status};
    let state = |s: &str| Status::parse(s).unwrap_or_else(|| panic!("state {s}"));
    let mut now = state(case.get("from").and_then(Value::as_str).unwrap_or("draft"));
    for (i, step) in case["steps"].as_array().expect("steps").iter().enumerate() {
        let name = step["action"].as_str().expect("action");
        let action = Action::ALL
            .into_iter()
            .find(|a| a.as_str() == name)
            .unwrap_or_else(|| panic!("action {name}"));
        let flag = |k: &str| step.get(k).and_then(Value::as_bool).unwrap_or(false);
        let role = step["role"].as_str().expect("role");
        let actor = Actor {
            role: Role::parse(role).unwrap_or_else(|| panic!("role {role}")),
            own: flag("own"),
            in_department: flag("in_department"),
            named_alternate: flag("named_alternate"),
            manages_the_manager: flag("manages_the_manager"),
        };
        match (
            transition(now, action, actor),
            step.get("refused").and_then(Value::as_str),
        ) {
            (Ok(to), None) => {
                let want = step["to"].as_str().expect("to");
                if to.as_str() != want {
                    return Err(
                        format!("step {i} ({name}): expected {want}, got {}", to.as_str()).into(),
                    );
                }
                now = to;
            }
            (Err(e), Some(text)) if e.to_string().contains(text) => {}
            (Err(e), want) => {
                return Err(format!("step {i} ({name}): refused \"{e}\", expected {want:?}").into())
            }
            (Ok(to), Some(text)) => {
                return Err(format!(
                    "step {i} ({name}): reached {}, expected a refusal with \"{text}\"",
                    to.as_str()
                )
                .into())
            }
        }
    }
    Ok(())
}

fn run_review(case: &Value, params: &Parameters) -> Result<(), Failed> {
    use tenpa_rules::job_planning::review::{overdue, review_due, standing, SignOff};
    let day = |v: &Value| {
        chrono::NaiveDate::parse_from_str(v.as_str().expect("a date"), "%Y-%m-%d").expect("date")
    };
    let on = day(&case["on"]);
    let interval = *params
        .review_interval_months
        .value(on)
        .map_err(|e| e.to_string())?;
    let sign_offs: Vec<SignOff> = case
        .get("sign_offs")
        .and_then(Value::as_array)
        .into_iter()
        .flatten()
        .map(|s| match s.as_table() {
            Some(t) => SignOff {
                on: day(&t["on"]),
                interim: t.get("interim").and_then(Value::as_bool).unwrap_or(false),
            },
            None => SignOff {
                on: day(s),
                interim: false,
            },
        })
        .collect();
    let annual: Vec<chrono::NaiveDate> = case
        .get("annual_reviews")
        .and_then(Value::as_array)
        .into_iter()
        .flatten()
        .map(day)
        .collect();
    let due = review_due(
        &sign_offs,
        &annual,
        case.get("took_effect").map(day),
        interval,
    );
    let mut wrong = Vec::new();
    if let Some(want) = case.get("review_due").and_then(Value::as_str) {
        let got = due.map_or("none".to_string(), |d| d.to_string());
        if got != want {
            wrong.push(format!("review_due: expected {want}, got {got}"));
        }
    }
    if let Some(want) = case.get("overdue").and_then(Value::as_bool) {
        if overdue(due, on) != want {
            wrong.push(format!("overdue: expected {want}"));
        }
    }
    if let Some(want) = case.get("standing").and_then(Value::as_str) {
        let started = case
            .get("started")
            .map(day)
            .unwrap_or(chrono::NaiveDate::MIN);
        let current = case.get("current").and_then(Value::as_str).map(|s| {
            tenpa_rules::job_planning::Status::parse(s).unwrap_or_else(|| panic!("state {s}"))
        });
        let last = sign_offs.iter().map(|s| s.on).max();
        let got = standing(on, started, last, current, interval);
        if got.as_str() != want {
            wrong.push(format!("standing: expected {want}, got {}", got.as_str()));
        }
    }
    if wrong.is_empty() {
        Ok(())
    } else {
        Err(wrong.join("; ").into())
    }
}

/// The `[[kind]]` cases of a case file, each with its name and its rule: its own `rule`, else
/// `default` (the file's, or the kind's). Each names a source, its own or the file's, where
/// `sourced`.
fn cases_of(
    file: &Value,
    kind: &str,
    default: Option<&str>,
    sourced: bool,
    path: &Path,
) -> Vec<(String, String, Value)> {
    let cases = file.get(kind).and_then(Value::as_array).cloned();
    cases
        .unwrap_or_default()
        .into_iter()
        .map(|case| {
            let name = case
                .get("name")
                .and_then(Value::as_str)
                .unwrap_or_else(|| panic!("{}: a {kind} case has no name", path.display()))
                .to_string();
            let rule = case
                .get("rule")
                .and_then(Value::as_str)
                .or(default)
                .unwrap_or_else(|| panic!("{}: {kind} case `{name}` names no rule", path.display()))
                .to_string();
            assert!(
                !sourced || case.get("source").or(file.get("source")).is_some(),
                "{}: {kind} case `{name}` names no source",
                path.display()
            );
            (name, rule, case)
        })
        .collect()
}

fn main() {
    let args = Arguments::from_args();
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/cases");
    let base: Value =
        toml::from_str(&std::fs::read_to_string(root.join("base.toml")).expect("base.toml"))
            .expect("base.toml is TOML");
    let params = Parameters::embedded();
    let mut trials = Vec::new();
    let mut covered: Vec<String> = Vec::new();
    let mut list = Vec::new();
    files(&root, &mut list);
    for path in list {
        let rel = path
            .strip_prefix(&root)
            .expect("under root")
            .with_extension("")
            .display()
            .to_string();
        let file: Value = toml::from_str(&std::fs::read_to_string(&path).expect("read case file"))
            .unwrap_or_else(|e| panic!("{}: {e}", path.display()));
        let file_rule = file.get("rule").and_then(Value::as_str);
        for (name, rule, case) in cases_of(&file, "case", file_rule, true, &path) {
            covered.push(rule.clone());
            let base = base.clone();
            trials.push(Trial::test(format!("{rel}::{rule}::{name}"), move || {
                run_case(&case, &base, params)
            }));
        }
        for (name, rule, case) in cases_of(&file, "career", file_rule, true, &path) {
            covered.push(rule.clone());
            trials.push(Trial::test(format!("{rel}::{rule}::{name}"), move || {
                run_career(&case, params)
            }));
        }
        for (name, rule, case) in cases_of(&file, "workflow", None, true, &path) {
            covered.push(rule.clone());
            trials.push(Trial::test(format!("{rel}::{rule}::{name}"), move || {
                run_workflow(&case)
            }));
        }
        for (name, rule, case) in cases_of(&file, "review", Some("JP-1"), true, &path) {
            covered.push(rule.clone());
            trials.push(Trial::test(format!("{rel}::{rule}::{name}"), move || {
                run_review(&case, params)
            }));
        }
        for (name, rule, case) in cases_of(&file, "scale", Some("PAY-2"), false, &path) {
            covered.push("PAY-1".into());
            covered.push(rule.clone());
            trials.push(Trial::test(format!("{rel}::{rule}::{name}"), move || {
                run_scale(&case, params)
            }));
        }
    }
    let rules_md = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../docs/rules.md");
    trials.push(Trial::test(
        "coverage::every rule in docs/rules.md has a constant and a golden case",
        move || {
            let text = std::fs::read_to_string(&rules_md)
                .map_err(|e| format!("{}: {e}", rules_md.display()))?;
            let ids = support::table_ids(&text);
            if ids.len() < 30 {
                return Err(format!("docs/rules.md lists only {} rule ids", ids.len()).into());
            }
            let mut missing = Vec::new();
            for id in ids {
                if rule::by_id(id).is_none() {
                    missing.push(format!("{id}: no Rule constant"));
                }
                if !covered.iter().any(|c| c == id) {
                    missing.push(format!("{id}: no golden case"));
                }
            }
            if missing.is_empty() {
                Ok(())
            } else {
                Err(missing.join("\n").into())
            }
        },
    ));
    libtest_mimic::run(&args, trials).exit();
}
