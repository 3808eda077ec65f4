//! Exports of what the web pages show: CSV and XLSX for tables, iCalendar for a job plan's
//! weekly timetable, and printable PDF documents.
//!
//! Everything here is pure: values in, bytes or strings out, with no I/O and no web framework,
//! so the page handlers only choose a file name and a content type. Money stays exact: pence
//! are `i64` and are formatted with integer arithmetic; only the spreadsheet's numeric cell
//! value is a floating-point number, because that is what a spreadsheet stores.

// Until the page handlers that serve these exports are written, nothing in the crate calls them.

use chrono::{Datelike, Duration, NaiveDate, NaiveDateTime, NaiveTime, Weekday};
use rust_decimal::Decimal;
use std::borrow::Cow;
use std::fmt::Write as _;

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

// ---------------------------------------------------------------------------------------------
// CSV

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

// ---------------------------------------------------------------------------------------------
// XLSX

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

// ---------------------------------------------------------------------------------------------
// iCalendar

/// One weekly activity of a job plan, for the timetable calendar.
#[derive(Debug, Clone, PartialEq)]
pub struct TimetableEvent {
    /// The day of the week it happens.
    pub day: Weekday,
    /// When it starts, London time.
    pub start: NaiveTime,
    /// When it ends, London time; an end at or before the start is past midnight, the next day.
    pub end: NaiveTime,
    /// What it is, e.g. "Fracture clinic".
    pub summary: String,
    /// Where it is.
    pub location: String,
    /// More about it.
    pub description: String,
    /// For an activity that is not every week: the cycle length in weeks and the weeks of the
    /// cycle (from 1) in which it happens. Week 1 is the week (Monday to Sunday) containing the
    /// calendar's `from` date. `None` is every week.
    pub weeks: Option<(u32, Vec<u32>)>,
}

/// The time zone every timetable is in.
const TZID: &str = "Europe/London";

/// The weekly timetable as an iCalendar file (RFC 5545), in the Europe/London time zone.
///
/// Each activity becomes a weekly recurring event starting at its first occurrence on or after
/// `from`. An activity in week k of an N-week cycle recurs every N weeks from week k
/// (`RRULE:FREQ=WEEKLY;INTERVAL=N`); one in several weeks of a cycle becomes one event per week,
/// whose UIDs end `-w{k}`. The UID of activity `i` (counted from 0) is `{uid_prefix}{i}@tenpa`,
/// stable from one export to the next; `stamp` is the DTSTAMP, in UTC.
pub fn ics(
    calendar_name: &str,
    uid_prefix: &str,
    from: NaiveDate,
    events: &[TimetableEvent],
    stamp: NaiveDateTime,
) -> String {
    let mut lines: Vec<String> = vec![
        "BEGIN:VCALENDAR".into(),
        "VERSION:2.0".into(),
        "PRODID:-//Tenpa//Job plan//EN".into(),
        "CALSCALE:GREGORIAN".into(),
        "METHOD:PUBLISH".into(),
        format!("X-WR-CALNAME:{}", ics_text(calendar_name)),
        format!("X-WR-TIMEZONE:{TZID}"),
    ];
    lines.extend(
        [
            "BEGIN:VTIMEZONE",
            "TZID:Europe/London",
            "X-LIC-LOCATION:Europe/London",
            "BEGIN:DAYLIGHT",
            "TZNAME:BST",
            "TZOFFSETFROM:+0000",
            "TZOFFSETTO:+0100",
            "DTSTART:19700329T010000",
            "RRULE:FREQ=YEARLY;BYMONTH=3;BYDAY=-1SU",
            "END:DAYLIGHT",
            "BEGIN:STANDARD",
            "TZNAME:GMT",
            "TZOFFSETFROM:+0100",
            "TZOFFSETTO:+0000",
            "DTSTART:19701025T020000",
            "RRULE:FREQ=YEARLY;BYMONTH=10;BYDAY=-1SU",
            "END:STANDARD",
            "END:VTIMEZONE",
        ]
        .map(String::from),
    );
    let dtstamp = stamp.format("%Y%m%dT%H%M%SZ").to_string();
    let week_one = from - Duration::days(i64::from(from.weekday().num_days_from_monday()));
    for (index, event) in events.iter().enumerate() {
        for (week, first, interval) in first_occurrences(event, from, week_one) {
            let uid = match week {
                None => format!("{uid_prefix}{index}@tenpa"),
                Some(k) => format!("{uid_prefix}{index}-w{k}@tenpa"),
            };
            let end_date = if event.end <= event.start {
                first.succ_opt().unwrap_or(first)
            } else {
                first
            };
            lines.push("BEGIN:VEVENT".into());
            lines.push(format!("UID:{}", ics_text(&uid)));
            lines.push(format!("DTSTAMP:{dtstamp}"));
            lines.push(format!(
                "DTSTART;TZID={TZID}:{}",
                first.and_time(event.start).format("%Y%m%dT%H%M%S")
            ));
            lines.push(format!(
                "DTEND;TZID={TZID}:{}",
                end_date.and_time(event.end).format("%Y%m%dT%H%M%S")
            ));
            lines.push(if interval > 1 {
                format!("RRULE:FREQ=WEEKLY;INTERVAL={interval}")
            } else {
                "RRULE:FREQ=WEEKLY".into()
            });
            lines.push(format!("SUMMARY:{}", ics_text(&event.summary)));
            if !event.location.is_empty() {
                lines.push(format!("LOCATION:{}", ics_text(&event.location)));
            }
            if !event.description.is_empty() {
                lines.push(format!("DESCRIPTION:{}", ics_text(&event.description)));
            }
            lines.push("END:VEVENT".into());
        }
    }
    lines.push("END:VCALENDAR".into());

    let mut out = String::new();
    for line in &lines {
        push_folded(&mut out, line);
    }
    out
}

