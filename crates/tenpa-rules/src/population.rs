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

use crate::finding::Findings;
use crate::money::Money;
use crate::on_call;
use crate::out_of_hours;
use crate::parameters::{LookupError, Parameters};
use crate::pay;
use crate::plan::{Nation, OnCallCategory, PayPoint, Recognition};
use crate::rule::Rule;
use crate::{excellence_awards, working_week};
use chrono::NaiveDate;
use rust_decimal::prelude::ToPrimitive;
use rust_decimal::Decimal;
use std::hint::{black_box, select_unpredictable};

/// Fixed-point units of a PA or an hour in a [`Row`]: ten-thousandths.
pub const UNITS: u64 = 10_000;

/// Decimal places of PAs and hours that [`Row`] holds; rows with more are [`ExactRow`]s.
pub const DECIMAL_PLACES: u32 = 4;

/// The most PAs or hours a week a row may give for any one column: the hours in a week.
pub const MAX_WEEKLY: u64 = 168;

/// The largest rota size whose band is tabulated; larger rotas share the last entry's band.
const MAX_BAND_TABLE: usize = 4096;

/// Entries of the premium table per form and point: more than the most PA-equivalents a row can
/// reach (168 + 168 / the PA length, rounded, at most 337), so the table is indexed without a
/// comparison.
const PREMIUM_N: usize = 512;

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
}

impl Field {
    /// Every column, in the order `docs/documents.md` lists them.
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

/// One consultant's summary as read from the population file, before checking. PAs and hours are
/// in [`UNITS`] (ten-thousandths); whole numbers are as written.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct RowInput {
    /// PAY-1 point, 0 to 7.
    pub point: u64,
    /// Core weekly PAs, in units.
    pub contracted: u64,
    /// Extra PAs a week, in units.
    pub extra: u64,
    /// 0 = not on a rota, else N of "1 in N".
    pub rota_size: u64,
    /// The rota's category; may be absent when not on a rota.
    pub category: Option<OnCallCategory>,
    /// PAs a week in premium time, in units.
    pub ooh_pas: u64,
    /// The form of out-of-hours recognition.
    pub recognition: Recognition,
    /// Emergency work in plain time, hours a week in units.
    pub emergency_plain: u64,
    /// Emergency work in premium time, hours a week in units.
    pub emergency_ooh: u64,
    /// Clinical excellence award level, 0 to 13.
    pub cea_level: u64,
}

/// A checked row: every value within its column's range, which is what keeps the integer
/// arithmetic of [`Costing::cost`] within 64 bits.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Row {
    point: u8,
    cea_level: u8,
    category_b: bool,
    premium_form: bool,
    rota_size: u32,
    contracted: u32,
    extra: u32,
    ooh_pas: u32,
    emergency_plain: u32,
    emergency_ooh: u32,
}

impl Row {
    /// Checks a row; the error names the first column out of range.
    #[inline]
    pub fn new(r: RowInput) -> Result<Row, RowError> {
        let max = MAX_WEEKLY * UNITS;
        let weekly = |v: u64, field| {
            if v <= max {
                Ok(v as u32)
            } else {
                Err(RowError { field })
            }
        };
        if r.point > 7 {
            return Err(RowError {
                field: Field::PayThresholdIndex,
            });
        }
        if r.contracted == 0 {
            return Err(RowError {
                field: Field::ContractedPas,
            });
        }
        let contracted = weekly(r.contracted, Field::ContractedPas)?;
        let extra = weekly(r.extra, Field::ExtraPas)?;
        let rota_size = u32::try_from(r.rota_size).map_err(|_| RowError {
            field: Field::RotaSize,
        })?;
        let category_b = match (rota_size, r.category) {
            (_, Some(c)) => c == OnCallCategory::B,
            (0, None) => false,
            (_, None) => {
                return Err(RowError {
                    field: Field::OnCallCategory,
                })
            }
        };
        let ooh_pas = weekly(r.ooh_pas, Field::OohPasPerWeek)?;
        let emergency_plain = weekly(r.emergency_plain, Field::EmergencyHoursInHours)?;
        let emergency_ooh = weekly(r.emergency_ooh, Field::EmergencyHoursOoh)?;
        if r.cea_level > 13 {
            return Err(RowError {
                field: Field::CeaLevel,
            });
        }
        Ok(Row {
            point: r.point as u8,
            cea_level: r.cea_level as u8,
            category_b,
            premium_form: r.recognition == Recognition::Premium,
            rota_size,
            contracted,
            extra,
            ooh_pas,
            emergency_plain,
            emergency_ooh,
        })
    }

    /// A row from [`Columns`]' packed fields; the values were checked when the row was pushed,
    /// and every field fits its 21 bits (168 × 10,000 < 2^21).
    #[inline(always)]
    fn unpack(key: u32, pas: u64, hours: u64) -> Row {
        Row {
            point: (key & 7) as u8,
            cea_level: ((key >> 3) & 15) as u8,
            category_b: key & (1 << 7) != 0,
            premium_form: key & (1 << 8) != 0,
            rota_size: key >> 9,
            contracted: (pas & FIELD) as u32,
            extra: ((pas >> 21) & FIELD) as u32,
            ooh_pas: (pas >> 42) as u32,
            emergency_plain: (hours & FIELD) as u32,
            emergency_ooh: (hours >> 21) as u32,
        }
    }

    /// The values as read.
    pub fn input(&self) -> RowInput {
        RowInput {
            point: self.point.into(),
            contracted: self.contracted.into(),
            extra: self.extra.into(),
            rota_size: self.rota_size.into(),
            category: (self.rota_size > 0).then_some(if self.category_b {
                OnCallCategory::B
            } else {
                OnCallCategory::A
            }),
            ooh_pas: self.ooh_pas.into(),
            recognition: if self.premium_form {
                Recognition::Premium
            } else {
                Recognition::Time
            },
            emergency_plain: self.emergency_plain.into(),
            emergency_ooh: self.emergency_ooh.into(),
            cea_level: self.cea_level.into(),
        }
    }
}

