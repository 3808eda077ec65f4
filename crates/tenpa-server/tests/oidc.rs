//! OpenID Connect sign-in end to end against a local issuer that the test starts itself (discovery,
//! JWKS, an authorize endpoint that redirects straight back with a code, a token endpoint returning
//! an RS256-signed ID token), on a fresh SQLite file, or PostgreSQL when `TENPA_TEST_DATABASE_URL`
//! is set. Then the failures: wrong state, wrong nonce, bad signature, wrong audience, a replayed
//! callback, no role. Client authentication with a private key (`private_key_jwt`): the issuer
//! verifies the assertion (signature by the client's registered key, `iss`, `sub`, `aud`, `exp`, a
//! `jti` not seen before) and refuses a wrong key and a replayed assertion.

mod common;

use common::fresh_db_url;

use axum::extract::{Form, Query, State};
use axum::http::{header, StatusCode as AxStatus};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use axum::{Json, Router};
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use base64::Engine;
use reqwest::{Client, StatusCode};
use rsa::pkcs1::EncodeRsaPrivateKey;
use rsa::pkcs1v15::{Signature, SigningKey, VerifyingKey};
use rsa::pkcs8::{EncodePrivateKey, LineEnding};
use rsa::sha2::Sha256;
use rsa::signature::{SignatureEncoding, Signer, Verifier};
use rsa::traits::PublicKeyParts;
use rsa::RsaPrivateKey;
use serde_json::{json, Value};
use std::collections::{HashMap, HashSet};
use std::sync::{Arc, Mutex, OnceLock};
use tenpa_rules::Parameters;
use tenpa_server::oidc::{ClientAuth, OidcConfig, JWT_BEARER};
use tenpa_server::AppState;
use tenpa_store::Store;

const CLIENT_ID: &str = "tenpa-test";
const CLIENT_SECRET: &str = "s3cret";
/// The key id of the client's key registered at the issuer.
const CLIENT_KID: &str = "tenpa-client-1";

/// The issuer's signing key, another key, and the client's key for `private_key_jwt`.
fn keys() -> &'static (RsaPrivateKey, RsaPrivateKey, RsaPrivateKey) {
    static KEYS: OnceLock<(RsaPrivateKey, RsaPrivateKey, RsaPrivateKey)> = OnceLock::new();
    KEYS.get_or_init(|| {
        let mut rng = rand::thread_rng();
        (
            RsaPrivateKey::new(&mut rng, 2048).expect("issuer key"),
            RsaPrivateKey::new(&mut rng, 2048).expect("another key"),
            RsaPrivateKey::new(&mut rng, 2048).expect("client key"),
        )
    })
}

/// How the issuer misbehaves, if at all.
#[derive(Clone, Default)]
struct Tweak {
    wrong_nonce: bool,
    wrong_state: bool,
    other_key: bool,
    audience: Option<String>,
    /// Require `private_key_jwt` with the client's registered key (the third of [`keys`]).
    private_key_jwt: bool,
    /// The `token_endpoint_auth_methods_supported` to publish instead of the usual ones.
    auth_methods: Option<Vec<&'static str>>,
}

struct Issuer {
    url: String,
    tweak: Tweak,
    roles: Mutex<Value>,
    codes: Mutex<HashMap<String, String>>,
    /// The `jti`s of the client assertions taken.
    jtis: Mutex<HashSet<String>>,
    /// The client assertions taken, in order.
    assertions: Mutex<Vec<String>>,
}

type Shared = Arc<Issuer>;

fn b64(bytes: &[u8]) -> String {
    URL_SAFE_NO_PAD.encode(bytes)
}

fn sign(key: &RsaPrivateKey, claims: &Value) -> String {
    let header = json!({ "alg": "RS256", "typ": "JWT", "kid": "k1" });
    let input = format!(
        "{}.{}",
        b64(header.to_string().as_bytes()),
        b64(claims.to_string().as_bytes())
    );
    let sig = SigningKey::<Sha256>::new(key.clone()).sign(input.as_bytes());
    format!("{input}.{}", b64(&sig.to_bytes()))
}