/// The first occurrences of an activity on or after `from`: (week of the cycle, if the event is
/// one of several for the activity; date; weekly interval).
fn first_occurrences(
    event: &TimetableEvent,
    from: NaiveDate,
    week_one: NaiveDate,
) -> Vec<(Option<u32>, NaiveDate, u32)> {
    let day = i64::from(event.day.num_days_from_monday());
    let first_in = |week: u32, cycle: u32| -> Option<NaiveDate> {
        let date = week_one.checked_add_signed(Duration::days(7 * i64::from(week - 1) + day))?;
        if date < from {
            date.checked_add_signed(Duration::days(7 * i64::from(cycle)))
        } else {
            Some(date)
        }
    };
    let weekly = || first_in(1, 1).map(|d| (None, d, 1)).into_iter().collect();
    match &event.weeks {
        None => weekly(),
        Some((0, _)) => weekly(),
        Some((cycle, weeks)) => {
            let cycle = *cycle;
            let mut weeks: Vec<u32> = weeks
                .iter()
                .copied()
                .filter(|w| (1..=cycle).contains(w))
                .collect();
            weeks.sort_unstable();
            weeks.dedup();
            if weeks.len() as u64 == u64::from(cycle) {
                weekly()
            } else if weeks.len() == 1 {
                first_in(weeks[0], cycle)
                    .map(|d| (None, d, cycle))
                    .into_iter()
                    .collect()
            } else {
                weeks
                    .iter()
                    .filter_map(|&k| first_in(k, cycle).map(|d| (Some(k), d, cycle)))
                    .collect()
            }
        }
    }
}

/// Text escaped for an iCalendar TEXT value: `\` `;` `,` and newlines; other controls dropped.
fn ics_text(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut chars = text.chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            '\\' => out.push_str("\\\\"),
            ';' => out.push_str("\\;"),
            ',' => out.push_str("\\,"),
            '\r' => {
                if chars.peek() == Some(&'\n') {
                    chars.next();
                }
                out.push_str("\\n");
            }
            '\n' => out.push_str("\\n"),
            '\t' => out.push('\t'),
            c if c.is_control() => {}
            c => out.push(c),
        }
    }
    out
}

/// Appends a content line folded to at most 75 octets a line (continuations begin with a
/// space), never splitting a UTF-8 character, and ended by CRLF.
fn push_folded(out: &mut String, line: &str) {
    let mut octets = 0;
    for c in line.chars() {
        if octets + c.len_utf8() > 75 {
            out.push_str("\r\n ");
            octets = 1;
        }
        out.push(c);
        octets += c.len_utf8();
    }
    out.push_str("\r\n");
}

// ---------------------------------------------------------------------------------------------
// PDF

/// A printable document: a job plan for signature, a team's table.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct PdfDocument {
    /// The title, large at the top of the first page and in the file's properties.
    pub title: String,
    /// A line under the title, e.g. who and when.
    pub subtitle: String,
    /// The body, in order.
    pub sections: Vec<PdfSection>,
}

/// A part of a [`PdfDocument`].
#[derive(Debug, Clone, PartialEq)]
pub enum PdfSection {
    /// A heading, kept with what follows it.
    Heading(String),
    /// Wrapped text; a newline starts a new line.
    Paragraph(String),
    /// Labels and values in two columns, e.g. "Consultant" / "Dr A Smith".
    KeyValues(Vec<(String, String)>),
    /// A table with its title, a ruled grid and its header row repeated on every page.
    Table(Table),
}

const PAGE_WIDTH: f32 = 595.28;
const PAGE_HEIGHT: f32 = 841.89;
const MARGIN: f32 = 50.0;
const TOP: f32 = PAGE_HEIGHT - 50.0;
const BOTTOM: f32 = 60.0;
const CONTENT_WIDTH: f32 = PAGE_WIDTH - 2.0 * MARGIN;

/// Helvetica's widths (Adobe's AFM metrics, per 1000 em) for WinAnsi codes 32 to 255.
#[rustfmt::skip]
const HELVETICA_WIDTHS: [u16; 224] = [
    278, 278, 355, 556, 556, 889, 667, 191, 333, 333, 389, 584, 278, 333, 278, 278,
    556, 556, 556, 556, 556, 556, 556, 556, 556, 556, 278, 278, 584, 584, 584, 556,
    1015, 667, 667, 722, 722, 667, 611, 778, 722, 278, 500, 667, 556, 833, 722, 778,
    667, 778, 722, 667, 611, 722, 667, 944, 667, 667, 611, 278, 278, 278, 469, 556,
    333, 556, 556, 500, 556, 556, 278, 556, 556, 222, 222, 500, 222, 833, 556, 556,
    556, 556, 333, 500, 278, 556, 500, 722, 500, 500, 500, 334, 260, 334, 584, 350,
    556, 350, 222, 556, 333, 1000, 556, 556, 333, 1000, 667, 333, 1000, 350, 611, 350,
    350, 222, 222, 333, 333, 350, 556, 1000, 333, 1000, 500, 333, 944, 350, 500, 667,
    278, 333, 556, 556, 556, 556, 260, 556, 333, 737, 370, 556, 584, 333, 737, 333,
    400, 584, 333, 333, 333, 578, 537, 278, 333, 333, 365, 556, 834, 834, 834, 611,
    667, 667, 667, 667, 667, 667, 1000, 722, 667, 667, 667, 667, 278, 278, 278, 278,
    722, 722, 778, 778, 778, 778, 778, 584, 778, 722, 722, 722, 722, 667, 667, 611,
    556, 556, 556, 556, 556, 556, 889, 500, 556, 556, 556, 556, 278, 278, 278, 278,
    556, 556, 556, 556, 556, 556, 556, 584, 611, 556, 556, 556, 556, 500, 556, 500,
];

/// Helvetica-Bold's widths (Adobe's AFM metrics, per 1000 em) for WinAnsi codes 32 to 255.
#[rustfmt::skip]
const HELVETICA_BOLD_WIDTHS: [u16; 224] = [
    278, 333, 474, 556, 556, 889, 722, 238, 333, 333, 389, 584, 278, 333, 278, 278,
    556, 556, 556, 556, 556, 556, 556, 556, 556, 556, 333, 333, 584, 584, 584, 611,
    975, 722, 722, 722, 722, 667, 611, 778, 722, 278, 556, 722, 611, 833, 722, 778,
    667, 778, 722, 667, 611, 722, 667, 944, 667, 667, 611, 333, 278, 333, 584, 556,
    333, 556, 611, 556, 611, 556, 333, 611, 611, 278, 278, 556, 278, 889, 611, 611,
    611, 611, 389, 556, 333, 611, 556, 778, 556, 556, 500, 389, 280, 389, 584, 350,
    556, 350, 278, 556, 500, 1000, 556, 556, 333, 1000, 667, 333, 1000, 350, 611, 350,
    350, 278, 278, 500, 500, 350, 556, 1000, 333, 1000, 556, 333, 944, 350, 500, 667,
    278, 333, 556, 556, 556, 556, 280, 556, 333, 737, 370, 556, 584, 333, 737, 333,
    400, 584, 333, 333, 333, 611, 556, 278, 333, 333, 365, 556, 834, 834, 834, 611,
    722, 722, 722, 722, 722, 722, 1000, 722, 667, 667, 667, 667, 278, 278, 278, 278,
    722, 722, 778, 778, 778, 778, 778, 584, 778, 722, 722, 722, 722, 667, 667, 611,
    556, 556, 556, 556, 556, 556, 889, 556, 556, 556, 556, 556, 278, 278, 278, 278,
    611, 611, 611, 611, 611, 611, 611, 584, 611, 611, 611, 611, 611, 556, 611, 556,
];

