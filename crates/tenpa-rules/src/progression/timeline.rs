//! The timeline: a career walked anniversary by anniversary.

use super::{
    anniversary, appeal_upheld, check_consulted, check_termination, discretion, expected_pas,
    failed_criteria, non_exempt_work, note_manner, offer_defect, pas, private_practice_standards,
    scale_schedule, spare_capacity, two_pa_rule_years, unrecorded_criteria, AppealRecord, Career,
    Event, EventKind, MaximumPartTime, NextThreshold, PayYearRow, ProgressionError, Projection,
    SpareCapacityDecision, Start, StepSummary, TransitionSummary, YearOutcome, CRITERIA,
    MAX_CAREER_YEARS, PP_1, PP_2, PP_2_DISCRETION, PP_3, PP_3_APPEAL, PP_4, PP_5,
};
use crate::excellence_awards as cea;
use crate::finding::Findings;
use crate::money::{round_pound, Money};
use crate::parameters::{Parameters, Share};
use crate::pay;
use crate::plan::{AppealOutcome, CareerDocument, Consultant, OfferResponse, PayPoint, Year};
use crate::rule::Rule;
use crate::transition::{self, Phase, TR_1, TR_2, TR_4};
use chrono::{Months, NaiveDate};
use rust_decimal::Decimal;

/// PAY-2 year by year: each scale in force, computed once, and the uplift of figures off the scale
/// (transitional points, TR-4's current pay). Gives the same figures as [`pay::scale`] and
/// [`pay::uplift_2002`] (a test checks), without recomputing every award for every year.
struct Uplifts<'p> {
    params: &'p Parameters,
    /// (first day in force, the eight points, the pay year of the last award or scale applied).
    scales: Vec<(NaiveDate, Vec<Decimal>)>,
}

