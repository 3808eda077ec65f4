//! Employers, departments, accounts, consultants, sessions and job plans.

use crate::audit::{audit_reserve, audit_write};
use crate::versioned::versioned_update;
use crate::{now, on_pool, stored_date, stored_date_opt, stored_json, Result, Store, StoreError};
use chrono::NaiveDate;
use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};
use serde_json::Value;
use tenpa_rules::job_planning::{Role, Status};
use tenpa_rules::{Assessment, JobPlanDocument};

/// A user account.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct User {
    /// Id.
    pub id: i64,
    /// Sign-in name.
    pub username: String,
    /// Shown name.
    pub display_name: String,
    /// Argon2id PHC string.
    #[serde(skip)]
    pub password_hash: String,
    /// Roles.
    pub roles: Vec<Role>,
    /// The department of a clinical director (or a consultant).
    pub department_id: Option<i64>,
    /// The consultant record of a consultant.
    pub consultant_id: Option<String>,
    /// The address notifications are emailed to, if any.
    pub email: Option<String>,
}

impl User {
    /// Whether the user holds `role`.
    pub fn has(&self, role: Role) -> bool {
        self.roles.contains(&role)
    }
}

/// A consultant's sex as the staff record holds it, optional: for the consistency report's groups
/// only.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Sex {
    /// Female.
    Female,
    /// Male.
    Male,
}

impl Sex {
    /// As stored and in the API: `female`, `male`.
    pub fn as_str(self) -> &'static str {
        match self {
            Sex::Female => "female",
            Sex::Male => "male",
        }
    }

    /// Reads `female`/`f` or `male`/`m`, in any case.
    pub fn parse(s: &str) -> Option<Sex> {
        match s.trim().to_ascii_lowercase().as_str() {
            "female" | "f" => Some(Sex::Female),
            "male" | "m" => Some(Sex::Male),
            _ => None,
        }
    }
}

/// A new account.
#[derive(Debug, Clone)]
pub struct NewUser {
    /// Sign-in name.
    pub username: String,
    /// Shown name.
    pub display_name: String,
    /// Argon2id PHC string.
    pub password_hash: String,
    /// Roles.
    pub roles: Vec<Role>,
    /// Department.
    pub department_id: Option<i64>,
    /// Consultant record.
    pub consultant_id: Option<String>,
    /// The address notifications are emailed to, if any.
    pub email: Option<String>,
}

/// An employer.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, sqlx::FromRow)]
pub struct Employer {
    /// Id.
    pub id: i64,
    /// Name.
    pub name: String,
    /// `trust`, `health_board` or `pct`.
    pub kind: String,
    /// `england`, `wales`, `scotland` or `northern_ireland`.
    pub nation: String,
}

/// A department of an employer.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, sqlx::FromRow)]
pub struct Department {
    /// Id.
    pub id: i64,
    /// Its employer.
    pub employer_id: i64,
    /// Name.
    pub name: String,
    /// Specialty.
    pub specialty: String,
    /// Version, for optimistic concurrency.
    pub version: i64,
}

/// A consultant's record.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ConsultantRecord {
    /// Id, as in job plan documents.
    pub id: String,
    /// Name.
    pub name: String,
    /// Department.
    pub department_id: i64,
    /// First consultant appointment.
    pub first_appointed: NaiveDate,
    /// Transfer to the contract.
    pub transferred: Option<NaiveDate>,
    /// Seniority at transfer.
    pub seniority_at_transfer: Option<i64>,
    /// Lead employer when working for several (JP-5).
    pub lead_employer_id: Option<i64>,
}

/// Which job plans a caller may see.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Scope {
    /// Every plan of the trust.
    All,
    /// One department's plans.
    Department(i64),
    /// One consultant's plans.
    Consultant(String),
    /// None.
    Nothing,
}

/// A job plan in a list.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct JobPlanSummary {
    /// Id.
    pub id: i64,
    /// The consultant.
    pub consultant_id: String,
    /// The consultant's name.
    pub consultant_name: String,
    /// Department name.
    pub department: String,
    /// Department id.
    pub department_id: i64,
    /// Workflow state.
    pub status: Status,
    /// Current version.
    pub version: i64,
    /// Last change.
    pub updated_at: String,
    /// Total pay of the current version's assessment, pence.
    pub total_pay_pence: i64,
    /// Superannuable pay of the current version's assessment, pence.
    pub superannuable_pence: i64,
    /// The username of the named alternate the plan is referred to, while it is referred to one
    /// (JP-4: the Medical Director is a party).
    pub referral_alternate: Option<String>,
    /// Total PAs a week of the current version's assessment (`pas.total`).
    #[serde(serialize_with = "tenpa_rules::money::number_opt")]
    pub total_pas: Option<Decimal>,
    /// The consultant's own account: the roles and department of the enabled account linked to
    /// the plan's consultant record, if there is one (for JP-1's two sides). Not shown.
    #[serde(skip)]
    pub consultant_account: Option<(Vec<Role>, Option<i64>)>,
}

