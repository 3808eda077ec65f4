//! The population file: a header naming the columns, then one consultant a line.
//!
//! A hand-written byte-level reader: each field is read in one pass where it is a plain number,
//! name or category (the fast path); anything else (quotes, spaces, an error) goes through a
//! slower path that takes the field apart properly and says what is wrong. Nothing is allocated
//! per row.
//!
//! In front of both, [`Schema::plain_rows`] reads whole rows of plain fields straight from the
//! read buffer into columns, eight bytes at a time ([`crate::swar`]), following the header's
//! columns in order (module `plain`); the first thing it does not expect (quotes, spaces, a long
//! or malformed figure, a bad value) sends the line to [`Schema::parse`], so errors and unusual
//! rows read exactly as before.

use rust_decimal::Decimal;
use std::str::FromStr;
use tenpa_rules::plan::{OnCallCategory, Recognition};
use tenpa_rules::population::{
    units_to_decimal, ExactInput, ExactRow, Field, Row, RowInput, DECIMAL_PLACES, UNITS,
};

mod plain;

use plain::STANDARD;
pub use plain::{Plain, LONGEST};

/// What a column of the file is used for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Role {
    Id,
    Whole(usize),
    Fixed(usize),
    Category,
    Recognition,
    Agreed,
    Ignored,
}

// Slots of the numeric values.
const POINT: usize = 0;
const CONTRACTED: usize = 1;
const EXTRA: usize = 2;
const ROTA: usize = 3;
const OOH_PAS: usize = 4;
const PLAIN: usize = 5;
const OOH_HOURS: usize = 6;
const CEA: usize = 7;

fn role(f: Field) -> Role {
    match f {
        Field::Id => Role::Id,
        Field::PayThresholdIndex => Role::Whole(POINT),
        Field::ContractedPas => Role::Fixed(CONTRACTED),
        Field::ExtraPas => Role::Fixed(EXTRA),
        Field::RotaSize => Role::Whole(ROTA),
        Field::OnCallCategory => Role::Category,
        Field::OohPasPerWeek => Role::Fixed(OOH_PAS),
        Field::OohRecognition => Role::Recognition,
        Field::EmergencyHoursInHours => Role::Fixed(PLAIN),
        Field::EmergencyHoursOoh => Role::Fixed(OOH_HOURS),
        Field::CeaLevel => Role::Whole(CEA),
        Field::PremiumAgreed => Role::Agreed,
    }
}

/// Every column the reader knows: the required ones, then the optional.
const FIELDS: usize = Field::ALL.len() + Field::OPTIONAL.len();

fn known() -> impl Iterator<Item = Field> {
    Field::ALL.into_iter().chain(Field::OPTIONAL)
}

/// The header could not be used.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{0}")]
pub struct HeaderError(pub String);

/// Which column of the file holds which field.
#[derive(Debug, Clone)]
pub struct Schema {
    roles: Vec<Role>,
    /// Whether the columns are exactly [`STANDARD`].
    standard: bool,
    names: Vec<String>,
    position: [usize; FIELDS],
}

/// What is wrong with a field of a row.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Problem {
    /// The value is not what the column holds.
    Invalid(Field),
    /// The row ends before this column.
    Missing {
        /// Fields the row has.
        found: usize,
    },
    /// The row has more fields than the header.
    TooMany {
        /// Fields the row has.
        found: usize,
    },
    /// A quoted field does not end on its line.
    Unterminated,
}

/// A row that cannot be read: the column (0-based index in the header), the value and the
/// problem.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RowProblem {
    /// 0-based index of the column in the header.
    pub column: usize,
    /// The value found, as text.
    pub value: String,
    /// What is wrong.
    pub problem: Problem,
}

/// A checked row: in fixed-point units (nearly always), or in exact decimals when a PA or hour
/// figure has more than [`DECIMAL_PLACES`] decimal places.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Costable {
    /// Costed by `Costing::cost`.
    Units(Row),
    /// Costed by `Costing::cost_exact` (boxed: rare, and large).
    Exact(Box<ExactRow>),
}

/// A row read: the checked values and the byte range of its `id` field as written.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Parsed {
    /// The checked row.
    pub row: Costable,
    /// Start and end of the `id` field in the line, quotes included.
    pub id: (usize, usize),
}

fn trim(b: &[u8]) -> &[u8] {
    let s = b
        .iter()
        .position(|c| !c.is_ascii_whitespace())
        .unwrap_or(b.len());
    let e = b
        .iter()
        .rposition(|c| !c.is_ascii_whitespace())
        .map_or(s, |e| e + 1);
    &b[s..e]
}

