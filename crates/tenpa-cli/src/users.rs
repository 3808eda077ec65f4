//! `tenpa users add|disable|enable|reset-password|list [--db URL] …`: accounts, for operators
//! without a browser. Every change is audited, the actor being `cli:` and the operator's OS user.
//! Exit codes: 0 done, 1 the database could not be used, 2 bad input.

use clap::{Parser, Subcommand, ValueEnum};
use std::io::BufRead;
use std::process::ExitCode;
use tenpa_rules::job_planning::Role;
use tenpa_server::auth::MAX_USERNAME;
use tenpa_server::error::AppError;
use tenpa_store::{redact, NewUser, Store, StoreError};

pub use tenpa_server::service::organisation::{MAX_DISPLAY_NAME, MAX_PASSWORD, MIN_PASSWORD};

/// Why a command stopped.
pub enum Failure {
    /// Bad input: exit 2.
    Input(String),
    /// The database could not be used: exit 1.
    Store(String),
}

impl Failure {
    /// Reports it on standard error and gives the exit code.
    pub fn report(self) -> ExitCode {
        match self {
            Failure::Input(m) => {
                eprintln!("tenpa: {m}");
                ExitCode::from(2)
            }
            Failure::Store(m) => {
                eprintln!("tenpa: {m}");
                ExitCode::FAILURE
            }
        }
    }
}

impl From<AppError> for Failure {
    fn from(e: AppError) -> Self {
        named(e, &[])
    }
}

/// An error of a checked operation as the command reports it: bad input (exit 2) with the field
/// it names shown as the command's own argument (`names`: field, argument), or the database
/// failing (exit 1).
pub fn named(e: AppError, names: &[(&str, &str)]) -> Failure {
    match e {
        AppError::Unprocessable { field, message } => {
            let shown = field.as_deref().map(|f| {
                let arg = names.iter().find(|(n, _)| *n == f).map_or(f, |(_, a)| *a);
                format!("{arg}: {message}")
            });
            Failure::Input(shown.unwrap_or(message))
        }
        AppError::BadRequest { detail, .. } => Failure::Input(detail),
        AppError::NotFound(d)
        | AppError::Forbidden(d)
        | AppError::Conflict { detail: d, .. }
        | AppError::Stale { detail: d, .. } => Failure::Input(d),
        other => Failure::Store(format!("{other:?}")),
    }
}

impl From<StoreError> for Failure {
    fn from(e: StoreError) -> Self {
        match e {
            e @ StoreError::Invalid { .. } => Failure::Input(e.to_string()),
            StoreError::Refused(m) => Failure::Input(m),
            StoreError::NotFound(m) => Failure::Input(format!("{m} does not exist")),
            e => Failure::Store(e.to_string()),
        }
    }
}

/// The database option every account command takes.
#[derive(clap::Args, Debug)]
pub struct DbArg {
    /// Database: a SQLite file (`sqlite://PATH` or a path) or `postgres://…`.
    #[arg(long, env = "TENPA_DB", default_value = "sqlite://tenpa.db")]
    pub db: String,
}

/// Checks a username: 1 to [`MAX_USERNAME`] characters, letters, digits, `.`, `-`, `_` and `@`.
pub fn check_username(arg: &str, name: &str) -> Result<(), Failure> {
    let length = name.chars().count();
    if length == 0 || length > MAX_USERNAME {
        return Err(Failure::Input(format!(
            "{arg}: found a username of {length} characters, expected 1 to {MAX_USERNAME}"
        )));
    }
    if let Some(c) = name
        .chars()
        .find(|c| !(c.is_ascii_alphanumeric() || matches!(c, '.' | '-' | '_' | '@')))
    {
        return Err(Failure::Input(format!(
            "{arg}: found {c:?} in {name:?}, expected only letters, digits, '.', '-', '_' and '@'"
        )));
    }
    Ok(())
}

/// Checks a display name (defaulting to the username): 1 to [`MAX_DISPLAY_NAME`] characters, no
/// control characters.
pub fn display_name(given: Option<&str>, username: &str) -> Result<String, Failure> {
    let name = given.unwrap_or(username).trim();
    let length = name.chars().count();
    if length == 0 || length > MAX_DISPLAY_NAME || name.chars().any(char::is_control) {
        return Err(Failure::Input(format!(
            "--display-name: found {length} characters, expected 1 to {MAX_DISPLAY_NAME} without control characters"
        )));
    }
    Ok(name.to_string())
}

