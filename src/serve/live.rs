//! A site kept in memory and brought up to date incrementally: a change is classified
//! (`update`), and the build's one render pass renders only what depends on it. Rendered
//! Markdown is kept per page, so a change to the navigation or the templates renders layouts
//! only; every output is hashed, so the browser reloads only pages whose HTML changed.
//!
//! Changes are applied to a copy of the model; a copy with errors is dropped and the last
//! good site stays served.

use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use rustc_hash::FxHashMap;

use super::search::IndexSource;
use crate::build;
use crate::build::findings;
use crate::build::render::{self, Plan, Renders, Selection};
use crate::build::search::SearchCache;
use crate::build::site::{self, Site};
use crate::build::{BuildOptions, Mode};
use crate::diagnostics::{Diagnostic, Diagnostics};
use crate::markdown::Target;
use crate::output::{OutputError, OutputSink};

/// A file the server can answer with.
#[derive(Debug)]
pub struct Served {
    pub body: Body,
    /// Hash of the body; stands for the file in `ETag`s and in change detection.
    pub hash: u64,
}

#[derive(Debug)]
pub enum Body {
    Bytes(Arc<[u8]>),
    /// A file of the site, read when asked for.
    File(PathBuf),
}

/// Everything the server can answer with, by output path (`guide/index.html`). Keys are
/// shared so that each rebuild's copy of the map is cheap.
pub type Outputs = FxHashMap<Arc<str>, Arc<Served>>;

/// What a rebuild did.
#[derive(Debug, Clone, Default)]
pub struct Rebuild {
    /// Pages whose Markdown was rendered again.
    pub markdown: usize,
    /// Pages whose layout was rendered again.
    pub pages: usize,
    /// Output paths that changed, came or went.
    pub changed: Vec<String>,
    pub elapsed: Duration,
    /// The site's files that changed, relative to its root (for the log).
    pub files: Vec<String>,
}

pub struct LiveSite {
    pub(super) drafts: bool,
    pub(super) root: PathBuf,
    pub(super) site: Site,
    pub(super) renders: Renders,
    outputs: Arc<Outputs>,
    /// What the layouts link to, from the last pass that rendered every layout.
    template_findings: Arc<Vec<Diagnostic>>,
    /// Every finding about the current site (warnings: a site with errors is not kept).
    findings: Diagnostics,
    /// The print page, llms-full.txt and the Markdown copies of these pages are behind the
    /// last edits (see [`LiveSite::render_books`]).
    pub(super) books_stale: Option<rustc_hash::FxHashSet<String>>,
}

impl LiveSite {
    /// Builds the whole site in memory.
    pub fn load(root: &Path, drafts: bool) -> Result<(LiveSite, Rebuild), Diagnostics> {
        let started = Instant::now();
        let site = LiveSite::load_model(root, drafts)?;
        let mut built = LiveSite::render_all(root, drafts, site)?;
        built.1.elapsed = started.elapsed();
        Ok(built)
    }

    /// The site's model (config, pages, nav, templates), rendered nothing yet.
    pub fn load_model(root: &Path, drafts: bool) -> Result<Site, Diagnostics> {
        let options = BuildOptions {
            root: root.to_path_buf(),
            base_url: None,
            drafts,
            mode: Mode::Serve,
        };
        site::load(&options).map_err(|problems| {
            let mut diagnostics = Diagnostics::new();
            diagnostics.extend(problems);
            diagnostics
        })
    }

    /// Renders every page of `site` into memory.
    pub fn render_all(
        root: &Path,
        drafts: bool,
        site: Site,
    ) -> Result<(LiveSite, Rebuild), Diagnostics> {
        let mut live = LiveSite {
            drafts,
            root: root.to_path_buf(),
            site: site.clone(),
            renders: Renders::default(),
            outputs: Arc::new(Outputs::default()),
            template_findings: Arc::default(),
            findings: Diagnostics::new(),
            books_stale: None,
        };
        let plan = Plan {
            keep_bodies: true,
            ..Plan::everything(false)
        };
        let rebuild = live.render_into(site, &plan, Vec::new())?;
        Ok((live, rebuild))
    }

