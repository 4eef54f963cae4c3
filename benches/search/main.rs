//! `cargo bench --bench search`: what search costs, on the 1,000- and 10,000-page handbooks
//! of the shared benchmark kit (`../shared/bench/gencorpus.py`, or `$FOLIO_GENCORPUS`):
//!
//! - build time and peak memory with search on and off (the index's share of the build);
//! - the index on disk: files, total size, largest shard;
//! - in headless Chromium (`$FOLIO_CHROMIUM`, default Debian's): for each of a set of queries,
//!   on a fresh page with the cache off, the bytes the first query downloads (search.js and
//!   index files, as sent and gzip-compressed) and the time from each keystroke to its results
//!   on screen, typed one character at a time; then the same queries again with the index
//!   loaded.
//!
//! `cargo bench --bench search -- 1000` runs one size; `RUNS=5` changes the build runs
//! (`RUNS=0`: one build, no timings, for the index and browser figures alone);
//! `FOLIO_BENCH_DIR=/dev/shm/bench` works in another folder than target/bench-search;
//! `FOLIO_BIN=path/to/folio` measures another build of folio (an earlier commit's, to compare:
//! each query's `results` fingerprint then tells whether the ranking changed).

#[path = "../../tests/common/browser.rs"]
mod chrome;
#[path = "../build/measure.rs"]
mod measure;
#[path = "../../tests/common/server.rs"]
mod server;

use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::process::Command;

use measure::{StageTimes, build, copy_dir, cores, corpus, median, sizes_and_runs};
use serde_json::json;

/// Queries a reader might type in the generated handbook: title words, common and rare
/// words, a stop word, a code identifier and a typo.
const QUERIES: &[&str] = &[
    "compressed",
    "managing process",
    "configuration file",
    "the",
    "filesystem",
    "tuple",
    "verbatim output",
    "subprocess",
    "translated attacks",
    "path",
    "filesytem",
    "zip_elf_accordingly",
];

fn main() {
    let (sizes, runs) = sizes_and_runs(&[1_000, 10_000]);
    let manifest = Path::new(env!("CARGO_MANIFEST_DIR"));
    // `FOLIO_BENCH_DIR` may put the corpora and outputs elsewhere (a tmpfs, to leave the
    // disk's own noise out).
    let work = std::env::var_os("FOLIO_BENCH_DIR")
        .map(PathBuf::from)
        .unwrap_or_else(|| manifest.join("target/bench-search"));
    let binary = std::env::var_os("FOLIO_BIN")
        .map(PathBuf::from)
        .unwrap_or_else(|| PathBuf::from(env!("CARGO_BIN_EXE_folio")));
    println!(
        "folio {} — search, {} cores, {runs} build runs each (median)\n",
        env!("CARGO_PKG_VERSION"),
        cores()
    );
    for size in sizes {
        let site = corpus(manifest, &work, size);
        let without = work.join(format!("corpus-{size}-nosearch"));
        if !without.join("site.toml").exists() {
            copy_dir(&site, &without);
            let config = std::fs::read_to_string(site.join("site.toml")).unwrap();
            std::fs::write(
                without.join("site.toml"),
                format!("{}\n[search]\nenabled = false\n", config.trim_end()),
            )
            .unwrap();
        }
        let out = work.join(format!("out-{size}"));
        if runs == 0 {
            let _ = std::fs::remove_dir_all(&out);
            build(&binary, &site, &out);
            println!("## {size} pages (no timed builds: RUNS=0)\n");
        } else {
            build_times(&binary, &site, &without, &out, runs, size);
        }
        index_stats(&out);
        browser_figures(&out);
        println!();
    }
}

