//! Real HTTP against servers on 127.0.0.1: each test starts its own, so the request counts
//! and the in-flight maximum it asserts on are its own even while tests run in parallel.

use std::fs;
use std::net::TcpListener;
use std::time::Instant;

use super::*;

mod server;
use server::*;

fn quick() -> ExternalSettings {
    ExternalSettings {
        timeout: Duration::from_secs(5),
        ..ExternalSettings::default()
    }
}

fn check(urls: &[String], settings: &ExternalSettings) -> ExternalReport {
    check_external(urls, settings).expect("the check runs")
}

fn statuses(report: &ExternalReport) -> Vec<LinkStatus> {
    report
        .results
        .iter()
        .map(|(_, status)| status.clone())
        .collect()
}

fn ok() -> LinkStatus {
    LinkStatus::Ok { status: 200 }
}

fn failure(status: &LinkStatus) -> &str {
    match status {
        LinkStatus::Failed { reason } => reason,
        other => panic!("expected Failed, got {other:?}"),
    }
}

#[test]
fn every_route_gets_its_exact_status() {
    let server = TestServer::start();
    let paths = [
        "/ok",
        "/moved",
        "/perm",
        "/temp",
        "/moved-then-temp",
        "/dir/relative",
        "/missing",
        "/nohead",
        "/head-404",
        "/endless",
        "/loop",
        "/chain/0",
    ];
    let urls: Vec<String> = paths.iter().map(|path| server.url(path)).collect();
    let report = check(&urls, &quick());

    let got = statuses(&report);
    let redirected = |path: &str| LinkStatus::Redirected {
        status: 200,
        location: server.url(path),
    };
    assert_eq!(
        got[..10],
        [
            ok(),
            redirected("/ok"),
            redirected("/ok"),
            ok(),
            // Only the permanent hop is the writer's to fix; the 302 after it is the site's.
            redirected("/temp"),
            redirected("/ok"),
            LinkStatus::Broken { status: 404 },
            ok(),
            ok(),
            // A GET whose body never ends: only a client that leaves it unread sees 200.
            ok(),
        ]
    );
    assert!(failure(&got[10]).contains("redirect loop"), "{got:?}");
    assert_eq!(failure(&got[11]), "more than 10 redirects");
    assert_eq!(server.hits("/chain/10"), 1);
    assert_eq!(server.hits("/chain/11"), 0);
    assert_eq!(report.results.len(), urls.len());
    for ((url, _), input) in report.results.iter().zip(&urls) {
        assert_eq!(url, input);
    }
    // HEAD first; GET only when HEAD was refused, and a GET's 404 is what makes it broken.
    assert_eq!(server.hits_by("GET", "/ok"), 0);
    assert_eq!(server.hits_by("HEAD", "/nohead"), 1);
    assert_eq!(server.hits_by("GET", "/nohead"), 1);
    assert_eq!(server.hits_by("HEAD", "/missing"), 1);
    assert_eq!(server.hits_by("GET", "/missing"), 1);
    // Loopback moves gigabytes in the 5 s timeout; a client that drops the body at once
    // leaves the server no further than its socket buffers.
    let sent = server.counters.endless_sent.load(Ordering::SeqCst);
    assert!(
        sent < 64 << 20,
        "{sent} bytes of the endless body were sent"
    );
    assert_eq!(report.from_cache, 0);
}

#[test]
fn fragments_and_duplicates_are_requested_once() {
    let server = TestServer::start();
    let urls = vec![
        server.url("/ok"),
        server.url("/ok#intro"),
        server.url("/ok#usage"),
        server.url("/ok"),
    ];
    let report = check(&urls, &quick());
    assert_eq!(statuses(&report), vec![ok(); 4]);
    assert_eq!(report.results[1].0, urls[1]);
    assert_eq!(server.hits("/ok"), 1);
    assert_eq!(report.requests, 1);
}

