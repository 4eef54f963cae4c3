use super::*;

fn book(urls: &[&str], base_path: &str) -> Book {
    let mut book = Book {
        base_path: base_path.to_string(),
        ..Book::default()
    };
    let mut taken = HashSet::new();
    for (id, url) in urls.iter().enumerate() {
        let anchor = unique(slug(url), &mut taken);
        book.by_page.insert(id, id);
        book.by_url.insert(url.to_string(), id);
        book.chapters.push(Chapter {
            page: id,
            anchor,
            depth: 0,
        });
    }
    book
}

fn rewrite(book: &Book, anchor: &str, page_url: &str, html: &str) -> String {
    let context = fragment::Context {
        book,
        anchor,
        page_url,
    };
    let mut out = String::new();
    fragment::rewrite(html, &context, &mut out);
    out
}

#[test]
fn anchors_are_slugs_of_urls_and_never_hold_the_separator() {
    assert_eq!(slug("/"), "home");
    assert_eq!(slug("/guide/install/"), "guide-install");
    assert_eq!(slug("/a--b/C_d.html"), "a-b-c-d");
    assert_eq!(slug("/--/"), "home");
    let mut taken = HashSet::new();
    assert_eq!(unique("a".into(), &mut taken), "a");
    assert_eq!(unique("a".into(), &mut taken), "a-2");
    assert_eq!(unique("a".into(), &mut taken), "a-3");
}

#[test]
fn ids_and_links_to_them_are_prefixed() {
    let book = book(&["/", "/guide/install/"], "");
    let html = concat!(
        "<h2 id=\"setup\"><a href=\"#setup\" class=\"anchor-heading\" aria-labelledby=\"setup\">x</a>Setup</h2>\n",
        "<p>See <a href=\"#missing\">it</a> and <a href=\"#\">top</a>; <code>id=&quot;x&quot;</code></p>\n",
        "<label for=\"box other\">L</label><input id='box'>"
    );
    let out = rewrite(&book, "guide-install", "/guide/install/", html);
    assert!(out.contains("<h2 id=\"guide-install--setup\"><a href=\"#guide-install--setup\" class=\"anchor-heading\" aria-labelledby=\"guide-install--setup\">"), "{out}");
    assert!(out.contains("href=\"#guide-install--missing\""), "{out}");
    assert!(out.contains("<a href=\"#guide-install\">top</a>"), "{out}");
    assert!(out.contains("<code>id=&quot;x&quot;</code>"), "{out}");
    assert!(out.contains("for=\"guide-install--box other\""), "{out}");
    assert!(out.contains("<input id='guide-install--box'>"), "{out}");
}

#[test]
fn links_to_pages_of_the_book_go_to_their_sections() {
    let book = book(&["/", "/guide/install/"], "/docs");
    let html = concat!(
        "<a href=\"/docs/guide/install/#step-2\">a</a>",
        "<a href=\"/docs/\">b</a>",
        "<a href=\"/docs/guide/other/\">c</a>",
        "<a href=\"https://example.com/x#y\">d</a>",
        "<a href=\"../install/\">e</a>",
        "<img src=\"pic.png\" alt=\"\">",
        "<a href=\"/elsewhere/\">f</a>",
        "<a href=\"mailto:a@example.com\">g</a>",
    );
    let out = rewrite(&book, "guide-setup", "/guide/setup/", html);
    assert!(
        out.contains("<a href=\"#guide-install--step-2\">a</a>"),
        "{out}"
    );
    assert!(out.contains("<a href=\"#home\">b</a>"), "{out}");
    assert!(
        out.contains("<a href=\"/docs/guide/other/\">c</a>"),
        "{out}"
    );
    assert!(
        out.contains("<a href=\"https://example.com/x#y\">d</a>"),
        "{out}"
    );
    assert!(out.contains("<a href=\"#guide-install\">e</a>"), "{out}");
    assert!(
        out.contains("<img src=\"/docs/guide/setup/pic.png\""),
        "{out}"
    );
    assert!(out.contains("<a href=\"/elsewhere/\">f</a>"), "{out}");
    assert!(out.contains("mailto:a@example.com"), "{out}");
}

#[test]
fn diagram_ids_in_styles_and_urls_follow() {
    let book = book(&["/a/"], "");
    let html = "<svg id=\"mermaid-1\"><style>#mermaid-1 .mm-node{fill:#333}</style><marker id=\"mermaid-1-arrow\"/><path marker-end=\"url(#mermaid-1-arrow)\" style=\"fill:url(#other)\"/></svg><script>var a = '<b id=\"q\">';</script>";
    let out = rewrite(&book, "a", "/a/", html);
    assert!(out.contains("<svg id=\"a--mermaid-1\">"), "{out}");
    assert!(out.contains("#a--mermaid-1 .mm-node{fill:#333}"), "{out}");
    assert!(
        out.contains("marker-end=\"url(#a--mermaid-1-arrow)\""),
        "{out}"
    );
    assert!(out.contains("url(#other)"), "{out}");
    assert!(out.contains("var a = '<b id=\"q\">';"), "{out}");
}

#[test]
fn text_that_is_not_a_tag_stays() {
    let book = book(&["/a/"], "");
    let html = "<p>1 < 2 and <!-- id=\"c\" --> x</p>";
    assert_eq!(rewrite(&book, "a", "/a/", html), html);
}
