//! Clinical excellence awards (CEA-1 … CEA-4; F 11, E): in one job plan, and over a career
//! (which awards may be made, which replaces which, what is paid on a date).

use crate::finding::Findings;
use crate::money::Money;
use crate::parameters::{HigherAwards, LookupError, Parameters};
use crate::plan::{Award, AwardScope, ExistingAward, Nation};
use crate::rule::Rule;
use chrono::NaiveDate;
use rust_decimal::Decimal;
use serde::Serialize;

/// CEA-1: thirteen levels: local 1-9, regional 10-11, national 12-13; at most £65,000.
pub const CEA_1: Rule = Rule {
    id: "CEA-1",
    citation: "E 4.1, F 11(a)",
    title: "Award levels",
};

/// CEA-1's multiple awards: employers may make several local awards to a consultant at once only
/// for the first few levels (E 4.2).
pub const CEA_1_MULTIPLE_AWARDS: Rule = Rule {
    id: "CEA-1",
    citation: "E 4.2",
    title: "Multiple awards at the first local levels",
};

/// CEA-3: a higher award subsumes earlier ones; awards are paid pro rata to PAs / 10 on top of
/// basic salary.
pub const CEA_3: Rule = Rule {
    id: "CEA-3",
    citation: "E 4.3-4.4",
    title: "Awards paid pro rata",
};

/// CEA-3's existing awards: discretionary points and distinction awards held before the scheme
/// are kept (E 4.4), paid on top of basic salary and pro rata as the scheme's awards are, and a
/// higher award subsumes the value of an award held before (E 4.3).
pub const CEA_3_EXISTING: Rule = Rule {
    id: "CEA-3",
    citation: "E 4.4, E 4.3",
    title: "Existing discretionary points and distinction awards",
};

/// CEA-3's updating: award values are updated on the Review Body's recommendations (E 4.3).
pub const CEA_3_UPDATED: Rule = Rule {
    id: "CEA-3",
    citation: "E 4.3",
    title: "Award values updated on the Review Body's recommendations",
};

/// CEA-4: awards apply in England and Wales only, need a satisfactory annual appraisal, and may be
/// reviewed early where there are concerns about performance.
pub const CEA_4: Rule = Rule {
    id: "CEA-4",
    citation: "E 1.1, F 11(a)",
    title: "Where awards apply",
};

/// The award payable for `level` (CEA-1), pro rata (CEA-3), where the scheme applies (CEA-4).
pub fn award(
    level: u8,
    levels: &[Decimal],
    nation: Nation,
    nations: &[String],
    contracted: Decimal,
    full_time_pas: Decimal,
    f: &mut Findings,
) -> Decimal {
    if level == 0 {
        return Decimal::ZERO;
    }
    if !nations.iter().any(|n| n == nation.as_str()) {
        f.error(CEA_4, format!("a clinical excellence award (level {level}) is recorded but the scheme applies only in {}; the employer is in {}", nations.join(" and "), nation.as_str()));
        return Decimal::ZERO;
    }
    let value = levels[usize::from(level) - 1];
    if contracted < full_time_pas {
        f.info(
            CEA_3,
            format!(
                "the level {level} award of £{value} is paid pro rata: {} of 10 PAs",
                crate::money::Figure(contracted)
            ),
        );
    }
    pro_rata(value, contracted, full_time_pas)
}

/// What is paid of a clinical excellence award and an existing award, both pro rata.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct AwardsPaid {
    /// The clinical excellence award paid.
    pub clinical_excellence_award: Decimal,
    /// The existing discretionary points or distinction award paid.
    pub existing_award: Decimal,
}

