//! A consultant's clinical excellence awards and recruitment and retention premia (CEA-1 … CEA-4,
//! PAY-4): those recorded, each award with its value and each premium with its findings; a form to
//! record one, and on each a form to end it (or change its last day). The medical director and medical staffing
//! record and end them, never on their own consultant record. The pages call the functions behind
//! the JSON API ([`crate::service::awards::record`] and [`crate::service::awards::end_award`]), so they
//! allow exactly what the API allows.

use super::fields::{entered, field_error, Field, Pairs};
use super::objectives::{query, visible_consultant};
use super::page::{
    csrf_field, layout_back, pounds_str, see_other, sentence, urlencode, Form, PageResult,
    WebError, WebUser,
};
use crate::error::AppError;
use crate::policy::{is_own_record, job_plan_scope, OWN_RECORD};
use crate::service::awards::{self, end_award, record, AwardKind, AwardView, EndAward, NewAward};
use crate::web::components::{
    day, error_summary, long_date, success_banner, summary_row, summary_rows,
};
use crate::AppState;
use axum::extract::{Path, RawQuery, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use maud::{html, Markup};
use tenpa_store::ConsultantRecord;

/// A premium's evidence flags (PAY-4, F 3(g)), as the API names them, with their words.
const EVIDENCE: [(&str, &str); 3] = [
    (
        "evidence_of_difficulty",
        "Clear evidence of recruitment or retention difficulty",
    ),
    (
        "non_pay_solutions_tried",
        "Non-pay solutions considered and tried",
    ),
    (
        "local_employers_consulted",
        "Other local employers and regional bodies consulted",
    ),
];

/// Words for a kind of award.
pub fn kind_label(kind: &str) -> &'static str {
    match kind {
        "cea" => "Clinical excellence award",
        "recruitment" => "Recruitment premium",
        "retention" => "Retention premium",
        _ => "Unknown kind of award",
    }
}

/// Whether `u` may record and end the awards of consultant `consultant_id`: as the API allows.
pub fn may_record_for(u: &WebUser, consultant_id: &str) -> bool {
    crate::policy::may_record_awards(&u.user) && !is_own_record(&u.user, consultant_id)
}

fn recorder(u: &WebUser, consultant_id: &str) -> PageResult<()> {
    if !crate::policy::may_record_awards(&u.user) {
        return Err(WebError::Forbidden(awards::WHO.into()));
    }
    if is_own_record(&u.user, consultant_id) {
        return Err(WebError::Forbidden(OWN_RECORD.into()));
    }
    Ok(())
}

fn heading(a: &AwardView) -> String {
    match (a.kind.as_str(), a.level, &a.body) {
        ("cea", Some(level), Some(body)) => {
            format!("Clinical excellence award, level {level} ({body})")
        }
        ("cea", Some(level), None) => format!("Clinical excellence award, level {level}"),
        (kind, _, _) => kind_label(kind).to_string(),
    }
}

fn award_card(u: &WebUser, a: &AwardView, may: bool, fields: &Pairs, errors: &Pairs) -> Markup {
    let end_id = format!("end-{}-end_date", a.id);
    html! {
        div class="nhsuk-card" id=(format!("award-{}", a.id)) {
            div class="nhsuk-card__content" {
                h2 class="nhsuk-card__heading nhsuk-heading-m" { (heading(a)) }
                (summary_rows(html! {
                    (summary_row("Value a year (full time)", html! {
                        @match (&a.annual_value, &a.annual_value_note) {
                            (Some(v), _) => { (pounds_str(v)) @if a.kind == "cea" { " on its first day (CEA-1)" } }
                            (None, Some(why)) => { (sentence(why)) }
                            (None, None) => { "None" }
                        }
                    }))
                    (summary_row("First day", html! { (day(a.start_date)) }))
                    (summary_row("Last day", html! {
                        @match a.end_date { Some(e) => (day(e)), None => "Continues" }
                    }))
                    @if let Some(evidence) = &a.evidence {
                        (summary_row("Evidence (PAY-4)", html! {
                            ul class="nhsuk-list" {
                                @for (name, words) in EVIDENCE {
                                    li { (words) ": " @if evidence.get(name).and_then(|v| v.as_bool()).unwrap_or(false) { "yes" } @else { "no" } }
                                }
                            }
                        }))
                    }
                    @if !a.notes.is_empty() {
                        (summary_row("Notes", html! { (a.notes) }))
                    }
                    (summary_row("Recorded", html! { (long_date(&a.created_at)) " by " (a.created_by) }))
                }))
                @if !a.findings.is_empty() {
                    div class="nhsuk-warning-callout" {
                        h3 class="nhsuk-warning-callout__label" { span role="text" { span class="nhsuk-u-visually-hidden" { "Important: " } "Findings" } }
                        @for f in &a.findings {
                            p { (sentence(&f.message)) " (" (f.rule) ", " (f.citation) ")" }
                        }
                    }
                }
                @if may {
                    form method="post" action=(format!("/awards/{}/end", a.id)) novalidate {
                        (csrf_field(u))
                        input type="hidden" name="version" value=(a.version);
                        (Field::new(&end_id, if a.end_date.is_some() { "Change the last day" } else { "Last day" }, "The last day it is paid, after its first day. For example, 2027-03-31.").input("date", entered(fields, &end_id), errors))
                        button class="nhsuk-button nhsuk-button--secondary nhsuk-u-margin-bottom-0" type="submit" { @if a.end_date.is_some() { "Change the last day" } @else { "End it" } span class="nhsuk-u-visually-hidden" { " (" (heading(a)) ")" } }
                    }
                }
            }
        }
    }
}

