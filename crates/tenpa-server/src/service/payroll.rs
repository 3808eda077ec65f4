//! The payroll export of a month, shared by `tenpa payroll export`, the API and the payroll page:
//! for every consultant with a signed-off job plan in force, one line per pay element with the
//! month's amount (the yearly figure in force that month shared as [`tenpa_rules::payroll`] says),
//! its superannuable flag and its change since the previous export; and, where a plan signed off
//! since takes effect in a month already exported, the arrears (or overpayment) of each such
//! month, element by element, against what the exports then paid, each at the figures in force in
//! that month. Each export is stored as made, once a month and in order, and asked for again is
//! the same file.

use crate::error::{ApiResult, AppError};
use crate::export::{csv, xlsx, Cell, Table};
use crate::service::assessments::read_document;
use crate::AppState;
use chrono::{Datelike, NaiveDate};
use serde::Serialize;
use sha2::{Digest, Sha256};
use std::collections::{BTreeMap, BTreeSet, HashMap};
use tenpa_rules::payroll::{month_amount, month_of_pay_year, monthly_share, Element};
use tenpa_rules::plan::JobPlanDocument;
use tenpa_rules::Parameters;
use tenpa_store::User;
use tenpa_store::{NewPayrollExport, PaidLine, PayrollExport, Store};
use utoipa::ToSchema;

/// A calendar month, `YYYY-MM`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Month {
    year: i32,
    month: u32,
}

impl Month {
    /// Reads `YYYY-MM`; 422 naming `field` otherwise.
    pub fn parse(field: &str, s: &str) -> Result<Month, AppError> {
        let bad = || {
            AppError::unprocessable_at(
                field,
                format!("found {s:?}, expected a month as YYYY-MM, for example 2027-04"),
            )
        };
        let (y, m) = s.trim().split_once('-').ok_or_else(bad)?;
        if y.len() != 4 || m.len() != 2 {
            return Err(bad());
        }
        let year: i32 = y.parse().map_err(|_| bad())?;
        let month: u32 = m.parse().map_err(|_| bad())?;
        if !(1..=12).contains(&month) || !(1900..=9999).contains(&year) {
            return Err(bad());
        }
        Ok(Month { year, month })
    }

    /// The month of a date.
    pub fn of(d: NaiveDate) -> Month {
        Month {
            year: d.year(),
            month: d.month(),
        }
    }

    /// Its first day.
    pub fn first_day(self) -> NaiveDate {
        NaiveDate::from_ymd_opt(self.year, self.month, 1).unwrap_or(NaiveDate::MIN)
    }

    /// The month after.
    pub fn next(self) -> Month {
        if self.month == 12 {
            Month {
                year: self.year + 1,
                month: 1,
            }
        } else {
            Month {
                year: self.year,
                month: self.month + 1,
            }
        }
    }

    /// How many days it has.
    pub fn days(self) -> u32 {
        let next = self.next().first_day();
        u32::try_from((next - self.first_day()).num_days()).unwrap_or(30)
    }
}

impl std::fmt::Display for Month {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{:04}-{:02}", self.year, self.month)
    }
}

/// One line of an export.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, ToSchema)]
pub struct Line {
    /// The consultant record (assignment number).
    pub consultant_id: String,
    /// The consultant's name.
    pub name: String,
    /// The pay element: `basic_salary`, `extra_pas`, `availability_supplement`,
    /// `out_of_hours_premium`, `clinical_excellence_award`, `recruitment_retention_premium`.
    pub element: String,
    /// `pay` (the month exported), `arrears` or `overpayment` (an earlier month corrected).
    pub kind: String,
    /// The month the amount is for (`YYYY-MM`).
    pub month: String,
    /// The amount in pence (an overpayment is negative).
    pub amount_pence: i64,
    /// Whether the element is superannuable (PAY-5).
    pub superannuable: bool,
    /// For a `pay` line: the change in pence since the previous export's line of the element.
    pub change_pence: Option<i64>,
    /// The plan in force at the month's end.
    pub plan_id: i64,
    /// Its signed-off version.
    pub plan_version: i64,
    /// The date it takes effect.
    pub effective_from: String,
    /// The pay year whose figures apply (`2027/28`).
    pub pay_year: String,
}

