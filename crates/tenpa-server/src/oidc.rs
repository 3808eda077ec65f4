//! Optional OpenID Connect sign-in (authorization-code flow).
//!
//! `GET /auth/oidc/login` keeps a random `state` (its hash) and `nonce` in the database, sets the
//! state in a short-lived cookie too (so that a callback started in another browser is refused) and
//! redirects to the issuer's authorization endpoint, found by discovery at
//! `{issuer}/.well-known/openid-configuration`. `GET /auth/oidc/callback` takes the state (once),
//! exchanges the code at the token endpoint (with a client secret: `client_secret_post`, or
//! `client_secret_basic` when that is all the issuer takes; or with a private key: `private_key_jwt`,
//! an RS256-signed assertion — OpenID Connect Core §9), verifies the ID token — RS256 against the issuer's JWKS, `iss`, `aud`,
//! `exp`, `nbf`, `nonce` — maps the configured claim's values that name Tenpa roles to roles, creates
//! or updates the local account (`preferred_username`, else `sub`) and starts the same database
//! session as password sign-in.

use crate::auth;
use crate::error::{ApiResult, AppError};
use crate::service::sessions::start_session;
use crate::AppState;
use axum::extract::{Query, State};
use axum::http::{header, HeaderMap, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use axum::Router;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use base64::Engine;
use rsa::pkcs1::DecodeRsaPrivateKey;
use rsa::pkcs1v15::{Signature, SigningKey, VerifyingKey};
use rsa::pkcs8::DecodePrivateKey;
use rsa::sha2::Sha256;
use rsa::signature::{RandomizedSigner, SignatureEncoding, Verifier};
use rsa::{BigUint, RsaPrivateKey, RsaPublicKey};
use serde::Deserialize;
use serde_json::Value;
use std::collections::HashMap;
use std::sync::{Arc, Mutex};
use std::time::Duration;
use tenpa_rules::job_planning::Role;

/// The cookie holding the state of a sign-in under way.
pub const STATE_COOKIE: &str = "tenpa_oidc_state";
/// How long a sign-in at the issuer may take, minutes.
pub const LOGIN_MINUTES: i64 = 10;
/// Clock skew allowed on `exp` and `nbf`, seconds.
pub const LEEWAY_SECONDS: i64 = 60;

/// The `client_assertion_type` of `private_key_jwt` (RFC 7523).
pub const JWT_BEARER: &str = "urn:ietf:params:oauth:client-assertion-type:jwt-bearer";
/// How long a client assertion is valid, seconds.
pub const ASSERTION_SECONDS: i64 = 300;

/// How the client authenticates at the token endpoint.
#[derive(Clone)]
pub enum ClientAuth {
    /// A shared secret: `client_secret_post`, or `client_secret_basic` when that is all the issuer
    /// takes.
    ClientSecret(String),
    /// `private_key_jwt`: an assertion signed (RS256) with this key, its header naming `kid` when
    /// given.
    PrivateKeyJwt {
        /// The client's private key.
        key: Box<RsaPrivateKey>,
        /// The key id registered at the issuer, if any.
        kid: Option<String>,
    },
}

impl std::fmt::Debug for ClientAuth {
    /// Never shows the secret or the key.
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            ClientAuth::ClientSecret(_) => f.write_str("ClientSecret(<redacted>)"),
            ClientAuth::PrivateKeyJwt { kid, .. } => f
                .debug_struct("PrivateKeyJwt")
                .field("key", &"<redacted>")
                .field("kid", kid)
                .finish(),
        }
    }
}

impl ClientAuth {
    /// Reads a PEM RSA private key: PKCS#8 (`BEGIN PRIVATE KEY`) or PKCS#1 (`BEGIN RSA PRIVATE
    /// KEY`). The error never quotes the key.
    pub fn private_key_from_pem(pem: &str) -> Result<Box<RsaPrivateKey>, String> {
        if pem.contains("-----BEGIN ENCRYPTED PRIVATE KEY-----") {
            return Err("the key is encrypted; give an unencrypted PEM RSA private key".into());
        }
        RsaPrivateKey::from_pkcs8_pem(pem)
            .or_else(|_| RsaPrivateKey::from_pkcs1_pem(pem))
            .map(Box::new)
            .map_err(|_| {
                "not a PEM RSA private key (PKCS#8 `BEGIN PRIVATE KEY` or PKCS#1 \
                 `BEGIN RSA PRIVATE KEY`)"
                    .to_string()
            })
    }
}

