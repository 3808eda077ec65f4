//! `tenpa model --generate N --seed S OUT.csv`: a synthetic population for benchmarks and demos.
//!
//! Deterministic for a seed (SplitMix64), and shaped like a consultant workforce. Each row draws
//! independently:
//!
//! | column | distribution |
//! |---|---|
//! | `id` | `c` and the row number, `c0000001` … |
//! | `pay_threshold_index` | 0-7 with weights 8, 7, 7, 7, 8, 14, 14, 35 (%): most consultants are at the top thresholds |
//! | `contracted_pas` | 10 (80%); else 9 (4%), 8 (4%), 7.5 (4%), 6 (4%), 5 (2%), 3.25 (2%) |
//! | `extra_pas` | 0 (45%), 0.5 (10%), 1 (25%), 1.5 (7%), 2 (10%), 3 (3%) |
//! | `rota_size` | 0 (25%); else 1 in 2-4 (15%), 1 in 5-8 (40%), 1 in 9-15 (20%), uniform within each |
//! | `on_call_category` | A (65%), B (35%); empty when not on a rota |
//! | `ooh_pas_per_week` | 0 (65%); else 0.25 to 3 in quarters, uniform |
//! | `ooh_recognition` | time (75%), premium (25%) |
//! | `emergency_hours_in_hours` | on a rota: 0 to 4 in quarter hours, uniform; else 0 |
//! | `emergency_hours_ooh` | on a rota: 0 to 6 in quarter hours, uniform; else 0 |
//! | `cea_level` | 0 (55%); 1-9 (40%, falling with the level); 10-13 (5%) |

use std::io::{self, Write};

struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    /// Uniform in 0..n.
    fn below(&mut self, n: u64) -> u64 {
        ((u128::from(self.next()) * u128::from(n)) >> 64) as u64
    }

    /// An index drawn with the given weights (summing to 100).
    fn weighted(&mut self, weights: &[u64]) -> usize {
        let mut x = self.below(weights.iter().sum());
        for (i, &w) in weights.iter().enumerate() {
            if x < w {
                return i;
            }
            x -= w;
        }
        weights.len() - 1
    }
}

/// The header `--generate` writes: the columns of `docs/documents.md`, in its order.
pub const HEADER: &str = "id,pay_threshold_index,contracted_pas,extra_pas,rota_size,on_call_category,ooh_pas_per_week,ooh_recognition,emergency_hours_in_hours,emergency_hours_ooh,cea_level\n";

fn quarters(out: &mut Vec<u8>, q: u64) {
    let whole = q / 4;
    out.extend_from_slice(whole.to_string().as_bytes());
    match q % 4 {
        1 => out.extend_from_slice(b".25"),
        2 => out.extend_from_slice(b".5"),
        3 => out.extend_from_slice(b".75"),
        _ => {}
    }
}

/// Writes `n` rows for `seed`.
pub fn generate(n: u64, seed: u64, w: &mut impl Write) -> io::Result<()> {
    let mut rng = Rng(seed);
    let mut out = Vec::with_capacity(1 << 20);
    out.extend_from_slice(HEADER.as_bytes());
    let mut id = itoa_buf();
    for i in 1..=n {
        out.push(b'c');
        id.clear();
        id.extend_from_slice(i.to_string().as_bytes());
        out.extend(std::iter::repeat_n(b'0', 7usize.saturating_sub(id.len())));
        out.extend_from_slice(&id);
        out.push(b',');
        let point = rng.weighted(&[8, 7, 7, 7, 8, 14, 14, 35]);
        out.push(b'0' + point as u8);
        out.push(b',');
        let contracted: &[u8] = match rng.weighted(&[80, 4, 4, 4, 4, 2, 2]) {
            0 => b"10",
            1 => b"9",
            2 => b"8",
            3 => b"7.5",
            4 => b"6",
            5 => b"5",
            _ => b"3.25",
        };
        out.extend_from_slice(contracted);
        out.push(b',');
        let extra: &[u8] = match rng.weighted(&[45, 10, 25, 7, 10, 3]) {
            0 => b"0",
            1 => b"0.5",
            2 => b"1",
            3 => b"1.5",
            4 => b"2",
            _ => b"3",
        };
        out.extend_from_slice(extra);
        out.push(b',');
        let rota = match rng.weighted(&[25, 15, 40, 20]) {
            0 => 0,
            1 => 2 + rng.below(3),
            2 => 5 + rng.below(4),
            _ => 9 + rng.below(7),
        };
        out.extend_from_slice(rota.to_string().as_bytes());
        out.push(b',');
        if rota > 0 {
            out.push(if rng.below(100) < 65 { b'A' } else { b'B' });
        }
        out.push(b',');
        let ooh = if rng.below(100) < 65 {
            0
        } else {
            1 + rng.below(12)
        };
        quarters(&mut out, ooh);
        out.push(b',');
        out.extend_from_slice(if rng.below(100) < 75 {
            b"time"
        } else {
            b"premium"
        });
        out.push(b',');
        let (plain, night) = if rota > 0 {
            (rng.below(17), rng.below(25))
        } else {
            (0, 0)
        };
        quarters(&mut out, plain);
        out.push(b',');
        quarters(&mut out, night);
        out.push(b',');
        let cea = match rng.weighted(&[55, 40, 5]) {
            0 => 0,
            1 => 1 + rng.weighted(&[20, 18, 15, 13, 11, 9, 6, 5, 3]) as u64,
            _ => 10 + rng.below(4),
        };
        out.extend_from_slice(cea.to_string().as_bytes());
        out.push(b'\n');
        if out.len() > (1 << 20) - 128 {
            w.write_all(&out)?;
            out.clear();
        }
    }
    w.write_all(&out)?;
    w.flush()
}

fn itoa_buf() -> Vec<u8> {
    Vec::with_capacity(20)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_same_seed_gives_the_same_file_and_another_seed_another() {
        let run = |seed| {
            let mut v = Vec::new();
            generate(2_000, seed, &mut v).unwrap();
            v
        };
        assert_eq!(run(1), run(1));
        assert_ne!(run(1), run(2));
        let text = String::from_utf8(run(1)).unwrap();
        assert_eq!(text.lines().count(), 2_001);
        assert!(text.lines().nth(1).unwrap().starts_with("c0000001,"));
        // About a quarter of consultants are not on a rota.
        let off = text
            .lines()
            .skip(1)
            .filter(|l| l.split(',').nth(4) == Some("0"))
            .count();
        assert!((400..600).contains(&off), "{off}");
    }
}
