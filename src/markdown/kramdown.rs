//! The line-level half of kramdown support: finds block attribute lists (`{: .x }` lines),
//! attribute list definitions and `{::extension}` blocks before CommonMark parsing.
//!
//! Each such line is replaced by an HTML comment marker (`<!--folio:ial:N-->`), keeping the
//! container prefix (`> `) and the line count. A comment line starts an HTML block, which ends
//! a paragraph exactly as kramdown's IAL line does, so the parser's block structure matches
//! kramdown's; the event pass (`events.rs`) then attaches each list to its block. A marker that
//! ends up inside a code block is turned back into the original line.

use std::collections::HashMap;

use super::attributes::{AttributeList, Attrs, parse_list};

/// How a block attribute list finds its element (kramdown's rules).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Attach {
    /// Directly under a block: merged into that block.
    Previous,
    /// After a blank line or at the start of a container: held for the next block.
    Next,
    /// At the start of a container and followed by a blank line: kramdown loses it.
    Dropped,
}

#[derive(Debug, Clone)]
pub struct BlockIal {
    pub attrs: Attrs,
    /// 1-based line in the body.
    pub line: usize,
    /// The line as written (after its container prefix), to restore it inside code.
    pub original: String,
    pub attach: Attach,
}

/// A problem found while scanning, at a body line.
#[derive(Debug, Clone)]
pub struct LineWarning {
    pub line: usize,
    pub column: usize,
    pub message: String,
    pub help: String,
}

/// The body with markers, and what the markers stand for.
#[derive(Debug, Default)]
pub struct Prepared {
    pub text: String,
    pub ials: Vec<BlockIal>,
    pub definitions: HashMap<String, Attrs>,
    /// Raw HTML of `{::nomarkdown}` blocks.
    pub raw: Vec<String>,
    /// Set by `{::options toc_levels="…" /}`.
    pub toc_levels: Option<(u8, u8)>,
    pub warnings: Vec<LineWarning>,
    /// How this body's markers start: `<!--folio:`, or `<!--folioN:` when the page itself
    /// writes `<!--folio:` (a page's own comment is never read as a marker).
    pub marker_start: String,
}

/// What a marker stands for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Marker {
    Ial(usize),
    Raw(usize),
    /// A line that produces nothing (definitions, options, comments).
    Skip,
}

const MARKER_START: &str = "<!--folio:";
const MARKER_END: &str = "-->";

/// The start of the markers of `body`: one the page does not write itself.
fn marker_start_for(body: &str) -> String {
    if !body.contains(MARKER_START) {
        return MARKER_START.to_string();
    }
    (1..)
        .map(|n| format!("<!--folio{n}:"))
        .find(|start| !body.contains(start.as_str()))
        .expect("a body is finite")
}

impl Prepared {
    /// Whether `text` (a piece of the prepared text) holds a marker.
    pub fn has_markers(&self, text: &str) -> bool {
        text.contains(&self.marker_start)
    }

    /// Reads a marker that makes up all of `html` (surrounding whitespace allowed).
    pub fn parse_marker(&self, html: &str) -> Option<Marker> {
        let inner = html
            .trim()
            .strip_prefix(self.marker_start.as_str())?
            .strip_suffix(MARKER_END)?;
        if inner == "skip" {
            return Some(Marker::Skip);
        }
        let (kind, number) = inner.split_once(':')?;
        let number: usize = number.parse().ok()?;
        match kind {
            "ial" if number < self.ials.len() => Some(Marker::Ial(number)),
            "raw" if number < self.raw.len() => Some(Marker::Raw(number)),
            _ => None,
        }
    }

    /// Every marker inside `text`, as (byte range, marker).
    pub fn find_markers(&self, text: &str) -> Vec<(std::ops::Range<usize>, Marker)> {
        let mut found = Vec::new();
        let mut from = 0;
        while let Some(start) = text[from..].find(&self.marker_start).map(|i| i + from) {
            let Some(end) = text[start..]
                .find(MARKER_END)
                .map(|i| start + i + MARKER_END.len())
            else {
                break;
            };
            if let Some(marker) = self.parse_marker(&text[start..end]) {
                found.push((start..end, marker));
            }
            from = end;
        }
        found
    }

    fn skip_marker(&self) -> String {
        format!("{}skip{MARKER_END}", self.marker_start)
    }
}

