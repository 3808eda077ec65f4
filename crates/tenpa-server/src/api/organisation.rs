//! The trust's organisation through the API: employers, departments, consultant records and
//! accounts, on the checked operations the pages and the command share ([`crate::service::organisation`]).

use crate::api::JsonBody;
use crate::auth::Caller;
use crate::error::{ApiResult, AppError};
use crate::service::notifications::EmailChange;
use crate::service::organisation::{
    self as org, AccountView, ConsultantRecordView, Department, DepartmentEdit, DepartmentView,
    Employer, Links, NewAccount, NewDepartment, NewEmployer, NewPassword, RecordEdit, RecordView,
    RolesChange,
};
use crate::AppState;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::Json;
use serde::Serialize;
use tenpa_store::User;
use utoipa::ToSchema;

/// The employers, by name. Anyone signed in.
#[utoipa::path(get, path = "/api/v1/employers", responses((status = 200, body = [Employer]), (status = 401)))]
pub async fn employers(
    State(state): State<AppState>,
    Caller(_user): Caller,
) -> ApiResult<Json<Vec<Employer>>> {
    Ok(Json(org::employers(&state.store).await?))
}

/// Adds an employer (the trust, or another NHS employer a consultant works for), audited. An
/// administrator. 422 naming `name` (empty, too long or in use), `kind` or `nation`.
#[utoipa::path(post, path = "/api/v1/employers", request_body = NewEmployer, responses((status = 201, body = Employer), (status = 401), (status = 403), (status = 422)))]
pub async fn create_employer(
    State(state): State<AppState>,
    Caller(user): Caller,
    JsonBody(body): JsonBody<NewEmployer>,
) -> ApiResult<(StatusCode, Json<Employer>)> {
    administrator(&user, "employers")?;
    let e = org::add_employer(&state.store, &user.username, &body).await?;
    Ok((StatusCode::CREATED, Json(e)))
}

/// The departments, by name. Anyone signed in.
#[utoipa::path(get, path = "/api/v1/departments", responses((status = 200, body = [Department]), (status = 401)))]
pub async fn departments(
    State(state): State<AppState>,
    Caller(_user): Caller,
) -> ApiResult<Json<Vec<Department>>> {
    Ok(Json(org::departments(&state.store).await?))
}

/// Adds a department of an employer (which may be left out when there is only one), audited. An
/// administrator. 422 naming `name` (empty, too long, or in use within the employer whatever its
/// case), `specialty` or `employer_id`.
#[utoipa::path(post, path = "/api/v1/departments", request_body = NewDepartment, responses((status = 201, body = Department), (status = 401), (status = 403), (status = 422)))]
pub async fn create_department(
    State(state): State<AppState>,
    Caller(user): Caller,
    JsonBody(body): JsonBody<NewDepartment>,
) -> ApiResult<(StatusCode, Json<Department>)> {
    administrator(&user, "departments")?;
    let d = org::add_department(&state.store, &user.username, &body).await?;
    Ok((StatusCode::CREATED, Json(d)))
}

/// One department with its version and clinical directors. Anyone signed in. 404 when there is
/// none.
#[utoipa::path(get, path = "/api/v1/departments/{id}", params(("id" = i64, Path)), responses((status = 200, body = DepartmentView), (status = 401), (status = 404)))]
pub async fn department(
    State(state): State<AppState>,
    Caller(_user): Caller,
    Path(id): Path<i64>,
) -> ApiResult<Json<DepartmentView>> {
    Ok(Json(org::department(&state.store, id).await?))
}

/// Renames a department or changes its specialty, made on its `version`, audited. An
/// administrator. 409 when it has moved on; 422 naming `name` (empty, too long, or another
/// department's of the employer) or `specialty`.
#[utoipa::path(put, path = "/api/v1/departments/{id}", params(("id" = i64, Path)), request_body = DepartmentEdit, responses((status = 200, body = DepartmentView), (status = 401), (status = 403), (status = 404), (status = 409), (status = 422)))]
pub async fn put_department(
    State(state): State<AppState>,
    Caller(user): Caller,
    Path(id): Path<i64>,
    JsonBody(body): JsonBody<DepartmentEdit>,
) -> ApiResult<Json<DepartmentView>> {
    Ok(Json(
        org::edit_department(&state.store, &user, id, &body).await?,
    ))
}

