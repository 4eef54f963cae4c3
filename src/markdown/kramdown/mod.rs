//! The line-level half of kramdown support: finds block attribute lists (`{: .x }` lines),
//! attribute list definitions, `{::extension}`s, abbreviation definitions and HTML elements
//! before CommonMark parsing, and rewrites them so that pulldown-cmark sees the block structure
//! kramdown sees.
//!
//! Each such construct becomes an HTML comment marker (`<!--folio:ial:N-->`), keeping the
//! container prefix (`> `) in front. A comment line starts an HTML block that ends on the same
//! line and ends a paragraph, exactly as kramdown's attribute list line does; the event pass
//! (`events.rs`) then attaches each list to its block and the writer turns the other markers
//! into what they stand for. A marker that ends up inside a code block is turned back into the
//! original line.
//!
//! Most lines pass through unchanged. Where kramdown's structure needs lines that are not in
//! the body (the content of `<div markdown="1">` on the tag's own line) or joins lines (a
//! comment inside a paragraph), the line map in [`Prepared::body_line`] keeps diagnostics at
//! the body's line numbers.

mod extensions;
mod html;
mod lines;
mod lists;
mod markers;
mod math;
mod tags;

use std::collections::HashMap;

use super::abbreviations::Abbreviations;
use super::attributes::Attrs;
pub use markers::Marker;
use markers::marker_start_for;

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

/// Raw HTML written as it is: a `{::nomarkdown}` body or an HTML element kramdown does not
/// parse (the body, or the element, starts at body line `line`).
#[derive(Debug, Clone)]
pub struct RawHtml {
    pub html: String,
    pub line: usize,
}

/// A formula on lines of its own (`$$…$$` starting a block): display math.
#[derive(Debug, Clone)]
pub struct MathBlock {
    /// The TeX between the dollar signs.
    pub source: String,
    /// 1-based body line and column of its opening `$$`.
    pub line: usize,
    pub column: usize,
    /// The lines as written (the first after its container prefix), to restore them inside
    /// code.
    pub original: String,
}

/// An HTML element whose content kramdown parses as Markdown (`markdown="1"`), or a raw
/// element that holds one.
#[derive(Debug, Clone)]
pub struct HtmlElement {
    /// The start tag as written, without the `markdown` attribute.
    pub open: String,
    pub close: String,
    /// The content is one run of text (`markdown="span"`): written without `<p>`.
    pub span: bool,
}

/// From this byte of a line of the prepared text on: (byte, body line, column in characters).
pub(super) type LinePart = (usize, usize, usize);

/// The body with markers, and what the markers stand for.
#[derive(Debug, Default)]
pub struct Prepared {
    pub text: String,
    pub ials: Vec<BlockIal>,
    pub definitions: HashMap<String, Attrs>,
    pub raw: Vec<RawHtml>,
    pub elements: Vec<HtmlElement>,
    pub math: Vec<MathBlock>,
    pub abbreviations: Abbreviations,
    /// Set by `{::options toc_levels="…" /}`.
    pub toc_levels: Option<(u8, u8)>,
    /// Set by `{::options auto_ids="false" /}`: headings without an id get none.
    pub auto_ids: Option<bool>,
    /// Set by `{::options auto_id_prefix="…" /}`: put in front of generated heading ids.
    pub auto_id_prefix: Option<String>,
    pub warnings: Vec<LineWarning>,
    /// (first line of `text`, body line minus text line from there on); empty when the
    /// lines of `text` are the lines of the body.
    line_shifts: Vec<(usize, isize)>,
    /// Lines of `text` whose kramdown extensions were cut out or that joined the body lines
    /// an extension ran over, by line of `text`: from each byte of the line on, (body line,
    /// column in characters) of that byte.
    edited_lines: Vec<(usize, Vec<LinePart>)>,
    /// How this body's markers start (see [`marker_start_for`]).
    marker_start: String,
}

