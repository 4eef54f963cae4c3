//! The typed settings of `site.toml` with their defaults.
//!
//! When a field is added here, add its name to `keys.rs` too (a test checks both agree).

use std::collections::BTreeMap;
use std::path::PathBuf;

use serde::{Deserialize, Serialize};

use crate::diagnostics::Diagnostic;

#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(default)]
pub struct SiteConfig {
    /// Shown in the header and in every page's `<title>`.
    pub title: String,
    /// Default `<meta name="description">` for pages without their own.
    pub description: String,
    /// Absolute URL the site is published at, e.g. `https://example.org/handbook/`. Its path
    /// becomes the prefix of every internal link; the whole URL is used for canonical links and
    /// the sitemap.
    pub base_url: Option<String>,
    /// `lang` of every page.
    pub language: String,
    /// Output folder, relative to the site root.
    pub output: PathBuf,
    pub nav: NavConfig,
    /// Links at the top right of every page.
    pub aux_links: Vec<Link>,
    /// Open aux links in a new tab.
    pub aux_links_new_tab: bool,
    pub markdown: MarkdownConfig,
    pub highlight: HighlightConfig,
    /// Extra or changed callouts, by class name (`note`, `tip`, ... are built in).
    pub callouts: BTreeMap<String, CalloutConfig>,
    pub footer: FooterConfig,
    pub edit_link: EditLinkConfig,
    pub search: SearchConfig,
    pub check: CheckConfig,
    /// Sections of the sidebar after the site's pages, each a folder of `content/` with a
    /// navigation of its own (Jekyll collections, as just-the-docs shows them), in this order.
    pub collections: Vec<CollectionConfig>,
    /// The whole site on one page, for printing (`/print/`).
    pub print: PrintConfig,
    /// `llms.txt`, `llms-full.txt` and a Markdown copy of every page, for language models.
    pub llms: LlmsConfig,
    /// Free-form values for templates (`site.extra`).
    pub extra: toml::Table,
    /// Where each key is in site.toml, for messages about its value.
    #[serde(skip)]
    pub lines: super::KeyLines,
}

impl Default for SiteConfig {
    fn default() -> Self {
        SiteConfig {
            title: "Handbook".into(),
            description: String::new(),
            base_url: None,
            language: "en".into(),
            output: PathBuf::from("public"),
            nav: NavConfig::default(),
            aux_links: Vec::new(),
            aux_links_new_tab: false,
            markdown: MarkdownConfig::default(),
            highlight: HighlightConfig::default(),
            callouts: BTreeMap::new(),
            footer: FooterConfig::default(),
            edit_link: EditLinkConfig::default(),
            search: SearchConfig::default(),
            check: CheckConfig::default(),
            collections: Vec::new(),
            print: PrintConfig::default(),
            llms: LlmsConfig::default(),
            extra: toml::Table::new(),
            lines: super::KeyLines::default(),
        }
    }
}

#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(default)]
pub struct NavConfig {
    /// `case_sensitive` (as just-the-docs: "Beta" before "alpha") or `case_insensitive`.
    pub sort: NavSort,
    /// Show the sidebar on pages whose layout and front matter do not say otherwise.
    pub enabled: bool,
    /// Links listed under the page tree in the sidebar.
    pub external_links: Vec<Link>,
    /// Open external nav links in a new tab unless a link says otherwise.
    pub external_links_new_tab: bool,
}

impl Default for NavConfig {
    fn default() -> Self {
        NavConfig {
            sort: NavSort::CaseSensitive,
            enabled: true,
            external_links: Vec::new(),
            external_links_new_tab: false,
        }
    }
}

/// A collection: a folder of `content/` whose pages form their own section of the sidebar,
/// with their own titles (a page of one collection is never the parent of a page elsewhere).
#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct CollectionConfig {
    /// The folder under `content/` that holds the collection's pages (`tutorials`).
    pub folder: String,
    /// The section's heading in the sidebar (default: the folder's name, capitalised).
    #[serde(default)]
    pub name: Option<String>,
    /// Show the section folded, with a button to open it (open on its own pages).
    #[serde(default)]
    pub nav_fold: bool,
    /// Leave the section out of the sidebar (its pages are still built).
    #[serde(default)]
    pub nav_exclude: bool,
    /// Leave the collection's pages out of search.
    #[serde(default)]
    pub search_exclude: bool,
}

