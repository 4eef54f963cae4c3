//! Link targets: relative `.md` links become page URLs, site-absolute links get the base
//! path, and every link is recorded with its place in the source for checking.

use std::collections::{HashMap, HashSet};

use percent_encoding::percent_decode_str;
use serde::Serialize;

use crate::paths::join_relative;

/// What the rest of the site looks like, for resolving links.
#[derive(Debug, Default)]
pub struct SiteIndex {
    /// The path part of the base URL without trailing slash (`/handbook` or ``).
    pub base_path: String,
    /// Page URL (no base path) by source path under `content/`.
    pub url_by_source: HashMap<String, String>,
    /// Every page URL (no base path).
    pub page_urls: HashSet<String>,
    /// Every file copied to the output (content assets and static files), by output path.
    pub files: HashSet<String>,
    /// Pages that exist but failed to load, by source path under `content/` and by the URL
    /// their path gives them.
    pub unloaded: HashSet<String>,
}

/// Where a link goes.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum Target {
    /// Another site or scheme (`https:`, `mailto:` …).
    External,
    /// A place on this page (`#anchor`).
    SamePage { anchor: String },
    /// A page of the site, by URL without base path.
    Page { url: String, anchor: Option<String> },
    /// A file copied to the output.
    File { path: String },
    /// A path of this site that matches no page or file.
    Unknown { path: String },
    /// A relative `.md` link to a page that does not exist.
    MissingSource { path: String },
    /// A `javascript:` (or similar) URL, removed from the output.
    Unsafe,
    /// A link in raw HTML, copied to the output as written; the checks resolve it against
    /// the page's URL with [`resolve_raw`].
    RawHtml,
}

/// A link or image as written in a page.
#[derive(Debug, Clone, Serialize)]
pub struct LinkUse {
    pub href: String,
    pub target: Target,
    pub is_image: bool,
    /// 1-based line and column in the page body.
    pub line: usize,
    pub column: usize,
}

/// Resolves `href` written in a page whose source folder is `page_dir`; returns the URL to
/// write in the output and where it goes.
pub fn resolve(site: &SiteIndex, page_dir: &str, href: &str) -> (String, Target) {
    let href = href.trim();
    if is_unsafe_scheme(href) {
        return ("#".into(), Target::Unsafe);
    }
    if let Some(anchor) = href.strip_prefix('#') {
        return (
            href.to_string(),
            Target::SamePage {
                anchor: decode(anchor),
            },
        );
    }
    if has_scheme(href) || href.starts_with("//") {
        return (href.to_string(), Target::External);
    }
    let (path_and_query, fragment) = match href.split_once('#') {
        Some((path, fragment)) => (path, Some(fragment)),
        None => (href, None),
    };
    let (path, query) = match path_and_query.split_once('?') {
        Some((path, query)) => (path, Some(query)),
        None => (path_and_query, None),
    };
    let decoded = decode(path);
    let suffix = |out: &mut String| {
        if let Some(query) = query {
            out.push('?');
            out.push_str(query);
        }
        if let Some(fragment) = fragment {
            out.push('#');
            out.push_str(fragment);
        }
    };
    let anchor = fragment.map(decode);

    let resolved = if let Some(absolute) = decoded.strip_prefix('/') {
        resolve_site_path(site, absolute, &decoded).or_else(|| {
            // Written with the base path (`/handbook/guide/` on a site under /handbook/).
            let inside = decoded
                .strip_prefix(site.base_path.as_str())
                .filter(|rest| !site.base_path.is_empty() && rest.starts_with('/'))?;
            resolve_site_path(site, &inside[1..], inside)
        })
    } else if decoded.is_empty() {
        None
    } else {
        join_relative(page_dir, &decoded).and_then(|joined| resolve_source_path(site, &joined))
    };

    match resolved {
        Some(Resolved::Page(url)) => {
            let mut out = format!("{}{}", site.base_path, url);
            suffix(&mut out);
            (out, Target::Page { url, anchor })
        }
        Some(Resolved::File(file)) => {
            let mut out = format!("{}/{}", site.base_path, file);
            suffix(&mut out);
            (out, Target::File { path: file })
        }
        None if decoded.starts_with('/') => {
            let mut out = format!("{}{}", site.base_path, path);
            suffix(&mut out);
            (out, Target::Unknown { path: decoded })
        }
        None if is_markdown(&decoded) => {
            (href.to_string(), Target::MissingSource { path: decoded })
        }
        None => (href.to_string(), Target::Unknown { path: decoded }),
    }
}

