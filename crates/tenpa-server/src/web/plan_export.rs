//! A job plan to print, download and put in a calendar: `GET /plans/{id}/print` (a printable
//! page with signature lines), `GET /plans/{id}/job-plan.pdf` (the same as a PDF) and `GET
//! /plans/{id}/timetable.ics` (the weekly activities as an iCalendar file).
//!
//! One pure [`PrintPlan`] is built from the stored plan, its assessment and its versions; the page
//! and the PDF are two renderings of it.

use super::export::{self, Cell, PdfDocument, PdfSection, Table, TimetableEvent};
use super::history::{day_of, display_names, figure, who};
use super::page::{layout_back, pounds, pounds_str, status_label, PageResult, WebUser};
use super::workflow::{parse_action, plan_id};
use crate::api::assessments::read_document;
use crate::api::job_plans::load;
use crate::AppState;
use axum::extract::{Path, State};
use axum::http::header;
use axum::response::{IntoResponse, Response};
use chrono::{NaiveTime, Weekday};
use maud::{html, Markup};
use serde_json::Value;
use std::collections::HashMap;
use tenpa_rules::job_planning::Action;
use tenpa_rules::plan::{Activity, Day, JobPlanDocument};
use tenpa_store::{JobPlanRecord, VersionRecord};

/// One step of agreement or sign-off, for the printed plan.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SignOff {
    /// What was done, in words ("Agreed by the consultant").
    pub step: &'static str,
    /// Who did it (username; shown by name).
    pub by: String,
    /// When (stored time).
    pub at: String,
}

/// The agreement and sign-offs in force: the steps of the current round (since the plan was last
/// reopened), in order. A "not agreed" withdraws an earlier agreement of the round; a referral's or
/// an appeal's outcome then stands for it.
pub fn sign_offs(versions: &[VersionRecord]) -> Vec<SignOff> {
    let mut out: Vec<SignOff> = Vec::new();
    for v in versions {
        let step = match parse_action(&v.action) {
            Some(Action::Reopen) => {
                out.clear();
                continue;
            }
            Some(Action::NotAgree) => {
                out.retain(|s| s.step == "Proposed");
                continue;
            }
            Some(Action::Propose) => "Proposed",
            Some(Action::Agree) => "Agreed by the consultant",
            Some(Action::Resolve) => "Agreed on referral (medical director's outcome)",
            Some(Action::DecideAppeal) => "Agreed on appeal (appeals panel's outcome)",
            Some(Action::CdSignOff) => "Signed off by the clinical director",
            Some(Action::MdSignOff) => "Signed off by the medical director",
            _ => continue,
        };
        out.push(SignOff {
            step,
            by: v.created_by.clone(),
            at: v.created_at.clone(),
        });
    }
    out
}
pub use super::labels::{category_label, day_label};

fn weekday(d: Day) -> Weekday {
    match d {
        Day::Mon => Weekday::Mon,
        Day::Tue => Weekday::Tue,
        Day::Wed => Weekday::Wed,
        Day::Thu => Weekday::Thu,
        Day::Fri => Weekday::Fri,
        Day::Sat => Weekday::Sat,
        Day::Sun => Weekday::Sun,
    }
}

/// The weeks of the cycle an activity happens in, in words: "Every week", "Weeks 1 and 3 of 4".
pub fn weeks_label(a: &Activity, cycle_weeks: u8) -> String {
    if a.weeks.is_empty() || cycle_weeks <= 1 {
        return "Every week".into();
    }
    let w: Vec<String> = a.weeks.iter().map(u8::to_string).collect();
    let list = match w.as_slice() {
        [one] => format!("Week {one}"),
        [init @ .., last] => format!("Weeks {} and {last}", init.join(", ")),
        [] => String::new(),
    };
    format!("{list} of {cycle_weeks}")
}

/// What an activity is called: its title, or its category.
fn activity_title(a: &Activity) -> String {
    let t = if a.title.trim().is_empty() {
        category_label(a.category).to_string()
    } else {
        a.title.clone()
    };
    if a.extra {
        format!("{t} (additional PA)")
    } else {
        t
    }
}

