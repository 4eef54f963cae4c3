//! The renderer's MathML rebuilt from an allow-list. `pulldown-latex` writes its own markup
//! correctly but copies parts of a formula into it unescaped (`\operatorname{<b>}` becomes
//! `<mi><b></mi>`), so its output cannot be trusted as HTML. Here every `<` that does not
//! start one of the renderer's MathML tags, with only the renderer's attributes and values of
//! the shapes it writes, becomes text; whatever a formula says, no HTML element, event
//! handler, link or style beyond colours and lengths can get into the page.

use std::fmt::Write as _;

/// The elements the renderer writes inside `<math>` (not `math` itself: folio writes that,
/// so a formula cannot end its own element).
pub(super) const ELEMENTS: &[&str] = &[
    "merror",
    "mfrac",
    "mi",
    "mn",
    "mo",
    "mover",
    "mpadded",
    "mroot",
    "mrow",
    "mspace",
    "msqrt",
    "mstyle",
    "msub",
    "msubsup",
    "msup",
    "mtable",
    "mtd",
    "mtext",
    "mtr",
    "munder",
    "munderover",
];

/// The attributes the renderer writes. `style` is checked declaration by declaration.
const ATTRIBUTES: &[&str] = &[
    "class",
    "columnalign",
    "depth",
    "displaystyle",
    "height",
    "largeop",
    "linethickness",
    "lspace",
    "mathvariant",
    "maxsize",
    "minsize",
    "movablelimits",
    "rspace",
    "scriptlevel",
    "stretchy",
    "style",
    "symmetric",
    "width",
];

/// The style properties the renderer sets (colours, borders, lengths).
const STYLE_PROPERTIES: &[&str] = &[
    "background-color",
    "border",
    "border-color",
    "color",
    "height",
    "margin-left",
];

/// The entities the renderer writes; any other `&` is text.
const ENTITIES: &[&str] = &["&amp;", "&lt;", "&gt;", "&quot;", "&nbsp;"];

/// Appends `mathml` (the inside of the renderer's `<math>`) to `out`, its own tags kept and
/// everything else escaped as text.
pub(super) fn rewrite(mathml: &str, out: &mut String) {
    let mut rest = mathml;
    while let Some(at) = rest.find(['<', '>', '&', '"']) {
        out.push_str(&rest[..at]);
        let tail = &rest[at..];
        let taken = match tail.as_bytes()[0] {
            b'<' => copy_tag(tail, out).unwrap_or_else(|| {
                out.push_str("&lt;");
                1
            }),
            b'&' => match ENTITIES.iter().find(|entity| tail.starts_with(*entity)) {
                Some(entity) => {
                    out.push_str(entity);
                    entity.len()
                }
                None => {
                    out.push_str("&amp;");
                    1
                }
            },
            b'>' => {
                out.push_str("&gt;");
                1
            }
            _ => {
                out.push_str("&quot;");
                1
            }
        };
        rest = &tail[taken..];
    }
    out.push_str(rest);
}

