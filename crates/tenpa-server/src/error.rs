//! One error type for the API, answered as RFC 9457 problem details. Client errors say what is
//! wrong and name the field; internal errors are logged and answered with a plain 500.

use axum::http::{header, StatusCode};
use axum::response::{IntoResponse, Response};
use serde::Serialize;
use tenpa_store::StoreError;

/// An API error. `detail` says what is wrong; `field` names the field at fault; `current_version` is
/// the record's version on a conflict. A 422 keeps its field and its message apart, so that a page
/// shows the message beside the field; the API's answer reads "`field`: `message`".
#[derive(Debug)]
#[allow(missing_docs)]
pub enum AppError {
    /// 400: the request cannot be read.
    BadRequest {
        detail: String,
        field: Option<String>,
    },
    /// 401: no or bad credentials.
    Unauthorized(String),
    /// 403: authenticated but not allowed.
    Forbidden(String),
    /// 404.
    NotFound(String),
    /// 409: stale version or a transition not possible from the current state.
    Conflict {
        detail: String,
        current_version: Option<i64>,
    },
    /// 409 on a stale version, with the record as it now is (an extension member `current`), so
    /// that the caller can show what changed without losing what they entered.
    Stale {
        detail: String,
        current_version: i64,
        current: serde_json::Value,
    },
    /// 413.
    TooLarge(String),
    /// 415: a body that is not JSON where JSON is required.
    UnsupportedMediaType(String),
    /// 422: readable but not acceptable. `message` says what was found and what was expected,
    /// without the field's name, which is `field`.
    Unprocessable {
        field: Option<String>,
        message: String,
    },
    /// 429.
    TooManyRequests(String),
    /// 502: a service relied on (the OpenID Connect issuer) failed.
    BadGateway(String),
    /// 500: logged, never shown.
    Internal(String),
}

impl AppError {
    /// 422 naming `field`; `message` says what was found and what was expected (the answer's
    /// detail reads "`field`: `message`").
    pub fn unprocessable_at(field: &str, message: String) -> AppError {
        AppError::Unprocessable {
            field: Some(field.into()),
            message,
        }
    }

    /// 422 about the request as a whole, naming no field.
    pub fn unprocessable_whole(message: String) -> AppError {
        AppError::Unprocessable {
            field: None,
            message,
        }
    }

    /// A 400's or 422's detail as the API answers it (a 422's reads "`field`: `message`", or the
    /// message alone when it names no field); `None` for any other error.
    pub fn client_detail(&self) -> Option<String> {
        match self {
            AppError::BadRequest { detail, .. } => Some(detail.clone()),
            AppError::Unprocessable { field, message } => {
                Some(detail_of(field.as_deref(), message))
            }
            _ => None,
        }
    }
}

/// "`field`: `message`", or the message alone.
fn detail_of(field: Option<&str>, message: &str) -> String {
    match field {
        Some(f) => format!("{f}: {message}"),
        None => message.to_string(),
    }
}

#[derive(Serialize)]
struct Problem<'a> {
    #[serde(rename = "type")]
    kind: &'a str,
    title: &'a str,
    status: u16,
    detail: &'a str,
    #[serde(skip_serializing_if = "Option::is_none")]
    field: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    current_version: Option<i64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    current: Option<&'a serde_json::Value>,
}

