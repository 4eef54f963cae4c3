//! `folio serve` driven over real HTTP: pages from memory, redirects, 404s, conditional
//! requests, path traversal, and live rebuilds of edits, new, renamed and deleted files,
//! templates, stylesheets and broken input, with the reload events and how much was rebuilt.

mod common;
#[path = "common/http.rs"]
mod http;

use std::time::Duration;

use common::{Site, md};
use http::Server;
use serde_json::Value;

const WAIT: Duration = Duration::from_secs(20);

fn site() -> Site {
    Site::new(&[
        ("site.toml", "title = \"Live\"\n"),
        (
            "content/index.md",
            &md("title: Home\nnav_order: 1", "# Home\n\nWelcome.\n"),
        ),
        (
            "content/guide/index.md",
            &md("title: Guide\nnav_order: 2", "Guide text.\n"),
        ),
        (
            "content/guide/setup.md",
            &md(
                "title: Setup\nparent: Guide\nnav_order: 1",
                "Setup text.\n\n```rust\nfn main() {}\n```\n",
            ),
        ),
        (
            "content/guide/usage.md",
            &md(
                "title: Usage\nparent: Guide\nnav_order: 2",
                "Usage text. ![pic](pic.png)\n",
            ),
        ),
        ("content/guide/pic.png", "png-1"),
        (
            "content/other.md",
            &md("title: Other\nnav_order: 3", "Other text.\n"),
        ),
    ])
}

/// Waits for the next event after `epoch`.
fn next_event(server: &Server, epoch: u64) -> Value {
    server.poll_rebuild(epoch, WAIT).expect("a reload event")
}

fn only_books(event: &Value) -> bool {
    http::only_books(event)
}

fn changed(event: &Value) -> Vec<String> {
    event["changed"]
        .as_array()
        .unwrap()
        .iter()
        .map(|v| v.as_str().unwrap().to_string())
        .collect()
}

#[test]
fn pages_come_from_memory_with_http_semantics() {
    let site = site();
    let server = Server::start(site.root(), &[]);
    assert!(
        !site.public().exists(),
        "nothing is written to the output folder"
    );

    let home = server.get("/");
    assert_eq!(home.status, 200);
    assert_eq!(
        home.header("Content-Type"),
        Some("text/html; charset=utf-8")
    );
    assert!(home.text().contains("Welcome."));
    assert!(
        home.text().contains("/__folio/poll"),
        "the reload script is injected"
    );

    let redirect = server.get("/guide/setup?x=1");
    assert_eq!(redirect.status, 301);
    assert_eq!(redirect.header("Location"), Some("/guide/setup/?x=1"));

    let missing = server.get("/no/such/page/");
    assert_eq!(missing.status, 404);
    assert!(missing.text().contains("Page not found"));

    let css = server.get("/assets/css/folio.css");
    assert_eq!(css.header("Content-Type"), Some("text/css; charset=utf-8"));
    assert_eq!(
        server.get("/nav.json").header("Content-Type"),
        Some("application/json")
    );
    assert_eq!(
        server.get("/guide/pic.png").header("Content-Type"),
        Some("image/png")
    );
    assert_eq!(server.get("/guide/pic.png").body, b"png-1");

    let head = http::request(&server.address, "HEAD", "/guide/", &[], WAIT);
    assert_eq!(head.status, 200);
    assert!(head.body.is_empty());
    assert!(head.header("Content-Length").is_some_and(|l| l != "0"));

    let etag = css.header("ETag").unwrap().to_string();
    let again = http::request(
        &server.address,
        "GET",
        "/assets/css/folio.css",
        &[("If-None-Match", &etag)],
        WAIT,
    );
    assert_eq!(again.status, 304);
    assert!(again.body.is_empty());
    let post = http::request(
        &server.address,
        "POST",
        "/",
        &[("Content-Length", "0")],
        WAIT,
    );
    assert_eq!(post.status, 405);
}

