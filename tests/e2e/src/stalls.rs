//! When the whole machine stopped running this process for a while: a thread that sleeps 1 ms
//! at a time and notes each wake-up that came much later than asked.
//!
//! On a shared virtual machine the host sometimes runs other guests' work instead of ours (the
//! kernel counts it as "steal" time). A frame of the app that happens to span such a pause is
//! long for a reason outside the app; the scroll benchmark reports which long frames did.

use std::{
    sync::{
        atomic::{AtomicBool, Ordering},
        Arc,
    },
    thread::JoinHandle,
    time::{Duration, Instant},
};

use crate::epoch_ms;

/// A wake-up at least this late is a stall (a sleeping thread on an idle core wakes within
/// a millisecond or two, even beside a busy app).
pub const STALL_MS: f64 = 15.0;

/// One late wake-up: the thread could not run from `from_ms` to `to_ms` (milliseconds since
/// the Unix epoch, the clock `performance.timeOrigin` uses).
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Stall {
    pub from_ms: f64,
    pub to_ms: f64,
}

impl Stall {
    pub fn overlaps(&self, from_ms: f64, to_ms: f64) -> bool {
        self.from_ms < to_ms && self.to_ms > from_ms
    }
}

/// Watches for stalls until [`Stalls::stop`]; also reads the kernel's steal counter.
pub struct Stalls {
    stop: Arc<AtomicBool>,
    thread: JoinHandle<Vec<Stall>>,
    steal_before: Option<u64>,
}

/// What [`Stalls::stop`] found.
pub struct StallReport {
    pub stalls: Vec<Stall>,
    /// CPU time the hypervisor gave to others while the guest wanted it, all CPUs, in ms;
    /// `None` where /proc/stat has no steal column.
    pub steal_ms: Option<u64>,
}

impl Stalls {
    pub fn watch() -> Self {
        let stop = Arc::new(AtomicBool::new(false));
        let stopped = stop.clone();
        let thread = std::thread::spawn(move || {
            let mut stalls = Vec::new();
            let nap = Duration::from_millis(1);
            while !stopped.load(Ordering::Relaxed) {
                let asleep = Instant::now();
                std::thread::sleep(nap);
                let late_ms = asleep.elapsed().saturating_sub(nap).as_secs_f64() * 1000.0;
                if late_ms >= STALL_MS {
                    let to_ms = epoch_ms();
                    stalls.push(Stall {
                        from_ms: to_ms - late_ms,
                        to_ms,
                    });
                }
            }
            stalls
        });
        Self {
            stop,
            thread,
            steal_before: steal_ticks(),
        }
    }

    pub fn stop(self) -> StallReport {
        self.stop.store(true, Ordering::Relaxed);
        let stalls = self.thread.join().unwrap_or_default();
        let steal_ms = match (self.steal_before, steal_ticks()) {
            // USER_HZ is 100 on Linux: a tick is 10 ms.
            (Some(a), Some(b)) => Some(b.saturating_sub(a) * 10),
            _ => None,
        };
        StallReport { stalls, steal_ms }
    }
}

/// The `steal` column of the `cpu` line of /proc/stat (the 8th number), in ticks.
fn steal_ticks() -> Option<u64> {
    let stat = std::fs::read_to_string("/proc/stat").ok()?;
    parse_steal(&stat)
}

fn parse_steal(stat: &str) -> Option<u64> {
    let line = stat.lines().find(|l| l.starts_with("cpu "))?;
    line.split_whitespace().nth(8)?.parse().ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn steal_is_the_eighth_number_of_the_cpu_line() {
        let stat = "cpu  3610869 7211 460405 5369380 30889 0 6739 27069 0 0\n\
                    cpu0 1772888 3341 219945 2735301 9722 0 1557 13297 0 0\n";
        assert_eq!(parse_steal(stat), Some(27069));
        assert_eq!(parse_steal("cpu0 1 2 3\n"), None);
        assert_eq!(parse_steal("cpu  1 2 3\n"), None);
    }

    #[test]
    fn a_stall_overlaps_the_frames_it_cuts_into() {
        let s = Stall {
            from_ms: 100.0,
            to_ms: 130.0,
        };
        assert!(s.overlaps(90.0, 101.0));
        assert!(s.overlaps(110.0, 120.0));
        assert!(s.overlaps(129.0, 200.0));
        assert!(!s.overlaps(130.0, 200.0));
        assert!(!s.overlaps(40.0, 100.0));
    }
}
