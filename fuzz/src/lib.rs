//! The fuzz targets' checks: one function per parser of user input, each taking the raw
//! bytes AFL++ gives and panicking when an invariant breaks (a panic in folio is a finding
//! too). The binaries in `targets/` call them under `afl::fuzz!`; `tests/replay.rs` runs the
//! seeds and every kept crash through them with a plain `cargo test`.
//!
//! Inputs are read as UTF-8 with invalid bytes replaced: folio reads every file as UTF-8 and
//! refuses others before parsing, so invalid bytes would only be mutations wasted.

mod html;
mod places;

use std::borrow::Cow;

use folio::fuzzing;

use places::{assert_place, assert_places};

/// The names of the targets, as in `Cargo.toml` and `seeds/`.
pub const TARGETS: &[&str] = &[
    "front_matter",
    "site_config",
    "kramdown",
    "markdown",
    "links",
    "permalink",
    "liquid",
];

/// Runs what each target initialises once (the code themes, the site of the links), so that
/// AFL++'s forkserver starts with it done and every run takes the same path.
pub fn warm_up() {
    fuzzing::render_page("# A\n\n```rust\nfn main() {}\n```\n[a](setup.md)\n");
    fuzzing::resolve_link("", "/");
    fuzzing::liquid_page("{% include note.html text='*a*' %}{{ site.data.team | size }}");
}

/// Runs target `name` on `data`.
pub fn run(name: &str, data: &[u8]) {
    match name {
        "front_matter" => front_matter(data),
        "site_config" => site_config(data),
        "kramdown" => kramdown(data),
        "markdown" => markdown(data),
        "links" => links(data),
        "permalink" => permalink(data),
        "liquid" => liquid(data),
        other => panic!("no fuzz target `{other}`"),
    }
}

fn text(data: &[u8]) -> Cow<'_, str> {
    String::from_utf8_lossy(data)
}

/// A page file: front matter split from the body, errors and warnings at lines of the file,
/// the body where the split says, an accepted permalink inside the output folder.
pub fn front_matter(data: &[u8]) {
    let text = text(data);
    // The front matter's fast reader, on the block between the markers (or the whole input).
    let yaml = text
        .strip_prefix("---\n")
        .map_or(&*text, |rest| rest.split("\n---").next().unwrap_or(rest));
    assert!(
        fuzzing::plain_yaml_agrees(yaml),
        "the fast front matter reader and the YAML parser disagree"
    );
    match fuzzing::page_front_matter(&text) {
        Ok(split) => {
            let normalised = &split.text;
            assert!(split.body_start <= normalised.len());
            assert!(normalised.is_char_boundary(split.body_start));
            if !split.has_front_matter {
                assert_eq!((split.body_start, split.body_line), (0, 1));
            }
            if split.body_start < normalised.len() {
                let lines_before = normalised[..split.body_start].matches('\n').count();
                assert_eq!(
                    split.body_line,
                    lines_before + 1,
                    "the body does not start on the line the split says"
                );
            }
            assert_places(normalised, &split.warnings);
            if let Some((written, place)) = &split.permalink
                && let Ok(published) = place
            {
                assert_eq!(&published.url, written);
                assert_output_path_inside(&published.output_path);
            }
        }
        Err(errors) => {
            assert!(!errors.is_empty(), "a page refused without a reason");
            assert!(errors.iter().any(|e| e.is_error));
            // The places are in the text the loader parsed (BOM and CRs removed).
            let normalised = fuzzing::normalised_page_text(&text);
            for error in &errors {
                assert!(error.line.is_some(), "an error without a line: {error:?}");
                assert_place(&normalised, error);
            }
        }
    }
}

