//! Job-planning rounds (JP-1): the medical director or medical staffing opens a round with a
//! deadline for each department in it; its consultants are those the departments hold on opening.
//! A consultant is done in the round once a plan of theirs is signed off on or after the day it
//! opened, and overdue when not done after their department's deadline. Each consultant's current
//! plan shows how long it has spent in each state, so that a dispute's age is visible (JP-4).
//! Shared by the API, the rounds pages and the home pages.

use crate::error::{ApiResult, AppError};
use crate::service::compliance::{current_plans, sign_offs_by_consultant, sign_offs_of};
use crate::service::read_date;
use crate::uk_time;
use chrono::{DateTime, NaiveDate};
use serde::{Deserialize, Serialize};
use std::collections::{BTreeMap, HashMap};
use tenpa_rules::job_planning::review::in_dispute;
use tenpa_rules::job_planning::{Role, Status};
use tenpa_store::{Round, Scope, Store, User};
use utoipa::ToSchema;

/// A round to open.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct NewRound {
    /// Its title, e.g. "Job planning 2027/28".
    pub title: String,
    /// Each department in the round with its deadline.
    pub deadlines: Vec<NewDeadline>,
}

/// A department's deadline in a new round.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct NewDeadline {
    /// The department.
    pub department_id: i64,
    /// The last day for its plans to be signed off (YYYY-MM-DD), on or after today.
    pub deadline: String,
}

/// The most departments a round may name.
const MAX_DEPARTMENTS: usize = 500;

/// Days a plan has spent in one state.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, ToSchema)]
pub struct StateTime {
    /// The state.
    #[schema(value_type = String)]
    pub status: Status,
    /// Whole days in it, over every time the plan was in it.
    pub days: i64,
}

/// A consultant's progress in a round.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, ToSchema)]
pub struct ConsultantProgress {
    /// The consultant record.
    pub consultant_id: String,
    /// Their name.
    pub name: String,
    /// Their department in the round.
    pub department_id: i64,
    /// Its name.
    pub department: String,
    /// Its deadline.
    #[schema(value_type = String, format = Date)]
    pub deadline: NaiveDate,
    /// Their current plan, if any.
    pub plan_id: Option<i64>,
    /// Its state.
    #[schema(value_type = Option<String>)]
    pub status: Option<Status>,
    /// The day a plan of theirs was signed off in the round, if one was.
    #[schema(value_type = Option<String>, format = Date)]
    pub signed_off_on: Option<NaiveDate>,
    /// Whether they are done: signed off on or after the round opened.
    pub done: bool,
    /// Whether they are not done after the deadline.
    pub overdue: bool,
    /// Whole days the current plan has been in its state.
    pub days_in_status: Option<i64>,
    /// Whole days the current plan has been in dispute, when it is.
    pub dispute_days: Option<i64>,
    /// Days the current plan has spent in each state, in the order first reached.
    pub time_in_states: Vec<StateTime>,
}

/// A department's progress in a round.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, ToSchema)]
pub struct DepartmentProgress {
    /// The department.
    pub department_id: i64,
    /// Its name.
    pub name: String,
    /// Its deadline.
    #[schema(value_type = String, format = Date)]
    pub deadline: NaiveDate,
    /// Its consultants in the round.
    pub consultants: u32,
    /// Of them, done.
    pub done: u32,
    /// Of them, overdue.
    pub overdue: u32,
}

/// A round with its progress, as the caller may see it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, ToSchema)]
pub struct RoundView {
    /// Id.
    pub id: i64,
    /// Title.
    pub title: String,
    /// The day it opened.
    #[schema(value_type = String, format = Date)]
    pub opened_on: NaiveDate,
    /// Who opened it.
    pub opened_by: String,
    /// The day the progress is of (today, UK).
    #[schema(value_type = String, format = Date)]
    pub on: NaiveDate,
    /// Each department's progress, by name.
    pub departments: Vec<DepartmentProgress>,
    /// Each consultant's, by department and name.
    pub consultants: Vec<ConsultantProgress>,
}

