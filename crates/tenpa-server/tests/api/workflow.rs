//! A plan's workflow: agreement, dispute and appeal, referral, concurrent edits, plans across employers.

use super::*;

/// Source: A 9-10, F 1(g) (JP-4): the whole workflow with a dispute and an appeal.
#[tokio::test]
async fn the_job_plan_workflow_with_a_dispute_and_an_appeal() {
    let app = spawn_app().await;
    let cd = app.login("clinical.director").await;
    let consultant = app.login("consultant").await;
    let staffing = app.login("medical.staffing").await;
    let md = app.login("medical.director").await;

    let r = cd
        .post(app.url("/api/v1/job-plans"))
        .json(&json!({ "document": surgeon_document("c-surg-01"), "note": "annual review 2005" }))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::CREATED);
    let plan: Value = r.json().await.unwrap();
    let id = plan["id"].as_i64().unwrap();
    assert_eq!(plan["status"], "draft");
    assert_eq!(
        plan["assessment"]["pay"]["availability_supplement_percent"],
        8.0
    );

    let mut v = 1;
    for (who, action, status) in [
        (&cd, "propose", "proposed"),
        (&consultant, "not_agree", "not_agreed"),
        (&consultant, "refer", "referred"),
        (&consultant, "appeal", "appeal"),
        (&staffing, "decide_appeal", "agreed"),
        (&cd, "cd_sign_off", "cd_signed_off"),
        (&md, "md_sign_off", "signed_off"),
    ] {
        let body = step(who, &app, id, v, action).await;
        v += 1;
        assert_eq!(body["status"], status);
        assert_eq!(body["version"], v);
    }
    let versions: Vec<Value> = md
        .get(app.url(&format!("/api/v1/job-plans/{id}/versions")))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    let actions: Vec<&str> = versions
        .iter()
        .map(|x| x["action"].as_str().unwrap())
        .collect();
    assert_eq!(
        actions,
        [
            "create",
            "propose",
            "not_agree",
            "refer",
            "appeal",
            "decide_appeal",
            "cd_sign_off",
            "md_sign_off"
        ]
    );
    assert_eq!(versions[4]["created_by"], "consultant");

    // A signed-off plan cannot be edited until reopened for an interim review (JP-1).
    let r = cd
        .put(app.url(&format!("/api/v1/job-plans/{id}")))
        .json(&json!({ "version": v, "document": surgeon_document("c-surg-01") }))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::CONFLICT);
    step(&cd, &app, id, v, "reopen").await;
    let r = cd.put(app.url(&format!("/api/v1/job-plans/{id}"))).json(&json!({ "version": v + 1, "document": surgeon_document("c-surg-01"), "note": "interim review" })).send().await.unwrap();
    assert_eq!(r.status(), StatusCode::OK);

    // The wrong state is refused with the possible actions named.
    let r = consultant
        .post(app.url(&format!("/api/v1/job-plans/{id}/transitions")))
        .json(&json!({ "version": v + 2, "action": "md_sign_off" }))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::CONFLICT);
    let p: Value = r.json().await.unwrap();
    assert!(
        p["detail"]
            .as_str()
            .unwrap()
            .contains("possible actions are: propose"),
        "{p}"
    );

    let audit: Value = md
        .get(app.url("/api/v1/audit/verify"))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert!(audit["first_broken"].is_null(), "{audit}");
}

/// Posts a transition and returns the status and the body.
async fn try_step(c: &Client, app: &TestApp, id: i64, body: Value) -> (u16, Value) {
    let r = c
        .post(app.url(&format!("/api/v1/job-plans/{id}/transitions")))
        .json(&body)
        .send()
        .await
        .unwrap();
    let status = r.status().as_u16();
    (status, r.json().await.unwrap())
}

