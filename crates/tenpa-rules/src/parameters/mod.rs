//! Parameters as data: every figure the rules use, with the date it takes effect from and the
//! paragraph it comes from.
//!
//! Each figure or table is one TOML file under `parameters/`:
//!
//! ```toml
//! description = "…"
//! unit = "PAs a week"
//! kind = "events"        # optional: each value applies once, on its date (general pay awards)
//! [[values]]
//! from = "2003-04-01"
//! value = "1"            # decimals as strings (or whole numbers), never floats
//! cite = "F 9(i)"
//! why = "…"              # required reading for this project's own choices
//! ```
//!
//! The files are embedded in the binary. [`Parameters::with_overrides`] merges files of the same
//! relative path on top: an override value with the same `from` date replaces the embedded one,
//! others are added. The loader is pure (`&str` in) so both paths share one parser.

use crate::plan::ClockTime;
use crate::source::{line_col, nearest};
use chrono::NaiveDate;
use rust_decimal::Decimal;
use serde::de::DeserializeOwned;
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;
use std::fmt;
use std::sync::OnceLock;

mod career;
pub use career::{
    ExtraPaNotice, HigherAwards, LeapDayAnniversary, MultipleAwards, SeniorityIntervals,
    SeniorityStart, Share, SpareCapacity, Step,
};

/// A parameter file could not be read or does not hold what it must.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{file}:{line}:{column}: {field}: {message}")]
pub struct ParameterError {
    /// The file's path relative to the parameter directory (`pay/scale.toml`).
    pub file: String,
    /// 1-based line.
    pub line: usize,
    /// 1-based column.
    pub column: usize,
    /// The field at fault (`values[2].from`).
    pub field: String,
    /// What was found and what was expected.
    pub message: String,
}

/// A look-up for a date the parameter does not cover.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("parameter {path} has no value for {date}: its first value applies from {first}")]
pub struct LookupError {
    /// The parameter file.
    pub path: &'static str,
    /// The date asked for.
    pub date: NaiveDate,
    /// The first date with a value.
    pub first: NaiveDate,
}

/// One dated value of a parameter.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Entry<T> {
    /// The first day the value applies.
    pub from: NaiveDate,
    /// The value.
    pub value: T,
    /// The source paragraph.
    pub cite: String,
    /// Why this project chose the value, where the sources give none.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub why: Option<String>,
}

/// A parameter's dated values, oldest first.
#[derive(Debug, Clone, PartialEq)]
pub struct Series<T> {
    /// The parameter file, relative to the parameter directory.
    pub path: &'static str,
    /// Values in date order.
    pub entries: Vec<Entry<T>>,
}

impl<T> Series<T> {
    /// The entry in force on `date`: the latest whose `from` is on or before it.
    pub fn at(&self, date: NaiveDate) -> Result<&Entry<T>, LookupError> {
        let idx = self.entries.partition_point(|e| e.from <= date);
        if idx == 0 {
            return Err(LookupError {
                path: self.path,
                date,
                first: self.entries[0].from,
            });
        }
        Ok(&self.entries[idx - 1])
    }

    /// The value in force on `date`.
    pub fn value(&self, date: NaiveDate) -> Result<&T, LookupError> {
        self.at(date).map(|e| &e.value)
    }
}

/// Plain-time windows (WW-3).
#[derive(Debug, Clone, Copy, PartialEq, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct PlainTime {
    /// Start of plain time Monday to Friday.
    pub weekday_start: ClockTime,
    /// End of plain time Monday to Friday.
    pub weekday_end: ClockTime,
    /// Start of plain time Saturday and Sunday.
    pub weekend_start: ClockTime,
    /// End of plain time Saturday and Sunday.
    pub weekend_end: ClockTime,
}

/// Typical minimum PAs (WW-4).
#[derive(Debug, Clone, Copy, PartialEq, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct Minimums {
    /// Length of the first phase after first consultant appointment.
    pub first_phase_years: Decimal,
    /// DCC minimum in the first phase.
    pub first_phase_dcc: Decimal,
    /// SPA minimum in the first phase.
    pub first_phase_spa: Decimal,
    /// DCC minimum otherwise.
    pub dcc: Decimal,
    /// SPA minimum otherwise.
    pub spa: Decimal,
}

/// Study leave limit (WW-8).
#[derive(Debug, Clone, Copy, PartialEq, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct StudyLeave {
    /// Most days with pay in the period.
    pub max_days: Decimal,
    /// The period in years.
    pub period_years: Decimal,
}

