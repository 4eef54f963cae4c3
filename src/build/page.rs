//! One page: Markdown body -> HTML, then the page context, then its layout.

use std::borrow::Cow;
use std::sync::Arc;

use pulldown_cmark_escape::escape_html;

use super::site::Site;
use crate::check::{self, PageLinks};
use crate::content::Page;
use crate::diagnostics::Diagnostic;
use crate::liquid::PageVars;
use crate::markdown::commonmark::{self, CopyContext};
use crate::markdown::{self, Heading, MarkdownContext, Rendered, TextSink};
use crate::nav::sidebar;
use crate::output::{extras, relative};
use crate::search::{self, PageEntry, Section};
use crate::templates::Templates;
use crate::templates::context::{ChildLink, PageContext, PageLink, TocEntry};

/// The layout a page asks for.
pub fn layout_of(page: &Page) -> &str {
    page.front
        .layout
        .as_deref()
        .filter(|l| !l.is_empty())
        .unwrap_or("default")
}

/// Errors for pages whose layout does not exist.
pub fn check_layouts(pages: &[std::sync::Arc<Page>], templates: &Templates) -> Vec<Diagnostic> {
    let mut problems = Vec::new();
    for page in pages {
        let layout = layout_of(page);
        if !templates.has_layout(layout) {
            problems.push(
                Diagnostic::error(format!("there is no layout `{layout}`"))
                    .in_file(&page.source)
                    .at_line(page.front.line_of("layout"))
                    .with_help(format!(
                        "use one of: {} (or add templates/layouts/{layout}.html)",
                        templates.layouts().join(", ")
                    )),
            );
        }
    }
    problems
}

/// A page's Markdown, rendered.
pub struct PageMarkdown {
    pub rendered: Rendered,
    /// Its warnings, placed in the page's file.
    pub warnings: Vec<Diagnostic>,
    /// Its sections for the search index (`None` when it is left out of search).
    pub sections: Option<Arc<[Section]>>,
    /// Its Markdown copy (when asked for): CommonMark, after Liquid, under its title.
    pub copy: Option<String>,
}

/// The Markdown of `page` as HTML (after Liquid), with its warnings and search sections, and
/// its Markdown copy when `with_copy`.
pub fn render_markdown(site: &Site, page: &Page, with_copy: bool) -> PageMarkdown {
    let context = MarkdownContext {
        config: &site.config.markdown,
        callouts: &site.callouts,
        site: &site.index,
        code_themes: &site.code_themes,
    };
    let mut problems = Vec::new();
    let body = liquid_body(site, page, &mut problems);
    let mut sections = search::section_writer(&site.search, page);
    // One scan of the kramdown syntax serves the HTML and the copy.
    let prepared = markdown::kramdown::prepare(&body);
    let mut rendered = markdown::render_prepared(
        &prepared,
        page.source_dir(),
        &context,
        sections.as_mut().map(|s| s as &mut dyn TextSink),
    );
    let line_offset = page.body_line - 1;
    problems.extend(
        std::mem::take(&mut rendered.warnings)
            .into_iter()
            .map(|mut d| {
                d.line = d.line.map(|line| line + line_offset);
                d.in_file(&page.source)
            }),
    );
    let copy = with_copy.then(|| {
        let origin = crate::llms::origin(&site.config);
        let context = CopyContext {
            config: &site.config.markdown,
            callouts: &site.callouts,
            site: &site.index,
            origin: &origin,
        };
        crate::llms::copy(
            page,
            &commonmark::copy_of(&prepared, page.source_dir(), &context),
        )
    });
    PageMarkdown {
        rendered,
        warnings: problems,
        sections: sections.map(|s| s.finish().into()),
        copy,
    }
}