/// The two standard fonts used.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Font {
    Regular,
    Bold,
}

impl Font {
    fn resource(self) -> &'static str {
        match self {
            Font::Regular => "/F1",
            Font::Bold => "/F2",
        }
    }
}

/// The width in points of WinAnsi-encoded text.
fn text_width(text: &[u8], font: Font, size: f32) -> f32 {
    let widths = match font {
        Font::Regular => &HELVETICA_WIDTHS,
        Font::Bold => &HELVETICA_BOLD_WIDTHS,
    };
    let units: u32 = text
        .iter()
        .filter(|&&b| b >= 32)
        .map(|&b| u32::from(widths[usize::from(b - 32)]))
        .sum();
    units as f32 * size / 1000.0
}

/// Text in WinAnsiEncoding. Newlines (CRLF, CR or LF) become `\n`, tabs spaces, other controls
/// are dropped; characters WinAnsi lacks become a close equivalent (`→` as `->`) or `?`.
fn win_ansi(text: &str) -> Vec<u8> {
    let mut out = Vec::with_capacity(text.len());
    let mut chars = text.chars().peekable();
    while let Some(c) = chars.next() {
        let code = c as u32;
        match c {
            '\r' => {
                if chars.peek() == Some(&'\n') {
                    chars.next();
                }
                out.push(b'\n');
            }
            '\n' => out.push(b'\n'),
            '\t' => out.push(b' '),
            c if c.is_control() => {}
            _ if (0x20..0x7F).contains(&code) || (0xA0..=0xFF).contains(&code) => {
                out.push(code as u8)
            }
            _ => match win_ansi_special(c) {
                Some(byte) => out.push(byte),
                None => out.extend_from_slice(match c {
                    '→' | '⇒' => b"->",
                    '←' | '⇐' => b"<-",
                    '↔' => b"<->",
                    '≤' => b"<=",
                    '≥' => b">=",
                    '≠' => b"!=",
                    '−' | '‐' | '‑' | '‒' => b"-",
                    '\u{2009}' | '\u{200A}' | '\u{202F}' | '\u{2002}' | '\u{2003}' => b" ",
                    '✓' | '✔' => b"Yes",
                    '✗' | '✘' => b"No",
                    _ => b"?",
                }),
            },
        }
    }
    out
}

/// WinAnsi's codes 0x80 to 0x9F.
fn win_ansi_special(c: char) -> Option<u8> {
    Some(match c {
        '€' => 0x80,
        '‚' => 0x82,
        'ƒ' => 0x83,
        '„' => 0x84,
        '…' => 0x85,
        '†' => 0x86,
        '‡' => 0x87,
        'ˆ' => 0x88,
        '‰' => 0x89,
        'Š' => 0x8A,
        '‹' => 0x8B,
        'Œ' => 0x8C,
        'Ž' => 0x8E,
        '‘' => 0x91,
        '’' => 0x92,
        '“' => 0x93,
        '”' => 0x94,
        '•' => 0x95,
        '–' => 0x96,
        '—' => 0x97,
        '˜' => 0x98,
        '™' => 0x99,
        'š' => 0x9A,
        '›' => 0x9B,
        'œ' => 0x9C,
        'ž' => 0x9E,
        'Ÿ' => 0x9F,
        _ => return None,
    })
}

/// Breaks WinAnsi text into lines no wider than `width`: at spaces, at newlines, and inside a
/// word too long for a line. Always at least one line.
fn wrap(text: &[u8], font: Font, size: f32, width: f32) -> Vec<Vec<u8>> {
    let mut lines = Vec::new();
    for paragraph in text.split(|&b| b == b'\n') {
        let mut line: Vec<u8> = Vec::new();
        for word in paragraph.split(|&b| b == b' ').filter(|w| !w.is_empty()) {
            if !line.is_empty() {
                let mut candidate = line.clone();
                candidate.push(b' ');
                candidate.extend_from_slice(word);
                if text_width(&candidate, font, size) <= width {
                    line = candidate;
                    continue;
                }
                lines.push(std::mem::take(&mut line));
            }
            // Start a line with this word, breaking it if it is wider than a line.
            for &b in word {
                line.push(b);
                if line.len() > 1 && text_width(&line, font, size) > width {
                    line.pop();
                    lines.push(std::mem::replace(&mut line, vec![b]));
                }
            }
        }
        lines.push(line);
    }
    lines
}

/// Lines of WinAnsi text.
type Lines = Vec<Vec<u8>>;

/// Keeps at most `max` lines, marking a cut with "...".
fn cap_lines(mut lines: Vec<Vec<u8>>, max: usize) -> Vec<Vec<u8>> {
    let max = max.max(1);
    if lines.len() > max {
        lines.truncate(max);
        if let Some(last) = lines.last_mut() {
            last.extend_from_slice(b"...");
        }
    }
    lines
}

/// A PDF literal string: `( ) \` escaped, other bytes as they are.
fn pdf_string(text: &[u8]) -> Vec<u8> {
    let mut out = Vec::with_capacity(text.len() + 2);
    out.push(b'(');
    for &b in text {
        if matches!(b, b'(' | b')' | b'\\') {
            out.push(b'\\');
        }
        out.push(b);
    }
    out.push(b')');
    out
}

/// The pages being laid out: a content stream per page and the current position.
struct Layout {
    pages: Vec<Vec<u8>>,
    y: f32,
}

impl Layout {
    fn new() -> Layout {
        Layout {
            pages: vec![Vec::new()],
            y: TOP,
        }
    }

    fn page(&mut self) -> &mut Vec<u8> {
        self.pages.last_mut().expect("a layout always has a page")
    }

    fn new_page(&mut self) {
        self.pages.push(Vec::new());
        self.y = TOP;
    }

    /// Starts a new page unless `height` fits below the current position (or the page is new).
    fn ensure(&mut self, height: f32) {
        if self.y - height < BOTTOM && self.y < TOP {
            self.new_page();
        }
    }

    /// Text with its baseline at `y`, in grey `gray` (0 black, 1 white).
    fn text(&mut self, x: f32, y: f32, font: Font, size: f32, gray: f32, text: &[u8]) {
        push_text(self.page(), x, y, font, size, gray, text);
    }