/// CEA-3 (E 4.3-4.4): an existing award is kept and paid pro rata on top of basic salary; with a
/// clinical excellence award (`award`, already pro rata), one subsumes the other, so the higher of
/// the two is paid and not both (the project's reading of "higher awards will subsume the value of
/// any award held previously", E 4.3, for awards held under the schemes the new one replaces). A
/// clinical excellence award worth no more than the existing award adds nothing: a warning.
pub fn with_existing(
    level: u8,
    award: Decimal,
    existing: Option<&ExistingAward>,
    contracted: Decimal,
    full_time_pas: Decimal,
    f: &mut Findings,
) -> AwardsPaid {
    let Some(e) = existing else {
        return AwardsPaid {
            clinical_excellence_award: award,
            existing_award: Decimal::ZERO,
        };
    };
    let kind = e.kind.label();
    let value = e.amount.0;
    let kept = pro_rata(value, contracted, full_time_pas);
    if award.is_zero() || level == 0 {
        f.info(CEA_3_EXISTING, format!("the existing award ({kind}, £{value} a year) is kept and paid on top of basic salary{} (E 4.4)", pro_rata_words(contracted, full_time_pas)));
        return AwardsPaid {
            clinical_excellence_award: Decimal::ZERO,
            existing_award: kept,
        };
    }
    if award > kept {
        f.info(CEA_3_EXISTING, format!("the level {level} clinical excellence award subsumes the existing award ({kind}, £{value} a year): a higher award subsumes the value of an award held before, so the existing award is not paid as well (E 4.3)"));
        AwardsPaid {
            clinical_excellence_award: award,
            existing_award: Decimal::ZERO,
        }
    } else {
        f.warning(CEA_3_EXISTING, format!("the level {level} clinical excellence award is worth no more than the existing award ({kind}, £{value} a year), which is kept and paid instead (E 4.4): one award subsumes the other, so the level {level} award adds nothing (E 4.3)"));
        AwardsPaid {
            clinical_excellence_award: Decimal::ZERO,
            existing_award: kept,
        }
    }
}

fn pro_rata_words(contracted: Decimal, full_time_pas: Decimal) -> String {
    if contracted < full_time_pas {
        format!(", pro rata: {} of 10 PAs", crate::money::Figure(contracted))
    } else {
        String::new()
    }
}

/// CEA-3 (E 4.3): an information finding when an award of `level` is paid in the pay year beginning
/// `year_start` at values in force since `values_from`, an earlier pay year: award values are
/// updated on the Review Body's recommendations, and no later values are in the parameters.
pub fn check_values_updated(
    level: u8,
    values_from: NaiveDate,
    year_start: NaiveDate,
    f: &mut Findings,
) {
    if level > 0 && values_from < year_start {
        f.info(CEA_3_UPDATED, format!("clinical excellence awards are paid at the values in force since {values_from}: award values are updated on the Review Body's recommendations (E 4.3), and no later values are recorded; add them to the parameters (excellence_awards/levels.toml) when they are published"));
    }
}

/// CEA-1: the full-time annual value of an award of `level` on `on`, from the award levels in
/// force on that date; `None` for a level those parameters do not have (0, or above the highest).
/// An error when no award levels are in force on `on`.
pub fn value_on(
    level: u8,
    on: NaiveDate,
    params: &Parameters,
) -> Result<Option<Decimal>, LookupError> {
    if level == 0 {
        return Ok(None);
    }
    Ok(params
        .cea_levels
        .value(on)?
        .get(usize::from(level) - 1)
        .copied())
}

/// CEA-3: an award's value paid pro rata to contracted PAs / full-time PAs (at most the full
/// value).
pub fn pro_rata(value: Decimal, contracted: Decimal, full_time_pas: Decimal) -> Decimal {
    if contracted >= full_time_pas {
        value
    } else {
        value * contracted / full_time_pas
    }
}

/// CEA-2: a consultant becomes eligible for regional and national awards only after at least
/// four local awards, i.e. holding local level 4 or above; local committees award up to £30,000.
pub const CEA_2: Rule = Rule {
    id: "CEA-2",
    citation: "E 3.2-3.3",
    title: "Local awards before higher awards",
};

