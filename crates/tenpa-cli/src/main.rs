//! The `tenpa` command: a thin layer over the rules library.

mod audit;
mod evaluate;
mod import;
mod init;
mod model;
mod organisation;
mod parameters;
mod payroll;
mod pec;
mod progression;
mod remind;
mod serve;
mod snapshot;
mod text;
mod users;

use clap::{Parser, Subcommand};
use std::process::ExitCode;

/// The allocator: mimalloc's per-thread free lists make the server's many small, short-lived
/// allocations (request headers, bodies, documents, answers) cheaper than the system allocator
/// does (`docs/performance.md`, "The service").
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

/// Tenpa: NHS consultant job planning and pay, from the contract's rules.
#[derive(Parser)]
#[command(name = "tenpa", version, about, long_about = None)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Assess job plan documents (TOML or JSON) without a database.
    Evaluate(evaluate::Args),
    /// List the parameters in force, or show one, with their citations.
    Parameters(parameters::Args),
    /// Run the web application and HTTP API.
    Serve(Box<serve::Args>),
    /// First start: create the first administrator on a database without accounts.
    Init(init::Args),
    /// Accounts: add, disable, enable, reset a password, link, list.
    Users(users::Args),
    /// Employers: the trust, and other NHS employers its consultants work for.
    Employers(organisation::EmployerArgs),
    /// Departments of an employer.
    Departments(organisation::DepartmentArgs),
    /// Import consultant records from the staff record (establishment CSV) or job plans in bulk,
    /// with a dry run.
    Import(import::Args),
    /// Check the audit log and the stored pay, and write keyed checkpoints of the log.
    Audit(audit::AuditArgs),
    /// Professional executive committees: check composition and appointments (PEC-1 … PEC-4).
    Pec(pec::Args),
    /// A consultant's pay-point timeline from a career document (TOML or JSON).
    Progression(progression::Args),
    /// Pay to payroll: a month's export with arrears, stored and reproducible.
    Payroll(payroll::Args),
    /// Cost a population of consultants (one job-plan summary per CSV row), with scenarios.
    Model(model::Args),
    /// Store this month's snapshot of the job-plan sign-off measure (for a monthly scheduler).
    Snapshot(snapshot::Args),
    /// Give the reminders due today: a round's deadline, a review falling due (for a scheduler).
    Remind(remind::Args),
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    match cli.command {
        Command::Evaluate(args) => evaluate::run(args),
        Command::Parameters(args) => parameters::run(args),
        Command::Serve(args) => serve::run(*args),
        Command::Init(args) => init::run(args),
        Command::Users(args) => users::run(args),
        Command::Employers(args) => organisation::run_employers(args),
        Command::Departments(args) => organisation::run_departments(args),
        Command::Import(args) => import::run(args),
        Command::Audit(args) => audit::run(args),
        Command::Pec(args) => pec::run(args),
        Command::Progression(args) => progression::run(args),
        Command::Model(args) => model::run(args),
        Command::Payroll(args) => payroll::run(args),
        Command::Snapshot(args) => snapshot::run(args),
        Command::Remind(args) => remind::run(args),
    }
}
