//! The default theme without a browser: what every page carries, what the stylesheet offers,
//! and that nothing is loaded from the network.

mod common;

use common::{Site, md, text_of};

fn stylesheet() -> String {
    std::fs::read_to_string(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/static/assets/css/folio.css"
    ))
    .unwrap()
}

#[test]
fn the_just_the_docs_utility_classes_exist() {
    let css = stylesheet();
    let mut expected: Vec<String> = Vec::new();
    expected.extend((1..=10).map(|n| format!(".fs-{n}")));
    expected.extend(["300", "400", "500", "700"].map(|w| format!(".fw-{w}")));
    expected.extend(
        [
            ".lh-0",
            ".lh-tight",
            ".lh-default",
            ".ls-0",
            ".ls-5",
            ".ls-10",
        ]
        .map(String::from),
    );
    expected.extend(
        [
            ".text-uppercase",
            ".text-small",
            ".text-mono",
            ".text-left",
            ".text-center",
            ".text-right",
        ]
        .map(String::from),
    );
    expected.extend(
        ["alpha", "beta", "gamma", "delta", "epsilon", "zeta"].map(|h| format!(".text-{h}")),
    );
    let mut colours: Vec<String> = ["000", "100", "200", "250", "300"]
        .iter()
        .map(|n| format!("grey-dk-{n}"))
        .collect();
    colours.extend(
        ["000", "100", "200", "300"]
            .iter()
            .map(|n| format!("grey-lt-{n}")),
    );
    for hue in ["purple", "blue", "green", "yellow", "red"] {
        colours.extend(
            ["000", "100", "200", "300"]
                .iter()
                .map(|n| format!("{hue}-{n}")),
        );
    }
    for colour in &colours {
        expected.push(format!(".text-{colour}"));
        expected.push(format!(".bg-{colour}"));
    }
    for display in ["block", "flex", "inline", "inline-block", "none"] {
        expected.push(format!(".d-{display}"));
        for size in ["xs", "sm", "md", "lg", "xl"] {
            expected.push(format!(".d-{size}-{display}"));
        }
    }
    for n in 0..=10 {
        for kind in [
            "m", "mt", "mr", "mb", "ml", "mx", "my", "p", "pt", "pr", "pb", "pl", "px", "py",
        ] {
            expected.push(format!(".{kind}-{n}"));
        }
        for size in ["sm", "md", "lg", "xl"] {
            for kind in [
                "mt", "mr", "mb", "ml", "mx", "my", "pt", "pr", "pb", "pl", "px", "py",
            ] {
                expected.push(format!(".{kind}-{size}-{n}"));
            }
        }
    }
    expected.extend(
        [
            ".mx-auto",
            ".sr-only",
            ".float-left",
            ".float-right",
            ".list-style-none",
            ".code-example",
        ]
        .map(String::from),
    );
    expected.extend(
        [
            ".flex-justify-start",
            ".flex-justify-end",
            ".flex-justify-between",
            ".flex-justify-around",
        ]
        .map(String::from),
    );
    expected.extend(
        ["", "-blue", "-green", "-purple", "-yellow", "-red"].map(|c| format!(".label{c}")),
    );
    expected.extend(
        ["", "-primary", "-purple", "-blue", "-green", "-outline"].map(|c| format!(".btn{c}")),
    );
    let missing: Vec<&String> = expected
        .iter()
        .filter(|selector| {
            // A selector is present when it appears followed by something that ends it.
            ![" ", ",", "{", ":", ")", "."]
                .iter()
                .any(|end| css.contains(&format!("{selector}{end}")))
        })
        .collect();
    assert!(
        missing.is_empty(),
        "{} classes missing: {missing:?}",
        missing.len()
    );
}

