//! Eight bytes at a time in one `u64` ("SIMD within a register"): where the digits of a field end,
//! their value, and where the next comma or line end is. The byte at the lowest address is the
//! lowest byte of the word (`u64::from_le_bytes`), so "first" means "lowest".

/// `0x01` in every byte.
const ONES: u64 = 0x0101_0101_0101_0101;
/// The top bit of every byte.
const HIGHS: u64 = 0x8080_8080_8080_8080;

/// The eight bytes at `i`; bytes past the end of `b` read as zero (which is neither a digit nor
/// a delimiter). `None` when `i` itself is past the end.
#[inline(always)]
pub fn word(b: &[u8], i: usize) -> Option<u64> {
    match b.get(i..)?.first_chunk::<8>() {
        Some(w) => Some(u64::from_le_bytes(*w)),
        None => Some(short_word(&b[i..])),
    }
}

#[cold]
fn short_word(b: &[u8]) -> u64 {
    let mut w = [0u8; 8];
    w[..b.len()].copy_from_slice(b);
    u64::from_le_bytes(w)
}

/// The low `n` bytes of a word set (`n` from 0 to 8).
#[inline(always)]
pub fn low_bytes(n: usize) -> u64 {
    const LOW: [u64; 9] = [
        0,
        0xFF,
        0xFFFF,
        0xFF_FFFF,
        0xFFFF_FFFF,
        0xFF_FFFF_FFFF,
        0xFFFF_FFFF_FFFF,
        0xFF_FFFF_FFFF_FFFF,
        u64::MAX,
    ];
    LOW[n.min(8)]
}

/// The top bit set in each byte of `w` that is not an ASCII digit (`0x30` to `0x39`), at least up
/// to the first such byte: the lowest mark is exact, and nothing below it is marked, though marks
/// above it may be wrong (a borrow or carry out of a non-digit byte reaches the byte above). Only
/// the lowest mark is used ([`first`]). Digits neither borrow when `0x30` is subtracted nor carry
/// when `0x46` is added; every other byte sets its top bit in one of the two.
#[inline(always)]
pub fn non_digits(w: u64) -> u64 {
    (w.wrapping_add(ONES * 0x46) | w.wrapping_sub(ONES * 0x30)) & HIGHS
}

/// The index (0 to 7) of the first byte flagged by a mask of top bits; 8 when none is.
#[inline(always)]
pub fn first(mask: u64) -> usize {
    (mask.trailing_zeros() / 8) as usize
}

/// The value of the decimal digits in the low `n` bytes of `w` (`n` from 1 to 8; the bytes must
/// be ASCII digits, or already digit values 0 to 9). Three multiplications: the digits are moved
/// to the top of the word (so the missing ones read as leading zeros), then pairs, fours and eights
/// are combined (the products' carries past the top of the word are not needed, hence wrapping).
#[inline(always)]
pub fn digits_value(w: u64, n: usize) -> u64 {
    debug_assert!((1..=8).contains(&n));
    let d = (w & 0x0F0F_0F0F_0F0F_0F0F) << (8 * (8 - n));
    let d = d.wrapping_mul(10 << 8 | 1) >> 8;
    let d = (d & 0x00FF_00FF_00FF_00FF).wrapping_mul(100 << 16 | 1) >> 16;
    (d & 0x0000_FFFF_0000_FFFF).wrapping_mul(10_000 << 32 | 1) >> 32
}

/// The top bit set in each byte of `w` that holds a `,` or a `\n`, at least up to the first
/// such byte: the lowest mark is exact and nothing below it is marked (a byte of `w ^ 0x2C…2C`
/// is zero exactly where `w` holds a comma, and `(x - 0x01…01) & !x & 0x80…80` marks the lowest
/// zero byte of `x` exactly; higher marks may be false, so only the lowest is used).
#[inline(always)]
pub fn delimiters(w: u64) -> u64 {
    let c = w ^ (ONES * u64::from(b','));
    let n = w ^ (ONES * u64::from(b'\n'));
    ((c.wrapping_sub(ONES) & !c) | (n.wrapping_sub(ONES) & !n)) & HIGHS
}