async fn list_page(
    state: &AppState,
    u: &WebUser,
    c: &ConsultantRecord,
    banner: Option<Markup>,
    fields: &Pairs,
    errors: &Pairs,
) -> PageResult<Markup> {
    let all: Vec<AwardView> = state
        .store
        .awards(&job_plan_scope(&u.user), Some(&c.id))
        .await?
        .into_iter()
        .map(|r| awards::view(r, &state.params))
        .collect();
    let own = is_own_record(&u.user, &c.id);
    let may = may_record_for(u, &c.id);
    let id = urlencode(&c.id);
    let title = if own {
        "Your awards and premia".to_string()
    } else {
        format!("Awards and premia: {}", c.name)
    };
    let back = format!("/objectives?consultant={id}");
    let body = html! {
        @if let Some(b) = banner { (b) }
        (error_summary(errors))
        h1 class="nhsuk-heading-l" { (title) }
        p class="nhsuk-body" { "A clinical excellence award's value comes from its level and the scheme in force (CEA-1); a recruitment or retention premium is an amount a year, with the evidence that justified it (PAY-4, F 3(g)). The medical director and medical staffing record and end them." }
        @if may {
            p class="nhsuk-body" { a class="nhsuk-button" href=(format!("/consultants/{id}/awards/new")) { "Record an award or premium" } }
        }
        @if all.is_empty() {
            p class="nhsuk-body" id="no-awards" { "No awards or premia are on record." }
        }
        @for a in &all {
            (award_card(u, a, may, fields, errors))
        }
        p class="nhsuk-body" { a href=(back) { "See the objectives and reviews" } }
    };
    Ok(layout_back(
        u,
        &if errors.is_empty() {
            title.clone()
        } else {
            format!("Error: {title}")
        },
        (&back, "Back to objectives and reviews"),
        body,
    ))
}

/// `GET /consultants/{id}/awards`.
pub async fn list(
    State(state): State<AppState>,
    Path(id): Path<String>,
    u: WebUser,
    RawQuery(q): RawQuery,
) -> PageResult<Markup> {
    let c = visible_consultant(&state, &u, &id).await?;
    let banner = match query(q).get("done") {
        "recorded" => Some(success_banner(
            "The award or premium has been recorded.",
            html! {},
        )),
        "ended" => Some(success_banner(
            "The award or premium has been ended.",
            html! {},
        )),
        _ => None,
    };
    list_page(&state, &u, &c, banner, &[], &[]).await
}

/// The labels of the new-award form's fields, by the API's names.
const LABELS: [(&str, &str); 9] = [
    ("kind", "What is recorded"),
    ("level", "Level"),
    ("body", "Awarding committee"),
    ("amount", "Amount a year"),
    ("start_date", "First day"),
    ("end_date", "Last day"),
    ("years", "Years"),
    ("evidence", "Evidence"),
    ("notes", "Notes"),
];

