//! `folio check` and the link checks of every build, run by the real binary on fixture sites:
//! exit codes, the exact file:line:column of each finding, suggestions, the three output
//! formats, and `--external` against a local HTTP server.

mod common;

use std::collections::HashMap;
use std::net::TcpListener;
use std::path::Path;
use std::sync::{Arc, Mutex};
use std::thread;
use std::time::{Duration, Instant};

use common::{Site, folio, md};
use serde_json::Value;

/// Runs `folio check --root <site>` with extra arguments.
fn check(site: &Site, args: &[&str]) -> std::process::Output {
    folio(
        &[&["check", "--root", site.root().to_str().unwrap()], args].concat(),
        site.root(),
    )
}

fn stdout(output: &std::process::Output) -> String {
    String::from_utf8_lossy(&output.stdout).into_owned()
}

fn stderr(output: &std::process::Output) -> String {
    String::from_utf8_lossy(&output.stderr).into_owned()
}

/// The findings of `folio check --format json`: (kind, file, line, column, target,
/// suggestion) each, in the report's order.
type Row = (String, String, u64, u64, String, String);

fn findings(site: &Site, extra: &[&str]) -> (i32, Vec<Row>, Value) {
    let output = check(site, &[&["--format", "json"], extra].concat());
    let json: Value = serde_json::from_str(&stdout(&output))
        .unwrap_or_else(|err| panic!("{err}: {}\n{}", stdout(&output), stderr(&output)));
    let text = |v: &Value| v.as_str().unwrap_or_default().to_string();
    let rows = json["findings"]
        .as_array()
        .expect("a list of findings")
        .iter()
        .map(|f| {
            (
                text(&f["kind"]),
                text(&f["file"]),
                f["line"].as_u64().unwrap_or(0),
                f["column"].as_u64().unwrap_or(0),
                text(&f["target"]),
                text(&f["suggestion"]),
            )
        })
        .collect();
    (output.status.code().unwrap_or(-1), rows, json)
}

fn row(kind: &str, file: &str, line: u64, column: u64, target: &str, suggestion: &str) -> Row {
    (
        kind.into(),
        file.into(),
        line,
        column,
        target.into(),
        suggestion.into(),
    )
}

/// A site where every way of linking that must work does.
fn good_site() -> Site {
    Site::new(&[
        (
            "site.toml",
            "title = \"Good\"\nbase_url = \"https://example.org/hb/\"\n",
        ),
        (
            "content/index.md",
            &md(
                "title: Home",
                "# Home\n\n\
                 [relative](guide/setup.md#install) [folder](guide/)\n\
                 [absolute](/guide/setup) [slash](/guide/setup/#install) [base](/hb/guide/setup/)\n\
                 [permalink](/the-faq/) [permalink without slash](/the-faq#why)\n\
                 [same page](#home) [top](#top) [raw id](guide/setup.md#raw-box)\n\
                 ![diagram](guide/diagram.svg) [file](/guide/diagram.svg) [web](https://example.com/)\n\n\
                 <p><a href=\"guide/setup/#install\">raw</a> <img src=\"/hb/guide/diagram.svg\" alt=\"\"></p>\n",
            ),
        ),
        (
            "content/guide/index.md",
            &md("title: Guide\nhas_children: true", "Guide.\n"),
        ),
        (
            "content/guide/setup.md",
            &md(
                "title: Setup\nparent: Guide",
                "## Install\n\n<div id=\"raw-box\">boxed</div>\n\nFootnote[^1].\n\n[^1]: Note.\n",
            ),
        ),
        (
            "content/guide/diagram.svg",
            "<svg xmlns=\"http://www.w3.org/2000/svg\"/>",
        ),
        (
            "content/faq.md",
            &md("title: FAQ\npermalink: /the-faq/", "## Why\n\nBecause.\n"),
        ),
    ])
}

