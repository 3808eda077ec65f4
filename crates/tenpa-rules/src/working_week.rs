//! The working week: programmed activities, plain and premium time, cycles, hours, travel and the
//! timetable's consistency (WW-1 … WW-9; F 2, B 2-5, B 9-10, A 8).

use crate::finding::{text, Findings};
use crate::money::{div, push_show, sum, Figure};
use crate::parameters::{LeapDayAnniversary, Minimums, PlainTime};
use crate::plan::{Activity, Category, Day, JobPlanDocument, TravelKind};
use crate::rule::Rule;
use chrono::{Months, NaiveDate};
use rust_decimal::Decimal;

const DAY: u32 = 1440;
const WEEK: u32 = 7 * DAY;

/// Where the weekly PAs come from: the four categories and extra PAs.
pub const BUCKETS: usize = 5;
/// The bucket of extra PAs.
pub const EXTRA: usize = 4;

/// Which bucket an activity counts in: extra PAs apart, otherwise its category.
pub fn bucket(a: &Activity) -> usize {
    if a.extra {
        EXTRA
    } else {
        a.category as usize
    }
}

/// One occurrence of an activity in the cycle, in minutes from Monday 00:00 of week 1.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Occurrence {
    /// Start, minutes into the cycle.
    pub start: u32,
    /// End, minutes into the cycle; may pass the cycle's end (it wraps to week 1).
    pub end: u32,
    /// Index of the activity in the document.
    pub activity: usize,
    /// Whether any of it falls in premium time.
    pub premium: bool,
}

/// The timetable reduced to the figures the rules need.
#[derive(Debug, Clone, Default)]
pub struct Timetable {
    /// Weeks in the cycle.
    pub weeks: u32,
    /// Weekly average plain hours by bucket.
    pub plain_hours: [Decimal; BUCKETS],
    /// Weekly average premium hours by bucket.
    pub premium_hours: [Decimal; BUCKETS],
    /// Every occurrence, sorted by start.
    pub occurrences: Vec<Occurrence>,
    /// Plain and premium minutes of one occurrence of each activity.
    pub split: Vec<(u32, u32)>,
    /// Clock minutes of all activities in each week of the cycle, week 1 first (an occurrence
    /// running past a week's end counts in the next week for the minutes after it).
    pub weekly_minutes: Vec<u64>,
    /// The sums of `plain_hours` and `premium_hours`, added once.
    totals: (Decimal, Decimal),
}

impl Timetable {
    /// Weekly average clock hours of all activities.
    pub fn total_hours(&self) -> Decimal {
        self.totals.0
    }

    /// Weekly average premium hours of all activities.
    pub fn premium_total(&self) -> Decimal {
        self.totals.1
    }

    /// The cycle's length in minutes.
    pub fn cycle_minutes(&self) -> u32 {
        self.weeks * WEEK
    }
}

/// WW-1: a full-time week is 10 PAs of 4 hours in plain time; PAs are scheduled as 4-hour blocks
/// or 2-hour half-units; other lengths are allowed.
pub const WW_1: Rule = Rule {
    id: "WW-1",
    citation: "F 2(b)-(c), B 3.1",
    title: "Programmed activities and their length",
};

/// Notes activities whose length is not a whole number of 2-hour half-units (3-hour multiples are
/// expected for PAs wholly in premium time under the reduced-hours form).
pub fn check_lengths(
    doc: &JobPlanDocument,
    tt: &Timetable,
    premium_pa_minutes: Option<u32>,
    f: &mut Findings,
) {
    let odd: Vec<String> = doc
        .activities
        .iter()
        .zip(&tt.split)
        .filter(|(a, (plain, _))| {
            let m = a.minutes();
            let premium_block = premium_pa_minutes.is_some_and(|p| *plain == 0 && m % (p / 2) == 0);
            m % 120 != 0 && !premium_block
        })
        .map(|(a, _)| a.label())
        .collect();
    if !odd.is_empty() {
        f.info(WW_1, format!("activities not in 4-hour blocks or 2-hour half-units: {}. Other lengths are allowed; regular differences from the timetable go to job plan review", odd.join("; ")));
    }
}

