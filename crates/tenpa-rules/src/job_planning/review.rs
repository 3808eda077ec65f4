//! JP-1 (A 9.1, F 1(a)-(b)): when a job plan's next review falls due, and whether a consultant's
//! job plan stands signed off within the review interval, the measure a trust reports of its
//! consultants ("compliance"): the share of consultants in post whose job plan was signed off by the
//! consultant and their manager within the last review interval.
//!
//! The framework says the plan is "agreed ... on appointment to the post, and reviewed annually at
//! the job plan review", with "interim job planning reviews ... where duties, responsibilities or
//! objectives have changed or need to change significantly within the year" (A 9.1). Read here:
//!
//! - A plan is signed off by both sides when it reaches `signed_off`: the consultant agreed it, their
//!   manager signed it off and the medical director's sign-off closed it (the day of that last step).
//! - The next review falls due one review interval (a parameter: 12 months) after the later of the
//!   last sign-off that did not close an interim review and the last annual review; a sign-off that
//!   closes an interim review (the plan was reopened since its previous sign-off) does not move it.
//!   A plan never signed off and never reviewed falls due an interval after it took effect.
//! - A review is overdue only after its due day.
//! - A consultant counts as signed off on a day when any of their plans was signed off (interim
//!   reviews included: each is a sign-off by both sides) no more than one interval before, through the
//!   due day itself, and their current plan is not in dispute (not agreed, referred or at appeal).
//! - A consultant who starts in the month of the measure, or later, is not yet counted: their plan is
//!   agreed on appointment, and the month's figure is of those in post before it.

use super::{Action, Status};
use chrono::{Datelike, Months, NaiveDate};
use serde::Serialize;

/// A day a plan was signed off by both sides.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct SignOff {
    /// The day of the last step (`md_sign_off`), UK time.
    pub on: NaiveDate,
    /// Whether it closed an interim review: the plan had been reopened since its previous sign-off.
    pub interim: bool,
}

/// A plan's sign-offs, from its actions in the order taken (each with its day).
pub fn sign_offs(history: impl IntoIterator<Item = (Action, NaiveDate)>) -> Vec<SignOff> {
    let mut out = Vec::new();
    let mut reopened = false;
    for (action, on) in history {
        match action {
            Action::Reopen => reopened = true,
            Action::MdSignOff => {
                out.push(SignOff {
                    on,
                    interim: reopened && !out.is_empty(),
                });
                reopened = false;
            }
            _ => {}
        }
    }
    out
}

/// `day` plus `months`, or the last day the calendar has when that is past it.
fn after(day: NaiveDate, months: u32) -> NaiveDate {
    day.checked_add_months(Months::new(months))
        .unwrap_or(NaiveDate::MAX)
}

/// JP-1 (A 9.1): the day the next review falls due, `interval_months` after the later of the last
/// sign-off that did not close an interim review and the last annual review; without either, after
/// `took_effect`; `None` when nothing is known.
pub fn review_due(
    sign_offs: &[SignOff],
    annual_reviews: &[NaiveDate],
    took_effect: Option<NaiveDate>,
    interval_months: u32,
) -> Option<NaiveDate> {
    let agreed = sign_offs.iter().filter(|s| !s.interim).map(|s| s.on).max();
    let reviewed = annual_reviews.iter().copied().max();
    agreed
        .max(reviewed)
        .or(took_effect)
        .map(|d| after(d, interval_months))
}

/// Whether a review due on `due` is overdue on `today`: only after its due day.
pub fn overdue(due: Option<NaiveDate>, today: NaiveDate) -> bool {
    due.is_some_and(|d| d < today)
}

/// Where a consultant stands on the measure on a day.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case", tag = "standing")]
pub enum Standing {
    /// Signed off within the interval: counted, and counted as signed off.
    SignedOff {
        /// The last sign-off.
        signed_off: NaiveDate,
    },
    /// No plan of theirs has ever been signed off: counted, not signed off.
    NeverSigned,
    /// The last sign-off is more than an interval before the day: counted, not signed off.
    Expired {
        /// The last sign-off.
        signed_off: NaiveDate,
    },
    /// The current plan is not agreed, referred or at appeal: counted, not signed off.
    InDispute {
        /// The last sign-off, if any.
        signed_off: Option<NaiveDate>,
    },
    /// Started in the month of the measure or later: not counted.
    NotYetCounted {
        /// The day they started.
        started: NaiveDate,
    },
}

