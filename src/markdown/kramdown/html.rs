//! HTML elements at the start of a block, as kramdown parses them (`parser/kramdown/html.rb`
//! with Jekyll's `parse_block_html: false`).
//!
//! kramdown reads a block-level element up to its matching end tag, across blank lines, and
//! writes it as it is, unless the element asks for its content to be parsed: `markdown="1"`
//! (the element's usual content model), `"block"`, `"span"`, or `"0"` (raw). CommonMark instead
//! ends an HTML block at the first blank line and parses what follows as Markdown. So:
//! - an element with Markdown content becomes an open marker, its content lines (scanned as
//!   usual), and a close marker when its end tag comes on a line of its own;
//! - an element whose HTML block CommonMark would end early (a blank line inside, text right
//!   after it, a tag name CommonMark does not know) becomes one raw marker;
//! - any other element is left to pulldown-cmark, which reads it the same way.
//!
//! Tags that kramdown reads as text (`<img>`, `<span>`, `<a>`, …) start a paragraph, even alone
//! on a line, where CommonMark would start an HTML block.

use super::{
    HtmlElement, Line, OpenElement, RawHtml, SKIP_MARKER, Scanner, container_prefix, marker,
};

/// Elements kramdown reads as text, never as the start of a block.
const SPAN_ELEMENTS: &[&str] = &[
    "a", "abbr", "acronym", "b", "big", "bdo", "br", "button", "cite", "code", "del", "dfn", "em",
    "i", "img", "input", "ins", "kbd", "label", "mark", "option", "q", "rb", "rbc", "rp", "rt",
    "rtc", "ruby", "samp", "select", "small", "span", "strong", "sub", "sup", "tt", "u", "var",
];

/// Elements whose content `markdown="1"` parses as blocks.
const BLOCK_CONTENT: &[&str] = &[
    "address",
    "applet",
    "article",
    "aside",
    "blockquote",
    "body",
    "dd",
    "details",
    "div",
    "dl",
    "fieldset",
    "figure",
    "figcaption",
    "footer",
    "form",
    "header",
    "hgroup",
    "iframe",
    "li",
    "main",
    "map",
    "menu",
    "nav",
    "noscript",
    "object",
    "section",
    "summary",
    "td",
];

/// Elements whose content `markdown="1"` parses as one run of text.
const SPAN_CONTENT: &[&str] = &[
    "a", "abbr", "acronym", "b", "bdo", "big", "button", "cite", "caption", "del", "dfn", "dt",
    "em", "h1", "h2", "h3", "h4", "h5", "h6", "i", "ins", "label", "legend", "optgroup", "p", "q",
    "rb", "rbc", "rp", "rt", "rtc", "ruby", "select", "small", "span", "strong", "sub", "sup",
    "th", "tt",
];

/// Elements that never have content or an end tag.
const WITHOUT_BODY: &[&str] = &[
    "area", "base", "br", "col", "command", "embed", "hr", "img", "input", "keygen", "link",
    "meta", "param", "source", "track", "wbr",
];

/// CommonMark's HTML block start conditions 1 and 6: pulldown-cmark starts an HTML block for
/// these anywhere, even inside a paragraph; for other names only on a line of their own.
const COMMONMARK_BLOCK: &[&str] = &[
    "address",
    "article",
    "aside",
    "base",
    "basefont",
    "blockquote",
    "body",
    "caption",
    "center",
    "col",
    "colgroup",
    "dd",
    "details",
    "dialog",
    "dir",
    "div",
    "dl",
    "dt",
    "fieldset",
    "figcaption",
    "figure",
    "footer",
    "form",
    "frame",
    "frameset",
    "h1",
    "h2",
    "h3",
    "h4",
    "h5",
    "h6",
    "head",
    "header",
    "hr",
    "html",
    "iframe",
    "legend",
    "li",
    "link",
    "main",
    "menu",
    "menuitem",
    "nav",
    "noframes",
    "ol",
    "optgroup",
    "option",
    "p",
    "param",
    "pre",
    "script",
    "search",
    "section",
    "style",
    "summary",
    "table",
    "tbody",
    "td",
    "textarea",
    "tfoot",
    "th",
    "thead",
    "title",
    "tr",
    "track",
    "ul",
];

