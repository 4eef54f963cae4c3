//! The loaded and modelled site, shared by `folio build` (rendered once) and `folio serve`
//! (kept in memory and updated as files change). The model carries what was found while
//! loading it (a page's front-matter warnings sit on the page, the nav's on the site), so the
//! findings of a site are a function of the site, whichever command made it.

use std::collections::BTreeMap;
use std::sync::{Arc, OnceLock};

use std::path::Path;

use crate::config::{self, Callout, SiteConfig, SitePaths};
use crate::content::{self, AssetSource, Content, LoadOptions};
use crate::diagnostics::Diagnostic;
use crate::liquid::{LiquidSettings, MarkdownFn, PageInfo, SiteLiquid};
use crate::markdown::highlight::{self, CodeThemes};
use crate::markdown::{MarkdownContext, SiteIndex};
use crate::nav::{self, Nav};
use crate::output::{self, extras};
use crate::paths;
use crate::search::SearchSettings;
use crate::templates::{self, SiteContext, Templates};

use super::assets::{self, Generated};
use super::{BuildOptions, Mode};

/// Everything loaded and modelled before rendering. Cheap to clone: a live site changes a
/// copy and keeps the previous one until the copy has no errors.
#[derive(Clone)]
pub struct Site {
    pub config: SiteConfig,
    pub paths: SitePaths,
    pub content: Content,
    pub nav: Arc<Nav>,
    /// What building the navigation found (unknown parents, repeated titles …).
    pub nav_problems: Arc<Vec<Diagnostic>>,
    /// Pages whose layout does not exist.
    pub layout_problems: Arc<Vec<Diagnostic>>,
    pub index: Arc<SiteIndex>,
    pub templates: Arc<Templates>,
    pub generated: Generated,
    pub callouts: Arc<BTreeMap<String, Callout>>,
    pub code_themes: Arc<CodeThemes>,
    pub search: Arc<SearchSettings>,
    /// Whether asset URLs carry a content version (off when serving: browsers revalidate).
    pub versioned_assets: bool,
    /// Every internal URL is relative to its page (`folio build --offline`).
    pub offline: bool,
    /// The site's Liquid, made when the first page with Liquid markup needs it (`Err`: a data
    /// file or an include cannot be read). Shared by copies of the site until its pages,
    /// includes or data change.
    pub liquid: Arc<OnceLock<Result<SiteLiquid, Vec<Diagnostic>>>>,
}

