//! The trust's organisation — its employers, their departments, the consultant records and the
//! accounts people sign in with — as checked operations that the pages, the API and the command
//! share: one set of checks, one wording of each refusal (naming the field, the value found and
//! what was expected), every change audited by the store in its own transaction.
//!
//! Who may, in one place: [`may_administer`] (an administrator) adds employers, departments and
//! accounts and changes accounts; [`may_keep_records`] (an administrator or medical staffing)
//! reads and imports consultant records. Everyone signed in may read the employers and
//! departments, which every page names.

use crate::auth;
use crate::error::AppError;
use serde::{Deserialize, Serialize};
use std::collections::HashMap;
use tenpa_rules::job_planning::Role;
use tenpa_store::{NewUser, Store, StoreError, User};
use utoipa::ToSchema;

/// The longest name of an employer or department, in characters.
pub const MAX_NAME: usize = 200;
/// The longest display name of an account, in characters.
pub const MAX_DISPLAY_NAME: usize = 200;
/// The shortest password accepted, in characters.
pub const MIN_PASSWORD: usize = 12;
/// The longest password accepted, in characters.
pub const MAX_PASSWORD: usize = 1024;
/// The kinds of employer.
pub const KINDS: [&str; 3] = ["trust", "health_board", "pct"];
/// The nations an employer may be in (clinical excellence awards apply in England and Wales).
pub const NATIONS: [&str; 4] = ["england", "wales", "scotland", "northern_ireland"];

/// Whether `u` may add employers, departments and accounts and change accounts.
pub fn may_administer(u: &User) -> bool {
    u.has(Role::Admin)
}

/// Whether `u` may read and import the trust's consultant records.
pub fn may_keep_records(u: &User) -> bool {
    u.has(Role::Admin) || u.has(Role::MedicalStaffing)
}

fn invalid(field: &str, detail: String) -> AppError {
    AppError::Unprocessable {
        detail,
        field: Some(field.into()),
    }
}

/// A name of 1 to [`MAX_NAME`] characters without control characters, trimmed; else 422 naming
/// `field`.
pub fn checked_name(field: &str, name: &str) -> Result<String, AppError> {
    let name = name.trim();
    if name.is_empty() || name.chars().count() > MAX_NAME || name.chars().any(char::is_control) {
        return Err(invalid(
            field,
            format!("{field}: found {name:?}, expected a name of 1 to {MAX_NAME} characters"),
        ));
    }
    Ok(name.to_string())
}

fn one_of(field: &str, value: &str, allowed: &[&str]) -> Result<String, AppError> {
    if allowed.contains(&value) {
        Ok(value.to_string())
    } else {
        Err(invalid(
            field,
            format!(
                "{field}: found {value:?}, expected one of {}",
                allowed.join(", ")
            ),
        ))
    }
}

fn default_kind() -> String {
    KINDS[0].into()
}

fn default_nation() -> String {
    NATIONS[0].into()
}

/// An employer to add.
#[derive(Debug, Clone, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct NewEmployer {
    /// Its name, unique.
    pub name: String,
    /// `trust` (the default), `health_board` or `pct`.
    #[serde(default = "default_kind")]
    pub kind: String,
    /// `england` (the default), `wales`, `scotland` or `northern_ireland`.
    #[serde(default = "default_nation")]
    pub nation: String,
}

/// An employer: the trust, or another NHS employer a consultant works for (JP-5).
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct Employer {
    /// Id.
    pub id: i64,
    /// Name.
    pub name: String,
    /// `trust`, `health_board` or `pct`.
    pub kind: String,
    /// The nation it is in.
    pub nation: String,
}

/// The employers, by name.
pub async fn employers(store: &Store) -> Result<Vec<Employer>, AppError> {
    Ok(store
        .employers()
        .await?
        .into_iter()
        .map(|(id, name, kind, nation)| Employer {
            id,
            name,
            kind,
            nation,
        })
        .collect())
}

