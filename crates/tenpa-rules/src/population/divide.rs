//! Exact division rounded half up, by a divisor read from the parameters or known when the
//! program is built.

use super::UNITS;

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
pub(super) trait Divisors: Copy {
    fn pay(self, a: u64) -> u64;
    fn step(self, a: u64) -> u64;
    fn premium(self, a: u64) -> u64;
    fn pa_hours(self) -> u64;
}

/// Divisors read from the parameters, by [`RoundDiv`].
#[derive(Clone, Copy)]
pub(super) struct Runtime {
    pub(super) pay: RoundDiv,
    pub(super) step: RoundDiv,
    pub(super) premium: RoundDiv,
    pub(super) pa_hours: u64,
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
pub(super) struct Fixed<const PAY: u64, const STEP: u64, const PREMIUM: u64>;

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
pub(super) const CONTRACT: Fixed<{ 10 * UNITS }, { 4 * UNITS }, { 10 * UNITS * 100 * 10 }> = Fixed;
