//! On-call rotas flow into their members' job plans. The plan holds the consultant's "on-call and
//! rota commitments" (JP-2), and its `[on_call]` `rota_size` and `category` drive the availability
//! supplement (OC-6), so when a rota's members or category change, each affected member's current
//! plan gets a new version that agrees with the rotas, through the same versioned, audited store
//! path as an edit. The readings (several rotas, a decision effective later, a signed-off plan)
//! are in `docs/readings.md`.

use crate::error::{ApiResult, AppError};
use crate::policy::{may_edit, may_see};
use crate::service::assessments::CheckedPlan;
use crate::service::job_plans::available_actions;
use crate::AppState;
use chrono::NaiveDate;
use serde::Serialize;
use serde_json::{json, Value};
use std::collections::BTreeSet;
use tenpa_rules::job_planning::{Action, Status};
use tenpa_rules::on_call::most_demanding;
use tenpa_rules::plan::OnCallCategory;
use tenpa_rules::Assessment;
use tenpa_store::{JobPlanRecord, NewVersion, PlanOutcome, PlanVersions, Rota, Scope, User};
use utoipa::ToSchema;

/// The version action of an on-call change that follows a rota.
pub const ON_CALL_ACTION: &str = "on_call";

/// Times a plan that moved on concurrently is worked out again on its current version.
const RETRIES: usize = 3;

/// The category of `rota` in force on `day`: the latest decision effective on or before it, or
/// the first decision when none is in force yet.
pub(crate) fn category_on(rota: &Rota, day: NaiveDate) -> Option<String> {
    rota.decisions
        .iter()
        .rfind(|d| d.effective_from <= day)
        .or(rota.decisions.first())
        .map(|d| d.category.clone())
}

fn parse_category(s: &str) -> Option<OnCallCategory> {
    match s {
        "a" => Some(OnCallCategory::A),
        "b" => Some(OnCallCategory::B),
        _ => None,
    }
}

/// The rota commitment a consultant's plan should hold.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Commitment {
    /// The rota it comes from (0 for a rota being created).
    pub rota_id: i64,
    /// Its name.
    pub rota_name: String,
    /// N of "1 in N": the rota's members (F 4(k)).
    pub rota_size: u32,
    /// The category in force today (OC-7).
    pub category: OnCallCategory,
    /// How many rotas the consultant is on.
    pub rotas: usize,
}

/// What `consultant` is committed to by `rotas` today: the most demanding of their rotas
/// (`on_call::most_demanding`, OC-6), `None` when they are on none.
pub(crate) fn commitment(
    state: &AppState,
    consultant: &str,
    rotas: &[Rota],
) -> ApiResult<Option<Commitment>> {
    let day = crate::uk_time::today();
    let mine: Vec<(&Rota, u32, OnCallCategory)> = rotas
        .iter()
        .filter(|r| r.members.iter().any(|m| m == consultant))
        .filter_map(|r| {
            let n = u32::try_from(r.members.len()).ok()?;
            let c = parse_category(&category_on(r, day)?)?;
            Some((r, n, c))
        })
        .collect();
    let on = crate::uk_time::today();
    let table = state
        .params
        .availability_supplement
        .value(on)
        .map_err(|e| AppError::Internal(format!("on_call/availability_supplement.toml: {e}")))?;
    let pairs: Vec<(u32, OnCallCategory)> = mine.iter().map(|(_, n, c)| (*n, *c)).collect();
    Ok(most_demanding(&pairs, table).map(|i| Commitment {
        rota_id: mine[i].0.id,
        rota_name: mine[i].0.name.clone(),
        rota_size: mine[i].1,
        category: mine[i].2,
        rotas: mine.len(),
    }))
}

/// The plan's `[on_call]` rota size (0 when absent) and category.
pub(crate) fn plan_on_call(doc: &Value) -> (u32, Option<OnCallCategory>) {
    let oc = doc.get("on_call").filter(|v| !v.is_null());
    let n = oc
        .and_then(|o| o.get("rota_size"))
        .and_then(Value::as_u64)
        .and_then(|n| u32::try_from(n).ok())
        .unwrap_or(0);
    let c = oc
        .and_then(|o| o.get("category"))
        .and_then(Value::as_str)
        .and_then(parse_category);
    (n, c)
}

/// Whether the plan's `[on_call]` agrees with the commitment (none: not on a rota).
pub(crate) fn agrees(doc: &Value, c: Option<&Commitment>) -> bool {
    match (plan_on_call(doc), c) {
        ((0, _), None) => true,
        ((n, Some(cat)), Some(c)) => n == c.rota_size && cat == c.category,
        _ => false,
    }
}

