//! `tenpa import establishment FILE [--mapping FILE] [--dry-run] [--db URL]`: consultant records
//! from an extract of the trust's staff record. The report lists every row (create, update with the
//! fields that change, unchanged, or its errors with line, column, value and expectation); the
//! changes are applied in one transaction, and only when no row has an error. Re-importing the same
//! file changes nothing. Exit codes: 0 applied (or a clean dry run), 1 rows with errors (nothing
//! written) or the database could not be used, 2 unreadable input.

use crate::users::{actor, open, DbArg, Failure};
use clap::{Parser, Subcommand};
use std::io::IsTerminal;
use std::path::PathBuf;
use std::process::ExitCode;
use tenpa_rules::parameters::Parameters;
use tenpa_server::establishment::{self, Mapping, Outcome};

/// `tenpa import`.
#[derive(Parser, Debug)]
pub struct Args {
    #[command(subcommand)]
    command: ImportCommand,
}

#[derive(Subcommand, Debug)]
enum ImportCommand {
    /// Consultant records from a CSV extract of the staff record (assignment number as the key).
    Establishment {
        #[command(flatten)]
        db: DbArg,
        /// The CSV file.
        file: PathBuf,
        /// A TOML file naming the extract's headings (`[columns] name = "Full Name"`).
        #[arg(long, value_name = "FILE")]
        mapping: Option<PathBuf>,
        /// Report what would change and write nothing.
        #[arg(long)]
        dry_run: bool,
    },
}

/// Runs `tenpa import`.
pub fn run(args: Args) -> ExitCode {
    let ImportCommand::Establishment {
        db,
        file,
        mapping,
        dry_run,
    } = args.command;
    let rt = match tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
    {
        Ok(rt) => rt,
        Err(e) => return Failure::Store(format!("cannot start: {e}")).report(),
    };
    match rt.block_on(establishment_import(
        &db.db,
        &file,
        mapping.as_deref(),
        dry_run,
    )) {
        Ok(code) => code,
        Err(f) => f.report(),
    }
}

async fn establishment_import(
    db: &str,
    file: &std::path::Path,
    mapping: Option<&std::path::Path>,
    dry_run: bool,
) -> Result<ExitCode, Failure> {
    let shown = file.display();
    let bytes =
        std::fs::read(file).map_err(|e| Failure::Input(format!("{shown}: cannot read: {e}")))?;
    let mapping = match mapping {
        None => Mapping::default(),
        Some(m) => {
            let text = std::fs::read_to_string(m)
                .map_err(|e| Failure::Input(format!("{}: cannot read: {e}", m.display())))?;
            Mapping::parse(&text).map_err(|e| Failure::Input(format!("{}: {e}", m.display())))?
        }
    };
    let store = open(db).await?;
    let held = establishment::Held::read(&store).await?;
    let today = establishment::uk_date(chrono::Utc::now());
    let full_time_pas = *Parameters::embedded()
        .full_time_pas
        .value(today)
        .map_err(|e| Failure::Store(format!("working_week: {e}")))?;
    let cx = held.context(today, full_time_pas);
    let terminal = std::io::stderr().is_terminal();
    let mut progress = |n: usize| {
        if terminal {
            eprint!("\rchecked {n} rows");
        }
    };
    let report = establishment::read(&bytes, &mapping, &cx, &mut progress)
        .map_err(|e| Failure::Input(format!("{shown}: {e}")))?;
    if terminal && report.rows.len() >= 1000 {
        eprintln!("\rchecked {} rows", report.rows.len());
    }
    for row in &report.rows {
        let with = row
            .account
            .as_deref()
            .map_or(String::new(), |u| format!(", with the account {u}"));
        match &row.outcome {
            Outcome::Create => println!("line {}: {}: create{with}", row.line, row.key),
            Outcome::Update(fields) => println!(
                "line {}: {}: update ({}){with}",
                row.line,
                row.key,
                fields.join(", ")
            ),
            Outcome::Unchanged => println!("line {}: {}: unchanged", row.line, row.key),
            Outcome::Error(errors) => {
                for e in errors {
                    println!("{e}");
                }
            }
        }
    }
    let (create, update, unchanged) = report.counts();
    let errors = report.errors();
    println!(
        "{} rows: {create} to create, {update} to update, {unchanged} unchanged, {errors} with errors",
        report.rows.len()
    );
    if errors > 0 {
        println!("nothing written: correct the rows with errors and import the file again");
        return Ok(ExitCode::FAILURE);
    }
    if dry_run {
        println!("dry run: nothing written");
        return Ok(ExitCode::SUCCESS);
    }
    if report.changes.is_empty() && report.accounts.is_empty() {
        println!("nothing to change");
        return Ok(ExitCode::SUCCESS);
    }
    let counts = store
        .apply_establishment(&actor(), &report.changes, &report.accounts, &report.sha256)
        .await?;
    println!(
        "applied: {} created, {} updated, {} accounts created (file SHA-256 {})",
        counts.created, counts.updated, counts.accounts, report.sha256
    );
    Ok(ExitCode::SUCCESS)
}