/// The reduced-hours form of out-of-hours recognition (OOH-2).
#[derive(Debug, Clone, Copy, PartialEq, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct TimeForm {
    /// Timetabled hours of a PA in premium time.
    pub premium_pa_hours: Decimal,
    /// Most hours a week the timetable is reduced.
    pub max_weekly_reduction_hours: Decimal,
    /// Premium-time emergency hours making one PA.
    pub emergency_hours_per_pa: Decimal,
}

/// One band of the availability supplement table (OC-6).
#[derive(Debug, Clone, Copy, PartialEq, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct Band {
    /// Largest rota size in the band; absent for the last band.
    #[serde(default)]
    pub max_rota: Option<Decimal>,
    /// Percentage for category A.
    pub a: Decimal,
    /// Percentage for category B.
    pub b: Decimal,
}

/// The availability supplement table (OC-6).
#[derive(Debug, Clone, Copy, PartialEq, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct AvailabilitySupplement {
    /// 1 in 1 to 1 in `max_rota`.
    pub high: Band,
    /// Up to 1 in `max_rota`.
    pub medium: Band,
    /// Less frequent.
    pub low: Band,
}

/// Recruitment and retention premium limits (PAY-4).
#[derive(Debug, Clone, Copy, PartialEq, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct PremiumLimits {
    /// Typical most, as a percentage of starting salary.
    pub max_percent_of_starting_salary: Decimal,
    /// Typical most years of a time-limited premium.
    pub max_years: Decimal,
}

/// The inflation the general awards assume, and the measured figure when given (PAY-2, F 9(k)).
#[derive(Debug, Clone, Copy, PartialEq, Default, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct InflationAssumption {
    /// The lowest RPI(X) assumed, per cent a year; none when no band applies.
    #[serde(default)]
    pub lowest: Option<Decimal>,
    /// The highest RPI(X) assumed, per cent a year.
    #[serde(default)]
    pub highest: Option<Decimal>,
    /// The measured RPI(X) for the award of the pay year, when given.
    #[serde(default)]
    pub rpix: Option<Decimal>,
}

/// Part-time limits for consultants appointed after implementation (PRV-1).
#[derive(Debug, Clone, Copy, PartialEq, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct PartTimeLimits {
    /// Working part-time to do private practice.
    pub with_private_practice: Decimal,
    /// Part-time with no private practice.
    pub without_private_practice: Decimal,
}

/// How often private commitments are disclosed (PRV-2).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct DisclosureInterval {
    /// A disclosure is due again this many months after the last.
    pub months: u32,
}

/// What a parameter file says of itself, for display (`GET /api/v1/parameters/{path}`, the docs).
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Described {
    /// The file's path relative to the parameter directory.
    pub path: String,
    /// Plain-language description.
    pub description: String,
    /// Unit of the values.
    pub unit: String,
    /// Dated values, as written.
    pub values: Vec<Entry<serde_json::Value>>,
}

