//! A trust brings its existing job plans in: `tenpa import plans` over a directory of job plan
//! documents (the repository's examples, one as JSON), after `tenpa employers add`,
//! `tenpa departments add` and `tenpa import establishment` have made the consultants' records;
//! with a dry run, all or nothing, and again without change. Each test uses a fresh SQLite file,
//! or a fresh PostgreSQL database when `TENPA_TEST_DATABASE_URL` is set.

mod common;

use sha2::{Digest, Sha256};
use std::path::{Path, PathBuf};
use std::process::Output;
use tenpa_store::{Scope, Store};

fn tenpa(db: &str, args: &[&str]) -> Output {
    let mut all = args.to_vec();
    all.extend_from_slice(&["--db", db]);
    common::tenpa(&all)
}

fn out(o: &Output) -> String {
    String::from_utf8_lossy(&o.stdout).into_owned()
}

fn err(o: &Output) -> String {
    String::from_utf8_lossy(&o.stderr).into_owned()
}

fn store(db: &str) -> (tokio::runtime::Runtime, Store) {
    let rt = tokio::runtime::Runtime::new().unwrap();
    let s = rt.block_on(Store::connect(db)).unwrap();
    (rt, s)
}

/// The examples' job plan documents, by file name.
fn examples() -> Vec<(String, String)> {
    common::toml_files("examples")
        .into_iter()
        .map(|n| {
            let text = std::fs::read_to_string(common::root().join("examples").join(&n)).unwrap();
            (n, text)
        })
        .collect()
}

/// A trust with a department, Surgery, and a consultant record for each example's consultant.
fn trust(name: &str) -> String {
    let db = common::database("import_plans", name);
    let o = tenpa(&db, &["employers", "add", "Northshire NHS Trust"]);
    assert!(o.status.success(), "{}", err(&o));
    let o = tenpa(&db, &["departments", "add", "Surgery"]);
    assert!(o.status.success(), "{}", err(&o));
    let mut csv = String::from("assignment_number,name,department,first_appointed\n");
    for (_, text) in examples() {
        let doc: toml::Table = toml::from_str(&text).unwrap();
        let c = &doc["consultant"];
        csv.push_str(&format!(
            "{},\"{}\",Surgery,{}\n",
            c["id"].as_str().unwrap(),
            c["name"].as_str().unwrap(),
            c["first_appointed"].as_str().unwrap()
        ));
    }
    let file = dir(name, "establishment").join("establishment.csv");
    std::fs::write(&file, csv).unwrap();
    let o = tenpa(&db, &["import", "establishment", file.to_str().unwrap()]);
    assert!(o.status.success(), "{}\n{}", out(&o), err(&o));
    db
}

/// A fresh, empty directory.
fn dir(test: &str, name: &str) -> PathBuf {
    let d = common::tempdir(&format!("import-plans-{test}")).join(name);
    let _ = std::fs::remove_dir_all(&d);
    std::fs::create_dir_all(&d).unwrap();
    d
}

/// A directory of plans: every example, the surgeon's as JSON.
fn plans(test: &str) -> PathBuf {
    let d = dir(test, "plans");
    for (name, text) in examples() {
        if name == "surgeon-1-in-4.toml" {
            let value: serde_json::Value = toml::from_str(&text).unwrap();
            std::fs::write(
                d.join("surgeon-1-in-4.json"),
                serde_json::to_string_pretty(&value).unwrap(),
            )
            .unwrap();
        } else {
            std::fs::write(d.join(name), text).unwrap();
        }
    }
    // Not a job plan document: not read from a directory.
    std::fs::write(d.join("README.txt"), "the plans").unwrap();
    d
}

/// The SHA-256 of files as the import names it: each file's name, NUL, its length, NUL, its bytes.
fn files_sha256(files: &[PathBuf]) -> String {
    let mut h = Sha256::new();
    for f in files {
        let bytes = std::fs::read(f).unwrap();
        h.update(f.file_name().unwrap().to_str().unwrap().as_bytes());
        h.update([0]);
        h.update(bytes.len().to_string().as_bytes());
        h.update([0]);
        h.update(&bytes);
    }
    hex::encode(h.finalize())
}

/// The audit log's length, its chain checked.
fn audit_length(rt: &tokio::runtime::Runtime, s: &Store) -> usize {
    let report = rt.block_on(s.verify_audit()).unwrap();
    assert!(report.ok(), "{:?}", report.reason);
    usize::try_from(report.entries).unwrap()
}