/// The index of the first `,` or `\n` in `b` from `i`, eight bytes at a time ([`delimiters`]);
/// `None` if the bytes of `b` run out first.
#[inline(always)]
pub fn comma_or_newline(b: &[u8], mut i: usize) -> Option<usize> {
    while let Some(w) = b.get(i..).and_then(|r| r.first_chunk::<8>()) {
        let found = delimiters(u64::from_le_bytes(*w));
        if found != 0 {
            return Some(i + first(found));
        }
        i += 8;
    }
    b.get(i..)?
        .iter()
        .position(|&c| c == b',' || c == b'\n')
        .map(|k| i + k)
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn any_byte() -> impl Strategy<Value = u8> {
        prop_oneof![
            Just(b','),
            Just(b'\n'),
            Just(b','.wrapping_add(1)),
            Just(b'\n' | 0x80),
            b'0'..=b'9',
            any::<u8>(),
        ]
    }

    proptest! {
        /// Source: `delimiters`: its lowest mark is the first comma or line end of the word.
        #[test]
        fn the_first_delimiter_mark_is_the_first_comma_or_line_end(
            bytes in prop::array::uniform8(any_byte())
        ) {
            let want = bytes.iter().position(|&c| c == b',' || c == b'\n').unwrap_or(8);
            prop_assert_eq!(first(delimiters(u64::from_le_bytes(bytes))), want);
        }

        /// Source: `non_digits` and `digits_value`: the first mark is the first byte that is not a
        /// digit, and the digits before it have their value.
        #[test]
        fn digits_and_their_value(bytes in prop::array::uniform8(any_byte())) {
            let n = bytes.iter().position(|c| !c.is_ascii_digit()).unwrap_or(8);
            let w = u64::from_le_bytes(bytes);
            prop_assert_eq!(first(non_digits(w)), n);
            if n > 0 {
                let want = bytes[..n].iter().fold(0u64, |v, &c| v * 10 + u64::from(c - b'0'));
                prop_assert_eq!(digits_value(w, n), want);
            }
        }
    }

    fn w(s: &[u8]) -> u64 {
        let mut b = [b'x'; 8];
        b[..s.len()].copy_from_slice(s);
        u64::from_le_bytes(b)
    }

    #[test]
    fn the_first_mark_is_the_first_byte_that_is_not_a_digit() {
        for byte in 0..=255u8 {
            for other in [
                b'0', b'9', b'.', b',', 0x00, 0x2F, 0x3A, 0x80, 0xB9, 0xBA, 0xFF,
            ] {
                for at in 0..8 {
                    for at2 in at + 1..9 {
                        let mut b = *b"01234567";
                        b[at] = byte;
                        if at2 < 8 {
                            b[at2] = other;
                        }
                        let expected = b.iter().position(|c| !c.is_ascii_digit()).unwrap_or(8);
                        let got = first(non_digits(u64::from_le_bytes(b)));
                        assert_eq!(got, expected, "{b:?}");
                    }
                }
            }
        }
    }

    #[test]
    fn reads_every_count_of_digits() {
        for n in 1..=8 {
            for v in [
                0u64, 1, 7, 10, 99, 1234, 9_999_999, 99_999_999, 10_000_000, 40_302_010,
            ] {
                let text = format!("{v:0n$}");
                if text.len() != n {
                    continue;
                }
                assert_eq!(digits_value(w(text.as_bytes()), n), v, "{text}");
            }
        }
        assert_eq!(digits_value(w(b"00000000"), 8), 0);
        assert_eq!(digits_value(w(b"99999999"), 8), 99_999_999);
        assert_eq!(digits_value(w(b"12,"), 2), 12);
    }

    #[test]
    fn low_bytes_are_masks() {
        for n in 0..=8 {
            assert_eq!(low_bytes(n).count_ones() as usize, 8 * n);
            assert_eq!(low_bytes(n).trailing_ones() as usize, 8 * n);
        }
    }

    #[test]
    fn finds_the_first_comma_or_newline() {
        let mut v = vec![b'x'; 40];
        assert_eq!(comma_or_newline(&v, 0), None);
        for at in 0..40 {
            for c in [b',', b'\n'] {
                v[at] = c;
                for from in 0..=at {
                    assert_eq!(comma_or_newline(&v, from), Some(at));
                }
                v[39] = b',';
                assert_eq!(comma_or_newline(&v, 0), Some(at));
                v[39] = b'x';
                v[at] = c | 0x80;
                assert_eq!(comma_or_newline(&v, 0), None);
                v[at] = c + 1;
                assert_eq!(comma_or_newline(&v, 0), None);
                v[at] = b'x';
            }
        }
    }
}