impl<'p> Uplifts<'p> {
    fn new(params: &'p Parameters) -> Uplifts<'p> {
        let mut scales: Vec<(NaiveDate, Vec<Decimal>)> = Vec::with_capacity(8);
        let (mut s, mut a) = (0, 0);
        let (scale, awards) = (&params.pay_scale.entries, &params.general_award.entries);
        while s < scale.len() || a < awards.len() {
            let next_scale = scale.get(s).map(|e| e.from);
            let next_award = awards.get(a).map(|e| e.from);
            if next_scale.is_some() && next_award.is_none_or(|w| Some(w) >= next_scale) {
                let e = &scale[s];
                scales.push((e.from, e.value.clone()));
                // Awards on the day a scale is published are part of it (pay::scale).
                while awards.get(a).is_some_and(|w| w.from <= e.from) {
                    a += 1;
                }
                s += 1;
            } else {
                let w = &awards[a];
                if let Some((_, last)) = scales.last() {
                    // v × (100 + p) / 100 = v × ((100 + p) / 100) exactly: one division per award.
                    let factor = (Decimal::ONE_HUNDRED + w.value) / Decimal::ONE_HUNDRED;
                    let points = last.iter().map(|&v| round_pound(v * factor)).collect();
                    scales.push((w.from, points));
                }
                a += 1;
            }
        }
        Uplifts { params, scales }
    }

    /// The scale for the pay year starting `year_start`, and the date of the last change applied.
    fn scale(&self, year_start: NaiveDate) -> (&[Decimal], NaiveDate) {
        let i = self.scales.partition_point(|(from, _)| *from <= year_start);
        let (from, points) = &self.scales[i.saturating_sub(1)];
        (points, *from)
    }

    /// A figure at the level of the pay year starting `since`, uplifted by each later award up to
    /// the pay year starting `year_start`.
    fn uplift(&self, value: Decimal, since: NaiveDate, year_start: NaiveDate) -> Decimal {
        self.params
            .general_award
            .entries
            .iter()
            .filter(|a| a.from > since && a.from <= year_start)
            .fold(value, |v, a| pay::uplift_once(v, a.value))
    }

    /// The full-time salary of a 2002/03 value in the pay year starting `year_start`, as
    /// [`pay::full_time_salary`] reads a `salary_point`.
    fn full_time(&self, value_2002: Decimal, year_start: NaiveDate) -> Decimal {
        let base = &self.params.pay_scale.entries[0];
        match base.value.iter().position(|&p| p == value_2002) {
            Some(i) => self.scale(year_start).0[i],
            None => self.uplift(value_2002, base.from, year_start),
        }
    }
}

fn value_2002(p: PayPoint, base: &[Decimal]) -> Decimal {
    match p {
        PayPoint::Point(i) => base[usize::from(i)],
        PayPoint::Value2002(v) => v,
    }
}

/// An event before its salary is known.
struct Pending {
    date: NaiveDate,
    kind: EventKind,
    value: Decimal,
    satisfactory: u32,
    deferred: u32,
    required: u32,
    rule: Rule,
    reason: String,
    discretion: Vec<String>,
    projected: bool,
}

/// Walks a career from its start (first appointment, or transfer) anniversary by anniversary to
/// `until`, or without it to the top of the scale, judging each recorded year (PP-1, PP-4 … PP-6),
/// counting satisfactory years towards each threshold (PP-2, TR-2) on the anniversaries (PP-3),
/// assuming satisfactory years after the last recorded one, and giving each pay year's figures
/// (PAY-2 … PAY-4, TR-4, CEA-2, CEA-3).
pub fn timeline(
    doc: &CareerDocument,
    params: &Parameters,
    until: Option<NaiveDate>,
) -> Result<Career, ProgressionError> {
    let c = &doc.consultant;
    let anchor = doc.anchor();
    let first = params.contract_in_force.entries[0].from;
    if !params.contract_in_force.at(anchor).is_ok_and(|e| e.value) {
        return Err(ProgressionError::NotOnContract {
            date: anchor,
            first,
            transferred: c.transferred.is_some(),
        });
    }
    if let Some(u) = until.filter(|u| *u < anchor) {
        return Err(ProgressionError::UntilBeforeStart {
            until: u,
            start: anchor,
        });
    }
    let mut f = Findings::default();
    let leap = *params.leap_day_anniversary.value(anchor)?;
    let full_time_pas = *params.full_time_pas.value(anchor)?;
    let base = &params.pay_scale.entries[0].value;
    let uplifts = Uplifts::new(params);

    // Where the career starts, and the thresholds ahead: PP-2 for a new consultant, TR-1 and TR-2
    // for an existing one.
    let given_start = doc.pay.as_ref().and_then(|p| p.start);
    let (start, steps, step_rule, mut transition) = match c.transferred {
        Some(t) => {
            let seniority = c.seniority_at_transfer.unwrap_or(0);
            let start =
                transition::starting_point(seniority, params.transfer_starting_points.value(t)?);
            let steps = transition::steps(seniority, params.transfer_intervals.value(t)?).to_vec();
            if let Some(given) = given_start.map(|p| value_2002(p, base)) {
                if given != start {
                    f.error(TR_1, format!("[pay] gives a starting point of £{} but an existing consultant with {seniority} years' seniority moves to £{} on transfer; the timeline uses £{}", Money::round(given), Money::round(start), Money::round(start)));
                }
            }
            let in_period = *params.in_transitional_period.value(t)?;
            transition::check_transfer_date(t, in_period, &mut f);
            let summary = TransitionSummary {
                transferred: t,
                seniority_at_transfer: seniority,
                starting_point_2002_03: Money::round(start),
                steps: steps
                    .iter()
                    .map(|s| StepSummary {
                        years: s.years,
                        value_2002_03: Money::round(s.value),
                    })
                    .collect(),
                within_transitional_period: in_period,
                maximum_part_time: None,
                part_time: None,
            };
            (start, steps, TR_2, Some(summary))
        }
        None => {
            let start = given_start.map_or(base[0], |p| value_2002(p, base));
            let steps = scale_schedule(start, base, params.threshold_intervals.value(anchor)?);
            (start, steps, PP_2, None)
        }
    };
    let top = steps.last().map_or(start, |s| s.value);

    // PP-5 on each offer, once.
    let mut correct = Vec::with_capacity(doc.extra_pa_offers.len());
    for o in &doc.extra_pa_offers {
        // An offer made before the career starts is judged by the rules in force when it starts.
        let notice = params.extra_pa_notice.value(o.offered_on.max(anchor))?;
        let defect = offer_defect(o, notice);
        if let Some(d) = &defect {
            let what = format!(
                "the offer of {} a week made on {} {d}",
                pas(o.pas),
                o.offered_on
            );
            match o.response {
                OfferResponse::Declined => f.warning(
                    PP_5,
                    format!("{what}: declining it does not defer progression"),
                ),
                OfferResponse::Accepted => f.info(PP_5, format!("{what}; it was accepted")),
            }
        }
        note_manner(o, &mut f);
        check_termination(o, notice, &mut f);
        correct.push(defect.is_none());
    }

    // PP-6 and TR-4 (F 9(f)): the extra PAs expected each year.
    let two_pa_years = two_pa_rule_years(c, params);
    let maximum_part_time = doc
        .transition
        .as_ref()
        .filter(|t| t.maximum_part_time)
        .and_then(|t| c.transferred.map(|d| (t, d)));
    let phasing: &[Share] = match maximum_part_time {
        Some((_, t)) => params.maximum_part_time_phasing.value(t)?,
        None => &[],
    };
    let spare = params.spare_capacity_pas.value(anchor)?;
    let has_offers = !doc.extra_pa_offers.is_empty();

    let recorded: &[Year] = match until {
        Some(u) => &doc.years[..doc.years.partition_point(|y| y.ending <= u)],
        None => &doc.years,
    };
    if recorded.len() < doc.years.len() {
        let n = doc.years.len() - recorded.len();
        f.info(
            PP_3,
            format!(
                "{n} recorded year{} after {} not shown",
                if n == 1 { " is" } else { "s are" },
                until.unwrap_or(anchor)
            ),
        );
    }

    let mut events: Vec<Pending> = vec![Pending {
        date: anchor,
        kind: if c.transferred.is_some() {
            EventKind::Transfer
        } else {
            EventKind::Start
        },
        value: start,
        satisfactory: 0,
        deferred: 0,
        required: 0,
        rule: if c.transferred.is_some() { TR_1 } else { PP_3 },
        reason: String::new(),
        discretion: Vec::new(),
        projected: false,
    }];
    let mut years: Vec<YearOutcome> = Vec::with_capacity(recorded.len().max(steps.len() * 2));
    let (mut step, mut counted, mut satisfactory, mut elapsed) = (0usize, 0u32, 0u32, 0u32);
    let mut uncounted: Vec<usize> = Vec::new();
    let mut discretions: Vec<String> = Vec::new();
    // Each recorded year's PAs, the previous year's when not given (the first: full time).
    let resolved_pas: Vec<Decimal> = doc
        .years
        .iter()
        .scan(full_time_pas, |p, y| {
            *p = y.contracted_pas.unwrap_or(*p);
            Some(*p)
        })
        .collect();
    let mut pas_now = full_time_pas;
    let mut value = start;
    for k in 1..=MAX_CAREER_YEARS {
        let Some(ending) = anniversary(anchor, k, leap) else {
            break;
        };
        if until.is_some_and(|u| ending > u) {
            break;
        }
        let rec = recorded.get(k as usize - 1);
        if rec.is_none() && step >= steps.len() {
            break;
        }
        let starting = anniversary(anchor, k - 1, leap).unwrap_or(anchor);
        let mut outcome = match rec {
            Some(y) => {
                pas_now = resolved_pas[k as usize - 1];
                let expected = transition::phased_expectation(
                    expected_pas(k, two_pa_years, spare),
                    phasing.get(k as usize - 1).copied(),
                );
                let note = || expectation_note(k, two_pa_years, c, phasing.get(k as usize - 1));
                judge(
                    k,
                    starting,
                    y,
                    (pas_now, full_time_pas),
                    has_offers,
                    &correct,
                    expected,
                    &note,
                    doc,
                    &mut f,
                )
            }
            None => YearOutcome {
                number: k,
                starting,
                ending,
                satisfactory: true,
                counted: true,
                failed: Vec::new(),
                not_recorded: Vec::new(),
                reason: String::new(),
                offered_spare_capacity: SpareCapacityDecision {
                    value: true,
                    decided_by: "default",
                },
                employer_discretion: String::new(),
                appeal: None,
                contracted_pas: pas_now,
                satisfactory_years_counted: 0,
                projected: true,
            },
        };
        if step < steps.len() {
            elapsed += 1;
            if outcome.counted {
                counted += 1;
                if outcome.satisfactory || rec.is_some_and(appeal_upheld) {
                    satisfactory += 1;
                } else if let Some(why) = rec.and_then(discretion) {
                    discretions.push(format!("year ending {ending}: {why}"));
                }
            } else {
                uncounted.push(years.len());
            }
            let need = steps[step].years;
            let deferred = elapsed - counted;
            if counted >= need {
                value = steps[step].value;
                let reason = if deferred > 0 {
                    format!(
                        "{} late: {}",
                        plural(deferred, "year"),
                        not_counted(&years, &uncounted, &outcome)
                    )
                } else {
                    String::new()
                };
                events.push(Pending {
                    date: ending,
                    kind: EventKind::Threshold,
                    value,
                    satisfactory,
                    deferred,
                    required: need,
                    rule: step_rule,
                    reason,
                    discretion: std::mem::take(&mut discretions),
                    projected: rec.is_none(),
                });
                step += 1;
                (counted, satisfactory, elapsed) = (0, 0, 0);
                uncounted.clear();
            } else if elapsed >= need {
                let since = last_step_date(&events, anchor);
                events.push(Pending {
                    date: ending,
                    kind: EventKind::Deferred,
                    value,
                    satisfactory,
                    deferred,
                    required: need,
                    rule: PP_2,
                    reason: format!(
                        "{counted} of {need} satisfactory year{} since {}: {}",
                        if need == 1 { "" } else { "s" },
                        since,
                        not_counted(&years, &uncounted, &outcome)
                    ),
                    discretion: Vec::new(),
                    projected: rec.is_none(),
                });
            }
        }
        outcome.satisfactory_years_counted = counted;
        years.push(outcome);
    }
    let last_recorded = recorded.last().map(|y| y.ending);
    // Without --until: to the top of the scale, the last recorded year or the last award; never
    // beyond the engine's horizon.
    let end = until.unwrap_or_else(|| {
        let last_award = doc.awards.iter().map(|a| a.awarded_on).max();
        years
            .last()
            .map_or(anchor, |y| y.ending)
            .max(last_award.unwrap_or(anchor))
    });
    let horizon = anniversary(anchor, MAX_CAREER_YEARS, leap).unwrap_or(anchor);
    let end = if end > horizon {
        f.info(
            PP_3,
            format!(
                "the timeline stops on {horizon}, {MAX_CAREER_YEARS} years after the career starts"
            ),
        );
        horizon
    } else {
        end
    };

    // Salaries of the events (PAY-2), noting once a scale carried forward.
    let mut carried: Option<(String, String)> = None;
    let mut note_carried = |year_start: NaiveDate, label: &str| {
        if carried.is_none() {
            let (_, last) = uplifts.scale(year_start);
            if pay::pay_year(last).0 < year_start {
                carried = Some((label.to_string(), pay::pay_year(last).1));
            }
        }
    };
    let events: Vec<Event> = events
        .into_iter()
        .map(|e| {
            let (ys, label) = pay::pay_year(e.date);
            note_carried(ys, &label);
            Event {
                date: e.date,
                kind: e.kind,
                point_value_2002_03: Money::round(e.value),
                salary: Money::round(uplifts.full_time(e.value, ys)),
                satisfactory_years_counted: e.satisfactory,
                deferred_years: e.deferred,
                years_required: e.required,
                pay_year: label,
                rule: e.rule.id,
                reason: e.reason,
                discretion: e.discretion,
                projected: e.projected,
            }
        })
        .collect();

    // Awards over time (CEA-2, CEA-3, CEA-4).
    let awards = cea::over_time(&doc.awards, c.nation, params, &mut f)?;
    for a in awards.iter().filter(|a| a.status == "paid") {
        if let Some(y) = recorded.iter().rev().find(|y| y.ending <= a.awarded_on) {
            if y.took_part_in_appraisal_and_job_planning == Some(false) {
                cea::check_appraisal(a, y.ending, &mut f);
            }
        }
    }
    for y in recorded
        .iter()
        .filter(|y| y.took_part_in_appraisal_and_job_planning == Some(false))
    {
        if let Some(a) = cea::in_payment(&awards, y.ending) {
            cea::note_early_review(a, y.ending, &mut f);
        }
    }

    // A recruitment or retention premium (PAY-4): checked once, on its start.
    let premium = doc
        .pay
        .as_ref()
        .and_then(|p| p.recruitment_retention_premium.as_ref());
    if let Some(p) = premium {
        let on = p.start.max(anchor);
        let limits = params.premium_limits.value(on)?;
        let (ys, _) = pay::pay_year(on);
        pay::premium(
            p,
            on,
            uplifts.scale(ys).0[0],
            limits.max_percent_of_starting_salary,
            limits.max_years,
            &mut f,
        );
    }

    // TR-3 and TR-4.
    if let (Some(summary), Some(t)) = (transition.as_mut(), doc.transition.as_ref()) {
        if t.notional_hours.is_some() || t.notional_half_days.is_some() {
            let chosen = doc
                .years
                .first()
                .and_then(|y| y.contracted_pas)
                .unwrap_or(full_time_pas);
            summary.part_time = Some(transition::part_time_choice(
                t.notional_hours,
                t.notional_half_days,
                t.commensurate_increase_shown,
                chosen,
                *params.pa_hours.value(summary.transferred)?,
                *params.part_time_pa_step.value(summary.transferred)?,
                &mut f,
            ));
        }
    }
    let current_pay = maximum_part_time.and_then(|(t, d)| {
        t.current_pay.map(|p| {
            let since = t
                .current_pay_year
                .map_or_else(|| pay::pay_year(d).0, |y| y.start());
            (p, since)
        })
    });
    if let (Some(summary), Some((current, since)), Some((_, t))) =
        (transition.as_mut(), current_pay, maximum_part_time)
    {
        let mut phases = Vec::with_capacity(phasing.len() + 1);
        for j in 0..=phasing.len() as u32 {
            let Some(from) = anniversary(t, j, leap) else {
                break;
            };
            let share = phasing.get(j as usize).copied();
            let (ys, _) = pay::pay_year(from);
            let cur = uplifts.uplift(current, since, ys);
            let target = uplifts.full_time(value_at(&events, from, start), ys);
            phases.push(Phase {
                year: j + 1,
                from,
                to: share.and_then(|_| anniversary(t, j + 1, leap)),
                share: share.map_or_else(|| "1".to_string(), |s| s.to_string()),
                current_pay: Money::round(cur),
                target_pay: Money::round(target),
                amount: Money::round(transition::phased_pay(cur, target, share)),
            });
            if cur > target {
                f.info(TR_4, format!("current pay (£{}) is above target pay (£{}) on {from}: the phased pay of F 9(e) is below current pay", Money::round(cur), Money::round(target)));
            }
        }
        summary.maximum_part_time = Some(MaximumPartTime {
            current_pay: Money::round(current),
            current_pay_year: pay::pay_year(since).1,
            phases,
        });
    }

    let existing = doc.pay.as_ref().and_then(|p| p.existing_award.as_ref());

    // Each pay year.
    let mut rows = Vec::new();
    let (mut ys, _) = pay::pay_year(anchor);
    let (last_ys, _) = pay::pay_year(end);
    let mut scratch = Findings::default();
    let (mut yi, mut di) = (0, 0);
    while ys <= last_ys {
        let as_at = ys.max(anchor);
        let label = pay::pay_year(ys).1;
        note_carried(ys, &label);
        let held = value_at(&events, as_at, start);
        let ft = uplifts.full_time(held, ys);
        // The years running on `as_at` (`as_at` only grows, so the cursors only move on).
        while yi < years.len() && years[yi].ending <= as_at {
            yi += 1;
        }
        while di < doc.years.len() && doc.years[di].ending <= as_at {
            di += 1;
        }
        // PAs on `as_at`: the recorded year running then, even past --until, else the latest.
        let pas_then = match resolved_pas.get(di) {
            Some(p) => *p,
            None => years.get(yi).map_or(pas_now, |y| y.contracted_pas),
        };
        let phase = current_pay.and_then(|(cur, since)| {
            let t = maximum_part_time?.1;
            let j = (0..=phasing.len() as u32)
                .take_while(|j| anniversary(t, *j, leap).is_some_and(|d| d <= as_at))
                .count();
            let share = *phasing.get(j.checked_sub(1)?)?;
            Some((uplifts.uplift(cur, since, ys), share))
        });
        let (basic, share) = match phase {
            Some((cur, share)) => (transition::phased_pay(cur, ft, Some(share)), Some(share)),
            None if pas_then >= full_time_pas => (ft, None),
            None => (
                pay::basic_and_extra(ft, pas_then, Decimal::ZERO, full_time_pas).0,
                None,
            ),
        };
        let award = cea::in_payment(&awards, as_at);
        let award_value = match award {
            Some(a) => cea::pro_rata(
                params.cea_levels.value(as_at)?[usize::from(a.level) - 1],
                pas_then,
                full_time_pas,
            ),
            None => Decimal::ZERO,
        };
        // An existing award beside the award in payment, and award values not updated (CEA-3,
        // E 4.3-4.4): each finding once.
        let paid = cea::with_existing(
            award.map_or(0, |a| a.level),
            award_value,
            existing,
            pas_then,
            full_time_pas,
            &mut scratch,
        );
        cea::check_values_updated(
            award.map_or(0, |a| a.level),
            params.cea_levels.at(as_at)?.from,
            ys,
            &mut scratch,
        );
        for x in scratch.0.drain(..) {
            if !f.0.iter().any(|y| y.message == x.message) {
                f.0.push(x);
            }
        }
        let award_value = paid.clinical_excellence_award;
        let rrp = match premium {
            Some(p) => {
                let limits = params.premium_limits.value(as_at)?;
                let v = pay::premium(
                    p,
                    as_at,
                    uplifts.scale(ys).0[0],
                    limits.max_percent_of_starting_salary,
                    limits.max_years,
                    &mut scratch,
                );
                scratch.0.clear();
                v
            }
            None => Decimal::ZERO,
        };
        let next = events
            .iter()
            .find(|e| e.kind == EventKind::Threshold && e.date > as_at)
            .map(|e| NextThreshold {
                date: e.date,
                value_2002_03: e.point_value_2002_03,
                projected: e.projected,
            });
        let counted_then = yi
            .checked_sub(1)
            .map_or(0, |i| years[i].satisfactory_years_counted);
        let projected = as_at > last_recorded.unwrap_or(anchor)
            && (next.is_some() || held_by_projection(&events, as_at));
        let (basic, award_value, existing_value, rrp) = (
            Money::round(basic),
            Money::round(award_value),
            Money::round(paid.existing_award),
            Money::round(rrp),
        );
        rows.push(PayYearRow {
            pay_year: label,
            as_at,
            point_value_2002_03: Money::round(held),
            full_time_salary: Money::round(ft),
            contracted_pas: pas_then,
            basic_salary: basic,
            transitional_share: share.map(|s| s.to_string()),
            cea_level: award.map_or(0, |a| a.level),
            clinical_excellence_award: award_value,
            existing_award: existing_value,
            recruitment_retention_premium: rrp,
            total: basic + award_value + existing_value + rrp,
            satisfactory_years_counted: counted_then,
            next_threshold: next,
            projected,
        });
        let Some(next_ys) = ys.checked_add_months(Months::new(12)) else {
            break;
        };
        ys = next_ys;
    }
    if let Some((from, last)) = carried {
        f.info(pay::PAY_2, format!("no general award is known for {from} or later: the {last} scale is used from then on; add later awards to the parameters (pay/general_award.toml) when they are published"));
    }

    let top_event = events
        .iter()
        .rev()
        .find(|e| e.kind == EventKind::Threshold && e.point_value_2002_03 == Money::round(top));
    let projection = Projection {
        last_recorded_year_ending: last_recorded,
        top_value_2002_03: Money::round(top),
        top_reached_on: if steps.is_empty() {
            Some(anchor)
        } else {
            top_event.map(|e| e.date)
        },
        top_reached_by_projection: top_event.is_some_and(|e| e.projected),
    };
    let mut findings = f.0;
    findings.sort_by_key(|x| x.severity);
    Ok(Career {
        consultant_id: c.id.clone(),
        name: c.name.clone(),
        starts: Start {
            basis: if c.transferred.is_some() {
                "transfer"
            } else {
                "first_appointment"
            },
            date: anchor,
        },
        until,
        events,
        years,
        pay_years: rows,
        awards,
        transition,
        projection,
        findings,
    })
}

/// The date of the last threshold, or of the start.
fn last_step_date(events: &[Pending], anchor: NaiveDate) -> NaiveDate {
    events
        .iter()
        .rev()
        .find(|e| e.kind != EventKind::Deferred)
        .map_or(anchor, |e| e.date)
}

/// Whether the point held on `date` was reached by a projected threshold.
fn held_by_projection(events: &[Event], date: NaiveDate) -> bool {
    events
        .iter()
        .rev()
        .find(|e| e.kind != EventKind::Deferred && e.date <= date)
        .is_some_and(|e| e.projected)
}

/// The 2002/03 value held on `date`.
fn value_at(events: &[Event], date: NaiveDate, start: Decimal) -> Decimal {
    events
        .iter()
        .rev()
        .find(|e| e.kind != EventKind::Deferred && e.date <= date)
        .map_or(start, |e| e.point_value_2002_03.pounds())
}

fn plural(n: u32, what: &str) -> String {
    format!("{n} {what}{}", if n == 1 { "" } else { "s" })
}

/// "year ending 2006-09-01 (reason); …" for the years not counted.
fn not_counted(years: &[YearOutcome], idx: &[usize], this: &YearOutcome) -> String {
    idx.iter()
        .map(|&i| years.get(i).unwrap_or(this))
        .map(|y| format!("year ending {} not satisfactory ({})", y.ending, y.reason))
        .collect::<Vec<_>>()
        .join("; ")
}

/// Why the extra PAs returned by [`expected_pas`] are expected of `c` in year `k` of their career
/// (`phase`: TR-4's share of them after a maximum part-time contract, if any), in words.
pub fn expectation_note(
    k: u32,
    two_pa_years: u32,
    c: &Consultant,
    phase: Option<&Share>,
) -> String {
    let mut s = if c.transferred.is_some() {
        "the 2-PA rule never applies to a consultant who transferred, PP-6".to_string()
    } else if two_pa_years == 0 {
        format!(
            "the 2-PA rule does not apply to a post offered on {}, PP-6",
            c.post_offered
        )
    } else if k <= two_pa_years {
        format!(
            "year {k}: the 2-PA rule applies for the first {} of a post offered on {}, PP-6",
            plural(two_pa_years, "year"),
            c.post_offered
        )
    } else {
        format!(
            "year {k}: the 2-PA rule applied only for the first {} of a post offered on {}, PP-6",
            plural(two_pa_years, "year"),
            c.post_offered
        )
    };
    if let Some(p) = phase {
        s.push_str(&format!(
            "; {p} of it in year {k} after leaving a maximum part-time contract, TR-4"
        ));
    }
    s
}

/// Judges one recorded year: PP-4 decides spare capacity unless the document does, PP-1 the
/// criteria, PP-2's discretion and PP-3's appeal whether it counts anyway.
#[allow(clippy::too_many_arguments)]
fn judge(
    k: u32,
    starting: NaiveDate,
    y: &Year,
    (pas_now, full_time_pas): (Decimal, Decimal),
    has_offers: bool,
    correct: &[bool],
    expected: Decimal,
    note: &dyn Fn() -> String,
    doc: &CareerDocument,
    f: &mut Findings,
) -> YearOutcome {
    let ending = y.ending;
    let verdict = if has_offers || !y.outside_remunerated_work.is_none() {
        let outside = non_exempt_work(
            &y.outside_remunerated_work,
            doc.outside_work.as_ref(),
            ending,
            f,
        );
        check_consulted(
            outside.as_deref(),
            y.consulted_employer_on_outside_work,
            ending,
            f,
        );
        Some(spare_capacity(
            starting,
            ending,
            &doc.extra_pa_offers,
            correct,
            expected,
            outside.as_deref(),
            note,
            f,
        ))
    } else {
        None
    };
    let (offered, decided_by) = match (y.offered_spare_capacity, &verdict) {
        (Some(v), Some(from_offers)) => {
            if v != from_offers.offered {
                f.info(PP_4, format!("the document's offered_spare_capacity = {v} for the year ending {ending} overrides PP-4's verdict from the offers and outside work ({})", from_offers.offered));
            }
            (v, "document")
        }
        (Some(v), None) => (v, "document"),
        (None, Some(from_offers)) => (from_offers.offered, "extra_pa_offers"),
        (None, None) => (true, "default"),
    };
    crate::private_practice::check_increase_after_transfer(
        doc.consultant.transferred.is_some(),
        y.private_practice_increased,
        pas_now,
        full_time_pas,
        ending,
        f,
    );
    let private_practice = private_practice_standards(y, doc.consultant.private_practice);
    let failed = failed_criteria(y, offered, private_practice);
    let not_recorded = unrecorded_criteria(y, offered, private_practice);
    let satisfactory = failed.is_empty() && not_recorded.is_empty();
    if !not_recorded.is_empty() {
        f.warning(PP_1, format!("the year ending {ending} does not record {}: it is not satisfactory, and does not count towards a threshold, until {} recorded (progression is not automatic)", not_recorded.join(", "), if not_recorded.len() == 1 { "it is" } else { "they are" }));
    }
    let mut reason = failed
        .iter()
        .map(|name| match (*name, &verdict) {
            ("offered_spare_capacity", Some(v)) if !v.offered && decided_by != "document" => {
                v.reason.clone()
            }
            (name, _) => CRITERIA
                .iter()
                .find(|(n, _)| *n == name)
                .map_or(String::new(), |(_, t)| t.to_string()),
        })
        .collect::<Vec<_>>()
        .join("; ");
    if !not_recorded.is_empty() {
        if !reason.is_empty() {
            reason.push_str("; ");
        }
        reason.push_str("not recorded: ");
        reason.push_str(&not_recorded.join(", "));
    }
    let by_discretion = discretion(y).is_some();
    let upheld = appeal_upheld(y);
    if satisfactory && by_discretion {
        f.info(PP_2_DISCRETION, format!("employer's discretion is recorded for the year ending {ending}, which was satisfactory: it is not needed"));
    }
    if let Some(a) = &y.appeal {
        if satisfactory {
            f.info(PP_3_APPEAL, format!("an appeal is recorded for the year ending {ending}, which was satisfactory: there was no refusal to appeal"));
        } else {
            match a.outcome {
                AppealOutcome::Upheld => f.info(PP_3_APPEAL, format!("the appeal lodged on {} against the refusal for the year ending {ending} was upheld on {}: the year counts", a.lodged, a.decided.map_or_else(String::new, |d| d.to_string()))),
                AppealOutcome::Pending => f.info(PP_3_APPEAL, format!("the appeal lodged on {} against the refusal for the year ending {ending} is pending: the refusal stands until it is decided", a.lodged)),
                AppealOutcome::Dismissed => {}
            }
        }
    }
    YearOutcome {
        number: k,
        starting,
        ending,
        satisfactory,
        counted: satisfactory || by_discretion || upheld,
        failed,
        not_recorded,
        reason,
        offered_spare_capacity: SpareCapacityDecision {
            value: offered,
            decided_by,
        },
        employer_discretion: y.employer_discretion.clone(),
        appeal: y.appeal.as_ref().map(|a| AppealRecord {
            outcome: a.outcome.as_str(),
            lodged: a.lodged,
            decided: a.decided,
        }),
        contracted_pas: pas_now,
        satisfactory_years_counted: 0,
        projected: false,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::plan::PayPoint;
    use crate::progression::d;

    /// Source: PAY-2: the timeline's year-by-year scales are those of `pay::scale`, with the
    /// embedded parameters and with a later award and a later published scale added.
    #[test]
    fn year_by_year_uplifts_agree_with_pay_scale() {
        let later = Parameters::with_overrides(&[
            ("pay/general_award.toml".into(), "description = \"d\"\nunit = \"percent\"\nkind = \"events\"\n[[values]]\nfrom = \"2006-04-01\"\nvalue = \"2.5\"\ncite = \"x\"\n[[values]]\nfrom = \"2008-04-01\"\nvalue = \"1.5\"\ncite = \"x\"\n[[values]]\nfrom = \"2009-07-01\"\nvalue = \"1\"\ncite = \"x\"\n".into()),
            ("pay/scale.toml".into(), "description = \"d\"\nunit = \"GBP\"\n[[values]]\nfrom = \"2008-04-01\"\nvalue = [\"74000\", \"76000\", \"78000\", \"80000\", \"82000\", \"88000\", \"94000\", \"100000\"]\ncite = \"x\"\n".into()),
        ])
        .unwrap();
        for params in [Parameters::embedded(), &later] {
            let u = Uplifts::new(params);
            for y in 2002..2040 {
                let ys = d(y, 4, 1);
                let s = pay::scale(params, ys).unwrap();
                assert_eq!(u.scale(ys).0, s.points.as_slice(), "{y}");
                let (_, last) = u.scale(ys);
                assert_eq!(pay::pay_year(last).0 < ys, s.carried_forward, "{y}");
                for v in [63500, 64000, 64500, 66000, 70000, 71000, 85250] {
                    let v = Decimal::from(v);
                    let mut f = Findings::default();
                    let want =
                        pay::full_time_salary(params, PayPoint::Value2002(v), ys, "x", &mut f)
                            .unwrap();
                    assert_eq!(u.full_time(v, ys), want, "{v} in {y}");
                }
            }
        }
    }
}
