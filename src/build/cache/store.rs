//! The cache on disk: `manifest.bin` (the keys of the last build, each page's entry, the stamps
//! of the output files) and pack files of encoded blobs ([`super::records`]): `r-N.bin` hold
//! what every build reads for every page (warnings, links, anchors), `s-N.bin` the search
//! sections, read only when the index's page files are made again, `b-N.bin` the rendered
//! bodies, read only when layouts are rendered again. A build appends one pack of each kind
//! with what it rendered; packs that hold mostly dead blobs are compacted. The manifest is
//! written last, through a temporary file, so an interrupted save leaves the previous cache
//! or none.

use std::path::{Path, PathBuf};
use std::sync::Arc;

use rayon::prelude::*;
use serde::{Deserialize, Serialize};

use super::records::DiagnosticRecord;
use super::tally::TallyFile;
use crate::build::books::BookRanges;
use crate::output::reuse::{FileTime, Stamp};

pub const MANIFEST: &str = "manifest.bin";

#[derive(Debug, Default, Serialize, Deserialize)]
pub struct Manifest {
    pub format: u32,
    pub folio: String,
    pub build: u64,
    pub layout_world: u64,
    pub pages_world: u64,
    /// The search index's files (made from every page's place and sections).
    pub search_files: Vec<String>,
    /// Every page's source path and URL, and every file's output path: what links resolve to.
    pub pages_at: Vec<(String, String)>,
    pub files: Vec<String>,
    pub unloaded: Vec<String>,
    pub template_findings: Vec<DiagnosticRecord>,
    pub pages: Vec<PageEntry>,
    pub outputs: Vec<(String, Stamp)>,
    /// The books (print page, llms-full.txt) as the build left them: written a piece at a
    /// time, they have no stamp in `outputs`.
    pub books: Vec<(String, FileTime)>,
    /// Bytes in each pack, by kind and number.
    pub packs: Vec<Pack>,
    /// The counts of the search index the build wrote.
    pub search_tally: Option<TallyFile>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum Kind {
    Record,
    Body,
    Section,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Pack {
    pub kind: Kind,
    pub number: u64,
    pub bytes: u64,
}

impl Pack {
    pub fn file_name(kind: Kind, number: u64) -> String {
        match kind {
            Kind::Record => format!("r-{number:016x}.bin"),
            Kind::Body => format!("b-{number:016x}.bin"),
            Kind::Section => format!("s-{number:016x}.bin"),
        }
    }

    /// A number no other save uses, so that a pack's name always means the same bytes, even
    /// when two builds of one site save at once (the last manifest wins; the other's packs are
    /// then unused).
    pub fn new_number() -> u64 {
        use std::hash::{Hash, Hasher};
        let mut h = xxhash_rust::xxh3::Xxh3::new();
        std::time::SystemTime::now().hash(&mut h);
        std::process::id().hash(&mut h);
        static COUNT: std::sync::atomic::AtomicU64 = std::sync::atomic::AtomicU64::new(0);
        COUNT
            .fetch_add(1, std::sync::atomic::Ordering::Relaxed)
            .hash(&mut h);
        h.finish()
    }
}

/// Where a blob is: pack number, offset and length, and the hash of its bytes (checked when
/// it is read: a damaged pack is never decoded into a wrong render).
#[derive(Debug, Clone, Copy, Serialize, Deserialize)]
pub struct BlobRef {
    pub pack: u64,
    pub offset: u64,
    pub len: u64,
    pub hash: u64,
}

impl BlobRef {
    fn slice<'b>(
        &self,
        packs: &'b rustc_hash::FxHashMap<u64, Option<Vec<u8>>>,
    ) -> Option<&'b [u8]> {
        let bytes = packs.get(&self.pack)?.as_ref()?;
        let start = usize::try_from(self.offset).ok()?;
        let end = start.checked_add(usize::try_from(self.len).ok()?)?;
        let blob = bytes.get(start..end)?;
        (xxhash_rust::xxh3::xxh3_64(blob) == self.hash).then_some(blob)
    }
}

#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct PageEntry {
    pub rel_path: String,
    pub output_path: String,
    pub body_key: u64,
    pub record: BlobRef,
    pub body: Option<BlobRef>,
    /// Its search sections (`None`: it had none).
    pub sections: Option<BlobRef>,
    /// Where its pieces are in the books the build wrote (`None`: not recorded).
    pub books: Option<BookRanges>,
}

/// Encodes `value` (bincode: the cache is read back only by this same folio).
pub fn encode<T: Serialize>(value: &T) -> Vec<u8> {
    bincode::serialize(value).unwrap_or_default()
}

