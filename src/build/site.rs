//! The loaded and modelled site, shared by `folio build` (rendered once, written to disk) and
//! `folio serve` (kept in memory and updated as files change).

use std::collections::BTreeMap;
use std::path::PathBuf;
use std::sync::Arc;

use crate::config::{self, Callout, SiteConfig, SitePaths};
use crate::content::{self, Content, LoadOptions};
use crate::diagnostics::{Diagnostic, Diagnostics};
use crate::markdown::SiteIndex;
use crate::markdown::highlight::CodeThemes;
use crate::nav::{self, Nav};
use crate::output::{self, extras};
use crate::templates::{self, SiteContext, Templates};

use super::BuildOptions;
use super::assets::{self, Generated};

/// Everything loaded and modelled before rendering. Cheap to clone: a live site changes a
/// copy and keeps the previous one until the copy has no errors.
#[derive(Clone)]
pub struct Site {
    pub config: SiteConfig,
    pub paths: SitePaths,
    pub content: Content,
    pub nav: Arc<Nav>,
    pub index: Arc<SiteIndex>,
    pub templates: Arc<Templates>,
    pub generated: Generated,
    pub callouts: Arc<BTreeMap<String, Callout>>,
    pub code_themes: Arc<CodeThemes>,
    pub search: Arc<crate::search::SearchSettings>,
    /// Whether asset URLs carry a content version (off when serving: browsers revalidate).
    pub versioned_assets: bool,
    /// Every internal URL is relative to its page (`folio build --offline`).
    pub offline: bool,
}

/// Config, content, nav and templates. Problems that stop the build are returned as `Err`;
/// the others are added to `diagnostics`.
pub fn load(
    options: &BuildOptions,
    diagnostics: &mut Diagnostics,
) -> Result<Site, Vec<Diagnostic>> {
    let (config, paths) = load_config(options)?;
    let (content, problems) = content::load(
        &paths,
        &config,
        LoadOptions {
            drafts: options.drafts,
        },
    );
    diagnostics.extend(problems);
    let Some(code_themes) =
        CodeThemes::new(&config.highlight.light_theme, &config.highlight.dark_theme)
    else {
        return Err(vec![
            Diagnostic::error("a highlight theme is unknown").in_file(config::CONFIG_FILE),
        ]);
    };
    let search = crate::search::SearchSettings::new(&config.search)
        .map_err(|d| vec![d.in_file(config::CONFIG_FILE)])?;
    let mut site = Site {
        search: Arc::new(search),
        callouts: Arc::new(config.callouts()),
        code_themes: Arc::new(code_themes),
        index: Arc::new(SiteIndex::default()),
        nav: Arc::new(Nav::default()),
        templates: Arc::new(Templates::empty()),
        generated: Generated::default(),
        versioned_assets: !options.serving,
        offline: options.offline && !options.serving,
        config,
        paths,
        content,
    };
    diagnostics.extend(site.update_nav());
    site.finish_assets();
    match site.load_templates() {
        Ok(()) => {}
        Err(problems) => {
            diagnostics.extend(problems);
            return Err(Vec::new());
        }
    }
    diagnostics.extend(super::page::check_layouts(
        &site.content.pages,
        &site.templates,
    ));
    site.update_index();
    Ok(site)
}

/// Reads and checks site.toml with the command-line overrides, and resolves the folders.
pub fn load_config(options: &BuildOptions) -> Result<(SiteConfig, SitePaths), Vec<Diagnostic>> {
    let root = &options.root;
    if !root.is_dir() {
        return Err(vec![
            Diagnostic::error(format!(
                "the site folder `{}` does not exist",
                root.display()
            ))
            .with_help("pass the folder that holds site.toml and content/ with --root"),
        ]);
    }
    let mut config = config::load(root)?;
    if options.serving {
        // The preview server answers at its own address, so links have no base path.
        config.base_url = None;
    } else if let Some(base_url) = &options.base_url {
        config.base_url = Some(base_url.clone());
        let problems: Vec<Diagnostic> = config
            .validate()
            .into_iter()
            .map(|d| Diagnostic {
                help: Some("check --base-url".into()),
                ..d
            })
            .collect();
        if !problems.is_empty() {
            return Err(problems);
        }
    }
    let paths = SitePaths::new(root, &config, options.output.as_deref());
    output::check_output_location(&paths).map_err(|d| vec![d])?;
    if !paths.content.is_dir() {
        return Err(vec![
            Diagnostic::error(format!(
                "there is no content folder in `{}`",
                root.display()
            ))
            .with_help("put the Markdown pages in content/, or start a site with `folio new DIR`"),
        ]);
    }
    Ok((config, paths))
}

