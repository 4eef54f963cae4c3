//! The text of a rendered page, cut into sections at its headings: what readers find. Built
//! from the page's HTML, so code, tables and callouts are searchable as the text they show.

/// A part of a page: the text under one heading (the first one is the text before any).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Section {
    /// The heading; `None` for the text before the first heading.
    pub title: Option<String>,
    /// The heading's id.
    pub anchor: Option<String>,
    pub text: String,
}

/// Tags after which words never run together.
const BLOCK_TAGS: &[&str] = &[
    "p",
    "div",
    "li",
    "td",
    "th",
    "tr",
    "br",
    "pre",
    "dt",
    "dd",
    "blockquote",
    "section",
    "table",
    "ul",
    "ol",
    "hr",
    "h1",
    "h2",
    "h3",
    "h4",
    "h5",
    "h6",
    "summary",
    "details",
    "figcaption",
    "code",
];

/// Cuts `html` into sections at headings of level `max_level` or higher (h1..hN).
pub fn sections(html: &str, max_level: u8) -> Vec<Section> {
    let mut sections = vec![Section {
        title: None,
        anchor: None,
        text: String::new(),
    }];
    let mut heading: Option<(u8, String, Option<String>)> = None;
    let mut skip_until: Option<&'static str> = None;
    let mut rest = html;
    while !rest.is_empty() {
        let Some(open) = rest.find('<') else {
            push_text(current_text(&mut sections, &mut heading), rest);
            break;
        };
        if skip_until.is_none() {
            push_text(current_text(&mut sections, &mut heading), &rest[..open]);
        }
        let after = &rest[open..];
        let Some(close) = tag_end(after) else {
            break;
        };
        let tag = Tag::parse(&after[1..close]);
        rest = &after[close + 1..];
        if let Some(end) = skip_until {
            if tag.closing && tag.name() == end {
                skip_until = None;
            }
            continue;
        }
        match tag.name() {
            "script" | "style" if !tag.closing => {
                skip_until = Some(if tag.name() == "script" {
                    "script"
                } else {
                    "style"
                })
            }
            "a" if !tag.closing && tag.has_class("anchor-heading") => skip_until = Some("a"),
            name if heading_level(name).is_some_and(|level| level <= max_level) => {
                let level = heading_level(name).unwrap_or(1);
                if tag.closing {
                    if let Some((_, title, anchor)) = heading.take() {
                        sections.push(Section {
                            title: Some(collapse(&title)),
                            anchor,
                            text: String::new(),
                        });
                    }
                } else {
                    heading = Some((
                        level,
                        String::new(),
                        tag.attribute("id").map(decode_entities),
                    ));
                }
            }
            name if BLOCK_TAGS.contains(&name) => {
                current_text(&mut sections, &mut heading).push(' ')
            }
            _ => {}
        }
    }
    for section in &mut sections {
        section.text = collapse(&section.text);
    }
    // The first section stands for the page itself (its title counts there), even when no
    // text comes before the first heading.
    sections
}

fn current_text<'s>(
    sections: &'s mut [Section],
    heading: &'s mut Option<(u8, String, Option<String>)>,
) -> &'s mut String {
    match heading {
        Some((_, title, _)) => title,
        None => &mut sections.last_mut().expect("there is always a section").text,
    }
}

fn push_text(target: &mut String, text: &str) {
    if text.contains('&') {
        target.push_str(&decode_entities(text));
    } else {
        target.push_str(text);
    }
}

fn heading_level(name: &str) -> Option<u8> {
    let digit = name.strip_prefix('h')?;
    let level: u8 = digit.parse().ok()?;
    (name.len() == 2 && (1..=6).contains(&level)).then_some(level)
}

/// The index of the `>` closing the tag that starts `text` (quotes respected).
fn tag_end(text: &str) -> Option<usize> {
    let mut quote: Option<u8> = None;
    for (index, byte) in text.bytes().enumerate().skip(1) {
        match (quote, byte) {
            (Some(q), b) if b == q => quote = None,
            (None, b'"' | b'\'') => quote = Some(byte),
            (None, b'>') => return Some(index),
            _ => {}
        }
    }
    None
}

/// A start or end tag.
struct Tag<'a> {
    /// The name, lowercased (names longer than any tag that matters here are cut).
    name: [u8; Tag::NAME_BYTES],
    name_length: usize,
    closing: bool,
    attributes: &'a str,
}

impl<'a> Tag<'a> {
    const NAME_BYTES: usize = 12;

    fn parse(inner: &'a str) -> Tag<'a> {
        let closing = inner.starts_with('/');
        let body = inner.trim_start_matches('/');
        let name_end = body
            .find(|c: char| c.is_whitespace() || c == '/')
            .unwrap_or(body.len());
        // Lowercased into a small buffer: pages have thousands of tags (highlighted code is
        // all spans), and allocating each name showed up in profiles.
        let mut name = [0u8; Tag::NAME_BYTES];
        let name_length = name_end.min(Tag::NAME_BYTES);
        for (to, from) in name.iter_mut().zip(body.bytes().take(name_length)) {
            *to = from.to_ascii_lowercase();
        }
        Tag {
            name,
            name_length: if body.is_char_boundary(name_length) {
                name_length
            } else {
                0
            },
            closing,
            attributes: &body[name_end..],
        }
    }

    fn name(&self) -> &str {
        std::str::from_utf8(&self.name[..self.name_length]).unwrap_or("")
    }

    /// The value of a double-quoted attribute.
    fn attribute(&self, name: &str) -> Option<&'a str> {
        let pattern = format!("{name}=\"");
        let start = self.attributes.find(&pattern)? + pattern.len();
        let end = self.attributes[start..].find('"')? + start;
        Some(&self.attributes[start..end])
    }

    fn has_class(&self, class: &str) -> bool {
        self.attribute("class")
            .is_some_and(|classes| classes.split_whitespace().any(|c| c == class))
    }
}

/// Decodes the character references an HTML writer produces.
pub fn decode_entities(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    while let Some(amp) = rest.find('&') {
        out.push_str(&rest[..amp]);
        let after = &rest[amp..];
        let Some(semicolon) = after[..after.len().min(12)].find(';') else {
            out.push('&');
            rest = &after[1..];
            continue;
        };
        let name = &after[1..semicolon];
        let decoded = match name {
            "amp" => Some('&'),
            "lt" => Some('<'),
            "gt" => Some('>'),
            "quot" => Some('"'),
            "apos" => Some('\''),
            "nbsp" => Some(' '),
            _ => name
                .strip_prefix("#x")
                .or_else(|| name.strip_prefix("#X"))
                .and_then(|hex| u32::from_str_radix(hex, 16).ok())
                .or_else(|| name.strip_prefix('#').and_then(|dec| dec.parse().ok()))
                .and_then(char::from_u32),
        };
        match decoded {
            Some(c) => {
                out.push(c);
                rest = &after[semicolon + 1..];
            }
            None => {
                out.push('&');
                rest = &after[1..];
            }
        }
    }
    out.push_str(rest);
    out
}

fn collapse(text: &str) -> String {
    text.split_whitespace().collect::<Vec<_>>().join(" ")
}

#[cfg(test)]
mod tests {
    use super::*;

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
    fn entities() {
        assert_eq!(
            decode_entities("a &lt;b&gt; &#39;c&#x27; &amp;&amp; &unknown; &"),
            "a <b> 'c' && &unknown; &"
        );
    }
}
