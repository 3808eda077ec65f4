//! `tenpa payroll export --period YYYY-MM [--format csv|xlsx] [-o FILE] [--db URL]`: the month's
//! payroll export (one line per consultant and pay element, with arrears of earlier months), made
//! and stored on the first request for the month, the stored file on any later one. Exit codes: 0
//! done, 1 the database could not be used, 2 bad input (a malformed month, one before the latest
//! exported, a file that cannot be written).

use crate::parameters::ParameterDir;
use crate::users::{actor, block_on, named, open, DbArg, Failure};
use clap::{Parser, Subcommand, ValueEnum};
use std::io::Write;
use std::path::PathBuf;
use std::process::ExitCode;

/// `tenpa payroll`.
#[derive(Parser, Debug)]
pub struct Args {
    #[command(subcommand)]
    command: PayrollCommand,
}

/// The file written.
#[derive(ValueEnum, Clone, Copy, Debug, PartialEq, Eq)]
pub enum Format {
    /// CSV (RFC 4180, CRLF line ends).
    Csv,
    /// An Excel workbook.
    Xlsx,
}

#[derive(Subcommand, Debug)]
enum PayrollCommand {
    /// Export a month's pay for payroll: made and stored the first time, the same file after.
    Export {
        #[command(flatten)]
        db: DbArg,
        #[command(flatten)]
        parameters: ParameterDir,
        /// The month, `YYYY-MM`.
        #[arg(long)]
        period: String,
        /// The file's format.
        #[arg(long, value_enum, default_value = "csv")]
        format: Format,
        /// Write the file here instead of to standard output.
        #[arg(short, long, value_name = "FILE")]
        output: Option<PathBuf>,
    },
}

/// Runs `tenpa payroll`.
pub fn run(args: Args) -> ExitCode {
    let PayrollCommand::Export {
        db,
        parameters,
        period,
        format,
        output,
    } = args.command;
    let params = match parameters.load_or_report() {
        Ok(p) => p,
        Err(code) => return code,
    };
    block_on(async move {
        let store = open(&db.db).await?;
        let exported = tenpa_server::service::payroll::export(&store, &params, &actor(), &period)
            .await
            .map_err(|e| named(e, &[("period", "--period")]))?;
        let bytes: &[u8] = match format {
            Format::Csv => exported.csv.as_bytes(),
            Format::Xlsx => &exported.xlsx,
        };
        match &output {
            Some(path) => std::fs::write(path, bytes)
                .map_err(|e| Failure::Input(format!("{}: cannot write: {e}", path.display())))?,
            None => std::io::stdout()
                .write_all(bytes)
                .map_err(|e| Failure::Input(format!("standard output: {e}")))?,
        }
        let e = &exported.export;
        let how = if exported.made {
            "made and stored"
        } else {
            "as stored when it was made"
        };
        eprintln!(
            "payroll {}: {} lines, total {}, {how} on {} by {} (CSV SHA-256 {})",
            e.period,
            e.line_count,
            tenpa_server::export::pounds(e.total_pence),
            e.created_at,
            e.created_by,
            e.sha256
        );
        Ok(())
    })
}
