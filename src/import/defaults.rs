//! Jekyll's front-matter `defaults:`: which sets apply to a file, and in which order they win.
//!
//! A set applies when its `scope.type` (if any) is the file's type (`pages`, `posts`, `drafts`
//! or a collection label) and its `scope.path` (if any) starts the file's path — a plain
//! string prefix, as in Jekyll, so `docs` also matches `docs-old/a.md`. A path with `*` is a
//! glob, expanded against the files of the site; the file matches when one of the expanded
//! paths starts its path. Sets are merged in order; a later set wins over an earlier one
//! unless its path is shorter, or equally long without a type while the earlier one has a
//! type.

use globset::{GlobBuilder, GlobMatcher};
use serde_yaml::{Mapping, Value};

use super::jekyll_config::{DefaultSet, JekyllConfig};

/// The defaults of a site, ready to be matched against paths.
pub(super) struct Defaults {
    sets: Vec<Prepared>,
}

struct Prepared {
    set: DefaultSet,
    /// The scope path as written, with `collections_dir/` removed (Jekyll matches it so).
    prefix: String,
    /// The scope path as a pattern, when it has a `*`.
    glob: Option<GlobMatcher>,
    /// The length that decides precedence: the path's without a leading `/`.
    weight: usize,
    collections_dir: String,
}

impl Defaults {
    pub fn new(config: &JekyllConfig) -> Defaults {
        let sets = config
            .defaults
            .iter()
            .map(|set| {
                let glob = set.path.contains('*').then(|| {
                    GlobBuilder::new(&set.path)
                        .literal_separator(true)
                        .build()
                        .map(|g| g.compile_matcher())
                        .ok()
                });
                Prepared {
                    set: set.clone(),
                    prefix: strip_collections_dir(&set.path, &config.collections_dir),
                    glob: glob.flatten(),
                    weight: sanitize(&set.path).len(),
                    collections_dir: config.collections_dir.clone(),
                }
            })
            .collect();
        Defaults { sets }
    }

    /// The merged default values for a file at `rel_path` (relative to the site source, or to
    /// the collections folder for documents) of type `kind`.
    pub fn values_for(&self, rel_path: &str, kind: &str, all_paths: &[String]) -> Mapping {
        let rel_path = sanitize(rel_path);
        let mut merged = Mapping::new();
        let mut winner: Option<&Prepared> = None;
        for prepared in &self.sets {
            if !applies(prepared, &rel_path, kind, all_paths) {
                continue;
            }
            if winner.is_none_or(|old| has_precedence(old, prepared)) {
                deep_merge(&mut merged, &prepared.set.values);
                winner = Some(prepared);
            } else {
                let mut under = prepared.set.values.clone();
                deep_merge(&mut under, &merged);
                merged = under;
            }
        }
        merged
    }
}

fn applies(prepared: &Prepared, rel_path: &str, kind: &str, all_paths: &[String]) -> bool {
    if prepared.set.kind.as_deref().is_some_and(|k| k != kind) {
        return false;
    }
    if prepared.set.path.is_empty() {
        return true;
    }
    match &prepared.glob {
        // The glob stands for the files and folders it matches (paths under the site
        // folder); each of them, without the collections folder, is a prefix.
        Some(glob) => all_paths
            .iter()
            .flat_map(|path| ancestors(path))
            .filter(|candidate| glob.is_match(candidate))
            .any(|candidate| {
                rel_path.starts_with(&strip_collections_dir(candidate, &prepared.collections_dir))
            }),
        None if prepared.set.path.contains('*') => false,
        None => rel_path.starts_with(&prepared.prefix),
    }
}

/// `a/b/c.md` → `a`, `a/b`, `a/b/c.md`.
fn ancestors(path: &str) -> impl Iterator<Item = &str> {
    path.match_indices('/')
        .map(|(i, _)| &path[..i])
        .chain(std::iter::once(path))
}

fn has_precedence(old: &Prepared, new: &Prepared) -> bool {
    if new.weight != old.weight {
        new.weight >= old.weight
    } else if new.set.kind.is_some() {
        true
    } else {
        old.set.kind.is_none()
    }
}

/// Jekyll's clean-up of a path: without a leading `/`.
fn sanitize(path: &str) -> String {
    path.strip_prefix('/').unwrap_or(path).to_string()
}

