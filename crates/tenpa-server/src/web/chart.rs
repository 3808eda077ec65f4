//! Charts drawn on the server as inline SVG: no JavaScript, no fonts of their own.
//!
//! Every chart is an `<svg role="img">` named by the `<title>` and `<desc>` inside it (through
//! `aria-labelledby`), has a `viewBox` so that it scales to its container, uses colours of the NHS
//! palette, and writes every value as text beside the mark that shows it, so that nothing is
//! told by colour alone. Pages show a table of the same figures beside each chart.
//!
//! Decimals become `f64` only to place marks in pixels; the figures shown are the callers' own
//! text or exact decimals.

use chrono::{Datelike, NaiveDate};
use maud::{html, Markup};
use rust_decimal::prelude::ToPrimitive;
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

/// Horizontal bars, label to the left, value text to the right of each bar, scaled to the largest
/// value. Empty input and all-zero values draw an empty chart without dividing by zero.
pub fn bar_chart(id: &str, title: &str, description: &str, bars: &[Bar]) -> Markup {
    const TOP: f64 = 8.0;
    const ROW: f64 = 32.0;
    const BAR: f64 = 20.0;
    if bars.is_empty() {
        return frame(id, title, description, 48.0, no_data(28.0));
    }
    let label_w = bars
        .iter()
        .map(|b| text_width(&b.label))
        .fold(0.0, f64::max)
        .clamp(48.0, 268.0)
        + 12.0;
    let value_w = bars
        .iter()
        .map(|b| text_width(&b.shown))
        .fold(0.0, f64::max)
        .clamp(32.0, 152.0)
        + 16.0;
    let area = WIDTH - label_w - value_w;
    let max = bars.iter().map(|b| f(b.value)).fold(0.0, f64::max);
    let height = TOP * 2.0 + ROW * bars.len() as f64;
    let body = html! {
        @for (i, b) in bars.iter().enumerate() {
            @let y = TOP + ROW * i as f64 + (ROW - BAR) / 2.0;
            @let w = area * ratio(f(b.value), max);
            @let baseline = y + BAR / 2.0 + FONT * 0.35;
            g class="bar-row" {
                title { (b.label) ": " (b.shown) }
                text x=(num(label_w - 8.0)) y=(num(baseline)) text-anchor="end" fill=(TEXT) { (b.label) }
                rect class="bar" x=(num(label_w)) y=(num(y)) width=(num(w)) height=(num(BAR)) fill=(BLUE) {}
                text class="value" x=(num(label_w + w + 6.0)) y=(num(baseline)) fill=(TEXT) { (b.shown) }
            }
        }
        line class="axis" x1=(num(label_w)) y1=(num(TOP / 2.0)) x2=(num(label_w)) y2=(num(height - TOP / 2.0)) stroke=(GREY) stroke-width="1" {}
    };
    frame(id, title, description, height, body)
}

/// "No data" in the middle of an empty chart.
fn no_data(y: f64) -> Markup {
    html! {
        text class="no-data" x=(num(WIDTH / 2.0)) y=(num(y)) text-anchor="middle" fill=(GREY) { "No data" }
    }
}