/// WW-2: activities are direct clinical care, supporting professional activities, additional NHS
/// responsibilities or other external duties; additional PAs are contracted separately.
pub const WW_2: Rule = Rule {
    id: "WW-2",
    citation: "F 2(d), F 2(k), B 5.3-5.10",
    title: "Categories of programmed activity",
};

/// WW-3: plain time is 08:00-22:00 on weekdays and 09:00-13:00 at weekends; an activity that spans
/// the boundary is split there.
pub const WW_3: Rule = Rule {
    id: "WW-3",
    citation: "F 5(a), F 5(g), B 8.1, B 8.8",
    title: "Plain and premium time",
};

/// Splits `minutes` starting at `start` minutes into `day` into (plain, premium) minutes,
/// crossing midnight into the following days as needed.
pub fn split(day: Day, start: u32, minutes: u32, plain: &PlainTime) -> (u32, u32) {
    let mut plain_min = 0;
    let mut t = day.index() as u32 * DAY + start;
    let end = t + minutes;
    while t < end {
        let day_start = t - t % DAY;
        let piece_end = end.min(day_start + DAY);
        let weekend = (day_start / DAY) % 7 >= 5;
        let (ps, pe) = if weekend {
            (plain.weekend_start.minutes(), plain.weekend_end.minutes())
        } else {
            (plain.weekday_start.minutes(), plain.weekday_end.minutes())
        };
        let (a, b) = (t - day_start, piece_end - day_start);
        let (ps, pe) = (u32::from(ps), u32::from(pe));
        plain_min += b.min(pe).saturating_sub(a.max(ps));
        t = piece_end;
    }
    (plain_min, minutes - plain_min)
}

/// Builds the timetable: each activity split into plain and premium time (WW-3) and averaged over
/// the cycle (WW-5).
pub fn timetable(doc: &JobPlanDocument, plain: &PlainTime, f: &mut Findings) -> Timetable {
    let weeks = u32::from(doc.job_plan.cycle_weeks);
    let mut plain_min = [0u64; BUCKETS];
    let mut premium_min = [0u64; BUCKETS];
    let mut occurrences = Vec::with_capacity(doc.activities.len() * weeks as usize);
    let mut splits = Vec::with_capacity(doc.activities.len());
    let mut spanning = String::new();
    for (i, a) in doc.activities.iter().enumerate() {
        let len = a.minutes();
        let s = split(a.day, u32::from(a.start.minutes()), len, plain);
        splits.push(s);
        if s.0 > 0 && s.1 > 0 {
            if spanning.is_empty() {
                spanning.reserve(128);
            } else {
                spanning.push_str("; ");
            }
            a.push_label(&mut spanning);
            spanning.push_str(" (");
            push_show(&mut spanning, hours(s.0));
            spanning.push_str(" h plain, ");
            push_show(&mut spanning, hours(s.1));
            spanning.push_str(" h premium)");
        }
        let mut count = 0u64;
        let mut push = |w: u32| {
            let start = (w * 7 + a.day.index() as u32) * DAY + u32::from(a.start.minutes());
            occurrences.push(Occurrence {
                start,
                end: start + len,
                activity: i,
                premium: s.1 > 0,
            });
            count += 1;
        };
        if a.weeks.is_empty() {
            (0..weeks).for_each(&mut push);
        } else {
            for &w in &a.weeks {
                if u32::from(w) <= weeks {
                    push(u32::from(w) - 1);
                } else {
                    f.error(WW_5, format!("{} is timetabled in week {w} but the cycle has {weeks} week(s); it is left out of the figures", a.label()));
                }
            }
        }
        plain_min[bucket(a)] += u64::from(s.0) * count;
        premium_min[bucket(a)] += u64::from(s.1) * count;
    }
    if !spanning.is_empty() {
        f.info(
            WW_3,
            text!("split at the plain/premium boundary: ", spanning.as_str()),
        );
    }
    occurrences.sort_unstable_by_key(|o| (o.start, o.activity));
    let mut weekly_minutes = vec![0u64; weeks as usize];
    for o in &occurrences {
        let mut t = o.start;
        while t < o.end {
            let piece_end = o.end.min((t / WEEK + 1) * WEEK);
            weekly_minutes[((t / WEEK) % weeks) as usize] += u64::from(piece_end - t);
            t = piece_end;
        }
    }
    let per_week = Decimal::from(60 * weeks);
    let plain_hours = plain_min.map(|m| div(Decimal::from(m), per_week));
    let premium_hours = premium_min.map(|m| div(Decimal::from(m), per_week));
    Timetable {
        weeks,
        plain_hours,
        premium_hours,
        occurrences,
        split: splits,
        weekly_minutes,
        totals: (
            sum(plain_hours.iter().chain(&premium_hours)),
            sum(&premium_hours),
        ),
    }
}

