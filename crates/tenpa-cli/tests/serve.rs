//! Two `tenpa serve` processes on one database — a SQLite file, or a fresh PostgreSQL database when
//! `TENPA_TEST_DATABASE_URL` is set — share sessions and see each other's writes, as several
//! processes behind a load balancer must.

mod common;

use reqwest::blocking::Client;
use reqwest::StatusCode;
use serde_json::{json, Value};
use std::net::TcpListener;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

/// A `tenpa serve` process, stopped when dropped.
struct Server {
    child: Child,
    base: String,
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

fn free_port() -> u16 {
    TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port()
}

fn serve(db: &str, demo: bool) -> Server {
    serve_with(db, demo, &[])
}

/// `tenpa serve` with `extra` options.
fn serve_with(db: &str, demo: bool, extra: &[&str]) -> Server {
    let port = free_port();
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_tenpa"));
    cmd.args(["serve", "--db", db, "--addr", &format!("127.0.0.1:{port}")])
        .args(extra)
        .current_dir(common::root())
        .env_remove("TENPA_DB")
        .env_remove("TENPA_ADDR")
        .stdout(Stdio::null())
        .stderr(Stdio::null());
    if demo {
        cmd.arg("--demo");
    }
    let child = cmd.spawn().expect("start tenpa serve");
    let server = Server {
        child,
        base: format!("http://127.0.0.1:{port}"),
    };
    let started = Instant::now();
    loop {
        if let Ok(r) = Client::new().get(format!("{}/healthz", server.base)).send() {
            if r.status() == StatusCode::OK {
                return server;
            }
        }
        assert!(
            started.elapsed() < Duration::from_secs(120),
            "tenpa serve did not answer on {}",
            server.base
        );
        std::thread::sleep(Duration::from_millis(100));
    }
}

fn database() -> String {
    database_named("serve-two")
}

/// A fresh database: PostgreSQL when `TENPA_TEST_DATABASE_URL` is set, else a SQLite file in a
/// directory named for `name`.
fn database_named(name: &str) -> String {
    match std::env::var("TENPA_TEST_DATABASE_URL") {
        Ok(url) if !url.is_empty() => {
            use sqlx::Connection;
            let name = format!(
                "tenpa_t_serve_{}_{}",
                std::process::id(),
                std::time::SystemTime::now()
                    .duration_since(std::time::UNIX_EPOCH)
                    .unwrap()
                    .subsec_nanos()
            );
            let rt = tokio::runtime::Runtime::new().unwrap();
            rt.block_on(async {
                let mut conn = sqlx::PgConnection::connect(&url).await.expect("connect");
                sqlx::query(&format!("CREATE DATABASE {name}"))
                    .execute(&mut conn)
                    .await
                    .expect("create a test database");
            });
            let (base, _) = url.rsplit_once('/').expect("URL with a database name");
            eprintln!("running against PostgreSQL");
            format!("{base}/{name}")
        }
        _ => {
            eprintln!("TENPA_TEST_DATABASE_URL not set: running on a SQLite file shared by both processes");
            let dir = common::tempdir(name);
            format!("sqlite://{}", dir.join("tenpa.db").display())
        }
    }
}

fn signed_in(base: &str, username: &str) -> Client {
    let c = Client::builder().cookie_store(true).build().unwrap();
    let r = c
        .post(format!("{base}/api/v1/sessions"))
        .json(&json!({ "username": username, "password": "tenpa-demo" }))
        .send()
        .unwrap();
    assert_eq!(r.status(), StatusCode::OK, "sign in as {username}");
    c
}

/// Source: issue brief — several `tenpa serve` processes share one database.
#[test]
fn two_server_processes_share_sessions_and_writes() {
    let db = database();
    let a = serve(&db, true);
    let b = serve(&db, false);

    // A session made on A is good on B.
    let c = signed_in(&a.base, "medical.staffing");
    let me: Value = c
        .get(format!("{}/api/v1/me", b.base))
        .send()
        .unwrap()
        .json()
        .unwrap();
    assert_eq!(me["username"], "medical.staffing");

    // A plan written through B is read through A.
    let text =
        std::fs::read_to_string(common::root().join("examples/surgeon-1-in-4.toml")).unwrap();
    let mut doc: Value =
        serde_json::to_value(toml::from_str::<toml::Value>(&text).unwrap()).unwrap();
    doc["consultant"]["id"] = json!("c-surg-03");
    let r = c
        .post(format!("{}/api/v1/job-plans", b.base))
        .json(&json!({ "document": doc, "note": "written through B" }))
        .send()
        .unwrap();
    assert_eq!(r.status(), StatusCode::CREATED);
    let id = r.json::<Value>().unwrap()["id"].as_i64().unwrap();
    let on_a: Value = c
        .get(format!("{}/api/v1/job-plans/{id}", a.base))
        .send()
        .unwrap()
        .json()
        .unwrap();
    assert_eq!(on_a["consultant_id"], "c-surg-03");
    assert_eq!(on_a["version"], 1);

    // Signing out on B ends the session on A too.
    let r = c
        .delete(format!("{}/api/v1/sessions", b.base))
        .send()
        .unwrap();
    assert_eq!(r.status(), StatusCode::NO_CONTENT);
    let r = c.get(format!("{}/api/v1/me", a.base)).send().unwrap();
    assert_eq!(r.status(), StatusCode::UNAUTHORIZED);
}

/// Issue 12, item 7: `--header-timeout` reaches the server: a connection that sends nothing is
/// closed after it; and `SIGTERM` stops the server, which exits 0.
#[cfg(unix)]
#[test]
fn the_header_timeout_closes_silent_connections_and_sigterm_stops_the_server() {
    use std::io::Read;
    let db = database_named("serve-sigterm");
    let mut server = serve_with(
        &db,
        false,
        &[
            "--header-timeout",
            "1",
            "--max-connections",
            "8",
            "--shutdown-timeout",
            "5",
        ],
    );
    let addr = server.base.trim_start_matches("http://").to_string();
    let mut silent = std::net::TcpStream::connect(&addr).unwrap();
    silent
        .set_read_timeout(Some(Duration::from_secs(10)))
        .unwrap();
    let mut got = Vec::new();
    let read = silent.read_to_end(&mut got);
    assert!(
        read.is_ok()
            || read
                .as_ref()
                .is_err_and(|e| e.kind() == std::io::ErrorKind::ConnectionReset),
        "a silent connection is still open after the header timeout: {read:?}"
    );

    let status = Command::new("kill")
        .args(["-TERM", &server.child.id().to_string()])
        .status()
        .expect("run kill");
    assert!(status.success());
    let started = Instant::now();
    let exit = loop {
        if let Some(exit) = server.child.try_wait().unwrap() {
            break exit;
        }
        assert!(
            started.elapsed() < Duration::from_secs(30),
            "tenpa serve is still running after SIGTERM"
        );
        std::thread::sleep(Duration::from_millis(50));
    };
    assert!(exit.success(), "{exit:?}");
}

/// Issue 12, item 7: with few file descriptors (`ulimit -n 96`) and 200 connections held open
/// sending nothing, the server still answers `/healthz`: silent connections are closed after the
/// header timeout, and running out of descriptors is retried rather than ending the server.
#[cfg(unix)]
#[test]
fn the_server_keeps_answering_when_silent_connections_exhaust_its_descriptors() {
    let db = database_named("serve-emfile");
    let port = free_port();
    let child = Command::new("sh")
        .args([
            "-c",
            "ulimit -n 96 && exec \"$0\" \"$@\"",
            env!("CARGO_BIN_EXE_tenpa"),
            "serve",
            "--db",
            &db,
            "--addr",
            &format!("127.0.0.1:{port}"),
            "--header-timeout",
            "1",
        ])
        .current_dir(common::root())
        .env_remove("TENPA_DB")
        .env_remove("TENPA_ADDR")
        .env_remove("TENPA_MAX_CONNECTIONS")
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .expect("start tenpa serve");
    let mut server = Server {
        child,
        base: format!("http://127.0.0.1:{port}"),
    };
    let healthz = |within: Duration| {
        let started = Instant::now();
        loop {
            let answer = Client::builder()
                .timeout(Duration::from_secs(5))
                .build()
                .unwrap()
                .get(format!("{}/healthz", server.base))
                .send();
            if answer.is_ok_and(|r| r.status() == StatusCode::OK) {
                return true;
            }
            if started.elapsed() > within {
                return false;
            }
            std::thread::sleep(Duration::from_millis(100));
        }
    };
    assert!(
        healthz(Duration::from_secs(120)),
        "tenpa serve did not start"
    );

    let held: Vec<std::net::TcpStream> = (0..200)
        .filter_map(|_| std::net::TcpStream::connect(("127.0.0.1", port)).ok())
        .collect();
    assert!(held.len() > 96, "only {} connections opened", held.len());
    assert!(
        healthz(Duration::from_secs(60)),
        "/healthz does not answer while silent connections are held"
    );
    assert!(
        server.child.try_wait().unwrap().is_none(),
        "tenpa serve ended"
    );
    drop(held);
}
