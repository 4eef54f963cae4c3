//! Heading ids (as kramdown's GFM parser makes them), the page's heading list, and the
//! `{:toc}` list.

use std::collections::HashMap;
use std::fmt::Write as _;
use std::sync::LazyLock;

use pulldown_cmark::{Event, HeadingLevel, Tag, TagEnd};
use pulldown_cmark_escape::escape_html;
use regex::Regex;
use serde::Serialize;

use super::attributes::Attrs;
use super::events::Node;
use super::kramdown::{Marker, Prepared};

/// A heading of the page, for the TOCs, the search index and anchor checks.
#[derive(Debug, Clone, Serialize)]
pub struct Heading {
    pub level: u8,
    /// Empty when the heading has none (`{::options auto_ids="false" /}`).
    pub id: String,
    /// Plain text.
    pub text: String,
    /// Inline HTML without links and footnote references (safe to put inside a link).
    pub html: String,
    #[serde(skip)]
    pub classes: Vec<String>,
    /// Offset in the prepared text, for line numbers.
    #[serde(skip)]
    pub offset: usize,
}

impl Heading {
    /// Whether a TOC lists it: a heading without an id (`auto_ids` off) is never listed.
    pub fn in_toc(&self, levels: (u8, u8)) -> bool {
        !self.id.is_empty()
            && (levels.0..=levels.1).contains(&self.level)
            && !self.classes.iter().any(|c| c == "no_toc")
    }
}

static NOT_ID_CHARACTER: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"[^\w\- \t]").expect("valid regex"));

/// kramdown's GFM heading id: lowercase, drop everything but word characters, `-`, spaces and
/// tabs, then turn each space or tab into `-`.
pub fn gfm_id(text: &str) -> String {
    let lower = text.to_lowercase();
    NOT_ID_CHARACTER
        .replace_all(&lower, "")
        .replace([' ', '\t'], "-")
}

/// kramdown's own heading id (its converter's, used inside HTML elements with Markdown
/// content, which the GFM parser does not visit): drop everything before the first ASCII
/// letter, keep ASCII letters, digits, spaces and `-`, spaces become `-`, lowercase.
pub fn kramdown_id(text: &str) -> String {
    let from = text
        .find(|c: char| c.is_ascii_alphabetic())
        .unwrap_or(text.len());
    text[from..]
        .chars()
        .filter(|c| c.is_ascii_alphanumeric() || *c == ' ' || *c == '-')
        .map(|c| {
            if c == ' ' {
                '-'
            } else {
                c.to_ascii_lowercase()
            }
        })
        .collect()
}

/// How headings without an id get one (`{::options auto_ids auto_id_prefix}`).
#[derive(Debug, Clone, Copy)]
pub struct IdRules<'p> {
    /// `false`: they get none.
    pub auto: bool,
    pub prefix: &'p str,
}

impl IdRules<'_> {
    fn prefixed(&self, id: String) -> String {
        if self.prefix.is_empty() {
            id
        } else {
            format!("{}{id}", self.prefix)
        }
    }
}

/// Unique ids made as kramdown makes them: the first as it is, then `-1`, `-2`… Its GFM
/// parser and its converter each count their own (so they can give the same id twice).
#[derive(Default)]
struct Counters {
    gfm: HashMap<String, usize>,
    kramdown: HashMap<String, usize>,
}

impl Counters {
    fn unique(counters: &mut HashMap<String, usize>, base: String) -> String {
        let counter = counters.entry(base.clone()).or_insert(0);
        let id = if *counter == 0 {
            base
        } else {
            format!("{base}-{counter}")
        };
        *counter += 1;
        id
    }
}

