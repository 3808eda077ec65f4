//! Board competency appraisal (BC-1, BC-2) and professional executive committees (PEC-1 … PEC-4).

use super::*;

async fn send(c: &Client, rb: reqwest::RequestBuilder) -> (StatusCode, Value) {
    let _ = c;
    let r = rb.send().await.unwrap();
    let status = r.status();
    let body = r.json().await.unwrap_or(Value::Null);
    (status, body)
}

async fn demo_board(app: &TestApp) -> (i64, Vec<Value>) {
    let admin = app.login("admin").await;
    let orgs: Vec<Value> = admin
        .get(app.url("/api/v1/board/organisations"))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    let org = orgs
        .iter()
        .find(|o| o["name"] == "Tenpa Demo NHS Foundation Trust")
        .expect("the demo board")["id"]
        .as_i64()
        .unwrap();
    let directors: Vec<Value> = admin
        .get(app.url(&format!("/api/v1/board/organisations/{org}/directors")))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    (org, directors)
}

fn director_id(directors: &[Value], username: &str) -> i64 {
    directors
        .iter()
        .find(|d| d["username"] == username)
        .unwrap_or_else(|| panic!("director {username}"))["id"]
        .as_i64()
        .unwrap()
}

/// Every statement of the framework rated `often`, except those left out.
fn full_ratings(framework: &Value, leave_out: usize) -> Value {
    let mut ratings = serde_json::Map::new();
    let ids: Vec<String> = framework["domain"]
        .as_array()
        .unwrap()
        .iter()
        .flat_map(|d| d["statement"].as_array().unwrap().iter())
        .map(|s| s["id"].as_str().unwrap().to_string())
        .collect();
    for id in &ids[..ids.len() - leave_out] {
        ratings.insert(
            id.clone(),
            json!({ "rating": "often", "evidence": "board minutes" }),
        );
    }
    Value::Object(ratings)
}

