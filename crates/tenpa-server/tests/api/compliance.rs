//! The job-plan sign-off measure and its snapshots (JP-1, A 9.1).

use super::*;

fn uk_today() -> chrono::NaiveDate {
    tenpa_server::uk_time::today()
}

/// Source: A 9.1 (JP-1), A 10.1 (JP-4): the share of consultants with a plan signed off within 12
/// months adds up from every consultant's standing; a plan signed off today is due for review in a
/// year; a snapshot keeps the figures and the list as they were after a plan goes into dispute, and
/// is taken once a month; who may read and take it.
#[tokio::test]
async fn the_measure_adds_up_and_a_snapshot_reproduces_it_after_plans_change() {
    let app = spawn_app().await;
    let md = app.login("medical.director").await;
    let (s, before) = get_json(&md, &app, "/api/v1/compliance").await;
    assert_eq!(s, 200, "{before}");
    let lines = before["consultants"].as_array().unwrap();
    let counted = lines
        .iter()
        .filter(|c| c["standing"] != "not_yet_counted")
        .count();
    let signed: Vec<&Value> = lines
        .iter()
        .filter(|c| c["standing"] == "signed_off")
        .collect();
    assert_eq!(before["total"]["counted"], counted, "{before}");
    assert_eq!(before["total"]["signed_off"], signed.len(), "{before}");
    assert!(!signed.is_empty() && signed.len() < counted, "{before}");
    for standing in ["never_signed", "in_dispute"] {
        assert!(
            lines.iter().any(|c| c["standing"] == standing),
            "a demo consultant is {standing}"
        );
    }
    let by_department: u64 = before["departments"]
        .as_array()
        .unwrap()
        .iter()
        .map(|d| d["signed_off"].as_u64().unwrap())
        .sum();
    assert_eq!(json!(by_department), before["total"]["signed_off"]);
    // The demo's plans were signed off today: due for review in a year (not a year after they
    // first took effect).
    let today = uk_today();
    let line = signed
        .iter()
        .find(|c| c["consultant_id"].as_str().unwrap().starts_with("c-med"))
        .expect("a signed-off plan in medicine");
    assert_eq!(line["last_signed_off"], json!(today.to_string()));
    assert_eq!(
        line["review_due"],
        json!(today
            .checked_add_months(chrono::Months::new(12))
            .unwrap()
            .to_string())
    );

    // This month's snapshot, taken as the demo loaded: stored once, taking it again stores nothing.
    let ms = app.login("medical.staffing").await;
    let (s, taken) = post_json(&ms, &app, "/api/v1/compliance/snapshots", json!({})).await;
    assert_eq!((s, &taken["made"]), (200, &json!(false)), "{taken}");
    let id = taken["snapshot"]["id"].as_i64().unwrap();
    assert_eq!(taken["snapshot"]["report"]["total"], before["total"]);
    assert_eq!(
        taken["snapshot"]["report"]["consultants"],
        before["consultants"]
    );
    assert_eq!(taken["snapshot"]["intact"], true);
    assert_eq!(taken["snapshot"]["taken_by"], "medical.staffing");

    // The plan is reopened and goes into dispute: the measure falls by one, the snapshot does not.
    let plan = line["plan_id"].as_i64().unwrap();
    let (_, p) = get_json(&md, &app, &format!("/api/v1/job-plans/{plan}")).await;
    let v = p["version"].as_i64().unwrap();
    let p = step(&md, &app, plan, v, "reopen").await;
    let p = step(&md, &app, plan, p["version"].as_i64().unwrap(), "propose").await;
    step(&ms, &app, plan, p["version"].as_i64().unwrap(), "not_agree").await;
    let (_, after) = get_json(&md, &app, "/api/v1/compliance").await;
    assert_eq!(
        after["total"]["signed_off"].as_u64().unwrap() + 1,
        before["total"]["signed_off"].as_u64().unwrap()
    );
    let now = after["consultants"]
        .as_array()
        .unwrap()
        .iter()
        .find(|c| c["consultant_id"] == line["consultant_id"])
        .unwrap();
    assert_eq!(
        (&now["standing"], &now["last_signed_off"]),
        (&json!("in_dispute"), &line["last_signed_off"])
    );
    let (s, kept) = get_json(&md, &app, &format!("/api/v1/compliance/snapshots/{id}")).await;
    assert_eq!(s, 200, "{kept}");
    assert_eq!(kept["report"], taken["snapshot"]["report"]);
    assert_eq!(kept["intact"], true);
    let (_, list) = get_json(&md, &app, "/api/v1/compliance/snapshots").await;
    assert_eq!(list["chain_intact"], true, "{list}");
    assert_eq!(list["snapshots"][0]["id"], id);
    assert_eq!(list["snapshots"][0]["total"], before["total"]);

    // Who may: the chief executive reads; a clinical director reads their department only, and
    // takes no snapshot; a consultant reads nothing.
    let ceo = app.login("chief.executive").await;
    assert_eq!(get_json(&ceo, &app, "/api/v1/compliance").await.0, 200);
    let (s, _) = post_json(&ceo, &app, "/api/v1/compliance/snapshots", json!({})).await;
    assert_eq!(s, 403);
    let cd = app.login("clinical.director").await;
    assert_eq!(get_json(&cd, &app, "/api/v1/compliance").await.0, 403);
    let surgery = before["departments"]
        .as_array()
        .unwrap()
        .iter()
        .find(|d| d["name"] == "Surgery")
        .map(|d| d["department_id"].as_i64().unwrap())
        .expect("the surgery department");
    let (s, own) = get_json(
        &cd,
        &app,
        &format!("/api/v1/compliance?department_id={surgery}"),
    )
    .await;
    assert_eq!(s, 200, "{own}");
    assert!(own["consultants"]
        .as_array()
        .unwrap()
        .iter()
        .all(|c| c["department_id"] == surgery));
    let other = surgery + 1;
    let (s, _) = get_json(
        &cd,
        &app,
        &format!("/api/v1/compliance?department_id={other}"),
    )
    .await;
    assert_eq!(s, 403);
    assert_eq!(
        get_json(&cd, &app, "/api/v1/compliance/snapshots").await.0,
        403
    );
    let consultant = app.login("consultant").await;
    assert_eq!(
        get_json(&consultant, &app, "/api/v1/compliance").await.0,
        403
    );
    let (s, _) = get_json(&md, &app, "/api/v1/compliance?department_id=999999").await;
    assert_eq!(s, 422);
    assert_eq!(
        get_json(&md, &app, "/api/v1/compliance/snapshots/999999")
            .await
            .0,
        404
    );

    // The page draws the monthly figures; the list and the figures download as CSV (and the list
    // as a workbook): a line per consultant, a line per month.
    let page = html_of(&md, &app, "/compliance").await;
    assert!(page.contains("id=\"compliance-trend\""), "the trend chart");
    let csv = html_of(&md, &app, "/compliance.csv").await;
    assert_eq!(csv.lines().count(), lines.len() + 1, "{csv}");
    assert!(csv.starts_with("Consultant id,Consultant,Department,Specialty,Standing"));
    let month = uk_today().format("%Y-%m").to_string();
    let trend = html_of(&md, &app, "/compliance/snapshots.csv").await;
    let rows: Vec<&str> = trend.lines().collect();
    assert_eq!(rows.len(), 2, "{trend}");
    assert!(
        rows[1].starts_with(&format!(
            "{month},{},{},{},{},yes,",
            uk_today(),
            before["total"]["counted"],
            before["total"]["signed_off"],
            before["total"]["percent"].as_str().unwrap()
        )),
        "{trend}"
    );
    let r = md.get(app.url("/compliance.xlsx")).send().await.unwrap();
    assert_eq!(r.status(), 200);
    assert!(r.bytes().await.unwrap().starts_with(b"PK"), "a workbook");

    let (_, doc) = get_json(&md, &app, "/api/openapi.json").await;
    assert_documented(
        &doc,
        &[
            "/api/v1/compliance",
            "/api/v1/compliance/snapshots",
            "/api/v1/compliance/snapshots/{id}",
        ],
    );
    assert_audit_intact(&md, &app).await;
    // A body changed behind the application's back, its figures still readable: the list, the
    // snapshot and the page say it no longer matches its hash.
    exec(
        &app.db_url,
        &format!("UPDATE compliance_snapshots SET body = body || ' ' WHERE id = {id}"),
    )
    .await;
    let (_, list) = get_json(&md, &app, "/api/v1/compliance/snapshots").await;
    assert_eq!(
        (&list["chain_intact"], &list["snapshots"][0]["intact"]),
        (&json!(false), &json!(false)),
        "{list}"
    );
    let (_, kept) = get_json(&md, &app, &format!("/api/v1/compliance/snapshots/{id}")).await;
    assert_eq!(kept["intact"], false);
    assert!(html_of(&md, &app, "/compliance")
        .await
        .contains("A stored snapshot has been changed"));
}