/// Source: F 1(g), A 10.1 (JP-4): when the medical director is a party to the initial decision,
/// the referral goes to a named alternate, who alone resolves it.
#[tokio::test]
async fn a_referral_goes_to_a_named_alternate_when_the_md_is_a_party() {
    let app = spawn_app().await;
    let md = app.login("medical.director").await;
    let consultant = app.login("consultant2").await;
    // The surgery clinical director: not the manager of a medicine plan, so not a party.
    let alternate = app.login("clinical.director").await;

    // The medical director draws up and proposes the plan: a party to the initial decision.
    let r = md
        .post(app.url("/api/v1/job-plans"))
        .json(&json!({ "document": surgeon_document("c-med-10"), "note": "annual review" }))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::CREATED);
    let plan: Value = r.json().await.unwrap();
    let id = plan["id"].as_i64().unwrap();
    assert!(plan["referral_alternate"].is_null(), "{plan}");
    step(&md, &app, id, 1, "propose").await;
    step(&consultant, &app, id, 2, "not_agree").await;

    // The alternate cannot see the plan before it is referred to them.
    let get = |c: &Client| c.get(app.url(&format!("/api/v1/job-plans/{id}"))).send();
    assert_eq!(
        get(&alternate).await.unwrap().status(),
        StatusCode::FORBIDDEN
    );

    // Without an alternate, or with one who may not be named, the referral is refused.
    let refer = |alt: Option<&str>| {
        let mut body =
            json!({ "version": 3, "action": "refer", "note": "We cannot agree the SPAs." });
        if let Some(a) = alt {
            body["alternate"] = json!(a);
        }
        body
    };
    let (s, p) = try_step(&consultant, &app, id, refer(None)).await;
    assert_eq!((s, p["field"].as_str()), (422, Some("alternate")), "{p}");
    assert!(p["detail"].as_str().unwrap().contains("JP-4"), "{p}");
    for name in [
        "nobody",
        "medical.staffing",
        "consultant",
        "medical.director",
    ] {
        let (s, p) = try_step(&consultant, &app, id, refer(Some(name))).await;
        assert_eq!(
            (s, p["field"].as_str()),
            (422, Some("alternate")),
            "{name}: {p}"
        );
    }
    // A disabled account cannot be named (regression: a trust's first start, disabling).
    let store = tenpa_store::Store::connect(&app.db_url).await.unwrap();
    assert!(store
        .set_user_disabled("test", "clinical.director", true)
        .await
        .unwrap());
    let (s, p) = try_step(&consultant, &app, id, refer(Some("clinical.director"))).await;
    assert_eq!((s, p["field"].as_str()), (422, Some("alternate")), "{p}");
    assert!(p["detail"].as_str().unwrap().contains("disabled"), "{p}");
    assert!(store
        .set_user_disabled("test", "clinical.director", false)
        .await
        .unwrap());
    let alternate = app.login("clinical.director").await;

    // An unknown field is still refused.
    let mut body = refer(Some("clinical.director"));
    body["alternates"] = json!([]);
    let (s, _) = try_step(&consultant, &app, id, body).await;
    assert_eq!(s, 400);

    let (s, plan) = try_step(&consultant, &app, id, refer(Some("clinical.director"))).await;
    assert_eq!(s, 200, "{plan}");
    assert_eq!(plan["status"], "referred");
    assert_eq!(plan["referral_alternate"], "clinical.director");

    // The medical director sees who the referral is with, and may not resolve it.
    let r = get(&md).await.unwrap();
    let seen: Value = r.json().await.unwrap();
    assert_eq!(seen["referral_alternate"], "clinical.director");
    assert!(seen["actions"].as_array().unwrap().is_empty(), "{seen}");
    let resolve = json!({ "version": 4, "action": "resolve", "note": "Two SPAs agreed." });
    let (s, p) = try_step(&md, &app, id, resolve.clone()).await;
    assert_eq!(s, 403, "{p}");
    assert!(
        p["detail"].as_str().unwrap().contains("named alternate"),
        "{p}"
    );

    // The alternate sees the plan and resolves the referral.
    let r = get(&alternate).await.unwrap();
    assert_eq!(r.status(), StatusCode::OK);
    let seen: Value = r.json().await.unwrap();
    assert_eq!(seen["actions"], json!(["resolve"]));
    let (s, plan) = try_step(&alternate, &app, id, resolve).await;
    assert_eq!(s, 200, "{plan}");
    assert_eq!(plan["status"], "agreed");
    assert!(plan["referral_alternate"].is_null(), "cleared: {plan}");
    // Once it is resolved, the plan is no longer the alternate's to see.
    assert_eq!(
        get(&alternate).await.unwrap().status(),
        StatusCode::FORBIDDEN
    );

    let versions: Vec<Value> = md
        .get(app.url(&format!("/api/v1/job-plans/{id}/versions")))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(versions[4]["action"], "resolve");
    assert_eq!(versions[4]["created_by"], "clinical.director");

    // A referral where the medical director is not a party goes to the medical director.
    let r = consultant
        .post(app.url("/api/v1/job-plans"))
        .json(&json!({ "document": surgeon_document("c-med-10") }))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::CREATED);
    let id2 = r.json::<Value>().await.unwrap()["id"].as_i64().unwrap();
    // An alternate belongs to a referral only.
    let (s, p) = try_step(
        &consultant,
        &app,
        id2,
        json!({ "version": 1, "action": "propose", "alternate": "clinical.director" }),
    )
    .await;
    assert_eq!((s, p["field"].as_str()), (422, Some("alternate")), "{p}");
    step(&consultant, &app, id2, 1, "propose").await;
    step(&consultant, &app, id2, 2, "not_agree").await;
    let plan = step(&consultant, &app, id2, 3, "refer").await;
    assert!(plan["referral_alternate"].is_null(), "{plan}");
    let plan = step(&md, &app, id2, 4, "resolve").await;
    assert_eq!(plan["status"], "agreed");

    // The demo's referral where the medical director proposed the plan.
    let demo = app.plan_of("c-anaes-23").await;
    assert_eq!(demo["status"], "referred");
    assert_eq!(demo["referral_alternate"], "clinical.director");

    let audit: Value = md
        .get(app.url("/api/v1/audit/verify"))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert!(audit["first_broken"].is_null(), "{audit}");
}