/// Splits one field starting at `pos`: (content start, content end, position after the field
/// and its comma, whether it was quoted). Quoted content keeps its doubled quotes.
fn split_field(line: &[u8], pos: usize) -> Result<(usize, usize, usize, bool), Problem> {
    let mut i = pos;
    while i < line.len() && (line[i] == b' ' || line[i] == b'\t') {
        i += 1;
    }
    if i < line.len() && line[i] == b'"' {
        let start = i + 1;
        let mut j = start;
        loop {
            match line[j..].iter().position(|&c| c == b'"') {
                None => return Err(Problem::Unterminated),
                Some(k) => {
                    j += k;
                    if line.get(j + 1) == Some(&b'"') {
                        j += 2;
                    } else {
                        break;
                    }
                }
            }
        }
        let end = j;
        let mut k = j + 1;
        while k < line.len() && line[k] != b',' {
            k += 1;
        }
        Ok((start, end, k + 1, true))
    } else {
        let end = line[pos..]
            .iter()
            .position(|&c| c == b',')
            .map_or(line.len(), |k| pos + k);
        Ok((pos, end, end + 1, false))
    }
}

fn unquote(b: &[u8], quoted: bool) -> String {
    let s = String::from_utf8_lossy(b);
    if quoted {
        s.replace("\"\"", "\"")
    } else {
        s.into_owned()
    }
}

/// The end of an unquoted field starting at `pos`: its comma, or the end of the line.
#[inline(always)]
fn field_end(line: &[u8], pos: usize) -> usize {
    line[pos..]
        .iter()
        .position(|&c| c == b',')
        .map_or(line.len(), |k| pos + k)
}

/// Reads a fixed-point number with at most [`DECIMAL_PLACES`] decimals (trailing zeros beyond
/// are allowed), in [`UNITS`]. `None` for anything else.
fn fixed_text(b: &[u8]) -> Option<u64> {
    let (int, frac) = match b.iter().position(|&c| c == b'.') {
        Some(d) => (&b[..d], &b[d + 1..]),
        None => (b, &b[..0]),
    };
    if (int.is_empty() && frac.is_empty()) || int.len() > 12 {
        return None;
    }
    let mut v = 0u64;
    for &c in int {
        if !c.is_ascii_digit() {
            return None;
        }
        v = v * 10 + u64::from(c - b'0');
    }
    let mut scale = UNITS;
    for (k, &c) in frac.iter().enumerate() {
        if !c.is_ascii_digit() {
            return None;
        }
        if k >= DECIMAL_PLACES as usize {
            if c != b'0' {
                return None;
            }
            continue;
        }
        scale /= 10;
        v = v * 10 + u64::from(c - b'0');
    }
    Some(v * scale)
}

/// Reads a decimal of more decimal places: digits, a point, digits (at most 28 digits in all).
fn exact_text(b: &[u8]) -> Option<Decimal> {
    let digits = b.iter().filter(|c| c.is_ascii_digit()).count();
    let points = b.iter().filter(|&&c| c == b'.').count();
    if digits == 0 || digits > 28 || points > 1 || digits + points != b.len() {
        return None;
    }
    let s = std::str::from_utf8(b).ok()?;
    let s = if s.starts_with('.') {
        format!("0{s}")
    } else {
        s.to_string()
    };
    Decimal::from_str(&s).ok()
}

fn whole_text(b: &[u8]) -> Option<u64> {
    if b.is_empty() || b.len() > 12 || !b.iter().all(u8::is_ascii_digit) {
        return None;
    }
    Some(b.iter().fold(0u64, |v, &c| v * 10 + u64::from(c - b'0')))
}

#[inline]
fn category_text(b: &[u8]) -> Option<Option<OnCallCategory>> {
    match b {
        b"" => Some(None),
        b"A" | b"a" => Some(Some(OnCallCategory::A)),
        b"B" | b"b" => Some(Some(OnCallCategory::B)),
        _ => None,
    }
}

#[inline]
fn recognition_text(b: &[u8]) -> Option<Recognition> {
    if b == b"time" {
        Some(Recognition::Time)
    } else if b == b"premium" {
        Some(Recognition::Premium)
    } else if b.eq_ignore_ascii_case(b"time") {
        Some(Recognition::Time)
    } else if b.eq_ignore_ascii_case(b"premium") {
        Some(Recognition::Premium)
    } else {
        None
    }
}

