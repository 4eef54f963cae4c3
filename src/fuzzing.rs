//! The parsers of user input behind plain functions, for the fuzz targets in `fuzz/`.
//!
//! Nothing in folio calls this module. It is a thin façade (each function takes `&str` and
//! calls the real parser, as the build does) so that the fuzz targets do not depend on the
//! library's internal types, which can then become `pub(crate)`. What it returns is plain
//! data the targets check their invariants on: places of findings, byte offsets, the HTML
//! written.
//!
//! Liquid runs on a small site that [`liquid_page`] writes to a folder of the system's
//! temporary folder the first time (includes, data, a page to `include_relative`), so that
//! include and data lookups run as in a build.

use std::path::{Path, PathBuf};
use std::sync::{Arc, OnceLock};

use crate::config::{self, SiteConfig};
use crate::content::{front_matter, normalise_text, urls};
use crate::diagnostics::Diagnostic;
use crate::liquid::{LiquidSettings, PageInfo, PageVars, SiteLiquid};
use crate::markdown::{self, MarkdownContext, SiteIndex, Target, attributes, highlight, kramdown};
use crate::search::extract::SectionWriter;

/// A finding's place and words, as a writer would see them.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Finding {
    pub is_error: bool,
    pub file: Option<String>,
    /// 1-based line.
    pub line: Option<usize>,
    /// 1-based column, in characters.
    pub column: Option<usize>,
    pub message: String,
}

impl From<Diagnostic> for Finding {
    fn from(diagnostic: Diagnostic) -> Finding {
        Finding {
            is_error: diagnostic.is_error(),
            file: diagnostic.file.map(|f| f.to_string_lossy().into_owned()),
            line: diagnostic.line,
            column: diagnostic.column,
            message: diagnostic.message,
        }
    }
}

fn findings(diagnostics: Vec<Diagnostic>) -> Vec<Finding> {
    diagnostics.into_iter().map(Finding::from).collect()
}

/// A page file as the loader reads it: BOM and CRLF removed (`text`), split in front matter
/// and body, its permalink checked.
#[derive(Debug, Clone)]
pub struct PageSplit {
    /// The page text after normalisation; lines keep their numbers.
    pub text: String,
    pub has_front_matter: bool,
    /// Byte offset of the body in `text`.
    pub body_start: usize,
    /// The line of `text` on which the body starts.
    pub body_line: usize,
    /// The permalink as written and where it publishes the page, or why it was refused.
    pub permalink: Option<(String, Result<Published, String>)>,
    pub warnings: Vec<Finding>,
}

/// A page's text as the loader parses it: BOM and CRs removed, lines kept (the text that
/// the places of its findings are in).
pub fn normalised_page_text(text: &str) -> String {
    normalise_text(text.to_string())
}

/// Splits a page's text (as read from its file) into front matter and body.
pub fn page_front_matter(text: &str) -> Result<PageSplit, Vec<Finding>> {
    let text = normalise_text(text.to_string());
    let split = front_matter::split(&text).map_err(findings)?;
    let body_start = text.len() - split.body.len();
    let has_front_matter = split.front_matter.is_some();
    let permalink = split
        .front_matter
        .and_then(|front| front.permalink)
        .map(|written| {
            let place = permalink(&written);
            (written, place)
        });
    Ok(PageSplit {
        body_start,
        body_line: split.body_line,
        has_front_matter,
        permalink,
        warnings: findings(split.warnings),
        text,
    })
}

/// Whether the fast reader of plain `key: value` front matter, when it reads `yaml` at all,
/// reads what the YAML parser does.
pub fn plain_yaml_agrees(yaml: &str) -> bool {
    crate::content::plain_yaml_agrees(yaml)
}

/// Reads `site.toml` text; the findings name `site.toml`.
pub fn site_config(text: &str) -> Result<(), Vec<Finding>> {
    config::parse(text, Path::new(config::CONFIG_FILE))
        .map(drop)
        .map_err(findings)
}

