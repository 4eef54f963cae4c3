//! kramdown abbreviations: `*[HTML]: Hyper Text Markup Language` anywhere in a page makes every
//! `HTML` in the page's text an `<abbr title="Hyper Text Markup Language">` (not in code, raw
//! HTML, or link targets, which are not text).
//!
//! As kramdown matches them (`parser/kramdown/abbreviation.rb`): the longest name first, only
//! where the name is not part of a longer word — the character before it, if any, and the one
//! after it are not ASCII letters, digits or `_` (Ruby's `\w`).

use pulldown_cmark_escape::escape_html_body_text;

use super::attributes::{Attrs, write_attr};

#[derive(Debug, Clone)]
struct Abbreviation {
    name: String,
    title: String,
    attrs: Attrs,
}

/// A page's abbreviations.
#[derive(Debug, Clone, Default)]
pub struct Abbreviations {
    /// Longest name first.
    entries: Vec<Abbreviation>,
}

fn is_word(c: char) -> bool {
    c.is_ascii_alphanumeric() || c == '_'
}

impl Abbreviations {
    pub fn is_empty(&self) -> bool {
        self.entries.is_empty()
    }

    /// Defines `name` (a later definition replaces an earlier one, as in kramdown).
    pub fn define(&mut self, name: &str, title: &str) {
        self.entries.retain(|entry| entry.name != name);
        let at = self
            .entries
            .partition_point(|entry| entry.name.len() >= name.len());
        self.entries.insert(
            at,
            Abbreviation {
                name: name.to_string(),
                title: title.to_string(),
                attrs: Attrs::default(),
            },
        );
    }

    /// Attributes for every `<abbr>` of `name` (an attribute list under the definition).
    pub fn add_attributes(&mut self, name: &str, attrs: &Attrs) {
        if let Some(entry) = self.entries.iter_mut().find(|entry| entry.name == name) {
            entry.attrs.merge(attrs);
        }
    }

    /// The abbreviation whose name starts `text` and ends before a non-word character.
    fn match_at(&self, text: &str) -> Option<&Abbreviation> {
        self.entries.iter().find(|entry| {
            text.starts_with(&entry.name)
                && !text[entry.name.len()..].chars().next().is_some_and(is_word)
        })
    }

    /// Writes `text` as HTML body text, with its abbreviations marked.
    pub fn write_text(&self, text: &str, out: &mut String) {
        let mut written = 0;
        let mut previous: Option<char> = None;
        let mut chars = text.char_indices();
        while let Some((at, c)) = chars.next() {
            let boundary = previous.is_none_or(|p| p == '\n' || !is_word(p));
            previous = Some(c);
            if !boundary {
                continue;
            }
            let Some(entry) = self.match_at(&text[at..]) else {
                continue;
            };
            let _ = escape_html_body_text(&mut *out, &text[written..at]);
            out.push_str("<abbr");
            if !entry.title.is_empty() {
                write_attr(out, "title", &entry.title);
            }
            entry.attrs.write_html(out, &[]);
            out.push('>');
            let _ = escape_html_body_text(&mut *out, &entry.name);
            out.push_str("</abbr>");
            written = at + entry.name.len();
            // Go on after the abbreviation; its last character is what comes before the next.
            while chars.offset() < written {
                previous = chars.next().map(|(_, c)| c);
            }
        }
        let _ = escape_html_body_text(&mut *out, &text[written..]);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn marked(text: &str) -> String {
        let mut abbreviations = Abbreviations::default();
        abbreviations.define("HTML", "Hyper Text Markup Language");
        abbreviations.define("HTML5", "");
        abbreviations.define("W3C", "World Wide Web Consortium");
        let mut out = String::new();
        abbreviations.write_text(text, &mut out);
        out
    }

    #[test]
    fn whole_words_only_longest_first() {
        assert_eq!(
            marked("HTML and XHTML, HTML5 (HTML)"),
            "<abbr title=\"Hyper Text Markup Language\">HTML</abbr> and XHTML, <abbr>HTML5</abbr> (<abbr title=\"Hyper Text Markup Language\">HTML</abbr>)"
        );
        // Non-ASCII letters are not word characters for kramdown.
        assert_eq!(
            marked("éHTML HTMLs"),
            "é<abbr title=\"Hyper Text Markup Language\">HTML</abbr> HTMLs"
        );
        assert_eq!(
            marked("W3CW3C <W3C>"),
            "W3CW3C &lt;<abbr title=\"World Wide Web Consortium\">W3C</abbr>&gt;"
        );
    }
}
