//! The navigation model: the page tree with just-the-docs semantics, and what each page
//! derives from it (breadcrumbs, children, previous and next page, its sidebar).
//!
//! Entry point: [`build`]. The tree is built once per build; per-page views are cheap lookups.

pub mod sidebar;
mod sort;
mod tree;

use crate::config::{CollectionConfig, NavSort};
use crate::content::{Page, PageId};
use crate::diagnostics::Diagnostic;
use std::sync::Arc;

/// One place of a page in a tree (a page can appear more than once under shared titles).
#[derive(Debug, Clone)]
pub struct NavNode {
    pub page: PageId,
    pub parent: Option<usize>,
    pub children: Vec<usize>,
    /// The page's title repeats an ancestor's: shown as ∞ and not expanded.
    pub cycle: bool,
}

#[derive(Debug, Clone, Default)]
pub struct NavTree {
    pub nodes: Vec<NavNode>,
    pub roots: Vec<usize>,
}

impl NavTree {
    /// Adds the nodes of `other` after this tree's, with its roots after this tree's roots.
    fn append(&mut self, other: NavTree) {
        let offset = self.nodes.len();
        self.nodes.extend(other.nodes.into_iter().map(|mut node| {
            node.parent = node.parent.map(|p| p + offset);
            for child in &mut node.children {
                *child += offset;
            }
            node
        }));
        self.roots
            .extend(other.roots.into_iter().map(|r| r + offset));
    }

    /// Nodes in reading order (depth first).
    pub fn preorder(&self) -> Vec<usize> {
        let mut order = Vec::with_capacity(self.nodes.len());
        let mut stack: Vec<usize> = self.roots.iter().rev().copied().collect();
        while let Some(node) = stack.pop() {
            order.push(node);
            stack.extend(self.nodes[node].children.iter().rev());
        }
        order
    }

    /// The first node of each page in reading order.
    fn first_occurrences(&self, page_count: usize) -> Vec<Option<usize>> {
        let mut first = vec![None; page_count];
        for node in self.preorder() {
            let page = self.nodes[node].page;
            if first[page].is_none() {
                first[page] = Some(node);
            }
        }
        first
    }

    /// The nodes from the root down to `node` (included).
    pub fn path_to(&self, node: usize) -> Vec<usize> {
        let mut path = vec![node];
        let mut current = node;
        while let Some(parent) = self.nodes[current].parent {
            path.push(parent);
            current = parent;
        }
        path.reverse();
        path
    }
}

/// The navigation of a site.
#[derive(Debug, Default)]
pub struct Nav {
    /// Every page that the tree accepts, including `nav_exclude`d ones: breadcrumbs and
    /// child lists come from this tree.
    pub all: NavTree,
    /// What the sidebar shows: `all` without `nav_exclude` subtrees and without the children
    /// of `has_children: false` pages.
    pub sidebar: NavTree,
    first_in_all: Vec<Option<usize>>,
    first_in_sidebar: Vec<Option<usize>>,
    /// For each page: its previous and next page in sidebar reading order.
    neighbours: Vec<(Option<PageId>, Option<PageId>)>,
    /// The sidebar's sections: the site's pages, then each collection shown in the sidebar.
    pub sections: Vec<NavSection>,
}

/// One section of the sidebar: the site's own pages, or a collection.
#[derive(Debug, Clone, Default)]
pub struct NavSection {
    /// The heading (`None` for the site's own pages, and for a collection that is all the
    /// site has).
    pub name: Option<String>,
    /// Shown folded, with a button to open it.
    pub fold: bool,
    /// Its top nodes in the sidebar tree.
    pub roots: Vec<usize>,
}

/// Builds the navigation and reports pages it cannot place as their writers meant. The site's
/// own pages and each collection get a tree of their own (a separate namespace of titles),
/// shown one after the other.
pub fn build(
    pages: &[Arc<Page>],
    sort: NavSort,
    collections: &[CollectionConfig],
) -> (Nav, Vec<Diagnostic>) {
    let mut problems = Vec::new();
    let mut all = NavTree::default();
    // The section of each root of `all`; `None` for a collection left out of the sidebar.
    let mut root_sections: Vec<Option<usize>> = Vec::new();
    let mut sections = Vec::new();
    let plain_pages = pages.iter().any(|p| p.collection.is_none());
    for group in std::iter::once(None).chain((0..collections.len()).map(Some)) {
        let members: Vec<PageId> = pages
            .iter()
            .filter(|p| p.collection == group)
            .map(|p| p.id)
            .collect();
        let tree = tree::build_all(pages, &members, sort, &mut problems);
        problems.extend(tree::check(pages, &members, &tree));
        let shown = match group {
            None => {
                sections.push(NavSection::default());
                Some(sections.len() - 1)
            }
            Some(index) if !collections[index].nav_exclude => {
                let collection = &collections[index];
                let alone =
                    !plain_pages && collections.iter().filter(|c| !c.nav_exclude).count() == 1;
                sections.push(NavSection {
                    name: (!alone).then(|| collection.display_name()),
                    fold: collection.nav_fold,
                    roots: Vec::new(),
                });
                Some(sections.len() - 1)
            }
            Some(_) => None,
        };
        root_sections.extend(tree.roots.iter().map(|_| shown));
        all.append(tree);
    }
    let sidebar = sidebar_tree(&all, pages, &root_sections, &mut sections);
    let first_in_all = all.first_occurrences(pages.len());
    let first_in_sidebar = sidebar.first_occurrences(pages.len());

    let mut neighbours = vec![(None, None); pages.len()];
    let mut previous: Option<PageId> = None;
    let mut seen = vec![false; pages.len()];
    for node in sidebar.preorder() {
        let page = sidebar.nodes[node].page;
        if std::mem::replace(&mut seen[page], true) {
            continue;
        }
        if let Some(before) = previous {
            neighbours[before].1 = Some(page);
            neighbours[page].0 = Some(before);
        }
        previous = Some(page);
    }
    let nav = Nav {
        all,
        sidebar,
        first_in_all,
        first_in_sidebar,
        neighbours,
        sections,
    };
    (nav, problems)
}

