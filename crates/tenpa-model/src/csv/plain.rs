//! Reading plain rows in one pass, straight from the read buffer ([`Schema::parse_plain`],
//! [`Schema::plain_rows`]).
//!
//! A row is read from a block of [`SPAN`] bytes starting at its first byte: the buffer itself
//! where it holds that many bytes from there, or else a copy padded with zero bytes (which are
//! neither digits, letters nor delimiters, so a line cut short by the padding is never taken).
//! Each field is read from the word ([`crate::swar`]) at its offset in the block: a figure's end is
//! its first byte that is not a digit, its decimal point is moved out with two masks, its value
//! is three multiplications, and the byte after it (which must be the comma or line end) comes
//! from the same word. Nothing depends on the row's values but the checks: whether a figure has a
//! point, whether a category is given, and which form of recognition is named are all computed
//! without a branch, so the processor does not mispredict on mixed rows. A row is taken only when
//! it ends within [`LONGEST`] bytes, so every word read lies inside the block.

use super::{Role, Schema, CEA, CONTRACTED, EXTRA, OOH_HOURS, OOH_PAS, PLAIN, POINT, ROTA};
use crate::swar::{delimiters, digits_value, first, low_bytes, non_digits};
use tenpa_rules::plan::{OnCallCategory, Recognition};
use tenpa_rules::population::{Columns, Row, RowInput, DECIMAL_PLACES, UNITS};

/// The longest line read in one pass, its line end included (a power of two); longer lines go
/// to [`Schema::parse`].
pub const LONGEST: usize = 256;

/// The bytes a row is read from: [`LONGEST`] and one word more, so that a word read at any
/// offset below [`LONGEST`] is inside the block.
pub const SPAN: usize = LONGEST + 8;

type Block = [u8; SPAN];

/// The word at offset `o` of the block. The offset is taken modulo [`LONGEST`], which changes
/// nothing for a row that is taken (all its offsets are below [`LONGEST`]) and keeps every read
/// inside the block without a check.
#[inline(always)]
fn word_at(b: &Block, o: usize) -> u64 {
    let o = o & (LONGEST - 1);
    let mut w = [0u8; 8];
    w.copy_from_slice(&b[o..o + 8]);
    u64::from_le_bytes(w)
}

/// Byte `n` (0 to 7) of a word.
#[inline(always)]
fn byte(w: u64, n: usize) -> u8 {
    (w >> (8 * (n & 7))) as u8
}

// Units of a figure with 0 to 4 decimal places.
const _: () = assert!(DECIMAL_PLACES == 4 && UNITS == 10_000);
const SCALE: [u64; 5] = [10_000, 1_000, 100, 10, 1];

/// A plain fixed-point figure at the start of a word: digits, or digits, a point and at most
/// [`DECIMAL_PLACES`] digits (at least one digit in all), seven bytes at most. Its value in
/// [`UNITS`] and its length; `None` for anything else. Whether there is a point is not a branch:
/// without one, the count of decimals is masked to zero and the bytes moved down are shifted
/// out by [`digits_value`].
#[inline(always)]
pub fn fixed(w: u64) -> Option<(u64, usize)> {
    let n1 = first(non_digits(w));
    // The byte after the integer digits (for eight digits, a digit: the shift wraps to 0).
    let after = w.wrapping_shr(8 * n1 as u32);
    let point = usize::from(after as u8 == b'.');
    // The decimals: the digits after the point (the top bytes shifted in are zeros, which are not
    // digits), none without a point.
    let f = first(non_digits(after >> 8)) & point.wrapping_neg();
    let digits = n1 + f;
    let len = n1 + point + f;
    if digits == 0 || len > 7 || f > DECIMAL_PLACES as usize {
        return None;
    }
    // The integer digits, then the decimals moved down over the point.
    let d = (w & low_bytes(n1)) | ((w >> 8) & !low_bytes(n1));
    Some((digits_value(d, digits) * SCALE[f], len))
}

/// Whole digits at the start of a word, seven at most: their value and count.
#[inline(always)]
pub fn whole(w: u64) -> Option<(u64, usize)> {
    let n = first(non_digits(w));
    if n == 0 || n > 7 {
        return None;
    }
    Some((digits_value(w, n), n))
}

