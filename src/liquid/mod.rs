//! Liquid in pages, as Jekyll runs it: on a page's Markdown, before Markdown.
//!
//! Templates are parsed and run by liquid-rust (`liquid-core`, with `liquid-lib`'s standard
//! tags and filters); folio adds Jekyll's tags (`link`, `include`, `include_cached`,
//! `include_relative`, `highlight`), the Jekyll filters docs sites use, Jekyll's lax
//! variables ([`data`]: a missing key is empty, not an error), and errors placed at their
//! file, line and column ([`check`]).
//!
//! # Integration
//!
//! Build one [`SiteLiquid`] per site build, after the pages are loaded, and render each page
//! body with it before Markdown (it is `Sync`: pages render in parallel):
//!
//! ```ignore
//! let settings = LiquidSettings::new(&paths.root, &config, code_themes.clone(), pages_info);
//! let liquid = SiteLiquid::new(settings)?;            // Err: bad data files, unreadable includes
//! // per page:
//! let vars = PageVars {
//!     source: &page.source,                         // content/guide/setup.md
//!     rel_path: &page.rel_path,                     // guide/setup.md
//!     url: &page.url,                               // /guide/setup/ (no base path)
//!     title: page.title.as_deref(),
//!     front_matter: &page.front.raw,
//!     body_line: page.body_line,
//!     render_with_liquid: page.front.raw.get("render_with_liquid")
//!         .and_then(serde_yaml::Value::as_bool).unwrap_or(true),
//! };
//! let body = liquid.render_page(&page.body, &vars)?;  // Err: every Liquid error of the page
//! diagnostics.extend(body.warnings);
//! let rendered = markdown::render(&body.text, page_dir, &context, sink);
//! ```
//!
//! `pages_info` lists every page ([`PageInfo`]: `site.pages`, and what `{% link %}` finds).
//! A page without `{{` or `{%` comes back as the same `&str` at the cost of one scan for
//! `{`; front matter `render_with_liquid: false` does the same for a page that shows Liquid
//! markup as text. Errors are at the `.md` file's lines (the body starts at `body_line`) or
//! at the include's file. `markdownify` renders with [`LiquidSettings::markdownify`], a
//! plain CommonMark render unless the caller gives folio's own renderer.
//!
//! # Differences from Jekyll that remain
//!
//! - liquid-rust compares nil with `false` as equal, Ruby's Liquid does not: on a page
//!   without `has_toc`, `{% if page.has_toc != false %}` is false here and true in Jekyll.
//! - `{% highlight … linenos %}` shows no line numbers (folio's code blocks have none).
//! - Dates keep the offset they are written with; Jekyll shows them in the build machine's
//!   time zone (or `timezone:`).
//! - Unknown filters are errors (Jekyll passes the value through unchanged).

mod check;
mod compile;
pub mod data;
pub mod filters;
mod highlight;
mod jekyll_args;
mod load;
mod ranges;
mod runtime;
mod scan;
mod tags;
#[cfg(test)]
mod tests;

use std::borrow::Cow;
use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::sync::{Arc, OnceLock};

use liquid_core::model::Scalar;
use liquid_core::{Language, Renderable};
use typed_arena::Arena;

use crate::config::SiteConfig;
use crate::diagnostics::{Diagnostic, closest};
use crate::markdown::highlight::CodeThemes;
use compile::{Compiled, compile};
use data::{Data, DataMap};
use runtime::{PageRuntime, RenderScope, with_render_scope};

pub use scan::has_markup;

/// Markdown text to HTML, for the `markdownify` filter.
pub type MarkdownFn = Arc<dyn Fn(&str) -> String + Send + Sync>;

/// A page as `site.pages` and `{% link %}` see it.
#[derive(Debug, Clone, Default)]
pub struct PageInfo {
    /// Path under `content/`, with forward slashes (`guide/setup.md`).
    pub rel_path: String,
    /// Site-relative URL without the base path (`/guide/setup/`).
    pub url: String,
    pub title: Option<String>,
    pub front_matter: serde_yaml::Mapping,
}

/// What a site's Liquid is built from.
pub struct LiquidSettings {
    /// The site root; messages name files relative to it.
    pub root: PathBuf,
    pub content_dir: PathBuf,
    /// `includes/` (a missing folder has no includes).
    pub includes_dir: PathBuf,
    /// `data/` (a missing folder gives an empty `site.data`).
    pub data_dir: PathBuf,
    pub title: String,
    pub description: String,
    /// The absolute URL the site is published at (`site.url` and `site.baseurl` come from it).
    pub base_url: Option<String>,
    /// More `site` keys (site.toml's `[extra]`); the keys above win over them.
    pub extra: toml::Table,
    pub pages: Vec<PageInfo>,
    pub code_themes: Arc<CodeThemes>,
    /// Renders `markdownify`; `None` is a plain CommonMark render.
    pub markdownify: Option<MarkdownFn>,
}