/// `premium_agreed`: `true` or `false` (any case); empty counts as not agreed.
#[inline]
fn agreed_text(b: &[u8]) -> Option<bool> {
    if b == b"true" {
        Some(true)
    } else if b == b"false" || b.is_empty() {
        Some(false)
    } else if b.eq_ignore_ascii_case(b"true") {
        Some(true)
    } else if b.eq_ignore_ascii_case(b"false") {
        Some(false)
    } else {
        None
    }
}

/// Values of one row being read.
struct Values {
    num: [u64; 8],
    /// Slots (bits) whose figures have more decimal places than the units hold.
    exact: u8,
    category: Option<OnCallCategory>,
    recognition: Recognition,
    agreed: bool,
    id: (usize, usize),
}

impl Schema {
    /// Reads the header line (without its line end). Columns are matched by name, in any order;
    /// other columns are ignored.
    pub fn from_header(line: &[u8]) -> Result<Schema, HeaderError> {
        let line = line.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(line);
        let line = line.strip_suffix(b"\r").unwrap_or(line);
        let mut names = Vec::new();
        let mut pos = 0;
        while pos <= line.len() {
            let (s, e, next, quoted) = split_field(line, pos)
                .map_err(|_| HeaderError("the header has an unterminated quoted name".into()))?;
            names.push(
                String::from_utf8_lossy(trim(unquote(&line[s..e], quoted).as_bytes())).into_owned(),
            );
            pos = next;
        }
        let mut roles = vec![Role::Ignored; names.len()];
        let mut position = [usize::MAX; FIELDS];
        for (i, name) in names.iter().enumerate() {
            if let Some(f) = known().find(|f| f.name() == name) {
                let slot = &mut position[f as usize];
                if *slot != usize::MAX {
                    return Err(HeaderError(format!(
                        "column {name} appears twice in the header (fields {} and {})",
                        *slot + 1,
                        i + 1
                    )));
                }
                *slot = i;
                roles[i] = role(f);
            }
        }
        let missing: Vec<&str> = Field::ALL
            .iter()
            .filter(|f| position[**f as usize] == usize::MAX)
            .map(|f| f.name())
            .collect();
        if !missing.is_empty() {
            let hints: Vec<String> = missing
                .iter()
                .filter_map(|m| {
                    names
                        .iter()
                        .filter(|n| !known().any(|f| f.name() == n.as_str()))
                        .map(|n| (strsim::levenshtein(m, n), n))
                        .filter(|(d, _)| *d <= 3)
                        .min()
                        .map(|(_, n)| format!("{n} for {m}?"))
                })
                .collect();
            let hint = if hints.is_empty() {
                String::new()
            } else {
                format!(" (did you mean {})", hints.join(", "))
            };
            return Err(HeaderError(format!(
                "the header has no column {}{hint}; a population file needs the columns {}",
                missing.join(", "),
                Field::ALL.map(Field::name).join(", ")
            )));
        }
        Ok(Schema {
            standard: roles == STANDARD,
            roles,
            names,
            position,
        })
    }

    /// The name of column `i` (0-based) as written in the header.
    pub fn name(&self, i: usize) -> &str {
        self.names.get(i).map_or("", String::as_str)
    }

    /// The number of columns in the header.
    pub fn columns(&self) -> usize {
        self.names.len()
    }

    /// Reads one line (without its line end; a trailing `\r` is allowed).
    #[inline]
    pub fn parse(&self, line: &[u8]) -> Result<Parsed, RowProblem> {
        let line = line.strip_suffix(b"\r").unwrap_or(line);
        let mut v = Values {
            num: [0; 8],
            exact: 0,
            category: None,
            recognition: Recognition::Time,
            agreed: false,
            id: (0, 0),
        };
        let mut pos = 0;
        let last = self.roles.len() - 1;
        for (i, &role) in self.roles.iter().enumerate() {
            if pos > line.len() {
                return Err(RowProblem {
                    column: i,
                    value: String::new(),
                    problem: Problem::Missing { found: i },
                });
            }
            pos = match self.fast(line, pos, role, &mut v) {
                Some(next) => next,
                None => self.slow(line, pos, i, role, &mut v)?,
            };
            if i == last && pos <= line.len() {
                let found =
                    self.roles.len() + line[pos - 1..].iter().filter(|&&c| c == b',').count();
                return Err(RowProblem {
                    column: self.roles.len(),
                    value: String::from_utf8_lossy(&line[pos..]).into_owned(),
                    problem: Problem::TooMany { found },
                });
            }
        }
        if v.exact != 0 {
            return self.exact(line, &v);
        }
        let n = &v.num;
        let input = RowInput {
            point: n[POINT],
            contracted: n[CONTRACTED],
            extra: n[EXTRA],
            rota_size: n[ROTA],
            category: v.category,
            ooh_pas: n[OOH_PAS],
            recognition: v.recognition,
            premium_agreed: v.agreed,
            emergency_plain: n[PLAIN],
            emergency_ooh: n[OOH_HOURS],
            cea_level: n[CEA],
        };
        match Row::new(input) {
            Ok(row) => Ok(Parsed {
                row: Costable::Units(row),
                id: v.id,
            }),
            Err(e) => {
                let column = self.position[e.field as usize];
                Err(RowProblem {
                    column,
                    value: self.field_text(line, column),
                    problem: Problem::Invalid(e.field),
                })
            }
        }
    }

