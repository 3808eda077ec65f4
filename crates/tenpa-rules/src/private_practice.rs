//! Private practice and contract type in one job plan (PRV-1; F 7, F 6(f), D 2.1), the
//! disclosure of private commitments (PRV-2; D 3.6-3.7), and the standards for the private and
//! fee-paying sessions a plan records (PRV-3 to PRV-5; D 3.8-3.18, B 6, F 2(h)).

use crate::finding::{Finding, Findings, Severity};
use crate::money::Figure;
use crate::parameters::{LookupError, Parameters, PartTimeLimits};
use crate::plan::{Fee, JobPlanDocument, PrivateKind, PrivateSession};
use crate::rule::Rule;
use crate::working_week::{Timetable, WW_5};
use chrono::{Months, NaiveDate};
use rust_decimal::Decimal;

/// PRV-1: contract type depends only on NHS PAs. A consultant appointed after implementation who
/// works part-time to do private practice normally has at most 6 PAs; part-time with no private
/// practice, up to 9.
pub const PRV_1: Rule = Rule {
    id: "PRV-1",
    citation: "F 7(a), F 6(f), D 2.1",
    title: "Part-time contracts and private practice",
};

/// PRV-1's exception: the employer's exceptional agreement to more PAs, recorded in the plan.
pub const PRV_1_EXCEPTION: Rule = Rule {
    id: "PRV-1",
    citation: "F 6(f)",
    title: "Exceptional agreement to more PAs",
};

/// PRV-1 (F 6(f)): a significant increase in an existing part-time consultant's private practice
/// after transfer to the contract prompts a review of the PAs they undertake for the NHS.
pub const PRV_1_REVIEW: Rule = Rule {
    id: "PRV-1",
    citation: "F 6(f)",
    title: "Private practice increased after transfer",
};

/// A warning when a part-time consultant (`pas` below `full_time_pas`) who transferred to the
/// contract records a significant increase in private practice in the year ending `ending`.
pub fn check_increase_after_transfer(
    transferred: bool,
    increased: bool,
    pas: Decimal,
    full_time_pas: Decimal,
    ending: NaiveDate,
    f: &mut Findings,
) {
    if transferred && increased && pas < full_time_pas {
        f.warning(PRV_1_REVIEW, format!("a significant increase in private practice is recorded in the year ending {ending} for an existing part-time consultant ({} PAs) who transferred to the contract: the employer and consultant review the number of PAs the consultant should undertake for the NHS (F 6(f))", Figure(pas)));
    }
}

/// Whether the consultant was "appointed after the date of implementation" (F 6(f)) for the
/// post this plan is for: by the plan's `appointed_to_post` when recorded, so a consultant first
/// appointed before `implemented` who takes a new post after it is bound, and one who transferred
/// in a post held before it is not; without it, by when the post was offered (`post_offered`,
/// itself the first consultant appointment unless given), for a consultant who did not transfer.
pub fn appointed_after_implementation(doc: &JobPlanDocument, implemented: NaiveDate) -> bool {
    let c = &doc.consultant;
    match doc.job_plan.appointed_to_post {
        Some(appointed) => appointed >= implemented,
        None => c.transferred.is_none() && c.post_offered >= implemented,
    }
}

/// Checks a part-time contract against the limits, for consultants appointed to the post on or
/// after `implemented` ([`appointed_after_implementation`]).
pub fn check_part_time(
    doc: &JobPlanDocument,
    full_time_pas: Decimal,
    limits: &PartTimeLimits,
    implemented: NaiveDate,
    f: &mut Findings,
) {
    let c = &doc.consultant;
    let pas = doc.job_plan.contracted_pas;
    if pas >= full_time_pas || !appointed_after_implementation(doc, implemented) {
        return;
    }
    if c.private_practice && pas > limits.with_private_practice {
        if doc.job_plan.private_practice_exception.trim().is_empty() {
            f.error(PRV_1, format!("a part-time contract of {} PAs for a consultant doing private practice is above the normal {}; record the employer's exceptional agreement in private_practice_exception", Figure(pas), Figure(limits.with_private_practice)));
        } else {
            exceptional_agreement(doc, pas, f);
        }
    } else if !c.private_practice && pas > limits.without_private_practice {
        f.warning(PRV_1, format!("a part-time contract of {} PAs without private practice is above the {} PAs offered for part-time work", Figure(pas), Figure(limits.without_private_practice)));
    }
}

