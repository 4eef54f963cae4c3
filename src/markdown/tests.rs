//! Rendering tests: each kramdown rule, callouts, code, links, headings.

use super::*;
use crate::config::SiteConfig;

fn render_with(body: &str, config: &SiteConfig) -> Rendered {
    let mut site = SiteIndex::default();
    site.url_by_source
        .insert("guide/setup.md".into(), "/guide/setup/".into());
    site.page_urls.insert("/guide/setup/".into());
    let callouts = config.callouts();
    let code_themes = highlight::CodeThemes::new("InspiredGitHub", "OneHalfDark").unwrap();
    let context = MarkdownContext {
        config: &config.markdown,
        callouts: &callouts,
        site: &site,
        code_themes: &code_themes,
    };
    super::render(body, "guide", &context, None)
}

fn html(body: &str) -> String {
    render_with(body, &SiteConfig::default()).html
}

#[test]
fn paragraph_attribute_lists() {
    assert_eq!(
        html("Lead text\n{: .fs-6 .fw-300 }\n"),
        "<p class=\"fs-6 fw-300\">Lead text</p>\n"
    );
    // Consecutive lists merge; a later id wins.
    assert_eq!(
        html("Text\n{: .a }\n{: .b #id }\n"),
        "<p id=\"id\" class=\"a b\">Text</p>\n"
    );
    // An attribute list line ends a paragraph.
    assert_eq!(
        html("Font size 1\n{: .fs-1 }\nFont size 2\n{: .fs-2 }\n"),
        "<p class=\"fs-1\">Font size 1</p>\n<p class=\"fs-2\">Font size 2</p>\n"
    );
    // After a blank line a list applies to the next block, even across blank lines.
    assert_eq!(
        html("Para\n\n{: .x }\n\nNext\n"),
        "<p>Para</p>\n<p class=\"x\">Next</p>\n"
    );
}

#[test]
fn heading_attribute_lists_and_ids() {
    let out = html(
        "# Title\n{: .no_toc }\n\n## Title {#custom}\n{: .cls }\n\n## 1. Intro & Setup\n\n## Back to Top\n\n## Back to Top\n",
    );
    assert!(out.contains("<h1 id=\"title\" class=\"no_toc\">"), "{out}");
    assert!(out.contains("<h2 id=\"custom\" class=\"cls\">"), "{out}");
    assert!(out.contains("id=\"1-intro--setup\""), "{out}");
    assert!(out.contains("id=\"back-to-top\""), "{out}");
    assert!(out.contains("id=\"back-to-top-1\""), "{out}");
    // An attribute list id overrides the generated one.
    assert!(html("## Hello\n{: #hi }\n").contains("<h2 id=\"hi\">"));
}

#[test]
fn heading_anchors_unless_no_anchor() {
    let out = html("## Hello\n\n## Quiet\n{: .no_anchor }\n");
    assert!(
        out.contains("<a href=\"#hello\" class=\"anchor-heading\" aria-labelledby=\"hello\">"),
        "{out}"
    );
    assert!(!out.contains("href=\"#quiet\""), "{out}");
    let mut config = SiteConfig::default();
    config.markdown.heading_anchors = false;
    assert!(
        !render_with("## Hello\n", &config)
            .html
            .contains("anchor-heading")
    );
}

#[test]
fn attribute_lists_on_lists_tables_code_and_quotes() {
    assert!(
        html("- a\n- b\n{: .list-style-none }\n").starts_with("<ul class=\"list-style-none\">")
    );
    let table = html("| a | b |\n|---|---|\n| 1 | 2 |\n{: .wide }\n");
    assert!(
        table.starts_with("<div class=\"table-wrapper\"><table class=\"wide\">"),
        "{table}"
    );
    let code = html("```\nplain\n```\n{: .lh-0 }\n");
    assert!(
        code.starts_with("<div class=\"code-block language-plaintext lh-0\">"),
        "{code}"
    );
    assert!(html("> quoted\n{: .big }\n").starts_with("<blockquote class=\"big\">"));
    // The first line of a quote applies to the next block inside it, lazy lines included.
    assert_eq!(
        html("> {: .highlight }\n  A paragraph\n"),
        "<blockquote>\n<p class=\"highlight\">A paragraph</p>\n</blockquote>\n"
    );
}

