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

use super::changes::ChangeSet;
use crate::build::site::{self, Site};
use crate::build::{BuildOptions, page};
use crate::content::{self, AssetSource, Page, discover};
use crate::diagnostics::{Diagnostic, Diagnostics};
use crate::markdown::{Rendered, Target};

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

/// Everything the server can answer with, by output path (`guide/index.html`).
pub type Outputs = HashMap<String, Arc<Served>>;

/// A page's rendered Markdown and its problems.
struct PageRender {
    rendered: Rendered,
    warnings: Vec<Diagnostic>,
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
    renders: HashMap<String, Arc<PageRender>>,
    outputs: Arc<Outputs>,
    /// Problems of the site as it is served (warnings only).
    warnings: Diagnostics,
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
            renders: HashMap::new(),
            outputs: Arc::new(Outputs::new()),
            warnings: Diagnostics::new(),
        };
        let all: HashSet<String> = live
            .site
            .content
            .pages
            .iter()
            .map(|p| p.rel_path.clone())
            .collect();
        let next = live.site.clone();
        let mut rebuild = live.render_into(next, &all, true, diagnostics)?;
        rebuild.elapsed = started.elapsed();
        Ok((live, rebuild))
    }

    pub fn outputs(&self) -> Arc<Outputs> {
        Arc::clone(&self.outputs)
    }

    pub fn warnings(&self) -> &Diagnostics {
        &self.warnings
    }

    pub fn page_count(&self) -> usize {
        self.site.content.pages.len()
    }

    /// The URL of the page written to `output_path`, when it is a page.
    pub fn url_of_output(&self, output_path: &str) -> Option<String> {
        self.site
            .content
            .pages
            .iter()
            .find(|p| p.output_path == output_path)
            .map(|p| p.url.clone())
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
            rebuild.changed = diff(&self.outputs, &fresh.outputs);
            *self = fresh;
            rebuild.elapsed = started.elapsed();
            return Ok(rebuild);
        }
        let mut next = self.site.clone();
        let mut diagnostics = Diagnostics::new();
        let mut dirty: HashSet<String> = HashSet::new();
        let mut structure = false;
        let mut nav_dirty = false;
        let mut changed_keys: HashSet<String> = HashSet::new();

        if changes.rescan {
            let (content, problems) = content::load(
                &next.paths,
                &next.config,
                content::LoadOptions {
                    drafts: self.options.drafts,
                },
            );
            diagnostics.extend(problems);
            let old: HashMap<&str, &Page> = self
                .site
                .content
                .pages
                .iter()
                .map(|p| (p.rel_path.as_str(), p))
                .collect();
            for page in &content.pages {
                match old.get(page.rel_path.as_str()) {
                    Some(before) if same_page(before, page) => {}
                    Some(before) => {
                        dirty.insert(page.rel_path.clone());
                        changed_keys.extend([before.url.clone(), page.url.clone()]);
                    }
                    None => {
                        dirty.insert(page.rel_path.clone());
                        changed_keys.extend([page.url.clone(), page.rel_path.clone()]);
                    }
                }
            }
            for page in &self.site.content.pages {
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
                dirty.insert(rel.clone());
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
                page.id = id;
            }
            diagnostics.extend(content::index(&mut next.content));
        }
        if structure || nav_dirty {
            diagnostics.extend(next.update_nav());
        }
        if changes.statics {
            diagnostics.extend(next.update_assets());
        }
        let mut all_layouts = structure || nav_dirty || changes.statics && next.versioned_assets;
        if changes.templates {
            if let Err(problems) = next.load_templates() {
                diagnostics.extend(problems);
                return Err(diagnostics);
            }
            all_layouts = true;
        }
        if structure {
            next.update_index();
            // Pages whose links point at what changed (or nowhere yet) are rendered again.
            for (rel, render) in &self.renders {
                let affected = render.rendered.links.iter().any(|link| match &link.target {
                    Target::Page { url, .. } => changed_keys.contains(url),
                    Target::File { path } => changed_keys.contains(path),
                    Target::Unknown { .. } | Target::MissingSource { .. } => true,
                    Target::External | Target::SamePage { .. } | Target::Unsafe => false,
                });
                if affected {
                    dirty.insert(rel.clone());
                }
            }
        }
        diagnostics.extend(page::check_layouts(&next.content, &next.templates));
        if diagnostics.has_errors() {
            return Err(diagnostics);
        }
        let mut rebuild = self.render_into(next, &dirty, all_layouts, diagnostics)?;
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
                next.content.pages[index] = page;
                (structural, nav)
            }
            (Some(index), None) => {
                let gone = next.content.pages.remove(index);
                keys.extend([gone.url, gone.rel_path]);
                (true, true)
            }
            (None, Some(page)) => {
                keys.extend([page.url.clone(), page.rel_path.clone()]);
                next.content.pages.push(page);
                // Keep source order, as a fresh build has it.
                next.content
                    .pages
                    .sort_by(|a, b| a.rel_path.cmp(&b.rel_path));
                (true, true)
            }
            (None, None) => (false, false),
        }
    }

    /// Renders the Markdown of `dirty` pages (and of pages never rendered), the layouts of
    /// those pages (or of all when `all_layouts`), makes the new outputs and keeps `next`.
    fn render_into(
        &mut self,
        next: Site,
        dirty: &HashSet<String>,
        all_layouts: bool,
        mut diagnostics: Diagnostics,
    ) -> Result<Rebuild, Diagnostics> {
        let pages = &next.content.pages;
        let to_render: Vec<&Page> = pages
            .iter()
            .filter(|p| dirty.contains(&p.rel_path) || !self.renders.contains_key(&p.rel_path))
            .collect();
        let fresh: Vec<(String, Arc<PageRender>)> = to_render
            .par_iter()
            .map(|page| {
                let (rendered, warnings) = page::render_markdown(&next, page);
                (
                    page.rel_path.clone(),
                    Arc::new(PageRender { rendered, warnings }),
                )
            })
            .collect();
        let mut renders: HashMap<String, Arc<PageRender>> = pages
            .iter()
            .filter_map(|p| {
                self.renders
                    .get(&p.rel_path)
                    .map(|r| (p.rel_path.clone(), Arc::clone(r)))
            })
            .collect();
        let markdown = fresh.len();
        renders.extend(fresh);

        let layouts: Vec<&Page> = pages
            .iter()
            .filter(|p| {
                all_layouts
                    || dirty.contains(&p.rel_path)
                    || !self.renders.contains_key(&p.rel_path)
            })
            .collect();
        let results: Vec<(&str, Result<String, Diagnostic>)> = layouts
            .par_iter()
            .map(|page| {
                (
                    page.output_path.as_str(),
                    page::render_html(&next, page, &renders[&page.rel_path].rendered),
                )
            })
            .collect();
        let mut outputs: Outputs = (*self.outputs).clone();
        // Outputs of pages that moved or went away.
        let current: HashSet<&str> = pages.iter().map(|p| p.output_path.as_str()).collect();
        for page in &self.site.content.pages {
            if !current.contains(page.output_path.as_str()) {
                outputs.remove(&page.output_path);
            }
        }
        for (path, result) in results {
            match result {
                Ok(html) => {
                    outputs.insert(path.to_string(), bytes(html.into_bytes()));
                }
                Err(problem) => diagnostics.push(problem),
            }
        }
        if !next.has_own_not_found() && (all_layouts || !outputs.contains_key("404.html")) {
            match page::render_not_found(&next) {
                Ok(html) => {
                    outputs.insert("404.html".into(), bytes(html.into_bytes()));
                }
                Err(problem) => diagnostics.push(problem),
            }
        }
        for asset in next.content.assets.iter().chain(&next.content.static_files) {
            let served = match &asset.source {
                AssetSource::File(path) => file(path),
                AssetSource::Embedded(data) => bytes(data.to_vec()),
                AssetSource::Generated(data) => bytes(data.to_vec()),
            };
            outputs.insert(asset.output_path.clone(), served);
        }
        let published: HashSet<&str> = next
            .content
            .assets
            .iter()
            .chain(&next.content.static_files)
            .map(|a| a.output_path.as_str())
            .collect();
        for asset in self
            .site
            .content
            .assets
            .iter()
            .chain(&self.site.content.static_files)
        {
            if !published.contains(asset.output_path.as_str())
                && !current.contains(asset.output_path.as_str())
            {
                outputs.remove(&asset.output_path);
            }
        }
        for (path, text) in next.generated_files() {
            outputs.insert(path.to_string(), bytes(text.into_bytes()));
        }
        if diagnostics.has_errors() {
            return Err(diagnostics);
        }

        let mut warnings: Diagnostics = diagnostics;
        for render in renders.values() {
            warnings.extend(render.warnings.iter().cloned());
        }
        let rebuild = Rebuild {
            markdown,
            pages: layouts.len(),
            changed: diff(&self.outputs, &outputs),
            elapsed: Duration::ZERO,
        };
        self.site = next;
        self.renders = renders;
        self.outputs = Arc::new(outputs);
        self.warnings = warnings;
        Ok(rebuild)
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

/// Everything that decides where a page appears in the navigation and how it is listed.
fn nav_key(page: &Page) -> String {
    let front = &page.front;
    format!(
        "{:?}|{:?}|{:?}|{:?}|{:?}|{:?}|{}|{:?}|{:?}|{:?}|{}",
        page.title,
        front.title.as_ref().map(|t| t.is_number),
        front.parent,
        front.grand_parent,
        front.ancestor,
        front.nav_order,
        front.nav_exclude,
        front.has_children,
        front.child_nav_order,
        front.summary,
        page.url
    )
}

fn same_page(a: &Page, b: &Page) -> bool {
    a.body == b.body && a.front.raw == b.front.raw && a.url == b.url
}

fn bytes(data: Vec<u8>) -> Arc<Served> {
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

/// Output paths that differ between two sets of outputs.
fn diff(before: &Outputs, after: &Outputs) -> Vec<String> {
    let mut changed: Vec<String> = after
        .iter()
        .filter(|(path, served)| before.get(*path).is_none_or(|old| old.hash != served.hash))
        .map(|(path, _)| path.clone())
        .collect();
    changed.extend(
        before
            .keys()
            .filter(|path| !after.contains_key(*path))
            .cloned(),
    );
    changed.sort();
    changed
}
