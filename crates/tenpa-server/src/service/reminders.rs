//! Reminders, each given once: a job-planning round's deadline 14 days and 3 days ahead (to each
//! consultant of the department whose plan is not yet signed off in the round, and to the
//! department's clinical directors with how many are not), and a job plan review falling due
//! within 30 days or past due (to the consultant). `tenpa serve` runs them every hour and
//! `tenpa remind` once, for a scheduler; each reminder's key is kept with the notifications it
//! made, so running them again, late, or on two servers at once tells no one twice. A run that
//! misses the 14-day day gives the reminder on the next run within the window; once a deadline
//! is 3 days away only the 3-day reminder is given. The 14, 3 and 30 days are Tenpa's choice (the
//! contract sets the annual review, A 9.1, not when to remind of it).

use crate::error::{ApiResult, AppError};
use crate::service::{compliance, rounds};
use chrono::NaiveDate;
use serde::Serialize;
use std::collections::HashMap;
use tenpa_rules::job_planning::Role;
use tenpa_rules::Parameters;
use tenpa_store::{Notice, Store};

/// Days before a round's deadline that reminders are given, the earliest first.
pub const DEADLINE_DAYS: [i64; 2] = [14, 3];
/// Days before a review falls due that the consultant is reminded.
pub const REVIEW_NOTICE_DAYS: i64 = 30;

/// How many reminders a run gave.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize)]
pub struct Reminded {
    /// Of a round's deadline (one to each consultant, one to a department's clinical directors).
    pub round_deadlines: usize,
    /// Of a review falling due.
    pub reviews_due: usize,
}

fn long(d: NaiveDate) -> String {
    d.format("%A %-d %B %Y").to_string()
}

/// The reminder window `today` falls in before `deadline`: the fewest days of [`DEADLINE_DAYS`]
/// at least as many as are left, if any (none after the deadline).
pub fn deadline_window(today: NaiveDate, deadline: NaiveDate) -> Option<i64> {
    let left = (deadline - today).num_days();
    if left < 0 {
        return None;
    }
    DEADLINE_DAYS.iter().rev().copied().find(|n| left <= *n)
}