/// Checks a password's length.
pub fn check_password(password: &str) -> Result<(), Failure> {
    let length = password.chars().count();
    if length < MIN_PASSWORD {
        return Err(Failure::Input(format!(
            "password: found {length} characters, expected at least {MIN_PASSWORD}"
        )));
    }
    if length > MAX_PASSWORD {
        return Err(Failure::Input(format!(
            "password: found {length} characters, expected at most {MAX_PASSWORD}"
        )));
    }
    Ok(())
}

/// The password: one line of standard input with `--password-stdin`, else asked twice on the
/// terminal without echo. Checked for length.
pub fn read_password(from_stdin: bool, whose: &str) -> Result<String, Failure> {
    let password = if from_stdin {
        let mut line = String::new();
        std::io::stdin()
            .lock()
            .read_line(&mut line)
            .map_err(|e| Failure::Input(format!("--password-stdin: cannot read a line: {e}")))?;
        line.trim_end_matches(['\n', '\r']).to_string()
    } else {
        let ask = |prompt: &str| {
            rpassword::prompt_password(prompt).map_err(|e| {
                Failure::Input(format!(
                    "cannot ask for the password on a terminal ({e}): give --password-stdin and the password on standard input"
                ))
            })
        };
        let first = ask(&format!("New password for {whose}: "))?;
        check_password(&first)?;
        let second = ask("The same password again: ")?;
        if first != second {
            return Err(Failure::Input("password: the two entries differ".into()));
        }
        first
    };
    check_password(&password)?;
    Ok(password)
}

/// The roles named in `--role` (comma-separated `Role::as_str` names).
pub fn parse_roles(given: &[String]) -> Result<Vec<Role>, Failure> {
    tenpa_server::service::organisation::checked_roles(given)
        .map_err(|e| named(e, &[("roles", "--role")]))
}

/// The actor named in the audit log: `cli:` and the operator's OS user.
pub fn actor() -> String {
    std::env::var("USER")
        .or_else(|_| std::env::var("USERNAME"))
        .ok()
        .filter(|u| !u.is_empty())
        .map_or_else(|| "tenpa users".to_string(), |u| format!("cli:{u}"))
}

/// Opens the database (running its migrations).
pub async fn open(db: &str) -> Result<Store, Failure> {
    Store::connect(db)
        .await
        .map_err(|e| Failure::Store(format!("cannot open the database {}: {e}", redact(db))))
}

/// Runs `body` on a runtime, reporting its failure.
pub fn block_on<F: std::future::Future<Output = Result<(), Failure>>>(body: F) -> ExitCode {
    let rt = match tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
    {
        Ok(rt) => rt,
        Err(e) => return Failure::Store(format!("cannot start: {e}")).report(),
    };
    match rt.block_on(body) {
        Ok(()) => ExitCode::SUCCESS,
        Err(f) => f.report(),
    }
}

/// `tenpa users`.
#[derive(Parser, Debug)]
pub struct Args {
    #[command(subcommand)]
    pub command: UsersCommand,
}

/// Output format of `tenpa users list`.
#[derive(ValueEnum, Clone, Copy, Debug, PartialEq, Eq)]
pub enum Format {
    /// A table.
    Text,
    /// A JSON array.
    Json,
}

