//! Rows held column by column, and the sums of their costs.

use super::compile::Costing;
use super::cost::RowCost;
use super::row::Row;
use super::{Band, MAX_BAND_TABLE};
use crate::plan::OnCallCategory;
use rust_decimal::Decimal;

/// Rows held column by column, as costed in bulk ([`Costing::cost_columns`]). The rows are kept in
/// one [`Bucket`] per pay point and award level, in the order they were pushed within each: the
/// full-time salary and the award value are then the same for every row of a bucket, so the bulk
/// costing reads no table per row. The order of rows across buckets does not change any sum.
#[derive(Debug, Clone)]
pub struct Columns {
    buckets: Vec<Bucket>,
    len: usize,
}

/// Rows the bulk costing takes at a time, and the step by which a bucket's columns grow: a
/// multiple of the vector width, and below 256 so that the count of each band and category in a
/// block fits an 8-bit lane.
pub const BLOCK: usize = 240;

/// The rows of one pay point and award level, one column per field. Every value was checked by
/// [`Row::new`]: PAs and hours are at most 168 × 10,000 units (below 2^21), so they are held as
/// `i32` for the bulk costing's 32-bit lanes. Each column is contiguous, so that the costing reads
/// each as one stream the hardware prefetches (rows in blocks of all their fields, tried on 4
/// December 2026, halved the costing's rate). The columns grow [`BLOCK`] rows at a time (zeros
/// past `len`) and are kept when the bucket is cleared, so a bucket reused for chunk after chunk
/// allocates only while it grows, and a row is written in place.
#[derive(Debug, Clone, Default)]
pub struct Bucket {
    /// Category B (bit 0), premium form chosen (bit 1), premium form agreed (bit 2), rota size
    /// (bits 3-14, at most [`MAX_ROTA_COLUMN`]: larger rotas are in the last band whatever their
    /// size).
    pub(super) key: Vec<i32>,
    pub(super) contracted: Vec<i32>,
    pub(super) extra: Vec<i32>,
    pub(super) ooh_pas: Vec<i32>,
    pub(super) emergency_plain: Vec<i32>,
    pub(super) emergency_ooh: Vec<i32>,
    /// Rows held; the columns may be longer.
    len: usize,
}

/// Buckets: one per pay point (8) and award level (0 to 13).
pub(super) const LEVELS: usize = 14;

/// The largest rota size [`Columns`] keeps; the band table is never longer.
pub const MAX_ROTA_COLUMN: u32 = MAX_BAND_TABLE as u32 - 1;

impl Default for Columns {
    fn default() -> Columns {
        Columns {
            buckets: vec![Bucket::default(); 8 * LEVELS],
            len: 0,
        }
    }
}

impl Columns {
    /// Adds a checked row.
    #[inline]
    pub fn push(&mut self, r: &Row) {
        let b = &mut self.buckets[usize::from(r.point) * LEVELS + usize::from(r.cea_level)];
        let i = b.len;
        if i == b.key.len() {
            b.grow();
        }
        // The casts keep every value: a point is below 8, a level below 14 (`Row::new`), PAs and
        // hours below 2^21, and the rota size is capped here.
        b.key[i] = i32::from(r.category_b)
            | (i32::from(r.premium_form) << 1)
            | (i32::from(r.premium_agreed) << 2)
            | ((r.rota_size.min(MAX_ROTA_COLUMN) as i32) << 3);
        b.contracted[i] = r.contracted as i32;
        b.extra[i] = r.extra as i32;
        b.ooh_pas[i] = r.ooh_pas as i32;
        b.emergency_plain[i] = r.emergency_plain as i32;
        b.emergency_ooh[i] = r.emergency_ooh as i32;
        b.len += 1;
        self.len += 1;
    }

    /// Number of rows.
    pub fn len(&self) -> usize {
        self.len
    }

    /// Whether there are no rows.
    pub fn is_empty(&self) -> bool {
        self.len == 0
    }

    /// Removes every row, keeping the allocations.
    pub fn clear(&mut self) {
        for b in &mut self.buckets {
            b.len = 0;
        }
        self.len = 0;
    }

    /// The buckets with their pay point and award level.
    pub(super) fn buckets(&self) -> impl Iterator<Item = (usize, usize, &Bucket)> {
        self.buckets
            .iter()
            .enumerate()
            .filter(|(_, b)| b.len > 0)
            .map(|(i, b)| (i / LEVELS, i % LEVELS, b))
    }
}

impl Bucket {
    /// Number of rows.
    pub(super) fn len(&self) -> usize {
        self.len
    }

    /// Makes room for [`BLOCK`] more rows in every column.
    #[cold]
    fn grow(&mut self) {
        let n = self.key.len() + BLOCK;
        for c in [
            &mut self.key,
            &mut self.contracted,
            &mut self.extra,
            &mut self.ooh_pas,
            &mut self.emergency_plain,
            &mut self.emergency_ooh,
        ] {
            c.resize(n, 0);
        }
    }

    /// Row `i` of a bucket of pay point `point` and award level `level`, as pushed (the rota
    /// size as capped).
    pub(super) fn row(&self, point: usize, level: usize, i: usize) -> Row {
        let k = self.key[i];
        Row {
            point: point as u8,
            cea_level: level as u8,
            category_b: k & 1 != 0,
            premium_form: k & 2 != 0,
            premium_agreed: k & 4 != 0,
            rota_size: (k >> 3) as u32,
            contracted: self.contracted[i] as u32,
            extra: self.extra[i] as u32,
            ooh_pas: self.ooh_pas[i] as u32,
            emergency_plain: self.emergency_plain[i] as u32,
            emergency_ooh: self.emergency_ooh[i] as u32,
        }
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
