//! `folio serve`: builds the site into memory, serves it on loopback, watches its files and
//! rebuilds what changed, telling open pages to reload (or to swap their stylesheet).
//!
//! Entry point: [`serve`]. Stages: `watch` (file events in batches) -> `changes` (what they
//! touch) -> `update` (the model, and a plan for the build's render pass) -> `live` (the pass,
//! into memory) -> `reload` (epochs for browsers) -> `server` (HTTP), with `overlay` for
//! errors, `log` for the terminal and `search` for the index (made when first asked for).

pub mod changes;
pub mod live;
mod log;
pub mod overlay;
pub mod reload;
pub mod search;
pub mod server;
mod update;
pub mod watch;

use std::collections::HashSet;
use std::net::{IpAddr, SocketAddr};
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::Instant;

use crate::config::{self, SitePaths};
use crate::diagnostics::Diagnostics;
use live::{LiveSite, Rebuild};
use log::Log;
use reload::Event;
use server::Shared;

/// How to serve.
#[derive(Debug, Clone)]
pub struct ServeOptions {
    pub root: PathBuf,
    pub bind: IpAddr,
    /// `None`: the default port, or the next free one.
    pub port: Option<u16>,
    pub drafts: bool,
    /// Open the site in the default browser.
    pub open: bool,
    /// Poll for changes instead of relying on the system's file events.
    pub poll: bool,
    /// Colour the findings printed on stderr.
    pub colors: bool,
}

#[derive(Debug, thiserror::Error)]
pub enum ServeError {
    #[error(
        "port {port} of {ip} is taken ({reason}); stop what uses it, or choose another with --port"
    )]
    PortTaken {
        ip: IpAddr,
        port: u16,
        reason: String,
    },
    #[error("cannot listen on {ip} (ports {first} to {last} are all taken): {reason}")]
    NoFreePort {
        ip: IpAddr,
        first: u16,
        last: u16,
        reason: String,
    },
    #[error(transparent)]
    Watch(#[from] watch::WatchError),
    #[error("the site folder `{}` cannot be opened: {source}", .root.display())]
    Root {
        root: PathBuf,
        source: std::io::Error,
    },
}

/// The port used when none is asked for.
pub const DEFAULT_PORT: u16 = 4000;
/// Ports tried after the default one when it is taken.
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
    let log = Log::new(&root, options.colors);
    let paths = site_paths(&root);
    let file_roots: Vec<PathBuf> = [&paths.content, &paths.static_dir]
        .iter()
        .filter_map(|dir| dir.canonicalize().ok())
        .collect();

    let started = Instant::now();
    let model = LiveSite::load_model(&root, options.drafts);
    let shared = Arc::new(Shared::new(Arc::default(), file_roots));
    match &model {
        Ok(site) => shared.start_warming(site.clone()),
        // Known before the first request: pages show the overlay from the start.
        Err(errors) => show_errors(&shared, &log, &paths.root, errors),
    }

    // Watching starts before the address is printed: a change saved right after can't be lost.
    let mut watcher = watch::SiteWatcher::start(&paths, options.poll)?;
    let (server, address, moved) = bind(options.bind, options.port)?;
    let url = format!("http://{address}/");
    if let Some(taken) = moved {
        log.line(&format!(
            "Port {taken} is taken; using {} instead.",
            address.port()
        ));
    }
    if !options.bind.is_loopback() {
        log.line(&format!(
            "warning: serving on {}: anyone who can reach this machine on port {} can read the site",
            options.bind,
            address.port()
        ));
    }
    // The server answers from the first moment: pages asked for while the whole site is
    // rendered below are rendered on their own.
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
    log.serving(&url);
    if options.open {
        open_browser(&url, &log);
    }

    let loaded = model.map(|site| LiveSite::render_all(&root, options.drafts, site));
    let mut live = match loaded {
        Ok(Ok((site, _))) => {
            shared.set_outputs(site.outputs());
            shared.search.replace(site.search_source());
            shared.set_findings(site.findings());
            shared.warm();
            log.warnings(site.findings(), None);
            log.built(site.page_count(), started.elapsed().as_millis());
            Some(site)
        }
        Ok(Err(errors)) => {
            shared.warm();
            show_errors(&shared, &log, &paths.root, &errors);
            None
        }
        Err(_) => None,
    };

    loop {
        let mut ticket = 0;
        let Some(batch) = watcher.next_batch(|| ticket = shared.hub.rebuild_started()) else {
            return Ok(());
        };
        let event = rebuild(&root, options.drafts, &mut live, &batch, &shared, &log);
        shared.hub.rebuild_finished(ticket, event);
        if let Some(site) = live.as_mut() {
            books(site, &shared, &log);
        }
    }
}

