//! Saving the cache after a build: the records of the pages this pass rendered, appended to a
//! new pack; the search index's counts; and the manifest, written last.

use std::collections::HashSet;
use std::path::Path;

use rayon::prelude::*;
use rustc_hash::FxHashMap;

use super::records::{DiagnosticRecord, LinkRecord, Record, SectionRecord, SectionsRecord};
use super::store::{self, BlobRef, Kind, Manifest, Pack, PageEntry};
use super::tally::{self, TallyWriter};
use super::{Keys, Reuse, Written, folder, keys, link_targets};
use crate::build::books::BookRanges;
use crate::build::render::{PageRender, Renders};
use crate::build::site::Site;
use crate::diagnostics::Diagnostic;
use crate::output::reuse::FileTime;
use crate::paths;

/// Pages whose records are encoded together when the cache is saved.
const SAVE_CHUNK: usize = 1024;

/// A rendered page's record and search sections, encoded.
type Encoded = (Vec<u8>, Option<Vec<u8>>);

/// What a finished build leaves for the next one.
pub struct Finished<'a> {
    /// The renders the pass made.
    pub fresh: &'a Renders,
    pub template_findings: &'a [Diagnostic],
    /// What the sink wrote.
    pub written: Written,
    /// Where each page's pieces went in the books (by page id).
    pub book_ranges: &'a [(crate::content::PageId, BookRanges)],
    /// Where the search index's counts were stored (when the pass made the index).
    pub search_tally: Option<TallyWriter>,
}

/// Writes the cache of the build that just replaced the output.
pub fn save(site: &Site, keys: &Keys, reuse: Reuse, done: Finished) -> std::io::Result<()> {
    // The kept renders (every page but the edited ones, with their search text) are freed
    // on a thread of their own, not the pool's, which the save still uses: freeing them
    // here took most of a rebuild's save.
    let Reuse {
        renders,
        previous,
        plan,
        ..
    } = reuse;
    let freed = std::thread::Builder::new().spawn(move || drop(renders));
    drop(freed);
    let dir = folder(&site.paths.root);
    std::fs::create_dir_all(&dir)?;
    let previous = previous.unwrap_or_default();
    let books = [paths::PRINT_PAGE, paths::LLMS_FULL]
        .into_iter()
        .filter_map(|path| {
            Some((
                path.to_string(),
                FileTime::of(&site.paths.output.join(path))?,
            ))
        })
        .collect();
    let old: FxHashMap<&str, &PageEntry> = previous
        .pages
        .iter()
        .map(|entry| (entry.rel_path.as_str(), entry))
        .collect();

    // What this pass rendered: records and sections, streamed into a new pack each (bodies
    // went to theirs as they were rendered).
    let number = Pack::new_number();
    let mut records = store::PackWriter::create(&dir, Kind::Record, number)?;
    let mut sections = store::PackWriter::create(&dir, Kind::Section, number)?;
    let mut pages = Vec::with_capacity(site.content.pages.len());
    let mut book_ranges = vec![None; site.content.pages.len()];
    for &(page, ranges) in done.book_ranges {
        if let Some(slot) = book_ranges.get_mut(page) {
            *slot = Some(ranges);
        }
    }
    // Encoded on every core (a cold build's records hold every page's search text), a
    // chunk at a time so that only a chunk's bytes wait to be appended, in page order.
    let all = &site.content.pages;
    for (pages_chunk, keys_chunk) in all.chunks(SAVE_CHUNK).zip(keys.bodies.chunks(SAVE_CHUNK)) {
        let encoded: Vec<Option<Encoded>> = pages_chunk
            .par_iter()
            .map(|page| {
                let render = done.fresh.get(&page.rel_path)?;
                let page_sections = render.sections.as_ref().map(|sections| {
                    let record: SectionsRecord = sections.iter().map(SectionRecord::of).collect();
                    store::encode(&record)
                });
                Some((store::encode(&record_of(render)), page_sections))
            })
            .collect();
        for ((page, key), encoded) in pages_chunk.iter().zip(keys_chunk).zip(encoded) {
            let refs = match encoded {
                Some((record, page_sections)) => Some((
                    records.append(&record)?,
                    done.written.body_refs.get(&page.rel_path).copied(),
                    match page_sections {
                        Some(bytes) => Some(sections.append(&bytes)?),
                        None => None,
                    },
                )),
                None => old
                    .get(page.rel_path.as_str())
                    .map(|e| (e.record, e.body, e.sections)),
            };
            if let Some((record, body, sections)) = refs {
                pages.push(PageEntry {
                    rel_path: page.rel_path.clone(),
                    output_path: page.output_path.clone(),
                    body_key: *key,
                    record,
                    body,
                    sections,
                    books: book_ranges[page.id],
                });
            }
        }
    }
    let mut packs = previous.packs.clone();
    packs.push(records.finish()?);
    packs.push(sections.finish()?);
    packs.extend(done.written.bodies.clone());
    for kind in [Kind::Record, Kind::Section, Kind::Body] {
        compact(&dir, kind, &mut pages, &mut packs)?;
    }
    let used: HashSet<(Kind, u64)> = pages
        .iter()
        .flat_map(|e| {
            [
                Some((Kind::Record, e.record.pack)),
                e.body.map(|b| (Kind::Body, b.pack)),
                e.sections.map(|s| (Kind::Section, s.pack)),
            ]
        })
        .flatten()
        .collect();
    packs.retain(|pack| used.contains(&(pack.kind, pack.number)));

    // The index's counts: this pass's, or the last build's when the index was not made.
    let search_tally = match done.search_tally {
        Some(writer) => {
            let order = tally::page_order_key(
                crate::build::search::searchable(site).map(|page| page.rel_path.as_str()),
            );
            Some(writer.finish(order)?)
        }
        // The index was not made again: nothing it counted changed.
        None if !plan.search => previous.search_tally.filter(|_| site.search.enabled),
        // Made, but its counts not kept: the next build counts every page.
        None => None,
    };
    let (pages_at, files, unloaded) = link_targets(site);
    let listed: HashSet<String> = site
        .outputs()
        .map(|o| site.output_path(&o).into_owned())
        .collect();
    let search_files = done
        .written
        .stamps
        .iter()
        .map(|(path, _)| path)
        .filter(|path| !listed.contains(*path))
        .cloned()
        .collect();
    let manifest = Manifest {
        format: keys::FORMAT,
        folio: keys::folio_identity(),
        build: keys.build,
        layout_world: keys.layout_world,
        pages_world: keys.pages_world,
        search_files,
        pages_at,
        files,
        unloaded,
        template_findings: done
            .template_findings
            .iter()
            .map(DiagnosticRecord::of)
            .collect(),
        pages,
        outputs: done.written.stamps,
        books,
        packs,
        search_tally,
    };
    store::write_manifest(&dir, &manifest)?;
    store::remove_unused(&dir, &manifest);
    Ok(())
}

