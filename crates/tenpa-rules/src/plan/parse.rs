//! Reading a document from text, with errors that name the file, line, column and field.

use super::JobPlanDocument;
use crate::parameters::Parameters;
use crate::source::{line_col, suggest_field};
use rust_decimal::prelude::ToPrimitive;
use serde::de::DeserializeOwned;

/// The document's format, chosen by file extension.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    /// `.toml`
    Toml,
    /// `.json`
    Json,
}

impl Format {
    /// The format for a file name, from its extension.
    pub fn from_path(path: &str) -> Option<Format> {
        let lower = path.to_ascii_lowercase();
        if lower.ends_with(".toml") {
            Some(Format::Toml)
        } else if lower.ends_with(".json") {
            Some(Format::Json)
        } else {
            None
        }
    }
}

/// A document that cannot be read.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{file}:{line}:{column}: {field}: {message}")]
pub struct DocumentError {
    /// The file.
    pub file: String,
    /// 1-based line.
    pub line: usize,
    /// 1-based column.
    pub column: usize,
    /// The field at fault, as a path (`activity[2].end`), or `(document)`.
    pub field: String,
    /// What was found and what was expected.
    pub message: String,
}

/// Reads a job plan document. `file` is used only in error messages.
pub fn parse_document(
    file: &str,
    bytes: &[u8],
    format: Format,
    params: &Parameters,
) -> Result<JobPlanDocument, DocumentError> {
    let text = text_of(
        file,
        bytes,
        format,
        "a job plan document with [consultant], [job_plan] and [pay]",
    )?;
    let max = params
        .max_activity_hours
        .entries
        .last()
        .and_then(|e| (e.value * rust_decimal::Decimal::from(60)).to_u32())
        .unwrap_or(720);
    let doc: JobPlanDocument = super::values::with_max_activity_minutes(max, || match format {
        Format::Toml => parse_toml(file, text),
        Format::Json => parse_json(file, text),
    })?;
    check_size(&doc)
        .and_then(|()| check_employers(&doc))
        .and_then(|()| check_appointment(&doc))
        .map_err(|(path, message)| {
            let (line, column) =
                super::locate::offset(text, format, &path).map_or((1, 1), |o| line_col(text, o));
            finish(file, line, column, path, message)
        })?;
    Ok(doc)
}

/// The most activities one job plan document may hold. A week of half-hour activities in every
/// hour of every day is 336; no real plan comes near, and the limit keeps one document's
/// assessment cheap whoever sends it.
pub const MAX_ACTIVITIES: usize = 500;

/// Refuses a document with more than [`MAX_ACTIVITIES`] activities, more than
/// [`MAX_PRIVATE_SESSIONS`](crate::private_practice::MAX_PRIVATE_SESSIONS) private sessions or
/// more than [`MAX_LEAVE`](crate::working_week::MAX_LEAVE) periods of leave, naming the first one
/// past the limit.
fn check_size(doc: &JobPlanDocument) -> Result<(), (String, String)> {
    let n = doc.activities.len();
    if n > MAX_ACTIVITIES {
        return Err((
            format!("activity[{MAX_ACTIVITIES}]"),
            format!("found {n} activities, expected at most {MAX_ACTIVITIES} in one job plan: combine repeated sessions (an activity may recur in several weeks of the cycle)"),
        ));
    }
    let max = crate::private_practice::MAX_PRIVATE_SESSIONS;
    let n = doc.private_sessions.len();
    if n > max {
        return Err((
            format!("private_session[{max}]"),
            format!("found {n} private sessions, expected at most {max} in one job plan: combine repeated sessions (a session may recur in several weeks of the cycle)"),
        ));
    }
    let max = crate::working_week::MAX_LEAVE;
    let n = doc.leave.len();
    if n > max {
        return Err((
            format!("leave[{max}]"),
            format!("found {n} periods of leave, expected at most {max} in one job plan: a period runs from `from` to `to`"),
        ));
    }
    Ok(())
}

