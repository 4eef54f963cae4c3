//! The search index while previewing. It is made when a browser first asks for one of its
//! files after a change, not on every rebuild: at 10,000 pages it takes longer than a page
//! edit may, and most edits are never followed by a search.

use std::sync::{Arc, Mutex};

use rustc_hash::FxHashMap;

use super::live::{self, Served};
use crate::build::page;
use crate::build::site::Site;
use crate::search::{self, PageEntry, Section};

/// What the index is made from: a copy of the site model (cheap, shared) and each page's
/// sections, in page order (`None` for pages left out of search).
pub struct IndexSource {
    pub site: Site,
    pub sections: Vec<Option<Arc<[Section]>>>,
}

type Files = FxHashMap<String, Arc<Served>>;

/// The index files of the current site, made on first request.
#[derive(Default)]
pub struct LazyIndex {
    state: Mutex<State>,
}

#[derive(Default)]
struct State {
    source: Option<IndexSource>,
    files: Option<Arc<Files>>,
}

impl LazyIndex {
    /// Forgets the index: the next request makes it from `source` (`None`: search is off).
    pub fn replace(&self, source: Option<IndexSource>) {
        let mut state = self.state.lock().unwrap_or_else(|e| e.into_inner());
        *state = State {
            source,
            files: None,
        };
    }

    /// The index file at `path` (`search/meta.js`, …), making the index if needed.
    pub fn file(&self, path: &str) -> Option<Arc<Served>> {
        if !path.starts_with("search/") {
            return None;
        }
        // Requests that arrive while the index is being made wait for it rather than make
        // it again.
        let mut state = self.state.lock().unwrap_or_else(|e| e.into_inner());
        if state.files.is_none() {
            let source = state.source.as_ref()?;
            state.files = Some(Arc::new(make_files(source)));
        }
        state.files.as_ref()?.get(path).cloned()
    }
}

fn make_files(source: &IndexSource) -> Files {
    let pages = &source.site.content.pages;
    let entries: Vec<PageEntry> = pages
        .iter()
        .zip(&source.sections)
        .filter_map(|(page, sections)| {
            let sections = sections.as_ref()?;
            Some(page::search_entry(&source.site, page, Arc::clone(sections)))
        })
        .collect();
    let files = Mutex::new(Files::default());
    search::build(entries, &|path, text| {
        let served = live::bytes(text.into_bytes());
        files
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .insert(path, served);
    });
    files.into_inner().unwrap_or_else(|e| e.into_inner())
}
