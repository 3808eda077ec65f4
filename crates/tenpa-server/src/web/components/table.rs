//! Tables in the design system's markup, written once: a caption (shown, small, or for screen
//! readers only), column headings (figures aligned right in tabular digits), rows of cells, optionally the first cell of
//! each row heading it, and optionally a region that scrolls sideways on a narrow screen.
//!
//! ```ignore
//! HtmlTable::new("Job plans waiting for you")
//!     .columns(&["Consultant", "Status"])
//!     .numeric("Total pay")
//!     .rows(plans.iter().map(|p| vec![html! { (p.name) }, status_tag(p.status), html! { (pounds(p.pay)) }]))
//! ```

use maud::{html, Markup, Render};

/// A column: its heading and whether it holds figures (aligned right).
struct Column {
    heading: Markup,
    numeric: bool,
    /// The heading is for screen readers only (a column of buttons, say).
    hidden: bool,
}

/// A table; build it, then render it in a page (`(table)` in markup).
pub struct HtmlTable<'a> {
    caption: Markup,
    caption_class: &'static str,
    id: Option<&'a str>,
    scroll_label: Option<&'a str>,
    row_headers: bool,
    columns: Vec<Column>,
    rows: Vec<(Option<String>, Vec<Markup>)>,
}

impl<'a> HtmlTable<'a> {
    /// A table captioned `caption`, shown above it.
    pub fn new(caption: impl Render) -> Self {
        HtmlTable {
            caption: caption.render(),
            caption_class: "nhsuk-table__caption",
            id: None,
            scroll_label: None,
            row_headers: false,
            columns: Vec::new(),
            rows: Vec::new(),
        }
    }

    /// The caption is for screen readers only (a heading above says what the table is).
    pub fn hidden_caption(mut self) -> Self {
        self.caption_class = "nhsuk-table__caption nhsuk-u-visually-hidden";
        self
    }

    /// The caption is set small, as under a section's heading.
    pub fn small_caption(mut self) -> Self {
        self.caption_class = "nhsuk-table__caption nhsuk-table__caption--s";
        self
    }

    /// The caption is set as a section's heading (the table is the section).
    pub fn medium_caption(mut self) -> Self {
        self.caption_class = "nhsuk-table__caption nhsuk-table__caption--m";
        self
    }

    /// The table's element id (for links to it and for tests).
    pub fn id(mut self, id: &'a str) -> Self {
        self.id = Some(id);
        self
    }

    /// The table scrolls sideways inside a region labelled `label`, reachable by keyboard, when it
    /// is wider than the screen.
    pub fn scrolls(mut self, label: &'a str) -> Self {
        self.scroll_label = Some(label);
        self
    }

    /// The first cell of each row heads the row.
    pub fn row_headers(mut self) -> Self {
        self.row_headers = true;
        self
    }

    /// Columns of text, in order.
    pub fn columns(mut self, headings: &[&str]) -> Self {
        self.columns.extend(headings.iter().map(|&heading| Column {
            heading: html! { (heading) },
            numeric: false,
            hidden: false,
        }));
        self
    }

    /// A column of text only when `shown`.
    pub fn column_if(self, shown: bool, heading: &str) -> Self {
        if shown {
            self.columns(&[heading])
        } else {
            self
        }
    }

    /// A column of figures, aligned right.
    pub fn numeric(self, heading: &str) -> Self {
        self.numeric_column(html! { (heading) })
    }

    /// A column of figures whose heading is markup (a link, say).
    pub fn numeric_column(mut self, heading: Markup) -> Self {
        self.columns.push(Column {
            heading,
            numeric: true,
            hidden: false,
        });
        self
    }

    /// A column of text whose heading is markup (a link, say).
    pub fn column(mut self, heading: Markup) -> Self {
        self.columns.push(Column {
            heading,
            numeric: false,
            hidden: false,
        });
        self
    }

    /// A column whose heading only screen readers read (a column of buttons, say).
    pub fn hidden_column(mut self, heading: &str) -> Self {
        self.columns.push(Column {
            heading: html! { (heading) },
            numeric: false,
            hidden: true,
        });
        self
    }