/// The activities as calendar events (week k of an N-week cycle as the export expects).
pub fn timetable_events(doc: &JobPlanDocument) -> Vec<TimetableEvent> {
    let cycle = u32::from(doc.job_plan.cycle_weeks);
    doc.activities
        .iter()
        .map(|a| {
            let time = |m: u16| {
                NaiveTime::from_hms_opt(u32::from(m % 1440) / 60, u32::from(m % 1440) % 60, 0)
                    .unwrap_or(NaiveTime::MIN)
            };
            TimetableEvent {
                day: weekday(a.day),
                start: time(a.start.minutes()),
                end: time(a.end.minutes()),
                summary: activity_title(a),
                location: a.location.clone(),
                description: category_label(a.category).to_string(),
                weeks: (cycle > 1 && !a.weeks.is_empty())
                    .then(|| (cycle, a.weeks.iter().map(|w| u32::from(*w)).collect())),
            }
        })
        .collect()
}

/// Everything the printed plan shows, in words and figures.
#[derive(Debug, Clone, PartialEq)]
pub struct PrintPlan {
    /// The consultant's name.
    pub name: String,
    /// The consultant's id.
    pub consultant_id: String,
    /// The department.
    pub department: String,
    /// The version printed.
    pub version: i64,
    /// The workflow state (stored name).
    pub status: String,
    /// The facts of the plan: label and value.
    pub facts: Vec<(String, String)>,
    /// Agreement and sign-offs: step, who (by name), when.
    pub sign_offs: Vec<(String, String, String)>,
    /// Timetable rows: weeks, day, time, category, activity, location.
    pub activities: Vec<[String; 6]>,
    /// On-call: label and value; empty when not on a rota.
    pub on_call: Vec<(String, String)>,
    /// PAs a week by category: label and figure.
    pub pas: Vec<(String, String)>,
    /// Pay a year: label and amount.
    pub pay: Vec<(String, String)>,
    /// Findings: rule, severity, message.
    pub findings: Vec<(String, String, String)>,
}

fn pa_text(assessment: &Value, pointer: &str) -> String {
    figure(assessment, pointer)
        .map(|d| d.normalize().to_string())
        .unwrap_or_else(|| "Not known".into())
}

fn money_text(assessment: &Value, pointer: &str) -> String {
    assessment
        .pointer(pointer)
        .and_then(Value::as_str)
        .map(pounds_str)
        .unwrap_or_else(|| "Not known".into())
}

