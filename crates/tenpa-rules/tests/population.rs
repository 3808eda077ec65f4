//! A population row and the equivalent job plan give the same pay to the penny (issue "Costing a
//! whole workforce", `docs/documents.md` "The population file"): 10,000 random rows, each costed by
//! `population::Costing` and by `evaluate` on a job plan built to say the same thing.

use chrono::NaiveDate;
use rust_decimal::Decimal;
use std::collections::HashMap;
use tenpa_rules::plan::{
    Activity, Category, ClockTime, Consultant, Day, JobPlan, Nation, OnCall, OnCallCategory, Pay,
    PayPoint, Recognition,
};
use tenpa_rules::population::{
    recognition_applied, units_to_decimal, Columns, Costing, ExactInput, ExactRow, Row, RowInput,
    Totals, UNITS,
};
use tenpa_rules::{evaluate, JobPlanDocument, Parameters};

struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        // SplitMix64.
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }
    fn below(&mut self, n: u64) -> u64 {
        self.next() % n
    }
}

fn date(y: i32, m: u32, d: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, d).unwrap()
}

/// Dates on both sides of each transition: out-of-hours recognition (1 April 2004), the on-call
/// cap (1 April 2005), mutual agreement (1 April 2006), and a year with no known award.
const DATES: [(i32, u32, u32); 8] = [
    (2003, 4, 1),
    (2003, 10, 1),
    (2004, 3, 31),
    (2004, 4, 1),
    (2005, 3, 31),
    (2005, 4, 1),
    (2006, 4, 1),
    (2008, 6, 15),
];

fn random_row(rng: &mut Rng) -> (NaiveDate, RowInput) {
    let (y, m, d) = DATES[rng.below(DATES.len() as u64) as usize];
    let hours = |rng: &mut Rng| match rng.below(6) {
        0 => 0,
        1 => rng.below(UNITS / 2 + 1), // around OC-4's 30 minutes
        2 => rng.below(4) * UNITS / 4,
        _ => rng.below(12 * UNITS),
    };
    let rota_size = match rng.below(10) {
        0..=2 => 0,
        3 => 1000 + rng.below(100_000),
        _ => 1 + rng.below(15),
    };
    let input = RowInput {
        point: rng.below(8),
        contracted: match rng.below(3) {
            0 => 10 * UNITS,
            _ => 1 + rng.below(12 * UNITS),
        },
        extra: rng.below(33) * UNITS / 8,
        rota_size,
        category: match (rota_size, rng.below(3)) {
            (0, 0) => None,
            (_, 1) => Some(OnCallCategory::B),
            _ => Some(OnCallCategory::A),
        },
        ooh_pas: rng.below(19) * UNITS / 4,
        recognition: if rng.below(2) == 0 {
            Recognition::Time
        } else {
            Recognition::Premium
        },
        // OOH-3: agreed, not agreed, or no `premium_agreed` column (not agreed).
        premium_agreed: rng.below(3) == 0,
        emergency_plain: hours(rng),
        emergency_ooh: hours(rng),
        cea_level: rng.below(14),
    };
    (date(y, m, d), input)
}

fn activity(day: usize, start: u32, minutes: u32, extra: bool) -> Activity {
    Activity {
        day: Day::ALL[day],
        start: ClockTime::from_minutes(start as u16).unwrap(),
        end: ClockTime::from_minutes(((start + minutes) % 1440) as u16).unwrap(),
        category: Category::Dcc,
        extra,
        weeks: vec![],
        title: String::new(),
        location: String::new(),
        off_site: false,
        predictable_emergency: false,
        employer: None,
        agreed_on: None,
    }
}

/// Fills `minutes` from `start` on successive days, at most `per_day` minutes a day.
fn place(minutes: u32, start: u32, per_day: u32, first_day: usize, extra: bool) -> Vec<Activity> {
    let mut out = Vec::new();
    let mut left = minutes;
    let mut day = first_day;
    while left > 0 {
        let m = left.min(per_day);
        out.push(activity(day, start, m, extra));
        left -= m;
        day += 1;
    }
    out
}

