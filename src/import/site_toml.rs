//! `_config.yml` → `site.toml`: every key of the Jekyll configuration is converted to folio's
//! setting, recognised as not needed (with the reason), or reported as having no folio setting
//! (with what to do instead). Keys the import does not know are kept under `[extra]`, where
//! templates and Liquid find them.

use std::fmt::Write as _;

use serde_yaml::Value as Yaml;
use toml::{Table, Value as Toml};

use super::jekyll_config::{JekyllConfig, scalar_text, truthy};
use super::report::Report;
use super::theme::plugin_advice;
use crate::config::CALLOUT_COLORS;
use crate::diagnostics::Diagnostic;

/// Keys that only steer Jekyll's build and mean nothing for the site folio writes.
const BUILD_ONLY: &[&str] = &[
    "baseurl",
    "collections_dir",
    "compress_html",
    "data_dir",
    "destination",
    "detach",
    "disable_disk_cache",
    "encoding",
    "excerpt_separator",
    "exclude",
    "force_polling",
    "future",
    "host",
    "ignore_theme_config",
    "include",
    "includes_dir",
    "incremental",
    "keep_files",
    "layouts_dir",
    "limit_posts",
    "liquid",
    "livereload",
    "livereload_port",
    "lsi",
    "markdown_ext",
    "open_url",
    "page_excerpts",
    "plugins_dir",
    "port",
    "profile",
    "quiet",
    "safe",
    "sass",
    "show_dir_listing",
    "show_drafts",
    "source",
    "strict_front_matter",
    "timezone",
    "unpublished",
    "verbose",
    "watch",
    "webrick",
    "whitelist",
];

/// Search settings of just-the-docs that folio's search has no setting for.
const SEARCH_WITHOUT_SETTING: &[(&str, &str)] = &[
    ("previews", "folio shows one excerpt for each result"),
    (
        "preview_words_before",
        "folio chooses the excerpt around the first match itself",
    ),
    (
        "preview_words_after",
        "folio chooses the excerpt around the first match itself",
    ),
    (
        "tokenizer_separator",
        "folio splits words at everything but letters and digits, and finds hyphenated and snake_case names both whole and by their parts",
    ),
    (
        "rel_url",
        "folio shows each result's title, section and breadcrumb rather than its URL",
    ),
    ("button", "folio has no floating search button"),
    (
        "focus_shortcut_key",
        "folio's search box takes the focus with `/` and with Ctrl+K (Cmd+K on a Mac)",
    ),
];

/// The converted `site.toml` and what was done with each key.
pub(super) struct Converted {
    pub text: String,
}

struct Builder<'a> {
    config: &'a JekyllConfig,
    root: Table,
    /// `key: value` lines of settings without a folio setting, written as comments.
    without_setting: Vec<String>,
    report: &'a mut Report,
}

/// Converts the configuration, adding what was done to `report`.
pub(super) fn convert(config: &JekyllConfig, report: &mut Report) -> Converted {
    let mut builder = Builder {
        config,
        root: Table::new(),
        without_setting: Vec::new(),
        report,
    };
    let keys: Vec<String> = config.map.keys().filter_map(|k| scalar_text(k)).collect();
    builder.site_keys();
    for key in &keys {
        builder.key(key);
    }
    Converted {
        text: builder.finish(),
    }
}