impl LiquidSettings {
    /// The settings of the site at `root` with `config`, its folders in their usual places.
    pub fn new(
        root: &Path,
        config: &SiteConfig,
        code_themes: Arc<CodeThemes>,
        pages: Vec<PageInfo>,
    ) -> LiquidSettings {
        LiquidSettings {
            root: root.to_path_buf(),
            content_dir: root.join("content"),
            includes_dir: root.join("includes"),
            data_dir: root.join("data"),
            title: config.title.clone(),
            description: config.description.clone(),
            base_url: config.base_url.clone(),
            extra: config.extra.clone(),
            pages,
            code_themes,
            markdownify: None,
        }
    }
}

/// The page being rendered.
#[derive(Debug, Clone, Copy)]
pub struct PageVars<'a> {
    /// The page's file relative to the site root, for messages (`content/guide/setup.md`).
    pub source: &'a Path,
    /// Path under `content/` (`guide/setup.md`): `page.path`, and the folder of
    /// `include_relative`.
    pub rel_path: &'a str,
    /// Site-relative URL without the base path: `page.url`.
    pub url: &'a str,
    pub title: Option<&'a str>,
    /// Every front matter key, as `page.*`.
    pub front_matter: &'a serde_yaml::Mapping,
    /// The file line the body starts on.
    pub body_line: usize,
    /// `false` (front matter `render_with_liquid: false`) leaves the body as it is.
    pub render_with_liquid: bool,
}

/// A body after Liquid.
#[derive(Debug)]
pub struct Liquified<'a> {
    /// The body itself when it has no Liquid.
    pub text: Cow<'a, str>,
    /// Problems that did not stop the page (an unknown `highlight` language).
    pub warnings: Vec<Diagnostic>,
}

/// A site's Liquid: the language, the `site` object, includes and data, read once.
pub struct SiteLiquid {
    engine: Arc<Engine>,
}

/// What every page of a site renders with.
pub struct Engine {
    language: Language,
    site: Data,
    pub base_path: String,
    pub site_url: String,
    page_urls: HashMap<String, String>,
    includes: HashMap<String, IncludeFile>,
    root: PathBuf,
    content_dir: PathBuf,
    pub code_themes: Arc<CodeThemes>,
    pub markdownify: MarkdownFn,
}

struct IncludeFile {
    text: load::IncludeText,
    /// Parsed on first use: unused includes (a theme's) may use tags folio lacks.
    compiled: OnceLock<Result<Arc<Compiled>, Vec<Diagnostic>>>,
}

impl SiteLiquid {
    /// Reads the data and include folders and builds the `site` object.
    pub fn new(settings: LiquidSettings) -> Result<SiteLiquid, Vec<Diagnostic>> {
        let (data, mut problems) = load::data(&settings.data_dir, &settings.root);
        let (includes, include_problems) = load::includes(&settings.includes_dir, &settings.root);
        problems.extend(include_problems);
        if !problems.is_empty() {
            return Err(problems);
        }
        let (site_url, base_path) = split_base_url(settings.base_url.as_deref());
        let site = site_object(&settings, &site_url, &base_path, data);
        let page_urls = settings
            .pages
            .iter()
            .map(|p| (p.rel_path.clone(), p.url.clone()))
            .collect();
        let includes = includes
            .into_iter()
            .map(|(name, text)| {
                let file = IncludeFile {
                    text,
                    compiled: OnceLock::new(),
                };
                (name, file)
            })
            .collect();
        let markdownify = settings
            .markdownify
            .unwrap_or_else(|| Arc::new(|text: &str| plain_markdown(text)));
        Ok(SiteLiquid {
            engine: Arc::new(Engine {
                language: language(),
                site,
                base_path,
                site_url,
                page_urls,
                includes,
                root: settings.root,
                content_dir: settings.content_dir,
                code_themes: settings.code_themes,
                markdownify,
            }),
        })
    }

