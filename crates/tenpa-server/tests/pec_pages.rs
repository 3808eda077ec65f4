//! Recording a professional executive committee on a page (SQLite, or PostgreSQL when
//! `TENPA_TEST_DATABASE_URL` is set): the document read with its errors by line and field, stored
//! on the API's path and checked; replaced from the stored one; only for an admin or a medical
//! director.

mod common;

use common::crawl::{csrf, serve, sign_in};
use serde_json::Value;

/// Source: issue brief — pages for every API-only operation (PEC committees).
#[tokio::test]
async fn a_committee_is_recorded_and_replaced_on_a_page() {
    let db = common::fresh_db_url().await;
    let base = serve(&db, true).await;
    let md = sign_in(&base, "medical.director").await;
    let html = md
        .get(format!("{base}/pecs"))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(html.contains("href=\"/pecs/new\""), "{html}");
    let token = csrf(
        &md.get(format!("{base}/pecs/new"))
            .send()
            .await
            .unwrap()
            .text()
            .await
            .unwrap(),
    )
    .unwrap();
    let post = |text: String| {
        let md = md.clone();
        let base = base.clone();
        let token = token.clone();
        async move {
            let r = md
                .post(format!("{base}/pecs/new"))
                .form(&[("csrf", token.as_str()), ("pec-document", text.as_str())])
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
    let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../../examples/pec");
    let good = std::fs::read_to_string(root.join("northshire-compliant.toml")).unwrap();
    let bad = good.replacen("term_years = 3", "term_years = \"three\"", 1);
    let (s, _, html) = post(bad).await;
    assert_eq!(s, 422);
    assert!(
        html.contains("href=\"#pec-document\"") && html.contains("term_years"),
        "the error names the field: {html}"
    );
    assert!(html.contains("Line "), "and the line: {html}");

    let (s, to, _) = post(good.clone()).await;
    assert_eq!(s, 303);
    assert!(to.unwrap().starts_with("/pecs#pec-"));
    let stored: Value = md
        .get(format!("{base}/api/v1/pecs"))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    let north = stored
        .as_array()
        .unwrap()
        .iter()
        .find(|p| p["document"]["pct"]["name"] == "Northshire Primary Care Trust")
        .expect("stored");
    assert_eq!(north["updated_by"], "medical.director");

    // Replacing it starts from the stored document.
    let html = md
        .get(format!(
            "{base}/pecs/new?pct=Northshire%20Primary%20Care%20Trust"
        ))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(
        html.contains("Dr Helen Carter"),
        "the stored committee is in the form: {html}"
    );

    let consultant = sign_in(&base, "consultant").await;
    assert_eq!(
        consultant
            .get(format!("{base}/pecs/new"))
            .send()
            .await
            .unwrap()
            .status()
            .as_u16(),
        403
    );
    let chair = sign_in(&base, "board.chair").await;
    let html = chair
        .get(format!("{base}/pecs"))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(
        !html.contains("href=\"/pecs/new\""),
        "a reader is not offered it"
    );
}