/// Where `href`, written in raw HTML on the page at `page_url` (without base path), goes.
/// Raw HTML is copied as written, so the browser resolves it against the page's own URL:
/// `.md` paths are not rewritten and site-absolute paths need the base path.
pub fn resolve_raw(site: &SiteIndex, page_url: &str, href: &str) -> Target {
    let href = href.trim();
    if is_unsafe_scheme(href) {
        return Target::Unsafe;
    }
    if let Some(anchor) = href.strip_prefix('#') {
        return Target::SamePage {
            anchor: decode(anchor),
        };
    }
    if href.is_empty() {
        return Target::SamePage {
            anchor: String::new(),
        };
    }
    if has_scheme(href) || href.starts_with("//") {
        return Target::External;
    }
    let (path, fragment) = href.split_once('#').unwrap_or((href, ""));
    let path = path.split('?').next().unwrap_or_default();
    let decoded = decode(path);
    let absolute = if decoded.starts_with('/') {
        match decoded.strip_prefix(site.base_path.as_str()) {
            Some(rest) if rest.starts_with('/') => rest.to_string(),
            _ => return Target::Unknown { path: decoded },
        }
    } else {
        // A page's URL is a folder (`/guide/setup/`) or a file (`/404.html`).
        let folder = match page_url.rfind('/') {
            Some(slash) => &page_url[..slash],
            None => "",
        };
        match join_relative(folder, &decoded) {
            Some(joined) => format!("/{joined}"),
            None => return Target::Unknown { path: decoded },
        }
    };
    let anchor = (!fragment.is_empty()).then(|| decode(fragment));
    match resolve_site_path(site, &absolute[1..], &absolute) {
        // A source path is no address in the output: raw HTML is not rewritten.
        _ if is_markdown(&absolute) => Target::Unknown { path: absolute },
        Some(Resolved::Page(url)) => Target::Page { url, anchor },
        Some(Resolved::File(path)) => Target::File { path },
        None => Target::Unknown { path: absolute },
    }
}

/// A link written in HTML: an `href` or `src` attribute.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct HtmlLink {
    /// Byte offset of the value in the HTML.
    pub offset: usize,
    /// The value, with character references decoded.
    pub value: String,
    /// A `src` (an image, a script) rather than an `href`.
    pub is_src: bool,
}

/// Every quoted `href=` and `src=` attribute in `html`, in order.
pub fn html_links(html: &str) -> Vec<HtmlLink> {
    let bytes = html.as_bytes();
    let mut found = Vec::new();
    for (name, is_src) in [("href=", false), ("src=", true)] {
        for at in memchr::memmem::find_iter(bytes, name.as_bytes()) {
            // An attribute, not the end of `data-src=` or a word in the text.
            if at == 0 || !bytes[at - 1].is_ascii_whitespace() {
                continue;
            }
            let start = at + name.len();
            let Some(&quote) = bytes.get(start).filter(|q| matches!(q, b'"' | b'\'')) else {
                continue;
            };
            if let Some(length) = memchr::memchr(quote, &bytes[start + 1..]) {
                found.push(HtmlLink {
                    offset: start + 1,
                    value: super::entities::decode_entities(&html[start + 1..start + 1 + length]),
                    is_src,
                });
            }
        }
    }
    found.sort_by_key(|link| link.offset);
    found
}

enum Resolved {
    Page(String),
    File(String),
}

