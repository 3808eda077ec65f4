//! Rotas, their category decisions and the plans that follow them, and who sees the registers.

use super::*;

pub(crate) async fn rota_id(app: &TestApp, name: &str) -> i64 {
    let md = app.login("medical.director").await;
    let (_, list) = get_json(&md, app, "/api/v1/rotas").await;
    list.as_array()
        .unwrap()
        .iter()
        .find(|r| r["name"] == name)
        .unwrap_or_else(|| panic!("a rota {name}"))["id"]
        .as_i64()
        .unwrap()
}

/// Source: F 4(k), F 4(i), F 4(n)-(o), F 4(g) (OC-7, OC-10): rotas, their category decisions, and
/// the trust report of high-frequency rotas and the supplements' share of the pay bill.
#[tokio::test]
async fn rotas_category_decisions_and_the_on_call_report() {
    let app = spawn_app().await;
    let md = app.login("medical.director").await;
    let cd = app.login("clinical.director").await;
    let (s, report) = get_json(&md, &app, "/api/v1/reports/on-call").await;
    assert_eq!(s, 200, "{report}");
    assert_eq!(report["rule"], "OC-10");
    assert_eq!(report["target_percent"], "3.48");
    assert_eq!(report["target_citation"], "F 4(g), B 7.9");
    assert_eq!(report["plans"], 25);
    let names: Vec<&str> = report["high_frequency_rotas"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r["name"].as_str().unwrap())
        .collect();
    assert_eq!(
        names,
        [
            "General surgery emergency on-call",
            "Obstetric anaesthesia on-call"
        ]
    );
    let high = &report["high_frequency_rotas"][0];
    assert_eq!(high["frequency"], "1 in 4");
    assert!(!high["action_plan"].as_str().unwrap().is_empty());
    let bill = report["pay_bill_pence"].as_i64().unwrap();
    let supplements = report["availability_supplements_pence"].as_i64().unwrap();
    assert!(
        bill > 0 && supplements > 0 && supplements < bill,
        "{report}"
    );
    let bp = (supplements * 10_000 * 2 + bill) / (2 * bill);
    assert_eq!(
        report["share_percent"],
        format!("{}.{:02}", bp / 100, bp % 100)
    );

    // The vascular rota was reduced from A to B: no protection (OC-7).
    let vascular = rota_id(&app, "Vascular surgery on-call").await;
    let (_, v) = get_json(&cd, &app, &format!("/api/v1/rotas/{vascular}")).await;
    assert_eq!(
        (v["frequency"].as_str(), v["band"].as_str()),
        (Some("1 in 5"), Some("medium"))
    );
    assert_eq!(v["category"], "b");
    assert!(
        v["notes"][0].as_str().unwrap().contains("no protection"),
        "{v}"
    );

    // A high-frequency rota needs its reason and action plan.
    let surgery = v["department_id"].as_i64().unwrap();
    let mut body = json!({ "department_id": surgery, "name": "Breast surgery on-call", "category": "a",
        "effective_from": "2026-01-01", "members": ["c-surg-05", "c-surg-06"] });
    let (s, p) = post_json(&cd, &app, "/api/v1/rotas", body.clone()).await;
    assert_eq!((s, p["field"].as_str()), (422, Some("reason")), "{p}");
    body["reason"] = json!("Only two breast surgeons.");
    let (s, p) = post_json(&cd, &app, "/api/v1/rotas", body.clone()).await;
    assert_eq!((s, p["field"].as_str()), (422, Some("action_plan")), "{p}");
    body["action_plan"] = json!("Appoint a third breast surgeon.");
    body["members"] = json!(["c-surg-05", "c-nobody"]);
    let (s, p) = post_json(&cd, &app, "/api/v1/rotas", body.clone()).await;
    assert_eq!((s, p["field"].as_str()), (422, Some("members")), "{p}");
    body["members"] = json!(["c-surg-05", "c-surg-06"]);
    body["category"] = json!("c");
    let (s, p) = post_json(&cd, &app, "/api/v1/rotas", body.clone()).await;
    assert_eq!((s, p["field"].as_str()), (400, Some("category")), "{p}");
    body["category"] = json!("a");
    body["shift"] = json!("nights");
    let (s, p) = post_json(&cd, &app, "/api/v1/rotas", body.clone()).await;
    assert_eq!(s, 400, "{p}");
    assert!(p["detail"].as_str().unwrap().contains("shift"), "{p}");
    body.as_object_mut().unwrap().remove("shift");
    let (s, rota) = post_json(&cd, &app, "/api/v1/rotas", body.clone()).await;
    assert_eq!(s, 201, "{rota}");
    assert_eq!(
        (rota["frequency"].as_str(), rota["band"].as_str()),
        (Some("1 in 2"), Some("high"))
    );
    let (s, p) = post_json(&cd, &app, "/api/v1/rotas", body.clone()).await;
    assert_eq!(
        (s, p["field"].as_str()),
        (422, Some("name")),
        "a second rota of the name: {p}"
    );
    let id = rota["id"].as_i64().unwrap();
    let (_, report) = get_json(&md, &app, "/api/v1/reports/on-call").await;
    assert_eq!(report["high_frequency_rotas"].as_array().unwrap().len(), 3);

    // Category decisions are prospective; a reduction is noted as unprotected.
    let path = format!("/api/v1/rotas/{id}/category-decisions");
    let (s, p) = post_json(
        &cd,
        &app,
        &path,
        json!({ "version": 1, "category": "b", "effective_from": "2020-01-01", "reason": "x" }),
    )
    .await;
    assert_eq!(
        (s, p["field"].as_str()),
        (422, Some("effective_from")),
        "{p}"
    );
    let tomorrow = (today() + chrono::Days::new(1)).to_string();
    let (s, r) = post_json(&cd, &app, &path, json!({ "version": 1, "category": "b", "effective_from": tomorrow, "reason": "advice by phone" })).await;
    assert_eq!(s, 200, "{r}");
    assert_eq!(
        (r["version"].as_i64(), r["category"].as_str()),
        (Some(2), Some("a")),
        "still A today: {r}"
    );
    assert!(
        r["notes"][0].as_str().unwrap().contains("no protection"),
        "{r}"
    );
    // A stale update is refused with the current version; nothing is lost.
    let update = json!({ "version": 1, "name": "Breast surgery on-call", "members": ["c-surg-05", "c-surg-06", "c-surg-07", "c-surg-08", "c-surg-09"] });
    let r = cd
        .put(app.url(&format!("/api/v1/rotas/{id}")))
        .json(&update)
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::CONFLICT);
    assert_eq!(r.json::<Value>().await.unwrap()["current_version"], 2);
    let mut update = update;
    update["version"] = json!(2);
    let r = cd
        .put(app.url(&format!("/api/v1/rotas/{id}")))
        .json(&update)
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::OK);
    let r: Value = r.json().await.unwrap();
    assert_eq!(
        (r["band"].as_str(), r["decisions"].as_array().unwrap().len()),
        (Some("medium"), 2)
    );
    // Another department's clinical director cannot change it; a consultant not on it cannot see it.
    let other = app.login("consultant2").await;
    assert_eq!(
        get_json(&other, &app, &format!("/api/v1/rotas/{id}"))
            .await
            .0,
        403
    );
    assert_audit_intact(&md, &app).await;
}

