//! One page's HTML made fit for the print page: every `id` gets the page's anchor in front
//! (`setup` -> `guide-install--setup`), and so does everything that refers to an id (`#…`
//! links, `for`, `aria-labelledby`, `url(#…)` and `#id` selectors in a diagram's `<style>`);
//! links to pages of the print page go to their sections; relative URLs of raw HTML, which
//! the browser resolved against the page's own URL, become site-absolute.
//!
//! The HTML is the Markdown writer's, with the page's raw HTML in it: tags are read one by
//! one, text is copied as it is.

use std::collections::HashSet;

use super::Book;
use crate::paths::join_relative;

/// What a page's fragment is rewritten with.
pub struct Context<'a> {
    pub book: &'a Book,
    /// The page's section anchor.
    pub anchor: &'a str,
    /// The page's URL (without base path).
    pub page_url: &'a str,
}

/// Attributes whose value is a list of ids.
const ID_LIST_ATTRIBUTES: &[&str] = &[
    "for",
    "aria-labelledby",
    "aria-describedby",
    "aria-controls",
    "aria-owns",
    "aria-activedescendant",
    "headers",
    "list",
    "form",
];

/// Appends `html`, rewritten for the print page, to `out`.
pub fn rewrite(html: &str, context: &Context<'_>, out: &mut String) {
    let ids = ids_of(html);
    let mut rest = html;
    while let Some(open) = memchr::memchr(b'<', rest.as_bytes()) {
        out.push_str(&rest[..open]);
        rest = &rest[open..];
        if let Some(end) = plain_tag(rest) {
            out.push_str(&rest[..end]);
            rest = &rest[end..];
            continue;
        }
        if let Some(comment) = rest.strip_prefix("<!--") {
            let end = comment.find("-->").map_or(rest.len(), |i| i + 4 + 3);
            out.push_str(&rest[..end]);
            rest = &rest[end..];
            continue;
        }
        let Some(tag) = read_tag(rest) else {
            out.push('<');
            rest = &rest[1..];
            continue;
        };
        write_tag(&rest[..tag.end], &tag, context, &ids, out);
        rest = &rest[tag.end..];
        // The text of <style> and <script> is not HTML.
        if let Some(element) = tag.name.filter(|_| !tag.closing) {
            let lower = element.to_ascii_lowercase();
            if lower == "style" || lower == "script" {
                let close = format!("</{lower}");
                let end = find_ignore_case(rest, &close).unwrap_or(rest.len());
                if lower == "style" {
                    rewrite_css(&rest[..end], context.anchor, &ids, out);
                } else {
                    out.push_str(&rest[..end]);
                }
                rest = &rest[end..];
            }
        }
    }
    out.push_str(rest);
}

fn find_ignore_case(text: &str, needle: &str) -> Option<usize> {
    let lower = text.to_ascii_lowercase();
    lower.find(needle)
}

/// The length of the tag at the start of `text` when it has nothing to rewrite and no id: an
/// end tag, or a start tag with at most a `class` — most tags of a page (a highlighted code
/// block is mostly `<span class="…">`), read here without `read_tag`'s work.
fn plain_tag(text: &str) -> Option<usize> {
    let bytes = text.as_bytes();
    let closing = bytes.get(1) == Some(&b'/');
    let name_start = 1 + usize::from(closing);
    let name_end = name_start
        + bytes[name_start..]
            .iter()
            .take_while(|b| b.is_ascii_alphanumeric())
            .count();
    let name = &text[name_start..name_end];
    if name.is_empty() || name.eq_ignore_ascii_case("style") || name.eq_ignore_ascii_case("script")
    {
        return None;
    }
    let rest = &text[name_end..];
    if rest.starts_with('>') {
        return Some(name_end + 1);
    }
    let value = rest.strip_prefix(" class=\"").filter(|_| !closing)?;
    let length = memchr::memchr2(b'"', b'(', value.as_bytes())?;
    if value[length..].starts_with("\">") {
        // `"` + `">`: the class value and its end.
        Some(name_end + " class=\"".len() + length + 2)
    } else {
        None
    }
}

/// A tag as read: where it ends, its name, and its attributes' places.
struct Tag<'t> {
    end: usize,
    name: Option<&'t str>,
    closing: bool,
    attributes: Vec<Attribute<'t>>,
}

struct Attribute<'t> {
    name: &'t str,
    /// Byte range of the value inside the tag's text (without quotes).
    value: Option<(usize, usize)>,
}