/// Adds an employer, audited. 422 naming `name` (empty, too long, or in use), `kind` or `nation`.
pub async fn add_employer(
    store: &Store,
    actor: &str,
    e: &NewEmployer,
) -> Result<Employer, AppError> {
    let name = checked_name("name", &e.name)?;
    let kind = one_of("kind", &e.kind, &KINDS)?;
    let nation = one_of("nation", &e.nation, &NATIONS)?;
    if store.employers().await?.iter().any(|x| x.1 == name) {
        return Err(invalid(
            "name",
            format!("name: an employer named {name:?} exists already"),
        ));
    }
    let id = store.create_employer(actor, &name, &kind, &nation).await?;
    Ok(Employer {
        id,
        name,
        kind,
        nation,
    })
}

/// A department to add.
#[derive(Debug, Clone, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct NewDepartment {
    /// Its name, unique within the employer (as the staff record names it).
    pub name: String,
    /// The employer, by id; may be left out when there is only one.
    #[serde(default)]
    pub employer_id: Option<i64>,
    /// Its specialty (for instance "General surgery").
    #[serde(default)]
    pub specialty: String,
}

/// A department of an employer.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct Department {
    /// Id.
    pub id: i64,
    /// The employer, by id.
    pub employer_id: i64,
    /// Name.
    pub name: String,
    /// Specialty.
    pub specialty: String,
}

/// The departments, by name.
pub async fn departments(store: &Store) -> Result<Vec<Department>, AppError> {
    Ok(store
        .departments_with_employer()
        .await?
        .into_iter()
        .map(|(id, employer_id, name, specialty)| Department {
            id,
            employer_id,
            name,
            specialty,
        })
        .collect())
}

/// Adds a department, audited. The employer may be left out when there is only one. 422 naming
/// `name` (empty, too long, or in use within the employer, whatever its case), `specialty` or
/// `employer_id` (unknown, none yet, or several to choose from).
pub async fn add_department(
    store: &Store,
    actor: &str,
    d: &NewDepartment,
) -> Result<Department, AppError> {
    let name = checked_name("name", &d.name)?;
    let specialty = d.specialty.trim().to_string();
    if specialty.chars().count() > MAX_NAME || specialty.chars().any(char::is_control) {
        return Err(invalid(
            "specialty",
            format!("specialty: found {specialty:?}, expected at most {MAX_NAME} characters"),
        ));
    }
    let employers = store.employers().await?;
    let employer_id = match (d.employer_id, employers.as_slice()) {
        (Some(id), list) if list.iter().any(|e| e.0 == id) => id,
        (Some(id), _) => {
            return Err(invalid(
                "employer_id",
                format!("employer_id: found {id}, expected the id of an employer"),
            ))
        }
        (None, [only]) => only.0,
        (None, []) => {
            return Err(invalid(
                "employer_id",
                "employer_id: there is no employer yet: add the trust first (on the set-up page, with POST /api/v1/employers, or with tenpa employers add NAME)".into(),
            ))
        }
        (None, _) => {
            return Err(invalid(
                "employer_id",
                "employer_id: there are several employers, expected the id of one".into(),
            ))
        }
    };
    if store
        .departments_of(employer_id)
        .await?
        .iter()
        .any(|x| x.eq_ignore_ascii_case(&name))
    {
        return Err(invalid(
            "name",
            format!("name: the employer has a department named {name:?} already"),
        ));
    }
    let id = store
        .create_department(actor, employer_id, &name, &specialty)
        .await?;
    Ok(Department {
        id,
        employer_id,
        name,
        specialty,
    })
}

/// A change to a department, made on its `version`.
#[derive(Debug, Clone, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct DepartmentEdit {
    /// The version the change was made on; 409 when the department has moved on.
    pub version: i64,
    /// Its name, unique within its employer whatever its case.
    pub name: String,
    /// Its specialty.
    #[serde(default)]
    pub specialty: String,
}