impl Prepared {
    /// The body line and column (1-based, in characters) of byte `at` of line `line` of the
    /// text (1-based), whose text is `line_text`.
    pub fn body_place(&self, line: usize, line_text: &str, at: usize) -> (usize, usize) {
        let chars = |from: usize| line_text.get(from..at).map_or(0, |s| s.chars().count());
        let edited = self
            .edited_lines
            .binary_search_by_key(&line, |(l, _)| *l)
            .ok()
            .map(|i| &self.edited_lines[i].1);
        match edited {
            Some(parts) => {
                let part = parts.partition_point(|&(offset, _, _)| offset <= at);
                let (offset, body_line, column) = parts[part.saturating_sub(1)];
                (body_line, column + chars(offset))
            }
            None => (self.body_line(line), chars(0) + 1),
        }
    }

    /// The body line that line `line` (1-based) of the prepared text comes from.
    pub fn body_line(&self, line: usize) -> usize {
        let at = self.line_shifts.partition_point(|&(from, _)| from <= line);
        match at.checked_sub(1) {
            Some(index) => line.saturating_add_signed(self.line_shifts[index].1).max(1),
            None => line,
        }
    }
}

/// Splits `line` into its blockquote prefix length and nesting depth.
pub fn container_prefix(line: &str) -> (usize, usize) {
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

/// A block extension being skipped or collected.
struct OpenExtension {
    name: String,
    start_line: usize,
    raw_index: Option<usize>,
}

/// An HTML element with Markdown content whose end tag has not come yet.
struct OpenElement {
    name: String,
    /// Blockquote depth of its start tag: it ends, at the latest, with that quote.
    depth: usize,
    /// Container prefix and indentation of its start tag, for its end marker.
    prefix: String,
    number: usize,
    line: usize,
}

/// One line of a body split into its parts.
struct Line<'l> {
    /// 1-based body line.
    number: usize,
    text: &'l str,
    /// Length of the blockquote prefix.
    prefix_len: usize,
    depth: usize,
    /// Length of prefix plus indentation.
    indent_len: usize,
    /// The first character after the indentation (`None` on a blank line).
    first: Option<u8>,
}

impl<'l> Line<'l> {
    fn new(number: usize, text: &'l str) -> Self {
        let (prefix_len, depth) = container_prefix(text);
        let rest = &text[prefix_len..];
        // Only spaces and tabs indent, as in CommonMark (and kramdown): after a form feed or
        // a no-break space the line is text, and a marker in its place would not start an
        // HTML block but show in the paragraph.
        let content = rest.trim_start_matches([' ', '\t']);
        let indent_len = prefix_len + (rest.len() - content.len());
        let is_blank = content.trim_start().is_empty();
        Line {
            number,
            text,
            prefix_len,
            depth,
            indent_len,
            first: (!is_blank).then(|| content.as_bytes()[0]),
        }
    }

    /// The line after its blockquote prefix.
    fn rest(&self) -> &'l str {
        &self.text[self.prefix_len..]
    }

    fn prefix(&self) -> &'l str {
        &self.text[..self.prefix_len]
    }

    /// Prefix and indentation, kept in front of markers so indentation keeps its meaning.
    fn lead(&self) -> &'l str {
        &self.text[..self.indent_len]
    }

    /// Spaces of indentation after the prefix.
    fn indent(&self) -> usize {
        self.indent_len - self.prefix_len
    }

    fn is_blank(&self) -> bool {
        self.first.is_none()
    }
}

/// Walks the body line by line, writing the prepared text.
struct Scanner<'b> {
    lines: Vec<&'b str>,
    out: Prepared,
    fence: Option<Fence>,
    extension: Option<OpenExtension>,
    previous_blank: bool,
    previous_depth: usize,
    /// The line before was text a paragraph may go on from (so the next line cannot start
    /// a definition, and an extension there is inside the paragraph).
    in_paragraph: bool,
    /// The line before opened an HTML element with Markdown content (a container start).
    container_opened: bool,
    /// The line before defined this abbreviation (an attribute list under it is for it).
    last_abbreviation: Option<String>,
    /// A blockquote prefix to give lazy lines after a container-start IAL (see `Attach::Next`).
    lazy_prefix: Option<(String, usize)>,
    open_elements: Vec<OpenElement>,
    /// Set by `{::options parse_block_html="true" /}`: HTML elements parse their content.
    parse_block_html: bool,
    /// The body has a `{::` somewhere (most have none: their lines are not searched).
    has_extensions: bool,
    /// Open list items, for lines kramdown reads as lazy lines of an item.
    lists: lists::ListTracker,
    /// Lines written to `out.text`.
    written: usize,
    last_shift: isize,
}

