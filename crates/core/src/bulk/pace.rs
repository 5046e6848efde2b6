//! How many requests a bulk run keeps in flight on one panel. A fixed number either wastes a
//! fast panel or overruns a small one: Marzban 0.8.4 on its default SQLite has a database pool
//! of 15 connections and answers 500 or times out beyond it (issue 19, measured on a real
//! server). So the limit adapts, the same for every kind: it starts modest, grows while
//! answers come back fast and clean, halves on a 5xx, a timeout, a lost connection or a 429,
//! and never exceeds the run's configured maximum (`ExecOptions::concurrency`).
//!
//! [`Pace`] holds the decisions and takes answer times as values, so its tests need no clock;
//! [`Pacer`] puts it behind a lock for the run's tasks.

use std::{
    sync::{Mutex, MutexGuard},
    time::{Duration, Instant},
};

use tokio::sync::Notify;

/// Requests in flight before the panel has answered anything: half the 16 at which a real
/// Marzban 0.8.4 started answering 500 or timing out (issue 19), below its pool of 15.
const START: usize = 8;
/// Room above the quickest answers that still counts as fast, for jitter on quick panels.
const SLACK: Duration = Duration::from_millis(25);
/// How far a slower answer moves the remembered quickest time towards it (1/32): a panel that
/// became slower for good is learned again, one busy moment is not.
const BASELINE_CREEP: u32 = 32;

/// What one request's answer says about the panel's load.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Answer {
    /// Answered (success or a refusal such as 404/409/422) after this long.
    Served(Duration),
    /// 5xx, timeout, lost connection or 429: the panel has more than it can take.
    Overloaded,
}

/// Identifies a request by the order it was started in.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Ticket(u64);

/// The limit and what it was learned from.
#[derive(Debug)]
pub(crate) struct Pace {
    max: usize,
    /// Fractional, so that after the first overload it grows by about one per full round.
    limit: f64,
    /// Before the first overload the limit grows by one per fast answer (doubling per round).
    probing: bool,
    /// The panel's answer time when not loaded: the quickest seen, creeping up slowly.
    baseline: Option<Duration>,
    in_flight: usize,
    started: u64,
    /// Overloads of requests started up to here were already answered by a cut.
    cut_covers: u64,
}

impl Pace {
    pub fn new(max: usize) -> Self {
        let max = max.max(1);
        Pace {
            max,
            limit: START.min(max) as f64,
            probing: true,
            baseline: None,
            in_flight: 0,
            started: 0,
            cut_covers: 0,
        }
    }

    /// Requests allowed in flight now.
    pub fn limit(&self) -> usize {
        (self.limit.floor() as usize).clamp(1, self.max)
    }

    /// A ticket when one more request may go now.
    pub fn try_start(&mut self) -> Option<Ticket> {
        if self.in_flight >= self.limit() {
            return None;
        }
        self.in_flight += 1;
        self.started += 1;
        Some(Ticket(self.started))
    }

    /// A request ended before it was answered (its run was cancelled): no lesson.
    pub fn abandon(&mut self, _ticket: Ticket) {
        self.in_flight = self.in_flight.saturating_sub(1);
    }

    pub fn finish(&mut self, ticket: Ticket, answer: Answer) {
        let was_full = self.in_flight >= self.limit();
        self.in_flight = self.in_flight.saturating_sub(1);
        match answer {
            // Requests already under way when the panel first said "too much" belong to the
            // load that was cut for: one cut per round, not one per failed request.
            Answer::Overloaded if ticket.0 > self.cut_covers => {
                self.limit = (self.limit / 2.0).floor().max(1.0);
                self.probing = false;
                self.cut_covers = self.started;
            }
            Answer::Overloaded => {}
            Answer::Served(took) => {
                let fast = self.learn(took);
                // Growing while the limit is not used would raise it untested.
                if fast && was_full {
                    let step = if self.probing { 1.0 } else { 1.0 / self.limit };
                    self.limit = (self.limit + step).min(self.max as f64);
                }
            }
        }
    }

    /// Updates the quickest answer time; whether `took` is fast next to it.
    fn learn(&mut self, took: Duration) -> bool {
        let base = match self.baseline {
            Some(base) if took >= base => base + (took - base) / BASELINE_CREEP,
            _ => took,
        };
        self.baseline = Some(base);
        took <= base + base / 2 + SLACK
    }
}

/// A [`Pace`] shared by one panel's requests; a request waits for a free place.
pub(crate) struct Pacer {
    pace: Mutex<Pace>,
    freed: Notify,
}

impl Pacer {
    pub fn new(max: usize) -> Self {
        Pacer {
            pace: Mutex::new(Pace::new(max)),
            freed: Notify::new(),
        }
    }

    fn pace(&self) -> MutexGuard<'_, Pace> {
        self.pace
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner())
    }

    /// Waits until one more request may go.
    pub async fn slot(&self) -> Slot<'_> {
        loop {
            let freed = self.freed.notified();
            tokio::pin!(freed);
            // Registered before the check, so a place freed in between is not missed.
            freed.as_mut().enable();
            if let Some(ticket) = self.pace().try_start() {
                return Slot {
                    pacer: self,
                    ticket: Some(ticket),
                    sent: Instant::now(),
                };
            }
            freed.await;
        }
    }

    #[cfg(test)]
    fn limit(&self) -> usize {
        self.pace().limit()
    }
}

/// One request's place; give it back with [`Slot::finish`] (dropping it gives it back without
/// a lesson).
pub(crate) struct Slot<'a> {
    pacer: &'a Pacer,
    ticket: Option<Ticket>,
    sent: Instant,
}