#[test]
fn nothing_outside_the_site_is_served() {
    let site = site();
    let secret = tempfile::NamedTempFile::new().unwrap();
    std::fs::write(secret.path(), "secret").unwrap();
    #[cfg(unix)]
    std::os::unix::fs::symlink(secret.path(), site.root().join("content/guide/leak.txt")).unwrap();
    let server = Server::start(site.root(), &[]);
    for path in [
        "/../site.toml",
        "/%2e%2e/site.toml",
        "/guide/%2E%2E/%2e%2e/site.toml",
        "/guide/..%2f..%2fsite.toml",
        "//etc/passwd",
        "/%2F%2Fetc/passwd",
        "/guide/%5c..%5c..%5csite.toml",
        "/%00",
    ] {
        let response = server.get(path);
        assert!(
            matches!(response.status, 400 | 404),
            "{path}: {}",
            response.status
        );
        assert!(
            !response.text().contains("title = \"Live\""),
            "{path} leaked site.toml"
        );
    }
    // Decoded once: %252e is a literal "%2e" segment, which matches nothing.
    assert_eq!(server.get("/%252e%252e/site.toml").status, 404);
    // A symbolic link out of the site is not followed.
    let leak = server.get("/guide/leak.txt");
    assert_eq!(leak.status, 404);
    assert!(!leak.text().contains("secret"));
    let absolute = http::request(
        &server.address,
        "GET",
        "http://evil.example/../site.toml",
        &[],
        WAIT,
    );
    assert!(matches!(absolute.status, 400 | 404), "{}", absolute.status);
}

#[test]
fn a_body_edit_rebuilds_one_page() {
    let site = site();
    let server = Server::start(site.root(), &[]);
    let epoch = server.epoch();
    site.write(
        "content/guide/setup.md",
        &md(
            "title: Setup\nparent: Guide\nnav_order: 1",
            "Edited setup text.\n",
        ),
    );
    let event = next_event(&server, epoch);
    assert_eq!(event["markdown"], 1, "{event}");
    assert_eq!(event["pages"], 1, "{event}");
    let html: Vec<String> = changed(&event)
        .into_iter()
        .filter(|p| p.ends_with(".html"))
        .collect();
    assert_eq!(html[0], "guide/setup/index.html", "{event}");
    // The print page holds every page's body: it follows in an event of its own (or in the
    // same one, for a poll that came after both).
    if !html.contains(&"print/index.html".to_string()) {
        assert_eq!(html.len(), 1, "{event}");
        let books = server
            .poll(event["epoch"].as_u64().unwrap(), WAIT)
            .expect("the print page's event");
        assert!(only_books(&books), "{books}");
        assert!(changed(&books).contains(&"print/index.html".to_string()));
    }
    assert!(server.get("/print/").text().contains("Edited setup text."));
    assert!(
        server
            .get("/guide/setup/")
            .text()
            .contains("Edited setup text.")
    );
}

#[test]
fn the_search_index_follows_edits() {
    let site = site();
    let server = Server::start(site.root(), &[]);
    // A small site's whole index is in meta.js, made when first asked for.
    let meta = server.get("/search/meta.js");
    assert_eq!(meta.status, 200);
    assert_eq!(
        meta.header("Content-Type"),
        Some("text/javascript; charset=utf-8")
    );
    assert!(
        meta.text().starts_with("folioSearch.meta("),
        "{}",
        meta.text()
    );
    assert!(meta.text().contains("\"usage\""), "{}", meta.text());
    assert!(!meta.text().contains("xylophone"));

    let epoch = server.epoch();
    site.write(
        "content/other.md",
        &md("title: Other\nnav_order: 3", "A xylophone solo.\n"),
    );
    let event = next_event(&server, epoch);
    assert!(
        !changed(&event).iter().any(|p| p.starts_with("search/")),
        "browsers are not reloaded for the index: {event}"
    );
    let meta = server.get("/search/meta.js").text();
    assert!(meta.contains("\"xylophone\""), "{meta}");
    assert!(meta.contains("A xylophone solo."), "{meta}");

    // Turning search off takes the index away.
    let epoch = server.epoch();
    site.write("site.toml", "title = \"Live\"\n[search]\nenabled = false\n");
    next_event(&server, epoch);
    assert_eq!(server.get("/search/meta.js").status, 404);
}

#[test]
fn a_link_broken_by_an_edit_elsewhere_is_reported_while_serving() {
    let site = site();
    site.write(
        "content/other.md",
        &md(
            "title: Other\nnav_order: 3",
            "See [the steps](guide/setup.md#steps).\n",
        ),
    );
    site.write(
        "content/guide/setup.md",
        &md(
            "title: Setup\nparent: Guide\nnav_order: 1",
            "## Steps\n\nOne.\n",
        ),
    );
    let mut server = Server::start(site.root(), &[]);
    assert!(
        !server.output().contains("is not an anchor"),
        "{}",
        server.output()
    );

    // The heading is renamed in setup.md; the link that breaks is in other.md.
    let epoch = server.epoch();
    site.write(
        "content/guide/setup.md",
        &md(
            "title: Setup\nparent: Guide\nnav_order: 1",
            "## Stages\n\nOne.\n",
        ),
    );
    next_event(&server, epoch);
    let line = server.wait_for_line("is not an anchor", Duration::from_secs(10));
    assert!(
        line.contains("5:5: warning: `#steps` is not an anchor of `Setup`"),
        "{line}"
    );
    assert!(
        server.output().contains("content/other.md"),
        "{}",
        server.output()
    );
    // The help comes on a line of its own, which may still be on its way.
    server.wait_for_line("did you mean `#stages`?", Duration::from_secs(10));
}

