//! Search as a reader uses it, in headless Chromium: the handbook served over HTTP and opened
//! from disk (`folio build --offline`), and a small site in Chinese and Japanese.
//!
//! Ignored by a plain `cargo test` (they need Chromium); `.ci/run` runs them.

#[path = "common/browser.rs"]
mod chrome;
mod common;
#[path = "common/server.rs"]
mod server;

use std::path::{Path, PathBuf};
use std::sync::OnceLock;
use std::time::Duration;

use common::md;
use headless_chrome::browser::tab::ModifierKey;
use server::StaticServer;

fn handbook() -> &'static Path {
    static BUILT: OnceLock<PathBuf> = OnceLock::new();
    BUILT.get_or_init(|| common::build_handbook("search-tests-site", &[]))
}

fn offline_handbook() -> &'static Path {
    static BUILT: OnceLock<PathBuf> = OnceLock::new();
    BUILT.get_or_init(|| common::build_handbook("search-tests-offline", &["--offline"]))
}

/// Types `query` into the focused search box (after clearing it) and waits for its results.
fn search(page: &chrome::Page, query: &str) {
    page.eval("document.querySelector('.search-input').select()");
    page.type_text(query);
    let expected = serde_json::to_string(query).unwrap();
    page.wait_for(&format!(
        "document.querySelector('.search-panel').getAttribute('data-query') === {expected} \
         && !document.querySelector('.search-panel').hidden"
    ));
}

/// The results shown: (title with section, breadcrumb) of each.
fn results(page: &chrome::Page) -> Vec<(String, String)> {
    let found = page.eval_str(
        "JSON.stringify(Array.from(document.querySelectorAll('.search-result a')).map(a => {\
           const section = a.querySelector('.search-result-section'); \
           const whole = a.querySelector('.search-result-title').textContent; \
           const title = section ? whole.slice(0, whole.length - section.textContent.length - 1) : whole; \
           const path = a.querySelector('.search-result-path'); \
           return [section ? title + ' › ' + section.textContent : title, path ? path.textContent : '']; }))",
    );
    serde_json::from_str(&found).unwrap()
}

fn top_result(page: &chrome::Page) -> String {
    results(page)
        .first()
        .map(|(title, _)| title.clone())
        .unwrap_or_else(|| {
            panic!(
                "no results: {}",
                page.eval_str("document.querySelector('.search-status').textContent")
            )
        })
}

#[test]
#[ignore = "needs chromium"]
fn typing_a_query_shows_the_expected_results() {
    let server = StaticServer::start(handbook());
    let browser = chrome::launch();
    let page = chrome::open(&browser, 1280, 900);
    page.goto(&server.url("/"));

    // `/` goes to the search box from anywhere on the page.
    page.press("/");
    page.wait_for("document.activeElement === document.querySelector('.search-input')");

    search(&page, "paxos");
    assert_eq!(top_result(&page), "Paxos");
    assert_eq!(
        results(&page)[0].1,
        "Advanced Topics › Consensus Algorithms"
    );
    assert!(
        page.eval_bool(
            "document.querySelector('.search-result a').querySelectorAll('mark').length > 0"
        ),
        "matched words are marked in the result"
    );

    // A section of a page: heading matches rank first.
    search(&page, "leader election");
    assert_eq!(top_result(&page), "Raft › Leader election");

    // Prefixes as the reader types, and one typo in a longer word.
    search(&page, "fencing tok");
    assert_eq!(top_result(&page), "Distributed Locking › Fencing tokens");
    search(&page, "idempotnecy");
    let titles: Vec<String> = results(&page).into_iter().map(|(t, _)| t).collect();
    assert!(!titles.is_empty(), "a typo still finds pages");
    assert!(
        page.eval_bool("Array.from(document.querySelectorAll('.search-result mark')).some(m => /^idempoten/i.test(m.textContent))"),
        "the corrected word is marked"
    );

    // Code: command names split like the text is.
    search(&page, "SET NX PX");
    assert_eq!(top_result(&page), "Distributed Locking › Locks in Redis");

    // Words that are stop words elsewhere.
    search(&page, "the");
    assert!(!results(&page).is_empty());

    // Nothing found says so.
    search(&page, "zzzqqq");
    assert!(results(&page).is_empty());
    assert!(
        page.eval_str("document.querySelector('.search-status').textContent")
            .contains("No results")
    );

    // Esc closes the results; Ctrl-K comes back to the box.
    page.press("Escape");
    page.wait_for("document.querySelector('.search-panel').hidden");
    page.eval("document.activeElement.blur()");
    page.press_with("k", ModifierKey::Ctrl);
    page.wait_for("document.activeElement === document.querySelector('.search-input')");
    assert!(page.errors().is_empty(), "{:?}", page.errors());
}

