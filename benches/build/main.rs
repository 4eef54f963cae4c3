//! `cargo bench`: cold builds of generated handbooks of 100, 1,000 and 10,000 pages with the
//! release binary, reporting wall time, CPU time, peak memory and page sizes.
//!
//! Then rebuilds with the build cache after a body, title and template edit, against a cold
//! build (`--no-cache`) of the same site.
//!
//! `cargo bench -- 1000` runs one size; `RUNS=5 cargo bench` changes the number of timed runs.
//! Corpora are generated once into target/bench-corpus/. For a side-by-side comparison with
//! Hugo and other generators on the same content, see bench/README.md.

mod corpus;
mod incremental;
mod measure;

use std::path::{Path, PathBuf};

use measure::{build, cores, median, sizes_and_runs};

fn main() {
    let (sizes, runs) = sizes_and_runs(&[100, 1_000, 10_000]);
    let binary = PathBuf::from(env!("CARGO_BIN_EXE_folio"));
    let base = Path::new(env!("CARGO_MANIFEST_DIR")).join("target/bench-corpus");

    println!(
        "folio {} — cold builds, {runs} runs each (median), {} cores",
        env!("CARGO_PKG_VERSION"),
        cores()
    );
    println!(
        "| pages | wall s | CPU s | peak RSS MiB | ms/page | avg HTML page KiB | output MiB |"
    );
    println!("|---:|---:|---:|---:|---:|---:|---:|");
    let mut page_sizes = Vec::new();
    let mut per_page = Vec::new();
    for &size in &sizes {
        let site = base.join(size.to_string());
        if !site.join("site.toml").exists() {
            let _ = std::fs::remove_dir_all(&site);
            corpus::write(&site, size).expect("corpus written");
        }
        let mut results = Vec::new();
        let mut html = (0, 0, 0);
        for run in 0..=runs {
            let out = base.join(format!("out-{size}"));
            let _ = std::fs::remove_dir_all(&out);
            let result = build(&binary, &site, &out);
            if run > 0 {
                results.push(result);
            }
            html = html_stats(&out);
            let _ = std::fs::remove_dir_all(&out);
        }
        let wall = median(results.iter().map(|r| r.wall).collect());
        let cpu = median(results.iter().map(|r| r.cpu).collect());
        let rss = median(results.iter().map(|r| r.peak_rss_mib).collect());
        let (files, bytes, total) = html;
        let avg = bytes as f64 / files.max(1) as f64 / 1024.0;
        page_sizes.push((size, avg));
        per_page.push((size, wall * 1000.0 / size as f64));
        println!(
            "| {size} | {wall:.2} | {cpu:.2} | {rss:.0} | {:.3} | {avg:.1} | {:.1} |",
            wall * 1000.0 / size as f64,
            total as f64 / 1048576.0
        );
    }
    if let (Some(small), Some(large)) = (page_sizes.first(), page_sizes.last())
        && large.0 > small.0
    {
        println!(
            "\naverage page at {} pages is {:.2}x its size at {} pages (must stay within 2x)",
            large.0,
            large.1 / small.1,
            small.0
        );
    }
    if per_page.len() >= 2 {
        let (a, b) = (per_page[per_page.len() - 2], per_page[per_page.len() - 1]);
        println!(
            "time per page at {} pages is {:.2}x the time per page at {} pages (1.0 = linear)",
            b.0,
            b.1 / a.1,
            a.0
        );
    }
    println!("\nRebuilds with the cache, {runs} runs each (median), against a cold build");
    println!("| pages | edit | cold s | rebuild s | share of cold |");
    println!("|---:|---|---:|---:|---:|");
    for &size in &sizes {
        let site = base.join(size.to_string());
        let work = base.join(format!("edit-{size}"));
        incremental::report(&binary, &site, &work, size, runs);
    }
}

/// (HTML files, their bytes, all bytes) under `dir`.
fn html_stats(dir: &Path) -> (usize, u64, u64) {
    let mut stats = (0, 0, 0);
    let mut stack = vec![dir.to_path_buf()];
    while let Some(current) = stack.pop() {
        let Ok(entries) = std::fs::read_dir(&current) else {
            continue;
        };
        for entry in entries.flatten() {
            let path = entry.path();
            if path.is_dir() {
                stack.push(path);
            } else if let Ok(meta) = entry.metadata() {
                stats.2 += meta.len();
                if path.extension().is_some_and(|e| e == "html") {
                    stats.0 += 1;
                    stats.1 += meta.len();
                }
            }
        }
    }
    stats
}
