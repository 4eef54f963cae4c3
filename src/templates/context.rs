//! What templates see: `site` (the same for every page) and `page`.
//! The Guide's "Templates" page documents every field; keep the two in step.

use std::collections::BTreeMap;

use serde::Serialize;

use crate::config::{Callout, SiteConfig};

#[derive(Debug, Clone, Serialize)]
pub struct LinkContext {
    pub title: String,
    pub url: String,
    pub new_tab: bool,
    pub hide_icon: bool,
}

#[derive(Debug, Clone, Serialize)]
pub struct FooterContext {
    pub content: String,
    pub back_to_top: String,
    pub last_modified_format: String,
}

/// The theme's search script (loaded on demand, so not in `AssetUrls`).
pub const SEARCH_SCRIPT: &str = "assets/js/search.js";

#[derive(Debug, Clone, Serialize)]
pub struct AssetUrls {
    pub css: String,
    pub js: String,
}

#[derive(Debug, Clone, Serialize)]
pub struct SearchContext {
    pub enabled: bool,
    /// The search script's URL, loaded when a reader first goes to the search box.
    pub script: String,
}

#[derive(Debug, Clone, Serialize)]
pub struct SiteContext {
    pub title: String,
    pub description: String,
    pub language: String,
    /// Absolute base URL without trailing slash, or "".
    pub base_url: String,
    /// Path prefix of every internal URL ("/handbook" or "").
    pub base_path: String,
    pub aux_links: Vec<LinkContext>,
    pub external_links: Vec<LinkContext>,
    pub footer: FooterContext,
    pub callouts: BTreeMap<String, Callout>,
    pub extra: toml::Table,
    pub nav_url: String,
    pub edit_link_text: String,
    pub assets: AssetUrls,
    pub search: SearchContext,
    /// The print page's URL (`/print/`), linked from the header; empty when `[print]` is off.
    pub print_url: String,
    pub generator: String,
}

impl SiteContext {
    /// `asset_url` gives versioned URLs of static files.
    pub fn new(config: &SiteConfig, asset_url: impl Fn(&str) -> String) -> SiteContext {
        let base_path = config.base_path();
        let link = |link: &crate::config::Link, default_new_tab: bool| LinkContext {
            title: link.title.clone(),
            url: if link.url.starts_with('/') && !link.url.starts_with("//") {
                super::join_url(&base_path, &link.url)
            } else {
                link.url.clone()
            },
            new_tab: link.new_tab.unwrap_or(default_new_tab),
            hide_icon: link.hide_icon,
        };
        SiteContext {
            title: config.title.clone(),
            description: config.description.clone(),
            language: config.language.clone(),
            base_url: config.absolute_base().unwrap_or_default(),
            base_path: base_path.clone(),
            aux_links: config
                .aux_links
                .iter()
                .map(|l| link(l, config.aux_links_new_tab))
                .collect(),
            external_links: config
                .nav
                .external_links
                .iter()
                .map(|l| link(l, config.nav.external_links_new_tab))
                .collect(),
            footer: FooterContext {
                content: config.footer.content.clone(),
                back_to_top: config.footer.back_to_top.clone(),
                last_modified_format: config.footer.last_modified_format.clone(),
            },
            callouts: config.callouts(),
            extra: config.extra.clone(),
            nav_url: asset_url(crate::paths::NAV_FILE),
            edit_link_text: if config.edit_link.text.is_empty() {
                "Edit this page".into()
            } else {
                config.edit_link.text.clone()
            },
            assets: AssetUrls {
                css: asset_url(crate::paths::STYLESHEET),
                js: asset_url("assets/js/folio.js"),
            },
            search: SearchContext {
                enabled: config.search.enabled,
                script: asset_url(SEARCH_SCRIPT),
            },
            print_url: if config.print.enabled {
                super::join_url(&base_path, crate::paths::PRINT_URL)
            } else {
                String::new()
            },
            generator: format!("folio {}", env!("CARGO_PKG_VERSION")),
        }
    }
}

#[derive(Debug, Clone, Serialize)]
pub struct PageLink {
    pub title: String,
    pub url: String,
}

#[derive(Debug, Clone, Serialize)]
pub struct ChildLink {
    pub title: String,
    pub url: String,
    pub summary: Option<String>,
}

#[derive(Debug, Clone, Serialize)]
pub struct TocEntry {
    pub level: u8,
    pub id: String,
    /// HTML.
    pub title: String,
}

#[derive(Debug, Serialize)]
pub struct PageContext<'a> {
    pub title: &'a str,
    pub url: String,
    pub permalink: String,
    pub source: String,
    pub layout: &'a str,
    pub content: &'a str,
    pub toc: Vec<TocEntry>,
    pub toc_html: String,
    pub breadcrumbs: Vec<PageLink>,
    pub children: Vec<ChildLink>,
    pub show_children: bool,
    pub prev: Option<PageLink>,
    pub next: Option<PageLink>,
    pub description: &'a str,
    pub summary: Option<&'a str>,
    pub last_modified: Option<String>,
    pub edit_url: Option<String>,
    /// The sidebar's list of the site's own pages.
    pub sidebar: String,
    /// The sidebar's sections of collections, shown after the external links.
    pub sidebar_collections: String,
    pub show_sidebar: bool,
    pub nav_order: Option<serde_yaml::Value>,
    pub parent: Option<&'a str>,
    pub has_children: bool,
    pub nav_exclude: bool,
    pub search_exclude: bool,
    pub front_matter: &'a serde_yaml::Mapping,
}
