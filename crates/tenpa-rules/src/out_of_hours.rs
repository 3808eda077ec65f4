//! Out-of-hours recognition (OOH-1 … OOH-5; F 5, B 8, F 9(i)).

use crate::finding::Findings;
use crate::money::{div, Figure};
use crate::parameters::TimeForm;
use crate::plan::{JobPlanDocument, Recognition};
use crate::rule::Rule;
use crate::working_week::{Timetable, BUCKETS};
use rust_decimal::{Decimal, RoundingStrategy};

/// How the timetable's premium time is recognised on the date applied.
#[derive(Debug, Clone, PartialEq)]
pub struct Recognised {
    /// Whether out-of-hours recognition is in force (OOH-1).
    pub in_force: bool,
    /// The form chosen in the plan.
    pub form: Recognition,
    /// PAs by bucket, plain and premium time together.
    pub pas: [Decimal; BUCKETS],
    /// PAs scheduled in premium time.
    pub premium_pas: Decimal,
    /// Hours the timetabled week is reduced by (`time` form).
    pub reduction_hours: Decimal,
    /// Premium-time emergency hours that make one on-call PA (OC-2).
    pub emergency_premium_hours_per_pa: Decimal,
}

impl Recognised {
    /// Whether the reduced-hours form applies.
    pub fn time_form(&self) -> bool {
        self.in_force && self.form == Recognition::Time
    }
}

/// OOH-1: before 1 April 2004 there is no out-of-hours recognition: premium hours count as plain.
pub const OOH_1: Rule = Rule {
    id: "OOH-1",
    citation: "F 5(b), F 9(i)",
    title: "No recognition before 1 April 2004",
};

/// OOH-2: from 1 April 2004 either each PA in premium time reduces the week by an hour (at most 3
/// a week) and premium-time emergency work converts at 3 hours a PA, or, by mutual agreement, a
/// premium of 3.3%, 6.6% or 10% of basic salary for 1, 2 or 3 PA-equivalents a week.
pub const OOH_2: Rule = Rule {
    id: "OOH-2",
    citation: "F 5(c), B 8.3",
    title: "Reduced hours or a premium",
};

/// Converts the timetable's hours into PAs under the recognition in force (OOH-1, OOH-2).
///
/// Under the `time` form, premium hours up to `max_weekly_reduction_hours` PAs' worth are valued
/// at `premium_pa_hours` each (3 hours a PA); the rest at the plain value. Each bucket's premium
/// PAs are its share of the premium hours.
pub fn recognise(
    tt: &Timetable,
    form: Recognition,
    in_force: bool,
    pa_hours: Decimal,
    time_form: Option<&TimeForm>,
) -> Recognised {
    let premium_total = tt.premium_total();
    // Every hour at the plain value: the recognition before OOH-2, under the premium form, and of
    // a timetable with no premium time.
    let at_plain_value = || {
        let mut pas = [Decimal::ZERO; BUCKETS];
        for (b, pa) in pas.iter_mut().enumerate() {
            *pa = div(tt.plain_hours[b] + tt.premium_hours[b], pa_hours);
        }
        pas
    };
    let (true, Recognition::Time, Some(t)) = (in_force, form, time_form) else {
        return Recognised {
            in_force,
            form,
            pas: at_plain_value(),
            premium_pas: div(premium_total, pa_hours),
            reduction_hours: Decimal::ZERO,
            emergency_premium_hours_per_pa: pa_hours,
        };
    };
    let per_pa_reduction = pa_hours - t.premium_pa_hours;
    let max_reduced_pas = if per_pa_reduction > Decimal::ZERO {
        t.max_weekly_reduction_hours / per_pa_reduction
    } else {
        Decimal::ZERO
    };
    let reduced_hours = premium_total.min(max_reduced_pas * t.premium_pa_hours);
    let reduced_pas = div(reduced_hours, t.premium_pa_hours);
    let premium_pas = reduced_pas + div(premium_total - reduced_hours, pa_hours);
    let mut pas = [Decimal::ZERO; BUCKETS];
    if premium_total > Decimal::ZERO {
        for (b, pa) in pas.iter_mut().enumerate() {
            // 0 / x is Decimal::ZERO whatever the zero's scale: no need to multiply first.
            let premium_share = if tt.premium_hours[b].is_zero() {
                Decimal::ZERO
            } else {
                div(premium_pas * tt.premium_hours[b], premium_total)
            };
            *pa = div(tt.plain_hours[b], pa_hours) + premium_share;
        }
    } else {
        pas = at_plain_value();
    }
    Recognised {
        in_force,
        form,
        pas,
        premium_pas,
        reduction_hours: (reduced_pas * per_pa_reduction).min(t.max_weekly_reduction_hours),
        emergency_premium_hours_per_pa: t.emergency_hours_per_pa,
    }
}

