//! Department templates of job plans on the demo trust (SQLite, or PostgreSQL when
//! `TENPA_TEST_DATABASE_URL` is set): made from a plan on a page and through the API, offered when
//! a plan is started, retired with its version.

mod common;

use common::crawl::{csrf, serve, sign_in};
use reqwest::Client;
use serde_json::{json, Value};

async fn get(c: &Client, url: String) -> (u16, Value) {
    let r = c.get(url).send().await.expect("request");
    (r.status().as_u16(), r.json().await.unwrap_or(Value::Null))
}

async fn post(c: &Client, url: String, body: Value) -> (u16, Value) {
    let r = c.post(url).json(&body).send().await.expect("request");
    (r.status().as_u16(), r.json().await.unwrap_or(Value::Null))
}

async fn plan_of(c: &Client, base: &str, consultant: &str) -> i64 {
    let (_, plans) = get(c, format!("{base}/api/v1/job-plans")).await;
    plans
        .as_array()
        .unwrap()
        .iter()
        .find(|p| p["consultant_id"] == consultant)
        .expect(consultant)["id"]
        .as_i64()
        .unwrap()
}

/// Source: issue brief — department templates (a named set of activities, on-call and defaults)
/// managed on a page; a clinical director creates plans from a template.
#[tokio::test]
async fn a_clinical_director_makes_a_template_and_plans_start_from_it() {
    let db = common::fresh_db_url().await;
    let base = serve(&db, true).await;
    let cd = sign_in(&base, "clinical.director").await;
    let md = sign_in(&base, "medical.director").await;
    let surgery_plan = plan_of(&md, &base, "c-surg-01").await;
    let medicine_plan = plan_of(&md, &base, "c-med-10").await;

    // On the plan's page, then the form.
    let html = cd
        .get(format!("{base}/plans/{surgery_plan}"))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(
        html.contains(&format!("/templates/new?plan={surgery_plan}")),
        "the plan page offers it"
    );
    let html = cd
        .get(format!("{base}/templates/new?plan={surgery_plan}"))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    let token = csrf(&html).unwrap();
    let form = |name: &'static str| {
        let cd = cd.clone();
        let base = base.clone();
        let token = token.clone();
        async move {
            let r = cd
                .post(format!("{base}/templates"))
                .form(&[
                    ("csrf", token.as_str()),
                    ("template-plan_id", &surgery_plan.to_string()),
                    ("template-name", name),
                    ("template-description", "Theatre and clinics"),
                ])
                .send()
                .await
                .unwrap();
            (r.status().as_u16(), r.text().await.unwrap())
        }
    };
    let (s, html) = form("").await;
    assert_eq!(s, 422);
    assert!(html.contains("href=\"#template-name\""), "{html}");
    let (s, _) = form("General surgeon").await;
    assert_eq!(s, 303);
    let (s, html) = form("General surgeon").await;
    assert_eq!(s, 422, "a name in use in the department");
    assert!(html.contains("already"), "{html}");

    // Through the API: not from another department's plan, nor by a consultant.
    let (s, _) = post(
        &cd,
        format!("{base}/api/v1/plan-templates"),
        json!({"plan_id": medicine_plan, "name": "Physician"}),
    )
    .await;
    assert_eq!(s, 403, "a clinical director does not see Medicine's plans");
    let consultant = sign_in(&base, "consultant").await;
    let (s, _) = post(
        &consultant,
        format!("{base}/api/v1/plan-templates"),
        json!({"plan_id": surgery_plan, "name": "Mine"}),
    )
    .await;
    assert_eq!(s, 403);
    let (s, physician) = post(
        &md,
        format!("{base}/api/v1/plan-templates"),
        json!({"plan_id": medicine_plan, "name": "Physician"}),
    )
    .await;
    assert_eq!(s, 201, "{physician}");
    let (_, mine) = get(&cd, format!("{base}/api/v1/plan-templates")).await;
    let names: Vec<&str> = mine
        .as_array()
        .unwrap()
        .iter()
        .map(|t| t["name"].as_str().unwrap())
        .collect();
    assert_eq!(
        names,
        vec!["General surgeon"],
        "a clinical director sees their department's"
    );
    let surgeon = mine[0].clone();
    let (_, source) = get(&md, format!("{base}/api/v1/job-plans/{surgery_plan}")).await;
    assert_eq!(surgeon["body"]["activity"], source["document"]["activity"]);

    // A new plan from it for a Surgery consultant; not from Medicine's.
    let ms = sign_in(&base, "medical.staffing").await;
    let csv = "assignment_number,name,department,first_appointed,contracted_pas\n80000001,Dr New Surgeon,Surgery,2020-01-06,10\n";
    let (s, _) = post(
        &ms,
        format!("{base}/api/v1/imports"),
        json!({"kind": "establishment", "csv": csv}),
    )
    .await;
    assert_eq!(s, 200);
    let html = cd
        .get(format!("{base}/plans/new?consultant=80000001"))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    let start = format!("template:{}", surgeon["id"]);
    assert!(html.contains(&start), "the template is offered: {html}");
    let token = csrf(&html).unwrap();
    let create = |start: String| {
        let cd = cd.clone();
        let base = base.clone();
        let token = token.clone();
        async move {
            let r = cd
                .post(format!("{base}/plans/new"))
                .form(&[
                    ("csrf", token.as_str()),
                    ("plan-consultant_id", "80000001"),
                    ("plan-effective_from", "2027-04-01"),
                    ("plan-start", start.as_str()),
                    ("plan-note", ""),
                ])
                .send()
                .await
                .unwrap();
            let to = r
                .headers()
                .get("location")
                .map(|l| l.to_str().unwrap().to_string());
            (r.status().as_u16(), to)
        }
    };
    let (s, _) = create(format!("template:{}", physician["id"])).await;
    assert_eq!(s, 422, "another department's template");
    let (s, to) = create(start).await;
    assert_eq!(s, 303);
    let id = to
        .unwrap()
        .trim_start_matches("/plans/")
        .trim_end_matches("/edit")
        .to_string();
    let (_, plan) = get(&cd, format!("{base}/api/v1/job-plans/{id}")).await;
    assert_eq!(plan["document"]["consultant"]["name"], "Dr New Surgeon");
    assert_eq!(plan["document"]["activity"], source["document"]["activity"]);
    assert_eq!(plan["document"]["on_call"], source["document"]["on_call"]);
    assert_eq!(
        plan["document"]["pay"]["point"], 0,
        "pay is the consultant's, not the template's"
    );

    // Retired with its version: a stale one is refused, then it is no longer offered.
    let tid = surgeon["id"].as_i64().unwrap();
    let (s, _) = post(
        &cd,
        format!("{base}/api/v1/plan-templates/{tid}/retire"),
        json!({"version": 7}),
    )
    .await;
    assert_eq!(s, 409);
    let (s, _) = post(
        &consultant,
        format!("{base}/api/v1/plan-templates/{tid}/retire"),
        json!({"version": 1}),
    )
    .await;
    assert_eq!(s, 403);
    let html = cd
        .get(format!("{base}/templates"))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    let token = csrf(&html).unwrap();
    let r = cd
        .post(format!("{base}/templates/{tid}/retire"))
        .form(&[("csrf", token.as_str()), ("version", "1")])
        .send()
        .await
        .unwrap();
    assert_eq!(r.status().as_u16(), 303);
    let (_, left) = get(&cd, format!("{base}/api/v1/plan-templates")).await;
    assert_eq!(left.as_array().map(Vec::len), Some(0));
}