/// Source: issue brief — a dry run lists each file and writes nothing; the import creates a draft
/// plan, version 1, for each document, with the assessment and pay `tenpa evaluate` gives it, the
/// document as the API stores it, each audited as a creation and the import as one entry naming
/// the SHA-256 of the files' names and bytes; the same directory again writes nothing.
#[test]
fn a_directory_of_plans_is_imported_as_drafts_and_again_without_change() {
    let db = trust("apply");
    let d = plans("apply");
    let shown = d.display().to_string();
    let o = tenpa(&db, &["import", "plans", &shown, "--dry-run"]);
    assert!(o.status.success(), "{}\n{}", out(&o), err(&o));
    let report = out(&o);
    let n = examples().len();
    assert!(
        report.contains(&format!(
            "{shown}/surgeon-1-in-4.json: c-surg-001 from 2005-04-01: create"
        )),
        "{report}"
    );
    assert!(
        report.contains(&format!(
            "{n} files: {n} to create, 0 unchanged, 0 with errors"
        )),
        "{report}"
    );
    assert!(report.contains("dry run: nothing written"), "{report}");
    assert!(!report.contains("README"), "{report}");
    let (rt, s) = store(&db);
    let before = audit_length(&rt, &s);
    assert!(
        rt.block_on(s.job_plans(&Scope::All)).unwrap().is_empty(),
        "a dry run writes nothing"
    );

    let o = tenpa(&db, &["import", "plans", &shown]);
    assert!(o.status.success(), "{}\n{}", out(&o), err(&o));
    let mut files: Vec<PathBuf> = std::fs::read_dir(&d)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|e| e == "toml" || e == "json"))
        .collect();
    files.sort();
    let sha = files_sha256(&files);
    assert!(
        out(&o).contains(&format!(
            "applied: {n} draft plans created (files SHA-256 {sha})"
        )),
        "{}",
        out(&o)
    );
    assert_eq!(
        audit_length(&rt, &s),
        before + n + 1,
        "each plan's creation and the import"
    );
    let import = rt.block_on(s.audit_for("job_plans", &sha, 10)).unwrap();
    assert_eq!(import.len(), 1, "one import entry with the files' hash");
    assert_eq!(import[0].action, "import");
    let after: serde_json::Value =
        serde_json::from_str(import[0].after.as_deref().unwrap()).unwrap();
    assert_eq!(after["files"], n);
    assert_eq!(after["created"], n);
    if let Ok(user) = std::env::var("USER") {
        assert_eq!(import[0].actor, format!("cli:{user}"));
    }

    let stored = rt
        .block_on(s.job_plans_with_assessments(&Scope::All))
        .unwrap();
    assert_eq!(stored.len(), n);
    for file in &files {
        let text = std::fs::read_to_string(file).unwrap();
        let document: serde_json::Value = if file.extension().unwrap() == "json" {
            serde_json::from_str(&text).unwrap()
        } else {
            toml::from_str(&text).unwrap()
        };
        let id = document["consultant"]["id"].as_str().unwrap();
        let plan = stored
            .iter()
            .find(|p| p.summary.consultant_id == id)
            .unwrap_or_else(|| panic!("a plan for {id}"));
        assert_eq!(plan.summary.status.as_str(), "draft", "{id}");
        assert_eq!(plan.summary.version, 1, "{id}");
        assert_eq!(
            plan.document, document,
            "{id}: the document as the API stores it"
        );
        let o = common::tenpa(&["evaluate", file.to_str().unwrap()]);
        let evaluated: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
        // Pounds as a decimal text ("84341.52").
        let pence = |v: &serde_json::Value| {
            let pounds: rust_decimal::Decimal = v.as_str().unwrap().parse().unwrap();
            i64::try_from(pounds * rust_decimal::Decimal::ONE_HUNDRED).unwrap()
        };
        assert_eq!(
            plan.summary.total_pay_pence,
            pence(&evaluated["pay"]["total"]),
            "{id}: total pay as tenpa evaluate gives it"
        );
        assert_eq!(
            plan.summary.superannuable_pence,
            pence(&evaluated["pay"]["superannuable"]),
            "{id}"
        );
        assert_eq!(
            serde_json::to_value(&plan.assessment.pay).unwrap(),
            evaluated["pay"],
            "{id}: the assessment"
        );
        let audit = rt
            .block_on(s.audit_for("job_plan", &plan.summary.id.to_string(), 10))
            .unwrap();
        assert_eq!(audit.len(), 1, "{id}");
        assert_eq!(audit[0].action, "create", "{id}");
        assert_eq!(audit[0].actor, import[0].actor, "{id}");
    }

    // Again, with the files named one by one: every plan unchanged, nothing written.
    let named: Vec<String> = files.iter().map(|f| f.display().to_string()).collect();
    let mut args = vec!["import", "plans"];
    args.extend(named.iter().map(String::as_str));
    let o = tenpa(&db, &args);
    assert!(o.status.success(), "{}\n{}", out(&o), err(&o));
    assert!(
        out(&o).contains(&format!("{n} files: 0 to create, {n} unchanged")),
        "{}",
        out(&o)
    );
    assert!(out(&o).contains("nothing to change"), "{}", out(&o));
    assert_eq!(audit_length(&rt, &s), before + n + 1, "nothing written");
    assert_eq!(rt.block_on(s.job_plans(&Scope::All)).unwrap().len(), n);
}

