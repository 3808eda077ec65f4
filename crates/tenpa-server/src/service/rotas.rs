//! On-call rotas: members, category decisions over time (OC-7), and the trust report of
//! high-frequency rotas with the availability supplements' share of the pay bill (OC-10).

use crate::error::{ApiResult, AppError};
use crate::service::rota_plans::{self, category_on, MemberPlan, PlanChanges};
use crate::AppState;
use serde::{Deserialize, Serialize};
use tenpa_rules::plan::OnCallCategory;
use tenpa_store::{NewRota, Rota, RotaChange, Scope, User};
use utoipa::ToSchema;

/// A rota to create.
#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct NewRotaBody {
    /// The department running the rota.
    pub department_id: i64,
    /// Its name.
    pub name: String,
    /// `a` or `b` (F 4(h), B 7.10): the first category decision.
    #[schema(value_type = String)]
    pub category: OnCallCategory,
    /// From when the category applies (YYYY-MM-DD).
    pub effective_from: String,
    /// Why the category was decided.
    #[serde(default)]
    pub category_reason: String,
    /// Consultant ids on the rota; their number is the frequency, 1 in N (F 4(k)).
    pub members: Vec<String>,
    /// Why a rota of 1 in 1 to 1 in 4 is needed (OC-10): required for one.
    #[serde(default)]
    pub reason: String,
    /// The plan to reduce its frequency (OC-10): required for a high-frequency rota.
    #[serde(default)]
    pub action_plan: String,
}

/// A change to a rota: the whole of its name, members, reason and action plan.
#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct RotaUpdate {
    /// The version edited.
    pub version: i64,
    /// Name.
    pub name: String,
    /// Consultant ids on the rota.
    pub members: Vec<String>,
    /// Why a high frequency is needed.
    #[serde(default)]
    pub reason: String,
    /// The plan to reduce a high frequency.
    #[serde(default)]
    pub action_plan: String,
}

/// A category decision (OC-7: prospective, by the employer).
#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct CategoryDecisionBody {
    /// The rota version the decision applies to.
    pub version: i64,
    /// `a` or `b`.
    #[schema(value_type = String)]
    pub category: OnCallCategory,
    /// From when (YYYY-MM-DD), today or later: the decision is prospective.
    pub effective_from: String,
    /// Why.
    pub reason: String,
}

/// A rota after a change, with what the change did to its members' job plans.
#[derive(Serialize, ToSchema)]
pub struct RotaChanged {
    /// The rota as changed.
    #[serde(flatten)]
    pub rota: RotaView,
    /// The members' plans given a new version that agrees with the rotas, and those refused with
    /// the reason (JP-2, OC-6).
    pub plans: PlanChanges,
}

/// One rota with each member's plan against the rotas.
#[derive(Serialize, ToSchema)]
pub struct RotaDetail {
    /// The rota.
    #[serde(flatten)]
    pub rota: RotaView,
    /// Each member with whether their current plan's `[on_call]` agrees with the rotas (only
    /// plans the caller may see are named).
    pub member_plans: Vec<MemberPlan>,
}

/// A rota with its frequency, band and the category in force today.
#[derive(Serialize, ToSchema)]
pub struct RotaView {
    /// The rota, its members and decisions.
    #[serde(flatten)]
    #[schema(value_type = Object)]
    pub rota: Rota,
    /// "1 in N", N the number of consultants on the rota (F 4(k)).
    pub frequency: String,
    /// `high` (1 in 1 to 1 in 4), `medium` (1 in 5 to 1 in 8), `low`, or `none` with no members.
    pub band: String,
    /// The category in force today: the latest decision effective on or before today (the first
    /// decision when none is in force yet).
    pub category: Option<String>,
    /// Notes on the decisions, such as a reduction from A to B having no protection (OC-7).
    pub notes: Vec<String>,
}

pub(crate) fn band(n: usize) -> &'static str {
    match n {
        0 => "none",
        1..=4 => "high",
        5..=8 => "medium",
        _ => "low",
    }
}

