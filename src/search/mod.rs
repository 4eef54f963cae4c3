//! Full-text search: each page's text, as the Markdown writer renders it, is cut into sections
//! at its headings, and the sections are indexed into small files that the theme's script
//! loads as a reader types.
//!
//! Entry points: [`section_writer`] (one page, while pages are rendered) and [`build`] (the
//! index files, once every page is rendered), or [`write`] from a [`Tally`] that the build
//! cache kept and the pages rendered anew were counted into.

pub mod extract;
pub mod files;
pub mod index;
pub mod tokenize;

use globset::{Glob, GlobSet, GlobSetBuilder};

use crate::config::{CollectionConfig, SearchConfig};
use crate::content::Page;
use crate::diagnostics::Diagnostic;
pub use extract::{Section, SectionWriter};
pub use files::PageFile;
pub use index::{PageEntry, Tally, TallyStore};

/// Which pages are searchable and how they are cut.
#[derive(Debug, Clone)]
pub struct SearchSettings {
    pub enabled: bool,
    pub heading_level: u8,
    exclude: GlobSet,
    /// For each collection: whether its pages are left out.
    collections_excluded: Vec<bool>,
}

impl SearchSettings {
    pub fn new(
        config: &SearchConfig,
        collections: &[CollectionConfig],
    ) -> Result<SearchSettings, Diagnostic> {
        let mut builder = GlobSetBuilder::new();
        for pattern in &config.exclude {
            let glob = Glob::new(pattern).map_err(|err| {
                Diagnostic::error(format!(
                    "search.exclude: `{pattern}` is not a valid pattern: {err}"
                ))
                .with_help("use paths under content/ with * and ** wildcards, e.g. \"drafts/**\"")
            })?;
            builder.add(glob);
        }
        let exclude = builder
            .build()
            .map_err(|err| Diagnostic::error(format!("search.exclude: {err}")))?;
        Ok(SearchSettings {
            enabled: config.enabled,
            heading_level: config.heading_level,
            exclude,
            collections_excluded: collections.iter().map(|c| c.search_exclude).collect(),
        })
    }

    /// Whether `page` belongs in the index.
    pub fn includes(&self, page: &Page) -> bool {
        self.enabled && !self.leaves_out(page)
    }

    /// Whether `page` is left out of search (by its front matter, its collection or
    /// `[search] exclude`), whether or not the site has search.
    pub fn leaves_out(&self, page: &Page) -> bool {
        page.front.search_exclude
            || page
                .collection
                .is_some_and(|c| self.collections_excluded.get(c).copied().unwrap_or(false))
            || self.exclude.is_match(&page.rel_path)
    }
}

/// What cuts a page into sections for the index as its Markdown is written (`None` when the
/// page is left out of search); [`SectionWriter::finish`] gives the sections.
pub fn section_writer(settings: &SearchSettings, page: &Page) -> Option<SectionWriter> {
    settings
        .includes(page)
        .then(|| SectionWriter::new(settings.heading_level))
}

/// The index files for the given pages (in page order), handed to `sink` as (path, text).
pub fn build(pages: Vec<PageEntry>, sink: &(dyn Fn(String, String) + Sync)) {
    let tally = index::count(&pages);
    write(
        pages.into_iter().map(PageFile::Make).collect(),
        tally,
        None,
        sink,
    );
}

/// The index files of a counted index (see [`Tally`]), whose pages are `pages`, in order;
/// with `store`, the tally's bytes go to it for the build cache.
pub fn write(
    pages: Vec<PageFile>,
    tally: Tally,
    store: Option<TallyStore>,
    sink: &(dyn Fn(String, String) + Sync),
) {
    files::write(pages, index::score_tally(tally, store), sink);
}
