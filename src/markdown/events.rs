//! The event half of kramdown support: attaches block and span attribute lists to the
//! elements of the parsed event list, following kramdown's rules.

use std::collections::HashMap;

use pulldown_cmark::{CowStr, Event, Tag, TagEnd};

use super::attributes::{AttributeList, Attrs, span_list_at_start};
use super::kramdown::{Attach, Marker, Prepared};

/// One parsed event with the attributes it gained.
#[derive(Debug)]
pub struct Node<'a> {
    pub event: Event<'a>,
    /// Byte range in the prepared text.
    pub start: usize,
    pub end: usize,
    pub attrs: Option<Box<Attrs>>,
    /// Removed from the output (markers, consumed attribute lists, replaced lists).
    pub skip: bool,
}

impl Node<'_> {
    pub fn attrs_mut(&mut self) -> &mut Attrs {
        self.attrs.get_or_insert_with(Default::default)
    }
}

/// For every `Start`, the index of its `End`, and the reverse.
pub fn partners(nodes: &[Node<'_>]) -> Vec<usize> {
    let mut partner = vec![usize::MAX; nodes.len()];
    let mut stack = Vec::new();
    for (index, node) in nodes.iter().enumerate() {
        match node.event {
            Event::Start(_) => stack.push(index),
            Event::End(_) => {
                if let Some(start) = stack.pop() {
                    partner[start] = index;
                    partner[index] = start;
                }
            }
            _ => {}
        }
    }
    partner
}

/// A marker found while attaching: what it applied to, for chained lists.
#[derive(Clone, Copy)]
enum Target {
    Node(usize),
    Pending,
    Nothing,
}

/// Findings of the attachment passes, at offsets in the prepared text.
pub struct AttachNote {
    pub offset_line: usize,
    pub message: String,
    pub help: String,
}

/// Whether `tag` is an element inside a line of text (words run on across it).
pub fn is_inline(tag: &Tag<'_>) -> bool {
    matches!(
        tag,
        Tag::Emphasis
            | Tag::Strong
            | Tag::Strikethrough
            | Tag::Superscript
            | Tag::Subscript
            | Tag::Link { .. }
            | Tag::Image { .. }
    )
}

fn is_block_start(tag: &Tag<'_>) -> bool {
    !is_inline(tag)
        && !matches!(
            tag,
            Tag::TableHead
                | Tag::TableRow
                | Tag::TableCell
                | Tag::Item
                | Tag::DefinitionListTitle
                | Tag::DefinitionListDefinition
                | Tag::MetadataBlock(_)
        )
}

/// Attaches every block attribute list of `prepared` to its element and hides the markers.
pub fn attach_block_attributes(
    nodes: &mut [Node<'_>],
    partner: &[usize],
    prepared: &Prepared,
) -> Vec<AttachNote> {
    let mut notes = Vec::new();
    let mut pending: Option<Attrs> = None;
    let mut open: Vec<usize> = Vec::new();
    // How many elements were open when the pending list was written: it is for a block of
    // that container, and is lost (as in kramdown) if the container ends first.
    let mut pending_depth = 0;
    // Open markers by element number, and the open marker of each close marker's end node.
    let mut element_starts: HashMap<usize, usize> = HashMap::new();
    let mut close_to_open: HashMap<usize, usize> = HashMap::new();
    // The target of the marker block that ended just before the current node, for chains.
    let mut last_marker: Option<(usize, Target)> = None;
    let mut index = 0;
    while index < nodes.len() {
        let marker = block_marker(nodes, index, prepared);
        if let Some(marker) = marker {
            let end = partner[index];
            for node in &mut nodes[index..=end] {
                node.skip = true;
            }
            let target = match marker {
                Marker::Ial(number) => {
                    let ial = &prepared.ials[number];
                    let attrs = resolve_refs(&ial.attrs, prepared);
                    // Only a list on the very next line joins the one above it; after a blank
                    // line a list is for the next block, whatever came before.
                    let chained = last_marker
                        .filter(|(end_index, _)| {
                            *end_index + 1 == index && ial.attach == Attach::Previous
                        })
                        .map(|(_, t)| t);
                    let target = match (chained, ial.attach) {
                        (Some(target), _) => target,
                        (None, Attach::Next) => Target::Pending,
                        (None, Attach::Dropped) => {
                            notes.push(AttachNote {
                                offset_line: ial.line,
                                message: "this attribute list applies to nothing (kramdown drops an attribute list at the start of a block followed by a blank line)".into(),
                                help: "put it directly under the element it is for, or directly above the next one without a blank line".into(),
                            });
                            Target::Nothing
                        }
                        (None, Attach::Previous) => {
                            match index.checked_sub(1).and_then(|end| close_to_open.get(&end)) {
                                Some(&start) => Target::Node(start),
                                None => {
                                    previous_sibling(nodes, partner, index, open.last().copied())
                                }
                            }
                        }
                    };
                    match target {
                        Target::Node(node) => nodes[node].attrs_mut().merge(&attrs),
                        Target::Pending => {
                            if pending.is_none() {
                                pending_depth = open.len();
                            }
                            pending.get_or_insert_with(Attrs::default).merge(&attrs)
                        }
                        Target::Nothing => {}
                    }
                    target
                }
                // Raw HTML and elements stay in the output (written from the marker) and take
                // a pending list; skips vanish.
                Marker::Raw(_) | Marker::Open(_) | Marker::Close(_) | Marker::Math(_) => {
                    for node in &mut nodes[index..=end] {
                        node.skip = false;
                    }
                    if !matches!(marker, Marker::Close(_))
                        && let Some(attrs) = pending.take()
                    {
                        nodes[index].attrs_mut().merge(&attrs);
                    }
                    match marker {
                        Marker::Open(number) => {
                            element_starts.insert(number, index);
                            if prepared.elements[number].span {
                                bare_paragraph_after(nodes, partner, end);
                            }
                        }
                        // An attribute list under an element's end tag is for the element.
                        Marker::Close(number) => {
                            if let Some(&start) = element_starts.get(&number) {
                                close_to_open.insert(end, start);
                            }
                        }
                        _ => {}
                    }
                    Target::Nothing
                }
                // After a definition or an option line, kramdown holds a list for the next
                // block.
                Marker::Skip => Target::Pending,
            };
            // Lists chain onto a list or definition line above them; raw HTML and elements are
            // blocks that a list under them is for.
            last_marker = match marker {
                Marker::Ial(_) | Marker::Skip => Some((end, target)),
                _ => None,
            };
            index = end + 1;
            continue;
        }
        match &nodes[index].event {
            Event::Start(tag) => {
                if is_block_start(tag)
                    && let Some(attrs) = pending.take()
                {
                    nodes[index].attrs_mut().merge(&attrs);
                }
                open.push(index);
            }
            Event::End(_) => {
                open.pop();
                if open.len() < pending_depth {
                    pending = None;
                }
            }
            Event::Rule => {
                if let Some(attrs) = pending.take() {
                    nodes[index].attrs_mut().merge(&attrs);
                }
            }
            _ => {}
        }
        index += 1;
    }
    notes
}

/// The marker an HTML block starting at `index` consists of. (An indented block starts with
/// its indentation as a text event.)
fn block_marker(nodes: &[Node<'_>], index: usize, prepared: &Prepared) -> Option<Marker> {
    if !matches!(nodes[index].event, Event::Start(Tag::HtmlBlock)) {
        return None;
    }
    let mut next = index + 1;
    if let Some(Event::Text(text)) = nodes.get(next).map(|n| &n.event)
        && text.trim().is_empty()
    {
        next += 1;
    }
    match &nodes.get(next)?.event {
        Event::Html(html) => prepared.parse_marker(html),
        _ => None,
    }
}

/// The paragraph right after node `after` (the content of a `markdown="span"` element) is
/// written without `<p>`.
fn bare_paragraph_after(nodes: &mut [Node<'_>], partner: &[usize], after: usize) {
    if let Some(next) = nodes.get(after + 1)
        && matches!(next.event, Event::Start(Tag::Paragraph))
    {
        let close = partner[after + 1];
        nodes[after + 1].skip = true;
        if close != usize::MAX {
            nodes[close].skip = true;
        }
    }
}

/// The block a `Previous` list attaches to: the one that ended right before the marker.
fn previous_sibling(
    nodes: &[Node<'_>],
    partner: &[usize],
    marker: usize,
    container: Option<usize>,
) -> Target {
    let Some(before) = marker.checked_sub(1) else {
        return Target::Pending;
    };
    match &nodes[before].event {
        Event::End(_) if partner[before] != usize::MAX => Target::Node(partner[before]),
        Event::Rule => Target::Node(before),
        Event::Start(_) => Target::Pending,
        // Text directly in a container: a tight list item's text, which kramdown writes as a
        // paragraph without `<p>`, so the list has no element to go to (kramdown drops it).
        _ if container.is_some() => Target::Nothing,
        _ => Target::Pending,
    }
}

/// `attrs` with the attribute list definitions it references merged in first.
pub fn resolve_refs(attrs: &Attrs, prepared: &Prepared) -> Attrs {
    if attrs.refs.is_empty() || prepared.definitions.is_empty() {
        return attrs.clone();
    }
    let mut resolved = Attrs::default();
    for reference in &attrs.refs {
        if let Some(definition) = prepared.definitions.get(reference) {
            resolved.merge(definition);
        }
    }
    resolved.merge(attrs);
    resolved
}

/// Attaches span attribute lists (`[a](b){: .btn }`, `**x**{:.c}`, `` `x`{: .c} ``) and
/// list-item lists (`* {: .cls} text`), removing their text.
pub fn attach_span_attributes(nodes: &mut [Node<'_>], partner: &[usize], prepared: &Prepared) {
    for index in 1..nodes.len() {
        if nodes[index].skip || !matches!(nodes[index].event, Event::Text(_)) {
            continue;
        }
        let start = nodes[index].start;
        let source = &prepared.text[start..];
        if !source.starts_with("{:") {
            continue;
        }
        let Some(previous) = (0..index).rev().find(|&i| !nodes[i].skip) else {
            continue;
        };
        let target = match &nodes[previous].event {
            Event::End(
                TagEnd::Emphasis
                | TagEnd::Strong
                | TagEnd::Strikethrough
                | TagEnd::Link
                | TagEnd::Image,
            ) => Some(partner[previous]),
            Event::Code(_) => Some(previous),
            Event::InlineHtml(html) => {
                closing_tag_name(html).and_then(|name| opening_inline_tag(nodes, previous, name))
            }
            Event::Start(Tag::Item) => Some(previous),
            Event::Start(Tag::Paragraph)
                if previous > 0 && matches!(nodes[previous - 1].event, Event::Start(Tag::Item)) =>
            {
                Some(previous - 1)
            }
            _ => None,
        };
        let Some(target) = target.filter(|t| *t != usize::MAX) else {
            continue;
        };
        let Some((AttributeList::Inline(attrs), used)) = span_list_at_start(source) else {
            continue;
        };
        if !consume_text(nodes, index, start + used) {
            continue;
        }
        let attrs = resolve_refs(&attrs, prepared);
        nodes[target].attrs_mut().merge(&attrs);
        // A list-item list is followed by the item's text: drop the separating space.
        if matches!(nodes[target].event, Event::Start(Tag::Item))
            && let Some(node) = nodes[index..].iter_mut().find(|n| !n.skip)
            && let Event::Text(text) = &node.event
        {
            node.event = Event::Text(CowStr::from(text.trim_start().to_string()));
        }
    }
}

/// Hides the text events covering `[from, until)` of the source, keeping what follows
/// `until` in the last one. `false` (and nothing changed) when the text does not map 1:1.
fn consume_text(nodes: &mut [Node<'_>], from: usize, until: usize) -> bool {
    let mut last = from;
    while last < nodes.len()
        && matches!(nodes[last].event, Event::Text(_))
        && nodes[last].end < until
    {
        last += 1;
    }
    let Some(node) = nodes.get(last) else {
        return false;
    };
    let Event::Text(text) = &node.event else {
        return false;
    };
    if node.start > until || node.end < until {
        return false;
    }
    let keep_from = until - node.start;
    let rest = if text.len() == node.end - node.start {
        text.get(keep_from..).map(str::to_string)
    } else if keep_from == node.end - node.start {
        Some(String::new())
    } else {
        None
    };
    let Some(rest) = rest else {
        return false;
    };
    for node in &mut nodes[from..last] {
        node.skip = true;
    }
    if rest.is_empty() {
        nodes[last].skip = true;
    } else {
        nodes[last].event = Event::Text(CowStr::from(rest));
    }
    true
}

fn closing_tag_name(html: &str) -> Option<&str> {
    let inner = html.trim().strip_prefix("</")?.strip_suffix('>')?;
    let name = inner.trim();
    name.chars()
        .all(|c| c.is_ascii_alphanumeric() || c == '-')
        .then_some(name)
}

fn opening_inline_tag(nodes: &[Node<'_>], before: usize, name: &str) -> Option<usize> {
    (0..before).rev().find(|&i| match &nodes[i].event {
        Event::InlineHtml(html) => html
            .strip_prefix('<')
            .and_then(|rest| rest.strip_prefix(name))
            .is_some_and(|rest| rest.starts_with(['>', ' ', '\t', '\n', '/'])),
        _ => false,
    })
}

/// Marks task lists and their items (`task-list`, `task-list-item`) for styling.
pub fn mark_task_lists(nodes: &mut [Node<'_>]) {
    let mut items: Vec<usize> = Vec::new();
    let mut lists: Vec<usize> = Vec::new();
    for index in 0..nodes.len() {
        match nodes[index].event {
            Event::Start(Tag::Item) => items.push(index),
            Event::End(TagEnd::Item) => {
                items.pop();
            }
            Event::Start(Tag::List(_)) => lists.push(index),
            Event::End(TagEnd::List(_)) => {
                lists.pop();
            }
            Event::TaskListMarker(_) => {
                if let Some(&item) = items.last() {
                    nodes[item].attrs_mut().add_class("task-list-item");
                }
                if let Some(&list) = lists.last() {
                    nodes[list].attrs_mut().add_class("task-list");
                }
            }
            _ => {}
        }
    }
}
