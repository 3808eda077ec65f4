//! Awards and premia and private practice disclosures on the pages, on the demo trust (SQLite, or
//! PostgreSQL when `TENPA_TEST_DATABASE_URL` is set): recorded and ended through forms on the
//! path the API uses, each bad field named, the roles the API refuses refused, a stale version a
//! conflict.

mod common;

use common::crawl::{csrf, serve, sign_in};
use reqwest::Client;
use serde_json::Value;
use tenpa_rules::job_planning::Role;

async fn page(c: &Client, url: String) -> (u16, String) {
    let r = c.get(url).send().await.expect("request");
    (r.status().as_u16(), r.text().await.unwrap_or_default())
}

async fn json(c: &Client, url: String) -> Value {
    let r = c.get(url).send().await.expect("request");
    assert_eq!(r.status().as_u16(), 200);
    r.json().await.expect("JSON")
}

/// Posts a form; answers the status, the Location header and the body.
async fn form(c: &Client, url: String, fields: &[(&str, &str)]) -> (u16, String, String) {
    let r = c.post(url).form(fields).send().await.expect("request");
    let location = r
        .headers()
        .get("location")
        .and_then(|v| v.to_str().ok())
        .unwrap_or("")
        .to_string();
    (
        r.status().as_u16(),
        location,
        r.text().await.unwrap_or_default(),
    )
}

async fn token(c: &Client, url: String) -> String {
    let (s, html) = page(c, url).await;
    assert_eq!(s, 200, "{html}");
    csrf(&html).expect("a CSRF token")
}

async fn awards_of(c: &Client, base: &str, consultant: &str) -> Vec<Value> {
    json(
        c,
        format!("{base}/api/v1/awards?consultant_id={consultant}"),
    )
    .await
    .as_array()
    .expect("a list")
    .clone()
}