fn build_times(binary: &Path, with: &Path, without: &Path, out: &Path, runs: usize, size: usize) {
    let scratch = out.with_extension("scratch");
    let mut on = Vec::new();
    let mut off = Vec::new();
    // Alternating, after one warm-up each, so that both see the same machine.
    for run in 0..=runs {
        for (site, results) in [(with, &mut on), (without, &mut off)] {
            let _ = std::fs::remove_dir_all(&scratch);
            let result = build(binary, site, &scratch);
            if run > 0 {
                results.push(result);
            }
        }
    }
    // Search's share of a build, timed inside the process, which leaves out the start and
    // the end of the process and the noise they bring.
    let mut shares = Vec::new();
    for _ in 0..runs.max(1) {
        shares.push(search_share(binary, with, without, &scratch));
    }
    let _ = std::fs::remove_dir_all(&scratch);
    let _ = std::fs::remove_dir_all(out);
    build(binary, with, out);
    let wall = |runs: &[measure::Run]| median(runs.iter().map(|r| r.wall).collect());
    let rss = |runs: &[measure::Run]| median(runs.iter().map(|r| r.peak_rss_mib).collect());
    let cpu = |runs: &[measure::Run]| median(runs.iter().map(|r| r.cpu).collect());
    println!("## {size} pages\n");
    println!("| build | wall s | CPU s | peak RSS MiB |");
    println!("|---|---:|---:|---:|");
    println!(
        "| search off | {:.2} | {:.2} | {:.0} |",
        wall(&off),
        cpu(&off),
        rss(&off)
    );
    println!(
        "| search on | {:.2} | {:.2} | {:.0} |",
        wall(&on),
        cpu(&on),
        rss(&on)
    );
    let fastest = |runs: &[measure::Run]| runs.iter().map(|r| r.wall).fold(f64::MAX, f64::min);
    // Each run with search is paired with the run without it that followed it: the
    // machine's speed drifts less within a pair than across the whole series.
    let paired = |of: fn(&measure::Run) -> f64| {
        median(on.iter().zip(&off).map(|(a, b)| of(a) / of(b)).collect())
    };
    println!(
        "\nbuilds with search vs without: median wall {:+.1}%, fastest wall {:+.1}%, median CPU {:+.1}%; \
         median of paired runs: wall {:+.1}%, CPU {:+.1}%",
        (wall(&on) / wall(&off) - 1.0) * 100.0,
        (fastest(&on) / fastest(&off) - 1.0) * 100.0,
        (cpu(&on) / cpu(&off) - 1.0) * 100.0,
        (paired(|r| r.wall) - 1.0) * 100.0,
        (paired(|r| r.cpu) - 1.0) * 100.0,
    );
    println!(
        "search's share of a build, timed in the process (`folio build --timings`): median {:.1}% \
         (index {:.0} ms + the render stage's growth {:.0} ms, of {:.0} ms)\n",
        median(shares.iter().map(|s| s.0).collect()) * 100.0,
        median(shares.iter().map(|s| s.1).collect()),
        median(shares.iter().map(|s| s.2).collect()),
        median(shares.iter().map(|s| s.3).collect()),
    );
}

/// A build with search and one without, with `--timings`: (search's share of the first, its
/// index stage ms, how much longer its render stage took (sections are collected while pages
/// are written) ms, its build ms).
fn search_share(binary: &Path, with: &Path, without: &Path, out: &Path) -> (f64, f64, f64, f64) {
    let _ = std::fs::remove_dir_all(out);
    let on = StageTimes::measure(binary, with, out);
    let _ = std::fs::remove_dir_all(out);
    let off = StageTimes::measure(binary, without, out);
    let index = on.ms("search index:");
    let render = on.ms("render:") - off.ms("render:");
    ((index + render) / on.total_ms, index, render, on.total_ms)
}

fn index_stats(out: &Path) {
    let mut files = Vec::new();
    collect_files(&out.join("search"), &mut files);
    let size = |p: &PathBuf| std::fs::metadata(p).map_or(0, |m| m.len());
    let in_folder = |p: &PathBuf, name: &str| p.starts_with(out.join("search").join(name));
    let total: u64 = files.iter().map(size).sum();
    let shards: Vec<&PathBuf> = files.iter().filter(|p| in_folder(p, "s")).collect();
    let largest = shards.iter().map(|p| size(p)).max().unwrap_or(0);
    println!(
        "index: {} files, {:.1} MB in all; meta.js {:.1} kB; {} shards, largest {:.1} kB; {} page files\n",
        files.len(),
        total as f64 / 1e6,
        size(&out.join("search/meta.js")) as f64 / 1e3,
        shards.len(),
        largest as f64 / 1e3,
        files.iter().filter(|p| in_folder(p, "p")).count()
    );
}

fn collect_files(dir: &Path, out: &mut Vec<PathBuf>) {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return;
    };
    for entry in entries.flatten() {
        let path = entry.path();
        if path.is_dir() {
            collect_files(&path, out);
        } else {
            out.push(path);
        }
    }
}

