//! Consistency of a board's appraisals, for its chair (or an administrator): for each year, how
//! many of the directors had an appraisal opened and how many were signed off by both the
//! director and the appraiser, and the days from opening an appraisal to its last signature
//! (quartiles and median); the same by position (chair, chief executive, executive,
//! non-executive) over all years. As in the job-plan consistency report, a group of fewer than
//! five shows no figures of time, and a position of fewer than five appraisals none at all, so
//! that no one is identifiable; the year's counts of the whole board are shown, as the board report
//! names each director's sign-offs to the chair already.

use crate::error::{ApiResult, AppError};
use crate::service::board::chair_of;
use crate::service::consistency::{spread, Spread, MIN_GROUP};
use chrono::DateTime;
use rust_decimal::Decimal;
use serde::Serialize;
use std::collections::{BTreeMap, HashMap};
use tenpa_store::{BoardAppraisal, Store, User};
use utoipa::ToSchema;

/// One year's appraisals.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, ToSchema)]
pub struct AppraisalYear {
    /// The appraisal year (the year it starts).
    pub year: i64,
    /// The board's directors now.
    pub directors: usize,
    /// Appraisals opened for the year.
    pub opened: usize,
    /// Of them, signed off by the director and the appraiser.
    pub signed_off: usize,
    /// Signed off as a share of the directors, per cent with one decimal.
    pub percent: String,
    /// Days from opening to the last signature, when at least five were signed off.
    pub days_to_sign_off: Option<Spread>,
}

/// One position's appraisals over all years.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, ToSchema)]
pub struct AppraisalPosition {
    /// `chair`, `chief_executive`, `executive` or `non_executive`.
    pub position: String,
    /// Appraisals opened.
    pub opened: usize,
    /// Whether its figures are left out: fewer than five appraisals.
    pub suppressed: bool,
    /// Signed off by both, when not suppressed.
    pub signed_off: Option<usize>,
    /// Signed off as a share of those opened, per cent with one decimal.
    pub percent: Option<String>,
    /// Days from opening to the last signature, when at least five were signed off.
    pub days_to_sign_off: Option<Spread>,
}

/// The report.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, ToSchema)]
pub struct AppraisalConsistency {
    /// The organisation.
    pub organisation_id: i64,
    /// Each year with appraisals, the earliest first.
    pub years: Vec<AppraisalYear>,
    /// Each position with appraisals.
    pub positions: Vec<AppraisalPosition>,
}

fn percent(part: usize, whole: usize) -> String {
    let per_mille = part * 1000 / whole.max(1);
    format!("{}.{}", per_mille / 10, per_mille % 10)
}

/// Whole days from `opened` to the later of the two signatures, when both are given.
fn days_to_sign_off(a: &BoardAppraisal, opened: Option<&String>) -> Option<Decimal> {
    let at = |s: &str| DateTime::parse_from_rfc3339(s).ok();
    let from = at(opened?)?;
    let to = at(a.director_signed_at.as_deref()?)?.max(at(a.appraiser_signed_at.as_deref()?)?);
    (to >= from).then(|| Decimal::from((to - from).num_days()))
}

/// The spread of `days`, when there are at least five.
fn spread_of(days: Vec<Decimal>) -> Option<Spread> {
    if days.len() < MIN_GROUP {
        None
    } else {
        spread(days)
    }
}

/// The figures of `appraisals` by a board of `directors` whose positions are `position`.
pub fn figures(
    organisation_id: i64,
    directors: usize,
    position: &HashMap<i64, String>,
    appraisals: &[BoardAppraisal],
    opened: &HashMap<i64, String>,
) -> AppraisalConsistency {
    let mut by_year: BTreeMap<i64, Vec<&BoardAppraisal>> = BTreeMap::new();
    let mut by_position: BTreeMap<&str, Vec<&BoardAppraisal>> = BTreeMap::new();
    for a in appraisals {
        by_year.entry(a.year).or_default().push(a);
        if let Some(p) = position.get(&a.director_id) {
            by_position.entry(p.as_str()).or_default().push(a);
        }
    }
    let signed =
        |a: &&&BoardAppraisal| a.director_signed_at.is_some() && a.appraiser_signed_at.is_some();
    let days = |group: &[&BoardAppraisal]| {
        group
            .iter()
            .filter_map(|a| days_to_sign_off(a, opened.get(&a.id)))
            .collect::<Vec<_>>()
    };
    AppraisalConsistency {
        organisation_id,
        years: by_year
            .into_iter()
            .map(|(year, group)| {
                let signed_off = group.iter().filter(signed).count();
                AppraisalYear {
                    year,
                    directors,
                    opened: group.len(),
                    signed_off,
                    percent: percent(signed_off, directors.max(group.len())),
                    days_to_sign_off: spread_of(days(&group)),
                }
            })
            .collect(),
        positions: by_position
            .into_iter()
            .map(|(p, group)| {
                let suppressed = group.len() < MIN_GROUP;
                let signed_off = group.iter().filter(signed).count();
                AppraisalPosition {
                    position: p.to_string(),
                    opened: group.len(),
                    suppressed,
                    signed_off: (!suppressed).then_some(signed_off),
                    percent: (!suppressed).then(|| percent(signed_off, group.len())),
                    days_to_sign_off: if suppressed {
                        None
                    } else {
                        spread_of(days(&group))
                    },
                }
            })
            .collect(),
    }
}

