//! Where a field is in a document's text: the byte offset of the value at a path such as
//! `year[3].ending`, for errors found after the document was read (years out of order) or that the
//! TOML reader only places at the start of their array.

use super::Format;
use serde::de::{self, Deserialize, Deserializer, MapAccess, SeqAccess, Visitor};
use std::collections::BTreeMap;
use std::fmt;
use toml::Spanned;

/// One step of a path: a table key or an array index.
#[derive(Debug, Clone, PartialEq, Eq)]
enum Segment<'a> {
    Key(&'a str),
    Index(usize),
}

/// `year[3].ending` → [Key(year), Index(3), Key(ending)]; `None` when the path is not of that form.
fn segments(path: &str) -> Option<Vec<Segment<'_>>> {
    let mut out = Vec::new();
    for part in path.split('.') {
        let (name, mut rest) = match part.find('[') {
            Some(i) => (&part[..i], &part[i..]),
            None => (part, ""),
        };
        if !name.is_empty() {
            out.push(Segment::Key(name));
        }
        while let Some(r) = rest.strip_prefix('[') {
            let (n, after) = r.split_once(']')?;
            out.push(Segment::Index(n.parse().ok()?));
            rest = after;
        }
    }
    Some(out)
}

/// The byte offset of the value at `path` in `text`, or of the deepest part of the path found.
pub(super) fn offset(text: &str, format: Format, path: &str) -> Option<usize> {
    let segs = segments(path)?;
    match format {
        Format::Toml => {
            let root: Spanned<Node> = toml::from_str(text).ok()?;
            let mut node = &root;
            let mut best = None;
            for s in &segs {
                let next = match (node.get_ref(), s) {
                    (Node::Table(t), Segment::Key(k)) => t.get(*k),
                    (Node::Array(a), Segment::Index(i)) => a.get(*i),
                    _ => None,
                };
                match next {
                    Some(n) => {
                        node = n;
                        best = Some(n.span().start);
                    }
                    None => break,
                }
            }
            best
        }
        Format::Json => json_offset(text.as_bytes(), &segs),
    }
}

/// A TOML value with the position of every part.
#[derive(Debug)]
enum Node {
    Table(BTreeMap<String, Spanned<Node>>),
    Array(Vec<Spanned<Node>>),
    Leaf,
}

impl<'de> Deserialize<'de> for Node {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct V;
        impl<'de> Visitor<'de> for V {
            type Value = Node;
            fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
                f.write_str("any TOML value")
            }
            fn visit_bool<E: de::Error>(self, _: bool) -> Result<Node, E> {
                Ok(Node::Leaf)
            }
            fn visit_i64<E: de::Error>(self, _: i64) -> Result<Node, E> {
                Ok(Node::Leaf)
            }
            fn visit_u64<E: de::Error>(self, _: u64) -> Result<Node, E> {
                Ok(Node::Leaf)
            }
            fn visit_f64<E: de::Error>(self, _: f64) -> Result<Node, E> {
                Ok(Node::Leaf)
            }
            fn visit_str<E: de::Error>(self, _: &str) -> Result<Node, E> {
                Ok(Node::Leaf)
            }
            fn visit_seq<A: SeqAccess<'de>>(self, mut a: A) -> Result<Node, A::Error> {
                let mut v = Vec::new();
                while let Some(x) = a.next_element::<Spanned<Node>>()? {
                    v.push(x);
                }
                Ok(Node::Array(v))
            }
            fn visit_map<A: MapAccess<'de>>(self, mut a: A) -> Result<Node, A::Error> {
                let mut m = BTreeMap::new();
                while let Some(k) = a.next_key::<String>()? {
                    // A date is handed over as a private one-field table; its value is the leaf.
                    if k.starts_with("$__toml_private") {
                        a.next_value::<de::IgnoredAny>()?;
                        return Ok(Node::Leaf);
                    }
                    let v = a.next_value::<Spanned<Node>>()?;
                    m.insert(k, v);
                }
                Ok(Node::Table(m))
            }
        }
        d.deserialize_any(V)
    }
}

/// A minimal walk over JSON text that is already known to be valid.
struct Json<'a> {
    b: &'a [u8],
    i: usize,
}

impl<'a> Json<'a> {
    fn ws(&mut self) {
        while self.i < self.b.len() && self.b[self.i].is_ascii_whitespace() {
            self.i += 1;
        }
    }

