//! `cargo bench --bench serve`: the time from saving a file to the reload event a browser
//! receives from `folio serve`, for a one-page body edit and for a title change that alters
//! the navigation, on the repository's handbook and on a generated 10,000-page handbook; and
//! the time from starting the server to the home page's last byte (one start per site).
//!
//! `cargo bench --bench serve -- handbook` or `-- 10000` runs one site; `EDITS=N` sets the
//! number of timed edits (default 21).

#[path = "../build/corpus.rs"]
mod corpus;
#[path = "../build/measure.rs"]
mod measure;

use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpStream;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::sync::mpsc;
use std::time::{Duration, Instant};

use measure::copy_dir;

fn main() {
    let wanted: Vec<String> = std::env::args()
        .skip(1)
        .filter(|a| !a.starts_with('-'))
        .collect();
    let edits: usize = std::env::var("EDITS")
        .ok()
        .and_then(|n| n.parse().ok())
        .unwrap_or(21);
    let manifest = Path::new(env!("CARGO_MANIFEST_DIR"));
    let work = manifest.join("target/bench-serve");
    let _ = std::fs::remove_dir_all(&work);
    std::fs::create_dir_all(&work).unwrap();

    println!(
        "folio serve — save-to-reload-event latency, {edits} edits per case (median / p90 / max)"
    );
    println!("| site | pages | case | median ms | p90 ms | max ms | pages rendered (Markdown) |");
    println!("|---|---:|---|---:|---:|---:|---|");
    let run = |name: &str| wanted.is_empty() || wanted.iter().any(|w| w == name);
    if run("handbook") {
        let site = work.join("handbook");
        for folder in ["content", "templates", "static"] {
            copy_dir(&manifest.join(folder), &site.join(folder));
        }
        std::fs::copy(manifest.join("site.toml"), site.join("site.toml")).unwrap();
        measure(
            "handbook",
            &site,
            "content/advanced-topics/sharding.md",
            edits,
        );
    }
    if run("10000") {
        let corpus_dir = manifest.join("target/bench-corpus/10000");
        if !corpus_dir.join("site.toml").exists() {
            corpus::write(&corpus_dir, 10_000).unwrap();
        }
        let site = work.join("corpus-10000");
        copy_dir(&corpus_dir, &site);
        let page = first_leaf(&site.join("content"));
        let page = page
            .strip_prefix(&site)
            .unwrap()
            .to_string_lossy()
            .into_owned();
        measure("generated", &site, &page, edits);
    }
}

/// Times body edits and title changes of `page` (relative to `site`).
fn measure(name: &str, site: &Path, page: &str, edits: usize) {
    let mut server = Server::start(site);
    let pages = markdown_files(&site.join("content"));
    let mut first = [server.first_page.as_secs_f64() * 1000.0];
    report(name, pages, "first page after start", &mut first, "");
    let path = site.join(page);
    let original = std::fs::read_to_string(&path).unwrap();
    let (front, body) = split_front_matter(&original);

    let mut body_times = Vec::new();
    let mut body_counts = String::new();
    for i in 0..edits {
        let text = format!("{front}{body}\nEdited paragraph number {i}.\n");
        let (elapsed, event) = server.time_change(|| std::fs::write(&path, &text).unwrap());
        body_counts = format!("{} ({})", event["pages"], event["markdown"]);
        body_times.push(elapsed);
    }
    report(
        name,
        pages,
        "one-page body edit",
        &mut body_times,
        &body_counts,
    );

    let mut title_times = Vec::new();
    let mut title_counts = String::new();
    for i in 0..edits.min(11) {
        let retitled = retitle(front, &format!("Retitled page {i}"));
        let text = format!("{retitled}{body}");
        let (elapsed, event) = server.time_change(|| std::fs::write(&path, &text).unwrap());
        title_counts = format!("{} ({})", event["pages"], event["markdown"]);
        title_times.push(elapsed);
    }
    report(
        name,
        pages,
        "title change (nav)",
        &mut title_times,
        &title_counts,
    );
    std::fs::write(&path, original).unwrap();
}

fn report(name: &str, pages: usize, case: &str, times: &mut [f64], counts: &str) {
    times.sort_by(f64::total_cmp);
    let at = |q: f64| times[((times.len() - 1) as f64 * q).round() as usize];
    println!(
        "| {name} | {pages} | {case} | {:.1} | {:.1} | {:.1} | {counts} |",
        at(0.5),
        at(0.9),
        times[times.len() - 1]
    );
}

fn split_front_matter(text: &str) -> (&str, &str) {
    let end = text[4..]
        .find("\n---\n")
        .map(|i| i + 4 + 5)
        .expect("front matter");
    text.split_at(end)
}

fn retitle(front: &str, title: &str) -> String {
    front
        .lines()
        .map(|line| {
            if line.starts_with("title:") {
                format!("title: \"{title}\"")
            } else {
                line.to_string()
            }
        })
        .collect::<Vec<_>>()
        .join("\n")
        + "\n"
}

