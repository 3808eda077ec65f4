//! JP-5: one integrated job plan across employers, with a lead employer (F 1(f), A 11.1), another
//! arrangement agreed across employers, and clinical academics' commitments (A 12.1).

use crate::assessment::EmployerTotal;
use crate::finding::Findings;
use crate::money::show;
use crate::out_of_hours::Recognised;
use crate::plan::{Employer, EmployerKind, JobPlanDocument};
use crate::rule::Rule;
use crate::working_week::Timetable;
use rust_decimal::Decimal;

/// JP-5: a consultant who works for more than one NHS employer has a designated lead employer and
/// one integrated job plan covering all their NHS commitments.
pub const JP_5: Rule = Rule {
    id: "JP-5",
    citation: "F 1(f), A 11.1",
    title: "One integrated job plan with a lead employer",
};

/// The integrated plan's PAs and hours by employer, and its JP-5 findings.
///
/// One document is one integrated job plan, so the week's limits (WW-4, WW-6, WW-9, OC-3) already
/// apply to the work with every employer together; this divides the figures by employer. Each
/// activity belongs to the employer it names, else to the default employer (the lead, or the only
/// NHS employer listed); the on-call PAs and emergency hours belong to the rota's employer. PAs in
/// premium time take the plan's recognition (OOH-2) in proportion to premium hours, as each
/// category does, so the employers' PAs add up to the plan's total. Work with two or more NHS
/// employers, or work that falls to no employer, without a lead employer is an error unless the
/// plan documents another arrangement ([`employer_arrangement`]).
pub fn integrated_plan(
    doc: &JobPlanDocument,
    tt: &Timetable,
    rec: &Recognised,
    pa_hours: Decimal,
    on_call_pas: Decimal,
    emergency_hours: Decimal,
    f: &mut Findings,
) -> Vec<EmployerTotal> {
    if doc.employers.is_empty() {
        return Vec::new();
    }
    // (employer or none, plain hours, premium hours, on-call PAs, emergency hours)
    type Part<'a> = (Option<&'a Employer>, Decimal, Decimal, Decimal, Decimal);
    fn part<'a>(parts: &mut Vec<Part<'a>>, e: Option<&'a Employer>) -> usize {
        let key = e.map(|e| e.id.as_str());
        match parts.iter().position(|p| p.0.map(|e| e.id.as_str()) == key) {
            Some(i) => i,
            None => {
                parts.push((
                    e,
                    Decimal::ZERO,
                    Decimal::ZERO,
                    Decimal::ZERO,
                    Decimal::ZERO,
                ));
                parts.len() - 1
            }
        }
    }
    let mut parts: Vec<Part> = Vec::new();
    let mut indices = Vec::new();
    for (i, a) in doc.activities.iter().enumerate() {
        indices.push((i, part(&mut parts, doc.employer_of(a))));
    }
    let rota = doc
        .on_call
        .as_ref()
        .map(|_| part(&mut parts, doc.on_call_employer()));
    let weeks = Decimal::from(tt.weeks.max(1));
    let minutes = Decimal::from(60);
    for (i, p) in indices {
        let count = tt.occurrences.iter().filter(|o| o.activity == i).count();
        let (plain, premium) = tt.split[i];
        let per_week = Decimal::from(count as u64) / weeks / minutes;
        parts[p].1 += Decimal::from(plain) * per_week;
        parts[p].2 += Decimal::from(premium) * per_week;
    }
    if let Some(p) = rota {
        parts[p].3 += on_call_pas;
        parts[p].4 += emergency_hours;
    }
    let premium_total = tt.premium_total();
    // In the order of the [[employer]] list, work with no employer last.
    parts.sort_by_key(|p| {
        p.0.and_then(|e| doc.employers.iter().position(|x| x.id == e.id))
            .unwrap_or(usize::MAX)
    });
    let totals: Vec<EmployerTotal> = parts
        .iter()
        .map(|&(e, plain, premium, on_call, emergency)| {
            let premium_pas = if premium_total.is_zero() {
                Decimal::ZERO
            } else {
                rec.premium_pas * premium / premium_total
            };
            EmployerTotal {
                id: e.map_or(String::new(), |e| e.id.clone()),
                name: e.map_or("no employer named".into(), |e| e.name.clone()),
                kind: e.map_or(EmployerKind::Nhs, |e| e.kind),
                lead: e.is_some_and(|e| e.lead),
                pas: plain / pa_hours + premium_pas + on_call,
                hours: plain + premium + emergency,
            }
        })
        .collect();
    let nhs: Vec<&EmployerTotal> = totals
        .iter()
        .filter(|t| !t.id.is_empty() && t.kind == EmployerKind::Nhs)
        .collect();
    let unassigned = totals.iter().any(|t| t.id.is_empty());
    if doc.lead_employer().is_none() && (nhs.len() > 1 || unassigned) {
        let what = if unassigned {
            "work that names no employer (and no lead employer to default to)".to_string()
        } else {
            format!(
                "work with {} NHS employers ({})",
                nhs.len(),
                nhs.iter()
                    .map(|t| t.name.as_str())
                    .collect::<Vec<_>>()
                    .join(", ")
            )
        };
        if doc.job_plan.employer_arrangement.trim().is_empty() {
            f.error(JP_5, format!("the plan has {what} but no designated lead employer: mark one NHS employer lead = true, or document the other arrangement agreed across the employers in `employer_arrangement`"));
        } else {
            employer_arrangement(doc, &what, f);
        }
    }
    if totals.len() > 1 {
        let lead = doc
            .lead_employer()
            .map_or("no lead employer".to_string(), |l| {
                format!("lead employer {}", l.name)
            });
        let each = totals
            .iter()
            .map(|t| format!("{} {} PAs, {} hours", t.name, show(t.pas), show(t.hours)))
            .collect::<Vec<_>>()
            .join("; ");
        f.info(
            JP_5,
            format!("one integrated job plan across {} employers, {lead}: {each} a week; the week's limits apply to the whole plan", totals.len()),
        );
    }
    for t in totals
        .iter()
        .filter(|t| t.kind == EmployerKind::University && !t.id.is_empty())
    {
        clinical_academic(t, f);
    }
    if totals.len() > 1 {
        totals
    } else {
        Vec::new()
    }
}