/// A department with its version and its clinical directors.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct DepartmentView {
    /// Id.
    pub id: i64,
    /// The employer, by id.
    pub employer_id: i64,
    /// Name.
    pub name: String,
    /// Specialty.
    pub specialty: String,
    /// Its version: name it in a change.
    pub version: i64,
    /// The enabled accounts holding the clinical director role in it (their department is this).
    pub clinical_directors: Vec<String>,
}

/// One department with its version and clinical directors; 404 when there is none.
pub async fn department(store: &Store, id: i64) -> Result<DepartmentView, AppError> {
    let (employer_id, name, specialty, version) = store
        .department(id)
        .await?
        .ok_or_else(|| AppError::NotFound(format!("the department {id} does not exist")))?;
    let clinical_directors = store
        .accounts()
        .await?
        .into_iter()
        .filter(|a| {
            a.disabled_at.is_none()
                && a.user.department_id == Some(id)
                && a.user.has(Role::ClinicalDirector)
        })
        .map(|a| a.user.username)
        .collect();
    Ok(DepartmentView {
        id,
        employer_id,
        name,
        specialty,
        version,
        clinical_directors,
    })
}

/// Renames a department or changes its specialty, made on `e.version`, audited. An
/// administrator. 404 for none; 409 when it has moved on; 422 naming `name` or `specialty`.
pub async fn edit_department(
    store: &Store,
    user: &User,
    id: i64,
    e: &DepartmentEdit,
) -> Result<DepartmentView, AppError> {
    if !may_administer(user) {
        return Err(AppError::Forbidden(
            "departments are kept by an administrator".into(),
        ));
    }
    let name = checked_name("name", &e.name)?;
    let specialty = e.specialty.trim();
    if specialty.chars().count() > MAX_NAME || specialty.chars().any(char::is_control) {
        return Err(invalid(
            "specialty",
            format!("specialty: found {specialty:?}, expected at most {MAX_NAME} characters"),
        ));
    }
    store
        .update_department(&user.username, id, e.version, &name, specialty)
        .await
        .map_err(|err| match err {
            StoreError::Conflict { current, .. } => AppError::Conflict {
                detail: format!("the department has been changed since version {}: it is at version {current}; reload it and make your change again", e.version),
                current_version: Some(current),
            },
            StoreError::Invalid(d) => invalid("name", d),
            other => other.into(),
        })?;
    department(store, id).await
}

/// A consultant record as the trust keeps it, with the account linked to it.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct ConsultantRecordView {
    /// The record's id: the assignment number when it came from the staff record.
    pub id: String,
    /// Name.
    pub name: String,
    /// The department, by id.
    pub department_id: i64,
    /// The GMC reference number, if recorded.
    pub gmc_number: Option<String>,
    /// Contracted PAs a week, if recorded.
    pub contracted_pas: Option<String>,
    /// First appointment as a consultant (ISO date).
    pub first_appointed: String,
    /// Start in the post (ISO date), if recorded.
    pub start_date: Option<String>,
    /// The enabled account linked to the record, if any.
    pub account: Option<String>,
}

/// The consultant records, by name, each with its linked enabled account.
pub async fn consultant_records(store: &Store) -> Result<Vec<ConsultantRecordView>, AppError> {
    let accounts: HashMap<String, String> = store
        .accounts()
        .await?
        .into_iter()
        .filter(|a| a.disabled_at.is_none())
        .filter_map(|a| a.user.consultant_id.map(|c| (c, a.user.username)))
        .collect();
    let mut records: Vec<ConsultantRecordView> = store
        .staff_records()
        .await?
        .into_values()
        .map(|r| ConsultantRecordView {
            account: accounts.get(&r.assignment_number).cloned(),
            id: r.assignment_number,
            name: r.name,
            department_id: r.department_id,
            gmc_number: r.gmc_number,
            contracted_pas: r.contracted_pas,
            first_appointed: r.first_appointed,
            start_date: r.start_date,
        })
        .collect();
    records.sort_by(|a, b| a.name.cmp(&b.name).then(a.id.cmp(&b.id)));
    Ok(records)
}

