//! The search index's word counts in the cache: `t-N.bin`, the parts of a
//! [`crate::search::Tally`] as the index is scored (framed by the search index's own
//! format), with their length and hash in the manifest so that a damaged file is never read.

use std::path::Path;

use serde::{Deserialize, Serialize};

use super::store::Pack;

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
    pub fn file_name(number: u64) -> String {
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

/// A part's share of the file's hash (the parts' shares are added, in any order).
fn part_hash(number: usize, bytes: &[u8]) -> u64 {
    xxhash_rust::xxh3::xxh3_64_with_seed(bytes, number as u64)
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
        let frame = crate::search::index::part_header(number, bytes.len());
        self.hash.fetch_add(part_hash(number, bytes), Relaxed);
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
    let parts = crate::search::index::split_parts(&bytes)?;
    let hash = parts.iter().fold(0u64, |hash, &(number, part)| {
        hash.wrapping_add(part_hash(number, part))
    });
    (hash == file.hash).then(|| read(&parts)).flatten()
}
