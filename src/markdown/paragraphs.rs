//! When a list item's or a definition's first paragraph is written without `<p>`, by
//! kramdown's rule rather than CommonMark's.
//!
//! CommonMark decides for a whole list: one blank line between any two items makes every item
//! a paragraph. kramdown decides item by item (`parser/kramdown/list.rb`):
//! - an item's first block, if it is a paragraph, is written bare unless a blank line follows
//!   it inside the item (a blank line before the next item counts; the blank line after the
//!   last item does not, when nothing else of the item follows it);
//! - the last item of a list of several is written bare only if some earlier item was bare or
//!   did not start with a paragraph;
//! - a definition (`: text`) is written bare unless a blank line comes before its marker.
//!
//! So `1. **Data**` directly followed by a nested list, with blank lines between the items,
//! is `<li><strong>Data</strong><ul>…` in kramdown and `<li><p>…` in CommonMark. pulldown-cmark
//! gives paragraphs to every item of a loose list; this pass takes them away where kramdown has
//! none. (A tight list never needs one added: kramdown writes its items bare too.)

use pulldown_cmark::{Event, Tag};

use super::events::{Node, is_inline};
use super::kramdown::{Marker, Prepared, container_prefix};

/// Applies kramdown's rule to every list and definition list of `nodes`.
pub fn apply_kramdown_rule(nodes: &mut [Node<'_>], partner: &[usize], prepared: &Prepared) {
    for index in 0..nodes.len() {
        match nodes[index].event {
            Event::Start(Tag::List(_)) if !nodes[index].skip => {
                list(nodes, partner, prepared, index);
            }
            Event::Start(Tag::DefinitionListDefinition) => {
                definition(nodes, partner, &prepared.text, index);
            }
            _ => {}
        }
    }
}

/// The first paragraph of an item: where its nodes are, and whether pulldown-cmark wrapped it.
struct FirstParagraph {
    /// `Start(Paragraph)` and `End(Paragraph)` when the list is loose.
    wrapped: Option<(usize, usize)>,
    /// Byte offset of the paragraph's last character.
    last_byte: usize,
    /// The first node after the paragraph inside the item (the item's end if none).
    after: usize,
}

fn list(nodes: &mut [Node<'_>], partner: &[usize], prepared: &Prepared, start: usize) {
    let end = partner[start];
    let mut items = Vec::new();
    let mut index = start + 1;
    while index < end {
        if matches!(nodes[index].event, Event::Start(Tag::Item)) && partner[index] != usize::MAX {
            items.push(index);
            index = partner[index] + 1;
        } else {
            index += 1;
        }
    }
    // A tight list has no paragraphs to take away (and kramdown writes its items bare too).
    let loose = items.iter().any(|&item| {
        first_visible(nodes, item + 1, partner[item])
            .is_some_and(|first| matches!(nodes[first].event, Event::Start(Tag::Paragraph)))
    });
    if !loose {
        return;
    }
    let count = items.len();
    // Whether an earlier item was bare or did not start with a paragraph.
    let mut earlier_not_paragraph = false;
    for (position, &item) in items.iter().enumerate() {
        let item_end = partner[item];
        let Some(first) = first_paragraph(nodes, partner, item, item_end) else {
            earlier_not_paragraph = true;
            continue;
        };
        let is_last = position + 1 == count;
        let more_in_item = first.after < item_end;
        let blank_after = next_line_is_blank(prepared, first.last_byte);
        let no_blank_child = !blank_after || (is_last && !more_in_item);
        let bare = no_blank_child && (!is_last || count == 1 || earlier_not_paragraph);
        if bare {
            earlier_not_paragraph = true;
            if let Some((open, close)) = first.wrapped {
                nodes[open].skip = true;
                nodes[close].skip = true;
            }
        }
    }
}

fn definition(nodes: &mut [Node<'_>], partner: &[usize], text: &str, start: usize) {
    let end = partner[start];
    let Some(first) = first_visible(nodes, start + 1, end) else {
        return;
    };
    if !matches!(nodes[first].event, Event::Start(Tag::Paragraph)) {
        return;
    }
    if !previous_line_is_blank(text, nodes[start].start) {
        nodes[first].skip = true;
        nodes[partner[first]].skip = true;
    }
}

fn first_visible(nodes: &[Node<'_>], from: usize, to: usize) -> Option<usize> {
    (from..to).find(|&i| !nodes[i].skip)
}

/// The item's first paragraph, or `None` when the item starts with another block or is empty.
fn first_paragraph(
    nodes: &[Node<'_>],
    partner: &[usize],
    item: usize,
    item_end: usize,
) -> Option<FirstParagraph> {
    let first = first_visible(nodes, item + 1, item_end)?;
    match &nodes[first].event {
        Event::Start(Tag::Paragraph) => {
            let close = partner[first];
            Some(FirstParagraph {
                wrapped: Some((first, close)),
                last_byte: last_byte_of(nodes, first, close),
                after: first_visible(nodes, close + 1, item_end).unwrap_or(item_end),
            })
        }
        event if is_inline_content(event) => {
            // A tight item: its text runs up to the first block inside the item.
            let mut index = first;
            let mut last_byte = nodes[first].start;
            while index < item_end {
                let node = &nodes[index];
                if !node.skip {
                    if !is_inline_content(&node.event) {
                        break;
                    }
                    last_byte = last_byte.max(node.end.saturating_sub(1));
                }
                index = match node.event {
                    Event::Start(_) if partner[index] != usize::MAX => partner[index] + 1,
                    _ => index + 1,
                };
            }
            Some(FirstParagraph {
                wrapped: None,
                last_byte,
                after: first_visible(nodes, index, item_end).unwrap_or(item_end),
            })
        }
        _ => None,
    }
}

fn is_inline_content(event: &Event<'_>) -> bool {
    match event {
        Event::Start(tag) => is_inline(tag),
        Event::Text(_)
        | Event::Code(_)
        | Event::InlineHtml(_)
        | Event::InlineMath(_)
        | Event::DisplayMath(_)
        | Event::SoftBreak
        | Event::HardBreak
        | Event::FootnoteReference(_)
        | Event::TaskListMarker(_) => true,
        _ => false,
    }
}

/// The offset of the last character of a paragraph (`open`..=`close`).
fn last_byte_of(nodes: &[Node<'_>], open: usize, close: usize) -> usize {
    nodes[open + 1..close]
        .iter()
        .map(|node| node.end)
        .max()
        .unwrap_or(nodes[close].end)
        .saturating_sub(1)
}

/// Whether the line after the one holding `offset` of the prepared text is blank, looking past
/// attribute list lines (they belong to the paragraph above them).
fn next_line_is_blank(prepared: &Prepared, offset: usize) -> bool {
    let text = &prepared.text;
    // The last byte of a paragraph may sit inside its last character.
    let offset = crate::diagnostics::floor_char_boundary(text, offset.min(text.len()));
    let mut from = match text[offset..].find('\n') {
        Some(newline) => offset + newline + 1,
        None => return false,
    };
    while from < text.len() {
        let line_end = text[from..].find('\n').map_or(text.len(), |i| from + i);
        let line = &text[from..line_end];
        let rest = line[container_prefix(line).0..].trim();
        if rest.is_empty() {
            return true;
        }
        if !matches!(prepared.parse_marker(rest), Some(Marker::Ial(_))) {
            return false;
        }
        from = line_end + 1;
    }
    false
}

/// Whether the line before the one holding `offset` is blank.
fn previous_line_is_blank(text: &str, offset: usize) -> bool {
    let line_start = text[..offset.min(text.len())]
        .rfind('\n')
        .map_or(0, |i| i + 1);
    if line_start == 0 {
        return false;
    }
    let previous_start = text[..line_start - 1].rfind('\n').map_or(0, |i| i + 1);
    let line = &text[previous_start..line_start - 1];
    line[container_prefix(line).0..].trim().is_empty()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::markdown::kramdown;

    #[test]
    fn blank_lines_are_found_past_attribute_lists() {
        let blank = |body: &str, offset| next_line_is_blank(&kramdown::prepare(body), offset);
        assert!(blank("- a\n  {: .x }\n\n- b\n", 2));
        assert!(!blank("- a\n- b\n", 2));
        assert!(blank("> - a\n>\n> - b\n", 4));
        assert!(!blank("- a", 2));
        // A page's own comment is no attribute list.
        assert!(!blank("- a\n  <!--folio:ial:0-->\n\n- b\n", 2));
        assert!(previous_line_is_blank("Term\n\n: def\n", 6));
        assert!(!previous_line_is_blank("Term\n: def\n", 5));
    }
}
