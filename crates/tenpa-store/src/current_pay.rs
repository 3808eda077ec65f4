//! The pay bill's source: each consultant's current plan.

use crate::{on_pool, stored_json, Result, Store};
use tenpa_rules::Assessment;

/// The current plan of a consultant, for a pay bill: total pay in pence and the assessment.
#[derive(Debug, Clone)]
pub struct CurrentPay {
    /// Consultant.
    pub consultant_id: String,
    /// Total pay of the plan's current version, pence.
    pub total_pay_pence: i64,
    /// The version's assessment.
    pub assessment: Assessment,
}

impl Store {
    /// The current version of each consultant's latest job plan: its total pay and assessment.
    pub async fn current_pay(&self) -> Result<Vec<CurrentPay>> {
        let rows: Vec<(String, i64, String)> = on_pool!(self, pool => {
            sqlx::query_as("SELECT p.consultant_id, v.total_pay_pence, v.assessment FROM job_plans p JOIN job_plan_versions v ON v.job_plan_id = p.id AND v.version = p.version WHERE p.id = (SELECT MAX(q.id) FROM job_plans q WHERE q.consultant_id = p.consultant_id) ORDER BY p.consultant_id")
                .fetch_all(pool).await?
        });
        rows.into_iter()
            .map(|(consultant_id, total_pay_pence, assessment)| {
                Ok(CurrentPay {
                    assessment: stored_json(
                        &format!("{consultant_id}'s current job plan's assessment"),
                        &assessment,
                    )?,
                    consultant_id,
                    total_pay_pence,
                })
            })
            .collect()
    }
}