impl IntoResponse for AppError {
    fn into_response(self) -> Response {
        let current = match &self {
            AppError::Stale { current, .. } => Some(current),
            _ => None,
        };
        let unprocessable = match &self {
            AppError::Unprocessable { .. } => self.client_detail(),
            _ => None,
        };
        let (status, detail, field, current_version) = match &self {
            AppError::BadRequest { detail, field } => (
                StatusCode::BAD_REQUEST,
                detail.as_str(),
                field.as_deref(),
                None,
            ),
            AppError::Unauthorized(d) => (StatusCode::UNAUTHORIZED, d.as_str(), None, None),
            AppError::Forbidden(d) => (StatusCode::FORBIDDEN, d.as_str(), None, None),
            AppError::NotFound(d) => (StatusCode::NOT_FOUND, d.as_str(), None, None),
            AppError::Conflict {
                detail,
                current_version,
            } => (
                StatusCode::CONFLICT,
                detail.as_str(),
                None,
                *current_version,
            ),
            AppError::Stale {
                detail,
                current_version,
                ..
            } => (
                StatusCode::CONFLICT,
                detail.as_str(),
                None,
                Some(*current_version),
            ),
            AppError::TooLarge(d) => (StatusCode::PAYLOAD_TOO_LARGE, d.as_str(), None, None),
            AppError::UnsupportedMediaType(d) => {
                (StatusCode::UNSUPPORTED_MEDIA_TYPE, d.as_str(), None, None)
            }
            AppError::Unprocessable { field, .. } => (
                StatusCode::UNPROCESSABLE_ENTITY,
                unprocessable.as_deref().unwrap_or_default(),
                field.as_deref(),
                None,
            ),
            AppError::TooManyRequests(d) => (StatusCode::TOO_MANY_REQUESTS, d.as_str(), None, None),
            AppError::BadGateway(d) => (StatusCode::BAD_GATEWAY, d.as_str(), None, None),
            AppError::Internal(d) => {
                tracing::error!(error = %d, "internal error");
                (
                    StatusCode::INTERNAL_SERVER_ERROR,
                    "the server failed; the error is logged",
                    None,
                    None,
                )
            }
        };
        let body = Problem {
            kind: "about:blank",
            title: status.canonical_reason().unwrap_or("Error"),
            status: status.as_u16(),
            detail,
            field,
            current_version,
            current,
        };
        let json = serde_json::to_string(&body).unwrap_or_else(|_| "{}".into());
        (
            status,
            [(header::CONTENT_TYPE, "application/problem+json")],
            json,
        )
            .into_response()
    }
}

impl From<StoreError> for AppError {
    fn from(e: StoreError) -> AppError {
        match e {
            StoreError::Conflict { expected, current } => AppError::Conflict {
                detail: format!("version {expected} is no longer current: the plan is at version {current}; reload it and apply your change again"),
                current_version: Some(current),
            },
            StoreError::NotFound(what) => AppError::NotFound(format!("{what} does not exist")),
            StoreError::Invalid { field, message } => AppError::Unprocessable {
                field: Some(field),
                message,
            },
            StoreError::Refused(d) => AppError::Forbidden(d),
            other => AppError::Internal(other.to_string()),
        }
    }
}

/// Result of handlers.
pub type ApiResult<T> = Result<T, AppError>;

#[cfg(test)]
mod tests {
    use super::*;

    /// A 422 keeps its field and message apart; the answer names the field and its detail reads
    /// "field: message", or the message alone when it names none. A store refusal of a value names
    /// the store's field.
    #[tokio::test]
    async fn a_422_answers_its_field_and_the_field_before_its_message() {
        let body = |e: AppError| async move {
            let r = e.into_response();
            assert_eq!(r.status(), StatusCode::UNPROCESSABLE_ENTITY);
            let bytes = axum::body::to_bytes(r.into_body(), 4096).await.unwrap();
            serde_json::from_slice::<serde_json::Value>(&bytes).unwrap()
        };
        let named = body(AppError::unprocessable_at("year", "found 1800".into())).await;
        assert_eq!(
            (named["field"].as_str(), named["detail"].as_str()),
            (Some("year"), Some("year: found 1800"))
        );
        let whole = body(AppError::unprocessable_whole("not now".into())).await;
        assert_eq!(
            (whole.get("field"), whole["detail"].as_str()),
            (None, Some("not now"))
        );
        let stored = body(StoreError::invalid("level", "from 1 to 13").into()).await;
        assert_eq!(
            (stored["field"].as_str(), stored["detail"].as_str()),
            (Some("level"), Some("level: from 1 to 13"))
        );
    }
}
