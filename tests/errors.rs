//! Bad input gets a clear error with its place, all errors of a build come together, and a
//! failed build leaves the previous output untouched.

mod common;

use common::{Site, md};

/// The findings listed under the heading of `file` in a build's stderr, without the source
/// lines shown under them (`  4 | text`, `    |  ^`).
fn findings_for(stderr: &str, file: &str) -> Vec<String> {
    let mut lines = Vec::new();
    let mut inside = false;
    for line in stderr.lines() {
        if !line.starts_with(' ') {
            inside = line == file;
        } else if inside {
            let trimmed = line.trim();
            let is_frame = trimmed
                .trim_start_matches(|c: char| c.is_ascii_digit())
                .trim_start()
                .starts_with('|');
            if !is_frame {
                lines.push(trimmed.to_string());
            }
        }
    }
    lines
}

#[test]
fn findings_show_the_source_line_with_a_caret() {
    let site = Site::new(&[(
        "content/page.md",
        "---\ntitle: Fine\nnav_order: 1\nparent: [unclosed\n---\nBody\n",
    )]);
    let stderr = site.build(&[]).failed().stderr();
    assert!(
        stderr.contains("    4 | parent: [unclosed\n      |         ^\n"),
        "{stderr}"
    );
}

#[test]
fn yaml_errors_point_into_the_markdown_file() {
    let site = Site::new(&[(
        "content/page.md",
        "---\ntitle: Fine\nnav_order: 1\nparent: [unclosed\n---\nBody\n",
    )]);
    let built = site.build(&[]).failed();
    let findings = findings_for(&built.stderr(), "content/page.md");
    assert_eq!(findings.len(), 2, "{}", built.stderr());
    // Line 4 of the file is line 3 of the YAML block.
    assert!(findings[0].starts_with("4:"), "{findings:?}");
    assert!(findings[0].contains("not valid YAML"), "{findings:?}");
    assert!(findings[1].starts_with("help:"), "{findings:?}");
}

#[test]
fn wrong_types_and_unclosed_front_matter_are_located() {
    let site = Site::new(&[
        ("content/a.md", "---\ntitle: A\nnav_exclude: maybe\n---\n"),
        ("content/b.md", "---\ntitle: B\n"),
    ]);
    let stderr = site.build(&[]).failed().stderr();
    let a = findings_for(&stderr, "content/a.md");
    assert!(
        a[0].starts_with("3:1: error: `nav_exclude` must be true or false"),
        "{a:?}"
    );
    let b = findings_for(&stderr, "content/b.md");
    assert!(
        b[0].starts_with("1:1: error: the front matter that starts on line 1 is never closed"),
        "{b:?}"
    );
}

#[test]
fn bom_and_crlf_are_accepted_and_lines_still_count() {
    let site = Site::new(&[
        (
            "content/index.md",
            "\u{feff}---\r\ntitle: Home\r\n---\r\n# Hello\r\n\r\nText\r\n",
        ),
        (
            "content/bad.md",
            "\u{feff}---\r\ntitle: Bad\r\nnav_order: [1\r\n---\r\n",
        ),
    ]);
    let built = site.build(&[]).failed();
    let findings = findings_for(&built.stderr(), "content/bad.md");
    assert!(findings[0].starts_with("3:"), "{findings:?}");
    site.write("content/bad.md", "---\r\ntitle: Bad\r\n---\r\nText\r\n");
    site.build(&[]).clean();
    let page = site.page("index.html");
    assert_eq!(page.one("h1").value().attr("id"), Some("hello"));
    assert!(!page.text.contains('\r'));
}

#[test]
fn unknown_layouts_list_the_available_ones() {
    let site = Site::new(&[(
        "content/index.md",
        &md("title: Home\nlayout: fancy", "Hi\n"),
    )]);
    let stderr = site.build(&[]).failed().stderr();
    let findings = findings_for(&stderr, "content/index.md");
    assert!(
        findings[0].starts_with("3: error: there is no layout `fancy`"),
        "{findings:?}"
    );
    assert!(
        findings[1].contains("default, home, minimal, page"),
        "{findings:?}"
    );
    // A site can add layouts.
    site.write(
        "templates/layouts/fancy.html",
        "<!DOCTYPE html><title>x</title><p>{{ page.title }}</p>",
    );
    site.build(&[]).clean();
    assert!(site.page("index.html").text.contains("<p>Home</p>"));
}

