//! Answering an offer, recording an answer, and ending accepted extra PAs.

use super::{page, read_date, Entered};
use crate::error::AppError;
use crate::service::extra_pa_offers::{
    load, record_response, record_termination, NewResponse, NewTermination,
};
use crate::web::objectives::visible_consultant;
use crate::web::page::{see_other, sentence, urlencode, Form, PageResult, WebError};
use crate::AppState;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::IntoResponse;
use axum::response::Response;

/// `POST /extra-pa-offers/{id}`: an answer or a termination.
pub async fn submit(
    State(state): State<AppState>,
    Path(id): Path<i64>,
    Form(u, f): Form,
) -> PageResult<Response> {
    let record = load(&state, &u.user, id).await?;
    let c = visible_consultant(&state, &u, &record.consultant_id).await?;
    let version: i64 = f.get("version").parse().map_err(|_| {
        WebError::BadRequest(
            "the form does not say which version of the offer it is for: reload the page".into(),
        )
    })?;
    let action = f.get("action").to_string();
    let prefix = format!("offer-{id}");
    let mut e = Entered {
        offer: Some(id),
        fields: f.0.clone(),
        errors: vec![],
    };
    let result = match action.as_str() {
        "response" => {
            let response = f.get("response");
            if !matches!(response, "accepted" | "declined") {
                e.errors.push((
                    format!("{prefix}-response"),
                    "Select accept or decline".into(),
                ));
            }
            let on = read_date(&f, "responded_on", "the date the offer was answered");
            if let Err(m) = &on {
                e.errors
                    .push((format!("{prefix}-responded_on-day"), m.clone()));
            }
            match on {
                Ok(on) if e.errors.is_empty() => Some(
                    record_response(
                        &state,
                        &u.user,
                        id,
                        NewResponse {
                            version,
                            response: response.to_string(),
                            responded_on: on,
                        },
                    )
                    .await,
                ),
                _ => None,
            }
        }
        "termination" => {
            let end = read_date(&f, "terminated_on", "the date the extra PAs end");
            let notice = read_date(
                &f,
                "termination_notice_given_on",
                "the date notice was given",
            );
            for (name, r) in [
                ("terminated_on", &end),
                ("termination_notice_given_on", &notice),
            ] {
                if let Err(m) = r {
                    e.errors.push((format!("{prefix}-{name}-day"), m.clone()));
                }
            }
            match (end, notice) {
                (Ok(end), Ok(notice)) => Some(
                    record_termination(
                        &state,
                        &u.user,
                        id,
                        NewTermination {
                            version,
                            terminated_on: end,
                            termination_notice_given_on: notice,
                        },
                    )
                    .await,
                ),
                _ => None,
            }
        }
        _ => {
            return Err(WebError::BadRequest(
                "the form does not say what to record: reload the page".into(),
            ))
        }
    };
    match result {
        Some(Ok(_)) => {
            return Ok(see_other(&format!(
                "/extra-pa-offers?consultant={}&done={action}#{prefix}",
                urlencode(&c.id)
            )))
        }
        Some(Err(AppError::Unprocessable { field, message })) => {
            let field = match field.as_deref() {
                Some("response") => format!("{prefix}-response"),
                Some(name) => format!("{prefix}-{name}-day"),
                None => format!(
                    "{prefix}-{}",
                    if action == "response" {
                        "response"
                    } else {
                        "terminated_on-day"
                    }
                ),
            };
            e.errors.push((field, sentence(&message)));
        }
        Some(Err(other)) => return Err(WebError::from(other)),
        None => {}
    }
    let page = page(&state, &u, &c, None, &e).await?;
    Ok((StatusCode::UNPROCESSABLE_ENTITY, page).into_response())
}