/// 100% stacked horizontal bars with a legend: each bar's label above it, each segment's count
/// inside it when it fits, and every segment's label, count and share written under the bar.
pub fn stacked_bar_chart(id: &str, title: &str, description: &str, stacks: &[Stack]) -> Markup {
    const PAD: f64 = 8.0;
    const LEGEND_ROW: f64 = 24.0;
    const STACK: f64 = 80.0;
    const BAR: f64 = 24.0;
    const LINE: f64 = 18.0;
    if stacks.is_empty() {
        return frame(id, title, description, 48.0, no_data(28.0));
    }
    // Legend: every segment label in order of first appearance, one colour each.
    let mut names: Vec<&str> = Vec::new();
    for s in stacks {
        for (name, _) in &s.segments {
            if !names.contains(&name.as_str()) {
                names.push(name);
            }
        }
    }
    let colour = |name: &str| {
        let i = names.iter().position(|n| *n == name).unwrap_or(0);
        SERIES[i % SERIES.len()]
    };
    let mut legend = Vec::new();
    let (mut x, mut row) = (PAD, 0usize);
    for name in &names {
        let w = 16.0 + 6.0 + text_width(name) + 16.0;
        if x + w > WIDTH - PAD && x > PAD {
            x = PAD;
            row += 1;
        }
        legend.push((x, PAD + LEGEND_ROW * row as f64, *name));
        x += w;
    }
    let legend_h = if names.is_empty() {
        0.0
    } else {
        LEGEND_ROW * (row + 1) as f64 + PAD
    };
    let bar_w = WIDTH - 2.0 * PAD;
    // Each bar's summary, wrapped to the chart's width; each bar as tall as its summary needs.
    let summaries: Vec<Vec<String>> = stacks.iter().map(|s| summary_lines(s, bar_w)).collect();
    let mut tops = Vec::with_capacity(stacks.len());
    let mut top = PAD + legend_h;
    for lines in &summaries {
        tops.push(top);
        top += STACK - LINE + LINE * lines.len() as f64;
    }
    let height = top;
    let body = html! {
        g class="legend" {
            @for (x, y, name) in &legend {
                @let (fill, _) = colour(name);
                rect x=(num(*x)) y=(num(*y)) width="16" height="16" fill=(fill) stroke=(GREY) stroke-width="1" {}
                text x=(num(x + 22.0)) y=(num(y + 13.0)) fill=(TEXT) { (name) }
            }
        }
        @for (i, s) in stacks.iter().enumerate() {
            @let top = tops[i];
            @let total: i64 = s.segments.iter().map(|(_, c)| (*c).max(0)).sum();
            g class="stack" {
                text x=(num(PAD)) y=(num(top + 14.0)) fill=(TEXT) font-weight="bold" {
                    (s.label) ": " (total) " in all"
                }
                rect class="track" x=(num(PAD)) y=(num(top + 22.0)) width=(num(bar_w)) height=(num(BAR)) fill=(WHITE) stroke=(PALE_GREY) stroke-width="1" {}
                @for (name, count, x0, x1) in segments(&s.segments, PAD, bar_w) {
                    @if count > 0 {
                        @let (fill, ink) = colour(name);
                        rect class="segment" x=(num(x0)) y=(num(top + 22.0)) width=(num(x1 - x0)) height=(num(BAR)) fill=(fill) stroke=(WHITE) stroke-width="1" {
                            title { (name) ": " (count) }
                        }
                        @if x1 - x0 >= text_width(&count.to_string()) + 8.0 {
                            text x=(num((x0 + x1) / 2.0)) y=(num(top + 22.0 + BAR / 2.0 + FONT * 0.35)) text-anchor="middle" fill=(ink) { (count) }
                        }
                    }
                }
                @for (j, line) in summaries[i].iter().enumerate() {
                    text class="summary" x=(num(PAD)) y=(num(top + 22.0 + BAR + 20.0 + LINE * j as f64)) fill=(TEXT) { (line) }
                }
            }
        }
    };
    frame(id, title, description, height, body)
}

/// A bar's summary ("Draft 1 (11%); Proposed 2 (22%); …") in lines no wider than `width`.
fn summary_lines(s: &Stack, width: f64) -> Vec<String> {
    let total: i64 = s.segments.iter().map(|(_, c)| (*c).max(0)).sum();
    if total == 0 {
        return vec!["No records".into()];
    }
    let mut lines = vec![String::new()];
    let n = s.segments.len();
    for (j, (name, count)) in s.segments.iter().enumerate() {
        let count = (*count).max(0);
        let sep = if j + 1 < n { ";" } else { "" };
        let item = format!("{name} {count} ({}%){sep}", share(count, total));
        let last = lines.last_mut().expect("one line at least");
        let candidate = if last.is_empty() {
            item.clone()
        } else {
            format!("{last} {item}")
        };
        if text_width(&candidate) > width && !last.is_empty() {
            lines.push(item);
        } else {
            *last = candidate;
        }
    }
    lines
}

