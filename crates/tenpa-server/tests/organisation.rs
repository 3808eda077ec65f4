//! A trust set up from an empty database (SQLite, or PostgreSQL when `TENPA_TEST_DATABASE_URL`
//! is set): its first administrator adds the employer, departments, consultant records and
//! accounts through the API and through the pages, with the checks and refusals each names.

mod common;

use common::crawl::{csrf, serve, sign_in, sign_in_with};
use reqwest::Client;
use serde_json::{json, Value};
use tenpa_rules::job_planning::Role;

/// An empty trust with its first administrator (`admin`, password `tenpa-demo`), as `tenpa init`
/// leaves it; answers the base URL and the administrator's signed-in client.
async fn empty_trust() -> (String, Client, tenpa_store::Store) {
    let db = common::fresh_db_url().await;
    let store = tenpa_store::Store::connect(&db).await.expect("store");
    store
        .create_first_user(
            "cli:test",
            &tenpa_store::NewUser {
                username: "admin".into(),
                display_name: "First Administrator".into(),
                password_hash: tenpa_server::auth::hash_password("tenpa-demo"),
                roles: vec![Role::Admin],
                department_id: None,
                consultant_id: None,
                email: None,
            },
        )
        .await
        .expect("first administrator");
    let base = serve(&db, false).await;
    let admin = sign_in(&base, "admin").await;
    (base, admin, store)
}

async fn post(c: &Client, url: String, body: Value) -> (u16, Value) {
    let r = c.post(url).json(&body).send().await.expect("request");
    (r.status().as_u16(), r.json().await.unwrap_or(Value::Null))
}

async fn get(c: &Client, url: String) -> (u16, Value) {
    let r = c.get(url).send().await.expect("request");
    (r.status().as_u16(), r.json().await.unwrap_or(Value::Null))
}

fn field(problem: &Value) -> &str {
    problem["field"].as_str().unwrap_or("")
}

