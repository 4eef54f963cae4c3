//! The whole site on one page, `/print/`, for reading on paper or saving as a PDF: every page
//! in reading order ([`Nav::reading_order`]), each in a `<section>` under its own anchor, with
//! its ids prefixed by that anchor (so they stay unique across the page) and its links to
//! pages of the print page turned into links to their sections.
//!
//! Entry point: [`plan`], which gives the [`Book`]: the pages it shows and their anchors. The
//! render pass then asks the book for each page's [`Book::fragment`] as the page is rendered
//! and writes the fragments, in order, between [`Book::head`] and [`Book::tail`] — so no page
//! body is held longer than it takes to write it.

mod fragment;

use std::collections::{HashMap, HashSet};
use std::fmt::Write as _;
use std::sync::Arc;

use pulldown_cmark_escape::escape_html;

use crate::config::SiteConfig;
use crate::content::{Page, PageId};
use crate::diagnostics::Diagnostic;
use crate::nav::Nav;
use crate::paths;
use crate::templates::{PageContext, Templates};

/// The template of the print page (in the theme, or the site's own `templates/print.html`).
pub const TEMPLATE: &str = "print.html";

/// What the template shows where the pages go; the page is cut there.
const CONTENT_MARK: &str = "<!--folio:print-pages-->";

/// One page of the print page.
#[derive(Debug, Clone)]
pub struct Chapter {
    pub page: PageId,
    /// The id of its section; every id inside it is prefixed with this and `--`.
    pub anchor: String,
    /// Its depth in the navigation (0: a top-level page, which starts a new sheet of paper).
    pub depth: usize,
}

/// The pages of the print page and how links between them are rewritten.
#[derive(Debug, Default)]
pub struct Book {
    /// In reading order.
    pub chapters: Vec<Chapter>,
    /// Index into `chapters` by page id.
    by_page: HashMap<PageId, usize>,
    /// Index into `chapters` by page URL (without base path).
    by_url: HashMap<String, usize>,
    /// The path part of the base URL (`/docs` or ``).
    base_path: String,
}

/// The print page of the site (`None` when `[print] enabled = false`, or when a page of
/// the site has the print page's URL — see [`collision`]).
pub fn plan(pages: &[Arc<Page>], nav: &Nav, config: &SiteConfig) -> Option<Book> {
    if !made(pages, config) {
        return None;
    }
    let mut book = Book {
        base_path: config.base_path(),
        ..Book::default()
    };
    let mut taken = HashSet::new();
    for id in nav.reading_order(pages.len()) {
        let page = &pages[id];
        if page.front.print_exclude || page.output_path == paths::NOT_FOUND {
            continue;
        }
        let anchor = unique(slug(&page.url), &mut taken);
        book.by_page.insert(id, book.chapters.len());
        book.by_url.insert(page.url.clone(), book.chapters.len());
        book.chapters.push(Chapter {
            page: id,
            anchor,
            depth: nav.depth(id),
        });
    }
    Some(book)
}

/// Whether the site has a print page.
pub fn made(pages: &[Arc<Page>], config: &SiteConfig) -> bool {
    config.print.enabled && collision(pages).is_none()
}

/// The page that has the print page's URL, if any: it keeps the URL and the print page is
/// not made (reported as a warning).
pub fn collision(pages: &[Arc<Page>]) -> Option<&Page> {
    pages
        .iter()
        .find(|page| page.output_path == paths::PRINT_PAGE)
        .map(|page| &**page)
}

/// The warning for a page at the print page's URL.
pub fn collision_warning(page: &Page) -> Diagnostic {
    Diagnostic::warning(format!(
        "this page is at {}, where the print page goes, so the site has no print page",
        paths::PRINT_URL
    ))
    .in_file(&page.source)
    .with_help("give the page another permalink, or set `[print] enabled = false` in site.toml")
}

/// `/guide/install/` -> `guide-install`: lowercase letters, digits and single dashes, never
/// `--` (which separates a section's anchor from the ids inside it) and never empty.
fn slug(url: &str) -> String {
    let path = url.trim_matches('/');
    let path = path
        .strip_suffix(".html")
        .or_else(|| path.strip_suffix(".htm"))
        .unwrap_or(path);
    let mut slug = String::with_capacity(path.len());
    for c in path.chars() {
        if c.is_ascii_alphanumeric() {
            slug.push(c.to_ascii_lowercase());
        } else if !slug.is_empty() && !slug.ends_with('-') {
            slug.push('-');
        }
    }
    while slug.ends_with('-') {
        slug.pop();
    }
    if slug.is_empty() {
        slug.push_str("home");
    }
    slug
}

/// `wanted`, or `wanted-2`, `wanted-3` … when taken.
fn unique(wanted: String, taken: &mut HashSet<String>) -> String {
    let mut anchor = wanted.clone();
    let mut number = 2;
    while !taken.insert(anchor.clone()) {
        anchor = format!("{wanted}-{number}");
        number += 1;
    }
    anchor
}