/// PA-equivalents of premium-time work a week: scheduled premium hours / 4 + premium-time
/// emergency hours / 4 under the premium form; under the reduced-hours form the premium-time PAs
/// plus emergency hours / 3. Unrounded.
pub fn pa_equivalents(
    r: &Recognised,
    emergency_premium_hours: Decimal,
    pa_hours: Decimal,
) -> Decimal {
    if r.time_form() {
        r.premium_pas + div(emergency_premium_hours, r.emergency_premium_hours_per_pa)
    } else {
        div(r.premium_pas * pa_hours + emergency_premium_hours, pa_hours)
    }
}

/// The premium percentage for `pa_equivalents` under the premium form: rounded to the nearest
/// whole number (halves up) and capped at the last step.
pub fn premium_percent(pa_equivalents: Decimal, steps: &[Decimal]) -> Decimal {
    let n = pa_equivalents.round_dp_with_strategy(0, RoundingStrategy::MidpointAwayFromZero);
    let n: usize = n.try_into().unwrap_or(0);
    match n {
        0 => Decimal::ZERO,
        n => steps[n.min(steps.len()) - 1],
    }
}

/// Notes that premium time is not yet recognised (OOH-1).
pub fn note_before_recognition(r: &Recognised, premium_hours: Decimal, f: &mut Findings) {
    if !r.in_force && premium_hours > Decimal::ZERO {
        f.info(OOH_1, format!("{} h a week in premium time count as plain time: out-of-hours recognition starts on 1 April 2004", Figure(premium_hours)));
    }
}

/// OOH-3: during the transitional period the employer decides the form; from 1 April 2006 the
/// premium form needs the consultant's mutual agreement.
pub const OOH_3: Rule = Rule {
    id: "OOH-3",
    citation: "F 9(i), B 8.4",
    title: "Who chooses the form",
};

/// The form applied on the date: the one chosen, except that the premium form chosen without the
/// consultant's agreement, when it needs it, gives way to the reduced-hours form, which F 5(c) and
/// B 8.3 make the default ("or, by mutual agreement … a premium"). `evaluate` recognises a plan's
/// premium time under this form, and the population costing a row's.
pub fn form_applied(chosen: Recognition, agreed: bool, needs_agreement: bool) -> Recognition {
    if chosen == Recognition::Premium && needs_agreement && !agreed {
        Recognition::Time
    } else {
        chosen
    }
}

/// Checks the premium form chosen in the plan is agreed where agreement is required. Without it,
/// the plan is recognised under the reduced-hours form ([`form_applied`]): `left_out` is the
/// premium percentage the premium form would have paid, which the pay statement leaves out.
pub fn check_form_agreement(
    doc: &JobPlanDocument,
    in_force: bool,
    needs_agreement: bool,
    left_out: Decimal,
    f: &mut Findings,
) {
    if !in_force || doc.job_plan.out_of_hours_recognition != Recognition::Premium {
        return;
    }
    if !needs_agreement {
        f.info(OOH_3, "the premium form applies by the employer's decision during the transitional period (to 31 March 2006)");
    } else if !doc.job_plan.premium_mutually_agreed {
        let premium = if left_out.is_zero() {
            "no premium is paid".to_string()
        } else {
            format!(
                "the pay statement leaves out the premium of {}% of basic salary",
                Figure(left_out)
            )
        };
        f.error(OOH_3, format!("the premium form needs the consultant's mutual agreement from 1 April 2006: {premium}, and the reduced-hours form applies (premium-time PAs of 3 hours, premium-time emergency work at 3 hours a PA); record premium_mutually_agreed = true, or use the reduced-hours form"));
    }
}