/// Refuses an appointment to the post (PRV-1) before the consultant's first consultant
/// appointment.
fn check_appointment(doc: &JobPlanDocument) -> Result<(), (String, String)> {
    let first = doc.consultant.first_appointed;
    match doc.job_plan.appointed_to_post {
        Some(d) if d < first => Err((
            "job_plan.appointed_to_post".into(),
            format!("found {d}, before consultant.first_appointed ({first}); expected the date the consultant was appointed to the post this plan is for, on or after their first consultant appointment"),
        )),
        _ => Ok(()),
    }
}

/// Checks the `[[employer]]` list against the work that names an employer (JP-5): ids are
/// unique, at most one lead, and every `employer` named is listed. (field path, message) of the
/// first problem.
fn check_employers(doc: &JobPlanDocument) -> Result<(), (String, String)> {
    let ids: Vec<&str> = doc.employers.iter().map(|e| e.id.as_str()).collect();
    for (i, e) in doc.employers.iter().enumerate() {
        if let Some(first) = ids[..i].iter().position(|id| *id == e.id) {
            return Err((
                format!("employer[{i}].id"),
                format!(
                    "found \"{}\", already the id of employer[{first}]; expected each employer's id once",
                    e.id
                ),
            ));
        }
    }
    let leads: Vec<usize> = (0..ids.len()).filter(|&i| doc.employers[i].lead).collect();
    if let [first, second, ..] = leads[..] {
        return Err((
            format!("employer[{second}].lead"),
            format!(
                "found a second lead employer, \"{}\", after \"{}\" (employer[{first}]); expected one designated lead employer (F 1(f), A 11.1): set lead = true on one of them only",
                ids[second], ids[first]
            ),
        ));
    }
    let expected = |found: &str| {
        if ids.is_empty() {
            format!("found \"{found}\", but the document lists no [[employer]]; expected an [[employer]] table with id = \"{found}\", or no `employer` here")
        } else {
            format!(
                "found \"{found}\", expected the id of an [[employer]] in this document: {}",
                ids.iter()
                    .map(|i| format!("\"{i}\""))
                    .collect::<Vec<_>>()
                    .join(", ")
            )
        }
    };
    for (i, a) in doc.activities.iter().enumerate() {
        if let Some(id) = a.employer.as_deref() {
            if !ids.contains(&id) {
                return Err((format!("activity[{i}].employer"), expected(id)));
            }
        }
    }
    if let Some(id) = doc.on_call.as_ref().and_then(|o| o.employer.as_deref()) {
        if !ids.contains(&id) {
            return Err(("on_call.employer".into(), expected(id)));
        }
    }
    Ok(())
}

/// The document's bytes as text: UTF-8 and not empty. `expected` says what the file should hold.
pub(super) fn text_of<'a>(
    file: &str,
    bytes: &'a [u8],
    format: Format,
    expected: &str,
) -> Result<&'a str, DocumentError> {
    let text = std::str::from_utf8(bytes).map_err(|e| {
        let (line, column) = line_col(
            &String::from_utf8_lossy(&bytes[..e.valid_up_to()]),
            e.valid_up_to(),
        );
        DocumentError {
            file: file.into(),
            line,
            column,
            field: "(document)".into(),
            message: format!(
                "found bytes that are not UTF-8 text at byte {}, expected a {} document",
                e.valid_up_to(),
                if format == Format::Toml {
                    "TOML"
                } else {
                    "JSON"
                }
            ),
        }
    })?;
    if text.trim().is_empty() {
        return Err(DocumentError {
            file: file.into(),
            line: 1,
            column: 1,
            field: "(document)".into(),
            message: format!("the file is empty, expected {expected}"),
        });
    }
    Ok(text)
}

