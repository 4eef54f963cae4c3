//! Liquid in pages through the real binary: Jekyll's tags and objects come out as Jekyll
//! writes them, `render_with_liquid: false` leaves a page alone, errors are reported at the
//! page's line and column, and `folio serve` follows edits to includes and data.

mod common;
#[path = "common/http.rs"]
mod http;

use std::time::Duration;

use common::{Site, md, text_of};
use http::Server;

fn site() -> Site {
    Site::new(&[
        (
            "site.toml",
            "title = \"Liquid Site\"\nbase_url = \"https://example.org/docs/\"\n\n[extra]\nteam = \"Platform\"\n",
        ),
        (
            "content/index.md",
            &md(
                "title: Home\nnav_order: 1",
                "# {{ site.title }}\n\n\
                 Owned by {{ site.team }}; see [setup]({% link guide/setup.md %}) and \
                 [the logo]({{ '/logo.png' | relative_url }}).\n\n\
                 {% include note.html text=\"Read this first\" kind=\"tip\" %}\n\n\
                 Pages: {% for p in site.pages %}{% if p.title %}{{ p.title }};{% endif %}{% endfor %}\n\n\
                 {% for person in site.data.people %}- {{ person.name | upcase }}\n{% endfor %}\n\
                 {% highlight yaml %}\nkey: value\n\nother: 2\n{% endhighlight %}\n\n\
                 {% raw %}{{ not liquid }}{% endraw %}\n",
            ),
        ),
        (
            "content/guide/setup.md",
            &md(
                "title: Setup\nnav_order: 2\ncustom: 42",
                "Page {{ page.title }} at {{ page.url }} with {{ page.custom }}.\n",
            ),
        ),
        (
            "content/literal.md",
            &md(
                "title: Literal\nrender_with_liquid: false",
                "Write `{{ site.title }}` to show the title.\n",
            ),
        ),
        (
            "includes/note.html",
            "<p class=\"{{ include.kind }}\">{{ include.text }}</p>\n",
        ),
        ("data/people.yml", "- name: Ada\n- name: Grace\n"),
        ("static/logo.png", "png"),
    ])
}

#[test]
fn jekyll_tags_objects_and_filters_render() {
    let site = site();
    site.build(&["--strict"]).ok();
    let home = site.page("index.html");
    let article = home.one("article");
    let text = text_of(&article);
    let heading = home.texts("article h1");
    assert!(heading[0].ends_with("Liquid Site"), "{heading:?}");
    assert!(text.contains("Owned by Platform"), "{text}");
    assert!(
        home.hrefs("article a")
            .contains(&"/docs/guide/setup/".to_string())
    );
    assert!(
        home.hrefs("article a")
            .contains(&"/docs/logo.png".to_string())
    );
    assert_eq!(home.texts("article p.tip"), ["Read this first"]);
    // Every page, in the order of their paths (guide/setup.md, index.md, literal.md).
    assert!(text.contains("Pages: Setup;Home;Literal;"), "{text}");
    assert_eq!(home.texts("article li"), ["ADA", "GRACE"]);
    // highlight: folio's code block, blank line and all, through the same highlighter.
    let code = home.one("article pre code");
    assert_eq!(code.text().collect::<String>(), "key: value\n\nother: 2\n");
    assert!(
        code.html().contains("<span"),
        "highlighted: {}",
        code.html()
    );
    assert!(text.contains("{{ not liquid }}"), "raw stays raw: {text}");
    assert!(!text.contains("{%"), "{text}");

    let setup = site.page("guide/setup/index.html");
    assert!(
        text_of(&setup.one("article")).contains("Page Setup at /guide/setup/ with 42."),
        "{}",
        text_of(&setup.one("article"))
    );
    let literal = site.page("literal/index.html");
    assert!(text_of(&literal.one("article")).contains("{{ site.title }}"));
}

#[test]
fn liquid_errors_are_reported_at_the_page_line_and_column() {
    let site = Site::new(&[
        (
            "content/index.md",
            &md(
                "title: Home",
                "Fine.\n\n{% frobnicate %}\n\n[x]({% link nope.md %})\n\n{{ 'a' | no_such_filter }}\n",
            ),
        ),
        (
            "content/b.md",
            &md("title: B", "{% if true %}never closed\n"),
        ),
    ]);
    let stderr = site.build(&[]).failed().stderr();
    for expected in [
        "content/index.md\n",
        "  6:1: error:",
        "frobnicate",
        "  8:",
        "Could not find document 'nope.md' in tag 'link'",
        "  10:",
        "no_such_filter",
        "content/b.md\n",
    ] {
        assert!(stderr.contains(expected), "`{expected}` missing:\n{stderr}");
    }
    assert!(stderr.contains("Build failed with"), "{stderr}");
}

#[test]
fn serve_follows_includes_and_data_and_shows_liquid_errors() {
    let site = site();
    let server = Server::start(site.root(), &[]);
    assert!(server.get("/").text().contains("Read this first"));

    let epoch = server.epoch();
    site.write(
        "includes/note.html",
        "<p class=\"{{ include.kind }}\">Changed: {{ include.text }}</p>\n",
    );
    server
        .poll_rebuild(epoch, Duration::from_secs(20))
        .expect("a rebuild");
    assert!(server.get("/").text().contains("Changed: Read this first"));

    let epoch = server.epoch();
    site.write("data/people.yml", "- name: Linus\n");
    server
        .poll_rebuild(epoch, Duration::from_secs(20))
        .expect("a rebuild");
    let page = server.get("/").text();
    assert!(page.contains("LINUS") && !page.contains("GRACE"), "{page}");

    // A Liquid error keeps the last good page and shows the overlay.
    let epoch = server.epoch();
    site.write(
        "content/guide/setup.md",
        &md("title: Setup\nnav_order: 2", "{% nope %}\n"),
    );
    let event = server
        .poll_rebuild(epoch, Duration::from_secs(20))
        .expect("an event");
    let overlay = event["overlay"].as_str().expect("an overlay");
    assert!(overlay.contains("content/guide/setup.md:5:1"), "{overlay}");
    assert!(server.get("/guide/setup/").text().contains("Page Setup"));
}

#[test]
fn template_code_in_a_code_block_gets_a_hint() {
    let site = Site::new(&[(
        "content/index.md",
        &md(
            "title: Home",
            "Tera example:\n\n```html\n{{ page.content | safe }}\n```\n",
        ),
    )]);
    let stderr = site.build(&[]).failed().stderr();
    assert!(stderr.contains("7:"), "{stderr}");
    assert!(
        stderr.contains("it is inside a code block")
            && stderr.contains("render_with_liquid: false"),
        "{stderr}"
    );
}
