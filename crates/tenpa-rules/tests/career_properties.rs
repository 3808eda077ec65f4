//! Property tests of invariants that hold for every career.

use chrono::{Datelike, NaiveDate};
use proptest::prelude::*;
use rust_decimal::Decimal;
use tenpa_rules::plan::{
    Appeal, AppealOutcome, CareerDocument, Consultant, ExtraPaOffer, Nation, OfferBasis,
    OfferResponse, OutsideWork, PayPoint, Year,
};
use tenpa_rules::progression::{anniversary, Career, EventKind};
use tenpa_rules::{parse_career, pay, timeline, Format, Parameters};

fn day(y: i32, m: u32, d: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, d).unwrap()
}

/// A year: usually satisfactory; sometimes a failed criterion, discretion, an appeal, outside work.
fn year() -> impl Strategy<Value = (u8, bool, u8, bool, Option<u8>)> {
    (
        0u8..12,
        any::<bool>(),
        0u8..8,
        any::<bool>(),
        proptest::option::of(0u8..10),
    )
}

fn build_year(
    ending: NaiveDate,
    (fail, discretion, appeal, outside, pas): (u8, bool, u8, bool, Option<u8>),
) -> Year {
    let mut y = Year {
        ending,
        met_time_and_service: Some(true),
        met_objectives_or_reasonable_effort: Some(true),
        took_part_in_appraisal_and_job_planning: Some(true),
        worked_towards_service_changes: Some(true),
        offered_spare_capacity: None,
        met_private_practice_standards: Some(true),
        employer_discretion: String::new(),
        outside_remunerated_work: if outside {
            OutsideWork::Categories(vec!["independent_sector".into()])
        } else {
            OutsideWork::None
        },
        consulted_employer_on_outside_work: None,
        private_practice_increased: false,
        contracted_pas: pas.map(|p| Decimal::from(p) / Decimal::TWO + Decimal::from(5)),
        appeal: None,
    };
    match fail {
        0 => y.met_time_and_service = Some(false),
        1 => y.met_objectives_or_reasonable_effort = Some(false),
        2 => y.took_part_in_appraisal_and_job_planning = Some(false),
        3 => y.worked_towards_service_changes = Some(false),
        4 => y.offered_spare_capacity = Some(false),
        5 => y.met_private_practice_standards = Some(false),
        _ => {}
    }
    if fail < 6 && discretion {
        y.employer_discretion = "illness".into();
    }
    if fail < 6 {
        y.appeal = match appeal {
            0 => Some(Appeal {
                lodged: ending,
                outcome: AppealOutcome::Upheld,
                decided: Some(ending + chrono::Duration::days(60)),
            }),
            1 => Some(Appeal {
                lodged: ending,
                outcome: AppealOutcome::Dismissed,
                decided: Some(ending + chrono::Duration::days(60)),
            }),
            2 => Some(Appeal {
                lodged: ending,
                outcome: AppealOutcome::Pending,
                decided: None,
            }),
            _ => None,
        };
    }
    y
}