/// Two editors update one plan from the same version: exactly one wins, the other gets 409 with
/// the current version, and nothing is lost.
#[tokio::test]
async fn two_editors_one_conflict_no_lost_update() {
    let app = spawn_app().await;
    let plan = app.plan_of("c-surg-02").await;
    let id = plan["id"].as_i64().unwrap();
    let md = app.login("medical.director").await;
    let ms = app.login("medical.staffing").await;
    let current: Value = md
        .get(app.url(&format!("/api/v1/job-plans/{id}")))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(current["editable"], true, "{current}");
    let version = current["version"].as_i64().unwrap();
    let mut doc_a = current["document"].clone();
    doc_a["job_plan"]["local_variation"] = json!("edit A");
    let mut doc_b = current["document"].clone();
    doc_b["job_plan"]["local_variation"] = json!("edit B");
    let (a, b) = tokio::join!(
        md.put(app.url(&format!("/api/v1/job-plans/{id}")))
            .json(&json!({ "version": version, "document": doc_a }))
            .send(),
        ms.put(app.url(&format!("/api/v1/job-plans/{id}")))
            .json(&json!({ "version": version, "document": doc_b }))
            .send(),
    );
    let (a, b) = (a.unwrap(), b.unwrap());
    let mut codes = [a.status().as_u16(), b.status().as_u16()];
    codes.sort();
    assert_eq!(codes, [200, 409]);
    let loser = if a.status() == StatusCode::CONFLICT {
        a
    } else {
        b
    };
    let problem: Value = loser.json().await.unwrap();
    assert_eq!(problem["current_version"], version + 1);
    let after: Value = md
        .get(app.url(&format!("/api/v1/job-plans/{id}")))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(after["version"], version + 1);
    let kept = after["document"]["job_plan"]["local_variation"]
        .as_str()
        .unwrap();
    assert!(kept == "edit A" || kept == "edit B");
}

