//! The book's endpoint list (`docs/api-endpoints.md`) is generated from the OpenAPI document the
//! service serves at `/api/openapi.json`, and this test fails when the committed list is stale.
//! `TENPA_UPDATE_DOCS=1 cargo test -p tenpa-server --test api_endpoints_doc` writes it afresh.

mod common;

use serde_json::{Map, Value};
use std::fmt::Write;
use std::path::Path;

/// The HTTP methods an OpenAPI path item may hold, in the order the list shows them.
const METHODS: [&str; 5] = ["get", "put", "post", "patch", "delete"];

/// Section headings for the first path segment after `/api/v1/`, where the segment alone reads
/// badly; any other segment is shown as words (`job-plans` → "Job plans").
const SECTIONS: [(&str, &str); 5] = [
    ("api-tokens", "API tokens"),
    ("consultants", "Consultants' records"),
    ("extra-pa-offers", "Extra-PA offers"),
    ("me", "Sessions"),
    ("pecs", "Professional executive committees"),
];

/// The section a path belongs to: its first segment under `/api/v1/`, or "Service" for the rest.
fn section(path: &str) -> String {
    let Some(rest) = path.strip_prefix("/api/v1/") else {
        return "Service".into();
    };
    let segment = rest.split('/').next().unwrap_or(rest);
    if let Some((_, name)) = SECTIONS.iter().find(|(s, _)| *s == segment) {
        return (*name).into();
    }
    let words = segment.replace('-', " ");
    let mut chars = words.chars();
    match chars.next() {
        Some(first) => first.to_uppercase().chain(chars).collect(),
        None => "Service".into(),
    }
}

/// Text for one table cell: one line, with `|` escaped.
fn cell(text: &str) -> String {
    text.split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
        .replace('|', "\\|")
}

/// The schema name a `$ref` names, if the value is one.
fn schema_name(schema: &Value) -> Option<&str> {
    schema["$ref"].as_str()?.rsplit('/').next()
}

/// What the operation does: its summary and description, its query parameters and its body.
fn what(op: &Value) -> String {
    let mut parts = Vec::new();
    for key in ["summary", "description"] {
        if let Some(text) = op[key].as_str().filter(|t| !t.trim().is_empty()) {
            parts.push(text.trim().to_string());
        }
    }
    let query: Vec<String> = op["parameters"]
        .as_array()
        .into_iter()
        .flatten()
        .filter(|p| p["in"] == "query")
        .filter_map(|p| p["name"].as_str())
        .map(|n| format!("`{n}`"))
        .collect();
    if !query.is_empty() {
        parts.push(format!("Query: {}.", query.join(", ")));
    }
    if let Some(content) = op["requestBody"]["content"].as_object() {
        let bodies: Vec<String> = content
            .iter()
            .map(|(media, c)| match schema_name(&c["schema"]) {
                Some(name) => format!("`{name}` ({media})"),
                None => media.clone(),
            })
            .collect();
        parts.push(format!("Body: {}.", bodies.join(", ")));
    }
    cell(&parts.join(" "))
}

/// The answers: each status, with its description where it has one.
fn answers(op: &Value) -> String {
    let Some(responses) = op["responses"].as_object() else {
        return String::new();
    };
    let mut codes: Vec<(&String, &Value)> = responses.iter().collect();
    codes.sort_by(|a, b| a.0.cmp(b.0));
    let shown: Vec<String> = codes
        .into_iter()
        .map(|(code, r)| match r["description"].as_str().map(str::trim) {
            Some(d) if !d.is_empty() => format!("{code} ({d})"),
            _ => code.clone(),
        })
        .collect();
    cell(&shown.join(", "))
}