prop_compose! {
    fn career()(
        existing in any::<bool>(),
        start_days in 0i64..(365 * 7),
        seniority in 0u32..36,
        point in 0u8..8,
        years in proptest::collection::vec(year(), 0..32),
        offers in proptest::collection::vec((0i64..(365 * 20), 1i64..250, 1u8..5, any::<bool>()), 0..4),
    ) -> CareerDocument {
        let anchor = day(2003, 4, 1) + chrono::Duration::days(start_days);
        // No anchor on 29 February here: the generated endings add whole years.
        let anchor = if anchor.month() == 2 && anchor.day() == 29 { anchor + chrono::Duration::days(1) } else { anchor };
        // An existing consultant was first appointed no later than the transfer.
        let first = if existing { day(anchor.year() - seniority as i32, 1, 15).min(anchor) } else { anchor };
        let consultant = Consultant {
            id: "p".into(),
            name: String::new(),
            first_appointed: first,
            post_offered: first - chrono::Duration::days(90),
            transferred: existing.then_some(anchor),
            seniority_at_transfer: existing.then_some(seniority),
            nation: Nation::England,
            private_practice: true,
            opt_out_48h: false,
        };
        let years = years
            .into_iter()
            .enumerate()
            .map(|(i, y)| build_year(anchor.with_year(anchor.year() + i as i32 + 1).unwrap(), y))
            .collect();
        let extra_pa_offers = offers
            .into_iter()
            .map(|(at, notice, pas, accepted)| ExtraPaOffer {
                offered_on: anchor + chrono::Duration::days(at),
                starts_on: anchor + chrono::Duration::days(at + notice),
                pas: Decimal::from(pas) / Decimal::TWO,
                basis: OfferBasis::Annualised,
                at_annual_review: true,
                reschedule_external_commitments: false,
                shorter_notice_agreed: false,
                offered_to_all_appropriate: true,
                response: if accepted { OfferResponse::Accepted } else { OfferResponse::Declined },
                responded_on: anchor + chrono::Duration::days(at),
                terminated_on: None,
                termination_notice_given_on: None,
            })
            .collect();
        CareerDocument {
            consultant,
            pay: (!existing).then_some(tenpa_rules::plan::CareerPay { start: Some(PayPoint::Point(point)), recruitment_retention_premium: None, existing_award: None }),
            transition: None,
            outside_work: None,
            years,
            extra_pa_offers,
            awards: vec![],
        }
    }
}

fn walk(doc: &CareerDocument) -> Career {
    let until = doc
        .anchor()
        .with_year(doc.anchor().year() + 40)
        .expect("a date");
    timeline(doc, Parameters::embedded(), Some(until)).expect("a career on the contract")
}

