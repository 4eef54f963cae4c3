//! The known keys of `site.toml`, used to report every unknown key (with its line and the
//! closest known key) in one pass instead of serde's first-error-only `deny_unknown_fields`.

use std::collections::BTreeMap;

use toml::Spanned;
use toml::de::{DeTable, DeValue};

use crate::diagnostics::{Diagnostic, closest, line_col};

/// The expected shape of a value.
enum Shape {
    /// A value whose type serde checks.
    Leaf,
    /// Anything goes (the `extra` table).
    Any,
    /// A table with these keys.
    Table(&'static [(&'static str, Shape)]),
    /// An array of values of one shape.
    List(&'static Shape),
    /// A table with free keys whose values have one shape.
    Map(&'static Shape),
}

use Shape::{Any, Leaf, List, Map, Table};

const LINK: Shape = Table(&[
    ("title", Leaf),
    ("url", Leaf),
    ("new_tab", Leaf),
    ("hide_icon", Leaf),
]);

const ROOT: Shape = Table(&[
    ("title", Leaf),
    ("description", Leaf),
    ("base_url", Leaf),
    ("language", Leaf),
    ("output", Leaf),
    (
        "nav",
        Table(&[
            ("sort", Leaf),
            ("enabled", Leaf),
            ("external_links", List(&LINK)),
            ("external_links_new_tab", Leaf),
        ]),
    ),
    ("aux_links", List(&LINK)),
    ("aux_links_new_tab", Leaf),
    (
        "markdown",
        Table(&[
            ("smart_punctuation", Leaf),
            ("heading_anchors", Leaf),
            ("toc_levels", Leaf),
        ]),
    ),
    (
        "highlight",
        Table(&[("light_theme", Leaf), ("dark_theme", Leaf)]),
    ),
    ("callouts", Map(&Table(&[("title", Leaf), ("color", Leaf)]))),
    (
        "footer",
        Table(&[
            ("content", Leaf),
            ("last_modified_format", Leaf),
            ("back_to_top", Leaf),
        ]),
    ),
    ("edit_link", Table(&[("url", Leaf), ("text", Leaf)])),
    (
        "search",
        Table(&[
            ("enabled", Leaf),
            ("heading_level", Leaf),
            ("exclude", Leaf),
        ]),
    ),
    (
        "check",
        Table(&[
            ("skip_external", Leaf),
            ("timeout", Leaf),
            ("per_host", Leaf),
            ("cache", Leaf),
            ("cache_hours", Leaf),
        ]),
    ),
    (
        "collections",
        List(&Table(&[
            ("folder", Leaf),
            ("name", Leaf),
            ("nav_fold", Leaf),
            ("nav_exclude", Leaf),
            ("search_exclude", Leaf),
        ])),
    ),
    ("print", Table(&[("enabled", Leaf)])),
    ("llms", Table(&[("enabled", Leaf)])),
    ("extra", Any),
]);

/// The line of every key of `site.toml` (dotted, `highlight.light_theme`), so that checks
/// made after parsing can point at the key they are about.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct KeyLines(BTreeMap<String, usize>);

impl KeyLines {
    /// The line of `key`, when site.toml has it.
    pub fn of(&self, key: &str) -> Option<usize> {
        self.0.get(key).copied()
    }
}

/// What walking site.toml's keys found.
struct Walk<'t> {
    text: &'t str,
    unknown: Vec<Diagnostic>,
    lines: KeyLines,
}

/// Every key of `table` that the configuration does not know (with a suggestion), and the
/// line of every key.
pub(super) fn walk_keys(text: &str, table: &DeTable<'_>) -> (Vec<Diagnostic>, KeyLines) {
    let mut walk = Walk {
        text,
        unknown: Vec::new(),
        lines: KeyLines::default(),
    };
    check_table(&mut walk, table, &ROOT, "");
    walk.unknown.sort_by_key(|d| (d.line, d.column));
    (walk.unknown, walk.lines)
}

