//! What a cached render depends on, as hashes. Three levels, from wide to narrow:
//!
//! - the **build key**: folio itself (its version and the binary's size and time, so a
//!   rebuilt folio never trusts an older one's cache), site.toml and the command's options.
//!   When it differs, nothing cached is used.
//! - the **layout world**: what every page's layout shows besides its own body — every page's
//!   place, title and front matter (the sidebar, breadcrumbs and neighbours come from them),
//!   the site's templates and the versions of its static files. When it differs, every layout
//!   is rendered again, from the cached bodies.
//! - a **body key** per page: its own file (front matter and Markdown, where it sits) and, for
//!   a page with Liquid markup, the Liquid world (every page's front matter, the includes and
//!   the data). When it differs, the page's Markdown is rendered again.
//!
//! What a link resolves to depends on which pages and files exist; that is not in a key but
//! in the plan (pages linking to what came or went are rendered again, as `serve` does).

use std::hash::{Hash, Hasher};
use std::path::Path;

use rayon::prelude::*;
use serde_yaml::Value;
use xxhash_rust::xxh3::Xxh3;

use crate::build::site::Site;
use crate::build::{BuildOptions, Mode};
use crate::content::Page;

/// Bumped whenever what the cache holds, or how a key is made, changes.
pub const FORMAT: u32 = 5;

/// The keys of one build.
#[derive(Debug, Clone)]
pub struct Keys {
    pub build: u64,
    pub layout_world: u64,
    /// Every page's place, title and front matter (what the search index shows besides
    /// the pages' text).
    pub pages_world: u64,
    /// One per page, in the order of `site.content.pages`.
    pub bodies: Vec<u64>,
}

impl Keys {
    pub fn of(site: &Site, options: &BuildOptions) -> Keys {
        // One parallel pass over the pages: each page's place, and its text's hash and
        // whether it has Liquid (the world of its Liquid is known only after every page).
        let pages: Vec<PageHashes> = site
            .content
            .pages
            .par_iter()
            .map(|page| PageHashes {
                place: place_key(page),
                text: text_key(page),
                liquid: crate::liquid::has_markup(&page.body),
            })
            .collect();
        let pages_world = pages_world(&pages);
        let liquid_world = pages
            .iter()
            .any(|page| page.liquid)
            .then(|| liquid_world(site, pages_world));
        let bodies = pages
            .iter()
            .map(|page| body_key(page, liquid_world))
            .collect();
        Keys {
            build: build_key(site, options),
            layout_world: layout_world(site, pages_world),
            pages_world,
            bodies,
        }
    }
}

/// What identifies this folio: its version, and the binary itself (by size and time), so that
/// a folio built from other sources under the same version number starts afresh.
pub fn folio_identity() -> String {
    let binary = std::env::current_exe()
        .ok()
        .and_then(|exe| crate::output::reuse::FileTime::of(&exe));
    match binary {
        Some(file) => format!(
            "{} {}/{}",
            env!("CARGO_PKG_VERSION"),
            file.len,
            file.modified
        ),
        None => env!("CARGO_PKG_VERSION").to_string(),
    }
}

fn build_key(site: &Site, options: &BuildOptions) -> u64 {
    let mut h = Xxh3::new();
    FORMAT.hash(&mut h);
    folio_identity().hash(&mut h);
    let config = std::fs::read(site.paths.root.join(crate::config::CONFIG_FILE));
    config.ok().hash(&mut h);
    options.base_url.hash(&mut h);
    options.drafts.hash(&mut h);
    if let Mode::Write {
        output, offline, ..
    } = &options.mode
    {
        output.hash(&mut h);
        offline.hash(&mut h);
    }
    site.paths.output.hash(&mut h);
    // Dates are shown in the local time zone.
    std::env::var_os("TZ").hash(&mut h);
    h.finish()
}

fn pages_world(pages: &[PageHashes]) -> u64 {
    let mut h = Xxh3::new();
    for page in pages {
        page.place.hash(&mut h);
    }
    h.finish()
}

/// What the keys take from one page.
struct PageHashes {
    /// [`place_key`].
    place: u64,
    /// [`text_key`].
    text: u64,
    /// Its text has Liquid markup.
    liquid: bool,
}

fn layout_world(site: &Site, pages_world: u64) -> u64 {
    let mut h = Xxh3::new();
    FORMAT.hash(&mut h);
    hash_folder(&mut h, &site.paths.templates);
    let mut versions: Vec<_> = site.generated.versions.iter().collect();
    versions.sort();
    versions.hash(&mut h);
    for file in &site.content.static_files {
        file.output_path.hash(&mut h);
    }
    pages_world.hash(&mut h);
    h.finish()
}

fn liquid_world(site: &Site, pages_world: u64) -> u64 {
    let mut h = Xxh3::new();
    hash_folder(&mut h, &site.paths.includes);
    hash_folder(&mut h, &site.paths.data);
    pages_world.hash(&mut h);
    for asset in &site.content.assets {
        asset.output_path.hash(&mut h);
    }
    h.finish()
}

fn body_key(page: &PageHashes, liquid_world: Option<u64>) -> u64 {
    let mut h = Xxh3::new();
    FORMAT.hash(&mut h);
    page.place.hash(&mut h);
    page.text.hash(&mut h);
    if page.liquid {
        liquid_world.hash(&mut h);
    }
    h.finish()
}

/// A page's text where it starts in its file.
fn text_key(page: &Page) -> u64 {
    let mut h = Xxh3::new();
    page.body_line.hash(&mut h);
    page.body.hash(&mut h);
    h.finish()
}

/// [`hash_place`] of one page.
fn place_key(page: &Page) -> u64 {
    let mut h = Xxh3::new();
    hash_place(&mut h, page);
    h.finish()
}

/// A page as others see it: where it is, what it is called, its front matter.
fn hash_place(h: &mut Xxh3, page: &Page) {
    page.rel_path.hash(h);
    page.url.hash(h);
    page.output_path.hash(h);
    page.title.hash(h);
    page.first_heading.hash(h);
    page.has_front_matter.hash(h);
    page.collection.hash(h);
    page.front.raw.len().hash(h);
    for (key, value) in &page.front.raw {
        hash_value(h, key);
        hash_value(h, value);
    }
}

/// A YAML value, in order (serde_yaml's own `Hash` of a mapping ignores the order of its keys,
/// which templates that list the front matter do not).
fn hash_value(h: &mut Xxh3, value: &Value) {
    match value {
        Value::Null => 0u8.hash(h),
        Value::Bool(b) => (1u8, b).hash(h),
        Value::Number(n) => (2u8, n.to_string()).hash(h),
        Value::String(s) => (3u8, s).hash(h),
        Value::Sequence(items) => {
            (4u8, items.len()).hash(h);
            for item in items {
                hash_value(h, item);
            }
        }
        Value::Mapping(map) => {
            (5u8, map.len()).hash(h);
            for (key, value) in map {
                hash_value(h, key);
                hash_value(h, value);
            }
        }
        Value::Tagged(tagged) => {
            (6u8, tagged.tag.to_string()).hash(h);
            hash_value(h, &tagged.value);
        }
    }
}

/// Every file under `dir` (names and bytes, in name order); nothing when it does not exist.
fn hash_folder(h: &mut Xxh3, dir: &Path) {
    for entry in walkdir::WalkDir::new(dir)
        .sort_by_file_name()
        .into_iter()
        .flatten()
    {
        let path = entry.path();
        path.strip_prefix(dir).unwrap_or(path).hash(h);
        if entry.file_type().is_file() {
            std::fs::read(path).ok().hash(h);
        }
    }
}
