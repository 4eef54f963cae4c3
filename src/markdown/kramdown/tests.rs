//! Tests of the line scanner: what it writes for each kramdown construct.

use super::*;

fn attach_of(body: &str) -> Vec<Attach> {
    prepare(body).ials.iter().map(|ial| ial.attach).collect()
}

#[test]
fn attach_rules() {
    assert_eq!(attach_of("Para\n{: .a }\n"), [Attach::Previous]);
    assert_eq!(attach_of("Para\n\n{: .a }\nNext\n"), [Attach::Next]);
    assert_eq!(attach_of("{: .a }\n\nNext\n"), [Attach::Dropped]);
    assert_eq!(
        attach_of("Para\n{: .a }\n{: .b }\n"),
        [Attach::Previous, Attach::Previous]
    );
    assert_eq!(attach_of("> {: .a }\n> Quoted\n"), [Attach::Next]);
}

#[test]
fn markers_keep_lines_and_prefixes() {
    let prepared = prepare("# T\n{: .no_toc }\n> x\n> {: .y }\n");
    assert_eq!(
        prepared.text,
        "# T\n<!--folio:ial:0-->\n> x\n> <!--folio:ial:1-->\n"
    );
    assert_eq!(prepared.ials[1].line, 4);
    assert_eq!(
        prepared.parse_marker("<!--folio:ial:1-->\n"),
        Some(Marker::Ial(1))
    );
    // Only markers of what the body has.
    assert_eq!(prepared.parse_marker("<!--folio:ial:2-->"), None);
    assert_eq!(prepared.parse_marker("<!--folio:raw:0-->"), None);
}

#[test]
fn fenced_code_is_left_alone() {
    let body = "```\n{: .x }\n{::comment}\n```\n";
    let prepared = prepare(body);
    assert_eq!(prepared.text, body);
    assert!(prepared.ials.is_empty());
}

#[test]
fn lazy_lines_after_a_quote_start_stay_in_the_quote() {
    let prepared = prepare("> {: .highlight }\n  A paragraph\n\nAfter\n");
    assert_eq!(
        prepared.text,
        "> <!--folio:ial:0-->\n>   A paragraph\n\nAfter\n"
    );
}

#[test]
fn extensions() {
    let prepared = prepare(
        "{::comment}\nhidden\n{:/comment}\n{::nomarkdown}\n<b>raw</b>\n{:/}\n{::options toc_levels=\"2..3\" /}\n{::weird}\n",
    );
    assert_eq!(prepared.raw[0].html, "<b>raw</b>\n");
    assert_eq!(prepared.toc_levels, Some((2, 3)));
    assert!(prepared.text.ends_with("{::weird}\n"));
    assert_eq!(prepared.warnings.len(), 1);
    assert_eq!(prepared.warnings[0].line, 8);
    assert_eq!(prepared.text.lines().count(), 8);
}

#[test]
fn a_body_that_writes_a_marker_gets_markers_of_its_own() {
    // Found by fuzz/ (markdown target): a page's own `<!--folio:ial:0-->` was read as the
    // marker of an attribute list, or of one the page does not have (a panic).
    let prepared = prepare("<!--folio:ial:0-->\nPara\n{: .x }\n");
    assert_eq!(
        prepared.text,
        "<!--folio:ial:0-->\nPara\n<!--folio1:ial:0-->\n"
    );
    assert_eq!(prepared.parse_marker("<!--folio:ial:0-->"), None);
    assert_eq!(
        prepared.find_markers(&prepared.text),
        [(24..43, Marker::Ial(0))]
    );
    let prepared = prepare("<!--folio:x <!--folio1:y\n{::comment /}\n");
    assert!(prepared.text.ends_with("\n<!--folio2:skip-->\n"));
    assert!(!prepare("Text\n").has_markers("<!--folio1:skip-->"));
}

#[test]
fn only_spaces_and_tabs_indent_block_syntax() {
    // Found by fuzz/ (markdown target): after form feeds the marker was paragraph text,
    // and `<!--folio:ial:0-->` showed in the page.
    let body = "Para\n\x0c\x0c{: .note }\n\u{a0}{: .x }\n\x0c<div markdown=\"1\">\n";
    let prepared = prepare(body);
    assert_eq!(prepared.text, body);
    assert!(prepared.ials.is_empty());
    assert_eq!(attach_of("Para\n \t{: .note }\n"), [Attach::Previous]);
}

#[test]
fn definitions_are_collected() {
    let prepared = prepare("{:wide: .full-width}\nPara\n{: wide}\n");
    assert!(prepared.definitions["wide"].has_class("full-width"));
    assert!(prepared.ials[0].attrs.has_ref("wide"));
}

/// The math blocks the scanner found: (TeX, line, column).
fn math_of(body: &str) -> Vec<(String, usize, usize)> {
    prepare(body)
        .math
        .into_iter()
        .map(|block| (block.source, block.line, block.column))
        .collect()
}

#[test]
fn math_blocks_start_a_block_and_end_before_a_blank_line() {
    let prepared = prepare("Text\n\n$$\na\n-\nb\n$$\n\nAfter $x$\n");
    assert_eq!(prepared.text, "Text\n\n<!--folio:math:0-->\n\nAfter $x$\n");
    assert_eq!(prepared.math[0].source, "\na\n-\nb\n");
    // Diagnostics after the block keep the body's line numbers.
    assert_eq!(prepared.body_line(5), 9);
    assert_eq!(
        math_of("> Quote\n>\n>  $$x = 1$$\n"),
        [("x = 1".to_string(), 3, 4)]
    );
    assert_eq!(math_of("$$a$$\n{: .wide }\n").len(), 1);
    // Not a block: inside a paragraph, followed by text, unclosed, across a blank line,
    // indented as code, inside a fence.
    for body in [
        "Text\n$$x$$\n",
        "$$x$$\nmore text\n",
        "$$x$$ and text\n",
        "$$\nx\n",
        "$$\nx\n\ny\n$$\n",
        "    $$x$$\n",
        "```\n$$x$$\n```\n",
    ] {
        assert_eq!(math_of(body), [], "{body:?}");
    }
}

/// Found by fuzzing (fuzz/, the kramdown target): a span extension without its stop tag read
/// the paragraph's next lines ahead and wrote them as part of its own line, so every later
/// line of the text was mapped to the body line after its own.
#[test]
fn an_unclosed_span_extension_keeps_the_lines_after_it() {
    let body = "n{::nomarkdown}\n<\n\n{";
    let prepared = prepare(body);
    assert_eq!(
        prepared.text.lines().collect::<Vec<_>>(),
        body.lines().collect::<Vec<_>>()
    );
    for line in 1..=4 {
        assert_eq!(prepared.body_line(line), line);
    }
    assert_eq!(prepared.warnings.len(), 1);
}

/// Found by fuzzing: a warning after an extension that ran over two lines named the first
/// line with a column past its end, and columns counted bytes, not characters.
#[test]
fn extension_warnings_name_the_line_and_character_column() {
    let places = |body: &str| -> Vec<(usize, usize)> {
        prepare(body)
            .warnings
            .iter()
            .map(|w| (w.line, w.column))
            .collect()
    };
    assert_eq!(places("t{::nomarkdown}\n{:/nomarkdown}``{::n}"), [(2, 17)]);
    assert_eq!(places("été {::n}"), [(1, 5)]);
    assert_eq!(places("a {::comment}x{:/comment} {::n}"), [(1, 27)]);
    assert_eq!(places("Text{::nomarkdown}"), [(1, 5)]);
}
