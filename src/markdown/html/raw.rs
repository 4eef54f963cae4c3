//! Raw HTML in pages: kramdown markers inside it, attributes added to its tags.

use std::borrow::Cow;

use crate::markdown::attributes::Attrs;
use crate::markdown::kramdown::{Marker, Prepared};

/// Inside code, markers become the lines they replaced.
pub(super) fn restore_markers(text: &str, prepared: &Prepared) -> String {
    let mut out = String::with_capacity(text.len());
    let mut last = 0;
    for (range, marker) in prepared.find_markers(text) {
        out.push_str(&text[last..range.start]);
        if let Marker::Ial(n) = marker {
            out.push_str(&prepared.ials[n].original);
        }
        last = range.end;
    }
    out.push_str(&text[last..]);
    out
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
