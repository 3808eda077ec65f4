//! A trust brings its people in: `tenpa employers add`, `tenpa departments add`, then
//! `tenpa import establishment` from an extract of its staff record, with a dry run, all or
//! nothing, and again without change. Each test uses a fresh SQLite file, or a fresh PostgreSQL
//! database when `TENPA_TEST_DATABASE_URL` is set.

mod common;

use std::process::Output;

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

fn store(db: &str) -> (tokio::runtime::Runtime, tenpa_store::Store) {
    let rt = tokio::runtime::Runtime::new().unwrap();
    let s = rt.block_on(tenpa_store::Store::connect(db)).unwrap();
    (rt, s)
}

/// A trust with two departments, Surgery and Medicine.
fn trust(name: &str) -> String {
    let db = common::database("import", name);
    let o = tenpa(&db, &["departments", "add", "Surgery"]);
    assert_eq!(o.status.code(), Some(2), "no employer yet");
    assert!(err(&o).contains("tenpa employers add"), "{}", err(&o));
    let o = tenpa(&db, &["employers", "add", "Northshire NHS Trust"]);
    assert!(o.status.success(), "{}", err(&o));
    let o = tenpa(&db, &["employers", "add", "Northshire NHS Trust"]);
    assert_eq!(o.status.code(), Some(2), "one employer of a name");
    for d in ["Surgery", "Medicine"] {
        let o = tenpa(&db, &["departments", "add", d, "--specialty", "General"]);
        assert!(o.status.success(), "{}", err(&o));
    }
    let o = tenpa(&db, &["departments", "add", "surgery"]);
    assert_eq!(o.status.code(), Some(2), "one department of a name");
    db
}

fn file(name: &str, text: &str) -> String {
    let path = common::tempdir("import-files").join(name);
    std::fs::write(&path, text).unwrap();
    path.display().to_string()
}

const HEADING: &str = "assignment_number,name,department,first_appointed,gmc_number,contracted_pas";