/// Source: F 1(f), A 11.1 (JP-5): a plan across two NHS employers is one integrated plan: the API
/// assesses it with PAs and hours by employer, refuses an activity naming an unknown employer, and
/// the demo's multi-employer plan carries its employers.
#[tokio::test]
async fn a_plan_across_two_employers_is_assessed_as_one_integrated_plan() {
    let app = spawn_app().await;
    let c = Client::new();
    let mut doc = surgeon_document("c-two");
    doc["employer"] = json!([
        { "id": "north", "name": "North Trust", "lead": true },
        { "id": "south", "name": "South Trust" }
    ]);
    let n = doc["activity"].as_array().unwrap().len();
    doc["activity"][n - 1]["employer"] = json!("south");
    doc["activity"][n - 2]["employer"] = json!("south");
    let single: Value = c
        .post(app.url("/api/v1/assessments"))
        .json(&surgeon_document("c-one"))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert!(single.get("employers").is_none(), "one employer: no field");
    let r = c
        .post(app.url("/api/v1/assessments"))
        .json(&doc)
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::OK);
    let a: Value = r.json().await.unwrap();
    let employers = a["employers"].as_array().expect("employers");
    assert_eq!(employers.len(), 2);
    assert_eq!(employers[0]["id"], "north");
    assert_eq!(employers[0]["lead"], true);
    assert_eq!(employers[1]["name"], "South Trust");
    let sum: f64 = employers.iter().map(|e| e["pas"].as_f64().unwrap()).sum();
    assert!((sum - a["pas"]["total"].as_f64().unwrap()).abs() < 0.002);
    assert!(employers[1]["pas"].as_f64().unwrap() > 0.0);
    // Moving work between employers changes neither the plan's totals nor its pay.
    assert_eq!(a["pas"], single["pas"]);
    assert_eq!(a["pay"], single["pay"]);
    assert!(a["findings"]
        .as_array()
        .unwrap()
        .iter()
        .any(|f| f["rule"] == "JP-5" && f["severity"] == "info"));

    doc["activity"][0]["employer"] = json!("west");
    let r = c
        .post(app.url("/api/v1/assessments"))
        .json(&doc)
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let p: Value = r.json().await.unwrap();
    assert_eq!(p["field"], "activity[0].employer", "{p}");
    assert!(p["detail"].as_str().unwrap().contains("\"west\""), "{p}");

    let md = app.login("medical.director").await;
    let id = app.plan_of("c-med-17").await["id"].as_i64().unwrap();
    let plan: Value = md
        .get(app.url(&format!("/api/v1/job-plans/{id}")))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(plan["document"]["employer"][0]["lead"], true);
    assert_eq!(plan["assessment"]["employers"].as_array().unwrap().len(), 2);
}

/// The plan list's `total_pas` is the current version's assessed PAs a week, kept as a summary
/// column: for every demo plan, and after an edit changes the total.
#[tokio::test]
async fn the_plan_list_gives_each_current_versions_total_pas() {
    let app = spawn_app().await;
    let md = app.login("medical.director").await;
    let get = |path: String| {
        let md = md.clone();
        let url = app.url(&path);
        async move {
            let r = md.get(url).send().await.unwrap();
            assert_eq!(r.status(), StatusCode::OK, "{path}");
            r.json::<Value>().await.unwrap()
        }
    };
    let list = get("/api/v1/job-plans".into()).await;
    let list = list.as_array().unwrap();
    assert!(!list.is_empty());
    for p in list {
        let plan = get(format!("/api/v1/job-plans/{}", p["id"])).await;
        assert_eq!(p["total_pas"], plan["assessment"]["pas"]["total"], "{p}");
    }

    let mut doc = surgeon_document("c-surg-01");
    let r = md
        .post(app.url("/api/v1/job-plans"))
        .json(&json!({ "document": doc.clone(), "note": "first" }))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::CREATED);
    let plan: Value = r.json().await.unwrap();
    let id = plan["id"].as_i64().unwrap();
    let before = plan["assessment"]["pas"]["total"].as_f64().unwrap();
    doc["activity"].as_array_mut().unwrap().pop();
    let r = md
        .put(app.url(&format!("/api/v1/job-plans/{id}")))
        .json(&json!({ "version": 1, "document": doc, "note": "one activity fewer" }))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::OK);
    let edited: Value = r.json().await.unwrap();
    let after = edited["assessment"]["pas"]["total"].as_f64().unwrap();
    assert!(after < before, "{before} then {after}");
    let list = get("/api/v1/job-plans".into()).await;
    let mine = list
        .as_array()
        .unwrap()
        .iter()
        .find(|p| p["id"] == id)
        .unwrap();
    assert_eq!(mine["total_pas"].as_f64(), Some(after));
}