/// Each segment's label, count (negatives as 0) and left and right edges across `x..x + w`.
fn segments(segments: &[(String, i64)], x: f64, w: f64) -> Vec<(&str, i64, f64, f64)> {
    let total: i64 = segments.iter().map(|(_, c)| (*c).max(0)).sum();
    let mut done = 0i64;
    segments
        .iter()
        .map(|(name, count)| {
            let count = (*count).max(0);
            let x0 = x + w * ratio(done as f64, total as f64);
            done += count;
            let x1 = x + w * ratio(done as f64, total as f64);
            (name.as_str(), count, x0, x1)
        })
        .collect()
}

/// `count` as a whole percentage of `total` (positive).
/// A share in whole percent, halves rounded up.
fn share(count: i64, total: i64) -> Decimal {
    (Decimal::from(count) * Decimal::ONE_HUNDRED / Decimal::from(total))
        .round_dp_with_strategy(0, rust_decimal::RoundingStrategy::MidpointAwayFromZero)
}

/// A gauge: a bar from 0 to 1.25 × the larger of the actual and the target, a marker line at the
/// target, and the text "3.21% of pay bill, target 3.48%".
pub fn target_gauge(
    id: &str,
    title: &str,
    actual_percent: Decimal,
    target_percent: Decimal,
) -> Markup {
    target_gauge_of(id, title, actual_percent, target_percent, "of pay bill")
}

/// [`target_gauge`] for any measure: `measure` follows the actual figure ("of job plans signed off").
pub fn target_gauge_of(
    id: &str,
    title: &str,
    actual_percent: Decimal,
    target_percent: Decimal,
    measure: &str,
) -> Markup {
    const X0: f64 = 8.0;
    const W: f64 = WIDTH - 2.0 * X0;
    let (a, t) = (percent(actual_percent), percent(target_percent));
    let gap = (actual_percent - target_percent)
        .abs()
        .round_dp(2)
        .normalize();
    let description = match actual_percent.cmp(&target_percent) {
        std::cmp::Ordering::Less => {
            format!("{a}% {measure} against a target of {t}%: {gap} percentage points below the target.")
        }
        std::cmp::Ordering::Greater => {
            format!("{a}% {measure} against a target of {t}%: {gap} percentage points above the target.")
        }
        std::cmp::Ordering::Equal => format!("{a}% {measure}, exactly the target of {t}%."),
    };
    let max = f(actual_percent).max(f(target_percent)).max(0.0) * 1.25;
    let actual_w = W * ratio(f(actual_percent), max);
    let target_x = X0 + W * ratio(f(target_percent), max);
    let (anchor, label_x) = if target_x < X0 + 60.0 {
        ("start", target_x - 2.0)
    } else if target_x > WIDTH - X0 - 60.0 {
        ("end", target_x + 2.0)
    } else {
        ("middle", target_x)
    };
    let body = html! {
        text class="headline" x=(num(X0)) y="20" fill=(TEXT) font-weight="bold" {
            (a) "% " (measure) ", target " (t) "%"
        }
        rect class="track" x=(num(X0)) y="36" width=(num(W)) height="24" fill=(PALE_GREY) {}
        rect class="actual" x=(num(X0)) y="36" width=(num(actual_w)) height="24" fill=(BLUE) {}
        line class="target" x1=(num(target_x)) y1="28" x2=(num(target_x)) y2="68" stroke=(DARK_BLUE) stroke-width="3" {}
        text x=(num(label_x)) y="86" text-anchor=(anchor) fill=(TEXT) { "Target " (t) "%" }
    };
    frame(id, title, &description, 96.0, body)
}

