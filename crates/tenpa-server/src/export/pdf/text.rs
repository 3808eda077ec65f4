//! Text in print: WinAnsi encoding, Helvetica's widths, line breaking and PDF strings.

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
pub(super) enum Font {
    Regular,
    Bold,
}

impl Font {
    pub(super) fn resource(self) -> &'static str {
        match self {
            Font::Regular => "/F1",
            Font::Bold => "/F2",
        }
    }
}

/// The width in points of WinAnsi-encoded text.
pub(super) fn text_width(text: &[u8], font: Font, size: f32) -> f32 {
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
pub(super) fn win_ansi(text: &str) -> Vec<u8> {
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
pub(super) fn wrap(text: &[u8], font: Font, size: f32, width: f32) -> Vec<Vec<u8>> {
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
pub(super) type Lines = Vec<Vec<u8>>;

/// Keeps at most `max` lines, marking a cut with "...".
pub(super) fn cap_lines(mut lines: Vec<Vec<u8>>, max: usize) -> Vec<Vec<u8>> {
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
pub(super) fn pdf_string(text: &[u8]) -> Vec<u8> {
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

#[cfg(test)]
mod tests {
    use super::*;
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
}