#[test]
fn a_title_change_renders_every_layout_but_only_one_page_of_markdown() {
    let site = site();
    let server = Server::start(site.root(), &[]);
    let epoch = server.epoch();
    site.write(
        "content/guide/usage.md",
        &md(
            "title: Using it\nparent: Guide\nnav_order: 2",
            "Usage text. ![pic](pic.png)\n",
        ),
    );
    let event = next_event(&server, epoch);
    assert_eq!(event["markdown"], 1, "{event}");
    assert_eq!(event["pages"], 5, "{event}");
    let changed = changed(&event);
    // The sidebar of every page shows the Guide's children only on the Guide's branch; the
    // previous/next links of Setup and Other name the page too.
    for page in [
        "guide/usage/index.html",
        "guide/index.html",
        "guide/setup/index.html",
        "other/index.html",
    ] {
        assert!(
            changed.contains(&page.to_string()),
            "{page} not in {changed:?}"
        );
    }
    assert!(changed.contains(&"nav.json".to_string()));
    assert!(server.get("/guide/").text().contains("Using it"));
}

#[test]
fn new_renamed_and_deleted_pages_are_picked_up() {
    let site = site();
    let server = Server::start(site.root(), &[]);
    let epoch = server.epoch();
    site.write(
        "content/guide/new.md",
        &md("title: Brand new\nparent: Guide\nnav_order: 3", "Fresh.\n"),
    );
    let event = next_event(&server, epoch);
    assert!(
        changed(&event).contains(&"guide/new/index.html".to_string()),
        "{event}"
    );
    assert!(server.get("/guide/new/").text().contains("Fresh."));
    assert!(server.get("/guide/").text().contains("Brand new"));

    let epoch = event["epoch"].as_u64().unwrap();
    std::fs::rename(
        site.root().join("content/guide/new.md"),
        site.root().join("content/guide/renamed.md"),
    )
    .unwrap();
    let event = next_event(&server, epoch);
    let list = changed(&event);
    assert!(
        list.contains(&"guide/new/index.html".to_string())
            && list.contains(&"guide/renamed/index.html".to_string()),
        "{event}"
    );
    assert_eq!(server.get("/guide/new/").status, 404);
    assert!(server.get("/guide/renamed/").text().contains("Fresh."));

    let epoch = event["epoch"].as_u64().unwrap();
    std::fs::remove_file(site.root().join("content/guide/renamed.md")).unwrap();
    let event = next_event(&server, epoch);
    assert!(
        changed(&event).contains(&"guide/renamed/index.html".to_string()),
        "{event}"
    );
    assert_eq!(server.get("/guide/renamed/").status, 404);
    assert!(!server.get("/guide/").text().contains("Brand new"));
}

#[test]
fn templates_and_stylesheets() {
    let site = site();
    let server = Server::start(site.root(), &[]);
    let epoch = server.epoch();
    site.write(
        "templates/partials/footer.html",
        "<footer class=\"site-footer\">Live footer</footer>",
    );
    let event = next_event(&server, epoch);
    assert_eq!(
        event["markdown"], 0,
        "templates reuse the rendered Markdown: {event}"
    );
    assert_eq!(event["pages"], 5, "{event}");
    assert!(server.get("/other/").text().contains("Live footer"));

    let epoch = event["epoch"].as_u64().unwrap();
    site.write(
        "static/assets/css/folio.css",
        "body { color: rebeccapurple }\n",
    );
    let event = next_event(&server, epoch);
    assert_eq!(changed(&event), ["assets/css/folio.css"], "{event}");
    assert_eq!(event["styles"], true);
    assert_eq!(event["reload_all"], false);
    assert_eq!(event["pages"], 0, "{event}");
    assert!(
        server
            .get("/assets/css/folio.css")
            .text()
            .starts_with("body { color: rebeccapurple }")
    );

    let epoch = event["epoch"].as_u64().unwrap();
    site.write("content/guide/pic.png", "png-2");
    let event = next_event(&server, epoch);
    let list = changed(&event);
    assert!(
        list.contains(&"guide/pic.png".to_string())
            && list.contains(&"guide/usage/index.html".to_string()),
        "pages showing an image reload: {event}"
    );
    assert_eq!(server.get("/guide/pic.png").body, b"png-2");
}

