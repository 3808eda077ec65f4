//! What the rules crate's tests share: the rule ids `docs/rules.md` lists, and the rules the golden
//! cases exercise (`tests/cases/`, `tests/pec/`, `tests/board_competency/`).

#![allow(dead_code)]

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};
use toml::Value;

/// The crate's directory.
pub fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// The text of `docs/rules.md`.
pub fn rules_md() -> Result<String, String> {
    let path = root().join("../../docs/rules.md");
    std::fs::read_to_string(&path).map_err(|e| format!("{}: {e}", path.display()))
}

/// The rule ids of the table rows of `docs/rules.md` (`| \`WW-1\` | …`).
pub fn table_ids(rules_md: &str) -> Vec<&str> {
    rules_md
        .lines()
        .filter_map(|l| l.strip_prefix("| `"))
        .filter_map(|l| l.split('`').next())
        .collect()
}

/// A rule id at the start of `s` (`PEC-1…`): the id and its length.
fn id_at(s: &str) -> Option<(&str, usize)> {
    let letters = s.bytes().take_while(u8::is_ascii_uppercase).count();
    if letters == 0 || s.as_bytes().get(letters) != Some(&b'-') {
        return None;
    }
    let digits = s[letters + 1..]
        .bytes()
        .take_while(u8::is_ascii_digit)
        .count();
    (digits > 0).then(|| (&s[..letters + 1 + digits], letters + 1 + digits))
}

/// Every rule id `docs/rules.md` names anywhere, the table's and the prose's, with ranges written
/// `PEC-1…PEC-4` read as every id between.
pub fn named_ids(rules_md: &str) -> BTreeSet<String> {
    let mut out = BTreeSet::new();
    let mut i = 0;
    while i < rules_md.len() {
        let rest = &rules_md[i..];
        let boundary = i == 0
            || !rules_md[..i]
                .chars()
                .next_back()
                .is_some_and(|c| c.is_ascii_alphanumeric());
        if let Some((id, len)) = id_at(rest).filter(|_| boundary) {
            out.insert(id.to_string());
            if let Some((to, _)) = rest[len..].strip_prefix('…').and_then(id_at) {
                let (p1, n1) = id.rsplit_once('-').expect("id");
                let (p2, n2) = to.rsplit_once('-').expect("id");
                if p1 == p2 {
                    let (a, b): (u32, u32) = (n1.parse().unwrap(), n2.parse().unwrap());
                    out.extend((a..=b).map(|n| format!("{p1}-{n}")));
                }
            }
            i += len;
        } else {
            i += rest.chars().next().map_or(1, char::len_utf8);
        }
    }
    out
}

fn toml_files(dir: &Path, out: &mut Vec<PathBuf>) {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return;
    };
    let mut entries: Vec<PathBuf> = entries.map(|e| e.expect("entry").path()).collect();
    entries.sort();
    for p in entries {
        if p.is_dir() {
            toml_files(&p, out);
        } else if p.extension().is_some_and(|e| e == "toml")
            && p.file_name().is_some_and(|n| n != "base.toml")
        {
            out.push(p);
        }
    }
}

/// The rules a table names: its `rule`, or each of its `rules`.
fn rules_of(t: &Value) -> Vec<String> {
    let mut out: Vec<String> = t
        .get("rule")
        .and_then(Value::as_str)
        .map(str::to_string)
        .into_iter()
        .collect();
    for r in t
        .get("rules")
        .and_then(Value::as_array)
        .into_iter()
        .flatten()
    {
        out.extend(r.as_str().map(str::to_string));
    }
    out
}

/// Every rule with at least one golden case: a `[[case]]` or `[[career]]` of `tests/cases/` (its
/// own rule or its file's), PAY-1 and PAY-2 for a `[[scale]]`, JP-1 for a `[[review]]`, a `[[workflow]]`'s rule, a
/// `[[case]]` of `tests/pec/`, and a fixture of `tests/board_competency/`.
pub fn golden_rules() -> BTreeSet<String> {
    let mut out = BTreeSet::new();
    let read = |p: &Path| -> Value {
        toml::from_str(&std::fs::read_to_string(p).expect("read a case file"))
            .unwrap_or_else(|e| panic!("{}: {e}", p.display()))
    };
    let mut files = Vec::new();
    toml_files(&root().join("tests/cases"), &mut files);
    for path in files {
        let file = read(&path);
        let file_rules = rules_of(&file);
        for key in ["case", "career", "workflow"] {
            for case in file
                .get(key)
                .and_then(Value::as_array)
                .into_iter()
                .flatten()
            {
                let own = rules_of(case);
                out.extend(if own.is_empty() {
                    file_rules.clone()
                } else {
                    own
                });
            }
        }
        if file
            .get("scale")
            .and_then(Value::as_array)
            .is_some_and(|s| !s.is_empty())
        {
            out.extend(["PAY-1".to_string(), "PAY-2".to_string()]);
        }
        if file
            .get("review")
            .and_then(Value::as_array)
            .is_some_and(|s| !s.is_empty())
        {
            out.insert("JP-1".to_string());
        }
    }
    let mut files = Vec::new();
    toml_files(&root().join("tests/pec"), &mut files);
    for path in files {
        let file = read(&path);
        for case in file
            .get("case")
            .and_then(Value::as_array)
            .into_iter()
            .flatten()
        {
            out.extend(rules_of(case));
        }
    }
    let mut files = Vec::new();
    toml_files(&root().join("tests/board_competency"), &mut files);
    for path in files {
        out.extend(rules_of(&read(&path)));
    }
    out
}