/// The account commands.
#[derive(Subcommand, Debug)]
pub enum UsersCommand {
    /// Add an account with a password (asked on the terminal, or one line of standard input).
    Add {
        #[command(flatten)]
        db: DbArg,
        /// The sign-in name: letters, digits, `.`, `-`, `_`, `@`; at most 200 characters.
        username: String,
        /// Roles, comma-separated (e.g. `consultant,clinical_director`).
        #[arg(long = "role", value_name = "ROLE[,ROLE…]", required = true)]
        roles: Vec<String>,
        /// The shown name (default: the username).
        #[arg(long)]
        display_name: Option<String>,
        /// The department (of a clinical director or consultant), by id.
        #[arg(long, value_name = "ID")]
        department: Option<i64>,
        /// The consultant record of a consultant, by id.
        #[arg(long, value_name = "ID")]
        consultant: Option<String>,
        /// The address the account's notifications are emailed to.
        #[arg(long, value_name = "ADDRESS")]
        email: Option<String>,
        /// Read the password from the first line of standard input instead of asking.
        #[arg(long)]
        password_stdin: bool,
        /// No password: the account signs in only through OpenID Connect.
        #[arg(long, conflicts_with = "password_stdin")]
        no_password: bool,
    },
    /// Disable an account: it can no longer sign in (password, OpenID Connect or API token) and
    /// its sessions end.
    Disable {
        #[command(flatten)]
        db: DbArg,
        /// The account.
        username: String,
    },
    /// Enable a disabled account again.
    Enable {
        #[command(flatten)]
        db: DbArg,
        /// The account.
        username: String,
    },
    /// Set a new password for an account; its sessions end.
    ResetPassword {
        #[command(flatten)]
        db: DbArg,
        /// The account.
        username: String,
        /// Read the password from the first line of standard input instead of asking.
        #[arg(long)]
        password_stdin: bool,
    },
    /// Link an account to its department and to the consultant record of the person who holds
    /// it (a consultant, or a director who is also a consultant), or remove a link. The link to a
    /// consultant record is how Tenpa knows a person's own plan, on which they act only as the
    /// consultant.
    Link {
        #[command(flatten)]
        db: DbArg,
        /// The account.
        username: String,
        /// The department, by id.
        #[arg(long, value_name = "ID", conflicts_with = "no_department")]
        department: Option<i64>,
        /// Remove the link to a department.
        #[arg(long)]
        no_department: bool,
        /// The consultant record, by id.
        #[arg(long, value_name = "ID", conflicts_with = "no_consultant")]
        consultant: Option<String>,
        /// Remove the link to a consultant record.
        #[arg(long)]
        no_consultant: bool,
    },
    /// List the accounts.
    List {
        #[command(flatten)]
        db: DbArg,
        /// Output format.
        #[arg(long, value_enum, default_value = "text")]
        format: Format,
    },
}

