//! Checks on a template's markup that report every problem at its place, before liquid-rust
//! parses it (liquid-rust stops at the first problem and often cannot say where it is), and
//! the places of the errors liquid-rust reports itself.

use std::path::Path;

use liquid_core::Language;

use super::ranges::{self, MAX_RANGE_ITEMS};
use super::scan::{Kind, Markup, Scan, offset_of};
use crate::diagnostics::{Diagnostic, closest, line_col};

/// A template's text and where it comes from, for messages.
#[derive(Debug, Clone, Copy)]
pub struct Source<'s> {
    pub text: &'s str,
    /// The file, relative to the site root.
    pub file: &'s Path,
    /// The file line of the text's first line (a page body starts after its front matter).
    pub first_line: usize,
}

impl Source<'_> {
    /// An error at byte `offset` of the text.
    pub fn error_at(&self, offset: usize, message: impl Into<String>) -> Diagnostic {
        let (line, column) = line_col(self.text, offset);
        Diagnostic::error(message)
            .in_file(self.file)
            .at(line + self.first_line - 1, column)
    }
}

/// Tags that only appear inside a block, and the blocks that take them.
const INNER_TAGS: &[(&str, &[&str])] = &[
    ("else", &["if", "unless", "for", "case"]),
    ("elsif", &["if", "unless"]),
    ("when", &["case"]),
];

const TAG_HELP: &str = "folio runs Liquid's standard tags and Jekyll's `link`, `include`, \
    `include_cached`, `include_relative`, `highlight` and `raw`; tags of Jekyll plugins are \
    not available";

/// Every unknown tag, stray or missing end tag, unknown filter and unclosed markup.
pub fn check(scan: &Scan, source: &Source<'_>, language: &Language) -> Vec<Diagnostic> {
    let mut problems = Vec::new();
    // Open blocks: name and start offset.
    let mut open: Vec<(&str, usize)> = Vec::new();
    let text = source.text;
    for markup in &scan.markups {
        let inner = match &markup.kind {
            Kind::Output { inner } => inner,
            Kind::Tag { args, .. } => args,
        };
        check_numbers(inner.clone(), source, &mut problems);
        match &markup.kind {
            Kind::Output { inner } => {
                if let Some(quote) = unclosed_quote(&text[inner.clone()]) {
                    // liquid-rust can panic while it explains this one (found by fuzz/).
                    problems.push(
                        source
                            .error_at(inner.start + quote, "a string that is not closed")
                            .with_help("end the string with the quote it starts with"),
                    );
                    continue;
                }
                check_filters(markup, source, language, &mut problems)
            }
            Kind::Tag { name, args } => {
                let name = &text[name.clone()];
                let at = markup.span.start;
                if name.is_empty() {
                    problems.push(
                        source
                            .error_at(at, "a tag without a name")
                            .with_help("write `{% name … %}`, or `{{ value }}` to show a value"),
                    );
                } else if name == "cycle" && cycle_without_values(&text[args.clone()]) {
                    // liquid-rust divides by the number of values (found by fuzz/).
                    problems.push(
                        source
                            .error_at(at, "`cycle` with a group name but no values")
                            .with_help("list the values after the name: {% cycle \"group\": \"odd\", \"even\" %}"),
                    );
                } else if language.blocks.get(name).is_some() {
                    open.push((name, at));
                    if let (Kind::Tag { args, .. }, "for" | "tablerow") = (&markup.kind, name) {
                        check_range(args.clone(), source, &mut problems);
                    }
                } else if let Some(opened) = name.strip_prefix("end") {
                    close_block(opened, name, at, &mut open, source, language, &mut problems);
                } else if let Some((_, parents)) = INNER_TAGS.iter().find(|(t, _)| *t == name) {
                    let inside = open
                        .last()
                        .is_some_and(|(block, _)| parents.contains(block));
                    if !inside {
                        let list = parents
                            .iter()
                            .map(|p| format!("`{p}`"))
                            .collect::<Vec<_>>()
                            .join(", ");
                        problems.push(
                            source
                                .error_at(at, format!("`{name}` outside a block it belongs to"))
                                .with_help(format!("`{name}` goes inside one of {list}")),
                        );
                    }
                } else if language.tags.get(name).is_none() {
                    problems.push(unknown_tag(name, at, source, language));
                } else if name == "assign" || name == "echo" {
                    check_filters(markup, source, language, &mut problems);
                }
            }
        }
    }
    for (name, at) in open {
        problems.push(
            source
                .error_at(at, format!("`{name}` tag was never closed"))
                .with_help(format!("add `{{% end{name} %}}` where the block ends")),
        );
    }
    // An unclosed `raw` or `comment` is reported above: it is still on the open list.
    if let Some(at) = scan.unclosed {
        let (open, close) = if text[at..].starts_with("{%") {
            ("{%", "%}")
        } else {
            ("{{", "}}")
        };
        problems.push(
            source
                .error_at(at, format!("`{open}` is not closed with `{close}`"))
                .with_help(format!(
                    "add `{close}`, or wrap text that shows Liquid markup in `{{% raw %}}…{{% endraw %}}`"
                )),
        );
    }
    problems
}

