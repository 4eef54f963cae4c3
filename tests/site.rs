//! URLs, permalinks, collisions, generated files, overrides, and the navigation as readers
//! see it in built pages.

mod common;

use common::{Site, classes, md, text_of};

#[test]
fn pretty_urls_and_permalinks() {
    let site = Site::new(&[
        ("content/index.md", &md("title: Home", "Hi\n")),
        ("content/guide/index.md", &md("title: Guide", "G\n")),
        ("content/guide/setup.md", &md("title: Setup", "S\n")),
        ("content/x.md", &md("title: X\npermalink: /a/b/", "x\n")),
        ("content/y.md", &md("title: Y\npermalink: /a/b.html", "y\n")),
        (
            "content/notfound.md",
            &md("title: Missing\npermalink: /404", "Not here.\n"),
        ),
    ]);
    site.build(&[]).clean();
    for file in [
        "index.html",
        "guide/index.html",
        "guide/setup/index.html",
        "a/b/index.html",
        "a/b.html",
        "404.html",
    ] {
        assert!(site.public().join(file).is_file(), "{file}");
    }
    // The site's own 404 page replaces the theme's.
    assert!(site.page("404.html").text.contains("Not here."));
}

#[test]
fn the_theme_404_page_is_written_when_the_site_has_none() {
    let site = Site::new(&[("content/index.md", &md("title: Home", "Hi\n"))]);
    site.build(&[]).clean();
    let page = site.page("404.html");
    assert!(page.text.contains("Page not found"));
}

#[test]
fn unsafe_permalinks_are_errors() {
    for permalink in [
        "/../../etc/",
        "https://evil.example/",
        "/a\\\\b/",
        "relative/",
        "//evil/x",
        "javascript:alert(1)",
    ] {
        let site = Site::new(&[(
            "content/index.md",
            &md(&format!("title: Home\npermalink: \"{permalink}\""), "Hi\n"),
        )]);
        let built = site.build(&[]).failed();
        assert!(
            built
                .stderr()
                .contains("content/index.md\n  3:1: error: permalink"),
            "{permalink}: {}",
            built.stderr()
        );
        assert!(!site.public().exists());
    }
}

#[test]
fn two_pages_for_one_file_is_an_error_naming_both() {
    let site = Site::new(&[
        ("content/a.md", &md("title: A\npermalink: /same/", "a\n")),
        ("content/same.md", &md("title: Same", "b\n")),
        ("content/logo.png", "x"),
        (
            "content/logo.md",
            &md("title: Logo\npermalink: /logo.png", "c\n"),
        ),
    ]);
    let stderr = site.build(&[]).failed().stderr();
    assert!(
        stderr.contains(
            "`content/a.md` and `content/same.md` would both be written to `same/index.html`"
        ),
        "{stderr}"
    );
    assert!(
        stderr.contains("would both be written to `logo.png`"),
        "{stderr}"
    );
}

#[test]
fn sitemap_robots_nav_and_highlight_files() {
    let site = Site::new(&[
        ("site.toml", "base_url = \"https://example.org/hb/\"\n"),
        (
            "content/index.md",
            &md("title: Home\nlast_modified_date: 2024-05-06", "Hi\n"),
        ),
        ("content/a.md", &md("title: A\nparent: Home", "A\n")),
    ]);
    site.build(&[]).clean();
    let sitemap = std::fs::read_to_string(site.public().join("sitemap.xml")).unwrap();
    assert!(
        sitemap.contains("<loc>https://example.org/hb/</loc><lastmod>2024-05-06</lastmod>"),
        "{sitemap}"
    );
    assert!(
        sitemap.contains("<loc>https://example.org/hb/a/</loc>"),
        "{sitemap}"
    );
    let robots = std::fs::read_to_string(site.public().join("robots.txt")).unwrap();
    assert!(robots.contains("Sitemap: https://example.org/hb/sitemap.xml"));
    let nav: serde_json::Value =
        serde_json::from_slice(&std::fs::read(site.public().join("nav.json")).unwrap()).unwrap();
    assert_eq!(nav["nodes"][0]["u"], "/hb/");
    assert_eq!(nav["nodes"][1]["u"], "/hb/a/");
    // One stylesheet: the theme's, with the code colours appended.
    let css = std::fs::read_to_string(site.public().join("assets/css/folio.css")).unwrap();
    assert!(css.contains("prefers-color-scheme: dark"));
    assert!(css.contains("pre.highlight span { color: var(--l, inherit)"));
    assert!(!site.public().join("assets/css/highlight.css").exists());
    // Pages link the theme's files under the base path, versioned for caching.
    let page = site.page("index.html");
    let styles: Vec<String> = page
        .select("link[rel=stylesheet]")
        .iter()
        .map(|l| l.value().attr("href").unwrap().to_string())
        .collect();
    assert_eq!(styles.len(), 1, "{styles:?}");
    assert!(
        styles[0].starts_with("/hb/assets/css/folio.css?v="),
        "{styles:?}"
    );
    let script = page.one("script[src]");
    assert!(
        script
            .value()
            .attr("src")
            .unwrap()
            .starts_with("/hb/assets/js/folio.js?v=")
    );
    assert!(script.value().attr("defer").is_some());
    assert_eq!(
        page.one("link[rel=canonical]").value().attr("href"),
        Some("https://example.org/hb/")
    );
}

