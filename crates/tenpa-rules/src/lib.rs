//! # tenpa-rules
//!
//! The consultant contract as code: a job plan document in, an assessment out. Pure: no I/O, no
//! async, no database.
//!
//! A short tour:
//! - [`plan`] reads the job plan document (TOML or JSON) into checked domain values;
//! - [`parameters`] holds every figure (scales, percentages, caps, dates) as dated data with its
//!   citation, embedded and overridable;
//! - one module per section of the rules (`docs/rules.md`): [`working_week`] (WW), [`out_of_hours`] (OOH),
//!   [`on_call`] (OC), [`pay`] (PAY), [`excellence_awards`] (CEA), [`private_practice`] (PRV). Each
//!   rule's [`Rule`] constant sits above the function that implements it;
//! - [`evaluate`] applies them in order and returns an [`Assessment`] with [`Finding`]s;
//! - over a career, [`plan::parse_career`] reads the career document and
//!   [`progression::timeline`] walks it anniversary by anniversary: pay progression (PP) in
//!   [`progression`], the transitional rules (TR) in [`transition`], awards over time in
//!   [`excellence_awards`].
//! - [`job_planning`] holds the job plan's workflow (JP-1, JP-4) and checks one integrated plan
//!   across employers (JP-5);
//! - [`board_competency`] (BC) holds the board-level directors' competency framework as versioned
//!   data and checks job descriptions and appraisals against it; [`pec`] (PEC) checks professional
//!   executive committees.
//! - [`population`] compiles the pay rules into integer tables to cost millions of rows exactly as
//!   `evaluate` would (`tenpa model`).
#![deny(missing_docs)]

pub mod assessment;
pub mod board_competency;
pub mod calendar;
pub mod excellence_awards;
pub mod finding;
pub mod job_planning;
pub mod money;
pub mod on_call;
pub mod out_of_hours;
pub mod parameters;
pub mod pay;
pub mod payroll;
pub mod pec;
pub mod plan;
pub mod population;
pub mod private_practice;
pub mod register;
pub mod rule;
mod source;
pub mod working_week;
// Pay progression and transition over a career (`tenpa progression`).
pub mod progression;
pub mod transition;

pub use assessment::Assessment;
pub use finding::{Finding, Severity};
pub use money::Money;
pub use parameters::Parameters;
pub use plan::{parse_document, DocumentError, Format, JobPlanDocument};
pub use rule::Rule;
// Careers: the document and its timeline.
pub use plan::{parse_career, CareerDocument};
pub use progression::{timeline, Career, ProgressionError};

use assessment::{Hours, OnCallSummary, Pas, PayBreakdown};
use chrono::NaiveDate;
use finding::Findings;
use parameters::LookupError;
use plan::{Category, Recognition};
use rust_decimal::Decimal;

/// A plan that cannot be assessed on the date asked for.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum EvaluateError {
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
}

