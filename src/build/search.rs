//! The search stage of a pass: the index of every searchable page's sections, counted whole,
//! or — when the build cache kept the last build's counts — counting only the pages this
//! pass rendered, and keeping the page files of the others.

use std::sync::Arc;

use rustc_hash::FxHashMap;

use super::cache::TallyWriter;
use super::page;
use super::render::Renders;
use super::site::Site;
use crate::content::Page;
use crate::diagnostics::Diagnostic;
use crate::output::OutputSink;
use crate::search::{self, PageFile, Tally};

/// What a pass does with the counts the build cache keeps.
pub enum SearchCache {
    /// Nothing (`serve`, `check`).
    None,
    /// Counts every page, and stores the counts for the cache.
    Keep(TallyWriter),
    /// Counts the pages the pass renders into the last build's counts, and stores them.
    Recount(KeptSearch, TallyWriter),
}

/// The last build's search index, as the cache kept it.
pub struct KeptSearch {
    /// Its counts; page i is the i-th searchable page, then and now.
    pub tally: Tally,
    /// The hashes of its page files, by path, when those of pages not rendered again are
    /// kept: their pages, places, titles and numbers are unchanged. `None`: every page file
    /// is made again, from the kept renders' sections.
    pub page_files: Option<FxHashMap<String, u64>>,
}

/// The pages of the index, in order: those `site` searches.
pub fn searchable(site: &Site) -> impl Iterator<Item = &Arc<Page>> {
    site.content
        .pages
        .iter()
        .filter(|page| site.search.includes(page))
}

/// Writes the search index of every page's sections (this pass's renders, else the kept
/// ones), storing its counts when `cache` asks for them; gives back the counts' writer.
pub fn write(
    site: &Site,
    fresh: &Renders,
    previous: &Renders,
    sink: &dyn OutputSink,
    cache: SearchCache,
) -> (Vec<Diagnostic>, Option<TallyWriter>) {
    let failures = std::sync::Mutex::new(Vec::new());
    let emit = |path: String, text: String| {
        if let Err(err) = sink.write(&path, text.into_bytes()) {
            failures
                .lock()
                .unwrap_or_else(|e| e.into_inner())
                .push(err.to_diagnostic());
        }
    };
    let entry = |page: &Page, renders: &Renders| {
        let sections = renders.get(&page.rel_path)?.sections.as_ref()?;
        Some(page::search_entry(site, page, Arc::clone(sections)))
    };
    let (kept, writer) = match cache {
        SearchCache::None => (None, None),
        SearchCache::Keep(writer) => (None, Some(writer)),
        SearchCache::Recount(kept, writer) => (Some(kept), Some(writer)),
    };
    let store = |number: usize, bytes: &[u8]| {
        if let Some(writer) = &writer {
            writer.part(number, bytes);
        }
    };
    let mut store: Option<search::TallyStore> = writer.is_some().then_some(&store);
    let pages: Vec<&Arc<Page>> = searchable(site).collect();
    match kept {
        None => {
            let entries: Vec<search::PageEntry> = pages
                .iter()
                .filter_map(|page| entry(page, fresh).or_else(|| entry(page, previous)))
                .collect();
            // Counts are stored by page number: they are of use only if every searchable page
            // has its number (a page without sections shifts the ones after it).
            if entries.len() != pages.len() {
                store = None;
            }
            let tally = search::index::count(&entries);
            let files = entries.into_iter().map(PageFile::Make).collect();
            search::write(files, tally, store, &emit);
            if store.is_none() {
                return (failures.into_inner().unwrap_or_default(), None);
            }
        }
        Some(KeptSearch {
            mut tally,
            page_files,
        }) => {
            let changed: Vec<(u32, search::PageEntry)> = pages
                .iter()
                .enumerate()
                .filter_map(|(number, page)| Some((number as u32, entry(page, fresh)?)))
                .collect();
            let counted: Vec<(u32, &search::PageEntry)> = changed
                .iter()
                .map(|(number, entry)| (*number, entry))
                .collect();
            tally.recount(&counted);
            let mut changed: FxHashMap<u32, search::PageEntry> = changed.into_iter().collect();
            let files = pages
                .iter()
                .enumerate()
                .filter_map(|(number, page)| {
                    if let Some(entry) = changed.remove(&(number as u32)) {
                        return Some(PageFile::Make(entry));
                    }
                    let path = search::files::page_file_path(number);
                    match page_files.as_ref().and_then(|files| files.get(&path)) {
                        Some(&hash) => Some(PageFile::Kept { hash }),
                        None => entry(page, previous).map(PageFile::Make),
                    }
                })
                .collect::<Vec<PageFile>>();
            // The plan keeps every page's file or its sections; a page with neither would
            // shift the numbers of the pages after it.
            if files.len() != pages.len() {
                let problem = Diagnostic::error(
                    "the build cache lacks the search text of some pages, so the search index cannot be made",
                )
                .with_help("build again with `folio build --no-cache`");
                return (vec![problem], None);
            }
            search::write(files, tally, store, &emit);
        }
    }
    (failures.into_inner().unwrap_or_default(), writer)
}