    fn rule(&mut self, x1: f32, y1: f32, x2: f32, y2: f32, width: f32) {
        let _ = writeln!(
            Pdf(self.page()),
            "{width:.2} w {x1:.2} {y1:.2} m {x2:.2} {y2:.2} l S"
        );
    }

    fn fill(&mut self, x: f32, y: f32, w: f32, h: f32, gray: f32) {
        let _ = writeln!(
            Pdf(self.page()),
            "{gray:.2} g {x:.2} {y:.2} {w:.2} {h:.2} re f 0 g"
        );
    }

    /// Wrapped text across the content width, a line at a time, breaking pages as needed.
    fn block(&mut self, text: &str, font: Font, size: f32, leading: f32, gray: f32) {
        for line in wrap(&win_ansi(text), font, size, CONTENT_WIDTH) {
            self.ensure(leading);
            self.text(MARGIN, self.y - size, font, size, gray, &line);
            self.y -= leading;
        }
    }
}

/// Shows text with its baseline at (`x`, `y`) in grey `gray` (0 black, 1 white).
fn push_text(page: &mut Vec<u8>, x: f32, y: f32, font: Font, size: f32, gray: f32, text: &[u8]) {
    let _ = write!(
        Pdf(page),
        "BT {} {size:.1} Tf {gray:.2} g {x:.2} {y:.2} Td ",
        font.resource()
    );
    page.extend_from_slice(&pdf_string(text));
    page.extend_from_slice(b" Tj ET\n");
}

/// `fmt::Write` into a content stream's bytes.
struct Pdf<'a>(&'a mut Vec<u8>);

impl std::fmt::Write for Pdf<'_> {
    fn write_str(&mut self, s: &str) -> std::fmt::Result {
        self.0.extend_from_slice(s.as_bytes());
        Ok(())
    }
}

/// The document as a PDF 1.4 file of A4 pages, in the standard Helvetica fonts, numbered
/// "Page N of M" at the foot. The output depends only on the document.
pub fn pdf(doc: &PdfDocument) -> Vec<u8> {
    let mut layout = Layout::new();
    layout.block(&doc.title, Font::Bold, 18.0, 23.0, 0.0);
    if !doc.subtitle.is_empty() {
        layout.y -= 2.0;
        layout.block(&doc.subtitle, Font::Regular, 11.0, 14.0, 0.35);
    }
    layout.y -= 6.0;
    let y = layout.y;
    layout.rule(MARGIN, y, PAGE_WIDTH - MARGIN, y, 1.0);
    layout.y -= 12.0;

    for section in &doc.sections {
        match section {
            PdfSection::Heading(text) => {
                layout.y -= 6.0;
                // Keep a heading with at least two lines of what follows.
                layout.ensure(18.0 + 2.0 * 13.0);
                layout.block(text, Font::Bold, 13.0, 18.0, 0.0);
                layout.y -= 2.0;
            }
            PdfSection::Paragraph(text) => {
                layout.block(text, Font::Regular, 10.0, 13.0, 0.0);
                layout.y -= 7.0;
            }
            PdfSection::KeyValues(pairs) => {
                key_values(&mut layout, pairs);
                layout.y -= 7.0;
            }
            PdfSection::Table(table) => {
                pdf_table(&mut layout, table);
                layout.y -= 12.0;
            }
        }
    }

    let count = layout.pages.len();
    let mut pages = layout.pages;
    for (i, page) in pages.iter_mut().enumerate() {
        let footer = format!("Page {} of {count}", i + 1);
        let bytes = footer.as_bytes();
        let x = (PAGE_WIDTH - text_width(bytes, Font::Regular, 8.0)) / 2.0;
        push_text(page, x, 30.0, Font::Regular, 8.0, 0.35, bytes);
    }
    assemble(&pages, &doc.title)
}

fn key_values(layout: &mut Layout, pairs: &[(String, String)]) {
    const SIZE: f32 = 10.0;
    const LEADING: f32 = 13.0;
    let keys: Vec<Vec<u8>> = pairs.iter().map(|(k, _)| win_ansi(k)).collect();
    let widest = keys
        .iter()
        .map(|k| text_width(k, Font::Bold, SIZE))
        .fold(0.0, f32::max);
    let key_width = (widest + 12.0).min(CONTENT_WIDTH * 0.4);
    let value_width = CONTENT_WIDTH - key_width;
    let max_lines = ((TOP - BOTTOM) / LEADING) as usize;
    for (key, (_, value)) in keys.iter().zip(pairs) {
        let key_lines = cap_lines(wrap(key, Font::Bold, SIZE, key_width - 12.0), max_lines);
        let value_lines = cap_lines(
            wrap(&win_ansi(value), Font::Regular, SIZE, value_width),
            max_lines,
        );
        let height = key_lines.len().max(value_lines.len()) as f32 * LEADING;
        layout.ensure(height);
        let top = layout.y;
        for (i, line) in key_lines.iter().enumerate() {
            let y = top - SIZE - i as f32 * LEADING;
            layout.text(MARGIN, y, Font::Bold, SIZE, 0.0, line);
        }
        for (i, line) in value_lines.iter().enumerate() {
            let y = top - SIZE - i as f32 * LEADING;
            layout.text(MARGIN + key_width, y, Font::Regular, SIZE, 0.0, line);
        }
        layout.y = top - height - 3.0;
    }
}

/// Column widths filling the content width: each column's natural width if all fit, else
/// narrow columns keep theirs and wide ones share the rest in proportion.
fn column_widths(natural: &[f32], available: f32) -> Vec<f32> {
    let total: f32 = natural.iter().sum();
    if total <= available {
        return natural.iter().map(|w| w * available / total).collect();
    }
    let mut fixed: Vec<Option<f32>> = vec![None; natural.len()];
    loop {
        let free = available - fixed.iter().flatten().sum::<f32>();
        let open = fixed.iter().filter(|f| f.is_none()).count();
        if open == 0 {
            return natural.to_vec();
        }
        let fair = free / open as f32;
        let mut changed = false;
        for (w, f) in natural.iter().zip(fixed.iter_mut()) {
            if f.is_none() && *w <= fair {
                *f = Some(*w);
                changed = true;
            }
        }
        if !changed {
            let flexible: f32 = natural
                .iter()
                .zip(&fixed)
                .filter(|(_, f)| f.is_none())
                .map(|(w, _)| w)
                .sum();
            return natural
                .iter()
                .zip(&fixed)
                .map(|(w, f)| f.unwrap_or(free * w / flexible))
                .collect();
        }
    }
}

