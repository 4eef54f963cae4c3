//! External links: `folio check --external` asks the server of every http(s) link whether
//! the page is still there.
//!
//! Checking is polite by construction, because a handbook links the same few hosts from many
//! pages: each URL is asked once, a fixed pool of workers shares the work, no host ever has
//! more than `per_host` requests in flight, 429 and 503 answers are retried after the wait the
//! server asked for, and good results are cached so that the next run does not ask again.

use std::collections::{BTreeMap, HashMap, HashSet, VecDeque};
use std::io;
use std::path::PathBuf;
use std::sync::Mutex;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::thread;
use std::time::{Duration, SystemTime, UNIX_EPOCH};

use globset::{Glob, GlobSet, GlobSetBuilder};
use url::Url;

mod cache;
mod limiter;
#[cfg(test)]
mod tests;

use cache::{CacheEntry, load_cache, write_cache};
use limiter::{HostLimiter, HostSlot};

/// Browsers give up after about 20; 10 is plenty for a link that a writer should fix anyway.
const MAX_REDIRECTS: usize = 10;
/// 503 usually comes without Retry-After; a second is the customary polite pause.
const DEFAULT_RETRY_WAIT: Duration = Duration::from_secs(1);
/// A refused or reset connection is mostly a server restarting or a pooled connection the
/// server already closed, so a short pause is enough.
const CONNECTION_RETRY_WAIT: Duration = Duration::from_millis(500);
/// Some hosts refuse requests without a User-Agent; naming the tool lets a site owner see
/// who is asking.
const USER_AGENT: &str = concat!("folio-link-check/", env!("CARGO_PKG_VERSION"));

/// How external links are checked.
#[derive(Debug, Clone)]
pub struct ExternalSettings {
    /// Limit for one HTTP request, from connecting to the end of the answer.
    pub timeout: Duration,
    /// Requests in flight to one host at most (0 is taken as 1).
    pub per_host: usize,
    /// Requests in flight in all at most (0 is taken as 1).
    pub concurrency: usize,
    /// Extra attempts after a 429 or 503 answer or a refused or reset connection.
    pub retries: u32,
    /// Cap on the wait a server asks for in Retry-After.
    pub max_retry_wait: Duration,
    /// JSON file that remembers good results between runs; `None` checks every link.
    pub cache: Option<PathBuf>,
    /// How long a good result in the cache is trusted.
    pub cache_ttl: Duration,
    /// Glob patterns matched against the whole URL; a match is not requested.
    pub skip: Vec<String>,
}

impl Default for ExternalSettings {
    fn default() -> Self {
        ExternalSettings {
            timeout: Duration::from_secs(10),
            per_host: 2,
            concurrency: 16,
            retries: 2,
            max_retry_wait: Duration::from_secs(30),
            cache: None,
            cache_ttl: Duration::from_secs(24 * 60 * 60),
            skip: Vec::new(),
        }
    }
}

/// What became of one link.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum LinkStatus {
    /// A 2xx answer, possibly after temporary redirects.
    Ok { status: u16 },
    /// A 2xx answer after a permanent redirect (301/308): the link works, but the writer
    /// should point it at `location` instead.
    Redirected { status: u16, location: String },
    /// A 4xx or 5xx answer, after retries.
    Broken { status: u16 },
    /// No usable answer: timeout, DNS, refused connection, TLS, redirect loop and the like.
    Failed { reason: String },
    /// Not requested: on the skip list, or not an http(s) URL.
    Skipped,
}

/// The outcome of [`check_external`].
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ExternalReport {
    /// One entry per input URL, in input order, keyed by the URL as given.
    pub results: Vec<(String, LinkStatus)>,
    /// Distinct URLs answered from the cache.
    pub from_cache: usize,
    /// HTTP requests sent, retries and GET fallbacks included.
    pub requests: usize,
}

#[derive(Debug, thiserror::Error)]
pub enum ExternalError {
    #[error("skip pattern `{pattern}` is not a valid glob: {source}")]
    BadSkipPattern {
        pattern: String,
        #[source]
        source: globset::Error,
    },
    #[error("cannot write the link cache {}: {source}", path.display())]
    CacheWrite {
        path: PathBuf,
        #[source]
        source: io::Error,
    },
}