impl Builder<'_> {
    fn get(&self, key: &str) -> Option<&Yaml> {
        self.config.get(key)
    }

    fn text(&self, key: &str) -> Option<String> {
        self.get(key).and_then(scalar_text)
    }

    fn table(&mut self, name: &str) -> &mut Table {
        self.root
            .entry(name)
            .or_insert_with(|| Toml::Table(Table::new()))
            .as_table_mut()
            .expect("sections are tables")
    }

    fn converted(&mut self, what: impl Into<String>) {
        self.report.config_converted.push(what.into());
    }

    fn not_needed(&mut self, key: &str, why: &str) {
        self.report.config_not_needed.push(format!("{key} ({why})"));
    }

    /// A key folio has no setting for: a warning at its line, and a comment in site.toml.
    fn no_setting(&mut self, path: &str, value: Option<&Yaml>, message: String, help: &str) {
        let note = self.config.note(path, message, help);
        self.report.warnings.push(note);
        if let Some(value) = value {
            self.without_setting
                .push(format!("{path}: {}", one_line_yaml(value)));
        }
    }

    /// Settings that come from several keys at once.
    fn site_keys(&mut self) {
        self.base_url();
        self.footer();
        self.edit_link();
    }

    fn key(&mut self, key: &str) {
        let value = self.get(key).cloned();
        let value = value.as_ref();
        match key {
            "title" | "description" => {
                if let Some(text) = self.text(key) {
                    self.root.insert(key.into(), Toml::String(text));
                    self.converted(key);
                }
            }
            "lang" => {
                if let Some(text) = self.text(key).filter(|t| !t.is_empty()) {
                    self.root.insert("language".into(), Toml::String(text));
                    self.converted("lang → language");
                }
            }
            // Read together with other keys in `site_keys`.
            "url" | "back_to_top" | "back_to_top_text" | "footer_content"
            | "last_edit_timestamp" | "last_edit_time_format" | "gh_edit_link"
            | "gh_edit_link_text" | "gh_edit_repository" | "gh_edit_branch"
            | "gh_edit_source" | "gh_edit_view_mode" => {}
            "permalink" => self.converted(
                "permalink (every page keeps the URL Jekyll gives it; a `permalink:` is written where folio's own URL would differ)",
            ),
            "defaults" => self.converted("defaults (merged into the front matter of the pages they apply to)"),
            "collections" => self.converted(
                "collections (the documents of collections that Jekyll writes out are imported as pages at the same URLs)",
            ),
            "aux_links" => self.aux_links(value),
            "aux_links_new_tab" => self.flag_to(key, &[], "aux_links_new_tab"),
            "nav_external_links" => self.external_links(value),
            "nav_external_links_new_tab" => {
                self.flag_to(key, &["nav"], "external_links_new_tab")
            }
            "nav_sort" => {
                let sort = match self.text(key).as_deref() {
                    Some("case_insensitive") => "case_insensitive",
                    _ => "case_sensitive",
                };
                self.table("nav").insert("sort".into(), Toml::String(sort.into()));
                self.converted("nav_sort → nav.sort");
            }
            "nav_enabled" => {
                let enabled = value.is_none_or(|v| !matches!(v, Yaml::Bool(false)));
                self.table("nav").insert("enabled".into(), Toml::Boolean(enabled));
                self.converted("nav_enabled → nav.enabled");
            }
            "nav_error_report" => self.not_needed(
                key,
                "folio reports navigation problems as build warnings",
            ),
            "heading_anchors" => {
                let on = value.is_none_or(|v| !matches!(v, Yaml::Bool(false)));
                self.table("markdown")
                    .insert("heading_anchors".into(), Toml::Boolean(on));
                self.converted("heading_anchors → markdown.heading_anchors");
            }
            "search_enabled" => {
                let on = value.is_none_or(|v| !matches!(v, Yaml::Bool(false)));
                self.table("search").insert("enabled".into(), Toml::Boolean(on));
                self.converted("search_enabled → search.enabled");
            }
            "search" => self.search(value),
            "search_tokenizer_separator" => self.no_setting(
                key,
                value,
                format!("`{key}` has no folio setting"),
                "folio splits words at everything but letters and digits, and finds hyphenated and snake_case names both whole and by their parts",
            ),
            "callouts" => self.callouts(value),
            "callouts_level" => self.no_setting(
                key,
                value,
                "`callouts_level` has no folio setting".into(),
                "folio's callouts have one look in the light and one in the dark theme; change it in a copy of the stylesheet (static/assets/css/folio.css)",
            ),
            "mermaid" => self.not_needed(
                key,
                "folio draws ```mermaid diagrams itself when it builds the site, without Mermaid's script",
            ),
            "color_scheme" => match self.text(key).as_deref() {
                None | Some("" | "nil" | "light" | "dark") => self.not_needed(
                    key,
                    "folio follows the reader's light or dark preference and has a switch for it",
                ),
                Some(other) => self.no_setting(
                    key,
                    value,
                    format!("the colour scheme `{other}` is not imported"),
                    "folio has a light and a dark theme; to change its colours, override static/assets/css/folio.css",
                ),
            },
            "enable_copy_code_button" => {
                if matches!(value, Some(Yaml::Bool(false))) {
                    self.no_setting(
                        key,
                        value,
                        "folio always shows copy buttons on code blocks".into(),
                        "to remove them, override static/assets/js/folio.js",
                    );
                } else {
                    self.not_needed(key, "folio shows copy buttons on code blocks");
                }
            }
            "logo" => self.no_setting(
                key,
                value,
                "`logo` has no folio setting yet".into(),
                "override templates/partials/header.html to show the image instead of the title",
            ),
            "favicon_ico" => self.no_setting(
                key,
                value,
                "`favicon_ico` has no folio setting".into(),
                "put the icon at static/favicon.svg, or override templates/partials/head.html to link a .ico file",
            ),
            "ga_tracking" | "ga_tracking_anonymize_ip" => self.no_setting(
                key,
                value,
                format!("`{key}` has no folio setting"),
                HEAD_SNIPPET,
            ),
            "just_the_docs" => self.just_the_docs(value),
            "markdown" => match self.text(key).as_deref() {
                Some(name) if !name.eq_ignore_ascii_case("kramdown") => self.no_setting(
                    key,
                    value,
                    format!("the Markdown converter `{name}` is not available"),
                    "folio reads kramdown's dialect of Markdown (GFM input), as just-the-docs sites use",
                ),
                _ => self.not_needed(key, "folio reads kramdown's dialect of Markdown"),
            },
            "kramdown" => self.kramdown(value),
            "highlighter" => match self.text(key).as_deref() {
                Some("none" | "false" | "") => self.no_setting(
                    key,
                    value,
                    "folio always highlights code blocks".into(),
                    "write code blocks without a language to leave them plain",
                ),
                _ => self.not_needed(key, "folio highlights code with its own highlighter"),
            },
            "theme" | "remote_theme" => self.theme(key),
            "plugins" | "gems" => self.plugins(key, value),
            _ if BUILD_ONLY.contains(&key) => {
                self.not_needed(key, "it only steers Jekyll's build")
            }
            _ => self.extra(key, value),
        }
    }

    fn base_url(&mut self) {
        let url = self.text("url").unwrap_or_default();
        let baseurl = self.text("baseurl").unwrap_or_default();
        let url = url.trim_end_matches('/');
        let path = baseurl.trim_matches('/');
        if url.is_empty() {
            if !path.is_empty() {
                self.no_setting(
                    "baseurl",
                    self.get("baseurl").cloned().as_ref(),
                    "`baseurl` without `url` cannot be converted: folio's base_url is a full address"
                        .into(),
                    "set base_url = \"https://your.host/path/\" in site.toml, or build with --base-url",
                );
            }
            return;
        }
        if !(url.starts_with("http://") || url.starts_with("https://")) {
            self.no_setting(
                "url",
                self.get("url").cloned().as_ref(),
                format!("`url: {url}` is not an http(s) address, so base_url is not set"),
                "set base_url = \"https://your.host/\" in site.toml",
            );
            return;
        }
        let full = if path.is_empty() {
            format!("{url}/")
        } else {
            format!("{url}/{path}/")
        };
        self.root.insert("base_url".into(), Toml::String(full));
        self.converted("url + baseurl → base_url");
    }

    fn footer(&mut self) {
        let back_to_top = truthy(self.get("back_to_top"));
        let text = self
            .text("back_to_top_text")
            .filter(|t| !t.is_empty())
            .unwrap_or_else(|| "Back to top".into());
        let shown = if back_to_top { text } else { String::new() };
        self.table("footer")
            .insert("back_to_top".into(), Toml::String(shown));
        self.converted("back_to_top + back_to_top_text → footer.back_to_top");
        if let Some(content) = self.text("footer_content").filter(|t| !t.is_empty()) {
            self.table("footer")
                .insert("content".into(), Toml::String(content));
            self.converted("footer_content → footer.content");
        }
        let format = self
            .text("last_edit_time_format")
            .filter(|_| truthy(self.get("last_edit_timestamp")))
            .unwrap_or_default();
        self.table("footer")
            .insert("last_modified_format".into(), Toml::String(format.clone()));
        self.converted("last_edit_timestamp + last_edit_time_format → footer.last_modified_format");
        if format.contains(['H', 'I', 'M', 'S', 'p', 'l', 'k']) {
            let note = self.config.note(
                "last_edit_time_format",
                "folio shows the date of `last_modified_date`, not its time of day",
                "keep only date fields (such as %b %e %Y) in footer.last_modified_format",
            );
            self.report.warnings.push(note);
        }
    }

    fn edit_link(&mut self) {
        let keys = [
            "gh_edit_link",
            "gh_edit_link_text",
            "gh_edit_repository",
            "gh_edit_branch",
            "gh_edit_view_mode",
        ];
        if !keys.iter().any(|k| self.get(k).is_some()) {
            return;
        }
        let all_set = keys.iter().all(|k| truthy(self.get(k)));
        if !all_set {
            self.not_needed(
                "gh_edit_*",
                "just-the-docs shows the edit link only when all of gh_edit_link, gh_edit_link_text, gh_edit_repository, gh_edit_branch and gh_edit_view_mode are set",
            );
            return;
        }
        let repository = self.text("gh_edit_repository").unwrap_or_default();
        let mut url = format!(
            "{}/{}/{}",
            repository.trim_end_matches('/'),
            self.text("gh_edit_view_mode").unwrap_or_default(),
            self.text("gh_edit_branch").unwrap_or_default()
        );
        if let Some(source) = self
            .text("gh_edit_source")
            .map(|s| s.trim_matches('/').to_string())
            .filter(|s| !s.is_empty())
        {
            let _ = write!(url, "/{source}");
        }
        url.push_str("/{path}");
        let text = self.text("gh_edit_link_text").unwrap_or_default();
        let section = self.table("edit_link");
        section.insert("url".into(), Toml::String(url));
        section.insert("text".into(), Toml::String(text));
        self.converted("gh_edit_* → edit_link");
        let note = self.config.note(
            "gh_edit_repository",
            "edit links now name the file's path in the new site (content/…)",
            "if the new site is not at the root of the repository (or at gh_edit_source), put its folder before {path} in edit_link.url",
        );
        self.report.warnings.push(note);
    }

    fn flag_to(&mut self, key: &str, section: &[&str], name: &str) {
        let on = truthy(self.get(key));
        let table = match section.first() {
            Some(section) => self.table(section),
            None => &mut self.root,
        };
        table.insert(name.into(), Toml::Boolean(on));
        let target = if section.is_empty() {
            name.to_string()
        } else {
            format!("{}.{name}", section.join("."))
        };
        self.converted(format!("{key} → {target}"));
    }

    fn aux_links(&mut self, value: Option<&Yaml>) {
        let mut links = Vec::new();
        if let Some(Yaml::Mapping(map)) = value {
            for (title, target) in map {
                let url = match target {
                    Yaml::Sequence(items) => items.first().and_then(scalar_text),
                    other => scalar_text(other),
                };
                if let (Some(title), Some(url)) = (scalar_text(title), url) {
                    let mut link = Table::new();
                    link.insert("title".into(), Toml::String(title));
                    link.insert("url".into(), Toml::String(url));
                    links.push(Toml::Table(link));
                }
            }
        } else if value.is_some_and(|v| !v.is_null()) {
            self.no_setting(
                "aux_links",
                value,
                "`aux_links` is not a mapping of titles to URLs".into(),
                "write [[aux_links]] entries with title and url in site.toml",
            );
            return;
        }
        self.root.insert("aux_links".into(), Toml::Array(links));
        self.converted("aux_links → [[aux_links]]");
    }

    fn external_links(&mut self, value: Option<&Yaml>) {
        let mut links = Vec::new();
        for item in value.and_then(Yaml::as_sequence).into_iter().flatten() {
            let Some(item) = item.as_mapping() else {
                continue;
            };
            let field = |name: &str| item.get(name).and_then(scalar_text);
            let (Some(title), Some(url)) = (field("title"), field("url")) else {
                continue;
            };
            let mut link = Table::new();
            link.insert("title".into(), Toml::String(title));
            link.insert("url".into(), Toml::String(url));
            if let Some(Yaml::Bool(new_tab)) = item.get("opens_in_new_tab") {
                link.insert("new_tab".into(), Toml::Boolean(*new_tab));
            }
            if truthy(item.get("hide_icon")) {
                link.insert("hide_icon".into(), Toml::Boolean(true));
            }
            links.push(Toml::Table(link));
        }
        self.table("nav")
            .insert("external_links".into(), Toml::Array(links));
        self.converted("nav_external_links → nav.external_links");
    }

    fn search(&mut self, value: Option<&Yaml>) {
        let Some(settings) = value.and_then(Yaml::as_mapping) else {
            return;
        };
        for (key, inner) in settings {
            let Some(key) = scalar_text(key) else {
                continue;
            };
            let path = format!("search.{key}");
            if key == "heading_level" {
                match inner.as_u64().filter(|l| (1..=6).contains(l)) {
                    Some(level) => {
                        self.table("search")
                            .insert("heading_level".into(), Toml::Integer(level as i64));
                        self.converted("search.heading_level");
                    }
                    None => self.no_setting(
                        &path,
                        Some(inner),
                        "`search.heading_level` is not a level from 1 to 6".into(),
                        "set search.heading_level in site.toml",
                    ),
                }
            } else if let Some((_, why)) = SEARCH_WITHOUT_SETTING.iter().find(|(k, _)| *k == key) {
                self.no_setting(
                    &path,
                    Some(inner),
                    format!("`{path}` has no folio setting"),
                    why,
                );
            } else {
                self.no_setting(
                    &path,
                    Some(inner),
                    format!("`{path}` is not a search setting folio knows"),
                    "folio's search settings are listed on the Guide's site.toml page",
                );
            }
        }
        // just-the-docs cuts at level 2 when the key is not set; folio's own default is 3.
        if !settings.contains_key("heading_level") {
            self.table("search")
                .insert("heading_level".into(), Toml::Integer(2));
        }
    }

    fn callouts(&mut self, value: Option<&Yaml>) {
        let Some(callouts) = value.and_then(Yaml::as_mapping) else {
            return;
        };
        let mut table = Table::new();
        for (name, settings) in callouts {
            let Some(name) = scalar_text(name) else {
                continue;
            };
            let mut callout = Table::new();
            for (key, inner) in settings.as_mapping().into_iter().flatten() {
                let key = scalar_text(key).unwrap_or_default();
                let path = format!("callouts.{name}.{key}");
                match key.as_str() {
                    "title" => {
                        if let Some(title) = scalar_text(inner) {
                            callout.insert("title".into(), Toml::String(title));
                        }
                    }
                    "color" => match scalar_text(inner) {
                        Some(color) if CALLOUT_COLORS.contains(&color.as_str()) => {
                            callout.insert("color".into(), Toml::String(color));
                        }
                        _ => self.no_setting(
                            &path,
                            Some(inner),
                            format!("the callout colour `{}` is not one of folio's", one_line_yaml(inner)),
                            "use one of blue, green, purple, yellow, red, grey-lt, grey-dk; other colours need an override of static/assets/css/folio.css",
                        ),
                    },
                    "opacity" => self.no_setting(
                        &path,
                        Some(inner),
                        "callouts have no background in folio (nor in just-the-docs 0.11 and later), so `opacity` has no use".into(),
                        "remove it; to give callouts a background, override static/assets/css/folio.css",
                    ),
                    _ => self.no_setting(
                        &path,
                        Some(inner),
                        format!("`{key}` is not a callout setting"),
                        "a callout has `title` and `color`",
                    ),
                }
            }
            table.insert(name, Toml::Table(callout));
        }
        self.root.insert("callouts".into(), Toml::Table(table));
        self.converted("callouts");
    }

    fn just_the_docs(&mut self, value: Option<&Yaml>) {
        let collections = value
            .and_then(|v| v.get("collections"))
            .and_then(Yaml::as_mapping);
        for (name, settings) in collections.into_iter().flatten() {
            let name = scalar_text(name).unwrap_or_default();
            self.no_setting(
                &format!("just_the_docs.collections.{name}"),
                Some(settings),
                format!("folio has no setting yet for showing the collection `{name}` as its own section of the navigation"),
                "its pages are imported at their URLs and join the main navigation by their `parent`; collections that just-the-docs leaves out of the navigation or search get `nav_exclude`/`search_exclude`",
            );
        }
        let other: Vec<String> = value
            .and_then(Yaml::as_mapping)
            .into_iter()
            .flatten()
            .filter_map(|(k, _)| scalar_text(k))
            .filter(|k| k != "collections")
            .collect();
        for key in other {
            let path = format!("just_the_docs.{key}");
            let inner = value.and_then(|v| v.get(key.as_str())).cloned();
            self.no_setting(
                &path,
                inner.as_ref(),
                format!("`{path}` has no folio setting"),
                "see the Guide's site.toml page for folio's settings",
            );
        }
    }

    fn kramdown(&mut self, value: Option<&Yaml>) {
        let Some(settings) = value.and_then(Yaml::as_mapping) else {
            return;
        };
        for (key, inner) in settings {
            let key = scalar_text(key).unwrap_or_default();
            let path = format!("kramdown.{key}");
            let text = scalar_text(inner).unwrap_or_default();
            match key.as_str() {
                "toc_levels" => {
                    let levels = match inner {
                        Yaml::Sequence(items) => {
                            let numbers: Vec<u64> = items.iter().filter_map(Yaml::as_u64).collect();
                            match (numbers.iter().min(), numbers.iter().max()) {
                                (Some(low), Some(high)) => format!("{low}..{high}"),
                                _ => String::new(),
                            }
                        }
                        _ => text.replace('-', ".."),
                    };
                    if crate::config::TocLevels::parse(&levels).is_some() {
                        self.table("markdown")
                            .insert("toc_levels".into(), Toml::String(levels));
                        self.converted("kramdown.toc_levels → markdown.toc_levels");
                    } else {
                        self.no_setting(
                            &path,
                            Some(inner),
                            format!("`{path}` is not a range of heading levels"),
                            "set markdown.toc_levels = \"2..4\" in site.toml",
                        );
                    }
                }
                "input" if text.eq_ignore_ascii_case("gfm") => {
                    self.not_needed(&path, "folio reads GFM input, as Jekyll does by default")
                }
                "syntax_highlighter" if text == "rouge" => {
                    self.not_needed(&path, "folio highlights code with its own highlighter")
                }
                "auto_ids"
                | "parse_block_html"
                | "parse_span_html"
                | "hard_wrap"
                | "footnote_nr"
                | "entity_output"
                | "smart_quotes"
                | "typographic_symbols"
                | "show_warnings"
                | "transliterated_header_ids"
                | "header_offset"
                | "input"
                | "syntax_highlighter"
                | "math_engine"
                | "guess_lang"
                | "syntax_highlighter_opts"
                | "gfm_quirks"
                | "footnote_backlink"
                | "remove_block_html_tags"
                | "remove_span_html_tags"
                | "auto_id_prefix"
                | "auto_id_stripping"
                | "html_to_native"
                | "coderay" => {
                    if is_jekyll_kramdown_default(&key, inner) {
                        self.not_needed(&path, "it is Jekyll's default, which folio follows");
                    } else {
                        self.no_setting(
                            &path,
                            Some(inner),
                            format!("`{path}` has no folio setting"),
                            "folio renders Markdown as Jekyll does with its default kramdown options; check the pages that depend on this one",
                        );
                    }
                }
                _ => self.no_setting(
                    &path,
                    Some(inner),
                    format!("`{path}` is not a kramdown option folio knows"),
                    "folio renders Markdown as Jekyll does with its default kramdown options",
                ),
            }
        }
    }

    fn theme(&mut self, key: &str) {
        let name = self.text(key).unwrap_or_default();
        if name.to_ascii_lowercase().contains("just-the-docs") {
            self.converted(format!(
                "{key}: {name} (folio's built-in theme is its port)"
            ));
        } else {
            self.no_setting(
                key,
                self.get(key).cloned().as_ref(),
                format!("the theme `{name}` is not just-the-docs, so the site will look different"),
                "folio has one built-in theme, modelled on just-the-docs; override its templates to change it",
            );
        }
    }

    fn plugins(&mut self, key: &str, value: Option<&Yaml>) {
        let names: Vec<String> = match value {
            Some(Yaml::Sequence(items)) => items.iter().filter_map(scalar_text).collect(),
            _ => Vec::new(),
        };
        for name in names {
            let (converted, advice) = plugin_advice(&name);
            if converted {
                self.not_needed(&format!("plugin {name}"), advice);
            } else {
                let note =
                    self.config
                        .note(key, format!("the plugin `{name}` is not imported"), advice);
                self.report.warnings.push(note);
            }
        }
    }

    fn extra(&mut self, key: &str, value: Option<&Yaml>) {
        match value.and_then(to_toml) {
            Some(converted) => {
                self.table("extra").insert(key.to_string(), converted);
                self.report.config_extra.push(key.to_string());
            }
            None => self.not_needed(key, "it has no value"),
        }
    }

    fn finish(self) -> String {
        let mut text = format!(
            "# Imported from {} by `folio import`. Every setting is described on the Guide's\n# site.toml page.\n\n",
            if self.config.file.is_empty() {
                "a site without _config.yml"
            } else {
                &self.config.file
            }
        );
        text.push_str(&toml::to_string(&self.root).unwrap_or_default());
        if !self.without_setting.is_empty() {
            text.push_str(
                "\n# Settings of the Jekyll configuration that folio has no setting for (the import\n# printed what to do instead):\n",
            );
            for line in &self.without_setting {
                for part in line.lines() {
                    let _ = writeln!(text, "#   {part}");
                }
            }
        }
        text
    }
}