impl JobPlanSummary {
    /// Whether the plan is with `username` as its named alternate: its referral (JP-4), or the
    /// sign-off of the medical director's own plan (JP-1, two sides).
    pub fn is_with_alternate(&self, username: &str) -> bool {
        matches!(self.status, Status::Referred | Status::CdSignedOff)
            && self.referral_alternate.as_deref() == Some(username)
    }

    /// Whether the plan's consultant is the clinical director of its department: their own
    /// account holds the role there, so the medical director is their manager (JP-1, A 9.2).
    pub fn consultant_is_clinical_director(&self) -> bool {
        self.consultant_account.as_ref().is_some_and(|(roles, d)| {
            roles.contains(&Role::ClinicalDirector) && *d == Some(self.department_id)
        })
    }

    /// Whether the plan is the medical director's own: the consultant's own account holds the
    /// medical director role (JP-1, two sides).
    pub fn consultant_is_medical_director(&self) -> bool {
        self.consultant_account
            .as_ref()
            .is_some_and(|(roles, _)| roles.contains(&Role::MedicalDirector))
    }
}

/// A job plan with its current document and assessment.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct JobPlanRecord {
    /// The summary.
    #[serde(flatten)]
    pub summary: JobPlanSummary,
    /// The current version's document.
    pub document: Value,
    /// The current version's assessment.
    pub assessment: Assessment,
}

impl JobPlanRecord {
    /// The current version's document as the rules read it. It was read by the rules before it
    /// was stored, so it reads again; one that does not is an error naming the plan.
    pub fn plan(&self) -> Result<JobPlanDocument> {
        use serde::Deserialize;
        JobPlanDocument::deserialize(&self.document).map_err(|e| {
            StoreError::Db(sqlx::Error::Decode(
                format!(
                    "job plan {}'s document does not read as it was stored: {e}",
                    self.summary.id
                )
                .into(),
            ))
        })
    }
}

/// One stored version.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct VersionRecord {
    /// Version number, from 1.
    pub version: i64,
    /// State after this version.
    pub status: Status,
    /// What made it (`create`, `edit`, a workflow action).
    pub action: String,
    /// Note given with it.
    pub note: String,
    /// Who.
    pub created_by: String,
    /// When.
    pub created_at: String,
    /// Total pay, pence.
    pub total_pay_pence: i64,
    /// With a sign-off: what it said of the findings.
    pub sign_off: Option<SignOffRecord>,
}

/// A finding acknowledged at a sign-off, as the version showed it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct AcknowledgedFinding {
    /// Its place in the version's assessment's findings.
    pub finding: usize,
    /// Its rule id.
    pub rule: String,
    /// `warning` or `error`.
    pub severity: String,
    /// Its message.
    pub message: String,
    /// The signer's comment (may be empty).
    #[serde(default)]
    pub comment: String,
}

/// What a sign-off said of the version's findings (JP-1).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct SignOffRecord {
    /// Each warning and error, acknowledged.
    pub acknowledged: Vec<AcknowledgedFinding>,
    /// The medical director's reason for signing off a plan with an error finding.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub override_reason: Option<String>,
}

/// The content of a new version.
#[derive(Debug, Clone)]
pub struct NewVersion<'a> {
    /// State after it.
    pub status: Status,
    /// What made it.
    pub action: &'a str,
    /// A note.
    pub note: &'a str,
    /// Document.
    pub document: &'a Value,
    /// Assessment: the version's total and superannuable pay are its figures.
    pub assessment: &'a Assessment,
    /// The named alternate a `refer` step sends the plan to (JP-4); `None` on every other version,
    /// which clears it.
    pub referral_alternate: Option<&'a str>,
    /// With a sign-off: what it said of the findings (JP-1); `None` on every other version.
    pub sign_off: Option<&'a SignOffRecord>,
}

impl NewVersion<'_> {
    /// The assessment's total PAs a week as it gives them, for the summary column.
    pub(crate) fn total_pas(&self) -> Option<String> {
        Some(tenpa_rules::money::number_text(self.assessment.pas.total))
    }

    /// The assessment as stored: its JSON.
    pub(crate) fn assessment_text(&self) -> Result<String> {
        serde_json::to_string(self.assessment)
            .map_err(|e| StoreError::Db(sqlx::Error::Encode(e.into())))
    }
}