/// Tick values: 3 to 6 round numbers (1, 2 or 5 × a power of ten apart) covering `lo..=hi`.
fn nice_ticks(lo: Decimal, hi: Decimal) -> Vec<Decimal> {
    let (mut lo, mut hi) = (lo.min(hi), lo.max(hi));
    if lo == hi {
        let pad = if lo.is_zero() {
            Decimal::ONE
        } else {
            (lo.abs() / Decimal::TEN).max(Decimal::new(1, 2))
        };
        if lo >= Decimal::ZERO && lo - pad < Decimal::ZERO {
            lo = Decimal::ZERO;
        } else {
            lo -= pad;
        }
        hi += pad;
    }
    let span = f(hi - lo).max(f64::MIN_POSITIVE);
    let rough = span / 4.0;
    let exp = rough.log10().floor();
    let exp = if exp.is_finite() {
        exp.clamp(-20.0, 20.0) as i32
    } else {
        0
    };
    let unit = if exp >= 0 {
        Decimal::from_i128_with_scale(10i128.pow(exp as u32), 0)
    } else {
        Decimal::new(1, (-exp) as u32)
    };
    let mut steps = [1, 2, 5, 10].iter().map(|m| unit * Decimal::from(*m));
    let step = steps
        .find(|s| f(*s) >= rough)
        .unwrap_or(unit * Decimal::TEN);
    let first = (lo / step).floor() * step;
    let last = (hi / step).ceil() * step;
    let mut ticks = Vec::new();
    let mut v = first;
    while v <= last && ticks.len() < 12 {
        ticks.push(v.normalize());
        v += step;
    }
    ticks
}

