//! A job plan's weekly timetable as an iCalendar file.

use chrono::{Datelike, Duration, NaiveDate, NaiveDateTime, NaiveTime, Weekday};

/// One weekly activity of a job plan, for the timetable calendar.
#[derive(Debug, Clone, PartialEq)]
pub struct TimetableEvent {
    /// The day of the week it happens.
    pub day: Weekday,
    /// When it starts, London time.
    pub start: NaiveTime,
    /// When it ends, London time; an end at or before the start is past midnight, the next day.
    pub end: NaiveTime,
    /// What it is, e.g. "Fracture clinic".
    pub summary: String,
    /// Where it is.
    pub location: String,
    /// More about it.
    pub description: String,
    /// For an activity that is not every week: the cycle length in weeks and the weeks of the
    /// cycle (from 1) in which it happens. Week 1 is the week (Monday to Sunday) containing the
    /// calendar's `from` date. `None` is every week.
    pub weeks: Option<(u32, Vec<u32>)>,
}

/// The time zone every timetable is in.
const TZID: &str = "Europe/London";

/// The weekly timetable as an iCalendar file (RFC 5545), in the Europe/London time zone.
///
/// Each activity becomes a weekly recurring event starting at its first occurrence on or after
/// `from`. An activity in week k of an N-week cycle recurs every N weeks from week k
/// (`RRULE:FREQ=WEEKLY;INTERVAL=N`); one in several weeks of a cycle becomes one event per week,
/// whose UIDs end `-w{k}`. The UID of activity `i` (counted from 0) is `{uid_prefix}{i}@tenpa`,
/// stable from one export to the next; `stamp` is the DTSTAMP, in UTC.
pub fn ics(
    calendar_name: &str,
    uid_prefix: &str,
    from: NaiveDate,
    events: &[TimetableEvent],
    stamp: NaiveDateTime,
) -> String {
    let mut lines: Vec<String> = vec![
        "BEGIN:VCALENDAR".into(),
        "VERSION:2.0".into(),
        "PRODID:-//Tenpa//Job plan//EN".into(),
        "CALSCALE:GREGORIAN".into(),
        "METHOD:PUBLISH".into(),
        format!("X-WR-CALNAME:{}", ics_text(calendar_name)),
        format!("X-WR-TIMEZONE:{TZID}"),
    ];
    lines.extend(
        [
            "BEGIN:VTIMEZONE",
            "TZID:Europe/London",
            "X-LIC-LOCATION:Europe/London",
            "BEGIN:DAYLIGHT",
            "TZNAME:BST",
            "TZOFFSETFROM:+0000",
            "TZOFFSETTO:+0100",
            "DTSTART:19700329T010000",
            "RRULE:FREQ=YEARLY;BYMONTH=3;BYDAY=-1SU",
            "END:DAYLIGHT",
            "BEGIN:STANDARD",
            "TZNAME:GMT",
            "TZOFFSETFROM:+0100",
            "TZOFFSETTO:+0000",
            "DTSTART:19701025T020000",
            "RRULE:FREQ=YEARLY;BYMONTH=10;BYDAY=-1SU",
            "END:STANDARD",
            "END:VTIMEZONE",
        ]
        .map(String::from),
    );
    let dtstamp = stamp.format("%Y%m%dT%H%M%SZ").to_string();
    let week_one = from - Duration::days(i64::from(from.weekday().num_days_from_monday()));
    for (index, event) in events.iter().enumerate() {
        for (week, first, interval) in first_occurrences(event, from, week_one) {
            let uid = match week {
                None => format!("{uid_prefix}{index}@tenpa"),
                Some(k) => format!("{uid_prefix}{index}-w{k}@tenpa"),
            };
            let end_date = if event.end <= event.start {
                first.succ_opt().unwrap_or(first)
            } else {
                first
            };
            lines.push("BEGIN:VEVENT".into());
            lines.push(format!("UID:{}", ics_text(&uid)));
            lines.push(format!("DTSTAMP:{dtstamp}"));
            lines.push(format!(
                "DTSTART;TZID={TZID}:{}",
                first.and_time(event.start).format("%Y%m%dT%H%M%S")
            ));
            lines.push(format!(
                "DTEND;TZID={TZID}:{}",
                end_date.and_time(event.end).format("%Y%m%dT%H%M%S")
            ));
            lines.push(if interval > 1 {
                format!("RRULE:FREQ=WEEKLY;INTERVAL={interval}")
            } else {
                "RRULE:FREQ=WEEKLY".into()
            });
            lines.push(format!("SUMMARY:{}", ics_text(&event.summary)));
            if !event.location.is_empty() {
                lines.push(format!("LOCATION:{}", ics_text(&event.location)));
            }
            if !event.description.is_empty() {
                lines.push(format!("DESCRIPTION:{}", ics_text(&event.description)));
            }
            lines.push("END:VEVENT".into());
        }
    }
    lines.push("END:VCALENDAR".into());

    let mut out = String::new();
    for line in &lines {
        push_folded(&mut out, line);
    }
    out
}

