//! The whole site in one piece, built by the real binary: the print page (`/print/`: reading
//! order, anchors, rewritten links, ids unique across the page, `print_exclude`, `[print]
//! enabled = false`), `llms.txt`, the Markdown copies (CommonMark that pulldown-cmark reads
//! back to the same text), `llms-full.txt` (reading order, `search_exclude` left out), and the
//! GitHub Pages workflow that `folio new` and `folio import` write.

mod common;
#[path = "common/http.rs"]
mod http;

use std::collections::HashSet;

use common::{Site, folio};
use pulldown_cmark::Parser;

fn built() -> Site {
    let site = Site::fixture("books");
    site.build(&[]).ok();
    site
}

fn read(site: &Site, path: &str) -> String {
    std::fs::read_to_string(site.public().join(path))
        .unwrap_or_else(|e| panic!("cannot read {path}: {e}"))
}

#[test]
fn the_print_page_has_every_page_in_reading_order() {
    let site = built();
    let print = site.page("print/index.html");
    let ids_of = |selector: &str| -> Vec<String> {
        print
            .select(selector)
            .iter()
            .map(|s| s.value().attr("id").unwrap().to_string())
            .collect()
    };
    // The nav tree in reading order (a nav_exclude'd page at its place, the print_exclude'd
    // Config left out), then the page that is in no tree.
    assert_eq!(
        ids_of("section.print-page"),
        [
            "home",
            "guide",
            "guide-install",
            "guide-hidden",
            "secret",
            "orphan"
        ]
    );
    // Top-level pages start a new sheet.
    assert_eq!(
        ids_of("section.print-top"),
        ["home", "guide", "secret", "orphan"]
    );
    // A page without a level-1 heading gets its title as one.
    assert_eq!(print.texts("#guide-install > h1.print-title"), ["Install"]);
    assert!(!print.has("#guide > h1.print-title"));
    // The list of contents links to every section, nested as the navigation is.
    let contents: Vec<String> = print
        .select(".print-contents a")
        .iter()
        .map(|a| a.value().attr("href").unwrap().to_string())
        .collect();
    assert_eq!(
        contents,
        [
            "#home",
            "#guide",
            "#guide-install",
            "#guide-hidden",
            "#secret",
            "#orphan"
        ]
    );
    assert_eq!(
        print.texts(".print-contents > ul > li > ul > li > a"),
        ["Install", "Hidden"]
    );
    assert!(!print.text.contains("Settings live in site.toml"));
}

#[test]
fn ids_are_unique_and_every_anchor_link_lands() {
    let site = built();
    let print = site.page("print/index.html");
    let mut ids = HashSet::new();
    for element in print.select("[id]") {
        let id = element.value().attr("id").unwrap();
        assert!(ids.insert(id.to_string()), "`{id}` is there twice");
    }
    // Both pages have an `Intro` heading; each keeps its own id.
    assert!(ids.contains("home--intro") && ids.contains("guide--intro"));
    assert!(ids.contains("guide-install--setup"));
    for link in print.select("a[href^='#']") {
        let target = &link.value().attr("href").unwrap()[1..];
        assert!(ids.contains(target), "`#{target}` goes nowhere");
    }
}

#[test]
fn links_between_pages_go_to_their_sections() {
    let site = built();
    let print = site.page("print/index.html");
    let hrefs = |section: &str| -> Vec<String> {
        print
            .select(&format!("#{section} p a"))
            .iter()
            .map(|a| a.value().attr("href").unwrap().to_string())
            .collect()
    };
    // From the home page: a page's anchor, and a page.
    assert_eq!(hrefs("home"), ["#guide-install--setup", "#guide"]);
    // Within a page: its own anchor, and #top for its section.
    assert_eq!(hrefs("guide"), ["#guide--intro", "#guide"]);
    // A page left out of the print page keeps its address; other sites keep theirs.
    assert_eq!(
        hrefs("guide-install"),
        ["/docs/guide/config/", "https://example.com/page", "#home"]
    );
    // The code is highlighted, and the page has no chrome.
    assert!(print.has("#guide-install pre.highlight span"));
    for chrome in [
        ".site-nav",
        ".site-header",
        ".page-nav",
        ".site-footer",
        ".print-link",
    ] {
        assert!(!print.has(chrome), "the print page has {chrome}");
    }
    // Every page links to it from the header.
    let home = site.page("index.html");
    assert_eq!(
        home.select("header a.print-link")[0].value().attr("href"),
        Some("/docs/print/")
    );
}