fn unknown_tag(name: &str, at: usize, source: &Source<'_>, language: &Language) -> Diagnostic {
    let known: Vec<&str> = language
        .tags
        .plugin_names()
        .chain(language.blocks.plugin_names())
        .collect();
    let diagnostic = source
        .error_at(at, format!("unknown tag `{name}`"))
        .with_help(TAG_HELP);
    match closest(name, known) {
        Some(suggestion) => diagnostic.with_suggestion(suggestion),
        None => diagnostic,
    }
}

fn close_block(
    opened: &str,
    end_name: &str,
    at: usize,
    open: &mut Vec<(&str, usize)>,
    source: &Source<'_>,
    language: &Language,
    problems: &mut Vec<Diagnostic>,
) {
    if language.blocks.get(opened).is_none() {
        problems.push(unknown_tag(end_name, at, source, language));
        return;
    }
    match open.last() {
        Some((block, _)) if *block == opened => {
            open.pop();
        }
        Some((block, start)) => {
            let (line, column) = line_col(source.text, *start);
            problems.push(
                source
                    .error_at(
                        at,
                        format!(
                            "`{end_name}` closes `{block}` (opened at {}:{column}), which needs `end{block}`",
                            line + source.first_line - 1
                        ),
                    )
                    .with_help(format!("close `{block}` with `{{% end{block} %}}` first")),
            );
            // Take the mismatched block as closed, if it is open further out, so one
            // mistake is reported once.
            if let Some(index) = open.iter().rposition(|(b, _)| *b == opened) {
                open.truncate(index);
            }
        }
        None => problems.push(
            source
                .error_at(at, format!("`{end_name}` closes no open `{opened}` block"))
                .with_help(format!(
                    "remove it, or open the block with `{{% {opened} … %}}` before it"
                )),
        ),
    }
}

/// A loop over a literal range (`(1..N)`) that is too long: liquid-rust makes the range in
/// memory whole before it loops (and before `limit:`), so `(1..100000000000)` would take
/// terabytes and end folio (found by fuzz/, the liquid target's first inputs). Ranges with
/// variable bounds are checked while rendering ([`super::ranges`]).
fn check_range(args: std::ops::Range<usize>, source: &Source<'_>, problems: &mut Vec<Diagnostic>) {
    let text = &source.text[args.clone()];
    let Some(found) = ranges::loop_range(text) else {
        return;
    };
    let (Ok(start), Ok(stop)) = (
        text[found.start].parse::<i128>(),
        text[found.stop].parse::<i128>(),
    ) else {
        return;
    };
    let items = stop - start + 1;
    if items > MAX_RANGE_ITEMS {
        problems.push(
            source
                .error_at(
                    args.start + found.range.start,
                    format!(
                        "the range `{}` has {items} items; folio loops over at most {MAX_RANGE_ITEMS}",
                        &text[found.range]
                    ),
                )
                .with_help(RANGE_HELP),
        );
    }
}