/// Whether `u` may open rounds: the medical director or medical staffing.
fn may_open(u: &User) -> bool {
    u.has(Role::MedicalDirector) || u.has(Role::MedicalStaffing)
}

/// The departments of a round `u` may see: all for the trust's report readers, their own for a
/// clinical director; `None` for nobody else.
fn visible_department(u: &User) -> Option<Option<i64>> {
    if crate::policy::may_read_compliance(u, None) {
        Some(None)
    } else if u.has(Role::ClinicalDirector) && u.department_id.is_some() {
        Some(u.department_id)
    } else {
        None
    }
}

/// Opens a round as `user` on `today`. 403 unless the medical director or medical staffing; 422
/// naming `title`, `deadlines` or `deadlines[i].deadline`.
pub async fn open(
    store: &Store,
    user: &User,
    body: NewRound,
    today: NaiveDate,
) -> ApiResult<RoundView> {
    if !may_open(user) {
        return Err(AppError::Forbidden(
            "job-planning rounds are opened by the medical director and medical staffing".into(),
        ));
    }
    if body.deadlines.len() > MAX_DEPARTMENTS {
        return Err(AppError::unprocessable_at(
            "deadlines",
            format!(
                "found {} departments, expected at most {MAX_DEPARTMENTS}",
                body.deadlines.len()
            ),
        ));
    }
    if body.title.chars().count() > 200 {
        return Err(AppError::unprocessable_at(
            "title",
            "expected at most 200 characters".into(),
        ));
    }
    let mut deadlines = Vec::with_capacity(body.deadlines.len());
    for (i, d) in body.deadlines.iter().enumerate() {
        let field = format!("deadlines[{i}].deadline");
        let on = read_date(&field, &d.deadline)?;
        if on < today {
            return Err(AppError::unprocessable_at(
                &field,
                format!("found {on}, expected today ({today}) or later"),
            ));
        }
        deadlines.push((d.department_id, on));
    }
    let id = store
        .create_round(&user.username, &body.title, today, &deadlines)
        .await?;
    view(store, user, id, today).await
}

/// The rounds `user` may see, the latest first, each with its progress today.
pub async fn list(store: &Store, user: &User, today: NaiveDate) -> ApiResult<Vec<RoundView>> {
    rounds_of(store, user, today, usize::MAX).await
}

/// The latest round `user` may see, with its progress today (for the managers' home pages).
pub async fn latest(store: &Store, user: &User, today: NaiveDate) -> ApiResult<Option<RoundView>> {
    Ok(rounds_of(store, user, today, 1).await?.into_iter().next())
}

/// The progress on `today` of every round with a department's deadline between today and
/// `within_days` from now: for the reminders, which no one asks for.
pub async fn closing(
    store: &Store,
    today: NaiveDate,
    within_days: i64,
) -> ApiResult<Vec<RoundView>> {
    let last = today + chrono::Duration::days(within_days);
    let mut closing = Vec::new();
    for r in store.rounds().await? {
        if let Some(round) = store.round(r.id).await? {
            if round
                .deadlines
                .iter()
                .any(|(_, d)| (today..=last).contains(d))
            {
                closing.push(round);
            }
        }
    }
    if closing.is_empty() {
        return Ok(vec![]);
    }
    let inputs = Inputs::read(store).await?;
    Ok(closing
        .into_iter()
        .map(|round| progress(&inputs, round, None, today))
        .collect())
}

