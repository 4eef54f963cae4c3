//! Reads a Jekyll site's `_config.yml`: the YAML itself, the line of every key (so that every
//! message can point at it), and the settings that decide which files Jekyll publishes and
//! where (permalink style, `exclude`/`include`, collections, front-matter defaults, the special
//! folders).

use std::path::Path;

use serde_yaml::{Mapping, Value};

use crate::diagnostics::Diagnostic;

/// The names Jekyll looks for, in its order.
const CONFIG_NAMES: &[&str] = &["_config.yml", "_config.yaml"];

/// What `_config.yml` says, with the defaults Jekyll 4 applies.
#[derive(Debug, Clone)]
pub(super) struct JekyllConfig {
    /// The file name as found (`_config.yml`), for messages; empty when the site has none.
    pub file: String,
    /// Every top-level key, as written.
    pub map: Mapping,
    /// The line of each key, by its dotted path (`search.heading_level`).
    lines: Vec<(String, usize)>,
    /// `permalink`: `date` (Jekyll's default), `pretty`, `ordinal`, `none` or a template.
    pub permalink: String,
    /// `exclude` with Jekyll's own default exclusions added, as Jekyll 4 does.
    pub exclude: Vec<String>,
    pub include: Vec<String>,
    pub collections: Vec<Collection>,
    /// `collections_dir`, without slashes at either end (`""` for the site root).
    pub collections_dir: String,
    pub defaults: Vec<DefaultSet>,
    pub layouts_dir: String,
    pub includes_dir: String,
    pub data_dir: String,
    pub plugins_dir: String,
    pub sass_dir: String,
    /// File extensions (lower case, no dot) read as Markdown.
    pub markdown_ext: Vec<String>,
    /// Where Jekyll writes the site, relative to the site folder; never read as source.
    pub destination: String,
}

/// One entry of `collections:`.
#[derive(Debug, Clone)]
pub(super) struct Collection {
    pub label: String,
    /// `output: true`: Jekyll writes a page for each document.
    pub output: bool,
    /// The collection's URL template, when it has one.
    pub permalink: Option<String>,
}

/// One entry of `defaults:`.
#[derive(Debug, Clone)]
pub(super) struct DefaultSet {
    /// `scope.path`, `""` when absent (every path).
    pub path: String,
    /// `scope.type` (`pages`, `posts`, `drafts` or a collection label).
    pub kind: Option<String>,
    pub values: Mapping,
}

/// Jekyll 4 always adds these to `exclude`.
const DEFAULT_EXCLUDES: &[&str] = &[
    ".sass-cache",
    ".jekyll-cache",
    "gemfiles",
    "Gemfile",
    "Gemfile.lock",
    "node_modules",
    "vendor/bundle/",
    "vendor/cache/",
    "vendor/gems/",
    "vendor/ruby/",
];

impl JekyllConfig {
    /// The line of a key given by its dotted path, when it was found.
    pub fn line_of(&self, path: &str) -> Option<usize> {
        self.lines.iter().find(|(p, _)| p == path).map(|(_, l)| *l)
    }

    /// A warning about a key of `_config.yml`, placed at its line.
    pub fn note(&self, path: &str, message: impl Into<String>, help: &str) -> Diagnostic {
        let mut diagnostic = Diagnostic::warning(message).with_help(help);
        if !self.file.is_empty() {
            diagnostic = diagnostic.in_file(&self.file);
            if let Some(line) = self.line_of(path) {
                diagnostic = diagnostic.at_line(line);
            }
        }
        diagnostic
    }

    /// A top-level value.
    pub fn get(&self, key: &str) -> Option<&Value> {
        self.map.get(key)
    }

    /// A value under a top-level mapping (`search` → `heading_level`).
    pub fn get_in(&self, key: &str, inner: &str) -> Option<&Value> {
        self.map.get(key)?.as_mapping()?.get(inner)
    }
}

