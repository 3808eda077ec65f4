//! `POST /api/v1/imports` on the demo trust (SQLite, or PostgreSQL when
//! `TENPA_TEST_DATABASE_URL` is set): the establishment import through the API, on the path the
//! command uses.

mod common;

use common::crawl::{csrf, serve, sign_in};
use reqwest::Client;
use serde_json::{json, Value};

async fn import(c: &Client, base: &str, body: Value) -> (u16, Value) {
    let r = c
        .post(format!("{base}/api/v1/imports"))
        .json(&body)
        .send()
        .await
        .expect("request");
    (r.status().as_u16(), r.json().await.unwrap_or(Value::Null))
}

/// Source: issue brief — the API shares the command's path: a dry run reports row by row and
/// writes nothing; applying writes all; the same file again changes nothing; a bad row writes
/// nothing and is named by line, column, value and expectation; only an administrator or medical
/// staffing imports; an unknown kind or an unreadable file is 422 naming the field.
#[tokio::test]
async fn the_establishment_is_imported_through_the_api() {
    let db = common::fresh_db_url().await;
    let base = serve(&db, true).await;
    let ms = sign_in(&base, "medical.staffing").await;
    let md = sign_in(&base, "medical.director").await;
    let csv = "assignment_number,name,department,first_appointed,gmc_number,fte\n\
               90000001,\"Rue, Cy\",Surgery,2014-09-01,7000123,1\n\
               90000002,Dr Di Ode,medicine,01/10/2016,,0.6\n";
    let body = |dry_run: bool| json!({"kind": "establishment", "csv": csv, "dry_run": dry_run});

    let (status, report) = import(&ms, &base, body(true)).await;
    assert_eq!(status, 200, "{report}");
    assert_eq!(
        (report["create"].as_u64(), report["applied"].as_bool()),
        (Some(2), Some(false))
    );
    assert_eq!(report["rows"][0]["outcome"], "create");
    let seen = |id: &'static str| {
        let md = md.clone();
        let base = base.clone();
        async move {
            md.get(format!("{base}/api/v1/consultants/{id}/private-practice"))
                .send()
                .await
                .expect("request")
                .status()
                .as_u16()
        }
    };
    assert_eq!(seen("90000001").await, 404, "a dry run writes nothing");

    let (status, report) = import(&ms, &base, body(false)).await;
    assert_eq!(status, 200, "{report}");
    assert_eq!(report["applied"], true);
    assert_ne!(seen("90000001").await, 404, "the record exists");
    let (_, again) = import(&ms, &base, body(false)).await;
    assert_eq!(
        (again["unchanged"].as_u64(), again["applied"].as_bool()),
        (Some(2), Some(false))
    );
    assert_eq!(again["sha256"], report["sha256"]);

    // A bad row: nothing written, named.
    let bad = "assignment_number,name,department,first_appointed,gmc_number\n\
               90000003,Dr Ed,Surgery,2010-01-01,\n90000004,Dr Fy,Surgery,2010-01-01,12X\n";
    let (status, report) = import(&ms, &base, json!({"kind": "establishment", "csv": bad})).await;
    assert_eq!(status, 200, "{report}");
    assert_eq!(
        (report["errors"].as_u64(), report["applied"].as_bool()),
        (Some(1), Some(false))
    );
    let e = &report["rows"][1]["errors"][0];
    assert_eq!(
        (
            e["line"].as_u64(),
            e["column"].as_str(),
            e["value"].as_str()
        ),
        (Some(3), Some("gmc_number"), Some("12X"))
    );
    assert_eq!(seen("90000003").await, 404, "all or nothing");

    // Who, and what cannot be read.
    let (status, _) = import(&md, &base, body(true)).await;
    assert_eq!(status, 403);
    let (status, problem) = import(&ms, &base, json!({"kind": "plans", "csv": csv})).await;
    assert_eq!((status, problem["field"].as_str()), (422, Some("kind")));
    let (status, problem) = import(
        &ms,
        &base,
        json!({"kind": "establishment", "csv": "name\nDr X\n"}),
    )
    .await;
    assert_eq!(
        (status, problem["field"].as_str()),
        (422, Some("csv")),
        "{problem}"
    );
    let (status, problem) = import(
        &ms,
        &base,
        json!({"kind": "establishment", "csv": csv, "mapping": "[columns]\ngrade = \"Grade\"\n"}),
    )
    .await;
    assert_eq!(
        (status, problem["field"].as_str()),
        (422, Some("mapping")),
        "{problem}"
    );
}

/// A file with valid rows and two rows with errors (a GMC number of the wrong shape with an
/// account asked for, and a department that does not exist), and an assignment number given twice.
const MIXED: &str = "assignment_number,name,department,first_appointed,gmc_number,username\n\
                     91000001,Dr Al Ova,Surgery,2014-09-01,7000201,al.ova\n\
                     91000002,Dr Bo Tey,Surgery,2015-09-01,12X,bo.tey\n\
                     91000003,Dr Cy Wen,Medicine,2016-09-01,,\n\
                     91000004,Dr Di Fay,Nowhere,2017-09-01,,\n\
                     91000005,Dr Ed Ray,Surgery,2018-09-01,,\n\
                     91000005,Dr Ed Ray,Medicine,2018-09-01,,\n";