/// A consultant's current plan, in full, as the medical director sees it.
async fn full_plan(app: &TestApp, consultant: &str) -> Value {
    let id = app.plan_of(consultant).await["id"].as_i64().unwrap();
    let md = app.login("medical.director").await;
    get_json(&md, app, &format!("/api/v1/job-plans/{id}"))
        .await
        .1
}

fn rota_of(plan: &Value) -> (u64, String) {
    let oc = &plan["document"]["on_call"];
    (
        oc["rota_size"].as_u64().unwrap_or(0),
        oc["category"].as_str().unwrap_or("").to_string(),
    )
}

fn supplement(plan: &Value) -> f64 {
    plan["assessment"]["pay"]["availability_supplement_percent"]
        .as_f64()
        .unwrap()
}

fn reversioned(r: &Value, consultant: &str) -> Option<Value> {
    r["plans"]["reversioned"]
        .as_array()
        .unwrap()
        .iter()
        .find(|p| p["consultant_id"] == consultant)
        .cloned()
}

fn refused(r: &Value, consultant: &str) -> Option<String> {
    r["plans"]["refused"]
        .as_array()
        .unwrap()
        .iter()
        .find(|p| p["consultant_id"] == consultant)
        .map(|p| p["reason"].as_str().unwrap().to_string())
}