/// A row whose PAs or hours have more decimal places than [`UNITS`] holds: the same columns, PAs
/// and hours as exact decimals, costed by [`Costing::cost_exact`].
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct ExactInput {
    /// PAY-1 point, 0 to 7.
    pub point: u64,
    /// Core weekly PAs.
    pub contracted: Decimal,
    /// Extra PAs a week.
    pub extra: Decimal,
    /// 0 = not on a rota, else N of "1 in N".
    pub rota_size: u64,
    /// The rota's category; may be absent when not on a rota.
    pub category: Option<OnCallCategory>,
    /// PAs a week in premium time.
    pub ooh_pas: Decimal,
    /// The form of out-of-hours recognition.
    pub recognition: Recognition,
    /// Emergency work in plain time, hours a week.
    pub emergency_plain: Decimal,
    /// Emergency work in premium time, hours a week.
    pub emergency_ooh: Decimal,
    /// Clinical excellence award level, 0 to 13.
    pub cea_level: u64,
}

/// A checked [`ExactInput`].
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct ExactRow {
    point: u8,
    cea_level: u8,
    category_b: bool,
    premium_form: bool,
    rota_size: u32,
    contracted: Decimal,
    extra: Decimal,
    ooh_pas: Decimal,
    emergency_plain: Decimal,
    emergency_ooh: Decimal,
}

impl ExactRow {
    /// Checks a row as [`Row::new`] does; the error names the first column out of range.
    pub fn new(r: ExactInput) -> Result<ExactRow, RowError> {
        let max = Decimal::from(MAX_WEEKLY);
        let weekly = |v: Decimal, field| {
            if v >= Decimal::ZERO && v <= max {
                Ok(v)
            } else {
                Err(RowError { field })
            }
        };
        // The whole-number columns and the category are checked by `Row::new` itself.
        let whole = Row::new(RowInput {
            point: r.point,
            contracted: 1,
            rota_size: r.rota_size,
            category: r.category,
            recognition: r.recognition,
            cea_level: r.cea_level,
            ..RowInput::default()
        })?;
        if r.contracted <= Decimal::ZERO {
            return Err(RowError {
                field: Field::ContractedPas,
            });
        }
        Ok(ExactRow {
            point: whole.point,
            cea_level: whole.cea_level,
            category_b: whole.category_b,
            premium_form: whole.premium_form,
            rota_size: whole.rota_size,
            contracted: weekly(r.contracted, Field::ContractedPas)?,
            extra: weekly(r.extra, Field::ExtraPas)?,
            ooh_pas: weekly(r.ooh_pas, Field::OohPasPerWeek)?,
            emergency_plain: weekly(r.emergency_plain, Field::EmergencyHoursInHours)?,
            emergency_ooh: weekly(r.emergency_ooh, Field::EmergencyHoursOoh)?,
        })
    }

    /// The same row, exactly, for a row in units.
    pub fn from_row(r: &Row) -> ExactRow {
        ExactRow {
            point: r.point,
            cea_level: r.cea_level,
            category_b: r.category_b,
            premium_form: r.premium_form,
            rota_size: r.rota_size,
            contracted: units_to_decimal(r.contracted.into()),
            extra: units_to_decimal(r.extra.into()),
            ooh_pas: units_to_decimal(r.ooh_pas.into()),
            emergency_plain: units_to_decimal(r.emergency_plain.into()),
            emergency_ooh: units_to_decimal(r.emergency_ooh.into()),
        }
    }
}

/// The rules' decimal figures, for [`Costing::cost_exact`].
#[derive(Debug, Clone)]
struct Exact {
    full_time: [Decimal; 8],
    full_time_pas: Decimal,
    pa_hours: Decimal,
    /// By form (time, premium).
    recognised: [out_of_hours::Recognised; 2],
    /// Whether the premium is paid, by form (OOH-1, OOH-2).
    premium: [bool; 2],
    steps: Vec<Decimal>,
    cap: Decimal,
    excess: Decimal,
    minimum: Decimal,
    levels: Vec<Decimal>,
    nations: Vec<String>,
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

    fn from_name(s: &str) -> Band {
        match s {
            "high" => Band::High,
            "medium" => Band::Medium,
            _ => Band::Low,
        }
    }

    fn from_code(c: u8) -> Band {
        Band::ALL[usize::from(c & 3)]
    }
}

/// Rounds `a / d` to the nearest whole number, halves up, exactly, for `2a + d < 2^62`, without a
/// division instruction: `floor((2a + d) × m / 2^k)` with `m = ceil(2^k / 2d)`, `k = 62 +
/// ceil(log2 2d)`.
///
/// Why it is exact (Granlund and Montgomery, 1994): write `n = 2a + d`, `D = 2d`, `l = ceil(log2
/// D)`, so `m × D = 2^k + e` with `0 ≤ e < D ≤ 2^l`. Then `n × m / 2^k = n / D + n × e / (D ×
/// 2^k)`, and for `n < 2^62` the second term is below `2^62 × 2^l / (D × 2^(62 + l)) = 1 / D`.
/// `n / D` is `q + r / D` with `r ≤ D - 1`, so the sum lies in `[q, q + 1)` and its floor is `q =
/// floor(n / D)`, which is `a / d` rounded half up. A larger `k` only makes the error term smaller,
/// so `k` is at least 64 and the quotient is the high word of the product shifted right. `m <
/// 2^(k - l + 1) ≤ 2^64` fits in 64 bits; the product fits in 128.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct RoundDiv {
    d: u64,
    magic: u64,
    shift: u32,
}

impl RoundDiv {
    /// The largest `a` [`RoundDiv::round`] accepts for divisor `d`.
    pub fn max_numerator(d: u64) -> u64 {
        ((1u64 << 62) - 1 - d) / 2
    }

