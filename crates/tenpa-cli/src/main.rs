//! The `tenpa` command: a thin layer over the rules library.

mod evaluate;
mod model;
mod parameters;
mod text;

use clap::{Parser, Subcommand};
use std::process::ExitCode;

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
    /// Cost a population of consultants (one job-plan summary per CSV row), with scenarios.
    Model(model::Args),
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    match cli.command {
        Command::Evaluate(args) => evaluate::run(args),
        Command::Parameters(args) => parameters::run(args),
        Command::Model(args) => model::run(args),
    }
}