/// The print page and llms-full.txt, made again after an edit's rebuild was announced. Not
/// a rebuild in flight for the hub: requests for other pages are not held back for it.
fn books(site: &mut LiveSite, shared: &Shared, log: &Log) {
    let event = match site.render_books() {
        None => None,
        Some(Ok(rebuild)) => {
            shared.set_outputs(site.outputs());
            shared.set_findings(site.findings());
            (!rebuild.changed.is_empty()).then(|| change_event(site, &rebuild, false))
        }
        Some(Err(errors)) => {
            shared.set_findings(&errors);
            log.errors(&errors);
            None
        }
    };
    shared.hub.rebuild_finished(0, event);
}

/// Applies one batch and says what browsers should do.
fn rebuild(
    root: &Path,
    drafts: bool,
    live: &mut Option<LiveSite>,
    batch: &[PathBuf],
    shared: &Shared,
    log: &Log,
) -> Option<Event> {
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
            log.errors(&errors);
            return Some(error_event(root, &errors));
        }
    };
    let site = live.as_ref()?;
    if rebuild.files.is_empty() && rebuild.changed.is_empty() && !fresh {
        // Only files that do not matter (an editor's temporary file) changed.
        return None;
    }
    shared.set_outputs(site.outputs());
    shared.set_findings(site.findings());
    shared.search.replace(site.search_source());
    log.warnings(site.findings(), Some((&rebuild.files, &known)));
    log.rebuilt(&rebuild);
    if rebuild.changed.is_empty() && !shared.hub.overlay_shown() && !fresh {
        return None;
    }
    Some(change_event(site, &rebuild, fresh))
}

/// Errors that keep the site from being served: printed, and shown on every page.
fn show_errors(shared: &Shared, log: &Log, root: &Path, errors: &Diagnostics) {
    shared.set_findings(errors);
    log.errors(errors);
    let ticket = shared.hub.rebuild_started();
    shared
        .hub
        .rebuild_finished(ticket, Some(error_event(root, errors)));
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

/// The folders of the site, even when site.toml cannot be read (to watch it for a fix).
fn site_paths(root: &Path) -> SitePaths {
    let config = config::load(root).unwrap_or_default();
    SitePaths::new(root, &config, None)
}

/// Listens on `port`; without one, on the default port or the next free one (and says which
/// was taken). A port asked for must be free: a server on another port than the one the
/// writer typed would be a surprise.
fn bind(
    ip: IpAddr,
    port: Option<u16>,
) -> Result<(tiny_http::Server, SocketAddr, Option<u16>), ServeError> {
    let (first, attempts) = match port {
        Some(port) => (port, 1),
        None => (DEFAULT_PORT, PORT_ATTEMPTS),
    };
    let mut last_error = String::new();
    for offset in 0..attempts {
        let Some(candidate) = first.checked_add(offset) else {
            break;
        };
        match listen(SocketAddr::new(ip, candidate)) {
            Ok(server) => {
                let address = server
                    .server_addr()
                    .to_ip()
                    .unwrap_or(SocketAddr::new(ip, candidate));
                return Ok((server, address, (offset > 0).then_some(first)));
            }
            Err(err) => last_error = err.to_string(),
        }
    }
    Err(match port {
        Some(port) => ServeError::PortTaken {
            ip,
            port,
            reason: last_error,
        },
        None => ServeError::NoFreePort {
            ip,
            first,
            last: first.saturating_add(attempts - 1),
            reason: last_error,
        },
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

fn open_browser(url: &str, log: &Log) {
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
        log.line(&format!(
            "warning: could not open a browser; open {url} yourself"
        ));
    }
}