#[test]
fn a_site_whose_links_all_work_passes_and_nothing_is_written() {
    let site = good_site();
    let output = check(&site, &[]);
    assert_eq!(output.status.code(), Some(0), "{}", stderr(&output));
    assert_eq!(stdout(&output), "Checked 4 pages: no problems.\n");
    assert_eq!(stderr(&output), "");
    assert!(!site.root().join("public").exists(), "check writes nothing");
    let (code, rows, json) = findings(&site, &[]);
    assert_eq!((code, rows.len()), (0, 0));
    assert_eq!(
        (json["errors"].as_u64(), json["warnings"].as_u64()),
        (Some(0), Some(0))
    );
    site.build(&["--strict"]).clean();
}

/// A site with one of each broken link, at known places.
fn broken_site() -> Site {
    Site::new(&[
        ("site.toml", "title = \"Broken\"\n"),
        (
            "content/index.md",
            // Line 5 is the first line of the body.
            &md(
                "title: Home\nnav_order: 1",
                "# Home\n\n\
                 See [setup](guide/setup.md#instal) and [gone](guide/setpu.md).\n\
                 Also [typo](/guide/setpu/) and ![logo](logo.png) and [here](#hme).\n\
                 And [nowhere](/advanced-topics/consensus) too.\n",
            ),
        ),
        (
            "content/guide/setup.md",
            &md(
                "title: Setup",
                "## Install\n\nSee [home](../index.md#homee).\n",
            ),
        ),
    ])
}

#[test]
fn each_broken_link_is_reported_at_its_line_and_column_with_a_suggestion() {
    let site = broken_site();
    let (code, rows, json) = findings(&site, &[]);
    assert_eq!(code, 1);
    assert_eq!(
        rows,
        [
            row(
                "missing-anchor",
                "content/guide/setup.md",
                6,
                5,
                "../index.md#homee",
                "#home"
            ),
            row(
                "missing-anchor",
                "content/index.md",
                7,
                5,
                "guide/setup.md#instal",
                "#install"
            ),
            row(
                "broken-link",
                "content/index.md",
                7,
                40,
                "guide/setpu.md",
                "guide/setup.md"
            ),
            row(
                "broken-link",
                "content/index.md",
                8,
                6,
                "/guide/setpu/",
                "/guide/setup/"
            ),
            row("missing-file", "content/index.md", 8, 32, "logo.png", ""),
            row("missing-anchor", "content/index.md", 8, 54, "#hme", "#home"),
            row(
                "broken-link",
                "content/index.md",
                9,
                5,
                "/advanced-topics/consensus",
                ""
            ),
        ]
    );
    assert_eq!(json["errors"].as_u64(), Some(7));
    let first = &json["findings"][0];
    assert_eq!(first["severity"], "error");
    assert_eq!(
        first["message"],
        "`#homee` is not an anchor of `Home` (content/index.md)"
    );
    assert_eq!(
        first["help"],
        "did you mean `#home`? (the page's anchors: #home)"
    );
}

#[test]
fn human_and_github_formats() {
    let site = broken_site();
    let output = check(&site, &[]);
    assert_eq!(output.status.code(), Some(1));
    let human = stderr(&output);
    assert!(
        human.starts_with("content/guide/setup.md\n  6:5: error: `#homee` is not an anchor of `Home` (content/index.md)\n    6 | See [home](../index.md#homee).\n      |     ^\n      help: did you mean `#home`? (the page's anchors: #home)\n"),
        "{human}"
    );
    assert!(
        human.contains("content/index.md\n  7:5: error: `#instal` is not an anchor of `Setup` (content/guide/setup.md)\n"),
        "{human}"
    );
    assert!(
        human.contains("  8:6: error: link `/guide/setpu/` leads nowhere: no page or file of the site is at `/guide/setpu/`\n    8 | Also [typo](/guide/setpu/) and ![logo](logo.png) and [here](#hme).\n      |      ^\n      help: did you mean `/guide/setup/`?\n"),
        "{human}"
    );
    assert!(human.ends_with("Check failed: 7 problems.\n"), "{human}");

    let output = check(&site, &["--format", "github"]);
    assert_eq!(output.status.code(), Some(1));
    let lines: Vec<String> = stdout(&output).lines().map(str::to_string).collect();
    assert_eq!(lines.len(), 7, "{lines:#?}");
    assert_eq!(
        lines[0],
        "::error file=content/guide/setup.md,line=6,col=5,title=missing-anchor::`#homee` is not an anchor of `Home` (content/index.md) (help: did you mean `#home`? (the page's anchors: #home))"
    );
    assert_eq!(
        lines[6],
        "::error file=content/index.md,line=9,col=5,title=broken-link::link `/advanced-topics/consensus` leads nowhere: no page or file of the site is at `/advanced-topics/consensus` (help: link to a page by its URL or permalink, or by its .md path relative to this page)"
    );
}

