//! Planning a build from the cache: which pages' renders are kept, which are rendered again,
//! which output files stay, and what the search index keeps.

use std::collections::HashSet;
use std::path::Path;
use std::sync::Arc;

use rayon::prelude::*;
use rustc_hash::FxHashMap;

use super::records::{
    BodyRecord, DiagnosticRecord, LinkRecord, Record, SectionRecord, SectionsRecord,
};
use super::store::{self, BlobRef, Kind, Manifest, PageEntry};
use super::tally::{self, TallyWriter};
use super::{Keys, Reuse, folder, keys, link_targets};
use crate::build::books::PreviousBooks;
use crate::build::render::{PageRender, Plan, Renders, Selection};
use crate::build::search::{KeptSearch, SearchCache};
use crate::build::site::Site;
use crate::check::PageLinks;
use crate::markdown::Target;
use crate::output::reuse::{FileTime, Stamp};
use crate::paths;

/// The size and time of an output file before the build, by its path in the output.
pub type OutputTime<'a> = &'a (dyn Fn(&str) -> Option<FileTime> + Sync);

/// Plans the render pass from what changed since the cached build (everything when there is
/// no usable cache, or `read` is false); `output_time` tells which output files are as the
/// cached build left them.
pub fn plan(site: &Site, keys: &Keys, read: bool, search: bool, output_time: OutputTime) -> Reuse {
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
    warm(site, keys, &dir, manifest, search, output_time)
}

fn warm(
    site: &Site,
    keys: &Keys,
    dir: &Path,
    mut manifest: Manifest,
    search: bool,
    output_time: OutputTime,
) -> Reuse {
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
            .is_some_and(|stamp| output_time(path) == Some(stamp.file))
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
    let records: Vec<Option<Record>> = store::read_blobs(dir, Kind::Record, &refs);
    let mut renders: Vec<Option<PageRender>> = records
        .into_par_iter()
        .map(|record| record.map(page_render))
        .collect();
    // The sections are read only when the search index's page files are made again.
    let keeps_page_files = matches!(
        &kept_search,
        Some(KeptSearch {
            page_files: Some(_),
            ..
        })
    );
    if search && !keeps_page_files {
        let section_refs: Vec<Option<BlobRef>> = kept
            .iter()
            .zip(&renders)
            .map(|(entry, render)| render.as_ref().and(entry.and_then(|e| e.sections)))
            .collect();
        let sections: Vec<Option<SectionsRecord>> =
            store::read_blobs(dir, Kind::Section, &section_refs);
        renders
            .par_iter_mut()
            .zip(section_refs.par_iter())
            .zip(sections.into_par_iter())
            .for_each(|((slot, wanted), read)| match read {
                Some(read) => {
                    if let Some(render) = slot.as_mut() {
                        render.sections = Some(
                            read.into_iter()
                                .map(SectionRecord::into_section)
                                .collect::<Vec<_>>()
                                .into(),
                        );
                    }
                }
                // Sections it had but that cannot be read: rendered again, for them.
                None if wanted.is_some() => *slot = None,
                None => {}
            });
    }

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
        for (number, page) in crate::build::search::searchable(site).enumerate() {
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
    let pages: Vec<&str> = crate::build::search::searchable(site)
        .map(|page| page.rel_path.as_str())
        .collect();
    if tally::page_order_key(pages.iter().copied()) != file.order {
        return None;
    }
    let tally = tally::read_tally(dir, &file, crate::search::Tally::decode)?;
    let page_files = (manifest.pages_world == keys.pages_world
        && crate::search::files::has_page_files(pages.len()))
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
        sections: None,
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
