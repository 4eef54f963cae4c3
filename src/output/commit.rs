//! Putting a finished build in place: either the staging folder becomes the output folder
//! (the first build, one rename), or the files it holds — only those whose bytes changed —
//! are moved into the existing output folder and the files the new site no longer has are
//! removed. Updating in place leaves every unchanged file alone: on a disk, making and
//! deleting tens of thousands of files costs more than the rest of a build, and tools that
//! deploy by modification time (rsync, `aws s3 sync`) upload only what changed.
//!
//! Nothing here runs before a build has succeeded, so a failed build never touches the
//! output. An interrupt while files are moved waits for the move to end
//! ([`super::remove_staging_on_interrupt`]), so the output is never left half updated by
//! Ctrl-C.

use std::collections::HashSet;
use std::io;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicBool, Ordering};

use rustc_hash::FxHashSet;
use walkdir::WalkDir;

/// Set while files are moved into the output folder.
pub(super) static MOVING: AtomicBool = AtomicBool::new(false);

/// Makes `staged` the output folder `target`, putting any previous one aside and removing it
/// once the new one is in place.
pub(super) fn replace(staged: &Path, target: &Path) -> io::Result<()> {
    if !target.exists() {
        return std::fs::rename(staged, target);
    }
    let name = target
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    let old = target.with_file_name(format!(".{name}.folio-old-{}", std::process::id()));
    std::fs::rename(target, &old)?;
    if let Err(err) = std::fs::rename(staged, target) {
        // Put the previous output back.
        let _ = std::fs::rename(&old, target);
        return Err(err);
    }
    let _ = std::fs::remove_dir_all(&old);
    Ok(())
}

/// The files of the output folder `target` (relative paths, forward slashes), when it can be
/// updated in place: `None` when it holds a symbolic link (a file reached through one may lie
/// outside the output, so such a folder is replaced as a whole) or a name that is not UTF-8.
pub(super) fn survey(target: &Path) -> Option<Vec<String>> {
    let mut files = Vec::new();
    for entry in WalkDir::new(target).min_depth(1).follow_links(false) {
        let entry = entry.ok()?;
        let kind = entry.file_type();
        if kind.is_symlink() {
            return None;
        }
        if !kind.is_dir() {
            files.push(relative(target, entry.path())?);
        }
    }
    Some(files)
}

/// Moves every file of `staged` to the same place in `target`, then removes the files of
/// `existing` (the output's files before the build, from [`survey`]) that are neither moved
/// nor in `kept` (paths relative to the output, with forward slashes), and the folders left
/// empty.
pub(super) fn update(
    staged: &Path,
    target: &Path,
    existing: &[String],
    kept: &FxHashSet<&str>,
) -> io::Result<()> {
    MOVING.store(true, Ordering::SeqCst);
    let moved = move_files(staged, target);
    MOVING.store(false, Ordering::SeqCst);
    let moved = moved?;
    let unpublished = existing
        .iter()
        .filter(|rel| !kept.contains(rel.as_str()) && !moved.contains(rel.as_str()));
    remove_files(target, unpublished)?;
    std::fs::remove_dir_all(staged)
}

fn move_files(staged: &Path, target: &Path) -> io::Result<HashSet<String>> {
    let mut moved = HashSet::new();
    let mut folders: HashSet<PathBuf> = HashSet::new();
    for entry in WalkDir::new(staged).min_depth(1) {
        let entry = entry.map_err(io::Error::other)?;
        if !entry.file_type().is_file() {
            continue;
        }
        let Some(rel) = relative(staged, entry.path()) else {
            continue;
        };
        let to = target.join(&rel);
        if let Some(parent) = to.parent() {
            make_folder(target, parent, &mut folders)?;
        }
        if std::fs::symlink_metadata(&to).is_ok_and(|m| m.is_dir()) {
            std::fs::remove_dir_all(&to)?;
        }
        std::fs::rename(entry.path(), &to)?;
        moved.insert(rel);
    }
    Ok(moved)
}