/// Source: BC-2 — the director rates every statement; the appraiser (the chief executive for an
/// executive director) records the discussion and objectives; both sign off; an incomplete
/// self-assessment cannot be signed off. Access: own, appraiser, chair; others refused.
#[tokio::test]
async fn the_board_appraisal_cycle_with_the_right_roles() {
    let app = spawn_app().await;
    let (_, directors) = demo_board(&app).await;
    let md_id = director_id(&directors, "medical.director");
    let md = app.login("medical.director").await;
    let ce = app.login("chief.executive").await;
    let chair = app.login("board.chair").await;
    let ned = app.login("board.member").await;
    let consultant = app.login("consultant").await;
    let admin = app.login("admin").await;
    let cd = app.login("clinical.director").await;
    let framework: Value = md
        .get(app.url("/api/v1/board/framework"))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(framework["domain"].as_array().unwrap().len(), 6);

    let new = json!({ "director_id": md_id, "year": 2025 });
    let (s, _) = send(
        &consultant,
        consultant
            .post(app.url("/api/v1/board/appraisals"))
            .json(&new),
    )
    .await;
    assert_eq!(
        s,
        StatusCode::FORBIDDEN,
        "a consultant cannot open a director's appraisal"
    );
    let (s, body) = send(&md, md.post(app.url("/api/v1/board/appraisals")).json(&new)).await;
    assert_eq!(s, StatusCode::CREATED, "{body}");
    assert_eq!(body["framework_version"], "2024-04");
    let id = body["id"].as_i64().unwrap();
    let url = app.url(&format!("/api/v1/board/appraisals/{id}"));

    // An incomplete self-assessment cannot be signed off.
    let partial = json!({ "version": 1, "ratings": full_ratings(&framework, 3) });
    let (s, body) = send(&md, md.put(format!("{url}/self-assessment")).json(&partial)).await;
    assert_eq!(s, StatusCode::OK, "{body}");
    assert_eq!(body["completeness"]["rated"], 21);
    assert_eq!(body["completeness"]["total"], 24);
    let (s, body) = send(
        &md,
        md.post(format!("{url}/sign-off"))
            .json(&json!({ "version": 2 })),
    )
    .await;
    assert_eq!(s, StatusCode::UNPROCESSABLE_ENTITY, "{body}");
    assert!(
        body["detail"]
            .as_str()
            .unwrap()
            .contains("3 of 24 statements are not rated"),
        "{body}"
    );

    // A rating off the scale is refused.
    let mut bad = full_ratings(&framework, 0);
    bad["outcomes.1"]["rating"] = json!("brilliantly");
    let (s, _) = send(
        &md,
        md.put(format!("{url}/self-assessment"))
            .json(&json!({ "version": 2, "ratings": bad })),
    )
    .await;
    assert_eq!(s, StatusCode::UNPROCESSABLE_ENTITY);

    // Who sees it: the director, the appraiser (chief executive) and the chair; no one else.
    for (c, who, want) in [
        (&md, "director", StatusCode::OK),
        (&ce, "appraiser", StatusCode::OK),
        (&chair, "chair", StatusCode::OK),
        (&ned, "another director", StatusCode::FORBIDDEN),
        (&consultant, "consultant", StatusCode::FORBIDDEN),
        (&cd, "clinical director", StatusCode::FORBIDDEN),
        (&admin, "admin", StatusCode::FORBIDDEN),
    ] {
        let (s, _) = send(c, c.get(&url)).await;
        assert_eq!(s, want, "{who} reading the appraisal");
    }
    let (s, _) = send(&ce, ce.put(format!("{url}/self-assessment")).json(&partial)).await;
    assert_eq!(
        s,
        StatusCode::FORBIDDEN,
        "the self-assessment is the director's own"
    );

    let full = json!({ "version": 2, "ratings": full_ratings(&framework, 0) });
    let (s, body) = send(&md, md.put(format!("{url}/self-assessment")).json(&full)).await;
    assert_eq!(s, StatusCode::OK, "{body}");
    assert_eq!(body["version"], 3);
    let (s, body) = send(&md, md.put(format!("{url}/self-assessment")).json(&full)).await;
    assert_eq!(s, StatusCode::CONFLICT, "a stale version: {body}");
    let (s, body) = send(
        &md,
        md.post(format!("{url}/sign-off"))
            .json(&json!({ "version": 3 })),
    )
    .await;
    assert_eq!(s, StatusCode::OK, "{body}");
    assert!(body["director_signed_at"].is_string());
    let (s, _) = send(
        &md,
        md.put(format!("{url}/self-assessment"))
            .json(&json!({ "version": 4, "ratings": full_ratings(&framework, 0) })),
    )
    .await;
    assert_eq!(s, StatusCode::CONFLICT, "signed: no more changes");

    // The appraiser records the discussion, then signs off; the chair is not this one's appraiser.
    let (s, _) = send(
        &ce,
        ce.post(format!("{url}/sign-off"))
            .json(&json!({ "version": 4 })),
    )
    .await;
    assert_eq!(
        s,
        StatusCode::UNPROCESSABLE_ENTITY,
        "no discussion recorded yet"
    );
    let discussion =
        json!({ "version": 4, "discussion": "Discussed.", "objectives": "Lead on inequalities." });
    let (s, _) = send(
        &chair,
        chair.put(format!("{url}/discussion")).json(&discussion),
    )
    .await;
    assert_eq!(
        s,
        StatusCode::FORBIDDEN,
        "the chief executive appraises executive directors"
    );
    let (s, body) = send(&ce, ce.put(format!("{url}/discussion")).json(&discussion)).await;
    assert_eq!(s, StatusCode::OK, "{body}");
    let (s, body) = send(
        &ce,
        ce.post(format!("{url}/sign-off"))
            .json(&json!({ "version": 5 })),
    )
    .await;
    assert_eq!(s, StatusCode::OK, "{body}");
    assert!(body["appraiser_signed_at"].is_string());
    assert_eq!(body["objectives"], "Lead on inequalities.");

    // Lists: a non-executive sees their own only; the chair sees the board.
    let own: Vec<Value> = ned
        .get(app.url("/api/v1/board/appraisals"))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    let ned_id = director_id(&directors, "board.member");
    assert!(
        !own.is_empty() && own.iter().all(|a| a["director_id"] == ned_id),
        "{own:?}"
    );
    let board: Vec<Value> = chair
        .get(app.url("/api/v1/board/appraisals"))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(board.len(), 5, "four demo appraisals and this one");
}

