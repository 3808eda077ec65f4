//! The pages for on-call rotas and extra-PA offers on the demo trust (SQLite, or PostgreSQL when
//! `TENPA_TEST_DATABASE_URL` is set): a rota created, changed (a stale version kept as a
//! conflict) and given a category decision on the pages, an extra-PA offer made on a page and
//! seen by the consultant, each through the API's functions and refused to roles the API
//! refuses.

mod common;

use common::crawl::{csrf, serve, sign_in};
use reqwest::Client;
use serde_json::Value;

async fn page(c: &Client, url: String) -> (u16, String) {
    let r = c.get(url).send().await.expect("request");
    (r.status().as_u16(), r.text().await.unwrap_or_default())
}

async fn json(c: &Client, url: String) -> Value {
    let r = c.get(url).send().await.expect("request");
    assert_eq!(r.status().as_u16(), 200);
    r.json().await.expect("JSON")
}

/// Posts a form; answers the status, the body and the redirect's location.
async fn post(c: &Client, url: String, form: &[(&str, &str)]) -> (u16, String, String) {
    let r = c.post(url).form(form).send().await.expect("request");
    let status = r.status().as_u16();
    let to = r
        .headers()
        .get("location")
        .map(|l| l.to_str().unwrap().to_string())
        .unwrap_or_default();
    (status, r.text().await.unwrap_or_default(), to)
}

async fn token(c: &Client, base: &str) -> String {
    csrf(&page(c, format!("{base}/")).await.1).expect("a CSRF token")
}

async fn rota_named(c: &Client, base: &str, name: &str) -> Value {
    json(c, format!("{base}/api/v1/rotas"))
        .await
        .as_array()
        .unwrap()
        .iter()
        .find(|r| r["name"] == name)
        .unwrap_or_else(|| panic!("rota {name}"))
        .clone()
}

fn members(rota: &Value) -> Vec<&str> {
    rota["members"]
        .as_array()
        .unwrap()
        .iter()
        .map(|m| m.as_str().unwrap())
        .collect()
}