/// Creates a job plan with its first version `$v` in the transaction `$tx`, audited as a creation;
/// evaluates to the new plan's id. [`Store::create_job_plan`] and the import of plans in bulk.
macro_rules! insert_job_plan {
    ($tx:ident, $actor:expr, $consultant_id:expr, $department_id:expr, $v:expr) => {{
        let v: &$crate::NewVersion<'_> = $v;
        let reserved = $crate::audit::audit_reserve!($tx);
        let at = $crate::now();
        let id: i64 = sqlx::query_scalar("INSERT INTO job_plans (consultant_id, department_id, status, version, created_at, updated_at, referral_alternate) VALUES ($1, $2, $3, 1, $4, $4, $5) RETURNING id")
            .bind($consultant_id).bind($department_id).bind(v.status.as_str()).bind(&at).bind(v.referral_alternate).fetch_one(&mut *$tx).await?;
        sqlx::query("INSERT INTO job_plan_versions (job_plan_id, version, status, action, note, document, assessment, total_pay_pence, superannuable_pence, created_by, created_at, total_pas) VALUES ($1, 1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11)")
            .bind(id).bind(v.status.as_str()).bind(v.action).bind(v.note).bind(v.document.to_string()).bind(v.assessment_text()?).bind(v.assessment.pay.total.pence()).bind(v.assessment.pay.superannuable.pence()).bind($actor).bind(&at).bind(v.total_pas())
            .execute(&mut *$tx).await?;
        let after = serde_json::json!({ "version": 1, "status": v.status, "document": v.document }).to_string();
        $crate::audit::audit_write!($tx, reserved, $actor, v.action, "job_plan", &id.to_string(), None, Some(after));
        id
    }};
}
pub(crate) use insert_job_plan;

/// New versions for one job plan, written together if `expected` is still its version: an on-call
/// change that follows a rota (JP-2), preceded by a `reopen` when the plan was signed off (JP-1).
#[derive(Debug, Clone)]
pub struct PlanVersions<'a> {
    /// The plan.
    pub job_plan_id: i64,
    /// The version the change was worked out from.
    pub expected: i64,
    /// The versions to add, in order.
    pub versions: Vec<NewVersion<'a>>,
}

/// What became of one plan's [`PlanVersions`].
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(tag = "outcome", rename_all = "snake_case")]
pub enum PlanOutcome {
    /// Written: the plan's new version.
    Saved {
        /// The plan.
        job_plan_id: i64,
        /// Its new current version.
        version: i64,
    },
    /// Not written: the plan moved on from the expected version meanwhile.
    Conflict {
        /// The plan.
        job_plan_id: i64,
        /// Its current version (`None` when it no longer exists).
        current: Option<i64>,
    },
}

/// Adds each plan's versions inside an open, audited transaction (after the caller's own
/// `audit_write!`): a plan whose version is no longer the expected one is left as it is and
/// reported as a conflict, so the rest of the transaction stands. Evaluates to
/// `Vec<PlanOutcome>`.
macro_rules! plan_versions_in_tx {
    ($tx:expr, $actor:expr, $plans:expr) => {{
        let mut outcomes = Vec::new();
        for p in $plans {
            let current: Option<i64> = sqlx::query_scalar("SELECT version FROM job_plans WHERE id = $1")
                .bind(p.job_plan_id).fetch_optional(&mut *$tx).await?;
            if current != Some(p.expected) {
                outcomes.push($crate::PlanOutcome::Conflict { job_plan_id: p.job_plan_id, current });
                continue;
            }
            let mut version = p.expected;
            for v in &p.versions {
                let reserved = $crate::audit::audit_reserve!($tx);
                let at = $crate::now();
                sqlx::query("UPDATE job_plans SET version = version + 1, status = $1, updated_at = $2, referral_alternate = $5 WHERE id = $3 AND version = $4")
                    .bind(v.status.as_str()).bind(&at).bind(p.job_plan_id).bind(version).bind(v.referral_alternate).execute(&mut *$tx).await?;
                let before: (String, String) = sqlx::query_as("SELECT status, document FROM job_plan_versions WHERE job_plan_id = $1 AND version = $2")
                    .bind(p.job_plan_id).bind(version).fetch_one(&mut *$tx).await?;
                sqlx::query("INSERT INTO job_plan_versions (job_plan_id, version, status, action, note, document, assessment, total_pay_pence, superannuable_pence, created_by, created_at, total_pas) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12)")
                    .bind(p.job_plan_id).bind(version + 1).bind(v.status.as_str()).bind(v.action).bind(v.note).bind(v.document.to_string()).bind(v.assessment_text()?).bind(v.assessment.pay.total.pence()).bind(v.assessment.pay.superannuable.pence()).bind($actor).bind(&at).bind(v.total_pas())
                    .execute(&mut *$tx).await?;
                let before = format!("{{\"version\":{version},\"status\":{},\"document\":{}}}", serde_json::Value::String(before.0), before.1);
                let after = serde_json::json!({ "version": version + 1, "status": v.status, "note": v.note, "document": v.document }).to_string();
                $crate::audit::audit_write!($tx, reserved, $actor, v.action, "job_plan", &p.job_plan_id.to_string(), Some(before), Some(after));
                version += 1;
            }
            outcomes.push($crate::PlanOutcome::Saved { job_plan_id: p.job_plan_id, version });
        }
        outcomes
    }};
}
pub(crate) use plan_versions_in_tx;

pub(crate) fn roles_text(roles: &[Role]) -> String {
    roles
        .iter()
        .map(|r| r.as_str())
        .collect::<Vec<_>>()
        .join(",")
}

/// A consultant's record as stored.
#[derive(sqlx::FromRow)]
struct ConsultantRow {
    id: String,
    name: String,
    department_id: i64,
    first_appointed: String,
    transferred: Option<String>,
    seniority_at_transfer: Option<i64>,
    lead_employer_id: Option<i64>,
}

