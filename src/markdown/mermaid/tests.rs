use super::*;

const FLOW: &str = "flowchart LR
    accTitle: Checkout request path
    accDescr: How a request reaches the order service.
    user([Browser]) -->|HTTPS| gw[API gateway]
    gw --> orders[Order service]
";

fn ids(svg: &str) -> Vec<String> {
    svg.split(" id=\"")
        .skip(1)
        .map(|rest| rest.split('"').next().unwrap().to_string())
        .collect()
}

#[test]
fn a_flowchart_becomes_an_svg_with_its_labels() {
    let diagram = render(FLOW, 1).unwrap();
    assert!(
        diagram.svg.starts_with("<svg id=\"mermaid-1\""),
        "{}",
        diagram.svg
    );
    assert!(diagram.svg.ends_with("</svg>"));
    for label in ["Browser", "HTTPS", "API gateway", "Order service"] {
        assert!(diagram.svg.contains(label), "{label} missing");
        assert!(
            diagram.labels.iter().any(|l| l == label),
            "{:?}",
            diagram.labels
        );
    }
}

#[test]
fn acc_title_and_acc_descr_name_and_describe_the_image() {
    let diagram = render(FLOW, 2).unwrap();
    let svg = &diagram.svg;
    assert!(svg.contains(" role=\"img\""));
    assert!(svg.contains("aria-labelledby=\"mermaid-2-title\""));
    assert!(svg.contains("aria-describedby=\"mermaid-2-desc\""));
    assert!(svg.contains("<title id=\"mermaid-2-title\">Checkout request path</title>"));
    assert!(
        svg.contains("<desc id=\"mermaid-2-desc\">How a request reaches the order service.</desc>")
    );
    // Not drawn as nodes of the chart.
    assert_eq!(svg.matches("Checkout request path").count(), 1);
    assert!(!svg.contains("accTitle"));
}

#[test]
fn a_multi_line_acc_descr_block_is_one_description() {
    let parts = split_accessibility(
        "sequenceDiagram\n  accDescr {\n    The client asks,\n    the server answers.\n  }\n  A->>B: hi\n",
    );
    assert_eq!(
        parts.description.as_deref(),
        Some("The client asks, the server answers.")
    );
    assert_eq!(parts.title, None);
    // Line numbers of the rest stay where they were.
    assert_eq!(parts.diagram.lines().nth(5), Some("  A->>B: hi"));
}

#[test]
fn without_acc_title_the_name_is_the_diagram_type() {
    let diagram = render("sequenceDiagram\n  Alice->>Bob: Hello\n", 1).unwrap();
    assert!(
        diagram
            .svg
            .contains("<title id=\"mermaid-1-title\">Sequence diagram</title>")
    );
    assert!(!diagram.svg.contains("aria-describedby"));
}

#[test]
fn each_of_the_five_handbook_types_is_drawn() {
    let sources = [
        "flowchart TD\n  A[Start] --> B{Ok?}\n  B -->|yes| C[Done]\n",
        "sequenceDiagram\n  participant C as Client\n  C->>S: GET /\n  S-->>C: 200\n",
        "classDiagram\n  class Account {\n    +String email\n  }\n  Account --> Invoice : bills\n",
        "stateDiagram-v2\n  [*] --> Queued\n  Queued --> Running : start\n  Running --> [*]\n",
        "erDiagram\n  CUSTOMER ||--o{ ORDER : places\n  ORDER {\n    uuid id PK\n  }\n",
    ];
    for source in sources {
        let diagram = render(source, 1).unwrap_or_else(|e| panic!("{source}: {e}"));
        assert!(
            diagram.svg.contains("<path") || diagram.svg.contains("<line"),
            "{source}"
        );
        assert!(!diagram.labels.is_empty(), "{source}");
    }
}

#[test]
fn an_unknown_diagram_type_is_an_error() {
    let error = render("zenith LR\n  A --> B\n", 1).unwrap_err();
    assert!(matches!(error, MermaidError::Renderer(_)), "{error}");
    assert!(matches!(render("  \n", 1), Err(MermaidError::Empty)));
}

#[test]
fn markup_in_labels_is_text_never_elements() {
    let diagram = render(
        "flowchart TD\n  A[\"<script>alert(1)</script>\"] --> B[\"<img src=x onerror=alert(2)>\"]\n  B --> C[\"a & b\"]\n",
        1,
    )
    .unwrap();
    let svg = &diagram.svg;
    assert!(!svg.contains("<script"), "{svg}");
    assert!(!svg.contains("<img"), "{svg}");
    assert!(!svg.contains("onerror=\""), "{svg}");
    assert!(svg.contains("&lt;script&gt;") || !svg.contains("alert(1)"));
    assert!(svg.contains("a &amp; b"));
}