async fn discovery(State(s): State<Shared>) -> Json<Value> {
    Json(json!({
        "issuer": s.url,
        "authorization_endpoint": format!("{}/authorize", s.url),
        "token_endpoint": format!("{}/token", s.url),
        "jwks_uri": format!("{}/jwks", s.url),
        "response_types_supported": ["code"],
        "subject_types_supported": ["public"],
        "id_token_signing_alg_values_supported": ["RS256"],
        "token_endpoint_auth_methods_supported": s.tweak.auth_methods.clone().unwrap_or_else(|| {
            if s.tweak.private_key_jwt {
                vec!["client_secret_basic", "private_key_jwt"]
            } else {
                vec!["client_secret_post", "client_secret_basic"]
            }
        }),
    }))
}

fn unb64(part: &str) -> Result<Vec<u8>, String> {
    URL_SAFE_NO_PAD
        .decode(part)
        .map_err(|e| format!("not base64url: {e}"))
}

/// What the issuer checks of a `private_key_jwt` client assertion (RFC 7523 §3, OpenID Connect
/// Core §9).
fn check_assertion(s: &Issuer, f: &HashMap<String, String>) -> Result<(), String> {
    if f.contains_key("client_secret") {
        return Err("a client secret was sent as well as an assertion".into());
    }
    if f.get("client_assertion_type").map(String::as_str) != Some(JWT_BEARER) {
        return Err("the client_assertion_type is not jwt-bearer".into());
    }
    if f.get("client_id").is_some_and(|c| c != CLIENT_ID) {
        return Err("the client_id is not the assertion's".into());
    }
    let jwt = f.get("client_assertion").ok_or("no client_assertion")?;
    let parts: Vec<&str> = jwt.split('.').collect();
    let [h, p, sig] = parts[..] else {
        return Err("the assertion is not a signed JWT".into());
    };
    let header: Value = serde_json::from_slice(&unb64(h)?).map_err(|e| e.to_string())?;
    if header["alg"] != "RS256" || header["typ"] != "JWT" || header["kid"] != CLIENT_KID {
        return Err(format!("unexpected assertion header {header}"));
    }
    let signature = Signature::try_from(unb64(sig)?.as_slice()).map_err(|e| e.to_string())?;
    VerifyingKey::<Sha256>::new(keys().2.to_public_key())
        .verify(format!("{h}.{p}").as_bytes(), &signature)
        .map_err(|_| "the assertion's signature does not verify against the client's key")?;
    let claims: Value = serde_json::from_slice(&unb64(p)?).map_err(|e| e.to_string())?;
    if claims["iss"] != CLIENT_ID || claims["sub"] != CLIENT_ID {
        return Err(format!(
            "the assertion's iss/sub are not the client id: {claims}"
        ));
    }
    let token_endpoint = format!("{}/token", s.url);
    let aud_ok = match &claims["aud"] {
        Value::String(a) => *a == token_endpoint,
        Value::Array(a) => a.iter().any(|x| *x == *token_endpoint),
        _ => false,
    };
    if !aud_ok {
        return Err(format!(
            "the assertion's aud is not the token endpoint: {claims}"
        ));
    }
    let now = chrono::Utc::now().timestamp();
    let (Some(iat), Some(exp)) = (claims["iat"].as_i64(), claims["exp"].as_i64()) else {
        return Err("the assertion has no iat or exp".into());
    };
    if exp <= now || exp > now + 600 || iat > now + 60 {
        return Err(format!(
            "the assertion's iat/exp are out of range: {claims}"
        ));
    }
    let jti = claims["jti"]
        .as_str()
        .filter(|j| j.len() >= 16)
        .ok_or("the assertion has no jti")?;
    if !s.jtis.lock().unwrap().insert(jti.to_string()) {
        return Err("the assertion's jti was seen before: replayed".into());
    }
    s.assertions.lock().unwrap().push(jwt.clone());
    Ok(())
}

async fn jwks() -> Json<Value> {
    let public = keys().0.to_public_key();
    Json(json!({ "keys": [{
        "kty": "RSA", "use": "sig", "alg": "RS256", "kid": "k1",
        "n": b64(&public.n().to_bytes_be()),
        "e": b64(&public.e().to_bytes_be()),
    }]}))
}