#[test]
fn non_http_links_are_skipped_and_malformed_ones_fail() {
    let urls: Vec<String> = [
        "mailto:docs@example.com",
        "ftp://example.com/file",
        "http://",
        "https://exa mple.com/",
    ]
    .map(String::from)
    .to_vec();
    let report = check(&urls, &quick());
    let got = statuses(&report);
    assert_eq!(got[..2], [LinkStatus::Skipped, LinkStatus::Skipped]);
    assert!(failure(&got[2]).starts_with("not a valid URL"), "{got:?}");
    assert!(failure(&got[3]).starts_with("not a valid URL"), "{got:?}");
    assert_eq!(report.requests, 0);
}

#[test]
fn retry_after_is_waited_for_then_the_link_is_ok() {
    let server = TestServer::start();
    let urls = vec![server.url("/busy"), server.url("/unavailable")];
    let started = Instant::now();
    let report = check(&urls, &quick());
    let elapsed = started.elapsed();
    assert_eq!(statuses(&report), vec![ok(), ok()]);
    assert_eq!(server.hits("/busy"), 2);
    assert_eq!(server.hits("/unavailable"), 2);
    assert_eq!(report.requests, 4);
    // Retry-After: 1 on the 429, and the one-second default on the bare 503.
    assert!(elapsed >= Duration::from_secs(1), "{elapsed:?}");
    assert!(elapsed < Duration::from_secs(15), "{elapsed:?}");
}

#[test]
fn retry_after_is_capped() {
    let server = TestServer::start();
    let settings = ExternalSettings {
        max_retry_wait: Duration::from_millis(100),
        ..quick()
    };
    let started = Instant::now();
    let report = check(&[server.url("/busy-long")], &settings);
    assert_eq!(statuses(&report), vec![ok()]);
    assert_eq!(server.hits("/busy-long"), 2);
    // The server asked for 60 s.
    assert!(
        started.elapsed() < Duration::from_secs(20),
        "{:?}",
        started.elapsed()
    );
}

#[test]
fn retries_run_out_as_broken() {
    let server = TestServer::start();
    let url = [server.url("/always-busy")];
    let report = check(&url, &quick());
    assert_eq!(statuses(&report), vec![LinkStatus::Broken { status: 429 }]);
    assert_eq!(server.hits("/always-busy"), 3);

    let once = ExternalSettings {
        retries: 0,
        ..quick()
    };
    let report = check(&url, &once);
    assert_eq!(statuses(&report), vec![LinkStatus::Broken { status: 429 }]);
    assert_eq!(server.hits("/always-busy"), 4);
    assert_eq!(report.requests, 1);
}

#[test]
fn a_server_that_never_answers_times_out() {
    let url = hanging_server();
    let settings = ExternalSettings {
        timeout: Duration::from_secs(1),
        ..ExternalSettings::default()
    };
    let started = Instant::now();
    let report = check(std::slice::from_ref(&url), &settings);
    let elapsed = started.elapsed();
    assert_eq!(failure(&report.results[0].1), "timed out after 1 s");
    // A timeout is not retried: a server that hung once would likely hang again.
    assert_eq!(report.requests, 1);
    assert!(elapsed >= Duration::from_millis(900), "{elapsed:?}");
    assert!(elapsed < Duration::from_secs(5), "{elapsed:?}");
}

#[test]
fn a_refused_connection_is_retried_then_fails() {
    let port = {
        let listener = TcpListener::bind("127.0.0.1:0").expect("bind");
        listener.local_addr().expect("a local address").port()
    };
    let settings = ExternalSettings {
        retries: 1,
        ..quick()
    };
    let report = check(&[format!("http://127.0.0.1:{port}/")], &settings);
    assert_eq!(failure(&report.results[0].1), "connection refused");
    assert_eq!(report.requests, 2);
}

