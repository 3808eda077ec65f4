//! The plan to print, built from the stored plan, its assessment and its versions: its sign-offs
//! and its weekly activities as calendar events.

use super::{category_label, day_label};
use crate::export::TimetableEvent;
use crate::web::components::{long_date, pa_figures, pay_components, status_label};
use crate::web::history::who;
use crate::web::page::pounds;
use crate::web::workflow::parse_action;
use chrono::{NaiveTime, Weekday};
use std::collections::HashMap;
use tenpa_rules::job_planning::{Action, Status};
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
    /// What a sign-off said of the findings, in words (empty when nothing).
    pub said: String,
}

/// What a sign-off said of the findings, as one line of text: each acknowledgement with its
/// comment, and the medical director's override reason (JP-1).
pub fn said_text(s: &tenpa_store::SignOffRecord) -> String {
    let mut parts: Vec<String> = Vec::new();
    if let Some(reason) = &s.override_reason {
        parts.push(format!("Signed off despite an error: {reason}"));
    }
    for a in &s.acknowledged {
        let mut t = format!("Acknowledged {} {}: {}", a.severity, a.rule, a.message);
        if !a.comment.is_empty() {
            t.push_str(&format!(" ({})", a.comment));
        }
        parts.push(t);
    }
    parts.join("; ")
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
            said: v.sign_off.as_ref().map(said_text).unwrap_or_default(),
        });
    }
    out
}

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
    /// The workflow state.
    pub status: Status,
    /// The facts of the plan: label and value.
    pub facts: Vec<(String, String)>,
    /// Agreement and sign-offs: step, who (by name), when, what it said of the findings.
    pub sign_offs: Vec<[String; 4]>,
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
            ("Supplement band".into(), a.on_call.band.to_string()),
            (
                "Emergency work a week (hours)".into(),
                (oc.emergency_hours_plain + oc.emergency_hours_premium)
                    .normalize()
                    .to_string(),
            ),
            (
                "PAs for on-call".into(),
                a.pas.on_call.normalize().to_string(),
            ),
        ],
        _ => vec![],
    };
    // The categories and the total, not the core total nor premium time.
    let pas = pa_figures(&a.pas)
        .into_iter()
        .filter(|f| !f.part)
        .map(|f| (f.label.to_string(), f.value.normalize().to_string()))
        .collect();
    let pay = pay_components(&a.pay)
        .into_iter()
        .map(|(l, m)| (l.to_string(), pounds(m.pence())))
        .chain(std::iter::once((
            "Total pay a year".to_string(),
            pounds(s.total_pay_pence),
        )))
        .collect();
    let findings = a
        .findings
        .iter()
        .map(|f| {
            (
                f.rule.to_string(),
                f.severity.as_str().to_string(),
                f.message.clone(),
            )
        })
        .collect();
    PrintPlan {
        name: s.consultant_name.clone(),
        consultant_id: s.consultant_id.clone(),
        department: s.department.clone(),
        version: s.version,
        status: s.status,
        facts,
        sign_offs: sign_offs(versions)
            .into_iter()
            .map(|so| {
                [
                    so.step.to_string(),
                    who(names, &so.by).to_string(),
                    long_date(&so.at),
                    so.said,
                ]
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

#[cfg(test)]
mod tests {
    use super::super::file_part;
    use super::*;
    fn v(version: i64, action: &str, by: &str) -> VersionRecord {
        VersionRecord {
            version,
            status: tenpa_rules::job_planning::Status::Draft,
            action: action.into(),
            note: String::new(),
            created_by: by.into(),
            created_at: format!("2026-01-0{version}T10:00:00.000Z"),
            total_pay_pence: 0,
            sign_off: None,
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