impl Book {
    /// The chapter of `page`, when the print page shows it.
    pub fn chapter_of(&self, page: PageId) -> Option<&Chapter> {
        self.by_page.get(&page).map(|&index| &self.chapters[index])
    }

    /// The anchor of the page at `url` (without base path), when the print page shows it.
    fn anchor_of_url(&self, url: &str) -> Option<&str> {
        let index = self.by_url.get(url).or_else(|| {
            // `/guide/install` for `/guide/install/`.
            (!url.ends_with('/'))
                .then(|| self.by_url.get(&format!("{url}/")))
                .flatten()
        })?;
        Some(&self.chapters[*index].anchor)
    }

    /// The section of `page` (rendered as `html`, whose first heading has level
    /// `first_heading_level`): its ids prefixed, its links rewritten, and the page's title as
    /// a heading when its body does not start with a level-1 heading. Empty when the page is
    /// not on the print page.
    pub fn fragment(&self, page: &Page, html: &str, first_heading_level: Option<u8>) -> String {
        let Some(chapter) = self.chapter_of(page.id) else {
            return String::new();
        };
        let mut out = String::with_capacity(html.len() + html.len() / 8 + 256);
        let class = if chapter.depth == 0 {
            "print-page print-top"
        } else {
            "print-page"
        };
        let _ = writeln!(
            out,
            "<section class=\"{class}\" id=\"{}\" data-depth=\"{}\">",
            chapter.anchor, chapter.depth
        );
        if first_heading_level != Some(1) {
            out.push_str("<h1 class=\"print-title\">");
            let _ = escape_html(&mut out, page.display_title());
            out.push_str("</h1>\n");
        }
        let context = fragment::Context {
            book: self,
            anchor: &chapter.anchor,
            page_url: &page.url,
        };
        fragment::rewrite(html, &context, &mut out);
        out.push_str("\n</section>\n");
        out
    }

    /// The print page up to the first page's section, and after the last: the template
    /// `print.html` cut where it shows `page.content`. The list of contents, with a link to
    /// every section, is part of the head.
    pub fn head_and_tail(
        &self,
        templates: &Templates,
        pages: &[Arc<Page>],
        config: &SiteConfig,
    ) -> Result<(String, String), Diagnostic> {
        let base_path = config.base_path();
        let url = format!("{base_path}{}", paths::PRINT_URL);
        let permalink = match config.absolute_base() {
            Some(base) => format!("{base}{}", paths::PRINT_URL),
            None => url.clone(),
        };
        let mut content = self.contents(pages);
        content.push_str(CONTENT_MARK);
        let empty = serde_yaml::Mapping::new();
        let context = PageContext {
            title: "All pages",
            url,
            permalink,
            source: String::new(),
            layout: "print",
            content: &content,
            toc: Vec::new(),
            toc_html: String::new(),
            breadcrumbs: Vec::new(),
            children: Vec::new(),
            show_children: false,
            prev: None,
            next: None,
            description: &config.description,
            summary: None,
            last_modified: None,
            edit_url: None,
            sidebar: String::new(),
            sidebar_collections: String::new(),
            show_sidebar: false,
            nav_order: None,
            parent: None,
            has_children: false,
            nav_exclude: true,
            search_exclude: true,
            front_matter: &empty,
        };
        let html = templates.render_named(TEMPLATE, &context)?;
        match html.split_once(CONTENT_MARK) {
            Some((head, tail)) => Ok((head.to_string(), tail.to_string())),
            None => Err(Diagnostic::error(
                "the template print.html does not show the pages: it has no `{{ page.content | safe }}`",
            )
            .in_file(templates.file_of_named(TEMPLATE))
            .with_help("put `{{ page.content | safe }}` where the pages go")),
        }
    }

    /// The list of contents: a nested list of links to the sections, by navigation depth.
    fn contents(&self, pages: &[Arc<Page>]) -> String {
        let mut out = String::from("<nav class=\"print-contents\" aria-label=\"Contents\">\n");
        let mut open = 0;
        for chapter in &self.chapters {
            let depth = chapter.depth.min(open);
            if depth + 1 > open || open == 0 {
                out.push_str("<ul>\n");
                open += 1;
            } else {
                for _ in depth + 1..open {
                    out.push_str("</li>\n</ul>\n");
                }
                open = depth + 1;
                out.push_str("</li>\n");
            }
            let _ = write!(out, "<li><a href=\"#{}\">", chapter.anchor);
            let _ = escape_html(&mut out, pages[chapter.page].display_title());
            out.push_str("</a>");
        }
        for _ in 0..open {
            out.push_str("</li>\n</ul>\n");
        }
        out.push_str("</nav>\n");
        out
    }
}

#[cfg(test)]
mod tests;
