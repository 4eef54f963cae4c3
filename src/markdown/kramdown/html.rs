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

use super::tags::{
    COMMONMARK_BLOCK, Content, Extent, SPAN_ELEMENTS, StartTag, WITHOUT_BODY, end_tag_len,
    find_end, is_one_of, start_tag, usual_content, without_markdown_attribute,
};
use super::{HtmlElement, Line, OpenElement, RawHtml, Scanner, container_prefix};

impl Scanner<'_> {
    /// A line whose text (after at most three spaces) starts with `<`: handles an HTML element
    /// there and returns the next line to scan, or `None` to scan the line as usual.
    pub(super) fn html_line(&mut self, index: usize, line: &Line<'_>) -> Option<usize> {
        let text = &line.text[line.indent_len..];
        if let Some(top) = self.open_elements.last()
            && let Some(len) = end_tag_len(text, &top.name)
        {
            let top = self.open_elements.pop().expect("an open element");
            self.emit_marker(line, &self.out.marker("close", top.number));
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
            self.emit_marker(line, &self.out.marker("raw", number));
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
        self.emit_marker(line, &self.out.marker("open", number));
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
        self.emit_marker(line, &self.out.marker("open", number));
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
        let close = self.out.marker("close", number);
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
                let skip = self.out.skip_marker();
                self.emit(line_index + 1, &[line.lead(), &skip]);
            }
        }
        let number = self.raw_html(html, line.number);
        let end_text = if extent.end_line == index {
            line.text
        } else {
            self.lines[extent.end_line]
        };
        let end_line = Line::new(extent.end_line + 1, end_text);
        let raw = self.out.marker("raw", number);
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
        let skip = self.out.skip_marker();
        self.emit(line.number, &[line.text.trim_end(), &skip]);
        self.previous_blank = false;
        self.previous_depth = line.depth;
        self.in_paragraph = true;
        self.container_opened = false;
        Some(index + 1)
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
    fn span_content_does_not_start_blocks() {
        assert_eq!(escape_block_start("- item"), "\\- item");
        assert_eq!(escape_block_start("1. first"), "1\\. first");
        assert_eq!(escape_block_start("# title"), "\\# title");
        assert_eq!(escape_block_start("*emphasis*"), "*emphasis*");
        assert_eq!(escape_block_start("2024 was"), "2024 was");
    }
}