/// An edit of a consultant record, made on its `version`.
#[derive(Debug, Clone, Default, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct RecordEdit {
    /// The version the edit was made on; 409 when the record has moved on.
    pub version: i64,
    /// Name.
    pub name: String,
    /// GMC reference number: seven digits; absent or empty for none.
    #[serde(default)]
    pub gmc_number: Option<String>,
    /// Department, by id.
    pub department_id: i64,
    /// Contracted PAs a week as decimal text (`10`, `7.5`), more than 0 and at most 20; absent or
    /// empty for none.
    #[serde(default)]
    pub contracted_pas: Option<String>,
    /// First appointment as a consultant (`YYYY-MM-DD`), not after today.
    pub first_appointed: String,
    /// Start in the post (`YYYY-MM-DD`), not before the first appointment.
    #[serde(default)]
    pub start_date: Option<String>,
    /// Transfer to the contract (`YYYY-MM-DD`), existing consultants only, not before the first
    /// appointment.
    #[serde(default)]
    pub transferred: Option<String>,
    /// Years of seniority at transfer (TR-1), 0 to 40, with a transfer date only.
    #[serde(default)]
    pub seniority_at_transfer: Option<i64>,
}

/// A consultant record with its version.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct RecordView {
    /// The record's id (its assignment number).
    pub id: String,
    /// Its version: name it in an edit.
    pub version: i64,
    /// Name.
    pub name: String,
    /// GMC reference number.
    pub gmc_number: Option<String>,
    /// Department, by id.
    pub department_id: i64,
    /// Contracted PAs a week.
    pub contracted_pas: Option<String>,
    /// First appointment as a consultant.
    pub first_appointed: String,
    /// Start in the post.
    pub start_date: Option<String>,
    /// Transfer to the contract.
    pub transferred: Option<String>,
    /// Seniority at transfer.
    pub seniority_at_transfer: Option<i64>,
    /// The enabled account linked to it.
    pub account: Option<String>,
}

/// One consultant record with its version; 404 when there is none.
pub async fn consultant_record(store: &Store, id: &str) -> Result<RecordView, AppError> {
    let (f, version) = store
        .consultant_record(id)
        .await?
        .ok_or_else(|| AppError::NotFound(format!("the consultant record {id} does not exist")))?;
    Ok(RecordView {
        id: id.to_string(),
        version,
        name: f.name,
        gmc_number: f.gmc_number,
        department_id: f.department_id,
        contracted_pas: f.contracted_pas,
        first_appointed: f.first_appointed,
        start_date: f.start_date,
        transferred: f.transferred,
        seniority_at_transfer: f.seniority_at_transfer,
        account: store.account_for_consultant(id).await?,
    })
}

fn optional(value: &Option<String>) -> Option<&str> {
    value.as_deref().map(str::trim).filter(|v| !v.is_empty())
}

fn iso_date(field: &str, value: &str) -> Result<chrono::NaiveDate, AppError> {
    chrono::NaiveDate::parse_from_str(value, "%Y-%m-%d").map_err(|_| {
        invalid(
            field,
            format!("{field}: found {value:?}, expected a date as YYYY-MM-DD"),
        )
    })
}

