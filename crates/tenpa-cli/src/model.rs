//! `tenpa model FILE.csv [--on DATE] [--scenario FILE.toml]… [--per-record OUT.csv]
//! [--format json|text] [--threads N] [--chart OUT.svg] [--skip-invalid]`, and
//! `tenpa model --generate N [--seed S] OUT.csv`.

use crate::parameters::ParameterDir;
use chrono::NaiveDate;
use clap::{Parser, ValueEnum};
use std::path::PathBuf;
use std::process::ExitCode;
use tenpa_model::report::ScenarioName;
use tenpa_model::{Job, Report, Scenario};
use tenpa_rules::population::Costing;
use tenpa_rules::Parameters;

/// Output format.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum OutputFormat {
    /// The pay bill as JSON (`docs/commands.md`).
    Json,
    /// A report for a person.
    Text,
}

/// `tenpa model`.
#[derive(Parser, Debug)]
pub struct Args {
    /// The population CSV file; with --generate, the file to write.
    #[arg(value_name = "FILE.csv")]
    pub file: PathBuf,
    /// The date the rules are applied at (YYYY-MM-DD); default: the start (1 April) of today's
    /// pay year.
    #[arg(long, value_name = "DATE", value_parser = crate::text::parse_date, env = "TENPA_ON")]
    pub on: Option<NaiveDate>,
    /// A scenario file of parameter overrides; repeat for several, costed in the same pass.
    #[arg(long = "scenario", value_name = "FILE.toml", env = "TENPA_SCENARIO")]
    pub scenarios: Vec<PathBuf>,
    /// Also write one line per row: id,total_pay_pence,superannuable_pence,on_call_pas.
    #[arg(long, value_name = "OUT.csv", env = "TENPA_PER_RECORD")]
    pub per_record: Option<PathBuf>,
    /// Output format.
    #[arg(long, value_enum, default_value_t = OutputFormat::Text, env = "TENPA_MODEL_FORMAT")]
    pub format: OutputFormat,
    /// Threads to use (default: every core).
    #[arg(long, value_name = "N", env = "TENPA_THREADS")]
    pub threads: Option<usize>,
    /// Also draw the pay bill by component, baseline and scenarios, as SVG.
    #[arg(long, value_name = "OUT.svg", env = "TENPA_CHART")]
    pub chart: Option<PathBuf>,
    /// Skip rows that cannot be read (and report how many, with the first reasons) instead of
    /// stopping at the first.
    #[arg(long, env = "TENPA_SKIP_INVALID")]
    pub skip_invalid: bool,
    /// No progress bar (it is shown only when standard error is a terminal).
    #[arg(long, env = "TENPA_NO_PROGRESS")]
    pub no_progress: bool,
    /// Write a synthetic population of N consultants to FILE.csv instead of costing one.
    #[arg(long, value_name = "N")]
    pub generate: Option<u64>,
    /// The random seed of --generate.
    #[arg(long, value_name = "S", default_value_t = 1, requires = "generate")]
    pub seed: u64,
    #[command(flatten)]
    pub parameters: ParameterDir,
}

/// Today's date in the UK.
fn today() -> NaiveDate {
    tenpa_server::uk_time::today()
}

fn fail(message: impl std::fmt::Display) -> ExitCode {
    eprintln!("tenpa: {message}");
    ExitCode::from(2)
}

/// Runs the command; exit 0 when costed, 2 when the input cannot be read.
pub fn run(args: Args) -> ExitCode {
    if let Some(n) = args.generate {
        let written = std::fs::File::create(&args.file).and_then(|f| {
            let mut w = std::io::BufWriter::new(f);
            tenpa_model::generate::generate(n, args.seed, &mut w)
        });
        return match written {
            Ok(()) => {
                eprintln!(
                    "tenpa: wrote {n} consultants to {} (seed {})",
                    args.file.display(),
                    args.seed
                );
                ExitCode::SUCCESS
            }
            Err(e) => fail(format!("{}: {e}", args.file.display())),
        };
    }
    let on = args
        .on
        .unwrap_or_else(|| tenpa_rules::pay::pay_year(today()).0);
    let base_files = match args.parameters.files() {
        Ok(f) => f,
        Err(e) => return fail(format!("{e:#}")),
    };
    let baseline = match Parameters::with_overrides(&base_files) {
        Ok(p) => p,
        Err(e) => return fail(e),
    };
    let mut costings = Vec::new();
    let mut names = Vec::new();
    match Costing::compile(&baseline, on) {
        Ok(c) => costings.push(c),
        Err(e) => return fail(format!("cannot cost on {on}: {e}")),
    }
    for path in &args.scenarios {
        let file = path.display().to_string();
        let scenario = match std::fs::read_to_string(path) {
            Ok(text) => Scenario::parse(&file, &text),
            Err(e) => Err(format!("{file}: cannot read the scenario: {e}")),
        };
        let compiled = scenario.and_then(|s| {
            let p = s.parameters(&base_files)?;
            let c = Costing::compile(&p, on)
                .map_err(|e| format!("{file}: cannot cost on {on}: {e}"))?;
            Ok((s, c))
        });
        match compiled {
            Ok((s, c)) => {
                names.push(ScenarioName {
                    name: s.name,
                    file: s.file,
                    description: s.description,
                });
                costings.push(c);
            }
            Err(e) => return fail(e),
        }
    }
    let threads = args.threads.unwrap_or_else(|| {
        std::thread::available_parallelism().map_or(1, std::num::NonZeroUsize::get)
    });
    if threads == 0 {
        return fail("--threads: expected at least 1");
    }
    let job = Job {
        path: &args.file,
        costings: &costings,
        threads,
        per_record: args.per_record.as_deref(),
        skip_invalid: args.skip_invalid,
        progress: !args.no_progress,
    };
    let outcome = match tenpa_model::run(&job) {
        Ok(o) => o,
        Err(e) => return fail(e),
    };
    let report = Report::new(
        &args.file.display().to_string(),
        &costings,
        &outcome.totals,
        &names,
        outcome.skipped,
        outcome.reasons,
    );
    if let Some(chart) = &args.chart {
        if let Err(e) = std::fs::write(chart, tenpa_model::chart::svg(&report)) {
            return fail(format!("{}: {e}", chart.display()));
        }
    }
    match args.format {
        OutputFormat::Json => println!(
            "{}",
            serde_json::to_string_pretty(&report).expect("the report serialises")
        ),
        OutputFormat::Text => print!("{}", report.text()),
    }
    ExitCode::SUCCESS
}
