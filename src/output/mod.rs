//! Writing the site: new files go into a staging folder next to the output folder, and reach
//! the output only when the whole build succeeded (the first build renames the staging folder;
//! later ones move in the files that changed, see [`commit`]). A failed or interrupted build
//! leaves the previous output exactly as it was.
//!
//! Entry point: [`Staging::create`], then `write`/`copy`, then [`Staging::commit`]. A render
//! pass writes through an [`OutputSink`]: the staging folder, the preview server's memory, or
//! [`Discard`] (`folio check`).

mod commit;
pub mod extras;
pub mod relative;
pub mod reuse;

use std::collections::BTreeSet;
use std::io;
use std::path::{Component, Path, PathBuf};

use crate::config::SitePaths;
use crate::diagnostics::{Diagnostic, display_path};

/// Where a render pass puts the files it makes. Paths are relative to the output folder,
/// with forward slashes; writes come from several threads at once.
pub trait OutputSink: Sync {
    /// Makes ready for files at `paths` (folders on disk, made once before parallel writes).
    fn prepare(&self, paths: &mut dyn Iterator<Item = &str>) -> Result<(), OutputError>;
    fn write(&self, path: &str, bytes: Vec<u8>) -> Result<(), OutputError>;
    /// A file published as it is on disk.
    fn copy(&self, path: &str, from: &Path) -> Result<(), OutputError>;
    /// Adds `bytes` to the end of the file at `path` (made by the first call): a file written
    /// piece by piece, in order, from one thread, so that a large file made from every page
    /// (the print page) is never whole in memory.
    fn append(&self, path: &str, bytes: &[u8]) -> Result<(), OutputError>;
    /// A page's Markdown as just rendered (by its path under `content/`), and its Markdown
    /// copy, for a sink that keeps them for later builds; the others ignore them.
    fn keep_body(&self, _rel_path: &str, _body: &crate::markdown::Rendered, _copy: Option<&str>) {}
}

/// Keeps nothing: `folio check` renders every page and writes none.
pub struct Discard;

impl OutputSink for Discard {
    fn prepare(&self, _: &mut dyn Iterator<Item = &str>) -> Result<(), OutputError> {
        Ok(())
    }
    fn write(&self, _: &str, _: Vec<u8>) -> Result<(), OutputError> {
        Ok(())
    }
    fn copy(&self, _: &str, _: &Path) -> Result<(), OutputError> {
        Ok(())
    }
    fn append(&self, _: &str, _: &[u8]) -> Result<(), OutputError> {
        Ok(())
    }
}

impl OutputSink for Staging {
    fn prepare(&self, paths: &mut dyn Iterator<Item = &str>) -> Result<(), OutputError> {
        self.create_dirs(paths)
    }
    fn write(&self, path: &str, bytes: Vec<u8>) -> Result<(), OutputError> {
        self.write_file(path, &bytes)
    }
    fn copy(&self, path: &str, from: &Path) -> Result<(), OutputError> {
        self.copy_file(path, from)
    }
    fn append(&self, path: &str, bytes: &[u8]) -> Result<(), OutputError> {
        self.append_file(path, bytes)
    }
}

#[derive(Debug, thiserror::Error)]
pub enum OutputError {
    #[error("cannot create the staging folder `{}`: {source}", display_path(.path))]
    Create { path: PathBuf, source: io::Error },
    #[error("cannot write `{path}`: {source}")]
    Write { path: String, source: io::Error },
    #[error("refusing to write `{0}`: it is not a plain path inside the output folder")]
    Unsafe(String),
    #[error("cannot replace the output folder `{}`: {source}", display_path(.path))]
    Swap { path: PathBuf, source: io::Error },
}

impl OutputError {
    pub fn to_diagnostic(&self) -> Diagnostic {
        let help = match self {
            OutputError::Unsafe(_) => "this is a bug in folio; please report it",
            _ => {
                "check that the output folder's parent exists and is writable, and that no other program holds the files"
            }
        };
        Diagnostic::error(self.to_string()).with_help(help)
    }
}

