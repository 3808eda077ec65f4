//! Checks every request passes before it reaches a handler, and headers every response carries:
//!
//! - no NUL character (`%00`) in the address's path or query parameters (400, naming the
//!   parameter): no text the service stores or looks up may hold one, on either database;
//! - under `/api/`, a state-changing request not carrying an API token must come from this
//!   service's own origin (`Origin`, `Sec-Fetch-Site`), else 403;
//! - under `/api/`, a request with a body must say it is JSON (`Content-Type: application/json`
//!   or `application/*+json`), else 415;
//! - `Strict-Transport-Security` on every response when cookies are Secure (served over TLS);
//! - `Cache-Control: no-store` on every `/api/v1` response, which may carry pay;
//! - then the security headers of [`crate::web::security_headers`] on every response, in the
//!   same pass rather than in a layer of their own.

use crate::error::AppError;
use crate::web::page::WebError;
use crate::AppState;
use axum::extract::{Request, State};
use axum::http::{header, HeaderMap, HeaderValue, Method, Uri};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use percent_encoding::percent_decode_str;

/// The `Strict-Transport-Security` value sent when cookies are Secure: a year, subdomains too.
pub const HSTS: &str = "max-age=31536000; includeSubDomains";

/// The middleware: refuses what [`check`] refuses (as problem details under `/api/`, as a page
/// elsewhere), and adds the transport and security headers to every response.
pub async fn guard(State(state): State<AppState>, req: Request, next: Next) -> Response {
    let path = req.uri().path();
    let api = path.starts_with("/api/");
    let api_v1 = path == "/api/v1" || path.starts_with("/api/v1/");
    let mut resp = match check(&req, state.secure_cookies) {
        Ok(()) => next.run(req).await,
        Err(e) if api => e.into_response(),
        Err(e) => WebError::from(e).into_response(),
    };
    let h = resp.headers_mut();
    if state.secure_cookies {
        h.insert(
            header::STRICT_TRANSPORT_SECURITY,
            HeaderValue::from_static(HSTS),
        );
    }
    if api_v1 {
        h.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    }
    crate::web::add_security_headers(h);
    resp
}

/// What every request must pass; see the module's description.
pub fn check(req: &Request, secure: bool) -> Result<(), AppError> {
    refuse_nul_in_uri(req.uri())?;
    if !req.uri().path().starts_with("/api/") {
        return Ok(());
    }
    let state_changing = !matches!(
        *req.method(),
        Method::GET | Method::HEAD | Method::OPTIONS | Method::TRACE
    );
    if !state_changing {
        return Ok(());
    }
    let headers = req.headers();
    if !headers.contains_key(header::AUTHORIZATION) {
        same_origin(headers, req.uri(), secure)?;
    }
    if has_body(headers) && !is_json(headers) {
        return Err(AppError::UnsupportedMediaType(format!(
            "the request body must be JSON, sent with `Content-Type: application/json`; it was sent as {}",
            headers
                .get(header::CONTENT_TYPE)
                .and_then(|v| v.to_str().ok())
                .map(|v| format!("`{v}`"))
                .unwrap_or_else(|| "no content type".into())
        )));
    }
    Ok(())
}

/// 400 when the decoded path, or a decoded query parameter's name or value, holds NUL.
pub fn refuse_nul_in_uri(uri: &Uri) -> Result<(), AppError> {
    if percent_decode_str(uri.path()).any(|b| b == 0) {
        return Err(AppError::BadRequest {
            detail: "the address holds a NUL character (%00), which no text may hold".into(),
            field: None,
        });
    }
    let Some(query) = uri.query() else {
        return Ok(());
    };
    for pair in query.split('&') {
        let (name, value) = pair.split_once('=').unwrap_or((pair, ""));
        let name_bytes: Vec<u8> = percent_decode_str(name).collect();
        let shown = String::from_utf8_lossy(&name_bytes).replace('\0', "%00");
        if name_bytes.contains(&0) || percent_decode_str(value).any(|b| b == 0) {
            return Err(AppError::BadRequest {
                detail: format!(
                    "the query parameter `{shown}` holds a NUL character (%00), which no text may hold"
                ),
                field: Some(shown),
            });
        }
    }
    Ok(())
}