async fn authorize(State(s): State<Shared>, Query(q): Query<HashMap<String, String>>) -> Response {
    assert_eq!(q.get("response_type").map(String::as_str), Some("code"));
    assert_eq!(q.get("client_id").map(String::as_str), Some(CLIENT_ID));
    assert!(q["scope"].split(' ').any(|x| x == "openid"));
    let code = format!("code-{}", s.codes.lock().unwrap().len());
    s.codes
        .lock()
        .unwrap()
        .insert(code.clone(), q["nonce"].clone());
    let state = if s.tweak.wrong_state {
        "forged".to_string()
    } else {
        q["state"].clone()
    };
    let location = format!("{}?code={code}&state={state}", q["redirect_uri"]);
    (AxStatus::SEE_OTHER, [(header::LOCATION, location)]).into_response()
}

async fn token(State(s): State<Shared>, Form(f): Form<HashMap<String, String>>) -> Response {
    let client_ok = if s.tweak.private_key_jwt {
        if let Err(why) = check_assertion(&s, &f) {
            return (
                AxStatus::BAD_REQUEST,
                Json(json!({ "error": "invalid_client", "error_description": why })),
            )
                .into_response();
        }
        true
    } else {
        f.get("client_id").map(String::as_str) == Some(CLIENT_ID)
            && f.get("client_secret").map(String::as_str) == Some(CLIENT_SECRET)
    };
    if f.get("grant_type").map(String::as_str) != Some("authorization_code")
        || !client_ok
        || !f
            .get("redirect_uri")
            .is_some_and(|u| u.ends_with("/auth/oidc/callback"))
    {
        return (
            AxStatus::BAD_REQUEST,
            Json(json!({ "error": "invalid_client" })),
        )
            .into_response();
    }
    let Some(nonce) = f
        .get("code")
        .and_then(|c| s.codes.lock().unwrap().remove(c))
    else {
        return (
            AxStatus::BAD_REQUEST,
            Json(json!({ "error": "invalid_grant" })),
        )
            .into_response();
    };
    let now = chrono::Utc::now().timestamp();
    let claims = json!({
        "iss": s.url,
        "sub": "248289761001",
        "aud": s.tweak.audience.clone().unwrap_or_else(|| CLIENT_ID.into()),
        "exp": now + 300,
        "iat": now,
        "nonce": if s.tweak.wrong_nonce { "not-the-nonce".to_string() } else { nonce },
        "preferred_username": "j.bloggs",
        "name": "Dr Jo Bloggs",
        "roles": s.roles.lock().unwrap().clone(),
    });
    let key = if s.tweak.other_key {
        &keys().1
    } else {
        &keys().0
    };
    Json(json!({ "access_token": "at", "token_type": "Bearer", "id_token": sign(key, &claims) }))
        .into_response()
}

async fn start_issuer(tweak: Tweak) -> Shared {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let url = format!("http://{}", listener.local_addr().unwrap());
    let issuer = Arc::new(Issuer {
        url,
        tweak,
        roles: Mutex::new(json!(["medical_director", "not_a_tenpa_role"])),
        codes: Mutex::new(HashMap::new()),
        jtis: Mutex::new(HashSet::new()),
        assertions: Mutex::new(vec![]),
    });
    let app = Router::new()
        .route("/.well-known/openid-configuration", get(discovery))
        .route("/jwks", get(jwks))
        .route("/authorize", get(authorize))
        .route("/token", post(token))
        .with_state(issuer.clone());
    tokio::spawn(async move { axum::serve(listener, app).await.unwrap() });
    issuer
}

struct Setup {
    base: String,
    issuer: Shared,
    store: Arc<Store>,
    client: Client,
}

async fn setup(tweak: Tweak) -> Setup {
    setup_with(tweak, ClientAuth::ClientSecret(CLIENT_SECRET.into())).await
}

/// The client's key for `private_key_jwt`, read back from PKCS#8 PEM as from `--oidc-private-key`.
fn client_key(key: &RsaPrivateKey) -> ClientAuth {
    let pem = key.to_pkcs8_pem(LineEnding::LF).unwrap();
    ClientAuth::PrivateKeyJwt {
        key: ClientAuth::private_key_from_pem(&pem).unwrap(),
        kid: Some(CLIENT_KID.into()),
    }
}

