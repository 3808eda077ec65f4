//! On-call: emergency work as PAs, the cap, the allocation pattern and the availability supplement
//! (OC-1 … OC-9; F 4, B 7, F 9(i)).

use crate::finding::{text, Findings};
use crate::money::{div, Figure};
use crate::out_of_hours::Recognised;
use crate::parameters::AvailabilitySupplement;
use crate::plan::{Category, JobPlanDocument, OnCall, OnCallCategory};
use crate::rule::Rule;
use rust_decimal::Decimal;

/// OC-1: emergency work at regular, predictable times is timetabled as DCC PAs.
pub const OC_1: Rule = Rule {
    id: "OC-1",
    citation: "F 4(a), B 7.1",
    title: "Predictable emergency work is DCC",
};

/// Warns where predictable emergency work is timetabled in another category.
pub fn check_predictable(doc: &JobPlanDocument, f: &mut Findings) {
    for a in doc
        .activities
        .iter()
        .filter(|a| a.predictable_emergency && a.category != Category::Dcc)
    {
        f.warning(OC_1, format!("\"{}\" is predictable emergency work timetabled as {}: it counts as direct clinical care (dcc)", a.label(), a.category.as_str()));
    }
}

/// OC-2: unpredictable emergency work from on-call counts towards the week's PAs as DCC, assessed
/// prospectively from average weekly hours: plain hours / 4, premium hours / 3 under the
/// reduced-hours form or / 4 otherwise.
pub const OC_2: Rule = Rule {
    id: "OC-2",
    citation: "F 4(b)-(c), B 7.2-7.3, B 7.5",
    title: "Emergency work as PAs",
};

/// PA-equivalents of the average weekly emergency work, before the cap.
pub fn emergency_pa_equivalents(
    plain_hours: Decimal,
    premium_hours: Decimal,
    pa_hours: Decimal,
    r: &Recognised,
) -> Decimal {
    div(plain_hours, pa_hours) + div(premium_hours, r.emergency_premium_hours_per_pa)
}

/// Notes a reduction in on-call PAs since the previous review: no protection (F 4(c)).
pub fn note_reduction(doc: &JobPlanDocument, pas: Decimal, f: &mut Findings) {
    if let Some(prev) = doc.previous_review.as_ref().and_then(|p| p.on_call_pas) {
        if pas < prev.0 {
            f.info(OC_2, format!("on-call PAs fall from {} to {} a week; the previous allocation is not protected", Figure(prev.0), Figure(pas)));
        }
    }
}

/// OC-3: at most 2 PAs a week for on-call emergency work (1 PA in the first two years of the
/// contract, to 31 March 2005); work significantly above the cap is tackled through job planning.
pub const OC_3: Rule = Rule {
    id: "OC-3",
    citation: "F 4(b), F 4(d), F 9(i), B 7.6",
    title: "Cap on on-call PAs",
};

/// Applies the cap, noting or warning when emergency work is above it.
pub fn cap(raw: Decimal, cap: Decimal, excess: Decimal, f: &mut Findings) -> Decimal {
    if raw > excess {
        f.warning(OC_3, format!("emergency work of {} PA-equivalents a week is significantly above the cap of {}: tackle it through job planning or a local arrangement", Figure(raw), Figure(cap)));
    } else if raw > cap {
        f.info(
            OC_3,
            format!(
                "emergency work of {} PA-equivalents a week is capped at {} PAs",
                Figure(raw),
                Figure(cap)
            ),
        );
    }
    raw.min(cap)
}

/// OC-4: under 30 minutes a week on average, no PAs are allocated; compensatory time is taken ad
/// hoc.
pub const OC_4: Rule = Rule {
    id: "OC-4",
    citation: "F 4(b), B 7.3",
    title: "Little emergency work",
};

/// Whether the emergency work is below the minimum for an allocation (and notes it).
pub fn below_minimum(total_hours: Decimal, minimum: Decimal, f: &mut Findings) -> bool {
    let below = total_hours > Decimal::ZERO && total_hours < minimum;
    if below {
        f.info(OC_4, format!("{} h a week of emergency work is under {} h: no PA is allocated; compensatory time is taken ad hoc", Figure(total_hours), Figure(minimum)));
    }
    below
}

/// OC-5: the allocation is scheduled over a 1- to 8-week period.
pub const OC_5: Rule = Rule {
    id: "OC-5",
    citation: "F 4(b), B 7.3",
    title: "Allocation pattern",
};

/// How close "1 PA every n weeks" must be to an allocation below 1 PA to be suggested before an
/// exact pattern of several PAs. This project's reading of B 7.3, whose table suggests "one
/// programmed activity every three weeks" for 1.5 hours (0.375 PA) rather than 3 PAs every 8 weeks.
const NEAR_ONE_IN_N: Decimal = Decimal::from_parts(625, 0, 0, false, 4);

