//! HTTP: answers from the site in memory, injects the reload script (and the error overlay),
//! and refuses anything that could reach outside the site.

use std::io::Cursor;
use std::path::{Path, PathBuf};
use std::sync::{Arc, Condvar, Mutex, RwLock};

use percent_encoding::percent_decode_str;
use tiny_http::{Header, Method, Request, Response, StatusCode};

use super::live::{Body, Outputs, Served};
use super::reload::{CLIENT_SCRIPT, Hub};
use super::search::LazyIndex;
use crate::build::site::Site;
use crate::diagnostics::{Diagnostics, Format};
use crate::paths;
use rustc_hash::FxHashMap;

/// What request handlers share with the builder.
pub struct Shared {
    pub outputs: RwLock<Arc<Outputs>>,
    /// What `folio check --format json` would print for the files as they are now (the
    /// errors of a failed rebuild, otherwise the served site's warnings).
    pub findings: RwLock<Arc<str>>,
    pub hub: Hub,
    pub search: LazyIndex,
    /// Folders files may be served from (canonical): `content/` and `static/`.
    pub file_roots: Vec<PathBuf>,
    /// The site while its first render is under way: pages asked for meanwhile are rendered
    /// from it at once (and kept), so the first page is served long before the last is done.
    warming: Mutex<Option<Warming>>,
    warmed: Condvar,
}

struct Warming {
    site: Site,
    rendered: FxHashMap<String, Option<Arc<Served>>>,
}

impl Shared {
    pub fn new(outputs: Arc<Outputs>, file_roots: Vec<PathBuf>) -> Shared {
        Shared {
            outputs: RwLock::new(outputs),
            findings: RwLock::new(Diagnostics::new().render(Format::Json).into()),
            hub: Hub::default(),
            search: LazyIndex::default(),
            file_roots,
            warming: Mutex::new(None),
            warmed: Condvar::new(),
        }
    }

    /// Serves pages from `site`, one at a time as they are asked for, until [`Shared::warm`].
    pub fn start_warming(&self, site: Site) {
        *self.warming.lock().unwrap_or_else(|e| e.into_inner()) = Some(Warming {
            site,
            rendered: FxHashMap::default(),
        });
    }

    /// The first render is done (or failed): everything is answered from `outputs` again.
    pub fn warm(&self) {
        *self.warming.lock().unwrap_or_else(|e| e.into_inner()) = None;
        self.warmed.notify_all();
    }

    fn is_warming(&self) -> bool {
        self.warming
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .is_some()
    }

    /// Waits until the first render is done: search and findings need every page.
    fn wait_until_warm(&self) {
        let mut warming = self.warming.lock().unwrap_or_else(|e| e.into_inner());
        while warming.is_some() {
            warming = self.warmed.wait(warming).unwrap_or_else(|e| e.into_inner());
        }
    }

    /// Whether `key` is a file only the whole render makes: the print page and llms-full.txt
    /// hold every page, and the Markdown copies (`…/index.md`) are written from the pages'
    /// bodies there. Told by name, so a request during warm-up does not walk every output.
    fn needs_whole_render(key: &str) -> bool {
        key == paths::PRINT_PAGE
            || key == paths::LLMS_FULL
            || key.ends_with("/index.md")
            || key == "index.md"
    }

    /// The file at `key`, rendered on its own while the site is warming up.
    fn render_early(&self, key: &str) -> Option<Arc<Served>> {
        let site = {
            let warming = self.warming.lock().unwrap_or_else(|e| e.into_inner());
            let warming = warming.as_ref()?;
            if let Some(done) = warming.rendered.get(key) {
                return done.clone();
            }
            warming.site.clone()
        };
        // Rendered without the lock: other requests go on meanwhile.
        let served = super::live::render_one(&site, key);
        if let Some(warming) = self
            .warming
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .as_mut()
        {
            warming.rendered.insert(key.to_string(), served.clone());
        }
        served
    }

    pub fn set_outputs(&self, outputs: Arc<Outputs>) {
        *self.outputs.write().unwrap_or_else(|e| e.into_inner()) = outputs;
    }

