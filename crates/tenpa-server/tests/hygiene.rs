//! The service at the edge, served as `tenpa serve` serves it: connections that send nothing are
//! closed, the connection limit holds, shutdown is graceful; NUL characters are refused on both
//! databases; JSON bodies must say so; browser requests from other origins are refused; HSTS and
//! `Cache-Control`. On a fresh SQLite file, and on PostgreSQL when `TENPA_TEST_DATABASE_URL` is set.

mod common;

use reqwest::{Client, StatusCode};
use serde_json::{json, Value};
use std::sync::Arc;
use std::time::Duration;
use tenpa_rules::Parameters;
use tenpa_server::{AppState, ServeOptions};
use tenpa_store::Store;
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpStream;
use tokio::sync::oneshot;

/// A server on a free loopback port, stopped (gracefully) when `stop` is sent.
struct Server {
    base: String,
    addr: std::net::SocketAddr,
    stop: Option<oneshot::Sender<()>>,
    done: tokio::task::JoinHandle<std::io::Result<()>>,
}

async fn start_with(options: ServeOptions, secure_cookies: bool) -> Server {
    start_full(options, secure_cookies, None).await
}

async fn start_full(
    options: ServeOptions,
    secure_cookies: bool,
    client_ip_header: Option<tenpa_server::auth::HeaderName>,
) -> Server {
    let url = common::fresh_db_url().await;
    let store = Arc::new(Store::connect(&url).await.expect("store"));
    let params = Arc::new(Parameters::embedded().clone());
    tenpa_server::demo::load(&store, &params)
        .await
        .expect("demo");
    let router = tenpa_server::app(AppState {
        store,
        params,
        secure_cookies,
        oidc_enabled: false,
        client_ip_header,
        email_enabled: false,
    });
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    let (stop, stopped) = oneshot::channel::<()>();
    let done = tokio::spawn(tenpa_server::net::serve_listener(
        listener,
        router,
        options,
        async move {
            let _ = stopped.await;
        },
    ));
    Server {
        base: format!("http://{addr}"),
        addr,
        stop: Some(stop),
        done,
    }
}

async fn start() -> Server {
    start_with(ServeOptions::default(), false).await
}

impl Server {
    fn url(&self, path: &str) -> String {
        format!("{}{path}", self.base)
    }

    /// Signs in through the API; the client keeps the session cookie.
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
}

/// Reads until the server closes the connection; `None` when it is still open after `within`.
async fn read_until_closed(stream: &mut TcpStream, within: Duration) -> Option<Vec<u8>> {
    let mut got = Vec::new();
    match tokio::time::timeout(within, stream.read_to_end(&mut got)).await {
        Ok(_) => Some(got),
        Err(_) => None,
    }
}

/// One `GET /healthz` on a kept-alive connection; answers the response's head.
async fn healthz_on(stream: &mut TcpStream) -> String {
    stream
        .write_all(b"GET /healthz HTTP/1.1\r\nHost: localhost\r\n\r\n")
        .await
        .unwrap();
    let mut buf = vec![0u8; 4096];
    let n = tokio::time::timeout(Duration::from_secs(30), stream.read(&mut buf))
        .await
        .expect("an answer to /healthz")
        .unwrap();
    String::from_utf8_lossy(&buf[..n]).into_owned()
}

/// Issue 12, item 7: a connection that sends half a request's headers, and one left idle after a
/// response, are closed after the header timeout rather than held open.
#[tokio::test]
async fn slow_and_idle_connections_are_closed_after_the_header_timeout() {
    let server = start_with(
        ServeOptions {
            header_timeout: Duration::from_secs(1),
            ..ServeOptions::default()
        },
        false,
    )
    .await;
    let mut slow = TcpStream::connect(server.addr).await.unwrap();
    slow.write_all(b"GET /healthz HTTP/1.1\r\nHost: loc")
        .await
        .unwrap();
    assert!(
        read_until_closed(&mut slow, Duration::from_secs(10))
            .await
            .is_some(),
        "a connection with half its headers sent is still open"
    );

    let mut idle = TcpStream::connect(server.addr).await.unwrap();
    assert!(healthz_on(&mut idle).await.starts_with("HTTP/1.1 200"));
    let rest = read_until_closed(&mut idle, Duration::from_secs(10)).await;
    assert!(
        rest.is_some(),
        "an idle keep-alive connection is still open"
    );

    let mut silent = TcpStream::connect(server.addr).await.unwrap();
    assert!(
        read_until_closed(&mut silent, Duration::from_secs(10))
            .await
            .is_some(),
        "a connection that sent nothing is still open"
    );
    // The server still serves.
    let r = reqwest::get(server.url("/healthz")).await.unwrap();
    assert_eq!(r.status(), StatusCode::OK);
}

