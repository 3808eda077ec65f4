//! Statutory and public holidays (bank holidays) by nation, for the time off due for work on them
//! (WW-3's holiday provision, F 5(a), B 8.1).
//!
//! The usual days are rules of the calendar, written here; the days moved or added by royal
//! proclamation are dated data (`working_week/public_holidays.toml`, one event per date), so a
//! trust adds a new proclamation without a new release. A holiday falling on a Saturday or Sunday
//! is given on the next weekday that is not already a holiday (a "substitute day").

use crate::plan::Nation;
use chrono::{Datelike, Duration, NaiveDate, Weekday};
use serde::{Deserialize, Serialize};
use std::borrow::Cow;

/// One public holiday.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct PublicHoliday {
    /// The day off.
    pub date: NaiveDate,
    /// Its name, "(substitute day)" when moved off a weekend; the usual names are not allocated.
    pub name: Cow<'static, str>,
}

/// A holiday moved or added by proclamation: one event of `working_week/public_holidays.toml`,
/// on the date its `from` gives.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct Proclaimed {
    /// The holiday's name, e.g. "Early May bank holiday (VE day)".
    pub name: String,
    /// The usual date this one replaces; absent for an added holiday.
    #[serde(default)]
    pub instead_of: Option<NaiveDate>,
    /// The nations it applies to; empty: all.
    #[serde(default)]
    pub nations: Vec<Nation>,
}

/// The first and last years the calendar is computed for.
pub const YEARS: std::ops::RangeInclusive<i32> = 2003..=2080;

/// Easter Sunday of `year` in the Gregorian calendar (the anonymous Gregorian algorithm).
pub fn easter_sunday(year: i32) -> NaiveDate {
    let a = year % 19;
    let b = year / 100;
    let c = year % 100;
    let d = b / 4;
    let e = b % 4;
    let f = (b + 8) / 25;
    let g = (b - f + 1) / 3;
    let h = (19 * a + b - d - g + 15) % 30;
    let i = c / 4;
    let k = c % 4;
    let l = (32 + 2 * e + 2 * i - h - k) % 7;
    let m = (a + 11 * h + 22 * l) / 451;
    let month = (h + l - 7 * m + 114) / 31;
    let day = (h + l - 7 * m + 114) % 31 + 1;
    NaiveDate::from_ymd_opt(year, month as u32, day as u32).expect("Easter is a date")
}

fn date(year: i32, month: u32, day: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(year, month, day).expect("a calendar date")
}

/// The first `weekday` of `month` in `year`.
fn first(year: i32, month: u32, weekday: Weekday) -> NaiveDate {
    let d = date(year, month, 1);
    let ahead = (7 + weekday.num_days_from_monday() - d.weekday().num_days_from_monday()) % 7;
    d + Duration::days(i64::from(ahead))
}

/// The last `weekday` of `month` in `year`.
fn last(year: i32, month: u32, weekday: Weekday) -> NaiveDate {
    let next = if month == 12 {
        date(year + 1, 1, 1)
    } else {
        date(year, month + 1, 1)
    };
    let d = next - Duration::days(1);
    let back = (7 + d.weekday().num_days_from_monday() - weekday.num_days_from_monday()) % 7;
    d - Duration::days(i64::from(back))
}

fn weekend(d: NaiveDate) -> bool {
    matches!(d.weekday(), Weekday::Sat | Weekday::Sun)
}