/// The job plan that says what the row says. Contracted PAs above 10 are 10 in a job plan (pay
/// uses at most 10); extra PAs are extra activities in plain time (Monday and Tuesday from 08:00);
/// PAs in premium time are DCC activities from 22:00 on weekday nights, as many hours as make
/// the row's PAs under the recognition in force (OOH-1, OOH-2).
fn job_plan(on: NaiveDate, r: &RowInput, params: &Parameters) -> JobPlanDocument {
    job_plan_exact(on, r, &exact_input(r), params)
}

fn exact_input(r: &RowInput) -> ExactInput {
    ExactInput {
        point: r.point,
        contracted: units_to_decimal(r.contracted),
        extra: units_to_decimal(r.extra),
        rota_size: r.rota_size,
        category: r.category,
        ooh_pas: units_to_decimal(r.ooh_pas),
        recognition: r.recognition,
        premium_agreed: r.premium_agreed,
        emergency_plain: units_to_decimal(r.emergency_plain),
        emergency_ooh: units_to_decimal(r.emergency_ooh),
        cea_level: r.cea_level,
    }
}

/// The form the row is costed under (OOH-3): the premium form chosen without agreement on a date
/// when it needs agreement is the reduced-hours form. The equivalent job plan says that form;
/// `unagreed_premium_rows_equal_evaluate_on_the_plan_as_written` checks the plan as written.
fn applied(on: NaiveDate, r: &RowInput, params: &Parameters) -> Recognition {
    let needs = *params.premium_needs_mutual_agreement.value(on).unwrap();
    recognition_applied(r.recognition, r.premium_agreed, needs)
}

/// The job plan of `r`, with `x`'s contracted PAs and emergency hours (which a plan holds as
/// exact decimals); extra PAs and PAs in premium time are `r`'s, in whole minutes.
fn job_plan_exact(
    on: NaiveDate,
    r: &RowInput,
    x: &ExactInput,
    params: &Parameters,
) -> JobPlanDocument {
    let extra_minutes = (r.extra * 240 / UNITS) as u32;
    let quarters = (r.ooh_pas * 4 / UNITS) as u32;
    let recognition = applied(on, r, params);
    let time_form =
        *params.ooh_recognition_in_force.value(on).unwrap() && recognition == Recognition::Time;
    let premium_minutes = if time_form {
        // 3-hour PAs for the first 3, then 4-hour PAs.
        quarters.min(12) * 45 + quarters.saturating_sub(12) * 60
    } else {
        quarters * 60
    };
    let mut activities = place(extra_minutes, 8 * 60, 12 * 60, 0, true);
    activities.extend(place(premium_minutes, 22 * 60, 10 * 60, 0, false));
    JobPlanDocument {
        consultant: Consultant {
            id: "row".into(),
            name: String::new(),
            first_appointed: date(1995, 4, 1),
            post_offered: date(1995, 4, 1),
            transferred: None,
            seniority_at_transfer: None,
            nation: Nation::England,
            private_practice: false,
            opt_out_48h: true,
        },
        job_plan: JobPlan {
            effective_from: on,
            contracted_pas: x.contracted.min(Decimal::TEN),
            cycle_weeks: 1,
            out_of_hours_recognition: recognition,
            premium_mutually_agreed: r.premium_agreed,
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
            point: PayPoint::Point(r.point as u8),
            cea_level: r.cea_level as u8,
            recruitment_retention_premium: None,
            existing_award: None,
        },
        activities,
        on_call: Some(OnCall {
            rota_size: r.rota_size as u32,
            category: if r.rota_size > 0 { r.category } else { None },
            emergency_hours_plain: x.emergency_plain,
            emergency_hours_premium: x.emergency_ooh,
            recalls_per_year: None,
            employer: None,
            same_responsibilities_as_full_time: None,
            short_intervals: None,
        }),
        travel: vec![],
        previous_review: None,
        private_sessions: vec![],
        leave: vec![],
        employers: vec![],
    }
}

/// Source: issue "Costing a whole workforce", "Tests that must exist": equality with `evaluate`.
#[test]
fn ten_thousand_random_rows_equal_evaluate_on_the_equivalent_job_plan() {
    let (seen, premium_paid, capped, downgraded) =
        compare_counting_ooh_3(Parameters::embedded(), 10_000, 2026);
    // The sample reaches every band, pays premia, meets the cap and costs unagreed premium forms
    // as reduced hours (OOH-3).
    assert!(seen.iter().all(|&n| n > 500), "{seen:?}");
    assert!(downgraded > 300, "{downgraded}");
    assert!(premium_paid > 500, "{premium_paid}");
    assert!(capped > 200, "{capped}");
}