/// One file a built site has.
#[derive(Debug, Clone, Copy)]
pub enum Output<'s> {
    /// A page, by its index in `content.pages`.
    Page(usize),
    /// A file of `content/` or `static/` (or the theme's), published as it is.
    File(&'s content::Asset),
    /// A file made from the whole site (nav.json, sitemap.xml, robots.txt, llms.txt).
    Generated(&'static str),
    /// The Markdown copy of a page (by its index in `content.pages`), written with the page.
    Copy(usize),
    /// A file made from every page's body in reading order (the print page,
    /// llms-full.txt), written while the pages are rendered (`build::books`).
    Book(&'static str),
    /// The theme's "page not found" page, for sites without their own `404.md`.
    NotFound,
}

/// Config, content, nav and templates. `Err` when nothing can be rendered (the configuration
/// or the templates are broken); problems with pages are kept in the model and reported with
/// the rest of the findings.
pub fn load(options: &BuildOptions) -> Result<Site, Vec<Diagnostic>> {
    let (config, paths) = load_config(options)?;
    let (code_themes, search) = settings(&config)?;
    let content = content::load(
        &paths,
        &config,
        LoadOptions {
            drafts: options.drafts,
        },
    );
    let mut site = Site {
        search: Arc::new(search),
        callouts: Arc::new(config.callouts()),
        code_themes: Arc::new(code_themes),
        index: Arc::new(SiteIndex::default()),
        nav: Arc::new(Nav::default()),
        nav_problems: Arc::default(),
        layout_problems: Arc::default(),
        templates: Arc::new(Templates::empty()),
        generated: Generated::default(),
        versioned_assets: !options.mode.serving(),
        offline: options.mode.offline(),
        liquid: Arc::default(),
        config,
        paths,
        content,
    };
    site.update_nav();
    site.finish_assets();
    site.load_templates()?;
    site.update_index();
    Ok(site)
}

/// The settings that need more than TOML to check: the code themes and search's patterns,
/// built once here and shared by every page.
fn settings(config: &SiteConfig) -> Result<(CodeThemes, SearchSettings), Vec<Diagnostic>> {
    let mut problems = Vec::new();
    for (key, name) in [
        ("highlight.light_theme", &config.highlight.light_theme),
        ("highlight.dark_theme", &config.highlight.dark_theme),
    ] {
        if highlight::theme_by_name(name).is_none() {
            problems.push(
                config.at_key(
                    key,
                    Diagnostic::error(format!("{key}: there is no highlight theme `{name}`"))
                        .in_file(config::CONFIG_FILE)
                        .with_help(format!(
                            "available themes: {}",
                            highlight::theme_names().join(", ")
                        )),
                ),
            );
        }
    }
    let search = SearchSettings::new(&config.search, &config.collections)
        .map_err(|d| problems.push(config.at_key("search.exclude", d.in_file(config::CONFIG_FILE))))
        .ok();
    let themes = CodeThemes::new(&config.highlight.light_theme, &config.highlight.dark_theme);
    match (themes, search) {
        (Some(themes), Some(search)) if problems.is_empty() => Ok((themes, search)),
        _ => Err(problems),
    }
}

/// Checks that `root` is a site folder: one that exists and has `content/`.
pub fn check_root(root: &Path) -> Result<(), Vec<Diagnostic>> {
    if !root.is_dir() {
        return Err(vec![
            Diagnostic::error(format!(
                "the site folder `{}` does not exist",
                root.display()
            ))
            .with_help("pass the folder that holds site.toml and content/ with --root"),
        ]);
    }
    if !root.join("content").is_dir() {
        return Err(vec![
            Diagnostic::error(format!(
                "`{}` is not a site: it has no content folder",
                root.display()
            ))
            .with_help("put the Markdown pages in content/, or start a site here with `folio new`"),
        ]);
    }
    Ok(())
}

/// Reads and checks site.toml with the command-line overrides, and resolves the folders.
pub fn load_config(options: &BuildOptions) -> Result<(SiteConfig, SitePaths), Vec<Diagnostic>> {
    let root = &options.root;
    check_root(root)?;
    let mut config = config::load(root)?;
    if options.mode.serving() {
        // The preview server answers at its own address, so links have no base path.
        config.base_url = None;
    } else if let Some(base_url) = &options.base_url {
        config.base_url = Some(base_url.clone());
        let problems: Vec<Diagnostic> = config
            .validate()
            .into_iter()
            .map(|d| Diagnostic {
                help: Some("check --base-url".into()),
                line: None,
                ..d
            })
            .collect();
        if !problems.is_empty() {
            return Err(problems);
        }
    }
    let output = match &options.mode {
        Mode::Write { output, .. } => output.as_deref(),
        Mode::Check { .. } | Mode::Serve => None,
    };
    let paths = SitePaths::new(root, &config, output);
    output::check_output_location(&paths).map_err(|d| vec![d])?;
    Ok((config, paths))
}

impl Site {
    /// Rebuilds the navigation from the pages, and checks every page's layout.
    pub fn update_nav(&mut self) {
        let (nav, problems) = nav::build(
            &self.content.pages,
            self.config.nav.sort,
            &self.config.collections,
        );
        self.nav = Arc::new(nav);
        let mut problems = problems;
        if self.config.print.enabled
            && let Some(page) = crate::print::collision(&self.content.pages)
        {
            problems.push(crate::print::collision_warning(page));
        }
        self.nav_problems = Arc::new(problems);
        self.generated.nav_json =
            nav::sidebar::nav_json(&self.nav, &self.content.pages, &self.config.base_path());
        if self.versioned_assets {
            let nav_json = std::mem::take(&mut self.generated.nav_json);
            self.generated
                .set_version(paths::NAV_FILE, nav_json.as_bytes());
            self.generated.nav_json = nav_json;
        }
    }

    /// Re-reads the theme's and the site's static files (the stylesheet gets the code colours).
    pub fn update_assets(&mut self) {
        let mut problems = Vec::new();
        self.content.static_files = content::static_files(&self.paths, &mut problems);
        self.content.static_problems = problems;
        content::index(&mut self.content);
        self.finish_assets();
    }

    /// Appends the code colours to the stylesheet and versions the static files.
    fn finish_assets(&mut self) {
        assets::combine_stylesheet(&mut self.content, &self.code_themes);
        if self.versioned_assets {
            self.generated.version_static_files(&self.content);
        }
    }

    /// (Re)loads the templates with the current site context, and checks the pages' layouts
    /// against them.
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
        self.check_layouts();
        Ok(())
    }

    /// Checks that every page's layout exists.
    pub fn check_layouts(&mut self) {
        self.layout_problems = Arc::new(super::page::check_layouts(
            &self.content.pages,
            &self.templates,
        ));
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
        // The generated files pages and templates may link to.
        if crate::print::made(&self.content.pages, &self.config) {
            index.page_urls.insert(paths::PRINT_URL.to_string());
        }
        if self.config.llms.enabled {
            index.files.insert(paths::LLMS.to_string());
            index.files.insert(paths::LLMS_FULL.to_string());
            for page in &self.content.pages {
                if crate::llms::includes(&self.config, &self.search, page) {
                    index
                        .files
                        .insert(paths::markdown_copy_path(&page.output_path));
                }
            }
        }
        for rel in &self.content.unloaded {
            index.unloaded.insert(rel.clone());
            index.unloaded.insert(content::urls::from_source(rel).url);
        }
        self.index = Arc::new(index);
    }

    /// Every file of the built site but the search index: pages, files, generated files and
    /// the theme's 404 page when the site has none. The one list both commands write from.
    pub fn outputs(&self) -> impl Iterator<Item = Output<'_>> {
        let pages = (0..self.content.pages.len()).map(Output::Page);
        let files = self
            .content
            .assets
            .iter()
            .chain(&self.content.static_files)
            .map(Output::File);
        let generated = GENERATED
            .into_iter()
            .filter(|name| *name != paths::LLMS || self.config.llms.enabled)
            .map(Output::Generated);
        let copies = self
            .content
            .pages
            .iter()
            .filter(|page| crate::llms::includes(&self.config, &self.search, page))
            .map(|page| Output::Copy(page.id));
        let print = crate::print::made(&self.content.pages, &self.config)
            .then_some(Output::Book(paths::PRINT_PAGE));
        let llms_full = self
            .config
            .llms
            .enabled
            .then_some(Output::Book(paths::LLMS_FULL));
        let not_found = (!self.has_own_not_found()).then_some(Output::NotFound);
        pages
            .chain(files)
            .chain(generated)
            .chain(copies)
            .chain(print)
            .chain(llms_full)
            .chain(not_found)
    }

    /// Where `output` is written, relative to the output folder.
    pub fn output_path<'a>(&'a self, output: &Output<'a>) -> std::borrow::Cow<'a, str> {
        match output {
            Output::Page(id) => self.content.pages[*id].output_path.as_str().into(),
            Output::File(asset) => asset.output_path.as_str().into(),
            Output::Generated(name) | Output::Book(name) => (*name).into(),
            Output::Copy(id) => {
                paths::markdown_copy_path(&self.content.pages[*id].output_path).into()
            }
            Output::NotFound => paths::NOT_FOUND.into(),
        }
    }

    /// The text of a generated file (`None` for a name that is not one).
    pub fn generated_file(&self, name: &str) -> Option<String> {
        let absolute_base = self.config.absolute_base();
        let base_path = self.config.base_path();
        match name {
            paths::NAV_FILE => Some(self.generated.nav_json.clone()),
            paths::SITEMAP => {
                let entries: Vec<extras::SitemapEntry> = self
                    .content
                    .pages
                    .iter()
                    .filter(|page| page.output_path != paths::NOT_FOUND)
                    .map(|page| extras::SitemapEntry {
                        url: page.url.clone(),
                        last_modified: extras::date_of(
                            page.front.last_modified_date.as_deref(),
                            page.modified,
                        ),
                    })
                    .collect();
                Some(extras::sitemap(
                    &entries,
                    absolute_base.as_deref(),
                    &base_path,
                ))
            }
            paths::ROBOTS => Some(extras::robots(absolute_base.as_deref(), &base_path)),
            paths::LLMS if self.config.llms.enabled => Some(crate::llms::index(
                &self.config,
                &self.search,
                &self.nav,
                &self.content.pages,
            )),
            _ => None,
        }
    }

    /// The site's Liquid (`None` when it could not be made: [`Site::liquid_problems`] says
    /// why).
    pub fn liquid(&self) -> Option<&SiteLiquid> {
        self.liquid
            .get_or_init(|| {
                let pages = self
                    .content
                    .pages
                    .iter()
                    .map(|page| PageInfo {
                        rel_path: page.rel_path.clone(),
                        url: page.url.clone(),
                        title: page.title.clone(),
                        front_matter: page.front.raw.clone(),
                    })
                    .collect();
                let mut settings = LiquidSettings::new(
                    &self.paths.root,
                    &self.config,
                    Arc::clone(&self.code_themes),
                    pages,
                );
                settings.markdownify = Some(self.markdownify());
                SiteLiquid::new(settings)
            })
            .as_ref()
            .ok()
    }

    /// What `markdownify` renders with: folio's own Markdown, with the site's settings.
    fn markdownify(&self) -> MarkdownFn {
        let config = self.config.markdown.clone();
        let callouts = Arc::clone(&self.callouts);
        let index = Arc::clone(&self.index);
        let code_themes = Arc::clone(&self.code_themes);
        Arc::new(move |text: &str| {
            let context = MarkdownContext {
                config: &config,
                callouts: &callouts,
                site: &index,
                code_themes: &code_themes,
            };
            crate::markdown::render(text, "", &context, None).html
        })
    }

    /// Forgets the site's Liquid: pages, includes or data changed.
    pub fn reset_liquid(&mut self) {
        self.liquid = Arc::default();
    }

    /// Why the site's Liquid could not be made, once a page needed it.
    pub fn liquid_problems(&self) -> &[Diagnostic] {
        match self.liquid.get() {
            Some(Err(problems)) => problems,
            _ => &[],
        }
    }

    /// Whether the site has its own 404 page (otherwise the theme's is rendered).
    pub fn has_own_not_found(&self) -> bool {
        self.content
            .pages
            .iter()
            .any(|p| p.output_path == paths::NOT_FOUND)
    }
}

/// The files made from the whole site.
const GENERATED: [&str; 4] = [paths::NAV_FILE, paths::SITEMAP, paths::ROBOTS, paths::LLMS];

/// The bytes of a file to publish from memory (`None` for a file read from disk).
pub fn in_memory(asset: &content::Asset) -> Option<&[u8]> {
    match &asset.source {
        AssetSource::Embedded(bytes) => Some(bytes),
        AssetSource::Generated(bytes) => Some(bytes),
        AssetSource::File(_) => None,
    }
}
