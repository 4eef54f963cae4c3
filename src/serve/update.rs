//! A batch of changed files applied to a copy of the live site's model, and the render plan
//! that follows from it: which pages' Markdown to render again, whether every layout must be
//! rendered again, which files to publish again.

use rustc_hash::{FxHashMap as HashMap, FxHashSet as HashSet};
use std::path::PathBuf;
use std::sync::Arc;
use std::time::Instant;

use super::changes::{ChangeSet, full_diff, nav_key, same_page};
use super::live::{LiveSite, Rebuild};
use crate::build::render::{Plan, Selection};
use crate::build::site::Site;
use crate::content::{self, AssetSource, Page};
use crate::diagnostics::{Diagnostic, Diagnostics};
use crate::markdown::Target;
use crate::output::extras;

/// How one page's update changed the site.
#[derive(Debug, Default, Clone, Copy)]
struct PageChange {
    /// Its URL or output file changed, or it came or went.
    structure: bool,
    /// Where it appears in the navigation, or how it is listed, changed.
    nav: bool,
}

impl LiveSite {
    /// Applies changed files (absolute paths). On errors the site stays as it was.
    pub fn apply(&mut self, changed: &[PathBuf]) -> Result<Rebuild, Diagnostics> {
        let started = Instant::now();
        let content = &self.site.content;
        let was_folder = |rel: &str| {
            let folder = format!("{rel}/");
            content
                .pages
                .iter()
                .any(|p| p.rel_path.starts_with(&folder))
                || content
                    .assets
                    .iter()
                    .any(|a| a.output_path.starts_with(&folder))
        };
        let changes = ChangeSet::classify(&self.site.paths, changed, &was_folder);
        if changes.is_empty() {
            return Ok(Rebuild::default());
        }
        let changed_files: Vec<String> = changes.files.iter().cloned().collect();
        if changes.config {
            let (fresh, mut rebuild) = LiveSite::load(&self.root, self.drafts)?;
            rebuild.changed = full_diff(&self.outputs(), &fresh.outputs());
            *self = fresh;
            rebuild.elapsed = started.elapsed();
            rebuild.files = changed_files;
            return Ok(rebuild);
        }
        let mut next = self.site.clone();
        let mut errors = Vec::new();
        let mut dirty: HashSet<String> = HashSet::default();
        let mut change = PageChange::default();
        let mut changed_keys: HashSet<String> = HashSet::default();

        if changes.rescan {
            let options = content::LoadOptions {
                drafts: self.drafts,
            };
            let content = content::load(&next.paths, &next.config, options);
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
                    dirty.insert(page.rel_path.clone());
                }
            }
            for page in self.site.content.pages.iter().chain(&content.pages) {
                changed_keys.extend([page.url.clone(), page.rel_path.clone()]);
            }
            next.content.pages = content.pages;
            next.content.assets = content.assets;
            next.content.problems = content.problems;
            next.content.unloaded = content.unloaded;
            change = PageChange {
                structure: true,
                nav: true,
            };
        } else {
            for rel in &changes.pages {
                let page_change =
                    update_page(&mut next, self.drafts, rel, &mut errors, &mut changed_keys);
                dirty.insert(rel.clone());
                change.structure |= page_change.structure;
                change.nav |= page_change.nav;
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
                change.structure = true;
            }
        }
        if change.structure || change.nav {
            for (id, page) in next.content.pages.iter_mut().enumerate() {
                if page.id != id {
                    Arc::make_mut(page).id = id;
                }
            }
            content::index(&mut next.content);
            next.update_nav();
        }
        if changes.statics {
            next.update_assets();
        }
        // Liquid sees every page (site.pages), the includes and the data: when any of them
        // changed, it is made again, and every page with Liquid is rendered again.
        let pages_changed =
            change.structure || change.nav || self.front_matter_changed(&next, &dirty);
        if changes.liquid || pages_changed {
            next.reset_liquid();
            dirty.extend(
                next.content
                    .pages
                    .iter()
                    .filter(|p| crate::liquid::has_markup(&p.body))
                    .map(|p| p.rel_path.clone()),
            );
        }
        if changes.templates {
            if let Err(problems) = next.load_templates() {
                errors.extend(problems);
                let mut diagnostics = Diagnostics::new();
                diagnostics.extend(errors);
                return Err(diagnostics);
            }
        } else if !changes.pages.is_empty() || changes.rescan {
            next.check_layouts();
        }
        if change.structure {
            next.update_index();
            dirty.extend(self.linking_to(&changed_keys));
        }
        let all_layouts = change.structure
            || change.nav
            || changes.templates
            || (changes.statics && next.versioned_assets);
        let generated = change.structure || change.nav || self.sitemap_dates_changed(&next, &dirty);
        let files = if changes.statics || changes.rescan {
            Selection::All
        } else {
            Selection::Only(changes.assets.iter().cloned().collect())
        };
        // The print page and llms-full.txt hold every page's body, and its title and place:
        // they are made again after this rebuild has reached the browsers (`render_books`).
        let books = !dirty.is_empty() || all_layouts || generated;
        let books_pages = books.then(|| dirty.clone());
        let plan = Plan {
            books: false,
            markdown: Selection::Only(dirty),
            all_layouts,
            files,
            generated,
            search: false,
            keep_bodies: true,
        };
        let mut rebuild = self.render_into(next, &plan, errors)?;
        if let Some(pages) = books_pages {
            self.books_stale
                .get_or_insert_with(HashSet::default)
                .extend(pages);
        }
        rebuild.elapsed = started.elapsed();
        rebuild.files = changed_files;
        Ok(rebuild)
    }

    /// Makes the print page and llms-full.txt again when the last edit left them behind
    /// (`None` when it did not). A step of its own, after the edit's rebuild was announced:
    /// at 10,000 pages the two files are 120 MB of text, ten times the work of the edit.
    /// The edited pages are rendered again with them, for their Markdown copies.
    pub fn render_books(&mut self) -> Option<Result<Rebuild, Diagnostics>> {
        let pages = self.books_stale.take()?;
        let started = Instant::now();
        let plan = Plan {
            books: true,
            markdown: Selection::Only(pages),
            all_layouts: false,
            files: Selection::Only(HashSet::default()),
            generated: false,
            search: false,
            keep_bodies: true,
        };
        let rebuild = self.render_into(self.site.clone(), &plan, Vec::new());
        Some(rebuild.map(|mut rebuild| {
            rebuild.elapsed = started.elapsed();
            // The edited pages were counted with the edit (their Markdown is rendered again
            // here only for the copies).
            rebuild.markdown = 0;
            rebuild.pages = 0;
            rebuild
        }))
    }

    /// Pages whose links point at one of `keys` (URLs and paths that changed), or nowhere
    /// yet: their Markdown is rendered again.
    fn linking_to(&self, keys: &HashSet<String>) -> Vec<String> {
        self.renders
            .iter()
            .filter(|(_, render)| {
                render.links.links.iter().any(|link| match &link.target {
                    Target::Page { url, .. } => keys.contains(url),
                    Target::File { path } => keys.contains(path),
                    Target::Unknown { .. } | Target::MissingSource { .. } => true,
                    Target::External
                    | Target::SamePage { .. }
                    | Target::Unsafe
                    | Target::RawHtml => false,
                })
            })
            .map(|(rel, _)| rel.clone())
            .collect()
    }

    /// Whether a page among `dirty` has other front matter than before (Liquid's `site.pages`
    /// shows it to every page).
    fn front_matter_changed(&self, next: &Site, dirty: &HashSet<String>) -> bool {
        self.dirty_page_differs(next, dirty, |old, new| old.front.raw != new.front.raw)
    }

    /// Whether a changed page's date in the sitemap is not what it was.
    fn sitemap_dates_changed(&self, next: &Site, dirty: &HashSet<String>) -> bool {
        let date =
            |page: &Page| extras::date_of(page.front.last_modified_date.as_deref(), page.modified);
        self.dirty_page_differs(next, dirty, |old, new| date(old) != date(new))
    }

    /// Whether a page among `dirty` is new in `next` or `differs` from what it was.
    fn dirty_page_differs(
        &self,
        next: &Site,
        dirty: &HashSet<String>,
        differs: impl Fn(&Page, &Page) -> bool,
    ) -> bool {
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
                    .is_none_or(|old| differs(old, page))
            })
    }
}

