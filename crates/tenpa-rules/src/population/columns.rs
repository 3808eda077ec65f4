//! Rows held column by column, and the sums of their costs.

use super::compile::Costing;
use super::cost::RowCost;
use super::row::Row;
use super::{Band, MAX_BAND_TABLE};
use crate::plan::OnCallCategory;
use rust_decimal::Decimal;

/// Rows held column by column, as costed in bulk.
#[derive(Debug, Clone, Default)]
pub struct Columns {
    /// Point (bits 0-2), award level (3-6), category B (7), premium form (8), rota size (9-20,
    /// at most [`MAX_ROTA_COLUMN`]: larger rotas are in the last band whatever their size).
    pub(super) key: Vec<u32>,
    /// Contracted PAs (bits 0-20), extra PAs (21-41), PAs in premium time (42-62), in units.
    pub(super) pas: Vec<u64>,
    /// Emergency hours in plain time (bits 0-20) and premium time (21-41), in units.
    pub(super) hours: Vec<u64>,
}

/// One in the 8-bit lane of each band and category code.
pub(super) const LANE: [u64; 8] = [
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

pub(super) const FIELD: u64 = (1 << 21) - 1;

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