/// "1 in 6, category A".
pub(crate) fn describe(n: u32, c: Option<OnCallCategory>) -> String {
    match (n, c) {
        (0, _) => "not on a rota".into(),
        (n, Some(c)) => format!("1 in {n}, category {}", c.as_str().to_uppercase()),
        (n, None) => format!("1 in {n}, no category"),
    }
}

/// The document with its `[on_call]` brought into line with `c`, and what changed, in words.
/// Joining a rota keeps the emergency hours of an `[on_call]` the plan had, else they are 0 until
/// agreed (OC-2); leaving every rota removes `[on_call]`, or keeps it with `rota_size = 0` when it
/// records recalls (OC-9).
pub(crate) fn aligned(doc: &Value, c: Option<&Commitment>) -> (Value, String) {
    let mut doc = doc.clone();
    let old = doc.get("on_call").filter(|v| !v.is_null()).cloned();
    let recalls = old
        .as_ref()
        .and_then(|o| o.get("recalls_per_year"))
        .filter(|v| !v.is_null())
        .cloned();
    let text;
    match c {
        Some(c) => {
            let mut oc = serde_json::Map::new();
            oc.insert("rota_size".into(), json!(c.rota_size));
            oc.insert("category".into(), json!(c.category.as_str()));
            let had = old.as_ref().is_some();
            for k in ["emergency_hours_plain", "emergency_hours_premium"] {
                let v = old
                    .as_ref()
                    .and_then(|o| o.get(k))
                    .filter(|v| !v.is_null())
                    .cloned()
                    .unwrap_or(json!(0));
                oc.insert(k.into(), v);
            }
            if let Some(r) = recalls {
                oc.insert("recalls_per_year".into(), r);
            }
            let several = if c.rotas > 1 {
                format!(
                    ", the most demanding of the {} rotas the consultant is on (OC-6)",
                    c.rotas
                )
            } else {
                String::new()
            };
            text = format!(
                "On-call: rota {} now {}{several}{}",
                c.rota_name,
                describe(c.rota_size, Some(c.category)),
                if had {
                    ""
                } else {
                    "; emergency work 0 hours a week until it is agreed (OC-2)"
                }
            );
            doc["on_call"] = Value::Object(oc);
        }
        None => match recalls {
            Some(r) => {
                doc["on_call"] = json!({ "rota_size": 0, "recalls_per_year": r });
                text =
                    "On-call: no longer on a rota; the recalls a year are kept for review (OC-9)"
                        .into();
            }
            None => {
                if let Some(o) = doc.as_object_mut() {
                    o.remove("on_call");
                }
                text = "On-call: no longer on a rota".into();
            }
        },
    }
    (doc, text)
}

/// A plan given a new version to agree with the rotas.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct PlanReversioned {
    /// The job plan.
    pub job_plan_id: i64,
    /// Its consultant.
    pub consultant_id: String,
    /// Its new current version.
    pub version: i64,
    /// Its workflow state after the change (`draft` when a signed-off plan was reopened for an
    /// interim review, JP-1).
    #[schema(value_type = String)]
    pub status: Status,
    /// The version's note.
    pub note: String,
}

/// A plan that could not be brought into line, and why.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct PlanRefused {
    /// The job plan (none when the consultant has no plan).
    pub job_plan_id: Option<i64>,
    /// Its consultant.
    pub consultant_id: String,
    /// Why.
    pub reason: String,
}

/// What a rota change did to its members' plans.
#[derive(Debug, Clone, Default, Serialize, ToSchema)]
pub struct PlanChanges {
    /// Plans given a new version whose `[on_call]` agrees with the rotas.
    pub reversioned: Vec<PlanReversioned>,
    /// Plans left as they are, with the reason; the rota page shows them as not agreeing.
    pub refused: Vec<PlanRefused>,
}

/// A version to add, owned.
struct Version {
    status: Status,
    action: &'static str,
    note: String,
    document: Value,
    assessment: Assessment,
}

/// One plan's versions, worked out from its current version.
pub(crate) struct Prepared {
    job_plan_id: i64,
    consultant_id: String,
    expected: i64,
    versions: Vec<Version>,
}

/// The current plan of a consultant: their latest.
pub(crate) async fn current_plan(
    state: &AppState,
    consultant: &str,
) -> ApiResult<Option<JobPlanRecord>> {
    let latest = state
        .store
        .job_plans(&Scope::Consultant(consultant.to_string()))
        .await?
        .into_iter()
        .map(|p| p.id)
        .max();
    match latest {
        Some(id) => Ok(state.store.job_plan(id).await?),
        None => Ok(None),
    }
}

