use super::*;
use crate::content::front_matter;
use std::sync::Arc;

/// Pages from (path, front matter lines) pairs, in the given order.
fn pages(specs: &[(&str, &str)]) -> Vec<Arc<Page>> {
    specs
        .iter()
        .enumerate()
        .map(|(id, (path, yaml))| {
            let text = format!("---\n{yaml}\n---\nBody\n");
            let split = front_matter::split(&text).expect("valid front matter");
            let front = split.front_matter.unwrap();
            let location = crate::content::urls::from_source(path);
            Arc::new(Page {
                id,
                source: format!("content/{path}").into(),
                rel_path: path.to_string(),
                title: front.title.as_ref().map(|t| t.text.clone()),
                front,
                has_front_matter: true,
                body: "".into(),
                body_line: 1,
                first_heading: None,
                url: location.url,
                output_path: location.output_path,
                modified: None,
                collection: None,
                warnings: Vec::new(),
            })
        })
        .collect()
}

fn titles(pages: &[Arc<Page>], ids: &[PageId]) -> Vec<String> {
    ids.iter()
        .map(|&id| pages[id].title.clone().unwrap())
        .collect()
}

fn root_titles(nav: &Nav, pages: &[Arc<Page>]) -> Vec<String> {
    let ids: Vec<PageId> = nav
        .sidebar
        .roots
        .iter()
        .map(|&n| nav.sidebar.nodes[n].page)
        .collect();
    titles(pages, &ids)
}

#[test]
fn sort_groups_follow_just_the_docs() {
    let pages = pages(&[
        ("a.md", "title: alpha"),
        ("b.md", "title: Beta"),
        ("c.md", "title: \"10\"\nnav_order: \"10\""),
        ("d.md", "title: \"9\"\nnav_order: \"9\""),
        ("e.md", "title: A\nnav_order: A"),
        ("f.md", "title: b\nnav_order: b"),
        ("g.md", "title: 10"),
        ("h.md", "title: 9"),
        ("i.md", "title: Five\nnav_order: 5"),
        ("j.md", "title: TwoHalf\nnav_order: 2.5"),
        ("k.md", "title: One\nnav_order: 1"),
        ("l.md", "title: TwoA\nnav_order: 2"),
        ("m.md", "title: TwoB\nnav_order: 2.0"),
    ]);
    let (nav, problems) = build(&pages, NavSort::CaseSensitive, &[]);
    assert!(problems.is_empty(), "{problems:?}");
    assert_eq!(
        root_titles(&nav, &pages),
        [
            "One", "TwoA", "TwoB", "TwoHalf", "Five", "9", "10", "A", "b", "9", "10", "Beta",
            "alpha"
        ]
    );
    let (nav, _) = build(&pages, NavSort::CaseInsensitive, &[]);
    // Text is compared without numeric parsing and ignoring case.
    assert_eq!(
        root_titles(&nav, &pages),
        [
            "One", "TwoA", "TwoB", "TwoHalf", "Five", "10", "9", "A", "b", "9", "10", "alpha",
            "Beta"
        ]
    );
}

#[test]
fn ties_keep_source_order() {
    let pages = pages(&[
        ("z.md", "title: Zed\nnav_order: 1"),
        ("a.md", "title: Ay\nnav_order: 1"),
        ("m.md", "title: Em\nnav_order: 1"),
    ]);
    let (nav, _) = build(&pages, NavSort::CaseSensitive, &[]);
    assert_eq!(root_titles(&nav, &pages), ["Zed", "Ay", "Em"]);
}

#[test]
fn children_breadcrumbs_and_neighbours() {
    let pages = pages(&[
        ("index.md", "title: Home\nnav_order: 1"),
        ("guide/index.md", "title: Guide\nnav_order: 2"),
        (
            "guide/b.md",
            "title: Beta page\nparent: Guide\nnav_order: 2",
        ),
        (
            "guide/a.md",
            "title: Alpha page\nparent: Guide\nnav_order: 1",
        ),
        (
            "guide/a/deep.md",
            "title: Deep\nparent: Alpha page\ngrand_parent: Guide",
        ),
        (
            "guide/a/deeper.md",
            "title: Deeper\nparent: Deep\nancestor: Guide",
        ),
    ]);
    let (nav, problems) = build(&pages, NavSort::CaseSensitive, &[]);
    assert!(problems.is_empty(), "{problems:?}");
    assert_eq!(
        titles(&pages, &nav.children(1)),
        ["Alpha page", "Beta page"]
    );
    assert_eq!(
        titles(&pages, &nav.breadcrumbs(5)),
        ["Guide", "Alpha page", "Deep"]
    );
    assert!(nav.breadcrumbs(0).is_empty());
    // Reading order: Home, Guide, Alpha, Deep, Deeper, Beta.
    assert_eq!(nav.next(0), Some(1));
    assert_eq!(nav.next(3), Some(4));
    assert_eq!(nav.next(5), Some(2));
    assert_eq!(nav.previous(2), Some(5));
    assert_eq!(nav.next(2), None);
    assert_eq!(nav.previous(0), None);
}