/// Checks an edit's fields, naming the first at fault.
fn checked_record(
    e: &RecordEdit,
    today: chrono::NaiveDate,
) -> Result<tenpa_store::RecordFields, AppError> {
    let name = checked_name("name", &e.name)?;
    let gmc_number = match optional(&e.gmc_number) {
        Some(g) if g.len() == 7 && g.bytes().all(|b| b.is_ascii_digit()) => Some(g.to_string()),
        Some(g) => {
            return Err(invalid(
                "gmc_number",
                format!("gmc_number: found {g:?}, expected the GMC reference number of 7 digits"),
            ))
        }
        None => None,
    };
    let contracted_pas = match optional(&e.contracted_pas) {
        Some(p) => match p.parse::<rust_decimal::Decimal>() {
            Ok(d) if d > rust_decimal::Decimal::ZERO && d <= rust_decimal::Decimal::from(20) => {
                Some(d.normalize().to_string())
            }
            _ => {
                return Err(invalid(
                    "contracted_pas",
                    format!("contracted_pas: found {p:?}, expected PAs a week, more than 0 and at most 20, like 10 or 7.5"),
                ))
            }
        },
        None => None,
    };
    let first = iso_date("first_appointed", e.first_appointed.trim())?;
    if first > today {
        return Err(invalid(
            "first_appointed",
            format!("first_appointed: found {first}, expected a date not after today ({today})"),
        ));
    }
    let after_first = |field: &str, value: Option<&str>| -> Result<Option<String>, AppError> {
        match value {
            Some(v) => {
                let d = iso_date(field, v)?;
                if d < first {
                    return Err(invalid(
                        field,
                        format!("{field}: found {d}, expected a date on or after the first appointment ({first})"),
                    ));
                }
                Ok(Some(d.to_string()))
            }
            None => Ok(None),
        }
    };
    let start_date = after_first("start_date", optional(&e.start_date))?;
    let transferred = after_first("transferred", optional(&e.transferred))?;
    match (e.seniority_at_transfer, &transferred) {
        (Some(s), _) if !(0..=40).contains(&s) => {
            return Err(invalid(
                "seniority_at_transfer",
                format!("seniority_at_transfer: found {s}, expected years from 0 to 40"),
            ))
        }
        (Some(_), None) => {
            return Err(invalid(
                "seniority_at_transfer",
                "seniority_at_transfer: given without a transfer date, expected it with `transferred` (an existing consultant's move to the contract)".into(),
            ))
        }
        _ => {}
    }
    Ok(tenpa_store::RecordFields {
        name,
        gmc_number,
        department_id: e.department_id,
        contracted_pas,
        first_appointed: first.to_string(),
        start_date,
        transferred,
        seniority_at_transfer: e.seniority_at_transfer,
    })
}

/// Edits a consultant record made on `e.version`, audited with before and after. An administrator
/// or medical staffing, never on their own record (JP-1, 403). 404 for no such record; 409 when
/// it has moved on (naming its version); 422 naming the field at fault.
pub async fn edit_consultant_record(
    store: &Store,
    user: &User,
    id: &str,
    e: &RecordEdit,
) -> Result<RecordView, AppError> {
    if !may_keep_records(user) {
        return Err(AppError::Forbidden(
            "consultant records are kept by an administrator or medical staffing".into(),
        ));
    }
    if auth::is_own_record(user, id) {
        return Err(AppError::Forbidden(auth::OWN_RECORD.into()));
    }
    let today = crate::establishment::uk_date(chrono::Utc::now());
    let fields = checked_record(e, today)?;
    store
        .update_consultant_record(&user.username, id, e.version, &fields)
        .await
        .map_err(|err| match err {
            StoreError::Conflict { current, .. } => AppError::Conflict {
                detail: format!("the record has been changed since version {}: it is at version {current}; reload it and make your change again", e.version),
                current_version: Some(current),
            },
            StoreError::Invalid(d) => invalid("department_id", d),
            other => other.into(),
        })?;
    consultant_record(store, id).await
}

