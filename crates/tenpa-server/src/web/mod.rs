//! The page at `/`.

pub mod export;

use axum::response::Html;

/// A landing page pointing at the API; the full web application comes next.
pub async fn index() -> Html<&'static str> {
    Html(
        r#"<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>Tenpa</title>
<style>body{font-family:Arial,sans-serif;max-width:46em;margin:2em auto;padding:0 1em;color:#212b32}h1{color:#005eb8}code{background:#f0f4f5;padding:0 .2em}</style>
</head><body>
<h1>Tenpa</h1>
<p>NHS consultant job planning and pay, from the rules of the consultant contract. Every figure names the rule and the paragraph behind it.</p>
<ul>
<li>API description: <a href="/api/openapi.json"><code>/api/openapi.json</code></a></li>
<li>Sign in: <code>POST /api/v1/sessions</code> with <code>{"username": …, "password": …}</code></li>
<li>Job plans you may see: <a href="/api/v1/job-plans"><code>/api/v1/job-plans</code></a></li>
<li>Assess a plan without storing it: <code>POST /api/v1/assessments</code></li>
<li>Rules and parameters: <a href="/api/v1/rules"><code>/api/v1/rules</code></a>, <a href="/api/v1/parameters"><code>/api/v1/parameters</code></a></li>
</ul>
</body></html>"#,
    )
}