/// Copies the allowed tag at the start of `text` to `out` and returns its length; `None`
/// (and nothing copied) when it is not one. Attributes are written one space apart: the
/// renderer sometimes leaves the space out, which HTML parsers forgive but checkers do not.
fn copy_tag(text: &str, out: &mut String) -> Option<usize> {
    let bytes = text.as_bytes();
    let mut at = 1;
    let closing = bytes.get(at) == Some(&b'/');
    if closing {
        at += 1;
    }
    let name = word(&text[at..]);
    if !ELEMENTS.contains(&name) {
        return None;
    }
    at += name.len();
    if closing {
        if bytes.get(at) != Some(&b'>') {
            return None;
        }
        out.push_str(&text[..=at]);
        return Some(at + 1);
    }
    let mut tag = String::with_capacity(64);
    tag.push('<');
    tag.push_str(name);
    loop {
        while bytes.get(at) == Some(&b' ') {
            at += 1;
        }
        let end = match bytes.get(at)? {
            b'>' => Some(">"),
            b'/' if bytes.get(at + 1) == Some(&b'>') => Some(" />"),
            _ => None,
        };
        if let Some(end) = end {
            tag.push_str(end);
            out.push_str(&tag);
            return Some(at + end.trim_start().len());
        }
        let attribute = word(&text[at..]);
        if !ATTRIBUTES.contains(&attribute) {
            return None;
        }
        at += attribute.len();
        let value_start = at + 2;
        if text.get(at..value_start) != Some("=\"") {
            return None;
        }
        let value_length = text[value_start..].find('"')?;
        let value = &text[value_start..value_start + value_length];
        let allowed = if attribute == "style" {
            value.split(';').all(safe_declaration)
        } else {
            value
                .bytes()
                .all(|b| b.is_ascii_alphanumeric() || matches!(b, b' ' | b'.' | b'-' | b'%'))
        };
        if !allowed {
            return None;
        }
        tag.push(' ');
        tag.push_str(attribute);
        tag.push_str("=\"");
        push_in_em(value, &mut tag);
        tag.push('"');
        at = value_start + value_length + 1;
    }
}

/// Pushes `value` with TeX's math units (`3mu`, 1/18 of an em), which CSS does not have, in
/// ems.
fn push_in_em(value: &str, out: &mut String) {
    let mut first = true;
    for token in value.split(' ') {
        if !first {
            out.push(' ');
        }
        first = false;
        match token.strip_suffix("mu").and_then(|n| n.parse::<f64>().ok()) {
            Some(mu) => {
                let em = (mu / 18.0 * 10_000.0).round() / 10_000.0;
                let _ = write!(out, "{em}em");
            }
            None => out.push_str(token),
        }
    }
}

/// The lowercase ASCII letters (and hyphens) at the start of `text`.
fn word(text: &str) -> &str {
    let length = text
        .bytes()
        .take_while(|b| b.is_ascii_lowercase() || *b == b'-')
        .count();
    &text[..length]
}

/// `property: value` with a property from the list and a value made of lengths, `#hex`
/// colours, `rgb(…)` of numbers and the words `solid` and `dashed`.
fn safe_declaration(declaration: &str) -> bool {
    let declaration = declaration.trim();
    if declaration.is_empty() {
        return true;
    }
    let Some((property, value)) = declaration.split_once(':') else {
        return false;
    };
    if !STYLE_PROPERTIES.contains(&property.trim()) {
        return false;
    }
    let mut value = value.trim();
    while !value.is_empty() {
        let token_end = match value.strip_prefix("rgb(") {
            Some(inside) => {
                let Some(close) = inside.find(')') else {
                    return false;
                };
                if !inside[..close]
                    .bytes()
                    .all(|b| b.is_ascii_digit() || matches!(b, b' ' | b',' | b'.' | b'%'))
                {
                    return false;
                }
                4 + close + 1
            }
            None => {
                let token = value.split(' ').next().unwrap_or("");
                let known = matches!(token, "solid" | "dashed")
                    || token
                        .strip_prefix('#')
                        .is_some_and(|hex| hex.bytes().all(|b| b.is_ascii_hexdigit()))
                    || is_length(token);
                if !known {
                    return false;
                }
                token.len()
            }
        };
        value = value[token_end..].trim_start();
    }
    true
}

/// `0`, `-0.5em`, `12%`: a number with an optional unit of letters.
fn is_length(token: &str) -> bool {
    let number = token.strip_prefix('-').unwrap_or(token);
    let digits = number
        .bytes()
        .take_while(|b| b.is_ascii_digit() || *b == b'.')
        .count();
    digits > 0
        && number[digits..]
            .bytes()
            .all(|b| b.is_ascii_lowercase() || b == b'%')
        && number.len() - digits <= 3
}

#[cfg(test)]
pub(super) fn tests_elements() -> &'static [&'static str] {
    ELEMENTS
}