/// Works out the versions that bring each consultant's current plan into line with `rotas`, as
/// `user` may write them; `cause` ends each note ("rota change by …"). Plans that already agree
/// are left out; plans that cannot change now are refused with the reason.
pub(crate) async fn prepare(
    state: &AppState,
    user: &User,
    consultants: &BTreeSet<String>,
    rotas: &[Rota],
    cause: &str,
) -> ApiResult<(Vec<Prepared>, Vec<PlanRefused>)> {
    let mut out = vec![];
    let mut refused = vec![];
    for c in consultants {
        let wanted = commitment(state, c, rotas)?;
        let Some(plan) = current_plan(state, c).await? else {
            if wanted.is_some() {
                refused.push(PlanRefused {
                    job_plan_id: None,
                    consultant_id: c.clone(),
                    reason: format!(
                        "{c} has no job plan: the rota applies to the plan when one is drawn up"
                    ),
                });
            }
            continue;
        };
        if agrees(&plan.document, wanted.as_ref()) {
            continue;
        }
        let s = &plan.summary;
        let refuse = |reason: String| PlanRefused {
            job_plan_id: Some(s.id),
            consultant_id: c.clone(),
            reason,
        };
        if !may_edit(user, &s.consultant_id, s.department_id) {
            refused.push(refuse(format!(
                "job plan {} is not one you may edit: its department's clinical director, the medical director or medical staffing may bring it into line",
                s.id
            )));
            continue;
        }
        let status = s.status;
        let reopen = status == Status::SignedOff;
        if reopen && !available_actions(user, s).contains(&Action::Reopen) {
            refused.push(refuse(format!(
                "job plan {} is signed off: a change in its on-call is a significant change that needs an interim review (JP-1), which its department's clinical director or the medical director opens",
                s.id
            )));
            continue;
        }
        if !reopen && !status.editable() {
            let why = match status {
                Status::Referred | Status::Appeal => "in dispute (JP-4): its on-call can change once the referral or appeal is decided and the plan signed off and reopened for an interim review (JP-1)",
                _ => "agreed and awaiting sign-off: its on-call can change once it is signed off and reopened for an interim review (JP-1)",
            };
            refused.push(refuse(format!("job plan {} is {why}", s.id)));
            continue;
        }
        let (document, what) = aligned(&plan.document, wanted.as_ref());
        let checked = match CheckedPlan::check(document, &state.params, "document.").await {
            Ok(c) => c,
            Err(r) => {
                let e = AppError::from(r);
                let Some(detail) = e.client_detail() else {
                    return Err(e);
                };
                refused.push(refuse(format!(
                    "job plan {} cannot be read or assessed after the change: {detail}",
                    s.id
                )));
                continue;
            }
        };
        let mut versions = vec![];
        if reopen {
            versions.push(Version {
                status: Status::Draft,
                action: Action::Reopen.as_str(),
                note: format!("Interim review (JP-1): the on-call commitments change ({cause})"),
                document: plan.document.clone(),
                assessment: plan.assessment.clone(),
            });
        }
        versions.push(Version {
            status: if reopen { Status::Draft } else { status },
            action: ON_CALL_ACTION,
            note: format!("{what} ({cause})"),
            assessment: checked.assessment,
            document: checked.document,
        });
        out.push(Prepared {
            job_plan_id: s.id,
            consultant_id: c.clone(),
            expected: s.version,
            versions,
        });
    }
    Ok((out, refused))
}

/// The store's view of prepared versions.
pub(crate) fn as_store(prepared: &[Prepared]) -> Vec<PlanVersions<'_>> {
    prepared
        .iter()
        .map(|p| PlanVersions {
            job_plan_id: p.job_plan_id,
            expected: p.expected,
            versions: p
                .versions
                .iter()
                .map(|v| NewVersion {
                    status: v.status,
                    action: v.action,
                    note: &v.note,
                    document: &v.document,
                    assessment: &v.assessment,
                    referral_alternate: None,
                    sign_off: None,
                })
                .collect(),
        })
        .collect()
}