/// Reads the tag at the start of `text` (which starts with `<`); `None` when it is no tag
/// (a `<` in text).
fn read_tag(text: &str) -> Option<Tag<'_>> {
    let bytes = text.as_bytes();
    let mut at = 1;
    let closing = bytes.get(at) == Some(&b'/');
    if closing {
        at += 1;
    }
    let name_start = at;
    while at < bytes.len() && (bytes[at].is_ascii_alphanumeric() || bytes[at] == b'-') {
        at += 1;
    }
    if at == name_start {
        // `<!DOCTYPE`, `<?…` or a lone `<`.
        if matches!(bytes.get(1), Some(b'!' | b'?')) {
            let end = text.find('>').map_or(text.len(), |i| i + 1);
            return Some(Tag {
                end,
                name: None,
                closing: false,
                attributes: Vec::new(),
            });
        }
        return None;
    }
    let name = &text[name_start..at];
    let mut attributes = Vec::new();
    loop {
        while at < bytes.len() && (bytes[at].is_ascii_whitespace() || bytes[at] == b'/') {
            at += 1;
        }
        match bytes.get(at) {
            None => return None,
            Some(b'>') => {
                return Some(Tag {
                    end: at + 1,
                    name: Some(name),
                    closing,
                    attributes,
                });
            }
            _ => {}
        }
        let attribute_start = at;
        while at < bytes.len()
            && !bytes[at].is_ascii_whitespace()
            && !matches!(bytes[at], b'=' | b'>' | b'/')
        {
            at += 1;
        }
        let attribute_name = &text[attribute_start..at];
        while at < bytes.len() && bytes[at].is_ascii_whitespace() {
            at += 1;
        }
        if bytes.get(at) != Some(&b'=') {
            if at == attribute_start {
                at += 1;
            }
            attributes.push(Attribute {
                name: attribute_name,
                value: None,
            });
            continue;
        }
        at += 1;
        while at < bytes.len() && bytes[at].is_ascii_whitespace() {
            at += 1;
        }
        let value = match bytes.get(at) {
            Some(&quote @ (b'"' | b'\'')) => {
                let start = at + 1;
                let length = memchr::memchr(quote, &bytes[start..])?;
                at = start + length + 1;
                (start, start + length)
            }
            Some(_) => {
                let start = at;
                while at < bytes.len() && !bytes[at].is_ascii_whitespace() && bytes[at] != b'>' {
                    at += 1;
                }
                (start, at)
            }
            None => return None,
        };
        attributes.push(Attribute {
            name: attribute_name,
            value: Some(value),
        });
    }
}

/// Writes the tag `text` with its attributes rewritten.
fn write_tag(
    text: &str,
    tag: &Tag<'_>,
    context: &Context<'_>,
    ids: &HashSet<&str>,
    out: &mut String,
) {
    let mut copied = 0;
    for attribute in &tag.attributes {
        let Some((start, end)) = attribute.value else {
            continue;
        };
        let value = &text[start..end];
        let name = attribute.name.to_ascii_lowercase();
        let rewritten = match name.as_str() {
            "id" => Some(format!("{}--{value}", context.anchor)),
            "href" | "xlink:href" => link(value, context, ids, true),
            "src" | "poster" => link(value, context, ids, false),
            _ if ID_LIST_ATTRIBUTES.contains(&name.as_str()) => Some(
                value
                    .split_ascii_whitespace()
                    .map(|id| prefixed(id, context.anchor, ids))
                    .collect::<Vec<_>>()
                    .join(" "),
            ),
            _ if value.contains("url(#") => Some(rename_urls(value, context.anchor, ids)),
            _ => None,
        };
        if let Some(rewritten) = rewritten {
            out.push_str(&text[copied..start]);
            out.push_str(&rewritten);
            copied = end;
        }
    }
    out.push_str(&text[copied..]);
}

/// `id` with the page's anchor in front when it is an id of the page.
fn prefixed(id: &str, anchor: &str, ids: &HashSet<&str>) -> String {
    if ids.contains(id) {
        format!("{anchor}--{id}")
    } else {
        id.to_string()
    }
}