/// `text` as the low bytes of a word.
const fn word_of(text: &[u8]) -> u64 {
    let mut w = 0u64;
    let mut k = text.len();
    while k > 0 {
        k -= 1;
        w = (w << 8) | text[k] as u64;
    }
    w
}

const TIME: u64 = word_of(b"time");
const PREMIUM: u64 = word_of(b"premium");
const TRUE: u64 = word_of(b"true");
const FALSE: u64 = word_of(b"false");

/// The columns of `docs/documents.md`, in its order (as `tenpa model --generate` writes them).
pub(super) const STANDARD: [Role; 11] = [
    Role::Id,
    Role::Whole(POINT),
    Role::Fixed(CONTRACTED),
    Role::Fixed(EXTRA),
    Role::Whole(ROTA),
    Role::Category,
    Role::Fixed(OOH_PAS),
    Role::Recognition,
    Role::Fixed(PLAIN),
    Role::Fixed(OOH_HOURS),
    Role::Whole(CEA),
];

/// A row being read: the values so far and the offset in the block of the next field.
struct Reading {
    num: [u64; 8],
    category: Option<OnCallCategory>,
    premium: bool,
    agreed: bool,
    id: (usize, usize),
    o: usize,
}

/// Reads the field at `r.o` for `role` and steps over its comma (or, for the `last` column, its
/// line end); `None` when the field is not plain or not followed by what should follow it.
#[inline(always)]
fn step(role: Role, last: bool, b: &Block, r: &mut Reading) -> Option<()> {
    let o = r.o;
    let w = word_at(b, o);
    let (n, t) = match role {
        Role::Fixed(slot) => {
            let (v, n) = fixed(w)?;
            r.num[slot] = v;
            (n, byte(w, n))
        }
        Role::Whole(slot) => {
            let (v, n) = whole(w)?;
            r.num[slot] = v;
            (n, byte(w, n))
        }
        Role::Id | Role::Ignored => {
            if w as u8 == b'"' {
                return None;
            }
            // The first comma or line end, a word at a time.
            let mut k = o;
            let e = loop {
                let m = delimiters(word_at(b, k));
                if m != 0 {
                    break k + first(m);
                }
                k += 8;
                if k >= LONGEST {
                    return None;
                }
            };
            if role == Role::Id {
                // A line's `\r\n` is not part of its last field.
                let crlf = last && e > o && b[(e - 1) & (LONGEST - 1)] == b'\r';
                r.id = (o, e - usize::from(crlf));
            }
            (e - o, b[e & (LONGEST - 1)])
        }
        Role::Category => {
            // `A`, `a`, `B`, `b` or nothing (`| 0x20` maps only `A` and `a` to `a`).
            let c = w as u8 | 0x20;
            let is_b = c == b'b';
            let n = usize::from(c == b'a' || is_b);
            r.category = (n == 1).then_some(if is_b {
                OnCallCategory::B
            } else {
                OnCallCategory::A
            });
            (n, byte(w, n))
        }
        Role::Recognition => {
            let time = w & low_bytes(4) == TIME;
            let premium = w & low_bytes(7) == PREMIUM;
            if !(time || premium) {
                return None;
            }
            r.premium = premium;
            let n = 4 + 3 * usize::from(premium);
            (n, byte(w, n))
        }
        Role::Agreed => {
            let yes = w & low_bytes(4) == TRUE;
            let no = w & low_bytes(5) == FALSE;
            r.agreed = yes;
            let n = 4 * usize::from(yes) + 5 * usize::from(no);
            (n, byte(w, n))
        }
    };
    let end = o + n;
    r.o = if !last {
        if t != b',' {
            return None;
        }
        end + 1
    } else if t == b'\n' {
        end + 1
    } else if t == b'\r' && b[(end + 1) & (LONGEST - 1)] == b'\n' {
        end + 2
    } else {
        return None;
    };
    Some(())
}

/// A row read by [`Schema::parse_plain`].
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Plain {
    /// The checked row.
    pub row: Row,
    /// Start and end of the `id` field in the buffer.
    pub id: (usize, usize),
    /// Where the next line starts: just after this line's `\n`.
    pub next: usize,
}

