//! The build cache: what `folio build` keeps in `.folio-cache/build/` so that the next build
//! renders only what changed. It holds, per page, the key of what its render depends on and
//! what rendering gave (the body's HTML, warnings, links, anchors, search sections), the
//! search index's word counts, and the stamps of the output files. The next build compares
//! keys ([`keys`]), plans a render pass of what changed — as `serve` does for an edit — and
//! takes every other file from the previous output folder (`output::reuse`), so its output is
//! the one a cold build makes.
//!
//! Entry points: [`plan`] before the render pass, [`save`] after the output is swapped in.
//! The cache is only a copy: deleting it, or a cache this folio cannot read, means a cold
//! build; `folio build --no-cache` ignores it (and writes a fresh one).

mod keys;
mod plan;
mod records;
mod save;
mod sink;
mod store;
mod tally;

use std::path::{Path, PathBuf};

use rustc_hash::FxHashMap;

pub use keys::Keys;
pub use plan::plan;
pub use save::{Finished, save};
pub use sink::{CacheSink, Written};
pub use tally::TallyWriter;

use super::render::{Plan, Renders};
use super::search::SearchCache;
use super::site::{Output, Site};
use crate::diagnostics::Diagnostic;
use crate::output::reuse::Stamp;
use crate::paths;
use store::Manifest;

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
