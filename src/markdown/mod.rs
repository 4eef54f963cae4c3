//! Markdown to HTML: CommonMark + GFM with pulldown-cmark, the kramdown syntax of
//! just-the-docs pages, callouts, highlighted code and resolved links.
//!
//! Entry point: [`render`]. The stages run in one direction: `kramdown` (line scan) -> parse ->
//! `events` (attribute lists) -> `paragraphs` (kramdown's bare list items) -> `links` -> `headings` (ids, `{:toc}`) -> `html` (writing).

pub mod abbreviations;
pub mod attributes;
pub mod commonmark;
pub mod entities;
pub mod events;
pub mod headings;
pub mod highlight;
pub mod html;
pub mod kramdown;
pub mod links;
pub mod math;
pub mod mermaid;
pub mod paragraphs;

use std::collections::BTreeMap;

use pulldown_cmark::{CowStr, Event, Options, Parser, Tag};

use crate::config::{Callout, MarkdownConfig};
use crate::diagnostics::Diagnostic;
use events::Node;
pub use headings::Heading;
pub use html::TextSink;
use kramdown::Marker;
pub use links::{LinkUse, SiteIndex, Target};

/// What rendering needs to know about the site.
pub struct MarkdownContext<'a> {
    pub config: &'a MarkdownConfig,
    pub callouts: &'a BTreeMap<String, Callout>,
    pub site: &'a SiteIndex,
    pub code_themes: &'a highlight::CodeThemes,
}

/// A rendered page body.
#[derive(Debug, Default)]
pub struct Rendered {
    pub html: String,
    /// Every heading, in order, with its id.
    pub headings: Vec<Heading>,
    /// The heading levels of this page's TOCs (site setting or `{::options}`).
    pub toc_levels: (u8, u8),
    pub links: Vec<LinkUse>,
    /// Problems, at lines of the body (the caller adds the body's first line).
    pub warnings: Vec<Diagnostic>,
    pub has_code: bool,
}

/// The pulldown-cmark extensions folio uses.
pub fn parser_options(config: &MarkdownConfig) -> Options {
    let mut options = Options::ENABLE_TABLES
        | Options::ENABLE_FOOTNOTES
        | Options::ENABLE_STRIKETHROUGH
        | Options::ENABLE_TASKLISTS
        | Options::ENABLE_HEADING_ATTRIBUTES
        | Options::ENABLE_GFM
        | Options::ENABLE_DEFINITION_LIST
        | Options::ENABLE_MATH;
    if config.smart_punctuation {
        options |= Options::ENABLE_SMART_PUNCTUATION;
    }
    options
}

/// The first heading's text (for pages without front matter), as the page shows it: kramdown
/// syntax can hide a heading (`{::comment}`, raw HTML, a math block whose TeX has a line of
/// `-`) or show one (`markdown="1"`), so a body with a `{::`, or a line starting with `<` or
/// `$$`, is read after the line scan [`render`] does.
pub fn first_heading(body: &str, config: &MarkdownConfig) -> Option<String> {
    let options = parser_options(config);
    if has_kramdown_blocks(body) {
        let prepared = kramdown::prepare(body);
        headings::first_heading(&prepared.text, options)
    } else {
        headings::first_heading(body, options)
    }
}

/// Whether `body` has a `{::` (an extension), or a line starting with `<` (an HTML block, which
/// kramdown may read otherwise than CommonMark) or `$$` (a math block) after spaces and
/// blockquote markers: one pass over the body.
fn has_kramdown_blocks(body: &str) -> bool {
    let bytes = body.as_bytes();
    memchr::memchr3_iter(b'<', b'{', b'$', bytes).any(|at| {
        match bytes[at] {
            b'{' => return bytes[at + 1..].starts_with(b"::"),
            b'$' if bytes.get(at + 1) != Some(&b'$') => return false,
            _ => {}
        }
        bytes[..at]
            .iter()
            .rev()
            .take_while(|&&b| b != b'\n')
            .all(|&b| b == b' ' || b == b'>')
    })
}

/// Renders a page body whose source is in folder `page_dir` under `content/`, telling
/// `text` (when given) what a reader sees of it.
pub fn render(
    body: &str,
    page_dir: &str,
    context: &MarkdownContext<'_>,
    text: Option<&mut dyn TextSink>,
) -> Rendered {
    render_prepared(&kramdown::prepare(body), page_dir, context, text)
}

