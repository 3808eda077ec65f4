//! The bulk costing of [`Columns`]: the figures of [`Costing::cost`], many rows at a time.
//!
//! The rows of a [`Bucket`] share a pay point and an award level, so the full-time salary and the
//! award value are constants of the loop and no table is read per row. Each block of [`BLOCK`]
//! rows is costed in four passes over its columns (pay; rota band and form; premium; on-call
//! PAs), each a plain loop over `i32` and `f64` values without a branch on the row, which the
//! compiler turns into vector instructions. The loops run inside [`pulp`]'s dispatch, which picks
//! the widest vector instructions the processor has (AVX2 and FMA on current x86-64) at run time
//! and compiles the same source for each; the workspace's own code stays free of `unsafe`.
//!
//! ## Why the figures are those of [`Costing::cost`], exactly
//!
//! Each money component is `floor(t / D)` for a whole number `t = 2a + d` and `D = 2d`, where `a /
//! d` is the exact rational of the module documentation (e.g. `a = ft × min(C, F × UNITS)` and `d =
//! F × UNITS` for the basic salary), which is how [`super::RoundDiv`] rounds half up. Here `t` is
//! computed in `f64`: `ft × 2c` is a product of two whole numbers, and every product and sum
//! below 2^53 is exact in `f64`. [`Lanes::new`] refuses parameters for which the largest `t`, plus
//! `D`, could reach 2^53 (the cost then goes row by row), using the largest values the row
//! checks allow ([`MAX_WEEKLY`] hours or PAs, the full-time PAs).
//!
//! [`Div::floor`] then finds `k = floor(t / D)` exactly for `0 ≤ t`, `t + D < 2^53`, `D ≥ 4`:
//! 1. `e = t × inv`, with `inv` the `f64` nearest `1 / D`: two roundings to nearest, each off by
//!    a factor of at most `1 ± 2^-53`, so `|e - t / D| < (t / D) × 2^-51.9 < 1/2`, since
//!    `t / D < 2^53 / 4`.
//! 2. `y = e + 2^52` rounds `e` to a whole number (the spacing of `f64` between 2^52 and 2^53 is
//!    1), so `q = y - 2^52` is exact and, by 1, `q` is `k` or `k + 1`.
//! 3. `q × D ≤ (k + 1) × D ≤ t + D < 2^53` is exact, so `t < q × D` holds exactly when `q = k +
//!    1`; subtracting it leaves `k`.
//!
//! The bits of `y` are those of 2^52 plus `q` (the exponent does not change), so the sum of `y`'s
//! bits less one per row, taken modulo 2^64, is the exact sum of the `k`. The property test
//! `floor_is_exact_at_the_bounds` checks `Div::floor` against integer division at and near the
//! largest `t` each divisor allows, and the tests of the population costing compare this kernel
//! with [`Costing::cost`] row by row.
//!
//! The rest is `i32` arithmetic on values the row checks keep below 2^21: the PA-equivalents of
//! premium time `x = PAs × PA length + hours` (below 2^31 while the PA length is at most 1,000
//! hours), compared with the thresholds `ceil((2n - 1) × D' / 2)` at which `x / D'` rounds half up
//! to `n` or more (`D'` the PA length in units), and the on-call units `plain × k + premium-time ×
//! k'`, whose bound [`Lanes::new`] checks. The availability supplement depends only on the point,
//! band and category: it is the count of rows of each band and category in a bucket times the
//! supplement.
//!
//! [`MAX_WEEKLY`]: super::MAX_WEEKLY

use super::columns::{Bucket, Columns, Totals};
use super::compile::Costing;
use super::{MAX_BAND_TABLE, MAX_WEEKLY, UNITS};

/// Rows costed per block: a multiple of the vector width, and below 256 so that the count of each
/// band and category fits the 8-bit lanes of one `u64`.
const BLOCK: usize = 240;

/// The most premium steps the kernel holds (the contract has 3).
const MAX_STEPS: usize = 4;

const TWO_52: f64 = 4_503_599_627_370_496.0;

/// Values of `f64` below this are exact whole numbers, and so are their sums and products below it.
const EXACT: u128 = 1 << 53;

/// A division rounded half up, `floor((2a + d) / 2d)`, in `f64`: see the module documentation.
#[derive(Debug, Clone, Copy)]
struct Div {
    /// `d`
    d: f64,
    /// `D = 2d`
    dd: f64,
    /// The `f64` nearest `1 / D`.
    inv: f64,
    /// The largest `t` allowed: `t + D < 2^53`.
    max_t: u128,
}