/// Assesses `doc` on `on` (default: the plan's `effective_from`).
pub fn evaluate(
    doc: &JobPlanDocument,
    params: &Parameters,
    on: Option<NaiveDate>,
) -> Result<Assessment, EvaluateError> {
    let on = on.unwrap_or(doc.job_plan.effective_from);
    let in_force = params
        .contract_in_force
        .at(on)
        .map_err(|e| EvaluateError::NotInForce {
            date: on,
            first: e.first,
        })?;
    if !in_force.value {
        return Err(EvaluateError::NotInForce {
            date: on,
            first: in_force.from,
        });
    }
    let implemented = params.contract_in_force.entries[0].from;
    let mut f = Findings(Vec::with_capacity(8));
    let jp = &doc.job_plan;
    let pa_hours = *params.pa_hours.value(on)?;
    let full_time_pas = *params.full_time_pas.value(on)?;
    let full_time = jp.contracted_pas >= full_time_pas;

    // The week: WW-3 split, WW-5 cycle, WW-9 overlaps, WW-1 lengths.
    let plain = params.plain_time.value(on)?;
    let tt = working_week::timetable(doc, plain, &mut f);
    working_week::note_cycle(&tt, &mut f);
    working_week::check_overlaps(doc, &tt, &mut f);

    // Out-of-hours recognition: OOH-1, OOH-2.
    let ooh_in_force = *params.ooh_recognition_in_force.value(on)?;
    let time_form = if ooh_in_force {
        Some(params.time_form.value(on)?)
    } else {
        None
    };
    // OOH-3: the premium form without the agreement it needs is the reduced-hours form.
    let needs_agreement = *params.premium_needs_mutual_agreement.value(on)?;
    let form = out_of_hours::form_applied(
        jp.out_of_hours_recognition,
        jp.premium_mutually_agreed,
        needs_agreement,
    );
    let rec = out_of_hours::recognise(&tt, form, ooh_in_force, pa_hours, time_form);
    working_week::check_lengths(
        doc,
        &tt,
        time_form
            .filter(|_| rec.time_form())
            .and_then(|t| (t.premium_pa_hours * Decimal::from(60)).try_into().ok()),
        &mut f,
    );
    out_of_hours::note_before_recognition(&rec, tt.premium_total(), &mut f);

    // On-call: OC-1 … OC-9.
    on_call::check_predictable(doc, &mut f);
    let (emergency_plain, emergency_premium) = doc
        .on_call
        .as_ref()
        .map_or((Decimal::ZERO, Decimal::ZERO), |o| {
            (o.emergency_hours_plain, o.emergency_hours_premium)
        });
    let rota = doc.on_call.as_ref().filter(|o| o.rota_size > 0);
    let cap_pas = *params.emergency_cap_pas.value(on)?;
    let mut on_call_pas = Decimal::ZERO;
    let mut summary = OnCallSummary {
        band: "none",
        category: None,
        allocation_pattern: "none".into(),
        rota_size: 0,
        emergency_pa_equivalents: Decimal::ZERO,
        cap_pas,
    };
    let mut supplement_percent = Decimal::ZERO;
    if let Some(oc) = rota {
        let category = oc
            .category
            .expect("checked by the parser: a rota has a category");
        let raw =
            on_call::emergency_pa_equivalents(emergency_plain, emergency_premium, pa_hours, &rec);
        let minimum = *params.on_call_minimum_weekly_hours.value(on)?;
        if !on_call::below_minimum(emergency_plain + emergency_premium, minimum, &mut f) {
            on_call_pas = on_call::cap(raw, cap_pas, *params.excess_warning_pas.value(on)?, &mut f);
        }
        on_call::note_reduction(doc, on_call_pas, &mut f);
        let max_weeks: u32 = (*params.allocation_cycle_weeks.value(on)?)
            .try_into()
            .unwrap_or(8);
        let (band, percent) = on_call::supplement(
            oc.rota_size,
            category,
            params.availability_supplement.value(on)?,
        );
        supplement_percent = percent;
        on_call::note_part_time(
            full_time,
            percent,
            oc.same_responsibilities_as_full_time,
            *params.part_time_supplement_pro_rata.value(on)?,
            &mut f,
        );
        on_call::note_category_change(doc, category, &mut f);
        on_call::check_contactable(oc, category, &mut f);
        summary = OnCallSummary {
            band,
            category: Some(category),
            allocation_pattern: on_call::allocation_pattern(on_call_pas, max_weeks),
            rota_size: oc.rota_size,
            emergency_pa_equivalents: raw,
            cap_pas,
        };
    }
    on_call::check_recalls(
        doc,
        *params.recall_review.value(on)?,
        *params.rare_calls.value(on)?,
        &mut f,
    );

    // PAs and the working week: WW-4, WW-9.
    let by = |c: Category| rec.pas[c as usize];
    let core_total = money::sum(rec.pas[..working_week::EXTRA].iter().chain([&on_call_pas]));
    let extra_pas = rec.pas[working_week::EXTRA];
    let pas = Pas {
        dcc: by(Category::Dcc),
        spa: by(Category::Spa),
        additional_responsibility: by(Category::AdditionalResponsibility),
        external_duty: by(Category::ExternalDuty),
        on_call: on_call_pas,
        core_total,
        extra: extra_pas,
        total: money::sum([&core_total, &extra_pas]),
        premium_time: rec.premium_pas,
    };
    if let Some(before) = doc
        .previous_review
        .as_ref()
        .and_then(|p| p.other_duties_pas)
    {
        transition::check_other_duties(
            before.0,
            pas.total - pas.on_call,
            pas.on_call,
            *params.in_transitional_period.value(on)?,
            &mut f,
        );
    }
    let minimums = params.minimums.value(on)?;
    let first_phase =
        working_week::in_first_phase(doc, minimums, *params.leap_day_anniversary.value(on)?, on);
    working_week::check_minimums(
        doc,
        pas.dcc + on_call_pas,
        pas.spa,
        full_time,
        minimums,
        first_phase,
        &mut f,
    );
    working_week::check_contracted(
        jp.contracted_pas,
        core_total,
        *params.contracted_pas_tolerance.value(on)?,
        &mut f,
    );

    // Out-of-hours checks: OOH-2 premium, OOH-3, OOH-4, OOH-5.
    let on_rota_premium = if rota.is_some() {
        emergency_premium
    } else {
        Decimal::ZERO
    };
    let pa_eq = out_of_hours::pa_equivalents(&rec, on_rota_premium, pa_hours);
    let mut premium_percent = Decimal::ZERO;
    let mut left_out = Decimal::ZERO;
    if rec.in_force {
        let steps = params.premium_steps.value(on)?;
        if rec.form == Recognition::Premium {
            premium_percent = out_of_hours::premium_percent(pa_eq, steps);
        } else if jp.out_of_hours_recognition == Recognition::Premium {
            // The premium the plan's form would pay, for OOH-3's finding.
            let chosen = out_of_hours::recognise(&tt, Recognition::Premium, true, pa_hours, None);
            let chosen_eq = out_of_hours::pa_equivalents(&chosen, on_rota_premium, pa_hours);
            left_out = out_of_hours::premium_percent(chosen_eq, steps);
        }
        out_of_hours::check_excess(pa_eq, steps.len(), &mut f);
        out_of_hours::note_reduction(doc, pa_eq, &mut f);
    }
    out_of_hours::check_form_agreement(doc, rec.in_force, needs_agreement, left_out, &mut f);
    out_of_hours::check_rest(
        doc,
        &tt,
        *params.rest_hours.value(on)?,
        *params.working_through_hours.value(on)?,
        &mut f,
    );

    // Hours: WW-6, WW-7, WW-8.
    let travel = working_week::travel_counted(doc, &mut f);
    let timetabled = tt.total_hours();
    let period = working_week::reference_period(&tt, *params.wtr_reference_weeks.value(on)?);
    let wtr = period.map_or(timetabled, |p| p.hours) + emergency_plain + emergency_premium + travel;
    working_week::check_working_time(
        doc,
        wtr,
        *params.wtr_max_weekly_hours.value(on)?,
        period.as_ref(),
        &mut f,
    );
    working_week::check_location_and_leave(doc, params.study_leave.value(on)?.max_days, &mut f);
    working_week::check_leave_notice(doc, &mut f);
    working_week::check_external_notice(doc, &mut f);
    let public_holidays =
        working_week::public_holiday_work(doc, &tt, params.calendar(), on, &mut f);
    // What the plan sets out: JP-2.
    job_planning::check_contents(doc, &mut f);
    // One integrated plan across employers: JP-5.
    let employers = job_planning::integrated_plan(
        doc,
        &tt,
        &rec,
        pa_hours,
        on_call_pas,
        emergency_plain + emergency_premium,
        &mut f,
    );
    let hours = Hours {
        timetabled_weekly: timetabled,
        out_of_hours_reduction: rec.reduction_hours,
        average_weekly_for_wtr: wtr,
        travel_counted: travel,
        premium_weekly: tt.premium_total(),
    };

    // Pay: PAY-1 … PAY-5, CEA, PRV-1.
    let (year_start, pay_year) = pay::pay_year(on);
    let ft = pay::full_time_salary(params, doc.pay.point, year_start, &pay_year, &mut f)?;
    let (basic, extra) = pay::basic_and_extra(ft, jp.contracted_pas, extra_pas, full_time_pas);
    let award = excellence_awards::award(
        doc.pay.cea_level,
        params.cea_levels.value(on)?,
        doc.consultant.nation,
        params.cea_nations.value(on)?,
        jp.contracted_pas,
        full_time_pas,
        &mut f,
    );
    let awards = excellence_awards::with_existing(
        doc.pay.cea_level,
        award,
        doc.pay.existing_award.as_ref(),
        jp.contracted_pas,
        full_time_pas,
        &mut f,
    );
    if doc.pay.cea_level > 0 {
        excellence_awards::check_values_updated(
            doc.pay.cea_level,
            params.cea_levels.at(on)?.from,
            year_start,
            &mut f,
        );
    }
    let rrp = match &doc.pay.recruitment_retention_premium {
        Some(p) => {
            let limits = params.premium_limits.value(on)?;
            let starting = pay::scale_at(params, year_start)?.points[0];
            pay::premium(
                p,
                on,
                starting,
                limits.max_percent_of_starting_salary,
                limits.max_years,
                &mut f,
            )
        }
        None => Decimal::ZERO,
    };
    private_practice::check_part_time(
        doc,
        full_time_pas,
        params.part_time_limits.value(on)?,
        implemented,
        &mut f,
    );
    // Private and fee-paying sessions: PRV-3 … PRV-5.
    let nhs_rota = rota.map(|oc| private_practice::NhsRota {
        size: oc.rota_size,
        band: summary.band,
    });
    let changeover =
        rust_decimal::prelude::ToPrimitive::to_u32(params.changeover_minutes.value(on)?)
            .unwrap_or(0);
    private_practice::check_sessions(doc, &tt, nhs_rota, changeover, &mut f);

    let basic_salary = Money::round(basic);
    let supplement_on = on_call::supplement_base(
        full_time,
        doc.on_call
            .as_ref()
            .and_then(|oc| oc.same_responsibilities_as_full_time),
        *params.part_time_supplement_pro_rata.value(on)?,
        ft,
        basic,
    );
    let availability = Money::round(money::div(
        supplement_on * supplement_percent,
        Decimal::ONE_HUNDRED,
    ));
    let ooh_premium = Money::round(money::div(basic * premium_percent, Decimal::ONE_HUNDRED));
    let award = Money::round(awards.clinical_excellence_award);
    let existing_award = Money::round(awards.existing_award);
    let extra_pay = Money::round(extra);
    let rrp = Money::round(rrp);
    let pay = PayBreakdown {
        full_time_salary: Money::round(ft),
        basic_salary,
        extra_pas: extra_pay,
        availability_supplement_percent: supplement_percent,
        availability_supplement: availability,
        out_of_hours_premium_percent: premium_percent,
        out_of_hours_premium: ooh_premium,
        clinical_excellence_award: award,
        existing_award,
        recruitment_retention_premium: rrp,
        total: basic_salary + extra_pay + availability + ooh_premium + award + existing_award + rrp,
        superannuable: pay::superannuable(basic_salary, award + existing_award, availability),
    };

    let mut findings = f.0;
    findings.sort_by_key(|x| x.severity);
    Ok(Assessment {
        consultant_id: doc.consultant.id.clone(),
        applied_on: on,
        pay_year,
        pas,
        hours,
        on_call: summary,
        pay,
        findings,
        employers,
        public_holidays,
    })
}
