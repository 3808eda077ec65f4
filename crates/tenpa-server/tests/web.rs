//! The web application through HTTP as a browser without JavaScript uses it: the sign-in form,
//! CSRF protection, and every page each demo account can reach — on a fresh SQLite file, and on
//! PostgreSQL when `TENPA_TEST_DATABASE_URL` is set.

mod common;

use common::crawl::{attr_values, crawl, csrf, serve_demo, sign_in, ACCOUNTS};
use common::fresh_db_url;
use reqwest::{Client, StatusCode};

async fn spawn_app() -> String {
    serve_demo(&fresh_db_url().await).await
}

fn plain() -> Client {
    Client::builder()
        .cookie_store(true)
        .redirect(reqwest::redirect::Policy::none())
        .build()
        .unwrap()
}

/// Every page each role reaches by links answers (never a server error, never a link the viewer
/// may not follow or that leads nowhere), has one h1, is served with the
/// Content-Security-Policy, and every form that posts carries the CSRF token.
#[tokio::test]
async fn every_page_each_role_reaches_is_whole() {
    let base = spawn_app().await;
    let mut dead = Vec::new();
    for who in ACCOUNTS {
        let c = sign_in(&base, who).await;
        let visits = crawl(&c, &base, 400).await;
        assert!(!visits.is_empty());
        for v in &visits {
            // A page links only where its viewer may go: no link answers 403 or 404.
            if !(v.status.is_success() || v.status.is_redirection()) {
                dead.push(format!("{who}: {} answered {}", v.path, v.status));
                continue;
            }
            if !v.content_type.starts_with("text/html") {
                continue;
            }
            assert!(
                v.csp
                    .as_deref()
                    .is_some_and(|c| c.contains("script-src 'self'")),
                "{who}: {} has no CSP",
                v.path
            );
            assert_eq!(
                v.body.matches("<h1").count(),
                1,
                "{who}: {} must have one h1",
                v.path
            );
            assert!(
                !v.body.contains("<script>"),
                "{who}: {} has an inline script",
                v.path
            );
            assert!(
                !v.body.contains(" style=\""),
                "{who}: {} has an inline style",
                v.path
            );
            // Times are shown in UK form ("29 November 2026, 21:50"), never as stored.
            if let Some(raw) = raw_timestamp(&visible_text(&v.body)) {
                panic!("{who}: {} shows a stored time as it is: {raw}", v.path);
            }
            for form in v.body.split("<form").skip(1) {
                let tag = &form[..form.find('>').unwrap_or(form.len())];
                if tag.contains("method=\"post\"") {
                    let end = form.find("</form>").unwrap_or(form.len());
                    assert!(
                        form[..end].contains("name=\"csrf\""),
                        "{who}: a form on {} posts without a CSRF token",
                        v.path
                    );
                }
            }
        }
        eprintln!("{who}: {} pages", visits.len());
    }
    assert!(dead.is_empty(), "{}", dead.join("\n"));
}

/// The text of a page outside its tags (attributes, such as a form's hidden fields, are not shown).
fn visible_text(html: &str) -> String {
    let mut out = String::with_capacity(html.len());
    let mut in_tag = false;
    for c in html.chars() {
        match c {
            '<' => in_tag = true,
            '>' => in_tag = false,
            c if !in_tag => out.push(c),
            _ => {}
        }
    }
    out
}

/// The first stored time (RFC 3339: `2026-12-03T10:13`…) in `text`, if any.
fn raw_timestamp(text: &str) -> Option<&str> {
    let b = text.as_bytes();
    let digits = |from: usize, n: usize| b[from..from + n].iter().all(u8::is_ascii_digit);
    (0..b.len().saturating_sub(15)).find_map(|i| {
        let shape = digits(i, 4)
            && b[i + 4] == b'-'
            && digits(i + 5, 2)
            && b[i + 7] == b'-'
            && digits(i + 8, 2)
            && b[i + 10] == b'T'
            && digits(i + 11, 2)
            && b[i + 13] == b':';
        shape.then(|| text.get(i..i + 16).unwrap_or(""))
    })
}