pub(crate) fn view(rota: Rota) -> RotaView {
    let today = crate::uk_time::today();
    let n = rota.members.len();
    let category = category_on(&rota, today);
    let mut notes = vec![];
    for w in rota.decisions.windows(2) {
        if w[0].category == "a" && w[1].category == "b" {
            notes.push(format!(
                "OC-7 (F 4(i), B 7.11): the reduction from category A to B from {} has no protection",
                w[1].effective_from
            ));
        }
    }
    for d in rota.decisions.iter().filter(|d| d.effective_from > today) {
        notes.push(format!(
            "OC-7 (F 4(i)): category {} from {} is decided prospectively; the members' job plans change when it takes effect",
            d.category.to_uppercase(),
            d.effective_from
        ));
    }
    RotaView {
        frequency: format!("1 in {n}"),
        band: band(n).into(),
        category,
        notes,
        rota,
    }
}

async fn check_members(
    state: &AppState,
    members: &[String],
    reason: &str,
    action_plan: &str,
) -> ApiResult<()> {
    let mut seen = std::collections::BTreeSet::new();
    for m in members {
        if !seen.insert(m) {
            return Err(AppError::unprocessable_at(
                "members",
                format!("{m} is listed twice"),
            ));
        }
        if state.store.consultant(m).await?.is_none() {
            return Err(AppError::unprocessable_at(
                "members",
                format!("no consultant {m} on record"),
            ));
        }
    }
    if band(members.len()) == "high" {
        if reason.trim().is_empty() {
            return Err(AppError::unprocessable_at("reason", format!("a rota of 1 in {} is high-frequency and is reported with its reason (OC-10, F 4(n)-(o))", members.len())));
        }
        if action_plan.trim().is_empty() {
            return Err(AppError::unprocessable_at("action_plan", format!("a rota of 1 in {} is high-frequency and is reported with its action plan (OC-10, F 4(n)-(o))", members.len())));
        }
    }
    Ok(())
}

async fn check_name(
    state: &AppState,
    department_id: i64,
    name: &str,
    except: Option<i64>,
) -> ApiResult<()> {
    let taken = state
        .store
        .rotas(&Scope::Department(department_id))
        .await?
        .iter()
        .any(|r| r.name == name && Some(r.id) != except);
    if taken {
        return Err(AppError::unprocessable_at(
            "name",
            format!("the department already has a rota called {name:?}"),
        ));
    }
    Ok(())
}

pub(crate) async fn load(state: &AppState, user: &User, id: i64) -> ApiResult<Rota> {
    let rota = state
        .store
        .rota(id)
        .await?
        .ok_or_else(|| AppError::NotFound(format!("rota {id}")))?;
    if !crate::policy::may_see_rota(user, &rota) {
        return Err(AppError::Forbidden(format!(
            "rota {id} is not one you may see"
        )));
    }
    Ok(rota)
}

/// A rota `user` may see and change: 403 for one they may see but whose department they do not
/// keep (the medical director, medical staffing or the department's clinical director).
async fn changeable(state: &AppState, user: &User, id: i64) -> ApiResult<Rota> {
    let rota = load(state, user, id).await?;
    if !crate::policy::manages_department(user, rota.department_id) {
        return Err(AppError::Forbidden(format!(
            "rota {id} is not one you may change"
        )));
    }
    Ok(rota)
}

/// 409 naming the current version when `version` is no longer the rota's.
fn still_current(rota: &Rota, version: i64) -> ApiResult<()> {
    if version != rota.version {
        return Err(tenpa_store::StoreError::Conflict {
            expected: version,
            current: rota.version,
        }
        .into());
    }
    Ok(())
}

/// `POST /api/v1/rotas/{id}/plans` for the API and the rota page.
pub(crate) async fn align_plans(state: &AppState, user: &User, id: i64) -> ApiResult<PlanChanges> {
    let rota = changeable(state, user, id).await?;
    let members = rota.members.iter().cloned().collect();
    let cause = format!(
        "brought into line with rota {} by {}",
        rota.name, user.username
    );
    rota_plans::bring_into_line(state, user, &members, &cause).await
}