impl ConsultantRow {
    /// The record, its dates read as dates; one that does not read is an error naming it.
    fn record(self) -> Result<ConsultantRecord> {
        let what = format!("consultant {}", self.id);
        Ok(ConsultantRecord {
            first_appointed: stored_date(
                &format!("{what}'s first_appointed"),
                &self.first_appointed,
            )?,
            transferred: stored_date_opt(
                &format!("{what}'s transferred"),
                self.transferred.as_deref(),
            )?,
            id: self.id,
            name: self.name,
            department_id: self.department_id,
            seniority_at_transfer: self.seniority_at_transfer,
            lead_employer_id: self.lead_employer_id,
        })
    }
}

/// An account as stored ([`USER_COLS`]).
#[derive(sqlx::FromRow)]
pub(crate) struct UserRow {
    pub(crate) id: i64,
    pub(crate) username: String,
    pub(crate) display_name: String,
    pub(crate) password_hash: String,
    pub(crate) roles: String,
    pub(crate) department_id: Option<i64>,
    pub(crate) consultant_id: Option<String>,
    pub(crate) email: Option<String>,
}

pub(crate) fn user(r: UserRow) -> User {
    User {
        id: r.id,
        username: r.username,
        display_name: r.display_name,
        password_hash: r.password_hash,
        roles: roles_of(&r.roles),
        department_id: r.department_id,
        consultant_id: r.consultant_id,
        email: r.email,
    }
}

/// Roles as stored: their names separated by commas.
pub(crate) fn roles_of(stored: &str) -> Vec<Role> {
    stored.split(',').filter_map(Role::parse).collect()
}

/// Why a second enabled account for one consultant record is refused, for a message naming the
/// field: the link is how the service knows a person's own plan (JP-1, two sides), so one person
/// has one enabled account.
pub fn second_account(consultant_id: &str, other: &str) -> String {
    format!("the consultant record {consultant_id} is linked to the enabled account {other} already; a consultant record has one enabled account (disable {other} first)")
}

/// [`second_account`] as the store's refusal (about the account's `consultant_id`).
pub(crate) fn second_account_refused(consultant_id: &str, other: &str) -> StoreError {
    StoreError::Refused(second_account(consultant_id, other))
}

pub(crate) const USER_COLS: &str =
    "u.id, u.username, u.display_name, u.password_hash, u.roles, u.department_id, u.consultant_id, u.email";
/// The columns of a plan summary (`SummaryRow`), then the tables they come from: written once, so
/// that every query reading summaries reads the same columns.
macro_rules! summary_columns {
    () => {
        "SELECT p.id, p.consultant_id, c.name AS consultant_name, d.name AS department, p.department_id, p.status, p.version, p.updated_at, v.total_pay_pence, v.superannuable_pence, p.referral_alternate, v.total_pas, \
         (SELECT u.roles FROM users u WHERE u.consultant_id = p.consultant_id AND u.disabled_at IS NULL ORDER BY u.id LIMIT 1) AS account_roles, \
         (SELECT u.department_id FROM users u WHERE u.consultant_id = p.consultant_id AND u.disabled_at IS NULL ORDER BY u.id LIMIT 1) AS account_department_id"
    };
}
macro_rules! summary_tables {
    () => {
        " FROM job_plans p JOIN consultants c ON c.id = p.consultant_id JOIN departments d ON d.id = p.department_id JOIN job_plan_versions v ON v.job_plan_id = p.id AND v.version = p.version"
    };
}
const SUMMARY: &str = concat!(summary_columns!(), summary_tables!());
/// A summary with the current version's document and assessment after its columns.
const SUMMARY_WITH_DOCUMENT: &str = concat!(
    summary_columns!(),
    ", v.document, v.assessment",
    summary_tables!()
);

/// A plan summary as stored ([`SUMMARY`]'s columns).
#[derive(sqlx::FromRow)]
struct SummaryRow {
    id: i64,
    consultant_id: String,
    consultant_name: String,
    department: String,
    department_id: i64,
    status: String,
    version: i64,
    updated_at: String,
    total_pay_pence: i64,
    superannuable_pence: i64,
    referral_alternate: Option<String>,
    total_pas: Option<String>,
    account_roles: Option<String>,
    account_department_id: Option<i64>,
}

/// A plan summary with its current version's document and assessment as stored
/// ([`SUMMARY_WITH_DOCUMENT`]'s columns).
#[derive(sqlx::FromRow)]
struct RecordRow {
    #[sqlx(flatten)]
    summary: SummaryRow,
    document: String,
    assessment: String,
}

impl RecordRow {
    /// The record; a document, assessment or state that does not read is an error naming the plan.
    fn record(self) -> Result<JobPlanRecord> {
        let id = self.summary.id;
        Ok(JobPlanRecord {
            summary: summary(self.summary)?,
            document: stored_json(&format!("job plan {id}'s document"), &self.document)?,
            assessment: stored_json(&format!("job plan {id}'s assessment"), &self.assessment)?,
        })
    }
}