/// Source: issue brief — pages for every API-only operation: rotas (create, change members).
#[tokio::test]
async fn a_clinical_director_creates_and_changes_a_rota_on_the_pages() {
    let db = common::fresh_db_url().await;
    let base = serve(&db, true).await;
    let cd = sign_in(&base, "clinical.director").await;
    let surgery = rota_named(&cd, &base, "Vascular surgery on-call").await["department_id"]
        .as_i64()
        .unwrap()
        .to_string();

    let (_, list) = page(&cd, format!("{base}/rotas")).await;
    assert!(list.contains("href=\"/rotas/new\""), "{list}");
    // One department kept: its form at once, members from its consultant records.
    let (s, form) = page(&cd, format!("{base}/rotas/new")).await;
    assert_eq!(s, 200);
    assert!(form.contains(&format!("name=\"rota-department_id\" value=\"{surgery}\"")));
    assert!(form.contains("value=\"c-surg-05\""), "{form}");
    assert!(
        !form.contains("value=\"c-med-10\""),
        "another department's consultant is not offered"
    );
    let token = csrf(&form).unwrap();
    let create = |name: &'static str,
                  category: &'static str,
                  from: &'static str,
                  people: &'static [&'static str],
                  reason: &'static str| {
        let cd = cd.clone();
        let base = base.clone();
        let token = token.clone();
        let surgery = surgery.clone();
        async move {
            let mut form = vec![
                ("csrf", token.as_str()),
                ("rota-department_id", surgery.as_str()),
                ("rota-name", name),
                ("rota-category", category),
                ("rota-effective_from", from),
                ("rota-category_reason", "Returns to theatre"),
                ("rota-reason", reason),
                ("rota-action_plan", ""),
            ];
            for p in people {
                form.push(("rota-members", p));
            }
            post(&cd, format!("{base}/rotas"), &form).await
        }
    };
    let five: &[&str] = &[
        "c-surg-03",
        "c-surg-04",
        "c-surg-05",
        "c-surg-06",
        "c-surg-07",
    ];

    // Bad fields: each a 422 with the error summary linking the field, what was entered kept.
    let (s, html, _) = create("", "a", "2026-04-01", five, "").await;
    assert_eq!(s, 422);
    assert!(html.contains("nhsuk-error-summary"));
    assert!(html.contains("href=\"#rota-name\""), "{html}");
    assert!(html.contains("<title>Error: New rota"));
    let (s, html, _) = create("Trauma on-call", "", "2026-04-01", five, "").await;
    assert_eq!(s, 422);
    assert!(html.contains("href=\"#rota-category\""), "{html}");
    assert!(
        html.contains("value=\"Trauma on-call\""),
        "the name is kept"
    );
    let (s, html, _) = create("Trauma on-call", "a", "01/04/2026", five, "").await;
    assert_eq!(s, 422);
    assert!(html.contains("href=\"#rota-effective_from\""), "{html}");
    assert!(html.contains("01/04/2026") && html.contains("YYYY-MM-DD"));
    let (s, html, _) = create(
        "Trauma on-call",
        "a",
        "2026-04-01",
        &["c-surg-03", "c-surg-04", "c-surg-05"],
        "",
    )
    .await;
    assert_eq!(s, 422, "1 in 3 needs its reason (OC-10)");
    assert!(html.contains("href=\"#rota-reason\""), "{html}");
    assert!(
        html.contains("value=\"c-surg-05\" checked"),
        "the members ticked are kept: {html}"
    );
    let (s, html, _) = create("Vascular surgery on-call", "a", "2026-04-01", five, "").await;
    assert_eq!(s, 422, "a name the department uses");
    assert!(html.contains("href=\"#rota-name\"") && html.contains("already"));

    // Created, and seen through the API.
    let (s, _, to) = create("Trauma on-call", "a", "2026-04-01", five, "").await;
    assert_eq!(s, 303);
    assert!(to.contains("done=created"), "{to}");
    let rota = rota_named(&cd, &base, "Trauma on-call").await;
    let id = rota["id"].as_i64().unwrap();
    assert!(to.starts_with(&format!("/rotas/{id}?")), "{to}");
    assert_eq!(members(&rota), five);
    assert_eq!(rota["frequency"], "1 in 5");
    assert_eq!(rota["version"], 1);
    assert_eq!(rota["decisions"][0]["category"], "a");
    assert_eq!(rota["decisions"][0]["effective_from"], "2026-04-01");
    assert_eq!(rota["decisions"][0]["reason"], "Returns to theatre");
    assert_eq!(rota["decisions"][0]["decided_by"], "clinical.director");
    let (_, shown) = page(&cd, format!("{base}{to}")).await;
    assert!(shown.contains("The rota has been created."));
    assert!(shown.contains(&format!("href=\"/rotas/{id}/edit\"")));
    assert!(shown.contains(&format!("href=\"/rotas/{id}/category-decisions/new\"")));

    // Changed with its version: a name and a sixth member.
    let (s, edit) = page(&cd, format!("{base}/rotas/{id}/edit")).await;
    assert_eq!(s, 200);
    assert!(edit.contains("name=\"version\" value=\"1\""), "{edit}");
    assert!(edit.contains("value=\"Trauma on-call\""));
    let change = |version: &'static str, name: &'static str, people: &'static [&'static str]| {
        let cd = cd.clone();
        let base = base.clone();
        let token = token.clone();
        async move {
            let mut form = vec![
                ("csrf", token.as_str()),
                ("version", version),
                ("rota-name", name),
                ("rota-reason", ""),
                ("rota-action_plan", ""),
            ];
            for p in people {
                form.push(("rota-members", p));
            }
            post(&cd, format!("{base}/rotas/{id}/edit"), &form).await
        }
    };
    let six: &[&str] = &[
        "c-surg-03",
        "c-surg-04",
        "c-surg-05",
        "c-surg-06",
        "c-surg-07",
        "c-surg-08",
    ];
    let (s, html, _) = change("1", " ", six).await;
    assert_eq!(s, 422);
    assert!(html.contains("href=\"#rota-name\""), "{html}");
    assert!(html.contains("value=\"c-surg-08\" checked"));
    let (s, _, to) = change("1", "Trauma and orthopaedic on-call", six).await;
    assert_eq!(s, 303);
    assert!(
        to.starts_with(&format!("/rotas/{id}?done=changed&aligned=")),
        "{to}"
    );
    let now = json(&cd, format!("{base}/api/v1/rotas/{id}")).await;
    assert_eq!(now["name"], "Trauma and orthopaedic on-call");
    assert_eq!(now["version"], 2);
    assert_eq!(members(&now), six);
    assert_eq!(now["frequency"], "1 in 6");

    // A stale version: 409, what was typed kept, the rota as it is now shown, nothing saved.
    let (s, html, _) = change("1", "Stale name", five).await;
    assert_eq!(s, 409, "{html}");
    assert!(html.contains("id=\"conflict\""));
    assert!(
        html.contains("value=\"Stale name\""),
        "what was typed is kept"
    );
    assert!(
        !html.contains("value=\"c-surg-08\" checked"),
        "the members typed are kept, not the saved ones"
    );
    assert!(html.contains("name=\"version\" value=\"2\""));
    assert!(
        html.contains("Trauma and orthopaedic on-call"),
        "the rota now"
    );
    let now = json(&cd, format!("{base}/api/v1/rotas/{id}")).await;
    assert_eq!(now["name"], "Trauma and orthopaedic on-call");
    assert_eq!(now["version"], 2);
}

