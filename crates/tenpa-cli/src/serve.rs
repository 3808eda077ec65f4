//! `tenpa serve [--db URL] [--addr HOST:PORT] [--demo]`.

use crate::parameters::ParameterDir;
use clap::{ArgGroup, Parser};
use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::sync::Arc;
use tenpa_server::mail::{MailConfig, Mailer, Tls};
use tenpa_server::oidc::ClientAuth;
use tenpa_server::AppState;
use tenpa_store::{redact, Store};

/// `tenpa serve`.
#[derive(Parser, Debug)]
#[command(group(
    ArgGroup::new("oidc_client_auth")
        .args(["oidc_client_secret", "oidc_private_key"])
        .multiple(false)
))]
pub struct Args {
    /// Database: a SQLite file (`sqlite://PATH` or a path) or `postgres://…`.
    #[arg(long, env = "TENPA_DB", default_value = "sqlite://tenpa.db")]
    pub db: String,
    /// Address to listen on.
    #[arg(long, env = "TENPA_ADDR", default_value = "127.0.0.1:8080")]
    pub addr: String,
    /// Load a demo trust if the database is empty (refused on a database not made by --demo).
    #[arg(long)]
    pub demo: bool,
    /// Mark session cookies Secure (when served over TLS, directly or behind a proxy).
    #[arg(long, env = "TENPA_SECURE_COOKIES")]
    pub secure_cookies: bool,
    /// The header a proxy in front sets to the client's address (e.g. `X-Forwarded-For`; its last
    /// entry is used). Set it only behind such a proxy: sign-in limits per address count that
    /// address. Without it, the connection's own address is counted.
    #[arg(long, env = "TENPA_CLIENT_IP_HEADER", value_parser = parse_header_name)]
    pub client_ip_header: Option<tenpa_server::auth::HeaderName>,
    /// The most connections served at once; further connections wait, unaccepted, until one
    /// closes.
    #[arg(long, env = "TENPA_MAX_CONNECTIONS", default_value_t = 1024,
          value_parser = clap::value_parser!(u32).range(1..))]
    pub max_connections: u32,
    /// Seconds a client has to send a request's headers, or may pause while sending a body; an idle
    /// keep-alive connection is closed after as long.
    #[arg(long, env = "TENPA_HEADER_TIMEOUT", default_value_t = 10,
          value_parser = clap::value_parser!(u64).range(1..=3600))]
    pub header_timeout: u64,
    /// Seconds requests in flight may take to finish once shutdown begins (Ctrl-C or SIGTERM).
    #[arg(long, env = "TENPA_SHUTDOWN_TIMEOUT", default_value_t = 30,
          value_parser = clap::value_parser!(u64).range(0..=3600))]
    pub shutdown_timeout: u64,
    /// OpenID Connect issuer URL: enables sign-in at `/auth/oidc/login` (with the client id and
    /// either the client secret or the private key).
    #[arg(long, env = "TENPA_OIDC_ISSUER", requires_all = ["oidc_client_id", "oidc_client_auth"])]
    pub oidc_issuer: Option<String>,
    /// OpenID Connect client id.
    #[arg(long, env = "TENPA_OIDC_CLIENT_ID", requires = "oidc_issuer")]
    pub oidc_client_id: Option<String>,
    /// OpenID Connect client secret.
    #[arg(
        long,
        env = "TENPA_OIDC_CLIENT_SECRET",
        requires = "oidc_issuer",
        hide_env_values = true
    )]
    pub oidc_client_secret: Option<String>,
    /// OpenID Connect client authentication with a private key (`private_key_jwt`) instead of a
    /// secret: a PEM RSA private key file (PKCS#8 or PKCS#1).
    #[arg(long, env = "TENPA_OIDC_PRIVATE_KEY", requires = "oidc_issuer")]
    pub oidc_private_key: Option<PathBuf>,
    /// The key id (`kid`) of the private key registered at the issuer, put in the assertion's
    /// header.
    #[arg(
        long,
        env = "TENPA_OIDC_KEY_ID",
        requires = "oidc_private_key",
        conflicts_with = "oidc_client_secret"
    )]
    pub oidc_key_id: Option<String>,
    /// The ID token claim whose values are Tenpa role names (a dotted path reaches into objects).
    #[arg(long, env = "TENPA_OIDC_ROLE_CLAIM", default_value = "roles")]
    pub oidc_role_claim: String,
    /// The callback URL registered at the issuer (default: from the request's Host,
    /// `/auth/oidc/callback`).
    #[arg(long, env = "TENPA_OIDC_REDIRECT_URL", requires = "oidc_issuer")]
    pub oidc_redirect_url: Option<String>,
    /// The SMTP server notifications are emailed through: enables email (with --mail-from and
    /// --public-url). Without it, notifications are only in the application.
    #[arg(long, env = "TENPA_SMTP_HOST", requires_all = ["mail_from", "public_url"])]
    pub smtp_host: Option<String>,
    /// Its port (default: 465 for tls, 587 for starttls, 25 for none).
    #[arg(long, env = "TENPA_SMTP_PORT", requires = "smtp_host")]
    pub smtp_port: Option<u16>,
    /// How the connection is secured: tls, starttls (required) or none (a relay on this host or a
    /// closed network only).
    #[arg(long, env = "TENPA_SMTP_TLS", default_value = "starttls", value_parser = ["tls", "starttls", "none"])]
    pub smtp_tls: String,
    /// The SMTP user name, when the server asks for one (with --smtp-password).
    #[arg(long, env = "TENPA_SMTP_USERNAME", requires_all = ["smtp_host", "smtp_password"])]
    pub smtp_username: Option<String>,
    /// The SMTP password.
    #[arg(
        long,
        env = "TENPA_SMTP_PASSWORD",
        requires = "smtp_username",
        hide_env_values = true
    )]
    pub smtp_password: Option<String>,
    /// The sender of the emails, e.g. "Tenpa <tenpa@trust.nhs.uk>".
    #[arg(long, env = "TENPA_MAIL_FROM", requires = "smtp_host")]
    pub mail_from: Option<String>,
    /// The address people reach the application at, e.g. https://tenpa.trust.nhs.uk: the emails'
    /// links start with it.
    #[arg(long, env = "TENPA_PUBLIC_URL")]
    pub public_url: Option<String>,
    /// Seconds between looks at the email outbox.
    #[arg(long, env = "TENPA_MAIL_INTERVAL", default_value_t = 15,
          value_parser = clap::value_parser!(u64).range(1..=3600))]
    pub mail_interval: u64,
    /// Do not give reminders (a round's deadline, a review falling due) every hour: a scheduler
    /// runs `tenpa remind` instead.
    #[arg(long, env = "TENPA_NO_REMINDERS")]
    pub no_reminders: bool,
    #[command(flatten)]
    pub parameters: ParameterDir,
}

