//! Recording a rota's on-call category decision (OC-7).

use super::forms::{changeable, conflict_callout, version_of};
use super::{after, category_label, category_options, chosen_category, conflict_notice};
use crate::error::AppError;
use crate::service::rota_plans::category_on;
use crate::service::rotas::{record_category_decision, CategoryDecisionBody};
use crate::web::components::error_summary;
use crate::web::fields::{entered, field_error, Field, Pairs};
use crate::web::page::{csrf_field, layout_back, Form, PageResult, WebUser};
use crate::AppState;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::IntoResponse;
use axum::response::Response;
use maud::{html, Markup};
use tenpa_store::Rota;

fn decision_page(
    u: &WebUser,
    rota: &Rota,
    fields: Option<&Pairs>,
    errors: &Pairs,
    notice: Option<&str>,
) -> Markup {
    let id = rota.id;
    let today = crate::uk_time::today();
    let own = [
        ("version".to_string(), rota.version.to_string()),
        ("decision-effective_from".to_string(), today.to_string()),
    ];
    let fields: &Pairs = fields.unwrap_or(&own);
    let title = if !errors.is_empty() {
        format!("Error: Category decision for {}", rota.name)
    } else if notice.is_some() {
        format!("Not saved: Category decision for {}", rota.name)
    } else {
        format!("Category decision for {}", rota.name)
    };
    let back = format!("/rotas/{id}");
    let body = html! {
        (error_summary(errors))
        @if let Some(n) = notice { (conflict_callout(n)) }
        span class="nhsuk-caption-l" { (rota.name) }
        h1 class="nhsuk-heading-l" { "Record a category decision" }
        p class="nhsuk-body" { "The category today is " (category_label(category_on(rota, today).as_deref())) ". The employer decides the category prospectively, from today or a later date (OC-7, F 4(i)); a reduction from A to B has no protection (B 7.11). A decision from today changes the members' job plans at once; a later one when it takes effect." }
        form method="post" action=(format!("/rotas/{id}/category-decisions")) novalidate {
            (csrf_field(u))
            input type="hidden" name="version" value=(entered(fields, "version"));
            (Field::new("decision-category", "Category", "A: the consultant typically returns to site immediately; B: typically gives advice by phone or returns later (F 4(h), B 7.10).").select(&category_options(), entered(fields, "decision-category"), errors))
            (Field::new("decision-effective_from", "From", "Today or later, for example 2027-04-01.").input("date", entered(fields, "decision-effective_from"), errors))
            (Field::new("decision-reason", "Why", "For example, a review of the calls over the last six months.").input("text", entered(fields, "decision-reason"), errors))
            button class="nhsuk-button" type="submit" { "Record the decision" }
        }
    };
    layout_back(u, &title, (&back, "Back to the rota"), body)
}

/// `GET /rotas/{id}/category-decisions/new`.
pub async fn new_decision(
    State(state): State<AppState>,
    u: WebUser,
    Path(id): Path<i64>,
) -> PageResult<Markup> {
    let rota = changeable(&state, &u, id).await?;
    Ok(decision_page(&u, &rota, None, &[], None))
}

/// `POST /rotas/{id}/category-decisions`: records a category decision, as the API's
/// `POST /api/v1/rotas/{id}/category-decisions`.
pub async fn decide(
    State(state): State<AppState>,
    Path(id): Path<i64>,
    Form(u, f): Form,
) -> PageResult<Response> {
    let rota = changeable(&state, &u, id).await?;
    let version = version_of(&f)?;
    let mut fields = f.kept();
    let category = match chosen_category(f.get("decision-category"), "decision-category") {
        Ok(c) => c,
        Err(error) => {
            let page = decision_page(&u, &rota, Some(&fields), &[error], None);
            return Ok((StatusCode::UNPROCESSABLE_ENTITY, page).into_response());
        }
    };
    let body = CategoryDecisionBody {
        version,
        category,
        effective_from: f.get("decision-effective_from").to_string(),
        reason: f.get("decision-reason").to_string(),
    };
    match record_category_decision(&state, &u.user, id, body).await {
        Ok(changed) => Ok(after(id, "decided", &changed)),
        Err(AppError::Conflict { .. } | AppError::Stale { .. }) => {
            let now = changeable(&state, &u, id).await?;
            let notice = conflict_notice(&now, &version.to_string());
            fields.retain(|(k, _)| k != "version");
            fields.push(("version".to_string(), now.version.to_string()));
            let page = decision_page(&u, &now, Some(&fields), &[], Some(&notice));
            Ok((StatusCode::CONFLICT, page).into_response())
        }
        Err(e) => {
            let error = field_error(e, "decision-", "reason")?;
            let page = decision_page(&u, &rota, Some(&fields), &[error], None);
            Ok((StatusCode::UNPROCESSABLE_ENTITY, page).into_response())
        }
    }
}
