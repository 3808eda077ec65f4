//! The import of job plans in bulk: job plan documents (TOML or JSON, as `tenpa evaluate` reads
//! them), one plan a file, read and checked against the consultant records and the plans already
//! held. The result is a report, file by file (create, unchanged, or the file's errors with the
//! field, the line where the document gives it, and what was expected) and the plans to create,
//! which the store creates in one transaction only when no file has an error: each a draft,
//! version 1, with its assessment and pay as `POST /api/v1/job-plans` stores them. A plan for a
//! consultant and date that is stored already is never overwritten: the same document is
//! unchanged, another is an error. `tenpa import plans` reads files through here.

use crate::error::AppError;
use crate::service::assessments::{assess_now, read_document};
use sha2::{Digest, Sha256};
use std::collections::HashMap;
use tenpa_rules::job_planning::Status;
use tenpa_rules::plan::field_position;
use tenpa_rules::{parse_document, Assessment, Format, Parameters};
use tenpa_store::{NewVersion, Scope, Store};

/// One file of an import.
#[derive(Debug, Clone)]
pub struct PlanFile {
    /// The file's name as the report shows it (a path as given, or an uploaded file's name). The
    /// import's hash covers its last part, the name without its directory.
    pub name: String,
    /// Its bytes.
    pub bytes: Vec<u8>,
}

/// A file's error: the file, the field, where the document gives it, and what was found and
/// expected.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FileError {
    /// The file, by its name in the report.
    pub file: String,
    /// The 1-based line and column of the field, when the document gives them.
    pub position: Option<(usize, usize)>,
    /// The field at fault, as a path (`consultant.id`), or `(document)`.
    pub field: String,
    /// What was found and what was expected.
    pub message: String,
}

impl std::fmt::Display for FileError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self.position {
            Some((line, column)) => write!(
                f,
                "{}:{line}:{column}: {}: {}",
                self.file, self.field, self.message
            ),
            None => write!(f, "{}: {}: {}", self.file, self.field, self.message),
        }
    }
}

/// What a file does.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Outcome {
    /// A new draft plan.
    Create,
    /// The plan is stored already with this very document: the job plan's id.
    Unchanged(i64),
    /// The file's errors.
    Error(Vec<FileError>),
}

/// One file of the report.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ReportFile {
    /// The file's name.
    pub file: String,
    /// The consultant and the plan's `job_plan.effective_from`, when the document could be read.
    pub plan: Option<(String, String)>,
    /// What it does.
    pub outcome: Outcome,
}

/// A plan to create, with what `POST /api/v1/job-plans` stores for it.
#[derive(Debug, Clone)]
pub struct PlanToCreate {
    /// The file it comes from.
    pub file: String,
    /// The consultant record.
    pub consultant_id: String,
    /// The consultant's department.
    pub department_id: i64,
    /// The document, as JSON.
    pub document: serde_json::Value,
    /// Its assessment.
    pub assessment: Assessment,
    /// The version's note: the file it was imported from.
    pub note: String,
}

impl PlanToCreate {
    /// The plan's first version: a draft, made by `create`, as the API makes it.
    pub fn version(&self) -> NewVersion<'_> {
        NewVersion {
            status: Status::Draft,
            action: "create",
            note: &self.note,
            document: &self.document,
            assessment: &self.assessment,
            referral_alternate: None,
            sign_off: None,
        }
    }
}

/// The whole import's report.
#[derive(Debug, Clone)]
pub struct Report {
    /// File by file, in the import's order.
    pub files: Vec<ReportFile>,
    /// The plans to create, in the import's order.
    pub plans: Vec<PlanToCreate>,
    /// The SHA-256 (hex) of the files: for each in order, its name without its directory, a NUL
    /// byte, its length in bytes in decimal, a NUL byte, and its bytes.
    pub sha256: String,
}

impl Report {
    /// How many files have errors.
    pub fn errors(&self) -> usize {
        self.files
            .iter()
            .filter(|f| matches!(f.outcome, Outcome::Error(_)))
            .count()
    }

