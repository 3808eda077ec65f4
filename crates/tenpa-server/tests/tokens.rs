//! API tokens: expiry, listing without secrets, revocation, the explicit `act_as` permission and
//! the audit entry of each use, through the API and the page. On a fresh SQLite file, and on a
//! fresh PostgreSQL database when `TENPA_TEST_DATABASE_URL` is set.

mod common;

use common::crawl::{csrf, serve_demo, sign_in};
use common::fresh_db_url;
use reqwest::{Client, StatusCode};
use serde_json::{json, Value};
use sqlx::Connection;
use tenpa_store::Store;

struct App {
    base: String,
    db_url: String,
}

impl App {
    async fn start() -> App {
        let db_url = fresh_db_url().await;
        App {
            base: serve_demo(&db_url).await,
            db_url,
        }
    }

    fn url(&self, path: &str) -> String {
        format!("{}{path}", self.base)
    }

    async fn login(&self, username: &str) -> Client {
        let c = Client::builder().cookie_store(true).build().unwrap();
        let r = c
            .post(self.url("/api/v1/sessions"))
            .json(&json!({ "username": username, "password": "tenpa-demo" }))
            .send()
            .await
            .unwrap();
        assert_eq!(r.status(), StatusCode::OK, "sign in as {username}");
        c
    }

    /// Runs one SQL statement on the database behind the server, as someone with access to it.
    async fn sql(&self, statement: &str) {
        if self.db_url.starts_with("postgres") {
            let mut c = sqlx::PgConnection::connect(&self.db_url).await.unwrap();
            sqlx::query(statement).execute(&mut c).await.unwrap();
        } else {
            let mut c = sqlx::SqliteConnection::connect(&self.db_url).await.unwrap();
            sqlx::query(statement).execute(&mut c).await.unwrap();
        }
    }

    async fn audit(&self, token_id: i64) -> Vec<tenpa_store::AuditEntry> {
        let store = Store::connect(&self.db_url).await.unwrap();
        store
            .audit_for("api_token", &token_id.to_string(), 100)
            .await
            .unwrap()
    }
}

async fn issue(c: &Client, app: &App, body: Value) -> (StatusCode, Value) {
    let r = c
        .post(app.url("/api/v1/api-tokens"))
        .json(&body)
        .send()
        .await
        .unwrap();
    let status = r.status();
    (status, r.json().await.unwrap_or(Value::Null))
}

async fn me_with(app: &App, token: &str) -> (StatusCode, Value) {
    let r = Client::new()
        .get(app.url("/api/v1/me"))
        .bearer_auth(token)
        .send()
        .await
        .unwrap();
    let status = r.status();
    (status, r.json().await.unwrap_or(Value::Null))
}

