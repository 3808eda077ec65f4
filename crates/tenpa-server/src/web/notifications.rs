//! `/notifications`: the signed-in person's notifications, newest first, with "Mark all as read";
//! the home page lists the unread ones ([`unread_list`]). On the path the API shares
//! ([`crate::service::notifications`]).

use super::page::{csrf_field, layout, see_other, Form, PageResult, WebUser};
use crate::service::notifications::{self, ReadNotifications};
use crate::web::components::{when, HtmlTable};
use crate::AppState;
use axum::extract::State;
use axum::response::Response;
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

/// `GET /notifications`.
pub async fn show(State(state): State<AppState>, u: WebUser) -> PageResult<Markup> {
    let list = notifications::list(&state.store, &u.user).await?;
    let all: Vec<&Notification> = list.iter().collect();
    let body = html! {
        h1 class="nhsuk-heading-l" { "Notifications" }
        @if all.is_empty() {
            p class="nhsuk-body" id="no-notifications" { "You have no notifications. You are told here when a job plan is proposed to you, waits for your sign-off, is referred to you or is signed off." }
        } @else {
            (table("Your notifications, the newest first", &all))
            @if u.unread > 0 {
                form method="post" action="/notifications" novalidate {
                    (csrf_field(&u))
                    button class="nhsuk-button nhsuk-button--secondary" type="submit" { "Mark all as read" }
                }
            }
        }
    };
    Ok(layout(&u, "Notifications", body))
}

/// `POST /notifications`: marks them all read.
pub async fn read_all(State(state): State<AppState>, Form(u, _): Form) -> PageResult<Response> {
    notifications::read(&state.store, &u.user, &ReadNotifications::default()).await?;
    Ok(see_other("/notifications"))
}