/// A `private_key_jwt` client assertion: RS256-signed, `iss` = `sub` = `client_id`, `aud` = the
/// token endpoint, a fresh random `jti`, `iat` = `now`, `exp` = `now` + 5 minutes.
pub fn client_assertion(
    key: &RsaPrivateKey,
    kid: Option<&str>,
    client_id: &str,
    token_endpoint: &str,
    now: i64,
) -> String {
    let mut header = serde_json::json!({ "alg": "RS256", "typ": "JWT" });
    if let Some(kid) = kid {
        header["kid"] = Value::from(kid);
    }
    let (jti, _) = auth::new_token();
    let claims = serde_json::json!({
        "iss": client_id,
        "sub": client_id,
        "aud": token_endpoint,
        "jti": jti,
        "iat": now,
        "exp": now + ASSERTION_SECONDS,
    });
    let input = format!(
        "{}.{}",
        URL_SAFE_NO_PAD.encode(header.to_string()),
        URL_SAFE_NO_PAD.encode(claims.to_string())
    );
    // With a random source the signature is computed blinded.
    let sig = SigningKey::<Sha256>::new(key.clone())
        .sign_with_rng(&mut rand::thread_rng(), input.as_bytes());
    format!("{input}.{}", URL_SAFE_NO_PAD.encode(sig.to_bytes()))
}

/// How to reach the issuer.
#[derive(Debug, Clone)]
pub struct OidcConfig {
    /// Issuer URL, exactly as in its ID tokens' `iss`.
    pub issuer: String,
    /// Client id registered at the issuer (the ID token's audience).
    pub client_id: String,
    /// How the client authenticates at the token endpoint.
    pub client_auth: ClientAuth,
    /// The claim whose values name roles (`roles`, `groups`; a dotted path such as
    /// `realm_access.roles` reaches into objects).
    pub role_claim: String,
    /// The callback URL registered at the issuer; by default `http(s)://{Host}/auth/oidc/callback`.
    pub redirect_url: Option<String>,
}

/// The parts of the issuer's discovery document used here.
#[derive(Debug, Clone, Deserialize)]
struct Discovery {
    issuer: String,
    authorization_endpoint: String,
    token_endpoint: String,
    jwks_uri: String,
    #[serde(default)]
    token_endpoint_auth_methods_supported: Option<Vec<String>>,
}

/// A JSON Web Key Set.
#[derive(Debug, Clone, Deserialize)]
pub struct Jwks {
    /// The keys.
    pub keys: Vec<Jwk>,
}

/// One key; only RSA keys are used.
#[derive(Debug, Clone, Deserialize)]
pub struct Jwk {
    /// Key type (`RSA`).
    pub kty: String,
    /// Key id.
    #[serde(default)]
    pub kid: Option<String>,
    /// Modulus, base64url.
    #[serde(default)]
    pub n: Option<String>,
    /// Exponent, base64url.
    #[serde(default)]
    pub e: Option<String>,
    /// Intended use (`sig`).
    #[serde(default, rename = "use")]
    pub use_: Option<String>,
}

struct Oidc {
    config: OidcConfig,
    http: reqwest::Client,
    discovery: Mutex<Option<Discovery>>,
}

#[derive(Clone)]
pub(crate) struct OidcState {
    app: AppState,
    oidc: Arc<Oidc>,
}

/// The routes `/auth/oidc/login` and `/auth/oidc/callback`, to merge into [`crate::app`].
pub fn router(state: &AppState, config: OidcConfig) -> Router {
    let http = reqwest::Client::builder()
        .timeout(Duration::from_secs(10))
        .redirect(reqwest::redirect::Policy::none())
        .build()
        .unwrap_or_default();
    let oidc = Arc::new(Oidc {
        config,
        http,
        discovery: Mutex::new(None),
    });
    Router::new()
        .route("/auth/oidc/login", get(login))
        .route("/auth/oidc/callback", get(callback))
        .with_state(OidcState {
            app: state.clone(),
            oidc,
        })
        .layer(axum::middleware::from_fn_with_state(
            state.clone(),
            crate::hygiene::guard,
        ))
        .layer(axum::middleware::map_response(crate::web::security_headers))
}

