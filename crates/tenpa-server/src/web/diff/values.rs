//! Comparing values, tables and lists at a path, and showing a value in words.

use super::fields::{fields, section_label, SECTIONS};
use super::Change;
use rust_decimal::Decimal;
use serde_json::{Map, Value};
use std::str::FromStr;

/// Compares two values at `path`; `friendly` when `path` is a label rather than a dotted path.
/// `table` names the table whose field labels apply.
pub(super) fn value(
    table: &str,
    path: &str,
    friendly: bool,
    b: Option<&Value>,
    a: Option<&Value>,
    out: &mut Vec<Change>,
) {
    let (b, a) = (b.filter(|v| !v.is_null()), a.filter(|v| !v.is_null()));
    match (b, a) {
        (None, None) => {}
        (Some(b), Some(a)) if same(b, a) => {}
        (Some(Value::Object(b)), Some(Value::Object(a))) => {
            object(table, path, friendly, b, a, out)
        }
        (Some(Value::Array(b)), Some(Value::Array(a)))
            if b.iter().chain(a).any(Value::is_object) =>
        {
            list(table, path, friendly, b, a, out)
        }
        (None, Some(a)) if a.is_object() || a.is_array() => {
            out.push(Change::Added(described(table, path, a)))
        }
        (Some(b), None) if b.is_object() || b.is_array() => {
            out.push(Change::Removed(described(table, path, b)))
        }
        (b, a) => out.push(Change::Changed {
            what: path.to_string(),
            before: b.map_or("not given".into(), |v| show(table, v)),
            after: a.map_or("not given".into(), |v| show(table, v)),
        }),
    }
}

/// "On-call: 1 in 6, category A": a table or list described in one line.
fn described(table: &str, path: &str, v: &Value) -> String {
    format!("{path}: {}", summary(table, v))
}

/// A table's or list's values in one line, known fields first with their labels.
fn summary(table: &str, v: &Value) -> String {
    match v {
        Value::Object(m) => {
            let known = fields(table);
            let label = |k: &str| {
                known
                    .iter()
                    .find(|(f, _)| *f == k)
                    .map_or(k.to_string(), |(_, l)| {
                        // Within "On-call: …" the prefix of "On-call category" says nothing.
                        l.strip_prefix("On-call ").unwrap_or(l).to_string()
                    })
            };
            ordered_keys(table, m, m)
                .into_iter()
                .filter_map(|k| m.get(k).filter(|v| !v.is_null()).map(|v| (k, v)))
                .map(|(k, v)| match k {
                    "rota_size" => show(k, v),
                    _ => format!("{} {}", label(k), show(k, v)),
                })
                .collect::<Vec<_>>()
                .join(", ")
        }
        Value::Array(items) => items
            .iter()
            .map(|i| summary(table, i))
            .collect::<Vec<_>>()
            .join("; "),
        v => show(table, v),
    }
}

/// The keys of two tables: known fields in order, then the rest alphabetically.
fn ordered_keys<'a>(
    table: &str,
    b: &'a Map<String, Value>,
    a: &'a Map<String, Value>,
) -> Vec<&'a str> {
    let known = fields(table);
    let mut keys: Vec<&str> = b.keys().chain(a.keys()).map(String::as_str).collect();
    keys.sort_by_key(|k| {
        (
            known.iter().position(|(f, _)| f == k).unwrap_or(usize::MAX),
            *k,
        )
    });
    keys.dedup();
    keys
}

/// Field by field.
fn object(
    table: &str,
    path: &str,
    friendly: bool,
    b: &Map<String, Value>,
    a: &Map<String, Value>,
    out: &mut Vec<Change>,
) {
    let known = fields(table);
    for k in ordered_keys(table, b, a) {
        let label = known.iter().find(|(f, _)| *f == k).map(|(_, l)| *l);
        let (sub_table, sub_path, sub_friendly) = match label {
            // Labels of top-level tables stand alone; nested ones follow their table's name.
            Some(l) if friendly && SECTIONS.contains(&table) || table == "previous_review" => {
                (k, l.to_string(), true)
            }
            Some(l) if friendly => (k, format!("{path}: {l}"), true),
            _ if friendly => (k, format!("{}.{k}", dotted(table, path)), false),
            _ => (k, format!("{path}.{k}"), false),
        };
        value(sub_table, &sub_path, sub_friendly, b.get(k), a.get(k), out);
    }
}

/// The dotted path of a table named by a friendly label: its own key.
fn dotted(table: &str, path: &str) -> String {
    if section_label(table).is_some() || !fields(table).is_empty() {
        table.to_string()
    } else {
        path.to_string()
    }
}