#[test]
fn span_attribute_lists() {
    let out = html(
        "[Get started](#x){: .btn .btn-primary } and **Contents**{:.text-delta} and `x`{: .c}\n",
    );
    assert!(
        out.contains("<a href=\"#x\" class=\"btn btn-primary\">Get started</a> and"),
        "{out}"
    );
    assert!(
        out.contains("<strong class=\"text-delta\">Contents</strong> and"),
        "{out}"
    );
    assert!(out.contains("<code class=\"c\">x</code>"), "{out}");
    // With text in between, the list is left as written.
    assert!(html("[a](b) {: .x}\n").contains("{: .x}"));
    // Inside table cells.
    assert!(html("| a |\n|---|\n| `v`{: .k } |\n").contains("<code class=\"k\">v</code>"));
    // List item lists.
    assert!(html("* {: .cls} text\n").contains("<li class=\"cls\">text</li>"));
    // Span-level HTML.
    assert!(html("<span>New</span>{: .label }\n").contains("<span class=\"label\">New</span>"));
}

#[test]
fn toc_lists_are_replaced() {
    let body = "# Page\n{: .no_toc }\n\n## Contents\n{: .no_toc .text-delta }\n\n1. TOC\n{:toc}\n\n## First\n\n#### Deep\n\n## Second\n";
    let out = html(body);
    assert!(out.contains("<ol id=\"markdown-toc\">"), "{out}");
    assert!(out.contains("<li><a href=\"#first\" id=\"markdown-toc-first\">First</a>\n<ol>\n<li><a href=\"#deep\""), "{out}");
    assert!(!out.contains("markdown-toc-contents"), "{out}");
    assert!(!out.contains(">TOC<"), "{out}");
    // A bulleted list gives a bulleted TOC; levels can be limited per page.
    let out = html("{::options toc_levels=\"2..2\" /}\n\n* x\n{:toc}\n\n## A\n\n### B\n");
    assert!(out.contains("<ul id=\"markdown-toc\">"), "{out}");
    assert!(!out.contains("markdown-toc-b"), "{out}");
    // Without headings the list disappears.
    assert!(!html("1. TOC\n{:toc}\n\nText\n").contains("<ol"));
}

#[test]
fn callouts_from_classes_and_alerts() {
    let out = html("Check this.\n{: .note }\n");
    assert!(
        out.contains("<div class=\"callout callout-note callout-blue\" role=\"note\">"),
        "{out}"
    );
    assert!(out.contains("<p class=\"callout-title\">Note</p>"), "{out}");
    assert!(out.contains("<p>Check this.</p>"), "{out}");
    let alert = html("> [!WARNING]\n> Mind the gap.\n");
    assert!(alert.contains("callout-warning callout-yellow"), "{alert}");
    assert!(
        alert.contains("<p class=\"callout-title\">Warning</p>"),
        "{alert}"
    );
    let titled = html("{: .important-title }\n> Custom title\n>\n> Body\n");
    assert!(
        titled.contains("<p class=\"callout-title\">Custom title</p>"),
        "{titled}"
    );
    let nested = html("{: .important }\n> {: .warning }\n> A paragraph\n");
    assert!(nested.contains("callout-important"), "{nested}");
    assert!(nested.contains("callout-warning"), "{nested}");
    // `title = ""`: no title, as just-the-docs shows a callout configured without one.
    let config = crate::config::parse(
        "[callouts.highlight]\ntitle = \"\"\ncolor = \"yellow\"\n",
        std::path::Path::new("site.toml"),
    )
    .unwrap();
    let untitled = render_with("A paragraph\n{: .highlight }\n", &config).html;
    assert!(untitled.contains("callout-highlight"), "{untitled}");
    assert!(!untitled.contains("callout-title"), "{untitled}");
}