#[test]
fn the_print_page_can_be_turned_off() {
    let site = Site::fixture("books");
    let toml = std::fs::read_to_string(site.root().join("site.toml")).unwrap();
    site.write("site.toml", &format!("{toml}\n[print]\nenabled = false\n"));
    site.build(&[]).ok();
    assert!(!site.public().join("print").exists());
    assert!(!site.page("index.html").has("a.print-link"));
}

#[test]
fn a_page_at_print_keeps_its_url_with_a_warning() {
    let site = Site::fixture("books");
    site.write(
        "content/printing.md",
        "---\ntitle: Printing\npermalink: /print/\n---\nOur printers.\n",
    );
    let built = site.build(&[]).ok();
    assert!(
        built.stderr().contains("where the print page goes"),
        "{}",
        built.stderr()
    );
    assert!(site.page("print/index.html").text.contains("Our printers."));
    assert_eq!(site.build(&["--strict"]).code(), 1);
}

#[test]
fn llms_txt_lists_the_pages_by_top_level_section() {
    let site = built();
    let text = read(&site, "llms.txt");
    assert_eq!(
        text,
        "# Books Test\n\n> A site for the print page and llms.txt.\n\n## Home\n\n- [Home](https://example.org/docs/index.md)\n\n## Guide\n\n- [Guide](https://example.org/docs/guide/index.md): How to use it\n- [Install](https://example.org/docs/guide/install/index.md)\n- [Config](https://example.org/docs/guide/config/index.md)\n- [Hidden](https://example.org/docs/guide/hidden/index.md)\n\n## Other pages\n\n- [Orphan](https://example.org/docs/orphan/index.md): in no tree\n"
    );
    // Every link leads to a copy that was written.
    for url in text
        .split("](")
        .skip(1)
        .map(|s| s.split(')').next().unwrap())
    {
        let path = url.strip_prefix("https://example.org/docs/").unwrap();
        assert!(site.public().join(path).is_file(), "{url}");
    }
}

fn options() -> pulldown_cmark::Options {
    folio::markdown::commonmark::copy_parser_options(&folio::config::MarkdownConfig::default())
}

/// `copy` read by pulldown-cmark and written again.
fn rewritten(copy: &str) -> String {
    let mut again = String::new();
    pulldown_cmark_to_cmark::cmark_with_options(
        Parser::new_ext(copy, options()),
        &mut again,
        options(),
        folio::markdown::commonmark::writer_options(),
    )
    .unwrap();
    if !again.ends_with('\n') {
        again.push('\n');
    }
    again
}

#[test]
fn markdown_copies_are_plain_commonmark() {
    let site = built();
    let copy = read(&site, "guide/install/index.md");
    assert!(copy.starts_with("# Install\n\n"), "{copy}");
    // Liquid is resolved, attribute lists are gone, links are absolute.
    assert!(copy.contains("Welcome to Books Test."), "{copy}");
    assert!(!copy.contains("{:") && !copy.contains("{{"), "{copy}");
    assert!(copy.contains("## Setup\n"), "{copy}");
    assert!(
        copy.contains("[the settings](https://example.org/docs/guide/config/)"),
        "{copy}"
    );
    assert!(copy.contains("[Home](https://example.org/docs/)"), "{copy}");
    assert!(copy.contains("```rust\nfn main() {"), "{copy}");
    // Callouts are GitHub alerts.
    assert!(copy.contains("> [!WARNING]\n > Be careful."), "{copy}");
    let guide = read(&site, "guide/index.md");
    assert!(guide.contains("> [!NOTE]\n > Mind the gap."), "{guide}");
    assert!(guide.contains("**Term**"), "{guide}");

    for path in [
        "index.md",
        "guide/index.md",
        "guide/install/index.md",
        "guide/config/index.md",
        "guide/hidden/index.md",
        "orphan/index.md",
    ] {
        let copy = read(&site, path);
        assert_eq!(rewritten(&copy), copy, "{path} is not read back as written");
        // Read as CommonMark, no kramdown is left in it.
        let mut html = String::new();
        pulldown_cmark::html::push_html(&mut html, Parser::new_ext(&copy, options()));
        assert!(
            !html.contains("{:") && !html.contains("{::"),
            "{path}: {html}"
        );
    }
}

