//! Reading a job plan document and assessing it: the one reading (errors naming the field), the
//! assessment off the async workers, and a document read and assessed once before it is stored
//! ([`CheckedPlan`]).

use crate::error::{ApiResult, AppError};
use std::sync::{Arc, LazyLock};
use tenpa_rules::{evaluate, parse_document, Assessment, Format, JobPlanDocument, Parameters};
use tokio::sync::Semaphore;

/// Reads a document from JSON bytes: 400 when it is not JSON, 422 naming the field when it is not a
/// job plan. `prefix` is prepended to field paths (`document.`).
///
/// The body is parsed once, straight into the document; only when that fails is it looked at again
/// to tell a body that is not JSON (400) from a JSON value that is not a job plan (422).
pub fn read_document(
    bytes: &[u8],
    params: &Parameters,
    prefix: &str,
) -> ApiResult<JobPlanDocument> {
    read_plan(bytes, params, prefix).map_err(AppError::from)
}

/// Why a document was not taken as a job plan, kept as the rules say it.
#[derive(Debug)]
pub enum Rejected {
    /// Not a job plan the rules can read: the field at fault, as a path in the document
    /// (`activity[2].end`), and what was found and what was expected. The request names it
    /// after `prefix` (`document.`).
    Document {
        /// Where the document sits in the request.
        prefix: String,
        /// The field's path in the document.
        field: String,
        /// What was found and what was expected.
        message: String,
    },
    /// Anything else: not JSON, a NUL character, a date the rules cannot apply, the server.
    Other(AppError),
}

impl From<AppError> for Rejected {
    fn from(e: AppError) -> Rejected {
        Rejected::Other(e)
    }
}

impl From<Rejected> for AppError {
    /// A 422 naming the field, its detail the field's path and the rules' message.
    fn from(r: Rejected) -> AppError {
        match r {
            Rejected::Document {
                prefix,
                field,
                message,
            } => AppError::Unprocessable {
                field: Some(format!("{prefix}{field}")),
                message,
            },
            Rejected::Other(e) => e,
        }
    }
}

/// Reads a JSON document as a job plan, as `tenpa evaluate` reads one; a document the rules cannot
/// read is [`Rejected::Document`], with the field and message as the rules give them.
pub fn read_plan(
    bytes: &[u8],
    params: &Parameters,
    prefix: &str,
) -> Result<JobPlanDocument, Rejected> {
    match parse_document("request body", bytes, Format::Json, params) {
        Ok(doc) => {
            crate::service::refuse_nul(bytes, prefix)?;
            Ok(doc)
        }
        Err(e) => {
            if let Err(syntax) = serde_json::from_slice::<serde::de::IgnoredAny>(bytes) {
                return Err(Rejected::Other(AppError::BadRequest {
                    detail: format!("the body is not JSON: {syntax}"),
                    field: None,
                }));
            }
            crate::service::refuse_nul(bytes, prefix)?;
            Err(Rejected::Document {
                prefix: prefix.to_string(),
                field: e.field,
                message: e.message,
            })
        }
    }
}

/// Assessments running at once: one per processor. An assessment is CPU work; it runs on the
/// blocking pool, and no more than this many at a time, so the async workers keep answering
/// `/healthz` and everyone else while one client sends many documents.
static ASSESSMENTS: LazyLock<Semaphore> =
    LazyLock::new(|| Semaphore::new(std::thread::available_parallelism().map_or(2, |n| n.get())));

/// Evaluates a document here and now, mapping a date the rules cannot apply to into 422: for work
/// already off the async workers.
pub fn assess_now(doc: &JobPlanDocument, params: &Parameters) -> ApiResult<Assessment> {
    evaluate(doc, params, None)
        .map_err(|e| AppError::unprocessable_at("job_plan.effective_from", e.to_string()))
}

/// Evaluates a document off the async workers (see [`ASSESSMENTS`]), as [`assess_now`]: the
/// document moves to the blocking pool as it is.
pub async fn assess_owned(doc: JobPlanDocument, params: &Arc<Parameters>) -> ApiResult<Assessment> {
    let _slot = ASSESSMENTS
        .acquire()
        .await
        .map_err(|e| AppError::Internal(e.to_string()))?;
    let params = Arc::clone(params);
    tokio::task::spawn_blocking(move || assess_now(&doc, &params))
        .await
        .map_err(|e| AppError::Internal(format!("the assessment stopped: {e}")))?
}

/// The most activities a document may have to be evaluated on the async worker that read it.
///
/// Evaluating a plan of this size costs less than reading its body, which the worker has just
/// done, so handing it to the blocking pool (a thread switch each way) would cost more than the
/// evaluation itself. Larger documents, up to [`tenpa_rules::plan::MAX_ACTIVITIES`], go to the pool as
/// [`assess_owned`] says.
pub const INLINE_ACTIVITIES: usize = 64;

/// A job plan document read and assessed exactly once, ready to be stored as a version: the
/// document as it was given (a version keeps it as it is), the consultant it names and its
/// assessment. Creating a plan, editing it (the API and the editor) and the rotas' changes to
/// their members' plans all store what this holds, so nothing is read or assessed twice.
#[derive(Debug)]
pub struct CheckedPlan {
    /// The document as given.
    pub document: serde_json::Value,
    /// The document as the rules read it.
    pub plan: JobPlanDocument,
    /// The consultant the document names (`consultant.id`).
    pub consultant_id: String,
    /// Its assessment.
    pub assessment: Assessment,
}

impl CheckedPlan {
    /// A plan's current version, as it was read and assessed when it was saved.
    pub fn stored(plan: &tenpa_store::JobPlanRecord) -> ApiResult<CheckedPlan> {
        Ok(CheckedPlan {
            document: plan.document.clone(),
            plan: plan.plan()?,
            consultant_id: plan.summary.consultant_id.clone(),
            assessment: plan.assessment.clone(),
        })
    }

    /// Reads `document` as a job plan, as `tenpa evaluate` reads one (errors name `prefix` and the
    /// field), and assesses it off the async workers.
    pub async fn check(
        document: serde_json::Value,
        params: &Arc<Parameters>,
        prefix: &str,
    ) -> Result<Self, Rejected> {
        let bytes = serde_json::to_vec(&document).map_err(|e| AppError::Internal(e.to_string()))?;
        let doc = read_plan(&bytes, params, prefix)?;
        let consultant_id = doc.consultant.id.clone();
        let assessment = assess_owned(doc.clone(), params).await?;
        Ok(Self {
            document,
            plan: doc,
            consultant_id,
            assessment,
        })
    }
}