#[test]
fn template_errors_name_the_template_and_line() {
    let site = Site::new(&[
        ("content/index.md", &md("title: Home", "Hi\n")),
        (
            "templates/partials/footer.html",
            "<footer>\n{{ page.title }\n</footer>\n",
        ),
    ]);
    let stderr = site.build(&[]).failed().stderr();
    let findings = findings_for(&stderr, "templates/partials/footer.html");
    assert!(findings[0].starts_with("2:"), "{stderr}");
    assert!(findings[0].contains("template syntax error"), "{stderr}");

    site.write(
        "templates/partials/footer.html",
        "<footer>\n\n{{ page.no_such_field.deeper }}\n</footer>\n",
    );
    let stderr = site.build(&[]).failed().stderr();
    let findings = findings_for(&stderr, "templates/partials/footer.html");
    assert!(findings[0].starts_with("3:"), "{stderr}");
}

#[test]
fn titles_are_escaped_by_templates() {
    let site = Site::new(&[(
        "content/index.md",
        &md("title: \"<script>alert(1)</script>\"", "Hi\n"),
    )]);
    site.build(&[]).clean();
    let page = site.page("index.html");
    assert!(!page.text.contains("<script>alert(1)</script>"));
    assert!(page.text.contains("&lt;script&gt;alert(1)&lt;/script&gt;"));
}

#[test]
fn all_errors_of_a_build_are_reported_together() {
    let site = Site::new(&[
        ("content/a.md", "---\ntitle: [\n---\n"),
        ("content/b.md", &md("title: B\nlayout: nope", "x\n")),
        (
            "content/c.md",
            &md("title: C\npermalink: /../escape/", "x\n"),
        ),
        (
            "content/d.md",
            &md("title: D\nparent: Nobody", "```nolang\nx\n```\n"),
        ),
    ]);
    let built = site.build(&[]).failed();
    let stderr = built.stderr();
    for file in [
        "content/a.md",
        "content/b.md",
        "content/c.md",
        "content/d.md",
    ] {
        assert!(
            !findings_for(&stderr, file).is_empty(),
            "{file} missing from\n{stderr}"
        );
    }
    assert!(stderr.contains("Build failed with 3 errors"), "{stderr}");
}

#[test]
fn a_failed_build_leaves_the_previous_output_byte_for_byte() {
    let site = Site::new(&[
        ("content/index.md", &md("title: Home", "First version\n")),
        ("content/other.md", &md("title: Other", "Other\n")),
        ("content/pic.png", "image"),
    ]);
    site.build(&[]).clean();
    let before = common::snapshot(&site.public());
    assert!(before.len() > 5);

    site.write("content/index.md", &md("title: Home", "Second version\n"));
    site.write("content/broken.md", "---\ntitle: : :\n---\n");
    site.build(&[]).failed();
    assert_eq!(common::snapshot(&site.public()), before);
    let leftovers: Vec<_> = std::fs::read_dir(site.root())
        .unwrap()
        .filter_map(|e| e.ok())
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .filter(|name| name.contains("folio") && name != ".folio-cache")
        .collect();
    assert!(leftovers.is_empty(), "staging folders left: {leftovers:?}");

    std::fs::remove_file(site.root().join("content/broken.md")).unwrap();
    site.build(&[]).clean();
    assert!(site.page("index.html").text.contains("Second version"));
}

#[test]
fn an_interrupted_build_is_cleaned_up_next_time() {
    let site = Site::new(&[("content/index.md", &md("title: Home", "Hi\n"))]);
    // A staging folder of a build whose process no longer exists.
    site.write(".public.folio-staging-999999999/index.html", "half");
    site.build(&[]).clean();
    assert!(!site.root().join(".public.folio-staging-999999999").exists());
}

#[test]
fn unknown_config_keys_suggest_the_closest() {
    let site = Site::new(&[
        (
            "site.toml",
            "titel = \"x\"\n\n[nav]\nsrot = \"case_insensitive\"\n",
        ),
        ("content/index.md", &md("title: Home", "Hi\n")),
    ]);
    let stderr = site.build(&[]).failed().stderr();
    let findings = findings_for(&stderr, "site.toml");
    assert!(
        findings[0].starts_with("1:1: error: unknown key `titel`"),
        "{findings:?}"
    );
    assert!(
        findings[1].contains("did you mean `title`?"),
        "{findings:?}"
    );
    assert!(
        findings[2].starts_with("4:1: error: unknown key `nav.srot`"),
        "{findings:?}"
    );
    assert!(findings[3].contains("`sort`"), "{findings:?}");
}

#[test]
fn the_output_folder_may_not_replace_the_sources() {
    let site = Site::new(&[("content/index.md", &md("title: Home", "Hi\n"))]);
    for output in [".", "content", "content/public", ".."] {
        let built = site.build(&["--output", output]).failed();
        assert!(
            built.stderr().contains("output folder"),
            "{output}: {}",
            built.stderr()
        );
    }
    assert!(site.root().join("content/index.md").is_file());
}