/// Whole numbers in markup that do not fit in 64 bits: liquid-rust's parser panics on them
/// (found by fuzz/, the liquid target). Text in quotes, names (`item2`) and fractions are
/// not whole numbers.
fn check_numbers(
    inner: std::ops::Range<usize>,
    source: &Source<'_>,
    problems: &mut Vec<Diagnostic>,
) {
    let text = &source.text[inner.clone()];
    let bytes = text.as_bytes();
    let in_name = |b: Option<u8>| b.is_some_and(|b| b.is_ascii_alphanumeric() || b == b'_');
    let byte_at = |i: Option<usize>| i.map(|i| bytes[i]);
    let mut unquoted = Unquoted::new(text).peekable();
    while let Some((at, c)) = unquoted.next() {
        let before = byte_at(at.checked_sub(1));
        if !c.is_ascii_digit() || in_name(before) {
            continue;
        }
        let mut end = at + 1;
        while unquoted
            .next_if(|&(i, d)| i == end && d.is_ascii_digit())
            .is_some()
        {
            end += 1;
        }
        // A sign belongs to the number unless it is part of a name (`my-1`).
        let signed = matches!(before, Some(b'-' | b'+')) && !in_name(byte_at(at.checked_sub(2)));
        let start = if signed { at - 1 } else { at };
        let fraction = before == Some(b'.') && at >= 2 && bytes[at - 2].is_ascii_digit();
        let float =
            bytes.get(end) == Some(&b'.') && bytes.get(end + 1).is_some_and(u8::is_ascii_digit);
        if !fraction && !float && text[start..end].parse::<i64>().is_err() {
            problems.push(
                source
                    .error_at(
                        inner.start + start,
                        format!("the number `{}` is too large for Liquid", &text[start..end]),
                    )
                    .with_help("Liquid's whole numbers lie between -9223372036854775808 and 9223372036854775807; write a larger number in quotes, as text"),
            );
        }
    }
}

/// The offset of a quote that opens a string no quote closes.
fn unclosed_quote(text: &str) -> Option<usize> {
    let mut unquoted = Unquoted::new(text);
    unquoted.by_ref().for_each(drop);
    unquoted.open.map(|(at, _)| at)
}

/// `{% cycle name: %}`: a group name (before a `:` outside quotes) and nothing after it.
fn cycle_without_values(args: &str) -> bool {
    Unquoted::new(args)
        .find(|&(_, c)| c == ':')
        .is_some_and(|(at, _)| args[at + 1..].trim().is_empty())
}

/// The characters of markup outside its quoted strings (and not the quotes), with their
/// offsets. Once it is done, `open` is the quote that opened a string nothing closed.
struct Unquoted<'t> {
    chars: std::str::CharIndices<'t>,
    open: Option<(usize, char)>,
}

impl<'t> Unquoted<'t> {
    fn new(text: &'t str) -> Unquoted<'t> {
        Unquoted {
            chars: text.char_indices(),
            open: None,
        }
    }
}

impl Iterator for Unquoted<'_> {
    type Item = (usize, char);

    fn next(&mut self) -> Option<(usize, char)> {
        loop {
            let (at, c) = self.chars.next()?;
            match self.open {
                Some((_, quote)) if c == quote => self.open = None,
                Some(_) => {}
                None if c == '"' || c == '\'' => self.open = Some((at, c)),
                None => return Some((at, c)),
            }
        }
    }
}

/// What to do about a range that is too long.
const RANGE_HELP: &str = "loop over a shorter range (the whole range is made before the loop starts, so `limit:` does not help)";

/// Reports each filter of `markup` that `language` does not have.
fn check_filters(
    markup: &Markup,
    source: &Source<'_>,
    language: &Language,
    problems: &mut Vec<Diagnostic>,
) {
    let inner = match &markup.kind {
        Kind::Output { inner } => inner.clone(),
        Kind::Tag { args, .. } => args.clone(),
    };
    for (offset, name) in filter_names(source.text, inner) {
        if language.filters.get(name).is_some() {
            continue;
        }
        let known: Vec<&str> = language.filters.plugin_names().collect();
        let mut diagnostic = source
            .error_at(offset, format!("unknown filter `{name}`"))
            .with_help(
                "folio has Liquid's standard filters and the Jekyll filters docs sites use; \
                 filters of Jekyll plugins are not available",
            );
        if let Some(suggestion) = closest(name, known) {
            diagnostic = diagnostic.with_suggestion(suggestion);
        }
        problems.push(diagnostic);
    }
}