/// A page without children, deep in the tree.
/// The pages of a site: its Markdown files. (The server's "Built N pages" line comes after
/// it starts serving, since it serves pages while the rest are rendered.)
fn markdown_files(dir: &Path) -> usize {
    std::fs::read_dir(dir)
        .unwrap()
        .map(|entry| entry.unwrap().path())
        .map(|path| {
            if path.is_dir() {
                markdown_files(&path)
            } else {
                usize::from(path.extension().is_some_and(|e| e == "md"))
            }
        })
        .sum()
}

fn first_leaf(content: &Path) -> PathBuf {
    let mut stack = vec![content.to_path_buf()];
    while let Some(dir) = stack.pop() {
        let mut entries: Vec<PathBuf> = std::fs::read_dir(&dir)
            .unwrap()
            .map(|e| e.unwrap().path())
            .collect();
        entries.sort();
        for entry in &entries {
            if entry.is_file()
                && entry.file_name().is_some_and(|n| n != "index.md")
                && entry.extension().is_some_and(|e| e == "md")
            {
                return entry.clone();
            }
        }
        stack.extend(entries.into_iter().filter(|e| e.is_dir()));
    }
    panic!("no page in {}", content.display());
}

struct Server {
    child: Child,
    address: String,
    epoch: u64,
    /// From starting `folio serve` to the home page's last byte.
    first_page: Duration,
}

impl Server {
    fn start(site: &Path) -> Server {
        let started = Instant::now();
        let mut child = Command::new(env!("CARGO_BIN_EXE_folio"))
            .args(["serve", "--port", "0", "--root"])
            .arg(site)
            .stdout(Stdio::piped())
            .stderr(Stdio::null())
            .spawn()
            .expect("folio serve starts");
        let (sender, lines) = mpsc::channel();
        let stdout = child.stdout.take().unwrap();
        std::thread::spawn(move || {
            for line in BufReader::new(stdout).lines().map_while(Result::ok) {
                let _ = sender.send(line);
            }
        });
        let address = loop {
            let line = lines
                .recv_timeout(Duration::from_secs(120))
                .expect("the server starts");
            if let Some(at) = line.find("http://") {
                break line[at + 7..].split('/').next().unwrap().to_string();
            }
        };
        // Keep reading so the server never blocks on a full pipe.
        std::thread::spawn(move || while lines.recv().is_ok() {});
        let home = request(&address, "/");
        // The home page as a reader gets it (with the reload script: a rendered page).
        let first_page = started.elapsed();
        let at = home.find("var epoch = ").unwrap() + 12;
        let epoch = home[at..]
            .split(',')
            .next()
            .unwrap()
            .trim()
            .parse()
            .unwrap();
        Server {
            child,
            address,
            epoch,
            first_page,
        }
    }

    /// Starts a poll, makes the change, and returns the time from the change to the event.
    fn time_change(&mut self, change: impl FnOnce()) -> (f64, serde_json::Value) {
        let (sender, receiver) = mpsc::channel();
        let address = self.address.clone();
        let epoch = self.epoch;
        std::thread::spawn(move || {
            let body = request(&address, &format!("/__folio/poll?epoch={epoch}"));
            let _ = sender.send((Instant::now(), body));
        });
        // Let the poll reach the server before the change.
        std::thread::sleep(Duration::from_millis(150));
        let saved = Instant::now();
        change();
        let (arrived, body) = receiver
            .recv_timeout(Duration::from_secs(60))
            .expect("a reload event");
        let event: serde_json::Value = serde_json::from_str(&body).expect("JSON");
        self.epoch = event["epoch"].as_u64().unwrap();
        // The print page and llms-full.txt follow an edit in an event of their own (not
        // timed here: no page waits for them); the next edit starts after it.
        let later = request(
            &self.address,
            &format!("/__folio/poll?epoch={}", self.epoch),
        );
        if let Ok(later) = serde_json::from_str::<serde_json::Value>(&later) {
            self.epoch = later["epoch"].as_u64().unwrap_or(self.epoch);
        }
        // Let the file system settle before the next edit.
        std::thread::sleep(Duration::from_millis(100));
        (arrived.duration_since(saved).as_secs_f64() * 1000.0, event)
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// GET `path`; the body (the server sends a length, and closes when asked).
fn request(address: &str, path: &str) -> String {
    let mut stream = TcpStream::connect(address).unwrap();
    write!(
        stream,
        "GET {path} HTTP/1.1\r\nHost: {address}\r\nConnection: close\r\n\r\n"
    )
    .unwrap();
    let mut raw = String::new();
    stream.read_to_string(&mut raw).unwrap();
    raw.split_once("\r\n\r\n")
        .map(|(_, body)| body.to_string())
        .unwrap_or_default()
}
