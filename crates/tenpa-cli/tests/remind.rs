//! `tenpa remind`: gives the reminders due on a day, each once: a trust set up from nothing, one
//! consultant with an account and an address, not yet signed off in a round whose deadline is ten
//! days away. On a SQLite file, and on a fresh PostgreSQL database when `TENPA_TEST_DATABASE_URL`
//! is set.

mod common;

use std::process::Command;
use tenpa_store::Store;

fn remind(url: &str, on: &str) -> String {
    let out = Command::new(env!("CARGO_BIN_EXE_tenpa"))
        .args(["remind", "--db", url, "--on", on])
        .env_remove("TENPA_PARAMETERS")
        .env_remove("TENPA_DB")
        .output()
        .expect("run tenpa");
    let text = String::from_utf8_lossy(&out.stdout).to_string();
    assert!(
        out.status.success(),
        "{text}{}",
        String::from_utf8_lossy(&out.stderr)
    );
    text
}

#[test]
fn remind_gives_each_reminder_once() {
    let url = common::database("remind", "once");
    let rt = tokio::runtime::Runtime::new().unwrap();
    let day = |s: &str| chrono::NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap();
    let store = rt.block_on(async {
        let store = Store::connect(&url).await.unwrap();
        let surgery = common::trust_of_one(&store).await;
        store
            .create_user(
                "test",
                &tenpa_store::NewUser {
                    username: "one".into(),
                    display_name: "Dr One".into(),
                    password_hash: String::new(),
                    roles: vec![tenpa_rules::job_planning::Role::Consultant],
                    department_id: Some(surgery),
                    consultant_id: Some("c-1".into()),
                    email: Some("one@trust.nhs.uk".into()),
                },
            )
            .await
            .unwrap();
        store
            .create_round(
                "test",
                "Job planning 2027/28",
                day("2027-03-01"),
                &[(surgery, day("2027-03-15"))],
            )
            .await
            .unwrap();
        store
    });

    // Too early: nothing. Ten days ahead: the consultant is reminded, once.
    assert!(
        remind(&url, "2027-02-27").starts_with("reminders of 2027-02-27: 0 of a round's deadline"),
        "before the window"
    );
    let first = remind(&url, "2027-03-05");
    assert!(
        first.starts_with("reminders of 2027-03-05: 1 of a round's deadline"),
        "{first}"
    );
    let again = remind(&url, "2027-03-06");
    assert!(again.contains(": 0 of a round's deadline"), "{again}");
    let (told, outbox) = rt.block_on(async {
        (
            store.notifications("one").await.unwrap(),
            store.outbox(10).await.unwrap(),
        )
    });
    assert_eq!(told.len(), 1);
    assert_eq!(told[0].kind, "round_deadline");
    assert!(
        told[0]
            .message
            .contains("closes for Surgery on Monday 15 March 2027 (in 10 days)"),
        "{}",
        told[0].message
    );
    assert_eq!(outbox.len(), 1, "an email, for the server to send");
    assert_eq!(outbox[0].to_address, "one@trust.nhs.uk");
}