/// Builds the printed plan.
pub fn print_plan(
    plan: &JobPlanRecord,
    doc: &JobPlanDocument,
    versions: &[VersionRecord],
    names: &HashMap<String, String>,
) -> PrintPlan {
    let s = &plan.summary;
    let a = &plan.assessment;
    let cycle = doc.job_plan.cycle_weeks;
    let mut activities: Vec<&Activity> = doc.activities.iter().collect();
    activities.sort_by_key(|x| (x.day, x.start, x.weeks.clone()));
    let facts = vec![
        (
            "Consultant".into(),
            format!("{} ({})", s.consultant_name, s.consultant_id),
        ),
        ("Department".into(), s.department.clone()),
        (
            "Effective from".into(),
            doc.job_plan.effective_from.format("%-d %B %Y").to_string(),
        ),
        ("Status".into(), status_label(s.status).to_string()),
        ("Version".into(), s.version.to_string()),
        (
            "Contracted programmed activities".into(),
            doc.job_plan.contracted_pas.normalize().to_string(),
        ),
        (
            "Timetable cycle".into(),
            if cycle <= 1 {
                "Every week is the same".into()
            } else {
                format!("{cycle} weeks")
            },
        ),
    ];
    let on_call = match &doc.on_call {
        Some(oc) if oc.rota_size > 0 => vec![
            ("Rota".into(), format!("1 in {}", oc.rota_size)),
            (
                "Category".into(),
                oc.category
                    .map(|c| c.as_str().to_uppercase())
                    .unwrap_or_else(|| "Not given".into()),
            ),
            (
                "Supplement band".into(),
                a.pointer("/on_call/band")
                    .and_then(Value::as_str)
                    .unwrap_or("none")
                    .to_string(),
            ),
            (
                "Emergency work a week (hours)".into(),
                (oc.emergency_hours_plain + oc.emergency_hours_premium)
                    .normalize()
                    .to_string(),
            ),
            ("PAs for on-call".into(), pa_text(a, "/pas/on_call")),
        ],
        _ => vec![],
    };
    let pas = [
        ("Direct clinical care", "/pas/dcc"),
        ("Supporting professional activities", "/pas/spa"),
        (
            "Additional NHS responsibilities",
            "/pas/additional_responsibility",
        ),
        ("External duties", "/pas/external_duty"),
        ("On-call", "/pas/on_call"),
        ("Additional PAs", "/pas/extra"),
        ("Total", "/pas/total"),
    ]
    .into_iter()
    .map(|(l, p)| (l.to_string(), pa_text(a, p)))
    .collect();
    let pay = [
        ("Basic salary", "/pay/basic_salary"),
        ("Additional PAs", "/pay/extra_pas"),
        ("Availability supplement", "/pay/availability_supplement"),
        ("Out-of-hours premium", "/pay/out_of_hours_premium"),
        (
            "Clinical excellence award",
            "/pay/clinical_excellence_award",
        ),
        (
            "Recruitment and retention premium",
            "/pay/recruitment_retention_premium",
        ),
    ]
    .into_iter()
    .map(|(l, p)| (l.to_string(), money_text(a, p)))
    .chain(std::iter::once((
        "Total pay a year".to_string(),
        pounds(s.total_pay_pence),
    )))
    .collect();
    let findings = a
        .pointer("/findings")
        .and_then(Value::as_array)
        .map(|fs| {
            fs.iter()
                .map(|f| {
                    let t = |k: &str| f.get(k).and_then(Value::as_str).unwrap_or("").to_string();
                    (t("rule"), t("severity"), t("message"))
                })
                .collect()
        })
        .unwrap_or_default();
    PrintPlan {
        name: s.consultant_name.clone(),
        consultant_id: s.consultant_id.clone(),
        department: s.department.clone(),
        version: s.version,
        status: s.status.to_string(),
        facts,
        sign_offs: sign_offs(versions)
            .into_iter()
            .map(|so| {
                (
                    so.step.to_string(),
                    who(names, &so.by).to_string(),
                    day_of(&so.at),
                )
            })
            .collect(),
        activities: activities
            .into_iter()
            .map(|x| {
                [
                    weeks_label(x, cycle),
                    day_label(x.day).to_string(),
                    format!("{}–{}", x.start, x.end),
                    category_label(x.category).to_string(),
                    activity_title(x),
                    if x.location.is_empty() {
                        "Not given".into()
                    } else {
                        x.location.clone()
                    },
                ]
            })
            .collect(),
        on_call,
        pas,
        pay,
        findings,
    }
}

/// The signatories of a job plan.
const SIGNATORIES: [&str; 3] = ["Consultant", "Clinical director", "Medical director"];

fn summary_list(rows: &[(String, String)]) -> Markup {
    html! {
        dl class="nhsuk-summary-list" {
            @for (k, v) in rows {
                div class="nhsuk-summary-list__row" {
                    dt class="nhsuk-summary-list__key" { (k) }
                    dd class="nhsuk-summary-list__value" { (v) }
                }
            }
        }
    }
}

