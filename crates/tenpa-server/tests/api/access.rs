//! Who may do what, sessions, tokens, two servers on one database, and the public reference data.

use super::*;
use crate::rotas::rota_id;

/// Security: every role against every endpoint, for own and others' records.
#[tokio::test]
async fn roles_see_and_do_only_what_they_may() {
    let app = spawn_app().await;
    let own = app.plan_of("c-surg-01").await["id"].as_i64().unwrap();
    let other = app.plan_of("c-med-10").await["id"].as_i64().unwrap();
    // (user, sees the surgery plan, sees the medicine plan, list length, audit, may create for c-med-10)
    let matrix: [(&str, u16, u16, usize, u16, u16); 9] = [
        ("consultant", 200, 403, 1, 403, 403),
        ("consultant2", 403, 200, 1, 403, 201),
        ("clinical.director", 200, 403, 9, 403, 403),
        ("medical.director", 200, 200, 25, 200, 201),
        ("chief.executive", 200, 200, 25, 403, 403),
        ("medical.staffing", 200, 200, 25, 403, 201),
        ("board.chair", 403, 403, 0, 403, 403),
        ("board.member", 403, 403, 0, 403, 403),
        ("admin", 403, 403, 0, 200, 403),
    ];
    let mut created = 0;
    for (user, see_own, see_other, count, audit, create) in matrix {
        let c = app.login(user).await;
        let get = |id: i64| c.get(app.url(&format!("/api/v1/job-plans/{id}"))).send();
        assert_eq!(
            get(own).await.unwrap().status().as_u16(),
            see_own,
            "{user} GET surgery plan"
        );
        assert_eq!(
            get(other).await.unwrap().status().as_u16(),
            see_other,
            "{user} GET medicine plan"
        );
        let r = c
            .get(app.url(&format!("/api/v1/job-plans/{other}/versions")))
            .send()
            .await
            .unwrap();
        assert_eq!(r.status().as_u16(), see_other, "{user} GET versions");
        let list: Vec<Value> = c
            .get(app.url("/api/v1/job-plans"))
            .send()
            .await
            .unwrap()
            .json()
            .await
            .unwrap();
        let expected = if count == 25 {
            count + created
        } else if user == "consultant2" {
            count + created.min(1)
        } else {
            count
        };
        assert_eq!(list.len(), expected, "{user} list");
        assert_eq!(
            c.get(app.url("/api/v1/audit/verify"))
                .send()
                .await
                .unwrap()
                .status()
                .as_u16(),
            audit,
            "{user} audit"
        );
        let r = c
            .post(app.url("/api/v1/job-plans"))
            .json(&json!({ "document": surgeon_document("c-med-10") }))
            .send()
            .await
            .unwrap();
        assert_eq!(r.status().as_u16(), create, "{user} create for c-med-10");
        if create == 201 {
            created += 1;
        }
        let r = c
            .post(app.url(&format!("/api/v1/job-plans/{other}/transitions")))
            .json(&json!({ "version": 1, "action": "md_sign_off" }))
            .send()
            .await
            .unwrap();
        assert!(r.status().is_client_error(), "{user} transition");
    }
    let anonymous = Client::new();
    for path in [
        "/api/v1/job-plans".to_string(),
        format!("/api/v1/job-plans/{own}"),
        "/api/v1/me".into(),
        "/api/v1/audit/verify".into(),
    ] {
        assert_eq!(
            anonymous.get(app.url(&path)).send().await.unwrap().status(),
            StatusCode::UNAUTHORIZED,
            "{path}"
        );
    }
    let r = anonymous
        .get(app.url("/api/v1/job-plans"))
        .header("Authorization", "Bearer not-a-token")
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::UNAUTHORIZED);
}

/// Signing out ends the session.
#[tokio::test]
async fn signing_out_ends_the_session() {
    let app = spawn_app().await;
    let c = app.login("consultant").await;
    assert_eq!(
        c.get(app.url("/api/v1/me")).send().await.unwrap().status(),
        StatusCode::OK
    );
    assert_eq!(
        c.delete(app.url("/api/v1/sessions"))
            .send()
            .await
            .unwrap()
            .status(),
        StatusCode::NO_CONTENT
    );
    assert_eq!(
        c.get(app.url("/api/v1/me")).send().await.unwrap().status(),
        StatusCode::UNAUTHORIZED
    );
}

/// Two servers on one database share sessions and see each other's writes.
#[tokio::test]
async fn two_servers_share_sessions_and_writes() {
    let a = spawn_app().await;
    let b = start(&a.db_url, false).await;
    let c = a.login("medical.staffing").await;
    let r = c
        .post(a.url("/api/v1/job-plans"))
        .json(&json!({ "document": surgeon_document("c-surg-03") }))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::CREATED);
    let id = r.json::<Value>().await.unwrap()["id"].as_i64().unwrap();
    // The cookie from server A works on server B: sessions live in the database.
    let on_b = c
        .get(b.url(&format!("/api/v1/job-plans/{id}")))
        .send()
        .await
        .unwrap();
    assert_eq!(on_b.status(), StatusCode::OK);
    assert_eq!(
        on_b.json::<Value>().await.unwrap()["consultant_id"],
        "c-surg-03"
    );
}