/// Source: issue brief — a trust starts from an empty database through the API: employers,
/// departments (the employer optional when there is one), consultant records by import, accounts
/// with and without a password linked to their records (one enabled account per record, JP-1),
/// disabled and enabled; each refusal names its field; only an administrator changes the
/// organisation, and medical staffing reads the records.
#[tokio::test]
async fn a_trust_is_set_up_from_an_empty_database_through_the_api() {
    let (base, admin, store) = empty_trust().await;
    let api = |path: &str| format!("{base}/api/v1/{path}");

    let (s, p) = post(&admin, api("departments"), json!({"name": "Surgery"})).await;
    assert_eq!((s, field(&p)), (422, "employer_id"), "{p}");
    let (s, trust) = post(
        &admin,
        api("employers"),
        json!({"name": "Northshire NHS Trust"}),
    )
    .await;
    assert_eq!(s, 201, "{trust}");
    assert_eq!(
        (trust["kind"].as_str(), trust["nation"].as_str()),
        (Some("trust"), Some("england"))
    );
    let (s, p) = post(
        &admin,
        api("employers"),
        json!({"name": "Northshire NHS Trust"}),
    )
    .await;
    assert_eq!(
        (s, field(&p)),
        (422, "name"),
        "a second employer of the name: {p}"
    );
    let (s, p) = post(
        &admin,
        api("employers"),
        json!({"name": "Elsewhere", "kind": "hospital"}),
    )
    .await;
    assert_eq!((s, field(&p)), (422, "kind"), "{p}");
    let (s, p) = post(&admin, api("employers"), json!({"name": "  "})).await;
    assert_eq!((s, field(&p)), (422, "name"), "{p}");

    let (s, surgery) = post(
        &admin,
        api("departments"),
        json!({"name": "Surgery", "specialty": "General surgery"}),
    )
    .await;
    assert_eq!(s, 201, "{surgery}");
    assert_eq!(surgery["employer_id"], trust["id"]);
    let (s, p) = post(&admin, api("departments"), json!({"name": "SURGERY"})).await;
    assert_eq!(
        (s, field(&p)),
        (422, "name"),
        "names differ only in case: {p}"
    );
    let (s, p) = post(
        &admin,
        api("departments"),
        json!({"name": "Medicine", "employer_id": 999}),
    )
    .await;
    assert_eq!((s, field(&p)), (422, "employer_id"), "{p}");
    let (_, departments) = get(&admin, api("departments")).await;
    assert_eq!(departments.as_array().map(Vec::len), Some(1));

    let csv = "assignment_number,name,department,first_appointed,username\n\
               40000001,Ms Ada Rowe,Surgery,2012-04-01,ada.rowe\n\
               40000002,Mr Ben Cole,surgery,2015-09-01,\n";
    let (s, report) = post(
        &admin,
        api("imports"),
        json!({"kind": "establishment", "csv": csv}),
    )
    .await;
    assert_eq!(
        (s, report["applied"].as_bool()),
        (200, Some(true)),
        "{report}"
    );
    let (s, records) = get(&admin, api("consultants")).await;
    assert_eq!(s, 200, "{records}");
    let ada = records
        .as_array()
        .unwrap()
        .iter()
        .find(|r| r["id"] == "40000001")
        .expect("record");
    assert_eq!(
        ada["account"], "ada.rowe",
        "the import's account is linked to the record"
    );

    // Accounts: a password, or the identity provider only; one enabled account per record.
    let (s, p) = post(
        &admin,
        api("users"),
        json!({"username": "ada.second", "roles": ["consultant"], "consultant_id": "40000001"}),
    )
    .await;
    assert_eq!(
        (s, field(&p)),
        (422, "consultant_id"),
        "a second account for Ada's record: {p}"
    );
    let (s, p) = post(
        &admin,
        api("users"),
        json!({"username": "bad name", "roles": ["consultant"]}),
    )
    .await;
    assert_eq!((s, field(&p)), (422, "username"), "{p}");
    let (s, p) = post(
        &admin,
        api("users"),
        json!({"username": "x", "roles": ["surgeon"]}),
    )
    .await;
    assert_eq!((s, field(&p)), (422, "roles"), "{p}");
    let (s, p) = post(
        &admin,
        api("users"),
        json!({"username": "x", "roles": ["consultant"], "password": "short"}),
    )
    .await;
    assert_eq!((s, field(&p)), (422, "password"), "{p}");
    let (s, p) = post(
        &admin,
        api("users"),
        json!({"username": "x", "roles": ["consultant"], "consultant_id": "nobody"}),
    )
    .await;
    assert_eq!((s, field(&p)), (422, "consultant_id"), "{p}");
    let (s, p) = post(
        &admin,
        api("users"),
        json!({"username": "admin", "roles": ["consultant"]}),
    )
    .await;
    assert_eq!((s, field(&p)), (422, "username"), "a name in use: {p}");
    let (s, cd) = post(&admin, api("users"), json!({
        "username": "ben.cole", "display_name": "Mr Ben Cole", "roles": ["clinical_director", "consultant"],
        "department_id": surgery["id"], "consultant_id": "40000002", "password": "a long passphrase"
    })).await;
    assert_eq!(s, 201, "{cd}");
    assert_eq!(
        (cd["password"].as_bool(), cd["consultant_id"].as_str()),
        (Some(true), Some("40000002"))
    );
    let (s, ms) = post(&admin, api("users"), json!({"username": "staffing", "roles": ["medical_staffing"], "password": "another passphrase"})).await;
    assert_eq!(s, 201, "{ms}");
    let (_, ada) = get(&admin, api("users/ada.rowe")).await;
    assert_eq!(
        ada["password"], false,
        "an imported account signs in through the identity provider"
    );

    // Who may.
    let ben = sign_in_with(&base, "ben.cole", "a long passphrase").await;
    let (s, _) = post(&ben, api("employers"), json!({"name": "Mine"})).await;
    assert_eq!(s, 403, "a clinical director does not add employers");
    assert_eq!(get(&ben, api("users")).await.0, 403);
    assert_eq!(get(&ben, api("consultants")).await.0, 403);
    assert_eq!(get(&ben, api("departments")).await.0, 200);
    let staffing = sign_in_with(&base, "staffing", "another passphrase").await;
    assert_eq!(
        get(&staffing, api("consultants")).await.0,
        200,
        "medical staffing keeps the records"
    );
    assert_eq!(
        post(
            &staffing,
            api("users"),
            json!({"username": "y", "roles": ["admin"]})
        )
        .await
        .0,
        403
    );

    // Links, disabling and enabling, audited.
    let r = admin
        .put(api("users/ada.rowe/links"))
        .json(&json!({"department_id": surgery["id"], "consultant_id": "40000002"}))
        .send()
        .await
        .unwrap();
    let (s, p): (u16, Value) = (r.status().as_u16(), r.json().await.unwrap());
    assert_eq!(
        (s, field(&p)),
        (422, "consultant_id"),
        "Ben's record has his account: {p}"
    );
    let (s, change) = post(&admin, api("users/ben.cole/disable"), json!({})).await;
    assert_eq!(
        (s, change["changed"].as_bool()),
        (200, Some(true)),
        "{change}"
    );
    assert!(change["account"]["disabled_at"].is_string());
    assert_eq!(
        get(&ben, api("departments")).await.0,
        401,
        "a disabled account's sessions end"
    );
    let r = admin
        .put(api("users/ada.rowe/links"))
        .json(&json!({"department_id": surgery["id"], "consultant_id": "40000002"}))
        .send()
        .await
        .unwrap();
    assert_eq!(
        r.status().as_u16(),
        200,
        "Ben's account is disabled, so the record is free"
    );
    let (s, p) = post(&admin, api("users/ben.cole/enable"), json!({})).await;
    assert_eq!(
        s, 409,
        "enabling Ben would give his record two enabled accounts: {p}"
    );
    let (s, p) = post(&admin, api("users/admin/disable"), json!({})).await;
    assert_eq!(s, 409, "the last enabled administrator: {p}");
    assert_eq!(
        post(&admin, api("users/nobody/disable"), json!({})).await.0,
        404
    );

    let mut actions = vec![];
    for name in ["ben.cole", "ada.rowe"] {
        let id = store.account(name).await.unwrap().expect(name).user.id;
        for e in store
            .audit_for("user", &id.to_string(), 10)
            .await
            .expect("audit")
        {
            assert_eq!(e.actor, "admin", "{e:?}");
            actions.push(e.action);
        }
    }
    for action in ["create", "link", "disable"] {
        assert!(
            actions.iter().any(|a| a == action),
            "{action} is audited: {actions:?}"
        );
    }
}

