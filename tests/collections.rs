//! Collections, as just-the-docs shows Jekyll's: each `[[collections]]` folder of content/ is
//! a section of the sidebar after the site's own pages and external links, in site.toml's
//! order, with titles of its own; `nav_fold`, `nav_exclude` and `search_exclude` work.

mod common;

use common::{Site, text_of};

fn built() -> Site {
    let site = Site::fixture("collections");
    site.build(&[]).ok();
    site
}

#[test]
fn collections_are_sections_of_the_sidebar_in_order() {
    let site = built();
    let page = site.page("tutorials/first/index.html");
    // The site's pages, then the external links, then each shown collection.
    let parts: Vec<String> = page
        .select("#site-nav > *")
        .iter()
        .map(|element| {
            let classes = element.value().attr("class").unwrap_or_default();
            format!("{} {}", element.value().name(), classes)
        })
        .collect();
    assert_eq!(
        parts,
        [
            "ul nav-list",
            "ul nav-list nav-external",
            "div nav-category",
            "ul nav-list",
            "details nav-category-fold",
        ],
        "{}",
        page.text
    );
    assert_eq!(
        page.texts("#site-nav .nav-category"),
        ["Tutorials", "Recipes"]
    );
    // The site's own pages, then the tutorials, with the current page expanded and marked.
    assert_eq!(
        page.texts("#site-nav > ul.nav-list:first-child > li > a"),
        ["Home", "About"]
    );
    let lists = page.select("#site-nav > ul.nav-list");
    assert!(text_of(&lists[2]).contains("First steps"));
    assert_eq!(
        page.texts("#site-nav a[aria-current=page]"),
        ["First steps"]
    );
    // Folded, and closed on a page outside it; open on its own pages.
    assert!(!page.has("details.nav-category-fold[open]"));
    let recipe = site.page("recipes/bread/index.html");
    assert!(recipe.has("details.nav-category-fold[open]"));
    assert_eq!(recipe.texts("#site-nav a[aria-current=page]"), ["Bread"]);
    // A collection left out of the sidebar is built all the same.
    assert!(!page.text.contains("/hidden/note/"));
    assert!(site.public().join("hidden/note/index.html").is_file());
}

#[test]
fn each_collection_has_titles_of_its_own() {
    let site = built();
    // `About` in the tutorials is a child of the tutorials' index, not the site's About.
    let page = site.page("tutorials/about/index.html");
    assert_eq!(
        page.texts(".breadcrumb-nav-list-item"),
        ["Getting started", "About"]
    );
    let about = site.page("about/index.html");
    assert!(
        !about.has(".child-pages"),
        "the site's About has no children"
    );
    // A parent from another part of the navigation is not taken, and the writer is told.
    let stderr = site.build(&[]).ok().stderr();
    assert!(
        stderr.contains("parent `About` is the title of content/about.md, which is in another part of the navigation"),
        "{stderr}"
    );
}

#[test]
fn nav_json_lists_each_section_with_its_roots() {
    let site = built();
    let nav: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(site.public().join("nav.json")).unwrap())
            .unwrap();
    let names: Vec<&serde_json::Value> = nav["sections"]
        .as_array()
        .unwrap()
        .iter()
        .map(|s| &s["n"])
        .collect();
    assert_eq!(
        names,
        [
            &serde_json::Value::Null,
            &"Tutorials".into(),
            &"Recipes".into()
        ]
    );
    assert_eq!(
        nav["roots"], nav["sections"][0]["r"],
        "the site's own pages"
    );
    let first_tutorial = nav["sections"][1]["r"][0].as_u64().unwrap() as usize;
    assert_eq!(nav["nodes"][first_tutorial]["t"], "Getting started");
}

#[test]
fn search_exclude_leaves_a_collection_out_of_the_index() {
    let site = built();
    let index: String = walk(&site.public().join("search"))
        .into_iter()
        .map(|path| std::fs::read_to_string(path).unwrap())
        .collect();
    assert!(index.contains("First steps"), "tutorials are searchable");
    assert!(!index.contains("Flour"), "recipes are not");
    assert!(!index.contains("/recipes/bread/"));
}

#[test]
fn a_collection_folder_must_be_a_folder_of_content() {
    let site = Site::new(&[
        (
            "site.toml",
            "[[collections]]\nfolder = \"../outside\"\n\n[[collections]]\nfolder = \"a\"\n[[collections]]\nfolder = \"a\"\n",
        ),
        ("content/index.md", "# Home\n"),
    ]);
    let stderr = site.build(&[]).failed().stderr();
    assert!(
        stderr.contains("collections: `../outside` is not a folder of content/"),
        "{stderr}"
    );
    assert!(
        stderr.contains("collections: `a` is listed twice"),
        "{stderr}"
    );
}

fn walk(dir: &std::path::Path) -> Vec<std::path::PathBuf> {
    let mut found = Vec::new();
    for entry in std::fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        if path.is_dir() {
            found.extend(walk(&path));
        } else {
            found.push(path);
        }
    }
    found
}