/// Opens the first result with the keyboard and checks the section it lands on.
fn open_first_result_with_keyboard(page: &chrome::Page, expected_id: &str) {
    page.press("ArrowDown");
    page.wait_for("document.activeElement.closest('.search-result') !== null");
    page.press("ArrowDown");
    page.press("ArrowUp");
    page.wait_for("document.activeElement === document.querySelector('.search-result a')");
    page.press("Enter");
    page.wait_for(&format!(
        "location.hash === '#{expected_id}' && document.readyState === 'complete' \
         && document.querySelector('.search-target') !== null"
    ));
    assert_eq!(
        page.eval_str("document.querySelector('.search-target').id"),
        expected_id
    );
    // The section comes on screen (the scroll may be animated) and its words are marked.
    page.wait_for(&format!(
        "(() => {{ const top = document.getElementById('{expected_id}').getBoundingClientRect().top; \
           return top >= 0 && top < 300; }})()"
    ));
    let heading_top = page
        .eval(&format!(
            "document.getElementById('{expected_id}').getBoundingClientRect().top"
        ))
        .as_f64()
        .unwrap();
    assert!(
        (0.0..300.0).contains(&heading_top),
        "the heading is at the top: {heading_top}"
    );
    assert!(page.eval_bool(&format!(
        "(() => {{ const h = document.getElementById('{expected_id}'); \
           return Array.from(document.querySelectorAll('mark.search-hit')).some(m => \
             h.compareDocumentPosition(m) & Node.DOCUMENT_POSITION_FOLLOWING); }})()"
    )));
}

#[test]
#[ignore = "needs chromium"]
fn keyboard_opens_a_result_and_the_section_is_highlighted() {
    let server = StaticServer::start(handbook());
    let browser = chrome::launch();
    let page = chrome::open(&browser, 1280, 900);
    page.goto(&server.url("/guide/"));
    page.click(".search-input");
    search(&page, "log replication");
    assert_eq!(top_result(&page), "Raft › Log replication");
    open_first_result_with_keyboard(&page, "log-replication");
    assert!(
        page.tab
            .get_url()
            .starts_with(&server.url("/advanced-topics/consensus/raft/?h="))
    );
    assert!(page.errors().is_empty(), "{:?}", page.errors());
}

#[test]
#[ignore = "needs chromium"]
fn search_works_from_disk() {
    let site = offline_handbook();
    let browser = chrome::launch();
    let page = chrome::open(&browser, 1280, 900);
    let home = format!("file://{}/index.html", site.display());
    page.goto(&home);
    // The page is styled and its links name files.
    assert_eq!(
        page.eval_str("getComputedStyle(document.querySelector('.site-header')).position"),
        "sticky"
    );
    assert!(page.eval_bool(
        "Array.from(document.querySelectorAll('#site-nav a')).every(a => a.href.endsWith('.html'))"
    ));

    page.press("/");
    search(&page, "fencing tokens");
    assert_eq!(top_result(&page), "Distributed Locking › Fencing tokens");
    open_first_result_with_keyboard(&page, "fencing-tokens");
    let url = page.tab.get_url();
    assert!(
        url.starts_with(&format!(
            "file://{}/advanced-topics/distributed-locking/index.html?h=",
            site.display()
        )),
        "{url}"
    );
    assert!(page.errors().is_empty(), "{:?}", page.errors());
}