/// The text a table cell shows in print.
fn printed(cell: &Cell) -> String {
    match cell {
        Cell::Text(text) => text.clone(),
        Cell::Integer(n) => n.to_string(),
        Cell::Decimal(d) => d.to_string(),
        Cell::Pence(p) => pounds_display(*p),
        Cell::Date(d) => d.format("%Y-%m-%d").to_string(),
        Cell::Empty => String::new(),
    }
}

fn pdf_table(layout: &mut Layout, table: &Table) {
    const SIZE: f32 = 9.0;
    const LEADING: f32 = 11.0;
    const PAD_X: f32 = 4.0;
    const PAD_Y: f32 = 3.0;
    let columns = table
        .rows
        .iter()
        .map(Vec::len)
        .chain([table.columns.len()])
        .max()
        .unwrap_or(0);
    if !table.title.is_empty() {
        layout.y -= 4.0;
        layout.ensure(16.0 + 3.0 * (LEADING + 2.0 * PAD_Y));
        layout.block(&table.title, Font::Bold, 11.0, 16.0, 0.0);
    }
    if columns == 0 {
        return;
    }

    let header: Vec<Vec<u8>> = (0..columns)
        .map(|c| {
            table
                .columns
                .get(c)
                .map(|h| win_ansi(h))
                .unwrap_or_default()
        })
        .collect();
    let body: Vec<Vec<(Vec<u8>, bool)>> = table
        .rows
        .iter()
        .map(|row| {
            (0..columns)
                .map(|c| match row.get(c) {
                    Some(cell) => (win_ansi(&printed(cell)), cell.is_number()),
                    None => (Vec::new(), false),
                })
                .collect()
        })
        .collect();
    let natural: Vec<f32> = (0..columns)
        .map(|c| {
            let widest = body
                .iter()
                .map(|row| text_width(&row[c].0, Font::Regular, SIZE))
                .fold(text_width(&header[c], Font::Bold, SIZE), f32::max);
            widest.min(CONTENT_WIDTH) + 2.0 * PAD_X + 1.0
        })
        .collect();
    let widths = column_widths(&natural, CONTENT_WIDTH);
    let mut edges = vec![MARGIN];
    for w in &widths {
        edges.push(edges[edges.len() - 1] + w);
    }

    let wrap_cell = |text: &[u8], font: Font, c: usize| {
        wrap(text, font, SIZE, (widths[c] - 2.0 * PAD_X).max(SIZE))
    };
    let header_lines: Vec<Vec<Vec<u8>>> = (0..columns)
        .map(|c| cap_lines(wrap_cell(&header[c], Font::Bold, c), 4))
        .collect();
    let lines_height = |cells: &[Vec<Vec<u8>>]| {
        cells.iter().map(Vec::len).max().unwrap_or(1) as f32 * LEADING + 2.0 * PAD_Y
    };
    let header_height = lines_height(&header_lines);
    let max_lines = ((TOP - BOTTOM - header_height - 2.0 * PAD_Y) / LEADING) as usize;

    let draw_row = |layout: &mut Layout, cells: &[Vec<Vec<u8>>], numeric: &[bool], font: Font| {
        let height = lines_height(cells);
        let top = layout.y;
        let bottom = top - height;
        if font == Font::Bold {
            layout.fill(edges[0], bottom, edges[columns] - edges[0], height, 0.9);
        }
        for (c, lines) in cells.iter().enumerate() {
            for (i, line) in lines.iter().enumerate() {
                let y = top - PAD_Y - SIZE * 0.8 - 1.0 - i as f32 * LEADING;
                let x = if numeric[c] {
                    edges[c + 1] - PAD_X - text_width(line, font, SIZE)
                } else {
                    edges[c] + PAD_X
                };
                layout.text(x, y, font, SIZE, 0.0, line);
            }
        }
        let weight = if font == Font::Bold { 0.9 } else { 0.4 };
        layout.rule(edges[0], top, edges[columns], top, 0.4);
        layout.rule(edges[0], bottom, edges[columns], bottom, weight);
        for &x in &edges {
            layout.rule(x, top, x, bottom, 0.4);
        }
        layout.y = bottom;
    };
    // A heading is right-aligned over a column of numbers.
    let number_columns: Vec<bool> = (0..columns)
        .map(|c| {
            let filled = || {
                table
                    .rows
                    .iter()
                    .filter_map(|row| row.get(c))
                    .filter(|cell| **cell != Cell::Empty)
            };
            filled().next().is_some() && filled().all(Cell::is_number)
        })
        .collect();

    let rows: Vec<(Vec<Lines>, Vec<bool>)> = body
        .iter()
        .map(|row| {
            let lines = row
                .iter()
                .enumerate()
                .map(|(c, (text, _))| cap_lines(wrap_cell(text, Font::Regular, c), max_lines))
                .collect();
            (lines, row.iter().map(|(_, n)| *n).collect())
        })
        .collect();

    let first_height = rows.first().map_or(0.0, |(lines, _)| lines_height(lines));
    layout.ensure(header_height + first_height);
    draw_row(layout, &header_lines, &number_columns, Font::Bold);
    for (lines, numeric) in &rows {
        let height = lines_height(lines);
        if layout.y - height < BOTTOM {
            layout.new_page();
            draw_row(layout, &header_lines, &number_columns, Font::Bold);
        }
        draw_row(layout, lines, numeric, Font::Regular);
    }
}

/// A PDF text string in UTF-16BE with a byte order mark, for document properties.
fn pdf_text_string(text: &str) -> String {
    let mut out = String::from("<FEFF");
    for unit in text.encode_utf16() {
        let _ = write!(out, "{unit:04X}");
    }
    out.push('>');
    out
}

