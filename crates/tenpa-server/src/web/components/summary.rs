//! A summary list: keys and values, one row each.

use maud::{html, Markup};

/// A summary list of (key, value) rows.
pub fn summary_list(rows: &[(String, String)]) -> Markup {
    html! {
        dl class="nhsuk-summary-list" {
            @for (k, v) in rows {
                div class="nhsuk-summary-list__row" {
                    dt class="nhsuk-summary-list__key" { (k) }
                    dd class="nhsuk-summary-list__value" { (v) }
                }
            }
        }
    }
}
