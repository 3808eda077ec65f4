//! `tenpa progression FILE [--until DATE] [--format json|text]`: a consultant's pay-point timeline
//! from a career document.

use crate::evaluate::OutputFormat;
use crate::parameters::ParameterDir;
use crate::text::pounds;
use chrono::NaiveDate;
use clap::Parser;
use std::fmt::Write;
use std::process::ExitCode;
use tenpa_rules::money::show;
use tenpa_rules::progression::EventKind;
use tenpa_rules::{parse_career, timeline, Career, CareerDocument, Format, Parameters};

/// `tenpa progression`.
#[derive(Parser, Debug)]
pub struct Args {
    /// A career document, `.toml` or `.json`.
    #[arg(value_name = "FILE")]
    pub file: String,
    /// The last date shown (YYYY-MM-DD); default: the top of the scale, projecting satisfactory
    /// years after the last recorded one.
    #[arg(long, value_name = "DATE", value_parser = crate::text::parse_date, env = "TENPA_UNTIL")]
    pub until: Option<NaiveDate>,
    /// Output format.
    #[arg(long, value_enum, default_value_t = OutputFormat::Json, env = "TENPA_FORMAT")]
    pub format: OutputFormat,
    #[command(flatten)]
    pub parameters: ParameterDir,
}

fn read(path: &str, params: &Parameters) -> Result<CareerDocument, String> {
    let format = Format::from_path(path).ok_or_else(|| {
        format!("{path}: expected a .toml or .json file (the format is chosen by the extension)")
    })?;
    let bytes = std::fs::read(path).map_err(|e| format!("{path}: cannot read the file: {e}"))?;
    parse_career(path, &bytes, format, params).map_err(|e| e.to_string())
}

/// Runs the command; exit 0 without error findings, 1 with any, 2 when input cannot be read.
pub fn run(args: Args) -> ExitCode {
    let params = match args.parameters.load() {
        Ok(p) => p,
        Err(e) => {
            eprintln!("tenpa: {e:#}");
            return ExitCode::from(2);
        }
    };
    let career = match read(&args.file, &params).and_then(|doc| {
        timeline(&doc, &params, args.until)
            .map(|c| (doc, c))
            .map_err(|e| format!("{}: {e}", args.file))
    }) {
        Ok(c) => c,
        Err(e) => {
            eprintln!("tenpa: {e}");
            return ExitCode::from(2);
        }
    };
    match args.format {
        OutputFormat::Json => match serde_json::to_string_pretty(&career.1) {
            Ok(s) => println!("{s}"),
            Err(e) => {
                eprintln!("tenpa: cannot write the timeline: {e}");
                return ExitCode::from(2);
            }
        },
        OutputFormat::Text => print!("{}", render(&career.0, &career.1)),
    }
    if career.1.has_errors() {
        ExitCode::from(1)
    } else {
        ExitCode::SUCCESS
    }
}

