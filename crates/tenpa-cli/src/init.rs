//! `tenpa init [--db URL] --admin USERNAME [--display-name NAME] [--password-stdin]`: a trust's
//! first start. Creates the first administrator on a database without accounts, audited.
//! Exit codes: 0 done, 1 the database could not be used, 2 bad input or accounts exist already.

use crate::users::{block_on, check_username, display_name, open, read_password, DbArg, Failure};
use clap::Parser;
use std::process::ExitCode;
use tenpa_rules::job_planning::Role;
use tenpa_store::{redact, NewUser};

/// The actor named in the audit log.
pub const ACTOR: &str = "tenpa init";

/// `tenpa init`.
#[derive(Parser, Debug)]
pub struct Args {
    #[command(flatten)]
    pub db: DbArg,
    /// The first administrator's username: letters, digits, `.`, `-`, `_`, `@`; at most 200
    /// characters.
    #[arg(long, value_name = "USERNAME")]
    pub admin: String,
    /// The administrator's shown name (default: the username).
    #[arg(long)]
    pub display_name: Option<String>,
    /// Read the password from the first line of standard input instead of asking on the terminal.
    #[arg(long)]
    pub password_stdin: bool,
}

/// Runs `tenpa init`.
pub fn run(args: Args) -> ExitCode {
    block_on(async move {
        check_username("--admin", &args.admin)?;
        let shown = display_name(args.display_name.as_deref(), &args.admin)?;
        let store = open(&args.db.db).await?;
        let existing = store.count_users().await?;
        if existing > 0 {
            return Err(Failure::Input(format!(
                "the database {} already holds {existing} account(s): `tenpa init` only starts an empty one; add accounts with `tenpa users add`",
                redact(&args.db.db)
            )));
        }
        let password = read_password(args.password_stdin, &args.admin)?;
        let user = NewUser {
            username: args.admin.clone(),
            display_name: shown,
            password_hash: tenpa_server::auth::hash_password(&password),
            roles: vec![Role::Admin],
            department_id: None,
            consultant_id: None,
            email: None,
        };
        store.create_first_user(ACTOR, &user).await?;
        println!(
            "administrator {} created: start the server with `tenpa serve --db {}` and sign in as {}; add further accounts with `tenpa users add`",
            args.admin,
            redact(&args.db.db),
            args.admin
        );
        Ok(())
    })
}