async fn setup_with(tweak: Tweak, client_auth: ClientAuth) -> Setup {
    // Generate the keys before any request: in a debug build this takes seconds, which must not
    // count against the server's timeout for the issuer's answers.
    tokio::task::spawn_blocking(keys).await.unwrap();
    let issuer = start_issuer(tweak).await;
    let store = Arc::new(Store::connect(&fresh_db_url().await).await.expect("store"));
    let state = AppState {
        store: store.clone(),
        params: Arc::new(Parameters::embedded().clone()),
        secure_cookies: false,
        oidc_enabled: false,
        client_ip_header: None,
        email_enabled: false,
    };
    let config = OidcConfig {
        issuer: issuer.url.clone(),
        client_id: CLIENT_ID.into(),
        client_auth,
        role_claim: "roles".into(),
        redirect_url: None,
    };
    let app = tenpa_server::app(state.clone()).merge(tenpa_server::oidc::router(&state, config));
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let base = format!("http://{}", listener.local_addr().unwrap());
    tokio::spawn(async move { axum::serve(listener, app).await.unwrap() });
    let client = Client::builder()
        .redirect(reqwest::redirect::Policy::none())
        .cookie_store(true)
        .build()
        .unwrap();
    Setup {
        base,
        issuer,
        store,
        client,
    }
}

fn location(r: &reqwest::Response) -> String {
    r.headers()[header::LOCATION.as_str()]
        .to_str()
        .unwrap()
        .to_string()
}

fn query_of(url: &str) -> HashMap<String, String> {
    let (_, q) = url.split_once('?').expect("a query");
    q.split('&')
        .filter_map(|kv| kv.split_once('='))
        .map(|(k, v)| (k.to_string(), v.to_string()))
        .collect()
}

/// Sign-in at Tenpa, at the issuer, and back: the callback URL and its response.
async fn sign_in(s: &Setup) -> (String, reqwest::Response) {
    let r = s
        .client
        .get(format!("{}/auth/oidc/login", s.base))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::SEE_OTHER);
    let to_issuer = location(&r);
    assert!(to_issuer.starts_with(&format!("{}/authorize?", s.issuer.url)));
    let q = query_of(&to_issuer);
    assert_eq!(q["state"].len(), 64);
    assert_eq!(q["nonce"].len(), 64);
    assert_ne!(q["state"], q["nonce"]);
    let r = s.client.get(&to_issuer).send().await.unwrap();
    assert_eq!(r.status(), StatusCode::SEE_OTHER);
    let back = location(&r);
    assert!(back.starts_with(&format!("{}/auth/oidc/callback?", s.base)));
    let r = s.client.get(&back).send().await.unwrap();
    (back, r)
}

async fn problem(r: reqwest::Response, status: StatusCode) -> Value {
    assert_eq!(r.status(), status);
    assert_eq!(
        r.headers()[header::CONTENT_TYPE.as_str()],
        "application/problem+json"
    );
    let v: Value = r.json().await.unwrap();
    assert_eq!(v["status"], status.as_u16());
    v
}

async fn me(s: &Setup) -> reqwest::Response {
    s.client
        .get(format!("{}/api/v1/me", s.base))
        .send()
        .await
        .unwrap()
}

#[tokio::test]
async fn sign_in_creates_then_updates_the_account_and_starts_a_session() {
    let s = setup(Tweak::default()).await;
    assert_eq!(me(&s).await.status(), StatusCode::UNAUTHORIZED);

    let (back, r) = sign_in(&s).await;
    assert_eq!(r.status(), StatusCode::SEE_OTHER);
    assert_eq!(location(&r), "/");
    let cookies: Vec<String> = r
        .headers()
        .get_all(header::SET_COOKIE.as_str())
        .iter()
        .map(|v| v.to_str().unwrap().to_string())
        .collect();
    let session = cookies
        .iter()
        .find(|c| c.starts_with("tenpa_session="))
        .expect("a session cookie");
    assert!(session.contains("HttpOnly") && session.contains("SameSite=Lax"));

    let r = me(&s).await;
    assert_eq!(r.status(), StatusCode::OK);
    let v: Value = r.json().await.unwrap();
    assert_eq!(v["username"], "j.bloggs");
    assert_eq!(v["display_name"], "Dr Jo Bloggs");
    assert_eq!(v["roles"], json!(["medical_director"]));

    // The session is the ordinary database session: usable with the cookie alone.
    let token = session.split(';').next().unwrap();
    let r = Client::new()
        .get(format!("{}/api/v1/me", s.base))
        .header(header::COOKIE.as_str(), token)
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::OK);

    // A callback is good once.
    let r = s.client.get(&back).send().await.unwrap();
    let p = problem(r, StatusCode::BAD_REQUEST).await;
    assert_eq!(p["field"], "state");

    // The account cannot sign in with a password.
    let r = s
        .client
        .post(format!("{}/api/v1/sessions", s.base))
        .json(&json!({ "username": "j.bloggs", "password": "" }))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::UNAUTHORIZED);

    // Roles follow the issuer on the next sign-in.
    *s.issuer.roles.lock().unwrap() = json!(["clinical_director", "admin"]);
    let (_, r) = sign_in(&s).await;
    assert_eq!(r.status(), StatusCode::SEE_OTHER);
    let v: Value = me(&s).await.json().await.unwrap();
    assert_eq!(v["roles"], json!(["clinical_director", "admin"]));

    // Creation and update are in the audit log, whose chain holds.
    let user = s.store.user_by_username("j.bloggs").await.unwrap().unwrap();
    let entries = s
        .store
        .audit_for("user", &user.id.to_string(), 10)
        .await
        .unwrap();
    let actions: Vec<_> = entries.iter().map(|e| e.action.as_str()).collect();
    assert_eq!(actions, ["update", "create"]);
    assert!(s.store.verify_audit().await.unwrap().ok());
}

