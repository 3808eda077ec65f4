//! Notifications by email: each person's address, the outbox, sending through an SMTP sink the
//! test starts (retried after a refusal), and reminders given once.

use super::*;
use crate::smtp;
use tenpa_server::mail::{self, MailConfig, Mailer, Tls};

const PUBLIC_URL: &str = "http://tenpa.test";

fn mailer(sink: &smtp::Sink) -> Mailer {
    Mailer::new(&MailConfig {
        host: "127.0.0.1".into(),
        port: sink.port,
        tls: Tls::None,
        credentials: None,
        from: "Tenpa <tenpa@trust.test>".into(),
        public_url: PUBLIC_URL.into(),
    })
    .unwrap()
}

/// A plan for `c-surg-01` made and proposed by the clinical director: the consultant is told.
async fn propose_to_the_consultant(app: &TestApp) -> i64 {
    let cd = app.login("clinical.director").await;
    let (s, plan) = post_json(
        &cd,
        app,
        "/api/v1/job-plans",
        json!({ "document": surgeon_document("c-surg-01") }),
    )
    .await;
    assert_eq!(s, 201, "{plan}");
    let id = plan["id"].as_i64().unwrap();
    step(&cd, app, id, 1, "propose").await;
    id
}

/// A workflow step's notification is emailed to an address the person gave; the sink refuses it
/// once, the outbox keeps it with the reason and sends it on the next try; the email is plain
/// text with the link to the plan.
#[tokio::test]
async fn a_notification_is_emailed_and_retried_after_a_refusal() {
    let app = spawn_app().await;
    let consultant = app.login("consultant").await;
    let cd = app.login("clinical.director").await;
    let admin = app.login("admin").await;

    // Each sets their own address; a bad one is refused, naming the field.
    let (s, e) = put_json(
        &consultant,
        &app,
        "/api/v1/notifications/settings",
        json!({ "email": "not an address" }),
    )
    .await;
    assert_eq!((s, &e["field"]), (422, &json!("email")), "{e}");
    let (s, settings) = put_json(
        &consultant,
        &app,
        "/api/v1/notifications/settings",
        json!({ "email": " sam.consultant@trust.test " }),
    )
    .await;
    assert_eq!(s, 200, "{settings}");
    assert_eq!(settings["email"], "sam.consultant@trust.test");
    assert_eq!(
        settings["email_sending"], false,
        "the test server has no SMTP"
    );
    let (_, settings) = get_json(&consultant, &app, "/api/v1/notifications/settings").await;
    assert_eq!(settings["email"], "sam.consultant@trust.test");
    // Only an administrator sets another's address or reads the outbox.
    let (s, _) = put_json(
        &cd,
        &app,
        "/api/v1/users/consultant/email",
        json!({ "email": "x@trust.test" }),
    )
    .await;
    assert_eq!(s, 403);
    let (s, _) = get_json(&cd, &app, "/api/v1/email/outbox").await;
    assert_eq!(s, 403);

    let id = propose_to_the_consultant(&app).await;
    let (_, outbox) = get_json(&admin, &app, "/api/v1/email/outbox").await;
    assert_eq!(outbox["counts"]["waiting"], 1, "{outbox}");
    assert_eq!(
        outbox["emails"][0]["to_address"],
        "sam.consultant@trust.test"
    );

    let store = Store::connect(&app.db_url).await.unwrap();
    let sink = smtp::start().await;
    let mailer = mailer(&sink);
    sink.refuse_next(1);
    let now = chrono::Utc::now();
    let r = mail::send_due(&store, &mailer, now).await.unwrap();
    assert_eq!((r.sent, r.retried, r.failed), (0, 1, 0));
    assert!(sink.arrived().is_empty());
    let (_, outbox) = get_json(&admin, &app, "/api/v1/email/outbox").await;
    let e = &outbox["emails"][0];
    assert_eq!(e["attempts"], 1, "{outbox}");
    assert!(e["last_error"].as_str().unwrap().contains("451"), "{e}");
    assert!(e["sent_at"].is_null() && e["failed_at"].is_null());
    // Not due again until a minute has passed.
    let r = mail::send_due(&store, &mailer, now).await.unwrap();
    assert_eq!(r, mail::SendReport::default());
    let r = mail::send_due(&store, &mailer, now + chrono::Duration::minutes(2))
        .await
        .unwrap();
    assert_eq!((r.sent, r.retried, r.failed), (1, 0, 0));

    let arrived = sink.arrived();
    assert_eq!(arrived.len(), 1);
    let m = &arrived[0];
    assert_eq!(m.to, vec!["<sam.consultant@trust.test>".to_string()]);
    assert_eq!(m.from, "<tenpa@trust.test>");
    assert!(
        m.data.contains("Subject: Your job plan is proposed to you"),
        "{}",
        m.data
    );
    assert!(m.data.contains("Content-Type: text/plain"), "{}", m.data);
    assert!(
        m.data.contains("Your job plan has been proposed"),
        "{}",
        m.data
    );
    assert!(
        m.data
            .contains(&format!("{PUBLIC_URL}/plans/{id}/workflow")),
        "{}",
        m.data
    );
    let (_, outbox) = get_json(&admin, &app, "/api/v1/email/outbox").await;
    assert_eq!(
        (
            outbox["counts"]["waiting"].as_i64(),
            outbox["counts"]["sent"].as_i64()
        ),
        (Some(0), Some(1)),
        "{outbox}"
    );
    // Sent once: nothing is due any more.
    let r = mail::send_due(&store, &mailer, now + chrono::Duration::hours(1))
        .await
        .unwrap();
    assert_eq!(r, mail::SendReport::default());
    assert_eq!(sink.arrived().len(), 1);
    // The administrator's outbox page lists it.
    let html = html_of(&admin, &app, "/admin/email").await;
    assert!(
        html.contains("sam.consultant@trust.test"),
        "the outbox page"
    );
    assert_audit_intact(&admin, &app).await;
}

