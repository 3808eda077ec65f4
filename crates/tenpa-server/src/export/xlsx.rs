//! Tables as Excel workbooks of one worksheet.

use super::{Cell, ExportError, Table};
use chrono::Datelike;

/// The table as an Excel workbook of one worksheet, named from the title.
///
/// The header row is bold and frozen; numbers are numbers: money with the format `£#,##0.00`,
/// decimals as plain numbers, dates as real Excel dates formatted `yyyy-mm-dd` (a date Excel
/// cannot hold, before 1900, is written as ISO text). Text is always a string, never a formula.
/// Columns are fitted to their contents.
pub fn xlsx(table: &Table) -> Result<Vec<u8>, ExportError> {
    use rust_decimal::prelude::ToPrimitive;
    use rust_xlsxwriter::{ExcelDateTime, Format, Workbook};

    let mut workbook = Workbook::new();
    let bold = Format::new().set_bold();
    let money = Format::new().set_num_format("£#,##0.00");
    let date = Format::new().set_num_format("yyyy-mm-dd");
    let sheet = workbook.add_worksheet();
    sheet.set_name(sheet_name(&table.title))?;
    for (c, heading) in table.columns.iter().enumerate() {
        sheet.write_string_with_format(0, column_number(c)?, heading, &bold)?;
    }
    sheet.set_freeze_panes(1, 0)?;
    for (r, row) in table.rows.iter().enumerate() {
        let r = u32::try_from(r + 1).map_err(|_| ExportError::TooLarge)?;
        for (c, cell) in row.iter().enumerate() {
            let c = column_number(c)?;
            match cell {
                Cell::Text(text) => {
                    sheet.write_string(r, c, text)?;
                }
                // A spreadsheet number is an f64: integers beyond 2^53 lose their last digits.
                Cell::Integer(n) => {
                    sheet.write_number(r, c, *n as f64)?;
                }
                Cell::Decimal(d) => match d.to_f64() {
                    Some(value) => {
                        sheet.write_number(r, c, value)?;
                    }
                    None => {
                        sheet.write_string(r, c, d.to_string())?;
                    }
                },
                // The one place money becomes floating point: the spreadsheet cell's value is an
                // f64. Pounds to two decimals are exact to well beyond any pay figure
                // (2^53 pence), and the cell's format shows exactly two decimals.
                Cell::Pence(p) => {
                    sheet.write_number_with_format(r, c, *p as f64 / 100.0, &money)?;
                }
                Cell::Date(d) => {
                    let excel = u16::try_from(d.year()).ok().and_then(|y| {
                        ExcelDateTime::from_ymd(y, d.month() as u8, d.day() as u8).ok()
                    });
                    match excel {
                        Some(excel) => {
                            sheet.write_datetime_with_format(r, c, excel, &date)?;
                        }
                        None => {
                            sheet.write_string(r, c, d.format("%Y-%m-%d").to_string())?;
                        }
                    }
                }
                Cell::Empty => {}
            }
        }
    }
    sheet.autofit();
    Ok(workbook.save_to_buffer()?)
}

fn column_number(index: usize) -> Result<u16, ExportError> {
    u16::try_from(index).map_err(|_| ExportError::TooLarge)
}

/// A worksheet name from a title, within Excel's rules: at most 31 characters (UTF-16 units),
/// none of `[ ] : * ? / \`, not beginning or ending with an apostrophe, not blank, not "History".
pub fn sheet_name(title: &str) -> String {
    let cleaned: String = title
        .chars()
        .map(|c| {
            if matches!(c, '[' | ']' | ':' | '*' | '?' | '/' | '\\') || c.is_control() {
                ' '
            } else {
                c
            }
        })
        .collect();
    let collapsed = cleaned.split_whitespace().collect::<Vec<_>>().join(" ");
    let mut name = String::new();
    let mut units = 0;
    for c in trim_sheet_name(&collapsed).chars() {
        units += c.len_utf16();
        if units > 31 {
            break;
        }
        name.push(c);
    }
    let name = trim_sheet_name(&name);
    if name.is_empty() {
        "Sheet1".to_string()
    } else if name.eq_ignore_ascii_case("history") {
        format!("{name} 1")
    } else {
        name.to_string()
    }
}

