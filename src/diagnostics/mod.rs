//! Findings about a site (errors and warnings) with the place they come from.
//!
//! Every stage reports problems as [`Diagnostic`]s instead of failing at the first one, so a
//! writer sees all the problems of a build at once, grouped per file.

mod formats;
mod report;

use std::fmt::{self, Write as _};
use std::path::{Path, PathBuf};

/// How bad a finding is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, serde::Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    Warning,
    Error,
}

/// One finding: what is wrong, where, and how to fix it.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct Diagnostic {
    pub severity: Severity,
    /// The file, relative to the site root when it is inside it.
    pub file: Option<PathBuf>,
    /// 1-based line in `file`.
    pub line: Option<usize>,
    /// 1-based column (in characters) in `line`.
    pub column: Option<usize>,
    pub message: String,
    /// How to fix it.
    pub help: Option<String>,
    /// What link checks add, for machines (boxed: most findings have none, and findings
    /// travel in `Result`s).
    pub details: Option<Box<Details>>,
}

/// What a finding says for machines (`folio check --format json|github`).
#[derive(Debug, Clone, Default, PartialEq, Eq, serde::Serialize)]
pub struct Details {
    /// What kind of finding it is (`broken-link`, `missing-anchor` …); `None` for the
    /// build's own errors and warnings.
    pub kind: Option<&'static str>,
    /// What a link points at, as written.
    pub target: Option<String>,
    /// The closest thing that exists (a page, an anchor, a title).
    pub suggestion: Option<String>,
}

impl Diagnostic {
    pub fn error(message: impl Into<String>) -> Self {
        Diagnostic {
            severity: Severity::Error,
            file: None,
            line: None,
            column: None,
            message: message.into(),
            help: None,
            details: None,
        }
    }

    pub fn warning(message: impl Into<String>) -> Self {
        Diagnostic {
            severity: Severity::Warning,
            ..Diagnostic::error(message)
        }
    }

    pub fn in_file(mut self, file: impl Into<PathBuf>) -> Self {
        self.file = Some(file.into());
        self
    }

    pub fn at(mut self, line: usize, column: usize) -> Self {
        self.line = Some(line);
        self.column = Some(column);
        self
    }

    pub fn at_line(mut self, line: usize) -> Self {
        self.line = Some(line);
        self
    }

    pub fn with_help(mut self, help: impl Into<String>) -> Self {
        self.help = Some(help.into());
        self
    }

    pub fn with_kind(mut self, kind: &'static str) -> Self {
        self.details.get_or_insert_default().kind = Some(kind);
        self
    }

    pub fn with_target(mut self, target: impl Into<String>) -> Self {
        self.details.get_or_insert_default().target = Some(target.into());
        self
    }

    /// Sets the suggestion, and says it in the help too.
    pub fn with_suggestion(mut self, suggestion: impl Into<String>) -> Self {
        let suggestion = suggestion.into();
        self.help = Some(match self.help.take() {
            Some(help) => format!("did you mean `{suggestion}`? {help}"),
            None => format!("did you mean `{suggestion}`?"),
        });
        self.details.get_or_insert_default().suggestion = Some(suggestion);
        self
    }

    /// What kind of finding it is, when a check said.
    pub fn kind(&self) -> Option<&'static str> {
        self.details.as_ref().and_then(|d| d.kind)
    }

    pub fn is_error(&self) -> bool {
        self.severity == Severity::Error
    }

    /// `file:line:col` as far as it is known.
    pub fn location(&self) -> String {
        let mut out = match &self.file {
            Some(file) => display_path(file),
            None => String::new(),
        };
        if let Some(line) = self.line {
            let _ = write!(out, ":{line}");
            if let Some(column) = self.column {
                let _ = write!(out, ":{column}");
            }
        }
        out
    }
}

impl fmt::Display for Diagnostic {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let kind = match self.severity {
            Severity::Error => "error",
            Severity::Warning => "warning",
        };
        let location = self.location();
        if location.is_empty() {
            write!(f, "{kind}: {}", self.message)?;
        } else {
            write!(f, "{location}: {kind}: {}", self.message)?;
        }
        if let Some(help) = &self.help {
            write!(f, " (help: {help})")?;
        }
        Ok(())
    }
}

pub use formats::Format;
pub use report::{Colors, Report};

/// A path with forward slashes, as writers see it in their editor and in URLs.
pub fn display_path(path: &Path) -> String {
    path.to_string_lossy().replace('\\', "/")
}

/// The findings of one build.
#[derive(Debug, Default, Clone)]
pub struct Diagnostics {
    items: Vec<Diagnostic>,
}

impl Diagnostics {
    pub fn new() -> Self {
        Self::default()
    }

    pub fn push(&mut self, diagnostic: Diagnostic) {
        self.items.push(diagnostic);
    }