/// `site.toml`: every error names the file and a place inside it.
pub fn site_config(data: &[u8]) {
    let text = text(data);
    if let Err(errors) = fuzzing::site_config(&text) {
        assert!(
            !errors.is_empty(),
            "a configuration refused without a reason"
        );
        let parsed = text.strip_prefix('\u{feff}').unwrap_or(&text);
        for error in &errors {
            assert_eq!(error.file.as_deref(), Some("site.toml"), "{error:?}");
            if error.is_error {
                assert!(error.line.is_some(), "an error without a line: {error:?}");
            }
            assert_place(parsed, error);
        }
    }
}

/// kramdown's line syntax: every line of the scanned text comes from a line of the body, in
/// order (the scan adds lines for content on an HTML tag's line and joins lines, and keeps
/// a map), places are inside the body; attribute lists write well-formed, escaped HTML
/// attributes; a span list takes up its own `{:` … `}` and no more (a quoted value may run
/// over a line break, as in kramdown; the renderer only gives it text within a line).
pub fn kramdown(data: &[u8]) {
    let body = text(data);
    let scan = fuzzing::kramdown_lines(&body);
    let lines = places::line_count(&body);
    for &line in &scan.body_lines {
        assert!(
            (1..=lines).contains(&line),
            "text line from body line {line} of {lines}"
        );
    }
    for pair in scan.body_lines.windows(2) {
        assert!(
            pair[0] <= pair[1],
            "text lines out of the body's order: {pair:?}"
        );
    }
    for pair in scan.block_list_lines.windows(2) {
        assert!(pair[0] < pair[1], "block lists out of order");
    }
    for &line in &scan.block_list_lines {
        assert!((1..=lines).contains(&line));
    }
    for &(line, column) in &scan.warnings {
        places::assert_line_column(&body, line, Some(column));
    }

    for (at, _) in body.match_indices("{:") {
        let rest = &body[at..];
        if let Some(used) = fuzzing::span_attribute_list(rest) {
            assert!(used <= rest.len() && rest.is_char_boundary(used));
            assert!(rest[..used].ends_with('}'), "a span list ends at `}}`");
        }
        let line_end = rest.find('\n').unwrap_or(rest.len());
        if let Some(inner) = rest[2..line_end].trim_end().strip_suffix('}')
            && let Some(attributes) = fuzzing::attribute_list(inner)
        {
            html::assert_attributes(&attributes);
        }
    }
}

/// A page body rendered as the build renders it: places inside the body, and no markup the
/// page did not write (see `html::assert_page_markup`).
pub fn markdown(data: &[u8]) {
    let body = text(data);
    let page = fuzzing::render_page(&body);
    for &(line, column) in &page.link_places {
        places::assert_line_column(&body, line, Some(column));
    }
    for &(line, column) in &page.warnings {
        let line = line.expect("a Markdown warning without a line");
        places::assert_line_column(&body, line, column);
    }
    html::assert_page_markup(&body, &page.html);
    // The Markdown copy is made as a build makes it (a panic there fails the target).
    assert!(page.copy.ends_with('\n'), "{:?}", page.copy);
}

/// The page folders that links are resolved from, and the page URLs raw HTML is read at.
const PAGE_DIRS: &[&str] = &["", "guide", "guide/deep/er", "about"];
const PAGE_URLS: &[&str] = &["/", "/guide/setup/", "/404.html", "/guide/"];

