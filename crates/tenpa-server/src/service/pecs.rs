//! Primary care trusts' professional executive committees (PEC-1 … PEC-4): committee documents
//! stored and checked, and the strategic health authority's oversight report.
//!
//! Who may do what: an `admin` or a `medical_director` stores a PCT's committee document; they and
//! the board roles (`board_chair`, `board_member`, `chief_executive`) read the committees and the
//! oversight report. Others are refused.

use crate::error::{ApiResult, AppError};
use crate::AppState;
use serde::Serialize;
use tenpa_rules::pec::{check, PecCheck, PecDocument};
use tenpa_store::User;
use utoipa::ToSchema;

/// Refused unless `u` may read PEC records.
pub(crate) fn may_read(u: &User) -> ApiResult<()> {
    if crate::policy::may_read_pecs(u) {
        Ok(())
    } else {
        Err(AppError::Forbidden(
            "PEC records are read by admins, medical directors and board members".into(),
        ))
    }
}

/// A stored committee with its check.
#[derive(Serialize, ToSchema)]
pub struct PecView {
    /// Id.
    pub id: i64,
    /// The committee document.
    #[schema(value_type = Object)]
    pub document: PecDocument,
    /// The check against PEC-1 … PEC-4.
    #[schema(value_type = Object)]
    pub check: PecCheck,
    /// Who stored it.
    pub updated_by: String,
    /// When.
    pub updated_at: String,
}

/// Stores a PCT's committee document for `user` (the API and the committee page), replacing the
/// PCT's previous one, and answers it with its check.
pub async fn store_pec(state: &AppState, user: &User, doc: PecDocument) -> ApiResult<PecView> {
    if !crate::policy::may_record_pecs(user) {
        return Err(AppError::Forbidden(
            "a PEC is recorded by an admin or a medical director".into(),
        ));
    }
    if doc.pct.name.trim().is_empty() {
        return Err(AppError::unprocessable_at(
            "pct.name",
            "the PCT is named".into(),
        ));
    }
    let json = serde_json::to_string(&doc).map_err(|e| AppError::Internal(e.to_string()))?;
    let id = state
        .store
        .put_pec(
            &user.username,
            doc.pct.name.trim(),
            doc.pct.sha.trim(),
            &json,
        )
        .await?;
    let stored = state
        .store
        .pecs()
        .await?
        .into_iter()
        .find(|p| p.id == id)
        .ok_or_else(|| AppError::Internal(format!("pec {id} vanished")))?;
    let check = check(&doc, &state.params);
    Ok(PecView {
        id,
        document: doc,
        check,
        updated_by: stored.updated_by,
        updated_at: stored.updated_at,
    })
}

/// Every stored committee with its check.
pub(crate) async fn all(state: &AppState) -> ApiResult<Vec<PecView>> {
    let mut out = Vec::new();
    for p in state.store.pecs().await? {
        let document: PecDocument = serde_json::from_str(&p.document)
            .map_err(|e| AppError::Internal(format!("stored pec {}: {e}", p.id)))?;
        out.push(PecView {
            id: p.id,
            check: check(&document, &state.params),
            document,
            updated_by: p.updated_by,
            updated_at: p.updated_at,
        });
    }
    Ok(out)
}

/// One PCT in the oversight report.
#[derive(Serialize, ToSchema)]
pub struct OversightPct {
    /// The PCT.
    pub pct: String,
    /// When the new arrangements took effect, if recorded.
    pub implemented_on: Option<String>,
    /// Whether they took effect by the implementation date (PEC-4).
    pub met_implementation_date: bool,
    /// Whether any finding is an error.
    pub has_errors: bool,
    /// The findings.
    #[schema(value_type = Vec<Object>)]
    pub findings: Vec<tenpa_rules::Finding>,
}

/// One SHA's oversight report.
#[derive(Serialize, ToSchema)]
pub struct Oversight {
    /// The strategic health authority.
    pub sha: String,
    /// The implementation date (parameter `pec/implementation_date.toml`).
    pub implementation_date: String,
    /// Every PCT in its area.
    pub pcts: Vec<OversightPct>,
    /// PCTs that met the implementation date.
    pub met: usize,
    /// PCTs with no error findings.
    pub compliant: usize,
}

/// The oversight report of one SHA, or of every SHA when `sha` is none.
pub(crate) async fn oversight_report(
    state: &AppState,
    sha: Option<&str>,
) -> ApiResult<Vec<Oversight>> {
    let deadline = state
        .params
        .pec_implementation_date
        .entries
        .last()
        .map(|e| e.value.to_string())
        .unwrap_or_default();
    let mut out: Vec<Oversight> = Vec::new();
    for p in all(state).await? {
        let pct_sha = p.document.pct.sha.clone();
        if sha.is_some_and(|s| s != pct_sha) {
            continue;
        }
        let line = OversightPct {
            pct: p.document.pct.name.clone(),
            implemented_on: p.document.pct.implemented_on.map(|d| d.to_string()),
            met_implementation_date: p.check.implemented_in_time,
            has_errors: p.check.has_errors(),
            findings: p.check.findings,
        };
        let i = match out.iter().position(|o| o.sha == pct_sha) {
            Some(i) => i,
            None => {
                out.push(Oversight {
                    sha: pct_sha,
                    implementation_date: deadline.clone(),
                    pcts: Vec::new(),
                    met: 0,
                    compliant: 0,
                });
                out.len() - 1
            }
        };
        let o = &mut out[i];
        o.met += usize::from(line.met_implementation_date);
        o.compliant += usize::from(!line.has_errors);
        o.pcts.push(line);
    }
    Ok(out)
}