    pub fn extend(&mut self, diagnostics: impl IntoIterator<Item = Diagnostic>) {
        self.items.extend(diagnostics);
    }

    pub fn has_errors(&self) -> bool {
        self.items.iter().any(Diagnostic::is_error)
    }

    pub fn error_count(&self) -> usize {
        self.items.iter().filter(|d| d.is_error()).count()
    }

    pub fn warning_count(&self) -> usize {
        self.items.len() - self.error_count()
    }

    pub fn is_empty(&self) -> bool {
        self.items.is_empty()
    }

    pub fn len(&self) -> usize {
        self.items.len()
    }

    pub fn iter(&self) -> impl Iterator<Item = &Diagnostic> {
        self.items.iter()
    }

    /// Turns every warning into an error (`--strict`).
    pub fn escalate_warnings(&mut self) {
        for item in &mut self.items {
            item.severity = Severity::Error;
        }
    }

    /// Sorted by file, then line and column; findings without a file come first.
    pub fn sorted(&self) -> Vec<&Diagnostic> {
        let mut sorted: Vec<&Diagnostic> = self.items.iter().collect();
        sorted.sort_by(|a, b| {
            (&a.file, a.line, a.column, &a.message).cmp(&(&b.file, b.line, b.column, &b.message))
        });
        sorted.dedup_by(|a, b| a == b);
        sorted
    }
}

impl IntoIterator for Diagnostics {
    type Item = Diagnostic;
    type IntoIter = std::vec::IntoIter<Diagnostic>;
    fn into_iter(self) -> Self::IntoIter {
        self.items.into_iter()
    }
}

impl FromIterator<Diagnostic> for Diagnostics {
    fn from_iter<T: IntoIterator<Item = Diagnostic>>(iter: T) -> Self {
        Diagnostics {
            items: iter.into_iter().collect(),
        }
    }
}

/// 1-based line and column (in characters) of a byte offset in `text`.
pub fn line_col(text: &str, offset: usize) -> (usize, usize) {
    let offset = offset.min(text.len());
    let before = &text[..floor_char_boundary(text, offset)];
    let line = before.bytes().filter(|&b| b == b'\n').count() + 1;
    let line_start = before.rfind('\n').map_or(0, |i| i + 1);
    let column = before[line_start..].chars().count() + 1;
    (line, column)
}

/// The largest offset at or before `offset` that starts a character of `text`.
pub fn floor_char_boundary(text: &str, mut offset: usize) -> usize {
    while offset > 0 && !text.is_char_boundary(offset) {
        offset -= 1;
    }
    offset
}

/// The closest candidate to `word`, if one is close enough to be a likely typo.
pub fn closest<'a>(word: &str, candidates: impl IntoIterator<Item = &'a str>) -> Option<&'a str> {
    let mut best: Option<(&str, f64)> = None;
    for candidate in candidates {
        let score = strsim::jaro_winkler(&word.to_lowercase(), &candidate.to_lowercase());
        if score > best.map_or(0.0, |b| b.1) {
            best = Some((candidate, score));
        }
    }
    best.filter(|(_, score)| *score >= 0.8).map(|(c, _)| c)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn line_col_counts_characters() {
        let text = "ab\ncé d\n";
        assert_eq!(line_col(text, 0), (1, 1));
        assert_eq!(line_col(text, 3), (2, 1));
        // 'd' is after a two-byte character.
        assert_eq!(line_col(text, 7), (2, 4));
    }

    #[test]
    fn closest_finds_typos_only() {
        let keys = ["title", "description", "base_url"];
        assert_eq!(closest("titel", keys), Some("title"));
        assert_eq!(closest("baseurl", keys), Some("base_url"));
        assert_eq!(closest("zzz", keys), None);
    }

    #[test]
    fn github_annotations_escape_what_ends_them() {
        let all: Diagnostics = [Diagnostic::error("50% broken\nlink")
            .in_file("content/a,b.md")
            .at(3, 7)
            .with_kind("broken-link")]
        .into_iter()
        .collect();
        assert_eq!(
            all.render(Format::Github),
            "::error file=content/a%2Cb.md,line=3,col=7,title=broken-link::50%25 broken%0Alink\n"
        );
    }

    #[test]
    fn grouped_report_lists_each_file_once() {
        let mut all = Diagnostics::new();
        all.push(Diagnostic::warning("w2").in_file("b.md").at(3, 1));
        all.push(Diagnostic::error("e1").in_file("a.md").at(1, 2));
        all.push(Diagnostic::warning("w1").in_file("b.md").at(1, 1));
        let report = Report::new(std::path::Path::new("/nonexistent"), false).render(&all);
        assert_eq!(report.matches("b.md").count(), 1);
        assert!(report.find("a.md").unwrap() < report.find("b.md").unwrap());
        assert!(report.find("w1").unwrap() < report.find("w2").unwrap());
        assert!(report.contains("1:2: error: e1"));
    }
}
