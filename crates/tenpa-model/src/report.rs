//! What `tenpa model` prints: the pay bill by component, the availability supplement share
//! against OC-10's funding target, consultants by rota band and category, and each scenario's
//! difference from the baseline. JSON as `docs/commands.md` fixes it (fields added, none renamed),
//! or text for a person.

use chrono::NaiveDate;
use rust_decimal::{Decimal, RoundingStrategy};
use serde::Serialize;
use std::fmt::Write;
use tenpa_rules::money::number;
use tenpa_rules::plan::OnCallCategory;
use tenpa_rules::population::{
    money, supplement_share_percent, Band, BandTerms, Costing, Totals, OC_10,
};
use tenpa_rules::Money;

/// The pay bill: sums of each row's rounded components.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct PayBill {
    /// Basic salary (PAY-3).
    pub basic_salary: Money,
    /// Extra PAs (PAY-3).
    pub extra_pas: Money,
    /// Availability supplements (OC-6).
    pub availability_supplement: Money,
    /// Out-of-hours premia (OOH-2).
    pub out_of_hours_premium: Money,
    /// Clinical excellence awards (CEA-3).
    pub clinical_excellence_award: Money,
    /// The sum of the components.
    pub total: Money,
    /// Basic salary + awards + availability supplements (PAY-5).
    pub superannuable: Money,
}

impl PayBill {
    fn of(t: &Totals) -> PayBill {
        PayBill {
            basic_salary: money(t.basic_salary),
            extra_pas: money(t.extra_pas),
            availability_supplement: money(t.availability_supplement),
            out_of_hours_premium: money(t.out_of_hours_premium),
            clinical_excellence_award: money(t.clinical_excellence_award),
            total: money(t.total()),
            superannuable: money(t.superannuable()),
        }
    }

    /// The components with their labels, in report order.
    pub fn components(&self) -> [(&'static str, Money); 7] {
        [
            ("basic_salary", self.basic_salary),
            ("extra_pas", self.extra_pas),
            ("availability_supplement", self.availability_supplement),
            ("out_of_hours_premium", self.out_of_hours_premium),
            ("clinical_excellence_award", self.clinical_excellence_award),
            ("total", self.total),
            ("superannuable", self.superannuable),
        ]
    }

    fn minus(&self, o: &PayBill) -> PayBill {
        let d = |a: Money, b: Money| Money::round(a.pounds() - b.pounds());
        PayBill {
            basic_salary: d(self.basic_salary, o.basic_salary),
            extra_pas: d(self.extra_pas, o.extra_pas),
            availability_supplement: d(self.availability_supplement, o.availability_supplement),
            out_of_hours_premium: d(self.out_of_hours_premium, o.out_of_hours_premium),
            clinical_excellence_award: d(
                self.clinical_excellence_award,
                o.clinical_excellence_award,
            ),
            total: d(self.total, o.total),
            superannuable: d(self.superannuable, o.superannuable),
        }
    }
}

/// Consultants by band.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct RotaBands {
    /// Not on a rota.
    pub none: u64,
    /// 1 in 1 to 1 in 4.
    pub high: u64,
    /// 1 in 5 to 1 in 8.
    pub medium: u64,
    /// Less frequent.
    pub low: u64,
}

/// Consultants on a rota by category.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Categories {
    /// Category A.
    pub a: u64,
    /// Category B.
    pub b: u64,
}

/// Consultants on each band by category.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct BandCategories {
    /// 1 in 1 to 1 in 4.
    pub high: Categories,
    /// 1 in 5 to 1 in 8.
    pub medium: Categories,
    /// Less frequent.
    pub low: Categories,
}

/// The figures of one costing (baseline or scenario).
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Figures {
    /// Rows costed.
    pub consultants: u64,
    /// The pay bill.
    pub pay_bill: PayBill,
    /// Availability supplements as a percentage of the pay bill (OC-10).
    #[serde(serialize_with = "number")]
    pub availability_supplement_share_percent: Decimal,
    /// Consultants by band.
    pub rota_bands: RotaBands,
    /// Consultants by band and category.
    pub rota_bands_by_category: BandCategories,
    /// On-call PAs a week, all consultants (OC-2, OC-3).
    #[serde(serialize_with = "number")]
    pub on_call_pas: Decimal,
}