fn new_page(
    u: &WebUser,
    c: &ConsultantRecord,
    fields: &Pairs,
    errors: &Pairs,
) -> PageResult<Markup> {
    let id = urlencode(&c.id);
    let kinds: Vec<(String, String)> = [
        ("cea", "Clinical excellence award (CEA-1)"),
        ("recruitment", "Recruitment premium (PAY-4)"),
        ("retention", "Retention premium (PAY-4)"),
    ]
    .iter()
    .map(|(v, t)| (v.to_string(), t.to_string()))
    .collect();
    let bodies: Vec<(String, String)> = [
        ("", "As the level implies"),
        ("local", "Local"),
        ("regional", "Regional"),
        ("national", "National"),
    ]
    .iter()
    .map(|(v, t)| (v.to_string(), t.to_string()))
    .collect();
    let evidence: Vec<(String, String)> = EVIDENCE
        .iter()
        .map(|(v, t)| (v.to_string(), t.to_string()))
        .collect();
    let ticked: Vec<&str> = fields
        .iter()
        .filter(|(k, _)| k == "award-evidence")
        .map(|(_, v)| v.as_str())
        .collect();
    let title = if errors.is_empty() {
        "Record an award or premium"
    } else {
        "Error: Record an award or premium"
    };
    let body = html! {
        (error_summary(errors))
        span class="nhsuk-caption-l" { (c.name) " (" (c.id) ")" }
        h1 class="nhsuk-heading-l" { "Record an award or premium" }
        p class="nhsuk-body" { "A clinical excellence award needs its level; its value comes from the scheme in force on its first day. A recruitment or retention premium needs its amount a year, and the evidence that justified it (PAY-4)." }
        form method="post" action=(format!("/consultants/{id}/awards")) novalidate {
            (csrf_field(u))
            (Field::new("award-kind", "What is recorded", "").select(&kinds, entered(fields, "award-kind"), errors))
            (Field::new("award-level", "Level (an award)", "1 to 13: local 1 to 9, regional 10 and 11, national 12 and 13. Leave empty for a premium.").input("text", entered(fields, "award-level"), errors))
            (Field::new("award-body", "Awarding committee (an award)", "The committee that made the award, as its level implies.").select(&bodies, entered(fields, "award-body"), errors))
            (Field::new("award-amount", "Amount a year in pounds (a premium)", "For example, 5000.00. Leave empty for an award.").input("text", entered(fields, "award-amount"), errors))
            (Field::new("award-start_date", "First day", "For example, 2027-04-01.").input("date", entered(fields, "award-start_date"), errors))
            (Field::new("award-end_date", "Last day (optional)", "After the first day. Leave empty while it continues.").input("date", entered(fields, "award-end_date"), errors))
            (Field::new("award-years", "Years (a time-limited premium, optional)", "Instead of a last day: a premium for 2 years ends the day before its second anniversary.").input("text", entered(fields, "award-years"), errors))
            (Field::new("award-evidence", "Evidence (a premium)", "What the case for the premium showed (PAY-4, F 3(g)). Leave unticked for an award.").checkboxes(&evidence, &ticked, errors))
            (Field::new("award-notes", "Notes (optional)", "For example, the award round or the advertisements made.").input("text", entered(fields, "award-notes"), errors))
            button class="nhsuk-button" type="submit" { "Record it" }
        }
    };
    Ok(layout_back(
        u,
        title,
        (
            &format!("/consultants/{id}/awards"),
            "Back to the awards and premia",
        ),
        body,
    ))
}

/// `GET /consultants/{id}/awards/new`.
pub async fn new(
    State(state): State<AppState>,
    Path(id): Path<String>,
    u: WebUser,
) -> PageResult<Markup> {
    let c = visible_consultant(&state, &u, &id).await?;
    recorder(&u, &c.id)?;
    new_page(&u, &c, &[], &[])
}

/// `s` with its first letter small, unless it starts an abbreviation.
pub fn lower_first(s: &str) -> String {
    let mut chars = s.chars();
    match (chars.next(), chars.next()) {
        (Some(a), Some(b)) if a.is_uppercase() && b.is_lowercase() => {
            a.to_lowercase().chain(s[a.len_utf8()..].chars()).collect()
        }
        _ => s.to_string(),
    }
}

/// An error of the new-award form, shown on its field and naming it.
fn named(field: &str, message: &str) -> (String, String) {
    let label = LABELS
        .iter()
        .find(|(f, _)| *f == field)
        .map_or(field, |(_, l)| *l);
    (
        format!("award-{field}"),
        sentence(&format!("{label}: {}", lower_first(message))),
    )
}

