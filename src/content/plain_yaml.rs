//! Front matter made only of `key: value` lines, read without the YAML parser.
//!
//! Nearly every page's front matter is a handful of such lines (`title: Setup`,
//! `nav_order: 2`), and the parser's set-up costs more than the reading: at 10,000 pages it
//! was the largest part of loading them. [`mapping`] accepts only lines whose meaning it
//! knows for certain — the value `serde_yaml` gives them, to the variant — and answers `None`
//! for anything else, which the parser then reads (and reports on, when it is wrong).

use serde_yaml::{Mapping, Number, Value};

/// The mapping `serde_yaml` reads from `yaml`, when every line is a plain `key: value` line
/// of the kinds below; `None` otherwise.
pub fn mapping(yaml: &str) -> Option<Mapping> {
    let mut mapping = Mapping::new();
    for line in yaml.split('\n') {
        if line.is_empty() {
            continue;
        }
        let (key, value) = split_line(line)?;
        let key = Value::String(key.to_string());
        // A key given twice is an error the parser reports.
        if mapping.contains_key(&key) {
            return None;
        }
        mapping.insert(key, value);
    }
    // No line at all is not a mapping to the parser (it reads an empty document as null).
    (!mapping.is_empty()).then_some(mapping)
}

/// Whether [`mapping`], when it reads `yaml` at all, reads what the parser does (for the
/// fuzz target, through `crate::fuzzing`).
pub fn agrees(yaml: &str) -> bool {
    mapping(yaml).is_none_or(
        |fast| matches!(serde_yaml::from_str(yaml), Ok(Value::Mapping(parsed)) if parsed == fast),
    )
}

/// A line's key and value.
fn split_line(line: &str) -> Option<(&str, Value)> {
    let colon = line.find(':')?;
    let key = &line[..colon];
    let first = *key.as_bytes().first()?;
    let key_ok = (first.is_ascii_alphabetic() || first == b'_')
        && key
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b == b'_' || b == b'-')
        && !is_null(key)
        && parse_bool(key).is_none();
    if !key_ok {
        return None;
    }
    let rest = line[colon + 1..].strip_prefix(' ')?;
    let value = rest.trim_matches(' ');
    Some((key, scalar(value)?))
}

/// The value of a scalar written on one line.
fn scalar(value: &str) -> Option<Value> {
    let first = *value.as_bytes().first()?;
    match first {
        b'"' => quoted(value, b'"'),
        b'\'' => quoted(value, b'\''),
        b'1'..=b'9' | b'0' => {
            // Decimal digits only, without a leading zero (which makes a string in YAML 1.2):
            // every other number form is left to the parser.
            let digits = value.bytes().all(|b| b.is_ascii_digit());
            let leading_zero = first == b'0' && value.len() > 1;
            (digits && !leading_zero && value.len() <= 18)
                .then(|| {
                    value
                        .parse::<u64>()
                        .ok()
                        .map(|n| Value::Number(Number::from(n)))
                })
                .flatten()
        }
        _ if first.is_ascii_alphabetic() || first == b'/' => {
            if !value.bytes().all(plain_byte) {
                return None;
            }
            if is_null(value) {
                return Some(Value::Null);
            }
            // Words that are numbers to Rust's float parser (`inf`, `NaN`) are not finite,
            // so YAML keeps them as text: only the true/false words are not text.
            Some(match parse_bool(value) {
                Some(boolean) => Value::Bool(boolean),
                None => Value::String(value.to_string()),
            })
        }
        _ => None,
    }
}

/// A quoted scalar without escapes, quotes inside or anything after it.
fn quoted(value: &str, quote: u8) -> Option<Value> {
    let inner = value
        .strip_prefix(quote as char)?
        .strip_suffix(quote as char)?;
    let clean = inner
        .bytes()
        .all(|b| b != quote && b != b'\\' && (b == b' ' || b.is_ascii_graphic()));
    clean.then(|| Value::String(inner.to_string()))
}