/// Source: issue brief — the same set-up through the pages: the set-up page names the next step;
/// the forms add the employer, a department and an account and say what is wrong with a bad one;
/// the upload page checks an extract row by row and imports exactly the file checked.
#[tokio::test]
async fn a_trust_is_set_up_from_an_empty_database_through_the_pages() {
    let (base, admin, _store) = empty_trust().await;
    let page = |path: &str| {
        let admin = admin.clone();
        let url = format!("{base}{path}");
        async move {
            let r = admin.get(url).send().await.expect("request");
            (r.status().as_u16(), r.text().await.unwrap())
        }
    };
    let (s, html) = page("/admin").await;
    assert_eq!(s, 200);
    assert!(html.contains("Add the trust as an employer"), "{html}");
    let token = csrf(&html).expect("csrf");
    let form = |path: &str, fields: Vec<(&str, &str)>| {
        let admin = admin.clone();
        let url = format!("{base}{path}");
        let mut fields: Vec<(String, String)> = fields
            .into_iter()
            .map(|(k, v)| (k.into(), v.into()))
            .collect();
        fields.push(("csrf".into(), token.clone()));
        async move {
            let r = admin.post(url).form(&fields).send().await.expect("request");
            let location = r
                .headers()
                .get("location")
                .map(|l| l.to_str().unwrap().to_string());
            (r.status().as_u16(), location, r.text().await.unwrap())
        }
    };
    let (s, _, html) = form(
        "/admin/organisation",
        vec![
            ("form", "employer"),
            ("employer-name", ""),
            ("employer-kind", "trust"),
            ("employer-nation", "england"),
        ],
    )
    .await;
    assert_eq!(s, 422);
    assert!(
        html.contains("href=\"#employer-name\""),
        "the error summary links the field: {html}"
    );
    let (s, to, _) = form(
        "/admin/organisation",
        vec![
            ("form", "employer"),
            ("employer-name", "Northshire NHS Trust"),
            ("employer-kind", "trust"),
            ("employer-nation", "england"),
        ],
    )
    .await;
    assert_eq!(
        (
            s,
            to.as_deref()
                .map(|t| t.starts_with("/admin/organisation?added=employer"))
        ),
        (303, Some(true))
    );
    let (s, _, _) = form(
        "/admin/organisation",
        vec![
            ("form", "department"),
            ("department-name", "Surgery"),
            ("department-specialty", "General surgery"),
            ("department-employer_id", ""),
        ],
    )
    .await;
    assert_eq!(s, 303);
    let (_, html) = page("/admin").await;
    assert!(html.contains("Bring in the consultant records"), "{html}");

    // The upload: checked, then imported from what was checked.
    let (s, html) = page("/admin/import").await;
    assert_eq!(s, 200);
    assert!(html.contains("enctype=\"multipart/form-data\""));
    let csv = "Assignment Number,Full Name,Org,First Appointed\n50000001,Dr Cy Rue,Surgery,01/09/2014\n50000002,Dr Di Ode,Nowhere,2016-10-01\n";
    let mapping = "[columns]\nassignment_number = \"Assignment Number\"\nname = \"Full Name\"\ndepartment = \"Org\"\nfirst_appointed = \"First Appointed\"\n";
    let upload = |csv: &'static str| {
        reqwest::multipart::Form::new()
            .text("csrf", token.clone())
            .text("action", "check")
            .part(
                "file",
                reqwest::multipart::Part::bytes(csv.as_bytes().to_vec()).file_name("extract.csv"),
            )
            .part(
                "mapping",
                reqwest::multipart::Part::bytes(mapping.as_bytes().to_vec()).file_name("esr.toml"),
            )
    };
    let r = admin
        .post(format!("{base}/admin/import"))
        .multipart(upload(csv))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status().as_u16(), 422, "a row with an error");
    let html = r.text().await.unwrap();
    assert!(
        html.contains("Column Org: found <q>Nowhere</q>"),
        "the error names column and value: {html}"
    );
    assert!(
        !html.contains("id=\"apply\""),
        "nothing to import while a row has an error"
    );

    let good =
        "Assignment Number,Full Name,Org,First Appointed\n50000001,Dr Cy Rue,Surgery,01/09/2014\n";
    let r = admin
        .post(format!("{base}/admin/import"))
        .multipart(upload(good))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status().as_u16(), 200);
    let html = r.text().await.unwrap();
    assert!(html.contains("Import 1 record(s)"), "{html}");
    let (_, records) = page("/admin/consultants").await;
    assert!(
        records.contains("No consultant records yet"),
        "a check writes nothing"
    );
    let hidden = |name: &str| {
        let at = html.find(&format!("name=\"{name}\" value=\"")).expect(name) + name.len() + 15;
        html[at..at + html[at..].find('"').unwrap()].to_string()
    };
    let apply = |csv_b64: String| {
        reqwest::multipart::Form::new()
            .text("csrf", token.clone())
            .text("action", "apply")
            .text("checked", hidden("checked"))
            .text("csv", csv_b64)
            .text("mapping_text", hidden("mapping_text"))
    };
    // A different file than the one checked is checked again, not imported.
    use base64::Engine;
    let other = base64::engine::general_purpose::STANDARD.encode(
        "Assignment Number,Full Name,Org,First Appointed\n50000009,Dr Ed,Surgery,2014-09-01\n",
    );
    let r = admin
        .post(format!("{base}/admin/import"))
        .multipart(apply(other))
        .send()
        .await
        .unwrap();
    let text = r.text().await.unwrap();
    assert!(text.contains("is not the one checked"), "{text}");
    let r = admin
        .post(format!("{base}/admin/import"))
        .multipart(apply(hidden("csv")))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status().as_u16(), 200);
    assert!(r
        .text()
        .await
        .unwrap()
        .contains("The file has been imported: 1 record(s) created"));
    let (_, records) = page("/admin/consultants").await;
    assert!(
        records.contains("Dr Cy Rue") && !records.contains("Dr Ed"),
        "{records}"
    );

    // A file over the page's 4 MiB is refused with what to do instead.
    let big = reqwest::multipart::Form::new()
        .text("csrf", token.clone())
        .text("action", "check")
        .part(
            "file",
            reqwest::multipart::Part::bytes(vec![b'x'; 4 * 1024 * 1024 + 1]).file_name("big.csv"),
        );
    let r = admin
        .post(format!("{base}/admin/import"))
        .multipart(big)
        .send()
        .await
        .unwrap();
    assert_eq!(r.status().as_u16(), 400);
    assert!(
        r.text()
            .await
            .unwrap()
            .contains("tenpa import establishment"),
        "the page says to use the command"
    );

    // An account for the record, then its page.
    let (s, _, html) = form(
        "/admin/accounts",
        vec![
            ("account-username", "cy.rue"),
            ("account-display_name", "Dr Cy Rue"),
            ("account-department_id", ""),
            ("account-consultant_id", "50000001"),
            ("account-password", ""),
        ],
    )
    .await;
    assert_eq!(s, 422, "no role ticked");
    assert!(html.contains("href=\"#account-roles\""), "{html}");
    let (s, to, _) = form(
        "/admin/accounts",
        vec![
            ("account-username", "cy.rue"),
            ("account-display_name", "Dr Cy Rue"),
            ("account-roles", "consultant"),
            ("account-department_id", ""),
            ("account-consultant_id", "50000001"),
            ("account-password", ""),
        ],
    )
    .await;
    assert_eq!(
        (s, to.as_deref()),
        (303, Some("/admin/accounts/cy.rue?done=added"))
    );
    let (s, html) = page("/admin/accounts/cy.rue").await;
    assert_eq!(s, 200);
    assert!(
        html.contains("The identity provider only") && html.contains("50000001"),
        "{html}"
    );
    let (s, to, _) = form("/admin/accounts/cy.rue/disable", vec![]).await;
    assert_eq!(
        (s, to.as_deref()),
        (303, Some("/admin/accounts/cy.rue?done=disabled"))
    );
    let (_, html) = page("/admin/accounts").await;
    assert!(html.contains("Disabled"), "{html}");
    let (s, _, _) = form("/admin/accounts/admin/disable", vec![]).await;
    assert_eq!(s, 409, "nobody disables their own account");
}

