//! The URLs Jekyll 4 gives pages and collection documents, so that the import can keep them.
//!
//! A page's URL comes from its `permalink` front matter when it has one, else from a template
//! chosen by the site's permalink style (`pretty` gives `/:path/:basename/`); placeholders are
//! filled in, then the URL is cleaned as Jekyll cleans it (a leading `/`, no `..`, no `./`, no
//! repeated `/`). The written file is the URL, plus `index.html` after a trailing slash, plus
//! `.html` when the URL has no extension.

use serde_yaml::Mapping;

use super::jekyll_config::{Collection, scalar_text};

/// A URL template with a placeholder that the import cannot fill.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(super) struct UnknownPlaceholder(pub String);

/// The template for pages without a `permalink`, by the site's permalink style.
fn page_template(basename: &str, output_ext: &str, style: &str) -> String {
    if output_ext != ".html" {
        "/:path/:basename:output_ext".into()
    } else if basename == "index" {
        "/:path/".into()
    } else {
        with_style_suffix("/:path/:basename", style)
    }
}

/// Jekyll's rule for ending a template the way the site's style ends.
fn with_style_suffix(template: &str, style: &str) -> String {
    let mut template = template.to_string();
    match style {
        "pretty" => template.push('/'),
        "date" | "ordinal" | "none" => template.push_str(":output_ext"),
        custom => {
            if custom.ends_with('/') {
                template.push('/');
            }
            if custom.ends_with(":output_ext") {
                template.push_str(":output_ext");
            }
        }
    }
    template
}

/// The URL of a page at `rel_path` (relative to the site source, `docs/a.md`).
pub(super) fn page_url(
    rel_path: &str,
    output_ext: &str,
    style: &str,
    permalink: Option<&str>,
) -> String {
    let (dir, name) = rel_path.rsplit_once('/').unwrap_or(("", rel_path));
    let basename = strip_extension(name).trim_end_matches('.');
    let template = match permalink {
        Some(permalink) => permalink.to_string(),
        None => page_template(basename, output_ext, style),
    };
    // Jekyll fills the placeholders in this order, each everywhere it appears.
    let filled = template
        .replace(":path", &format!("/{dir}"))
        .replace(":basename", basename)
        .replace(":output_ext", output_ext);
    clean(&filled)
}

/// The URL of a collection document; `rel_path` is relative to the collections folder
/// (`_tests/a/b.md`).
pub(super) fn document_url(
    collection: &Collection,
    rel_path: &str,
    output_ext: &str,
    style: &str,
    data: &Mapping,
) -> Result<String, UnknownPlaceholder> {
    let permalink = data
        .get("permalink")
        .and_then(scalar_text)
        .filter(|p| !p.is_empty());
    let template = match (&permalink, &collection.permalink) {
        (Some(own), _) => own.clone(),
        (None, Some(of_collection)) => of_collection.clone(),
        (None, None) => with_style_suffix("/:collection/:path", style),
    };
    let name = rel_path.rsplit('/').next().unwrap_or(rel_path);
    let basename = strip_extension(name);
    let folder = format!("_{}", collection.label);
    let cleaned_path = strip_extension(rel_path)
        .replacen(&folder, "", 1)
        .trim_end_matches('.')
        .to_string();
    let slug_source = data
        .get("slug")
        .and_then(scalar_text)
        .filter(|s| !s.is_empty());
    let value = |key: &str| -> Option<String> {
        Some(match key {
            "collection" => collection.label.clone(),
            "path" => cleaned_path.clone(),
            "name" => slugify(basename, false, false),
            "title" => slugify(slug_source.as_deref().unwrap_or(basename), true, true),
            "slug" => slugify(slug_source.as_deref().unwrap_or(basename), false, false),
            "output_ext" => output_ext.to_string(),
            _ => return None,
        })
    };
    let mut out = String::with_capacity(template.len() + 16);
    let mut rest = template.as_str();
    while let Some(colon) = rest.find(':') {
        out.push_str(&rest[..colon]);
        let after = &rest[colon + 1..];
        let key_len = after
            .find(|c: char| !(c.is_ascii_lowercase() || c == '_'))
            .unwrap_or(after.len());
        if key_len == 0 {
            out.push(':');
            rest = after;
            continue;
        }
        let key = &after[..key_len];
        // `:name_` may be `:name` followed by an underscore, as Jekyll reads it.
        let (filled, used) = match value(key) {
            Some(filled) => (filled, key_len),
            None => match key.strip_suffix('_').and_then(value) {
                Some(filled) => (filled, key_len - 1),
                None => return Err(UnknownPlaceholder(key.to_string())),
            },
        };
        out.push_str(&filled);
        rest = &after[used..];
    }
    out.push_str(rest);
    Ok(clean(&out))
}

/// The output file of a URL, relative to the output folder.
pub(super) fn output_file(url: &str, output_ext: &str) -> String {
    let path = url.trim_start_matches('/');
    if path.is_empty() || url.ends_with('/') {
        format!("{path}index.html")
    } else if path.ends_with(output_ext) {
        path.to_string()
    } else {
        format!("{path}{output_ext}")
    }
}

fn strip_extension(name: &str) -> &str {
    match name.rfind('.') {
        Some(dot) if dot > 0 && !name[dot..].contains('/') => &name[..dot],
        _ => name,
    }
}

