//! The sidebar markup of each page, kept small whatever the size of the site, and the shared
//! `nav.json` with the whole tree for the theme's script.
//!
//! A page's sidebar holds the branch of the current page: at each level, the siblings of the
//! node on the path (at most a window of them around it), with the path expanded. Other
//! branches are collapsed, and lists longer than the window end in a "more" item; the script
//! fills both in from `nav.json`. Its size depends on the tree's depth and the window, not on
//! the number of pages, so total output grows linearly with the site.

use std::fmt::Write as _;
use std::sync::Arc;

use pulldown_cmark_escape::{escape_href, escape_html_body_text};
use serde::Serialize;

use super::{Nav, NavTree};
use crate::content::{Page, PageId};

/// Siblings shown around the node on the current page's path (on each side).
const WINDOW_RADIUS: usize = 12;
/// Lists up to this long are always shown whole.
const WHOLE_LIST: usize = 2 * WINDOW_RADIUS + 1;

/// The sidebar HTML for `page`, with the page (or its closest shown ancestor) marked active:
/// the site's own pages, and the collections' sections (which just-the-docs shows after the
/// external links).
pub fn render(nav: &Nav, pages: &[Arc<Page>], page: PageId, base_path: &str) -> Sidebar {
    let tree = &nav.sidebar;
    let path = nav
        .sidebar_focus(page)
        .map(|node| tree.path_to(node))
        .unwrap_or_default();
    let current = nav
        .sidebar_focus(page)
        .filter(|&node| tree.nodes[node].page == page);
    let writer = SidebarWriter {
        tree,
        pages,
        base_path,
        path: &path,
        current,
    };
    let mut sidebar = Sidebar::default();
    for (index, section) in nav.sections.iter().enumerate() {
        let out = if index == 0 {
            &mut sidebar.pages
        } else {
            &mut sidebar.collections
        };
        let Some(name) = &section.name else {
            writer.list(out, &section.roots, Parent::Section(index), 0);
            continue;
        };
        let inside = path
            .first()
            .is_some_and(|root| section.roots.contains(root));
        if section.fold {
            out.push_str("<details class=\"nav-category-fold\"");
            if inside {
                out.push_str(" open");
            }
            out.push_str("><summary class=\"nav-category\">");
            let _ = escape_html_body_text(&mut *out, name);
            out.push_str("</summary>");
            writer.list(out, &section.roots, Parent::Section(index), 0);
            out.push_str("</details>");
        } else {
            out.push_str("<div class=\"nav-category\">");
            let _ = escape_html_body_text(&mut *out, name);
            out.push_str("</div>");
            writer.list(out, &section.roots, Parent::Section(index), 0);
        }
    }
    sidebar
}

/// A page's sidebar, in two parts.
#[derive(Debug, Default, Clone)]
pub struct Sidebar {
    /// The site's own pages.
    pub pages: String,
    /// The collections' sections.
    pub collections: String,
}

/// Whose list a "more" item stands in.
#[derive(Debug, Clone, Copy)]
enum Parent {
    /// The top of a section (`root` for the first, `root-N` for the others in nav.json).
    Section(usize),
    Node(usize),
}

struct SidebarWriter<'a> {
    tree: &'a NavTree,
    pages: &'a [Arc<Page>],
    base_path: &'a str,
    path: &'a [usize],
    current: Option<usize>,
}