    /// A row with a figure of many decimal places, as exact decimals.
    #[cold]
    fn exact(&self, line: &[u8], v: &Values) -> Result<Parsed, RowProblem> {
        // The figures the units could not hold, read again as decimals.
        let d = |slot: usize, field: Field| {
            if v.exact & (1 << slot) == 0 {
                return units_to_decimal(v.num[slot]);
            }
            let text = self.field_text(line, self.position[field as usize]);
            exact_text(trim(text.as_bytes())).unwrap_or_default()
        };
        let input = ExactInput {
            point: v.num[POINT],
            contracted: d(CONTRACTED, Field::ContractedPas),
            extra: d(EXTRA, Field::ExtraPas),
            rota_size: v.num[ROTA],
            category: v.category,
            ooh_pas: d(OOH_PAS, Field::OohPasPerWeek),
            recognition: v.recognition,
            premium_agreed: v.agreed,
            emergency_plain: d(PLAIN, Field::EmergencyHoursInHours),
            emergency_ooh: d(OOH_HOURS, Field::EmergencyHoursOoh),
            cea_level: v.num[CEA],
        };
        match ExactRow::new(input) {
            Ok(row) => Ok(Parsed {
                row: Costable::Exact(Box::new(row)),
                id: v.id,
            }),
            Err(e) => {
                let column = self.position[e.field as usize];
                Err(RowProblem {
                    column,
                    value: self.field_text(line, column),
                    problem: Problem::Invalid(e.field),
                })
            }
        }
    }

    /// One pass over a plain field; `None` sends the field to the slow path.
    #[inline(always)]
    fn fast(&self, line: &[u8], pos: usize, role: Role, v: &mut Values) -> Option<usize> {
        let len = line.len();
        match role {
            Role::Fixed(slot) => {
                let mut i = pos;
                let mut x = 0u64;
                while i < len && line[i].is_ascii_digit() && i - pos < 9 {
                    x = x * 10 + u64::from(line[i] - b'0');
                    i += 1;
                }
                let int_digits = i - pos;
                let mut scale = UNITS;
                if i < len && line[i] == b'.' {
                    i += 1;
                    let frac = i;
                    while i < len && line[i].is_ascii_digit() && i - frac < DECIMAL_PLACES as usize
                    {
                        x = x * 10 + u64::from(line[i] - b'0');
                        scale /= 10;
                        i += 1;
                    }
                    if i == frac && int_digits == 0 {
                        return None;
                    }
                } else if int_digits == 0 {
                    return None;
                }
                if i < len && line[i] != b',' {
                    return None;
                }
                v.num[slot] = x * scale;
                Some(i + 1)
            }
            Role::Whole(slot) => {
                let mut i = pos;
                let mut x = 0u64;
                while i < len && line[i].is_ascii_digit() && i - pos < 10 {
                    x = x * 10 + u64::from(line[i] - b'0');
                    i += 1;
                }
                if i == pos || (i < len && line[i] != b',') {
                    return None;
                }
                v.num[slot] = x;
                Some(i + 1)
            }
            Role::Id | Role::Ignored => {
                if pos < len && line[pos] == b'"' {
                    return None;
                }
                let end = field_end(line, pos);
                if role == Role::Id {
                    v.id = (pos, end);
                }
                Some(end + 1)
            }
            Role::Category => {
                let end = field_end(line, pos);
                v.category = category_text(&line[pos..end])?;
                Some(end + 1)
            }
            Role::Recognition => {
                let end = field_end(line, pos);
                v.recognition = recognition_text(&line[pos..end])?;
                Some(end + 1)
            }
            Role::Agreed => {
                let end = field_end(line, pos);
                v.agreed = agreed_text(&line[pos..end])?;
                Some(end + 1)
            }
        }
    }