/// Whether a positive allocation `a` is whole PAs, or more than one PA in halves: the first
/// pattern of [`allocation_pattern`]. On the mantissa where `a * 2` is exact in it (the figures of
/// every plan), which is what `fract` and the product decide; otherwise by them.
fn whole_or_half(a: Decimal) -> bool {
    let (m, scale) = (a.mantissa().unsigned_abs(), a.scale());
    if m < 1 << 95 {
        let one = 10u128.pow(scale);
        m % one == 0 || (m > one && (2 * m) % one == 0)
    } else {
        a.fract().is_zero() || (a > Decimal::ONE && (a * Decimal::TWO).fract().is_zero())
    }
}

/// The suggested pattern for a weekly allocation, in B 7.3's words: whole PAs a week; "1 PA every
/// n weeks"; the shortest cycle of whole PAs; half-PAs; otherwise the nearest over the longest cycle.
pub fn allocation_pattern(a: Decimal, max_weeks: u32) -> String {
    let plural = |k: Decimal| if k == Decimal::ONE { "PA" } else { "PAs" };
    let weeks = || (1..=max_weeks).map(Decimal::from);
    if a <= Decimal::ZERO {
        return "none".into();
    }
    if whole_or_half(a) {
        return text!(Figure(a), " ", plural(a), " a week");
    }
    if let Some(n) = weeks().find(|n| a * n == Decimal::ONE) {
        return format!("1 PA every {n} weeks");
    }
    if a < Decimal::ONE {
        let best = weeks()
            .min_by_key(|n| (Decimal::ONE / n - a).abs())
            .unwrap_or(Decimal::ONE);
        if (Decimal::ONE / best - a).abs() <= NEAR_ONE_IN_N && best > Decimal::ONE {
            return format!("1 PA every {best} weeks");
        }
    }
    if let Some(n) = weeks().find(|n| (a * n).fract().is_zero()) {
        return format!("{} {} every {n} weeks", Figure(a * n), plural(a * n));
    }
    if let Some(n) = weeks().find(|n| (a * n * Decimal::TWO).fract().is_zero()) {
        return format!("{} half-PAs every {n} weeks", Figure(a * n * Decimal::TWO));
    }
    let n = Decimal::from(max_weeks);
    format!("about {} PAs every {n} weeks", Figure((a * n).round()))
}

/// OC-6: an availability supplement for consultants on a rota, a percentage of full-time basic
/// salary by frequency band (from the rota size alone) and category; a part-time consultant with
/// the same responsibilities gets the percentage of the full-time salary.
pub const OC_6: Rule = Rule {
    id: "OC-6",
    citation: "F 4(f)-(k), B 7.8-7.13",
    title: "Availability supplement",
};

/// The band names [`supplement`] gives, and `none` for a plan not on a rota.
const BANDS: [&str; 4] = ["high", "medium", "low", "none"];

/// Reads a stored assessment's band name back as the name [`supplement`] gives.
pub(crate) fn read_band<'de, D: serde::Deserializer<'de>>(d: D) -> Result<&'static str, D::Error> {
    use serde::Deserialize;
    let name = String::deserialize(d)?;
    BANDS.into_iter().find(|b| *b == name).ok_or_else(|| {
        serde::de::Error::custom(format!(
            "`{name}` is not a band: expected one of {}",
            BANDS.join(", ")
        ))
    })
}

/// The band name and supplement percentage for a "1 in `rota_size`" rota.
pub fn supplement(
    rota_size: u32,
    category: OnCallCategory,
    table: &AvailabilitySupplement,
) -> (&'static str, Decimal) {
    let n = Decimal::from(rota_size);
    let (name, band) = if table.high.max_rota.is_some_and(|m| n <= m) {
        ("high", &table.high)
    } else if table.medium.max_rota.is_some_and(|m| n <= m) {
        ("medium", &table.medium)
    } else {
        ("low", &table.low)
    };
    (
        name,
        if category == OnCallCategory::A {
            band.a
        } else {
            band.b
        },
    )
}

/// A consultant on more than one rota has one `[on_call]` in the job plan (JP-2), and OC-6 ties the
/// supplement to "the consultant's rota commitment" in the singular. This project reads the
/// commitment as the most demanding one: of the rotas given as (1 in N, category), the one whose
/// supplement percentage is highest on `table`; on equal percentages the more frequent rota (smaller
/// N), then category A. Returns its index, `None` for no rota. Rotas of no members are ignored.
pub fn most_demanding(
    rotas: &[(u32, OnCallCategory)],
    table: &AvailabilitySupplement,
) -> Option<usize> {
    rotas
        .iter()
        .enumerate()
        .filter(|(_, (n, _))| *n > 0)
        .min_by(|(_, (n1, c1)), (_, (n2, c2))| {
            let p1 = supplement(*n1, *c1, table).1;
            let p2 = supplement(*n2, *c2, table).1;
            p2.cmp(&p1).then(n1.cmp(n2)).then(c1.cmp(c2))
        })
        .map(|(i, _)| i)
}