/// PRV-1 exception: the recorded exceptional agreement makes the contract acceptable.
pub fn exceptional_agreement(doc: &JobPlanDocument, pas: Decimal, f: &mut Findings) {
    f.info(
        PRV_1_EXCEPTION,
        format!(
            "{} PAs with private practice under the employer's exceptional agreement: \"{}\"",
            Figure(pas),
            doc.job_plan.private_practice_exception.trim()
        ),
    );
}

/// PRV-2: a consultant discloses their private commitments to the employer at least annually
/// (D 3.6-3.7). A plan carries no disclosure date, so the service checks the disclosures it holds.
pub const PRV_2: Rule = Rule {
    id: "PRV-2",
    citation: "D 3.6-3.7",
    title: "Private practice disclosed at least annually",
};

/// PRV-2 on `today`, given the date of the latest disclosure on record: a warning when there is
/// none, or when it is older than the disclosure interval (12 months); nothing otherwise. The
/// disclosure is also needed before pay progression (PP-1).
pub fn disclosure_findings(
    params: &Parameters,
    latest: Option<NaiveDate>,
    today: NaiveDate,
) -> Result<Vec<Finding>, LookupError> {
    let interval = params.disclosure_interval.value(today)?;
    let message = match latest {
        None => "no private practice disclosure is on record: disclosure is due at least annually (D 3.6-3.7); it is needed before pay progression (PP-1)".to_string(),
        Some(on) => match on.checked_add_months(Months::new(interval.months)) {
            Some(due) if due >= today => return Ok(vec![]),
            _ => format!(
                "the latest private practice disclosure, on {on}, is more than {} months old: disclosure is due at least annually (D 3.6-3.7); it is needed before pay progression (PP-1)",
                interval.months
            ),
        },
    };
    Ok(vec![Finding::new(PRV_2, Severity::Warning, message)])
}

/// The most private sessions one job plan may hold (a regular week of private work is a handful).
pub const MAX_PRIVATE_SESSIONS: usize = 100;

const DAY: u32 = 1440;
const WEEK: u32 = 7 * DAY;
/// NHS activities named in one finding; the rest are counted.
const NAMED: usize = 5;

/// One occurrence of a session in the cycle, in minutes from Monday 00:00 of week 1; an
/// occurrence running past the cycle's end is cut there and its rest starts week 1.
#[derive(Debug, Clone, Copy)]
struct Span {
    start: u32,
    end: u32,
    index: usize,
}

/// The occurrences of the private sessions in the cycle; a week outside the cycle is a WW-5
/// error, as for an activity.
fn private_spans(doc: &JobPlanDocument, weeks: u32, f: &mut Findings) -> Vec<Span> {
    let cycle = weeks * WEEK;
    let mut out = Vec::new();
    for (i, s) in doc.private_sessions.iter().enumerate() {
        let mut push = |w: u32| {
            let start = w * WEEK + s.day.index() as u32 * DAY + u32::from(s.start.minutes());
            cut(start, start + s.minutes(), i, cycle, &mut out);
        };
        if s.weeks.is_empty() {
            (0..weeks).for_each(&mut push);
        } else {
            for &w in &s.weeks {
                if u32::from(w) <= weeks {
                    push(u32::from(w) - 1);
                } else {
                    f.error(WW_5, format!("the private session \"{}\" is in week {w} but the cycle has {weeks} week(s); it is left out of the checks", s.label()));
                }
            }
        }
    }
    out.sort_unstable_by_key(|s| (s.start, s.index));
    out
}

fn cut(start: u32, end: u32, index: usize, cycle: u32, out: &mut Vec<Span>) {
    out.extend(
        crate::working_week::within_cycle(start, end, cycle).map(|(start, end)| Span {
            start,
            end,
            index,
        }),
    );
}

/// The NHS activities' occurrences, cut at the cycle's end, sorted by start.
fn nhs_spans(tt: &Timetable) -> Vec<Span> {
    let cycle = tt.cycle_minutes();
    let mut out = Vec::with_capacity(tt.occurrences.len() + 1);
    for o in &tt.occurrences {
        cut(o.start, o.end, o.activity, cycle, &mut out);
    }
    out.sort_unstable_by_key(|s| (s.start, s.index));
    out
}

