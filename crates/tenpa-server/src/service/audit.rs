//! The audit log's integrity, and the stored figures against the rules: each job plan version's
//! total and superannuable pay worked out again from its stored document.

use crate::error::{ApiResult, AppError};
use crate::service::assessments::{assess_now, read_document};
use serde::Serialize;
use tenpa_rules::Parameters;
use tenpa_store::{AuditReport, Store, VersionFigures};
use utoipa::ToSchema;

/// A stored version whose figures are not what its document gives.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, ToSchema)]
pub struct FigureMismatch {
    /// The job plan.
    pub job_plan_id: i64,
    /// The version.
    pub version: i64,
    /// What differs.
    pub problem: String,
}

/// The stored figures checked against the rules.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, ToSchema, Default)]
pub struct FiguresReport {
    /// Versions checked.
    pub versions: i64,
    /// Those whose stored figures differ from their document's assessment.
    pub mismatches: Vec<FigureMismatch>,
}

impl FiguresReport {
    /// Whether every version's figures match.
    pub fn ok(&self) -> bool {
        self.mismatches.is_empty()
    }
}

/// Works out each version's figures again from its document, as
/// [`Store::job_plan_version_figures`] gives them.
pub fn recompute_figures(rows: &[VersionFigures], params: &Parameters) -> FiguresReport {
    let mut report = FiguresReport {
        versions: rows.len() as i64,
        mismatches: vec![],
    };
    for r in rows {
        let (total, sup) = (r.total_pay_pence, r.superannuable_pence);
        let mismatch = |problem: String| FigureMismatch {
            job_plan_id: r.job_plan_id,
            version: r.version,
            problem,
        };
        let assessed = read_document(r.document.as_bytes(), params, "document.")
            .and_then(|doc| assess_now(&doc, params));
        let a = match assessed {
            Ok(a) => a,
            Err(e) => {
                report.mismatches.push(mismatch(format!(
                    "its stored document cannot be assessed: {}",
                    e.client_detail().unwrap_or_else(|| format!("{e:?}"))
                )));
                continue;
            }
        };
        let (t, s) = (a.pay.total.pence(), a.pay.superannuable.pence());
        if t != total {
            report.mismatches.push(mismatch(format!(
                "stored total pay {total} pence, the document gives {t}"
            )));
        }
        if s != sup {
            report.mismatches.push(mismatch(format!(
                "stored superannuable pay {sup} pence, the document gives {s}"
            )));
        }
    }
    report
}

/// Reads every stored version and checks its figures, the assessments off the async workers.
pub async fn check_figures(
    store: &Store,
    params: std::sync::Arc<Parameters>,
) -> ApiResult<FiguresReport> {
    let rows = store.job_plan_version_figures().await?;
    tokio::task::spawn_blocking(move || recompute_figures(&rows, &params))
        .await
        .map_err(|e| AppError::Internal(format!("the figures check stopped: {e}")))
}

/// The audit chain's check and the figures' check.
#[derive(Debug, Serialize)]
pub struct Verification {
    /// The chain.
    #[serde(flatten)]
    pub chain: AuditReport,
    /// Each stored version's figures against its document.
    pub figures: FiguresReport,
}