/// The page's body after Liquid: the body itself when it has no Liquid markup or its front
/// matter says `render_with_liquid: false`. Liquid's errors and warnings go to `problems`
/// (with an error, the body is rendered as written, so that its other problems show too).
fn liquid_body<'p>(site: &Site, page: &'p Page, problems: &mut Vec<Diagnostic>) -> Cow<'p, str> {
    let render_with_liquid = page
        .front
        .raw
        .get("render_with_liquid")
        .and_then(serde_yaml::Value::as_bool)
        .unwrap_or(true);
    if !render_with_liquid || !crate::liquid::has_markup(&page.body) {
        return Cow::Borrowed(&page.body);
    }
    let Some(liquid) = site.liquid() else {
        // Reported once, with the site's findings.
        return Cow::Borrowed(&page.body);
    };
    let vars = PageVars {
        source: &page.source,
        rel_path: &page.rel_path,
        url: &page.url,
        title: page.title.as_deref(),
        front_matter: &page.front.raw,
        body_line: page.body_line,
        render_with_liquid,
    };
    match liquid.render_page(&page.body, &vars) {
        Ok(done) => {
            problems.extend(done.warnings);
            Cow::Owned(done.text.into_owned())
        }
        Err(errors) => {
            let fenced = fenced_lines(&page.body);
            problems.extend(errors.into_iter().map(|mut error| {
                let in_code = error.file.as_deref() == Some(page.source.as_path())
                    && error
                        .line
                        .and_then(|line| line.checked_sub(page.body_line))
                        .is_some_and(|index| fenced.get(index).copied().unwrap_or(false));
                if in_code {
                    let hint = "it is inside a code block: to show template code as it is, wrap it in {% raw %}…{% endraw %} or set `render_with_liquid: false` in the front matter";
                    error.help = Some(match error.help.take() {
                        Some(help) => format!("{help}; {hint}"),
                        None => hint.to_string(),
                    });
                }
                error
            }));
            Cow::Borrowed(&page.body)
        }
    }
}

/// For each line of `body`, whether it is inside a fenced code block (``` or ~~~).
fn fenced_lines(body: &str) -> Vec<bool> {
    let mut fence: Option<(char, usize)> = None;
    body.lines()
        .map(|line| {
            let trimmed = line.trim_start();
            let marker = trimmed.chars().next().filter(|c| *c == '`' || *c == '~');
            let run = marker.map_or(0, |m| trimmed.chars().take_while(|c| *c == m).count());
            match (fence, marker) {
                (None, Some(m)) if run >= 3 => {
                    fence = Some((m, run));
                    true
                }
                (Some((m, open)), Some(c))
                    if c == m && run >= open && trimmed[run..].trim().is_empty() =>
                {
                    fence = None;
                    true
                }
                (inside, _) => inside.is_some(),
            }
        })
        .collect()
}

/// The whole HTML page: `rendered` (the page's Markdown) in its layout.
pub fn render_html(site: &Site, page: &Page, rendered: &Rendered) -> Result<String, Diagnostic> {
    let layout = layout_of(page);
    let context = page_context(
        site,
        page,
        &rendered.html,
        &rendered.headings,
        rendered.toc_levels,
    );
    let html = site.templates.render_page(layout, &context)?;
    Ok(if site.offline {
        relative::relativize(&html, &page.output_path, &site.index.base_path)
    } else {
        html
    })
}

/// The links of a rendered page, placed in the page's source file, and the anchors they may
/// point at.
pub fn page_links(page: &Page, rendered: &Rendered) -> PageLinks {
    let line_offset = page.body_line - 1;
    let mut links = rendered.links.clone();
    for link in &mut links {
        link.line += line_offset;
    }
    PageLinks {
        links,
        anchors: check::anchors_of(&rendered.html),
    }
}

/// The page's entry in the search index, with its `sections` (from [`render_markdown`]).
pub fn search_entry(site: &Site, page: &Page, sections: Arc<[Section]>) -> PageEntry {
    let breadcrumb = site
        .nav
        .breadcrumbs(page.id)
        .into_iter()
        .map(|id| site.content.pages[id].display_title().to_string())
        .collect();
    PageEntry {
        title: page.display_title().to_string(),
        // Relative to the site root: the search script puts its own root in front.
        url: page.url.trim_start_matches('/').to_string(),
        breadcrumb,
        sections,
    }
}

fn link(site: &Site, page: &Page) -> PageLink {
    PageLink {
        title: page.display_title().to_string(),
        url: format!("{}{}", site.index.base_path, page.url),
    }
}