/// The email sender the arguments configure, if any; the error names the setting at fault.
fn mailer(args: &Args) -> Result<Option<Mailer>, String> {
    let (Some(host), Some(from), Some(public_url)) =
        (&args.smtp_host, &args.mail_from, &args.public_url)
    else {
        return Ok(None);
    };
    let tls = Tls::parse(&args.smtp_tls).ok_or_else(|| {
        format!(
            "--smtp-tls: found {:?}, expected tls, starttls or none",
            args.smtp_tls
        )
    })?;
    let config = MailConfig {
        host: host.clone(),
        port: args.smtp_port.unwrap_or(tls.default_port()),
        tls,
        credentials: args.smtp_username.clone().zip(args.smtp_password.clone()),
        from: from.clone(),
        public_url: public_url.clone(),
    };
    Mailer::new(&config).map(Some)
}

/// Reads the private key for `private_key_jwt`; the error names the file, never the key.
fn read_private_key(path: &Path, kid: Option<String>) -> Result<ClientAuth, String> {
    let pem = std::fs::read_to_string(path).map_err(|e| {
        format!(
            "cannot read the OpenID Connect private key {}: {e}",
            path.display()
        )
    })?;
    let key = ClientAuth::private_key_from_pem(&pem).map_err(|e| {
        format!(
            "the OpenID Connect private key {} cannot be used: {e}",
            path.display()
        )
    })?;
    Ok(ClientAuth::PrivateKeyJwt { key, kid })
}

fn runtime() -> Option<tokio::runtime::Runtime> {
    tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .map_err(|e| eprintln!("tenpa: cannot start: {e}"))
        .ok()
}

