//! Reusing the previous output: a sink over the staging folder that hard-links a file from the
//! output folder a build is about to replace when the new file has the same bytes, instead of
//! writing it again. Creating a link costs a directory entry; writing costs an inode, its data
//! and, on disk, its blocks — and an incremental build writes a site of which almost nothing
//! changed.
//!
//! Entry point: [`Reusing::new`], used as an [`OutputSink`]; then [`Reusing::link_unchanged`]
//! for files the render pass did not make at all, and [`Reusing::finish`] for the stamps of
//! everything written, which the next build compares with.
//!
//! Safety of the output: the previous output is only read (a link shares its file, which is
//! never opened for writing: a path of the staging folder is written or linked once). When a
//! link cannot be made (another file system, no hard links) the file is copied.

use std::path::{Path, PathBuf};
use std::sync::Mutex;
use std::time::UNIX_EPOCH;

use rustc_hash::FxHashMap;
use serde::{Deserialize, Serialize};
use xxhash_rust::xxh3::xxh3_64;

use super::{OutputError, OutputSink, Staging};

/// What a build knows of one file it published, to recognise it in the next build.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct Stamp {
    /// Hash of the bytes written.
    pub hash: u64,
    /// The output file's size and modification time, as written: a file changed since (by
    /// hand, by another program) is not reused.
    pub file: FileTime,
}

/// A file's size and modification time (nanoseconds since 1970).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct FileTime {
    pub len: u64,
    pub modified: u128,
}

impl FileTime {
    /// The size and time of the file at `path` (`None` when it cannot be read).
    pub fn of(path: &Path) -> Option<FileTime> {
        let metadata = std::fs::metadata(path).ok()?;
        let modified = metadata.modified().ok()?.duration_since(UNIX_EPOCH).ok()?;
        Some(FileTime {
            len: metadata.len(),
            modified: modified.as_nanos(),
        })
    }
}

/// A sink that writes into `staging`, reusing files of the previous output folder whose
/// bytes did not change.
pub struct Reusing<'a> {
    staging: &'a Staging,
    previous: PathBuf,
    known: FxHashMap<String, Stamp>,
    written: Mutex<Vec<(String, Stamp)>>,
}

impl<'a> Reusing<'a> {
    /// `known` holds the stamps of the files in `previous` (the output folder) as the last
    /// build wrote them; empty for a build that reuses nothing.
    pub fn new(staging: &'a Staging, previous: &Path, known: FxHashMap<String, Stamp>) -> Self {
        Reusing {
            staging,
            previous: previous.to_path_buf(),
            known,
            written: Mutex::new(Vec::new()),
        }
    }

    /// Links `paths` (files the render pass did not make, unchanged since the last build)
    /// from the previous output. The caller has checked that they are as the last build left
    /// them (size and time).
    pub fn link_unchanged(&self, paths: &[String]) -> Vec<OutputError> {
        use rayon::prelude::*;
        paths
            .par_iter()
            .filter_map(|path| {
                let stamp = *self.known.get(path)?;
                self.reuse(path, stamp).err()
            })
            .collect()
    }

    /// Every file of the staging folder with its stamp, for the next build.
    pub fn finish(self) -> Vec<(String, Stamp)> {
        self.written.into_inner().unwrap_or_else(|e| e.into_inner())
    }

    fn record(&self, path: &str, stamp: Stamp) {
        self.written
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .push((path.to_string(), stamp));
    }

    /// Links (or, across file systems, copies) the previous output's `path` into staging.
    fn reuse(&self, path: &str, stamp: Stamp) -> Result<(), OutputError> {
        let from = self.previous.join(path);
        let to = self.staging.file(path)?;
        let linked = std::fs::hard_link(&from, &to).or_else(|err| {
            if err.kind() == std::io::ErrorKind::NotFound {
                // Its folder is not made yet: folders are made only for files that are written.
                if let Some(parent) = to.parent() {
                    std::fs::create_dir_all(parent)?;
                }
                std::fs::hard_link(&from, &to)
            } else {
                Err(err)
            }
        });
        if linked.is_err() {
            std::fs::copy(&from, &to).map_err(|source| OutputError::Write {
                path: path.to_string(),
                source,
            })?;
            let file = FileTime::of(&to).unwrap_or(stamp.file);
            self.record(path, Stamp { file, ..stamp });
            return Ok(());
        }
        self.record(path, stamp);
        Ok(())
    }

    /// The stamp of `path` as the last build left it, when that file is still there as it was.
    fn unchanged(&self, path: &str, same: impl Fn(&Stamp) -> bool) -> Option<Stamp> {
        let stamp = self.known.get(path).filter(|stamp| same(stamp))?;
        (FileTime::of(&self.previous.join(path)) == Some(stamp.file)).then_some(*stamp)
    }

    fn written_stamp(&self, path: &str, hash: u64) -> Stamp {
        let file = self
            .staging
            .file(path)
            .ok()
            .and_then(|p| FileTime::of(&p))
            .unwrap_or(FileTime {
                len: 0,
                modified: 0,
            });
        Stamp { hash, file }
    }
}

impl OutputSink for Reusing<'_> {
    fn prepare(&self, paths: &mut dyn Iterator<Item = &str>) -> Result<(), OutputError> {
        self.staging.create_dirs(paths)
    }

    fn write(&self, path: &str, bytes: Vec<u8>) -> Result<(), OutputError> {
        let hash = xxh3_64(&bytes);
        let len = bytes.len() as u64;
        if let Some(stamp) = self.unchanged(path, |s| s.hash == hash && s.file.len == len) {
            return self.reuse(path, stamp);
        }
        self.staging.write_file(path, &bytes)?;
        self.record(path, self.written_stamp(path, hash));
        Ok(())
    }

    /// A file made piece by piece (the print page) is written anew each time.
    fn append(&self, path: &str, bytes: &[u8]) -> Result<(), OutputError> {
        self.staging.append_file(path, bytes)
    }

    /// A file of the site is compared by its bytes, not its time: a time says too little on
    /// file systems that keep it to the second.
    fn copy(&self, path: &str, from: &Path) -> Result<(), OutputError> {
        let bytes = std::fs::read(from).map_err(|source| OutputError::Write {
            path: path.to_string(),
            source,
        })?;
        self.write(path, bytes)
    }
}