/// The form's fields as the API's body, or the errors of those that cannot be read.
fn new_award(
    consultant_id: &str,
    f: &super::page::FormData,
) -> Result<NewAward, Vec<(String, String)>> {
    let mut errors = vec![];
    let kind = match f.get("award-kind") {
        "cea" => Some(AwardKind::Cea),
        "recruitment" => Some(AwardKind::Recruitment),
        "retention" => Some(AwardKind::Retention),
        other => {
            errors.push(named(
                "kind",
                &format!("found {other:?}, expected a clinical excellence award, a recruitment premium or a retention premium"),
            ));
            None
        }
    };
    let optional = |s: &str| (!s.is_empty()).then(|| s.to_string());
    let level = match f.get("award-level") {
        "" => None,
        s => match s.parse::<i64>() {
            Ok(l) => Some(l),
            Err(_) => {
                errors.push(named(
                    "level",
                    &format!("found {s:?}, expected a whole number from 1 to 13"),
                ));
                None
            }
        },
    };
    let years = match f.get("award-years") {
        "" => None,
        s => match s.parse::<u32>() {
            Ok(y) => Some(y),
            Err(_) => {
                errors.push(named(
                    "years",
                    &format!("found {s:?}, expected a whole number of years, 1 or more"),
                ));
                None
            }
        },
    };
    let Some(kind) = kind.filter(|_| errors.is_empty()) else {
        return Err(errors);
    };
    let ticked = f.all("award-evidence");
    let flag = |name: &str| {
        if ticked.contains(&name) {
            Some(true)
        } else if kind == AwardKind::Cea {
            None
        } else {
            Some(false)
        }
    };
    Ok(NewAward {
        consultant_id: consultant_id.to_string(),
        kind,
        level,
        amount: optional(f.get("award-amount")),
        start_date: f.get("award-start_date").to_string(),
        end_date: optional(f.get("award-end_date")),
        years,
        body: optional(f.get("award-body")),
        evidence_of_difficulty: flag(EVIDENCE[0].0),
        non_pay_solutions_tried: flag(EVIDENCE[1].0),
        local_employers_consulted: flag(EVIDENCE[2].0),
        notes: f.get("award-notes").to_string(),
    })
}

/// `POST /consultants/{id}/awards`: records the award or premium.
pub async fn create(
    State(state): State<AppState>,
    Path(id): Path<String>,
    Form(u, f): Form,
) -> PageResult<Response> {
    let c = visible_consultant(&state, &u, &id).await?;
    recorder(&u, &c.id)?;
    let fields: Vec<(String, String)> = f.kept();
    let errors = match new_award(&c.id, &f) {
        Ok(body) => match record(&state, &u.user, body).await {
            Ok(a) => {
                return Ok(see_other(&format!(
                    "/consultants/{}/awards?done=recorded#award-{}",
                    urlencode(&c.id),
                    a.id
                )))
            }
            Err(e) => {
                let (field, message) = field_error(e, "", "kind")?;
                let field = if EVIDENCE.iter().any(|(n, _)| *n == field) {
                    "evidence"
                } else {
                    field.as_str()
                };
                vec![named(field, &message)]
            }
        },
        Err(errors) => errors,
    };
    let page = new_page(&u, &c, &fields, &errors)?;
    Ok((StatusCode::UNPROCESSABLE_ENTITY, page).into_response())
}

/// `POST /awards/{id}/end`: ends the award on the last day given, as of the version shown; a
/// stale version shows the page again with the award as it now is.
pub async fn end(
    State(state): State<AppState>,
    Path(id): Path<i64>,
    Form(u, f): Form,
) -> PageResult<Response> {
    let version: i64 = f
        .get("version")
        .parse()
        .map_err(|_| WebError::BadRequest("version: expected the award's version".into()))?;
    let field = format!("end-{id}-end_date");
    let body = EndAward {
        version,
        end_date: f.get(&field).to_string(),
    };
    let (status, at, message) = match end_award(&state, &u.user, id, body).await {
        Ok(a) => {
            return Ok(see_other(&format!(
                "/consultants/{}/awards?done=ended#award-{id}",
                urlencode(&a.consultant_id)
            )))
        }
        Err(AppError::Conflict { current_version, .. }) => (
            StatusCode::CONFLICT,
            format!("award-{id}"),
            format!(
                "Someone else has changed this award since you opened the page: it is now at version {}, not {version}. Nothing was saved; check it as it is now and end it again.",
                current_version.map_or("unknown".to_string(), |v| v.to_string())
            ),
        ),
        Err(e) => (
            StatusCode::UNPROCESSABLE_ENTITY,
            field.clone(),
            sentence(&format!("Last day: {}", lower_first(&field_error(e, "", "end_date")?.1))),
        ),
    };
    let award = state
        .store
        .award(id)
        .await?
        .ok_or_else(|| WebError::NotFound(format!("there is no award {id}")))?;
    let c = visible_consultant(&state, &u, &award.consultant_id).await?;
    let fields = vec![(field.clone(), f.get(&field).to_string())];
    let page = list_page(&state, &u, &c, None, &fields, &[(at, message)]).await?;
    Ok((status, page).into_response())
}