fn strip_collections_dir(path: &str, collections_dir: &str) -> String {
    if collections_dir.is_empty() {
        return path.to_string();
    }
    match path.strip_prefix(&format!("{collections_dir}/")) {
        Some(rest) => rest.to_string(),
        None => path.to_string(),
    }
}

/// Merges `over` into `base`; mappings are merged key by key, everything else replaced.
pub(super) fn deep_merge(base: &mut Mapping, over: &Mapping) {
    for (key, value) in over {
        match (base.get_mut(key), value) {
            (Some(Value::Mapping(inner)), Value::Mapping(over_inner)) => {
                deep_merge(inner, over_inner)
            }
            _ => {
                base.insert(key.clone(), value.clone());
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::import::jekyll_config::parse;

    fn defaults(yaml: &str) -> Defaults {
        Defaults::new(&parse("_config.yml", yaml).unwrap())
    }

    fn layout(values: &Mapping) -> Option<&str> {
        values.get("layout").and_then(Value::as_str)
    }

    #[test]
    fn path_and_type_scopes() {
        let d = defaults(
            "defaults:\n  - scope: {path: \"\"}\n    values: {layout: a, x: 1}\n  - scope: {path: docs, type: pages}\n    values: {layout: b}\n  - scope: {type: tests}\n    values: {layout: c}\n",
        );
        assert_eq!(layout(&d.values_for("index.md", "pages", &[])), Some("a"));
        let docs = d.values_for("docs/a.md", "pages", &[]);
        assert_eq!(layout(&docs), Some("b"));
        assert_eq!(docs.get("x").and_then(Value::as_u64), Some(1));
        // A plain prefix, as Jekyll matches it.
        assert_eq!(
            layout(&d.values_for("docs-old/a.md", "pages", &[])),
            Some("b")
        );
        assert_eq!(
            layout(&d.values_for("_tests/a.md", "tests", &[])),
            Some("c")
        );
    }

    #[test]
    fn longer_paths_and_typed_scopes_win() {
        let d = defaults(
            "defaults:\n  - scope: {path: docs/deep}\n    values: {layout: deep}\n  - scope: {path: docs}\n    values: {layout: docs}\n  - scope: {path: docs/deep, type: pages}\n    values: {layout: typed}\n  - scope: {path: docs/deep}\n    values: {layout: untyped-later}\n",
        );
        assert_eq!(
            layout(&d.values_for("docs/deep/a.md", "pages", &[])),
            Some("typed")
        );
        assert_eq!(
            layout(&d.values_for("docs/a.md", "pages", &[])),
            Some("docs")
        );
    }

    #[test]
    fn glob_scopes_match_existing_paths() {
        let d =
            defaults("defaults:\n  - scope: {path: \"docs/*/guide\"}\n    values: {layout: g}\n");
        let paths = vec!["docs/v1/guide/a.md".to_string(), "docs/v1/other.md".into()];
        assert_eq!(
            layout(&d.values_for("docs/v1/guide/a.md", "pages", &paths)),
            Some("g")
        );
        assert_eq!(
            layout(&d.values_for("docs/v1/other.md", "pages", &paths)),
            None
        );
    }

    #[test]
    fn glob_scopes_reach_into_the_collections_folder() {
        let d = defaults(
            "collections_dir: collections\ncollections: {tests: {output: true}}\ndefaults:\n  - scope: {path: \"collections/*\"}\n    values: {layout: default}\n",
        );
        let paths = vec!["collections/_tests/a.md".to_string(), "index.md".into()];
        // Documents are matched by their path inside the collections folder.
        assert_eq!(
            layout(&d.values_for("_tests/a.md", "tests", &paths)),
            Some("default")
        );
        assert_eq!(layout(&d.values_for("index.md", "pages", &paths)), None);
    }

    #[test]
    fn nested_values_merge() {
        let mut base: Mapping = serde_yaml::from_str("a: {x: 1, y: 2}\nb: 1").unwrap();
        let over: Mapping = serde_yaml::from_str("a: {y: 3}\nc: 4").unwrap();
        deep_merge(&mut base, &over);
        let expected: Mapping = serde_yaml::from_str("a: {x: 1, y: 3}\nb: 1\nc: 4").unwrap();
        assert_eq!(base, expected);
    }
}
