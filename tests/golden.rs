//! Golden fixture sites: every folder under tests/fixtures/ that has an `expected/` folder is
//! built by the real binary, and what a reader and a writer see is compared with what is
//! stored there: each page's main content (`<main>`, as the HTML parser reads it), nav.json,
//! and the build's report on stderr.
//!
//! After an intended change to the output, bless the new output and review the diff:
//!
//!     FOLIO_BLESS=1 cargo test --test golden
//!     git diff tests/fixtures

mod common;

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use common::{Site, folio};
use scraper::{Html, Selector};

/// Everything compared for one site, by file name under `expected/`.
fn observe(name: &str) -> BTreeMap<String, String> {
    let site = Site::fixture(name);
    let _ = std::fs::remove_dir_all(site.root().join("expected"));
    let output = folio(
        &["build", "--quiet", "--root", site.root().to_str().unwrap()],
        site.root(),
    );
    let root_text = site.root().to_string_lossy().into_owned();
    let stderr = String::from_utf8_lossy(&output.stderr).replace(&root_text, "<site>");
    let mut seen = BTreeMap::new();
    seen.insert(
        "stderr.txt".to_string(),
        format!("exit status: {:?}\n{stderr}", output.status.code()),
    );
    let public = site.public();
    if !public.is_dir() {
        return seen;
    }
    let main = Selector::parse("main").unwrap();
    for path in files(&public) {
        let relative = path
            .strip_prefix(&public)
            .unwrap()
            .to_string_lossy()
            .replace('\\', "/");
        if relative.ends_with(".html") {
            let text = std::fs::read_to_string(&path).unwrap();
            let html = Html::parse_document(&text);
            let content = html
                .select(&main)
                .next()
                .map(|m| m.html())
                .unwrap_or_else(|| format!("(no <main> in {relative})"));
            seen.insert(format!("pages/{relative}"), content + "\n");
        } else if relative == "nav.json" {
            let json: serde_json::Value =
                serde_json::from_str(&std::fs::read_to_string(&path).unwrap()).unwrap();
            seen.insert(
                relative,
                serde_json::to_string_pretty(&json).unwrap() + "\n",
            );
        }
    }
    seen
}

fn files(dir: &Path) -> Vec<PathBuf> {
    let mut found = Vec::new();
    for entry in std::fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        if path.is_dir() {
            found.extend(files(&path));
        } else {
            found.push(path);
        }
    }
    found.sort();
    found
}

fn stored(dir: &Path) -> BTreeMap<String, String> {
    if !dir.is_dir() {
        return BTreeMap::new();
    }
    files(dir)
        .into_iter()
        .map(|path| {
            let name = path
                .strip_prefix(dir)
                .unwrap()
                .to_string_lossy()
                .replace('\\', "/");
            (name, std::fs::read_to_string(&path).unwrap())
        })
        .collect()
}

/// The first line where two texts differ, for the failure message.
fn first_difference(expected: &str, actual: &str) -> String {
    let mut expected_lines = expected.lines();
    let mut actual_lines = actual.lines();
    for number in 1.. {
        match (expected_lines.next(), actual_lines.next()) {
            (None, None) => break,
            (a, b) if a == b => {}
            (a, b) => {
                return format!(
                    "line {number}:\n  expected: {}\n  actual:   {}",
                    a.unwrap_or("(end)"),
                    b.unwrap_or("(end)")
                );
            }
        }
    }
    "(same lines, different line endings)".into()
}

fn golden_sites() -> Vec<String> {
    let fixtures = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures");
    let mut names: Vec<String> = std::fs::read_dir(&fixtures)
        .unwrap()
        .filter_map(|entry| {
            let path = entry.ok()?.path();
            path.join("expected")
                .is_dir()
                .then(|| path.file_name()?.to_str().map(str::to_string))?
        })
        .collect();
    names.sort();
    names
}

#[test]
fn golden_sites_build_as_stored() {
    let bless = std::env::var_os("FOLIO_BLESS").is_some();
    let sites = golden_sites();
    assert!(
        sites.len() >= 3,
        "the golden fixtures are missing: {sites:?}"
    );
    let mut failures = Vec::new();
    for name in &sites {
        let expected_dir = Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("tests/fixtures")
            .join(name)
            .join("expected");
        let actual = observe(name);
        if bless {
            let _ = std::fs::remove_dir_all(&expected_dir);
            for (file, text) in &actual {
                let path = expected_dir.join(file);
                std::fs::create_dir_all(path.parent().unwrap()).unwrap();
                std::fs::write(path, text).unwrap();
            }
            continue;
        }
        let expected = stored(&expected_dir);
        for (file, text) in &actual {
            match expected.get(file) {
                None => failures.push(format!("{name}: new output `{file}`")),
                Some(stored) if stored != text => failures.push(format!(
                    "{name}: `{file}` differs at {}",
                    first_difference(stored, text)
                )),
                Some(_) => {}
            }
        }
        for file in expected.keys().filter(|f| !actual.contains_key(*f)) {
            failures.push(format!("{name}: `{file}` is no longer made"));
        }
    }
    assert!(
        failures.is_empty(),
        "{}\n\nIf the change is intended: FOLIO_BLESS=1 cargo test --test golden, then review git diff tests/fixtures",
        failures.join("\n")
    );
}
