//! What a reader sees of a page, told to a [`TextSink`] while the page is written.

use pulldown_cmark::{Tag, TagEnd};

use super::Writer;
use crate::markdown::attributes::Attrs;
use crate::markdown::events::is_inline;

/// Told what a reader sees of a page while it is written: its text (code as plain text),
/// its raw HTML, where words break and where headings start and end. Search builds its
/// sections this way instead of reading the page's HTML again, where highlighted code is
/// thousands of spans.
pub trait TextSink {
    /// Text as the reader sees it (not HTML: `&amp;` here is five characters).
    fn text(&mut self, text: &str);
    /// Raw HTML of the page, copied into it as written.
    fn html(&mut self, html: &str);
    /// A place where words never run together (a block starts or ends, a line breaks).
    fn boundary(&mut self);
    fn heading_start(&mut self, level: u8, id: Option<&str>);
    fn heading_end(&mut self);
}

impl Writer<'_, '_, '_, '_> {
    pub(super) fn tell_text(&mut self, text: &str) {
        if let Some(sink) = &mut self.sink {
            sink.text(text);
        }
    }

    /// Tells the sink `text` as words of their own (inline code, a callout's title).
    pub(super) fn tell_text_apart(&mut self, text: &str) {
        if let Some(sink) = &mut self.sink {
            sink.boundary();
            sink.text(text);
            sink.boundary();
        }
    }

    pub(super) fn tell_html(&mut self, html: &str) {
        if let Some(sink) = &mut self.sink {
            sink.html(html);
        }
    }

    pub(super) fn break_words(&mut self) {
        if let Some(sink) = &mut self.sink {
            sink.boundary();
        }
    }

    /// Tells the sink where a block or heading starts (everything but inline elements).
    pub(super) fn tell_start(&mut self, tag: &Tag<'_>, attrs: Option<&Attrs>) {
        let Some(sink) = &mut self.sink else { return };
        match tag {
            Tag::Heading { level, .. } => {
                sink.heading_start(*level as u8, attrs.and_then(|a| a.id.as_deref()))
            }
            tag if is_inline(tag) => {}
            _ => sink.boundary(),
        }
    }

    pub(super) fn tell_end(&mut self, tag: &TagEnd) {
        let Some(sink) = &mut self.sink else { return };
        match tag {
            TagEnd::Heading(_) => sink.heading_end(),
            TagEnd::Emphasis
            | TagEnd::Strong
            | TagEnd::Strikethrough
            | TagEnd::Superscript
            | TagEnd::Subscript
            | TagEnd::Link
            | TagEnd::Image => {}
            _ => sink.boundary(),
        }
    }
}
