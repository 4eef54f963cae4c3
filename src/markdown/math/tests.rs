use super::*;

#[test]
fn a_formula_becomes_mathml_with_its_source_as_annotation() {
    let html = render("x^2 + y^2 = z^2", false).unwrap();
    assert!(html.starts_with("<math><semantics><mrow>"), "{html}");
    assert!(html.contains("<msup><mi>x</mi><mn>2</mn></msup>"), "{html}");
    assert!(
        html.ends_with(
            "<annotation encoding=\"application/x-tex\">x^2 + y^2 = z^2</annotation></semantics></math>"
        ),
        "{html}"
    );
}

#[test]
fn block_formulas_say_so() {
    let html = render(r"\sum_{i=1}^n i = \frac{n(n+1)}{2}", true).unwrap();
    assert!(html.starts_with("<math display=\"block\">"), "{html}");
    assert!(html.contains("<mfrac>"), "{html}");
}

#[test]
fn a_formula_that_cannot_be_read_is_an_error_with_the_reason() {
    let error = render(r"\frac{a}{", false).unwrap_err();
    assert!(
        matches!(&error, MathError::Parse(message) if message.contains("unbalanced group")),
        "{error:?}"
    );
    let error = render(r"\notacommand x", false).unwrap_err();
    assert!(
        matches!(&error, MathError::Parse(message) if message.contains("unknown")),
        "{error:?}"
    );
    assert_eq!(render("  ", false), Err(MathError::Empty));
}

/// Every tag in `html` is a MathML tag folio allows.
fn only_mathml_tags(html: &str) {
    for (at, _) in html.match_indices('<') {
        let name: String = html[at + 1..]
            .trim_start_matches('/')
            .chars()
            .take_while(|c| c.is_ascii_alphanumeric() || *c == '-')
            .collect();
        assert!(
            name == "math"
                || name == "semantics"
                || name == "annotation"
                || safe::tests_elements().contains(&name.as_str()),
            "tag <{name}> in {html}"
        );
        let tag_end = html[at..].find('>').unwrap();
        let tag = &html[at..at + tag_end];
        assert!(!tag.contains(" on"), "handler in {tag}");
    }
}

#[test]
fn nothing_in_a_formula_becomes_markup() {
    for source in [
        "<script>alert(1)</script>",
        r"\operatorname{<script>x}",
        r"\operatorname{<img src=x onerror=alert(1)>}",
        r"\mathbin{<}b",
        r"\text{<b>&amp;}",
        r"\left< x \right>",
        r"a</math><img src=x>",
        r"\operatorname{</mi></math><svg onload=alert(1)>}",
    ] {
        let html = match render(source, true) {
            Ok(html) => html,
            // Refused formulas are shown as escaped code by the caller.
            Err(MathError::Parse(_)) => continue,
            Err(other) => panic!("{source}: {other}"),
        };
        only_mathml_tags(&html);
        assert!(!html.contains("<script"), "{html}");
        assert!(!html.contains("<img"), "{html}");
        assert!(!html.contains("<svg"), "{html}");
        assert_eq!(html.matches("</math>").count(), 1, "{html}");
    }
    let html = render("a<b", false).unwrap();
    assert!(html.contains("<mo>&lt;</mo>"), "{html}");
    assert!(html.contains(">a&lt;b</annotation>"), "{html}");
}

#[test]
fn the_allow_list_keeps_the_renderers_own_markup() {
    let mut out = String::new();
    safe::rewrite(
        "<mrow style=\"color: rgb(255 0 0)\"><mo symmetric=\"true\" stretchy=\"true\"minsize=\"1.2em\" maxsize=\"1.2em\">(</mo><mspace width=\"0.1667em\" /></mrow>",
        &mut out,
    );
    assert_eq!(
        out,
        "<mrow style=\"color: rgb(255 0 0)\"><mo symmetric=\"true\" stretchy=\"true\"minsize=\"1.2em\" maxsize=\"1.2em\">(</mo><mspace width=\"0.1667em\" /></mrow>"
    );
    let mut out = String::new();
    safe::rewrite(
        "<mi style=\"background-image: url(x)\">a</mi><mi onclick=\"x\">b</mi><mi class=\"a\"b\">c</mi>&x",
        &mut out,
    );
    assert_eq!(
        out,
        "&lt;mi style=&quot;background-image: url(x)&quot;&gt;a</mi>&lt;mi onclick=&quot;x&quot;&gt;b</mi>&lt;mi class=&quot;a&quot;b&quot;&gt;c</mi>&amp;x"
    );
}

#[test]
fn colours_and_matrices_render() {
    let html = render(
        r"\color{red}{x} + \begin{pmatrix}a&b\\c&d\end{pmatrix}",
        true,
    )
    .unwrap();
    assert!(html.contains("style=\"color: rgb(255 0 0)\""), "{html}");
    assert!(html.contains("<mtable"), "{html}");
    assert!(html.contains("<mtd><mi>d</mi></mtd>"), "{html}");
}