/// Issue 12, item 7: a client that sends a body's first bytes and then pauses longer than the
/// header timeout is answered 400 rather than waited for.
#[tokio::test]
async fn a_body_paused_longer_than_the_header_timeout_is_refused() {
    let server = start_with(
        ServeOptions {
            header_timeout: Duration::from_secs(1),
            ..ServeOptions::default()
        },
        false,
    )
    .await;
    let mut slow = TcpStream::connect(server.addr).await.unwrap();
    slow.write_all(
        b"POST /api/v1/assessments HTTP/1.1\r\nHost: localhost\r\nContent-Type: application/json\r\nContent-Length: 100\r\n\r\n{\"consul",
    )
    .await
    .unwrap();
    let answer = read_until_closed(&mut slow, Duration::from_secs(10))
        .await
        .expect("a connection pausing in its body is still open");
    let answer = String::from_utf8_lossy(&answer);
    assert!(answer.starts_with("HTTP/1.1 400"), "{answer}");
}

/// Issue 12, item 7: with the limit at two connections, a third is not served until one of the
/// two closes; then it is, and `/healthz` answers again.
#[tokio::test]
async fn connections_beyond_the_limit_wait_until_one_closes() {
    let server = start_with(
        ServeOptions {
            max_connections: 2,
            header_timeout: Duration::from_secs(120),
            ..ServeOptions::default()
        },
        false,
    )
    .await;
    let mut first = TcpStream::connect(server.addr).await.unwrap();
    assert!(healthz_on(&mut first).await.starts_with("HTTP/1.1 200"));
    let mut second = TcpStream::connect(server.addr).await.unwrap();
    assert!(healthz_on(&mut second).await.starts_with("HTTP/1.1 200"));

    let mut third = TcpStream::connect(server.addr).await.unwrap();
    third
        .write_all(b"GET /healthz HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n")
        .await
        .unwrap();
    let mut buf = vec![0u8; 4096];
    let early = tokio::time::timeout(Duration::from_secs(1), third.read(&mut buf)).await;
    assert!(
        early.is_err(),
        "a third connection was served while two were open: {early:?}"
    );

    drop(first);
    let answer = read_until_closed(&mut third, Duration::from_secs(30))
        .await
        .expect("the third connection is served once the first closes");
    assert!(
        String::from_utf8_lossy(&answer).starts_with("HTTP/1.1 200"),
        "{}",
        String::from_utf8_lossy(&answer)
    );
    drop(second);
    let r = reqwest::get(server.url("/healthz")).await.unwrap();
    assert_eq!(r.status(), StatusCode::OK);
}

/// Issue 12, item 7: shutdown stops accepting, closes idle connections and returns.
#[tokio::test]
async fn shutdown_stops_accepting_and_returns() {
    let mut server = start().await;
    let mut idle = TcpStream::connect(server.addr).await.unwrap();
    assert!(healthz_on(&mut idle).await.starts_with("HTTP/1.1 200"));
    server.stop.take().unwrap().send(()).unwrap();
    let result = tokio::time::timeout(Duration::from_secs(30), &mut server.done)
        .await
        .expect("serving ends after shutdown")
        .unwrap();
    assert!(result.is_ok(), "{result:?}");
    assert!(
        read_until_closed(&mut idle, Duration::from_secs(10))
            .await
            .is_some(),
        "the idle connection is closed at shutdown"
    );
    assert!(
        reqwest::get(server.url("/healthz")).await.is_err(),
        "no new connections after shutdown"
    );
}

/// Issue 12, item 8: a NUL character in a query parameter, a path, a sign-in username (API and
/// form) or a disclosure's text is refused with 4xx naming the field — never a 500 (PostgreSQL
/// cannot store or compare text holding NUL).
#[tokio::test]
async fn nul_characters_are_refused_naming_the_field() {
    let server = start().await;
    let md = server.login("medical.director").await;

    for path in [
        "/api/v1/job-plans?consultant_id=%00",
        "/api/v1/private-practice-disclosures?consultant_id=c-surg-01%00",
        "/api/v1/awards?consultant_id=%00",
        "/api/v1/objectives?consultant_id=%00",
    ] {
        let r = md.get(server.url(path)).send().await.unwrap();
        assert_eq!(r.status(), StatusCode::BAD_REQUEST, "{path}");
        let body: Value = r.json().await.unwrap();
        assert_eq!(body["field"], "consultant_id", "{path}: {body}");
    }
    let r = md
        .get(server.url("/api/v1/consultants/c-surg-01%00/private-practice"))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::BAD_REQUEST);
    let r = md
        .get(server.url("/consultants/c-surg-01%00/timeline"))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::BAD_REQUEST);

    let r = Client::new()
        .post(server.url("/api/v1/sessions"))
        .json(&json!({ "username": "admin\u{0}", "password": "tenpa-demo" }))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let body: Value = r.json().await.unwrap();
    assert_eq!(body["field"], "username", "{body}");

    let r = md
        .post(server.url("/api/v1/private-practice-disclosures"))
        .json(&json!({ "consultant_id": "c-surg-01", "disclosed_on": "2008-02-01", "commitments": "Clinic\u{0} on Thursdays." }))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let body: Value = r.json().await.unwrap();
    assert_eq!(body["field"], "commitments", "{body}");

    let r = md
        .post(server.url("/api/v1/assessments"))
        .json(&json!({ "consultant": { "id": "c\u{0}" } }))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let body: Value = r.json().await.unwrap();
    assert_eq!(body["field"], "consultant.id", "{body}");

    // The sign-in form.
    let c = Client::builder().cookie_store(true).build().unwrap();
    let html = c
        .get(server.url("/sign-in"))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    let token = common::crawl::csrf(&html).expect("the sign-in form's token");
    let r = c
        .post(server.url("/sign-in"))
        .form(&[
            ("csrf", token.as_str()),
            ("next", "/"),
            ("username", "consultant\u{0}"),
            ("password", "tenpa-demo"),
        ])
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::BAD_REQUEST);
    assert!(r.text().await.unwrap().contains("username"));
}