/// Runs `tenpa users`.
pub fn run(args: Args) -> ExitCode {
    block_on(async move {
        match args.command {
            UsersCommand::Add {
                db,
                username,
                roles,
                display_name: shown,
                department,
                consultant,
                email,
                password_stdin,
                no_password,
            } => {
                check_username("USERNAME", &username)?;
                let email = tenpa_server::service::notifications::checked_email(email.as_deref())
                    .map_err(|e| named(e, &[("email", "--email")]))?;
                let roles = parse_roles(&roles)?;
                let shown = display_name(shown.as_deref(), &username)?;
                let store = open(&db.db).await?;
                if store.account(&username).await?.is_some() {
                    return Err(Failure::Input(format!(
                        "USERNAME: an account named {username} exists already"
                    )));
                }
                if let Some(d) = department {
                    if !store.departments().await?.iter().any(|x| x.id == d) {
                        return Err(Failure::Input(format!(
                            "--department: found {d}, expected the id of a department"
                        )));
                    }
                }
                if let Some(c) = &consultant {
                    if store.consultant(c).await?.is_none() {
                        return Err(Failure::Input(format!(
                            "--consultant: found {c:?}, expected the id of a consultant record"
                        )));
                    }
                    if let Some(other) = store.account_for_consultant(c).await? {
                        return Err(Failure::Input(format!(
                            "--consultant: {}",
                            tenpa_store::second_account(c, &other)
                        )));
                    }
                }
                let password_hash = if no_password {
                    String::new()
                } else {
                    let password = read_password(password_stdin, &username)?;
                    tenpa_server::auth::hash_password(&password)
                };
                let user = NewUser {
                    username: username.clone(),
                    display_name: shown,
                    password_hash,
                    roles,
                    department_id: department,
                    consultant_id: consultant,
                    email,
                };
                store.create_user(&actor(), &user).await?;
                println!("account {username} added");
                Ok(())
            }
            UsersCommand::Disable { db, username } => {
                let store = open(&db.db).await?;
                if store.set_user_disabled(&actor(), &username, true).await? {
                    println!("account {username} disabled; its sessions have ended");
                } else {
                    println!("account {username} was already disabled");
                }
                Ok(())
            }
            UsersCommand::Enable { db, username } => {
                let store = open(&db.db).await?;
                if store.set_user_disabled(&actor(), &username, false).await? {
                    println!("account {username} enabled");
                } else {
                    println!("account {username} was already enabled");
                }
                Ok(())
            }
            UsersCommand::ResetPassword {
                db,
                username,
                password_stdin,
            } => {
                let store = open(&db.db).await?;
                match store.account(&username).await? {
                    None => {
                        return Err(Failure::Input(format!(
                            "USERNAME: found {username:?}, expected the username of an account"
                        )))
                    }
                    // A password would make it a local account, which the identity provider
                    // then no longer signs in.
                    Some(a) if a.user.password_hash.is_empty() => {
                        return Err(Failure::Input(format!(
                            "USERNAME: {username} has no password (it signs in through the identity provider), expected an account with a password"
                        )))
                    }
                    Some(_) => {}
                }
                let password = read_password(password_stdin, &username)?;
                let hash = tenpa_server::auth::hash_password(&password);
                store.set_user_password(&actor(), &username, &hash).await?;
                println!("password of {username} reset; its sessions have ended");
                Ok(())
            }
            UsersCommand::Link {
                db,
                username,
                department,
                no_department,
                consultant,
                no_consultant,
            } => {
                if department.is_none() && !no_department && consultant.is_none() && !no_consultant
                {
                    return Err(Failure::Input(
                        "expected --department ID, --no-department, --consultant ID or --no-consultant".into(),
                    ));
                }
                let store = open(&db.db).await?;
                let Some(account) = store.account(&username).await? else {
                    return Err(Failure::Input(format!(
                        "USERNAME: found {username:?}, expected the username of an account"
                    )));
                };
                let department = match (department, no_department) {
                    (Some(d), _) => Some(d),
                    (None, true) => None,
                    (None, false) => account.user.department_id,
                };
                let consultant = match (consultant, no_consultant) {
                    (Some(c), _) => Some(c),
                    (None, true) => None,
                    (None, false) => account.user.consultant_id.clone(),
                };
                let changed = store
                    .set_user_links(&actor(), &username, department, consultant.as_deref())
                    .await
                    .map_err(|e| match e {
                        StoreError::Invalid { field, message } => {
                            Failure::Input(format!("--{}: {message}", field.replacen("_id", "", 1)))
                        }
                        other => other.into(),
                    })?;
                let shown = |d: Option<String>| d.unwrap_or_else(|| "none".into());
                println!(
                    "account {username} {}: department {}, consultant record {}",
                    if changed { "linked" } else { "unchanged" },
                    shown(department.map(|d| d.to_string())),
                    shown(consultant),
                );
                Ok(())
            }
            UsersCommand::List { db, format } => {
                let store = open(&db.db).await?;
                let accounts = store.accounts().await?;
                let roles = |u: &tenpa_store::User| {
                    u.roles
                        .iter()
                        .map(|r| r.as_str())
                        .collect::<Vec<_>>()
                        .join(",")
                };
                match format {
                    Format::Json => {
                        let v: Vec<serde_json::Value> = accounts
                            .iter()
                            .map(|a| {
                                serde_json::json!({
                                    "username": a.user.username,
                                    "display_name": a.user.display_name,
                                    "roles": a.user.roles.iter().map(|r| r.as_str()).collect::<Vec<_>>(),
                                    "department_id": a.user.department_id,
                                    "consultant_id": a.user.consultant_id,
                                    "disabled": a.disabled_at.is_some(),
                                    "disabled_at": a.disabled_at,
                                })
                            })
                            .collect();
                        println!(
                            "{}",
                            serde_json::to_string_pretty(&v).unwrap_or_else(|_| "[]".into())
                        );
                    }
                    Format::Text => {
                        println!("username\tdisplay name\troles\tdepartment\tconsultant\tdisabled");
                        for a in &accounts {
                            println!(
                                "{}\t{}\t{}\t{}\t{}\t{}",
                                a.user.username,
                                a.user.display_name,
                                roles(&a.user),
                                a.user
                                    .department_id
                                    .map_or_else(|| "-".to_string(), |d| d.to_string()),
                                a.user.consultant_id.as_deref().unwrap_or("-"),
                                a.disabled_at.as_deref().unwrap_or("no"),
                            );
                        }
                    }
                }
                Ok(())
            }
        }
    })
}