/// Checks every http(s) URL in `urls` and reports on each in input order.
///
/// Fragments are ignored and each distinct URL is requested once. Only a bad skip pattern or
/// an unwritable cache file is an error; an unreadable or corrupt cache is treated as empty.
pub fn check_external(
    urls: &[String],
    settings: &ExternalSettings,
) -> Result<ExternalReport, ExternalError> {
    let skip = skip_set(&settings.skip)?;
    let now = unix_now();
    let mut cache = match &settings.cache {
        Some(path) => load_cache(path, now, settings.cache_ttl),
        None => BTreeMap::new(),
    };

    // Each input points at one distinct URL (by index) or has its status already.
    let mut inputs: Vec<Result<usize, LinkStatus>> = Vec::with_capacity(urls.len());
    let mut distinct: Vec<Url> = Vec::new();
    let mut answers: Vec<LinkStatus> = Vec::new();
    let mut queue = VecDeque::new();
    let mut index_of: HashMap<String, usize> = HashMap::new();
    for raw in urls {
        inputs.push(classify(raw, &skip).map(|url| {
            *index_of.entry(url.as_str().to_owned()).or_insert_with(|| {
                let index = distinct.len();
                answers.push(match cache.get(url.as_str()) {
                    Some(entry) => entry.status(),
                    None => {
                        queue.push_back((index, host_of(&url)));
                        // Overwritten below: the pool answers every queued URL.
                        LinkStatus::Failed {
                            reason: "not checked".to_owned(),
                        }
                    }
                });
                distinct.push(url);
                index
            })
        }));
    }
    let from_cache = distinct.len() - queue.len();

    let requests = AtomicUsize::new(0);
    let checker = Checker {
        agent: agent(settings),
        settings,
        requests: &requests,
    };
    for (index, status) in run_pool(&checker, &distinct, queue, settings) {
        let key = distinct[index].as_str();
        match CacheEntry::new(&status, now) {
            Some(entry) => cache.insert(key.to_owned(), entry),
            // A broken link is dropped so that the next run sees the fix at once.
            None => cache.remove(key),
        };
        answers[index] = status;
    }
    if let Some(path) = &settings.cache {
        write_cache(path, &cache)?;
    }

    let results = urls
        .iter()
        .zip(inputs)
        .map(|(raw, input)| {
            let status = input.map_or_else(|status| status, |index| answers[index].clone());
            (raw.clone(), status)
        })
        .collect();
    Ok(ExternalReport {
        results,
        from_cache,
        requests: requests.into_inner(),
    })
}

fn skip_set(patterns: &[String]) -> Result<GlobSet, ExternalError> {
    let mut builder = GlobSetBuilder::new();
    for pattern in patterns {
        let glob = Glob::new(pattern).map_err(|source| ExternalError::BadSkipPattern {
            pattern: pattern.clone(),
            source,
        })?;
        builder.add(glob);
    }
    builder
        .build()
        .map_err(|source| ExternalError::BadSkipPattern {
            pattern: patterns.join(" "),
            source,
        })
}

/// The URL to request, or the status of a link that needs no request.
fn classify(raw: &str, skip: &GlobSet) -> Result<Url, LinkStatus> {
    let trimmed = raw.trim();
    let without_fragment = trimmed.split_once('#').map_or(trimmed, |(url, _)| url);
    if skip.is_match(trimmed) || skip.is_match(without_fragment) {
        return Err(LinkStatus::Skipped);
    }
    match Url::parse(without_fragment) {
        Ok(url) if matches!(url.scheme(), "http" | "https") => {
            // Parsing normalises ("https://Example.com" -> "https://example.com/"), and a
            // pattern may have been written against either form.
            if skip.is_match(url.as_str()) {
                Err(LinkStatus::Skipped)
            } else {
                Ok(url)
            }
        }
        Ok(_) => Err(LinkStatus::Skipped),
        Err(err) if looks_like_http(without_fragment) => Err(LinkStatus::Failed {
            reason: format!("not a valid URL: {err}"),
        }),
        Err(_) => Err(LinkStatus::Skipped),
    }
}