/// Whether the request has a body: a non-zero `Content-Length`, or a `Transfer-Encoding`.
fn has_body(headers: &HeaderMap) -> bool {
    headers.contains_key(header::TRANSFER_ENCODING)
        || headers
            .get(header::CONTENT_LENGTH)
            .and_then(|v| v.to_str().ok())
            .and_then(|v| v.trim().parse::<u64>().ok())
            .is_some_and(|n| n > 0)
}

/// Whether the `Content-Type` is `application/json` or `application/*+json` (parameters such as
/// `charset` allowed).
pub fn is_json(headers: &HeaderMap) -> bool {
    let Some(ct) = headers
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
    else {
        return false;
    };
    let essence = ct.split(';').next().unwrap_or("").trim().as_bytes();
    let prefix = b"application/";
    let suffix = b"+json";
    essence.eq_ignore_ascii_case(b"application/json")
        || (essence.len() >= prefix.len()
            && essence.len() >= suffix.len()
            && essence[..prefix.len()].eq_ignore_ascii_case(prefix)
            && essence[essence.len() - suffix.len()..].eq_ignore_ascii_case(suffix))
}

/// 403 unless the request comes from this service's own pages or from no browser page at all:
/// `Sec-Fetch-Site: cross-site` is refused; an `Origin` must name this service (the `Host`, or the
/// `X-Forwarded-Host` a proxy set; `https` when cookies are Secure); with no `Origin`,
/// `Sec-Fetch-Site` must be absent, `same-origin` or `none`.
fn same_origin(headers: &HeaderMap, uri: &Uri, secure: bool) -> Result<(), AppError> {
    let site = headers
        .get("sec-fetch-site")
        .and_then(|v| v.to_str().ok())
        .map(|v| v.trim().to_ascii_lowercase());
    if site.as_deref() == Some("cross-site") {
        return Err(AppError::Forbidden(
            "the request came from another site's page (Sec-Fetch-Site: cross-site); use an API token for calls from elsewhere".into(),
        ));
    }
    match headers.get(header::ORIGIN) {
        Some(origin) => {
            let origin = origin.to_str().unwrap_or("");
            let hosts = [
                headers.get(header::HOST).and_then(|v| v.to_str().ok()),
                headers
                    .get("x-forwarded-host")
                    .and_then(|v| v.to_str().ok())
                    .and_then(|v| v.split(',').next()),
                uri.authority().map(|a| a.as_str()),
            ];
            if hosts
                .into_iter()
                .flatten()
                .any(|host| origin_matches(origin, host, secure))
            {
                Ok(())
            } else {
                Err(AppError::Forbidden(format!(
                    "the request came from the origin `{origin}`, not from this service; use an API token for calls from elsewhere"
                )))
            }
        }
        None => match site.as_deref() {
            None | Some("same-origin") | Some("none") => Ok(()),
            Some(other) => Err(AppError::Forbidden(format!(
                "the request came from another origin (Sec-Fetch-Site: {other}); use an API token for calls from elsewhere"
            ))),
        },
    }
}

/// Whether the origin `scheme://host[:port]` names `host` (a `Host` header's value), default
/// ports aside; only `https` when `secure`.
fn origin_matches(origin: &str, host: &str, secure: bool) -> bool {
    let Some((scheme, authority)) = origin.trim().split_once("://") else {
        return false;
    };
    let scheme = scheme.to_ascii_lowercase();
    let default_port = match scheme.as_str() {
        "https" => ":443",
        "http" if !secure => ":80",
        _ => return false,
    };
    let normal = |a: &str| {
        let a = a.trim().to_ascii_lowercase();
        match a.strip_suffix(default_port) {
            Some(bare) => bare.to_string(),
            None => a,
        }
    };
    !authority.is_empty() && normal(authority) == normal(host)
}

/// Adds to the OpenAPI document the answers [`check`] may give before any handler runs: 415 to
/// every operation with a request body, 403 to every state-changing operation under `/api/`, 400
/// to every operation with parameters, where the operation does not already document them.
pub struct EdgeResponses;

