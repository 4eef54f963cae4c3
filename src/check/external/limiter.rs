//! The per-host limit of the external link checker: workers take queued URLs only while
//! their host has fewer than `per_host` requests in flight.

use std::collections::{HashMap, VecDeque};
use std::sync::{Condvar, Mutex, MutexGuard};

/// Hands out queued URLs so that no host has more than `per_host` requests in flight.
pub(super) struct HostLimiter {
    per_host: usize,
    state: Mutex<LimiterState>,
    freed: Condvar,
}

struct LimiterState {
    queue: VecDeque<(usize, String)>,
    in_flight: HashMap<String, usize>,
}

impl HostLimiter {
    pub(super) fn new(queue: VecDeque<(usize, String)>, per_host: usize) -> Self {
        HostLimiter {
            per_host,
            state: Mutex::new(LimiterState {
                queue,
                in_flight: HashMap::new(),
            }),
            freed: Condvar::new(),
        }
    }

    fn lock(&self) -> MutexGuard<'_, LimiterState> {
        self.state.lock().unwrap_or_else(|e| e.into_inner())
    }

    fn has_room(&self, state: &LimiterState, host: &str) -> bool {
        state.in_flight.get(host).copied().unwrap_or(0) < self.per_host
    }

    /// The first queued URL whose host has room, waiting while every queued host is busy;
    /// `None` once the queue is empty. Taking the first with room rather than the head of the
    /// queue keeps one slow host from idling the workers.
    pub(super) fn next_job(&self) -> Option<(usize, HostSlot<'_>)> {
        let mut state = self.lock();
        loop {
            if state.queue.is_empty() {
                return None;
            }
            let free = state
                .queue
                .iter()
                .position(|(_, host)| self.has_room(&state, host));
            if let Some((index, host)) = free.and_then(|at| state.queue.remove(at)) {
                *state.in_flight.entry(host.clone()).or_insert(0) += 1;
                let limiter = self;
                return Some((index, HostSlot { limiter, host }));
            }
            state = self.freed.wait(state).unwrap_or_else(|e| e.into_inner());
        }
    }

    fn release(&self, state: &mut LimiterState, host: &str) {
        if let Some(count) = state.in_flight.get_mut(host) {
            *count = count.saturating_sub(1);
            if *count == 0 {
                state.in_flight.remove(host);
            }
        }
        self.freed.notify_all();
    }
}

/// One request's right to talk to `host`, given back when dropped.
pub(super) struct HostSlot<'a> {
    limiter: &'a HostLimiter,
    host: String,
}

impl HostSlot<'_> {
    /// Trades this slot for one on `host`, for a redirect to another host. The old slot is
    /// given up before waiting, so two workers redirected across each other's hosts cannot
    /// deadlock.
    pub(super) fn move_to(&mut self, host: &str) {
        if self.host == host {
            return;
        }
        let limiter = self.limiter;
        let mut state = limiter.lock();
        limiter.release(&mut state, &self.host);
        while !limiter.has_room(&state, host) {
            state = limiter.freed.wait(state).unwrap_or_else(|e| e.into_inner());
        }
        *state.in_flight.entry(host.to_owned()).or_insert(0) += 1;
        self.host = host.to_owned();
    }
}

impl Drop for HostSlot<'_> {
    fn drop(&mut self) {
        let mut state = self.limiter.lock();
        self.limiter.release(&mut state, &self.host);
    }
}
