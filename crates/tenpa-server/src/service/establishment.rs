//! The establishment import: a CSV extract of the trust's staff record (one row per consultant,
//! the assignment number as the key) read into consultant records, row by row, against the records
//! already held. The result is a report (create, update with the fields that change, unchanged, or
//! the row's errors with their line, column, value and expectation) and the changes, which
//! [`apply`] writes in one transaction only when no row has an error — or, when the user chose to
//! skip invalid rows, the valid rows' changes, the report listing the rows skipped. An assignment
//! number or a username given on more than one row is an error on every one of those rows (the
//! file does not say which is right), so all of them are skipped. A mapping file names the trust's
//! own extract's headings. `tenpa import establishment`, the API and the upload page read files
//! and apply them through here.

use chrono::NaiveDate;
use rust_decimal::Decimal;
use serde::Deserialize;
use sha2::{Digest, Sha256};
use std::collections::{BTreeMap, HashMap};
use tenpa_rules::job_planning::Role;
use tenpa_store::{NewUser, Sex, StaffChange, StaffRecord};

/// The columns of an establishment file, by their own names (the headings of a file without a
/// mapping). The first four are required; `contracted_pas` or `fte` give the contracted PAs;
/// `username` asks for an account for the consultant, `email` gives that new account's address for
/// notifications; `sex` (female or male, F or M) is kept for the consistency report's groups.
pub const COLUMNS: [&str; 11] = [
    "assignment_number",
    "name",
    "department",
    "first_appointed",
    "gmc_number",
    "contracted_pas",
    "fte",
    "start_date",
    "username",
    "email",
    "sex",
];
const REQUIRED: usize = 4;

/// The most PAs a week a row may give (a bound on bad input, not a contract limit).
const MAX_PAS: Decimal = Decimal::from_parts(20, 0, 0, false, 0);
/// The most FTE a row may give.
const MAX_FTE: Decimal = Decimal::from_parts(2, 0, 0, false, 0);
/// The longest assignment number accepted.
const MAX_KEY: usize = 30;

/// A mapping file: `[columns]` names, for each column of [`COLUMNS`], the heading of the trust's
/// extract that holds it (for instance `assignment_number = "Assignment Number"`).
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Mapping {
    /// Column name → the extract's heading.
    #[serde(default)]
    pub columns: BTreeMap<String, String>,
}

impl Mapping {
    /// Reads a mapping file (TOML); its error names the key at fault.
    pub fn parse(text: &str) -> Result<Mapping, String> {
        let m: Mapping = toml::from_str(text).map_err(|e| e.to_string())?;
        if let Some(k) = m.columns.keys().find(|k| !COLUMNS.contains(&k.as_str())) {
            return Err(format!(
                "columns.{k}: not a column of an establishment file; expected one of {}",
                COLUMNS.join(", ")
            ));
        }
        Ok(m)
    }

    /// The heading that holds `column`.
    fn heading<'a>(&'a self, column: &'a str) -> &'a str {
        self.columns.get(column).map_or(column, String::as_str)
    }
}

/// A row's error: where, what was found, what was expected.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RowError {
    /// The line of the file (the heading is line 1).
    pub line: usize,
    /// The column, by the file's heading.
    pub column: String,
    /// The value found.
    pub value: String,
    /// What was expected.
    pub expected: String,
}

impl std::fmt::Display for RowError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(
            f,
            "line {}, column {}: found {:?}, expected {}",
            self.line, self.column, self.value, self.expected
        )
    }
}

/// What a row does.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Outcome {
    /// A new consultant record.
    Create,
    /// The record changes in these fields.
    Update(Vec<&'static str>),
    /// The record is as the row says.
    Unchanged,
    /// The row's errors.
    Error(Vec<RowError>),
}

/// One row of the report.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ReportRow {
    /// The line of the file.
    pub line: usize,
    /// The row's assignment number as given.
    pub key: String,
    /// What it does.
    pub outcome: Outcome,
    /// The account it creates for the consultant, if any.
    pub account: Option<String>,
}

