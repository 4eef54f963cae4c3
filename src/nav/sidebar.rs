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

/// The sidebar HTML for `page`, with the page (or its closest shown ancestor) marked active.
pub fn render(nav: &Nav, pages: &[Arc<Page>], page: PageId, base_path: &str) -> String {
    let tree = &nav.sidebar;
    let path = nav
        .sidebar_focus(page)
        .map(|node| tree.path_to(node))
        .unwrap_or_default();
    let current = nav
        .sidebar_focus(page)
        .filter(|&node| tree.nodes[node].page == page);
    let mut out = String::with_capacity(4096);
    let writer = SidebarWriter {
        tree,
        pages,
        base_path,
        path: &path,
        current,
    };
    writer.list(&mut out, &tree.roots, None, 0);
    out
}

struct SidebarWriter<'a> {
    tree: &'a NavTree,
    pages: &'a [Arc<Page>],
    base_path: &'a str,
    path: &'a [usize],
    current: Option<usize>,
}

impl SidebarWriter<'_> {
    fn list(&self, out: &mut String, nodes: &[usize], parent: Option<usize>, depth: usize) {
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
            self.list(out, &entry.children, Some(node), depth + 1);
        }
        out.push_str("</li>");
    }

    /// An item standing for the siblings `from..to` that are not written in this page.
    fn more(&self, out: &mut String, parent: Option<usize>, from: usize, to: usize) {
        let parent = parent.map_or(String::from("root"), |p| p.to_string());
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
struct JsonNav<'a> {
    version: u32,
    roots: &'a [usize],
    nodes: Vec<JsonNode<'a>>,
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
    serde_json::to_string(&JsonNav {
        version: 1,
        roots: &nav.sidebar.roots,
        nodes,
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