/// Source: issue brief — a dry run lists each row and writes nothing; applying creates every
/// record in one import, audited with the file's hash; the same file again changes nothing; a
/// changed row is an update naming the field; a file with bad rows (a duplicate key, a department
/// that does not exist, a GMC number of the wrong shape, a first appointment in the future) writes
/// nothing and names line, column, value and expectation; an unreadable file exits 2.
#[test]
fn an_establishment_is_imported_all_or_nothing_and_again_without_change() {
    let db = trust("apply");
    let good = file(
        "good.csv",
        &format!(
            "{HEADING},username\n100,\"Price, Hannah\",Surgery,2015-04-01,7654321,10,hannah.price\n\
             200,Dr Ben Ode,Surgery,01/02/2010,,7.5,\n300,Dr Cy Rue,medicine,2012-01-01,1234567,,\n"
        ),
    );
    let o = tenpa(&db, &["import", "establishment", &good, "--dry-run"]);
    assert!(o.status.success(), "{}", err(&o));
    let report = out(&o);
    assert!(
        report.contains("line 2: 100: create, with the account hannah.price"),
        "{report}"
    );
    assert!(
        report.contains("3 rows: 3 to create, 0 to update, 0 unchanged, 0 with errors"),
        "{report}"
    );
    assert!(report.contains("dry run: nothing written"), "{report}");
    let (rt, s) = store(&db);
    assert!(
        rt.block_on(s.staff_records()).unwrap().is_empty(),
        "a dry run writes nothing"
    );

    let o = tenpa(&db, &["import", "establishment", &good]);
    assert!(o.status.success(), "{}", err(&o));
    assert!(
        out(&o).contains("applied: 3 created, 0 updated, 1 accounts created"),
        "{}",
        out(&o)
    );
    let account = rt
        .block_on(s.account("hannah.price"))
        .unwrap()
        .expect("the account");
    assert_eq!(account.user.consultant_id.as_deref(), Some("100"));
    assert_eq!(
        account.user.password_hash, "",
        "signs in through the identity provider"
    );
    let records = rt.block_on(s.staff_records()).unwrap();
    let hannah = &records["100"];
    assert_eq!(hannah.name, "Price, Hannah");
    assert_eq!(hannah.gmc_number.as_deref(), Some("7654321"));
    assert_eq!(records["200"].first_appointed.to_string(), "2010-02-01");
    assert_eq!(records["200"].contracted_pas.as_deref(), Some("7.5"));
    let consultant = rt
        .block_on(s.consultant("300"))
        .unwrap()
        .expect("a consultant record");
    assert!(
        consultant.lead_employer_id.is_some(),
        "its department's employer"
    );
    let sha = out(&o)
        .rsplit("SHA-256 ")
        .next()
        .unwrap()
        .trim_end_matches([')', '\n'])
        .to_string();
    assert_eq!(sha.len(), 64, "{sha}");
    let audit = rt.block_on(s.audit_for("establishment", &sha, 10)).unwrap();
    assert_eq!(audit.len(), 1, "one import entry with the file's hash");
    assert_eq!(
        rt.block_on(s.audit_for("consultant", "100", 10))
            .unwrap()
            .len(),
        1
    );

    // Again: nothing changes, nothing is written.
    let o = tenpa(&db, &["import", "establishment", &good]);
    assert!(o.status.success(), "{}", err(&o));
    assert!(
        out(&o).contains("0 to create, 0 to update, 3 unchanged"),
        "{}",
        out(&o)
    );
    assert!(out(&o).contains("nothing to change"), "{}", out(&o));
    assert_eq!(
        rt.block_on(s.audit_for("establishment", &sha, 10))
            .unwrap()
            .len(),
        1
    );

    // A change is an update naming the field.
    let moved = file(
        "moved.csv",
        &format!("{HEADING}\n200,Dr Ben Ode,Medicine,2010-02-01,,7.5\n"),
    );
    let o = tenpa(&db, &["import", "establishment", &moved, "--dry-run"]);
    assert!(
        out(&o).contains("line 2: 200: update (department)"),
        "{}",
        out(&o)
    );

    // Bad rows: nothing written, each error named; the good row in the file is not applied.
    let bad = file(
        "bad.csv",
        &format!(
            "{HEADING}\n200,Dr Ben Ode,Medicine,2010-02-01,,7.5\n400,Dr Di,Radiology,2011-01-01,,10\n\
             400,Dr Di,Surgery,2011-01-01,12X,10\n500,Dr Ed,Surgery,2999-01-01,,10\n"
        ),
    );
    let o = tenpa(&db, &["import", "establishment", &bad]);
    assert_eq!(o.status.code(), Some(1));
    let report = out(&o);
    for expected in [
        "line 3, column department: found \"Radiology\", expected a department that exists (Medicine, Surgery)",
        "line 4, column assignment_number: found \"400\", expected an assignment number once in the file (also on line 3)",
        "line 4, column gmc_number: found \"12X\", expected a GMC reference number: 7 digits",
        "line 5, column first_appointed: found \"2999-01-01\", expected a first appointment on or before today",
        "nothing written",
    ] {
        assert!(report.contains(expected), "{expected}\n{report}");
    }
    let records = rt.block_on(s.staff_records()).unwrap();
    assert_eq!(records.len(), 3);
    assert_eq!(
        records["200"].department_id, hannah.department_id,
        "still Surgery"
    );

    // Unreadable input exits 2.
    let no_name = file(
        "no-name.csv",
        "assignment_number,department,first_appointed\n1,Surgery,2010-01-01\n",
    );
    let o = tenpa(&db, &["import", "establishment", &no_name]);
    assert_eq!(o.status.code(), Some(2));
    assert!(err(&o).contains("\"name\""), "{}", err(&o));
    let o = tenpa(
        &db,
        &["import", "establishment", "/nonexistent/establishment.csv"],
    );
    assert_eq!(o.status.code(), Some(2));
}

