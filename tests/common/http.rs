//! A raw HTTP client (request paths are sent exactly as written, `..` included) and the
//! `folio serve` process for tests.

// Each test file uses a different part of this module.
#![allow(dead_code)]

use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpStream;
use std::path::Path;
use std::process::{Child, Command, Stdio};
use std::sync::mpsc::{Receiver, channel};
use std::time::{Duration, Instant};

#[derive(Debug)]
pub struct Response {
    pub status: u16,
    pub headers: Vec<(String, String)>,
    pub body: Vec<u8>,
}

impl Response {
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(k, _)| k.eq_ignore_ascii_case(name))
            .map(|(_, v)| v.as_str())
    }

    pub fn text(&self) -> String {
        String::from_utf8_lossy(&self.body).into_owned()
    }

    pub fn json(&self) -> serde_json::Value {
        serde_json::from_slice(&self.body)
            .unwrap_or_else(|e| panic!("not JSON ({e}): {}", self.text()))
    }
}

/// Sends `METHOD path` with extra header lines to `address` (host:port).
pub fn request(
    address: &str,
    method: &str,
    path: &str,
    headers: &[(&str, &str)],
    timeout: Duration,
) -> Response {
    let mut stream = TcpStream::connect(address).expect("connect to the server");
    stream.set_read_timeout(Some(timeout)).unwrap();
    let mut text = format!("{method} {path} HTTP/1.1\r\nHost: {address}\r\nConnection: close\r\n");
    for (name, value) in headers {
        text.push_str(&format!("{name}: {value}\r\n"));
    }
    text.push_str("\r\n");
    stream.write_all(text.as_bytes()).unwrap();
    let mut raw = Vec::new();
    stream.read_to_end(&mut raw).expect("read the response");
    parse(&raw, method == "HEAD")
}

pub fn get(address: &str, path: &str) -> Response {
    request(address, "GET", path, &[], Duration::from_secs(30))
}

fn parse(raw: &[u8], head: bool) -> Response {
    let split = raw
        .windows(4)
        .position(|w| w == b"\r\n\r\n")
        .expect("a complete response head");
    let head_text = String::from_utf8_lossy(&raw[..split]).into_owned();
    let mut lines = head_text.split("\r\n");
    let status: u16 = lines
        .next()
        .unwrap()
        .split(' ')
        .nth(1)
        .unwrap()
        .parse()
        .unwrap();
    let headers: Vec<(String, String)> = lines
        .filter_map(|line| line.split_once(':'))
        .map(|(k, v)| (k.trim().to_string(), v.trim().to_string()))
        .collect();
    let mut body = raw[split + 4..].to_vec();
    let chunked = headers
        .iter()
        .any(|(k, v)| k.eq_ignore_ascii_case("Transfer-Encoding") && v.contains("chunked"));
    if chunked && !head {
        body = dechunk(&body);
    }
    Response {
        status,
        headers,
        body,
    }
}

fn dechunk(mut data: &[u8]) -> Vec<u8> {
    let mut out = Vec::new();
    while let Some(end) = data.windows(2).position(|w| w == b"\r\n") {
        let size =
            usize::from_str_radix(String::from_utf8_lossy(&data[..end]).trim(), 16).unwrap_or(0);
        if size == 0 {
            break;
        }
        out.extend_from_slice(&data[end + 2..end + 2 + size]);
        data = &data[end + 2 + size + 2..];
    }
    out
}

/// A running `folio serve`.
pub struct Server {
    child: Child,
    pub address: String,
    lines: Receiver<String>,
    pub log: Vec<String>,
}

impl Server {
    /// Starts `folio serve --root <root> --port 0 <args>` and waits until it listens.
    pub fn start(root: &Path, args: &[&str]) -> Server {
        let port: &[&str] = if args.contains(&"--port") {
            &[]
        } else {
            &["--port", "0"]
        };
        Server::spawn(root, &[port, args].concat())
    }