fn hours(minutes: u32) -> Decimal {
    div(Decimal::from(minutes), Decimal::from(60))
}

/// WW-3's holiday provision: consultants are given equivalent time off for all work on statutory
/// and public holidays.
pub const WW_3_PUBLIC_HOLIDAYS: Rule = Rule {
    id: "WW-3",
    citation: "F 5(a), B 8.1",
    title: "Time off for work on public holidays",
};

/// The public holidays of the consultant's nation in the year from `on` on which the timetable
/// has work, with the hours worked on each: the time off due. Week 1 of the cycle is the week
/// (Monday to Sunday) holding the plan's `effective_from`; an activity running past midnight into
/// a holiday counts for the minutes on the holiday. An info finding gives their number and hours.
pub fn public_holiday_work(
    doc: &JobPlanDocument,
    tt: &Timetable,
    calendar: &crate::calendar::Calendar,
    on: NaiveDate,
    f: &mut Findings,
) -> crate::assessment::PublicHolidayWork {
    use chrono::Datelike;
    let to = on
        .checked_add_months(chrono::Months::new(12))
        .unwrap_or(NaiveDate::MAX);
    let holidays = calendar.between(doc.consultant.nation, on, to);
    let mut out = crate::assessment::PublicHolidayWork {
        from: Some(on),
        to: Some(to),
        holidays: holidays.len(),
        worked: Vec::new(),
        time_off_hours: Decimal::ZERO,
    };
    if holidays.is_empty() {
        return out;
    }
    let mut by_day = [0u32; 7 * 52];
    let by_day = minutes_by_day(tt, &mut by_day);
    out.worked.reserve_exact(holidays.len());
    let effective = doc.job_plan.effective_from;
    // The Monday of the week holding effective_from (the date itself at the calendar's limit).
    let anchor = effective
        .checked_sub_signed(chrono::Duration::days(i64::from(
            effective.weekday().num_days_from_monday(),
        )))
        .unwrap_or(effective);
    let mut total = 0u32;
    for h in holidays {
        let day = (h.date - anchor).num_days().rem_euclid(by_day.len() as i64) as usize;
        let minutes = by_day[day];
        if minutes > 0 {
            total += minutes;
            out.worked.push(crate::assessment::HolidayWorked {
                date: h.date,
                name: h.name.clone(),
                hours: thousandths_of_hours(minutes),
            });
        }
    }
    out.time_off_hours = thousandths_of_hours(total);
    if !out.worked.is_empty() {
        let mut m = String::with_capacity(240);
        m.push_str("the timetable has work on ");
        push_count(&mut m, out.worked.len());
        m.push_str(" of the ");
        push_count(&mut m, out.holidays);
        m.push_str(" public holidays in the year from ");
        push_date(&mut m, on);
        m.push_str(": ");
        push_show(&mut m, out.time_off_hours);
        m.push_str(" hours of equivalent time off are due, as all work on statutory and public holidays is given equivalent time off (the days are listed with the assessment)");
        f.info(WW_3_PUBLIC_HOLIDAYS, m);
    }
    out
}

/// Clock minutes of all activities on each day of the cycle, day 1 of week 1 first (an
/// occurrence past midnight counts on the next day, past the cycle's end on its first day), in
/// the first days of `by_day` (room for 52 weeks).
fn minutes_by_day<'a>(tt: &Timetable, by_day: &'a mut [u32; 7 * 52]) -> &'a [u32] {
    let days = (tt.weeks as usize * 7).min(by_day.len());
    let by_day = &mut by_day[..days];
    for o in &tt.occurrences {
        let mut t = o.start;
        while t < o.end {
            let piece_end = o.end.min((t / DAY + 1) * DAY);
            by_day[(t / DAY) as usize % days] += piece_end - t;
            t = piece_end;
        }
    }
    by_day
}