fn trim_sheet_name(mut name: &str) -> &str {
    loop {
        let trimmed = name.trim().trim_matches('\'');
        if trimmed.len() == name.len() {
            return trimmed;
        }
        name = trimmed;
    }
}

#[cfg(test)]
mod tests {
    use super::super::tests::{date, sample_table};
    use super::*;

    #[test]
    fn xlsx_reads_back_with_numbers_dates_and_text() {
        use calamine::{Data, Reader, Xlsx};
        let bytes = xlsx(&sample_table()).unwrap();
        let mut book: Xlsx<_> = Xlsx::new(std::io::Cursor::new(bytes)).unwrap();
        assert_eq!(
            book.sheet_names(),
            vec!["Team pay 2025 26 draft".to_string()]
        );
        let range = book.worksheet_range("Team pay 2025 26 draft").unwrap();
        let header: Vec<String> = (0..5)
            .map(|c| range.get_value((0, c)).unwrap().to_string())
            .collect();
        assert_eq!(header, ["Consultant", "PAs", "Pay", "Start", "Notes"]);
        assert_eq!(
            range.get_value((1, 0)),
            Some(&Data::String("Dr Zoë Émile, \"Zed\"".into()))
        );
        assert_eq!(range.get_value((1, 1)), Some(&Data::Float(10.75)));
        assert_eq!(range.get_value((1, 2)), Some(&Data::Float(1234.56)));
        assert_eq!(range.get_value((2, 2)), Some(&Data::Float(-0.05)));
        assert_eq!(range.get_value((2, 1)), Some(&Data::Float(-3.0)));
        match range.get_value((1, 3)) {
            Some(Data::DateTime(dt)) => {
                assert!(dt.is_datetime());
                // Excel's serial day number: days since 1899-12-30.
                let serial = (date(2025, 4, 1) - date(1899, 12, 30)).num_days() as f64;
                assert_eq!(dt.as_f64(), serial);
            }
            other => panic!("expected a date, got {other:?}"),
        }
        // Text that looks like a formula stays text, unchanged.
        assert_eq!(
            range.get_value((2, 0)),
            Some(&Data::String("=HYPERLINK(\"http://x\")".into()))
        );
        assert_eq!(
            range.get_value((1, 4)),
            Some(&Data::String("line one\nline two, with £ sign".into()))
        );
    }

    #[test]
    fn sheet_names_follow_excels_rules() {
        assert_eq!(sheet_name("Job plans"), "Job plans");
        assert_eq!(sheet_name(""), "Sheet1");
        assert_eq!(sheet_name(" ''' "), "Sheet1");
        assert_eq!(sheet_name("History"), "History 1");
        assert_eq!(sheet_name("a/b\\c?d*e:f[g]h"), "a b c d e f g h");
        assert_eq!(sheet_name("'quoted'"), "quoted");
        let long = sheet_name("Consultant job plans for the surgical directorate 2025");
        assert_eq!(long, "Consultant job plans for the su");
        assert_eq!(long.encode_utf16().count(), 31);
        // A name cut at 31 must not end with a space or an apostrophe.
        assert_eq!(
            sheet_name("abcdefghijklmnopqrstuvwxyz1234 'x"),
            "abcdefghijklmnopqrstuvwxyz1234"
        );
        // Every sanitised name is accepted by the writer.
        for title in [
            "",
            "History",
            "'a'",
            "x".repeat(40).as_str(),
            "é".repeat(40).as_str(),
        ] {
            let table = Table {
                title: title.into(),
                ..Table::default()
            };
            xlsx(&table).unwrap();
        }
    }
}
