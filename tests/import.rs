//! `folio import`: a just-the-docs Jekyll site (tests/fixtures/jekyll-site) imported with the
//! real binary: its site.toml, its content tree, the messages, and a `folio build` of the
//! result with every page at the URL Jekyll gives it.

mod common;

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};

use common::{Site, folio};

/// The files Jekyll 4.3.1 writes for the fixture (`jekyll build`, no plugins writing files).
const JEKYLL_FILES: &[&str] = &[
    "404.html",
    "README/index.html",
    "assets/img/logo.png",
    "docs/deep/index.html",
    "docs/deep/page/index.html",
    "docs/guide/index.html",
    "docs/index.html",
    "docs/wide-page/index.html",
    "flat.html",
    "index.html",
    "notes.md",
    "somewhere/else/index.html",
    "tests/data.txt",
    "tests/first/index.html",
    "tests/index/index.html",
    "tests/sub/second/index.html",
];

struct Imported {
    jekyll: Site,
    target: tempfile::TempDir,
    output: Output,
}

impl Imported {
    fn root(&self) -> PathBuf {
        self.target.path().join("site")
    }

    fn stdout(&self) -> String {
        String::from_utf8_lossy(&self.output.stdout).into_owned()
    }

    fn stderr(&self) -> String {
        String::from_utf8_lossy(&self.output.stderr).into_owned()
    }

    fn read(&self, path: &str) -> String {
        std::fs::read_to_string(self.root().join(path))
            .unwrap_or_else(|e| panic!("cannot read {path}: {e}"))
    }

    /// `folio build` of the imported site into `public/`.
    fn build(&self) -> PathBuf {
        let root = self.root();
        let out = folio(&["build", "--root", root.to_str().unwrap()], &root);
        assert_eq!(
            out.status.code(),
            Some(0),
            "the imported site does not build:\n{}",
            String::from_utf8_lossy(&out.stderr)
        );
        root.join("public")
    }
}

fn import_fixture() -> Imported {
    let jekyll = Site::fixture("jekyll-site");
    let target = tempfile::tempdir().unwrap();
    let new_dir = target.path().join("site");
    let output = folio(
        &[
            "import",
            jekyll.root().to_str().unwrap(),
            new_dir.to_str().unwrap(),
        ],
        target.path(),
    );
    let imported = Imported {
        jekyll,
        target,
        output,
    };
    assert_eq!(
        imported.output.status.code(),
        Some(0),
        "import failed:\n{}\n{}",
        imported.stdout(),
        imported.stderr()
    );
    imported
}

fn files_under(root: &Path) -> BTreeSet<String> {
    let mut found = BTreeSet::new();
    let mut stack = vec![root.to_path_buf()];
    while let Some(dir) = stack.pop() {
        for entry in std::fs::read_dir(&dir).unwrap() {
            let path = entry.unwrap().path();
            if path.is_dir() {
                stack.push(path);
            } else {
                let rel = path.strip_prefix(root).unwrap().to_string_lossy();
                found.insert(rel.replace('\\', "/"));
            }
        }
    }
    found
}