/// `POST /api/v1/rotas` for the API and the new-rota page: 403 for one who may not keep the
/// department's rotas, 422 naming the field for a bad one.
pub async fn create_rota(
    state: &AppState,
    user: &User,
    body: NewRotaBody,
) -> ApiResult<RotaChanged> {
    if !crate::policy::manages_department(user, body.department_id) {
        return Err(AppError::Forbidden(
            "a rota is kept by the medical director, medical staffing or the department's clinical director".into(),
        ));
    }
    if state
        .store
        .departments()
        .await?
        .iter()
        .all(|d| d.id != body.department_id)
    {
        return Err(AppError::unprocessable_at(
            "department_id",
            format!("no department {}", body.department_id),
        ));
    }
    if body.name.trim().is_empty() {
        return Err(AppError::unprocessable_at("name", "empty".into()));
    }
    let from = super::read_date("effective_from", &body.effective_from)?;
    check_name(state, body.department_id, body.name.trim(), None).await?;
    check_members(state, &body.members, &body.reason, &body.action_plan).await?;
    let new = NewRota {
        department_id: body.department_id,
        name: body.name.trim().to_string(),
        reason: body.reason.trim().to_string(),
        action_plan: body.action_plan.trim().to_string(),
        members: body.members,
        category: (
            body.category.as_str().to_ascii_lowercase(),
            from,
            body.category_reason.trim().to_string(),
        ),
    };
    // The rotas as they will be, to work out the members' plans before the one transaction.
    let mut rotas = state.store.rotas(&Scope::All).await?;
    rotas.push(Rota {
        id: 0,
        department_id: new.department_id,
        name: new.name.clone(),
        reason: new.reason.clone(),
        action_plan: new.action_plan.clone(),
        version: 1,
        members: new.members.clone(),
        decisions: vec![tenpa_store::CategoryDecision {
            id: 0,
            category: new.category.0.clone(),
            effective_from: new.category.1,
            reason: new.category.2.clone(),
            decided_by: user.username.clone(),
            decided_at: String::new(),
        }],
        updated_at: String::new(),
    });
    let cause = format!("rota {} created by {}", new.name, user.username);
    let consultants = new.members.iter().cloned().collect();
    let (prepared, refused) =
        rota_plans::prepare(state, user, &consultants, &rotas, &cause).await?;
    let (id, outcomes) = state
        .store
        .create_rota(&user.username, &new, &rota_plans::as_store(&prepared))
        .await?;
    let plans = rota_plans::finish(state, user, prepared, outcomes, refused, &cause).await?;
    Ok(RotaChanged {
        rota: view(load(state, user, id).await?),
        plans,
    })
}

/// `PUT /api/v1/rotas/{id}` for the API and the rota's change page: 403 for one who may not
/// change it, 422 naming the field, 409 for a version no longer current.
pub async fn update_rota(
    state: &AppState,
    user: &User,
    id: i64,
    body: RotaUpdate,
) -> ApiResult<RotaChanged> {
    let rota = changeable(state, user, id).await?;
    if body.name.trim().is_empty() {
        return Err(AppError::unprocessable_at("name", "empty".into()));
    }
    check_name(state, rota.department_id, body.name.trim(), Some(id)).await?;
    check_members(state, &body.members, &body.reason, &body.action_plan).await?;
    still_current(&rota, body.version)?;
    let mut rotas = state.store.rotas(&Scope::All).await?;
    for r in rotas.iter_mut().filter(|r| r.id == id) {
        r.name = body.name.trim().to_string();
        r.members = body.members.clone();
    }
    let cause = format!("rota change by {}", user.username);
    let consultants = rota.members.iter().chain(&body.members).cloned().collect();
    let (prepared, refused) =
        rota_plans::prepare(state, user, &consultants, &rotas, &cause).await?;
    let (_, outcomes) = state
        .store
        .update_rota(
            &user.username,
            id,
            body.version,
            RotaChange {
                name: body.name.trim(),
                reason: body.reason.trim(),
                action_plan: body.action_plan.trim(),
                members: &body.members,
            },
            &rota_plans::as_store(&prepared),
        )
        .await?;
    let plans = rota_plans::finish(state, user, prepared, outcomes, refused, &cause).await?;
    Ok(RotaChanged {
        rota: view(load(state, user, id).await?),
        plans,
    })
}

