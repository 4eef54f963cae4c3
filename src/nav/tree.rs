//! Builds the navigation tree from titles and `parent` / `grand_parent` / `ancestor`, with
//! just-the-docs' acceptance rules, and reports what just-the-docs silently gets wrong.

use std::collections::{HashMap, HashSet};
use std::sync::Arc;

use super::sort::sort_siblings;
use super::{NavNode, NavTree};
use crate::config::NavSort;
use crate::content::{Page, PageId};
use crate::diagnostics::{Diagnostic, closest};

/// More nodes than this means titles are shared in a way that duplicates subtrees without end.
fn node_budget(pages: usize) -> usize {
    (pages * 8).max(10_000)
}

/// The full tree of the pages `members` (with `nav_exclude` pages and children of
/// `has_children: false` pages); titles are looked up among the members only.
pub fn build_all(
    pages: &[Arc<Page>],
    members: &[PageId],
    sort: NavSort,
    problems: &mut Vec<Diagnostic>,
) -> NavTree {
    let titled: Vec<PageId> = members
        .iter()
        .copied()
        .filter(|&id| pages[id].title.is_some())
        .collect();
    let mut by_parent: HashMap<&str, Vec<PageId>> = HashMap::new();
    let mut top: Vec<PageId> = Vec::new();
    for &id in &titled {
        match pages[id].front.parent.as_deref() {
            Some(parent) if !parent.is_empty() => by_parent.entry(parent).or_default().push(id),
            _ => top.push(id),
        }
    }
    let top_titles: HashSet<&str> = top
        .iter()
        .filter_map(|&id| pages[id].title.as_deref())
        .collect();
    sort_siblings(&mut top, pages, sort);

    let mut tree = NavTree::default();
    for &id in &top {
        let node = tree.push(id, None);
        tree.roots.push(node);
    }
    // Depth-first with an explicit stack: (node, titles of its ancestors).
    let mut stack: Vec<(usize, Vec<String>)> =
        tree.roots.iter().rev().map(|&n| (n, Vec::new())).collect();
    let budget = node_budget(pages.len());
    let mut over_budget = false;
    while let Some((node, ancestors)) = stack.pop() {
        let page = &pages[tree.nodes[node].page];
        let title = page.title.as_deref().unwrap_or_default();
        if ancestors.iter().any(|a| a == title) {
            tree.nodes[node].cycle = true;
            continue;
        }
        let Some(candidates) = by_parent.get(title) else {
            continue;
        };
        let mut accepted: Vec<PageId> = candidates
            .iter()
            .copied()
            .filter(|&child| accepts(page, &ancestors, &pages[child], &top_titles))
            .collect();
        if accepted.is_empty() {
            continue;
        }
        sort_siblings(&mut accepted, pages, sort);
        if matches!(
            page.front.child_nav_order.as_deref(),
            Some("reversed" | "desc")
        ) {
            accepted.reverse();
        }
        if tree.nodes.len() + accepted.len() > budget {
            over_budget = true;
            continue;
        }
        let mut child_ancestors = ancestors.clone();
        child_ancestors.push(title.to_string());
        let children: Vec<usize> = accepted
            .iter()
            .map(|&child| tree.push(child, Some(node)))
            .collect();
        for &child in children.iter().rev() {
            stack.push((child, child_ancestors.clone()));
        }
        tree.nodes[node].children = children;
    }
    if over_budget {
        problems.push(
            Diagnostic::error("the navigation grows without bound: pages share titles so that subtrees repeat under each other")
                .with_help("give pages unique titles, or add grand_parent/ancestor to the pages whose parent title is shared"),
        );
    }
    tree
}

/// just-the-docs' three rules for accepting `child` under `node`.
fn accepts(node: &Page, ancestors: &[String], child: &Page, top_titles: &HashSet<&str>) -> bool {
    let grand_parent = child
        .front
        .grand_parent
        .as_deref()
        .filter(|g| !g.is_empty());
    let ancestor = child.front.ancestor.as_deref().filter(|a| !a.is_empty());
    if let Some(grand_parent) = grand_parent
        && Some(grand_parent) != node.front.parent.as_deref()
    {
        return false;
    }
    if let Some(ancestor) = ancestor
        && Some(ancestor) != node.title.as_deref()
        && !ancestors.iter().any(|a| a == ancestor)
    {
        return false;
    }
    // A bare `parent: X` where X is a top-level title binds to the top-level page only.
    let parent = child.front.parent.as_deref().unwrap_or_default();
    if grand_parent.is_none()
        && ancestor.is_none()
        && top_titles.contains(parent)
        && !ancestors.is_empty()
    {
        return false;
    }
    true
}

