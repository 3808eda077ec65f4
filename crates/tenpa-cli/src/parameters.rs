//! `tenpa parameters`: the figures in force, with their citations, and loading `--parameters DIR`.

use anyhow::{bail, Context};
use clap::Parser;
use std::path::{Path, PathBuf};
use std::process::ExitCode;
use tenpa_rules::Parameters;

/// Shared option: a directory of parameter files merged over the embedded ones.
#[derive(clap::Args, Debug, Clone)]
pub struct ParameterDir {
    /// Directory of parameter files (same relative paths as the embedded ones, e.g.
    /// pay/general_award.toml) merged over the embedded parameters.
    #[arg(long = "parameters", value_name = "DIR", env = "TENPA_PARAMETERS")]
    pub dir: Option<PathBuf>,
}

impl ParameterDir {
    /// Loads the parameters, or prints why not and gives the exit code 2.
    pub fn load_or_report(&self) -> Result<Parameters, ExitCode> {
        self.load().map_err(|e| {
            eprintln!("tenpa: {e:#}");
            ExitCode::from(2)
        })
    }

    /// Loads the parameters: embedded, with the directory's files merged on top.
    pub fn load(&self) -> anyhow::Result<Parameters> {
        let Some(dir) = &self.dir else {
            return Ok(Parameters::embedded().clone());
        };
        let files = self.files()?;
        Parameters::with_overrides(&files).map_err(|e| anyhow::anyhow!("{}: {e}", dir.display()))
    }

    /// The directory's files (relative path, text); none without `--parameters`.
    pub fn files(&self) -> anyhow::Result<Vec<(String, String)>> {
        let Some(dir) = &self.dir else {
            return Ok(Vec::new());
        };
        let mut files = Vec::new();
        collect(dir, dir, &mut files)?;
        if files.is_empty() {
            bail!("{}: no .toml parameter files found", dir.display());
        }
        Ok(files)
    }
}

fn collect(root: &Path, dir: &Path, out: &mut Vec<(String, String)>) -> anyhow::Result<()> {
    let entries = std::fs::read_dir(dir)
        .with_context(|| format!("{}: cannot read the parameter directory", dir.display()))?;
    let mut paths: Vec<PathBuf> = entries.filter_map(|e| e.ok().map(|e| e.path())).collect();
    paths.sort();
    for path in paths {
        if path.is_dir() {
            collect(root, &path, out)?;
        } else if path.extension().is_some_and(|e| e == "toml") {
            let rel = path
                .strip_prefix(root)
                .unwrap_or(&path)
                .to_string_lossy()
                .replace('\\', "/");
            let text = std::fs::read_to_string(&path).with_context(|| {
                format!("{}: cannot read the file as UTF-8 text", path.display())
            })?;
            out.push((rel, text));
        }
    }
    Ok(())
}

/// `tenpa parameters [PATH]`.
#[derive(Parser, Debug)]
pub struct Args {
    /// One parameter (e.g. pay/scale); all when absent.
    pub path: Option<String>,
    #[command(flatten)]
    pub parameters: ParameterDir,
}

/// Prints the parameters as JSON.
pub fn run(args: Args) -> ExitCode {
    let params = match args.parameters.load_or_report() {
        Ok(p) => p,
        Err(code) => return code,
    };
    let out = match &args.path {
        Some(p) => match params.describe(p) {
            Some(d) => serde_json::to_string_pretty(d),
            None => {
                eprintln!("tenpa: no parameter {p}; `tenpa parameters` lists them");
                return ExitCode::from(2);
            }
        },
        None => serde_json::to_string_pretty(&params.described().collect::<Vec<_>>()),
    };
    println!("{}", out.expect("parameters serialise"));
    ExitCode::SUCCESS
}
