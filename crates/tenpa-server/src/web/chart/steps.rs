//! A step chart of values over time, with round ticks.

use super::{
    f, frame, no_data, num, ratio, text_width, Point, BLUE, DARK_BLUE, FONT, GREY, PALE_GREY, TEXT,
    WHITE, WIDTH,
};
use chrono::Datelike;
use chrono::NaiveDate;
use maud::{html, Markup};
use rust_decimal::Decimal;

/// Tick values: 3 to 6 round numbers (1, 2 or 5 × a power of ten apart) covering `lo..=hi`.
pub(super) fn nice_ticks(lo: Decimal, hi: Decimal) -> Vec<Decimal> {
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
