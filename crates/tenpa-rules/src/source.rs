//! Positions in source text, shared by the parameter loader and the document parser.

/// The 1-based line and column of a byte offset in `text`.
pub fn line_col(text: &str, offset: usize) -> (usize, usize) {
    let offset = offset.min(text.len());
    let before = &text.as_bytes()[..offset];
    let line = before.iter().filter(|&&b| b == b'\n').count() + 1;
    let line_start = before
        .iter()
        .rposition(|&b| b == b'\n')
        .map_or(0, |p| p + 1);
    let column = String::from_utf8_lossy(&before[line_start..])
        .chars()
        .count()
        + 1;
    (line, column)
}

/// For a serde "unknown field `x`, expected one of `a`, `b`" message, a suggestion of the nearest
/// known name; `None` when the message is not of that kind or nothing is near.
pub fn suggest_field(message: &str) -> Option<String> {
    let rest = message.split("unknown field `").nth(1)?;
    let (unknown, rest) = rest.split_once('`')?;
    let known: Vec<&str> = rest.split('`').skip(1).step_by(2).collect();
    nearest(unknown, &known).map(str::to_string)
}

/// The name in `known` nearest to `word`, if any is near enough to be a likely typing error.
pub fn nearest<'a>(word: &str, known: &[&'a str]) -> Option<&'a str> {
    known
        .iter()
        .map(|k| (strsim::damerau_levenshtein(word, k), *k))
        .filter(|(d, k)| *d <= 3.max(k.len() / 3) && *d < k.len().max(word.len()))
        .min_by_key(|(d, _)| *d)
        .map(|(_, k)| k)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn line_col_counts_from_one() {
        assert_eq!(line_col("ab\ncd", 0), (1, 1));
        assert_eq!(line_col("ab\ncd", 4), (2, 2));
    }

    #[test]
    fn suggests_nearest_known_field() {
        let m = "unknown field `rota_sise`, expected one of `rota_size`, `category`";
        assert_eq!(suggest_field(m).as_deref(), Some("rota_size"));
        let m = "unknown field `zzzzzzzz`, expected `day` or `start`";
        assert_eq!(suggest_field(m), None);
    }
}
