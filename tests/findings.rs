//! One site, three commands: `folio build`, `folio check` and `folio serve` report the same
//! findings, at the same places, because they share one render pass and one place that
//! gathers findings. The server's findings are read over HTTP (`/__folio/findings`), also
//! after an edit.

mod common;
#[path = "common/http.rs"]
mod http;

use std::collections::BTreeSet;
use std::time::Duration;

use common::{Site, folio, md};
use http::Server;
use serde_json::Value;

/// A site with one finding of each source: the model (an unknown parent, an empty title), a
/// page render (an unknown code language), the link checks (a missing page, a missing
/// anchor) and a layout (a link to a page that does not exist).
fn site() -> Site {
    Site::new(&[
        ("site.toml", "title = \"Findings\"\n"),
        (
            "content/index.md",
            &md(
                "title: Home\nnav_order: 1",
                "# Home\n\nSee [setup](guide/setup.md#nowhere) and [gone](gone.md).\n",
            ),
        ),
        (
            "content/guide/index.md",
            &md("title: Guide\nnav_order: 2", "Guide text.\n"),
        ),
        (
            "content/guide/setup.md",
            &md(
                "title: Setup\nparent: Guide",
                "## Steps\n\n```klingon\nqapla'\n```\n",
            ),
        ),
        (
            "content/orphan.md",
            &md("title: Orphan\nparent: Nobody", "Text.\n"),
        ),
        ("content/untitled.md", &md("title: \"\"", "Text.\n")),
        (
            "templates/partials/footer.html",
            "<footer><a href=\"/nowhere/\">Nowhere</a></footer>\n",
        ),
    ])
}

/// What identifies a finding, whatever the command's severity policy (`check` reports
/// every finding as a problem).
fn keys(report: &Value) -> BTreeSet<String> {
    report["findings"]
        .as_array()
        .expect("a findings list")
        .iter()
        .map(|f| {
            let mut place = f["file"].as_str().unwrap_or("").to_string();
            for part in [&f["line"], &f["column"]] {
                if let Some(n) = part.as_u64() {
                    place.push_str(&format!(":{n}"));
                }
            }
            format!(
                "{} {place} {}",
                f["kind"].as_str().unwrap_or(""),
                f["message"].as_str().unwrap_or("")
            )
        })
        .collect()
}

fn check(site: &Site) -> BTreeSet<String> {
    let output = folio(
        &[
            "check",
            "--root",
            site.root().to_str().unwrap(),
            "--format",
            "json",
        ],
        site.root(),
    );
    let report: Value = serde_json::from_slice(&output.stdout).expect("check prints JSON");
    keys(&report)
}

/// The `path:line:col: warning: message` lines of a build's report.
fn build_warnings(site: &Site) -> BTreeSet<String> {
    let stderr = site.build(&[]).ok().stderr();
    let mut file = String::new();
    let mut found = BTreeSet::new();
    for line in stderr.lines() {
        if !line.starts_with(' ') && !line.is_empty() {
            file = line.to_string();
        } else if let Some(rest) = line.trim().split_once(": warning: ") {
            found.insert(format!("{file}:{} {}", rest.0, rest.1));
        }
    }
    found
}

fn server_findings(server: &Server) -> Value {
    server.get("/__folio/findings").json()
}

#[test]
fn build_check_and_serve_report_the_same_findings() {
    let site = site();
    let checked = check(&site);
    let expected_kinds = [
        "missing-anchor content/index.md",
        "broken-link content/index.md",
        "build content/guide/setup.md",
        "nav-unknown-parent content/orphan.md",
        "build content/untitled.md",
        "missing-file templates/partials/footer.html",
    ];
    for kind in expected_kinds {
        assert!(
            checked.iter().any(|f| f.starts_with(kind)),
            "no `{kind}` finding in {checked:#?}"
        );
    }

    // build prints the same findings, as warnings.
    let built = build_warnings(&site);
    let from_check: BTreeSet<String> = checked
        .iter()
        .map(|f| f.split_once(' ').unwrap().1.to_string())
        .collect();
    assert_eq!(built, from_check, "build and check disagree");

    let mut server = Server::start(site.root(), &[]);
    let served = server_findings(&server);
    assert_eq!(keys(&served), checked, "serve and check disagree");
    assert_eq!(served["errors"], 0, "serve keeps them warnings");

    // An edit on one page breaks a link on another: the findings follow the files.
    let epoch = server.epoch();
    site.write(
        "content/guide/setup.md",
        &md(
            "title: Setup\nparent: Guide",
            "## Stages\n\n```klingon\nqapla'\n```\n\n[home](../index.md#no-such)\n",
        ),
    );
    server
        .poll_rebuild(epoch, Duration::from_secs(20))
        .expect("a rebuild");
    let after = keys(&server_findings(&server));
    assert_ne!(after, checked, "the edit changed nothing");
    assert_eq!(
        after,
        check(&site),
        "after an edit, serve and check disagree"
    );
    let _ = server.output();
}
