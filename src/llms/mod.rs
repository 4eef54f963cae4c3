//! The site for language models, as llmstxt.org proposes: `llms.txt` (the site's title, its
//! description as a quote, and a section per top-level page of the navigation listing its
//! pages as links to their Markdown copies), a Markdown copy of every page beside its HTML
//! (`/guide/install/` -> `/guide/install/index.md`, written by the render pass from
//! [`crate::markdown::commonmark`]), and `llms-full.txt`, every copy in reading order.
//!
//! Pages left out of search (`search_exclude`, `[search] exclude`, a collection's
//! `search_exclude`) are left out of all three. Links are absolute when the site has a
//! `base_url`; without one they start at the site's root (`/guide/install/index.md`), which
//! resolves against wherever the file was fetched from.
//!
//! Entry points: [`index`] (llms.txt) and [`copy`] (one page's copy with its title).

use std::fmt::Write as _;
use std::sync::Arc;

use crate::config::SiteConfig;
use crate::content::{Page, PageId};
use crate::nav::Nav;
use crate::paths;
use crate::search::SearchSettings;

/// Whether `page` has a Markdown copy and is listed in llms.txt and llms-full.txt.
pub fn includes(config: &SiteConfig, search: &SearchSettings, page: &Page) -> bool {
    config.llms.enabled && page.output_path != paths::NOT_FOUND && !search.leaves_out(page)
}

/// What goes before a site-absolute path (`/docs/guide/`) to make it a whole URL: the scheme
/// and host of `base_url` (`https://example.org`), or `""` without one.
pub fn origin(config: &SiteConfig) -> String {
    let Some(absolute) = config.absolute_base() else {
        return String::new();
    };
    let base_path = config.base_path();
    absolute
        .strip_suffix(base_path.as_str())
        .unwrap_or(&absolute)
        .to_string()
}

/// The URL of the Markdown copy of `page`.
pub fn copy_url(config: &SiteConfig, page: &Page) -> String {
    format!(
        "{}{}/{}",
        origin(config),
        config.base_path(),
        paths::markdown_copy_path(&page.output_path)
    )
}

/// A page's copy: its CommonMark (`body`, from [`crate::markdown::commonmark`]) under its
/// title as a level-1 heading, unless the body starts with one.
pub fn copy(page: &Page, body: &str) -> String {
    let starts_with_title = body.starts_with("# ") || body.starts_with("#\n");
    if starts_with_title {
        return body.to_string();
    }
    let mut text = String::with_capacity(body.len() + 64);
    text.push_str("# ");
    text.push_str(&escape_line(page.display_title()));
    text.push_str("\n\n");
    text.push_str(body);
    text
}

/// `llms.txt`.
pub fn index(
    config: &SiteConfig,
    search: &SearchSettings,
    nav: &Nav,
    pages: &[Arc<Page>],
) -> String {
    let mut text = String::new();
    let _ = writeln!(text, "# {}", escape_line(&config.title));
    let description = config.description.trim();
    if !description.is_empty() {
        text.push('\n');
        for line in description.lines() {
            let _ = writeln!(text, "> {}", line.trim());
        }
    }
    let listed = |id: PageId| includes(config, search, &pages[id]);
    let mut seen = vec![false; pages.len()];
    for &root in &nav.all.roots {
        let mut section: Vec<PageId> = Vec::new();
        let mut stack = vec![root];
        while let Some(node) = stack.pop() {
            let page = nav.all.nodes[node].page;
            if !std::mem::replace(&mut seen[page], true) && listed(page) {
                section.push(page);
            }
            stack.extend(nav.all.nodes[node].children.iter().rev());
        }
        if section.is_empty() {
            continue;
        }
        let title = pages[nav.all.nodes[root].page].display_title();
        let _ = write!(text, "\n## {}\n\n", escape_line(title));
        for page in section {
            link_line(&mut text, config, &pages[page]);
        }
    }
    let rest: Vec<PageId> = (0..pages.len())
        .filter(|&id| !seen[id] && listed(id))
        .collect();
    if !rest.is_empty() {
        text.push_str("\n## Other pages\n\n");
        for page in rest {
            link_line(&mut text, config, &pages[page]);
        }
    }
    text
}

/// `- [Title](url): description`.
fn link_line(text: &mut String, config: &SiteConfig, page: &Page) {
    let _ = write!(
        text,
        "- [{}]({})",
        escape_link_text(page.display_title()),
        copy_url(config, page).replace(' ', "%20")
    );
    let details = page
        .front
        .description
        .as_deref()
        .or(page.front.summary.as_deref())
        .map(str::trim)
        .filter(|d| !d.is_empty());
    if let Some(details) = details {
        let _ = write!(
            text,
            ": {}",
            details.split_whitespace().collect::<Vec<_>>().join(" ")
        );
    }
    text.push('\n');
}

/// Text for a heading line: on one line, with a leading `#` or trailing `#`s kept as text.
fn escape_line(text: &str) -> String {
    let one_line = text.split_whitespace().collect::<Vec<_>>().join(" ");
    match one_line.strip_suffix('#') {
        Some(stem) => format!("{stem}\\#"),
        None => one_line,
    }
}

/// Text inside `[…]`: brackets and backslashes escaped.
fn escape_link_text(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
        .chars()
    {
        if matches!(c, '[' | ']' | '\\' | '*' | '_' | '`') {
            out.push('\\');
        }
        out.push(c);
    }
    out
}

#[cfg(test)]
mod tests;