/// Checks that the output folder is not a folder the site is read from.
pub fn check_output_location(paths: &SitePaths) -> Result<(), Diagnostic> {
    let output = normalise(&paths.output);
    let root = normalise(&paths.root);
    let bad = |what: &str| {
        Err(Diagnostic::error(format!(
            "the output folder `{}` would replace {what}",
            display_path(&paths.output)
        ))
        .with_help("choose another output folder, e.g. `public` inside the site"))
    };
    if root.starts_with(&output) {
        return bad("the site itself");
    }
    for (dir, what) in [
        (&paths.content, "the content folder"),
        (&paths.templates, "the templates folder"),
        (&paths.static_dir, "the static folder"),
        (&paths.includes, "the includes folder"),
        (&paths.data, "the data folder"),
    ] {
        let dir = normalise(dir);
        if dir.starts_with(&output) {
            return bad(what);
        }
        if output.starts_with(&dir) {
            return Err(Diagnostic::error(format!(
                "the output folder `{}` is inside {what}, so it would be published again on the next build",
                display_path(&paths.output)
            ))
            .with_help("choose an output folder outside content/, templates/ and static/"));
        }
    }
    Ok(())
}

/// An absolute path with `.` and `..` resolved, following symbolic links where it exists.
fn normalise(path: &Path) -> PathBuf {
    let absolute = if path.is_absolute() {
        path.to_path_buf()
    } else {
        std::env::current_dir().unwrap_or_default().join(path)
    };
    // Canonicalise the longest existing ancestor, then add the rest.
    let mut existing = absolute.clone();
    let mut rest = Vec::new();
    while !existing.exists() {
        match existing.file_name() {
            Some(name) => rest.push(name.to_os_string()),
            None => break,
        }
        if !existing.pop() {
            break;
        }
    }
    let mut result = existing.canonicalize().unwrap_or(existing);
    for name in rest.into_iter().rev() {
        result.push(name);
    }
    let mut clean = PathBuf::new();
    for component in result.components() {
        match component {
            Component::ParentDir => {
                clean.pop();
            }
            Component::CurDir => {}
            other => clean.push(other),
        }
    }
    clean
}

/// Staging folders of this process that are not committed yet, for the interrupt handler.
static ACTIVE: std::sync::Mutex<Vec<PathBuf>> = std::sync::Mutex::new(Vec::new());
/// Set once the process is interrupted: no folder is made after that, so that writes still
/// under way cannot make the staging folder again while it is removed.
static INTERRUPTED: std::sync::atomic::AtomicBool = std::sync::atomic::AtomicBool::new(false);

/// On Ctrl-C (SIGINT), SIGTERM or SIGHUP, removes the staging folders of builds under way
/// before the process ends: the output folder is untouched either way, and an interrupted
/// build of a large site would otherwise leave hundreds of megabytes behind until the next.
pub fn remove_staging_on_interrupt() {
    let _ = ctrlc::set_handler(|| {
        INTERRUPTED.store(true, std::sync::atomic::Ordering::SeqCst);
        // A build moving its files into the output finishes that first (a fraction of a
        // second), so that the output is the old site or the new one, not a mix.
        while commit::MOVING.load(std::sync::atomic::Ordering::SeqCst) {
            std::thread::sleep(std::time::Duration::from_millis(2));
        }
        let folders = std::mem::take(&mut *ACTIVE.lock().unwrap_or_else(|e| e.into_inner()));
        for folder in folders {
            // Writes that started before the flag may still add files: try until it is gone.
            for _ in 0..50 {
                let _ = std::fs::remove_dir_all(&folder);
                if !folder.exists() {
                    break;
                }
                std::thread::sleep(std::time::Duration::from_millis(2));
            }
        }
        std::process::exit(130);
    });
}