/// The report of an organisation's board: its chair or an administrator. 404 for no such
/// organisation.
pub async fn report(store: &Store, user: &User, id: i64) -> ApiResult<AppraisalConsistency> {
    let mine = store.directors_of_user(&user.username).await?;
    if !crate::policy::may_keep_board(user, chair_of(&mine, id)) {
        return Err(AppError::Forbidden(
            "the consistency of the board's appraisals is for the board's chair".into(),
        ));
    }
    if !store.organisations().await?.iter().any(|o| o.id == id) {
        return Err(AppError::NotFound(format!("organisation {id}")));
    }
    let board = store.directors(id).await?;
    of_board(store, id, board.into_iter().map(|d| (d.id, d.position))).await
}

/// The report of the board of organisation `id` whose directors (id, position) the caller has
/// read already, having checked who may read it (the board report's page).
pub async fn of_board(
    store: &Store,
    id: i64,
    directors: impl IntoIterator<Item = (i64, String)>,
) -> ApiResult<AppraisalConsistency> {
    let position: HashMap<i64, String> = directors.into_iter().collect();
    let appraisals = store.board_appraisals(id, None).await?;
    let opened = store.board_appraisals_opened().await?;
    Ok(figures(id, position.len(), &position, &appraisals, &opened))
}

#[cfg(test)]
mod tests {
    use super::*;
    use rust_decimal_macros::dec;

    fn appraisal(
        id: i64,
        director: i64,
        year: i64,
        signed: Option<(&str, &str)>,
    ) -> BoardAppraisal {
        BoardAppraisal {
            id,
            director_id: director,
            year,
            framework_version: "2013".into(),
            ratings: Default::default(),
            discussion: String::new(),
            objectives: String::new(),
            director_signed_at: signed.map(|s| s.0.to_string()),
            appraiser_signed_at: signed.map(|s| s.1.to_string()),
            version: 1,
            updated_at: String::new(),
        }
    }

    /// Worked by hand: six executives' appraisals for 2025 opened on 1 May; five signed off by
    /// both, the later signature 10, 20, 30, 40 and 50 days on; one chair's appraisal. The year:
    /// 5 of 7 directors (71.4%), days 10/20/30/40/50 → quartiles 20 and 40, median 30. The
    /// executives: 5 of 6 (83.3%); the chair, one appraisal: not shown.
    #[test]
    fn completion_and_days_to_sign_off_with_small_groups_left_out() {
        let opened_at = "2025-05-01T09:00:00Z";
        let mut appraisals = Vec::new();
        let mut opened = HashMap::new();
        let mut position = HashMap::new();
        for i in 1..=6 {
            let day = |d: i64| {
                (chrono::NaiveDate::from_ymd_opt(2025, 5, 1).unwrap() + chrono::Duration::days(d))
                    .format("%Y-%m-%dT10:00:00Z")
                    .to_string()
            };
            let (director, appraiser) = (day(i * 10 - 5), day(i * 10));
            let signed = (i <= 5).then_some((director.as_str(), appraiser.as_str()));
            appraisals.push(appraisal(i, i, 2025, signed));
            opened.insert(i, opened_at.to_string());
            position.insert(i, "executive".to_string());
        }
        appraisals.push(appraisal(7, 7, 2025, None));
        opened.insert(7, opened_at.to_string());
        position.insert(7, "chair".to_string());
        let r = figures(1, 7, &position, &appraisals, &opened);
        let y = &r.years[0];
        assert_eq!(
            (y.year, y.opened, y.signed_off, y.percent.as_str()),
            (2025, 7, 5, "71.4")
        );
        let d = y.days_to_sign_off.as_ref().unwrap();
        assert_eq!((d.q1, d.median, d.q3), (dec!(20), dec!(30), dec!(40)));
        let exec = r
            .positions
            .iter()
            .find(|p| p.position == "executive")
            .unwrap();
        assert_eq!(
            (exec.signed_off, exec.percent.as_deref()),
            (Some(5), Some("83.3"))
        );
        assert!(exec.days_to_sign_off.is_some());
        let chair = r.positions.iter().find(|p| p.position == "chair").unwrap();
        assert!(chair.suppressed && chair.signed_off.is_none() && chair.percent.is_none());
        // Four signed off: no figures of time for the year.
        let r = figures(1, 7, &position, &appraisals[1..], &opened);
        assert_eq!(r.years[0].signed_off, 4);
        assert_eq!(r.years[0].days_to_sign_off, None);
    }
}
