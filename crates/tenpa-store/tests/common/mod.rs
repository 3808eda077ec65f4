//! What the store's tests share: a new database of their own, with one employer and department.

use tenpa_store::Store;

/// A unique suffix for a test's database: the test's name (letters, digits and underscores, at most
/// 16), the process and the time.
fn suffix(name: &str) -> String {
    let nanos = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .unwrap()
        .as_nanos();
    let name: String = name
        .chars()
        .take(16)
        .map(|c| if c.is_ascii_alphanumeric() { c } else { '_' })
        .collect();
    format!("{name}_{}_{nanos}", std::process::id())
}

/// The URL of a new, empty database: on the PostgreSQL server `TENPA_TEST_DATABASE_URL` names when
/// it is set (a database of its own there, named like the server tests' so that `scripts/test-postgres`
/// drops it on its next run), otherwise a new SQLite file.
async fn fresh_url(name: &str) -> String {
    match std::env::var("TENPA_TEST_DATABASE_URL") {
        Ok(url) if !url.is_empty() => {
            use sqlx::Connection;
            let db = format!("tenpa_t_store_{}", suffix(name));
            let mut conn = sqlx::PgConnection::connect(&url)
                .await
                .expect("connect to TENPA_TEST_DATABASE_URL");
            sqlx::query(&format!("CREATE DATABASE {db}"))
                .execute(&mut conn)
                .await
                .expect("create a test database");
            let (base, _) = url.rsplit_once('/').expect("a URL with a database name");
            format!("{base}/{db}")
        }
        _ => {
            let path = std::env::temp_dir().join(format!("tenpa-store-{}.db", suffix(name)));
            path.display().to_string()
        }
    }
}

/// A store on a new database of its own, with one employer and one department (its id returned).
#[allow(dead_code)]
pub async fn fresh(name: &str) -> (Store, i64) {
    let (store, department, _) = fresh_at(name).await;
    (store, department)
}

/// [`fresh`], with the database's URL (for a test that changes a row behind the store's back).
pub async fn fresh_at(name: &str) -> (Store, i64, String) {
    let url = fresh_url(name).await;
    let store = Store::connect(&url).await.unwrap();
    let employer = store
        .create_employer("test", "Northgate", "trust", "england")
        .await
        .unwrap();
    let department = store
        .create_department("test", employer, "Surgery", "general surgery")
        .await
        .unwrap();
    (store, department, url)
}

/// Runs one statement on the database at `url` directly, as a damaged or hand-edited row would
/// come about. Not every test file uses it.
#[allow(dead_code)]
pub async fn execute(url: &str, sql: &str) {
    use sqlx::Connection;
    if url.starts_with("postgres") {
        let mut conn = sqlx::PgConnection::connect(url).await.unwrap();
        sqlx::query(sql).execute(&mut conn).await.unwrap();
    } else {
        let mut conn = sqlx::SqliteConnection::connect(&format!("sqlite://{url}"))
            .await
            .unwrap();
        sqlx::query(sql).execute(&mut conn).await.unwrap();
    }
}