/// Source: issue brief — pages for every API-only operation: awards and premia (CEA-1, PAY-4)
/// recorded and ended by medical staffing on pages, as the API records them; each bad field named
/// with its value kept; a stale version is a conflict.
#[tokio::test]
async fn medical_staffing_records_and_ends_awards_on_the_pages() {
    let db = common::fresh_db_url().await;
    let base = serve(&db, true).await;
    let ms = sign_in(&base, "medical.staffing").await;

    // Reached from the consultant's record page.
    let (_, html) = page(&ms, format!("{base}/objectives?consultant=c-surg-02")).await;
    assert!(
        html.contains("href=\"/consultants/c-surg-02/awards\""),
        "{html}"
    );
    let (s, html) = page(&ms, format!("{base}/consultants/c-surg-02/awards")).await;
    assert_eq!(s, 200);
    assert!(html.contains("id=\"no-awards\""), "{html}");
    assert!(html.contains("href=\"/consultants/c-surg-02/awards/new\""));
    let csrf = token(&ms, format!("{base}/consultants/c-surg-02/awards/new")).await;
    let url = format!("{base}/consultants/c-surg-02/awards");
    let post = |fields: Vec<(&'static str, &'static str)>| {
        let mut all = vec![("csrf", csrf.as_str())];
        all.extend(fields);
        let ms = ms.clone();
        let url = url.clone();
        async move { form(&ms, url, &all).await }
    };

    // A level out of range: named by the API's check, the value kept.
    let (s, _, html) = post(vec![
        ("award-kind", "cea"),
        ("award-level", "99"),
        ("award-start_date", "2025-04-01"),
    ])
    .await;
    assert_eq!(s, 422, "{html}");
    assert!(html.contains("nhsuk-error-summary"), "{html}");
    assert!(html.contains("href=\"#award-level\""), "{html}");
    assert!(html.contains("Level: found 99, expected 1 to 13"), "{html}");
    assert!(html.contains("value=\"99\""), "the level is kept");
    assert!(html.contains("value=\"2025-04-01\""), "the date is kept");
    // A level that is not a number, and years that are not: both named before the API is asked.
    let (s, _, html) = post(vec![
        ("award-kind", "cea"),
        ("award-level", "two"),
        ("award-years", "-1"),
        ("award-start_date", "2025-04-01"),
    ])
    .await;
    assert_eq!(s, 422);
    assert!(html.contains("Level: found &quot;two&quot;"), "{html}");
    assert!(html.contains("href=\"#award-years\""), "{html}");
    // A premium without its amount; evidence ticked on an award.
    let (s, _, html) = post(vec![
        ("award-kind", "retention"),
        ("award-start_date", "2025-04-01"),
    ])
    .await;
    assert_eq!(s, 422);
    assert!(html.contains("href=\"#award-amount\""), "{html}");
    let (s, _, html) = post(vec![
        ("award-kind", "cea"),
        ("award-level", "3"),
        ("award-start_date", "2025-04-01"),
        ("award-evidence", "evidence_of_difficulty"),
    ])
    .await;
    assert_eq!(s, 422);
    assert!(html.contains("href=\"#award-evidence\""), "{html}");
    assert!(
        html.contains("value=\"evidence_of_difficulty\" checked"),
        "the ticked box is kept"
    );
    let (s, _, html) = post(vec![
        ("award-kind", "cea"),
        ("award-level", "3"),
        ("award-start_date", "2025-13-01"),
    ])
    .await;
    assert_eq!(s, 422);
    assert!(html.contains("href=\"#award-start_date\""), "{html}");
    assert!(html.contains("2025-13-01"), "{html}");
    assert!(
        awards_of(&ms, &base, "c-surg-02").await.is_empty(),
        "nothing refused is recorded"
    );

    // A two-year recruitment premium with two of the three pieces of evidence, and a local award.
    let (s, to, html) = post(vec![
        ("award-kind", "recruitment"),
        ("award-amount", "5000.00"),
        ("award-start_date", "2025-04-01"),
        ("award-years", "2"),
        ("award-evidence", "evidence_of_difficulty"),
        ("award-evidence", "non_pay_solutions_tried"),
        (
            "award-notes",
            "Three advertisements without an appointable candidate.",
        ),
    ])
    .await;
    assert_eq!(s, 303, "{html}");
    assert!(
        to.starts_with("/consultants/c-surg-02/awards?done=recorded#award-"),
        "{to}"
    );
    let (s, _, html) = post(vec![
        ("award-kind", "cea"),
        ("award-level", "3"),
        ("award-start_date", "2025-04-01"),
    ])
    .await;
    assert_eq!(s, 303, "{html}");

    let all = awards_of(&ms, &base, "c-surg-02").await;
    assert_eq!(all.len(), 2, "{all:?}");
    let premium = all
        .iter()
        .find(|a| a["kind"] == "recruitment")
        .expect("the premium");
    assert_eq!(premium["amount"], "5000.00");
    assert_eq!(
        premium["end_date"], "2027-03-31",
        "two years from its start"
    );
    assert_eq!(premium["evidence"]["evidence_of_difficulty"], true);
    assert_eq!(premium["evidence"]["local_employers_consulted"], false);
    assert_eq!(premium["created_by"], "medical.staffing");
    assert!(
        premium["findings"]
            .as_array()
            .unwrap()
            .iter()
            .any(|f| f["rule"] == "PAY-4"),
        "missing evidence is a PAY-4 finding: {premium}"
    );
    let award = all.iter().find(|a| a["kind"] == "cea").expect("the award");
    assert_eq!(award["level"], 3);
    assert_eq!(award["body"], "local");
    assert!(award["annual_value"].is_string(), "{award}");
    let id = award["id"].as_i64().unwrap();
    assert_eq!(award["version"], 1);

    // The page shows both, the premium's findings and a form to end each.
    let (_, html) = page(&ms, format!("{base}/consultants/c-surg-02/awards")).await;
    assert!(
        html.contains("Clinical excellence award, level 3 (local)"),
        "{html}"
    );
    assert!(html.contains("Recruitment premium"));
    assert!(html.contains("£5,000.00"));
    assert!(html.contains(&format!("action=\"/awards/{id}/end\"")));
    let csrf = csrf.clone();
    let end = |version: &'static str, last: &'static str| {
        let ms = ms.clone();
        let url = format!("{base}/awards/{id}/end");
        let csrf = csrf.clone();
        let field = format!("end-{id}-end_date");
        async move {
            form(
                &ms,
                url,
                &[
                    ("csrf", csrf.as_str()),
                    ("version", version),
                    (&field, last),
                ],
            )
            .await
        }
    };
    // A last day before the first: named on the award's field, the value kept.
    let (s, _, html) = end("1", "2025-03-01").await;
    assert_eq!(s, 422, "{html}");
    assert!(
        html.contains(&format!("href=\"#end-{id}-end_date\"")),
        "{html}"
    );
    assert!(
        html.contains("is not after the start date 2025-04-01"),
        "{html}"
    );
    assert!(html.contains("value=\"2025-03-01\""));

    // Someone else ends it first (through the API): the page's version 1 is stale.
    let r = ms
        .post(format!("{base}/api/v1/awards/{id}/end"))
        .json(&serde_json::json!({"version": 1, "end_date": "2026-03-31"}))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status().as_u16(), 200);
    let (s, _, html) = end("1", "2026-06-30").await;
    assert_eq!(s, 409, "{html}");
    assert!(
        html.contains("Someone else has changed this award since you opened the page: it is now at version 2, not 1"),
        "{html}"
    );
    assert!(html.contains(&format!("href=\"#award-{id}\"")), "{html}");
    let after = awards_of(&ms, &base, "c-surg-02").await;
    let award = after.iter().find(|a| a["id"] == id).unwrap();
    assert_eq!(
        award["end_date"], "2026-03-31",
        "the stale form changed nothing"
    );

    // With the current version it is ended.
    let (s, to, html) = end("2", "2026-06-30").await;
    assert_eq!(s, 303, "{html}");
    assert_eq!(
        to,
        format!("/consultants/c-surg-02/awards?done=ended#award-{id}")
    );
    let after = awards_of(&ms, &base, "c-surg-02").await;
    let award = after.iter().find(|a| a["id"] == id).unwrap();
    assert_eq!(award["end_date"], "2026-06-30");
    assert_eq!(award["version"], 3);
}

