//! kramdown's extensions: `{::comment}…{:/comment}`, `{::nomarkdown}…{:/nomarkdown}` and
//! `{::options key="value" /}`, on lines of their own (block extensions) or inside a line of
//! text (span extensions).

use super::{Line, OpenExtension, Scanner, container_prefix};
use crate::diagnostics::line_col;
use crate::markdown::attributes::parse_attrs;

/// kramdown options folio knows but does not apply (they have no effect on its output).
const UNSUPPORTED_OPTIONS: &[&str] = &[
    "auto_id_stripping",
    "coderay_bold_every",
    "coderay_css",
    "coderay_default_lang",
    "coderay_line_number_start",
    "coderay_line_numbers",
    "coderay_tab_width",
    "coderay_wrap",
    "entity_output",
    "footnote_backlink",
    "footnote_backlink_inline",
    "footnote_nr",
    "footnote_prefix",
    "forbidden_inline_options",
    "gfm_emojis",
    "gfm_quirks",
    "hard_wrap",
    "header_offset",
    "html_to_native",
    "latex_headers",
    "line_width",
    "link_defs",
    "list_indent",
    "math_engine",
    "math_engine_opts",
    "parse_span_html",
    "remove_block_html_tags",
    "remove_line_breaks_for_cjk",
    "remove_span_html_tags",
    "smart_quotes",
    "syntax_highlighter",
    "syntax_highlighter_opts",
    "template",
    "transliterated_header_ids",
    "typographic_symbols",
];

/// An extension tag: `{::name arguments}` or `{::name arguments /}`.
struct ExtensionTag<'t> {
    name: &'t str,
    arguments: &'t str,
    self_closing: bool,
    /// Length of the tag in bytes.
    len: usize,
}

fn extension_tag(text: &str) -> Option<ExtensionTag<'_>> {
    let inner_start = text.strip_prefix("{::")?;
    let close = inner_start.find('}')?;
    let inner = inner_start[..close].trim_end();
    let self_closing = inner.ends_with('/');
    let inner = inner.trim_end_matches('/');
    let name_end = inner.find(char::is_whitespace).unwrap_or(inner.len());
    let (name, arguments) = inner.split_at(name_end);
    let valid = name
        .bytes()
        .all(|b| b.is_ascii_alphanumeric() || b == b'_' || b == b'-');
    (valid && !name.is_empty()).then_some(ExtensionTag {
        name,
        arguments,
        self_closing,
        len: 3 + close + 1,
    })
}

/// The offset and length of the stop tag of extension `name` in `text` (`{:/name}` or `{:/}`).
fn stop_tag(text: &str, name: &str) -> Option<(usize, usize)> {
    let mut from = 0;
    while let Some(found) = text[from..].find("{:/") {
        let at = from + found;
        let rest = &text[at + 3..];
        if rest.starts_with('}') {
            return Some((at, 4));
        }
        if rest.starts_with(name) && rest[name.len()..].starts_with('}') {
            return Some((at, 3 + name.len() + 1));
        }
        from = at + 3;
    }
    None
}

/// Whether `{::nomarkdown type="…"}` is for HTML (no type means every output).
fn is_for_html(arguments: &str) -> bool {
    let Some(attrs) = parse_attrs(arguments) else {
        return true;
    };
    attrs
        .pairs
        .iter()
        .find(|(key, _)| key == "type")
        .is_none_or(|(_, types)| types.split_whitespace().any(|t| t == "html"))
}

/// Whether `at` in `text` is inside a code span (an odd number of backticks before it).
fn in_code_span(text: &str, at: usize) -> bool {
    text[..at].bytes().filter(|&b| b == b'`').count() % 2 == 1
}