/// A signed-off plan of a consultant.
struct Signed {
    plan_id: i64,
    version: i64,
    from: NaiveDate,
    doc: JobPlanDocument,
}

/// What is due for a consultant in a month.
struct Due {
    amounts: BTreeMap<Element, i64>,
    plan: usize,
    pay_year: String,
}

fn pay_year_of(d: NaiveDate) -> String {
    let start = if d.month() >= 4 {
        d.year()
    } else {
        d.year() - 1
    };
    format!("{start}/{:02}", (start + 1).rem_euclid(100))
}

/// What is due in `m` from `plans` (sorted by effective date): for each day the plan in force
/// (the latest to take effect by then), each run of days paid at that plan's share of the month,
/// assessed on the run's first day (so in that day's pay year).
fn due(plans: &[Signed], m: Month, params: &Parameters) -> Result<Option<Due>, AppError> {
    let days = m.days();
    let mut runs: Vec<(usize, NaiveDate, u32)> = vec![];
    for day in 0..days {
        let date = m.first_day() + chrono::Duration::days(i64::from(day));
        let Some(i) = plans.iter().rposition(|p| p.from <= date) else {
            continue;
        };
        match runs.last_mut() {
            Some((j, _, n)) if *j == i => *n += 1,
            _ => runs.push((i, date, 1)),
        }
    }
    let Some(&(last, _, _)) = runs.last() else {
        return Ok(None);
    };
    let mut parts: BTreeMap<Element, Vec<(i64, u32)>> = BTreeMap::new();
    for (i, start, n) in &runs {
        let p = &plans[*i];
        let a = tenpa_rules::evaluate(&p.doc, params, Some(*start)).map_err(|e| {
            AppError::unprocessable_whole(format!(
                "job plan {} (version {}) cannot be assessed on {start}: {e}",
                p.plan_id, p.version
            ))
        })?;
        for e in Element::ALL {
            let share = monthly_share(e.yearly(&a.pay).pence(), month_of_pay_year(m.month));
            parts.entry(e).or_default().push((share, *n));
        }
    }
    let amounts = parts
        .into_iter()
        .map(|(e, p)| (e, month_amount(&p, days)))
        .collect();
    Ok(Some(Due {
        amounts,
        plan: last,
        pay_year: pay_year_of(m.first_day()),
    }))
}

/// The consultants' signed-off plans, each consultant's sorted by effective date (a later plan
/// of the same date wins).
async fn signed_off(
    store: &Store,
    params: &Parameters,
) -> Result<BTreeMap<String, (String, Vec<Signed>)>, AppError> {
    let mut by_consultant: BTreeMap<String, (String, Vec<Signed>)> = BTreeMap::new();
    for signed in store.signed_off_documents().await? {
        let tenpa_store::SignedOffPlan {
            job_plan_id: plan_id,
            consultant_id: consultant,
            consultant_name: name,
            version,
            document,
        } = signed;
        let bytes = serde_json::to_vec(&document).map_err(|e| AppError::Internal(e.to_string()))?;
        let doc = read_document(&bytes, params, &format!("job plan {plan_id}: "))?;
        let from = doc.job_plan.effective_from;
        by_consultant
            .entry(consultant)
            .or_insert_with(|| (name, vec![]))
            .1
            .push(Signed {
                plan_id,
                version,
                from,
                doc,
            });
    }
    for (_, plans) in by_consultant.values_mut() {
        plans.sort_by_key(|p| (p.from, p.plan_id));
    }
    Ok(by_consultant)
}