/// OOH-4: more than 3 PA-equivalents a week of premium-time work gets no further national
/// recognition; where a consultant works through the out-of-hours period, the employer ensures
/// adequate rest before and after it (how much premium time is working through it, and how much
/// rest, are this project's readings).
pub const OOH_4: Rule = Rule {
    id: "OOH-4",
    citation: "F 5(e)-(f), B 8.6-8.7",
    title: "Limits of recognition and rest",
};

/// Warns above the last step of recognition.
pub fn check_excess(pa_equivalents: Decimal, steps: usize, f: &mut Findings) {
    if pa_equivalents > Decimal::from(steps) {
        f.warning(OOH_4, format!("{} PA-equivalents a week of premium-time work: above {steps} there is no further national recognition; agree a local arrangement", Figure(pa_equivalents)));
    }
}

/// A continuous spell of scheduled work: activities that follow one another without a break.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct Spell {
    /// Start, minutes into the cycle.
    start: u32,
    /// End, minutes into the cycle; may pass the cycle's end.
    end: u32,
    /// Minutes of it in premium time.
    premium: u32,
    /// The activity of its first occurrence.
    first: usize,
    /// The activity of its last occurrence.
    last: usize,
    /// How many occurrences it holds.
    occurrences: usize,
}

/// The timetable's spells of work in cycle order; the last one joins the first where it runs on
/// into it past the cycle's end (the cycle repeats).
fn spells(tt: &Timetable) -> Vec<Spell> {
    let cycle = tt.cycle_minutes();
    let mut spells: Vec<Spell> = Vec::new();
    for o in &tt.occurrences {
        let premium = tt.split[o.activity].1;
        match spells.last_mut() {
            Some(s) if o.start <= s.end => {
                s.end = s.end.max(o.end);
                s.premium += premium;
                s.last = o.activity;
                s.occurrences += 1;
            }
            _ => spells.push(Spell {
                start: o.start,
                end: o.end,
                premium,
                first: o.activity,
                last: o.activity,
                occurrences: 1,
            }),
        }
    }
    while spells.len() > 1 && spells[spells.len() - 1].end >= spells[0].start + cycle {
        let first = spells.remove(0);
        let last = spells.last_mut().expect("more than one spell");
        last.end = last.end.max(first.end + cycle);
        last.premium += first.premium;
        last.last = first.last;
        last.occurrences += first.occurrences;
    }
    spells
}

/// OOH-4: whether a spell of work holds enough premium time to work through the
/// out-of-hours period (`out_of_hours/working_through_hours`, this project's reading).
fn works_through(spell: &Spell, through_minutes: u32) -> bool {
    spell.premium >= through_minutes
}

