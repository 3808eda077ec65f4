//! The assessment as a report for a person at a terminal.

use std::fmt::Write;
use tenpa_rules::money::show;
use tenpa_rules::plan::{Day, Recognition};
use tenpa_rules::working_week::{self, Cell};
use tenpa_rules::{Assessment, JobPlanDocument, Money, Parameters};

const LETTERS: [char; 5] = ['D', 'S', 'A', 'E', 'X'];

/// Pounds with thousands separators: "£75,893.00".
pub fn pounds(m: Money) -> String {
    m.text()
}

/// Renders the report.
pub fn render(doc: &JobPlanDocument, a: &Assessment, params: &Parameters) -> String {
    let mut o = String::new();
    let c = &doc.consultant;
    let jp = &doc.job_plan;
    let name = if c.name.is_empty() {
        c.id.clone()
    } else {
        format!("{} ({})", c.name, c.id)
    };
    let _ = writeln!(
        o,
        "{name}: assessed on {}, pay year {}",
        a.applied_on, a.pay_year
    );
    let form = match jp.out_of_hours_recognition {
        Recognition::Time => "reduced-hours",
        Recognition::Premium => "premium",
    };
    let _ = writeln!(
        o,
        "{} contracted PAs, {}-week cycle, {form} out-of-hours recognition{}",
        show(jp.contracted_pas),
        jp.cycle_weeks,
        if c.transferred.is_some() {
            ", transferred from the old contract"
        } else {
            ""
        }
    );

    if let Ok(plain) = params.plain_time.value(a.applied_on) {
        let mut f = tenpa_rules::finding::Findings::default();
        let tt = working_week::timetable(doc, plain, &mut f);
        let grid = working_week::grid(doc, &tt, plain);
        for (w, week) in grid.iter().enumerate() {
            let _ = writeln!(o);
            let mut header = format!(
                "{:<6}",
                if grid.len() > 1 {
                    format!("Wk {}", w + 1)
                } else {
                    String::new()
                }
            );
            header.push(' ');
            for h in (0..24).step_by(2) {
                let _ = write!(header, "{h:02}  ");
            }
            let _ = writeln!(o, "{}", header.trim_end());
            for (d, day) in week.iter().enumerate() {
                let row: String = day
                    .iter()
                    .map(|cell| match *cell {
                        Cell::Free { premium: false } => '.',
                        Cell::Free { premium: true } => ' ',
                        Cell::Busy { bucket, premium } => {
                            let l = LETTERS[bucket];
                            if premium {
                                l.to_ascii_lowercase()
                            } else {
                                l
                            }
                        }
                        Cell::Clash => '!',
                    })
                    .collect();
                let _ = writeln!(o, "{:<6}|{row}|", Day::ALL[d].title());
            }
        }
        let _ = writeln!(o, "       one character = 30 min; '.' plain time, blank premium time; D dcc, S spa, A additional responsibility,");
        let _ = writeln!(
            o,
            "       E external duty, X extra PA; lower case = in premium time; ! = overlap"
        );
    }

    let p = &a.pas;
    let _ = writeln!(o, "\nProgrammed activities (weekly average)");
    let rows = [
        ("Direct clinical care", p.dcc),
        ("Supporting professional activities", p.spa),
        (
            "Additional NHS responsibilities",
            p.additional_responsibility,
        ),
        ("External duties", p.external_duty),
        ("On-call emergency work", p.on_call),
    ];
    for (label, v) in rows {
        let _ = writeln!(o, "  {label:<36}{:>8}", show(v));
    }
    let _ = writeln!(
        o,
        "  {:<36}{:>8}   (contracted {})",
        "Core total",
        show(p.core_total),
        show(jp.contracted_pas)
    );
    let _ = writeln!(o, "  {:<36}{:>8}", "Extra PAs", show(p.extra));
    let _ = writeln!(o, "  {:<36}{:>8}", "Total", show(p.total));
    let _ = writeln!(
        o,
        "  {:<36}{:>8}",
        "Of which in premium time",
        show(p.premium_time)
    );

    let h = &a.hours;
    let _ = writeln!(o, "\nHours a week");
    let _ = writeln!(o, "  {:<36}{:>8}", "Timetabled", show(h.timetabled_weekly));
    let _ = writeln!(
        o,
        "  {:<36}{:>8}",
        "  of which in premium time",
        show(h.premium_weekly)
    );
    let _ = writeln!(
        o,
        "  {:<36}{:>8}",
        "Out-of-hours reduction",
        show(h.out_of_hours_reduction)
    );
    let _ = writeln!(
        o,
        "  {:<36}{:>8}",
        "Travel counted as work",
        show(h.travel_counted)
    );
    let _ = writeln!(
        o,
        "  {:<36}{:>8}",
        "Working Time Regulations average",
        show(h.average_weekly_for_wtr)
    );

    if !a.employers.is_empty() {
        let _ = writeln!(o, "\nEmployers (one integrated job plan)");
        let _ = writeln!(o, "  {:<36}{:>8}{:>8}", "", "PAs", "hours");
        for e in &a.employers {
            let mut name = e.name.clone();
            if e.lead {
                name.push_str(" (lead)");
            }
            if e.kind == tenpa_rules::plan::EmployerKind::University {
                name.push_str(" (university)");
            }
            let _ = writeln!(o, "  {:<36}{:>8}{:>8}", name, show(e.pas), show(e.hours));
        }
    }

    let ph = &a.public_holidays;
    if !ph.worked.is_empty() {
        let _ = writeln!(
            o,
            "\nPublic holidays worked, {} hours of time off due (WW-3)",
            show(ph.time_off_hours)
        );
        for w in &ph.worked {
            let _ = writeln!(
                o,
                "  {} {:<42}{:>8} h",
                w.date.format("%a %d %b %Y"),
                w.name,
                show(w.hours)
            );
        }
    }

    let oc = &a.on_call;
    let _ = writeln!(o, "\nOn-call");
    match (&doc.on_call, oc.category) {
        (Some(r), Some(cat)) => {
            let _ = writeln!(
                o,
                "  1 in {}, category {}, {} frequency: {}% availability supplement",
                r.rota_size,
                cat.as_str().to_uppercase(),
                oc.band,
                show(a.pay.availability_supplement_percent)
            );
            let _ =
                writeln!(
                o,
                "  emergency work {} h plain + {} h premium a week = {} PA-equivalent{} (cap {})",
                show(r.emergency_hours_plain),
                show(r.emergency_hours_premium),
                show(oc.emergency_pa_equivalents),
                if oc.emergency_pa_equivalents == rust_decimal::Decimal::ONE { "" } else { "s" },
                show(oc.cap_pas)
            );
            let _ = writeln!(
                o,
                "  allocation {} PA{} a week, suggested pattern: {}",
                show(p.on_call),
                if p.on_call == rust_decimal::Decimal::ONE {
                    ""
                } else {
                    "s"
                },
                oc.allocation_pattern
            );
        }
        _ => {
            let _ = writeln!(o, "  not on an on-call rota");
        }
    }

    let pay = &a.pay;
    let _ = writeln!(o, "\nPay {}", a.pay_year);
    let mut money = |label: String, m: Money| {
        let _ = writeln!(o, "  {label:<36}{:>14}", pounds(m));
    };
    money("Full-time salary".into(), pay.full_time_salary);
    money("Basic salary".into(), pay.basic_salary);
    money("Extra PAs".into(), pay.extra_pas);
    money(
        format!(
            "Availability supplement ({}%)",
            show(pay.availability_supplement_percent)
        ),
        pay.availability_supplement,
    );
    money(
        format!(
            "Out-of-hours premium ({}%)",
            show(pay.out_of_hours_premium_percent)
        ),
        pay.out_of_hours_premium,
    );
    money(
        "Clinical excellence award".into(),
        pay.clinical_excellence_award,
    );
    if pay.existing_award.pence() != 0 {
        money("Existing award (E 4.4)".into(), pay.existing_award);
    }
    money(
        "Recruitment/retention premium".into(),
        pay.recruitment_retention_premium,
    );
    money("Total".into(), pay.total);
    money("Superannuable".into(), pay.superannuable);

    let _ = writeln!(o, "\nFindings");
    if a.findings.is_empty() {
        let _ = writeln!(o, "  none");
    }
    for f in &a.findings {
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

/// A date given on the command line, as YYYY-MM-DD.
pub fn parse_date(s: &str) -> Result<chrono::NaiveDate, String> {
    chrono::NaiveDate::parse_from_str(s, "%Y-%m-%d")
        .map_err(|_| format!("found \"{s}\", expected a date as YYYY-MM-DD"))
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::str::FromStr;

    #[test]
    fn pounds_have_separators() {
        let m = |s| Money::round(rust_decimal::Decimal::from_str(s).unwrap());
        assert_eq!(pounds(m("75893")), "£75,893.00");
        assert_eq!(pounds(m("7589.3")), "£7,589.30");
        assert_eq!(pounds(m("0")), "£0.00");
        assert_eq!(pounds(m("1234567.891")), "£1,234,567.89");
    }
}