/// An account to add.
#[derive(Debug, Clone, Default, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct NewAccount {
    /// The sign-in name: letters, digits, `.`, `-`, `_`, `@`; at most 200 characters.
    pub username: String,
    /// The shown name (default: the username).
    #[serde(default)]
    pub display_name: Option<String>,
    /// At least one role: `consultant`, `clinical_director`, `medical_director`,
    /// `medical_staffing`, `chief_executive`, `board_chair`, `board_member`, `admin`.
    pub roles: Vec<String>,
    /// A password of 12 to 1,024 characters; left out, the account signs in only through the
    /// identity provider (OpenID Connect).
    #[serde(default)]
    pub password: Option<String>,
    /// The department (of a clinical director or consultant), by id.
    #[serde(default)]
    pub department_id: Option<i64>,
    /// The consultant record of the person who holds the account, by id.
    #[serde(default)]
    pub consultant_id: Option<String>,
}

/// An account, never its password.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct AccountView {
    /// Sign-in name.
    pub username: String,
    /// Shown name.
    pub display_name: String,
    /// Roles.
    pub roles: Vec<String>,
    /// Department, by id.
    pub department_id: Option<i64>,
    /// Consultant record, by id.
    pub consultant_id: Option<String>,
    /// Whether it signs in with a password (else only through the identity provider).
    pub password: bool,
    /// When it was disabled; absent while it is enabled.
    pub disabled_at: Option<String>,
}

fn view(a: tenpa_store::Account) -> AccountView {
    AccountView {
        password: !a.user.password_hash.is_empty(),
        username: a.user.username,
        display_name: a.user.display_name,
        roles: a
            .user
            .roles
            .iter()
            .map(|r| r.as_str().to_string())
            .collect(),
        department_id: a.user.department_id,
        consultant_id: a.user.consultant_id,
        disabled_at: a.disabled_at,
    }
}

/// Every account, by username.
pub async fn accounts(store: &Store) -> Result<Vec<AccountView>, AppError> {
    Ok(store.accounts().await?.into_iter().map(view).collect())
}

/// One account; 404 when there is none of that name.
pub async fn account(store: &Store, username: &str) -> Result<AccountView, AppError> {
    store
        .account(username)
        .await?
        .map(view)
        .ok_or_else(|| AppError::NotFound(format!("the account {username} does not exist")))
}

/// The roles named, each once; 422 naming `roles` for an unknown one or none.
pub fn checked_roles(given: &[String]) -> Result<Vec<Role>, AppError> {
    let mut roles = Vec::new();
    for name in given.iter().flat_map(|g| g.split(',')).map(str::trim) {
        if name.is_empty() {
            continue;
        }
        let Some(role) = Role::parse(name) else {
            let valid: Vec<&str> = Role::ALL.iter().map(|r| r.as_str()).collect();
            return Err(invalid(
                "roles",
                format!(
                    "roles: found {name:?}, expected one or more of {}",
                    valid.join(", ")
                ),
            ));
        };
        if !roles.contains(&role) {
            roles.push(role);
        }
    }
    if roles.is_empty() {
        return Err(invalid("roles", "roles: expected at least one role".into()));
    }
    Ok(roles)
}

/// A display name (the username when none is given): 1 to [`MAX_DISPLAY_NAME`] characters
/// without control characters; 422 naming `display_name`.
pub fn checked_display_name(given: Option<&str>, username: &str) -> Result<String, AppError> {
    let name = given
        .map(str::trim)
        .filter(|g| !g.is_empty())
        .unwrap_or(username);
    let length = name.chars().count();
    if length == 0 || length > MAX_DISPLAY_NAME || name.chars().any(char::is_control) {
        return Err(invalid(
            "display_name",
            format!("display_name: found {length} characters, expected 1 to {MAX_DISPLAY_NAME} without control characters"),
        ));
    }
    Ok(name.to_string())
}

/// A password's length: [`MIN_PASSWORD`] to [`MAX_PASSWORD`] characters; 422 naming `password`.
pub fn checked_password(password: &str) -> Result<(), AppError> {
    let length = password.chars().count();
    if !(MIN_PASSWORD..=MAX_PASSWORD).contains(&length) {
        return Err(invalid(
            "password",
            format!(
                "password: found {length} characters, expected {MIN_PASSWORD} to {MAX_PASSWORD}"
            ),
        ));
    }
    Ok(())
}

