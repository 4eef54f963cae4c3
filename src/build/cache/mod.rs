//! The build cache: what `folio build` keeps in `.folio-cache/build/` so that the next build
//! renders only what changed. It holds, per page, the key of what its render depends on and
//! what rendering gave (the body's HTML, warnings, links, anchors, search sections), and the
//! stamps of the output files. The next build compares keys ([`keys`]), plans a render pass
//! of what changed — as `serve` does for an edit — and takes every other file from the
//! previous output folder (`output::reuse`), so its output is the one a cold build makes.
//!
//! Entry points: [`plan`] before the render pass, [`save`] after the output is swapped in.
//! The cache is only a copy: deleting it, or a cache this folio cannot read, means a cold
//! build; `folio build --no-cache` ignores it (and writes a fresh one).

mod keys;
mod sink;
mod store;

use std::collections::HashSet;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use rayon::prelude::*;
use rustc_hash::FxHashMap;

pub use keys::Keys;
pub use sink::{CacheSink, Written};
pub use store::TallyWriter;
use store::{
    BlobRef, BodyRecord, DiagnosticRecord, Kind, LinkRecord, Manifest, Pack, PageEntry, Record,
    RecordHead, SectionRecord,
};

use super::books::{BookRanges, PreviousBooks};
use super::render::{PageRender, Plan, Renders, Selection};
use super::search::{KeptSearch, SearchCache};
use super::site::{Output, Site};
use crate::check::PageLinks;
use crate::diagnostics::Diagnostic;
use crate::markdown::Target;
use crate::output::reuse::{FileTime, Stamp};
use crate::paths;

/// Pages whose records are encoded together when the cache is saved.
const SAVE_CHUNK: usize = 1024;

/// What a build takes from the last one.
pub struct Reuse {
    pub plan: Plan,
    /// The kept renders of pages the plan does not render again.
    pub renders: Renders,
    /// What the layouts linked to, when the plan does not render every layout.
    pub template_findings: Vec<Diagnostic>,
    /// The previous output's files as the last build left them (taken by the output's sink).
    pub stamps: FxHashMap<String, Stamp>,
    /// Files of the previous output that the pass will not make and that are unchanged.
    pub unchanged: Vec<String>,
    /// Pages whose Markdown is rendered again (all of them in a cold build).
    pub rendered: usize,
    /// What the pass does with the search index's kept counts (taken by the pass).
    pub search: SearchCache,
    previous: Option<Manifest>,
}

/// The folder of the cache of the site at `root`.
pub fn folder(root: &Path) -> PathBuf {
    root.join(paths::BUILD_CACHE)
}

/// Plans the render pass from what changed since the cached build (everything when there is
/// no usable cache, or `read` is false).
pub fn plan(site: &Site, keys: &Keys, read: bool, search: bool) -> Reuse {
    let cold = || Reuse {
        plan: Plan {
            keep_bodies: false,
            ..Plan::everything(search)
        },
        renders: Renders::default(),
        template_findings: Vec::new(),
        stamps: FxHashMap::default(),
        unchanged: Vec::new(),
        rendered: site.content.pages.len(),
        search: tally_writer(site, search).map_or(SearchCache::None, SearchCache::Keep),
        previous: None,
    };
    let dir = folder(&site.paths.root);
    let Some(manifest) = read
        .then(|| store::read_manifest(&dir))
        .flatten()
        .filter(|m| {
            m.format == keys::FORMAT && m.folio == keys::folio_identity() && m.build == keys.build
        })
    else {
        return cold();
    };
    warm(site, keys, &dir, manifest, search)
}