    pub fn set_findings(&self, findings: &Diagnostics) {
        *self.findings.write().unwrap_or_else(|e| e.into_inner()) =
            findings.render(Format::Json).into();
    }

    fn outputs(&self) -> Arc<Outputs> {
        Arc::clone(&self.outputs.read().unwrap_or_else(|e| e.into_inner()))
    }
}

/// Answers one request (long-polls are answered from a thread of their own).
pub fn handle(shared: &Arc<Shared>, request: Request) {
    if !matches!(request.method(), Method::Get | Method::Head) {
        let response = Response::from_string("only GET and HEAD are supported\n")
            .with_status_code(405)
            .with_header(header("Allow", "GET, HEAD"));
        let _ = request.respond(response);
        return;
    }
    let url = request.url().to_string();
    let (raw_path, query) = url
        .split_once('?')
        .map_or((url.as_str(), ""), |(p, q)| (p, q));
    if raw_path == "/__folio/poll" {
        poll(shared, request, query);
        return;
    }
    if raw_path == "/__folio/findings" {
        // Answered once the rebuild under way is done, like every page.
        shared.wait_until_warm();
        shared.hub.wait_for_build();
        let body = shared
            .findings
            .read()
            .unwrap_or_else(|e| e.into_inner())
            .to_string();
        let response = Response::from_string(body)
            .with_header(header("Content-Type", "application/json"))
            .with_header(header("Cache-Control", "no-store"));
        let _ = request.respond(response);
        return;
    }
    let Some(path) = decode_path(raw_path) else {
        let _ = request.respond(Response::from_string("bad request path\n").with_status_code(400));
        return;
    };
    let key = path.trim_start_matches('/');
    let key = if key.is_empty() || key.ends_with('/') {
        format!("{key}index.html")
    } else {
        key.to_string()
    };
    // While the first render is under way, files are rendered as they are asked for;
    // the search index needs every page, so it waits for the render.
    if shared.is_warming() {
        if key.starts_with("search/")
            || Shared::needs_whole_render(&key)
            || Shared::needs_whole_render(&format!("{key}/index.html"))
        {
            shared.wait_until_warm();
        } else if let Some((key, served)) = [key.clone(), format!("{key}/index.html")]
            .into_iter()
            .find_map(|k| shared.render_early(&k).map(|s| (k, s)))
        {
            if key.ends_with("/index.html") && !path.ends_with('/') && !path.ends_with(".html") {
                redirect_to_folder(request, raw_path, query);
            } else {
                respond_with(shared, request, &key, &served, 200, 0, None);
            }
            return;
        } else if let Some(not_found) = shared.render_early(crate::paths::NOT_FOUND) {
            respond_with(
                shared,
                request,
                crate::paths::NOT_FOUND,
                &not_found,
                404,
                0,
                None,
            );
            return;
        }
    }
    let (epoch, overlay) = shared.hub.wait_for_build();
    let outputs = shared.outputs();
    if let Some(served) = outputs.get(key.as_str()) {
        respond_with(
            shared,
            request,
            &key,
            served,
            200,
            epoch,
            overlay.as_deref(),
        );
        return;
    }
    if let Some(served) = shared.search.file(&key) {
        respond_with(
            shared,
            request,
            &key,
            &served,
            200,
            epoch,
            overlay.as_deref(),
        );
        return;
    }
    if !path.ends_with('/') && outputs.contains_key(format!("{key}/index.html").as_str()) {
        redirect_to_folder(request, raw_path, query);
        return;
    }
    let html = format!("{key}.html");
    if let Some(served) = outputs.get(html.as_str()) {
        respond_with(
            shared,
            request,
            &html,
            served,
            200,
            epoch,
            overlay.as_deref(),
        );
        return;
    }
    match outputs.get(crate::paths::NOT_FOUND) {
        Some(served) => respond_with(
            shared,
            request,
            crate::paths::NOT_FOUND,
            served,
            404,
            epoch,
            overlay.as_deref(),
        ),
        None => {
            // No site yet (the first build failed): a bare page that shows the overlay and
            // reloads when the site is fixed.
            let page = Served {
                hash: 0,
                body: Body::Bytes(NO_SITE.as_bytes().into()),
            };
            respond_with(
                shared,
                request,
                crate::paths::NOT_FOUND,
                &page,
                404,
                epoch,
                overlay.as_deref(),
            );
        }
    }
}