/// A store refusal about the link to a consultant record (a second enabled account) as a 422
/// naming `consultant_id`; other errors as they are.
fn link_refusal(e: StoreError) -> AppError {
    match e {
        StoreError::Refused(d) => invalid("consultant_id", d),
        StoreError::Invalid(d) => {
            let field = d.split(':').next().unwrap_or("").to_string();
            AppError::Unprocessable {
                field: (!field.is_empty() && !field.contains(' ')).then_some(field),
                detail: d,
            }
        }
        e => e.into(),
    }
}

/// Adds an account, audited; its password (if any) hashed with argon2id off the request threads.
/// 422 naming `username` (shape, or taken), `display_name`, `roles`, `password`, `department_id`
/// or `consultant_id` (unknown, or a record with another enabled account).
pub async fn add_account(
    store: &Store,
    actor: &str,
    a: &NewAccount,
) -> Result<AccountView, AppError> {
    let username = a.username.trim();
    if !auth::is_username(username) {
        return Err(invalid(
            "username",
            format!("username: found {username:?}, expected 1 to {} letters, digits, '.', '-', '_' or '@'", auth::MAX_USERNAME),
        ));
    }
    let display_name = checked_display_name(a.display_name.as_deref(), username)?;
    let roles = checked_roles(&a.roles)?;
    if let Some(p) = &a.password {
        checked_password(p)?;
    }
    if store.account(username).await?.is_some() {
        return Err(invalid(
            "username",
            format!("username: the account {username} exists already"),
        ));
    }
    if let Some(d) = a.department_id {
        if !store.departments().await?.iter().any(|x| x.0 == d) {
            return Err(invalid(
                "department_id",
                format!("department_id: found {d}, expected the id of a department"),
            ));
        }
    }
    let consultant_id = a
        .consultant_id
        .as_deref()
        .map(str::trim)
        .filter(|c| !c.is_empty());
    if let Some(c) = consultant_id {
        if store.consultant(c).await?.is_none() {
            return Err(invalid(
                "consultant_id",
                format!("consultant_id: found {c:?}, expected the id of a consultant record"),
            ));
        }
    }
    let password_hash = match a.password.clone() {
        None => String::new(),
        Some(p) => tokio::task::spawn_blocking(move || auth::hash_password(&p))
            .await
            .map_err(|e| AppError::Internal(format!("hashing the password stopped: {e}")))?,
    };
    let new = NewUser {
        username: username.to_string(),
        display_name,
        password_hash,
        roles,
        department_id: a.department_id,
        consultant_id: consultant_id.map(str::to_string),
    };
    store.create_user(actor, &new).await.map_err(link_refusal)?;
    account(store, username).await
}

/// Disables (`enabled` false) or enables an account, audited; disabling ends its sessions.
/// 404 for an unknown account; 409 for the last enabled administrator, or enabling an account
/// whose consultant record has another enabled account. Returns whether anything changed.
pub async fn set_enabled(
    store: &Store,
    actor: &str,
    username: &str,
    enabled: bool,
) -> Result<bool, AppError> {
    store
        .set_user_disabled(actor, username, !enabled)
        .await
        .map_err(|e| match e {
            StoreError::Refused(d) => AppError::Conflict {
                detail: d,
                current_version: None,
            },
            e => e.into(),
        })
}

/// An account's links: its department and the consultant record of the person who holds it.
#[derive(Debug, Clone, Default, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct Links {
    /// The department, by id; absent or null for none.
    #[serde(default)]
    pub department_id: Option<i64>,
    /// The consultant record, by id; absent or null for none.
    #[serde(default)]
    pub consultant_id: Option<String>,
}

