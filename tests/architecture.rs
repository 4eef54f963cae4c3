//! ARCHITECTURE.md stays true: its module table names every top-level module of `src/` in
//! dependency order, no module imports one below it (so the graph has no cycles), and every
//! `src/…` path it names exists.

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

fn root() -> &'static Path {
    Path::new(env!("CARGO_MANIFEST_DIR"))
}

fn architecture() -> String {
    std::fs::read_to_string(root().join("ARCHITECTURE.md")).expect("ARCHITECTURE.md exists")
}

/// The modules of the table under "Modules, in dependency order", in order.
fn documented_order(text: &str) -> Vec<String> {
    let section = text
        .split("## Modules, in dependency order")
        .nth(1)
        .expect("a module table");
    let section = section.split("\n## ").next().unwrap_or(section);
    section
        .lines()
        .filter_map(|line| {
            let cell = line.strip_prefix("| `")?;
            Some(cell.split('`').next()?.to_string())
        })
        .collect()
}

/// Top-level modules of the library: folders and files of `src/` but `lib.rs` and `main.rs`.
fn modules() -> BTreeSet<String> {
    std::fs::read_dir(root().join("src"))
        .unwrap()
        .filter_map(|entry| {
            let path = entry.ok()?.path();
            let name = path.file_name()?.to_str()?.to_string();
            if path.is_dir() {
                Some(name)
            } else {
                let stem = name.strip_suffix(".rs")?;
                (stem != "lib" && stem != "main").then(|| stem.to_string())
            }
        })
        .collect()
}

fn rust_files(dir: &Path) -> Vec<PathBuf> {
    let mut files = Vec::new();
    for entry in std::fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        if path.is_dir() {
            files.extend(rust_files(&path));
        } else if path.extension().is_some_and(|e| e == "rs") {
            files.push(path);
        }
    }
    files
}

/// For each module, the modules its code names as `crate::name` (comments left out), with
/// a file that does it.
fn imports(known: &BTreeSet<String>) -> BTreeMap<(String, String), PathBuf> {
    let src = root().join("src");
    let mut edges = BTreeMap::new();
    for file in rust_files(&src) {
        let relative = file.strip_prefix(&src).unwrap();
        let first = relative.components().next().unwrap().as_os_str();
        let from = first.to_string_lossy().trim_end_matches(".rs").to_string();
        if !known.contains(&from) {
            continue;
        }
        let text = std::fs::read_to_string(&file).unwrap();
        for line in text.lines() {
            let code = line.split("//").next().unwrap_or("");
            let mut rest = code;
            while let Some(at) = rest.find("crate::") {
                rest = &rest[at + "crate::".len()..];
                // `crate::{a, b::c}` names several.
                let names: Vec<String> = if let Some(group) = rest.strip_prefix('{') {
                    let group = group.split('}').next().unwrap_or("");
                    group
                        .split(',')
                        .map(|part| part.trim().split("::").next().unwrap_or("").to_string())
                        .collect()
                } else {
                    let name: String = rest
                        .chars()
                        .take_while(|c| c.is_ascii_alphanumeric() || *c == '_')
                        .collect();
                    vec![name]
                };
                for to in names {
                    if known.contains(&to) && to != from {
                        edges
                            .entry((from.clone(), to))
                            .or_insert_with(|| file.clone());
                    }
                }
            }
        }
    }
    edges
}

#[test]
fn the_module_table_names_every_module_once() {
    let order = documented_order(&architecture());
    let listed: BTreeSet<String> = order.iter().cloned().collect();
    assert_eq!(
        listed.len(),
        order.len(),
        "a module is listed twice: {order:?}"
    );
    let actual = modules();
    let missing: Vec<_> = actual.difference(&listed).collect();
    let gone: Vec<_> = listed.difference(&actual).collect();
    assert!(
        missing.is_empty() && gone.is_empty(),
        "ARCHITECTURE.md's table is out of date: not listed {missing:?}; no such module {gone:?}"
    );
}

#[test]
fn modules_depend_only_on_modules_above_them() {
    let order = documented_order(&architecture());
    let position: BTreeMap<&str, usize> = order
        .iter()
        .enumerate()
        .map(|(i, name)| (name.as_str(), i))
        .collect();
    let known = modules();
    let edges = imports(&known);
    assert!(!edges.is_empty(), "no imports found: the scan is broken");
    let wrong: Vec<String> = edges
        .iter()
        .filter(
            |((from, to), _)| match (position.get(from.as_str()), position.get(to.as_str())) {
                (Some(from), Some(to)) => to > from,
                _ => true,
            },
        )
        .map(|((from, to), file)| {
            format!(
                "{from} -> {to} ({})",
                file.strip_prefix(root()).unwrap().display()
            )
        })
        .collect();
    assert!(
        wrong.is_empty(),
        "imports against the order of ARCHITECTURE.md (the graph would have a cycle):\n{}",
        wrong.join("\n")
    );
}

#[test]
fn paths_named_in_the_architecture_exist() {
    let text = architecture();
    let mut named = BTreeSet::new();
    for piece in text.split(['`', '(', ')', ' ']) {
        if let Some(path) = piece.strip_prefix("src/").filter(|p| !p.is_empty()) {
            named.insert(format!("src/{}", path.trim_end_matches(['.', ',', ':'])));
        }
    }
    assert!(named.len() > 5, "too few paths found: {named:?}");
    let missing: Vec<&String> = named
        .iter()
        .filter(|path| !root().join(path.as_str()).exists())
        .collect();
    assert!(
        missing.is_empty(),
        "ARCHITECTURE.md names paths that do not exist: {missing:?}"
    );
}
