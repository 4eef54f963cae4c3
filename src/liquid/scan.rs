//! A first pass over a template that finds every `{{ … }}` and `{% … %}` with its place.
//!
//! liquid-rust reports few positions and stops at the first error, so folio finds the
//! markup itself: the checks ([`super::check`]) report every unknown tag, filter and unclosed
//! block at its line and column, and Jekyll's own tags, whose arguments liquid-rust's grammar
//! does not accept (`{% include a/b.html x="y" %}`, `{% link docs/x.md %}`), are found here
//! and handed to liquid-rust in a form it parses ([`super::tags`]).

use std::ops::Range;

/// One piece of markup.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Markup {
    /// The whole markup, from `{` to `}`.
    pub span: Range<usize>,
    pub kind: Kind,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Kind {
    /// `{{ … }}`: the text between the delimiters (without `-` trims).
    Output { inner: Range<usize> },
    /// `{% name args %}`.
    Tag {
        name: Range<usize>,
        args: Range<usize>,
    },
}

/// What the scan found.
#[derive(Debug, Default)]
pub struct Scan {
    /// Markup outside `raw` and `comment` blocks, in order (the `raw`/`comment` tags and
    /// their end tags are included).
    pub markups: Vec<Markup>,
    /// Where a `{{` or `{%` starts that is never closed.
    pub unclosed: Option<usize>,
}

impl Markup {
    /// The tag's name, for tags.
    pub fn tag_name<'s>(&self, source: &'s str) -> Option<&'s str> {
        match &self.kind {
            Kind::Tag { name, .. } => Some(&source[name.clone()]),
            Kind::Output { .. } => None,
        }
    }

    /// The tag's arguments, trimmed.
    pub fn tag_args<'s>(&self, source: &'s str) -> &'s str {
        match &self.kind {
            Kind::Tag { args, .. } => source[args.clone()].trim(),
            Kind::Output { inner } => source[inner.clone()].trim(),
        }
    }
}

/// Whether `text` holds any Liquid markup at all (the fast path: most pages have none).
pub fn has_markup(text: &str) -> bool {
    let bytes = text.as_bytes();
    memchr::memchr_iter(b'{', bytes).any(|i| matches!(bytes.get(i + 1), Some(b'{') | Some(b'%')))
}

/// Finds the markup of `source`.
pub fn scan(source: &str) -> Scan {
    let mut scan = Scan::default();
    let bytes = source.as_bytes();
    let mut at = 0;
    // Inside `raw` (no nesting) or `comment` (nesting): the name and the depth.
    // Inside `raw` (no nesting) or `comment` (nesting): its name and depth. One never closed
    // stays open in the checks, which report it.
    let mut verbatim: Option<(String, usize)> = None;
    loop {
        // Inside a verbatim block only tags matter: liquid-rust reads `{{` there as text.
        let next = match verbatim {
            Some(_) => next_tag_open(bytes, at),
            None => next_open(bytes, at),
        };
        let Some(start) = next else { break };
        let Some(markup) = read_markup(source, start) else {
            if verbatim.is_some() {
                at = start + 2;
                continue;
            }
            scan.unclosed = Some(start);
            break;
        };
        at = markup.span.end;
        if let Some((name, depth)) = &mut verbatim {
            let Some(tag) = markup.tag_name(source) else {
                continue;
            };
            if tag.strip_prefix("end") == Some(name.as_str()) && markup.tag_args(source).is_empty()
            {
                *depth -= 1;
                if *depth == 0 {
                    verbatim = None;
                    scan.markups.push(markup);
                }
            } else if tag == name && name == "comment" {
                *depth += 1;
            }
            continue;
        }
        if let Some(name @ ("raw" | "comment")) = markup.tag_name(source) {
            verbatim = Some((name.to_string(), 1));
        }
        scan.markups.push(markup);
    }
    scan
}

fn next_open(bytes: &[u8], from: usize) -> Option<usize> {
    let mut at = from;
    while let Some(i) = memchr::memchr(b'{', bytes.get(at..)?) {
        let i = at + i;
        if matches!(bytes.get(i + 1), Some(b'{') | Some(b'%')) {
            return Some(i);
        }
        at = i + 1;
    }
    None
}

