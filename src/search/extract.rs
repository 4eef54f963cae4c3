//! The text of a rendered page, cut into sections at its headings: what readers find. Built
//! from the page's HTML, so code, tables and callouts are searchable as the text they show.

use std::borrow::Cow;

use crate::markdown::TextSink;
use crate::markdown::entities::{decode_entities, decode_entity};

/// A part of a page: the text under one heading (the first one is the text before any).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Section {
    /// The heading; `None` for the text before the first heading.
    pub title: Option<String>,
    /// The heading's id.
    pub anchor: Option<String>,
    pub text: String,
}

/// Whether words never run together across tag `name`.
fn is_block_tag(name: &str) -> bool {
    // A match rather than a list: every tag of a page is looked up, and highlighted code is
    // thousands of spans.
    matches!(
        name,
        "p" | "div"
            | "li"
            | "td"
            | "th"
            | "tr"
            | "br"
            | "pre"
            | "dt"
            | "dd"
            | "blockquote"
            | "section"
            | "table"
            | "ul"
            | "ol"
            | "hr"
            | "h1"
            | "h2"
            | "h3"
            | "h4"
            | "h5"
            | "h6"
            | "summary"
            | "details"
            | "figcaption"
            | "code"
    )
}

/// Builds a page's sections from what the Markdown writer tells it ([`TextSink`]), or from
/// HTML: text goes to the section of the last heading of level `max_level` or higher.
pub struct SectionWriter {
    max_level: u8,
    sections: Vec<Section>,
    /// The heading being read: its text so far and its id.
    heading: Option<(String, Option<String>)>,
    /// Inside `<script>`, `<style>` or a heading's anchor link: the end tag that ends it.
    skip_until: Option<&'static str>,
    /// The start of a tag that the last piece of HTML ended in the middle of.
    unfinished_tag: String,
}

impl SectionWriter {
    pub fn new(max_level: u8) -> SectionWriter {
        SectionWriter {
            max_level,
            sections: vec![Section {
                title: None,
                anchor: None,
                text: String::new(),
            }],
            heading: None,
            skip_until: None,
            unfinished_tag: String::new(),
        }
    }

    /// The sections, in page order. The first stands for the page itself (its title counts
    /// there), even when no text comes before the first heading.
    pub fn finish(mut self) -> Vec<Section> {
        if self.heading.is_some() {
            self.close_heading();
        }
        for section in &mut self.sections {
            section.text = trim_end(std::mem::take(&mut section.text));
        }
        self.sections
    }

    fn current_text(&mut self) -> &mut String {
        match &mut self.heading {
            Some((title, _)) => title,
            None => {
                &mut self
                    .sections
                    .last_mut()
                    .expect("there is always a section")
                    .text
            }
        }
    }

    fn open_heading(&mut self, level: u8, id: Option<String>) {
        if level <= self.max_level {
            self.heading = Some((String::new(), id));
        } else {
            push_space(self.current_text());
        }
    }

    fn close_heading(&mut self) {
        match self.heading.take() {
            Some((title, anchor)) => self.sections.push(Section {
                title: Some(trim_end(title)),
                anchor,
                text: String::new(),
            }),
            None => push_space(self.current_text()),
        }
    }

    /// Reads a piece of HTML: its text, and its headings, which start sections. A tag cut
    /// in two by the end of the piece is read with the next one.
    fn read_html(&mut self, html: &str) {
        let joined;
        let mut rest = html;
        if !self.unfinished_tag.is_empty() {
            joined = std::mem::take(&mut self.unfinished_tag) + html;
            rest = &joined;
        }
        while !rest.is_empty() {
            let Some(open) = memchr::memchr(b'<', rest.as_bytes()) else {
                if self.skip_until.is_none() {
                    push_text(self.current_text(), rest, true);
                }
                break;
            };
            if self.skip_until.is_none() {
                push_text(self.current_text(), &rest[..open], true);
            }
            let after = &rest[open..];
            let Some(close) = tag_end(after) else {
                self.unfinished_tag = after.to_string();
                break;
            };
            let tag = Tag::parse(&after[1..close]);
            rest = &after[close + 1..];
            self.read_tag(&tag);
        }
    }