/// Source: F 4(k), B 7.13 (OC-6: the band follows the number on the rota), F 4(i), B 7.11 (OC-7:
/// the category is decided prospectively), A 2.3 (JP-2: the plan holds the on-call and rota
/// commitments), F 1(b), A 9.1 (JP-1: a significant change reopens a signed-off plan).
#[tokio::test]
async fn rota_changes_flow_into_the_members_job_plans() {
    let app = spawn_app().await;
    let cd = app.login("clinical.director").await;
    let general = rota_id(&app, "General surgery emergency on-call").await;
    let path = format!("/api/v1/rotas/{general}");

    // The demo plans agree with the demo rotas.
    let (s, r) = get_json(&cd, &app, &path).await;
    assert_eq!(s, 200, "{r}");
    let members = r["member_plans"].as_array().unwrap();
    assert_eq!(members.len(), 4);
    assert!(members.iter().all(|m| m["agrees"] == true), "{r}");
    // c-surg-09 is on the vascular rota only (1 in 5, reduced to category B).
    let before = full_plan(&app, "c-surg-09").await;
    assert_eq!(rota_of(&before), (5, "b".into()));
    assert_eq!(before["status"], "draft");
    let before_01 = full_plan(&app, "c-surg-01").await;
    assert_eq!(before_01["status"], "signed_off");

    // Adding c-surg-09 to the general surgery rota: 1 in 5 for all its members. For c-surg-09 it
    // is the more demanding of two 1 in 5 rotas (category A, 5% against B, 2%).
    let members = json!([
        "c-surg-01",
        "c-surg-02",
        "c-surg-03",
        "c-surg-04",
        "c-surg-09"
    ]);
    let (s, r) = put_json(&cd, &app, &path, json!({ "version": r["version"], "name": r["name"], "members": members, "reason": r["reason"], "action_plan": r["action_plan"] })).await;
    assert_eq!(s, 200, "{r}");
    assert_eq!(r["frequency"], "1 in 5");
    let added = reversioned(&r, "c-surg-09").expect("c-surg-09 re-versioned");
    let after = full_plan(&app, "c-surg-09").await;
    assert_eq!(added["version"], after["version"]);
    assert_eq!(
        after["version"].as_i64(),
        before["version"].as_i64().map(|v| v + 1)
    );
    assert_eq!(rota_of(&after), (5, "a".into()));
    assert!(supplement(&after) > supplement(&before), "{after}");
    // Emergency hours are kept from the plan's [on_call].
    assert_eq!(
        after["document"]["on_call"]["emergency_hours_plain"],
        before["document"]["on_call"]["emergency_hours_plain"]
    );
    assert!(
        added["note"]
            .as_str()
            .unwrap()
            .contains("General surgery emergency on-call now 1 in 5, category A"),
        "{added}"
    );
    assert!(
        added["note"].as_str().unwrap().contains("most demanding"),
        "{added}"
    );
    // A signed-off plan is reopened for an interim review, then changed (JP-1).
    let p01 = reversioned(&r, "c-surg-01").expect("c-surg-01 re-versioned");
    assert_eq!(p01["status"], "draft");
    assert_eq!(
        p01["version"].as_i64(),
        before_01["version"].as_i64().map(|v| v + 2)
    );
    let after_01 = full_plan(&app, "c-surg-01").await;
    assert_eq!(rota_of(&after_01), (5, "a".into()));
    assert!(
        supplement(&after_01) < supplement(&before_01),
        "1 in 4 is high, 1 in 5 medium"
    );
    let md = app.login("medical.director").await;
    let id01 = after_01["id"].as_i64().unwrap();
    let (_, versions) = get_json(&md, &app, &format!("/api/v1/job-plans/{id01}/versions")).await;
    let actions: Vec<&str> = versions
        .as_array()
        .unwrap()
        .iter()
        .rev()
        .take(2)
        .map(|v| v["action"].as_str().unwrap())
        .collect();
    assert_eq!(actions, ["on_call", "reopen"]);
    // A proposed plan changes and stays proposed; an agreed plan awaiting sign-off is refused.
    assert_eq!(
        reversioned(&r, "c-surg-02").expect("c-surg-02")["status"],
        "proposed"
    );
    assert_eq!(full_plan(&app, "c-surg-03").await["status"], "agreed");
    let why = refused(&r, "c-surg-03").expect("c-surg-03 refused");
    assert!(why.contains("agreed and awaiting sign-off"), "{why}");
    assert_eq!(
        rota_of(&full_plan(&app, "c-surg-03").await),
        (4, "a".into())
    );
    // The rota shows that plan as not agreeing.
    let (_, r) = get_json(&cd, &app, &path).await;
    let m03 = r["member_plans"]
        .as_array()
        .unwrap()
        .iter()
        .find(|m| m["consultant_id"] == "c-surg-03")
        .unwrap()
        .clone();
    assert_eq!(
        (
            m03["agrees"].as_bool(),
            m03["plan_says"].as_str(),
            m03["rotas_say"].as_str()
        ),
        (
            Some(false),
            Some("1 in 4, category A"),
            Some("1 in 5, category A")
        )
    );

    // Removing c-surg-02 (on no other rota) removes [on_call]; c-surg-09 goes back to the vascular
    // rota's 1 in 5, category B. The rota is now 1 in 3: high-frequency, with its reason.
    let body = json!({ "version": r["version"], "name": r["name"], "members": ["c-surg-01", "c-surg-03", "c-surg-04"],
        "reason": r["reason"], "action_plan": r["action_plan"] });
    let (s, r) = put_json(&cd, &app, &path, body).await;
    assert_eq!(s, 200, "{r}");
    assert!(reversioned(&r, "c-surg-02").is_some(), "{r}");
    let p02 = full_plan(&app, "c-surg-02").await;
    assert!(p02["document"].get("on_call").is_none(), "{p02}");
    assert_eq!(supplement(&p02), 0.0);
    assert_eq!(p02["assessment"]["on_call"]["band"], "none");
    assert_eq!(
        rota_of(&full_plan(&app, "c-surg-09").await),
        (5, "b".into())
    );
    assert_eq!(
        rota_of(&full_plan(&app, "c-surg-01").await),
        (3, "a".into())
    );

    // A category decision effective in the future changes no plan now; one effective today does.
    let decide = format!("{path}/category-decisions");
    let tomorrow = (today() + chrono::Days::new(1)).to_string();
    let (s, r) = post_json(&cd, &app, &decide, json!({ "version": r["version"], "category": "b", "effective_from": tomorrow, "reason": "advice by phone" })).await;
    assert_eq!(s, 200, "{r}");
    assert_eq!(
        r["plans"]["reversioned"].as_array().unwrap().len(),
        0,
        "{r}"
    );
    assert!(
        r["notes"]
            .as_array()
            .unwrap()
            .iter()
            .any(|n| n.as_str().unwrap().contains("decided prospectively")),
        "{r}"
    );
    assert_eq!(
        rota_of(&full_plan(&app, "c-surg-04").await),
        (3, "a".into())
    );
    let (s, r) = post_json(&cd, &app, &decide, json!({ "version": r["version"], "category": "b", "effective_from": today().to_string(), "reason": "advice by phone from today" })).await;
    assert_eq!(s, 200, "{r}");
    let p04 = reversioned(&r, "c-surg-04").expect("c-surg-04");
    assert!(
        p04["note"]
            .as_str()
            .unwrap()
            .contains("category B (category decision by clinical.director)"),
        "{p04}"
    );
    let after_04 = full_plan(&app, "c-surg-04").await;
    assert_eq!(rota_of(&after_04), (3, "b".into()));
    assert_eq!(supplement(&after_04), 3.0);

    // Every change is in the audit log, whose chain holds.
    let store = Store::connect(&app.db_url).await.unwrap();
    let id04 = after_04["id"].as_i64().unwrap();
    let entries = store
        .audit_for("job_plan", &id04.to_string(), 10)
        .await
        .unwrap();
    assert_eq!(entries[0].action, "on_call");
    assert_eq!(entries[0].actor, "clinical.director");
    assert!(entries[0]
        .after
        .as_deref()
        .unwrap()
        .contains("\"rota_size\":3"));
    assert_audit_intact(&md, &app).await;
}