/// The line scan of kramdown block syntax over a page body.
#[derive(Debug, Clone)]
pub struct KramdownLines {
    /// The body with markers in place of attribute lists and extensions.
    pub text: String,
    /// For each line of `text`, the body line it comes from (the scan may add lines, for
    /// content on an HTML tag's line, and join lines).
    pub body_lines: Vec<usize>,
    /// The body line of each block attribute list.
    pub block_list_lines: Vec<usize>,
    /// The number of `{::nomarkdown}` blocks.
    pub raw_blocks: usize,
    /// (line, column) of each warning, in the body.
    pub warnings: Vec<(usize, usize)>,
}

/// Scans a page body for block attribute lists, definitions and extensions.
pub fn kramdown_lines(body: &str) -> KramdownLines {
    let prepared = kramdown::prepare(body);
    let text_lines = prepared.text.lines().count().max(1);
    KramdownLines {
        body_lines: (1..=text_lines)
            .map(|line| prepared.body_line(line))
            .collect(),
        block_list_lines: prepared.ials.iter().map(|ial| ial.line).collect(),
        raw_blocks: prepared.raw.len(),
        warnings: prepared
            .warnings
            .iter()
            .map(|w| (w.line, w.column))
            .collect(),
        text: prepared.text,
    }
}

/// Parses the inside of `{:` … `}` and writes the HTML attributes it gives an element
/// (` id="…" class="…" key="…"`); `None` when it is no attribute list.
pub fn attribute_list(inner: &str) -> Option<String> {
    let attrs = match attributes::parse_list(inner)? {
        attributes::AttributeList::Inline(attrs) => attrs,
        attributes::AttributeList::Definition(_, attrs) => attrs,
    };
    let mut html = String::new();
    attrs.write_html(&mut html, &[]);
    Some(html)
}

/// The bytes a span attribute list (`{: … }`) at the start of `text` takes up.
pub fn span_attribute_list(text: &str) -> Option<usize> {
    attributes::span_list_at_start(text).map(|(_, used)| used)
}

/// The base path of the site that pages and links are resolved in.
pub const SITE_BASE_PATH: &str = "/hb";
/// Its pages: (source path under `content/`, URL without base path).
pub const SITE_PAGES: &[(&str, &str)] = &[
    ("index.md", "/"),
    ("guide/index.md", "/guide/"),
    ("guide/setup.md", "/guide/setup/"),
    ("guide/tables.md", "/guide/tables/"),
    ("about.md", "/about/"),
    ("404.md", "/404.html"),
];
/// Its files, by output path.
pub const SITE_FILES: &[&str] = &["guide/img/a.png", "assets/logo.svg"];
/// The folder (under `content/`) of the page whose links and body are resolved and rendered.
pub const PAGE_DIR: &str = "guide";

fn site() -> &'static SiteIndex {
    static SITE: OnceLock<SiteIndex> = OnceLock::new();
    SITE.get_or_init(|| {
        let mut site = SiteIndex {
            base_path: SITE_BASE_PATH.into(),
            ..SiteIndex::default()
        };
        for (source, url) in SITE_PAGES {
            site.url_by_source
                .insert(source.to_string(), url.to_string());
            site.page_urls.insert(url.to_string());
        }
        site.files.extend(SITE_FILES.iter().map(|f| f.to_string()));
        site
    })
}

/// The settings and code themes every render shares (made once: loading themes is slow).
struct Shared {
    config: SiteConfig,
    callouts: std::collections::BTreeMap<String, config::Callout>,
    code_themes: Arc<highlight::CodeThemes>,
}

fn shared() -> &'static Shared {
    static SHARED: OnceLock<Shared> = OnceLock::new();
    SHARED.get_or_init(|| {
        let config = SiteConfig::default();
        Shared {
            callouts: config.callouts(),
            code_themes: Arc::new(
                highlight::CodeThemes::new(
                    &config.highlight.light_theme,
                    &config.highlight.dark_theme,
                )
                .expect("the default code themes exist"),
            ),
            config,
        }
    })
}