    /// Runs Liquid on a page body (see the module doc). `Err` holds every error of the page
    /// (and its warnings).
    pub fn render_page<'b>(
        &self,
        body: &'b str,
        page: &PageVars<'_>,
    ) -> Result<Liquified<'b>, Vec<Diagnostic>> {
        if !page.render_with_liquid || !scan::has_markup(body) {
            return Ok(Liquified {
                text: Cow::Borrowed(body),
                warnings: Vec::new(),
            });
        }
        let run = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
            self.render_markup(body, page)
        }));
        match run {
            Ok(result) => result,
            Err(_) => Err(vec![
                Diagnostic::error("folio's Liquid failed on this page (an internal error)")
                    .in_file(page.source)
                    .with_help("please report it with the page; `render_with_liquid: false` in the front matter skips Liquid for the page"),
            ]),
        }
    }

    fn render_markup<'b>(
        &self,
        body: &'b str,
        page: &PageVars<'_>,
    ) -> Result<Liquified<'b>, Vec<Diagnostic>> {
        let engine = &self.engine;
        let compiled = compile(body, page.source, page.body_line, engine, true)?;
        let page_data = page_object(page);
        let arena = Arena::new();
        let runtime = PageRuntime::new(vec![("site", &engine.site), ("page", &page_data)], &arena);
        let scope = RenderScope {
            engine: engine.clone(),
            page_dir: page
                .rel_path
                .rsplit_once('/')
                .map_or(String::new(), |(dir, _)| dir.to_string()),
            findings: Vec::new(),
            warnings: Vec::new(),
            include_depth: 0,
        };
        let mut out = Vec::with_capacity(body.len() + body.len() / 4);
        let (result, scope) =
            with_render_scope(scope, || compiled.template.render_to(&mut out, &runtime));
        let Some(mut scope) = scope else {
            return Err(vec![
                Diagnostic::error("folio's Liquid lost track of the page").in_file(page.source),
            ]);
        };
        if let Err(error) = result {
            scope.findings.push(compiled.render_error(&error));
        }
        if !scope.findings.is_empty() {
            let mut all = scope.findings;
            all.dedup();
            all.extend(scope.warnings);
            return Err(all);
        }
        let text = String::from_utf8(out).map_err(|_| {
            vec![Diagnostic::error("Liquid produced text that is not UTF-8").in_file(page.source)]
        })?;
        Ok(Liquified {
            text: Cow::Owned(compiled.unfold(text)),
            warnings: scope.warnings,
        })
    }
}

impl Engine {
    /// The URL of the page whose source is `target` under `content/`, with the base path.
    fn link(&self, target: &str) -> Result<String, Diagnostic> {
        let path = target.trim().trim_start_matches('/');
        if let Some(url) = self.page_urls.get(path) {
            return Ok(format!("{}{url}", self.base_path));
        }
        let problem =
            Diagnostic::error(format!("Could not find document '{target}' in tag 'link'"))
                .with_help(
                    "make sure the page exists; the path is relative to content/ and ends in .md",
                );
        Err(
            match closest(path, self.page_urls.keys().map(String::as_str)) {
                Some(suggestion) => problem.with_suggestion(suggestion),
                None => problem,
            },
        )
    }

    /// Whether `includes/name` exists.
    fn find_include(&self, name: &str) -> Result<&IncludeFile, Diagnostic> {
        if let Some(file) = self.includes.get(name.trim()) {
            return Ok(file);
        }
        let problem = Diagnostic::error(format!(
            "Could not locate the included file '{name}' in includes/"
        ))
        .with_help("make sure it exists in the includes/ folder of the site (Jekyll's _includes/)");
        Err(
            match closest(name, self.includes.keys().map(String::as_str)) {
                Some(suggestion) => problem.with_suggestion(suggestion),
                None => problem,
            },
        )
    }

    /// `includes/name`, parsed.
    fn include(&self, name: &str) -> Result<Arc<Compiled>, Vec<Diagnostic>> {
        let file = self.find_include(name).map_err(|problem| vec![problem])?;
        file.compiled
            .get_or_init(|| compile(&file.text.text, &file.text.file, 1, self, false).map(Arc::new))
            .clone()
    }

    /// `name` in the page's folder `page_dir`, parsed; it may not be outside `content/`.
    fn include_relative(
        &self,
        page_dir: &str,
        name: &str,
    ) -> Result<Arc<Compiled>, Vec<Diagnostic>> {
        let name = name.trim();
        let escapes = name.starts_with('/') || name.split('/').any(|part| part == "..");
        let rel = if page_dir.is_empty() {
            name.to_string()
        } else {
            format!("{page_dir}/{name}")
        };
        let path = self.content_dir.join(&rel);
        let inside = std::fs::canonicalize(&path)
            .ok()
            .zip(std::fs::canonicalize(&self.content_dir).ok())
            .is_some_and(|(file, content)| file.starts_with(content));
        if escapes || !inside {
            let message = if escapes {
                format!("`include_relative` may not leave the page's folder tree: `{name}`")
            } else {
                format!("Could not locate the included file '{name}' next to the page")
            };
            return Err(vec![Diagnostic::error(message).with_help(
                "name a file in the page's folder or below it, inside content/",
            )]);
        }
        let file = load::display(&self.root, &path);
        let text = std::fs::read_to_string(&path).map_err(|err| {
            vec![
                Diagnostic::error(format!("cannot read `{name}`: {err}"))
                    .with_help("included files must be UTF-8 text"),
            ]
        })?;
        compile(&text, &file, 1, self, false).map(Arc::new)
    }
}

