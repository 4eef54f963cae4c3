//! The cache on disk: `manifest.bin` (the keys of the last build, each page's entry, the stamps
//! of the output files) and pack files of encoded blobs: `r-N.bin` hold what every build reads
//! for every page (warnings, links, anchors, search sections), `b-N.bin` the rendered bodies,
//! read only when layouts are rendered again. A build appends one pack of each kind with what
//! it rendered; packs that hold mostly dead blobs are compacted. The manifest is written last,
//! through a temporary file, so an interrupted save leaves the previous cache or none.

use std::path::{Path, PathBuf};
use std::sync::Arc;

use rayon::prelude::*;
use serde::{Deserialize, Serialize};

use crate::build::books::BookRanges;
use crate::diagnostics::{Details, Diagnostic, Severity};
use crate::markdown::{Heading, LinkUse, Rendered, Target};
use crate::output::reuse::{FileTime, Stamp};
use crate::search::Section;

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

/// The file of a search index's counts (`search::Tally`).
#[derive(Debug, Clone, Copy, Serialize, Deserialize)]
pub struct TallyFile {
    pub number: u64,
    /// The searchable pages, in index order, that it counted (see [`page_order_key`]).
    pub order: u64,
    pub len: u64,
    pub hash: u64,
}

impl TallyFile {
    fn file_name(number: u64) -> String {
        format!("t-{number:016x}.bin")
    }
}

/// The key of the order of the index's pages, by their paths under `content/`.
pub fn page_order_key<'a>(paths: impl Iterator<Item = &'a str>) -> u64 {
    use std::hash::{Hash, Hasher};
    let mut h = xxhash_rust::xxh3::Xxh3::new();
    for path in paths {
        path.hash(&mut h);
    }
    h.finish()
}

/// A search index's counts, written into a file of their own a part at a time as the index
/// is scored (each part framed by its number and length), so that they are never all in
/// memory at once.
#[derive(Debug)]
pub struct TallyWriter {
    number: u64,
    file: std::sync::Mutex<std::io::BufWriter<std::fs::File>>,
    len: std::sync::atomic::AtomicU64,
    /// The parts' hashes, added: the parts come in any order.
    hash: std::sync::atomic::AtomicU64,
    failed: std::sync::atomic::AtomicBool,
}

impl TallyWriter {
    pub fn create(dir: &Path) -> std::io::Result<TallyWriter> {
        std::fs::create_dir_all(dir)?;
        let number = Pack::new_number();
        let file = std::fs::File::create(dir.join(TallyFile::file_name(number)))?;
        Ok(TallyWriter {
            number,
            file: std::sync::Mutex::new(std::io::BufWriter::new(file)),
            len: Default::default(),
            hash: Default::default(),
            failed: Default::default(),
        })
    }

    /// Appends part `number`.
    pub fn part(&self, number: usize, bytes: &[u8]) {
        use std::io::Write;
        use std::sync::atomic::Ordering::Relaxed;
        let mut frame = Vec::with_capacity(20);
        push_varint(&mut frame, number as u64);
        push_varint(&mut frame, bytes.len() as u64);
        let hash = xxhash_rust::xxh3::xxh3_64_with_seed(bytes, number as u64);
        self.hash.fetch_add(hash, Relaxed);
        self.len
            .fetch_add((frame.len() + bytes.len()) as u64, Relaxed);
        let mut file = self.file.lock().unwrap_or_else(|e| e.into_inner());
        if file
            .write_all(&frame)
            .and_then(|()| file.write_all(bytes))
            .is_err()
        {
            self.failed.store(true, Relaxed);
        }
    }

    /// The finished file, for the manifest; `order` keys the pages it counted.
    pub fn finish(self, order: u64) -> std::io::Result<TallyFile> {
        use std::io::Write;
        let mut file = self.file.into_inner().unwrap_or_else(|e| e.into_inner());
        file.flush()?;
        if self.failed.into_inner() {
            return Err(std::io::Error::other(
                "the search counts could not be written",
            ));
        }
        Ok(TallyFile {
            number: self.number,
            order,
            len: self.len.into_inner(),
            hash: self.hash.into_inner(),
        })
    }
}