#[test]
fn the_rewriter_drops_what_a_renderer_must_never_put_in_a_page() {
    let hostile = r##"<svg id="r" xmlns="http://www.w3.org/2000/svg" onload="alert(1)">
        <script>alert(2)</script>
        <foreignObject><div>html</div></foreignObject>
        <a href="javascript:alert(3)"><text>link</text></a>
        <image href="https://example.com/x.png"/>
        <use href="https://example.com/s.svg#x"/>
        <rect fill="url(https://example.com/p)" stroke="url(#r-m)" style="fill:url(http://x/y);stroke:#333333"/>
        <style>@import url(http://x/y.css); text { fill: red }</style>
        <text onclick="alert(4)">&lt;b&gt;bold&lt;/b&gt; &amp; more</text>
    </svg>"##;
    let accessible = svg::Accessible {
        name: "A <name>".into(),
        description: None,
    };
    let rewritten = svg::rewrite(hostile, "mermaid-1", &accessible).unwrap();
    let out = &rewritten.svg;
    for banned in [
        "onload",
        "<script",
        "alert(2)",
        "foreignObject",
        "html",
        "javascript",
        "<a",
        "link",
        "<image",
        "example.com",
        "http://",
        "@import",
        "onclick",
    ] {
        assert!(!out.contains(banned), "`{banned}` in {out}");
    }
    assert!(out.contains("stroke:var(--mermaid-ink)"), "{out}");
    assert!(out.contains("url(#mermaid-1-r-m)"), "{out}");
    assert!(out.contains("&lt;b&gt;bold&lt;/b&gt; &amp; more"), "{out}");
    assert!(out.contains("<title id=\"mermaid-1-title\">A &lt;name&gt;</title>"));
    assert_eq!(rewritten.labels, vec!["<b>bold</b> & more".to_string()]);
}

#[test]
fn two_diagrams_on_a_page_share_no_id() {
    let first = render(FLOW, 1).unwrap();
    let second = render(FLOW, 2).unwrap();
    let first_ids = ids(&first.svg);
    let second_ids = ids(&second.svg);
    assert!(first_ids.len() > 3, "{first_ids:?}");
    for id in &first_ids {
        assert!(!second_ids.contains(id), "{id} is in both");
        assert!(id.starts_with("mermaid-1"), "{id}");
    }
    // Every reference points at an id of its own diagram.
    for (svg, own) in [(&first.svg, &first_ids), (&second.svg, &second_ids)] {
        for reference in svg.split("url(#").skip(1) {
            let target = reference.split(')').next().unwrap();
            assert!(own.iter().any(|id| id == target), "dangling url(#{target})");
        }
    }
}

#[test]
fn palette_colours_become_theme_properties_and_classes_are_prefixed() {
    let diagram = render(FLOW, 1).unwrap();
    let svg = &diagram.svg;
    assert!(svg.contains("var(--mermaid-fill)"), "{svg}");
    assert!(svg.contains("var(--mermaid-border)"));
    assert!(svg.contains("var(--mermaid-ink)"));
    for fixed in ["#ECECFF", "#9370DB", "#333333"] {
        assert!(!svg.contains(fixed), "{fixed} left in the SVG");
    }
    assert!(
        !svg.contains("class=\"label"),
        "the theme's .label would style it"
    );
    assert!(svg.contains("class=\"mm-"));
}

#[test]
fn a_diagrams_own_stylesheet_is_scoped_to_it() {
    let diagram = render(
        "stateDiagram-v2\n  [*] --> A\n  state A {\n    [*] --> B\n  }\n  A --> [*]\n",
        3,
    )
    .unwrap();
    let svg = &diagram.svg;
    let style = svg
        .split("<style>")
        .nth(1)
        .map(|rest| rest.split("</style>").next().unwrap())
        .expect("the state diagram keeps its stylesheet");
    for rule in style.split('}').filter(|r| !r.is_empty()) {
        let selectors = rule.split('{').next().unwrap();
        for selector in selectors.split(',') {
            assert!(selector.starts_with("#mermaid-3"), "unscoped `{selector}`");
        }
    }
}

#[test]
fn keyword_lines_need_the_keyword_itself() {
    let parts = split_accessibility("flowchart TD\n  accTitleX --> B\n  accTitle: Real\n");
    assert_eq!(parts.title.as_deref(), Some("Real"));
    assert!(parts.diagram.contains("accTitleX --> B"));
}

// The fence in a page: what the Markdown writer makes of it.

use crate::config::SiteConfig;
use crate::markdown::{MarkdownContext, Rendered, SiteIndex, TextSink, highlight};

#[derive(Default)]
struct Words(Vec<String>);

impl TextSink for Words {
    fn text(&mut self, text: &str) {
        self.0.push(text.to_string());
    }
    fn html(&mut self, html: &str) {
        self.0.push(format!("HTML:{html}"));
    }
    fn boundary(&mut self) {}
    fn heading_start(&mut self, _: u8, _: Option<&str>) {}
    fn heading_end(&mut self) {}
}

fn page(body: &str, words: Option<&mut Words>) -> Rendered {
    let config = SiteConfig::default();
    let callouts = config.callouts();
    let code_themes = highlight::CodeThemes::new("InspiredGitHub", "OneHalfDark").unwrap();
    let site = SiteIndex::default();
    let context = MarkdownContext {
        config: &config.markdown,
        callouts: &callouts,
        site: &site,
        code_themes: &code_themes,
    };
    crate::markdown::render(
        body,
        "guide",
        &context,
        words.map(|w| w as &mut dyn TextSink),
    )
}

#[test]
fn a_mermaid_fence_is_an_inline_svg_in_the_page() {
    let rendered = page(
        "# Flow\n\n```mermaid\nflowchart LR\n  A[Client] --> B[Server]\n```\n{: .wide }\n",
        None,
    );
    let html = &rendered.html;
    assert!(
        html.contains("<div class=\"wide mermaid-diagram\"><svg id=\"mermaid-1\"")
            || html.contains("<div class=\"mermaid-diagram wide\"><svg id=\"mermaid-1\""),
        "{html}"
    );
    assert!(!html.contains("<pre"), "{html}");
    assert!(!html.contains("language-mermaid"), "{html}");
    assert!(rendered.warnings.is_empty(), "{:?}", rendered.warnings);
}

#[test]
fn a_diagram_that_cannot_be_drawn_stays_code_with_a_warning_at_its_line() {
    let rendered = page(
        "Intro\n\n```mermaid\nflowchart TD\n  A --> B\n```\n\nText\n\n```mermaid\nzenith LR\n  <b>A</b> --> B\n```\n",
        None,
    );
    let html = &rendered.html;
    // The first is drawn, the second is shown as its source.
    assert_eq!(html.matches("<svg").count(), 1, "{html}");
    assert!(
        html.contains("<code class=\"language-mermaid\" data-lang=\"mermaid\">zenith LR\n  &lt;b&gt;A&lt;/b&gt; --&gt; B\n</code>"),
        "{html}"
    );
    let warnings: Vec<_> = rendered
        .warnings
        .iter()
        .filter(|w| w.kind() == Some("mermaid"))
        .collect();
    assert_eq!(warnings.len(), 1, "{:?}", rendered.warnings);
    assert_eq!(warnings[0].line, Some(10));
    assert!(warnings[0].message.contains("could not be drawn"));
    assert!(warnings[0].message.contains("Unrecognized diagram type"));
    assert!(warnings[0].help.is_some());
}

#[test]
fn two_diagrams_in_a_page_are_numbered_apart() {
    let body = format!("```mermaid\n{FLOW}```\n\n```mermaid\n{FLOW}```\n");
    let html = page(&body, None).html;
    assert!(html.contains("<svg id=\"mermaid-1\""));
    assert!(html.contains("<svg id=\"mermaid-2\""));
    let all = ids(&html);
    let mut unique = all.clone();
    unique.sort();
    unique.dedup();
    assert_eq!(all.len(), unique.len(), "an id repeats in the page");
}

#[test]
fn search_is_told_the_labels_not_the_svg() {
    let mut words = Words::default();
    page(
        "```mermaid\nflowchart LR\n  accTitle: Order flow\n  A[Checkout page] --> B[(Orders DB)]\n```\n",
        Some(&mut words),
    );
    let told = words.0.join("|");
    assert!(told.contains("Order flow"), "{told}");
    assert!(told.contains("Checkout page"), "{told}");
    assert!(told.contains("Orders DB"), "{told}");
    for markup in ["<svg", "HTML:", "flowchart LR", "-->", "accTitle"] {
        assert!(!told.contains(markup), "`{markup}` told to search: {told}");
    }
}
