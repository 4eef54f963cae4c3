//! Raw HTML in pages: kramdown markers inside it, attributes added to its tags.

use std::borrow::Cow;

use pulldown_cmark_escape::escape_html_body_text;

use super::Writer;
use crate::markdown::attributes::Attrs;
use crate::markdown::kramdown::Marker;

impl Writer<'_, '_, '_, '_> {
    /// An HTML block's text: raw HTML, or a marker the line scanner put in place of kramdown
    /// syntax.
    pub(super) fn html(&mut self, html: &str) {
        if let Some(code) = &mut self.code {
            code.text.push_str(html);
            return;
        }
        let attrs = self.html_block_attrs.take();
        if html.starts_with("<!--folio")
            && let Some(marker) = self.prepared.parse_marker(html)
        {
            self.marker(marker, attrs.as_ref());
            return;
        }
        let html = strip_markdown_attribute(html);
        let html = match attrs {
            Some(attrs) => Cow::Owned(add_attrs_to_first_tag(&html, &attrs)),
            None => html,
        };
        if !self.prepared.has_markers(&html) {
            self.write_raw(&html);
            return;
        }
        // Markers inside raw HTML: an attribute list goes to the element just before it,
        // which may have been written by an earlier event of the same HTML block.
        let mut last = 0;
        for (range, marker) in self.prepared.find_markers(&html) {
            self.write_raw(&html[last..range.start]);
            if let Marker::Ial(n) = marker {
                let attrs = crate::markdown::events::resolve_refs(
                    &self.prepared.ials[n].attrs,
                    self.prepared,
                );
                if let Some(tag_start) = element_before(&self.out) {
                    let patched = add_attrs_to_first_tag(&self.out[tag_start..], &attrs);
                    self.out.truncate(tag_start);
                    self.out.push_str(&patched);
                }
                // The marker's line break is not needed once the marker is gone.
                if html[range.end..].starts_with('\n') {
                    last = range.end + 1;
                    continue;
                }
            } else {
                self.marker(marker, None);
            }
            last = range.end;
        }
        self.write_raw(&html[last..]);
    }

    /// Inline HTML: a marker (raw HTML of `{::nomarkdown}`, or nothing), or HTML as written.
    pub(super) fn inline_html(&mut self, html: &str, attrs: Option<&Attrs>) {
        if html.starts_with("<!--folio")
            && let Some(marker) = self.prepared.parse_marker(html)
        {
            match marker {
                // An attribute list's line that CommonMark read as paragraph text (indented
                // four spaces under a paragraph, as kramdown reads it too): the line is text.
                Marker::Ial(n) => {
                    let text = self.prepared.ials[n]
                        .original
                        .trim_start_matches([' ', '\t']);
                    self.inline_text(text);
                }
                _ => self.marker(marker, None),
            }
            return;
        }
        if self.prepared.has_markers(html) {
            // Inline HTML that runs into a marker: a `<!--` the page left open, "closed" by
            // the marker's own `-->`. kramdown reads such a `<!--` as text; the markers stand
            // for what they always do.
            let mut last = 0;
            for (range, marker) in self.prepared.find_markers(html) {
                self.inline_text(&html[last..range.start]);
                match marker {
                    Marker::Ial(n) => self.inline_text(&self.prepared.ials[n].original),
                    _ => self.marker(marker, None),
                }
                last = range.end;
            }
            self.inline_text(&html[last..]);
            return;
        }
        let html = strip_markdown_attribute(html);
        self.tell_html(&html);
        match attrs {
            Some(attrs) => self.out.push_str(&add_attrs_to_first_tag(&html, attrs)),
            None => self.out.push_str(&html),
        }
    }

    /// Text of the page, escaped.
    fn inline_text(&mut self, text: &str) {
        self.tell_text(text);
        let _ = escape_html_body_text(&mut self.out, text);
    }

    /// Writes what a marker stands for; `attrs` go to the first tag of raw HTML or an element.
    fn marker(&mut self, marker: Marker, attrs: Option<&Attrs>) {
        let prepared = self.prepared;
        let html = match marker {
            Marker::Math(n) => return self.math_block(n, attrs),
            Marker::Raw(n) => &prepared.raw[n].html,
            Marker::Open(n) => &prepared.elements[n].open,
            Marker::Close(n) => &prepared.elements[n].close,
            Marker::Ial(_) | Marker::Skip => return,
        };
        match attrs {
            Some(attrs) => self.write_raw(&add_attrs_to_first_tag(html, attrs)),
            None => self.write_raw(html),
        }
    }
}

/// The start of the opening tag of the element that ends at the end of `html`.
pub(super) fn element_before(html: &str) -> Option<usize> {
    let trimmed = html.trim_end();
    if !trimmed.ends_with('>') {
        return None;
    }
    let tag_open = trimmed.rfind('<')?;
    let tag = &trimmed[tag_open..];
    if let Some(name) = tag.strip_prefix("</") {
        let name = name.trim_end_matches('>').trim();
        let opening = format!("<{name}");
        return trimmed[..tag_open].rfind(&opening);
    }
    Some(tag_open)
}

/// Adds `attrs` to the first start tag in `html` (merging classes).
pub(super) fn add_attrs_to_first_tag(html: &str, attrs: &Attrs) -> String {
    let Some(open) = html
        .find('<')
        .filter(|&i| html[i + 1..].starts_with(|c: char| c.is_ascii_alphabetic()))
    else {
        return html.to_string();
    };
    let Some(close) = html[open..].find('>').map(|i| open + i) else {
        return html.to_string();
    };
    let tag = &html[open..close];
    let self_closing = tag.ends_with('/');
    let tag_body = tag.trim_end_matches('/');
    let mut merged = attrs.clone();
    let mut new_tag = tag_body.to_string();
    if let Some(class_start) = new_tag.find(" class=\"") {
        let value_start = class_start + 8;
        if let Some(value_end) = new_tag[value_start..].find('"').map(|i| value_start + i) {
            let mut existing: Vec<String> = new_tag[value_start..value_end]
                .split_whitespace()
                .map(str::to_string)
                .collect();
            for class in &merged.classes {
                if !existing.contains(class) {
                    existing.push(class.clone());
                }
            }
            new_tag.replace_range(value_start..value_end, &existing.join(" "));
            merged.classes.clear();
        }
    }
    if new_tag.contains(" id=\"") {
        merged.id = None;
    }
    let mut extra = String::new();
    merged.write_html(&mut extra, &[]);
    format!(
        "{}{new_tag}{extra}{}>{}",
        &html[..open],
        if self_closing { " /" } else { "" },
        &html[close + 1..]
    )
}

/// kramdown's `markdown="1"` switch is not HTML; it is removed from the output.
pub(super) fn strip_markdown_attribute(html: &str) -> Cow<'_, str> {
    if !html.contains("markdown=") {
        return Cow::Borrowed(html);
    }
    let mut out = html.to_string();
    for value in ["1", "block", "span", "0"] {
        for quote in ['"', '\''] {
            out = out.replace(&format!(" markdown={quote}{value}{quote}"), "");
        }
    }
    Cow::Owned(out)
}
