//! Lists the files of a Jekyll site and sorts them as Jekyll does: pages (files with front
//! matter), static files, collection documents, and the special folders (`_layouts`,
//! `_includes`, `_data`, `_sass`, `_plugins`, `_posts`, `_drafts`). Entries whose names start
//! with `.`, `_`, `#` or end with `~` are skipped unless `include:` names them, and `exclude:`
//! leaves entries out, with Jekyll's matching rules: a pattern matches as a glob (where `*`
//! also crosses `/`), as a plain prefix of the path, or as the path of a folder plus `/`.

use std::io::Read as _;
use std::path::{Path, PathBuf};

use globset::{GlobBuilder, GlobMatcher};

use super::jekyll_config::JekyllConfig;
use crate::diagnostics::Diagnostic;

/// A file of the Jekyll site.
#[derive(Debug, Clone)]
pub(super) struct SourceFile {
    /// The path relative to the site folder, with `/`.
    pub rel: String,
    pub path: PathBuf,
}

/// The files of a Jekyll site, by what Jekyll does with them.
#[derive(Debug, Default)]
pub(super) struct Inventory {
    /// Files with front matter outside the special folders.
    pub pages: Vec<SourceFile>,
    /// Files with front matter in a collection's folder, with the collection's index.
    pub documents: Vec<(usize, SourceFile)>,
    /// Files without front matter in a collection's folder.
    pub collection_files: Vec<(usize, SourceFile)>,
    /// Files without front matter, copied as they are.
    pub statics: Vec<SourceFile>,
    pub includes: Vec<SourceFile>,
    pub data: Vec<SourceFile>,
    pub layouts: Vec<SourceFile>,
    pub sass: Vec<SourceFile>,
    pub plugins: Vec<SourceFile>,
    /// Files in `_posts` and `_drafts` folders.
    pub posts: Vec<SourceFile>,
    /// Entries left out by `exclude:` (the first level that matched).
    pub excluded: Vec<String>,
    /// Entries Jekyll never reads (names starting with `.`, `_`, `#`, ending with `~`).
    pub ignored: Vec<String>,
    pub problems: Vec<Diagnostic>,
}

/// Patterns of `exclude:` or `include:`.
struct Patterns {
    items: Vec<(String, Option<GlobMatcher>)>,
}

impl Patterns {
    fn new(patterns: &[String]) -> Patterns {
        let items = patterns
            .iter()
            .map(|p| {
                let p = p.trim_start_matches('/').to_string();
                let glob = GlobBuilder::new(&p)
                    .literal_separator(false)
                    .build()
                    .ok()
                    .map(|g| g.compile_matcher());
                (p, glob)
            })
            .collect();
        Patterns { items }
    }

    fn matches(&self, rel: &str, is_dir: bool) -> bool {
        self.items.iter().any(|(pattern, glob)| {
            glob.as_ref().is_some_and(|g| g.is_match(rel))
                || rel.starts_with(pattern.as_str())
                || (is_dir && pattern.strip_suffix('/') == Some(rel))
        })
    }
}

struct Walker<'a> {
    root: &'a Path,
    real_root: PathBuf,
    config: &'a JekyllConfig,
    exclude: Patterns,
    include: Patterns,
    inventory: Inventory,
}

/// Jekyll's special folders.
enum Special {
    Layouts,
    Includes,
    Data,
    Sass,
    Plugins,
}

/// Where an entry goes.
enum Verdict {
    Keep,
    Excluded,
    Ignored,
}

/// Lists the site at `root`.
pub(super) fn scan(root: &Path, config: &JekyllConfig) -> Inventory {
    let exclude: Vec<String> = config
        .exclude
        .iter()
        .filter(|e| !config.include.contains(e))
        .cloned()
        .collect();
    let mut walker = Walker {
        root,
        real_root: root.canonicalize().unwrap_or_else(|_| root.to_path_buf()),
        config,
        exclude: Patterns::new(&exclude),
        include: Patterns::new(&config.include),
        inventory: Inventory::default(),
    };
    walker.root_folder();
    walker.inventory
}