/// Every parameter the rules use.
#[derive(Debug, Clone)]
#[allow(missing_docs)] // each field is documented by its file's `description`
pub struct Parameters {
    pub contract_in_force: Series<bool>,
    pub pay_scale: Series<Vec<Decimal>>,
    pub general_award: Series<Decimal>,
    pub inflation_assumption: Series<InflationAssumption>,
    pub premium_limits: Series<PremiumLimits>,
    pub full_time_pas: Series<Decimal>,
    pub pa_hours: Series<Decimal>,
    pub plain_time: Series<PlainTime>,
    pub minimums: Series<Minimums>,
    pub wtr_max_weekly_hours: Series<Decimal>,
    pub wtr_reference_weeks: Series<u32>,
    pub contracted_pas_tolerance: Series<Decimal>,
    pub max_activity_hours: Series<Decimal>,
    pub study_leave: Series<StudyLeave>,
    pub ooh_recognition_in_force: Series<bool>,
    pub premium_needs_mutual_agreement: Series<bool>,
    pub premium_steps: Series<Vec<Decimal>>,
    pub time_form: Series<TimeForm>,
    pub rest_hours: Series<Decimal>,
    pub working_through_hours: Series<Decimal>,
    pub emergency_cap_pas: Series<Decimal>,
    pub excess_warning_pas: Series<Decimal>,
    pub on_call_minimum_weekly_hours: Series<Decimal>,
    pub allocation_cycle_weeks: Series<Decimal>,
    pub availability_supplement: Series<AvailabilitySupplement>,
    pub part_time_supplement_pro_rata: Series<bool>,
    pub recall_review: Series<Decimal>,
    pub rare_calls: Series<Decimal>,
    pub part_time_limits: Series<PartTimeLimits>,
    /// PRV-2's disclosure interval.
    pub disclosure_interval: Series<DisclosureInterval>,
    /// PRV-3's least minutes between private work at one place and NHS work at another.
    pub changeover_minutes: Series<Decimal>,
    pub cea_levels: Series<Vec<Decimal>>,
    pub cea_nations: Series<Vec<String>>,
    pub pec_implementation_date: Series<NaiveDate>,
    pub pec_professions: Series<BTreeMap<String, bool>>,
    // Pay progression, transition and awards over a career (PP, TR, CEA-2).
    pub threshold_intervals: Series<Vec<u32>>,
    pub spare_capacity_pas: Series<SpareCapacity>,
    pub two_pa_rule_years: Series<u32>,
    /// JP-1's review interval in months (A 9.1).
    pub review_interval_months: Series<u32>,
    pub extra_pa_notice: Series<ExtraPaNotice>,
    pub leap_day_anniversary: Series<LeapDayAnniversary>,
    pub transfer_starting_points: Series<Vec<SeniorityStart>>,
    pub transfer_intervals: Series<Vec<SeniorityIntervals>>,
    pub maximum_part_time_phasing: Series<Vec<Share>>,
    pub in_transitional_period: Series<bool>,
    pub part_time_pa_step: Series<Decimal>,
    pub higher_awards: Series<HigherAwards>,
    /// CEA-1's multiple local awards at once (E 4.2).
    pub multiple_awards: Series<MultipleAwards>,
    pub availability_supplement_target: Series<Decimal>,
    /// Public holidays moved or added by proclamation (WW-3, F 5(a), B 8.1).
    pub public_holidays: Series<crate::calendar::Proclaimed>,
    described: BTreeMap<String, Described>,
    /// The pay scale of every pay year, computed once from `pay_scale` and `general_award`.
    scales: crate::pay::Scales,
    /// Every nation's public holidays, computed once from `public_holidays`.
    calendar: crate::calendar::Calendar,
}

macro_rules! embedded {
    ($($path:literal),* $(,)?) => {
        /// The embedded parameter files: (relative path, text).
        pub const EMBEDDED: &[(&str, &str)] = &[
            $(($path, include_str!(concat!("../../parameters/", $path)))),*
        ];
    };
}

