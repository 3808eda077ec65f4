//! One error type for the API, answered as RFC 9457 problem details. Client errors say what is
//! wrong and name the field; internal errors are logged and answered with a plain 500.

use axum::http::{header, StatusCode};
use axum::response::{IntoResponse, Response};
use serde::Serialize;
use tenpa_store::StoreError;

/// An API error. `detail` says what is wrong; `field` names the field at fault; `current_version` is
/// the record's version on a conflict.
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
    /// 422: readable but not acceptable.
    Unprocessable {
        detail: String,
        field: Option<String>,
    },
    /// 429.
    TooManyRequests(String),
    /// 502: a service relied on (the OpenID Connect issuer) failed.
    BadGateway(String),
    /// 500: logged, never shown.
    Internal(String),
}

impl AppError {
    /// 422 naming `field`; `detail` says what was found and what was expected.
    pub fn unprocessable(field: &str, detail: String) -> AppError {
        AppError::Unprocessable {
            detail,
            field: Some(field.into()),
        }
    }

    /// 422 naming `field`, whose detail starts with the field: "`field`: `detail`", for a message
    /// that does not say which field it is about.
    pub fn unprocessable_at(field: &str, detail: String) -> AppError {
        AppError::Unprocessable {
            detail: format!("{field}: {detail}"),
            field: Some(field.into()),
        }
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
            AppError::Unprocessable { detail, field } => (
                StatusCode::UNPROCESSABLE_ENTITY,
                detail.as_str(),
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
            StoreError::Invalid(d) => AppError::Unprocessable { detail: d, field: None },
            StoreError::Refused(d) => AppError::Forbidden(d),
            other => AppError::Internal(other.to_string()),
        }
    }
}

/// Result of handlers.
pub type ApiResult<T> = Result<T, AppError>;

/// A client error's message without the field path it starts with, for a page that shows the message
/// beside its field: `"activity[2].start: must be HH:MM"` → `"must be HH:MM"`. Only a leading path
/// (no spaces before the first `": "`) is taken off, so a sentence that merely contains a colon stays
/// whole.
pub fn without_field(detail: &str) -> &str {
    match detail.split_once(": ") {
        Some((path, message)) if !path.is_empty() && !path.contains(' ') => message,
        _ => detail,
    }
}

#[cfg(test)]
mod tests {
    use super::without_field;

    #[test]
    fn only_a_leading_field_path_is_taken_off() {
        assert_eq!(
            without_field("activity[2].start: must be HH:MM"),
            "must be HH:MM"
        );
        assert_eq!(without_field("name: is required"), "is required");
        assert_eq!(
            without_field("version 3 is no longer current: reload it"),
            "version 3 is no longer current: reload it"
        );
        assert_eq!(without_field("no colon here"), "no colon here");
        assert_eq!(without_field(": starts badly"), ": starts badly");
    }
}
