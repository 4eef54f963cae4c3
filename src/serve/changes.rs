//! What a batch of changed files means for the site.

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

use super::live::Outputs;
use crate::config::{CONFIG_FILE, SitePaths};
use crate::content::Page;
use crate::paths::{is_ignored_name, is_page};

/// The changed files of a batch, by what depends on them.
#[derive(Debug, Default, Clone, PartialEq, Eq)]
pub struct ChangeSet {
    /// site.toml: everything is rebuilt.
    pub config: bool,
    /// A template: every page is rendered again (their Markdown is kept).
    pub templates: bool,
    /// A file of `static/`.
    pub statics: bool,
    /// Pages by path under `content/`.
    pub pages: BTreeSet<String>,
    /// Other files under `content/`.
    pub assets: BTreeSet<String>,
    /// A folder under `content/` came or went: read the whole folder again.
    pub rescan: bool,
    /// A file of `includes/` or `data/`: pages with Liquid are rendered again.
    pub liquid: bool,
    /// The files of the batch that matter, relative to the site root, for the log.
    pub files: BTreeSet<String>,
}

impl ChangeSet {
    pub fn is_empty(&self) -> bool {
        !self.config
            && !self.templates
            && !self.statics
            && !self.rescan
            && !self.liquid
            && self.pages.is_empty()
            && self.assets.is_empty()
    }

    /// Sorts `paths` (absolute) into what they change; files nobody publishes are ignored.
    /// `was_folder` says whether a path under `content/` (relative to it) held pages or files
    /// of the site: a path that is gone counts only then (editors' temporary files come and
    /// go under names like `sedoHP0R9`).
    pub fn classify(
        paths: &SitePaths,
        changed: &[PathBuf],
        was_folder: &dyn Fn(&str) -> bool,
    ) -> ChangeSet {
        let mut changes = ChangeSet::default();
        for path in changed {
            if changes.add(paths, path, was_folder) {
                let shown = path.strip_prefix(&paths.root).unwrap_or(path);
                changes
                    .files
                    .insert(crate::diagnostics::display_path(shown));
            }
        }
        changes
    }

    /// Sorts one path; returns whether it matters.
    fn add(&mut self, paths: &SitePaths, path: &Path, was_folder: &dyn Fn(&str) -> bool) -> bool {
        let Some(name) = path.file_name().map(|n| n.to_string_lossy().into_owned()) else {
            return false;
        };
        if path.starts_with(&paths.output) {
            return false;
        }
        if path == paths.root.join(CONFIG_FILE) {
            self.config = true;
            return true;
        }
        // Editors' temporary files never matter, and discovery skips hidden folders too.
        let inside = |dir: &Path| path.strip_prefix(dir).ok().map(Path::to_path_buf);
        if let Some(relative) = inside(&paths.content) {
            if relative
                .components()
                .any(|c| is_ignored_name(&c.as_os_str().to_string_lossy()))
            {
                return false;
            }
            let rel = relative.to_string_lossy().replace('\\', "/");
            if rel.is_empty() || path.is_dir() {
                self.rescan = true;
            } else if is_page(&name) {
                self.pages.insert(rel);
            } else if !path.exists() {
                if was_folder(&rel) {
                    // A folder went, and its files with it.
                    self.rescan = true;
                } else if name.contains('.') {
                    self.assets.insert(rel);
                } else {
                    return false;
                }
            } else {
                self.assets.insert(rel);
            }
            true
        } else if inside(&paths.templates).is_some() {
            let matters = !is_ignored_name(&name);
            self.templates |= matters;
            matters
        } else if inside(&paths.static_dir).is_some() {
            let matters = !is_ignored_name(&name);
            self.statics |= matters;
            matters
        } else if inside(&paths.includes).is_some() || inside(&paths.data).is_some() {
            let matters = !is_ignored_name(&name);
            self.liquid |= matters;
            matters
        } else if path == paths.includes || path == paths.data {
            self.liquid = true;
            true
        } else if path == paths.templates {
            self.templates = true;
            true
        } else if path == paths.static_dir {
            self.statics = true;
            true
        } else if path == paths.content {
            self.rescan = true;
            true
        } else {
            false
        }
    }
}

/// Everything that decides where a page appears in the navigation and how it is listed.
pub(super) fn nav_key(page: &Page) -> String {
    let front = &page.front;
    format!(
        "{:?}|{:?}|{:?}|{:?}|{:?}|{:?}|{}|{:?}|{:?}|{:?}|{}",
        page.title,
        front.title.as_ref().map(|t| t.is_number),
        front.parent,
        front.grand_parent,
        front.ancestor,
        front.nav_order,
        front.nav_exclude,
        front.has_children,
        front.child_nav_order,
        front.summary,
        page.url
    )
}

/// Whether two versions of a page would render the same Markdown at the same URL.
pub(super) fn same_page(a: &Page, b: &Page) -> bool {
    a.body == b.body && a.front.raw == b.front.raw && a.url == b.url
}

/// Output paths that differ between two sets of outputs.
pub(super) fn full_diff(before: &Outputs, after: &Outputs) -> Vec<String> {
    let mut changed: Vec<String> = after
        .iter()
        .filter(|(path, served)| before.get(*path).is_none_or(|old| old.hash != served.hash))
        .map(|(path, _)| path.to_string())
        .collect();
    changed.extend(
        before
            .keys()
            .filter(|path| !after.contains_key(*path))
            .map(|p| p.to_string()),
    );
    changed.sort();
    changed
}

#[cfg(test)]
mod tests {
    use super::*;

    fn paths(root: &Path) -> SitePaths {
        SitePaths {
            root: root.to_path_buf(),
            content: root.join("content"),
            templates: root.join("templates"),
            static_dir: root.join("static"),
            includes: root.join("includes"),
            data: root.join("data"),
            output: root.join("public"),
        }
    }

    #[test]
    fn files_are_sorted_by_what_they_change() {
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path();
        std::fs::create_dir_all(root.join("content/guide")).unwrap();
        let p = paths(root);
        let never = |_: &str| false;
        let changes = ChangeSet::classify(
            &p,
            &[
                root.join("site.toml"),
                root.join("content/guide/setup.md"),
                root.join("content/guide/img.png"),
                root.join("content/guide/.setup.md.swp"),
                root.join("content/guide/setup.md~"),
                root.join("templates/partials/footer.html"),
                root.join("static/assets/css/folio.css"),
                root.join("public/index.html"),
                root.join("README.md"),
            ],
            &never,
        );
        assert!(changes.config && changes.templates && changes.statics && !changes.rescan);
        assert_eq!(changes.pages.iter().collect::<Vec<_>>(), ["guide/setup.md"]);
        assert_eq!(changes.assets.iter().collect::<Vec<_>>(), ["guide/img.png"]);
        let only_noise = ChangeSet::classify(
            &p,
            &[root.join("content/.#a.md"), root.join("public/x.html")],
            &never,
        );
        assert!(only_noise.is_empty());
        let folder = ChangeSet::classify(&p, &[root.join("content/guide")], &never);
        assert!(folder.rescan);
        // Gone, without an extension: a folder of the site, or an editor's temporary file.
        let gone = [root.join("content/old"), root.join("content/sedoHP0R9")];
        let was_folder = |rel: &str| rel == "old";
        let changes = ChangeSet::classify(&p, &gone, &was_folder);
        assert!(changes.rescan);
        assert_eq!(changes.files.iter().collect::<Vec<_>>(), ["content/old"]);
        let changes = ChangeSet::classify(&p, &gone[1..], &was_folder);
        assert!(changes.is_empty() && changes.files.is_empty());
    }
}
