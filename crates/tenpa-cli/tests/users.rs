//! A trust's first start: `tenpa init` makes the first administrator, `tenpa users` manages accounts
//! without a browser, and `tenpa serve` on a database without accounts says what to run. Each test
//! uses a fresh SQLite file, or a fresh PostgreSQL database when `TENPA_TEST_DATABASE_URL` is set.

mod common;

use reqwest::blocking::Client;
use reqwest::StatusCode;
use serde_json::{json, Value};
use std::io::Write;
use std::net::TcpListener;
use std::process::{Child, Command, Output, Stdio};
use std::time::{Duration, Instant};

const ADMIN_PASSWORD: &str = "first admin password";
const PASSWORD: &str = "a long enough password";

/// A fresh database for one test.
fn database(name: &str) -> String {
    common::database("users", name)
}

/// Runs `tenpa` with `input` on standard input.
fn tenpa_in(args: &[&str], input: &str) -> Output {
    let mut child = Command::new(env!("CARGO_BIN_EXE_tenpa"))
        .args(args)
        .current_dir(common::root())
        .env_remove("TENPA_DB")
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("run tenpa");
    // A command refusing its arguments may exit before reading: a broken pipe is no failure.
    let _ = child.stdin.take().unwrap().write_all(input.as_bytes());
    child.wait_with_output().unwrap()
}

fn stderr(o: &Output) -> String {
    String::from_utf8_lossy(&o.stderr).into_owned()
}

fn init(db: &str, admin: &str, password: &str) -> Output {
    tenpa_in(
        &["init", "--db", db, "--admin", admin, "--password-stdin"],
        &format!("{password}\n"),
    )
}

fn users(db: &str, args: &[&str], input: &str) -> Output {
    let mut all = vec!["users", args[0], "--db", db];
    all.extend_from_slice(&args[1..]);
    tenpa_in(&all, input)
}