/// Reads `_config.yml` (or `_config.yaml`) of the site at `root`; a site without one has
/// Jekyll's defaults.
pub(super) fn read(root: &Path) -> Result<JekyllConfig, Vec<Diagnostic>> {
    let Some(name) = CONFIG_NAMES.iter().find(|name| root.join(name).is_file()) else {
        return from_mapping(String::new(), Mapping::new(), Vec::new());
    };
    let text = std::fs::read_to_string(root.join(name)).map_err(|err| {
        vec![
            Diagnostic::error(format!("cannot read the Jekyll configuration: {err}"))
                .in_file(*name)
                .with_help("check that the file is readable UTF-8 text"),
        ]
    })?;
    parse(name, &text)
}

/// Parses the text of `_config.yml`; `name` is used in messages.
pub(super) fn parse(name: &str, text: &str) -> Result<JekyllConfig, Vec<Diagnostic>> {
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    let value: Value = if text.trim().is_empty() {
        Value::Mapping(Mapping::new())
    } else {
        serde_yaml::from_str(text).map_err(|err| {
            let (problem, place) = yaml_error(&err);
            let mut diagnostic = Diagnostic::error(format!(
                "the Jekyll configuration is not valid YAML: {problem}"
            ))
            .in_file(name)
            .with_help("fix the YAML (check the quoting and indentation), then import again");
            if let Some((line, column)) = place {
                diagnostic = diagnostic.at(line, column);
            }
            vec![diagnostic]
        })?
    };
    let map = match value {
        Value::Mapping(map) => map,
        Value::Null => Mapping::new(),
        _ => {
            return Err(vec![
                Diagnostic::error("the Jekyll configuration is not a set of `key: value` lines")
                    .in_file(name)
                    .at_line(1)
                    .with_help("write one `key: value` per line, e.g. `title: My site`"),
            ]);
        }
    };
    from_mapping(name.to_string(), map, key_lines(text))
}

/// What a YAML error says and where the writer must look (1-based line and column): where
/// the construct that failed starts ("while parsing a flow sequence at line 2 column 6"),
/// else where the parser stopped.
pub(super) fn yaml_error(err: &serde_yaml::Error) -> (String, Option<(usize, usize)>) {
    let full = err.to_string();
    let (problem, context) = match full.split_once(", while ") {
        Some((problem, context)) => (problem, Some(context)),
        None => (full.as_str(), None),
    };
    let problem = problem
        .split(" at line ")
        .next()
        .unwrap_or(problem)
        .to_string();
    let mut place = err.location().map(|l| (l.line(), l.column()));
    if let Some((_, at)) = context.and_then(|c| c.split_once(" at line "))
        && let Some((line, column)) = at.split_once(" column ")
        && let (Ok(line), Ok(column)) = (line.trim().parse(), column.trim().parse())
    {
        place = Some((line, column));
    }
    (problem, place)
}