impl Scanner<'_> {
    /// A line inside a `{::comment}` or `{::nomarkdown}` block.
    pub(super) fn extension_body_line(&mut self, line: &Line<'_>) {
        let Some(open) = &self.extension else { return };
        let trimmed = line.rest().trim();
        let closing = trimmed == "{:/}"
            || trimmed
                .strip_prefix("{:/")
                .and_then(|t| t.strip_suffix('}'))
                .is_some_and(|name| name == open.name);
        if let Some(raw_index) = open.raw_index
            && !closing
        {
            let html = &mut self.out.raw[raw_index].html;
            html.push_str(line.rest());
            html.push('\n');
        }
        let skip = self.out.skip_marker();
        self.emit(line.number, &[line.prefix(), &skip]);
        if closing {
            self.extension = None;
        }
    }

    /// A line that is one extension tag, at the start of a block. `None` when it is not an
    /// extension folio knows (the line is then text).
    pub(super) fn block_extension(&mut self, index: usize, line: &Line<'_>) -> Option<usize> {
        let trimmed = line.rest().trim();
        let tag = extension_tag(trimmed).filter(|tag| tag.len == trimmed.len())?;
        match (tag.name, tag.self_closing) {
            ("options", _) => {
                self.apply_options(tag.arguments, line.number, line.indent_len + 1);
                self.emit_skip(line);
            }
            ("comment" | "nomarkdown", true) => self.emit_skip(line),
            ("comment" | "nomarkdown", false) => {
                let collect = tag.name == "nomarkdown" && is_for_html(tag.arguments);
                let raw_index = collect.then(|| self.raw_html(String::new(), line.number + 1));
                let line_marker = match raw_index {
                    Some(n) => self.out.marker("raw", n),
                    None => self.out.skip_marker(),
                };
                self.emit_marker(line, &line_marker);
                self.extension = Some(OpenExtension {
                    name: tag.name.to_string(),
                    start_line: line.number,
                    raw_index,
                });
            }
            _ => return None,
        }
        Some(index + 1)
    }

    /// Extensions inside a line of text (or starting a line inside a paragraph): a comment is
    /// removed, raw HTML becomes a marker and options are applied. A comment or raw part may
    /// run over the following lines of the paragraph; they are joined into this one.
    pub(super) fn span_extensions(&mut self, index: usize, line: &Line<'_>) -> usize {
        if line.indent() >= 4 && !self.in_paragraph {
            self.emit_plain(line);
            return index + 1;
        }
        let mut text = line.text.to_string();
        let mut origins = Origins::new(index, line.text, self.lines[index]);
        let mut last_index = index;
        let mut from = line.prefix_len;
        while let Some(found) = text[from..].find("{::") {
            let at = from + found;
            from = at + 3;
            if in_code_span(&text[line.prefix_len..], at - line.prefix_len)
                || text[..at].ends_with('\\')
            {
                continue;
            }
            let Some(tag) = extension_tag(&text[at..]) else {
                continue;
            };
            let (name, arguments) = (tag.name.to_string(), tag.arguments.to_string());
            let after_tag = at + tag.len;
            let (warn_line, warn_column) = origins.place(at, &self.lines);
            if !matches!(name.as_str(), "comment" | "nomarkdown" | "options") {
                self.warn(
                    warn_line,
                    warn_column,
                    format!("the kramdown extension `{{::{name}}}` is not supported; it is shown as text"),
                    "folio knows {::comment}, {::nomarkdown} and {::options … /}",
                );
                continue;
            }
            if tag.self_closing {
                if name == "options" {
                    self.apply_options(&arguments, warn_line, warn_column);
                }
                let gap = self.gap(&text, at, after_tag);
                text.replace_range(at..after_tag, &gap);
                origins.replaced(at..after_tag, gap.len());
                from = at;
                continue;
            }
            // The stop tag, on this line or a following line of the same paragraph.
            let (joined_len, joined_last) = (text.len(), last_index);
            let stop = loop {
                if let Some((stop_at, stop_len)) = stop_tag(&text[after_tag..], &name) {
                    break Some((after_tag + stop_at, stop_len));
                }
                let Some(next) = self.lines.get(last_index + 1) else {
                    break None;
                };
                let next_rest = &next[container_prefix(next).0..];
                if next_rest.trim().is_empty() {
                    break None;
                }
                text.push('\n');
                origins.joined(text.len(), last_index + 1, next.len() - next_rest.len());
                text.push_str(next_rest);
                last_index += 1;
            };
            let Some((stop_at, stop_len)) = stop else {
                // The lines read ahead stay lines of their own: each is a line of the text.
                text.truncate(joined_len);
                origins.truncate(joined_len);
                last_index = joined_last;
                self.warn(
                    warn_line,
                    warn_column,
                    format!("`{{::{name}}}` has no `{{:/{name}}}` in its paragraph, so it is shown as text"),
                    format!("close it with `{{:/{name}}}` before the paragraph ends"),
                );
                continue;
            };
            let replacement = if name == "nomarkdown" && is_for_html(&arguments) {
                let body = text[after_tag..stop_at].to_string();
                let number = self.raw_html(body, line.number);
                self.out.marker("raw", number)
            } else {
                self.gap(&text, at, stop_at + stop_len)
            };
            text.replace_range(at..stop_at + stop_len, &replacement);
            origins.replaced(at..stop_at + stop_len, replacement.len());
            from = at + replacement.len();
        }
        let rest = &text[line.prefix_len..];
        if rest.trim().is_empty() && !line.is_blank() {
            // Nothing is left of the line: inside a paragraph it goes (the paragraph goes on),
            // elsewhere a skip marker keeps it from joining the lines around it.
            if !self.in_paragraph {
                self.emit_skip(line);
            }
            return last_index + 1;
        }
        if text != line.text {
            let parts = origins.places(&self.lines);
            self.out.edited_lines.push((self.written + 1, parts));
        }
        let joined = Line::new(line.number, &text);
        self.emit_plain(&joined);
        last_index + 1
    }

    /// What takes the place of an extension cut out of `text[from..to]`: nothing, or a skip
    /// marker when the text on both sides would otherwise join into something new (`<scrip`
    /// and `t>` into a tag; kramdown reads the two sides apart), or a space where a marker
    /// would close an open `<!--`.
    fn gap(&self, text: &str, from: usize, to: usize) -> String {
        let before = text[..from].chars().next_back();
        let after = text[to..].chars().next();
        let solid = |c: Option<char>| c.is_some_and(|c| !c.is_whitespace());
        if !(solid(before) && solid(after)) {
            return String::new();
        }
        // A marker's `-->` would close a `<!--` the page left open before it; and the two
        // sides must not make a `<!--` of their own (`<!-` and `-`).
        let open_comment = text[..from]
            .rfind("<!--")
            .is_some_and(|start| !text[start..from].contains("-->"));
        let makes_comment = (1..4).any(|split| {
            text[..from].ends_with(&"<!--"[..split]) && text[to..].starts_with(&"<!--"[split..])
        });
        if open_comment || makes_comment {
            " ".to_string()
        } else {
            self.out.skip_marker()
        }
    }

    /// `{::options key="value" /}`: the options folio applies, with warnings for the others.
    pub(super) fn apply_options(&mut self, arguments: &str, line: usize, column: usize) {
        let Some(attrs) = parse_attrs(arguments) else {
            self.warn(
                line,
                column,
                format!("`{arguments}` are not options"),
                "write options as key=\"value\", as in {::options toc_levels=\"2..3\" /}",
            );
            return;
        };
        for (key, value) in &attrs.pairs {
            match key.as_str() {
                "toc_levels" => match toc_levels(value) {
                    Some(levels) => self.out.toc_levels = Some(levels),
                    None => self.warn(
                        line,
                        column,
                        format!("toc_levels `{value}` is not a range of heading levels"),
                        "write it as \"2..4\"",
                    ),
                },
                "auto_ids" | "parse_block_html" => {
                    let Some(on) = boolean(value) else {
                        self.warn(
                            line,
                            column,
                            format!("{key} `{value}` is not true or false"),
                            format!("write {key}=\"true\" or {key}=\"false\""),
                        );
                        continue;
                    };
                    if key == "auto_ids" {
                        self.out.auto_ids = Some(on);
                    } else {
                        self.parse_block_html = on;
                    }
                }
                "auto_id_prefix" => self.out.auto_id_prefix = Some(value.clone()),
                known if UNSUPPORTED_OPTIONS.contains(&known) => self.warn(
                    line,
                    column,
                    format!("the kramdown option `{key}` is not supported and has no effect"),
                    "folio applies toc_levels, auto_ids, auto_id_prefix and parse_block_html",
                ),
                _ => self.warn(
                    line,
                    column,
                    format!("`{key}` is not a kramdown option; it has no effect"),
                    "folio applies toc_levels, auto_ids, auto_id_prefix and parse_block_html",
                ),
            }
        }
    }
}

