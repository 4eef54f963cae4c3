//! Relative links for sites opened from disk (`folio build --offline`): a browser showing
//! `file:///…/guide/install/index.html` resolves `/assets/…` against the root of the disk
//! and shows a folder listing for `../`, so every internal URL becomes relative to the page
//! and folder URLs name their `index.html`.

/// Attributes holding URLs in the theme's and the pages' HTML.
const URL_ATTRIBUTES: &[&str] = &[
    "href",
    "src",
    "action",
    "poster",
    "data-src",
    "data-nav-url",
];

/// `html` of the page written at `output_path`, with each URL under `base_path` (`""` or
/// `/docs`) made relative to that page.
pub fn relativize(html: &str, output_path: &str, base_path: &str) -> String {
    let to_root = "../".repeat(output_path.matches('/').count());
    let mut out = String::with_capacity(html.len() + html.len() / 16);
    let mut rest = html;
    while let Some((before, value, quote, after)) = next_url_attribute(rest) {
        out.push_str(before);
        match rewrite(value, &to_root, base_path) {
            Some(relative) => out.push_str(&relative),
            None => out.push_str(value),
        }
        out.push(quote);
        rest = after;
    }
    out.push_str(rest);
    out
}

/// Finds the next quoted value of a URL attribute: (text up to and including the opening
/// quote, the value, the quote, the text after the closing quote).
fn next_url_attribute(text: &str) -> Option<(&str, &str, char, &str)> {
    let mut from = 0;
    while let Some(found) = text[from..].find('=') {
        let equals = from + found;
        from = equals + 1;
        let name_start = text[..equals]
            .rfind(|c: char| !(c.is_ascii_alphanumeric() || c == '-'))
            .map_or(0, |i| i + 1);
        let name = &text[name_start..equals];
        let preceded_by_space = text[..name_start].ends_with(|c: char| c.is_ascii_whitespace());
        if !preceded_by_space || !URL_ATTRIBUTES.iter().any(|a| a.eq_ignore_ascii_case(name)) {
            continue;
        }
        let quote = match text[from..].chars().next() {
            Some(q @ ('"' | '\'')) => q,
            _ => continue,
        };
        let value_start = from + 1;
        let length = text[value_start..].find(quote)?;
        let value_end = value_start + length;
        return Some((
            &text[..value_start],
            &text[value_start..value_end],
            quote,
            &text[value_end + 1..],
        ));
    }
    None
}

/// The relative form of `url`, or `None` when it is not a URL of the site.
fn rewrite(url: &str, to_root: &str, base_path: &str) -> Option<String> {
    let inside = url.strip_prefix(base_path)?;
    if !inside.starts_with('/') || inside.starts_with("//") {
        return None;
    }
    let inside = &inside[1..];
    let split = inside.find(['?', '#']).unwrap_or(inside.len());
    let (path, suffix) = inside.split_at(split);
    let mut relative = String::with_capacity(to_root.len() + url.len() + 10);
    relative.push_str(to_root);
    relative.push_str(path);
    if path.is_empty() || path.ends_with('/') {
        relative.push_str("index.html");
    }
    relative.push_str(suffix);
    Some(relative)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn site_urls_become_relative_to_the_page() {
        let html = r#"<a href="/">Home</a> <a class="x" href="/guide/install/#setup">I</a> <script src="/assets/js/folio.js?v=1"></script>"#;
        assert_eq!(
            relativize(html, "guide/commands/index.html", ""),
            r#"<a href="../../index.html">Home</a> <a class="x" href="../../guide/install/index.html#setup">I</a> <script src="../../assets/js/folio.js?v=1"></script>"#
        );
        assert_eq!(
            relativize(r#"<img src="/img/a.png" alt="">"#, "index.html", ""),
            r#"<img src="img/a.png" alt="">"#
        );
    }

    #[test]
    fn other_urls_and_text_stay() {
        let html = r##"<a href="https://example.com/">x</a><a href="#top">t</a><a href="//cdn.example/x">c</a><a href="notes.html">n</a><p>href="/not-an-attribute"</p><a title="/x">y</a>"##;
        assert_eq!(relativize(html, "a/index.html", ""), html);
    }

    #[test]
    fn base_paths_are_dropped() {
        assert_eq!(
            relativize(
                r#"<a href='/docs/guide/'>G</a><a href="/other/">O</a>"#,
                "guide/index.html",
                "/docs"
            ),
            r#"<a href='../guide/index.html'>G</a><a href="/other/">O</a>"#
        );
        assert_eq!(
            relativize(r#"<a href="/docs">R</a>"#, "index.html", "/docs"),
            r#"<a href="/docs">R</a>"#
        );
    }
}