fn from_mapping(
    file: String,
    map: Mapping,
    lines: Vec<(String, usize)>,
) -> Result<JekyllConfig, Vec<Diagnostic>> {
    let mut config = JekyllConfig {
        file,
        map,
        lines,
        permalink: "date".into(),
        exclude: Vec::new(),
        include: vec![".htaccess".into()],
        collections: Vec::new(),
        collections_dir: String::new(),
        defaults: Vec::new(),
        layouts_dir: "_layouts".into(),
        includes_dir: "_includes".into(),
        data_dir: "_data".into(),
        plugins_dir: "_plugins".into(),
        sass_dir: "_sass".into(),
        markdown_ext: ["markdown", "mkdown", "mkdn", "mkd", "md"]
            .map(String::from)
            .to_vec(),
        destination: "_site".into(),
    };
    let mut problems = Vec::new();
    let mut error = |config: &JekyllConfig, key: &str, message: String, help: &str| {
        let mut diagnostic = Diagnostic::error(message)
            .in_file(&config.file)
            .with_help(help.to_string());
        if let Some(line) = config.line_of(key) {
            diagnostic = diagnostic.at_line(line);
        }
        problems.push(diagnostic);
    };

    if let Some(value) = config.get("permalink") {
        match scalar_text(value) {
            Some(text) if !text.is_empty() => config.permalink = text,
            Some(_) => {}
            None => error(
                &config,
                "permalink",
                "`permalink` must be a style name or a URL template".into(),
                "e.g. `permalink: pretty`",
            ),
        }
    }
    for (key, target) in [("exclude", 0), ("include", 1)] {
        let Some(value) = config.get(key) else {
            continue;
        };
        match string_list(value) {
            Some(list) => {
                if target == 0 {
                    config.exclude = list;
                } else {
                    config.include = list;
                }
            }
            None => error(
                &config,
                key,
                format!("`{key}` must be a list of paths"),
                "write one `- path` per line under it",
            ),
        }
    }
    for default in DEFAULT_EXCLUDES {
        if !config.exclude.iter().any(|e| e == default) {
            config.exclude.push(default.to_string());
        }
    }
    for (key, slot) in [
        ("collections_dir", 0),
        ("layouts_dir", 1),
        ("includes_dir", 2),
        ("data_dir", 3),
        ("plugins_dir", 4),
        ("destination", 5),
    ] {
        let Some(value) = config.get(key) else {
            continue;
        };
        let Some(text) = scalar_text(value) else {
            error(
                &config,
                key,
                format!("`{key}` must be a folder name"),
                "e.g. `_folder`",
            );
            continue;
        };
        let text = text.trim_matches('/').to_string();
        match slot {
            0 => config.collections_dir = text,
            1 => config.layouts_dir = text,
            2 => config.includes_dir = text,
            3 => config.data_dir = text,
            4 => config.plugins_dir = text,
            _ => config.destination = text.strip_prefix("./").unwrap_or(&text).to_string(),
        }
    }
    if let Some(dir) = config
        .get_in("sass", "sass_dir")
        .and_then(scalar_text)
        .filter(|d| !d.is_empty())
    {
        config.sass_dir = dir.trim_matches('/').to_string();
    }
    if let Some(value) = config.get("markdown_ext") {
        match scalar_text(value) {
            Some(text) => {
                config.markdown_ext = text
                    .split(',')
                    .map(|e| e.trim().trim_start_matches('.').to_ascii_lowercase())
                    .filter(|e| !e.is_empty())
                    .collect()
            }
            None => error(
                &config,
                "markdown_ext",
                "`markdown_ext` must be a comma-separated list of extensions".into(),
                "e.g. `markdown_ext: \"md,markdown\"`",
            ),
        }
    }
    match read_collections(&config) {
        Ok(collections) => config.collections = collections,
        Err(message) => error(
            &config,
            "collections",
            message,
            "write `collections:` as a mapping of names to settings, e.g. `tests: {output: true}`",
        ),
    }
    match read_defaults(&config) {
        Ok(defaults) => config.defaults = defaults,
        Err(message) => error(
            &config,
            "defaults",
            message,
            "each entry of `defaults:` needs `values:` (a mapping) and may have `scope:` with `path` and `type`",
        ),
    }
    if problems.is_empty() {
        Ok(config)
    } else {
        Err(problems)
    }
}

/// Text of a scalar; `None` for lists and mappings.
pub(super) fn scalar_text(value: &Value) -> Option<String> {
    match value {
        Value::String(text) => Some(text.clone()),
        Value::Number(number) => Some(number.to_string()),
        Value::Bool(flag) => Some(flag.to_string()),
        Value::Null => Some(String::new()),
        Value::Tagged(tagged) => scalar_text(&tagged.value),
        Value::Sequence(_) | Value::Mapping(_) => None,
    }
}

/// Whether a value is "truthy" as Liquid and Ruby see it: everything but `false` and nil.
pub(super) fn truthy(value: Option<&Value>) -> bool {
    !matches!(value, None | Some(Value::Null) | Some(Value::Bool(false)))
}

fn string_list(value: &Value) -> Option<Vec<String>> {
    match value {
        Value::Sequence(items) => items.iter().map(scalar_text).collect(),
        Value::Null => Some(Vec::new()),
        Value::String(text) => Some(vec![text.clone()]),
        _ => None,
    }
}