#[test]
fn code_is_highlighted_and_unknown_languages_warn_once() {
    let rendered = render_with(
        "```rust\nfn main() {}\n```\n\n```nosuchlang\na\n```\n\n```nosuchlang\nb\n```\n",
        &SiteConfig::default(),
    );
    assert!(
        rendered
            .html
            .contains("<code class=\"language-rust\" data-lang=\"rust\"><span class=\"l"),
        "{}",
        rendered.html
    );
    assert!(
        rendered
            .html
            .contains("<code class=\"language-nosuchlang\" data-lang=\"nosuchlang\">a\n</code>")
    );
    let warnings: Vec<_> = rendered
        .warnings
        .iter()
        .filter(|w| w.message.contains("nosuchlang"))
        .collect();
    assert_eq!(warnings.len(), 1);
    assert_eq!(warnings[0].line, Some(5));
}

#[test]
fn diagrams_tabs_and_markers_in_code_survive() {
    let body = "```\n├── a\t→ b\n{: .not-an-ial }\n```\n\n    {: .indented }\n";
    let out = html(body);
    assert!(out.contains("├── a\t→ b\n{: .not-an-ial }\n"), "{out}");
    assert!(out.contains("{: .indented }"), "{out}");
}

#[test]
fn links_resolve() {
    let rendered = render_with(
        "[s](setup.md#x) [abs](/guide/setup) ![i](img/a.png \"T\") [bad](javascript:alert(1))\n",
        &SiteConfig::default(),
    );
    let out = &rendered.html;
    assert!(out.contains("<a href=\"/guide/setup/#x\">s</a>"), "{out}");
    assert!(out.contains("<a href=\"/guide/setup/\">abs</a>"), "{out}");
    assert!(
        out.contains("<img src=\"img/a.png\" alt=\"i\" title=\"T\">"),
        "{out}"
    );
    assert!(out.contains("<a href=\"#\">bad</a>"), "{out}");
    assert_eq!(rendered.links.len(), 4);
    assert_eq!((rendered.links[1].line, rendered.links[1].column), (1, 17));
    assert!(
        rendered
            .warnings
            .iter()
            .any(|w| w.message.contains("runs a script"))
    );
}

#[test]
fn markup_in_text_is_escaped() {
    let out = html("A <b>bold</b> &amp; x < y\n\n`<script>`\n");
    assert!(out.contains("A <b>bold</b> &amp; x &lt; y"), "{out}");
    assert!(out.contains("<code>&lt;script&gt;</code>"), "{out}");
}

#[test]
fn gfm_extras() {
    let out = html(
        "- [x] done\n- [ ] todo\n\n~~old~~\n\nTerm\n: Definition\n\nNote[^1].\n\n[^1]: The note.\n",
    );
    assert!(out.contains("<ul class=\"task-list\">"), "{out}");
    assert!(out.contains("<li class=\"task-list-item\"><input type=\"checkbox\" class=\"task-list-item-checkbox\" disabled checked aria-label=\"done\">"), "{out}");
    assert!(out.contains("<del>old</del>"), "{out}");
    assert!(
        out.contains("<dl>\n<dt>Term</dt>\n<dd>Definition</dd>"),
        "{out}"
    );
    assert!(out.contains("<sup class=\"footnote-ref\"><a href=\"#fn:1\" id=\"fnref:1\" role=\"doc-noteref\">1</a></sup>"), "{out}");
    assert!(
        out.contains("<li id=\"fn:1\"><p>The note. <a href=\"#fnref:1\""),
        "{out}"
    );
}

#[test]
fn smart_punctuation_is_configurable() {
    assert!(html("\"Quoted\" -- and ...\n").contains("“Quoted” – and …"));
    let mut config = SiteConfig::default();
    config.markdown.smart_punctuation = false;
    assert!(
        render_with("\"Quoted\"\n", &config)
            .html
            .contains("&quot;Quoted&quot;")
            || render_with("\"Quoted\"\n", &config)
                .html
                .contains("\"Quoted\"")
    );
}