    /// A divider by `d`, for `1 ≤ d < 2^60`.
    pub fn new(d: u64) -> Option<RoundDiv> {
        if d == 0 || d >= 1 << 60 {
            return None;
        }
        let big = 2 * d;
        let l = 64 - (big - 1).leading_zeros();
        // A larger k only shrinks the error term; at least 64 lets `round` take the high word.
        let shift = (62 + l).max(64);
        let magic = (1u128 << shift).div_ceil(u128::from(big));
        Some(RoundDiv {
            d,
            magic: u64::try_from(magic).ok()?,
            shift,
        })
    }

    /// The divisor.
    pub fn divisor(&self) -> u64 {
        self.d
    }

    /// `a / d` rounded half up; exact for `a ≤ max_numerator(d)`.
    #[inline(always)]
    pub fn round(&self, a: u64) -> u64 {
        let n = 2 * a + self.d;
        (((u128::from(n) * u128::from(self.magic)) >> 64) as u64) >> (self.shift - 64)
    }
}

/// The three divisions of a costing: by the full-time PAs (pay), by the PA length (premium
/// steps) and by the premium's denominator.
trait Divisors: Copy {
    fn pay(self, a: u64) -> u64;
    fn step(self, a: u64) -> u64;
    fn premium(self, a: u64) -> u64;
    fn pa_hours(self) -> u64;
}

/// Divisors read from the parameters, by [`RoundDiv`].
#[derive(Clone, Copy)]
struct Runtime {
    pay: RoundDiv,
    step: RoundDiv,
    premium: RoundDiv,
    pa_hours: u64,
}

impl Divisors for Runtime {
    #[inline(always)]
    fn pay(self, a: u64) -> u64 {
        self.pay.round(a)
    }
    #[inline(always)]
    fn step(self, a: u64) -> u64 {
        self.step.round(a)
    }
    #[inline(always)]
    fn premium(self, a: u64) -> u64 {
        self.premium.round(a)
    }
    #[inline(always)]
    fn pa_hours(self) -> u64 {
        self.pa_hours
    }
}

/// Divisors known when the program is built, so the compiler divides by constants: the
/// contract's own figures (10 PAs, 4-hour PAs, percentages with one decimal place). The same
/// `floor((2a + d) / 2d)` as [`RoundDiv`], for the same range of `a`.
#[derive(Clone, Copy)]
struct Fixed<const PAY: u64, const STEP: u64, const PREMIUM: u64>;

impl<const PAY: u64, const STEP: u64, const PREMIUM: u64> Divisors for Fixed<PAY, STEP, PREMIUM> {
    #[inline(always)]
    fn pay(self, a: u64) -> u64 {
        (2 * a + PAY) / (2 * PAY)
    }
    #[inline(always)]
    fn step(self, a: u64) -> u64 {
        (2 * a + STEP) / (2 * STEP)
    }
    #[inline(always)]
    fn premium(self, a: u64) -> u64 {
        (2 * a + PREMIUM) / (2 * PREMIUM)
    }
    #[inline(always)]
    fn pa_hours(self) -> u64 {
        STEP / UNITS
    }
}

/// The contract's divisors: 10 full-time PAs, 4-hour PAs, premium steps with one decimal place.
const CONTRACT: Fixed<{ 10 * UNITS }, { 4 * UNITS }, { 10 * UNITS * 100 * 10 }> = Fixed;

/// Parameters the model cannot cost exactly, or a date the contract does not cover.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum CompileError {
    /// The date is before the contract came into force.
    #[error("the contract is not in force on {date}: it applies from {first}")]
    NotInForce {
        /// The date asked for.
        date: NaiveDate,
        /// The first date it applies.
        first: NaiveDate,
    },
    /// A parameter has no value for the date.
    #[error(transparent)]
    Parameter(#[from] LookupError),
    /// A parameter's value is outside what exact integer costing supports.
    #[error("parameter {path}: {message}")]
    Unsupported {
        /// The parameter file.
        path: &'static str,
        /// What was found and what is supported.
        message: String,
    },
}

fn unsupported(path: &'static str, message: impl Into<String>) -> CompileError {
    CompileError::Unsupported {
        path,
        message: message.into(),
    }
}

/// One band of the availability supplement as compiled, for reports.
#[derive(Debug, Clone, PartialEq)]
pub struct BandTerms {
    /// The band.
    pub band: Band,
    /// Smallest rota size in the band ("1 in 5").
    pub min_rota: u32,
    /// Largest rota size in the band; `None` for the last.
    pub max_rota: Option<u32>,
    /// Percentage of the full-time salary, category A.
    pub percent_a: Decimal,
    /// Percentage of the full-time salary, category B.
    pub percent_b: Decimal,
}

/// The pay rules for one date and one set of parameters, compiled into integer tables.
#[derive(Debug, Clone)]
pub struct Costing {
    applied_on: NaiveDate,
    pay_year: String,
    notes: Vec<String>,
    funding_target_percent: Decimal,
    funding_target_cite: String,
    full_time: [u64; 8],
    full_time_units: u64,
    pay_div: RoundDiv,
    /// Band code of each rota size up to [`MAX_BAND_TABLE`] - 1; larger ones share the last.
    band_of: Box<[u8; MAX_BAND_TABLE]>,
    bands: Vec<BandTerms>,
    availability: [[u64; 8]; 8],
    cea: [u64; 16],
    /// `full time × percent × 10^s` by form, point and rounded PA-equivalents (at index
    /// `(form × 8 + point) × PREMIUM_N + n`); past the last step, the last step (OOH-4).
    premium: Box<[u64; 2 * 8 * PREMIUM_N]>,
    step_div: RoundDiv,
    premium_div: RoundDiv,
    pa_hours: u64,
    on_call_plain: u64,
    on_call_ooh: [u64; 2],
    on_call_cap: u64,
    on_call_min: u64,
    on_call_unit: u64,
    contract_divisors: bool,
    /// All ones on a rota, zero otherwise, by band code.
    on_rota: [u64; 4],
    /// `band × 2 + category`, with category A for "not on a rota", by `band × 2 + category`.
    band_category: [u8; 8],
    exact: Box<Exact>,
}

