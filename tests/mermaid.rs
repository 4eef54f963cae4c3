//! Mermaid fences built by the real binary: inline SVG with an accessible name, ids unique in
//! the page, labels as text, a diagram folio cannot draw left as code with a warning at its
//! line, nothing extra loaded, and search told the labels rather than the SVG.

mod common;

use std::collections::HashSet;

use common::{Page, Site, text_of};

fn built() -> (Site, String) {
    let site = Site::fixture("mermaid");
    let built = site.build(&[]).ok();
    (site, built.stderr())
}

/// Every stylesheet and script a page asks for.
fn requests(page: &Page) -> Vec<String> {
    let mut found: Vec<String> = page.hrefs("link[rel=stylesheet]");
    found.extend(
        page.select("script[src]")
            .iter()
            .filter_map(|s| s.value().attr("src").map(str::to_string)),
    );
    found
}

#[test]
fn diagrams_are_inline_svg_images_with_names() {
    let (site, _) = built();
    let page = site.page("architecture/index.html");
    let svgs = page.select("div.mermaid-diagram > svg");
    assert_eq!(svgs.len(), 4, "four diagrams are drawn");
    for svg in &svgs {
        assert_eq!(svg.value().attr("role"), Some("img"));
        let title_id = svg.value().attr("aria-labelledby").expect("a name");
        let title = page.one(&format!("title#{title_id}"));
        assert!(!text_of(&title).is_empty());
        assert!(svg.value().attr("viewBox").is_some());
    }
    assert_eq!(
        text_of(&page.one("#mermaid-1-title")),
        "Checkout request path"
    );
    assert_eq!(
        text_of(&page.one("#mermaid-1-desc")),
        "The browser calls the gateway, which checks the token and calls the order service."
    );
    assert_eq!(
        svgs[0].value().attr("aria-describedby"),
        Some("mermaid-1-desc")
    );
    assert_eq!(
        text_of(&page.one("#mermaid-2-title")),
        "Sign-in with single sign-on"
    );
    assert_eq!(text_of(&page.one("#mermaid-3-title")), "State diagram");
    // The labels are there as SVG text.
    let text = text_of(&svgs[0]);
    for label in [
        "Browser",
        "API gateway",
        "Token valid?",
        "Orders DB",
        "Backend cluster",
    ] {
        assert!(text.contains(label), "{label} missing from {text}");
    }
    assert!(text_of(&svgs[1]).contains("403 Forbidden"));
}

#[test]
fn ids_are_unique_in_the_page_and_references_stay_inside_each_diagram() {
    let (site, _) = built();
    let page = site.page("architecture/index.html");
    let mut seen = HashSet::new();
    for element in page.select("[id]") {
        let id = element.value().attr("id").unwrap();
        assert!(seen.insert(id.to_string()), "id `{id}` repeats");
    }
    for svg in page.select("div.mermaid-diagram > svg") {
        let own = svg.value().attr("id").unwrap();
        let html = svg.html();
        for reference in html.split("url(#").skip(1) {
            let target = reference.split(')').next().unwrap();
            assert!(
                target.starts_with(&format!("{own}-")),
                "{own} refers to {target}"
            );
            assert!(seen.contains(target), "url(#{target}) points nowhere");
        }
    }
}

#[test]
fn labels_cannot_inject_markup() {
    let (site, _) = built();
    let page = site.page("architecture/index.html");
    assert!(
        page.select("script:not([src])")
            .iter()
            .all(|s| !text_of(s).contains("alert"))
    );
    assert!(page.select("main img").is_empty(), "no <img> from a label");
    for element in page.select("main *") {
        for (name, _) in element.value().attrs() {
            assert!(
                !name.starts_with("on"),
                "event handler `{name}` in the page"
            );
        }
    }
    assert!(page.select("main foreignObject").is_empty());
}

#[test]
fn a_diagram_folio_cannot_draw_stays_code_with_a_warning_at_its_line() {
    let (site, stderr) = built();
    let page = site.page("architecture/index.html");
    let code = page.one("div.code-block.language-mermaid code");
    assert_eq!(text_of(&code), "zenith LR A --> B");
    assert_eq!(
        stderr.matches("Mermaid diagram could not be drawn").count(),
        1,
        "{stderr}"
    );
    // Grouped under the file, at the fence's line.
    assert!(
        stderr.contains("content/architecture.md\n  62:1: warning: this Mermaid diagram could not be drawn (Unrecognized diagram type.)"),
        "{stderr}"
    );
}

#[test]
fn pages_load_nothing_more_for_diagrams() {
    let (site, _) = built();
    let with = site.page("architecture/index.html");
    let without = site.page("index.html");
    assert_eq!(requests(&with), requests(&without));
}

#[test]
fn search_gets_the_labels_not_the_svg() {
    let (site, _) = built();
    let meta = std::fs::read_to_string(site.public().join("search/meta.js")).unwrap();
    assert!(meta.contains("API gateway"), "labels are searchable");
    assert!(meta.contains("Checkout request path"));
    for markup in [
        "<svg",
        "viewBox",
        "mermaid-1",
        "--mermaid",
        "flowchart LR",
        "accTitle",
    ] {
        assert!(!meta.contains(markup), "`{markup}` in the search index");
    }
}
