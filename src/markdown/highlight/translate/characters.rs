//! The atoms of a pattern that stand for characters: classes, escapes and literals, written
//! as the ASCII bytes they match (asked of Oniguruma itself for classes and `\w`-like escapes).

use std::collections::HashMap;
use std::sync::{LazyLock, Mutex};

use syntect::parsing::{Regex, Region};

use super::{ANY_TEXT, FOLDED_SEQUENCES, Flags, NEVER, Result, Translator, Untranslatable};

impl Translator {
    /// A bracketed class, nested classes included, as written.
    pub(super) fn class_text(&mut self) -> Result<String> {
        let start = self.pos;
        self.pos += 1;
        let mut depth = 1;
        self.class_opening()?;
        loop {
            match self.bump()? {
                // (A `[:alpha:]` inside the class is skipped by the guard.)
                '[' if !self.posix_bracket() => {
                    depth += 1;
                    self.class_opening()?;
                }
                ']' => {
                    depth -= 1;
                    if depth == 0 {
                        return Ok(self.chars[start..self.pos].iter().collect());
                    }
                }
                '\\' => {
                    self.bump()?;
                }
                _ => {}
            }
        }
    }

    /// After a class's `[`: an optional `^`. A `]` right there is a literal to Oniguruma
    /// (`[]a]`); not worth the ambiguity.
    fn class_opening(&mut self) -> Result<()> {
        self.eat('^');
        if self.peek() == Some(']') {
            return Err(Untranslatable);
        }
        Ok(())
    }

    /// Skips `[:name:]` or `[:^name:]` right after a `[` inside a class.
    fn posix_bracket(&mut self) -> bool {
        if self.peek() != Some(':') {
            return false;
        }
        let mut end = self.pos + 1;
        if self.chars.get(end) == Some(&'^') {
            end += 1;
        }
        let name_start = end;
        while self.chars.get(end).is_some_and(char::is_ascii_lowercase) {
            end += 1;
        }
        if end > name_start
            && self.chars.get(end) == Some(&':')
            && self.chars.get(end + 1) == Some(&']')
        {
            self.pos = end + 2;
            true
        } else {
            false
        }
    }

    /// The escape after a `\`.
    pub(super) fn escape(&mut self, flags: Flags) -> Result<()> {
        let c = self.bump()?;
        match c {
            'w' | 'W' | 's' | 'S' | 'd' | 'D' | 'h' | 'H' | 'N' | 'O' => {
                self.single_character(&format!("\\{c}"), flags)
            }
            'p' | 'P' => {
                if !self.eat('{') {
                    return Err(Untranslatable);
                }
                let mut text = format!("\\{c}{{");
                loop {
                    let c = self.bump()?;
                    text.push(c);
                    if c == '}' {
                        break;
                    }
                    if !(c.is_ascii_alphanumeric() || matches!(c, '_' | ' ' | '-' | '^' | '=')) {
                        return Err(Untranslatable);
                    }
                }
                self.single_character(&text, flags)
            }
            // Word boundaries are the same in ASCII text; `\Z` (end, or before a final
            // newline) is the end of the line as `$` is.
            'b' | 'B' | 'A' | 'z' => {
                self.out.push('\\');
                self.out.push(c);
                Ok(())
            }
            'Z' => {
                self.out.push_str("(?m:$)");
                Ok(())
            }
            'G' | 'K' | 'y' | 'Y' => self.approximate("(?:)"),
            'R' => self.approximate(r"(?:\r\n|[\n\x0B\x0C\r])"),
            'X' => self.approximate("(?s-u:.)+"),
            'k' | 'g' => {
                let end = match self.bump()? {
                    '<' => '>',
                    '\'' => '\'',
                    _ => return Err(Untranslatable),
                };
                while self.bump()? != end {}
                self.approximate(ANY_TEXT)
            }
            '1'..='9' => {
                // A back-reference (or an octal escape, which matches one of those texts).
                while self.peek().is_some_and(|c| c.is_ascii_digit()) {
                    self.pos += 1;
                }
                self.approximate(ANY_TEXT)
            }
            '0' => {
                let mut value = 0u32;
                for _ in 0..2 {
                    match self.peek().and_then(|c| c.to_digit(8)) {
                        Some(digit) => {
                            value = value * 8 + digit;
                            self.pos += 1;
                        }
                        None => break,
                    }
                }
                self.code_point(value, flags)
            }
            'x' => {
                let value = if self.eat('{') {
                    let value = self.hex_digits(8)?;
                    if !self.eat('}') {
                        return Err(Untranslatable);
                    }
                    value
                } else {
                    self.hex_digits(2)?
                };
                self.code_point(value, flags)
            }
            'u' => {
                let start = self.pos;
                let value = self.hex_digits(4)?;
                if self.pos - start != 4 {
                    return Err(Untranslatable);
                }
                self.code_point(value, flags)
            }
            't' => self.literal('\t', flags),
            'n' => self.literal('\n', flags),
            'r' => self.literal('\r', flags),
            'f' => self.literal('\x0c', flags),
            'v' => self.literal('\x0b', flags),
            'a' => self.literal('\x07', flags),
            'e' => self.literal('\x1b', flags),
            c if c.is_ascii_alphanumeric() => Err(Untranslatable),
            c => self.literal(c, flags),
        }
    }