impl Schema {
    /// Reads the line starting at `pos` of `buf` in one pass, if it is plain: every field as the
    /// fast path of [`Schema::parse`] reads it without help (no quotes or spaces; figures of at
    /// most seven characters and four decimal places; names and categories as written in the
    /// documentation, in lower case), the row within its checks, and its `\n` in `buf` within
    /// [`LONGEST`] bytes. Gives the same row as [`Schema::parse`] of the line; `None` for
    /// anything else, which that then reads (or explains).
    #[inline]
    pub fn parse_plain(&self, buf: &[u8], pos: usize) -> Option<Plain> {
        let mut padded = [0u8; SPAN];
        let b = block(buf, pos, &mut padded)?;
        let (row, id, len) = if self.standard {
            read_row::<true>(&self.roles, b)?
        } else {
            read_row::<false>(&self.roles, b)?
        };
        Some(Plain {
            row,
            id: (pos + id.0, pos + id.1),
            next: pos + len,
        })
    }

    /// Reads plain lines from `pos` into `columns` while they start before `limit`: where the
    /// reading stopped (at `limit` or later, or at a line that is not plain, for
    /// [`Schema::parse`]) and the lines read.
    pub fn plain_rows(
        &self,
        buf: &[u8],
        pos: usize,
        limit: usize,
        columns: &mut Columns,
    ) -> (usize, u64) {
        if self.standard {
            rows::<true>(&self.roles, buf, pos, limit, columns)
        } else {
            rows::<false>(&self.roles, buf, pos, limit, columns)
        }
    }
}

/// The block of a row at `pos`: the buffer itself, or a zero-padded copy near its end; `None`
/// when `pos` is past the end.
#[inline(always)]
fn block<'a>(buf: &'a [u8], pos: usize, padded: &'a mut Block) -> Option<&'a Block> {
    let rest = buf.get(pos..)?;
    match rest.first_chunk::<SPAN>() {
        Some(b) => Some(b),
        None => {
            padded[..rest.len()].copy_from_slice(rest);
            Some(padded)
        }
    }
}

#[inline(always)]
fn rows<const STANDARD_ORDER: bool>(
    roles: &[Role],
    buf: &[u8],
    mut pos: usize,
    limit: usize,
    columns: &mut Columns,
) -> (usize, u64) {
    let mut n = 0;
    let mut padded = [0u8; SPAN];
    while pos < limit {
        let b = match buf.get(pos..).and_then(|r| r.first_chunk::<SPAN>()) {
            Some(b) => b,
            None => match block(buf, pos, &mut padded) {
                Some(b) => b,
                None => break,
            },
        };
        let Some((row, _, len)) = read_row::<STANDARD_ORDER>(roles, b) else {
            break;
        };
        columns.push(&row);
        n += 1;
        pos += len;
    }
    (pos, n)
}

/// Reads the row at the start of a block: the checked row, its id's range and its length, line
/// end included. With `STANDARD_ORDER` the columns are [`STANDARD`], each step compiled for its
/// column; otherwise the steps follow `roles`.
#[inline(always)]
fn read_row<const STANDARD_ORDER: bool>(
    roles: &[Role],
    b: &Block,
) -> Option<(Row, (usize, usize), usize)> {
    let mut r = Reading {
        num: [0; 8],
        category: None,
        premium: false,
        agreed: false,
        id: (0, 0),
        o: 0,
    };
    if STANDARD_ORDER {
        step(Role::Id, false, b, &mut r)?;
        step(Role::Whole(POINT), false, b, &mut r)?;
        step(Role::Fixed(CONTRACTED), false, b, &mut r)?;
        step(Role::Fixed(EXTRA), false, b, &mut r)?;
        step(Role::Whole(ROTA), false, b, &mut r)?;
        step(Role::Category, false, b, &mut r)?;
        step(Role::Fixed(OOH_PAS), false, b, &mut r)?;
        step(Role::Recognition, false, b, &mut r)?;
        step(Role::Fixed(PLAIN), false, b, &mut r)?;
        step(Role::Fixed(OOH_HOURS), false, b, &mut r)?;
        step(Role::Whole(CEA), true, b, &mut r)?;
    } else {
        let last = roles.len().checked_sub(1)?;
        for (k, &role) in roles.iter().enumerate() {
            step(role, k == last, b, &mut r)?;
        }
    }
    // Every offset read was below the row's end.
    if r.o > LONGEST {
        return None;
    }
    let n = &r.num;
    let row = Row::new(RowInput {
        point: n[POINT],
        contracted: n[CONTRACTED],
        extra: n[EXTRA],
        rota_size: n[ROTA],
        category: r.category,
        ooh_pas: n[OOH_PAS],
        recognition: if r.premium {
            Recognition::Premium
        } else {
            Recognition::Time
        },
        premium_agreed: r.agreed,
        emergency_plain: n[PLAIN],
        emergency_ooh: n[OOH_HOURS],
        cea_level: n[CEA],
    })
    .ok()?;
    Some((row, r.id, r.o))
}