impl Walker<'_> {
    fn root_folder(&mut self) {
        let config = self.config;
        for (dir, kind) in [
            (&config.layouts_dir, Special::Layouts),
            (&config.includes_dir, Special::Includes),
            (&config.data_dir, Special::Data),
            (&config.sass_dir, Special::Sass),
            (&config.plugins_dir, Special::Plugins),
        ] {
            let files = self.all_files(dir);
            let list = match kind {
                Special::Layouts => &mut self.inventory.layouts,
                Special::Includes => &mut self.inventory.includes,
                Special::Data => &mut self.inventory.data,
                Special::Sass => &mut self.inventory.sass,
                Special::Plugins => &mut self.inventory.plugins,
            };
            list.extend(files);
        }
        let collections_dir = config.collections_dir.clone();
        for (index, collection) in config.collections.iter().enumerate() {
            if collection.label == "posts" {
                continue;
            }
            let dir = join(&collections_dir, &format!("_{}", collection.label));
            for file in self.all_files(&dir) {
                if has_front_matter(&file.path) {
                    self.inventory.documents.push((index, file));
                } else {
                    self.inventory.collection_files.push((index, file));
                }
            }
        }
        self.folder("");
        self.included_files();
    }

    /// Files that `include:` names by their path are read even inside excluded folders.
    fn included_files(&mut self) {
        for entry in &self.config.include {
            let rel = entry.trim_start_matches('/').to_string();
            let path = self.root.join(&rel);
            let known = |files: &[SourceFile]| files.iter().any(|f| f.rel == rel);
            if rel.is_empty()
                || !path.is_file()
                || known(&self.inventory.pages)
                || known(&self.inventory.statics)
            {
                continue;
            }
            let file = SourceFile { rel, path };
            if has_front_matter(&file.path) {
                self.inventory.pages.push(file);
            } else {
                self.inventory.statics.push(file);
            }
        }
    }

    /// The files under a special folder, dot-files left out.
    fn all_files(&mut self, dir: &str) -> Vec<SourceFile> {
        let mut files = Vec::new();
        if !dir.is_empty() && self.root.join(dir).is_dir() {
            self.collect(dir, &mut files);
        }
        files
    }

    fn collect(&mut self, dir: &str, files: &mut Vec<SourceFile>) {
        for (name, path, is_dir) in self.entries(dir) {
            if name.starts_with('.') {
                continue;
            }
            let rel = join(dir, &name);
            if is_dir {
                self.collect(&rel, files);
            } else {
                files.push(SourceFile { rel, path });
            }
        }
    }

    fn is_special_folder(&self, rel: &str) -> bool {
        let config = self.config;
        let collection_dir = |label: &str| join(&config.collections_dir, &format!("_{label}"));
        [
            &config.layouts_dir,
            &config.includes_dir,
            &config.data_dir,
            &config.sass_dir,
            &config.plugins_dir,
        ]
        .iter()
        .any(|d| d.as_str() == rel)
            || config
                .collections
                .iter()
                .any(|c| c.label != "posts" && collection_dir(&c.label) == rel)
    }

    fn folder(&mut self, dir: &str) {
        for (name, path, is_dir) in self.entries(dir) {
            let rel = join(dir, &name);
            if is_dir && (self.is_special_folder(&rel) || rel == self.config.destination) {
                continue;
            }
            if is_dir && (name == "_posts" || name == "_drafts") {
                let files = self.all_files(&rel);
                self.inventory.posts.extend(files);
                continue;
            }
            if dir.is_empty()
                && matches!(
                    name.as_str(),
                    "_config.yml" | "_config.yaml" | "_config.toml"
                )
            {
                continue;
            }
            match self.verdict(&rel, &name, is_dir) {
                Verdict::Excluded => self.inventory.excluded.push(rel),
                Verdict::Ignored => self.inventory.ignored.push(rel),
                Verdict::Keep if is_dir => self.folder(&rel),
                Verdict::Keep => {
                    let file = SourceFile { rel, path };
                    if has_front_matter(&file.path) {
                        self.inventory.pages.push(file);
                    } else {
                        self.inventory.statics.push(file);
                    }
                }
            }
        }
    }

    fn verdict(&self, rel: &str, name: &str, is_dir: bool) -> Verdict {
        if name.ends_with('.') {
            return Verdict::Ignored;
        }
        let included = self.include.matches(name, is_dir) || self.include.matches(rel, is_dir);
        if self.exclude.matches(rel, is_dir) && !included {
            return Verdict::Excluded;
        }
        if included {
            return Verdict::Keep;
        }
        if name.starts_with(['.', '_', '#']) || name.ends_with('~') {
            Verdict::Ignored
        } else {
            Verdict::Keep
        }
    }

    /// The entries of a folder, sorted by name; links to places outside the site are
    /// reported and left out.
    fn entries(&mut self, dir: &str) -> Vec<(String, PathBuf, bool)> {
        let full = self.root.join(dir);
        let read = match std::fs::read_dir(&full) {
            Ok(read) => read,
            Err(err) => {
                self.inventory.problems.push(
                    Diagnostic::error(format!("cannot read this folder: {err}"))
                        .in_file(if dir.is_empty() { "." } else { dir })
                        .with_help("check the folder's permissions"),
                );
                return Vec::new();
            }
        };
        let mut entries = Vec::new();
        for entry in read.flatten() {
            let path = entry.path();
            let Some(name) = entry.file_name().to_str().map(String::from) else {
                self.inventory.problems.push(
                    Diagnostic::error("the file name is not valid UTF-8")
                        .in_file(path.strip_prefix(self.root).unwrap_or(&path))
                        .with_help("rename the file using UTF-8 characters"),
                );
                continue;
            };
            let is_link = entry.file_type().is_ok_and(|t| t.is_symlink());
            if is_link {
                let inside = path
                    .canonicalize()
                    .is_ok_and(|real| real.starts_with(&self.real_root));
                if !inside {
                    self.inventory.problems.push(
                        Diagnostic::warning(
                            "this symbolic link points outside the site, so it is not imported",
                        )
                        .in_file(join(dir, &name))
                        .with_help("copy the file into the site, or link to something inside it"),
                    );
                    continue;
                }
            }
            let is_dir = path.is_dir();
            entries.push((name, path, is_dir));
        }
        entries.sort_by(|a, b| a.0.cmp(&b.0));
        entries
    }
}

