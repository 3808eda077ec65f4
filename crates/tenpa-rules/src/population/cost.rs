//! Costing a row, and many rows from [`Columns`].

use super::columns::{Columns, Totals};
use super::compile::Costing;
use super::divide::{Divisors, Runtime, CONTRACT};
use super::row::{ExactRow, Row};
use super::{Band, BandTerms, MAX_BAND_TABLE, PREMIUM_N};
use crate::finding::Findings;
use crate::money::Money;
use crate::plan::Nation;
use crate::{excellence_awards, on_call, out_of_hours, pay};
use chrono::NaiveDate;
use rust_decimal::Decimal;

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

impl Costing {
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
        let form = self.form_applied(r.premium_form, r.premium_agreed);
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
        let form = self.form_applied(r.premium_form, r.premium_agreed);

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
        let on_call_units = raw.min(self.on_call_cap) & (u64::from(below).wrapping_sub(1));

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

    /// The form a row is costed under (0 reduced hours, 1 premium), OOH-3 applied.
    #[inline(always)]
    fn form_applied(&self, premium_form: bool, agreed: bool) -> usize {
        usize::from(self.form_applied[usize::from(premium_form) | usize::from(agreed) << 1])
    }

    /// Costs every row of `columns` into `totals`: with the bulk kernel (eight or more rows at a time) when
    /// the parameters are within its proven range (the contract's are), else row by row.
    pub fn cost_columns(&self, columns: &Columns, totals: &mut Totals) {
        match &self.lanes {
            Some(lanes) => lanes.cost(self, columns, totals),
            None => self.cost_columns_by_row(columns, totals),
        }
    }

    /// Costs every row of `columns` into `totals` one row at a time with [`Costing::cost`]: the
    /// bulk kernel's reference, and its stand-in for parameters outside its range.
    pub fn cost_columns_by_row(&self, columns: &Columns, totals: &mut Totals) {
        for (point, level, bucket) in columns.buckets() {
            for i in 0..bucket.len() {
                totals.add(&self.cost(&bucket.row(point, level, i)));
            }
        }
    }

    /// Whether [`Costing::cost_columns`] uses the bulk kernel for these parameters.
    pub fn costs_in_bulk(&self) -> bool {
        self.lanes.is_some()
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