/// Installs `folioBench(query)`: types `query` into the search box (as one input event) and
/// resolves with the milliseconds until its results are in the document and laid out.
const MEASURE: &str = r#"
window.folioBench = (query) => new Promise((resolve) => {
  const panel = document.querySelector('.search-panel');
  const input = document.querySelector('.search-input');
  const started = performance.now();
  const observer = new MutationObserver(() => {
    if (panel.getAttribute('data-query') !== query) return;
    observer.disconnect();
    void panel.getBoundingClientRect();
    resolve(performance.now() - started);
  });
  observer.observe(panel, { attributes: true, attributeFilter: ['data-query'] });
  input.focus();
  input.value = query;
  input.dispatchEvent(new Event('input', { bubbles: true }));
  setTimeout(() => { observer.disconnect(); resolve(-1); }, 10000);
});
true
"#;

/// Bytes the page has downloaded for search, by URL path.
const SEARCH_RESOURCES: &str = r#"JSON.stringify(performance.getEntriesByType('resource')
  .filter((e) => /\/search\/|search\.js/.test(e.name))
  .map((e) => [new URL(e.name).pathname, e.decodedBodySize]))"#;

struct QueryFigures {
    query: &'static str,
    results: usize,
    /// A hash of the results' links, in order: equal in two builds when they rank alike.
    fingerprint: u64,
    requests: usize,
    bytes: u64,
    /// Of `bytes`: shards (files, bytes) and page files (files, bytes).
    shards: (usize, u64),
    pages: (usize, u64),
    gzip: u64,
    first_keystroke: f64,
    later_keystrokes: Vec<f64>,
    warm_keystrokes: Vec<f64>,
    /// (URL path, bytes) of each file downloaded.
    loaded: Vec<(String, u64)>,
}

fn browser_figures(out: &Path) {
    let server = server::StaticServer::start(out);
    let browser = chrome::launch();
    let mut gzip_sizes: HashMap<String, u64> = HashMap::new();
    let mut figures = Vec::new();
    for &query in QUERIES {
        let page = chrome::open(&browser, 1280, 900);
        disable_cache(&page);
        page.goto(&server.url("/"));
        page.eval(MEASURE);
        let keystrokes: Vec<f64> = prefixes(query)
            .map(|end| type_text(&page, &query[..end]))
            .collect();
        let results = page
            .eval("document.querySelectorAll('.search-result').length")
            .as_u64()
            .unwrap_or(0) as usize;
        let links = page.eval_str(
            // Without the origin: the server's port changes from run to run.
            "JSON.stringify(Array.from(document.querySelectorAll('.search-result a'), (a) => a.pathname + a.search + a.hash))",
        );
        let fingerprint = xxhash_rust::xxh3::xxh3_64(links.as_bytes());
        let loaded: Vec<(String, u64)> =
            serde_json::from_str(&page.eval_str(SEARCH_RESOURCES)).unwrap();
        let bytes = loaded.iter().map(|(_, b)| b).sum();
        let share = |folder: &str| {
            let files: Vec<u64> = loaded
                .iter()
                .filter(|(path, _)| path.contains(folder))
                .map(|(_, b)| *b)
                .collect();
            (files.len(), files.iter().sum())
        };
        let gzip = loaded
            .iter()
            .map(|(path, _)| {
                *gzip_sizes
                    .entry(path.clone())
                    .or_insert_with(|| gzip_size(&out.join(path.trim_start_matches('/'))))
            })
            .sum();
        // Typed again from another query: every file it needs is loaded, so this times the
        // search itself.
        type_text(&page, "x");
        let warm: Vec<f64> = prefixes(query)
            .map(|end| type_text(&page, &query[..end]))
            .collect();
        assert!(page.errors().is_empty(), "{:?}", page.errors());
        figures.push(QueryFigures {
            query,
            results,
            fingerprint,
            requests: loaded.len(),
            bytes,
            shards: share("/search/s/"),
            pages: share("/search/p/"),
            gzip,
            first_keystroke: keystrokes[0],
            later_keystrokes: keystrokes[1..].to_vec(),
            warm_keystrokes: warm,
            loaded,
        });
        let _ = page.tab.close(true);
    }
    report(&figures);
    // `SEARCH_BENCH_LOADED=file.json`: every query's downloaded files, to weigh other
    // layouts of the index against the same results.
    if let Some(path) = std::env::var_os("SEARCH_BENCH_LOADED") {
        let loaded: Vec<_> = figures.iter().map(|f| json!([f.query, f.loaded])).collect();
        std::fs::write(path, serde_json::to_string(&loaded).unwrap()).unwrap();
    }
}

