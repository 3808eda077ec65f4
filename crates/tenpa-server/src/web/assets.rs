//! The NHS design system's built styles, scripts and images (from the `nhsuk-frontend` package that
//! `npm ci` installs in `web/`), and Tenpa's own small stylesheet and script. Nothing is fetched from
//! elsewhere: the NHS font may not be redistributed, so its `@font-face` rules are removed and system
//! fonts used instead.

use axum::extract::Path;
use axum::http::{header, StatusCode};
use axum::response::{IntoResponse, Response};
use std::path::PathBuf;
use std::sync::OnceLock;

/// Tenpa's own stylesheet.
const TENPA_CSS: &str = include_str!("../../assets/tenpa.css");
/// Tenpa's own script (the live assessment panel, sortable tables, the design system's set-up).
const TENPA_JS: &str = include_str!("../../assets/tenpa.js");
/// The system font stack that replaces the NHS font.
const SYSTEM_FONTS: &str =
    r#"system-ui, -apple-system, "Segoe UI", Roboto, "Helvetica Neue", Arial, sans-serif"#;

/// Where the `nhsuk-frontend` package's `dist/nhsuk` folder is: `TENPA_ASSETS_DIR`, else `web/`
/// under the working directory, else `web/` of the source tree this binary was built from.
pub fn nhsuk_dir() -> Option<PathBuf> {
    let rel = "web/node_modules/nhsuk-frontend/dist/nhsuk";
    let candidates = [
        std::env::var_os("TENPA_ASSETS_DIR").map(PathBuf::from),
        Some(PathBuf::from(rel)),
        Some(PathBuf::from(concat!(env!("CARGO_MANIFEST_DIR"), "/../..")).join(rel)),
    ];
    candidates
        .into_iter()
        .flatten()
        .find(|p| p.join("nhsuk-frontend.min.css").is_file())
}

struct Loaded {
    css: Option<String>,
    js: Option<String>,
    images: Option<PathBuf>,
}

fn loaded() -> &'static Loaded {
    static LOADED: OnceLock<Loaded> = OnceLock::new();
    LOADED.get_or_init(|| {
        let Some(dir) = nhsuk_dir() else {
            tracing::warn!(
                "the NHS design system is not installed (run `npm ci` in web/): pages are served without its styles"
            );
            return Loaded { css: None, js: None, images: None };
        };
        let css = std::fs::read_to_string(dir.join("nhsuk-frontend.min.css"))
            .ok()
            .map(|c| without_remote_fonts(&c));
        let js = std::fs::read_to_string(dir.join("nhsuk-frontend.min.js")).ok();
        Loaded {
            css,
            js,
            images: Some(dir.join("assets/images")),
        }
    })
}

/// The stylesheet with every `@font-face` rule removed and the NHS font replaced by system fonts.
pub fn without_remote_fonts(css: &str) -> String {
    let mut out = String::with_capacity(css.len());
    let mut rest = css;
    while let Some(at) = rest.find("@font-face") {
        out.push_str(&rest[..at]);
        match rest[at..].find('}') {
            Some(end) => rest = &rest[at + end + 1..],
            None => {
                rest = "";
            }
        }
    }
    out.push_str(rest);
    out.replace("\"Frutiger W01\"", SYSTEM_FONTS)
        .replace("Frutiger W01", SYSTEM_FONTS)
}

fn asset(content_type: &'static str, body: impl IntoResponse) -> Response {
    (
        [
            (header::CONTENT_TYPE, content_type),
            (header::CACHE_CONTROL, "public, max-age=3600"),
        ],
        body,
    )
        .into_response()
}

fn missing() -> Response {
    (
        StatusCode::NOT_FOUND,
        "the NHS design system is not installed: run `npm ci` in web/",
    )
        .into_response()
}

/// `/assets/nhsuk.css`.
pub async fn nhsuk_css() -> Response {
    match &loaded().css {
        Some(c) => asset("text/css; charset=utf-8", c.clone()),
        None => missing(),
    }
}

/// `/assets/nhsuk.js` (an ES module).
pub async fn nhsuk_js() -> Response {
    match &loaded().js {
        Some(j) => asset("text/javascript; charset=utf-8", j.clone()),
        None => missing(),
    }
}

/// `/assets/tenpa.css`.
pub async fn tenpa_css() -> Response {
    asset("text/css; charset=utf-8", TENPA_CSS)
}

/// `/assets/tenpa.js`.
pub async fn tenpa_js() -> Response {
    asset("text/javascript; charset=utf-8", TENPA_JS)
}

/// `/assets/images/{file}`: the design system's icons and favicons.
pub async fn image(Path(file): Path<String>) -> Response {
    let ok = !file.is_empty()
        && !file.starts_with('.')
        && file
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'.' || b == b'_');
    let Some(dir) = loaded().images.as_ref().filter(|_| ok) else {
        return (StatusCode::NOT_FOUND, "no such image").into_response();
    };
    let kind = match file.rsplit('.').next() {
        Some("svg") => "image/svg+xml",
        Some("png") => "image/png",
        Some("ico") => "image/x-icon",
        _ => return (StatusCode::NOT_FOUND, "no such image").into_response(),
    };
    match tokio::fs::read(dir.join(&file)).await {
        Ok(bytes) => asset(kind, bytes),
        Err(_) => (StatusCode::NOT_FOUND, "no such image").into_response(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn remote_fonts_are_removed() {
        let css = r#"a{color:red}@font-face{font-family:"Frutiger W01";src:url(https://assets.nhs.uk/f.woff2)}body{font-family:"Frutiger W01",arial}"#;
        let out = without_remote_fonts(css);
        assert!(!out.contains("assets.nhs.uk"), "{out}");
        assert!(!out.contains("Frutiger"), "{out}");
        assert!(
            out.starts_with("a{color:red}body{font-family:system-ui"),
            "{out}"
        );
    }

    #[test]
    fn the_installed_stylesheet_fetches_nothing_from_elsewhere() {
        let Some(dir) = nhsuk_dir() else {
            eprintln!("skipped: the NHS design system is not installed (npm ci in web/)");
            return;
        };
        let css = std::fs::read_to_string(dir.join("nhsuk-frontend.min.css")).unwrap();
        let out = without_remote_fonts(&css);
        assert!(
            !out.contains("https://"),
            "a remote URL is left in the stylesheet"
        );
        assert!(!out.contains("@font-face"));
    }
}