embedded!(
    "contract/in_force.toml",
    "pay/scale.toml",
    "pay/general_award.toml",
    "pay/inflation_assumption.toml",
    "pay/recruitment_retention_premium.toml",
    "working_week/full_time_pas.toml",
    "working_week/pa_hours.toml",
    "working_week/plain_time.toml",
    "working_week/minimums.toml",
    "working_week/wtr_max_weekly_hours.toml",
    "working_week/wtr_reference_weeks.toml",
    "working_week/contracted_pas_tolerance.toml",
    "working_week/max_activity_hours.toml",
    "working_week/study_leave.toml",
    "working_week/public_holidays.toml",
    "out_of_hours/recognition_in_force.toml",
    "out_of_hours/premium_needs_mutual_agreement.toml",
    "out_of_hours/premium_steps.toml",
    "out_of_hours/time_form.toml",
    "out_of_hours/rest_hours.toml",
    "out_of_hours/working_through_hours.toml",
    "on_call/emergency_cap_pas.toml",
    "on_call/excess_warning_pas.toml",
    "on_call/minimum_weekly_hours.toml",
    "on_call/allocation_cycle_weeks.toml",
    "on_call/availability_supplement.toml",
    "on_call/part_time_supplement_pro_rata.toml",
    "on_call/recall_review.toml",
    "on_call/rare_calls.toml",
    "private_practice/part_time_limits.toml",
    "private_practice/disclosure_interval.toml",
    "private_practice/changeover_minutes.toml",
    "excellence_awards/levels.toml",
    "excellence_awards/nations.toml",
    "pec/implementation_date.toml",
    "pec/professions.toml",
    // Pay progression, transition and awards over a career.
    "progression/threshold_intervals.toml",
    "progression/spare_capacity_pas.toml",
    "progression/two_pa_rule_years.toml",
    "job_planning/review_interval_months.toml",
    "progression/extra_pa_notice.toml",
    "progression/leap_day_anniversary.toml",
    "transition/starting_points.toml",
    "transition/intervals.toml",
    "transition/maximum_part_time_phasing.toml",
    "transition/in_transitional_period.toml",
    "transition/part_time_pa_step.toml",
    "excellence_awards/higher_awards.toml",
    "excellence_awards/multiple_awards.toml",
    "on_call/funding_target.toml",
);

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawFile {
    description: String,
    unit: String,
    #[serde(default)]
    kind: Option<String>,
    values: Vec<toml::Spanned<RawEntry>>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawEntry {
    from: String,
    value: toml::Value,
    cite: String,
    #[serde(default)]
    why: Option<String>,
}

/// A parsed file, values checked for dates and citations but not yet typed.
struct Loaded {
    description: String,
    unit: String,
    kind: Option<String>,
    /// (entry, file it came from, 1-based line)
    entries: Vec<(Entry<toml::Value>, String, usize)>,
}

fn err(
    file: &str,
    text: &str,
    offset: usize,
    field: &str,
    message: impl Into<String>,
) -> ParameterError {
    let (line, column) = line_col(text, offset);
    ParameterError {
        file: file.to_string(),
        line,
        column,
        field: field.to_string(),
        message: message.into(),
    }
}

fn parse_file(file: &str, text: &str) -> Result<Loaded, ParameterError> {
    let de = toml::Deserializer::new(text);
    let raw: RawFile = serde_path_to_error::deserialize(de).map_err(|e| {
        let field = e.path().to_string();
        let inner = e.into_inner();
        let offset = inner.span().map_or(0, |s| s.start);
        let mut message = inner.message().to_string();
        if let Some(s) = crate::source::suggest_field(&message) {
            message.push_str(&format!("; did you mean `{s}`?"));
        }
        err(file, text, offset, &field, message)
    })?;
    if raw.values.is_empty() {
        return Err(err(
            file,
            text,
            0,
            "values",
            "no [[values]]: at least one dated value is required",
        ));
    }
    if let Some(kind) = &raw.kind {
        if kind != "events" {
            return Err(err(
                file,
                text,
                0,
                "kind",
                format!("found \"{kind}\", expected \"events\" or no kind"),
            ));
        }
    }
    let mut entries = Vec::with_capacity(raw.values.len());
    let mut previous: Option<NaiveDate> = None;
    for (i, spanned) in raw.values.into_iter().enumerate() {
        let offset = spanned.span().start;
        let (line, _) = line_col(text, offset);
        let raw = spanned.into_inner();
        let from = NaiveDate::parse_from_str(&raw.from, "%Y-%m-%d").map_err(|_| {
            err(
                file,
                text,
                offset,
                &format!("values[{i}].from"),
                format!("found \"{}\", expected a date as YYYY-MM-DD", raw.from),
            )
        })?;
        if let Some(p) = previous {
            if from <= p {
                return Err(err(
                    file,
                    text,
                    offset,
                    &format!("values[{i}].from"),
                    format!("found {from} after {p}: values must be in increasing date order"),
                ));
            }
        }
        previous = Some(from);
        if raw.cite.trim().is_empty() {
            return Err(err(
                file,
                text,
                offset,
                &format!("values[{i}].cite"),
                "empty: every value names the paragraph it comes from",
            ));
        }
        if let Some(path) = find_float(&raw.value) {
            return Err(err(
                file,
                text,
                offset,
                &format!("values[{i}].value{path}"),
                "found a floating-point number, expected a decimal written as a string (\"3.3\") or a whole number, so the figure stays exact",
            ));
        }
        entries.push((
            Entry {
                from,
                value: raw.value,
                cite: raw.cite,
                why: raw.why,
            },
            file.to_string(),
            line,
        ));
    }
    Ok(Loaded {
        description: raw.description,
        unit: raw.unit,
        kind: raw.kind,
        entries,
    })
}

fn find_float(v: &toml::Value) -> Option<String> {
    match v {
        toml::Value::Float(_) => Some(String::new()),
        toml::Value::Array(a) => a
            .iter()
            .enumerate()
            .find_map(|(i, x)| find_float(x).map(|p| format!("[{i}]{p}"))),
        toml::Value::Table(t) => t
            .iter()
            .find_map(|(k, x)| find_float(x).map(|p| format!(".{k}{p}"))),
        _ => None,
    }
}

/// Merge an override file into the embedded one: same `from` replaces, others are added.
fn merge(base: &mut Loaded, over: Loaded) {
    base.description = over.description;
    base.unit = over.unit;
    for e in over.entries {
        match base
            .entries
            .binary_search_by_key(&e.0.from, |(x, _, _)| x.from)
        {
            Ok(i) => base.entries[i] = e,
            Err(i) => base.entries.insert(i, e),
        }
    }
}

struct Typing<'a> {
    files: &'a BTreeMap<&'static str, Loaded>,
}