/// The date each threshold value was reached.
fn thresholds(c: &Career) -> Vec<(Decimal, NaiveDate)> {
    c.events
        .iter()
        .filter(|e| e.kind == EventKind::Threshold)
        .map(|e| (e.point_value_2002_03.pounds(), e.date))
        .collect()
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(200))]

    /// Source: F 3(b), F 9(c): the point held never decreases; every threshold raises it.
    #[test]
    fn points_never_decrease(doc in career()) {
        let c = walk(&doc);
        let held: Vec<_> = c.events.iter().filter(|e| e.kind != EventKind::Deferred).collect();
        for w in held.windows(2) {
            prop_assert!(w[1].point_value_2002_03 > w[0].point_value_2002_03, "{:?}", c.events);
            prop_assert!(w[1].date > w[0].date);
        }
        for w in c.pay_years.windows(2) {
            prop_assert!(w[1].point_value_2002_03 >= w[0].point_value_2002_03);
            prop_assert!(w[1].full_time_salary >= w[0].full_time_salary);
        }
    }

    /// Source: F 3(d), C 4.3: making an unsatisfactory year satisfactory never delays any threshold.
    #[test]
    fn a_satisfactory_year_never_delays_progression(doc in career(), pick in any::<prop::sample::Index>()) {
        let before = walk(&doc);
        let unsatisfactory: Vec<usize> = before.years.iter().enumerate().filter(|(_, y)| !y.satisfactory).map(|(i, _)| i).collect();
        prop_assume!(!unsatisfactory.is_empty());
        let i = unsatisfactory[pick.index(unsatisfactory.len())];
        let mut better = doc.clone();
        let fixed = build_year(better.years[i].ending, (9, false, 9, false, None));
        better.years[i] = Year { contracted_pas: better.years[i].contracted_pas, ..fixed };
        better.extra_pa_offers.clear();
        let after = walk(&better);
        let (a, b) = (thresholds(&after), thresholds(&before));
        prop_assert!(a.len() >= b.len());
        for ((va, da), (vb, db)) in a.iter().zip(&b) {
            prop_assert_eq!(va, vb);
            prop_assert!(da <= db, "{} reached on {} instead of {}", va, da, db);
        }
    }

    /// Source: F 3(d), C 4.3, F 9(c): each threshold falls exactly its interval plus the years that
    /// did not count after the previous one, and its counts add up.
    #[test]
    fn each_threshold_is_late_by_the_years_not_counted(doc in career()) {
        let c = walk(&doc);
        let leap = *Parameters::embedded().leap_day_anniversary.value(c.starts.date).unwrap();
        let mut previous = c.starts.date;
        for e in c.events.iter().filter(|e| e.kind == EventKind::Threshold) {
            let years_since = c.years.iter().filter(|y| y.ending > previous && y.ending <= e.date).count() as u32;
            prop_assert_eq!(years_since, e.years_required + e.deferred_years);
            let uncounted = c.years.iter().filter(|y| y.ending > previous && y.ending <= e.date && !y.counted).count() as u32;
            prop_assert_eq!(uncounted, e.deferred_years);
            prop_assert_eq!(e.satisfactory_years_counted as usize + e.discretion.len(), e.years_required as usize);
            prop_assert!(anniversary(c.starts.date, c.years.iter().filter(|y| y.ending <= e.date).count() as u32, leap) == Some(e.date));
            previous = e.date;
        }
    }

    /// Source: PAY-2, PAY-3: each event's salary is the pay module's figure for its point and pay
    /// year, and each pay year's total adds up its rounded parts.
    #[test]
    fn salaries_agree_with_the_pay_rules_and_totals_add_up(doc in career()) {
        let p = Parameters::embedded();
        let c = walk(&doc);
        for e in &c.events {
            let (ys, label) = pay::pay_year(e.date);
            let mut f = tenpa_rules::finding::Findings::default();
            let want = pay::full_time_salary(p, PayPoint::Value2002(e.point_value_2002_03.pounds()), ys, &label, &mut f).unwrap();
            prop_assert_eq!(e.salary.pounds(), want);
        }
        for r in &c.pay_years {
            prop_assert_eq!(r.total, r.basic_salary + r.clinical_excellence_award + r.existing_award + r.recruitment_retention_premium);
            prop_assert!(r.basic_salary <= r.full_time_salary);
        }
    }

    /// Source: docs/documents.md: the TOML and JSON forms of a career are the same career.
    #[test]
    fn toml_and_json_forms_give_identical_timelines(doc in career()) {
        let p = Parameters::embedded();
        let toml_text = toml::to_string(&doc).unwrap();
        let json_text = serde_json::to_string(&doc).unwrap();
        let from_toml = parse_career("c.toml", toml_text.as_bytes(), Format::Toml, p).map_err(|e| TestCaseError::fail(format!("{e}\n{toml_text}")))?;
        let from_json = parse_career("c.json", json_text.as_bytes(), Format::Json, p).map_err(|e| TestCaseError::fail(format!("{e}\n{json_text}")))?;
        prop_assert_eq!(&from_toml, &doc);
        prop_assert_eq!(&from_json, &doc);
        prop_assert_eq!(walk(&from_toml), walk(&from_json));
    }

    /// Source: career parser: arbitrary text never panics the parser.
    #[test]
    fn arbitrary_text_never_panics(text in ".{0,400}") {
        let p = Parameters::embedded();
        let _ = parse_career("x.toml", text.as_bytes(), Format::Toml, p);
        let _ = parse_career("x.json", text.as_bytes(), Format::Json, p);
    }

    /// Source: career parser: a document whose years are shuffled is refused, never mis-read.
    #[test]
    fn shuffled_years_are_refused(doc in career(), a in any::<prop::sample::Index>(), b in any::<prop::sample::Index>()) {
        prop_assume!(doc.years.len() >= 2);
        let (i, j) = (a.index(doc.years.len()), b.index(doc.years.len()));
        prop_assume!(i != j);
        let mut shuffled = doc.clone();
        shuffled.years.swap(i, j);
        let text = toml::to_string(&shuffled).unwrap();
        let e = parse_career("s.toml", text.as_bytes(), Format::Toml, Parameters::embedded()).unwrap_err();
        prop_assert!(e.field.starts_with("year["), "{}", e);
        prop_assert!(e.message.contains("date order"), "{}", e);
    }
}