/// A row's pay in pence and its on-call PAs.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct RowCost {
    /// Basic salary (PAY-3).
    pub basic_salary: u64,
    /// Extra PAs (PAY-3).
    pub extra_pas: u64,
    /// Availability supplement (OC-6).
    pub availability_supplement: u64,
    /// Out-of-hours premium (OOH-2).
    pub out_of_hours_premium: u64,
    /// Clinical excellence award (CEA-3).
    pub clinical_excellence_award: u64,
    /// On-call PAs a week, in the costing's on-call units ([`Costing::on_call_pas`]).
    pub on_call_units: u64,
    /// Band code (0 none, 1 high, 2 medium, 3 low) × 2 + category (1 = B on a rota).
    pub band_category: u8,
}

impl RowCost {
    /// Total pay: the sum of the rounded components.
    pub fn total(&self) -> u64 {
        self.basic_salary
            + self.extra_pas
            + self.availability_supplement
            + self.out_of_hours_premium
            + self.clinical_excellence_award
    }

    /// Superannuable pay (PAY-5): basic salary + award + availability supplement.
    pub fn superannuable(&self) -> u64 {
        self.basic_salary + self.clinical_excellence_award + self.availability_supplement
    }

    /// The rota band.
    pub fn band(&self) -> Band {
        Band::from_code(self.band_category >> 1)
    }
}

fn whole_pence(path: &'static str, pounds: Decimal) -> Result<u64, CompileError> {
    let p = pounds * Decimal::ONE_HUNDRED;
    match (p.fract().is_zero(), p.to_u64()) {
        (true, Some(v)) if v < 1 << 32 => Ok(v),
        _ => Err(unsupported(
            path,
            format!("found £{pounds}, expected whole pence below £42,949,672.96"),
        )),
    }
}

/// A whole number whose only prime factors are 2 and 5, so that dividing a decimal by it ends.
fn finite_divisor(path: &'static str, what: &str, v: Decimal) -> Result<u64, CompileError> {
    let bad = || {
        unsupported(
            path,
            format!("found {v}: the model needs {what} to be a whole number whose only prime factors are 2 and 5 (such as 4 or 10), so that its decimal division is exact"),
        )
    };
    if !v.fract().is_zero() {
        return Err(bad());
    }
    let n = v
        .to_u64()
        .filter(|n| (1..=1000).contains(n))
        .ok_or_else(bad)?;
    let mut m = n;
    while m % 2 == 0 {
        m /= 2;
    }
    while m % 5 == 0 {
        m /= 5;
    }
    if m == 1 {
        Ok(n)
    } else {
        Err(bad())
    }
}

fn whole_hours(path: &'static str, v: Decimal) -> Result<u64, CompileError> {
    v.fract()
        .is_zero()
        .then(|| v.to_u64())
        .flatten()
        .filter(|n| (1..=168).contains(n))
        .ok_or_else(|| {
            unsupported(
                path,
                format!("found {v}, expected whole hours from 1 to 168"),
            )
        })
}

fn gcd(a: u64, b: u64) -> u64 {
    if b == 0 {
        a
    } else {
        gcd(b, a % b)
    }
}

fn checked(path: &'static str, d: u64, largest: u128) -> Result<RoundDiv, CompileError> {
    let div = RoundDiv::new(d).ok_or_else(|| unsupported(path, "divisor out of range"))?;
    if largest > u128::from(RoundDiv::max_numerator(d)) {
        return Err(unsupported(
            path,
            "the figures are too large for exact 64-bit costing",
        ));
    }
    Ok(div)
}

