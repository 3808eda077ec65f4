//! Costing a population: one job-plan summary per consultant, millions of them (`tenpa model`).
//!
//! The rules are not written a second time here. [`Costing::compile`] asks the library's own
//! functions — [`pay::scale`] and [`pay::full_time_salary`], [`on_call::supplement`],
//! [`out_of_hours::recognise`] and [`out_of_hours::premium_percent`],
//! [`excellence_awards::award`] — for every figure that does not depend on a row's PAs or hours,
//! for one date and one set of [`Parameters`], and keeps the answers in small integer tables:
//! full-time salaries and availability supplements in pence, award values, premium steps, the
//! on-call cap and the PA-hour conversions. [`Costing::cost`] then costs a [`Row`] with integer
//! arithmetic only.
//!
//! ## Why the integer figures are those of `evaluate`, to the penny
//!
//! PAs and hours are fixed-point: a row holds them in ten-thousandths ([`UNITS`]), the precision
//! the population file accepts. Write `ft` for the full-time salary in pence, `C` and `E` for the
//! contracted and extra PAs in ten-thousandths, `F` for the full-time PAs (10). `evaluate` computes,
//! in exact decimals, basic salary = `ft / F × min(c, F)`, extra PAs = `ft / F × e`, the award =
//! `value × min(c, F) / F` and the premium = `basic × percent / 100`, then rounds each to the penny
//! half up ([`Money::round`]). [`Costing::compile`] accepts only parameters for which those
//! decimal operations are exact: `F` and the PA length are whole numbers whose only prime factors
//! are 2 and 5 (so dividing by them ends), salaries and awards are whole pence. Each component in
//! pence is then the exact rational `a / d` with `a = ft × min(C, F × UNITS)` (or `ft × E`, or
//! `award × min(C, F × UNITS)`, or `ft × percent × 10^s × min(C, F × UNITS)`) and
//! `d = F × UNITS` (× 100 × 10^s for the premium), and rounding half up is
//! `floor((2a + d) / 2d)`, computed exactly by [`RoundDiv`] (or, for the contract's own figures,
//! by the compiler's division by a constant, the same formula). The premium's step is the
//! PA-equivalents `(PAs in premium time × PA length + premium emergency hours) / PA length`
//! rounded half up the same way, then capped at the last step by the table itself, as
//! [`out_of_hours::premium_percent`] does. The availability supplement does not depend on PAs
//! (OC-6: the full-time salary's percentage) and is tabulated by the very expression `evaluate`
//! uses. No branch depends on a row's values. The tests compare 10,000 random rows with `evaluate`
//! on the equivalent job plan, under the embedded parameters and under others.
//!
//! On-call PAs are not money: they are kept exactly as whole units of `1 / (L × UNITS)` PA, where
//! `L` is the least common multiple of the PA length and the premium-time hours per PA (12 for 4
//! and 3), so the sum over millions of rows is exact too.
mod columns;
mod compile;
mod cost;
mod divide;
mod lanes;
mod row;

pub use columns::{Columns, Totals, MAX_ROTA_COLUMN};
pub use compile::{BandTerms, CompileError, Costing};
pub use cost::RowCost;
pub use divide::RoundDiv;
pub use row::{ExactInput, ExactRow, Row, RowInput};

use crate::money::Money;
use crate::plan::Recognition;
use crate::rule::Rule;
use rust_decimal::Decimal;

/// Fixed-point units of a PA or an hour in a [`Row`]: ten-thousandths.
pub const UNITS: u64 = 10_000;

/// Decimal places of PAs and hours that [`Row`] holds; rows with more are [`ExactRow`]s.
pub const DECIMAL_PLACES: u32 = 4;

/// The most PAs or hours a week a row may give for any one column: the hours in a week.
pub const MAX_WEEKLY: u64 = 168;

/// The largest rota size whose band is tabulated; larger rotas share the last entry's band.
pub(super) const MAX_BAND_TABLE: usize = 4096;

/// Entries of the premium table per form and point: more than the most PA-equivalents a row can
/// reach (168 + 168 / the PA length, rounded, at most 337), so the table is indexed without a
/// comparison.
pub(super) const PREMIUM_N: usize = 512;

