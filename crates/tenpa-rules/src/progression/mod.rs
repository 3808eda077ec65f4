//! Pay progression over a career (PP-1 … PP-6; F 3(c)-(f), C 3-7, F 6(c)-(e), F 9(g), F 9(i)),
//! and [`timeline`], which walks a career anniversary by anniversary applying them together with
//! the transitional rules ([`crate::transition`]), the general awards (PAY-2), basic salary (PAY-3),
//! premia (PAY-4) and clinical excellence awards over time (CEA-2, CEA-3).

mod anniversaries;
mod criteria;
mod outcome;
mod spare_capacity;
mod timeline;

pub use anniversaries::*;
pub use criteria::*;
pub use outcome::*;
pub use spare_capacity::*;
pub use timeline::*;

/// The longest career the timeline walks, in years from its start. An engine bound, not a
/// contract figure: it keeps `--until 9999-12-31` finite.
pub const MAX_CAREER_YEARS: u32 = 60;

/// A date, for the tests of the parts.
#[cfg(test)]
fn d(y: i32, m: u32, day: u32) -> chrono::NaiveDate {
    chrono::NaiveDate::from_ymd_opt(y, m, day).unwrap()
}
