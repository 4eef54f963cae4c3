//! The site's `data/` folder (`site.data`) and `includes/` folder, read once per build.

use std::collections::HashMap;
use std::path::{Path, PathBuf};

use super::data::{Data, DataMap};
use crate::diagnostics::{Diagnostic, line_col};

/// `path` relative to `root` when it is inside it, for messages.
pub fn display(root: &Path, path: &Path) -> PathBuf {
    path.strip_prefix(root).unwrap_or(path).to_path_buf()
}

/// Files under `dir`, sorted, with their path relative to `dir` (forward slashes). Hidden
/// files and folders are skipped, as Jekyll skips them.
fn files(dir: &Path) -> Vec<(PathBuf, String)> {
    let mut found: Vec<(PathBuf, String)> = walkdir::WalkDir::new(dir)
        .follow_links(true)
        .into_iter()
        .filter_entry(|entry| {
            entry.depth() == 0 || !entry.file_name().to_string_lossy().starts_with('.')
        })
        .filter_map(Result::ok)
        .filter(|entry| entry.file_type().is_file())
        .filter_map(|entry| {
            let rel = entry.path().strip_prefix(dir).ok()?;
            let rel = rel.to_string_lossy().replace('\\', "/");
            Some((entry.path().to_path_buf(), rel))
        })
        .collect();
    found.sort_by(|a, b| a.1.cmp(&b.1));
    found
}

/// An include file's text.
#[derive(Debug)]
pub struct IncludeText {
    /// The file, relative to the site root, for messages.
    pub file: PathBuf,
    pub text: String,
}

/// Every file of `dir` by its path under it (`components/note.html`).
pub fn includes(dir: &Path, root: &Path) -> (HashMap<String, IncludeText>, Vec<Diagnostic>) {
    let mut found = HashMap::new();
    let mut problems = Vec::new();
    if !dir.is_dir() {
        return (found, problems);
    }
    for (path, rel) in files(dir) {
        let file = display(root, &path);
        match std::fs::read_to_string(&path) {
            Ok(text) => {
                let text = text
                    .strip_prefix('\u{feff}')
                    .unwrap_or(&text)
                    .replace("\r\n", "\n");
                found.insert(rel, IncludeText { file, text });
            }
            Err(err) => problems.push(
                Diagnostic::error(format!("cannot read the include: {err}"))
                    .in_file(file)
                    .with_help("includes must be UTF-8 text files"),
            ),
        }
    }
    (found, problems)
}

/// Jekyll's key for a data file: its name without extension, with characters other than
/// letters, digits, `_`, `-` and spaces dropped and spaces as `_`.
fn data_key(stem: &str) -> String {
    let kept: String = stem
        .chars()
        .filter(|c| c.is_alphanumeric() || *c == '_' || *c == '-' || c.is_whitespace())
        .collect();
    kept.split_whitespace().collect::<Vec<_>>().join("_")
}

/// `site.data`: each YAML, JSON or TOML file of `dir`, `data/a/b.yml` as `site.data.a.b`.
pub fn data(dir: &Path, root: &Path) -> (Data, Vec<Diagnostic>) {
    let mut tree = DataMap::new();
    let mut problems = Vec::new();
    if !dir.is_dir() {
        return (Data::Object(tree), problems);
    }
    'files: for (path, rel) in files(dir) {
        let Some((stem_path, ext)) = rel.rsplit_once('.') else {
            continue;
        };
        let ext = ext.to_ascii_lowercase();
        if !matches!(ext.as_str(), "yml" | "yaml" | "json" | "toml") {
            continue;
        }
        let file = display(root, &path);
        let text = match std::fs::read_to_string(&path) {
            Ok(text) => text,
            Err(err) => {
                problems.push(
                    Diagnostic::error(format!("cannot read the data file: {err}"))
                        .in_file(file)
                        .with_help("data files must be UTF-8 text"),
                );
                continue;
            }
        };
        let text = text.strip_prefix('\u{feff}').unwrap_or(&text);
        let value = match parse_data(text, &ext) {
            Ok(value) => value,
            Err((message, place)) => {
                let mut problem = Diagnostic::error(format!("invalid data file: {message}"))
                    .in_file(file)
                    .with_help(format!(
                        "fix the {} syntax here; the file becomes `site.data.{}`",
                        ext.to_uppercase(),
                        stem_path.replace('/', ".")
                    ));
                if let Some((line, column)) = place {
                    problem = problem.at(line, column);
                }
                problems.push(problem);
                continue;
            }
        };
        let mut parts: Vec<String> = stem_path.split('/').map(data_key).collect();
        let last = parts.pop().unwrap_or_default();
        let mut node = &mut tree;
        for part in parts {
            if !matches!(node.get_data(&part), Some(Data::Object(_))) {
                node.insert(part.as_str(), Data::Object(DataMap::new()));
            }
            let Some(Data::Object(map)) = node.get_data_mut(&part) else {
                continue 'files;
            };
            node = map;
        }
        node.insert(last, value);
    }
    (Data::Object(tree), problems)
}

type DataError = (String, Option<(usize, usize)>);

fn parse_data(text: &str, ext: &str) -> Result<Data, DataError> {
    match ext {
        "json" => serde_json::from_str::<serde_json::Value>(text)
            .map(|v| Data::from_json(&v))
            .map_err(|e| (first_line(&e.to_string()), Some((e.line(), e.column())))),
        "toml" => text
            .parse::<toml::Table>()
            .map(|t| Data::Object(super::data::map_from_toml(&t)))
            .map_err(|e| {
                let place = e.span().map(|span| line_col(text, span.start));
                (first_line(e.message()), place)
            }),
        _ => serde_yaml::from_str::<serde_yaml::Value>(text)
            .map(|v| Data::from_yaml(&v))
            .map_err(|e| {
                let place = e.location().map(|l| (l.line(), l.column()));
                (first_line(&e.to_string()), place)
            }),
    }
}

fn first_line(message: &str) -> String {
    message.lines().next().unwrap_or(message).trim().to_string()
}
