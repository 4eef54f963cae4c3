use super::*;
use crate::config::SiteConfig;

fn site() -> SiteIndex {
    let mut site = SiteIndex {
        base_path: "/docs".into(),
        ..SiteIndex::default()
    };
    for (source, url) in [("guide/install.md", "/guide/install/"), ("index.md", "/")] {
        site.url_by_source.insert(source.into(), url.into());
        site.page_urls.insert(url.into());
    }
    site.files.insert("guide/shot.png".into());
    site
}

fn copy_with(body: &str, splice: bool) -> String {
    let config = SiteConfig::default();
    let callouts = config.callouts();
    let site = site();
    let context = CopyContext {
        config: &config.markdown,
        callouts: &callouts,
        site: &site,
        origin: "https://example.org",
    };
    write_copy(&kramdown::prepare(body), "guide", &context, splice)
}

/// The copy of `body`, checked against the copy written wholly from events.
fn copy(body: &str) -> String {
    assert_splice_agrees(body);
    copy_with(body, true)
}

/// A copy as a reader of CommonMark sees it.
fn read_back(copy: &str) -> String {
    let options = copy_parser_options(&SiteConfig::default().markdown);
    let mut html = String::new();
    pulldown_cmark::html::push_html(&mut html, Parser::new_ext(copy, options));
    html
}

/// A struck word and a footnote reference in one paragraph, then the note: the writer has
/// no spelling for the three together, so each is written alone.
#[test]
fn blocks_the_writer_cannot_spell_together_are_written_alone() {
    let out = copy(
        "- [x] done\n\n~~gone~~ and a footnote[^n].\n\n[^n]: The note.\n\nA [page](install.md)\n{: .note }\n",
    );
    assert!(out.contains("~~gone~~"), "{out}");
    assert!(out.contains("[^n]: The note."), "{out}");
    assert!(out.contains("> [!NOTE]"), "{out}");
    assert!(!out.contains("{:"), "{out}");
}

/// Spliced and written from events, every body gives the same document.
fn assert_splice_agrees(body: &str) {
    let spliced = copy_with(body, true);
    let written = copy_with(body, false);
    assert_eq!(
        read_back(&spliced),
        read_back(&written),
        "body:\n{body}\nspliced:\n{spliced}\nwritten:\n{written}"
    );
}

#[test]
fn callouts_become_github_alerts() {
    let out = copy("Before.\n\nMind the gap.\n{: .warning }\n\n> A quote\n{: .note }\n\nPlain.\n");
    // pulldown-cmark-to-cmark writes quotes as ` > ` (one space of indentation is allowed).
    assert!(out.contains("> [!WARNING]\n > Mind the gap."), "{out}");
    assert!(out.contains("> [!NOTE]\n > A quote"), "{out}");
    assert!(!out.contains("{:"), "{out}");
}

#[test]
fn attribute_lists_extensions_and_toc_are_removed() {
    let body = "# Title\n{: .no_toc }\n\n1. TOC\n{:toc}\n\n## Setup {#setup}\n\nA [button](install.md){: .btn } and **bold**{: .x }.\n\n{::comment}\nhidden\n{:/comment}\n\n{::options toc_levels=\"2\" /}\n\nEnd.\n";
    let out = copy(body);
    assert!(out.starts_with("# Title\n"), "{out}");
    assert!(!out.contains("TOC"), "{out}");
    assert!(out.contains("## Setup\n"), "{out}");
    assert!(!out.contains('{'), "{out}");
    assert!(!out.contains("hidden"), "{out}");
    assert!(
        out.contains("[button](https://example.org/docs/guide/install/)"),
        "{out}"
    );
}

#[test]
fn links_and_images_are_absolute() {
    let out = copy(
        "[Home](../index.md), [there](install.md#step-2), [web](https://example.com/x), ![shot](shot.png), [ref][r], <https://auto.example/>\n\n[r]: /guide/install/\n",
    );
    assert!(out.contains("[Home](https://example.org/docs/)"), "{out}");
    assert!(
        out.contains("[there](https://example.org/docs/guide/install/#step-2)"),
        "{out}"
    );
    assert!(out.contains("[web](https://example.com/x)"), "{out}");
    assert!(
        out.contains("![shot](https://example.org/docs/guide/shot.png)"),
        "{out}"
    );
    assert!(
        out.contains("[ref](https://example.org/docs/guide/install/)"),
        "{out}"
    );
    assert!(out.contains("<https://auto.example/>"), "{out}");
}

#[test]
fn callouts_without_an_alert_kind_keep_their_title() {
    let out = copy("Shiny.\n{: .new }\n\nOld.\n{: .important-title }\n");
    assert!(out.contains("Shiny."), "{out}");
    assert!(out.contains("> [!IMPORTANT]"), "{out}");
}

#[test]
fn definition_lists_become_bullet_lists() {
    let out = copy("Term\n: Its meaning\n\nOther\n: One\n: Two\n");
    assert!(out.contains("**Term**"), "{out}");
    assert!(out.contains("Its meaning"), "{out}");
    assert!(out.contains("- "), "{out}");
}

#[test]
fn code_tables_and_alerts_survive() {
    let body = "```rust\nfn main() {}\n```\n\n| a | b |\n|---|---|\n| 1 | 2 |\n\n> [!TIP]\n> Already an alert.\n\n- [x] done\n- [ ] not yet\n\nText[^1].\n\n[^1]: A note.\n\n<div class=\"raw\">kept</div>\n";
    let out = copy(body);
    assert!(out.contains("```rust\nfn main() {}\n```"), "{out}");
    assert!(out.contains("|a|b|") || out.contains("| a | b |"), "{out}");
    assert!(out.contains("> [!TIP]"), "{out}");
    assert!(out.contains("- [x] done"), "{out}");
    assert!(out.contains("[^1]: A note."), "{out}");
    assert!(out.contains("<div class=\"raw\">kept</div>"), "{out}");
}