/// Reads the counts `file` names and hands its parts (number, bytes) to `read`, when the
/// file is as written.
pub fn read_tally<T>(
    dir: &Path,
    file: &TallyFile,
    read: impl FnOnce(&[(usize, &[u8])]) -> Option<T>,
) -> Option<T> {
    let bytes = std::fs::read(dir.join(TallyFile::file_name(file.number))).ok()?;
    if bytes.len() as u64 != file.len {
        return None;
    }
    let mut parts = Vec::new();
    let mut hash = 0u64;
    let mut at = 0;
    while at < bytes.len() {
        let (number, used) = read_varint(&bytes[at..])?;
        at += used;
        let (len, used) = read_varint(&bytes[at..])?;
        at += used;
        let end = at.checked_add(usize::try_from(len).ok()?)?;
        let part = bytes.get(at..end)?;
        hash = hash.wrapping_add(xxhash_rust::xxh3::xxh3_64_with_seed(part, number));
        parts.push((usize::try_from(number).ok()?, part));
        at = end;
    }
    (hash == file.hash).then(|| read(&parts)).flatten()
}

fn push_varint(out: &mut Vec<u8>, mut value: u64) {
    while value >= 0x80 {
        out.push((value as u8) | 0x80);
        value >>= 7;
    }
    out.push(value as u8);
}

