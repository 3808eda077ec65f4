//! The team view's query: the department, the sort column and the filters, and the rows it
//! selects.

use super::{TeamRow, BANDS};
use crate::web::page::{urlencode, WebError};
use std::cmp::Ordering;
use tenpa_rules::job_planning::Status;

/// A column the table sorts by.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SortKey {
    /// Consultant's name.
    Name,
    /// Total PAs.
    Total,
    /// DCC PAs.
    Dcc,
    /// SPA PAs.
    Spa,
    /// Additional responsibilities and external duties.
    Other,
    /// Extra PAs.
    Extra,
    /// On-call band.
    Band,
    /// Workflow state.
    Status,
    /// Review due date.
    Review,
    /// Total pay.
    Pay,
}

impl SortKey {
    /// Every column, in table order.
    pub const ALL: [SortKey; 10] = [
        SortKey::Name,
        SortKey::Total,
        SortKey::Dcc,
        SortKey::Spa,
        SortKey::Other,
        SortKey::Extra,
        SortKey::Band,
        SortKey::Status,
        SortKey::Review,
        SortKey::Pay,
    ];

    /// The query value.
    pub fn as_str(self) -> &'static str {
        match self {
            SortKey::Name => "name",
            SortKey::Total => "total",
            SortKey::Dcc => "dcc",
            SortKey::Spa => "spa",
            SortKey::Other => "other",
            SortKey::Extra => "extra",
            SortKey::Band => "band",
            SortKey::Status => "status",
            SortKey::Review => "review",
            SortKey::Pay => "pay",
        }
    }

    /// The column's heading.
    pub fn heading(self) -> &'static str {
        match self {
            SortKey::Name => "Consultant",
            SortKey::Total => "Total PAs",
            SortKey::Dcc => "DCC PAs",
            SortKey::Spa => "SPA PAs",
            SortKey::Other => "Additional and external PAs",
            SortKey::Extra => "Extra PAs",
            SortKey::Band => "On-call band",
            SortKey::Status => "Status",
            SortKey::Review => "Review due",
            SortKey::Pay => "Total pay",
        }
    }

    fn parse(s: &str) -> Option<SortKey> {
        SortKey::ALL.into_iter().find(|k| k.as_str() == s)
    }

    pub(super) fn numeric(self) -> bool {
        !matches!(self, SortKey::Name | SortKey::Band | SortKey::Status)
    }
}

/// What the query asks for: department, sorting and filters.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TeamQuery {
    /// A department chosen by the medical director or medical staffing.
    pub department: Option<i64>,
    /// The column sorted by.
    pub sort: SortKey,
    /// Largest first.
    pub descending: bool,
    /// Only this workflow state.
    pub status: Option<Status>,
    /// Only this on-call band.
    pub band: Option<String>,
    /// Only names containing this (any case).
    pub name: String,
}

impl Default for TeamQuery {
    fn default() -> Self {
        TeamQuery {
            department: None,
            sort: SortKey::Name,
            descending: false,
            status: None,
            band: None,
            name: String::new(),
        }
    }
}

impl TeamQuery {
    /// Reads a query string; unknown values are a clear error naming the parameter.
    pub fn parse(raw: Option<&str>) -> Result<TeamQuery, WebError> {
        let pairs: Vec<(String, String)> = serde_urlencoded::from_str(raw.unwrap_or(""))
            .map_err(|e| WebError::BadRequest(format!("the address cannot be read: {e}")))?;
        let mut q = TeamQuery::default();
        for (k, v) in pairs {
            let v = v.trim();
            match k.as_str() {
                "department" if !v.is_empty() => {
                    q.department = Some(v.parse().map_err(|_| {
                        WebError::BadRequest(format!(
                            "department: found {v:?}, expected a department number"
                        ))
                    })?)
                }
                "sort" if !v.is_empty() => {
                    q.sort = SortKey::parse(v).ok_or_else(|| {
                        WebError::BadRequest(format!("sort: {v:?} is not a column of the table"))
                    })?
                }
                "dir" => match v {
                    "" | "asc" => q.descending = false,
                    "desc" => q.descending = true,
                    _ => {
                        return Err(WebError::BadRequest(format!(
                            "dir: found {v:?}, expected asc or desc"
                        )))
                    }
                },
                "status" if !v.is_empty() => {
                    let Some(status) = Status::parse(v) else {
                        return Err(WebError::BadRequest(format!(
                            "status: {v:?} is not a workflow state"
                        )));
                    };
                    q.status = Some(status);
                }
                "band" if !v.is_empty() => {
                    if !BANDS.contains(&v) {
                        return Err(WebError::BadRequest(format!(
                            "band: {v:?} is not an on-call band"
                        )));
                    }
                    q.band = Some(v.to_string());
                }
                "name" => q.name = v.to_string(),
                _ => {}
            }
        }
        Ok(q)
    }