fn set_active(dir: &Path, active: bool) {
    let mut folders = ACTIVE.lock().unwrap_or_else(|e| e.into_inner());
    folders.retain(|d| d != dir);
    if active {
        folders.push(dir.to_path_buf());
    }
}

/// A folder the new site is written to before it reaches the output folder.
#[derive(Debug)]
pub struct Staging {
    dir: PathBuf,
    target: PathBuf,
    /// The files of the output folder, when it is updated in place: the staging folder gets
    /// only files that differ from it, and the commit moves them in and removes the rest.
    existing: std::sync::OnceLock<Option<Vec<String>>>,
    /// The survey of the output folder, walked on a thread of its own while the build plans
    /// (tens of thousands of entries at 10,000 pages).
    surveying: std::sync::Mutex<Option<std::thread::JoinHandle<Option<Vec<String>>>>>,
    committed: bool,
}

impl Staging {
    /// Creates an empty staging folder next to `target` (removing ones left by builds that
    /// were interrupted).
    pub fn create(target: &Path) -> Result<Staging, OutputError> {
        let parent = target
            .parent()
            .map(Path::to_path_buf)
            .unwrap_or_else(|| PathBuf::from("."));
        let name = target
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_else(|| "public".into());
        std::fs::create_dir_all(&parent).map_err(|source| OutputError::Create {
            path: parent.clone(),
            source,
        })?;
        remove_stale(&parent, &name);
        let dir = parent.join(format!(".{name}.folio-staging-{}", std::process::id()));
        if dir.exists() {
            let _ = std::fs::remove_dir_all(&dir);
        }
        std::fs::create_dir(&dir).map_err(|source| OutputError::Create {
            path: dir.clone(),
            source,
        })?;
        set_active(&dir, true);
        let existing = std::sync::OnceLock::new();
        let mut surveying = None;
        if std::fs::symlink_metadata(target).is_ok_and(|m| m.is_dir()) {
            let walked = target.to_path_buf();
            match std::thread::Builder::new().spawn(move || commit::survey(&walked)) {
                Ok(handle) => surveying = Some(handle),
                Err(_) => {
                    let _ = existing.set(commit::survey(target));
                }
            }
        } else {
            let _ = existing.set(None);
        }
        Ok(Staging {
            dir,
            target: target.to_path_buf(),
            existing,
            surveying: std::sync::Mutex::new(surveying),
            committed: false,
        })
    }

    /// The output's files before the build (see [`commit::survey`]), waiting for the survey.
    fn existing(&self) -> Option<&Vec<String>> {
        self.existing
            .get_or_init(|| {
                let handle = self.surveying.lock().ok()?.take()?;
                handle.join().ok().flatten()
            })
            .as_ref()
    }

    /// Whether the output folder is updated in place: a file whose bytes are those of the
    /// output's file of the same path need not be written at all.
    pub fn updates_in_place(&self) -> bool {
        self.existing().is_some()
    }

    /// The size and time of the output's file `rel_path` before the build. `None` when it
    /// has none, and for every file of an output that is not updated in place: the commit
    /// replaces that one whole, so none of its files can be kept.
    pub fn file_time(&self, rel_path: &str) -> Option<reuse::FileTime> {
        if !self.updates_in_place() {
            return None;
        }
        reuse::FileTime::of(&self.target.join(rel_path))
    }

    /// The output folder.
    pub fn target(&self) -> &Path {
        &self.target
    }

    /// The file `rel_path` (forward slashes) inside the staging folder, refusing anything
    /// that could point outside it.
    fn file(&self, rel_path: &str) -> Result<PathBuf, OutputError> {
        let relative = Path::new(rel_path);
        let plain = !rel_path.is_empty()
            && !rel_path.contains('\\')
            && relative
                .components()
                .all(|c| matches!(c, Component::Normal(_)));
        if !plain {
            return Err(OutputError::Unsafe(rel_path.to_string()));
        }
        Ok(self.dir.join(relative))
    }