/// Up to `most` of the rounds `user` may see, the latest first: the trust's plans, sign-offs and
/// histories read once for all of them.
async fn rounds_of(
    store: &Store,
    user: &User,
    today: NaiveDate,
    most: usize,
) -> ApiResult<Vec<RoundView>> {
    let only = visible_department(user).ok_or_else(forbidden)?;
    let mut visible = Vec::new();
    for r in store.rounds().await? {
        if visible.len() == most {
            break;
        }
        let Some(round) = store.round(r.id).await? else {
            continue;
        };
        if only.is_none_or(|d| round.deadlines.iter().any(|(x, _)| *x == d)) {
            visible.push(round);
        }
    }
    if visible.is_empty() {
        return Ok(vec![]);
    }
    let inputs = Inputs::read(store).await?;
    Ok(visible
        .into_iter()
        .map(|round| progress(&inputs, round, only, today))
        .collect())
}

fn forbidden() -> AppError {
    AppError::Forbidden(
        "rounds are seen by the medical director, medical staffing and the chief executive, and by a clinical director for their department".into(),
    )
}

/// One round's progress on `today`, as `user` may see it (a clinical director their department's
/// part). 404 when there is none; 403 when none of it is theirs to see.
pub async fn view(store: &Store, user: &User, id: i64, today: NaiveDate) -> ApiResult<RoundView> {
    let only = visible_department(user).ok_or_else(forbidden)?;
    let round = store
        .round(id)
        .await?
        .ok_or_else(|| AppError::NotFound(format!("no round {id}")))?;
    if let Some(d) = only {
        if !round.deadlines.iter().any(|(x, _)| *x == d) {
            return Err(forbidden());
        }
    }
    Ok(progress(&Inputs::read(store).await?, round, only, today))
}

/// The round a consultant is in most recently, with their progress in it (for their home page).
pub async fn latest_for_consultant(
    store: &Store,
    consultant_id: &str,
    today: NaiveDate,
) -> ApiResult<Option<(String, ConsultantProgress)>> {
    let Some((record, _)) = store
        .rounds_of_consultant(consultant_id)
        .await?
        .into_iter()
        .next()
    else {
        return Ok(None);
    };
    let Some(round) = store.round(record.id).await? else {
        return Ok(None);
    };
    let title = round.record.title.clone();
    let mut round = round;
    round.consultants.retain(|(c, _)| c == consultant_id);
    let v = progress(
        &Inputs::read_for(store, consultant_id).await?,
        round,
        None,
        today,
    );
    Ok(v.consultants
        .into_iter()
        .find(|c| c.consultant_id == consultant_id)
        .map(|c| (title, c)))
}

/// What a round's progress reads of the trust, read once however many rounds are shown.
struct Inputs {
    departments: HashMap<i64, String>,
    names: HashMap<String, String>,
    plans: Vec<tenpa_store::JobPlanSummary>,
    sign_offs: HashMap<String, Vec<tenpa_rules::job_planning::review::SignOff>>,
    history: HashMap<i64, History>,
}

impl Inputs {
    async fn read(store: &Store) -> ApiResult<Inputs> {
        Ok(Inputs {
            departments: departments(store).await?,
            names: store
                .staff_records()
                .await?
                .into_iter()
                .map(|(id, r)| (id, r.name))
                .collect(),
            plans: store.job_plans(&Scope::All).await?,
            sign_offs: sign_offs_by_consultant(store).await?,
            history: history_of(store.plan_state_steps().await?)?,
        })
    }

    /// What one consultant's progress reads: their record, plans, sign-offs and histories only.
    async fn read_for(store: &Store, consultant_id: &str) -> ApiResult<Inputs> {
        let mut names = HashMap::new();
        if let Some(c) = store.consultant(consultant_id).await? {
            names.insert(consultant_id.to_string(), c.name);
        }
        let mut sign_offs = HashMap::new();
        sign_offs.insert(
            consultant_id.to_string(),
            sign_offs_of(store, consultant_id).await?,
        );
        Ok(Inputs {
            departments: departments(store).await?,
            names,
            plans: store
                .job_plans(&Scope::Consultant(consultant_id.to_string()))
                .await?,
            sign_offs,
            history: history_of(store.plan_state_steps_of(consultant_id).await?)?,
        })
    }
}