    /// Files creating a plan, and unchanged.
    pub fn counts(&self) -> (usize, usize) {
        let create = self
            .files
            .iter()
            .filter(|f| f.outcome == Outcome::Create)
            .count();
        let unchanged = self
            .files
            .iter()
            .filter(|f| matches!(f.outcome, Outcome::Unchanged(_)))
            .count();
        (create, unchanged)
    }

    /// The plans to create, as the store takes them.
    pub fn to_store(&self) -> Vec<tenpa_store::ImportedPlan<'_>> {
        self.plans
            .iter()
            .map(|p| tenpa_store::ImportedPlan {
                consultant_id: &p.consultant_id,
                department_id: p.department_id,
                version: p.version(),
            })
            .collect()
    }
}

/// A plan held: its id, status and current document.
#[derive(Debug, Clone)]
struct HeldPlan {
    id: i64,
    status: String,
    document: serde_json::Value,
}

/// What an import is checked against, read from the store once.
#[derive(Debug, Clone, Default)]
pub struct Held {
    /// Each consultant record's department, by the record's id.
    consultants: HashMap<String, i64>,
    /// The plans held, by consultant and their current document's `job_plan.effective_from`.
    plans: HashMap<(String, String), Vec<HeldPlan>>,
}

impl Held {
    /// Reads the consultant records and every plan's current document.
    pub async fn read(store: &Store) -> tenpa_store::Result<Held> {
        let consultants = store
            .staff_records()
            .await?
            .into_iter()
            .map(|(id, r)| (id, r.department_id))
            .collect();
        let mut plans: HashMap<(String, String), Vec<HeldPlan>> = HashMap::new();
        for p in store.job_plans_with_assessments(&Scope::All).await? {
            // The date as the document reader gives it (`YYYY-MM-DD`), to match an import's.
            let from = p
                .document
                .pointer("/job_plan/effective_from")
                .and_then(serde_json::Value::as_str)
                .unwrap_or_default();
            let from = from
                .parse::<chrono::NaiveDate>()
                .map_or(from.to_string(), |d| d.to_string());
            plans
                .entry((p.summary.consultant_id.clone(), from))
                .or_default()
                .push(HeldPlan {
                    id: p.summary.id,
                    status: p.summary.status.to_string(),
                    document: p.document,
                });
        }
        Ok(Held { consultants, plans })
    }
}

/// Limits an import to the consultants whose plans `may` says the importer may create (given the
/// record's id and department): every other file — one creating a plan, or one the same as a
/// stored plan — becomes that file's error, so the report tells nothing of plans the importer may
/// not see, and its plan is not created. The command, run on the server, is not limited.
pub fn only_for(report: &mut Report, held: &Held, may: impl Fn(&str, i64) -> bool) {
    let allowed = |c: &str| held.consultants.get(c).is_some_and(|d| may(c, *d));
    for f in &mut report.files {
        let Some((consultant, _)) = &f.plan else {
            continue;
        };
        if !allowed(consultant) {
            f.outcome = Outcome::Error(vec![FileError {
                file: f.file.clone(),
                position: None,
                field: "consultant.id".into(),
                message: format!(
                    "found {consultant:?}, expected a consultant whose job plans you may create"
                ),
            }]);
        }
    }
    report.plans.retain(|p| allowed(&p.consultant_id));
}

/// The SHA-256 (hex) of an import's files, as [`Report::sha256`] describes.
pub fn files_sha256(files: &[PlanFile]) -> String {
    let mut h = Sha256::new();
    for f in files {
        let base = f.name.rsplit(['/', '\\']).next().unwrap_or(&f.name);
        h.update(base.as_bytes());
        h.update([0]);
        h.update(f.bytes.len().to_string().as_bytes());
        h.update([0]);
        h.update(&f.bytes);
    }
    hex::encode(h.finalize())
}

