//! What the command-line tests share: running the built `tenpa` from the repository root, listing
//! example files, scratch directories and databases, and a trust of one consultant.
#![allow(dead_code)]

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

/// The repository root.
pub fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../..")
}

/// Runs the built `tenpa` in the repository root, without the environment defaults of its options.
pub fn tenpa(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_tenpa"))
        .args(args)
        .current_dir(root())
        .env_remove("TENPA_ON")
        .env_remove("TENPA_FORMAT")
        .env_remove("TENPA_PARAMETERS")
        .output()
        .expect("run tenpa")
}

/// The `.toml` file names in a directory under the root, sorted.
pub fn toml_files(dir: &str) -> Vec<String> {
    let mut v: Vec<String> = std::fs::read_dir(root().join(dir))
        .unwrap_or_else(|e| panic!("{dir}: {e}"))
        .filter_map(|e| e.ok())
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .filter(|n| n.ends_with(".toml"))
        .collect();
    v.sort();
    v
}

/// A fresh scratch directory for one test.
pub fn tempdir(name: &str) -> PathBuf {
    let d = std::env::temp_dir().join(format!("tenpa-cli-{}-{name}", std::process::id()));
    std::fs::create_dir_all(&d).unwrap();
    d
}

/// A fresh database for one test: a SQLite file, or a fresh PostgreSQL database when
/// `TENPA_TEST_DATABASE_URL` is set.
pub fn database(prefix: &str, name: &str) -> String {
    match std::env::var("TENPA_TEST_DATABASE_URL") {
        Ok(url) if !url.is_empty() => {
            use sqlx::Connection;
            let db = format!(
                "tenpa_t_{prefix}_{name}_{}_{}",
                std::process::id(),
                std::time::SystemTime::now()
                    .duration_since(std::time::UNIX_EPOCH)
                    .unwrap()
                    .subsec_nanos()
            )
            .replace('-', "_");
            let rt = tokio::runtime::Runtime::new().unwrap();
            rt.block_on(async {
                let mut conn = sqlx::PgConnection::connect(&url).await.expect("connect");
                sqlx::query(&format!("CREATE DATABASE {db}"))
                    .execute(&mut conn)
                    .await
                    .expect("create a test database");
            });
            let (base, _) = url.rsplit_once('/').expect("URL with a database name");
            format!("{base}/{db}")
        }
        _ => {
            let dir = tempdir(&format!("{prefix}-{name}"));
            let file = dir.join("tenpa.db");
            let _ = std::fs::remove_file(&file);
            format!("sqlite://{}", file.display())
        }
    }
}

/// A trust just set up on `store`: its employer, the Surgery department and one consultant,
/// `c-1` (Dr One, first appointed on 4 January 2010), with no account and no plan. Answers the
/// department's id.
pub async fn trust_of_one(store: &tenpa_store::Store) -> i64 {
    let trust = store
        .create_employer("test", "Trust", "trust", "england")
        .await
        .unwrap();
    let surgery = store
        .create_department("test", trust, "Surgery", "General surgery")
        .await
        .unwrap();
    store
        .create_consultant(
            "test",
            &tenpa_store::ConsultantRecord {
                id: "c-1".into(),
                name: "Dr One".into(),
                department_id: surgery,
                first_appointed: chrono::NaiveDate::from_ymd_opt(2010, 1, 4).unwrap(),
                transferred: None,
                seniority_at_transfer: None,
                lead_employer_id: None,
            },
        )
        .await
        .unwrap();
    surgery
}
