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
//! Each money component is `a / d` rounded to the nearest whole number, halves up, for whole
//! numbers `a` and `d` as in the module documentation (e.g. `a = ft × min(C, F × UNITS)`, `d = F ×
//! UNITS` for the basic salary; for the premium, `a` and `d` are both divided by the greatest common
//! divisor of `d` and the percentages). Here `a` is a product of whole numbers in `f64`, exact
//! below 2^53. [`Div::round`] then computes `e = a × m` in `f64`, where `m × d = 1 + δ` with `2^-52
//! ≤ δ ≤ 2^-49` (checked exactly in [`Div::new`]), and rounds `e` to the nearest whole number by
//! adding 2^52 (between 2^52 and 2^53 the spacing of `f64` is 1). Write `x = a / d` and `j` for
//! its whole part; `e = x (1 + δ)(1 + η)` with `|η| ≤ 2^-53` the product's rounding.
//! 1. If `x = j + 1/2` (a half), `a × m ≥ x + x × 2^-52`, at least the next `f64` above `x`, so
//!    `e > j + 1/2` and it rounds up, as half up should.
//! 2. Otherwise `x` differs from `j + 1/2` by at least `1 / 2d` (`2a` and `d` are whole). If `x`
//!    is below, `e < x + x (δ + 2^-52) ≤ x + 1 / 2d ≤ j + 1/2` whenever `2a (δ + 2^-52) < 1`,
//!    which [`Div::new`] turns into the largest `a` it allows, and [`Lanes::new`] checks against
//!    the largest `a` the row checks allow; `e` then rounds down to `j` (and not below, as `e ≥
//!    x ≥ j`). If `x` is above, `e ≥ x > j + 1/2` rounds up to `j + 1` (and not beyond, by the
//!    same bound for `j + 1`).
//!
//! So `e` is never a half, and rounds to `a / d` rounded half up. The bits of `e + 2^52` are those
//! of 2^52 plus that number (the exponent does not change, `e < 2^51`), so the sum of the bits less
//! 2^52's bits once per row, modulo 2^64, is the exact sum. The property tests of this module
//! check [`Div::round`] against integer division at and near the largest `a`, and the tests of the
//! population costing compare this kernel with [`Costing::cost`] row by row, at the bounds too.
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

use super::columns::{Bucket, Columns, Totals, BLOCK};
use super::compile::{gcd, Costing};
use super::{MAX_BAND_TABLE, MAX_WEEKLY, UNITS};

/// The most premium steps the kernel holds (the contract has 3).
const MAX_STEPS: usize = 4;

const TWO_52: f64 = 4_503_599_627_370_496.0;

/// A division rounded half up, `a / d`, in `f64`: see the module documentation.
#[derive(Debug, Clone, Copy)]
struct Div {
    /// `m`, a little above `1 / d`.
    m: f64,
    /// The largest `a` allowed.
    max_a: u128,
}

impl Div {
    /// A divider by `d`, or `None` if the `f64` near `1 / d` cannot be made exact enough.
    fn new(d: u64) -> Option<Div> {
        if d == 0 || d >= 1 << 52 {
            return None;
        }
        // Three steps of the `f64` spacing above the nearest: δ between 2^-52 and 2^-49.
        let m = f64::from_bits((1.0 / d as f64).to_bits() + 3);
        // m = mantissa × 2^-k exactly; δ = (mantissa × d - 2^k) / 2^k.
        let bits = m.to_bits();
        let exponent = ((bits >> 52) & 0x7FF) as i32 - 1075;
        let mantissa = u128::from((bits & ((1 << 52) - 1)) | (1 << 52));
        let k = u32::try_from(-exponent).ok().filter(|k| *k < 120)?;
        let over = (mantissa * u128::from(d)).checked_sub(1 << k)?;
        // 2^-52 ≤ δ ≤ 2^-49.
        if over << 52 < 1 << k || over << 49 > 1 << k {
            return None;
        }
        // 2a (δ + 2^-52) < 1, i.e. a < 2^k / (2 (over + 2^(k-52))), a little less to spare.
        let max_a = (1u128 << k) / (2 * (over + (1 << (k - 52)))) - 1;
        Some(Div { m, max_a })
    }

