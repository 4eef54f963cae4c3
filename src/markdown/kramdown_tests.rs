//! kramdown's rules, each checked against the HTML real kramdown 2.4.0 (GFM input, Jekyll 4.3's
//! options) gives for the same Markdown. The expected strings are kramdown's output as printed;
//! both sides are compared as normalised DOM trees (attribute order, whitespace between blocks
//! and folio's heading anchors do not matter).

use scraper::{ElementRef, Html, Node};

use super::*;
use crate::config::SiteConfig;

pub(super) fn render(body: &str) -> Rendered {
    let config = SiteConfig::default();
    let site = SiteIndex::default();
    let callouts = config.callouts();
    let code_themes = highlight::CodeThemes::new("InspiredGitHub", "OneHalfDark").unwrap();
    let context = MarkdownContext {
        config: &config.markdown,
        callouts: &callouts,
        site: &site,
        code_themes: &code_themes,
    };
    super::render(body, "", &context, None)
}

/// The DOM of `html` as indented lines: tags with sorted attributes, text with runs of
/// whitespace made one space. Comments and folio's heading anchors are left out.
pub(super) fn dom_outline(html: &str) -> String {
    let fragment = Html::parse_fragment(html);
    let mut out = String::new();
    outline_children(fragment.root_element(), 0, &mut out);
    out
}

/// Writes text gathered since the last element (text split by comments is one text).
fn flush_text(text: &mut String, depth: usize, out: &mut String) {
    let words = text.split_whitespace().collect::<Vec<_>>().join(" ");
    if !words.is_empty() {
        out.push_str(&"  ".repeat(depth));
        out.push_str(&format!("{words:?}\n"));
    }
    text.clear();
}

fn outline_children(parent: ElementRef<'_>, depth: usize, out: &mut String) {
    let mut text = String::new();
    for child in parent.children() {
        match child.value() {
            Node::Text(more) => {
                text.push(' ');
                text.push_str(more);
            }
            Node::Element(element) => {
                flush_text(&mut text, depth, out);
                let class = element.attr("class").unwrap_or("");
                if element.name() == "a" && class == "anchor-heading" {
                    continue;
                }
                let element_ref = ElementRef::wrap(child).expect("an element");
                // folio's wrappers of code blocks and tables are not kramdown's concern.
                if element.name() == "div"
                    && (class.starts_with("code-block") || class == "table-wrapper")
                {
                    outline_children(element_ref, depth, out);
                    continue;
                }
                let mut attrs: Vec<(&str, &str)> = element
                    .attrs()
                    .filter(|&(key, value)| match (element.name(), key) {
                        ("pre", "class") | ("code", "data-lang") => false,
                        ("code", "class") => value != "language-plaintext",
                        _ => true,
                    })
                    .collect();
                attrs.sort();
                out.push_str(&"  ".repeat(depth));
                out.push('<');
                out.push_str(element.name());
                for (key, value) in attrs {
                    out.push_str(&format!(" {key}={value:?}"));
                }
                out.push_str(">\n");
                if element.name() == "code" {
                    // Highlighted code is spans; its text is what matters.
                    let text: String = element_ref.text().collect();
                    out.push_str(&"  ".repeat(depth + 1));
                    out.push_str(&format!("{text:?}\n"));
                } else {
                    outline_children(element_ref, depth + 1, out);
                }
            }
            _ => {}
        }
    }
    flush_text(&mut text, depth, out);
}

/// Asserts that folio renders `markdown` as kramdown rendered it (`kramdown_html`).
#[track_caller]
pub(super) fn assert_as_kramdown(markdown: &str, kramdown_html: &str) {
    let folio = render(markdown).html;
    let (expected, actual) = (dom_outline(kramdown_html), dom_outline(&folio));
    assert!(
        expected == actual,
        "for {markdown:?}\nkramdown:\n{expected}\nfolio:\n{actual}\nfolio's HTML:\n{folio}"
    );
}

#[test]
fn a_list_after_a_blank_line_is_for_the_next_block() {
    assert_as_kramdown(
        "Para\n{: .y }\n\n{: .x }\nNext\n",
        "<p class=\"y\">Para</p>\n\n<p class=\"x\">Next</p>\n",
    );
}