/// The committee that makes an award of `level` (E 3.1-3.2, E 4.1).
pub fn scope_of(level: u8, h: &HigherAwards) -> AwardScope {
    if level >= h.first_national_level {
        AwardScope::National
    } else if level >= h.first_regional_level {
        AwardScope::Regional
    } else {
        AwardScope::Local
    }
}

/// Whether an award of `level` worth `value` may be made to a consultant whose highest award so
/// far is `held` (0 for none); the reason when it may not.
pub fn allowed(
    level: u8,
    recorded: Option<AwardScope>,
    value: Decimal,
    held: u8,
    h: &HigherAwards,
) -> Result<AwardScope, String> {
    let scope = scope_of(level, h);
    if let Some(r) = recorded.filter(|r| *r != scope) {
        return Err(format!(
            "recorded as {} but level {level} is a {} award (E 4.1)",
            r.as_str(),
            scope.as_str()
        ));
    }
    if scope == AwardScope::Local && value > h.local_limit {
        return Err(format!(
            "a local committee awards up to £{}; level {level} is worth £{} (E 3.2)",
            Money::round(h.local_limit),
            Money::round(value)
        ));
    }
    if scope != AwardScope::Local && held < h.local_level_needed {
        return Err(format!(
            "a {} award needs at least {} local awards first, i.e. local level {} or above (E 3.3); the highest award held was {}",
            scope.as_str(),
            h.local_level_needed,
            h.local_level_needed,
            if held == 0 { "none".to_string() } else { format!("level {held}") }
        ));
    }
    Ok(scope)
}

/// An award of a career, as decided.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct AwardOutcome {
    /// Level, 1 to 13.
    pub level: u8,
    /// Local, regional or national.
    pub scope: AwardScope,
    /// When it was awarded.
    pub awarded_on: NaiveDate,
    /// Its full-time value when awarded.
    pub value: Money,
    /// `paid` or `refused`.
    pub status: &'static str,
    /// Why it was refused.
    #[serde(skip_serializing_if = "String::is_empty")]
    pub reason: String,
    /// When a later award replaced it (CEA-3).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub replaced_on: Option<NaiveDate>,
    /// When it was withdrawn after an early review (CEA-4, E 1.1).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub withdrawn_on: Option<NaiveDate>,
}

/// CEA-2 and CEA-3 over a career: each award in date order is paid or refused (CEA-2; CEA-4 where
/// the scheme does not apply), and each paid award is replaced by the next one paid, a higher award
/// subsuming the value of the earlier ones.
pub fn over_time(
    awards: &[Award],
    nation: Nation,
    params: &Parameters,
    f: &mut Findings,
) -> Result<Vec<AwardOutcome>, LookupError> {
    let mut order: Vec<&Award> = awards.iter().collect();
    order.sort_by_key(|a| a.awarded_on);
    let mut out: Vec<AwardOutcome> = Vec::with_capacity(order.len());
    let mut held: u8 = 0;
    let mut current: Option<usize> = None;
    for a in order {
        let on = a.awarded_on;
        let value = params.cea_levels.value(on)?[usize::from(a.level) - 1];
        let h = params.higher_awards.value(on)?;
        let nations = params.cea_nations.value(on)?;
        let decided = if nations.iter().any(|n| n == nation.as_str()) {
            allowed(a.level, a.scope, value, held, h).map_err(|r| (CEA_2, r))
        } else {
            Err((
                CEA_4,
                format!(
                    "the scheme applies only in {}; the employer is in {}",
                    nations.join(" and "),
                    nation.as_str()
                ),
            ))
        };
        let (scope, status, reason) = match decided {
            Ok(scope) => (scope, "paid", String::new()),
            Err((rule, reason)) => {
                f.error(
                    rule,
                    format!(
                        "the level {} award of {on} is refused and not paid: {reason}",
                        a.level
                    ),
                );
                (a.scope.unwrap_or(scope_of(a.level, h)), "refused", reason)
            }
        };
        if status == "paid" {
            let first_few = params.multiple_awards.value(on)?.up_to_level;
            check_multiple(a.level, scope, held, first_few, on, f);
            if let Some(c) = current {
                out[c].replaced_on = Some(on);
                if out[c].level > a.level {
                    f.info(CEA_3, format!("the level {} award of {on} replaces a higher award (level {} of {}): the latest award is the one paid", a.level, out[c].level, out[c].awarded_on));
                }
            }
            current = Some(out.len());
            held = held.max(a.level);
        }
        out.push(AwardOutcome {
            level: a.level,
            scope,
            awarded_on: on,
            value: Money::round(value),
            status,
            reason,
            replaced_on: None,
            withdrawn_on: a.withdrawn_on.filter(|_| status == "paid"),
        });
        if let (Some(w), "paid") = (a.withdrawn_on, status) {
            f.info(CEA_4, format!("the level {} award of {on} is withdrawn on {w} after an early review of concerns about performance (E 1.1): it is not paid from then", a.level));
        }
    }
    Ok(out)
}

