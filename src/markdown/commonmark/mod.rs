//! A page body as plain CommonMark (with GitHub's tables, task lists, footnotes and alerts),
//! for readers that are programs: the kramdown syntax just-the-docs pages use is resolved —
//! attribute lists and `{::…}` extensions dropped, callouts made GitHub alerts
//! (`> [!NOTE]`), `{:toc}` lists dropped, definition lists made bullet lists — and every link
//! and image made absolute. The text is written back from the parsed events by
//! pulldown-cmark-to-cmark, so that what is written is what pulldown-cmark reads.
//!
//! Entry point: [`to_commonmark`].

use std::collections::BTreeMap;

use pulldown_cmark::{BlockQuoteKind, CowStr, Event, LinkType, Options, Parser, Tag, TagEnd};

use super::attributes::Attrs;
use super::events::{self, Node};
use super::kramdown::{self, Marker};
use super::links::{self, SiteIndex};
use crate::config::{Callout, MarkdownConfig};

mod splice;

/// What the copy needs to know about the site.
pub struct CopyContext<'a> {
    pub config: &'a MarkdownConfig,
    pub callouts: &'a BTreeMap<String, Callout>,
    pub site: &'a SiteIndex,
    /// What goes before a site-absolute URL to make it absolute: the scheme and host of
    /// `base_url` (`https://example.org`), or `""` for a site without one.
    pub origin: &'a str,
}

/// The parser options of a copy: folio's, without smart punctuation (the copy keeps the
/// characters as written) — the options to read a copy back with.
pub fn copy_parser_options(config: &MarkdownConfig) -> Options {
    let mut options = super::parser_options(config);
    options.remove(Options::ENABLE_SMART_PUNCTUATION);
    options.remove(Options::ENABLE_DEFINITION_LIST);
    options
}

/// `body` (Liquid already resolved) of a page in folder `page_dir` under `content/`, as
/// CommonMark.
///
/// Most blocks of a page need nothing resolved: those are copied from the text as written
/// (which reads back as the same events, and costs a copy instead of a re-rendering), and
/// only the blocks with something to resolve are written from their events.
pub fn to_commonmark(body: &str, page_dir: &str, context: &CopyContext<'_>) -> String {
    copy_of(&kramdown::prepare(body), page_dir, context)
}

/// [`to_commonmark`] of a body already read by the kramdown scanner (the page's HTML is made
/// from the same scan).
pub fn copy_of(prepared: &kramdown::Prepared, page_dir: &str, context: &CopyContext<'_>) -> String {
    write_copy(prepared, page_dir, context, true)
}

fn write_copy(
    prepared: &kramdown::Prepared,
    page_dir: &str,
    context: &CopyContext<'_>,
    splice: bool,
) -> String {
    let options = copy_parser_options(context.config) | Options::ENABLE_DEFINITION_LIST;
    let mut nodes: Vec<Node<'_>> = Parser::new_ext(&prepared.text, options)
        .into_offset_iter()
        .map(|(event, range)| Node {
            event,
            start: range.start,
            end: range.end,
            attrs: None,
            skip: false,
        })
        .collect();
    let partner = events::partners(&nodes);
    // What the attachment passes report is reported once, by the HTML render.
    let _ = events::attach_block_attributes(&mut nodes, &partner, prepared);
    events::attach_span_attributes(&mut nodes, &partner, prepared);

    let mut converter = Converter {
        context,
        page_dir,
        definition_item_open: Vec::new(),
        tight_definition: Vec::new(),
        closers: vec![None; nodes.len()],
    };
    let blocks = splice::blocks(&nodes, &partner);
    let verbatim = if splice {
        splice::verbatim(&blocks, &nodes, prepared, |link_type, dest| {
            converter.keeps_link(link_type, dest)
        })
    } else {
        vec![false; blocks.len()]
    };
    let mut text = String::with_capacity(prepared.text.len() + prepared.text.len() / 8);
    // The marker of the list last written, when the piece before is a list.
    let mut list_before: Option<char> = None;
    let mut first = 0;
    while first < blocks.len() {
        if verbatim[first] {
            let source = splice::source_of(&blocks[first], &nodes, prepared);
            splice::push_piece(&mut text, source);
            list_before = splice::list_marker(&nodes[blocks[first].start], source);
            first += 1;
            continue;
        }
        // A run of blocks written together; a list starts a run of its own, so that two
        // lists side by side get different markers (or a reader would join them).
        let last = (first + 1..blocks.len())
            .take_while(|&b| !verbatim[b] && !splice::is_list(&nodes[blocks[b].start]))
            .last()
            .unwrap_or(first);
        let mut options = writer_options();
        let run_list = splice::is_list(&nodes[blocks[first].start]);
        if run_list {
            let list_after = blocks
                .get(last + 1)
                .filter(|_| verbatim[last + 1] && last == first)
                .and_then(|next| {
                    splice::list_marker(
                        &nodes[next.start],
                        splice::source_of(next, &nodes, prepared),
                    )
                });
            let taken = [list_before, list_after];
            options.list_token = splice::free_marker(&['-', '*', '+'], &taken);
            options.ordered_list_token = splice::free_marker(&['.', ')'], &taken);
        }
        let nodes_of_run = blocks[first].start..blocks[last].end;
        let out = converter.convert_run(nodes_of_run, &nodes, &partner, prepared);
        let written = match write_events(&out, context.config, &options) {
            Some(written) => written,
            // pulldown-cmark-to-cmark finds no spelling for a few mixes of blocks (a struck
            // word and a footnote reference in one paragraph, then the note): each block is
            // tried alone, and one that still has none is copied as written.
            None => (first..=last)
                .map(|b| {
                    let events =
                        converter.convert_run(blocks[b].clone(), &nodes, &partner, prepared);
                    write_events(&events, context.config, &options).unwrap_or_else(|| {
                        splice::without_markers(
                            splice::source_of(&blocks[b], &nodes, prepared),
                            prepared,
                        )
                    })
                })
                .collect::<Vec<_>>()
                .join("\n\n"),
        };
        splice::push_piece(&mut text, &written);
        list_before = (run_list && last == first).then(|| {
            if matches!(
                nodes[blocks[first].start].event,
                Event::Start(Tag::List(Some(_)))
            ) {
                options.ordered_list_token
            } else {
                options.list_token
            }
        });
        first = last + 1;
    }
    if prepared.has_markers(&text) {
        // Kramdown syntax the cases above do not place (a marker in a link's destination,
        // say) is left out rather than shown as the scanner's comment.
        text = splice::without_markers(&text, prepared);
    }
    if !text.ends_with('\n') {
        text.push('\n');
    }
    text
}