#[test]
fn toc_links_are_named_after_the_list() {
    assert_as_kramdown(
        "* TOC\n{:toc #mine}\n\n## A\n\n### B\n",
        "<ul id=\"mine\">\n  <li><a href=\"#a\" id=\"mine-a\">A</a>    <ul>\n      <li><a href=\"#b\" id=\"mine-b\">B</a></li>\n    </ul>\n  </li>\n</ul>\n\n<h2 id=\"a\">A</h2>\n\n<h3 id=\"b\">B</h3>\n",
    );
}

#[test]
fn list_items_are_paragraphs_item_by_item() {
    // A blank line after an item's text makes that item a paragraph, not the whole list.
    assert_as_kramdown(
        "- a\n- b\n\n- c\n",
        "<ul>\n  <li>a</li>\n  <li>\n    <p>b</p>\n  </li>\n  <li>c</li>\n</ul>\n",
    );
    assert_as_kramdown(
        "- a\n\n- b\n- c\n",
        "<ul>\n  <li>\n    <p>a</p>\n  </li>\n  <li>b</li>\n  <li>c</li>\n</ul>\n",
    );
    // Text followed directly by a nested list, blank lines between the items.
    assert_as_kramdown(
        "1. **Data Partitioning**\n   - a\n   - b\n\n2. **Other**\n   - c\n",
        "<ol>\n  <li><strong>Data Partitioning</strong>\n    <ul>\n      <li>a</li>\n      <li>b</li>\n    </ul>\n  </li>\n  <li><strong>Other</strong>\n    <ul>\n      <li>c</li>\n    </ul>\n  </li>\n</ol>\n",
    );
    assert_as_kramdown(
        "- a\n  - x\n\n- b\n  - y\n\n- c\n",
        "<ul>\n  <li>a\n    <ul>\n      <li>x</li>\n    </ul>\n  </li>\n  <li>b\n    <ul>\n      <li>y</li>\n    </ul>\n  </li>\n  <li>c</li>\n</ul>\n",
    );
    assert_as_kramdown(
        "- a\n  > q\n\n- b\n",
        "<ul>\n  <li>a\n    <blockquote>\n      <p>q</p>\n    </blockquote>\n  </li>\n  <li>b</li>\n</ul>\n",
    );
    // An item with a second paragraph.
    assert_as_kramdown(
        "- a\n- b\n\n  c\n",
        "<ul>\n  <li>a</li>\n  <li>\n    <p>b</p>\n\n    <p>c</p>\n  </li>\n</ul>\n",
    );
}

#[test]
fn the_last_item_follows_the_ones_before_it() {
    // The last item is bare only when an earlier one was.
    assert_as_kramdown(
        "- a\n\n- b\n\nPara\n",
        "<ul>\n  <li>\n    <p>a</p>\n  </li>\n  <li>\n    <p>b</p>\n  </li>\n</ul>\n\n<p>Para</p>\n",
    );
    assert_as_kramdown(
        "- only\n\nPara\n",
        "<ul>\n  <li>only</li>\n</ul>\n\n<p>Para</p>\n",
    );
}

#[test]
fn definitions_are_paragraphs_after_a_blank_line() {
    assert_as_kramdown(
        "Term\n: def\n\n  more\n",
        "<dl>\n  <dt>Term</dt>\n  <dd>def\n\n    <p>more</p>\n  </dd>\n</dl>\n",
    );
    assert_as_kramdown(
        "Term\n: d1\n: d2\n\n: d3\n",
        "<dl>\n  <dt>Term</dt>\n  <dd>d1</dd>\n  <dd>d2</dd>\n  <dd>\n    <p>d3</p>\n  </dd>\n</dl>\n",
    );
}

#[test]
fn attribute_lists_in_list_items() {
    // Under a bare item's text, the list is for a paragraph kramdown does not write: lost.
    assert_as_kramdown(
        "- a\n  {: .x}\n- b\n",
        "<ul>\n  <li>a</li>\n  <li>b</li>\n</ul>\n",
    );
    // After a blank line at the end of an item, nothing in that item follows: lost too.
    assert_as_kramdown(
        "- a\n\n  {: .x}\n- b\n",
        "<ul>\n  <li>\n    <p>a</p>\n  </li>\n  <li>\n    <p>b</p>\n  </li>\n</ul>\n",
    );
}