/// Gives the reminders due on `today`.
pub async fn run(store: &Store, params: &Parameters, today: NaiveDate) -> ApiResult<Reminded> {
    let mut done = Reminded::default();
    // Read once: the reminders given already (skipped without a write; `Store::remind` still
    // gives each once when runs overlap), and each consultant record's enabled account.
    let given = store.reminders_given().await?;
    let mut account_of: HashMap<String, String> = HashMap::new();
    let mut accounts = store.accounts().await?;
    accounts.sort_by_key(|a| a.user.id);
    for a in accounts.into_iter().filter(|a| a.disabled_at.is_none()) {
        if let Some(c) = a.user.consultant_id {
            account_of.entry(c).or_insert(a.user.username);
        }
    }
    let give = |key: String, to: Vec<String>, notice: Notice| {
        let fresh = !given.contains(&key);
        async move { Ok::<_, AppError>(fresh && store.remind(&key, &to, &notice).await?) }
    };
    let cds = store.users_with_roles(&[Role::ClinicalDirector]).await?;
    for round in rounds::closing(store, today, DEADLINE_DAYS[0]).await? {
        for d in &round.departments {
            let Some(window) = deadline_window(today, d.deadline) else {
                continue;
            };
            let left = (d.deadline - today).num_days();
            let when = format!(
                "{} ({})",
                long(d.deadline),
                match left {
                    0 => "today".to_string(),
                    1 => "tomorrow".to_string(),
                    n => format!("in {n} days"),
                }
            );
            let waiting: Vec<&rounds::ConsultantProgress> = round
                .consultants
                .iter()
                .filter(|c| c.department_id == d.department_id && !c.done)
                .collect();
            for c in &waiting {
                let Some(username) = account_of.get(&c.consultant_id) else {
                    continue;
                };
                let notice = Notice {
                    kind: "round_deadline",
                    subject: format!("{}: your job plan is due to be signed off by {}", round.title, long(d.deadline)),
                    message: format!(
                        "The job-planning round \"{}\" closes for {} on {when}, and your job plan is not yet signed off in it.",
                        round.title, d.name
                    ),
                    link: c.plan_id.map_or("/".to_string(), |id| format!("/plans/{id}/workflow")),
                };
                let key = format!(
                    "round:{}:{}:{window}:{}",
                    round.id, d.department_id, c.consultant_id
                );
                if give(key, vec![username.clone()], notice).await? {
                    done.round_deadlines += 1;
                }
            }
            let to: Vec<String> = cds
                .iter()
                .filter(|u| u.department_id == Some(d.department_id))
                .map(|u| u.username.clone())
                .collect();
            if waiting.is_empty() || to.is_empty() {
                continue;
            }
            let notice = Notice {
                kind: "round_deadline",
                subject: format!("{}: {} of {} job plans in {} not yet signed off", round.title, waiting.len(), d.consultants, d.name),
                message: format!(
                    "The job-planning round \"{}\" closes for {} on {when}: {} of its {} job plans are not yet signed off in it.",
                    round.title, d.name, waiting.len(), d.consultants
                ),
                link: format!("/rounds/{}", round.id),
            };
            let key = format!(
                "round:{}:{}:{window}:clinical-directors",
                round.id, d.department_id
            );
            if give(key, to, notice).await? {
                done.round_deadlines += 1;
            }
        }
    }
    let report = compliance::report(store, params, today, None).await?;
    for c in &report.consultants {
        let Some(due) = c.review_due else { continue };
        if (due - today).num_days() > REVIEW_NOTICE_DAYS {
            continue;
        }
        let Some(username) = account_of.get(&c.consultant_id) else {
            continue;
        };
        let (subject, message) = if due >= today {
            (
                format!("Your job plan review falls due on {}", long(due)),
                format!("Your job plan review falls due on {}: agree a date with your clinical director (a job plan is reviewed at least once a year).", long(due)),
            )
        } else {
            (
                format!("Your job plan review was due on {}", long(due)),
                format!("Your job plan review was due on {} and is overdue: agree a date with your clinical director (a job plan is reviewed at least once a year).", long(due)),
            )
        };
        let notice = Notice {
            kind: "review_due",
            subject,
            message,
            link: c
                .plan_id
                .map_or("/".to_string(), |id| format!("/plans/{id}")),
        };
        let key = format!("review:{}:{due}", c.consultant_id);
        if give(key, vec![username.clone()], notice).await? {
            done.reviews_due += 1;
        }
    }
    Ok(done)
}

/// Gives the reminders due every hour, until the process ends; a failure is logged.
pub fn spawn(store: std::sync::Arc<Store>, params: std::sync::Arc<Parameters>) {
    tokio::spawn(async move {
        let mut tick = tokio::time::interval(std::time::Duration::from_secs(3600));
        tick.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
        loop {
            tick.tick().await;
            match run(&store, &params, crate::uk_time::today()).await {
                Ok(r) if r != Reminded::default() => tracing::info!(
                    round_deadlines = r.round_deadlines,
                    reviews_due = r.reviews_due,
                    "reminders given"
                ),
                Ok(_) => {}
                Err(e) => tracing::warn!(error = ?e, "giving reminders failed"),
            }
        }
    });
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_deadline_is_reminded_14_days_then_3_days_ahead() {
        let d = |s: &str| NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap();
        let deadline = d("2026-12-31");
        assert_eq!(deadline_window(d("2026-12-16"), deadline), None);
        assert_eq!(deadline_window(d("2026-12-17"), deadline), Some(14));
        assert_eq!(deadline_window(d("2026-12-27"), deadline), Some(14));
        assert_eq!(deadline_window(d("2026-12-28"), deadline), Some(3));
        assert_eq!(deadline_window(d("2026-12-31"), deadline), Some(3));
        assert_eq!(deadline_window(d("2027-01-01"), deadline), None);
    }
}