    /// The query string of this query with `sort` and `descending` replaced (no leading `?`).
    pub fn to_query(&self, sort: SortKey, descending: bool) -> String {
        let mut parts = vec![];
        if let Some(d) = self.department {
            parts.push(format!("department={d}"));
        }
        if let Some(s) = &self.status {
            parts.push(format!("status={}", s.as_str()));
        }
        if let Some(b) = &self.band {
            parts.push(format!("band={}", urlencode(b)));
        }
        if !self.name.is_empty() {
            parts.push(format!("name={}", urlencode(&self.name)));
        }
        parts.push(format!("sort={}", sort.as_str()));
        parts.push(format!("dir={}", if descending { "desc" } else { "asc" }));
        parts.join("&")
    }

    pub(super) fn current(&self) -> String {
        self.to_query(self.sort, self.descending)
    }

    pub(super) fn filtered(&self) -> bool {
        self.status.is_some() || self.band.is_some() || !self.name.is_empty()
    }
}

fn compare(a: &TeamRow, b: &TeamRow, key: SortKey) -> Ordering {
    let band_rank = |r: &TeamRow| {
        BANDS
            .iter()
            .position(|b| *b == r.band)
            .unwrap_or(BANDS.len())
    };
    let status_rank = |r: &TeamRow| {
        Status::ALL
            .iter()
            .position(|s| *s == r.status)
            .unwrap_or(Status::ALL.len())
    };
    match key {
        SortKey::Name => surname_key(&a.name).cmp(&surname_key(&b.name)),
        SortKey::Total => a.pas.total.cmp(&b.pas.total),
        SortKey::Dcc => a.pas.dcc.cmp(&b.pas.dcc),
        SortKey::Spa => a.pas.spa.cmp(&b.pas.spa),
        SortKey::Other => a.pas.other().cmp(&b.pas.other()),
        SortKey::Extra => a.pas.extra.cmp(&b.pas.extra),
        SortKey::Band => band_rank(a).cmp(&band_rank(b)),
        SortKey::Status => status_rank(a).cmp(&status_rank(b)),
        // No date sorts after every date.
        SortKey::Review => match (a.review_due, b.review_due) {
            (Some(x), Some(y)) => x.cmp(&y),
            (Some(_), None) => Ordering::Less,
            (None, Some(_)) => Ordering::Greater,
            (None, None) => Ordering::Equal,
        },
        SortKey::Pay => a.total_pay_pence.cmp(&b.total_pay_pence),
    }
}

/// Names sort by surname (the last word), then by the whole name, ignoring case.
fn surname_key(name: &str) -> (String, String) {
    let lower = name.to_lowercase();
    let surname = lower.split_whitespace().last().unwrap_or("").to_string();
    (surname, lower)
}

/// The rows the query keeps, in its order (ties by name, then plan).
pub fn select(rows: &[TeamRow], q: &TeamQuery) -> Vec<TeamRow> {
    let needle = q.name.to_lowercase();
    let mut out: Vec<TeamRow> = rows
        .iter()
        .filter(|r| q.status.is_none_or(|s| r.status == s))
        .filter(|r| q.band.as_deref().is_none_or(|b| r.band == b))
        .filter(|r| needle.is_empty() || r.name.to_lowercase().contains(&needle))
        .cloned()
        .collect();
    out.sort_by(|a, b| {
        let o = compare(a, b, q.sort);
        let o = if q.descending { o.reverse() } else { o };
        o.then_with(|| compare(a, b, SortKey::Name))
            .then_with(|| a.plan_id.cmp(&b.plan_id))
    });
    out
}