/// A list of tables other than the timetable: identical items are set aside, the rest are paired
/// in order and compared field by field; leftovers are added or removed. Items count from 1.
fn list(table: &str, path: &str, friendly: bool, b: &[Value], a: &[Value], out: &mut Vec<Change>) {
    let mut b_left: Vec<(usize, &Value)> = b.iter().enumerate().collect();
    let mut a_left: Vec<(usize, &Value)> = Vec::new();
    for (j, av) in a.iter().enumerate() {
        if let Some(pos) = b_left.iter().position(|(_, bv)| same(bv, av)) {
            b_left.remove(pos);
        } else {
            a_left.push((j, av));
        }
    }
    // Each remaining later item is paired with the earlier one sharing most fields (at least one).
    let mut pairs = Vec::new();
    let mut added = Vec::new();
    for (j, av) in a_left {
        let best = b_left
            .iter()
            .enumerate()
            .map(|(pos, (_, bv))| (shared_fields(bv, av), pos))
            .filter(|(n, _)| *n > 0)
            .max_by_key(|(n, pos)| (*n, std::cmp::Reverse(*pos)));
        match best {
            Some((_, pos)) => pairs.push((b_left.remove(pos).1, j, av)),
            None => added.push(av),
        }
    }
    for (bv, j, av) in pairs {
        let item = if friendly {
            format!("{path} {}", j + 1)
        } else {
            format!("{path}.{}", j + 1)
        };
        value(table, &item, friendly, Some(bv), Some(av), out);
    }
    for (_, bv) in b_left {
        out.push(Change::Removed(described(table, path, bv)));
    }
    for av in added {
        out.push(Change::Added(described(table, path, av)));
    }
}

/// How many fields two tables have in common with equal values.
fn shared_fields(b: &Value, a: &Value) -> usize {
    match (b, a) {
        (Value::Object(b), Value::Object(a)) => b
            .iter()
            .filter(|(k, v)| a.get(*k).is_some_and(|w| same(v, w)))
            .count(),
        _ => 0,
    }
}

/// Equal as values, numbers compared as decimals ("10", 10 and 10.0 are the same).
pub(super) fn same(b: &Value, a: &Value) -> bool {
    match (b, a) {
        (Value::Object(b), Value::Object(a)) => {
            let get = |m: &Map<String, Value>, k: &str| m.get(k).filter(|v| !v.is_null()).cloned();
            b.keys()
                .chain(a.keys())
                .all(|k| match (get(b, k), get(a, k)) {
                    (Some(x), Some(y)) => same(&x, &y),
                    (None, None) => true,
                    _ => false,
                })
        }
        (Value::Array(b), Value::Array(a)) => {
            b.len() == a.len() && b.iter().zip(a).all(|(x, y)| same(x, y))
        }
        _ => match (decimal(b), decimal(a)) {
            (Some(x), Some(y)) => x == y,
            _ => b == a,
        },
    }
}

/// A number, or a string holding one, as a decimal.
fn decimal(v: &Value) -> Option<Decimal> {
    match v {
        Value::Number(n) => Decimal::from_str(&n.to_string())
            .or_else(|_| Decimal::from_scientific(&n.to_string()))
            .ok(),
        Value::String(s) => Decimal::from_str(s.trim()).ok(),
        _ => None,
    }
}

/// A value as text for a reader, formatted by what the field holds.
fn show(field: &str, v: &Value) -> String {
    match (field, v) {
        ("rota_size", v) => match decimal(v) {
            Some(n) if n.is_zero() => "not on a rota".into(),
            Some(n) => format!("1 in {}", n.normalize()),
            None => plain(v),
        },
        ("salary_point" | "amount", v) => decimal(v).map_or_else(|| plain(v), pounds),
        ("category" | "on_call_category", Value::String(s)) if s.len() == 1 => s.to_uppercase(),
        _ => plain(v),
    }
}

/// A value as text, with no knowledge of its field.
pub(super) fn plain(v: &Value) -> String {
    match v {
        Value::Null => "not given".into(),
        Value::Bool(true) => "yes".into(),
        Value::Bool(false) => "no".into(),
        Value::Number(n) => n.to_string(),
        Value::String(s) if s.is_empty() => "none".into(),
        Value::String(s) => {
            if let Ok(d) = chrono::NaiveDate::parse_from_str(s, "%Y-%m-%d") {
                d.format("%-d %B %Y").to_string()
            } else if s.chars().all(|c| c.is_ascii_lowercase() || c == '_') {
                // An enumerated value such as "northern_ireland" or "premium".
                let s = s.replace('_', " ");
                let mut c = s.chars();
                c.next()
                    .map(|f| f.to_uppercase().chain(c).collect())
                    .unwrap_or_default()
            } else {
                s.clone()
            }
        }
        Value::Array(items) if items.is_empty() => "none".into(),
        Value::Array(items) => items.iter().map(plain).collect::<Vec<_>>().join(", "),
        Value::Object(_) => v.to_string(),
    }
}

/// "£63,500" or "£1,234.50": whole pounds without pence.
fn pounds(d: Decimal) -> String {
    let pence = rust_decimal::prelude::ToPrimitive::to_i64(&(d.round_dp(2) * Decimal::ONE_HUNDRED))
        .unwrap_or(0);
    let text = tenpa_rules::money::pounds_text(pence);
    text.strip_suffix(".00")
        .map_or(text.clone(), str::to_string)
}
