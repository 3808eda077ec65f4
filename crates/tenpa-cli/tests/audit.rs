//! `tenpa audit checkpoint` and `tenpa audit verify`: a checkpoint keyed with the audit key finds
//! truncation and a rewritten, re-chained log that the chain alone accepts; a checkpoint made with
//! another key is refused; a stored pay figure that differs from its document is named. On a
//! SQLite file, and on a fresh PostgreSQL database when `TENPA_TEST_DATABASE_URL` is set.

mod common;

use sqlx::Connection;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};
use std::sync::Arc;
use tenpa_store::{AuditEntry, Checkpoint, Store};

const KEY: &str = "0123456789abcdef0123456789abcdef-test-audit-key";

struct Db {
    url: String,
    dir: PathBuf,
    rt: tokio::runtime::Runtime,
}

/// A fresh database holding the demo trust, and a scratch directory holding the key file.
fn demo(name: &str) -> Db {
    let rt = tokio::runtime::Runtime::new().unwrap();
    let dir = common::tempdir(&format!("audit-{name}"));
    let url = match std::env::var("TENPA_TEST_DATABASE_URL") {
        Ok(base) if !base.is_empty() => {
            let db = format!(
                "tenpa_t_audit_{}_{}_{name}",
                std::process::id(),
                std::time::SystemTime::now()
                    .duration_since(std::time::UNIX_EPOCH)
                    .unwrap()
                    .subsec_nanos()
            );
            rt.block_on(async {
                let mut conn = sqlx::PgConnection::connect(&base).await.unwrap();
                sqlx::query(&format!("CREATE DATABASE {db}"))
                    .execute(&mut conn)
                    .await
                    .unwrap();
            });
            let (prefix, _) = base.rsplit_once('/').unwrap();
            format!("{prefix}/{db}")
        }
        _ => {
            let _ = std::fs::remove_file(dir.join("tenpa.db"));
            format!("sqlite://{}", dir.join("tenpa.db").display())
        }
    };
    rt.block_on(async {
        let store = Arc::new(Store::connect(&url).await.unwrap());
        let params = Arc::new(tenpa_rules::Parameters::embedded().clone());
        tenpa_server::demo::load(&store, &params).await.unwrap();
    });
    std::fs::write(dir.join("audit.key"), format!("{KEY}\n")).unwrap();
    Db { url, dir, rt }
}

impl Db {
    fn key_file(&self) -> String {
        self.dir.join("audit.key").display().to_string()
    }

    fn path(&self, name: &str) -> String {
        self.dir.join(name).display().to_string()
    }

    /// Runs `tenpa audit …` on the database, with no audit settings from the environment.
    fn audit(&self, args: &[&str]) -> Output {
        Command::new(env!("CARGO_BIN_EXE_tenpa"))
            .arg("audit")
            .args(args)
            .args(["--db", &self.url])
            .env_remove("TENPA_AUDIT_KEY")
            .env_remove("TENPA_AUDIT_KEY_FILE")
            .env_remove("TENPA_PARAMETERS")
            .env_remove("TENPA_DB")
            .output()
            .expect("run tenpa")
    }

    fn checkpoint(&self, file: &str) -> String {
        let path = self.path(file);
        let out = self.audit(&[
            "checkpoint",
            "-o",
            &path,
            "--audit-key-file",
            &self.key_file(),
        ]);
        assert_eq!(out.status.code(), Some(0), "{}", text(&out));
        path
    }

    fn verify(&self, checkpoint: Option<&str>) -> Output {
        match checkpoint {
            Some(cp) => self.audit(&[
                "verify",
                "--checkpoint",
                cp,
                "--audit-key-file",
                &self.key_file(),
            ]),
            None => self.audit(&["verify"]),
        }
    }