/// [`render`] of a body already read by the kramdown scanner (`kramdown::prepare`), for a
/// caller that also makes the body's Markdown copy from it.
pub fn render_prepared(
    prepared: &kramdown::Prepared,
    page_dir: &str,
    context: &MarkdownContext<'_>,
    text: Option<&mut dyn TextSink>,
) -> Rendered {
    let lines = LineIndex::new(prepared);
    let mut nodes: Vec<Node<'_>> = Parser::new_ext(&prepared.text, parser_options(context.config))
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
    let mut warnings = Vec::new();

    for note in events::attach_block_attributes(&mut nodes, &partner, prepared) {
        warnings.push(
            Diagnostic::warning(note.message)
                .at_line(note.offset_line)
                .with_help(note.help),
        );
    }
    events::attach_span_attributes(&mut nodes, &partner, prepared);
    events::mark_task_lists(&mut nodes);
    paragraphs::apply_kramdown_rule(&mut nodes, &partner, prepared);
    let links = resolve_links(&mut nodes, page_dir, context.site, &lines, &mut warnings);

    let html_options = html::HtmlOptions {
        callouts: context.callouts,
        heading_anchors: context.config.heading_anchors,
        code_themes: context.code_themes,
    };
    let id_rules = headings::IdRules {
        auto: prepared.auto_ids.unwrap_or(true),
        prefix: prepared.auto_id_prefix.as_deref().unwrap_or(""),
    };
    let headings = headings::assign_ids(
        &mut nodes,
        &partner,
        id_rules,
        prepared,
        |nodes, from, to| html::write_inline(nodes, prepared, &html_options, from, to),
    );
    let toc_levels = prepared
        .toc_levels
        .unwrap_or_else(|| context.config.toc_levels.range());
    headings::replace_toc_list(&mut nodes, &partner, &headings, toc_levels);

    let written = html::write(&nodes, prepared, &html_options, text);
    let mut seen_languages: Vec<&str> = Vec::new();
    for unknown in &written.unknown_languages {
        if seen_languages.contains(&unknown.lang.as_str()) {
            continue;
        }
        seen_languages.push(&unknown.lang);
        let (line, column) = lines.locate(unknown.offset);
        warnings.push(
            Diagnostic::warning(format!("unknown code language `{}`; the block is shown without colours", unknown.lang))
                .at(line, column)
                .with_help("use a known name such as bash, yaml, json, python, rust, go, java, sql, or `text` for plain text"),
        );
    }
    for failed in &written.failed_diagrams {
        let (line, column) = lines.locate(failed.offset);
        warnings.push(
            Diagnostic::warning(format!(
                "this Mermaid diagram could not be drawn ({}); it is shown as code",
                failed.reason
            ))
            .at(line, column)
            .with_help("check its syntax against Mermaid's documentation; folio draws flowcharts, sequence, class, state and ER diagrams, and most other Mermaid types")
            .with_kind("mermaid"),
        );
    }
    for failed in &written.failed_formulas {
        let (line, column) = match failed.place {
            html::FormulaPlace::Prepared(offset) => lines.locate(offset),
            html::FormulaPlace::Body { line, column } => (line, column),
        };
        let message = if failed.source.is_empty() {
            "the formula between these dollar signs is empty".to_string()
        } else {
            format!(
                "the formula `{}` cannot be read: {}",
                formula_in_a_line(&failed.source),
                failed.reason
            )
        };
        warnings.push(
            Diagnostic::error(message)
            .at(line, column)
            .with_help("check the TeX (folio reads LaTeX's math commands, as KaTeX and MathJax do); a dollar sign that is not math is written `\\$`")
            .with_kind("math"),
        );
    }
    for warning in &prepared.warnings {
        warnings.push(
            Diagnostic::warning(warning.message.clone())
                .at(warning.line, warning.column)
                .with_help(warning.help.clone()),
        );
    }
    Rendered {
        html: written.html,
        headings,
        toc_levels,
        links,
        warnings,
        has_code: written.has_code,
    }
}

/// A formula as a message quotes it: on one line, and cut short when long.
fn formula_in_a_line(source: &str) -> String {
    const MOST: usize = 60;
    let line = source.split_whitespace().collect::<Vec<_>>().join(" ");
    match line.char_indices().nth(MOST) {
        Some((cut, _)) => format!("{}…", line[..cut].trim_end()),
        None => line,
    }
}

