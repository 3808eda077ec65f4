//! Exact money and figure formatting.

use rust_decimal::prelude::ToPrimitive;
use rust_decimal::{Decimal, RoundingStrategy};
use serde::{de, Deserialize, Deserializer, Serialize, Serializer};
use std::fmt;

/// An amount in pounds, rounded to the penny (half up). Serialised as a string with two decimals.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Default, Hash)]
pub struct Money(Decimal);

impl Money {
    /// Zero.
    pub const ZERO: Money = Money(Decimal::ZERO);

    /// Rounds `pounds` to the penny, half up: the one place report figures are rounded.
    pub fn round(pounds: Decimal) -> Money {
        Money(pounds.round_dp_with_strategy(2, RoundingStrategy::MidpointAwayFromZero))
    }

    /// The amount in pounds.
    pub fn pounds(self) -> Decimal {
        self.0
    }

    /// Whole pence.
    pub fn pence(self) -> i64 {
        (self.0 * Decimal::ONE_HUNDRED).to_i64().unwrap_or(i64::MAX)
    }
}

/// Whole pence for people to read, pounds grouped in thousands: `£1,234.56`, `-£0.05`, `£0.00`.
/// The one way pages, reports and the command show money.
pub fn pounds_text(pence: i64) -> String {
    let sign = if pence < 0 { "-" } else { "" };
    let abs = pence.unsigned_abs();
    let whole = (abs / 100).to_string();
    let mut grouped = String::with_capacity(whole.len() + whole.len() / 3);
    for (i, digit) in whole.chars().enumerate() {
        if i > 0 && (whole.len() - i).is_multiple_of(3) {
            grouped.push(',');
        }
        grouped.push(digit);
    }
    format!("{sign}£{grouped}.{:02}", abs % 100)
}

/// Whole pence as a figure for files, no sign of the currency and no grouping: `1234.56`,
/// `-0.05`, `0.00`.
pub fn pounds_figure(pence: i64) -> String {
    let sign = if pence < 0 { "-" } else { "" };
    let abs = pence.unsigned_abs();
    format!("{sign}{}.{:02}", abs / 100, abs % 100)
}

/// A money figure as written in an assessment or a form (`1234.56`, `-0.05`, `12.5`, `7`) in
/// whole pence, exactly; `None` when it is not such a figure (more than two decimals, letters,
/// empty, too large).
pub fn parse_pence(s: &str) -> Option<i64> {
    let s = s.trim();
    let (negative, body) = match s.strip_prefix('-') {
        Some(b) => (true, b),
        None => (false, s),
    };
    let (whole, frac) = match body.split_once('.') {
        Some((w, f)) if !f.is_empty() => (w, f),
        Some(_) => return None,
        None => (body, ""),
    };
    let digits = |t: &str| t.bytes().all(|b| b.is_ascii_digit());
    if whole.is_empty() || !digits(whole) || frac.len() > 2 || !digits(frac) {
        return None;
    }
    let whole: i64 = whole.parse().ok()?;
    let frac: i64 = match frac.len() {
        0 => 0,
        1 => frac.parse::<i64>().ok()? * 10,
        _ => frac.parse().ok()?,
    };
    let pence = whole.checked_mul(100)?.checked_add(frac)?;
    Some(if negative { -pence } else { pence })
}

impl Money {
    /// For people to read: `£1,234.56` (see [`pounds_text`]).
    pub fn text(self) -> String {
        pounds_text(self.pence())
    }
}

impl std::ops::Add for Money {
    type Output = Money;
    fn add(self, o: Money) -> Money {
        Money(self.0 + o.0)
    }
}

impl std::iter::Sum for Money {
    fn sum<I: Iterator<Item = Money>>(it: I) -> Money {
        it.fold(Money::ZERO, |a, b| a + b)
    }
}

impl fmt::Display for Money {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let mut d = self.0;
        d.rescale(2);
        write!(f, "{d}")
    }
}

impl Serialize for Money {
    /// The text `Display` writes, made in a buffer on the stack rather than through the
    /// formatting machinery (an assessment serialises a dozen amounts).
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(self.write_to(&mut [0; 48]))
    }
}

impl<'de> Deserialize<'de> for Money {
    /// Reads what `serialize` writes (a stored assessment's amounts): pounds with at most two
    /// decimals, as text.
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Money, D::Error> {
        let text = String::deserialize(d)?;
        parse_pence(&text)
            .map(|pence| Money(Decimal::new(pence, 2)))
            .ok_or_else(|| {
                de::Error::custom(format!("`{text}` is not an amount in pounds and pence"))
            })
    }
}

