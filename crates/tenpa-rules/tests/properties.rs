//! Property tests of invariants that hold for every plan.

use chrono::NaiveDate;
use proptest::prelude::*;
use rust_decimal::Decimal;
use tenpa_rules::plan::{
    Activity, Category, ClockTime, Consultant, Day, Employer, EmployerKind, ExistingAward,
    ExistingAwardKind, JobPlan, Nation, NonNegative, OnCall, OnCallCategory, Pay, PayPoint,
    Recognition,
};
use tenpa_rules::{evaluate, parse_document, Format, JobPlanDocument, Parameters};

fn date() -> impl Strategy<Value = NaiveDate> {
    (0i64..(365 * 6))
        .prop_map(|d| NaiveDate::from_ymd_opt(2003, 4, 1).unwrap() + chrono::Duration::days(d))
}

fn activity() -> impl Strategy<Value = Activity> {
    (
        0usize..7,
        0u16..48,
        1u16..24,
        0usize..4,
        any::<bool>(),
        proptest::collection::vec(1u8..=2, 0..2),
        proptest::option::of(prop_oneof![Just("north"), Just("south"), Just("uni")]),
    )
        .prop_map(|(d, start, len, c, extra, weeks, employer)| {
            let start = start * 30;
            let end = (start + len * 30) % 1440;
            Activity {
                day: Day::ALL[d],
                start: ClockTime::from_minutes(start).unwrap(),
                end: ClockTime::from_minutes(if end == start { (end + 30) % 1440 } else { end })
                    .unwrap(),
                category: Category::ALL[c],
                extra,
                weeks,
                title: format!("activity {d}-{start}"),
                location: String::new(),
                off_site: false,
                predictable_emergency: false,
                employer: employer.map(str::to_string),
                agreed_on: None,
            }
        })
}

fn hours() -> impl Strategy<Value = Decimal> {
    (0u32..60).prop_map(|q| Decimal::from(q) / Decimal::from(4))
}

fn on_call() -> impl Strategy<Value = Option<OnCall>> {
    prop_oneof![
        Just(None),
        (1u32..15, any::<bool>(), hours(), hours()).prop_map(|(n, a, p, q)| Some(OnCall {
            rota_size: n,
            category: Some(if a {
                OnCallCategory::A
            } else {
                OnCallCategory::B
            }),
            emergency_hours_plain: p,
            emergency_hours_premium: q,
            recalls_per_year: None,
            employer: None,
            same_responsibilities_as_full_time: None,
            short_intervals: None,
        })),
    ]
}

/// No employer list (0), two NHS employers and a university with a lead (1), or without one (2).
fn employers(which: u8) -> Vec<Employer> {
    if which == 0 {
        return Vec::new();
    }
    let e = |id: &str, kind, lead| Employer {
        id: id.into(),
        name: format!("{id} employer"),
        kind,
        lead,
    };
    vec![
        e("north", EmployerKind::Nhs, which == 1),
        e("south", EmployerKind::Nhs, false),
        e("uni", EmployerKind::University, false),
    ]
}