/// `POST /api/v1/rotas/{id}/category-decisions` for the API and the rota's decision page: 403 for
/// one who may not change the rota, 422 naming the field, 409 for a version no longer current.
pub async fn record_category_decision(
    state: &AppState,
    user: &User,
    id: i64,
    body: CategoryDecisionBody,
) -> ApiResult<RotaChanged> {
    let rota = changeable(state, user, id).await?;
    let from = super::read_date("effective_from", &body.effective_from)?;
    if from < crate::uk_time::today() {
        return Err(AppError::unprocessable_at(
            "effective_from",
            format!("{from} is in the past; the category is decided prospectively (OC-7, F 4(i))"),
        ));
    }
    if body.reason.trim().is_empty() {
        return Err(AppError::unprocessable_at(
            "reason",
            "a category decision records why".into(),
        ));
    }
    still_current(&rota, body.version)?;
    let category = body.category.as_str().to_ascii_lowercase();
    let mut rotas = state.store.rotas(&Scope::All).await?;
    for r in rotas.iter_mut().filter(|r| r.id == id) {
        r.decisions.push(tenpa_store::CategoryDecision {
            id: i64::MAX,
            category: category.clone(),
            effective_from: from,
            reason: body.reason.trim().to_string(),
            decided_by: user.username.clone(),
            decided_at: String::new(),
        });
        r.decisions.sort_by(|a, b| {
            a.effective_from
                .cmp(&b.effective_from)
                .then(a.id.cmp(&b.id))
        });
    }
    let cause = format!("category decision by {}", user.username);
    let consultants = rota.members.iter().cloned().collect();
    let (prepared, refused) =
        rota_plans::prepare(state, user, &consultants, &rotas, &cause).await?;
    let (_, outcomes) = state
        .store
        .add_rota_category_decision(
            &user.username,
            id,
            body.version,
            &category,
            from,
            body.reason.trim(),
            &rota_plans::as_store(&prepared),
        )
        .await?;
    let plans = rota_plans::finish(state, user, prepared, outcomes, refused, &cause).await?;
    Ok(RotaChanged {
        rota: view(load(state, user, id).await?),
        plans,
    })
}

/// A high-frequency rota in the trust report.
#[derive(Serialize, ToSchema)]
pub struct HighFrequencyRota {
    /// Rota id.
    pub id: i64,
    /// Department.
    pub department_id: i64,
    /// Name.
    pub name: String,
    /// "1 in N".
    pub frequency: String,
    /// Category in force.
    pub category: Option<String>,
    /// Why it is needed.
    pub reason: String,
    /// The plan to reduce it.
    pub action_plan: String,
}

/// The trust's on-call report (OC-10).
#[derive(Serialize, ToSchema)]
pub struct OnCallReport {
    /// `OC-10`.
    pub rule: String,
    /// The rule's citation.
    pub citation: String,
    /// Every rota of 1 in 1 to 1 in 4, with its reason and action plan (F 4(n)-(o)).
    pub high_frequency_rotas: Vec<HighFrequencyRota>,
    /// Plans counted: the current version of each consultant's latest job plan, whatever its
    /// workflow stage.
    pub plans: usize,
    /// Their total pay, pence.
    pub pay_bill_pence: i64,
    /// Their availability supplements, pence.
    pub availability_supplements_pence: i64,
    /// The supplements' share of the pay bill, percent to two places (None with no pay bill).
    pub share_percent: Option<String>,
    /// The initial funding target, percent (parameter `on_call/funding_target.toml`).
    pub target_percent: String,
    /// The target's citation.
    pub target_citation: String,
}

/// The on-call report's figures (OC-10), for callers that have checked the reader's roles.
pub(crate) async fn on_call_report(state: &AppState) -> ApiResult<OnCallReport> {
    let high_frequency_rotas = state
        .store
        .rotas(&Scope::All)
        .await?
        .into_iter()
        .map(view)
        .filter(|v| v.band == "high")
        .map(|v| HighFrequencyRota {
            id: v.rota.id,
            department_id: v.rota.department_id,
            name: v.rota.name,
            frequency: v.frequency,
            category: v.category,
            reason: v.rota.reason,
            action_plan: v.rota.action_plan,
        })
        .collect();
    let current = state.store.current_pay().await?;
    let mut bill = 0i64;
    let mut supplements = 0i64;
    for c in &current {
        bill += c.total_pay_pence;
        supplements += c.assessment.pay.availability_supplement.pence();
    }
    // Basis points, rounded half up, shown as a percent to two places.
    let share_percent = (bill > 0).then(|| {
        let bp = (i128::from(supplements) * 10_000 * 2 + i128::from(bill)) / (2 * i128::from(bill));
        format!("{}.{:02}", bp / 100, bp % 100)
    });
    let today = crate::uk_time::today();
    let target = state
        .params
        .availability_supplement_target
        .at(today)
        .map_err(|e| AppError::Internal(format!("on_call/funding_target.toml: {e}")))?;
    let rule = tenpa_rules::population::OC_10;
    Ok(OnCallReport {
        rule: "OC-10".into(),
        citation: rule.citation.to_string(),
        high_frequency_rotas,
        plans: current.len(),
        pay_bill_pence: bill,
        availability_supplements_pence: supplements,
        share_percent,
        target_percent: target.value.to_string(),
        target_citation: target.cite.clone(),
    })
}
