//! Links inside the site: every link and image of every page, checked against the pages,
//! their anchors and the files the build copies. Runs on what rendering found (no HTML is
//! parsed again), so it costs a few hash lookups per link.

use rustc_hash::{FxHashMap as HashMap, FxHashSet as HashSet};
use std::sync::Arc;

use rayon::prelude::*;

use crate::content::Page;
use crate::diagnostics::{Diagnostic, closest};
use crate::markdown::links::{html_links, resolve, resolve_raw};
use crate::markdown::{LinkUse, SiteIndex, Target};
use crate::templates::Templates;

/// What rendering found on one page.
#[derive(Debug, Default, Clone)]
pub struct PageLinks {
    /// Links and images, at lines and columns of the page's source file.
    pub links: Vec<LinkUse>,
    /// Every `id` in the page's content: heading ids, footnotes, raw HTML.
    pub anchors: HashSet<String>,
}

/// Fragments every page has without an element of that id.
fn is_built_in_anchor(anchor: &str) -> bool {
    // `#` alone and `#top` scroll to the top in every browser.
    anchor.is_empty() || anchor.eq_ignore_ascii_case("top")
}

/// Problems with the links of `pages` (`found[i]` belongs to `pages[i]`).
pub fn check(index: &SiteIndex, pages: &[Arc<Page>], found: &[&PageLinks]) -> Vec<Diagnostic> {
    let by_url: HashMap<&str, usize> = pages
        .iter()
        .enumerate()
        .map(|(index, page)| (page.url.as_str(), index))
        .collect();
    let suggestions = UrlSuggestions::new(pages);
    let mut problems = Vec::new();
    for (page, &links) in pages.iter().zip(found) {
        for link in &links.links {
            let raw;
            let target = match &link.target {
                Target::RawHtml => {
                    raw = resolve_raw(index, &page.url, &link.href);
                    &raw
                }
                target => target,
            };
            let problem = match target {
                Target::SamePage { anchor } => missing_anchor(anchor, links, None),
                Target::Page {
                    url,
                    anchor: Some(anchor),
                } => by_url.get(url.as_str()).and_then(|&target| {
                    missing_anchor(anchor, found[target], Some(&pages[target]))
                }),
                Target::Unknown { path } if link.target == Target::RawHtml => Some(
                    no_base_path(index, page, link)
                        .unwrap_or_else(|| no_page(link, path, &suggestions)),
                ),
                Target::Unknown { path } if is_unloaded(index, path) => None,
                Target::Unknown { path } => Some(no_page(link, path, &suggestions)),
                Target::MissingSource { path } => no_source(index, link, page, path, pages),
                _ => None,
            };
            if let Some(problem) = problem {
                problems.push(
                    problem
                        .in_file(&page.source)
                        .at(link.line, link.column)
                        .with_target(&link.href),
                );
            }
        }
    }
    problems
}

/// Anchors listed in full when a page has no more than this many; otherwise the closest.
const ANCHORS_LISTED: usize = 8;

/// Whether a site path leads to a page that exists but failed to load.
fn is_unloaded(index: &SiteIndex, path: &str) -> bool {
    if index.unloaded.is_empty() {
        return false;
    }
    let path = path.split(['#', '?']).next().unwrap_or(path);
    let with_slash = format!("{}/", path.trim_end_matches('/'));
    index.unloaded.contains(path) || index.unloaded.contains(&with_slash)
}

fn missing_anchor(anchor: &str, on: &PageLinks, other: Option<&Page>) -> Option<Diagnostic> {
    if is_built_in_anchor(anchor) || on.anchors.contains(anchor) {
        return None;
    }
    let message = match other {
        Some(page) => format!(
            "`#{anchor}` is not an anchor of `{}` ({})",
            page.display_title(),
            crate::diagnostics::display_path(&page.source)
        ),
        None => format!("`#{anchor}` is not an anchor of this page"),
    };
    let problem = Diagnostic::warning(message).with_kind("missing-anchor");
    // In order, so that of two equally close anchors the same one is offered every time.
    let mut anchors: Vec<&str> = on.anchors.iter().map(String::as_str).collect();
    anchors.sort_unstable();
    let listed = match anchors.len() {
        0 => "the page has no anchors".to_string(),
        n if n <= ANCHORS_LISTED => format!("the page's anchors: {}", hash_list(&anchors)),
        n => {
            let wanted = anchor.to_lowercase();
            let mut by_likeness = anchors.clone();
            by_likeness.sort_by(|a, b| {
                let score = |x: &str| strsim::jaro_winkler(&wanted, &x.to_lowercase());
                score(b).total_cmp(&score(a))
            });
            by_likeness.truncate(ANCHORS_LISTED);
            format!(
                "the page's closest anchors: {} (of {n})",
                hash_list(&by_likeness)
            )
        }
    };
    Some(match closest(anchor, anchors) {
        Some(best) => problem
            .with_help(format!("({listed})"))
            .with_suggestion(format!("#{best}")),
        None => problem.with_help(format!(
            "{listed}; link to a heading's id (shown by its # link) or an element's id="
        )),
    })
}