/// Source: issue brief — a mapping file names a staff-record extract's own headings (here an
/// ESR-style report's), with its dates written DD/MM/YYYY and FTE rather than PAs.
#[test]
fn a_mapping_file_reads_an_extract_with_its_own_headings() {
    let db = trust("mapping");
    let mapping = file(
        "esr.toml",
        "[columns]\nassignment_number = \"Assignment Number\"\nname = \"Full Name\"\n\
         department = \"Organisation\"\nfirst_appointed = \"Date First Appointed Consultant\"\n\
         fte = \"FTE\"\ngmc_number = \"Registration Number\"\n",
    );
    let extract = file(
        "esr.csv",
        "Assignment Number,Full Name,Organisation,Date First Appointed Consultant,FTE,Registration Number,Grade\n\
         12345678-2,\"Okafor, Samuel\",Surgery,01/04/2008,0.8,7000001,Consultant\n",
    );
    let o = tenpa(
        &db,
        &["import", "establishment", &extract, "--mapping", &mapping],
    );
    assert!(o.status.success(), "{}\n{}", out(&o), err(&o));
    let (rt, s) = store(&db);
    let r = &rt.block_on(s.staff_records()).unwrap()["12345678-2"];
    assert_eq!(r.contracted_pas.as_deref(), Some("8"), "0.8 FTE of 10 PAs");
    assert_eq!(r.first_appointed.to_string(), "2008-04-01");
    let bad = file("bad.toml", "[columns]\ngrade = \"Grade\"\n");
    let o = tenpa(
        &db,
        &["import", "establishment", &extract, "--mapping", &bad],
    );
    assert_eq!(o.status.code(), Some(2));
    assert!(err(&o).contains("columns.grade"), "{}", err(&o));
}

/// Source: issue brief — `--skip-invalid` writes the valid rows and skips the rows with errors
/// (both rows of an assignment number given twice among them), printing each skipped row's line,
/// column, value and expectation and "N created, M updated, K skipped"; it exits 0. With
/// `--dry-run` it writes nothing; without `--skip-invalid` the same file writes nothing and exits
/// 1; again, nothing changes.
#[test]
fn skip_invalid_imports_the_valid_rows_and_lists_the_others() {
    let db = trust("skip");
    let mixed = file(
        "mixed.csv",
        &format!(
            "{HEADING},username\n100,Dr Al Ova,Surgery,2015-04-01,7654321,10,al.ova\n\
             200,Dr Bo Tey,Surgery,2010-02-01,12X,7.5,bo.tey\n300,Dr Cy Wen,Medicine,2012-01-01,,,\n\
             400,Dr Di Fay,Radiology,2011-01-01,,10,\n500,Dr Ed Ray,Surgery,2011-01-01,,10,\n\
             500,Dr Ed Ray,Medicine,2011-01-01,,10,\n"
        ),
    );
    let (rt, s) = store(&db);
    let o = tenpa(&db, &["import", "establishment", &mixed]);
    assert_eq!(o.status.code(), Some(1), "{}", out(&o));
    assert!(out(&o).contains("--skip-invalid"), "{}", out(&o));
    assert!(rt.block_on(s.staff_records()).unwrap().is_empty());

    let o = tenpa(
        &db,
        &[
            "import",
            "establishment",
            &mixed,
            "--skip-invalid",
            "--dry-run",
        ],
    );
    assert_eq!(o.status.code(), Some(0), "{}", out(&o));
    assert!(
        out(&o).contains("dry run: nothing written, 4 rows with errors skipped"),
        "{}",
        out(&o)
    );
    assert!(rt.block_on(s.staff_records()).unwrap().is_empty());

    let o = tenpa(&db, &["import", "establishment", &mixed, "--skip-invalid"]);
    assert_eq!(o.status.code(), Some(0), "{}\n{}", out(&o), err(&o));
    let report = out(&o);
    for expected in [
        "skipped: line 3, column gmc_number: found \"12X\", expected a GMC reference number: 7 digits",
        "skipped: line 5, column department: found \"Radiology\", expected a department that exists",
        "skipped: line 6, column assignment_number: found \"500\", expected an assignment number once in the file (also on line 7)",
        "skipped: line 7, column assignment_number: found \"500\", expected an assignment number once in the file (also on line 6)",
        "applied: 2 created, 0 updated, 1 accounts created, 4 skipped",
    ] {
        assert!(report.contains(expected), "{expected}\n{report}");
    }
    let records = rt.block_on(s.staff_records()).unwrap();
    let mut ids: Vec<&String> = records.keys().collect();
    ids.sort();
    assert_eq!(ids, ["100", "300"]);
    assert!(rt.block_on(s.account("al.ova")).unwrap().is_some());
    assert!(
        rt.block_on(s.account("bo.tey")).unwrap().is_none(),
        "a skipped row's account is not created"
    );

    let o = tenpa(&db, &["import", "establishment", &mixed, "--skip-invalid"]);
    assert_eq!(o.status.code(), Some(0), "{}", out(&o));
    assert!(
        out(&o).contains("nothing to change, 4 rows with errors skipped"),
        "{}",
        out(&o)
    );
    assert_eq!(rt.block_on(s.staff_records()).unwrap().len(), 2);
}