/// Splits `line` into its blockquote prefix length and nesting depth.
fn container_prefix(line: &str) -> (usize, usize) {
    let bytes = line.as_bytes();
    let mut position = 0;
    let mut depth = 0;
    loop {
        let mut spaces = 0;
        while spaces < 3 && bytes.get(position + spaces) == Some(&b' ') {
            spaces += 1;
        }
        if bytes.get(position + spaces) != Some(&b'>') {
            return (position, depth);
        }
        position += spaces + 1;
        if matches!(bytes.get(position), Some(b' ' | b'\t')) {
            position += 1;
        }
        depth += 1;
    }
}

/// An open fenced code block: its fence character and length.
struct Fence {
    marker: u8,
    length: usize,
}

fn fence_of(rest: &str) -> Option<Fence> {
    let trimmed = rest.trim_start_matches(' ');
    let marker = *trimmed.as_bytes().first()?;
    if marker != b'`' && marker != b'~' {
        return None;
    }
    let length = trimmed.bytes().take_while(|&b| b == marker).count();
    if length < 3 {
        return None;
    }
    if marker == b'`' && trimmed[length..].contains('`') {
        return None;
    }
    Some(Fence { marker, length })
}

fn closes(fence: &Fence, rest: &str) -> bool {
    let trimmed = rest.trim_start_matches(' ');
    let length = trimmed.bytes().take_while(|&b| b == fence.marker).count();
    length >= fence.length && trimmed[length..].trim().is_empty()
}

/// An extension block being skipped or collected.
struct OpenExtension {
    name: String,
    start_line: usize,
    raw_index: Option<usize>,
}

/// Scans `body` and returns it with markers in place of kramdown block syntax.
pub fn prepare(body: &str) -> Prepared {
    let mut prepared = Prepared {
        text: String::with_capacity(body.len() + 64),
        marker_start: marker_start_for(body),
        ..Prepared::default()
    };
    let skip_marker = prepared.skip_marker();
    let lines: Vec<&str> = body.split_inclusive('\n').collect();
    let mut fence: Option<Fence> = None;
    let mut extension: Option<OpenExtension> = None;
    let mut previous_blank = false;
    let mut previous_depth = 0;
    // A blockquote prefix to give lazy lines after a container-start IAL (see `Attach::Next`).
    let mut lazy_prefix: Option<(String, usize)> = None;

    for (index, raw_line) in lines.iter().enumerate() {
        let line_number = index + 1;
        let newline = if raw_line.ends_with('\n') { "\n" } else { "" };
        let line = raw_line.strip_suffix('\n').unwrap_or(raw_line);
        let (prefix_len, depth) = container_prefix(line);
        // The container prefix plus the indentation, kept in front of markers so that
        // indentation keeps its meaning (list item content, indented code).
        let indent_len =
            prefix_len + (line.len() - prefix_len - line[prefix_len..].trim_start().len());
        let (prefix, rest) = line.split_at(prefix_len);
        let blank = rest.trim().is_empty();

        if let Some(open) = &mut extension {
            let closing = rest.trim() == "{:/}" || rest.trim() == format!("{{:/{}}}", open.name);
            if let Some(raw_index) = open.raw_index
                && !closing
            {
                prepared.raw[raw_index].push_str(rest);
                prepared.raw[raw_index].push('\n');
            }
            push_line(&mut prepared.text, prefix, &skip_marker, newline);
            if closing {
                extension = None;
            }
            continue;
        }

        if let Some(open) = &fence {
            if closes(open, rest) {
                fence = None;
            }
            prepared.text.push_str(raw_line);
            previous_blank = false;
            previous_depth = depth;
            continue;
        }
        if let Some(opened) = fence_of(rest) {
            fence = Some(opened);
            prepared.text.push_str(raw_line);
            previous_blank = false;
            previous_depth = depth;
            lazy_prefix = None;
            continue;
        }

        if let Some((lazy, lazy_depth)) = &lazy_prefix {
            if blank || depth >= *lazy_depth {
                lazy_prefix = None;
            } else {
                prepared.text.push_str(lazy);
                prepared.text.push_str(raw_line);
                previous_blank = false;
                continue;
            }
        }

        // Indented by spaces and tabs only, as in CommonMark (and kramdown): after a form
        // feed the line is text, and a marker there would not start an HTML block.
        let trimmed = rest.trim_start_matches([' ', '\t']).trim_end();
        let column = prefix_len + (rest.len() - rest.trim_start().len()) + 1;
        if trimmed.starts_with("{::") && trimmed.ends_with('}') {
            match start_extension(&mut prepared, trimmed, line_number, column) {
                ExtensionLine::Handled => {
                    push_line(
                        &mut prepared.text,
                        &line[..indent_len],
                        &skip_marker,
                        newline,
                    );
                }
                ExtensionLine::Opens(name, collect) => {
                    let raw_index = collect.then(|| {
                        prepared.raw.push(String::new());
                        prepared.raw.len() - 1
                    });
                    let marker = match raw_index {
                        Some(n) => format!("{}raw:{n}{MARKER_END}", prepared.marker_start),
                        None => skip_marker.clone(),
                    };
                    push_line(&mut prepared.text, &line[..indent_len], &marker, newline);
                    extension = Some(OpenExtension {
                        name,
                        start_line: line_number,
                        raw_index,
                    });
                }
                ExtensionLine::Unknown => prepared.text.push_str(raw_line),
            }
            previous_blank = false;
            previous_depth = depth;
            continue;
        }

        if let Some(inner) = trimmed.strip_prefix("{:").and_then(|t| t.strip_suffix('}'))
            && !inner.starts_with([':', '/'])
            && let Some(list) = parse_list(inner)
        {
            match list {
                AttributeList::Definition(name, attrs) => {
                    prepared.definitions.insert(name, attrs);
                    push_line(
                        &mut prepared.text,
                        &line[..indent_len],
                        &skip_marker,
                        newline,
                    );
                }
                AttributeList::Inline(attrs) => {
                    let container_start = index == 0 || depth > previous_depth;
                    let next_blank = lines.get(index + 1).is_none_or(|next| {
                        let next = next.trim_end_matches('\n');
                        let (p, _) = container_prefix(next);
                        next[p..].trim().is_empty()
                    });
                    let attach = if previous_blank || container_start {
                        if !previous_blank && next_blank {
                            Attach::Dropped
                        } else {
                            Attach::Next
                        }
                    } else {
                        Attach::Previous
                    };
                    if attach == Attach::Next && depth > 0 && container_start {
                        lazy_prefix = Some((prefix.to_string(), depth));
                    }
                    let number = prepared.ials.len();
                    prepared.ials.push(BlockIal {
                        attrs,
                        line: line_number,
                        original: rest.to_string(),
                        attach,
                    });
                    let marker = format!("{}ial:{number}{MARKER_END}", prepared.marker_start);
                    push_line(&mut prepared.text, &line[..indent_len], &marker, newline);
                }
            }
            previous_blank = false;
            previous_depth = depth;
            continue;
        }

        prepared.text.push_str(raw_line);
        previous_blank = blank;
        previous_depth = depth;
    }

    if let Some(open) = extension {
        prepared.warnings.push(LineWarning {
            line: open.start_line,
            column: 1,
            message: format!(
                "`{{::{}}}` is never closed, so the rest of the page is hidden",
                open.name
            ),
            help: format!("close it with `{{:/{}}}`", open.name),
        });
    }
    prepared
}

