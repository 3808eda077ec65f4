//! Consultant records as the trust keeps them: listed with their accounts, read and edited one by
//! one with their version.

use super::checked_name;
use crate::error::AppError;
use crate::policy::may_keep_records;
use chrono::NaiveDate;
use serde::{Deserialize, Serialize};
use std::collections::HashMap;
use tenpa_store::{Store, StoreError, User};
use utoipa::ToSchema;

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
    #[schema(value_type = String)]
    pub first_appointed: NaiveDate,
    /// Start in the post (ISO date), if recorded.
    #[schema(value_type = Option<String>)]
    pub start_date: Option<NaiveDate>,
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
    /// The lead employer of a consultant employed by more than one, by id; absent or null for
    /// the department's employer.
    #[serde(default)]
    pub lead_employer_id: Option<i64>,
    /// Sex, `female` or `male`, as the staff record holds it; absent or empty when not recorded.
    /// Used only for the consistency report's groups.
    #[serde(default)]
    pub sex: Option<String>,
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
    #[schema(value_type = String)]
    pub first_appointed: NaiveDate,
    /// Start in the post.
    #[schema(value_type = Option<String>)]
    pub start_date: Option<NaiveDate>,
    /// Transfer to the contract.
    #[schema(value_type = Option<String>)]
    pub transferred: Option<NaiveDate>,
    /// Seniority at transfer.
    pub seniority_at_transfer: Option<i64>,
    /// The lead employer, by id.
    pub lead_employer_id: Option<i64>,
    /// Sex, if recorded.
    #[schema(value_type = Option<String>)]
    pub sex: Option<tenpa_store::Sex>,
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
        lead_employer_id: f.lead_employer_id,
        sex: f.sex,
        account: store.account_for_consultant(id).await?,
    })
}

fn optional(value: &Option<String>) -> Option<&str> {
    value.as_deref().map(str::trim).filter(|v| !v.is_empty())
}

/// Checks an edit's fields, naming the first at fault.
pub(crate) fn checked_record(
    e: &RecordEdit,
    today: chrono::NaiveDate,
) -> Result<tenpa_store::RecordFields, AppError> {
    let name = checked_name("name", &e.name)?;
    let gmc_number = match optional(&e.gmc_number) {
        Some(g) if g.len() == 7 && g.bytes().all(|b| b.is_ascii_digit()) => Some(g.to_string()),
        Some(g) => {
            return Err(AppError::unprocessable_at(
                "gmc_number",
                format!("found {g:?}, expected the GMC reference number of 7 digits"),
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
                return Err(AppError::unprocessable_at(
                    "contracted_pas",
                    format!(
                    "found {p:?}, expected PAs a week, more than 0 and at most 20, like 10 or 7.5"
                ),
                ))
            }
        },
        None => None,
    };
    let first = crate::service::read_date("first_appointed", e.first_appointed.trim())?;
    if first > today {
        return Err(AppError::unprocessable_at(
            "first_appointed",
            format!("found {first}, expected a date not after today ({today})"),
        ));
    }
    let after_first = |field: &str, value: Option<&str>| -> Result<Option<NaiveDate>, AppError> {
        match value {
            Some(v) => {
                let d = crate::service::read_date(field, v)?;
                if d < first {
                    return Err(AppError::unprocessable_at(field, format!("found {d}, expected a date on or after the first appointment ({first})")));
                }
                Ok(Some(d))
            }
            None => Ok(None),
        }
    };
    let start_date = after_first("start_date", optional(&e.start_date))?;
    let transferred = after_first("transferred", optional(&e.transferred))?;
    match (e.seniority_at_transfer, &transferred) {
        (Some(s), _) if !(0..=40).contains(&s) => {
            return Err(AppError::unprocessable_at("seniority_at_transfer", format!("found {s}, expected years from 0 to 40")))
        }
        (Some(_), None) => {
            return Err(AppError::unprocessable_at("seniority_at_transfer", "given without a transfer date, expected it with `transferred` (an existing consultant's move to the contract)".into()))
        }
        _ => {}
    }
    let sex = match optional(&e.sex) {
        None => None,
        Some(x) => Some(tenpa_store::Sex::parse(x).ok_or_else(|| {
            AppError::unprocessable_at(
                "sex",
                format!("found {x:?}, expected female or male, or nothing"),
            )
        })?),
    };
    Ok(tenpa_store::RecordFields {
        name,
        sex,
        gmc_number,
        department_id: e.department_id,
        contracted_pas,
        first_appointed: first,
        start_date,
        transferred,
        seniority_at_transfer: e.seniority_at_transfer,
        lead_employer_id: e.lead_employer_id,
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
    if crate::policy::is_own_record(user, id) {
        return Err(AppError::Forbidden(crate::policy::OWN_RECORD.into()));
    }
    let today = crate::uk_time::today();
    let fields = checked_record(e, today)?;
    store
        .update_consultant_record(&user.username, id, e.version, &fields)
        .await
        .map_err(|err| match err {
            StoreError::Conflict { current, .. } => AppError::Conflict {
                detail: format!("the record has been changed since version {}: it is at version {current}; reload it and make your change again", e.version),
                current_version: Some(current),
            },
            other => other.into(),
        })?;
    consultant_record(store, id).await
}
