//! The command line: exit statuses, the summary line, `folio new`, `--strict`, `--quiet`,
//! `--timings`.

mod common;

use common::{Site, folio, md};

#[test]
fn a_site_builds_with_a_summary_line() {
    let site = Site::new(&[
        ("site.toml", "title = \"T\"\n"),
        ("content/index.md", &md("title: Home", "# Home\n")),
        ("content/a.md", &md("title: A", "Text\n")),
        ("content/img/logo.png", "png"),
    ]);
    let built = site.build(&[]).clean();
    let last = built.stdout().lines().last().unwrap().to_string();
    assert!(last.starts_with("Built 2 pages, "), "{last}");
    assert!(last.contains(" assets in "), "{last}");
    assert!(last.ends_with(" ms -> public/"), "{last}");
    assert!(site.public().join("index.html").is_file());
    assert!(site.public().join("a/index.html").is_file());
    assert_eq!(
        std::fs::read(site.public().join("img/logo.png")).unwrap(),
        b"png"
    );
}

#[test]
fn usage_errors_exit_with_2_and_help_works() {
    let dir = tempfile::tempdir().unwrap();
    let out = folio(&["build", "--no-such-flag"], dir.path());
    assert_eq!(out.status.code(), Some(2));
    let out = folio(&["frobnicate"], dir.path());
    assert_eq!(out.status.code(), Some(2));
    for args in [&["--help"][..], &["build", "--help"], &["new", "--help"]] {
        let out = folio(args, dir.path());
        assert_eq!(out.status.code(), Some(0), "{args:?}");
        assert!(
            String::from_utf8_lossy(&out.stdout).contains("Usage"),
            "{args:?}"
        );
    }
    let out = folio(&["build", "--help"], dir.path());
    let help = String::from_utf8_lossy(&out.stdout);
    for flag in [
        "--root",
        "--output",
        "--base-url",
        "--drafts",
        "--strict",
        "--quiet",
    ] {
        assert!(help.contains(flag), "{flag} missing from build --help");
    }
}

#[test]
fn site_errors_exit_with_1() {
    let site = Site::new(&[("content/index.md", "---\ntitle: [unclosed\n---\n")]);
    let built = site.build(&[]).failed();
    assert!(
        built.stderr().contains("Build failed with 1 error"),
        "{}",
        built.stderr()
    );
    let missing = tempfile::tempdir().unwrap();
    let out = folio(&["build", "--root", "does-not-exist"], missing.path());
    assert_eq!(out.status.code(), Some(1));
}

#[test]
fn strict_turns_warnings_into_errors() {
    let site = Site::new(&[(
        "content/index.md",
        &md("title: Home", "```nosuchlang\nx\n```\n"),
    )]);
    let built = site.build(&[]).ok();
    assert!(
        built
            .stderr()
            .contains("warning: unknown code language `nosuchlang`"),
        "{}",
        built.stderr()
    );
    std::fs::remove_dir_all(site.public()).unwrap();
    let built = site.build(&["--strict"]).failed();
    assert!(
        built
            .stderr()
            .contains("error: unknown code language `nosuchlang`"),
        "{}",
        built.stderr()
    );
    assert!(
        !site.public().exists(),
        "a failed strict build must not write the output"
    );
}

#[test]
fn quiet_prints_only_problems() {
    let site = Site::new(&[("content/index.md", &md("title: Home", "Hi\n"))]);
    let built = site.build(&["--quiet"]).ok();
    assert!(built.stdout().is_empty(), "{}", built.stdout());
    assert!(built.stderr().is_empty(), "{}", built.stderr());
}

#[test]
fn timings_name_every_stage() {
    let site = Site::new(&[
        (
            "content/index.md",
            &md("title: Home", "# Home\n\n## Part\n\nText.\n"),
        ),
        ("content/a.md", &md("title: A", "Text\n")),
    ]);
    let stdout = site.build(&["--timings", "--quiet"]).clean().stdout();
    let stages: Vec<&str> = stdout
        .lines()
        .filter_map(|line| {
            let (stage, time) = line.split_once(": ")?;
            time.strip_suffix(" ms")?.parse::<u64>().ok()?;
            Some(match stage.trim() {
                "of which link anchors (summed over threads)" => "anchors",
                other => other,
            })
        })
        .collect();
    assert_eq!(
        stages,
        [
            "load",
            "plan",
            "render",
            "anchors",
            "search index",
            "check links",
            "swap in",
            "save cache"
        ],
        "{stdout}"
    );
}

#[test]
fn output_and_base_url_can_be_overridden() {
    let site = Site::new(&[
        ("site.toml", "output = \"site-out\"\n"),
        ("content/index.md", &md("title: Home", "[A](a.md)\n")),
        ("content/a.md", &md("title: A", "A\n")),
    ]);
    site.build(&[]).clean();
    assert!(site.root().join("site-out/index.html").is_file());
    site.build(&[
        "--output",
        "elsewhere",
        "--base-url",
        "https://example.org/docs/",
    ])
    .clean();
    let html = std::fs::read_to_string(site.root().join("elsewhere/index.html")).unwrap();
    assert!(html.contains("href=\"/docs/a/\""), "{html}");
    let sitemap = std::fs::read_to_string(site.root().join("elsewhere/sitemap.xml")).unwrap();
    assert!(
        sitemap.contains("<loc>https://example.org/docs/a/</loc>"),
        "{sitemap}"
    );
    let bad = site.build(&["--base-url", "not a url"]).failed();
    assert!(bad.stderr().contains("base_url"), "{}", bad.stderr());
}

#[test]
fn new_writes_a_starter_site_that_builds() {
    let dir = tempfile::tempdir().unwrap();
    let out = folio(&["new", "handbook"], dir.path());
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let root = dir.path().join("handbook");
    for file in [
        "site.toml",
        "content/index.md",
        "content/getting-started/index.md",
    ] {
        assert!(root.join(file).is_file(), "{file}");
    }
    let out = folio(&["build", "--root", "handbook", "--strict"], dir.path());
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(
        root.join("public/getting-started/first-page/index.html")
            .is_file()
    );
    // Refuses to write over files.
    let out = folio(&["new", "handbook"], dir.path());
    assert_eq!(out.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&out.stderr).contains("already has a site"));
}

#[test]
fn drafts_are_left_out_unless_asked_for() {
    let site = Site::new(&[
        ("content/index.md", &md("title: Home", "Hi\n")),
        ("content/wip.md", &md("title: WIP\ndraft: true", "Soon\n")),
    ]);
    site.build(&[]).clean();
    assert!(!site.public().join("wip/index.html").exists());
    site.build(&["--drafts"]).clean();
    assert!(site.public().join("wip/index.html").exists());
}
