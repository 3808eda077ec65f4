//! Objectives, private practice disclosures and extra-PA offers.

use super::*;

/// Source: A 7.1-7.7 (JP-3): objectives under the A 7.2 headings, with progress notes over time.
#[tokio::test]
async fn objectives_with_progress_notes() {
    let app = spawn_app().await;
    let consultant = app.login("consultant").await;
    let body = json!({ "consultant_id": "c-surg-01", "year": 2026, "heading": "activity_and_efficiency", "text": "Start a second weekly endoscopy list." });
    let (s, o) = post_json(&consultant, &app, "/api/v1/objectives", body).await;
    assert_eq!(s, 201, "{o}");
    assert_eq!(o["heading"], "activity_and_efficiency");
    let id = o["id"].as_i64().unwrap();
    let path = format!("/api/v1/objectives/{id}/notes");
    let (s, _) = post_json(
        &consultant,
        &app,
        &path,
        json!({ "note": "List started in March." }),
    )
    .await;
    assert_eq!(s, 201);
    let (s, o) = post_json(
        &consultant,
        &app,
        &path,
        json!({ "note": "Endoscopy suite closed for six weeks.", "outside_control": true }),
    )
    .await;
    assert_eq!(s, 201);
    let notes = o["notes"].as_array().unwrap();
    assert_eq!(notes.len(), 2);
    assert_eq!(
        (
            notes[0]["outside_control"].as_bool(),
            notes[1]["outside_control"].as_bool()
        ),
        (Some(false), Some(true))
    );
    assert_eq!(notes[1]["created_by"], "consultant");
    let (s, p) = post_json(
        &consultant,
        &app,
        "/api/v1/objectives",
        json!({ "consultant_id": "c-surg-01", "year": 2026, "heading": "research", "text": "x" }),
    )
    .await;
    assert_eq!((s, p["field"].as_str()), (400, Some("heading")), "{p}");
    let (s, p) = post_json(&consultant, &app, "/api/v1/objectives", json!({ "consultant_id": "c-surg-01", "year": 2026, "heading": "clinical_outcomes", "text": " " })).await;
    assert_eq!((s, p["field"].as_str()), (422, Some("text")), "{p}");
    let (s, p) = post_json(&consultant, &app, "/api/v1/objectives", json!({ "consultant_id": "c-nobody", "year": 2026, "heading": "clinical_outcomes", "text": "x" })).await;
    assert_eq!(
        (s, p["field"].as_str()),
        (422, Some("consultant_id")),
        "{p}"
    );
    let (s, list) = get_json(
        &consultant,
        &app,
        "/api/v1/objectives?consultant_id=c-surg-01&year=2026",
    )
    .await;
    assert_eq!((s, list.as_array().unwrap().len()), (200, 1));
    let (s, p) = get_json(&consultant, &app, "/api/v1/objectives?year=next").await;
    assert_eq!(s, 400, "{p}");
    let (s, list) = get_json(
        &consultant,
        &app,
        "/api/v1/objectives?consultant_id=c-med-10",
    )
    .await;
    assert_eq!(
        (s, list.as_array().unwrap().len()),
        (200, 0),
        "another consultant's are not listed"
    );
    let other = app.login("consultant2").await;
    assert_eq!(
        get_json(&other, &app, &format!("/api/v1/objectives/{id}"))
            .await
            .0,
        403
    );
    let md = app.login("medical.director").await;
    assert_audit_intact(&md, &app).await;
}