/// A number as [`push_varint`] writes it, and the bytes it took.
fn read_varint(bytes: &[u8]) -> Option<(u64, usize)> {
    let mut value = 0u64;
    for (index, &byte) in bytes.iter().enumerate().take(10) {
        value |= u64::from(byte & 0x7f) << (7 * index);
        if byte < 0x80 {
            return Some((value, index + 1));
        }
    }
    None
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum Kind {
    Record,
    Body,
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
    /// Where its pieces are in the books the build wrote (`None`: not recorded).
    pub books: Option<BookRanges>,
}

/// What every build needs of every page.
#[derive(Debug, Serialize, Deserialize)]
pub struct Record {
    pub warnings: Vec<DiagnosticRecord>,
    pub links: Vec<LinkRecord>,
    pub anchors: Vec<String>,
    /// Last, so that a [`RecordHead`] reads the rest without it.
    pub sections: Option<Vec<SectionRecord>>,
}

/// A [`Record`] read without its sections (the bulk of it), for a build that keeps the
/// search index's page files: bincode reads a struct's fields in order and leaves the bytes
/// after them.
#[derive(Debug, Deserialize)]
pub struct RecordHead {
    pub warnings: Vec<DiagnosticRecord>,
    pub links: Vec<LinkRecord>,
    pub anchors: Vec<String>,
}

impl From<RecordHead> for Record {
    fn from(head: RecordHead) -> Record {
        Record {
            warnings: head.warnings,
            links: head.links,
            anchors: head.anchors,
            sections: None,
        }
    }
}

/// A [`LinkUse`] (whose target is tagged for JSON, which bincode cannot read back).
#[derive(Debug, Serialize, Deserialize)]
pub struct LinkRecord {
    pub href: String,
    pub target: TargetRecord,
    pub is_image: bool,
    pub line: usize,
    pub column: usize,
}

#[derive(Debug, Serialize, Deserialize)]
pub enum TargetRecord {
    External,
    SamePage(String),
    Page(String, Option<String>),
    File(String),
    Unknown(String),
    MissingSource(String),
    Unsafe,
    RawHtml,
}

impl LinkRecord {
    pub fn of(link: &LinkUse) -> LinkRecord {
        let target = match &link.target {
            Target::External => TargetRecord::External,
            Target::SamePage { anchor } => TargetRecord::SamePage(anchor.clone()),
            Target::Page { url, anchor } => TargetRecord::Page(url.clone(), anchor.clone()),
            Target::File { path } => TargetRecord::File(path.clone()),
            Target::Unknown { path } => TargetRecord::Unknown(path.clone()),
            Target::MissingSource { path } => TargetRecord::MissingSource(path.clone()),
            Target::Unsafe => TargetRecord::Unsafe,
            Target::RawHtml => TargetRecord::RawHtml,
        };
        LinkRecord {
            href: link.href.clone(),
            target,
            is_image: link.is_image,
            line: link.line,
            column: link.column,
        }
    }

    pub fn into_link(self) -> LinkUse {
        let target = match self.target {
            TargetRecord::External => Target::External,
            TargetRecord::SamePage(anchor) => Target::SamePage { anchor },
            TargetRecord::Page(url, anchor) => Target::Page { url, anchor },
            TargetRecord::File(path) => Target::File { path },
            TargetRecord::Unknown(path) => Target::Unknown { path },
            TargetRecord::MissingSource(path) => Target::MissingSource { path },
            TargetRecord::Unsafe => Target::Unsafe,
            TargetRecord::RawHtml => Target::RawHtml,
        };
        LinkUse {
            href: self.href,
            target,
            is_image: self.is_image,
            line: self.line,
            column: self.column,
        }
    }
}

#[derive(Debug, Serialize, Deserialize)]
pub struct SectionRecord {
    pub title: Option<String>,
    pub anchor: Option<String>,
    pub text: String,
}

impl SectionRecord {
    pub fn of(section: &Section) -> SectionRecord {
        SectionRecord {
            title: section.title.clone(),
            anchor: section.anchor.clone(),
            text: section.text.clone(),
        }
    }

    pub fn into_section(self) -> Section {
        Section {
            title: self.title,
            anchor: self.anchor,
            text: self.text,
        }
    }
}

/// A page's Markdown as HTML, as its layout needs it.
#[derive(Debug, Serialize, Deserialize)]
pub struct BodyRecord {
    pub html: String,
    pub headings: Vec<HeadingRecord>,
    pub toc_levels: (u8, u8),
    pub has_code: bool,
    /// The page's Markdown copy (for llms-full.txt and its `.md` file).
    pub copy: Option<String>,
}

impl BodyRecord {
    pub fn into_rendered(self) -> (Rendered, Option<Arc<str>>) {
        let rendered = Rendered {
            html: self.html,
            headings: self
                .headings
                .into_iter()
                .map(|h| Heading {
                    level: h.level,
                    id: h.id,
                    text: h.text,
                    html: h.html,
                    classes: h.classes,
                    offset: h.offset,
                })
                .collect(),
            toc_levels: self.toc_levels,
            // Links and warnings travel in the page's record.
            links: Vec::new(),
            warnings: Vec::new(),
            has_code: self.has_code,
        };
        (rendered, self.copy.map(Into::into))
    }
}

#[derive(Debug, Serialize, Deserialize)]
pub struct HeadingRecord {
    pub level: u8,
    pub id: String,
    pub text: String,
    pub html: String,
    pub classes: Vec<String>,
    pub offset: usize,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct DiagnosticRecord {
    pub error: bool,
    pub file: Option<PathBuf>,
    pub line: Option<usize>,
    pub column: Option<usize>,
    pub message: String,
    pub help: Option<String>,
    pub details: Option<(Option<String>, Option<String>, Option<String>)>,
}

impl DiagnosticRecord {
    pub fn of(d: &Diagnostic) -> DiagnosticRecord {
        DiagnosticRecord {
            error: d.is_error(),
            file: d.file.clone(),
            line: d.line,
            column: d.column,
            message: d.message.clone(),
            help: d.help.clone(),
            details: d.details.as_ref().map(|details| {
                (
                    details.kind.map(str::to_string),
                    details.target.clone(),
                    details.suggestion.clone(),
                )
            }),
        }
    }

    pub fn into_diagnostic(self) -> Diagnostic {
        Diagnostic {
            severity: if self.error {
                Severity::Error
            } else {
                Severity::Warning
            },
            file: self.file,
            line: self.line,
            column: self.column,
            message: self.message,
            help: self.help,
            details: self.details.map(|(kind, target, suggestion)| {
                Box::new(Details {
                    kind: kind.map(|k| intern(&k)),
                    target,
                    suggestion,
                })
            }),
        }
    }
}

/// A finding's kind as the `&'static str` the diagnostics carry: kinds are a handful of names,
/// each leaked once.
fn intern(kind: &str) -> &'static str {
    static KINDS: std::sync::Mutex<Vec<&'static str>> = std::sync::Mutex::new(Vec::new());
    let mut kinds = KINDS.lock().unwrap_or_else(|e| e.into_inner());
    if let Some(known) = kinds.iter().find(|k| **k == kind).copied() {
        return known;
    }
    let leaked: &'static str = Box::leak(kind.to_string().into_boxed_str());
    kinds.push(leaked);
    leaked
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
