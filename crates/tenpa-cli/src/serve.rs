//! `tenpa serve [--db URL] [--addr HOST:PORT] [--demo]` and `tenpa audit verify`.

use crate::parameters::ParameterDir;
use clap::{Parser, Subcommand};
use std::process::ExitCode;
use std::sync::Arc;
use tenpa_server::AppState;
use tenpa_store::{redact, Store};

/// `tenpa serve`.
#[derive(Parser, Debug)]
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
    #[command(flatten)]
    pub parameters: ParameterDir,
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
        eprintln!(
            "tenpa: serving {} on http://{}",
            redact(&args.db),
            args.addr
        );
        let state = AppState {
            store,
            params,
            secure_cookies: args.secure_cookies,
        };
        match tenpa_server::serve(state, &args.addr).await {
            Ok(()) => ExitCode::SUCCESS,
            Err(e) => {
                eprintln!("tenpa: cannot serve on {}: {e}", args.addr);
                ExitCode::FAILURE
            }
        }
    })
}

/// `tenpa audit`.
#[derive(Parser, Debug)]
pub struct AuditArgs {
    #[command(subcommand)]
    pub command: AuditCommand,
}

/// Audit subcommands.
#[derive(Subcommand, Debug)]
pub enum AuditCommand {
    /// Check the audit log's hash chain and name the first broken entry.
    Verify {
        /// Database, as for `serve`.
        #[arg(long, env = "TENPA_DB", default_value = "sqlite://tenpa.db")]
        db: String,
    },
}

/// Runs `tenpa audit verify`: exit 0 when intact, 1 when broken.
pub fn audit(args: AuditArgs) -> ExitCode {
    let AuditCommand::Verify { db } = args.command;
    let Some(rt) = runtime() else {
        return ExitCode::FAILURE;
    };
    rt.block_on(async move {
        let store = match Store::connect(&db).await {
            Ok(s) => s,
            Err(e) => {
                eprintln!("tenpa: cannot open the database {}: {e}", redact(&db));
                return ExitCode::from(2);
            }
        };
        match store.verify_audit().await {
            Ok(r) if r.ok() => {
                println!("audit log intact: {} entries", r.entries);
                ExitCode::SUCCESS
            }
            Ok(r) => {
                println!(
                    "audit log broken at entry {}: {}",
                    r.first_broken.unwrap_or(0),
                    r.reason.unwrap_or_default()
                );
                ExitCode::from(1)
            }
            Err(e) => {
                eprintln!("tenpa: {e}");
                ExitCode::from(2)
            }
        }
    })
}