    fn read_tag(&mut self, tag: &Tag<'_>) {
        if let Some(end) = self.skip_until {
            if tag.closing && tag.name() == end {
                self.skip_until = None;
            }
            return;
        }
        match tag.name() {
            "script" if !tag.closing => self.skip_until = Some("script"),
            "style" if !tag.closing => self.skip_until = Some("style"),
            "a" if !tag.closing && tag.has_class("anchor-heading") => self.skip_until = Some("a"),
            name => match heading_level(name) {
                Some(_) if tag.closing => self.close_heading(),
                Some(level) => self.open_heading(level, tag.attribute("id").map(decode_entities)),
                None if is_block_tag(name) => push_space(self.current_text()),
                None => {}
            },
        }
    }
}

impl TextSink for SectionWriter {
    fn text(&mut self, text: &str) {
        if self.skip_until.is_none() {
            push_text(self.current_text(), text, false);
        }
    }

    fn html(&mut self, html: &str) {
        self.read_html(html);
    }

    fn boundary(&mut self) {
        push_space(self.current_text());
    }

    fn heading_start(&mut self, level: u8, id: Option<&str>) {
        self.open_heading(level, id.map(str::to_string));
    }

    fn heading_end(&mut self) {
        self.close_heading();
    }
}

/// Appends `text` to `target` with each run of whitespace as one space and none at the
/// start, so that no second pass is needed to tidy it; `html` text has its entities decoded.
fn push_text(target: &mut String, text: &str, html: bool) {
    let bytes = text.as_bytes();
    // Bytes are copied in runs; a run ends only where something must change: a space after
    // a space, another kind of space, an entity.
    let mut after_space = target.is_empty() || target.ends_with(' ');
    let mut copied = 0;
    let mut at = 0;
    while at < bytes.len() {
        let byte = bytes[at];
        let look = BYTE_KINDS[usize::from(byte)];
        if look == PLAIN || (look == AMPERSAND && !html) {
            after_space = false;
            at += 1;
            continue;
        }
        if byte == b' ' && !after_space {
            after_space = true;
            at += 1;
            continue;
        }
        target.push_str(&text[copied..at]);
        let after = &text[at..];
        let (decoded, length) = match look {
            AMPERSAND => decode_entity(after),
            SPACE => (Some(' '), 1),
            _ => {
                let c = after.chars().next().unwrap_or(' ');
                (Some(c), c.len_utf8())
            }
        };
        match decoded {
            Some(c) if c.is_whitespace() => push_space(target),
            Some(c) => target.push(c),
            None => target.push('&'),
        }
        after_space = target.is_empty() || target.ends_with(' ');
        at += length;
        copied = at;
    }
    target.push_str(&text[copied..]);
}

const PLAIN: u8 = 0;
const SPACE: u8 = 1;
const AMPERSAND: u8 = 2;
/// The first byte of a character that may be a space of another kind (U+0085, U+00A0,
/// U+1680, U+2000 to U+205F, U+3000).
const MAYBE_SPACE: u8 = 3;

/// What [`push_text`] makes of each byte, as a table (one load per byte).
const BYTE_KINDS: [u8; 256] = {
    let mut table = [PLAIN; 256];
    let mut byte = 0;
    while byte < 256 {
        let b = byte as u8;
        table[byte] = match b {
            b'&' => AMPERSAND,
            0xC2 | 0xE1 | 0xE2 | 0xE3 => MAYBE_SPACE,
            _ if b.is_ascii_whitespace() => SPACE,
            _ => PLAIN,
        };
        byte += 1;
    }
    table
};

/// Appends a space where words end, unless there is one already (or nothing yet).
fn push_space(target: &mut String) {
    if !target.is_empty() && !target.ends_with(' ') {
        target.push(' ');
    }
}