impl Slot<'_> {
    /// Ends the request: `overloaded` when its answer was a 5xx, timeout, lost connection or
    /// 429; otherwise its time since the slot was taken counts.
    pub fn finish(mut self, overloaded: bool) {
        if let Some(ticket) = self.ticket.take() {
            let answer = if overloaded {
                Answer::Overloaded
            } else {
                Answer::Served(self.sent.elapsed())
            };
            self.pacer.pace().finish(ticket, answer);
            self.pacer.freed.notify_waiters();
        }
    }
}

impl Drop for Slot<'_> {
    fn drop(&mut self) {
        if let Some(ticket) = self.ticket.take() {
            self.pacer.pace().abandon(ticket);
            self.pacer.freed.notify_waiters();
        }
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::expect_used)]

    use std::collections::VecDeque;

    use super::*;

    const MS: Duration = Duration::from_millis(1);

    /// A run with more items than places: each answer frees a place that is taken again at
    /// once, as the engine does.
    struct Busy {
        pace: Pace,
        flying: VecDeque<Ticket>,
    }

    impl Busy {
        fn new(max: usize) -> Self {
            let mut b = Busy {
                pace: Pace::new(max),
                flying: VecDeque::new(),
            };
            b.refill();
            b
        }

        fn refill(&mut self) {
            while let Some(t) = self.pace.try_start() {
                self.flying.push_back(t);
            }
        }

        /// `n` answers, oldest request first.
        fn answers(&mut self, n: usize, answer: Answer) {
            for _ in 0..n {
                let t = self.flying.pop_front().expect("a request in flight");
                self.pace.finish(t, answer);
                self.refill();
            }
        }

        /// Every request in flight now fails.
        fn all_fail(&mut self) {
            for t in std::mem::take(&mut self.flying) {
                self.pace.finish(t, Answer::Overloaded);
            }
            self.refill();
        }

        fn limit(&self) -> usize {
            self.pace.limit()
        }
    }

    #[test]
    fn starts_modest_and_never_above_the_maximum() {
        let b = Busy::new(16);
        assert_eq!(b.limit(), START);
        assert_eq!(b.flying.len(), START);

        let mut small = Busy::new(2);
        assert_eq!(small.limit(), 2);
        small.answers(50, Answer::Served(10 * MS));
        assert_eq!(small.limit(), 2);
        assert_eq!(small.flying.len(), 2);
        assert_eq!(Pace::new(0).limit(), 1);
    }

    #[test]
    fn fast_clean_answers_grow_it_to_the_maximum() {
        let mut b = Busy::new(64);
        // Before any trouble: one more per fast answer, so it doubles per round.
        b.answers(START, Answer::Served(40 * MS));
        assert_eq!(b.limit(), 2 * START);
        b.answers(200, Answer::Served(40 * MS));
        assert_eq!(b.limit(), 64);
        assert_eq!(b.flying.len(), 64);
    }

    #[test]
    fn an_overload_halves_it_once_per_round_down_to_one() {
        let mut b = Busy::new(64);
        b.answers(16 - START, Answer::Served(10 * MS));
        let before = b.limit();
        assert_eq!(before, 16);
        // Every request under way fails: one cut, not one per request.
        b.all_fail();
        assert_eq!(b.limit(), 8);
        // Requests sent after the cut fail too: cut again.
        b.all_fail();
        assert_eq!(b.limit(), 4);
        for _ in 0..10 {
            b.all_fail();
        }
        assert_eq!(b.limit(), 1);
    }

    #[test]
    fn after_an_overload_it_grows_by_about_one_per_round() {
        let mut b = Busy::new(64);
        b.answers(16 - START, Answer::Served(10 * MS));
        b.all_fail();
        let cut = b.limit();
        assert_eq!(cut, 8);
        b.answers(3 * cut, Answer::Served(10 * MS));
        assert!((cut + 1..=cut + 3).contains(&b.limit()), "{}", b.limit());
    }

    #[test]
    fn slow_answers_hold_it() {
        let mut b = Busy::new(64);
        b.answers(START, Answer::Served(100 * MS));
        let held = b.limit();
        // Three times the usual answer time: the panel queues, so no request is added.
        b.answers(10, Answer::Served(300 * MS));
        assert_eq!(b.limit(), held);
        // Back to its usual speed: growth resumes.
        b.answers(1, Answer::Served(100 * MS));
        assert!(b.limit() > held);
    }

    #[test]
    fn a_panel_that_became_slower_for_good_is_learned_again() {
        let mut b = Busy::new(1000);
        b.answers(1, Answer::Served(10 * MS));
        let before = b.limit();
        b.answers(100, Answer::Served(200 * MS));
        assert!(b.limit() > before);
    }

    #[test]
    fn it_does_not_grow_while_the_limit_is_not_used() {
        let mut p = Pace::new(64);
        for _ in 0..20 {
            let t = p.try_start().expect("room");
            p.finish(t, Answer::Served(10 * MS));
        }
        assert_eq!(p.limit(), START);
    }

    #[test]
    fn abandoned_requests_free_their_place_without_a_lesson() {
        let mut b = Busy::new(64);
        for t in std::mem::take(&mut b.flying) {
            b.pace.abandon(t);
        }
        assert_eq!(b.limit(), START);
        b.refill();
        assert_eq!(b.flying.len(), START);
    }

    #[tokio::test]
    async fn a_waiting_request_goes_when_a_place_is_freed() {
        let pacer = Pacer::new(1);
        let first = pacer.slot().await;
        let second = pacer.slot();
        tokio::pin!(second);
        assert!(futures::poll!(second.as_mut()).is_pending());
        first.finish(false);
        let second = second.await;
        second.finish(true);
        assert_eq!(pacer.limit(), 1);
    }
}