impl Standing {
    /// Whether the consultant is counted at all.
    pub fn counted(self) -> bool {
        !matches!(self, Standing::NotYetCounted { .. })
    }

    /// Whether the consultant counts as signed off.
    pub fn signed_off(self) -> bool {
        matches!(self, Standing::SignedOff { .. })
    }

    /// The name as sent.
    pub fn as_str(self) -> &'static str {
        match self {
            Standing::SignedOff { .. } => "signed_off",
            Standing::NeverSigned => "never_signed",
            Standing::Expired { .. } => "expired",
            Standing::InDispute { .. } => "in_dispute",
            Standing::NotYetCounted { .. } => "not_yet_counted",
        }
    }

    /// The last sign-off, where there is one.
    pub fn last_signed_off(self) -> Option<NaiveDate> {
        match self {
            Standing::SignedOff { signed_off } | Standing::Expired { signed_off } => {
                Some(signed_off)
            }
            Standing::InDispute { signed_off } => signed_off,
            Standing::NeverSigned | Standing::NotYetCounted { .. } => None,
        }
    }
}

/// Whether a plan in `status` is in dispute (JP-4): not agreed, referred or at appeal.
pub fn in_dispute(status: Status) -> bool {
    matches!(
        status,
        Status::NotAgreed | Status::Referred | Status::Appeal
    )
}

/// JP-1 (A 9.1): where a consultant who started on `started` stands on `on`, from the last day any
/// of their plans was signed off and the state of their current plan.
pub fn standing(
    on: NaiveDate,
    started: NaiveDate,
    last_signed_off: Option<NaiveDate>,
    current: Option<Status>,
    interval_months: u32,
) -> Standing {
    let month_start = on.with_day(1).unwrap_or(on);
    if started >= month_start {
        return Standing::NotYetCounted { started };
    }
    if current.is_some_and(in_dispute) {
        return Standing::InDispute {
            signed_off: last_signed_off,
        };
    }
    match last_signed_off {
        None => Standing::NeverSigned,
        Some(d) if on <= after(d, interval_months) => Standing::SignedOff { signed_off: d },
        Some(d) => Standing::Expired { signed_off: d },
    }
}

/// A share of consultants counted and signed off.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize)]
pub struct Share {
    /// Consultants counted.
    pub counted: u32,
    /// Of them, signed off within the interval.
    pub signed_off: u32,
}

impl Share {
    /// Adds one consultant's standing.
    pub fn add(&mut self, s: Standing) {
        if s.counted() {
            self.counted += 1;
            self.signed_off += u32::from(s.signed_off());
        }
    }

    /// The share in tenths of a per cent, rounded down so that it never overstates (1,999 of
    /// 2,000 is 99.9, not 100.0); `None` when nobody is counted.
    pub fn per_mille(self) -> Option<u32> {
        (self.counted > 0).then(|| {
            let n = u64::from(self.signed_off) * 1000;
            u32::try_from(n / u64::from(self.counted)).unwrap_or(u32::MAX)
        })
    }