#[test]
fn site_files_override_the_theme_file_by_file() {
    let site = Site::new(&[
        ("content/index.md", &md("title: Home", "Hi\n")),
        (
            "templates/partials/footer.html",
            "<footer class=\"mine\">Custom footer for {{ site.title }}</footer>",
        ),
        ("static/assets/css/folio.css", "body { color: red }"),
        ("static/favicon.ico", "ico"),
    ]);
    site.build(&[]).clean();
    let page = site.page("index.html");
    assert_eq!(
        text_of(&page.one("footer.mine")),
        "Custom footer for Handbook"
    );
    assert!(
        page.has("#site-nav"),
        "other partials still come from the theme"
    );
    let css = std::fs::read_to_string(site.public().join("assets/css/folio.css")).unwrap();
    assert!(css.starts_with("body { color: red }\n"), "{css}");
    assert!(site.public().join("favicon.ico").is_file());
    assert!(site.public().join("assets/js/folio.js").is_file());
}

#[test]
fn ignored_files_are_not_published() {
    let site = Site::new(&[
        ("content/index.md", &md("title: Home", "Hi\n")),
        ("content/.hidden.md", &md("title: Hidden", "x\n")),
        ("content/notes.md~", "backup"),
        ("content/.page.md.swp", "swap"),
        ("content/#autosave#", "emacs"),
    ]);
    site.build(&[]).clean();
    let mut names: Vec<String> = std::fs::read_dir(site.public())
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    names.sort();
    assert_eq!(
        names,
        [
            "404.html",
            "assets",
            "favicon.svg",
            "index.html",
            "index.md",
            "llms-full.txt",
            "llms.txt",
            "nav.json",
            "print",
            "robots.txt",
            "search",
            "sitemap.xml"
        ]
    );
}

#[test]
fn links_work_under_a_base_path() {
    let site = Site::new(&[
        (
            "site.toml",
            "base_url = \"https://example.org/handbook/\"\n",
        ),
        (
            "content/index.md",
            &md(
                "title: Home",
                "[setup](guide/setup.md#install) [abs](/guide/setup) ![logo](img/logo.png)\n",
            ),
        ),
        (
            "content/guide/setup.md",
            &md(
                "title: Setup\nparent: Home",
                "## Install\n\n[home](../index.md)\n",
            ),
        ),
        ("content/img/logo.png", "png"),
    ]);
    site.build(&[]).clean();
    let home = site.page("index.html");
    let content_links = home.hrefs("main a:not(.anchor-heading)");
    assert!(
        content_links.contains(&"/handbook/guide/setup/#install".to_string()),
        "{content_links:?}"
    );
    assert!(
        content_links.contains(&"/handbook/guide/setup/".to_string()),
        "{content_links:?}"
    );
    assert_eq!(
        home.one("main img").value().attr("src"),
        Some("/handbook/img/logo.png")
    );
    let setup = site.page("guide/setup/index.html");
    assert!(setup.hrefs("main a").contains(&"/handbook/".to_string()));
    assert!(
        setup
            .hrefs("#site-nav a")
            .iter()
            .all(|h| h.starts_with("/handbook/"))
    );
}

fn nav_site() -> Site {
    Site::new(&[
        (
            "content/index.md",
            &md("title: Home\nnav_order: 1", "Home\n"),
        ),
        (
            "content/guide/index.md",
            &md("title: Guide\nnav_order: 2", "Guide\n"),
        ),
        (
            "content/guide/setup.md",
            &md(
                "title: Setup\nparent: Guide\nnav_order: 1\nsummary: getting ready",
                "S\n",
            ),
        ),
        (
            "content/guide/usage.md",
            &md("title: Usage\nparent: Guide\nnav_order: 2", "U\n"),
        ),
        (
            "content/guide/setup/linux.md",
            &md("title: Linux\nparent: Setup\ngrand_parent: Guide", "L\n"),
        ),
        (
            "content/guide/hidden.md",
            &md(
                "title: Hidden\nparent: Guide\nnav_order: 3\nnav_exclude: true",
                "H\n",
            ),
        ),
        (
            "content/quiet.md",
            &md("title: Quiet\nnav_order: 3\nhas_toc: false", "Q\n"),
        ),
        (
            "content/quiet/child.md",
            &md("title: Quiet child\nparent: Quiet", "C\n"),
        ),
        (
            "content/bare.md",
            &md("title: Bare\nlayout: minimal\nnav_order: 4", "B\n"),
        ),
    ])
}

