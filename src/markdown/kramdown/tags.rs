//! Reading HTML tags the way kramdown does (`parser/html.rb`): which elements start a block,
//! how `markdown="1"` reads their content, start and end tags, and where an element ends.

use super::container_prefix;

/// Elements kramdown reads as text, never as the start of a block.
pub(super) const SPAN_ELEMENTS: &[&str] = &[
    "a", "abbr", "acronym", "b", "big", "bdo", "br", "button", "cite", "code", "del", "dfn", "em",
    "i", "img", "input", "ins", "kbd", "label", "mark", "option", "q", "rb", "rbc", "rp", "rt",
    "rtc", "ruby", "samp", "select", "small", "span", "strong", "sub", "sup", "tt", "u", "var",
];

/// Elements whose content `markdown="1"` parses as blocks.
pub(super) const BLOCK_CONTENT: &[&str] = &[
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
pub(super) const SPAN_CONTENT: &[&str] = &[
    "a", "abbr", "acronym", "b", "bdo", "big", "button", "cite", "caption", "del", "dfn", "dt",
    "em", "h1", "h2", "h3", "h4", "h5", "h6", "i", "ins", "label", "legend", "optgroup", "p", "q",
    "rb", "rbc", "rp", "rt", "rtc", "ruby", "select", "small", "span", "strong", "sub", "sup",
    "th", "tt",
];

/// Elements that never have content or an end tag.
pub(super) const WITHOUT_BODY: &[&str] = &[
    "area", "base", "br", "col", "command", "embed", "hr", "img", "input", "keygen", "link",
    "meta", "param", "source", "track", "wbr",
];

/// CommonMark's HTML block start conditions 1 and 6: pulldown-cmark starts an HTML block for
/// these anywhere, even inside a paragraph; for other names only on a line of their own.
pub(super) const COMMONMARK_BLOCK: &[&str] = &[
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

pub(super) fn is_one_of(name: &str, list: &[&str]) -> bool {
    list.iter().any(|known| known.eq_ignore_ascii_case(name))
}

/// How kramdown parses an element's content.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Content {
    Block,
    Span,
    Raw,
}

pub(super) fn usual_content(name: &str) -> Content {
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
pub(super) fn end_tag_len(text: &str, name: &str) -> Option<usize> {
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
pub(super) struct Extent {
    /// Index of the line with the end tag.
    pub(super) end_line: usize,
    /// Byte offsets of the end tag's start and of its end in that line.
    pub(super) end_tag_at: usize,
    pub(super) end_at: usize,
    pub(super) blank_inside: bool,
    /// A nested element asks for Markdown content.
    pub(super) markdown_inside: bool,
}

/// Reads from `first[from..]` (the text of body line `index`), then on through the lines after
/// it in `lines`, to the end tag matching an open `name`, tracking nested elements as kramdown
/// does (an end tag that matches no open element is text). Lines must stay in the same
/// blockquote depth.
pub(super) fn find_end(
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

/// The tag as written, without its `markdown` attribute (it is not HTML).
pub(super) fn without_markdown_attribute(tag_text: &str, tag: &StartTag<'_>) -> String {
    match &tag.markdown_range {
        Some(range) => format!("{}{}", &tag_text[..range.start], &tag_text[range.end..]),
        None => tag_text.to_string(),
    }
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
}
