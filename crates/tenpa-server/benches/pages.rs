//! Server time of every web page on the demo data: signs in as each demo account, finds every page
//! it can reach by links, requests each one repeatedly on loopback, and reports the median and 95th
//! percentile per page, then the slowest. Also times the live assessment panel's round trip.
//!
//! `cargo bench -p tenpa-server --bench pages` (SQLite in a temporary directory). Set
//! `TENPA_BENCH_ROUNDS` to change the requests per page (default 40).

#[path = "../tests/common/crawl.rs"]
#[allow(dead_code)]
mod crawl;

use std::time::{Duration, Instant};

fn percentile(sorted: &[Duration], p: f64) -> Duration {
    let i = ((sorted.len() as f64 - 1.0) * p).round() as usize;
    sorted[i.min(sorted.len() - 1)]
}

fn ms(d: Duration) -> String {
    format!("{:.2} ms", d.as_secs_f64() * 1000.0)
}

/// The fields a browser would post for the first form marked `data-live-panel` in `html`.
fn live_form(html: &str) -> Option<(String, Vec<(String, String)>)> {
    let at = html.find("data-live-panel=\"")?;
    let start = html[..at].rfind("<form")?;
    let end = start + html[start..].find("</form>")?;
    let form = &html[start..end];
    let action = crawl::attr_values(&form[..form.find('>')?], "data-live-panel")
        .into_iter()
        .next()?;
    let mut fields = vec![];
    for tag in form.split('<').skip(1) {
        let tag = &tag[..tag.find('>').unwrap_or(tag.len())];
        let attr = |name: &str| {
            crawl::attr_values(&format!(" {tag}"), name)
                .into_iter()
                .next()
        };
        let Some(name) = attr("name") else { continue };
        if tag.starts_with("input") {
            let kind = attr("type").unwrap_or_default();
            if (kind == "checkbox" || kind == "radio") && !tag.contains(" checked") {
                continue;
            }
            if kind == "submit" {
                continue;
            }
            fields.push((name, attr("value").unwrap_or_default()));
        } else if tag.starts_with("select") {
            // The selected option's value, or the first option's.
            let rest = &form[form.find(tag)?..];
            let close = rest.find("</select>").unwrap_or(rest.len());
            let options = &rest[..close];
            let chosen = options
                .split("<option")
                .skip(1)
                .find(|o| o[..o.find('>').unwrap_or(0)].contains(" selected"))
                .or_else(|| options.split("<option").nth(1))
                .and_then(|o| {
                    crawl::attr_values(&format!(" {}", &o[..o.find('>').unwrap_or(0)]), "value")
                        .into_iter()
                        .next()
                })
                .unwrap_or_default();
            fields.push((name, chosen));
        } else if tag.starts_with("textarea") {
            fields.push((name, String::new()));
        }
    }
    Some((action, fields))
}

#[tokio::main]
async fn main() {
    let rounds: usize = std::env::var("TENPA_BENCH_ROUNDS")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(40);
    let dir = std::env::temp_dir().join(format!("tenpa-bench-pages-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let url = format!("sqlite://{}", dir.join("tenpa.db").display());
    let base = crawl::serve_demo(&url).await;

    let mut rows: Vec<(String, String, Duration, Duration)> = vec![];
    let mut live: Vec<Duration> = vec![];
    for who in crawl::ACCOUNTS {
        let c = crawl::sign_in(&base, who).await;
        let visits = crawl::crawl(&c, &base, 200).await;
        for v in visits.iter().filter(|v| v.status.is_success()) {
            let mut times = Vec::with_capacity(rounds);
            for _ in 0..rounds {
                let t = Instant::now();
                let r = c.get(format!("{base}{}", v.path)).send().await.unwrap();
                let _ = r.bytes().await.unwrap();
                times.push(t.elapsed());
            }
            times.sort();
            rows.push((
                who.to_string(),
                v.path.clone(),
                percentile(&times, 0.5),
                percentile(&times, 0.95),
            ));
            if let Some((action, fields)) = live_form(&v.body) {
                for _ in 0..rounds {
                    let t = Instant::now();
                    let r = c
                        .post(format!("{base}{action}"))
                        .form(&fields)
                        .send()
                        .await
                        .unwrap();
                    assert!(r.status().is_success(), "{action} answered {}", r.status());
                    let _ = r.bytes().await.unwrap();
                    live.push(t.elapsed());
                }
            }
        }
    }
    rows.sort_by_key(|r| std::cmp::Reverse(r.3));
    println!(
        "{:<20} {:<50} {:>10} {:>10}",
        "account", "page", "median", "p95"
    );
    for (who, path, p50, p95) in &rows {
        println!("{who:<20} {path:<50} {:>10} {:>10}", ms(*p50), ms(*p95));
    }
    let mut all: Vec<Duration> = rows.iter().map(|r| r.3).collect();
    all.sort();
    println!(
        "\n{} pages (account × page), {rounds} requests each; slowest p95 {}; median of the pages' p95 {}",
        rows.len(),
        all.last().map(|d| ms(*d)).unwrap_or_default(),
        if all.is_empty() { String::new() } else { ms(percentile(&all, 0.5)) }
    );
    if !live.is_empty() {
        live.sort();
        println!(
            "live panel round trip: {} requests, median {}, p95 {}",
            live.len(),
            ms(percentile(&live, 0.5)),
            ms(percentile(&live, 0.95))
        );
    }
    let _ = std::fs::remove_dir_all(&dir);
}