    /// Takes a field apart properly (quotes, spaces) and says what is wrong with it.
    #[cold]
    fn slow(
        &self,
        line: &[u8],
        pos: usize,
        column: usize,
        role: Role,
        v: &mut Values,
    ) -> Result<usize, RowProblem> {
        let (s, e, next, quoted) = split_field(line, pos).map_err(|problem| RowProblem {
            column,
            value: String::from_utf8_lossy(&line[pos..]).into_owned(),
            problem,
        })?;
        let text = unquote(&line[s..e], quoted);
        let value = trim(text.as_bytes());
        let field = known().find(|f| self.position[*f as usize] == column);
        let bad = || RowProblem {
            column,
            value: text.clone(),
            problem: Problem::Invalid(field.unwrap_or(Field::Id)),
        };
        match role {
            Role::Id => {
                v.id = (
                    if quoted { s - 1 } else { s },
                    if quoted { e + 1 } else { e },
                )
            }
            Role::Ignored => {}
            Role::Fixed(slot) => match fixed_text(value) {
                Some(x) => v.num[slot] = x,
                None => {
                    exact_text(value).ok_or_else(bad)?;
                    v.exact |= 1 << slot;
                }
            },
            Role::Whole(slot) => v.num[slot] = whole_text(value).ok_or_else(bad)?,
            Role::Category => v.category = category_text(value).ok_or_else(bad)?,
            Role::Recognition => v.recognition = recognition_text(value).ok_or_else(bad)?,
            Role::Agreed => v.agreed = agreed_text(value).ok_or_else(bad)?,
        }
        Ok(next)
    }

