//! `tenpa evaluate FILE… [--format json|text] [--on DATE]`.

use crate::parameters::ParameterDir;
use chrono::NaiveDate;
use clap::{Parser, ValueEnum};
use std::process::ExitCode;
use tenpa_rules::{evaluate, parse_document, Assessment, Format, JobPlanDocument, Parameters};

/// Output format.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum OutputFormat {
    /// The assessment JSON (an array when several files).
    Json,
    /// A report for a person at a terminal.
    Text,
}

/// `tenpa evaluate`.
#[derive(Parser, Debug)]
pub struct Args {
    /// Job plan documents, `.toml` or `.json`.
    #[arg(required = true, value_name = "FILE")]
    pub files: Vec<String>,
    /// Output format.
    #[arg(long, value_enum, default_value_t = OutputFormat::Json, env = "TENPA_FORMAT")]
    pub format: OutputFormat,
    /// The date the rules are applied at (YYYY-MM-DD); default: each plan's effective_from.
    #[arg(long, value_name = "DATE", value_parser = crate::text::parse_date, env = "TENPA_ON")]
    pub on: Option<NaiveDate>,
    #[command(flatten)]
    pub parameters: ParameterDir,
}

/// Reads one document, naming the file in every error.
pub fn read(path: &str, params: &Parameters) -> Result<JobPlanDocument, String> {
    let format = Format::from_path(path).ok_or_else(|| {
        format!("{path}: expected a .toml or .json file (the format is chosen by the extension)")
    })?;
    let bytes = std::fs::read(path).map_err(|e| format!("{path}: cannot read the file: {e}"))?;
    parse_document(path, &bytes, format, params).map_err(|e| e.to_string())
}

/// Runs the command; exit 0 without error findings, 1 with any, 2 when input cannot be read.
pub fn run(args: Args) -> ExitCode {
    let params = match args.parameters.load_or_report() {
        Ok(p) => p,
        Err(code) => return code,
    };
    let mut done: Vec<(JobPlanDocument, Assessment)> = Vec::new();
    let mut unreadable = 0;
    for path in &args.files {
        match read(path, &params).and_then(|doc| {
            evaluate(&doc, &params, args.on)
                .map(|a| (doc, a))
                .map_err(|e| format!("{path}: {e}"))
        }) {
            Ok(pair) => done.push(pair),
            Err(e) => {
                eprintln!("tenpa: {e}");
                unreadable += 1;
            }
        }
    }
    if unreadable > 0 {
        return ExitCode::from(2);
    }
    match args.format {
        OutputFormat::Json => {
            let out = if done.len() == 1 {
                serde_json::to_string_pretty(&done[0].1)
            } else {
                serde_json::to_string_pretty(&done.iter().map(|(_, a)| a).collect::<Vec<_>>())
            };
            println!("{}", out.expect("assessments serialise"));
        }
        OutputFormat::Text => {
            for (i, (doc, a)) in done.iter().enumerate() {
                if i > 0 {
                    println!();
                }
                print!("{}", crate::text::render(doc, a, &params));
            }
        }
    }
    if done.iter().any(|(_, a)| a.has_errors()) {
        ExitCode::from(1)
    } else {
        ExitCode::SUCCESS
    }
}