/// One stored version as listed.
#[derive(sqlx::FromRow)]
struct VersionRow {
    version: i64,
    status: String,
    action: String,
    note: String,
    created_by: String,
    created_at: String,
    total_pay_pence: i64,
    sign_off: Option<String>,
}

/// A stored workflow state; one the service does not know is an error naming `what`, never taken
/// for another.
fn stored_status(what: &str, stored: &str) -> Result<Status> {
    crate::stored_state(what, stored, Status::parse)
}

/// A summary from its row; a workflow state the service does not know is an error, never taken
/// for another.
fn summary(r: SummaryRow) -> Result<JobPlanSummary> {
    let status = stored_status(&format!("job plan {}", r.id), &r.status)?;
    let total_pas = r
        .total_pas
        .map(|t| {
            t.parse().map_err(|e| {
                StoreError::Db(sqlx::Error::Decode(
                    format!("job plan {}'s total_pas: {t:?} is not a number: {e}", r.id).into(),
                ))
            })
        })
        .transpose()?;
    Ok(JobPlanSummary {
        id: r.id,
        consultant_id: r.consultant_id,
        consultant_name: r.consultant_name,
        department: r.department,
        department_id: r.department_id,
        status,
        version: r.version,
        updated_at: r.updated_at,
        total_pay_pence: r.total_pay_pence,
        superannuable_pence: r.superannuable_pence,
        referral_alternate: r.referral_alternate,
        total_pas,
        consultant_account: r
            .account_roles
            .map(|roles| (roles_of(&roles), r.account_department_id)),
    })
}

impl Store {
    /// Adds an employer (`trust`, `health_board` or `pct`).
    pub async fn create_employer(
        &self,
        actor: &str,
        name: &str,
        kind: &str,
        nation: &str,
    ) -> Result<i64> {
        on_pool!(self, pool => {
            let mut tx = pool.begin().await?;
            let reserved = audit_reserve!(tx);
            let id: i64 = sqlx::query_scalar("INSERT INTO employers (name, kind, nation) VALUES ($1, $2, $3) RETURNING id").bind(name).bind(kind).bind(nation).fetch_one(&mut *tx).await?;
            let after = serde_json::json!({ "name": name, "kind": kind, "nation": nation }).to_string();
            audit_write!(tx, reserved, actor, "create", "employer", &id.to_string(), None, Some(after));
            tx.commit().await?;
            Ok(id)
        })
    }

    /// The employers, by name.
    pub async fn employers(&self) -> Result<Vec<Employer>> {
        on_pool!(self, pool => {
            Ok(sqlx::query_as("SELECT id, name, kind, nation FROM employers ORDER BY name").fetch_all(pool).await?)
        })
    }

    /// The names of an employer's departments.
    pub async fn departments_of(&self, employer_id: i64) -> Result<Vec<String>> {
        on_pool!(self, pool => {
            Ok(sqlx::query_scalar("SELECT name FROM departments WHERE employer_id = $1 ORDER BY name").bind(employer_id).fetch_all(pool).await?)
        })
    }

    /// Adds a department of an employer.
    pub async fn create_department(
        &self,
        actor: &str,
        employer_id: i64,
        name: &str,
        specialty: &str,
    ) -> Result<i64> {
        on_pool!(self, pool => {
            let mut tx = pool.begin().await?;
            let reserved = audit_reserve!(tx);
            let id: i64 = sqlx::query_scalar("INSERT INTO departments (employer_id, name, specialty) VALUES ($1, $2, $3) RETURNING id").bind(employer_id).bind(name).bind(specialty).fetch_one(&mut *tx).await?;
            let after = serde_json::json!({ "employer_id": employer_id, "name": name, "specialty": specialty }).to_string();
            audit_write!(tx, reserved, actor, "create", "department", &id.to_string(), None, Some(after));
            tx.commit().await?;
            Ok(id)
        })
    }

    /// Every department, by name.
    pub async fn departments(&self) -> Result<Vec<Department>> {
        on_pool!(self, pool => {
            Ok(sqlx::query_as("SELECT id, employer_id, name, specialty, version FROM departments ORDER BY name, id").fetch_all(pool).await?)
        })
    }

