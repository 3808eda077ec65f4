//! The trust's organisation — its employers, their departments, the consultant records and the
//! accounts people sign in with — as checked operations that the pages, the API and the command
//! share: one set of checks, one wording of each refusal (naming the field, the value found and
//! what was expected), every change audited by the store in its own transaction.
//!
//! Who may, in one place: [`may_administer`](crate::policy::may_administer) (an administrator) adds employers, departments and
//! accounts and changes accounts; [`may_keep_records`](crate::policy::may_keep_records) (an administrator or medical staffing)
//! reads and imports consultant records. Everyone signed in may read the employers and
//! departments, which every page names.

mod accounts;
mod records;

pub use accounts::{
    account, accounts, add_account, checked_display_name, checked_password, checked_roles,
    name_clinical_director, reset_password, set_email, set_enabled, set_links, set_roles,
    AccountView, Links, NewAccount, NewPassword, RolesChange,
};
pub use records::{
    consultant_record, consultant_records, edit_consultant_record, ConsultantRecordView,
    RecordEdit, RecordView,
};

use crate::error::AppError;
use serde::{Deserialize, Serialize};
use tenpa_rules::job_planning::Role;
use tenpa_store::{Store, StoreError, User};
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

/// A name of 1 to [`MAX_NAME`] characters without control characters, trimmed; else 422 naming
/// `field`.
pub fn checked_name(field: &str, name: &str) -> Result<String, AppError> {
    let name = name.trim();
    if name.is_empty() || name.chars().count() > MAX_NAME || name.chars().any(char::is_control) {
        return Err(AppError::unprocessable_at(
            field,
            format!("found {name:?}, expected a name of 1 to {MAX_NAME} characters"),
        ));
    }
    Ok(name.to_string())
}

fn one_of(field: &str, value: &str, allowed: &[&str]) -> Result<String, AppError> {
    if allowed.contains(&value) {
        Ok(value.to_string())
    } else {
        Err(AppError::unprocessable_at(
            field,
            format!("found {value:?}, expected one of {}", allowed.join(", ")),
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
        .map(|e| Employer {
            id: e.id,
            name: e.name,
            kind: e.kind,
            nation: e.nation,
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
    if store.employers().await?.iter().any(|x| x.name == name) {
        return Err(AppError::unprocessable_at(
            "name",
            format!("an employer named {name:?} exists already"),
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
        .departments()
        .await?
        .into_iter()
        .map(|d| Department {
            id: d.id,
            employer_id: d.employer_id,
            name: d.name,
            specialty: d.specialty,
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
        return Err(AppError::unprocessable_at(
            "specialty",
            format!("found {specialty:?}, expected at most {MAX_NAME} characters"),
        ));
    }
    let employers = store.employers().await?;
    let employer_id = match (d.employer_id, employers.as_slice()) {
        (Some(id), list) if list.iter().any(|e| e.id == id) => id,
        (Some(id), _) => {
            return Err(AppError::unprocessable_at("employer_id", format!("found {id}, expected the id of an employer")))
        }
        (None, [only]) => only.id,
        (None, []) => {
            return Err(AppError::unprocessable_at("employer_id", "there is no employer yet: add the trust first (on the set-up page, with POST /api/v1/employers, or with tenpa employers add NAME)".into()))
        }
        (None, _) => {
            return Err(AppError::unprocessable_at("employer_id", "there are several employers, expected the id of one".into()))
        }
    };
    if store
        .departments_of(employer_id)
        .await?
        .iter()
        .any(|x| x.eq_ignore_ascii_case(&name))
    {
        return Err(AppError::unprocessable_at(
            "name",
            format!("the employer has a department named {name:?} already"),
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
    let tenpa_store::Department {
        employer_id,
        name,
        specialty,
        version,
        ..
    } = store
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
    if !crate::policy::may_administer(user) {
        return Err(AppError::Forbidden(
            "departments are kept by an administrator".into(),
        ));
    }
    let name = checked_name("name", &e.name)?;
    let specialty = e.specialty.trim();
    if specialty.chars().count() > MAX_NAME || specialty.chars().any(char::is_control) {
        return Err(AppError::unprocessable_at(
            "specialty",
            format!("found {specialty:?}, expected at most {MAX_NAME} characters"),
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
            other => other.into(),
        })?;
    department(store, id).await
}

#[cfg(test)]
mod tests {
    use super::records::checked_record;
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
            lead_employer_id: None,
            sex: Some("F".into()),
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
