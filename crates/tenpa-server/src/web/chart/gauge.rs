//! A gauge: a figure against its target.

use super::{f, frame, num, percent, ratio, BLUE, DARK_BLUE, PALE_GREY, TEXT, WIDTH};
use maud::{html, Markup};
use rust_decimal::Decimal;

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
