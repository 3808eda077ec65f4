//! `tenpa import establishment FILE [--mapping FILE] [--dry-run] [--skip-invalid] [--db URL]`:
//! consultant records from an extract of the trust's staff record. The report lists every row
//! (create, update with the fields that change, unchanged, or its errors with line, column, value
//! and expectation); the changes are applied in one transaction, and only when no row has an error
//! — or, with `--skip-invalid`, the valid rows' changes, the rows with errors skipped and listed.
//! Re-importing the same file changes nothing. Exit codes: 0 applied (with `--skip-invalid`, also
//! when rows were skipped), a clean dry run or nothing to change; 1 rows with errors without
//! `--skip-invalid` (nothing written) or the database could not be used; 2 unreadable input.
//!
//! `tenpa import plans FILE…|DIR [--dry-run] [--db URL]`: job plan documents, one draft plan a
//! file, reported file by file (create, unchanged, or the file's errors) and created in one
//! transaction only when no file has an error; the same exit codes.

use crate::parameters::ParameterDir;
use crate::users::{actor, open, DbArg, Failure};
use clap::{Parser, Subcommand};
use std::io::IsTerminal;
use std::path::{Path, PathBuf};
use std::process::ExitCode;
use tenpa_rules::parameters::Parameters;
use tenpa_server::service::establishment::{self, Mapping, Outcome};
use tenpa_server::service::plan_import::{self, PlanFile};

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
        /// Write the valid rows and skip the rows with errors, listing them (an assignment number
        /// or username on more than one row skips every one of those rows). Exits 0 when the valid
        /// rows are applied, even with rows skipped; without it a row with an error writes nothing
        /// and exits 1.
        #[arg(long)]
        skip_invalid: bool,
    },
    /// Draft job plans from job plan documents (TOML or JSON), one plan a file.
    Plans {
        #[command(flatten)]
        db: DbArg,
        /// The documents: files, or directories (every *.toml and *.json in them, by name).
        #[arg(required = true, value_name = "FILE|DIR")]
        paths: Vec<PathBuf>,
        /// Report what would change and write nothing.
        #[arg(long)]
        dry_run: bool,
        #[command(flatten)]
        parameters: ParameterDir,
    },
}

/// Runs `tenpa import`.
pub fn run(args: Args) -> ExitCode {
    let rt = match tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
    {
        Ok(rt) => rt,
        Err(e) => return Failure::Store(format!("cannot start: {e}")).report(),
    };
    let done = match args.command {
        ImportCommand::Establishment {
            db,
            file,
            mapping,
            dry_run,
            skip_invalid,
        } => rt.block_on(establishment_import(
            &db.db,
            &file,
            mapping.as_deref(),
            establishment::Apply {
                dry_run,
                skip_invalid,
            },
        )),
        ImportCommand::Plans {
            db,
            paths,
            dry_run,
            parameters,
        } => match parameters.load_or_report() {
            Ok(params) => rt.block_on(plans_import(&db.db, &paths, dry_run, &params)),
            Err(code) => return code,
        },
    };
    match done {
        Ok(code) => code,
        Err(f) => f.report(),
    }
}

/// The files of `paths`, in order: a file as it is, a directory as every `*.toml` and `*.json`
/// file in it, by name. A path that cannot be read, or a directory without such files, is bad
/// input.
fn plan_files(paths: &[PathBuf]) -> Result<Vec<PlanFile>, Failure> {
    let read = |path: &Path| {
        std::fs::read(path)
            .map(|bytes| PlanFile {
                name: path.display().to_string(),
                bytes,
            })
            .map_err(|e| Failure::Input(format!("{}: cannot read: {e}", path.display())))
    };
    let mut files = Vec::new();
    for path in paths {
        if !path.is_dir() {
            files.push(read(path)?);
            continue;
        }
        let entries = std::fs::read_dir(path)
            .map_err(|e| Failure::Input(format!("{}: cannot read: {e}", path.display())))?;
        let mut names = Vec::new();
        for entry in entries {
            let entry = entry
                .map_err(|e| Failure::Input(format!("{}: cannot read: {e}", path.display())))?;
            let name = entry.file_name().to_string_lossy().into_owned();
            let is_file = entry.file_type().is_ok_and(|t| !t.is_dir());
            if is_file && tenpa_rules::Format::from_path(&name).is_some() {
                names.push(name);
            }
        }
        if names.is_empty() {
            return Err(Failure::Input(format!(
                "{}: found no .toml or .json file in the directory, expected job plan documents",
                path.display()
            )));
        }
        names.sort();
        for name in names {
            files.push(read(&path.join(name))?);
        }
    }
    Ok(files)
}