/// Link resolution: what is written to the output never runs script, names the page or file
/// the site has, and carries the base path; raw HTML that a browser would run as script is
/// reported as unsafe; HTML links are found at real attribute values.
pub fn links(data: &[u8]) {
    let Some((&selector, rest)) = data.split_first() else {
        return;
    };
    let href = text(rest);
    let page_dir = PAGE_DIRS[usize::from(selector) % PAGE_DIRS.len()];
    let (written, target) = fuzzing::resolve_link(page_dir, &href);
    assert!(
        !html::runs_script(&written),
        "a link to script is written: {written:?} (from {href:?})"
    );
    match target.kind {
        "unsafe" => assert_eq!(written, "#"),
        "external" => assert_eq!(written, href.trim()),
        "page" => {
            let url = target.names.as_deref().unwrap();
            assert!(fuzzing::SITE_PAGES.iter().any(|(_, u)| *u == url), "{url}");
            assert!(written.starts_with(&format!("{}{url}", fuzzing::SITE_BASE_PATH)));
        }
        "file" => {
            let file = target.names.as_deref().unwrap();
            assert!(fuzzing::SITE_FILES.contains(&file), "{file}");
            assert!(written.starts_with(&format!("{}/{file}", fuzzing::SITE_BASE_PATH)));
        }
        _ => {}
    }

    let page_url = PAGE_URLS[usize::from(selector / 4) % PAGE_URLS.len()];
    let raw = fuzzing::resolve_raw_link(page_url, &href);
    if html::runs_script(&href) {
        assert_eq!(raw.kind, "unsafe", "raw HTML link {href:?} is script");
    }
    if let Some(url) = raw.names.as_deref().filter(|_| raw.kind == "page") {
        assert!(fuzzing::SITE_PAGES.iter().any(|(_, u)| *u == url), "{url}");
    }

    for (offset, _) in fuzzing::html_links(&href) {
        assert!(offset <= href.len() && href.is_char_boundary(offset));
        assert!(matches!(&href[offset - 1..offset], "\"" | "'"));
    }
}

/// Permalinks: an accepted one publishes the page inside the output folder, at the URL
/// written; a page's own path gives a folder URL.
pub fn permalink(data: &[u8]) {
    let text = text(data);
    if let Ok(published) = fuzzing::permalink(&text) {
        assert_eq!(published.url, text);
        assert!(published.url.starts_with('/'));
        assert_output_path_inside(&published.output_path);
    }
    let (url, output_path) = fuzzing::source_location(&text);
    assert!(url.starts_with('/') && url.ends_with('/'), "{url}");
    assert!(output_path.ends_with("index.html"), "{output_path}");
}

/// Liquid on a page body: no internal error (folio turns a panic inside Liquid into one),
/// every error and warning names the page or an include and a place inside that file, and
/// a body without `{{` or `{%` comes back as written.
pub fn liquid(data: &[u8]) {
    let body = text(data);
    let page = fuzzing::liquid_page(&body);
    let page_file = format!("---\n{}---\n{body}", fuzzing::LIQUID_FRONT_MATTER);
    for finding in &page.findings {
        assert!(
            !finding.message.contains("internal error") && !finding.message.contains("lost track"),
            "Liquid failed inside: {finding:?}"
        );
        let file = finding
            .file
            .as_deref()
            .unwrap_or_else(|| panic!("a Liquid finding without a file: {finding:?}"));
        if file == fuzzing::LIQUID_PAGE_FILE {
            if let Some(line) = finding.line {
                assert!(
                    line >= fuzzing::LIQUID_BODY_LINE,
                    "a finding in the front matter: {finding:?}"
                );
            }
            assert_place(&page_file, finding);
        } else {
            let (_, text) = fuzzing::LIQUID_FILES
                .iter()
                .find(|(path, _)| *path == file)
                .unwrap_or_else(|| panic!("a finding in an unknown file: {finding:?}"));
            assert_place(text, finding);
        }
    }
    match &page.text {
        Some(text) if !body.contains("{{") && !body.contains("{%") => assert_eq!(*text, *body),
        Some(_) => {}
        None => assert!(
            page.findings.iter().any(|f| f.is_error),
            "Liquid refused the page without an error"
        ),
    }
}

/// An output path that stays inside the output folder, on any system the site is built on.
fn assert_output_path_inside(output_path: &str) {
    assert!(!output_path.is_empty());
    assert!(!output_path.starts_with('/'), "absolute: {output_path:?}");
    assert!(!output_path.contains('\\'), "backslash: {output_path:?}");
    assert!(!output_path.contains(char::is_control), "{output_path:?}");
    for segment in output_path.split('/') {
        assert!(
            !matches!(segment, "" | "." | ".."),
            "segment {segment:?} in {output_path:?}"
        );
    }
}