/// A step line of a value over dates: year ticks along the x axis, 3 to 6 round ticks up the y
/// axis written with `y_format`, and a dot with its label at each point. Points are drawn in date
/// order whatever their order in `points`; the last value runs to the end of its year.
pub fn step_chart(
    id: &str,
    title: &str,
    description: &str,
    points: &[Point],
    y_format: fn(Decimal) -> String,
) -> Markup {
    const HEIGHT: f64 = 300.0;
    const TOP: f64 = 32.0;
    const BOTTOM: f64 = 40.0;
    const RIGHT: f64 = 24.0;
    let mut points: Vec<&Point> = points.iter().collect();
    points.sort_by_key(|p| p.date);
    let (Some(first), Some(last)) = (points.first(), points.last()) else {
        return frame(id, title, description, 48.0, no_data(28.0));
    };
    let lo = points.iter().map(|p| p.value).min().unwrap_or_default();
    let hi = points.iter().map(|p| p.value).max().unwrap_or_default();
    let ticks = nice_ticks(lo, hi);
    let tick_labels: Vec<String> = ticks.iter().map(|t| y_format(*t)).collect();
    let left = tick_labels
        .iter()
        .map(|t| text_width(t))
        .fold(0.0, f64::max)
        .clamp(24.0, 140.0)
        + 16.0;
    let (y_lo, y_hi) = (
        ticks.first().copied().unwrap_or(lo),
        ticks.last().copied().unwrap_or(hi),
    );
    let plot_h = HEIGHT - TOP - BOTTOM;
    let plot_w = WIDTH - left - RIGHT;
    let y_of = |v: Decimal| TOP + plot_h * (1.0 - ratio(f(v - y_lo), f(y_hi - y_lo)));
    let (y0, y1) = (first.date.year(), last.date.year() + 1);
    let day = |d: NaiveDate| f64::from(d.num_days_from_ce());
    let jan1 = |y: i32| NaiveDate::from_ymd_opt(y, 1, 1).unwrap_or(NaiveDate::MIN);
    let (d0, d1) = (day(jan1(y0)), day(jan1(y1)));
    let x_of = |d: NaiveDate| left + plot_w * ratio(day(d) - d0, d1 - d0);
    let every = ((y1 - y0) as usize).div_ceil(10).max(1);
    let years: Vec<i32> = (y0..=y1).step_by(every).collect();
    let mut path = String::new();
    for (i, p) in points.iter().enumerate() {
        let (x, y) = (x_of(p.date), y_of(p.value));
        if i == 0 {
            path.push_str(&format!("M{} {}", num(x), num(y)));
        } else {
            path.push_str(&format!(" H{} V{}", num(x), num(y)));
        }
    }
    path.push_str(&format!(" H{}", num(left + plot_w)));
    let body = html! {
        g class="y-axis" {
            @for (t, label) in ticks.iter().zip(&tick_labels) {
                @let y = y_of(*t);
                line x1=(num(left)) y1=(num(y)) x2=(num(left + plot_w)) y2=(num(y)) stroke=(PALE_GREY) stroke-width="1" {}
                text x=(num(left - 8.0)) y=(num(y + FONT * 0.35)) text-anchor="end" fill=(GREY) { (label) }
            }
        }
        g class="x-axis" {
            line x1=(num(left)) y1=(num(TOP + plot_h)) x2=(num(left + plot_w)) y2=(num(TOP + plot_h)) stroke=(GREY) stroke-width="1" {}
            @for year in &years {
                @let x = x_of(jan1(*year));
                line x1=(num(x)) y1=(num(TOP + plot_h)) x2=(num(x)) y2=(num(TOP + plot_h + 6.0)) stroke=(GREY) stroke-width="1" {}
                text x=(num(x)) y=(num(TOP + plot_h + 22.0)) text-anchor="middle" fill=(GREY) { (year) }
            }
        }
        path class="step" d=(path) fill="none" stroke=(BLUE) stroke-width="3" {}
        @for (i, p) in points.iter().enumerate() {
            @let (x, y) = (x_of(p.date), y_of(p.value));
            @let anchor = if x < left + 40.0 { "start" } else if x > left + plot_w - 40.0 { "end" } else { "middle" };
            // The label goes on the side away from the step up or down into the point.
            @let fell = i > 0 && points[i - 1].value > p.value;
            @let label_y = if fell && y < TOP + plot_h - 24.0 { y + 22.0 } else { y - 10.0 };
            g class="point-group" {
                title { (p.date.format("%-d %B %Y")) ": " (p.label) }
                circle class="point" cx=(num(x)) cy=(num(y)) r="5" fill=(DARK_BLUE) stroke=(WHITE) stroke-width="2" {}
                text x=(num(x)) y=(num(label_y)) text-anchor=(anchor) fill=(TEXT) { (p.label) }
            }
        }
    };
    frame(id, title, description, HEIGHT, body)
}

#[cfg(test)]
mod tests {
    use super::*;
    use rust_decimal_macros::dec;

