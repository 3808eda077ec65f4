//! Awards and premia.

use super::*;

/// Source: E 4.1, F 11(a) (CEA-1), E 3.2-3.3 (CEA-2), F 3(g)-(h), C 8 (PAY-4): awards and premia
/// recorded, listed with their values, ended once per version, and refused clearly when wrong.
#[tokio::test]
async fn awards_and_premia_are_recorded_listed_and_ended() {
    let app = spawn_app().await;
    let md = app.login("medical.director").await;
    let (s, demo) = get_json(&md, &app, "/api/v1/awards").await;
    assert_eq!(s, 200, "{demo}");
    let demo = demo.as_array().unwrap().clone();
    assert_eq!(demo.len(), 4, "{demo:?}");
    let national = demo.iter().find(|a| a["level"] == 12).unwrap();
    assert_eq!(
        (&national["body"], &national["annual_value"]),
        (&json!("national"), &json!("50000.00")),
        "{national}"
    );
    let replaced = demo.iter().find(|a| a["level"] == 6).unwrap();
    assert_eq!(
        (&replaced["end_date"], &replaced["version"]),
        (&json!("2024-03-31"), &json!(2))
    );
    let premium = demo.iter().find(|a| a["kind"] == "recruitment").unwrap();
    assert_eq!(premium["amount"], "5000.00", "{premium}");
    assert_eq!(premium["findings"], json!([]), "{premium}");
    assert_eq!(premium["evidence"]["local_employers_consulted"], true);

    // Recorded by medical staffing: a local award valued from the parameters on its start date.
    let ms = app.login("medical.staffing").await;
    let (s, cea) = post_json(
        &ms,
        &app,
        "/api/v1/awards",
        json!({ "consultant_id": "c-med-10", "kind": "cea", "level": 3, "start_date": "2025-04-01", "notes": "Local round 2024/25." }),
    )
    .await;
    assert_eq!(s, 201, "{cea}");
    assert_eq!(
        (&cea["body"], &cea["annual_value"], &cea["version"]),
        (&json!("local"), &json!("7500.00"), &json!(1)),
        "{cea}"
    );
    assert!(cea.get("amount").is_none(), "{cea}");
    // A retention premium for three years, exact to the penny, without its evidence: PAY-4 warns.
    let (s, rrp) = post_json(
        &md,
        &app,
        "/api/v1/awards",
        json!({ "consultant_id": "c-med-10", "kind": "retention", "amount": "4500.05", "start_date": "2025-04-01", "years": 3 }),
    )
    .await;
    assert_eq!(s, 201, "{rrp}");
    assert_eq!(
        (&rrp["amount"], &rrp["annual_value"], &rrp["end_date"]),
        (&json!("4500.05"), &json!("4500.05"), &json!("2028-03-31")),
        "{rrp}"
    );
    assert_eq!(rrp["findings"][0]["rule"], "PAY-4", "{rrp}");
    assert_eq!(rrp["findings"][0]["severity"], "warning", "{rrp}");

    // The consultant sees only their own; the clinical director (surgery) none of medicine's.
    let own = app.login("consultant2").await;
    let (_, list) = get_json(&own, &app, "/api/v1/awards").await;
    let ids: Vec<&str> = list
        .as_array()
        .unwrap()
        .iter()
        .map(|a| a["consultant_id"].as_str().unwrap())
        .collect();
    assert_eq!(ids, ["c-med-10", "c-med-10"], "{list}");
    let (_, list) = get_json(&own, &app, "/api/v1/awards?consultant_id=c-anaes-18").await;
    assert_eq!(list, json!([]));
    let cd = app.login("clinical.director").await;
    let (_, list) = get_json(&cd, &app, "/api/v1/awards?consultant_id=c-med-10").await;
    assert_eq!(list, json!([]));
    let (s, p) = post_json(
        &cd,
        &app,
        "/api/v1/awards",
        json!({ "consultant_id": "c-surg-01", "kind": "cea", "level": 1, "start_date": "2025-04-01" }),
    )
    .await;
    assert_eq!(s, 403, "{p}");

    // Ended by the medical director; a stale end is 409 with the current version.
    let id = cea["id"].as_i64().unwrap();
    let path = format!("/api/v1/awards/{id}/end");
    let (s, ended) = post_json(
        &md,
        &app,
        &path,
        json!({ "version": 1, "end_date": "2026-03-31" }),
    )
    .await;
    assert_eq!(s, 200, "{ended}");
    assert_eq!(
        (&ended["end_date"], &ended["version"]),
        (&json!("2026-03-31"), &json!(2))
    );
    let (s, p) = post_json(
        &ms,
        &app,
        &path,
        json!({ "version": 1, "end_date": "2026-06-30" }),
    )
    .await;
    assert_eq!((s, &p["current_version"]), (409, &json!(2)), "{p}");
    let (s, p) = post_json(
        &md,
        &app,
        &path,
        json!({ "version": 2, "end_date": "2025-04-01" }),
    )
    .await;
    assert_eq!((s, &p["field"]), (422, &json!("end_date")), "{p}");
    let (s, _) = post_json(
        &md,
        &app,
        "/api/v1/awards/999999/end",
        json!({ "version": 1, "end_date": "2026-03-31" }),
    )
    .await;
    assert_eq!(s, 404);
    let (s, _) = post_json(
        &md,
        &app,
        &path,
        json!({ "version": 2, "end_date": "2026-03-31", "why": "x" }),
    )
    .await;
    assert_eq!(s, 400);

    // Bad levels, amounts, dates and committees are 422 naming the field; unknown fields 400.
    let cases = [
        (
            json!({ "kind": "cea", "level": 14, "start_date": "2025-04-01" }),
            "level",
        ),
        (
            json!({ "kind": "cea", "level": 0, "start_date": "2025-04-01" }),
            "level",
        ),
        (
            json!({ "kind": "cea", "start_date": "2025-04-01" }),
            "level",
        ),
        (
            json!({ "kind": "cea", "level": 2, "amount": "100.00", "start_date": "2025-04-01" }),
            "amount",
        ),
        (
            json!({ "kind": "cea", "level": 12, "body": "local", "start_date": "2025-04-01" }),
            "body",
        ),
        (
            json!({ "kind": "cea", "level": 2, "start_date": "2002-04-01" }),
            "start_date",
        ),
        (
            json!({ "kind": "recruitment", "start_date": "2025-04-01" }),
            "amount",
        ),
        (
            json!({ "kind": "recruitment", "amount": "-5.00", "start_date": "2025-04-01" }),
            "amount",
        ),
        (
            json!({ "kind": "recruitment", "amount": "12.345", "start_date": "2025-04-01" }),
            "amount",
        ),
        (
            json!({ "kind": "recruitment", "amount": "0.00", "start_date": "2025-04-01" }),
            "amount",
        ),
        (
            json!({ "kind": "retention", "amount": "100.00", "level": 2, "start_date": "2025-04-01" }),
            "level",
        ),
        (
            json!({ "kind": "retention", "amount": "100.00", "start_date": "2025-13-01" }),
            "start_date",
        ),
        (
            json!({ "kind": "retention", "amount": "100.00", "start_date": "2025-04-01", "end_date": "2025-03-31" }),
            "end_date",
        ),
        (
            json!({ "kind": "retention", "amount": "100.00", "start_date": "2025-04-01", "end_date": "2026-03-31", "years": 1 }),
            "years",
        ),
        (
            json!({ "kind": "retention", "amount": "100.00", "start_date": "2025-04-01", "years": 0 }),
            "years",
        ),
        // Years past the bound (the end would fall in a five-digit year), and dates of five digits.
        (
            json!({ "kind": "recruitment", "amount": "5000.00", "start_date": "2019-04-01", "years": 12764 }),
            "years",
        ),
        (
            json!({ "kind": "recruitment", "amount": "5000.00", "start_date": "2019-04-01", "years": 101 }),
            "years",
        ),
        (
            json!({ "kind": "retention", "amount": "100.00", "start_date": "2025-04-01", "end_date": "+12025-03-31" }),
            "end_date",
        ),
        (
            json!({ "kind": "retention", "amount": "100.00", "start_date": "12025-04-01" }),
            "start_date",
        ),
    ];
    for (mut body, field) in cases {
        body["consultant_id"] = json!("c-med-10");
        let (s, p) = post_json(&md, &app, "/api/v1/awards", body.clone()).await;
        assert_eq!((s, &p["field"]), (422, &json!(field)), "{body}: {p}");
    }
    for body in [
        json!({ "consultant_id": "c-med-10", "kind": "cea", "level": 2, "start_date": "2025-04-01", "value": "1" }),
        json!({ "consultant_id": "c-med-10", "kind": "bonus", "start_date": "2025-04-01" }),
        json!({ "consultant_id": "c-med-10", "kind": "recruitment", "amount": 5000.0, "start_date": "2025-04-01" }),
    ] {
        let (s, p) = post_json(&md, &app, "/api/v1/awards", body.clone()).await;
        assert_eq!(s, 400, "{body}: {p}");
    }
    let (s, p) = post_json(
        &md,
        &app,
        "/api/v1/awards",
        json!({ "consultant_id": "c-nobody", "kind": "cea", "level": 1, "start_date": "2025-04-01" }),
    )
    .await;
    assert_eq!((s, &p["field"]), (422, &json!("consultant_id")), "{p}");

    let (_, doc) = get_json(&md, &app, "/api/openapi.json").await;
    for path in ["/api/v1/awards", "/api/v1/awards/{id}/end"] {
        assert!(doc["paths"].get(path).is_some(), "{path} documented");
    }
    assert_audit_intact(&md, &app).await;
}
