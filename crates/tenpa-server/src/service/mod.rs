//! The operations the API and the pages share. Each takes the signed-in user, asks the one
//! [`crate::policy`] whether they may act on the record, reads and writes the [`tenpa_store::Store`]
//! and asks the rules crate for every figure and finding. `api/` (JSON) and `web/` (pages) are thin
//! adapters over these modules: they read a request, call an operation and shape its answer. The
//! dependencies run one way: `api` and `web` → `service` → `store` → `rules` (a test in
//! `tests/layers.rs` keeps them so).

pub mod assessments;
pub mod audit;
pub mod awards;
pub mod board;
pub mod board_consistency;
pub mod compliance;
pub mod consistency;
pub mod criteria;
pub mod disclosures;
pub mod establishment;
pub mod extra_pa_offers;
pub mod imports;
pub mod job_plans;
pub mod notifications;
pub mod objectives;
pub mod organisation;
pub mod payroll;
pub mod pecs;
pub mod plan_import;
pub mod progression;
pub mod reference;
pub mod reminders;
pub mod rota_plans;
pub mod rotas;
pub mod rounds;
pub mod sessions;
pub mod templates;
pub mod tokens;

use crate::error::{ApiResult, AppError};
use tenpa_rules::job_planning::{Actor, WorkflowError};

/// Tries a workflow step as each of the caller's roles in turn; the first allowed wins. A step that
/// does not apply in the current state is 409 (with the current version); one the caller may not
/// take is 403.
pub fn first_allowed<S>(
    actors: impl IntoIterator<Item = Actor>,
    version: i64,
    step: impl Fn(Actor) -> Result<S, WorkflowError>,
) -> ApiResult<S> {
    // The refusal that says why (a role's reason, such as "their own plan") over a bare one.
    let says_why =
        |e: &WorkflowError| !matches!(e, WorkflowError::NotAllowed { why, .. } if why.is_empty());
    let mut last: Option<WorkflowError> = None;
    for actor in actors {
        match step(actor) {
            Ok(s) => return Ok(s),
            Err(e) => {
                if last.as_ref().is_none_or(|l| !says_why(l)) {
                    last = Some(e);
                }
            }
        }
    }
    Err(match last {
        Some(e @ WorkflowError::NotFromHere { .. }) => AppError::Conflict {
            detail: e.to_string(),
            current_version: Some(version),
        },
        Some(e) => AppError::Forbidden(e.to_string()),
        None => AppError::Forbidden("your account has no role".into()),
    })
}

/// A date given as YYYY-MM-DD in `field`, its year of four digits; anything else is a 422 naming
/// the field and what was found.
pub fn read_date(field: &str, value: &str) -> Result<chrono::NaiveDate, AppError> {
    chrono::NaiveDate::parse_from_str(value, "%Y-%m-%d")
        .ok()
        .filter(four_digit_year)
        .ok_or_else(|| {
            AppError::unprocessable_at(
                field,
                format!("found {value:?}, expected a date as YYYY-MM-DD"),
            )
        })
}

/// Whether `d` falls in the years 0001 to 9999, the dates the store keeps as ten characters that
/// sort as they fall.
pub fn four_digit_year(d: &chrono::NaiveDate) -> bool {
    (1..=9999).contains(&chrono::Datelike::year(d))
}

/// 422 naming the field when a JSON body holds the NUL character (U+0000) in any string or key:
/// no text the service stores may hold one, on either database. `prefix` is prepended to the
/// field's path. A body that is not JSON passes, for the caller to report.
pub fn refuse_nul(bytes: &[u8], prefix: &str) -> Result<(), AppError> {
    // In JSON, NUL can only be written as the escape `\u0000`; most bodies have none.
    if memchr::memmem::find(bytes, b"\\u0000").is_none() {
        return Ok(());
    }
    let Ok(value) = serde_json::from_slice::<serde_json::Value>(bytes) else {
        return Ok(());
    };
    match nul_path(&value) {
        Some(path) => {
            let field = match (prefix, path.as_str()) {
                ("", _) => path.clone(),
                (p, ".") => p.trim_end_matches('.').to_string(),
                (p, r) if r.starts_with('[') => format!("{}{r}", p.trim_end_matches('.')),
                (p, r) => format!("{p}{r}"),
            };
            Err(AppError::unprocessable_at(
                &field,
                "the text holds a NUL character (\\u0000), which no text may hold".into(),
            ))
        }
        None => Ok(()),
    }
}

/// The path (`a.b[2].c`, as in other errors) of the first string or key holding NUL.
fn nul_path(value: &serde_json::Value) -> Option<String> {
    use serde_json::Value;
    match value {
        Value::String(s) => s.contains('\0').then(|| ".".to_string()),
        Value::Array(items) => items.iter().enumerate().find_map(|(i, v)| {
            nul_path(v).map(|rest| match rest.as_str() {
                "." => format!("[{i}]"),
                r if r.starts_with('[') => format!("[{i}]{r}"),
                r => format!("[{i}].{r}"),
            })
        }),
        Value::Object(map) => map.iter().find_map(|(k, v)| {
            let key = k.replace('\0', "\\u0000");
            if k.contains('\0') {
                return Some(key);
            }
            nul_path(v).map(|rest| match rest.as_str() {
                "." => key.clone(),
                r if r.starts_with('[') => format!("{key}{r}"),
                r => format!("{key}.{r}"),
            })
        }),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn field(body: &str) -> Option<String> {
        match refuse_nul(body.as_bytes(), "") {
            Ok(()) => None,
            Err(AppError::Unprocessable { field, .. }) => field,
            Err(other) => panic!("{other:?}"),
        }
    }

    #[test]
    fn nul_in_json_text_is_refused_naming_the_field() {
        assert_eq!(
            field(r#"{"username":"a\u0000","password":"x"}"#).as_deref(),
            Some("username")
        );
        assert_eq!(
            field(r#"{"document":{"activities":[{"a":1},{"note":"\u0000"}]}}"#).as_deref(),
            Some("document.activities[1].note")
        );
        assert_eq!(field(r#"["ok",["\u0000"]]"#).as_deref(), Some("[1][0]"));
        assert_eq!(field(r#""\u0000""#).as_deref(), Some("."));
        // An escaped backslash followed by `u0000` is text, not NUL.
        assert_eq!(field(r#"{"note":"\\u0000"}"#), None);
        assert_eq!(field(r#"{"note":"plain"}"#), None);
        assert_eq!(field("not json \\u0000"), None);
    }
}