/// OC-6's proviso for a part-time consultant (F 4(g), B 7.9): the percentage is of the full-time
/// salary provided their responsibilities when on call are the same as a full-time consultant's
/// on the same rota (`same`: `None` when not recorded, taken as the same). Where they differ the
/// framework is silent; `pro_rata` (a parameter with this project's reading) takes the percentage
/// of their own basic salary, else no supplement. Notes which applies.
pub fn note_part_time(
    full_time: bool,
    percent: Decimal,
    same: Option<bool>,
    pro_rata: bool,
    f: &mut Findings,
) {
    if full_time {
        return;
    }
    let p = Figure(percent);
    match (same, pro_rata) {
        (Some(false), true) => f.info(OC_6, format!("part-time on a rota with on-call responsibilities unlike a full-time consultant's on the same rota: the {p}% supplement is taken on their own basic salary, pro rata (F 4(g), B 7.9 give the full-time salary only where the responsibilities are the same)")),
        (Some(false), false) => f.info(OC_6, format!("part-time on a rota with on-call responsibilities unlike a full-time consultant's on the same rota: no {p}% supplement (F 4(g), B 7.9 give it on the full-time salary only where the responsibilities are the same)")),
        (Some(true), _) => f.info(OC_6, format!("part-time on a rota with the on-call responsibilities of a full-time consultant on the same rota: the {p}% supplement is taken on the full-time salary, not pro rata")),
        (None, _) => f.info(OC_6, format!("part-time on a rota: the {p}% supplement is taken on the full-time salary, not pro rata, where on-call responsibilities are those of a full-time consultant on the same rota")),
    }
}

/// The salary OC-6's percentage is taken on: the full-time salary `ft`, or for a part-timer whose
/// on-call responsibilities differ from a full-timer's (see [`note_part_time`]) their own `basic`
/// salary when `pro_rata`, else nothing.
pub fn supplement_base(
    full_time: bool,
    same: Option<bool>,
    pro_rata: bool,
    ft: Decimal,
    basic: Decimal,
) -> Decimal {
    match (full_time, same, pro_rata) {
        (false, Some(false), true) => basic,
        (false, Some(false), false) => Decimal::ZERO,
        _ => ft,
    }
}

/// OC-7: the employer decides the category prospectively; a reduction has no protection, and
/// alternative cover arrangements do not change the band.
pub const OC_7: Rule = Rule {
    id: "OC-7",
    citation: "F 4(i), F 4(k), B 7.11, B 7.13",
    title: "Category decided prospectively",
};

/// Notes a move from category A to B since the previous review.
pub fn note_category_change(doc: &JobPlanDocument, now: OnCallCategory, f: &mut Findings) {
    if let Some(prev) = doc
        .previous_review
        .as_ref()
        .and_then(|p| p.on_call_category)
    {
        if prev < now {
            f.info(OC_7, format!("the category moves from {} to {}: the lower supplement applies prospectively and the previous one is not protected", prev.as_str().to_uppercase(), now.as_str().to_uppercase()));
        }
    }
}

/// OC-7's contactability: consultants in both categories are contactable throughout the on-call
/// period; in the second category short intervals when they cannot be contacted straight away may
/// be arranged by mutual agreement, with messages taken and an immediate response after each.
pub const OC_7_CONTACTABLE: Rule = Rule {
    id: "OC-7",
    citation: "F 4(l), B 7.14",
    title: "Contactable throughout on-call",
};

/// Checks short intervals when the consultant cannot be contacted straight away: an error in
/// category A or without the employer's agreement; a warning without arrangements for messages.
pub fn check_contactable(oc: &OnCall, category: OnCallCategory, f: &mut Findings) {
    let Some(s) = oc.short_intervals else { return };
    if category == OnCallCategory::A {
        f.error(OC_7_CONTACTABLE, "short intervals when the consultant cannot be contacted straight away are recorded on a category A rota: consultants in both categories are contactable throughout the on-call period, and only the second category (B) may arrange such intervals (F 4(l))");
    } else if !s.agreed_with_employer {
        f.error(OC_7_CONTACTABLE, "short intervals when the consultant cannot be contacted straight away are recorded without the employer's agreement: in category B they may be arranged only by mutual agreement (F 4(l))");
    } else if !s.messages_taken {
        f.warning(OC_7_CONTACTABLE, "short intervals when the consultant cannot be contacted straight away are agreed, but no arrangements are recorded for messages to be taken and for the consultant to respond immediately after each interval, which the agreement requires (F 4(l))");
    }
}