/// kramdown's `toc_levels`: `"2..4"`, `"2,3,4"` or `"2"`.
fn toc_levels(value: &str) -> Option<(u8, u8)> {
    if value.contains(',') {
        let numbers: Vec<u8> = value
            .split(',')
            .map(|n| n.trim().parse().ok())
            .collect::<Option<_>>()?;
        let (low, high) = (*numbers.iter().min()?, *numbers.iter().max()?);
        return ((1..=6).contains(&low) && high <= 6).then_some((low, high));
    }
    crate::config::TocLevels::parse(value)
}

fn boolean(value: &str) -> Option<bool> {
    match value.trim() {
        "true" => Some(true),
        "false" | "nil" | "" => Some(false),
        _ => None,
    }
}

/// Where the parts of a line being edited (joined with the next lines, extensions cut out)
/// come from, so that a warning names the body line and column of what it is about.
struct Origins {
    /// From this offset of the edited text on: this body line (index), from this byte of it.
    parts: Vec<(usize, usize, usize)>,
}

impl Origins {
    /// `text` is body line `index` (`body_line`), or what is left of it after an HTML tag.
    fn new(index: usize, text: &str, body_line: &str) -> Origins {
        let start = (text.as_ptr() as usize).wrapping_sub(body_line.as_ptr() as usize);
        let start = if start <= body_line.len() { start } else { 0 };
        Origins {
            parts: vec![(0, index, start)],
        }
    }