/// The places of a plan's findings that must be acknowledged at a sign-off (warnings and errors).
fn to_acknowledge(plan: &Value) -> Vec<usize> {
    plan["assessment"]["findings"]
        .as_array()
        .unwrap()
        .iter()
        .enumerate()
        .filter(|(_, f)| f["severity"] == "warning" || f["severity"] == "error")
        .map(|(i, _)| i)
        .collect()
}

async fn sign(c: &Client, app: &TestApp, id: i64, body: Value) -> (u16, Value) {
    post_json(c, app, &format!("/api/v1/job-plans/{id}/transitions"), body).await
}

/// Source: A 9.1-9.2, F 1(c) (JP-1), as the project reads them: a plan signed off with a warning
/// has each warning acknowledged at each sign-off, the comments kept in the version; a plan with an
/// error reaches `signed_off` only with the medical director's override and its reason, shown on
/// the plan.
#[tokio::test]
async fn sign_off_acknowledges_warnings_and_an_error_needs_the_medical_directors_override() {
    let app = spawn_app().await;
    let cd = app.login("clinical.director").await;
    let consultant = app.login("consultant").await;
    let md = app.login("medical.director").await;

    // 10 PAs timetabled against 9 contracted: a WW-9 warning.
    let mut doc = surgeon_document("c-surg-01");
    doc["job_plan"]["contracted_pas"] = json!(9);
    let (s, plan) = post_json(&cd, &app, "/api/v1/job-plans", json!({ "document": doc })).await;
    assert_eq!(s, 201, "{plan}");
    let id = plan["id"].as_i64().unwrap();
    let warnings = to_acknowledge(&plan);
    assert_eq!(warnings.len(), 1, "{plan}");
    let w = warnings[0];
    assert_eq!(plan["assessment"]["findings"][w]["rule"], "WW-9");
    step(&cd, &app, id, 1, "propose").await;
    step(&consultant, &app, id, 2, "agree").await;
    // Not acknowledged, acknowledged wrongly, or with a reason where there is no error: refused.
    for (body, field) in [
        (
            json!({ "version": 3, "action": "cd_sign_off" }),
            "acknowledgements",
        ),
        (
            json!({ "version": 3, "action": "cd_sign_off", "acknowledgements": [{ "finding": w }, { "finding": w }] }),
            "acknowledgements",
        ),
        (
            json!({ "version": 3, "action": "cd_sign_off", "acknowledgements": [{ "finding": w }, { "finding": 99 }] }),
            "acknowledgements",
        ),
        (
            json!({ "version": 3, "action": "cd_sign_off", "acknowledgements": [{ "finding": w }], "override_reason": "no" }),
            "override_reason",
        ),
    ] {
        let (s, p) = sign(&cd, &app, id, body.clone()).await;
        assert_eq!((s, &p["field"]), (422, &json!(field)), "{body}: {p}");
    }
    let (s, p) = sign(
        &cd,
        &app,
        id,
        json!({ "version": 3, "action": "cd_sign_off" }),
    )
    .await;
    assert!(p["detail"].as_str().unwrap().contains("WW-9"), "{s} {p}");
    let (s, p) = sign(
        &cd,
        &app,
        id,
        json!({ "version": 3, "action": "cd_sign_off", "acknowledgements": [{ "finding": w, "comment": "  One PA moves to the extra-PA offer in April.  " }] }),
    )
    .await;
    assert_eq!((s, &p["status"]), (200, &json!("cd_signed_off")), "{p}");
    let (s, p) = sign(
        &md,
        &app,
        id,
        json!({ "version": 4, "action": "md_sign_off" }),
    )
    .await;
    assert_eq!((s, &p["field"]), (422, &json!("acknowledgements")), "{p}");
    let (s, p) = sign(
        &md,
        &app,
        id,
        json!({ "version": 4, "action": "md_sign_off", "acknowledgements": [{ "finding": w }] }),
    )
    .await;
    assert_eq!((s, &p["status"]), (200, &json!("signed_off")), "{p}");
    let (_, versions) = get_json(&md, &app, &format!("/api/v1/job-plans/{id}/versions")).await;
    let cd_said = &versions[3]["sign_off"];
    assert_eq!(versions[3]["action"], "cd_sign_off");
    assert_eq!(
        (
            &cd_said["acknowledged"][0]["rule"],
            &cd_said["acknowledged"][0]["severity"],
            &cd_said["acknowledged"][0]["comment"]
        ),
        (
            &json!("WW-9"),
            &json!("warning"),
            &json!("One PA moves to the extra-PA offer in April.")
        ),
        "{versions}"
    );
    assert!(cd_said.get("override_reason").is_none(), "{cd_said}");
    assert_eq!(versions[4]["sign_off"]["acknowledged"][0]["comment"], "");
    assert!(versions[1]["sign_off"].is_null(), "{versions}");

    // An activity in a week the cycle does not have: a WW-5 error, beside the warning.
    let mut doc = surgeon_document("c-surg-01");
    doc["job_plan"]["contracted_pas"] = json!(8);
    doc["activity"][1]["weeks"] = json!([2]);
    let (s, plan) = post_json(&cd, &app, "/api/v1/job-plans", json!({ "document": doc })).await;
    assert_eq!(s, 201, "{plan}");
    let id = plan["id"].as_i64().unwrap();
    let all: Vec<Value> = to_acknowledge(&plan)
        .into_iter()
        .map(|i| json!({ "finding": i }))
        .collect();
    assert_eq!(all.len(), 2, "{plan}");
    step(&cd, &app, id, 1, "propose").await;
    step(&consultant, &app, id, 2, "agree").await;
    // The clinical director acknowledges the error too, and passes it to the medical director.
    let (s, p) = sign(
        &cd,
        &app,
        id,
        json!({ "version": 3, "action": "cd_sign_off", "acknowledgements": all }),
    )
    .await;
    assert_eq!(s, 200, "{p}");
    // Without a reason, or a blank one, refused; with one, signed off.
    let reason = "The clinic moves to week 1 when the cycle is redesigned in May.";
    for given in [None, Some("   "), Some(reason)] {
        let (s, p) = sign(
            &md,
            &app,
            id,
            json!({ "version": 4, "action": "md_sign_off", "acknowledgements": all, "override_reason": given }),
        )
        .await;
        if given == Some(reason) {
            assert_eq!((s, &p["status"]), (200, &json!("signed_off")), "{p}");
        } else {
            assert_eq!((s, &p["field"]), (422, &json!("override_reason")), "{p}");
            assert!(p["detail"].as_str().unwrap().contains("WW-5"), "{p}");
        }
    }
    let (_, versions) = get_json(&md, &app, &format!("/api/v1/job-plans/{id}/versions")).await;
    assert_eq!(versions[4]["sign_off"]["override_reason"], reason);
    // Shown on the plan, in its history and on the printed plan.
    for page in [
        format!("/plans/{id}"),
        format!("/plans/{id}/workflow"),
        format!("/plans/{id}/print"),
    ] {
        let html = html_of(&md, &app, &page).await;
        assert!(html.contains(reason), "{page}");
        assert!(html.contains("Signed off despite an error"), "{page}");
    }
    assert_audit_intact(&md, &app).await;
}