/// JP-5 exception (A 11.1): exceptionally, employers may agree another arrangement than a lead
/// employer; the plan documents it, and the missing lead becomes information.
pub const JP_5_OTHER_ARRANGEMENT: Rule = Rule {
    id: "JP-5",
    citation: "A 11.1",
    title: "Another arrangement agreed across employers",
};

/// Notes work across employers without a lead under the arrangement the plan documents.
pub fn employer_arrangement(doc: &JobPlanDocument, what: &str, f: &mut Findings) {
    f.info(
        JP_5_OTHER_ARRANGEMENT,
        format!(
            "the plan has {what} and no lead employer, under the arrangement agreed across the employers: \"{}\"",
            doc.job_plan.employer_arrangement.trim()
        ),
    );
}

/// JP-5 for clinical academics (A 12.1): the NHS commitments of a consultant on an honorary
/// contract are agreed with the university, and the job plan built on them.
pub const JP_5_CLINICAL_ACADEMIC: Rule = Rule {
    id: "JP-5",
    citation: "A 12.1",
    title: "Clinical academics' commitments agreed with the university",
};

/// Notes the sessions with a university: they are agreed with it (A 12.1).
pub fn clinical_academic(t: &EmployerTotal, f: &mut Findings) {
    f.info(
        JP_5_CLINICAL_ACADEMIC,
        format!(
            "{} PAs a week with {}, a university: a clinical academic's NHS commitments are agreed with the university and the job plan built on them",
            show(t.pas),
            t.name
        ),
    );
}