/// Source: issue brief — "nothing is written unless the whole import is valid (or the user chose
/// to skip invalid rows, which the report then lists)": without `skip_invalid` a file with bad
/// rows writes nothing; with it the valid rows are written in one transaction, the rows with errors
/// (both rows of a duplicated assignment number among them) are skipped and listed with line,
/// column, value and expectation, a skipped row's account is not created, the import's audit entry
/// counts the rows skipped, and importing the file again writes nothing.
#[tokio::test]
async fn invalid_rows_are_skipped_only_when_asked() {
    let db = common::fresh_db_url().await;
    let base = serve(&db, true).await;
    let ms = sign_in(&base, "medical.staffing").await;
    let store = tenpa_store::Store::connect(&db).await.expect("the store");
    let held = || async {
        let r = store.staff_records().await.expect("records");
        let mut ids: Vec<String> = r.into_keys().filter(|k| k.starts_with("910000")).collect();
        ids.sort();
        ids
    };

    let (status, report) = import(&ms, &base, json!({"kind": "establishment", "csv": MIXED})).await;
    assert_eq!(status, 200, "{report}");
    assert_eq!(
        (
            report["applied"].as_bool(),
            report["errors"].as_u64(),
            report["skipped"].as_u64()
        ),
        (Some(false), Some(4), Some(0)),
        "{report}"
    );
    assert!(
        held().await.is_empty(),
        "nothing written without skip_invalid"
    );

    // A dry run with skip_invalid says what would be skipped and writes nothing.
    let (_, dry) = import(
        &ms,
        &base,
        json!({"kind": "establishment", "csv": MIXED, "skip_invalid": true, "dry_run": true}),
    )
    .await;
    assert_eq!(
        (dry["applied"].as_bool(), dry["skipped"].as_u64()),
        (Some(false), Some(4)),
        "{dry}"
    );
    assert!(held().await.is_empty(), "a dry run writes nothing");

    let (status, report) = import(
        &ms,
        &base,
        json!({"kind": "establishment", "csv": MIXED, "skip_invalid": true}),
    )
    .await;
    assert_eq!(status, 200, "{report}");
    assert_eq!(
        (
            report["applied"].as_bool(),
            report["skip_invalid"].as_bool(),
            report["create"].as_u64(),
            report["skipped"].as_u64(),
            report["accounts"].as_u64()
        ),
        (Some(true), Some(true), Some(2), Some(4), Some(1)),
        "{report}"
    );
    assert_eq!(
        held().await,
        ["91000001", "91000003"],
        "the valid rows only"
    );
    let skipped: Vec<(u64, &str, &str, &str)> = report["rows"]
        .as_array()
        .expect("rows")
        .iter()
        .filter(|r| r["outcome"] == "error")
        .flat_map(|r| r["errors"].as_array().expect("errors").iter())
        .map(|e| {
            (
                e["line"].as_u64().unwrap_or(0),
                e["column"].as_str().unwrap_or(""),
                e["value"].as_str().unwrap_or(""),
                e["expected"].as_str().unwrap_or(""),
            )
        })
        .collect();
    assert_eq!(
        skipped.iter().map(|e| (e.0, e.1, e.2)).collect::<Vec<_>>(),
        [
            (3, "gmc_number", "12X"),
            (5, "department", "Nowhere"),
            (6, "assignment_number", "91000005"),
            (7, "assignment_number", "91000005"),
        ],
        "{report}"
    );
    assert!(skipped[0].3.contains("7 digits"), "{skipped:?}");
    assert!(skipped[2].3.contains("also on line 7"), "{skipped:?}");
    assert!(
        store.account("al.ova").await.expect("account").is_some(),
        "a valid row's account is created"
    );
    assert!(
        store.account("bo.tey").await.expect("account").is_none(),
        "a skipped row's account is not"
    );
    let sha = report["sha256"].as_str().expect("sha256").to_string();
    let audit = store
        .audit_for("establishment", &sha, 10)
        .await
        .expect("audit");
    assert_eq!(audit.len(), 1);
    let after: Value =
        serde_json::from_str(audit[0].after.as_deref().unwrap_or("null")).expect("JSON");
    assert_eq!(
        (after["skipped"].as_u64(), after["created"].as_u64()),
        (Some(4), Some(2)),
        "{after}"
    );

    // Again: the valid rows are unchanged, nothing is written, the same rows are skipped.
    let (_, again) = import(
        &ms,
        &base,
        json!({"kind": "establishment", "csv": MIXED, "skip_invalid": true}),
    )
    .await;
    assert_eq!(
        (
            again["applied"].as_bool(),
            again["unchanged"].as_u64(),
            again["skipped"].as_u64()
        ),
        (Some(false), Some(2), Some(4)),
        "{again}"
    );
    assert_eq!(
        store
            .audit_for("establishment", &sha, 10)
            .await
            .expect("audit")
            .len(),
        1,
        "no second import entry"
    );
    assert_eq!(held().await, ["91000001", "91000003"]);

    // An unknown field is still refused.
    let (status, _) = import(
        &ms,
        &base,
        json!({"kind": "establishment", "csv": MIXED, "skip_rows": true}),
    )
    .await;
    assert!(status == 400 || status == 422, "{status}");
}