fn over(path: &str, unit: &str, values: &str) -> (String, String) {
    (
        path.to_string(),
        format!("description = \"d\"\nunit = \"{unit}\"\n{values}"),
    )
}

/// Source: `population::Costing` divides by figures read from the parameters when they are not
/// the contract's own (8 full-time PAs, premium steps with three decimal places, a cap of 1.5):
/// the same equality with `evaluate` under those parameters.
#[test]
fn other_parameters_equal_evaluate_too() {
    let params = other_parameters();
    let (seen, premium_paid, capped) = compare_with_evaluate(&params, 3_000, 99);
    assert!(seen.iter().all(|&n| n > 100), "{seen:?}");
    assert!(premium_paid > 100, "{premium_paid}");
    assert!(capped > 100, "{capped}");
}

/// 8 full-time PAs, premium steps with three decimal places, a cap of 1.5 PAs.
fn other_parameters() -> Parameters {
    Parameters::with_overrides(&[
        over(
            "working_week/full_time_pas.toml",
            "PAs",
            "[[values]]\nfrom = \"2003-04-01\"\nvalue = \"8\"\ncite = \"test\"\n",
        ),
        over(
            "out_of_hours/premium_steps.toml",
            "percent",
            "[[values]]\nfrom = \"2004-04-01\"\nvalue = [\"3.125\", \"6.5\", \"9.875\", \"12\"]\ncite = \"test\"\n",
        ),
        over(
            "on_call/emergency_cap_pas.toml",
            "PAs",
            "[[values]]\nfrom = \"2003-04-01\"\nvalue = \"1.5\"\ncite = \"test\"\n",
        ),
    ])
    .unwrap()
}

/// Source: `population::Costing::compile`: parameters whose decimal division `evaluate` could not
/// do exactly are refused, naming the parameter.
#[test]
fn inexact_parameters_are_refused() {
    let params = Parameters::with_overrides(&[over(
        "working_week/full_time_pas.toml",
        "PAs",
        "[[values]]\nfrom = \"2003-04-01\"\nvalue = \"3\"\ncite = \"test\"\n",
    )])
    .unwrap();
    let e = Costing::compile(&params, date(2006, 4, 1))
        .unwrap_err()
        .to_string();
    assert!(
        e.contains("working_week/full_time_pas.toml") && e.contains("2 and 5"),
        "{e}"
    );
    let e = Costing::compile(Parameters::embedded(), date(2003, 3, 31))
        .unwrap_err()
        .to_string();
    assert!(e.contains("not in force"), "{e}");
}

/// Costs `n` random rows and compares each with `evaluate`; returns rows per band, rows paid a
/// premium and rows at the cap.
fn compare_with_evaluate(params: &Parameters, n: usize, seed: u64) -> ([usize; 4], usize, usize) {
    let (seen, premium_paid, capped, _) = compare_counting_ooh_3(params, n, seed);
    (seen, premium_paid, capped)
}