/// `text` without its trailing space, holding no more memory than it needs (every page's
/// text is kept until the index is written).
fn trim_end(mut text: String) -> String {
    let length = text.trim_end().len();
    text.truncate(length);
    text.shrink_to_fit();
    text
}

fn heading_level(name: &str) -> Option<u8> {
    match name.as_bytes() {
        [b'h', level @ b'1'..=b'6'] => Some(level - b'0'),
        _ => None,
    }
}

/// The index of the `>` closing the tag that starts `text` (quotes respected).
fn tag_end(text: &str) -> Option<usize> {
    let bytes = text.as_bytes();
    let mut at = 1;
    loop {
        let found = at + memchr::memchr3(b'>', b'"', b'\'', bytes.get(at..)?)?;
        match bytes[found] {
            b'>' => return Some(found),
            quote => at = found + 1 + memchr::memchr(quote, &bytes[found + 1..])? + 1,
        }
    }
}

/// A start or end tag.
struct Tag<'a> {
    /// The name, lowercased (empty for names longer than any tag that matters here).
    name: Cow<'a, str>,
    closing: bool,
    attributes: &'a str,
}

impl<'a> Tag<'a> {
    const LONGEST_NAME: usize = 12;

    fn parse(inner: &'a str) -> Tag<'a> {
        let closing = inner.starts_with('/');
        let body = inner.trim_start_matches('/');
        // Pages have thousands of tags (highlighted code is all spans): read by bytes, and
        // copy a name only when it has capitals.
        let name_end = body
            .bytes()
            .position(|b| b.is_ascii_whitespace() || b == b'/')
            .unwrap_or(body.len());
        let written = &body[..name_end];
        let name = if name_end > Tag::LONGEST_NAME {
            Cow::Borrowed("")
        } else if written.bytes().any(|b| b.is_ascii_uppercase()) {
            Cow::Owned(written.to_ascii_lowercase())
        } else {
            Cow::Borrowed(written)
        };
        Tag {
            name,
            closing,
            attributes: &body[name_end..],
        }
    }

    fn name(&self) -> &str {
        &self.name
    }

    /// The value of a double-quoted attribute.
    fn attribute(&self, name: &str) -> Option<&'a str> {
        let mut rest = self.attributes;
        loop {
            let at = rest.find(name)?;
            let after = &rest[at + name.len()..];
            let boundary = at == 0 || rest.as_bytes()[at - 1].is_ascii_whitespace();
            if boundary && let Some(value) = after.strip_prefix("=\"") {
                return value.find('"').map(|end| &value[..end]);
            }
            rest = after;
        }
    }