/// `minutes` as hours, rounded to the thousandth (half up) in integers: the precision the
/// assessment shows hours at.
fn thousandths_of_hours(minutes: u32) -> Decimal {
    Decimal::new((i64::from(minutes) * 1000 + 30) / 60, 3)
}

/// Appends a count in decimal digits.
fn push_count(out: &mut String, n: usize) {
    let mut buf = [0u8; 20];
    let mut i = buf.len();
    let mut n = n;
    loop {
        i -= 1;
        buf[i] = b'0' + (n % 10) as u8;
        n /= 10;
        if n == 0 {
            break;
        }
    }
    out.extend(buf[i..].iter().map(|&b| char::from(b)));
}

/// Appends `d` as YYYY-MM-DD.
fn push_date(out: &mut String, d: NaiveDate) {
    use chrono::Datelike;
    let two = |out: &mut String, n: u32| {
        out.push(char::from(b'0' + (n / 10) as u8));
        out.push(char::from(b'0' + (n % 10) as u8));
    };
    push_count(out, d.year().max(0) as usize);
    out.push('-');
    two(out, d.month());
    out.push('-');
    two(out, d.day());
}

/// WW-4: typical minimums for a full-time consultant: 8 DCC and 2 SPA in the first phase (the
/// first 7 years after first consultant appointment), otherwise, and for existing consultants,
/// 7 DCC and 3 SPA. Typical, so a shortfall is a warning.
pub const WW_4: Rule = Rule {
    id: "WW-4",
    citation: "F 2(e), B 5.4, B 5.7",
    title: "Typical minimum DCC and SPA",
};

/// WW-4's exception: a lower DCC share for the third career phase, or for managerial, research or
/// teaching roles, documented as a local variation in the job plan.
pub const WW_4_LOCAL_VARIATION: Rule = Rule {
    id: "WW-4",
    citation: "B 5.5",
    title: "Local variation of the typical minimums",
};

/// Whether the consultant is in the first phase of their career on `on`: a new consultant (not a
/// transfer) before the first-phase years' anniversary of first appointment. The anniversary is
/// PP-3's ([`crate::progression::anniversary`]), so a first appointment on 29 February ends the
/// phase on the day `leap` names (1 March by default) in a year without one.
pub fn in_first_phase(
    doc: &JobPlanDocument,
    m: &Minimums,
    leap: LeapDayAnniversary,
    on: NaiveDate,
) -> bool {
    let years = m.first_phase_years.trunc().try_into().unwrap_or(7u32);
    doc.consultant.transferred.is_none()
        && crate::progression::anniversary(doc.consultant.first_appointed, years, leap)
            .is_some_and(|end| on < end)
}

/// The typical minimums (WW-4) against the consultant's DCC (with on-call PAs) and SPA. Returns
/// the shortfall message, if any.
pub fn minimum_shortfall(
    dcc: Decimal,
    spa: Decimal,
    first_phase: bool,
    m: &Minimums,
) -> Option<String> {
    let (min_dcc, min_spa, phase) = if first_phase {
        (
            m.first_phase_dcc,
            m.first_phase_spa,
            "in the first phase of their career",
        )
    } else {
        (m.dcc, m.spa, "beyond the first phase")
    };
    let mut short = Vec::new();
    if dcc < min_dcc {
        short.push(format!(
            "{} DCC PAs (with on-call) against a typical minimum of {}",
            Figure(dcc),
            Figure(min_dcc)
        ));
    }
    if spa < min_spa {
        short.push(format!(
            "{} SPA PAs against a typical minimum of {}",
            Figure(spa),
            Figure(min_spa)
        ));
    }
    (!short.is_empty())
        .then(|| format!("a full-time consultant {phase} has {}", short.join(" and ")))
}