/// A mail server that rejects the address for good (550): the email is given up at once, with the
/// reason, and never tried again.
#[tokio::test]
async fn an_email_rejected_for_good_is_given_up_with_the_reason() {
    let app = spawn_app().await;
    let admin = app.login("admin").await;
    let (s, _) = put_json(
        &admin,
        &app,
        "/api/v1/users/consultant/email",
        json!({ "email": "gone@trust.test" }),
    )
    .await;
    assert_eq!(s, 200);
    propose_to_the_consultant(&app).await;
    let store = Store::connect(&app.db_url).await.unwrap();
    let sink = smtp::start().await;
    sink.reject_next(1);
    let now = chrono::Utc::now();
    let r = mail::send_due(&store, &mailer(&sink), now).await.unwrap();
    assert_eq!((r.sent, r.retried, r.failed), (0, 0, 1));
    let (_, outbox) = get_json(&admin, &app, "/api/v1/email/outbox").await;
    assert_eq!(outbox["counts"]["failed"], 1, "{outbox}");
    let e = &outbox["emails"][0];
    assert!(e["failed_at"].is_string() && e["sent_at"].is_null(), "{e}");
    assert!(e["last_error"].as_str().unwrap().contains("550"), "{e}");
    let r = mail::send_due(&store, &mailer(&sink), now + chrono::Duration::days(1))
        .await
        .unwrap();
    assert_eq!(r, mail::SendReport::default());
    assert!(sink.arrived().is_empty());
}

/// With no address, a notification stays in the application only; an address cleared stops email.
#[tokio::test]
async fn without_an_address_nothing_is_emailed() {
    let app = spawn_app().await;
    let admin = app.login("admin").await;
    let (s, changed) = put_json(
        &admin,
        &app,
        "/api/v1/users/consultant/email",
        json!({ "email": "sam@trust.test" }),
    )
    .await;
    assert_eq!(s, 200, "{changed}");
    assert_eq!(
        (&changed["changed"], &changed["account"]["email"]),
        (&json!(true), &json!("sam@trust.test"))
    );
    let (s, changed) = put_json(
        &admin,
        &app,
        "/api/v1/users/consultant/email",
        json!({ "email": null }),
    )
    .await;
    assert_eq!(s, 200);
    assert!(changed["account"]["email"].is_null(), "{changed}");
    propose_to_the_consultant(&app).await;
    let (_, outbox) = get_json(&admin, &app, "/api/v1/email/outbox").await;
    assert_eq!(outbox["counts"]["waiting"], 0, "{outbox}");
    assert_eq!(outbox["emails"], json!([]));
}

