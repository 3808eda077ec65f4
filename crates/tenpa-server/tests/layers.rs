//! The server's layers depend one way: the adapters (`api/` for JSON, `web/` for pages) call the
//! operations in `service/`, which use the policy, the store and the rules; the exporters turn
//! values into files and know nothing of requests. This test reads the sources and fails on any
//! path that points the other way, so the layering cannot erode unnoticed; and pages write their
//! tables and summary rows with the shared components.

use std::fs;
use std::path::{Path, PathBuf};

/// The Rust files under `dir`, recursively.
fn sources(dir: &Path) -> Vec<PathBuf> {
    let mut out = Vec::new();
    let mut stack = vec![dir.to_path_buf()];
    while let Some(d) = stack.pop() {
        for entry in fs::read_dir(&d).unwrap_or_else(|e| panic!("{}: {e}", d.display())) {
            let path = entry.expect("a directory entry").path();
            if path.is_dir() {
                stack.push(path);
            } else if path.extension().is_some_and(|x| x == "rs") {
                out.push(path);
            }
        }
    }
    out.sort();
    out
}

/// Lines of the files under `src/{area}` that name one of `forbidden`, as `file:line: text`.
fn offending(area: &str, forbidden: &[&str]) -> Vec<String> {
    let src = Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
    let root = src.join(area);
    let files = if root.is_dir() {
        sources(&root)
    } else {
        vec![root.with_extension("rs")]
    };
    assert!(!files.is_empty(), "no sources under src/{area}");
    let mut found = Vec::new();
    for file in files {
        let text = fs::read_to_string(&file).unwrap_or_else(|e| panic!("{}: {e}", file.display()));
        for (n, line) in text.lines().enumerate() {
            if forbidden.iter().any(|f| line.contains(f)) {
                let shown = file.strip_prefix(&src).unwrap_or(&file).display();
                found.push(format!("src/{shown}:{}: {}", n + 1, line.trim()));
            }
        }
    }
    found
}

#[track_caller]
fn assert_none(area: &str, forbidden: &[&str], why: &str) {
    let found = offending(area, forbidden);
    assert!(found.is_empty(), "{why}:\n{}", found.join("\n"));
}

#[test]
fn the_service_knows_nothing_of_requests_or_pages() {
    assert_none(
        "service",
        &["crate::api", "crate::web", "axum", "crate::request"],
        "the operations in service/ must not depend on the API, the pages or the HTTP framework",
    );
}

#[test]
fn the_pages_call_the_service_not_the_api() {
    assert_none(
        "web",
        &["crate::api"],
        "the pages must call the operations in service/, not the API's handlers",
    );
}

#[test]
fn the_api_does_not_use_the_pages() {
    assert_none(
        "api",
        &["crate::web"],
        "the API must not depend on the pages",
    );
}

#[test]
fn the_exporters_and_the_policy_stand_alone() {
    let adapters = ["crate::api", "crate::web", "crate::service", "axum"];
    assert_none(
        "export",
        &adapters,
        "the exporters turn values into files and depend on no layer above them",
    );
    assert_none(
        "policy",
        &adapters,
        "the policy answers from the user and the record alone",
    );
}

#[test]
fn the_pages_write_tables_and_summary_rows_with_the_components() {
    let found: Vec<String> = offending(
        "web",
        &[
            "table class=\"nhsuk-table\"",
            "class=\"nhsuk-summary-list__row\"",
            "dl class=\"nhsuk-summary-list",
        ],
    )
    .into_iter()
    .filter(|l| !l.starts_with("src/web/components/"))
    .collect();
    assert!(
        found.is_empty(),
        "a page writes a table's or a summary list's markup itself; use web::components \
         (HtmlTable, summary_rows, summary_row):\n{}",
        found.join("\n")
    );
}

/// The check itself finds a path that points the wrong way (so a pass above means something).
#[test]
fn the_check_finds_a_forbidden_path() {
    assert!(!offending("web", &["crate::service"]).is_empty());
}