/// OC-8: there is no intensity supplement under the new contract: the pay breakdown has no such
/// component.
pub const OC_8: Rule = Rule {
    id: "OC-8",
    citation: "F 4(p), B 7.18",
    title: "No intensity supplement",
};

/// OC-9: a consultant not on a rota recalled more than 6 times a year should have the need for a
/// rota reviewed; a rota with very rare calls should have the need for on-call reviewed.
pub const OC_9: Rule = Rule {
    id: "OC-9",
    citation: "F 4(e), F 4(m), B 7.7, B 7.15",
    title: "Recalls and rare calls",
};

/// Checks recalls for a consultant not on a rota, and very rare calls on a rota.
pub fn check_recalls(
    doc: &JobPlanDocument,
    review_above: Decimal,
    rare_at_most: Decimal,
    f: &mut Findings,
) {
    let Some(oc) = &doc.on_call else { return };
    match (oc.rota_size, oc.recalls_per_year) {
        (0, Some(r)) if r > review_above => f.warning(OC_9, format!("{} emergency recalls a year without an on-call rota is more than {}: review the need for a rota; recalls are compensated by reducing other PAs ad hoc", Figure(r), Figure(review_above))),
        (0, _) => {}
        (_, Some(r)) if r <= rare_at_most => f.info(OC_9, format!("{} calls a year on the rota is a very rare need: review the need for on-call arrangements", Figure(r))),
        (_, None) if oc.emergency_hours_plain.is_zero() && oc.emergency_hours_premium.is_zero() => {
            f.info(OC_9, "no emergency work is expected from this rota: review the need for on-call arrangements")
        }
        _ => {}
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_part_time_proviso_picks_the_salary_the_percentage_is_on() {
        let (ft, basic) = (Decimal::from(75_893), Decimal::from(45_536));
        assert_eq!(
            supplement_base(true, Some(false), false, ft, basic),
            ft,
            "a full-timer"
        );
        assert_eq!(
            supplement_base(false, None, false, ft, basic),
            ft,
            "not recorded: the same"
        );
        assert_eq!(supplement_base(false, Some(true), false, ft, basic), ft);
        assert_eq!(supplement_base(false, Some(false), true, ft, basic), basic);
        assert_eq!(
            supplement_base(false, Some(false), false, ft, basic),
            Decimal::ZERO
        );
    }
    use crate::parameters::Parameters;
    use chrono::NaiveDate;

    fn table() -> AvailabilitySupplement {
        let on = NaiveDate::from_ymd_opt(2006, 4, 1).unwrap();
        *Parameters::embedded()
            .availability_supplement
            .value(on)
            .unwrap()
    }

    /// Source: F 4(j)-(k), B 7.12-7.13 (the supplement follows the rota commitment; this project's
    /// reading for several rotas, docs/readings.md).
    #[test]
    fn the_most_demanding_rota_is_the_one_with_the_highest_supplement() {
        use OnCallCategory::{A, B};
        let t = table();
        // 1 in 8 category A (medium, 5%) pays more than 1 in 3 category B (high, 3%).
        assert_eq!(most_demanding(&[(3, B), (8, A)], &t), Some(1));
        // 1 in 3 category A (8%) pays more than 1 in 10 category B (1%).
        assert_eq!(most_demanding(&[(10, B), (3, A)], &t), Some(1));
        // Equal percentages: the more frequent rota.
        assert_eq!(most_demanding(&[(7, A), (5, A)], &t), Some(1));
        assert_eq!(most_demanding(&[], &t), None);
        assert_eq!(most_demanding(&[(0, A)], &t), None);
    }

    proptest::proptest! {
        /// Source: the first pattern of OC-5 is decided on the mantissa as `fract` and the
        /// product decide it, for allocations of any scale up to the largest mantissa.
        #[test]
        fn whole_or_half_is_decided_as_decimal_decides(m in 1u128..(1 << 96), scale in 0u32..=28, small in 1u64..100_000, small_scale in 0u32..4) {
            for a in [
                Decimal::from_i128_with_scale(m as i128, scale),
                Decimal::from_i128_with_scale(i128::from(small), small_scale),
            ] {
                let reference =
                    a.fract().is_zero() || (a > Decimal::ONE && (a * Decimal::TWO).fract().is_zero());
                proptest::prop_assert_eq!(whole_or_half(a), reference, "{:?}", a);
            }
        }
    }
}