/// Bytes a plain scalar may hold here: printable ASCII that starts nothing in YAML (no
/// comment, mapping, anchor, alias, tag, flow collection or quote).
fn plain_byte(byte: u8) -> bool {
    (byte == b' ' || byte.is_ascii_graphic())
        && !matches!(
            byte,
            b'#' | b':'
                | b'"'
                | b'\\'
                | b'{'
                | b'}'
                | b'['
                | b']'
                | b'&'
                | b'*'
                | b'!'
                | b'|'
                | b'>'
                | b'%'
                | b'@'
                | b'`'
        )
}

fn is_null(scalar: &str) -> bool {
    matches!(scalar, "null" | "Null" | "NULL")
}

fn parse_bool(scalar: &str) -> Option<bool> {
    match scalar {
        "true" | "True" | "TRUE" => Some(true),
        "false" | "False" | "FALSE" => Some(false),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parsed(yaml: &str) -> Option<Mapping> {
        match serde_yaml::from_str::<Value>(yaml) {
            Ok(Value::Mapping(mapping)) => Some(mapping),
            _ => None,
        }
    }

    #[test]
    fn usual_front_matter_is_read_without_the_parser() {
        let yaml = "layout: default\ntitle: \"Matched Small\"\nnav_order: 1\nparent: Checking\n\
                    permalink: /checking/matched-small/\nhas_children: true\nsearch_exclude: False\n\
                    description: It's a 'page', (really) - see /x/y.html?a=1;b=2\n";
        let fast = mapping(yaml).expect("read without the parser");
        assert_eq!(Some(fast), parsed(yaml));
    }

    #[test]
    fn anything_unusual_is_left_to_the_parser() {
        for yaml in [
            // Found by the fuzzer: no line at all is null to the parser, not a mapping.
            "",
            "\n\n",
            "title: a: b",
            "title: a # note",
            "title: \"a\\tb\"",
            "title: 'it''s'",
            "title: x\ntitle: y",
            "nav_order: 01",
            "nav_order: 1.5",
            "nav_order: -1",
            "nav_order: 0x1f",
            "123: x",
            "true: x",
            "title:",
            "title:x",
            "  title: x",
            "title: x\n  more",
            "- a",
            "tags: [a, b]",
            "title: café",
            "title: *anchor",
            "title: \"a\" b",
            "title:\tx",
        ] {
            assert_eq!(mapping(yaml), None, "{yaml:?}");
        }
    }

    /// Random documents of awkward pieces: whenever the fast reader answers, it answers what
    /// the parser does.
    #[test]
    fn the_fast_reader_agrees_with_the_parser() {
        let keys = [
            "title",
            "nav_order",
            "_x",
            "a-b",
            "Null",
            "k9",
            "TRUE",
            "yes",
        ];
        let values = [
            "x",
            "1",
            "0",
            "00",
            "10",
            "999999999999999999",
            "true",
            "True",
            "FALSE",
            "null",
            "NULL",
            "~",
            "inf",
            "NaN",
            ".inf",
            "/a/b/",
            "a b",
            "a  b",
            "\"q\"",
            "'q'",
            "\"\"",
            "''",
            "\" s \"",
            "y",
            "no",
            "on",
            "a,b",
            "a'b",
            "a-",
            "e5",
            "1e5",
            "a?",
            "Infinity",
            "nan",
            "a;b=c",
            "A (b)",
            "x.y",
            "",
            " ",
            "a\"b",
        ];
        let mut seed = 0x2545_f491_4f6c_dd1du64;
        let mut next = |n: usize| {
            seed ^= seed << 13;
            seed ^= seed >> 7;
            seed ^= seed << 17;
            (seed % n as u64) as usize
        };
        let mut agreed = 0;
        for _ in 0..20_000 {
            let mut yaml = String::new();
            for _ in 0..1 + next(4) {
                let key = keys[next(keys.len())];
                let value = values[next(values.len())];
                let gap = [" ", "  ", ""][next(3)];
                let end = ["", " ", "\n"][next(3)];
                yaml.push_str(&format!("{key}:{gap}{value}{end}\n"));
            }
            if let Some(fast) = mapping(&yaml) {
                assert_eq!(Some(fast), parsed(&yaml), "{yaml:?}");
                agreed += 1;
            }
        }
        // The pieces are chosen so that both answers occur often.
        assert!(agreed > 1_000, "only {agreed} documents read fast");
    }
}