impl Div {
    fn new(d: u64) -> Option<Div> {
        let dd = u128::from(d) * 2;
        (d >= 2 && dd < EXACT).then(|| Div {
            d: d as f64,
            dd: dd as f64,
            inv: 1.0 / dd as f64,
            max_t: EXACT - 1 - dd,
        })
    }

    /// Whether `t = 2a + d` stays in range for every `a` up to `largest`.
    fn allows(&self, largest: u128) -> bool {
        2 * largest + self.d as u128 <= self.max_t
    }

    /// `floor(t / D)` plus the bits of 2^52, for a whole `t` with `0 ≤ t ≤ max_t`.
    #[inline(always)]
    fn floor(&self, t: f64) -> u64 {
        let y = t * self.inv + TWO_52;
        let q = y - TWO_52;
        y.to_bits().wrapping_sub(u64::from(t < q * self.dd))
    }
}

/// A costing's figures as the kernel uses them.
#[derive(Debug, Clone)]
pub(super) struct Lanes {
    full_time: [f64; 8],
    cea: [f64; 16],
    /// Full-time PAs in units.
    full: i32,
    pay: Div,
    premium: Div,
    pa_hours: i32,
    /// `x` from which each premium step applies (`i32::MAX` for none) and its increase of the
    /// percentage (times 10^scale).
    steps: [i32; MAX_STEPS],
    deltas: [i32; MAX_STEPS],
    /// The first rota size of band code 1, 2 and 3 (`i32::MAX` for none).
    band_from: [i32; 3],
    /// OOH-3: bit 0 set when the premium form counts without agreement on the date.
    unagreed: i32,
    on_call_plain: i32,
    on_call_ooh: [i32; 2],
    on_call_cap: i32,
    on_call_min: i32,
}

impl Lanes {
    /// The kernel's figures for `c`, or `None` when a bound of the module documentation does not
    /// hold for its parameters. `percents` are the premium form's percentages by rounded
    /// PA-equivalents (0, 1, 2 …) in the units of `c`'s premium table, empty when none is paid.
    pub(super) fn new(c: &Costing, percents: &[u64]) -> Option<Lanes> {
        let weekly = u128::from(MAX_WEEKLY * UNITS);
        let full = u128::from(c.full_time_units);
        let max_ft = u128::from(*c.full_time.iter().max()?);
        let max_cea = u128::from(*c.cea.iter().max()?);
        let pay = Div::new(c.pay_div.divisor())?;
        let premium = Div::new(c.premium_div.divisor())?;
        let max_percent = u128::from(percents.iter().copied().max().unwrap_or(0));
        let bounds = pay.allows(max_ft * weekly.max(full))
            && pay.allows(max_cea * full)
            && premium.allows(max_ft * max_percent * full)
            && 2 * weekly.max(full) < 1 << 31;
        if !bounds {
            return None;
        }

        // OOH-2: n ≥ k exactly when x ≥ ceil((2k - 1) × D' / 2), D' the PA length in units.
        let step = c.pa_hours * UNITS;
        let pa_hours = i32::try_from(c.pa_hours).ok()?;
        if weekly * u128::from(c.pa_hours + 1) >= 1 << 31
            || percents.len() > MAX_STEPS + 1
            || percents.first().is_some_and(|&p| p != 0)
        {
            return None;
        }
        let mut steps = [i32::MAX; MAX_STEPS];
        let mut deltas = [0i32; MAX_STEPS];
        for k in 1..percents.len() {
            steps[k - 1] = i32::try_from(((2 * k as u64 - 1) * step).div_ceil(2)).ok()?;
            deltas[k - 1] = i32::try_from(percents[k]).ok()? - i32::try_from(percents[k - 1]).ok()?;
        }

        // OC-6: the bands as thresholds of rota size, if the table is in increasing order.
        let mut band_from = [i32::MAX; 3];
        for (k, slot) in band_from.iter_mut().enumerate() {
            if let Some(r) = c.band_of.iter().position(|&b| usize::from(b) > k) {
                *slot = r as i32;
            }
        }
        let code = |r: usize| band_from.iter().filter(|&&t| r as i32 >= t).count();
        if (0..MAX_BAND_TABLE).any(|r| code(r) != usize::from(c.band_of[r])) {
            return None;
        }

        // OC-2, OC-3, OC-4: on-call units in 32 bits.
        let most = weekly * u128::from(c.on_call_plain + c.on_call_ooh[0].max(c.on_call_ooh[1]));
        if most >= 1 << 31 {
            return None;
        }
        let to_i32 = |v: u64| i32::try_from(v).ok();
        Some(Lanes {
            full_time: c.full_time.map(|v| v as f64),
            cea: c.cea.map(|v| v as f64),
            full: to_i32(c.full_time_units)?,
            pay,
            premium,
            pa_hours,
            steps,
            deltas,
            band_from,
            unagreed: i32::from(c.form_applied[1]),
            on_call_plain: to_i32(c.on_call_plain)?,
            on_call_ooh: [to_i32(c.on_call_ooh[0])?, to_i32(c.on_call_ooh[1])?],
            on_call_cap: c.on_call_cap.min(most as u64) as i32,
            on_call_min: c.on_call_min.min(2 * weekly as u64 + 1) as i32,
        })
    }