fn hash_list(anchors: &[&str]) -> String {
    anchors
        .iter()
        .map(|a| format!("#{a}"))
        .collect::<Vec<_>>()
        .join(", ")
}

fn no_page(link: &LinkUse, path: &str, suggestions: &UrlSuggestions<'_>) -> Diagnostic {
    let what = if link.is_image { "image" } else { "link" };
    let problem = Diagnostic::warning(format!(
        "{what} `{}` leads nowhere: no page or file of the site is at `{path}`",
        link.href
    ))
    .with_kind(if link.is_image {
        "missing-file"
    } else {
        "broken-link"
    });
    match suggestions.closest(path) {
        Some(best) => problem.with_suggestion(best),
        None => problem.with_help(
            "link to a page by its URL or permalink, or by its .md path relative to this page",
        ),
    }
}

/// Missing targets that get a suggestion; past them, finding one would cost more than it
/// helps (each compares against every page; 1,000 targets on 10,000 pages took 4.8 s).
const MAX_SUGGESTED_TARGETS: usize = 200;

/// Page URLs to suggest for links that lead nowhere, prepared once per check and remembered
/// per target: a site with many broken links (a migrated handbook) often repeats the same
/// missing targets, and each fresh search compares against every page.
struct UrlSuggestions<'p> {
    pages: &'p [Arc<Page>],
    /// Each page's URL without its trailing slash and its last segment, lowercased.
    prepared: std::cell::OnceCell<Vec<(String, String)>>,
    known: std::cell::RefCell<HashMap<String, Option<String>>>,
}

impl<'p> UrlSuggestions<'p> {
    fn new(pages: &'p [Arc<Page>]) -> Self {
        UrlSuggestions {
            pages,
            prepared: std::cell::OnceCell::new(),
            known: std::cell::RefCell::default(),
        }
    }

    /// The page URL most like `path`: its last segment must be a likely typo of the page's
    /// (so that pages of one folder, alike in all but that, are not offered for each other);
    /// among those, the most similar path wins.
    fn closest(&self, path: &str) -> Option<String> {
        if let Some(known) = self.known.borrow().get(path) {
            return known.clone();
        }
        if self.known.borrow().len() >= MAX_SUGGESTED_TARGETS {
            return None;
        }
        let prepared = self.prepared.get_or_init(|| {
            self.pages
                .iter()
                .map(|page| {
                    let whole = page.url.trim_end_matches('/').to_lowercase();
                    let last = last_segment(&whole).to_string();
                    (whole, last)
                })
                .collect()
        });
        let wanted_path = path.trim_end_matches('/').to_lowercase();
        let wanted = last_segment(&wanted_path);
        let best = prepared
            .par_iter()
            .zip(self.pages)
            .filter(|_| !wanted.is_empty())
            .filter_map(|((whole, last), page)| {
                let name = strsim::jaro_winkler(wanted, last);
                (name >= 0.85).then(|| (name + strsim::jaro_winkler(&wanted_path, whole), page))
            })
            // Ties go to the earlier page, as a sequential search would have it.
            .max_by(|a, b| a.0.total_cmp(&b.0).then(b.1.id.cmp(&a.1.id)))
            .map(|(_, page)| page.url.clone());
        self.known
            .borrow_mut()
            .insert(path.to_string(), best.clone());
        best
    }
}

fn last_segment(url: &str) -> &str {
    url.rsplit('/').next().unwrap_or_default()
}

/// A site-absolute link in raw HTML that lacks the base path, which raw HTML (copied as
/// written) needs.
fn no_base_path(index: &SiteIndex, page: &Page, link: &LinkUse) -> Option<Diagnostic> {
    if index.base_path.is_empty() || !link.href.starts_with('/') {
        return None;
    }
    let fixed = format!("{}{}", index.base_path, link.href);
    match resolve_raw(index, &page.url, &fixed) {
        Target::Page { .. } | Target::File { .. } => Some(
            Diagnostic::warning(format!(
                "link `{}` in raw HTML leads nowhere: the site is published under `{}/`, and raw HTML is copied as written",
                link.href, index.base_path
            ))
            .with_kind(if link.is_image {
                "missing-file"
            } else {
                "broken-link"
            })
            .with_suggestion(fixed),
        ),
        _ => None,
    }
}

