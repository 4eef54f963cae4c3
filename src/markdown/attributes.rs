//! kramdown attribute lists: `{: .class #id key="value" reference }`.

use std::fmt::Write as _;

use pulldown_cmark_escape::escape_html;

/// The attributes an attribute list gives an element.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Attrs {
    pub id: Option<String>,
    pub classes: Vec<String>,
    pub pairs: Vec<(String, String)>,
    /// Bare names: references to attribute list definitions, or `toc`.
    pub refs: Vec<String>,
}

impl Attrs {
    pub fn is_empty(&self) -> bool {
        self.id.is_none()
            && self.classes.is_empty()
            && self.pairs.is_empty()
            && self.refs.is_empty()
    }

    /// Adds `other` after these: classes accumulate, a later id or value wins.
    pub fn merge(&mut self, other: &Attrs) {
        if other.id.is_some() {
            self.id.clone_from(&other.id);
        }
        for class in &other.classes {
            self.add_class(class);
        }
        for (key, value) in &other.pairs {
            match self.pairs.iter_mut().find(|(k, _)| k == key) {
                Some(pair) => pair.1.clone_from(value),
                None => self.pairs.push((key.clone(), value.clone())),
            }
        }
        for reference in &other.refs {
            if !self.refs.contains(reference) {
                self.refs.push(reference.clone());
            }
        }
    }

    pub fn add_class(&mut self, class: &str) {
        if !self.classes.iter().any(|c| c == class) {
            self.classes.push(class.to_string());
        }
    }

    pub fn has_class(&self, class: &str) -> bool {
        self.classes.iter().any(|c| c == class)
    }

    pub fn has_ref(&self, name: &str) -> bool {
        self.refs.iter().any(|r| r == name)
    }

    /// Writes ` id="…" class="…" key="…"` (escaped), with `extra_classes` first.
    pub fn write_html(&self, out: &mut String, extra_classes: &[&str]) {
        if let Some(id) = &self.id {
            write_attr(out, "id", id);
        }
        if !self.classes.is_empty() || !extra_classes.is_empty() {
            let mut all: Vec<&str> = extra_classes.to_vec();
            all.extend(self.classes.iter().map(String::as_str));
            write_attr(out, "class", &all.join(" "));
        }
        for (key, value) in &self.pairs {
            if is_safe_attribute(key) {
                write_attr(out, key, value);
            }
        }
    }
}

/// Event-handler attributes would let page text run scripts; they are dropped, and so are
/// names a browser would read differently (`x/onclick` is `x` and `onclick`, `a>b` ends the
/// tag): `## Title {x/onclick=…}` gives such names.
fn is_safe_attribute(key: &str) -> bool {
    let lower = key.to_ascii_lowercase();
    let is_name = !key.is_empty()
        && key
            .chars()
            .all(|c| c.is_alphanumeric() || matches!(c, '-' | '_' | ':' | '.'));
    is_name && !lower.starts_with("on") && lower != "id" && lower != "class"
}

pub fn write_attr(out: &mut String, key: &str, value: &str) {
    let _ = write!(out, " {key}=\"");
    let _ = escape_html(&mut *out, value);
    out.push('"');
}

/// What the inside of `{:` … `}` is.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum AttributeList {
    /// `{: .a #b }`: attributes for an element.
    Inline(Attrs),
    /// `{:name: .a #b }`: a named list for later `{: name }` references.
    Definition(String, Attrs),
}

/// Parses the text between `{:` and the closing `}`.
pub fn parse_list(inner: &str) -> Option<AttributeList> {
    if let Some((name, rest)) = split_definition(inner) {
        return parse_attrs(rest).map(|attrs| AttributeList::Definition(name.to_string(), attrs));
    }
    parse_attrs(inner).map(AttributeList::Inline)
}

fn split_definition(inner: &str) -> Option<(&str, &str)> {
    let colon = inner.find(':')?;
    let name = &inner[..colon];
    let valid = name
        .chars()
        .next()
        .is_some_and(|c| c.is_alphanumeric() || c == '_')
        && name
            .chars()
            .all(|c| c.is_alphanumeric() || c == '_' || c == '-');
    valid.then(|| (name, &inner[colon + 1..]))
}

/// Parses `.class #id key="value" ref` tokens; `None` if anything else is there.
pub fn parse_attrs(text: &str) -> Option<Attrs> {
    let mut attrs = Attrs::default();
    let mut rest = text.trim_start();
    while !rest.is_empty() {
        if let Some(after) = rest.strip_prefix('.') {
            let end = after
                .find(|c: char| c.is_whitespace() || c == '.' || c == '#')
                .unwrap_or(after.len());
            if end == 0 {
                return None;
            }
            attrs.add_class(&after[..end]);
            rest = &after[end..];
        } else if let Some(after) = rest.strip_prefix('#') {
            let end = after
                .find(|c: char| !(c.is_alphanumeric() || c == '_' || c == ':' || c == '-'))
                .unwrap_or(after.len());
            if end == 0 || !after.starts_with(|c: char| c.is_alphabetic()) {
                return None;
            }
            attrs.id = Some(after[..end].to_string());
            rest = &after[end..];
        } else {
            let end = rest
                .find(|c: char| !(c.is_alphanumeric() || c == '_' || c == '-'))
                .unwrap_or(rest.len());
            if end == 0 {
                return None;
            }
            let name = &rest[..end];
            let after = &rest[end..];
            if let Some(value_part) = after.strip_prefix('=') {
                let (value, consumed) = parse_quoted(value_part)?;
                attrs.pairs.retain(|(k, _)| k != name);
                attrs.pairs.push((name.to_string(), value));
                rest = &value_part[consumed..];
            } else {
                if !attrs.refs.iter().any(|r| r == name) {
                    attrs.refs.push(name.to_string());
                }
                rest = after;
            }
        }
        // Tokens are separated by whitespace (a class may directly follow another: `.a.b`).
        let trimmed = rest.trim_start();
        if trimmed.len() == rest.len() && !rest.is_empty() && !rest.starts_with(['.', '#']) {
            return None;
        }
        rest = trimmed;
    }
    Some(attrs)
}