/// The printed plan as page content.
pub fn print_markup(id: i64, p: &PrintPlan) -> Markup {
    html! {
        span class="nhsuk-caption-l" { (p.department) }
        h1 class="nhsuk-heading-l" { "Job plan: " (p.name) }
        div class="tenpa-no-print" {
            button class="nhsuk-button nhsuk-button--secondary" type="button" data-print { "Print this page" }
            ul class="nhsuk-list" {
                li { a href=(format!("/plans/{id}/job-plan.pdf")) { "Download this job plan as a PDF" } }
                li { a href=(format!("/plans/{id}/timetable.ics")) { "Download the timetable for your calendar (iCalendar)" } }
            }
        }
        (summary_list(&p.facts))
        h2 class="nhsuk-heading-m" { "Agreement and sign-off" }
        @if p.sign_offs.is_empty() {
            p class="nhsuk-body" { "Nobody has agreed or signed off this version yet." }
        } @else {
            table class="nhsuk-table" {
                caption class="nhsuk-table__caption" { "Who agreed and signed off the plan" }
                thead class="nhsuk-table__head" { tr class="nhsuk-table__row" {
                    th class="nhsuk-table__header" scope="col" { "Step" }
                    th class="nhsuk-table__header" scope="col" { "By" }
                    th class="nhsuk-table__header" scope="col" { "Date" }
                } }
                tbody class="nhsuk-table__body" {
                    @for (step, by, at) in &p.sign_offs {
                        tr class="nhsuk-table__row" {
                            td class="nhsuk-table__cell" { (step) }
                            td class="nhsuk-table__cell" { (by) }
                            td class="nhsuk-table__cell" { (at) }
                        }
                    }
                }
            }
        }
        h2 class="nhsuk-heading-m" { "Timetable" }
        @if p.activities.is_empty() {
            p class="nhsuk-body" { "No activities are timetabled." }
        } @else {
            table class="nhsuk-table" {
                caption class="nhsuk-table__caption" { "Timetabled activities" }
                thead class="nhsuk-table__head" { tr class="nhsuk-table__row" {
                    @for h in ["Weeks", "Day", "Time", "Category", "Activity", "Location"] {
                        th class="nhsuk-table__header" scope="col" { (h) }
                    }
                } }
                tbody class="nhsuk-table__body" {
                    @for row in &p.activities {
                        tr class="nhsuk-table__row" {
                            @for cell in row { td class="nhsuk-table__cell" { (cell) } }
                        }
                    }
                }
            }
        }
        h2 class="nhsuk-heading-m" { "On-call" }
        @if p.on_call.is_empty() {
            p class="nhsuk-body" { "Not on an on-call rota." }
        } @else {
            (summary_list(&p.on_call))
        }
        h2 class="nhsuk-heading-m" { "Programmed activities and pay" }
        table class="nhsuk-table" {
            caption class="nhsuk-table__caption" { "Programmed activities a week" }
            thead class="nhsuk-table__head" { tr class="nhsuk-table__row" {
                th class="nhsuk-table__header" scope="col" { "Category" }
                th class="nhsuk-table__header nhsuk-table__header--numeric" scope="col" { "PAs" }
            } }
            tbody class="nhsuk-table__body" {
                @for (k, v) in &p.pas {
                    tr class="nhsuk-table__row" {
                        th class="nhsuk-table__header" scope="row" { (k) }
                        td class="nhsuk-table__cell nhsuk-table__cell--numeric" { (v) }
                    }
                }
            }
        }
        table class="nhsuk-table" {
            caption class="nhsuk-table__caption" { "Pay a year" }
            thead class="nhsuk-table__head" { tr class="nhsuk-table__row" {
                th class="nhsuk-table__header" scope="col" { "Component" }
                th class="nhsuk-table__header nhsuk-table__header--numeric" scope="col" { "Amount" }
            } }
            tbody class="nhsuk-table__body" {
                @for (k, v) in &p.pay {
                    tr class="nhsuk-table__row" {
                        th class="nhsuk-table__header" scope="row" { (k) }
                        td class="nhsuk-table__cell nhsuk-table__cell--numeric" { (v) }
                    }
                }
            }
        }
        h2 class="nhsuk-heading-m" { "Findings" }
        @if p.findings.is_empty() {
            p class="nhsuk-body" { "The plan meets every rule checked." }
        } @else {
            ul class="nhsuk-list nhsuk-list--bullet" {
                @for (rule, severity, message) in &p.findings {
                    li { strong { (rule) } " (" (severity) "): " (message) }
                }
            }
        }
        div class="tenpa-signatures" {
            h2 class="nhsuk-heading-m" { "Signatures" }
            @for who in SIGNATORIES {
                p class="nhsuk-body" { (who) ": signed ______________________________ date ______________" }
            }
        }
    }
}

