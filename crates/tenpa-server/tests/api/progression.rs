//! Pay progression: decisions and appeals, the criteria, spare capacity and extra PAs' notice.

use super::*;

/// Source: C 4.2-4.3, C 7 (PP-3): report, recommendation, decision, appeal and outcome.
#[tokio::test]
async fn a_progression_decision_with_an_appeal() {
    let app = spawn_app().await;
    let cd = app.login("clinical.director").await;
    let md = app.login("medical.director").await;
    let ce = app.login("chief.executive").await;
    let ms = app.login("medical.staffing").await;
    let consultant = app.login("consultant").await;
    let review = json!({
        "consultant_id": "c-surg-01", "kind": "annual", "year_ending": "2006-01-01",
        "met_time_and_service": true, "met_objectives_or_reasonable_effort": false,
        "took_part_in_appraisal_and_job_planning": true, "worked_towards_service_changes": true,
        "notes": "objectives missed"
    });
    let r = cd
        .post(app.url("/api/v1/reviews"))
        .json(&review)
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::CREATED);
    let case = r.json::<Value>().await.unwrap()["progression_case_id"]
        .as_i64()
        .unwrap();
    let step = |c: &Client, body: Value| {
        c.post(app.url(&format!("/api/v1/progression-cases/{case}/steps")))
            .json(&body)
            .send()
    };

    // The CE cannot decide before the MD recommends; the MD cannot decide.
    assert_eq!(
        step(
            &ce,
            json!({ "version": 1, "step": "decide", "outcome": "defer", "reason": "x" })
        )
        .await
        .unwrap()
        .status(),
        StatusCode::CONFLICT
    );
    assert_eq!(
        step(
            &md,
            json!({ "version": 1, "step": "recommend", "outcome": "defer" })
        )
        .await
        .unwrap()
        .status(),
        StatusCode::UNPROCESSABLE_ENTITY,
        "a deferral needs a reason"
    );
    assert_eq!(step(&md, json!({ "version": 1, "step": "recommend", "outcome": "defer", "reason": "objectives not met" })).await.unwrap().status(), StatusCode::OK);
    assert_eq!(
        step(
            &md,
            json!({ "version": 2, "step": "decide", "outcome": "defer", "reason": "x" })
        )
        .await
        .unwrap()
        .status(),
        StatusCode::FORBIDDEN
    );
    assert_eq!(step(&ce, json!({ "version": 2, "step": "decide", "outcome": "defer", "reason": "objectives not met" })).await.unwrap().status(), StatusCode::OK);
    // Someone else's consultant cannot appeal; the consultant can.
    let other = app.login("consultant2").await;
    assert_eq!(
        step(
            &other,
            json!({ "version": 3, "step": "appeal", "reason": "x" })
        )
        .await
        .unwrap()
        .status(),
        StatusCode::FORBIDDEN
    );
    assert_eq!(
        step(
            &consultant,
            json!({ "version": 3, "step": "appeal", "reason": "illness in the year" })
        )
        .await
        .unwrap()
        .status(),
        StatusCode::OK
    );
    let r = step(&ms, json!({ "version": 4, "step": "decide_appeal", "outcome": "progress", "reason": "panel: illness shown; employer discretion (C 4.4)" })).await.unwrap();
    assert_eq!(r.status(), StatusCode::OK);
    let view: Value = r.json().await.unwrap();
    assert_eq!(view["status"], "closed");
    assert_eq!(view["outcome"], "progress");
    let steps: Vec<&str> = view["steps"]
        .as_array()
        .unwrap()
        .iter()
        .map(|s| s["step"].as_str().unwrap())
        .collect();
    assert_eq!(
        steps,
        ["report", "recommend", "decide", "appeal", "decide_appeal"]
    );
    // Board members do not see progression cases; the consultant sees their own.
    let board = app.login("board.member").await;
    assert_eq!(
        board
            .get(app.url(&format!("/api/v1/progression-cases/{case}")))
            .send()
            .await
            .unwrap()
            .status(),
        StatusCode::FORBIDDEN
    );
    assert_eq!(
        other
            .get(app.url(&format!("/api/v1/progression-cases/{case}")))
            .send()
            .await
            .unwrap()
            .status(),
        StatusCode::FORBIDDEN
    );
    assert_eq!(
        consultant
            .get(app.url(&format!("/api/v1/progression-cases/{case}")))
            .send()
            .await
            .unwrap()
            .status(),
        StatusCode::OK
    );
    // A clinical director of another department cannot record a review here.
    let r = cd
        .post(app.url("/api/v1/reviews"))
        .json(&json!({
            "consultant_id": "c-med-10", "kind": "annual", "year_ending": "2006-01-01",
            "met_time_and_service": true, "met_objectives_or_reasonable_effort": true,
            "took_part_in_appraisal_and_job_planning": true, "worked_towards_service_changes": true
        }))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::FORBIDDEN);
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

