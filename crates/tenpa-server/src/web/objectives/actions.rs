//! The objective forms' posts: a new objective, a progress note, an edit and an agreement.

use super::list::page;
use super::visible_consultant;
use super::Entered;
use crate::error::AppError;
use crate::service::objectives::{self as api, Heading};
use crate::web::page::{see_other, sentence, urlencode, Form, PageResult, WebError, WebUser};
use crate::AppState;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::IntoResponse;
use axum::response::Response;
use chrono::Datelike;
use tenpa_rules::job_planning::ObjectiveSide;
use tenpa_store::Objective;

/// The field an API error names, and its message in plain words.
pub(super) fn field_error(e: AppError, default_field: &str) -> Result<(String, String), WebError> {
    match e {
        AppError::Unprocessable { field, message }
        | AppError::BadRequest {
            detail: message,
            field,
        } => Ok((
            field.unwrap_or_else(|| default_field.to_string()),
            sentence(&message),
        )),
        other => Err(WebError::from(other)),
    }
}

/// `POST /objectives`.
pub async fn create(State(state): State<AppState>, Form(u, f): Form) -> PageResult<Response> {
    let c = visible_consultant(&state, &u, f.get("consultant")).await?;
    let mut e = Entered {
        year: f.get("year").to_string(),
        heading: f.get("heading").to_string(),
        text: f.get("text").to_string(),
        ..Entered::default()
    };
    let year = e.year.parse::<i64>().ok();
    if year.is_none() {
        e.errors.push((
            "year".into(),
            "Enter the job plan year as 4 digits, for example 2025".into(),
        ));
    }
    let heading = Heading::parse(&e.heading);
    if heading.is_none() {
        e.errors.push((
            "heading".into(),
            "Select the heading of the objective".into(),
        ));
    }
    if e.text.is_empty() {
        e.errors.push(("text".into(), "Enter the objective".into()));
    }
    if let (Some(year), Some(heading), true) = (year, heading, e.errors.is_empty()) {
        match api::record(&state, &u.user, &c.id, year, heading, &e.text).await {
            Ok(_) => {
                return Ok(see_other(&format!(
                    "/objectives?consultant={}&done=objective",
                    urlencode(&c.id)
                )))
            }
            Err(err) => e.errors.push(field_error(err, "text")?),
        }
    }
    let (status, m) = page(&state, &u, &c, None, e, StatusCode::UNPROCESSABLE_ENTITY).await?;
    Ok((status, m).into_response())
}

/// `POST /objectives/{id}/notes`.
pub async fn add_note(
    State(state): State<AppState>,
    Path(id): Path<i64>,
    Form(u, f): Form,
) -> PageResult<Response> {
    let o = api::load(&state, &u.user, id).await?;
    let c = visible_consultant(&state, &u, &o.consultant_id).await?;
    let field = format!("note-{id}");
    let mut e = Entered {
        year: crate::uk_time::today().year().to_string(),
        note_for: Some(id),
        note: f.get("note").to_string(),
        outside: f.has("outside_control"),
        ..Entered::default()
    };
    if e.note.is_empty() {
        e.errors
            .push((field.clone(), "Enter the progress note".into()));
    } else {
        match api::record_note(&state, &u.user, id, &e.note, e.outside).await {
            Ok(()) => {
                return Ok(see_other(&format!(
                    "/objectives?consultant={}&done=note#objective-{id}",
                    urlencode(&c.id)
                )))
            }
            Err(err) => {
                let (_, m) = field_error(err, "note")?;
                e.errors.push((field, m));
            }
        }
    }
    let (status, m) = page(&state, &u, &c, None, e, StatusCode::UNPROCESSABLE_ENTITY).await?;
    Ok((status, m).into_response())
}