    /// Adds a user account.
    pub async fn create_user(&self, actor: &str, u: &NewUser) -> Result<i64> {
        if u.username.trim().is_empty() {
            return Err(StoreError::invalid("username", "empty"));
        }
        on_pool!(self, pool => {
            let mut tx = pool.begin().await?;
            if let Some(c) = &u.consultant_id {
                let linked: Option<String> = sqlx::query_scalar("SELECT username FROM users WHERE consultant_id = $1 AND disabled_at IS NULL ORDER BY id LIMIT 1")
                    .bind(c).fetch_optional(&mut *tx).await?;
                if let Some(other) = linked {
                    tx.rollback().await?;
                    return Err(second_account_refused(c, &other));
                }
            }
            let reserved = audit_reserve!(tx);
            let id: i64 = sqlx::query_scalar("INSERT INTO users (username, display_name, password_hash, roles, department_id, consultant_id, created_at, email) VALUES ($1, $2, $3, $4, $5, $6, $7, $8) RETURNING id")
                .bind(&u.username).bind(&u.display_name).bind(&u.password_hash).bind(roles_text(&u.roles)).bind(u.department_id).bind(&u.consultant_id).bind(now()).bind(&u.email)
                .fetch_one(&mut *tx).await?;
            let after = serde_json::json!({ "username": u.username, "roles": roles_text(&u.roles), "department_id": u.department_id, "consultant_id": u.consultant_id }).to_string();
            audit_write!(tx, reserved, actor, "create", "user", &id.to_string(), None, Some(after));
            tx.commit().await?;
            Ok(id)
        })
    }

    /// The account with this username.
    pub async fn user_by_username(&self, username: &str) -> Result<Option<User>> {
        on_pool!(self, pool => {
            let r: Option<UserRow> = sqlx::query_as(&format!("SELECT {USER_COLS} FROM users u WHERE u.username = $1")).bind(username).fetch_optional(pool).await?;
            Ok(r.map(user))
        })
    }

    /// The username of the enabled account linked to consultant record `consultant_id`, if any.
    pub async fn account_for_consultant(&self, consultant_id: &str) -> Result<Option<String>> {
        on_pool!(self, pool => {
            Ok(sqlx::query_scalar("SELECT username FROM users WHERE consultant_id = $1 AND disabled_at IS NULL ORDER BY id LIMIT 1")
                .bind(consultant_id).fetch_optional(pool).await?)
        })
    }

    /// The accounts holding any of `roles`, by shown name.
    pub async fn users_with_roles(&self, roles: &[Role]) -> Result<Vec<User>> {
        let rows: Vec<UserRow> = on_pool!(self, pool => {
            sqlx::query_as(&format!("SELECT {USER_COLS} FROM users u ORDER BY u.display_name, u.username")).fetch_all(pool).await?
        });
        Ok(rows
            .into_iter()
            .map(user)
            .filter(|u| u.roles.iter().any(|r| roles.contains(r)))
            .collect())
    }

    /// Adds a consultant record.
    pub async fn create_consultant(&self, actor: &str, c: &ConsultantRecord) -> Result<()> {
        on_pool!(self, pool => {
            let mut tx = pool.begin().await?;
            let reserved = audit_reserve!(tx);
            sqlx::query("INSERT INTO consultants (id, name, department_id, first_appointed, transferred, seniority_at_transfer, lead_employer_id) VALUES ($1, $2, $3, $4, $5, $6, $7)")
                .bind(&c.id).bind(&c.name).bind(c.department_id).bind(c.first_appointed.to_string()).bind(c.transferred.map(|d| d.to_string())).bind(c.seniority_at_transfer).bind(c.lead_employer_id)
                .execute(&mut *tx).await?;
            audit_write!(tx, reserved, actor, "create", "consultant", &c.id, None, Some(serde_json::to_string(c).unwrap_or_default()));
            tx.commit().await?;
            Ok(())
        })
    }

    /// A consultant record.
    pub async fn consultant(&self, id: &str) -> Result<Option<ConsultantRecord>> {
        on_pool!(self, pool => {
            let r: Option<ConsultantRow> = sqlx::query_as("SELECT id, name, department_id, first_appointed, transferred, seniority_at_transfer, lead_employer_id FROM consultants WHERE id = $1")
                .bind(id).fetch_optional(pool).await?;
            r.map(ConsultantRow::record).transpose()
        })
    }

    /// The name of the lead employer on a consultant's record (JP-5); `None` when the record names
    /// none or there is no such consultant.
    pub async fn consultant_lead_employer(&self, consultant_id: &str) -> Result<Option<String>> {
        on_pool!(self, pool => {
            Ok(sqlx::query_scalar("SELECT e.name FROM consultants c JOIN employers e ON e.id = c.lead_employer_id WHERE c.id = $1")
                .bind(consultant_id).fetch_optional(pool).await?)
        })
    }

    /// Stores a session for `user_id` under the hash of its token.
    pub async fn create_session(
        &self,
        token_hash: &str,
        user_id: i64,
        expires_at: &str,
    ) -> Result<()> {
        on_pool!(self, pool => {
            sqlx::query("INSERT INTO sessions (token_hash, user_id, created_at, expires_at) VALUES ($1, $2, $3, $4)").bind(token_hash).bind(user_id).bind(now()).bind(expires_at).execute(pool).await?;
        });
        Ok(())
    }

    /// The user of an unexpired session, while the account is enabled.
    pub async fn session_user(&self, token_hash: &str) -> Result<Option<User>> {
        on_pool!(self, pool => {
            let r: Option<UserRow> = sqlx::query_as(&format!("SELECT {USER_COLS} FROM sessions s JOIN users u ON u.id = s.user_id WHERE s.token_hash = $1 AND s.expires_at > $2 AND u.disabled_at IS NULL"))
                .bind(token_hash).bind(now()).fetch_optional(pool).await?;
            Ok(r.map(user))
        })
    }