impl Money {
    /// Writes the amount into `buf` as `Display` does: the decimal rescaled to two places, a
    /// minus sign when it is negative (negative zero too), at least one digit before the point.
    fn write_to(self, buf: &mut [u8; 48]) -> &str {
        let mut d = self.0;
        d.rescale(2);
        let scale = d.scale() as usize;
        // At most 29 digits, the zeros before a scale of up to 28, a point and a sign: 48 is
        // enough.
        let mut n = d.mantissa().unsigned_abs();
        let mut i = buf.len();
        let mut written = 0;
        while n > 0 || written < scale {
            let digit = (n % 10) as u8;
            n /= 10;
            i -= 1;
            buf[i] = b'0' + digit;
            written += 1;
            if written == scale {
                i -= 1;
                buf[i] = b'.';
                if n == 0 {
                    i -= 1;
                    buf[i] = b'0';
                }
            }
        }
        if written == 0 {
            i -= 1;
            buf[i] = b'0';
        }
        if d.is_sign_negative() {
            i -= 1;
            buf[i] = b'-';
        }
        std::str::from_utf8(&buf[i..]).unwrap_or("")
    }
}

/// Rounds a pound figure to the nearest pound, half up (PAY-2's published scale).
pub fn round_pound(d: Decimal) -> Decimal {
    d.round_dp_with_strategy(0, RoundingStrategy::MidpointAwayFromZero)
}

/// Serialises a PA, hour or percentage figure as a JSON number, to three decimals.
pub fn number<S: Serializer>(d: &Decimal, s: S) -> Result<S::Ok, S::Error> {
    let r = d.round_dp_with_strategy(3, RoundingStrategy::MidpointAwayFromZero);
    s.serialize_f64(r.to_f64().unwrap_or(0.0))
}

/// A figure as [`number`] writes it into an assessment's JSON (`10.0`, `9.5`, `0.333`): the one
/// text pages and the summary column give a stored PA or hour figure.
pub fn number_text(d: Decimal) -> String {
    let r = d.round_dp_with_strategy(3, RoundingStrategy::MidpointAwayFromZero);
    serde_json::Number::from_f64(r.to_f64().unwrap_or(0.0))
        .map_or_else(|| "0.0".into(), |n| n.to_string())
}

/// Reads what [`number`] writes: a JSON number, taken to three decimals as it was written.
pub fn read_number<'de, D: Deserializer<'de>>(d: D) -> Result<Decimal, D::Error> {
    let f = f64::deserialize(d)?;
    Decimal::from_f64_retain(f)
        .map(|x| {
            x.round_dp_with_strategy(3, RoundingStrategy::MidpointAwayFromZero)
                .normalize()
        })
        .ok_or_else(|| de::Error::custom(format!("{f} is not a finite figure")))
}

/// Serialises an optional PA, hour or percentage figure as a JSON number, to three decimals.
pub fn number_opt<S: Serializer>(d: &Option<Decimal>, s: S) -> Result<S::Ok, S::Error> {
    match d {
        Some(d) => number(d, s),
        None => s.serialize_none(),
    }
}

/// Shows a figure without trailing zeros ("2.5", "8").
pub fn show(d: Decimal) -> String {
    let mut s = String::with_capacity(12);
    push_show(&mut s, d);
    s
}

/// Appends `d` as [`show`] writes it, without the formatting machinery.
pub(crate) fn push_show(out: &mut String, d: Decimal) {
    out.push_str(digits(d, &mut [0; 48]));
}

/// A figure as [`show`] writes it, for `format!` without a string of its own.
#[derive(Debug, Clone, Copy)]
pub struct Figure(pub Decimal);

impl fmt::Display for Figure {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.pad(digits(self.0, &mut [0; 48]))
    }
}

