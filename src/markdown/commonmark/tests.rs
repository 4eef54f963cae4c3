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

fn copy(body: &str) -> String {
    let config = SiteConfig::default();
    let callouts = config.callouts();
    let site = site();
    let context = CopyContext {
        config: &config.markdown,
        callouts: &callouts,
        site: &site,
        origin: "https://example.org",
    };
    to_commonmark(body, "guide", &context)
}

/// The copy read back by pulldown-cmark and written again is the copy.
fn assert_round_trip(copy: &str) {
    let config = SiteConfig::default();
    let options = copy_parser_options(&config.markdown);
    let mut again = String::new();
    pulldown_cmark_to_cmark::cmark_with_options(
        Parser::new_ext(copy, options),
        &mut again,
        options,
        writer_options(),
    )
    .unwrap();
    if !again.ends_with('\n') {
        again.push('\n');
    }
    assert_eq!(again, copy);
}

#[test]
fn callouts_become_github_alerts() {
    let out = copy("Before.\n\nMind the gap.\n{: .warning }\n\n> A quote\n{: .note }\n\nPlain.\n");
    // pulldown-cmark-to-cmark writes quotes as ` > ` (one space of indentation is allowed).
    assert!(out.contains("> [!WARNING]\n > Mind the gap."), "{out}");
    assert!(out.contains("> [!NOTE]\n > A quote"), "{out}");
    assert!(!out.contains("{:"), "{out}");
    assert_round_trip(&out);
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
    assert_round_trip(&out);
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
    assert_round_trip(&out);
}

#[test]
fn callouts_without_an_alert_kind_keep_their_title() {
    let out = copy("Shiny.\n{: .new }\n\nOld.\n{: .important-title }\n");
    assert!(out.contains("Shiny."), "{out}");
    assert!(out.contains("> [!IMPORTANT]"), "{out}");
    assert_round_trip(&out);
}

#[test]
fn definition_lists_become_bullet_lists() {
    let out = copy("Term\n: Its meaning\n\nOther\n: One\n: Two\n");
    assert!(out.contains("**Term**"), "{out}");
    assert!(out.contains("Its meaning"), "{out}");
    assert!(out.contains("- "), "{out}");
    assert_round_trip(&out);
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
    assert_round_trip(&out);
}

/// Formulas keep their TeX and dollar signs (a math block as written, its attribute list
/// dropped); a dollar sign that is text is escaped, so it stays text.
#[test]
fn formulas_are_copied_as_written() {
    let body = "Area $\\pi r^2$, and $$x$$ in a line.\n\n$$\n\\sum_{k=1}^{n} k\n+ 1\n$$\n{: .wide }\n\n> $$y = mx + b$$\n\nCosts $5 and $6.\n";
    let out = copy(body);
    assert_eq!(
        out,
        "Area $\\pi r^2$, and $$x$$ in a line.\n\n$$\\sum_{k=1}^{n} k + 1$$\n\n > \n > $$y = mx + b$$\n\nCosts \\$5 and \\$6.\n"
    );
    assert_round_trip(&out);
}

#[test]
fn a_math_block_under_a_paragraph_in_a_quote_is_copied() {
    let out = copy("> Quoted: $x < y$ and\n>\n> $$\n> y = mx\n> + b\n> $$\n");
    assert!(out.contains("$$y = mx + b$$"), "{out}");
    assert!(out.contains("$x < y$"), "{out}");
    assert_round_trip(&out);
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
