//! `/notifications`: the signed-in person's notifications, newest first, with "Mark all as read",
//! and the address they are emailed to; the home page lists the unread ones ([`unread_list`]);
//! `/admin/email`: the outbox, for an administrator. On the path the API shares
//! ([`crate::service::notifications`]).

use super::fields::{field_error, Field, Pairs};
use super::page::{csrf_field, layout, see_other, Form, PageResult, WebUser};
use crate::service::notifications::{self, EmailChange, ReadNotifications};
use crate::web::components::{
    error_summary, success_banner, summary_row, summary_rows_id, when, HtmlTable,
};
use crate::AppState;
use axum::extract::{RawQuery, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use maud::{html, Markup};
use tenpa_store::Notification;

fn table(caption: &str, list: &[&Notification]) -> Markup {
    html! {
        (HtmlTable::new(caption)
            .id("notifications")
            .columns(&["When", "What", "State"])
            .rows(list.iter().map(|n| vec![
                html! { (when(&n.created_at)) },
                html! { a href=(n.link) { (n.message) } },
                html! {
                    @if n.read_at.is_none() { strong class="nhsuk-tag nhsuk-tag--blue" { "Unread" } }
                    @else { "Read" }
                },
            ])))
    }
}

/// The unread notifications for the home page, if any.
pub async fn unread_list(state: &AppState, u: &WebUser) -> PageResult<Markup> {
    if u.unread == 0 {
        return Ok(html! {});
    }
    let list = notifications::list(&state.store, &u.user).await?;
    let unread: Vec<&Notification> = list
        .iter()
        .filter(|n| n.read_at.is_none())
        .take(5)
        .collect();
    Ok(html! {
        h2 class="nhsuk-heading-m" id="home-notifications" { "Notifications" }
        (table(&format!("Unread notifications ({})", u.unread), &unread))
        p class="nhsuk-body" { a href="/notifications" { "All your notifications" } }
    })
}

async fn page(
    state: &AppState,
    u: &WebUser,
    banner: Option<Markup>,
    email: &str,
    errors: &Pairs,
) -> PageResult<Markup> {
    let list = notifications::list(&state.store, &u.user).await?;
    let all: Vec<&Notification> = list.iter().collect();
    let settings = notifications::settings(state, &u.user);
    let body = html! {
        @if let Some(b) = banner { (b) }
        (error_summary(errors))
        h1 class="nhsuk-heading-l" { "Notifications" }
        @if all.is_empty() {
            p class="nhsuk-body" id="no-notifications" { "You have no notifications. You are told here when a job plan is proposed to you, waits for your sign-off, is referred to you or is signed off, when a job-planning round's deadline nears while your plan is not signed off, and when your job plan review falls due." }
        } @else {
            (table("Your notifications, the newest first", &all))
            @if u.unread > 0 {
                form method="post" action="/notifications" novalidate {
                    (csrf_field(u))
                    button class="nhsuk-button nhsuk-button--secondary" type="submit" { "Mark all as read" }
                }
            }
        }
        h2 class="nhsuk-heading-m" id="by-email" { "By email" }
        @if settings.email_sending {
            p class="nhsuk-body" { "Each notification is also emailed to you, with a link to its page, when you give an address." }
        } @else {
            p class="nhsuk-body" id="email-not-sent" { "This server does not send email yet (an administrator configures it): notifications are only here. An address you give now is used once it does." }
        }
        form method="post" action="/notifications/email" novalidate {
            (csrf_field(u))
            (Field::new("email", "Email address", "Empty for none.").input("email", email, errors))
            button class="nhsuk-button nhsuk-button--secondary" type="submit" { "Save the email address" }
        }
    };
    Ok(layout(u, "Notifications", body))
}

/// `GET /notifications`.
pub async fn show(
    State(state): State<AppState>,
    u: WebUser,
    RawQuery(q): RawQuery,
) -> PageResult<Markup> {
    let banner = (super::objectives::query(q).get("done") == "email")
        .then(|| success_banner("Your email address has been saved.", html! {}));
    let email = u.user.email.clone().unwrap_or_default();
    page(&state, &u, banner, &email, &[]).await
}

/// `POST /notifications/email`: sets the person's own address.
pub async fn set_email(State(state): State<AppState>, Form(u, f): Form) -> PageResult<Response> {
    let change = EmailChange {
        email: Some(f.get("email").to_string()),
    };
    match notifications::set_own_email(&state, &u.user, &change).await {
        Ok(_) => Ok(see_other("/notifications?done=email#by-email")),
        Err(e) => {
            let error = field_error(e, "", "email")?;
            let page = page(&state, &u, None, f.get("email"), &[error]).await?;
            Ok((StatusCode::UNPROCESSABLE_ENTITY, page).into_response())
        }
    }
}

/// `GET /admin/email`: the outbox (an administrator).
pub async fn outbox(State(state): State<AppState>, u: WebUser) -> PageResult<Markup> {
    let outbox = notifications::outbox(&state, &u.user).await?;
    let c = outbox.counts;
    let body = html! {
        h1 class="nhsuk-heading-l" { "Email" }
        @if outbox.email_sending {
            p class="nhsuk-body" { "Notifications to accounts with an email address are emailed from this outbox. An email the mail server refuses for now, or that finds no server, is tried again after 1, 5 and 15 minutes, then 1, 4 and 12 hours; one refused for good, or still not sent after those tries or three days, is given up with the reason." }
        } @else {
            p class="nhsuk-body" id="email-not-sent" { "This server does not send email: start it with the mail server's settings (the operations guide lists them). Emails wait here meanwhile; those older than three days are not sent." }
        }
        (summary_rows_id("outbox-counts", html! {
            (summary_row("Waiting", html! { (c.waiting) }))
            (summary_row("Sent", html! { (c.sent) }))
            (summary_row("Given up", html! { (c.failed) }))
        }))
        (HtmlTable::new("The latest emails, the newest first")
            .id("outbox")
            .columns(&["Queued", "To", "Subject", "Tries", "State", "Last failure"])
            .rows(outbox.emails.iter().map(|e| vec![
                html! { (when(&e.created_at)) },
                html! { (e.to_address) },
                html! { a href=(e.link) { (e.subject) } },
                html! { (e.attempts) },
                html! {
                    @if let Some(at) = &e.sent_at { "Sent " (when(at)) }
                    @else if let Some(at) = &e.failed_at { strong class="nhsuk-tag nhsuk-tag--red" { "Given up" } " " (when(at)) }
                    @else { strong class="nhsuk-tag nhsuk-tag--blue" { "Waiting" } " next try " (when(&e.next_attempt_at)) }
                },
                html! { (e.last_error.as_deref().unwrap_or("")) },
            ])))
    };
    Ok(layout(&u, "Email", body))
}

/// `POST /notifications`: marks them all read.
pub async fn read_all(State(state): State<AppState>, Form(u, _): Form) -> PageResult<Response> {
    notifications::read(&state.store, &u.user, &ReadNotifications::default()).await?;
    Ok(see_other("/notifications"))
}