/// Source: BC-2 — every board-level job description includes the six domains.
#[tokio::test]
async fn a_job_description_missing_domains_is_named() {
    let app = spawn_app().await;
    let (org, directors) = demo_board(&app).await;
    let finance = directors
        .iter()
        .find(|d| d["title"] == "Director of Finance")
        .unwrap();
    let f = &finance["job_description_findings"];
    assert_eq!(f.as_array().unwrap().len(), 1);
    assert_eq!(f[0]["rule"], "BC-2");
    assert_eq!(
        f[0]["message"],
        "the job description does not include 2 of the six domains: Delivering a compassionate, just and positive culture; Building a trust relationship with partners and communities"
    );
    let id = finance["id"].as_i64().unwrap();
    let url = app.url(&format!("/api/v1/board/directors/{id}/job-description"));
    let all = json!({ "domains": ["outcomes", "strategy", "equality", "governance", "culture", "partnership"] });
    let ned = app.login("board.member").await;
    let (s, _) = send(&ned, ned.put(&url).json(&all)).await;
    assert_eq!(s, StatusCode::FORBIDDEN);
    let chair = app.login("board.chair").await;
    let (s, body) = send(
        &chair,
        chair
            .put(&url)
            .json(&json!({ "domains": ["outcomes", "finance"] })),
    )
    .await;
    assert_eq!(s, StatusCode::UNPROCESSABLE_ENTITY, "{body}");
    assert_eq!(body["field"], "domains");
    assert!(body["detail"].as_str().unwrap().contains("`finance`"));
    let (s, body) = send(&chair, chair.put(&url).json(&all)).await;
    assert_eq!(s, StatusCode::OK, "{body}");
    assert_eq!(body["job_description_findings"], json!([]));
    let (s, _) = send(
        &ned,
        ned.get(app.url(&format!("/api/v1/board/organisations/{org}/directors"))),
    )
    .await;
    assert_eq!(s, StatusCode::FORBIDDEN, "the board list is the chair's");
}