fn unreachable(what: &str, e: impl std::fmt::Display) -> AppError {
    AppError::BadGateway(format!("the identity provider's {what} failed: {e}"))
}

impl Oidc {
    async fn discovery(&self) -> ApiResult<Discovery> {
        if let Some(d) = self.discovery.lock().ok().and_then(|d| d.clone()) {
            return Ok(d);
        }
        let url = format!(
            "{}/.well-known/openid-configuration",
            self.config.issuer.trim_end_matches('/')
        );
        let d: Discovery = self
            .http
            .get(&url)
            .send()
            .await
            .and_then(|r| r.error_for_status())
            .map_err(|e| unreachable("discovery document", e))?
            .json()
            .await
            .map_err(|e| unreachable("discovery document", e))?;
        if d.issuer != self.config.issuer {
            return Err(AppError::BadGateway(format!(
                "the identity provider's discovery document names the issuer {:?}, not the configured {:?}",
                d.issuer, self.config.issuer
            )));
        }
        if let Ok(mut slot) = self.discovery.lock() {
            *slot = Some(d.clone());
        }
        Ok(d)
    }

    /// Refuses a configured private key when the issuer says it does not take `private_key_jwt`.
    fn check_auth_method(&self, d: &Discovery) -> ApiResult<()> {
        if let (ClientAuth::PrivateKeyJwt { .. }, Some(methods)) = (
            &self.config.client_auth,
            &d.token_endpoint_auth_methods_supported,
        ) {
            if !methods.iter().any(|m| m == "private_key_jwt") {
                return Err(AppError::BadGateway(format!(
                    "a private key is configured for client authentication, but the identity \
                     provider does not take private_key_jwt at its token endpoint (it takes: {})",
                    methods.join(", ")
                )));
            }
        }
        Ok(())
    }

    fn redirect_uri(&self, headers: &HeaderMap, secure: bool) -> ApiResult<String> {
        if let Some(u) = &self.config.redirect_url {
            return Ok(u.clone());
        }
        let host = headers
            .get(header::HOST)
            .and_then(|h| h.to_str().ok())
            .ok_or_else(|| AppError::BadRequest {
                detail: "the request has no Host header to build the callback URL from".into(),
                field: None,
            })?;
        let scheme = if secure { "https" } else { "http" };
        Ok(format!("{scheme}://{host}/auth/oidc/callback"))
    }
}

fn url_encode(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for b in s.bytes() {
        match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'.' | b'_' | b'~' => {
                out.push(b as char)
            }
            _ => out.push_str(&format!("%{b:02X}")),
        }
    }
    out
}

fn state_cookie(value: &str, max_age: i64, secure: bool) -> String {
    let secure = if secure { "; Secure" } else { "" };
    format!("{STATE_COOKIE}={value}; Path=/auth/oidc; HttpOnly; SameSite=Lax; Max-Age={max_age}{secure}")
}

fn cookie(headers: &HeaderMap, name: &str) -> Option<String> {
    headers
        .get_all(header::COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(';'))
        .find_map(|c| {
            let (k, v) = c.trim().split_once('=')?;
            (k == name).then(|| v.to_string())
        })
}