    /// The text of column `column` in `line`, for messages.
    fn field_text(&self, line: &[u8], column: usize) -> String {
        let mut pos = 0;
        for i in 0..=column {
            match split_field(line, pos) {
                Ok((s, e, next, quoted)) => {
                    if i == column {
                        return unquote(&line[s..e], quoted);
                    }
                    pos = next;
                }
                Err(_) => break,
            }
            if pos > line.len() {
                break;
            }
        }
        String::new()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use tenpa_rules::population::Columns;

    const HEADER: &[u8] = b"id,pay_threshold_index,contracted_pas,extra_pas,rota_size,on_call_category,ooh_pas_per_week,ooh_recognition,emergency_hours_in_hours,emergency_hours_ooh,cea_level";

    fn schema() -> Schema {
        Schema::from_header(HEADER).unwrap()
    }

    #[test]
    fn reads_a_plain_row_in_one_pass() {
        let p = schema()
            .parse(b"c1,3,10,1.5,6,A,0.25,premium,2,1.125,4")
            .unwrap();
        let Costable::Units(row) = p.row else {
            panic!("a row in units")
        };
        let r = row.input();
        assert_eq!(p.id, (0, 2));
        assert_eq!(r.point, 3);
        assert_eq!(r.contracted, 100_000);
        assert_eq!(r.extra, 15_000);
        assert_eq!(r.rota_size, 6);
        assert_eq!(r.category, Some(OnCallCategory::A));
        assert_eq!(r.ooh_pas, 2_500);
        assert_eq!(r.recognition, Recognition::Premium);
        assert_eq!(r.emergency_plain, 20_000);
        assert_eq!(r.emergency_ooh, 11_250);
        assert_eq!(r.cea_level, 4);
    }

    #[test]
    fn quotes_spaces_and_crlf_go_the_slow_way_to_the_same_values() {
        let s = schema();
        let plain = s.parse(b"c1,3,10,1.5,6,A,0.25,premium,2,1.125,4").unwrap();
        let fancy = s
            .parse(b"\"c1\", 3 ,\"10\",1.50000,6,a,.25,Premium,2.0,1.125,4\r")
            .unwrap();
        assert_eq!(plain.row, fancy.row);
        assert_eq!(fancy.id, (0, 4));
    }

    #[test]
    fn columns_in_any_order_and_extra_columns() {
        let s = Schema::from_header(b"cea_level,notes,id,ooh_recognition,emergency_hours_ooh,emergency_hours_in_hours,ooh_pas_per_week,on_call_category,rota_size,extra_pas,contracted_pas,pay_threshold_index").unwrap();
        let p = s
            .parse(b"4,\"a, b\",c1,premium,1.125,2,0.25,A,6,1.5,10,3")
            .unwrap();
        let q = schema()
            .parse(b"c1,3,10,1.5,6,A,0.25,premium,2,1.125,4")
            .unwrap();
        assert_eq!(p.row, q.row);
    }

    fn problem(line: &[u8]) -> RowProblem {
        schema().parse(line).unwrap_err()
    }

    #[test]
    fn bad_values_name_their_column_and_value() {
        let p = problem(b"c1,3,10,0,-1,A,0,time,0,0,0");
        assert_eq!((p.column, p.value.as_str()), (4, "-1"));
        assert_eq!(p.problem, Problem::Invalid(Field::RotaSize));
        let p = problem(b"c1,3,10,0,6,C,0,time,0,0,0");
        assert_eq!((p.column, p.value.as_str()), (5, "C"));
        let p = problem(b"c1,3,ten,0,6,A,0,time,0,0,0");
        assert_eq!((p.column, p.value.as_str()), (2, "ten"));
        let p = problem(b"c1,3,10,0,6,A,0,time,0,0,14");
        assert_eq!((p.column, p.value.as_str()), (10, "14"));
        assert_eq!(p.problem, Problem::Invalid(Field::CeaLevel));
        let p = problem(b"c1,3,10,0,6,A,0,time,0.3.3,0,0");
        assert_eq!((p.column, p.value.as_str()), (8, "0.3.3"));
        let p = problem(b"c1,3,10,0,6,A,0,time,168.00001,0,0");
        assert_eq!(p.problem, Problem::Invalid(Field::EmergencyHoursInHours));
        let p = problem(b"c1,3,10,0,6,,0,time,0,0,0");
        assert_eq!(p.problem, Problem::Invalid(Field::OnCallCategory));
        let p = problem(b"c1,3,10,0,6,A,0,time,0,0");
        assert_eq!(p.problem, Problem::Missing { found: 10 });
        let p = problem(b"c1,3,10,0,6,A,0,time,0,0,0,9");
        assert_eq!(p.problem, Problem::TooMany { found: 12 });
        let p = problem(b"\"c1,3,10,0,6,A,0,time,0,0,0");
        assert_eq!(p.problem, Problem::Unterminated);
        let p = problem(b"c1,3,0,0,0,,0,time,0,0,0");
        assert_eq!(p.problem, Problem::Invalid(Field::ContractedPas));
    }

    #[test]
    fn many_decimal_places_are_read_exactly() {
        let p = schema()
            .parse(b"c1,3,10,0.333333333,6,A,0,time,0,0,0")
            .unwrap();
        let Costable::Exact(_) = p.row else {
            panic!("an exact row")
        };
        assert_eq!(exact_text(b".5"), Some(Decimal::new(5, 1)));
        assert_eq!(exact_text(b"1e3"), None);
        assert_eq!(exact_text(b"-1.00001"), None);
    }

    /// Source: the population file's optional `premium_agreed` column (OOH-3).
    #[test]
    fn premium_agreed_is_read_when_the_header_has_it() {
        let mut header = HEADER.to_vec();
        header.extend_from_slice(b",premium_agreed");
        let s = Schema::from_header(&header).unwrap();
        let agreed = |line: &[u8]| match s.parse(line).unwrap().row {
            Costable::Units(row) => row.input().premium_agreed,
            Costable::Exact(_) => panic!("a row in units"),
        };
        assert!(agreed(b"c1,3,10,0,6,A,0,premium,0,0,0,true"));
        assert!(!agreed(b"c1,3,10,0,6,A,0,premium,0,0,0,false"));
        assert!(agreed(b"c1,3,10,0,6,A,0,premium,0,0,0, TRUE "));
        assert!(!agreed(b"c1,3,10,0,6,A,0,premium,0,0,0,"));
        let p = s.parse(b"c1,3,10,0,6,A,0,premium,0,0,0,yes").unwrap_err();
        assert_eq!((p.column, p.value.as_str()), (11, "yes"));
        assert_eq!(p.problem, Problem::Invalid(Field::PremiumAgreed));
        // Without the column, no row is agreed.
        let Costable::Units(row) = schema()
            .parse(b"c1,3,10,0,6,A,0,premium,0,0,0")
            .unwrap()
            .row
        else {
            panic!("a row in units")
        };
        assert!(!row.input().premium_agreed);
    }

    #[test]
    fn header_problems_are_named() {
        let e = Schema::from_header(b"id,pay_threshold_index,contracted_pas,extra_pas,rota_size,on_call_category,ooh_pas_per_week,ooh_recognition,emergency_hours_in_hours,emergency_hours_ooh,cea_levl").unwrap_err();
        assert!(e.0.contains("no column cea_level"), "{e}");
        assert!(e.0.contains("cea_levl for cea_level"), "{e}");
        let mut twice = HEADER.to_vec();
        twice.extend_from_slice(b",id");
        let e = Schema::from_header(&twice).unwrap_err();
        assert!(e.0.contains("column id appears twice"), "{e}");
    }

    /// Tricky values for every column: every digit count, leading zeros, the largest figures,
    /// decimals from none to too many, quotes, spaces, other cases and bad values.
    const TOKENS: &[&str] = &[
        "0",
        "00",
        "007",
        "1",
        "7",
        "8",
        "10",
        "13",
        "14",
        "99",
        "168",
        "169",
        "1234567",
        "12345678",
        "168.0",
        "168.0000",
        "168.0001",
        "167.9999",
        "1.",
        "1.5",
        ".5",
        ".",
        "",
        "0.25",
        "3.2500",
        "1.12345",
        "1.00000",
        "0.0001",
        "00.50",
        "1e3",
        "-1",
        " 1",
        "1 ",
        "\"1\"",
        "1.2.3",
        "A",
        "a",
        "B",
        "b",
        "C",
        "time",
        "premium",
        "Time",
        "PREMIUM",
        "tiem",
        "premiums",
        "true",
        "false",
        "TRUE",
        "yes",
        "c0000001",
        "\"c1\"",
        "c1\"x",
        "c\r1",
        "\"a, b\"",
        "4294967296",
    ];

    fn token(seed: &mut u64) -> &'static str {
        *seed = seed.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = *seed;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        TOKENS[((z ^ (z >> 31)) % TOKENS.len() as u64) as usize]
    }