/// A relative `.md` link to a page that does not exist: names the file that was looked for,
/// and suggests the closest page as the linking page would write it.
/// `None` when the page exists but failed to load: its own error is the one to fix.
fn no_source(
    index: &SiteIndex,
    link: &LinkUse,
    page: &Page,
    path: &str,
    pages: &[Arc<Page>],
) -> Option<Diagnostic> {
    let looked_for = match path.strip_prefix('/') {
        Some(absolute) => Some(absolute.to_string()),
        None => crate::paths::join_relative(page.source_dir(), path),
    };
    let Some(looked_for) = looked_for else {
        return Some(
            Diagnostic::warning(format!(
                "link `{}` leads nowhere: it climbs above the content folder",
                link.href
            ))
            .with_kind("broken-link")
            .with_help(".md links are relative to the page's own folder"),
        );
    };
    if index.unloaded.contains(&looked_for) {
        return None;
    }
    let problem = Diagnostic::warning(format!(
        "link `{}` leads nowhere: there is no page `content/{looked_for}`",
        link.href
    ))
    .with_kind("broken-link");
    // File names are compared, not paths: every page of a folder shares its path's start,
    // which would make any sibling look close. A sibling comes first (a typo is the usual
    // mistake), then a page of that name in another folder.
    let name_of = |rel: &'_ str| rel.rsplit('/').next().unwrap_or(rel).to_string();
    let wanted = name_of(&looked_for);
    let folder = looked_for.rsplit_once('/').map_or("", |(dir, _)| dir);
    let best = [true, false].into_iter().find_map(|siblings| {
        let candidates: Vec<(&str, String)> = pages
            .iter()
            .filter(|p| !siblings || p.source_dir() == folder)
            .map(|p| (p.rel_path.as_str(), name_of(&p.rel_path)))
            .collect();
        let name = closest(&wanted, candidates.iter().map(|(_, name)| name.as_str()))?;
        candidates
            .iter()
            .find(|(_, candidate)| candidate == name)
            .map(|(rel, _)| *rel)
    });
    Some(match best {
        Some(best) => problem.with_suggestion(crate::paths::relative_link(page.source_dir(), best)),
        None => problem.with_help(".md links are relative to the page's own folder"),
    })
}

/// Links and files that a page's layout refers to and that the site does not have: `html` is
/// the whole page, `body` the HTML of its Markdown inside it (checked with the page's links).
pub fn template_links(
    index: &SiteIndex,
    templates: &Templates,
    layout: &str,
    html: &str,
    body: &str,
) -> Vec<Diagnostic> {
    let (before, after) = match html.find(body).filter(|_| !body.is_empty()) {
        Some(at) => (&html[..at], &html[at + body.len()..]),
        None => (html, ""),
    };
    let mut problems = Vec::new();
    let mut seen = HashSet::default();
    for part in [before, after] {
        for value in html_links(part).into_iter().map(|link| link.value) {
            if !seen.insert(value.clone()) {
                continue;
            }
            let (_, target) = resolve(index, "", &value);
            let (Target::Unknown { path } | Target::MissingSource { path }) = target else {
                continue;
            };
            let written = path
                .strip_prefix(index.base_path.as_str())
                .unwrap_or(&path)
                .trim_start_matches('/');
            let problem = if written.is_empty() {
                Diagnostic::warning(format!(
                    "the layout `{layout}` links to the home page `{value}`, but the site has none"
                ))
                .with_kind("broken-link")
                .with_help("add content/index.md, or give a page `permalink: /`")
            } else {
                Diagnostic::warning(format!(
                    "the layout `{layout}` refers to `{value}`, which is not in the site"
                ))
                .with_kind("missing-file")
                .with_help(
                    "add the file under static/ (or content/), or fix the path in the template",
                )
            }
            .with_target(&value);
            problems.push(
                match templates.locate(written).filter(|_| !written.is_empty()) {
                    Some((file, line, column)) => problem.in_file(file).at(line, column),
                    None => problem.in_file(templates.layout_file(layout)),
                },
            );
        }
    }
    problems
}

/// Every `id="…"` in `html` (the HTML of a page's Markdown).
pub fn anchors_of(html: &str) -> HashSet<String> {
    let mut anchors = HashSet::default();
    let bytes = html.as_bytes();
    for at in memchr::memmem::find_iter(bytes, b"id=") {
        // An attribute, not the end of `data-id=` or of a word in the text.
        if at == 0 || !bytes[at - 1].is_ascii_whitespace() {
            continue;
        }
        let rest = &html[at + 3..];
        let Some(quote) = rest.chars().next().filter(|c| *c == '"' || *c == '\'') else {
            continue;
        };
        if let Some(end) = rest[1..].find(quote) {
            anchors.insert(crate::markdown::entities::decode_entities(
                &rest[1..1 + end],
            ));
        }
    }
    anchors
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn anchors_are_ids_of_any_element() {
        let found = anchors_of(
            "<h2 id=\"setup\">Set up</h2><div class='x' id='raw-one'></div><p data-id=\"no\">valid=1 id= </p><sup id=\"fn&amp;1\"></sup>",
        );
        let mut found: Vec<_> = found.into_iter().collect();
        found.sort();
        assert_eq!(found, ["fn&1", "raw-one", "setup"]);
    }
}