/// As `compare_with_evaluate`, and the rows whose premium form OOH-3 turns into reduced hours.
fn compare_counting_ooh_3(
    params: &Parameters,
    n: usize,
    seed: u64,
) -> ([usize; 4], usize, usize, usize) {
    let mut downgraded = 0;
    let mut costings: HashMap<NaiveDate, Costing> = HashMap::new();
    let mut rng = Rng(seed);
    let mut seen = [0usize; 4];
    let mut premium_paid = 0;
    let mut capped = 0;
    for i in 0..n {
        let (on, input) = random_row(&mut rng);
        let row = match Row::new(input) {
            Ok(r) => r,
            Err(_) => continue, // a rota without a category: refused, as the job plan would be
        };
        let costing = costings
            .entry(on)
            .or_insert_with(|| Costing::compile(params, on).unwrap());
        let cost = costing.cost(&row);
        let doc = job_plan(on, &input, params);
        let a = evaluate(&doc, params, Some(on)).unwrap();
        let p = &a.pay;
        let ctx = format!("row {i} on {on}: {input:?}\nassessment pay: {p:?}\nmodel: {cost:?}");
        assert_eq!(p.basic_salary.pence() as u64, cost.basic_salary, "{ctx}");
        assert_eq!(p.extra_pas.pence() as u64, cost.extra_pas, "{ctx}");
        assert_eq!(
            p.availability_supplement.pence() as u64,
            cost.availability_supplement,
            "{ctx}"
        );
        assert_eq!(
            p.out_of_hours_premium.pence() as u64,
            cost.out_of_hours_premium,
            "{ctx}"
        );
        assert_eq!(
            p.clinical_excellence_award.pence() as u64,
            cost.clinical_excellence_award,
            "{ctx}"
        );
        assert_eq!(p.total.pence() as u64, cost.total(), "{ctx}");
        assert_eq!(
            p.superannuable.pence() as u64,
            cost.superannuable(),
            "{ctx}"
        );
        assert_eq!(a.on_call.band, cost.band().name(), "{ctx}");
        let on_call = costing.on_call_pas(cost.on_call_units);
        assert!(
            (a.pas.on_call - on_call).abs() < Decimal::new(1, 20),
            "on-call PAs {} against {on_call}; {ctx}",
            a.pas.on_call
        );
        // The decimal path gives the same figures.
        let (exact, exact_on_call) = costing.cost_exact(&ExactRow::from_row(&row));
        assert_eq!(
            exact,
            tenpa_rules::population::RowCost {
                on_call_units: 0,
                ..cost
            },
            "{ctx}"
        );
        assert!(
            (exact_on_call - on_call).abs() < Decimal::new(1, 20),
            "{ctx}"
        );
        // The job plan says what the row says.
        assert_eq!(a.pas.extra, units_to_decimal(input.extra), "{ctx}");
        assert_eq!(a.pas.premium_time, units_to_decimal(input.ooh_pas), "{ctx}");
        seen[cost.band() as usize] += 1;
        downgraded += usize::from(applied(on, &input, params) != input.recognition);
        premium_paid += usize::from(cost.out_of_hours_premium > 0);
        capped += usize::from(a.pas.on_call == a.on_call.cap_pas && a.pas.on_call > Decimal::ZERO);
    }
    (seen, premium_paid, capped, downgraded)
}

/// Source: `population::Costing::cost_columns` is the row costing summed, on every date of the
/// sample, under the embedded parameters (the bulk kernel) and under others.
#[test]
fn costing_columns_sums_the_rows() {
    let others = other_parameters();
    // Premium steps of four decimal places make figures beyond the bulk kernel's range, so those
    // costings go row by row once out-of-hours recognition starts.
    let fine = Parameters::with_overrides(&[over(
        "out_of_hours/premium_steps.toml",
        "percent",
        "[[values]]\nfrom = \"2004-04-01\"\nvalue = [\"3.3001\", \"6.6007\", \"9.9991\"]\ncite = \"test\"\n",
    )])
    .unwrap();
    for (params, always) in [
        (Parameters::embedded(), true),
        (&others, true),
        (&fine, false),
    ] {
        for (y, m, d) in DATES {
            let costing = Costing::compile(params, date(y, m, d)).unwrap();
            let bulk = always || date(y, m, d) < date(2004, 4, 1);
            assert_eq!(costing.costs_in_bulk(), bulk, "{y}-{m}-{d}");
            let mut rng = Rng(7 + y as u64 + u64::from(m));
            let rows = (0..5_000).filter_map(|_| Row::new(random_row(&mut rng).1).ok());
            let (by_row, by_column) = both_ways(&costing, rows);
            assert_eq!(by_row, by_column, "{y}-{m}-{d}");
            assert!(by_column.consultants > 4_000);
        }
    }
}

