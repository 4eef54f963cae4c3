//! What the preview server prints while it runs: findings through the one reporter
//! (`diagnostics::Report`), and a line per rebuild naming the files that changed.

use std::collections::HashSet;
use std::io::Write as _;
use std::path::{Path, PathBuf};

use super::live::Rebuild;
use crate::diagnostics::{Diagnostics, Report};

/// The server's terminal.
pub struct Log {
    root: PathBuf,
    report: Report,
}

impl Log {
    pub fn new(root: &Path, colors: bool) -> Log {
        Log {
            root: root.to_path_buf(),
            report: Report::new(root, colors),
        }
    }

    /// A line on stdout; a reader that has gone away is not an error.
    pub fn line(&self, text: &str) {
        let mut stdout = std::io::stdout().lock();
        let _ = writeln!(stdout, "{text}");
        let _ = stdout.flush();
    }

    fn stderr(&self, text: &str) {
        let _ = std::io::stderr().lock().write_all(text.as_bytes());
    }

    /// The errors that keep the last good version served.
    pub fn errors(&self, errors: &Diagnostics) {
        let count = errors.error_count();
        self.stderr(&format!(
            "{}{} the site has {count} {}; the last good version stays served\n",
            self.report.render(errors),
            clock(),
            if count == 1 { "error" } else { "errors" }
        ));
    }

    /// Warnings about the files of a rebuild (`changed`, relative to the root), and new ones
    /// elsewhere (an edit can break a link on another page; `known` are the warnings from
    /// before it); every warning when there is no rebuild yet.
    pub fn warnings(&self, warnings: &Diagnostics, rebuild: Option<(&[String], &HashSet<String>)>) {
        let relevant: Diagnostics = warnings
            .iter()
            .filter(|d| match (rebuild, &d.file) {
                (None, _) => true,
                (Some((files, _)), Some(file))
                    if files.iter().any(|f| Path::new(f) == file.as_path()) =>
                {
                    true
                }
                (Some((_, known)), _) => !known.contains(&d.to_string()),
            })
            .cloned()
            .collect();
        if !relevant.is_empty() {
            self.stderr(&self.report.render(&relevant));
        }
    }

    /// The line a rebuild gets.
    pub fn rebuilt(&self, rebuild: &Rebuild) {
        let files = describe(&rebuild.files);
        self.line(&format!(
            "{} {files}: rendered {} ({} Markdown) in {} ms, {} changed",
            clock(),
            count(rebuild.pages, "page", "pages"),
            rebuild.markdown,
            rebuild.elapsed.as_millis(),
            count(rebuild.changed.len(), "file", "files"),
        ));
    }

    /// Where the site is served (printed as soon as the server listens).
    pub fn serving(&self, url: &str) {
        self.line(&format!(
            "Serving the site in {} at {url} (press Ctrl-C to stop)",
            crate::diagnostics::display_path(&self.root)
        ));
    }

    /// The whole site is rendered.
    pub fn built(&self, pages: usize, elapsed_ms: u128) {
        self.line(&format!(
            "Built {} in memory in {elapsed_ms} ms",
            count(pages, "page", "pages")
        ));
    }
}

/// `1 page`, `2 pages`.
fn count(n: usize, one: &str, many: &str) -> String {
    format!("{n} {}", if n == 1 { one } else { many })
}

/// A short label for the files of a batch.
fn describe(files: &[String]) -> String {
    match files.len() {
        0 => "(no file)".to_string(),
        1..=3 => files.join(", "),
        n => format!("{}, … ({n} files)", files[..2].join(", ")),
    }
}

/// The local time of day, for the log.
pub fn clock() -> String {
    jiff::Zoned::now().strftime("%H:%M:%S").to_string()
}