/// Source: A 2.3 (JP-2), F 4(k) (OC-6): a plan edited concurrently is not overwritten; it is
/// reported, the rota change stands, and "bring the plans into line" mends it. Only those who may
/// change the rota may do so.
#[tokio::test]
async fn a_plan_that_moved_on_is_reported_and_brought_into_line_later() {
    let app = spawn_app().await;
    let general = rota_id(&app, "General surgery emergency on-call").await;
    let store = Store::connect(&app.db_url).await.unwrap();
    let plan = full_plan(&app, "c-surg-02").await;
    let (id, version) = (
        plan["id"].as_i64().unwrap(),
        plan["version"].as_i64().unwrap(),
    );
    // A rota change whose plan version was worked out from a version that has since moved on.
    let rota = store.rota(general).await.unwrap().unwrap();
    let members: Vec<String> = [
        "c-surg-01",
        "c-surg-02",
        "c-surg-03",
        "c-surg-04",
        "c-surg-08",
    ]
    .map(String::from)
    .to_vec();
    let mut doc = plan["document"].clone();
    doc["on_call"]["rota_size"] = json!(5);
    let assessment: tenpa_rules::Assessment =
        serde_json::from_value(plan["assessment"].clone()).expect("the API's assessment reads");
    let stale = tenpa_store::PlanVersions {
        job_plan_id: id,
        expected: version - 1,
        versions: vec![tenpa_store::NewVersion {
            status: tenpa_rules::job_planning::Status::Proposed,
            action: "on_call",
            note: "stale",
            document: &doc,
            assessment: &assessment,
            referral_alternate: None,
            sign_off: None,
        }],
    };
    let (v, outcomes) = store
        .update_rota(
            "clinical.director",
            general,
            rota.version,
            tenpa_store::RotaChange {
                name: &rota.name,
                reason: &rota.reason,
                action_plan: &rota.action_plan,
                members: &members,
            },
            &[stale],
        )
        .await
        .unwrap();
    assert_eq!(v, rota.version + 1);
    assert_eq!(
        outcomes,
        [tenpa_store::PlanOutcome::Conflict {
            job_plan_id: id,
            current: Some(version)
        }]
    );
    assert_eq!(
        full_plan(&app, "c-surg-02").await["version"].as_i64(),
        Some(version)
    );

    // The rota shows the plan as not agreeing; a consultant, another department's consultant and
    // the chief executive may not bring it into line.
    let cd = app.login("clinical.director").await;
    let (_, r) = get_json(&cd, &app, &format!("/api/v1/rotas/{general}")).await;
    let disagree: Vec<&str> = r["member_plans"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|m| m["agrees"] == false)
        .map(|m| m["consultant_id"].as_str().unwrap())
        .collect();
    assert!(
        disagree.contains(&"c-surg-02") && disagree.contains(&"c-surg-08"),
        "{r}"
    );
    let align = format!("/api/v1/rotas/{general}/plans");
    for user in ["consultant", "consultant2", "chief.executive"] {
        let c = app.login(user).await;
        assert_eq!(
            post_json(&c, &app, &align, json!({})).await.0,
            403,
            "{user}"
        );
    }
    // Medical staffing may change the rota but not reopen a signed-off plan (JP-1): those are refused.
    let staffing = app.login("medical.staffing").await;
    let (s, r) = post_json(&staffing, &app, &align, json!({})).await;
    assert_eq!(s, 200, "{r}");
    let ids: Vec<&str> = r["reversioned"]
        .as_array()
        .unwrap()
        .iter()
        .map(|p| p["consultant_id"].as_str().unwrap())
        .collect();
    assert!(ids.contains(&"c-surg-02"), "{r}");
    let refused01 = r["refused"]
        .as_array()
        .unwrap()
        .iter()
        .find(|p| p["consultant_id"] == "c-surg-01")
        .expect("c-surg-01 refused");
    assert!(
        refused01["reason"].as_str().unwrap().contains("signed off"),
        "{r}"
    );
    let p02 = full_plan(&app, "c-surg-02").await;
    assert_eq!(rota_of(&p02), (5, "a".into()));
    assert_eq!(p02["version"].as_i64(), Some(version + 1));
    // Bringing into line again changes nothing more for the plans that agree.
    let (_, again) = post_json(&staffing, &app, &align, json!({})).await;
    assert!(
        again["reversioned"]
            .as_array()
            .unwrap()
            .iter()
            .all(|p| p["consultant_id"] != "c-surg-02"),
        "{again}"
    );
    assert_eq!(
        full_plan(&app, "c-surg-02").await["version"].as_i64(),
        Some(version + 1)
    );
}