#[test]
fn a_build_warns_about_broken_links_and_strict_fails_without_touching_the_output() {
    let site = broken_site();
    let built = site.build(&[]).ok();
    let warnings = built.stderr().matches("warning:").count();
    assert_eq!(warnings, 7, "{}", built.stderr());
    let before = std::fs::read(site.public().join("index.html")).unwrap();
    site.write(
        "content/index.md",
        &md("title: Home", "Changed, with [a gap](/nope/).\n"),
    );
    let failed = site.build(&["--strict"]).failed();
    assert!(
        failed.stderr().contains("4:15: error: link `/nope/`"),
        "{}",
        failed.stderr()
    );
    assert_eq!(
        std::fs::read(site.public().join("index.html")).unwrap(),
        before
    );
}

#[test]
fn the_section_index_written_like_the_seed_lists_each_missing_child_page() {
    // tests/fixtures/handbook's Advanced Topics index links to child pages not written yet,
    // as the handbook's own seed page does.
    let site = Site::fixture("handbook");
    let (code, rows, _) = findings(&site, &[]);
    assert_eq!(code, 1);
    let file = "content/advanced-topics/index.md";
    assert_eq!(
        rows,
        [
            row(
                "broken-link",
                file,
                31,
                5,
                "/advanced-topics/leader-election",
                ""
            ),
            row(
                "broken-link",
                file,
                32,
                5,
                "/advanced-topics/quorum-reads",
                ""
            ),
            row(
                "broken-link",
                file,
                76,
                14,
                "/advanced-topics/leader-election",
                ""
            ),
        ]
    );
}

#[test]
fn links_in_raw_html_are_checked_as_the_browser_resolves_them() {
    let site = Site::new(&[
        (
            "site.toml",
            "title = \"Raw\"\nbase_url = \"https://example.org/hb/\"\n",
        ),
        (
            "content/index.md",
            &md(
                "title: Home",
                "# Home\n\n\
                 <div class=\"box\">\n\
                 <a href=\"guide/\">fine</a> <a href=\"/guide/\">no base path</a>\n\
                 <img src='shot.png' alt=''> <a href=\"guide/index.md\">source path</a>\n\
                 </div>\n\n\
                 Inline <a href=\"#nowhere\">anchor</a> too.\n",
            ),
        ),
        ("content/guide/index.md", &md("title: Guide", "Guide.\n")),
    ]);
    let (code, rows, _) = findings(&site, &[]);
    assert_eq!(code, 1);
    let file = "content/index.md";
    assert_eq!(
        rows,
        [
            row("broken-link", file, 7, 36, "/guide/", "/hb/guide/"),
            row("missing-file", file, 8, 11, "shot.png", ""),
            row("broken-link", file, 8, 38, "guide/index.md", ""),
            row("missing-anchor", file, 11, 17, "#nowhere", "")
        ]
    );
}

