//! Checked value types of the document.

use rust_decimal::Decimal;
use serde::de::{self, Visitor};
use serde::{Deserialize, Deserializer, Serialize, Serializer};
use std::cell::Cell;
use std::fmt;
use std::str::FromStr;

/// A time of day in whole minutes, 00:00 to 24:00 (24:00 = midnight at the end of the day).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct ClockTime(u16);

impl ClockTime {
    /// From minutes after midnight, at most 1440.
    pub fn from_minutes(m: u16) -> Option<ClockTime> {
        (m <= 1440).then_some(ClockTime(m))
    }

    /// Minutes after midnight.
    pub fn minutes(self) -> u16 {
        self.0
    }

    /// Appends the time as HH:MM, as `Display` writes it.
    pub fn push_to(self, out: &mut String) {
        out.extend(self.hh_mm().map(char::from));
    }

    /// The time's five characters, HH:MM.
    fn hh_mm(self) -> [u8; 5] {
        let (h, m) = (self.0 / 60, self.0 % 60);
        let digit = |x: u16| b'0' + x as u8;
        [
            digit(h / 10),
            digit(h % 10),
            b':',
            digit(m / 10),
            digit(m % 10),
        ]
    }
}

impl fmt::Display for ClockTime {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        use fmt::Write as _;
        self.hh_mm()
            .into_iter()
            .try_for_each(|b| f.write_char(char::from(b)))
    }
}

impl FromStr for ClockTime {
    type Err = String;
    fn from_str(s: &str) -> Result<Self, String> {
        let bad = || format!("found \"{s}\", expected a 24-hour time HH:MM from 00:00 to 24:00");
        let (h, m) = s.split_once(':').ok_or_else(bad)?;
        if h.len() != 2 || m.len() != 2 || !h.bytes().chain(m.bytes()).all(|b| b.is_ascii_digit()) {
            return Err(bad());
        }
        let (h, m): (u16, u16) = (h.parse().map_err(|_| bad())?, m.parse().map_err(|_| bad())?);
        if h > 24 || m > 59 || (h == 24 && m > 0) {
            return Err(bad());
        }
        Ok(ClockTime(h * 60 + m))
    }
}

impl<'de> Deserialize<'de> for ClockTime {
    /// Reads the text where the parser holds it, without a string of its own; a value that is
    /// not text is refused as `String` refuses it ("expected a string").
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct V;
        impl Visitor<'_> for V {
            type Value = ClockTime;
            fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
                f.write_str("a string")
            }
            fn visit_str<E: de::Error>(self, v: &str) -> Result<ClockTime, E> {
                v.parse().map_err(E::custom)
            }
        }
        d.deserialize_string(V)
    }
}

impl Serialize for ClockTime {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_str(self)
    }
}

/// Days of the week.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
#[allow(missing_docs)]
pub enum Day {
    Mon,
    Tue,
    Wed,
    Thu,
    Fri,
    Sat,
    Sun,
}

impl Day {
    /// Monday to Sunday.
    pub const ALL: [Day; 7] = [
        Day::Mon,
        Day::Tue,
        Day::Wed,
        Day::Thu,
        Day::Fri,
        Day::Sat,
        Day::Sun,
    ];

    /// 0 = Monday … 6 = Sunday.
    pub fn index(self) -> usize {
        self as usize
    }

    /// Saturday or Sunday.
    pub fn is_weekend(self) -> bool {
        matches!(self, Day::Sat | Day::Sun)
    }

    /// "Mon".
    pub fn title(self) -> &'static str {
        ["Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"][self.index()]
    }
}

/// A non-negative decimal read from a whole number, a decimal number or a decimal string.
///
/// TOML and JSON numbers are read through their shortest decimal form, so `2.1` is exactly 2.1.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Default, Serialize)]
#[serde(transparent)]
pub struct NonNegative(pub Decimal);