/// The endpoint list, in Markdown, from the OpenAPI document.
fn render(doc: &Value) -> String {
    let empty = Map::new();
    let paths = doc["paths"].as_object().unwrap_or(&empty);
    // (section, path, method's place in METHODS, operation, the rest of the row)
    let mut rows: Vec<(String, &String, usize, String, String)> = Vec::new();
    for (path, item) in paths {
        for (place, method) in METHODS.iter().enumerate() {
            if let Some(op) = item.get(*method) {
                rows.push((
                    section(path),
                    path,
                    place,
                    format!("`{} {path}`", method.to_uppercase()),
                    format!("{} | {}", what(op), answers(op)),
                ));
            }
        }
    }
    rows.sort_by(|a, b| (&a.0, a.1, a.2).cmp(&(&b.0, b.1, b.2)));

    let mut out = String::new();
    let _ = writeln!(out, "# Endpoints\n");
    let _ = writeln!(
        out,
        "<!-- Generated from the OpenAPI document by crates/tenpa-server/tests/api_endpoints_doc.rs;\n     \
         do not edit: `TENPA_UPDATE_DOCS=1 cargo test -p tenpa-server --test api_endpoints_doc`\n     \
         writes it afresh. -->\n"
    );
    let _ = writeln!(
        out,
        "Every operation of the API, from the OpenAPI {} document that the service serves at\n\
         `/api/openapi.json` ({}, version {}): {} operations. Bodies and answers are described there in\n\
         full; who may call each operation is in [The API](api.md#who-may-do-what).",
        doc["openapi"].as_str().unwrap_or("?"),
        doc["info"]["title"].as_str().unwrap_or("?"),
        doc["info"]["version"].as_str().unwrap_or("?"),
        rows.len()
    );
    let mut current = None;
    for (section, _, _, operation, rest) in &rows {
        if current != Some(section) {
            let _ = writeln!(out, "\n## {section}\n");
            let _ = writeln!(out, "| operation | what | answers |");
            let _ = writeln!(out, "|---|---|---|");
            current = Some(section);
        }
        let _ = writeln!(out, "| {operation} | {rest} |");
    }
    out
}

/// Source: the book's API chapter promises an endpoint list generated from `/api/openapi.json`.
#[tokio::test]
async fn the_endpoint_list_is_the_openapi_document() {
    let base = common::crawl::serve(&common::fresh_db_url().await, false).await;
    let doc: Value = reqwest::get(format!("{base}/api/openapi.json"))
        .await
        .expect("GET /api/openapi.json")
        .json()
        .await
        .expect("the OpenAPI document is JSON");
    let operations = doc["paths"]
        .as_object()
        .expect("paths")
        .values()
        .flat_map(|item| METHODS.iter().filter(|m| item.get(**m).is_some()))
        .count();
    let listed = render(&doc);
    assert_eq!(
        listed.lines().filter(|l| l.starts_with("| `")).count(),
        operations,
        "every operation is one row"
    );

    let file = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../docs/api-endpoints.md");
    if std::env::var_os("TENPA_UPDATE_DOCS").is_some_and(|v| v == "1") {
        std::fs::write(&file, &listed).expect("write docs/api-endpoints.md");
        eprintln!("wrote {}", file.display());
        return;
    }
    let committed = std::fs::read_to_string(&file).unwrap_or_default();
    if committed != listed {
        let first = committed
            .lines()
            .zip(listed.lines())
            .position(|(a, b)| a != b)
            .unwrap_or(committed.lines().count().min(listed.lines().count()));
        panic!(
            "docs/api-endpoints.md is stale (first difference at line {}): regenerate it with \
             `TENPA_UPDATE_DOCS=1 cargo test -p tenpa-server --test api_endpoints_doc`\n\
             committed: {:?}\ngenerated: {:?}",
            first + 1,
            committed.lines().nth(first),
            listed.lines().nth(first)
        );
    }
}

/// Source: the list's sections are the API's resources, by the first segment under `/api/v1/`.
#[test]
fn sections_follow_the_first_path_segment() {
    assert_eq!(section("/api/v1/job-plans/{id}/versions"), "Job plans");
    assert_eq!(section("/api/v1/extra-pa-offers"), "Extra-PA offers");
    assert_eq!(section("/healthz"), "Service");
    assert_eq!(section("/auth/oidc/login"), "Service");
    assert_eq!(cell("a |\n b"), "a \\| b");
}