impl Figures {
    fn of(c: &Costing, t: &Totals) -> Figures {
        let cat = |b| Categories {
            a: t.in_band_category(b, OnCallCategory::A),
            b: t.in_band_category(b, OnCallCategory::B),
        };
        Figures {
            consultants: t.consultants,
            pay_bill: PayBill::of(t),
            availability_supplement_share_percent: supplement_share_percent(t).unwrap_or_default(),
            rota_bands: RotaBands {
                none: t.in_band(Band::None),
                high: t.in_band(Band::High),
                medium: t.in_band(Band::Medium),
                low: t.in_band(Band::Low),
            },
            rota_bands_by_category: BandCategories {
                high: cat(Band::High),
                medium: cat(Band::Medium),
                low: cat(Band::Low),
            },
            on_call_pas: t.on_call_pas(c),
        }
    }
}

/// A scenario's difference from the baseline.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Difference {
    /// Scenario minus baseline, per component.
    pub pay_bill: PayBill,
    /// Percentage points.
    #[serde(serialize_with = "number")]
    pub availability_supplement_share_percent: Decimal,
    /// On-call PAs a week.
    #[serde(serialize_with = "number")]
    pub on_call_pas: Decimal,
}

/// One scenario's figures.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ScenarioReport {
    /// Its name.
    pub name: String,
    /// The scenario file.
    pub file: String,
    /// What it asks.
    pub description: String,
    /// Its figures.
    #[serde(flatten)]
    pub figures: Figures,
    /// Scenario minus baseline.
    pub difference: Difference,
    /// Notes from the rules on the scenario's parameters (PAY-2).
    pub notes: Vec<String>,
}

/// Rows skipped with `--skip-invalid`.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Skipped {
    /// How many.
    pub rows: u64,
    /// The first few reasons, in file order.
    pub reasons: Vec<String>,
}

/// A band's terms, for the report.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct BandReport {
    /// Band name.
    pub band: &'static str,
    /// Smallest rota size.
    pub min_rota: u32,
    /// Largest rota size, if any.
    pub max_rota: Option<u32>,
    /// Category A percentage.
    #[serde(serialize_with = "number")]
    pub percent_a: Decimal,
    /// Category B percentage.
    #[serde(serialize_with = "number")]
    pub percent_b: Decimal,
}

/// The whole report.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Report {
    /// The population file.
    pub file: String,
    /// The date the rules are applied at.
    pub applied_on: NaiveDate,
    /// Its pay year.
    pub pay_year: String,
    /// The baseline's figures.
    #[serde(flatten)]
    pub baseline: Figures,
    /// OC-10's funding target, percent of the pay bill.
    #[serde(serialize_with = "number")]
    pub funding_target_percent: Decimal,
    /// The paragraphs of the target.
    pub funding_target_citation: String,
    /// The availability supplement bands in force.
    pub bands: Vec<BandReport>,
    /// Notes from the rules (a carried-forward scale).
    pub notes: Vec<String>,
    /// Rows skipped.
    pub skipped: Skipped,
    /// Each scenario.
    pub scenarios: Vec<ScenarioReport>,
}

/// A scenario's name, file and description.
#[derive(Debug, Clone)]
pub struct ScenarioName {
    /// Name.
    pub name: String,
    /// File.
    pub file: String,
    /// Description.
    pub description: String,
}