    /// Ends a session.
    pub async fn delete_session(&self, token_hash: &str) -> Result<()> {
        on_pool!(self, pool => {
            sqlx::query("DELETE FROM sessions WHERE token_hash = $1").bind(token_hash).execute(pool).await?;
        });
        Ok(())
    }

    /// Counts a sign-in attempt against each key before the password is checked, and returns each
    /// key's attempts in its window, this one included. One statement per key, so parallel
    /// attempts each see a different count. A key's window starts at its first attempt and ends at `since`
    /// (attempts older than `since` start a new window); keys whose window has ended are deleted.
    pub async fn sign_in_attempt(&self, keys: &[&str], since: &str) -> Result<Vec<i64>> {
        let at = now();
        on_pool!(self, pool => {
            sqlx::query("DELETE FROM sign_in_limits WHERE window_start <= $1").bind(since).execute(pool).await?;
            let mut counts = Vec::with_capacity(keys.len());
            for key in keys {
                let n: i64 = sqlx::query_scalar("INSERT INTO sign_in_limits (key, attempts, window_start) VALUES ($1, 1, $2) ON CONFLICT (key) DO UPDATE SET attempts = sign_in_limits.attempts + 1 RETURNING attempts")
                    .bind(key).bind(&at).fetch_one(pool).await?;
                counts.push(n);
            }
            Ok(counts)
        })
    }

    /// Takes back the attempts counted against `keys` (a sign-in that succeeded), and forgets
    /// `reset` altogether.
    pub async fn sign_in_succeeded(&self, keys: &[&str], reset: &str) -> Result<()> {
        on_pool!(self, pool => {
            let mut tx = pool.begin().await?;
            for key in keys {
                sqlx::query("UPDATE sign_in_limits SET attempts = attempts - 1 WHERE key = $1 AND attempts > 0").bind(key).execute(&mut *tx).await?;
            }
            sqlx::query("DELETE FROM sign_in_limits WHERE key = $1").bind(reset).execute(&mut *tx).await?;
            tx.commit().await?;
        });
        Ok(())
    }

    /// Creates a job plan with its first version.
    pub async fn create_job_plan(
        &self,
        actor: &str,
        consultant_id: &str,
        department_id: i64,
        v: &NewVersion<'_>,
    ) -> Result<i64> {
        on_pool!(self, pool => {
            let mut tx = pool.begin().await?;
            let id = insert_job_plan!(tx, actor, consultant_id, department_id, v);
            tx.commit().await?;
            Ok(id)
        })
    }

    /// Job plans in `scope`, by consultant name.
    pub async fn job_plans(&self, scope: &Scope) -> Result<Vec<JobPlanSummary>> {
        let Some((clause, dept, consultant)) =
            crate::scope_clause(scope, "p.department_id", "p.consultant_id")
        else {
            return Ok(vec![]);
        };
        let sql = format!("{SUMMARY}{clause} ORDER BY c.name, p.id");
        on_pool!(self, pool => {
            let mut q = sqlx::query_as::<_, SummaryRow>(&sql);
            if let Some(d) = dept { q = q.bind(d); }
            if let Some(c) = consultant { q = q.bind(c); }
            q.fetch_all(pool).await?.into_iter().map(summary).collect()
        })
    }

    /// Job plans with `username` as the named alternate (JP-4's referral, or the sign-off of the
    /// medical director's own plan), by consultant name ([`JobPlanSummary::is_with_alternate`]).
    pub async fn job_plans_referred_to(&self, username: &str) -> Result<Vec<JobPlanSummary>> {
        let sql = format!("{SUMMARY} WHERE p.referral_alternate = $1 AND p.status IN ('referred', 'cd_signed_off') ORDER BY c.name, p.id");
        on_pool!(self, pool => {
            let rows: Vec<SummaryRow> = sqlx::query_as(&sql).bind(username).fetch_all(pool).await?;
            rows.into_iter().map(summary).collect()
        })
    }

    /// Job plans in `scope` with their current version's document and assessment, by consultant
    /// name, in one query (for lists that show figures of every plan).
    pub async fn job_plans_with_assessments(&self, scope: &Scope) -> Result<Vec<JobPlanRecord>> {
        let Some((clause, dept, consultant)) =
            crate::scope_clause(scope, "p.department_id", "p.consultant_id")
        else {
            return Ok(vec![]);
        };
        let sql = format!("{SUMMARY_WITH_DOCUMENT}{clause} ORDER BY c.name, p.id");
        let rows: Vec<RecordRow> = on_pool!(self, pool => {
            let mut q = sqlx::query_as::<_, RecordRow>(&sql);
            if let Some(d) = dept { q = q.bind(d); }
            if let Some(c) = consultant { q = q.bind(c); }
            q.fetch_all(pool).await?
        });
        rows.into_iter().map(RecordRow::record).collect()
    }

