//! Recording a board and its directors on a page (SQLite, or PostgreSQL when
//! `TENPA_TEST_DATABASE_URL` is set): an administrator records an organisation and a director
//! linked to an account, who then finds the board on the board pages.

mod common;

use common::crawl::{csrf, serve, sign_in};
use serde_json::Value;

/// Source: issue brief — after it, nothing a role may do needs the API.
#[tokio::test]
async fn an_administrator_records_a_board_and_its_director_on_a_page() {
    let db = common::fresh_db_url().await;
    let base = serve(&db, true).await;
    let admin = sign_in(&base, "admin").await;
    let html = admin
        .get(format!("{base}/admin"))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(html.contains("href=\"/admin/boards\""), "{html}");
    let token = csrf(
        &admin
            .get(format!("{base}/admin/boards"))
            .send()
            .await
            .unwrap()
            .text()
            .await
            .unwrap(),
    )
    .unwrap();
    let post = |fields: Vec<(&'static str, String)>| {
        let admin = admin.clone();
        let base = base.clone();
        let token = token.clone();
        async move {
            let mut form = fields;
            form.push(("csrf", token));
            let r = admin
                .post(format!("{base}/admin/boards"))
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
    let (s, to, body) = post(vec![
        ("form", "organisation".into()),
        ("organisation-name", "Northshire NHS Trust".into()),
        ("organisation-kind", "trust".into()),
    ])
    .await;
    assert_eq!(s, 303, "{body}");
    let id: String = to
        .unwrap()
        .rsplit("organisation-")
        .next()
        .unwrap()
        .to_string();
    let (s, _, html) = post(vec![
        ("form", "director".into()),
        ("director-organisation_id", id.clone()),
        ("director-name", "Ms Chair".into()),
        ("director-position", "president".into()),
        ("director-title", String::new()),
        ("director-username", "board.chair".into()),
    ])
    .await;
    assert_eq!(s, 422, "an unknown position");
    assert!(html.contains("nhsuk-error-summary"), "{html}");
    let (s, _, body) = post(vec![
        ("form", "director".into()),
        ("director-organisation_id", id.clone()),
        ("director-name", "Ms Chair".into()),
        ("director-position", "chair".into()),
        ("director-title", "Chair".into()),
        ("director-username", "board.chair".into()),
    ])
    .await;
    assert_eq!(s, 303, "{body}");
    let html = admin
        .get(format!("{base}/admin/boards"))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(
        html.contains("Ms Chair") && html.contains("board.chair"),
        "{html}"
    );

    let chair = sign_in(&base, "board.chair").await;
    let orgs: Value = chair
        .get(format!("{base}/api/v1/board/organisations"))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert!(
        orgs.as_array()
            .unwrap()
            .iter()
            .any(|o| o["name"] == "Northshire NHS Trust"),
        "the chair sits on it: {orgs}"
    );
    assert_eq!(
        chair
            .get(format!("{base}/admin/boards"))
            .send()
            .await
            .unwrap()
            .status()
            .as_u16(),
        403
    );
}