/// How far ahead an element's end tag is looked for.
const LOOKAHEAD_LINES: usize = 2_000;

fn is_one_of(name: &str, list: &[&str]) -> bool {
    list.iter().any(|known| known.eq_ignore_ascii_case(name))
}

/// How kramdown parses an element's content.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Content {
    Block,
    Span,
    Raw,
}

fn usual_content(name: &str) -> Content {
    if is_one_of(name, BLOCK_CONTENT) {
        Content::Block
    } else if is_one_of(name, SPAN_CONTENT) {
        Content::Span
    } else {
        Content::Raw
    }
}

/// A start tag found at the start of some text.
#[derive(Debug)]
pub(super) struct StartTag<'t> {
    pub name: &'t str,
    /// The value of its `markdown` attribute, if any.
    pub markdown: Option<&'t str>,
    /// Byte range of ` markdown="…"` in the tag, to remove it.
    pub markdown_range: Option<std::ops::Range<usize>>,
    pub self_closing: bool,
    /// Length of the tag in bytes.
    pub len: usize,
}

fn is_name_start(byte: u8) -> bool {
    byte.is_ascii_alphabetic() || byte == b'_'
}

fn is_name_byte(byte: u8) -> bool {
    byte.is_ascii_alphanumeric() || matches!(byte, b'-' | b'.' | b'_' | b':')
}

/// Reads a complete start tag at the start of `text` (`<name attr="v" …>`).
pub(super) fn start_tag(text: &str) -> Option<StartTag<'_>> {
    let bytes = text.as_bytes();
    if bytes.first() != Some(&b'<') || !bytes.get(1).copied().is_some_and(is_name_start) {
        return None;
    }
    let mut at = 1;
    while at < bytes.len() && is_name_byte(bytes[at]) {
        at += 1;
    }
    let name = &text[1..at];
    let mut tag = StartTag {
        name,
        markdown: None,
        markdown_range: None,
        self_closing: false,
        len: 0,
    };
    loop {
        let space_start = at;
        while at < bytes.len() && bytes[at].is_ascii_whitespace() {
            at += 1;
        }
        match bytes.get(at)? {
            b'>' => {
                tag.len = at + 1;
                return Some(tag);
            }
            b'/' if bytes.get(at + 1) == Some(&b'>') => {
                tag.self_closing = true;
                tag.len = at + 2;
                return Some(tag);
            }
            &byte if is_name_start(byte) && at > space_start => {
                let name_start = at;
                while at < bytes.len() && is_name_byte(bytes[at]) {
                    at += 1;
                }
                let attribute = &text[name_start..at];
                let mut value = "";
                let mut after = at;
                while after < bytes.len() && bytes[after].is_ascii_whitespace() {
                    after += 1;
                }
                if bytes.get(after) == Some(&b'=') {
                    after += 1;
                    while after < bytes.len() && bytes[after].is_ascii_whitespace() {
                        after += 1;
                    }
                    match bytes.get(after)? {
                        &quote @ (b'"' | b'\'') => {
                            let end = text[after + 1..].find(quote as char)? + after + 1;
                            value = &text[after + 1..end];
                            at = end + 1;
                        }
                        _ => {
                            let end = text[after..]
                                .find(|c: char| c.is_ascii_whitespace() || c == '>')
                                .map_or(text.len(), |i| after + i);
                            value = text[after..end].trim_end_matches('/');
                            at = after + value.len();
                        }
                    }
                }
                if attribute.eq_ignore_ascii_case("markdown") {
                    tag.markdown = Some(value);
                    tag.markdown_range = Some(space_start..at);
                }
            }
            _ => return None,
        }
    }
}

/// The length of an end tag `</name>` at the start of `text`.
fn end_tag_len(text: &str, name: &str) -> Option<usize> {
    let rest = text.strip_prefix("</")?;
    let after_name = rest.get(name.len()..)?;
    if !rest[..name.len()].eq_ignore_ascii_case(name) {
        return None;
    }
    let spaces = after_name.len() - after_name.trim_start().len();
    after_name[spaces..]
        .starts_with('>')
        .then_some(2 + name.len() + spaces + 1)
}