#[test]
fn the_stylesheet_loads_nothing_and_respects_reader_settings() {
    let css = stylesheet();
    for forbidden in ["@font-face", "@import", "url(http", "url(//"] {
        assert!(
            !css.contains(forbidden),
            "the stylesheet contains {forbidden}"
        );
    }
    for needed in [
        "prefers-color-scheme: dark",
        "[data-theme=\"dark\"]",
        "prefers-reduced-motion",
        "@media print",
        ":focus-visible",
    ] {
        assert!(css.contains(needed), "the stylesheet lacks {needed}");
    }
    let script = std::fs::read_to_string(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/static/assets/js/folio.js"
    ))
    .unwrap();
    assert!(
        !script.contains("http://") && !script.contains("https://"),
        "the script names a web address"
    );
    assert!(
        script.len() < 30_000 && css.len() < 70_000,
        "theme files stay small"
    );
}

#[test]
fn every_page_has_landmarks_and_local_resources_only() {
    let site = Site::new(&[("content/index.md", &md("title: Home", "Hi\n"))]);
    let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR"));
    let output = common::folio(
        &[
            "build",
            "--root",
            root.to_str().unwrap(),
            "--output",
            site.public().to_str().unwrap(),
        ],
        root,
    );
    assert_eq!(output.status.code(), Some(0));
    let sitemap = std::fs::read_to_string(site.public().join("sitemap.xml")).unwrap();
    let paths: Vec<String> = sitemap
        .split("<loc>")
        .skip(1)
        .map(|rest| {
            rest.split("</loc>")
                .next()
                .unwrap()
                .trim_start_matches('/')
                .to_string()
        })
        .collect();
    assert!(paths.len() > 20);
    for path in paths {
        let file = if path.is_empty() {
            "index.html".to_string()
        } else {
            format!("{path}index.html")
        };
        let page = site.page(&file);
        assert_eq!(page.one("html").value().attr("lang"), Some("en"), "{file}");
        for landmark in ["header", "main#main-content", "footer", "nav#site-nav"] {
            assert!(page.has(landmark), "{file} has no {landmark}");
        }
        let skip = page.select("body a").into_iter().next().unwrap();
        assert_eq!(
            skip.value().attr("href"),
            Some("#main-content"),
            "{file}: the skip link comes first"
        );
        let resources: Vec<String> = page
            .select("link[href], script[src], img[src]")
            .iter()
            .filter_map(|e| {
                e.value()
                    .attr("href")
                    .or(e.value().attr("src"))
                    .map(str::to_string)
            })
            .collect();
        for resource in &resources {
            assert!(
                resource.starts_with('/') && !resource.starts_with("//"),
                "{file} loads {resource}"
            );
        }
        assert_eq!(page.select("link[rel=stylesheet]").len(), 1, "{file}");
        let scripts = page.select("script[src]");
        assert_eq!(scripts.len(), 1, "{file}");
        assert!(scripts[0].value().attr("defer").is_some(), "{file}");
    }
}

#[test]
fn the_footer_shows_dates_and_edit_links_when_configured() {
    let site = Site::new(&[
        (
            "site.toml",
            "[footer]\ncontent = \"<em>Team docs</em>\"\nlast_modified_format = \"%d %B %Y\"\n\n[edit_link]\nurl = \"https://git.example.org/docs/edit/main/{path}\"\ntext = \"Improve this page\"\n",
        ),
        (
            "content/index.md",
            &md("title: Home\nlast_modified_date: 2025-03-04", "Hi\n"),
        ),
    ]);
    site.build(&[]).clean();
    let page = site.page("index.html");
    let footer = page.one("footer.site-footer");
    let text = text_of(&footer);
    assert!(text.contains("04 March 2025"), "{text}");
    assert!(text.contains("Team docs"), "{text}");
    assert!(page.has("footer.site-footer em"), "footer content is HTML");
    let edit = page.one(
        "footer.site-footer a[href='https://git.example.org/docs/edit/main/content/index.md']",
    );
    assert_eq!(text_of(&edit), "Improve this page");
    assert!(page.has("a[href='#main-content']"), "back to top");
}