    /// One job plan with its current version.
    pub async fn job_plan(&self, id: i64) -> Result<Option<JobPlanRecord>> {
        on_pool!(self, pool => {
            let r: Option<RecordRow> = sqlx::query_as(&format!("{SUMMARY_WITH_DOCUMENT} WHERE p.id = $1")).bind(id).fetch_optional(pool).await?;
            r.map(RecordRow::record).transpose()
        })
    }

    /// Every version of a job plan, oldest first.
    pub async fn job_plan_versions(&self, id: i64) -> Result<Vec<VersionRecord>> {
        on_pool!(self, pool => {
            let rows: Vec<VersionRow> = sqlx::query_as("SELECT version, status, action, note, created_by, created_at, total_pay_pence, sign_off FROM job_plan_versions WHERE job_plan_id = $1 ORDER BY version").bind(id).fetch_all(pool).await?;
            rows.into_iter()
                .map(|r| {
                    let what = format!("job plan {id} version {}", r.version);
                    Ok(VersionRecord {
                        sign_off: r.sign_off.as_deref().map(|s| stored_json(&format!("{what}'s sign_off"), s)).transpose()?,
                        status: stored_status(&what, &r.status)?,
                        version: r.version,
                        action: r.action,
                        note: r.note,
                        created_by: r.created_by,
                        created_at: r.created_at,
                        total_pay_pence: r.total_pay_pence,
                    })
                })
                .collect()
        })
    }

    /// One stored version's document and assessment.
    pub async fn job_plan_version(
        &self,
        id: i64,
        version: i64,
    ) -> Result<Option<(Value, Assessment)>> {
        on_pool!(self, pool => {
            let r: Option<(String, String)> = sqlx::query_as("SELECT document, assessment FROM job_plan_versions WHERE job_plan_id = $1 AND version = $2").bind(id).bind(version).fetch_optional(pool).await?;
            r.map(|(d, a)| {
                let what = format!("job plan {id} version {version}");
                Ok((stored_json(&format!("{what}'s document"), &d)?, stored_json(&format!("{what}'s assessment"), &a)?))
            })
            .transpose()
        })
    }

    /// Adds a version to a job plan, if `expected` is still its current version.
    pub async fn add_job_plan_version(
        &self,
        actor: &str,
        id: i64,
        expected: i64,
        v: &NewVersion<'_>,
    ) -> Result<i64> {
        on_pool!(self, pool => {
            let mut tx = pool.begin().await?;
            let reserved = audit_reserve!(tx);
            let at = now();
            versioned_update!(tx, sqlx::query("UPDATE job_plans SET version = version + 1, status = $1, updated_at = $2, referral_alternate = $5 WHERE id = $3 AND version = $4").bind(v.status.as_str()).bind(&at).bind(id).bind(expected).bind(v.referral_alternate), "job_plans", "job plan", id, expected);
            let version = expected + 1;
            let before: (String, String) = sqlx::query_as("SELECT status, document FROM job_plan_versions WHERE job_plan_id = $1 AND version = $2").bind(id).bind(expected).fetch_one(&mut *tx).await?;
            let sign_off = v.sign_off.map(serde_json::to_value).transpose().map_err(|e| StoreError::Db(sqlx::Error::Encode(e.into())))?;
            sqlx::query("INSERT INTO job_plan_versions (job_plan_id, version, status, action, note, document, assessment, total_pay_pence, superannuable_pence, created_by, created_at, total_pas, sign_off) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13)")
                .bind(id).bind(version).bind(v.status.as_str()).bind(v.action).bind(v.note).bind(v.document.to_string()).bind(v.assessment_text()?).bind(v.assessment.pay.total.pence()).bind(v.assessment.pay.superannuable.pence()).bind(actor).bind(&at).bind(v.total_pas()).bind(sign_off.as_ref().map(Value::to_string))
                .execute(&mut *tx).await?;
            let before = format!("{{\"version\":{expected},\"status\":{},\"document\":{}}}", Value::String(before.0), before.1);
            let mut after = serde_json::json!({ "version": version, "status": v.status, "note": v.note, "document": v.document });
            if let Some(alternate) = v.referral_alternate {
                after["referral_alternate"] = Value::String(alternate.to_string());
            }
            if let Some(sign_off) = sign_off {
                after["sign_off"] = sign_off;
            }
            let after = after.to_string();
            audit_write!(tx, reserved, actor, v.action, "job_plan", &id.to_string(), Some(before), Some(after));
            tx.commit().await?;
            Ok(version)
        })
    }

    /// Adds each plan's versions in one audited transaction; a plan that moved on from its
    /// expected version is reported as a conflict and left as it is.
    pub async fn add_plan_versions(
        &self,
        actor: &str,
        plans: &[PlanVersions<'_>],
    ) -> Result<Vec<PlanOutcome>> {
        if plans.is_empty() {
            return Ok(vec![]);
        }
        on_pool!(self, pool => {
            let mut tx = pool.begin().await?;
            let outcomes = plan_versions_in_tx!(tx, actor, plans);
            tx.commit().await?;
            Ok(outcomes)
        })
    }
}
