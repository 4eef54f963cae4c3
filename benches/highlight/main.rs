//! `cargo bench --bench highlight [-- DIR]`: the cost of syntax highlighting per fenced block
//! and per language, syntect's parser against folio's, and whether they give the same HTML.
//!
//! It reads every fenced code block from the Markdown files under DIR (by default the
//! 1,000-page corpus the `build` bench generates into target/bench-corpus/1000), highlights
//! each with both engines and counts the blocks whose HTML is identical (listing the first
//! few that are not), then times passes over the blocks (PASSES, default 3; the fastest is
//! reported): per language on one thread, engine by engine in alternation, and all blocks
//! spread over the cores as a build spreads pages.
//! The first block of a language pays for loading its grammar; that is reported apart.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use folio::markdown::highlight::{CodeThemes, Engine};
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

    println!("{} blocks under {}", blocks.len(), dir.display());
    let first_load = compare(&themes, &by_lang);

    // The fastest of the passes: on a shared machine, slower passes measure the neighbours.
    println!("\nfastest of {passes} passes per engine, one thread, alternating engines");
    println!(
        "| language | blocks | lines/block | first block ms (syntect / folio) | syntect µs/block | folio µs/block | speed-up |"
    );
    println!("|---|---:|---:|---:|---:|---:|---:|");
    let mut totals = [Duration::ZERO; 2];
    for (lang, codes) in &by_lang {
        let mut elapsed = [Duration::MAX; 2];
        for _ in 0..passes {
            for (slot, engine) in [Engine::Syntect, Engine::Folio].into_iter().enumerate() {
                let started = Instant::now();
                for code in codes.iter() {
                    std::hint::black_box(themes.highlight_with(code, lang, engine));
                }
                elapsed[slot] = elapsed[slot].min(started.elapsed());
            }
        }
        let count = codes.len() as f64;
        let lines: usize = codes.iter().map(|c| c.lines().count()).sum();
        let (first_syntect, first_folio) = first_load[lang];
        println!(
            "| {lang} | {} | {:.1} | {:.1} / {:.1} | {:.1} | {:.1} | {:.1}× |",
            codes.len(),
            lines as f64 / codes.len() as f64,
            first_syntect.as_secs_f64() * 1e3,
            first_folio.as_secs_f64() * 1e3,
            elapsed[0].as_secs_f64() * 1e6 / count,
            elapsed[1].as_secs_f64() * 1e6 / count,
            elapsed[0].as_secs_f64() / elapsed[1].as_secs_f64(),
        );
        totals[0] += elapsed[0];
        totals[1] += elapsed[1];
    }
    let count = blocks.len() as f64;
    println!(
        "| all, one thread | {} | | | {:.1} | {:.1} | {:.1}× |",
        blocks.len(),
        totals[0].as_secs_f64() * 1e6 / count,
        totals[1].as_secs_f64() * 1e6 / count,
        totals[0].as_secs_f64() / totals[1].as_secs_f64(),
    );
    let mut wall = [Duration::MAX; 2];
    for _ in 0..passes {
        for (slot, engine) in [Engine::Syntect, Engine::Folio].into_iter().enumerate() {
            let started = Instant::now();
            blocks.par_iter().for_each(|(lang, code)| {
                std::hint::black_box(themes.highlight_with(code, lang, engine));
            });
            wall[slot] = wall[slot].min(started.elapsed());
        }
    }
    println!(
        "| all, {} threads (wall) | {} | | | {:.1} | {:.1} | {:.1}× |",
        rayon::current_num_threads(),
        blocks.len(),
        wall[0].as_secs_f64() * 1e6 / count,
        wall[1].as_secs_f64() * 1e6 / count,
        wall[0].as_secs_f64() / wall[1].as_secs_f64(),
    );
}

/// Highlights every block with both engines and reports how many give identical HTML (the
/// first differences in full). Returns, per language, how long its first block took with
/// each engine (grammar loading included).
fn compare<'a>(
    themes: &CodeThemes,
    by_lang: &BTreeMap<&'a str, Vec<&str>>,
) -> BTreeMap<&'a str, (Duration, Duration)> {
    let mut first_load = BTreeMap::new();
    let (mut compared, mut identical, mut coloured) = (0, 0, 0);
    let mut shown = 0;
    for (lang, codes) in by_lang {
        let mut firsts = [Duration::ZERO; 2];
        for (index, code) in codes.iter().enumerate() {
            let started = Instant::now();
            let theirs = themes.highlight_with(code, lang, Engine::Syntect);
            let syntect_time = started.elapsed();
            let started = Instant::now();
            let ours = themes.highlight_with(code, lang, Engine::Folio);
            if index == 0 {
                firsts = [syntect_time, started.elapsed()];
            }
            compared += 1;
            coloured += usize::from(theirs.is_some());
            if theirs == ours {
                identical += 1;
            } else if shown < 5 {
                shown += 1;
                println!("DIFFERENT ({lang}):\n{code}\n  syntect: {theirs:?}\n  folio:   {ours:?}");
            }
        }
        first_load.insert(*lang, (firsts[0], firsts[1]));
    }
    println!(
        "HTML compared, syntect against folio: {compared} blocks ({coloured} in a known language), {identical} identical, {} different",
        compared - identical
    );
    first_load
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