/// Splits a "`field`: message" error into the field and the message.
fn split_field(path: String, message: String) -> (String, String) {
    if let Some(rest) = message.strip_prefix('`') {
        if let Some((name, msg)) = rest.split_once("`: ") {
            let field = if path == "." || path.is_empty() {
                name.to_string()
            } else {
                format!("{path}.{name}")
            };
            return (field, msg.to_string());
        }
    }
    let path = if path == "." || path.is_empty() {
        "(document)".to_string()
    } else {
        path
    };
    (path, message)
}

pub(super) fn finish(
    file: &str,
    line: usize,
    column: usize,
    path: String,
    message: String,
) -> DocumentError {
    let mut message = message.trim().to_string();
    // TOML's own dates reach a date field as a table: say what to write instead.
    if message == "invalid type: map, expected a formatted date string" {
        message =
            "found an unquoted TOML date, expected a date in quotes such as \"2004-09-01\"".into();
    }
    if let Some(s) = suggest_field(&message) {
        message = format!("{message}; did you mean `{s}`?");
    }
    let (field, message) = split_field(path, message);
    DocumentError {
        file: file.into(),
        line,
        column,
        field,
        message,
    }
}

/// Reads a TOML document. As [`parse_json`]: one plain pass, and a second pass tracking each value's
/// path only for a document that fails.
pub(super) fn parse_toml<T: DeserializeOwned>(file: &str, text: &str) -> Result<T, DocumentError> {
    if let Ok(doc) = toml::from_str(text) {
        return Ok(doc);
    }
    let de = toml::Deserializer::new(text);
    serde_path_to_error::deserialize(de).map_err(|e| {
        let path = e.path().to_string();
        let inner = e.into_inner();
        let (line, column) = line_col(text, inner.span().map_or(0, |s| s.start));
        finish(file, line, column, path, inner.message().to_string())
    })
}

/// Reads a JSON document. A well-formed document is read in one plain pass; only a document that fails is read again with
/// the path of each value tracked, to name the field at fault. Tracking costs an allocation per key,
/// several times the plain pass, and is wanted only for the error.
pub(super) fn parse_json<T: DeserializeOwned>(file: &str, text: &str) -> Result<T, DocumentError> {
    if let Ok(doc) = serde_json::from_str(text) {
        return Ok(doc);
    }
    let mut de = serde_json::Deserializer::from_str(text);
    let doc: T = serde_path_to_error::deserialize(&mut de).map_err(|e| {
        let path = e.path().to_string();
        let inner = e.into_inner();
        let full = inner.to_string();
        let message = match full.rfind(" at line ") {
            Some(i) => full[..i].to_string(),
            None => full,
        };
        finish(
            file,
            inner.line().max(1),
            inner.column().max(1),
            path,
            message,
        )
    })?;
    de.end().map_err(|e| {
        finish(
            file,
            e.line(),
            e.column(),
            "(document)".into(),
            "found more text after the document, expected the end of the file".into(),
        )
    })?;
    Ok(doc)
}

#[cfg(test)]
mod tests {
    use super::*;

    const HEAD: &str = "[consultant]\nid = \"c\"\nfirst_appointed = \"1995-04-01\"\n\n[job_plan]\neffective_from = \"2005-04-01\"\ncontracted_pas = 10\n\n[pay]\npoint = 3\n";

    fn read(rest: &str) -> Result<JobPlanDocument, DocumentError> {
        let text = format!("{HEAD}{rest}");
        parse_document(
            "plan.toml",
            text.as_bytes(),
            Format::Toml,
            Parameters::embedded(),
        )
    }

    const TWO: &str =
        "\n[[employer]]\nid = \"north\"\nlead = true\n\n[[employer]]\nid = \"south\"\n";