/// The sidebar's tree: `all` without `nav_exclude` subtrees, the children of
/// `has_children: false` pages, and collections left out of the sidebar; each root goes to
/// the section `root_sections` names for its root in `all`.
fn sidebar_tree(
    all: &NavTree,
    pages: &[Arc<Page>],
    root_sections: &[Option<usize>],
    sections: &mut [NavSection],
) -> NavTree {
    let mut sidebar = NavTree::default();
    let mut stack: Vec<(usize, Option<usize>, Option<usize>)> = all
        .roots
        .iter()
        .zip(root_sections)
        .rev()
        .filter_map(|(&n, section)| section.map(|s| (n, None, Some(s))))
        .collect();
    while let Some((node, parent, section)) = stack.pop() {
        let source = &all.nodes[node];
        let page = &pages[source.page];
        if page.front.nav_exclude {
            continue;
        }
        sidebar.nodes.push(NavNode {
            page: source.page,
            parent,
            children: Vec::new(),
            cycle: source.cycle,
        });
        let index = sidebar.nodes.len() - 1;
        match parent {
            Some(parent) => sidebar.nodes[parent].children.push(index),
            None => {
                sidebar.roots.push(index);
                if let Some(section) = section {
                    sections[section].roots.push(index);
                }
            }
        }
        if page.front.has_children != Some(false) {
            stack.extend(
                source
                    .children
                    .iter()
                    .rev()
                    .map(|&child| (child, Some(index), None)),
            );
        }
    }
    sidebar
}

impl Nav {
    /// The pages above `page`, root first (empty when it is not in the navigation).
    pub fn breadcrumbs(&self, page: PageId) -> Vec<PageId> {
        let Some(node) = self.first_in_all.get(page).copied().flatten() else {
            return Vec::new();
        };
        let mut path = self.all.path_to(node);
        path.pop();
        path.into_iter().map(|n| self.all.nodes[n].page).collect()
    }

    /// The pages directly under `page`, in order (for the list at the bottom of a page).
    pub fn children(&self, page: PageId) -> Vec<PageId> {
        let Some(node) = self.first_in_all.get(page).copied().flatten() else {
            return Vec::new();
        };
        if self.all.nodes[node].cycle {
            return Vec::new();
        }
        self.all.nodes[node]
            .children
            .iter()
            .map(|&c| self.all.nodes[c].page)
            .collect()
    }

    pub fn previous(&self, page: PageId) -> Option<PageId> {
        self.neighbours.get(page).and_then(|n| n.0)
    }

    pub fn next(&self, page: PageId) -> Option<PageId> {
        self.neighbours.get(page).and_then(|n| n.1)
    }

    /// The sidebar node that stands for `page`: its own, or that of its closest ancestor in
    /// the sidebar (for pages left out of the sidebar).
    pub fn sidebar_focus(&self, page: PageId) -> Option<usize> {
        if let Some(node) = self.first_in_sidebar.get(page).copied().flatten() {
            return Some(node);
        }
        let node = self.first_in_all.get(page).copied().flatten()?;
        self.all
            .path_to(node)
            .iter()
            .rev()
            .skip(1)
            .find_map(|&n| self.first_in_sidebar[self.all.nodes[n].page])
    }

    /// Every page once, in reading order: the pages of the navigation as a reader goes down
    /// the whole tree (`nav_exclude`d pages and hidden collections included, at their
    /// place), then the pages that are in no tree (no title, or a parent that left them
    /// out), in source order. The order of the print page and of `llms-full.txt`.
    pub fn reading_order(&self, page_count: usize) -> Vec<PageId> {
        let mut seen = vec![false; page_count];
        let mut order = Vec::with_capacity(page_count);
        for node in self.all.preorder() {
            let page = self.all.nodes[node].page;
            if page < page_count && !std::mem::replace(&mut seen[page], true) {
                order.push(page);
            }
        }
        order.extend((0..page_count).filter(|&page| !seen[page]));
        order
    }

    /// The depth of `page` in the whole tree (0 for a top-level page and for pages in no
    /// tree).
    pub fn depth(&self, page: PageId) -> usize {
        self.first_in_all
            .get(page)
            .copied()
            .flatten()
            .map_or(0, |node| self.all.path_to(node).len() - 1)
    }

    /// Whether `page` is shown in the sidebar.
    #[cfg(test)]
    pub fn in_sidebar(&self, page: PageId) -> bool {
        self.first_in_sidebar.get(page).is_some_and(Option::is_some)
    }
}

#[cfg(test)]
mod tests;