/// Source: the fixture board of `tenpa-rules/tests/board_competency/fixture_board.toml`, figures
/// computed by hand, reported through the API for the board's chair.
#[tokio::test]
async fn the_board_report_on_the_fixture_board() {
    let app = spawn_app().await;
    let admin = app.login("admin").await;
    let (s, body) = send(
        &admin,
        admin
            .post(app.url("/api/v1/board/organisations"))
            .json(&json!({ "name": "Fixture ICB", "kind": "icb" })),
    )
    .await;
    assert_eq!(s, StatusCode::CREATED, "{body}");
    let org = body["id"].as_i64().unwrap();
    let fixture: toml::Value = toml::from_str(include_str!(
        "../../../tenpa-rules/tests/board_competency/fixture_board.toml"
    ))
    .unwrap();
    let store = Store::connect(&app.db_url).await.unwrap();
    let fw = tenpa_rules::board_competency::Framework::latest();
    let positions = ["chair", "chief_executive", "executive", "non_executive"];
    for (d, position) in fixture["director"]
        .as_array()
        .unwrap()
        .iter()
        .zip(positions)
    {
        let new = json!({
            "organisation_id": org,
            "name": d["name"].as_str().unwrap(),
            "username": (position == "chair").then_some("board.chair"),
            "position": position,
            "job_domains": d["domains"].as_array().unwrap().iter().map(|v| v.as_str().unwrap()).collect::<Vec<_>>(),
        });
        let (s, body) = send(
            &admin,
            admin.post(app.url("/api/v1/board/directors")).json(&new),
        )
        .await;
        assert_eq!(s, StatusCode::CREATED, "{body}");
        let id = body["id"].as_i64().unwrap();
        let default = d["default"].as_str().unwrap();
        let overrides = d["overrides"].as_table().unwrap();
        let ratings = fw
            .statement_ids()
            .map(|s| {
                let rating = overrides.get(s).map_or(default, |v| v.as_str().unwrap());
                (
                    s.to_string(),
                    tenpa_rules::board_competency::Rating {
                        rating: rating.into(),
                        evidence: String::new(),
                    },
                )
            })
            .collect();
        let a = store
            .create_board_appraisal("test", id, 2024, &fw.version)
            .await
            .unwrap();
        let mut appraisal = store.board_appraisal(a).await.unwrap().unwrap();
        appraisal.ratings = ratings;
        store
            .save_board_appraisal("test", "test", &appraisal)
            .await
            .unwrap();
    }
    let url = app.url(&format!(
        "/api/v1/board/organisations/{org}/report?year=2024"
    ));
    let ned = app.login("board.member").await;
    let (s, _) = send(&ned, ned.get(&url)).await;
    assert_eq!(s, StatusCode::FORBIDDEN, "the board report is the chair's");
    let chair = app.login("board.chair").await;
    let (s, report) = send(&chair, chair.get(&url)).await;
    assert_eq!(s, StatusCode::OK, "{report}");
    let expect = &fixture["expect"];
    let p = &report["profile"];
    assert_eq!(p["appraisals"], 4);
    for d in p["domains"].as_array().unwrap() {
        let key = d["key"].as_str().unwrap();
        assert_eq!(
            d["mean_hundredths"].as_i64(),
            expect["mean_hundredths"][key].as_integer(),
            "mean of {key}"
        );
    }
    assert_eq!(p["weakest"], json!(["equality"]));
    let nd: Vec<(String, i64)> = p["not_demonstrated"]
        .as_array()
        .unwrap()
        .iter()
        .map(|s| {
            (
                s["id"].as_str().unwrap().to_string(),
                s["count"].as_i64().unwrap(),
            )
        })
        .collect();
    assert_eq!(
        nd,
        [("equality.3".to_string(), 3), ("equality.4".to_string(), 2)]
    );
    let missing: Vec<&Value> = report["directors"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|d| !d["job_description_findings"].as_array().unwrap().is_empty())
        .collect();
    assert_eq!(missing.len(), 1);
    assert_eq!(missing[0]["name"], "Finance director");

    // Across the years: four opened, none signed off; each position has one appraisal, so none
    // is shown. Signed off by both, all four count, but four are too few for days to be shown.
    let url = app.url(&format!(
        "/api/v1/board/organisations/{org}/appraisal-consistency"
    ));
    let (s, _) = send(&ned, ned.get(&url)).await;
    assert_eq!(s, StatusCode::FORBIDDEN);
    let (s, c) = send(&chair, chair.get(&url)).await;
    assert_eq!(s, StatusCode::OK, "{c}");
    assert_eq!(
        c["years"],
        json!([{ "year": 2024, "directors": 4, "opened": 4, "signed_off": 0, "percent": "0.0", "days_to_sign_off": null }])
    );
    assert_eq!(c["positions"].as_array().unwrap().len(), 4);
    assert!(c["positions"]
        .as_array()
        .unwrap()
        .iter()
        .all(|p| p["suppressed"] == true && p["signed_off"].is_null()));
    for mut a in store.board_appraisals(org, Some(2024)).await.unwrap() {
        a.director_signed_at = Some("2024-06-01T10:00:00Z".into());
        a.appraiser_signed_at = Some("2024-06-10T10:00:00Z".into());
        store
            .save_board_appraisal("test", "sign_off", &a)
            .await
            .unwrap();
    }
    let (_, c) = send(&chair, chair.get(&url)).await;
    assert_eq!(c["years"][0]["signed_off"], 4);
    assert_eq!(c["years"][0]["percent"], "100.0");
    assert!(c["years"][0]["days_to_sign_off"].is_null(), "{c}");
    let page = html_of(
        &chair,
        &app,
        &format!("/board/organisations/{org}/report?year=2024"),
    )
    .await;
    assert!(page.contains("id=\"board-consistency-years\""), "the page");
}