    /// Source: PRV-1 (F 6(f)): the appointment to the post cannot come before the first
    /// consultant appointment; the error names the field at its line.
    #[test]
    fn an_appointment_to_the_post_before_the_first_appointment_is_refused_at_its_line() {
        let text = HEAD.replace(
            "contracted_pas = 10\n",
            "contracted_pas = 10\nappointed_to_post = \"1994-01-01\"\n",
        );
        let e = parse_document(
            "plan.toml",
            text.as_bytes(),
            Format::Toml,
            Parameters::embedded(),
        )
        .unwrap_err();
        assert_eq!(e.field, "job_plan.appointed_to_post");
        assert_eq!(e.line, 8, "{e}");
        assert!(e.message.contains("found 1994-01-01"), "{e}");
        let ok = HEAD.replace(
            "contracted_pas = 10\n",
            "contracted_pas = 10\nappointed_to_post = \"2004-01-01\"\n",
        );
        let doc = parse_document(
            "plan.toml",
            ok.as_bytes(),
            Format::Toml,
            Parameters::embedded(),
        )
        .unwrap();
        assert_eq!(
            doc.job_plan.appointed_to_post,
            chrono::NaiveDate::from_ymd_opt(2004, 1, 1)
        );
    }

    /// Source: JP-5 (F 1(f), A 11.1): an activity names one of the plan's employers.
    #[test]
    fn an_activity_naming_an_unknown_employer_is_refused_at_its_line() {
        let e = read(&format!("{TWO}\n[[activity]]\nday = \"mon\"\nstart = \"09:00\"\nend = \"13:00\"\ncategory = \"dcc\"\nemployer = \"west\"\n")).unwrap_err();
        assert_eq!(e.file, "plan.toml");
        assert_eq!(e.field, "activity[0].employer");
        assert_eq!(e.line, 24, "{e}");
        assert!(e.message.contains("found \"west\""), "{e}");
        assert!(e.message.contains("\"north\", \"south\""), "{e}");
    }

    /// Source: JP-5 (F 1(f), A 11.1): one designated lead employer.
    #[test]
    fn two_lead_employers_are_refused_at_the_second() {
        let e = read("\n[[employer]]\nid = \"north\"\nlead = true\n\n[[employer]]\nid = \"south\"\nlead = true\n").unwrap_err();
        assert_eq!(e.field, "employer[1].lead");
        assert_eq!(e.line, 18, "{e}");
        assert!(e.message.contains("second lead employer"), "{e}");
    }

    /// Source: JP-5: each employer's id once, so activities name one employer.
    #[test]
    fn a_repeated_employer_id_is_refused() {
        let e =
            read("\n[[employer]]\nid = \"north\"\n\n[[employer]]\nid = \"north\"\n").unwrap_err();
        assert_eq!(e.field, "employer[1].id");
        assert_eq!(e.line, 16, "{e}");
    }

    /// Source: JP-5: an employer named must be listed, also for the on-call rota and in JSON.
    #[test]
    fn naming_an_employer_without_a_list_is_refused() {
        let e = read("\n[on_call]\nrota_size = 6\ncategory = \"a\"\nemployer = \"north\"\n")
            .unwrap_err();
        assert_eq!(e.field, "on_call.employer");
        assert!(e.message.contains("lists no [[employer]]"), "{e}");
        let json = r#"{"consultant": {"id": "c", "first_appointed": "1995-04-01"},
"job_plan": {"effective_from": "2005-04-01", "contracted_pas": 10}, "pay": {"point": 3},
"employer": [{"id": "north", "lead": true}],
"activity": [{"day": "mon", "start": "09:00", "end": "13:00", "category": "dcc", "employer": "south"}]}"#;
        let e = parse_document(
            "plan.json",
            json.as_bytes(),
            Format::Json,
            Parameters::embedded(),
        )
        .unwrap_err();
        assert_eq!(e.field, "activity[0].employer");
        assert_eq!(e.line, 4, "{e}");
    }

    /// Source: JP-5 (F 1(f), A 12.1): the lead is an NHS employer.
    #[test]
    fn a_university_lead_is_refused() {
        let e =
            read("\n[[employer]]\nid = \"uni\"\nkind = \"university\"\nlead = true\n").unwrap_err();
        assert!(e.field.starts_with("employer[0]"), "{e}");
        assert!(e.message.contains("NHS employers"), "{e}");
    }
}