fn push_line(text: &mut String, prefix: &str, content: &str, newline: &str) {
    text.push_str(prefix);
    text.push_str(content);
    text.push_str(newline);
}

enum ExtensionLine {
    /// A one-line extension that was applied.
    Handled,
    /// A block extension that runs to its closing tag; `true` to keep its text as raw HTML.
    Opens(String, bool),
    /// Not an extension folio knows: left as text.
    Unknown,
}

fn start_extension(
    prepared: &mut Prepared,
    trimmed: &str,
    line: usize,
    column: usize,
) -> ExtensionLine {
    let inner = &trimmed[3..trimmed.len() - 1];
    let self_closing = inner.trim_end().ends_with('/');
    let inner = inner.trim_end().trim_end_matches('/');
    let name_end = inner.find(char::is_whitespace).unwrap_or(inner.len());
    let (name, arguments) = inner.split_at(name_end);
    match (name, self_closing) {
        ("options", _) => {
            apply_options(prepared, arguments, line, column);
            ExtensionLine::Handled
        }
        ("comment", true) => ExtensionLine::Handled,
        ("comment", false) => ExtensionLine::Opens(name.into(), false),
        ("nomarkdown", false) => ExtensionLine::Opens(name.into(), true),
        _ => {
            prepared.warnings.push(LineWarning {
                line,
                column,
                message: format!(
                    "the kramdown extension `{{::{name}}}` is not supported; it is shown as text"
                ),
                help: "folio knows {::comment}, {::nomarkdown} and {::options toc_levels=\"…\" /}"
                    .into(),
            });
            ExtensionLine::Unknown
        }
    }
}