    /// Rows of cells, one a column.
    pub fn rows(mut self, rows: impl IntoIterator<Item = Vec<Markup>>) -> Self {
        self.rows.extend(rows.into_iter().map(|r| (None, r)));
        self
    }

    /// Rows of cells, each with its element id (for links to a row and for tests).
    pub fn rows_with_ids(mut self, rows: impl IntoIterator<Item = (String, Vec<Markup>)>) -> Self {
        self.rows
            .extend(rows.into_iter().map(|(id, r)| (Some(id), r)));
        self
    }

    fn table(&self) -> Markup {
        let numeric = |i: usize| self.columns.get(i).is_some_and(|c| c.numeric);
        html! {
            table class="nhsuk-table" id=[self.id] {
                caption class=(self.caption_class) { (self.caption) }
                thead class="nhsuk-table__head" { tr class="nhsuk-table__row" {
                    @for c in &self.columns {
                        th class=(if c.numeric { "nhsuk-table__header tenpa-number" } else { "nhsuk-table__header" }) scope="col" {
                            @if c.hidden { span class="nhsuk-u-visually-hidden" { (c.heading) } } @else { (c.heading) }
                        }
                    }
                } }
                tbody class="nhsuk-table__body" {
                    @for (id, row) in &self.rows {
                        tr class="nhsuk-table__row" id=[id] {
                            @for (i, cell) in row.iter().enumerate() {
                                @if i == 0 && self.row_headers {
                                    th class="nhsuk-table__header" scope="row" { (cell) }
                                } @else if numeric(i) {
                                    td class="nhsuk-table__cell tenpa-number" { (cell) }
                                } @else {
                                    td class="nhsuk-table__cell" { (cell) }
                                }
                            }
                        }
                    }
                }
            }
        }
    }
}

impl Render for HtmlTable<'_> {
    fn render(&self) -> Markup {
        match self.scroll_label {
            Some(label) => html! {
                div class="tenpa-table-scroll" tabindex="0" role="region" aria-label=(label) {
                    (self.table())
                }
            },
            None => self.table(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_table_has_its_caption_headings_and_cells() {
        let html = HtmlTable::new("Leave")
            .hidden_caption()
            .scrolls("Leave")
            .columns(&["Kind", "From"])
            .numeric("Days")
            .rows([vec![
                html! { "study leave" },
                html! { "1 July 2005" },
                html! { "5" },
            ]])
            .render()
            .into_string();
        assert!(html.contains(r#"aria-label="Leave""#), "{html}");
        assert!(html.contains("nhsuk-u-visually-hidden"), "{html}");
        assert_eq!(html.matches("<th ").count(), 3);
        assert_eq!(html.matches("<td ").count(), 3);
        assert_eq!(html.matches("tenpa-number").count(), 2, "{html}");
        assert!(html.contains("1 July 2005"));
    }

    #[test]
    fn rows_with_ids_and_a_hidden_heading() {
        let html = HtmlTable::new("Tokens")
            .columns(&["Token"])
            .hidden_column("Action")
            .rows_with_ids([(
                "token-1".to_string(),
                vec![html! { "1" }, html! { "Revoke" }],
            )])
            .render()
            .into_string();
        assert!(
            html.contains(r#"<tr class="nhsuk-table__row" id="token-1">"#),
            "{html}"
        );
        assert!(
            html.contains(r#"<span class="nhsuk-u-visually-hidden">Action</span>"#),
            "{html}"
        );
    }

    #[test]
    fn a_shown_caption_row_headers_and_a_column_left_out() {
        let html = HtmlTable::new(html! { "Employers (" (2) ")" })
            .id("employers")
            .row_headers()
            .columns(&["Employer"])
            .column_if(false, "Consultant")
            .numeric("PAs")
            .rows([vec![html! { "Trust A" }, html! { "6" }]])
            .render()
            .into_string();
        assert!(html.contains(r#"id="employers""#), "{html}");
        assert!(
            html.contains(r#"<caption class="nhsuk-table__caption">Employers (2)</caption>"#),
            "{html}"
        );
        assert!(html.contains(r#"scope="row""#), "{html}");
        assert!(!html.contains("Consultant"), "{html}");
        assert!(!html.contains("tenpa-table-scroll"), "{html}");
    }
}
