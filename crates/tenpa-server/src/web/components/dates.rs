//! Dates and times as people read them, in UK time: "1 August 2025", "Monday 26 December 2005",
//! "29 November 2026, 21:50". A stored time is UTC; it is shown as the UK's clock showed it.

use crate::uk_time;
use chrono::NaiveDate;

/// A date as "1 August 2025".
pub fn day(d: NaiveDate) -> String {
    d.format("%-d %B %Y").to_string()
}

/// A date stored as YYYY-MM-DD, or a stored time (RFC 3339, the date it was in the UK), as
/// "1 August 2025"; other text as it is.
pub fn long_date(s: &str) -> String {
    let date = uk_time::stored_local(s)
        .map(|t| t.date())
        .or_else(|| NaiveDate::parse_from_str(s.get(..10)?, "%Y-%m-%d").ok());
    date.map_or_else(|| s.to_string(), day)
}

/// "2005-12-26" as "Monday 26 December 2005"; other text as it is.
pub fn weekday_date(iso: &str) -> String {
    NaiveDate::parse_from_str(iso, "%Y-%m-%d").map_or_else(
        |_| iso.to_string(),
        |d| d.format("%A %-d %B %Y").to_string(),
    )
}

/// A stored time (RFC 3339, UTC) as the UK's clock showed it: "29 November 2026, 21:50";
/// anything else as it is.
pub fn when(stored: &str) -> String {
    uk_time::stored_local(stored).map_or_else(
        || stored.to_string(),
        |t| t.format("%-d %B %Y, %H:%M").to_string(),
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A time stored in UTC shows in UK time: in summer an hour ahead, so late on 30 June UTC is
    /// already 1 July in the UK.
    #[test]
    fn stored_times_show_in_uk_time() {
        assert_eq!(when("2026-11-29T21:50:24.000Z"), "29 November 2026, 21:50");
        assert_eq!(when("2026-06-30T23:30:00.000Z"), "1 July 2026, 00:30");
        assert_eq!(long_date("2026-06-30T23:30:00.000Z"), "1 July 2026");
        assert_eq!(long_date("2025-08-01"), "1 August 2025");
        assert_eq!(long_date("not a date"), "not a date");
        assert_eq!(when("not a time"), "not a time");
        assert_eq!(weekday_date("2005-12-26"), "Monday 26 December 2005");
    }
}