#[test]
fn config_becomes_site_toml() {
    let imported = import_fixture();
    let text = imported.read("site.toml");
    let config = folio::config::parse(&text, Path::new("site.toml"))
        .unwrap_or_else(|e| panic!("site.toml is refused: {e:?}\n{text}"));
    assert_eq!(config.title, "Fixture Docs");
    assert_eq!(config.description, "A site for the import tests");
    assert_eq!(
        config.base_url.as_deref(),
        Some("https://docs.example.org/handbook/")
    );
    assert_eq!(config.language, "en-GB");
    assert_eq!(config.aux_links.len(), 1);
    assert_eq!(config.aux_links[0].title, "Source");
    assert_eq!(config.aux_links[0].url, "https://example.org/source");
    assert!(config.aux_links_new_tab);
    let external = &config.nav.external_links[0];
    assert_eq!(
        (external.title.as_str(), external.url.as_str()),
        ("Elsewhere", "https://elsewhere.example.org")
    );
    assert!(external.hide_icon);
    assert_eq!(external.new_tab, Some(true));
    assert_eq!(config.nav.sort, folio::config::NavSort::CaseInsensitive);
    assert!(!config.markdown.heading_anchors);
    assert_eq!(config.footer.back_to_top, "Up we go");
    assert_eq!(
        config.footer.content,
        "Made by <a href=\"https://example.org\">us</a>."
    );
    assert_eq!(config.footer.last_modified_format, "%b %e %Y");
    assert_eq!(
        config.edit_link.url,
        "https://github.com/example/docs/edit/main/site/{path}"
    );
    assert_eq!(config.edit_link.text, "Edit on GitHub");
    assert!(config.search.enabled);
    assert_eq!(config.search.heading_level, 3);
    let warning = &config.callouts["warning"];
    assert_eq!(
        (warning.title.as_deref(), warning.color.as_deref()),
        (Some("Watch out"), Some("red"))
    );
    assert_eq!(config.callouts["tip"].color.as_deref(), Some("green"));
    // Configured without a title: just-the-docs shows none, and so does folio.
    assert_eq!(config.callouts["tip"].title.as_deref(), Some(""));
    // `pink` is not a colour folio has: left out, and said so.
    assert_eq!(config.callouts["odd"].color, None);
    assert_eq!(config.extra["team_size"].as_integer(), Some(7));
    // Pages read _config.yml's keys as site.* in Liquid, converted ones too.
    assert_eq!(
        config.extra["gh_edit_repository"].as_str(),
        Some("https://github.com/example/docs")
    );
    assert!(
        !config.extra.contains_key("title"),
        "folio gives site.title itself"
    );
    // site.github.* as jekyll-github-metadata derives it from `repository`, offline.
    let github = config.extra["github"].as_table().expect("[extra.github]");
    assert_eq!(
        github["repository_url"].as_str(),
        Some("https://github.com/example/docs")
    );
    assert_eq!(github["owner_name"].as_str(), Some("example"));
    // The collection just-the-docs lists is a section of the sidebar.
    assert_eq!(config.collections.len(), 1, "{text}");
    let tests = &config.collections[0];
    assert_eq!(
        (tests.folder.as_str(), tests.name.as_deref(), tests.nav_fold),
        ("_tests", Some("Tests"), true)
    );
    // Settings without a folio equivalent are kept as comments.
    for line in [
        "#   search.previews: 2",
        "#   callouts_level: loud",
        "#   logo: /assets/img/logo.png",
    ] {
        assert!(text.contains(line), "{line} missing from:\n{text}");
    }
}

#[test]
fn content_tree_keeps_jekylls_paths_and_applies_defaults() {
    let imported = import_fixture();
    let files = files_under(&imported.root());
    let expected = [
        ".github/workflows/pages.yml",
        ".gitignore",
        "content/404.md",
        "content/README.md",
        "content/_tests/first.md",
        "content/_tests/index.md",
        "content/_tests/sub/second.md",
        "content/assets/img/logo.png",
        "content/docs/custom.md",
        "content/docs/deep/index.md",
        "content/docs/deep/page.md",
        "content/docs/flat.md",
        "content/docs/guide.md",
        "content/docs/index.md",
        "content/docs/wide-page.md",
        "content/index.md",
        "content/tests/data.txt",
        "data/people.yml",
        "includes/note.html",
        "site.toml",
        "static/notes.md",
        "templates/layouts/wide.html",
    ];
    assert_eq!(
        files,
        expected
            .iter()
            .map(|s| s.to_string())
            .collect::<BTreeSet<_>>()
    );
    // Defaults: the page's own lines first, then what the scopes give it.
    assert_eq!(
        imported.read("content/docs/deep/page.md"),
        "---\ntitle: Deep page\nlayout: default\nparent: Deep\nnav_order: 9\n---\n\n# Deep page\n\nIts parent and order come from `defaults:`.\n"
    );
    // A typed scope wins over the site-wide one of the same path length.
    assert!(
        imported
            .read("content/_tests/first.md")
            .contains("layout: wide\n")
    );
    // Collection documents keep Jekyll's URL.
    assert!(
        imported
            .read("content/_tests/sub/second.md")
            .contains("permalink: /tests/sub/second/\n")
    );
    // A just-the-docs layout folio lacks becomes `default`; the permalink stays.
    let flat = imported.read("content/docs/flat.md");
    assert!(
        flat.contains("permalink: /flat.html\nlayout: default\n"),
        "{flat}"
    );
    // An HTML page becomes one HTML block.
    assert!(
        imported
            .read("content/404.md")
            .ends_with("---\n<h1>Page not found</h1>\n<p>Nothing here.</p>\n")
    );
    // Liquid is kept for folio's Liquid support, the include next to it.
    assert!(
        imported
            .read("content/index.md")
            .contains("{% include note.html text=\"from an include\" %}")
    );
    assert!(
        imported
            .read("templates/layouts/wide.html")
            .starts_with("{% extends \"layouts/default.html\" %}")
    );
}

