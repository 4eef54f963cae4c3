//! The CSS inside a drawn diagram: its colours become the theme's custom properties, its
//! `url(#…)` references follow the renamed ids, and anything that could load a resource or
//! reach outside the diagram is dropped.

/// The renderer's palette (Mermaid's default theme) and the custom property each colour
/// becomes. The theme's stylesheet gives every property a light and a dark value. Colours not
/// listed (a diagram's own `style` and `classDef` colours) are kept as written.
const PALETTE: &[(&str, &str)] = &[
    ("#333333", "--mermaid-ink"),
    ("#333", "--mermaid-ink"),
    ("#000000", "--mermaid-ink"),
    ("#000", "--mermaid-ink"),
    ("black", "--mermaid-ink"),
    ("#9370db", "--mermaid-border"),
    ("#ececff", "--mermaid-fill"),
    ("#ffffff", "--mermaid-bg"),
    ("#fff", "--mermaid-bg"),
    ("white", "--mermaid-bg"),
    ("rgba(232,232,232,0.8)", "--mermaid-label-bg"),
    ("#e8e8e8", "--mermaid-label-bg"),
    ("#fff5ad", "--mermaid-note"),
    ("#aaaa33", "--mermaid-note-border"),
    ("#ffffde", "--mermaid-cluster"),
    ("#f0f0f0", "--mermaid-alt"),
    ("#f4f4f4", "--mermaid-alt"),
    ("#666", "--mermaid-muted"),
    ("#666666", "--mermaid-muted"),
];

/// Properties whose value is a colour.
const COLOR_PROPERTIES: &[&str] = &[
    "fill",
    "stroke",
    "color",
    "stop-color",
    "flood-color",
    "lighting-color",
    "background",
    "background-color",
    "border-color",
    "outline-color",
];

/// `var(--…)` for a colour of the renderer's palette.
pub fn themed(color: &str) -> Option<&'static str> {
    let compact: String = color
        .chars()
        .filter(|c| !c.is_whitespace())
        .flat_map(char::to_lowercase)
        .collect();
    PALETTE
        .iter()
        .find(|(known, _)| *known == compact)
        .map(|(_, property)| *property)
}

pub fn is_color_property(name: &str) -> bool {
    COLOR_PROPERTIES.contains(&name)
}

/// A value with its `url(#id)` references renamed, or `None` when it refers to anything
/// but an id of the same diagram (a file, a web address, a `data:` URL) or could run code.
pub fn safe_value(value: &str, prefix: &str, root_id: Option<&str>) -> Option<String> {
    let lower = value.to_ascii_lowercase();
    if lower.contains("expression(")
        || lower.contains("javascript:")
        || lower.contains('\\')
        || lower.contains('<')
        || lower.contains("@import")
    {
        return None;
    }
    if !lower.contains("url(") {
        return Some(value.to_string());
    }
    let mut out = String::with_capacity(value.len() + prefix.len());
    let mut rest = value;
    while let Some(at) = rest.to_ascii_lowercase().find("url(") {
        out.push_str(&rest[..at + 4]);
        let after = &rest[at + 4..];
        let close = after.find(')')?;
        let target = after[..close].trim().trim_matches(['"', '\'']);
        let id = target.strip_prefix('#')?;
        out.push('#');
        out.push_str(&renamed_id(id, prefix, root_id));
        out.push(')');
        rest = &after[close + 1..];
    }
    out.push_str(rest);
    Some(out)
}

/// The page-unique name of an id of the renderer's SVG.
pub fn renamed_id(id: &str, prefix: &str, root_id: Option<&str>) -> String {
    if Some(id) == root_id {
        prefix.to_string()
    } else {
        format!("{prefix}-{id}")
    }
}