/// Source: issue brief — a plan is created on a page: from the consultant's current plan (next
/// year's plan: the same document from the new date) or blank from their record; only for a
/// consultant whose plans the person may edit; then it opens in the editor as a draft.
#[tokio::test]
async fn a_plan_is_started_from_the_current_one_or_blank_on_a_page() {
    let db = common::fresh_db_url().await;
    let base = serve(&db, true).await;
    let ms = sign_in(&base, "medical.staffing").await;
    let html = ms
        .get(format!("{base}/plans"))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(html.contains("href=\"/plans/new\""), "{html}");
    let html = ms
        .get(format!("{base}/plans/new?consultant=c-surg-01"))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    let token = csrf(&html).expect("csrf");
    let create = |c: Client, fields: Vec<(&'static str, &'static str)>| {
        let base = base.clone();
        let token = token.clone();
        async move {
            let mut form: Vec<(&str, &str)> = fields;
            form.push(("csrf", &token));
            let r = c
                .post(format!("{base}/plans/new"))
                .form(&form)
                .send()
                .await
                .unwrap();
            let to = r
                .headers()
                .get("location")
                .map(|l| l.to_str().unwrap().to_string());
            (r.status().as_u16(), to, r.text().await.unwrap())
        }
    };
    let (_, plans) = get(&ms, format!("{base}/api/v1/job-plans")).await;
    let before = plans
        .as_array()
        .unwrap()
        .iter()
        .find(|p| p["consultant_id"] == "c-surg-01")
        .expect("a plan")["id"]
        .as_i64()
        .unwrap();
    let (_, old) = get(&ms, format!("{base}/api/v1/job-plans/{before}")).await;

    let (s, to, _) = create(
        ms.clone(),
        vec![
            ("plan-consultant_id", "c-surg-01"),
            ("plan-effective_from", "2027-04-01"),
            ("plan-start", "current"),
            ("plan-note", ""),
        ],
    )
    .await;
    assert_eq!(s, 303);
    let to = to.unwrap();
    let id: i64 = to
        .trim_start_matches("/plans/")
        .trim_end_matches("/edit")
        .parse()
        .expect(&to);
    let (_, new) = get(&ms, format!("{base}/api/v1/job-plans/{id}")).await;
    assert_eq!(new["status"], "draft");
    assert_eq!(new["document"]["job_plan"]["effective_from"], "2027-04-01");
    let mut same = new["document"].clone();
    same["job_plan"]["effective_from"] = old["document"]["job_plan"]["effective_from"].clone();
    assert_eq!(same, old["document"], "the same plan from the new date");
    let (_, versions) = get(&ms, format!("{base}/api/v1/job-plans/{id}/versions")).await;
    let note = versions[0]["note"].as_str().unwrap_or("");
    assert!(
        note.contains(&format!("started from job plan {before} (version ")),
        "the history names the plan it came from: {versions}"
    );

    // Blank, from a record with no plan: filled in from the record.
    let csv = "assignment_number,name,department,first_appointed,contracted_pas\n60000001,Dr Vi Lane,Surgery,2019-02-01,7.5\n";
    let (s, report) = post(
        &ms,
        format!("{base}/api/v1/imports"),
        json!({"kind": "establishment", "csv": csv}),
    )
    .await;
    assert_eq!(
        (s, report["applied"].as_bool()),
        (200, Some(true)),
        "{report}"
    );
    let (s, _, html) = create(
        ms.clone(),
        vec![
            ("plan-consultant_id", "60000001"),
            ("plan-effective_from", "2027-04-01"),
            ("plan-start", "current"),
            ("plan-note", ""),
        ],
    )
    .await;
    assert_eq!(s, 422);
    assert!(html.contains("has no plan yet"), "{html}");
    let (s, _, html) = create(
        ms.clone(),
        vec![
            ("plan-consultant_id", "60000001"),
            ("plan-effective_from", "1 April"),
            ("plan-start", "blank"),
            ("plan-note", ""),
        ],
    )
    .await;
    assert_eq!(s, 422);
    assert!(html.contains("href=\"#plan-effective_from\""), "{html}");
    let (s, to, _) = create(
        ms.clone(),
        vec![
            ("plan-consultant_id", "60000001"),
            ("plan-effective_from", "2027-04-01"),
            ("plan-start", "blank"),
            ("plan-note", "first plan"),
            ("plan-point", "3"),
        ],
    )
    .await;
    assert_eq!(s, 303);
    let id = to
        .unwrap()
        .trim_start_matches("/plans/")
        .trim_end_matches("/edit")
        .to_string();
    let (_, blank) = get(&ms, format!("{base}/api/v1/job-plans/{id}")).await;
    let d = &blank["document"];
    assert_eq!(
        (
            d["consultant"]["name"].as_str(),
            d["consultant"]["first_appointed"].as_str()
        ),
        (Some("Dr Vi Lane"), Some("2019-02-01"))
    );
    assert_eq!(d["job_plan"]["contracted_pas"], json!(7.5));
    assert_eq!(d["pay"]["point"], json!(3), "the point chosen on the form");

    // A point off the scale is refused beside its field; a blank plan for a consultant with a
    // plan takes the latest plan's point when none is chosen.
    let (s, _, html) = create(
        ms.clone(),
        vec![
            ("plan-consultant_id", "60000001"),
            ("plan-effective_from", "2028-04-01"),
            ("plan-start", "blank"),
            ("plan-point", "8"),
        ],
    )
    .await;
    assert_eq!(s, 422);
    assert!(html.contains("href=\"#plan-point\""), "{html}");
    let (s, to, _) = create(
        ms.clone(),
        vec![
            ("plan-consultant_id", "c-surg-01"),
            ("plan-effective_from", "2028-04-01"),
            ("plan-start", "blank"),
            ("plan-point", ""),
        ],
    )
    .await;
    assert_eq!(s, 303);
    let id2 = to
        .unwrap()
        .trim_start_matches("/plans/")
        .trim_end_matches("/edit")
        .to_string();
    let (_, latest) = get(&ms, format!("{base}/api/v1/job-plans/{id2}")).await;
    assert_eq!(
        latest["document"]["pay"]["point"], new["document"]["pay"]["point"],
        "the latest plan's point: {latest}"
    );
    assert!(
        latest["document"]["pay"]["point"]
            .as_u64()
            .is_some_and(|p| p > 0),
        "a point above the first, so the test could fail: {latest}"
    );
    let editor = ms
        .get(format!("{base}/plans/{id}/edit"))
        .send()
        .await
        .unwrap();
    assert_eq!(editor.status().as_u16(), 200, "it opens in the editor");

    // A consultant creates only their own.
    let other = sign_in(&base, "consultant2").await;
    let html = other
        .get(format!("{base}/plans/new"))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(
        !html.contains("c-surg-01"),
        "another's record is not offered"
    );
    let token2 = csrf(&html).unwrap();
    let r = other
        .post(format!("{base}/plans/new"))
        .form(&[
            ("plan-consultant_id", "c-surg-01"),
            ("plan-effective_from", "2027-04-01"),
            ("plan-start", "current"),
            ("csrf", &token2),
        ])
        .send()
        .await
        .unwrap();
    assert_eq!(r.status().as_u16(), 422, "another's record is refused");
}