#[test]
fn nav_mistakes_are_findings_with_their_lines() {
    let site = Site::new(&[
        ("content/index.md", &md("title: Home", "Home.\n")),
        ("content/ops.md", &md("title: Operations", "Ops.\n")),
        (
            "content/deploy.md",
            &md("title: Deploy\nparent: Operation", "Typo in the parent.\n"),
        ),
        ("content/a/topic.md", &md("title: Topic", "One.\n")),
        ("content/b/topic.md", &md("title: Topic", "Two.\n")),
        (
            "content/detail.md",
            &md("title: Detail\nparent: Topic", "Under which Topic?\n"),
        ),
        (
            "content/loop.md",
            &md(
                "title: Operations\nparent: Operations",
                "Repeats its parent.\n",
            ),
        ),
        (
            "content/untitled.md",
            "---\nlayout: default\n---\nNo title.\n",
        ),
        (
            "content/hidden.md",
            "---\nnav_exclude: true\n---\nNo title, on purpose.\n",
        ),
    ]);
    let (code, rows, json) = findings(&site, &[]);
    assert_eq!(code, 1);
    let kinds: Vec<(&str, &str, u64)> = rows
        .iter()
        .map(|r| (r.0.as_str(), r.1.as_str(), r.2))
        .collect();
    assert_eq!(
        kinds,
        [
            ("nav-unknown-parent", "content/deploy.md", 3),
            ("nav-ambiguous-parent", "content/detail.md", 3),
            ("nav-title-repeats-ancestor", "content/loop.md", 2),
            ("nav-unreachable", "content/untitled.md", 1),
        ],
        "{json:#}"
    );
    assert!(
        json["findings"][0]["help"]
            .as_str()
            .unwrap()
            .contains("did you mean `Operations`?"),
        "{json:#}"
    );
}

#[test]
fn files_that_templates_refer_to_are_checked_at_the_template_line() {
    let theme_head = include_str!("../templates/partials/head.html");
    let broken = theme_head.replace(
        "asset_url(path=\"favicon.svg\")",
        "asset_url(path=\"favicon-missing.svg\")",
    );
    assert_ne!(broken, theme_head, "the theme's head names favicon.svg");
    let (line, column) = broken
        .lines()
        .enumerate()
        .find_map(|(n, l)| {
            l.find("favicon-missing.svg")
                .map(|c| (n as u64 + 1, c as u64 + 1))
        })
        .unwrap();
    let site = Site::new(&[
        ("content/index.md", &md("title: Home", "Home.\n")),
        ("content/other.md", &md("title: Other", "Other.\n")),
        ("templates/partials/head.html", &broken),
    ]);
    let (code, rows, _) = findings(&site, &[]);
    assert_eq!(code, 1);
    // Once, though two pages use the layout.
    assert_eq!(
        rows,
        [row(
            "missing-file",
            "templates/partials/head.html",
            line,
            column,
            "/favicon-missing.svg",
            ""
        )]
    );
}

#[test]
fn the_repository_handbook_passes() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let output = folio(&["check"], root);
    assert_eq!(output.status.code(), Some(0), "{}", stderr(&output));
    assert!(stdout(&output).ends_with(": no problems.\n"));
}

#[test]
fn usage_errors_exit_with_2() {
    let site = good_site();
    let output = check(&site, &["--format", "xml"]);
    assert_eq!(output.status.code(), Some(2));
    assert!(stderr(&output).contains("possible values: human, json, github"));
}

/// A web server for `--external`: answers by path and counts the requests to each.
struct WebServer {
    base: String,
    hang_base: String,
    counts: Arc<Mutex<HashMap<String, usize>>>,
    server: Arc<tiny_http::Server>,
}

impl WebServer {
    fn start() -> WebServer {
        let server = Arc::new(tiny_http::Server::http("127.0.0.1:0").expect("bind"));
        let port = server.server_addr().to_ip().unwrap().port();
        let counts: Arc<Mutex<HashMap<String, usize>>> = Arc::default();
        for _ in 0..4 {
            let server = Arc::clone(&server);
            let counts = Arc::clone(&counts);
            thread::spawn(move || {
                for request in server.incoming_requests() {
                    let path = request.url().to_string();
                    let seen = {
                        let mut counts = counts.lock().unwrap();
                        let count = counts.entry(path.clone()).or_insert(0);
                        *count += 1;
                        *count
                    };
                    let response = match path.as_str() {
                        "/ok" | "/skipped" => tiny_http::Response::empty(200),
                        "/moved" => tiny_http::Response::empty(301)
                            .with_header(tiny_http::Header::from_bytes("Location", "/ok").unwrap()),
                        "/busy" if seen == 1 => tiny_http::Response::empty(429).with_header(
                            tiny_http::Header::from_bytes("Retry-After", "1").unwrap(),
                        ),
                        "/busy" => tiny_http::Response::empty(200),
                        _ => tiny_http::Response::empty(404),
                    };
                    let _ = request.respond(response);
                }
            });
        }
        // A host that takes connections and never answers.
        let hang = TcpListener::bind("127.0.0.1:0").expect("bind");
        let hang_base = format!("http://127.0.0.1:{}", hang.local_addr().unwrap().port());
        thread::spawn(move || {
            let mut held = Vec::new();
            for stream in hang.incoming().flatten() {
                held.push(stream);
            }
        });
        WebServer {
            base: format!("http://127.0.0.1:{port}"),
            hang_base,
            counts,
            server,
        }
    }

