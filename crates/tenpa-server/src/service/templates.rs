//! Department templates of job plans: a named set of activities, on-call and plan settings, made
//! from a plan and offered when a plan of the department is started. Shared by the API and the
//! pages; who may keep a department's templates is decided here ([`may_manage`]).

use crate::error::AppError;
use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};
use tenpa_store::{PlanTemplate, Store, StoreError, User};
use utoipa::ToSchema;

/// The `[job_plan]` settings a template carries: the department's pattern, never what is
/// personal to a consultant (the date, their contracted PAs, their agreements and exceptions).
pub const JOB_PLAN_SETTINGS: [&str; 2] = ["cycle_weeks", "out_of_hours_recognition"];

/// The longest template name, in characters.
pub const MAX_NAME: usize = 100;
/// The longest description, in characters.
pub const MAX_DESCRIPTION: usize = 500;

/// A template's body from a job plan document: its `[job_plan]` settings of
/// [`JOB_PLAN_SETTINGS`], its activities and its on-call.
pub fn from_document(doc: &Value) -> Value {
    let mut body = Map::new();
    let mut settings = Map::new();
    for key in JOB_PLAN_SETTINGS {
        if let Some(v) = doc.pointer(&format!("/job_plan/{key}")) {
            settings.insert(key.into(), v.clone());
        }
    }
    body.insert("job_plan".into(), Value::Object(settings));
    body.insert(
        "activity".into(),
        doc.get("activity").cloned().unwrap_or(Value::Array(vec![])),
    );
    if let Some(on_call) = doc.get("on_call") {
        body.insert("on_call".into(), on_call.clone());
    }
    Value::Object(body)
}

/// `base` (a job plan document) with the template's settings, activities and on-call.
pub fn apply(body: &Value, base: &Value) -> Value {
    let mut doc = base.clone();
    if let Some(settings) = body.get("job_plan").and_then(Value::as_object) {
        for (k, v) in settings {
            doc["job_plan"][k] = v.clone();
        }
    }
    doc["activity"] = body
        .get("activity")
        .cloned()
        .unwrap_or(Value::Array(vec![]));
    match (body.get("on_call"), doc.as_object_mut()) {
        (Some(on_call), _) => doc["on_call"] = on_call.clone(),
        (None, Some(map)) => {
            map.remove("on_call");
        }
        (None, None) => {}
    }
    doc
}

/// A template as the API shows it.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct TemplateView {
    /// Id.
    pub id: i64,
    /// The department.
    pub department_id: i64,
    /// Its name.
    pub name: String,
    /// What it is for.
    pub description: String,
    /// How many activities it has.
    pub activities: usize,
    /// Its `[job_plan]` settings, activities and on-call.
    #[schema(value_type = Object)]
    pub body: Value,
    /// Its version: name it to retire the template.
    pub version: i64,
    /// When it was made.
    pub created_at: String,
    /// Who made it.
    pub created_by: String,
}

impl From<PlanTemplate> for TemplateView {
    fn from(t: PlanTemplate) -> TemplateView {
        TemplateView {
            activities: t
                .body
                .get("activity")
                .and_then(Value::as_array)
                .map_or(0, Vec::len),
            id: t.id,
            department_id: t.department_id,
            name: t.name,
            description: t.description,
            body: t.body,
            version: t.version,
            created_at: t.created_at,
            created_by: t.created_by,
        }
    }
}

/// A template to make from a plan.
#[derive(Debug, Clone, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct NewTemplate {
    /// The plan whose activities, on-call and settings it takes.
    pub plan_id: i64,
    /// Its name, unique in the department among templates in use.
    pub name: String,
    /// What it is for.
    #[serde(default)]
    pub description: String,
}

/// The templates in use that `u` may start a plan from or keep: every template for those who see
/// the trust's plans, else their department's.
pub async fn visible(store: &Store, u: &User) -> Result<Vec<TemplateView>, AppError> {
    let all = store.plan_templates().await?;
    Ok(all
        .into_iter()
        .filter(|t| match crate::policy::job_plan_scope(u) {
            tenpa_store::Scope::All => true,
            _ => u.department_id == Some(t.department_id),
        })
        .map(TemplateView::from)
        .collect())
}