/// The lines of month `period`'s export, given what earlier exports paid.
pub async fn lines(
    store: &Store,
    params: &Parameters,
    period: Month,
    paid: &[PaidLine],
) -> Result<Vec<Line>, AppError> {
    let plans = signed_off(store, params).await?;
    // What was paid, by consultant, element and month; the months each consultant was exported.
    let mut paid_sum: HashMap<(&str, &str, &str), i64> = HashMap::new();
    let mut exported: HashMap<&str, BTreeSet<&str>> = HashMap::new();
    for l in paid {
        *paid_sum
            .entry((&l.consultant_id, &l.element, &l.month))
            .or_default() += l.amount_pence;
        if l.kind == "pay" {
            exported
                .entry(&l.consultant_id)
                .or_default()
                .insert(&l.month);
        }
    }
    let previous = paid
        .iter()
        .filter(|l| l.kind == "pay")
        .map(|l| l.month.as_str())
        .max();
    // The previous export's pay lines, by consultant and element: the change is against them.
    let previous_pay: HashMap<(&str, &str), i64> = paid
        .iter()
        .filter(|l| l.kind == "pay" && Some(l.month.as_str()) == previous)
        .map(|l| {
            (
                (l.consultant_id.as_str(), l.element.as_str()),
                l.amount_pence,
            )
        })
        .collect();
    let mut out = vec![];
    for (consultant, (name, signed)) in &plans {
        let line = |e: Element, kind: &str, m: Month, amount: i64, change: Option<i64>, d: &Due| {
            let p = &signed[d.plan];
            Line {
                consultant_id: consultant.clone(),
                name: name.clone(),
                element: e.as_str().into(),
                kind: kind.into(),
                month: m.to_string(),
                amount_pence: amount,
                superannuable: e.superannuable(),
                change_pence: change,
                plan_id: p.plan_id,
                plan_version: p.version,
                effective_from: p.from.to_string(),
                pay_year: d.pay_year.clone(),
            }
        };
        if let Some(d) = due(signed, period, params)? {
            for (e, amount) in &d.amounts {
                let before = previous_pay
                    .get(&(consultant.as_str(), e.as_str()))
                    .copied();
                if *amount != 0 || before.is_some_and(|b| b != 0) {
                    let change = amount - before.unwrap_or(0);
                    out.push(line(*e, "pay", period, *amount, Some(change), &d));
                }
            }
        }
        // Arrears: each earlier month this consultant was exported, from their first plan's
        // month, at what is due now against what was paid then.
        let first = Month::of(signed[0].from);
        let months: Vec<Month> = exported
            .get(consultant.as_str())
            .into_iter()
            .flatten()
            .filter_map(|m| Month::parse("month", m).ok())
            .filter(|m| *m >= first && *m < period)
            .collect();
        for m in months {
            let Some(d) = due(signed, m, params)? else {
                continue;
            };
            let key = m.to_string();
            for (e, amount) in &d.amounts {
                let was = paid_sum
                    .get(&(consultant.as_str(), e.as_str(), key.as_str()))
                    .copied()
                    .unwrap_or(0);
                let diff = amount - was;
                if diff != 0 {
                    let kind = if diff > 0 { "arrears" } else { "overpayment" };
                    out.push(line(*e, kind, m, diff, None, &d));
                }
            }
        }
    }
    Ok(out)
}

/// The export as a table: a row a line.
pub fn table(period: Month, lines: &[Line]) -> Table {
    let columns = [
        "consultant_id",
        "name",
        "element",
        "kind",
        "month",
        "amount",
        "superannuable",
        "change",
        "plan_id",
        "plan_version",
        "effective_from",
        "pay_year",
    ];
    Table {
        title: format!("Payroll {period}"),
        columns: columns.iter().map(|c| c.to_string()).collect(),
        rows: lines
            .iter()
            .map(|l| {
                vec![
                    Cell::Text(l.consultant_id.clone()),
                    Cell::Text(l.name.clone()),
                    Cell::Text(l.element.clone()),
                    Cell::Text(l.kind.clone()),
                    Cell::Text(l.month.clone()),
                    Cell::Pence(l.amount_pence),
                    Cell::Text(if l.superannuable { "yes" } else { "no" }.into()),
                    l.change_pence.map_or(Cell::Empty, Cell::Pence),
                    Cell::Integer(l.plan_id),
                    Cell::Integer(l.plan_version),
                    Cell::Text(l.effective_from.clone()),
                    Cell::Text(l.pay_year.clone()),
                ]
            })
            .collect(),
    }
}

/// An export as the API shows it.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct ExportView {
    /// The month (`YYYY-MM`).
    pub period: String,
    /// When it was made.
    pub created_at: String,
    /// Who made it.
    pub created_by: String,
    /// The SHA-256 of its CSV: the same export asked for again has the same.
    pub sha256: String,
    /// Its lines.
    pub line_count: i64,
    /// The sum of its lines in pence.
    pub total_pence: i64,
}