/// Source: issue brief — consultant records edited on a page and through the API, each change a
/// versioned, audited write with optimistic concurrency; nobody edits their own record.
#[tokio::test]
async fn a_consultant_record_is_edited_with_its_version() {
    let db = common::fresh_db_url().await;
    let base = serve(&db, true).await;
    let ms = sign_in(&base, "medical.staffing").await;
    let api = |path: &str| format!("{base}/api/v1/{path}");
    let (s, record) = get(&ms, api("consultants/c-med-10")).await;
    assert_eq!(s, 200, "{record}");
    let version = record["version"].as_i64().unwrap();
    let mut edit = json!({
        "version": version, "name": "Dr Renamed", "gmc_number": "7654321",
        "department_id": record["department_id"], "contracted_pas": "7.5",
        "first_appointed": record["first_appointed"],
    });
    let r = ms
        .put(api("consultants/c-med-10"))
        .json(&edit)
        .send()
        .await
        .unwrap();
    assert_eq!(r.status().as_u16(), 200);
    let saved: Value = r.json().await.unwrap();
    assert_eq!(
        (
            saved["name"].as_str(),
            saved["version"].as_i64(),
            saved["contracted_pas"].as_str()
        ),
        (Some("Dr Renamed"), Some(version + 1), Some("7.5"))
    );
    // The same edit again is on an old version: 409 naming the current one.
    let r = ms
        .put(api("consultants/c-med-10"))
        .json(&edit)
        .send()
        .await
        .unwrap();
    assert_eq!(r.status().as_u16(), 409);
    let p: Value = r.json().await.unwrap();
    assert_eq!(p["current_version"].as_i64(), Some(version + 1));
    edit["version"] = json!(version + 1);
    edit["gmc_number"] = json!("12");
    let r = ms
        .put(api("consultants/c-med-10"))
        .json(&edit)
        .send()
        .await
        .unwrap();
    assert_eq!(r.status().as_u16(), 422);
    assert_eq!(r.json::<Value>().await.unwrap()["field"], "gmc_number");
    // The lead employer (JP-5): the department's employer unless named; an unknown one 422.
    let (_, department) = get(
        &ms,
        api(&format!("departments/{}", record["department_id"])),
    )
    .await;
    assert_eq!(
        saved["lead_employer_id"], department["employer_id"],
        "{saved}"
    );
    edit["gmc_number"] = json!("7654321");
    edit["lead_employer_id"] = json!(9999);
    let r = ms
        .put(api("consultants/c-med-10"))
        .json(&edit)
        .send()
        .await
        .unwrap();
    assert_eq!(r.status().as_u16(), 422);
    assert_eq!(
        r.json::<Value>().await.unwrap()["field"],
        "lead_employer_id"
    );
    edit["lead_employer_id"] = Value::Null;
    let md = sign_in(&base, "medical.director").await;
    assert_eq!(
        md.put(api("consultants/c-med-10"))
            .json(&edit)
            .send()
            .await
            .unwrap()
            .status()
            .as_u16(),
        403
    );

    // The page: saved, then a stale form is a conflict that keeps what was typed.
    let html = ms
        .get(format!("{base}/admin/consultants/c-med-10"))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(html.contains("Dr Renamed"));
    let token = csrf(&html).unwrap();
    let current = (version + 1).to_string();
    let form = |v: &str, name: &str| {
        vec![
            ("csrf", token.clone()),
            ("version", v.to_string()),
            ("record-name", name.to_string()),
            ("record-gmc_number", "7654321".into()),
            ("record-department_id", record["department_id"].to_string()),
            ("record-contracted_pas", "10".into()),
            (
                "record-first_appointed",
                record["first_appointed"].as_str().unwrap().to_string(),
            ),
            ("record-start_date", String::new()),
            ("record-transferred", String::new()),
            ("record-seniority_at_transfer", String::new()),
        ]
    };
    let r = ms
        .post(format!("{base}/admin/consultants/c-med-10"))
        .form(&form(&current, "Dr Page Edit"))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status().as_u16(), 303);
    let r = ms
        .post(format!("{base}/admin/consultants/c-med-10"))
        .form(&form(&current, "Dr Stale Edit"))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status().as_u16(), 409);
    let html = r.text().await.unwrap();
    assert!(
        html.contains("Dr Stale Edit") && html.contains("has been changed"),
        "{html}"
    );
    let (_, now) = get(&ms, api("consultants/c-med-10")).await;
    assert_eq!(
        now["name"], "Dr Page Edit",
        "the stale form changed nothing"
    );

    let store = tenpa_store::Store::connect(&db).await.unwrap();
    let audit = store.audit_for("consultant", "c-med-10", 10).await.unwrap();
    assert_eq!(
        audit.iter().filter(|a| a.action == "update").count(),
        2,
        "{audit:?}"
    );
}