async fn departments(store: &Store) -> ApiResult<HashMap<i64, String>> {
    Ok(store
        .departments()
        .await?
        .into_iter()
        .map(|d| (d.id, d.name))
        .collect())
}

fn progress(inputs: &Inputs, round: Round, only: Option<i64>, today: NaiveDate) -> RoundView {
    let Inputs {
        departments,
        names,
        plans,
        sign_offs,
        history,
    } = inputs;
    let current = current_plans(plans);
    let deadline_of: HashMap<i64, NaiveDate> = round.deadlines.iter().copied().collect();
    let now = chrono::Utc::now();

    let mut consultants = Vec::new();
    for (cid, dept) in &round.consultants {
        if only.is_some_and(|d| d != *dept) {
            continue;
        }
        let Some(deadline) = deadline_of.get(dept).copied() else {
            continue;
        };
        let plan = current.get(cid.as_str()).copied();
        let signed_off_on = sign_offs
            .get(cid)
            .into_iter()
            .flatten()
            .map(|s| s.on)
            .filter(|on| *on >= round.record.opened_on)
            .min();
        let done = signed_off_on.is_some();
        let times = plan
            .and_then(|(id, _)| history.get(&id))
            .map(|h| time_in_states(h, now))
            .unwrap_or_default();
        let days_in_status = plan
            .and_then(|(id, _)| history.get(&id))
            .and_then(|h| h.last())
            .map(|(_, since)| whole_days(*since, now));
        let dispute_days = match plan {
            Some((id, s)) if in_dispute(s) => history.get(&id).map(|h| dispute_age(h, now)),
            _ => None,
        };
        consultants.push(ConsultantProgress {
            consultant_id: cid.clone(),
            name: names.get(cid).cloned().unwrap_or_else(|| cid.clone()),
            department_id: *dept,
            department: departments.get(dept).cloned().unwrap_or_default(),
            deadline,
            plan_id: plan.map(|p| p.0),
            status: plan.map(|p| p.1),
            signed_off_on,
            done,
            overdue: !done && today > deadline,
            days_in_status,
            dispute_days,
            time_in_states: times,
        });
    }
    consultants.sort_by(|a, b| (&a.department, &a.name).cmp(&(&b.department, &b.name)));
    let mut by_department: BTreeMap<(String, i64), DepartmentProgress> = BTreeMap::new();
    for (d, deadline) in &round.deadlines {
        if only.is_some_and(|o| o != *d) {
            continue;
        }
        let name = departments.get(d).cloned().unwrap_or_default();
        by_department.insert(
            (name.clone(), *d),
            DepartmentProgress {
                department_id: *d,
                name,
                deadline: *deadline,
                consultants: 0,
                done: 0,
                overdue: 0,
            },
        );
    }
    for c in &consultants {
        if let Some(p) = by_department.get_mut(&(c.department.clone(), c.department_id)) {
            p.consultants += 1;
            p.done += u32::from(c.done);
            p.overdue += u32::from(c.overdue);
        }
    }
    RoundView {
        id: round.record.id,
        title: round.record.title,
        opened_on: round.record.opened_on,
        opened_by: round.record.opened_by,
        on: today,
        departments: by_department.into_values().collect(),
        consultants,
    }
}

/// A plan's states in order, each with the time it began.
pub(crate) type History = Vec<(Status, DateTime<chrono::Utc>)>;

/// Each plan's states in order with the time each began, merging consecutive versions in the same
/// state (an edit in draft does not restart it).
pub(crate) async fn state_history(store: &Store) -> ApiResult<HashMap<i64, History>> {
    history_of(store.plan_state_steps().await?)
}