#[test]
fn good_results_are_cached_and_broken_ones_rechecked() {
    let server = TestServer::start();
    let dir = tempfile::tempdir().expect("a temp dir");
    let cache = dir.path().join("nested/deeper/links.json");
    let settings = ExternalSettings {
        cache: Some(cache.clone()),
        ..quick()
    };
    let urls = vec![
        server.url("/ok"),
        server.url("/moved"),
        server.url("/missing"),
    ];

    let first = check(&urls, &settings);
    let expected = vec![
        ok(),
        LinkStatus::Redirected {
            status: 200,
            location: server.url("/ok"),
        },
        LinkStatus::Broken { status: 404 },
    ];
    assert_eq!(statuses(&first), expected);
    assert_eq!(first.from_cache, 0);
    let (ok_hits, moved_hits, missing_hits) = (
        server.hits("/ok"),
        server.hits("/moved"),
        server.hits("/missing"),
    );
    assert_eq!((ok_hits, moved_hits, missing_hits), (2, 1, 2));

    let saved: serde_json::Value =
        serde_json::from_str(&fs::read_to_string(&cache).expect("the cache was written"))
            .expect("the cache is JSON");
    assert_eq!(saved[server.url("/ok")]["status"], 200);
    assert_eq!(
        saved[server.url("/moved")]["redirected_to"],
        server.url("/ok")
    );
    assert!(
        saved[server.url("/ok")]["checked_at"]
            .as_u64()
            .is_some_and(|t| t > 0)
    );
    assert!(saved.get(server.url("/missing")).is_none(), "{saved}");

    let second = check(&urls, &settings);
    assert_eq!(statuses(&second), expected);
    assert_eq!(second.from_cache, 2);
    assert_eq!(second.requests, 2);
    assert_eq!(server.hits("/ok"), ok_hits);
    assert_eq!(server.hits("/moved"), moved_hits);
    assert_eq!(server.hits("/missing"), missing_hits + 2);

    let expired = ExternalSettings {
        cache_ttl: Duration::ZERO,
        ..settings
    };
    let third = check(&urls, &expired);
    assert_eq!(statuses(&third), expected);
    assert_eq!(third.from_cache, 0);
    assert_eq!(server.hits("/moved"), moved_hits + 1);
}

#[test]
fn a_corrupt_cache_is_ignored_and_replaced() {
    let server = TestServer::start();
    let dir = tempfile::tempdir().expect("a temp dir");
    let cache = dir.path().join("links.json");
    fs::write(&cache, "{not json").expect("write");
    let settings = ExternalSettings {
        cache: Some(cache.clone()),
        ..quick()
    };
    let report = check(&[server.url("/ok")], &settings);
    assert_eq!(statuses(&report), vec![ok()]);
    assert_eq!(report.from_cache, 0);
    let saved: serde_json::Value =
        serde_json::from_str(&fs::read_to_string(&cache).expect("read")).expect("valid JSON");
    assert_eq!(saved[server.url("/ok")]["status"], 200);
    let leftovers: Vec<_> = fs::read_dir(dir.path()).expect("list").collect();
    assert_eq!(leftovers.len(), 1, "the temp file was renamed away");
}

#[test]
fn only_fresh_good_cache_entries_are_trusted() {
    let dir = tempfile::tempdir().expect("a temp dir");
    let cache = dir.path().join("links.json");
    let now = 1_000_000;
    let text = serde_json::json!({
        "https://fresh.example/": {"status": 200, "checked_at": now - 10},
        "https://moved.example/": {"status": 200, "redirected_to": "https://new.example/", "checked_at": now - 10},
        "https://stale.example/": {"status": 200, "checked_at": now - 1000},
        "https://future.example/": {"status": 200, "checked_at": now + 10},
        "https://broken.example/": {"status": 404, "checked_at": now - 10},
        "https://garbled.example/": {"status": "fine"},
    });
    fs::write(&cache, text.to_string()).expect("write");
    let loaded = load_cache(&cache, now, Duration::from_secs(100));
    let keys: Vec<&str> = loaded.keys().map(String::as_str).collect();
    assert_eq!(keys, ["https://fresh.example/", "https://moved.example/"]);
    assert_eq!(
        loaded["https://moved.example/"].status(),
        LinkStatus::Redirected {
            status: 200,
            location: "https://new.example/".to_owned()
        }
    );
    assert!(load_cache(&dir.path().join("absent.json"), now, Duration::MAX).is_empty());
}

#[test]
fn an_unwritable_cache_is_an_error_naming_the_path() {
    let dir = tempfile::tempdir().expect("a temp dir");
    let blocker = dir.path().join("blocker");
    fs::write(&blocker, "a file, not a directory").expect("write");
    let cache = blocker.join("links.json");
    let settings = ExternalSettings {
        cache: Some(cache.clone()),
        ..quick()
    };
    let err = check_external(&["mailto:a@example.com".to_owned()], &settings)
        .expect_err("the cache cannot be written");
    assert!(matches!(&err, ExternalError::CacheWrite { path, .. } if *path == cache));
    assert!(
        err.to_string().contains(&cache.display().to_string()),
        "{err}"
    );
}