    /// Runs SQL statements as someone with write access to the database would.
    fn sql(&self, statements: &[String]) {
        self.rt.block_on(async {
            if self.url.starts_with("postgres") {
                let mut c = sqlx::PgConnection::connect(&self.url).await.unwrap();
                for s in statements {
                    sqlx::query(s).execute(&mut c).await.unwrap();
                }
            } else {
                let mut c = sqlx::SqliteConnection::connect(&self.url).await.unwrap();
                for s in statements {
                    sqlx::query(s).execute(&mut c).await.unwrap();
                }
            }
        });
    }

    fn entries(&self) -> Vec<AuditEntry> {
        type Row = (
            i64,
            String,
            String,
            String,
            String,
            String,
            Option<String>,
            Option<String>,
            String,
            String,
        );
        const Q: &str = "SELECT id, at, actor, action, entity, entity_id, before_state, after_state, prev_hash, hash FROM audit_log ORDER BY id";
        let rows: Vec<Row> = self.rt.block_on(async {
            if self.url.starts_with("postgres") {
                let mut c = sqlx::PgConnection::connect(&self.url).await.unwrap();
                sqlx::query_as(Q).fetch_all(&mut c).await.unwrap()
            } else {
                let mut c = sqlx::SqliteConnection::connect(&self.url).await.unwrap();
                sqlx::query_as(Q).fetch_all(&mut c).await.unwrap()
            }
        });
        rows.into_iter()
            .map(|r| AuditEntry {
                id: r.0,
                at: r.1,
                actor: r.2,
                action: r.3,
                entity: r.4,
                entity_id: r.5,
                before: r.6,
                after: r.7,
                prev_hash: r.8,
                hash: r.9,
            })
            .collect()
    }
}