/// The printed plan as a PDF document.
pub fn print_pdf(p: &PrintPlan) -> PdfDocument {
    let text_table = |title: &str, columns: &[&str], rows: Vec<Vec<String>>| Table {
        title: title.to_string(),
        columns: columns.iter().map(|c| c.to_string()).collect(),
        rows: rows
            .into_iter()
            .map(|r| r.into_iter().map(Cell::Text).collect())
            .collect(),
    };
    let mut sections = vec![
        PdfSection::KeyValues(p.facts.clone()),
        PdfSection::Heading("Agreement and sign-off".into()),
    ];
    if p.sign_offs.is_empty() {
        sections.push(PdfSection::Paragraph(
            "Nobody has agreed or signed off this version yet.".into(),
        ));
    } else {
        sections.push(PdfSection::Table(text_table(
            "Who agreed and signed off the plan",
            &["Step", "By", "Date"],
            p.sign_offs
                .iter()
                .map(|(a, b, c)| vec![a.clone(), b.clone(), c.clone()])
                .collect(),
        )));
    }
    sections.push(PdfSection::Heading("Timetable".into()));
    sections.push(PdfSection::Table(text_table(
        "Timetabled activities",
        &["Weeks", "Day", "Time", "Category", "Activity", "Location"],
        p.activities.iter().map(|r| r.to_vec()).collect(),
    )));
    sections.push(PdfSection::Heading("On-call".into()));
    if p.on_call.is_empty() {
        sections.push(PdfSection::Paragraph("Not on an on-call rota.".into()));
    } else {
        sections.push(PdfSection::KeyValues(p.on_call.clone()));
    }
    sections.push(PdfSection::Heading("Programmed activities a week".into()));
    sections.push(PdfSection::KeyValues(p.pas.clone()));
    sections.push(PdfSection::Heading("Pay a year".into()));
    sections.push(PdfSection::KeyValues(p.pay.clone()));
    sections.push(PdfSection::Heading("Findings".into()));
    sections.push(PdfSection::Paragraph(if p.findings.is_empty() {
        "The plan meets every rule checked.".into()
    } else {
        p.findings
            .iter()
            .map(|(r, s, m)| format!("{r} ({s}): {m}"))
            .collect::<Vec<_>>()
            .join("\n")
    }));
    sections.push(PdfSection::Heading("Signatures".into()));
    sections.push(PdfSection::Paragraph(
        SIGNATORIES
            .iter()
            .map(|w| format!("{w}: signed ______________________________ date ______________"))
            .collect::<Vec<_>>()
            .join("\n\n"),
    ));
    PdfDocument {
        title: format!("Job plan: {}", p.name),
        subtitle: format!(
            "{} ({}), {}, version {}, {}",
            p.name,
            p.consultant_id,
            p.department,
            p.version,
            super::page::status_text_label(&p.status)
        ),
        sections,
    }
}

/// The plan's document, read as `tenpa evaluate` reads it.
async fn plan_document(state: &AppState, plan: &JobPlanRecord) -> PageResult<JobPlanDocument> {
    let bytes = serde_json::to_vec(&plan.document)
        .map_err(|e| super::page::WebError::Internal(e.to_string()))?;
    Ok(read_document(&bytes, &state.params, "document.")?)
}

async fn build(
    state: &AppState,
    u: &WebUser,
    raw: &str,
) -> PageResult<(i64, PrintPlan, JobPlanDocument)> {
    let id = plan_id(raw)?;
    let plan = load(state, &u.user, id).await?;
    let doc = plan_document(state, &plan).await?;
    let versions = state.store.job_plan_versions(id).await?;
    let names = display_names(state, &versions).await;
    Ok((id, print_plan(&plan, &doc, &versions, &names), doc))
}

/// `GET /plans/{id}/print`.
pub async fn print(
    State(state): State<AppState>,
    u: WebUser,
    Path(raw): Path<String>,
) -> PageResult<Markup> {
    let (id, p, _) = build(&state, &u, &raw).await?;
    Ok(layout_back(
        &u,
        &format!("Job plan: {}", p.name),
        (&format!("/plans/{id}"), "Back to the job plan"),
        print_markup(id, &p),
    ))
}

fn attachment(content_type: &'static str, filename: &str, body: Vec<u8>) -> Response {
    (
        [
            (header::CONTENT_TYPE, content_type.to_string()),
            (
                header::CONTENT_DISPOSITION,
                format!("attachment; filename=\"{filename}\""),
            ),
            (header::CACHE_CONTROL, "no-store".to_string()),
        ],
        body,
    )
        .into_response()
}

/// A consultant id made safe for a file name.
pub fn file_part(s: &str) -> String {
    s.chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() || c == '-' || c == '_' {
                c
            } else {
                '-'
            }
        })
        .collect()
}

