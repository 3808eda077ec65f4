//! Exact money and figure formatting.

use rust_decimal::prelude::ToPrimitive;
use rust_decimal::{Decimal, RoundingStrategy};
use serde::{Serialize, Serializer};
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
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_str(self)
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

/// Serialises an optional PA, hour or percentage figure as a JSON number, to three decimals.
pub fn number_opt<S: Serializer>(d: &Option<Decimal>, s: S) -> Result<S::Ok, S::Error> {
    match d {
        Some(d) => number(d, s),
        None => s.serialize_none(),
    }
}

/// Shows a figure without trailing zeros ("2.5", "8").
pub fn show(d: Decimal) -> String {
    d.round_dp_with_strategy(3, RoundingStrategy::MidpointAwayFromZero)
        .normalize()
        .to_string()
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::str::FromStr;

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
}