impl Site {
    /// Rebuilds the navigation from the pages; returns its warnings.
    pub fn update_nav(&mut self) -> Vec<Diagnostic> {
        let (nav, problems) = nav::build(&self.content.pages, self.config.nav.sort);
        self.nav = Arc::new(nav);
        self.generated.nav_json =
            nav::sidebar::nav_json(&self.nav, &self.content.pages, &self.config.base_path());
        if self.versioned_assets {
            let nav_json = std::mem::take(&mut self.generated.nav_json);
            self.generated
                .set_version(output::NAV_FILE, nav_json.as_bytes());
            self.generated.nav_json = nav_json;
        }
        problems
    }

    /// Re-reads the theme's and the site's static files (the stylesheet gets the code colours).
    pub fn update_assets(&mut self) -> Vec<Diagnostic> {
        let mut problems = Vec::new();
        self.content.static_files = content::static_files(&self.paths, &mut problems);
        problems.extend(content::index(&mut self.content));
        self.finish_assets();
        problems
    }

    /// Appends the code colours to the stylesheet and versions the static files.
    fn finish_assets(&mut self) {
        assets::combine_stylesheet(&mut self.content, &self.code_themes);
        if self.versioned_assets {
            self.generated.version_static_files(&self.content);
        }
    }

    /// (Re)loads the templates with the current site context.
    pub fn load_templates(&mut self) -> Result<(), Vec<Diagnostic>> {
        let base_path = self.config.base_path();
        let versions = &self.generated.versions;
        let site_context = SiteContext::new(&self.config, |path| {
            let mut url = templates::join_url(&base_path, path);
            if let Some(version) = versions.get(path) {
                url.push_str("?v=");
                url.push_str(version);
            }
            url
        });
        let loaded = templates::load(&self.paths, &site_context, versions.clone())?;
        self.templates = Arc::new(loaded);
        Ok(())
    }

    /// Rebuilds the lookup tables that links are resolved with.
    pub fn update_index(&mut self) {
        let mut index = SiteIndex {
            base_path: self.config.base_path(),
            ..SiteIndex::default()
        };
        for page in &self.content.pages {
            index
                .url_by_source
                .insert(page.rel_path.clone(), page.url.clone());
            index.page_urls.insert(page.url.clone());
        }
        for asset in self.content.assets.iter().chain(&self.content.static_files) {
            index.files.insert(asset.output_path.clone());
        }
        self.index = Arc::new(index);
    }

    /// The files made from the whole site: nav.json, sitemap.xml and robots.txt.
    pub fn generated_files(&self) -> Vec<(&'static str, String)> {
        let absolute_base = self.config.absolute_base();
        let base_path = self.config.base_path();
        let entries: Vec<extras::SitemapEntry> = self
            .content
            .pages
            .iter()
            .filter(|page| page.output_path != "404.html")
            .map(|page| extras::SitemapEntry {
                url: page.url.clone(),
                last_modified: extras::date_of(
                    page.front.last_modified_date.as_deref(),
                    page.modified,
                ),
            })
            .collect();
        vec![
            (output::NAV_FILE, self.generated.nav_json.clone()),
            (
                "sitemap.xml",
                extras::sitemap(&entries, absolute_base.as_deref(), &base_path),
            ),
            (
                "robots.txt",
                extras::robots(absolute_base.as_deref(), &base_path),
            ),
        ]
    }

    /// The names of the files `generated_files` makes.
    pub fn generated_files_names(&self) -> [&'static str; 3] {
        [output::NAV_FILE, "sitemap.xml", "robots.txt"]
    }

    /// Whether the site has its own 404 page (otherwise the theme's is rendered).
    pub fn has_own_not_found(&self) -> bool {
        self.content
            .pages
            .iter()
            .any(|p| p.output_path == "404.html")
    }

    pub fn output_dir(&self) -> PathBuf {
        self.paths.output.clone()
    }
}
