//! `--chart OUT.svg`: the pay bill by component, one bar per costing (baseline and each
//! scenario) in each group. Hand-written SVG; figures are in millions of pounds.

use crate::report::{pounds, Report};
use rust_decimal::prelude::ToPrimitive;
use std::fmt::Write;

const COLOURS: [&str; 6] = [
    "#4e79a7", "#f28e2b", "#59a14f", "#e15759", "#76b7b2", "#edc948",
];

fn escape(s: &str) -> String {
    s.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
}

/// The chart as SVG text.
pub fn svg(r: &Report) -> String {
    let labels = [
        "Basic salary",
        "Extra PAs",
        "Availability",
        "Out-of-hours",
        "Awards (CEA)",
    ];
    let mut series = vec![("baseline".to_string(), &r.baseline.pay_bill)];
    series.extend(
        r.scenarios
            .iter()
            .map(|s| (s.name.clone(), &s.figures.pay_bill)),
    );
    let value = |i: usize, b: &crate::report::PayBill| b.components()[i].1;
    let max = series
        .iter()
        .flat_map(|(_, b)| (0..labels.len()).map(move |i| value(i, b).pounds()))
        .max()
        .unwrap_or_default()
        .to_f64()
        .unwrap_or(0.0)
        .max(1.0);
    // A round top for the axis: 1, 2 or 5 × a power of ten.
    let mag = 10f64.powf(max.log10().floor());
    let top = [1.0, 2.0, 5.0, 10.0]
        .iter()
        .map(|m| m * mag)
        .find(|t| *t >= max)
        .unwrap_or(10.0 * mag);
    let (w, h, left, right, top_pad, bottom) = (860.0, 420.0, 90.0, 20.0, 50.0, 90.0);
    let plot_w = w - left - right;
    let plot_h = h - top_pad - bottom;
    let group = plot_w / labels.len() as f64;
    let bar = (group * 0.8) / series.len() as f64;
    let mut o = String::new();
    let _ = writeln!(
        o,
        r#"<svg xmlns="http://www.w3.org/2000/svg" width="{w}" height="{h}" viewBox="0 0 {w} {h}" font-family="sans-serif" font-size="12">"#
    );
    let _ = writeln!(
        o,
        r#"<title>Pay bill by component, {} consultants, {}</title>"#,
        r.baseline.consultants, r.pay_year
    );
    let _ = writeln!(o, r#"<rect width="{w}" height="{h}" fill="white"/>"#);
    let _ = writeln!(
        o,
        r#"<text x="{left}" y="24" font-size="15" font-weight="bold">Pay bill by component, {} ({} consultants, total {})</text>"#,
        escape(&r.pay_year),
        r.baseline.consultants,
        escape(&pounds(r.baseline.pay_bill.total))
    );
    for k in 0..=5 {
        let v = top * k as f64 / 5.0;
        let y = top_pad + plot_h - plot_h * k as f64 / 5.0;
        let _ = writeln!(
            o,
            r##"<line x1="{left}" x2="{}" y1="{y:.1}" y2="{y:.1}" stroke="#ddd"/><text x="{}" y="{:.1}" text-anchor="end">£{:.1}m</text>"##,
            w - right,
            left - 6.0,
            y + 4.0,
            v / 1e6
        );
    }
    for (i, label) in labels.iter().enumerate() {
        let gx = left + group * i as f64 + group * 0.1;
        for (j, (name, bill)) in series.iter().enumerate() {
            let v = value(i, bill).pounds().to_f64().unwrap_or(0.0);
            let bh = plot_h * v / top;
            let x = gx + bar * j as f64;
            let y = top_pad + plot_h - bh;
            let _ = writeln!(
                o,
                r#"<rect x="{x:.1}" y="{y:.1}" width="{:.1}" height="{bh:.1}" fill="{}"><title>{}: {} {}</title></rect>"#,
                (bar - 2.0).max(1.0),
                COLOURS[j % COLOURS.len()],
                escape(name),
                label,
                escape(&pounds(value(i, bill)))
            );
        }
        let _ = writeln!(
            o,
            r#"<text x="{:.1}" y="{:.1}" text-anchor="middle">{label}</text>"#,
            left + group * (i as f64 + 0.5),
            top_pad + plot_h + 18.0
        );
    }
    let _ = writeln!(
        o,
        r##"<line x1="{left}" x2="{}" y1="{:.1}" y2="{:.1}" stroke="#333"/>"##,
        w - right,
        top_pad + plot_h,
        top_pad + plot_h
    );
    for (j, (name, _)) in series.iter().enumerate() {
        let x = left + 180.0 * (j % 4) as f64;
        let y = h - 40.0 + 18.0 * (j / 4) as f64;
        let _ = writeln!(
            o,
            r#"<rect x="{x}" y="{:.1}" width="12" height="12" fill="{}"/><text x="{}" y="{y:.1}">{}</text>"#,
            y - 10.0,
            COLOURS[j % COLOURS.len()],
            x + 16.0,
            escape(name)
        );
    }
    o.push_str("</svg>\n");
    o
}
