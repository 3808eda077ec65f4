//! Scenario files: named sets of parameter overrides, in the same format as `--parameters`
//! files, several to a file.
//!
//! ```toml
//! name = "3% award from April 2006"          # optional; default: the file name
//! description = "What the scenario asks"     # optional
//!
//! [[parameter]]
//! path = "pay/general_award.toml"            # the parameter file it overrides
//! description = "General pay awards, with a 3% award in 2006/07"
//! unit = "percent"
//! kind = "events"
//! [[parameter.values]]
//! from = "2006-04-01"
//! value = "3"
//! cite = "Scenario: a 3% award"
//! ```
//!
//! Each `[[parameter]]` table, less its `path`, is a parameter file: it is checked by the same
//! loader and merged the same way (a value with the same `from` date replaces the one in force,
//! others are added), on top of the embedded parameters and `--parameters DIR`.

use serde::Deserialize;
use std::path::Path;
use tenpa_rules::Parameters;

/// A scenario: its name and its parameters.
#[derive(Debug, Clone)]
pub struct Scenario {
    /// Name shown in reports.
    pub name: String,
    /// The file it came from.
    pub file: String,
    /// What it asks, if said.
    pub description: String,
    /// The parameter files it overrides (relative path, text).
    pub overrides: Vec<(String, String)>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct Raw {
    #[serde(default)]
    name: Option<String>,
    #[serde(default)]
    description: String,
    #[serde(default)]
    parameter: Vec<toml::Spanned<toml::Table>>,
}

fn line_of(text: &str, offset: usize) -> usize {
    text[..offset.min(text.len())].matches('\n').count() + 1
}

impl Scenario {
    /// Reads a scenario file's text; `file` names it in errors.
    pub fn parse(file: &str, text: &str) -> Result<Scenario, String> {
        let raw: Raw = toml::from_str(text).map_err(|e| {
            let at = e
                .span()
                .map(|s| format!(":{}", line_of(text, s.start)))
                .unwrap_or_default();
            format!("{file}{at}: {}", e.message().trim())
        })?;
        if raw.parameter.is_empty() {
            return Err(format!(
                "{file}: no [[parameter]] tables: a scenario overrides at least one parameter file (see `tenpa parameters` for their paths)"
            ));
        }
        let mut overrides = Vec::new();
        for p in raw.parameter {
            let line = line_of(text, p.span().start);
            let mut table = p.into_inner();
            let path = match table.remove("path") {
                Some(toml::Value::String(s)) => s,
                _ => {
                    return Err(format!(
                        "{file}:{line}: [[parameter]] needs `path`, the parameter file it overrides, e.g. path = \"pay/general_award.toml\""
                    ))
                }
            };
            let body = toml::to_string(&table)
                .map_err(|e| format!("{file}:{line}: [[parameter]] {path}: {e}"))?;
            overrides.push((path, body));
        }
        let stem = Path::new(file)
            .file_stem()
            .map_or(file.to_string(), |s| s.to_string_lossy().into_owned());
        Ok(Scenario {
            name: raw.name.unwrap_or(stem),
            file: file.to_string(),
            description: raw.description,
            overrides,
        })
    }

    /// The parameters of the scenario: `base` (embedded and `--parameters` files) with the
    /// scenario's files merged on top.
    pub fn parameters(&self, base: &[(String, String)]) -> Result<Parameters, String> {
        let mut all = base.to_vec();
        all.extend(self.overrides.iter().cloned());
        Parameters::with_overrides(&all).map_err(|e| {
            format!(
                "{}: [[parameter]] {}: {}: {}",
                self.file, e.file, e.field, e.message
            )
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_scenario_overrides_parameters() {
        let s = Scenario::parse(
            "award.toml",
            r#"
name = "Award"
[[parameter]]
path = "pay/general_award.toml"
description = "d"
unit = "percent"
kind = "events"
[[parameter.values]]
from = "2006-04-01"
value = "1"
cite = "scenario"
"#,
        )
        .unwrap();
        let p = s.parameters(&[]).unwrap();
        assert_eq!(p.general_award.entries.len(), 4);
        assert_eq!(s.name, "Award");
    }

    #[test]
    fn errors_name_the_file_and_parameter() {
        let e = Scenario::parse("s.toml", "[[parameter]]\ndescription = \"d\"\n").unwrap_err();
        assert!(
            e.starts_with("s.toml:1:") && e.contains("needs `path`"),
            "{e}"
        );
        let s = Scenario::parse(
            "s.toml",
            "[[parameter]]\npath = \"pay/general_award.toml\"\ndescription = \"d\"\nunit = \"percent\"\nkind = \"events\"\n[[parameter.values]]\nfrom = \"2006-04-01\"\nvalue = 1.5\ncite = \"x\"\n",
        )
        .unwrap();
        let e = s.parameters(&[]).unwrap_err();
        assert!(
            e.contains("pay/general_award.toml") && e.contains("floating-point"),
            "{e}"
        );
        let e = Scenario::parse("s.toml", "nme = \"x\"\n").unwrap_err();
        assert!(e.contains("unknown field"), "{e}");
    }
}