    pub fn outputs(&self) -> Arc<Outputs> {
        Arc::clone(&self.outputs)
    }

    /// Every finding about the site as it is served.
    pub fn findings(&self) -> &Diagnostics {
        &self.findings
    }

    pub fn page_count(&self) -> usize {
        self.site.content.pages.len()
    }

    /// Runs the render pass for `plan` over `next` on top of the current outputs, and keeps
    /// `next` when it has no errors (`errors` are those met while updating the model).
    pub(super) fn render_into(
        &mut self,
        next: Site,
        plan: &Plan,
        errors: Vec<Diagnostic>,
    ) -> Result<Rebuild, Diagnostics> {
        let sink = MemorySink::default();
        let pass = render::run(&next, plan, &self.renders, &sink, SearchCache::None);
        let template_findings = match pass.template_findings {
            Some(found) => Arc::new(found),
            None => Arc::clone(&self.template_findings),
        };
        let mut found = errors;
        found.extend(pass.problems);
        found.extend(findings::collect(
            &next,
            |rel| {
                pass.renders
                    .get(rel)
                    .or_else(|| self.renders.get(rel))
                    .map(|r| &**r)
            },
            &template_findings,
        ));
        let mut findings = Diagnostics::new();
        findings.extend(found);
        if findings.has_errors() {
            return Err(findings);
        }

        // Outputs that nothing of the site stands for any more.
        let current: rustc_hash::FxHashSet<std::borrow::Cow<'_, str>> = next
            .outputs()
            .map(|output| next.output_path(&output))
            .collect();
        let mut changed: Vec<String> = Vec::new();
        let mut outputs: Outputs = (*self.outputs).clone();
        outputs.retain(|key, _| {
            let kept = current.contains(&**key);
            if !kept {
                changed.push(key.to_string());
            }
            kept
        });
        for (key, served) in sink.into_files() {
            if outputs.get(&key).is_none_or(|old| old.hash != served.hash) {
                changed.push(key.to_string());
            }
            outputs.insert(key, served);
        }
        changed.sort();
        changed.dedup();

        let rebuild = Rebuild {
            markdown: pass.renders.len(),
            pages: pass.layouts,
            changed,
            elapsed: Duration::ZERO,
            files: Vec::new(),
        };
        let live_pages: rustc_hash::FxHashSet<&str> = next
            .content
            .pages
            .iter()
            .map(|p| p.rel_path.as_str())
            .collect();
        self.renders
            .retain(|rel, _| live_pages.contains(rel.as_str()));
        self.renders.extend(pass.renders);
        self.site = next;
        self.outputs = Arc::new(outputs);
        self.template_findings = template_findings;
        self.findings = findings;
        Ok(rebuild)
    }

    /// What the search index is made from now (`None` when search is off).
    pub fn search_source(&self) -> Option<IndexSource> {
        if !self.site.search.enabled {
            return None;
        }
        let sections = self
            .site
            .content
            .pages
            .iter()
            .map(|page| {
                self.renders
                    .get(&page.rel_path)
                    .and_then(|render| render.sections.clone())
            })
            .collect();
        Some(IndexSource {
            site: self.site.clone(),
            sections,
        })
    }

    /// Pages that show the image or file at `output_path` (for reloading them).
    pub fn pages_using(&self, output_path: &str) -> Vec<String> {
        self.site
            .content
            .pages
            .iter()
            .filter(|page| {
                self.renders.get(&page.rel_path).is_some_and(|render| {
                    render
                        .links
                        .links
                        .iter()
                        .any(|l| matches!(&l.target, Target::File { path } if path == output_path))
                })
            })
            .map(|page| page.output_path.clone())
            .collect()
    }
}