/// Rewrites link and image targets and records each one with its place.
fn resolve_links(
    nodes: &mut [Node<'_>],
    page_dir: &str,
    site: &SiteIndex,
    lines: &LineIndex<'_>,
    warnings: &mut Vec<Diagnostic>,
) -> Vec<LinkUse> {
    let mut uses = Vec::new();
    for node in nodes.iter_mut() {
        if node.skip {
            continue;
        }
        let (dest, is_image) = match &mut node.event {
            Event::Start(Tag::Link { dest_url, .. }) => (dest_url, false),
            Event::Start(Tag::Image { dest_url, .. }) => (dest_url, true),
            Event::Html(html) | Event::InlineHtml(html) => {
                // Copied as written; the checks resolve these against the page's URL. A marker
                // stands for raw HTML kept aside by the line scanner.
                let (html, place) = match lines.prepared.parse_marker(html) {
                    Some(Marker::Raw(n)) => {
                        let raw = &lines.prepared.raw[n];
                        (raw.html.as_str(), RawPlace::Body(raw.line))
                    }
                    Some(Marker::Open(n)) => (
                        lines.prepared.elements[n].open.as_str(),
                        RawPlace::Prepared(node.start),
                    ),
                    Some(_) => continue,
                    None => (html.as_ref(), RawPlace::Prepared(node.start)),
                };
                for link in links::html_links(html) {
                    let (line, column) = match place {
                        RawPlace::Prepared(start) => lines.locate(start + link.offset),
                        RawPlace::Body(first_line) => line_in(html, link.offset, first_line),
                    };
                    uses.push(LinkUse {
                        href: link.value,
                        target: Target::RawHtml,
                        is_image: link.is_src,
                        line,
                        column,
                    });
                }
                continue;
            }
            _ => continue,
        };
        let (href, target) = links::resolve(site, page_dir, dest);
        let original = dest.to_string();
        let (line, column) = lines.locate(node.start);
        if target == Target::Unsafe {
            warnings.push(
                Diagnostic::warning(format!(
                    "the link `{original}` runs a script; it was replaced by `#`"
                ))
                .at(line, column)
                .with_help("link to a page or a web address instead")
                .with_kind("unsafe-link"),
            );
        }
        if href != original {
            *dest = CowStr::from(href);
        }
        uses.push(LinkUse {
            href: original,
            target,
            is_image,
            line,
            column,
        });
    }
    uses
}

/// Where raw HTML is: in the prepared text at an offset, or kept aside from a body line on.
#[derive(Clone, Copy)]
enum RawPlace {
    Prepared(usize),
    Body(usize),
}

/// Line and column of `offset` in `html`, whose first line is body line `first_line`.
fn line_in(html: &str, offset: usize, first_line: usize) -> (usize, usize) {
    let before = &html[..offset.min(html.len())];
    let line_start = before.rfind('\n').map_or(0, |i| i + 1);
    (
        first_line + before.matches('\n').count(),
        before[line_start..].chars().count() + 1,
    )
}

/// Byte offsets of line starts, to turn offsets of the prepared text into lines and columns of
/// the body quickly.
struct LineIndex<'t> {
    prepared: &'t kramdown::Prepared,
    starts: Vec<usize>,
}

impl<'t> LineIndex<'t> {
    fn new(prepared: &'t kramdown::Prepared) -> Self {
        let mut starts = vec![0];
        starts.extend(prepared.text.match_indices('\n').map(|(i, _)| i + 1));
        LineIndex { prepared, starts }
    }

    /// 1-based body line and column (in characters) of a byte offset of the prepared text.
    fn locate(&self, offset: usize) -> (usize, usize) {
        let text = &self.prepared.text;
        let offset = crate::diagnostics::floor_char_boundary(text, offset.min(text.len()));
        let line = self.starts.partition_point(|&start| start <= offset);
        let start = self.starts[line - 1];
        let end = self.starts.get(line).map_or(text.len(), |&next| next - 1);
        self.prepared
            .body_place(line, &text[start..end.max(start)], offset - start)
    }
}

#[cfg(test)]
mod kramdown_html_tests;
#[cfg(test)]
mod kramdown_tests;
#[cfg(test)]
mod tests;