    /// Creates the folders that will hold `files` (once each, before parallel writes).
    pub fn create_dirs<'a>(
        &self,
        files: impl IntoIterator<Item = &'a str>,
    ) -> Result<(), OutputError> {
        let mut dirs = BTreeSet::new();
        for file in files {
            if let Some((dir, _)) = file.rsplit_once('/') {
                dirs.insert(dir.to_string());
            }
        }
        for dir in dirs {
            if INTERRUPTED.load(std::sync::atomic::Ordering::SeqCst) {
                break;
            }
            let path = self.file(&dir)?;
            std::fs::create_dir_all(&path)
                .map_err(|source| OutputError::Write { path: dir, source })?;
        }
        Ok(())
    }

    /// Writes a file; its folder is made when it is missing (folders made beforehand with
    /// [`Staging::create_dirs`] save a failed attempt per folder).
    pub fn write_file(&self, rel_path: &str, bytes: &[u8]) -> Result<(), OutputError> {
        let path = self.file(rel_path)?;
        let error = |source| OutputError::Write {
            path: rel_path.to_string(),
            source,
        };
        match std::fs::write(&path, bytes) {
            Err(err)
                if err.kind() == io::ErrorKind::NotFound
                    && !INTERRUPTED.load(std::sync::atomic::Ordering::SeqCst) =>
            {
                if let Some(parent) = path.parent() {
                    std::fs::create_dir_all(parent).map_err(error)?;
                }
                std::fs::write(&path, bytes).map_err(error)
            }
            other => other.map_err(error),
        }
    }

    /// Adds `bytes` to the end of a file, making it (and its folder) when missing.
    pub fn append_file(&self, rel_path: &str, bytes: &[u8]) -> Result<(), OutputError> {
        use std::io::Write as _;
        let path = self.file(rel_path)?;
        let error = |source| OutputError::Write {
            path: rel_path.to_string(),
            source,
        };
        if let Some(parent) = path.parent()
            && !parent.is_dir()
            && !INTERRUPTED.load(std::sync::atomic::Ordering::SeqCst)
        {
            std::fs::create_dir_all(parent).map_err(error)?;
        }
        std::fs::OpenOptions::new()
            .create(true)
            .append(true)
            .open(&path)
            .and_then(|mut file| file.write_all(bytes))
            .map_err(error)
    }

    pub fn copy_file(&self, rel_path: &str, from: &Path) -> Result<(), OutputError> {
        let path = self.file(rel_path)?;
        std::fs::copy(from, &path)
            .map(|_| ())
            .map_err(|source| OutputError::Write {
                path: rel_path.to_string(),
                source,
            })
    }

    /// Puts the new site in place: the staging folder becomes the output folder, or (when the
    /// output existed) its files are moved in and the output's files that are neither moved
    /// nor in `kept` are removed.
    pub fn commit<'a>(
        mut self,
        kept: impl IntoIterator<Item = &'a str>,
    ) -> Result<(), OutputError> {
        let done = if let Some(existing) = self.existing() {
            let kept: rustc_hash::FxHashSet<&str> = kept.into_iter().collect();
            commit::update(&self.dir, &self.target, existing, &kept)
        } else {
            commit::replace(&self.dir, &self.target)
        };
        done.map_err(|source| OutputError::Swap {
            path: self.target.clone(),
            source,
        })?;
        self.committed = true;
        Ok(())
    }
}

impl Drop for Staging {
    fn drop(&mut self) {
        set_active(&self.dir, false);
        if !self.committed {
            let _ = std::fs::remove_dir_all(&self.dir);
        }
    }
}

