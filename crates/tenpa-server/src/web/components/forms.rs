//! The design system's form errors and notification banner: the summary of a page's errors, each
//! field's message and its group's class, and the success banner.

use maud::{html, Markup};

/// An NHS error summary listing `errors` as (field id, message).
pub fn error_summary(errors: &[(String, String)]) -> Markup {
    html! {
        @if !errors.is_empty() {
            div class="nhsuk-error-summary" data-module="nhsuk-error-summary" {
                div role="alert" {
                    h2 class="nhsuk-error-summary__title" { "There is a problem" }
                    div class="nhsuk-error-summary__body" {
                        ul class="nhsuk-list nhsuk-error-summary__list" {
                            @for (field, message) in errors {
                                li { a href=(format!("#{field}")) { (message) } }
                            }
                        }
                    }
                }
            }
        }
    }
}

/// The error message of `field`, if any.
pub fn error_of<'a>(errors: &'a [(String, String)], field: &str) -> Option<&'a str> {
    errors
        .iter()
        .find(|(f, _)| f == field)
        .map(|(_, m)| m.as_str())
}

/// The classes of a form group, marked when the field has an error.
pub fn group_class(error: Option<&str>) -> &'static str {
    if error.is_some() {
        "nhsuk-form-group nhsuk-form-group--error"
    } else {
        "nhsuk-form-group"
    }
}

/// An NHS error message for field `id`.
pub fn error_message(id: &str, error: Option<&str>) -> Markup {
    html! {
        @if let Some(e) = error {
            span class="nhsuk-error-message" id=(format!("{id}-error")) {
                span class="nhsuk-u-visually-hidden" { "Error: " } (e)
            }
        }
    }
}

/// A success banner.
pub fn success_banner(heading: &str, more: Markup) -> Markup {
    html! {
        div class="nhsuk-notification-banner nhsuk-notification-banner--success" role="alert" aria-labelledby="success-title" data-module="nhsuk-notification-banner" {
            div class="nhsuk-notification-banner__header" {
                h2 class="nhsuk-notification-banner__title" id="success-title" { "Success" }
            }
            div class="nhsuk-notification-banner__content" {
                p class="nhsuk-notification-banner__heading" { (heading) }
                (more)
            }
        }
    }
}