/// Source: the bounds in `population`'s bulk kernel: rows at the largest and smallest values the
/// row checks allow (168 PAs or hours a week, the largest rota, award level 13) cost the same in
/// bulk as row by row, on every date of the sample.
#[test]
fn costing_columns_at_the_row_checks_bounds() {
    let max = 168 * UNITS;
    let mut rng = Rng(11);
    let mut pick = |values: &[u64]| values[rng.below(values.len() as u64) as usize];
    let rows: Vec<Row> = (0..20_000)
        .map(|_| {
            let weekly = [
                0,
                1,
                2,
                max - 1,
                max,
                10 * UNITS,
                10 * UNITS + 1,
                3 * UNITS / 2,
            ];
            Row::new(RowInput {
                point: pick(&[0, 7]),
                contracted: pick(&[1, max, max - 1, 10 * UNITS, 10 * UNITS - 1, 5_001]),
                extra: pick(&weekly),
                rota_size: pick(&[0, 1, 4, 5, 8, 9, 4_095, 4_096, u64::from(u32::MAX)]),
                category: Some(if pick(&[0, 1]) == 0 {
                    OnCallCategory::A
                } else {
                    OnCallCategory::B
                }),
                ooh_pas: pick(&weekly),
                recognition: if pick(&[0, 1]) == 0 {
                    Recognition::Time
                } else {
                    Recognition::Premium
                },
                premium_agreed: pick(&[0, 1]) == 1,
                emergency_plain: pick(&weekly),
                emergency_ooh: pick(&weekly),
                cea_level: pick(&[0, 1, 12, 13]),
            })
            .unwrap()
        })
        .collect();
    for (y, m, d) in DATES {
        let costing = Costing::compile(Parameters::embedded(), date(y, m, d)).unwrap();
        let (by_row, by_column) = both_ways(&costing, rows.iter().copied());
        assert_eq!(by_row, by_column, "{y}-{m}-{d}");
    }
}

/// Totals of `rows` costed one by one, and in bulk from columns.
fn both_ways(costing: &Costing, rows: impl Iterator<Item = Row>) -> (Totals, Totals) {
    let mut columns = Columns::default();
    let mut by_row = Totals::default();
    for row in rows {
        columns.push(&row);
        by_row.add(&costing.cost(&row));
    }
    let mut by_column = Totals::default();
    costing.cost_columns(&columns, &mut by_column);
    let mut by_column_rows = Totals::default();
    costing.cost_columns_by_row(&columns, &mut by_column_rows);
    assert_eq!(by_row, by_column_rows);
    (by_row, by_column)
}

/// Source: OOH-3 (F 9(i), B 8.4): from 1 April 2006 the premium form needs the consultant's
/// agreement; a row that chose it without agreement (or with no `premium_agreed` column) is costed
/// under the reduced-hours form. Before that date the employer's choice stands.
#[test]
fn the_premium_form_without_agreement_costs_as_reduced_hours_from_april_2006() {
    let row = |recognition, premium_agreed| {
        Row::new(RowInput {
            point: 5,
            contracted: 10 * UNITS,
            rota_size: 4,
            category: Some(OnCallCategory::A),
            ooh_pas: 2 * UNITS,
            recognition,
            premium_agreed,
            emergency_plain: UNITS,
            emergency_ooh: 3 * UNITS,
            ..RowInput::default()
        })
        .unwrap()
    };
    let (premium, unagreed, time) = (
        row(Recognition::Premium, true),
        row(Recognition::Premium, false),
        row(Recognition::Time, false),
    );
    let params = Parameters::embedded();
    let before = Costing::compile(params, date(2006, 3, 31)).unwrap();
    let from = Costing::compile(params, date(2006, 4, 1)).unwrap();
    assert!(before.cost(&premium).out_of_hours_premium > 0);
    assert_eq!(before.cost(&unagreed), before.cost(&premium));
    assert!(from.cost(&premium).out_of_hours_premium > 0);
    assert_eq!(from.cost(&unagreed), from.cost(&time));
    assert_eq!(from.cost(&unagreed).out_of_hours_premium, 0);
    assert_ne!(
        from.cost(&unagreed).on_call_units,
        from.cost(&premium).on_call_units,
        "premium-time emergency work converts at 3 hours a PA under the reduced-hours form"
    );
}

