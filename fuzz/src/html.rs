//! Checks on the HTML folio writes, by a reader of its own (not folio's), so that a mistake
//! in folio's escaping is not repeated by the check.

use folio::fuzzing;

/// Whether a browser would run `url` as script when it is followed (an `href`) or loaded:
/// the URL parser drops leading and trailing C0 controls and spaces and every tab and line
/// break, and schemes are case-insensitive. `data:` URLs other than images count too, as
/// folio refuses them.
pub fn runs_script(url: &str) -> bool {
    let cleaned: String = url
        .trim_matches(|c: char| c <= ' ')
        .chars()
        .filter(|c| !matches!(c, '\t' | '\n' | '\r'))
        .collect();
    let Some((scheme, rest)) = cleaned.split_once(':') else {
        return false;
    };
    let is_scheme = scheme.starts_with(|c: char| c.is_ascii_alphabetic())
        && scheme
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, '+' | '-' | '.'));
    if !is_scheme {
        return false;
    }
    match scheme.to_ascii_lowercase().as_str() {
        "javascript" | "vbscript" => true,
        "data" => !rest.to_ascii_lowercase().starts_with("image/"),
        _ => false,
    }
}

/// ` id="…" class="…" key="…"`: each attribute a name and a double-quoted value with no
/// quote, `<` or `>` left unescaped.
pub fn assert_attributes(html: &str) {
    let mut rest = html;
    while !rest.is_empty() {
        rest = rest
            .strip_prefix(' ')
            .unwrap_or_else(|| panic!("attributes not separated by a space: {html:?}"));
        let (name, after) = rest
            .split_once("=\"")
            .unwrap_or_else(|| panic!("an attribute without a value: {html:?}"));
        assert!(
            is_attribute_name(name),
            "attribute name {name:?} in {html:?}"
        );
        let (value, after) = after
            .split_once('"')
            .unwrap_or_else(|| panic!("an unclosed attribute value: {html:?}"));
        assert!(!value.contains(['<', '>']), "unescaped value {value:?}");
        rest = after;
    }
}

fn is_attribute_name(name: &str) -> bool {
    !name.is_empty()
        && !name.contains(|c: char| {
            c.is_whitespace() || c.is_control() || matches!(c, '"' | '\'' | '<' | '>' | '/' | '=')
        })
}

/// Elements that have no end tag.
const VOID: &[&str] = &["br", "hr", "img", "input", "wbr", "col", "source"];

/// The elements folio writes for Markdown: anything else comes from the page's raw HTML.
const FOLIO_ELEMENTS: &[&str] = &[
    "p",
    "h1",
    "h2",
    "h3",
    "h4",
    "h5",
    "h6",
    "a",
    "em",
    "strong",
    "del",
    "code",
    "pre",
    "span",
    "ul",
    "ol",
    "li",
    "blockquote",
    "table",
    "thead",
    "tbody",
    "tr",
    "th",
    "td",
    "img",
    "hr",
    "br",
    "sup",
    "div",
    "dl",
    "dt",
    "dd",
    "input",
    "section",
    "svg",
    "use",
    "nav",
    "label",
    "abbr",
];

