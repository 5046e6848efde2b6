//! A request budget shared by every clone of a client: at most `limit` requests per `window`.
//!
//! It is a sliding window counted conservatively: a request holds its place from the moment it
//! is sent until one window after its answer arrived. The panel sees each request somewhere
//! between those two instants, so however its own window is aligned, it never sees more than
//! `limit` of ours inside one window, whatever the network jitter.

use std::{
    collections::VecDeque,
    sync::{Arc, Mutex, MutexGuard},
    time::Duration,
};

use tokio::{sync::Notify, time::Instant};

#[derive(Debug, Clone)]
pub struct RateBudget {
    inner: Arc<Inner>,
}

#[derive(Debug)]
struct Inner {
    limit: usize,
    window: Duration,
    state: Mutex<State>,
    /// Woken when an in-flight request finishes.
    finished: Notify,
}

#[derive(Debug, Default)]
struct State {
    in_flight: usize,
    /// When recent requests finished, oldest first; each counts until `+ window`.
    done: VecDeque<Instant>,
    /// Set after a 429: nobody sends before this.
    paused_until: Option<Instant>,
}

/// A place in the budget, held while the request is under way.
#[derive(Debug)]
pub struct Slot {
    inner: Arc<Inner>,
}

impl Drop for Slot {
    fn drop(&mut self) {
        {
            let mut st = self.inner.lock();
            st.in_flight = st.in_flight.saturating_sub(1);
            st.done.push_back(Instant::now());
        }
        self.inner.finished.notify_waiters();
    }
}

enum Next {
    Go,
    WaitUntil(Instant),
}

impl Inner {
    fn lock(&self) -> MutexGuard<'_, State> {
        // A panic elsewhere cannot leave the counters half-updated in a way that matters here.
        self.state.lock().unwrap_or_else(|e| e.into_inner())
    }
}

impl RateBudget {
    /// `limit` requests per `window` (a limit of 0 is treated as 1).
    pub fn new(limit: u32, window: Duration) -> Self {
        RateBudget {
            inner: Arc::new(Inner {
                limit: usize::try_from(limit.max(1)).unwrap_or(usize::MAX),
                window,
                state: Mutex::new(State::default()),
                finished: Notify::new(),
            }),
        }
    }

    pub fn limit(&self) -> usize {
        self.inner.limit
    }

    pub fn window(&self) -> Duration {
        self.inner.window
    }

    /// Waits for a place in the budget.
    pub async fn acquire(&self) -> Slot {
        loop {
            // Registered before the lock is released, so a finish in between is not missed.
            let notified = self.inner.finished.notified();
            let next = {
                let mut st = self.inner.lock();
                let now = Instant::now();
                match st.paused_until {
                    Some(until) if until > now => Next::WaitUntil(until),
                    _ => {
                        st.paused_until = None;
                        let window = self.inner.window;
                        while st.done.front().is_some_and(|t| *t + window <= now) {
                            st.done.pop_front();
                        }
                        if st.in_flight + st.done.len() < self.inner.limit {
                            st.in_flight += 1;
                            Next::Go
                        } else {
                            // Every place is in flight: a finish (notify) or, at the
                            // latest, one window frees one.
                            Next::WaitUntil(st.done.front().map_or(now + window, |t| *t + window))
                        }
                    }
                }
            };
            match next {
                Next::Go => {
                    return Slot {
                        inner: self.inner.clone(),
                    }
                }
                Next::WaitUntil(deadline) => {
                    tokio::select! {
                        _ = notified => {}
                        _ = tokio::time::sleep_until(deadline) => {}
                    }
                }
            }
        }
    }

    /// Holds every caller back for `delay` (the panel said 429 / Retry-After).
    pub fn pause_for(&self, delay: Duration) {
        let until = Instant::now() + delay;
        let mut st = self.inner.lock();
        if st.paused_until.is_none_or(|p| p < until) {
            st.paused_until = Some(until);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    // Lower bounds only, each measured from a clock reading taken before the limiter's own:
    // sleeps never end early, so a slow machine cannot make these fail.
    #[tokio::test]
    async fn never_more_than_limit_per_window_counting_from_answers() {
        let window = Duration::from_millis(200);
        let budget = RateBudget::new(3, window);
        let start = Instant::now();
        let mut spans = Vec::new();
        for _ in 0..7 {
            let slot = budget.acquire().await;
            let sent = start.elapsed();
            // The request; its answer is read before the slot records its finish, which is
            // then no earlier.
            tokio::time::sleep(Duration::from_millis(10)).await;
            let answered = start.elapsed();
            drop(slot);
            spans.push((sent, answered));
        }
        // The 4th request may only leave one window after the 1st one's answer.
        for four in spans.windows(4) {
            assert!(four[3].0 >= four[0].1 + window, "{spans:?}");
        }
    }

    #[tokio::test]
    async fn pause_holds_every_clone_back() {
        let budget = RateBudget::new(100, Duration::from_secs(1));
        let start = Instant::now(); // before the pause's own clock reading
        budget.pause_for(Duration::from_millis(300));
        let clone = budget.clone();
        drop(clone.acquire().await);
        assert!(start.elapsed() >= Duration::from_millis(300));
    }
}