/// Where an element ends, found by reading ahead.
struct Extent {
    /// Index of the line with the end tag.
    end_line: usize,
    /// Byte offsets of the end tag's start and of its end in that line.
    end_tag_at: usize,
    end_at: usize,
    blank_inside: bool,
    /// A nested element asks for Markdown content.
    markdown_inside: bool,
}

/// Reads from `first[from..]` (the text of body line `index`), then on through the lines after
/// it in `lines`, to the end tag matching an open `name`, tracking nested elements as kramdown
/// does (an end tag that matches no open element is text). Lines must stay in the same
/// blockquote depth.
fn find_end(
    first: &str,
    from: usize,
    lines: &[&str],
    index: usize,
    name: &str,
    depth: usize,
) -> Option<Extent> {
    let mut open: Vec<&str> = vec![name];
    let mut blank_inside = false;
    let mut markdown_inside = false;
    let mut in_comment = false;
    let last = lines.len().min(index + LOOKAHEAD_LINES);
    let following = lines.get(index + 1..last).unwrap_or_default();
    for (offset, line) in std::iter::once(&first).chain(following).enumerate() {
        let line_index = index + offset;
        let (prefix_len, line_depth) = container_prefix(line);
        let mut at = if offset == 0 { from } else { prefix_len };
        if offset != 0 {
            if line_depth != depth {
                return None;
            }
            if line[prefix_len..].trim().is_empty() {
                blank_inside = true;
                continue;
            }
        }
        let bytes = line.as_bytes();
        while at < bytes.len() {
            if in_comment {
                match line[at..].find("-->") {
                    Some(end) => {
                        in_comment = false;
                        at += end + 3;
                        continue;
                    }
                    None => break,
                }
            }
            let Some(lt) = line[at..].find('<') else {
                break;
            };
            at += lt;
            let text = &line[at..];
            let innermost = open.last().copied().unwrap_or(name);
            // The content of script and style is not HTML.
            let raw_text =
                innermost.eq_ignore_ascii_case("script") || innermost.eq_ignore_ascii_case("style");
            if let Some(len) = end_tag_len(text, innermost) {
                open.pop();
                let end_tag_at = at;
                at += len;
                if open.is_empty() {
                    return Some(Extent {
                        end_line: line_index,
                        end_tag_at,
                        end_at: at,
                        blank_inside,
                        markdown_inside,
                    });
                }
            } else if raw_text {
                at += 1;
            } else if text.starts_with("<!--") {
                in_comment = true;
                at += 4;
            } else if let Some(tag) = start_tag(text) {
                markdown_inside |= tag.markdown.is_some();
                if !tag.self_closing && !is_one_of(tag.name, WITHOUT_BODY) {
                    open.push(tag.name);
                }
                at += tag.len;
            } else {
                at += 1;
            }
        }
    }
    None
}

