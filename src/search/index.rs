//! The search index: every word of every section, with a BM25F score per section in which
//! it occurs, grouped into shards by the first characters of the words. A section is
//! `page * 64 + section`, so no table maps sections to pages.

use std::sync::Arc;

use compact_str::CompactString;
use rayon::prelude::*;
use rustc_hash::FxHashMap;

use super::extract::Section;
use super::tokenize::{for_each_token, shard_key};
pub use score::SCORE_SCALE;
use score::{Quantiser, idf, score, score_ceiling};

/// Sections per page the index tells apart (later ones count as the last).
pub const SECTIONS_PER_PAGE: u32 = 64;
/// Terms found in more sections than this keep only their best-scoring ones.
pub const MAX_POSTINGS: usize = 300;

/// One page, as the index needs it.
#[derive(Debug, Clone)]
pub struct PageEntry {
    pub title: String,
    /// The page's URL relative to the site root, without a leading slash (the search script
    /// puts the root it was loaded from in front, so it works under any base path and from
    /// disk).
    pub url: String,
    /// The titles of the pages above it, root first.
    pub breadcrumb: Vec<String>,
    /// Shared, so that the preview server keeps a page's sections between rebuilds.
    pub sections: Arc<[Section]>,
}

/// Term frequencies in a section: page title, section heading, text.
#[derive(Debug, Clone, Copy, Default)]
struct Counts {
    title: u8,
    heading: u8,
    body: u16,
}

/// A term's occurrences in one section (8 bytes: there are millions).
struct Posting {
    doc: u32,
    counts: Counts,
}

/// Terms are split into this many groups by shard key; each group is scored in parallel.
const BUCKETS: usize = 256;
/// Counting tasks per thread. One: pages cost about the same to count, so equal chunks
/// balance well, and every further task stores the whole vocabulary again and adds a merge
/// (4 tasks per thread took 47–57 ms at 1,000 pages, one takes 40 ms).
const TASKS_PER_THREAD: usize = 1;

/// A term's postings while pages are counted: the last one, which every further occurrence
/// in the same section updates, is kept in the map's own table, next to the term, so that
/// counting a word costs one look into memory, not three.
struct Counted {
    last: Posting,
    earlier: Vec<Posting>,
}

impl Counted {
    fn into_postings(mut self) -> Vec<Posting> {
        self.earlier.push(self.last);
        self.earlier
    }
}

/// Terms (most are short enough to be stored inline) and their postings.
type Terms = FxHashMap<CompactString, Counted>;

/// The index: its shards, scored, and the number of sections counted.
pub struct Index {
    pub shards: Vec<Shard>,
    pub sections: u64,
}

/// What one counting task found: its terms, and the (doc, length) of each section.
type TaskCounts = (Terms, Vec<(u32, u32)>);

/// The index counted but not scored: every term's postings (in section order), grouped in
/// buckets by shard key, and every section's text length. The build cache keeps it, so that
/// a rebuild counts again only the pages it rendered again ([`Tally::recount`]), then
/// scores it whole ([`score_tally`]): a score depends on the average section length.
pub struct Tally {
    buckets: Vec<Bucket>,
    /// (section, text length) of every section, in section order.
    sections: Vec<(u32, u32)>,
}

/// A bucket's terms and postings, a term listed once per counting task that met it (in task
/// order, so that concatenating its lists keeps them in section order). Tasks' lists are
/// merged only as the bucket is scored: merging every bucket first kept every posting twice
/// for a while, and raised a 10,000-page build's peak memory by 8 MB.
type Bucket = Vec<(CompactString, Vec<Posting>)>;

/// A bucket's terms, each once, with all its postings.
fn merged(bucket: Bucket) -> FxHashMap<CompactString, Vec<Posting>> {
    let mut merged: FxHashMap<CompactString, Vec<Posting>> = FxHashMap::default();
    for (term, postings) in bucket {
        match merged.get_mut(term.as_str()) {
            Some(list) => list.extend(postings),
            None => {
                merged.insert(term, postings);
            }
        }
    }
    merged
}

/// Counts, scores and shards the words of `pages`.
#[cfg(test)]
pub fn build(pages: &[PageEntry]) -> Index {
    score_tally(count(pages), None)
}

