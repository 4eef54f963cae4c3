//! The servers the tests talk to: one that answers by path and counts what it is asked, and
//! one that takes connections and never answers.

use std::collections::HashMap;
use std::io::{self, Read};
use std::net::TcpListener;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::thread;
use std::time::Duration;

#[derive(Default)]
pub struct Counters {
    /// "METHOD /path" -> requests seen.
    pub hits: Mutex<HashMap<String, usize>>,
    pub in_flight: AtomicUsize,
    pub max_in_flight: AtomicUsize,
    /// Bytes of the endless body that the server got to hand to the socket.
    pub endless_sent: Arc<AtomicUsize>,
}

/// The "endless" body, counting what is read from it. It does end, at 4 GiB, so that the
/// server stops by itself even if a client kept reading.
pub struct Counted {
    pub sent: Arc<AtomicUsize>,
}

impl Read for Counted {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        if self.sent.load(Ordering::SeqCst) >= 4 << 30 {
            return Ok(0);
        }
        buf.fill(b'x');
        self.sent.fetch_add(buf.len(), Ordering::SeqCst);
        Ok(buf.len())
    }
}

pub struct TestServer {
    pub base: String,
    pub server: Arc<tiny_http::Server>,
    pub counters: Arc<Counters>,
}

impl TestServer {
    pub fn start() -> TestServer {
        let server = Arc::new(tiny_http::Server::http("127.0.0.1:0").expect("bind a test server"));
        let port = server
            .server_addr()
            .to_ip()
            .expect("a TCP test server")
            .port();
        let base = format!("http://127.0.0.1:{port}");
        let counters = Arc::new(Counters::default());
        let (listener, shared, origin) = (Arc::clone(&server), Arc::clone(&counters), base.clone());
        // One thread per request, so that the server itself never limits concurrency and
        // the in-flight maximum is the client's doing. The loop ends when the test's server
        // is dropped and unblocks it.
        thread::spawn(move || {
            for request in listener.incoming_requests() {
                let (shared, origin) = (Arc::clone(&shared), origin.clone());
                thread::spawn(move || answer(request, &shared, &origin));
            }
        });
        TestServer {
            base,
            server,
            counters,
        }
    }

    pub fn url(&self, path: &str) -> String {
        format!("{}{path}", self.base)
    }

    pub fn hits_by(&self, method: &str, path: &str) -> usize {
        let hits = self.counters.hits.lock().unwrap_or_else(|e| e.into_inner());
        hits.get(&format!("{method} {path}")).copied().unwrap_or(0)
    }

    pub fn hits(&self, path: &str) -> usize {
        self.hits_by("HEAD", path) + self.hits_by("GET", path)
    }

    pub fn max_in_flight(&self) -> usize {
        self.counters.max_in_flight.load(Ordering::SeqCst)
    }
}

impl Drop for TestServer {
    fn drop(&mut self) {
        self.server.unblock();
    }
}

pub fn answer(request: tiny_http::Request, counters: &Counters, base: &str) {
    let now = counters.in_flight.fetch_add(1, Ordering::SeqCst) + 1;
    counters.max_in_flight.fetch_max(now, Ordering::SeqCst);
    let method = request.method().as_str().to_owned();
    let target = request.url().to_owned();
    let path = target.split('?').next().unwrap_or_default().to_owned();
    let seen = {
        let mut hits = counters.hits.lock().unwrap_or_else(|e| e.into_inner());
        *hits.entry(format!("{method} {path}")).or_insert(0) += 1;
        hits.iter()
            .filter(|(key, _)| key.split_once(' ').is_some_and(|(_, p)| p == path))
            .map(|(_, count)| count)
            .sum::<usize>()
    };
    let head = method == "HEAD";
    let mut headers: Vec<(&str, String)> = Vec::new();
    let mut endless = false;
    let status = match path.as_str() {
        "/ok" => 200,
        "/moved" => redirect(&mut headers, 301, "/ok"),
        "/perm" => redirect(&mut headers, 308, &format!("{base}/ok")),
        "/temp" => redirect(&mut headers, 302, "/ok"),
        "/moved-then-temp" => redirect(&mut headers, 301, "/temp"),
        "/dir/relative" => redirect(&mut headers, 301, "../ok"),
        "/loop" => redirect(&mut headers, 301, "/loop"),
        "/missing" => 404,
        "/nohead" if head => 405,
        "/nohead" => 200,
        "/head-404" if head => 404,
        "/head-404" => 200,
        "/endless" if head => 405,
        "/endless" => {
            endless = true;
            200
        }
        "/busy" | "/busy-long" | "/always-busy" if seen == 1 || path == "/always-busy" => {
            let wait = match path.as_str() {
                "/busy" => "1",
                "/busy-long" => "60",
                _ => "0",
            };
            headers.push(("Retry-After", wait.to_owned()));
            429
        }
        "/busy" | "/busy-long" => 200,
        "/unavailable" if seen == 1 => 503,
        "/unavailable" => 200,
        "/slow" => {
            thread::sleep(Duration::from_millis(300));
            200
        }
        chain if chain.starts_with("/chain/") => {
            let n: u32 = chain["/chain/".len()..].parse().unwrap_or(0);
            redirect(&mut headers, 301, &format!("/chain/{}", n + 1))
        }
        _ => 404,
    };
    // Counted out before the answer goes, so the client's next request can never overlap
    // this one in the count.
    counters.in_flight.fetch_sub(1, Ordering::SeqCst);
    let headers: Vec<tiny_http::Header> = headers
        .into_iter()
        .map(|(name, value)| {
            tiny_http::Header::from_bytes(name, value.as_bytes()).expect("a valid header")
        })
        .collect();
    // Errors are the client hanging up, which the endless body expects.
    let _ = if endless {
        // Chunked and practically endless: a client that read GET bodies would time out.
        let body = Counted {
            sent: Arc::clone(&counters.endless_sent),
        };
        request.respond(tiny_http::Response::new(
            tiny_http::StatusCode(status),
            headers,
            body,
            None,
            None,
        ))
    } else {
        let mut response = tiny_http::Response::empty(status);
        for header in headers {
            response.add_header(header);
        }
        request.respond(response)
    };
}

pub fn redirect(headers: &mut Vec<(&str, String)>, status: u16, location: &str) -> u16 {
    headers.push(("Location", location.to_owned()));
    status
}

/// A server that accepts connections and never answers.
pub fn hanging_server() -> String {
    let listener = TcpListener::bind("127.0.0.1:0").expect("bind a hanging server");
    let port = listener.local_addr().expect("a local address").port();
    thread::spawn(move || {
        for stream in listener.incoming().flatten().take(16) {
            thread::spawn(move || {
                thread::sleep(Duration::from_secs(20));
                drop(stream);
            });
        }
    });
    format!("http://127.0.0.1:{port}/hang")
}