    /// Whether every `a` up to `largest` is allowed.
    fn allows(&self, largest: u128) -> bool {
        largest <= self.max_a
    }

    /// `a / d` rounded half up, plus the bits of 2^52, for a whole `a` with `0 ≤ a ≤ max_a`.
    #[inline(always)]
    fn round(&self, a: f64) -> u64 {
        (a * self.m + TWO_52).to_bits()
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
        // The premium's fraction in lowest terms over the percentages (tenths of a percent and
        // the contract's 10 PAs: 33 / 10^7 for 3.3%, rather than 330 / 10^8).
        let g = percents
            .iter()
            .fold(c.premium_div.divisor(), |g, &p| gcd(g, p));
        let percents: Vec<u64> = percents.iter().map(|p| p / g).collect();
        let premium = Div::new(c.premium_div.divisor() / g)?;
        let max_percent = u128::from(percents.iter().copied().max().unwrap_or(0));
        let bounds = pay.allows(max_ft * weekly.max(full))
            && pay.allows(max_cea * full)
            && premium.allows(max_ft * max_percent * full)
            && weekly.max(full) < 1 << 31;
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
            deltas[k - 1] =
                i32::try_from(percents[k]).ok()? - i32::try_from(percents[k - 1]).ok()?;
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

/// A bucket's sums: money as bits of `f64` (see [`Div::round`]), on-call units, rows by band and
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
            pay(
                l,
                self.full_time,
                self.cea,
                &b.contracted[r.clone()],
                &b.extra[r.clone()],
                s,
            );
            bands(l, &b.key[r.clone()], &mut form[..n], &mut on[..n], s);
            premium(
                l,
                self.full_time,
                (&form[..n], &on[..n]),
                (
                    &b.contracted[r.clone()],
                    &b.ooh_pas[r.clone()],
                    &b.emergency_ooh[r.clone()],
                ),
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
        let c = f64::from(contracted[i].min(l.full));
        basic = basic.wrapping_add(l.pay.round(ft * c));
        extra_pas = extra_pas.wrapping_add(l.pay.round(ft * f64::from(extra[i])));
        award = award.wrapping_add(l.pay.round(cea * c));
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
        let c = f64::from(contracted[i].min(l.full));
        sum = sum.wrapping_add(l.premium.round(ft * f64::from(percent & form[i]) * c));
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

    /// `a / d` rounded half up, in integers.
    fn check(d: u64, a: u128) {
        let div = Div::new(d).unwrap();
        let want = ((2 * a + u128::from(d)) / (2 * u128::from(d))) as u64;
        let got = div.round(a as f64).wrapping_sub(TWO_52.to_bits());
        assert_eq!(got, want, "a = {a}, d = {d}");
    }

    /// Source: the proof of the module documentation, at the divisors the contract uses (10 PAs
    /// in units; the premium in lowest terms) and others, at and near the largest `a` allowed,
    /// where the estimate is least precise, and at the halves.
    #[test]
    fn round_is_exact_at_the_bounds() {
        for d in [
            1,
            2,
            3,
            7,
            80_000,
            100_000,
            10_000_000,
            80_000_000_000,
            (1 << 40) + 1,
        ] {
            let div = Div::new(d).unwrap();
            let max = div.max_a;
            assert!(max >= 1 << 47, "d = {d}: {max}");
            for a in [0, 1, max, max - 1, max / 2, max / 3] {
                check(d, a);
            }
            let d = u128::from(d);
            for j in 1..(max / d).min(3_000) {
                // Each side of a whole number and of a half, from the top down.
                let w = (max / d - j) * d;
                for a in [w - 1, w, w + 1, w + d / 2 - 1, w + d / 2, w + d / 2 + 1] {
                    if a <= max {
                        check(d as u64, a);
                    }
                }
            }
        }
    }

    proptest! {
        /// Source: the proof of the module documentation, anywhere in range.
        #[test]
        fn round_is_integer_division_rounded_half_up(d in 1u64..(1 << 45), f in 0.0f64..=1.0) {
            let max = Div::new(d).unwrap().max_a;
            check(d, ((max as f64) * f) as u128 % (max + 1));
        }
    }
}