/// Counts the words of `pages` (the page at index i is page i of the index).
pub fn count(pages: &[PageEntry]) -> Tally {
    // Pages are counted in parallel tasks, each into its own map (no locks); then the terms
    // are grouped by shard key into buckets (merged across tasks as each bucket is scored).
    let tasks = (rayon::current_num_threads() * TASKS_PER_THREAD).max(1);
    let pages_per_task = pages.len().div_ceil(tasks).max(1);
    let counted: Vec<TaskCounts> = pages
        .par_chunks(pages_per_task)
        .enumerate()
        .map(|(task, chunk)| {
            let indexed = chunk
                .iter()
                .enumerate()
                .map(|(offset, page)| ((task * pages_per_task + offset) as u32, page));
            count_pages(indexed)
        })
        .collect();
    let mut sections = Vec::new();
    // Tasks are in page order, so each term's postings stay in section order.
    let mut buckets = empty_buckets();
    for (terms, task_lengths) in counted {
        sections.extend(task_lengths);
        add_to_buckets(terms, &mut buckets);
    }
    Tally { buckets, sections }
}

fn empty_buckets() -> Vec<Bucket> {
    (0..BUCKETS).map(|_| Vec::new()).collect()
}

/// Adds a counting task's terms to the buckets of their shard keys.
fn add_to_buckets(terms: Terms, buckets: &mut [Bucket]) {
    for (term, counted) in terms {
        buckets[bucket_of(&term)].push((term, counted.into_postings()));
    }
}

/// Counts `pages` (with their page numbers) into one map.
fn count_pages<'p>(pages: impl Iterator<Item = (u32, &'p PageEntry)>) -> TaskCounts {
    let mut terms = Terms::default();
    let mut lengths = Vec::new();
    for (page_index, page) in pages {
        count_page(page_index, page, &mut terms, &mut lengths);
    }
    (terms, lengths)
}

impl Tally {
    /// Counts `pages` (page number, page) again: what the tally had of them goes, what they
    /// hold now comes in. Every other page must be as it was counted, at the same number.
    pub fn recount(&mut self, pages: &[(u32, &PageEntry)]) {
        let changed: rustc_hash::FxHashSet<u32> = pages.iter().map(|(index, _)| *index).collect();
        let stays = |doc: u32| !changed.contains(&(doc / SECTIONS_PER_PAGE));
        let (terms, lengths) = count_pages(pages.iter().copied());
        let mut counted = empty_buckets();
        add_to_buckets(terms, &mut counted);
        self.buckets
            .par_iter_mut()
            .zip(counted)
            .for_each(|(bucket, counted)| {
                let mut terms = merged(std::mem::take(bucket));
                terms.retain(|_, postings| {
                    postings.retain(|p| stays(p.doc));
                    !postings.is_empty()
                });
                for (term, postings) in counted {
                    match terms.entry(term) {
                        std::collections::hash_map::Entry::Occupied(mut entry) => {
                            let list = entry.get_mut();
                            list.extend(postings);
                            // A term has one posting per section, so the order is total.
                            list.sort_unstable_by_key(|p| p.doc);
                        }
                        std::collections::hash_map::Entry::Vacant(entry) => {
                            entry.insert(postings);
                        }
                    }
                }
                *bucket = terms.into_iter().collect();
            });
        self.sections.retain(|(doc, _)| stays(*doc));
        self.sections.extend(lengths);
        self.sections.sort_unstable_by_key(|(doc, _)| *doc);
    }
}

/// The bytes of a tally as the build cache stores them, handed over a part at a time (part
/// number, bytes), from any thread, in any order (see [`Tally::decode`]).
pub type TallyStore<'a> = &'a (dyn Fn(usize, &[u8]) + Sync);

/// Scores a counted index and cuts it into shards; with `store`, also gives the tally's bytes
/// to it. Each bucket is freed once scored (and stored): holding every posting, or their
/// bytes, until the end raised a 10,000-page build's peak memory by 30 to 50 MB.
pub fn score_tally(tally: Tally, store: Option<TallyStore>) -> Index {
    // Text lengths by section number; sections that do not exist stay 0.
    let size = tally
        .sections
        .last()
        .map_or(0, |(doc, _)| *doc as usize + 1);
    let mut lengths = vec![0u32; size];
    let mut total_length = 0f64;
    for &(doc, length) in &tally.sections {
        lengths[doc as usize] = length;
        total_length += f64::from(length);
    }
    let sections = tally.sections.len() as u64;
    let docs = sections.max(1) as f64;
    let average_length = (total_length / docs).max(1.0);
    let lengths = &lengths;
    let scoring = Scoring {
        docs,
        average_length,
        quantiser: Quantiser::new(score_ceiling(docs)),
    };
    let shards: Vec<Shard> = tally
        .buckets
        .into_par_iter()
        .enumerate()
        .flat_map_iter(|(number, bucket)| {
            let bucket = merged(bucket);
            let mut groups: FxHashMap<String, Vec<Term>> = FxHashMap::default();
            for (term, postings) in &bucket {
                let term = score_postings(term.to_string(), postings, lengths, &scoring);
                groups
                    .entry(shard_key(&term.term).to_string())
                    .or_default()
                    .push(term);
            }
            if let Some(store) = store {
                store(number, &stored::encode_bucket(&bucket));
            }
            drop(bucket);
            let mut shards = Vec::new();
            for (key, terms) in groups {
                split_into_shards(key, terms, &mut shards);
            }
            shards
        })
        .collect();
    if let Some(store) = store {
        store(
            stored::SECTIONS_PART,
            &stored::encode_sections(&tally.sections),
        );
    }
    Index { shards, sections }
}