    fn has_class(&self, class: &str) -> bool {
        self.attribute("class")
            .is_some_and(|classes| classes.split_whitespace().any(|c| c == class))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::config::SiteConfig;
    use crate::markdown::{self, MarkdownContext, SiteIndex, highlight::CodeThemes};

    /// `html` cut into sections at headings of level `max_level` or higher (h1..hN), as
    /// raw HTML in a page is read.
    fn sections(html: &str, max_level: u8) -> Vec<Section> {
        let mut writer = SectionWriter::new(max_level);
        writer.html(html);
        writer.finish()
    }

    /// The sections the Markdown writer tells a [`SectionWriter`], and the HTML it wrote.
    fn told_while_writing(body: &str) -> (Vec<Section>, String) {
        let config = SiteConfig::default();
        let callouts = config.callouts();
        let code_themes = CodeThemes::new("InspiredGitHub", "OneHalfDark").unwrap();
        let site = SiteIndex::default();
        let context = MarkdownContext {
            config: &config.markdown,
            callouts: &callouts,
            site: &site,
            code_themes: &code_themes,
        };
        let mut writer = SectionWriter::new(3);
        let rendered = markdown::render(body, "", &context, Some(&mut writer));
        (writer.finish(), rendered.html)
    }

    #[test]
    fn text_told_while_writing_is_the_text_of_the_html() {
        let body = "Intro with `code` and **bold** &amp; \\&lt; more.\n\n\
            ## Set *up* {#setup}\n\n| a | b |\n|---|---|\n| 1 | 2 |\n\n\
            ```rust\nfn main() { let x = 1 < 2; }\n```\n\n\
            Careful here.\n{: .warning }\n\n\
            <div class=\"raw\"\n  data-x=\"1\">Raw <b>html</b><script>no()</script></div>\n\n\
            #### Deep\n\n- item one\n- item two\n\n![alt text](a.png)\n\n\
            ### Last\n\nTerm\n: Definition\nline  \nbreak\n";
        let (told, html) = told_while_writing(body);
        assert_eq!(told, sections(&html, 3), "{html}");
        assert_eq!(told.len(), 3);
        assert_eq!(told[0].text, "Intro with code and bold & &lt; more.");
        assert_eq!(told[1].title.as_deref(), Some("Set up"));
        assert_eq!(told[1].anchor.as_deref(), Some("setup"));
        assert_eq!(
            told[1].text,
            "a b 1 2 fn main() { let x = 1 < 2; } Warning Careful here. Raw html Deep item one item two"
        );
        assert_eq!(told[2].text, "Term Definition line break");
    }

    #[test]
    fn runs_of_spaces_of_any_kind_become_one() {
        let mut text = String::new();
        push_text(&mut text, "  a  b\u{a0}\u{2003}c\u{3000}", false);
        push_text(&mut text, " é\u{e9}ü 中&amp; ", false);
        push_text(&mut text, "\u{85}x&amp;&nbsp;y &lt;", true);
        assert_eq!(text, "a b c ééü 中&amp; x& y <");
    }

    #[test]
    fn footnotes_are_text_where_they_are_defined() {
        let (told, _) = told_while_writing("A claim[^1].\n\n## Notes\n\n[^1]: The source.\n");
        assert_eq!(told[0].text, "A claim.");
        assert_eq!(told[1].text, "The source.");
    }

    #[test]
    fn pages_are_cut_at_headings() {
        let html = "<p>Intro &amp; more.</p>\n<h2 id=\"setup\"><a href=\"#setup\" class=\"anchor-heading\" aria-labelledby=\"setup\"><span aria-hidden=\"true\">#</span></a>Set up</h2>\n<p>Install it.</p><h4 id=\"deep\">Deep</h4><p>Still setup.</p><h3 id=\"use\">Use <code>it</code></h3><div class=\"code-block\"><pre><code><span class=\"l1\">SET</span> key NX PX</code></pre></div><table><tr><td>a</td><td>b</td></tr></table>";
        let found = sections(html, 3);
        assert_eq!(found.len(), 3);
        assert_eq!(
            found[0],
            Section {
                title: None,
                anchor: None,
                text: "Intro & more.".into()
            }
        );
        assert_eq!(found[1].title.as_deref(), Some("Set up"));
        assert_eq!(found[1].anchor.as_deref(), Some("setup"));
        assert_eq!(found[1].text, "Install it. Deep Still setup.");
        assert_eq!(found[2].title.as_deref(), Some("Use it"));
        assert_eq!(found[2].text, "SET key NX PX a b");
    }

    #[test]
    fn pages_starting_with_a_heading_and_scripts() {
        let found = sections(
            "<h1 id=\"t\">Title</h1><p>x<script>var a = '<p>';</script>y</p>",
            2,
        );
        assert_eq!(found.len(), 2);
        assert_eq!(found[0].text, "");
        assert_eq!(found[1].title.as_deref(), Some("Title"));
        assert_eq!(found[1].text, "xy");
    }

    #[test]
    fn capitals_quotes_and_spaces_of_every_kind() {
        let found = sections(
            "<P data-x=\"a>b\" title='c>d'>One&nbsp;two\u{2003}three\n\t four</P><H2 data-id=\"no\" id=\"yes\">Head</H2>x",
            3,
        );
        assert_eq!(found.len(), 2);
        assert_eq!(found[0].text, "One two three four");
        assert_eq!(found[1].anchor.as_deref(), Some("yes"));
        assert_eq!(found[1].title.as_deref(), Some("Head"));
        assert_eq!(found[1].text, "x");
    }
}
