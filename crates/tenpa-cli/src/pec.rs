//! `tenpa pec check FILE… [--format json|text]`: a PCT's professional executive committee against
//! PEC-1 … PEC-4.

use crate::evaluate::OutputFormat;
use crate::parameters::ParameterDir;
use clap::{Parser, Subcommand};
use std::fmt::Write;
use std::process::ExitCode;
use tenpa_rules::pec::{check, parse_pec, PecCheck};

/// `tenpa pec`.
#[derive(Parser, Debug)]
pub struct Args {
    #[command(subcommand)]
    pub command: PecCommand,
}

/// PEC subcommands.
#[derive(Subcommand, Debug)]
pub enum PecCommand {
    /// Check committee documents (TOML or JSON); exit 1 when any error finding, 2 when unreadable.
    Check {
        /// Committee documents.
        #[arg(required = true, value_name = "FILE")]
        files: Vec<String>,
        /// Output format.
        #[arg(long, value_enum, default_value_t = OutputFormat::Text, env = "TENPA_FORMAT")]
        format: OutputFormat,
        #[command(flatten)]
        parameters: ParameterDir,
    },
}

fn text(c: &PecCheck) -> String {
    let mut o = String::new();
    let _ = writeln!(
        o,
        "{} (overseen by {})",
        c.pct,
        if c.sha.is_empty() {
            "no SHA recorded"
        } else {
            &c.sha
        }
    );
    let _ = writeln!(
        o,
        "  {} members, {} sitting as clinicians",
        c.members, c.clinical_members
    );
    let by: Vec<String> = c
        .clinical_by_profession
        .iter()
        .map(|(p, n)| format!("{p} {n}"))
        .collect();
    let _ = writeln!(
        o,
        "  clinical seats: {}",
        if by.is_empty() {
            "none".into()
        } else {
            by.join(", ")
        }
    );
    let _ = writeln!(
        o,
        "  in place by the implementation date: {}",
        if c.implemented_in_time { "yes" } else { "no" }
    );
    if c.findings.is_empty() {
        let _ = writeln!(o, "  findings: none");
    }
    for f in &c.findings {
        let _ = writeln!(
            o,
            "  {:<8}{:<7}{} ({})",
            f.severity.as_str().to_uppercase(),
            f.rule,
            f.message,
            f.citation
        );
    }
    o
}

/// Runs the command.
pub fn run(args: Args) -> ExitCode {
    let PecCommand::Check {
        files,
        format,
        parameters,
    } = args.command;
    let params = match parameters.load_or_report() {
        Ok(p) => p,
        Err(code) => return code,
    };
    let mut results = Vec::new();
    let mut unreadable = false;
    for path in &files {
        let lower = path.to_ascii_lowercase();
        let toml = if lower.ends_with(".toml") {
            true
        } else if lower.ends_with(".json") {
            false
        } else {
            eprintln!("tenpa: {path}: expected a .toml or .json file");
            unreadable = true;
            continue;
        };
        match std::fs::read(path)
            .map_err(|e| format!("{path}: cannot read the file: {e}"))
            .and_then(|b| parse_pec(path, &b, toml).map_err(|e| e.to_string()))
        {
            Ok(doc) => results.push(check(&doc, &params)),
            Err(e) => {
                eprintln!("tenpa: {e}");
                unreadable = true;
            }
        }
    }
    if unreadable {
        return ExitCode::from(2);
    }
    match format {
        OutputFormat::Json if results.len() == 1 => println!(
            "{}",
            serde_json::to_string_pretty(&results[0]).expect("serialises")
        ),
        OutputFormat::Json => println!(
            "{}",
            serde_json::to_string_pretty(&results).expect("serialises")
        ),
        OutputFormat::Text => results.iter().for_each(|r| print!("{}", text(r))),
    }
    if results.iter().any(PecCheck::has_errors) {
        ExitCode::from(1)
    } else {
        ExitCode::SUCCESS
    }
}
