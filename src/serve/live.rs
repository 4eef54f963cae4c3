//! A site kept in memory and brought up to date incrementally: a change is classified, and
//! only what depends on it is rendered again. Rendered Markdown is kept per page, so a change
//! to the navigation or the templates renders layouts only; every output is hashed, so the
//! browser reloads only pages whose HTML changed.
//!
//! Changes are applied to a copy of the model; a copy with errors is dropped and the last
//! good site stays served.

use std::collections::{HashMap, HashSet};
use std::path::PathBuf;
use std::sync::Arc;
use std::time::{Duration, Instant};

use rayon::prelude::*;
use rustc_hash::FxHashMap;

use super::changes::{ChangeSet, full_diff, nav_key, same_page};
use super::search::IndexSource;
use crate::build::site::{self, Site};
use crate::build::{BuildOptions, page};
use crate::check::{self, PageLinks};
use crate::content::{self, AssetSource, Page, discover};
use crate::diagnostics::{Diagnostic, Diagnostics};
use crate::markdown::{Rendered, Target};
use crate::output::extras;
use crate::search::Section;

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

/// A page's rendered Markdown and its problems.
struct PageRender {
    rendered: Rendered,
    warnings: Vec<Diagnostic>,
    /// Its links and anchors, for the link checks.
    links: PageLinks,
    /// The page's sections for the search index (`None` when it is left out).
    sections: Option<Arc<[Section]>>,
}

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
}

pub struct LiveSite {
    options: BuildOptions,
    site: Site,
    renders: FxHashMap<String, Arc<PageRender>>,
    outputs: Arc<Outputs>,
    /// Warnings of the last rebuild (of everything after a full load).
    warnings: Diagnostics,
}

/// What a batch of changes requires, worked out before rendering.
#[derive(Default)]
struct Plan {
    /// Pages (by path under `content/`) whose Markdown is rendered again.
    dirty: HashSet<String>,
    /// Every layout is rendered again (navigation, templates or URLs changed).
    all_layouts: bool,
    /// The static files were read again.
    statics: bool,
    /// nav.json, sitemap.xml and robots.txt are made again.
    generated: bool,
}

impl LiveSite {
    /// Builds the whole site in memory.
    pub fn load(options: &BuildOptions) -> Result<(LiveSite, Rebuild), Diagnostics> {
        let started = Instant::now();
        let mut diagnostics = Diagnostics::new();
        let site = match site::load(options, &mut diagnostics) {
            Ok(site) => site,
            Err(problems) => {
                diagnostics.extend(problems);
                return Err(diagnostics);
            }
        };
        if diagnostics.has_errors() {
            return Err(diagnostics);
        }
        let mut live = LiveSite {
            options: options.clone(),
            site,
            renders: FxHashMap::default(),
            outputs: Arc::new(Outputs::default()),
            warnings: Diagnostics::new(),
        };
        let plan = Plan {
            dirty: live
                .site
                .content
                .pages
                .iter()
                .map(|p| p.rel_path.clone())
                .collect(),
            all_layouts: true,
            statics: true,
            generated: true,
        };
        let next = live.site.clone();
        let mut rebuild = live.render_into(next, &plan, diagnostics)?;
        rebuild.elapsed = started.elapsed();
        Ok((live, rebuild))
    }

    pub fn outputs(&self) -> Arc<Outputs> {
        Arc::clone(&self.outputs)
    }

    /// Warnings of the last rebuild.
    pub fn warnings(&self) -> &Diagnostics {
        &self.warnings
    }

    pub fn page_count(&self) -> usize {
        self.site.content.pages.len()
    }