#[test]
fn the_imported_site_builds_with_pages_at_jekylls_urls() {
    let imported = import_fixture();
    let public = imported.build();
    let built = files_under(&public);
    for file in JEKYLL_FILES {
        assert!(built.contains(*file), "{file} is missing from {built:?}");
    }
    // The print page is folio's own (Jekyll has none).
    let html: BTreeSet<&String> = built
        .iter()
        .filter(|f| f.ends_with(".html") && *f != "print/index.html")
        .collect();
    let jekyll_html: BTreeSet<String> = JEKYLL_FILES
        .iter()
        .filter(|f| f.ends_with(".html"))
        .map(|f| f.to_string())
        .collect();
    assert_eq!(html, jekyll_html.iter().collect());
    for left_out in ["secret", "drafts", "_private", "hidden", "_hidden"] {
        assert!(
            !built.iter().any(|f| f.contains(left_out)),
            "{left_out} was published"
        );
    }
}

#[test]
fn built_pages_show_the_converted_settings() {
    let imported = import_fixture();
    let public = imported.build();
    let read = |path: &str| {
        let text = std::fs::read_to_string(public.join(path)).unwrap();
        common::Page {
            html: scraper::Html::parse_document(&text),
            text,
        }
    };
    let guide = read("docs/guide/index.html");
    // The collection is a folded section of the sidebar, after the site's pages.
    assert_eq!(guide.texts("#site-nav .nav-category"), ["Tests"]);
    assert!(guide.has("#site-nav details.nav-category-fold"));
    // The callout's title from _config.yml.
    assert_eq!(
        guide.texts(".callout-warning .callout-title"),
        ["Watch out"]
    );
    assert!(
        guide
            .texts(".back-to-top")
            .contains(&"Up we go".to_string())
    );
    assert_eq!(
        guide.hrefs("a.edit-link"),
        ["https://github.com/example/docs/edit/main/site/content/docs/guide.md"]
    );
    assert!(guide.text.contains("Page last modified: Mar  5 2024."));
    // `{{ site.github.repository_url }}`, from `repository:` in _config.yml.
    assert!(
        guide
            .hrefs("a")
            .contains(&"https://github.com/example/docs/tree/main".to_string())
    );
    // No anchors on headings, as `heading_anchors: false` says.
    assert!(!guide.has("a.anchor-heading"));
    // Links carry the base path of `baseurl`.
    let home = read("index.html");
    assert!(home.hrefs("a").iter().any(|h| h == "/handbook/docs/"));
    // The page from defaults sits under its parent in the breadcrumbs.
    let deep = read("docs/deep/page/index.html");
    assert_eq!(
        deep.texts(".breadcrumb-nav-list-item"),
        ["Docs", "Deep", "Deep page"]
    );
}