/// Gives every heading its id (explicit ones kept, generated ones made unique with `-1`, `-2`
/// as kramdown does) and returns the page's headings. `inline_html` renders a range of nodes
/// as inline HTML without links.
pub fn assign_ids(
    nodes: &mut [Node<'_>],
    partner: &[usize],
    rules: IdRules<'_>,
    prepared: &Prepared,
    inline_html: impl Fn(&[Node<'_>], usize, usize) -> String,
) -> Vec<Heading> {
    let mut counters = Counters::default();
    let mut headings = Vec::new();
    // How many HTML elements with Markdown content are open here.
    let mut in_elements = 0usize;
    for index in 0..nodes.len() {
        let level = match &nodes[index].event {
            Event::Start(Tag::Heading { level, .. }) if !nodes[index].skip => *level,
            Event::Html(html) if html.starts_with("<!--folio") => {
                match prepared.parse_marker(html) {
                    Some(Marker::Open(_)) => in_elements += 1,
                    Some(Marker::Close(_)) => in_elements = in_elements.saturating_sub(1),
                    _ => {}
                }
                continue;
            }
            _ => continue,
        };
        let end = partner[index];
        let text = plain_text(&nodes[index + 1..end]);
        let mut attrs = heading_attrs(&nodes[index].event);
        if let Some(extra) = &nodes[index].attrs {
            attrs.merge(extra);
        }
        let id = match &attrs.id {
            Some(id) => id.clone(),
            None if !rules.auto => String::new(),
            None if in_elements > 0 => {
                let mut base = kramdown_id(&text);
                if base.is_empty() {
                    base = "section".into();
                }
                rules.prefixed(Counters::unique(&mut counters.kramdown, base))
            }
            None => rules.prefixed(Counters::unique(&mut counters.gfm, gfm_id(&text))),
        };
        attrs.id = (!id.is_empty()).then(|| id.clone());
        let html = inline_html(nodes, index + 1, end);
        headings.push(Heading {
            level: level_number(level),
            id,
            text,
            html,
            classes: attrs.classes.clone(),
            offset: nodes[index].start,
        });
        nodes[index].attrs = Some(Box::new(attrs));
    }
    headings
}

/// The id, classes and attributes written in `## Title {#id .class}`.
fn heading_attrs(event: &Event<'_>) -> Attrs {
    let mut attrs = Attrs::default();
    if let Event::Start(Tag::Heading {
        id,
        classes,
        attrs: pairs,
        ..
    }) = event
    {
        attrs.id = id.as_ref().map(|id| id.to_string());
        for class in classes {
            attrs.add_class(class);
        }
        for (key, value) in pairs {
            attrs.pairs.push((
                key.to_string(),
                value.as_ref().map(|v| v.to_string()).unwrap_or_default(),
            ));
        }
    }
    attrs
}

pub fn level_number(level: HeadingLevel) -> u8 {
    level as u8
}

/// The text of inline events as a reader sees it.
pub fn plain_text(nodes: &[Node<'_>]) -> String {
    let mut text = String::new();
    for node in nodes {
        if node.skip {
            continue;
        }
        match &node.event {
            Event::Text(t) | Event::Code(t) | Event::InlineMath(t) | Event::DisplayMath(t) => {
                text.push_str(t)
            }
            Event::SoftBreak | Event::HardBreak => text.push(' '),
            _ => {}
        }
    }
    text
}

/// Replaces the first list marked `{:toc}` by the nested list of the page's headings.
pub fn replace_toc_list(
    nodes: &mut [Node<'_>],
    partner: &[usize],
    headings: &[Heading],
    levels: (u8, u8),
) {
    let Some(start) = nodes.iter().position(|node| {
        !node.skip
            && matches!(node.event, Event::Start(Tag::List(_)))
            && node
                .attrs
                .as_ref()
                .is_some_and(|attrs| attrs.has_ref("toc"))
    }) else {
        return;
    };
    let ordered = matches!(nodes[start].event, Event::Start(Tag::List(Some(_))));
    let mut attrs = nodes[start].attrs.take().map(|a| *a).unwrap_or_default();
    attrs.refs.clear();
    if attrs.id.is_none() {
        attrs.id = Some("markdown-toc".into());
    }
    let entries: Vec<&Heading> = headings.iter().filter(|h| h.in_toc(levels)).collect();
    let html = if entries.is_empty() {
        String::new()
    } else {
        toc_html(&entries, ordered, &attrs)
    };
    let end = partner[start];
    for node in &mut nodes[start + 1..=end] {
        node.skip = true;
    }
    nodes[start].event = Event::Html(html.into());
}

/// A nested list of `entries` (the page TOC of templates), as `<ul class="…">`.
pub fn nested_list(entries: &[&Heading], class: &str) -> String {
    if entries.is_empty() {
        return String::new();
    }
    let attrs = Attrs {
        classes: vec![class.to_string()],
        ..Attrs::default()
    };
    write_nested(entries, "ul", &attrs, None)
}

/// kramdown names each link `{list id}-{heading id}`: `markdown-toc-intro` unless the
/// list was given an id of its own.
fn toc_html(entries: &[&Heading], ordered: bool, attrs: &Attrs) -> String {
    let prefix = format!("{}-", attrs.id.as_deref().unwrap_or("markdown-toc"));
    write_nested(
        entries,
        if ordered { "ol" } else { "ul" },
        attrs,
        Some(&prefix),
    )
}

/// Writes `entries` as nested lists: a heading nests under the closest earlier heading of a
/// higher level, without empty levels in between. Links get `id="{id_prefix}{id}"` if asked.
fn write_nested(entries: &[&Heading], tag: &str, attrs: &Attrs, id_prefix: Option<&str>) -> String {
    // children[i] are the entries nested under entry i; roots are under no entry.
    let mut children: Vec<Vec<usize>> = vec![Vec::new(); entries.len()];
    let mut roots = Vec::new();
    let mut stack: Vec<usize> = Vec::new();
    for (index, heading) in entries.iter().enumerate() {
        while stack
            .last()
            .is_some_and(|&top| entries[top].level >= heading.level)
        {
            stack.pop();
        }
        match stack.last() {
            Some(&parent) => children[parent].push(index),
            None => roots.push(index),
        }
        stack.push(index);
    }
    let mut out = String::new();
    out.push('<');
    out.push_str(tag);
    attrs.write_html(&mut out, &[]);
    out.push_str(">\n");
    let list = NestedList {
        entries,
        children: &children,
        tag,
        id_prefix,
    };
    list.items(&mut out, &roots);
    let _ = writeln!(out, "</{tag}>");
    out
}

struct NestedList<'a> {
    entries: &'a [&'a Heading],
    children: &'a [Vec<usize>],
    tag: &'a str,
    id_prefix: Option<&'a str>,
}

impl NestedList<'_> {
    fn items(&self, out: &mut String, items: &[usize]) {
        for &index in items {
            let heading = self.entries[index];
            out.push_str("<li><a href=\"#");
            let _ = escape_html(&mut *out, &heading.id);
            out.push('"');
            if let Some(prefix) = self.id_prefix {
                out.push_str(" id=\"");
                out.push_str(prefix);
                let _ = escape_html(&mut *out, &heading.id);
                out.push('"');
            }
            out.push('>');
            out.push_str(&heading.html);
            out.push_str("</a>");
            if !self.children[index].is_empty() {
                let _ = writeln!(out, "\n<{}>", self.tag);
                self.items(out, &self.children[index]);
                let _ = write!(out, "</{}>", self.tag);
            }
            out.push_str("</li>\n");
        }
    }
}

/// The text of the first heading of a Markdown body, for pages without front matter.
pub fn first_heading(body: &str, options: pulldown_cmark::Options) -> Option<String> {
    let mut inside = false;
    let mut text = String::new();
    for event in pulldown_cmark::Parser::new_ext(body, options) {
        match event {
            Event::Start(Tag::Heading { .. }) => inside = true,
            Event::End(TagEnd::Heading(_)) if inside => {
                let text = text.trim().to_string();
                return (!text.is_empty()).then_some(text);
            }
            Event::Text(t) | Event::Code(t) | Event::InlineMath(t) | Event::DisplayMath(t)
                if inside =>
            {
                text.push_str(&t)
            }
            Event::SoftBreak | Event::HardBreak if inside => text.push(' '),
            _ => {}
        }
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ids_as_kramdown_gfm_makes_them() {
        assert_eq!(gfm_id("Hello, World!"), "hello-world");
        assert_eq!(gfm_id("1. Intro & Setup"), "1-intro--setup");
        assert_eq!(gfm_id("Über café"), "über-café");
        assert_eq!(gfm_id("C++ / C#"), "c--c");
        assert_eq!(gfm_id("v0.12.0 - 2026-01-23"), "v0120---2026-01-23");
        assert_eq!(gfm_id("snake_case_name"), "snake_case_name");
    }

    #[test]
    fn ids_as_kramdown_itself_makes_them() {
        assert_eq!(kramdown_id("1. Intro & Setup"), "intro--setup");
        assert_eq!(kramdown_id("Über café"), "ber-caf");
        assert_eq!(kramdown_id("Hello, World!"), "hello-world");
        assert_eq!(kramdown_id("123"), "");
    }
}