/// Applies WW-4, or its local-variation exception when the plan documents one. `first_phase` is
/// [`in_first_phase`] on the date applied.
pub fn check_minimums(
    doc: &JobPlanDocument,
    dcc: Decimal,
    spa: Decimal,
    full_time: bool,
    m: &Minimums,
    first_phase: bool,
    f: &mut Findings,
) {
    if !full_time {
        return;
    }
    if let Some(msg) = minimum_shortfall(dcc, spa, first_phase, m) {
        if doc.job_plan.local_variation.trim().is_empty() {
            f.warning(
                WW_4,
                format!("{msg}; document a local variation in the job plan if this is agreed"),
            );
        } else {
            local_variation(doc, &msg, f);
        }
    }
}

/// WW-4 exception (B 5.5): a documented local variation turns the shortfall into information.
pub fn local_variation(doc: &JobPlanDocument, shortfall: &str, f: &mut Findings) {
    f.info(
        WW_4_LOCAL_VARIATION,
        format!(
            "{shortfall}, under the documented local variation: \"{}\"",
            doc.job_plan.local_variation.trim()
        ),
    );
}

/// WW-5: a timetable may run over a cycle of weeks or be annualised; weekly figures are averages
/// over the cycle.
pub const WW_5: Rule = Rule {
    id: "WW-5",
    citation: "B 4.1-4.2, A 8.5",
    title: "Cycles and annualised timetables",
};

/// Notes that figures are averaged over a cycle of more than one week.
pub fn note_cycle(tt: &Timetable, f: &mut Findings) {
    if tt.weeks > 1 {
        f.info(WW_5, format!("the timetable runs over a {}-week cycle: weekly figures are averages over the cycle", tt.weeks));
    }
}

/// WW-6: average weekly working time must not exceed 48 hours over the reference period unless
/// the consultant has signed a written opt-out.
pub const WW_6: Rule = Rule {
    id: "WW-6",
    citation: "B 4.3, F 2(k)",
    title: "Working Time Regulations",
};

/// The run of consecutive weeks WW-6 averages a long cycle's timetabled hours over.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ReferencePeriod {
    /// The week of the cycle it starts in (1-based); it may run on past the cycle's end into
    /// week 1 of the next repeat.
    pub first_week: u32,
    /// Its length in weeks.
    pub weeks: u32,
    /// The cycle's length in weeks.
    pub cycle_weeks: u32,
    /// Timetabled clock hours a week, averaged over the run.
    pub hours: Decimal,
}

/// The heaviest run of `reference_weeks` consecutive weeks of a timetable whose cycle is longer
/// than the reference period (the cycle repeats, so a run may wrap past its end); the earliest
/// such run when several are equally heavy. `None` for a cycle no longer than the period: it
/// repeats within the period, so the period's average is the cycle's.
pub fn reference_period(tt: &Timetable, reference_weeks: u32) -> Option<ReferencePeriod> {
    let n = tt.weekly_minutes.len();
    let len = reference_weeks as usize;
    if len == 0 || n <= len {
        return None;
    }
    let mut sum: u64 = tt.weekly_minutes[..len].iter().sum();
    let (mut best, mut first) = (sum, 0);
    for start in 1..n {
        sum = sum + tt.weekly_minutes[(start + len - 1) % n] - tt.weekly_minutes[start - 1];
        if sum > best {
            (best, first) = (sum, start);
        }
    }
    Some(ReferencePeriod {
        first_week: first as u32 + 1,
        weeks: reference_weeks,
        cycle_weeks: n as u32,
        hours: div(
            Decimal::from(best),
            Decimal::from(60 * u64::from(reference_weeks)),
        ),
    })
}

/// Checks average weekly working time against the limit. `period` is the run of weeks a cycle
/// longer than the reference period was averaged over ([`reference_period`]).
pub fn check_working_time(
    doc: &JobPlanDocument,
    hours: Decimal,
    max: Decimal,
    period: Option<&ReferencePeriod>,
    f: &mut Findings,
) {
    if hours <= max {
        return;
    }
    let over = period.map_or(String::new(), |p| {
        format!(
            " over the {} weeks from week {} of the {}-week cycle (its heaviest reference period)",
            p.weeks, p.first_week, p.cycle_weeks
        )
    });
    if doc.consultant.opt_out_48h {
        f.info(WW_6, format!("average working time of {} hours a week{over} is above {} hours, under the consultant's written opt-out", Figure(hours), Figure(max)));
    } else {
        f.error(WW_6, format!("average working time of {} hours a week{over} is above the {}-hour limit and the consultant has not signed a written opt-out", Figure(hours), Figure(max)));
    }
}