fn next_tag_open(bytes: &[u8], from: usize) -> Option<usize> {
    memchr::memmem::find(bytes.get(from..)?, b"{%").map(|i| from + i)
}

/// The markup that starts at `start` (`{{` or `{%`), or `None` when it is never closed.
fn read_markup(source: &str, start: usize) -> Option<Markup> {
    let bytes = source.as_bytes();
    let is_tag = bytes.get(start + 1) == Some(&b'%');
    let closer: &[u8] = if is_tag { b"%}" } else { b"}}" };
    let mut inner_start = start + 2;
    if bytes.get(inner_start) == Some(&b'-') {
        inner_start += 1;
    }
    let close = find_closer(bytes, inner_start, closer)?;
    let end = close + 2;
    let mut inner_end = close;
    if inner_end > inner_start && bytes[inner_end - 1] == b'-' {
        inner_end -= 1;
    }
    let kind = if is_tag {
        let text = &source[inner_start..inner_end];
        let lead = text.len() - text.trim_start().len();
        let name_start = inner_start + lead;
        let name_len = source[name_start..inner_end]
            .find(|c: char| !(c.is_ascii_alphanumeric() || c == '_' || c == '-'))
            .unwrap_or(inner_end - name_start);
        Kind::Tag {
            name: name_start..name_start + name_len,
            args: name_start + name_len..inner_end,
        }
    } else {
        Kind::Output {
            inner: inner_start..inner_end,
        }
    };
    Some(Markup {
        span: start..end,
        kind,
    })
}

/// The offset of `closer` after `from`, skipping quoted strings that are closed before it
/// (as liquid-rust's grammar does).
fn find_closer(bytes: &[u8], from: usize, closer: &[u8]) -> Option<usize> {
    let mut at = from;
    while at + 1 < bytes.len() {
        let byte = bytes[at];
        if byte == closer[0] && bytes[at + 1] == closer[1] {
            return Some(at);
        }
        if byte == b'"' || byte == b'\'' {
            let quote_end = memchr::memchr(byte, &bytes[at + 1..]).map(|i| at + 1 + i);
            if let Some(quote_end) = quote_end {
                let closer_before = memchr::memmem::find(&bytes[at + 1..quote_end], closer);
                // A string that would swallow the closer is taken as plain text, as an
                // apostrophe in `{% include x.html title="it's" %}`-style markup is.
                if closer_before.is_none() {
                    at = quote_end + 1;
                    continue;
                }
            }
        }
        at += 1;
    }
    None
}

/// The template handed to liquid-rust, with the places it was changed, so positions in it
/// can be turned back into positions in the source.
#[derive(Debug, Default)]
pub struct Rewritten {
    pub text: String,
    /// (offset in `text` where a replacement ends, how much longer the source was there).
    shifts: Vec<(usize, isize)>,
}

impl Rewritten {
    /// Replaces each `(range, replacement)` (sorted, not overlapping) in `source`.
    pub fn new(source: &str, replacements: &[(Range<usize>, String)]) -> Rewritten {
        let mut text = String::with_capacity(source.len());
        let mut shifts = Vec::with_capacity(replacements.len());
        let mut last = 0;
        let mut total: isize = 0;
        for (range, replacement) in replacements {
            text.push_str(&source[last..range.start]);
            text.push_str(replacement);
            total += range.len() as isize - replacement.len() as isize;
            shifts.push((text.len(), total));
            last = range.end;
        }
        text.push_str(&source[last..]);
        Rewritten { text, shifts }
    }

    /// The source offset of offset `at` of the rewritten text.
    pub fn source_offset(&self, at: usize) -> usize {
        let shift = self
            .shifts
            .iter()
            .take_while(|(end, _)| *end <= at)
            .last()
            .map_or(0, |(_, shift)| *shift);
        (at as isize + shift).max(0) as usize
    }
}

/// The byte offset of 1-based `line` and `column` (in characters) of `text`.
pub fn offset_of(text: &str, line: usize, column: usize) -> usize {
    let mut offset = 0;
    for _ in 1..line {
        match text[offset..].find('\n') {
            Some(i) => offset += i + 1,
            None => return text.len(),
        }
    }
    let line_text = &text[offset..];
    let within = line_text
        .char_indices()
        .nth(column.saturating_sub(1))
        .map_or(line_text.len(), |(i, _)| i);
    offset + within
}
