//! Printable documents as PDF files: the layout of pages and the file's objects.

mod table;
mod text;

use self::table::pdf_table;
use self::text::{cap_lines, pdf_string, text_width, win_ansi, wrap, Font};
use super::Table;
use std::fmt::Write as _;

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
    use super::super::tests::date;
    use super::super::Cell;
    use super::*;
    use rust_decimal::Decimal;
    use std::str::FromStr;

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
}
