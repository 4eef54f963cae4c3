//! Writes the event list as HTML, with the attributes kramdown lists gave each element,
//! callouts, highlighted code, wrapped tables and heading anchors.

mod diagram;
mod formula;
mod notes;
mod raw;
mod text;

use std::borrow::Cow;
use std::collections::BTreeMap;

use notes::alert_name;
use pulldown_cmark::{Alignment, CodeBlockKind, Event, Tag, TagEnd};
use pulldown_cmark_escape::{escape_href, escape_html, escape_html_body_text};

use super::attributes::{Attrs, write_attr};
use super::events::Node;
use super::highlight;
use super::kramdown::Prepared;
use crate::config::Callout;
pub use diagram::FailedDiagram;
pub use formula::{FailedFormula, FormulaPlace};
pub use text::TextSink;

/// Settings of the writer.
pub struct HtmlOptions<'c> {
    pub callouts: &'c BTreeMap<String, Callout>,
    pub heading_anchors: bool,
    pub code_themes: &'c highlight::CodeThemes,
}

/// A fenced code block whose language folio cannot colour, at an offset of the prepared text.
pub struct UnknownLanguage {
    pub lang: String,
    pub offset: usize,
}

/// What writing produced besides the HTML.
#[derive(Default)]
pub struct Written {
    pub html: String,
    pub unknown_languages: Vec<UnknownLanguage>,
    pub failed_diagrams: Vec<FailedDiagram>,
    pub failed_formulas: Vec<FailedFormula>,
    pub has_code: bool,
}

struct CodeBlock {
    lang: String,
    offset: usize,
    attrs: Option<Attrs>,
    text: String,
}

struct Writer<'n, 'a, 'c, 's> {
    nodes: &'n [Node<'a>],
    /// Told the page's text as it is written (only for the whole document).
    sink: Option<&'s mut dyn TextSink>,
    prepared: &'n Prepared,
    options: &'n HtmlOptions<'c>,
    out: String,
    closers: Vec<Cow<'static, str>>,
    /// Inside links of a heading copy for a TOC, links and footnote marks are left out.
    inline_only: bool,
    table_alignments: Vec<Alignment>,
    table_cell: usize,
    in_table_head: bool,
    image_depth: usize,
    code: Option<CodeBlock>,
    html_block_attrs: Option<Attrs>,
    callout_title_paragraph: Option<usize>,
    /// `***x***`: the node of the strong element written as `<em>` inside a `<strong>`.
    em_inside_strong: Option<usize>,
    footnote_numbers: Vec<(String, usize, usize)>,
    footnotes: Vec<(String, String)>,
    /// Output set aside while a footnote definition is written: (label, output).
    saved_outputs: Vec<(String, String)>,
    /// Mermaid diagrams so far, which number their ids.
    diagrams: usize,
    result: Written,
}