#[test]
fn breadcrumbs_children_and_neighbours() {
    let site = nav_site();
    site.build(&[]).clean();
    let linux = site.page("guide/setup/linux/index.html");
    assert_eq!(
        linux.texts("nav[aria-label=Breadcrumb] li"),
        ["Guide", "Setup", "Linux"]
    );
    assert_eq!(
        linux.hrefs("nav[aria-label=Breadcrumb] a"),
        ["/guide/", "/guide/setup/"]
    );

    // The child list at the bottom lists nav_excluded children too, with summaries.
    let guide = site.page("guide/index.html");
    let child_list = guide.texts("main li");
    assert!(
        child_list.iter().any(|t| t == "Setup – getting ready"),
        "{child_list:?}"
    );
    assert!(guide.has("main a[href='/guide/hidden/']"));
    // has_toc: false hides the list.
    assert!(
        !site
            .page("quiet/index.html")
            .has("main a[href='/quiet/child/']:not([rel])")
    );

    // Previous and next follow the sidebar order, skipping nav_excluded pages.
    let setup = site.page("guide/setup/index.html");
    assert_eq!(setup.hrefs("a[rel=prev]"), ["/guide/"]);
    assert_eq!(setup.hrefs("a[rel=next]"), ["/guide/setup/linux/"]);
    let usage = site.page("guide/usage/index.html");
    assert_eq!(usage.hrefs("a[rel=next]"), ["/quiet/"]);
}

#[test]
fn the_sidebar_marks_the_current_branch() {
    let site = nav_site();
    site.build(&[]).clean();
    let linux = site.page("guide/setup/linux/index.html");
    let current = linux.one("#site-nav a[aria-current=page]");
    assert_eq!(current.value().attr("href"), Some("/guide/setup/linux/"));
    assert!(classes(&current).contains(&"active".to_string()));
    let active: Vec<String> = linux
        .select("#site-nav li.active > a")
        .iter()
        .map(|a| a.value().attr("href").unwrap().to_string())
        .collect();
    assert_eq!(active, ["/guide/", "/guide/setup/", "/guide/setup/linux/"]);
    // nav_exclude keeps a page out of the sidebar only.
    assert!(!linux.has("#site-nav a[href='/guide/hidden/']"));
    // The minimal layout has no sidebar.
    assert!(!site.page("bare/index.html").has("#site-nav"));
    // Top-level pages are all there, other branches are collapsed.
    let home = site.page("index.html");
    assert_eq!(
        home.hrefs("#site-nav > ul > li > a"),
        ["/", "/guide/", "/quiet/", "/bare/"]
    );
    assert!(!home.has("#site-nav a[href='/guide/setup/']"));
}

#[test]
fn nav_warnings_name_the_file_and_line() {
    let site = Site::new(&[
        ("content/a.md", &md("title: Networking", "x\n")),
        (
            "content/b.md",
            &md("title: Orphan\nnav_order: 2\nparent: Netwroking", "x\n"),
        ),
        (
            "content/c.md",
            &md("title: Setup\nparent: Networking", "x\n"),
        ),
        ("content/d.md", &md("title: Other", "x\n")),
        ("content/e.md", &md("title: Setup\nparent: Other", "x\n")),
        ("content/f.md", &md("title: Step\nparent: Setup", "x\n")),
        (
            "content/g.md",
            &md(
                "title: Networking\nparent: Setup\ngrand_parent: Networking",
                "x\n",
            ),
        ),
    ]);
    let stderr = site.build(&[]).ok().stderr();
    assert!(
        stderr.contains("content/b.md\n  4: warning: parent `Netwroking` matches no page title"),
        "{stderr}"
    );
    assert!(stderr.contains("did you mean `Networking`?"), "{stderr}");
    assert!(stderr.contains("content/f.md\n  3: warning: parent `Setup` is the title of 2 pages (content/c.md, content/e.md)"), "{stderr}");
    assert!(stderr.contains("content/g.md\n  2: warning: the title `Networking` repeats the title of one of its ancestors"), "{stderr}");
}