impl CollectionConfig {
    /// The heading shown in the sidebar.
    pub fn display_name(&self) -> String {
        self.name
            .clone()
            .unwrap_or_else(|| capitalise(self.folder.rsplit('/').next().unwrap_or_default()))
    }

    /// Whether the page at `rel_path` (under `content/`) belongs to the collection.
    pub fn holds(&self, rel_path: &str) -> bool {
        rel_path
            .strip_prefix(self.folder.as_str())
            .is_some_and(|rest| rest.starts_with('/'))
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum NavSort {
    CaseSensitive,
    CaseInsensitive,
}

#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct Link {
    pub title: String,
    pub url: String,
    /// Overrides the section's `*_new_tab` setting for this link.
    #[serde(default)]
    pub new_tab: Option<bool>,
    /// Hide the "external link" icon.
    #[serde(default)]
    pub hide_icon: bool,
}

#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(default)]
pub struct MarkdownConfig {
    /// Curly quotes, dashes and ellipses, as kramdown does by default.
    pub smart_punctuation: bool,
    /// Anchor links on headings (skipped for headings with `.no_anchor`).
    pub heading_anchors: bool,
    /// Heading levels listed by `{:toc}` and the page TOC, as `"1..6"`.
    pub toc_levels: TocLevels,
}

impl Default for MarkdownConfig {
    fn default() -> Self {
        MarkdownConfig {
            smart_punctuation: true,
            heading_anchors: true,
            toc_levels: TocLevels::default(),
        }
    }
}

/// A range of heading levels written `"2..4"` (or a single level `"2"`).
#[derive(Debug, Clone, PartialEq, Eq, Deserialize, Serialize)]
#[serde(transparent)]
pub struct TocLevels(pub String);

impl Default for TocLevels {
    fn default() -> Self {
        TocLevels("1..6".into())
    }
}

impl TocLevels {
    /// Parses `"a..b"`; `None` when malformed.
    pub fn parse(text: &str) -> Option<(u8, u8)> {
        let text = text.trim();
        let (low, high) = match text.split_once("..") {
            Some((low, high)) => (low.trim(), high.trim()),
            None => (text, text),
        };
        let low: u8 = low.parse().ok()?;
        let high: u8 = high.parse().ok()?;
        ((1..=6).contains(&low) && (low..=6).contains(&high)).then_some((low, high))
    }

    /// The inclusive range; the default when malformed (validation reports it).
    pub fn range(&self) -> (u8, u8) {
        Self::parse(&self.0).unwrap_or((1, 6))
    }
}

#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(default)]
pub struct HighlightConfig {
    /// Syntax colours for the light theme.
    pub light_theme: String,
    /// Syntax colours for the dark theme.
    pub dark_theme: String,
}

impl Default for HighlightConfig {
    fn default() -> Self {
        HighlightConfig {
            light_theme: "InspiredGitHub".into(),
            dark_theme: "OneHalfDark".into(),
        }
    }
}

#[derive(Debug, Clone, Default, Deserialize, Serialize)]
#[serde(default, deny_unknown_fields)]
pub struct CalloutConfig {
    /// The title shown at the top of the callout; defaults to the name, capitalised; empty
    /// shows none.
    pub title: Option<String>,
    /// One of `blue`, `green`, `purple`, `yellow`, `red`, `grey-lt`, `grey-dk`.
    pub color: Option<String>,
}

/// A callout with every setting resolved.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Callout {
    pub name: String,
    pub title: String,
    pub color: String,
}

pub const CALLOUT_COLORS: &[&str] = &[
    "blue", "green", "purple", "yellow", "red", "grey-lt", "grey-dk",
];

/// Callouts that work without configuration, with GitHub's alert names.
const BUILTIN_CALLOUTS: &[(&str, &str, &str)] = &[
    ("note", "Note", "blue"),
    ("tip", "Tip", "green"),
    ("important", "Important", "purple"),
    ("warning", "Warning", "yellow"),
    ("caution", "Caution", "red"),
];

#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(default)]
pub struct FooterConfig {
    /// HTML shown at the bottom of every page.
    pub content: String,
    /// How a page's `last_modified_date` is shown (strftime syntax); empty hides it.
    pub last_modified_format: String,
    /// Text of the link back to the top of the page; empty hides it.
    pub back_to_top: String,
}

