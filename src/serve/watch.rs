//! Watching the site's files (notify; polling with `--poll`) and collapsing bursts of events
//! into one batch per rebuild.

use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::sync::mpsc::{Receiver, RecvTimeoutError, Sender, channel};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant, SystemTime};

use notify::RecursiveMode;
use notify::event::{AccessKind, EventKind, ModifyKind, RenameMode};

use crate::config::SitePaths;
use crate::paths::is_ignored_name;

/// A batch is closed when no event came for this long...
const QUIET: Duration = Duration::from_millis(25);
/// ...or this long after an event that ends a save (a file written and closed, or moved into
/// place), which an editor sends last.
const QUIET_AFTER_SAVE: Duration = Duration::from_millis(4);
/// ...or when it has been open this long (a `git checkout` of many files).
const LONGEST: Duration = Duration::from_millis(400);
/// How often `--poll` looks at the files.
const POLL_INTERVAL: Duration = Duration::from_millis(250);

/// Polling for `--poll`. notify's own poller compares modification times in whole seconds,
/// so a save in the same second as its last look is never seen; this one compares sizes and
/// modification times to the nanosecond and reports what it finds as notify events.
struct Poller {
    state: Arc<Mutex<PollState>>,
}

#[derive(Default)]
struct PollState {
    roots: Vec<(PathBuf, RecursiveMode)>,
    /// Size and modification time of every file, as last seen.
    seen: Snapshot,
}

type Snapshot = HashMap<PathBuf, (u64, Option<SystemTime>)>;

impl Poller {
    fn start(sender: Sender<notify::Result<notify::Event>>, interval: Duration) -> Poller {
        let state: Arc<Mutex<PollState>> = Arc::default();
        let shared = Arc::clone(&state);
        std::thread::spawn(move || {
            loop {
                std::thread::sleep(interval);
                let mut state = shared.lock().unwrap_or_else(|e| e.into_inner());
                let current = snapshot(&state.roots);
                let mut changed: Vec<PathBuf> = current
                    .iter()
                    .filter(|(path, stamp)| state.seen.get(*path) != Some(stamp))
                    .map(|(path, _)| path.clone())
                    .collect();
                changed.extend(
                    state
                        .seen
                        .keys()
                        .filter(|path| !current.contains_key(*path))
                        .cloned(),
                );
                state.seen = current;
                drop(state);
                if !changed.is_empty() {
                    let mut event = notify::Event::new(EventKind::Any);
                    event.paths = changed;
                    if sender.send(Ok(event)).is_err() {
                        return;
                    }
                }
            }
        });
        Poller { state }
    }
}

fn snapshot(roots: &[(PathBuf, RecursiveMode)]) -> Snapshot {
    let mut files = Snapshot::new();
    for (root, mode) in roots {
        let depth = if *mode == RecursiveMode::Recursive {
            usize::MAX
        } else {
            1
        };
        // Files only: a folder's time changes with its files, which are reported themselves.
        let files_only = walkdir::WalkDir::new(root)
            .max_depth(depth)
            .into_iter()
            .flatten()
            .filter(|e| e.file_type().is_file());
        for entry in files_only {
            if let Ok(metadata) = entry.metadata() {
                files.insert(
                    entry.path().to_path_buf(),
                    (metadata.len(), metadata.modified().ok()),
                );
            }
        }
    }
    files
}

impl notify::Watcher for Poller {
    fn new<F: notify::EventHandler>(_: F, _: notify::Config) -> notify::Result<Self> {
        Err(notify::Error::generic(
            "the poller is made with Poller::start",
        ))
    }

    /// Starts polling `path`; what is there now is the starting point (seen at once, so a
    /// save right after is not missed).
    fn watch(&mut self, path: &Path, mode: RecursiveMode) -> notify::Result<()> {
        let root = (path.to_path_buf(), mode);
        let mut state = self.state.lock().unwrap_or_else(|e| e.into_inner());
        state.seen.extend(snapshot(std::slice::from_ref(&root)));
        state.roots.push(root);
        Ok(())
    }

    fn unwatch(&mut self, path: &Path) -> notify::Result<()> {
        self.state
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .roots
            .retain(|(p, _)| p != path);
        Ok(())
    }

    fn kind() -> notify::WatcherKind {
        notify::WatcherKind::PollWatcher
    }
}

#[derive(Debug, thiserror::Error)]
pub enum WatchError {
    #[error("cannot watch `{}` for changes: {source}", .path.display())]
    Watch {
        path: PathBuf,
        source: notify::Error,
    },
}

/// Watches a site; dropping it stops watching.
pub struct SiteWatcher {
    watcher: Box<dyn notify::Watcher + Send>,
    events: Receiver<notify::Result<notify::Event>>,
    paths: SitePaths,
    watched: Vec<PathBuf>,
}

impl SiteWatcher {
    /// Watches the site root (for site.toml and new folders) and its content, templates and
    /// static folders.
    pub fn start(paths: &SitePaths, poll: bool) -> Result<SiteWatcher, WatchError> {
        let (sender, events) = channel();
        let watch_error = |source| WatchError::Watch {
            path: paths.root.clone(),
            source,
        };
        let watcher: Box<dyn notify::Watcher + Send> = if poll {
            Box::new(Poller::start(sender, POLL_INTERVAL))
        } else {
            Box::new(notify::recommended_watcher(sender).map_err(watch_error)?)
        };
        let mut site_watcher = SiteWatcher {
            watcher,
            events,
            paths: paths.clone(),
            watched: Vec::new(),
        };
        site_watcher.watch(&paths.root.clone(), RecursiveMode::NonRecursive)?;
        site_watcher.watch_folders()?;
        Ok(site_watcher)
    }