/// Source: issue brief — pages for every API-only operation: rotas (category decisions).
#[tokio::test]
async fn a_category_decision_is_recorded_on_the_page() {
    let db = common::fresh_db_url().await;
    let base = serve(&db, true).await;
    let md = sign_in(&base, "medical.director").await;
    let rota = rota_named(&md, &base, "Respiratory and general medicine on-call").await;
    let id = rota["id"].as_i64().unwrap();
    let decisions = rota["decisions"].as_array().unwrap().len();
    let (s, form) = page(&md, format!("{base}/rotas/{id}/category-decisions/new")).await;
    assert_eq!(s, 200);
    let version = rota["version"].to_string();
    assert!(form.contains(&format!("name=\"version\" value=\"{version}\"")));
    let token = csrf(&form).unwrap();
    let decide =
        |version: String, category: &'static str, from: &'static str, why: &'static str| {
            let md = md.clone();
            let base = base.clone();
            let token = token.clone();
            async move {
                post(
                    &md,
                    format!("{base}/rotas/{id}/category-decisions"),
                    &[
                        ("csrf", token.as_str()),
                        ("version", version.as_str()),
                        ("decision-category", category),
                        ("decision-effective_from", from),
                        ("decision-reason", why),
                    ],
                )
                .await
            }
        };
    let (s, html, _) = decide(version.clone(), "", "2099-04-01", "Phone advice").await;
    assert_eq!(s, 422);
    assert!(html.contains("href=\"#decision-category\""), "{html}");
    assert!(
        html.contains("value=\"Phone advice\""),
        "the reason is kept"
    );
    let (s, html, _) = decide(version.clone(), "b", "2020-01-01", "Phone advice").await;
    assert_eq!(s, 422, "a decision is prospective (OC-7)");
    assert!(html.contains("href=\"#decision-effective_from\""), "{html}");
    assert!(html.contains("in the past"));
    let (s, html, _) = decide(version.clone(), "b", "2099-04-01", " ").await;
    assert_eq!(s, 422);
    assert!(html.contains("href=\"#decision-reason\""), "{html}");
    let (s, html, _) = decide("0".into(), "b", "2099-04-01", "Phone advice").await;
    assert_eq!(s, 409, "a stale version");
    assert!(html.contains("id=\"conflict\"") && html.contains("value=\"Phone advice\""));
    let (s, _, to) = decide(version, "b", "2099-04-01", "Calls are advice by phone").await;
    assert_eq!(s, 303);
    assert!(to.starts_with(&format!("/rotas/{id}?done=decided")), "{to}");
    let now = json(&md, format!("{base}/api/v1/rotas/{id}")).await;
    let all = now["decisions"].as_array().unwrap();
    assert_eq!(all.len(), decisions + 1);
    let last = all.last().unwrap();
    assert_eq!(last["category"], "b");
    assert_eq!(last["effective_from"], "2099-04-01");
    assert_eq!(last["reason"], "Calls are advice by phone");
    assert_eq!(last["decided_by"], "medical.director");
    let (_, shown) = page(&md, format!("{base}{to}")).await;
    assert!(shown.contains("The category decision has been recorded."));
    assert!(shown.contains("2099-04-01 (to come)"));
}