impl SidebarWriter<'_> {
    fn list(&self, out: &mut String, nodes: &[usize], parent: Parent, depth: usize) {
        let focus = self
            .path
            .get(depth)
            .and_then(|on_path| nodes.iter().position(|n| n == on_path));
        let (from, to) = window(nodes.len(), focus);
        out.push_str("<ul class=\"nav-list\">");
        if from > 0 {
            self.more(out, parent, 0, from);
        }
        for &node in &nodes[from..to] {
            self.item(out, node, depth);
        }
        if to < nodes.len() {
            self.more(out, parent, to, nodes.len());
        }
        out.push_str("</ul>");
    }

    fn item(&self, out: &mut String, node: usize, depth: usize) {
        let entry = &self.tree.nodes[node];
        let page = &self.pages[entry.page];
        let on_path = self.path.get(depth) == Some(&node);
        let has_children = !entry.children.is_empty() && !entry.cycle;
        // Expander buttons are added by the script (they need it to work); `data-nav` ties
        // the item to its node in nav.json.
        out.push_str("<li class=\"nav-list-item");
        if on_path {
            out.push_str(" active");
        }
        if has_children {
            let _ = write!(out, "\" data-nav=\"{node}");
        }
        out.push_str("\"><a href=\"");
        let _ = escape_href(&mut *out, self.base_path);
        let _ = escape_href(&mut *out, &page.url);
        out.push_str("\" class=\"nav-list-link");
        if self.current == Some(node) {
            out.push_str(" active\" aria-current=\"page");
        }
        out.push_str("\">");
        let title = if entry.cycle {
            "∞"
        } else {
            page.display_title()
        };
        let _ = escape_html_body_text(&mut *out, title);
        out.push_str("</a>");
        if on_path && has_children {
            self.list(out, &entry.children, Parent::Node(node), depth + 1);
        }
        out.push_str("</li>");
    }

    /// An item standing for the siblings `from..to` that are not written in this page.
    fn more(&self, out: &mut String, parent: Parent, from: usize, to: usize) {
        let parent = match parent {
            Parent::Section(0) => String::from("root"),
            Parent::Section(index) => format!("root-{index}"),
            Parent::Node(node) => node.to_string(),
        };
        let _ = write!(
            out,
            "<li class=\"nav-list-item nav-list-more\" data-nav-parent=\"{parent}\" data-nav-from=\"{from}\" data-nav-to=\"{to}\"><span class=\"nav-list-link\">{} more</span></li>",
            to - from
        );
    }
}

/// The part of a list of `len` siblings to write, around `focus`.
fn window(len: usize, focus: Option<usize>) -> (usize, usize) {
    if len <= WHOLE_LIST {
        return (0, len);
    }
    let focus = focus.unwrap_or(0);
    let from = focus.saturating_sub(WINDOW_RADIUS);
    let to = (from + WHOLE_LIST).min(len);
    (to.saturating_sub(WHOLE_LIST), to)
}

#[derive(Serialize)]
struct JsonNode<'a> {
    /// Title.
    t: &'a str,
    /// URL with base path.
    u: String,
    /// Child node indexes.
    #[serde(skip_serializing_if = "<[usize]>::is_empty")]
    c: &'a [usize],
}

#[derive(Serialize)]
struct JsonSection<'a> {
    /// Heading.
    n: Option<&'a str>,
    /// Top node indexes.
    r: &'a [usize],
}

#[derive(Serialize)]
struct JsonNav<'a> {
    version: u32,
    /// The first section's top nodes (the site's own pages).
    roots: &'a [usize],
    nodes: Vec<JsonNode<'a>>,
    /// Every section, the first included.
    sections: Vec<JsonSection<'a>>,
}

/// The whole sidebar tree as JSON; node indexes match the `data-nav` attributes.
pub fn nav_json(nav: &Nav, pages: &[Arc<Page>], base_path: &str) -> String {
    let nodes = nav
        .sidebar
        .nodes
        .iter()
        .map(|node| {
            let page = &pages[node.page];
            JsonNode {
                t: if node.cycle {
                    "∞"
                } else {
                    page.display_title()
                },
                u: format!("{base_path}{}", page.url),
                c: if node.cycle { &[] } else { &node.children },
            }
        })
        .collect();
    let sections = nav
        .sections
        .iter()
        .map(|section| JsonSection {
            n: section.name.as_deref(),
            r: &section.roots,
        })
        .collect();
    serde_json::to_string(&JsonNav {
        version: 1,
        roots: nav.sections.first().map_or(&[], |s| &s.roots),
        nodes,
        sections,
    })
    .unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn windows_are_bounded_and_contain_the_focus() {
        assert_eq!(window(10, Some(3)), (0, 10));
        assert_eq!(window(200, Some(0)), (0, WHOLE_LIST));
        assert_eq!(window(200, Some(100)), (88, 113));
        assert_eq!(window(200, Some(199)), (200 - WHOLE_LIST, 200));
        for focus in 0..200 {
            let (from, to) = window(200, Some(focus));
            assert!(from <= focus && focus < to && to - from == WHOLE_LIST);
        }
    }
}