/// The whole file's report.
#[derive(Debug, Clone)]
pub struct Report {
    /// Row by row, in the file's order.
    pub rows: Vec<ReportRow>,
    /// The changes to apply (empty rows excluded), in the file's order.
    pub changes: Vec<StaffChange>,
    /// The accounts to create, each linked to its record: a consultant's, without a password (it
    /// signs in through the identity provider).
    pub accounts: Vec<NewUser>,
    /// The file's SHA-256, hex.
    pub sha256: String,
}

impl Report {
    /// How many rows have errors.
    pub fn errors(&self) -> usize {
        self.rows
            .iter()
            .filter(|r| matches!(r.outcome, Outcome::Error(_)))
            .count()
    }

    /// Rows creating, updating and unchanged.
    pub fn counts(&self) -> (usize, usize, usize) {
        let n = |f: fn(&Outcome) -> bool| self.rows.iter().filter(|r| f(&r.outcome)).count();
        (
            n(|o| *o == Outcome::Create),
            n(|o| matches!(o, Outcome::Update(_))),
            n(|o| *o == Outcome::Unchanged),
        )
    }
}

/// How an import's changes are applied.
#[derive(Debug, Clone, Copy, Default)]
pub struct Apply {
    /// Report only and write nothing.
    pub dry_run: bool,
    /// Write the valid rows and skip the rows with errors, which the report lists; without it a
    /// row with an error means nothing is written.
    pub skip_invalid: bool,
}

/// What became of an import's changes.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Applied {
    /// Written in one transaction: what was written, and how many rows with errors were skipped.
    Written(tenpa_store::ImportCounts, usize),
    /// A row has an error and skipping them was not asked: nothing written.
    Refused,
    /// A dry run: nothing written.
    DryRun,
    /// The records are as the file gives them (its valid rows, when skipping): nothing written.
    NothingToChange,
}

/// Applies a read import as asked: the one path of `tenpa import establishment`, the API and the
/// upload page. Nothing is written unless every row is valid or `skip_invalid` was asked; then the
/// valid rows' changes and accounts (never a skipped row's) are written in one transaction, and the
/// import's audit entry counts the rows skipped.
pub async fn apply(
    store: &tenpa_store::Store,
    actor: &str,
    report: &Report,
    how: Apply,
) -> tenpa_store::Result<Applied> {
    let skipped = report.errors();
    if skipped > 0 && !how.skip_invalid {
        return Ok(Applied::Refused);
    }
    if how.dry_run {
        return Ok(Applied::DryRun);
    }
    if report.changes.is_empty() && report.accounts.is_empty() {
        return Ok(Applied::NothingToChange);
    }
    let counts = store
        .apply_establishment_skipping(
            actor,
            &report.changes,
            &report.accounts,
            &report.sha256,
            skipped,
        )
        .await?;
    Ok(Applied::Written(counts, skipped))
}

/// What the records are checked against.
pub struct Context<'a> {
    /// The departments: id, name.
    pub departments: &'a [(i64, String)],
    /// The records held, by assignment number.
    pub existing: &'a HashMap<String, StaffRecord>,
    /// Today, in UK time: a first appointment after it is an error.
    pub today: NaiveDate,
    /// A full-time consultant's PAs a week, to turn FTE into PAs.
    pub full_time_pas: Decimal,
    /// Every account's username with the consultant record it is linked to, if any.
    pub accounts: &'a HashMap<String, Option<String>>,
    /// The enabled account linked to each consultant record, by record.
    pub linked: &'a HashMap<String, String>,
}

/// What an import is checked against, read from the store once.
pub struct Held {
    /// The departments: id, name.
    pub departments: Vec<(i64, String)>,
    /// The records held, by assignment number.
    pub existing: HashMap<String, StaffRecord>,
    /// Every account's username with the consultant record it is linked to, if any.
    pub accounts: HashMap<String, Option<String>>,
    /// The enabled account linked to each consultant record, by record.
    pub linked: HashMap<String, String>,
}