    /// Applies changed files (absolute paths). On errors the site stays as it was.
    pub fn apply(&mut self, changed: &[PathBuf]) -> Result<Rebuild, Diagnostics> {
        let started = Instant::now();
        let changes = ChangeSet::classify(&self.site.paths, changed);
        if changes.is_empty() {
            return Ok(Rebuild::default());
        }
        if changes.config {
            let (fresh, mut rebuild) = LiveSite::load(&self.options)?;
            rebuild.changed = full_diff(&self.outputs, &fresh.outputs);
            *self = fresh;
            rebuild.elapsed = started.elapsed();
            return Ok(rebuild);
        }
        let mut next = self.site.clone();
        let mut diagnostics = Diagnostics::new();
        let mut plan = Plan {
            statics: changes.statics,
            ..Plan::default()
        };
        let mut structure = false;
        let mut nav_dirty = false;
        let mut changed_keys: HashSet<String> = HashSet::new();

        if changes.rescan {
            let options = content::LoadOptions {
                drafts: self.options.drafts,
            };
            let (content, problems) = content::load(&next.paths, &next.config, options);
            diagnostics.extend(problems);
            let old: HashMap<&str, &Page> = self
                .site
                .content
                .pages
                .iter()
                .map(|p| (p.rel_path.as_str(), &**p))
                .collect();
            for page in &content.pages {
                if !old
                    .get(page.rel_path.as_str())
                    .is_some_and(|before| same_page(before, page))
                {
                    plan.dirty.insert(page.rel_path.clone());
                }
            }
            for page in self.site.content.pages.iter().chain(&content.pages) {
                changed_keys.extend([page.url.clone(), page.rel_path.clone()]);
            }
            next.content.pages = content.pages;
            next.content.assets = content.assets;
            structure = true;
            nav_dirty = true;
        } else {
            for rel in &changes.pages {
                let (is_structural, is_nav) =
                    self.update_page(&mut next, rel, &mut diagnostics, &mut changed_keys);
                plan.dirty.insert(rel.clone());
                structure |= is_structural;
                nav_dirty |= is_nav;
            }
            for rel in &changes.assets {
                let path = next.paths.content.join(rel);
                let known = next
                    .content
                    .assets
                    .iter()
                    .position(|a| &a.output_path == rel);
                // A file that was there and still is only changes its own output.
                match (path.is_file(), known) {
                    (true, None) => next.content.assets.push(content::Asset {
                        source: AssetSource::File(path),
                        output_path: rel.clone(),
                    }),
                    (false, Some(index)) => {
                        next.content.assets.remove(index);
                    }
                    _ => continue,
                }
                changed_keys.insert(rel.clone());
                structure = true;
            }
        }
        if structure || nav_dirty {
            for (id, page) in next.content.pages.iter_mut().enumerate() {
                if page.id != id {
                    Arc::make_mut(page).id = id;
                }
            }
            diagnostics.extend(content::index(&mut next.content));
            diagnostics.extend(next.update_nav());
        }
        if changes.statics {
            diagnostics.extend(next.update_assets());
        }
        if changes.templates
            && let Err(problems) = next.load_templates()
        {
            diagnostics.extend(problems);
            return Err(diagnostics);
        }
        if structure {
            next.update_index();
            // Pages whose links point at what changed (or nowhere yet) are rendered again.
            for (rel, render) in &self.renders {
                let affected = render.rendered.links.iter().any(|link| match &link.target {
                    Target::Page { url, .. } => changed_keys.contains(url),
                    Target::File { path } => changed_keys.contains(path),
                    Target::Unknown { .. } | Target::MissingSource { .. } => true,
                    Target::External
                    | Target::SamePage { .. }
                    | Target::Unsafe
                    | Target::RawHtml => false,
                });
                if affected {
                    plan.dirty.insert(rel.clone());
                }
            }
        }
        plan.all_layouts = structure
            || nav_dirty
            || changes.templates
            || (changes.statics && next.versioned_assets);
        plan.generated = structure || nav_dirty || self.sitemap_dates_changed(&next, &plan.dirty);
        let checked: Vec<Arc<Page>> = next
            .content
            .pages
            .iter()
            .filter(|p| plan.all_layouts || plan.dirty.contains(&p.rel_path))
            .cloned()
            .collect();
        diagnostics.extend(page::check_layouts(&checked, &next.templates));
        if diagnostics.has_errors() {
            return Err(diagnostics);
        }
        let mut rebuild = self.render_into(next, &plan, diagnostics)?;
        rebuild.elapsed = started.elapsed();
        Ok(rebuild)
    }