#[test]
fn errors_keep_the_last_good_site_and_show_an_overlay() {
    let site = site();
    let mut server = Server::start(site.root(), &[]);
    let epoch = server.epoch();
    site.write(
        "content/other.md",
        "---\ntitle: Other\nnav_order: [3\n---\nBroken text.\n",
    );
    let event = next_event(&server, epoch);
    let overlay = event["overlay"].as_str().expect("an overlay");
    assert!(overlay.contains("content/other.md:3:12"), "{overlay}");
    assert!(
        overlay.contains("nav_order: [3"),
        "source lines in the overlay: {overlay}"
    );
    let page = server.get("/other/").text();
    let article = &page[page.find("<article").unwrap()..page.find("</article>").unwrap()];
    assert!(
        article.contains("Other text.") && !article.contains("Broken text."),
        "the last good page stays"
    );
    assert!(
        page.contains("id=\"folio-overlay\""),
        "pages carry the overlay"
    );
    server.wait_for_line("3:12: error: the front matter is not valid YAML", WAIT);
    // The source lines follow the message.
    server.wait_for_line("nav_order: [3", WAIT);

    let epoch = event["epoch"].as_u64().unwrap();
    site.write(
        "templates/partials/footer.html",
        "<footer>{{ page.title </footer>",
    );
    let event = next_event(&server, epoch);
    assert!(
        event["overlay"]
            .as_str()
            .unwrap()
            .contains("templates/partials/footer.html:1"),
        "{event}"
    );

    let epoch = event["epoch"].as_u64().unwrap();
    std::fs::remove_file(site.root().join("templates/partials/footer.html")).unwrap();
    site.write(
        "content/other.md",
        &md("title: Other\nnav_order: 3", "Fixed text.\n"),
    );
    let event = next_event(&server, epoch);
    let event = if event["overlay"].is_null() {
        event
    } else {
        next_event(&server, event["epoch"].as_u64().unwrap())
    };
    assert!(
        event["overlay"].is_null(),
        "the next good save clears it: {event}"
    );
    let page = server.get("/other/").text();
    assert!(page.contains("Fixed text.") && !page.contains("folio-overlay\" role"));
}

#[test]
fn bursts_collapse_and_editor_files_are_ignored() {
    let site = site();
    let server = Server::start(site.root(), &[]);
    let epoch = server.epoch();
    site.write("content/.setup.md.swp", "swap");
    site.write("content/guide/usage.md~", "backup");
    site.write("content/4913", "vim probe");
    assert!(
        server.poll(epoch, Duration::from_millis(800)).is_none(),
        "no rebuild for editor files"
    );

    for name in [
        "index",
        "other",
        "guide/index",
        "guide/setup",
        "guide/usage",
    ] {
        let path = site.root().join(format!("content/{name}.md"));
        let text = std::fs::read_to_string(&path).unwrap();
        std::fs::write(&path, format!("{text}\nOne more line.\n")).unwrap();
    }
    let event = next_event(&server, epoch);
    assert_eq!(event["markdown"], 5, "one rebuild for the burst: {event}");
    let mut epoch = event["epoch"].as_u64().unwrap();
    // Then at most the print page's event.
    if let Some(books) = server.poll(epoch, Duration::from_millis(800)) {
        assert!(only_books(&books), "and only one: {books}");
        epoch = books["epoch"].as_u64().unwrap();
    }
    assert!(
        server.poll(epoch, Duration::from_millis(800)).is_none(),
        "and only one"
    );
}

#[test]
fn a_broken_site_can_be_served_and_fixed() {
    let site = Site::new(&[
        ("site.toml", "titel = \"typo\"\n"),
        ("content/index.md", &md("title: Home", "Hello.\n")),
    ]);
    let server = Server::start(site.root(), &[]);
    let page = server.get("/");
    assert_eq!(page.status, 404);
    assert!(
        page.text().contains("unknown key `titel`"),
        "{}",
        page.text()
    );
    let epoch = server.epoch();
    site.write("site.toml", "title = \"Fixed\"\n");
    let event = next_event(&server, epoch);
    assert!(event["overlay"].is_null(), "{event}");
    assert!(server.get("/").text().contains("Hello."));
}