/// The consultant records, by name, each with the enabled account linked to it. An administrator
/// or medical staffing. Records come in through `POST /api/v1/imports`.
#[utoipa::path(get, path = "/api/v1/consultants", responses((status = 200, body = [ConsultantRecordView]), (status = 401), (status = 403)))]
pub async fn consultants(
    State(state): State<AppState>,
    Caller(user): Caller,
) -> ApiResult<Json<Vec<ConsultantRecordView>>> {
    if !crate::policy::may_keep_records(&user) {
        return Err(AppError::Forbidden(
            "consultant records are kept by an administrator or medical staffing".into(),
        ));
    }
    Ok(Json(org::consultant_records(&state.store).await?))
}

/// One consultant record with its version. An administrator or medical staffing. 404 when there
/// is none.
#[utoipa::path(get, path = "/api/v1/consultants/{id}", params(("id" = String, Path)), responses((status = 200, body = RecordView), (status = 401), (status = 403), (status = 404)))]
pub async fn consultant(
    State(state): State<AppState>,
    Caller(user): Caller,
    Path(id): Path<String>,
) -> ApiResult<Json<RecordView>> {
    if !crate::policy::may_keep_records(&user) {
        return Err(AppError::Forbidden(
            "consultant records are kept by an administrator or medical staffing".into(),
        ));
    }
    Ok(Json(org::consultant_record(&state.store, &id).await?))
}

/// Edits a consultant record made on its `version`: name, GMC number, department, contracted
/// PAs, first appointment, start in the post, transfer and seniority at transfer; audited with
/// before and after. An administrator or medical staffing, never on their own record (JP-1). 409
/// when the record has moved on; 422 naming the field at fault.
#[utoipa::path(put, path = "/api/v1/consultants/{id}", params(("id" = String, Path)), request_body = RecordEdit, responses((status = 200, body = RecordView), (status = 401), (status = 403), (status = 404), (status = 409), (status = 422)))]
pub async fn put_consultant(
    State(state): State<AppState>,
    Caller(user): Caller,
    Path(id): Path<String>,
    JsonBody(body): JsonBody<RecordEdit>,
) -> ApiResult<Json<RecordView>> {
    Ok(Json(
        org::edit_consultant_record(&state.store, &user, &id, &body).await?,
    ))
}

/// Every account, by username, never its password. An administrator.
#[utoipa::path(get, path = "/api/v1/users", responses((status = 200, body = [AccountView]), (status = 401), (status = 403)))]
pub async fn users(
    State(state): State<AppState>,
    Caller(user): Caller,
) -> ApiResult<Json<Vec<AccountView>>> {
    administrator(&user, "accounts")?;
    Ok(Json(org::accounts(&state.store).await?))
}

/// One account. An administrator. 404 when there is none of that name.
#[utoipa::path(get, path = "/api/v1/users/{username}", params(("username" = String, Path)), responses((status = 200, body = AccountView), (status = 401), (status = 403), (status = 404)))]
pub async fn user(
    State(state): State<AppState>,
    Caller(user): Caller,
    Path(username): Path<String>,
) -> ApiResult<Json<AccountView>> {
    administrator(&user, "accounts")?;
    Ok(Json(org::account(&state.store, &username).await?))
}

/// Adds an account, audited: with a password (hashed with argon2id), or without one to sign in
/// only through the identity provider. An administrator. 422 naming `username` (its shape, or
/// taken), `display_name`, `roles`, `password`, `department_id` or `consultant_id` (unknown, or a
/// record with another enabled account: one enabled account per consultant record, JP-1).
#[utoipa::path(post, path = "/api/v1/users", request_body = NewAccount, responses((status = 201, body = AccountView), (status = 401), (status = 403), (status = 422)))]
pub async fn create_user(
    State(state): State<AppState>,
    Caller(user): Caller,
    JsonBody(body): JsonBody<NewAccount>,
) -> ApiResult<(StatusCode, Json<AccountView>)> {
    administrator(&user, "accounts")?;
    let a = org::add_account(&state.store, &user.username, &body).await?;
    Ok((StatusCode::CREATED, Json(a)))
}

async fn enabled(
    state: AppState,
    user: User,
    username: String,
    enable: bool,
) -> ApiResult<Json<AccountChange>> {
    administrator(&user, "accounts")?;
    let changed = org::set_enabled(&state.store, &user.username, &username, enable).await?;
    let account = org::account(&state.store, &username).await?;
    Ok(Json(AccountChange { changed, account }))
}

/// Disables an account, audited: it can no longer sign in (password, identity provider or API
/// token) and its sessions end. An administrator. 409 for the last enabled administrator.
#[utoipa::path(post, path = "/api/v1/users/{username}/disable", params(("username" = String, Path)), responses((status = 200, body = AccountChange), (status = 401), (status = 403), (status = 404), (status = 409)))]
pub async fn disable(
    State(state): State<AppState>,
    Caller(user): Caller,
    Path(username): Path<String>,
) -> ApiResult<Json<AccountChange>> {
    enabled(state, user, username, false).await
}