prop_compose! {
    fn plan()(
        activities in proptest::collection::vec(activity(), 0..14),
        on_call in on_call(),
        pas in 1u32..=40,
        cycle in 1u8..=2,
        premium in any::<bool>(),
        agreed in any::<bool>(),
        point in 0u8..8,
        cea in 0u8..14,
        existing in proptest::option::of((any::<bool>(), 0u32..40_000)),
        effective in date(),
        appointed in 0i64..(365 * 30),
        which_employers in 0u8..3,
        rota_employer in proptest::option::of(prop_oneof![Just("north"), Just("south")]),
    ) -> JobPlanDocument {
        let employers = employers(which_employers);
        let mut activities = activities;
        let mut on_call = on_call;
        if employers.is_empty() {
            activities.iter_mut().for_each(|a| a.employer = None);
        } else if let Some(o) = on_call.as_mut() {
            o.employer = rota_employer.map(str::to_string);
        }
        JobPlanDocument {
            consultant: Consultant {
                id: "p".into(),
                name: String::new(),
                first_appointed: NaiveDate::from_ymd_opt(1980, 1, 1).unwrap() + chrono::Duration::days(appointed),
                post_offered: NaiveDate::from_ymd_opt(1980, 1, 1).unwrap() + chrono::Duration::days(appointed),
                transferred: None,
                seniority_at_transfer: None,
                nation: Nation::England,
                private_practice: false,
                opt_out_48h: false,
            },
            job_plan: JobPlan {
                effective_from: effective,
                contracted_pas: Decimal::from(pas) / Decimal::from(4),
                cycle_weeks: cycle,
                out_of_hours_recognition: if premium { Recognition::Premium } else { Recognition::Time },
                premium_mutually_agreed: agreed,
                local_variation: String::new(),
                private_practice_exception: String::new(),
                study_leave_days_in_3_years: None,
                employer_arrangement: String::new(),
                appointed_to_post: None,
                accountable_to: String::new(),
                supporting_resources: String::new(),
                service_provided: String::new(),
            },
            pay: Pay {
                point: PayPoint::Point(point),
                cea_level: cea,
                recruitment_retention_premium: None,
                existing_award: existing.map(|(points, amount)| ExistingAward {
                    kind: if points { ExistingAwardKind::DiscretionaryPoints } else { ExistingAwardKind::DistinctionAward },
                    amount: NonNegative(Decimal::from(amount)),
                }),
            },
            activities,
            on_call,
            travel: vec![],
            previous_review: None,
            employers,
            private_sessions: vec![],
            leave: vec![],
        }
    }
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(300))]

    /// Source: OC-3 (F 4(b), F 9(i)): on-call PAs never exceed the cap in force.
    #[test]
    fn on_call_pas_never_above_the_cap(doc in plan()) {
        let p = Parameters::embedded();
        let a = evaluate(&doc, p, None).unwrap();
        let cap = *p.emergency_cap_pas.value(a.applied_on).unwrap();
        prop_assert!(a.pas.on_call <= cap, "{} > {}", a.pas.on_call, cap);
    }

    /// Source: PAY rules: no pay component is ever negative, and the totals add up.
    #[test]
    fn money_is_never_negative_and_adds_up(doc in plan()) {
        let a = evaluate(&doc, Parameters::embedded(), None).unwrap();
        let p = &a.pay;
        for m in [p.full_time_salary, p.basic_salary, p.extra_pas, p.availability_supplement, p.out_of_hours_premium, p.clinical_excellence_award, p.existing_award, p.recruitment_retention_premium, p.total, p.superannuable] {
            prop_assert!(m.pounds() >= Decimal::ZERO);
        }
        prop_assert_eq!(p.total, p.basic_salary + p.extra_pas + p.availability_supplement + p.out_of_hours_premium + p.clinical_excellence_award + p.existing_award + p.recruitment_retention_premium);
        // Source: CEA-3 (E 4.3-4.4): a clinical excellence award and an existing award are never
        // both paid; one subsumes the other.
        prop_assert!(p.clinical_excellence_award.pence() == 0 || p.existing_award.pence() == 0);
    }

    /// Source: WW-1, WW-3: adding an activity in plain time never lowers the PA total.
    #[test]
    fn a_plain_time_activity_never_lowers_the_total(doc in plan(), day in 0usize..5, start in 16u16..40, len in 1u16..4) {
        let p = Parameters::embedded();
        let before = evaluate(&doc, p, None).unwrap();
        let mut more = doc.clone();
        more.activities.push(Activity {
            day: Day::ALL[day],
            start: ClockTime::from_minutes(start * 30).unwrap(),
            end: ClockTime::from_minutes(start * 30 + len * 30).unwrap(),
            category: Category::Dcc,
            extra: false,
            weeks: vec![],
            title: "added".into(),
            location: String::new(),
            off_site: false,
            predictable_emergency: false,
            employer: None,
            agreed_on: None,
        });
        let after = evaluate(&more, p, None).unwrap();
        prop_assert!(after.pas.total >= before.pas.total, "{} < {}", after.pas.total, before.pas.total);
    }

    /// Source: JP-5 (F 1(f), A 11.1): one integrated plan: the employers' PAs add up to the plan's
    /// total PAs, and their hours to the hours counted for WW-6 less travel.
    #[test]
    fn employers_pas_add_up_to_the_plan_total(doc in plan()) {
        let a = evaluate(&doc, Parameters::embedded(), None).unwrap();
        if a.employers.is_empty() {
            return Ok(());
        }
        prop_assert!(a.employers.len() > 1);
        let tiny = Decimal::new(1, 20);
        let pas: Decimal = a.employers.iter().map(|e| e.pas).sum();
        prop_assert!((pas - a.pas.total).abs() < tiny, "{} != {}", pas, a.pas.total);
        let hours: Decimal = a.employers.iter().map(|e| e.hours).sum();
        let wtr = a.hours.average_weekly_for_wtr - a.hours.travel_counted;
        prop_assert!((hours - wtr).abs() < tiny, "{} != {}", hours, wtr);
    }

    /// Source: docs/documents.md: the TOML and JSON forms of a plan are the same plan.
    #[test]
    fn toml_and_json_forms_give_identical_assessments(doc in plan()) {
        let p = Parameters::embedded();
        let toml_text = toml::to_string(&doc).unwrap();
        let json_text = serde_json::to_string(&doc).unwrap();
        let from_toml = parse_document("p.toml", toml_text.as_bytes(), Format::Toml, p).map_err(|e| TestCaseError::fail(format!("{e}\n{toml_text}")))?;
        let from_json = parse_document("p.json", json_text.as_bytes(), Format::Json, p).map_err(|e| TestCaseError::fail(format!("{e}\n{json_text}")))?;
        prop_assert_eq!(&from_toml, &doc);
        prop_assert_eq!(&from_json, &doc);
        prop_assert_eq!(evaluate(&from_toml, p, None).unwrap(), evaluate(&from_json, p, None).unwrap());
    }

    /// Source: plan parser: arbitrary text never panics the parser.
    #[test]
    fn arbitrary_text_never_panics(text in ".{0,400}") {
        let p = Parameters::embedded();
        let _ = parse_document("x.toml", text.as_bytes(), Format::Toml, p);
        let _ = parse_document("x.json", text.as_bytes(), Format::Json, p);
    }
}