#[test]
fn polls_are_bounded_and_binding_is_loopback() {
    let site = site();
    let server = Server::start(site.root(), &[]);
    assert!(
        server.address.starts_with("127.0.0.1:"),
        "{}",
        server.address
    );
    // More browsers wait for changes than the server holds: the extra ones are told to retry.
    let address = server.address.clone();
    let polls: Vec<_> = (0..72)
        .map(|_| {
            let address = address.clone();
            std::thread::spawn(move || {
                let started = std::time::Instant::now();
                let response = http::request(
                    &address,
                    "GET",
                    "/__folio/poll?epoch=999",
                    &[],
                    Duration::from_secs(40),
                );
                (
                    response.status,
                    response.header("Retry-After").map(str::to_string),
                    started.elapsed(),
                )
            })
        })
        .collect();
    std::thread::sleep(Duration::from_millis(500));
    assert_eq!(
        server.get("/").status,
        200,
        "pages are served while polls are held"
    );
    let results: Vec<_> = polls.into_iter().map(|p| p.join().unwrap()).collect();
    let refused: Vec<_> = results.iter().filter(|r| r.0 == 503).collect();
    let held: Vec<_> = results.iter().filter(|r| r.0 == 200).collect();
    assert_eq!(held.len(), 64, "{results:?}");
    assert_eq!(refused.len(), 8, "{results:?}");
    assert!(
        refused
            .iter()
            .all(|r| r.1.as_deref() == Some("1") && r.2 < Duration::from_secs(5))
    );
}

#[test]
fn the_default_port_moves_when_taken_and_other_addresses_warn() {
    let site = site();
    // Taken here, or already by something else on this machine: either way it is taken.
    let _taken = std::net::TcpListener::bind("127.0.0.1:4000");
    let mut server = Server::start_on_default_port(site.root());
    let line = server.wait_for_line("is taken", WAIT);
    assert!(line.contains("Port 4000 is taken; using "), "{line}");
    assert_ne!(server.address, "127.0.0.1:4000");
    assert_eq!(server.get("/").status, 200);
    drop(server);

    let mut open = Server::start(site.root(), &["--bind", "0.0.0.0"]);
    open.wait_for_line("warning: serving on 0.0.0.0", WAIT);
}

#[test]
fn polling_finds_changes_without_file_events() {
    let site = site();
    let server = Server::start(site.root(), &["--poll"]);
    let epoch = server.epoch();
    site.write(
        "content/other.md",
        &md("title: Other\nnav_order: 3", "Polled text.\n"),
    );
    let event = next_event(&server, epoch);
    assert!(
        changed(&event).contains(&"other/index.html".to_string()),
        "{event}"
    );
    assert!(server.get("/other/").text().contains("Polled text."));
}

#[test]
fn serve_help_lists_its_options() {
    let dir = tempfile::tempdir().unwrap();
    let out = common::folio(&["serve", "--help"], dir.path());
    let help = String::from_utf8_lossy(&out.stdout);
    for flag in ["--root", "--bind", "--port", "--drafts", "--open", "--poll"] {
        assert!(help.contains(flag), "{flag} missing from serve --help");
    }
    assert!(
        help.contains("[default: 127.0.0.1]") && help.contains("default 4000"),
        "{help}"
    );
}

#[test]
fn pages_are_served_while_the_site_is_first_rendered() {
    // Big enough that rendering every page takes seconds, as a 10,000-page site does.
    let site = Site::new(&[("content/index.md", &md("title: Home", "# Home\n"))]);
    let code = "```rust\nfn main() { println!(\"hello\"); }\n```\n\n".repeat(20);
    for n in 0..2000 {
        site.write(
            &format!("content/page-{n}.md"),
            &md(
                &format!("title: Page {n}"),
                &format!("# Page {n}\n\n{code}"),
            ),
        );
    }
    let mut server = Server::start(site.root(), &[]);
    let early = server.get("/page-1234/");
    assert_eq!(early.status, 200);
    assert!(early.text().contains("Page 1234"));
    assert!(
        !server.output().contains("Built 2001 pages"),
        "the page came before the whole site was rendered"
    );
    assert_eq!(server.get("/page-1234").status, 301, "folders redirect");
    assert_eq!(server.get("/no-such-page/").status, 404);
    // The search index needs every page: its files wait for the render, which takes long
    // in a debug build on a busy machine (the point is the answer, not its time).
    let whole_render = Duration::from_secs(600);
    let meta = http::request(&server.address, "GET", "/search/meta.js", &[], whole_render);
    assert_eq!(meta.status, 200);
    server.wait_for_line("Built 2001 pages in memory", whole_render);
    let later = server.get("/page-1234/");
    assert_eq!(later.text(), early.text(), "the same page either way");
}