/// A round's deadline is reminded 14 days ahead and again 3 days ahead, each once, to the
/// department's consultants not yet signed off in it and to its clinical directors; running the
/// reminders again gives none twice.
#[tokio::test]
async fn a_round_deadline_is_reminded_once_in_each_window() {
    let app = spawn_app().await;
    let md = app.login("medical.director").await;
    let cd = app.login("clinical.director").await;
    let (_, departments) = get_json(&md, &app, "/api/v1/departments").await;
    let surgery = departments
        .as_array()
        .unwrap()
        .iter()
        .find(|d| d["name"] == "Surgery")
        .unwrap()["id"]
        .as_i64()
        .unwrap();
    let today = tenpa_server::uk_time::today();
    let deadline = today + chrono::Duration::days(10);
    let (s, round) = post_json(&md, &app, "/api/v1/rounds", json!({ "title": "Spring round", "deadlines": [{ "department_id": surgery, "deadline": deadline.to_string() }] })).await;
    assert_eq!(s, 201, "{round}");
    let id = round["id"].as_i64().unwrap();
    let waiting = round["departments"][0]["consultants"].as_i64().unwrap()
        - round["departments"][0]["done"].as_i64().unwrap();
    assert!(waiting > 0, "{round}");

    let store = Store::connect(&app.db_url).await.unwrap();
    let params = tenpa_rules::Parameters::embedded();
    let first = tenpa_server::service::reminders::run(&store, params, today)
        .await
        .unwrap();
    assert!(first.round_deadlines >= 1, "{first:?}");
    // The demo holds reviews past due: each consultant with an account is told once.
    assert!(first.reviews_due >= 1, "{first:?}");
    let again = tenpa_server::service::reminders::run(&store, params, today)
        .await
        .unwrap();
    assert_eq!(again, Default::default(), "given once");
    let (_, told) = get_json(&cd, &app, "/api/v1/notifications").await;
    let theirs: Vec<&Value> = told
        .as_array()
        .unwrap()
        .iter()
        .filter(|n| n["kind"] == "round_deadline" && n["link"] == format!("/rounds/{id}"))
        .collect();
    assert_eq!(theirs.len(), 1, "{told}");
    assert_eq!(theirs[0]["link"], format!("/rounds/{id}"));
    assert!(
        theirs[0]["message"]
            .as_str()
            .unwrap()
            .contains(&format!("{waiting} of its")),
        "{}",
        theirs[0]
    );
    assert!(
        theirs[0]["message"]
            .as_str()
            .unwrap()
            .contains("in 10 days"),
        "{}",
        theirs[0]
    );

    let reviews = told
        .as_array()
        .unwrap()
        .iter()
        .filter(|n| n["kind"] == "review_due")
        .count();
    assert!(reviews <= 1, "{told}");
    // Three days ahead: the second reminder, once.
    let later = deadline - chrono::Duration::days(3);
    let second = tenpa_server::service::reminders::run(&store, params, later)
        .await
        .unwrap();
    assert_eq!(second.round_deadlines, first.round_deadlines, "{second:?}");
    let again = tenpa_server::service::reminders::run(&store, params, later)
        .await
        .unwrap();
    assert_eq!(again.round_deadlines, 0);
    let (_, told) = get_json(&cd, &app, "/api/v1/notifications").await;
    let theirs = told
        .as_array()
        .unwrap()
        .iter()
        .filter(|n| n["kind"] == "round_deadline" && n["link"] == format!("/rounds/{id}"))
        .count();
    assert_eq!(theirs, 2, "{told}");
    // After the deadline, none.
    let after = deadline + chrono::Duration::days(1);
    let none = tenpa_server::service::reminders::run(&store, params, after)
        .await
        .unwrap();
    assert_eq!(none.round_deadlines, 0);
}