#[test]
fn llms_full_holds_every_copy_in_reading_order() {
    let site = built();
    let full = read(&site, "llms-full.txt");
    let titles: Vec<&str> = full
        .lines()
        .filter_map(|line| line.strip_prefix("# "))
        .collect();
    assert_eq!(
        titles,
        ["Welcome", "Guide", "Install", "Config", "Hidden", "Orphan"]
    );
    assert!(full.contains(&read(&site, "guide/install/index.md")));
    // search_exclude leaves a page out of all three.
    assert!(!full.contains("Secret"));
    assert!(!read(&site, "llms.txt").contains("Secret"));
    assert!(!site.public().join("secret/index.md").exists());
    assert!(site.public().join("secret/index.html").exists());
}

#[test]
fn llms_files_can_be_turned_off() {
    let site = Site::fixture("books");
    let toml = std::fs::read_to_string(site.root().join("site.toml")).unwrap();
    site.write("site.toml", &format!("{toml}\n[llms]\nenabled = false\n"));
    site.build(&[]).ok();
    for path in [
        "llms.txt",
        "llms-full.txt",
        "index.md",
        "guide/install/index.md",
    ] {
        assert!(!site.public().join(path).exists(), "{path}");
    }
}

#[test]
fn without_base_url_llms_links_start_at_the_root() {
    let site = Site::fixture("books");
    site.write("site.toml", "title = \"Books Test\"\n");
    site.build(&[]).ok();
    let text = read(&site, "llms.txt");
    assert!(
        text.contains("- [Install](/guide/install/index.md)"),
        "{text}"
    );
    assert!(read(&site, "guide/install/index.md").contains("[the settings](/guide/config/)"));
}

/// The steps of the workflow's jobs, by what they use or run.
fn workflow_steps(text: &str) -> Vec<String> {
    let workflow: serde_yaml::Value = serde_yaml::from_str(text).expect("valid YAML");
    let jobs = workflow["jobs"].as_mapping().expect("jobs");
    let mut steps = Vec::new();
    for (_, job) in jobs {
        for step in job["steps"].as_sequence().expect("steps") {
            let what = step["uses"]
                .as_str()
                .or(step["run"].as_str())
                .expect("uses or run");
            steps.push(what.trim().to_string());
        }
    }
    steps
}

fn assert_publishes(text: &str) {
    let steps = workflow_steps(text);
    let position = |needle: &str| {
        steps
            .iter()
            .position(|s| s.contains(needle))
            .unwrap_or_else(|| panic!("no step with `{needle}` in {steps:#?}"))
    };
    let order = [
        position("actions/checkout@"),
        position("actions/cache@"),
        position("cargo install"),
        position("folio build --strict"),
        position("folio check --format github"),
        position("actions/upload-pages-artifact@"),
        position("actions/deploy-pages@"),
    ];
    assert!(order.windows(2).all(|w| w[0] < w[1]), "{steps:#?}");
    let workflow: serde_yaml::Value = serde_yaml::from_str(text).unwrap();
    let deploy = &workflow["jobs"]["deploy"];
    assert_eq!(deploy["permissions"]["pages"].as_str(), Some("write"));
    assert_eq!(deploy["permissions"]["id-token"].as_str(), Some("write"));
    assert_eq!(deploy["needs"].as_str(), Some("build"));
    // The binary is cached where cargo installs it.
    let cache = workflow["jobs"]["build"]["steps"]
        .as_sequence()
        .unwrap()
        .iter()
        .find(|step| {
            step["uses"]
                .as_str()
                .is_some_and(|u| u.starts_with("actions/cache@"))
        })
        .unwrap();
    assert_eq!(cache["with"]["path"].as_str(), Some("~/.cargo/bin/folio"));
}