/// Source: A 7.1-7.3, A 9.2 (JP-3): an objective is proposed when written and agreed once the
/// consultant and their manager have both agreed the same text; an edit is a new version that
/// resets the agreement and keeps the earlier one; a stale version is 409 with the objective as it
/// now is; nobody agrees for a side that is not theirs; every change is audited.
#[tokio::test]
async fn objectives_are_proposed_agreed_and_edited_as_versions() {
    let app = spawn_app().await;
    let consultant = app.login("consultant").await;
    let cd = app.login("clinical.director").await;
    let body = json!({ "consultant_id": "c-surg-01", "year": 2026, "heading": "clinical_outcomes", "text": "Audit 30-day mortality after emergency laparotomy." });
    let (s, o) = post_json(&consultant, &app, "/api/v1/objectives", body).await;
    assert_eq!(s, 201, "{o}");
    let id = o["id"].as_i64().unwrap();
    assert_eq!(
        (o["state"].as_str(), o["version"].as_i64()),
        (Some("proposed"), Some(1))
    );
    assert!(
        o["agreed_by_consultant"].is_null() && o["agreed_by_manager"].is_null(),
        "{o}"
    );
    let agree = format!("/api/v1/objectives/{id}/agreement");

    // The consultant may not agree for the manager, nor anyone outside the department at all.
    let (s, p) = post_json(
        &consultant,
        &app,
        &agree,
        json!({ "version": 1, "side": "manager" }),
    )
    .await;
    assert_eq!(s, 403, "{p}");
    let other = app.login("consultant2").await;
    assert_eq!(
        post_json(&other, &app, &agree, json!({ "version": 1 }))
            .await
            .0,
        403
    );
    let ce = app.login("chief.executive").await;
    assert_eq!(
        post_json(&ce, &app, &agree, json!({ "version": 1 }))
            .await
            .0,
        403
    );
    let (s, p) = post_json(&consultant, &app, &agree, json!({ "version": "one" })).await;
    assert_eq!((s, p["field"].as_str()), (400, Some("version")), "{p}");

    let (s, o) = post_json(&consultant, &app, &agree, json!({ "version": 1 })).await;
    assert_eq!(s, 200, "{o}");
    assert_eq!(
        (o["state"].as_str(), o["agreed_by_consultant"].as_str()),
        (Some("proposed"), Some("consultant"))
    );
    assert!(
        o["agreed_by_consultant_at"].is_string() && o["agreed_by_manager"].is_null(),
        "{o}"
    );
    let (s, p) = post_json(&consultant, &app, &agree, json!({ "version": 1 })).await;
    assert_eq!(
        (s, p["current"]["id"].as_i64()),
        (409, Some(id)),
        "agreed twice: {p}"
    );
    let (s, o) = post_json(&cd, &app, &agree, json!({ "version": 1 })).await;
    assert_eq!(s, 200, "{o}");
    assert_eq!(
        (o["state"].as_str(), o["agreed_by_manager"].as_str()),
        (Some("agreed"), Some("clinical.director"))
    );

    // An edit names the version it edits, makes version 2 and asks both sides again.
    let path = format!("/api/v1/objectives/{id}");
    let edit = json!({ "version": 1, "heading": "clinical_standards", "text": "Audit 30-day mortality after emergency laparotomy against NELA." });
    let (s, o) = put_json(&cd, &app, &path, edit.clone()).await;
    assert_eq!(s, 200, "{o}");
    assert_eq!(
        (
            o["state"].as_str(),
            o["version"].as_i64(),
            o["heading"].as_str()
        ),
        (Some("proposed"), Some(2), Some("clinical_standards"))
    );
    assert!(
        o["agreed_by_consultant"].is_null() && o["agreed_by_manager"].is_null(),
        "{o}"
    );
    let versions = o["versions"].as_array().unwrap();
    assert_eq!(versions.len(), 2);
    assert_eq!(
        versions[0]["text"],
        "Audit 30-day mortality after emergency laparotomy."
    );
    assert_eq!(
        (
            versions[0]["agreed_by_consultant"].as_str(),
            versions[0]["agreed_by_manager"].as_str()
        ),
        (Some("consultant"), Some("clinical.director"))
    );
    assert_eq!(versions[1]["created_by"], "clinical.director");

    // Stale: the same edit again, and an agreement to version 1, are 409 with the current objective.
    let (s, p) = put_json(&consultant, &app, &path, edit).await;
    assert_eq!(
        (
            s,
            p["current_version"].as_i64(),
            p["current"]["version"].as_i64()
        ),
        (409, Some(2), Some(2)),
        "{p}"
    );
    assert_eq!(
        p["current"]["text"],
        "Audit 30-day mortality after emergency laparotomy against NELA."
    );
    let (s, p) = post_json(&consultant, &app, &agree, json!({ "version": 1 })).await;
    assert_eq!((s, p["current_version"].as_i64()), (409, Some(2)), "{p}");

    // Bad input names the field; other departments may neither see nor edit.
    let (s, p) = put_json(
        &consultant,
        &app,
        &path,
        json!({ "version": 2, "heading": "clinical_standards", "text": "  " }),
    )
    .await;
    assert_eq!((s, p["field"].as_str()), (422, Some("text")), "{p}");
    let (s, p) = put_json(
        &consultant,
        &app,
        &path,
        json!({ "version": 2, "heading": "research", "text": "x" }),
    )
    .await;
    assert_eq!((s, p["field"].as_str()), (400, Some("heading")), "{p}");
    let (s, p) = put_json(&consultant, &app, &path, json!({ "version": 2, "heading": "clinical_standards", "text": "Audit 30-day mortality after emergency laparotomy against NELA." })).await;
    assert_eq!(
        (s, p["field"].as_str()),
        (422, Some("text")),
        "no change: {p}"
    );
    assert_eq!(
        put_json(
            &other,
            &app,
            &path,
            json!({ "version": 2, "heading": "clinical_standards", "text": "x" })
        )
        .await
        .0,
        403
    );
    assert_eq!(
        put_json(
            &ce,
            &app,
            &path,
            json!({ "version": 2, "heading": "clinical_standards", "text": "x" })
        )
        .await
        .0,
        403
    );
    assert_eq!(
        put_json(
            &cd,
            &app,
            "/api/v1/objectives/999999",
            json!({ "version": 1, "heading": "clinical_standards", "text": "x" })
        )
        .await
        .0,
        404
    );

    // The medical director agrees as the manager too; both agree version 2.
    let md = app.login("medical.director").await;
    let (s, o) = post_json(&md, &app, &agree, json!({ "version": 2 })).await;
    assert_eq!(
        (s, o["agreed_by_manager"].as_str(), o["state"].as_str()),
        (200, Some("medical.director"), Some("proposed")),
        "{o}"
    );
    let (s, o) = post_json(
        &consultant,
        &app,
        &agree,
        json!({ "version": 2, "side": "consultant" }),
    )
    .await;
    assert_eq!((s, o["state"].as_str()), (200, Some("agreed")), "{o}");
    let (_, o) = get_json(&consultant, &app, &path).await;
    assert_eq!(
        (
            o["version"].as_i64(),
            o["versions"].as_array().unwrap().len()
        ),
        (Some(2), 2)
    );

    // A clinical director of another department may not see or agree a medicine objective.
    let (_, med) = get_json(&md, &app, "/api/v1/objectives?consultant_id=c-med-10").await;
    let med_id = med[0]["id"].as_i64().unwrap();
    assert_eq!(
        get_json(&cd, &app, &format!("/api/v1/objectives/{med_id}"))
            .await
            .0,
        403
    );
    let (s, _) = post_json(
        &cd,
        &app,
        &format!("/api/v1/objectives/{med_id}/agreement"),
        json!({ "version": 1 }),
    )
    .await;
    assert_eq!(s, 403);

    let store = Store::connect(&app.db_url).await.unwrap();
    let entries = store
        .audit_for("objective", &id.to_string(), 20)
        .await
        .unwrap();
    let actions: Vec<(&str, &str)> = entries
        .iter()
        .rev()
        .map(|e| (e.actor.as_str(), e.action.as_str()))
        .collect();
    assert_eq!(
        actions,
        [
            ("consultant", "create"),
            ("consultant", "agree"),
            ("clinical.director", "agree"),
            ("clinical.director", "edit"),
            ("medical.director", "agree"),
            ("consultant", "agree"),
        ]
    );
    let edit_entry = entries.iter().find(|e| e.action == "edit").unwrap();
    assert!(
        edit_entry
            .before
            .as_deref()
            .unwrap()
            .contains("\"version\":1"),
        "{edit_entry:?}"
    );
    assert!(
        edit_entry
            .after
            .as_deref()
            .unwrap()
            .contains("against NELA"),
        "{edit_entry:?}"
    );
    let (_, doc) = get_json(&md, &app, "/api/openapi.json").await;
    assert!(doc["paths"]["/api/v1/objectives/{id}"].get("put").is_some());
    assert!(doc["paths"]
        .get("/api/v1/objectives/{id}/agreement")
        .is_some());
    assert_audit_intact(&md, &app).await;
}