    /// Starts `folio serve --root <root>` on the default port (or the next free one).
    pub fn start_on_default_port(root: &Path) -> Server {
        Server::spawn(root, &[])
    }

    fn spawn(root: &Path, args: &[&str]) -> Server {
        let mut command = Command::new(env!("CARGO_BIN_EXE_folio"));
        command.args(["serve", "--root", root.to_str().unwrap()]);
        let mut child = command
            .args(args)
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .expect("folio serve starts");
        let (sender, lines) = channel();
        for stream in [
            Box::new(child.stdout.take().unwrap()) as Box<dyn Read + Send>,
            Box::new(child.stderr.take().unwrap()),
        ] {
            let sender = sender.clone();
            std::thread::spawn(move || {
                for line in BufReader::new(stream).lines().map_while(Result::ok) {
                    let _ = sender.send(line);
                }
            });
        }
        let mut server = Server {
            child,
            address: String::new(),
            lines,
            log: Vec::new(),
        };
        let line = server.wait_for_line("Serving ", Duration::from_secs(60));
        let start = line.find("http://").expect("an address") + 7;
        server.address = line[start..].split('/').next().unwrap().to_string();
        server
    }

    /// Waits for an output line containing `needle`; returns it.
    pub fn wait_for_line(&mut self, needle: &str, timeout: Duration) -> String {
        let deadline = Instant::now() + timeout;
        loop {
            if let Some(line) = self.log.iter().find(|l| l.contains(needle)) {
                return line.clone();
            }
            let left = deadline.saturating_duration_since(Instant::now());
            match self.lines.recv_timeout(left) {
                Ok(line) => self.log.push(line),
                Err(_) => panic!(
                    "no line with `{needle}`; output so far:\n{}",
                    self.log.join("\n")
                ),
            }
        }
    }

    /// Everything printed so far.
    pub fn output(&mut self) -> String {
        while let Ok(line) = self.lines.try_recv() {
            self.log.push(line);
        }
        self.log.join("\n")
    }

    pub fn get(&self, path: &str) -> Response {
        get(&self.address, path)
    }

    /// The current epoch, as the served pages' script has it.
    pub fn epoch(&self) -> u64 {
        let page = self.get("/").text();
        let at = page.find("var epoch = ").expect("the reload script") + "var epoch = ".len();
        page[at..]
            .split(',')
            .next()
            .unwrap()
            .trim()
            .parse()
            .unwrap()
    }

    /// A long-poll for changes after `epoch`.
    /// The next event of a rebuild after `epoch`, past events that only bring the print page
    /// and llms-full.txt up to date (serve makes them after an edit's own event).
    pub fn poll_rebuild(&self, epoch: u64, timeout: Duration) -> Option<serde_json::Value> {
        let mut epoch = epoch;
        loop {
            let event = self.poll(epoch, timeout)?;
            if !only_books(&event) {
                return Some(event);
            }
            epoch = event["epoch"].as_u64()?;
        }
    }

    pub fn poll(&self, epoch: u64, timeout: Duration) -> Option<serde_json::Value> {
        let mut stream = TcpStream::connect(&self.address).ok()?;
        stream.set_read_timeout(Some(timeout)).unwrap();
        let text = format!(
            "GET /__folio/poll?epoch={epoch} HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n"
        );
        stream.write_all(text.as_bytes()).ok()?;
        let mut raw = Vec::new();
        stream.read_to_end(&mut raw).ok()?;
        let response = parse(&raw, false);
        (response.status == 200).then(|| response.json())
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// An event for the files made from every page (the print page, llms-full.txt) and the
/// edited pages' Markdown copies, and nothing else.
pub fn only_books(event: &serde_json::Value) -> bool {
    let Some(list) = event["changed"].as_array() else {
        return false;
    };
    let book = |p: &str| p == "print/index.html" || p == "llms-full.txt" || p.ends_with(".md");
    !list.is_empty() && list.iter().all(|p| p.as_str().is_some_and(book))
}