impl<'de> Deserialize<'de> for NonNegative {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct V;
        impl Visitor<'_> for V {
            type Value = NonNegative;
            fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
                f.write_str("a number of 0 or more")
            }
            fn visit_i64<E: de::Error>(self, v: i64) -> Result<NonNegative, E> {
                check(Decimal::from(v), &v.to_string())
            }
            fn visit_u64<E: de::Error>(self, v: u64) -> Result<NonNegative, E> {
                check(Decimal::from(v), &v.to_string())
            }
            fn visit_f64<E: de::Error>(self, v: f64) -> Result<NonNegative, E> {
                if !v.is_finite() {
                    return Err(E::custom(format!(
                        "found {v}, expected a number of 0 or more"
                    )));
                }
                let text = v.to_string();
                let d = Decimal::from_str(&text)
                    .or_else(|_| Decimal::from_scientific(&text))
                    .map_err(|_| {
                        E::custom(format!(
                            "found {v}, expected a number of 0 or more, of a sensible size"
                        ))
                    })?;
                check(d, &text)
            }
            fn visit_str<E: de::Error>(self, v: &str) -> Result<NonNegative, E> {
                let d = Decimal::from_str(v.trim()).map_err(|_| {
                    E::custom(format!("found \"{v}\", expected a number of 0 or more"))
                })?;
                check(d, v)
            }
        }
        fn check<E: de::Error>(d: Decimal, shown: &str) -> Result<NonNegative, E> {
            if d.is_sign_negative() && !d.is_zero() {
                Err(E::custom(format!(
                    "found {shown}, expected a number of 0 or more"
                )))
            } else if d > Decimal::from(1_000_000_000) {
                Err(E::custom(format!(
                    "found {shown}, expected a number below 1,000,000,000"
                )))
            } else {
                Ok(NonNegative(d.normalize()))
            }
        }
        d.deserialize_any(V)
    }
}

thread_local! {
    static MAX_ACTIVITY_MINUTES: Cell<u32> = const { Cell::new(12 * 60) };
}

/// The longest activity the parser accepts, set from the parameters for the duration of one parse.
pub(crate) fn max_activity_minutes() -> u32 {
    MAX_ACTIVITY_MINUTES.with(Cell::get)
}

/// Runs `f` with the activity length limit set to `minutes`.
pub(crate) fn with_max_activity_minutes<T>(minutes: u32, f: impl FnOnce() -> T) -> T {
    let old = MAX_ACTIVITY_MINUTES.with(|c| c.replace(minutes));
    let out = f();
    MAX_ACTIVITY_MINUTES.with(|c| c.set(old));
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn clock_times_parse_strictly() {
        assert_eq!("08:30".parse::<ClockTime>().unwrap().minutes(), 510);
        assert_eq!("24:00".parse::<ClockTime>().unwrap().minutes(), 1440);
        for bad in ["25:00", "8:00", "08:60", "24:01", "ab:cd", "", "08:00:00"] {
            assert!(bad.parse::<ClockTime>().is_err(), "{bad}");
        }
    }

    /// Source: a time is read from text only, and a value of another type is refused with the
    /// message `String` gives.
    #[test]
    fn clock_times_deserialize_from_text_only() {
        let t: ClockTime = serde_json::from_str("\"08:30\"").unwrap();
        assert_eq!(t.minutes(), 510);
        let escaped: ClockTime = serde_json::from_str("\"0\\u0038:30\"").unwrap();
        assert_eq!(escaped.minutes(), 510);
        let e = serde_json::from_str::<ClockTime>("830")
            .unwrap_err()
            .to_string();
        let reference = serde_json::from_str::<String>("830")
            .unwrap_err()
            .to_string();
        assert_eq!(e, reference);
        let e = serde_json::from_str::<ClockTime>("\"25:00\"")
            .unwrap_err()
            .to_string();
        assert!(
            e.starts_with("found \"25:00\", expected a 24-hour time"),
            "{e}"
        );
    }

    /// Source: the findings' labels write times as `Display` does.
    #[test]
    fn push_to_writes_what_display_writes() {
        for m in 0..=1440 {
            let t = ClockTime::from_minutes(m).unwrap();
            let mut s = String::new();
            t.push_to(&mut s);
            assert_eq!(s, t.to_string());
        }
    }
}