impl Costing {
    /// Compiles the pay rules in force on `on` (the pay year containing it) from `params`.
    pub fn compile(params: &Parameters, on: NaiveDate) -> Result<Costing, CompileError> {
        // As `evaluate`: the contract must be in force.
        let in_force = params
            .contract_in_force
            .at(on)
            .map_err(|e| CompileError::NotInForce {
                date: on,
                first: e.first,
            })?;
        if !in_force.value {
            return Err(CompileError::NotInForce {
                date: on,
                first: in_force.from,
            });
        }
        let mut notes = Findings::default();

        // PAY-1, PAY-2: the full-time salary of each point, in pence.
        let (year_start, pay_year) = pay::pay_year(on);
        let mut full_time = [0u64; 8];
        let mut full_time_dec = [Decimal::ZERO; 8];
        for (i, slot) in full_time.iter_mut().enumerate() {
            let mut f = Findings::default();
            let ft = pay::full_time_salary(
                params,
                PayPoint::Point(i as u8),
                year_start,
                &pay_year,
                &mut f,
            )?;
            if i == 0 {
                notes.0.extend(f.0);
            }
            full_time_dec[i] = ft;
            *slot = whole_pence("pay/scale.toml", ft)?;
        }
        let max_ft = u128::from(*full_time.iter().max().unwrap_or(&0));

        // PAY-3: the sessional rate divides by the full-time PAs.
        let full_time_pas = *params.full_time_pas.value(on)?;
        let f = finite_divisor(
            "working_week/full_time_pas.toml",
            "the full-time PAs",
            full_time_pas,
        )?;
        let full_time_units = f * UNITS;
        let max_weekly = u128::from(MAX_WEEKLY * UNITS);
        let pay_div = checked(
            "pay/scale.toml",
            full_time_units,
            max_ft * max_weekly.max(u128::from(full_time_units)),
        )?;

        // OOH-1, OOH-2: the form's conversions, from `recognise` itself.
        let pa_hours_dec = *params.pa_hours.value(on)?;
        let pa_hours = finite_divisor("working_week/pa_hours.toml", "the PA length", pa_hours_dec)?;
        let ooh_in_force = *params.ooh_recognition_in_force.value(on)?;
        let time_form = if ooh_in_force {
            Some(params.time_form.value(on)?)
        } else {
            None
        };
        let recognised = |form| {
            out_of_hours::recognise(
                &working_week::Timetable::default(),
                form,
                ooh_in_force,
                pa_hours_dec,
                time_form,
            )
        };
        let forms = [Recognition::Time, Recognition::Premium];

        // OC-2, OC-3, OC-4: on-call PAs in units of 1 / (L × UNITS) PA.
        let per_pa: Vec<u64> = forms
            .iter()
            .map(|&form| {
                whole_hours(
                    "out_of_hours/time_form.toml",
                    recognised(form).emergency_premium_hours_per_pa,
                )
            })
            .collect::<Result<_, _>>()?;
        let l = per_pa.iter().fold(pa_hours, |l, &h| l / gcd(l, h) * h);
        let on_call_unit = l * UNITS;
        let cap = *params.emergency_cap_pas.value(on)?;
        let cap_units = cap * Decimal::from(on_call_unit);
        let on_call_cap = cap_units
            .fract()
            .is_zero()
            .then(|| cap_units.to_u64())
            .flatten()
            .ok_or_else(|| {
                unsupported(
                    "on_call/emergency_cap_pas.toml",
                    format!("found {cap}, expected a cap of 0 or more PAs with at most 4 decimal places"),
                )
            })?;
        let minimum = *params.on_call_minimum_weekly_hours.value(on)?;
        let on_call_min = (minimum * Decimal::from(UNITS))
            .ceil()
            .to_u64()
            .ok_or_else(|| {
                unsupported(
                    "on_call/minimum_weekly_hours.toml",
                    format!("found {minimum}, expected 0 or more hours"),
                )
            })?;

        // OOH-2: the premium, by the number of PA-equivalents (rounded, capped at the last step).
        let mut premium: Box<[u64; 2 * 8 * PREMIUM_N]> = vec![0u64; 2 * 8 * PREMIUM_N]
            .into_boxed_slice()
            .try_into()
            .expect("the length is the array's");
        let mut scale = 0u32;
        if ooh_in_force {
            let table = params.premium_steps.value(on)?;
            let percents: Vec<Decimal> = (0..=table.len())
                .map(|n| out_of_hours::premium_percent(Decimal::from(n), table))
                .collect();
            scale = percents
                .iter()
                .map(|p| p.normalize().scale())
                .max()
                .unwrap_or(0);
            if scale > 4 {
                return Err(unsupported(
                    "out_of_hours/premium_steps.toml",
                    "expected percentages with at most 4 decimal places",
                ));
            }
            let to_int = |p: Decimal| {
                (p * Decimal::from(10u64.pow(scale)))
                    .to_u64()
                    .filter(|v| *v <= 100 * 10u64.pow(scale))
                    .ok_or_else(|| {
                        unsupported(
                            "out_of_hours/premium_steps.toml",
                            format!("found {p}, expected a percentage from 0 to 100"),
                        )
                    })
            };
            for (fi, &form) in forms.iter().enumerate() {
                if recognised(form).form != Recognition::Premium {
                    continue;
                }
                for (p, &ft) in full_time.iter().enumerate() {
                    let row = &mut premium[(fi * 8 + p) * PREMIUM_N..][..PREMIUM_N];
                    for (n, slot) in row.iter_mut().enumerate() {
                        *slot = ft * to_int(percents[n.min(percents.len() - 1)])?;
                    }
                }
            }
        }
        let premium_d = full_time_units * 100 * 10u64.pow(scale);
        let max_premium = premium.iter().max().copied().unwrap_or(0);
        let premium_div = checked(
            "out_of_hours/premium_steps.toml",
            premium_d,
            u128::from(max_premium) * u128::from(full_time_units),
        )?;
        let step_div = checked(
            "working_week/pa_hours.toml",
            pa_hours * UNITS,
            max_weekly * u128::from(pa_hours + 1),
        )?;
        // The most PA-equivalents a row can reach must fall inside the premium table.
        let most = (max_weekly * u128::from(pa_hours + 1)) as u64;
        if step_div.round(most) as usize >= PREMIUM_N {
            return Err(unsupported(
                "working_week/pa_hours.toml",
                "too many PA-equivalents a week for the premium table",
            ));
        }

        // OC-6: the band of every rota size, and the supplement of every point, band and category.
        let table = params.availability_supplement.value(on)?;
        let top = [table.high.max_rota, table.medium.max_rota]
            .iter()
            .flatten()
            .map(|m| m.floor().to_usize().unwrap_or(usize::MAX))
            .max()
            .unwrap_or(0);
        if top + 2 > MAX_BAND_TABLE {
            return Err(unsupported(
                "on_call/availability_supplement.toml",
                format!(
                    "band limits above 1 in {} are not supported",
                    MAX_BAND_TABLE - 2
                ),
            ));
        }
        let band = |n: u32| Band::from_name(on_call::supplement(n, OnCallCategory::A, table).0);
        let mut band_of = vec![Band::None as u8];
        band_of.extend((1..(top + 2) as u32).map(|n| band(n) as u8));
        if band(u32::MAX) as u8 != band_of[band_of.len() - 1] {
            return Err(unsupported(
                "on_call/availability_supplement.toml",
                "the bands are not in increasing order of rota size",
            ));
        }
        let mut availability = [[0u64; 8]; 8];
        let mut bands = Vec::new();
        for b in [Band::High, Band::Medium, Band::Low] {
            let Some(first) = band_of.iter().position(|&x| x == b as u8) else {
                continue;
            };
            let last = band_of.iter().rposition(|&x| x == b as u8).unwrap_or(first);
            let n = first as u32;
            let pa = on_call::supplement(n, OnCallCategory::A, table).1;
            let pb = on_call::supplement(n, OnCallCategory::B, table).1;
            for (c, pct) in [pa, pb].into_iter().enumerate() {
                for p in 0..8 {
                    // The expression `evaluate` rounds (OC-6: on the full-time salary).
                    let m = Money::round(full_time_dec[p] * pct / Decimal::ONE_HUNDRED);
                    availability[p][b as usize * 2 + c] =
                        whole_pence("on_call/availability_supplement.toml", m.pounds())?;
                }
            }
            bands.push(BandTerms {
                band: b,
                min_rota: n,
                max_rota: (last + 1 < band_of.len()).then_some(last as u32),
                percent_a: pa,
                percent_b: pb,
            });
        }

        // CEA-1, CEA-3, CEA-4: the full-time award of each level, for an employer in England.
        let levels = params.cea_levels.value(on)?;
        let nations = params.cea_nations.value(on)?;
        let mut cea = [0u64; 16];
        for level in 1..=13u8 {
            let v = excellence_awards::award(
                level,
                levels,
                Nation::England,
                nations,
                full_time_pas,
                full_time_pas,
                &mut Findings::default(),
            );
            cea[usize::from(level)] = whole_pence("excellence_awards/levels.toml", v)?;
        }
        let max_cea = u128::from(*cea.iter().max().unwrap_or(&0));
        if max_cea * u128::from(full_time_units)
            > u128::from(RoundDiv::max_numerator(full_time_units))
        {
            return Err(unsupported(
                "excellence_awards/levels.toml",
                "the figures are too large for exact 64-bit costing",
            ));
        }

        let exact = Box::new(Exact {
            full_time: full_time_dec,
            full_time_pas,
            pa_hours: pa_hours_dec,
            recognised: [recognised(forms[0]), recognised(forms[1])],
            premium: forms.map(|f| ooh_in_force && f == Recognition::Premium),
            steps: if ooh_in_force {
                params.premium_steps.value(on)?.clone()
            } else {
                Vec::new()
            },
            cap,
            excess: *params.excess_warning_pas.value(on)?,
            minimum,
            levels: levels.clone(),
            nations: nations.clone(),
        });
        Ok(Costing {
            exact,
            applied_on: on,
            pay_year,
            notes: notes.0.into_iter().map(|f| f.message).collect(),
            funding_target_percent: *params.availability_supplement_target.value(on)?,
            funding_target_cite: params.availability_supplement_target.at(on)?.cite.clone(),
            full_time,
            full_time_units,
            pay_div,
            band_of: {
                let last = band_of[band_of.len() - 1];
                band_of.resize(MAX_BAND_TABLE, last);
                band_of
                    .into_boxed_slice()
                    .try_into()
                    .expect("the length is the array's")
            },
            bands,
            availability,
            cea,
            premium,
            step_div,
            premium_div,
            pa_hours,
            on_call_plain: l / pa_hours,
            on_call_ooh: [l / per_pa[0], l / per_pa[1]],
            on_call_cap,
            on_call_min,
            on_call_unit,
            contract_divisors: (pay_div.divisor(), step_div.divisor(), premium_div.divisor())
                == (10 * UNITS, 4 * UNITS, 10 * UNITS * 100 * 10),
            on_rota: [0, u64::MAX, u64::MAX, u64::MAX],
            band_category: [0, 0, 2, 3, 4, 5, 6, 7],
        })
    }