/// Source: A 7.3 (JP-3): the demo's objectives are in a mix of states, one edited after agreement.
#[tokio::test]
async fn demo_objectives_are_in_a_mix_of_states() {
    let app = spawn_app().await;
    let consultant = app.login("consultant").await;
    let (_, list) = get_json(&consultant, &app, "/api/v1/objectives").await;
    let list = list.as_array().unwrap();
    let states: Vec<(&str, i64)> = list
        .iter()
        .map(|o| (o["state"].as_str().unwrap(), o["version"].as_i64().unwrap()))
        .collect();
    assert!(states.contains(&("agreed", 1)), "{states:?}");
    assert!(states.contains(&("proposed", 2)), "{states:?}");
    let awaiting = list
        .iter()
        .find(|o| o["state"] == "proposed" && o["version"] == 1)
        .unwrap();
    assert!(
        awaiting["agreed_by_manager"].is_string() && awaiting["agreed_by_consultant"].is_null()
    );
    let edited = list.iter().find(|o| o["version"] == 2).unwrap();
    let v1 = &edited["versions"][0];
    assert!(
        v1["agreed_by_consultant"].is_string() && v1["agreed_by_manager"].is_string(),
        "{edited}"
    );
    assert_ne!(v1["text"], edited["text"]);
}