#[test]
fn the_sidebar_stays_small_on_large_sites() {
    // 300 sections of 30 pages: far more than a sidebar should carry.
    let mut files = vec![(
        "content/index.md".to_string(),
        md("title: Home\nnav_order: 0", "Hi\n"),
    )];
    for s in 0..300 {
        files.push((
            format!("content/s{s}/index.md"),
            md(&format!("title: Section {s}\nnav_order: {}", s + 1), "S\n"),
        ));
        for p in 0..30 {
            files.push((
                format!("content/s{s}/p{p}.md"),
                md(
                    &format!("title: Page {s}-{p}\nparent: Section {s}\nnav_order: {p}"),
                    "P\n",
                ),
            ));
        }
    }
    let refs: Vec<(&str, &str)> = files
        .iter()
        .map(|(a, b)| (a.as_str(), b.as_str()))
        .collect();
    let site = Site::new(&refs);
    site.build(&[]).clean();
    let page = site.page("s150/p15/index.html");
    let items = page.select("#site-nav li").len();
    assert!(items < 60, "{items} sidebar items in one page");
    assert!(page.has("#site-nav a[href='/s150/p15/'][aria-current=page]"));
    // The rest is reachable through nav.json and the "more" items.
    assert!(page.has("#site-nav li.nav-list-more[data-nav-parent=root]"));
    let nav: serde_json::Value =
        serde_json::from_slice(&std::fs::read(site.public().join("nav.json")).unwrap()).unwrap();
    assert_eq!(nav["nodes"].as_array().unwrap().len(), 1 + 300 * 31);
}

#[test]
fn pages_without_front_matter_are_titled_from_their_first_heading() {
    let site = Site::new(&[
        ("content/index.md", &md("title: Home\nnav_order: 1", "Hi\n")),
        (
            "content/plain.md",
            "Intro text.\n\n# Plain *page* title\n\nBody.\n",
        ),
    ]);
    site.build(&[]).clean();
    let home = site.page("index.html");
    assert!(
        home.texts("#site-nav a")
            .contains(&"Plain page title".to_string())
    );
    let plain = site.page("plain/index.html");
    assert!(text_of(&plain.one("title")).starts_with("Plain page title"));
}

#[test]
fn child_order_and_has_children_false() {
    let site = Site::new(&[
        (
            "content/p.md",
            &md("title: P\nchild_nav_order: reversed", "P\n"),
        ),
        (
            "content/p1.md",
            &md("title: P1\nparent: P\nnav_order: 1", "1\n"),
        ),
        (
            "content/p2.md",
            &md("title: P2\nparent: P\nnav_order: 2", "2\n"),
        ),
        ("content/q.md", &md("title: Q\nhas_children: false", "Q\n")),
        ("content/q1.md", &md("title: Q1\nparent: Q", "Q1\n")),
        (
            "content/index.md",
            &md("title: Home\nnav_order: 0", "Home\n"),
        ),
    ]);
    site.build(&[]).clean();
    let p = site.page("p/index.html");
    let children: Vec<String> = p.hrefs("main li > a:not([rel])");
    assert_eq!(children, ["/p2/", "/p1/"]);
    assert_eq!(
        p.hrefs("#site-nav li.active > ul > li > a"),
        ["/p2/", "/p1/"]
    );
    // has_children: false: no child list, no children in the sidebar, breadcrumbs kept.
    let q1 = site.page("q1/index.html");
    assert!(!q1.has("#site-nav a[href='/q1/']"));
    assert_eq!(q1.texts("nav[aria-label=Breadcrumb] li"), ["Q", "Q1"]);
    assert!(
        !site
            .page("q/index.html")
            .has("main a[href='/q1/']:not([rel])")
    );
}

#[cfg(unix)]
#[test]
fn symbolic_links_out_of_the_site_are_not_published() {
    let site = Site::new(&[
        ("content/index.md", &md("title: Home", "Hi\n")),
        ("content/shared/inside.txt", "inside"),
    ]);
    let outside = tempfile::NamedTempFile::new().unwrap();
    std::fs::write(outside.path(), "private").unwrap();
    std::os::unix::fs::symlink(outside.path(), site.root().join("content/leak.txt")).unwrap();
    std::os::unix::fs::symlink(
        site.root().join("content/shared/inside.txt"),
        site.root().join("content/alias.txt"),
    )
    .unwrap();
    // A linked folder inside the site is listed through the link.
    std::os::unix::fs::symlink(
        site.root().join("content/shared"),
        site.root().join("content/linked"),
    )
    .unwrap();
    let built = site.build(&[]).ok();
    assert!(
        built
            .stderr()
            .contains("content/leak.txt\n  warning: this symbolic link points outside the site"),
        "{}",
        built.stderr()
    );
    assert!(!site.public().join("leak.txt").exists());
    assert_eq!(
        std::fs::read_to_string(site.public().join("alias.txt")).unwrap(),
        "inside"
    );
    assert_eq!(
        std::fs::read_to_string(site.public().join("linked/inside.txt")).unwrap(),
        "inside"
    );
}
