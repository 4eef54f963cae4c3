//! Which blocks of a page go into its copy as written: a top-level block whose events the
//! copy would write unchanged (no attribute list, marker, heading id, definition list, or
//! link whose target changes) reads back as the same events from its own text.

use std::ops::Range;

use pulldown_cmark::{CodeBlockKind, Event, LinkType, Tag};

use super::super::events::Node;
use super::super::kramdown::Prepared;

/// The top-level blocks of the page, as ranges of `nodes`.
pub fn blocks(nodes: &[Node<'_>], partner: &[usize]) -> Vec<Range<usize>> {
    let mut blocks = Vec::new();
    let mut index = 0;
    while index < nodes.len() {
        let end = match nodes[index].event {
            // An unmatched start (never made by the parser) ends the page.
            Event::Start(_) => partner[index].max(index).min(nodes.len() - 1) + 1,
            _ => index + 1,
        };
        blocks.push(index..end);
        index = end;
    }
    blocks
}

/// For each block: whether it is copied as written. `keeps_link(type, dest)` says whether a
/// link stays as written.
pub fn verbatim(
    blocks: &[Range<usize>],
    nodes: &[Node<'_>],
    prepared: &Prepared,
    keeps_link: impl Fn(LinkType, &str) -> bool,
) -> Vec<bool> {
    let mut verbatim: Vec<bool> = blocks
        .iter()
        .map(|block| {
            let text = source_of(block, nodes, prepared);
            // `{:` is where kramdown's syntax starts: a block that still holds some after
            // the scanner is left to the events, whatever it turns out to be.
            !text.contains("{:")
                && !prepared.has_markers(text)
                && nodes[block.clone()]
                    .iter()
                    .all(|node| node_as_written(node, &keeps_link))
        })
        .collect();
    // Written from events, a container may take indented code that follows it: indented
    // code after a written block is written too (in the same run).
    for b in 1..blocks.len() {
        if !verbatim[b - 1] && verbatim[b] && is_indented_code(&nodes[blocks[b].start]) {
            verbatim[b] = false;
        }
    }
    verbatim
}

/// The text of a block as written: from the start of its first line (when only indentation
/// comes before it there) to its end, without the line breaks after it.
pub fn source_of<'t>(block: &Range<usize>, nodes: &[Node<'_>], prepared: &'t Prepared) -> &'t str {
    let first = &nodes[block.start];
    let text = prepared.text.as_str();
    let (mut start, end) = (first.start.min(text.len()), first.end.min(text.len()));
    let line_start = text[..start].rfind('\n').map_or(0, |i| i + 1);
    if text[line_start..start]
        .bytes()
        .all(|b| b == b' ' || b == b'\t')
    {
        start = line_start;
    }
    text.get(start..end.max(start))
        .unwrap_or_default()
        .trim_end_matches(['\n', '\r'])
}

/// `text` without the scanner's markers in it.
pub fn without_markers(text: &str, prepared: &Prepared) -> String {
    let mut kept = String::with_capacity(text.len());
    let mut from = 0;
    for (range, _) in prepared.find_markers(text) {
        kept.push_str(&text[from..range.start]);
        from = range.end;
    }
    kept.push_str(&text[from..]);
    kept
}

/// Appends a piece of the copy, a blank line after the one before.
pub fn push_piece(text: &mut String, piece: &str) {
    let piece = piece
        .trim_start_matches(['\n', '\r'])
        .trim_end_matches(['\n', '\r']);
    if piece.is_empty() {
        return;
    }
    if !text.is_empty() {
        text.push_str("\n\n");
    }
    text.push_str(piece);
}

fn node_as_written(node: &Node<'_>, keeps_link: &impl Fn(LinkType, &str) -> bool) -> bool {
    if node.skip || node.attrs.is_some() {
        return false;
    }
    match &node.event {
        Event::Start(Tag::Heading {
            id, classes, attrs, ..
        }) => id.is_none() && classes.is_empty() && attrs.is_empty(),
        Event::Start(Tag::Link {
            link_type,
            dest_url,
            ..
        })
        | Event::Start(Tag::Image {
            link_type,
            dest_url,
            ..
        }) => keeps_link(*link_type, dest_url),
        Event::Start(
            Tag::DefinitionList | Tag::DefinitionListTitle | Tag::DefinitionListDefinition,
        ) => false,
        _ => true,
    }
}

/// Whether a block is a list in the copy (a definition list becomes one).
pub fn is_list(node: &Node<'_>) -> bool {
    matches!(node.event, Event::Start(Tag::List(_) | Tag::DefinitionList))
}

/// The marker of a list block written as `source`: `-`, `*` or `+` for bullets, `.` or `)`
/// after the number of an ordered list; `None` for any other block.
pub fn list_marker(node: &Node<'_>, source: &str) -> Option<char> {
    match node.event {
        Event::Start(Tag::List(None)) => source.trim_start().chars().next(),
        Event::Start(Tag::List(Some(_))) => {
            source.trim_start().chars().find(|c| !c.is_ascii_digit())
        }
        _ => None,
    }
}

/// The first of `markers` that is not `taken`.
pub fn free_marker(markers: &[char], taken: &[Option<char>]) -> char {
    markers
        .iter()
        .copied()
        .find(|m| !taken.contains(&Some(*m)))
        .unwrap_or(markers[0])
}

fn is_indented_code(node: &Node<'_>) -> bool {
    matches!(
        node.event,
        Event::Start(Tag::CodeBlock(CodeBlockKind::Indented))
    )
}
