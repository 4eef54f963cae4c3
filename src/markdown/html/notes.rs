//! Callouts and footnotes: the parts of the writer that look ahead or collect.

use std::borrow::Cow;

use pulldown_cmark::{BlockQuoteKind, Event, Tag};
use pulldown_cmark_escape::escape_html_body_text;

use super::Writer;
use crate::config::Callout;
use crate::markdown::attributes::Attrs;

impl Writer<'_, '_, '_, '_> {
    pub(super) fn callout_of(&self, attrs: &Attrs, quote: bool) -> Option<(Callout, bool)> {
        for class in &attrs.classes {
            if let Some(callout) = self.options.callouts.get(class.as_str()) {
                return Some((callout.clone(), false));
            }
            if quote
                && let Some(name) = class.strip_suffix("-title")
                && let Some(callout) = self.options.callouts.get(name)
            {
                return Some((callout.clone(), true));
            }
        }
        None
    }

    /// Opens the callout box; `quote` for a block quote (children follow), otherwise for a
    /// paragraph (the caller opens the paragraph inside).
    pub(super) fn open_callout(
        &mut self,
        (callout, titled): &(Callout, bool),
        attrs: Option<&Attrs>,
        index: usize,
        quote: bool,
    ) {
        let mut rest = attrs.cloned().unwrap_or_default();
        rest.classes
            .retain(|c| *c != callout.name && *c != format!("{}-title", callout.name));
        let name_class = format!("callout-{}", callout.name);
        let color_class = format!("callout-{}", callout.color);
        self.out.push_str("<div");
        rest.write_html(&mut self.out, &["callout", &name_class, &color_class]);
        self.out.push_str(" role=\"note\">");
        self.closers.push(Cow::Borrowed("</div>\n"));
        let first_paragraph = index + 1;
        if quote
            && *titled
            && matches!(
                self.nodes.get(first_paragraph).map(|n| &n.event),
                Some(Event::Start(Tag::Paragraph))
            )
        {
            self.callout_title_paragraph = Some(first_paragraph);
        } else if !callout.title.is_empty() {
            // An empty title (`title = ""` in site.toml) shows none, as just-the-docs does
            // for callouts configured without one.
            self.out.push_str("\n<p class=\"callout-title\">");
            let _ = escape_html_body_text(&mut self.out, &callout.title);
            self.tell_text_apart(&callout.title);
            self.out.push_str("</p>");
        }
    }

    pub(super) fn footnote_reference(&mut self, label: &str) {
        let id = footnote_id(label);
        let count = self.footnote_numbers.len();
        let (number, uses) = match self
            .footnote_numbers
            .iter_mut()
            .find(|(l, _, _)| l == label)
        {
            Some(entry) => {
                entry.2 += 1;
                (entry.1, entry.2)
            }
            None => {
                self.footnote_numbers
                    .push((label.to_string(), count + 1, 1));
                (count + 1, 1)
            }
        };
        let ref_id = if uses == 1 {
            format!("fnref:{id}")
        } else {
            format!("fnref:{id}:{uses}")
        };
        self.out.push_str(&format!(
            "<sup class=\"footnote-ref\"><a href=\"#fn:{id}\" id=\"{ref_id}\" role=\"doc-noteref\">{number}</a></sup>"
        ));
    }

    pub(super) fn finish_footnotes(&mut self) {
        if self.footnotes.is_empty() {
            return;
        }
        let mut ordered: Vec<(usize, &(String, String))> = self
            .footnotes
            .iter()
            .map(|entry| {
                let number = self
                    .footnote_numbers
                    .iter()
                    .find(|(l, _, _)| *l == entry.0)
                    .map_or(usize::MAX, |(_, n, _)| *n);
                (number, entry)
            })
            .collect();
        ordered.sort_by_key(|(number, _)| *number);
        let mut section =
            String::from("<section class=\"footnotes\" role=\"doc-endnotes\">\n<ol>\n");
        for (number, (label, body)) in ordered {
            let id = footnote_id(label);
            let back = if number == usize::MAX {
                String::new()
            } else {
                format!(
                    " <a href=\"#fnref:{id}\" class=\"reversefootnote\" role=\"doc-backlink\" aria-label=\"Back to reference {number}\">↩</a>"
                )
            };
            let body = body.trim_end();
            let body = match body.strip_suffix("</p>") {
                Some(inner) => format!("{inner}{back}</p>"),
                None => format!("{body}{back}"),
            };
            section.push_str(&format!("<li id=\"fn:{id}\">{body}</li>\n"));
        }
        section.push_str("</ol>\n</section>\n");
        self.out.push_str(&section);
    }
}
/// A footnote label made safe for an id.
pub(super) fn footnote_id(label: &str) -> String {
    label
        .chars()
        .map(|c| {
            if c.is_alphanumeric() || c == '-' || c == '_' {
                c
            } else {
                '-'
            }
        })
        .collect()
}

pub(super) fn alert_name(kind: BlockQuoteKind) -> &'static str {
    match kind {
        BlockQuoteKind::Note => "note",
        BlockQuoteKind::Tip => "tip",
        BlockQuoteKind::Important => "important",
        BlockQuoteKind::Warning => "warning",
        BlockQuoteKind::Caution => "caution",
    }
}
