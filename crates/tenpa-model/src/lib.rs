//! # tenpa-model
//!
//! `tenpa model`: the exact pay costing of a population file of any size, with scenarios.
//!
//! A short tour:
//! - [`csv`] reads the population file (`docs/documents.md`, "The population file"), plain rows
//!   eight bytes at a time with [`swar`], anything else byte by byte;
//! - [`stream`] cuts the file into chunks and costs them on every core with per-thread totals,
//!   bounded memory, line-numbered errors, optional per-record output and a progress bar;
//! - the costing itself is `tenpa_rules::population`: the library's own pay rules compiled for a
//!   date and a set of parameters, so a row costs what the equivalent job plan costs in
//!   `evaluate`;
//! - [`scenario`] reads scenario files (parameter overrides), [`report`] prints the result as
//!   text or JSON, [`chart`] draws it as SVG, and [`generate`] writes a synthetic population.

pub mod chart;
pub mod csv;
pub mod generate;
pub mod report;
pub mod scenario;
pub mod stream;
pub mod swar;

pub use report::Report;
pub use scenario::Scenario;
pub use stream::{run, Job, Outcome, StreamError};