    /// Costs one row: each component rounded to the penny half up, as `evaluate` rounds it.
    #[inline(always)]
    pub fn cost(&self, r: &Row) -> RowCost {
        if self.contract_divisors {
            self.cost_in(CONTRACT, r)
        } else {
            self.cost_in(self.runtime_divisors(), r)
        }
    }

    /// Costs a row whose PAs or hours have more decimal places than [`UNITS`] holds, in exact
    /// decimals by the rules' own functions (as `evaluate` does): the pay in pence and the on-call
    /// PAs. Slower than [`Costing::cost`], and the same figures for a row both can cost.
    pub fn cost_exact(&self, r: &ExactRow) -> (RowCost, Decimal) {
        let e = &self.exact;
        let p = usize::from(r.point & 7);
        let ft = e.full_time[p];
        let band = self.band_of[(r.rota_size as usize).min(MAX_BAND_TABLE - 1)];
        let band_category =
            self.band_category[usize::from(band & 3) * 2 + usize::from(r.category_b)];
        let form = usize::from(r.premium_form);
        let mut f = Findings::default();
        let (basic, extra) = pay::basic_and_extra(ft, r.contracted, r.extra, e.full_time_pas);
        let award = excellence_awards::award(
            r.cea_level,
            &e.levels,
            Nation::England,
            &e.nations,
            r.contracted,
            e.full_time_pas,
            &mut f,
        );
        let rec = &e.recognised[form];
        let on_rota = band != 0;
        let ooh = if on_rota {
            r.emergency_ooh
        } else {
            Decimal::ZERO
        };
        let mut on_call = Decimal::ZERO;
        if on_rota {
            let raw = on_call::emergency_pa_equivalents(r.emergency_plain, ooh, e.pa_hours, rec);
            if !on_call::below_minimum(r.emergency_plain + ooh, e.minimum, &mut f) {
                on_call = on_call::cap(raw, e.cap, e.excess, &mut f);
            }
        }
        let mut percent = Decimal::ZERO;
        if e.premium[form] {
            let mut scheduled = rec.clone();
            scheduled.premium_pas = r.ooh_pas;
            let pa_eq = out_of_hours::pa_equivalents(&scheduled, ooh, e.pa_hours);
            percent = out_of_hours::premium_percent(pa_eq, &e.steps);
        }
        let pence = |d: Decimal| Money::round(d).pence().max(0) as u64;
        (
            RowCost {
                basic_salary: pence(basic),
                extra_pas: pence(extra),
                availability_supplement: self.availability[p][usize::from(band_category & 7)],
                out_of_hours_premium: pence(basic * percent / Decimal::ONE_HUNDRED),
                clinical_excellence_award: pence(award),
                on_call_units: 0,
                band_category,
            },
            on_call,
        )
    }

