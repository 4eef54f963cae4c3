//! Telling browsers what changed. Each rebuild that changes something gets a new epoch; a
//! page's script long-polls `/__folio/poll?epoch=N` on the same port (so it works behind
//! proxies and tunnels) and is answered as soon as there is a newer epoch. Requests for
//! pages wait while a rebuild is in flight, so a browser never sees a half-built site.

use std::collections::VecDeque;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Condvar, Mutex, MutexGuard};
use std::time::{Duration, Instant};

use serde::Serialize;

/// Long-polls held at once; more are answered at once with 503 (the script retries).
pub const MAX_WAITING_POLLS: usize = 64;
/// How long a poll is held before an empty answer.
const POLL_TIMEOUT: Duration = Duration::from_secs(25);
/// How long a page request waits for a rebuild in flight.
const BUILD_WAIT: Duration = Duration::from_secs(10);
/// Epochs remembered for browsers that fell behind.
const HISTORY: usize = 32;

/// What one epoch changed, as sent to browsers.
#[derive(Debug, Clone, Default, Serialize)]
pub struct Event {
    pub epoch: u64,
    /// Output paths whose content changed (pages reload when theirs is listed).
    pub changed: Vec<String>,
    /// A stylesheet changed: pages swap it without reloading.
    pub styles: bool,
    /// Everything should reload (a script changed, or the browser fell too far behind).
    pub reload_all: bool,
    /// The error overlay to show, or none (errors are fixed).
    pub overlay: Option<String>,
    /// Pages whose Markdown and layouts were rendered by the rebuild.
    pub markdown: usize,
    pub pages: usize,
    pub elapsed_ms: u128,
}

#[derive(Debug, Default)]
struct State {
    /// File events seen and rebuilds finished; requests wait while `built < seen`.
    seen: u64,
    built: u64,
    epoch: u64,
    history: VecDeque<Event>,
    overlay: Option<String>,
}

/// Shared by the builder, page requests and polls.
#[derive(Debug, Default)]
pub struct Hub {
    state: Mutex<State>,
    changed: Condvar,
    waiting: AtomicUsize,
}

impl Hub {
    fn lock(&self) -> MutexGuard<'_, State> {
        self.state
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner())
    }

    /// A file changed: requests from now on wait for the rebuild.
    pub fn rebuild_started(&self) -> u64 {
        let mut state = self.lock();
        state.seen += 1;
        state.seen
    }

    /// A rebuild (up to `ticket`) finished; `event` is published when it changed anything.
    pub fn rebuild_finished(&self, ticket: u64, event: Option<Event>) {
        let mut state = self.lock();
        state.built = state.built.max(ticket);
        if let Some(mut event) = event {
            state.epoch += 1;
            event.epoch = state.epoch;
            state.overlay.clone_from(&event.overlay);
            state.history.push_back(event);
            while state.history.len() > HISTORY {
                state.history.pop_front();
            }
        }
        drop(state);
        self.changed.notify_all();
    }

    /// Waits until no rebuild is in flight (or a while); returns the epoch and overlay then.
    pub fn wait_for_build(&self) -> (u64, Option<String>) {
        let deadline = Instant::now() + BUILD_WAIT;
        let mut state = self.lock();
        let target = state.seen;
        while state.built < target {
            let left = deadline.saturating_duration_since(Instant::now());
            if left.is_zero() {
                break;
            }
            state = self
                .changed
                .wait_timeout(state, left)
                .map(|(s, _)| s)
                .unwrap_or_else(|e| e.into_inner().0);
        }
        (state.epoch, state.overlay.clone())
    }

    /// Whether browsers are showing the error overlay.
    pub fn overlay_shown(&self) -> bool {
        self.lock().overlay.is_some()
    }

    /// Takes a slot for a long-poll; `None` when too many are held.
    pub fn enter_poll(&self) -> Option<PollSlot<'_>> {
        let held = self.waiting.fetch_add(1, Ordering::SeqCst);
        if held >= MAX_WAITING_POLLS {
            self.waiting.fetch_sub(1, Ordering::SeqCst);
            return None;
        }
        Some(PollSlot { hub: self })
    }

    #[cfg(test)]
    pub fn waiting_polls(&self) -> usize {
        self.waiting.load(Ordering::SeqCst)
    }
}

/// A held long-poll; frees its slot when dropped.
pub struct PollSlot<'a> {
    hub: &'a Hub,
}

impl PollSlot<'_> {
    /// Waits for an epoch after `since`; returns what changed since then.
    pub fn wait(&self, since: u64) -> Event {
        let deadline = Instant::now() + POLL_TIMEOUT;
        let mut state = self.hub.lock();
        while state.epoch <= since {
            let left = deadline.saturating_duration_since(Instant::now());
            if left.is_zero() {
                return Event {
                    epoch: state.epoch,
                    overlay: state.overlay.clone(),
                    ..Event::default()
                };
            }
            state = self
                .hub
                .changed
                .wait_timeout(state, left)
                .map(|(s, _)| s)
                .unwrap_or_else(|e| e.into_inner().0);
        }
        merge_since(&state, since)
    }
}

