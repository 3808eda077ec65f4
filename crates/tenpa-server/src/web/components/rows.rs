//! Editable rows: a list the editor shows one line per entry (an activity, a private session, a
//! leave period), each opening in place to edit its fields. It is a `details` element, so it
//! opens without script; a row with an error, or one just added, is open.

use maud::{html, Markup};

/// One row: `cells` are the line's columns (the header names them), `label` says what opening
/// it edits ("activity 3"), `body` holds the fields.
pub fn editable_row(cells: &[Markup], label: &str, open: bool, body: Markup) -> Markup {
    html! {
        details class="tenpa-row" open[open] {
            summary class="tenpa-row__summary" {
                @for cell in cells { span class="tenpa-row__cell" { (cell) } }
                span class="tenpa-row__edit" { "Edit" span class="nhsuk-u-visually-hidden" { " " (label) } }
            }
            div class="tenpa-row__body" { (body) }
        }
    }
}

/// The column headings above a list of [`editable_row`]s: shown to the eye, each row's summary
/// already reads in full to a screen reader.
pub fn editable_rows_head(headings: &[&str]) -> Markup {
    html! {
        div class="tenpa-row__head" aria-hidden="true" {
            @for h in headings { span class="tenpa-row__cell" { (h) } }
            span class="tenpa-row__edit" {}
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_row_opens_only_when_asked_and_names_what_it_edits() {
        let shut =
            editable_row(&[html! { "Mon" }], "activity 1", false, html! { "fields" }).into_string();
        assert!(shut.starts_with("<details class=\"tenpa-row\">"), "{shut}");
        assert!(shut.contains("Edit<span class=\"nhsuk-u-visually-hidden\"> activity 1</span>"));
        let open = editable_row(&[], "leave 2", true, html! {}).into_string();
        assert!(
            open.starts_with("<details class=\"tenpa-row\" open>"),
            "{open}"
        );
    }
}