/// Source: OOH-3 (F 9(i), B 8.4) applied by `evaluate` to the plan as written (the premium form,
/// not agreed) gives the figures the population costing gives the row.
#[test]
fn unagreed_premium_rows_equal_evaluate_on_the_plan_as_written() {
    let params = Parameters::embedded();
    let mut rng = Rng(5);
    let mut checked = 0;
    while checked < 500 {
        let (on, mut input) = random_row(&mut rng);
        input.recognition = Recognition::Premium;
        input.premium_agreed = false;
        let on = on.max(date(2006, 4, 1));
        let Ok(row) = Row::new(input) else { continue };
        let cost = Costing::compile(params, on).unwrap().cost(&row);
        let mut doc = job_plan(on, &input, params);
        doc.job_plan.out_of_hours_recognition = Recognition::Premium;
        let a = evaluate(&doc, params, Some(on)).unwrap();
        assert_eq!(a.pay.total.pence() as u64, cost.total(), "{on}: {input:?}");
        assert_eq!(
            a.pay.out_of_hours_premium.pence() as u64,
            cost.out_of_hours_premium
        );
        checked += 1;
    }
}

/// Source: PAY-3, F 2(k): contracted PAs above 10 are paid as 10; a part-time consultant's
/// supplement is on the full-time salary (F 4(g)).
#[test]
fn contracted_pas_above_full_time_pay_as_full_time() {
    let params = Parameters::embedded();
    let costing = Costing::compile(params, date(2005, 4, 1)).unwrap();
    let row = |contracted| {
        Row::new(RowInput {
            point: 3,
            contracted,
            rota_size: 6,
            category: Some(OnCallCategory::A),
            cea_level: 2,
            ..RowInput::default()
        })
        .unwrap()
    };
    let full = costing.cost(&row(10 * UNITS));
    let over = costing.cost(&row(12 * UNITS));
    let half = costing.cost(&row(5 * UNITS));
    assert_eq!(full, over);
    assert_eq!(full.basic_salary, 7_589_300); // £75,893 (point 3, 2005/06)
    assert_eq!(half.basic_salary, 3_794_650);
    assert_eq!(full.availability_supplement, 379_465); // 5% of £75,893
    assert_eq!(half.availability_supplement, 379_465);
    assert_eq!(half.clinical_excellence_award, 250_000); // half of £5,000
}

/// Source: docs/documents.md "The population file": PAs and hours with more decimal places than the
/// integer costing holds (`0.333333333`) are costed exactly by `Costing::cost_exact`, the same
/// figures as `evaluate` on the equivalent job plan.
#[test]
fn rows_with_many_decimal_places_equal_evaluate() {
    let params = Parameters::embedded();
    let mut costings: HashMap<NaiveDate, Costing> = HashMap::new();
    let mut rng = Rng(31);
    let fine =
        |rng: &mut Rng, max: u64| Decimal::new((rng.next() % (max * 1_000_000_000)) as i64, 9);
    let mut checked = 0;
    while checked < 2_000 {
        let (on, input) = random_row(&mut rng);
        let mut x = exact_input(&input);
        x.contracted = fine(&mut rng, 12) + Decimal::new(1, 9);
        x.emergency_plain = fine(&mut rng, 6);
        x.emergency_ooh = fine(&mut rng, 8);
        let Ok(row) = ExactRow::new(x) else { continue };
        let costing = costings
            .entry(on)
            .or_insert_with(|| Costing::compile(params, on).unwrap());
        let (cost, on_call) = costing.cost_exact(&row);
        let a = evaluate(&job_plan_exact(on, &input, &x, params), params, Some(on)).unwrap();
        let p = &a.pay;
        let ctx = format!("{on}: {x:?}\n{p:?}\n{cost:?}");
        assert_eq!(p.basic_salary.pence() as u64, cost.basic_salary, "{ctx}");
        assert_eq!(p.extra_pas.pence() as u64, cost.extra_pas, "{ctx}");
        assert_eq!(
            p.availability_supplement.pence() as u64,
            cost.availability_supplement,
            "{ctx}"
        );
        assert_eq!(
            p.out_of_hours_premium.pence() as u64,
            cost.out_of_hours_premium,
            "{ctx}"
        );
        assert_eq!(
            p.clinical_excellence_award.pence() as u64,
            cost.clinical_excellence_award,
            "{ctx}"
        );
        assert_eq!(p.total.pence() as u64, cost.total(), "{ctx}");
        assert_eq!(a.pas.on_call, on_call, "{ctx}");
        checked += 1;
    }
}