fn check_table(walk: &mut Walk<'_>, table: &DeTable<'_>, shape: &Shape, path: &str) {
    let Table(known) = shape else {
        return;
    };
    for (key, value) in table {
        let name = key.get_ref().as_ref();
        let full = if path.is_empty() {
            name.to_string()
        } else {
            format!("{path}.{name}")
        };
        let (line, column) = line_col(walk.text, key.span().start);
        walk.lines.0.entry(full.clone()).or_insert(line);
        match known.iter().find(|(k, _)| *k == name) {
            Some((_, inner)) => check_value(walk, value, inner, &full),
            None => {
                let mut diagnostic =
                    Diagnostic::error(format!("unknown key `{full}` in site.toml"))
                        .at(line, column);
                let names = known.iter().map(|(k, _)| *k);
                diagnostic = match closest(name, names) {
                    Some(best) => diagnostic.with_help(format!("did you mean `{best}`?")),
                    None => {
                        let list: Vec<&str> = known.iter().map(|(k, _)| *k).collect();
                        diagnostic.with_help(format!("known keys here: {}", list.join(", ")))
                    }
                };
                walk.unknown.push(diagnostic);
            }
        }
    }
}

fn check_value(walk: &mut Walk<'_>, value: &Spanned<DeValue<'_>>, shape: &Shape, path: &str) {
    match shape {
        Leaf | Any => {}
        Table(_) => {
            if let Some(table) = value.get_ref().as_table() {
                check_table(walk, table, shape, path);
            }
        }
        List(item) => {
            if let Some(array) = value.get_ref().as_array() {
                for element in array.iter() {
                    check_value(walk, element, item, path);
                }
            }
        }
        Map(item) => {
            if let Some(table) = value.get_ref().as_table() {
                for (key, inner) in table {
                    let full = format!("{path}.{}", key.get_ref());
                    let (line, _) = line_col(walk.text, key.span().start);
                    walk.lines.0.entry(full.clone()).or_insert(line);
                    check_value(walk, inner, item, &full);
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::config::{CalloutConfig, Link, SiteConfig};

    #[test]
    fn every_field_of_the_config_is_a_known_key() {
        let link = Link {
            title: "t".into(),
            url: "u".into(),
            new_tab: Some(true),
            hide_icon: true,
        };
        let mut config = SiteConfig {
            base_url: Some("https://example.org/".into()),
            ..SiteConfig::default()
        };
        config.aux_links.push(link.clone());
        config.nav.external_links.push(link);
        config.collections.push(crate::config::CollectionConfig {
            folder: "tests".into(),
            name: Some("Tests".into()),
            nav_fold: true,
            nav_exclude: true,
            search_exclude: true,
        });
        config.callouts.insert(
            "x".into(),
            CalloutConfig {
                title: Some("X".into()),
                color: Some("red".into()),
            },
        );
        let text = toml::to_string(&config).unwrap();
        let table = DeTable::parse(&text).unwrap();
        let (unknown, _) = walk_keys(&text, table.get_ref());
        assert!(unknown.is_empty(), "{unknown:?}\n{text}");
    }

    #[test]
    fn nested_unknown_keys_are_found() {
        let text = "[[aux_links]]\ntitle = \"a\"\nurl = \"b\"\nnewtab = true\n[callouts.x]\ncolour = \"red\"\n";
        let table = DeTable::parse(text).unwrap();
        let (unknown, lines) = walk_keys(text, table.get_ref());
        assert_eq!(lines.of("callouts.x.colour"), Some(6));
        assert_eq!(lines.of("aux_links"), Some(1));
        assert_eq!(unknown.len(), 2);
        assert_eq!(unknown[0].line, Some(4));
        assert!(unknown[0].help.as_deref().unwrap().contains("new_tab"));
        assert!(unknown[1].message.contains("callouts.x.colour"));
    }
}