/// Health, OpenAPI, reference data and anonymous assessments.
#[tokio::test]
async fn health_openapi_and_reference_data() {
    let app = spawn_app().await;
    let c = Client::new();
    assert_eq!(
        c.get(app.url("/healthz")).send().await.unwrap().status(),
        StatusCode::OK
    );
    let doc: Value = c
        .get(app.url("/api/openapi.json"))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert!(doc["openapi"].as_str().unwrap().starts_with("3.1"));
    assert_documented(
        &doc,
        &[
            "/api/v1/assessments",
            "/api/v1/sessions",
            "/api/v1/job-plans",
            "/api/v1/job-plans/{id}",
            "/healthz",
            "/auth/oidc/login",
            "/auth/oidc/callback",
        ],
    );
    let rule: Value = c
        .get(app.url("/api/v1/rules/OC-6"))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(rule[0]["citation"], "F 4(f)-(k), B 7.8-7.13");
    let p: Value = c
        .get(app.url("/api/v1/parameters/pay/scale"))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(p["values"][0]["value"][0], "63000");
    let a: Value = c
        .post(app.url("/api/v1/assessments"))
        .json(&surgeon_document("c-x"))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(a["pay"]["full_time_salary"], "78094.00");
    assert_eq!(a["consultant_id"], "c-x");
}

/// API tokens: issued by an administrator, shown once, acting as the named account.
#[tokio::test]
async fn api_tokens_act_as_their_account() {
    let app = spawn_app().await;
    let admin = app.login("admin").await;
    let ms = app.login("medical.staffing").await;
    let r = ms
        .post(app.url("/api/v1/api-tokens"))
        .json(&json!({ "username": "medical.staffing", "name": "feed" }))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::FORBIDDEN);
    let r = admin
        .post(app.url("/api/v1/api-tokens"))
        .json(
            &json!({ "username": "medical.staffing", "name": "e-rostering feed", "act_as": true }),
        )
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::CREATED);
    let token = r.json::<Value>().await.unwrap()["token"]
        .as_str()
        .unwrap()
        .to_string();
    let system = Client::new();
    let list: Vec<Value> = system
        .get(app.url("/api/v1/job-plans"))
        .bearer_auth(&token)
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(list.len(), 25);
    let me: Value = system
        .get(app.url("/api/v1/me"))
        .bearer_auth(&token)
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(me["username"], "medical.staffing");
}

