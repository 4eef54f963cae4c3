//! A static file server on loopback for browser tests of built sites (the way a web host
//! serves them: `/a/` is `a/index.html`).

use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};
use std::thread;

/// Serves `root` until dropped.
pub struct StaticServer {
    server: Arc<tiny_http::Server>,
    pub base: String,
    threads: Vec<thread::JoinHandle<()>>,
}

impl StaticServer {
    pub fn start(root: &Path) -> StaticServer {
        StaticServer::start_stalling(root, None, 0)
    }

    /// Like [`StaticServer::start`], but the first `count` requests whose path contains
    /// `stall` are never answered (as when a network request hangs); later ones are.
    pub fn start_stalling(root: &Path, stall: Option<&'static str>, count: usize) -> StaticServer {
        let held: Arc<Mutex<Vec<tiny_http::Request>>> = Arc::default();
        // As `folio serve` listens: without Nagle's delays, like a real web host.
        let server =
            Arc::new(folio::listen(([127, 0, 0, 1], 0).into()).expect("bind a loopback port"));
        let port = server.server_addr().to_ip().expect("an IP address").port();
        let threads = (0..4)
            .map(|_| {
                let server = Arc::clone(&server);
                let root = root.to_path_buf();
                let held = Arc::clone(&held);
                thread::spawn(move || {
                    for request in server.incoming_requests() {
                        if let Some(part) = stall
                            && request.url().contains(part)
                        {
                            let mut held = held.lock().unwrap();
                            if held.len() < count {
                                // Kept, unanswered, until the server is dropped.
                                held.push(request);
                                continue;
                            }
                        }
                        respond(&root, request);
                    }
                })
            })
            .collect();
        StaticServer {
            server,
            base: format!("http://127.0.0.1:{port}"),
            threads,
        }
    }

    pub fn url(&self, path: &str) -> String {
        format!("{}{path}", self.base)
    }
}

impl Drop for StaticServer {
    fn drop(&mut self) {
        self.server.unblock();
        for _ in 1..self.threads.len() {
            self.server.unblock();
        }
        for handle in self.threads.drain(..) {
            let _ = handle.join();
        }
    }
}

fn respond(root: &Path, request: tiny_http::Request) {
    let path = request
        .url()
        .split(['?', '#'])
        .next()
        .unwrap_or("/")
        .to_string();
    let file = resolve(root, &path);
    let response = match file.and_then(|f| std::fs::read(&f).ok().map(|bytes| (f, bytes))) {
        Some((file, bytes)) => {
            let header =
                tiny_http::Header::from_bytes("Content-Type", content_type(&file)).unwrap();
            tiny_http::Response::from_data(bytes)
                .with_header(header)
                .boxed()
        }
        None => {
            let page = std::fs::read(root.join("404.html")).unwrap_or_default();
            let header =
                tiny_http::Header::from_bytes("Content-Type", "text/html; charset=utf-8").unwrap();
            tiny_http::Response::from_data(page)
                .with_status_code(404)
                .with_header(header)
                .boxed()
        }
    };
    let _ = request.respond(response);
}

fn resolve(root: &Path, path: &str) -> Option<PathBuf> {
    if path.split('/').any(|segment| segment == "..") {
        return None;
    }
    let relative = path.trim_start_matches('/');
    let candidate = root.join(relative);
    if candidate.is_dir() {
        let index = candidate.join("index.html");
        return index.is_file().then_some(index);
    }
    if candidate.is_file() {
        return Some(candidate);
    }
    let html = root.join(format!("{relative}.html"));
    html.is_file().then_some(html)
}

fn content_type(file: &Path) -> &'static str {
    match file.extension().and_then(|e| e.to_str()) {
        Some("html") => "text/html; charset=utf-8",
        Some("css") => "text/css; charset=utf-8",
        Some("js") => "text/javascript; charset=utf-8",
        Some("json") => "application/json",
        Some("xml") => "application/xml",
        Some("png") => "image/png",
        Some("svg") => "image/svg+xml",
        _ => "application/octet-stream",
    }
}