/// Issue 12, item 9: a body that is not sent as JSON is refused with 415, signed in or not.
#[tokio::test]
async fn api_bodies_must_be_sent_as_json() {
    let server = start().await;
    let ms = server.login("medical.staffing").await;
    let body =
        r#"{ "consultant_id": "c-surg-01", "disclosed_on": "2008-02-01", "commitments": "None." }"#;
    for content_type in [
        None,
        Some("text/plain"),
        Some("application/x-www-form-urlencoded"),
    ] {
        let mut req = ms
            .post(server.url("/api/v1/private-practice-disclosures"))
            .body(body);
        if let Some(ct) = content_type {
            req = req.header("content-type", ct);
        }
        let r = req.send().await.unwrap();
        assert_eq!(
            r.status(),
            StatusCode::UNSUPPORTED_MEDIA_TYPE,
            "{content_type:?}"
        );
        assert_eq!(
            r.headers()["content-type"],
            "application/problem+json",
            "{content_type:?}"
        );
    }
    let r = Client::new()
        .post(server.url("/api/v1/sessions"))
        .header("content-type", "text/plain")
        .body(r#"{"username":"admin","password":"tenpa-demo"}"#)
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::UNSUPPORTED_MEDIA_TYPE);
    // JSON with parameters, and a `+json` type, are JSON.
    let r = ms
        .post(server.url("/api/v1/private-practice-disclosures"))
        .header("content-type", "application/json; charset=utf-8")
        .body(body)
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::CREATED);
    // A state change without a body needs no content type.
    let r = ms
        .delete(server.url("/api/v1/sessions"))
        .send()
        .await
        .unwrap();
    assert!(r.status().is_success(), "{}", r.status());
}

/// Issue 12, item 9: a signed-in browser's state change from another origin is refused; from
/// this service's own pages it goes through; an API token works from anywhere.
#[tokio::test]
async fn cookie_requests_from_other_origins_are_refused() {
    let server = start().await;
    let ms = server.login("medical.staffing").await;
    let body = json!({ "consultant_id": "c-surg-01", "disclosed_on": "2008-02-01", "commitments": "None." });
    let post = |origin: Option<&str>, site: Option<&str>| {
        let mut req = ms
            .post(server.url("/api/v1/private-practice-disclosures"))
            .json(&body);
        if let Some(o) = origin {
            req = req.header("origin", o);
        }
        if let Some(s) = site {
            req = req.header("sec-fetch-site", s);
        }
        req.send()
    };
    for (origin, site) in [
        (Some("https://evil.example"), None),
        (Some("https://evil.example"), Some("cross-site")),
        (None, Some("cross-site")),
        (None, Some("same-site")),
        (Some("null"), None),
        (Some(server.base.as_str()), Some("cross-site")),
    ] {
        let r = post(origin, site).await.unwrap();
        assert_eq!(r.status(), StatusCode::FORBIDDEN, "{origin:?} {site:?}");
        let problem: Value = r.json().await.unwrap();
        assert_eq!(problem["status"], 403);
    }
    // A text/plain post from another origin, the attack itself.
    let r = ms
        .post(server.url("/api/v1/private-practice-disclosures"))
        .header("origin", "https://evil.example")
        .header("sec-fetch-site", "cross-site")
        .header("content-type", "text/plain")
        .body(body.to_string())
        .send()
        .await
        .unwrap();
    assert!(r.status() == 403 || r.status() == 415, "{}", r.status());
    // Signing in from another origin is refused too.
    let r = Client::new()
        .post(server.url("/api/v1/sessions"))
        .header("origin", "https://evil.example")
        .json(&json!({ "username": "admin", "password": "tenpa-demo" }))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::FORBIDDEN);

    // Same origin, or no browser at all.
    for (origin, site) in [
        (Some(server.base.as_str()), Some("same-origin")),
        (Some(server.base.as_str()), None),
        (None, Some("same-origin")),
        (None, Some("none")),
        (None, None),
    ] {
        let r = post(origin, site).await.unwrap();
        assert_eq!(r.status(), StatusCode::CREATED, "{origin:?} {site:?}");
    }
    // Reading is not a state change.
    let r = ms
        .get(server.url("/api/v1/private-practice-disclosures"))
        .header("origin", "https://evil.example")
        .header("sec-fetch-site", "cross-site")
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::OK);

    // An API token from anywhere.
    let admin = server.login("admin").await;
    let r = admin
        .post(server.url("/api/v1/api-tokens"))
        .header("origin", server.base.as_str())
        .json(&json!({ "username": "medical.staffing", "name": "feed", "act_as": true }))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::CREATED);
    let token = r.json::<Value>().await.unwrap()["token"]
        .as_str()
        .unwrap()
        .to_string();
    let r = Client::new()
        .post(server.url("/api/v1/private-practice-disclosures"))
        .bearer_auth(&token)
        .header("origin", "https://elsewhere.example")
        .header("sec-fetch-site", "cross-site")
        .json(&body)
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::CREATED);
}

