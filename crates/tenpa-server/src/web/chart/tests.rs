//! The charts' tests: each chart is accessible, proportional and writes every value as text.

use super::bars::summary_lines;
use super::steps::nice_ticks;
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