impl Drop for PollSlot<'_> {
    fn drop(&mut self) {
        self.hub.waiting.fetch_sub(1, Ordering::SeqCst);
    }
}

/// The union of the events after `since`.
fn merge_since(state: &State, since: u64) -> Event {
    let mut merged = Event {
        epoch: state.epoch,
        overlay: state.overlay.clone(),
        ..Event::default()
    };
    let oldest = state.history.front().map_or(u64::MAX, |e| e.epoch);
    if since + 1 < oldest {
        merged.reload_all = true;
        return merged;
    }
    for event in state.history.iter().filter(|e| e.epoch > since) {
        merged.changed.extend(event.changed.iter().cloned());
        merged.styles |= event.styles;
        merged.reload_all |= event.reload_all;
        merged.markdown += event.markdown;
        merged.pages += event.pages;
        merged.elapsed_ms = event.elapsed_ms;
    }
    merged.changed.sort();
    merged.changed.dedup();
    merged
}

/// The script added to every page served (`{EPOCH}` and `{PAGE}` are filled in).
pub const CLIENT_SCRIPT: &str = r#"<script>
(function () {
  var epoch = {EPOCH}, page = {PAGE};
  function overlay(html) {
    var old = document.getElementById("folio-overlay");
    if (old) old.parentNode.removeChild(old);
    if (!html) return;
    var holder = document.createElement("div");
    holder.innerHTML = html;
    document.body.appendChild(holder.firstElementChild);
  }
  function swapStyles() {
    var links = document.querySelectorAll('link[rel="stylesheet"]');
    Array.prototype.forEach.call(links, function (link) {
      var url = new URL(link.href, location.href);
      url.searchParams.set("folio-reload", String(Date.now()));
      var fresh = link.cloneNode();
      fresh.href = url.href;
      fresh.onload = fresh.onerror = function () { if (link.parentNode) link.parentNode.removeChild(link); };
      link.parentNode.insertBefore(fresh, link.nextSibling);
    });
  }
  function handle(event) {
    overlay(event.overlay);
    if (event.reload_all || event.changed.indexOf(page) >= 0) { location.reload(); return false; }
    if (event.styles) swapStyles();
    return true;
  }
  function poll() {
    if (document.hidden) { document.addEventListener("visibilitychange", poll, { once: true }); return; }
    fetch("/__folio/poll?epoch=" + epoch, { cache: "no-store" })
      .then(function (response) { if (!response.ok) throw new Error(String(response.status)); return response.json(); })
      .then(function (event) {
        var fresh = event.epoch !== epoch;
        epoch = event.epoch;
        if (!fresh || handle(event)) poll();
      })
      .catch(function () { setTimeout(poll, 1000); });
  }
  poll();
})();
</script>
"#;

#[cfg(test)]
mod tests {
    use super::*;

    fn event(changed: &[&str]) -> Event {
        Event {
            changed: changed.iter().map(|s| s.to_string()).collect(),
            ..Event::default()
        }
    }

    #[test]
    fn polls_get_the_changes_since_their_epoch() {
        let hub = Hub::default();
        let ticket = hub.rebuild_started();
        hub.rebuild_finished(ticket, Some(event(&["a.html"])));
        let ticket = hub.rebuild_started();
        hub.rebuild_finished(ticket, Some(event(&["b.html"])));
        let slot = hub.enter_poll().unwrap();
        assert_eq!(slot.wait(0).changed, ["a.html", "b.html"]);
        assert_eq!(slot.wait(1).changed, ["b.html"]);
        assert_eq!(slot.wait(1).epoch, 2);
    }

    #[test]
    fn the_number_of_held_polls_is_bounded() {
        let hub = Hub::default();
        let slots: Vec<_> = (0..MAX_WAITING_POLLS)
            .map(|_| hub.enter_poll().unwrap())
            .collect();
        assert!(hub.enter_poll().is_none());
        drop(slots);
        assert_eq!(hub.waiting_polls(), 0);
        assert!(hub.enter_poll().is_some());
    }

    #[test]
    fn requests_wait_for_a_rebuild_in_flight() {
        let hub = std::sync::Arc::new(Hub::default());
        let ticket = hub.rebuild_started();
        let builder = std::sync::Arc::clone(&hub);
        let handle = std::thread::spawn(move || {
            std::thread::sleep(Duration::from_millis(100));
            builder.rebuild_finished(ticket, Some(event(&["x.html"])));
        });
        let started = Instant::now();
        let (epoch, _) = hub.wait_for_build();
        assert!(started.elapsed() >= Duration::from_millis(90));
        assert_eq!(epoch, 1);
        handle.join().unwrap();
    }
}