fn warm(site: &Site, keys: &Keys, dir: &Path, mut manifest: Manifest, search: bool) -> Reuse {
    let pages = &site.content.pages;
    // Taken, not copied: the save writes the outputs this build's sink recorded.
    let stamps: FxHashMap<String, Stamp> =
        std::mem::take(&mut manifest.outputs).into_iter().collect();
    let entries: FxHashMap<&str, &PageEntry> = manifest
        .pages
        .iter()
        .map(|entry| (entry.rel_path.as_str(), entry))
        .collect();
    let mut all_layouts = manifest.layout_world != keys.layout_world;
    let output = &site.paths.output;
    let intact = |path: &str| {
        stamps
            .get(path)
            .is_some_and(|stamp| FileTime::of(&output.join(path)) == Some(stamp.file))
    };

    // A page is kept when its key is the cached one (and, unless every layout is rendered
    // again, its output file is still there as written).
    let kept: Vec<Option<&PageEntry>> = pages
        .par_iter()
        .zip(&keys.bodies)
        .map(|(page, key)| {
            entries
                .get(page.rel_path.as_str())
                .copied()
                .filter(|entry| entry.body_key == *key && entry.output_path == page.output_path)
                .filter(|entry| all_layouts || intact(&entry.output_path))
                .filter(|entry| {
                    // Its Markdown copy, when it had one, is taken from the last output too.
                    let copy = paths::markdown_copy_path(&entry.output_path);
                    !stamps.contains_key(&copy) || intact(&copy)
                })
        })
        .collect();
    let mut kept_search = search
        .then(|| kept_search(site, keys, dir, &manifest, &stamps, &intact))
        .flatten();
    let refs: Vec<Option<BlobRef>> = kept.iter().map(|e| e.map(|e| e.record)).collect();
    // The sections are read only when the search index's page files are made again.
    let records: Vec<Option<Record>> = match &kept_search {
        Some(KeptSearch {
            page_files: Some(_),
            ..
        }) => store::read_blobs::<RecordHead>(dir, Kind::Record, &refs)
            .into_iter()
            .map(|head| head.map(Record::from))
            .collect(),
        _ => store::read_blobs(dir, Kind::Record, &refs),
    };
    let mut renders: Vec<Option<PageRender>> = records
        .into_par_iter()
        .map(|record| record.map(page_render))
        .collect();

    // Links resolve against the pages and files that exist: when those changed, the pages
    // that link to what came or went are rendered again.
    let moved = moved_keys(site, &manifest);
    if !moved.is_empty() {
        for render in &mut renders {
            if render.as_ref().is_some_and(|r| links_to(&r.links, &moved)) {
                *render = None;
            }
        }
    }
    if !site.has_own_not_found() && !intact(paths::NOT_FOUND) {
        all_layouts = true;
    }
    // The print page and llms-full.txt are made from every page's body and copy. When the
    // layouts and every page's place are unchanged, a kept page's pieces are as the last
    // build wrote them: they are copied from its books, and its body is not read.
    let books = site.config.print.enabled || site.config.llms.enabled;
    let previous_books = (books && !all_layouts)
        .then(|| PreviousBooks::open(output, &manifest.books))
        .flatten()
        .map(Arc::new);
    if let Some(from) = &previous_books {
        for (entry, render) in kept.iter().zip(&mut renders) {
            if let (Some(entry), Some(render)) = (entry, render.as_mut()) {
                render.spliced = entry.books.map(|ranges| (Arc::clone(from), ranges));
            }
        }
    }
    if all_layouts || books {
        let body_refs: Vec<Option<BlobRef>> = kept
            .iter()
            .zip(&renders)
            .map(|(entry, render)| {
                render
                    .as_ref()
                    .filter(|render| render.spliced.is_none())
                    .and(entry.and_then(|e| e.body))
            })
            .collect();
        let bodies: Vec<Option<BodyRecord>> = store::read_blobs(dir, Kind::Body, &body_refs);
        for (slot, body) in renders.iter_mut().zip(bodies) {
            match (slot.as_mut(), body.map(BodyRecord::into_rendered)) {
                (Some(render), Some((body, copy))) => {
                    render.body = Some(body);
                    render.copy = copy;
                }
                // Rendered anew: without its body it has no place in the books.
                (Some(render), None) if books && render.spliced.is_none() => *slot = None,
                _ => {}
            }
        }
        // A page whose body could not be read is rendered anew (the pass sees no body).
    }

    let mut dirty = rustc_hash::FxHashSet::default();
    let mut kept_renders = Renders::default();
    let mut unchanged = Vec::new();
    for (page, render) in pages.iter().zip(renders) {
        match render {
            Some(render) => {
                if !all_layouts {
                    unchanged.push(page.output_path.clone());
                }
                // A kept page's copy is never written by the pass: the last build's stays
                // (whether or not its text was read, for the books).
                let copy = paths::markdown_copy_path(&page.output_path);
                if render.copy.is_some() || stamps.contains_key(&copy) {
                    unchanged.push(copy);
                }
                kept_renders.insert(page.rel_path.clone(), Arc::new(render));
            }
            None => {
                dirty.insert(page.rel_path.clone());
            }
        }
    }
    if !all_layouts && !site.has_own_not_found() {
        unchanged.push(paths::NOT_FOUND.to_string());
    }
    // The search index is made from every page's place and text: when neither changed, its
    // files are the last build's.
    let same_search = search
        && dirty.is_empty()
        && manifest.pages_world == keys.pages_world
        && !manifest.search_files.is_empty()
        && manifest.search_files.par_iter().all(|path| intact(path));
    if same_search {
        unchanged.extend(manifest.search_files.iter().cloned());
        kept_search = None;
    }
    // The page files of pages not rendered again stay, when the index keeps them.
    if let Some(KeptSearch {
        page_files: Some(files),
        ..
    }) = &kept_search
    {
        for (number, page) in super::search::searchable(site).enumerate() {
            if !dirty.contains(&page.rel_path) {
                let path = crate::search::files::page_file_path(number);
                if files.contains_key(&path) {
                    unchanged.push(path);
                }
            }
        }
    }
    let search = search && !same_search;
    let search_cache = match (kept_search, tally_writer(site, search)) {
        (Some(kept), Some(writer)) => SearchCache::Recount(kept, writer),
        (None, Some(writer)) => SearchCache::Keep(writer),
        (_, None) => SearchCache::None,
    };
    Reuse {
        rendered: dirty.len(),
        plan: Plan {
            markdown: Selection::Only(dirty),
            all_layouts,
            files: Selection::All,
            generated: true,
            search,
            keep_bodies: false,
            books: true,
        },
        renders: kept_renders,
        template_findings: manifest
            .template_findings
            .iter()
            .cloned()
            .map(DiagnosticRecord::into_diagnostic)
            .collect(),
        stamps,
        unchanged,
        search: search_cache,
        previous: Some(manifest),
    }
}