fn markdown_context(shared: &'static Shared) -> MarkdownContext<'static> {
    MarkdownContext {
        config: &shared.config.markdown,
        callouts: &shared.callouts,
        site: site(),
        code_themes: &shared.code_themes,
    }
}

/// A page body rendered as the build renders it.
#[derive(Debug, Clone)]
pub struct RenderedPage {
    pub html: String,
    pub heading_ids: Vec<String>,
    /// (line, column) of every link and image, in the body.
    pub link_places: Vec<(usize, usize)>,
    /// (line, column) of every warning, in the body; the column is `None` when unknown.
    pub warnings: Vec<(Option<usize>, Option<usize>)>,
    /// The search text of each section.
    pub section_texts: Vec<String>,
    /// The page's Markdown copy (as in llms-full.txt).
    pub copy: String,
}

/// Renders a page body in folder [`PAGE_DIR`] of the site of [`SITE_PAGES`], with the default
/// settings, telling the search index what a reader sees.
pub fn render_page(body: &str) -> RenderedPage {
    let context = markdown_context(shared());
    let mut sections = SectionWriter::new(3);
    let prepared = kramdown::prepare(body);
    let rendered = markdown::render_prepared(&prepared, PAGE_DIR, &context, Some(&mut sections));
    let copy_context = markdown::commonmark::CopyContext {
        config: &shared().config.markdown,
        callouts: &shared().callouts,
        site: site(),
        origin: "https://example.org",
    };
    let copy = markdown::commonmark::copy_of(&prepared, PAGE_DIR, &copy_context);
    RenderedPage {
        copy,
        html: rendered.html,
        heading_ids: rendered.headings.iter().map(|h| h.id.clone()).collect(),
        link_places: rendered
            .links
            .iter()
            .map(|link| (link.line, link.column))
            .collect(),
        warnings: rendered
            .warnings
            .iter()
            .map(|w| (w.line, w.column))
            .collect(),
        section_texts: sections.finish().into_iter().map(|s| s.text).collect(),
    }
}

/// Where a link goes, in words: `external`, `same-page`, `page`, `file`, `unknown`,
/// `missing-source`, `unsafe` or `raw-html`, with the page URL or file path it names.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LinkTarget {
    pub kind: &'static str,
    /// The page URL (`page`) or output path (`file`).
    pub names: Option<String>,
}

impl From<Target> for LinkTarget {
    fn from(target: Target) -> LinkTarget {
        let (kind, names) = match target {
            Target::External => ("external", None),
            Target::SamePage { .. } => ("same-page", None),
            Target::Page { url, .. } => ("page", Some(url)),
            Target::File { path } => ("file", Some(path)),
            Target::Unknown { .. } => ("unknown", None),
            Target::MissingSource { .. } => ("missing-source", None),
            Target::Unsafe => ("unsafe", None),
            Target::RawHtml => ("raw-html", None),
        };
        LinkTarget { kind, names }
    }
}

/// Resolves a Markdown link written in a page in folder `page_dir`: the URL written to the
/// output, and where it goes.
pub fn resolve_link(page_dir: &str, href: &str) -> (String, LinkTarget) {
    let (written, target) = markdown::links::resolve(site(), page_dir, href);
    (written, target.into())
}

/// Where a link written in raw HTML on the page at `page_url` goes.
pub fn resolve_raw_link(page_url: &str, href: &str) -> LinkTarget {
    markdown::links::resolve_raw(site(), page_url, href).into()
}

/// The elements folio writes for a formula (`$…$`).
pub fn math_elements() -> Vec<&'static str> {
    markdown::math::elements().collect()
}

/// The `href` and `src` values found in HTML: (byte offset, decoded value).
pub fn html_links(html: &str) -> Vec<(usize, String)> {
    markdown::links::html_links(html)
        .into_iter()
        .map(|link| (link.offset, link.value))
        .collect()
}

/// Where a page is published.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Published {
    pub url: String,
    /// Relative to the output folder.
    pub output_path: String,
}

/// Where a page with this permalink is published, or why not.
pub fn permalink(permalink: &str) -> Result<Published, String> {
    urls::from_permalink(permalink)
        .map(|location| Published {
            url: location.url,
            output_path: location.output_path,
        })
        .map_err(|reason| reason.to_string())
}

/// Where a page at this path under `content/` is published: (url, output path).
pub fn source_location(rel_path: &str) -> (String, String) {
    let location = urls::from_source(rel_path);
    (location.url, location.output_path)
}