fn join(dir: &str, name: &str) -> String {
    if dir.is_empty() {
        name.to_string()
    } else {
        format!("{dir}/{name}")
    }
}

/// Jekyll's test: the first line is `---` followed only by white space.
pub(super) fn has_front_matter(path: &Path) -> bool {
    let mut head = [0u8; 64];
    let Ok(mut file) = std::fs::File::open(path) else {
        return false;
    };
    let mut filled = 0;
    while filled < head.len() {
        match file.read(&mut head[filled..]) {
            Ok(0) | Err(_) => break,
            Ok(n) => filled += n,
        }
    }
    let head = &head[..filled];
    let Some(rest) = head.strip_prefix(b"---") else {
        return false;
    };
    match rest.iter().position(|&b| b == b'\n') {
        Some(end) => rest[..end].iter().all(u8::is_ascii_whitespace),
        None => false,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::import::jekyll_config::parse;

    fn write(root: &Path, rel: &str, text: &str) {
        let path = root.join(rel);
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(path, text).unwrap();
    }

    fn rels(files: &[SourceFile]) -> Vec<&str> {
        files.iter().map(|f| f.rel.as_str()).collect()
    }

    #[test]
    fn files_are_sorted_as_jekyll_sorts_them() {
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path();
        for (rel, text) in [
            ("_config.yml", "x: 1"),
            ("index.md", "---\ntitle: Home\n---\n"),
            ("notes.md", "no front matter"),
            ("docs/a.md", "--- \ntitle: A\n---\n"),
            ("docs/img.png", "png"),
            ("docs/_hidden.md", "---\n---\n"),
            ("docs-old/b.md", "---\n---\n"),
            ("vendor/bundle/x.md", "---\n---\n"),
            ("secret.txt", "s"),
            ("_includes/note.html", "n"),
            ("_layouts/custom.html", "l"),
            ("_data/people.yml", "- a"),
            ("_sass/custom/custom.scss", "s"),
            ("_tests/t.md", "---\ntitle: T\n---\n"),
            ("_tests/file.txt", "t"),
            ("_posts/2024-01-01-a.md", "---\n---\n"),
            (".github/workflow.yml", "w"),
            ("_site/index.html", "built"),
            ("public/index.html", "built elsewhere"),
            ("backup.md~", "b"),
            (".htaccess", "h"),
        ] {
            write(root, rel, text);
        }
        let config = parse(
            "_config.yml",
            "destination: ./public\nexclude: [docs, \"*.txt\"]\ninclude: [docs/a.md]\ncollections:\n  tests:\n    output: true\n",
        )
        .unwrap();
        let found = scan(root, &config);
        assert_eq!(rels(&found.pages), ["index.md", "docs/a.md"]);
        // `include:` replaces Jekyll's default list, which names .htaccess.
        assert_eq!(rels(&found.statics), ["notes.md"]);
        assert!(found.ignored.contains(&".htaccess".to_string()));
        // `docs` is a prefix of `docs-old`, so both go, as in Jekyll.
        assert_eq!(
            found.excluded,
            ["docs", "docs-old", "secret.txt", "vendor/bundle"]
        );
        assert_eq!(rels(&found.includes), ["_includes/note.html"]);
        assert_eq!(rels(&found.layouts), ["_layouts/custom.html"]);
        assert_eq!(rels(&found.data), ["_data/people.yml"]);
        assert_eq!(rels(&found.sass), ["_sass/custom/custom.scss"]);
        assert_eq!(found.documents.len(), 1);
        assert_eq!(found.documents[0].1.rel, "_tests/t.md");
        assert_eq!(found.collection_files[0].1.rel, "_tests/file.txt");
        assert_eq!(rels(&found.posts), ["_posts/2024-01-01-a.md"]);
        assert!(found.ignored.contains(&".github".to_string()));
        assert!(found.ignored.contains(&"_site".to_string()));
        assert!(found.ignored.contains(&"backup.md~".to_string()));
    }

    #[test]
    fn front_matter_is_detected_from_the_first_line() {
        let dir = tempfile::tempdir().unwrap();
        let yes = dir.path().join("yes.md");
        std::fs::write(&yes, "---  \r\ntitle: x\n---\n").unwrap();
        let no = dir.path().join("no.md");
        std::fs::write(&no, "----\n").unwrap();
        let empty = dir.path().join("empty.md");
        std::fs::write(&empty, "---").unwrap();
        assert!(has_front_matter(&yes));
        assert!(!has_front_matter(&no));
        assert!(!has_front_matter(&empty));
    }
}
