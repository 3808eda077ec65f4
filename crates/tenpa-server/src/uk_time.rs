//! UK time: the civil date and the wall-clock time in the UK at an instant. Every "today" the
//! service uses (a rota's start, a disclosure's age, the year a page opens on) and every stored
//! time a page shows is in UK time, never in UTC, so that nothing changes date at 23:00 in summer.
//!
//! The UK keeps Greenwich Mean Time, and British Summer Time (one hour ahead) from 01:00 UTC on
//! the last Sunday of March to 01:00 UTC on the last Sunday of October.

use chrono::{DateTime, Datelike, NaiveDate, NaiveDateTime, Utc, Weekday};

/// Whether `now` falls in British Summer Time.
fn summer_time(now: DateTime<Utc>) -> bool {
    let year = now.year();
    let last_sunday = |month: u32| {
        let next = NaiveDate::from_ymd_opt(year, month + 1, 1).unwrap_or(NaiveDate::MAX);
        let mut d = next.pred_opt().unwrap_or(next);
        while d.weekday() != Weekday::Sun {
            d = d.pred_opt().unwrap_or(d);
        }
        d.and_hms_opt(1, 0, 0).map(|t| t.and_utc())
    };
    match (last_sunday(3), last_sunday(10)) {
        (Some(start), Some(end)) => now >= start && now < end,
        _ => false,
    }
}

/// The wall-clock time in the UK at `now`.
pub fn local(now: DateTime<Utc>) -> NaiveDateTime {
    if summer_time(now) {
        (now + chrono::Duration::hours(1)).naive_utc()
    } else {
        now.naive_utc()
    }
}

/// The civil date in the UK at `now`.
pub fn date(now: DateTime<Utc>) -> NaiveDate {
    local(now).date()
}

/// Today's date in the UK.
pub fn today() -> NaiveDate {
    date(Utc::now())
}

/// A stored time (RFC 3339) as the UK's wall-clock time; `None` when it is not one.
pub fn stored_local(stored: &str) -> Option<NaiveDateTime> {
    DateTime::parse_from_rfc3339(stored)
        .ok()
        .map(|t| local(t.with_timezone(&Utc)))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn at(s: &str) -> DateTime<Utc> {
        DateTime::parse_from_rfc3339(s).unwrap().with_timezone(&Utc)
    }

    /// Summer time in 2026 runs from 01:00 UTC on 29 March to 01:00 UTC on 25 October.
    #[test]
    fn the_uk_date_follows_summer_time() {
        for (instant, uk) in [
            ("2026-06-30T23:30:00Z", "2026-07-01"),
            ("2026-12-31T23:30:00Z", "2026-12-31"),
            ("2026-03-29T00:59:00Z", "2026-03-29"),
            ("2026-03-28T23:30:00Z", "2026-03-28"),
            ("2026-10-24T23:30:00Z", "2026-10-25"),
            ("2026-10-25T23:30:00Z", "2026-10-25"),
        ] {
            assert_eq!(date(at(instant)).to_string(), uk, "{instant}");
        }
    }

    /// The clocks go forward at 01:00 GMT on the last Sunday of March and back at 02:00 BST on
    /// the last Sunday of October.
    #[test]
    fn the_uk_wall_clock_changes_at_one_in_the_morning_utc() {
        let shown = |s: &str| stored_local(s).map(|t| t.format("%Y-%m-%d %H:%M").to_string());
        assert_eq!(
            shown("2026-03-29T00:59:00Z").as_deref(),
            Some("2026-03-29 00:59")
        );
        assert_eq!(
            shown("2026-03-29T01:00:00Z").as_deref(),
            Some("2026-03-29 02:00")
        );
        assert_eq!(
            shown("2026-10-25T00:59:00.000Z").as_deref(),
            Some("2026-10-25 01:59")
        );
        assert_eq!(
            shown("2026-10-25T01:00:00Z").as_deref(),
            Some("2026-10-25 01:00")
        );
        assert_eq!(
            shown("2026-12-03T10:13:37.220Z").as_deref(),
            Some("2026-12-03 10:13")
        );
        assert_eq!(shown("yesterday"), None);
    }
}
