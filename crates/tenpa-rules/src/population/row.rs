//! A row of the population file, checked: in fixed-point units, or in exact decimals.

use super::{units_to_decimal, Field, RowError, MAX_WEEKLY, UNITS};
use crate::plan::{OnCallCategory, Recognition};
use rust_decimal::Decimal;

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
    /// Whether the consultant agreed the premium form (`premium_agreed`; false when the file has no
    /// such column), which OOH-3 asks of the premium form from 1 April 2006.
    pub premium_agreed: bool,
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
    pub(super) point: u8,
    pub(super) cea_level: u8,
    pub(super) category_b: bool,
    pub(super) premium_form: bool,
    pub(super) premium_agreed: bool,
    pub(super) rota_size: u32,
    pub(super) contracted: u32,
    pub(super) extra: u32,
    pub(super) ooh_pas: u32,
    pub(super) emergency_plain: u32,
    pub(super) emergency_ooh: u32,
}

impl Row {
    /// Checks a row; the error names the first column out of range.
    ///
    /// Every check is made at once, without a branch on the row's values (a file's rows mix
    /// rotas and categories, which a branch would mispredict); a row that fails any is checked
    /// again one column at a time by [`Row::check`], which names the first.
    #[inline]
    pub fn new(r: RowInput) -> Result<Row, RowError> {
        let max = MAX_WEEKLY * UNITS;
        let largest = r
            .contracted
            .max(r.extra)
            .max(r.ooh_pas)
            .max(r.emergency_plain)
            .max(r.emergency_ooh);
        let fails = (r.point > 7)
            | (r.contracted == 0)
            | (largest > max)
            | (r.rota_size > u64::from(u32::MAX))
            | ((r.rota_size != 0) & r.category.is_none())
            | (r.cea_level > 13);
        if fails {
            return Row::check(r);
        }
        // The casts keep every value, as checked above.
        Ok(Row {
            point: r.point as u8,
            cea_level: r.cea_level as u8,
            category_b: r.category == Some(OnCallCategory::B),
            premium_form: r.recognition == Recognition::Premium,
            premium_agreed: r.premium_agreed,
            rota_size: r.rota_size as u32,
            contracted: r.contracted as u32,
            extra: r.extra as u32,
            ooh_pas: r.ooh_pas as u32,
            emergency_plain: r.emergency_plain as u32,
            emergency_ooh: r.emergency_ooh as u32,
        })
    }

    /// Checks a row one column at a time, in the file's documented order: the reference for
    /// [`Row::new`], and its way of naming the first column out of range.
    #[cold]
    pub(crate) fn check(r: RowInput) -> Result<Row, RowError> {
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
            premium_agreed: r.premium_agreed,
            rota_size,
            contracted,
            extra,
            ooh_pas,
            emergency_plain,
            emergency_ooh,
        })
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
            premium_agreed: self.premium_agreed,
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
    /// Whether the consultant agreed the premium form (`premium_agreed`; false when the file has no
    /// such column), which OOH-3 asks of the premium form from 1 April 2006.
    pub premium_agreed: bool,
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
    pub(super) point: u8,
    pub(super) cea_level: u8,
    pub(super) category_b: bool,
    pub(super) premium_form: bool,
    pub(super) premium_agreed: bool,
    pub(super) rota_size: u32,
    pub(super) contracted: Decimal,
    pub(super) extra: Decimal,
    pub(super) ooh_pas: Decimal,
    pub(super) emergency_plain: Decimal,
    pub(super) emergency_ooh: Decimal,
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
            premium_agreed: r.premium_agreed,
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
            premium_agreed: whole.premium_agreed,
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
            premium_agreed: r.premium_agreed,
            rota_size: r.rota_size,
            contracted: units_to_decimal(r.contracted.into()),
            extra: units_to_decimal(r.extra.into()),
            ooh_pas: units_to_decimal(r.ooh_pas.into()),
            emergency_plain: units_to_decimal(r.emergency_plain.into()),
            emergency_ooh: units_to_decimal(r.emergency_ooh.into()),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    /// Values at and around each check's bounds.
    fn edge(max: u64) -> impl Strategy<Value = u64> {
        prop_oneof![
            Just(0),
            Just(1),
            Just(max.saturating_sub(1)),
            Just(max),
            Just(max + 1),
            0..=max + 2,
            any::<u64>(),
        ]
    }

    fn category() -> impl Strategy<Value = Option<OnCallCategory>> {
        prop_oneof![
            Just(None),
            Just(Some(OnCallCategory::A)),
            Just(Some(OnCallCategory::B))
        ]
    }

    proptest! {
        /// Source: `Row::new` checks every column at once: it takes exactly the rows the checks
        /// one column at a time take, to the same row, and names the same first column of the
        /// rest.
        #[test]
        fn new_is_the_checks_one_column_at_a_time(
            point in edge(7),
            contracted in edge(MAX_WEEKLY * UNITS),
            extra in edge(MAX_WEEKLY * UNITS),
            rota_size in prop_oneof![edge(20), Just(u64::from(u32::MAX)), Just(u64::from(u32::MAX) + 1)],
            category in category(),
            ooh_pas in edge(MAX_WEEKLY * UNITS),
            premium in any::<bool>(),
            premium_agreed in any::<bool>(),
            emergency_plain in edge(MAX_WEEKLY * UNITS),
            emergency_ooh in edge(MAX_WEEKLY * UNITS),
            cea_level in edge(13),
        ) {
            let r = RowInput {
                point,
                contracted,
                extra,
                rota_size,
                category,
                ooh_pas,
                recognition: if premium { Recognition::Premium } else { Recognition::Time },
                premium_agreed,
                emergency_plain,
                emergency_ooh,
                cea_level,
            };
            prop_assert_eq!(Row::new(r), Row::check(r));
        }
    }
}
