//! kramdown's HTML elements with `markdown="…"`, extensions and abbreviations, each checked
//! against real kramdown 2.4.0's HTML for the same Markdown (see `kramdown_tests.rs`).

use super::kramdown_tests::{assert_as_kramdown, render};
use crate::config::SiteConfig;

#[test]
fn markdown_1_on_a_div_parses_its_blocks() {
    assert_as_kramdown(
        r#"<div class="code-example" markdown="1">
[Link button](https://just-the-docs.com){: .btn }

[Other](https://example.com/)
</div>
```markdown
[Link button](https://just-the-docs.com){: .btn }
```
"#,
        r#"<div class="code-example">
  <p><a href="https://just-the-docs.com" class="btn">Link button</a></p>

  <p><a href="https://example.com/">Other</a></p>
</div>
<pre><code class="language-markdown">[Link button](https://just-the-docs.com){: .btn }
</code></pre>
"#,
    );
}

#[test]
fn details_with_markdown_block() {
    assert_as_kramdown(
        r#"<details markdown="block">
<summary>Shopping list</summary>

This is *content* inside.

- Apples
- Milk

</details>
"#,
        r#"<details>
  <summary>Shopping list</summary>

  <p>This is <em>content</em> inside.</p>

  <ul>
    <li>Apples</li>
    <li>Milk</li>
  </ul>

</details>
"#,
    );
}

#[test]
fn nested_elements_with_markdown() {
    assert_as_kramdown(
        r#"<div markdown="1">
Text
<div class="inner" markdown="1">
*inner*
</div>
After
</div>
"#,
        r#"<div>
  <p>Text</p>
  <div class="inner">
    <p><em>inner</em></p>
  </div>
  <p>After</p>
</div>
"#,
    );
}

#[test]
fn span_content() {
    assert_as_kramdown(
        r#"<div markdown="span">Some *text*</div>

<p markdown="1">A *span*
over lines</p>
"#,
        r#"<div>Some <em>text</em></div>

<p>A <em>span</em>
over lines</p>
"#,
    );
}

#[test]
fn markdown_0_is_raw_across_blank_lines() {
    assert_as_kramdown(
        r#"<div markdown="0">
*raw*

*still raw*
</div>
"#,
        r#"<div>
*raw*

*still raw*
</div>
"#,
    );
}

#[test]
fn html_without_markdown_is_raw_across_blank_lines() {
    assert_as_kramdown(
        r#"<div>
*raw*

*still raw*
</div>
A paragraph right after.
"#,
        r#"<div>
*raw*

*still raw*
</div>
<p>A paragraph right after.</p>
"#,
    );
}

#[test]
fn attribute_lists_around_and_inside_elements() {
    assert_as_kramdown(
        r#"{: .opaque }
<div markdown="block">
{: .highlight }
A paragraph
</div>
{: .after }
"#,
        r#"<div class="opaque after">
  <p class="highlight">A paragraph</p>
</div>
"#,
    );
}

#[test]
fn elements_in_block_quotes() {
    assert_as_kramdown(
        r#"> <div markdown="block">
> {: .highlight }
> A paragraph
> </div>
"#,
        r#"<blockquote>
  <div>
    <p class="highlight">A paragraph</p>
  </div>
</blockquote>
"#,
    );
}

#[test]
fn headings_in_elements_get_kramdown_ids() {
    assert_as_kramdown(
        r#"<div markdown="1">
## 1. Intro & Setup

## Über café
</div>

## Intro & Setup
"#,
        r#"<div>
  <h2 id="intro--setup">1. Intro &amp; Setup</h2>

  <h2 id="ber-caf">Über café</h2>
</div>

<h2 id="intro--setup">Intro &amp; Setup</h2>
"#,
    );
}

#[test]
fn toc_in_details_as_just_the_docs_writes_it() {
    assert_as_kramdown(
        r#"# Page
{: .no_toc }

<details open markdown="block">
  <summary>
    Table of contents
  </summary>
  {: .text-delta }
1. TOC
{:toc}
</details>

## First

### Second
"#,
        r##"<h1 class="no_toc" id="page">Page</h1>

<details open="">
  <summary class="text-delta">
    Table of contents
  </summary>
<ol id="markdown-toc">
  <li><a href="#first" id="markdown-toc-first">First</a>    <ol>
      <li><a href="#second" id="markdown-toc-second">Second</a></li>
    </ol>
  </li>
</ol>

</details>

<h2 id="first">First</h2>

<h3 id="second">Second</h3>
"##,
    );
}

#[test]
fn span_tags_alone_on_a_line_are_paragraphs() {
    assert_as_kramdown(
        r#"<img src="a.png" alt="A">

<span>New</span>
"#,
        r#"<p><img src="a.png" alt="A" /></p>

<p><span>New</span></p>
"#,
    );
}

#[test]
fn comments_hide_text_and_keep_paragraphs() {
    assert_as_kramdown(
        r#"Para

{::comment}
This is *hidden*
{:/comment}

Text {::comment}inline{:/comment} goes on
{::comment}
hidden
{:/comment}
in one paragraph.
"#,
        r#"<p>Para</p>

<!-- This is *hidden* -->

<p>Text <!-- inline --> goes on
<!-- 
hidden
 -->
in one paragraph.</p>
"#,
    );
}

#[test]
fn nomarkdown_is_raw_html() {
    assert_as_kramdown(
        r#"{::nomarkdown}
<b>x</b>

*not emphasis*
{:/nomarkdown}

Some {::nomarkdown}<i>raw *i*</i>{:/} text

{::nomarkdown type="latex"}
\\foo
{:/}
"#,
        r#"<b>x</b>

*not emphasis*

<p>Some <i>raw *i*</i> text</p>

"#,
    );
}

#[test]
fn options_toc_levels() {
    assert_as_kramdown(
        r#"{::options toc_levels="2" /}
* x
{:toc}

## A

### B
"#,
        r##"<ul id="markdown-toc">
  <li><a href="#a" id="markdown-toc-a">A</a></li>
</ul>

<h2 id="a">A</h2>

<h3 id="b">B</h3>
"##,
    );
}

#[test]
fn options_auto_ids() {
    assert_as_kramdown(
        r#"{::options auto_ids="false" /}
# A

## B {#bee}

* x
{:toc}
"#,
        r##"<h1>A</h1>

<h2 id="bee">B</h2>

<ul id="markdown-toc">
  <li><a href="#bee" id="markdown-toc-bee">B</a></li>
</ul>
"##,
    );
}

#[test]
fn options_auto_id_prefix() {
    assert_as_kramdown(
        r#"{::options auto_id_prefix="p-" /}
## A

<div markdown="1">
## B
</div>
"#,
        r#"<h2 id="p-a">A</h2>

<div>
  <h2 id="p-b">B</h2>
</div>
"#,
    );
}

#[test]
fn options_parse_block_html() {
    assert_as_kramdown(
        r#"{::options parse_block_html="true" /}
<div>
*x*
</div>

<section>
# In section
</section>
"#,
        r#"<div>
  <p><em>x</em></p>
</div>

<section>
  <h1 id="in-section">In section</h1>
</section>
"#,
    );
}

#[test]
fn abbreviations() {
    assert_as_kramdown(
        r#"*[HTML]: Hyper Text Markup Language
*[W3C]:  World Wide Web Consortium
{: .abbr-x }

The HTML spec, XHTML, HTML5 and (HTML) by the W3C.

`HTML` and [HTML](http://example.com/HTML) and ![HTML](html.png)

## About HTML

* x
{:toc}
"#,
        r##"
<p>The <abbr title="Hyper Text Markup Language">HTML</abbr> spec, XHTML, HTML5 and (<abbr title="Hyper Text Markup Language">HTML</abbr>) by the <abbr class="abbr-x" title="World Wide Web Consortium">W3C</abbr>.</p>

<p><code>HTML</code> and <a href="http://example.com/HTML"><abbr title="Hyper Text Markup Language">HTML</abbr></a> and <img src="html.png" alt="HTML" /></p>

<h2 id="about-html">About <abbr title="Hyper Text Markup Language">HTML</abbr></h2>

<ul id="markdown-toc">
  <li><a href="#about-html" id="markdown-toc-about-html">About <abbr title="Hyper Text Markup Language">HTML</abbr></a></li>
</ul>
"##,
    );
}

#[test]
fn an_abbreviation_line_inside_a_paragraph_is_text() {
    assert_as_kramdown(
        r#"Para
*[HTML]: in the paragraph
More HTML
"#,
        r#"<p>Para
*[HTML]: in the paragraph
More HTML</p>
"#,
    );
}

#[test]
fn abbreviations_apply_before_their_definition() {
    assert_as_kramdown(
        r#"- HTML item

*[HTML]: Hyper Text
"#,
        r#"<ul>
  <li><abbr title="Hyper Text">HTML</abbr> item</li>
</ul>

"#,
    );
}

#[test]
fn unclosed_elements_end_with_their_quote_or_the_page() {
    let body = "> <div markdown=\"1\">\n> *x*\n\nAfter\n\n<div markdown=\"1\">\nText\n";
    assert_as_kramdown(
        body,
        r#"<blockquote>
  <div>
    <p><em>x</em></p>
  </div>
</blockquote>

<p>After</p>

<div>
  <p>Text</p>
</div>
"#,
    );
    let warnings = render(body).warnings;
    let lines: Vec<Option<usize>> = warnings.iter().map(|w| w.line).collect();
    assert_eq!(lines, [Some(1), Some(6)], "{warnings:?}");
    assert!(warnings[1].message.contains("never closed"), "{warnings:?}");
}

#[test]
fn diagnostics_keep_the_body_line_numbers() {
    // Text after a start tag becomes a line of its own, and a comment inside a paragraph
    // joins lines; what follows is still reported at its line in the page.
    let body = "<div markdown=\"1\">Intro\n</div>\n\n```nosuchlang\nx\n```\n\nText {::comment}\nhidden\n{:/comment} more\n\n```otherlang\ny\n```\n\n<p markdown=\"1\">a\nb</p>\n\n[x](javascript:alert(1))\n";
    let rendered = render(body);
    let lines: Vec<(Option<usize>, &str)> = rendered
        .warnings
        .iter()
        .map(|w| (w.line, w.message.as_str()))
        .collect();
    assert_eq!(lines.len(), 3, "{lines:?}");
    assert_eq!(lines[0].0, Some(19), "{lines:?}");
    assert!(lines[0].1.contains("runs a script"), "{lines:?}");
    assert_eq!(lines[1].0, Some(4), "{lines:?}");
    assert_eq!(lines[2].0, Some(12), "{lines:?}");
    assert!(
        rendered.html.contains("<div>\n<p>Intro</p>\n</div>"),
        "{}",
        rendered.html
    );
}

#[test]
fn options_folio_does_not_apply_are_reported() {
    let rendered = render(
        "Text\n\n{::options smart_quotes=\"apos,apos,quot,quot\" no_such_option=\"1\" auto_ids=\"maybe\" /}\n",
    );
    let messages: Vec<&str> = rendered
        .warnings
        .iter()
        .map(|w| w.message.as_str())
        .collect();
    assert_eq!(messages.len(), 3, "{messages:?}");
    assert!(
        messages[0].contains("`smart_quotes` is not supported"),
        "{messages:?}"
    );
    assert!(
        messages[1].contains("`no_such_option` is not a kramdown option"),
        "{messages:?}"
    );
    assert!(messages[2].contains("not true or false"), "{messages:?}");
    assert!(rendered.warnings.iter().all(|w| w.line == Some(3)));
}

#[test]
fn links_in_raw_html_are_still_checked() {
    let rendered = render("<div>\n<a href=\"/a/\">a</a>\n\n<a href=\"/b/\">b</a>\n</div>\n");
    let found: Vec<(&str, usize)> = rendered
        .links
        .iter()
        .map(|link| (link.href.as_str(), link.line))
        .collect();
    assert_eq!(found, [("/a/", 2), ("/b/", 4)]);
}

#[test]
fn the_first_heading_ignores_text_in_raw_html() {
    let config = SiteConfig::default();
    assert_eq!(
        crate::markdown::first_heading(
            "{::nomarkdown}\n# Raw\n{:/}\n\n## Shown\n",
            &config.markdown
        )
        .as_deref(),
        Some("Shown")
    );
}