/// An annual review of `consultant` for the year ending `ending` with all four A 9.4 criteria met
/// and `extra` fields; returns the progression case it opened.
async fn annual_review(
    c: &Client,
    app: &TestApp,
    consultant: &str,
    ending: &str,
    extra: Value,
) -> i64 {
    let mut review = json!({
        "consultant_id": consultant, "kind": "annual", "year_ending": ending,
        "met_time_and_service": true, "met_objectives_or_reasonable_effort": true,
        "took_part_in_appraisal_and_job_planning": true, "worked_towards_service_changes": true,
    });
    for (k, v) in extra.as_object().unwrap() {
        review[k] = v.clone();
    }
    let (s, r) = post_json(c, app, "/api/v1/reviews", review).await;
    assert_eq!(s, 201, "{r}");
    r["progression_case_id"].as_i64().unwrap()
}

/// Source: F 3(c), C 3.1 (PP-1), D 3.6-3.7 (PRV-2), F 3(e), C 4.4 (PP-2): a year whose private
/// practice disclosure is stale fails PP-1 for a consultant with private practice, so progress
/// needs the employer's recorded reason; a year meeting all six criteria progresses without one;
/// a consultant with no private practice has nothing to disclose (D 3.6).
#[tokio::test]
async fn progress_despite_a_failed_criterion_needs_the_employers_reason() {
    let app = spawn_app().await;
    let cd = app.login("clinical.director").await;
    let md = app.login("medical.director").await;
    let ce = app.login("chief.executive").await;
    let ms = app.login("medical.staffing").await;
    // c-surg-03's plan records no private practice: its stale disclosure does not fail the year.
    let case = annual_review(&cd, &app, "c-surg-03", "2007-09-01", json!({})).await;
    let (s, view) = get_json(&md, &app, &format!("/api/v1/progression-cases/{case}")).await;
    assert_eq!(s, 200, "{view}");
    assert_eq!(view["criteria"]["failed"], json!([]), "{view}");
    assert_eq!(view["criteria"]["criteria"][5]["rule"], "PP-1", "{view}");
    assert_eq!(
        view["criteria"]["criteria"][5]["citation"], "D 3.6",
        "{view}"
    );
    // c-surg-04's plan records private practice; its latest disclosure on record is the demo's,
    // two months before its 2005 review.
    let case = annual_review(&cd, &app, "c-surg-04", "2007-09-01", json!({})).await;
    let path = format!("/api/v1/progression-cases/{case}");
    let (s, view) = get_json(&md, &app, &path).await;
    assert_eq!(s, 200, "{view}");
    let criteria = &view["criteria"];
    assert_eq!(
        criteria["failed"],
        json!(["met_private_practice_standards"]),
        "{view}"
    );
    assert_eq!(criteria["year_starting"], "2006-09-01");
    let rules: Vec<&str> = criteria["criteria"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| c["rule"].as_str().unwrap())
        .collect();
    assert_eq!(rules, ["PP-1", "PP-1", "PP-1", "PP-1", "PP-4", "PRV-2"]);
    assert!(criteria["criteria"][5]["reason"]
        .as_str()
        .unwrap()
        .contains("2005-02-01"));
    let steps = format!("{path}/steps");
    let (s, p) = post_json(
        &md,
        &app,
        &steps,
        json!({ "version": 1, "step": "recommend", "outcome": "progress", "reason": "  " }),
    )
    .await;
    assert_eq!((s, p["field"].as_str()), (422, Some("reason")), "{p}");
    assert!(p["detail"].as_str().unwrap().contains("(PRV-2)"), "{p}");
    // Deferring is open as before; progress with the reason records it.
    let reason = "Disclosure made late after a long illness; standards otherwise met.";
    let (s, v) = post_json(
        &md,
        &app,
        &steps,
        json!({ "version": 1, "step": "recommend", "outcome": "progress", "reason": reason }),
    )
    .await;
    assert_eq!(s, 200, "{v}");
    let (s, p) = post_json(
        &ce,
        &app,
        &steps,
        json!({ "version": 2, "step": "decide", "outcome": "progress" }),
    )
    .await;
    assert_eq!((s, p["field"].as_str()), (422, Some("reason")), "{p}");
    let (s, v) = post_json(
        &ce,
        &app,
        &steps,
        json!({ "version": 2, "step": "decide", "outcome": "progress", "reason": reason }),
    )
    .await;
    assert_eq!(s, 200, "{v}");
    assert_eq!(v["steps"][2]["reason"], reason);
    assert_eq!(v["outcome"], "progress");

    // A disclosure within the year: all six met, progress needs no reason.
    let (s, r) = post_json(&ms, &app, "/api/v1/private-practice-disclosures", json!({ "consultant_id": "c-surg-04", "disclosed_on": "2008-08-01", "commitments": "None." })).await;
    assert_eq!(s, 201, "{r}");
    let case = annual_review(&cd, &app, "c-surg-04", "2008-09-01", json!({})).await;
    let steps = format!("/api/v1/progression-cases/{case}/steps");
    let (s, v) = post_json(
        &md,
        &app,
        &steps,
        json!({ "version": 1, "step": "recommend", "outcome": "progress" }),
    )
    .await;
    assert_eq!(s, 200, "{v}");
    assert_eq!(v["criteria"]["failed"], json!([]), "{v}");
    let (s, v) = post_json(
        &ce,
        &app,
        &steps,
        json!({ "version": 2, "step": "decide", "outcome": "progress" }),
    )
    .await;
    assert_eq!((s, v["status"].as_str()), (200, Some("decided")), "{v}");
    assert_audit_intact(&md, &app).await;
}