/// Every role against the rota, objective, disclosure, award and report endpoints, for own and
/// others' records: consultant own; clinical director department; medical director, medical staffing and
/// chief executive trust; board and administrator none.
#[tokio::test]
async fn roles_see_and_keep_only_the_registers_they_may() {
    let app = spawn_app().await;
    let surgery_rota = rota_id(&app, "General surgery emergency on-call").await;
    let md = app.login("medical.director").await;
    let (_, objectives) = get_json(&md, &app, "/api/v1/objectives?consultant_id=c-med-10").await;
    let med_objective = objectives[0]["id"].as_i64().unwrap();
    let (_, depts) = get_json(&md, &app, "/api/v1/job-plans").await;
    let medicine = depts
        .as_array()
        .unwrap()
        .iter()
        .find(|p| p["consultant_id"] == "c-med-10")
        .unwrap()["department_id"]
        .as_i64()
        .unwrap();
    // (user, rotas listed, surgery rota, report, objectives listed, c-med-10's objective,
    //  c-surg-01's disclosure status)
    let reads: [(&str, usize, u16, u16, usize, u16, u16); 9] = [
        ("consultant", 1, 200, 403, 3, 403, 200),
        ("consultant2", 2, 403, 403, 2, 200, 403),
        ("clinical.director", 2, 200, 403, 3, 403, 200),
        ("medical.director", 5, 200, 200, 6, 200, 200),
        ("chief.executive", 5, 200, 200, 6, 200, 200),
        ("medical.staffing", 5, 200, 200, 6, 200, 200),
        ("board.chair", 0, 403, 403, 0, 403, 403),
        ("board.member", 0, 403, 403, 0, 403, 403),
        ("admin", 0, 403, 403, 0, 403, 403),
    ];
    for (user, rotas, rota, report, objectives, objective, disclosure) in reads {
        let c = app.login(user).await;
        let (s, list) = get_json(&c, &app, "/api/v1/rotas").await;
        assert_eq!(
            (s, list.as_array().unwrap().len()),
            (200, rotas),
            "{user} rotas"
        );
        let path = format!("/api/v1/rotas/{surgery_rota}");
        assert_eq!(get_json(&c, &app, &path).await.0, rota, "{user} rota");
        let (s, _) = get_json(&c, &app, "/api/v1/reports/on-call").await;
        assert_eq!(s, report, "{user} report");
        let (s, list) = get_json(&c, &app, "/api/v1/objectives").await;
        assert_eq!(
            (s, list.as_array().unwrap().len()),
            (200, objectives),
            "{user} objectives"
        );
        let path = format!("/api/v1/objectives/{med_objective}");
        assert_eq!(
            get_json(&c, &app, &path).await.0,
            objective,
            "{user} objective"
        );
        let path = "/api/v1/consultants/c-surg-01/private-practice";
        assert_eq!(
            get_json(&c, &app, path).await.0,
            disclosure,
            "{user} disclosure"
        );
    }
    // (user, objective for c-surg-01, note on c-med-10's objective, disclosure for c-med-10,
    //  rota in medicine)
    let writes: [(&str, u16, u16, u16, u16); 9] = [
        ("consultant", 201, 403, 403, 403),
        ("consultant2", 403, 201, 201, 403),
        ("clinical.director", 201, 403, 403, 403),
        ("medical.director", 201, 201, 201, 201),
        ("chief.executive", 403, 403, 403, 403),
        ("medical.staffing", 403, 403, 201, 201),
        ("board.chair", 403, 403, 403, 403),
        ("board.member", 403, 403, 403, 403),
        ("admin", 403, 403, 403, 403),
    ];
    for (user, objective, note, disclosure, rota) in writes {
        let c = app.login(user).await;
        let body = json!({ "consultant_id": "c-surg-01", "year": 2026, "heading": "clinical_outcomes", "text": format!("set by {user}") });
        let (s, _) = post_json(&c, &app, "/api/v1/objectives", body).await;
        assert_eq!(s, objective, "{user} objective");
        let path = format!("/api/v1/objectives/{med_objective}/notes");
        let (s, _) = post_json(&c, &app, &path, json!({ "note": format!("by {user}") })).await;
        assert_eq!(s, note, "{user} note");
        let body = json!({ "consultant_id": "c-med-10", "disclosed_on": "2026-01-05", "commitments": "None." });
        let (s, _) = post_json(&c, &app, "/api/v1/private-practice-disclosures", body).await;
        assert_eq!(s, disclosure, "{user} disclosure");
        let body = json!({ "department_id": medicine, "name": format!("Rota of {user}"), "category": "b", "effective_from": "2026-04-01", "members": [] });
        let (s, _) = post_json(&c, &app, "/api/v1/rotas", body).await;
        assert_eq!(s, rota, "{user} rota");
    }
    // Awards and premia: (user, listed, record one for c-med-10, end c-surg-01's at version 1);
    // each one recorded adds to the lists after, and the first end makes the next one stale.
    let (_, own) = get_json(&md, &app, "/api/v1/awards?consultant_id=c-surg-01").await;
    let surgeon_award = own[0]["id"].as_i64().unwrap();
    let awards: [(&str, usize, u16, u16); 9] = [
        ("consultant", 1, 403, 403),
        ("consultant2", 0, 403, 403),
        ("clinical.director", 2, 403, 403),
        ("medical.director", 4, 201, 200),
        ("chief.executive", 5, 403, 403),
        ("medical.staffing", 5, 201, 409),
        ("board.chair", 0, 403, 403),
        ("board.member", 0, 403, 403),
        ("admin", 0, 403, 403),
    ];
    for (user, listed, record, end) in awards {
        let c = app.login(user).await;
        let (s, list) = get_json(&c, &app, "/api/v1/awards").await;
        assert_eq!(
            (s, list.as_array().unwrap().len()),
            (200, listed),
            "{user} awards"
        );
        let body = json!({ "consultant_id": "c-med-10", "kind": "cea", "level": 1, "start_date": "2025-04-01" });
        let (s, _) = post_json(&c, &app, "/api/v1/awards", body).await;
        assert_eq!(s, record, "{user} records an award");
        let path = format!("/api/v1/awards/{surgeon_award}/end");
        let body = json!({ "version": 1, "end_date": "2026-03-31" });
        assert_eq!(post_json(&c, &app, &path, body).await.0, end, "{user} ends");
    }
    let anonymous = Client::new();
    for path in [
        "/api/v1/awards".to_string(),
        "/api/v1/rotas".to_string(),
        format!("/api/v1/rotas/{surgery_rota}"),
        "/api/v1/reports/on-call".into(),
        "/api/v1/objectives".into(),
        "/api/v1/private-practice-disclosures".into(),
        "/api/v1/consultants/c-surg-01/private-practice".into(),
    ] {
        assert_eq!(get_json(&anonymous, &app, &path).await.0, 401, "{path}");
    }
    assert_audit_intact(&md, &app).await;
}