#[tokio::test]
async fn a_forged_state_is_refused() {
    let s = setup(Tweak {
        wrong_state: true,
        ..Tweak::default()
    })
    .await;
    let (_, r) = sign_in(&s).await;
    let p = problem(r, StatusCode::BAD_REQUEST).await;
    assert_eq!(p["field"], "state");
    assert_eq!(me(&s).await.status(), StatusCode::UNAUTHORIZED);
}

#[tokio::test]
async fn a_callback_from_another_browser_is_refused() {
    let s = setup(Tweak::default()).await;
    let r = s
        .client
        .get(format!("{}/auth/oidc/login", s.base))
        .send()
        .await
        .unwrap();
    let r = s.client.get(location(&r)).send().await.unwrap();
    // Another browser, without this one's state cookie.
    let other = Client::builder()
        .redirect(reqwest::redirect::Policy::none())
        .build()
        .unwrap();
    let r = other.get(location(&r)).send().await.unwrap();
    let p = problem(r, StatusCode::BAD_REQUEST).await;
    assert_eq!(p["field"], "state");
}

/// Issue 12, item 8: the sign-in routes refuse a NUL character in the query like every other
/// route, and carry the same security headers.
#[tokio::test]
async fn a_callback_with_a_nul_character_is_refused() {
    let s = setup(Tweak::default()).await;
    let r = s
        .client
        .get(format!("{}/auth/oidc/callback?code=x&state=%00", s.base))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::BAD_REQUEST);
    assert_eq!(r.headers()["x-content-type-options"], "nosniff");
    let text = r.text().await.unwrap();
    assert!(text.contains("NUL character"), "{text}");
}

async fn refused(tweak: Tweak, says: &str) {
    let s = setup(tweak).await;
    let (_, r) = sign_in(&s).await;
    let p = problem(r, StatusCode::UNAUTHORIZED).await;
    let detail = p["detail"].as_str().unwrap();
    assert!(detail.contains(says), "{detail}");
    assert_eq!(me(&s).await.status(), StatusCode::UNAUTHORIZED);
    assert!(s
        .store
        .user_by_username("j.bloggs")
        .await
        .unwrap()
        .is_none());
}

#[tokio::test]
async fn a_wrong_nonce_is_refused() {
    refused(
        Tweak {
            wrong_nonce: true,
            ..Tweak::default()
        },
        "nonce",
    )
    .await;
}

#[tokio::test]
async fn a_bad_signature_is_refused() {
    refused(
        Tweak {
            other_key: true,
            ..Tweak::default()
        },
        "signature",
    )
    .await;
}

#[tokio::test]
async fn a_wrong_audience_is_refused() {
    refused(
        Tweak {
            audience: Some("someone-else".into()),
            ..Tweak::default()
        },
        "meant for",
    )
    .await;
}

#[tokio::test]
async fn no_tenpa_role_is_refused() {
    let s = setup(Tweak::default()).await;
    *s.issuer.roles.lock().unwrap() = json!(["staff"]);
    let (_, r) = sign_in(&s).await;
    problem(r, StatusCode::FORBIDDEN).await;
    assert!(s
        .store
        .user_by_username("j.bloggs")
        .await
        .unwrap()
        .is_none());
}