/// The first occurrences of an activity on or after `from`: (week of the cycle, if the event is
/// one of several for the activity; date; weekly interval).
fn first_occurrences(
    event: &TimetableEvent,
    from: NaiveDate,
    week_one: NaiveDate,
) -> Vec<(Option<u32>, NaiveDate, u32)> {
    let day = i64::from(event.day.num_days_from_monday());
    let first_in = |week: u32, cycle: u32| -> Option<NaiveDate> {
        let date = week_one.checked_add_signed(Duration::days(7 * i64::from(week - 1) + day))?;
        if date < from {
            date.checked_add_signed(Duration::days(7 * i64::from(cycle)))
        } else {
            Some(date)
        }
    };
    let weekly = || first_in(1, 1).map(|d| (None, d, 1)).into_iter().collect();
    match &event.weeks {
        None => weekly(),
        Some((0, _)) => weekly(),
        Some((cycle, weeks)) => {
            let cycle = *cycle;
            let mut weeks: Vec<u32> = weeks
                .iter()
                .copied()
                .filter(|w| (1..=cycle).contains(w))
                .collect();
            weeks.sort_unstable();
            weeks.dedup();
            if weeks.len() as u64 == u64::from(cycle) {
                weekly()
            } else if weeks.len() == 1 {
                first_in(weeks[0], cycle)
                    .map(|d| (None, d, cycle))
                    .into_iter()
                    .collect()
            } else {
                weeks
                    .iter()
                    .filter_map(|&k| first_in(k, cycle).map(|d| (Some(k), d, cycle)))
                    .collect()
            }
        }
    }
}

/// Text escaped for an iCalendar TEXT value: `\` `;` `,` and newlines; other controls dropped.
fn ics_text(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut chars = text.chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            '\\' => out.push_str("\\\\"),
            ';' => out.push_str("\\;"),
            ',' => out.push_str("\\,"),
            '\r' => {
                if chars.peek() == Some(&'\n') {
                    chars.next();
                }
                out.push_str("\\n");
            }
            '\n' => out.push_str("\\n"),
            '\t' => out.push('\t'),
            c if c.is_control() => {}
            c => out.push(c),
        }
    }
    out
}

/// Appends a content line folded to at most 75 octets a line (continuations begin with a
/// space), never splitting a UTF-8 character, and ended by CRLF.
fn push_folded(out: &mut String, line: &str) {
    let mut octets = 0;
    for c in line.chars() {
        if octets + c.len_utf8() > 75 {
            out.push_str("\r\n ");
            octets = 1;
        }
        out.push(c);
        octets += c.len_utf8();
    }
    out.push_str("\r\n");
}

#[cfg(test)]
mod tests {
    use super::super::tests::date;
    use super::*;
    use std::collections::BTreeMap;

    fn time(h: u32, m: u32) -> NaiveTime {
        NaiveTime::from_hms_opt(h, m, 0).unwrap()
    }

    /// Unfolds an iCalendar text and splits it into (name with parameters, value) lines.
    fn unfold(ics: &str) -> Vec<(String, String)> {
        ics.replace("\r\n ", "")
            .split("\r\n")
            .filter(|l| !l.is_empty())
            .map(|l| {
                let (name, value) = l.split_once(':').unwrap();
                (name.to_string(), value.to_string())
            })
            .collect()
    }

    /// The VEVENTs of an iCalendar text, each as a map of its properties.
    fn vevents(ics: &str) -> Vec<BTreeMap<String, String>> {
        let mut events = Vec::new();
        let mut current: Option<BTreeMap<String, String>> = None;
        for (name, value) in unfold(ics) {
            match (name.as_str(), value.as_str()) {
                ("BEGIN", "VEVENT") => current = Some(BTreeMap::new()),
                ("END", "VEVENT") => events.push(current.take().unwrap()),
                _ => {
                    if let Some(event) = current.as_mut() {
                        event.insert(name, value);
                    }
                }
            }
        }
        events
    }

