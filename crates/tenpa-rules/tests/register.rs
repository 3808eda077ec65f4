//! The traceability register (`data/register.toml`) against the paragraph index
//! (`data/paragraphs.txt`): one entry per paragraph and none outside it; every rule it names listed
//! in `docs/rules.md` and defined as a `Rule` constant; every rule of an implemented entry with a
//! golden case; parameters that exist. Also writes the book's coverage page from the register:
//! `docs/coverage.md` is checked against it, and
//! `TENPA_UPDATE_DOCS=1 cargo test -p tenpa-rules --test register` writes it afresh.

mod support;

use std::fmt::Write as _;
use tenpa_rules::parameters::EMBEDDED;
use tenpa_rules::register::{self, Register, Source, Status};
use tenpa_rules::rule;

/// Source: the register's brief — every paragraph has exactly one entry, and each entry's rules,
/// parameters and reasons hold.
#[test]
fn the_register_covers_every_paragraph_with_known_rules() {
    let paragraphs = register::paragraphs();
    assert!(
        paragraphs.len() > 250,
        "only {} paragraphs",
        paragraphs.len()
    );
    let reg = Register::parse(register::REGISTER_TOML)
        .unwrap_or_else(|e| panic!("data/register.toml: {e}"));
    let mut problems = reg.problems(&paragraphs);
    let rules_md = support::rules_md().expect("docs/rules.md");
    let named = support::named_ids(&rules_md);
    let golden = support::golden_rules();
    assert!(
        golden.len() > 40,
        "only {} rules have golden cases",
        golden.len()
    );
    for e in &reg.entry {
        let c = &e.cite;
        for id in &e.rules {
            if !named.contains(id) {
                problems.push(format!("{c}: rule {id} is not listed in docs/rules.md"));
            }
            if rule::by_id(id).is_none() {
                problems.push(format!("{c}: rule {id} has no Rule constant"));
            }
            if e.status == Status::Implemented && !golden.contains(id) {
                problems.push(format!(
                    "{c}: implemented by {id}, which has no golden case (mark it partial, or add a case)"
                ));
            }
        }
        for p in &e.parameters {
            if !EMBEDDED.iter().any(|(path, _)| path == p) {
                problems.push(format!("{c}: {p} is not a parameter file"));
            }
        }
    }
    let counts = reg.counts();
    let total: usize = counts.iter().map(|(_, n)| n).sum();
    println!(
        "register: {} ({total} paragraphs)",
        counts
            .iter()
            .map(|(s, n)| format!("{} {n}", s.as_str()))
            .collect::<Vec<_>>()
            .join(", ")
    );
    assert!(
        problems.is_empty(),
        "the register has {} problem(s):\n{}",
        problems.len(),
        problems.join("\n")
    );
    assert_eq!(register::register(), &reg);
}

#[test]
fn rule_ids_in_prose_and_ranges_are_read() {
    let ids = support::named_ids("| `WW-1` | x |\nPEC-1…PEC-3 and JP-5; not notJP-9.");
    let ids: Vec<&str> = ids.iter().map(String::as_str).collect();
    assert_eq!(ids, ["JP-5", "PEC-1", "PEC-2", "PEC-3", "WW-1"]);
}

/// A table cell: pipes escaped, no line breaks.
fn cell(s: &str) -> String {
    s.replace('|', "\\|").replace('\n', " ")
}

/// The book's coverage page, from the register.
fn render(reg: &Register) -> String {
    let mut out = String::new();
    let _ = writeln!(out, "# Coverage of the sources\n");
    let _ = writeln!(
        out,
        "<!-- Generated from crates/tenpa-rules/data/register.toml by crates/tenpa-rules/tests/register.rs;\n     \
         do not edit: `TENPA_UPDATE_DOCS=1 cargo test -p tenpa-rules --test register` writes it afresh. -->\n"
    );
    let total = reg.entry.len();
    let _ = writeln!(
        out,
        "Every numbered paragraph and lettered bullet of the three sources, and how far Tenpa implements\n\
         it: {total} paragraphs. The register is data (`crates/tenpa-rules/data/register.toml`) and a test\n\
         checks it against an index of the sources' paragraphs, against [Rules](rules.md) and against the\n\
         golden cases: an *implemented* paragraph names rules that each have a golden case; *partial* and\n\
         *missing* say what is not yet done; *not a rule* and *out of scope* say why there is nothing to\n\
         check. The web application shows the same register at `/rules/coverage`.\n\n\
         Citations follow [the book's convention](introduction.md#the-sources-and-how-they-are-cited); a\n\
         number in brackets after a paragraph is one of its bullets (`F 6(c)(2)` is the second bullet of\n\
         F 6(c)), and `BC 1`, `PEC 1`… number the paragraphs of the board competency news item and of the\n\
         PEC guidance in order.\n"
    );
    let _ = writeln!(out, "| status | paragraphs |");
    let _ = writeln!(out, "|---|---|");
    for (s, n) in reg.counts() {
        let _ = writeln!(out, "| {} | {n} |", s.label());
    }
    let _ = writeln!(out, "| total | {total} |");
    for source in Source::ALL {
        let _ = writeln!(out, "\n## {}\n", source.title());
        let _ = writeln!(out, "| paragraph | provides | status | rules | why |");
        let _ = writeln!(out, "|---|---|---|---|---|");
        for e in reg.entry.iter().filter(|e| e.source() == source) {
            let rules = e
                .rules
                .iter()
                .map(|r| format!("[{r}](rules.md)"))
                .collect::<Vec<_>>()
                .join(", ");
            let _ = writeln!(
                out,
                "| {} | {} | {} | {rules} | {} |",
                e.cite,
                cell(&e.summary),
                e.status.label(),
                cell(e.why.as_deref().unwrap_or(""))
            );
        }
    }
    out
}

/// Source: the register's brief — the book shows the register, generated and kept up to date.
#[test]
fn the_coverage_page_is_the_register() {
    let reg = register::register();
    let listed = render(reg);
    let rows = listed
        .lines()
        .filter(|l| {
            reg.entry
                .iter()
                .any(|e| l.starts_with(&format!("| {} |", e.cite)))
        })
        .count();
    assert_eq!(rows, reg.entry.len(), "every paragraph is one row");
    let file = support::root().join("../../docs/coverage.md");
    if std::env::var_os("TENPA_UPDATE_DOCS").is_some_and(|v| v == "1") {
        std::fs::write(&file, &listed).expect("write docs/coverage.md");
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
            "docs/coverage.md is stale (first difference at line {}): regenerate it with \
             `TENPA_UPDATE_DOCS=1 cargo test -p tenpa-rules --test register`\n\
             committed: {:?}\ngenerated: {:?}",
            first + 1,
            committed.lines().nth(first),
            listed.lines().nth(first)
        );
    }
}