fn looks_like_http(text: &str) -> bool {
    let lower = text.get(..8).unwrap_or(text).to_ascii_lowercase();
    lower.starts_with("http://") || lower.starts_with("https://")
}

fn host_of(url: &Url) -> String {
    url.host_str().unwrap_or_default().to_owned()
}

fn agent(settings: &ExternalSettings) -> ureq::Agent {
    ureq::Agent::config_builder()
        .timeout_global(Some(settings.timeout))
        // Redirects are followed by hand: only then is it known whether they were permanent,
        // and each hop can wait for its own host's slot.
        .max_redirects(0)
        .http_status_as_error(false)
        .user_agent(USER_AGENT)
        .build()
        .into()
}

/// Runs the queue on `concurrency` worker threads and returns each checked URL's status.
fn run_pool(
    checker: &Checker<'_>,
    urls: &[Url],
    queue: VecDeque<(usize, String)>,
    settings: &ExternalSettings,
) -> Vec<(usize, LinkStatus)> {
    let workers = settings.concurrency.max(1).min(queue.len());
    let limiter = HostLimiter::new(queue, settings.per_host.max(1));
    let done = Mutex::new(Vec::new());
    // A worker only panics on a bug, and the scope carries that panic to the caller.
    thread::scope(|scope| {
        for _ in 0..workers {
            scope.spawn(|| {
                while let Some((index, slot)) = limiter.next_job() {
                    let status = checker
                        .check(&urls[index], slot)
                        .unwrap_or_else(|reason| LinkStatus::Failed { reason });
                    done.lock()
                        .unwrap_or_else(|e| e.into_inner())
                        .push((index, status));
                }
            });
        }
    });
    done.into_inner().unwrap_or_else(|e| e.into_inner())
}

struct Checker<'a> {
    agent: ureq::Agent,
    settings: &'a ExternalSettings,
    requests: &'a AtomicUsize,
}

/// The parts of an answer that decide a link's fate.
struct Reply {
    status: u16,
    location: Option<String>,
    retry_after: Option<Duration>,
}

struct SendError {
    reason: String,
    /// Worth another attempt: the server may well answer next time.
    transient: bool,
}

impl Checker<'_> {
    /// Follows `start` to its final answer; `Err` is the reason the link failed.
    fn check(&self, start: &Url, mut slot: HostSlot<'_>) -> Result<LinkStatus, String> {
        let mut current = start.clone();
        let mut seen = HashSet::from([current.as_str().to_owned()]);
        // The URL a writer should link instead: where the leading run of permanent redirects
        // ends. A temporary hop after it is the site's business and should not be baked in.
        let mut permanent_target: Option<Url> = None;
        let mut only_permanent = true;
        let mut use_get = false;
        for _ in 0..=MAX_REDIRECTS {
            let reply = self.exchange(&current, &mut use_get)?;
            let status = reply.status;
            if !(300..400).contains(&status) {
                return Ok(match (status, permanent_target) {
                    (200..=299, Some(target)) => LinkStatus::Redirected {
                        status,
                        location: target.into(),
                    },
                    (200..=299, None) => LinkStatus::Ok { status },
                    _ => LinkStatus::Broken { status },
                });
            }
            let location = reply
                .location
                .ok_or_else(|| format!("redirect ({status}) without a Location header"))?;
            let mut next = current.join(&location).map_err(|err| {
                format!("redirect ({status}) to an invalid URL `{location}`: {err}")
            })?;
            next.set_fragment(None);
            if !matches!(next.scheme(), "http" | "https") {
                return Err(format!("redirect ({status}) to {next}, not an http(s) URL"));
            }
            if !seen.insert(next.as_str().to_owned()) {
                return Err(format!("redirect loop: {current} leads back to {next}"));
            }
            if only_permanent && matches!(status, 301 | 308) {
                permanent_target = Some(next.clone());
            } else {
                only_permanent = false;
            }
            slot.move_to(&host_of(&next));
            current = next;
        }
        Err(format!("more than {MAX_REDIRECTS} redirects"))
    }

    /// One answer for `url`, with the GET fallback and the retries; `Err` is a reason.
    fn exchange(&self, url: &Url, use_get: &mut bool) -> Result<Reply, String> {
        let mut attempt = 0;
        loop {
            let mut reply = self.send(url, *use_get);
            if !*use_get && matches!(&reply, Ok(r) if head_refused(r.status)) {
                // Many servers answer HEAD wrongly (405, 501, even 403 or 404) while GET works,
                // so only GET's answer may call a link broken. Later retries and hops use GET
                // at once: HEAD proved unreliable here, and an unread GET costs little more.
                *use_get = true;
                reply = self.send(url, true);
            }
            let wait = match &reply {
                Ok(r) if matches!(r.status, 429 | 503) => r
                    .retry_after
                    .unwrap_or(DEFAULT_RETRY_WAIT)
                    .min(self.settings.max_retry_wait),
                Err(err) if err.transient => CONNECTION_RETRY_WAIT,
                _ => return reply.map_err(|err| err.reason),
            };
            if attempt >= self.settings.retries {
                return reply.map_err(|err| err.reason);
            }
            attempt += 1;
            thread::sleep(wait);
        }
    }

    fn send(&self, url: &Url, get: bool) -> Result<Reply, SendError> {
        self.requests.fetch_add(1, Ordering::Relaxed);
        let request = if get {
            self.agent.get(url.as_str()).call()
        } else {
            self.agent.head(url.as_str()).call()
        };
        let response = request.map_err(|err| describe(&err, self.settings.timeout))?;
        let header = |name: &str| {
            response
                .headers()
                .get(name)
                .and_then(|value| value.to_str().ok())
        };
        // The response is dropped unread: a GET body is never downloaded, and ureq closes
        // the connection instead of draining it.
        Ok(Reply {
            status: response.status().as_u16(),
            location: header("location").map(str::to_owned),
            retry_after: header("retry-after")
                .and_then(|value| parse_retry_after(value, SystemTime::now())),
        })
    }
}