    /// Checks `parse_plain` against `parse` on `line` followed by `end` and then by `after`:
    /// when the one-pass reader takes a row, it is the row the field-by-field reader gives.
    fn same_as_parse(s: &Schema, line: &[u8], end: &[u8], after: &[u8]) -> bool {
        let mut buf = b"x,y\n".to_vec();
        let pos = buf.len();
        buf.extend_from_slice(line);
        buf.extend_from_slice(end);
        buf.extend_from_slice(after);
        let Some(plain) = s.parse_plain(&buf, pos) else {
            return false;
        };
        assert!(end.ends_with(b"\n"), "{:?}", String::from_utf8_lossy(line));
        let mut whole = line.to_vec();
        whole.extend_from_slice(&end[..end.len() - 1]);
        let parsed = s.parse(&whole).unwrap_or_else(|e| {
            panic!("{:?}: {e:?}", String::from_utf8_lossy(&whole));
        });
        assert_eq!(
            parsed.row,
            Costable::Units(plain.row),
            "{:?}",
            String::from_utf8_lossy(line)
        );
        assert_eq!(
            &whole[parsed.id.0..parsed.id.1],
            &buf[plain.id.0..plain.id.1],
            "{:?}",
            String::from_utf8_lossy(line)
        );
        assert_eq!(plain.next, pos + line.len() + end.len());
        true
    }

