//! Watching the site's files (notify; polling with `--poll`) and collapsing bursts of events
//! into one batch per rebuild.

use std::path::{Path, PathBuf};
use std::sync::mpsc::{Receiver, RecvTimeoutError, channel};
use std::time::{Duration, Instant};

use notify::RecursiveMode;
use notify::event::{AccessKind, EventKind};

use crate::config::SitePaths;
use crate::content::discover::is_ignored_name;

/// A batch is closed when no event came for this long...
const QUIET: Duration = Duration::from_millis(25);
/// ...or when it has been open this long (a `git checkout` of many files).
const LONGEST: Duration = Duration::from_millis(400);
/// How often `--poll` looks at the files.
const POLL_INTERVAL: Duration = Duration::from_millis(250);

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
            let config = notify::Config::default().with_poll_interval(POLL_INTERVAL);
            Box::new(notify::PollWatcher::new(sender, config).map_err(watch_error)?)
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
        loop {
            let event = self.events.recv().ok()?;
            self.collect(event, &mut batch);
            if !batch.is_empty() {
                break;
            }
        }
        first();
        let opened = Instant::now();
        loop {
            let left = LONGEST.saturating_sub(opened.elapsed());
            if left.is_zero() {
                break;
            }
            match self.events.recv_timeout(QUIET.min(left)) {
                Ok(event) => self.collect(event, &mut batch),
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

    fn collect(&self, event: notify::Result<notify::Event>, batch: &mut Vec<PathBuf>) {
        let Ok(event) = event else {
            return;
        };
        // Reading a file is not a change; closing it after writing is one.
        if matches!(event.kind, EventKind::Access(kind) if kind != AccessKind::Close(notify::event::AccessMode::Write))
        {
            return;
        }
        for path in event.paths {
            if self.is_relevant(&path) {
                batch.push(path);
            }
        }
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
    }
}