#[test]
fn extensions_and_html_blocks() {
    let out =
        html("{::comment}\nsecret\n{:/comment}\n\n{::nomarkdown}\n<i>raw</i>\n{:/nomarkdown}\n");
    assert!(!out.contains("secret"), "{out}");
    assert!(out.contains("<i>raw</i>"), "{out}");
    let rendered = render_with("{::unknown}\n", &SiteConfig::default());
    assert!(rendered.html.contains("{::unknown}"));
    assert_eq!(rendered.warnings.len(), 1);
    let details = html(
        "<details open markdown=\"block\">\n<summary>\nContents\n</summary>\n{: .text-delta }\n\nInside\n\n</details>\n",
    );
    assert!(
        details.contains("<summary class=\"text-delta\">"),
        "{details}"
    );
    assert!(!details.contains("markdown="), "{details}");
    assert!(html("{: .opaque }\n<div>\nx\n</div>\n").contains("<div class=\"opaque\">"));
}

#[test]
fn dropped_lists_warn() {
    let rendered = render_with("{: .lost }\n\nPara\n", &SiteConfig::default());
    assert_eq!(rendered.html, "<p>Para</p>\n");
    assert_eq!(rendered.warnings.len(), 1);
    assert_eq!(rendered.warnings[0].line, Some(1));
}

#[test]
fn definitions_are_applied_by_reference() {
    assert!(html("{:wide: .full .x}\n\nPara\n{: wide .y}\n").contains("<p class=\"full x y\">"));
}

#[test]
fn a_page_that_writes_folios_own_markers_keeps_them_as_comments() {
    // Found by fuzz/ (markdown target): these comments were read as markers of attribute
    // lists and raw blocks the page does not have, and rendering panicked.
    let forged = "<!--folio:ial:0-->";
    for body in [
        format!("Text *s{forged}tars*\n"),
        format!("{forged}\n\nPara\n"),
        "<!--folio:raw:3-->\n".to_string(),
        format!("```\n{forged}\n```\n"),
        format!("Real\n{{: .real }}\n\n<div>{forged}</div>\n\n<!--folio:skip-->\n"),
    ] {
        let out = html(&body);
        // As written: a comment, or text inside code.
        assert!(out.contains("!--folio:"), "{body:?} -> {out}");
        assert_eq!(
            out.matches("class=\"real\"").count(),
            body.matches(".real").count()
        );
    }
    // A page's own comment is raw HTML, as any other; its real attribute lists still apply.
    let out = html("Para\n{: .x }\n<!--folio:ial:0-->\n");
    assert_eq!(out, "<p class=\"x\">Para</p>\n<!--folio:ial:0-->\n");
}

#[test]
fn an_attribute_list_read_as_paragraph_text_is_shown_as_text() {
    // Found by fuzz/ (markdown target): four spaces under a paragraph make the line lazy
    // paragraph text, and the marker put in its place was left in the page.
    assert_eq!(html("Para\n    {: .x }\n"), "<p>Para\n{: .x }</p>\n");
    assert_eq!(
        html("- a\n      {: .x }\n"),
        "<ul>\n<li>a\n{: .x }</li>\n</ul>\n"
    );
    // An extension there is a span extension of the paragraph.
    assert_eq!(
        html("Para\n    {::comment}\nhidden\n{:/}\n"),
        "<p>Para</p>\n"
    );
}

#[test]
fn math_is_mathml_and_dollars_stay_text() {
    let out = html("Area $\\pi r^2$ costs $5 and $6.\n");
    assert!(out.starts_with("<p>Area <math><semantics>"), "{out}");
    assert!(out.ends_with(" costs $5 and $6.</p>\n"), "{out}");
    // kramdown: `$$` inside a paragraph is inline; a paragraph of only `$$…$$` is a block.
    let out = html("Say $$x$$ here.\n");
    assert!(out.starts_with("<p>Say <math><semantics>"), "{out}");
    let out = html("- item\n\n    $$x$$\n");
    assert!(out.contains("<p><math display=\"block\">"), "{out}");
    let out = html("$$x$$\n{: .wide }\n");
    assert!(
        out.starts_with("<div class=\"math-block wide\"><math display=\"block\">"),
        "{out}"
    );
    assert_eq!(
        html("`$x$` and\n\n```\n$$y$$\n```\n"),
        "<p><code>$x$</code> and</p>\n<div class=\"code-block language-plaintext\"><pre class=\"highlight\"><code class=\"language-plaintext\" data-lang=\"plaintext\">$$y$$\n</code></pre></div>\n"
    );
}