#[test]
fn the_first_heading_is_the_one_the_page_shows() {
    let config = SiteConfig::default();
    let body = "{::comment}\n# Hidden\n{:/comment}\n\n# Real title\n";
    assert_eq!(
        first_heading(body, &config.markdown).as_deref(),
        Some("Real title")
    );
    assert_eq!(render(body).headings[0].text, "Real title");
    // A heading inside an element with Markdown content is one; inside raw HTML it is not.
    let body = "<div>\n\n# In raw HTML\n\n</div>\n\n<div markdown=\"1\">\n# Shown\n</div>\n";
    assert_eq!(
        first_heading(body, &config.markdown).as_deref(),
        Some("Shown")
    );
    assert_eq!(render(body).headings[0].text, "Shown");
}

#[test]
fn each_line_of_a_term_is_a_term() {
    assert_as_kramdown(
        "Term1\nTerm2\n: def\n",
        "<dl>\n  <dt>Term1</dt>\n  <dt>Term2</dt>\n  <dd>def</dd>\n</dl>\n",
    );
}

#[test]
fn single_tildes_do_not_strike_through() {
    assert_as_kramdown(
        "A ~single~ and ~~double~~.\n",
        "<p>A ~single~ and <del>double</del>.</p>\n",
    );
}

#[test]
fn strong_emphasis_is_strong_outside() {
    assert_as_kramdown(
        "Note: you do ***not*** need it, *a **b***.\n",
        "<p>Note: you do <strong><em>not</em></strong> need it, <em>a <strong>b</strong></em>.</p>\n",
    );
}

#[test]
fn numbered_lists_start_at_one() {
    assert_as_kramdown("3. c\n4. d\n", "<ol>\n  <li>c</li>\n  <li>d</li>\n</ol>\n");
}

#[test]
fn a_list_of_the_other_kind_under_an_item_is_nested() {
    // Two spaces under `1.` (one short of its content), or none at all: kramdown reads the
    // line as part of the item, so the bullet list is nested in it.
    assert_as_kramdown(
        "1. a minor change\n  - **explicit migration necessary if**:\n    1. **users have a custom file**\n    2. **users have custom code**\n2. next\n",
        r#"<ol>
  <li>a minor change
    <ul>
      <li><strong>explicit migration necessary if</strong>:</li>
    </ul>
    <ol>
      <li><strong>users have a custom file</strong></li>
      <li><strong>users have custom code</strong></li>
    </ol>
  </li>
  <li>next</li>
</ol>
"#,
    );
    assert_as_kramdown(
        "- level 1\n  1. level 2\n    - level 3\n    - level 3\n- level 1\n",
        r#"<ul>
  <li>level 1
    <ol>
      <li>level 2
        <ul>
          <li>level 3</li>
          <li>level 3</li>
        </ul>
      </li>
    </ol>
  </li>
  <li>level 1</li>
</ul>
"#,
    );
    assert_as_kramdown(
        "1. a\n- b\n  - c\n",
        "<ol>\n  <li>a\n    <ul>\n      <li>b\n        <ul>\n          <li>c</li>\n        </ul>\n      </li>\n    </ul>\n  </li>\n</ol>\n",
    );
}

#[test]
fn only_bodies_with_kramdown_blocks_are_scanned_for_their_first_heading() {
    assert!(!has_kramdown_blocks("# A\n\nA `Vec<u8>` and {x}.\n"));
    assert!(has_kramdown_blocks("# A\n\n  <div>\n"));
    assert!(has_kramdown_blocks("> <details>\n"));
    assert!(has_kramdown_blocks("Text {::comment}x{:/comment}\n"));
    assert!(has_kramdown_blocks("Text\n\n $$x$$\n"));
    assert!(!has_kramdown_blocks(
        "Costs $5, or $$ in a line, and $x$.\n"
    ));
    // The `-` line of a formula is no heading.
    let body = "$$\na\n-\nb\n$$\n\n# Real title\n";
    let config = SiteConfig::default();
    assert_eq!(
        first_heading(body, &config.markdown).as_deref(),
        Some("Real title")
    );
}