    fn runtime_divisors(&self) -> Runtime {
        Runtime {
            pay: self.pay_div,
            step: self.step_div,
            premium: self.premium_div,
            pa_hours: self.pa_hours,
        }
    }

    #[inline(always)]
    fn cost_in<D: Divisors>(&self, d: D, r: &Row) -> RowCost {
        let p = usize::from(r.point & 7);
        let ft = self.full_time[p];
        let band = self.band_of[(r.rota_size as usize).min(MAX_BAND_TABLE - 1)];
        let band_category =
            self.band_category[usize::from(band & 3) * 2 + usize::from(r.category_b)];
        let form = usize::from(r.premium_form);

        // PAY-3, CEA-3: pro rata to contracted PAs, at most the full-time PAs.
        let c = u64::from(r.contracted).min(self.full_time_units);
        let basic_salary = d.pay(ft * c);
        let extra_pas = d.pay(ft * u64::from(r.extra));
        let clinical_excellence_award = d.pay(self.cea[usize::from(r.cea_level & 15)] * c);

        // OC-6: a percentage of the full-time salary by band and category.
        let availability_supplement = self.availability[p][usize::from(band_category & 7)];

        // OC-2, OC-3, OC-4: emergency work counts only on a rota (a mask read from a table, so
        // that no branch depends on the row).
        let on_rota = self.on_rota[usize::from(band & 3)];
        let plain = u64::from(r.emergency_plain) & on_rota;
        let ooh = u64::from(r.emergency_ooh) & on_rota;
        let hours = plain + ooh;
        // OC-4: 0 < hours < minimum, as one comparison (0 - 1 wraps to the largest value).
        let below = hours.wrapping_sub(1) < self.on_call_min.saturating_sub(1);
        let raw = plain * self.on_call_plain + ooh * self.on_call_ooh[form];
        // min(raw, cap) as a conditional move, never a branch: which way it goes depends on the
        // row, and a mispredicted branch costs more than the whole row. (`black_box` keeps the
        // compiler from turning the choice back into a `min`, which it compiles to a branch.)
        let over = black_box(raw > self.on_call_cap);
        let capped = select_unpredictable(over, self.on_call_cap, raw);
        let on_call_units = capped & (u64::from(below).wrapping_sub(1));

        // OOH-2: PA-equivalents = premium-time PAs + premium emergency hours / PA length, rounded.
        let x = u64::from(r.ooh_pas) * d.pa_hours() + ooh;
        let n = d.step(x) as usize;
        let out_of_hours_premium =
            d.premium(self.premium[((form * 8 + p) * PREMIUM_N + n) & (2 * 8 * PREMIUM_N - 1)] * c);

        RowCost {
            basic_salary,
            extra_pas,
            availability_supplement,
            out_of_hours_premium,
            clinical_excellence_award,
            on_call_units,
            band_category,
        }
    }

    /// Costs every row of `columns` into `totals`.
    pub fn cost_columns(&self, columns: &Columns, totals: &mut Totals) {
        if self.contract_divisors {
            self.columns_in(CONTRACT, columns, totals)
        } else {
            self.columns_in(self.runtime_divisors(), columns, totals)
        }
    }

    #[inline(never)]
    fn columns_in<D: Divisors>(&self, d: D, columns: &Columns, totals: &mut Totals) {
        let n = columns.len();
        let (key, pas, hours) = (&columns.key[..n], &columns.pas[..n], &columns.hours[..n]);
        // Sums in registers; band counts as eight 8-bit lanes of one word, emptied every 255 rows.
        let mut s = [0u64; 6];
        let mut start = 0;
        while start < n {
            let end = n.min(start + 255);
            let mut lanes = 0u64;
            for i in start..end {
                let c = self.cost_in(d, &Row::unpack(key[i], pas[i], hours[i]));
                s[0] += c.basic_salary;
                s[1] += c.extra_pas;
                s[2] += c.availability_supplement;
                s[3] += c.out_of_hours_premium;
                s[4] += c.clinical_excellence_award;
                s[5] += c.on_call_units;
                lanes += LANE[usize::from(c.band_category & 7)];
            }
            for (k, count) in totals.by_band_category.iter_mut().enumerate() {
                *count += (lanes >> (k * 8)) & 0xFF;
            }
            start = end;
        }
        totals.consultants += n as u64;
        totals.basic_salary += s[0];
        totals.extra_pas += s[1];
        totals.availability_supplement += s[2];
        totals.out_of_hours_premium += s[3];
        totals.clinical_excellence_award += s[4];
        totals.on_call_units += s[5];
    }

    /// The date the rules are applied at.
    pub fn applied_on(&self) -> NaiveDate {
        self.applied_on
    }

    /// The pay year ("2006/07").
    pub fn pay_year(&self) -> &str {
        &self.pay_year
    }

    /// Notes from the rules (a scale carried forward without a known award, PAY-2).
    pub fn notes(&self) -> &[String] {
        &self.notes
    }

    /// OC-10's funding target, a percentage of the pay bill.
    pub fn funding_target_percent(&self) -> Decimal {
        self.funding_target_percent
    }

    /// The paragraphs the funding target comes from (its parameter's `cite`).
    pub fn funding_target_cite(&self) -> &str {
        &self.funding_target_cite
    }

    /// The compiled bands of the availability supplement.
    pub fn bands(&self) -> &[BandTerms] {
        &self.bands
    }

    /// Full-time salary of each point, in pence.
    pub fn full_time_salaries(&self) -> [u64; 8] {
        self.full_time
    }