/// Formulas keep their TeX and dollar signs (a math block as written, its attribute list
/// dropped); a paragraph with nothing to resolve is copied as written, so a dollar sign that
/// is text stays text.
#[test]
fn formulas_are_copied_as_written() {
    let body = "Area $\\pi r^2$, and $$x$$ in a line.\n\n$$\n\\sum_{k=1}^{n} k\n+ 1\n$$\n{: .wide }\n\n> $$y = mx + b$$\n\nCosts $5 and $6.\n";
    let out = copy(body);
    assert_eq!(
        out,
        "Area $\\pi r^2$, and $$x$$ in a line.\n\n$$\\sum_{k=1}^{n} k + 1$$\n\n > \n > $$y = mx + b$$\n\nCosts $5 and $6.\n"
    );
}

#[test]
fn a_math_block_under_a_paragraph_in_a_quote_is_copied() {
    let out = copy("> Quoted: $x < y$ and\n>\n> $$\n> y = mx\n> + b\n> $$\n");
    assert!(out.contains("$$y = mx + b$$"), "{out}");
    assert!(out.contains("$x < y$"), "{out}");
}

#[test]
fn markdown_html_elements_keep_their_tags_and_markdown_content() {
    let out = copy(
        "Before.\n\n<div class=\"code-example\" markdown=\"1\">\n**bold** text\n</div>\n\nAfter.\n",
    );
    assert!(out.contains("<div class=\"code-example\">"), "{out}");
    assert!(out.contains("**bold** text"), "{out}");
    assert!(out.contains("</div>"), "{out}");
    assert!(!out.contains("folio:"), "{out}");
    // Read back, the content is Markdown again, inside the element.
    let mut html = String::new();
    pulldown_cmark::html::push_html(&mut html, pulldown_cmark::Parser::new(&out));
    assert!(html.contains("<strong>bold</strong>"), "{html}\n{out}");
}

/// Blocks copied as written keep the writer's own spelling; blocks with something to
/// resolve are written from their events, and the two kinds join into one document.
#[test]
fn blocks_without_anything_to_resolve_are_copied_as_written() {
    let body = "Some *words* with __strong__ and a [link](https://example.com).\n\n* one\n* two\n\n+ other list\n\nA [page](install.md).\n\n    indented code\n\n~~~ python\nx = 1\n~~~\n";
    let out = copy(body);
    assert!(
        out.starts_with("Some *words* with __strong__ and a [link](https://example.com).\n\n"),
        "{out}"
    );
    assert!(out.contains("~~~ python\nx = 1\n~~~"), "{out}");
    assert!(
        out.contains("[page](https://example.org/docs/guide/install/)"),
        "{out}"
    );
    // A list written from events takes a marker its neighbours do not use, so the `+` list
    // as written stays a list of its own; indented code after a written block is written too.
    let out = copy(
        "* one [page](install.md)\n\n+ two\n\n1. [page](install.md)\n\n<!-- -->\n\n    code\n",
    );
    assert!(out.contains("\n+ two\n"), "{out}");
    assert!(out.starts_with("- one [page]"), "{out}");
}

/// Every page of this repository's handbook and test sites, and the seed pages: the copy
/// made from blocks as written reads back as the copy written wholly from events.
#[test]
fn splicing_agrees_with_writing_from_events_on_real_pages() {
    let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR"));
    let mut checked = 0;
    for folder in ["content", "tests/fixtures", "../shared/seeds"] {
        for entry in walkdir::WalkDir::new(root.join(folder))
            .into_iter()
            .flatten()
        {
            let path = entry.path();
            if path.extension().is_none_or(|e| e != "md" && e != "txt") {
                continue;
            }
            let Ok(text) = std::fs::read_to_string(path) else {
                continue;
            };
            let body = match text
                .strip_prefix("---\n")
                .and_then(|t| t.split_once("\n---\n"))
            {
                Some((_, body)) => body,
                None => &text,
            };
            assert_splice_agrees(body);
            checked += 1;
        }
    }
    assert!(checked > 50, "only {checked} pages found");
}

/// A fence the page leaves open runs to its end: kramdown syntax under it is code, and the
/// copy shows it as written, as the page does, never the scanner's markers.
#[test]
fn kramdown_syntax_inside_an_open_fence_is_copied_as_code() {
    let out = copy("<div markdown=\"1\">\n```\ncode\n{: .x }\n$$\nx\n$$\n</div>\n");
    assert!(!out.contains("<!--folio"), "{out}");
    assert!(out.contains("{: .x }"), "{out}");
}

/// An extension inside a line leaves a marker in the line (it keeps `<scrip` and `t>`
/// apart): the copy drops it, as the page does.
#[test]
fn markers_inside_a_line_are_dropped() {
    let out = copy("``<scrip{::options/}t>\n");
    assert!(!out.contains("<!--folio"), "{out}");
    // Read back, the two halves are text, not a tag.
    assert!(!read_back(&out).contains("<script"), "{out}");
}

/// HTML the page leaves open before an extension holds the extension's marker: the copy
/// leaves the marker out.
#[test]
fn markers_inside_html_are_left_out() {
    let out = copy("`a```<!--{::nomarkdown}{:/nomarkdown}\n");
    assert!(!out.contains("<!--folio"), "{out}");
}