/// A `tenpa serve` process, stopped when dropped; its standard error goes to a file.
struct Server {
    child: Child,
    base: String,
    log: std::path::PathBuf,
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

fn serve(db: &str, name: &str) -> Server {
    let port = TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port();
    let log = common::tempdir(&format!("users-log-{name}")).join(format!("serve-{port}.log"));
    let child = Command::new(env!("CARGO_BIN_EXE_tenpa"))
        .args(["serve", "--db", db, "--addr", &format!("127.0.0.1:{port}")])
        .current_dir(common::root())
        .env_remove("TENPA_DB")
        .env_remove("TENPA_ADDR")
        .stdout(Stdio::null())
        .stderr(std::fs::File::create(&log).unwrap())
        .spawn()
        .expect("start tenpa serve");
    let server = Server {
        child,
        base: format!("http://127.0.0.1:{port}"),
        log,
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

/// Signs in; the client keeps the session cookie. Returns the status and the body.
fn sign_in(base: &str, username: &str, password: &str) -> (Client, StatusCode, Value) {
    let c = Client::builder().cookie_store(true).build().unwrap();
    let r = c
        .post(format!("{base}/api/v1/sessions"))
        .json(&json!({ "username": username, "password": password }))
        .send()
        .unwrap();
    let status = r.status();
    let body = r.json().unwrap_or(Value::Null);
    (c, status, body)
}

fn me(base: &str, c: &Client) -> StatusCode {
    c.get(format!("{base}/api/v1/me")).send().unwrap().status()
}

fn list(db: &str) -> Vec<Value> {
    let o = users(db, &["list", "--format", "json"], "");
    assert!(o.status.success(), "{}", stderr(&o));
    serde_json::from_slice(&o.stdout).unwrap()
}

fn store(db: &str) -> (tokio::runtime::Runtime, tenpa_store::Store) {
    let rt = tokio::runtime::Runtime::new().unwrap();
    let s = rt.block_on(tenpa_store::Store::connect(db)).unwrap();
    (rt, s)
}

/// Source: issue brief — `tenpa serve` on an empty database says what to run; `tenpa init` makes
/// an administrator who can sign in, audited as `tenpa init`.
#[test]
fn serve_hints_then_init_makes_an_admin_who_signs_in() {
    let db = database("init");
    {
        let server = serve(&db, "init");
        let log = std::fs::read_to_string(&server.log).unwrap();
        assert!(
            log.contains("tenpa init --db") && log.contains("--admin USERNAME"),
            "no hint in: {log}"
        );
    }
    let o = init(&db, "trust.admin", ADMIN_PASSWORD);
    assert!(o.status.success(), "{}", stderr(&o));
    let out = String::from_utf8_lossy(&o.stdout);
    assert!(out.contains("sign in as trust.admin"), "{out}");

    let accounts = list(&db);
    assert_eq!(accounts.len(), 1);
    assert_eq!(accounts[0]["username"], "trust.admin");
    assert_eq!(accounts[0]["roles"], json!(["admin"]));
    assert_eq!(accounts[0]["disabled"], false);

    let (rt, s) = store(&db);
    let u = rt
        .block_on(s.user_by_username("trust.admin"))
        .unwrap()
        .unwrap();
    assert!(u.password_hash.starts_with("$argon2id$"));
    assert!(tenpa_server::auth::verify_password(
        ADMIN_PASSWORD,
        &u.password_hash
    ));
    let audit = rt
        .block_on(s.audit_for("user", &u.id.to_string(), 10))
        .unwrap();
    assert_eq!(audit.len(), 1);
    assert_eq!(audit[0].actor, "tenpa init");
    assert_eq!(audit[0].action, "create");
    assert!(!audit[0].after.as_deref().unwrap().contains("argon2"));
    drop(s);

    let server = serve(&db, "init");
    let log = std::fs::read_to_string(&server.log).unwrap();
    assert!(!log.contains("tenpa init"), "hint with an account: {log}");
    let (c, status, body) = sign_in(&server.base, "trust.admin", ADMIN_PASSWORD);
    assert_eq!(status, StatusCode::OK, "{body}");
    assert_eq!(body["username"], "trust.admin");
    assert_eq!(me(&server.base, &c), StatusCode::OK);
}

/// Source: issue brief — init is refused on a database with accounts, with a short password, and
/// with a bad username: exit 2 and a message naming what was wrong; nothing is created.
#[test]
fn init_refuses_a_database_with_accounts_a_short_password_and_a_bad_username() {
    let db = database("init-refused");
    let o = init(&db, "admin", "short");
    assert_eq!(o.status.code(), Some(2));
    assert!(stderr(&o).contains("at least 12"), "{}", stderr(&o));
    assert!(list(&db).is_empty());

    for bad in ["has space", "", &"a".repeat(201)] {
        let o = init(&db, bad, ADMIN_PASSWORD);
        assert_eq!(o.status.code(), Some(2), "{bad:?}");
        assert!(stderr(&o).contains("--admin"), "{}", stderr(&o));
    }
    assert!(list(&db).is_empty());

    let o = init(&db, "admin", ADMIN_PASSWORD);
    assert!(o.status.success(), "{}", stderr(&o));
    let o = init(&db, "another.admin", ADMIN_PASSWORD);
    assert_eq!(o.status.code(), Some(2));
    assert!(
        stderr(&o).contains("already holds 1 account"),
        "{}",
        stderr(&o)
    );
    assert_eq!(list(&db).len(), 1);
}

/// Source: issue brief — an unknown role is refused naming the valid ones; the last enabled
/// administrator cannot be disabled.
#[test]
fn unknown_roles_are_refused_and_the_last_admin_stays_enabled() {
    let db = database("roles");
    assert!(init(&db, "admin", ADMIN_PASSWORD).status.success());
    let o = users(
        &db,
        &[
            "add",
            "x",
            "--role",
            "consultant,wizard",
            "--password-stdin",
        ],
        PASSWORD,
    );
    assert_eq!(o.status.code(), Some(2));
    let e = stderr(&o);
    assert!(
        e.contains("--role") && e.contains("\"wizard\"") && e.contains("medical_staffing"),
        "{e}"
    );
    assert_eq!(list(&db).len(), 1);

    let o = users(&db, &["disable", "admin"], "");
    assert_eq!(o.status.code(), Some(2));
    assert!(
        stderr(&o).contains("last enabled administrator"),
        "{}",
        stderr(&o)
    );
    assert_eq!(list(&db)[0]["disabled"], false);

    // With a second administrator the first can be disabled; then the second cannot.
    let o = users(
        &db,
        &["add", "admin2", "--role", "admin", "--password-stdin"],
        PASSWORD,
    );
    assert!(o.status.success(), "{}", stderr(&o));
    assert!(users(&db, &["disable", "admin"], "").status.success());
    let o = users(&db, &["disable", "admin2"], "");
    assert_eq!(o.status.code(), Some(2));

    // Unknown accounts and departments are bad input too.
    let o = users(&db, &["enable", "nobody"], "");
    assert_eq!(o.status.code(), Some(2));
    let o = users(
        &db,
        &[
            "add",
            "cd",
            "--role",
            "clinical_director",
            "--department",
            "999",
            "--password-stdin",
        ],
        PASSWORD,
    );
    assert_eq!(o.status.code(), Some(2));
    assert!(stderr(&o).contains("--department"), "{}", stderr(&o));

    // An account for the identity provider has no password.
    let o = users(
        &db,
        &["add", "sso.user", "--role", "board_member", "--no-password"],
        "",
    );
    assert!(o.status.success(), "{}", stderr(&o));
    let (rt, s) = store(&db);
    let u = rt
        .block_on(s.user_by_username("sso.user"))
        .unwrap()
        .unwrap();
    assert_eq!(u.password_hash, "");
    // With the address its notifications are emailed to, checked first.
    let o = users(
        &db,
        &[
            "add",
            "mailed",
            "--role",
            "board_member",
            "--no-password",
            "--email",
            "not an address",
        ],
        "",
    );
    assert_eq!(o.status.code(), Some(2));
    assert!(stderr(&o).contains("--email: found"), "{}", stderr(&o));
    let o = users(
        &db,
        &[
            "add",
            "mailed",
            "--role",
            "board_member",
            "--no-password",
            "--email",
            "board@trust.nhs.uk",
        ],
        "",
    );
    assert!(o.status.success(), "{}", stderr(&o));
    let mailed = rt.block_on(s.user_by_username("mailed")).unwrap().unwrap();
    assert_eq!(mailed.email.as_deref(), Some("board@trust.nhs.uk"));
    let o = users(
        &db,
        &["reset-password", "sso.user", "--password-stdin"],
        PASSWORD,
    );
    assert_eq!(o.status.code(), Some(2));
    assert!(stderr(&o).contains("has no password"), "{}", stderr(&o));
}

/// Source: issue brief — add, list, disable (sign-in refused as a wrong password is, sessions and
/// API tokens stop working), enable, reset-password (sessions end, the old password stops).
#[test]
fn users_add_list_disable_enable_and_reset_password() {
    let db = database("lifecycle");
    assert!(init(&db, "admin", ADMIN_PASSWORD).status.success());
    let o = users(
        &db,
        &[
            "add",
            "m.staffing",
            "--role",
            "medical_staffing,board_member",
            "--display-name",
            "Medical Staffing",
            "--password-stdin",
        ],
        PASSWORD,
    );
    assert!(o.status.success(), "{}", stderr(&o));
    let o = users(
        &db,
        &[
            "add",
            "m.staffing",
            "--role",
            "consultant",
            "--password-stdin",
        ],
        PASSWORD,
    );
    assert_eq!(o.status.code(), Some(2), "a second account of one name");

    let accounts = list(&db);
    let m = accounts
        .iter()
        .find(|a| a["username"] == "m.staffing")
        .unwrap();
    assert_eq!(m["display_name"], "Medical Staffing");
    assert_eq!(m["roles"], json!(["medical_staffing", "board_member"]));
    assert_eq!(m["disabled"], false);
    let text = users(&db, &["list"], "");
    assert!(String::from_utf8_lossy(&text.stdout).contains("m.staffing\tMedical Staffing"));

    let server = serve(&db, "lifecycle");
    let base = &server.base;
    let (c, status, _) = sign_in(base, "m.staffing", PASSWORD);
    assert_eq!(status, StatusCode::OK);
    assert_eq!(me(base, &c), StatusCode::OK);
    let (admin, status, _) = sign_in(base, "admin", ADMIN_PASSWORD);
    assert_eq!(status, StatusCode::OK);
    let r = admin
        .post(format!("{base}/api/v1/api-tokens"))
        .json(&json!({ "username": "m.staffing", "name": "feed", "act_as": true }))
        .send()
        .unwrap();
    assert_eq!(r.status(), StatusCode::CREATED);
    let token = r.json::<Value>().unwrap()["token"]
        .as_str()
        .unwrap()
        .to_string();
    let with_token = |t: &str| {
        Client::new()
            .get(format!("{base}/api/v1/me"))
            .bearer_auth(t)
            .send()
            .unwrap()
            .status()
    };
    assert_eq!(with_token(&token), StatusCode::OK);

    // Disabled: the session ends, the token stops, and sign-in answers as for a wrong password.
    let o = users(&db, &["disable", "m.staffing"], "");
    assert!(o.status.success(), "{}", stderr(&o));
    assert_eq!(me(base, &c), StatusCode::UNAUTHORIZED);
    assert_eq!(with_token(&token), StatusCode::UNAUTHORIZED);
    let (_, status, disabled_body) = sign_in(base, "m.staffing", PASSWORD);
    assert_eq!(status, StatusCode::UNAUTHORIZED);
    let (_, status, wrong_body) = sign_in(base, "no.such.user", PASSWORD);
    assert_eq!(status, StatusCode::UNAUTHORIZED);
    assert_eq!(disabled_body, wrong_body);
    let accounts = list(&db);
    let m = accounts
        .iter()
        .find(|a| a["username"] == "m.staffing")
        .unwrap();
    assert_eq!(m["disabled"], true);
    assert!(m["disabled_at"].is_string());
    // The administrator's own session goes on; no new token is issued for the disabled account.
    assert_eq!(me(base, &admin), StatusCode::OK);
    let r = admin
        .post(format!("{base}/api/v1/api-tokens"))
        .json(&json!({ "username": "m.staffing", "name": "feed 2", "act_as": true }))
        .send()
        .unwrap();
    assert_eq!(r.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let p: Value = r.json().unwrap();
    assert!(p["detail"].as_str().unwrap().contains("disabled"), "{p}");

    // Enabled again: signs in.
    assert!(users(&db, &["enable", "m.staffing"], "").status.success());
    let (c, status, _) = sign_in(base, "m.staffing", PASSWORD);
    assert_eq!(status, StatusCode::OK);
    assert_eq!(with_token(&token), StatusCode::OK);

    // A new password: too short is refused; then the session ends and only the new one works.
    let o = users(
        &db,
        &["reset-password", "m.staffing", "--password-stdin"],
        "too short\n",
    );
    assert_eq!(o.status.code(), Some(2));
    assert_eq!(me(base, &c), StatusCode::OK);
    let o = users(
        &db,
        &["reset-password", "m.staffing", "--password-stdin"],
        "a brand new password\n",
    );
    assert!(o.status.success(), "{}", stderr(&o));
    assert_eq!(me(base, &c), StatusCode::UNAUTHORIZED);
    assert_eq!(
        sign_in(base, "m.staffing", PASSWORD).1,
        StatusCode::UNAUTHORIZED
    );
    assert_eq!(
        sign_in(base, "m.staffing", "a brand new password").1,
        StatusCode::OK
    );

    // Every change is in the audit log.
    let (rt, s) = store(&db);
    let id = rt
        .block_on(s.user_by_username("m.staffing"))
        .unwrap()
        .unwrap()
        .id;
    let actions: Vec<String> = rt
        .block_on(s.audit_for("user", &id.to_string(), 10))
        .unwrap()
        .into_iter()
        .map(|e| e.action)
        .collect();
    assert_eq!(
        actions,
        ["reset_password", "enable", "disable", "create"],
        "newest first"
    );
}

/// Source: A 9.1-9.2 (JP-1, two sides) — `tenpa users link` links an account (such as one made at
/// its first OpenID Connect sign-in, which has no link) to its department and consultant record,
/// audited with the links before and after; a consultant record has one enabled account, a second
/// link or enabling a second linked account is refused; unknown records are bad input.
#[test]
fn users_link_an_account_to_its_consultant_record_once() {
    let db = database("link");
    assert!(init(&db, "admin", ADMIN_PASSWORD).status.success());
    let (rt, s) = store(&db);
    let department = rt.block_on(async {
        let trust = s
            .create_employer("test", "A Trust", "trust", "england")
            .await
            .unwrap();
        let d = s
            .create_department("test", trust, "Surgery", "General surgery")
            .await
            .unwrap();
        s.create_consultant(
            "test",
            &tenpa_store::ConsultantRecord {
                id: "c-1".into(),
                name: "Ms Hannah Price".into(),
                department_id: d,
                first_appointed: "2010-04-01".parse().unwrap(),
                transferred: None,
                seniority_at_transfer: None,
                lead_employer_id: Some(trust),
            },
        )
        .await
        .unwrap();
        d
    });
    let department = department.to_string();
    for name in ["hp", "hp2"] {
        let o = users(
            &db,
            &[
                "add",
                name,
                "--role",
                "clinical_director,consultant",
                "--no-password",
            ],
            "",
        );
        assert!(o.status.success(), "{}", stderr(&o));
    }
    let o = users(&db, &["link", "hp"], "");
    assert_eq!(o.status.code(), Some(2), "a link needs something to link");
    let o = users(
        &db,
        &[
            "link",
            "hp",
            "--department",
            &department,
            "--consultant",
            "c-1",
        ],
        "",
    );
    assert!(o.status.success(), "{}", stderr(&o));
    let hp = list(&db)
        .into_iter()
        .find(|a| a["username"] == "hp")
        .unwrap();
    assert_eq!(hp["consultant_id"], "c-1");
    assert_eq!(hp["department_id"].to_string(), department);
    let audit = rt
        .block_on(s.audit_for("user", &account_id(&rt, &s, "hp"), 10))
        .unwrap();
    assert!(
        audit.iter().any(|e| e.action == "link"),
        "the link is audited: {audit:?}"
    );

    // A second enabled account for the same record is refused, by link and by add.
    let o = users(&db, &["link", "hp2", "--consultant", "c-1"], "");
    assert_eq!(o.status.code(), Some(2));
    assert!(stderr(&o).contains("hp"), "{}", stderr(&o));
    let o = users(
        &db,
        &[
            "add",
            "hp3",
            "--role",
            "consultant",
            "--consultant",
            "c-1",
            "--no-password",
        ],
        "",
    );
    assert_eq!(o.status.code(), Some(2));
    assert!(stderr(&o).contains("one enabled account"), "{}", stderr(&o));
    // Disabled, hp frees the record; enabled again while hp2 holds it, refused.
    assert!(users(&db, &["disable", "hp"], "").status.success());
    let o = users(&db, &["link", "hp2", "--consultant", "c-1"], "");
    assert!(o.status.success(), "{}", stderr(&o));
    let o = users(&db, &["enable", "hp"], "");
    assert_eq!(o.status.code(), Some(2));
    assert!(stderr(&o).contains("hp2"), "{}", stderr(&o));

    // Unknown records are bad input naming the option; removing a link works.
    let o = users(&db, &["link", "hp2", "--consultant", "c-9"], "");
    assert_eq!(o.status.code(), Some(2));
    assert!(stderr(&o).contains("--consultant"), "{}", stderr(&o));
    let o = users(&db, &["link", "hp2", "--department", "999"], "");
    assert_eq!(o.status.code(), Some(2));
    assert!(stderr(&o).contains("--department"), "{}", stderr(&o));
    let o = users(&db, &["link", "hp2", "--no-consultant"], "");
    assert!(o.status.success(), "{}", stderr(&o));
    let hp2 = list(&db)
        .into_iter()
        .find(|a| a["username"] == "hp2")
        .unwrap();
    assert_eq!(hp2["consultant_id"], Value::Null);
}

/// The id of account `username`, as the audit log names it.
fn account_id(rt: &tokio::runtime::Runtime, s: &tenpa_store::Store, username: &str) -> String {
    rt.block_on(s.account(username))
        .unwrap()
        .expect("the account")
        .user
        .id
        .to_string()
}