/// `/guide/setup`, `/guide/setup/`, `/logo.png` or `/guide/setup.md`.
fn resolve_site_path(site: &SiteIndex, absolute: &str, with_slash: &str) -> Option<Resolved> {
    if site.page_urls.contains(with_slash) {
        return Some(Resolved::Page(with_slash.to_string()));
    }
    let slashed = format!("{with_slash}/");
    if !with_slash.ends_with('/') && site.page_urls.contains(&slashed) {
        return Some(Resolved::Page(slashed));
    }
    if site.files.contains(absolute) {
        return Some(Resolved::File(absolute.to_string()));
    }
    if is_markdown(absolute) {
        return site
            .url_by_source
            .get(absolute)
            .cloned()
            .map(Resolved::Page);
    }
    None
}

/// A path relative to `content/`: a page source, a file, or a folder with an index page.
fn resolve_source_path(site: &SiteIndex, joined: &str) -> Option<Resolved> {
    if let Some(url) = site.url_by_source.get(joined) {
        return Some(Resolved::Page(url.clone()));
    }
    if site.files.contains(joined) {
        return Some(Resolved::File(joined.to_string()));
    }
    if is_markdown(joined) {
        return None;
    }
    let folder = joined.trim_end_matches('/');
    for candidate in [
        format!("{folder}/index.md"),
        format!("{folder}/index.markdown"),
        format!("{folder}.md"),
    ] {
        if let Some(url) = site.url_by_source.get(candidate.trim_start_matches('/')) {
            return Some(Resolved::Page(url.clone()));
        }
    }
    None
}

fn is_markdown(path: &str) -> bool {
    crate::paths::is_page(path)
}

fn decode(text: &str) -> String {
    percent_decode_str(text).decode_utf8_lossy().into_owned()
}

fn has_scheme(href: &str) -> bool {
    let Some(colon) = href.find(':') else {
        return false;
    };
    let scheme = &href[..colon];
    !scheme.is_empty()
        && scheme.starts_with(|c: char| c.is_ascii_alphabetic())
        && scheme
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, '+' | '-' | '.'))
        && !href[..colon].contains('/')
}