/// Starts sign-in at the issuer: 303 to its authorization endpoint. Served only when OpenID Connect
/// is configured (`--oidc-issuer`).
#[utoipa::path(get, path = "/auth/oidc/login", tag = "OpenID Connect", responses((status = 303, description = "to the identity provider's authorization endpoint, with a state cookie"), (status = 502, description = "the identity provider cannot be reached")))]
pub(crate) async fn login(State(s): State<OidcState>, headers: HeaderMap) -> ApiResult<Response> {
    let d = s.oidc.discovery().await?;
    s.oidc.check_auth_method(&d)?;
    let redirect_uri = s.oidc.redirect_uri(&headers, s.app.secure_cookies)?;
    let (state, state_hash) = auth::new_token();
    let (nonce, _) = auth::new_token();
    let expires = (chrono::Utc::now() + chrono::Duration::minutes(LOGIN_MINUTES))
        .to_rfc3339_opts(chrono::SecondsFormat::Millis, true);
    s.app
        .store
        .create_oidc_login(&state_hash, &nonce, &expires)
        .await?;
    let sep = if d.authorization_endpoint.contains('?') {
        '&'
    } else {
        '?'
    };
    let location = format!(
        "{}{sep}response_type=code&client_id={}&redirect_uri={}&scope=openid%20profile&state={state}&nonce={nonce}",
        d.authorization_endpoint,
        url_encode(&s.oidc.config.client_id),
        url_encode(&redirect_uri),
    );
    let location = HeaderValue::from_str(&location)
        .map_err(|e| AppError::Internal(format!("authorization URL: {e}")))?;
    Ok((
        StatusCode::SEE_OTHER,
        [
            (header::LOCATION, location),
            (
                header::SET_COOKIE,
                HeaderValue::from_str(&state_cookie(
                    &state,
                    LOGIN_MINUTES * 60,
                    s.app.secure_cookies,
                ))
                .map_err(|e| AppError::Internal(format!("state cookie: {e}")))?,
            ),
        ],
    )
        .into_response())
}

#[derive(Deserialize)]
struct TokenResponse {
    id_token: Option<String>,
}

fn refused(detail: impl Into<String>) -> AppError {
    AppError::Unauthorized(format!("sign-in refused: {}", detail.into()))
}

