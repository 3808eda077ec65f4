//! A table of records in the design system's markup, scrolling sideways inside a labelled region
//! on a narrow screen: one component for the plan page's lists.

use maud::{html, Markup};

/// `rows` under `headers`, captioned (for screen readers) and labelled `label`.
pub fn scroll_table(label: &str, headers: &[&str], rows: &[Vec<Markup>]) -> Markup {
    html! {
        div class="tenpa-table-scroll" tabindex="0" role="region" aria-label=(label) {
            table class="nhsuk-table" {
                caption class="nhsuk-table__caption nhsuk-u-visually-hidden" { (label) }
                thead class="nhsuk-table__head" { tr class="nhsuk-table__row" {
                    @for h in headers {
                        th class="nhsuk-table__header" scope="col" { (h) }
                    }
                } }
                tbody class="nhsuk-table__body" {
                    @for row in rows {
                        tr class="nhsuk-table__row" {
                            @for cell in row {
                                td class="nhsuk-table__cell" { (cell) }
                            }
                        }
                    }
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_table_has_its_label_headers_and_cells() {
        let html = scroll_table(
            "Leave",
            &["Kind", "From"],
            &[vec![html! { "study leave" }, html! { "1 July 2005" }]],
        )
        .into_string();
        assert!(html.contains(r#"aria-label="Leave""#), "{html}");
        assert_eq!(html.matches("<th ").count(), 2);
        assert_eq!(html.matches("<td ").count(), 2);
        assert!(html.contains("1 July 2005"));
    }
}