fn apply_options(prepared: &mut Prepared, arguments: &str, line: usize, column: usize) {
    let Some(attrs) = super::attributes::parse_attrs(arguments) else {
        return;
    };
    for (key, value) in &attrs.pairs {
        if key == "toc_levels" {
            let normalised = value.replace(',', "..");
            let levels = if value.contains(',') {
                let numbers: Vec<u8> = value
                    .split(',')
                    .filter_map(|n| n.trim().parse().ok())
                    .collect();
                match (numbers.iter().min(), numbers.iter().max()) {
                    (Some(low), Some(high)) => Some((*low, *high)),
                    _ => None,
                }
            } else {
                crate::config::TocLevels::parse(&normalised)
            };
            match levels {
                Some(levels) => prepared.toc_levels = Some(levels),
                None => prepared.warnings.push(LineWarning {
                    line,
                    column,
                    message: format!("toc_levels `{value}` is not a range of heading levels"),
                    help: "write it as \"2..4\"".into(),
                }),
            }
        } else {
            prepared.warnings.push(LineWarning {
                line,
                column,
                message: format!("the kramdown option `{key}` is not supported and has no effect"),
                help: "only toc_levels can be set per page".into(),
            });
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn attach_of(body: &str) -> Vec<Attach> {
        prepare(body).ials.iter().map(|ial| ial.attach).collect()
    }

    #[test]
    fn attach_rules() {
        assert_eq!(attach_of("Para\n{: .a }\n"), [Attach::Previous]);
        assert_eq!(attach_of("Para\n\n{: .a }\nNext\n"), [Attach::Next]);
        assert_eq!(attach_of("{: .a }\n\nNext\n"), [Attach::Dropped]);
        assert_eq!(
            attach_of("Para\n{: .a }\n{: .b }\n"),
            [Attach::Previous, Attach::Previous]
        );
        assert_eq!(attach_of("> {: .a }\n> Quoted\n"), [Attach::Next]);
    }

    #[test]
    fn markers_keep_lines_and_prefixes() {
        let prepared = prepare("# T\n{: .no_toc }\n> x\n> {: .y }\n");
        assert_eq!(
            prepared.text,
            "# T\n<!--folio:ial:0-->\n> x\n> <!--folio:ial:1-->\n"
        );
        assert_eq!(prepared.ials[1].line, 4);
        assert_eq!(
            prepared.parse_marker("<!--folio:ial:1-->\n"),
            Some(Marker::Ial(1))
        );
        assert_eq!(prepared.parse_marker("<!--folio:ial:2-->"), None);
    }

    #[test]
    fn fenced_code_is_left_alone() {
        let body = "```\n{: .x }\n{::comment}\n```\n";
        let prepared = prepare(body);
        assert_eq!(prepared.text, body);
        assert!(prepared.ials.is_empty());
    }

    #[test]
    fn lazy_lines_after_a_quote_start_stay_in_the_quote() {
        let prepared = prepare("> {: .highlight }\n  A paragraph\n\nAfter\n");
        assert_eq!(
            prepared.text,
            "> <!--folio:ial:0-->\n>   A paragraph\n\nAfter\n"
        );
    }

    #[test]
    fn extensions() {
        let prepared = prepare(
            "{::comment}\nhidden\n{:/comment}\n{::nomarkdown}\n<b>raw</b>\n{:/}\n{::options toc_levels=\"2..3\" /}\n{::weird}\n",
        );
        assert_eq!(prepared.raw, ["<b>raw</b>\n"]);
        assert_eq!(prepared.toc_levels, Some((2, 3)));
        assert!(prepared.text.ends_with("{::weird}\n"));
        assert_eq!(prepared.warnings.len(), 1);
        assert_eq!(prepared.warnings[0].line, 8);
        assert_eq!(prepared.text.lines().count(), 8);
    }

    #[test]
    fn only_spaces_and_tabs_indent_block_syntax() {
        // Found by fuzz/ (markdown target): after form feeds the marker was paragraph text,
        // and `<!--folio:ial:0-->` showed in the page.
        let body = "Para\n\x0c\x0c{: .note }\n\u{a0}{::comment}\n";
        let prepared = prepare(body);
        assert_eq!(prepared.text, body);
        assert!(prepared.ials.is_empty());
        assert_eq!(attach_of("Para\n  {: .note }\n"), [Attach::Previous]);
    }

    #[test]
    fn definitions_are_collected() {
        let prepared = prepare("{:wide: .full-width}\nPara\n{: wide}\n");
        assert!(prepared.definitions["wide"].has_class("full-width"));
        assert!(prepared.ials[0].attrs.has_ref("wide"));
    }
}
