//! `cargo bench --bench check`: what checking links costs, on the 1,000- and 10,000-page
//! handbooks of the shared benchmark kit (`../shared/bench/gencorpus.py`):
//!
//! - the link checks' share of a build, timed inside the process (`folio build --timings`:
//!   the `check links` stage plus collecting each page's links and anchors, which runs on
//!   every core while pages render);
//! - `folio check` (everything built in memory, checked, nothing written) against
//!   `folio build`, whole-process wall time.
//!
//! `cargo bench --bench check -- 1000` runs one size; `RUNS=5` changes the runs;
//! `FOLIO_BENCH_DIR=/dev/shm/bench` works in another folder than target/bench-check.

#[path = "../build/measure.rs"]
mod measure;

use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::Instant;

use measure::{StageTimes, build, cores, corpus, median, sizes_and_runs};

fn main() {
    let (sizes, runs) = sizes_and_runs(&[1_000, 10_000]);
    let manifest = Path::new(env!("CARGO_MANIFEST_DIR"));
    let work = std::env::var_os("FOLIO_BENCH_DIR")
        .map(PathBuf::from)
        .unwrap_or_else(|| manifest.join("target/bench-check"));
    let binary = PathBuf::from(env!("CARGO_BIN_EXE_folio"));
    println!(
        "folio {} — link checks, {} cores, {runs} runs each (median)\n",
        env!("CARGO_PKG_VERSION"),
        cores()
    );
    println!(
        "| pages | build s | check stage ms | links+anchors ms (wall) | share of build | folio build s | folio check s |"
    );
    println!("|---:|---:|---:|---:|---:|---:|---:|");
    for size in sizes {
        let site = corpus(manifest, &work, size);
        let out = work.join(format!("out-check-{size}"));
        let mut shares = Vec::new();
        let mut builds = Vec::new();
        let mut checks = Vec::new();
        // One warm-up of each, then alternating, so that both see the same machine.
        for run in 0..=runs {
            let _ = std::fs::remove_dir_all(&out);
            let share = timed_build(&binary, &site, &out);
            let _ = std::fs::remove_dir_all(&out);
            let whole = build(&binary, &site, &out).wall;
            let started = Instant::now();
            let status = Command::new(&binary)
                .args(["check", "--root"])
                .arg(&site)
                .output()
                .expect("folio runs");
            let checked = started.elapsed().as_secs_f64();
            assert!(
                status.status.success(),
                "folio check found problems in the corpus:\n{}",
                String::from_utf8_lossy(&status.stderr)
            );
            if run > 0 {
                shares.push(share);
                builds.push(whole);
                checks.push(checked);
            }
        }
        let _ = std::fs::remove_dir_all(&out);
        let pick = |f: fn(&Share) -> f64| median(shares.iter().map(f).collect());
        println!(
            "| {size} | {:.2} | {:.0} | {:.0} | {:.1}% | {:.2} | {:.2} |",
            pick(|s| s.total_ms) / 1000.0,
            pick(|s| s.stage_ms),
            pick(|s| s.anchors_ms),
            pick(|s| s.share) * 100.0,
            median(builds),
            median(checks),
        );
    }
}

struct Share {
    share: f64,
    stage_ms: f64,
    /// Collecting links and anchors while rendering, summed over threads and spread over the
    /// cores.
    anchors_ms: f64,
    total_ms: f64,
}

/// One build with `--timings`, and the link checks' part of it.
fn timed_build(binary: &Path, site: &Path, out: &Path) -> Share {
    let times = StageTimes::measure(binary, site, out);
    let stage_ms = times.ms("check links:");
    let anchors_ms = times.ms("of which link anchors (summed over threads):") / cores() as f64;
    Share {
        share: (stage_ms + anchors_ms) / times.total_ms,
        stage_ms,
        anchors_ms,
        total_ms: times.total_ms,
    }
}