/// Where a pass that makes the search index stores its counts (`None` when it does not make
/// it, or the file cannot be made: the next build then counts every page).
fn tally_writer(site: &Site, search: bool) -> Option<TallyWriter> {
    search
        .then(|| TallyWriter::create(&folder(&site.paths.root)).ok())
        .flatten()
}

/// The last build's search counts, when its index numbered the same pages in the same order;
/// with its page files when the pages' places and titles are unchanged too and every page
/// file is as it wrote it.
fn kept_search(
    site: &Site,
    keys: &Keys,
    dir: &Path,
    manifest: &Manifest,
    stamps: &FxHashMap<String, Stamp>,
    intact: &(dyn Fn(&str) -> bool + Sync),
) -> Option<KeptSearch> {
    let file = manifest.search_tally?;
    let pages: Vec<&str> = super::search::searchable(site)
        .map(|page| page.rel_path.as_str())
        .collect();
    if store::page_order_key(pages.iter().copied()) != file.order {
        return None;
    }
    let tally = store::read_tally(dir, &file, crate::search::Tally::decode)?;
    let page_files = (manifest.pages_world == keys.pages_world
        && pages.len() > crate::search::files::ONE_FILE_PAGES)
        .then(|| {
            (0..pages.len())
                .into_par_iter()
                .map(|number| {
                    let path = crate::search::files::page_file_path(number);
                    let hash = stamps.get(&path)?.hash;
                    intact(&path).then_some((path, hash))
                })
                .collect::<Option<FxHashMap<String, u64>>>()
        })
        .flatten();
    Some(KeptSearch { tally, page_files })
}

fn page_render(record: Record) -> PageRender {
    PageRender {
        body: None,
        warnings: record
            .warnings
            .into_iter()
            .map(DiagnosticRecord::into_diagnostic)
            .collect(),
        links: PageLinks {
            links: record
                .links
                .into_iter()
                .map(LinkRecord::into_link)
                .collect(),
            anchors: record.anchors.into_iter().collect(),
        },
        sections: record.sections.map(|sections| {
            sections
                .into_iter()
                .map(SectionRecord::into_section)
                .collect::<Vec<_>>()
                .into()
        }),
        copy: None,
        spliced: None,
    }
}