#[test]
fn a_stored_time_is_found_and_a_shown_one_is_not() {
    let html = "<td data-at=\"2026-12-03T10:13:37Z\">3 December 2026, 10:13</td>";
    assert_eq!(raw_timestamp(&visible_text(html)), None);
    assert_eq!(
        raw_timestamp("last changed 2026-12-03T10:13:37.220Z"),
        Some("2026-12-03T10:13")
    );
}

/// Signed out, pages send the visitor to sign in and back.
#[tokio::test]
async fn pages_need_a_session() {
    let base = spawn_app().await;
    let r = plain().get(format!("{base}/?x=1")).send().await.unwrap();
    assert_eq!(r.status(), StatusCode::SEE_OTHER);
    let to = r.headers()["location"].to_str().unwrap();
    assert_eq!(to, "/sign-in?next=/%3Fx%3D1");
}

/// An address the service cannot read (a plan id that is not a number) and a form it cannot read
/// answer the service's own page, never the framework's line of plain text; `/rules/PRV-2`, linked
/// from every progression case, is a page.
#[tokio::test]
async fn unreadable_addresses_and_forms_answer_a_page() {
    let base = spawn_app().await;
    let c = sign_in(&base, "medical.director").await;
    for path in ["/plans/abc", "/plans/abc/history", "/rules/NO-SUCH"] {
        let r = c.get(format!("{base}{path}")).send().await.unwrap();
        assert_eq!(r.status(), StatusCode::NOT_FOUND, "{path}");
        let kind = r.headers()["content-type"].to_str().unwrap().to_string();
        assert!(kind.starts_with("text/html"), "{path}: {kind}");
        let html = r.text().await.unwrap();
        assert!(html.contains("Page not found"), "{path}: {html}");
    }
    let r = c
        .post(format!("{base}/objectives"))
        .header("content-type", "application/x-www-form-urlencoded")
        .body("%zz")
        .send()
        .await
        .unwrap();
    assert!(r.status().is_client_error(), "{}", r.status());
    let kind = r.headers()["content-type"].to_str().unwrap().to_string();
    assert!(kind.starts_with("text/html"), "{kind}");
    let r = c.get(format!("{base}/rules/PRV-2")).send().await.unwrap();
    assert_eq!(r.status(), StatusCode::OK);
    assert!(r.text().await.unwrap().contains("D 3.6-3.7"));
    // The API still answers problem details.
    let r = c
        .get(format!("{base}/api/v1/job-plans/abc"))
        .send()
        .await
        .unwrap();
    assert!(!r.headers()["content-type"]
        .to_str()
        .unwrap()
        .starts_with("text/html"));
}

/// A form posted without the session's CSRF token is refused and changes nothing.
#[tokio::test]
async fn forms_without_the_csrf_token_are_refused() {
    let base = spawn_app().await;
    let c = sign_in(&base, "consultant").await;
    let r = c
        .post(format!("{base}/sign-out"))
        .form(&[("csrf", "forged")])
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::FORBIDDEN);
    assert!(r
        .text()
        .await
        .unwrap()
        .contains("You cannot open this page"));
    // Still signed in.
    let r = c.get(format!("{base}/")).send().await.unwrap();
    assert_eq!(r.status(), StatusCode::OK);
    // With the token, sign-out works and ends the session.
    let home = c
        .get(format!("{base}/"))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    let token = csrf(&home).unwrap();
    let r = c
        .post(format!("{base}/sign-out"))
        .form(&[("csrf", token.as_str())])
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::SEE_OTHER);
    let r = c.get(format!("{base}/")).send().await.unwrap();
    assert_eq!(r.status(), StatusCode::SEE_OTHER);
    assert!(r.headers()["location"]
        .to_str()
        .unwrap()
        .starts_with("/sign-in"));
}