    /// Source: `Schema::parse_plain`: it reads exactly the rows `parse` reads, to the same values,
    /// in any column order, with CRLF, and never past the buffer's end.
    #[test]
    fn one_pass_rows_are_the_rows_parse_reads() {
        let headers: [&[u8]; 3] = [
            HEADER,
            b"cea_level,notes,ooh_recognition,emergency_hours_ooh,emergency_hours_in_hours,ooh_pas_per_week,on_call_category,rota_size,extra_pas,contracted_pas,pay_threshold_index,premium_agreed,id",
            b"id,pay_threshold_index,contracted_pas,extra_pas,rota_size,on_call_category,ooh_pas_per_week,ooh_recognition,emergency_hours_in_hours,emergency_hours_ooh,cea_level,premium_agreed",
        ];
        // A valid value for each role, to mix with the tricky ones.
        let valid = |r: Role, seed: &mut u64| -> &'static str {
            let pick = |opts: &[&'static str], seed: &mut u64| {
                *seed = seed.wrapping_mul(6_364_136_223_846_793_005).wrapping_add(1);
                opts[((*seed >> 33) % opts.len() as u64) as usize]
            };
            match r {
                Role::Id | Role::Ignored => pick(&["c1", "c0000001", "", "x"], seed),
                Role::Whole(POINT) => pick(&["0", "3", "7", "07"], seed),
                Role::Whole(ROTA) => pick(&["0", "6", "15", "100"], seed),
                Role::Whole(_) => pick(&["0", "1", "13"], seed),
                Role::Fixed(CONTRACTED) => pick(&["10", "7.5", "3.25", "168", "0.0001"], seed),
                Role::Fixed(_) => pick(&["0", "0.5", "2.75", "168.0000", "1.", ".25"], seed),
                Role::Category => pick(&["A", "B", "a", "b"], seed),
                Role::Recognition => pick(&["time", "premium"], seed),
                Role::Agreed => pick(&["true", "false", ""], seed),
            }
        };
        let mut seed = 7u64;
        let mut plain = 0;
        for header in headers {
            let s = Schema::from_header(header).unwrap();
            for n in 0..20_000 {
                let mut line = Vec::new();
                for (k, &r) in s.roles.iter().enumerate() {
                    if k > 0 {
                        line.push(b',');
                    }
                    // One tricky field in a quarter of the rows, all tricky in another quarter.
                    let tricky = (n % 4 == 0 && k == n / 4 % s.roles.len()) || n % 4 == 1;
                    let t = if tricky {
                        token(&mut seed)
                    } else {
                        valid(r, &mut seed)
                    };
                    line.extend_from_slice(t.as_bytes());
                }
                for end in [&b"\n"[..], b"\r\n", b"", b"\r", b",\n"] {
                    // Short buffers are read from a padded copy, long ones in place.
                    for after in [&b""[..], b"c2,1,10", b"xxxxxxxxxxxxxxxx", &[b'7'; 300]] {
                        if same_as_parse(&s, &line, end, after) {
                            plain += 1;
                        }
                    }
                }
            }
        }
        assert!(plain > 50_000, "{plain} rows read in one pass");
    }

    /// Source: `Schema::parse_plain`: a row cut short by the end of the buffer (a chunk's last
    /// line) is left to the reader that reads on.
    #[test]
    fn a_row_cut_by_the_end_of_the_buffer_is_not_read_in_one_pass() {
        let s = schema();
        let line = b"c1,3,10,1.5,6,A,0.25,premium,2,1.125,4\r\n";
        for cut in 0..line.len() {
            assert_eq!(s.parse_plain(&line[..cut], 0), None, "cut at {cut}");
        }
        let p = s.parse_plain(line, 0).unwrap();
        assert_eq!((p.id, p.next), ((0, 2), line.len()));
    }

    /// Source: `Schema::plain_rows`: it reads the lines `parse_plain` reads, one after another,
    /// and stops at the first it does not read, or at the first starting at or after the limit.
    #[test]
    fn plain_rows_stop_at_the_first_line_that_is_not_plain() {
        let mut text = Vec::new();
        crate::generate::generate(3_000, 5, &mut text).unwrap();
        let header_end = text.iter().position(|&c| c == b'\n').unwrap();
        let s = Schema::from_header(&text[..header_end]).unwrap();
        let starts: Vec<usize> = (header_end + 1..text.len())
            .filter(|&i| text[i - 1] == b'\n')
            .collect();
        for (k, bad) in [
            (0, &b"\"c1\",1,10,0,0,,0,time,0,0,0\n"[..]),
            (1_500, b"c1,8,10,0,0,,0,time,0,0,0\n"),
            (2_999, b"c1,1,10,0,0,,0,time,0,0,0,\n"),
        ] {
            let mut buf = text[..starts[k]].to_vec();
            buf.extend_from_slice(bad);
            buf.extend_from_slice(&text[starts[k]..]);
            let mut columns = Columns::default();
            let (pos, lines) = s.plain_rows(&buf, header_end + 1, buf.len(), &mut columns);
            assert_eq!((pos, lines, columns.len()), (starts[k], k as u64, k));
            assert_eq!(s.parse_plain(&buf, pos), None);
            // From the next line to a limit inside the file.
            let next = pos + bad.len();
            let limit = starts[(k + 100).min(2_999)] + bad.len() - 1;
            let (end, more) = s.plain_rows(&buf, next, limit, &mut columns);
            assert_eq!(end, limit + 1);
            assert_eq!(more as usize, (k + 100).min(2_999) - k);
        }
    }

    /// Source: `Schema::parse_plain`: every line `tenpa model --generate` writes is plain.
    #[test]
    fn generated_rows_are_read_in_one_pass() {
        let mut text = Vec::new();
        crate::generate::generate(5_000, 3, &mut text).unwrap();
        let header_end = text.iter().position(|&c| c == b'\n').unwrap();
        let s = Schema::from_header(&text[..header_end]).unwrap();
        let mut pos = header_end + 1;
        while pos < text.len() {
            let nl = pos + text[pos..].iter().position(|&c| c == b'\n').unwrap();
            assert!(same_as_parse(&s, &text[pos..nl], b"\n", b""));
            pos = nl + 1;
        }
    }
}