impl Held {
    /// Reads the departments, records and accounts.
    pub async fn read(store: &tenpa_store::Store) -> tenpa_store::Result<Held> {
        let departments = store
            .departments()
            .await?
            .into_iter()
            .map(|d| (d.id, d.name))
            .collect();
        let existing = store.staff_records().await?;
        let mut accounts = HashMap::new();
        let mut linked = HashMap::new();
        for a in store.accounts().await? {
            if let (Some(c), None) = (&a.user.consultant_id, &a.disabled_at) {
                linked.insert(c.clone(), a.user.username.clone());
            }
            accounts.insert(a.user.username, a.user.consultant_id);
        }
        Ok(Held {
            departments,
            existing,
            accounts,
            linked,
        })
    }

    /// The context of a read on `today` (UK time), FTE counted against `full_time_pas`.
    pub fn context(&self, today: NaiveDate, full_time_pas: Decimal) -> Context<'_> {
        Context {
            departments: &self.departments,
            existing: &self.existing,
            today,
            full_time_pas,
            accounts: &self.accounts,
            linked: &self.linked,
        }
    }
}

/// Reads an establishment file. An unreadable file (not UTF-8, no heading, a required column
/// missing) is `Err` with the reason; row errors are in the report. `progress` is called with the
/// rows read so far, every 1,000 rows.
pub fn read(
    bytes: &[u8],
    mapping: &Mapping,
    cx: &Context<'_>,
    progress: &mut dyn FnMut(usize),
) -> Result<Report, String> {
    let sha256 = hex::encode(Sha256::digest(bytes));
    let text = std::str::from_utf8(bytes).map_err(|e| {
        format!(
            "the file is not UTF-8 text (byte {}): save the extract as CSV UTF-8",
            e.valid_up_to()
        )
    })?;
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    let mut reader = csv::ReaderBuilder::new()
        .flexible(true)
        .from_reader(text.as_bytes());
    let headings: Vec<String> = reader
        .headers()
        .map_err(|e| format!("the heading line cannot be read: {e}"))?
        .iter()
        .map(|h| h.trim().to_string())
        .collect();
    let mut at: [Option<usize>; COLUMNS.len()] = [None; COLUMNS.len()];
    for (i, column) in COLUMNS.iter().enumerate() {
        let heading = mapping.heading(column);
        at[i] = headings
            .iter()
            .position(|h| h.eq_ignore_ascii_case(heading));
        if i < REQUIRED && at[i].is_none() {
            return Err(format!(
                "no column {heading:?} (the {column} column) in the heading line; found: {}",
                headings.join(", ")
            ));
        }
    }
    // The lines of each assignment number and username, to name every row of one given twice:
    // none of them is taken for the record or the account (the file does not say which is right).
    let mut records = Vec::new();
    let mut key_lines: HashMap<String, Vec<usize>> = HashMap::new();
    let mut username_lines: HashMap<String, Vec<usize>> = HashMap::new();
    for (n, record) in reader.records().enumerate() {
        let line = n + 2;
        let record = record.map_err(|e| format!("line {line}: {e}"))?;
        if record.iter().all(|f| f.trim().is_empty()) {
            continue;
        }
        for (i, lines) in [(0, &mut key_lines), (8, &mut username_lines)] {
            let value = at[i].and_then(|c| record.get(c)).unwrap_or("").trim();
            if !value.is_empty() {
                lines.entry(value.to_string()).or_default().push(line);
            }
        }
        records.push((n, line, record));
    }
    let also = |lines: Option<&Vec<usize>>, line: usize| {
        let others: Vec<String> = lines
            .into_iter()
            .flatten()
            .filter(|l| **l != line)
            .map(|l| l.to_string())
            .collect();
        match others.len() {
            0 => None,
            1 => Some(format!("also on line {}", others[0])),
            _ => Some(format!("also on lines {}", others.join(", "))),
        }
    };
    let mut rows = Vec::new();
    let mut changes = Vec::new();
    let mut accounts = Vec::new();
    for (n, line, record) in records {
        if n > 0 && n % 1000 == 0 {
            progress(n);
        }
        let field = |i: usize| at[i].and_then(|c| record.get(c)).unwrap_or("").trim();
        let mut errors = Vec::new();
        let mut error = |i: usize, value: &str, expected: String| {
            errors.push(RowError {
                line,
                column: mapping.heading(COLUMNS[i]).to_string(),
                value: value.to_string(),
                expected,
            })
        };
        let key = field(0).to_string();
        if key.is_empty()
            || key.len() > MAX_KEY
            || !key
                .chars()
                .all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '/')
        {
            error(
                0,
                &key,
                format!("an assignment number: letters, digits, '-' or '/', at most {MAX_KEY}"),
            );
        } else if let Some(also) = also(key_lines.get(&key), line) {
            error(
                0,
                &key,
                format!("an assignment number once in the file ({also})"),
            );
        }
        let name = field(1);
        if name.is_empty() || name.chars().count() > 200 {
            error(1, name, "a name of 1 to 200 characters".into());
        }
        let department = department(cx.departments, field(2));
        if department.is_none() {
            let names: Vec<&str> = cx.departments.iter().map(|d| d.1.as_str()).collect();
            error(
                2,
                field(2),
                format!(
                    "a department that exists ({})",
                    if names.is_empty() {
                        "none yet: add departments first".to_string()
                    } else {
                        names.join(", ")
                    }
                ),
            );
        }
        let first_appointed = date(field(3));
        match first_appointed {
            None => error(3, field(3), "a date (YYYY-MM-DD or DD/MM/YYYY)".into()),
            Some(d) if d > cx.today => error(
                3,
                field(3),
                format!("a first appointment on or before today ({})", cx.today),
            ),
            Some(_) => {}
        }
        let gmc = field(4);
        let gmc_shape = gmc.len() == 7 && gmc.bytes().all(|b| b.is_ascii_digit());
        if !gmc.is_empty() && !gmc_shape {
            error(4, gmc, "a GMC reference number: 7 digits".into());
        }
        let pas = contracted_pas(field(5), field(6), cx.full_time_pas);
        if let Err((i, expected)) = &pas {
            error(*i, field(*i), expected.clone());
        }
        let start = field(7);
        let start_date = if start.is_empty() { None } else { date(start) };
        if !start.is_empty() && start_date.is_none() {
            error(7, start, "a date (YYYY-MM-DD or DD/MM/YYYY)".into());
        }
        let username = field(8);
        let account = if username.is_empty() {
            None
        } else if !crate::auth::is_username(username) {
            error(
                8,
                username,
                format!(
                    "a username: 1 to {} letters, digits, '.', '-', '_' or '@'",
                    crate::auth::MAX_USERNAME
                ),
            );
            None
        } else if let Some(also) = also(username_lines.get(username), line) {
            error(8, username, format!("a username once in the file ({also})"));
            None
        } else {
            match (cx.accounts.get(username), cx.linked.get(&key)) {
                // The account exists, linked to this record: nothing to do.
                (Some(Some(c)), _) if *c == key => None,
                (Some(c), _) => {
                    error(
                        8,
                        username,
                        format!(
                            "a username not in use: the account exists, {} (link an existing account with tenpa users link)",
                            c.as_deref().map_or("linked to no consultant record".to_string(), |c| format!("linked to consultant record {c}"))
                        ),
                    );
                    None
                }
                (None, Some(other)) => {
                    error(
                        8,
                        username,
                        format!("no account for this record: it has the enabled account {other}"),
                    );
                    None
                }
                (None, None) => Some(username.to_string()),
            }
        };
        let email_text = field(9);
        let email = match crate::service::notifications::checked_email(Some(email_text)) {
            Ok(e) => e,
            Err(_) => {
                error(
                    9,
                    email_text,
                    "one email address, such as name@trust.nhs.uk".into(),
                );
                None
            }
        };
        if email.is_some() && username.is_empty() {
            error(
                9,
                email_text,
                "a username on the same row: the address is for the account the row creates".into(),
            );
        }
        // A file without the column leaves the sex a record holds as it is.
        let sex_text = field(10);
        let sex = match at[10] {
            None => cx.existing.get(&key).and_then(|old| old.sex),
            Some(_) => Sex::parse(sex_text),
        };
        if sex.is_none() && !sex_text.is_empty() {
            error(
                10,
                sex_text,
                "female or male (or F or M), or nothing".into(),
            );
        }
        let outcome = match (errors.is_empty(), department, first_appointed, pas) {
            (true, Some(department_id), Some(first), Ok(pas)) => {
                let r = StaffRecord {
                    assignment_number: key.clone(),
                    name: name.to_string(),
                    gmc_number: (!gmc.is_empty()).then(|| gmc.to_string()),
                    department_id,
                    contracted_pas: pas.map(|p| p.normalize().to_string()),
                    first_appointed: first,
                    start_date,
                    sex,
                };
                if let Some(username) = &account {
                    accounts.push(NewUser {
                        username: username.clone(),
                        display_name: r.name.clone(),
                        password_hash: String::new(),
                        roles: vec![Role::Consultant],
                        department_id: Some(department_id),
                        consultant_id: Some(key.clone()),
                        email: email.clone(),
                    });
                }
                match cx.existing.get(&key) {
                    None => {
                        changes.push(StaffChange::Create(r));
                        Outcome::Create
                    }
                    Some(old) => {
                        let mut changed = changed_fields(old, &r);
                        if !changed.is_empty() {
                            changes.push(StaffChange::Update(old.clone(), r));
                        }
                        if account.is_some() {
                            changed.push("account");
                        }
                        if changed.is_empty() {
                            Outcome::Unchanged
                        } else {
                            Outcome::Update(changed)
                        }
                    }
                }
            }
            _ => Outcome::Error(errors),
        };
        let account = account.filter(|_| !matches!(outcome, Outcome::Error(_)));
        rows.push(ReportRow {
            line,
            key,
            outcome,
            account,
        });
    }
    Ok(Report {
        rows,
        changes,
        accounts,
        sha256,
    })
}