/// Source: D 3.6-3.7 (PRV-2): a missing or stale disclosure is a warning naming the rule.
#[tokio::test]
async fn private_practice_disclosures_warn_when_missing_or_stale() {
    let app = spawn_app().await;
    let ms = app.login("medical.staffing").await;
    let status = |id: &str| format!("/api/v1/consultants/{id}/private-practice");
    let (_, fresh) = get_json(&ms, &app, &status("c-surg-01")).await;
    assert_eq!(fresh["findings"], json!([]), "{fresh}");
    let (_, stale) = get_json(&ms, &app, &status("c-med-10")).await;
    assert_eq!(stale["findings"][0]["rule"], "PRV-2", "{stale}");
    assert_eq!(stale["findings"][0]["severity"], "warning");
    assert_eq!(stale["findings"][0]["citation"], "D 3.6-3.7");
    assert!(stale["findings"][0]["message"]
        .as_str()
        .unwrap()
        .contains("more than 12 months"));
    let (_, missing) = get_json(&ms, &app, &status("c-med-11")).await;
    assert!(missing["latest"].is_null());
    assert!(missing["findings"][0]["message"]
        .as_str()
        .unwrap()
        .contains("no private practice disclosure"));
    assert_eq!(get_json(&ms, &app, &status("c-nobody")).await.0, 404);

    let consultant2 = app.login("consultant2").await;
    let on = today().to_string();
    let (s, r) = post_json(&consultant2, &app, "/api/v1/private-practice-disclosures", json!({ "consultant_id": "c-med-10", "disclosed_on": on, "commitments": "Medico-legal reports." })).await;
    assert_eq!(s, 201, "{r}");
    assert_eq!(r["findings"], json!([]));
    assert_eq!(r["latest"]["disclosed_on"], on.as_str());
    let tomorrow = (today() + chrono::Days::new(1)).to_string();
    let (s, p) = post_json(
        &consultant2,
        &app,
        "/api/v1/private-practice-disclosures",
        json!({ "consultant_id": "c-med-10", "disclosed_on": tomorrow, "commitments": "x" }),
    )
    .await;
    assert_eq!((s, p["field"].as_str()), (422, Some("disclosed_on")), "{p}");
    let (s, p) = post_json(
        &consultant2,
        &app,
        "/api/v1/private-practice-disclosures",
        json!({ "consultant_id": "c-med-10", "disclosed_on": "1 May", "commitments": "x" }),
    )
    .await;
    assert_eq!((s, p["field"].as_str()), (422, Some("disclosed_on")), "{p}");
    let (s, p) = post_json(
        &consultant2,
        &app,
        "/api/v1/private-practice-disclosures",
        json!({ "consultant_id": "c-med-10", "disclosed_on": on, "commitments": "x", "hours": 4 }),
    )
    .await;
    assert_eq!(s, 400, "{p}");
    // The demo's disclosure for the 2005 review, the stale one and the new one.
    let (s, list) = get_json(&consultant2, &app, "/api/v1/private-practice-disclosures").await;
    assert_eq!((s, list.as_array().unwrap().len()), (200, 3));
    assert_audit_intact(&ms, &app).await;
}