#[tokio::test]
async fn tokens_expire_are_listed_without_secrets_and_are_revoked() {
    let app = App::start().await;
    let admin = app.login("admin").await;
    let staffing = app.login("medical.staffing").await;

    // The expiry is bounded: more than 365 days, or none, is refused naming the field.
    for days in [366, 0, -1] {
        let (status, body) = issue(
            &admin,
            &app,
            json!({ "username": "admin", "name": "feed", "expires_in_days": days }),
        )
        .await;
        assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{days}: {body}");
        assert_eq!(body["field"], "expires_in_days", "{body}");
        assert!(body["detail"].as_str().unwrap().contains("365"), "{body}");
    }

    // A token for the administrator's own account needs no flag; 90 days unless asked.
    let (status, first) = issue(
        &admin,
        &app,
        json!({ "username": "admin", "name": "reporting job" }),
    )
    .await;
    assert_eq!(status, StatusCode::CREATED, "{first}");
    assert_eq!(first["act_as"], false);
    let expires = chrono::DateTime::parse_from_rfc3339(first["expires_at"].as_str().unwrap())
        .unwrap()
        .with_timezone(&chrono::Utc);
    let days = (expires - chrono::Utc::now()).num_days();
    assert!((89..=90).contains(&days), "expires in {days} days");
    let (status, second) = issue(
        &admin,
        &app,
        json!({ "username": "admin", "name": "second feed", "expires_in_days": 365 }),
    )
    .await;
    assert_eq!(status, StatusCode::CREATED, "{second}");
    let (first_id, first_token) = (
        first["id"].as_i64().unwrap(),
        first["token"].as_str().unwrap(),
    );
    let (second_id, second_token) = (
        second["id"].as_i64().unwrap(),
        second["token"].as_str().unwrap(),
    );
    let (status, me) = me_with(&app, first_token).await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(me["username"], "admin");

    // The list: the administrator's alone, never a secret or its hash.
    let r = admin
        .get(app.url("/api/v1/api-tokens"))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::OK);
    let text = r.text().await.unwrap();
    assert!(!text.contains(first_token) && !text.contains(second_token));
    assert!(!text.contains(&tenpa_server::auth::token_hash(first_token)));
    let list: Vec<Value> = serde_json::from_str(&text).unwrap();
    let listed = list.iter().find(|t| t["id"] == first_id).unwrap();
    assert_eq!(listed["name"], "reporting job");
    assert_eq!(listed["username"], "admin");
    assert_eq!(listed["created_by"], "admin");
    assert_eq!(listed["state"], "active");
    assert!(listed["last_used_at"].is_string(), "{listed}");
    assert!(listed.get("token").is_none() && listed.get("token_hash").is_none());
    for path in ["/api/v1/api-tokens".to_string()] {
        let r = staffing.get(app.url(&path)).send().await.unwrap();
        assert_eq!(r.status(), StatusCode::FORBIDDEN);
    }
    let r = staffing
        .delete(app.url(&format!("/api/v1/api-tokens/{first_id}")))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::FORBIDDEN);
    let r = Client::new()
        .get(app.url("/api/v1/api-tokens"))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::UNAUTHORIZED);

    // Expired: the first token's expiry moved into the past.
    app.sql(&format!(
        "UPDATE api_tokens SET expires_at = '2020-01-01T00:00:00.000Z' WHERE id = {first_id}"
    ))
    .await;
    let (status, problem) = me_with(&app, first_token).await;
    assert_eq!(status, StatusCode::UNAUTHORIZED, "{problem}");
    assert!(
        problem["detail"].as_str().unwrap().contains("expired"),
        "{problem}"
    );

    // Revoked: 204, audited, 401 from then on; unknown 404.
    let (status, _) = me_with(&app, second_token).await;
    assert_eq!(status, StatusCode::OK);
    let r = admin
        .delete(app.url(&format!("/api/v1/api-tokens/{second_id}")))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::NO_CONTENT);
    let (status, problem) = me_with(&app, second_token).await;
    assert_eq!(status, StatusCode::UNAUTHORIZED, "{problem}");
    assert!(
        problem["detail"].as_str().unwrap().contains("revoked"),
        "{problem}"
    );
    let audit = app.audit(second_id).await;
    assert!(
        audit
            .iter()
            .any(|e| e.action == "revoke" && e.actor == "admin"),
        "{audit:?}"
    );
    let r = admin
        .delete(app.url("/api/v1/api-tokens/999999"))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::NOT_FOUND);
    let list: Vec<Value> = admin
        .get(app.url("/api/v1/api-tokens"))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    let state = |id: i64| list.iter().find(|t| t["id"] == id).unwrap()["state"].clone();
    assert_eq!(state(first_id), "expired");
    assert_eq!(state(second_id), "revoked");
    let unknown = me_with(&app, "not-a-token").await;
    assert_eq!(unknown.0, StatusCode::UNAUTHORIZED);

    let audit: Value = admin
        .get(app.url("/api/v1/audit/verify"))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert!(audit["first_broken"].is_null(), "{audit}");
}