/// Source: F 6(c)-(e) (PP-4), F 6(c) (PP-5): the consultant answers an offer made correctly;
/// declining it and doing outside work that is not exempt fails the year's spare capacity.
#[tokio::test]
async fn spare_capacity_fails_from_a_declined_offer_and_outside_work() {
    let app = spawn_app().await;
    let cd = app.login("clinical.director").await;
    let ms = app.login("medical.staffing").await;
    let consultant = app.login("consultant").await;
    let other = app.login("consultant2").await;
    let offer = json!({ "offered_on": "2008-01-07", "starts_on": "2008-04-07", "pas": 1 });
    let (s, r) = post_json(
        &cd,
        &app,
        "/api/v1/extra-pa-offers",
        json!({ "consultant_id": "c-surg-01", "offer": offer }),
    )
    .await;
    assert_eq!(s, 201, "{r}");
    assert_eq!(
        (r["awaiting_response"].as_bool(), r["version"].as_i64()),
        (Some(true), Some(1)),
        "{r}"
    );
    assert!(r["offer"].get("response").is_none(), "{r}");
    let id = r["id"].as_i64().unwrap();
    let respond = format!("/api/v1/extra-pa-offers/{id}/response");
    let answer = json!({ "version": 1, "response": "declined", "responded_on": "2008-01-21" });
    // Another consultant may not answer (nor see) it; a bad answer names its field.
    assert_eq!(
        post_json(&other, &app, &respond, answer.clone()).await.0,
        403
    );
    let (s, p) = post_json(
        &consultant,
        &app,
        &respond,
        json!({ "version": 1, "response": "maybe", "responded_on": "2008-01-21" }),
    )
    .await;
    assert_eq!((s, p["field"].as_str()), (422, Some("response")), "{p}");
    let (s, p) = post_json(
        &consultant,
        &app,
        &respond,
        json!({ "version": 1, "response": "declined", "responded_on": "2007-12-01" }),
    )
    .await;
    assert_eq!((s, p["field"].as_str()), (422, Some("responded_on")), "{p}");
    let (s, r) = post_json(&consultant, &app, &respond, answer.clone()).await;
    assert_eq!(s, 200, "{r}");
    assert_eq!(
        (r["version"].as_i64(), r["offer"]["response"].as_str()),
        (Some(2), Some("declined"))
    );
    // The answer given, the consultant may not change it; a stale correction is 409 with the offer.
    assert_eq!(
        post_json(
            &consultant,
            &app,
            &respond,
            json!({ "version": 2, "response": "accepted", "responded_on": "2008-01-22" })
        )
        .await
        .0,
        403
    );
    let (s, p) = post_json(
        &cd,
        &app,
        &respond,
        json!({ "version": 1, "response": "accepted", "responded_on": "2008-01-22" }),
    )
    .await;
    assert_eq!((s, p["current_version"].as_i64()), (409, Some(2)), "{p}");
    assert_eq!(p["current"]["offer"]["response"], "declined", "{p}");

    let (s, r) = post_json(&ms, &app, "/api/v1/private-practice-disclosures", json!({ "consultant_id": "c-surg-01", "disclosed_on": "2008-02-01", "commitments": "Private outpatient clinic, Thursday evenings." })).await;
    assert_eq!(s, 201, "{r}");
    let work = json!({ "outside_remunerated_work": ["independent_sector"] });
    let case = annual_review(&cd, &app, "c-surg-01", "2008-09-01", work).await;
    let (_, view) = get_json(
        &consultant,
        &app,
        &format!("/api/v1/progression-cases/{case}"),
    )
    .await;
    assert_eq!(
        view["criteria"]["failed"],
        json!(["offered_spare_capacity"]),
        "{view}"
    );
    let spare = &view["criteria"]["criteria"][4];
    assert_eq!(
        (spare["rule"].as_str(), spare["met"].as_bool()),
        (Some("PP-4"), Some(false))
    );
    assert!(
        spare["reason"]
            .as_str()
            .unwrap()
            .contains("independent_sector"),
        "{spare}"
    );
    // The employer's exemption of the category (F 6(e)) lifts it; an exemption of work not
    // recorded is refused naming the field.
    let exempt = json!({ "outside_remunerated_work": ["independent_sector"], "exempted_outside_work": ["independent_sector"] });
    let case = annual_review(&cd, &app, "c-surg-01", "2008-09-01", exempt).await;
    let (_, view) = get_json(&cd, &app, &format!("/api/v1/progression-cases/{case}")).await;
    assert_eq!(view["criteria"]["failed"], json!([]), "{view}");
    assert_eq!(
        view["criteria"]["findings"][0]["citation"], "F 6(e)",
        "{view}"
    );
    // Outside work taken up without first consulting the employer (F 6(c)) is a warning among the
    // case's findings, kept with the review.
    let unconsulted = json!({ "outside_remunerated_work": ["independent_sector"], "outside_work_consulted": false });
    let case = annual_review(&cd, &app, "c-surg-01", "2008-09-01", unconsulted).await;
    let (_, view) = get_json(&cd, &app, &format!("/api/v1/progression-cases/{case}")).await;
    let findings = view["criteria"]["findings"].as_array().unwrap();
    assert!(
        findings
            .iter()
            .any(|f| f["citation"] == "F 6(c)" && f["severity"] == "warning"),
        "{view}"
    );
    let (_, reviews) = get_json(&cd, &app, "/api/v1/reviews?consultant_id=c-surg-01").await;
    assert!(
        reviews
            .as_array()
            .unwrap()
            .iter()
            .any(|r| r["outside_work_consulted"] == json!(false)),
        "{reviews}"
    );
    let (s, p) = post_json(
        &cd,
        &app,
        "/api/v1/reviews",
        json!({
        "consultant_id": "c-surg-01", "kind": "annual", "year_ending": "2008-09-01",
        "met_time_and_service": true, "met_objectives_or_reasonable_effort": true,
        "took_part_in_appraisal_and_job_planning": true, "worked_towards_service_changes": true,
        "exempted_outside_work": ["teaching"] }),
    )
    .await;
    assert_eq!(
        (s, p["field"].as_str()),
        (422, Some("exempted_outside_work")),
        "{p}"
    );
}