/// Makes a template of the plan's department from the plan, audited. 404 for no such plan; 403
/// unless `u` sees the plan and keeps the department's templates; 422 naming `name` (empty, too long, or in
/// use in the department) or `description`.
pub async fn create(store: &Store, u: &User, t: &NewTemplate) -> Result<TemplateView, AppError> {
    let plan = store
        .job_plan(t.plan_id)
        .await?
        .ok_or_else(|| AppError::NotFound(format!("job plan {} does not exist", t.plan_id)))?;
    let department = plan.summary.department_id;
    if !crate::policy::may_see(u, &plan.summary)
        || !crate::policy::manages_department(u, department)
    {
        return Err(AppError::Forbidden(format!(
            "the templates of {} are kept by its clinical director, the medical director or medical staffing",
            plan.summary.department
        )));
    }
    let name = t.name.trim();
    if name.is_empty() || name.chars().count() > MAX_NAME || name.chars().any(char::is_control) {
        return Err(AppError::unprocessable_at(
            "name",
            format!("found {name:?}, expected a name of 1 to {MAX_NAME} characters"),
        ));
    }
    let description = t.description.trim();
    if description.chars().count() > MAX_DESCRIPTION
        || description.chars().any(|c| c.is_control() && c != '\n')
    {
        return Err(AppError::unprocessable_at(
            "description",
            format!("expected at most {MAX_DESCRIPTION} characters"),
        ));
    }
    let body = from_document(&plan.document);
    let id = store
        .create_plan_template(&u.username, department, name, description, &body)
        .await?;
    let stored = store
        .plan_template(id)
        .await?
        .ok_or_else(|| AppError::Internal(format!("template {id} vanished")))?;
    Ok(stored.into())
}

/// Retires a template at `version`, audited. 404 for one not in use; 403 unless `u` keeps the
/// department's templates; 409 when it has changed since `version`.
pub async fn retire(store: &Store, u: &User, id: i64, version: i64) -> Result<(), AppError> {
    let t = store
        .plan_template(id)
        .await?
        .filter(|t| t.retired_at.is_none())
        .ok_or_else(|| AppError::NotFound(format!("template {id} does not exist")))?;
    if !crate::policy::manages_department(u, t.department_id) {
        return Err(AppError::Forbidden(
            "a department's templates are kept by its clinical director, the medical director or medical staffing".into(),
        ));
    }
    store
        .retire_plan_template(&u.username, id, version)
        .await
        .map_err(|e| match e {
            StoreError::Conflict { current, .. } => AppError::Conflict {
                detail: format!("the template is at version {current}: reload it and try again"),
                current_version: Some(current),
            },
            e => e.into(),
        })
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    /// A template keeps the department's pattern and leaves what is personal to the plan it is
    /// applied to.
    #[test]
    fn a_template_carries_the_pattern_not_the_person() {
        let doc = json!({
            "consultant": {"id": "a", "name": "Dr A"},
            "job_plan": {"effective_from": "2026-04-01", "contracted_pas": 10, "cycle_weeks": 2,
                         "premium_mutually_agreed": true, "local_variation": "agreed"},
            "pay": {"point": 5},
            "activity": [{"day": "mon", "start": "08:00", "end": "12:00", "category": "dcc"}],
            "on_call": {"rota_size": 6, "category": "a"},
        });
        let body = from_document(&doc);
        assert_eq!(body["job_plan"], json!({"cycle_weeks": 2}));
        let base = json!({
            "consultant": {"id": "b", "name": "Dr B"},
            "job_plan": {"effective_from": "2027-04-01", "contracted_pas": 8},
            "pay": {"point": 0},
        });
        let plan = apply(&body, &base);
        assert_eq!(plan["consultant"]["id"], "b");
        assert_eq!(plan["pay"]["point"], 0);
        assert_eq!(plan["job_plan"]["effective_from"], "2027-04-01");
        assert_eq!(
            plan["job_plan"]["contracted_pas"], 8,
            "the consultant's own contract"
        );
        assert_eq!(plan["job_plan"]["cycle_weeks"], 2);
        assert!(plan["job_plan"].get("premium_mutually_agreed").is_none());
        assert_eq!(plan["activity"], doc["activity"]);
        assert_eq!(plan["on_call"], doc["on_call"]);
        let without = apply(
            &json!({"job_plan": {}, "activity": []}),
            &json!({"job_plan": {}, "on_call": {"rota_size": 4}}),
        );
        assert!(
            without.get("on_call").is_none(),
            "a template without on-call leaves none"
        );
    }
}
