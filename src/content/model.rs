//! The loaded site: pages with their front matter and URLs, and the files copied as they are.

use std::path::PathBuf;

use super::front_matter::FrontMatter;

/// Index of a page in [`Content::pages`].
pub type PageId = usize;

#[derive(Debug, Clone)]
pub struct Page {
    pub id: PageId,
    /// Path relative to the site root, for messages (`content/guide/setup.md`).
    pub source: PathBuf,
    /// Path relative to `content/`, with forward slashes (`guide/setup.md`).
    pub rel_path: String,
    /// Empty when the file has no front matter block.
    pub front: FrontMatter,
    pub has_front_matter: bool,
    /// The Markdown after the front matter (shared: live sites copy pages often).
    pub body: std::sync::Arc<str>,
    /// The file line on which `body` starts.
    pub body_line: usize,
    /// The nav identity: the front matter title, or the first heading when the page has no
    /// front matter. `None` keeps the page out of the nav (as in just-the-docs).
    pub title: Option<String>,
    /// Text of the first heading, used for `<title>` when the page has no title.
    pub first_heading: Option<String>,
    /// Site-relative URL without the base path (`/guide/setup/`).
    pub url: String,
    /// Output file, relative to the output folder (`guide/setup/index.html`).
    pub output_path: String,
    /// Modification time of the source file, for the sitemap.
    pub modified: Option<std::time::SystemTime>,
    /// The collection the page belongs to (an index into site.toml's `collections`).
    pub collection: Option<usize>,
    /// What reading the page found (front matter it cannot use, an empty title …).
    pub warnings: Vec<crate::diagnostics::Diagnostic>,
}

impl Page {
    /// The title shown to readers: the nav title, the first heading, or the file name.
    pub fn display_title(&self) -> &str {
        if let Some(title) = &self.title {
            return title;
        }
        if let Some(heading) = &self.first_heading {
            return heading;
        }
        let name = self.rel_path.rsplit('/').next().unwrap_or(&self.rel_path);
        name.rsplit_once('.').map_or(name, |(stem, _)| stem)
    }

    /// The folder of the source, relative to `content/` (`guide` for `guide/setup.md`).
    pub fn source_dir(&self) -> &str {
        self.rel_path.rsplit_once('/').map_or("", |(dir, _)| dir)
    }
}

/// A file copied to the output unchanged.
#[derive(Debug, Clone)]
pub struct Asset {
    /// Where it is read from.
    pub source: AssetSource,
    /// Output path relative to the output folder, with forward slashes.
    pub output_path: String,
}

#[derive(Debug, Clone)]
pub enum AssetSource {
    /// A file on disk (absolute path).
    File(PathBuf),
    /// A file of the embedded theme.
    Embedded(&'static [u8]),
    /// Made by the build.
    Generated(std::sync::Arc<Vec<u8>>),
}

/// Everything read from the site folder.
#[derive(Debug, Default, Clone)]
pub struct Content {
    /// Shared, so that a live site's copy of the model costs little.
    pub pages: Vec<std::sync::Arc<Page>>,
    /// Files under `content/` that are not pages.
    pub assets: Vec<Asset>,
    /// Files of the theme's and the site's `static/` folders (site files win).
    pub static_files: Vec<Asset>,
    /// What reading `content/` found besides pages' own warnings: folders that cannot be
    /// read, pages that failed to load.
    pub problems: Vec<crate::diagnostics::Diagnostic>,
    /// What reading `static/` found.
    pub static_problems: Vec<crate::diagnostics::Diagnostic>,
    /// Two files claiming one output path.
    pub collisions: Vec<crate::diagnostics::Diagnostic>,
    /// Pages (by path under `content/`) that exist but could not be loaded: links to them are
    /// not reported as broken, since the page's own error says what to fix.
    pub unloaded: Vec<String>,
}