impl Scanner<'_> {
    /// A line whose text (after at most three spaces) starts with `<`: handles an HTML element
    /// there and returns the next line to scan, or `None` to scan the line as usual.
    pub(super) fn html_line(&mut self, index: usize, line: &Line<'_>) -> Option<usize> {
        let text = &line.text[line.indent_len..];
        if let Some(top) = self.open_elements.last()
            && let Some(len) = end_tag_len(text, &top.name)
        {
            let top = self.open_elements.pop().expect("an open element");
            self.emit_marker(line, &marker("close", top.number));
            return Some(self.rest_of_line(index, line, line.indent_len + len));
        }
        let tag = start_tag(text)?;
        if is_one_of(tag.name, SPAN_ELEMENTS) {
            return self.span_tag_line(index, line, &tag);
        }
        let content = match tag.markdown {
            Some("1") => usual_content(tag.name),
            Some("block") => Content::Block,
            Some("span") => Content::Span,
            Some("0") => Content::Raw,
            // Any other value is not kramdown's: the attribute stays, the element is raw.
            Some(_) => return self.raw_or_as_is(index, line, &tag),
            None if self.parse_block_html => usual_content(tag.name),
            None => return self.raw_or_as_is(index, line, &tag),
        };
        let written_tag = without_markdown_attribute(&text[..tag.len], &tag);
        if is_one_of(tag.name, WITHOUT_BODY) || tag.self_closing {
            let number = self.raw_html(written_tag + "\n", line.number);
            self.emit_marker(line, &marker("raw", number));
            return Some(self.rest_of_line(index, line, line.indent_len + tag.len));
        }
        match content {
            Content::Block => Some(self.open_element(index, line, &tag, written_tag)),
            Content::Span => self.span_element(index, line, &tag, written_tag),
            Content::Raw => {
                let extent = find_end(
                    line.text,
                    line.indent_len + tag.len,
                    &self.lines,
                    index,
                    tag.name,
                    line.depth,
                );
                let Some(extent) = extent else {
                    self.warn(
                        line.number,
                        line.indent_len + 1,
                        format!("`<{}>` is never closed", tag.name),
                        format!("close it with `</{}>`", tag.name),
                    );
                    return None;
                };
                Some(self.raw_element(index, line, &extent, Some((&tag, written_tag))))
            }
        }
    }

    pub(super) fn raw_html(&mut self, html: String, line: usize) -> usize {
        self.out.raw.push(RawHtml { html, line });
        self.out.raw.len() - 1
    }

    /// Goes on with what follows a tag on its line (from byte `from`), as a line of its own.
    fn rest_of_line(&mut self, index: usize, line: &Line<'_>, from: usize) -> usize {
        let rest = &line.text[from..];
        if rest.trim().is_empty() {
            return index + 1;
        }
        let continued = format!("{}{}", line.lead(), rest.trim_start());
        self.line(index, &continued)
    }

    /// `<div markdown="1">`: an open marker; the content lines follow as usual.
    fn open_element(
        &mut self,
        index: usize,
        line: &Line<'_>,
        tag: &StartTag<'_>,
        open: String,
    ) -> usize {
        let number = self.out.elements.len();
        self.out.elements.push(HtmlElement {
            open: open + "\n",
            close: format!("</{}>\n", tag.name),
            span: false,
        });
        self.emit_marker(line, &marker("open", number));
        self.container_opened = true;
        self.open_elements.push(OpenElement {
            name: tag.name.to_string(),
            depth: line.depth,
            prefix: line.lead().to_string(),
            number,
            line: line.number,
        });
        let next = self.rest_of_line(index, line, line.indent_len + tag.len);
        if next == index + 1 {
            self.container_opened = true;
        }
        next
    }

    /// `<p markdown="1">text</p>`: the text, up to the end tag, becomes one paragraph that is
    /// written without `<p>`, between an open and a close marker.
    fn span_element(
        &mut self,
        index: usize,
        line: &Line<'_>,
        tag: &StartTag<'_>,
        open: String,
    ) -> Option<usize> {
        let from = line.indent_len + tag.len;
        let Some(extent) = find_end(line.text, from, &self.lines, index, tag.name, line.depth)
        else {
            self.warn(
                line.number,
                line.indent_len + 1,
                format!("`<{}>` is never closed", tag.name),
                format!("close it with `</{}>`", tag.name),
            );
            return None;
        };
        let number = self.out.elements.len();
        self.out.elements.push(HtmlElement {
            open,
            close: format!("</{}>\n", tag.name),
            span: true,
        });
        self.emit_marker(line, &marker("open", number));
        for line_index in index..=extent.end_line {
            let text = if line_index == index {
                line.text
            } else {
                self.lines[line_index]
            };
            let start = if line_index == index {
                from
            } else {
                container_prefix(text).0
            };
            let end = if line_index == extent.end_line {
                extent.end_tag_at
            } else {
                text.len()
            };
            let Some(part) = text.get(start..end.max(start)) else {
                continue;
            };
            let part = part.trim();
            if part.is_empty() {
                continue;
            }
            let escaped = escape_block_start(part);
            self.emit(line_index + 1, &[line.lead(), &escaped]);
        }
        let close = marker("close", number);
        self.emit(extent.end_line + 1, &[line.lead(), &close]);
        self.previous_blank = false;
        self.in_paragraph = false;
        let end_line_text = if extent.end_line == index {
            line.text
        } else {
            self.lines[extent.end_line]
        };
        let end_line = Line::new(extent.end_line + 1, end_line_text);
        Some(self.rest_of_line(extent.end_line, &end_line, extent.end_at))
    }

    /// An element with no `markdown` attribute: raw if CommonMark would read it otherwise than
    /// kramdown, a container if an element inside it has Markdown content, else as it is.
    fn raw_or_as_is(&mut self, index: usize, line: &Line<'_>, tag: &StartTag<'_>) -> Option<usize> {
        if tag.self_closing || is_one_of(tag.name, WITHOUT_BODY) {
            return None;
        }
        let extent = find_end(
            line.text,
            line.indent_len + tag.len,
            &self.lines,
            index,
            tag.name,
            line.depth,
        )?;
        if extent.markdown_inside {
            let open = line.text[line.indent_len..line.indent_len + tag.len].to_string();
            return Some(self.open_element(index, line, tag, open));
        }
        let end_text = if extent.end_line == index {
            line.text
        } else {
            self.lines[extent.end_line]
        };
        let text_after = !end_text[extent.end_at..].trim().is_empty();
        let line_after = self.lines.get(extent.end_line + 1).is_some_and(|next| {
            let (prefix_len, _) = container_prefix(next);
            !next[prefix_len..].trim().is_empty()
        });
        let commonmark_block = is_one_of(tag.name, COMMONMARK_BLOCK);
        if extent.blank_inside || text_after || line_after || !commonmark_block {
            return Some(self.raw_element(index, line, &extent, None));
        }
        // pulldown-cmark reads it as kramdown does: pass its lines through untouched, so that
        // nothing inside it is taken for kramdown syntax.
        for line_index in index..=extent.end_line {
            let text = if line_index == index {
                line.text
            } else {
                self.lines[line_index]
            };
            self.emit_plain(&Line::new(line_index + 1, text));
        }
        self.in_paragraph = false;
        Some(extent.end_line + 1)
    }

    /// Writes the element from `line` to the end of `extent` as one raw marker on its last
    /// line (so that an attribute list under it finds it) and skip markers before.
    fn raw_element(
        &mut self,
        index: usize,
        line: &Line<'_>,
        extent: &Extent,
        tag: Option<(&StartTag<'_>, String)>,
    ) -> usize {
        let mut html = String::new();
        for line_index in index..=extent.end_line {
            let text = if line_index == index {
                line.text
            } else {
                self.lines[line_index]
            };
            let start = if line_index == index {
                line.indent_len
            } else {
                container_prefix(text).0
            };
            let end = if line_index == extent.end_line {
                extent.end_at
            } else {
                text.len()
            };
            match (&tag, line_index == index) {
                (Some((tag, written)), true) => {
                    html.push_str(written);
                    html.push_str(&text[start + tag.len..end.max(start + tag.len)]);
                }
                _ => html.push_str(&text[start..end.max(start)]),
            }
            html.push('\n');
            if line_index < extent.end_line {
                self.emit(line_index + 1, &[line.lead(), SKIP_MARKER]);
            }
        }
        let number = self.raw_html(html, line.number);
        let end_text = if extent.end_line == index {
            line.text
        } else {
            self.lines[extent.end_line]
        };
        let end_line = Line::new(extent.end_line + 1, end_text);
        let raw = marker("raw", number);
        self.emit(end_line.number, &[line.lead(), &raw]);
        self.previous_blank = false;
        self.previous_depth = line.depth;
        self.in_paragraph = false;
        self.container_opened = false;
        self.rest_of_line(extent.end_line, &end_line, extent.end_at)
    }

    /// `<img …>` or `<span>` at the start of a line starts a paragraph in kramdown. Alone on
    /// its line it would start an HTML block in CommonMark, so an empty marker follows it.
    fn span_tag_line(
        &mut self,
        index: usize,
        line: &Line<'_>,
        tag: &StartTag<'_>,
    ) -> Option<usize> {
        let after = &line.text[line.indent_len + tag.len..];
        if !after.trim().is_empty() || self.in_paragraph {
            return None;
        }
        self.emit(line.number, &[line.text.trim_end(), SKIP_MARKER]);
        self.previous_blank = false;
        self.previous_depth = line.depth;
        self.in_paragraph = true;
        self.container_opened = false;
        Some(index + 1)
    }
}