fn bucket_of(term: &str) -> usize {
    let mut hasher = rustc_hash::FxHasher::default();
    std::hash::Hash::hash(shard_key(term), &mut hasher);
    (std::hash::Hasher::finish(&hasher) % BUCKETS as u64) as usize
}

/// Adds the words of a page's sections to `terms`, and each section's text length to
/// `lengths` (by section number). Postings of one section are appended together, so the
/// last posting of a term tells whether the section has been seen.
fn count_page(page_index: u32, page: &PageEntry, terms: &mut Terms, lengths: &mut Vec<(u32, u32)>) {
    // The field is a value, not a function: every word of the site goes through here, and
    // a call through a pointer is not inlined.
    let mut add = |token: &str, doc: u32, field: Field| match terms.get_mut(token) {
        Some(counted) if counted.last.doc == doc => field.add_to(&mut counted.last.counts),
        Some(counted) => {
            let done = std::mem::replace(&mut counted.last, field.first(doc));
            counted.earlier.push(done);
        }
        None => {
            let counted = Counted {
                last: field.first(doc),
                earlier: Vec::new(),
            };
            terms.insert(CompactString::from(token), counted);
        }
    };
    for (section_index, section) in page.sections.iter().enumerate() {
        let doc =
            page_index * SECTIONS_PER_PAGE + (section_index as u32).min(SECTIONS_PER_PAGE - 1);
        // The page title counts for its first section, so that the page itself comes first.
        if section_index == 0 {
            for_each_token(&page.title, |t| add(t, doc, Field::Title));
        }
        if let Some(title) = &section.title {
            for_each_token(title, |t| add(t, doc, Field::Heading));
        }
        let mut body_length = 0u32;
        for_each_token(&section.text, |t| {
            body_length += 1;
            add(t, doc, Field::Body);
        });
        match lengths.last_mut() {
            // Sections past the last one told apart share a number: their lengths add up.
            Some((last, length)) if *last == doc => *length += body_length,
            _ => lengths.push((doc, body_length)),
        }
    }
}

/// Where in a section a word was found.
#[derive(Clone, Copy)]
enum Field {
    Title,
    Heading,
    Body,
}

impl Field {
    #[inline]
    fn add_to(self, counts: &mut Counts) {
        match self {
            Field::Title => counts.title = counts.title.saturating_add(1),
            Field::Heading => counts.heading = counts.heading.saturating_add(1),
            Field::Body => counts.body = counts.body.saturating_add(1),
        }
    }

    fn first(self, doc: u32) -> Posting {
        let mut counts = Counts::default();
        self.add_to(&mut counts);
        Posting { doc, counts }
    }
}

/// What scoring a posting takes from the whole index.
struct Scoring {
    docs: f64,
    average_length: f64,
    quantiser: Quantiser,
}

/// A term with its postings scored and encoded.
pub struct Term {
    pub term: String,
    /// Its postings, as [`encode_postings`] writes them.
    pub encoded: String,
    /// Sections it occurs in (before truncation).
    df: usize,
    /// Its postings, (section, score) in section order.
    scored: Vec<(u32, u8)>,
}

impl Term {
    /// A term with its scored postings (in section order), encoded.
    fn new(term: String, df: usize, scored: Vec<(u32, u8)>) -> Term {
        Term {
            term,
            encoded: encode_postings(&scored),
            df,
            scored,
        }
    }

    /// A copy with only its `count` best postings, for a split shard's head.
    fn best(&self, count: usize) -> Term {
        let mut scored = self.scored.clone();
        keep_best(&mut scored, count);
        Term::new(self.term.clone(), self.df, scored)
    }
}