/// Security: the identity provider cannot sign in as an existing local (password) account.
#[tokio::test]
async fn a_local_account_is_not_taken_over() {
    let s = setup(Tweak::default()).await;
    s.store
        .create_user(
            "test",
            &tenpa_store::NewUser {
                username: "j.bloggs".into(),
                display_name: "Local J Bloggs".into(),
                password_hash: tenpa_server::auth::hash_password("local-secret"),
                roles: vec![tenpa_rules::job_planning::Role::Consultant],
                department_id: None,
                consultant_id: None,
                email: None,
            },
        )
        .await
        .unwrap();
    let (_, r) = sign_in(&s).await;
    let p = problem(r, StatusCode::FORBIDDEN).await;
    assert!(
        p["detail"].as_str().unwrap().contains("local account"),
        "{p}"
    );
    assert_eq!(me(&s).await.status(), StatusCode::UNAUTHORIZED);
    let u = s.store.user_by_username("j.bloggs").await.unwrap().unwrap();
    assert_eq!(u.display_name, "Local J Bloggs");
    assert_eq!(u.roles, vec![tenpa_rules::job_planning::Role::Consultant]);
}

/// Source: issue brief (a trust's first start) — a disabled account cannot sign in through the
/// identity provider either, and its existing session has ended.
#[tokio::test]
async fn a_disabled_account_cannot_sign_in_through_the_issuer() {
    let s = setup(Tweak::default()).await;
    let (_, r) = sign_in(&s).await;
    assert_eq!(r.status(), StatusCode::SEE_OTHER);
    assert_eq!(me(&s).await.status(), StatusCode::OK);
    assert!(s
        .store
        .set_user_disabled("test", "j.bloggs", true)
        .await
        .unwrap());
    assert_eq!(me(&s).await.status(), StatusCode::UNAUTHORIZED);
    let (_, r) = sign_in(&s).await;
    let p = problem(r, StatusCode::FORBIDDEN).await;
    assert!(p["detail"].as_str().unwrap().contains("disabled"), "{p}");
    assert_eq!(me(&s).await.status(), StatusCode::UNAUTHORIZED);
}

#[tokio::test]
async fn without_configuration_the_endpoints_do_not_exist() {
    let store = Arc::new(Store::connect(&fresh_db_url().await).await.expect("store"));
    let app = tenpa_server::app(AppState {
        store,
        params: Arc::new(Parameters::embedded().clone()),
        secure_cookies: false,
        oidc_enabled: false,
        client_ip_header: None,
        email_enabled: false,
    });
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let base = format!("http://{}", listener.local_addr().unwrap());
    tokio::spawn(async move { axum::serve(listener, app).await.unwrap() });
    let r = Client::new()
        .get(format!("{base}/auth/oidc/login"))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::NOT_FOUND);
}

fn private_key_jwt() -> Tweak {
    Tweak {
        private_key_jwt: true,
        ..Tweak::default()
    }
}

#[tokio::test]
async fn sign_in_with_a_private_key() {
    tokio::task::spawn_blocking(keys).await.unwrap();
    let s = setup_with(private_key_jwt(), client_key(&keys().2)).await;
    let (_, r) = sign_in(&s).await;
    assert_eq!(r.status(), StatusCode::SEE_OTHER);
    assert_eq!(location(&r), "/");
    let v: Value = me(&s).await.json().await.unwrap();
    assert_eq!(v["username"], "j.bloggs");
    assert_eq!(v["roles"], json!(["medical_director"]));
    // Every sign-in sends a fresh assertion.
    let (_, r) = sign_in(&s).await;
    assert_eq!(r.status(), StatusCode::SEE_OTHER);
    assert_eq!(s.issuer.assertions.lock().unwrap().len(), 2);
    assert_eq!(s.issuer.jtis.lock().unwrap().len(), 2);
}