/// Runs the server.
pub fn run(args: Args) -> ExitCode {
    let _ = tracing_subscriber::fmt()
        .with_env_filter(
            tracing_subscriber::EnvFilter::try_from_default_env().unwrap_or_else(|_| "info".into()),
        )
        .with_writer(std::io::stderr)
        .try_init();
    let params = match args.parameters.load_or_report() {
        Ok(p) => Arc::new(p),
        Err(code) => return code,
    };
    let client_auth = match (&args.oidc_client_secret, &args.oidc_private_key) {
        (Some(secret), None) => Some(ClientAuth::ClientSecret(secret.clone())),
        (None, Some(path)) => match read_private_key(path, args.oidc_key_id.clone()) {
            Ok(auth) => Some(auth),
            Err(e) => {
                eprintln!("tenpa: {e}");
                return ExitCode::FAILURE;
            }
        },
        _ => None,
    };
    let mailer = match mailer(&args) {
        Ok(m) => m,
        Err(e) => {
            eprintln!("tenpa: {e}");
            return ExitCode::FAILURE;
        }
    };
    let Some(rt) = runtime() else {
        return ExitCode::FAILURE;
    };
    rt.block_on(async move {
        let store = match Store::connect(&args.db).await {
            Ok(s) => Arc::new(s),
            Err(e) => {
                eprintln!("tenpa: cannot open the database {}: {e}", redact(&args.db));
                return ExitCode::FAILURE;
            }
        };
        if args.demo {
            match tenpa_server::demo::load(&store, &params).await {
                Ok(true) => eprintln!(
                    "tenpa: demo trust loaded; every demo account's password is {}",
                    tenpa_server::demo::PASSWORD
                ),
                Ok(false) => eprintln!("tenpa: the database already holds the demo trust"),
                Err(e) => {
                    eprintln!("tenpa: {e}");
                    return ExitCode::FAILURE;
                }
            }
        }
        if !args.demo {
            match store.count_users().await {
                Ok(0) => eprintln!(
                    "tenpa: the database has no accounts, so no one can sign in: create the first administrator with `tenpa init --db {} --admin USERNAME`",
                    redact(&args.db)
                ),
                Ok(_) => {}
                Err(e) => {
                    eprintln!("tenpa: {e}");
                    return ExitCode::FAILURE;
                }
            }
        }
        eprintln!(
            "tenpa: serving {} on http://{}",
            redact(&args.db),
            args.addr
        );
        let email_enabled = mailer.is_some();
        if let Some(m) = mailer {
            eprintln!(
                "tenpa: emailing notifications through {}",
                args.smtp_host.as_deref().unwrap_or_default()
            );
            tenpa_server::mail::spawn(
                store.clone(),
                m,
                std::time::Duration::from_secs(args.mail_interval),
            );
        }
        if !args.no_reminders {
            tenpa_server::service::reminders::spawn(store.clone(), params.clone());
        }
        let state = AppState {
            store,
            params,
            secure_cookies: args.secure_cookies,
            oidc_enabled: false,
            client_ip_header: args.client_ip_header,
            email_enabled,
        };
        let oidc = match (args.oidc_issuer, args.oidc_client_id, client_auth) {
            (Some(issuer), Some(client_id), Some(client_auth)) => {
                eprintln!("tenpa: OpenID Connect sign-in with {issuer} at /auth/oidc/login");
                if !issuer.starts_with("https://") {
                    eprintln!("tenpa: warning: the OpenID Connect issuer is not served over HTTPS");
                }
                Some(tenpa_server::oidc::OidcConfig {
                    issuer,
                    client_id,
                    client_auth,
                    role_claim: args.oidc_role_claim,
                    redirect_url: args.oidc_redirect_url,
                })
            }
            _ => None,
        };
        let options = tenpa_server::ServeOptions {
            max_connections: args.max_connections as usize,
            header_timeout: std::time::Duration::from_secs(args.header_timeout),
            shutdown_timeout: std::time::Duration::from_secs(args.shutdown_timeout),
        };
        match tenpa_server::serve_with(state, oidc, &args.addr, options).await {
            Ok(()) => ExitCode::SUCCESS,
            Err(e) => {
                eprintln!("tenpa: cannot serve on {}: {e}", args.addr);
                ExitCode::FAILURE
            }
        }
    })
}

/// A header name for `--client-ip-header`.
fn parse_header_name(s: &str) -> Result<tenpa_server::auth::HeaderName, String> {
    s.parse()
        .map_err(|_| format!("found {s:?}, expected an HTTP header name such as X-Forwarded-For"))
}
