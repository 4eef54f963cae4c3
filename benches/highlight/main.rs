//! `cargo bench --bench highlight [-- DIR]`: the cost of syntax highlighting per fenced block
//! and per language, on one thread and on all cores.
//!
//! It reads every fenced code block from the Markdown files under DIR (by default the
//! 1,000-page corpus the `build` bench generates into target/bench-corpus/1000), highlights
//! them once to warm up (the first block of a language pays for compiling its grammar, which
//! is reported apart), then times further passes: per language on one thread, and all blocks
//! spread over the cores as a build spreads pages.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use folio::markdown::highlight::CodeThemes;
use rayon::prelude::*;

fn main() {
    let dir = std::env::args()
        .skip(1)
        .find(|arg| !arg.starts_with('-'))
        .map(PathBuf::from)
        .unwrap_or_else(|| {
            Path::new(env!("CARGO_MANIFEST_DIR")).join("target/bench-corpus/1000/content")
        });
    let passes: usize = std::env::var("PASSES")
        .ok()
        .and_then(|p| p.parse().ok())
        .unwrap_or(3);
    let mut blocks = Vec::new();
    collect_blocks(&dir, &mut blocks);
    if blocks.is_empty() {
        eprintln!(
            "no fenced code blocks under {} (run `cargo bench --bench build -- 1000` first, or pass a folder)",
            dir.display()
        );
        std::process::exit(2);
    }
    let mut by_lang: BTreeMap<&str, Vec<&str>> = BTreeMap::new();
    for (lang, code) in &blocks {
        by_lang.entry(lang).or_default().push(code);
    }
    let themes = CodeThemes::new("InspiredGitHub", "OneHalfDark").expect("default themes");

    println!(
        "{} blocks under {}, {passes} timed passes",
        blocks.len(),
        dir.display()
    );
    println!("| language | blocks | lines/block | first block ms | µs/block | µs/line |");
    println!("|---|---:|---:|---:|---:|---:|");
    let mut total = Duration::ZERO;
    for (lang, codes) in &by_lang {
        let started = Instant::now();
        std::hint::black_box(themes.highlight(codes[0], lang));
        let first = started.elapsed();
        for code in codes.iter() {
            std::hint::black_box(themes.highlight(code, lang));
        }
        let started = Instant::now();
        for _ in 0..passes {
            for code in codes.iter() {
                std::hint::black_box(themes.highlight(code, lang));
            }
        }
        let elapsed = started.elapsed();
        total += elapsed;
        let count = (codes.len() * passes) as f64;
        let lines: usize = codes.iter().map(|c| c.lines().count()).sum();
        println!(
            "| {lang} | {} | {:.1} | {:.1} | {:.1} | {:.2} |",
            codes.len(),
            lines as f64 / codes.len() as f64,
            first.as_secs_f64() * 1e3,
            elapsed.as_secs_f64() * 1e6 / count,
            elapsed.as_secs_f64() * 1e6 / (lines * passes) as f64,
        );
    }
    println!(
        "| all, one thread | {} | | | {:.1} | |",
        blocks.len(),
        total.as_secs_f64() * 1e6 / (blocks.len() * passes) as f64
    );
    let started = Instant::now();
    for _ in 0..passes {
        blocks.par_iter().for_each(|(lang, code)| {
            std::hint::black_box(themes.highlight(code, lang));
        });
    }
    let elapsed = started.elapsed();
    println!(
        "| all, {} threads (wall) | {} | | | {:.1} | |",
        rayon::current_num_threads(),
        blocks.len(),
        elapsed.as_secs_f64() * 1e6 / (blocks.len() * passes) as f64
    );
}

/// Every fenced block (language, code) in the Markdown files under `dir`, in path order.
fn collect_blocks(dir: &Path, blocks: &mut Vec<(String, String)>) {
    let mut files: Vec<PathBuf> = walkdir::WalkDir::new(dir)
        .into_iter()
        .filter_map(Result::ok)
        .filter(|entry| entry.path().extension().is_some_and(|ext| ext == "md"))
        .map(|entry| entry.into_path())
        .collect();
    files.sort();
    for file in files {
        let Ok(text) = std::fs::read_to_string(&file) else {
            continue;
        };
        let mut open: Option<(String, String)> = None;
        for line in text.lines() {
            let trimmed = line.trim_start();
            match &mut open {
                None => {
                    if let Some(lang) = trimmed.strip_prefix("```")
                        && !lang.trim().is_empty()
                    {
                        open = Some((lang.trim().to_string(), String::new()));
                    }
                }
                Some((_, code)) => {
                    if trimmed.starts_with("```") {
                        blocks.push(open.take().expect("open block"));
                    } else {
                        code.push_str(line);
                        code.push('\n');
                    }
                }
            }
        }
    }
}