    fn event(day: Weekday, start: NaiveTime, end: NaiveTime, summary: &str) -> TimetableEvent {
        TimetableEvent {
            day,
            start,
            end,
            summary: summary.into(),
            location: String::new(),
            description: String::new(),
            weeks: None,
        }
    }

    fn stamp() -> NaiveDateTime {
        date(2025, 3, 1).and_hms_opt(9, 30, 0).unwrap()
    }

    #[test]
    fn ics_lines_are_crlf_folded_and_escaped() {
        let long = "Théâtre — a very long description that goes on and on, with commas; semicolons \\ backslashes and\nnew lines, until it is far longer than seventy-five octets: ééééééééééééééééééé";
        let mut clinic = event(
            Weekday::Tue,
            time(9, 0),
            time(13, 0),
            "Clinic, room 4; Dr A",
        );
        clinic.location = "Outpatients\\Block B".into();
        clinic.description = long.into();
        let text = ics(
            "Dr A, job plan",
            "jp7-",
            date(2025, 4, 2),
            &[clinic],
            stamp(),
        );

        assert!(text.ends_with("\r\n"));
        assert!(!text.replace("\r\n", "").contains('\n'), "a bare LF");
        assert!(!text.replace("\r\n", "").contains('\r'), "a bare CR");
        for line in text.split("\r\n") {
            assert!(line.len() <= 75, "{} octets: {line}", line.len());
        }
        assert!(text.contains("\r\n "), "the long description is folded");

        let lines = unfold(&text);
        let get = |name: &str| {
            lines
                .iter()
                .find(|(n, _)| n == name)
                .map(|(_, v)| v.clone())
                .unwrap()
        };
        assert_eq!(get("X-WR-CALNAME"), "Dr A\\, job plan");
        assert_eq!(get("PRODID"), "-//Tenpa//Job plan//EN");
        assert_eq!(get("VERSION"), "2.0");
        assert_eq!(get("CALSCALE"), "GREGORIAN");
        assert_eq!(get("SUMMARY"), "Clinic\\, room 4\\; Dr A");
        assert_eq!(get("LOCATION"), "Outpatients\\\\Block B");
        let description = get("DESCRIPTION");
        assert!(description.contains("\\; semicolons \\\\ backslashes and\\nnew lines"));
        assert!(description.ends_with("ééééééééééééééééééé"));
        // Unescaping the unfolded value gives the original text back.
        let unescaped = description
            .replace("\\n", "\n")
            .replace("\\,", ",")
            .replace("\\;", ";")
            .replace("\\\\", "\\");
        assert_eq!(unescaped, long);
        assert_eq!(get("UID"), "jp7-0@tenpa");
        assert_eq!(get("DTSTAMP"), "20250301T093000Z");
    }

    #[test]
    fn ics_has_a_london_time_zone() {
        let text = ics("Plan", "p", date(2025, 4, 2), &[], stamp());
        let lines = unfold(&text);
        let has = |name: &str, value: &str| lines.iter().any(|(n, v)| n == name && v == value);
        assert!(has("BEGIN", "VTIMEZONE"));
        assert!(has("TZID", "Europe/London"));
        assert!(has("BEGIN", "DAYLIGHT"));
        assert!(has("RRULE", "FREQ=YEARLY;BYMONTH=3;BYDAY=-1SU"));
        assert!(has("RRULE", "FREQ=YEARLY;BYMONTH=10;BYDAY=-1SU"));
        assert!(has("DTSTART", "19700329T010000"));
        assert!(has("DTSTART", "19701025T020000"));
        // Those anchors are the last Sundays of March and October 1970.
        assert_eq!(date(1970, 3, 29).weekday(), Weekday::Sun);
        assert_eq!(date(1970, 10, 25).weekday(), Weekday::Sun);
        assert_eq!(date(1970, 11, 1).weekday(), Weekday::Sun);
        assert!(text.starts_with("BEGIN:VCALENDAR\r\n"));
        assert!(text.ends_with("END:VCALENDAR\r\n"));
        assert!(vevents(&text).is_empty());
    }