/// The sign-in form: its own CSRF cookie, a clear error for a wrong password, no redirect off the
/// site, and the rate limit.
#[tokio::test]
async fn the_sign_in_form() {
    let base = spawn_app().await;
    let c = plain();
    let post = |c: &Client, token: String, next: &'static str, password: &'static str| {
        let base = base.clone();
        let c = c.clone();
        async move {
            c.post(format!("{base}/sign-in"))
                .form(&[
                    ("csrf", token.as_str()),
                    ("next", next),
                    ("username", "consultant"),
                    ("password", password),
                ])
                .send()
                .await
                .unwrap()
        }
    };
    let token = |c: &Client| {
        let base = base.clone();
        let c = c.clone();
        async move {
            let html = c
                .get(format!("{base}/sign-in"))
                .send()
                .await
                .unwrap()
                .text()
                .await
                .unwrap();
            csrf(&html).unwrap()
        }
    };
    // Without the form's cookie the post is refused.
    let r = plain()
        .post(format!("{base}/sign-in"))
        .form(&[
            ("csrf", "x"),
            ("username", "consultant"),
            ("password", "tenpa-demo"),
        ])
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::FORBIDDEN);

    let r = post(&c, token(&c).await, "/", "wrong").await;
    assert_eq!(r.status(), StatusCode::UNAUTHORIZED);
    let html = r.text().await.unwrap();
    assert!(html.contains("nhsuk-error-summary"));
    assert!(html.contains("The username or password is not right"));
    assert!(
        attr_values(&html, "value")
            .iter()
            .any(|v| v == "consultant"),
        "the username is kept"
    );

    let r = post(&c, token(&c).await, "//evil.example/", "tenpa-demo").await;
    assert_eq!(r.status(), StatusCode::SEE_OTHER);
    assert_eq!(r.headers()["location"], "/");

    let c2 = plain();
    for _ in 0..5 {
        let r = post(&c2, token(&c2).await, "/", "wrong").await;
        assert_eq!(r.status(), StatusCode::UNAUTHORIZED);
    }
    let r = post(&c2, token(&c2).await, "/", "tenpa-demo").await;
    assert_eq!(
        r.status(),
        StatusCode::TOO_MANY_REQUESTS,
        "five failures in the window lock the account"
    );
}

/// The design system's files are served by Tenpa itself, with nothing fetched from elsewhere.
#[tokio::test]
async fn assets_are_served_locally() {
    let base = spawn_app().await;
    let c = plain();
    let js = c
        .get(format!("{base}/assets/tenpa.js"))
        .send()
        .await
        .unwrap();
    assert_eq!(js.status(), StatusCode::OK);
    assert!(js.text().await.unwrap().contains("data-live-panel"));
    let css = c
        .get(format!("{base}/assets/nhsuk.css"))
        .send()
        .await
        .unwrap();
    if css.status() == StatusCode::NOT_FOUND {
        eprintln!("skipped the design system check: run `npm ci` in web/");
        return;
    }
    let css = css.text().await.unwrap();
    assert!(css.contains(".nhsuk-header"));
    assert!(!css.contains("https://"));
    let r = c
        .get(format!("{base}/assets/images/..%2Fsecret"))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::NOT_FOUND);
}

/// An address that is no page answers a page that says so.
#[tokio::test]
async fn unknown_pages_say_so() {
    let base = spawn_app().await;
    let r = plain()
        .get(format!("{base}/no/such/page"))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::NOT_FOUND);
    assert!(r.text().await.unwrap().contains("Page not found"));
}

