//! The coverage page (`/rules/coverage`): the traceability register of the sources' paragraphs,
//! linked from the rules and shown in part on each rule's page.

mod common;

use common::crawl::{serve, sign_in};

/// Source: the register's brief — the web application shows the register with its counts.
#[tokio::test]
async fn the_coverage_page_shows_the_register() {
    let db = common::fresh_db_url().await;
    let base = serve(&db, true).await;
    let c = sign_in(&base, "medical.director").await;
    let get = |path: &str| {
        let c = c.clone();
        let url = format!("{base}{path}");
        async move {
            let r = c.get(url).send().await.unwrap();
            (r.status().as_u16(), r.text().await.unwrap())
        }
    };
    let (s, rules) = get("/rules").await;
    assert_eq!(s, 200);
    assert!(rules.contains("href=\"/rules/coverage\""), "{rules}");

    let (s, html) = get("/rules/coverage").await;
    assert_eq!(s, 200, "{html}");
    let reg = tenpa_rules::register::register();
    for (status, n) in reg.counts() {
        let row = format!(
            "{}</strong></td><td class=\"nhsuk-table__cell tenpa-number\">{n}</td>",
            status.label()
        );
        assert!(html.contains(&row), "no count row {row}");
    }
    assert!(html.contains(&format!("Paragraphs by status ({})", reg.entry.len())));
    // A known paragraph: B 4.3, the 48-hour week over 26 weeks, implemented by WW-6.
    let row = html
        .split("<tr")
        .find(|r| r.contains("<td class=\"nhsuk-table__cell\">B 4.3</td>"))
        .expect("a row for B 4.3");
    assert!(row.contains("href=\"/rules/WW-6\""), "{row}");
    assert!(row.contains("Implemented"), "{row}");
    // A missing paragraph says why.
    let row = html
        .split("<tr")
        .find(|r| r.contains("<td class=\"nhsuk-table__cell\">B 3.4</td>"))
        .expect("a row for B 3.4");
    assert!(
        row.contains("Missing") && row.contains("Hours actually worked"),
        "{row}"
    );

    let (s, ww6) = get("/rules/WW-6").await;
    assert_eq!(s, 200);
    assert!(
        ww6.contains("Paragraphs this rule implements") && ww6.contains("B 4.3"),
        "{ww6}"
    );
}
