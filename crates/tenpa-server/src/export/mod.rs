//! Exports of what the web pages show: CSV and XLSX for tables, iCalendar for a job plan's
//! weekly timetable, and printable PDF documents.
//!
//! Everything here is pure: values in, bytes or strings out, with no I/O and no web framework,
//! so the page handlers only choose a file name and a content type. Money stays exact: pence
//! are `i64` and are formatted with integer arithmetic; only the spreadsheet's numeric cell
//! value is a floating-point number, because that is what a spreadsheet stores.
//!
//! One file per format (CSV, XLSX, iCalendar, PDF); the table they share is here.

// Until the page handlers that serve these exports are written, nothing in the crate calls them.

mod csv;
mod ics;
mod pdf;
mod xlsx;

pub use self::csv::csv;
pub use self::ics::{ics, TimetableEvent};
pub use self::pdf::{pdf, PdfDocument, PdfSection};
pub use self::xlsx::{sheet_name, xlsx};

use chrono::NaiveDate;
use rust_decimal::Decimal;

/// A table as shown on a page: a title, column headings and rows of cells.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Table {
    /// What the table is, e.g. "Team job plans"; names the worksheet in a spreadsheet.
    pub title: String,
    /// The column headings.
    pub columns: Vec<String>,
    /// The rows, each a cell per column (a short row is padded with empty cells).
    pub rows: Vec<Vec<Cell>>,
}

/// One cell of a [`Table`].
#[derive(Debug, Clone, PartialEq)]
pub enum Cell {
    /// Text, shown as it is.
    Text(String),
    /// A whole number.
    Integer(i64),
    /// An exact decimal, e.g. PAs "10.75".
    Decimal(Decimal),
    /// Money in whole pence, shown as pounds with 2 decimals.
    Pence(i64),
    /// A calendar date.
    Date(NaiveDate),
    /// Nothing.
    Empty,
}

impl Cell {
    /// Whether the cell holds a number (right-aligned in a printed table).
    fn is_number(&self) -> bool {
        matches!(self, Cell::Integer(_) | Cell::Decimal(_) | Cell::Pence(_))
    }
}

pub use tenpa_rules::money::{pounds_figure as pounds, pounds_text as pounds_display};

/// Why an export could not be made.
#[derive(Debug, thiserror::Error)]
pub enum ExportError {
    /// The spreadsheet writer refused the table (e.g. more rows or columns than Excel allows,
    /// or a text longer than a cell holds).
    #[error("could not write the spreadsheet: {0}")]
    Xlsx(#[from] rust_xlsxwriter::XlsxError),
    /// The table has more rows or columns than a worksheet can hold.
    #[error("the table is too large for a worksheet")]
    TooLarge,
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::str::FromStr;

    pub(super) fn date(y: i32, m: u32, d: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, d).unwrap()
    }

    pub(super) fn sample_table() -> Table {
        Table {
            title: "Team pay: 2025/26 [draft]".into(),
            columns: vec![
                "Consultant".into(),
                "PAs".into(),
                "Pay".into(),
                "Start".into(),
                "Notes".into(),
            ],
            rows: vec![
                vec![
                    Cell::Text("Dr Zoë Émile, \"Zed\"".into()),
                    Cell::Decimal(Decimal::from_str("10.75").unwrap()),
                    Cell::Pence(123_456),
                    Cell::Date(date(2025, 4, 1)),
                    Cell::Text("line one\nline two, with £ sign".into()),
                ],
                vec![
                    Cell::Text("=HYPERLINK(\"http://x\")".into()),
                    Cell::Integer(-3),
                    Cell::Pence(-5),
                    Cell::Empty,
                    Cell::Text("+1 then -2 then @3".into()),
                ],
                vec![
                    Cell::Text("-10".into()),
                    Cell::Integer(0),
                    Cell::Pence(0),
                    Cell::Date(date(2024, 2, 29)),
                    Cell::Text("\tTabbed".into()),
                ],
            ],
        }
    }

    #[test]
    fn pounds_are_exact() {
        assert_eq!(pounds(123_456), "1234.56");
        assert_eq!(pounds(-5), "-0.05");
        assert_eq!(pounds(0), "0.00");
        assert_eq!(pounds(-100), "-1.00");
        assert_eq!(pounds(i64::MIN), "-92233720368547758.08");
        assert_eq!(pounds_display(123_456_789), "£1,234,567.89");
        assert_eq!(pounds_display(-5), "-£0.05");
        assert_eq!(pounds_display(99_900), "£999.00");
    }
}