/// The tags and filters pages may use.
fn language() -> Language {
    use liquid_lib::stdlib;
    let mut language = Language::empty();
    let tags: Vec<Box<dyn liquid_core::ParseTag>> = vec![
        Box::new(stdlib::AssignTag),
        Box::new(stdlib::BreakTag),
        Box::new(stdlib::ContinueTag),
        Box::new(stdlib::CycleTag),
        Box::new(stdlib::IncrementTag),
        Box::new(stdlib::DecrementTag),
        Box::new(tags::LinkTag),
        Box::new(tags::IncludeTag("include")),
        Box::new(tags::IncludeTag("include_cached")),
        Box::new(tags::IncludeTag("include_relative")),
    ];
    for tag in tags {
        language
            .tags
            .register(tag.reflection().tag().to_string(), tag);
    }
    let blocks: Vec<Box<dyn liquid_core::ParseBlock>> = vec![
        Box::new(stdlib::RawBlock),
        Box::new(stdlib::IfBlock),
        Box::new(stdlib::UnlessBlock),
        Box::new(stdlib::IfChangedBlock),
        Box::new(stdlib::ForBlock),
        Box::new(stdlib::TableRowBlock),
        Box::new(stdlib::CommentBlock),
        Box::new(stdlib::CaptureBlock),
        Box::new(stdlib::CaseBlock),
        Box::new(highlight::HighlightBlock),
    ];
    for block in blocks {
        language
            .blocks
            .register(block.reflection().start_tag().to_string(), block);
    }
    filters::register(&mut language);
    language
        .filters
        .register("folio_range_stop".to_string(), Box::new(ranges::RangeStop));
    language
}

/// `site.url` (scheme and host) and `site.baseurl` (the path, no trailing `/`).
fn split_base_url(base_url: Option<&str>) -> (String, String) {
    let Some(parsed) = base_url.and_then(|u| url::Url::parse(u).ok()) else {
        return (String::new(), String::new());
    };
    let mut site_url = format!("{}://{}", parsed.scheme(), parsed.host_str().unwrap_or(""));
    if let Some(port) = parsed.port() {
        site_url.push_str(&format!(":{port}"));
    }
    let base_path = parsed.path().trim_end_matches('/').to_string();
    (site_url, base_path)
}

fn site_object(settings: &LiquidSettings, site_url: &str, base_path: &str, data: Data) -> Data {
    let mut site = data::map_from_toml(&settings.extra);
    site.insert("title", Data::string(settings.title.as_str()));
    site.insert("description", Data::string(settings.description.as_str()));
    site.insert("url", Data::string(site_url));
    site.insert("baseurl", Data::string(base_path));
    site.insert(
        "time",
        Data::Scalar(Scalar::new(liquid_core::model::DateTime::now())),
    );
    let pages = settings.pages.iter().map(|page| {
        let mut object = data::map_from_yaml(&page.front_matter);
        add_page_keys(
            &mut object,
            &page.rel_path,
            &page.url,
            page.title.as_deref(),
        );
        Data::Object(object)
    });
    site.insert("pages", Data::Array(pages.collect()));
    site.insert("data", data);
    Data::Object(site)
}

fn add_page_keys(object: &mut DataMap, rel_path: &str, url: &str, title: Option<&str>) {
    object.insert("url", Data::string(url));
    object.insert("path", Data::string(rel_path));
    if let Some(title) = title {
        object.insert("title", Data::string(title));
    }
}

fn page_object(page: &PageVars<'_>) -> Data {
    let mut object = data::map_from_yaml(page.front_matter);
    add_page_keys(&mut object, page.rel_path, page.url, page.title);
    Data::Object(object)
}

/// CommonMark with GitHub's tables and strikethrough, for `markdownify` when the caller
/// gives no renderer.
pub fn plain_markdown(text: &str) -> String {
    use pulldown_cmark::{Options, Parser, html};
    let options = Options::ENABLE_TABLES
        | Options::ENABLE_STRIKETHROUGH
        | Options::ENABLE_FOOTNOTES
        | Options::ENABLE_TASKLISTS;
    let mut out = String::with_capacity(text.len() * 3 / 2);
    html::push_html(&mut out, Parser::new_ext(text, options));
    out
}
