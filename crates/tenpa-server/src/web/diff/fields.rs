//! The names of the sections and fields a change view shows.

/// The sections in report order; others follow alphabetically.
pub(super) const SECTIONS: [&str; 5] = ["consultant", "job_plan", "pay", "activity", "on_call"];

/// The friendly name of a top-level section.
pub(super) fn section_label(section: &str) -> Option<&'static str> {
    Some(match section {
        "consultant" => "Consultant",
        "job_plan" => "Job plan",
        "pay" => "Pay",
        "activity" => "Timetable",
        "on_call" => "On-call",
        "travel" => "Travel",
        "previous_review" => "Previous review",
        "transition" => "Transition",
        "employer" => "Employers",
        "private_session" => "Private and fee-paying sessions",
        "leave" => "Leave",
        _ => return None,
    })
}

/// Known fields of each table in report order, with friendly labels.
pub(super) fn fields(section: &str) -> &'static [(&'static str, &'static str)] {
    match section {
        "consultant" => &[
            ("id", "Consultant ID"),
            ("name", "Consultant's name"),
            ("first_appointed", "First appointed as a consultant"),
            ("post_offered", "Post offered"),
            ("transferred", "Transferred to this contract"),
            ("seniority_at_transfer", "Years of seniority at transfer"),
            ("nation", "Nation"),
            ("private_practice", "Private practice"),
            ("opt_out_48h", "48-hour opt-out signed"),
        ],
        "job_plan" => &[
            ("effective_from", "Job plan effective from"),
            ("contracted_pas", "Contracted PAs"),
            ("cycle_weeks", "Timetable cycle (weeks)"),
            ("out_of_hours_recognition", "Out-of-hours recognition"),
            ("premium_mutually_agreed", "Premium mutually agreed"),
            ("local_variation", "Local variation"),
            ("private_practice_exception", "Private practice exception"),
            ("appointed_to_post", "Appointed to the post"),
            ("service_provided", "Service provided"),
            ("accountable_to", "Accountable to"),
            ("supporting_resources", "Supporting resources"),
            ("study_leave_days_in_3_years", "Study leave days in 3 years"),
            (
                "employer_arrangement",
                "Arrangement agreed across employers",
            ),
        ],
        "pay" => &[
            ("point", "Pay point"),
            ("salary_point", "Salary point (2002/03 value)"),
            ("cea_level", "Clinical excellence award level"),
            (
                "recruitment_retention_premium",
                "Recruitment or retention premium",
            ),
            ("existing_award", "Existing award"),
        ],
        "existing_award" => &[("kind", "kind"), ("amount", "full-time value a year")],
        "recruitment_retention_premium" => &[
            ("kind", "kind"),
            ("amount", "amount a year"),
            ("start", "start"),
            ("years", "years paid"),
            ("evidence_of_difficulty", "evidence of difficulty shown"),
            ("non_pay_solutions_tried", "non-pay solutions tried"),
            ("local_employers_consulted", "local employers consulted"),
        ],
        "on_call" => &[
            ("rota_size", "On-call rota"),
            ("category", "On-call category"),
            (
                "emergency_hours_plain",
                "Emergency work in plain time (hours a week)",
            ),
            (
                "emergency_hours_premium",
                "Emergency work in premium time (hours a week)",
            ),
            ("recalls_per_year", "Calls or recalls a year"),
            ("employer", "On-call rota's employer"),
            ("short_intervals", "Short intervals not contactable"),
        ],
        "short_intervals" => &[
            ("agreed_with_employer", "agreed with the employer"),
            ("messages_taken", "messages taken"),
        ],
        "employer" => &[
            ("id", "id"),
            ("name", "name"),
            ("kind", "kind"),
            ("lead", "lead employer"),
        ],
        "previous_review" => &[
            ("out_of_hours_pas", "Previous out-of-hours PAs"),
            ("on_call_pas", "Previous on-call PAs"),
            ("on_call_category", "Previous on-call category"),
            ("other_duties_pas", "Previous PAs for other duties"),
        ],
        "leave" => &[
            ("kind", "kind"),
            ("from", "from"),
            ("to", "to"),
            ("agreed_on", "agreed on"),
        ],
        "private_session" => &[
            ("day", "day"),
            ("start", "start"),
            ("end", "end"),
            ("weeks", "weeks"),
            ("title", "title"),
            ("location", "location"),
            ("fee_paying", "fee-paying work"),
            ("on_call", "private on-call"),
            ("nhs_facilities", "uses NHS facilities"),
            ("nhs_staff", "uses NHS staff"),
            ("during_nhs_on_call", "during NHS on-call"),
            ("for_nhs", "work for the NHS"),
            ("fee", "fee"),
            ("minimal_disruption", "minimal disruption agreed"),
            ("employer_approval", "employer's approval"),
        ],
        "travel" => &[
            ("kind", "kind"),
            ("hours", "hours a week"),
            ("normal_hours", "normal home-to-base hours"),
            ("description", "description"),
        ],
        _ => &[],
    }
}