/// Where the issuer sends the browser back: verifies and signs in, then 303 to `/`.
#[utoipa::path(get, path = "/auth/oidc/callback", tag = "OpenID Connect", params(("code" = String, Query, description = "the authorization code"), ("state" = String, Query, description = "the state given at login")), responses((status = 303, description = "signed in: the session cookie is set"), (status = 400), (status = 401, description = "sign-in refused: the reason is given"), (status = 502)))]
pub(crate) async fn callback(
    State(s): State<OidcState>,
    headers: HeaderMap,
    Query(q): Query<HashMap<String, String>>,
) -> ApiResult<Response> {
    if let Some(err) = q.get("error") {
        let why = q.get("error_description").map(String::as_str).unwrap_or("");
        return Err(refused(format!(
            "the identity provider answered {err}: {why}"
        )));
    }
    let state = q.get("state").ok_or_else(|| AppError::BadRequest {
        detail: "the callback has no state".into(),
        field: Some("state".into()),
    })?;
    let code = q.get("code").ok_or_else(|| AppError::BadRequest {
        detail: "the callback has no authorization code".into(),
        field: Some("code".into()),
    })?;
    let nonce = s
        .app
        .store
        .take_oidc_login(&auth::token_hash(state))
        .await?
        .ok_or_else(|| AppError::BadRequest {
            detail: "the state is unknown, used or expired: start again at /auth/oidc/login".into(),
            field: Some("state".into()),
        })?;
    if cookie(&headers, STATE_COOKIE).as_deref() != Some(state.as_str()) {
        return Err(AppError::BadRequest {
            detail:
                "the state does not match this browser's sign-in: start again at /auth/oidc/login"
                    .into(),
            field: Some("state".into()),
        });
    }
    let oidc = &s.oidc;
    let config = &oidc.config;
    let d = oidc.discovery().await?;
    oidc.check_auth_method(&d)?;
    let redirect_uri = oidc.redirect_uri(&headers, s.app.secure_cookies)?;
    let mut form: Vec<(&str, String)> = vec![
        ("grant_type", "authorization_code".into()),
        ("code", code.clone()),
        ("redirect_uri", redirect_uri),
    ];
    let mut req = oidc.http.post(&d.token_endpoint);
    match &config.client_auth {
        ClientAuth::ClientSecret(secret) => {
            let basic_only = d
                .token_endpoint_auth_methods_supported
                .as_ref()
                .is_some_and(|m| {
                    !m.iter().any(|x| x == "client_secret_post")
                        && m.iter().any(|x| x == "client_secret_basic")
                });
            if basic_only {
                req = req.basic_auth(url_encode(&config.client_id), Some(url_encode(secret)));
            } else {
                form.push(("client_id", config.client_id.clone()));
                form.push(("client_secret", secret.clone()));
            }
        }
        ClientAuth::PrivateKeyJwt { key, kid } => {
            let assertion = client_assertion(
                key,
                kid.as_deref(),
                &config.client_id,
                &d.token_endpoint,
                chrono::Utc::now().timestamp(),
            );
            form.push(("client_id", config.client_id.clone()));
            form.push(("client_assertion_type", JWT_BEARER.into()));
            form.push(("client_assertion", assertion));
        }
    }
    let resp = req
        .form(&form)
        .send()
        .await
        .map_err(|e| unreachable("token endpoint", e))?;
    if !resp.status().is_success() {
        let status = resp.status();
        let body = resp.text().await.unwrap_or_default();
        return Err(refused(format!(
            "the token endpoint answered {status}: {}",
            body.chars().take(300).collect::<String>()
        )));
    }
    let tokens: TokenResponse = resp
        .json()
        .await
        .map_err(|e| unreachable("token response", e))?;
    let id_token = tokens
        .id_token
        .ok_or_else(|| refused("the token response holds no ID token"))?;
    let jwks: Jwks = oidc
        .http
        .get(&d.jwks_uri)
        .send()
        .await
        .and_then(|r| r.error_for_status())
        .map_err(|e| unreachable("key set", e))?
        .json()
        .await
        .map_err(|e| unreachable("key set", e))?;
    let claims = verify_id_token(
        &id_token,
        &jwks,
        &config.issuer,
        &config.client_id,
        &nonce,
        chrono::Utc::now().timestamp(),
    )
    .map_err(refused)?;
    let username = claims
        .get("preferred_username")
        .and_then(Value::as_str)
        .filter(|u| !u.trim().is_empty())
        .or_else(|| claims.get("sub").and_then(Value::as_str))
        .filter(|u| !u.trim().is_empty())
        .ok_or_else(|| refused("the ID token names no user (preferred_username or sub)"))?
        .to_string();
    let display_name = claims
        .get("name")
        .and_then(Value::as_str)
        .filter(|n| !n.trim().is_empty())
        .unwrap_or(&username)
        .to_string();
    let roles = claim_roles(&claims, &config.role_claim);
    if roles.is_empty() {
        return Err(AppError::Forbidden(format!(
            "the ID token's {:?} claim names no Tenpa role ({})",
            config.role_claim,
            Role::ALL.map(|r| r.as_str()).join(", ")
        )));
    }
    let user = s
        .app
        .store
        .upsert_oidc_user(&username, &username, &display_name, &roles)
        .await?;
    let session = start_session(&s.app.store, s.app.secure_cookies, &user).await?;
    let mut resp = (StatusCode::SEE_OTHER, [(header::LOCATION, "/")]).into_response();
    for c in [session, state_cookie("", 0, s.app.secure_cookies)] {
        let v =
            HeaderValue::from_str(&c).map_err(|e| AppError::Internal(format!("cookie: {e}")))?;
        resp.headers_mut().append(header::SET_COOKIE, v);
    }
    Ok(resp)
}

/// The roles named by the values of `claim` (a dotted path into objects): an array of strings, or
/// one string of names separated by spaces or commas. Values that name no role are ignored.
pub fn claim_roles(claims: &Value, claim: &str) -> Vec<Role> {
    let mut v = claims;
    for part in claim.split('.') {
        match v.get(part) {
            Some(x) => v = x,
            None => return vec![],
        }
    }
    let names: Vec<&str> = match v {
        Value::Array(a) => a.iter().filter_map(Value::as_str).collect(),
        Value::String(s) => s.split([' ', ',']).collect(),
        _ => vec![],
    };
    let mut roles: Vec<Role> = vec![];
    for r in names.into_iter().filter_map(|n| Role::parse(n.trim())) {
        if !roles.contains(&r) {
            roles.push(r);
        }
    }
    roles
}