/// For each private session, the NHS activities it overlaps, in the order of the document; and
/// for each, the NHS activities that begin within `changeover` minutes after one of its
/// occurrences ends. Both found by binary search in the sorted NHS occurrences (no NHS occurrence
/// is longer than `longest` minutes), so the cost grows with the occurrences, not their product.
fn neighbours(
    sessions: usize,
    private: &[Span],
    nhs: &[Span],
    changeover: u32,
) -> (Vec<Vec<usize>>, Vec<Vec<usize>>) {
    let longest = nhs.iter().map(|n| n.end - n.start).max().unwrap_or(0);
    let mut clashes = vec![Vec::new(); sessions];
    let mut next = vec![Vec::new(); sessions];
    for p in private {
        let lo = nhs.partition_point(|n| n.start + longest <= p.start);
        let hi = nhs.partition_point(|n| n.start < p.end);
        for n in &nhs[lo..hi] {
            if n.end > p.start && !clashes[p.index].contains(&n.index) {
                clashes[p.index].push(n.index);
            }
        }
        let from = nhs.partition_point(|n| n.start < p.end);
        for n in nhs[from..]
            .iter()
            .take_while(|n| n.start < p.end + changeover)
        {
            if !next[p.index].contains(&n.index) {
                next[p.index].push(n.index);
            }
        }
    }
    for list in clashes.iter_mut().chain(next.iter_mut()) {
        list.sort_unstable();
    }
    (clashes, next)
}

/// "\"Mon 09:00-13:00 Theatre list\"; \"Mon 13:00-17:00 Clinic\"", the first [`NAMED`] of
/// `activities` and a count of the rest.
fn named(doc: &JobPlanDocument, activities: &[usize]) -> String {
    let mut s = activities
        .iter()
        .take(NAMED)
        .map(|&i| format!("\"{}\"", doc.activities[i].label()))
        .collect::<Vec<_>>()
        .join(", ");
    match activities.len().saturating_sub(NAMED) {
        0 => {}
        1 => s.push_str(" and 1 more activity"),
        n => s.push_str(&format!(" and {n} more activities")),
    }
    s
}

/// PRV-3: private work is scheduled outside NHS time; no private practice while on call for the
/// NHS (save a higher-frequency rota with a low likelihood of recall, by the employer's prior
/// approval); no private on-call while working for the NHS; no significant risk of private work
/// making NHS activities begin late (D 3.8-3.10, D 3.18).
pub const PRV_3: Rule = Rule {
    id: "PRV-3",
    citation: "D 3.8-3.10, D 3.18, D 1.1",
    title: "Private work scheduled outside NHS time",
};

/// PRV-4: fee-paying work in NHS time only with the employer's agreement and the fee remitted,
/// save minimal-disruption work by agreement; no separate fees for NHS work in programmed
/// activities (F 2(h), B 6.1-6.2, B 6.4, D 3.15).
pub const PRV_4: Rule = Rule {
    id: "PRV-4",
    citation: "F 2(h), B 6.1-6.2, B 6.4, D 3.15",
    title: "Fee-paying work and its fee",
};

/// PRV-5: NHS facilities and staff are used for private work only with the NHS employer's
/// agreement; the employer may charge for facilities, never for patient notes, and not while the
/// fee is remitted (D 3.14-3.18, B 6.3).
pub const PRV_5: Rule = Rule {
    id: "PRV-5",
    citation: "D 3.14-3.18, B 6.3",
    title: "NHS facilities and staff in private work",
};

/// The NHS on-call rota a private session may fall in: "1 in N" and its frequency band (OC-6);
/// `None` when the plan has no rota.
#[derive(Debug, Clone, Copy)]
pub struct NhsRota {
    /// N of "1 in N".
    pub size: u32,
    /// "high", "medium" or "low" frequency, by the availability supplement's bands.
    pub band: &'static str,
}