fn record_of(render: &PageRender) -> Record {
    Record {
        warnings: render.warnings.iter().map(DiagnosticRecord::of).collect(),
        links: render.links.links.iter().map(LinkRecord::of).collect(),
        anchors: render.links.anchors.iter().cloned().collect(),
    }
}

/// Rewrites the live blobs of `kind` into one new pack when its packs are mostly dead blobs
/// (of pages since rendered again or gone).
fn compact(
    dir: &Path,
    kind: Kind,
    pages: &mut [PageEntry],
    packs: &mut Vec<Pack>,
) -> std::io::Result<()> {
    let blob = |entry: &PageEntry| match kind {
        Kind::Record => Some(entry.record),
        Kind::Body => entry.body,
        Kind::Section => entry.sections,
    };
    let live: u64 = pages.iter().filter_map(blob).map(|b| b.len).sum();
    let total: u64 = packs
        .iter()
        .filter(|p| p.kind == kind)
        .map(|p| p.bytes)
        .sum();
    let count = packs.iter().filter(|p| p.kind == kind).count();
    if total <= live.saturating_mul(2) + (1 << 20) && count <= 64 {
        return Ok(());
    }
    let number = Pack::new_number();
    let refs: Vec<Option<BlobRef>> = pages.iter().map(blob).collect();
    let raw = store::read_raw(dir, kind, &refs);
    let mut pack = store::PackWriter::create(dir, kind, number)?;
    for (entry, raw) in pages.iter_mut().zip(&raw) {
        let new = match raw {
            Some(bytes) => Some(pack.append(bytes)?),
            None => None,
        };
        match kind {
            // A record that cannot be read any more: the page is left out, and rendered next time.
            Kind::Record => match new {
                Some(record) => entry.record = record,
                None => entry.body_key = 0,
            },
            Kind::Body => entry.body = new,
            // Sections that cannot be read: the page is rendered again next time, for them.
            Kind::Section => {
                if entry.sections.is_some() && new.is_none() {
                    entry.body_key = 0;
                }
                entry.sections = new;
            }
        }
    }
    packs.retain(|p| p.kind != kind);
    packs.push(pack.finish()?);
    Ok(())
}