#[test]
fn messages_say_what_was_converted_and_what_to_do_about_the_rest() {
    let imported = import_fixture();
    let stdout = imported.stdout();
    for expected in [
        "site.toml: ",
        "nav_sort → nav.sort",
        "content/: 13 pages (3 from collections, 1 from HTML files",
        "includes/: 1 from _includes/",
        "data/: 1 from _data/",
        "templates/layouts/: wide.html",
        "left out by `exclude:`: drafts, secret.md",
        "Preview it with: folio serve ",
    ] {
        assert!(
            stdout.contains(expected),
            "`{expected}` missing from:\n{stdout}"
        );
    }
    let stderr = imported.stderr();
    // Each warning names the file (under the Jekyll folder as given) and, for settings, the
    // line of the key.
    let config = format!("{}/_config.yml", imported.jekyll.root().display());
    assert!(stderr.contains(&config), "{stderr}");
    for expected in [
        "38: warning: `search.previews` has no folio setting",
        "44: warning: `callouts_level` has no folio setting",
        "51: warning: callouts have no background",
        "53: warning: the callout colour `pink` is not one of folio's",
        "55: warning: `logo` has no folio setting yet",
        "65: warning: the collection `hidden` is not written out by Jekyll",
        "_includes/head_custom.html\n  warning: this file customises just-the-docs",
        "_layouts/default.html\n  warning: 1 of just-the-docs' layouts is overridden",
        "_layouts/wide.html\n  warning: the layout `wide` is Liquid and HTML",
        "_plugins/noop.rb\n  warning: this is a Jekyll plugin",
        "_sass/custom/custom.scss\n  warning: this Sass file customises",
    ] {
        assert!(
            stderr.contains(expected),
            "`{expected}` missing from:\n{stderr}"
        );
    }
    // Every warning says what to do instead.
    let warnings = stderr.matches("warning: ").count();
    let helps = stderr.matches("help: ").count();
    assert!(warnings >= 12 && warnings == helps, "{stderr}");
}

#[test]
fn the_jekyll_site_is_not_changed() {
    let jekyll = Site::fixture("jekyll-site");
    let before: Vec<(String, Vec<u8>)> = files_under(jekyll.root())
        .into_iter()
        .map(|f| {
            let bytes = std::fs::read(jekyll.root().join(&f)).unwrap();
            (f, bytes)
        })
        .collect();
    let target = tempfile::tempdir().unwrap();
    let out = folio(
        &["import", jekyll.root().to_str().unwrap(), "new"],
        target.path(),
    );
    assert_eq!(out.status.code(), Some(0));
    let after: Vec<(String, Vec<u8>)> = files_under(jekyll.root())
        .into_iter()
        .map(|f| {
            let bytes = std::fs::read(jekyll.root().join(&f)).unwrap();
            (f, bytes)
        })
        .collect();
    assert!(before == after, "the Jekyll site changed");
    // A new folder inside the Jekyll site would change it: refused.
    let out = folio(&["import", ".", "inside"], jekyll.root());
    assert_eq!(out.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&out.stderr).contains("is inside the Jekyll site"));
    assert!(!jekyll.root().join("inside").exists());
}

#[test]
fn a_non_empty_target_is_refused() {
    let jekyll = Site::fixture("jekyll-site");
    let target = tempfile::tempdir().unwrap();
    std::fs::write(target.path().join("keep.txt"), "mine").unwrap();
    let out = folio(
        &[
            "import",
            jekyll.root().to_str().unwrap(),
            target.path().to_str().unwrap(),
        ],
        target.path(),
    );
    assert_eq!(out.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&out.stderr).contains("already exists and is not empty"));
    assert_eq!(
        files_under(target.path()),
        BTreeSet::from(["keep.txt".to_string()])
    );
}