/// `/guide` -> `/guide/`, keeping the query.
fn redirect_to_folder(request: Request, raw_path: &str, query: &str) {
    let mut location = format!("{raw_path}/");
    if !query.is_empty() {
        location.push('?');
        location.push_str(query);
    }
    let response = Response::empty(301).with_header(header("Location", &location));
    let _ = request.respond(response);
}

const NO_SITE: &str = "<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\"><title>No site yet</title></head><body><p>The site could not be built yet.</p></body></html>\n";

/// The request path decoded once; `None` for paths that could point outside the site.
pub fn decode_path(raw: &str) -> Option<String> {
    if !raw.starts_with('/') || raw.starts_with("//") {
        return None;
    }
    let decoded = percent_decode_str(raw).decode_utf8().ok()?;
    let unsafe_segment = decoded
        .split('/')
        .any(|segment| segment == ".." || segment == ".");
    if unsafe_segment || decoded.contains(['\\', '\0']) || decoded.starts_with("//") {
        return None;
    }
    Some(decoded.into_owned())
}

fn respond_with(
    shared: &Shared,
    request: Request,
    output_path: &str,
    served: &Served,
    status: u16,
    epoch: u64,
    overlay: Option<&str>,
) {
    let is_html = output_path.ends_with(".html");
    let etag = format!(
        "\"{:x}{}\"",
        served.hash,
        if overlay.is_some() && is_html {
            "-e"
        } else {
            ""
        }
    );
    let matches = request.headers().iter().any(|h| {
        h.field.equiv("If-None-Match") && h.value.as_str().split(',').any(|t| t.trim() == etag)
    });
    let headers = [
        header("Content-Type", content_type(output_path)),
        header("Cache-Control", "no-cache"),
        header("ETag", &etag),
    ];
    if matches && status == 200 {
        let mut response = Response::empty(304);
        for h in headers {
            response.add_header(h);
        }
        let _ = request.respond(response);
        return;
    }
    let bytes = match &served.body {
        Body::Bytes(bytes) => bytes.to_vec(),
        Body::File(path) => match read_inside(&shared.file_roots, path) {
            Some(bytes) => bytes,
            None => {
                let _ = request.respond(Response::from_string("not found\n").with_status_code(404));
                return;
            }
        },
    };
    let bytes = if is_html {
        inject(bytes, epoch, output_path, overlay)
    } else {
        bytes
    };
    let length = bytes.len();
    let mut response = Response::new(
        StatusCode(status),
        Vec::new(),
        Cursor::new(bytes),
        Some(length),
        None,
    );
    for h in headers {
        response.add_header(h);
    }
    let _ = request.respond(response);
}

/// Reads a file of the site, refusing one that (through a symbolic link) lies elsewhere.
fn read_inside(roots: &[PathBuf], path: &Path) -> Option<Vec<u8>> {
    let real = path.canonicalize().ok()?;
    if !roots.iter().any(|root| real.starts_with(root)) {
        return None;
    }
    std::fs::read(real).ok()
}

/// Adds the overlay and the reload script before `</body>`.
fn inject(mut html: Vec<u8>, epoch: u64, output_path: &str, overlay: Option<&str>) -> Vec<u8> {
    let page = serde_json::to_string(output_path)
        .unwrap_or_else(|_| "\"\"".into())
        .replace('<', "\\u003c");
    let script = CLIENT_SCRIPT
        .replace("{EPOCH}", &epoch.to_string())
        .replace("{PAGE}", &page);
    let mut addition = String::new();
    if let Some(overlay) = overlay {
        addition.push_str(overlay);
    }
    addition.push_str(&script);
    let at = find_last(&html, b"</body>").unwrap_or(html.len());
    html.splice(at..at, addition.into_bytes());
    html
}

