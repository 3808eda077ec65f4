//! Job plans in bulk on a page (SQLite, or PostgreSQL when `TENPA_TEST_DATABASE_URL` is set): the
//! check file by file, limited to the consultants whose plans the person may create, then the
//! import of exactly the files checked.

mod common;

use common::crawl::{csrf, serve, sign_in};
use reqwest::multipart::{Form, Part};
use serde_json::Value;

fn hidden_all(html: &str, name: &str) -> Vec<String> {
    let needle = format!("name=\"{name}\" value=\"");
    html.match_indices(&needle)
        .map(|(at, _)| {
            let from = at + needle.len();
            html[from..from + html[from..].find('"').unwrap()]
                .replace("&amp;", "&")
                .replace("&quot;", "\"")
        })
        .collect()
}

/// Source: issue brief — plans in bulk with the same dry-run report, all or nothing.
#[tokio::test]
async fn a_clinical_director_imports_plans_of_their_department_on_a_page() {
    let db = common::fresh_db_url().await;
    let base = serve(&db, true).await;
    let cd = sign_in(&base, "clinical.director").await;
    let md = sign_in(&base, "medical.director").await;
    let plans: Value = md
        .get(format!("{base}/api/v1/job-plans"))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    let doc_of = |consultant: &str| {
        let id = plans
            .as_array()
            .unwrap()
            .iter()
            .find(|p| p["consultant_id"] == consultant)
            .unwrap()["id"]
            .as_i64()
            .unwrap();
        let md = md.clone();
        let base = base.clone();
        async move {
            let v: Value = md
                .get(format!("{base}/api/v1/job-plans/{id}"))
                .send()
                .await
                .unwrap()
                .json()
                .await
                .unwrap();
            let mut d = v["document"].clone();
            d["job_plan"]["effective_from"] = Value::from("2028-04-01");
            serde_json::to_vec(&d).unwrap()
        }
    };
    let surgeon = doc_of("c-surg-01").await;
    let physician = doc_of("c-med-10").await;
    let html = cd
        .get(format!("{base}/plans/import"))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    let token = csrf(&html).unwrap();
    let check = |files: Vec<(&'static str, Vec<u8>)>| {
        let mut form = Form::new()
            .text("csrf", token.clone())
            .text("action", "check");
        for (name, bytes) in files {
            form = form.part("files", Part::bytes(bytes).file_name(name));
        }
        let cd = cd.clone();
        let base = base.clone();
        async move {
            let r = cd
                .post(format!("{base}/plans/import"))
                .multipart(form)
                .send()
                .await
                .unwrap();
            (r.status().as_u16(), r.text().await.unwrap())
        }
    };
    let (s, html) = check(vec![
        ("okafor.json", surgeon.clone()),
        ("physician.json", physician),
    ])
    .await;
    assert_eq!(s, 422);
    assert!(
        html.contains("expected a consultant whose job plans you may create"),
        "{html}"
    );
    assert!(!html.contains("id=\"apply\""));

    let (s, html) = check(vec![("okafor.json", surgeon.clone())]).await;
    assert_eq!(s, 200, "{html}");
    assert!(html.contains("Import 1 plan(s)"), "{html}");
    let apply = Form::new()
        .text("csrf", token.clone())
        .text("action", "apply")
        .text("checked", hidden_all(&html, "checked")[0].clone())
        .text("name", hidden_all(&html, "name")[0].clone())
        .text("content", hidden_all(&html, "content")[0].clone());
    let r = cd
        .post(format!("{base}/plans/import"))
        .multipart(apply)
        .send()
        .await
        .unwrap();
    assert_eq!(r.status().as_u16(), 200);
    assert!(r.text().await.unwrap().contains("1 draft plan(s) imported"));
    let after: Value = md
        .get(format!("{base}/api/v1/job-plans"))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(
        after.as_array().unwrap().len(),
        plans.as_array().unwrap().len() + 1
    );

    // The same file again: unchanged, nothing to import.
    let (s, html) = check(vec![("okafor.json", surgeon)]).await;
    assert_eq!(s, 200);
    assert!(
        html.contains("1 unchanged") && !html.contains("id=\"apply\""),
        "{html}"
    );
    let chair = sign_in(&base, "board.chair").await;
    assert_eq!(
        chair
            .get(format!("{base}/plans/import"))
            .send()
            .await
            .unwrap()
            .status()
            .as_u16(),
        403
    );
}