/// The Liquid site's files (path under its root, text): includes, data and a page's
/// neighbour, so that the target's places in included files can be checked.
pub const LIQUID_FILES: &[(&str, &str)] = &[
    (
        "includes/note.html",
        "<aside class=\"{{ include.kind | default: 'note' }}\">{{ include.text | markdownify }}</aside>\n",
    ),
    (
        "includes/list.html",
        "{% for item in include.items %}\n- {{ forloop.index }}: {{ item.name | escape }}{% if item.role %} ({{ item.role }}){% endif %}\n{% endfor %}\n",
    ),
    (
        "includes/broken.html",
        "{% if page.title %}\n{{ page.title | no_such_filter }}\n",
    ),
    (
        "data/team.yml",
        "- name: Ada\n  role: lead\n- name: Lin\n- name: \"<b>Bo</b>\"\n  role: 3\n",
    ),
    (
        "data/site.toml",
        "motto = \"Write it down\"\nyears = [2024, 2025]\n",
    ),
    ("content/guide/part.md", "A part of {{ page.title }}.\n"),
];
/// The page Liquid renders: its file, and the file line its body starts on.
pub const LIQUID_PAGE_FILE: &str = "content/guide/page.md";
pub const LIQUID_FRONT_MATTER: &str = "title: A page\ntags: [a, b]\n";
/// The file is `---`, [`LIQUID_FRONT_MATTER`], `---`, then the body.
pub const LIQUID_BODY_LINE: usize = 5;

/// A page body after Liquid, or Liquid's errors.
#[derive(Debug, Clone)]
pub struct LiquidPage {
    /// The body after Liquid (`None` when it had errors).
    pub text: Option<String>,
    /// Its errors, or its warnings when it rendered.
    pub findings: Vec<Finding>,
}

fn liquid_site() -> &'static SiteLiquid {
    static LIQUID: OnceLock<(PathBuf, SiteLiquid)> = OnceLock::new();
    let (_, liquid) = LIQUID.get_or_init(|| {
        // One folder for every run (written once: runs in parallel read the same files).
        let root = std::env::temp_dir().join("folio-fuzz-liquid");
        for (path, text) in LIQUID_FILES {
            let path = root.join(path);
            if std::fs::read_to_string(&path).is_ok_and(|written| written == *text) {
                continue;
            }
            std::fs::create_dir_all(path.parent().expect("a file in a folder"))
                .and_then(|()| std::fs::write(&path, text))
                .unwrap_or_else(|err| panic!("cannot write {}: {err}", path.display()));
        }
        let settings_of = shared();
        let pages = SITE_PAGES
            .iter()
            .map(|(source, url)| PageInfo {
                rel_path: source.to_string(),
                url: url.to_string(),
                title: Some(format!("Page {source}")),
                front_matter: serde_yaml::Mapping::new(),
            })
            .collect();
        let mut settings = LiquidSettings::new(
            &root,
            &settings_of.config,
            Arc::clone(&settings_of.code_themes),
            pages,
        );
        settings.base_url = Some(format!("https://example.org{SITE_BASE_PATH}/"));
        // `markdownify` renders with folio's Markdown, as in a build.
        settings.markdownify = Some(Arc::new(|text: &str| {
            markdown::render(text, "", &markdown_context(shared()), None).html
        }));
        let liquid = SiteLiquid::new(settings)
            .unwrap_or_else(|problems| panic!("the fuzz site's Liquid: {problems:?}"));
        (root, liquid)
    });
    liquid
}

/// Runs Liquid on a page body of [`LIQUID_PAGE_FILE`] as the build does (a body without
/// `{{` or `{%` comes back as it is).
pub fn liquid_page(body: &str) -> LiquidPage {
    static FRONT: OnceLock<serde_yaml::Mapping> = OnceLock::new();
    let front_matter =
        FRONT.get_or_init(|| serde_yaml::from_str(LIQUID_FRONT_MATTER).expect("valid YAML"));
    let vars = PageVars {
        source: Path::new(LIQUID_PAGE_FILE),
        rel_path: "guide/page.md",
        url: "/guide/page/",
        title: Some("A page"),
        front_matter,
        body_line: LIQUID_BODY_LINE,
        render_with_liquid: true,
    };
    match liquid_site().render_page(body, &vars) {
        Ok(done) => LiquidPage {
            text: Some(done.text.into_owned()),
            findings: findings(done.warnings),
        },
        Err(errors) => LiquidPage {
            text: None,
            findings: findings(errors),
        },
    }
}