/// A `"…"` or `'…'` value with `\"` / `\'` / `\}` escapes; returns (value, bytes consumed).
fn parse_quoted(text: &str) -> Option<(String, usize)> {
    let quote = text.chars().next().filter(|c| *c == '"' || *c == '\'')?;
    let mut value = String::new();
    let mut chars = text.char_indices().skip(1);
    while let Some((index, c)) = chars.next() {
        if c == '\\' {
            if let Some((_, next)) = chars.next() {
                if next != quote && next != '}' && next != '\\' {
                    value.push('\\');
                }
                value.push(next);
            }
        } else if c == quote {
            return Some((value, index + c.len_utf8()));
        } else {
            value.push(c);
        }
    }
    None
}

/// Finds a span attribute list at the start of `text`: returns (attributes, bytes used).
/// The closing `}` may not be inside a quoted value.
pub fn span_list_at_start(text: &str) -> Option<(AttributeList, usize)> {
    let inner_start = text.strip_prefix("{:")?;
    if inner_start.starts_with([':', '/']) {
        return None;
    }
    let mut quote: Option<char> = None;
    let mut escaped = false;
    for (index, c) in inner_start.char_indices() {
        if escaped {
            escaped = false;
            continue;
        }
        match (quote, c) {
            (_, '\\') => escaped = true,
            (Some(q), c) if c == q => quote = None,
            (None, '"' | '\'') => quote = Some(c),
            (None, '}') => {
                let list = parse_list(&inner_start[..index])?;
                return Some((list, 2 + index + 1));
            }
            (None, '\n') => return None,
            _ => {}
        }
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    fn attrs(text: &str) -> Attrs {
        parse_attrs(text).unwrap()
    }

    #[test]
    fn classes_ids_pairs_and_refs() {
        let a = attrs(" .fs-6 .fw-300 #lead data-x=\"1 2\" title='it\\'s' toc ");
        assert_eq!(a.classes, ["fs-6", "fw-300"]);
        assert_eq!(a.id.as_deref(), Some("lead"));
        assert_eq!(
            a.pairs,
            [
                ("data-x".to_string(), "1 2".to_string()),
                ("title".into(), "it's".into())
            ]
        );
        assert_eq!(a.refs, ["toc"]);
        assert_eq!(attrs(".a.b").classes, ["a", "b"]);
        assert!(attrs("").is_empty());
    }

    #[test]
    fn only_plain_attribute_names_are_written() {
        // Found by fuzz/ (markdown target): heading attributes (`## T {x/onclick=…}`) may
        // have any name, and a browser reads `x/onclick` as an event handler.
        let mut attrs = Attrs::default();
        for name in [
            "x/onclick",
            "a>b",
            "\"q",
            "e's",
            "x\u{c}onclick",
            "data-ok",
            "aria:x",
        ] {
            attrs.pairs.push((name.to_string(), "1".to_string()));
        }
        let mut html = String::new();
        attrs.write_html(&mut html, &[]);
        assert_eq!(html, " data-ok=\"1\" aria:x=\"1\"");
    }

    #[test]
    fn garbage_is_not_an_attribute_list() {
        assert_eq!(parse_attrs("foo bar=baz"), None);
        assert_eq!(parse_attrs("#1abc"), None);
        assert_eq!(parse_attrs("a=\"unterminated"), None);
        assert_eq!(parse_attrs(". x"), None);
    }

    #[test]
    fn definitions_and_span_lists() {
        assert_eq!(
            parse_list("mine: .x #y"),
            Some(AttributeList::Definition("mine".into(), attrs(".x #y")))
        );
        let (list, used) = span_list_at_start("{: .btn title=\"a}b\" } rest").unwrap();
        assert_eq!(used, "{: .btn title=\"a}b\" }".len());
        assert_eq!(list, AttributeList::Inline(attrs(".btn title=\"a}b\"")));
        assert!(span_list_at_start("{::comment}").is_none());
        assert!(span_list_at_start("{: .x").is_none());
    }

    #[test]
    fn merging_accumulates_classes_and_overrides_ids() {
        let mut a = attrs(".a #one k=\"1\"");
        a.merge(&attrs(".b .a #two k=\"2\""));
        assert_eq!(a.classes, ["a", "b"]);
        assert_eq!(a.id.as_deref(), Some("two"));
        assert_eq!(a.pairs, [("k".to_string(), "2".to_string())]);
    }

    #[test]
    fn html_output_is_escaped_and_drops_handlers() {
        let mut out = String::new();
        attrs(".x title=\"a\\\"<b>\" onclick=\"evil()\"").write_html(&mut out, &["callout"]);
        assert_eq!(out, " class=\"callout x\" title=\"a&quot;&lt;b&gt;\"");
    }
}