    /// The share as a percentage with one decimal (`"72.7"`), or `"-"` when nobody is counted.
    pub fn percent(self) -> String {
        match self.per_mille() {
            Some(p) => format!("{}.{}", p / 10, p % 10),
            None => "-".into(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(s: &str) -> NaiveDate {
        NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap()
    }

    /// Source: A 9.1 (JP-1): the plan is agreed on appointment and reviewed annually; an interim
    /// review does not move the annual one. Signed off on 1 March 2025, reopened and signed off
    /// again on 1 September (interim): due 1 March 2026. A later annual review moves it.
    #[test]
    fn an_interim_review_does_not_move_the_annual_one() {
        let s = sign_offs([
            (Action::Propose, d("2025-02-01")),
            (Action::Agree, d("2025-02-10")),
            (Action::CdSignOff, d("2025-02-20")),
            (Action::MdSignOff, d("2025-03-01")),
            (Action::Reopen, d("2025-08-01")),
            (Action::MdSignOff, d("2025-09-01")),
        ]);
        assert_eq!(
            s,
            vec![
                SignOff {
                    on: d("2025-03-01"),
                    interim: false
                },
                SignOff {
                    on: d("2025-09-01"),
                    interim: true
                }
            ]
        );
        assert_eq!(review_due(&s, &[], None, 12), Some(d("2026-03-01")));
        assert_eq!(
            review_due(&s, &[d("2025-11-30")], None, 12),
            Some(d("2026-11-30"))
        );
        // An annual review before the sign-off does not pull it back.
        assert_eq!(
            review_due(&s, &[d("2024-06-30")], None, 12),
            Some(d("2026-03-01"))
        );
        // Nothing signed or reviewed: a year after the plan took effect; nothing known: none.
        assert_eq!(
            review_due(&[], &[], Some(d("2005-01-01")), 12),
            Some(d("2006-01-01"))
        );
        assert_eq!(review_due(&[], &[], None, 12), None);
    }

    /// Source: A 9.1 (JP-1): a plan signed off today is due in a year, not at a date a year after it
    /// first took effect; overdue only after the due day.
    #[test]
    fn a_plan_signed_off_today_is_due_in_a_year_and_overdue_only_after() {
        let today = d("2026-12-05");
        let s = sign_offs([(Action::MdSignOff, today)]);
        let due = review_due(&s, &[], Some(d("2005-01-01")), 12);
        assert_eq!(due, Some(d("2027-12-05")));
        assert!(!overdue(due, today));
        assert!(!overdue(due, d("2027-12-05")));
        assert!(overdue(due, d("2027-12-06")));
        assert!(!overdue(None, today));
    }

    /// Source: A 9.1 (JP-1), JP-4 (A 10.1): signed off 11 months before counts, 13 months before does
    /// not (expired), the due day itself still counts; a plan in dispute does not count whatever was
    /// signed before; nothing ever signed; a consultant starting in the month is not counted.
    #[test]
    fn standings_on_the_measure() {
        let on = d("2026-12-05");
        let started = d("2010-01-01");
        let s = |last: Option<&str>, status| standing(on, started, last.map(d), status, 12);
        assert_eq!(
            s(Some("2026-01-05"), Some(Status::SignedOff)),
            Standing::SignedOff {
                signed_off: d("2026-01-05")
            }
        );
        assert_eq!(
            s(Some("2025-11-05"), Some(Status::SignedOff)),
            Standing::Expired {
                signed_off: d("2025-11-05")
            }
        );
        assert!(s(Some("2025-12-05"), Some(Status::SignedOff)).signed_off());
        assert!(!s(Some("2025-12-04"), Some(Status::SignedOff)).signed_off());
        // Reopened for an interim review: the signed-off plan still stands.
        assert!(s(Some("2026-06-01"), Some(Status::Draft)).signed_off());
        for dispute in [Status::NotAgreed, Status::Referred, Status::Appeal] {
            assert_eq!(
                s(Some("2026-06-01"), Some(dispute)),
                Standing::InDispute {
                    signed_off: Some(d("2026-06-01"))
                }
            );
        }
        assert_eq!(s(None, Some(Status::Draft)), Standing::NeverSigned);
        assert_eq!(s(None, None), Standing::NeverSigned);
        for start in ["2026-12-01", "2026-12-20"] {
            let n = standing(on, d(start), None, None, 12);
            assert_eq!(n, Standing::NotYetCounted { started: d(start) });
            assert!(!n.counted());
        }
        assert!(standing(on, d("2026-11-30"), None, None, 12).counted());
    }

    /// The share is rounded down to a tenth of a per cent; nobody counted is no figure.
    #[test]
    fn shares() {
        let mut sh = Share::default();
        assert_eq!(sh.percent(), "-");
        let on = d("2026-12-05");
        for last in ["2026-11-01", "2026-10-01", "2020-01-01"] {
            sh.add(standing(on, d("2001-01-01"), Some(d(last)), None, 12));
        }
        sh.add(standing(on, d("2026-12-02"), None, None, 12));
        assert_eq!(
            sh,
            Share {
                counted: 3,
                signed_off: 2
            }
        );
        assert_eq!(sh.percent(), "66.6");
        let eighth = Share {
            counted: 8,
            signed_off: 1,
        };
        assert_eq!(eighth.percent(), "12.5");
        let x = Share {
            counted: 2000,
            signed_off: 1999,
        };
        assert_eq!(x.percent(), "99.9");
        assert_eq!(
            Share {
                counted: 4,
                signed_off: 4
            }
            .percent(),
            "100.0"
        );
    }
}