async fn plans_import(
    db: &str,
    paths: &[PathBuf],
    dry_run: bool,
    params: &Parameters,
) -> Result<ExitCode, Failure> {
    let files = plan_files(paths)?;
    let store = open(db).await?;
    let held = plan_import::Held::read(&store).await?;
    let terminal = std::io::stderr().is_terminal();
    let total = files.len();
    let mut progress = |n: usize| {
        if terminal && total >= 20 {
            eprint!("\rchecked {n} of {total} files");
        }
    };
    let report = plan_import::read(&files, &held, params, &mut progress);
    if terminal && total >= 20 {
        eprintln!();
    }
    for f in &report.files {
        let plan = f
            .plan
            .as_ref()
            .map_or(String::new(), |(c, from)| format!(" {c} from {from}"));
        match &f.outcome {
            plan_import::Outcome::Create => println!("{}:{plan}: create", f.file),
            plan_import::Outcome::Unchanged(id) => {
                println!("{}:{plan}: unchanged (job plan {id})", f.file)
            }
            plan_import::Outcome::Error(errors) => {
                for e in errors {
                    println!("{e}");
                }
            }
        }
    }
    let (create, unchanged) = report.counts();
    let errors = report.errors();
    println!(
        "{} files: {create} to create, {unchanged} unchanged, {errors} with errors",
        report.files.len()
    );
    if errors > 0 {
        println!("nothing written: correct the files with errors and import them again");
        return Ok(ExitCode::FAILURE);
    }
    if dry_run {
        println!("dry run: nothing written");
        return Ok(ExitCode::SUCCESS);
    }
    if report.plans.is_empty() {
        println!("nothing to change");
        return Ok(ExitCode::SUCCESS);
    }
    let ids = store
        .import_job_plans(&actor(), &report.to_store(), files.len(), &report.sha256)
        .await?;
    println!(
        "applied: {} draft plans created (files SHA-256 {})",
        ids.len(),
        report.sha256
    );
    Ok(ExitCode::SUCCESS)
}

async fn establishment_import(
    db: &str,
    file: &std::path::Path,
    mapping: Option<&std::path::Path>,
    how: establishment::Apply,
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
    let today = tenpa_server::uk_time::today();
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
                let skip = if how.skip_invalid { "skipped: " } else { "" };
                for e in errors {
                    println!("{skip}{e}");
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
    let skipped = if how.skip_invalid && errors > 0 {
        format!(", {errors} rows with errors skipped")
    } else {
        String::new()
    };
    match establishment::apply(&store, &actor(), &report, how).await? {
        establishment::Applied::Refused => {
            println!("nothing written: correct the rows with errors and import the file again, or import the valid rows with --skip-invalid");
            Ok(ExitCode::FAILURE)
        }
        establishment::Applied::DryRun => {
            println!("dry run: nothing written{skipped}");
            Ok(ExitCode::SUCCESS)
        }
        establishment::Applied::NothingToChange => {
            println!("nothing to change{skipped}");
            Ok(ExitCode::SUCCESS)
        }
        establishment::Applied::Written(counts, skipped) => {
            println!(
                "applied: {} created, {} updated, {} accounts created, {skipped} skipped (file SHA-256 {})",
                counts.created, counts.updated, counts.accounts, report.sha256
            );
            Ok(ExitCode::SUCCESS)
        }
    }
}