    /// Costs every row of `columns` into `totals`.
    pub(super) fn cost(&self, costing: &Costing, columns: &Columns, totals: &mut Totals) {
        let arch = pulp::Arch::new();
        for (point, level, bucket) in columns.buckets() {
            let mut s = Sums::default();
            arch.dispatch(Kernel {
                lanes: self,
                full_time: self.full_time[point],
                cea: self.cea[level],
                bucket,
                sums: &mut s,
            });
            let n = bucket.len() as u64;
            let offset = n.wrapping_mul(TWO_52.to_bits());
            totals.consultants += n;
            totals.basic_salary += s.basic.wrapping_sub(offset);
            totals.extra_pas += s.extra.wrapping_sub(offset);
            totals.clinical_excellence_award += s.award.wrapping_sub(offset);
            totals.out_of_hours_premium += s.premium.wrapping_sub(offset);
            totals.on_call_units += s.on_call;
            for (code, &count) in s.by_code.iter().enumerate() {
                totals.by_band_category[code] += count;
                totals.availability_supplement += count * costing.availability[point][code];
            }
        }
    }
}

/// A bucket's sums: money as bits of `f64` (see [`Div::floor`]), on-call units, rows by band and
/// category code.
#[derive(Default)]
struct Sums {
    basic: u64,
    extra: u64,
    award: u64,
    premium: u64,
    on_call: u64,
    by_code: [u64; 8],
}

struct Kernel<'a> {
    lanes: &'a Lanes,
    full_time: f64,
    cea: f64,
    bucket: &'a Bucket,
    sums: &'a mut Sums,
}

impl pulp::WithSimd for Kernel<'_> {
    type Output = ();

    #[inline(always)]
    fn with_simd<S: pulp::Simd>(self, _simd: S) {
        let (l, b, s) = (self.lanes, self.bucket, self.sums);
        // Per row of a block: all ones when the premium form is costed (OOH-3 applied), and when
        // the row is on a rota.
        let mut form = [0i32; BLOCK];
        let mut on = [0i32; BLOCK];
        let mut start = 0;
        while start < b.len() {
            let r = start..b.len().min(start + BLOCK);
            let n = r.len();
            pay(l, self.full_time, self.cea, &b.contracted[r.clone()], &b.extra[r.clone()], s);
            bands(l, &b.key[r.clone()], &mut form[..n], &mut on[..n], s);
            premium(
                l,
                self.full_time,
                (&form[..n], &on[..n]),
                (&b.contracted[r.clone()], &b.ooh_pas[r.clone()], &b.emergency_ooh[r.clone()]),
                s,
            );
            on_call(
                l,
                (&form[..n], &on[..n]),
                (&b.emergency_plain[r.clone()], &b.emergency_ooh[r]),
                s,
            );
            start += n;
        }
    }
}

/// PAY-3, CEA-3: basic salary, extra PAs and the award, pro rata to contracted PAs (at most the
/// full-time PAs).
#[inline(always)]
fn pay(l: &Lanes, ft: f64, cea: f64, contracted: &[i32], extra: &[i32], s: &mut Sums) {
    let n = contracted.len();
    let (contracted, extra) = (&contracted[..n], &extra[..n]);
    let (mut basic, mut extra_pas, mut award) = (0u64, 0u64, 0u64);
    for i in 0..n {
        let c2 = f64::from(2 * contracted[i].min(l.full));
        basic = basic.wrapping_add(l.pay.floor(ft * c2 + l.pay.d));
        extra_pas = extra_pas.wrapping_add(l.pay.floor(ft * f64::from(2 * extra[i]) + l.pay.d));
        award = award.wrapping_add(l.pay.floor(cea * c2 + l.pay.d));
    }
    s.basic = s.basic.wrapping_add(basic);
    s.extra = s.extra.wrapping_add(extra_pas);
    s.award = s.award.wrapping_add(award);
}