/// The file at `output_path` rendered on its own, straight from the model: while the whole
/// site is first rendered, pages that are asked for are rendered at once.
pub fn render_one(site: &Site, output_path: &str) -> Option<Arc<Served>> {
    if let Some(page) = site
        .content
        .pages
        .iter()
        .find(|page| page.output_path == output_path)
    {
        let plan = Plan {
            markdown: Selection::Only(std::iter::once(page.rel_path.clone()).collect()),
            all_layouts: false,
            files: Selection::Only(Default::default()),
            generated: false,
            search: false,
            keep_bodies: false,
            books: false,
        };
        let sink = MemorySink::default();
        render::run(site, &plan, &Renders::default(), &sink, SearchCache::None);
        let files = sink.files.into_inner().unwrap_or_else(|e| e.into_inner());
        return files.into_iter().next().map(|(_, served)| served);
    }
    if let Some(text) = site.generated_file(output_path) {
        return Some(bytes(text.into_bytes()));
    }
    if output_path == crate::paths::NOT_FOUND && !site.has_own_not_found() {
        return build::page::render_not_found(site)
            .ok()
            .map(|html| bytes(html.into_bytes()));
    }
    let asset = site
        .content
        .assets
        .iter()
        .chain(&site.content.static_files)
        .find(|asset| asset.output_path == output_path)?;
    Some(match site::in_memory(asset) {
        Some(data) => bytes(data.to_vec()),
        None => match &asset.source {
            crate::content::AssetSource::File(path) => file(path),
            _ => return None,
        },
    })
}

/// The preview server's sink: what a pass writes is kept in memory; files of the site are
/// read from disk when asked for.
#[derive(Default)]
struct MemorySink {
    files: Mutex<Vec<(Arc<str>, Arc<Served>)>>,
    /// Files written piece by piece, in the order they were started.
    appended: Mutex<Vec<(Arc<str>, Vec<u8>)>>,
}

impl MemorySink {
    /// Every file the pass wrote.
    fn into_files(self) -> Vec<(Arc<str>, Arc<Served>)> {
        let mut files = self.files.into_inner().unwrap_or_else(|e| e.into_inner());
        let appended = self
            .appended
            .into_inner()
            .unwrap_or_else(|e| e.into_inner());
        files.extend(appended.into_iter().map(|(path, data)| (path, bytes(data))));
        files
    }

    fn keep(&self, path: &str, served: Arc<Served>) {
        self.files
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .push((path.into(), served));
    }
}

impl OutputSink for MemorySink {
    fn prepare(&self, _: &mut dyn Iterator<Item = &str>) -> Result<(), OutputError> {
        Ok(())
    }

    fn write(&self, path: &str, data: Vec<u8>) -> Result<(), OutputError> {
        self.keep(path, bytes(data));
        Ok(())
    }

    fn copy(&self, path: &str, from: &Path) -> Result<(), OutputError> {
        self.keep(path, file(from));
        Ok(())
    }

    fn append(&self, path: &str, data: &[u8]) -> Result<(), OutputError> {
        let mut appended = self.appended.lock().unwrap_or_else(|e| e.into_inner());
        match appended.iter_mut().find(|(p, _)| &**p == path) {
            Some((_, bytes)) => bytes.extend_from_slice(data),
            None => appended.push((path.into(), data.to_vec())),
        }
        Ok(())
    }
}

/// A file served from memory, hashed.
pub(super) fn bytes(data: Vec<u8>) -> Arc<Served> {
    Arc::new(Served {
        hash: xxhash_rust::xxh3::xxh3_64(&data),
        body: Body::Bytes(data.into()),
    })
}

fn file(path: &Path) -> Arc<Served> {
    // Size and modification time stand for the content of a file served from disk.
    let stamp = std::fs::metadata(path)
        .map(|m| format!("{}:{:?}", m.len(), m.modified().ok()))
        .unwrap_or_default();
    Arc::new(Served {
        hash: xxhash_rust::xxh3::xxh3_64(stamp.as_bytes()),
        body: Body::File(path.to_path_buf()),
    })
}