#[tokio::test]
async fn a_private_key_the_issuer_does_not_know_is_refused() {
    tokio::task::spawn_blocking(keys).await.unwrap();
    let s = setup_with(private_key_jwt(), client_key(&keys().1)).await;
    let (_, r) = sign_in(&s).await;
    let p = problem(r, StatusCode::UNAUTHORIZED).await;
    let detail = p["detail"].as_str().unwrap();
    assert!(detail.contains("invalid_client"), "{detail}");
    assert!(detail.contains("signature does not verify"), "{detail}");
    assert_eq!(me(&s).await.status(), StatusCode::UNAUTHORIZED);
    assert!(s
        .store
        .user_by_username("j.bloggs")
        .await
        .unwrap()
        .is_none());
}

#[tokio::test]
async fn a_replayed_assertion_is_refused() {
    tokio::task::spawn_blocking(keys).await.unwrap();
    let s = setup_with(private_key_jwt(), client_key(&keys().2)).await;
    let (_, r) = sign_in(&s).await;
    assert_eq!(r.status(), StatusCode::SEE_OTHER);
    let used = s.issuer.assertions.lock().unwrap()[0].clone();

    // A second sign-in, up to the issuer's redirect back with a fresh code.
    let r = s
        .client
        .get(format!("{}/auth/oidc/login", s.base))
        .send()
        .await
        .unwrap();
    let r = s.client.get(location(&r)).send().await.unwrap();
    let back = location(&r);
    let code = query_of(&back)["code"].clone();
    // Someone who saw the first assertion offers it again with this code: refused.
    let r = Client::new()
        .post(format!("{}/token", s.issuer.url))
        .form(&[
            ("grant_type", "authorization_code"),
            ("code", code.as_str()),
            ("redirect_uri", &format!("{}/auth/oidc/callback", s.base)),
            ("client_id", CLIENT_ID),
            ("client_assertion_type", JWT_BEARER),
            ("client_assertion", used.as_str()),
        ])
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::BAD_REQUEST);
    let v: Value = r.json().await.unwrap();
    assert_eq!(v["error"], "invalid_client");
    assert!(v["error_description"]
        .as_str()
        .unwrap()
        .contains("replayed"));
    // Tenpa's own exchange of that code, with a fresh assertion, is taken.
    let r = s.client.get(&back).send().await.unwrap();
    assert_eq!(r.status(), StatusCode::SEE_OTHER);
    assert_eq!(s.issuer.assertions.lock().unwrap().len(), 2);
}

#[tokio::test]
async fn a_private_key_is_refused_when_the_issuer_does_not_take_private_key_jwt() {
    tokio::task::spawn_blocking(keys).await.unwrap();
    let s = setup_with(
        Tweak {
            auth_methods: Some(vec!["client_secret_post", "client_secret_basic"]),
            ..Tweak::default()
        },
        client_key(&keys().2),
    )
    .await;
    let r = s
        .client
        .get(format!("{}/auth/oidc/login", s.base))
        .send()
        .await
        .unwrap();
    let p = problem(r, StatusCode::BAD_GATEWAY).await;
    let detail = p["detail"].as_str().unwrap();
    assert!(detail.contains("private_key_jwt"), "{detail}");
    assert!(detail.contains("client_secret_post"), "{detail}");
    assert_eq!(me(&s).await.status(), StatusCode::UNAUTHORIZED);
}

#[test]
fn private_keys_are_read_from_pkcs8_and_pkcs1_pem() {
    let key = &keys().2;
    let pkcs8 = key.to_pkcs8_pem(LineEnding::LF).unwrap();
    assert!(pkcs8.starts_with("-----BEGIN PRIVATE KEY-----"));
    assert_eq!(*ClientAuth::private_key_from_pem(&pkcs8).unwrap(), *key);
    let pkcs1 = key.to_pkcs1_pem(LineEnding::LF).unwrap();
    assert!(pkcs1.starts_with("-----BEGIN RSA PRIVATE KEY-----"));
    assert_eq!(*ClientAuth::private_key_from_pem(&pkcs1).unwrap(), *key);
    let e = ClientAuth::private_key_from_pem("garbage").unwrap_err();
    assert!(e.contains("not a PEM RSA private key"), "{e}");
    // Neither the secret nor the key is shown by Debug.
    let shown = format!("{:?}", client_key(key));
    assert!(!shown.contains(&key.n().to_string()) && shown.contains("redacted"));
    let shown = format!("{:?}", ClientAuth::ClientSecret(CLIENT_SECRET.into()));
    assert!(!shown.contains(CLIENT_SECRET));
}