/// A department by name (any case) or id.
fn department(departments: &[(i64, String)], given: &str) -> Option<i64> {
    departments
        .iter()
        .find(|(id, name)| name.eq_ignore_ascii_case(given) || id.to_string() == given)
        .map(|d| d.0)
}

/// A date as `YYYY-MM-DD` or `DD/MM/YYYY` (as staff record extracts write them).
fn date(s: &str) -> Option<NaiveDate> {
    NaiveDate::parse_from_str(s, "%Y-%m-%d")
        .or_else(|_| NaiveDate::parse_from_str(s, "%d/%m/%Y"))
        .ok()
}

/// The contracted PAs from `contracted_pas` or `fte` (FTE × a full-time consultant's PAs); both
/// given must agree. Err: the column at fault (index into [`COLUMNS`]) and what was expected.
fn contracted_pas(
    pas: &str,
    fte: &str,
    full_time_pas: Decimal,
) -> Result<Option<Decimal>, (usize, String)> {
    let positive = |s: &str, max: Decimal| {
        s.parse::<Decimal>()
            .ok()
            .filter(|d| *d > Decimal::ZERO && *d <= max && d.scale() <= 4)
    };
    let from_pas = if pas.is_empty() {
        None
    } else {
        Some(positive(pas, MAX_PAS).ok_or((
            5,
            format!("PAs a week: a number above 0 and at most {MAX_PAS}"),
        ))?)
    };
    let from_fte = if fte.is_empty() {
        None
    } else {
        Some(
            positive(fte, MAX_FTE).ok_or((6, format!("an FTE above 0 and at most {MAX_FTE}")))?
                * full_time_pas,
        )
    };
    match (from_pas, from_fte) {
        (Some(p), Some(f)) if p != f => Err((
            6,
            format!(
                "an FTE that agrees with contracted_pas ({} PAs is {} FTE)",
                p.normalize(),
                (p / full_time_pas).normalize()
            ),
        )),
        (p, f) => Ok(p.or(f)),
    }
}