#[test]
fn heading_attributes_cannot_smuggle_an_event_handler() {
    // Found by fuzz/ (markdown target): the name `x/onclick` was written as it is, which a
    // browser reads as `x` and `onclick`.
    let out = html("## Title {x/onclick=alert \"q data-ok=3}\n");
    assert!(out.starts_with("<h2 id=\"title\" data-ok=\"3\">"), "{out}");
    assert!(!out.contains("onclick"), "{out}");
}

#[test]
fn a_formula_that_cannot_be_read_is_an_error_at_its_place() {
    let rendered = render_with("Text\n\nSee $x^2^3$.\n", &SiteConfig::default());
    assert!(
        rendered
            .html
            .contains("See <code class=\"math-error\">x^2^3</code>."),
        "{}",
        rendered.html
    );
    let error = &rendered.warnings[0];
    assert!(error.is_error());
    assert_eq!((error.line, error.column), (Some(3), Some(5)));
    assert_eq!(error.kind(), Some("math"));
    // A long formula of several lines is quoted on one line, cut short.
    let long = format!("$$\n\\begin{{matrix}}\n{}$$\n", "a & b \\\\\n".repeat(20));
    let rendered = render_with(&long, &SiteConfig::default());
    assert_eq!(
        rendered.warnings[0].message,
        "the formula `\\begin{matrix} a & b \\\\ a & b \\\\ a & b \\\\ a & b \\\\ a & b \\\\…` cannot be read: unbalanced group found, expected it to be closed with `\\end{matrix}`"
    );
    let rendered = render_with("$$\n\n$$\n$$\n$$\n", &SiteConfig::default());
    let messages: Vec<_> = rendered.warnings.iter().map(|w| &w.message).collect();
    assert_eq!(
        messages,
        ["the formula between these dollar signs is empty"],
        "{}",
        rendered.html
    );
}

/// Found by fuzzing (fuzz/, the markdown target): a list item ending in a character of more
/// than one byte made the check for a blank line after it slice inside that character.
#[test]
fn a_list_item_ending_in_a_wide_character_renders() {
    assert_eq!(
        html("1.\n\n1. \u{fffd}"),
        "<ol>\n<li></li>\n<li>\u{fffd}</li>\n</ol>\n"
    );
    assert_eq!(
        html("- a\n\n- é"),
        "<ul>\n<li><p>a</p>\n</li>\n<li><p>é</p>\n</li>\n</ul>\n"
    );
}

/// Found by fuzzing: a `<!--` the page leaves open before an extension on the same line was
/// "closed" by the `-->` of the extension's marker: the marker reached the page, or (with the
/// marker expanded) an open comment that hid the rest of the page. kramdown reads the open
/// `<!--` as text.
#[test]
fn an_open_comment_before_an_extension_is_text() {
    let page = html("`a```<!--{::nomarkdown}<b>raw</b>{:/nomarkdown}");
    assert_eq!(page, "<p>`a```&lt;!--<b>raw</b></p>\n");
    let page = html("x <!--fol{::options/}io: after");
    assert_eq!(page, "<p>x &lt;!–fol io: after</p>\n");
    // Sides that would make a comment of their own stay apart.
    assert!(!html("<p><!-{::options/}-folio:").contains("<!--"));
    // Sides that would join into a tag stay apart.
    assert_eq!(html("x <scrip{::options/}t>"), "<p>x &lt;script&gt;</p>\n");
}

/// Found by fuzzing: places after an extension that was cut out of a line, or that joined the
/// lines it ran over, were counted on the edited line (a column past the end of the body's).
#[test]
fn places_after_extensions_are_the_body_lines_and_columns() {
    let places = |body: &str| -> Vec<(usize, usize)> {
        let rendered = render_with(body, &SiteConfig::default());
        rendered.links.iter().map(|l| (l.line, l.column)).collect()
    };
    assert_eq!(
        places("n{::nomarkdown}\n{:/nomarkdown}[a](x.md)"),
        [(2, 15)]
    );
    assert_eq!(places("a {::comment}x{:/comment} [b](y.md)"), [(1, 27)]);
    assert_eq!(
        places("é{::comment}\nx{:/comment} [b](y.md) [c](z.md)"),
        [(2, 14), (2, 24)]
    );
}
