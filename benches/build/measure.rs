//! Helpers shared by the benchmarks: timing a build of the release binary (wall time, and
//! CPU time and peak memory from the kernel's accounting of the child process), their
//! arguments, and copying a site.

// Each benchmark uses its own share of these.
#![allow(dead_code)]

use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::Instant;

pub struct Run {
    pub wall: f64,
    pub cpu: f64,
    pub peak_rss_mib: f64,
}

/// Runs one cold build (`--no-cache`) and reads its resource use from the kernel.
pub fn build(binary: &Path, site: &Path, out: &Path) -> Run {
    build_with(binary, site, out, &["--no-cache"])
}

/// Runs one build with extra arguments (none: with the build cache).
#[expect(
    clippy::zombie_processes,
    reason = "the child is reaped by wait4, which also gives its rusage"
)]
pub fn build_with(binary: &Path, site: &Path, out: &Path, extra: &[&str]) -> Run {
    let started = Instant::now();
    let child = std::process::Command::new(binary)
        .args(["build", "--quiet"])
        .args(extra)
        .arg("--root")
        .arg(site)
        .arg("--output")
        .arg(out)
        .spawn()
        .expect("folio starts");
    let mut status = 0;
    let mut usage: libc::rusage = unsafe { std::mem::zeroed() };
    // SAFETY: waits for our own child; `usage` is a valid out-pointer.
    let pid = unsafe { libc::wait4(child.id() as libc::pid_t, &mut status, 0, &mut usage) };
    let wall = started.elapsed().as_secs_f64();
    assert!(
        pid > 0 && libc::WIFEXITED(status) && libc::WEXITSTATUS(status) == 0,
        "build of {} failed",
        site.display()
    );
    let seconds = |t: libc::timeval| t.tv_sec as f64 + t.tv_usec as f64 / 1e6;
    Run {
        wall,
        cpu: seconds(usage.ru_utime) + seconds(usage.ru_stime),
        peak_rss_mib: usage.ru_maxrss as f64 / 1024.0,
    }
}

pub fn median(mut values: Vec<f64>) -> f64 {
    values.sort_by(f64::total_cmp);
    values.get(values.len() / 2).copied().unwrap_or(0.0)
}

pub fn cores() -> usize {
    std::thread::available_parallelism().map_or(1, |n| n.get())
}

/// The sizes named on the command line (else `defaults`) and the number of timed runs
/// (`RUNS`, default 3).
pub fn sizes_and_runs(defaults: &[usize]) -> (Vec<usize>, usize) {
    let sizes: Vec<usize> = std::env::args()
        .skip(1)
        .filter_map(|a| a.parse().ok())
        .collect();
    let sizes = if sizes.is_empty() {
        defaults.to_vec()
    } else {
        sizes
    };
    let runs = std::env::var("RUNS")
        .ok()
        .and_then(|r| r.parse().ok())
        .unwrap_or(3);
    (sizes, runs)
}

/// Copies the folder `from` (a site) to `to`.
pub fn copy_dir(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).unwrap();
    for entry in std::fs::read_dir(from).unwrap().flatten() {
        let target = to.join(entry.file_name());
        if entry.path().is_dir() {
            copy_dir(&entry.path(), &target);
        } else {
            std::fs::copy(entry.path(), target).unwrap();
        }
    }
}

/// The corpus of `size` pages, generated once.
pub fn corpus(manifest: &Path, work: &Path, size: usize) -> PathBuf {
    let site = work.join(format!("corpus-{size}"));
    if site.join("site.toml").exists() {
        return site;
    }
    let script = std::env::var_os("FOLIO_GENCORPUS")
        .map(PathBuf::from)
        .unwrap_or_else(|| manifest.join("../shared/bench/gencorpus.py"));
    assert!(
        script.is_file(),
        "the corpus generator is not at {} (set FOLIO_GENCORPUS)",
        script.display()
    );
    let status = Command::new("python3")
        .arg(&script)
        .arg(size.to_string())
        .args(["--format", "native", "--out"])
        .arg(&site)
        .status()
        .expect("python3 runs");
    assert!(status.success(), "gencorpus.py failed");
    site
}

/// The stage times of one `folio build --timings` of `site` into `out`.
pub struct StageTimes {
    text: String,
    /// The whole build, from its summary line.
    pub total_ms: f64,
}

impl StageTimes {
    pub fn measure(binary: &Path, site: &Path, out: &Path) -> StageTimes {
        let output = Command::new(binary)
            .args(["build", "--timings", "--no-cache", "--root"])
            .arg(site)
            .arg("--output")
            .arg(out)
            .output()
            .expect("folio runs");
        assert!(output.status.success(), "the build failed");
        let text = String::from_utf8_lossy(&output.stdout).into_owned();
        let total_ms = text
            .lines()
            .find_map(|line| line.split(" in ").nth(1)?.split(" ms").next()?.parse().ok())
            .expect("the build's time");
        StageTimes { text, total_ms }
    }

    /// The milliseconds on the line that starts with `label`.
    pub fn ms(&self, label: &str) -> f64 {
        self.text
            .lines()
            .find_map(|line| line.trim().strip_prefix(label))
            .and_then(|rest| rest.trim().trim_end_matches("ms").trim().parse().ok())
            .unwrap_or_else(|| panic!("no `{label}` in the timings:\n{}", self.text))
    }
}