/// Jekyll's clean-up: a leading `/`, `..` made `/`, `./` removed, repeated `/` squeezed.
fn clean(url: &str) -> String {
    let joined = format!("/{url}").replace("..", "/").replace("./", "");
    let mut out = String::with_capacity(joined.len());
    for c in joined.chars() {
        if !(c == '/' && out.ends_with('/')) {
            out.push(c);
        }
    }
    percent_decode(&out)
}

/// Jekyll writes percent-escaped URLs to unescaped file names; folio takes the unescaped form.
fn percent_decode(url: &str) -> String {
    percent_encoding::percent_decode_str(url)
        .decode_utf8()
        .map_or_else(|_| url.to_string(), |decoded| decoded.into_owned())
}

/// Jekyll's `slugify`: runs of characters other than letters, marks and digits (in `pretty`
/// mode also `._~!$&'()+,;=@`) become `-`, with no `-` at either end; lower case unless
/// `cased`.
pub(super) fn slugify(text: &str, pretty: bool, cased: bool) -> String {
    let keep =
        |c: char| c.is_alphanumeric() || is_mark(c) || (pretty && "._~!$&'()+,;=@".contains(c));
    let mut slug = String::with_capacity(text.len());
    let mut gap = false;
    for c in text.chars() {
        if keep(c) {
            if gap && !slug.is_empty() {
                slug.push('-');
            }
            gap = false;
            slug.push(c);
        } else {
            gap = true;
        }
    }
    if cased { slug } else { slug.to_lowercase() }
}

/// Combining marks (the common blocks), which Jekyll's `\p{M}` keeps in slugs.
fn is_mark(c: char) -> bool {
    matches!(c, '\u{0300}'..='\u{036F}' | '\u{1AB0}'..='\u{1AFF}' | '\u{1DC0}'..='\u{1DFF}' | '\u{20D0}'..='\u{20FF}' | '\u{FE20}'..='\u{FE2F}')
}

#[cfg(test)]
mod tests {
    use super::*;

    fn collection(label: &str, permalink: Option<&str>) -> Collection {
        Collection {
            label: label.into(),
            output: true,
            permalink: permalink.map(String::from),
        }
    }

    #[test]
    fn pages_follow_the_permalink_style() {
        assert_eq!(page_url("docs/a.md", ".html", "pretty", None), "/docs/a/");
        assert_eq!(page_url("docs/a.md", ".html", "date", None), "/docs/a.html");
        assert_eq!(page_url("a.md", ".html", "none", None), "/a.html");
        assert_eq!(page_url("docs/index.md", ".html", "date", None), "/docs/");
        assert_eq!(page_url("index.md", ".html", "pretty", None), "/");
        assert_eq!(page_url("README.md", ".html", "pretty", None), "/README/");
        assert_eq!(
            page_url("a/b.md", ".html", "/:categories/:title/", None),
            "/a/b/"
        );
        assert_eq!(page_url("a/b.md", ".html", "/:title", None), "/a/b");
        assert_eq!(page_url("feed.xml", ".xml", "pretty", None), "/feed.xml");
    }

    #[test]
    fn page_permalinks_are_filled_and_cleaned() {
        assert_eq!(page_url("x/a.md", ".html", "pretty", Some("/")), "/");
        assert_eq!(page_url("x/a.md", ".html", "pretty", Some("404")), "/404");
        assert_eq!(
            page_url(
                "x/a.md",
                ".html",
                "pretty",
                Some("/:path/:basename:output_ext")
            ),
            "/x/a.html"
        );
        assert_eq!(
            page_url("a.md", ".html", "pretty", Some("/../b//c/")),
            "/b/c/"
        );
        assert_eq!(
            page_url("a.md", ".html", "pretty", Some("/my%20page/")),
            "/my page/"
        );
    }

    #[test]
    fn documents_use_the_collection_template() {
        let empty = Mapping::new();
        let tests = collection("tests", None);
        assert_eq!(
            document_url(&tests, "_tests/a/b.md", ".html", "pretty", &empty).unwrap(),
            "/tests/a/b/"
        );
        assert_eq!(
            document_url(&tests, "_tests/a.md", ".html", "date", &empty).unwrap(),
            "/tests/a.html"
        );
        assert_eq!(
            document_url(&tests, "_tests/index.md", ".html", "pretty", &empty).unwrap(),
            "/tests/index/"
        );
        let named = collection("tests", Some("/t/:name_:title/"));
        let data: Mapping = serde_yaml::from_str("slug: Hello World").unwrap();
        assert_eq!(
            document_url(&named, "_tests/My File.md", ".html", "pretty", &data).unwrap(),
            "/t/my-file_Hello-World/"
        );
        let dated = collection("tests", Some("/:year/:title/"));
        assert_eq!(
            document_url(&dated, "_tests/a.md", ".html", "pretty", &empty),
            Err(UnknownPlaceholder("year".into()))
        );
    }

    #[test]
    fn output_files() {
        assert_eq!(output_file("/", ".html"), "index.html");
        assert_eq!(output_file("/a/", ".html"), "a/index.html");
        assert_eq!(output_file("/404", ".html"), "404.html");
        assert_eq!(output_file("/a.html", ".html"), "a.html");
    }

    #[test]
    fn slugs() {
        assert_eq!(slugify("Hello, World!", false, false), "hello-world");
        assert_eq!(slugify("--a  b--", false, false), "a-b");
        assert_eq!(slugify("Café (v2).md", true, true), "Café-(v2).md");
    }
}