/// `d` rounded to three decimals, half up, and written without trailing zeros into `buf`.
///
/// The rounding is done on the mantissa in integers: `d` is `m / 10^s`, so to three decimals it
/// is `m / 10^(s-3)` rounded half away from zero, the value `round_dp_with_strategy` gives (a test
/// compares the two), without its digit-by-digit steps on figures of 28 decimals such as 11.0833….
fn digits(d: Decimal, buf: &mut [u8; 48]) -> &str {
    let (mut n, mut scale) = (d.mantissa().unsigned_abs(), d.scale() as usize);
    if scale > 3 {
        // n < 2^96, so the remainder doubled fits.
        let p = POWERS_OF_TEN[scale - 3];
        let q = n / p;
        let r = n - q * p;
        n = q + u128::from(2 * r >= p);
        scale = 3;
    }
    let negative = d.is_sign_negative() && n != 0;
    // At most 29 digits, a sign, a point and the zeros before a scale of 3: 48 is enough.
    let mut i = buf.len();
    let mut put = |b: u8| {
        i -= 1;
        buf[i] = b;
    };
    match u64::try_from(n) {
        // u64 arithmetic where it fits: a u128 division is a library call.
        Ok(mut small) => {
            while scale > 0 && small % 10 == 0 {
                small /= 10;
                scale -= 1;
            }
            let mut written = 0;
            while small > 0 || written <= scale {
                if written == scale && scale > 0 {
                    put(b'.');
                }
                put(b'0' + (small % 10) as u8);
                small /= 10;
                written += 1;
            }
        }
        Err(_) => {
            while scale > 0 && n % 10 == 0 {
                n /= 10;
                scale -= 1;
            }
            let mut written = 0;
            while n > 0 || written <= scale {
                if written == scale && scale > 0 {
                    put(b'.');
                }
                put(b'0' + (n % 10) as u8);
                n /= 10;
                written += 1;
            }
        }
    }
    if negative {
        put(b'-');
    }
    std::str::from_utf8(&buf[i..]).unwrap_or("")
}

/// 10^0 … 10^28, the scales a `Decimal` may have.
const POWERS_OF_TEN: [u128; 29] = {
    let mut p = [1u128; 29];
    let mut k = 1;
    while k < 29 {
        p[k] = p[k - 1] * 10;
        k += 1;
    }
    p
};

/// `a / b`, the same `Decimal` bit for bit, without the general division where `b` is a whole
/// number and the quotient ends within nine more decimal places (hours from minutes, PAs from
/// hours). It takes the steps `rust_decimal` takes for a 32-bit divisor: divide; if a remainder
/// is left, scale by 10^9 and divide it; then drop trailing zeros 8, 4, 2 and 1 at a time as it
/// does. Anything else is left to `/`.
pub(crate) fn div(a: Decimal, b: Decimal) -> Decimal {
    let (m, s) = (a.mantissa(), a.scale());
    let n = b.mantissa();
    if m == 0 && n != 0 {
        // What `/` gives for a zero of any scale.
        return Decimal::ZERO;
    }
    if b.scale() != 0 || n <= 0 || n > i128::from(u32::MAX) || m == 0 || s > 19 {
        return a / b;
    }
    let Ok(abs) = u64::try_from(m.unsigned_abs()) else {
        // x / 1 is x itself, scale and all (a nonzero dividend).
        return if n == 1 { a } else { a / b };
    };
    let n = n as u64;
    let (q, r) = (abs / n, abs % n);
    let (mantissa, scale) = if r == 0 {
        (q, s)
    } else {
        const E9: u64 = 1_000_000_000;
        let scaled = r * E9; // r < n ≤ 2^32, so no overflow
        if !scaled.is_multiple_of(n) {
            return a / b;
        }
        let Some(mut mantissa) = q.checked_mul(E9).and_then(|x| x.checked_add(scaled / n)) else {
            return a / b;
        };
        let mut scale = s + 9;
        while mantissa.is_multiple_of(1 << 32) && scale >= 8 && mantissa.is_multiple_of(100_000_000)
        {
            mantissa /= 100_000_000;
            scale -= 8;
        }
        for (p, k) in [(10_000u64, 4u32), (100, 2), (10, 1)] {
            if scale >= k && mantissa.is_multiple_of(p) {
                mantissa /= p;
                scale -= k;
            }
        }
        (mantissa, scale)
    };
    Decimal::from_parts(mantissa as u32, (mantissa >> 32) as u32, 0, m < 0, scale)
}

/// The sum of `terms` as `Iterator::sum` gives it, bit for bit (scale included), without an
/// addition for a zero term or onto a zero: there `rust_decimal` returns the other operand as it
/// is. Weekly hours and PAs are mostly zeros by category.
pub(crate) fn sum<'a>(terms: impl IntoIterator<Item = &'a Decimal>) -> Decimal {
    let mut acc = Decimal::ZERO;
    for &t in terms {
        if acc.is_zero() {
            acc = t;
        } else if !t.is_zero() {
            acc += t;
        }
    }
    acc
}