const HEAD_SNIPPET: &str =
    "add the analytics snippet to an override of templates/partials/head.html";

/// Jekyll's own kramdown defaults, which folio follows.
fn is_jekyll_kramdown_default(key: &str, value: &Yaml) -> bool {
    match (key, value) {
        ("auto_ids", Yaml::Bool(true)) | ("hard_wrap", Yaml::Bool(false)) => true,
        ("input", v) => scalar_text(v).is_some_and(|t| t.eq_ignore_ascii_case("gfm")),
        ("syntax_highlighter", v) => scalar_text(v).as_deref() == Some("rouge"),
        ("entity_output", v) => scalar_text(v).as_deref() == Some("as_char"),
        ("smart_quotes", v) => {
            scalar_text(v).is_some_and(|t| t.replace(' ', "") == "lsquo,rsquo,ldquo,rdquo")
        }
        ("syntax_highlighter_opts", Yaml::Mapping(map)) => {
            // Line numbers off is the only value just-the-docs sites set, and folio's way.
            map.iter().all(|(k, v)| {
                scalar_text(k).as_deref() == Some("block")
                    && v.get("line_numbers")
                        .is_some_and(|n| matches!(n, Yaml::Bool(false)))
                    && v.as_mapping().is_some_and(|m| m.len() == 1)
            })
        }
        ("footnote_nr", v) => v.as_u64() == Some(1),
        ("show_warnings", _) | ("guess_lang", _) => true,
        _ => false,
    }
}