/// Scans `body` and returns it with markers in place of kramdown block syntax.
pub fn prepare(body: &str) -> Prepared {
    let mut scanner = Scanner {
        lines: body_lines(body),
        out: Prepared {
            text: String::with_capacity(body.len() + 64),
            marker_start: marker_start_for(body),
            ..Prepared::default()
        },
        fence: None,
        extension: None,
        previous_blank: false,
        previous_depth: 0,
        in_paragraph: false,
        container_opened: false,
        last_abbreviation: None,
        lazy_prefix: None,
        open_elements: Vec::new(),
        parse_block_html: false,
        has_extensions: has_extension_tag(body),
        lists: lists::ListTracker::default(),
        written: 0,
        last_shift: 0,
    };
    let mut index = 0;
    while index < scanner.lines.len() {
        let line = scanner.lines[index];
        index = scanner.line(index, line);
    }
    scanner.finish(body)
}

/// Whether `body` has a `{::` (an extension tag) anywhere.
pub fn has_extension_tag(body: &str) -> bool {
    let bytes = body.as_bytes();
    memchr::memchr_iter(b'{', bytes).any(|at| bytes[at + 1..].starts_with(b"::"))
}

/// The lines of `body`, without their `\n` (found with memchr: this runs on every page).
fn body_lines(body: &str) -> Vec<&str> {
    let mut lines = Vec::with_capacity(body.len() / 40 + 1);
    let mut start = 0;
    for newline in memchr::memchr_iter(b'\n', body.as_bytes()) {
        lines.push(&body[start..newline]);
        start = newline + 1;
    }
    if start < body.len() {
        lines.push(&body[start..]);
    }
    lines
}

impl<'b> Scanner<'b> {
    /// Writes one line of the prepared text, coming from body line `body_line`.
    fn emit(&mut self, body_line: usize, parts: &[&str]) {
        let prepared_line = self.written + 1;
        let shift = body_line as isize - prepared_line as isize;
        if shift != self.last_shift {
            self.out.line_shifts.push((prepared_line, shift));
            self.last_shift = shift;
        }
        for part in parts {
            self.out.text.push_str(part);
        }
        self.out.text.push('\n');
        self.written += 1;
    }

    /// Writes a line that stands for something else as `marker`, after the line's lead.
    fn emit_marker(&mut self, line: &Line<'_>, marker: &str) {
        self.emit(line.number, &[line.lead(), marker]);
        self.previous_blank = false;
        self.previous_depth = line.depth;
        self.in_paragraph = false;
        self.container_opened = false;
    }

    /// Writes a line that produces nothing as a skip marker.
    fn emit_skip(&mut self, line: &Line<'_>) {
        let skip = self.out.skip_marker();
        self.emit_marker(line, &skip);
    }

    /// Writes a line of the body as it is.
    fn emit_plain(&mut self, line: &Line<'_>) {
        self.emit(line.number, &[line.text]);
        self.previous_blank = line.is_blank();
        self.previous_depth = line.depth;
        self.in_paragraph = !matches!(line.first, None | Some(b'#' | b'<'));
        self.container_opened = false;
        self.last_abbreviation = None;
    }

    fn warn(&mut self, line: usize, column: usize, message: String, help: impl Into<String>) {
        self.out.warnings.push(LineWarning {
            line,
            column,
            message,
            help: help.into(),
        });
    }