fn read_collections(config: &JekyllConfig) -> Result<Vec<Collection>, String> {
    let mut collections = Vec::new();
    match config.get("collections") {
        None | Some(Value::Null) => {}
        Some(Value::Sequence(names)) => {
            for name in names {
                let label = scalar_text(name)
                    .filter(|l| !l.is_empty())
                    .ok_or("a collection name in `collections` is not text")?;
                collections.push(Collection {
                    label,
                    output: false,
                    permalink: None,
                });
            }
        }
        Some(Value::Mapping(map)) => {
            for (name, settings) in map {
                let label = scalar_text(name)
                    .filter(|l| !l.is_empty())
                    .ok_or("a collection name in `collections` is not text")?;
                let settings = settings.as_mapping();
                let output = settings
                    .and_then(|s| s.get("output"))
                    .is_some_and(|v| truthy(Some(v)));
                let permalink = settings
                    .and_then(|s| s.get("permalink"))
                    .and_then(scalar_text)
                    .filter(|p| !p.is_empty());
                collections.push(Collection {
                    label,
                    output,
                    permalink,
                });
            }
        }
        Some(_) => return Err("`collections` must be a mapping or a list of names".into()),
    }
    // Jekyll always has `posts`, written out.
    if !collections.iter().any(|c| c.label == "posts") {
        collections.push(Collection {
            label: "posts".into(),
            output: true,
            permalink: None,
        });
    }
    Ok(collections)
}

fn read_defaults(config: &JekyllConfig) -> Result<Vec<DefaultSet>, String> {
    let Some(value) = config.get("defaults") else {
        return Ok(Vec::new());
    };
    let sets = match value {
        Value::Sequence(sets) => sets,
        Value::Null => return Ok(Vec::new()),
        _ => return Err("`defaults` must be a list of sets".into()),
    };
    let mut defaults = Vec::new();
    for (index, set) in sets.iter().enumerate() {
        let number = index + 1;
        let set = set
            .as_mapping()
            .ok_or_else(|| format!("entry {number} of `defaults` is not a mapping"))?;
        let values = match set.get("values") {
            Some(Value::Mapping(values)) => values.clone(),
            _ => {
                return Err(format!(
                    "entry {number} of `defaults` has no `values:` mapping"
                ));
            }
        };
        let scope = set.get("scope").and_then(Value::as_mapping);
        let path = scope
            .and_then(|s| s.get("path"))
            .and_then(scalar_text)
            .unwrap_or_default();
        let kind = scope
            .and_then(|s| s.get("type"))
            .and_then(scalar_text)
            .filter(|t| !t.is_empty())
            .map(|t| match t.as_str() {
                // Jekyll's deprecated singular names.
                "page" => "pages".to_string(),
                "post" => "posts".to_string(),
                "draft" => "drafts".to_string(),
                _ => t,
            });
        defaults.push(DefaultSet { path, kind, values });
    }
    Ok(defaults)
}

/// The line of every key, by dotted path; list items add a `-` segment
/// (`defaults.-.scope.path`).
fn key_lines(text: &str) -> Vec<(String, usize)> {
    let mut lines = Vec::new();
    let mut stack: Vec<(usize, String)> = Vec::new();
    let mut block_scalar_indent: Option<usize> = None;
    for (index, raw) in text.lines().enumerate() {
        let trimmed = raw.trim_start();
        if trimmed.is_empty() || trimmed.starts_with('#') {
            continue;
        }
        let mut indent = raw.len() - trimmed.len();
        if let Some(parent) = block_scalar_indent {
            if indent > parent {
                continue;
            }
            block_scalar_indent = None;
        }
        let mut rest = trimmed;
        let mut segments = Vec::new();
        while let Some(after) = rest
            .strip_prefix("- ")
            .or_else(|| rest.strip_prefix('-').filter(|r| r.is_empty()))
        {
            segments.push((indent, "-".to_string()));
            let inner = after.trim_start();
            indent += rest.len() - inner.len();
            rest = inner;
        }
        if let Some((key, value)) = split_key(rest) {
            segments.push((indent, key.to_string()));
            if matches!(value.trim().chars().next(), Some('|' | '>')) {
                block_scalar_indent = Some(indent);
            }
        }
        for (segment_indent, segment) in segments {
            while stack.last().is_some_and(|(i, _)| *i >= segment_indent) {
                stack.pop();
            }
            stack.push((segment_indent, segment));
            if stack.last().is_some_and(|(_, s)| s != "-") {
                let path: Vec<&str> = stack.iter().map(|(_, s)| s.as_str()).collect();
                lines.push((path.join("."), index + 1));
            }
        }
    }
    lines
}