/// Whether a browser would run `href` as script. Browsers drop tabs and line breaks anywhere
/// in a URL (`java&#9;script:` is `javascript:`), in Markdown links and raw HTML alike.
fn is_unsafe_scheme(href: &str) -> bool {
    let lower: String = href
        .trim_start_matches(|c: char| c <= ' ')
        .chars()
        .filter(|c| !matches!(c, '\t' | '\n' | '\r'))
        .map(|c| c.to_ascii_lowercase())
        .collect();
    lower.starts_with("javascript:")
        || lower.starts_with("vbscript:")
        || (lower.starts_with("data:") && !lower.starts_with("data:image/"))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn site() -> SiteIndex {
        let mut site = SiteIndex {
            base_path: "/hb".into(),
            ..SiteIndex::default()
        };
        for (source, url) in [
            ("index.md", "/"),
            ("guide/setup.md", "/guide/setup/"),
            ("guide/index.md", "/guide/"),
            ("advanced/consensus.md", "/advanced-topics/consensus/"),
        ] {
            site.url_by_source.insert(source.into(), url.into());
            site.page_urls.insert(url.into());
        }
        site.files.insert("guide/img/a.png".into());
        site
    }

    #[test]
    fn relative_markdown_links_become_page_urls() {
        let site = site();
        assert_eq!(
            resolve(&site, "guide", "setup.md#install"),
            (
                "/hb/guide/setup/#install".into(),
                Target::Page {
                    url: "/guide/setup/".into(),
                    anchor: Some("install".into())
                }
            )
        );
        assert_eq!(resolve(&site, "guide", "../index.md").0, "/hb/");
        assert_eq!(resolve(&site, "guide", "./").0, "/hb/guide/");
        assert!(matches!(
            resolve(&site, "guide", "nope.md").1,
            Target::MissingSource { .. }
        ));
    }

    #[test]
    fn site_absolute_links_get_the_base_path_and_a_slash() {
        let site = site();
        assert_eq!(
            resolve(&site, "", "/advanced-topics/consensus").0,
            "/hb/advanced-topics/consensus/"
        );
        assert_eq!(
            resolve(&site, "", "/guide/img/a.png").0,
            "/hb/guide/img/a.png"
        );
        let (href, target) = resolve(&site, "", "/advanced-topics/clocks");
        assert_eq!(href, "/hb/advanced-topics/clocks");
        assert!(matches!(target, Target::Unknown { .. }));
    }

    #[test]
    fn site_absolute_links_may_carry_the_base_path() {
        let site = site();
        assert_eq!(
            resolve(&site, "", "/hb/guide/setup"),
            (
                "/hb/guide/setup/".into(),
                Target::Page {
                    url: "/guide/setup/".into(),
                    anchor: None
                }
            )
        );
        assert_eq!(
            resolve(&site, "", "/hb/guide/img/a.png").0,
            "/hb/guide/img/a.png"
        );
        assert!(matches!(
            resolve(&site, "", "/hbx/guide/setup").1,
            Target::Unknown { .. }
        ));
    }

    #[test]
    fn raw_html_links_resolve_as_the_browser_would() {
        let site = site();
        assert_eq!(
            resolve_raw(&site, "/guide/", "setup/#install"),
            Target::Page {
                url: "/guide/setup/".into(),
                anchor: Some("install".into())
            }
        );
        assert_eq!(
            resolve_raw(&site, "/guide/setup/", "../img/a.png"),
            Target::File {
                path: "guide/img/a.png".into()
            }
        );
        assert_eq!(
            resolve_raw(&site, "/", "/hb/guide/setup"),
            Target::Page {
                url: "/guide/setup/".into(),
                anchor: None
            }
        );
        // Without the base path, or by source path, the browser finds nothing.
        assert!(matches!(
            resolve_raw(&site, "/", "/guide/setup/"),
            Target::Unknown { .. }
        ));
        assert!(matches!(
            resolve_raw(&site, "/guide/", "setup.md"),
            Target::Unknown { .. }
        ));
        assert_eq!(resolve_raw(&site, "/", "https://x.org/"), Target::External);
        assert_eq!(
            resolve_raw(&site, "/", "#top"),
            Target::SamePage {
                anchor: "top".into()
            }
        );
    }

    #[test]
    fn raw_html_script_links_are_unsafe_with_tabs_and_breaks_inside() {
        // Found by fuzz/ (links target): browsers drop the tab, so this runs a script.
        assert_eq!(resolve_raw(&site(), "/", " JaVa\tScript:x"), Target::Unsafe);
        assert_eq!(resolve_raw(&site(), "/", "vb\nscript:x"), Target::Unsafe);
        assert_eq!(resolve(&site(), "", "java\rscript:x").1, Target::Unsafe);
    }

    #[test]
    fn relative_files_resolve_from_the_source_folder() {
        assert_eq!(
            resolve(&site(), "guide", "img/a.png").0,
            "/hb/guide/img/a.png"
        );
    }

    #[test]
    fn external_fragment_and_unsafe_links() {
        let site = site();
        assert_eq!(resolve(&site, "", "https://x.org/a").1, Target::External);
        assert_eq!(resolve(&site, "", "mailto:a@b").1, Target::External);
        assert_eq!(
            resolve(&site, "", "#top").1,
            Target::SamePage {
                anchor: "top".into()
            }
        );
        assert_eq!(
            resolve(&site, "", "javascript:alert(1)"),
            ("#".into(), Target::Unsafe)
        );
        assert_eq!(
            resolve(&site, "", "  JAVASCRIPT:alert(1)").1,
            Target::Unsafe
        );
        // Browsers drop tabs and newlines inside URLs, so these are scripts too.
        assert_eq!(
            resolve(&site, "", "java\tscript:alert(1)").1,
            Target::Unsafe
        );
        assert_eq!(
            resolve(&site, "", "java\nscript:alert(1)").1,
            Target::Unsafe
        );
    }
}