/// Source: issue brief — departments (with specialty and clinical director) changed with their
/// version, audited, by an administrator.
#[tokio::test]
async fn a_department_is_renamed_with_its_version() {
    let db = common::fresh_db_url().await;
    let base = serve(&db, true).await;
    let admin = sign_in(&base, "admin").await;
    let api = |path: &str| format!("{base}/api/v1/{path}");
    let (_, departments) = get(&admin, api("departments")).await;
    let surgery = departments
        .as_array()
        .unwrap()
        .iter()
        .find(|d| d["name"] == "Surgery")
        .unwrap()["id"]
        .as_i64()
        .unwrap();
    let (s, d) = get(&admin, api(&format!("departments/{surgery}"))).await;
    assert_eq!(s, 200);
    assert!(
        d["clinical_directors"]
            .as_array()
            .unwrap()
            .iter()
            .any(|c| c == "clinical.director"),
        "{d}"
    );
    let version = d["version"].as_i64().unwrap();
    let put = |c: Client, body: Value| {
        let url = api(&format!("departments/{surgery}"));
        async move {
            let r = c.put(url).json(&body).send().await.unwrap();
            (
                r.status().as_u16(),
                r.json::<Value>().await.unwrap_or(Value::Null),
            )
        }
    };
    let (s, p) = put(
        admin.clone(),
        json!({"version": version, "name": "medicine"}),
    )
    .await;
    assert_eq!(
        (s, field(&p)),
        (422, "name"),
        "another department's name: {p}"
    );
    let (s, renamed) = put(
        admin.clone(),
        json!({"version": version, "name": "General Surgery", "specialty": "General surgery"}),
    )
    .await;
    assert_eq!(
        (s, renamed["version"].as_i64()),
        (200, Some(version + 1)),
        "{renamed}"
    );
    let (s, p) = put(
        admin.clone(),
        json!({"version": version, "name": "Surgery"}),
    )
    .await;
    assert_eq!((s, p["current_version"].as_i64()), (409, Some(version + 1)));
    let md = sign_in(&base, "medical.director").await;
    assert_eq!(
        put(md, json!({"version": version + 1, "name": "Mine"}))
            .await
            .0,
        403
    );

    // The page: a stale form is a conflict keeping what was typed.
    let html = admin
        .get(format!("{base}/admin/departments/{surgery}"))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(
        html.contains("General Surgery") && html.contains("clinical.director"),
        "{html}"
    );
    let token = csrf(&html).unwrap();
    let r = admin
        .post(format!("{base}/admin/departments/{surgery}"))
        .form(&[
            ("csrf", token.as_str()),
            ("version", &version.to_string()),
            ("department-name", "Old Surgery"),
            ("department-specialty", ""),
        ])
        .send()
        .await
        .unwrap();
    assert_eq!(r.status().as_u16(), 409);
    assert!(r.text().await.unwrap().contains("Old Surgery"));
    let r = admin
        .post(format!("{base}/admin/departments/{surgery}"))
        .form(&[
            ("csrf", token.as_str()),
            ("version", &(version + 1).to_string()),
            ("department-name", "Surgery"),
            ("department-specialty", "General surgery"),
        ])
        .send()
        .await
        .unwrap();
    assert_eq!(r.status().as_u16(), 303);
    let (_, d) = get(&admin, api(&format!("departments/{surgery}"))).await;
    assert_eq!(
        (d["name"].as_str(), d["version"].as_i64()),
        (Some("Surgery"), Some(version + 2))
    );
}