/// WW-7: travel between the main base and other NHS sites, for NHS emergencies, and excess travel
/// count as working time; home to main base or private premises does not.
pub const WW_7: Rule = Rule {
    id: "WW-7",
    citation: "F 2(j), B 9.1-9.3",
    title: "Travel as working time",
};

/// Weekly travel hours counted as working time.
pub fn travel_counted(doc: &JobPlanDocument, f: &mut Findings) -> Decimal {
    let mut counted = Decimal::ZERO;
    for t in &doc.travel {
        match t.kind {
            TravelKind::BetweenSites | TravelKind::Emergency => counted += t.hours,
            TravelKind::Excess => counted += (t.hours - t.normal_hours).max(Decimal::ZERO),
            TravelKind::HomeToMainBase => {
                let what: &str = if t.description.is_empty() {
                    "home_to_main_base"
                } else {
                    &t.description
                };
                f.info(
                    WW_7,
                    text!(
                        Figure(t.hours),
                        " h a week travelling between home and main base (",
                        what,
                        ") is not working time"
                    ),
                );
            }
        }
    }
    counted
}

/// WW-8: PAs are worked on site unless off-site working is agreed in the job plan; paid study and
/// professional leave is at most 30 days in 3 years unless the employer grants more.
pub const WW_8: Rule = Rule {
    id: "WW-8",
    citation: "F 2(i), A 8.4, B 10.1, B 5.13",
    title: "Location of duties and leave",
};

/// Lists agreed off-site activities and checks study leave.
pub fn check_location_and_leave(doc: &JobPlanDocument, max_days: Decimal, f: &mut Findings) {
    let off: Vec<String> = doc
        .activities
        .iter()
        .filter(|a| a.off_site)
        .map(Activity::label)
        .collect();
    if !off.is_empty() {
        f.info(
            WW_8,
            format!(
                "off-site working agreed in this job plan: {}",
                off.join("; ")
            ),
        );
    }
    if let Some(days) = doc.job_plan.study_leave_days_in_3_years {
        if days > max_days {
            f.warning(WW_8, format!("{} days of study and professional leave in 3 years is above the {} days with pay; more needs the employer's discretion, with or without pay, or is treated as annual leave", Figure(days), Figure(max_days)));
        }
    }
}

/// WW-8's notice of leave: all time taken out of the agreed working week is agreed with the
/// employer, where possible at least a month in advance (B 5.15).
pub const WW_8_LEAVE: Rule = Rule {
    id: "WW-8",
    citation: "B 5.15",
    title: "Leave agreed a month ahead",
};

/// WW-8's notice of external duties: where they might affect direct clinical care, the revised
/// programme of activities is agreed with the employer at least a month in advance (B 5.11).
pub const WW_8_EXTERNAL: Rule = Rule {
    id: "WW-8",
    citation: "B 5.11",
    title: "External duties agreed a month ahead",
};

/// B 5.11, B 5.15: whether something agreed on `agreed` was agreed less than a calendar month
/// before `starts` (a month before the 31st is the last day of a shorter month).
fn less_than_a_month_ahead(agreed: NaiveDate, starts: NaiveDate) -> bool {
    starts
        .checked_sub_months(Months::new(1))
        .is_none_or(|m| agreed > m)
}

/// WW-8 (B 5.11): a warning for an external duty whose revised programme was agreed less than a
/// month before the plan takes effect.
pub fn check_external_notice(doc: &JobPlanDocument, f: &mut Findings) {
    if doc.activities.iter().all(|a| a.agreed_on.is_none()) {
        return;
    }
    let effective = doc.job_plan.effective_from;
    let late: Vec<String> = doc
        .activities
        .iter()
        .filter_map(|a| {
            let on = a.agreed_on?;
            less_than_a_month_ahead(on, effective)
                .then(|| format!("{} (agreed on {on})", a.label()))
        })
        .collect();
    if !late.is_empty() {
        f.warning(WW_8_EXTERNAL, format!("external duties agreed less than a month before the plan takes effect on {effective}: {}; where external duties might affect direct clinical care, the revised programme is agreed with the employer at least a month in advance (B 5.11)", late.join("; ")));
    }
}