impl Default for FooterConfig {
    fn default() -> Self {
        FooterConfig {
            content: String::new(),
            last_modified_format: "%B %-d, %Y".into(),
            back_to_top: "Back to top".into(),
        }
    }
}

#[derive(Debug, Clone, Default, Deserialize, Serialize)]
#[serde(default)]
pub struct EditLinkConfig {
    /// URL of the page's source with `{path}` for its path under the site root, e.g.
    /// `https://github.com/acme/handbook/edit/main/{path}`. Empty: no edit link.
    pub url: String,
    /// Link text.
    pub text: String,
}

#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(default)]
pub struct SearchConfig {
    /// Build the search index and show the search box.
    pub enabled: bool,
    /// Pages are cut into search results at headings of this level and above (1 to 6).
    pub heading_level: u8,
    /// Pages left out of the index, as patterns of paths under `content/` (`drafts/**`).
    pub exclude: Vec<String>,
}

impl Default for SearchConfig {
    fn default() -> Self {
        SearchConfig {
            enabled: true,
            heading_level: 3,
            exclude: Vec::new(),
        }
    }
}

/// `[print]`: every page in reading order on one page, `/print/`, linked from the header.
#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(default)]
pub struct PrintConfig {
    /// Make the print page (pages with `print_exclude: true` are left out of it).
    pub enabled: bool,
}

impl Default for PrintConfig {
    fn default() -> Self {
        PrintConfig { enabled: true }
    }
}

/// `[llms]`: `llms.txt` (llmstxt.org), `llms-full.txt` and each page's Markdown copy at its
/// URL plus `index.md`; pages left out of search are left out of these too.
#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(default)]
pub struct LlmsConfig {
    /// Make the files.
    pub enabled: bool,
}

impl Default for LlmsConfig {
    fn default() -> Self {
        LlmsConfig { enabled: true }
    }
}

/// `folio check --external`: how web addresses that pages link to are checked.
#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(default)]
pub struct CheckConfig {
    /// Addresses never requested, as patterns of whole URLs (`https://example.com/*`).
    pub skip_external: Vec<String>,
    /// Seconds a request may take.
    pub timeout: u64,
    /// Requests at once to one host.
    pub per_host: usize,
    /// Where results are kept between runs, relative to the site root.
    pub cache: PathBuf,
    /// Hours a good result is trusted.
    pub cache_hours: u64,
}

impl Default for CheckConfig {
    fn default() -> Self {
        CheckConfig {
            skip_external: Vec::new(),
            timeout: 10,
            per_host: 2,
            cache: PathBuf::from(".folio-cache/external-links.json"),
            cache_hours: 24,
        }
    }
}

impl SiteConfig {
    /// The path part of `base_url` without a trailing slash (`""` for a site at the root).
    pub fn base_path(&self) -> String {
        let Some(url) = &self.base_url else {
            return String::new();
        };
        let after_scheme = url.split_once("://").map_or(url.as_str(), |(_, rest)| rest);
        let path = after_scheme.find('/').map_or("", |i| &after_scheme[i..]);
        path.trim_end_matches('/').to_string()
    }

    /// `base_url` without a trailing slash, when set.
    pub fn absolute_base(&self) -> Option<String> {
        self.base_url
            .as_ref()
            .map(|url| url.trim_end_matches('/').to_string())
    }

    /// The built-in callouts merged with the configured ones.
    pub fn callouts(&self) -> BTreeMap<String, Callout> {
        let mut all: BTreeMap<String, Callout> = BUILTIN_CALLOUTS
            .iter()
            .map(|(name, title, color)| {
                let callout = Callout {
                    name: name.to_string(),
                    title: title.to_string(),
                    color: color.to_string(),
                };
                (name.to_string(), callout)
            })
            .collect();
        for (name, settings) in &self.callouts {
            let default = all.get(name).cloned().unwrap_or_else(|| Callout {
                name: name.clone(),
                title: capitalise(name),
                color: "grey-dk".into(),
            });
            all.insert(
                name.clone(),
                Callout {
                    name: name.clone(),
                    title: settings.title.clone().unwrap_or(default.title),
                    color: settings.color.clone().unwrap_or(default.color),
                },
            );
        }
        all
    }

