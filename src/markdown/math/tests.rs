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
    // The missing space between two attributes is put back.
    assert_eq!(
        out,
        "<mrow style=\"color: rgb(255 0 0)\"><mo symmetric=\"true\" stretchy=\"true\" minsize=\"1.2em\" maxsize=\"1.2em\">(</mo><mspace width=\"0.1667em\" /></mrow>"
    );
    // TeX's math units become ems, which browsers know.
    let mut out = String::new();
    safe::rewrite(
        "<mspace width=\"-0.055555556mu\" style=\"margin-left: 9mu\" />",
        &mut out,
    );
    assert_eq!(
        out,
        "<mspace width=\"-0.0031em\" style=\"margin-left: 0.5em\" />"
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

#[test]
fn the_allow_list_escapes_none_of_the_renderers_own_markup() {
    // One of each kind of construct: if the renderer wrote a tag, attribute or value the
    // allow-list does not know, the tag would show as text (`&lt;mo …`).
    for source in [
        r"a \, b \: c \; d \quad e \qquad f \! g \hspace{1em} h \kern-1mu i \mkern3mu j",
        r"\frac{1}{2} \dfrac{a}{b} \tfrac{a}{b} \binom{n}{k} \genfrac(]{1pt}{0}{a}{b} \cfrac{1}{x}",
        r"\sqrt{x} \sqrt[3]{y} \overline{ab} \underline{cd} \hat{x} \vec{v} \widetilde{xyz}",
        r"\overset{!}{=} \underset{x}{\lim} \overbrace{a+b}^{n} \underbrace{c+d}_{m} \stackrel{def}{=}",
        r"\sum_{i=0}^{n} \prod_k \int_a^b \oint \iint \lim_{x \to 0} \max_i \sup \bigcup \bigoplus",
        r"\left( \frac{a}{b} \right] \big( \Big[ \bigg\{ \Bigg\langle x \Bigg\rangle \bigg\} \Big] \big)",
        r"\not= \neq \nless \leq \geq \ll \gg \subset \supseteq \in \notin \approx \equiv \sim \to",
        r"\color{blue}{x} \textcolor{#ff0000}{y} \colorbox{yellow}{z} \fcolorbox{red}{white}{w}",
        r"\displaystyle \sum \textstyle \sum \scriptstyle x \scriptscriptstyle y",
        r"\mathrm{d} \mathbf{v} \mathit{x} \mathbb{R} \mathcal{L} \mathfrak{g} \mathsf{A} \mathtt{B} \boldsymbol{\alpha}",
        r"\text{if } x > 0 \textbf{ bold } \operatorname{sgn} x \sin \cos \log \exp",
        r"\begin{array}{c|c} a & b \\ \hline c & d \\ \hdashline e & f \end{array}",
        r"\begin{matrix} a & b \end{matrix} \begin{pmatrix} 1 \end{pmatrix} \begin{bmatrix} 1 & 0 \\ 0 & 1 \end{bmatrix} \begin{vmatrix} a \end{vmatrix} \begin{Vmatrix} b \end{Vmatrix}",
        r"\begin{cases} 1 & x > 0 \\ 0 & \text{else} \end{cases}",
        r"\begin{aligned} a &= b \\ &= c \end{aligned}",
        r"\begin{align} a &= b \\ c &= d \end{align}",
        r"\begin{align*} a &= b \end{align*}",
        r"\begin{equation} E = mc^2 \end{equation}",
        r"\begin{gather} a \\ b \end{gather} \begin{gathered} c \\ d \end{gathered}",
        r"\begin{multline} a \\ b \end{multline}",
        r"\begin{split} a &= b \\ &= c \end{split}",
        r"\begin{alignat}{2} a &= b & c &= d \end{alignat}",
        r"\begin{subarray}{l} i < n \\ j < m \end{subarray}",
        r"\mathrel{R} \mathbin{\star} \mathop{op} x' x'' \dots \cdots \ldots \mathring{a} \cancel{x}",
        r"x_1^2 {}_a^b x_{i_j}^{k^l} \xrightarrow{f} \overleftarrow{AB} \sum_{\substack{a\\b}}",
    ] {
        let html = render(source, true).unwrap_or_else(|e| panic!("{source}: {e}"));
        assert!(
            !html.contains("&lt;m") && !html.contains("&lt;/m"),
            "{source}\n{html}"
        );
    }
}