#[test]
fn acceptance_rules() {
    let pages = pages(&[
        ("layout.md", "title: Layout"),
        ("utilities.md", "title: Utilities"),
        ("u-layout.md", "title: Layout\nparent: Utilities"),
        // (c): a bare parent that is a top-level title binds to the top-level page only.
        ("minimal.md", "title: Minimal\nparent: Layout"),
        // (a): grand_parent picks the nested "Layout".
        (
            "spacing.md",
            "title: Spacing\nparent: Layout\ngrand_parent: Utilities",
        ),
        // (b): ancestor also works.
        (
            "colors.md",
            "title: Colors\nparent: Layout\nancestor: Utilities",
        ),
    ]);
    let (nav, problems) = build(&pages, NavSort::CaseSensitive, &[]);
    assert!(problems.is_empty(), "{problems:?}");
    assert_eq!(titles(&pages, &nav.children(0)), ["Minimal"]);
    assert_eq!(titles(&pages, &nav.children(2)), ["Colors", "Spacing"]);
    assert_eq!(titles(&pages, &nav.breadcrumbs(4)), ["Utilities", "Layout"]);
}

#[test]
fn shared_parent_titles_duplicate_and_warn() {
    let pages = pages(&[
        ("a.md", "title: A"),
        ("b.md", "title: B"),
        ("a-setup.md", "title: Setup\nparent: A"),
        ("b-setup.md", "title: Setup\nparent: B"),
        ("child.md", "title: Child\nparent: Setup"),
    ]);
    let (nav, problems) = build(&pages, NavSort::CaseSensitive, &[]);
    let occurrences = nav.all.nodes.iter().filter(|n| n.page == 4).count();
    assert_eq!(occurrences, 2);
    assert_eq!(problems.len(), 1, "{problems:?}");
    assert!(
        problems[0].message.contains("2 pages"),
        "{}",
        problems[0].message
    );
    assert_eq!(problems[0].line, Some(3));
    assert!(
        problems[0]
            .help
            .as_deref()
            .unwrap()
            .contains("grand_parent")
    );
}

#[test]
fn orphans_and_cycles_warn() {
    let pages = pages(&[
        ("a.md", "title: Networking"),
        ("b.md", "title: Orphan\nparent: Netwroking"),
        ("c.md", "title: Loop\nparent: Networking"),
        ("d.md", "title: Networking\nparent: Loop"),
    ]);
    let (nav, problems) = build(&pages, NavSort::CaseSensitive, &[]);
    assert!(!nav.in_sidebar(1));
    let orphan = problems
        .iter()
        .find(|p| p.message.contains("Netwroking"))
        .unwrap();
    assert!(orphan.help.as_deref().unwrap().contains("`Networking`"));
    assert_eq!(orphan.line, Some(3));
    let cycle = problems.iter().find(|p| p.message.contains("∞")).unwrap();
    assert_eq!(
        cycle.file.as_deref(),
        Some(std::path::Path::new("content/d.md"))
    );
    assert!(nav.all.nodes.iter().any(|n| n.cycle && n.page == 3));
}

#[test]
fn exclusion_and_child_options() {
    let pages = pages(&[
        ("p.md", "title: P\nchild_nav_order: reversed"),
        ("p1.md", "title: P1\nparent: P\nnav_order: 1"),
        (
            "p2.md",
            "title: P2\nparent: P\nnav_order: 2\nnav_exclude: true",
        ),
        ("p2a.md", "title: P2a\nparent: P2"),
        ("q.md", "title: Q\nhas_children: false"),
        ("q1.md", "title: Q1\nparent: Q"),
    ]);
    let (nav, problems) = build(&pages, NavSort::CaseSensitive, &[]);
    assert!(problems.is_empty(), "{problems:?}");
    // nav_exclude hides P2 and its subtree from the sidebar only.
    assert!(!nav.in_sidebar(2) && !nav.in_sidebar(3));
    assert_eq!(titles(&pages, &nav.children(0)), ["P2", "P1"]);
    assert_eq!(titles(&pages, &nav.breadcrumbs(3)), ["P", "P2"]);
    // has_children: false hides children in the sidebar; they keep their breadcrumbs.
    assert!(!nav.in_sidebar(5));
    assert_eq!(titles(&pages, &nav.breadcrumbs(5)), ["Q"]);
    assert_eq!(nav.sidebar_focus(5), nav.sidebar_focus(4));
}

#[test]
fn reading_order_goes_down_the_whole_tree_then_the_rest() {
    let pages = pages(&[
        ("a.md", "title: A\nnav_order: 2"),
        ("a1.md", "title: A1\nparent: A\nnav_exclude: true"),
        ("b.md", "title: B\nnav_order: 1"),
        ("loose.md", ""),
        ("b1.md", "title: B1\nparent: B"),
    ]);
    let (nav, _) = build(&pages, NavSort::CaseSensitive, &[]);
    let order = nav.reading_order(pages.len());
    let titles: Vec<&str> = order
        .iter()
        .map(|&id| pages[id].rel_path.as_str())
        .collect();
    assert_eq!(titles, ["b.md", "b1.md", "a.md", "a1.md", "loose.md"]);
    assert_eq!(nav.depth(4), 1);
    assert_eq!(nav.depth(2), 0);
    assert_eq!(nav.depth(3), 0);
}