fn b64(part: &str, what: &str) -> Result<Vec<u8>, String> {
    URL_SAFE_NO_PAD
        .decode(part.trim_end_matches('='))
        .map_err(|e| format!("the ID token's {what} is not base64url: {e}"))
}

/// Verifies a compact-serialised ID token and returns its claims: an RS256 signature by a key of
/// `jwks` (the one named by `kid`, else any RSA signing key), `iss` equal to `issuer`, `client_id`
/// among `aud`, not expired at `now` (seconds), not before `nbf`, and `nonce` as sent.
pub fn verify_id_token(
    token: &str,
    jwks: &Jwks,
    issuer: &str,
    client_id: &str,
    nonce: &str,
    now: i64,
) -> Result<Value, String> {
    let mut parts = token.split('.');
    let (Some(h), Some(p), Some(sig), None) =
        (parts.next(), parts.next(), parts.next(), parts.next())
    else {
        return Err("the ID token is not a signed JWT".into());
    };
    let header: Value = serde_json::from_slice(&b64(h, "header")?)
        .map_err(|e| format!("the ID token's header is not JSON: {e}"))?;
    if header.get("alg").and_then(Value::as_str) != Some("RS256") {
        return Err(format!(
            "the ID token is signed with {}, not RS256",
            header.get("alg").unwrap_or(&Value::Null)
        ));
    }
    let kid = header.get("kid").and_then(Value::as_str);
    let signature = Signature::try_from(b64(sig, "signature")?.as_slice())
        .map_err(|e| format!("the ID token's signature cannot be read: {e}"))?;
    let signed = format!("{h}.{p}");
    let candidates = jwks.keys.iter().filter(|k| {
        k.kty == "RSA"
            && k.use_.as_deref().is_none_or(|u| u == "sig")
            && (kid.is_none() || k.kid.as_deref() == kid)
    });
    let mut verified = false;
    for k in candidates {
        let (Some(n), Some(e)) = (&k.n, &k.e) else {
            continue;
        };
        let (Ok(n), Ok(e)) = (b64(n, "key modulus"), b64(e, "key exponent")) else {
            continue;
        };
        let Ok(key) = RsaPublicKey::new(BigUint::from_bytes_be(&n), BigUint::from_bytes_be(&e))
        else {
            continue;
        };
        if VerifyingKey::<Sha256>::new(key)
            .verify(signed.as_bytes(), &signature)
            .is_ok()
        {
            verified = true;
            break;
        }
    }
    if !verified {
        return Err("the ID token's signature does not verify against the issuer's keys".into());
    }
    let claims: Value = serde_json::from_slice(&b64(p, "payload")?)
        .map_err(|e| format!("the ID token's payload is not JSON: {e}"))?;
    if claims.get("iss").and_then(Value::as_str) != Some(issuer) {
        return Err(format!(
            "the ID token was issued by {}, not {issuer:?}",
            claims.get("iss").unwrap_or(&Value::Null)
        ));
    }
    let aud_ok = match claims.get("aud") {
        Some(Value::String(a)) => a == client_id,
        Some(Value::Array(a)) => a.iter().any(|x| x.as_str() == Some(client_id)),
        _ => false,
    };
    if !aud_ok {
        return Err(format!(
            "the ID token is meant for {}, not this client",
            claims.get("aud").unwrap_or(&Value::Null)
        ));
    }
    match claims.get("exp").and_then(Value::as_i64) {
        Some(exp) if exp + LEEWAY_SECONDS > now => {}
        Some(_) => return Err("the ID token has expired".into()),
        None => return Err("the ID token has no expiry (exp)".into()),
    }
    if let Some(nbf) = claims.get("nbf").and_then(Value::as_i64) {
        if nbf - LEEWAY_SECONDS > now {
            return Err("the ID token is not valid yet (nbf)".into());
        }
    }
    if claims.get("nonce").and_then(Value::as_str) != Some(nonce) {
        return Err("the ID token's nonce is not the one this sign-in sent".into());
    }
    Ok(claims)
}
