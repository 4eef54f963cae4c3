//! Findings for people, the same for every command: grouped under their file, each with its
//! place, the source line it is about with a caret under the column, and the help. Colours
//! only on a terminal, never with `NO_COLOR` (https://no-color.org) or `TERM=dumb`.

use std::collections::HashMap;
use std::fmt::Write as _;
use std::io::IsTerminal;
use std::path::{Path, PathBuf};

use anstyle::{AnsiColor, Style};

use super::{Diagnostics, Severity, display_path};

/// Whether to colour a report.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Colors {
    /// On a terminal, unless `NO_COLOR` is set or the terminal is dumb.
    #[default]
    Auto,
    Always,
    Never,
}

impl Colors {
    /// Whether text written to stderr gets colours.
    pub fn for_stderr(self) -> bool {
        match self {
            Colors::Always => true,
            Colors::Never => false,
            Colors::Auto => {
                std::io::stderr().is_terminal()
                    && std::env::var_os("NO_COLOR").is_none_or(|v| v.is_empty())
                    && std::env::var_os("TERM").is_none_or(|t| t != "dumb")
            }
        }
    }
}

/// Renders findings for people.
#[derive(Debug, Clone)]
pub struct Report {
    /// The site folder: findings' files are relative to it.
    root: PathBuf,
    colors: bool,
}

const FILE: Style = Style::new().bold();
const ERROR: Style = AnsiColor::Red.on_default().bold();
const WARNING: Style = AnsiColor::Yellow.on_default().bold();
const GUTTER: Style = AnsiColor::Blue.on_default().bold();
const HELP: Style = AnsiColor::Cyan.on_default().bold();

impl Report {
    pub fn new(root: &Path, colors: bool) -> Report {
        Report {
            root: root.to_path_buf(),
            colors,
        }
    }

    /// One heading per file, its findings below it, each with its source line.
    pub fn render(&self, diagnostics: &Diagnostics) -> String {
        let mut out = String::new();
        let mut sources: HashMap<&Path, Option<String>> = HashMap::new();
        let mut current_file: Option<&Option<PathBuf>> = None;
        for diagnostic in diagnostics.sorted() {
            if current_file != Some(&diagnostic.file) {
                current_file = Some(&diagnostic.file);
                if !out.is_empty() {
                    out.push('\n');
                }
                let heading = match &diagnostic.file {
                    Some(file) => display_path(file),
                    None => "site".to_string(),
                };
                let _ = writeln!(out, "{}", self.paint(FILE, &heading));
            }
            let (kind, style) = match diagnostic.severity {
                Severity::Error => ("error", ERROR),
                Severity::Warning => ("warning", WARNING),
            };
            let place = match (diagnostic.line, diagnostic.column) {
                (Some(line), Some(column)) => format!("{line}:{column}: "),
                (Some(line), None) => format!("{line}: "),
                _ => String::new(),
            };
            let _ = writeln!(
                out,
                "  {place}{}: {}",
                self.paint(style, kind),
                diagnostic.message
            );
            if let (Some(file), Some(line)) = (&diagnostic.file, diagnostic.line) {
                let source = sources
                    .entry(file.as_path())
                    .or_insert_with(|| std::fs::read_to_string(self.root.join(file)).ok());
                if let Some(text) = source.as_deref().and_then(|s| s.lines().nth(line - 1)) {
                    self.frame(&mut out, line, text, diagnostic.column, style);
                }
            }
            if let Some(help) = &diagnostic.help {
                let _ = writeln!(out, "      {}: {help}", self.paint(HELP, "help"));
            }
        }
        out
    }

    /// The source line, and a caret under the column when it is known.
    fn frame(&self, out: &mut String, line: usize, text: &str, column: Option<usize>, mark: Style) {
        let number = line.to_string();
        let pad = " ".repeat(number.len());
        // Tabs are shown as one space, so that the caret stays under its character.
        let shown: String = text
            .trim_end_matches('\r')
            .chars()
            .map(|c| if c == '\t' { ' ' } else { c })
            .collect();
        let _ = writeln!(
            out,
            "    {} {shown}",
            self.paint(GUTTER, &format!("{number} |"))
        );
        if let Some(column) = column.filter(|c| *c >= 1) {
            let _ = writeln!(
                out,
                "    {} {}{}",
                self.paint(GUTTER, &format!("{pad} |")),
                " ".repeat(column - 1),
                self.paint(mark, "^")
            );
        }
    }

    fn paint(&self, style: Style, text: &str) -> String {
        if self.colors {
            format!("{}{text}{}", style.render(), style.render_reset())
        } else {
            text.to_string()
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::diagnostics::Diagnostic;

    #[test]
    fn findings_show_their_line_with_a_caret() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::create_dir(dir.path().join("content")).unwrap();
        std::fs::write(
            dir.path().join("content/a.md"),
            "---\ntitle: A\n---\nSee\t[x](y.md) now.\n",
        )
        .unwrap();
        let mut all = Diagnostics::new();
        all.push(
            Diagnostic::warning("link `y.md` leads nowhere")
                .in_file("content/a.md")
                .at(4, 5)
                .with_help("did you mean `z.md`?"),
        );
        all.push(Diagnostic::error("no line").in_file("content/a.md"));
        all.push(Diagnostic::error("site-wide"));
        let text = Report::new(dir.path(), false).render(&all);
        assert_eq!(
            text,
            "site\n  error: site-wide\n\ncontent/a.md\n  error: no line\n  4:5: warning: link `y.md` leads nowhere\n    4 | See [x](y.md) now.\n      |     ^\n      help: did you mean `z.md`?\n"
        );
        let colored = Report::new(dir.path(), true).render(&all);
        assert!(
            colored.contains("\u{1b}[1m\u{1b}[33mwarning"),
            "{colored:?}"
        );
        assert_eq!(
            strip_ansi(&colored),
            text,
            "colours add nothing but escape codes"
        );
    }

    fn strip_ansi(text: &str) -> String {
        let mut out = String::new();
        let mut chars = text.chars();
        while let Some(c) = chars.next() {
            if c == '\u{1b}' {
                for c in chars.by_ref() {
                    if c == 'm' {
                        break;
                    }
                }
            } else {
                out.push(c);
            }
        }
        out
    }
}