/// The value of the hidden field `name` in the form `id` of `html`.
fn hidden(html: &str, form: &str, name: &str) -> String {
    let start = html
        .find(&format!("id=\"{form}\""))
        .unwrap_or_else(|| panic!("form {form}: {html}"));
    let html = &html[start..];
    let needle = format!("name=\"{name}\" value=\"");
    let at = html.find(&needle).unwrap_or_else(|| panic!("{name}")) + needle.len();
    html[at..at + html[at..].find('"').unwrap_or(0)].to_string()
}

/// Source: issue brief — on the page, a check with rows in error says nothing will be written and
/// offers a second button importing the valid records and skipping the rows with errors; it
/// carries the checked file (the same SHA-256 check) and the result lists the rows skipped; a
/// plain apply of that file still writes nothing.
#[tokio::test]
async fn the_page_imports_the_valid_rows_skipping_the_others_when_chosen() {
    let db = common::fresh_db_url().await;
    let base = serve(&db, true).await;
    let ms = sign_in(&base, "medical.staffing").await;
    let html = ms
        .get(format!("{base}/admin/import"))
        .send()
        .await
        .expect("request")
        .text()
        .await
        .expect("page");
    let token = csrf(&html).expect("csrf");
    let post = |form: reqwest::multipart::Form| {
        let ms = ms.clone();
        let url = format!("{base}/admin/import");
        async move {
            let r = ms.post(url).multipart(form).send().await.expect("request");
            (r.status().as_u16(), r.text().await.expect("page"))
        }
    };
    let check = reqwest::multipart::Form::new()
        .text("csrf", token.clone())
        .text("action", "check")
        .part(
            "file",
            reqwest::multipart::Part::bytes(MIXED.as_bytes().to_vec()).file_name("extract.csv"),
        );
    let (status, html) = post(check).await;
    assert_eq!(status, 422, "rows with errors");
    assert!(html.contains("id=\"nothing-written\""), "{html}");
    assert!(
        html.contains("Import the 2 valid record(s), skipping 4 row(s) with errors"),
        "{html}"
    );
    assert!(!html.contains("id=\"apply\""), "no plain import: {html}");
    assert!(
        html.contains("href=\"#line-3\""),
        "the summary leads to the first row with an error: {html}"
    );
    assert!(
        html.contains("<span class=\"nhsuk-u-visually-hidden\">Error: </span>Column gmc_number: found <q>12X</q>"),
        "the error beside its row: {html}"
    );
    let apply = |skip: bool, csv: String| {
        let mut form = reqwest::multipart::Form::new()
            .text("csrf", token.clone())
            .text("action", "apply")
            .text("checked", hidden(&html, "apply-skipping", "checked"))
            .text("csv", csv)
            .text(
                "mapping_text",
                hidden(&html, "apply-skipping", "mapping_text"),
            );
        if skip {
            form = form.text(
                "skip_invalid",
                hidden(&html, "apply-skipping", "skip_invalid"),
            );
        }
        form
    };
    let csv = hidden(&html, "apply-skipping", "csv");
    let store = tenpa_store::Store::connect(&db).await.expect("the store");
    let imported = || async {
        store
            .staff_records()
            .await
            .expect("records")
            .into_keys()
            .filter(|k| k.starts_with("910000"))
            .count()
    };

    // Without the choice, nothing is written.
    let (status, _) = post(apply(false, csv.clone())).await;
    assert_eq!(status, 422);
    assert_eq!(
        imported().await,
        0,
        "all or nothing unless skipping is chosen"
    );

    // Another file than the one checked is only checked, skipping or not.
    use base64::Engine;
    let other =
        base64::engine::general_purpose::STANDARD.encode(MIXED.replace("Dr Cy Wen", "Dr Cy When"));
    let (_, text) = post(apply(true, other)).await;
    assert!(text.contains("is not the one checked"), "{text}");
    assert_eq!(imported().await, 0);

    let (status, text) = post(apply(true, csv)).await;
    assert_eq!(status, 200, "{text}");
    assert!(
        text.contains("2 record(s) created, 0 updated, 1 account(s) added. 4 row(s) with errors were skipped."),
        "{text}"
    );
    let skipped = &text[text.find("id=\"skipped\"").expect("the rows skipped")..];
    let skipped = &skipped[..skipped.find("</table>").unwrap_or(skipped.len())];
    for expected in [
        "<td class=\"nhsuk-table__cell\">3</td><td class=\"nhsuk-table__cell\">91000002</td>",
        "found <q>Nowhere</q>",
        "<td class=\"nhsuk-table__cell\">7</td><td class=\"nhsuk-table__cell\">91000005</td>",
    ] {
        assert!(skipped.contains(expected), "{expected}: {skipped}");
    }
    assert!(!skipped.contains("91000001"), "{skipped}");
    assert_eq!(imported().await, 2);
}