    /// Reads one page again; returns whether URLs (structure) or the navigation changed.
    fn update_page(
        &self,
        next: &mut Site,
        rel: &str,
        diagnostics: &mut Diagnostics,
        keys: &mut HashSet<String>,
    ) -> (bool, bool) {
        let path = next.paths.content.join(rel);
        let position = next.content.pages.iter().position(|p| p.rel_path == rel);
        let fresh = if path.is_file() {
            let found = discover::Found {
                path,
                rel_path: rel.to_string(),
            };
            match content::read_page(&next.paths, &next.config, &found) {
                Ok((page, warnings)) => {
                    diagnostics.extend(warnings);
                    (self.options.drafts || !page.front.draft).then_some(page)
                }
                Err(errors) => {
                    diagnostics.extend(errors);
                    return (false, false);
                }
            }
        } else {
            None
        };
        match (position, fresh) {
            (Some(index), Some(mut page)) => {
                let before = &next.content.pages[index];
                page.id = before.id;
                let structural = before.url != page.url || before.output_path != page.output_path;
                let nav = nav_key(before) != nav_key(&page);
                if structural {
                    keys.extend([before.url.clone(), page.url.clone()]);
                }
                next.content.pages[index] = Arc::new(page);
                (structural, nav)
            }
            (Some(index), None) => {
                let gone = next.content.pages.remove(index);
                keys.extend([gone.url.clone(), gone.rel_path.clone()]);
                (true, true)
            }
            (None, Some(page)) => {
                keys.extend([page.url.clone(), page.rel_path.clone()]);
                next.content.pages.push(Arc::new(page));
                // Keep source order, as a fresh build has it.
                next.content
                    .pages
                    .sort_by(|a, b| a.rel_path.cmp(&b.rel_path));
                (true, true)
            }
            (None, None) => (false, false),
        }
    }

    /// Whether a changed page's date in the sitemap is not what it was.
    fn sitemap_dates_changed(&self, next: &Site, dirty: &HashSet<String>) -> bool {
        let date =
            |page: &Page| extras::date_of(page.front.last_modified_date.as_deref(), page.modified);
        let before: HashMap<&str, &Page> = self
            .site
            .content
            .pages
            .iter()
            .filter(|p| dirty.contains(&p.rel_path))
            .map(|p| (p.rel_path.as_str(), &**p))
            .collect();
        next.content
            .pages
            .iter()
            .filter(|p| dirty.contains(&p.rel_path))
            .any(|page| {
                before
                    .get(page.rel_path.as_str())
                    .is_none_or(|old| date(old) != date(page))
            })
    }

