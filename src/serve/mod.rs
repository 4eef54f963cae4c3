//! `folio serve`: builds the site into memory, serves it on loopback, watches its files and
//! rebuilds what changed, telling open pages to reload (or to swap their stylesheet).
//!
//! Entry point: [`serve`]. Stages: `watch` (file events in batches) -> `live` (incremental
//! rebuild) -> `reload` (epochs for browsers) -> `server` (HTTP), with `overlay` for errors
//! and `search` for the index (made when first asked for).

pub mod changes;
pub mod live;
pub mod overlay;
pub mod reload;
pub mod search;
pub mod server;
mod update;
pub mod watch;

use std::collections::HashSet;
use std::io::Write as _;
use std::net::{IpAddr, SocketAddr};
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::Instant;

use crate::config::{self, SitePaths};
use crate::diagnostics::Diagnostics;
use live::{LiveSite, Rebuild};
use reload::Event;
use server::Shared;

/// How to serve.
#[derive(Debug, Clone)]
pub struct ServeOptions {
    pub root: PathBuf,
    pub bind: IpAddr,
    pub port: u16,
    pub drafts: bool,
    /// Open the site in the default browser.
    pub open: bool,
    /// Poll for changes instead of relying on the system's file events.
    pub poll: bool,
}

#[derive(Debug, thiserror::Error)]
pub enum ServeError {
    #[error("cannot listen on {address} (nor on the next 100 ports): {reason}")]
    Bind { address: SocketAddr, reason: String },
    #[error(transparent)]
    Watch(#[from] watch::WatchError),
    #[error("the site folder `{}` cannot be opened: {source}", .root.display())]
    Root {
        root: PathBuf,
        source: std::io::Error,
    },
}

/// Ports tried after the asked one when it is taken.
const PORT_ATTEMPTS: u16 = 100;
/// Threads answering requests (long-polls get threads of their own).
const WORKERS: usize = 8;

/// Serves the site until the process is stopped.
pub fn serve(options: &ServeOptions) -> Result<(), ServeError> {
    // File events carry absolute paths; the site's folders must be absolute to match them.
    let root = options
        .root
        .canonicalize()
        .map_err(|source| ServeError::Root {
            root: options.root.clone(),
            source,
        })?;
    let paths = site_paths(&root);
    let file_roots: Vec<PathBuf> = [&paths.content, &paths.static_dir]
        .iter()
        .filter_map(|dir| dir.canonicalize().ok())
        .collect();

    let started = Instant::now();
    let (mut live, initial_errors) = match LiveSite::load(&root, options.drafts) {
        Ok((site, _)) => (Some(site), None),
        Err(errors) => (None, Some(errors)),
    };
    let outputs = live.as_ref().map(LiveSite::outputs).unwrap_or_default();
    let shared = Arc::new(Shared::new(outputs, file_roots));
    shared
        .search
        .replace(live.as_ref().and_then(LiveSite::search_source));

    // Watching starts before the address is printed: a change saved right after can't be lost.
    let mut watcher = watch::SiteWatcher::start(&paths, options.poll)?;
    let (server, address, moved) = bind(options.bind, options.port)?;
    let url = format!("http://{address}/");
    if let Some(taken) = moved {
        println!("Port {taken} is taken; using {} instead.", address.port());
    }
    if !options.bind.is_loopback() {
        eprintln!(
            "warning: serving on {}: anyone who can reach this machine on port {} can read the site",
            options.bind,
            address.port()
        );
    }
    match (&live, &initial_errors) {
        (Some(site), _) => {
            shared.set_findings(site.findings());
            print_warnings(&paths.root, site.findings(), None);
            println!(
                "Built {} pages in memory in {} ms",
                site.page_count(),
                started.elapsed().as_millis()
            );
        }
        (None, Some(errors)) => {
            shared.set_findings(errors);
            print_errors(&paths.root, errors);
            let ticket = shared.hub.rebuild_started();
            shared
                .hub
                .rebuild_finished(ticket, Some(error_event(&paths.root, errors)));
        }
        (None, None) => {}
    }
    println!(
        "Serving {} at {url} (press Ctrl-C to stop)",
        options.root.display()
    );
    let _ = std::io::stdout().flush();

    let server = Arc::new(server);
    for _ in 0..WORKERS {
        let server = Arc::clone(&server);
        let shared = Arc::clone(&shared);
        std::thread::spawn(move || {
            for request in server.incoming_requests() {
                server::handle(&shared, request);
            }
        });
    }
    if options.open {
        open_browser(&url);
    }

    loop {
        let mut ticket = 0;
        let Some(batch) = watcher.next_batch(|| ticket = shared.hub.rebuild_started()) else {
            return Ok(());
        };
        let event = rebuild(&root, options.drafts, &mut live, &batch, &shared);
        shared.hub.rebuild_finished(ticket, event);
    }
}

/// Applies one batch and says what browsers should do.
fn rebuild(
    root: &Path,
    drafts: bool,
    live: &mut Option<LiveSite>,
    batch: &[PathBuf],
    shared: &Shared,
) -> Option<Event> {
    let files = overlay::describe_files(root, batch);
    let known: HashSet<String> = live
        .as_ref()
        .map(|site| site.findings().iter().map(|d| d.to_string()).collect())
        .unwrap_or_default();
    let outcome = match live {
        Some(site) => site.apply(batch).map(|rebuild| (rebuild, false)),
        None => LiveSite::load(root, drafts).map(|(site, rebuild)| {
            *live = Some(site);
            (rebuild, true)
        }),
    };
    let (rebuild, fresh) = match outcome {
        Ok(done) => done,
        Err(errors) => {
            shared.set_findings(&errors);
            print_errors(root, &errors);
            return Some(error_event(root, &errors));
        }
    };
    let site = live.as_ref()?;
    shared.set_outputs(site.outputs());
    shared.set_findings(site.findings());
    shared.search.replace(site.search_source());
    print_warnings(root, site.findings(), Some((batch, &known)));
    println!(
        "{} {files}: rendered {} {} ({} Markdown) in {} ms, {} {} changed",
        clock(),
        rebuild.pages,
        if rebuild.pages == 1 { "page" } else { "pages" },
        rebuild.markdown,
        rebuild.elapsed.as_millis(),
        rebuild.changed.len(),
        if rebuild.changed.len() == 1 {
            "file"
        } else {
            "files"
        }
    );
    let _ = std::io::stdout().flush();
    if rebuild.changed.is_empty() && !shared.hub.overlay_shown() && !fresh {
        return None;
    }
    Some(change_event(site, &rebuild, fresh))
}

/// What browsers should do after a successful rebuild.
fn change_event(site: &LiveSite, rebuild: &Rebuild, fresh: bool) -> Event {
    let mut changed = rebuild.changed.clone();
    // Pages showing an image that changed reload to show it.
    for path in &rebuild.changed {
        if !path.ends_with(".html") && !path.ends_with(".css") && !path.ends_with(".js") {
            changed.extend(site.pages_using(path));
        }
    }
    changed.sort();
    changed.dedup();
    Event {
        styles: changed.iter().any(|p| p.ends_with(".css")),
        reload_all: fresh || changed.iter().any(|p| p.ends_with(".js")),
        changed,
        overlay: None,
        markdown: rebuild.markdown,
        pages: rebuild.pages,
        elapsed_ms: rebuild.elapsed.as_millis(),
        ..Event::default()
    }
}

fn error_event(root: &Path, errors: &Diagnostics) -> Event {
    Event {
        overlay: Some(overlay::overlay_html(root, errors)),
        ..Event::default()
    }
}

fn print_errors(root: &Path, errors: &Diagnostics) {
    let mut stderr = std::io::stderr().lock();
    let _ = write!(stderr, "{}", overlay::terminal_report(root, errors));
    let _ = writeln!(
        stderr,
        "{} the site has {} error(s); the last good version stays served",
        clock(),
        errors.error_count()
    );
}

/// Warnings about the files of a rebuild's batch, and new ones elsewhere (an edit can break a
/// link on another page); all warnings when there is no batch. `batch` comes with the
/// warnings known before the rebuild.
fn print_warnings(
    root: &Path,
    warnings: &Diagnostics,
    batch: Option<(&[PathBuf], &HashSet<String>)>,
) {
    let relevant: Diagnostics = warnings
        .iter()
        .filter(|d| match (batch, &d.file) {
            (None, _) => true,
            (Some((files, _)), Some(file))
                if files
                    .iter()
                    .any(|f| f.strip_prefix(root).is_ok_and(|f| f == file)) =>
            {
                true
            }
            (Some((_, known)), _) => !known.contains(&d.to_string()),
        })
        .cloned()
        .collect();
    if !relevant.is_empty() {
        eprint!("{}", relevant.render_grouped());
    }
}

/// The folders of the site, even when site.toml cannot be read (to watch it for a fix).
fn site_paths(root: &Path) -> SitePaths {
    let config = config::load(root).unwrap_or_default();
    SitePaths::new(root, &config, None)
}

/// Listens on `port`, or on the next free one; returns the port that was taken, if any.
fn bind(ip: IpAddr, port: u16) -> Result<(tiny_http::Server, SocketAddr, Option<u16>), ServeError> {
    let mut last_error = String::new();
    let attempts = if port == 0 { 1 } else { PORT_ATTEMPTS };
    for offset in 0..attempts {
        let Some(candidate) = port.checked_add(offset) else {
            break;
        };
        match listen(SocketAddr::new(ip, candidate)) {
            Ok(server) => {
                let address = server
                    .server_addr()
                    .to_ip()
                    .unwrap_or(SocketAddr::new(ip, candidate));
                return Ok((server, address, (offset > 0).then_some(port)));
            }
            Err(err) => last_error = err.to_string(),
        }
    }
    Err(ServeError::Bind {
        address: SocketAddr::new(ip, port),
        reason: last_error,
    })
}

/// A server on `address` whose connections send each response at once.
pub fn listen(
    address: SocketAddr,
) -> Result<tiny_http::Server, Box<dyn std::error::Error + Send + Sync>> {
    let listener = std::net::TcpListener::bind(address)?;
    // tiny_http writes a response in several parts; with Nagle's algorithm on, the last part
    // of every response on a reused connection waits for the browser's delayed ACK (40 ms on
    // Linux). Accepted connections inherit the option from the listener.
    socket2::SockRef::from(&listener).set_tcp_nodelay(true)?;
    tiny_http::Server::from_listener(listener, None)
}

fn open_browser(url: &str) {
    let command = if cfg!(target_os = "macos") {
        "open"
    } else if cfg!(target_os = "windows") {
        "explorer"
    } else {
        "xdg-open"
    };
    if std::process::Command::new(command)
        .arg(url)
        .spawn()
        .is_err()
    {
        eprintln!("warning: could not open a browser; open {url} yourself");
    }
}

/// The local time of day, for the log.
fn clock() -> String {
    jiff::Zoned::now().strftime("%H:%M:%S").to_string()
}