/// Warns where a spell of work that works through the out-of-hours period ([`works_through`]) has
/// less than the rest period between it and the scheduled work before it, or after it. Activities
/// that follow one another without a break are one spell; short premium time (an evening list
/// running past 22:00) is not working through the period and needs no check.
pub fn check_rest(
    doc: &JobPlanDocument,
    tt: &Timetable,
    rest_hours: Decimal,
    through_hours: Decimal,
    f: &mut Findings,
) {
    let minutes = |h: Decimal| -> u32 { (h * Decimal::from(60)).round().try_into().unwrap_or(0) };
    let through = minutes(through_hours);
    // A spell's premium time is part of the timetable's: with less than `through` in all, no
    // spell works through the period (most plans), and there is nothing to check.
    let premium: u64 = tt
        .occurrences
        .iter()
        .map(|o| u64::from(tt.split[o.activity].1))
        .sum();
    if premium < u64::from(through) {
        return;
    }
    let rest = minutes(rest_hours);
    let cycle = i64::from(tt.cycle_minutes());
    let spells = spells(tt);
    let n = spells.len();
    if n < 2 {
        return;
    }
    let label = |s: &Spell, last: bool| doc.activities[if last { s.last } else { s.first }].label();
    let gap = |from: u32, to: u32| (i64::from(to) - i64::from(from)).rem_euclid(cycle);
    let hours = |m: i64| Figure(Decimal::from(m) / Decimal::from(60));
    let mut said: Vec<String> = Vec::new();
    for (i, s) in spells.iter().enumerate() {
        if !works_through(s, through) {
            continue;
        }
        let what = if s.occurrences == 1 {
            format!("\"{}\"", label(s, false))
        } else {
            format!(
                "the spell from \"{}\" to \"{}\"",
                label(s, false),
                label(s, true)
            )
        };
        let before = &spells[(i + n - 1) % n];
        let after = &spells[(i + 1) % n];
        let g = gap(before.end, s.start);
        if g < i64::from(rest) {
            said.push(format!(
                "{what} works through the out-of-hours period ({} h in premium time) and starts {} h after \"{}\" ends: less than {} h of rest before it",
                hours(i64::from(s.premium)),
                hours(g),
                label(before, true),
                Figure(rest_hours)
            ));
        }
        let g = gap(s.end, after.start);
        if g < i64::from(rest) {
            said.push(format!(
                "{what} works through the out-of-hours period ({} h in premium time) and is followed {} h later by \"{}\": less than {} h of rest after it",
                hours(i64::from(s.premium)),
                hours(g),
                label(after, false),
                Figure(rest_hours)
            ));
        }
    }
    // A cycle of several weeks repeats the same spells; say each once.
    let mut seen = std::collections::HashSet::new();
    for m in said {
        if seen.insert(m.clone()) {
            f.warning(OOH_4, m);
        }
    }
}

/// OOH-5: a reduction in recognition at review has no protection.
pub const OOH_5: Rule = Rule {
    id: "OOH-5",
    citation: "F 5(d), B 8.5",
    title: "No protection of reduced recognition",
};

/// Notes a reduction since the previous review.
pub fn note_reduction(doc: &JobPlanDocument, pa_equivalents: Decimal, f: &mut Findings) {
    if let Some(prev) = doc
        .previous_review
        .as_ref()
        .and_then(|p| p.out_of_hours_pas)
    {
        if pa_equivalents < prev.0 {
            f.info(OOH_5, format!("out-of-hours recognition falls from {} to {} PA-equivalents a week; the previous recognition is not protected", Figure(prev.0), Figure(pa_equivalents)));
        }
    }
}

#[cfg(test)]
mod tests {
    use crate::{evaluate, parse_document, Format, Parameters, Severity};

    /// Source: OOH-3 (F 9(i), B 8.4): after 31 March 2006 the premium is paid only by mutual
    /// agreement; the finding says what the statement leaves out.
    #[test]
    fn an_unagreed_premium_is_named_in_the_finding_and_left_out() {
        let p = Parameters::embedded();
        let text = "[consultant]\nid = \"c\"\nfirst_appointed = \"1995-04-01\"\n\n[job_plan]\neffective_from = \"2006-04-01\"\ncontracted_pas = 10\nout_of_hours_recognition = \"premium\"\n\n[pay]\npoint = 3\n\n[[activity]]\nday = \"sat\"\nstart = \"13:00\"\nend = \"21:00\"\ncategory = \"dcc\"\n";
        let doc = parse_document("p.toml", text.as_bytes(), Format::Toml, p).unwrap();
        let a = evaluate(&doc, p, None).unwrap();
        let f = a
            .findings
            .iter()
            .find(|f| f.rule == "OOH-3")
            .expect("an OOH-3 finding");
        assert_eq!(f.severity, Severity::Error);
        // 8 hours in premium time are 2 PA-equivalents under the premium form: 6.6%.
        assert!(
            f.message.contains("leaves out the premium of 6.6%"),
            "{}",
            f.message
        );
        assert!(a.pay.out_of_hours_premium.pence() == 0);

        let agreed = text.replace("\n\n[pay]", "\npremium_mutually_agreed = true\n\n[pay]");
        let doc = parse_document("p.toml", agreed.as_bytes(), Format::Toml, p).unwrap();
        let a = evaluate(&doc, p, None).unwrap();
        assert_eq!(
            a.pay.out_of_hours_premium_percent,
            rust_decimal::Decimal::new(66, 1)
        );
        assert!(a.findings.iter().all(|f| f.rule != "OOH-3"));
    }
}