/// Issue 12, item 10: every `/api/v1` answer says `Cache-Control: no-store`; without Secure
/// cookies there is no HSTS.
#[tokio::test]
async fn api_answers_are_not_stored_and_no_hsts_without_tls() {
    let server = start().await;
    let md = server.login("medical.director").await;
    for path in [
        "/api/v1/job-plans",
        "/api/v1/me",
        "/api/v1/rules",
        "/api/v1/nowhere",
    ] {
        let r = md.get(server.url(path)).send().await.unwrap();
        assert_eq!(r.headers()["cache-control"], "no-store", "{path}");
        assert!(r.headers().get("strict-transport-security").is_none());
    }
    let r = Client::new()
        .get(server.url("/api/v1/job-plans"))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::UNAUTHORIZED);
    assert_eq!(r.headers()["cache-control"], "no-store");
}

/// Issue 12, item 10: with Secure cookies every answer carries HSTS.
#[tokio::test]
async fn hsts_when_cookies_are_secure() {
    let server = start_with(ServeOptions::default(), true).await;
    for path in [
        "/healthz",
        "/sign-in",
        "/api/v1/rules",
        "/api/openapi.json",
        "/nowhere",
    ] {
        let r = reqwest::get(server.url(path)).await.unwrap();
        assert_eq!(
            r.headers()["strict-transport-security"],
            "max-age=31536000; includeSubDomains",
            "{path}"
        );
    }
}

/// The OpenAPI document names the answers given before any handler runs.
#[tokio::test]
async fn the_openapi_document_names_415_and_403() {
    let server = start().await;
    let doc: Value = reqwest::get(server.url("/api/openapi.json"))
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    let post = &doc["paths"]["/api/v1/private-practice-disclosures"]["post"]["responses"];
    assert!(post.get("415").is_some(), "{post}");
    assert!(post.get("403").is_some(), "{post}");
    let sessions = &doc["paths"]["/api/v1/sessions"]["post"]["responses"];
    assert!(sessions.get("415").is_some(), "{sessions}");
    let get = &doc["paths"]["/api/v1/job-plans"]["get"]["responses"];
    assert!(get.get("415").is_none(), "{get}");
}

/// Source: behind a reverse proxy every connection comes from the proxy; with `--client-ip-header`
/// the sign-in limits count the client's address from the proxy's header (its last entry), so one
/// client's failures do not lock the account for another.
#[tokio::test]
async fn sign_in_limits_count_the_address_the_proxy_names() {
    let server = start_full(
        ServeOptions::default(),
        false,
        Some("x-forwarded-for".parse().unwrap()),
    )
    .await;
    let c = Client::new();
    let attempt = |client: &'static str, password: &'static str| {
        let (c, url) = (c.clone(), server.url("/api/v1/sessions"));
        async move {
            c.post(url)
                .header("x-forwarded-for", format!("203.0.113.9, {client}"))
                .json(&json!({ "username": "medical.director", "password": password }))
                .send()
                .await
                .unwrap()
                .status()
        }
    };
    for _ in 0..5 {
        assert_eq!(
            attempt("198.51.100.1", "wrong").await,
            StatusCode::UNAUTHORIZED
        );
    }
    assert_eq!(
        attempt("198.51.100.1", "tenpa-demo").await,
        StatusCode::TOO_MANY_REQUESTS
    );
    assert_eq!(attempt("198.51.100.2", "tenpa-demo").await, StatusCode::OK);
}
