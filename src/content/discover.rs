//! Finds the files of a site: pages and assets under `content/`, files under `static/`.

use std::path::{Path, PathBuf};

use walkdir::WalkDir;

use crate::diagnostics::Diagnostic;
use crate::paths::{is_ignored_name, is_page};

/// A file found under a folder, with its path relative to that folder (forward slashes).
#[derive(Debug, Clone)]
pub struct Found {
    pub path: PathBuf,
    pub rel_path: String,
}

/// The files under `content/`, split into pages and assets, in a stable order.
#[derive(Debug, Default)]
pub struct Discovered {
    pub pages: Vec<Found>,
    pub assets: Vec<Found>,
}

/// Lists `content/`. `skip` is a folder never to enter (the output, if it is inside).
pub fn content(dir: &Path, skip: &[PathBuf]) -> (Discovered, Vec<Diagnostic>) {
    let (files, problems) = walk(dir, skip);
    let mut found = Discovered::default();
    for file in files {
        let name = file.rel_path.rsplit('/').next().unwrap_or(&file.rel_path);
        if is_page(name) {
            found.pages.push(file);
        } else {
            found.assets.push(file);
        }
    }
    (found, problems)
}

/// Lists every file under `dir` (none if it does not exist), sorted by path, with the
/// problems met on the way. Symbolic links are followed, but only to files inside the site
/// (the folder holding `dir`): publishing or serving a file from elsewhere on the machine
/// would be a surprise at best.
pub fn walk(dir: &Path, skip: &[PathBuf]) -> (Vec<Found>, Vec<Diagnostic>) {
    if !dir.is_dir() {
        return (Vec::new(), Vec::new());
    }
    // Following links costs a `stat` of every entry (the directory listing tells a file
    // from a folder, not where a link leads): most sites have no link, so they are listed
    // without, and listed again, following them, if one turns up.
    match walk_with(dir, skip, false) {
        Some(listed) => listed,
        // A walk that follows links always answers.
        None => walk_with(dir, skip, true).unwrap_or_default(),
    }
}

/// [`walk`], following symbolic links or not; `None` when not following and one is met.
fn walk_with(
    dir: &Path,
    skip: &[PathBuf],
    follow_links: bool,
) -> Option<(Vec<Found>, Vec<Diagnostic>)> {
    let site_root = dir.parent().unwrap_or(dir);
    let real_root = site_root
        .canonicalize()
        .unwrap_or_else(|_| site_root.to_path_buf());
    let shown = |path: &Path| path.strip_prefix(site_root).unwrap_or(path).to_path_buf();
    let escapes = |path: &Path| {
        path.canonicalize()
            .is_ok_and(|real| !real.starts_with(&real_root))
    };
    let outside = std::cell::RefCell::new(Vec::new());
    let walker = WalkDir::new(dir)
        .follow_links(follow_links)
        .sort_by_file_name()
        .into_iter()
        .filter_entry(|entry| {
            if entry.depth() == 0 {
                return true;
            }
            let name = entry.file_name().to_string_lossy();
            if is_ignored_name(&name) || skip.iter().any(|s| s == entry.path()) {
                return false;
            }
            if entry.path_is_symlink() && escapes(entry.path()) {
                outside.borrow_mut().push(entry.path().to_path_buf());
                return false;
            }
            true
        });
    let mut files = Vec::new();
    let mut problems = Vec::new();
    for entry in walker {
        match entry {
            Ok(entry) if !follow_links && entry.path_is_symlink() => return None,
            Ok(entry) if entry.file_type().is_file() => {
                let relative = entry.path().strip_prefix(dir).unwrap_or(entry.path());
                let Some(rel_path) = relative.to_str() else {
                    problems.push(
                        Diagnostic::error("the file name is not valid UTF-8")
                            .in_file(shown(entry.path()))
                            .with_help("rename the file using UTF-8 characters"),
                    );
                    continue;
                };
                files.push(Found {
                    path: entry.path().to_path_buf(),
                    rel_path: rel_path.replace('\\', "/"),
                });
            }
            Ok(_) => {}
            Err(err) => {
                let path = err
                    .path()
                    .map(Path::to_path_buf)
                    .unwrap_or_else(|| dir.to_path_buf());
                problems.push(
                    Diagnostic::error(format!("cannot read this folder entry: {err}"))
                        .in_file(shown(&path))
                        .with_help("check the permissions, or remove a symbolic link that loops"),
                );
            }
        }
    }
    for path in outside.into_inner() {
        problems.push(
            Diagnostic::warning(
                "this symbolic link points outside the site, so it is not published",
            )
            .in_file(shown(&path))
            .with_help("copy the file into the site, or link to something inside it"),
        );
    }
    Some((files, problems))
}