/// `events` as CommonMark, or `None` if the writer finds no spelling that reads back as them.
fn write_events(
    events: &[Event<'_>],
    config: &MarkdownConfig,
    options: &pulldown_cmark_to_cmark::Options<'_>,
) -> Option<String> {
    let mut written = String::new();
    pulldown_cmark_to_cmark::cmark_with_options(
        events.iter(),
        &mut written,
        copy_parser_options(config),
        options.clone(),
    )
    .ok()?;
    Some(written)
}

/// The TeX of a math block on one line, written `$$…$$`, which CommonMark readers with math
/// (pulldown-cmark's, GitHub's) read as display math: on lines of its own, a line of the TeX
/// could start a list or make a heading for a reader without kramdown's math blocks. A line
/// break in TeX is a space, unless a `%` comment ends the line; then the lines are kept.
fn math_block(source: &str) -> String {
    if source.contains('%') {
        source.to_string()
    } else {
        source.split_whitespace().collect::<Vec<_>>().join(" ")
    }
}

/// How the copy is written: fenced code with backticks, `-` bullets, `*` emphasis.
pub fn writer_options() -> pulldown_cmark_to_cmark::Options<'static> {
    pulldown_cmark_to_cmark::Options {
        code_block_token_count: 3,
        list_token: '-',
        ..pulldown_cmark_to_cmark::Options::default()
    }
}

/// Turns the nodes of the page into the copy's events.
struct Converter<'c, 'x> {
    context: &'c CopyContext<'x>,
    page_dir: &'c str,
    /// For each open definition list: whether an item (a term and its definitions) is open.
    definition_item_open: Vec<bool>,
    /// For each open definition: whether its text sits directly in it (a paragraph is made).
    tight_definition: Vec<bool>,
    /// For a start node that was changed into other events: the events its end becomes.
    closers: Vec<Option<Vec<Event<'static>>>>,
}