    fn count(&self, path: &str) -> usize {
        self.counts.lock().unwrap().get(path).copied().unwrap_or(0)
    }
}

impl Drop for WebServer {
    fn drop(&mut self) {
        for _ in 0..4 {
            self.server.unblock();
        }
    }
}

#[test]
fn external_links_are_checked_over_http_with_retries_timeouts_a_cache_and_a_skip_list() {
    let web = WebServer::start();
    let base = &web.base;
    let body = format!(
        "# Links\n\n\
         [ok]({base}/ok#part)\n\
         [moved]({base}/moved)\n\
         [missing]({base}/missing)\n\
         [busy]({base}/busy)\n\
         [hangs]({hang}/slow)\n\
         [skipped]({base}/skipped)\n\
         [ok again]({base}/ok)\n",
        hang = web.hang_base
    );
    let site = Site::new(&[
        (
            "site.toml",
            &format!(
                "title = \"Web\"\n[check]\ntimeout = 1\ncache = \"cache/links.json\"\nskip_external = [\"{base}/skip*\"]\n"
            ),
        ),
        ("content/index.md", &md("title: Home", &body)),
    ]);

    // Without --external nothing is requested.
    let (code, rows, _) = findings(&site, &[]);
    assert_eq!((code, rows.len(), web.count("/ok")), (0, 0, 0));

    let started = Instant::now();
    let (code, rows, json) = findings(&site, &["--external"]);
    let took = started.elapsed();
    assert_eq!(code, 1, "{json:#}");
    let file = "content/index.md";
    assert_eq!(
        rows,
        [
            row(
                "moved-external-link",
                file,
                7,
                1,
                &format!("{base}/moved"),
                &format!("{base}/ok")
            ),
            row(
                "broken-external-link",
                file,
                8,
                1,
                &format!("{base}/missing"),
                ""
            ),
            row(
                "broken-external-link",
                file,
                10,
                1,
                &format!("{}/slow", web.hang_base),
                ""
            ),
        ],
        "{json:#}"
    );
    // A permanent redirect is a warning in a build, and like every finding an error here.
    assert_eq!(json["findings"][0]["severity"], "error");
    assert_eq!(
        json["findings"][1]["message"],
        format!("`{base}/missing` answers HTTP 404")
    );
    let timeout = json["findings"][2]["message"].as_str().unwrap();
    assert!(timeout.contains("timed out"), "{timeout}");
    // The 429 was retried after its Retry-After, and the hanging host cost about the timeout.
    assert_eq!(web.count("/busy"), 2);
    assert!(took < Duration::from_secs(20), "{took:?}");
    // One request for the two links to /ok (the fragment is not sent), none for the skip list.
    assert_eq!(
        web.count("/ok"),
        2,
        "HEAD /ok, and HEAD /ok after the redirect"
    );
    assert_eq!(web.count("/skipped"), 0);

    // A second run asks the cache for what was good, and the web for what was not.
    assert!(site.root().join("cache/links.json").is_file());
    let (code, rows, _) = findings(&site, &["--external"]);
    assert_eq!((code, rows.len()), (1, 3));
    assert_eq!(web.count("/ok"), 2, "answered from the cache");
    assert_eq!(web.count("/busy"), 2, "answered from the cache");
    assert_eq!(web.count("/missing"), 4, "HEAD and GET again, each run");
}