/// Removes staging and old-output folders of builds whose process is gone.
fn remove_stale(parent: &Path, name: &str) {
    let Ok(entries) = std::fs::read_dir(parent) else {
        return;
    };
    let prefixes = [
        format!(".{name}.folio-staging-"),
        format!(".{name}.folio-old-"),
    ];
    for entry in entries.flatten() {
        let file_name = entry.file_name().to_string_lossy().into_owned();
        let Some(pid) = prefixes
            .iter()
            .find_map(|p| file_name.strip_prefix(p.as_str()))
        else {
            continue;
        };
        let alive = pid.parse::<u32>().is_ok_and(|pid| {
            pid == std::process::id() || Path::new(&format!("/proc/{pid}")).exists()
        });
        if !alive {
            let _ = std::fs::remove_dir_all(entry.path());
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn staging_refuses_paths_outside() {
        let dir = tempfile::tempdir().unwrap();
        let staging = Staging::create(&dir.path().join("public")).unwrap();
        for bad in ["../x.html", "/etc/passwd", "a/../../b", "a\\b", ""] {
            assert!(
                matches!(staging.write_file(bad, b"x"), Err(OutputError::Unsafe(_))),
                "{bad}"
            );
        }
        staging.write_file("ok.html", b"x").unwrap();
        assert!(matches!(
            staging.append_file("../x.html", b"x"),
            Err(OutputError::Unsafe(_))
        ));
    }

    #[test]
    fn appended_pieces_make_one_file() {
        let dir = tempfile::tempdir().unwrap();
        let target = dir.path().join("public");
        let staging = Staging::create(&target).unwrap();
        staging.append_file("print/index.html", b"<head>").unwrap();
        staging.append_file("print/index.html", b"<body>").unwrap();
        staging.commit([]).unwrap();
        assert_eq!(
            std::fs::read_to_string(target.join("print/index.html")).unwrap(),
            "<head><body>"
        );
    }

    #[test]
    fn commit_replaces_and_drop_discards() {
        let dir = tempfile::tempdir().unwrap();
        let target = dir.path().join("public");
        std::fs::create_dir(&target).unwrap();
        std::fs::write(target.join("old.html"), "old").unwrap();

        let staging = Staging::create(&target).unwrap();
        staging.write_file("new.html", b"new").unwrap();
        drop(staging);
        assert!(target.join("old.html").exists());
        assert_eq!(
            std::fs::read_dir(dir.path()).unwrap().count(),
            1,
            "staging folder left behind"
        );

        let staging = Staging::create(&target).unwrap();
        staging.write_file("new.html", b"new").unwrap();
        staging.write_file("kept.html", b"kept").unwrap();
        staging.commit([]).unwrap();
        assert!(!target.join("old.html").exists());

        // The output exists now: the next build updates it in place.
        let staging = Staging::create(&target).unwrap();
        assert!(staging.updates_in_place());
        staging.write_file("new.html", b"newer").unwrap();
        staging.commit(["kept.html"]).unwrap();
        assert_eq!(
            std::fs::read_to_string(target.join("kept.html")).unwrap(),
            "kept"
        );
        assert_eq!(
            std::fs::read_to_string(target.join("new.html")).unwrap(),
            "newer"
        );
        assert_eq!(std::fs::read_dir(dir.path()).unwrap().count(), 1);
    }

    #[test]
    fn output_may_not_replace_sources() {
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path().join("site");
        std::fs::create_dir_all(root.join("content")).unwrap();
        let paths = |output: PathBuf| SitePaths {
            root: root.clone(),
            content: root.join("content"),
            templates: root.join("templates"),
            static_dir: root.join("static"),
            includes: root.join("includes"),
            data: root.join("data"),
            output,
        };
        assert!(check_output_location(&paths(root.join("public"))).is_ok());
        assert!(check_output_location(&paths(root.clone())).is_err());
        assert!(check_output_location(&paths(dir.path().to_path_buf())).is_err());
        assert!(check_output_location(&paths(root.join("content"))).is_err());
        assert!(check_output_location(&paths(root.join("content/out"))).is_err());
        assert!(check_output_location(&paths(root.join("x/../content"))).is_err());
    }
}
