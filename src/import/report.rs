//! What an import did: the summary printed for the writer, and the warnings for everything
//! it could not convert, each with what to do instead.

use std::fmt::Write as _;

use crate::diagnostics::Diagnostic;

/// The outcome of an import.
#[derive(Debug, Default)]
pub struct Report {
    /// `_config.yml` keys turned into folio settings (`nav_sort → nav.sort`).
    pub config_converted: Vec<String>,
    /// Keys with no use in folio, with the reason.
    pub config_not_needed: Vec<String>,
    /// Keys kept under `[extra]` of site.toml.
    pub config_extra: Vec<String>,
    /// Pages written under content/, collection documents among them.
    pub pages: usize,
    pub documents: usize,
    /// Pages converted from HTML files.
    pub html_pages: usize,
    /// Pages given a `permalink` to keep Jekyll's URL.
    pub permalinks: usize,
    /// Pages that received front-matter defaults.
    pub defaults_applied: usize,
    /// Pages whose layout was changed to one folio has.
    pub layouts_changed: usize,
    /// Layout templates written for the site's own Jekyll layouts.
    pub layout_templates: Vec<String>,
    pub includes: usize,
    pub data_files: usize,
    /// Other files copied (images, downloads).
    pub files: usize,
    /// just-the-docs' stylesheets, scripts and search data found in the site.
    pub theme_assets: Vec<String>,
    /// Entries left out by `exclude:`.
    pub excluded: Vec<String>,
    /// Entries Jekyll does not publish either (dot-files, `_site`, …).
    pub ignored: usize,
    /// Everything not converted, with what to do instead.
    pub warnings: Vec<Diagnostic>,
}

impl Report {
    /// The lines printed after a successful import.
    pub fn summary(&self, source: &str, target: &str) -> String {
        let mut out = String::new();
        let _ = writeln!(out, "Imported the Jekyll site {source} into {target}");
        if !self.config_converted.is_empty() {
            let _ = writeln!(out, "  site.toml: {}", self.config_converted.join("; "));
        }
        if !self.config_extra.is_empty() {
            let _ = writeln!(
                out,
                "  site.toml [extra] (for templates and Liquid): {}",
                self.config_extra.join(", ")
            );
        }
        if !self.config_not_needed.is_empty() {
            let _ = writeln!(
                out,
                "  not needed in folio: {}",
                self.config_not_needed.join("; ")
            );
        }
        let _ = write!(
            out,
            "  content/: {} {}",
            self.pages,
            plural(self.pages, "page", "pages")
        );
        let mut details = Vec::new();
        if self.documents > 0 {
            details.push(format!("{} from collections", self.documents));
        }
        if self.html_pages > 0 {
            details.push(format!("{} from HTML files", self.html_pages));
        }
        if self.permalinks > 0 {
            details.push(format!(
                "{} given a permalink to keep Jekyll's URL",
                self.permalinks
            ));
        }
        if self.defaults_applied > 0 {
            details.push(format!(
                "{} with front-matter defaults merged in",
                self.defaults_applied
            ));
        }
        if self.layouts_changed > 0 {
            details.push(format!(
                "{} with a layout folio lacks set to `default`",
                self.layouts_changed
            ));
        }
        if !details.is_empty() {
            let _ = write!(out, " ({})", details.join(", "));
        }
        out.push('\n');
        let _ = writeln!(
            out,
            "  other files: {} copied to where Jekyll serves them",
            self.files
        );
        if self.includes > 0 {
            let _ = writeln!(out, "  includes/: {} from _includes/", self.includes);
        }
        if self.data_files > 0 {
            let _ = writeln!(out, "  data/: {} from _data/", self.data_files);
        }
        if !self.layout_templates.is_empty() {
            let _ = writeln!(
                out,
                "  templates/layouts/: {} (the site's own layouts, shown as their base layout)",
                self.layout_templates.join(", ")
            );
        }
        if !self.theme_assets.is_empty() {
            let _ = writeln!(
                out,
                "  left out as folio makes its own: {} (just-the-docs' stylesheets, scripts and search data)",
                some_names(&self.theme_assets)
            );
        }
        if !self.excluded.is_empty() {
            let _ = writeln!(
                out,
                "  left out by `exclude:`: {}",
                self.excluded.join(", ")
            );
        }
        if self.ignored > 0 {
            let _ = writeln!(
                out,
                "  left out as Jekyll does: {} {} starting with `.`, `_` or `#`",
                self.ignored,
                plural(self.ignored, "file or folder", "files and folders")
            );
        }
        if !self.warnings.is_empty() {
            let _ = writeln!(
                out,
                "  not converted: {} {} (listed on stderr, each with what to do instead)",
                self.warnings.len(),
                plural(self.warnings.len(), "thing", "things")
            );
        }
        out
    }
}

fn plural<'a>(count: usize, one: &'a str, many: &'a str) -> &'a str {
    if count == 1 { one } else { many }
}

/// Joins a few names for a message: `a, b, c and 4 more`.
pub(super) fn some_names(names: &[String]) -> String {
    const SHOWN: usize = 4;
    if names.len() <= SHOWN + 1 {
        names.join(", ")
    } else {
        format!(
            "{} and {} more",
            names[..SHOWN].join(", "),
            names.len() - SHOWN
        )
    }
}
