//! The sink of a build with a cache: it writes through [`Reusing`] (unchanged files are kept
//! from the previous output) and appends each page's body, as it is rendered, to a new pack,
//! so that a build never holds every body in memory to save them at the end.

use std::io::{BufWriter, Write};
use std::path::Path;
use std::sync::Mutex;

use rustc_hash::FxHashMap;
use serde::Serialize;

use super::store::{BlobRef, Kind, Pack};
use crate::markdown::Rendered;
use crate::output::reuse::{Reusing, Stamp};
use crate::output::{OutputError, OutputSink};

pub struct CacheSink<'a> {
    pub files: Reusing<'a>,
    bodies: Mutex<BodyPack>,
}

/// The pack the bodies of this build go to.
struct BodyPack {
    number: u64,
    file: Option<BufWriter<std::fs::File>>,
    written: u64,
    refs: FxHashMap<String, BlobRef>,
}

/// What the sink leaves for the cache.
pub struct Written {
    pub stamps: Vec<(String, Stamp)>,
    /// The body pack (none when it could not be written) and where each page's body is.
    pub bodies: Option<Pack>,
    pub body_refs: FxHashMap<String, BlobRef>,
}

/// A body as [`super::store::BodyRecord`] encodes it, borrowed from the render.
#[derive(Serialize)]
struct BodyView<'a> {
    html: &'a str,
    headings: Vec<HeadingView<'a>>,
    toc_levels: (u8, u8),
    has_code: bool,
    copy: Option<&'a str>,
}

#[derive(Serialize)]
struct HeadingView<'a> {
    level: u8,
    id: &'a str,
    text: &'a str,
    html: &'a str,
    classes: &'a [String],
    offset: usize,
}

impl<'a> CacheSink<'a> {
    pub fn new(files: Reusing<'a>, dir: &Path) -> CacheSink<'a> {
        let number = Pack::new_number();
        let file = std::fs::create_dir_all(dir)
            .and_then(|()| std::fs::File::create(dir.join(Pack::file_name(Kind::Body, number))))
            .ok()
            .map(|file| BufWriter::with_capacity(1 << 20, file));
        CacheSink {
            files,
            bodies: Mutex::new(BodyPack {
                number,
                file,
                written: 0,
                refs: FxHashMap::default(),
            }),
        }
    }

    pub fn finish(self) -> Written {
        let stamps = self.files.finish();
        let mut pack = self.bodies.into_inner().unwrap_or_else(|e| e.into_inner());
        let flushed = pack
            .file
            .take()
            .is_some_and(|mut file| file.flush().is_ok());
        Written {
            stamps,
            bodies: flushed.then_some(Pack {
                kind: Kind::Body,
                number: pack.number,
                bytes: pack.written,
            }),
            body_refs: if flushed {
                pack.refs
            } else {
                FxHashMap::default()
            },
        }
    }
}

impl OutputSink for CacheSink<'_> {
    fn prepare(&self, paths: &mut dyn Iterator<Item = &str>) -> Result<(), OutputError> {
        self.files.prepare(paths)
    }
    fn write(&self, path: &str, bytes: Vec<u8>) -> Result<(), OutputError> {
        self.files.write(path, bytes)
    }
    fn copy(&self, path: &str, from: &Path) -> Result<(), OutputError> {
        self.files.copy(path, from)
    }
    fn append(&self, path: &str, bytes: &[u8]) -> Result<(), OutputError> {
        self.files.append(path, bytes)
    }

    fn keep_body(&self, rel_path: &str, body: &Rendered, copy: Option<&str>) {
        let view = BodyView {
            html: &body.html,
            headings: body
                .headings
                .iter()
                .map(|h| HeadingView {
                    level: h.level,
                    id: &h.id,
                    text: &h.text,
                    html: &h.html,
                    classes: &h.classes,
                    offset: h.offset,
                })
                .collect(),
            toc_levels: body.toc_levels,
            has_code: body.has_code,
            copy,
        };
        let bytes = super::store::encode(&view);
        let hash = xxhash_rust::xxh3::xxh3_64(&bytes);
        let mut pack = self.bodies.lock().unwrap_or_else(|e| e.into_inner());
        let offset = pack.written;
        let Some(file) = pack.file.as_mut() else {
            return;
        };
        if file.write_all(&bytes).is_err() {
            pack.file = None;
            return;
        }
        pack.written += bytes.len() as u64;
        let number = pack.number;
        pack.refs.insert(
            rel_path.to_string(),
            BlobRef {
                pack: number,
                offset,
                len: bytes.len() as u64,
                hash,
            },
        );
    }
}
