//! Job-planning rounds (JP-1, JP-4).

use super::*;

/// Source: A 9.1 (JP-1), A 10.1 (JP-4): a round opened with a deadline per department holds the
/// departments' consultants; one is done once a plan of theirs is signed off after the round
/// opened, overdue when not done after the deadline; a plan in dispute shows the dispute's age; who
/// may open and see rounds.
#[tokio::test]
async fn a_round_is_opened_and_its_progress_follows_sign_offs() {
    let app = spawn_app().await;
    let md = app.login("medical.director").await;
    let (_, departments) = get_json(&md, &app, "/api/v1/departments").await;
    let id_of = |name: &str| {
        departments
            .as_array()
            .unwrap()
            .iter()
            .find(|d| d["name"] == name)
            .unwrap()["id"]
            .as_i64()
            .unwrap()
    };
    let (surgery, medicine) = (id_of("Surgery"), id_of("Medicine"));
    let today = tenpa_server::uk_time::today();
    let deadline = today
        .checked_add_months(chrono::Months::new(3))
        .unwrap()
        .to_string();

    // Refused: no departments, a deadline before today, a department twice or unknown, no title.
    let yesterday = today.pred_opt().unwrap().to_string();
    for (body, field) in [
        (json!({ "title": "2027/28", "deadlines": [] }), "deadlines"),
        (
            json!({ "title": "2027/28", "deadlines": [{ "department_id": surgery, "deadline": yesterday }] }),
            "deadlines[0].deadline",
        ),
        (
            json!({ "title": "2027/28", "deadlines": [{ "department_id": surgery, "deadline": deadline }, { "department_id": surgery, "deadline": deadline }] }),
            "deadlines",
        ),
        (
            json!({ "title": "2027/28", "deadlines": [{ "department_id": 999999, "deadline": deadline }] }),
            "deadlines",
        ),
        (
            json!({ "title": " ", "deadlines": [{ "department_id": surgery, "deadline": deadline }] }),
            "title",
        ),
    ] {
        let (s, p) = post_json(&md, &app, "/api/v1/rounds", body.clone()).await;
        assert_eq!((s, &p["field"]), (422, &json!(field)), "{body}: {p}");
    }

    let (s, round) = post_json(
        &md,
        &app,
        "/api/v1/rounds",
        json!({ "title": "Job planning 2027/28", "deadlines": [{ "department_id": surgery, "deadline": deadline }] }),
    )
    .await;
    assert_eq!(s, 201, "{round}");
    let id = round["id"].as_i64().unwrap();
    let lines = round["consultants"].as_array().unwrap();
    assert!(lines.iter().all(|c| c["department_id"] == surgery));
    assert_eq!(round["departments"][0]["consultants"], lines.len());
    // The demo's plans were signed off as it loaded, today, the day the round opened: done.
    let done: Vec<&Value> = lines.iter().filter(|c| c["done"] == true).collect();
    assert_eq!(round["departments"][0]["done"], done.len());
    assert!(!done.is_empty() && done.len() < lines.len(), "{round}");
    assert!(lines.iter().all(|c| c["overdue"] == false));
    let disputed = lines
        .iter()
        .find(|c| c["dispute_days"].is_number())
        .expect("a surgeon's plan in dispute in the demo");
    assert_eq!(disputed["dispute_days"], 0);
    let states: Vec<&str> = disputed["time_in_states"]
        .as_array()
        .unwrap()
        .iter()
        .map(|t| t["status"].as_str().unwrap())
        .collect();
    assert_eq!(states[0], "draft", "{disputed}");
    assert!(states.contains(&"not_agreed"), "{disputed}");

    // A round opened earlier in the year, its deadline passed: those not signed off since are
    // overdue, the demo's sign-offs today count as done.
    let store = Store::connect(&app.db_url).await.unwrap();
    let old = store
        .create_round(
            "medical.director",
            "Job planning 2026/27",
            chrono::NaiveDate::from_ymd_opt(2026, 1, 5).unwrap(),
            &[(
                medicine,
                chrono::NaiveDate::from_ymd_opt(2026, 3, 31).unwrap(),
            )],
        )
        .await
        .unwrap();
    let (_, past) = get_json(&md, &app, &format!("/api/v1/rounds/{old}")).await;
    let lines = past["consultants"].as_array().unwrap();
    assert!(!lines.is_empty());
    for c in lines {
        assert_eq!(c["overdue"], json!(c["done"] == false), "{c}");
    }
    assert_eq!(
        past["departments"][0]["overdue"],
        lines.iter().filter(|c| c["overdue"] == true).count()
    );

    // The list, the latest first (the demo's own round last); a clinical director sees their
    // department's part only, of the rounds it is in.
    let (_, list) = get_json(&md, &app, "/api/v1/rounds").await;
    assert_eq!(list[0]["id"], old);
    assert_eq!(list[1]["id"], id);
    assert_eq!(list[2]["title"], "Job planning this year");
    assert_eq!(list[2]["departments"].as_array().unwrap().len(), 3);
    let cd = app.login("clinical.director").await;
    let (s, theirs) = get_json(&cd, &app, "/api/v1/rounds").await;
    assert_eq!(s, 200);
    let theirs = theirs.as_array().unwrap();
    assert_eq!(theirs.len(), 2, "{theirs:?}");
    assert!(theirs
        .iter()
        .all(|r| r["departments"].as_array().unwrap().len() == 1
            && r["departments"][0]["department_id"] == surgery));
    assert_eq!(
        get_json(&cd, &app, &format!("/api/v1/rounds/{old}"))
            .await
            .0,
        403
    );
    let (s, _) = post_json(
        &cd,
        &app,
        "/api/v1/rounds",
        json!({ "title": "x", "deadlines": [{ "department_id": surgery, "deadline": deadline }] }),
    )
    .await;
    assert_eq!(s, 403);
    let consultant = app.login("consultant").await;
    assert_eq!(get_json(&consultant, &app, "/api/v1/rounds").await.0, 403);
    // The consultant's home page shows their round.
    let home = html_of(&consultant, &app, "/").await;
    assert!(
        home.contains("Job planning 2027/28"),
        "the consultant's round on their home page"
    );
    // Their own standing in it, as the round shows it to the medical director.
    let (_, me) = get_json(&consultant, &app, "/api/v1/me").await;
    let (_, round) = get_json(&md, &app, &format!("/api/v1/rounds/{id}")).await;
    let line = round["consultants"]
        .as_array()
        .unwrap()
        .iter()
        .find(|c| c["consultant_id"] == me["consultant_id"])
        .unwrap();
    let tag = if line["done"] == true {
        "Signed off"
    } else {
        "Due by"
    };
    let row = &home[home.find("id=\"home-round\"").unwrap()..];
    assert!(
        row[..row.find("</div>").unwrap()].contains(tag),
        "{tag}: {row}"
    );
    assert_eq!(get_json(&md, &app, "/api/v1/rounds/999999").await.0, 404);
    assert_audit_intact(&md, &app).await;
}
