//! Summary lists: keys and values, one row each.

use maud::{html, Markup, Render};

/// One row of a summary list: its key and its value.
pub fn summary_row(key: impl Render, value: impl Render) -> Markup {
    html! {
        div class="nhsuk-summary-list__row" {
            dt class="nhsuk-summary-list__key" { (key) }
            dd class="nhsuk-summary-list__value" { (value) }
        }
    }
}

/// A row whose value carries an element id (for a link to it, and for tests).
pub fn summary_row_id(key: impl Render, id: &str, value: impl Render) -> Markup {
    html! {
        div class="nhsuk-summary-list__row" {
            dt class="nhsuk-summary-list__key" { (key) }
            dd class="nhsuk-summary-list__value" id=(id) { (value) }
        }
    }
}

/// A row with an action (a link, say) after its value.
pub fn summary_row_action(key: impl Render, value: impl Render, action: impl Render) -> Markup {
    html! {
        div class="nhsuk-summary-list__row" {
            dt class="nhsuk-summary-list__key" { (key) }
            dd class="nhsuk-summary-list__value" { (value) }
            dd class="nhsuk-summary-list__actions" { (action) }
        }
    }
}

/// A summary list of (key, value) rows of text.
pub fn summary_list(rows: &[(String, String)]) -> Markup {
    summary_rows(html! { @for (k, v) in rows { (summary_row(k, v)) } })
}

/// A summary list of rows made with [`summary_row`] (and its kin).
pub fn summary_rows(rows: Markup) -> Markup {
    html! { dl class="nhsuk-summary-list" { (rows) } }
}

/// A summary list with an element id (for a link to it, and for tests).
pub fn summary_rows_id(id: &str, rows: Markup) -> Markup {
    html! { dl class="nhsuk-summary-list" id=(id) { (rows) } }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_row_holds_its_key_and_value() {
        let html = summary_list(&[("Rota".into(), "1 in 4".into())]).into_string();
        assert_eq!(
            html,
            r#"<dl class="nhsuk-summary-list"><div class="nhsuk-summary-list__row"><dt class="nhsuk-summary-list__key">Rota</dt><dd class="nhsuk-summary-list__value">1 in 4</dd></div></dl>"#
        );
        let row = summary_row("Version 2", html! { strong { "Signed off" } }).into_string();
        assert!(
            row.contains(
                "<dd class=\"nhsuk-summary-list__value\"><strong>Signed off</strong></dd>"
            ),
            "{row}"
        );
    }
}
