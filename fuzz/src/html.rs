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
    if !body.contains("<!--folio") {
        assert!(
            !html.contains("<!--folio"),
            "a marker of folio's left in the page"
        );
    }
    if body.contains('<') {
        return;
    }
    for (_, value) in fuzzing::html_links(html) {
        assert!(!runs_script(&value), "a link that runs script: {value:?}");
    }
    let mut open: Vec<&str> = Vec::new();
    let mut rest = html;
    while let Some(at) = rest.find('<') {
        let tag_and_after = &rest[at + 1..];
        let end = tag_end(tag_and_after)
            .unwrap_or_else(|| panic!("an unclosed tag at {:?}", &rest[at..]));
        let tag = &tag_and_after[..end];
        rest = &tag_and_after[end + 1..];
        let (closing, tag) = match tag.strip_prefix('/') {
            Some(tag) => (true, tag),
            None => (false, tag),
        };
        let name_end = tag
            .find(|c: char| c.is_whitespace() || c == '/')
            .unwrap_or(tag.len());
        let name = &tag[..name_end];
        assert!(
            FOLIO_ELEMENTS.contains(&name),
            "element <{name}> from a page without raw HTML"
        );
        if closing {
            let last = open.pop();
            assert_eq!(last, Some(name), "</{name}> closes {last:?}");
        } else if !VOID.contains(&name) && !tag.ends_with('/') {
            open.push(name);
        }
    }
    assert!(open.is_empty(), "elements left open: {open:?}");
}

/// The index of the `>` that ends a tag, skipping quoted attribute values.
fn tag_end(tag: &str) -> Option<usize> {
    let mut quote = None;
    for (index, c) in tag.char_indices() {
        match (quote, c) {
            (None, '"' | '\'') => quote = Some(c),
            (Some(q), c) if c == q => quote = None,
            (None, '>') => return Some(index),
            (None, '<') => return None,
            _ => {}
        }
    }
    None
}
