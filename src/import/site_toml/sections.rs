//! The `_config.yml` keys that hold lists and mappings: links, search, callouts,
//! collections' navigation, kramdown options, theme and plugins, and the keys kept under
//! `[extra]`.

use serde_yaml::Value as Yaml;
use toml::{Table, Value as Toml};

use super::{Builder, one_line_yaml, to_toml};
use crate::config::CALLOUT_COLORS;
use crate::import::jekyll_config::{scalar_text, truthy};
use crate::import::theme::plugin_advice;

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
impl Builder<'_> {
    pub(super) fn aux_links(&mut self, value: Option<&Yaml>) {
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

    pub(super) fn external_links(&mut self, value: Option<&Yaml>) {
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

    pub(super) fn search(&mut self, value: Option<&Yaml>) {
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

    pub(super) fn callouts(&mut self, value: Option<&Yaml>) {
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
            // just-the-docs shows no title for a callout configured without one.
            callout
                .entry("title")
                .or_insert_with(|| Toml::String(String::new()));
            table.insert(name, Toml::Table(callout));
        }
        self.root.insert("callouts".into(), Toml::Table(table));
        self.converted("callouts");
    }

    pub(super) fn just_the_docs(&mut self, value: Option<&Yaml>) {
        let collections = value
            .and_then(|v| v.get("collections"))
            .and_then(Yaml::as_mapping);
        // Each collection just-the-docs lists is a section of the sidebar, in its order; its
        // documents are imported under `content/_<name>/`.
        let mut sections = Vec::new();
        for (name, settings) in collections.into_iter().flatten() {
            let name = scalar_text(name).unwrap_or_default();
            let mut table = toml::Table::new();
            table.insert("folder".into(), Toml::String(format!("_{name}")));
            if let Some(title) = settings.get("name").and_then(scalar_text) {
                table.insert("name".into(), Toml::String(title));
            }
            for flag in ["nav_fold", "nav_exclude", "search_exclude"] {
                if settings.get(flag).and_then(Yaml::as_bool) == Some(true) {
                    table.insert(flag.into(), Toml::Boolean(true));
                }
            }
            sections.push(Toml::Table(table));
        }
        if !sections.is_empty() {
            self.root
                .insert("collections".into(), Toml::Array(sections));
            self.converted("just_the_docs.collections → [[collections]]");
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

    pub(super) fn kramdown(&mut self, value: Option<&Yaml>) {
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

    pub(super) fn theme(&mut self, key: &str) {
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

    pub(super) fn plugins(&mut self, key: &str, value: Option<&Yaml>) {
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

    pub(super) fn extra(&mut self, key: &str, value: Option<&Yaml>) {
        match value.and_then(to_toml) {
            Some(converted) => {
                self.table("extra").insert(key.to_string(), converted);
                self.report.config_extra.push(key.to_string());
            }
            None => self.not_needed(key, "it has no value"),
        }
    }
}

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

impl Builder<'_> {
    /// `site.github.*` as jekyll-github-metadata gives it, for what follows from the
    /// `repository: owner/name` key alone: the plugin asks GitHub's API for the rest, and a
    /// build here stays offline. Pages link to `{{ site.github.repository_url }}/blob/…`.
    pub(super) fn github_metadata(&mut self) {
        let Some(nwo) = self.text("repository") else {
            return;
        };
        let Some((owner, name)) = nwo.split_once('/') else {
            return;
        };
        if owner.is_empty() || name.is_empty() || name.contains('/') {
            return;
        }
        let owner_url = format!("https://github.com/{owner}");
        let repository_url = format!("{owner_url}/{name}");
        let github: Table = [
            ("repository_nwo", nwo.clone()),
            ("owner_name", owner.to_string()),
            ("repository_name", name.to_string()),
            ("project_title", name.to_string()),
            ("owner_url", owner_url),
            ("issues_url", format!("{repository_url}/issues")),
            ("releases_url", format!("{repository_url}/releases")),
            ("clone_url", format!("{repository_url}.git")),
            ("repository_url", repository_url),
        ]
        .into_iter()
        .map(|(key, value)| (key.to_string(), Toml::String(value)))
        .collect();
        let extra = self.table("extra");
        if !extra.contains_key("github") {
            extra.insert("github".into(), Toml::Table(github));
            self.report.config_extra.push("github".into());
        }
    }
}