/// The usual holidays of `nation` in `year`, before proclamations: (date, name, the name of its
/// substitute day when it falls at a weekend, `None` when it never moves). From 2007 Scotland has
/// St Andrew's Day (St Andrew's Day Bank Holiday (Scotland) Act 2007).
fn usual(nation: Nation, year: i32) -> Vec<(NaiveDate, &'static str, Option<&'static str>)> {
    let easter = easter_sunday(year);
    let scotland = nation == Nation::Scotland;
    let mut v = vec![(
        date(year, 1, 1),
        "New Year's Day",
        Some("New Year's Day (substitute day)"),
    )];
    if scotland {
        v.push((
            date(year, 1, 2),
            "2nd January",
            Some("2nd January (substitute day)"),
        ));
    }
    if nation == Nation::NorthernIreland {
        v.push((
            date(year, 3, 17),
            "St Patrick's Day",
            Some("St Patrick's Day (substitute day)"),
        ));
    }
    v.push((easter - Duration::days(2), "Good Friday", None));
    if !scotland {
        v.push((easter + Duration::days(1), "Easter Monday", None));
    }
    v.push((first(year, 5, Weekday::Mon), "Early May bank holiday", None));
    v.push((last(year, 5, Weekday::Mon), "Spring bank holiday", None));
    if nation == Nation::NorthernIreland {
        v.push((
            date(year, 7, 12),
            "Battle of the Boyne (Orangemen's Day)",
            Some("Battle of the Boyne (Orangemen's Day) (substitute day)"),
        ));
    }
    if scotland {
        v.push((first(year, 8, Weekday::Mon), "Summer bank holiday", None));
    } else {
        v.push((last(year, 8, Weekday::Mon), "Summer bank holiday", None));
    }
    if scotland && year >= 2007 {
        v.push((
            date(year, 11, 30),
            "St Andrew's Day",
            Some("St Andrew's Day (substitute day)"),
        ));
    }
    v.push((
        date(year, 12, 25),
        "Christmas Day",
        Some("Christmas Day (substitute day)"),
    ));
    v.push((
        date(year, 12, 26),
        "Boxing Day",
        Some("Boxing Day (substitute day)"),
    ));
    v
}

/// The holidays of `nation` in `year`: the usual days with the proclamations of `proclaimed`
/// ((date, event)) applied, weekend days moved to the next free weekday, sorted by date.
pub fn holidays(
    nation: Nation,
    year: i32,
    proclaimed: &[(NaiveDate, &Proclaimed)],
) -> Vec<PublicHoliday> {
    let applies = |p: &Proclaimed| p.nations.is_empty() || p.nations.contains(&nation);
    let this_year: Vec<(NaiveDate, &Proclaimed)> = proclaimed
        .iter()
        .filter(|(d, p)| d.year() == year && applies(p))
        .map(|(d, p)| (*d, *p))
        .collect();
    // (date, name, the substitute day's name when it moves off a weekend)
    let mut days: Vec<(NaiveDate, Cow<'static, str>, Option<&'static str>)> = usual(nation, year)
        .into_iter()
        .filter(|(d, _, _)| !this_year.iter().any(|(_, p)| p.instead_of == Some(*d)))
        .map(|(d, n, moved)| (d, Cow::Borrowed(n), moved))
        .collect();
    days.extend(
        this_year
            .iter()
            .map(|(d, p)| (*d, Cow::Owned(p.name.clone()), None)),
    );
    // Weekday holidays keep their date; then each weekend one, in date order, takes the next
    // weekday that is not already a holiday.
    let moves = |d: NaiveDate, m: &Option<&'static str>| m.is_some() && weekend(d);
    let mut out: Vec<PublicHoliday> = days
        .iter()
        .filter(|(d, _, m)| !moves(*d, m))
        .map(|(d, n, _)| PublicHoliday {
            date: *d,
            name: n.clone(),
        })
        .collect();
    let mut moved: Vec<(NaiveDate, &'static str)> = days
        .iter()
        .filter(|(d, _, m)| moves(*d, m))
        .filter_map(|(d, _, m)| m.map(|m| (*d, m)))
        .collect();
    moved.sort_by_key(|(d, _)| *d);
    for (d, name) in moved {
        let mut day = d;
        while weekend(day) || out.iter().any(|h| h.date == day) {
            day += Duration::days(1);
        }
        out.push(PublicHoliday {
            date: day,
            name: Cow::Borrowed(name),
        });
    }
    out.sort_by_key(|h| h.date);
    out
}

/// Every nation's holidays for [`YEARS`], computed once when the parameters load.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Calendar {
    by_nation: [Vec<PublicHoliday>; 4],
}