/// Checks the plan's private sessions against its timetable and rota: PRV-3 to PRV-5, and
/// PRV-1's consistency (private practice recorded where the plan says there is none).
/// `changeover` is the least time, in minutes, between private work at one place and an NHS
/// activity at another that begins after it.
pub fn check_sessions(
    doc: &JobPlanDocument,
    tt: &Timetable,
    rota: Option<NhsRota>,
    changeover: u32,
    f: &mut Findings,
) {
    if doc.private_sessions.is_empty() {
        return;
    }
    let private = private_spans(doc, tt.weeks, f);
    let nhs = nhs_spans(tt);
    let (clashes, next) = neighbours(doc.private_sessions.len(), &private, &nhs, changeover);
    let practice: Vec<String> = doc
        .private_sessions
        .iter()
        .filter(|s| s.kind != PrivateKind::FeePaying)
        .map(PrivateSession::label)
        .collect();
    if !doc.consultant.private_practice && !practice.is_empty() {
        f.error(PRV_1, format!("the plan records private sessions ({}) but consultant.private_practice is false: set it to true, as the part-time limit (F 6(f)) and the disclosure before progression (D 3.6) depend on it", practice.join("; ")));
    }
    for (i, s) in doc.private_sessions.iter().enumerate() {
        let label = s.label();
        if !clashes[i].is_empty() {
            in_nhs_time(doc, s, &label, &clashes[i], f);
        }
        if s.during_nhs_on_call {
            during_on_call(s, &label, rota, f);
        }
        late_start(doc, s, &label, &next[i], changeover, f);
        facilities_and_staff(s, &label, f);
    }
}

/// A session overlapping NHS activities: PRV-3 for private practice and private on-call, PRV-4
/// for fee-paying work.
fn in_nhs_time(
    doc: &JobPlanDocument,
    s: &PrivateSession,
    label: &str,
    activities: &[usize],
    f: &mut Findings,
) {
    let list = named(doc, activities);
    match s.kind {
        PrivateKind::PrivatePractice => f.error(PRV_3, format!("private practice in NHS time: \"{label}\" overlaps {list}; private work is done outside NHS time and agreed NHS commitments take precedence (D 3.8, D 3.18): move the session")),
        PrivateKind::PrivateOnCall => f.error(PRV_3, format!("on call for the private sector while working for the NHS: \"{label}\" overlaps {list} (D 3.8): move the private on-call")),
        PrivateKind::FeePaying => fee_in_nhs_time(doc, s, label, activities, &list, f),
    }
}

/// PRV-4 for fee-paying work that overlaps NHS activities.
fn fee_in_nhs_time(
    doc: &JobPlanDocument,
    s: &PrivateSession,
    label: &str,
    activities: &[usize],
    list: &str,
    f: &mut Findings,
) {
    if s.employer_approval.is_empty() {
        return f.error(PRV_4, format!("fee-paying work in NHS time without the employer's agreement: \"{label}\" overlaps {list}; fee-paying work is done in the consultant's own time or leave, or in NHS time only with the employer's agreement (F 2(h), B 6.1): move it, or record the agreement"));
    }
    match s.fee {
        Fee::Retained if s.for_nhs => f.error(PRV_4, format!("a separate fee for NHS work done during programmed activities: \"{label}\" overlaps {list} and is work for an NHS organisation with the fee retained; no separate fees are given for NHS work in programmed activities (B 6.4, F 2(h)): remit the fee or move the work")),
        Fee::Retained if s.minimal_disruption => f.info(PRV_4, format!("\"{label}\" is fee-paying work in NHS time without the fee being collected, by the employer's agreement that it involves minimal disruption (B 6.2, D 3.15): \"{}\"", s.employer_approval)),
        Fee::Retained => f.error(PRV_4, format!("fee-paying work in NHS time with the fee retained: \"{label}\" overlaps {list}; in NHS time the fee is remitted to the employer unless the employer agreed that the work involves minimal disruption (F 2(h), B 6.1-6.2, D 3.15): set fee = \"remitted\", or record minimal_disruption = true")),
        Fee::Remitted => {
            let outside_spa: Vec<usize> = activities
                .iter()
                .copied()
                .filter(|&a| doc.activities[a].category != crate::plan::Category::Spa)
                .collect();
            if outside_spa.is_empty() {
                f.info(PRV_4, format!("\"{label}\" is fee-paying work in time for supporting activities with the fee remitted to the employer, by agreement (B 6.1): \"{}\"", s.employer_approval));
            } else {
                f.warning(PRV_4, format!("fee-paying work with the fee remitted is done within time for supporting activities (B 6.1), but \"{label}\" overlaps {} outside it: agree the change of programme, or move the work into SPA time", named(doc, &outside_spa)));
            }
        }
    }
}