#[cfg(test)]
mod tests {
    use proptest::prelude::*;

    proptest! {
        /// Source: an amount is serialised as the text `Display` writes, whatever its sign,
        /// size and scale (negative zero and amounts below a penny included).
        #[test]
        fn serialised_amounts_are_what_display_writes(m in any::<i64>(), scale in 0u32..=4, round in any::<bool>()) {
            let d = Decimal::new(m, scale);
            let money = if round { Money::round(d) } else { Money(d) };
            let json = serde_json::to_string(&money).unwrap();
            prop_assert_eq!(json, format!("\"{money}\""));
        }

        /// Source: a stored amount reads back as the amount that was stored.
        #[test]
        fn stored_amounts_read_back(m in -(1i64 << 50)..(1i64 << 50), scale in 0u32..=4) {
            let money = Money::round(Decimal::new(m, scale));
            let json = serde_json::to_string(&money).unwrap();
            prop_assert_eq!(serde_json::from_str::<Money>(&json).unwrap(), money);
        }
    }

    #[test]
    fn serialised_amounts_at_the_edges() {
        let negative_zero = Decimal::from_parts(0, 0, 0, true, 2);
        for d in [
            Decimal::ZERO,
            Decimal::new(5, 2),
            Decimal::new(-5, 2),
            Decimal::new(123456, 2),
            Decimal::new(7, 0),
            Decimal::new(-7, 0),
            negative_zero,
            -Decimal::ZERO,
            Decimal::MAX,
            Decimal::MIN,
            Decimal::new(1, 28),
        ] {
            let money = Money(d);
            assert_eq!(
                serde_json::to_string(&money).unwrap(),
                format!("\"{money}\""),
                "{d:?}"
            );
        }
    }

    use super::*;
    use std::str::FromStr;

    #[test]
    fn money_is_shown_and_read_exactly() {
        assert_eq!(pounds_text(123_456_789), "£1,234,567.89");
        assert_eq!(pounds_text(-5), "-£0.05");
        assert_eq!(pounds_text(0), "£0.00");
        assert_eq!(pounds_text(100_000), "£1,000.00");
        assert_eq!(pounds_figure(-123_405), "-1234.05");
        assert_eq!(pounds_figure(7), "0.07");
        assert_eq!(
            Money::round(Decimal::from_str("75893.005").unwrap()).text(),
            "£75,893.01"
        );
        for (text, pence) in [
            ("1234.56", Some(123_456)),
            ("-0.05", Some(-5)),
            ("12.5", Some(1250)),
            ("7", Some(700)),
        ] {
            assert_eq!(parse_pence(text), pence, "{text}");
        }
        for bad in [
            "",
            "1.234",
            "1.",
            "£5",
            "1,000",
            "-",
            "99999999999999999999",
        ] {
            assert_eq!(parse_pence(bad), None, "{bad:?}");
        }
        for pence in [-1_000_001, -1, 0, 99, 123_456_789] {
            assert_eq!(
                parse_pence(&pounds_figure(pence)),
                Some(pence),
                "a figure reads back"
            );
        }
    }

    #[test]
    fn rounds_half_up_to_the_penny() {
        assert_eq!(
            Money::round(Decimal::from_str("7589.305").unwrap()).to_string(),
            "7589.31"
        );
        assert_eq!(
            Money::round(Decimal::from_str("3794.65").unwrap()).to_string(),
            "3794.65"
        );
        assert_eq!(Money::round(Decimal::from(75893)).to_string(), "75893.00");
        assert_eq!(
            Money::round(Decimal::from_str("0.004").unwrap()).to_string(),
            "0.00"
        );
    }

    #[test]
    fn rounds_pounds_half_up() {
        assert_eq!(
            round_pound(Decimal::from_str("71225.25").unwrap()),
            Decimal::from(71225)
        );
        assert_eq!(
            round_pound(Decimal::from_str("64128.5").unwrap()),
            Decimal::from(64129)
        );
    }