#[tokio::test]
async fn acting_as_another_account_needs_the_flag_and_every_use_is_audited() {
    let app = App::start().await;
    let admin = app.login("admin").await;

    let (status, problem) = issue(
        &admin,
        &app,
        json!({ "username": "medical.staffing", "name": "e-rostering feed" }),
    )
    .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{problem}");
    assert_eq!(problem["field"], "act_as");
    assert!(
        problem["detail"]
            .as_str()
            .unwrap()
            .contains("\"act_as\": true"),
        "{problem}"
    );

    let (status, issued) = issue(
        &admin,
        &app,
        json!({ "username": "medical.staffing", "name": "e-rostering feed", "act_as": true }),
    )
    .await;
    assert_eq!(status, StatusCode::CREATED, "{issued}");
    assert_eq!(issued["act_as"], true);
    let id = issued["id"].as_i64().unwrap();
    let token = issued["token"].as_str().unwrap();
    let audit = app.audit(id).await;
    let created = audit
        .iter()
        .find(|e| e.action == "create_act_as")
        .expect("the issue is audited");
    assert_eq!(created.actor, "admin");
    let after: Value = serde_json::from_str(created.after.as_deref().unwrap()).unwrap();
    assert_eq!(after["issued_by"], "admin");
    assert_eq!(after["username"], "medical.staffing");

    for _ in 0..2 {
        let r = Client::new()
            .get(app.url("/api/v1/job-plans"))
            .bearer_auth(token)
            .send()
            .await
            .unwrap();
        assert_eq!(r.status(), StatusCode::OK);
    }
    let uses: Vec<_> = app
        .audit(id)
        .await
        .into_iter()
        .filter(|e| e.action == "act_as")
        .collect();
    assert_eq!(uses.len(), 2, "{uses:?}");
    let after: Value = serde_json::from_str(uses[0].after.as_deref().unwrap()).unwrap();
    assert_eq!(
        after["summary"],
        format!("acted as medical.staffing via token {id}")
    );
    assert_eq!(after["request"], "GET /api/v1/job-plans");
    assert_eq!(uses[0].actor, "medical.staffing");

    // A token for the administrator's own account: no entry per use.
    let (_, own) = issue(&admin, &app, json!({ "username": "admin", "name": "own" })).await;
    let own_id = own["id"].as_i64().unwrap();
    me_with(&app, own["token"].as_str().unwrap()).await;
    assert!(app.audit(own_id).await.iter().all(|e| e.action != "act_as"));

    let audit: Value = admin
        .get(app.url("/api/v1/audit/verify"))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert!(audit["first_broken"].is_null(), "{audit}");
}

#[tokio::test]
async fn the_tokens_page_issues_once_and_revokes_with_the_forms_protection() {
    let app = App::start().await;
    let admin = sign_in(&app.base, "admin").await;
    let html = admin
        .get(app.url("/api-tokens"))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(html.contains("Issue a token"), "{html}");
    let token = csrf(&html).unwrap();

    // Another account: refused; the form without the CSRF token: refused.
    let staffing = sign_in(&app.base, "medical.staffing").await;
    let r = staffing.get(app.url("/api-tokens")).send().await.unwrap();
    assert_eq!(r.status(), StatusCode::FORBIDDEN);
    let r = admin
        .post(app.url("/api-tokens"))
        .form(&[("username", "admin"), ("name", "forged")])
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::FORBIDDEN);

    // Without the permission a token for another account is refused, naming it.
    let r = admin
        .post(app.url("/api-tokens"))
        .form(&[
            ("csrf", token.as_str()),
            ("username", "medical.staffing"),
            ("name", "feed"),
            ("expires_in_days", "30"),
        ])
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::UNPROCESSABLE_ENTITY);
    assert!(r.text().await.unwrap().contains("token-act_as"));

    let r = admin
        .post(app.url("/api-tokens"))
        .form(&[
            ("csrf", token.as_str()),
            ("username", "medical.staffing"),
            ("name", "feed"),
            ("expires_in_days", "30"),
            ("act_as", "true"),
        ])
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::OK);
    let html = r.text().await.unwrap();
    let start = html
        .find("id=\"issued-token\">")
        .expect("the token is shown")
        + 18;
    let secret = &html[start..start + 64];
    let (status, me) = me_with(&app, secret).await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(me["username"], "medical.staffing");

    // The list never shows it again; revoking through the page ends it.
    let html = admin
        .get(app.url("/api-tokens"))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(!html.contains(secret));
    let list: Vec<Value> = app_list(&app).await;
    let id = list[0]["id"].as_i64().unwrap();
    let r = admin
        .post(app.url(&format!("/api-tokens/{id}/revoke")))
        .form(&[("csrf", token.as_str())])
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::SEE_OTHER);
    let (status, _) = me_with(&app, secret).await;
    assert_eq!(status, StatusCode::UNAUTHORIZED);
}

async fn app_list(app: &App) -> Vec<Value> {
    app.login("admin")
        .await
        .get(app.url("/api/v1/api-tokens"))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap()
}