fn page_context<'a>(
    site: &'a Site,
    page: &'a Page,
    html: &'a str,
    headings: &[Heading],
    toc_levels: (u8, u8),
) -> PageContext<'a> {
    let config = &site.config;
    let pages = &site.content.pages;
    let nav = &site.nav;
    let base_path = &site.index.base_path;
    let layout = layout_of(page);
    let front = &page.front;
    let url = format!("{base_path}{}", page.url);
    let permalink = match config.absolute_base() {
        Some(base) => format!("{base}{}", page.url),
        None => url.clone(),
    };
    let toc_headings: Vec<&Heading> = headings.iter().filter(|h| h.in_toc(toc_levels)).collect();
    let children: Vec<ChildLink> = nav
        .children(page.id)
        .into_iter()
        .map(|id| ChildLink {
            title: pages[id].display_title().to_string(),
            url: format!("{base_path}{}", pages[id].url),
            summary: pages[id].front.summary.clone(),
        })
        .collect();
    let show_sidebar = front
        .nav_enabled
        .unwrap_or(layout != "minimal" && config.nav.enabled);
    let source = crate::diagnostics::display_path(&page.source);
    let sidebar = if show_sidebar {
        sidebar::render(nav, pages, page.id, base_path)
    } else {
        sidebar::Sidebar::default()
    };
    PageContext {
        title: page.display_title(),
        url,
        permalink,
        layout,
        content: html,
        toc: toc_headings
            .iter()
            .map(|h| TocEntry {
                level: h.level,
                id: h.id.clone(),
                title: h.html.clone(),
            })
            .collect(),
        toc_html: markdown::headings::nested_list(&toc_headings, "toc-list"),
        breadcrumbs: nav
            .breadcrumbs(page.id)
            .into_iter()
            .map(|id| link(site, &pages[id]))
            .collect(),
        show_children: front.has_toc != Some(false)
            && front.has_children != Some(false)
            && !children.is_empty(),
        has_children: !children.is_empty(),
        children,
        prev: nav.previous(page.id).map(|id| link(site, &pages[id])),
        next: nav.next(page.id).map(|id| link(site, &pages[id])),
        description: front.description.as_deref().unwrap_or(&config.description),
        summary: front.summary.as_deref(),
        last_modified: match (
            &front.last_modified_date,
            config.footer.last_modified_format.as_str(),
        ) {
            (Some(date), format) if !format.is_empty() => Some(extras::format_date(date, format)),
            _ => None,
        },
        edit_url: (!config.edit_link.url.is_empty())
            .then(|| config.edit_link.url.replace("{path}", &source)),
        sidebar: sidebar.pages,
        sidebar_collections: sidebar.collections,
        show_sidebar,
        nav_order: front.raw.get("nav_order").cloned(),
        parent: front.parent.as_deref(),
        nav_exclude: front.nav_exclude,
        search_exclude: front.search_exclude,
        front_matter: &front.raw,
        source,
    }
}

/// The theme's "page not found" page, for sites without their own `404.md`.
pub fn render_not_found(site: &Site) -> Result<String, Diagnostic> {
    let empty = serde_yaml::Mapping::new();
    let base_path = &site.index.base_path;
    let sidebar = sidebar::render(&site.nav, &site.content.pages, usize::MAX, base_path);
    let mut message = String::from("<p>This page does not exist. Go back to the <a href=\"");
    let _ = escape_html(&mut message, &format!("{base_path}/"));
    message.push_str("\">home page</a>.</p>\n");
    let context = PageContext {
        title: "Page not found",
        url: format!("{base_path}/404.html"),
        permalink: format!("{base_path}/404.html"),
        source: String::new(),
        layout: "default",
        content: &message,
        toc: Vec::new(),
        toc_html: String::new(),
        breadcrumbs: Vec::new(),
        children: Vec::new(),
        show_children: false,
        prev: None,
        next: None,
        description: &site.config.description,
        summary: None,
        last_modified: None,
        edit_url: None,
        sidebar: sidebar.pages,
        sidebar_collections: sidebar.collections,
        show_sidebar: site.config.nav.enabled,
        nav_order: None,
        parent: None,
        has_children: false,
        nav_exclude: true,
        search_exclude: true,
        front_matter: &empty,
    };
    let name = if site.templates.contains("404.html") {
        "404.html"
    } else {
        "layouts/default.html"
    };
    site.templates.render_named(name, &context)
}