impl utoipa::Modify for EdgeResponses {
    fn modify(&self, openapi: &mut utoipa::openapi::OpenApi) {
        use utoipa::openapi::{RefOr, Response as ApiResponse};
        let add = |op: &mut utoipa::openapi::path::Operation, status: &str, description: &str| {
            op.responses
                .responses
                .entry(status.to_string())
                .or_insert_with(|| RefOr::T(ApiResponse::new(description)));
        };
        for (path, item) in openapi.paths.paths.iter_mut() {
            let api = path.starts_with("/api/");
            let signed_in = api && !PUBLIC.iter().any(|p| path.starts_with(p));
            let path_params =
                item.parameters.as_ref().is_some_and(|p| !p.is_empty()) || path.contains('{');
            let ops = [
                (&mut item.get, false),
                (&mut item.put, true),
                (&mut item.post, true),
                (&mut item.delete, true),
                (&mut item.patch, true),
            ];
            for (op, state_changing) in ops {
                let Some(op) = op.as_mut() else { continue };
                let body = op.request_body.is_some();
                if op.parameters.as_ref().is_some_and(|p| !p.is_empty()) || path_params {
                    add(op, "400", "a parameter holds a NUL character (`%00`)");
                }
                if api && state_changing {
                    add(
                        op,
                        "403",
                        "a browser request from another origin without an API token",
                    );
                }
                if api && body {
                    add(
                        op,
                        "400",
                        "the body is not JSON, or not of the documented shape",
                    );
                    add(op, "415", "the body is not sent as `application/json`");
                    add(
                        op,
                        "422",
                        "a text in the body holds a NUL character; `field` names it",
                    );
                }
                if signed_in {
                    add(op, "401", "not signed in: no session and no API token");
                    add(
                        op,
                        "403",
                        "the caller's roles do not allow it on this record",
                    );
                    if path_params || body {
                        add(op, "404", "a record it names does not exist");
                    }
                }
                if path.starts_with("/auth/oidc/") {
                    add(
                        op,
                        "404",
                        "sign-in with an identity provider is not configured",
                    );
                }
            }
        }
    }
}

/// The API paths (prefixes) that need no sign-in.
const PUBLIC: [&str; 4] = [
    "/api/v1/assessments",
    "/api/v1/sessions",
    "/api/v1/rules",
    "/api/v1/parameters",
];

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn origins_match_their_host_only() {
        assert!(origin_matches(
            "http://127.0.0.1:8080",
            "127.0.0.1:8080",
            false
        ));
        assert!(origin_matches(
            "https://tenpa.example",
            "tenpa.example",
            true
        ));
        assert!(origin_matches(
            "https://tenpa.example",
            "Tenpa.example:443",
            true
        ));
        assert!(!origin_matches(
            "http://tenpa.example",
            "tenpa.example",
            true
        ));
        assert!(!origin_matches(
            "https://evil.example",
            "tenpa.example",
            false
        ));
        assert!(!origin_matches(
            "https://tenpa.example.evil",
            "tenpa.example",
            false
        ));
        assert!(!origin_matches("null", "tenpa.example", false));
        assert!(!origin_matches(
            "http://127.0.0.1:8081",
            "127.0.0.1:8080",
            false
        ));
    }

    #[test]
    fn json_content_types() {
        let with = |ct: &str| {
            let mut h = HeaderMap::new();
            h.insert(header::CONTENT_TYPE, HeaderValue::from_str(ct).unwrap());
            is_json(&h)
        };
        assert!(with("application/json"));
        assert!(with("Application/JSON; charset=utf-8"));
        assert!(with("application/merge-patch+json"));
        assert!(with("APPLICATION/Problem+JSON"));
        assert!(with("application/+json"));
        assert!(!with("application/jsonx"));
        assert!(!with("text/json"));
        assert!(!with("+json"));
        assert!(!with("text/plain"));
        assert!(!with("application/x-www-form-urlencoded"));
        assert!(!with("multipart/form-data; boundary=x"));
        assert!(!is_json(&HeaderMap::new()));
    }

    #[test]
    fn nul_in_a_query_parameter_names_it() {
        let uri: Uri = "/api/v1/job-plans?status=draft&consultant_id=%00"
            .parse()
            .unwrap();
        match refuse_nul_in_uri(&uri) {
            Err(AppError::BadRequest { field, .. }) => {
                assert_eq!(field.as_deref(), Some("consultant_id"))
            }
            other => panic!("{other:?}"),
        }
        let uri: Uri = "/consultants/a%00b/timeline".parse().unwrap();
        assert!(refuse_nul_in_uri(&uri).is_err());
        let uri: Uri = "/api/v1/job-plans?consultant_id=%2500".parse().unwrap();
        assert!(refuse_nul_in_uri(&uri).is_ok());
    }
}