/// The fields in which `new` differs from `old`.
fn changed_fields(old: &StaffRecord, new: &StaffRecord) -> Vec<&'static str> {
    let mut out = Vec::new();
    if old.name != new.name {
        out.push("name");
    }
    if old.department_id != new.department_id {
        out.push("department");
    }
    if old.first_appointed != new.first_appointed {
        out.push("first_appointed");
    }
    if old.gmc_number != new.gmc_number {
        out.push("gmc_number");
    }
    if old.contracted_pas != new.contracted_pas {
        out.push("contracted_pas");
    }
    if old.start_date != new.start_date {
        out.push("start_date");
    }
    if old.sex != new.sex {
        out.push("sex");
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    /// No accounts, none linked.
    static NO_ACCOUNTS: std::sync::LazyLock<HashMap<String, Option<String>>> =
        std::sync::LazyLock::new(HashMap::new);
    static NOT_LINKED: std::sync::LazyLock<HashMap<String, String>> =
        std::sync::LazyLock::new(HashMap::new);

    fn cx<'a>(
        existing: &'a HashMap<String, StaffRecord>,
        departments: &'a [(i64, String)],
    ) -> Context<'a> {
        Context {
            departments,
            existing,
            today: NaiveDate::from_ymd_opt(2026, 12, 3).unwrap(),
            full_time_pas: Decimal::TEN,
            accounts: &NO_ACCOUNTS,
            linked: &NOT_LINKED,
        }
    }

    /// Source: A 9.1 (JP-1, two sides: one enabled account per consultant record) — a `username`
    /// asks for an account linked to the row's record; one linked already is left alone; a name
    /// in use elsewhere, a record with another account, a name twice or of the wrong shape are
    /// errors.
    #[test]
    fn a_username_asks_for_an_account_linked_to_the_record() {
        let departments = [(1, "Surgery".to_string())];
        let mut existing = HashMap::new();
        let held = |id: &str| StaffRecord {
            assignment_number: id.into(),
            name: format!("Dr {id}"),
            gmc_number: None,
            department_id: 1,
            contracted_pas: None,
            first_appointed: "2010-04-01".parse().unwrap(),
            start_date: None,
            sex: None,
        };
        for id in ["2", "3"] {
            existing.insert(id.to_string(), held(id));
        }
        let accounts: HashMap<String, Option<String>> = [
            ("two".to_string(), Some("2".to_string())),
            ("admin".to_string(), None),
            ("three".to_string(), Some("3".to_string())),
        ]
        .into();
        let linked: HashMap<String, String> = [
            ("2".to_string(), "two".to_string()),
            ("3".to_string(), "three".to_string()),
        ]
        .into();
        let cx = Context {
            accounts: &accounts,
            linked: &linked,
            ..cx(&existing, &departments)
        };
        let file = "assignment_number,name,department,first_appointed,username\n\
                    1,Dr 1,Surgery,2010-04-01,one\n\
                    2,Dr 2,Surgery,2010-04-01,two\n\
                    3,Dr 3,Surgery,2010-04-01,new.three\n\
                    4,Dr 4,Surgery,2010-04-01,admin\n\
                    5,Dr 5,Surgery,2010-04-01,one\n\
                    6,Dr 6,Surgery,2010-04-01,no spaces\n\
                    7,Dr 7,Surgery,2010-04-01,seven\n";
        let r = read(file.as_bytes(), &Mapping::default(), &cx, &mut |_| {}).unwrap();
        assert_eq!(r.rows[6].outcome, Outcome::Create);
        assert_eq!(r.rows[6].account.as_deref(), Some("seven"));
        assert_eq!(r.rows[1].outcome, Outcome::Unchanged, "linked already");
        assert_eq!(r.rows[1].account, None);
        let error = |i: usize| match &r.rows[i].outcome {
            Outcome::Error(e) => e[0].expected.clone(),
            other => panic!("row {i}: {other:?}"),
        };
        assert!(
            error(2).contains("it has the enabled account three"),
            "{}",
            error(2)
        );
        assert!(
            error(3).contains("linked to no consultant record"),
            "{}",
            error(3)
        );
        // A username twice: both rows are errors, neither account is made.
        assert!(error(0).contains("also on line 6"), "{}", error(0));
        assert_eq!(r.rows[0].account, None);
        assert!(error(4).contains("also on line 2"), "{}", error(4));
        assert!(error(5).contains("a username"), "{}", error(5));
        assert_eq!(r.accounts.len(), 1);
        assert_eq!(r.accounts[0].consultant_id.as_deref(), Some("7"));
        assert_eq!(r.accounts[0].roles, [Role::Consultant]);
        assert_eq!(
            r.accounts[0].password_hash, "",
            "signs in through the identity provider"
        );
    }

    /// A new account's email address and a record's sex, both optional: each checked; an address
    /// needs the row's username; a file without the `sex` column leaves a record's as it is.
    #[test]
    fn email_and_sex_are_read_when_given() {
        let departments = [(1, "Surgery".to_string())];
        let mut existing = HashMap::new();
        existing.insert(
            "9".to_string(),
            StaffRecord {
                assignment_number: "9".into(),
                name: "Dr 9".into(),
                gmc_number: None,
                department_id: 1,
                contracted_pas: None,
                first_appointed: "2010-04-01".parse().unwrap(),
                start_date: None,
                sex: Some(Sex::Female),
            },
        );
        let cx = cx(&existing, &departments);
        let file = "assignment_number,name,department,first_appointed,username,email,sex\n\
                    1,Dr 1,Surgery,2010-04-01,one,one@trust.nhs.uk,F\n\
                    2,Dr 2,Surgery,2010-04-01,,two@trust.nhs.uk,male\n\
                    3,Dr 3,Surgery,2010-04-01,three,not-an-address,\n\
                    4,Dr 4,Surgery,2010-04-01,,,X\n\
                    9,Dr 9,Surgery,2010-04-01,,,\n";
        let r = read(file.as_bytes(), &Mapping::default(), &cx, &mut |_| {}).unwrap();
        assert_eq!(r.rows[0].outcome, Outcome::Create);
        assert_eq!(r.accounts[0].email.as_deref(), Some("one@trust.nhs.uk"));
        let error = |i: usize| match &r.rows[i].outcome {
            Outcome::Error(e) => (e[0].column.clone(), e[0].expected.clone()),
            other => panic!("row {i}: {other:?}"),
        };
        assert_eq!(error(1).0, "email");
        assert!(
            error(1).1.contains("a username on the same row"),
            "{:?}",
            error(1)
        );
        assert!(error(2).1.contains("one email address"), "{:?}", error(2));
        assert_eq!(error(3).0, "sex");
        // The column given empty clears the record's sex: an update.
        assert_eq!(r.rows[4].outcome, Outcome::Update(vec!["sex"]));
        let created = r.changes.iter().find_map(|c| match c {
            StaffChange::Create(x) if x.assignment_number == "1" => Some(x.sex),
            _ => None,
        });
        assert_eq!(created, Some(Some(Sex::Female)));
        // Without the column, the record's sex stays.
        let file = "assignment_number,name,department,first_appointed\n9,Dr 9,Surgery,2010-04-01\n";
        let r = read(file.as_bytes(), &Mapping::default(), &cx, &mut |_| {}).unwrap();
        assert_eq!(r.rows[0].outcome, Outcome::Unchanged);
    }

    #[test]
    fn rows_create_update_stay_or_say_what_is_wrong() {
        let departments = [(1, "Surgery".to_string()), (2, "Medicine".to_string())];
        let mut existing = HashMap::new();
        existing.insert(
            "200".to_string(),
            StaffRecord {
                assignment_number: "200".into(),
                name: "Dr B".into(),
                gmc_number: None,
                department_id: 1,
                contracted_pas: Some("10".into()),
                first_appointed: "2010-04-01".parse().unwrap(),
                start_date: None,
                sex: None,
            },
        );
        existing.insert(
            "300".to_string(),
            StaffRecord {
                assignment_number: "300".into(),
                name: "Dr C".into(),
                gmc_number: Some("1234567".into()),
                department_id: 2,
                contracted_pas: Some("7.5".into()),
                first_appointed: "2012-01-01".parse().unwrap(),
                start_date: None,
                sex: None,
            },
        );
        let file =
            "assignment_number,name,department,first_appointed,gmc_number,contracted_pas,fte\n\
                    100,\"Price, Hannah\",surgery,01/04/2015,7654321,,1\n\
                    200,Dr B,Medicine,2010-04-01,,10,\n\
                    300,Dr C,2,2012-01-01,1234567,,0.75\n\
                    400,Dr D,Radiology,2030-01-01,12X,10,0.5\n\
                    400,Dr F,Surgery,2011-01-01,,10,\n\
                    400,Dr G,Surgery,2011-01-01,,10,\n";
        let r = read(
            file.as_bytes(),
            &Mapping::default(),
            &cx(&existing, &departments),
            &mut |_| {},
        )
        .unwrap();
        assert_eq!(r.rows[0].outcome, Outcome::Create);
        assert_eq!(r.rows[1].outcome, Outcome::Update(vec!["department"]));
        assert_eq!(r.rows[2].outcome, Outcome::Unchanged, "0.75 FTE is 7.5 PAs");
        let Outcome::Error(e) = &r.rows[3].outcome else {
            panic!("{:?}", r.rows[3])
        };
        let columns: Vec<&str> = e.iter().map(|e| e.column.as_str()).collect();
        assert_eq!(
            columns,
            [
                "assignment_number",
                "department",
                "first_appointed",
                "gmc_number",
                "fte"
            ]
        );
        assert!(e[0].to_string().contains("also on lines 6, 7"), "{}", e[0]);
        assert!(e[1].expected.contains("Surgery, Medicine"), "{}", e[1]);
        assert_eq!(e[1].line, 5);
        // Every row of a key given more than once is an error, the first one too: none is taken.
        let Outcome::Error(e) = &r.rows[4].outcome else {
            panic!("{:?}", r.rows[4])
        };
        assert_eq!(e.len(), 1, "{e:?}");
        assert!(e[0].expected.contains("also on lines 5, 7"), "{}", e[0]);
        assert_eq!(r.errors(), 3);
        assert_eq!(r.counts(), (1, 1, 1));
        assert_eq!(r.changes.len(), 2, "the valid rows' changes only");
        let StaffChange::Create(c) = &r.changes[0] else {
            panic!()
        };
        assert_eq!(
            (c.name.as_str(), c.contracted_pas.as_deref()),
            ("Price, Hannah", Some("10"))
        );
        assert_eq!(c.first_appointed.to_string(), "2015-04-01");
    }

    #[test]
    fn a_mapping_names_the_extracts_headings() {
        let m = Mapping::parse(
            "[columns]\nassignment_number = \"Assignment Number\"\nname = \"Full Name\"\ndepartment = \"Org L6\"\nfirst_appointed = \"Date First Consultant\"\n",
        )
        .unwrap();
        let departments = [(1, "Surgery".to_string())];
        let existing = HashMap::new();
        let file = "\u{feff}Assignment Number,Full Name,Org L6,Date First Consultant\n12345678-2,Dr E,Surgery,2001-02-03\n";
        let r = read(
            file.as_bytes(),
            &m,
            &cx(&existing, &departments),
            &mut |_| {},
        )
        .unwrap();
        assert_eq!(r.rows[0].key, "12345678-2");
        assert_eq!(r.rows[0].outcome, Outcome::Create);
        let e = read(
            b"Assignment Number,Name\n",
            &m,
            &cx(&existing, &departments),
            &mut |_| {},
        )
        .unwrap_err();
        assert!(e.contains("\"Full Name\""), "{e}");
        assert!(Mapping::parse("[columns]\ngrade = \"Grade\"\n")
            .unwrap_err()
            .contains("columns.grade"));
    }
}
