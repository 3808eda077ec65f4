//! Story tests against the real server on a random port: a fresh SQLite file, and again on a fresh
//! PostgreSQL database when `TENPA_TEST_DATABASE_URL` is set. One file per area; what they share
//! (starting the server, signing in, sending JSON) is here.

#[path = "../common/mod.rs"]
mod common;
#[path = "../common/smtp.rs"]
mod smtp;

mod abuse;
mod access;
mod awards;
mod board;
mod compliance;
mod email;
mod objectives;
mod progression;
mod rotas;
mod rounds;
mod workflow;

use common::fresh_db_url;

use reqwest::{Client, StatusCode};
use serde_json::{json, Value};
use tenpa_store::Store;

struct TestApp {
    base: String,
    db_url: String,
}

/// Serves the application on the database at `db_url`, with the demo trust loaded when `demo`.
async fn start(db_url: &str, demo: bool) -> TestApp {
    TestApp {
        base: common::crawl::serve(db_url, demo).await,
        db_url: db_url.to_string(),
    }
}

/// Asserts that the audit chain verifies: no entry edited or removed.
async fn assert_audit_intact(c: &Client, app: &TestApp) {
    let (_, audit) = get_json(c, app, "/api/v1/audit/verify").await;
    assert!(audit["first_broken"].is_null(), "{audit}");
}

/// Asserts that the OpenAPI document `doc` describes each of `paths`.
fn assert_documented(doc: &Value, paths: &[&str]) {
    for path in paths {
        assert!(doc["paths"].get(path).is_some(), "{path} documented");
    }
}

async fn spawn_app() -> TestApp {
    let url = fresh_db_url().await;
    if url.starts_with("postgres") {
        eprintln!("running against PostgreSQL");
    } else {
        eprintln!(
            "TENPA_TEST_DATABASE_URL not set: the PostgreSQL run is skipped; running on SQLite"
        );
    }
    start(&url, true).await
}

impl TestApp {
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
        let body: Value = r.json().await.unwrap();
        assert_eq!(body["username"], username);
        c
    }

    async fn plan_of(&self, consultant: &str) -> Value {
        let md = self.login("medical.director").await;
        let list: Vec<Value> = md
            .get(self.url("/api/v1/job-plans"))
            .send()
            .await
            .unwrap()
            .json()
            .await
            .unwrap();
        list.into_iter()
            .find(|p| p["consultant_id"] == consultant)
            .expect("a plan of the consultant")
    }
}

fn surgeon_document(id: &str) -> Value {
    let text = include_str!("../../../../examples/surgeon-1-in-4.toml");
    let mut v: Value = serde_json::to_value(toml::from_str::<toml::Value>(text).unwrap()).unwrap();
    v["consultant"]["id"] = json!(id);
    v
}

async fn step(c: &Client, app: &TestApp, id: i64, version: i64, action: &str) -> Value {
    let r = c
        .post(app.url(&format!("/api/v1/job-plans/{id}/transitions")))
        .json(&json!({ "version": version, "action": action, "note": format!("{action} in test") }))
        .send()
        .await
        .unwrap();
    let status = r.status();
    let body: Value = r.json().await.unwrap();
    assert_eq!(status, StatusCode::OK, "{action}: {body}");
    body
}

async fn get_json(c: &Client, app: &TestApp, path: &str) -> (u16, Value) {
    let r = c.get(app.url(path)).send().await.unwrap();
    let status = r.status().as_u16();
    (status, r.json().await.unwrap_or(Value::Null))
}

/// A page's HTML as `c` sees it.
async fn html_of(c: &Client, app: &TestApp, path: &str) -> String {
    c.get(app.url(path))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap()
}

async fn post_json(c: &Client, app: &TestApp, path: &str, body: Value) -> (u16, Value) {
    let r = c.post(app.url(path)).json(&body).send().await.unwrap();
    let status = r.status().as_u16();
    (status, r.json().await.unwrap_or(Value::Null))
}

async fn put_json(c: &Client, app: &TestApp, path: &str, body: Value) -> (u16, Value) {
    let r = c.put(app.url(path)).json(&body).send().await.unwrap();
    let status = r.status().as_u16();
    (status, r.json().await.unwrap_or(Value::Null))
}

/// Runs `sql` on the database at `url` behind the application's back (to tamper with records).
async fn exec(url: &str, sql: &str) {
    use sqlx::Connection;
    if url.starts_with("postgres") {
        let mut c = sqlx::PgConnection::connect(url).await.unwrap();
        sqlx::query(sql).execute(&mut c).await.unwrap();
    } else {
        let mut c = sqlx::SqliteConnection::connect(url).await.unwrap();
        sqlx::query(sql).execute(&mut c).await.unwrap();
    }
}

fn today() -> chrono::NaiveDate {
    chrono::Utc::now().date_naive()
}