/// The most periods of leave one job plan document may hold: a bound on the input, far above a
/// year's leave taken a day at a time.
pub const MAX_LEAVE: usize = 400;

/// WW-8 (B 5.15): a warning for leave not recorded as agreed with the employer; an information
/// finding for leave agreed less than a month before it starts ("where possible").
pub fn check_leave_notice(doc: &JobPlanDocument, f: &mut Findings) {
    let mut unagreed = Vec::new();
    let mut short = Vec::new();
    for l in &doc.leave {
        let what = format!("{} from {}", l.kind.label(), l.from);
        match l.agreed_on {
            None => unagreed.push(what),
            Some(a) if less_than_a_month_ahead(a, l.from) => {
                short.push(format!("{what}, agreed on {a}"))
            }
            Some(_) => {}
        }
    }
    if !unagreed.is_empty() {
        f.warning(WW_8_LEAVE, format!("time out of the working week is not recorded as agreed with the employer: {}; all such time has to be agreed with the employer (B 5.15)", unagreed.join("; ")));
    }
    if !short.is_empty() {
        f.info(WW_8_LEAVE, format!("leave agreed less than a month before it starts: {}; time out of the working week is agreed at least a month in advance where possible (B 5.15)", short.join("; ")));
    }
}

/// WW-9: the timetable is one person's time: overlapping activities are an error; the core PAs it
/// adds up to (with on-call PAs) should equal the contracted PAs.
pub const WW_9: Rule = Rule {
    id: "WW-9",
    citation: "A 8.3, B 3.1",
    title: "A consistent timetable",
};

/// The overlapping pairs one WW-9 finding names; the rest of its group are counted.
pub const OVERLAPS_NAMED: usize = 5;

/// Reports overlapping activities, one finding per group of activities that overlap one another
/// in a stretch of the cycle: the pair itself when two activities overlap, else the first
/// [`OVERLAPS_NAMED`] pairs and a count of the stretch's other overlapping pairs of sessions (a pair
/// named in an earlier stretch is not named again, but counts where it overlaps again). One sweep
/// over the sorted sessions with a heap of those still running: the cost grows with the sessions
/// (n log n), whatever the number of overlapping pairs.
pub fn check_overlaps(doc: &JobPlanDocument, tt: &Timetable, f: &mut Findings) {
    use std::cmp::Reverse;
    let cycle = tt.cycle_minutes();
    // Most timetables have no overlap at all: the sorted occurrences each end by the next one's
    // start and none wraps past the cycle's end. Then the sweep below would report nothing.
    let mut latest_end = 0;
    let clear = tt.occurrences.iter().all(|o| {
        let ok = o.start >= latest_end && o.end <= cycle;
        latest_end = latest_end.max(o.end);
        ok
    });
    if clear {
        return;
    }
    // Occurrences that run past the cycle's end wrap to its start.
    let mut spans: Vec<(u32, u32, usize)> = Vec::with_capacity(tt.occurrences.len() + 2);
    for o in &tt.occurrences {
        for (start, end) in within_cycle(o.start, o.end, cycle) {
            spans.push((start, end, o.activity));
        }
    }
    spans.sort_unstable();
    let mut named: std::collections::HashSet<(usize, usize)> = std::collections::HashSet::new();
    let mut running: std::collections::BinaryHeap<Reverse<(u32, usize)>> =
        std::collections::BinaryHeap::new();
    let mut group = OverlapGroup::default();
    let mut group_end = 0;
    for (start, end, i) in spans {
        if start >= group_end {
            group.report(doc, tt, f);
            group = OverlapGroup::default();
        }
        group_end = group_end.max(end);
        while running.peek().is_some_and(|Reverse((e, _))| *e <= start) {
            running.pop();
        }
        let mut found = 0;
        for Reverse((_, j)) in running.iter() {
            if group.named.len() >= OVERLAPS_NAMED {
                break;
            }
            let pair = (i.min(*j), i.max(*j));
            if i != *j && named.insert(pair) {
                group.name(pair, start);
                found += 1;
            }
        }
        group.more += running.len() - found;
        running.push(Reverse((end, i)));
    }
    group.report(doc, tt, f);
}