    /// Checks that need more than the TOML types.
    pub fn validate(&self) -> Vec<Diagnostic> {
        let mut problems = Vec::new();
        let mut report =
            |key: &str, diagnostic: Diagnostic| problems.push(self.at_key(key, diagnostic));
        if let Some(url) = &self.base_url {
            let scheme_ok = url.starts_with("http://") || url.starts_with("https://");
            if !scheme_ok || url.contains(char::is_whitespace) {
                report(
                    "base_url",
                    Diagnostic::error(format!("base_url `{url}` is not an absolute http(s) URL"))
                        .with_help(
                            "write it in full, e.g. base_url = \"https://example.org/handbook/\"",
                        ),
                );
            }
        }
        if TocLevels::parse(&self.markdown.toc_levels.0).is_none() {
            report(
                "markdown.toc_levels",
                Diagnostic::error(format!(
                    "markdown.toc_levels `{}` is not a range of heading levels",
                    self.markdown.toc_levels.0
                ))
                .with_help("write it as \"first..last\" with levels 1 to 6, e.g. \"2..4\""),
            );
        }
        for (name, callout) in &self.callouts {
            if !is_class_name(name) {
                report(
                    &format!("callouts.{name}"),
                    Diagnostic::error(format!("callout name `{name}` is not a CSS class name"))
                        .with_help("use letters, digits, `-` and `_`, starting with a letter"),
                );
            }
            if let Some(color) = &callout.color
                && !CALLOUT_COLORS.contains(&color.as_str())
            {
                report(
                    &format!("callouts.{name}.color"),
                    Diagnostic::error(format!(
                        "callouts.{name}.color `{color}` is not a known colour"
                    ))
                    .with_help(format!("use one of: {}", CALLOUT_COLORS.join(", "))),
                );
            }
        }
        if !self.edit_link.url.is_empty() && !self.edit_link.url.contains("{path}") {
            report(
                "edit_link.url",
                Diagnostic::error("edit_link.url has no `{path}` placeholder")
                    .with_help("e.g. url = \"https://github.com/acme/handbook/edit/main/{path}\""),
            );
        }
        if !(1..=6).contains(&self.search.heading_level) {
            report(
                "search.heading_level",
                Diagnostic::error(format!(
                    "search.heading_level {} is not a heading level",
                    self.search.heading_level
                ))
                .with_help("use 1 to 6: pages are cut into results at headings up to that level"),
            );
        }
        let mut folders = std::collections::HashSet::new();
        for collection in &self.collections {
            let folder = &collection.folder;
            let plain = !folder.is_empty()
                && !folder.starts_with('/')
                && !folder.ends_with('/')
                && !folder.contains('\\')
                && folder
                    .split('/')
                    .all(|s| !s.is_empty() && s != "." && s != "..");
            if !plain {
                report(
                    "collections",
                    Diagnostic::error(format!(
                        "collections: `{folder}` is not a folder of content/"
                    ))
                    .with_help(
                        "write the folder's path under content/, e.g. folder = \"tutorials\"",
                    ),
                );
            } else if !folders.insert(folder.as_str()) {
                report(
                    "collections",
                    Diagnostic::error(format!("collections: `{folder}` is listed twice"))
                        .with_help("list each collection once"),
                );
            }
        }
        if self.output.as_os_str().is_empty() {
            report(
                "output",
                Diagnostic::error("output must name a folder")
                    .with_help("the default is \"public\""),
            );
        }
        problems
    }

    /// `diagnostic` placed at the line of `key` in site.toml, when the file has it.
    pub fn at_key(&self, key: &str, diagnostic: Diagnostic) -> Diagnostic {
        match self.lines.of(key) {
            Some(line) => diagnostic.at_line(line),
            None => diagnostic,
        }
    }
}

fn is_class_name(name: &str) -> bool {
    name.chars().next().is_some_and(|c| c.is_ascii_alphabetic())
        && name
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_')
}

fn capitalise(name: &str) -> String {
    let mut chars = name.chars();
    match chars.next() {
        Some(first) => first
            .to_uppercase()
            .chain(chars)
            .collect::<String>()
            .replace(['-', '_'], " "),
        None => String::new(),
    }
}
