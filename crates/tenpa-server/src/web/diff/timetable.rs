//! The timetable: activities paired across versions by title, then by day and start.

use super::values::{plain, same};
use super::Change;
use crate::web::labels::DAYS;
use serde_json::{Map, Value};

/// One activity read loosely from its table.
struct Activity<'a> {
    map: &'a Map<String, Value>,
}

impl<'a> Activity<'a> {
    fn text(&self, key: &str) -> String {
        match self.map.get(key) {
            Some(Value::String(s)) => s.clone(),
            Some(Value::Null) | None => String::new(),
            Some(v) => v.to_string(),
        }
    }

    fn day_index(&self) -> usize {
        let d = self.text("day").to_lowercase();
        DAYS.iter()
            .position(|(k, name)| d == *k || d == name.to_lowercase())
            .unwrap_or(DAYS.len())
    }

    fn day(&self) -> String {
        DAYS.get(self.day_index())
            .map_or_else(|| self.text("day"), |(_, name)| name.to_string())
    }

    /// Minutes past midnight of the start, for ordering.
    fn start_minutes(&self) -> u32 {
        let s = self.text("start");
        let mut parts = s.split(':').map(|p| p.trim().parse::<u32>().unwrap_or(0));
        parts.next().unwrap_or(0) * 60 + parts.next().unwrap_or(0)
    }

    fn order(&self) -> (usize, u32) {
        (self.day_index(), self.start_minutes())
    }

    /// "Monday 08:00–12:00".
    fn when(&self) -> String {
        format!("{} {}–{}", self.day(), self.text("start"), self.text("end"))
    }

    /// "DCC", "SPA", …
    fn category(&self) -> String {
        match self.text("category").as_str() {
            "dcc" => "DCC".into(),
            "spa" => "SPA".into(),
            "additional_responsibility" => "additional NHS responsibility".into(),
            "external_duty" => "external duty".into(),
            "" => "activity".into(),
            other => other.into(),
        }
    }

    fn title(&self) -> String {
        self.text("title")
    }

    /// The title, or the category when it has none.
    fn name(&self) -> String {
        let t = self.title();
        if t.is_empty() {
            self.category()
        } else {
            t
        }
    }

    fn weeks(&self) -> String {
        match self.map.get("weeks") {
            Some(Value::Array(w)) if !w.is_empty() => {
                let w: Vec<String> = w.iter().map(plain).collect();
                format!("weeks {}", w.join(", "))
            }
            _ => "every week".into(),
        }
    }

    fn flag(&self, key: &str) -> bool {
        matches!(self.map.get(key), Some(Value::Bool(true)))
    }

    /// The parts compared between versions, each as (key, text); the text is what a reader sees.
    fn parts(&self) -> Vec<(String, String)> {
        let mut parts = vec![
            ("when".to_string(), self.when()),
            ("title".to_string(), self.title()),
            ("category".to_string(), self.category()),
            ("weeks".to_string(), self.weeks()),
            (
                "extra".to_string(),
                if self.flag("extra") {
                    "extra PA"
                } else {
                    "not an extra PA"
                }
                .to_string(),
            ),
            (
                "location".to_string(),
                match self.text("location") {
                    l if l.is_empty() => "no location".to_string(),
                    l => format!("at {l}"),
                },
            ),
            (
                "off_site".to_string(),
                if self.flag("off_site") {
                    "off site"
                } else {
                    "on site"
                }
                .to_string(),
            ),
            (
                "predictable_emergency".to_string(),
                if self.flag("predictable_emergency") {
                    "predictable emergency work"
                } else {
                    "not predictable emergency work"
                }
                .to_string(),
            ),
        ];
        const KNOWN: [&str; 10] = [
            "day",
            "start",
            "end",
            "title",
            "category",
            "weeks",
            "extra",
            "location",
            "off_site",
            "predictable_emergency",
        ];
        for (k, v) in self.map {
            if !KNOWN.contains(&k.as_str()) && !v.is_null() {
                parts.push((k.clone(), format!("{k} {}", plain(v))));
            }
        }
        parts
    }