impl Calendar {
    /// The calendar for [`YEARS`] with `proclaimed`.
    pub fn new(proclaimed: &[(NaiveDate, &Proclaimed)]) -> Calendar {
        let nations = [
            Nation::England,
            Nation::Wales,
            Nation::Scotland,
            Nation::NorthernIreland,
        ];
        Calendar {
            by_nation: nations.map(|n| YEARS.flat_map(|y| holidays(n, y, proclaimed)).collect()),
        }
    }

    /// The holidays of `nation` from `from` up to but not including `to`.
    pub fn between(&self, nation: Nation, from: NaiveDate, to: NaiveDate) -> &[PublicHoliday] {
        let all = &self.by_nation[nation as usize];
        let lo = all.partition_point(|h| h.date < from);
        let hi = all.partition_point(|h| h.date < to);
        &all[lo..hi.max(lo)]
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn dates(nation: Nation, year: i32) -> Vec<String> {
        let p = crate::Parameters::embedded();
        p.calendar()
            .between(nation, date(year, 1, 1), date(year + 1, 1, 1))
            .iter()
            .map(|h| h.date.format("%d %b").to_string())
            .collect()
    }

    /// Source: the published bank holidays of England and Wales for 2024, 2020 (Early May moved
    /// to VE day, 8 May) and 2022 (Spring moved to 2 June, the Platinum Jubilee on 3 June, the
    /// State Funeral on 19 September, Christmas Day's substitute on 27 December).
    #[test]
    fn england_and_wales() {
        assert_eq!(
            dates(Nation::England, 2024),
            ["01 Jan", "29 Mar", "01 Apr", "06 May", "27 May", "26 Aug", "25 Dec", "26 Dec"]
        );
        assert_eq!(
            dates(Nation::Wales, 2020),
            ["01 Jan", "10 Apr", "13 Apr", "08 May", "25 May", "31 Aug", "25 Dec", "28 Dec"]
        );
        assert_eq!(
            dates(Nation::England, 2022),
            [
                "03 Jan", "15 Apr", "18 Apr", "02 May", "02 Jun", "03 Jun", "29 Aug", "19 Sep",
                "26 Dec", "27 Dec"
            ]
        );
        assert_eq!(
            dates(Nation::England, 2004),
            ["01 Jan", "09 Apr", "12 Apr", "03 May", "31 May", "30 Aug", "27 Dec", "28 Dec"]
        );
    }

    /// Source: the published bank holidays of Scotland for 2022 (2 January's substitute on
    /// 4 January, St Andrew's Day) and 2006 (before St Andrew's Day was a holiday).
    #[test]
    fn scotland() {
        assert_eq!(
            dates(Nation::Scotland, 2022),
            [
                "03 Jan", "04 Jan", "15 Apr", "02 May", "02 Jun", "03 Jun", "01 Aug", "19 Sep",
                "30 Nov", "26 Dec", "27 Dec"
            ]
        );
        assert_eq!(
            dates(Nation::Scotland, 2006),
            ["02 Jan", "03 Jan", "14 Apr", "01 May", "29 May", "07 Aug", "25 Dec", "26 Dec"]
        );
    }

    /// Source: the published bank holidays of Northern Ireland for 2023 (the Coronation on 8 May)
    /// and 2024 (St Patrick's Day's substitute on 18 March).
    #[test]
    fn northern_ireland() {
        assert_eq!(
            dates(Nation::NorthernIreland, 2023),
            [
                "02 Jan", "17 Mar", "07 Apr", "10 Apr", "01 May", "08 May", "29 May", "12 Jul",
                "28 Aug", "25 Dec", "26 Dec"
            ]
        );
        assert!(dates(Nation::NorthernIreland, 2024).contains(&"18 Mar".to_string()));
    }

    /// Source: the Easter dates of the Gregorian calendar.
    #[test]
    fn easter() {
        for (y, m, d) in [
            (2003, 4, 20),
            (2008, 3, 23),
            (2011, 4, 24),
            (2019, 4, 21),
            (2038, 4, 25),
        ] {
            assert_eq!(easter_sunday(y), date(y, m, d), "{y}");
        }
    }
}