/// Source: issue brief — pages for every API-only operation: extra-PA offers.
#[tokio::test]
async fn an_extra_pa_offer_made_on_the_page_reaches_the_consultant() {
    let db = common::fresh_db_url().await;
    let base = serve(&db, true).await;
    let cd = sign_in(&base, "clinical.director").await;
    let (_, offers) = page(&cd, format!("{base}/extra-pa-offers?consultant=c-surg-01")).await;
    assert!(
        offers.contains("href=\"/extra-pa-offers/new?consultant=c-surg-01\""),
        "{offers}"
    );
    let (s, form) = page(
        &cd,
        format!("{base}/extra-pa-offers/new?consultant=c-surg-01"),
    )
    .await;
    assert_eq!(s, 200);
    assert!(form.contains("value=\"c-surg-01\" selected"), "{form}");
    assert!(
        !form.contains("value=\"c-surg-02\""),
        "nobody offers themselves extra PAs"
    );
    let token = csrf(&form).unwrap();
    let offer = |pas: &'static str, offered: &'static str, starts: &'static str| {
        let cd = cd.clone();
        let base = base.clone();
        let token = token.clone();
        async move {
            post(
                &cd,
                format!("{base}/extra-pa-offers"),
                &[
                    ("csrf", token.as_str()),
                    ("offer-consultant_id", "c-surg-01"),
                    ("offer-pas", pas),
                    ("offer-basis", "fixed"),
                    ("offer-offered_on", offered),
                    ("offer-starts_on", starts),
                    ("offer-terms", "at_annual_review"),
                    ("offer-terms", "offered_to_all_appropriate"),
                    ("offer-response", ""),
                    ("offer-responded_on", ""),
                    ("offer-terminated_on", ""),
                    ("offer-termination_notice_given_on", ""),
                ],
            )
            .await
        }
    };
    let (s, html, _) = offer("lots", "2027-01-04", "2027-04-12").await;
    assert_eq!(s, 422);
    assert!(html.contains("href=\"#offer-pas\""), "{html}");
    assert!(html.contains("lots"));
    assert!(html.contains("value=\"2027-04-12\""), "the dates are kept");
    let (s, html, _) = offer("21", "2027-01-04", "2027-04-12").await;
    assert_eq!(s, 422, "more than 20 a week");
    assert!(
        html.contains("href=\"#offer-pas\"") && html.contains("at most 20"),
        "{html}"
    );
    let (s, html, _) = offer("1.5", "2027-01-04", "2026-12-01").await;
    assert_eq!(s, 422, "the work starts before the offer");
    assert!(html.contains("href=\"#offer-starts_on\""), "{html}");
    let (s, html, _) = offer("1.5", "", "2027-04-12").await;
    assert_eq!(s, 422);
    assert!(html.contains("href=\"#offer-offered_on\""), "{html}");
    let (s, _, to) = offer("1.5", "2027-01-04", "2027-04-12").await;
    assert_eq!(s, 303);
    assert!(
        to.starts_with("/extra-pa-offers?consultant=c-surg-01&done=offered#offer-"),
        "{to}"
    );
    let id: i64 = to.rsplit_once("#offer-").unwrap().1.parse().unwrap();

    // The consultant sees it awaiting their answer, through the API and on their page.
    let consultant = sign_in(&base, "consultant").await;
    let theirs = json(&consultant, format!("{base}/api/v1/extra-pa-offers/{id}")).await;
    assert_eq!(theirs["consultant_id"], "c-surg-01");
    assert_eq!(theirs["awaiting_response"], true);
    assert_eq!(theirs["created_by"], "clinical.director");
    assert_eq!(theirs["offer"]["basis"], "fixed");
    assert_eq!(theirs["offer"]["starts_on"], "2027-04-12");
    assert_eq!(theirs["offer"]["at_annual_review"], true);
    assert_eq!(theirs["offer"]["shorter_notice_agreed"], false);
    assert!(
        theirs["offer"]["pas"].to_string().contains("1.5"),
        "{theirs}"
    );
    let (_, their_page) = page(&consultant, format!("{base}/extra-pa-offers")).await;
    assert!(their_page.contains(&format!("id=\"offer-{id}\"")));
    assert!(their_page.contains("Answer the offer"));
    assert!(
        !their_page.contains("href=\"/extra-pa-offers/new"),
        "a consultant makes no offers"
    );
}