/// Source: F 6(c) (PP-5): accepted extra PAs are ended by the employer with the notice given;
/// less than 3 months is recorded with a warning; stale versions and declined offers are refused.
#[tokio::test]
async fn extra_pas_are_terminated_with_notice() {
    let app = spawn_app().await;
    let cd = app.login("clinical.director").await;
    let consultant = app.login("consultant").await;
    let offer = json!({ "offered_on": "2008-01-07", "starts_on": "2008-04-07", "pas": 1, "response": "accepted" });
    let (s, r) = post_json(
        &cd,
        &app,
        "/api/v1/extra-pa-offers",
        json!({ "consultant_id": "c-surg-01", "offer": offer }),
    )
    .await;
    assert_eq!((s, r["findings"].clone()), (201, json!([])), "{r}");
    let id = r["id"].as_i64().unwrap();
    let end = format!("/api/v1/extra-pa-offers/{id}/termination");
    let body = json!({ "version": 1, "terminated_on": "2008-06-30", "termination_notice_given_on": "2008-05-01" });
    assert_eq!(
        post_json(&consultant, &app, &end, body.clone()).await.0,
        403
    );
    let (s, r) = post_json(&cd, &app, &end, body.clone()).await;
    assert_eq!(s, 200, "{r}");
    assert_eq!(r["version"], 2);
    assert_eq!(
        (
            r["findings"][0]["rule"].as_str(),
            r["findings"][0]["severity"].as_str()
        ),
        (Some("PP-5"), Some("warning")),
        "{r}"
    );
    assert!(
        r["findings"][0]["message"]
            .as_str()
            .unwrap()
            .contains("terminated on 2008-06-30"),
        "{r}"
    );
    let (s, p) = post_json(&cd, &app, &end, body).await;
    assert_eq!((s, p["current_version"].as_i64()), (409, Some(2)), "{p}");
    assert_eq!(p["current"]["offer"]["terminated_on"], "2008-06-30", "{p}");
    // Its answer can no longer change; the consultant sees it as terminated.
    let (s, _) = post_json(
        &cd,
        &app,
        &format!("/api/v1/extra-pa-offers/{id}/response"),
        json!({ "version": 2, "response": "declined", "responded_on": "2008-01-10" }),
    )
    .await;
    assert_eq!(s, 409);
    let (s, seen) = get_json(&consultant, &app, &format!("/api/v1/extra-pa-offers/{id}")).await;
    assert_eq!(
        (s, seen["offer"]["termination_notice_given_on"].as_str()),
        (200, Some("2008-05-01"))
    );
    // A declined offer has nothing to end.
    let declined = json!({ "offered_on": "2008-01-07", "starts_on": "2008-04-07", "pas": 1, "response": "declined" });
    let (_, r) = post_json(
        &cd,
        &app,
        "/api/v1/extra-pa-offers",
        json!({ "consultant_id": "c-surg-01", "offer": declined }),
    )
    .await;
    let (s, p) = post_json(&cd, &app, &format!("/api/v1/extra-pa-offers/{}/termination", r["id"]), json!({ "version": 1, "terminated_on": "2008-09-30", "termination_notice_given_on": "2008-05-01" })).await;
    assert_eq!(
        (s, p["field"].as_str()),
        (422, Some("terminated_on")),
        "{p}"
    );
    let other = app.login("consultant2").await;
    assert_eq!(
        get_json(&other, &app, &format!("/api/v1/extra-pa-offers/{id}"))
            .await
            .0,
        403
    );
    let (_, doc) = get_json(&cd, &app, "/api/openapi.json").await;
    assert_documented(
        &doc,
        &[
            "/api/v1/extra-pa-offers/{id}",
            "/api/v1/extra-pa-offers/{id}/response",
            "/api/v1/extra-pa-offers/{id}/termination",
        ],
    );
    assert_audit_intact(&cd, &app).await;
}
