//! Tables as CSV (RFC 4180), safe to open in a spreadsheet.

use super::{pounds, Cell, Table};
use std::borrow::Cow;

/// The table as CSV (RFC 4180): a header row, then one record per row, each ended by CRLF.
///
/// Fields containing a comma, double quote, CR or LF are quoted, with quotes doubled. Money is
/// pounds with two decimals and no currency sign (`1234.56`), dates are ISO (`2025-04-01`),
/// decimals as written (`10.75`). A text cell (or heading) beginning with `=`, `+`, `-`, `@`,
/// tab or CR is prefixed with a single quote so that a spreadsheet does not run it as a formula.
/// The string has no byte order mark; a handler serving it to Excel users may prepend one.
pub fn csv(table: &Table) -> String {
    let mut out = String::new();
    push_csv_record(&mut out, table.columns.iter().map(|c| guard_formula(c)));
    for row in &table.rows {
        let width = row.len().max(table.columns.len());
        push_csv_record(
            &mut out,
            (0..width).map(|i| row.get(i).map_or(Cow::Borrowed(""), csv_field)),
        );
    }
    out
}

fn csv_field(cell: &Cell) -> Cow<'_, str> {
    match cell {
        Cell::Text(text) => guard_formula(text),
        Cell::Integer(n) => Cow::Owned(n.to_string()),
        Cell::Decimal(d) => Cow::Owned(d.to_string()),
        Cell::Pence(p) => Cow::Owned(pounds(*p)),
        Cell::Date(d) => Cow::Owned(d.format("%Y-%m-%d").to_string()),
        Cell::Empty => Cow::Borrowed(""),
    }
}

/// Prefixes text that a spreadsheet would take for a formula with a single quote.
fn guard_formula(text: &str) -> Cow<'_, str> {
    if text.starts_with(['=', '+', '-', '@', '\t', '\r']) {
        Cow::Owned(format!("'{text}"))
    } else {
        Cow::Borrowed(text)
    }
}

fn push_csv_record<'a>(out: &mut String, fields: impl Iterator<Item = Cow<'a, str>>) {
    for (i, field) in fields.enumerate() {
        if i > 0 {
            out.push(',');
        }
        if field.contains([',', '"', '\r', '\n']) {
            out.push('"');
            out.push_str(&field.replace('"', "\"\""));
            out.push('"');
        } else {
            out.push_str(&field);
        }
    }
    out.push_str("\r\n");
}

#[cfg(test)]
mod tests {
    use super::super::tests::sample_table;
    use super::*;

    #[test]
    fn csv_round_trips_through_a_parser() {
        let text = csv(&sample_table());
        assert!(text.ends_with("\r\n"));
        assert!(text.starts_with("Consultant,PAs,Pay,Start,Notes\r\n"));
        let mut reader = ::csv::ReaderBuilder::new()
            .has_headers(true)
            .from_reader(text.as_bytes());
        let headers: Vec<String> = reader.headers().unwrap().iter().map(String::from).collect();
        assert_eq!(headers, ["Consultant", "PAs", "Pay", "Start", "Notes"]);
        let rows: Vec<Vec<String>> = reader
            .records()
            .map(|r| r.unwrap().iter().map(String::from).collect())
            .collect();
        assert_eq!(
            rows,
            vec![
                vec![
                    "Dr Zoë Émile, \"Zed\"",
                    "10.75",
                    "1234.56",
                    "2025-04-01",
                    "line one\nline two, with £ sign"
                ],
                vec![
                    "'=HYPERLINK(\"http://x\")",
                    "-3",
                    "-0.05",
                    "",
                    "'+1 then -2 then @3"
                ],
                vec!["'-10", "0", "0.00", "2024-02-29", "'\tTabbed"],
            ]
        );
    }

    #[test]
    fn csv_quotes_only_when_needed_and_ends_records_with_crlf() {
        let table = Table {
            title: "t".into(),
            columns: vec!["a".into(), "b".into()],
            rows: vec![
                vec![Cell::Text("plain".into()), Cell::Text("x\"y".into())],
                vec![Cell::Text("@sum".into())],
            ],
        };
        assert_eq!(csv(&table), "a,b\r\nplain,\"x\"\"y\"\r\n'@sum,\r\n");
    }
}