/// Source: issue brief — permissions exactly as the API's; nobody offers themselves extra PAs.
#[tokio::test]
async fn roles_the_api_refuses_are_refused_on_the_pages() {
    let db = common::fresh_db_url().await;
    let base = serve(&db, true).await;
    let md = sign_in(&base, "medical.director").await;
    let general = rota_named(&md, &base, "General surgery emergency on-call").await;
    let medicine = rota_named(&md, &base, "Respiratory and general medicine on-call").await;
    let general_id = general["id"].as_i64().unwrap();
    let surgery = general["department_id"].to_string();
    let medicine_dept = medicine["department_id"].to_string();

    // The consultant is on the general surgery rota: sees it, changes nothing.
    let consultant = sign_in(&base, "consultant").await;
    let t = token(&consultant, &base).await;
    let (_, list) = page(&consultant, format!("{base}/rotas")).await;
    assert!(!list.contains("href=\"/rotas/new\""));
    let (_, shown) = page(&consultant, format!("{base}/rotas/{general_id}")).await;
    assert!(!shown.contains(&format!("href=\"/rotas/{general_id}/edit\"")));
    for path in [
        "/rotas/new".to_string(),
        format!("/rotas/{general_id}/edit"),
        format!("/rotas/{general_id}/category-decisions/new"),
        "/extra-pa-offers/new".to_string(),
    ] {
        assert_eq!(
            page(&consultant, format!("{base}{path}")).await.0,
            403,
            "{path}"
        );
    }
    let (s, _, _) = post(
        &consultant,
        format!("{base}/rotas"),
        &[
            ("csrf", t.as_str()),
            ("rota-department_id", surgery.as_str()),
            ("rota-name", "Mine"),
            ("rota-category", "a"),
            ("rota-effective_from", "2026-04-01"),
            ("rota-members", "c-surg-05"),
        ],
    )
    .await;
    assert_eq!(s, 403);
    let (s, _, _) = post(
        &consultant,
        format!("{base}/rotas/{general_id}/edit"),
        &[
            ("csrf", t.as_str()),
            ("version", &general["version"].to_string()),
            ("rota-name", "Mine"),
            ("rota-members", "c-surg-01"),
        ],
    )
    .await;
    assert_eq!(s, 403);
    let (s, _, _) = post(
        &consultant,
        format!("{base}/rotas/{general_id}/category-decisions"),
        &[
            ("csrf", t.as_str()),
            ("version", &general["version"].to_string()),
            ("decision-category", "b"),
            ("decision-effective_from", "2099-01-01"),
            ("decision-reason", "Mine"),
        ],
    )
    .await;
    assert_eq!(s, 403);
    let unchanged = json(&md, format!("{base}/api/v1/rotas/{general_id}")).await;
    assert_eq!(unchanged["version"], general["version"]);
    assert_eq!(unchanged["decisions"], general["decisions"]);

    // The chief executive keeps no rotas.
    let ce = sign_in(&base, "chief.executive").await;
    assert_eq!(page(&ce, format!("{base}/rotas/new")).await.0, 403);

    // Surgery's clinical director keeps Surgery's rotas, not Medicine's.
    let cd = sign_in(&base, "clinical.director").await;
    let t = token(&cd, &base).await;
    assert_eq!(
        page(&cd, format!("{base}/rotas/new?department={medicine_dept}"))
            .await
            .0,
        403
    );
    let (s, _, _) = post(
        &cd,
        format!("{base}/rotas"),
        &[
            ("csrf", t.as_str()),
            ("rota-department_id", medicine_dept.as_str()),
            ("rota-name", "Not mine"),
            ("rota-category", "a"),
            ("rota-effective_from", "2026-04-01"),
            ("rota-members", "c-med-10"),
        ],
    )
    .await;
    assert_eq!(s, 403);
    let id = &medicine["id"];
    assert_eq!(
        page(&cd, format!("{base}/rotas/{id}/edit")).await.0,
        403,
        "not a rota the clinical director sees"
    );

    // Nobody offers themselves extra PAs: the clinical director's own record is c-surg-02.
    let (s, _, _) = post(
        &cd,
        format!("{base}/extra-pa-offers"),
        &[
            ("csrf", t.as_str()),
            ("offer-consultant_id", "c-surg-02"),
            ("offer-pas", "1"),
            ("offer-basis", "annualised"),
            ("offer-offered_on", "2027-01-04"),
            ("offer-starts_on", "2027-04-12"),
        ],
    )
    .await;
    assert_eq!(s, 403);
    let (_, own) = page(&cd, format!("{base}/extra-pa-offers?consultant=c-surg-02")).await;
    assert!(!own.contains("href=\"/extra-pa-offers/new"), "{own}");
    // Nor does a consultant offer a colleague any.
    let (s, _, _) = post(
        &consultant,
        format!("{base}/extra-pa-offers"),
        &[
            ("csrf", token(&consultant, &base).await.as_str()),
            ("offer-consultant_id", "c-surg-03"),
            ("offer-pas", "1"),
            ("offer-basis", "annualised"),
            ("offer-offered_on", "2027-01-04"),
            ("offer-starts_on", "2027-04-12"),
        ],
    )
    .await;
    assert_eq!(s, 403);
    let all = json(
        &md,
        format!("{base}/api/v1/extra-pa-offers?consultant_id=c-surg-02"),
    )
    .await;
    assert!(
        all.as_array()
            .unwrap()
            .iter()
            .all(|o| o["created_by"] != "clinical.director"),
        "{all}"
    );
}