/// Warnings about the pages `members` that `tree` (built from them) could not place, or
/// placed more than once.
pub fn check(pages: &[Arc<Page>], members: &[PageId], tree: &NavTree) -> Vec<Diagnostic> {
    let mut problems = Vec::new();
    let mut parents_of: Vec<Vec<PageId>> = vec![Vec::new(); pages.len()];
    let mut placed = vec![false; pages.len()];
    let mut cycle_reported = vec![false; pages.len()];
    for node in &tree.nodes {
        placed[node.page] = true;
        if let Some(parent) = node.parent {
            let parent_page = tree.nodes[parent].page;
            if !parents_of[node.page].contains(&parent_page) {
                parents_of[node.page].push(parent_page);
            }
        }
        if node.cycle && !cycle_reported[node.page] {
            cycle_reported[node.page] = true;
            let page = &pages[node.page];
            problems.push(
                Diagnostic::warning(format!(
                    "the title `{}` repeats the title of one of its ancestors, so the navigation shows it as ∞ and stops there",
                    page.title.as_deref().unwrap_or_default()
                ))
                .in_file(&page.source)
                .at_line(page.front.line_of("title"))
                .with_help("give the page a title of its own, or set grand_parent/ancestor so it attaches elsewhere")
                .with_kind("nav-title-repeats-ancestor"),
            );
        }
    }
    let members: Vec<&Arc<Page>> = members.iter().map(|&id| &pages[id]).collect();
    for page in members.iter().copied() {
        // just-the-docs lists only titled pages; one without a title can be reached only by
        // links, which is seldom what its writer meant.
        if page.title.is_none() && page.front.title.is_none() && !page.front.nav_exclude {
            problems.push(
                Diagnostic::warning("this page has no title, so the navigation does not list it")
                    .in_file(&page.source)
                    .at_line(if page.has_front_matter { 1 } else { page.body_line })
                    .with_help("add `title:` to its front matter, or `nav_exclude: true` if only links should lead to it")
                    .with_kind("nav-unreachable"),
            );
        }
    }
    let titles: Vec<&str> = members.iter().filter_map(|p| p.title.as_deref()).collect();
    for page in members.iter().copied() {
        let Some(parent) = page.front.parent.as_deref().filter(|p| !p.is_empty()) else {
            continue;
        };
        if page.title.is_none() {
            continue;
        }
        let line = page.front.line_of("parent");
        if !placed[page.id] {
            let diagnostic = if titles.contains(&parent) {
                Diagnostic::warning(format!(
                    "no page titled `{parent}` accepts this page (its grand_parent/ancestor does not match), so it is not in the navigation"
                ))
                .with_help("check grand_parent and ancestor against the titles above the parent page")
            } else if let Some(elsewhere) = pages
                .iter()
                .find(|p| p.title.as_deref() == Some(parent) && p.collection != page.collection)
            {
                Diagnostic::warning(format!(
                    "parent `{parent}` is the title of {}, which is in another part of the navigation, so this page is not in it",
                    crate::diagnostics::display_path(&elsewhere.source)
                ))
                .with_help("a collection's pages have their parents in the same collection, and the site's own pages theirs among the site's own pages")
            } else {
                let help = match closest(parent, titles.iter().copied()) {
                    Some(best) => format!(
                        "did you mean `{best}`? parent must be the exact title of another page"
                    ),
                    None => "parent must be the exact title of another page".into(),
                };
                Diagnostic::warning(format!(
                    "parent `{parent}` matches no page title, so this page is not in the navigation"
                ))
                .with_help(help)
            };
            problems.push(
                diagnostic
                    .in_file(&page.source)
                    .at_line(line)
                    .with_kind("nav-unknown-parent"),
            );
        } else if parents_of[page.id].len() > 1 {
            let files: Vec<String> = parents_of[page.id]
                .iter()
                .map(|&p| crate::diagnostics::display_path(&pages[p].source))
                .collect();
            problems.push(
                Diagnostic::warning(format!(
                    "parent `{parent}` is the title of {} pages ({}), so this page appears under each of them",
                    files.len(),
                    files.join(", ")
                ))
                .in_file(&page.source)
                .at_line(line)
                .with_help("add `grand_parent:` (the parent's parent title) or `ancestor:` to pick one")
                .with_kind("nav-ambiguous-parent"),
            );
        }
    }
    problems
}

impl NavTree {
    fn push(&mut self, page: PageId, parent: Option<usize>) -> usize {
        self.nodes.push(NavNode {
            page,
            parent,
            children: Vec::new(),
            cycle: false,
        });
        self.nodes.len() - 1
    }
}