/// Collects the outcomes of a write, and works out again (on their current version, against the
/// rotas as stored now) the plans that moved on meanwhile, up to [`RETRIES`] times; those still
/// moving are refused, named.
pub(crate) async fn finish(
    state: &AppState,
    user: &User,
    prepared: Vec<Prepared>,
    outcomes: Vec<PlanOutcome>,
    mut refused: Vec<PlanRefused>,
    cause: &str,
) -> ApiResult<PlanChanges> {
    let mut changes = PlanChanges::default();
    let mut round = (prepared, outcomes);
    for attempt in 0..=RETRIES {
        let (prepared, outcomes) = round;
        let mut again = BTreeSet::new();
        for (p, o) in prepared.iter().zip(outcomes) {
            match o {
                PlanOutcome::Saved { version, .. } => {
                    let last = p.versions.last();
                    changes.reversioned.push(PlanReversioned {
                        job_plan_id: p.job_plan_id,
                        consultant_id: p.consultant_id.clone(),
                        version,
                        status: last.map_or(Status::Draft, |v| v.status),
                        note: last.map(|v| v.note.clone()).unwrap_or_default(),
                    });
                }
                PlanOutcome::Conflict { current, .. } if attempt == RETRIES => {
                    refused.push(PlanRefused {
                        job_plan_id: Some(p.job_plan_id),
                        consultant_id: p.consultant_id.clone(),
                        reason: format!(
                            "job plan {} kept changing while it was brought into line (version {} expected, {} found, {} attempts): bring it into line from the rota page",
                            p.job_plan_id,
                            p.expected,
                            current.map_or("none".into(), |c| c.to_string()),
                            RETRIES + 1
                        ),
                    });
                }
                PlanOutcome::Conflict { .. } => {
                    again.insert(p.consultant_id.clone());
                }
            }
        }
        if again.is_empty() {
            break;
        }
        let rotas = state.store.rotas(&Scope::All).await?;
        let (prepared, more_refused) = prepare(state, user, &again, &rotas, cause).await?;
        refused.extend(more_refused);
        let outcomes = state
            .store
            .add_plan_versions(&user.username, &as_store(&prepared))
            .await?;
        round = (prepared, outcomes);
    }
    changes.refused = refused;
    Ok(changes)
}

/// Brings the current plans of `consultants` into line with the rotas as stored (the rota page's
/// "bring the plans into line"), in one transaction, retrying plans that move on meanwhile.
pub(crate) async fn bring_into_line(
    state: &AppState,
    user: &User,
    consultants: &BTreeSet<String>,
    cause: &str,
) -> ApiResult<PlanChanges> {
    let rotas = state.store.rotas(&Scope::All).await?;
    let (prepared, refused) = prepare(state, user, consultants, &rotas, cause).await?;
    let outcomes = state
        .store
        .add_plan_versions(&user.username, &as_store(&prepared))
        .await?;
    finish(state, user, prepared, outcomes, refused, cause).await
}

/// A member's plan against the rotas.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct MemberPlan {
    /// The consultant.
    pub consultant_id: String,
    /// Their current job plan, when they have one the caller may see.
    pub job_plan_id: Option<i64>,
    /// Its workflow state.
    #[schema(value_type = Option<String>)]
    pub status: Option<Status>,
    /// What the plan's `[on_call]` says ("1 in 6, category A", "not on a rota").
    pub plan_says: Option<String>,
    /// What the rotas say: the most demanding of the consultant's rotas (OC-6).
    pub rotas_say: String,
    /// The rota that commitment comes from.
    pub from_rota_id: Option<i64>,
    /// Whether the plan agrees (`None` when there is no plan the caller may see).
    pub agrees: Option<bool>,
}

/// Each member of `rota` with their plan's agreement with the rotas, as `user` may see it.
pub(crate) async fn member_plans(
    state: &AppState,
    user: &User,
    rota: &Rota,
) -> ApiResult<Vec<MemberPlan>> {
    let rotas = state.store.rotas(&Scope::All).await?;
    let mut out = vec![];
    for m in &rota.members {
        let wanted = commitment(state, m, &rotas)?;
        let plan = current_plan(state, m)
            .await?
            .filter(|p| may_see(user, &p.summary));
        let rotas_say = wanted.as_ref().map_or("not on a rota".into(), |c| {
            describe(c.rota_size, Some(c.category))
        });
        out.push(MemberPlan {
            consultant_id: m.clone(),
            job_plan_id: plan.as_ref().map(|p| p.summary.id),
            status: plan.as_ref().map(|p| p.summary.status),
            plan_says: plan.as_ref().map(|p| {
                let (n, c) = plan_on_call(&p.document);
                describe(n, c)
            }),
            rotas_say,
            from_rota_id: wanted.as_ref().map(|c| c.rota_id),
            agrees: plan.as_ref().map(|p| agrees(&p.document, wanted.as_ref())),
        });
    }
    Ok(out)
}