#[test]
fn folio_new_writes_the_pages_workflow() {
    let dir = tempfile::tempdir().unwrap();
    let output = folio(&["new", "site"], dir.path());
    assert_eq!(output.status.code(), Some(0), "{output:?}");
    let text =
        std::fs::read_to_string(dir.path().join("site/.github/workflows/pages.yml")).unwrap();
    assert_publishes(&text);
    // A repository's own workflow of that name is kept.
    let repository = dir.path().join("repo");
    std::fs::create_dir_all(repository.join(".github/workflows")).unwrap();
    std::fs::write(repository.join(".github/workflows/pages.yml"), "mine\n").unwrap();
    let output = folio(&["new", "repo"], dir.path());
    assert_eq!(output.status.code(), Some(0), "{output:?}");
    assert_eq!(
        std::fs::read_to_string(repository.join(".github/workflows/pages.yml")).unwrap(),
        "mine\n"
    );
}

#[test]
fn folio_import_writes_the_pages_workflow() {
    let dir = tempfile::tempdir().unwrap();
    let source =
        std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/jekyll-site");
    let target = dir.path().join("imported");
    let output = folio(
        &["import", source.to_str().unwrap(), target.to_str().unwrap()],
        dir.path(),
    );
    assert_eq!(output.status.code(), Some(0), "{output:?}");
    let text = std::fs::read_to_string(target.join(".github/workflows/pages.yml")).unwrap();
    assert_publishes(&text);
}

#[test]
fn serve_makes_them_and_follows_edits() {
    let site = Site::fixture("books");
    let server = http::Server::start(site.root(), &[]);
    let print = server.get("/print/");
    assert_eq!(print.status, 200);
    assert!(print.text().contains("id=\"guide-install--setup\""));
    let copy = server.get("/guide/install/index.md");
    assert_eq!(copy.status, 200);
    assert!(copy.text().contains("## Setup"));
    assert!(server.get("/llms.txt").text().contains("## Guide"));
    assert!(server.get("/llms-full.txt").text().contains("# Install"));

    let epoch = server.epoch();
    site.write(
        "content/guide/install.md",
        "---\ntitle: Install\nparent: Guide\nnav_order: 1\n---\n\n## Set up anew\n\nFresh words.\n",
    );
    // The edited page's event, then the print page's and llms-full.txt's (they hold every
    // page); a poll that comes late gets both at once.
    let wanted = [
        "guide/install/index.html",
        "guide/install/index.md",
        "print/index.html",
        "llms-full.txt",
    ];
    let mut changed: Vec<String> = Vec::new();
    let mut epoch = epoch;
    while !wanted.iter().all(|w| changed.iter().any(|c| c == w)) {
        let Some(event) = server.poll(epoch, std::time::Duration::from_secs(20)) else {
            break;
        };
        epoch = event["epoch"].as_u64().unwrap();
        let paths = event["changed"].as_array().unwrap().iter();
        changed.extend(paths.map(|v| v.as_str().unwrap().to_string()));
    }
    for path in wanted {
        assert!(
            changed.iter().any(|c| c == path),
            "{path} not in {changed:?}"
        );
    }
    let print = server.get("/print/").text();
    assert!(print.contains("Fresh words."));
    assert!(print.contains("id=\"guide-install--set-up-anew\""));
    // The other pages' sections are still there, from their kept renders.
    assert!(print.contains("id=\"home--intro\""));
    assert!(server.get("/llms-full.txt").text().contains("Fresh words."));
    assert!(
        server
            .get("/guide/install/index.md")
            .text()
            .contains("Fresh words.")
    );
}