    /// Renders what `plan` asks for on top of the current outputs and keeps `next`.
    fn render_into(
        &mut self,
        next: Site,
        plan: &Plan,
        mut diagnostics: Diagnostics,
    ) -> Result<Rebuild, Diagnostics> {
        let pages = &next.content.pages;
        let to_render: Vec<&Arc<Page>> = pages
            .iter()
            .filter(|p| plan.dirty.contains(&p.rel_path) || !self.renders.contains_key(&p.rel_path))
            .collect();
        let fresh: FxHashMap<String, Arc<PageRender>> = to_render
            .par_iter()
            .map(|page| {
                let page::PageMarkdown {
                    rendered,
                    warnings,
                    sections,
                } = page::render_markdown(&next, page);
                let links = page::page_links(page, &rendered);
                let render = PageRender {
                    rendered,
                    warnings,
                    links,
                    sections,
                };
                (page.rel_path.clone(), Arc::new(render))
            })
            .collect();
        let render_of = |rel: &str| fresh.get(rel).or_else(|| self.renders.get(rel));

        let layouts: Vec<&Arc<Page>> = pages
            .iter()
            .filter(|p| plan.all_layouts || fresh.contains_key(&p.rel_path))
            .collect();
        let results: Vec<(&str, Result<String, Diagnostic>)> = layouts
            .par_iter()
            .map(|page| {
                let render = render_of(&page.rel_path).expect("every page has rendered Markdown");
                (
                    page.output_path.as_str(),
                    page::render_html(&next, page, &render.rendered),
                )
            })
            .collect();

        let mut updates: Vec<(Arc<str>, Arc<Served>)> = Vec::with_capacity(results.len() + 8);
        for (path, result) in results {
            match result {
                Ok(html) => updates.push((path.into(), bytes(html.into_bytes()))),
                Err(problem) => diagnostics.push(problem),
            }
        }
        if !next.has_own_not_found() && (plan.all_layouts || !self.outputs.contains_key("404.html"))
        {
            match page::render_not_found(&next) {
                Ok(html) => updates.push(("404.html".into(), bytes(html.into_bytes()))),
                Err(problem) => diagnostics.push(problem),
            }
        }
        // Files: all after reading static/ again, otherwise the content files that changed.
        for asset in next.content.assets.iter().chain(&next.content.static_files) {
            let wanted = plan.statics
                || !self.outputs.contains_key(asset.output_path.as_str())
                || plan.dirty.contains(&asset.output_path);
            if !wanted && !matches!(asset.source, AssetSource::File(_)) {
                continue;
            }
            let served = match &asset.source {
                AssetSource::File(path) => file(path),
                AssetSource::Embedded(data) => bytes(data.to_vec()),
                AssetSource::Generated(data) => bytes(data.to_vec()),
            };
            updates.push((asset.output_path.as_str().into(), served));
        }
        if plan.generated {
            for (path, text) in next.generated_files() {
                updates.push((path.into(), bytes(text.into_bytes())));
            }
        }
        if diagnostics.has_errors() {
            return Err(diagnostics);
        }

        // Outputs that no page or file stands for any more.
        let mut removed: Vec<Arc<str>> = Vec::new();
        if plan.all_layouts || plan.statics || !plan.dirty.is_empty() {
            let current: HashSet<&str> = pages
                .iter()
                .map(|p| p.output_path.as_str())
                .chain(
                    next.content
                        .assets
                        .iter()
                        .chain(&next.content.static_files)
                        .map(|a| a.output_path.as_str()),
                )
                .chain(next.generated_files_names())
                .chain(["404.html"])
                .collect();
            removed.extend(
                self.outputs
                    .keys()
                    .filter(|k| !current.contains(&***k))
                    .cloned(),
            );
        }

        let mut changed: Vec<String> = Vec::new();
        let mut outputs: Outputs = (*self.outputs).clone();
        for key in removed {
            outputs.remove(&key);
            changed.push(key.to_string());
        }
        for (key, served) in updates {
            if outputs.get(&key).is_none_or(|old| old.hash != served.hash) {
                changed.push(key.to_string());
            }
            outputs.insert(key, served);
        }
        changed.sort();
        changed.dedup();

        let mut warnings = diagnostics;
        for render in fresh.values() {
            warnings.extend(render.warnings.iter().cloned());
        }
        // Links are checked across every page: an edit can break a link on another page.
        let found: Vec<&PageLinks> = pages
            .iter()
            .map(|page| {
                &render_of(&page.rel_path)
                    .expect("every page has rendered Markdown")
                    .links
            })
            .collect();
        warnings.extend(check::internal(&next.index, pages, &found));
        let rebuild = Rebuild {
            markdown: fresh.len(),
            pages: layouts.len(),
            changed,
            elapsed: Duration::ZERO,
        };
        let live_pages: HashSet<&str> = pages.iter().map(|p| p.rel_path.as_str()).collect();
        self.renders
            .retain(|rel, _| live_pages.contains(rel.as_str()));
        self.renders.extend(fresh);
        self.site = next;
        self.outputs = Arc::new(outputs);
        self.warnings = warnings;
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
                        .rendered
                        .links
                        .iter()
                        .any(|l| matches!(&l.target, Target::File { path } if path == output_path))
                })
            })
            .map(|page| page.output_path.clone())
            .collect()
    }
}

/// A file served from memory, hashed.
pub(super) fn bytes(data: Vec<u8>) -> Arc<Served> {
    Arc::new(Served {
        hash: xxhash_rust::xxh3::xxh3_64(&data),
        body: Body::Bytes(data.into()),
    })
}

fn file(path: &std::path::Path) -> Arc<Served> {
    // Size and modification time stand for the content of a file served from disk.
    let stamp = std::fs::metadata(path)
        .map(|m| format!("{}:{:?}", m.len(), m.modified().ok()))
        .unwrap_or_default();
    Arc::new(Served {
        hash: xxhash_rust::xxh3::xxh3_64(stamp.as_bytes()),
        body: Body::File(path.to_path_buf()),
    })
}