/// Where a link or a resource URL goes on the print page (`None`: as it is).
fn link(value: &str, context: &Context<'_>, ids: &HashSet<&str>, is_link: bool) -> Option<String> {
    let book = context.book;
    let trimmed = value.trim();
    if let Some(fragment) = trimmed.strip_prefix('#') {
        if !is_link {
            return None;
        }
        // `#` and `#top` go to the top of the page: its section.
        if fragment.is_empty() || (fragment.eq_ignore_ascii_case("top") && !ids.contains("top")) {
            return Some(format!("#{}", context.anchor));
        }
        return Some(format!("#{}--{fragment}", context.anchor));
    }
    if trimmed.is_empty() || trimmed.starts_with("//") || has_scheme(trimmed) {
        return None;
    }
    let (path, fragment) = match trimmed.split_once('#') {
        Some((path, fragment)) => (path, Some(fragment)),
        None => (trimmed, None),
    };
    let (path, query) = match path.split_once('?') {
        Some((path, query)) => (path, Some(query)),
        None => (path, None),
    };
    // The site URL without base path, and whether it had to be resolved (a relative URL).
    let (site_url, relative) = if path.starts_with('/') {
        let inside = path.strip_prefix(book.base_path.as_str())?;
        if !inside.starts_with('/') {
            return None;
        }
        (inside.to_string(), false)
    } else {
        let folder = context
            .page_url
            .rfind('/')
            .map_or("", |slash| &context.page_url[..slash]);
        let mut joined = format!("/{}", join_relative(folder, path)?);
        if (path.ends_with('/') || path.is_empty()) && !joined.ends_with('/') {
            joined.push('/');
        }
        (joined, true)
    };
    if is_link
        && query.is_none()
        && let Some(anchor) = book.anchor_of_url(&site_url)
    {
        return Some(match fragment.filter(|f| !f.is_empty()) {
            Some(fragment) => format!("#{anchor}--{fragment}"),
            None => format!("#{anchor}"),
        });
    }
    if !relative {
        return None;
    }
    let mut absolute = format!("{}{site_url}", book.base_path);
    if let Some(query) = query {
        absolute.push('?');
        absolute.push_str(query);
    }
    if let Some(fragment) = fragment {
        absolute.push('#');
        absolute.push_str(fragment);
    }
    Some(absolute)
}

fn has_scheme(url: &str) -> bool {
    match url.find(':') {
        Some(colon) => {
            let scheme = &url[..colon];
            !scheme.is_empty()
                && scheme.starts_with(|c: char| c.is_ascii_alphabetic())
                && scheme
                    .chars()
                    .all(|c| c.is_ascii_alphanumeric() || matches!(c, '+' | '-' | '.'))
                && !url[..colon].contains('/')
        }
        None => false,
    }
}

/// `url(#id)` references to the page's ids, prefixed.
fn rename_urls(value: &str, anchor: &str, ids: &HashSet<&str>) -> String {
    let mut out = String::with_capacity(value.len() + 16);
    let mut rest = value;
    while let Some(at) = rest.find("url(#") {
        out.push_str(&rest[..at + 5]);
        rest = &rest[at + 5..];
        let end = rest
            .find(|c: char| c == ')' || c == '"' || c == '\'' || c.is_whitespace())
            .unwrap_or(rest.len());
        out.push_str(&prefixed(&rest[..end], anchor, ids));
        rest = &rest[end..];
    }
    out.push_str(rest);
    out
}

/// A `<style>` element's text with `#id` selectors and `url(#id)` of the page's ids
/// prefixed.
fn rewrite_css(css: &str, anchor: &str, ids: &HashSet<&str>, out: &mut String) {
    let mut rest = css;
    while let Some(at) = rest.find('#') {
        out.push_str(&rest[..at + 1]);
        rest = &rest[at + 1..];
        let end = rest
            .find(|c: char| !(c.is_alphanumeric() || c == '-' || c == '_'))
            .unwrap_or(rest.len());
        out.push_str(&prefixed(&rest[..end], anchor, ids));
        rest = &rest[end..];
    }
    out.push_str(rest);
}

/// Every id of the page's HTML, as written.
fn ids_of(html: &str) -> HashSet<&str> {
    let mut ids = HashSet::new();
    let mut rest = html;
    let mut offset = 0;
    while let Some(open) = memchr::memchr(b'<', rest.as_bytes()) {
        let at = offset + open;
        if let Some(end) = plain_tag(&html[at..]) {
            offset = at + end;
            rest = &html[offset..];
            continue;
        }
        match read_tag(&html[at..]) {
            Some(tag) => {
                let text = &html[at..at + tag.end];
                for attribute in &tag.attributes {
                    if attribute.name.eq_ignore_ascii_case("id")
                        && let Some((start, end)) = attribute.value
                    {
                        ids.insert(&text[start..end]);
                    }
                }
                offset = at + tag.end;
            }
            None => offset = at + 1,
        }
        rest = &html[offset..];
    }
    ids
}

#[cfg(test)]
mod plain_tag_tests {
    use super::plain_tag;

    #[test]
    fn end_tags_and_class_only_tags_are_plain() {
        assert_eq!(plain_tag("<span class=\"l3 d5\">x</span>"), Some(20));
        assert_eq!(plain_tag("</span>x"), Some(7));
        assert_eq!(plain_tag("<p>text"), Some(3));
        assert_eq!(plain_tag("<pre class=\"code\"><code>"), Some(18));
    }

    #[test]
    fn tags_with_anything_to_rewrite_are_not() {
        for tag in [
            "<a href=\"#x\">",
            "<span class=\"x\" id=\"y\">",
            "<h2 id=\"setup\">",
            "<style>",
            "</STYLE>",
            "<script>",
            "<g class=\"url(#m)\">",
            "<img src=\"a.png\">",
            "<br/>",
            "< p>",
            "<!-- c -->",
        ] {
            assert_eq!(plain_tag(tag), None, "{tag}");
        }
    }
}