/// What a rendered page may contain: `<script` only where the page's raw HTML had it. A page
/// with no `<` at all has no raw HTML, so then every tag is folio's own: known elements,
/// properly nested, with quoted attributes and no link that runs script.
pub fn assert_page_markup(body: &str, html: &str) {
    if !body.to_ascii_lowercase().contains("<script") {
        assert!(
            !html.to_ascii_lowercase().contains("<script"),
            "a script element the page did not write"
        );
    }
    if !has_marker(body) {
        assert!(!has_marker(html), "a marker of folio's left in the page");
    }
    if body.contains('<') {
        return;
    }
    for (_, value) in fuzzing::html_links(html) {
        assert!(!runs_script(&value), "a link that runs script: {value:?}");
    }
    let math = fuzzing::math_elements();
    let mut open: Vec<String> = Vec::new();
    let mut rest = html;
    while let Some(at) = rest.find('<') {
        let tag = read_tag(&rest[at + 1..])
            .unwrap_or_else(|| panic!("an unclosed tag at {:?}", &rest[at..]));
        rest = &rest[at + 1 + tag.length..];
        let name = tag.name.as_str();
        assert!(
            FOLIO_ELEMENTS.contains(&name) || math.contains(&name),
            "element <{name}> from a page without raw HTML"
        );
        for attribute in &tag.attributes {
            assert!(
                is_attribute_name(attribute),
                "attribute {attribute:?} of <{name}> is no plain name"
            );
            assert!(
                !attribute.to_ascii_lowercase().starts_with("on"),
                "event handler {attribute:?} on <{name}> from a page without raw HTML"
            );
        }
        if tag.is_end {
            let last = open.pop();
            assert_eq!(last.as_deref(), Some(name), "</{name}> closes {last:?}");
        } else if !VOID.contains(&name) && !tag.self_closing {
            open.push(tag.name);
        }
    }
    assert!(open.is_empty(), "elements left open: {open:?}");
}

/// Whether `text` holds what starts one of folio's markers: `<!--folio`, digits, `:` (a page
/// may well write `<!--folio` itself, around an extension for instance).
fn has_marker(text: &str) -> bool {
    text.match_indices("<!--folio").any(|(at, found)| {
        let rest = text[at + found.len()..].trim_start_matches(|c: char| c.is_ascii_digit());
        rest.starts_with(':')
    })
}

/// A tag as a browser's tokenizer reads it.
struct TagRead {
    is_end: bool,
    name: String,
    attributes: Vec<String>,
    self_closing: bool,
    /// Bytes from after `<` to after `>`.
    length: usize,
}

fn is_tag_space(c: char) -> bool {
    matches!(c, ' ' | '\t' | '\n' | '\u{c}' | '\r')
}

/// Reads a tag from after its `<`: the name, then attribute names (each with an optional
/// `=` and a quoted or bare value) up to `>`; `None` when no `>` ends it.
fn read_tag(text: &str) -> Option<TagRead> {
    let (is_end, mut rest) = match text.strip_prefix('/') {
        Some(after) => (true, after),
        None => (false, text),
    };
    let name_end = rest.find(|c: char| is_tag_space(c) || c == '/' || c == '>')?;
    let name = rest[..name_end].to_string();
    rest = &rest[name_end..];
    let mut attributes = Vec::new();
    let mut self_closing = false;
    loop {
        rest = rest.trim_start_matches(is_tag_space);
        if let Some(after) = rest.strip_prefix('>') {
            let length = text.len() - after.len();
            return Some(TagRead {
                is_end,
                name,
                attributes,
                self_closing,
                length,
            });
        }
        if let Some(after) = rest.strip_prefix('/') {
            self_closing = after.starts_with('>');
            rest = after;
            continue;
        }
        // A name runs to a space, `/`, `>` or `=` (an `=` first is part of it).
        let end = rest
            .char_indices()
            .skip(1)
            .find(|&(_, c)| is_tag_space(c) || matches!(c, '/' | '>' | '='))
            .map_or(rest.len(), |(i, _)| i);
        if end == 0 {
            return None;
        }
        attributes.push(rest[..end].to_string());
        rest = rest[end..].trim_start_matches(is_tag_space);
        if let Some(after) = rest.strip_prefix('=') {
            rest = after.trim_start_matches(is_tag_space);
            rest = match rest.chars().next()? {
                quote @ ('"' | '\'') => {
                    let close = rest[1..].find(quote)?;
                    &rest[1 + close + 1..]
                }
                _ => {
                    let end = rest.find(|c: char| is_tag_space(c) || c == '>')?;
                    &rest[end..]
                }
            };
        }
    }
}