/// The timeline as a report for a person at a terminal.
pub fn render(doc: &CareerDocument, c: &Career) -> String {
    let mut o = String::new();
    let who = if c.name.is_empty() {
        c.consultant_id.clone()
    } else {
        format!("{} ({})", c.name, c.consultant_id)
    };
    let basis = if c.starts.basis == "transfer" {
        "transfer to the contract"
    } else {
        "first appointment"
    };
    let _ = writeln!(
        o,
        "{who}: pay progression from {basis} on {}",
        c.starts.date
    );
    let _ = writeln!(
        o,
        "Thresholds fall on the anniversaries of the {basis} (PP-3, C 4.6).{}",
        match c.projection.last_recorded_year_ending {
            Some(d) =>
                format!(" Years are recorded to {d}; later years are projected as satisfactory."),
            None => " No year is recorded yet: every year is projected as satisfactory.".into(),
        }
    );

    let _ = writeln!(o);
    let _ = writeln!(
        o,
        "{:<8} {:<10} {:>11} {:>12} {:>5} {:>12} {:>14} {:>10} {:>12}  Years",
        "Pay year",
        "As at",
        "Point 02/03",
        "Full-time",
        "PAs",
        "Basic",
        "Award",
        "Premium",
        "Total",
    );
    let mut events = c.events.iter().peekable();
    for (i, r) in c.pay_years.iter().enumerate() {
        let next_start = c.pay_years.get(i + 1).map(|n| n.as_at);
        let counted = match &r.next_threshold {
            Some(_) => {
                let need = c
                    .events
                    .iter()
                    .find(|e| e.kind == EventKind::Threshold && e.date > r.as_at)
                    .map_or(0, |e| e.years_required);
                format!("{} of {need}", r.satisfactory_years_counted)
            }
            None if r.point_value_2002_03 == c.projection.top_value_2002_03 => "top".into(),
            None => r.satisfactory_years_counted.to_string(),
        };
        let basic = match &r.transitional_share {
            Some(_) => format!("{}*", pounds(r.basic_salary)),
            None => pounds(r.basic_salary),
        };
        let _ = writeln!(
            o,
            "{:<8} {:<10} {:>11} {:>12} {:>5} {:>12} {:>14} {:>10} {:>12}  {counted}{}",
            r.pay_year,
            r.as_at,
            whole(r.point_value_2002_03),
            pounds(r.full_time_salary),
            show(r.contracted_pas),
            basic,
            if r.cea_level > 0 && r.existing_award.pence() == 0 {
                format!("L{} {}", r.cea_level, pounds(r.clinical_excellence_award))
            } else if r.existing_award.pence() > 0 {
                format!("kept {}", pounds(r.existing_award))
            } else {
                "-".into()
            },
            if r.recruitment_retention_premium.pence() > 0 {
                pounds(r.recruitment_retention_premium)
            } else {
                "-".into()
            },
            pounds(r.total),
            if r.projected { "  (projected)" } else { "" }
        );
        while let Some(e) = events.next_if(|e| next_start.is_none_or(|n| e.date < n)) {
            let _ = writeln!(o, "{}", event_line(e));
        }
    }
    for e in events {
        let _ = writeln!(o, "{}", event_line(e));
    }
    if c.pay_years.iter().any(|r| r.transitional_share.is_some()) {
        let _ = writeln!(
            o,
            "  * phased pay of a maximum part-timer moving to full time (TR-4), below"
        );
    }

    let recorded: Vec<_> = c.years.iter().filter(|y| !y.projected).collect();
    let _ = writeln!(o, "\nYears");
    if recorded.is_empty() {
        let _ = writeln!(o, "  none recorded");
    }
    for y in &recorded {
        let mut line = format!(
            "  {:>2}  {} to {}  {}",
            y.number,
            y.starting,
            y.ending,
            if y.satisfactory {
                "satisfactory".to_string()
            } else {
                format!("NOT satisfactory: {}", y.reason)
            }
        );
        if !y.satisfactory && !y.employer_discretion.is_empty() {
            let _ = write!(
                line,
                "; counted by the employer's discretion: {}",
                y.employer_discretion
            );
        }
        if let Some(a) = &y.appeal {
            let _ = write!(
                line,
                "; appeal lodged {} {}{}",
                a.lodged,
                a.outcome,
                a.decided.map_or_else(String::new, |d| format!(" on {d}"))
            );
        }
        if y.offered_spare_capacity.decided_by != "default" {
            let _ = write!(
                line,
                " [spare capacity {}, as {}]",
                if y.offered_spare_capacity.value {
                    "offered"
                } else {
                    "not offered"
                },
                if y.offered_spare_capacity.decided_by == "document" {
                    "the document says"
                } else {
                    "PP-4 decides from the offers and outside work"
                }
            );
        }
        let _ = writeln!(o, "{line}");
    }
    let projected: Vec<_> = c.years.iter().filter(|y| y.projected).collect();
    if let (Some(a), Some(b)) = (projected.first(), projected.last()) {
        let _ = writeln!(
            o,
            "  {}-{}  {} to {}  projected: satisfactory years assumed",
            a.number, b.number, a.starting, b.ending
        );
    }

    if !c.awards.is_empty() {
        let _ = writeln!(o, "\nClinical excellence awards");
        for a in &c.awards {
            let _ = writeln!(
                o,
                "  level {} ({}), awarded {}: {} a year full time; {}{}",
                a.level,
                a.scope.as_str(),
                a.awarded_on,
                pounds(a.value),
                if a.status == "paid" {
                    "paid".to_string()
                } else {
                    format!("REFUSED: {}", a.reason)
                },
                a.replaced_on
                    .map_or_else(String::new, |d| format!(", replaced on {d}"))
            );
        }
    }

    if let Some(p) = doc
        .pay
        .as_ref()
        .and_then(|p| p.recruitment_retention_premium.as_ref())
    {
        let _ = writeln!(
            o,
            "\nPremium\n  {} {} a year from {}{} (PAY-4)",
            match p.kind {
                tenpa_rules::plan::PremiumKind::Recruitment => "recruitment",
                tenpa_rules::plan::PremiumKind::Retention => "retention",
            },
            pounds(tenpa_rules::Money::round(p.amount.0)),
            p.start,
            p.years.map_or_else(
                || ", one-off".to_string(),
                |y| format!(" for {} years", show(y.0))
            )
        );
    }

    if let Some(t) = &c.transition {
        let _ = writeln!(o, "\nTransfer");
        let steps: Vec<String> = t
            .steps
            .iter()
            .map(|s| {
                format!(
                    "{} after {} year{}",
                    whole(s.value_2002_03),
                    s.years,
                    if s.years == 1 { "" } else { "s" }
                )
            })
            .collect();
        let _ = writeln!(
            o,
            "  transferred {} with {} years' seniority: {} (TR-1); then {} (TR-2)",
            t.transferred,
            t.seniority_at_transfer,
            whole(t.starting_point_2002_03),
            steps.join(", ")
        );
        if let Some(p) = &t.part_time {
            let _ = writeln!(
                o,
                "  part-time PAs (TR-3): {} chosen; nearest to the notional hours {}, notional half-days {}",
                show(p.chosen),
                p.nearest_to_notional_hours.map_or_else(|| "not given".into(), show),
                p.notional_half_days.map_or_else(|| "not given".into(), show)
            );
        }
        if let Some(m) = &t.maximum_part_time {
            let _ = writeln!(
                o,
                "  maximum part-time to full time (TR-4): current pay {} at {} levels",
                pounds(m.current_pay),
                m.current_pay_year
            );
            for p in &m.phases {
                if p.share == "1" {
                    let _ = writeln!(
                        o,
                        "    year {} from {}: target pay {}",
                        p.year,
                        p.from,
                        pounds(p.target_pay)
                    );
                } else {
                    let _ = writeln!(
                        o,
                        "    year {} from {}: current {} + {} of the gap to target {} = {}",
                        p.year,
                        p.from,
                        pounds(p.current_pay),
                        p.share,
                        pounds(p.target_pay),
                        pounds(p.amount)
                    );
                }
            }
        }
    }

    let _ = writeln!(o, "\nProjection");
    match c.projection.top_reached_on {
        Some(d) => {
            let _ = writeln!(
                o,
                "  the top of the scale ({} at 2002/03 levels) is reached on {d}{}",
                whole(c.projection.top_value_2002_03),
                if c.projection.top_reached_by_projection {
                    ", assuming satisfactory years from the last recorded one"
                } else {
                    ""
                }
            );
        }
        None => {
            let _ = writeln!(
                o,
                "  the top of the scale ({} at 2002/03 levels) is not reached by {}",
                whole(c.projection.top_value_2002_03),
                c.until.map_or_else(|| "the end".into(), |d| d.to_string())
            );
        }
    }

    let _ = writeln!(o, "\nFindings");
    if c.findings.is_empty() {
        let _ = writeln!(o, "  none");
    }
    for f in &c.findings {
        let _ = writeln!(
            o,
            "  {:<8}{:<7}{}",
            f.severity.as_str().to_uppercase(),
            f.rule,
            f.message
        );
        let _ = writeln!(o, "  {:<15}({})", "", f.citation);
    }
    o
}