/// Makes `folder` (inside `target`) a real folder: whatever stands in the way — a file, or a
/// symbolic link that would lead writes outside the output — is replaced.
fn make_folder(target: &Path, folder: &Path, made: &mut HashSet<PathBuf>) -> io::Result<()> {
    if folder == target || made.contains(folder) {
        return Ok(());
    }
    if let Some(parent) = folder.parent() {
        make_folder(target, parent, made)?;
    }
    match std::fs::symlink_metadata(folder) {
        Ok(meta) if meta.is_dir() => {}
        Ok(_) => {
            std::fs::remove_file(folder)?;
            std::fs::create_dir(folder)?;
        }
        Err(err) if err.kind() == io::ErrorKind::NotFound => std::fs::create_dir(folder)?,
        Err(err) => return Err(err),
    }
    made.insert(folder.to_path_buf());
    Ok(())
}

/// Removes `files` of `target`, then the folders that leaves empty.
fn remove_files<'a>(target: &Path, files: impl Iterator<Item = &'a String>) -> io::Result<()> {
    let mut emptied: Vec<PathBuf> = Vec::new();
    for rel in files {
        let path = target.join(rel);
        // A moved file may stand where a folder of old files was, and a folder of new files
        // where an old file was.
        if !std::fs::symlink_metadata(&path).is_ok_and(|m| m.is_file()) {
            continue;
        }
        std::fs::remove_file(&path)?;
        emptied.extend(path.parent().map(Path::to_path_buf));
    }
    // Deepest first, so that a folder emptied by removing its folders goes too.
    emptied.sort_by_key(|folder| std::cmp::Reverse(folder.components().count()));
    emptied.dedup();
    let mut index = 0;
    while index < emptied.len() {
        let folder = emptied[index].clone();
        index += 1;
        // Fails, as it should, for a folder that still holds files.
        if folder.starts_with(target)
            && folder != target
            && std::fs::remove_dir(&folder).is_ok()
            && let Some(parent) = folder.parent()
        {
            emptied.push(parent.to_path_buf());
        }
    }
    Ok(())
}

/// `path` relative to `base`, with forward slashes (`None` for a name that is not UTF-8: no
/// output of folio has one).
fn relative(base: &Path, path: &Path) -> Option<String> {
    let rel = path.strip_prefix(base).ok()?;
    let parts: Option<Vec<&str>> = rel.components().map(|c| c.as_os_str().to_str()).collect();
    Some(parts?.join("/"))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn write(path: &Path, text: &str) {
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(path, text).unwrap();
    }

    #[test]
    fn update_moves_new_files_and_removes_the_unpublished() {
        let dir = tempfile::tempdir().unwrap();
        let (staged, target) = (dir.path().join("staged"), dir.path().join("public"));
        write(&target.join("same/index.html"), "same");
        write(&target.join("changed/index.html"), "old");
        write(&target.join("gone/deep/index.html"), "gone");
        write(&target.join("file-then-folder"), "a file");
        write(&target.join("folder-then-file/index.html"), "x");
        write(&staged.join("changed/index.html"), "new");
        write(&staged.join("file-then-folder/index.html"), "now a folder");
        write(&staged.join("folder-then-file"), "now a file");
        write(&staged.join("added/index.html"), "added");
        let before = std::fs::metadata(target.join("same/index.html")).unwrap();

        let existing = survey(&target).unwrap();
        let kept: FxHashSet<&str> = ["same/index.html"].into_iter().collect();
        update(&staged, &target, &existing, &kept).unwrap();

        let read = |rel: &str| std::fs::read_to_string(target.join(rel)).unwrap();
        assert_eq!(read("same/index.html"), "same");
        assert_eq!(read("changed/index.html"), "new");
        assert_eq!(read("added/index.html"), "added");
        assert_eq!(read("file-then-folder/index.html"), "now a folder");
        assert_eq!(read("folder-then-file"), "now a file");
        assert!(!target.join("gone").exists(), "emptied folders are removed");
        assert!(!staged.exists());
        let after = std::fs::metadata(target.join("same/index.html")).unwrap();
        assert_eq!(before.modified().unwrap(), after.modified().unwrap());
    }

    #[cfg(unix)]
    #[test]
    fn an_output_with_a_link_is_not_updated_in_place() {
        let dir = tempfile::tempdir().unwrap();
        let target = dir.path().join("public");
        std::fs::create_dir_all(&target).unwrap();
        write(&target.join("a/index.html"), "a");
        assert_eq!(survey(&target), Some(vec!["a/index.html".to_string()]));
        std::os::unix::fs::symlink(dir.path(), target.join("docs")).unwrap();
        assert_eq!(survey(&target), None);
    }
}