/// The URLs and paths that a link may have resolved to and that changed since the cached
/// build: pages that came, went or moved, files that came or went.
fn moved_keys(site: &Site, manifest: &Manifest) -> HashSet<String> {
    let (now_pages, now_files, now_unloaded) = link_targets(site);
    let mut moved = HashSet::new();
    let before: HashSet<&(String, String)> = manifest.pages_at.iter().collect();
    let after: HashSet<&(String, String)> = now_pages.iter().collect();
    for (rel, url) in before.symmetric_difference(&after) {
        moved.insert(rel.clone());
        moved.insert(url.clone());
    }
    let before: HashSet<&String> = manifest.files.iter().chain(&manifest.unloaded).collect();
    let after: HashSet<&String> = now_files.iter().chain(&now_unloaded).collect();
    moved.extend(before.symmetric_difference(&after).map(|s| (*s).clone()));
    moved
}

/// Whether a page's links point at one of `moved`, or nowhere yet.
fn links_to(links: &PageLinks, moved: &HashSet<String>) -> bool {
    links.links.iter().any(|link| match &link.target {
        Target::Page { url, .. } => moved.contains(url),
        Target::File { path } => moved.contains(path),
        Target::Unknown { .. } | Target::MissingSource { .. } => true,
        Target::External | Target::SamePage { .. } | Target::Unsafe | Target::RawHtml => false,
    })
}

type LinkTargets = (Vec<(String, String)>, Vec<String>, Vec<String>);

fn link_targets(site: &Site) -> LinkTargets {
    let pages = site
        .content
        .pages
        .iter()
        .map(|p| (p.rel_path.clone(), p.url.clone()))
        .collect();
    let files = site
        .outputs()
        .filter_map(|output| match output {
            Output::File(asset) => Some(asset.output_path.clone()),
            _ => None,
        })
        .collect();
    let unloaded = site.content.unloaded.to_vec();
    (pages, files, unloaded)
}

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
        renders, previous, ..
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

    // What this pass rendered: records, streamed into one new pack (bodies went to theirs
    // as they were rendered).
    let number = Pack::new_number();
    let mut records = store::PackWriter::create(&dir, Kind::Record, number)?;
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
        let encoded: Vec<Option<Vec<u8>>> = pages_chunk
            .par_iter()
            .map(|page| {
                let render = done.fresh.get(&page.rel_path)?;
                Some(store::encode(&record_of(render)))
            })
            .collect();
        for ((page, key), encoded) in pages_chunk.iter().zip(keys_chunk).zip(encoded) {
            let refs = match encoded {
                Some(record) => Some((
                    records.append(&record)?,
                    done.written.body_refs.get(&page.rel_path).copied(),
                )),
                None => old.get(page.rel_path.as_str()).map(|e| (e.record, e.body)),
            };
            if let Some((record, body)) = refs {
                pages.push(PageEntry {
                    rel_path: page.rel_path.clone(),
                    output_path: page.output_path.clone(),
                    body_key: *key,
                    record,
                    body,
                    books: book_ranges[page.id],
                });
            }
        }
    }
    let record_pack = records.finish()?;
    let mut packs = previous.packs.clone();
    packs.push(record_pack);
    packs.extend(done.written.bodies.clone());
    for kind in [Kind::Record, Kind::Body] {
        compact(&dir, kind, &mut pages, &mut packs)?;
    }
    let used: HashSet<(Kind, u64)> = pages
        .iter()
        .flat_map(|e| {
            [
                Some((Kind::Record, e.record.pack)),
                e.body.map(|b| (Kind::Body, b.pack)),
            ]
        })
        .flatten()
        .collect();
    packs.retain(|pack| used.contains(&(pack.kind, pack.number)));

    // The index's counts: this pass's, or the last build's when the index was not made.
    let search_tally = match done.search_tally {
        Some(writer) => {
            let order = store::page_order_key(
                super::search::searchable(site).map(|page| page.rel_path.as_str()),
            );
            Some(writer.finish(order)?)
        }
        // Nothing changed that it counted.
        None => previous.search_tally.filter(|_| site.search.enabled),
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
        sections: render
            .sections
            .as_ref()
            .map(|sections| sections.iter().map(SectionRecord::of).collect()),
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
        }
    }
    packs.retain(|p| p.kind != kind);
    packs.push(pack.finish()?);
    Ok(())
}