/// "£65,000" for a 2002/03 point.
fn whole(m: tenpa_rules::Money) -> String {
    let p = pounds(m);
    p.strip_suffix(".00").map_or(p.clone(), str::to_string)
}

fn event_line(e: &tenpa_rules::progression::Event) -> String {
    let projected = if e.projected { " (projected)" } else { "" };
    let mut s = match e.kind {
        EventKind::Start => format!(
            "         {}  start at {}: {} in {}{projected}",
            e.date,
            whole(e.point_value_2002_03),
            pounds(e.salary),
            e.pay_year
        ),
        EventKind::Transfer => format!(
            "         {}  transfer at {} (TR-1): {} in {}{projected}",
            e.date,
            whole(e.point_value_2002_03),
            pounds(e.salary),
            e.pay_year
        ),
        EventKind::Threshold => format!(
            "      +  {}  threshold {} ({}): {} in {}; {} of {} satisfactory year{}{projected}",
            e.date,
            whole(e.point_value_2002_03),
            e.rule,
            pounds(e.salary),
            e.pay_year,
            e.satisfactory_years_counted,
            e.years_required,
            if e.years_required == 1 { "" } else { "s" }
        ),
        EventKind::Deferred => format!(
            "      -  {}  deferred at {} ({}), {} year{} so far: {}{projected}",
            e.date,
            whole(e.point_value_2002_03),
            e.rule,
            e.deferred_years,
            if e.deferred_years == 1 { "" } else { "s" },
            e.reason
        ),
    };
    if e.kind == EventKind::Threshold && !e.reason.is_empty() {
        let _ = write!(s, "\n           {}", e.reason);
    }
    for d in &e.discretion {
        let _ = write!(
            s,
            "\n           allowed by the employer's discretion (PP-2): {d}"
        );
    }
    s
}