/// Reads an import's files. Every problem is a file's error in the report; `progress` is called
/// with the number of files read so far, after each file.
pub fn read(
    files: &[PlanFile],
    held: &Held,
    params: &Parameters,
    progress: &mut dyn FnMut(usize),
) -> Report {
    let mut report = Report {
        files: Vec::with_capacity(files.len()),
        plans: Vec::new(),
        sha256: files_sha256(files),
    };
    // The first file of each consultant and date in this import.
    let mut first: HashMap<(String, String), String> = HashMap::new();
    for (n, f) in files.iter().enumerate() {
        let (plan, outcome) = match read_one(f, held, params, &mut first) {
            Ok((key, Read::Create(p))) => {
                report.plans.push(*p);
                (Some(key), Outcome::Create)
            }
            Ok((key, Read::Unchanged(id))) => (Some(key), Outcome::Unchanged(id)),
            Err((key, errors)) => (key, Outcome::Error(errors)),
        };
        report.files.push(ReportFile {
            file: f.name.clone(),
            plan,
            outcome,
        });
        progress(n + 1);
    }
    report
}

type Key = (String, String);

/// What one file reads as, when it has no error.
enum Read {
    Create(Box<PlanToCreate>),
    Unchanged(i64),
}

/// Reads one file: the plan's consultant and date with the plan to create or the stored plan it
/// equals, or the file's errors (with the consultant and date when the document could be read).
#[allow(clippy::type_complexity)]
fn read_one(
    f: &PlanFile,
    held: &Held,
    params: &Parameters,
    first: &mut HashMap<Key, String>,
) -> Result<(Key, Read), (Option<Key>, Vec<FileError>)> {
    let error = |position, field: &str, message: String| FileError {
        file: f.name.clone(),
        position,
        field: field.to_string(),
        message,
    };
    let Some(format) = Format::from_path(&f.name) else {
        return Err((
            None,
            vec![error(
                None,
                "(document)",
                "found a file that is neither .toml nor .json, expected a job plan document named *.toml or *.json".into(),
            )],
        ));
    };
    // Read as `tenpa evaluate` reads a file, for errors with their line and column ...
    parse_document(&f.name, &f.bytes, format, params).map_err(|e| {
        (
            None,
            vec![error(Some((e.line, e.column)), &e.field, e.message)],
        )
    })?;
    let text = std::str::from_utf8(&f.bytes).unwrap_or_default();
    let at = |field: &str| field_position(text, format, field);
    let document: serde_json::Value = match format {
        Format::Json => serde_json::from_str(text).map_err(|e| e.to_string()),
        Format::Toml => toml::from_str(text).map_err(|e| e.to_string()),
    }
    .map_err(|e| (None, vec![error(None, "(document)", e)]))?;
    // ... then as `POST /api/v1/job-plans` reads the document it stores, for the same checks.
    let bytes = serde_json::to_vec(&document)
        .map_err(|e| (None, vec![error(None, "(document)", e.to_string())]))?;
    let from_api = |e: AppError| {
        let (message, field) = match e {
            AppError::Unprocessable { field, message } => (message, field),
            AppError::BadRequest { detail, field } => (detail, field),
            other => (format!("{other:?}"), None),
        };
        let field = field.unwrap_or_else(|| "(document)".into());
        error(at(&field), &field, message)
    };
    let doc = read_document(&bytes, params, "").map_err(|e| (None, vec![from_api(e)]))?;
    let consultant = doc.consultant.id.clone();
    let from = doc.job_plan.effective_from.to_string();
    let key = (consultant.clone(), from.clone());
    let mut errors = Vec::new();
    let department = held.consultants.get(&consultant).copied();
    if department.is_none() {
        errors.push(error(
            at("consultant.id"),
            "consultant.id",
            format!("found {consultant:?}, expected the id of a consultant on record (the assignment number of an imported consultant record)"),
        ));
    }
    if let Some(other) = first.get(&key) {
        errors.push(error(
            at("job_plan.effective_from"),
            "job_plan.effective_from",
            format!("found a second plan for consultant {consultant} from {from} in this import (also {other}), expected one plan for a consultant and date"),
        ));
    } else {
        first.insert(key.clone(), f.name.clone());
    }
    let stored = held.plans.get(&key).map(Vec::as_slice).unwrap_or_default();
    match stored.iter().find(|p| p.document == document) {
        Some(same) if errors.is_empty() => return Ok((key, Read::Unchanged(same.id))),
        Some(_) => {}
        None => {
            if let Some(p) = stored.first() {
                errors.push(error(
            at("job_plan.effective_from"),
            "job_plan.effective_from",
            format!(
                "a plan for consultant {consultant} from {from} exists (job plan {}, {}) with another document; expected a date without a plan: edit job plan {} instead, or give this plan its own effective_from",
                p.id, p.status, p.id
            ),
        ));
            }
        }
    }
    let Some(department_id) = department.filter(|_| errors.is_empty()) else {
        return Err((Some(key), errors));
    };
    let assessment =
        assess_now(&doc, params).map_err(|e| (Some(key.clone()), vec![from_api(e)]))?;
    Ok((
        key,
        Read::Create(Box::new(PlanToCreate {
            file: f.name.clone(),
            consultant_id: consultant,
            department_id,
            document,
            assessment,
            note: format!(
                "imported from {}",
                f.name.rsplit(['/', '\\']).next().unwrap_or(&f.name)
            ),
        })),
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    const SURGEON: &str = include_str!("../../../../examples/surgeon-1-in-4.toml");

    fn file(name: &str, text: &str) -> PlanFile {
        PlanFile {
            name: name.into(),
            bytes: text.as_bytes().to_vec(),
        }
    }

    fn held(stored: &[(i64, &str)]) -> Held {
        let mut h = Held::default();
        h.consultants.insert("c-surg-001".into(), 3);
        for (id, text) in stored {
            let document: serde_json::Value = toml::from_str(text).unwrap();
            let from = document["job_plan"]["effective_from"]
                .as_str()
                .unwrap()
                .to_string();
            h.plans
                .entry(("c-surg-001".into(), from))
                .or_default()
                .push(HeldPlan {
                    id: *id,
                    status: "signed_off".into(),
                    document,
                });
        }
        h
    }

    /// The hash covers each file's name without its directory, and its bytes.
    #[test]
    fn the_hash_names_the_files_without_their_directory() {
        let a = files_sha256(&[file("plans/a.toml", "x")]);
        assert_eq!(a, files_sha256(&[file("elsewhere\\a.toml", "x")]));
        assert_ne!(a, files_sha256(&[file("plans/b.toml", "x")]));
        assert_ne!(a, files_sha256(&[file("plans/a.toml", "y")]));
        assert_ne!(
            files_sha256(&[file("a", "bc"), file("d", "")]),
            files_sha256(&[file("a", "b"), file("cd", "")]),
            "no two imports share an encoding"
        );
    }

    /// Source: issue brief — a stored plan of the same consultant and date is unchanged when its
    /// document is the same, an error (never overwritten) when not; a new date creates a draft
    /// with the pay the assessment gives.
    #[test]
    fn a_stored_plan_is_unchanged_or_an_error_never_overwritten() {
        let params = Parameters::embedded();
        let changed = SURGEON.replace("Daily commute", "The daily commute");
        let next = SURGEON.replace("2005-04-01", "2006-04-01");
        let held = held(&[(7, SURGEON)]);
        let files = [file("same.toml", SURGEON), file("next.toml", &next)];
        let r = read(&files, &held, params, &mut |_| {});
        assert_eq!(r.files[0].outcome, Outcome::Unchanged(7));
        assert_eq!(r.files[1].outcome, Outcome::Create);
        assert_eq!(r.counts(), (1, 1));
        assert_eq!(r.plans.len(), 1);
        let p = &r.plans[0];
        assert_eq!(
            (p.department_id, p.note.as_str()),
            (3, "imported from next.toml")
        );
        let doc = parse_document("next.toml", next.as_bytes(), Format::Toml, params).unwrap();
        let assessment = tenpa_rules::evaluate(&doc, params, None).unwrap();
        assert_eq!(p.assessment, assessment);

        let r = read(
            &[file("changed.toml", &changed)],
            &held,
            params,
            &mut |_| {},
        );
        let Outcome::Error(e) = &r.files[0].outcome else {
            panic!("{:?}", r.files[0])
        };
        assert_eq!(e.len(), 1, "{e:?}");
        assert_eq!(e[0].field, "job_plan.effective_from");
        assert_eq!(e[0].position, Some((17, 18)));
        assert!(e[0].message.contains("job plan 7, signed_off"), "{}", e[0]);
        assert!(r.plans.is_empty());
        assert_eq!(r.errors(), 1);
    }
}