/// Rewrites `name: value; …` declarations: palette colours become custom properties and
/// unsafe declarations are dropped. `extra` declarations (from presentation attributes)
/// come first, so the element's own `style` still wins over them.
pub fn declarations(
    style: &str,
    extra: &[(String, String)],
    prefix: &str,
    root_id: Option<&str>,
) -> String {
    let mut out = String::with_capacity(style.len() + 32 * extra.len());
    let parsed = style.split(';').filter_map(|declaration| {
        let (name, value) = declaration.split_once(':')?;
        Some((name.trim().to_ascii_lowercase(), value.trim().to_string()))
    });
    for (name, value) in extra.iter().cloned().chain(parsed) {
        if name.is_empty()
            || value.is_empty()
            || !name.chars().all(|c| c.is_ascii_alphanumeric() || c == '-')
        {
            continue;
        }
        let Some(value) = safe_value(&value, prefix, root_id) else {
            continue;
        };
        if !out.is_empty() {
            out.push(';');
        }
        out.push_str(&name);
        out.push(':');
        match themed_declaration(&name, &value) {
            Some(themed) => out.push_str(&themed),
            None => out.push_str(&value),
        }
    }
    out
}

/// `var(--mermaid-…)` for a palette colour of a colour property (`!important` kept).
fn themed_declaration(name: &str, value: &str) -> Option<String> {
    if !is_color_property(name) {
        return None;
    }
    let (color, important) = match value.strip_suffix("!important") {
        Some(color) => (color.trim(), " !important"),
        None => (value, ""),
    };
    themed(color).map(|property| format!("var({property}){important}"))
}

/// A `<style>` element's rules, each selector scoped to the diagram (`#prefix …`) so that
/// no rule reaches the rest of the page. `None` drops the element: at-rules and anything not
/// in the plain `selectors { declarations }` shape are not kept.
pub fn stylesheet(css: &str, prefix: &str, root_id: Option<&str>) -> Option<String> {
    if css.contains('@') || css.contains("/*") || css.contains('<') {
        return None;
    }
    let mut out = String::with_capacity(css.len() + 64);
    for rule in css.split('}') {
        let rule = rule.trim();
        if rule.is_empty() {
            continue;
        }
        let (selectors, body) = rule.split_once('{')?;
        if body.contains('{') {
            return None;
        }
        let mut first = true;
        for selector in selectors.split(',') {
            let selector = selector.trim();
            if selector.is_empty() {
                return None;
            }
            if !first {
                out.push(',');
            }
            first = false;
            let scoped = scoped_ids(selector, prefix, root_id);
            // A selector that starts at the diagram's root is already scoped.
            let at_root = scoped
                .strip_prefix('#')
                .and_then(|s| s.strip_prefix(prefix))
                .is_some_and(|s| s.is_empty() || s.starts_with([' ', '.', ':', '>', '[']));
            if !at_root {
                out.push('#');
                out.push_str(prefix);
                out.push(' ');
            }
            out.push_str(&scoped);
        }
        out.push('{');
        out.push_str(&declarations(body, &[], prefix, root_id));
        out.push('}');
    }
    Some(out)
}

/// A selector with its `#id` and `.class` parts renamed as the elements' were.
fn scoped_ids(selector: &str, prefix: &str, root_id: Option<&str>) -> String {
    let mut out = String::with_capacity(selector.len() + 8);
    let mut rest = selector;
    while let Some(at) = rest.find(['#', '.']) {
        out.push_str(&rest[..at + 1]);
        let after = &rest[at + 1..];
        let end = after
            .find(|c: char| !(c.is_alphanumeric() || c == '-' || c == '_'))
            .unwrap_or(after.len());
        let name = &after[..end];
        if rest.as_bytes()[at] == b'#' {
            out.push_str(&renamed_id(name, prefix, root_id));
        } else {
            out.push_str(CLASS_PREFIX);
            out.push_str(name);
        }
        rest = &after[end..];
    }
    out.push_str(rest);
    out
}

/// Put before every class of the renderer's SVG, so that the page's own classes (`.label`
/// is a badge in the theme) never style a diagram, and the diagram's rules never style the
/// page.
pub const CLASS_PREFIX: &str = "mm-";