/// Whoever a step now waits for is told in the application: the consultant of a plan proposed to
/// them and signed off, the clinical director of a plan agreed, the medical director of a plan
/// signed off by the clinical director; each reads their own and marks them read.
#[tokio::test]
async fn each_step_tells_whoever_it_now_waits_for() {
    let app = spawn_app().await;
    let cd = app.login("clinical.director").await;
    let consultant = app.login("consultant").await;
    let md = app.login("medical.director").await;
    let (s, plan) = post_json(
        &cd,
        &app,
        "/api/v1/job-plans",
        json!({ "document": surgeon_document("c-surg-01") }),
    )
    .await;
    assert_eq!(s, 201, "{plan}");
    let id = plan["id"].as_i64().unwrap();
    let link = format!("/plans/{id}/workflow");
    let latest = |c: &Client| {
        let c = c.clone();
        let app_url = app.url("/api/v1/notifications");
        async move {
            let list: Value = c.get(app_url).send().await.unwrap().json().await.unwrap();
            list
        }
    };
    let steps: [(&Client, &str, &Client, &str); 4] = [
        (&cd, "propose", &consultant, "proposed"),
        (&consultant, "agree", &cd, "sign_off"),
        (&cd, "cd_sign_off", &md, "sign_off"),
        (&md, "md_sign_off", &consultant, "signed_off"),
    ];
    for (v, (who, action, told, kind)) in steps.into_iter().enumerate() {
        step(who, &app, id, v as i64 + 1, action).await;
        let list = latest(told).await;
        let n = &list[0];
        assert_eq!(
            (&n["kind"], &n["link"]),
            (&json!(kind), &json!(link)),
            "{action}: {list}"
        );
        assert!(n["read_at"].is_null());
        // The one who took the step is not told of it.
        let theirs = latest(who).await;
        assert!(
            theirs
                .as_array()
                .unwrap()
                .iter()
                .all(|x| !(x["link"] == json!(link)
                    && x["kind"] == json!(kind)
                    && x["created_at"] == n["created_at"])),
            "{action}: {theirs}"
        );
    }
    // The header counts the unread; marking another's id changes nothing; all read then.
    let page = html_of(&consultant, &app, "/").await;
    assert!(page.contains("Notifications (2 unread)"), "the header");
    let mine = latest(&consultant).await;
    let (_, md_list) = get_json(&md, &app, "/api/v1/notifications").await;
    let others = md_list[0]["id"].as_i64().unwrap();
    let (s, r) = post_json(
        &consultant,
        &app,
        "/api/v1/notifications/read",
        json!({ "ids": [others] }),
    )
    .await;
    assert_eq!((s, &r["marked"]), (200, &json!(0)), "{r}");
    let (s, r) = post_json(
        &consultant,
        &app,
        "/api/v1/notifications/read",
        json!({ "ids": [mine[0]["id"]] }),
    )
    .await;
    assert_eq!((s, &r["marked"]), (200, &json!(1)), "{r}");
    let (s, r) = post_json(&consultant, &app, "/api/v1/notifications/read", json!({})).await;
    assert_eq!((s, &r["marked"]), (200, &json!(1)), "{r}");
    assert!(latest(&consultant)
        .await
        .as_array()
        .unwrap()
        .iter()
        .all(|n| n["read_at"].is_string()));
    let page = html_of(&consultant, &app, "/").await;
    assert!(!page.contains("unread)"), "nothing unread");
    let (_, md_list) = get_json(&md, &app, "/api/v1/notifications").await;
    assert!(
        md_list[0]["read_at"].is_null(),
        "another's notification stays unread"
    );
}