/// Source: issue brief — the pages allow exactly what the API allows: only the medical director
/// and medical staffing record and end awards, and nobody records or ends their own (JP-1).
#[tokio::test]
async fn roles_the_api_refuses_are_refused_on_the_pages() {
    let db = common::fresh_db_url().await;
    let base = serve(&db, true).await;
    let store = tenpa_store::Store::connect(&db).await.expect("store");
    store
        .create_user(
            "test",
            &tenpa_store::NewUser {
                username: "ms.own".into(),
                display_name: "Dr Own".into(),
                password_hash: tenpa_server::auth::hash_password("tenpa-demo"),
                roles: vec![Role::MedicalStaffing, Role::Consultant],
                department_id: None,
                consultant_id: Some("c-surg-03".into()),
                email: None,
            },
        )
        .await
        .expect("an account linked to c-surg-03");
    let md = sign_in(&base, "medical.director").await;
    let premium = awards_of(&md, &base, "c-surg-03").await[0]["id"]
        .as_i64()
        .expect("the demo's premium of c-surg-03");

    for who in ["consultant", "clinical.director", "chief.executive"] {
        let c = sign_in(&base, who).await;
        let (s, _) = page(&c, format!("{base}/consultants/c-surg-01/awards/new")).await;
        assert_eq!(s, 403, "{who} opens the form");
        let (_, html) = page(&c, format!("{base}/consultants/c-surg-01/awards")).await;
        assert!(!html.contains("/awards/new"), "{who} is offered the form");
        assert!(!html.contains("/end\""), "{who} is offered to end one");
        let csrf = token(&c, format!("{base}/")).await;
        let (s, _, _) = form(
            &c,
            format!("{base}/consultants/c-surg-01/awards"),
            &[
                ("csrf", csrf.as_str()),
                ("award-kind", "cea"),
                ("award-level", "3"),
                ("award-start_date", "2025-04-01"),
            ],
        )
        .await;
        assert_eq!(s, 403, "{who} records");
        let (s, _, _) = form(
            &c,
            format!("{base}/awards/{premium}/end"),
            &[
                ("csrf", csrf.as_str()),
                ("version", "1"),
                (&format!("end-{premium}-end_date"), "2026-01-31"),
            ],
        )
        .await;
        assert_eq!(s, 403, "{who} ends");
    }

    // Medical staffing on their own consultant record.
    let own = sign_in(&base, "ms.own").await;
    let (s, html) = page(&own, format!("{base}/consultants/c-surg-03/awards/new")).await;
    assert_eq!(s, 403);
    assert!(html.contains("your own consultant record"), "{html}");
    let (_, html) = page(&own, format!("{base}/consultants/c-surg-03/awards")).await;
    assert!(!html.contains("/awards/new"));
    let csrf = token(&own, format!("{base}/")).await;
    let (s, _, _) = form(
        &own,
        format!("{base}/awards/{premium}/end"),
        &[
            ("csrf", csrf.as_str()),
            ("version", "1"),
            (&format!("end-{premium}-end_date"), "2026-01-31"),
        ],
    )
    .await;
    assert_eq!(s, 403);
    // Someone else's record is theirs to keep.
    let (s, _) = page(&own, format!("{base}/consultants/c-surg-02/awards/new")).await;
    assert_eq!(s, 200);
    assert_eq!(
        awards_of(&md, &base, "c-surg-03").await[0]["version"],
        1,
        "nothing refused changed the premium"
    );
}

