//! Signs in through the web form and walks every page a user can reach by links: the web tests
//! check each page, and the page benchmark times them.

use reqwest::{Client, StatusCode};
use std::collections::{BTreeSet, VecDeque};
use std::sync::Arc;
use tenpa_rules::Parameters;
use tenpa_server::AppState;
use tenpa_store::Store;

/// Every demo account.
pub const ACCOUNTS: [&str; 9] = [
    "consultant",
    "consultant2",
    "clinical.director",
    "medical.director",
    "chief.executive",
    "medical.staffing",
    "board.chair",
    "board.member",
    "admin",
];

/// Loads the demo trust into the database at `db_url` and serves the application on a free
/// loopback port; answers its base URL.
pub async fn serve_demo(db_url: &str) -> String {
    serve(db_url, true).await
}

/// Serves the application on the database at `db_url` (loading the demo trust first when `demo`)
/// on a free loopback port; answers its base URL.
pub async fn serve(db_url: &str, demo: bool) -> String {
    let store = Arc::new(Store::connect(db_url).await.expect("store"));
    let params = Arc::new(Parameters::embedded().clone());
    if demo {
        tenpa_server::demo::load(&store, &params)
            .await
            .expect("demo");
    }
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    let app = tenpa_server::app(AppState {
        store,
        params,
        secure_cookies: false,
        oidc_enabled: false,
        client_ip_header: None,
        email_enabled: false,
    });
    tokio::spawn(async move {
        let app = app.into_make_service_with_connect_info::<std::net::SocketAddr>();
        axum::serve(listener, app).await.unwrap()
    });
    format!("http://{addr}")
}

/// Every attribute value `attr="…"` in `html`, entities for `&` undone.
pub fn attr_values(html: &str, attr: &str) -> Vec<String> {
    let needle = format!(" {attr}=\"");
    let mut out = vec![];
    let mut rest = html;
    while let Some(at) = rest.find(&needle) {
        let after = &rest[at + needle.len()..];
        let end = after.find('"').unwrap_or(after.len());
        out.push(after[..end].replace("&amp;", "&"));
        rest = &after[end..];
    }
    out
}

/// What posting a form answered.
pub struct Answer {
    /// The status.
    pub status: u16,
    /// Where it leads (`Location`), empty when it does not redirect.
    pub location: String,
    /// The page it answered.
    pub body: String,
}

/// Posts a form to `to` as the page at `from` carries it (with that page's CSRF token) and
/// `fields`, as a browser would.
pub async fn submit(
    c: &Client,
    base: &str,
    from: &str,
    to: &str,
    fields: &[(&str, &str)],
) -> Answer {
    let page = c.get(format!("{base}{from}")).send().await.unwrap();
    assert_eq!(page.status(), StatusCode::OK, "GET {from}");
    let token = csrf(&page.text().await.unwrap()).expect("a form with its CSRF token");
    let mut form: Vec<(&str, &str)> = fields.to_vec();
    form.push(("csrf", &token));
    let r = c
        .post(format!("{base}{to}"))
        .form(&form)
        .send()
        .await
        .unwrap();
    let location = r
        .headers()
        .get("location")
        .map_or(String::new(), |l| l.to_str().unwrap().to_string());
    Answer {
        status: r.status().as_u16(),
        location,
        body: r.text().await.unwrap(),
    }
}

/// The value of the hidden `csrf` field of the first form in `html`.
pub fn csrf(html: &str) -> Option<String> {
    let at = html.find("name=\"csrf\"")?;
    let tag_start = html[..at].rfind('<')?;
    let tag_end = at + html[at..].find('>')?;
    attr_values(&html[tag_start..tag_end], "value")
        .into_iter()
        .next()
}

/// Signs in as `username` (password `tenpa-demo`) through the sign-in form.
pub async fn sign_in(base: &str, username: &str) -> Client {
    sign_in_with(base, username, "tenpa-demo").await
}

/// Signs in as `username` with `password` through the sign-in form.
pub async fn sign_in_with(base: &str, username: &str, password: &str) -> Client {
    let c = Client::builder()
        .cookie_store(true)
        .redirect(reqwest::redirect::Policy::none())
        .build()
        .unwrap();
    let page = c.get(format!("{base}/sign-in")).send().await.unwrap();
    assert_eq!(page.status(), StatusCode::OK);
    let html = page.text().await.unwrap();
    let token = csrf(&html).expect("the sign-in form carries a CSRF token");
    let r = c
        .post(format!("{base}/sign-in"))
        .form(&[
            ("csrf", token.as_str()),
            ("next", "/"),
            ("username", username),
            ("password", password),
        ])
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::SEE_OTHER, "sign in as {username}");
    c
}

/// Whether a link is a page of the web application worth following.
pub fn followable(href: &str) -> bool {
    href.starts_with('/')
        && !href.starts_with("//")
        && !href.starts_with("/api/")
        && !href.starts_with("/assets/")
        && !href.starts_with("/auth/")
        && !href.starts_with("/sign-")
        && !href.contains('#')
}

/// A page reached: its path, status, content type and body.
pub struct Visit {
    /// Path and query.
    pub path: String,
    /// Status.
    pub status: StatusCode,
    /// Content-Type.
    pub content_type: String,
    /// Content-Security-Policy, if any.
    pub csp: Option<String>,
    /// Body (empty for downloads).
    pub body: String,
}

/// Walks the pages reachable from `/` by links, breadth first, up to `limit` pages; downloads
/// (anything not HTML) are fetched but not parsed.
pub async fn crawl(c: &Client, base: &str, limit: usize) -> Vec<Visit> {
    let mut seen = BTreeSet::new();
    let mut queue = VecDeque::from([String::from("/")]);
    seen.insert(String::from("/"));
    let mut out = vec![];
    while let Some(path) = queue.pop_front() {
        if out.len() >= limit {
            break;
        }
        let r = c.get(format!("{base}{path}")).send().await.unwrap();
        let status = r.status();
        let header = |name: reqwest::header::HeaderName| {
            r.headers()
                .get(name)
                .and_then(|v| v.to_str().ok())
                .map(str::to_string)
        };
        let content_type = header(reqwest::header::CONTENT_TYPE).unwrap_or_default();
        let csp = header(reqwest::header::CONTENT_SECURITY_POLICY);
        let body = if content_type.starts_with("text/html") {
            r.text().await.unwrap_or_default()
        } else {
            let _ = r.bytes().await;
            String::new()
        };
        for href in attr_values(&body, "href") {
            if followable(&href) && seen.insert(href.clone()) {
                queue.push_back(href);
            }
        }
        out.push(Visit {
            path,
            status,
            content_type,
            csp,
            body,
        });
    }
    out
}