/// The tag as written, without its `markdown` attribute (it is not HTML).
fn without_markdown_attribute(tag_text: &str, tag: &StartTag<'_>) -> String {
    match &tag.markdown_range {
        Some(range) => format!("{}{}", &tag_text[..range.start], &tag_text[range.end..]),
        None => tag_text.to_string(),
    }
}

/// A line of span content that CommonMark would read as the start of a block (a list item,
/// a heading, a quote, a fence, a rule) gets its marker character escaped.
fn escape_block_start(text: &str) -> String {
    let bytes = text.as_bytes();
    let first = bytes[0];
    let followed_by_space = bytes.get(1).is_none_or(|b| b.is_ascii_whitespace());
    let escape_first = match first {
        b'-' | b'+' | b'*' | b'>' | b'#' | b':' => {
            followed_by_space || first == b'#' && text.trim_start_matches('#').starts_with(' ')
        }
        b'`' | b'~' => text.starts_with("```") || text.starts_with("~~~"),
        b'=' => text.bytes().all(|b| b == b'='),
        _ => false,
    };
    if escape_first {
        return format!("\\{text}");
    }
    let digits = text.bytes().take_while(u8::is_ascii_digit).count();
    if digits > 0
        && matches!(bytes.get(digits), Some(b'.' | b')'))
        && bytes
            .get(digits + 1)
            .is_none_or(|b| b.is_ascii_whitespace())
    {
        return format!("{}\\{}", &text[..digits], &text[digits..]);
    }
    text.to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn start_tags() {
        let tag = start_tag("<div class=\"code-example\" markdown=\"1\">rest").unwrap();
        assert_eq!(tag.name, "div");
        assert_eq!(tag.markdown, Some("1"));
        assert_eq!(tag.len, "<div class=\"code-example\" markdown=\"1\">".len());
        let written =
            without_markdown_attribute("<div class=\"code-example\" markdown=\"1\">", &tag);
        assert_eq!(written, "<div class=\"code-example\">");
        let tag = start_tag("<details open markdown=block>").unwrap();
        assert_eq!(tag.markdown, Some("block"));
        assert!(start_tag("<img src='a.png'/>").unwrap().self_closing);
        assert!(start_tag("< div>").is_none());
        assert!(start_tag("<div class=\"unterminated>").is_none());
        assert!(start_tag("<a href=x>").is_some());
    }

    #[test]
    fn end_tags() {
        assert_eq!(end_tag_len("</div>", "div"), Some(6));
        assert_eq!(end_tag_len("</DIV >x", "div"), Some(7));
        assert_eq!(end_tag_len("</divx>", "div"), None);
    }

    #[test]
    fn extents_follow_nesting() {
        let lines = ["<div>", "<div>", "", "</div>", "</div> after"];
        let extent = find_end(lines[0], 5, &lines, 0, "div", 0).unwrap();
        assert_eq!((extent.end_line, extent.end_at), (4, 6));
        assert!(extent.blank_inside);
        let lines = [
            "<div>",
            "<!-- </div> -->",
            "<p markdown=\"1\">x</p>",
            "</div>",
        ];
        let extent = find_end(lines[0], 5, &lines, 0, "div", 0).unwrap();
        assert_eq!(extent.end_line, 3);
        assert!(extent.markdown_inside);
        let lines = ["<div>", "> </div>"];
        assert!(find_end(lines[0], 5, &lines, 0, "div", 0).is_none());
        // The first line may be what is left of a line after another tag.
        let lines = ["<div markdown=\"1\"><p>x</p>", "</div>"];
        let extent = find_end("<p>x</p>", 3, &lines, 0, "p", 0).unwrap();
        assert_eq!((extent.end_line, extent.end_at), (0, 8));
    }

    #[test]
    fn span_content_does_not_start_blocks() {
        assert_eq!(escape_block_start("- item"), "\\- item");
        assert_eq!(escape_block_start("1. first"), "1\\. first");
        assert_eq!(escape_block_start("# title"), "\\# title");
        assert_eq!(escape_block_start("*emphasis*"), "*emphasis*");
        assert_eq!(escape_block_start("2024 was"), "2024 was");
    }
}
