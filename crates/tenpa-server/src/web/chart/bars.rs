//! Horizontal bar charts: bars scaled to the largest value, and 100% stacked bars.

use super::{
    f, frame, no_data, num, ratio, text_width, Bar, Stack, BLUE, FONT, GREY, PALE_GREY, SERIES,
    TEXT, WHITE, WIDTH,
};
use maud::{html, Markup};
use rust_decimal::Decimal;

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
pub(super) fn summary_lines(s: &Stack, width: f64) -> Vec<String> {
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