/// PRV-3: private practice while on call for the NHS (D 3.8).
fn during_on_call(s: &PrivateSession, label: &str, rota: Option<NhsRota>, f: &mut Findings) {
    let Some(rota) = rota else {
        return f.error(PRV_3, format!("\"{label}\" is recorded as falling during NHS on-call, but the plan has no on-call rota ([on_call] with rota_size above 0): correct during_nhs_on_call or the rota"));
    };
    if s.employer_approval.is_empty() {
        f.error(PRV_3, format!("{} while on call for the NHS: \"{label}\" falls during NHS on-call on a 1 in {} rota without the employer's prior approval; consultants do not undertake private practice when on call for the NHS (D 3.8): move the session, or record the approval in employer_approval", s.kind.words(), rota.size));
    } else if rota.band != "high" {
        f.error(PRV_3, format!("\"{label}\" falls during NHS on-call on a 1 in {} rota ({} frequency): the employer may approve private practice while on call only for a consultant on a higher-frequency rota with a low likelihood of recall (D 3.8), and this rota is not one", rota.size, rota.band));
    } else {
        f.info(PRV_3, format!("\"{label}\" falls during NHS on-call on a 1 in {} rota (high frequency) with the employer's prior approval: \"{}\"; where it regularly affects NHS commitments, other cover is arranged, and NHS sessions it disrupts are made up (D 3.8, D 3.10)", rota.size, s.employer_approval));
    }
}

/// PRV-3: a session at one place ending too close to an NHS activity at another (D 3.9).
fn late_start(
    doc: &JobPlanDocument,
    s: &PrivateSession,
    label: &str,
    activities: &[usize],
    changeover: u32,
    f: &mut Findings,
) {
    let here = s.location.trim().to_lowercase();
    if here.is_empty() {
        return;
    }
    let elsewhere: Vec<usize> = activities
        .iter()
        .copied()
        .filter(|&a| {
            let there = doc.activities[a].location.trim().to_lowercase();
            !there.is_empty() && there != here
        })
        .collect();
    if !elsewhere.is_empty() {
        f.warning(PRV_3, format!("\"{label}\" at {} ends less than {changeover} minutes before {} begins elsewhere: there should be no significant risk of private work making NHS activities begin late or be cancelled (D 3.9); NHS sessions it disrupts are made up and regular disruption means rearranging the private session (D 3.10)", s.location.trim(), named(doc, &elsewhere)));
    }
}

