//! Everything the command line prints. Findings go through the one reporter
//! ([`crate::diagnostics::Report`]) on stderr; results go to stdout. A closed pipe
//! (`folio check --format json | head`) ends the program quietly, as it does for other Unix
//! tools, instead of a panic.

use std::io::Write;
use std::path::Path;

use crate::build::Timings;
use crate::diagnostics::{Colors, Diagnostics, Report};

/// Where and how the command line prints.
#[derive(Debug, Clone, Copy)]
pub struct Printer {
    /// Whether stderr gets colours.
    colors: bool,
}

impl Printer {
    pub fn new(colors: Colors) -> Printer {
        Printer {
            colors: colors.for_stderr(),
        }
    }

    pub fn colors(&self) -> bool {
        self.colors
    }

    /// Text on stdout.
    pub fn out(&self, text: &str) {
        let mut stdout = std::io::stdout().lock();
        quit_on_closed_pipe(
            stdout
                .write_all(text.as_bytes())
                .and_then(|()| stdout.flush()),
        );
    }

    /// Text on stderr.
    pub fn err(&self, text: &str) {
        let mut stderr = std::io::stderr().lock();
        quit_on_closed_pipe(stderr.write_all(text.as_bytes()));
    }

    /// Findings about the site at `root`, for people, on stderr.
    pub fn findings(&self, root: &Path, diagnostics: &Diagnostics) {
        if diagnostics.is_empty() {
            return;
        }
        let report = Report::new(root, self.colors).render(diagnostics);
        self.err(&format!("{report}\n"));
    }

    /// A mistake in the command line itself.
    pub fn usage_error(&self, message: &str) {
        self.err(&format!("error: {message}\n"));
    }
}

/// Ends the program quietly when the reader of its output has gone.
fn quit_on_closed_pipe(result: std::io::Result<()>) {
    if let Err(err) = result
        && err.kind() == std::io::ErrorKind::BrokenPipe
    {
        std::process::exit(0);
    }
}

pub fn plural<'a>(count: usize, one: &'a str, many: &'a str) -> &'a str {
    if count == 1 { one } else { many }
}

/// One line per stage, in milliseconds, for people and for scripts (`stage: N ms`).
pub fn timings(timings: &Timings) -> String {
    let mut out = String::new();
    for (stage, elapsed) in &timings.stages {
        out.push_str(&format!("{stage}: {} ms\n", elapsed.as_millis()));
        if *stage == "render" {
            out.push_str(&format!(
                "  of which link anchors (summed over threads): {} ms\n",
                timings.link_anchors.as_millis()
            ));
        }
    }
    out
}

/// A folder relative to the current one when it is inside it, with a trailing slash.
pub fn shown_path(path: &Path) -> String {
    let cwd = std::env::current_dir().unwrap_or_default();
    let shown = path.strip_prefix(&cwd).unwrap_or(path);
    let shown = shown.strip_prefix(".").unwrap_or(shown);
    let mut text = crate::diagnostics::display_path(shown);
    if text.is_empty() {
        text.push('.');
    }
    if !text.ends_with('/') {
        text.push('/');
    }
    text
}