/// The pieces of `start..end` (minutes into a cycle of `cycle` minutes) within the cycle: itself,
/// or, when it runs past the cycle's end, the part up to the end and the rest from the start.
pub(crate) fn within_cycle(start: u32, end: u32, cycle: u32) -> impl Iterator<Item = (u32, u32)> {
    [(start, end.min(cycle)), (0, end.saturating_sub(cycle))]
        .into_iter()
        .filter(|(s, e)| s < e)
}

/// The new overlapping pairs of one stretch of the cycle.
#[derive(Default)]
struct OverlapGroup {
    /// The first pairs, in the order found.
    named: Vec<(usize, usize)>,
    /// Overlapping pairs of sessions beyond those named.
    more: usize,
    /// Where the first pair starts to overlap, minutes into the cycle.
    start: u32,
}

impl OverlapGroup {
    fn name(&mut self, pair: (usize, usize), start: u32) {
        if self.named.is_empty() {
            self.start = start;
        }
        self.named.push(pair);
    }

    fn report(&self, doc: &JobPlanDocument, tt: &Timetable, f: &mut Findings) {
        if self.named.is_empty() {
            return;
        }
        let when = if tt.weeks > 1 {
            format!(" in week {}", self.start / WEEK + 1)
        } else {
            String::new()
        };
        let pair = |&(a, b): &(usize, usize)| {
            format!(
                "\"{}\" overlaps \"{}\"",
                doc.activities[a].label(),
                doc.activities[b].label()
            )
        };
        let named: Vec<String> = self.named.iter().map(pair).collect();
        let more = match self.more {
            0 => String::new(),
            1 => "; and 1 more overlapping pair".into(),
            n => format!("; and {n} more overlapping pairs"),
        };
        f.error(WW_9, format!("{}{when}{more}", named.join("; ")));
    }
}

/// Warns where the timetabled core PAs differ from the contracted PAs by more than the tolerance.
pub fn check_contracted(contracted: Decimal, core: Decimal, tolerance: Decimal, f: &mut Findings) {
    if (core - contracted).abs() > tolerance {
        f.warning(
            WW_9,
            text!(
                "the timetable adds up to ",
                Figure(core),
                " core PAs (with on-call) but ",
                Figure(contracted),
                " are contracted"
            ),
        );
    }
}

/// One half-hour cell of the weekly grid.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Cell {
    /// Nothing timetabled.
    Free {
        /// In premium time.
        premium: bool,
    },
    /// An activity.
    Busy {
        /// Its bucket: category index, or [`EXTRA`].
        bucket: usize,
        /// In premium time.
        premium: bool,
    },
    /// More than one activity.
    Clash,
}

/// The timetable as half-hour cells: `[week][day][slot]`, 48 slots a day.
pub fn grid(doc: &JobPlanDocument, tt: &Timetable, plain: &PlainTime) -> Vec<[[Cell; 48]; 7]> {
    let mut g = vec![[[Cell::Free { premium: false }; 48]; 7]; tt.weeks as usize];
    for week in g.iter_mut() {
        for (d, day) in week.iter_mut().enumerate() {
            for (s, cell) in day.iter_mut().enumerate() {
                let (p, _) = split(Day::ALL[d], s as u32 * 30, 30, plain);
                *cell = Cell::Free { premium: p == 0 };
            }
        }
    }
    let cycle = tt.cycle_minutes();
    for o in &tt.occurrences {
        let b = bucket(&doc.activities[o.activity]);
        let mut t = o.start;
        while t < o.end {
            let m = t % cycle;
            let (w, d, s) = (
                (m / WEEK) as usize,
                ((m % WEEK) / DAY) as usize,
                ((m % DAY) / 30) as usize,
            );
            let cell = &mut g[w][d][s];
            *cell = match *cell {
                Cell::Free { premium } => Cell::Busy { bucket: b, premium },
                _ => Cell::Clash,
            };
            t = (t - t % 30) + 30;
        }
    }
    g
}

/// Bucket names in report order.
pub fn bucket_name(b: usize) -> &'static str {
    Category::ALL.get(b).map_or("extra", |c| c.as_str())
}
