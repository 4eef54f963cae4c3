//! The search index a build writes, read back: what is in it, and what site.toml's `[search]`
//! and a page's `search_exclude` leave out or cut differently.

mod common;

use common::{Site, md};
use serde_json::Value;

/// The pages of a one-file index (a small site's `search/meta.js`), as the script gets them.
fn indexed_pages(site: &Site) -> Vec<Value> {
    let meta = std::fs::read_to_string(site.public().join("search/meta.js")).unwrap();
    let mut pages = Vec::new();
    for line in meta.lines() {
        let Some(call) = line.strip_prefix("folioSearch.pages(") else {
            continue;
        };
        let (_, array) = call.split_once(',').unwrap();
        let array: Value = serde_json::from_str(array.strip_suffix(");").unwrap()).unwrap();
        pages.extend(array.as_array().unwrap().iter().cloned());
    }
    pages
}

fn titles(pages: &[Value]) -> Vec<&str> {
    let mut titles: Vec<&str> = pages.iter().map(|p| p["t"].as_str().unwrap()).collect();
    titles.sort();
    titles
}

fn settings_site(search: &str) -> Site {
    Site::new(&[
        ("site.toml", &format!("title = \"S\"\n{search}")),
        ("content/index.md", &md("title: Home", "Welcome home.\n")),
        (
            "content/guide.md",
            &md(
                "title: Guide",
                "Intro.\n\n## Install {#install}\n\nRun it.\n\n### Deep detail\n\nQuokka notes.\n",
            ),
        ),
        (
            "content/secret.md",
            &md("title: Secret\nsearch_exclude: true", "Xylosecret.\n"),
        ),
        ("content/drafts/wip.md", &md("title: Wip", "Draftword.\n")),
    ])
}

#[test]
fn settings_and_front_matter_decide_what_is_indexed_and_how_it_is_cut() {
    let site = settings_site("[search]\nheading_level = 2\nexclude = [\"drafts/**\"]\n");
    site.build(&[]).clean();
    let pages = indexed_pages(&site);
    assert_eq!(titles(&pages), ["Guide", "Home"]);
    // Left out of search, still published.
    assert!(site.public().join("secret/index.html").is_file());
    assert!(site.public().join("drafts/wip/index.html").is_file());
    let meta = std::fs::read_to_string(site.public().join("search/meta.js")).unwrap();
    assert!(!meta.contains("xylosecret") && !meta.contains("draftword"));

    // Sections start at h2: the h3 and its text belong to the h2 above.
    let guide = pages.iter().find(|p| p["t"] == "Guide").unwrap();
    assert_eq!(guide["u"], "guide/");
    let sections = guide["s"].as_array().unwrap();
    let headings: Vec<&str> = sections.iter().map(|s| s[0].as_str().unwrap()).collect();
    assert_eq!(headings, ["", "Install"]);
    // The anchor `install` is the heading in lowercase: search.js makes it (0).
    assert_eq!(sections[1][1], 0);
    let install_text = sections[1][2].as_str().unwrap();
    assert!(install_text.contains("Run it.") && install_text.contains("Quokka notes."));
    assert!(meta.contains("\"quokka\""), "the h3's words are indexed");
}

#[test]
fn by_default_sections_start_at_h3() {
    let site = settings_site("");
    site.build(&[]).clean();
    let pages = indexed_pages(&site);
    assert_eq!(titles(&pages), ["Guide", "Home", "Wip"]);
    let guide = pages.iter().find(|p| p["t"] == "Guide").unwrap();
    let headings: Vec<&str> = guide["s"]
        .as_array()
        .unwrap()
        .iter()
        .map(|s| s[0].as_str().unwrap())
        .collect();
    assert_eq!(headings, ["", "Install", "Deep detail"]);
}

#[test]
fn search_can_be_turned_off() {
    let site = settings_site("[search]\nenabled = false\n");
    site.build(&[]).clean();
    assert!(!site.public().join("search").exists());
    let home = site.page("index.html");
    assert!(home.select(".search").is_empty(), "no search box");
    assert!(!home.text.contains("search.js"));
}

#[test]
fn bad_search_settings_are_errors() {
    let site = settings_site("[search]\nexclude = [\"drafts/[\"]\n");
    let built = site.build(&[]).failed();
    assert!(
        built.stderr().contains("search.exclude"),
        "{}",
        built.stderr()
    );
    assert!(built.stderr().contains("drafts/["), "{}", built.stderr());

    site.write("site.toml", "title = \"S\"\n[search]\nheading_level = 9\n");
    let built = site.build(&[]).failed();
    assert!(
        built.stderr().contains("heading_level"),
        "{}",
        built.stderr()
    );
}
