//! Build errors where the writer is looking: an overlay on every page in the browser, with the
//! source lines around each (the terminal gets the same findings from the one reporter,
//! `diagnostics::Report`).

use std::fmt::Write as _;
use std::path::Path;

use pulldown_cmark_escape::escape_html_body_text;

use crate::diagnostics::{Diagnostic, Diagnostics};

/// Lines shown before and after the line of a finding.
const CONTEXT: usize = 2;

/// The source lines around a finding: (line number, text, is the finding's line).
pub fn snippet(root: &Path, diagnostic: &Diagnostic) -> Vec<(usize, String, bool)> {
    let (Some(file), Some(line)) = (&diagnostic.file, diagnostic.line) else {
        return Vec::new();
    };
    let Ok(text) = std::fs::read_to_string(root.join(file)) else {
        return Vec::new();
    };
    let first = line.saturating_sub(CONTEXT).max(1);
    text.lines()
        .enumerate()
        .map(|(index, text)| (index + 1, text))
        .filter(|(number, _)| *number >= first && *number <= line + CONTEXT)
        .map(|(number, text)| {
            (
                number,
                text.trim_end_matches('\r').to_string(),
                number == line,
            )
        })
        .collect()
}

/// The overlay shown on every page while the site has errors.
pub fn overlay_html(root: &Path, diagnostics: &Diagnostics) -> String {
    let errors: Vec<&Diagnostic> = diagnostics
        .sorted()
        .into_iter()
        .filter(|d| d.is_error())
        .collect();
    let mut out = String::from(
        "<div id=\"folio-overlay\" role=\"alertdialog\" aria-labelledby=\"folio-overlay-title\" style=\"position:fixed;inset:0;z-index:2147483647;overflow:auto;background:rgba(15,15,20,.88);color:#f2f2f5;font:14px/1.5 ui-monospace,SFMono-Regular,Menlo,Consolas,monospace;padding:2rem\">\
<div style=\"max-width:60rem;margin:0 auto\">\
<button type=\"button\" onclick=\"this.closest('#folio-overlay').remove()\" style=\"float:right;font:inherit;color:inherit;background:#2d2d36;border:1px solid #555;border-radius:4px;padding:.2rem .6rem;cursor:pointer\">Close</button>",
    );
    let count = errors.len();
    let _ = write!(
        out,
        "<h2 id=\"folio-overlay-title\" style=\"margin:0 0 1rem;font-size:1.2rem;color:#ff8a8a\">The site has {count} {}: the last good version is shown</h2>",
        if count == 1 { "error" } else { "errors" }
    );
    for diagnostic in errors {
        out.push_str("<section style=\"margin:0 0 1.5rem;padding:1rem;background:#1d1d24;border-left:4px solid #ff6b6b;border-radius:4px\">");
        out.push_str("<div style=\"color:#ffd479\">");
        let _ = escape_html_body_text(&mut out, &diagnostic.location());
        out.push_str("</div><div style=\"margin:.25rem 0;white-space:pre-wrap\">");
        let _ = escape_html_body_text(&mut out, &diagnostic.message);
        out.push_str("</div>");
        if let Some(help) = &diagnostic.help {
            out.push_str("<div style=\"color:#9fd3ff;white-space:pre-wrap\">help: ");
            let _ = escape_html_body_text(&mut out, help);
            out.push_str("</div>");
        }
        let lines = snippet(root, diagnostic);
        if !lines.is_empty() {
            out.push_str("<pre style=\"margin:.75rem 0 0;padding:.5rem;background:#111116;border-radius:4px;overflow:auto\">");
            for (number, text, here) in lines {
                let style = if here {
                    "background:#4a1f24;display:block"
                } else {
                    "display:block"
                };
                let _ = write!(out, "<span style=\"{style}\">{number:>5} | ");
                let _ = escape_html_body_text(&mut out, &text);
                out.push_str("</span>");
            }
            out.push_str("</pre>");
        }
        out.push_str("</section>");
    }
    out.push_str("<p style=\"color:#aaa\">Fix the file and save: this page updates by itself.</p></div></div>");
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn findings_show_their_source_lines() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::create_dir_all(dir.path().join("content")).unwrap();
        std::fs::write(
            dir.path().join("content/a.md"),
            "---\ntitle: [x\n---\nline 4\nline 5\n",
        )
        .unwrap();
        let mut all = Diagnostics::new();
        all.push(
            Diagnostic::error("bad <yaml>")
                .in_file("content/a.md")
                .at(2, 8)
                .with_help("quote it"),
        );
        let html = overlay_html(dir.path(), &all);
        assert!(html.contains("content/a.md:2:8"));
        assert!(html.contains("bad &lt;yaml&gt;"));
        assert!(html.contains("    2 | title: [x"));
        assert!(html.contains("    4 | line 4"));
    }
}