    /// Body line `index`, from byte `from`, is added at `offset`.
    fn joined(&mut self, offset: usize, index: usize, from: usize) {
        self.parts.push((offset, index, from));
    }

    /// The edited text was cut back to `len` bytes.
    fn truncate(&mut self, len: usize) {
        self.parts.retain(|&(offset, _, _)| offset <= len);
    }

    /// `range` of the edited text became `len` bytes: what follows it comes from where the
    /// range ended.
    fn replaced(&mut self, range: std::ops::Range<usize>, len: usize) {
        let (index, from) = self.origin(range.end);
        self.parts
            .retain(|&(offset, _, _)| offset <= range.start || offset > range.end);
        for part in &mut self.parts {
            if part.0 > range.end {
                part.0 = part.0 - range.len() + len;
            }
        }
        let at = self
            .parts
            .partition_point(|&(offset, _, _)| offset <= range.start + len);
        self.parts.insert(at, (range.start + len, index, from));
    }

    /// Each part as (offset in the edited text, body line, column in characters there), for
    /// [`super::Prepared::body_place`].
    fn places(&self, lines: &[&str]) -> Vec<super::LinePart> {
        self.parts
            .iter()
            .map(|&(offset, index, byte)| {
                let body = lines.get(index).copied().unwrap_or("");
                (offset, index + 1, line_col(body, byte).1)
            })
            .collect()
    }

    /// The body line (index) and byte of offset `at` of the edited text.
    fn origin(&self, at: usize) -> (usize, usize) {
        let part = self.parts.partition_point(|&(offset, _, _)| offset <= at);
        let (offset, index, from) = self.parts[part.saturating_sub(1)];
        (index, from + at.saturating_sub(offset))
    }

    /// The body line (1-based) and column (1-based, in characters) of offset `at`.
    fn place(&self, at: usize, lines: &[&str]) -> (usize, usize) {
        let (index, byte) = self.origin(at);
        let body = lines.get(index).copied().unwrap_or("");
        (index + 1, line_col(body, byte).1)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tags() {
        let tag = extension_tag("{::options toc_levels=\"2..3\" /} rest").unwrap();
        assert_eq!(tag.name, "options");
        assert!(tag.self_closing);
        assert_eq!(tag.len, "{::options toc_levels=\"2..3\" /}".len());
        assert!(extension_tag("{::}").is_none());
        assert_eq!(stop_tag("a {:/comment} b", "comment"), Some((2, 11)));
        assert_eq!(stop_tag("a {:/other} {:/} b", "comment"), Some((12, 4)));
        assert!(is_for_html(""));
        assert!(!is_for_html("type=\"latex\""));
        assert!(is_for_html("type=\"latex html\""));
    }

    #[test]
    fn levels() {
        assert_eq!(toc_levels("2..4"), Some((2, 4)));
        assert_eq!(toc_levels("2"), Some((2, 2)));
        assert_eq!(toc_levels("2,3,4"), Some((2, 4)));
        assert_eq!(toc_levels("7"), None);
        assert_eq!(toc_levels("a"), None);
    }
}