#[test]
#[ignore = "needs chromium"]
fn chinese_and_japanese_pages_are_found() {
    let site = common::Site::new(&[
        ("content/index.md", &md("title: Home", "Welcome.\n")),
        (
            "content/zh.md",
            &md(
                "title: 分布式系统",
                "## 一致性\n\n分布式系统中的一致性协议，例如 Raft 和 Paxos。\n",
            ),
        ),
        (
            "content/ja.md",
            &md(
                "title: ログの複製",
                "## 概要\n\nリーダーはログを複製します。\n",
            ),
        ),
        (
            "content/en.md",
            &md("title: Systems", "Distributed systems, in English.\n"),
        ),
    ]);
    site.build(&[]).clean();
    // A site this small gets its whole index in one file.
    assert!(!site.public().join("search/s").exists());
    let server = StaticServer::start(&site.public());
    let browser = chrome::launch();
    let page = chrome::open(&browser, 1280, 900);
    page.goto(&server.url("/"));
    page.click(".search-input");

    search(&page, "一致性协议");
    assert_eq!(top_result(&page), "分布式系统 › 一致性");
    search(&page, "分布式");
    assert_eq!(top_result(&page), "分布式系统");
    search(&page, "複製");
    assert_eq!(top_result(&page), "ログの複製");
    search(&page, "distributed");
    let titles: Vec<String> = results(&page).into_iter().map(|(t, _)| t).collect();
    assert_eq!(titles, ["Systems"]);
    assert!(page.errors().is_empty(), "{:?}", page.errors());
}

/// A site of 210 pages (enough for an index split into files loaded as needed) where only
/// "Page 7" mentions zebras.
fn zebra_site() -> common::Site {
    let mut files: Vec<(String, String)> = (0..210)
        .map(|n| {
            let body = if n == 7 {
                "A zebra crossing.\n"
            } else {
                "Plain words.\n"
            };
            (
                format!("content/p{n}.md"),
                md(&format!("title: Page {n}"), body),
            )
        })
        .collect();
    files.push(("content/index.md".into(), md("title: Home", "Welcome.\n")));
    let files: Vec<(&str, &str)> = files
        .iter()
        .map(|(p, t)| (p.as_str(), t.as_str()))
        .collect();
    let site = common::Site::new(&files);
    site.build(&[]).clean();
    assert!(
        site.public().join("search/s").is_dir(),
        "the index is split"
    );
    site
}

/// The script gives a file 8 s before it asks again.
const STALL_WAIT: Duration = Duration::from_secs(30);

/// Types "zebra" into the search box of the zebra site, served so that the first `stalls`
/// shard requests hang (as a stalled network request would); `then` goes on from there and
/// must end with the results shown.
fn search_with_stalls(stalls: usize, then: impl FnOnce(&chrome::Page)) {
    let site = zebra_site();
    let server = StaticServer::start_stalling(&site.public(), Some("/search/s/"), stalls);
    let browser = chrome::launch();
    let page = chrome::open(&browser, 1280, 900);
    page.goto(&server.url("/"));
    page.click(".search-input");
    page.type_text("zebra");
    then(&page);
    assert_eq!(top_result(&page), "Page 7");
    assert!(page.errors().is_empty(), "{:?}", page.errors());
}

#[test]
#[ignore = "needs chromium"]
fn a_stalled_index_file_is_asked_for_again_at_once() {
    search_with_stalls(1, |page| {
        // No keystroke needed: the second request comes by itself.
        page.wait_for_within(
            "document.querySelectorAll('.search-result').length > 0",
            STALL_WAIT,
        );
    });
}

#[test]
#[ignore = "needs chromium"]
fn a_file_that_stalls_twice_fails_the_query_and_the_next_keystroke_asks_again() {
    search_with_stalls(2, |page| {
        page.wait_for_within(
            "document.querySelector('.search-status').textContent.includes('did not arrive within 8 s')",
            STALL_WAIT,
        );
        page.press("Backspace");
        page.wait_for("document.querySelectorAll('.search-result').length > 0");
    });
}