/// The filters in `text[range]`: the name after each `|` outside quotes, with its offset.
fn filter_names(text: &str, range: std::ops::Range<usize>) -> Vec<(usize, &str)> {
    let mut names = Vec::new();
    let inner = &text[range.clone()];
    for (at, _) in Unquoted::new(inner).filter(|&(_, c)| c == '|') {
        let rest = &inner[at + 1..];
        let start = at + 1 + (rest.len() - rest.trim_start().len());
        let len = inner[start..]
            .find(|c: char| !(c.is_ascii_alphanumeric() || c == '_' || c == '-'))
            .unwrap_or(inner.len() - start);
        if len > 0 {
            names.push((range.start + start, &inner[start..start + len]));
        }
    }
    names
}

/// A liquid-rust parse error as a diagnostic: at the place its message gives (a position in
/// `rewritten`, turned back into one in the source), else at the first markup.
pub fn parse_error(
    error: &liquid_core::Error,
    source: &Source<'_>,
    rewritten: &super::scan::Rewritten,
) -> Diagnostic {
    let text = error.to_string();
    let message = pest_message(&text);
    let offset = pest_position(&text)
        .map(|(line, column)| rewritten.source_offset(offset_of(&rewritten.text, line, column)));
    let diagnostic = match offset {
        Some(offset) => source.error_at(offset, format!("Liquid syntax error: {message}")),
        None => Diagnostic::error(format!("Liquid syntax error: {message}")).in_file(source.file),
    };
    diagnostic.with_help(
        "check the markup here; wrap text that shows Liquid markup in `{% raw %}…{% endraw %}`",
    )
}

/// `L:C` from pest's ` --> L:C` line.
fn pest_position(text: &str) -> Option<(usize, usize)> {
    let line = text
        .lines()
        .find_map(|l| l.split_once("--> ").map(|(_, at)| at))?;
    let (l, c) = line.trim().split_once(':')?;
    Some((l.parse().ok()?, c.parse().ok()?))
}

/// The sentence of a pest error (its `= …` line), or the error's first line.
fn pest_message(text: &str) -> String {
    text.lines()
        .find_map(|l| l.trim_start().strip_prefix("= "))
        .map(str::to_string)
        .unwrap_or_else(|| {
            text.lines()
                .next()
                .unwrap_or("")
                .trim_start_matches("liquid: ")
                .to_string()
        })
}

/// A liquid-rust error raised while rendering, at the markup it names where that can be
/// found (liquid-rust's errors carry the tag or filter they come from, not its place).
pub fn render_error(error: &liquid_core::Error, source: &Source<'_>, scan: &Scan) -> Diagnostic {
    let text = error.to_string();
    let mut lines = text.lines();
    let first = lines.next().unwrap_or("").trim_start_matches("liquid: ");
    let mut details = Vec::new();
    let mut snippets = Vec::new();
    for line in lines {
        let line = line.trim();
        if let Some(from) = line.strip_prefix("from: ") {
            snippets.push(from.to_string());
        } else if let Some((key, value)) = line.split_once('=') {
            if key == "filter" {
                snippets.push(value.to_string());
            }
            details.push(format!("{key} {value}"));
        }
    }
    let message = if details.is_empty() {
        first.to_string()
    } else {
        format!("{first} ({})", details.join(", "))
    };
    // The check of a loop's range names the loop's offset (see `ranges`).
    // (The filter's own name and values would only confuse: the page never wrote them.)
    if let Some(at) = snippets.iter().find_map(|snippet| ranges::loop_at(snippet)) {
        return source.error_at(at, first).with_help(RANGE_HELP);
    }
    let at = snippets
        .iter()
        .find_map(|snippet| find_markup(snippet, source.text, scan));
    let diagnostic = match at {
        Some(offset) => source.error_at(offset, message),
        None => Diagnostic::error(message).in_file(source.file),
    };
    diagnostic.with_help("check the values this markup works on")
}

/// The offset of the first markup whose text (spaces aside) holds `snippet`'s.
fn find_markup(snippet: &str, text: &str, scan: &Scan) -> Option<usize> {
    // liquid-rust writes filters back with `"` quotes and its own spacing.
    let squeeze = |s: &str| -> String {
        s.chars()
            .filter(|c| !c.is_whitespace())
            .map(|c| if c == '\'' { '"' } else { c })
            .collect()
    };
    let wanted = squeeze(snippet.trim_start_matches("{%").trim_end_matches("%}"));
    if wanted.is_empty() {
        return None;
    }
    scan.markups
        .iter()
        .find(|m| squeeze(&text[m.span.clone()]).contains(&wanted))
        .map(|m| m.span.start)
}
