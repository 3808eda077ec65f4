//! Job plans in bulk: many draft plans created in one transaction (all or nothing), each audited
//! as a creation, and the import audited as one entry naming the SHA-256 of its files.

use crate::audit::{audit_reserve, audit_write};
use crate::records::insert_job_plan;
use crate::{on_pool, NewVersion, Result, Store};

/// One plan an import creates: version 1 of a new plan for a consultant.
#[derive(Debug, Clone)]
pub struct ImportedPlan<'a> {
    /// The consultant record the plan is for.
    pub consultant_id: &'a str,
    /// The consultant's department.
    pub department_id: i64,
    /// The first version.
    pub version: NewVersion<'a>,
}

impl Store {
    /// Creates every plan in one transaction, in order, each as [`Store::create_job_plan`] does
    /// (version 1, audited as its creation), then one `import` entry for the whole, on the entity
    /// `job_plans` with the files' SHA-256 as its id, naming the hash, the number of files and the
    /// plans created. Nothing is written when there is no plan. Returns the new plans' ids in
    /// order.
    pub async fn import_job_plans(
        &self,
        actor: &str,
        plans: &[ImportedPlan<'_>],
        files: usize,
        files_sha256: &str,
    ) -> Result<Vec<i64>> {
        if plans.is_empty() {
            return Ok(vec![]);
        }
        on_pool!(self, pool => {
            let mut tx = pool.begin().await?;
            let mut ids = Vec::with_capacity(plans.len());
            for p in plans {
                let id = insert_job_plan!(tx, actor, p.consultant_id, p.department_id, &p.version);
                ids.push(id);
            }
            let reserved = audit_reserve!(tx);
            let after = serde_json::json!({ "sha256": files_sha256, "files": files, "created": ids.len(), "job_plans": ids }).to_string();
            audit_write!(tx, reserved, actor, "import", "job_plans", files_sha256, None, Some(after));
            tx.commit().await?;
            Ok(ids)
        })
    }
}