/// PRV-5: NHS facilities and staff (D 3.14-3.18, B 6.3).
fn facilities_and_staff(s: &PrivateSession, label: &str, f: &mut Findings) {
    let used: Vec<&str> = [
        (s.nhs_facilities, "NHS facilities"),
        (s.nhs_staff, "NHS staff"),
    ]
    .iter()
    .filter(|(used, _)| *used)
    .map(|(_, what)| *what)
    .collect();
    if used.is_empty() {
        return;
    }
    let what = used.join(" and ");
    if s.employer_approval.is_empty() {
        let cite = match (s.nhs_facilities, s.nhs_staff) {
            (true, true) => "D 3.14-3.15, D 3.17",
            (true, false) => "D 3.14-3.15",
            _ => "D 3.17",
        };
        return f.error(PRV_5, format!("\"{label}\" uses {what} without the NHS employer's agreement ({cite}): record the agreement, or end the use"));
    }
    let charges = if !s.nhs_facilities {
        String::new()
    } else if s.kind == PrivateKind::FeePaying && s.fee == Fee::Remitted {
        "; no charge is made for the facilities while the fee is remitted (D 3.16)".to_string()
    } else {
        "; the employer may make a reasonable charge for its facilities, collected from the patient, the commissioner or the consultant, never for the use of patient notes (D 3.16, B 6.3)".to_string()
    };
    let priority = if s.nhs_staff {
        "; NHS patients and services keep priority for NHS staff (D 3.18)"
    } else {
        ""
    };
    f.info(
        PRV_5,
        format!(
            "\"{label}\" uses {what} with the NHS employer's agreement: \"{}\"{charges}{priority}",
            s.employer_approval
        ),
    );
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::plan::{parse_document, Format};

    fn read(text: &str) -> JobPlanDocument {
        parse_document(
            "plan.toml",
            text.as_bytes(),
            Format::Toml,
            Parameters::embedded(),
        )
        .unwrap_or_else(|e| panic!("{e}"))
    }

    const HEAD: &str = "[consultant]\nid = \"c\"\nfirst_appointed = \"2004-01-01\"\nprivate_practice = true\n[job_plan]\neffective_from = \"2005-04-01\"\ncontracted_pas = 10\n[pay]\npoint = 0\n";

    /// Source: the document's `[[private_session]]` table: what is read is written back the same,
    /// so a stored plan keeps its sessions (the fee only for fee-paying work).
    #[test]
    fn private_sessions_survive_writing_and_reading_again() {
        let doc = read(&format!("{HEAD}[[private_session]]\nday = \"wed\"\nstart = \"18:00\"\nend = \"21:00\"\non_call = true\nweeks = [1]\n[[private_session]]\nfee_paying = true\nday = \"fri\"\nstart = \"14:00\"\nend = \"16:00\"\nfee = \"remitted\"\nnhs_facilities = true\nemployer_approval = \" Agreed \"\n"));
        assert_eq!(doc.private_sessions[0].kind, PrivateKind::PrivateOnCall);
        assert_eq!(doc.private_sessions[1].employer_approval, "Agreed");
        let json = serde_json::to_string(&doc).unwrap();
        assert!(!json.contains("\"fee\":\"retained\""), "{json}");
        let again = parse_document(
            "plan.json",
            json.as_bytes(),
            Format::Json,
            Parameters::embedded(),
        )
        .unwrap();
        assert_eq!(again, doc);
    }

    /// Source: the security standard (untrusted input never decides the work): the largest plan
    /// allowed, every session clashing with every activity, gives one finding per session and
    /// check, each naming at most five activities.
    #[test]
    fn the_largest_plan_gives_bounded_findings() {
        let mut text = HEAD.replace(
            "contracted_pas = 10",
            "contracted_pas = 10\ncycle_weeks = 52",
        );
        for _ in 0..crate::plan::MAX_ACTIVITIES {
            text.push_str("[[activity]]\nday = \"mon\"\nstart = \"09:00\"\nend = \"13:00\"\ncategory = \"dcc\"\n");
        }
        for _ in 0..MAX_PRIVATE_SESSIONS {
            text.push_str("[[private_session]]\nday = \"mon\"\nstart = \"10:00\"\nend = \"11:00\"\nnhs_staff = true\n");
        }
        let doc = read(&text);
        let a = crate::evaluate(&doc, Parameters::embedded(), None).unwrap();
        let prv: Vec<_> = a
            .findings
            .iter()
            .filter(|f| f.rule.starts_with("PRV"))
            .collect();
        assert_eq!(prv.len(), 2 * MAX_PRIVATE_SESSIONS);
        assert!(
            prv.iter().all(|f| f.message.len() < 600),
            "{}",
            prv[0].message
        );
        assert!(
            prv[0].message.contains("and 495 more activities"),
            "{}",
            prv[0].message
        );
        let refused = format!(
            "{text}[[private_session]]\nday = \"sat\"\nstart = \"10:00\"\nend = \"11:00\"\n"
        );
        let e = parse_document(
            "plan.toml",
            refused.as_bytes(),
            Format::Toml,
            Parameters::embedded(),
        )
        .unwrap_err();
        assert_eq!(e.field, "private_session[100]");
    }

    /// Source: D 3.7 ("at least annually"): due again 12 months after the last disclosure.
    #[test]
    fn a_disclosure_is_due_again_after_the_interval() {
        let p = Parameters::embedded();
        let d = |y, m, day| NaiveDate::from_ymd_opt(y, m, day).unwrap();
        let today = d(2026, 11, 23);
        let none = disclosure_findings(p, None, today).unwrap();
        assert_eq!((none.len(), none[0].rule), (1, "PRV-2"));
        assert!(disclosure_findings(p, Some(d(2025, 11, 23)), today)
            .unwrap()
            .is_empty());
        let stale = disclosure_findings(p, Some(d(2025, 11, 22)), today).unwrap();
        assert_eq!(stale[0].severity, Severity::Warning);
        assert!(stale[0]
            .message
            .contains("on 2025-11-22, is more than 12 months old"));
    }
}
