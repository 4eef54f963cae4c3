//! Findings for machines: one JSON document (`folio check --format json`, the preview
//! server's `/__folio/findings`) or GitHub Actions workflow commands (`--format github`).

use std::fmt::Write as _;

use super::{Diagnostics, Severity, display_path};

/// How findings are printed for machines (for people: [`super::Report`]).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    /// One JSON document: `{"findings": [...], "errors": n, "warnings": n}`.
    Json,
    /// GitHub Actions workflow commands (`::error file=…,line=…::…`), one per line.
    Github,
}

impl Diagnostics {
    /// The findings in `format` (sorted as [`Diagnostics::sorted`]).
    pub fn render(&self, format: Format) -> String {
        match format {
            Format::Json => self.render_json(),
            Format::Github => self.render_github(),
        }
    }

    fn render_json(&self) -> String {
        #[derive(serde::Serialize)]
        struct Finding<'a> {
            severity: Severity,
            kind: &'a str,
            file: Option<String>,
            line: Option<usize>,
            column: Option<usize>,
            message: &'a str,
            target: Option<&'a str>,
            suggestion: Option<&'a str>,
            help: Option<&'a str>,
        }
        #[derive(serde::Serialize)]
        struct Report<'a> {
            findings: Vec<Finding<'a>>,
            errors: usize,
            warnings: usize,
        }
        let findings = self
            .sorted()
            .into_iter()
            .map(|d| Finding {
                severity: d.severity,
                kind: d.kind().unwrap_or("build"),
                file: d.file.as_deref().map(display_path),
                line: d.line,
                column: d.column,
                message: &d.message,
                target: d.details.as_ref().and_then(|x| x.target.as_deref()),
                suggestion: d.details.as_ref().and_then(|x| x.suggestion.as_deref()),
                help: d.help.as_deref(),
            })
            .collect();
        let report = Report {
            findings,
            errors: self.error_count(),
            warnings: self.warning_count(),
        };
        serde_json::to_string_pretty(&report).unwrap_or_default() + "\n"
    }

    fn render_github(&self) -> String {
        let mut out = String::new();
        for d in self.sorted() {
            let command = match d.severity {
                Severity::Error => "error",
                Severity::Warning => "warning",
            };
            let mut properties = Vec::new();
            if let Some(file) = &d.file {
                properties.push(format!("file={}", github_property(&display_path(file))));
            }
            if let Some(line) = d.line {
                properties.push(format!("line={line}"));
            }
            if let Some(column) = d.column {
                properties.push(format!("col={column}"));
            }
            if let Some(kind) = d.kind() {
                properties.push(format!("title={}", github_property(kind)));
            }
            let mut message = d.message.clone();
            if let Some(help) = &d.help {
                let _ = write!(message, " (help: {help})");
            }
            let _ = writeln!(
                out,
                "::{command} {}::{}",
                properties.join(","),
                github_data(&message)
            );
        }
        out
    }
}

/// A workflow command's message, with the characters that end it escaped.
fn github_data(text: &str) -> String {
    text.replace('%', "%25")
        .replace('\r', "%0D")
        .replace('\n', "%0A")
}

/// A workflow command's property value, which also may not hold `:` or `,`.
fn github_property(text: &str) -> String {
    github_data(text).replace(':', "%3A").replace(',', "%2C")
}