/// Posts a page's form (its CSRF token taken from the page at `from`); answers the status and the
/// page or where it leads.
async fn submit(
    c: &Client,
    base: &str,
    from: &str,
    to: &str,
    fields: &[(&str, &str)],
) -> (u16, String) {
    let a = common::crawl::submit(c, base, from, to, fields).await;
    let to = if a.location.is_empty() {
        a.body
    } else {
        a.location
    };
    (a.status, to)
}

/// Source: issue brief — accounts: roles changed and passwords reset by an administrator (never on
/// their own account, never leaving the trust without an enabled administrator), and a
/// department's clinical director named on the department's page; each a versioned, audited
/// change, on the pages and in the API.
#[tokio::test]
async fn roles_and_passwords_are_changed_and_a_clinical_director_named() {
    let (base, admin, store) = empty_trust().await;
    let api = |path: &str| format!("{base}/api/v1/{path}");
    let (s, _) = post(
        &admin,
        api("employers"),
        json!({"name": "Northshire NHS Trust"}),
    )
    .await;
    assert_eq!(s, 201);
    let (_, surgery) = post(&admin, api("departments"), json!({"name": "Surgery"})).await;
    let surgery = surgery["id"].as_i64().unwrap();
    for (username, roles) in [("ada.rowe", "consultant"), ("second.admin", "admin")] {
        let (s, p) = post(
            &admin,
            api("users"),
            json!({"username": username, "roles": [roles], "password": "the first passphrase"}),
        )
        .await;
        assert_eq!(s, 201, "{p}");
    }

    // Named clinical director of Surgery on its page: the role and the department, her
    // consultant role kept.
    let page = format!("/admin/departments/{surgery}");
    let (s, html) = submit(
        &admin,
        &base,
        &page,
        &format!("{page}/clinical-director"),
        &[("director-username", "")],
    )
    .await;
    assert_eq!(s, 422, "no account chosen");
    assert!(html.contains("director-username-error"), "{html}");
    let (s, to) = submit(
        &admin,
        &base,
        &page,
        &format!("{page}/clinical-director"),
        &[("director-username", "ada.rowe")],
    )
    .await;
    assert_eq!(
        (s, to.as_str()),
        (303, format!("{page}?done=director").as_str())
    );
    let (_, ada) = get(&admin, api("users/ada.rowe")).await;
    assert_eq!(
        ada["roles"],
        json!(["consultant", "clinical_director"]),
        "{ada}"
    );
    assert_eq!(ada["department_id"].as_i64(), Some(surgery));
    let (_, d) = get(&admin, api(&format!("departments/{surgery}"))).await;
    assert_eq!(d["clinical_directors"], json!(["ada.rowe"]), "{d}");

    // Roles through the API: unknown role 422; own roles 409; the last administrator kept.
    let put = |path: String, body: Value| {
        let c = admin.clone();
        async move {
            let r = c.put(path).json(&body).send().await.unwrap();
            (
                r.status().as_u16(),
                r.json::<Value>().await.unwrap_or(Value::Null),
            )
        }
    };
    let (s, p) = put(api("users/ada.rowe/roles"), json!({"roles": ["surgeon"]})).await;
    assert_eq!((s, field(&p)), (422, "roles"), "{p}");
    let (s, p) = put(api("users/admin/roles"), json!({"roles": ["consultant"]})).await;
    assert_eq!(s, 409, "one's own roles: {p}");
    let (s, p) = put(
        api("users/ada.rowe/roles"),
        json!({"roles": ["consultant"], "department_id": 999}),
    )
    .await;
    assert_eq!((s, field(&p)), (422, "department_id"), "{p}");
    let (s, p) = put(
        api("users/second.admin/roles"),
        json!({"roles": ["medical_staffing"]}),
    )
    .await;
    assert_eq!((s, p["changed"].as_bool()), (200, Some(true)), "{p}");
    let (s, p) = put(
        api("users/second.admin/roles"),
        json!({"roles": ["medical_staffing"]}),
    )
    .await;
    assert_eq!(
        (s, p["changed"].as_bool()),
        (200, Some(false)),
        "the same roles again: {p}"
    );

    // On the account's page: stood down as clinical director.
    let (s, to) = submit(
        &admin,
        &base,
        "/admin/accounts/ada.rowe",
        "/admin/accounts/ada.rowe/roles",
        &[("roles-form", "1")],
    )
    .await;
    assert_eq!(s, 422, "no role ticked");
    assert!(to.contains("roles-roles-error"), "{to}");
    let (s, _) = submit(
        &admin,
        &base,
        "/admin/accounts/ada.rowe",
        "/admin/accounts/ada.rowe/roles",
        &[("roles-form", "1"), ("roles-roles", "consultant")],
    )
    .await;
    assert_eq!(s, 303);
    let (_, ada) = get(&admin, api("users/ada.rowe")).await;
    assert_eq!(ada["roles"], json!(["consultant"]), "{ada}");
    let own = admin
        .get(format!("{base}/admin/accounts/admin"))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(
        !own.contains("/admin/accounts/admin/roles")
            && !own.contains("/admin/accounts/admin/password"),
        "no forms for one's own roles and password"
    );

    // A new password: too short 422; set, the old one stops and her sessions end.
    let ada_session = sign_in_with(&base, "ada.rowe", "the first passphrase").await;
    assert_eq!(
        ada_session
            .get(api("me"))
            .send()
            .await
            .unwrap()
            .status()
            .as_u16(),
        200
    );
    let (s, html) = submit(
        &admin,
        &base,
        "/admin/accounts/ada.rowe",
        "/admin/accounts/ada.rowe/password",
        &[("password-password", "short")],
    )
    .await;
    assert_eq!(s, 422);
    assert!(html.contains("password-password-error"), "{html}");
    let (s, _) = submit(
        &admin,
        &base,
        "/admin/accounts/ada.rowe",
        "/admin/accounts/ada.rowe/password",
        &[("password-password", "the second passphrase")],
    )
    .await;
    assert_eq!(s, 303);
    assert_eq!(
        ada_session
            .get(api("me"))
            .send()
            .await
            .unwrap()
            .status()
            .as_u16(),
        401,
        "her sessions ended"
    );
    sign_in_with(&base, "ada.rowe", "the second passphrase").await;
    let r = admin
        .post(api("users/admin/password"))
        .json(&json!({"password": "a passphrase of mine"}))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status().as_u16(), 409, "one's own password");

    let mut audit = Vec::new();
    for username in ["ada.rowe", "second.admin"] {
        let id = store.account(username).await.unwrap().unwrap().user.id;
        for e in store.audit_for("user", &id.to_string(), 20).await.unwrap() {
            audit.push(format!("{username} {}", e.action));
        }
    }
    audit.sort();
    assert_eq!(
        audit,
        [
            "ada.rowe create",
            "ada.rowe reset_password",
            "ada.rowe roles",
            "ada.rowe roles",
            "second.admin create",
            "second.admin roles"
        ],
        "each change audited once; a change to nothing not at all"
    );
}
