//! Clinical excellence awards in one job plan (CEA-1, CEA-3, CEA-4; F 11, E).

use crate::finding::Findings;
use crate::plan::Nation;
use crate::rule::Rule;
use rust_decimal::Decimal;

/// CEA-1: thirteen levels: local 1-9, regional 10-11, national 12-13; at most £65,000.
pub const CEA_1: Rule = Rule {
    id: "CEA-1",
    citation: "E 4.1, F 11(a)",
    title: "Award levels",
};

/// CEA-3: a higher award subsumes earlier ones; awards are paid pro rata to PAs / 10 on top of
/// basic salary.
pub const CEA_3: Rule = Rule {
    id: "CEA-3",
    citation: "E 4.3-4.4",
    title: "Awards paid pro rata",
};

/// CEA-4: awards apply in England and Wales only, and need a satisfactory annual appraisal.
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
                crate::money::show(contracted)
            ),
        );
    }
    value * contracted.min(full_time_pas) / full_time_pas
}