    fn eat(&mut self, c: u8) -> Option<()> {
        self.ws();
        (self.b.get(self.i) == Some(&c)).then(|| self.i += 1)
    }

    /// A string's raw contents (escapes left as written).
    fn string(&mut self) -> Option<&'a [u8]> {
        self.eat(b'"')?;
        let b = self.b;
        let start = self.i;
        while self.i < self.b.len() {
            match self.b[self.i] {
                b'\\' => self.i += 2,
                b'"' => {
                    self.i += 1;
                    return b.get(start..self.i - 1);
                }
                _ => self.i += 1,
            }
        }
        None
    }

    fn skip(&mut self, depth: usize) -> Option<()> {
        self.ws();
        match *self.b.get(self.i)? {
            b'"' => self.string().map(|_| ()),
            b'{' | b'[' if depth > 200 => None,
            b'{' => {
                self.i += 1;
                if self.eat(b'}').is_some() {
                    return Some(());
                }
                loop {
                    self.string()?;
                    self.eat(b':')?;
                    self.skip(depth + 1)?;
                    if self.eat(b',').is_none() {
                        return self.eat(b'}');
                    }
                }
            }
            b'[' => {
                self.i += 1;
                if self.eat(b']').is_some() {
                    return Some(());
                }
                loop {
                    self.skip(depth + 1)?;
                    if self.eat(b',').is_none() {
                        return self.eat(b']');
                    }
                }
            }
            _ => {
                while self.i < self.b.len() && !b",]} \t\r\n".contains(&self.b[self.i]) {
                    self.i += 1;
                }
                Some(())
            }
        }
    }
}

fn json_offset(b: &[u8], segs: &[Segment]) -> Option<usize> {
    let mut j = Json { b, i: 0 };
    let mut best = None;
    for s in segs {
        j.ws();
        let found = match s {
            Segment::Key(k) => {
                if j.eat(b'{').is_none() {
                    break;
                }
                let mut found = false;
                if j.eat(b'}').is_none() {
                    loop {
                        let key = j.string()?;
                        j.eat(b':')?;
                        if key == k.as_bytes() {
                            found = true;
                            break;
                        }
                        j.skip(0)?;
                        if j.eat(b',').is_none() {
                            break;
                        }
                    }
                }
                found
            }
            Segment::Index(n) => {
                if j.eat(b'[').is_none() {
                    break;
                }
                let mut found = j.eat(b']').is_none();
                for _ in 0..*n {
                    if !found {
                        break;
                    }
                    j.skip(0)?;
                    found = j.eat(b',').is_some();
                }
                found
            }
        };
        if !found {
            break;
        }
        j.ws();
        best = Some(j.i);
    }
    best
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::source::line_col;

    fn at(text: &str, format: Format, path: &str) -> Option<(usize, usize)> {
        offset(text, format, path).map(|o| line_col(text, o))
    }

    #[test]
    fn finds_a_field_of_the_nth_table_in_an_array_of_tables() {
        let t = "[consultant]\nid = \"x\"\n\n[[year]]\nending = 2004-09-01\n\n[[year]]\nending = 2005-09-01\n";
        assert_eq!(at(t, Format::Toml, "year[1].ending"), Some((8, 10)));
        assert_eq!(at(t, Format::Toml, "year[0]"), Some((4, 1)));
        // The deepest part found stands in for a missing field.
        assert_eq!(at(t, Format::Toml, "consultant.name"), Some((1, 1)));
        assert_eq!(at(t, Format::Toml, "nothing"), None);
    }

    #[test]
    fn finds_a_field_in_json() {
        let t = "{\"consultant\": {\"id\": \"x\"},\n \"year\": [{\"ending\": \"2004-09-01\"},\n  {\"note\": \"a]\\\"b\", \"ending\": \"2005-09-01\"}]}";
        assert_eq!(at(t, Format::Json, "year[1].ending"), Some((3, 31)));
        assert_eq!(at(t, Format::Json, "consultant.id"), Some((1, 23)));
        assert_eq!(at(t, Format::Json, "year[5]"), Some((2, 10)));
    }

    #[test]
    fn paths_split_into_keys_and_indices() {
        assert_eq!(
            segments("year[3].appeal.decided"),
            Some(vec![
                Segment::Key("year"),
                Segment::Index(3),
                Segment::Key("appeal"),
                Segment::Key("decided")
            ])
        );
        assert_eq!(segments("a[x]"), None);
    }
}