/// Keeps the `count` best-scoring postings (ties: earlier sections), in section order.
fn keep_best(scored: &mut Vec<(u32, u8)>, count: usize) {
    if count == 0 {
        scored.clear();
    } else if scored.len() > count {
        // A total order (sections are unique), so the chosen ones are the same as a full
        // sort's, without sorting the thousands of postings of a common word.
        scored.select_nth_unstable_by(count - 1, |a, b| b.1.cmp(&a.1).then(a.0.cmp(&b.0)));
        scored.truncate(count);
        scored.sort_by_key(|p| p.0);
    }
}

/// Scores a term's postings (BM25F, quantised by [`Quantiser`]) and encodes them; a very common
/// term keeps only its best-scoring sections.
fn score_postings(term: String, postings: &[Posting], lengths: &[u32], scoring: &Scoring) -> Term {
    let Scoring {
        docs,
        average_length,
        ref quantiser,
    } = *scoring;
    debug_assert!(postings.is_sorted_by_key(|p| p.doc));
    let df = postings.len();
    let idf = idf(docs, df);
    let mut scored: Vec<(u32, u8)> = postings
        .iter()
        .map(|p| {
            let length = lengths.get(p.doc as usize).copied().unwrap_or(0);
            (p.doc, quantiser.byte(score(p, length, idf, average_length)))
        })
        .collect();
    keep_best(&mut scored, MAX_POSTINGS);
    Term::new(term, df, scored)
}

/// A shard file's terms.
pub struct Shard {
    pub key: String,
    /// Split into longer keys: holds the key's own term and the most frequent longer ones.
    pub split: bool,
    pub terms: Vec<Term>,
}

/// Shards up to this size (in bytes of file) are not split.
pub const SHARD_BUDGET: usize = 40_000;
/// The longest shard key.
const MAX_KEY_CHARS: usize = 6;
/// Terms a split shard keeps for prefix searches as short as its key.
const HEAD_TERMS: usize = 24;
/// Postings each of those terms keeps there: enough for a page of results while the reader
/// types; the full list is in the longer key's shard, loaded with the next letter.
const HEAD_POSTINGS: usize = 30;

/// Adds the shard of `key` (split by the next character while it is too large) to `out`.
fn split_into_shards(key: String, mut terms: Vec<Term>, out: &mut Vec<Shard>) {
    let size: usize = terms
        .iter()
        .map(|t| t.term.len() + t.encoded.len() + 6)
        .sum();
    let key_chars = key.chars().count();
    if size <= SHARD_BUDGET || key_chars >= MAX_KEY_CHARS {
        out.push(Shard {
            key,
            split: false,
            terms,
        });
        return;
    }
    let mut children: FxHashMap<String, Vec<Term>> = FxHashMap::default();
    let mut own = Vec::new();
    terms.sort_by(|a, b| b.df.cmp(&a.df).then(a.term.cmp(&b.term)));
    let head: Vec<Term> = terms
        .iter()
        .filter(|t| t.term != key)
        .take(HEAD_TERMS)
        .map(|t| t.best(HEAD_POSTINGS))
        .collect();
    for term in terms {
        match term.term.chars().nth(key_chars) {
            Some(next) => children
                .entry(format!("{key}{next}"))
                .or_default()
                .push(term),
            None => own.push(term),
        }
    }
    own.extend(head);
    out.push(Shard {
        key,
        split: true,
        terms: own,
    });
    for (child, child_terms) in children {
        split_into_shards(child, child_terms, out);
    }
}

/// Postings as base-64 digits: for each, the gap to the previous section and the score, as
/// variable-length numbers of 5 bits per digit (the sixth bit says another digit follows).
pub fn encode_postings(postings: &[(u32, u8)]) -> String {
    const DIGITS: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
    let mut out = String::with_capacity(postings.len() * 3);
    let mut previous = 0u32;
    let push = |mut value: u32, out: &mut String| loop {
        let digit = value & 31;
        value >>= 5;
        if value == 0 {
            out.push(DIGITS[digit as usize] as char);
            break;
        }
        out.push(DIGITS[(digit | 32) as usize] as char);
    };
    for &(doc, score) in postings {
        push(doc - previous, &mut out);
        push(u32::from(score), &mut out);
        previous = doc;
    }
    out
}

mod score;
mod stored;

pub use stored::{part_header, split_parts};

#[cfg(test)]
mod tests;
