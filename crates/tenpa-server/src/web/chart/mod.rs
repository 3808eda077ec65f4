//! Charts drawn on the server as inline SVG: no JavaScript, no fonts of their own.
//!
//! Every chart is an `<svg role="img">` named by the `<title>` and `<desc>` inside it (through
//! `aria-labelledby`), has a `viewBox` so that it scales to its container, uses colours of the NHS
//! palette, and writes every value as text beside the mark that shows it, so that nothing is
//! told by colour alone. Pages show a table of the same figures beside each chart.
//!
//! Decimals become `f64` only to place marks in pixels; the figures shown are the callers' own
//! text or exact decimals.
//!
//! One file per kind of chart: `bars` (bars and 100% stacked bars), `gauge` (a figure against
//! its target) and `steps` (values over time); the palette, the sizes and the frame every chart
//! shares are here.

use rust_decimal::prelude::ToPrimitive;
mod bars;
mod gauge;
mod steps;
#[cfg(test)]
mod tests;

pub use self::bars::{bar_chart, stacked_bar_chart};
pub use self::gauge::{target_gauge, target_gauge_of};
pub use self::steps::step_chart;

use chrono::NaiveDate;
use maud::{html, Markup};
use rust_decimal::Decimal;

/// NHS blue.
pub const BLUE: &str = "#005eb8";
/// NHS dark blue.
pub const DARK_BLUE: &str = "#003087";
/// NHS green.
pub const GREEN: &str = "#007f3b";
/// NHS warm yellow.
pub const WARM_YELLOW: &str = "#ffb81c";
/// NHS red.
pub const RED: &str = "#d5281b";
/// NHS grey 1, for axes and secondary text (6.2:1 on white).
pub const GREY: &str = "#4c6272";
/// NHS pale grey, for tracks and grid lines.
pub const PALE_GREY: &str = "#d8dde0";
/// NHS text colour (15:1 on white).
pub const TEXT: &str = "#212b32";
/// White.
pub const WHITE: &str = "#ffffff";

/// Segment colours in order, each with a text colour that meets WCAG AA (4.5:1) on it.
const SERIES: [(&str, &str); 7] = [
    (BLUE, WHITE),
    (GREEN, WHITE),
    (WARM_YELLOW, TEXT),
    (RED, WHITE),
    (DARK_BLUE, WHITE),
    (GREY, WHITE),
    (PALE_GREY, TEXT),
];

/// Width of every chart in viewBox units.
const WIDTH: f64 = 640.0;
/// Font size in viewBox units.
const FONT: f64 = 14.0;
/// A generous estimate of the width of one character at [`FONT`].
const CHAR: f64 = 8.0;

/// One bar: a label, its value (exact decimal), and how to show the value ("£1,234", "85%").
#[derive(Debug, Clone, PartialEq)]
pub struct Bar {
    /// What the bar stands for, written to its left.
    pub label: String,
    /// Its value; the bars are scaled to the largest. Negative values draw no bar.
    pub value: Decimal,
    /// The value as shown to the right of the bar.
    pub shown: String,
}

/// One 100% stacked bar, e.g. one department's job plans by state.
#[derive(Debug, Clone, PartialEq)]
pub struct Stack {
    /// What the bar stands for, written above it.
    pub label: String,
    /// Each segment's label and count, in drawing order; negative counts count as 0.
    pub segments: Vec<(String, i64)>,
}

/// One point of a step chart: a value from a date on, e.g. a salary from a pay point's start.
#[derive(Debug, Clone, PartialEq)]
pub struct Point {
    /// The date the value takes effect.
    pub date: NaiveDate,
    /// The value, placed on the y axis.
    pub value: Decimal,
    /// The value as written beside its dot.
    pub label: String,
}

/// A number for an SVG attribute: at most 2 decimals, no trailing zeros, never NaN or infinite.
fn num(x: f64) -> String {
    if !x.is_finite() {
        return "0".into();
    }
    let s = format!("{:.2}", x);
    let s = s.trim_end_matches('0').trim_end_matches('.');
    if s == "-0" {
        "0".into()
    } else {
        s.into()
    }
}

/// A decimal as `f64` for placing marks; 0 when it does not fit.
fn f(d: Decimal) -> f64 {
    d.to_f64().filter(|x| x.is_finite()).unwrap_or(0.0)
}

/// `part / whole`, 0 when the whole is not positive, clamped to 0..=1.
fn ratio(part: f64, whole: f64) -> f64 {
    if whole > 0.0 && part.is_finite() && whole.is_finite() {
        (part / whole).clamp(0.0, 1.0)
    } else {
        0.0
    }
}

/// The estimated width of a text at [`FONT`].
fn text_width(s: &str) -> f64 {
    s.chars().count() as f64 * CHAR
}

/// An id safe in XML and CSS: letters, digits, `-` and `_`; others become `-`.
fn safe_id(id: &str) -> String {
    let s: String = id
        .chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() || c == '-' || c == '_' {
                c
            } else {
                '-'
            }
        })
        .collect();
    if s.starts_with(|c: char| c.is_ascii_alphabetic()) {
        s
    } else {
        format!("chart-{s}")
    }
}

/// A percentage for text: at most 2 decimals, no trailing zeros.
fn percent(d: Decimal) -> String {
    d.round_dp(2).normalize().to_string()
}

/// The `<svg>` element around a chart's body.
fn frame(id: &str, title: &str, description: &str, height: f64, body: Markup) -> Markup {
    let id = safe_id(id);
    let title_id = format!("{id}-title");
    let desc_id = format!("{id}-desc");
    html! {
        svg xmlns="http://www.w3.org/2000/svg" id=(id) class="tenpa-chart" role="img"
            aria-labelledby={ (title_id) " " (desc_id) }
            viewBox={ "0 0 " (num(WIDTH)) " " (num(height)) }
            font-family="Frutiger W01, Arial, Helvetica, sans-serif" font-size=(num(FONT)) {
            title id=(title_id) { (title) }
            desc id=(desc_id) { (description) }
            (body)
        }
    }
}

/// "No data" in the middle of an empty chart.
fn no_data(y: f64) -> Markup {
    html! {
        text class="no-data" x=(num(WIDTH / 2.0)) y=(num(y)) text-anchor="middle" fill=(GREY) { "No data" }
    }
}