/// Reads one page again into `next`; errors go to `errors`, the URLs and paths it touched to
/// `keys`.
fn update_page(
    next: &mut Site,
    drafts: bool,
    rel: &str,
    errors: &mut Vec<Diagnostic>,
    keys: &mut HashSet<String>,
) -> PageChange {
    let path = next.paths.content.join(rel);
    let position = next.content.pages.iter().position(|p| p.rel_path == rel);
    let fresh = if path.is_file() {
        let found = content::discover::Found {
            path,
            rel_path: rel.to_string(),
        };
        match content::read_page(&next.paths, &next.config, &found) {
            Ok(page) => (drafts || !page.front.draft).then_some(page),
            Err(problems) => {
                errors.extend(problems);
                return PageChange::default();
            }
        }
    } else {
        None
    };
    match (position, fresh) {
        (Some(index), Some(mut page)) => {
            let before = &next.content.pages[index];
            page.id = before.id;
            let structure = before.url != page.url || before.output_path != page.output_path;
            let nav = nav_key(before) != nav_key(&page);
            if structure {
                keys.extend([before.url.clone(), page.url.clone()]);
            }
            next.content.pages[index] = Arc::new(page);
            PageChange { structure, nav }
        }
        (Some(index), None) => {
            let gone = next.content.pages.remove(index);
            keys.extend([gone.url.clone(), gone.rel_path.clone()]);
            PageChange {
                structure: true,
                nav: true,
            }
        }
        (None, Some(page)) => {
            keys.extend([page.url.clone(), page.rel_path.clone()]);
            next.content.pages.push(Arc::new(page));
            // Keep source order, as a fresh build has it.
            next.content
                .pages
                .sort_by(|a, b| a.rel_path.cmp(&b.rel_path));
            PageChange {
                structure: true,
                nav: true,
            }
        }
        (None, None) => PageChange::default(),
    }
}
