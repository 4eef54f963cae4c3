//! A [`Tally`] as bytes, for the build cache: buckets encoded and decoded in parallel, numbers
//! as variable-length integers, section numbers as gaps (a term's postings are in section
//! order). At 10,000 pages it is about a third of the section text it stands for.

use compact_str::CompactString;
use rayon::prelude::*;
use rustc_hash::FxHashMap;

use super::{BUCKETS, Bucket, Counts, Posting, Tally};

/// The part that holds a tally's sections comes after its buckets' parts.
pub const SECTIONS_PART: usize = BUCKETS;

/// The sections' part of a tally.
pub fn encode_sections(sections: &[(u32, u32)]) -> Vec<u8> {
    let mut out = Vec::with_capacity(sections.len() * 4);
    let mut previous = 0;
    push_number(&mut out, sections.len() as u64);
    for &(doc, length) in sections {
        push_number(&mut out, u64::from(doc - previous));
        push_number(&mut out, u64::from(length));
        previous = doc;
    }
    out
}

impl Tally {
    /// A tally from its parts, by part number (each bucket's and [`SECTIONS_PART`]), in any
    /// order; `None` when a part is missing, repeated or not as this folio writes it.
    pub fn decode(parts: &[(usize, &[u8])]) -> Option<Tally> {
        let mut by_number: Vec<Option<&[u8]>> = vec![None; BUCKETS + 1];
        for &(number, bytes) in parts {
            let slot = by_number.get_mut(number)?;
            if slot.replace(bytes).is_some() {
                return None;
            }
        }
        let sections_bytes = by_number.pop()??;
        let mut reader = Reader {
            bytes: sections_bytes,
            at: 0,
        };
        let section_count = usize::try_from(reader.number()?).ok()?;
        let mut sections = Vec::with_capacity(section_count.min(sections_bytes.len()));
        let mut previous = 0u32;
        for _ in 0..section_count {
            let doc = previous.checked_add(u32::try_from(reader.number()?).ok()?)?;
            sections.push((doc, u32::try_from(reader.number()?).ok()?));
            previous = doc;
        }
        if reader.at != sections_bytes.len() {
            return None;
        }
        let buckets = by_number
            .into_par_iter()
            .map(|part| decode_bucket(part?))
            .collect::<Option<Vec<_>>>()?;
        Some(Tally { buckets, sections })
    }
}

pub fn encode_bucket(bucket: &FxHashMap<CompactString, Vec<Posting>>) -> Vec<u8> {
    let mut out = Vec::new();
    push_number(&mut out, bucket.len() as u64);
    for (term, postings) in bucket {
        push_number(&mut out, term.len() as u64);
        out.extend_from_slice(term.as_bytes());
        push_number(&mut out, postings.len() as u64);
        let mut previous = 0;
        for posting in postings {
            push_number(&mut out, u64::from(posting.doc - previous));
            out.push(posting.counts.title);
            out.push(posting.counts.heading);
            push_number(&mut out, u64::from(posting.counts.body));
            previous = posting.doc;
        }
    }
    out
}

fn decode_bucket(bytes: &[u8]) -> Option<Bucket> {
    let mut reader = Reader { bytes, at: 0 };
    let terms = usize::try_from(reader.number()?).ok()?;
    let mut bucket = Vec::with_capacity(terms.min(bytes.len()));
    for _ in 0..terms {
        let length = usize::try_from(reader.number()?).ok()?;
        let term = std::str::from_utf8(reader.take(length)?).ok()?;
        let count = usize::try_from(reader.number()?).ok()?;
        let mut postings = Vec::with_capacity(count.min(bytes.len()));
        let mut previous = 0u32;
        for _ in 0..count {
            let doc = previous.checked_add(u32::try_from(reader.number()?).ok()?)?;
            let title = reader.byte()?;
            let heading = reader.byte()?;
            let body = u16::try_from(reader.number()?).ok()?;
            postings.push(Posting {
                doc,
                counts: Counts {
                    title,
                    heading,
                    body,
                },
            });
            previous = doc;
        }
        bucket.push((CompactString::from(term), postings));
    }
    (reader.at == bytes.len()).then_some(bucket)
}

/// The header that frames part `number` (of `len` bytes) in a file of parts.
pub fn part_header(number: usize, len: usize) -> Vec<u8> {
    let mut header = Vec::with_capacity(12);
    push_number(&mut header, number as u64);
    push_number(&mut header, len as u64);
    header
}

/// A file of framed parts as (number, bytes), in file order; `None` when it is not one.
pub fn split_parts(bytes: &[u8]) -> Option<Vec<(usize, &[u8])>> {
    let mut reader = Reader { bytes, at: 0 };
    let mut parts = Vec::new();
    while reader.at < bytes.len() {
        let number = usize::try_from(reader.number()?).ok()?;
        let len = usize::try_from(reader.number()?).ok()?;
        parts.push((number, reader.take(len)?));
    }
    Some(parts)
}

/// Seven bits per byte, low bits first; the high bit says another byte follows.
fn push_number(out: &mut Vec<u8>, mut value: u64) {
    while value >= 0x80 {
        out.push((value as u8) | 0x80);
        value >>= 7;
    }
    out.push(value as u8);
}

struct Reader<'a> {
    bytes: &'a [u8],
    at: usize,
}

impl<'a> Reader<'a> {
    fn byte(&mut self) -> Option<u8> {
        let byte = *self.bytes.get(self.at)?;
        self.at += 1;
        Some(byte)
    }

    fn take(&mut self, length: usize) -> Option<&'a [u8]> {
        let slice = self.bytes.get(self.at..self.at.checked_add(length)?)?;
        self.at += length;
        Some(slice)
    }

    fn number(&mut self) -> Option<u64> {
        let mut value = 0u64;
        for shift in (0..64).step_by(7) {
            let byte = self.byte()?;
            value |= u64::from(byte & 0x7f) << shift;
            if byte < 0x80 {
                return Some(value);
            }
        }
        None
    }
}