/// A column of the population file (`docs/documents.md`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
#[allow(missing_docs)]
pub enum Field {
    Id,
    PayThresholdIndex,
    ContractedPas,
    ExtraPas,
    RotaSize,
    OnCallCategory,
    OohPasPerWeek,
    OohRecognition,
    EmergencyHoursInHours,
    EmergencyHoursOoh,
    CeaLevel,
    PremiumAgreed,
}

impl Field {
    /// Every column a population file must have, in the order the file format lists them.
    pub const ALL: [Field; 11] = [
        Field::Id,
        Field::PayThresholdIndex,
        Field::ContractedPas,
        Field::ExtraPas,
        Field::RotaSize,
        Field::OnCallCategory,
        Field::OohPasPerWeek,
        Field::OohRecognition,
        Field::EmergencyHoursInHours,
        Field::EmergencyHoursOoh,
        Field::CeaLevel,
    ];

    /// The columns a population file may have.
    pub const OPTIONAL: [Field; 1] = [Field::PremiumAgreed];

    /// The column's name in the header row.
    pub fn name(self) -> &'static str {
        match self {
            Field::Id => "id",
            Field::PayThresholdIndex => "pay_threshold_index",
            Field::ContractedPas => "contracted_pas",
            Field::ExtraPas => "extra_pas",
            Field::RotaSize => "rota_size",
            Field::OnCallCategory => "on_call_category",
            Field::OohPasPerWeek => "ooh_pas_per_week",
            Field::OohRecognition => "ooh_recognition",
            Field::EmergencyHoursInHours => "emergency_hours_in_hours",
            Field::EmergencyHoursOoh => "emergency_hours_ooh",
            Field::CeaLevel => "cea_level",
            Field::PremiumAgreed => "premium_agreed",
        }
    }

    /// What a value of the column must be, for error messages.
    pub fn expected(self) -> &'static str {
        match self {
            Field::Id => "any text",
            Field::PayThresholdIndex => "a whole number from 0 to 7 (the PAY-1 point)",
            Field::ContractedPas => {
                "core weekly PAs above 0 and at most 168, as digits with a decimal point"
            }
            Field::ExtraPas | Field::OohPasPerWeek => {
                "PAs a week from 0 to 168, as digits with a decimal point"
            }
            Field::RotaSize => "0 (not on a rota) or N of \"1 in N\", a whole number",
            Field::OnCallCategory => "A or B (may be empty when rota_size is 0)",
            Field::OohRecognition => "time or premium",
            Field::EmergencyHoursInHours | Field::EmergencyHoursOoh => {
                "average hours a week from 0 to 168, as digits with a decimal point"
            }
            Field::CeaLevel => "a whole number from 0 (no award) to 13",
            Field::PremiumAgreed => {
                "true or false (whether the consultant agreed the premium form)"
            }
        }
    }
}

/// A row's value is outside what its column allows.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("column {}: expected {}", .field.name(), .field.expected())]
pub struct RowError {
    /// The column at fault.
    pub field: Field,
}

/// A fixed-point value in [`UNITS`] as an exact decimal.
pub fn units_to_decimal(v: u64) -> Decimal {
    Decimal::from(v) / Decimal::from(UNITS)
}

/// Frequency bands of OC-6, and "not on a rota".
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Band {
    /// Not on a rota.
    None = 0,
    /// 1 in 1 to 1 in 4.
    High = 1,
    /// 1 in 5 to 1 in 8.
    Medium = 2,
    /// Less frequent.
    Low = 3,
}

impl Band {
    /// All bands, in report order.
    pub const ALL: [Band; 4] = [Band::None, Band::High, Band::Medium, Band::Low];

    /// The name `evaluate` reports (`on_call.band`).
    pub fn name(self) -> &'static str {
        match self {
            Band::None => "none",
            Band::High => "high",
            Band::Medium => "medium",
            Band::Low => "low",
        }
    }

    pub(super) fn from_name(s: &str) -> Band {
        match s {
            "high" => Band::High,
            "medium" => Band::Medium,
            _ => Band::Low,
        }
    }

    pub(super) fn from_code(c: u8) -> Band {
        Band::ALL[usize::from(c & 3)]
    }
}

