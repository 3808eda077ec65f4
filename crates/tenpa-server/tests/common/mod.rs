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

/// The username of the medical director linked to their own consultant record, `c-surg-03`, that
/// [`add_own_md_account`] adds to the demo trust (JP-1, two sides).
#[allow(dead_code)]
pub const OWN_MD: &str = "md.own";

/// Adds to the demo trust on `db` a medical director who is also a consultant, linked to their own
/// record `c-surg-03` (password `tenpa-demo`), and returns the store.
#[allow(dead_code)]
pub async fn add_own_md_account(db: &str) -> tenpa_store::Store {
    use tenpa_rules::job_planning::Role;
    let store = tenpa_store::Store::connect(db).await.expect("store");
    store
        .create_user(
            "test",
            &tenpa_store::NewUser {
                username: OWN_MD.into(),
                display_name: "Dr Own Plan".into(),
                password_hash: tenpa_server::auth::hash_password("tenpa-demo"),
                roles: vec![Role::MedicalDirector, Role::Consultant],
                department_id: None,
                consultant_id: Some("c-surg-03".into()),
                email: None,
            },
        )
        .await
        .expect("an account for the medical director's own record");
    store
}