/// Consistency across the trust: the trust's figures add up from its consultants' plans, a group of
/// fewer than five shows no figures, the outliers lie outside the trust's fences; the report
/// readers only.
#[tokio::test]
async fn the_consistency_report_suppresses_small_groups_and_marks_outliers() {
    let app = spawn_app().await;
    let md = app.login("medical.director").await;
    let (_, plans) = get_json(&md, &app, "/api/v1/job-plans").await;
    let consultants: std::collections::BTreeSet<&str> = plans
        .as_array()
        .unwrap()
        .iter()
        .map(|p| p["consultant_id"].as_str().unwrap())
        .collect();
    // Five consultants with plans recorded as female: a group of five, shown.
    let admin = app.login("admin").await;
    for id in consultants.iter().take(5) {
        let (_, r) = get_json(&admin, &app, &format!("/api/v1/consultants/{id}")).await;
        let mut edit = json!({});
        for k in [
            "version",
            "name",
            "gmc_number",
            "department_id",
            "contracted_pas",
            "first_appointed",
            "start_date",
            "transferred",
            "seniority_at_transfer",
            "lead_employer_id",
        ] {
            edit[k] = r[k].clone();
        }
        edit["sex"] = json!("F");
        let (s, saved) = put_json(&admin, &app, &format!("/api/v1/consultants/{id}"), edit).await;
        assert_eq!((s, &saved["sex"]), (200, &json!("female")), "{saved}");
    }
    let (s, r) = get_json(&md, &app, "/api/v1/reports/consistency").await;
    assert_eq!(s, 200, "{r}");
    let female = r["sexes"]
        .as_array()
        .unwrap()
        .iter()
        .find(|g| g["name"] == "Female")
        .unwrap();
    assert_eq!(
        (&female["consultants"], &female["suppressed"]),
        (&json!(5), &json!(false)),
        "{r}"
    );
    for by in ["sexes", "working_patterns"] {
        let sum: u64 = r[by]
            .as_array()
            .unwrap()
            .iter()
            .map(|g| g["consultants"].as_u64().unwrap())
            .sum();
        assert_eq!(json!(sum), r["trust"]["consultants"], "{by}");
    }
    assert!(r["working_patterns"]
        .as_array()
        .unwrap()
        .iter()
        .all(|g| g["name"] == "Full-time" || g["name"] == "Part-time"));
    assert_eq!(r["trust"]["consultants"], consultants.len(), "{r}");
    assert_eq!(r["trust"]["suppressed"], false);
    let spa = &r["trust"]["spreads"]["spa"];
    let q = |k: &str| spa[k].as_str().unwrap().parse::<f64>().unwrap();
    assert!(q("q1") <= q("median") && q("median") <= q("q3"), "{spa}");
    let groups = r["departments"].as_array().unwrap();
    let sum: u64 = groups
        .iter()
        .map(|g| g["consultants"].as_u64().unwrap())
        .sum();
    assert_eq!(json!(sum), r["trust"]["consultants"]);
    for g in groups
        .iter()
        .chain(r["specialties"].as_array().unwrap())
        .chain(r["sexes"].as_array().unwrap())
        .chain(r["working_patterns"].as_array().unwrap())
    {
        let small = g["consultants"].as_u64().unwrap() < 5;
        assert_eq!(g["suppressed"], small, "{g}");
        if small {
            assert_eq!(g["spreads"], json!({}), "{g}");
            assert!(g["dispute_percent"].is_null(), "{g}");
        }
    }
    for o in r["outliers"].as_array().unwrap() {
        let s = &r["trust"]["spreads"][o["measure"].as_str().unwrap()];
        let (q1, q3): (f64, f64) = (
            s["q1"].as_str().unwrap().parse().unwrap(),
            s["q3"].as_str().unwrap().parse().unwrap(),
        );
        let v: f64 = o["value"].as_str().unwrap().parse().unwrap();
        let fence = 1.5 * (q3 - q1);
        assert!(v < q1 - fence || v > q3 + fence, "{o}");
    }
    let page = html_of(&md, &app, "/consistency").await;
    assert!(
        page.contains("id=\"consistency-spa-departments\""),
        "the page"
    );
    assert!(page.contains("id=\"consistency-spa-sexes\""), "the page");
    assert!(
        page.contains("id=\"consistency-disputes-groups\""),
        "the page"
    );
    let cd = app.login("clinical.director").await;
    assert_eq!(
        get_json(&cd, &app, "/api/v1/reports/consistency").await.0,
        403
    );
}