impl Typing<'_> {
    fn series<T: DeserializeOwned>(
        &self,
        path: &'static str,
        check: impl Fn(&T) -> Result<(), String>,
    ) -> Result<Series<T>, ParameterError> {
        let loaded = &self.files[path];
        let mut entries = Vec::with_capacity(loaded.entries.len());
        for (i, (e, file, line)) in loaded.entries.iter().enumerate() {
            let fail = |message: String| ParameterError {
                file: file.clone(),
                line: *line,
                column: 1,
                field: format!("values[{i}].value"),
                message,
            };
            let value: T = e
                .value
                .clone()
                .try_into()
                .map_err(|x: toml::de::Error| fail(x.message().trim().to_string()))?;
            check(&value).map_err(fail)?;
            entries.push(Entry {
                from: e.from,
                value,
                cite: e.cite.clone(),
                why: e.why.clone(),
            });
        }
        Ok(Series { path, entries })
    }
}

fn positive(v: &Decimal) -> Result<(), String> {
    if *v > Decimal::ZERO {
        Ok(())
    } else {
        Err(format!("found {v}, expected a number above 0"))
    }
}

fn len(n: usize) -> impl Fn(&Vec<Decimal>) -> Result<(), String> {
    move |v| {
        if v.len() != n {
            return Err(format!("found {} values, expected {n}", v.len()));
        }
        if let Some(x) = v.iter().find(|x| x.is_sign_negative()) {
            return Err(format!("found {x}, expected no negative figure"));
        }
        Ok(())
    }
}

fn any<T>(_: &T) -> Result<(), String> {
    Ok(())
}

