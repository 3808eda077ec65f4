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
    super::values::with_max_activity_minutes(max, || match format {
        Format::Toml => parse_toml(file, text),
        Format::Json => parse_json(file, text),
    })
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

pub(super) fn parse_toml<T: DeserializeOwned>(file: &str, text: &str) -> Result<T, DocumentError> {
    let de = toml::Deserializer::new(text);
    serde_path_to_error::deserialize(de).map_err(|e| {
        let path = e.path().to_string();
        let inner = e.into_inner();
        let (line, column) = line_col(text, inner.span().map_or(0, |s| s.start));
        finish(file, line, column, path, inner.message().to_string())
    })
}

pub(super) fn parse_json<T: DeserializeOwned>(file: &str, text: &str) -> Result<T, DocumentError> {
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