/// Source: issue brief — private practice disclosures on a page (PRV-2, D 3.6-3.7): recorded by
/// the consultant, the consultant's status changes; bad fields named; others refused.
#[tokio::test]
async fn a_disclosure_recorded_on_the_page_brings_the_status_up_to_date() {
    let db = common::fresh_db_url().await;
    let base = serve(&db, true).await;
    // Dr Walsh (c-med-10): the demo's latest disclosure is 400 days old.
    let me = sign_in(&base, "consultant2").await;
    let status = |c: Client| {
        let base = base.clone();
        async move {
            json(
                &c,
                format!("{base}/api/v1/consultants/c-med-10/private-practice"),
            )
            .await
        }
    };
    let before = status(me.clone()).await;
    assert_eq!(before["findings"][0]["rule"], "PRV-2", "{before}");

    let (_, html) = page(&me, format!("{base}/objectives?consultant=c-med-10")).await;
    assert!(
        html.contains("href=\"/consultants/c-med-10/private-practice\""),
        "{html}"
    );
    let (s, html) = page(&me, format!("{base}/consultants/c-med-10/private-practice")).await;
    assert_eq!(s, 200);
    assert!(html.contains("Disclosure due"), "{html}");
    assert!(html.contains("Medico-legal reports"), "{html}");
    let csrf = csrf(&html).unwrap();
    let url = format!("{base}/consultants/c-med-10/private-practice");
    let post = |on: &str, what: &str| {
        let (on, what) = (on.to_string(), what.to_string());
        let me = me.clone();
        let url = url.clone();
        let csrf = csrf.clone();
        async move {
            form(
                &me,
                url,
                &[
                    ("csrf", csrf.as_str()),
                    ("disclosure-disclosed_on", on.as_str()),
                    ("disclosure-commitments", what.as_str()),
                ],
            )
            .await
        }
    };
    let (s, _, html) = post("2999-01-01", "None.").await;
    assert_eq!(s, 422);
    assert!(html.contains("href=\"#disclosure-disclosed_on\""), "{html}");
    assert!(
        html.contains("Disclosed on: 2999-01-01 is in the future"),
        "{html}"
    );
    let (s, _, html) = post("1 April", "None.").await;
    assert_eq!(s, 422);
    assert!(html.contains("expected a date as YYYY-MM-DD"), "{html}");
    let (s, _, html) = post("2026-01-05", "  ").await;
    assert_eq!(s, 422);
    assert!(html.contains("href=\"#disclosure-commitments\""), "{html}");
    assert!(html.contains("value=\"2026-01-05\""), "the date is kept");
    assert_eq!(
        status(me.clone()).await,
        before,
        "nothing refused is recorded"
    );

    let today = chrono::Utc::now().date_naive().to_string();
    let (s, to, html) = post(&today, "Medico-legal reports, about two a month.").await;
    assert_eq!(s, 303, "{html}");
    assert_eq!(
        to,
        "/consultants/c-med-10/private-practice?done=recorded#status"
    );
    let after = status(me.clone()).await;
    assert_eq!(after["findings"], serde_json::json!([]), "{after}");
    assert_eq!(after["latest"]["disclosed_on"], today);
    assert_eq!(
        after["latest"]["commitments"],
        "Medico-legal reports, about two a month."
    );
    assert_eq!(after["latest"]["created_by"], "consultant2");
    let (_, html) = page(&me, format!("{base}/consultants/c-med-10/private-practice")).await;
    assert!(!html.contains("Disclosure due"), "{html}");
    assert!(html.contains("is within the last 12 months"), "{html}");

    // Another consultant, and a clinical director of another department, may not.
    for who in ["consultant", "clinical.director", "chief.executive"] {
        let c = sign_in(&base, who).await;
        let csrf = token(&c, format!("{base}/")).await;
        let (s, _, _) = form(
            &c,
            url.clone(),
            &[
                ("csrf", csrf.as_str()),
                ("disclosure-disclosed_on", "2026-01-05"),
                ("disclosure-commitments", "None."),
            ],
        )
        .await;
        assert_eq!(s, 403, "{who}");
    }
    // The chief executive sees the record but is offered no form.
    let ce = sign_in(&base, "chief.executive").await;
    let (s, html) = page(&ce, format!("{base}/consultants/c-med-10/private-practice")).await;
    assert_eq!(s, 200);
    assert!(!html.contains("Record a disclosure"), "{html}");
    assert_eq!(status(me).await, after, "nothing refused is recorded");
}