fn find_last(haystack: &[u8], needle: &[u8]) -> Option<usize> {
    haystack
        .windows(needle.len())
        .rposition(|window| window.eq_ignore_ascii_case(needle))
}

/// `/__folio/poll?epoch=N`: held until something newer than epoch N happens.
fn poll(shared: &Arc<Shared>, request: Request, query: &str) {
    let since: u64 = query
        .split('&')
        .find_map(|pair| pair.strip_prefix("epoch="))
        .and_then(|n| n.parse().ok())
        .unwrap_or(0);
    let shared = Arc::clone(shared);
    std::thread::spawn(move || {
        let Some(slot) = shared.hub.enter_poll() else {
            let response = Response::from_string("too many browsers are waiting for changes\n")
                .with_status_code(503)
                .with_header(header("Retry-After", "1"));
            let _ = request.respond(response);
            return;
        };
        let event = slot.wait(since);
        drop(slot);
        let body = serde_json::to_string(&event).unwrap_or_else(|_| "{}".into());
        let response = Response::from_string(body)
            .with_header(header("Content-Type", "application/json"))
            .with_header(header("Cache-Control", "no-store"));
        let _ = request.respond(response);
    });
}

fn header(name: &str, value: &str) -> Header {
    Header::from_bytes(name.as_bytes(), value.as_bytes()).expect("valid header")
}

/// The media type of an output file.
pub fn content_type(path: &str) -> &'static str {
    let extension = path
        .rsplit_once('.')
        .map_or("", |(_, e)| e)
        .to_ascii_lowercase();
    match extension.as_str() {
        "html" | "htm" => "text/html; charset=utf-8",
        "css" => "text/css; charset=utf-8",
        "js" | "mjs" => "text/javascript; charset=utf-8",
        "json" => "application/json",
        "xml" => "application/xml",
        "txt" | "md" => "text/plain; charset=utf-8",
        "svg" => "image/svg+xml",
        "png" => "image/png",
        "jpg" | "jpeg" => "image/jpeg",
        "gif" => "image/gif",
        "webp" => "image/webp",
        "avif" => "image/avif",
        "ico" => "image/x-icon",
        "pdf" => "application/pdf",
        "woff2" => "font/woff2",
        "woff" => "font/woff",
        "wasm" => "application/wasm",
        "mp4" => "video/mp4",
        "webm" => "video/webm",
        "zip" => "application/zip",
        _ => "application/octet-stream",
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn paths_are_decoded_once_and_traversal_is_refused() {
        assert_eq!(
            decode_path("/guide/setup/").as_deref(),
            Some("/guide/setup/")
        );
        assert_eq!(decode_path("/a%20b/").as_deref(), Some("/a b/"));
        assert_eq!(decode_path("/%252e%252e/").as_deref(), Some("/%2e%2e/"));
        for bad in [
            "/../etc/passwd",
            "/%2e%2e/etc/passwd",
            "/a/%2E%2E/%2e%2e/x",
            "//etc/passwd",
            "/a\\..\\b",
            "/a%00b",
            "etc/passwd",
            "/./x",
        ] {
            assert_eq!(decode_path(bad), None, "{bad}");
        }
    }

    #[test]
    fn the_script_goes_before_the_end_of_the_body() {
        let html = inject(
            b"<html><body><p>x</p></BODY></html>".to_vec(),
            7,
            "a/index.html",
            Some("<div id=\"folio-overlay\"></div>"),
        );
        let text = String::from_utf8(html).unwrap();
        let script = text.find("var epoch = 7, page = \"a/index.html\"").unwrap();
        assert!(text.find("folio-overlay").unwrap() < script);
        assert!(script < text.find("</BODY>").unwrap());
    }

    #[test]
    fn content_types() {
        assert_eq!(content_type("a/index.html"), "text/html; charset=utf-8");
        assert_eq!(
            content_type("assets/css/folio.css"),
            "text/css; charset=utf-8"
        );
        assert_eq!(content_type("nav.json"), "application/json");
        assert_eq!(content_type("x.PNG"), "image/png");
        assert_eq!(content_type("LICENSE"), "application/octet-stream");
    }
}