/// Writes the objects, the cross-reference table and the trailer.
fn assemble(pages: &[Vec<u8>], title: &str) -> Vec<u8> {
    // 1 catalog, 2 page tree, 3 and 4 fonts, 5 document information, then for each page its
    // page object and its content stream.
    let count = pages.len();
    let mut objects: Vec<Vec<u8>> = vec![
        b"<< /Type /Catalog /Pages 2 0 R >>".to_vec(),
        format!(
            "<< /Type /Pages /Kids [{}] /Count {count} >>",
            (0..count)
                .map(|i| format!("{} 0 R", 6 + 2 * i))
                .collect::<Vec<_>>()
                .join(" ")
        )
        .into_bytes(),
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /Encoding /WinAnsiEncoding >>"
            .to_vec(),
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica-Bold /Encoding /WinAnsiEncoding >>"
            .to_vec(),
        format!(
            "<< /Title {} /Producer (Tenpa) /Creator (Tenpa) >>",
            pdf_text_string(title)
        )
        .into_bytes(),
    ];
    for (i, content) in pages.iter().enumerate() {
        objects.push(
            format!(
                "<< /Type /Page /Parent 2 0 R /MediaBox [0 0 {PAGE_WIDTH} {PAGE_HEIGHT}] \
                 /Resources << /Font << /F1 3 0 R /F2 4 0 R >> >> /Contents {} 0 R >>",
                7 + 2 * i
            )
            .into_bytes(),
        );
        let mut stream = format!("<< /Length {} >>\nstream\n", content.len()).into_bytes();
        stream.extend_from_slice(content);
        stream.extend_from_slice(b"\nendstream");
        objects.push(stream);
    }

    let mut out: Vec<u8> = b"%PDF-1.4\n%\xE2\xE3\xCF\xD3\n".to_vec();
    let mut offsets = Vec::with_capacity(objects.len());
    for (i, object) in objects.iter().enumerate() {
        offsets.push(out.len());
        out.extend_from_slice(format!("{} 0 obj\n", i + 1).as_bytes());
        out.extend_from_slice(object);
        out.extend_from_slice(b"\nendobj\n");
    }
    let xref = out.len();
    let mut table = format!("xref\n0 {}\n0000000000 65535 f \n", objects.len() + 1);
    for offset in offsets {
        let _ = writeln!(table, "{offset:010} 00000 n ");
    }
    let _ = write!(
        table,
        "trailer\n<< /Size {} /Root 1 0 R /Info 5 0 R >>\nstartxref\n{xref}\n%%EOF\n",
        objects.len() + 1
    );
    out.extend_from_slice(table.as_bytes());
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::BTreeMap;
    use std::str::FromStr;

    fn date(y: i32, m: u32, d: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, d).unwrap()
    }

    fn time(h: u32, m: u32) -> NaiveTime {
        NaiveTime::from_hms_opt(h, m, 0).unwrap()
    }

    fn sample_table() -> Table {
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

    /// Unfolds an iCalendar text and splits it into (name with parameters, value) lines.
    fn unfold(ics: &str) -> Vec<(String, String)> {
        ics.replace("\r\n ", "")
            .split("\r\n")
            .filter(|l| !l.is_empty())
            .map(|l| {
                let (name, value) = l.split_once(':').unwrap();
                (name.to_string(), value.to_string())
            })
            .collect()
    }

    /// The VEVENTs of an iCalendar text, each as a map of its properties.
    fn vevents(ics: &str) -> Vec<BTreeMap<String, String>> {
        let mut events = Vec::new();
        let mut current: Option<BTreeMap<String, String>> = None;
        for (name, value) in unfold(ics) {
            match (name.as_str(), value.as_str()) {
                ("BEGIN", "VEVENT") => current = Some(BTreeMap::new()),
                ("END", "VEVENT") => events.push(current.take().unwrap()),
                _ => {
                    if let Some(event) = current.as_mut() {
                        event.insert(name, value);
                    }
                }
            }
        }
        events
    }

    fn event(day: Weekday, start: NaiveTime, end: NaiveTime, summary: &str) -> TimetableEvent {
        TimetableEvent {
            day,
            start,
            end,
            summary: summary.into(),
            location: String::new(),
            description: String::new(),
            weeks: None,
        }
    }

    fn stamp() -> NaiveDateTime {
        date(2025, 3, 1).and_hms_opt(9, 30, 0).unwrap()
    }

    #[test]
    fn ics_lines_are_crlf_folded_and_escaped() {
        let long = "Théâtre — a very long description that goes on and on, with commas; semicolons \\ backslashes and\nnew lines, until it is far longer than seventy-five octets: ééééééééééééééééééé";
        let mut clinic = event(
            Weekday::Tue,
            time(9, 0),
            time(13, 0),
            "Clinic, room 4; Dr A",
        );
        clinic.location = "Outpatients\\Block B".into();
        clinic.description = long.into();
        let text = ics(
            "Dr A, job plan",
            "jp7-",
            date(2025, 4, 2),
            &[clinic],
            stamp(),
        );

        assert!(text.ends_with("\r\n"));
        assert!(!text.replace("\r\n", "").contains('\n'), "a bare LF");
        assert!(!text.replace("\r\n", "").contains('\r'), "a bare CR");
        for line in text.split("\r\n") {
            assert!(line.len() <= 75, "{} octets: {line}", line.len());
        }
        assert!(text.contains("\r\n "), "the long description is folded");

        let lines = unfold(&text);
        let get = |name: &str| {
            lines
                .iter()
                .find(|(n, _)| n == name)
                .map(|(_, v)| v.clone())
                .unwrap()
        };
        assert_eq!(get("X-WR-CALNAME"), "Dr A\\, job plan");
        assert_eq!(get("PRODID"), "-//Tenpa//Job plan//EN");
        assert_eq!(get("VERSION"), "2.0");
        assert_eq!(get("CALSCALE"), "GREGORIAN");
        assert_eq!(get("SUMMARY"), "Clinic\\, room 4\\; Dr A");
        assert_eq!(get("LOCATION"), "Outpatients\\\\Block B");
        let description = get("DESCRIPTION");
        assert!(description.contains("\\; semicolons \\\\ backslashes and\\nnew lines"));
        assert!(description.ends_with("ééééééééééééééééééé"));
        // Unescaping the unfolded value gives the original text back.
        let unescaped = description
            .replace("\\n", "\n")
            .replace("\\,", ",")
            .replace("\\;", ";")
            .replace("\\\\", "\\");
        assert_eq!(unescaped, long);
        assert_eq!(get("UID"), "jp7-0@tenpa");
        assert_eq!(get("DTSTAMP"), "20250301T093000Z");
    }

    #[test]
    fn ics_has_a_london_time_zone() {
        let text = ics("Plan", "p", date(2025, 4, 2), &[], stamp());
        let lines = unfold(&text);
        let has = |name: &str, value: &str| lines.iter().any(|(n, v)| n == name && v == value);
        assert!(has("BEGIN", "VTIMEZONE"));
        assert!(has("TZID", "Europe/London"));
        assert!(has("BEGIN", "DAYLIGHT"));
        assert!(has("RRULE", "FREQ=YEARLY;BYMONTH=3;BYDAY=-1SU"));
        assert!(has("RRULE", "FREQ=YEARLY;BYMONTH=10;BYDAY=-1SU"));
        assert!(has("DTSTART", "19700329T010000"));
        assert!(has("DTSTART", "19701025T020000"));
        // Those anchors are the last Sundays of March and October 1970.
        assert_eq!(date(1970, 3, 29).weekday(), Weekday::Sun);
        assert_eq!(date(1970, 10, 25).weekday(), Weekday::Sun);
        assert_eq!(date(1970, 11, 1).weekday(), Weekday::Sun);
        assert!(text.starts_with("BEGIN:VCALENDAR\r\n"));
        assert!(text.ends_with("END:VCALENDAR\r\n"));
        assert!(vevents(&text).is_empty());
    }

    #[test]
    fn ics_events_start_at_their_first_occurrence_and_recur() {
        let wednesday = date(2025, 4, 2);
        assert_eq!(wednesday.weekday(), Weekday::Wed);
        let monday = event(Weekday::Mon, time(8, 30), time(12, 30), "Theatre");
        let thursday = event(Weekday::Thu, time(13, 0), time(17, 0), "Clinic");
        let mut fortnightly = event(Weekday::Mon, time(14, 0), time(17, 0), "MDT");
        fortnightly.weeks = Some((2, vec![2]));
        let mut week_one = event(Weekday::Mon, time(9, 0), time(10, 0), "Audit");
        week_one.weeks = Some((2, vec![1]));
        let mut on_call = event(Weekday::Fri, time(17, 0), time(8, 0), "On call");
        on_call.weeks = Some((4, vec![1, 3]));
        let mut every = event(Weekday::Wed, time(9, 0), time(12, 0), "Teaching");
        every.weeks = Some((2, vec![1, 2]));
        let mut never = event(Weekday::Wed, time(9, 0), time(12, 0), "Never");
        never.weeks = Some((3, vec![]));

        let text = ics(
            "Plan",
            "p",
            wednesday,
            &[
                monday,
                thursday,
                fortnightly,
                week_one,
                on_call,
                every,
                never,
            ],
            stamp(),
        );
        let events = vevents(&text);
        let by_uid: BTreeMap<&str, &BTreeMap<String, String>> =
            events.iter().map(|e| (e["UID"].as_str(), e)).collect();
        assert_eq!(
            by_uid.keys().copied().collect::<Vec<_>>(),
            [
                "p0@tenpa",
                "p1@tenpa",
                "p2@tenpa",
                "p3@tenpa",
                "p4-w1@tenpa",
                "p4-w3@tenpa",
                "p5@tenpa"
            ]
        );
        let start = |uid: &str| by_uid[uid]["DTSTART;TZID=Europe/London"].clone();
        let end = |uid: &str| by_uid[uid]["DTEND;TZID=Europe/London"].clone();
        let rule = |uid: &str| by_uid[uid]["RRULE"].clone();

        // A Monday activity, from a Wednesday: the following Monday, weekly.
        assert_eq!(start("p0@tenpa"), "20250407T083000");
        assert_eq!(end("p0@tenpa"), "20250407T123000");
        assert_eq!(rule("p0@tenpa"), "FREQ=WEEKLY");
        // A Thursday activity: the next day.
        assert_eq!(start("p1@tenpa"), "20250403T130000");
        // Week 2 of a 2-week cycle: the Monday of the second week, every other week.
        assert_eq!(start("p2@tenpa"), "20250407T140000");
        assert_eq!(rule("p2@tenpa"), "FREQ=WEEKLY;INTERVAL=2");
        // Week 1's Monday is before `from`, so the first is a cycle later, in week 3.
        assert_eq!(start("p3@tenpa"), "20250414T090000");
        assert_eq!(rule("p3@tenpa"), "FREQ=WEEKLY;INTERVAL=2");
        // Weeks 1 and 3 of a 4-week cycle, ending after midnight on the next day.
        assert_eq!(start("p4-w1@tenpa"), "20250404T170000");
        assert_eq!(end("p4-w1@tenpa"), "20250405T080000");
        assert_eq!(start("p4-w3@tenpa"), "20250418T170000");
        assert_eq!(end("p4-w3@tenpa"), "20250419T080000");
        assert_eq!(rule("p4-w3@tenpa"), "FREQ=WEEKLY;INTERVAL=4");
        // Every week of the cycle is simply weekly; on `from` itself counts.
        assert_eq!(start("p5@tenpa"), "20250402T090000");
        assert_eq!(rule("p5@tenpa"), "FREQ=WEEKLY");
        for e in &events {
            assert_eq!(e["DTSTAMP"], "20250301T093000Z");
        }
    }

    #[test]
    fn folding_never_splits_a_character() {
        for prefix in 0..4 {
            let line = format!("{}{}", "x".repeat(prefix), "€".repeat(60));
            let mut out = String::new();
            push_folded(&mut out, &line);
            for physical in out.split("\r\n") {
                assert!(physical.len() <= 75);
            }
            assert_eq!(out.replace("\r\n ", ""), format!("{line}\r\n"));
        }
    }

    fn long_document(rows: usize) -> PdfDocument {
        let mut table = Table {
            title: "Team job plans → 2025".into(),
            columns: vec![
                "Consultant".into(),
                "Specialty".into(),
                "PAs".into(),
                "Pay".into(),
                "Review due".into(),
            ],
            rows: Vec::new(),
        };
        for i in 0..rows {
            table.rows.push(vec![
                Cell::Text(format!("Dr Consultant (number {i})")),
                Cell::Text("Trauma and orthopaedics".into()),
                Cell::Decimal(Decimal::from_str("10.75").unwrap()),
                Cell::Pence(12_345_678 + i as i64),
                Cell::Date(date(2026, 1, 1)),
            ]);
        }
        PdfDocument {
            title: "Job plan: Dr Zoë Smith (draft)".into(),
            subtitle: "Surgical directorate, 2025/26".into(),
            sections: vec![
                PdfSection::Heading("Summary".into()),
                PdfSection::KeyValues(vec![
                    ("Consultant".into(), "Dr Zoë Smith".into()),
                    ("Basic pay".into(), "£105,504 a year".into()),
                ]),
                PdfSection::Paragraph("This job plan was agreed at the annual review. ".repeat(20)),
                PdfSection::Table(table),
            ],
        }
    }

    fn page_texts(bytes: &[u8]) -> (lopdf::Document, Vec<String>) {
        let doc = lopdf::Document::load_mem(bytes).unwrap();
        let pages = doc.get_pages().len() as u32;
        let texts = (1..=pages)
            .map(|p| doc.extract_text(&[p]).unwrap())
            .collect();
        (doc, texts)
    }

    /// Checks every entry of the cross-reference table points at its object.
    fn assert_xref_valid(bytes: &[u8]) {
        let tail_at = bytes.len() - 40;
        let tail = std::str::from_utf8(&bytes[tail_at..]).unwrap();
        let start: usize = tail
            .rsplit_once("startxref\n")
            .unwrap()
            .1
            .lines()
            .next()
            .unwrap()
            .parse()
            .unwrap();
        assert!(bytes[start..].starts_with(b"xref\n0 "));
        let table = std::str::from_utf8(&bytes[start..]).unwrap();
        let mut lines = table.lines().skip(1);
        let count: usize = lines.next().unwrap()[2..].parse().unwrap();
        assert_eq!(lines.next().unwrap(), "0000000000 65535 f ");
        for number in 1..count {
            let entry = lines.next().unwrap();
            assert_eq!(entry.len(), 19, "{entry:?}");
            let offset: usize = entry[..10].parse().unwrap();
            assert!(
                bytes[offset..].starts_with(format!("{number} 0 obj\n").as_bytes()),
                "object {number}"
            );
        }
        assert!(lines.next().unwrap().starts_with("trailer"));
    }

    #[test]
    fn pdf_parses_with_text_footer_and_pound_sign() {
        let bytes = pdf(&long_document(5));
        assert!(bytes.starts_with(b"%PDF-1.4"));
        assert!(bytes.ends_with(b"%%EOF\n"));
        assert_xref_valid(&bytes);
        let (doc, texts) = page_texts(&bytes);
        assert_eq!(texts.len(), 1);
        assert!(
            texts[0].contains("Job plan: Dr Zoë Smith (draft)"),
            "{}",
            texts[0]
        );
        assert!(texts[0].contains("Page 1 of 1"));
        assert!(texts[0].contains("£105,504 a year"));
        assert!(texts[0].contains("£123,456.78"));
        assert!(texts[0].contains("Team job plans -> 2025"));
        // The pound sign is WinAnsi 0xA3 in the content stream.
        let content = doc.get_page_content(doc.get_pages()[&1]);
        assert!(content.contains(&0xA3));
        // Document properties.
        let info = doc
            .get_dictionary(doc.trailer.get(b"Info").unwrap().as_reference().unwrap())
            .unwrap();
        assert_eq!(info.get(b"Producer").unwrap().as_str().unwrap(), b"Tenpa");
        let title = info.get(b"Title").unwrap().as_str().unwrap();
        let units: Vec<u16> = title[2..]
            .chunks(2)
            .map(|p| u16::from_be_bytes([p[0], p[1]]))
            .collect();
        assert_eq!(
            String::from_utf16(&units).unwrap(),
            "Job plan: Dr Zoë Smith (draft)"
        );
    }

    #[test]
    fn pdf_long_tables_run_over_pages_with_the_header_repeated() {
        let (_, short) = page_texts(&pdf(&long_document(10)));
        let bytes = pdf(&long_document(200));
        assert_xref_valid(&bytes);
        let (_, texts) = page_texts(&bytes);
        assert!(texts.len() > short.len());
        assert!(texts.len() >= 4, "{} pages", texts.len());
        let n = texts.len();
        for (i, text) in texts.iter().enumerate() {
            assert!(
                text.contains(&format!("Page {} of {n}", i + 1)),
                "page {}",
                i + 1
            );
            assert!(text.contains("Consultant"), "header on page {}", i + 1);
            assert!(text.contains("Review due"), "header on page {}", i + 1);
        }
        // Every row is printed exactly once, in order.
        let all = texts.join("\n");
        let mut last = 0;
        for i in 0..200 {
            let needle = format!("(number {i})");
            assert_eq!(all.matches(&needle).count(), 1, "{needle}");
            let at = all.find(&needle).unwrap();
            assert!(at >= last);
            last = at;
        }
    }

    #[test]
    fn pdf_escapes_strings_and_maps_characters() {
        assert_eq!(pdf_string(b"a(b)c\\d"), b"(a\\(b\\)c\\\\d)".to_vec());
        assert_eq!(
            win_ansi("£5 → é€—x\u{1F600}"),
            b"\xA35 -> \xE9\x80\x97x?".to_vec()
        );
        assert_eq!(win_ansi("a\r\nb\tc\u{7}"), b"a\nb c".to_vec());
        let doc = PdfDocument {
            title: "Brackets (and) back\\slash".into(),
            subtitle: String::new(),
            sections: vec![PdfSection::Paragraph("Unbalanced ( here".into())],
        };
        let (_, texts) = page_texts(&pdf(&doc));
        assert!(
            texts[0].contains("Brackets (and) back\\slash"),
            "{}",
            texts[0]
        );
        assert!(texts[0].contains("Unbalanced ( here"));
    }

    #[test]
    fn helvetica_widths_and_wrapping() {
        // From the AFM: "Tenpa" = T 611 + e 556 + n 556 + p 556 + a 556.
        assert!((text_width(b"Tenpa", Font::Regular, 1000.0) - 2835.0).abs() < 0.01);
        assert!((text_width(b"W", Font::Bold, 10.0) - 9.44).abs() < 0.001);
        assert!((text_width(b"\xA3", Font::Regular, 1000.0) - 556.0).abs() < 0.01);
        let text = b"the quick brown fox jumps over the lazy dog ".repeat(10);
        let lines = wrap(&text, Font::Regular, 10.0, 200.0);
        assert!(lines.len() > 3);
        for line in &lines {
            assert!(text_width(line, Font::Regular, 10.0) <= 200.0);
        }
        let words: Vec<&[u8]> = text
            .split(|&b| b == b' ')
            .filter(|w| !w.is_empty())
            .collect();
        let rewrapped: Vec<Vec<u8>> = lines
            .join(&b' ')
            .split(|&b| b == b' ')
            .map(<[u8]>::to_vec)
            .collect();
        assert_eq!(
            rewrapped,
            words.iter().map(|w| w.to_vec()).collect::<Vec<_>>()
        );
        // A word longer than the line is broken.
        let long = wrap(&b"x".repeat(200), Font::Regular, 10.0, 100.0);
        assert!(long.len() > 1);
        assert!(long
            .iter()
            .all(|l| text_width(l, Font::Regular, 10.0) <= 100.0));
        assert_eq!(long.concat().len(), 200);
    }

    #[test]
    fn column_widths_fill_the_page_and_share_fairly() {
        let widths = column_widths(&[50.0, 50.0], 400.0);
        assert_eq!(widths, vec![200.0, 200.0]);
        let widths = column_widths(&[40.0, 1000.0, 1000.0], 400.0);
        assert_eq!(widths[0], 40.0);
        assert!((widths[1] - 180.0).abs() < 0.01);
        assert!((widths.iter().sum::<f32>() - 400.0).abs() < 0.01);
    }
}