impl From<&PayrollExport> for ExportView {
    fn from(e: &PayrollExport) -> ExportView {
        ExportView {
            period: e.period.clone(),
            created_at: e.created_at.clone(),
            created_by: e.created_by.clone(),
            sha256: e.sha256.clone(),
            line_count: e.line_count,
            total_pence: e.total_pence,
        }
    }
}

/// An export: as stored, with its files, and whether this request made it.
pub struct Exported {
    /// The export.
    pub export: PayrollExport,
    /// Its CSV.
    pub csv: String,
    /// Its XLSX.
    pub xlsx: Vec<u8>,
    /// Whether it was made now (else it was made before, and these are its stored files).
    pub made: bool,
}

/// The export of month `period` (`YYYY-MM`): the stored one if the month has been exported,
/// else made now, stored and audited. 422 naming `period` for a malformed month or one before
/// the latest exported (months go in order, each once).
pub async fn export(
    store: &Store,
    params: &Parameters,
    actor: &str,
    period: &str,
) -> Result<Exported, AppError> {
    let month = Month::parse("period", period)?;
    let key = month.to_string();
    if let Some(tenpa_store::PayrollFiles { export, csv, xlsx }) =
        store.payroll_export(&key).await?
    {
        return Ok(Exported {
            export,
            csv,
            xlsx,
            made: false,
        });
    }
    let paid = store.payroll_paid().await?;
    let lines = lines(store, params, month, &paid).await?;
    let t = table(month, &lines);
    let csv_text = csv(&t);
    let xlsx_bytes = xlsx(&t).map_err(|e| AppError::Internal(e.to_string()))?;
    let sha = hex::encode(Sha256::digest(csv_text.as_bytes()));
    let stored: Vec<PaidLine> = lines
        .iter()
        .map(|l| PaidLine {
            consultant_id: l.consultant_id.clone(),
            element: l.element.clone(),
            month: l.month.clone(),
            kind: l.kind.clone(),
            amount_pence: l.amount_pence,
        })
        .collect();
    let export = store
        .create_payroll_export(
            actor,
            &NewPayrollExport {
                period: &key,
                csv: &csv_text,
                sha256: &sha,
                xlsx: &xlsx_bytes,
                lines: &stored,
            },
        )
        .await
        .map_err(|e| match e {
            tenpa_store::StoreError::Refused(d) => {
                AppError::unprocessable_at("period", d.to_string())
            }
            e => e.into(),
        })?;
    Ok(Exported {
        export,
        csv: csv_text,
        xlsx: xlsx_bytes,
        made: true,
    })
}

/// The stored files (CSV, XLSX) of the month `period` (`YYYY-MM`): medical staffing; 404 when
/// the month was not exported.
pub async fn file(state: &AppState, user: &User, period: &str) -> ApiResult<(String, Vec<u8>)> {
    if !crate::policy::may_export_payroll(user) {
        return Err(AppError::Forbidden(
            "payroll exports are made and read by medical staffing".into(),
        ));
    }
    let month = Month::parse("period", period)?;
    let tenpa_store::PayrollFiles { csv, xlsx, .. } = state
        .store
        .payroll_export(&month.to_string())
        .await?
        .ok_or_else(|| AppError::NotFound(format!("the payroll export of {month}")))?;
    Ok((csv, xlsx))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn months_read_and_count_their_days() {
        let m = Month::parse("period", "2028-02").unwrap();
        assert_eq!((m.to_string(), m.days()), ("2028-02".to_string(), 29));
        assert_eq!(
            Month::parse("period", "2027-12")
                .unwrap()
                .next()
                .to_string(),
            "2028-01"
        );
        for bad in ["2027-13", "2027-1", "27-01", "2027/01", ""] {
            assert!(Month::parse("period", bad).is_err(), "{bad}");
        }
        assert_eq!(
            pay_year_of(NaiveDate::from_ymd_opt(2027, 3, 31).unwrap()),
            "2026/27"
        );
        assert_eq!(
            pay_year_of(NaiveDate::from_ymd_opt(2027, 4, 1).unwrap()),
            "2027/28"
        );
    }
}
