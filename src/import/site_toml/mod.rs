//! `_config.yml` → `site.toml`: every key of the Jekyll configuration is converted to folio's
//! setting, recognised as not needed (with the reason), or reported as having no folio setting
//! (with what to do instead). Keys the import does not know are kept under `[extra]`, where
//! templates and Liquid find them.

mod sections;
#[cfg(test)]
mod tests;

use std::fmt::Write as _;

use serde_yaml::Value as Yaml;
use toml::{Table, Value as Toml};

use super::jekyll_config::{JekyllConfig, scalar_text, truthy};
use super::report::Report;
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
    let keys: Vec<String> = config.map.keys().filter_map(scalar_text).collect();
    builder.site_keys();
    for key in &keys {
        builder.key(key);
    }
    builder.keep_for_liquid(&keys);
    builder.github_metadata();
    Converted {
        text: builder.finish(),
    }
}

/// Keys whose `site.*` value folio's Liquid gives itself, or that only steer Jekyll: not
/// copied to `[extra]`.
const NOT_FOR_LIQUID: &[&str] = &[
    "title",
    "description",
    "url",
    "baseurl",
    "time",
    "pages",
    "data",
    "plugins",
    "gems",
    "defaults",
    "collections",
    "kramdown",
    "markdown",
    "highlighter",
    "theme",
    "remote_theme",
    "just_the_docs",
];

impl Builder<'_> {
    /// Pages read `_config.yml`'s keys as `site.<key>` in Liquid (`site.gh_edit_repository`,
    /// `{% if site.search_enabled != false %}`), also those converted to folio settings: their
    /// values are kept under `[extra]`, which folio's Liquid shows as `site.*`.
    fn keep_for_liquid(&mut self, keys: &[String]) {
        for key in keys {
            if NOT_FOR_LIQUID.contains(&key.as_str()) || BUILD_ONLY.contains(&key.as_str()) {
                continue;
            }
            let Some(value) = self.get(key).and_then(to_toml) else {
                continue;
            };
            let extra = self.table("extra");
            if !extra.contains_key(key.as_str()) {
                extra.insert(key.clone(), value);
                self.report.config_extra.push(key.clone());
            }
        }
    }

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