    /// Up to `max` hexadecimal digits (at least one).
    fn hex_digits(&mut self, max: usize) -> Result<u32> {
        let mut value = 0u32;
        let mut count = 0;
        while count < max {
            match self.peek().and_then(|c| c.to_digit(16)) {
                Some(digit) => {
                    value = value * 16 + digit;
                    self.pos += 1;
                    count += 1;
                }
                None => break,
            }
        }
        if count == 0 {
            return Err(Untranslatable);
        }
        Ok(value)
    }

    fn code_point(&mut self, value: u32, flags: Flags) -> Result<()> {
        let c = char::from_u32(value).ok_or(Untranslatable)?;
        self.literal(c, flags)
    }

    /// One literal character.
    pub(super) fn literal(&mut self, c: char, flags: Flags) -> Result<()> {
        if c.is_ascii() {
            if flags.ignore_case && c.is_ascii_alphabetic() {
                let _ = write_byte_class(
                    &mut self.out,
                    &[c.to_ascii_lowercase() as u8, c.to_ascii_uppercase() as u8],
                );
            } else {
                push_byte(&mut self.out, c as u8);
            }
            return Ok(());
        }
        if flags.ignore_case {
            // A non-ASCII letter may fold to ASCII (K, ſ, ß): ask Oniguruma.
            return self.single_character(&c.to_string(), flags);
        }
        self.out.push_str(NEVER);
        Ok(())
    }

    /// An atom that matches one character (a class, `\w`, `.`): the ASCII characters it
    /// matches, as Oniguruma itself says.
    pub(super) fn single_character(&mut self, text: &str, flags: Flags) -> Result<()> {
        let members = probe(&format!("{}{text}", flags.prefix()))?;
        let mut class = String::new();
        if !write_byte_class(&mut class, &members) {
            class.push_str(NEVER);
        }
        if flags.ignore_case && !folds_to_one_character(text) {
            if self.exact {
                return Err(Untranslatable);
            }
            self.out.push_str("(?:");
            self.out.push_str(&class);
            self.out.push('|');
            self.out.push_str(FOLDED_SEQUENCES);
            self.out.push(')');
        } else {
            self.out.push_str(&class);
        }
        Ok(())
    }
}

/// Whether a one-character atom, under `(?i)`, surely matches one character only: a dot, or
/// a class of listed ASCII characters and ranges. A class that may hold a character such as
/// `ß` (through `\w`, a property, a negation or a non-ASCII member) may match `ss`.
fn folds_to_one_character(text: &str) -> bool {
    if text == "." {
        return true;
    }
    let bytes = text.as_bytes();
    text.is_ascii()
        && !text.contains("[:")
        && !text.contains("[^")
        && !bytes.windows(2).any(|pair| {
            // `\xDF`, `\u00DF` and `\337` are all `ß`.
            pair[0] == b'\\'
                && pair[1].is_ascii_alphanumeric()
                && !matches!(pair[1], b't' | b'n' | b'r' | b'f' | b'v' | b'a' | b'e')
        })
}

/// Writes `[...]` for the given bytes; `false` (and nothing written) when there are none.
fn write_byte_class(out: &mut String, bytes: &[u8]) -> bool {
    if bytes.is_empty() {
        return false;
    }
    out.push('[');
    // `bytes` is sorted: write runs as ranges.
    let mut index = 0;
    while index < bytes.len() {
        let first = bytes[index];
        let mut last = first;
        while index + 1 < bytes.len() && bytes[index + 1] == last + 1 {
            index += 1;
            last = bytes[index];
        }
        push_byte(out, first);
        if last != first {
            out.push('-');
            push_byte(out, last);
        }
        index += 1;
    }
    out.push(']');
    true
}

fn push_byte(out: &mut String, byte: u8) {
    const HEX: &[u8; 16] = b"0123456789ABCDEF";
    out.push_str("\\x");
    out.push(HEX[usize::from(byte >> 4)] as char);
    out.push(HEX[usize::from(byte & 15)] as char);
}

/// The ASCII characters (as bytes) that the one-character pattern `pattern` matches.
fn probe(pattern: &str) -> Result<Vec<u8>> {
    static PROBES: LazyLock<Mutex<HashMap<String, Option<Vec<u8>>>>> =
        LazyLock::new(Mutex::default);
    if let Some(known) = PROBES.lock().ok().and_then(|p| p.get(pattern).cloned()) {
        return known.ok_or(Untranslatable);
    }
    let result = if Regex::try_compile(pattern).is_some() {
        None
    } else {
        let regex = Regex::new(pattern.to_string());
        let mut region = Region::new();
        let mut members = Vec::new();
        let mut text = [0u8; 1];
        for byte in 0u8..0x80 {
            text[0] = byte;
            let text = std::str::from_utf8(&text).expect("ASCII");
            if regex.search(text, 0, 1, Some(&mut region)) && region.pos(0) == Some((0, 1)) {
                members.push(byte);
            }
        }
        Some(members)
    };
    if let Ok(mut probes) = PROBES.lock() {
        probes.insert(pattern.to_string(), result.clone());
    }
    result.ok_or(Untranslatable)
}
