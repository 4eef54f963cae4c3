//! The line parser must compute exactly the scope changes syntect's `ParseState` computes:
//! these tests run both on the same text and compare every line's operations. They guard the
//! parser's port of the algorithm, the exact and loose pattern translations, and the decoding
//! of syntect's grammars (an upgrade of syntect that changed any of these fails here).

use std::path::Path;

use syntect::parsing::{ParseState, ScopeStackOp};
use syntect::util::LinesWithEndings;

use super::parser::LineParser;
use super::{SYNTAXES, find_syntax};

/// Parses `code` as `lang` both ways; the first line that differs, described.
fn disagreement(code: &str, lang: &str) -> Option<String> {
    let syntax = find_syntax(lang)?;
    let mut theirs = ParseState::new(syntax);
    let mut ours = LineParser::new(syntax).expect("start context");
    let mut ops: Vec<(usize, ScopeStackOp)> = Vec::new();
    for (number, line) in LinesWithEndings::from(code).enumerate() {
        let expected = theirs.parse_line(line, &SYNTAXES).ok();
        let got = ours.parse_line(line, &mut ops).ok().map(|()| ops.clone());
        if expected != got {
            return Some(format!(
                "{lang}, line {}: {line:?}\n  syntect: {expected:?}\n  folio:   {got:?}",
                number + 1
            ));
        }
    }
    None
}

fn golden_samples() -> Vec<(String, &'static str)> {
    let dir = Path::new(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/src/markdown/highlight/golden"
    ));
    super::golden::SAMPLES
        .iter()
        .map(|(stem, lang)| {
            let code = std::fs::read_to_string(dir.join(format!("{stem}.txt"))).expect("sample");
            (code, *lang)
        })
        .collect()
}

/// The fenced blocks of the Markdown files under `dir`: (language, code).
fn fenced_blocks(dir: &Path) -> Vec<(String, String)> {
    let mut blocks = Vec::new();
    for entry in walkdir::WalkDir::new(dir).sort_by_file_name() {
        let Ok(entry) = entry else { continue };
        if entry.path().extension().is_none_or(|ext| ext != "md") {
            continue;
        }
        let text = std::fs::read_to_string(entry.path()).unwrap_or_default();
        let mut open: Option<(String, String)> = None;
        for line in text.lines() {
            let trimmed = line.trim_start();
            match &mut open {
                None => {
                    if let Some(lang) = trimmed.strip_prefix("```") {
                        open = Some((lang.trim().to_string(), String::new()));
                    }
                }
                Some((_, code)) => {
                    if trimmed.starts_with("```") {
                        blocks.extend(open.take());
                    } else {
                        code.push_str(line);
                        code.push('\n');
                    }
                }
            }
        }
    }
    blocks
}

#[test]
fn the_parser_agrees_with_syntect_on_every_sample() {
    let failures: Vec<String> = golden_samples()
        .iter()
        .filter_map(|(code, lang)| disagreement(code, lang))
        .collect();
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

#[test]
fn the_parser_agrees_with_syntect_on_the_handbook() {
    let content = Path::new(concat!(env!("CARGO_MANIFEST_DIR"), "/content"));
    let blocks = fenced_blocks(content);
    assert!(blocks.len() > 50, "the handbook has code blocks");
    let failures: Vec<String> = blocks
        .iter()
        .filter_map(|(lang, code)| disagreement(code, lang))
        .collect();
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

/// Every sample's lines, shuffled and fed to every language: states and text that no real
/// block would combine, to reach unusual paths (unclosed strings, foreign syntax).
#[test]
fn the_parser_agrees_with_syntect_on_scrambled_text() {
    let samples = golden_samples();
    let lines: Vec<&str> = samples
        .iter()
        .flat_map(|(code, _)| LinesWithEndings::from(code))
        .collect();
    let mut seed: u64 = 0x2545_f491_4f6c_dd1d;
    let mut next = move |bound: usize| {
        seed ^= seed << 13;
        seed ^= seed >> 7;
        seed ^= seed << 17;
        (seed % bound as u64) as usize
    };
    let mut failures = Vec::new();
    for (_, lang) in &samples {
        for _ in 0..6 {
            let mut code = String::new();
            for _ in 0..40 {
                let line = lines[next(lines.len())];
                // Sometimes only part of a line, to cut strings and comments open.
                let cut = if next(3) == 0 {
                    let mut at = next(line.len() + 1);
                    while !line.is_char_boundary(at) {
                        at -= 1;
                    }
                    &line[at..]
                } else {
                    line
                };
                code.push_str(cut);
                if !cut.ends_with('\n') {
                    code.push('\n');
                }
            }
            failures.extend(disagreement(&code, lang));
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

/// The same comparison over every block of a folder of pages: the repository's handbook, or
/// a generated corpus (slow in a debug build):
/// `FOLIO_AGREEMENT_CORPUS=DIR cargo test --release --lib agreement -- --ignored`.
#[test]
#[ignore = "slow: every fenced block of a folder (FOLIO_AGREEMENT_CORPUS, or content/)"]
fn the_parser_agrees_with_syntect_on_a_corpus() {
    let dir = std::env::var("FOLIO_AGREEMENT_CORPUS")
        .unwrap_or_else(|_| concat!(env!("CARGO_MANIFEST_DIR"), "/content").to_string());
    let blocks = fenced_blocks(Path::new(&dir));
    assert!(!blocks.is_empty(), "no fenced blocks under {dir}");
    let failures: Vec<String> = blocks
        .iter()
        .filter_map(|(lang, code)| disagreement(code, lang))
        .take(20)
        .collect();
    println!("{} blocks compared", blocks.len());
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}