/// OC-6 and OOH-3: each row's band and category, counted; the masks of the form costed and of
/// being on a rota.
#[inline(always)]
fn bands(l: &Lanes, key: &[i32], form: &mut [i32], on: &mut [i32], s: &mut Sums) {
    let n = key.len();
    let (key, form, on) = (&key[..n], &mut form[..n], &mut on[..n]);
    let [b1, b2, b3] = l.band_from;
    // One 8-bit count per band and category code; a block has fewer than 256 rows.
    let mut counts = 0u64;
    for i in 0..n {
        let k = key[i];
        let rota = k >> 3;
        let on_rota = i32::from(rota >= b1);
        let band = on_rota + i32::from(rota >= b2) + i32::from(rota >= b3);
        counts += 1u64 << ((band * 2 + (k & on_rota & 1)) * 8);
        on[i] = -on_rota;
        form[i] = -((k >> 1) & ((k >> 2) | l.unagreed) & 1);
    }
    for (code, count) in s.by_code.iter_mut().enumerate() {
        *count += (counts >> (code * 8)) & 0xFF;
    }
}

/// OOH-2: the premium, by the PA-equivalents of premium-time PAs and emergency hours on a rota.
#[inline(always)]
fn premium(
    l: &Lanes,
    ft: f64,
    (form, on): (&[i32], &[i32]),
    (contracted, ooh_pas, ooh): (&[i32], &[i32], &[i32]),
    s: &mut Sums,
) {
    let n = form.len();
    let (form, on, contracted, ooh_pas, ooh) = (
        &form[..n],
        &on[..n],
        &contracted[..n],
        &ooh_pas[..n],
        &ooh[..n],
    );
    let mut sum = 0u64;
    for i in 0..n {
        let x = ooh_pas[i] * l.pa_hours + (ooh[i] & on[i]);
        let mut percent = 0;
        for k in 0..MAX_STEPS {
            percent += l.deltas[k] & -i32::from(x >= l.steps[k]);
        }
        let c2 = f64::from(2 * contracted[i].min(l.full));
        let a2 = ft * f64::from(percent & form[i]) * c2;
        sum = sum.wrapping_add(l.premium.floor(a2 + l.premium.d));
    }
    s.premium = s.premium.wrapping_add(sum);
}

/// OC-2, OC-3, OC-4: on-call PAs from emergency work on a rota, in units, capped, and none below
/// the weekly minimum.
#[inline(always)]
fn on_call(l: &Lanes, (form, on): (&[i32], &[i32]), (plain, ooh): (&[i32], &[i32]), s: &mut Sums) {
    let n = form.len();
    let (form, on, plain, ooh) = (&form[..n], &on[..n], &plain[..n], &ooh[..n]);
    let [ko_time, ko_premium] = l.on_call_ooh;
    let mut sum = 0u64;
    for i in 0..n {
        let p = plain[i] & on[i];
        let o = ooh[i] & on[i];
        let hours = p + o;
        let counted = -i32::from(hours == 0 || hours >= l.on_call_min);
        let ko = (ko_premium & form[i]) | (ko_time & !form[i]);
        let units = (p * l.on_call_plain + o * ko).min(l.on_call_cap) & counted;
        sum += units as u64;
    }
    s.on_call += sum;
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn exact(t: u128, dd: u128) -> u64 {
        (t / dd) as u64
    }

    fn check(d: u64, t: u128) {
        let div = Div::new(d).unwrap();
        let got = div.floor(t as f64).wrapping_sub(TWO_52.to_bits());
        assert_eq!(got, exact(t, 2 * u128::from(d)), "t = {t}, d = {d}");
    }

    /// Source: the proof of the module documentation, at the divisors the contract uses (10 PAs,
    /// premium steps in tenths of a percent) and at the extremes `Div::new` accepts.
    #[test]
    fn floor_is_exact_at_the_bounds() {
        for d in [2, 3, 7, 100_000, 80_000, 100_000_000, 80_000_000_000, (1 << 51) - 1] {
            let max = Div::new(d).unwrap().max_t;
            for t in [0, 1, max, max - 1, max / 2, max / 3] {
                check(d, t);
            }
            // Each side of the multiples of D near the top, where the estimate is least precise.
            let dd = 2 * u128::from(d);
            for j in 1..(max / dd).min(2_000) {
                let m = (max / dd - j) * dd;
                for t in [m - 1, m, m + 1] {
                    check(d, t);
                }
            }
        }
    }

    proptest! {
        /// Source: the proof of the module documentation, anywhere in range.
        #[test]
        fn floor_is_integer_division(d in 2u64..(1 << 51), f in 0.0f64..=1.0) {
            let max = Div::new(d).unwrap().max_t;
            let t = ((max as f64) * f) as u128;
            check(d, t.min(max));
        }
    }
}