/// Source: F 6(c) (PP-5): extra-PA offers with the career document's fields, checked for notice,
/// equal offer and manner; recorded by the employer, seen as other records are.
#[tokio::test]
async fn extra_pa_offers_are_recorded_and_checked() {
    let app = spawn_app().await;
    let cd = app.login("clinical.director").await;
    let offer = json!({ "offered_on": "2025-01-06", "starts_on": "2025-04-07", "pas": 1,
        "reschedule_external_commitments": true, "response": "declined" });
    let (s, r) = post_json(
        &cd,
        &app,
        "/api/v1/extra-pa-offers",
        json!({ "consultant_id": "c-surg-01", "offer": offer }),
    )
    .await;
    assert_eq!(s, 201, "{r}");
    assert_eq!(r["findings"][0]["rule"], "PP-5", "{r}");
    assert_eq!(r["findings"][0]["severity"], "warning");
    assert!(
        r["findings"][0]["message"]
            .as_str()
            .unwrap()
            .contains("6 months"),
        "{r}"
    );
    let mut good = json!({ "offered_on": "2025-01-06", "starts_on": "2025-04-07", "pas": 1, "response": "accepted" });
    let (s, r) = post_json(
        &cd,
        &app,
        "/api/v1/extra-pa-offers",
        json!({ "consultant_id": "c-surg-01", "offer": good }),
    )
    .await;
    assert_eq!((s, r["findings"].clone()), (201, json!([])), "{r}");
    assert_eq!(r["offer"]["basis"], "annualised");
    // Bad values and unknown fields are 400 naming the field; another department's is 403.
    good["pas"] = json!(0);
    let (s, p) = post_json(
        &cd,
        &app,
        "/api/v1/extra-pa-offers",
        json!({ "consultant_id": "c-surg-01", "offer": good }),
    )
    .await;
    assert_eq!(s, 400, "{p}");
    assert!(p["detail"].as_str().unwrap().contains("pas"), "{p}");
    good["pas"] = json!(1);
    good["salary"] = json!(1);
    let (s, p) = post_json(
        &cd,
        &app,
        "/api/v1/extra-pa-offers",
        json!({ "consultant_id": "c-surg-01", "offer": good }),
    )
    .await;
    assert_eq!(s, 400, "{p}");
    good.as_object_mut().unwrap().remove("salary");
    let (s, _) = post_json(
        &cd,
        &app,
        "/api/v1/extra-pa-offers",
        json!({ "consultant_id": "c-med-10", "offer": good }),
    )
    .await;
    assert_eq!(s, 403);
    // (user, offers listed, may record one for c-surg-01); each recorded one adds to the lists after
    for (user, listed, record) in [
        ("consultant", 2, 403),
        ("consultant2", 0, 403),
        ("clinical.director", 4, 201),
        ("medical.director", 6, 201),
        ("chief.executive", 7, 403),
        ("medical.staffing", 7, 201),
        ("board.chair", 0, 403),
        ("board.member", 0, 403),
        ("admin", 0, 403),
    ] {
        let c = app.login(user).await;
        let (s, list) = get_json(&c, &app, "/api/v1/extra-pa-offers").await;
        assert_eq!(
            (s, list.as_array().unwrap().len()),
            (200, listed),
            "{user} offers"
        );
        let (s, _) = post_json(
            &c,
            &app,
            "/api/v1/extra-pa-offers",
            json!({ "consultant_id": "c-surg-01", "offer": good }),
        )
        .await;
        assert_eq!(s, record, "{user} records an offer");
    }
    let anonymous = Client::new();
    assert_eq!(
        get_json(&anonymous, &app, "/api/v1/extra-pa-offers")
            .await
            .0,
        401
    );
    let md = app.login("medical.director").await;
    let (_, demo) = get_json(&md, &app, "/api/v1/extra-pa-offers?consultant_id=c-med-12").await;
    let rules: Vec<&str> = demo[0]["findings"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| f["severity"].as_str().unwrap())
        .collect();
    assert_eq!(rules, ["warning", "info", "info"], "{demo}");
    let (_, doc) = get_json(&md, &app, "/api/openapi.json").await;
    assert_documented(
        &doc,
        &[
            "/api/v1/rotas",
            "/api/v1/rotas/{id}/category-decisions",
            "/api/v1/reports/on-call",
            "/api/v1/objectives/{id}/notes",
            "/api/v1/consultants/{id}/private-practice",
            "/api/v1/extra-pa-offers",
        ],
    );
    assert_audit_intact(&md, &app).await;
}