fn text(out: &Output) -> String {
    format!(
        "{}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    )
}

fn quote(s: &str) -> String {
    format!("'{}'", s.replace('\'', "''"))
}

#[test]
fn an_untampered_database_verifies_with_its_checkpoint() {
    let db = demo("intact");
    let cp = db.checkpoint("head.json");
    let out = db.verify(Some(&cp));
    let t = text(&out);
    assert_eq!(out.status.code(), Some(0), "{t}");
    assert!(t.contains("audit log intact"), "{t}");
    assert!(t.contains("checkpoint of"), "{t}");
    assert!(t.contains("stored pay matches the documents"), "{t}");
    // Without a checkpoint the chain and the figures are checked alone.
    assert_eq!(db.verify(None).status.code(), Some(0));
}

#[test]
fn a_checkpoint_needs_a_key_and_a_readable_file() {
    let db = demo("config");
    let out = db.audit(&["checkpoint", "-o", &db.path("cp.json")]);
    assert_eq!(out.status.code(), Some(2), "{}", text(&out));
    assert!(text(&out).contains("no audit key"), "{}", text(&out));
    assert!(!Path::new(&db.path("cp.json")).exists());
    let short = db.path("short.key");
    std::fs::write(&short, "too short").unwrap();
    let out = db.audit(&[
        "checkpoint",
        "-o",
        &db.path("cp.json"),
        "--audit-key-file",
        &short,
    ]);
    assert_eq!(out.status.code(), Some(2), "{}", text(&out));
    assert!(text(&out).contains("at least 32"), "{}", text(&out));
    // A checkpoint given to verify without a key, or one that cannot be read: 2.
    let cp = db.checkpoint("cp.json");
    let out = db.audit(&["verify", "--checkpoint", &cp]);
    assert_eq!(out.status.code(), Some(2), "{}", text(&out));
    std::fs::write(db.path("bad.json"), "not a checkpoint").unwrap();
    let out = db.verify(Some(&db.path("bad.json")));
    assert_eq!(out.status.code(), Some(2), "{}", text(&out));
    let out = db.verify(Some(&db.path("absent.json")));
    assert_eq!(out.status.code(), Some(2), "{}", text(&out));
}

#[test]
fn removing_the_newest_entries_and_the_head_fails_against_a_checkpoint() {
    let db = demo("truncate");
    let cp = db.checkpoint("head.json");
    let n = db.entries().len() as i64;
    let keep = n - 3;
    db.sql(&[
        format!("DELETE FROM audit_log WHERE id > {keep}"),
        format!("UPDATE audit_head SET seq = {keep}, hash = (SELECT hash FROM audit_log WHERE id = {keep}) WHERE id = 1"),
    ]);
    // The chain alone cannot tell.
    assert_eq!(db.verify(None).status.code(), Some(0));
    let out = db.verify(Some(&cp));
    let t = text(&out);
    assert_eq!(out.status.code(), Some(1), "{t}");
    assert!(
        t.contains(&format!("entry {n}")) && t.contains("missing"),
        "{t}"
    );
}

#[test]
fn a_rewritten_and_rechained_log_fails_against_a_checkpoint() {
    let db = demo("rewrite");
    let cp = db.checkpoint("head.json");
    let mut entries = db.entries();
    let mut statements = vec![];
    let mut prev = entries[4].prev_hash.clone();
    for e in entries.iter_mut().skip(4) {
        if e.id == 5 {
            e.actor = "someone.else".into();
        }
        e.prev_hash = prev.clone();
        e.hash = e.expected_hash();
        prev = e.hash.clone();
        statements.push(format!(
            "UPDATE audit_log SET actor = {}, prev_hash = {}, hash = {} WHERE id = {}",
            quote(&e.actor),
            quote(&e.prev_hash),
            quote(&e.hash),
            e.id
        ));
    }
    statements.push(format!(
        "UPDATE audit_head SET hash = {} WHERE id = 1",
        quote(&prev)
    ));
    db.sql(&statements);
    assert_eq!(db.verify(None).status.code(), Some(0));
    let out = db.verify(Some(&cp));
    let t = text(&out);
    assert_eq!(out.status.code(), Some(1), "{t}");
    assert!(t.contains("rewritten"), "{t}");
}

#[test]
fn a_checkpoint_made_without_the_key_is_refused() {
    let db = demo("forged");
    let real = db.checkpoint("head.json");
    // Truncate, then forge a checkpoint of the shortened head with a guessed key.
    let n = db.entries().len() as i64;
    db.sql(&[
        format!("DELETE FROM audit_log WHERE id > {}", n - 2),
        format!("UPDATE audit_head SET seq = {0}, hash = (SELECT hash FROM audit_log WHERE id = {0}) WHERE id = 1", n - 2),
    ]);
    let e = db.entries().pop().unwrap();
    let forged = Checkpoint::new(b"a guessed key of thirty-two bytes!!", e.id, &e.hash, &e.at);
    let path = db.path("forged.json");
    std::fs::write(&path, serde_json::to_string(&forged).unwrap()).unwrap();
    let out = db.verify(Some(&path));
    let t = text(&out);
    assert_eq!(out.status.code(), Some(1), "{t}");
    assert!(t.contains("HMAC"), "{t}");
    // Editing the real checkpoint's position breaks its HMAC as well.
    let mut edited: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(&real).unwrap()).unwrap();
    edited["seq"] = serde_json::json!(e.id);
    edited["hash"] = serde_json::json!(e.hash);
    edited["at"] = serde_json::json!(e.at);
    std::fs::write(&real, edited.to_string()).unwrap();
    let out = db.verify(Some(&real));
    assert_eq!(out.status.code(), Some(1), "{}", text(&out));
    assert!(text(&out).contains("HMAC"));
}

#[test]
fn a_tampered_stored_total_is_named_by_plan_and_version() {
    let db = demo("figures");
    db.sql(&["UPDATE job_plan_versions SET total_pay_pence = total_pay_pence + 100000 WHERE job_plan_id = 2 AND version = 1".to_string()]);
    let out = db.verify(None);
    let t = text(&out);
    assert_eq!(out.status.code(), Some(1), "{t}");
    assert!(t.contains("job plan 2 version 1: stored total pay"), "{t}");
}