#[test]
fn errors_name_the_file_and_line_and_nothing_is_written() {
    let jekyll = Site::new(&[
        ("_config.yml", "title: Broken\n"),
        ("index.md", "---\ntitle: Home\n---\n# Home\n"),
        (
            "docs/bad.md",
            "---\ntitle: Bad\nparent: [unclosed\n---\nText\n",
        ),
        (
            "docs/also-bad.md",
            "---\ntitle: Also bad\nnav_exclude: maybe\n---\n",
        ),
    ]);
    let target = tempfile::tempdir().unwrap();
    let out = folio(
        &["import", jekyll.root().to_str().unwrap(), "new"],
        target.path(),
    );
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(1), "{stderr}");
    assert!(stderr.contains("docs/bad.md\n  3:"), "{stderr}");
    assert!(stderr.contains("not valid YAML"), "{stderr}");
    // folio's own front matter rules apply: the page would not build.
    assert!(stderr.contains("docs/also-bad.md\n  3:"), "{stderr}");
    assert!(stderr.contains("Import failed with 2 errors; nothing was written."));
    assert!(!target.path().join("new").exists());

    let broken_config = Site::new(&[("_config.yml", "title: x\nexclude: [a\n")]);
    let out = folio(
        &["import", broken_config.root().to_str().unwrap(), "new"],
        target.path(),
    );
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(1));
    assert!(stderr.contains("_config.yml\n  2:"), "{stderr}");
}

fn jekyll_build(source: &Path, destination: &Path) -> Output {
    Command::new("jekyll")
        .args(["build", "--disable-disk-cache", "--source"])
        .arg(source)
        .arg("--destination")
        .arg(destination)
        .env("JEKYLL_ENV", "production")
        .output()
        .expect(
            "jekyll runs (apt-get install jekyll ruby-jekyll-seo-tag ruby-jekyll-include-cache)",
        )
}

/// The expected files above come from this build; this test checks them against Jekyll
/// itself, and folio's output against both.
#[test]
#[ignore = "needs jekyll"]
fn jekyll_publishes_the_same_files() {
    let imported = import_fixture();
    let jekyll_out = tempfile::tempdir().unwrap();
    let destination = jekyll_out.path().join("site");
    let out = jekyll_build(imported.jekyll.root(), &destination);
    assert!(
        out.status.success(),
        "jekyll failed:\n{}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
    let jekyll_files = files_under(&destination);
    let expected: BTreeSet<String> = JEKYLL_FILES.iter().map(|s| s.to_string()).collect();
    assert_eq!(jekyll_files, expected);
    let public = imported.build();
    let folio_files = files_under(&public);
    assert!(jekyll_files.is_subset(&folio_files));
    let html = |files: &BTreeSet<String>| -> BTreeSet<String> {
        files
            .iter()
            .filter(|f| f.ends_with(".html"))
            .cloned()
            .collect()
    };
    // The print page is folio's own (the whole site on one page), not a page of the site.
    let mut folio_pages = html(&folio_files);
    assert!(folio_pages.remove("print/index.html"));
    assert_eq!(html(&jekyll_files), folio_pages);
}

#[test]
fn github_pages_plugins_make_pages_of_markdown_without_front_matter() {
    let jekyll = Site::new(&[
        (
            "_config.yml",
            "title: GH\nplugins:\n  - jekyll-optional-front-matter\n  - jekyll-readme-index\n",
        ),
        ("guide/README.md", "# The guide\n"),
        ("notes.md", "# Notes\n"),
        ("index.html", "---\ntitle: Home\n---\n<p>Home</p>\n"),
    ]);
    let target = tempfile::tempdir().unwrap();
    let out = folio(
        &["import", jekyll.root().to_str().unwrap(), "new"],
        target.path(),
    );
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let root = target.path().join("new");
    // The README is its folder's index; Jekyll's default permalink style ends pages in .html.
    assert_eq!(
        std::fs::read_to_string(root.join("content/guide/index.md")).unwrap(),
        "# The guide\n"
    );
    assert_eq!(
        std::fs::read_to_string(root.join("content/notes.md")).unwrap(),
        "---\npermalink: /notes.html\n---\n# Notes\n"
    );
    let built = folio(&["build", "--root", root.to_str().unwrap()], &root);
    assert_eq!(built.status.code(), Some(0));
    for page in ["guide/index.html", "notes.html", "index.html"] {
        assert!(root.join("public").join(page).is_file(), "{page}");
    }
}
