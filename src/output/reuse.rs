//! Reusing the previous output: a sink over the staging folder that leaves a file of the
//! output folder where it is when the new file has the same bytes, instead of writing it
//! again. Comparing costs a look at the file (its stamp from the cache, or its bytes); writing
//! costs an inode, its data and, on disk, its blocks, and moving it in later — and most builds
//! write a site of which almost nothing changed.
//!
//! Entry point: [`Reusing::new`], used as an [`OutputSink`]; then [`Reusing::keep_unchanged`]
//! for files the render pass did not make at all, and [`Reusing::finish`] for the stamps of
//! everything the new output has, which the commit keeps and the next build compares with.
//!
//! Safety of the output: the previous output is only read here; the staging folder's commit
//! changes it, after the build succeeded.

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
        FileTime::from_metadata(&std::fs::metadata(path).ok()?)
    }

    pub fn from_metadata(metadata: &std::fs::Metadata) -> Option<FileTime> {
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
    /// The output folder exists and is updated in place (see [`Staging::updates_in_place`]).
    in_place: bool,
    known: FxHashMap<String, Stamp>,
    written: Mutex<Vec<(String, Stamp)>>,
}

impl<'a> Reusing<'a> {
    /// `known` holds the stamps of the files in the output folder as the last build wrote
    /// them; empty for a build without a cache (which still compares bytes).
    pub fn new(staging: &'a Staging, known: FxHashMap<String, Stamp>) -> Self {
        Reusing {
            staging,
            previous: staging.target().to_path_buf(),
            in_place: staging.updates_in_place(),
            known,
            written: Mutex::new(Vec::new()),
        }
    }

    /// Keeps `paths` (files the render pass did not make, unchanged since the last build) in
    /// the output. The caller has checked that they are as the last build left them (size and
    /// time).
    pub fn keep_unchanged(&self, paths: &[String]) {
        for path in paths {
            if let Some(stamp) = self.known.get(path) {
                self.record(path, *stamp);
            }
        }
    }

    /// Every file of the new output (written or kept) with its stamp, for the next build.
    pub fn finish(self) -> Vec<(String, Stamp)> {
        self.written.into_inner().unwrap_or_else(|e| e.into_inner())
    }

    fn record(&self, path: &str, stamp: Stamp) {
        self.written
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .push((path.to_string(), stamp));
    }

    /// When the output's file at `path` holds `bytes` (a build without a cache, or a file
    /// changed since), its size and time.
    fn same_bytes(&self, path: &str, bytes: &[u8]) -> Option<FileTime> {
        let file = self.previous.join(path);
        let metadata = std::fs::symlink_metadata(&file).ok()?;
        if !metadata.is_file() || metadata.len() != bytes.len() as u64 {
            return None;
        }
        if std::fs::read(&file).ok()? != bytes {
            return None;
        }
        FileTime::from_metadata(&metadata)
    }

    /// The stamp of `path` as the last build left it, when that file is still there as it was.
    fn unchanged(&self, path: &str, same: impl Fn(&Stamp) -> bool) -> Option<Stamp> {
        if !self.in_place {
            return None;
        }
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
    /// Folders are made ahead only in a new output folder: updating one in place writes few
    /// files, and making (then removing) a staging folder per page would cost more than the
    /// failed first attempt of each write that needs one.
    fn prepare(&self, paths: &mut dyn Iterator<Item = &str>) -> Result<(), OutputError> {
        if self.in_place {
            return Ok(());
        }
        self.staging.create_dirs(paths)
    }

    fn write(&self, path: &str, bytes: Vec<u8>) -> Result<(), OutputError> {
        let hash = xxh3_64(&bytes);
        let len = bytes.len() as u64;
        if let Some(stamp) = self.unchanged(path, |s| s.hash == hash && s.file.len == len) {
            self.record(path, stamp);
            return Ok(());
        }
        if self.in_place
            && let Some(file) = self.same_bytes(path, &bytes)
        {
            self.record(path, Stamp { hash, file });
            return Ok(());
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