/// The page again after a refused edit or agreement of objective `o`: 409 with a notice on its
/// card when someone changed it since the user opened the page (what the user typed is kept, with
/// the form now naming the current version), 422 with the error summary for bad input.
async fn refused(
    state: &AppState,
    u: &WebUser,
    o: &Objective,
    err: AppError,
    mut e: Entered,
    default_field: &str,
) -> PageResult<Response> {
    let c = visible_consultant(state, u, &o.consultant_id).await?;
    let status = match err {
        AppError::Stale { .. } => {
            let now = api::load(state, &u.user, o.id).await?;
            let by = now
                .versions
                .last()
                .map(|v| v.created_by.clone())
                .unwrap_or_default();
            let notice = if e.edit_for.is_some() {
                format!("This objective was changed by {by} since you opened it. Your text is kept in the form below but not saved: save it again to make it the next version.")
            } else if e.edit_version == now.version.to_string() {
                "This objective was already agreed for your side since you opened it.".to_string()
            } else {
                format!("This objective was changed by {by} since you opened it. Your agreement was not recorded: read it again and agree it if you do.")
            };
            e.edit_version = now.version.to_string();
            e.conflict = Some((o.id, notice));
            StatusCode::CONFLICT
        }
        other => {
            let (field, m) = field_error(other, default_field)?;
            let field = match e.edit_for {
                Some(id) if field == "heading" => format!("edit-heading-{id}"),
                Some(id) => format!("edit-text-{id}"),
                None => field,
            };
            e.errors.push((field, m));
            StatusCode::UNPROCESSABLE_ENTITY
        }
    };
    let (status, m) = page(state, u, &c, None, e, status).await?;
    Ok((status, m).into_response())
}

/// `POST /objectives/{id}/edit`.
pub async fn edit(
    State(state): State<AppState>,
    Path(id): Path<i64>,
    Form(u, f): Form,
) -> PageResult<Response> {
    let o = api::load(&state, &u.user, id).await?;
    let mut e = Entered {
        year: crate::uk_time::today().year().to_string(),
        edit_for: Some(id),
        edit_heading: f.get("heading").to_string(),
        edit_text: f.get("text").to_string(),
        edit_version: f.get("version").to_string(),
        ..Entered::default()
    };
    let version: i64 = e.edit_version.parse().map_err(|_| {
        WebError::BadRequest("the form's version is missing: reload the page".into())
    })?;
    let heading = Heading::parse(&e.edit_heading);
    if heading.is_none() {
        e.errors.push((
            format!("edit-heading-{id}"),
            "Select the heading of the objective".into(),
        ));
    }
    if e.edit_text.trim().is_empty() {
        e.errors
            .push((format!("edit-text-{id}"), "Enter the objective".into()));
    }
    let Some(heading) = heading.filter(|_| e.errors.is_empty()) else {
        let c = visible_consultant(&state, &u, &o.consultant_id).await?;
        let (status, m) = page(&state, &u, &c, None, e, StatusCode::UNPROCESSABLE_ENTITY).await?;
        return Ok((status, m).into_response());
    };
    match api::record_edit(&state, &u.user, id, version, heading, &e.edit_text).await {
        Ok(_) => Ok(see_other(&format!(
            "/objectives?consultant={}&done=edited#objective-{id}",
            urlencode(&o.consultant_id)
        ))),
        Err(err) => refused(&state, &u, &o, err, e, "text").await,
    }
}

/// `POST /objectives/{id}/agreement`.
pub async fn agree(
    State(state): State<AppState>,
    Path(id): Path<i64>,
    Form(u, f): Form,
) -> PageResult<Response> {
    let o = api::load(&state, &u.user, id).await?;
    let version: i64 = f.get("version").parse().map_err(|_| {
        WebError::BadRequest("the form's version is missing: reload the page".into())
    })?;
    let side = match f.get("side") {
        "consultant" => Some(ObjectiveSide::Consultant),
        "manager" => Some(ObjectiveSide::Manager),
        _ => None,
    };
    match api::record_agreement(&state, &u.user, id, version, side).await {
        Ok(()) => Ok(see_other(&format!(
            "/objectives?consultant={}&done=agreed#objective-{id}",
            urlencode(&o.consultant_id)
        ))),
        Err(err) => {
            let e = Entered {
                year: crate::uk_time::today().year().to_string(),
                edit_version: version.to_string(),
                ..Entered::default()
            };
            refused(&state, &u, &o, err, e, "version").await
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    #[test]
    fn api_errors_name_their_field() {
        let (f, m) = field_error(
            AppError::unprocessable_at(
                "year_ending",
                "found \"x\", expected a date as YYYY-MM-DD".into(),
            ),
            "kind",
        )
        .unwrap();
        assert_eq!(
            (f.as_str(), m.as_str()),
            ("year_ending", "Found \"x\", expected a date as YYYY-MM-DD.")
        );
        let (f, m) = field_error(AppError::unprocessable_whole("not now".into()), "kind").unwrap();
        assert_eq!((f.as_str(), m.as_str()), ("kind", "Not now."));
        assert!(field_error(AppError::Forbidden("no".into()), "kind").is_err());
    }
}