impl Report {
    /// Builds the report from each costing's totals (baseline first).
    pub fn new(
        file: &str,
        costings: &[Costing],
        totals: &[Totals],
        names: &[ScenarioName],
        skipped: u64,
        reasons: Vec<String>,
    ) -> Report {
        let base = &costings[0];
        let baseline = Figures::of(base, &totals[0]);
        let scenarios = costings[1..]
            .iter()
            .zip(&totals[1..])
            .zip(names)
            .map(|((c, t), n)| {
                let figures = Figures::of(c, t);
                let difference = Difference {
                    pay_bill: figures.pay_bill.minus(&baseline.pay_bill),
                    availability_supplement_share_percent: figures
                        .availability_supplement_share_percent
                        - baseline.availability_supplement_share_percent,
                    on_call_pas: figures.on_call_pas - baseline.on_call_pas,
                };
                ScenarioReport {
                    name: n.name.clone(),
                    file: n.file.clone(),
                    description: n.description.clone(),
                    figures,
                    difference,
                    notes: c.notes().to_vec(),
                }
            })
            .collect();
        Report {
            file: file.to_string(),
            applied_on: base.applied_on(),
            pay_year: base.pay_year().to_string(),
            baseline,
            funding_target_percent: base.funding_target_percent(),
            funding_target_citation: base.funding_target_cite().to_string(),
            bands: base.bands().iter().map(band_report).collect(),
            notes: base.notes().to_vec(),
            skipped: Skipped {
                rows: skipped,
                reasons,
            },
            scenarios,
        }
    }

    /// The report for a person.
    pub fn text(&self) -> String {
        let mut o = String::new();
        let b = &self.baseline;
        let _ = writeln!(
            o,
            "Population {}: {} consultants, costed at {} (pay year {})",
            self.file,
            thousands(b.consultants),
            self.applied_on,
            self.pay_year
        );
        for n in &self.notes {
            let _ = writeln!(o, "Note (PAY-2): {n}");
        }
        for s in &self.scenarios {
            for n in s.notes.iter().filter(|n| !self.notes.contains(n)) {
                let _ = writeln!(o, "Note (PAY-2, {}): {n}", s.name);
            }
        }
        if self.skipped.rows > 0 {
            let _ = writeln!(
                o,
                "Skipped {} invalid row(s); the first:",
                thousands(self.skipped.rows)
            );
            for r in &self.skipped.reasons {
                let _ = writeln!(o, "  {r}");
            }
        }
        let _ = writeln!(o);
        let labels = [
            "Basic salary (PAY-3)",
            "Extra PAs (PAY-3)",
            "Availability supplement (OC-6)",
            "Out-of-hours premium (OOH-2)",
            "Clinical excellence awards (CEA-3)",
            "Total",
            "Superannuable (PAY-5)",
        ];
        let mut header = format!("{:<36}{:>20}", "Pay bill a year", "baseline");
        for s in &self.scenarios {
            let _ = write!(header, "{:>20}{:>18}", clip(&s.name, 19), "difference");
        }
        let _ = writeln!(o, "{header}");
        for (i, label) in labels.iter().enumerate() {
            let _ = write!(
                o,
                "{:<36}{:>20}",
                label,
                pounds(b.pay_bill.components()[i].1)
            );
            for s in &self.scenarios {
                let _ = write!(
                    o,
                    "{:>20}{:>18}",
                    pounds(s.figures.pay_bill.components()[i].1),
                    signed(s.difference.pay_bill.components()[i].1)
                );
            }
            let _ = writeln!(o);
        }
        let _ = writeln!(o);
        let share = |f: &Figures| round(f.availability_supplement_share_percent, 2);
        let target = self.funding_target_percent;
        let gap = round(b.availability_supplement_share_percent - target, 2);
        let _ = writeln!(
            o,
            "Availability supplements are {}% of the pay bill; the funding target is {}% ({}, {}): {} points {}.",
            share(b),
            target.normalize(),
            OC_10.id,
            self.funding_target_citation,
            gap.abs(),
            if gap < Decimal::ZERO { "below" } else { "above" }
        );
        for s in &self.scenarios {
            let _ = writeln!(o, "  {}: {}%", s.name, share(&s.figures));
        }
        let _ = writeln!(
            o,
            "On-call PAs a week (OC-2, OC-3): {}",
            round(b.on_call_pas, 3)
        );
        for s in &self.scenarios {
            let _ = writeln!(
                o,
                "  {}: {} ({})",
                s.name,
                round(s.figures.on_call_pas, 3),
                signed_number(round(s.difference.on_call_pas, 3))
            );
        }
        let _ = writeln!(o);
        let _ = writeln!(o, "Consultants by rota band and category (OC-6)");
        let _ = writeln!(
            o,
            "  {:<8}{:<14}{:>12}{:>12}{:>12}{:>12}",
            "band", "rota", "A", "B", "total", "share"
        );
        let pct = |n: u64| {
            round(
                Decimal::from(n) * Decimal::ONE_HUNDRED / Decimal::from(b.consultants.max(1)),
                1,
            )
        };
        let by = &b.rota_bands_by_category;
        for (terms, cats, total) in [
            (self.band("high"), &by.high, b.rota_bands.high),
            (self.band("medium"), &by.medium, b.rota_bands.medium),
            (self.band("low"), &by.low, b.rota_bands.low),
        ] {
            let Some(t) = terms else { continue };
            let rota = match t.max_rota {
                Some(m) if m == t.min_rota => format!("1 in {m}"),
                Some(m) => format!("1 in {}-{m}", t.min_rota),
                None => format!("1 in {}+", t.min_rota),
            };
            let _ = writeln!(
                o,
                "  {:<8}{:<14}{:>12}{:>12}{:>12}{:>11}%",
                t.band,
                rota,
                thousands(cats.a),
                thousands(cats.b),
                thousands(total),
                pct(total)
            );
        }
        let _ = writeln!(
            o,
            "  {:<8}{:<14}{:>12}{:>12}{:>12}{:>11}%",
            "none",
            "not on a rota",
            "",
            "",
            thousands(b.rota_bands.none),
            pct(b.rota_bands.none)
        );
        for s in &self.scenarios {
            let r = &s.figures.rota_bands;
            if *r != b.rota_bands {
                let _ = writeln!(
                    o,
                    "  {}: high {}, medium {}, low {}, none {}",
                    s.name,
                    thousands(r.high),
                    thousands(r.medium),
                    thousands(r.low),
                    thousands(r.none)
                );
            }
        }
        o
    }

