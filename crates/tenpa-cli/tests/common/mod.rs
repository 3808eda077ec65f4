//! What the command-line tests share: running the built `tenpa` from the repository root, listing
//! example files, and scratch directories.
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