#[test]
fn skipped_links_make_no_requests() {
    let server = TestServer::start();
    let settings = ExternalSettings {
        skip: vec![server.url("/miss*"), "*://localhost*".to_owned()],
        ..quick()
    };
    let urls = vec![
        server.url("/missing"),
        server.url("/missing#part"),
        "http://localhost:1/docs".to_owned(),
        "https://LOCALHOST".to_owned(),
        server.url("/ok"),
    ];
    let report = check(&urls, &settings);
    let mut expected = vec![LinkStatus::Skipped; 4];
    expected.push(ok());
    assert_eq!(statuses(&report), expected);
    assert_eq!(server.hits("/missing"), 0);
    assert_eq!(report.requests, 1);
}

#[test]
fn a_bad_skip_pattern_is_an_error() {
    let settings = ExternalSettings {
        skip: vec!["https://example.com/[oops".to_owned()],
        ..quick()
    };
    let err = check_external(&[], &settings).expect_err("an invalid glob");
    assert!(
        matches!(&err, ExternalError::BadSkipPattern { pattern, .. } if pattern == "https://example.com/[oops")
    );
}

#[test]
fn no_host_gets_more_than_per_host_requests_at_once() {
    let server = TestServer::start();
    let urls: Vec<String> = (0..8)
        .map(|i| server.url(&format!("/slow?page={i}")))
        .collect();
    let settings = ExternalSettings {
        per_host: 2,
        concurrency: 8,
        ..quick()
    };
    let report = check(&urls, &settings);
    assert_eq!(statuses(&report), vec![ok(); 8]);
    assert_eq!(server.hits("/slow"), 8);
    // Two at once shows the check was concurrent at all; never three is the limit.
    assert_eq!(server.max_in_flight(), 2);
}

#[test]
fn no_more_than_concurrency_requests_at_once_and_zero_means_one() {
    let server = TestServer::start();
    let urls: Vec<String> = (0..4)
        .map(|i| server.url(&format!("/slow?page={i}")))
        .collect();
    let settings = ExternalSettings {
        per_host: 4,
        concurrency: 1,
        ..quick()
    };
    assert_eq!(statuses(&check(&urls, &settings)), vec![ok(); 4]);
    assert_eq!(server.max_in_flight(), 1);

    let other = TestServer::start();
    let urls: Vec<String> = (0..3)
        .map(|i| other.url(&format!("/slow?page={i}")))
        .collect();
    let zero = ExternalSettings {
        per_host: 0,
        concurrency: 0,
        ..quick()
    };
    assert_eq!(statuses(&check(&urls, &zero)), vec![ok(); 3]);
    assert_eq!(other.max_in_flight(), 1);
}

#[test]
fn retry_after_takes_seconds_or_an_http_date() {
    // Sun, 06 Nov 1994 08:49:37 GMT
    let now = UNIX_EPOCH + Duration::from_secs(784_111_777);
    assert_eq!(parse_retry_after("1", now), Some(Duration::from_secs(1)));
    assert_eq!(
        parse_retry_after(" 120 ", now),
        Some(Duration::from_secs(120))
    );
    assert_eq!(
        parse_retry_after("Sun, 06 Nov 1994 08:50:07 GMT", now),
        Some(Duration::from_secs(30))
    );
    assert_eq!(
        parse_retry_after("Sun, 06 Nov 1994 08:00:00 GMT", now),
        Some(Duration::ZERO)
    );
    assert_eq!(parse_retry_after("soon", now), None);
    assert_eq!(parse_retry_after("-5", now), None);
}

#[test]
fn head_answers_that_need_a_get() {
    for status in [400, 403, 404, 405, 410, 501] {
        assert!(head_refused(status), "{status}");
    }
    for status in [200, 301, 429, 500, 503] {
        assert!(!head_refused(status), "{status}");
    }
    assert_eq!(human(Duration::from_secs(2)), "2 s");
    assert_eq!(human(Duration::from_millis(1500)), "1500 ms");
}