/// The form of out-of-hours recognition a row is costed under: the premium form chosen without the
/// consultant's agreement, on a date when the premium form needs it, is costed as the reduced-hours
/// form, which F 5(c) and B 8.3 make the default (OOH-3: [`crate::out_of_hours::form_applied`],
/// the function `evaluate` applies to a job plan).
pub fn recognition_applied(
    chosen: Recognition,
    agreed: bool,
    needs_agreement: bool,
) -> Recognition {
    crate::out_of_hours::form_applied(chosen, agreed, needs_agreement)
}

/// An amount in pence as [`Money`].
pub fn money(pence: u64) -> Money {
    Money::round(Decimal::from(pence) / Decimal::ONE_HUNDRED)
}

/// OC-10: high-frequency rotas are reported trust-wide; the availability supplements were
/// designed to cost initially about 3.48% of the consultant pay bill, and a population report
/// compares the actual share against that target.
pub const OC_10: Rule = Rule {
    id: "OC-10",
    citation: "F 4(g), F 4(n)-(o), B 7.9, B 7.16-7.17",
    title: "Availability supplements against the funding target",
};

/// The availability supplements' share of the pay bill, in percent (OC-10); `None` for an empty
/// pay bill. "The total consolidated pay bill" is read as every component the population costs.
pub fn supplement_share_percent(totals: &Totals) -> Option<Decimal> {
    let total = totals.total();
    (total > 0).then(|| {
        Decimal::from(totals.availability_supplement) * Decimal::ONE_HUNDRED / Decimal::from(total)
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::Parameters;
    use chrono::NaiveDate;

    /// Source: the proof on [`RoundDiv`]; checked against plain division near every boundary.
    #[test]
    fn round_div_is_exact_division_rounded_half_up() {
        let mut x: u64 = 0x9E37_79B9_7F4A_7C15;
        let mut next = move || {
            x ^= x << 13;
            x ^= x >> 7;
            x ^= x << 17;
            x
        };
        for d in [
            1u64,
            2,
            3,
            7,
            10,
            100_000,
            200_000,
            40_000,
            100_000_000_000,
            (1 << 59) + 7,
        ] {
            let div = RoundDiv::new(d).unwrap();
            let max = RoundDiv::max_numerator(d);
            let check = |a: u64| {
                let want = ((2 * u128::from(a) + u128::from(d)) / (2 * u128::from(d))) as u64;
                assert_eq!(div.round(a), want, "{a} / {d}");
            };
            for a in [0, 1, max, max - 1, max / 2] {
                check(a);
            }
            for _ in 0..20_000 {
                let a = next() % (max + 1);
                check(a);
                // Near the half-way points, where rounding decides.
                let q = a / d;
                let h = q * d + d / 2;
                for a in [h.saturating_sub(1), h, h + 1] {
                    if a <= max {
                        check(a);
                    }
                }
            }
        }
    }

    /// Source: PAY-3 with the 2005/06 scale: point 3 is £75,893, 7.5 PAs pay £56,919.75.
    #[test]
    fn part_time_basic_salary() {
        let c = Costing::compile(
            Parameters::embedded(),
            NaiveDate::from_ymd_opt(2005, 4, 1).unwrap(),
        )
        .unwrap();
        let row = Row::new(RowInput {
            point: 3,
            contracted: 75_000,
            ..RowInput::default()
        })
        .unwrap();
        let cost = c.cost(&row);
        assert_eq!(cost.basic_salary, 5_691_975);
        assert_eq!(cost.band(), Band::None);
    }

    #[test]
    fn rows_out_of_range_name_their_column() {
        let bad = |r: RowInput| Row::new(r).unwrap_err().field;
        let ok = RowInput {
            contracted: 10 * UNITS,
            ..RowInput::default()
        };
        assert_eq!(bad(RowInput { point: 8, ..ok }), Field::PayThresholdIndex);
        assert_eq!(
            bad(RowInput {
                cea_level: 14,
                ..ok
            }),
            Field::CeaLevel
        );
        assert_eq!(
            bad(RowInput {
                contracted: 0,
                ..ok
            }),
            Field::ContractedPas
        );
        assert_eq!(bad(RowInput { rota_size: 4, ..ok }), Field::OnCallCategory);
        assert_eq!(
            bad(RowInput {
                emergency_ooh: 169 * UNITS,
                ..ok
            }),
            Field::EmergencyHoursOoh
        );
    }
}
