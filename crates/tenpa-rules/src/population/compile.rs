//! [`Costing::compile`]: the rules for one date and one set of parameters, as integer tables.

use super::divide::RoundDiv;
use super::lanes::Lanes;
use super::recognition_applied;
use super::{Band, MAX_BAND_TABLE, MAX_WEEKLY, PREMIUM_N, UNITS};
use crate::finding::Findings;
use crate::money::Money;
use crate::on_call;
use crate::out_of_hours;
use crate::parameters::{LookupError, Parameters};
use crate::pay;
use crate::plan::{Nation, OnCallCategory, PayPoint, Recognition};
use crate::{excellence_awards, working_week};
use chrono::NaiveDate;
use rust_decimal::prelude::ToPrimitive;
use rust_decimal::Decimal;

/// The rules' decimal figures, for [`Costing::cost_exact`].
#[derive(Debug, Clone)]
pub(super) struct Exact {
    pub(super) full_time: [Decimal; 8],
    pub(super) full_time_pas: Decimal,
    pub(super) pa_hours: Decimal,
    /// By form (time, premium).
    pub(super) recognised: [out_of_hours::Recognised; 2],
    /// Whether the premium is paid, by form (OOH-1, OOH-2).
    pub(super) premium: [bool; 2],
    pub(super) steps: Vec<Decimal>,
    pub(super) cap: Decimal,
    pub(super) excess: Decimal,
    pub(super) minimum: Decimal,
    pub(super) levels: Vec<Decimal>,
    pub(super) nations: Vec<String>,
}

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
    pub(super) applied_on: NaiveDate,
    pub(super) pay_year: String,
    pub(super) notes: Vec<String>,
    pub(super) funding_target_percent: Decimal,
    pub(super) funding_target_cite: String,
    pub(super) full_time: [u64; 8],
    pub(super) full_time_units: u64,
    pub(super) pay_div: RoundDiv,
    /// Band code of each rota size up to [`MAX_BAND_TABLE`] - 1; larger ones share the last.
    pub(super) band_of: Box<[u8; MAX_BAND_TABLE]>,
    pub(super) bands: Vec<BandTerms>,
    pub(super) availability: [[u64; 8]; 8],
    pub(super) cea: [u64; 16],
    /// `full time × percent × 10^s` by form, point and rounded PA-equivalents (at index
    /// `(form × 8 + point) × PREMIUM_N + n`); past the last step, the last step (OOH-4).
    pub(super) premium: Box<[u64; 2 * 8 * PREMIUM_N]>,
    pub(super) step_div: RoundDiv,
    pub(super) premium_div: RoundDiv,
    pub(super) pa_hours: u64,
    pub(super) on_call_plain: u64,
    pub(super) on_call_ooh: [u64; 2],
    pub(super) on_call_cap: u64,
    pub(super) on_call_min: u64,
    pub(super) on_call_unit: u64,
    pub(super) contract_divisors: bool,
    /// The form costed (0 reduced hours, 1 premium) by premium form chosen (bit 0) and agreed
    /// (bit 1): OOH-3 applied on the date.
    pub(super) form_applied: [u8; 4],
    /// The bulk kernel's figures, when the parameters are within its proven range.
    pub(super) lanes: Option<Box<Lanes>>,
    /// All ones on a rota, zero otherwise, by band code.
    pub(super) on_rota: [u64; 4],
    /// `band × 2 + category`, with category A for "not on a rota", by `band × 2 + category`.
    pub(super) band_category: [u8; 8],
    pub(super) exact: Box<Exact>,
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

pub(super) fn gcd(a: u64, b: u64) -> u64 {
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
        // The premium form's percentages by PA-equivalents (0, 1, 2 …), times 10^scale; empty when
        // no premium is paid on the date.
        let mut premium_percents: Vec<u64> = Vec::new();
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
            if recognised(Recognition::Premium).form == Recognition::Premium {
                premium_percents = percents
                    .iter()
                    .map(|&p| to_int(p))
                    .collect::<Result<_, _>>()?;
            }
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
        // OOH-3: from the date agreement is needed, the premium form chosen without it is costed
        // as the reduced-hours form.
        let needs_agreement = *params.premium_needs_mutual_agreement.value(on)?;
        let form_applied = [0u8, 1, 2, 3].map(|k| {
            let chosen = if k & 1 == 1 {
                Recognition::Premium
            } else {
                Recognition::Time
            };
            u8::from(
                recognition_applied(chosen, k & 2 == 2, needs_agreement) == Recognition::Premium,
            )
        });
        let mut costing = Costing {
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
            form_applied,
            lanes: None,
        };
        costing.lanes = Lanes::new(&costing, &premium_percents).map(Box::new);
        Ok(costing)
    }
}