/// Source: A 9.1-9.2 (JP-1, two sides): on the medical director's own plan the clinical director's
/// sign-off form asks for the alternate who signs off for the medical director, with an error
/// summary when none is chosen; the medical director whose plan it is is not offered and has
/// nothing to do; the page says who the sign-off is with, and the alternate signs it off. On her own
/// plan the clinical director is offered only the consultant's steps.
#[tokio::test]
async fn the_medical_directors_own_plan_is_signed_off_by_a_named_alternate() {
    use serde_json::Value;
    let db = fresh_db_url().await;
    let base = serve_demo(&db).await;
    common::add_own_md_account(&db).await;
    let md = sign_in(&base, "medical.director").await;
    let cd = sign_in(&base, "clinical.director").await;
    let md_own = sign_in(&base, "md.own").await;
    let plans: Value = md
        .get(format!("{base}/api/v1/job-plans"))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    let plan_of = |consultant: &str| {
        plans
            .as_array()
            .unwrap()
            .iter()
            .find(|p| p["consultant_id"] == consultant)
            .cloned()
            .unwrap()
    };
    let text = |c: &Client, url: String| {
        let c = c.clone();
        async move { c.get(url).send().await.unwrap().text().await.unwrap() }
    };

    // Her own plan: the clinical director is offered the consultant's steps only.
    let hers = plan_of("c-surg-02");
    let page = text(&cd, format!("{base}/plans/{}/workflow", hers["id"])).await;
    assert!(
        page.contains(r#"value="agree""#),
        "she agrees as the consultant"
    );
    assert!(!page.contains(r#"value="cd_sign_off""#));

    let theirs = plan_of("c-surg-03");
    assert_eq!(theirs["status"], "agreed");
    let id = theirs["id"].as_i64().unwrap();
    let page_url = format!("{base}/plans/{id}/workflow");
    let page = text(&cd, page_url.clone()).await;
    assert!(page.contains(
        r#"<label class="nhsuk-label" for="alternate-cd_sign_off">Named alternate to sign off for the medical director (required: it is their own plan)</label>"#
    ));
    assert!(page.contains(r#"value="medical.director""#), "eligible");
    assert!(
        !page.contains(r#"value="md.own""#),
        "a party to their own plan"
    );
    let token = csrf(&page).unwrap();
    let sign_off = |alternate: &'static str| {
        vec![
            ("csrf", token.clone()),
            ("action", "cd_sign_off".to_string()),
            ("version", theirs["version"].to_string()),
            ("note", "Signed off.".to_string()),
            ("alternate", alternate.to_string()),
        ]
    };
    let r = cd.post(&page_url).form(&sign_off("")).send().await.unwrap();
    assert_eq!(r.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let page = r.text().await.unwrap();
    assert!(page.contains("nhsuk-error-summary"), "error summary");
    assert!(
        page.contains(r##"href="#alternate-cd_sign_off""##),
        "links to the field"
    );
    assert!(
        page.contains("this is the medical director's own plan"),
        "says why"
    );
    let r = cd
        .post(&page_url)
        .form(&sign_off("medical.director"))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::SEE_OTHER);

    // The medical director whose plan it is has nothing to do; the alternate signs it off.
    let page = text(&md_own, page_url.clone()).await;
    assert!(page.contains("Sign-off with"));
    assert!(page.contains("Nothing is waiting for you on this plan."));
    let page = text(&md, page_url.clone()).await;
    assert!(page.contains(r#"value="md_sign_off""#));
}

/// Source: F 1(g), A 10.1 (JP-4): the refer form asks for a named alternate when the medical
/// director is a party, with an error summary when none is chosen; the page says who the referral
/// is with, and the alternate finds and resolves it.
#[tokio::test]
async fn a_referral_names_an_alternate_on_the_workflow_page() {
    use serde_json::{json, Value};
    let base = spawn_app().await;
    let md = sign_in(&base, "medical.director").await;
    let consultant = sign_in(&base, "consultant2").await;
    let text = include_str!("../../../examples/surgeon-1-in-4.toml");
    let mut doc: Value =
        serde_json::to_value(toml::from_str::<toml::Value>(text).unwrap()).unwrap();
    doc["consultant"]["id"] = json!("c-med-10");
    let plan: Value = md
        .post(format!("{base}/api/v1/job-plans"))
        .json(&json!({ "document": doc }))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    let id = plan["id"].as_i64().unwrap();
    for (c, version, action) in [(&md, 1, "propose"), (&consultant, 2, "not_agree")] {
        let r = c
            .post(format!("{base}/api/v1/job-plans/{id}/transitions"))
            .json(&json!({ "version": version, "action": action, "note": "test" }))
            .send()
            .await
            .unwrap();
        assert_eq!(r.status(), StatusCode::OK, "{action}");
    }
    let page_url = format!("{base}/plans/{id}/workflow");
    let page = consultant
        .get(&page_url)
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(page.contains(
        r#"<label class="nhsuk-label" for="alternate-refer">Named alternate (required when the medical director is a party)</label>"#
    ));
    assert!(page.contains(r#"value="clinical.director""#), "eligible");
    assert!(
        !page.contains(r#"value="medical.director""#),
        "the medical director is a party"
    );
    let token = csrf(&page).unwrap();
    let refer = |alternate: &'static str| {
        vec![
            ("csrf", token.clone()),
            ("action", "refer".to_string()),
            ("version", "3".to_string()),
            ("note", "We cannot agree the SPAs.".to_string()),
            ("alternate", alternate.to_string()),
        ]
    };
    let r = consultant
        .post(&page_url)
        .form(&refer(""))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let page = r.text().await.unwrap();
    assert!(page.contains("nhsuk-error-summary"), "error summary");
    assert!(
        page.contains(r##"href="#alternate-refer""##),
        "links to the field"
    );
    assert!(page.contains(r#"id="alternate-refer-error""#));
    assert!(
        page.contains("We cannot agree the SPAs."),
        "the note is kept"
    );
    let r = consultant
        .post(&page_url)
        .form(&refer("clinical.director"))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::SEE_OTHER);

    // The medical director sees who the referral is with and has nothing to do.
    let page = md
        .get(&page_url)
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(page.contains("Referral with"));
    assert!(page.contains("The named alternate, Ms Hannah Price"));
    assert!(!page.contains("Record the outcome of the referral"));

    // The alternate finds it on their home page and resolves it.
    let cd = sign_in(&base, "clinical.director").await;
    let home = cd
        .get(format!("{base}/"))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(
        home.contains(&format!(r#"href="/plans/{id}""#)),
        "in the queue"
    );
    let page = cd
        .get(&page_url)
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(page.contains("Record the outcome of the referral"));
    let token = csrf(&page).unwrap();
    let r = cd
        .post(&page_url)
        .form(&[
            ("csrf", token.as_str()),
            ("action", "resolve"),
            ("version", "4"),
            ("note", "Two SPAs agreed."),
        ])
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::SEE_OTHER);
    assert_eq!(r.headers()["location"], "/");
}

/// Source: BC-2 — the chair records a director's job description on the director's page, and the
/// finding naming the missing domains goes.
#[tokio::test]
async fn the_chair_records_a_job_description() {
    let base = spawn_app().await;
    let chair = sign_in(&base, "board.chair").await;
    let orgs: serde_json::Value = chair
        .get(format!("{base}/api/v1/board/organisations"))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    let org = orgs[0]["id"].as_i64().unwrap();
    let directors: serde_json::Value = chair
        .get(format!("{base}/api/v1/board/organisations/{org}/directors"))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    let finance = directors
        .as_array()
        .unwrap()
        .iter()
        .find(|d| d["title"] == "Director of Finance")
        .unwrap();
    let id = finance["id"].as_i64().unwrap();
    let page = chair
        .get(format!("{base}/board/directors/{id}"))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(page.contains("does not include 2 of the six domains"));
    let token = csrf(&page).unwrap();
    let mut form: Vec<(&str, &str)> = vec![("csrf", token.as_str())];
    // An unknown domain is refused and changes nothing.
    form.push(("domain", "finance"));
    let r = chair
        .post(format!("{base}/board/directors/{id}/job-description"))
        .form(&form)
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::UNPROCESSABLE_ENTITY);
    assert!(r.text().await.unwrap().contains("nhsuk-error-summary"));
    form.pop();
    for key in [
        "outcomes",
        "strategy",
        "equality",
        "governance",
        "culture",
        "partnership",
    ] {
        form.push(("domain", key));
    }
    let r = chair
        .post(format!("{base}/board/directors/{id}/job-description"))
        .form(&form)
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::SEE_OTHER);
    let page = chair
        .get(format!("{base}/board/directors/{id}?saved=1"))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(
        page.contains("Includes all six domains"),
        "the finding has gone"
    );
    // A board member may not record it, even with their own valid form token.
    let member = sign_in(&base, "board.member").await;
    let home = member
        .get(format!("{base}/"))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    let token = csrf(&home).unwrap();
    let r = member
        .post(format!("{base}/board/directors/{id}/job-description"))
        .form(&[("csrf", token.as_str()), ("domain", "outcomes")])
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::FORBIDDEN);
    assert!(r.text().await.unwrap().contains("admin or the board"));
}

/// Source: A 2.3 (JP-2), F 4(k) (OC-6): a plan edited by hand to another rota size is shown on the
/// rota page as not agreeing, and one click by someone who may change the rota brings it into line;
/// the plan page links to its rota. A consultant may not take the action, even with a valid token.
#[tokio::test]
async fn the_rota_page_shows_a_plan_that_disagrees_and_brings_it_into_line() {
    let base = spawn_app().await;
    let cd = sign_in(&base, "clinical.director").await;
    let get = |c: &Client, path: String| {
        let c = c.clone();
        async move {
            let r = c.get(path).send().await.unwrap();
            (r.status(), r.text().await.unwrap())
        }
    };
    let rotas: serde_json::Value =
        serde_json::from_str(&get(&cd, format!("{base}/api/v1/rotas")).await.1).unwrap();
    let vascular = rotas
        .as_array()
        .unwrap()
        .iter()
        .find(|r| r["name"] == "Vascular surgery on-call")
        .unwrap()["id"]
        .as_i64()
        .unwrap();
    let plans: serde_json::Value =
        serde_json::from_str(&get(&cd, format!("{base}/api/v1/job-plans")).await.1).unwrap();
    let pid = plans
        .as_array()
        .unwrap()
        .iter()
        .find(|p| p["consultant_id"] == "c-surg-09")
        .unwrap()["id"]
        .as_i64()
        .unwrap();
    let plan: serde_json::Value =
        serde_json::from_str(&get(&cd, format!("{base}/api/v1/job-plans/{pid}")).await.1).unwrap();
    let rota_page = format!("{base}/rotas/{vascular}");
    let (s, page) = get(&cd, rota_page.clone()).await;
    assert_eq!(s, StatusCode::OK);
    assert!(!page.contains("id=\"mismatch\""), "the demo plans agree");
    // Edited by hand to 1 in 7.
    let mut doc = plan["document"].clone();
    doc["on_call"]["rota_size"] = serde_json::json!(7);
    let r = cd
        .put(format!("{base}/api/v1/job-plans/{pid}"))
        .json(
            &serde_json::json!({ "version": plan["version"], "document": doc, "note": "by hand" }),
        )
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::OK);
    let (_, page) = get(&cd, rota_page.clone()).await;
    assert!(page.contains("id=\"mismatch\""), "{page}");
    assert!(page.contains("Does not agree"));
    assert!(page.contains(&format!("action=\"/rotas/{vascular}/plans\"")));
    let (_, plan_page) = get(&cd, format!("{base}/plans/{pid}")).await;
    assert!(plan_page.contains(&format!("href=\"/rotas/{vascular}\"")));
    assert!(plan_page.contains("id=\"rota-mismatch\""));
    // A consultant may not bring it into line.
    let consultant = sign_in(&base, "consultant").await;
    let (_, home) = get(&consultant, format!("{base}/")).await;
    let token = csrf(&home).unwrap();
    let r = consultant
        .post(format!("{base}/rotas/{vascular}/plans"))
        .form(&[("csrf", token.as_str())])
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::FORBIDDEN);
    // The clinical director's one click does.
    let token = csrf(&page).unwrap();
    let r = cd
        .post(format!("{base}/rotas/{vascular}/plans"))
        .form(&[("csrf", token.as_str())])
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::SEE_OTHER);
    let to = r.headers()["location"].to_str().unwrap().to_string();
    assert_eq!(to, format!("/rotas/{vascular}?aligned=1&refused=0"));
    let (_, page) = get(&cd, format!("{base}{to}")).await;
    assert!(page.contains("1 job plan brought into line"), "{page}");
    assert!(!page.contains("id=\"mismatch\""));
    let (_, plan_page) = get(&cd, format!("{base}/plans/{pid}")).await;
    assert!(!plan_page.contains("id=\"rota-mismatch\""));
}