/// CEA-1 (E 4.2): a warning for a local award more than one level above the level held that goes
/// beyond the first few levels (`first_few`), where several awards at once are permitted.
pub fn check_multiple(
    level: u8,
    scope: AwardScope,
    held: u8,
    first_few: u8,
    on: NaiveDate,
    f: &mut Findings,
) {
    if scope == AwardScope::Local && level > held + 1 && level > first_few {
        f.warning(CEA_1_MULTIPLE_AWARDS, format!("the level {level} award of {on} makes {} local awards at once, from level {held}: several awards at once are permitted only for the first few local levels, up to level {first_few} (E 4.2, parameter excellence_awards/multiple_awards.toml); above it local awards go one level at a time unless the employer's guidelines justify more", level - held));
    }
}

/// CEA-3: the award in payment on `date`: the latest paid award made on or before it, unless it
/// was withdrawn by then (CEA-4, E 1.1).
pub fn in_payment(outcomes: &[AwardOutcome], date: NaiveDate) -> Option<&AwardOutcome> {
    outcomes
        .iter()
        .rev()
        .find(|a| a.status == "paid" && a.awarded_on <= date)
        .filter(|a| a.withdrawn_on.is_none_or(|w| date < w))
}

/// CEA-4 (E 1.1): an information finding that an award in payment at the end of a year without
/// satisfactory appraisal may be reviewed early.
pub fn note_early_review(a: &AwardOutcome, year_ending: NaiveDate, f: &mut Findings) {
    f.info(CEA_4, format!("the level {} award of {} is in payment at the end of a year (ending {year_ending}) without satisfactory appraisal and job planning: where there are concerns about performance the award may be reviewed early (E 1.1); record a withdrawal as the award's withdrawn_on", a.level, a.awarded_on));
}

/// CEA-4: a warning for an award made when the last recorded year's appraisal was not
/// satisfactory.
pub fn check_appraisal(a: &AwardOutcome, year_ending: NaiveDate, f: &mut Findings) {
    f.warning(CEA_4, format!("the level {} award of {} follows a year (ending {year_ending}) without satisfactory appraisal and job planning; an award depends on a satisfactory annual appraisal (E 1.1)", a.level, a.awarded_on));
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn values_on_a_date_come_from_the_levels_in_force() {
        let params = Parameters::embedded();
        let on = NaiveDate::from_ymd_opt(2005, 4, 1).unwrap();
        assert_eq!(value_on(1, on, params).unwrap(), Some(Decimal::from(2500)));
        assert_eq!(value_on(9, on, params).unwrap(), Some(Decimal::from(30000)));
        assert_eq!(
            value_on(13, on, params).unwrap(),
            Some(Decimal::from(65000))
        );
        assert_eq!(value_on(0, on, params).unwrap(), None);
        assert_eq!(value_on(14, on, params).unwrap(), None);
        let before = NaiveDate::from_ymd_opt(2003, 3, 31).unwrap();
        assert!(value_on(1, before, params).is_err());
    }
}