/// Writes `text` as `name` in `d`, giving its path.
fn write(d: &Path, name: &str, text: &str) -> String {
    let p = d.join(name);
    std::fs::write(&p, text).unwrap();
    p.display().to_string()
}

/// Source: issue brief — each bad file is named with its field (and line, where the document gives
/// it) and what was expected: a document that cannot be read, a consultant not on record, two
/// plans for one consultant and date in the import, a plan for a date already stored with another
/// document (never overwritten), more than 500 activities, a file that is not TOML or JSON; the
/// good files in the import are not written either. Unreadable input exits 2.
#[test]
fn bad_files_are_named_with_their_field_and_nothing_is_written() {
    let db = trust("bad");
    let surgeon = examples()
        .into_iter()
        .find(|(n, _)| n == "surgeon-1-in-4.toml")
        .unwrap()
        .1;
    let first = dir("bad", "first");
    let stored = write(&first, "surgeon.toml", &surgeon);
    let o = tenpa(&db, &["import", "plans", &stored]);
    assert!(o.status.success(), "{}\n{}", out(&o), err(&o));
    let (rt, s) = store(&db);
    let before = audit_length(&rt, &s);

    let d = dir("bad", "plans");
    let good = write(
        &d,
        "a-good.toml",
        &surgeon.replace("2005-04-01", "2006-04-01"),
    );
    let unknown = write(
        &d,
        "b-unknown.toml",
        &surgeon.replace("c-surg-001", "c-nobody"),
    );
    let twice = write(
        &d,
        "c-twice.toml",
        &surgeon
            .replace("2005-04-01", "2006-04-01")
            .replace("Daily commute", "The daily commute"),
    );
    let changed = write(
        &d,
        "d-changed.toml",
        &surgeon.replace("Post-take ward round", "Post-take round"),
    );
    let broken = write(
        &d,
        "e-broken.toml",
        &surgeon.replace("contracted_pas = 10", "contracted_pas = \"ten\""),
    );
    let mut many: serde_json::Value = toml::from_str(&surgeon).unwrap();
    many["job_plan"]["effective_from"] = "2007-04-01".into();
    let one = many["activity"][0].clone();
    many["activity"] = serde_json::Value::Array(vec![one; 501]);
    let many = write(
        &d,
        "f-many.json",
        &serde_json::to_string_pretty(&many).unwrap(),
    );
    let text = write(&d, "g-plan.txt", &surgeon);
    let mut args = vec!["import", "plans", d.to_str().unwrap(), text.as_str()];
    let o = tenpa(&db, &args);
    assert_eq!(o.status.code(), Some(1), "{}\n{}", out(&o), err(&o));
    let report = out(&o);
    for expected in [
        format!("{good}: c-surg-001 from 2006-04-01: create"),
        format!("{unknown}:7:6: consultant.id: found \"c-nobody\", expected the id of a consultant on record"),
        format!("{twice}:17:18: job_plan.effective_from: found a second plan for consultant c-surg-001 from 2006-04-01 in this import (also {good})"),
        format!("{changed}:17:18: job_plan.effective_from: a plan for consultant c-surg-001 from 2005-04-01 exists (job plan 1, draft) with another document"),
        format!("{broken}:18:"),
        "job_plan.contracted_pas: ".to_string(),
        format!("{many}:"),
        "activity[500]: found 501 activities, expected at most 500".to_string(),
        format!("{text}: (document): found a file that is neither .toml nor .json"),
        "7 files: 1 to create, 0 unchanged, 6 with errors".to_string(),
        "nothing written".to_string(),
    ] {
        assert!(report.contains(&expected), "{expected}\n{report}");
    }
    assert_eq!(audit_length(&rt, &s), before, "nothing written");
    let plans = rt
        .block_on(s.job_plans_with_assessments(&Scope::All))
        .unwrap();
    assert_eq!(plans.len(), 1, "the good file is not written either");
    assert_eq!(
        plans[0].document,
        toml::from_str::<serde_json::Value>(&surgeon).unwrap(),
        "the stored plan is not overwritten"
    );

    // A dry run of the same reports the same and exits 1.
    args.push("--dry-run");
    let o = tenpa(&db, &args);
    assert_eq!(o.status.code(), Some(1));

    // Unreadable input exits 2: no such file, a directory without documents.
    let o = tenpa(&db, &["import", "plans", "/nonexistent/plan.toml"]);
    assert_eq!(o.status.code(), Some(2));
    assert!(err(&o).contains("/nonexistent/plan.toml"), "{}", err(&o));
    let empty = dir("bad", "empty");
    write(&empty, "notes.txt", "no plans here");
    let o = tenpa(&db, &["import", "plans", empty.to_str().unwrap()]);
    assert_eq!(o.status.code(), Some(2));
    assert!(err(&o).contains("no .toml or .json file"), "{}", err(&o));
    assert_eq!(audit_length(&rt, &s), before);
}