/// `GET /plans/{id}/job-plan.pdf`.
pub async fn pdf(
    State(state): State<AppState>,
    u: WebUser,
    Path(raw): Path<String>,
) -> PageResult<Response> {
    let (_, p, _) = build(&state, &u, &raw).await?;
    let bytes = export::pdf(&print_pdf(&p));
    Ok(attachment(
        "application/pdf",
        &format!(
            "job-plan-{}-v{}.pdf",
            file_part(&p.consultant_id),
            p.version
        ),
        bytes,
    ))
}

/// `GET /plans/{id}/timetable.ics`.
pub async fn ics(
    State(state): State<AppState>,
    u: WebUser,
    Path(raw): Path<String>,
) -> PageResult<Response> {
    let (id, p, doc) = build(&state, &u, &raw).await?;
    let text = export::ics(
        &format!("Job plan timetable: {}", p.name),
        &format!("jp{id}-"),
        doc.job_plan.effective_from,
        &timetable_events(&doc),
        chrono::Utc::now().naive_utc(),
    );
    Ok(attachment(
        "text/calendar; charset=utf-8",
        &format!("timetable-{}.ics", file_part(&p.consultant_id)),
        text.into_bytes(),
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn v(version: i64, action: &str, by: &str) -> VersionRecord {
        VersionRecord {
            version,
            status: String::new(),
            action: action.into(),
            note: String::new(),
            created_by: by.into(),
            created_at: format!("2026-01-0{version}T10:00:00.000Z"),
            total_pay_pence: 0,
        }
    }

    fn steps(versions: &[VersionRecord]) -> Vec<(&'static str, String)> {
        sign_offs(versions)
            .into_iter()
            .map(|s| (s.step, s.by))
            .collect()
    }

    #[test]
    fn sign_offs_follow_the_current_round() {
        let all = [
            v(1, "create", "cd"),
            v(2, "propose", "cd"),
            v(3, "agree", "c"),
            v(4, "cd_sign_off", "cd"),
            v(5, "md_sign_off", "md"),
        ];
        assert_eq!(
            steps(&all),
            vec![
                ("Proposed", "cd".to_string()),
                ("Agreed by the consultant", "c".to_string()),
                ("Signed off by the clinical director", "cd".to_string()),
                ("Signed off by the medical director", "md".to_string()),
            ]
        );
        let mut reopened = all.to_vec();
        reopened.push(v(6, "reopen", "cd"));
        reopened.push(v(7, "edit", "cd"));
        assert!(steps(&reopened).is_empty());
        assert_eq!(sign_offs(&all)[0].at, "2026-01-02T10:00:00.000Z");
    }

    #[test]
    fn not_agreeing_withdraws_the_agreement_until_the_dispute_ends() {
        let disputed = [
            v(1, "propose", "cd"),
            v(2, "agree", "c"),
            v(3, "not_agree", "c"),
            v(4, "refer", "c"),
            v(5, "appeal", "c"),
            v(6, "decide_appeal", "ms"),
        ];
        assert_eq!(
            steps(&disputed),
            vec![
                ("Proposed", "cd".to_string()),
                (
                    "Agreed on appeal (appeals panel's outcome)",
                    "ms".to_string()
                ),
            ]
        );
        assert_eq!(steps(&disputed[..4]), vec![("Proposed", "cd".to_string())]);
    }

    fn activity(weeks: Vec<u8>, title: &str) -> Activity {
        serde_json::from_value(serde_json::json!({
            "day": "tue", "start": "08:00", "end": "12:30", "category": "spa",
            "weeks": weeks, "title": title, "location": "Ward 3"
        }))
        .unwrap()
    }

    #[test]
    fn activities_read_in_words() {
        assert_eq!(weeks_label(&activity(vec![], "x"), 2), "Every week");
        assert_eq!(
            weeks_label(&activity(vec![1, 3], "x"), 4),
            "Weeks 1 and 3 of 4"
        );
        assert_eq!(
            weeks_label(&activity(vec![1, 2, 4], "x"), 4),
            "Weeks 1, 2 and 4 of 4"
        );
        assert_eq!(weeks_label(&activity(vec![2], "x"), 2), "Week 2 of 2");
        assert_eq!(weeks_label(&activity(vec![2], "x"), 1), "Every week");
        assert_eq!(
            activity_title(&activity(vec![], "")),
            "Supporting professional activities"
        );
        assert_eq!(file_part("c-surg-01"), "c-surg-01");
        assert_eq!(file_part("a\"b/c"), "a-b-c");
    }
}
