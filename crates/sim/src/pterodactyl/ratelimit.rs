//! The client API's throttle, as Laravel does it: a fixed window that opens at the first request
//! after the previous one closed; over the limit, 429 + `Retry-After` (seconds until it closes)
//! and the request is not handled.
//!
//! Separately, every served request is checked against a *sliding* window ending at it: if more
//! than `limit` requests were served within one window length, `stats.windows_over_limit` is
//! incremented. Laravel's fixed windows let a burst at the end of one window and another at the
//! start of the next through; a host with a stricter limiter would not, so a well-behaved client
//! keeps this counter at zero.

use std::{
    collections::VecDeque,
    sync::{atomic::Ordering, Arc, Mutex},
    time::Duration,
};

use tokio::time::Instant;

use crate::SimStats;

#[derive(Debug)]
pub struct Throttle {
    /// 0 = unlimited.
    limit: u32,
    window: Duration,
    state: Mutex<ThrottleState>,
    stats: Arc<SimStats>,
}

#[derive(Debug, Default)]
struct ThrottleState {
    window_start: Option<Instant>,
    hits: u32,
    served: VecDeque<Instant>,
}

/// What the throttle decided for one request.
pub enum Verdict {
    Serve { remaining: u32 },
    Reject { retry_after_secs: u64 },
}

impl Throttle {
    pub fn new(limit: u32, window_ms: u64, stats: Arc<SimStats>) -> Self {
        Throttle {
            limit,
            window: Duration::from_millis(window_ms.max(1)),
            state: Mutex::new(ThrottleState::default()),
            stats,
        }
    }

    pub fn limit(&self) -> u32 {
        self.limit
    }

    pub fn check(&self) -> Verdict {
        if self.limit == 0 {
            return Verdict::Serve {
                remaining: u32::MAX,
            };
        }
        let now = Instant::now();
        let mut st = self.state.lock().unwrap_or_else(|e| e.into_inner());
        let start = match st.window_start {
            Some(start) if now < start + self.window => start,
            _ => {
                st.window_start = Some(now);
                st.hits = 0;
                now
            }
        };
        if st.hits >= self.limit {
            let left = (start + self.window).saturating_duration_since(now);
            return Verdict::Reject {
                retry_after_secs: left.as_secs_f64().ceil().max(1.0) as u64,
            };
        }
        st.hits += 1;
        let window = self.window;
        while st.served.front().is_some_and(|t| *t + window <= now) {
            st.served.pop_front();
        }
        st.served.push_back(now);
        if st.served.len() > self.limit as usize {
            self.stats
                .windows_over_limit
                .fetch_add(1, Ordering::Relaxed);
        }
        Verdict::Serve {
            remaining: self.limit - st.hits,
        }
    }
}