impl Parameters {
    /// The embedded parameters, loaded once.
    pub fn embedded() -> &'static Parameters {
        static CELL: OnceLock<Parameters> = OnceLock::new();
        CELL.get_or_init(|| {
            Parameters::with_overrides(&[])
                .expect("embedded parameter files are valid (checked by tests)")
        })
    }

    /// The embedded parameters with `overrides` (relative path, text) merged on top.
    pub fn with_overrides(overrides: &[(String, String)]) -> Result<Parameters, ParameterError> {
        let mut files: BTreeMap<&'static str, Loaded> = BTreeMap::new();
        for (path, text) in EMBEDDED {
            files.insert(path, parse_file(path, text)?);
        }
        let known: Vec<&str> = EMBEDDED.iter().map(|(p, _)| *p).collect();
        for (path, text) in overrides {
            let normalised = path.replace('\\', "/");
            let Some(key) = known.iter().find(|k| **k == normalised) else {
                let hint = nearest(&normalised, &known)
                    .map(|k| format!("; did you mean {k}?"))
                    .unwrap_or_default();
                return Err(ParameterError {
                    file: path.clone(),
                    line: 1,
                    column: 1,
                    field: "(file name)".into(),
                    message: format!(
                        "not a known parameter file{hint} (known: {})",
                        known.join(", ")
                    ),
                });
            };
            let loaded = parse_file(path, text)?;
            let base = files.get_mut(key).expect("known");
            if loaded.kind != base.kind {
                return Err(ParameterError {
                    file: path.clone(),
                    line: 1,
                    column: 1,
                    field: "kind".into(),
                    message: format!(
                        "found {:?}, expected {:?} as in the embedded file",
                        loaded.kind, base.kind
                    ),
                });
            }
            merge(base, loaded);
        }
        let t = Typing { files: &files };
        let described = files
            .iter()
            .map(|(path, l)| {
                let d = Described {
                    path: path.to_string(),
                    description: l.description.clone(),
                    unit: l.unit.clone(),
                    values: l
                        .entries
                        .iter()
                        .map(|(e, _, _)| Entry {
                            from: e.from,
                            value: serde_json::to_value(&e.value)
                                .unwrap_or(serde_json::Value::Null),
                            cite: e.cite.clone(),
                            why: e.why.clone(),
                        })
                        .collect(),
                };
                (path.to_string(), d)
            })
            .collect();
        let mut params = Parameters {
            contract_in_force: t.series("contract/in_force.toml", any)?,
            pay_scale: t.series("pay/scale.toml", |v: &Vec<Decimal>| {
                len(8)(v)?;
                if v.windows(2).any(|w| w[1] < w[0]) {
                    return Err("expected the eight points in increasing order".into());
                }
                Ok(())
            })?,
            general_award: t.series("pay/general_award.toml", any)?,
            inflation_assumption: t.series(
                "pay/inflation_assumption.toml",
                |a: &InflationAssumption| match (a.lowest, a.highest) {
                    (Some(l), Some(h)) if l < h => Ok(()),
                    (Some(_), Some(_)) => Err("expected `lowest` below `highest`".into()),
                    (None, None) => Ok(()),
                    _ => Err("expected both `lowest` and `highest`, or neither".into()),
                },
            )?,
            premium_limits: t.series("pay/recruitment_retention_premium.toml", any)?,
            full_time_pas: t.series("working_week/full_time_pas.toml", positive)?,
            pa_hours: t.series("working_week/pa_hours.toml", positive)?,
            plain_time: t.series("working_week/plain_time.toml", |p: &PlainTime| {
                if p.weekday_start < p.weekday_end && p.weekend_start < p.weekend_end {
                    Ok(())
                } else {
                    Err("expected each start before its end".into())
                }
            })?,
            minimums: t.series("working_week/minimums.toml", any)?,
            wtr_max_weekly_hours: t.series("working_week/wtr_max_weekly_hours.toml", positive)?,
            wtr_reference_weeks: t.series("working_week/wtr_reference_weeks.toml", |w: &u32| {
                if *w == 0 {
                    return Err("found 0, expected a whole number of weeks above 0".into());
                }
                Ok(())
            })?,
            contracted_pas_tolerance: t
                .series("working_week/contracted_pas_tolerance.toml", any)?,
            max_activity_hours: t.series(
                "working_week/max_activity_hours.toml",
                |v: &Decimal| {
                    positive(v)?;
                    if *v > Decimal::from(24) {
                        return Err(format!("found {v}, expected at most 24"));
                    }
                    Ok(())
                },
            )?,
            study_leave: t.series("working_week/study_leave.toml", any)?,
            ooh_recognition_in_force: t.series("out_of_hours/recognition_in_force.toml", any)?,
            premium_needs_mutual_agreement: t
                .series("out_of_hours/premium_needs_mutual_agreement.toml", any)?,
            premium_steps: t.series("out_of_hours/premium_steps.toml", |v: &Vec<Decimal>| {
                if v.is_empty() {
                    return Err("expected at least one step".into());
                }
                Ok(())
            })?,
            time_form: t.series("out_of_hours/time_form.toml", |f: &TimeForm| {
                positive(&f.premium_pa_hours)?;
                positive(&f.emergency_hours_per_pa)
            })?,
            rest_hours: t.series("out_of_hours/rest_hours.toml", any)?,
            working_through_hours: t.series("out_of_hours/working_through_hours.toml", positive)?,
            emergency_cap_pas: t.series("on_call/emergency_cap_pas.toml", any)?,
            excess_warning_pas: t.series("on_call/excess_warning_pas.toml", any)?,
            on_call_minimum_weekly_hours: t.series("on_call/minimum_weekly_hours.toml", any)?,
            allocation_cycle_weeks: t.series(
                "on_call/allocation_cycle_weeks.toml",
                |v: &Decimal| {
                    positive(v)?;
                    if !v.fract().is_zero() || *v > Decimal::from(52) {
                        return Err(format!(
                            "found {v}, expected a whole number of weeks up to 52"
                        ));
                    }
                    Ok(())
                },
            )?,
            availability_supplement: t.series(
                "on_call/availability_supplement.toml",
                |a: &AvailabilitySupplement| match (a.high.max_rota, a.medium.max_rota) {
                    (Some(h), Some(m)) if h >= Decimal::ONE && m > h => Ok(()),
                    _ => Err("expected high.max_rota ≥ 1 and medium.max_rota above it".into()),
                },
            )?,
            part_time_supplement_pro_rata: t
                .series("on_call/part_time_supplement_pro_rata.toml", any)?,
            recall_review: t.series("on_call/recall_review.toml", any)?,
            rare_calls: t.series("on_call/rare_calls.toml", any)?,
            part_time_limits: t.series("private_practice/part_time_limits.toml", any)?,
            disclosure_interval: t.series(
                "private_practice/disclosure_interval.toml",
                |d: &DisclosureInterval| match d.months {
                    1..=120 => Ok(()),
                    _ => Err("expected months from 1 to 120".into()),
                },
            )?,
            changeover_minutes: t.series(
                "private_practice/changeover_minutes.toml",
                |m: &Decimal| {
                    if m.fract().is_zero() && (Decimal::ZERO..=Decimal::from(240)).contains(m) {
                        Ok(())
                    } else {
                        Err("expected whole minutes from 0 to 240".into())
                    }
                },
            )?,
            cea_levels: t.series("excellence_awards/levels.toml", len(13))?,
            cea_nations: t.series("excellence_awards/nations.toml", any)?,
            pec_implementation_date: t.series("pec/implementation_date.toml", any)?,
            pec_professions: t.series("pec/professions.toml", any)?,
            // Pay progression, transition and awards over a career.
            threshold_intervals: t
                .series("progression/threshold_intervals.toml", |v: &Vec<u32>| {
                    career::intervals(v)
                })?,
            spare_capacity_pas: t.series("progression/spare_capacity_pas.toml", any)?,
            two_pa_rule_years: t.series("progression/two_pa_rule_years.toml", any)?,
            review_interval_months: t.series(
                "job_planning/review_interval_months.toml",
                |m: &u32| {
                    if (1..=120).contains(m) {
                        Ok(())
                    } else {
                        Err(format!(
                            "found {m}, expected a number of months from 1 to 120"
                        ))
                    }
                },
            )?,
            extra_pa_notice: t.series("progression/extra_pa_notice.toml", any)?,
            leap_day_anniversary: t.series("progression/leap_day_anniversary.toml", any)?,
            transfer_starting_points: t.series(
                "transition/starting_points.toml",
                |v: &Vec<SeniorityStart>| career::starting_points(v),
            )?,
            transfer_intervals: t.series(
                "transition/intervals.toml",
                |v: &Vec<SeniorityIntervals>| career::transfer_intervals(v),
            )?,
            maximum_part_time_phasing: t.series(
                "transition/maximum_part_time_phasing.toml",
                |v: &Vec<Share>| career::phasing(v),
            )?,
            in_transitional_period: t.series("transition/in_transitional_period.toml", any)?,
            part_time_pa_step: t.series("transition/part_time_pa_step.toml", positive)?,
            multiple_awards: t.series(
                "excellence_awards/multiple_awards.toml",
                |m: &MultipleAwards| match m.up_to_level {
                    1..=9 => Ok(()),
                    _ => Err("expected a local award level from 1 to 9".into()),
                },
            )?,
            higher_awards: t.series(
                "excellence_awards/higher_awards.toml",
                career::higher_awards,
            )?,
            availability_supplement_target: t.series("on_call/funding_target.toml", positive)?,
            public_holidays: t.series(
                "working_week/public_holidays.toml",
                |p: &crate::calendar::Proclaimed| {
                    if p.name.trim().is_empty() {
                        Err("expected the holiday's `name`".into())
                    } else {
                        Ok(())
                    }
                },
            )?,
            described,
            scales: crate::pay::Scales::default(),
            calendar: crate::calendar::Calendar::default(),
        };
        params.scales = crate::pay::Scales::new(&params);
        let proclaimed: Vec<_> = params
            .public_holidays
            .entries
            .iter()
            .map(|e| (e.from, &e.value))
            .collect();
        params.calendar = crate::calendar::Calendar::new(&proclaimed);
        Ok(params)
    }

    /// Every nation's public holidays, computed when the parameters loaded (WW-3, F 5(a)).
    pub fn calendar(&self) -> &crate::calendar::Calendar {
        &self.calendar
    }

    /// The pay scales computed when the parameters loaded (PAY-1, PAY-2).
    pub(crate) fn scales(&self) -> &crate::pay::Scales {
        &self.scales
    }

    /// Every parameter file as written, for display.
    pub fn described(&self) -> impl Iterator<Item = &Described> {
        self.described.values()
    }

    /// One parameter file as written (`pay/scale.toml`, with or without `.toml`).
    pub fn describe(&self, path: &str) -> Option<&Described> {
        self.described
            .get(path)
            .or_else(|| self.described.get(&format!("{path}.toml")))
    }
}