/// Whether a HEAD answer may be the server's mistake rather than the page's state.
fn head_refused(status: u16) -> bool {
    ((400..500).contains(&status) && status != 429) || status == 501
}

fn describe(err: &ureq::Error, timeout: Duration) -> SendError {
    use io::ErrorKind as Kind;
    let timed_out = || format!("timed out after {}", human(timeout));
    let (reason, transient) = match err {
        ureq::Error::Timeout(_) => (timed_out(), false),
        ureq::Error::Io(io_err) => match io_err.kind() {
            Kind::TimedOut | Kind::WouldBlock => (timed_out(), false),
            Kind::ConnectionRefused => ("connection refused".to_owned(), true),
            Kind::ConnectionReset | Kind::ConnectionAborted | Kind::BrokenPipe => {
                ("connection reset by the server".to_owned(), true)
            }
            Kind::UnexpectedEof => (
                "the server closed the connection without answering".to_owned(),
                true,
            ),
            _ => (format!("network error: {io_err}"), false),
        },
        ureq::Error::HostNotFound => ("host not found (DNS lookup failed)".to_owned(), false),
        ureq::Error::ConnectionFailed => ("could not connect".to_owned(), true),
        ureq::Error::Tls(message) => (format!("TLS error: {message}"), false),
        ureq::Error::Rustls(tls_err) => (format!("TLS error: {tls_err}"), false),
        ureq::Error::Protocol(proto_err) => (format!("invalid HTTP answer: {proto_err}"), false),
        other => (other.to_string(), false),
    };
    SendError { reason, transient }
}

/// "2 s" for whole seconds, "1500 ms" otherwise.
fn human(duration: Duration) -> String {
    if duration.subsec_nanos() == 0 {
        format!("{} s", duration.as_secs())
    } else {
        format!("{} ms", duration.as_millis())
    }
}

/// Retry-After as a wait: delay-seconds, or an HTTP date (a date already past is no wait).
fn parse_retry_after(value: &str, now: SystemTime) -> Option<Duration> {
    let value = value.trim();
    if let Ok(seconds) = value.parse::<u64>() {
        return Some(Duration::from_secs(seconds));
    }
    let at = jiff::fmt::rfc2822::DateTimeParser::new()
        .parse_timestamp(value)
        .ok()?;
    Some(SystemTime::from(at).duration_since(now).unwrap_or_default())
}

fn unix_now() -> u64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map_or(0, |since| since.as_secs())
}
