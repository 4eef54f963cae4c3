//! `site.toml`: the site's settings, their defaults, and the checks on them.
//!
//! Entry point: [`load`]. Every key has a default, so an empty (or missing) `site.toml` is a
//! valid site. Unknown keys are errors that name the closest known key, because a misspelt
//! setting that is silently ignored costs writers far more time than an error.

mod keys;
mod schema;

pub use keys::KeyLines;

use std::path::{Path, PathBuf};

use crate::diagnostics::{Diagnostic, line_col};

pub use schema::*;

/// The name of the configuration file at the site root.
pub const CONFIG_FILE: &str = "site.toml";

/// Reads and checks `root/site.toml`. A missing file gives the defaults.
pub fn load(root: &Path) -> Result<SiteConfig, Vec<Diagnostic>> {
    let path = root.join(CONFIG_FILE);
    let text = match std::fs::read_to_string(&path) {
        Ok(text) => text,
        Err(err) if err.kind() == std::io::ErrorKind::NotFound => return Ok(SiteConfig::default()),
        Err(err) => {
            return Err(vec![
                Diagnostic::error(format!("cannot read the configuration: {err}"))
                    .in_file(CONFIG_FILE),
            ]);
        }
    };
    parse(&text, Path::new(CONFIG_FILE))
}

/// Parses configuration text; `file` is only used in messages.
pub fn parse(text: &str, file: &Path) -> Result<SiteConfig, Vec<Diagnostic>> {
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    let located = |err: &toml::de::Error| {
        let mut diagnostic = Diagnostic::error(first_line(err.message())).in_file(file);
        if let Some(span) = err.span() {
            let (line, column) = line_col(text, span.start);
            diagnostic = diagnostic.at(line, column);
        }
        diagnostic
    };
    let table = match toml::de::DeTable::parse(text) {
        Ok(table) => table,
        Err(err) => {
            return Err(vec![
                located(&err).with_help("site.toml must be valid TOML (https://toml.io)"),
            ]);
        }
    };
    let (unknown, lines) = keys::walk_keys(text, table.get_ref());
    let mut problems: Vec<Diagnostic> = unknown.into_iter().map(|d| d.in_file(file)).collect();
    let mut config: SiteConfig =
        match toml::from_str(text) {
            Ok(config) => config,
            Err(err) => {
                problems.push(located(&err).with_help(
                    "the Guide's site.toml page lists the type and default of every key",
                ));
                return Err(problems);
            }
        };
    config.lines = lines;
    problems.extend(config.validate().into_iter().map(|d| d.in_file(file)));
    if problems.is_empty() {
        Ok(config)
    } else {
        Err(problems)
    }
}

fn first_line(message: &str) -> String {
    message.lines().next().unwrap_or(message).trim().to_string()
}

/// The folders of a site, resolved from its root.
#[derive(Debug, Clone)]
pub struct SitePaths {
    pub root: PathBuf,
    pub content: PathBuf,
    pub templates: PathBuf,
    pub static_dir: PathBuf,
    /// Files for Liquid's `{% include %}`.
    pub includes: PathBuf,
    /// Data files for Liquid's `site.data`.
    pub data: PathBuf,
    pub output: PathBuf,
}

impl SitePaths {
    pub fn new(root: &Path, config: &SiteConfig, output_override: Option<&Path>) -> SitePaths {
        let output = match output_override {
            Some(dir) if dir.is_absolute() => dir.to_path_buf(),
            Some(dir) => std::env::current_dir()
                .map(|cwd| cwd.join(dir))
                .unwrap_or_else(|_| dir.to_path_buf()),
            None => root.join(&config.output),
        };
        SitePaths {
            root: root.to_path_buf(),
            content: root.join("content"),
            templates: root.join("templates"),
            static_dir: root.join("static"),
            includes: root.join("includes"),
            data: root.join("data"),
            output,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse_str(text: &str) -> Result<SiteConfig, Vec<Diagnostic>> {
        parse(text, Path::new("site.toml"))
    }

    #[test]
    fn empty_config_has_defaults() {
        let config = parse_str("").unwrap();
        assert_eq!(config.title, "Handbook");
        assert_eq!(config.output, PathBuf::from("public"));
        assert!(config.markdown.smart_punctuation);
        assert_eq!(config.markdown.toc_levels.range(), (1, 6));
        assert_eq!(config.base_path(), "");
    }

    #[test]
    fn unknown_keys_are_reported_with_line_and_suggestion() {
        let errors = parse_str("titel = \"x\"\n[markdown]\nsmart_quotes = true\n").unwrap_err();
        assert_eq!(errors.len(), 2, "{errors:?}");
        assert_eq!(errors[0].line, Some(1));
        assert!(errors[0].message.contains("titel"));
        assert!(errors[0].help.as_deref().unwrap().contains("`title`"));
        assert_eq!(errors[1].line, Some(3));
        assert!(errors[1].message.contains("markdown.smart_quotes"));
        assert!(
            errors[1]
                .help
                .as_deref()
                .unwrap()
                .contains("smart_punctuation")
        );
    }

    #[test]
    fn type_errors_have_a_location() {
        let errors = parse_str("title = \"ok\"\nlanguage = 3\n").unwrap_err();
        assert_eq!(errors.len(), 1);
        assert_eq!(errors[0].line, Some(2));
    }

    #[test]
    fn base_url_gives_a_base_path() {
        let config = parse_str("base_url = \"https://example.org/handbook/\"").unwrap();
        assert_eq!(config.base_path(), "/handbook");
        let config = parse_str("base_url = \"https://example.org\"").unwrap();
        assert_eq!(config.base_path(), "");
        let errors = parse_str("base_url = \"example.org/x\"").unwrap_err();
        assert!(errors[0].message.contains("base_url"));
    }

    #[test]
    fn toc_levels_are_checked_at_their_line() {
        let config = parse_str("[markdown]\ntoc_levels = \"2..4\"").unwrap();
        assert_eq!(config.markdown.toc_levels.range(), (2, 4));
        let errors = parse_str("title = \"x\"\n[markdown]\ntoc_levels = \"4..2\"").unwrap_err();
        assert_eq!(errors[0].line, Some(3), "{errors:?}");
    }

    #[test]
    fn callouts_have_builtin_defaults_and_accept_more() {
        let config = parse_str("[callouts.highlight]\ncolor = \"yellow\"\n").unwrap();
        let callouts = config.callouts();
        assert_eq!(callouts["note"].title, "Note");
        assert_eq!(callouts["highlight"].color, "yellow");
        assert_eq!(callouts["highlight"].title, "Highlight");
    }
}