impl Converter<'_, '_> {
    /// The copy's events for the nodes in `range` (whole blocks).
    fn convert_run<'a>(
        &mut self,
        range: std::ops::Range<usize>,
        nodes: &[Node<'a>],
        partner: &[usize],
        prepared: &kramdown::Prepared,
    ) -> Vec<Event<'a>> {
        let mut out = Vec::with_capacity(range.len());
        let mut index = range.start;
        while index < range.end {
            let node = &nodes[index];
            if node.skip {
                index += 1;
                continue;
            }
            // The `{:toc}` list is made from the page's headings: a copy has no place for it.
            if matches!(node.event, Event::Start(Tag::List(_)))
                && node.attrs.as_ref().is_some_and(|a| a.has_ref("toc"))
            {
                index = partner[index].max(index) + 1;
                continue;
            }
            // A math block is display math in a paragraph of its own.
            if matches!(node.event, Event::Start(Tag::HtmlBlock))
                && let Some(Event::Html(html)) = nodes.get(index + 1).map(|n| &n.event)
                && let Some(Marker::Math(number)) = prepared.parse_marker(html)
                && let Some(block) = prepared.math.get(number)
            {
                out.push(Event::Start(Tag::Paragraph));
                out.push(Event::DisplayMath(CowStr::from(math_block(&block.source))));
                out.push(Event::End(TagEnd::Paragraph));
                index = partner[index].max(index) + 1;
                continue;
            }
            let raw = match &node.event {
                Event::Html(html) | Event::InlineHtml(html) => match prepared.parse_marker(html) {
                    Some(Marker::Raw(number)) => {
                        prepared.raw.get(number).map(|raw| raw.html.clone())
                    }
                    // A `markdown="1"` element's tags stay HTML; its content is Markdown between.
                    Some(Marker::Open(number)) => prepared
                        .elements
                        .get(number)
                        .map(|e| format!("{}\n", e.open)),
                    Some(Marker::Close(number)) => prepared
                        .elements
                        .get(number)
                        .map(|e| format!("{}\n", e.close)),
                    Some(_) => {
                        index += 1;
                        continue;
                    }
                    None => None,
                },
                _ => None,
            };
            match (raw, &node.event) {
                (Some(html), _) => out.push(Event::Html(CowStr::from(html))),
                // Inside code (a fence the page left open runs over later lines), markers
                // are the lines they replaced, as on the page.
                (None, Event::Text(text)) if prepared.has_markers(text) => {
                    out.push(Event::Text(CowStr::from(prepared.restore_markers(text))));
                }
                (None, Event::Code(text)) if prepared.has_markers(text) => {
                    out.push(Event::Code(CowStr::from(prepared.restore_markers(text))));
                }
                // HTML that holds a marker without being one (an HTML comment the page left
                // open before an extension): the marker's construct is not copied.
                (None, Event::Html(html)) if prepared.has_markers(html) => {
                    out.push(Event::Html(splice::without_markers(html, prepared).into()));
                }
                (None, Event::InlineHtml(html)) if prepared.has_markers(html) => {
                    out.push(Event::InlineHtml(
                        splice::without_markers(html, prepared).into(),
                    ));
                }
                (None, _) => self.convert(index, nodes, partner, &mut out),
            }
            index += 1;
        }
        out
    }

    fn convert<'a>(
        &mut self,
        index: usize,
        nodes: &[Node<'a>],
        partner: &[usize],
        out: &mut Vec<Event<'a>>,
    ) {
        let node = &nodes[index];
        let attrs = node.attrs.as_deref();
        match &node.event {
            Event::Start(tag) => self.start(index, tag, attrs, nodes, out),
            Event::End(end) => {
                let start = partner[index];
                if let Some(closer) = self.closers.get_mut(start).and_then(Option::take) {
                    out.extend(closer);
                    return;
                }
                match end {
                    TagEnd::DefinitionList => {
                        if self.definition_item_open.pop() == Some(true) {
                            out.push(Event::End(TagEnd::Item));
                        }
                        out.push(Event::End(TagEnd::List(false)));
                    }
                    TagEnd::DefinitionListTitle => {
                        out.push(Event::End(TagEnd::Strong));
                        out.push(Event::End(TagEnd::Paragraph));
                    }
                    TagEnd::DefinitionListDefinition => {
                        if self.tight_definition.pop() == Some(true) {
                            out.push(Event::End(TagEnd::Paragraph));
                        }
                    }
                    other => out.push(Event::End(*other)),
                }
            }
            other => out.push(other.clone()),
        }
    }

    fn start<'a>(
        &mut self,
        index: usize,
        tag: &Tag<'a>,
        attrs: Option<&Attrs>,
        nodes: &[Node<'a>],
        out: &mut Vec<Event<'a>>,
    ) {
        match tag {
            Tag::Heading { level, .. } => out.push(Event::Start(Tag::Heading {
                level: *level,
                id: None,
                classes: Vec::new(),
                attrs: Vec::new(),
            })),
            Tag::Link {
                link_type,
                dest_url,
                title,
                id,
            } => {
                let (link_type, dest_url, id) = self.link(*link_type, dest_url, id);
                out.push(Event::Start(Tag::Link {
                    link_type,
                    dest_url,
                    title: title.clone(),
                    id,
                }));
            }
            Tag::Image {
                link_type,
                dest_url,
                title,
                id,
            } => {
                let (link_type, dest_url, id) = self.link(*link_type, dest_url, id);
                out.push(Event::Start(Tag::Image {
                    link_type,
                    dest_url,
                    title: title.clone(),
                    id,
                }));
            }
            Tag::Paragraph => match attrs.and_then(|a| self.callout(a)) {
                Some((kind, title)) => {
                    out.push(Event::Start(Tag::BlockQuote(kind)));
                    push_title(title, out);
                    out.push(Event::Start(Tag::Paragraph));
                    self.closers[index] = Some(vec![
                        Event::End(TagEnd::Paragraph),
                        Event::End(TagEnd::BlockQuote(kind)),
                    ]);
                }
                None => out.push(Event::Start(Tag::Paragraph)),
            },
            Tag::BlockQuote(None) => match attrs.and_then(|a| self.callout(a)) {
                Some((kind, title)) => {
                    out.push(Event::Start(Tag::BlockQuote(kind)));
                    push_title(title, out);
                    self.closers[index] = Some(vec![Event::End(TagEnd::BlockQuote(kind))]);
                }
                None => out.push(Event::Start(Tag::BlockQuote(None))),
            },
            Tag::DefinitionList => {
                self.definition_item_open.push(false);
                out.push(Event::Start(Tag::List(None)));
            }
            Tag::DefinitionListTitle => {
                if let Some(open) = self.definition_item_open.last_mut() {
                    if *open {
                        out.push(Event::End(TagEnd::Item));
                    }
                    *open = true;
                }
                out.push(Event::Start(Tag::Item));
                out.push(Event::Start(Tag::Paragraph));
                out.push(Event::Start(Tag::Strong));
            }
            Tag::DefinitionListDefinition => {
                let tight = nodes
                    .get(index + 1)
                    .is_some_and(|next| !is_block_start(&next.event));
                self.tight_definition.push(tight);
                if tight {
                    out.push(Event::Start(Tag::Paragraph));
                }
            }
            other => out.push(Event::Start(other.clone())),
        }
    }

    /// Whether a link to `dest` stays as written in the copy: an autolink, or an inline link
    /// whose target in the copy is `dest` itself.
    fn keeps_link(&self, link_type: LinkType, dest: &str) -> bool {
        match link_type {
            LinkType::Autolink | LinkType::Email => true,
            LinkType::Inline => {
                let (_, href, _) =
                    self.link(link_type, &CowStr::Borrowed(dest), &CowStr::Borrowed(""));
                &*href == dest
            }
            _ => false,
        }
    }

    /// A link's target in the copy: resolved as the page's HTML has it, then absolute.
    fn link<'a>(
        &self,
        link_type: LinkType,
        dest: &CowStr<'a>,
        id: &CowStr<'a>,
    ) -> (LinkType, CowStr<'a>, CowStr<'a>) {
        if matches!(link_type, LinkType::Autolink | LinkType::Email) {
            return (link_type, dest.clone(), id.clone());
        }
        let (href, _) = links::resolve(self.context.site, self.page_dir, dest);
        let href = if href.starts_with('/') && !href.starts_with("//") {
            format!("{}{href}", self.context.origin)
        } else {
            href
        };
        // Written inline: a reference's definition would name the old target.
        (LinkType::Inline, CowStr::from(href), CowStr::from(""))
    }

    /// The alert a callout's attribute list makes: one of GitHub's five kinds, or a plain
    /// quote that starts with the callout's title in bold.
    fn callout(&self, attrs: &Attrs) -> Option<(Option<BlockQuoteKind>, Option<String>)> {
        attrs.classes.iter().find_map(|class| {
            let name = class.strip_suffix("-title").unwrap_or(class);
            let callout = self.context.callouts.get(name)?;
            Some(match alert_kind(name) {
                Some(kind) => (Some(kind), None),
                None => (None, Some(callout.title.clone())),
            })
        })
    }
}

/// The title paragraph of a callout that has no GitHub alert of its own.
fn push_title<'a>(title: Option<String>, out: &mut Vec<Event<'a>>) {
    if let Some(title) = title {
        out.push(Event::Start(Tag::Paragraph));
        out.push(Event::Start(Tag::Strong));
        out.push(Event::Text(CowStr::from(title)));
        out.push(Event::End(TagEnd::Strong));
        out.push(Event::End(TagEnd::Paragraph));
    }
}

fn alert_kind(name: &str) -> Option<BlockQuoteKind> {
    Some(match name {
        "note" => BlockQuoteKind::Note,
        "tip" => BlockQuoteKind::Tip,
        "important" => BlockQuoteKind::Important,
        "warning" => BlockQuoteKind::Warning,
        "caution" => BlockQuoteKind::Caution,
        _ => return None,
    })
}

fn is_block_start(event: &Event<'_>) -> bool {
    match event {
        Event::Start(tag) => !events::is_inline(tag),
        Event::Html(_) | Event::Rule => true,
        _ => false,
    }
}

#[cfg(test)]
mod tests;