pub fn decode<T: for<'de> Deserialize<'de>>(bytes: &[u8]) -> Option<T> {
    bincode::deserialize(bytes).ok()
}

/// Reads the manifest of the cache in `dir` (`None` when there is none, or it cannot be read).
pub fn read_manifest(dir: &Path) -> Option<Manifest> {
    decode(&std::fs::read(dir.join(MANIFEST)).ok()?)
}

/// The blobs `refs` of one kind, decoded (`None` for a blob that cannot be read).
pub fn read_blobs<T: for<'de> Deserialize<'de> + Send>(
    dir: &Path,
    kind: Kind,
    refs: &[Option<BlobRef>],
) -> Vec<Option<T>> {
    let packs = read_packs(dir, kind, refs);
    refs.par_iter()
        .map(|blob| decode(blob.as_ref()?.slice(&packs)?))
        .collect()
}

/// The whole pack files that `refs` point into.
fn read_packs(
    dir: &Path,
    kind: Kind,
    refs: &[Option<BlobRef>],
) -> rustc_hash::FxHashMap<u64, Option<Vec<u8>>> {
    let mut numbers: Vec<u64> = refs.iter().flatten().map(|blob| blob.pack).collect();
    numbers.sort_unstable();
    numbers.dedup();
    numbers
        .into_par_iter()
        .map(|number| {
            let bytes = std::fs::read(dir.join(Pack::file_name(kind, number))).ok();
            (number, bytes)
        })
        .collect()
}

/// The raw bytes of blobs `refs` (for compaction), `None` for one that cannot be read.
pub fn read_raw(dir: &Path, kind: Kind, refs: &[Option<BlobRef>]) -> Vec<Option<Arc<[u8]>>> {
    let packs = read_packs(dir, kind, refs);
    refs.iter()
        .map(|blob| Some(Arc::from(blob.as_ref()?.slice(&packs)?)))
        .collect()
}

/// A pack being written, blob after blob.
pub struct PackWriter {
    file: std::io::BufWriter<std::fs::File>,
    kind: Kind,
    number: u64,
    written: u64,
}

impl PackWriter {
    pub fn create(dir: &Path, kind: Kind, number: u64) -> std::io::Result<PackWriter> {
        let file = std::fs::File::create(dir.join(Pack::file_name(kind, number)))?;
        Ok(PackWriter {
            file: std::io::BufWriter::with_capacity(1 << 20, file),
            kind,
            number,
            written: 0,
        })
    }

    pub fn append(&mut self, blob: &[u8]) -> std::io::Result<BlobRef> {
        use std::io::Write;
        self.file.write_all(blob)?;
        let offset = self.written;
        self.written += blob.len() as u64;
        Ok(BlobRef {
            pack: self.number,
            offset,
            len: blob.len() as u64,
            hash: xxhash_rust::xxh3::xxh3_64(blob),
        })
    }

    pub fn finish(mut self) -> std::io::Result<Pack> {
        use std::io::Write;
        self.file.flush()?;
        Ok(Pack {
            kind: self.kind,
            number: self.number,
            bytes: self.written,
        })
    }
}

/// Writes the manifest (through a temporary file, so a reader sees the old one or the new).
pub fn write_manifest(dir: &Path, manifest: &Manifest) -> std::io::Result<()> {
    let temporary = dir.join(format!("{MANIFEST}.{}", std::process::id()));
    std::fs::write(&temporary, encode(manifest))?;
    std::fs::rename(&temporary, dir.join(MANIFEST))
}

/// Removes the files of `dir` that the manifest does not name (packs of builds since
/// replaced, leftovers of interrupted saves).
pub fn remove_unused(dir: &Path, manifest: &Manifest) {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return;
    };
    let keep: std::collections::HashSet<String> = manifest
        .packs
        .iter()
        .map(|pack| Pack::file_name(pack.kind, pack.number))
        .chain(
            manifest
                .search_tally
                .map(|t| TallyFile::file_name(t.number)),
        )
        .chain([MANIFEST.to_string()])
        .collect();
    let unused: Vec<PathBuf> = entries
        .flatten()
        .filter(|entry| !keep.contains(&*entry.file_name().to_string_lossy()))
        .map(|entry| entry.path())
        .collect();
    // Freeing a pack of a hundred megabytes takes the kernel tens of milliseconds: the files
    // are removed behind the build. Only packs the new manifest does not name are listed,
    // and new packs get new numbers, so a later build never loses one of its own to this;
    // files a command's exit leaves are removed by the next build.
    let removed = std::thread::Builder::new().spawn(move || {
        for path in unused {
            let _ = std::fs::remove_file(path);
        }
    });
    drop(removed);
}
