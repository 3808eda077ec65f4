//! What the server tests share: a fresh database for each test, and a crawler of the web pages.

#[allow(dead_code)]
pub mod crawl;

/// A suffix that no other test in this process has used.
pub fn rand_suffix() -> String {
    use std::sync::atomic::{AtomicU64, Ordering};
    static N: AtomicU64 = AtomicU64::new(0);
    let t = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .unwrap()
        .subsec_nanos();
    format!("{t}_{}", N.fetch_add(1, Ordering::Relaxed))
}

/// A fresh PostgreSQL database (named `tenpa_t_…`, which `scripts/test-postgres` drops before the
/// next run) when `TENPA_TEST_DATABASE_URL` is set; otherwise a fresh SQLite file.
pub async fn fresh_db_url() -> String {
    match std::env::var("TENPA_TEST_DATABASE_URL") {
        Ok(url) if !url.is_empty() => {
            use sqlx::Connection;
            let name = format!("tenpa_t_{}_{}", std::process::id(), rand_suffix());
            let mut conn = sqlx::PgConnection::connect(&url)
                .await
                .expect("connect to TENPA_TEST_DATABASE_URL");
            sqlx::query(&format!("CREATE DATABASE {name}"))
                .execute(&mut conn)
                .await
                .expect("create a test database");
            let (base, _) = url.rsplit_once('/').expect("URL with a database name");
            format!("{base}/{name}")
        }
        _ => {
            let dir = std::env::temp_dir().join(format!(
                "tenpa-server-{}-{}",
                std::process::id(),
                rand_suffix()
            ));
            std::fs::create_dir_all(&dir).unwrap();
            format!("sqlite://{}", dir.join("tenpa.db").display())
        }
    }
}