/// Enables a disabled account again, audited. An administrator. 409 when its consultant record
/// has another enabled account.
#[utoipa::path(post, path = "/api/v1/users/{username}/enable", params(("username" = String, Path)), responses((status = 200, body = AccountChange), (status = 401), (status = 403), (status = 404), (status = 409)))]
pub async fn enable(
    State(state): State<AppState>,
    Caller(user): Caller,
    Path(username): Path<String>,
) -> ApiResult<Json<AccountChange>> {
    enabled(state, user, username, true).await
}

/// Sets an account's department and consultant record (null or absent for none), audited with
/// before and after. The link to a consultant record is how the service knows a person's own
/// plan, on which they act only as the consultant (JP-1). An administrator. 422 naming
/// `department_id` or `consultant_id`.
#[utoipa::path(put, path = "/api/v1/users/{username}/links", params(("username" = String, Path)), request_body = Links, responses((status = 200, body = AccountChange), (status = 401), (status = 403), (status = 404), (status = 422)))]
pub async fn put_links(
    State(state): State<AppState>,
    Caller(user): Caller,
    Path(username): Path<String>,
    JsonBody(body): JsonBody<Links>,
) -> ApiResult<Json<AccountChange>> {
    administrator(&user, "accounts")?;
    let changed = org::set_links(&state.store, &user.username, &username, &body).await?;
    let account = org::account(&state.store, &username).await?;
    Ok(Json(AccountChange { changed, account }))
}

/// Sets (or, with null or an empty string, clears) the address an account's notifications are
/// emailed to, audited with before and after. An administrator. 422 naming `email`.
#[utoipa::path(put, path = "/api/v1/users/{username}/email", params(("username" = String, Path)), request_body = EmailChange, responses((status = 200, body = AccountChange), (status = 400), (status = 401), (status = 403), (status = 404), (status = 422)))]
pub async fn put_email(
    State(state): State<AppState>,
    Caller(user): Caller,
    Path(username): Path<String>,
    JsonBody(body): JsonBody<EmailChange>,
) -> ApiResult<Json<AccountChange>> {
    administrator(&user, "accounts")?;
    let changed = org::set_email(&state.store, &user.username, &username, &body).await?;
    let account = org::account(&state.store, &username).await?;
    Ok(Json(AccountChange { changed, account }))
}

/// Sets an account's roles, and its department when `department_id` is given (naming a
/// department's clinical director), audited with before and after. An administrator, never on
/// their own account. 422 naming `roles` or `department_id`; 409 for one's own account or for
/// taking the role from the last enabled administrator.
#[utoipa::path(put, path = "/api/v1/users/{username}/roles", params(("username" = String, Path)), request_body = RolesChange, responses((status = 200, body = AccountChange), (status = 401), (status = 403), (status = 404), (status = 409), (status = 422)))]
pub async fn put_roles(
    State(state): State<AppState>,
    Caller(user): Caller,
    Path(username): Path<String>,
    JsonBody(body): JsonBody<RolesChange>,
) -> ApiResult<Json<AccountChange>> {
    administrator(&user, "accounts")?;
    let changed = org::set_roles(&state.store, &user.username, &username, &body).await?;
    let account = org::account(&state.store, &username).await?;
    Ok(Json(AccountChange { changed, account }))
}

/// Sets a new password on another's account (argon2id), audited without it; the account's
/// sessions end. An administrator, never on their own account (another administrator, or
/// `tenpa users reset-password` on the server). 422 naming `password`; 409 for one's own account.
#[utoipa::path(post, path = "/api/v1/users/{username}/password", params(("username" = String, Path)), request_body = NewPassword, responses((status = 204), (status = 401), (status = 403), (status = 404), (status = 409), (status = 422)))]
pub async fn reset_password(
    State(state): State<AppState>,
    Caller(user): Caller,
    Path(username): Path<String>,
    JsonBody(body): JsonBody<NewPassword>,
) -> ApiResult<StatusCode> {
    administrator(&user, "accounts")?;
    org::reset_password(&state.store, &user.username, &username, &body.password).await?;
    Ok(StatusCode::NO_CONTENT)
}

pub(crate) fn administrator(u: &User, what: &str) -> ApiResult<()> {
    if crate::policy::may_administer(u) {
        Ok(())
    } else {
        Err(AppError::Forbidden(format!(
            "{what} are kept by an administrator"
        )))
    }
}

/// What a change to an account did.
#[derive(Serialize, ToSchema)]
pub struct AccountChange {
    /// Whether anything changed (`false` when it already was so).
    pub changed: bool,
    /// The account as it now is.
    pub account: AccountView,
}