/// `key: value` → (key, value); quotes around the key are removed.
fn split_key(line: &str) -> Option<(&str, &str)> {
    let (key, value) = if let Some(quote) = line.chars().next().filter(|c| *c == '"' || *c == '\'')
    {
        let end = line[1..].find(quote)? + 1;
        let after = line[end + 1..].strip_prefix(':')?;
        (&line[1..end], after)
    } else {
        let colon = line
            .find(": ")
            .or_else(|| line.strip_suffix(':').map(|l| l.len()))?;
        (&line[..colon], &line[colon + 1..])
    };
    let key = key.trim();
    (!key.is_empty() && !key.starts_with(['{', '[', '#'])).then_some((key, value))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keys_have_their_lines() {
        let text = "title: T\nsearch:\n  heading_level: 2\n  # c\n  button: false\ndefaults:\n  - scope:\n      path: docs\n    values:\n      layout: default\ndescription: |\n  a: b\nurl: x\n";
        let lines = key_lines(text);
        let line = |p: &str| lines.iter().find(|(k, _)| k == p).map(|(_, l)| *l);
        assert_eq!(line("title"), Some(1));
        assert_eq!(line("search.heading_level"), Some(3));
        assert_eq!(line("search.button"), Some(5));
        assert_eq!(line("defaults.-.scope.path"), Some(8));
        assert_eq!(line("defaults.-.values.layout"), Some(10));
        assert_eq!(line("description.a"), None);
        assert_eq!(line("url"), Some(13));
    }

    #[test]
    fn jekyll_defaults_apply() {
        let config = parse("_config.yml", "title: T\n").unwrap();
        assert_eq!(config.permalink, "date");
        assert!(config.exclude.iter().any(|e| e == "node_modules"));
        assert_eq!(config.collections.len(), 1);
        assert_eq!(config.collections[0].label, "posts");
        assert_eq!(config.layouts_dir, "_layouts");
    }

    #[test]
    fn collections_defaults_and_excludes_are_read() {
        let text = "permalink: pretty\nexclude: [a.md, \"*.txt\"]\ncollections_dir: /coll/\ncollections:\n  tests:\n    output: true\n    permalink: /:collection/:path/\ndefaults:\n  - scope: {path: docs, type: page}\n    values: {layout: default}\n";
        let config = parse("_config.yml", text).unwrap();
        assert_eq!(config.permalink, "pretty");
        assert_eq!(&config.exclude[..2], ["a.md", "*.txt"]);
        assert_eq!(config.collections_dir, "coll");
        assert!(config.collections[0].output);
        assert_eq!(
            config.collections[0].permalink.as_deref(),
            Some("/:collection/:path/")
        );
        assert_eq!(config.defaults[0].kind.as_deref(), Some("pages"));
        assert_eq!(config.defaults[0].path, "docs");
    }

    #[test]
    fn errors_name_the_line() {
        let errors = parse("_config.yml", "title: T\nbad: [unclosed\n").unwrap_err();
        assert_eq!(errors[0].line, Some(2));
        let errors = parse("_config.yml", "title: T\ndefaults:\n  - scope: {}\n").unwrap_err();
        assert_eq!(errors[0].line, Some(2));
        assert!(errors[0].message.contains("values"), "{}", errors[0]);
        let errors = parse("_config.yml", "exclude: {a: 1}\n").unwrap_err();
        assert_eq!(errors[0].line, Some(1));
    }
}
