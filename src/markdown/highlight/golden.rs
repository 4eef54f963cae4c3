//! Golden tests: the highlighted HTML of sample blocks, for every language of the benchmark
//! corpus and of the handbook, must not change. The expected files were written by the
//! syntect `ParseState` implementation that folio used before its own line parser, so they
//! lock both the parse (scopes) and the scope-to-class mapping.
//!
//! After a deliberate change of output, `FOLIO_BLESS_GOLDEN=1 cargo test --lib golden`
//! rewrites the expected files; review their diff before committing.

use std::path::Path;

use super::CodeThemes;

/// (sample file stem, language as written after the fence)
pub(super) const SAMPLES: &[(&str, &str)] = &[
    ("python", "python"),
    ("rust", "rust"),
    ("go", "go"),
    ("java", "java"),
    ("sql", "sql"),
    ("yaml", "yaml"),
    ("bash", "bash"),
    ("json", "json"),
    ("toml", "toml"),
    ("markdown", "markdown"),
    ("typescript", "ts"),
    ("javascript", "js"),
    ("console", "console"),
    ("jinja", "jinja"),
    ("lua", "lua"),
    ("makefile", "makefile"),
];

fn golden_dir() -> &'static Path {
    Path::new(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/src/markdown/highlight/golden"
    ))
}

fn check(themes: &CodeThemes, stem: &str, lang: &str, expected_name: &str) -> Option<String> {
    let dir = golden_dir();
    let code = std::fs::read_to_string(dir.join(format!("{stem}.txt"))).expect("sample");
    let html = themes
        .highlight(&code, lang)
        .unwrap_or_else(|| panic!("{lang} is highlighted"));
    let expected_path = dir.join(expected_name);
    if std::env::var_os("FOLIO_BLESS_GOLDEN").is_some() {
        std::fs::write(&expected_path, &html).expect("golden written");
        return None;
    }
    let expected = std::fs::read_to_string(&expected_path).expect("golden file");
    (html != expected).then(|| {
        let line = html
            .lines()
            .zip(expected.lines())
            .position(|(a, b)| a != b)
            .unwrap_or(0);
        format!(
            "{expected_name}: first difference on line {}:\n  got:      {}\n  expected: {}",
            line + 1,
            html.lines().nth(line).unwrap_or(""),
            expected.lines().nth(line).unwrap_or("")
        )
    })
}

#[test]
fn every_sample_language_is_highlighted_as_before() {
    let themes = CodeThemes::new("InspiredGitHub", "OneHalfDark").unwrap();
    let failures: Vec<String> = SAMPLES
        .iter()
        .filter_map(|(stem, lang)| check(&themes, stem, lang, &format!("{stem}.html")))
        .collect();
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

#[test]
fn other_themes_give_their_own_classes_as_before() {
    let themes = CodeThemes::new("Solarized (light)", "Monokai Extended").unwrap();
    let failures: Vec<String> = [("python", "python"), ("rust", "rust"), ("yaml", "yaml")]
        .iter()
        .filter_map(|(stem, lang)| {
            check(
                &themes,
                stem,
                lang,
                &format!("{stem}.solarized-monokai.html"),
            )
        })
        .collect();
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}