#[cfg(test)]
mod tests {
    use super::super::{fixed_text, whole_text};
    use super::*;
    use proptest::prelude::*;

    /// Bytes a figure is made of, and others, for words.
    fn figure_byte() -> impl Strategy<Value = u8> {
        prop_oneof![
            8 => b'0'..=b'9',
            2 => Just(b'.'),
            1 => Just(b','),
            1 => Just(b'\n'),
            1 => any::<u8>(),
        ]
    }

    /// The figure at the start of `bytes`, read byte by byte: digits, then a point and digits if
    /// there is a point.
    fn figure_at(bytes: &[u8]) -> &[u8] {
        let int = bytes.iter().take_while(|c| c.is_ascii_digit()).count();
        if bytes.get(int) != Some(&b'.') {
            return &bytes[..int];
        }
        let frac = bytes[int + 1..]
            .iter()
            .take_while(|c| c.is_ascii_digit())
            .count();
        &bytes[..int + 1 + frac]
    }

    proptest! {
        /// Source: `fixed`: a figure of at most seven bytes and four decimals, at least one digit,
        /// has the value `Schema::parse` reads; any other is not taken.
        #[test]
        fn fixed_reads_what_parse_reads(bytes in prop::array::uniform8(figure_byte())) {
            let text = figure_at(&bytes);
            let digits = text.iter().filter(|c| c.is_ascii_digit()).count();
            let decimals = text.iter().position(|&c| c == b'.').map_or(0, |p| text.len() - p - 1);
            let plain = digits > 0 && text.len() <= 7 && decimals <= DECIMAL_PLACES as usize;
            let want = plain.then(|| (fixed_text(text).expect("a plain figure"), text.len()));
            prop_assert_eq!(fixed(u64::from_le_bytes(bytes)), want, "{:?}", bytes);
        }

        /// Source: `whole`: one to seven digits have the value `Schema::parse` reads; any other
        /// count is not taken.
        #[test]
        fn whole_reads_what_parse_reads(bytes in prop::array::uniform8(figure_byte())) {
            let n = bytes.iter().take_while(|c| c.is_ascii_digit()).count();
            let want = (1..=7).contains(&n).then(|| (whole_text(&bytes[..n]).expect("digits"), n));
            prop_assert_eq!(whole(u64::from_le_bytes(bytes)), want, "{:?}", bytes);
        }
    }

    /// Source: `Schema::parse_plain`: a line is read in one pass up to [`LONGEST`] bytes, line
    /// end included, whether the block is the buffer itself or a padded copy, and not beyond.
    #[test]
    fn lines_up_to_the_longest_are_read_in_one_pass() {
        let s = Schema::from_header(
            b"id,pay_threshold_index,contracted_pas,extra_pas,rota_size,on_call_category,ooh_pas_per_week,ooh_recognition,emergency_hours_in_hours,emergency_hours_ooh,cea_level",
        )
        .unwrap();
        let rest = b",3,10,1.5,6,A,0.25,premium,2,1.125,4\n";
        for id_len in [
            1,
            7,
            8,
            9,
            100,
            LONGEST - rest.len() - 1,
            LONGEST - rest.len(),
            LONGEST - rest.len() + 1,
            300,
        ] {
            let mut line = vec![b'c'; id_len];
            line.extend_from_slice(rest);
            for after in [0, SPAN] {
                let mut buf = line.clone();
                buf.extend(std::iter::repeat_n(b'9', after));
                let p = s.parse_plain(&buf, 0);
                assert_eq!(p.is_some(), line.len() <= LONGEST, "{id_len}, {after}");
                if let Some(p) = p {
                    assert_eq!((p.id, p.next), ((0, id_len), line.len()));
                }
            }
        }
    }
}