/// Source: PEC-2, PEC-3, PEC-4 — committees stored and checked; the SHA's oversight report.
#[tokio::test]
async fn pec_records_checks_and_the_oversight_report() {
    let app = spawn_app().await;
    let ned = app.login("board.member").await;
    let (s, list) = send(&ned, ned.get(app.url("/api/v1/pecs"))).await;
    assert_eq!(s, StatusCode::OK, "{list}");
    assert_eq!(list.as_array().unwrap().len(), 2, "two demo PCTs");
    let consultant = app.login("consultant").await;
    let (s, _) = send(&consultant, consultant.get(app.url("/api/v1/pecs"))).await;
    assert_eq!(s, StatusCode::FORBIDDEN);

    let (s, report) = send(&ned, ned.get(app.url("/api/v1/pecs/oversight"))).await;
    assert_eq!(s, StatusCode::OK, "{report}");
    let pcts: Vec<&Value> = report
        .as_array()
        .unwrap()
        .iter()
        .flat_map(|o| o["pcts"].as_array().unwrap())
        .collect();
    let north = pcts
        .iter()
        .find(|p| p["pct"] == "Northshire Primary Care Trust")
        .unwrap();
    let south = pcts
        .iter()
        .find(|p| p["pct"] == "Southvale Primary Care Trust")
        .unwrap();
    assert_eq!(north["met_implementation_date"], true);
    assert_eq!(north["has_errors"], false);
    assert_eq!(south["met_implementation_date"], false);
    assert_eq!(south["has_errors"], true);
    let rules: Vec<&str> = south["findings"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| f["rule"].as_str().unwrap())
        .collect();
    for r in ["PEC-2", "PEC-3", "PEC-4"] {
        assert!(rules.contains(&r), "{r} in {rules:?}");
    }
    assert_eq!(report[0]["implementation_date"], "2007-10-01");

    let doc = json!({
        "pct": { "name": "Westbrook PCT", "sha": "South Central Strategic Health Authority", "implemented_on": "2007-10-01" },
        "member": [
            { "name": "A", "profession": "gp", "chair": true, "competencies": ["x"], "job_description": "jd" },
            { "name": "B", "profession": "nurse", "competencies": ["x"], "job_description": "jd" },
            { "name": "C", "profession": "manager", "competencies": ["x"], "job_description": "jd" },
        ]
    });
    let (s, _) = send(&ned, ned.post(app.url("/api/v1/pecs")).json(&doc)).await;
    assert_eq!(
        s,
        StatusCode::FORBIDDEN,
        "board members read; they do not record"
    );
    let md = app.login("medical.director").await;
    let (s, body) = send(&md, md.post(app.url("/api/v1/pecs")).json(&doc)).await;
    assert_eq!(s, StatusCode::CREATED, "{body}");
    assert_eq!(body["check"]["clinical_members"], 2);
    assert_eq!(body["check"]["implemented_in_time"], true);
    let mut bad = doc.clone();
    bad["member"][0]["colour"] = json!("blue");
    let (s, body) = send(&md, md.post(app.url("/api/v1/pecs")).json(&bad)).await;
    assert_eq!(s, StatusCode::BAD_REQUEST, "{body}");
    let (_, report) = send(
        &md,
        md.get(
            app.url("/api/v1/pecs/oversight?sha=South%20Central%20Strategic%20Health%20Authority"),
        ),
    )
    .await;
    assert_eq!(report.as_array().unwrap().len(), 1);
    assert_eq!(report[0]["pcts"].as_array().unwrap().len(), 2);
    assert_eq!(report[0]["met"], 1);
}

/// Source: the demo's year of appraisals (BC-2): three complete, one incomplete.
#[tokio::test]
async fn the_demo_board_report() {
    let app = spawn_app().await;
    let (org, _) = demo_board(&app).await;
    let chair = app.login("board.chair").await;
    let (s, report) = send(
        &chair,
        chair.get(app.url(&format!(
            "/api/v1/board/organisations/{org}/report?year=2024"
        ))),
    )
    .await;
    assert_eq!(s, StatusCode::OK, "{report}");
    assert_eq!(report["profile"]["appraisals"], 3);
    assert_eq!(report["directors"].as_array().unwrap().len(), 5);

    // A director's profile across years: the director, their appraiser, the chair; no one else.
    let (_, directors) = demo_board(&app).await;
    let md_id = director_id(&directors, "medical.director");
    let url = app.url(&format!("/api/v1/board/directors/{md_id}/profile"));
    let md = app.login("medical.director").await;
    let (s, years) = send(&md, md.get(&url)).await;
    assert_eq!(s, StatusCode::OK, "{years}");
    assert_eq!(years.as_array().unwrap().len(), 1);
    assert_eq!(years[0]["year"], 2024);
    assert_eq!(years[0]["complete"], true);
    assert_eq!(years[0]["profile"]["version"], "2024-04");
    // almost always throughout except two statements with no chance to demonstrate
    assert_eq!(years[0]["profile"]["domains"][2]["mean_hundredths"], 400);
    for (who, want) in [
        ("chief.executive", StatusCode::OK),
        ("board.chair", StatusCode::OK),
        ("board.member", StatusCode::FORBIDDEN),
        ("consultant", StatusCode::FORBIDDEN),
    ] {
        let c = app.login(who).await;
        let (s, _) = send(&c, c.get(&url)).await;
        assert_eq!(s, want, "{who} reading the profile");
    }
}