impl fmt::Display for Described {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}: {} ({})", self.path, self.description, self.unit)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn embedded_parameters_load() {
        let p = Parameters::with_overrides(&[]).unwrap();
        assert_eq!(p.pay_scale.entries[0].value.len(), 8);
        assert_eq!(p.general_award.entries.len(), 3);
        assert_eq!(p.described().count(), EMBEDDED.len());
    }

    #[test]
    fn lookup_before_first_value_is_an_error() {
        let p = Parameters::embedded();
        let d = NaiveDate::from_ymd_opt(2003, 3, 31).unwrap();
        let e = p.contract_in_force.at(d).unwrap_err();
        assert_eq!(e.first, NaiveDate::from_ymd_opt(2003, 4, 1).unwrap());
    }

    #[test]
    fn lookup_takes_the_latest_value_in_force() {
        let p = Parameters::embedded();
        let cap = |y, m, d| {
            *p.emergency_cap_pas
                .value(NaiveDate::from_ymd_opt(y, m, d).unwrap())
                .unwrap()
        };
        assert_eq!(cap(2005, 3, 31), Decimal::ONE);
        assert_eq!(cap(2005, 4, 1), Decimal::TWO);
    }

    fn over(path: &str, text: &str) -> Result<Parameters, ParameterError> {
        Parameters::with_overrides(&[(path.to_string(), text.to_string())])
    }

    #[test]
    fn override_adds_a_later_award() {
        let p = over(
            "pay/general_award.toml",
            "description = \"d\"\nunit = \"percent\"\nkind = \"events\"\n[[values]]\nfrom = \"2006-04-01\"\nvalue = \"2.5\"\ncite = \"DDRB 2006\"\n",
        )
        .unwrap();
        assert_eq!(p.general_award.entries.len(), 4);
        assert_eq!(p.general_award.entries[3].value, Decimal::new(25, 1));
    }

    #[test]
    fn unknown_key_names_file_line_and_suggestion() {
        let e = over("working_week/pa_hours.toml", "description = \"d\"\nunit = \"h\"\n[[values]]\nfrom = \"2003-04-01\"\nvalue = \"4\"\ncite = \"x\"\nctie = \"x\"\n").unwrap_err();
        assert_eq!(e.file, "working_week/pa_hours.toml");
        assert!(e.line >= 4, "{e}");
        assert!(e.message.contains("unknown field `ctie`"), "{e}");
        assert!(e.message.contains("did you mean `cite`"), "{e}");
    }

    #[test]
    fn unsorted_dates_are_an_error() {
        let e = over(
            "working_week/pa_hours.toml",
            "description = \"d\"\nunit = \"h\"\n[[values]]\nfrom = \"2005-04-01\"\nvalue = \"4\"\ncite = \"x\"\n[[values]]\nfrom = \"2004-04-01\"\nvalue = \"4\"\ncite = \"x\"\n",
        )
        .unwrap_err();
        assert_eq!(e.field, "values[1].from");
        assert_eq!(e.line, 7);
    }

    #[test]
    fn missing_cite_is_an_error() {
        let e = over(
            "working_week/pa_hours.toml",
            "description = \"d\"\nunit = \"h\"\n[[values]]\nfrom = \"2005-04-01\"\nvalue = \"4\"\n",
        )
        .unwrap_err();
        assert!(e.message.contains("cite"), "{e}");
    }

    #[test]
    fn floats_are_refused() {
        let e = over("working_week/pa_hours.toml", "description = \"d\"\nunit = \"h\"\n[[values]]\nfrom = \"2005-04-01\"\nvalue = 4.0\ncite = \"x\"\n").unwrap_err();
        assert!(e.message.contains("string"), "{e}");
    }

    #[test]
    fn wrong_shape_names_the_value() {
        let e = over("pay/scale.toml", "description = \"d\"\nunit = \"h\"\n[[values]]\nfrom = \"2005-04-01\"\nvalue = [\"1\"]\ncite = \"x\"\n").unwrap_err();
        assert_eq!(e.field, "values[1].value");
        assert!(e.message.contains("expected 8"), "{e}");
    }

    #[test]
    fn unknown_file_is_an_error() {
        let e = over("pay/scales.toml", "").unwrap_err();
        assert!(e.message.contains("pay/scale.toml"), "{e}");
    }
}