    #[test]
    fn ics_events_start_at_their_first_occurrence_and_recur() {
        let wednesday = date(2025, 4, 2);
        assert_eq!(wednesday.weekday(), Weekday::Wed);
        let monday = event(Weekday::Mon, time(8, 30), time(12, 30), "Theatre");
        let thursday = event(Weekday::Thu, time(13, 0), time(17, 0), "Clinic");
        let mut fortnightly = event(Weekday::Mon, time(14, 0), time(17, 0), "MDT");
        fortnightly.weeks = Some((2, vec![2]));
        let mut week_one = event(Weekday::Mon, time(9, 0), time(10, 0), "Audit");
        week_one.weeks = Some((2, vec![1]));
        let mut on_call = event(Weekday::Fri, time(17, 0), time(8, 0), "On call");
        on_call.weeks = Some((4, vec![1, 3]));
        let mut every = event(Weekday::Wed, time(9, 0), time(12, 0), "Teaching");
        every.weeks = Some((2, vec![1, 2]));
        let mut never = event(Weekday::Wed, time(9, 0), time(12, 0), "Never");
        never.weeks = Some((3, vec![]));

        let text = ics(
            "Plan",
            "p",
            wednesday,
            &[
                monday,
                thursday,
                fortnightly,
                week_one,
                on_call,
                every,
                never,
            ],
            stamp(),
        );
        let events = vevents(&text);
        let by_uid: BTreeMap<&str, &BTreeMap<String, String>> =
            events.iter().map(|e| (e["UID"].as_str(), e)).collect();
        assert_eq!(
            by_uid.keys().copied().collect::<Vec<_>>(),
            [
                "p0@tenpa",
                "p1@tenpa",
                "p2@tenpa",
                "p3@tenpa",
                "p4-w1@tenpa",
                "p4-w3@tenpa",
                "p5@tenpa"
            ]
        );
        let start = |uid: &str| by_uid[uid]["DTSTART;TZID=Europe/London"].clone();
        let end = |uid: &str| by_uid[uid]["DTEND;TZID=Europe/London"].clone();
        let rule = |uid: &str| by_uid[uid]["RRULE"].clone();

        // A Monday activity, from a Wednesday: the following Monday, weekly.
        assert_eq!(start("p0@tenpa"), "20250407T083000");
        assert_eq!(end("p0@tenpa"), "20250407T123000");
        assert_eq!(rule("p0@tenpa"), "FREQ=WEEKLY");
        // A Thursday activity: the next day.
        assert_eq!(start("p1@tenpa"), "20250403T130000");
        // Week 2 of a 2-week cycle: the Monday of the second week, every other week.
        assert_eq!(start("p2@tenpa"), "20250407T140000");
        assert_eq!(rule("p2@tenpa"), "FREQ=WEEKLY;INTERVAL=2");
        // Week 1's Monday is before `from`, so the first is a cycle later, in week 3.
        assert_eq!(start("p3@tenpa"), "20250414T090000");
        assert_eq!(rule("p3@tenpa"), "FREQ=WEEKLY;INTERVAL=2");
        // Weeks 1 and 3 of a 4-week cycle, ending after midnight on the next day.
        assert_eq!(start("p4-w1@tenpa"), "20250404T170000");
        assert_eq!(end("p4-w1@tenpa"), "20250405T080000");
        assert_eq!(start("p4-w3@tenpa"), "20250418T170000");
        assert_eq!(end("p4-w3@tenpa"), "20250419T080000");
        assert_eq!(rule("p4-w3@tenpa"), "FREQ=WEEKLY;INTERVAL=4");
        // Every week of the cycle is simply weekly; on `from` itself counts.
        assert_eq!(start("p5@tenpa"), "20250402T090000");
        assert_eq!(rule("p5@tenpa"), "FREQ=WEEKLY");
        for e in &events {
            assert_eq!(e["DTSTAMP"], "20250301T093000Z");
        }
    }

    #[test]
    fn folding_never_splits_a_character() {
        for prefix in 0..4 {
            let line = format!("{}{}", "x".repeat(prefix), "€".repeat(60));
            let mut out = String::new();
            push_folded(&mut out, &line);
            for physical in out.split("\r\n") {
                assert!(physical.len() <= 75);
            }
            assert_eq!(out.replace("\r\n ", ""), format!("{line}\r\n"));
        }
    }
}