    /// Handles body line `index` (whose text is `text`, or what is left of it after an
    /// HTML tag) and returns the index of the next line to handle.
    fn line(&mut self, index: usize, text: &str) -> usize {
        let line = Line::new(index + 1, text);
        let rest = line.rest();

        if self.extension.is_some() {
            self.extension_body_line(&line);
            return index + 1;
        }
        if let Some(open) = &self.fence {
            if closes(open, rest) {
                self.fence = None;
            }
            self.emit_plain(&line);
            self.in_paragraph = false;
            return index + 1;
        }
        self.close_elements_of_ended_quotes(&line);
        if let Some(opened) = fence_of(rest) {
            self.fence = Some(opened);
            self.lazy_prefix = None;
            self.lists.reset();
            self.emit_plain(&line);
            self.in_paragraph = false;
            return index + 1;
        }
        if let Some((lazy, lazy_depth)) = &self.lazy_prefix {
            if line.is_blank() || line.depth >= *lazy_depth {
                self.lazy_prefix = None;
            } else {
                let lazy = lazy.clone();
                self.emit(line.number, &[&lazy, line.text]);
                self.previous_blank = false;
                self.in_paragraph = true;
                return index + 1;
            }
        }

        let indentation = &line.text[line.prefix_len..line.indent_len];
        let shift = if line.depth == 0 && !indentation.contains('\t') {
            self.lists
                .line(line.indent(), &line.text[line.indent_len..])
        } else {
            self.lists.reset();
            0
        };
        if shift > 0 && !(self.has_extensions && rest.contains("{::")) {
            // A lazy line of a list item (see lists.rs): moved to the item's content.
            let spaces = " ".repeat(shift);
            self.emit(line.number, &[&spaces, line.text]);
            self.previous_blank = false;
            self.previous_depth = line.depth;
            self.in_paragraph = true;
            self.container_opened = false;
            self.last_abbreviation = None;
            return index + 1;
        }

        // Most lines are text: only a line starting with `<`, `{`, `$` or `*` can be more.
        match line.first {
            Some(b'<') if line.indent() <= 3 => {
                if let Some(next) = self.html_line(index, &line) {
                    return next;
                }
            }
            Some(b'{') => {
                let trimmed = rest.trim();
                if trimmed.starts_with("{:") && trimmed.ends_with('}') {
                    if trimmed.starts_with("{::") || trimmed.starts_with("{:/") {
                        if !self.in_paragraph
                            && let Some(next) = self.block_extension(index, &line)
                        {
                            return next;
                        }
                    } else if self.attribute_list_line(index, &line) {
                        return index + 1;
                    }
                }
            }
            Some(b'$') => {
                if let Some(next) = self.math_block(index, &line) {
                    return next;
                }
            }
            Some(b'*')
                if !self.in_paragraph
                    && line.indent() <= 3
                    && rest.trim_start().starts_with("*[")
                    && self.abbreviation_definition(&line) =>
            {
                return index + 1;
            }
            _ => {}
        }
        if self.has_extensions && rest.contains("{::") {
            return self.span_extensions(index, &line);
        }
        self.emit_plain(&line);
        index + 1
    }

    /// HTML elements with Markdown content whose blockquote ended are closed with it, as
    /// kramdown closes them (with a warning).
    fn close_elements_of_ended_quotes(&mut self, line: &Line<'_>) {
        while let Some(top) = self.open_elements.last()
            && line.depth < top.depth
        {
            let top = self.open_elements.pop().expect("an open element");
            self.warn(
                top.line,
                1,
                format!(
                    "`<{}>` is not closed before its block quote ends, so it ends there",
                    top.name
                ),
                format!("close it with `</{}>` inside the quote", top.name),
            );
            let close = self.out.marker("close", top.number);
            self.emit(line.number, &[&top.prefix, &close]);
        }
    }

    /// Ends the prepared text: unclosed elements and extensions are closed with a warning.
    fn finish(mut self, body: &str) -> Prepared {
        let last_line = self.lines.len().max(1);
        while let Some(top) = self.open_elements.pop() {
            self.warn(
                top.line,
                1,
                format!(
                    "`<{}>` is never closed, so it runs to the end of the page",
                    top.name
                ),
                format!("close it with `</{}>`", top.name),
            );
            let close = self.out.marker("close", top.number);
            self.emit(last_line, &[&top.prefix, &close]);
        }
        if let Some(open) = self.extension.take() {
            self.warn(
                open.start_line,
                1,
                format!(
                    "`{{::{}}}` is never closed, so the rest of the page is hidden",
                    open.name
                ),
                format!("close it with `{{:/{}}}`", open.name),
            );
        }
        if !body.ends_with('\n')
            && self.out.text.ends_with('\n')
            && self.written == self.lines.len()
        {
            self.out.text.pop();
        }
        self.out
    }
}

#[cfg(test)]
mod tests;