/// Writes the whole document, telling `sink` its text.
pub fn write(
    nodes: &[Node<'_>],
    prepared: &Prepared,
    options: &HtmlOptions<'_>,
    sink: Option<&mut dyn TextSink>,
) -> Written {
    let mut writer = Writer::new(nodes, prepared, options, false);
    writer.sink = sink;
    writer.out.reserve(prepared.text.len() * 2);
    writer.run(0, nodes.len());
    writer.finish_footnotes();
    writer.result.html = writer.out;
    writer.result
}

/// Writes `nodes[from..to]` as inline HTML without links or footnote marks.
pub fn write_inline(
    nodes: &[Node<'_>],
    prepared: &Prepared,
    options: &HtmlOptions<'_>,
    from: usize,
    to: usize,
) -> String {
    let mut writer = Writer::new(nodes, prepared, options, true);
    writer.run(from, to);
    writer.out
}

impl<'n, 'a, 'c, 's> Writer<'n, 'a, 'c, 's> {
    fn new(
        nodes: &'n [Node<'a>],
        prepared: &'n Prepared,
        options: &'n HtmlOptions<'c>,
        inline_only: bool,
    ) -> Self {
        Writer {
            nodes,
            sink: None,
            prepared,
            options,
            out: String::new(),
            closers: Vec::new(),
            inline_only,
            table_alignments: Vec::new(),
            table_cell: 0,
            in_table_head: false,
            image_depth: 0,
            code: None,
            html_block_attrs: None,
            callout_title_paragraph: None,
            em_inside_strong: None,
            footnote_numbers: Vec::new(),
            footnotes: Vec::new(),
            saved_outputs: Vec::new(),
            diagrams: 0,
            result: Written::default(),
        }
    }

    fn run(&mut self, from: usize, to: usize) {
        for index in from..to {
            let node = &self.nodes[index];
            if node.skip {
                continue;
            }
            let attrs = node.attrs.as_deref();
            match &node.event {
                Event::Start(tag) => self.start(index, tag, attrs),
                Event::End(tag) => self.end(tag),
                Event::Text(text) => self.text(text),
                Event::Code(code) => {
                    if self.image_depth > 0 {
                        self.text(code);
                    } else {
                        self.tell_text_apart(code);
                        self.out.push_str("<code");
                        if let Some(attrs) = attrs {
                            attrs.write_html(&mut self.out, &[]);
                        }
                        self.out.push('>');
                        let _ = escape_html_body_text(&mut self.out, code);
                        self.out.push_str("</code>");
                    }
                }
                Event::Html(html) => self.html(html),
                Event::InlineHtml(html) => {
                    if self.image_depth == 0 {
                        self.inline_html(html, attrs);
                    }
                }
                Event::SoftBreak => {
                    // kramdown makes each line of a definition list's term a term of its own.
                    if self.closers.last().is_some_and(|closer| closer == "</dt>") {
                        self.out.push_str("</dt>\n<dt>");
                    } else {
                        self.out.push('\n');
                    }
                    self.break_words();
                }
                Event::HardBreak => {
                    self.out.push_str("<br>\n");
                    self.break_words();
                }
                Event::Rule => {
                    self.break_words();
                    self.out.push_str("<hr");
                    if let Some(attrs) = attrs {
                        attrs.write_html(&mut self.out, &[]);
                    }
                    self.out.push_str(">\n");
                }
                Event::FootnoteReference(label) => {
                    if !self.inline_only {
                        self.footnote_reference(label);
                    }
                }
                Event::TaskListMarker(checked) => {
                    self.out.push_str(
                        "<input type=\"checkbox\" class=\"task-list-item-checkbox\" disabled",
                    );
                    // A disabled checkbox still needs a name for screen readers.
                    if *checked {
                        self.out.push_str(" checked aria-label=\"done\"");
                    } else {
                        self.out.push_str(" aria-label=\"not done\"");
                    }
                    // No space after it, as kramdown writes it: the stylesheet spaces it.
                    self.out.push('>');
                }
                Event::InlineMath(text) => self.formula(index, text, false),
                Event::DisplayMath(text) => self.formula(index, text, true),
            }
        }
    }

    fn text(&mut self, text: &str) {
        if let Some(code) = &mut self.code {
            code.text.push_str(text);
        } else if self.image_depth > 0 {
            let _ = escape_html(&mut self.out, text);
        } else {
            if self.prepared.abbreviations.is_empty() {
                let _ = escape_html_body_text(&mut self.out, text);
            } else {
                self.prepared.abbreviations.write_text(text, &mut self.out);
            }
            self.tell_text(text);
        }
    }

    /// Opens `<name attrs>` and remembers `</name>`.
    fn open(&mut self, name: &'static str, attrs: Option<&Attrs>, classes: &[&str]) {
        self.out.push('<');
        self.out.push_str(name);
        match attrs {
            Some(attrs) => attrs.write_html(&mut self.out, classes),
            None if !classes.is_empty() => write_attr(&mut self.out, "class", &classes.join(" ")),
            None => {}
        }
        self.out.push('>');
        self.closers.push(Cow::Owned(format!("</{name}>")));
    }

    fn start(&mut self, index: usize, tag: &Tag<'_>, attrs: Option<&Attrs>) {
        if self.image_depth > 0 {
            if let Tag::Image { .. } = tag {
                self.image_depth += 1;
            }
            return;
        }
        self.tell_start(tag, attrs);
        match tag {
            Tag::Paragraph => {
                if self.callout_title_paragraph == Some(index) {
                    self.open("p", None, &["callout-title"]);
                } else if let Some(callout) = attrs.and_then(|a| self.callout_of(a, false)) {
                    self.open_callout(&callout, attrs, index, false);
                    self.out.push('\n');
                    self.open("p", None, &[]);
                    let inner = self.closers.pop().unwrap_or_default();
                    let outer = self.closers.pop().unwrap_or_default();
                    self.closers.push(Cow::Owned(format!("{inner}\n{outer}")));
                } else {
                    self.open("p", attrs, &[]);
                }
            }
            Tag::Heading { level, .. } => {
                let name = heading_tag(*level as u8);
                self.out.push('<');
                self.out.push_str(name);
                if let Some(attrs) = attrs {
                    attrs.write_html(&mut self.out, &[]);
                }
                self.out.push('>');
                self.closers.push(Cow::Owned(format!("</{name}>\n")));
                let id = attrs.and_then(|a| a.id.as_deref());
                if let Some(id) = id
                    && self.options.heading_anchors
                    && !self.inline_only
                    && !attrs.is_some_and(|a| a.has_class("no_anchor"))
                {
                    self.out.push_str("<a href=\"#");
                    let _ = escape_href(&mut self.out, id);
                    self.out
                        .push_str("\" class=\"anchor-heading\" aria-labelledby=\"");
                    let _ = escape_html(&mut self.out, id);
                    self.out
                        .push_str("\"><span aria-hidden=\"true\">#</span></a>");
                }
            }
            Tag::BlockQuote(kind) => {
                let callout = match kind {
                    Some(kind) => self
                        .options
                        .callouts
                        .get(alert_name(*kind))
                        .cloned()
                        .map(|c| (c, false)),
                    None => attrs.and_then(|a| self.callout_of(a, true)),
                };
                match callout {
                    Some(callout) => {
                        self.open_callout(&callout, attrs, index, true);
                        self.out.push('\n');
                    }
                    None => {
                        self.open("blockquote", attrs, &[]);
                        self.out.push('\n');
                        self.closers.pop();
                        self.closers.push(Cow::Borrowed("</blockquote>\n"));
                    }
                }
            }
            Tag::CodeBlock(kind) => {
                let lang = match kind {
                    CodeBlockKind::Fenced(info) => {
                        info.split_whitespace().next().unwrap_or("").to_string()
                    }
                    CodeBlockKind::Indented => String::new(),
                };
                self.code = Some(CodeBlock {
                    lang,
                    offset: self.nodes[index].start,
                    attrs: attrs.cloned(),
                    text: String::new(),
                });
            }
            Tag::HtmlBlock => self.html_block_attrs = attrs.cloned(),
            // kramdown numbers every list from 1, whatever the first item's number.
            Tag::List(Some(_)) => {
                self.out.push_str("<ol");
                if let Some(attrs) = attrs {
                    attrs.write_html(&mut self.out, &[]);
                }
                self.out.push_str(">\n");
                self.closers.push(Cow::Borrowed("</ol>\n"));
            }
            Tag::List(None) => {
                self.open("ul", attrs, &[]);
                self.out.push('\n');
                self.closers.pop();
                self.closers.push(Cow::Borrowed("</ul>\n"));
            }
            Tag::Item => {
                self.open("li", attrs, &[]);
                self.closers.pop();
                self.closers.push(Cow::Borrowed("</li>\n"));
            }
            Tag::FootnoteDefinition(label) => {
                self.saved_outputs
                    .push((label.to_string(), std::mem::take(&mut self.out)));
                self.closers.push(Cow::Borrowed(""));
            }
            Tag::DefinitionList => {
                self.open("dl", attrs, &[]);
                self.out.push('\n');
            }
            Tag::DefinitionListTitle => self.open("dt", attrs, &[]),
            Tag::DefinitionListDefinition => self.open("dd", attrs, &[]),
            Tag::Table(alignments) => {
                self.table_alignments = alignments.clone();
                self.out.push_str("<div class=\"table-wrapper\">");
                self.open("table", attrs, &[]);
                self.out.push('\n');
                self.closers.pop();
                self.closers
                    .push(Cow::Borrowed("</tbody>\n</table></div>\n"));
            }
            Tag::TableHead => {
                self.in_table_head = true;
                self.table_cell = 0;
                self.out.push_str("<thead>\n<tr>");
                self.closers
                    .push(Cow::Borrowed("</tr>\n</thead>\n<tbody>\n"));
            }
            Tag::TableRow => {
                self.table_cell = 0;
                self.out.push_str("<tr>");
                self.closers.push(Cow::Borrowed("</tr>\n"));
            }
            Tag::TableCell => {
                let name = if self.in_table_head { "th" } else { "td" };
                self.out.push('<');
                self.out.push_str(name);
                match self.table_alignments.get(self.table_cell) {
                    Some(Alignment::Left) => self.out.push_str(" style=\"text-align: left\""),
                    Some(Alignment::Center) => self.out.push_str(" style=\"text-align: center\""),
                    Some(Alignment::Right) => self.out.push_str(" style=\"text-align: right\""),
                    _ => {}
                }
                if let Some(attrs) = attrs {
                    attrs.write_html(&mut self.out, &[]);
                }
                self.out.push('>');
                self.closers.push(Cow::Owned(format!("</{name}>")));
                self.table_cell += 1;
            }
            // `***x***` is <strong><em> in kramdown and <em><strong> in CommonMark.
            Tag::Emphasis if self.wraps_only_strong(index) => {
                self.em_inside_strong = Some(index + 1);
                self.open("strong", self.nodes[index + 1].attrs.as_deref(), &[]);
            }
            Tag::Strong if self.em_inside_strong == Some(index) => {
                self.em_inside_strong = None;
                self.open("em", self.nodes[index - 1].attrs.as_deref(), &[]);
            }
            Tag::Emphasis => self.open("em", attrs, &[]),
            Tag::Strong => self.open("strong", attrs, &[]),
            // GFM as kramdown reads it strikes through only between double tildes.
            Tag::Strikethrough
                if !self.prepared.text[self.nodes[index].start..].starts_with("~~") =>
            {
                self.out.push('~');
                self.closers.push(Cow::Borrowed("~"));
            }
            Tag::Strikethrough => self.open("del", attrs, &[]),
            Tag::Superscript => self.open("sup", attrs, &[]),
            Tag::Subscript => self.open("sub", attrs, &[]),
            Tag::Link {
                dest_url, title, ..
            } => {
                if self.inline_only {
                    self.closers.push(Cow::Borrowed(""));
                    return;
                }
                self.out.push_str("<a href=\"");
                let _ = escape_href(&mut self.out, dest_url);
                self.out.push('"');
                if !title.is_empty() {
                    write_attr(&mut self.out, "title", title);
                }
                if let Some(attrs) = attrs {
                    attrs.write_html(&mut self.out, &[]);
                }
                self.out.push('>');
                self.closers.push(Cow::Borrowed("</a>"));
            }
            Tag::Image {
                dest_url, title, ..
            } => {
                self.out.push_str("<img src=\"");
                let _ = escape_href(&mut self.out, dest_url);
                self.out.push_str("\" alt=\"");
                let mut closing = String::from("\"");
                if !title.is_empty() {
                    write_attr(&mut closing, "title", title);
                }
                if let Some(attrs) = attrs {
                    attrs.write_html(&mut closing, &[]);
                }
                closing.push('>');
                self.closers.push(Cow::Owned(closing));
                self.image_depth = 1;
            }
            Tag::MetadataBlock(_) => self.closers.push(Cow::Borrowed("")),
        }
    }

    fn end(&mut self, tag: &TagEnd) {
        if self.image_depth > 0 {
            if let TagEnd::Image = tag {
                self.image_depth -= 1;
                if self.image_depth > 0 {
                    return;
                }
            } else {
                return;
            }
        }
        self.tell_end(tag);
        match tag {
            TagEnd::CodeBlock => {
                if let Some(code) = self.code.take() {
                    self.code_block(code);
                }
                return;
            }
            TagEnd::HtmlBlock => {
                self.html_block_attrs = None;
                return;
            }
            TagEnd::TableHead => self.in_table_head = false,
            _ => {}
        }
        let closer = self.closers.pop().unwrap_or_default();
        self.out.push_str(&closer);
        match tag {
            TagEnd::Paragraph
            | TagEnd::DefinitionList
            | TagEnd::DefinitionListTitle
            | TagEnd::DefinitionListDefinition => self.out.push('\n'),
            TagEnd::FootnoteDefinition => {
                let (label, saved) = self.saved_outputs.pop().unwrap_or_default();
                let body = std::mem::replace(&mut self.out, saved);
                self.footnotes.push((label, body));
            }
            _ => {}
        }
    }
    fn code_block(&mut self, mut code: CodeBlock) {
        if self.prepared.has_markers(&code.text) {
            code.text = self.prepared.restore_markers(&code.text);
        }
        if diagram::is_diagram(&code.lang) && self.diagram(&code) {
            return;
        }
        self.result.has_code = true;
        let lang = if code.lang.is_empty() {
            "plaintext".to_string()
        } else {
            code.lang.clone()
        };
        self.tell_text(&code.text);
        let highlighted = self.options.code_themes.highlight(&code.text, &lang);
        if highlighted.is_none() && !highlight::is_known(&lang) {
            self.result.unknown_languages.push(UnknownLanguage {
                lang: code.lang.clone(),
                offset: code.offset,
            });
        }
        let language_class = format!("language-{lang}");
        self.out.push_str("<div");
        let attrs = code.attrs.unwrap_or_default();
        attrs.write_html(&mut self.out, &["code-block", &language_class]);
        self.out.push_str("><pre class=\"highlight\"><code");
        write_attr(&mut self.out, "class", &language_class);
        write_attr(&mut self.out, "data-lang", &lang);
        self.out.push('>');
        match highlighted {
            Some(html) => self.out.push_str(&html),
            None => {
                let _ = escape_html_body_text(&mut self.out, &code.text);
            }
        }
        self.out.push_str("</code></pre></div>\n");
    }

    /// Whether the emphasis starting at node `index` holds one strong element and nothing else.
    fn wraps_only_strong(&self, index: usize) -> bool {
        if !matches!(
            self.nodes.get(index + 1).map(|n| &n.event),
            Some(Event::Start(Tag::Strong))
        ) {
            return false;
        }
        let mut depth = 0usize;
        for (at, node) in self.nodes.iter().enumerate().skip(index + 1) {
            match node.event {
                Event::Start(_) => depth += 1,
                Event::End(_) => {
                    depth -= 1;
                    if depth == 0 {
                        return matches!(
                            self.nodes.get(at + 1).map(|n| &n.event),
                            Some(Event::End(TagEnd::Emphasis))
                        );
                    }
                }
                _ => {}
            }
        }
        false
    }

    /// Writes raw HTML of the page as it is.
    pub(super) fn write_raw(&mut self, html: &str) {
        self.tell_html(html);
        self.out.push_str(html);
    }
}

fn heading_tag(level: u8) -> &'static str {
    ["h1", "h2", "h3", "h4", "h5", "h6"][usize::from(level.clamp(1, 6)) - 1]
}