    /// On-call PAs a week from a [`RowCost::on_call_units`] figure or a sum of them.
    pub fn on_call_pas(&self, units: u64) -> Decimal {
        Decimal::from(units) / Decimal::from(self.on_call_unit)
    }

    /// Units of [`RowCost::on_call_units`] in one PA.
    pub fn on_call_unit(&self) -> u64 {
        self.on_call_unit
    }
}

/// Rows held column by column, as costed in bulk.
#[derive(Debug, Clone, Default)]
pub struct Columns {
    /// Point (bits 0-2), award level (3-6), category B (7), premium form (8), rota size (9-20,
    /// at most [`MAX_ROTA_COLUMN`]: larger rotas are in the last band whatever their size).
    key: Vec<u32>,
    /// Contracted PAs (bits 0-20), extra PAs (21-41), PAs in premium time (42-62), in units.
    pas: Vec<u64>,
    /// Emergency hours in plain time (bits 0-20) and premium time (21-41), in units.
    hours: Vec<u64>,
}

/// One in the 8-bit lane of each band and category code.
const LANE: [u64; 8] = [
    1,
    1 << 8,
    1 << 16,
    1 << 24,
    1 << 32,
    1 << 40,
    1 << 48,
    1 << 56,
];

/// The largest rota size [`Columns`] keeps; the band table is never longer.
pub const MAX_ROTA_COLUMN: u32 = MAX_BAND_TABLE as u32 - 1;

const FIELD: u64 = (1 << 21) - 1;

impl Columns {
    /// Adds a checked row.
    pub fn push(&mut self, r: &Row) {
        self.key.push(
            u32::from(r.point)
                | (u32::from(r.cea_level) << 3)
                | (u32::from(r.category_b) << 7)
                | (u32::from(r.premium_form) << 8)
                | (r.rota_size.min(MAX_ROTA_COLUMN) << 9),
        );
        self.pas.push(
            u64::from(r.contracted) | (u64::from(r.extra) << 21) | (u64::from(r.ooh_pas) << 42),
        );
        self.hours
            .push(u64::from(r.emergency_plain) | (u64::from(r.emergency_ooh) << 21));
    }

    /// Number of rows.
    pub fn len(&self) -> usize {
        self.key.len()
    }

    /// Whether there are no rows.
    pub fn is_empty(&self) -> bool {
        self.key.is_empty()
    }

    /// Removes every row, keeping the allocations.
    pub fn clear(&mut self) {
        self.key.clear();
        self.pas.clear();
        self.hours.clear();
    }
}

/// Sums over rows costed by one [`Costing`]: money in pence, on-call PAs in its units.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Totals {
    /// Rows costed.
    pub consultants: u64,
    /// Basic salary.
    pub basic_salary: u64,
    /// Extra PAs.
    pub extra_pas: u64,
    /// Availability supplements.
    pub availability_supplement: u64,
    /// Out-of-hours premia.
    pub out_of_hours_premium: u64,
    /// Clinical excellence awards.
    pub clinical_excellence_award: u64,
    /// On-call PAs a week, in the costing's units.
    pub on_call_units: u64,
    /// On-call PAs a week of rows costed exactly ([`Costing::cost_exact`]).
    pub on_call_exact: Decimal,
    /// Consultants by [`RowCost::band_category`].
    pub by_band_category: [u64; 8],
}

impl Totals {
    /// Adds one row's cost.
    #[inline(always)]
    pub fn add(&mut self, c: &RowCost) {
        self.consultants += 1;
        self.basic_salary += c.basic_salary;
        self.extra_pas += c.extra_pas;
        self.availability_supplement += c.availability_supplement;
        self.out_of_hours_premium += c.out_of_hours_premium;
        self.clinical_excellence_award += c.clinical_excellence_award;
        self.on_call_units += c.on_call_units;
        self.by_band_category[usize::from(c.band_category & 7)] += 1;
    }

    /// Adds one exactly costed row ([`Costing::cost_exact`]).
    pub fn add_exact(&mut self, c: &RowCost, on_call: Decimal) {
        self.add(c);
        self.on_call_exact += on_call;
    }

    /// On-call PAs a week, all rows.
    pub fn on_call_pas(&self, costing: &Costing) -> Decimal {
        costing.on_call_pas(self.on_call_units) + self.on_call_exact
    }

    /// Adds another set of totals from the same costing.
    pub fn merge(&mut self, o: &Totals) {
        self.on_call_exact += o.on_call_exact;
        self.consultants += o.consultants;
        self.basic_salary += o.basic_salary;
        self.extra_pas += o.extra_pas;
        self.availability_supplement += o.availability_supplement;
        self.out_of_hours_premium += o.out_of_hours_premium;
        self.clinical_excellence_award += o.clinical_excellence_award;
        self.on_call_units += o.on_call_units;
        for (a, b) in self.by_band_category.iter_mut().zip(o.by_band_category) {
            *a += b;
        }
    }

    /// The pay bill: the sum of the rounded components, in pence.
    pub fn total(&self) -> u64 {
        self.basic_salary
            + self.extra_pas
            + self.availability_supplement
            + self.out_of_hours_premium
            + self.clinical_excellence_award
    }

    /// Superannuable pay (PAY-5), in pence.
    pub fn superannuable(&self) -> u64 {
        self.basic_salary + self.clinical_excellence_award + self.availability_supplement
    }

    /// Consultants in a band, both categories.
    pub fn in_band(&self, b: Band) -> u64 {
        let i = b as usize * 2;
        self.by_band_category[i] + self.by_band_category[i + 1]
    }

    /// Consultants in a band and category (a band other than none).
    pub fn in_band_category(&self, b: Band, c: OnCallCategory) -> u64 {
        self.by_band_category[b as usize * 2 + usize::from(c == OnCallCategory::B)]
    }
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