    fn parse(m: &Markup) -> roxmltree::Document<'_> {
        roxmltree::Document::parse(&m.0).unwrap_or_else(|e| panic!("{e}: {}", m.0))
    }

    fn attr(n: roxmltree::Node<'_, '_>, name: &str) -> f64 {
        let v = n.attribute(name).unwrap_or_else(|| panic!("no {name}"));
        let x: f64 = v.parse().unwrap_or_else(|_| panic!("{name}={v}"));
        assert!(x.is_finite());
        x
    }

    fn with_class<'a, 'i>(
        doc: &'a roxmltree::Document<'i>,
        class: &str,
    ) -> Vec<roxmltree::Node<'a, 'i>> {
        doc.descendants()
            .filter(|n| n.attribute("class") == Some(class))
            .collect()
    }

    /// role=img, a title and a desc whose ids are what aria-labelledby names, a viewBox, and no
    /// NaN or infinity anywhere.
    fn check_accessible(m: &Markup, id: &str) {
        let doc = parse(m);
        let svg = doc.root_element();
        assert_eq!(svg.tag_name().name(), "svg");
        assert_eq!(svg.attribute("role"), Some("img"));
        assert!(svg.attribute("viewBox").is_some());
        let ids: Vec<&str> = svg
            .attribute("aria-labelledby")
            .unwrap()
            .split(' ')
            .collect();
        assert_eq!(ids, [format!("{id}-title"), format!("{id}-desc")]);
        let title = svg.children().find(|n| n.has_tag_name("title")).unwrap();
        let desc = svg.children().find(|n| n.has_tag_name("desc")).unwrap();
        assert_eq!(title.attribute("id"), Some(ids[0]));
        assert_eq!(desc.attribute("id"), Some(ids[1]));
        assert!(!m.0.contains("NaN") && !m.0.contains("inf"), "{}", m.0);
    }

    fn bar(label: &str, value: Decimal, shown: &str) -> Bar {
        Bar {
            label: label.into(),
            value,
            shown: shown.into(),
        }
    }

    #[test]
    fn bar_chart_is_accessible_and_proportional() {
        let m = bar_chart(
            "pay",
            "Pay by department",
            "Surgery is twice medicine",
            &[
                bar("Surgery", dec!(100), "£100"),
                bar("Medicine", dec!(50), "£50"),
            ],
        );
        check_accessible(&m, "pay");
        let doc = parse(&m);
        let bars = with_class(&doc, "bar");
        assert_eq!(bars.len(), 2);
        let (w100, w50) = (attr(bars[0], "width"), attr(bars[1], "width"));
        assert!(w100 > 100.0);
        assert!((w50 * 2.0 - w100).abs() < 0.02, "{w50} {w100}");
        let values: Vec<&str> = with_class(&doc, "value")
            .iter()
            .map(|n| n.text().unwrap())
            .collect();
        assert_eq!(values, ["£100", "£50"]);
    }

    #[test]
    fn labels_are_escaped() {
        let nasty = r#"<b>&"x'"#;
        let m = bar_chart(nasty, nasty, nasty, &[bar(nasty, dec!(1), nasty)]);
        assert!(!m.0.contains("<b>"));
        assert!(m.0.contains("&lt;b&gt;&amp;"));
        let doc = parse(&m);
        assert!(doc.descendants().any(|n| n.text() == Some(nasty)));
        assert_eq!(doc.root_element().attribute("id"), Some("chart--b---x-"));
        let s = stacked_bar_chart(
            "s",
            nasty,
            nasty,
            &[Stack {
                label: nasty.into(),
                segments: vec![(nasty.into(), 3)],
            }],
        );
        assert!(parse(&s).descendants().any(|n| n.text() == Some(nasty)));
        let p = step_chart(
            "p",
            nasty,
            nasty,
            &[point(2020, 4, 1, dec!(1), nasty)],
            |d| format!("<{d}>"),
        );
        assert!(parse(&p).descendants().any(|n| n.text() == Some("<1>")));
        let g = target_gauge_of("g", nasty, dec!(1), dec!(2), nasty);
        parse(&g);
    }

    #[test]
    fn empty_and_zero_inputs() {
        for m in [
            bar_chart("a", "t", "d", &[]),
            bar_chart(
                "b",
                "t",
                "d",
                &[bar("x", dec!(0), "0"), bar("y", dec!(0), "0")],
            ),
            bar_chart("c", "t", "d", &[bar("x", dec!(-5), "-5")]),
            stacked_bar_chart("d", "t", "d", &[]),
            stacked_bar_chart(
                "e",
                "t",
                "d",
                &[Stack {
                    label: "x".into(),
                    segments: vec![],
                }],
            ),
            stacked_bar_chart(
                "f",
                "t",
                "d",
                &[Stack {
                    label: "x".into(),
                    segments: vec![("a".into(), 0), ("b".into(), -1)],
                }],
            ),
            target_gauge("g", "t", dec!(0), dec!(0)),
            target_gauge("h", "t", dec!(-1), dec!(0)),
            step_chart("i", "t", "d", &[], |d| d.to_string()),
            step_chart("j", "t", "d", &[point(2020, 1, 1, dec!(0), "0")], |d| {
                d.to_string()
            }),
            step_chart(
                "k",
                "t",
                "d",
                &[
                    point(2020, 1, 1, dec!(5), "5"),
                    point(2020, 1, 1, dec!(5), "5"),
                ],
                |d| d.to_string(),
            ),
        ] {
            let doc = parse(&m);
            let id = doc.root_element().attribute("id").unwrap().to_string();
            check_accessible(&m, &id);
        }
        let doc_b = bar_chart("b", "t", "d", &[bar("x", dec!(0), "0")]);
        let doc = parse(&doc_b);
        assert_eq!(attr(with_class(&doc, "bar")[0], "width"), 0.0);
    }

    #[test]
    fn a_long_summary_wraps_inside_the_chart() {
        let names = [
            "Draft",
            "Proposed",
            "Agreed by consultant",
            "Signed off by clinical director",
            "Signed off",
            "Not agreed",
            "Referred to medical director",
            "At appeal",
        ];
        let stack = Stack {
            label: "Surgery".into(),
            segments: names.iter().map(|n| (n.to_string(), 1)).collect(),
        };
        let lines = summary_lines(&stack, WIDTH - 16.0);
        assert!(lines.len() > 1, "{lines:?}");
        assert!(
            lines.iter().all(|l| text_width(l) <= WIDTH - 16.0),
            "{lines:?}"
        );
        assert_eq!(lines.join(" ").matches("(13%)").count(), 8);
        let m = stacked_bar_chart("s", "Plans", "By status", &[stack.clone(), stack]);
        let doc = parse(&m);
        let summaries = doc
            .descendants()
            .filter(|n| n.attribute("class") == Some("summary"))
            .count();
        assert_eq!(summaries, 2 * lines.len());
    }

    #[test]
    fn stacked_bars_fill_the_width_and_write_every_count() {
        let m = stacked_bar_chart(
            "plans",
            "Job plans by department",
            "Signed off and in progress",
            &[
                Stack {
                    label: "Surgery".into(),
                    segments: vec![("Signed off".into(), 3), ("Draft".into(), 1)],
                },
                Stack {
                    label: "Medicine".into(),
                    segments: vec![("Draft".into(), 2), ("Signed off".into(), 0)],
                },
            ],
        );
        check_accessible(&m, "plans");
        let doc = parse(&m);
        let segs = with_class(&doc, "segment");
        assert_eq!(segs.len(), 3);
        let (a, b) = (attr(segs[0], "width"), attr(segs[1], "width"));
        assert!((a - 3.0 * b).abs() < 0.02);
        assert!((attr(segs[2], "width") - (a + b)).abs() < 0.02);
        // The same label has the same colour in every bar.
        assert_eq!(segs[1].attribute("fill"), segs[2].attribute("fill"));
        let summaries: Vec<String> = with_class(&doc, "summary")
            .iter()
            .map(|n| {
                n.descendants()
                    .filter(|t| t.is_text())
                    .filter_map(|t| t.text())
                    .collect()
            })
            .collect();
        assert_eq!(
            summaries,
            [
                "Signed off 3 (75%); Draft 1 (25%)",
                "Draft 2 (100%); Signed off 0 (0%)"
            ]
        );
    }

    #[test]
    fn gauge_marks_the_target() {
        let m = target_gauge("cea", "Awards spend", dec!(3.21), dec!(3.48));
        check_accessible(&m, "cea");
        let doc = parse(&m);
        let headline: String = with_class(&doc, "headline")[0]
            .descendants()
            .filter(|t| t.is_text())
            .filter_map(|t| t.text())
            .collect();
        assert_eq!(headline, "3.21% of pay bill, target 3.48%");
        let track = with_class(&doc, "track")[0];
        let (x0, w) = (attr(track, "x"), attr(track, "width"));
        let target = with_class(&doc, "target")[0];
        let expected = x0 + w * 3.48 / (3.48 * 1.25);
        assert!((attr(target, "x1") - expected).abs() < 0.01);
        let actual = attr(with_class(&doc, "actual")[0], "width");
        assert!((actual - w * 3.21 / (3.48 * 1.25)).abs() < 0.01);
        let desc = doc
            .descendants()
            .find(|n| n.has_tag_name("desc"))
            .unwrap()
            .text()
            .unwrap();
        assert!(desc.contains("0.27 percentage points below"), "{desc}");
    }

    fn point(y: i32, m: u32, d: u32, value: Decimal, label: &str) -> Point {
        Point {
            date: NaiveDate::from_ymd_opt(y, m, d).unwrap(),
            value,
            label: label.into(),
        }
    }

    #[test]
    fn step_chart_places_points_in_date_order() {
        let pounds = |d: Decimal| format!("£{d}");
        let m = step_chart(
            "salary",
            "Salary",
            "Rises each April",
            &[
                point(2023, 4, 1, dec!(120000), "£120,000"),
                point(2019, 4, 1, dec!(100000), "£100,000"),
                point(2021, 4, 1, dec!(110000), "£110,000"),
            ],
            pounds,
        );
        check_accessible(&m, "salary");
        let doc = parse(&m);
        let dots = with_class(&doc, "point");
        let xs: Vec<f64> = dots.iter().map(|n| attr(*n, "cx")).collect();
        let ys: Vec<f64> = dots.iter().map(|n| attr(*n, "cy")).collect();
        assert!(xs.windows(2).all(|w| w[0] < w[1]), "{xs:?}");
        assert!(
            ys.windows(2).all(|w| w[0] > w[1]),
            "higher values are higher up: {ys:?}"
        );
        let labels: Vec<&str> = dots
            .iter()
            .map(|n| {
                n.parent()
                    .unwrap()
                    .children()
                    .find(|c| c.has_tag_name("text"))
                    .unwrap()
                    .text()
                    .unwrap()
            })
            .collect();
        assert_eq!(labels, ["£100,000", "£110,000", "£120,000"]);
        let years: Vec<&str> = doc
            .descendants()
            .filter(|n| n.attribute("class") == Some("x-axis"))
            .flat_map(|g| g.children().filter_map(|c| c.text()))
            .filter(|t| !t.trim().is_empty())
            .collect();
        assert_eq!(years, ["2019", "2020", "2021", "2022", "2023", "2024"]);
        let y_ticks = doc
            .descendants()
            .filter(|n| n.attribute("class") == Some("y-axis"))
            .flat_map(|g| g.children().filter(|c| c.has_tag_name("text")))
            .count();
        assert!((3..=6).contains(&y_ticks), "{y_ticks}");
    }

    #[test]
    fn nice_ticks_are_round() {
        assert_eq!(
            nice_ticks(dec!(100000), dec!(120000)),
            [
                dec!(100000),
                dec!(105000),
                dec!(110000),
                dec!(115000),
                dec!(120000)
            ]
        );
        assert_eq!(
            nice_ticks(dec!(0), dec!(0)),
            [dec!(0), dec!(0.5), dec!(1)].map(|d| d.normalize())
        );
        assert_eq!(
            nice_ticks(dec!(0), dec!(7)),
            [dec!(0), dec!(2), dec!(4), dec!(6), dec!(8)]
        );
        let t = nice_ticks(dec!(3.2), dec!(3.5));
        assert!((3..=6).contains(&t.len()), "{t:?}");
    }

    #[test]
    fn numbers_have_at_most_two_decimals() {
        assert_eq!(num(1.0 / 3.0), "0.33");
        assert_eq!(num(12.0), "12");
        assert_eq!(num(f64::NAN), "0");
        assert_eq!(num(-0.001), "0");
    }
}