    /// Source: `show`'s figures are Decimal's own display of the rounded, normalised value.
    #[test]
    fn show_writes_what_display_writes() {
        let reference = |d: Decimal| {
            d.round_dp_with_strategy(3, RoundingStrategy::MidpointAwayFromZero)
                .normalize()
                .to_string()
        };
        let mut x: u64 = 0x2545_F491_4F6C_DD1D;
        for i in 0..200_000u64 {
            x ^= x << 13;
            x ^= x >> 7;
            x ^= x << 17;
            let m = i64::try_from(x % 10_000_000_000).unwrap() - 5_000_000_000;
            let m = if i % 3 == 0 { m % 100_000 } else { m };
            let d = Decimal::new(m, (x >> 40) as u32 % 10);
            assert_eq!(show(d), reference(d), "{d:?}");
        }
        // Figures of up to 28 decimals over the whole mantissa, as divisions leave them.
        for i in 0..200_000u64 {
            x ^= x << 13;
            x ^= x >> 7;
            x ^= x << 17;
            let hi = ((x >> 32) % (1u64 << (i % 33))) as u32;
            let d =
                Decimal::from_parts(x as u32, (x >> 16) as u32, hi, i % 2 == 0, (i % 29) as u32);
            assert_eq!(show(d), reference(d), "{d:?}");
        }
        for d in [
            Decimal::ZERO,
            Decimal::MAX,
            Decimal::MIN,
            Decimal::new(-4, 4),
            Decimal::new(5, 4),
            Decimal::new(-5, 4),
            Decimal::new(1, 28),
        ] {
            assert_eq!(show(d), reference(d), "{d:?}");
        }
    }

    proptest::proptest! {
        /// Source: `sum` is `Iterator::sum` bit for bit, zeros of any scale and signs included.
        #[test]
        fn sum_is_the_iterator_sum(terms in proptest::collection::vec((0u64..40, 0u32..6, proptest::bool::ANY, 0u8..3), 0..12)) {
            let terms: Vec<Decimal> = terms
                .into_iter()
                .map(|(m, s, negative, kind)| {
                    let m = if kind == 0 { 0 } else { i64::try_from(m).unwrap() };
                    let m = if kind == 2 { m * 1_000_000_000_007 } else { m };
                    Decimal::new(if negative { -m } else { m }, s)
                })
                .collect();
            let reference: Decimal = terms.iter().sum();
            proptest::prop_assert_eq!(sum(&terms).serialize(), reference.serialize());
        }

        /// Source: `show` rounds any figure, of any scale and up to the largest mantissa, as
        /// `Decimal`'s rounding and display do.
        #[test]
        fn show_rounds_as_decimal_does(m in 0u128..(1 << 96), scale in 0u32..=28, negative: bool) {
            let d = Decimal::from_i128_with_scale(if negative { -(m as i128) } else { m as i128 }, scale);
            let reference = d
                .round_dp_with_strategy(3, RoundingStrategy::MidpointAwayFromZero)
                .normalize()
                .to_string();
            proptest::prop_assert_eq!(show(d), reference);
        }
    }

    /// Source: `div` gives the same decimal as `/`, down to the scale, so no figure changes.
    #[test]
    fn div_is_division_bit_for_bit() {
        let check = |a: Decimal, b: Decimal| {
            assert_eq!(div(a, b).serialize(), (a / b).serialize(), "{a:?} / {b:?}");
        };
        for n in 0..30_000i64 {
            for d in [
                1i64, 2, 3, 4, 6, 7, 8, 12, 60, 120, 180, 240, 300, 420, 3120,
            ] {
                check(Decimal::from(n), Decimal::from(d));
                check(Decimal::new(n, 1), Decimal::from(d));
                check(Decimal::new(n, 3), Decimal::from(d));
                check(Decimal::new(-n, 2), Decimal::from(d));
                check(Decimal::new(n * 100, 2), Decimal::from(d));
            }
        }
        let b_of = |x: u64| Decimal::new(((x >> 50) % 1000) as i64 + 1, (x >> 20) as u32 % 3);
        let mut x: u64 = 0x9E37_79B9_7F4A_7C15;
        for _ in 0..200_000 {
            x ^= x << 13;
            x ^= x >> 7;
            x ^= x << 17;
            let a = Decimal::from_i128_with_scale(i128::from(x >> 4), (x % 29) as u32);
            check(a, Decimal::from((x >> 50) % 1000 + 1));
            check(a, Decimal::ONE);
            // A zero of any scale divided is Decimal::ZERO (`recognise` relies on it).
            let zero = a * Decimal::ZERO;
            assert_eq!((zero / b_of(x)).serialize(), Decimal::ZERO.serialize());
            check(-a, Decimal::ONE);
            check(
                a,
                Decimal::new(((x >> 50) % 1000) as i64 + 1, (x >> 20) as u32 % 3),
            );
        }
    }
}