    fn band(&self, name: &str) -> Option<&BandReport> {
        self.bands.iter().find(|b| b.band == name)
    }
}

fn band_report(t: &BandTerms) -> BandReport {
    BandReport {
        band: t.band.name(),
        min_rota: t.min_rota,
        max_rota: t.max_rota,
        percent_a: t.percent_a,
        percent_b: t.percent_b,
    }
}

fn round(d: Decimal, dp: u32) -> Decimal {
    d.round_dp_with_strategy(dp, RoundingStrategy::MidpointAwayFromZero)
}

fn clip(s: &str, n: usize) -> String {
    if s.chars().count() <= n {
        s.to_string()
    } else {
        let mut t: String = s.chars().take(n - 1).collect();
        t.push('…');
        t
    }
}

/// Groups digits in threes: 1234567 → "1,234,567".
pub fn thousands(n: u64) -> String {
    let s = n.to_string();
    let mut out = String::new();
    for (i, c) in s.chars().enumerate() {
        if i > 0 && (s.len() - i).is_multiple_of(3) {
            out.push(',');
        }
        out.push(c);
    }
    out
}

/// "£1,234,567.89".
pub fn pounds(m: Money) -> String {
    m.text()
}

fn signed(m: Money) -> String {
    if m.pounds() > Decimal::ZERO {
        format!("+{}", pounds(m))
    } else {
        pounds(m)
    }
}

fn signed_number(d: Decimal) -> String {
    if d > Decimal::ZERO {
        format!("+{d}")
    } else {
        d.to_string()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn figures_are_grouped() {
        assert_eq!(thousands(1_234_567), "1,234,567");
        assert_eq!(thousands(12), "12");
        assert_eq!(pounds(money(123_456_789)), "£1,234,567.89");
        assert_eq!(signed(Money::round(Decimal::new(-150, 2))), "-£1.50");
    }
}