/// Sets an account's links, audited with before and after. 404 for an unknown account; 422
/// naming `department_id` or `consultant_id` (unknown, or a record with another enabled
/// account). Returns whether anything changed.
pub async fn set_links(
    store: &Store,
    actor: &str,
    username: &str,
    links: &Links,
) -> Result<bool, AppError> {
    let consultant_id = links
        .consultant_id
        .as_deref()
        .map(str::trim)
        .filter(|c| !c.is_empty());
    store
        .set_user_links(actor, username, links.department_id, consultant_id)
        .await
        .map_err(link_refusal)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn field(e: AppError) -> Option<String> {
        match e {
            AppError::Unprocessable { field, .. } => field,
            _ => None,
        }
    }

    #[test]
    fn a_record_edit_is_checked_field_by_field() {
        let today = chrono::NaiveDate::from_ymd_opt(2026, 12, 4).unwrap();
        let good = RecordEdit {
            version: 1,
            name: " Dr Ada Rowe ".into(),
            gmc_number: Some("1234567".into()),
            department_id: 1,
            contracted_pas: Some("7.50".into()),
            first_appointed: "2002-06-01".into(),
            start_date: Some("".into()),
            transferred: Some("2003-11-01".into()),
            seniority_at_transfer: Some(12),
        };
        let f = checked_record(&good, today).unwrap();
        assert_eq!(
            (f.name.as_str(), f.contracted_pas.as_deref(), f.start_date),
            ("Dr Ada Rowe", Some("7.5"), None)
        );
        let bad = |edit: fn(&mut RecordEdit)| {
            let mut e = good.clone();
            edit(&mut e);
            field(checked_record(&e, today).unwrap_err())
        };
        assert_eq!(
            bad(|e| e.gmc_number = Some("12345".into())).as_deref(),
            Some("gmc_number")
        );
        assert_eq!(
            bad(|e| e.contracted_pas = Some("0".into())).as_deref(),
            Some("contracted_pas")
        );
        assert_eq!(
            bad(|e| e.contracted_pas = Some("21".into())).as_deref(),
            Some("contracted_pas")
        );
        assert_eq!(
            bad(|e| e.first_appointed = "2026-12-05".into()).as_deref(),
            Some("first_appointed")
        );
        assert_eq!(
            bad(|e| e.first_appointed = "1/6/2002".into()).as_deref(),
            Some("first_appointed")
        );
        assert_eq!(
            bad(|e| e.transferred = Some("2001-01-01".into())).as_deref(),
            Some("transferred")
        );
        assert_eq!(
            bad(|e| e.transferred = None).as_deref(),
            Some("seniority_at_transfer")
        );
        assert_eq!(
            bad(|e| e.seniority_at_transfer = Some(41)).as_deref(),
            Some("seniority_at_transfer")
        );
    }

    #[test]
    fn names_and_roles_are_checked_naming_the_field() {
        assert_eq!(checked_name("name", "  Surgery ").unwrap(), "Surgery");
        assert_eq!(
            field(checked_name("name", " ").unwrap_err()).as_deref(),
            Some("name")
        );
        let long = "x".repeat(MAX_NAME + 1);
        assert!(checked_name("name", &long).is_err());
        assert_eq!(
            checked_roles(&["consultant, clinical_director".into(), "consultant".into()]).unwrap(),
            vec![Role::Consultant, Role::ClinicalDirector]
        );
        assert_eq!(
            field(checked_roles(&["surgeon".into()]).unwrap_err()).as_deref(),
            Some("roles")
        );
        assert!(checked_roles(&[]).is_err());
        assert_eq!(checked_display_name(Some("  "), "a.b").unwrap(), "a.b");
        assert!(checked_password(&"p".repeat(MIN_PASSWORD - 1)).is_err());
        assert!(checked_password(&"p".repeat(MIN_PASSWORD)).is_ok());
    }
}