    /// "Tuesday 13:00–17:00 SPA: Audit, weeks 1, 2, at Main site".
    fn describe(&self) -> String {
        let mut s = format!("{} {}", self.when(), self.category());
        if !self.title().is_empty() {
            s.push_str(&format!(": {}", self.title()));
        }
        for (k, text) in self.parts() {
            let shown = match k.as_str() {
                "when" | "title" | "category" => false,
                "weeks" => self
                    .map
                    .get("weeks")
                    .is_some_and(|w| w.as_array().is_some_and(|w| !w.is_empty())),
                "extra" | "off_site" | "predictable_emergency" => self.flag(&k),
                "location" => !self.text("location").is_empty(),
                _ => true,
            };
            if shown {
                s.push_str(", ");
                s.push_str(&text);
            }
        }
        s
    }
}

/// A way of pairing two activities: `Some(rank)` when they may pair, the lowest rank best.
type Pass = dyn Fn(&Activity<'_>, &Activity<'_>) -> Option<u8>;

/// The activities of a version; items that are not tables are skipped.
fn read_activities(v: Option<&Value>) -> Vec<Activity<'_>> {
    v.and_then(Value::as_array)
        .map(|items| {
            items
                .iter()
                .filter_map(Value::as_object)
                .map(|map| Activity { map })
                .collect()
        })
        .unwrap_or_default()
}

/// Pairs the activities of two versions and reports what changed, ordered by day then start.
pub(super) fn activities(b: Option<&Value>, a: Option<&Value>, out: &mut Vec<Change>) {
    let (before, after) = (read_activities(b), read_activities(a));
    let mut b_used = vec![false; before.len()];
    let mut a_used = vec![false; after.len()];
    let mut pairs: Vec<(usize, usize)> = Vec::new();
    // Identical activities first, then the same title (preferring the same day and start, then
    // the same day), then the same day and start.
    let passes: [&Pass; 3] = [
        &|x, y| same(&Value::Object(x.map.clone()), &Value::Object(y.map.clone())).then_some(0),
        &|x, y| {
            (!x.title().is_empty() && x.title() == y.title()).then(|| {
                if x.order() == y.order() {
                    0
                } else if x.day_index() == y.day_index() {
                    1
                } else {
                    2
                }
            })
        },
        &|x, y| (x.order() == y.order()).then_some(0),
    ];
    for pass in passes {
        for (i, x) in before.iter().enumerate() {
            if b_used[i] {
                continue;
            }
            let best = after
                .iter()
                .enumerate()
                .filter(|(j, _)| !a_used[*j])
                .filter_map(|(j, y)| pass(x, y).map(|rank| (rank, j)))
                .min();
            if let Some((_, j)) = best {
                b_used[i] = true;
                a_used[j] = true;
                pairs.push((i, j));
            }
        }
    }
    let mut found: Vec<((usize, u32), u8, Change)> = Vec::new();
    for (i, j) in pairs {
        let (x, y) = (&before[i], &after[j]);
        let (px, py) = (x.parts(), y.parts());
        let get = |parts: &[(String, String)], k: &str| {
            parts
                .iter()
                .find(|(key, _)| key == k)
                .map(|(_, t)| t.clone())
        };
        let mut keys: Vec<&String> = px.iter().chain(&py).map(|(k, _)| k).collect();
        keys.dedup();
        let mut seen = Vec::new();
        let (mut was, mut is) = (Vec::new(), Vec::new());
        for k in keys {
            if seen.contains(&k) {
                continue;
            }
            seen.push(k);
            let (bx, ay) = (get(&px, k), get(&py, k));
            if bx != ay {
                was.push(bx.unwrap_or_else(|| format!("no {k}")));
                is.push(ay.unwrap_or_else(|| format!("no {k}")));
            }
        }
        if was.is_empty() {
            continue;
        }
        let what = if x.title() == y.title() {
            if x.when() == y.when() {
                format!("{} ({})", y.name(), y.when())
            } else {
                y.name()
            }
        } else if x.when() == y.when() {
            format!("{} activity", y.when())
        } else {
            "Activity".to_string()
        };
        found.push((
            y.order(),
            1,
            Change::Changed {
                what,
                before: was.join(", "),
                after: is.join(", "),
            },
        ));
    }
    for (x, _) in before.iter().zip(&b_used).filter(|(_, used)| !**used) {
        found.push((x.order(), 0, Change::Removed(x.describe())));
    }
    for (y, _) in after.iter().zip(&a_used).filter(|(_, used)| !**used) {
        found.push((y.order(), 2, Change::Added(y.describe())));
    }
    found.sort_by_key(|(order, kind, _)| (*order, *kind));
    out.extend(found.into_iter().map(|(_, _, c)| c));
}