/// A YAML value as TOML; `None` for nulls, which TOML cannot say.
pub(super) fn to_toml(value: &Yaml) -> Option<Toml> {
    Some(match value {
        Yaml::Null => return None,
        Yaml::Bool(flag) => Toml::Boolean(*flag),
        Yaml::Number(number) => match number.as_i64() {
            Some(integer) => Toml::Integer(integer),
            None => Toml::Float(number.as_f64()?),
        },
        Yaml::String(text) => Toml::String(text.clone()),
        Yaml::Sequence(items) => Toml::Array(items.iter().filter_map(to_toml).collect()),
        Yaml::Mapping(map) => Toml::Table(
            map.iter()
                .filter_map(|(k, v)| Some((scalar_text(k)?, to_toml(v)?)))
                .collect(),
        ),
        Yaml::Tagged(tagged) => return to_toml(&tagged.value),
    })
}

/// A short one-line YAML form of a value, for comments.
fn one_line_yaml(value: &Yaml) -> String {
    match serde_json::to_string(value) {
        Ok(json) if !matches!(value, Yaml::String(_)) => json,
        _ => scalar_text(value).unwrap_or_default(),
    }
}

/// A diagnostic for a site.toml the import wrote but folio refuses: a bug in the import.
pub(super) fn self_check(text: &str) -> Vec<Diagnostic> {
    match crate::config::parse(text, std::path::Path::new(crate::config::CONFIG_FILE)) {
        Ok(_) => Vec::new(),
        Err(problems) => problems
            .into_iter()
            .map(|p| {
                Diagnostic::error(format!(
                    "the site.toml written by the import is refused: {}",
                    p.message
                ))
                .with_help("this is a bug in `folio import`; please report it with the _config.yml")
            })
            .collect(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::import::jekyll_config::parse;

    fn convert_text(yaml: &str) -> (String, Report) {
        let config = parse("_config.yml", yaml).unwrap();
        let mut report = Report::default();
        let converted = convert(&config, &mut report);
        (converted.text, report)
    }

    #[test]
    fn settings_are_converted_and_the_result_is_valid() {
        let (text, report) = convert_text(
            "title: T\ndescription: D\nurl: https://x.org\nbaseurl: /docs\nlang: fr\naux_links:\n  GitHub:\n    - https://github.com/x\naux_links_new_tab: true\nnav_external_links:\n  - title: Ext\n    url: https://e.org\n    hide_icon: true\n    opens_in_new_tab: false\nnav_sort: case_insensitive\nheading_anchors: false\nback_to_top: true\nback_to_top_text: Up\nfooter_content: '<b>F</b>'\nlast_edit_timestamp: true\nlast_edit_time_format: '%b %e %Y'\ngh_edit_link: true\ngh_edit_link_text: Edit\ngh_edit_repository: https://github.com/x/y\ngh_edit_branch: main\ngh_edit_view_mode: edit\ngh_edit_source: docs\nsearch_enabled: true\nsearch:\n  heading_level: 3\n  previews: 2\ncallouts:\n  warning:\n    title: Warning\n    color: red\n    opacity: 0.3\n  odd:\n    color: pink\ncallouts_level: loud\nmy_value: 3\n",
        );
        assert!(self_check(&text).is_empty(), "{text}");
        let config = crate::config::parse(&text, std::path::Path::new("site.toml")).unwrap();
        assert_eq!(config.title, "T");
        assert_eq!(config.language, "fr");
        assert_eq!(config.base_url.as_deref(), Some("https://x.org/docs/"));
        assert_eq!(config.aux_links[0].url, "https://github.com/x");
        assert!(config.aux_links_new_tab);
        assert_eq!(config.nav.external_links[0].new_tab, Some(false));
        assert!(config.nav.external_links[0].hide_icon);
        assert_eq!(config.nav.sort, crate::config::NavSort::CaseInsensitive);
        assert!(!config.markdown.heading_anchors);
        assert_eq!(config.footer.back_to_top, "Up");
        assert_eq!(config.footer.content, "<b>F</b>");
        assert_eq!(config.footer.last_modified_format, "%b %e %Y");
        assert_eq!(
            config.edit_link.url,
            "https://github.com/x/y/edit/main/docs/{path}"
        );
        assert_eq!(config.search.heading_level, 3);
        assert_eq!(config.callouts["warning"].color.as_deref(), Some("red"));
        assert_eq!(config.callouts["odd"].color, None);
        assert_eq!(config.extra["my_value"].as_integer(), Some(3));
        let warned = |key: &str| report.warnings.iter().any(|w| w.message.contains(key));
        assert!(warned("search.previews"));
        assert!(warned("opacity"));
        assert!(warned("pink"));
        assert!(warned("callouts_level"));
        assert!(text.contains("#   callouts_level: loud"), "{text}");
    }

    #[test]
    fn jekyll_defaults_differ_from_folios() {
        let (text, _) = convert_text("title: T\n");
        let config = crate::config::parse(&text, std::path::Path::new("site.toml")).unwrap();
        // just-the-docs shows no back-to-top link and no dates unless told to, and cuts
        // search sections at h2.
        assert_eq!(config.footer.back_to_top, "");
        assert_eq!(config.footer.last_modified_format, "");
        assert!(config.edit_link.url.is_empty());
    }

    #[test]
    fn every_key_is_accounted_for() {
        let (_, report) = convert_text(
            "title: T\nsass: {quiet_deps: true}\nplugins: [jekyll-seo-tag, jekyll-feed]\nnull_key:\nkramdown:\n  input: GFM\n  hard_wrap: true\n",
        );
        assert!(
            report
                .config_not_needed
                .iter()
                .any(|n| n.starts_with("sass"))
        );
        assert!(
            report
                .config_not_needed
                .iter()
                .any(|n| n.contains("jekyll-seo-tag"))
        );
        assert!(
            report
                .config_not_needed
                .iter()
                .any(|n| n.starts_with("null_key"))
        );
        assert!(
            report
                .warnings
                .iter()
                .any(|w| w.message.contains("jekyll-feed"))
        );
        let hard_wrap = report
            .warnings
            .iter()
            .find(|w| w.message.contains("kramdown.hard_wrap"))
            .unwrap();
        assert_eq!(hard_wrap.line, Some(7));
    }
}