/// The histories of `steps`, as [`state_history`] reads them.
fn history_of(steps: Vec<tenpa_store::StateStep>) -> ApiResult<HashMap<i64, History>> {
    let mut out: HashMap<i64, History> = HashMap::new();
    for s in steps {
        let what = format!("job plan {} version {}", s.job_plan_id, s.version);
        let status = Status::parse(&s.status)
            .ok_or_else(|| AppError::Internal(format!("{what}: unknown state {:?}", s.status)))?;
        let at = DateTime::parse_from_rfc3339(&s.created_at)
            .map_err(|e| AppError::Internal(format!("{what}: created_at {:?}: {e}", s.created_at)))?
            .with_timezone(&chrono::Utc);
        let h = out.entry(s.job_plan_id).or_default();
        if h.last().map(|(st, _)| *st) != Some(status) {
            h.push((status, at));
        }
    }
    Ok(out)
}

fn whole_days(from: DateTime<chrono::Utc>, to: DateTime<chrono::Utc>) -> i64 {
    (to - from).num_days().max(0)
}

/// Days spent in each state, over every time the plan was in it, in the order first reached.
fn time_in_states(h: &History, now: DateTime<chrono::Utc>) -> Vec<StateTime> {
    let mut seconds: Vec<(Status, i64)> = Vec::new();
    for (i, (status, from)) in h.iter().enumerate() {
        let to = h.get(i + 1).map_or(now, |n| n.1);
        let s = (to - *from).num_seconds().max(0);
        match seconds.iter_mut().find(|(st, _)| st == status) {
            Some(e) => e.1 += s,
            None => seconds.push((*status, s)),
        }
    }
    seconds
        .into_iter()
        .map(|(status, s)| StateTime {
            status,
            days: s / 86_400,
        })
        .collect()
}

/// Whole days since the plan's current dispute began: since it last entered a state of dispute
/// from one that was not.
fn dispute_age(h: &History, now: DateTime<chrono::Utc>) -> i64 {
    let start = h
        .iter()
        .rev()
        .take_while(|(s, _)| in_dispute(*s))
        .last()
        .map_or(now, |(_, at)| *at);
    whole_days(start, now)
}

/// Today, UK time.
pub fn today() -> NaiveDate {
    uk_time::today()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn at(s: &str) -> DateTime<chrono::Utc> {
        DateTime::parse_from_rfc3339(s)
            .unwrap()
            .with_timezone(&chrono::Utc)
    }

    /// Source: JP-4 (A 10.1): a dispute's age runs from when the plan first went into dispute
    /// (not agreed, then referred, then at appeal is one dispute); time in each state adds up every
    /// time the plan was in it.
    #[test]
    fn time_in_states_and_a_disputes_age() {
        let h: History = vec![
            (Status::Draft, at("2026-01-01T09:00:00Z")),
            (Status::Proposed, at("2026-01-11T09:00:00Z")),
            (Status::NotAgreed, at("2026-01-21T09:00:00Z")),
            (Status::Referred, at("2026-02-01T09:00:00Z")),
        ];
        let now = at("2026-03-01T10:00:00Z");
        assert_eq!(
            time_in_states(&h, now),
            vec![
                StateTime {
                    status: Status::Draft,
                    days: 10
                },
                StateTime {
                    status: Status::Proposed,
                    days: 10
                },
                StateTime {
                    status: Status::NotAgreed,
                    days: 11
                },
                StateTime {
                    status: Status::Referred,
                    days: 28
                },
            ]
        );
        assert_eq!(dispute_age(&h, now), 39);
        let mut again = h.clone();
        again.push((Status::Agreed, at("2026-03-01T09:00:00Z")));
        again.push((Status::NotAgreed, at("2026-03-01T09:30:00Z")));
        assert_eq!(dispute_age(&again, at("2026-03-03T10:00:00Z")), 2);
        let draft = time_in_states(&again, at("2026-03-03T10:00:00Z"));
        assert_eq!(
            draft[2],
            StateTime {
                status: Status::NotAgreed,
                days: 13
            }
        );
    }
}