fn report(figures: &[QueryFigures]) {
    println!("first query on a fresh page, cache off, typed one key at a time (loopback HTTP):\n");
    println!(
        "| query | results (fingerprint) | requests | kB sent | shards: files, kB | pages: files, kB | kB gzip | 1st key ms | later keys max ms | warm keys max ms |"
    );
    println!("|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|");
    for f in figures {
        println!(
            "| `{}` | {} ({:08x}) | {} | {:.1} | {}, {:.1} | {}, {:.1} | {:.1} | {:.1} | {:.1} | {:.1} |",
            f.query,
            f.results,
            f.fingerprint >> 32,
            f.requests,
            f.bytes as f64 / 1e3,
            f.shards.0,
            f.shards.1 as f64 / 1e3,
            f.pages.0,
            f.pages.1 as f64 / 1e3,
            f.gzip as f64 / 1e3,
            f.first_keystroke,
            max(&f.later_keystrokes),
            max(&f.warm_keystrokes),
        );
    }
    let bytes: Vec<f64> = figures.iter().map(|f| f.bytes as f64).collect();
    let gzip: Vec<f64> = figures.iter().map(|f| f.gzip as f64).collect();
    let first: Vec<f64> = figures.iter().map(|f| f.first_keystroke).collect();
    let later: Vec<f64> = figures
        .iter()
        .flat_map(|f| f.later_keystrokes.clone())
        .collect();
    let warm: Vec<f64> = figures
        .iter()
        .flat_map(|f| f.warm_keystrokes.clone())
        .collect();
    println!(
        "\nfirst-query download: median {:.1} kB, max {:.1} kB as sent (uncompressed); \
         gzip -6: median {:.1} kB, max {:.1} kB",
        median(bytes.clone()) / 1e3,
        max(&bytes) / 1e3,
        median(gzip.clone()) / 1e3,
        max(&gzip) / 1e3
    );
    println!(
        "first keystroke (loads search.js and meta.js): median {:.1} ms, max {:.1} ms",
        median(first.clone()),
        max(&first)
    );
    for (name, values) in [
        ("later keystrokes, loading shards as needed", &later),
        ("keystrokes with the index loaded", &warm),
    ] {
        println!(
            "{name}: median {:.1} ms, p90 {:.1} ms, max {:.1} ms ({} keys)",
            median(values.clone()),
            percentile(values, 0.9),
            max(values),
            values.len()
        );
    }
}

/// Ends of the prefixes of `query`, one character longer each (a space is typed with the
/// letter after it: the box shows the same results for both).
fn prefixes(query: &str) -> impl Iterator<Item = usize> + '_ {
    query
        .char_indices()
        .map(|(i, c)| i + c.len_utf8())
        .filter(|&end| !query[..end].ends_with(' '))
}

fn type_text(page: &chrome::Page, text: &str) -> f64 {
    let elapsed = page
        .eval(&format!("folioBench({})", json!(text)))
        .as_f64()
        .expect("a time in milliseconds");
    assert!(
        elapsed >= 0.0,
        "no results for `{text}` within 10 s: {} {:?}",
        page.eval_str("document.querySelector('.search-status').textContent"),
        page.errors()
    );
    elapsed
}

fn disable_cache(page: &chrome::Page) {
    use headless_chrome::protocol::cdp::Network;
    let enable: Network::Enable = serde_json::from_value(json!({})).unwrap();
    page.tab.call_method(enable).expect("network domain");
    page.tab
        .call_method(Network::SetCacheDisabled {
            cache_disabled: true,
        })
        .expect("cache disabled");
}

fn gzip_size(path: &Path) -> u64 {
    let output = Command::new("gzip")
        .args(["-c", "-6"])
        .arg(path)
        .output()
        .expect("gzip runs");
    output.stdout.len() as u64
}

fn max(values: &[f64]) -> f64 {
    values.iter().copied().fold(0.0, f64::max)
}

fn percentile(values: &[f64], p: f64) -> f64 {
    let mut sorted = values.to_vec();
    sorted.sort_by(f64::total_cmp);
    sorted
        .get(((sorted.len() as f64 - 1.0) * p).round() as usize)
        .copied()
        .unwrap_or(0.0)
}