    fn watch(&mut self, path: &Path, mode: RecursiveMode) -> Result<(), WatchError> {
        self.watcher
            .watch(path, mode)
            .map_err(|source| WatchError::Watch {
                path: path.to_path_buf(),
                source,
            })?;
        self.watched.push(path.to_path_buf());
        Ok(())
    }

    /// Starts watching the site's folders that exist and are not watched yet.
    fn watch_folders(&mut self) -> Result<(), WatchError> {
        for dir in [
            self.paths.content.clone(),
            self.paths.templates.clone(),
            self.paths.static_dir.clone(),
            self.paths.includes.clone(),
            self.paths.data.clone(),
        ] {
            if dir.is_dir() && !self.watched.contains(&dir) {
                self.watch(&dir, RecursiveMode::Recursive)?;
            }
        }
        Ok(())
    }

    /// Waits for the next batch of changed files. `first` is called as soon as the first
    /// relevant event arrives (so that requests wait for the rebuild). `None` when the
    /// watcher stopped.
    pub fn next_batch(&mut self, first: impl FnOnce()) -> Option<Vec<PathBuf>> {
        let mut batch: Vec<PathBuf> = Vec::new();
        // The first relevant event.
        let mut saved = loop {
            let event = self.events.recv().ok()?;
            let saved = self.collect(event, &mut batch);
            if !batch.is_empty() {
                break saved;
            }
        };
        first();
        let opened = Instant::now();
        loop {
            let left = LONGEST.saturating_sub(opened.elapsed());
            if left.is_zero() {
                break;
            }
            let quiet = if saved { QUIET_AFTER_SAVE } else { QUIET };
            match self.events.recv_timeout(quiet.min(left)) {
                Ok(event) => saved = self.collect(event, &mut batch),
                Err(RecvTimeoutError::Timeout) => break,
                Err(RecvTimeoutError::Disconnected) => break,
            }
        }
        // Folders created since (templates/, static/) are watched from now on.
        let _ = self.watch_folders();
        batch.sort();
        batch.dedup();
        Some(batch)
    }

    /// Adds the relevant paths of `event` to `batch`; whether the event ends a save of a
    /// relevant file.
    fn collect(&self, event: notify::Result<notify::Event>, batch: &mut Vec<PathBuf>) -> bool {
        let Ok(event) = event else {
            return false;
        };
        let closed_after_write = AccessKind::Close(notify::event::AccessMode::Write);
        // Reading a file is not a change; closing it after writing is one.
        if matches!(event.kind, EventKind::Access(kind) if kind != closed_after_write) {
            return false;
        }
        let ends_save = match event.kind {
            EventKind::Access(_) => true,
            EventKind::Modify(ModifyKind::Name(mode)) => {
                matches!(mode, RenameMode::To | RenameMode::Both)
            }
            _ => false,
        };
        let mut relevant = false;
        for path in event.paths {
            if self.is_relevant(&path) {
                batch.push(path);
                relevant = true;
            }
        }
        ends_save && relevant
    }

    fn is_relevant(&self, path: &Path) -> bool {
        let paths = &self.paths;
        if path.starts_with(&paths.output) {
            return false;
        }
        let name = path
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_default();
        if is_ignored_name(&name) {
            return false;
        }
        path == paths.root.join(crate::config::CONFIG_FILE)
            || path.starts_with(&paths.content)
            || path.starts_with(&paths.templates)
            || path.starts_with(&paths.static_dir)
            || path.starts_with(&paths.includes)
            || path.starts_with(&paths.data)
    }
}

#[cfg(test)]
mod tests {
    use notify::event::{AccessMode, CreateKind, DataChange};

    use super::*;
    use crate::config::SiteConfig;

    fn event(kind: EventKind, path: &Path) -> notify::Result<notify::Event> {
        Ok(notify::Event::new(kind).add_path(path.to_path_buf()))
    }

    /// A page written and closed, or moved into place, ends a save: its batch closes after
    /// `QUIET_AFTER_SAVE`; anything else waits the longer `QUIET` for more events.
    #[test]
    fn events_that_end_a_save() {
        let root = tempfile::tempdir().unwrap();
        std::fs::create_dir_all(root.path().join("content")).unwrap();
        let paths = SitePaths::new(root.path(), &SiteConfig::default(), None);
        let watcher = SiteWatcher::start(&paths, false).unwrap();
        let page = paths.content.join("page.md");
        let mut batch = Vec::new();
        let closed = EventKind::Access(AccessKind::Close(AccessMode::Write));
        assert!(watcher.collect(event(closed, &page), &mut batch));
        let moved = EventKind::Modify(ModifyKind::Name(RenameMode::To));
        assert!(watcher.collect(event(moved, &page), &mut batch));
        let written = EventKind::Modify(ModifyKind::Data(DataChange::Any));
        assert!(!watcher.collect(event(written, &page), &mut batch));
        let created = EventKind::Create(CreateKind::File);
        assert!(!watcher.collect(event(created, &page), &mut batch));
        assert_eq!(batch.len(), 4);
        // A file of the output is not part of the site: closing it ends nothing.
        let output = paths.output.join("index.html");
        assert!(!watcher.collect(event(closed, &output), &mut batch));
        assert_eq!(batch.len(), 4);
    }
}
